/* SPDX-License-Identifier: MIT */
/*
 * src/core/world.c: allocation, accessors and semantic validation of struct tw_world.
 *
 * References: the invariants follow the model of Caliendo and Parro (2015), section 2:
 * gamma_n^j + sum_k gamma_n^{k,j} = 1 (production shares), sum_j alpha_n^j = 1 (final demand),
 * sum_n D_n = 0 (deficits).
 */
#include "core/world.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

#include "core/alloc.h"

tw_status tw_world_set_string(char **slot, const char *value, tw_err *err)
{
    char *p = tw_strdup(value ? value : "");
    if (p == NULL)
        return tw_err_set(err, TW_ENOMEM, "world: out of memory");
    tw_free(*slot);
    *slot = p;
    return TW_OK;
}

void tw_world_free(tw_world *w)
{
    if (w == NULL)
        return;
    for (size_t c = 0; c < w->n_country; c++) {
        if (w->country_code)
            tw_free(w->country_code[c]);
        if (w->country_name)
            tw_free(w->country_name[c]);
    }
    for (size_t s = 0; s < w->n_sector; s++) {
        if (w->sector_code)
            tw_free(w->sector_code[s]);
        if (w->sector_name)
            tw_free(w->sector_name[s]);
    }
    tw_free(w->country_code);
    tw_free(w->country_name);
    tw_free(w->sector_code);
    tw_free(w->sector_name);
    tw_free(w->tradable);
    tw_free(w->flow);
    tw_free(w->tariff);
    tw_free(w->theta);
    tw_free(w->va_share);
    tw_free(w->io);
    tw_free(w->alpha);
    tw_free(w->deficit);
    tw_free(w->meta_name);
    tw_free(w->meta_year);
    tw_free(w->meta_currency);
    tw_free(w->meta_source);
    tw_free(w->meta_model);
    tw_free(w->pe_weight);
    tw_free(w);
}

tw_status tw_world_alloc(size_t n_country, size_t n_sector, struct tw_world **out, tw_err *err)
{
    *out = NULL;
    if (n_country == 0 || n_sector == 0)
        return tw_err_set(err, TW_EINVAL, "world: needs at least one country and one sector");
    if (n_country > TW_WORLD_MAX_COUNTRIES)
        return tw_err_set(err, TW_EINVAL, "world: %zu countries, more than the limit of %d",
                          n_country, TW_WORLD_MAX_COUNTRIES);
    if (n_sector > TW_WORLD_MAX_SECTORS)
        return tw_err_set(err, TW_EINVAL, "world: %zu sectors, more than the limit of %d",
                          n_sector, TW_WORLD_MAX_SECTORS);
    /* Both counts are at most 1000 here, so the products below cannot overflow. */
    if (n_country * n_country * n_sector > TW_WORLD_MAX_CELLS ||
        n_country * n_sector * n_sector > TW_WORLD_MAX_CELLS)
        return tw_err_set(err, TW_EINVAL, "world: %zu countries x %zu sectors need %zu cells "
                          "per array, more than the limit of %zu", n_country, n_sector,
                          n_country * n_sector * (n_country > n_sector ? n_country : n_sector),
                          TW_WORLD_MAX_CELLS);
    size_t N = n_country, S = n_sector;
    struct tw_world *w = tw_calloc(1, sizeof *w);
    if (w == NULL)
        return tw_err_set(err, TW_ENOMEM, "world: out of memory");
    /* Counts are set after the string arrays exist so that tw_world_free can run at any
     * point of a failed construction. */
    w->country_code = tw_calloc(N, sizeof(char *));
    w->country_name = tw_calloc(N, sizeof(char *));
    w->sector_code = tw_calloc(S, sizeof(char *));
    w->sector_name = tw_calloc(S, sizeof(char *));
    if (!w->country_code || !w->country_name || !w->sector_code || !w->sector_name)
        goto nomem;
    w->n_country = N;
    w->n_sector = S;
    w->tradable = tw_calloc(S, sizeof(bool));
    w->flow = tw_calloc(S * N * N, sizeof(double));
    w->tariff = tw_calloc(S * N * N, sizeof(double));
    w->theta = tw_calloc(S, sizeof(double));
    w->va_share = tw_calloc(N * S, sizeof(double));
    w->io = tw_calloc(N * S * S, sizeof(double));
    w->alpha = tw_calloc(N * S, sizeof(double));
    w->deficit = tw_calloc(N, sizeof(double));
    w->pe_weight = tw_malloc(N * S * sizeof(double));
    if (!w->tradable || !w->flow || !w->tariff || !w->theta || !w->va_share || !w->io ||
        !w->alpha || !w->deficit || !w->pe_weight)
        goto nomem;
    for (size_t k = 0; k < N * S; k++)
        w->pe_weight[k] = 1.0;
    for (size_t c = 0; c < N; c++)
        if (tw_world_set_string(&w->country_code[c], "", err) ||
            tw_world_set_string(&w->country_name[c], "", err))
            goto nomem;
    for (size_t s = 0; s < S; s++) {
        w->tradable[s] = true;
        if (tw_world_set_string(&w->sector_code[s], "", err) ||
            tw_world_set_string(&w->sector_name[s], "", err))
            goto nomem;
    }
    if (tw_world_set_string(&w->meta_name, "", err) ||
        tw_world_set_string(&w->meta_year, "", err) ||
        tw_world_set_string(&w->meta_currency, "", err) ||
        tw_world_set_string(&w->meta_source, "", err) ||
        tw_world_set_string(&w->meta_model, "", err))
        goto nomem;
    *out = w;
    return TW_OK;
nomem:
    tw_world_free(w);
    return tw_err_set(err, TW_ENOMEM, "world: out of memory");
}

tw_status tw_world_copy(const struct tw_world *w, struct tw_world **out, tw_err *err)
{
    size_t N = w->n_country, S = w->n_sector;
    struct tw_world *c = NULL;
    tw_status st = tw_world_alloc(N, S, &c, err);
    if (st != TW_OK) {
        *out = NULL;
        return st;
    }
    for (size_t i = 0; i < N; i++)
        if (tw_world_set_string(&c->country_code[i], w->country_code[i], err) ||
            tw_world_set_string(&c->country_name[i], w->country_name[i], err))
            goto nomem;
    for (size_t s = 0; s < S; s++)
        if (tw_world_set_string(&c->sector_code[s], w->sector_code[s], err) ||
            tw_world_set_string(&c->sector_name[s], w->sector_name[s], err))
            goto nomem;
    if (tw_world_set_string(&c->meta_name, w->meta_name, err) ||
        tw_world_set_string(&c->meta_year, w->meta_year, err) ||
        tw_world_set_string(&c->meta_currency, w->meta_currency, err) ||
        tw_world_set_string(&c->meta_source, w->meta_source, err) ||
        tw_world_set_string(&c->meta_model, w->meta_model, err))
        goto nomem;
    memcpy(c->pe_weight, w->pe_weight, N * S * sizeof(double));
    memcpy(c->tradable, w->tradable, S * sizeof(bool));
    memcpy(c->flow, w->flow, S * N * N * sizeof(double));
    memcpy(c->tariff, w->tariff, S * N * N * sizeof(double));
    memcpy(c->theta, w->theta, S * sizeof(double));
    memcpy(c->va_share, w->va_share, N * S * sizeof(double));
    memcpy(c->io, w->io, N * S * S * sizeof(double));
    memcpy(c->alpha, w->alpha, N * S * sizeof(double));
    memcpy(c->deficit, w->deficit, N * sizeof(double));
    *out = c;
    return TW_OK;
nomem:
    tw_world_free(c);
    *out = NULL;
    return TW_ENOMEM;
}

/* ---- accessors ---------------------------------------------------------------------- */

size_t tw_world_n_country(const tw_world *w) { return w->n_country; }
size_t tw_world_n_sector(const tw_world *w) { return w->n_sector; }
const char *tw_world_country_code(const tw_world *w, size_t c) { return w->country_code[c]; }
const char *tw_world_country_name(const tw_world *w, size_t c) { return w->country_name[c]; }
const char *tw_world_sector_code(const tw_world *w, size_t s) { return w->sector_code[s]; }
const char *tw_world_sector_name(const tw_world *w, size_t s) { return w->sector_name[s]; }
bool tw_world_sector_is_tradable(const tw_world *w, size_t s) { return w->tradable[s]; }

bool tw_world_find_country(const tw_world *w, const char *code, size_t *idx)
{
    for (size_t c = 0; c < w->n_country; c++)
        if (strcmp(w->country_code[c], code) == 0) {
            *idx = c;
            return true;
        }
    return false;
}

bool tw_world_find_sector(const tw_world *w, const char *code, size_t *idx)
{
    for (size_t s = 0; s < w->n_sector; s++)
        if (strcmp(w->sector_code[s], code) == 0) {
            *idx = s;
            return true;
        }
    return false;
}

const char *tw_world_meta(const tw_world *w, const char *key)
{
    if (strcmp(key, "name") == 0)
        return w->meta_name;
    if (strcmp(key, "year") == 0)
        return w->meta_year;
    if (strcmp(key, "currency") == 0)
        return w->meta_currency;
    if (strcmp(key, "source") == 0)
        return w->meta_source;
    if (strcmp(key, "model") == 0)
        return w->meta_model;
    return "";
}

double tw_world_flow(const tw_world *w, size_t exporter, size_t importer, size_t s)
{
    return w->flow[tw_world_ijs(w, exporter, importer, s)];
}
double tw_world_tariff(const tw_world *w, size_t importer, size_t exporter, size_t s)
{
    return w->tariff[tw_world_ijs(w, exporter, importer, s)];
}
double tw_world_theta(const tw_world *w, size_t s) { return w->theta[s]; }
double tw_world_va_share(const tw_world *w, size_t c, size_t s)
{
    return w->va_share[tw_world_cs(w, c, s)];
}
double tw_world_io_share(const tw_world *w, size_t c, size_t input_s, size_t using_s)
{
    return w->io[tw_world_cks(w, c, input_s, using_s)];
}
double tw_world_final_share(const tw_world *w, size_t c, size_t s)
{
    return w->alpha[tw_world_cs(w, c, s)];
}
double tw_world_deficit(const tw_world *w, size_t c) { return w->deficit[c]; }

double tw_world_gross_output(const tw_world *w, size_t c, size_t s)
{
    double y = 0.0;
    for (size_t j = 0; j < w->n_country; j++)
        y += w->flow[tw_world_ijs(w, c, j, s)];
    return y;
}

double tw_world_value_added(const tw_world *w, size_t c)
{
    double va = 0.0;
    for (size_t s = 0; s < w->n_sector; s++)
        va += tw_world_gross_output(w, c, s) * w->va_share[tw_world_cs(w, c, s)];
    return va;
}

double tw_world_tariff_revenue(const tw_world *w, size_t c)
{
    double r = 0.0;
    for (size_t s = 0; s < w->n_sector; s++)
        for (size_t i = 0; i < w->n_country; i++) {
            size_t k = tw_world_ijs(w, i, c, s);
            r += w->tariff[k] * w->flow[k];
        }
    return r;
}

double tw_world_exports(const tw_world *w, size_t c)
{
    double x = 0.0;
    for (size_t s = 0; s < w->n_sector; s++)
        for (size_t j = 0; j < w->n_country; j++)
            if (j != c)
                x += w->flow[tw_world_ijs(w, c, j, s)];
    return x;
}

double tw_world_imports(const tw_world *w, size_t c)
{
    double m = 0.0;
    for (size_t s = 0; s < w->n_sector; s++)
        for (size_t i = 0; i < w->n_country; i++)
            if (i != c)
                m += w->flow[tw_world_ijs(w, i, c, s)];
    return m;
}

/* ---- validation ----------------------------------------------------------------------- */

#define ADD(sev, ...)                                                                      \
    do {                                                                                   \
        if (tw_diag_add(d, (sev), err, __VA_ARGS__) != TW_OK)                              \
            return TW_ENOMEM;                                                              \
    } while (0)

static tw_status validate_codes(const struct tw_world *w, const char *where, tw_diag *d,
                                tw_err *err)
{
    for (size_t c = 0; c < w->n_country; c++) {
        if (w->country_code[c][0] == '\0')
            ADD(TW_SEV_ERROR, "%s: region %zu has an empty code", where, c + 1);
        for (size_t c2 = 0; c2 < c; c2++)
            if (strcmp(w->country_code[c], w->country_code[c2]) == 0)
                ADD(TW_SEV_ERROR, "%s: region code \"%s\" appears twice", where,
                    w->country_code[c]);
    }
    for (size_t s = 0; s < w->n_sector; s++) {
        if (w->sector_code[s][0] == '\0')
            ADD(TW_SEV_ERROR, "%s: sector %zu has an empty code", where, s + 1);
        for (size_t s2 = 0; s2 < s; s2++)
            if (strcmp(w->sector_code[s], w->sector_code[s2]) == 0)
                ADD(TW_SEV_ERROR, "%s: sector code \"%s\" appears twice", where,
                    w->sector_code[s]);
    }
    return TW_OK;
}

static tw_status validate_cells(const struct tw_world *w, const char *where, tw_diag *d,
                                tw_err *err)
{
    size_t N = w->n_country, S = w->n_sector;
    for (size_t s = 0; s < S; s++) {
        if (!(isfinite(w->theta[s]) && w->theta[s] > 0.0))
            ADD(TW_SEV_ERROR, "%s: sector \"%s\" has trade elasticity %g, expected a positive "
                "finite number", where, w->sector_code[s], w->theta[s]);
        for (size_t j = 0; j < N; j++)
            for (size_t i = 0; i < N; i++) {
                size_t k = tw_world_ijs(w, i, j, s);
                if (!(isfinite(w->flow[k]) && w->flow[k] >= 0.0))
                    ADD(TW_SEV_ERROR, "%s: flow %s->%s in %s is %g, expected a finite number "
                        ">= 0", where, w->country_code[i], w->country_code[j],
                        w->sector_code[s], w->flow[k]);
                if (!(isfinite(w->tariff[k]) && w->tariff[k] >= 0.0))
                    ADD(TW_SEV_ERROR, "%s: tariff of %s on %s in %s is %g, expected a finite "
                        "number >= 0", where, w->country_code[j], w->country_code[i],
                        w->sector_code[s], w->tariff[k]);
                else if (i == j && w->tariff[k] != 0.0)
                    ADD(TW_SEV_ERROR, "%s: tariff of %s on itself in %s is %g, expected 0",
                        where, w->country_code[j], w->sector_code[s], w->tariff[k]);
                if (i != j && !w->tradable[s] && w->flow[k] != 0.0)
                    ADD(TW_SEV_ERROR, "%s: non-tradable sector %s has a flow %s->%s of %g, "
                        "expected 0", where, w->sector_code[s], w->country_code[i],
                        w->country_code[j], w->flow[k]);
            }
        for (size_t c = 0; c < N; c++) {
            double l = w->pe_weight[tw_world_cs(w, c, s)];
            if (!(isfinite(l) && l >= 0.0))
                ADD(TW_SEV_ERROR, "%s: political-economy weight of %s in %s is %g, expected a "
                    "finite number >= 0", where, w->country_code[c], w->sector_code[s], l);
        }
    }
    if (w->meta_model[0] != '\0' && strcmp(w->meta_model, "cp2015") != 0 &&
        strcmp(w->meta_model, "ossa2014") != 0 && strcmp(w->meta_model, "lashkaripour2021") != 0)
        ADD(TW_SEV_ERROR, "%s: model \"%s\" is unknown, expected cp2015, ossa2014 or "
            "lashkaripour2021", where, w->meta_model);
    return TW_OK;
}

static tw_status validate_shares(const struct tw_world *w, const char *where, tw_diag *d,
                                 tw_err *err)
{
    size_t N = w->n_country, S = w->n_sector;
    for (size_t c = 0; c < N; c++) {
        double asum = 0.0;
        for (size_t s = 0; s < S; s++) {
            double a = w->alpha[tw_world_cs(w, c, s)];
            if (!(isfinite(a) && a >= 0.0 && a <= 1.0))
                ADD(TW_SEV_ERROR, "%s: final-demand share of %s in %s is %g, expected a number "
                    "in [0, 1]", where, w->country_code[c], w->sector_code[s], a);
            asum += a;
            double va = w->va_share[tw_world_cs(w, c, s)];
            if (!(isfinite(va) && va >= 0.0 && va <= 1.0))
                ADD(TW_SEV_ERROR, "%s: value-added share of %s in %s is %g, expected a number "
                    "in [0, 1]", where, w->country_code[c], w->sector_code[s], va);
            double col = va;
            for (size_t k = 0; k < S; k++) {
                double g = w->io[tw_world_cks(w, c, k, s)];
                if (!isfinite(g) || g > 1.0 || g < TW_WORLD_IO_NEG_WARN)
                    ADD(TW_SEV_ERROR, "%s: input share of %s in %s's %s is %g, expected a "
                        "number in [0, 1]", where, w->sector_code[k], w->country_code[c],
                        w->sector_code[s], g);
                else if (g < 0.0)
                    ADD(TW_SEV_WARNING, "%s: input share of %s in %s's %s is slightly "
                        "negative (%g); kept as in the source", where, w->sector_code[k],
                        w->country_code[c], w->sector_code[s], g);
                col += g;
            }
            if (!(fabs(col - 1.0) <= TW_WORLD_SHARE_TOL))
                ADD(TW_SEV_ERROR, "%s: %s's %s: value-added share plus input shares sum to "
                    "%.9g, expected 1 within %g", where, w->country_code[c], w->sector_code[s],
                    col, TW_WORLD_SHARE_TOL);
        }
        if (!(fabs(asum - 1.0) <= TW_WORLD_SHARE_TOL))
            ADD(TW_SEV_ERROR, "%s: final-demand shares of %s sum to %.9g, expected 1 within %g",
                where, w->country_code[c], asum, TW_WORLD_SHARE_TOL);
    }
    return TW_OK;
}

static tw_status validate_aggregates(const struct tw_world *w, const char *where, tw_diag *d,
                                     tw_err *err)
{
    size_t N = w->n_country, S = w->n_sector;
    double world_va = 0.0, dsum = 0.0;
    for (size_t c = 0; c < N; c++) {
        double va = tw_world_value_added(w, c);
        world_va += va;
        if (!isfinite(w->deficit[c]))
            ADD(TW_SEV_ERROR, "%s: deficit of %s is %g, expected a finite number", where,
                w->country_code[c], w->deficit[c]);
        dsum += w->deficit[c];
        if (!(va > 0.0))
            ADD(TW_SEV_ERROR, "%s: %s has value added %g, expected a positive number (check "
                "its flows and value-added shares)", where, w->country_code[c], va);
        double absorb = 0.0;
        for (size_t s = 0; s < S; s++)
            for (size_t i = 0; i < N; i++) {
                size_t k = tw_world_ijs(w, i, c, s);
                absorb += w->flow[k] * (1.0 + w->tariff[k]);
            }
        if (!(absorb > 0.0))
            ADD(TW_SEV_ERROR, "%s: %s has zero absorption (it buys nothing), expected some "
                "spending", where, w->country_code[c]);
        double implied = tw_world_imports(w, c) - tw_world_exports(w, c);
        if (isfinite(implied) && isfinite(w->deficit[c]) &&
            fabs(implied - w->deficit[c]) > TW_WORLD_DEFICIT_TOL * fmax(world_va, 1.0))
            ADD(TW_SEV_WARNING, "%s: deficit of %s is %.6g but its flows imply imports - "
                "exports = %.6g", where, w->country_code[c], w->deficit[c], implied);
    }
    if (isfinite(dsum) && world_va > 0.0 && fabs(dsum) > TW_WORLD_DEFICIT_TOL * world_va)
        ADD(TW_SEV_ERROR, "%s: deficits sum to %.6g, expected 0 within %g of world value added "
            "(%.6g)", where, dsum, TW_WORLD_DEFICIT_TOL, world_va);
    return TW_OK;
}

tw_status tw_world_validate(const struct tw_world *w, const char *where, tw_diag *d,
                            tw_err *err)
{
    size_t before = d->n_error;
    tw_status st;
    if ((st = validate_codes(w, where, d, err)) != TW_OK ||
        (st = validate_cells(w, where, d, err)) != TW_OK ||
        (st = validate_shares(w, where, d, err)) != TW_OK ||
        (st = validate_aggregates(w, where, d, err)) != TW_OK)
        return st;
    if (d->n_error > before) {
        for (size_t k = 0; k < d->n; k++)
            if (d->entries[k].severity == TW_SEV_ERROR) {
                tw_err_set(err, TW_EINVAL, "%s", d->entries[k].msg);
                break;
            }
        return TW_EINVAL;
    }
    return TW_OK;
}
