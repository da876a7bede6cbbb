/* SPDX-License-Identifier: MIT */
/*
 * tests/fuzz/fuzz_tariff_csv.c: libFuzzer entry point for tariff CSV files
 * (tw_shock_apply_tariff_csv_buf) on a shock of a 3-country, 2-sector synthetic world (codes
 * C000-C002, S000-S001) made once. Checks the invariants of shock_csv.c: on success every
 * tariff is finite and >= 0 and the diagonal stays 0; on failure the shock is unchanged.
 * Seeds: tests/fuzz/corpus/fuzz_tariff_csv/; dictionary: tests/fuzz/csv.dict.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tradewar/tradewar.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static tw_world *w = NULL;
    tw_shock *sh = NULL;
    tw_err err = {TW_OK, ""};
    if ((w == NULL && tw_world_synthetic(3, 2, 1, &w, NULL) != TW_OK) ||
        tw_shock_new(w, &sh, NULL) != TW_OK)
        abort();
    tw_status st = tw_shock_apply_tariff_csv_buf(sh, (const char *)data, size, "fuzz.csv", &err);
    if (st != TW_OK && strncmp(err.msg, "shock: fuzz.csv:", 16) != 0)
        __builtin_trap();
    for (size_t s = 0; s < 2; s++)
        for (size_t j = 0; j < 3; j++)
            for (size_t i = 0; i < 3; i++) {
                double t = tw_shock_tariff(sh, j, i, s);
                if (st != TW_OK ? t != tw_world_tariff(w, j, i, s)
                                : (!isfinite(t) || t < 0.0 || (i == j && t != 0.0)))
                    __builtin_trap();
            }
    tw_shock_free(sh);
    return 0;
}
