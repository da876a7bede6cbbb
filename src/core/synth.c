/* SPDX-License-Identifier: MIT */
/*
 * src/core/synth.c: deterministic synthetic worlds for tests and benchmarks.
 *
 * The generator uses splitmix64 (S. Vigna, public domain reference algorithm) so that a seed
 * gives the same world on every platform. Shares are built to satisfy the world invariants
 * (core/world.h) exactly up to rounding: value-added plus input shares per column sum to 1,
 * final-demand shares sum to 1, deficits equal imports minus exports and so sum to 0.
 */
#include <math.h>
#include <stdio.h>

#include "core/alloc.h"
#include "core/world.h"

struct rng {
    unsigned long long s; /* splitmix64 state */
};

static unsigned long long next_u64(struct rng *r)
{
    unsigned long long z = (r->s += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

/* Uniform in [lo, hi). */
static double uniform(struct rng *r, double lo, double hi)
{
    double u = (double)(next_u64(r) >> 11) * 0x1.0p-53;
    return lo + (hi - lo) * u;
}

/* Fill v[0..n) with positive weights summing to total. */
static void random_shares(struct rng *r, double *v, size_t n, size_t stride, double total)
{
    double sum = 0.0;
    for (size_t k = 0; k < n; k++) {
        v[k * stride] = uniform(r, 0.05, 1.0);
        sum += v[k * stride];
    }
    for (size_t k = 0; k < n; k++)
        v[k * stride] *= total / sum;
}

tw_status tw_world_synthetic(size_t n_country, size_t n_sector, unsigned long long seed,
                             tw_world **out, tw_err *err)
{
    if (out == NULL)
        return tw_err_set(err, TW_EINVAL, "synthetic: out is NULL");
    struct tw_world *w = NULL;
    tw_status st = tw_world_alloc(n_country, n_sector, &w, err);
    if (st != TW_OK) {
        *out = NULL;
        return st;
    }
    size_t N = n_country, S = n_sector;
    struct rng r = {seed};
    char buf[32];
    for (size_t c = 0; c < N; c++) {
        snprintf(buf, sizeof buf, "C%03zu", c);
        if ((st = tw_world_set_string(&w->country_code[c], buf, err)) != TW_OK ||
            (st = tw_world_set_string(&w->country_name[c], buf, err)) != TW_OK)
            goto fail;
    }
    for (size_t s = 0; s < S; s++) {
        snprintf(buf, sizeof buf, "S%03zu", s);
        if ((st = tw_world_set_string(&w->sector_code[s], buf, err)) != TW_OK ||
            (st = tw_world_set_string(&w->sector_name[s], buf, err)) != TW_OK)
            goto fail;
        w->tradable[s] = (S == 1) || (double)s < 0.7 * (double)S;
        w->theta[s] = uniform(&r, 3.0, 10.0);
    }
    if ((st = tw_world_set_string(&w->meta_name, "synthetic world", err)) != TW_OK ||
        (st = tw_world_set_string(&w->meta_currency, "USD", err)) != TW_OK ||
        (st = tw_world_set_string(&w->meta_source, "tw_world_synthetic", err)) != TW_OK)
        goto fail;
    double *size = tw_alloc_doubles(N), *pos = tw_alloc_doubles(N);
    if (size == NULL || pos == NULL) {
        tw_free(size);
        tw_free(pos);
        st = tw_err_set(err, TW_ENOMEM, "synthetic: out of memory");
        goto fail;
    }
    for (size_t c = 0; c < N; c++) {
        size[c] = exp(uniform(&r, 0.0, 4.0)) * 1e9;
        pos[c] = uniform(&r, 0.0, 10.0);
    }
    for (size_t s = 0; s < S; s++)
        for (size_t j = 0; j < N; j++)
            for (size_t i = 0; i < N; i++) {
                size_t k = tw_world_ijs(w, i, j, s);
                if (i == j) {
                    w->flow[k] = size[i] * uniform(&r, 2.0, 6.0);
                } else if (w->tradable[s]) {
                    double dist = fabs(pos[i] - pos[j]) + 1.0;
                    w->flow[k] = size[i] * size[j] / 1e10 / dist * uniform(&r, 0.2, 1.0);
                    w->tariff[k] = uniform(&r, 0.02, 0.15);
                }
            }
    tw_free(size);
    tw_free(pos);
    for (size_t c = 0; c < N; c++) {
        random_shares(&r, w->alpha + c * S, S, 1, 1.0);
        for (size_t s = 0; s < S; s++) {
            double va = uniform(&r, 0.3, 0.6);
            w->va_share[c * S + s] = va;
            random_shares(&r, w->io + c * S * S + s, S, S, 1.0 - va);
        }
    }
    for (size_t c = 0; c < N; c++)
        w->deficit[c] = tw_world_imports(w, c) - tw_world_exports(w, c);
    *out = w;
    return TW_OK;
fail:
    tw_world_free(w);
    *out = NULL;
    return st;
}
