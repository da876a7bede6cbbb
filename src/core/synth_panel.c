/* SPDX-License-Identifier: MIT */
/*
 * src/core/synth_panel.c: deterministic synthetic gravity panels drawn from a known PPML
 * data-generating process (tradewar.h, tw_synth_panel_*), for the estimation tests and the
 * benchmarks of docs/performance.md.
 *
 * Random numbers: splitmix64 (S. Vigna, public-domain reference algorithm), normals by
 * Box-Muller, Poisson draws by multiplication of uniforms (Knuth) for means up to
 * TW_SYNTH_POISSON_EXACT and by the rounded normal approximation, truncated at 0, above (its
 * mean differs from the Poisson mean by far less than the sampling noise of a panel).
 * Draw order: country parameters, then pairs (i < j: RTA start; ordered pairs: noise), then
 * rows in output order; so a seed fixes the whole panel.
 */
#include <math.h>
#include <string.h>
#include <stdbool.h>

#include "core/alloc.h"
#include "core/synth_panel.h"

/* Largest Poisson mean drawn exactly. */
#define TW_SYNTH_POISSON_EXACT 30.0
/* Share of (unordered) pairs that sign an RTA during the panel. */
#define TW_SYNTH_RTA_SHARE 0.3
/* Standard deviation of the pair noise u_ij. */
#define TW_SYNTH_PAIR_SD 0.5
/* Locations within this distance (unit square) are contiguous. */
#define TW_SYNTH_CNTG_RADIUS 0.08

struct rng {
    unsigned long long s;
};

static unsigned long long next_u64(struct rng *r)
{
    unsigned long long z = (r->s += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

/* Uniform in (0, 1). */
static double unif(struct rng *r)
{
    return ((double)(next_u64(r) >> 11) + 0.5) * 0x1.0p-53;
}

static double normal(struct rng *r)
{
    double u1 = unif(r), u2 = unif(r);
    return sqrt(-2.0 * log(u1)) * cos(6.283185307179586 * u2);
}

static double poisson(struct rng *r, double mean)
{
    if (mean > TW_SYNTH_POISSON_EXACT) {
        double v = floor(mean + sqrt(mean) * normal(r) + 0.5);
        return v > 0.0 ? v : 0.0;
    }
    double l = exp(-mean), p = unif(r);
    double k = 0.0;
    while (p > l) {
        p *= unif(r);
        k += 1.0;
    }
    return k;
}

void tw_synth_panel_opts_init(tw_synth_panel_opts *o)
{
    memset(o, 0, sizeof *o); /* every field, including any added later */
    o->n_country = 50;
    o->n_year = 10;
    o->seed = 1;
    o->b_ln_dist = -0.8;
    o->b_cntg = 0.4;
    o->b_rta = 0.5;
}

void tw_synth_panel_free(tw_synth_panel *p)
{
    if (p == NULL)
        return;
    tw_free(p->exp);
    tw_free(p->imp);
    tw_free(p->year);
    tw_free(p->trade);
    tw_free(p->ln_dist);
    tw_free(p->cntg);
    tw_free(p->rta);
    tw_free(p->exp_year);
    tw_free(p->imp_year);
    tw_free(p->pair);
    tw_free(p);
}

size_t tw_synth_panel_n_obs(const tw_synth_panel *p)
{
    return p->n;
}

static const char *const names2[3] = {"ln_dist", "cntg", "rta"};
static const char *const names3[1] = {"rta"};
static const char *const fe_names[3] = {"exporter^year", "importer^year", "exporter^importer"};
static const char *const cl_names[1] = {"exporter^importer"};

static void fill_data(tw_synth_panel *p)
{
    p->x2[0] = p->ln_dist;
    p->x2[1] = p->cntg;
    p->x2[2] = p->rta;
    p->x3[0] = p->rta;
    p->fe[0] = p->exp_year;
    p->fe[1] = p->imp_year;
    p->fe[2] = p->pair;
    p->fe_levels[0] = p->lv_exp_year;
    p->fe_levels[1] = p->lv_imp_year;
    p->fe_levels[2] = p->lv_pair;
    p->cl[0] = p->pair;
    p->cl_levels[0] = p->lv_pair;
    tw_ppml_data d = {0};
    d.n_obs = p->n;
    d.y = p->trade;
    d.fe = p->fe;
    d.fe_levels = p->fe_levels;
    d.fe_names = fe_names;
    d.n_cluster = 1;
    d.cluster = p->cl;
    d.cluster_levels = p->cl_levels;
    d.cluster_names = cl_names;
    p->d2 = d;
    p->d2.n_x = 3;
    p->d2.x = p->x2;
    p->d2.x_names = names2;
    p->d2.n_fe = 2;
    p->d3 = d;
    p->d3.n_x = 1;
    p->d3.x = p->x3;
    p->d3.x_names = names3;
    p->d3.n_fe = 3;
}

const tw_ppml_data *tw_synth_panel_data(const tw_synth_panel *p, bool pair_fe)
{
    return pair_fe ? &p->d3 : &p->d2;
}

tw_status tw_synth_panel_new(const tw_synth_panel_opts *o, tw_synth_panel **out, tw_err *err)
{
    if (out == NULL || o == NULL)
        return tw_err_set(err, TW_EINVAL, "synth-panel: NULL argument");
    *out = NULL;
    size_t N = o->n_country, T = o->n_year;
    if (N < 2 || N > 5000 || T < 1 || T > 200)
        return tw_err_set(err, TW_EINVAL, "synth-panel: need 2..5000 countries and 1..200 "
                          "years, got %zu and %zu", N, T);
    if (!isfinite(o->b_ln_dist) || !isfinite(o->b_cntg) || !isfinite(o->b_rta))
        return tw_err_set(err, TW_EINVAL, "synth-panel: coefficients must be finite");
    tw_synth_panel *p = tw_calloc(1, sizeof *p);
    double *cx = NULL, *cy = NULL, *size_e = NULL, *size_m = NULL, *tr_e = NULL, *tr_m = NULL;
    double *start = NULL, *noise = NULL;
    if (p == NULL)
        return tw_err_set(err, TW_ENOMEM, "synth-panel: out of memory");
    size_t n = N * (N - 1) * T;
    p->n_country = N;
    p->n_year = T;
    p->n = n;
    p->exp = tw_malloc_big(n * sizeof(int32_t));
    p->imp = tw_malloc_big(n * sizeof(int32_t));
    p->year = tw_malloc_big(n * sizeof(int32_t));
    p->exp_year = tw_malloc_big(n * sizeof(int32_t));
    p->imp_year = tw_malloc_big(n * sizeof(int32_t));
    p->pair = tw_malloc_big(n * sizeof(int32_t));
    p->trade = tw_malloc_big(n * sizeof(double));
    p->ln_dist = tw_malloc_big(n * sizeof(double));
    p->cntg = tw_malloc_big(n * sizeof(double));
    p->rta = tw_malloc_big(n * sizeof(double));
    cx = tw_alloc_doubles(N);
    cy = tw_alloc_doubles(N);
    size_e = tw_alloc_doubles(N);
    size_m = tw_alloc_doubles(N);
    tr_e = tw_alloc_doubles(N);
    tr_m = tw_alloc_doubles(N);
    start = tw_alloc_doubles(N * N);
    noise = tw_alloc_doubles(N * N);
    tw_status st = TW_OK;
    if (!p->exp || !p->imp || !p->year || !p->exp_year || !p->imp_year || !p->pair ||
        !p->trade || !p->ln_dist || !p->cntg || !p->rta || !cx || !cy || !size_e || !size_m ||
        !tr_e || !tr_m || !start || !noise) {
        st = tw_err_set(err, TW_ENOMEM, "synth-panel: out of memory (%zu rows)", n);
        goto done;
    }
    struct rng r = {o->seed};
    for (size_t i = 0; i < N; i++) {
        cx[i] = unif(&r);
        cy[i] = unif(&r);
        double sz = 1.2 * normal(&r);
        size_e[i] = sz + 0.3 * normal(&r);
        size_m[i] = sz + 0.3 * normal(&r);
        tr_e[i] = 0.03 * normal(&r);
        tr_m[i] = 0.03 * normal(&r);
    }
    /* RTA start year (index; beyond the panel = never), symmetric. */
    for (size_t i = 0; i < N; i++)
        for (size_t j = i + 1; j < N; j++) {
            double u = unif(&r), v = unif(&r);
            double s = u < TW_SYNTH_RTA_SHARE ? floor(v * 1.5 * (double)T) : HUGE_VAL;
            start[i * N + j] = start[j * N + i] = s;
        }
    for (size_t i = 0; i < N; i++)
        for (size_t j = 0; j < N; j++)
            noise[i * N + j] = i == j ? 0.0 : TW_SYNTH_PAIR_SD * normal(&r);
    size_t o_ = 0, pr = 0;
    for (size_t i = 0; i < N; i++)
        for (size_t j = 0; j < N; j++) {
            if (i == j)
                continue;
            double dx = cx[i] - cx[j], dy = cy[i] - cy[j], e = sqrt(dx * dx + dy * dy);
            double ld = log(100.0 + 10000.0 * e);
            double cg = e < TW_SYNTH_CNTG_RADIUS ? 1.0 : 0.0;
            for (size_t t = 0; t < T; t++, o_++) {
                double rt = (double)t >= start[i * N + j] ? 1.0 : 0.0;
                double tc = (double)t - 0.5 * (double)(T - 1);
                double eta = 8.0 + size_e[i] + tr_e[i] * tc + size_m[j] + tr_m[j] * tc +
                             o->b_ln_dist * ld + o->b_cntg * cg + noise[i * N + j] +
                             o->b_rta * rt;
                p->exp[o_] = (int32_t)i;
                p->imp[o_] = (int32_t)j;
                p->year[o_] = (int32_t)t;
                p->exp_year[o_] = (int32_t)(i * T + t);
                p->imp_year[o_] = (int32_t)(j * T + t);
                p->pair[o_] = (int32_t)pr;
                p->ln_dist[o_] = ld;
                p->cntg[o_] = cg;
                p->rta[o_] = rt;
                p->trade[o_] = poisson(&r, exp(eta));
            }
            pr++;
        }
    p->lv_exp_year = N * T;
    p->lv_imp_year = N * T;
    p->lv_pair = pr;
    fill_data(p);
done:
    tw_free(cx);
    tw_free(cy);
    tw_free(size_e);
    tw_free(size_m);
    tw_free(tr_e);
    tw_free(tr_m);
    tw_free(start);
    tw_free(noise);
    if (st != TW_OK) {
        tw_synth_panel_free(p);
        return st;
    }
    *out = p;
    return TW_OK;
}
