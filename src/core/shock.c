/* SPDX-License-Identifier: MIT */
/*
 * src/core/shock.c: construction and setters of tw_shock (see shock.h).
 */
#include "core/shock.h"

#include <math.h>
#include <string.h>

#include "core/alloc.h"

tw_status tw_shock_new(const tw_world *w, tw_shock **out, tw_err *err)
{
    if (out == NULL)
        return tw_err_set(err, TW_EINVAL, "shock: out is NULL");
    *out = NULL;
    if (w == NULL)
        return tw_err_set(err, TW_EINVAL, "shock: world is NULL");
    size_t N = w->n_country, S = w->n_sector, n3 = S * N * N;
    tw_shock *sh = tw_calloc(1, sizeof *sh);
    if (sh == NULL)
        return tw_err_set(err, TW_ENOMEM, "shock: out of memory");
    sh->world = w;
    sh->tariff = tw_alloc_doubles(n3);
    sh->d_hat = tw_alloc_doubles(n3);
    sh->a_hat = tw_alloc_doubles(N * S);
    if (!sh->tariff || !sh->d_hat || !sh->a_hat) {
        tw_shock_free(sh);
        return tw_err_set(err, TW_ENOMEM, "shock: out of memory");
    }
    memcpy(sh->tariff, w->tariff, n3 * sizeof(double));
    for (size_t k = 0; k < n3; k++)
        sh->d_hat[k] = 1.0;
    for (size_t k = 0; k < N * S; k++)
        sh->a_hat[k] = 1.0;
    *out = sh;
    return TW_OK;
}

void tw_shock_free(tw_shock *sh)
{
    if (sh == NULL)
        return;
    tw_free(sh->tariff);
    tw_free(sh->d_hat);
    tw_free(sh->a_hat);
    tw_free(sh);
}

static tw_status check_pair(const tw_shock *sh, size_t importer, size_t exporter, size_t s,
                            tw_err *err)
{
    const struct tw_world *w = sh->world;
    if (importer >= w->n_country || exporter >= w->n_country || s >= w->n_sector)
        return tw_err_set(err, TW_EINVAL, "shock: index out of range (importer %zu, exporter "
                          "%zu, sector %zu; world is %zu x %zu)", importer, exporter, s,
                          w->n_country, w->n_sector);
    return TW_OK;
}

tw_status tw_shock_set_tariff(tw_shock *sh, size_t importer, size_t exporter, size_t s,
                              double rate, tw_err *err)
{
    if (sh == NULL)
        return tw_err_set(err, TW_EINVAL, "shock: NULL shock");
    tw_status st = check_pair(sh, importer, exporter, s, err);
    if (st != TW_OK)
        return st;
    if (!(isfinite(rate) && rate >= 0.0))
        return tw_err_set(err, TW_EINVAL, "shock: tariff %g, expected a finite rate >= 0", rate);
    if (importer == exporter && rate != 0.0)
        return tw_err_set(err, TW_EINVAL, "shock: tariff of %s on itself must be 0, got %g",
                          sh->world->country_code[importer], rate);
    sh->tariff[tw_world_ijs(sh->world, exporter, importer, s)] = rate;
    return TW_OK;
}

tw_status tw_shock_set_trade_cost(tw_shock *sh, size_t importer, size_t exporter, size_t s,
                                  double d_hat, tw_err *err)
{
    if (sh == NULL)
        return tw_err_set(err, TW_EINVAL, "shock: NULL shock");
    tw_status st = check_pair(sh, importer, exporter, s, err);
    if (st != TW_OK)
        return st;
    if (!(isfinite(d_hat) && d_hat > 0.0))
        return tw_err_set(err, TW_EINVAL, "shock: trade-cost change %g, expected a finite "
                          "factor > 0", d_hat);
    sh->d_hat[tw_world_ijs(sh->world, exporter, importer, s)] = d_hat;
    return TW_OK;
}

tw_status tw_shock_set_productivity(tw_shock *sh, size_t c, size_t s, double a_hat, tw_err *err)
{
    if (sh == NULL)
        return tw_err_set(err, TW_EINVAL, "shock: NULL shock");
    tw_status st = check_pair(sh, c, c, s, err);
    if (st != TW_OK)
        return st;
    if (!(isfinite(a_hat) && a_hat > 0.0))
        return tw_err_set(err, TW_EINVAL, "shock: productivity change %g, expected a finite "
                          "factor > 0", a_hat);
    sh->a_hat[tw_world_cs(sh->world, c, s)] = a_hat;
    return TW_OK;
}

double tw_shock_tariff(const tw_shock *sh, size_t importer, size_t exporter, size_t s)
{
    return sh->tariff[tw_world_ijs(sh->world, exporter, importer, s)];
}
double tw_shock_trade_cost(const tw_shock *sh, size_t importer, size_t exporter, size_t s)
{
    return sh->d_hat[tw_world_ijs(sh->world, exporter, importer, s)];
}
double tw_shock_productivity(const tw_shock *sh, size_t c, size_t s)
{
    return sh->a_hat[tw_world_cs(sh->world, c, s)];
}
