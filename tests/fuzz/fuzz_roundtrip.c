/* SPDX-License-Identifier: MIT */
/*
 * tests/fuzz/fuzz_roundtrip.c: libFuzzer round trip of the CSV reader and writer. Parse the
 * buffer (tw_csv_read_buf_limits); when it parses, write every field back with
 * tw_csv_put_text (one record per line), parse that again and compare field by field; every
 * field that reads as a number must also survive tw_csv_format_double and
 * tw_csv_parse_double bit for bit. Any mismatch aborts. A record of one empty field is
 * written as "" by hand: tw_csv_put_text writes nothing for "", and the resulting blank line
 * would be skipped by the reader (regressions/csv-roundtrip-lone-empty-field.csv). (Scenarios have no writer, so there
 * is no scenario round trip; fuzz_scenario.c covers their parser.)
 * Seeds: tests/fuzz/corpus/fuzz_roundtrip/; dictionary: tests/fuzz/csv.dict.
 */
#define _POSIX_C_SOURCE 200809L /* open_memstream */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/csv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    tw_csv_limits lim = {64, 8, 64, 4096}; /* the second read may need quotes and "" */
    tw_csv_table *a = NULL, *b = NULL;
    if (tw_csv_read_buf_limits((const char *)data, size, "a.csv", &lim, &a, NULL) != TW_OK)
        return 0;
    char *out = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&out, &len);
    size_t n = (a->n_rows + 1) * a->n_cols;
    for (size_t k = 0; fp != NULL && k < n; k++)
        if ((k % a->n_cols != 0 && putc(',', fp) == EOF) ||
            (a->n_cols == 1 && a->text[a->cells[k].off] == '\0' && fputs("\"\"", fp) < 0) ||
            tw_csv_put_text(fp, a->text + a->cells[k].off) != 0 ||
            (k % a->n_cols == a->n_cols - 1 && putc('\n', fp) == EOF))
            abort();
    if (fp == NULL || fclose(fp) != 0)
        abort();
    lim.max_field_len = 2 * lim.max_field_len + 2;
    lim.max_file_size = len;
    if (tw_csv_read_buf_limits(out, len, "b.csv", &lim, &b, NULL) != TW_OK ||
        b->n_cols != a->n_cols || b->n_rows != a->n_rows)
        abort();
    for (size_t k = 0; k < n; k++) {
        const char *f = a->text + a->cells[k].off;
        char num[TW_CSV_NUM_BUF];
        double x, y;
        if (strcmp(f, b->text + b->cells[k].off) != 0)
            abort();
        if (tw_csv_parse_double(f, &x) == TW_CSV_NUM_OK &&
            (tw_csv_format_double(x, num) >= TW_CSV_NUM_BUF ||
             tw_csv_parse_double(num, &y) != TW_CSV_NUM_OK || memcmp(&x, &y, sizeof x) != 0))
            abort();
    }
    free(out);
    tw_csv_free(a);
    tw_csv_free(b);
    return 0;
}
