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

bool tw_result_has_bilateral(const tw_result *r) { return r->flow_b != NULL; }

void tw_result_flow(const tw_result *r, size_t exporter, size_t importer, size_t s,
                    double *base_usd, double *cfl_usd)
{
    bool ok = r->flow_b != NULL && exporter < r->N && importer < r->N && s < r->S;
    size_t k = (s * r->N + importer) * r->N + exporter;
    if (base_usd)
        *base_usd = ok ? r->flow_b->v[k] : (double)NAN;
    if (cfl_usd)
        *cfl_usd = ok ? r->flow_c->v[k] : (double)NAN;
}

void tw_result_pair_flow(const tw_result *r, size_t exporter, size_t importer,
                         double *base_usd, double *cfl_usd)
{
    bool ok = exporter < r->N && importer < r->N;
    size_t k = importer * r->N + exporter;
    if (base_usd)
        *base_usd = ok ? r->pair_b[k] : (double)NAN;
    if (cfl_usd)
        *cfl_usd = ok ? r->pair_c[k] : (double)NAN;
}

/* The decomposition by partner is formed on demand from the flows and cost changes, by the
 * same expressions (result.h) as the totals of src/policy/simulate.c, so the cells add up to
 * TW_C_TOT_PCT / TW_C_VOT_PCT exactly as before they were stored. */
double tw_result_tot(const tw_result *r, size_t c, size_t partner, size_t s)
{
    if (r->flow_b == NULL || c >= r->N || partner >= r->N || s >= r->S)
        return (double)NAN;
    size_t N = r->N, S = r->S;
    double E = r->flow_b->v[(s * N + partner) * N + c], M = r->flow_b->v[(s * N + c) * N + partner];
    double lch_n = r->lnc_c[c * S + s] - r->lnc_b[c * S + s];
    double lch_i = r->lnc_c[partner * S + s] - r->lnc_b[partner * S + s];
    double inc = r->country[(size_t)TW_C_INCOME_BASE_USD * N + c];
    return 100.0 * tw_decomp_tot(E, M, lch_n, lch_i) / inc;
}

double tw_result_vot(const tw_result *r, size_t c, size_t partner, size_t s)
{
    if (r->flow_b == NULL || c >= r->N || partner >= r->N || s >= r->S)
        return (double)NAN;
    size_t N = r->N, S = r->S, kin = (s * N + c) * N + partner;
    double lch_i = r->lnc_c[partner * S + s] - r->lnc_b[partner * S + s];
    double inc = r->country[(size_t)TW_C_INCOME_BASE_USD * N + c];
    double v = tw_decomp_vot(r->flow_b->v[kin], r->flow_c->v[kin], r->w->tariff[kin], lch_i);
    return 100.0 * v / inc;
}
