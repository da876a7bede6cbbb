/* SPDX-License-Identifier: MIT */
/*
 * src/report/report_int.h: helpers shared by the report writers (table, JSON, CSV, world
 * summary).
 *
 * The writers read results only through the public accessors (tw_result_*, tw_world_*), so a
 * report never depends on how model/ or policy/ store them. Each writer writes only to the
 * FILE* or directory it was given, checks the stream once at the end with
 * tw_report_stream_ok() and turns a stream error into TW_EIO with a message.
 *
 * Conventions: "pct" values are percentage changes, 100 * (hat - 1); a value that is not finite
 * (for example the change of a flow that was zero) is written as "n/a" in tables, empty in CSV
 * and null in JSON.
 */
#ifndef TW_REPORT_INT_H
#define TW_REPORT_INT_H

#include <stdio.h>

#include "core/err.h"

/* Percentage change of a ratio, 100 * (hat - 1). */
TW_INTERNAL double tw_report_pct(double hat);

/* Percentage change from base to cfl, 100 * (cfl / base - 1); NaN when base is zero. */
TW_INTERNAL double tw_report_change_pct(double base, double cfl);

/* Sum of the flow from exporter i to importer j over all sectors, baseline and
 * counterfactual (out). */
TW_INTERNAL void tw_report_pair_flow(const tw_result *r, size_t i, size_t j, double *base_usd,
                                     double *cfl_usd);

/* x, or +0 when x would print as -0.00 with `decimals` decimals, so tables show no "-0.00". */
TW_INTERNAL double tw_report_no_negative_zero(double x, int decimals);

/* Name of a stage in messages and files: "baseline" or "counterfactual". */
TW_INTERNAL const char *tw_report_stage_name(tw_stage stage);

/* TW_OK when `out` has no error flag set, else TW_EIO with "report: cannot write <what>". */
TW_INTERNAL tw_status tw_report_stream_ok(FILE *out, const char *what, tw_err *err);
/* Write the jansson document root to out (indent 2, 17 significant digits, then a newline) and
 * release it (a NULL root is out of memory). TW_OK, TW_ENOMEM, or TW_EIO "report: cannot
 * write <what>". */
struct json_t;
TW_INTERNAL tw_status tw_report_json_dump(FILE *out, struct json_t *root, const char *what,
                                          tw_err *err);

#endif
