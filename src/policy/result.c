/* SPDX-License-Identifier: MIT */
/*
 * src/policy/result.c: read-only accessors of tw_result (see result.h).
 */
#include "policy/result.h"

#include <math.h>
#include <string.h>

static const char *const country_names[TW_C_MEASURE_COUNT] = {
    "real_income_pct", "welfare_pct", "tot_pct", "vot_pct", "welfare_log_pct",
    "tot_log_pct", "vot_log_pct", "real_wage_pct", "wage_hat", "price_index_hat",
    "income_hat", "tariff_revenue_hat", "exports_hat", "imports_hat", "welfare_usd",
    "income_base_usd", "income_cfl_usd", "tariff_revenue_base_usd", "tariff_revenue_cfl_usd",
    "exports_base_usd", "exports_cfl_usd", "imports_base_usd", "imports_cfl_usd",
    "deficit_base_usd", "deficit_cfl_usd"};

static const char *const sector_names[TW_S_MEASURE_COUNT] = {
    "output_hat", "price_hat", "cost_hat", "expenditure_hat", "output_base_usd",
    "output_cfl_usd", "expenditure_base_usd", "expenditure_cfl_usd"};

const char *tw_country_measure_name(tw_country_measure m)
{
    return (m >= 0 && m < TW_C_MEASURE_COUNT) ? country_names[m] : NULL;
}

const char *tw_sector_measure_name(tw_sector_measure m)
{
    return (m >= 0 && m < TW_S_MEASURE_COUNT) ? sector_names[m] : NULL;
}

const tw_world *tw_result_world(const tw_result *r) { return r->w; }
tw_deficits tw_result_deficits(const tw_result *r) { return r->deficits; }
bool tw_result_converged(const tw_result *r) { return r->converged; }

void tw_result_solver(const tw_result *r, tw_stage stage, tw_solver_info *info)
{
    *info = r->info[stage == TW_STAGE_BASELINE ? 0 : 1];
}

double tw_result_country(const tw_result *r, tw_country_measure m, size_t c)
{
    if (m < 0 || m >= TW_C_MEASURE_COUNT || c >= r->N)
        return (double)NAN;
    return r->country[(size_t)m * r->N + c];
}

double tw_result_sector(const tw_result *r, tw_sector_measure m, size_t c, size_t s)
{
    if (m < 0 || m >= TW_S_MEASURE_COUNT || c >= r->N || s >= r->S)
        return (double)NAN;
    return r->sector[((size_t)m * r->N + c) * r->S + s];
}

void tw_result_flow(const tw_result *r, size_t exporter, size_t importer, size_t s,
                    double *base_usd, double *cfl_usd)
{
    size_t k = (s * r->N + importer) * r->N + exporter;
    if (base_usd)
        *base_usd = r->flow_b[k];
    if (cfl_usd)
        *cfl_usd = r->flow_c[k];
}

double tw_result_tot(const tw_result *r, size_t c, size_t partner, size_t s)
{
    return r->tot[(c * r->N + partner) * r->S + s];
}

double tw_result_vot(const tw_result *r, size_t c, size_t partner, size_t s)
{
    return r->vot[(c * r->N + partner) * r->S + s];
}
