/* SPDX-License-Identifier: MIT */
/*
 * src/report/common.c: helpers shared by the report writers (see report_int.h).
 */
#include "report/report_int.h"

#include <math.h>

double tw_report_pct(double hat) { return 100.0 * (hat - 1.0); }

double tw_report_change_pct(double base, double cfl)
{
    if (base == 0.0)
        return (double)NAN;
    return 100.0 * (cfl / base - 1.0);
}

void tw_report_pair_flow(const tw_result *r, size_t i, size_t j, double *base_usd,
                         double *cfl_usd)
{
    tw_result_pair_flow(r, i, j, base_usd, cfl_usd);
}

double tw_report_no_negative_zero(double x, int decimals)
{
    double half_unit = 0.5 * pow(10.0, -(double)decimals);
    return (x < 0.0 && x > -half_unit) ? 0.0 : x;
}

const char *tw_report_stage_name(tw_stage stage)
{
    return stage == TW_STAGE_BASELINE ? "baseline" : "counterfactual";
}

tw_status tw_report_stream_ok(FILE *out, const char *what, tw_err *err)
{
    if (ferror(out))
        return tw_err_set(err, TW_EIO, "report: cannot write %s", what);
    return TW_OK;
}
