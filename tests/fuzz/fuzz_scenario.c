/* SPDX-License-Identifier: MIT */
/*
 * tests/fuzz/fuzz_scenario.c: libFuzzer entry point for the YAML scenario parser
 * (tw_scenario_read_buf). Parse the buffer, check the invariants of core/scenario.h on
 * success and the message format on failure, free, return 0.
 * Seeds: tests/data/scenarios/; dictionary: tests/fuzz/scenario.dict.
 */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "core/scenario.h"
#include "tradewar/tradewar.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    tw_scenario *sc = NULL;
    tw_err err = {TW_OK, ""};
    tw_status st = tw_scenario_read_buf((const char *)data, size, "fuzz.yaml", &sc, &err);
    if (st != TW_OK && (sc != NULL || strncmp(err.msg, "fuzz.yaml:", 10) != 0))
        __builtin_trap();
    for (size_t a = 0; sc != NULL && a < sc->n_actions; a++) {
        const struct tw_action *ac = &sc->actions[a];
        if (!isfinite(ac->value) || ac->effective >= ac->end || ac->imposer.n == 0 ||
            ac->sectors.n == 0 || ac->effective <= sc->start ||
            (ac->kind != TW_ACTION_PRODUCTIVITY && ac->target.n == 0))
            __builtin_trap();
    }
    tw_scenario_free(sc);
    return 0;
}
