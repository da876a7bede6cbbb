/* SPDX-License-Identifier: MIT */
/*
 * tests/unit/test_ppml.c: PPML with fixed effects (src/estim) against a dense reference, in
 * the manner of fixest's ESTIMATION tests: plain IRLS on the explicit dummy-variable design,
 * each weighted least-squares step solved by LAPACK (dgelsd), on small generated data with
 * one-, two- and three-way FE, with and without prior weights, an offset, a separated FE
 * level, a collinear regressor and clustered standard errors. Then the Advanced Guide's
 * chapter 1 numbers on the shared AGTPA panel (skipped when the data is absent, unless
 * CI=true).
 *
 * Tolerances: the estimator runs with tol 1e-13 and tol_demean 1e-13; coefficients, SEs,
 * deviance and the per-observation FE sums must agree with the reference to 1e-8 relative.
 */
#include <lapacke.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include <cmocka.h>

#include "tradewar/tradewar.h"
#include "twtest.h"

/* Allocation-failure hook of the library (core/alloc.h; fault-injection builds). */
void tw_fault_alloc_fail_at(long n);
int tw_fault_alloc_triggered(void);

#define NOBS 240
#define KMAX 4
#define GMAX 4

struct gen {
    size_t n, K, G;
    double y[NOBS], x[KMAX][NOBS], w[NOBS], off[NOBS];
    int32_t fe[GMAX][NOBS];
    size_t levels[GMAX];
    bool use_w, use_off;
    const double *xp[KMAX];
    const int32_t *fep[GMAX];
    const char *xn[KMAX];
    int32_t cl[NOBS];
    size_t cl_levels;
    const int32_t *clp[1];
    tw_ppml_data d;
};

static uint64_t rng_state;

static double unif(void)
{
    rng_state = rng_state * 6364136223846793005ULL + 1442695040888963407ULL;
    return (double)(rng_state >> 11) * (1.0 / 9007199254740992.0);
}

static void generate(struct gen *g, size_t G, bool use_w, bool use_off, uint64_t seed)
{
    static const size_t lev[GMAX] = {9, 7, 5, 4};
    memset(g, 0, sizeof *g);
    rng_state = seed;
    g->n = NOBS;
    g->K = 2;
    g->G = G;
    g->use_w = use_w;
    g->use_off = use_off;
    for (size_t h = 0; h < G; h++)
        g->levels[h] = lev[h];
    for (size_t i = 0; i < NOBS; i++) {
        double eta = 0.5;
        for (size_t h = 0; h < G; h++) {
            g->fe[h][i] = (int32_t)(i % lev[h] == 0 ? i / lev[h] % lev[h]
                                                    : (size_t)(unif() * (double)lev[h]));
            eta += 0.3 * sin(1.0 + (double)g->fe[h][i] * (double)(h + 1));
        }
        g->x[0][i] = unif() * 2.0 - 1.0;
        g->x[1][i] = (unif() < 0.3) ? 1.0 : 0.0;
        g->w[i] = 0.5 + 1.5 * unif();
        g->off[i] = use_off ? 0.2 * (unif() - 0.5) : 0.0;
        eta += 0.7 * g->x[0][i] - 0.4 * g->x[1][i] + g->off[i];
        double u = unif();
        g->y[i] = u < 0.25 ? 0.0 : exp(eta) * (0.3 + 1.4 * unif());
        g->cl[i] = (int32_t)(i / 6);
    }
    g->cl_levels = NOBS / 6;
}

static void finish(struct gen *g)
{
    static const char *nm[KMAX] = {"x1", "x2", "x3", "x4"};
    for (size_t k = 0; k < g->K; k++) {
        g->xp[k] = g->x[k];
        g->xn[k] = nm[k];
    }
    for (size_t h = 0; h < g->G; h++)
        g->fep[h] = g->fe[h];
    g->clp[0] = g->cl;
    g->d = (tw_ppml_data){.n_obs = g->n, .y = g->y, .n_x = g->K, .x = g->xp, .x_names = g->xn,
                          .n_fe = g->G, .fe = g->fep, .fe_levels = g->levels,
                          .weights = g->use_w ? g->w : NULL,
                          .offset = g->use_off ? g->off : NULL, .n_cluster = 1,
                          .cluster = g->clp, .cluster_levels = &g->cl_levels};
}

/* ---- dense reference ------------------------------------------------------------------ */

struct ref {
    size_t n, p, K;        /* rows used, columns of D, regressors kept (first columns) */
    double beta[KMAX], se[KMAX], dev;
    double eta_fe[NOBS];   /* sum of FE on each used row (eta - offset - x'beta) */
    size_t rows[NOBS];     /* used rows */
};

/*
 * Plain IRLS on D = [x kept | dummies: every level of dim 0 with rows, levels 2.. of the
 * others], rows with used[i]; `keep_x[k]` selects regressors. Robust (HC0 x n/(n-1)) or
 * clustered (G/(G-1)) SEs from the full sandwich, beta block.
 */
static void reference(const struct gen *g, const bool *used, const bool *keep_x, bool cluster,
                      struct ref *r)
{
    memset(r, 0, sizeof *r);
    for (size_t i = 0; i < g->n; i++)
        if (used[i])
            r->rows[r->n++] = i;
    size_t n = r->n;
    /* columns */
    int colmap[GMAX][64];
    size_t p = 0;
    for (size_t k = 0; k < g->K; k++)
        if (keep_x[k])
            p++;
    r->K = p;
    for (size_t h = 0; h < g->G; h++) {
        bool present[64] = {false};
        for (size_t j = 0; j < n; j++)
            present[g->fe[h][r->rows[j]]] = true;
        bool first = true;
        for (size_t l = 0; l < g->levels[h]; l++) {
            colmap[h][l] = -1;
            if (!present[l])
                continue;
            if (h > 0 && first) {
                first = false;
                continue;
            }
            first = false;
            colmap[h][l] = (int)p++;
        }
    }
    r->p = p;
    double *D = calloc(n * p, sizeof(double));      /* column-major n x p */
    for (size_t j = 0; j < n; j++) {
        size_t i = r->rows[j], c = 0;
        for (size_t k = 0; k < g->K; k++)
            if (keep_x[k])
                D[c++ * n + j] = g->x[k][i];
        for (size_t h = 0; h < g->G; h++) {
            int col = colmap[h][g->fe[h][i]];
            if (col >= 0)
                D[(size_t)col * n + j] = 1.0;
        }
    }
    double *mu = malloc(n * sizeof(double)), *eta = malloc(n * sizeof(double));
    double *A = malloc(n * p * sizeof(double)), *bvec = malloc((n > p ? n : p) * sizeof(double));
    double *coef = calloc(p, sizeof(double)), *sv = malloc(p * sizeof(double));
    double ybar = 0.0, sw = 0.0;
    for (size_t j = 0; j < n; j++) {
        size_t i = r->rows[j];
        double pw = g->use_w ? g->w[i] : 1.0;
        ybar += pw * g->y[i];
        sw += pw;
    }
    ybar /= sw;
    for (size_t j = 0; j < n; j++) {
        mu[j] = 0.5 * (g->y[r->rows[j]] + ybar);
        eta[j] = log(mu[j]);
    }
    double dev_old = HUGE_VAL;
    for (int it = 0; it < 200; it++) {
        for (size_t j = 0; j < n; j++) {
            size_t i = r->rows[j];
            double pw = g->use_w ? g->w[i] : 1.0, off = g->use_off ? g->off[i] : 0.0;
            double sq = sqrt(pw * mu[j]);
            double z = eta[j] - off + (g->y[i] - mu[j]) / mu[j];
            bvec[j] = sq * z;
            for (size_t c = 0; c < p; c++)
                A[c * n + j] = sq * D[c * n + j];
        }
        lapack_int rank;
        lapack_int info = LAPACKE_dgelsd(LAPACK_COL_MAJOR, (lapack_int)n, (lapack_int)p, 1, A,
                                         (lapack_int)n, bvec, (lapack_int)n, sv, 1e-12, &rank);
        assert_int_equal(info, 0);
        double dev = 0.0;
        for (size_t j = 0; j < n; j++) {
            size_t i = r->rows[j];
            double pw = g->use_w ? g->w[i] : 1.0, off = g->use_off ? g->off[i] : 0.0;
            double e = off;
            for (size_t c = 0; c < p; c++)
                e += D[c * n + j] * bvec[c];
            eta[j] = e;
            mu[j] = exp(e);
            double y = g->y[i];
            dev += 2.0 * pw * (y > 0.0 ? y * log(y / mu[j]) - (y - mu[j]) : mu[j]);
        }
        memcpy(coef, bvec, p * sizeof(double));
        if (fabs(dev - dev_old) / (0.1 + fabs(dev)) < 1e-15) {
            dev_old = dev;
            break;
        }
        dev_old = dev;
    }
    r->dev = dev_old;
    /* Sandwich with the full design: H = D'WD, scores pw (y - mu) D. */
    double *H = calloc(p * p, sizeof(double)), *M = calloc(p * p, sizeof(double));
    size_t ncl = g->cl_levels;
    double *S = calloc((cluster ? ncl : n) * p, sizeof(double));
    for (size_t j = 0; j < n; j++) {
        size_t i = r->rows[j];
        double pw = g->use_w ? g->w[i] : 1.0;
        double s = pw * (g->y[i] - mu[j]);
        size_t row = cluster ? (size_t)g->cl[i] : j;
        for (size_t a = 0; a < p; a++) {
            S[row * p + a] += s * D[a * n + j];
            for (size_t b = 0; b < p; b++)
                H[a * p + b] += pw * mu[j] * D[a * n + j] * D[b * n + j];
        }
    }
    size_t nrow = cluster ? ncl : n, Gc = 0;
    for (size_t q = 0; q < nrow; q++) {
        bool any = false;
        for (size_t a = 0; a < p; a++)
            any = any || S[q * p + a] != 0.0;
        Gc += any;
        for (size_t a = 0; a < p; a++)
            for (size_t b = 0; b < p; b++)
                M[a * p + b] += S[q * p + a] * S[q * p + b];
    }
    if (cluster) { /* count clusters with rows, not with nonzero scores */
        bool seen[NOBS] = {false};
        Gc = 0;
        for (size_t j = 0; j < n; j++)
            if (!seen[g->cl[r->rows[j]]]) {
                seen[g->cl[r->rows[j]]] = true;
                Gc++;
            }
    }
    lapack_int ipiv[NOBS];
    assert_int_equal(LAPACKE_dgetrf(LAPACK_ROW_MAJOR, (lapack_int)p, (lapack_int)p, H,
                                    (lapack_int)p, ipiv), 0);
    assert_int_equal(LAPACKE_dgetri(LAPACK_ROW_MAJOR, (lapack_int)p, H, (lapack_int)p, ipiv), 0);
    double fac = cluster ? (double)Gc / (double)(Gc - 1) : (double)n / (double)(n - 1);
    for (size_t k = 0; k < r->K; k++) {
        double v = 0.0;
        for (size_t a = 0; a < p; a++)
            for (size_t b = 0; b < p; b++)
                v += H[k * p + a] * M[a * p + b] * H[b * p + k];
        r->beta[k] = coef[k];
        r->se[k] = sqrt(fac * v);
    }
    for (size_t j = 0; j < n; j++) {
        double e = 0.0;
        for (size_t c = r->K; c < p; c++)
            e += D[c * n + j] * coef[c];
        r->eta_fe[j] = e;
    }
    free(D), free(mu), free(eta), free(A), free(bvec), free(coef), free(sv), free(H), free(M),
        free(S);
}

static void expect_close(double got, double want, double rtol, const char *what)
{
    double d = fabs(got - want), lim = rtol * (1.0 + fabs(want));
    if (!(d <= lim)) {
        fail_msg("%s: got %.15g, want %.15g (|diff| %.3g > %.3g)", what, got, want, d, lim);
    }
}

static void tight(tw_ppml_opts *o)
{
    tw_ppml_opts_init(o);
    o->tol = 1e-13;
    o->tol_demean = 1e-13;
}

/* Fit and compare with the reference. */
static void compare(struct gen *g, bool cluster, size_t expect_dropped, const bool *keep_x)
{
    finish(g);
    tw_ppml_opts o;
    tight(&o);
    o.vcov = cluster ? TW_VCOV_CLUSTER : TW_VCOV_HETERO;
    tw_ppml *p = NULL;
    tw_err err = {0};
    tw_status st = tw_ppml_new(&g->d, &o, &p, &err);
    if (st < 0 || st == TW_NOT_CONVERGED)
        fail_msg("tw_ppml_new: %s", err.msg);
    assert_true(tw_ppml_converged(p));
    assert_int_equal(tw_ppml_n_dropped(p), expect_dropped);
    bool all_x[KMAX] = {true, true, true, true};
    if (keep_x == NULL)
        keep_x = all_x;
    assert_int_equal(st, expect_dropped > 0 || memcmp(keep_x, all_x, g->K) != 0 ? TW_DROPPED
                                                                                 : TW_OK);
    struct ref r;
    reference(g, tw_ppml_obs_used(p), keep_x, cluster, &r);
    assert_int_equal(tw_ppml_n_obs(p), r.n);
    size_t c = 0;
    for (size_t k = 0; k < g->K; k++) {
        if (!keep_x[k]) {
            assert_true(tw_ppml_coef_dropped(p, k));
            assert_true(isnan(tw_ppml_coef(p)[k]));
            continue;
        }
        expect_close(tw_ppml_coef(p)[k], r.beta[c], 1e-8, "coefficient");
        expect_close(tw_ppml_se(p)[k], r.se[c], 1e-7, "standard error");
        c++;
    }
    expect_close(tw_ppml_deviance(p), r.dev, 1e-9, "deviance");
    const double *fs = tw_ppml_fe_sum(p);
    for (size_t j = 0; j < r.n; j++)
        expect_close(fs[r.rows[j]], r.eta_fe[j], 1e-7, "FE sum");
    /* The FE values reproduce the sum on every used observation. */
    for (size_t j = 0; j < r.n; j++) {
        size_t i = r.rows[j];
        double s = 0.0;
        for (size_t h = 0; h < g->G; h++)
            s += tw_ppml_fe_values(p, h)[g->fe[h][i]];
        expect_close(s, fs[i], 1e-7, "FE values");
    }
    tw_ppml_free(p);
}

/* The designs compared with the dense reference: FE dimensions, prior weights, offset,
 * clustered SEs, seed. Four dimensions take fe.c's generic sweep (sweeps by runs serve two
 * and three). */
struct dense_case {
    size_t G;
    bool use_w, use_off, cluster;
    uint64_t seed;
};

/* One-, two-, three- and four-way FE against the dense reference. */
static void test_against_dense(void **state)
{
    (void)state;
    static const struct dense_case c[] = {
        {1, false, false, false, 11}, {1, true, false, false, 12},
        {2, false, false, false, 21}, {2, true, true, false, 22}, {2, false, false, true, 23},
        {3, false, false, false, 31}, {3, true, false, true, 32},
        {4, false, false, false, 33}, {4, true, true, true, 34},
    };
    struct gen g;
    for (size_t k = 0; k < sizeof c / sizeof c[0]; k++) {
        generate(&g, c[k].G, c[k].use_w, c[k].use_off, c[k].seed);
        compare(&g, c[k].cluster, 0, NULL);
    }
}

/*
 * Metamorphic: the estimator orders the observations by its largest FE dimension internally,
 * so the caller's row order must not matter beyond rounding. Reverse-interleaved rows give
 * the same coefficients, SEs, deviance, FE values and per-row fitted values.
 */
static void test_row_order(void **state)
{
    (void)state;
    static struct gen a, b;
    for (size_t G = 1; G <= 4; G++) {
        generate(&a, G, true, G == 2, 60 + G);
        b = a;
        size_t perm[NOBS];
        for (size_t i = 0; i < NOBS; i++)
            perm[i] = (i * 97 + 13) % NOBS; /* 97 is prime to 240: a permutation */
        for (size_t i = 0; i < NOBS; i++) {
            size_t s = perm[i];
            b.y[i] = a.y[s];
            b.w[i] = a.w[s];
            b.off[i] = a.off[s];
            b.cl[i] = a.cl[s];
            for (size_t k = 0; k < a.K; k++)
                b.x[k][i] = a.x[k][s];
            for (size_t h = 0; h < G; h++)
                b.fe[h][i] = a.fe[h][s];
        }
        finish(&a);
        finish(&b);
        tw_ppml_opts o;
        tight(&o);
        o.vcov = TW_VCOV_CLUSTER;
        tw_ppml *pa = NULL, *pb = NULL;
        tw_err err = {0};
        assert_true(tw_ppml_new(&a.d, &o, &pa, &err) >= 0);
        assert_true(tw_ppml_new(&b.d, &o, &pb, &err) >= 0);
        for (size_t k = 0; k < a.K; k++) {
            expect_close(tw_ppml_coef(pb)[k], tw_ppml_coef(pa)[k], 1e-10, "coefficient");
            expect_close(tw_ppml_se(pb)[k], tw_ppml_se(pa)[k], 1e-9, "standard error");
        }
        expect_close(tw_ppml_deviance(pb), tw_ppml_deviance(pa), 1e-11, "deviance");
        for (size_t i = 0; i < NOBS; i++) {
            expect_close(tw_ppml_fitted(pb)[i], tw_ppml_fitted(pa)[perm[i]], 1e-9, "fitted");
            expect_close(tw_ppml_fe_sum(pb)[i], tw_ppml_fe_sum(pa)[perm[i]], 1e-9, "FE sum");
        }
        for (size_t h = 0; h < G; h++)
            for (size_t l = 0; l < a.levels[h]; l++)
                expect_close(tw_ppml_fe_values(pb, h)[l], tw_ppml_fe_values(pa, h)[l], 1e-8,
                             "FE value");
        tw_ppml_free(pa);
        tw_ppml_free(pb);
    }
}

/* A level of dimension 0 whose outcomes are all zero: its rows are dropped and reported. */
static void test_separation(void **state)
{
    (void)state;
    struct gen g;
    generate(&g, 2, false, false, 41);
    size_t zeros = 0;
    for (size_t i = 0; i < g.n; i++)
        if (g.fe[0][i] == 3) {
            g.y[i] = 0.0;
            zeros++;
        }
    assert_true(zeros > 0);
    compare(&g, false, zeros, NULL);
    finish(&g);
    tw_ppml *p = NULL;
    tw_err err = {0};
    assert_int_equal(tw_ppml_new(&g.d, NULL, &p, &err), TW_DROPPED);
    assert_int_equal(tw_ppml_n_dropped_separated(p), zeros);
    assert_true(isnan(tw_ppml_fe_values(p, 0)[3]));
    assert_int_equal(tw_ppml_fe_n_used(p, 0), g.levels[0] - 1);
    tw_ppml_free(p);
}

/* A regressor constant within the levels of dimension 0 is collinear with the FE. */
static void test_collinear(void **state)
{
    (void)state;
    struct gen g;
    generate(&g, 2, false, false, 51);
    g.K = 3;
    for (size_t i = 0; i < g.n; i++)
        g.x[2][i] = g.x[1][i];
    for (size_t i = 0; i < g.n; i++)
        g.x[1][i] = 0.5 * (double)g.fe[0][i] - 1.0;
    bool keep[KMAX] = {true, false, true, true};
    compare(&g, false, 0, keep);
}

static void test_bad_input(void **state)
{
    (void)state;
    struct gen g;
    generate(&g, 2, false, false, 61);
    finish(&g);
    tw_ppml *p = NULL;
    tw_err err = {0};
    g.y[5] = -1.0;
    assert_int_equal(tw_ppml_new(&g.d, NULL, &p, &err), TW_EINVAL);
    assert_null(p);
    twtest_expect_prefix(err.msg, "ppml: observation 6: outcome -1");
    g.y[5] = 1.0;
    g.fe[1][7] = 99;
    assert_int_equal(tw_ppml_new(&g.d, NULL, &p, &err), TW_EINVAL);
    g.fe[1][7] = 0;
    for (size_t i = 0; i < g.n; i++)
        g.y[i] = 0.0;
    assert_int_equal(tw_ppml_new(&g.d, NULL, &p, &err), TW_EINVAL);
    assert_null(p);
    tw_ppml_free(NULL);
}

/* Fail each allocation of one estimation in turn (weights, three FE dimensions): it must
 * return TW_ENOMEM with no result and nothing leaked (checked by ASan in CI), until no
 * allocation fails and the fit succeeds. */
static void test_allocation_failures(void **state)
{
    (void)state;
    struct gen g;
    generate(&g, 3, true, false, 29);
    finish(&g);
    tw_ppml_opts o;
    tw_ppml_opts_init(&o);
    for (long n = 1;; n++) {
        tw_ppml *p = NULL;
        tw_err err = {0};
        tw_fault_alloc_fail_at(n);
        tw_status st = tw_ppml_new(&g.d, &o, &p, &err);
        int hit = tw_fault_alloc_triggered();
        tw_fault_alloc_fail_at(0);
        if (!hit) {
            assert_true(st == TW_OK || st == TW_DROPPED);
            assert_non_null(p);
            tw_ppml_free(p);
            assert_true(n > 5);
            break;
        }
        assert_int_equal(st, TW_ENOMEM);
        assert_null(p);
    }
}

/* Non-convergence is a status with results, never a silent result. */
static void test_not_converged(void **state)
{
    (void)state;
    struct gen g;
    generate(&g, 2, false, false, 71);
    finish(&g);
    tw_ppml_opts o;
    tw_ppml_opts_init(&o);
    o.max_iter = 1;
    tw_ppml *p = NULL;
    tw_err err = {0};
    assert_int_equal(tw_ppml_new(&g.d, &o, &p, &err), TW_NOT_CONVERGED);
    assert_non_null(p);
    assert_false(tw_ppml_converged(p));
    twtest_expect_prefix(err.msg, "ppml: not converged after 1 iterations");
    tw_ppml_free(p);
}

/* ---- the Advanced Guide, chapter 1 --------------------------------------------------- */

/* Write the rows of the master panel with year in 1986, 1990, ..., 2006 (and international
 * only when intl) to path. Columns: exporter,importer,pair_id,year,... */
static void write_subset(const char *gz_path, const char *path, bool intl)
{
    gzFile in = gzopen(gz_path, "rb");
    assert_non_null(in);
    FILE *out = fopen(path, "w");
    assert_non_null(out);
    char line[4096];
    bool header = true;
    while (gzgets(in, line, sizeof line) != NULL) {
        if (header) {
            fputs(line, out);
            header = false;
            continue;
        }
        char exp[16], imp[16];
        long pair, year;
        if (sscanf(line, "\"%15[^\"]\",\"%15[^\"]\",%ld,%ld", exp, imp, &pair, &year) != 4)
            fail_msg("unexpected line: %s", line);
        if ((year - 1986) % 4 != 0 || (intl && strcmp(exp, imp) == 0))
            continue;
        fputs(line, out);
    }
    gzclose(in);
    assert_int_equal(fclose(out), 0);
}

static void test_agtpa_table1(void **state)
{
    (void)state;
    char gz[TWTEST_PATH], dir[TWTEST_PATH], path[TWTEST_PATH];
    twtest_shared("agtpa/agtpa_panel_1986_2006.csv.gz", gz);
    twtest_tmpdir(dir);
    twtest_join(dir, "ch1.csv", path);
    write_subset(gz, path, true);
    tw_panel_opts po;
    tw_panel_opts_init(&po);
    po.cluster = "pair_id";
    tw_panel *panel = NULL;
    tw_err err = {0};
    tw_status st = tw_panel_read(path, "trade ~ log(dist) + cntg + lang + clny | exporter^year "
                                       "+ importer^year", &po, &panel, &err);
    if (st != TW_OK)
        fail_msg("%s", err.msg);
    tw_ppml_opts o;
    tw_ppml_opts_init(&o);
    o.vcov = TW_VCOV_CLUSTER;
    tw_ppml *p = NULL;
    st = tw_ppml_new(tw_panel_data(panel), &o, &p, &err);
    assert_int_equal(st, TW_OK);
    assert_int_equal(tw_ppml_n_obs(p), 28152);
    /* The book, Table 1 (p. 42): -0.841 (0.032), 0.437 (0.083), 0.247 (0.077), -0.222
     * (0.116); rounded to 3 decimals. */
    static const double b[] = {-0.841, 0.437, 0.247, -0.222}, se[] = {0.032, 0.083, 0.077,
                                                                      0.116};
    for (size_t k = 0; k < 4; k++) {
        expect_close(tw_ppml_coef(p)[k], b[k], 0.0005 / (1.0 + fabs(b[k])), "AGTPA coefficient");
        expect_close(tw_ppml_se(p)[k], se[k], 0.0005 / (1.0 + se[k]), "AGTPA SE");
    }
    fprintf(stderr, "agtpa table 1: ln DIST %.7f (%.7f), %zu IRLS iterations\n",
            tw_ppml_coef(p)[0], tw_ppml_se(p)[0], tw_ppml_iterations(p));
    tw_ppml_free(p);
    tw_panel_free(panel);
    twtest_rmtree(dir);
}

static void test_agtpa_rta_pair_fe(void **state)
{
    (void)state;
    char gz[TWTEST_PATH], dir[TWTEST_PATH], path[TWTEST_PATH];
    twtest_shared("agtpa/agtpa_panel_1986_2006.csv.gz", gz);
    twtest_tmpdir(dir);
    twtest_join(dir, "ch1_all.csv", path);
    write_subset(gz, path, false);
    tw_panel_opts po;
    tw_panel_opts_init(&po);
    po.cluster = "pair_id";
    tw_panel *panel = NULL;
    tw_err err = {0};
    tw_status st = tw_panel_read(path, "trade ~ rta | exporter^year + importer^year + pair_id",
                                 &po, &panel, &err);
    if (st != TW_OK)
        fail_msg("%s", err.msg);
    tw_ppml_opts o;
    tw_ppml_opts_init(&o);
    o.vcov = TW_VCOV_CLUSTER;
    tw_ppml *p = NULL;
    st = tw_ppml_new(tw_panel_data(panel), &o, &p, &err);
    assert_int_equal(st, TW_DROPPED);
    /* gravity.md 2.6 / 5: 7 all-zero pairs x 2 directions x 6 years = 84 dropped, N = 28,482;
     * RTA 0.5571853 (Stata log, 7 digits), clustered SE 0.102 (book). */
    assert_int_equal(tw_ppml_n_dropped_separated(p), 84);
    assert_int_equal(tw_ppml_n_obs(p), 28482);
    expect_close(tw_ppml_coef(p)[0], 0.5571853, 1e-7, "RTA");
    expect_close(tw_ppml_se(p)[0], 0.102, 0.0005 / 1.102, "RTA clustered SE");
    tw_ppml_free(p);
    /* Robust SE with Stata's factor: 0.055771 (Ch.2 stage 1 log). */
    o.vcov = TW_VCOV_HETERO;
    st = tw_ppml_new(tw_panel_data(panel), &o, &p, &err);
    assert_int_equal(st, TW_DROPPED);
    expect_close(tw_ppml_se(p)[0], 0.055771, 0.0000005 / 1.055771, "RTA robust SE");
    tw_ppml_free(p);
    tw_panel_free(panel);
    twtest_rmtree(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_against_dense),
        cmocka_unit_test(test_row_order),
        cmocka_unit_test(test_separation),
        cmocka_unit_test(test_collinear),
        cmocka_unit_test(test_bad_input),
        cmocka_unit_test(test_not_converged),
        cmocka_unit_test(test_allocation_failures),
        cmocka_unit_test(test_agtpa_table1),
        cmocka_unit_test(test_agtpa_rta_pair_fe),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
