/* SPDX-License-Identifier: MIT */
/*
 * tests/fuzz/fuzz_csv.c: libFuzzer entry point for the CSV reader (tw_csv_read_buf_limits)
 * with small limits, so the limit checks are reached too. On success check the table
 * invariants of io/csv.h, on failure the message format; free, return 0.
 * Seeds: tests/fuzz/corpus/fuzz_csv/; dictionary: tests/fuzz/csv.dict.
 */
#include <stdint.h>
#include <string.h>

#include "io/csv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    tw_csv_limits lim = {64, 8, 64, 4096}; /* field bytes, columns, rows, input bytes */
    tw_csv_table *t = NULL;
    tw_err err = {TW_OK, ""};
    tw_status st = tw_csv_read_buf_limits((const char *)data, size, "fuzz.csv", &lim, &t, &err);
    if (st != TW_OK && (t != NULL || strncmp(err.msg, "fuzz.csv:", 9) != 0))
        __builtin_trap();
    if (t != NULL && (t->n_cols < 1 || t->n_cols > lim.max_columns || t->n_rows > lim.max_rows))
        __builtin_trap();
    for (size_t k = 0; t != NULL && k < (t->n_rows + 1) * t->n_cols; k++)
        if (strlen(t->text + t->cells[k].off) > lim.max_field_len || t->cells[k].line < 1)
            __builtin_trap();
    tw_csv_free(t);
    return 0;
}
