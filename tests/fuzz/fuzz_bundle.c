/* SPDX-License-Identifier: MIT */
/*
 * tests/fuzz/fuzz_bundle.c: libFuzzer entry point for the world bundle loader, with a
 * round trip. The input becomes flows.csv of a copy of tests/data/tiny-world (the other nine
 * files stay valid, so the fuzzer explores the bundle reader and the validation rather than
 * only the CSV tokenizer); the bundle is read with tw_world_read; a world that loads is written
 * with tw_world_write, read again, and must be identical (codes and every array, bit for bit).
 * The fixture is found through $TW_TEST_DATA (tests/) or ./tests/data/tiny-world.
 * Seeds: tests/fuzz/corpus/fuzz_bundle/ (flows.csv variants).
 */
#define _POSIX_C_SOURCE 200809L
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/world.h"
#include "tradewar/tradewar.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const files[] = {"deficits.csv", "elasticities.csv", "final_demand.csv",
                                    "io.csv", "meta.csv", "regions.csv", "sectors.csv",
                                    "tariffs.csv", "value_added.csv"};

static char dir[256];

/* Copy the fixture (all files but flows.csv) into a private temporary directory, once. */
static int setup(void)
{
    if (dir[0])
        return 0;
    const char *td = getenv("TW_TEST_DATA");
    char src[512];
    snprintf(dir, sizeof dir, "/tmp/tw-fuzz-bundle-%ld", (long)getpid());
    char cmd[1400];
    for (size_t k = 0; k < sizeof files / sizeof files[0]; k++) {
        snprintf(src, sizeof src, "%s/data/tiny-world/%s", td ? td : "tests", files[k]);
        snprintf(cmd, sizeof cmd, "mkdir -p %s && cp %s %s/", dir, src, dir);
        if (system(cmd) != 0)
            return -1;
    }
    return 0;
}

static void same_world(const struct tw_world *a, const struct tw_world *b)
{
    size_t N = a->n_country, S = a->n_sector;
    if (N != b->n_country || S != b->n_sector)
        __builtin_trap();
    for (size_t c = 0; c < N; c++)
        if (strcmp(a->country_code[c], b->country_code[c]) != 0)
            __builtin_trap();
    if (memcmp(a->flow, b->flow, S * N * N * sizeof(double)) != 0 ||
        memcmp(a->tariff, b->tariff, S * N * N * sizeof(double)) != 0 ||
        memcmp(a->io, b->io, N * S * S * sizeof(double)) != 0 ||
        memcmp(a->theta, b->theta, S * sizeof(double)) != 0)
        __builtin_trap();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (setup() != 0)
        __builtin_trap();
    char path[512], out[512], cmd[600];
    snprintf(path, sizeof path, "%s/flows.csv", dir);
    FILE *f = fopen(path, "wb");
    if (f == NULL || fwrite(data, 1, size, f) != size || fclose(f) != 0)
        __builtin_trap();
    tw_world *w = NULL, *w2 = NULL;
    tw_err err = {TW_OK, ""};
    tw_status st = tw_world_read(dir, &w, &err);
    if (st != TW_OK && (w != NULL || err.msg[0] == '\0'))
        __builtin_trap();
    if (st == TW_OK) {
        snprintf(out, sizeof out, "%s-out", dir);
        snprintf(cmd, sizeof cmd, "rm -rf %s", out);
        if (system(cmd) != 0 || tw_world_write(w, out, &err) != TW_OK ||
            tw_world_read(out, &w2, &err) != TW_OK)
            __builtin_trap();
        same_world(w, w2);
    }
    tw_world_free(w);
    tw_world_free(w2);
    return 0;
}
