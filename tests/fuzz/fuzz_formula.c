/* SPDX-License-Identifier: MIT */
/*
 * tests/fuzz/fuzz_formula.c: libFuzzer entry point for the estimation formula parser
 * (tw_formula_parse). On failure the message must name the formula and a column; free,
 * return 0. Seeds: tests/fuzz/corpus/fuzz_formula/.
 */
#include <stdint.h>
#include <string.h>

#include "io/formula.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    tw_formula *f = NULL;
    tw_err err = {TW_OK, ""};
    tw_status st = tw_formula_parse((const char *)data, size, "fuzz", &f, &err);
    if (st != TW_OK && (f != NULL || strncmp(err.msg, "fuzz", 4) != 0))
        __builtin_trap();
    if (st == TW_OK && f == NULL)
        __builtin_trap();
    tw_formula_free(f);
    return 0;
}
