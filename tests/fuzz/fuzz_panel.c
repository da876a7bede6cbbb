/* SPDX-License-Identifier: MIT */
/*
 * tests/fuzz/fuzz_panel.c: libFuzzer entry point for the data-panel reader
 * (tw_panel_read_buf) with a fixed gravity formula and a cluster variable; the input is the
 * CSV. On success the panel's arrays must be consistent; free, return 0.
 * Seeds: tests/fuzz/corpus/fuzz_panel/.
 */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "tradewar/tradewar.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    tw_panel_opts o;
    tw_panel_opts_init(&o);
    o.cluster = "pair";
    tw_panel *p = NULL;
    tw_err err = {TW_OK, ""};
    tw_status st = tw_panel_read_buf((const char *)data, size, "fuzz.csv",
                                     "trade ~ log(dist) + rta | exporter + importer", &o, &p,
                                     &err);
    if (st != TW_OK && p != NULL)
        __builtin_trap();
    if (st == TW_OK && tw_panel_data(p) == NULL)
        __builtin_trap();
    tw_panel_free(p);
    return 0;
}
