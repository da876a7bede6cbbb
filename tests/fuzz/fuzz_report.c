/* SPDX-License-Identifier: MIT */
/*
 * tests/fuzz/fuzz_report.c: libFuzzer entry point for the HTML report of any result JSON
 * (tw_report_html: JSON parsing, kind dispatch, every builder, the page writer). Any input
 * must give TW_OK or a failure with a message starting "report:"; never a crash. The page goes
 * to /dev/null. Seeds: tests/fuzz/corpus/fuzz_report/ (small results of every kind).
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "tradewar/tradewar.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    FILE *out = fopen("/dev/null", "w");
    if (out == NULL)
        return 0;
    tw_err err = {TW_OK, ""};
    tw_status st = tw_report_html((const char *)data, size, NULL, out, &err);
    fclose(out);
    if (st != TW_OK && strncmp(err.msg, "report:", 7) != 0)
        __builtin_trap();
    return 0;
}
