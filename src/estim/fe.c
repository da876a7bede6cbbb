/* SPDX-License-Identifier: MIT */
/*
 * src/estim/fe.c: FE index and accelerated weighted alternating projections, several vectors
 * per pass over the observations. See fe.h.
 *
 * Cost model: one sweep reads, for each dimension g, the ids of every dimension and the
 * weights (n * (G + 2) words) and scatters into the level sums of g. Reading the index once
 * for all vectors still iterating (instead of once per vector) is what the lanes buy; the
 * inner loop over vectors works on chunks of at most TW_FE_CHUNK lanes held in local arrays,
 * so the compiler sees no aliasing between the lane descriptors and the sums.
 */
#include "estim/fe.h"

#include <math.h>
#include <string.h>

#include "core/alloc.h"

#define TW_FE_MAX_DIM 8
/* Lanes updated together in one pass over the observations. */
#define TW_FE_CHUNK 16

struct lane {
    double *wv;                         /* [L] sums of w v per level, this vector */
    double *acc;                        /* [max levels] accumulator */
    double *alpha_last;                 /* [levels[last]] current coefficients of `last` */
    double *x;                          /* [m] the fixed-point iterate (state) */
    double *g;                          /* [m] its image */
    double *scale;                      /* [m] 0.1 + |x| */
    tw_anderson *anderson;              /* NULL for plain sweeps or m == 0 */
    const double *cur[TW_FE_MAX_DIM];   /* during a sweep: current coefficients per dim */
    double *dst;                        /* during solve_dims: where dimension g goes */
    tw_fp_iter it;                      /* iteration state of the current call */
};

struct tw_fe {
    size_t n, G;                      /* observations, dimensions */
    const int32_t *ids[TW_FE_MAX_DIM];/* borrowed [n] ids per dimension */
    size_t levels[TW_FE_MAX_DIM];
    size_t off[TW_FE_MAX_DIM + 1];    /* stacked offsets, caller order; off[G] = L */
    size_t last;                      /* dimension recomputed each sweep (most levels) */
    size_t state_dims[TW_FE_MAX_DIM]; /* the other dimensions, in caller order */
    size_t state_off[TW_FE_MAX_DIM];  /* their offsets inside the state vector */
    size_t m;                         /* state length = L - levels[last] */
    size_t *runs;                     /* [levels[last] + 1] when ids[last] is sorted: the
                                       * observations of level l are runs[l] .. runs[l+1]-1;
                                       * NULL otherwise (see sweep_runs) */
    const double *w;                  /* current weights [n], borrowed */
    double *sw;                       /* [L] sums of weights per level */
    size_t n_lanes;
    struct lane *lanes;               /* [n_lanes] */
};

/* True when ids[0..n) is non-decreasing. */
static bool is_sorted(size_t n, const int32_t *id)
{
    for (size_t o = 1; o < n; o++)
        if (id[o] < id[o - 1])
            return false;
    return true;
}

/* Run offsets of a sorted id column (every level present); NULL when out of memory. */
static size_t *sorted_runs(size_t n, const int32_t *id, size_t levels)
{
    size_t *runs = tw_malloc((levels + 1) * sizeof *runs);
    if (runs == NULL)
        return NULL;
    size_t o = 0;
    for (size_t l = 0; l <= levels; l++) {
        while (o < n && (size_t)id[o] < l)
            o++;
        runs[l] = o;
    }
    return runs;
}

size_t tw_fe_largest(size_t G, const size_t *levels)
{
    size_t last = 0;
    for (size_t g = 1; g < G; g++)
        if (levels[g] > levels[last])
            last = g;
    return last;
}

tw_status tw_fe_new(size_t n, size_t G, const int32_t *const *ids, const size_t *levels,
                    size_t accel_memory, size_t n_lanes, tw_fe **out, tw_err *err)
{
    *out = NULL;
    if (G > TW_FE_MAX_DIM || n_lanes == 0)
        return tw_err_set(err, TW_EINVAL, "ppml: need 0..%d FE dimensions and at least one "
                          "lane, got %zu and %zu", TW_FE_MAX_DIM, G, n_lanes);
    tw_fe *fe = tw_calloc(1, sizeof *fe);
    if (fe == NULL)
        return tw_err_set(err, TW_ENOMEM, "ppml: out of memory");
    fe->n = n;
    fe->G = G;
    size_t L = 0, maxL = 1;
    fe->last = tw_fe_largest(G, levels);
    for (size_t g = 0; g < G; g++) {
        fe->ids[g] = ids[g];
        fe->levels[g] = levels[g];
        fe->off[g] = L;
        L += levels[g];
        if (levels[g] > maxL)
            maxL = levels[g];
    }
    fe->off[G] = L;
    size_t s = 0, m = 0;
    for (size_t g = 0; g < G; g++)
        if (g != fe->last) {
            fe->state_dims[s] = g;
            fe->state_off[s++] = m;
            m += levels[g];
        }
    fe->m = m;
    if (G >= 2 && G <= 3 && is_sorted(n, ids[fe->last]) &&
        (fe->runs = sorted_runs(n, ids[fe->last], levels[fe->last])) == NULL)
        goto nomem;
    size_t Lc = L ? L : 1, mc = m ? m : 1;
    fe->sw = tw_alloc_doubles(Lc);
    fe->lanes = tw_calloc(n_lanes, sizeof *fe->lanes);
    if (!fe->sw || !fe->lanes)
        goto nomem;
    fe->n_lanes = n_lanes;
    for (size_t c = 0; c < n_lanes; c++) {
        struct lane *ln = &fe->lanes[c];
        ln->wv = tw_alloc_doubles(Lc);
        ln->acc = tw_alloc_doubles(maxL);
        ln->alpha_last = tw_alloc_doubles(maxL);
        ln->x = tw_alloc_doubles(mc);
        ln->g = tw_alloc_doubles(mc);
        ln->scale = tw_alloc_doubles(mc);
        if (!ln->wv || !ln->acc || !ln->alpha_last || !ln->x || !ln->g || !ln->scale)
            goto nomem;
        if (G >= 2 && accel_memory > 0 && m > 0) {
            tw_status st = tw_anderson_new(m, accel_memory < m ? accel_memory : m,
                                           &ln->anderson, err);
            if (st != TW_OK) {
                tw_fe_free(fe);
                return st;
            }
        }
    }
    *out = fe;
    return TW_OK;
nomem:
    tw_fe_free(fe);
    return tw_err_set(err, TW_ENOMEM, "ppml: out of memory");
}

void tw_fe_free(tw_fe *fe)
{
    if (fe == NULL)
        return;
    tw_free(fe->sw);
    tw_free(fe->runs);
    if (fe->lanes)
        for (size_t c = 0; c < fe->n_lanes; c++) {
            struct lane *ln = &fe->lanes[c];
            tw_free(ln->wv);
            tw_free(ln->acc);
            tw_free(ln->alpha_last);
            tw_free(ln->x);
            tw_free(ln->g);
            tw_free(ln->scale);
            tw_anderson_free(ln->anderson);
        }
    tw_free(fe->lanes);
    tw_free(fe);
}

size_t tw_fe_n_coef(const tw_fe *fe)
{
    return fe->off[fe->G];
}

size_t tw_fe_offset(const tw_fe *fe, size_t g)
{
    return fe->off[g];
}

void tw_fe_set_weights(tw_fe *fe, const double *w)
{
    fe->w = w;
    size_t G = fe->G;
    memset(fe->sw, 0, fe->off[G] * sizeof(double));
    /* One pass over the observations for all dimensions (each level sum still accumulates in
     * observation order). */
    double *sw[TW_FE_MAX_DIM];
    const int32_t *id[TW_FE_MAX_DIM];
    for (size_t g = 0; g < G; g++) {
        sw[g] = fe->sw + fe->off[g];
        id[g] = fe->ids[g];
    }
    if (fe->runs != NULL) {
        /* By runs of the last dimension: its sums need no ids. */
        const int32_t *id0 = fe->ids[fe->state_dims[0]];
        const int32_t *id1 = G == 3 ? fe->ids[fe->state_dims[1]] : NULL;
        double *s0 = sw[fe->state_dims[0]], *s1 = G == 3 ? sw[fe->state_dims[1]] : NULL;
        double *sl = sw[fe->last];
        for (size_t l = 0; l < fe->levels[fe->last]; l++) {
            double t = 0.0;
            for (size_t o = fe->runs[l]; o < fe->runs[l + 1]; o++) {
                t += w[o];
                s0[id0[o]] += w[o];
                if (s1 != NULL)
                    s1[id1[o]] += w[o];
            }
            sl[l] = t;
        }
        return;
    }
    for (size_t o = 0; o < fe->n; o++)
        for (size_t g = 0; g < G; g++)
            sw[g][id[g][o]] += w[o];
}

/*
 * Solve dimension g for the na (<= TW_FE_CHUNK) lanes `ln` given the current coefficients of
 * the other dimensions (ln[c]->cur[h], h != g); writes ln[c]->dst[levels[g]]. The sum over
 * the other dimensions is formed in increasing dimension order, the same for every path.
 */
static void solve_dim_chunk(const tw_fe *fe, size_t g, size_t na, struct lane *const *ln)
{
    size_t Lg = fe->levels[g], n = fe->n, no = 0;
    size_t oh[TW_FE_MAX_DIM];
    for (size_t h = 0; h < fe->G; h++)
        if (h != g)
            oh[no++] = h;
    double *acc[TW_FE_CHUNK];
    const double *c1[TW_FE_CHUNK], *c2[TW_FE_CHUNK];
    for (size_t c = 0; c < na; c++) {
        acc[c] = ln[c]->acc;
        memset(acc[c], 0, Lg * sizeof(double));
        c1[c] = ln[c]->cur[oh[0]];
        c2[c] = no > 1 ? ln[c]->cur[oh[1]] : NULL;
    }
    const int32_t *idg = fe->ids[g];
    const double *w = fe->w;
    if (no == 1) {
        const int32_t *ida = fe->ids[oh[0]];
        if (na == 1) {
            double *a0 = acc[0];
            const double *x0 = c1[0];
            for (size_t o = 0; o < n; o++)
                a0[idg[o]] += w[o] * x0[ida[o]];
        } else {
            for (size_t o = 0; o < n; o++) {
                size_t l = (size_t)idg[o], a = (size_t)ida[o];
                double wo = w[o];
                for (size_t c = 0; c < na; c++)
                    acc[c][l] += wo * c1[c][a];
            }
        }
    } else if (no == 2) {
        const int32_t *ida = fe->ids[oh[0]], *idb = fe->ids[oh[1]];
        if (na == 1) {
            double *a0 = acc[0];
            const double *x0 = c1[0], *y0 = c2[0];
            for (size_t o = 0; o < n; o++)
                a0[idg[o]] += w[o] * (x0[ida[o]] + y0[idb[o]]);
        } else {
            for (size_t o = 0; o < n; o++) {
                size_t l = (size_t)idg[o], a = (size_t)ida[o], b = (size_t)idb[o];
                double wo = w[o];
                for (size_t c = 0; c < na; c++)
                    acc[c][l] += wo * (c1[c][a] + c2[c][b]);
            }
        }
    } else {
        for (size_t o = 0; o < n; o++) {
            size_t l = (size_t)idg[o];
            double wo = w[o];
            for (size_t c = 0; c < na; c++) {
                double s = 0.0;
                for (size_t q = 0; q < no; q++)
                    s += ln[c]->cur[oh[q]][fe->ids[oh[q]][o]];
                acc[c][l] += wo * s;
            }
        }
    }
    const double *sw = fe->sw + fe->off[g];
    for (size_t c = 0; c < na; c++) {
        const double *wv = ln[c]->wv + fe->off[g];
        double *dst = ln[c]->dst, *ac = acc[c];
        for (size_t l = 0; l < Lg; l++)
            dst[l] = (wv[l] - ac[l]) / sw[l];
    }
}

/*
 * The same sweep when the observations are sorted by the last dimension (fe->runs; G = 2 or
 * 3), in G - 1 passes over the observations instead of G. Pass A walks the runs of `last`:
 * it sums a run to get that level's coefficient, then walks the run again (now in cache) to
 * accumulate the first state dimension, whose other inputs (the coefficients of `last` just
 * solved and the old iterate of the second state dimension) are then all known. With three
 * dimensions pass B accumulates the second state dimension from the new first one. The map
 * is the Gauss-Seidel sweep of sweep_chunk (last, then the state dimensions in caller order);
 * only the summation order differs. The last dimension's ids are never read.
 */
static void sweep_runs(const tw_fe *fe, size_t na, struct lane *const *ln)
{
    const size_t *runs = fe->runs;
    const double *w = fe->w;
    size_t Ll = fe->levels[fe->last], d0 = fe->state_dims[0], L0 = fe->levels[d0];
    const int32_t *id0 = fe->ids[d0], *id1 = NULL;
    const double *sw_last = fe->sw + fe->off[fe->last];
    double *acc[TW_FE_CHUNK], *al[TW_FE_CHUNK];
    const double *x0[TW_FE_CHUNK], *x1[TW_FE_CHUNK], *wvl[TW_FE_CHUNK];
    for (size_t c = 0; c < na; c++) {
        acc[c] = ln[c]->acc;
        memset(acc[c], 0, L0 * sizeof(double));
        al[c] = ln[c]->alpha_last;
        x0[c] = ln[c]->x + fe->state_off[0];
        x1[c] = fe->G == 3 ? ln[c]->x + fe->state_off[1] : NULL;
        wvl[c] = ln[c]->wv + fe->off[fe->last];
    }
    /* Lanes are walked inside each run (its ids and weights stay in L1), so each lane's
     * running sum lives in a register. */
    if (fe->G == 2) {
        for (size_t l = 0; l < Ll; l++) {
            size_t lo = runs[l], hi = runs[l + 1];
            for (size_t c = 0; c < na; c++) {
                const double *xa = x0[c];
                double *ac = acc[c], sum = 0.0;
                for (size_t o = lo; o < hi; o++)
                    sum += w[o] * xa[id0[o]];
                double a = al[c][l] = (wvl[c][l] - sum) / sw_last[l];
                for (size_t o = lo; o < hi; o++)
                    ac[id0[o]] += w[o] * a;
            }
        }
    } else {
        id1 = fe->ids[fe->state_dims[1]];
        for (size_t l = 0; l < Ll; l++) {
            size_t lo = runs[l], hi = runs[l + 1];
            for (size_t c = 0; c < na; c++) {
                const double *xa = x0[c], *xb = x1[c];
                double *ac = acc[c], sum = 0.0;
                for (size_t o = lo; o < hi; o++)
                    sum += w[o] * (xa[id0[o]] + xb[id1[o]]);
                double a = al[c][l] = (wvl[c][l] - sum) / sw_last[l];
                for (size_t o = lo; o < hi; o++)
                    ac[id0[o]] += w[o] * (xb[id1[o]] + a);
            }
        }
    }
    const double *sw0 = fe->sw + fe->off[d0];
    double *g0[TW_FE_CHUNK];
    for (size_t c = 0; c < na; c++) {
        const double *wv = ln[c]->wv + fe->off[d0];
        g0[c] = ln[c]->g + fe->state_off[0];
        for (size_t l = 0; l < L0; l++)
            g0[c][l] = (wv[l] - acc[c][l]) / sw0[l];
    }
    if (fe->G == 2)
        return;
    size_t d1 = fe->state_dims[1], L1 = fe->levels[d1];
    for (size_t c = 0; c < na; c++)
        memset(acc[c], 0, L1 * sizeof(double));
    for (size_t l = 0; l < Ll; l++) {
        size_t lo = runs[l], hi = runs[l + 1];
        for (size_t c = 0; c < na; c++) {
            const double *xa = g0[c];
            double *ac = acc[c], a = al[c][l];
            for (size_t o = lo; o < hi; o++)
                ac[id1[o]] += w[o] * (xa[id0[o]] + a);
        }
    }
    const double *sw1 = fe->sw + fe->off[d1];
    for (size_t c = 0; c < na; c++) {
        const double *wv = ln[c]->wv + fe->off[d1];
        double *g1 = ln[c]->g + fe->state_off[1];
        for (size_t l = 0; l < L1; l++)
            g1[l] = (wv[l] - acc[c][l]) / sw1[l];
    }
}

/* One sweep for each lane of the chunk: image of ln[c]->x into ln[c]->g. */
static void sweep_chunk(const tw_fe *fe, size_t na, struct lane *const *ln)
{
    if (fe->runs != NULL) {
        sweep_runs(fe, na, ln);
        return;
    }
    size_t ns = fe->G - 1;
    for (size_t c = 0; c < na; c++) {
        for (size_t s = 0; s < ns; s++)
            ln[c]->cur[fe->state_dims[s]] = ln[c]->x + fe->state_off[s];
        ln[c]->dst = ln[c]->alpha_last;
    }
    solve_dim_chunk(fe, fe->last, na, ln);
    for (size_t c = 0; c < na; c++)
        ln[c]->cur[fe->last] = ln[c]->alpha_last;
    for (size_t s = 0; s < ns; s++) {
        size_t g = fe->state_dims[s];
        for (size_t c = 0; c < na; c++)
            ln[c]->dst = ln[c]->g + fe->state_off[s];
        solve_dim_chunk(fe, g, na, ln);
        for (size_t c = 0; c < na; c++)
            ln[c]->cur[g] = ln[c]->g + fe->state_off[s];
    }
}

/* solve_dim_chunk for the last dimension, by runs (fe->runs): writes ln[c]->dst. */
static void solve_last_runs(const tw_fe *fe, size_t na, struct lane *const *ln)
{
    size_t d0 = fe->state_dims[0], d1 = fe->G == 3 ? fe->state_dims[1] : d0;
    const int32_t *id0 = fe->ids[d0], *id1 = fe->ids[d1];
    const double *w = fe->w, *sw = fe->sw + fe->off[fe->last];
    for (size_t c = 0; c < na; c++) {
        const double *x0 = ln[c]->cur[d0], *x1 = ln[c]->cur[d1];
        const double *wv = ln[c]->wv + fe->off[fe->last];
        double *dst = ln[c]->dst;
        for (size_t l = 0; l < fe->levels[fe->last]; l++) {
            double t = 0.0;
            if (fe->G == 3)
                for (size_t o = fe->runs[l]; o < fe->runs[l + 1]; o++)
                    t += w[o] * (x0[id0[o]] + x1[id1[o]]);
            else
                for (size_t o = fe->runs[l]; o < fe->runs[l + 1]; o++)
                    t += w[o] * x0[id0[o]];
            dst[l] = (wv[l] - t) / sw[l];
        }
    }
}

/* out[c] = v[c] - the FE sum of alpha[c], by runs of the last dimension. */
static void residuals_runs(const tw_fe *fe, size_t nv, const double *const *v,
                           double *const *alpha, double *const *out)
{
    size_t d0 = fe->state_dims[0], d1 = fe->G == 3 ? fe->state_dims[1] : d0;
    const int32_t *id0 = fe->ids[d0], *id1 = fe->ids[d1];
    for (size_t c = 0; c < nv; c++) {
        const double *a0 = alpha[c] + fe->off[d0], *a1 = alpha[c] + fe->off[d1];
        const double *al = alpha[c] + fe->off[fe->last], *vc = v[c];
        double *oc = out[c];
        for (size_t l = 0; l < fe->levels[fe->last]; l++) {
            double a = al[l];
            if (fe->G == 3)
                for (size_t o = fe->runs[l]; o < fe->runs[l + 1]; o++)
                    oc[o] = vc[o] - (a0[id0[o]] + a1[id1[o]] + a);
            else
                for (size_t o = fe->runs[l]; o < fe->runs[l + 1]; o++)
                    oc[o] = vc[o] - (a0[id0[o]] + a);
        }
    }
}

/* Sums of w v per level for a chunk of lanes (vectors v[c]). */
static void level_sums(const tw_fe *fe, size_t na, struct lane *const *ln,
                       const double *const *v)
{
    size_t n = fe->n, G = fe->G;
    const double *w = fe->w;
    double *wv[TW_FE_CHUNK];
    for (size_t c = 0; c < na; c++) {
        wv[c] = ln[c]->wv;
        memset(wv[c], 0, fe->off[G] * sizeof(double));
    }
    if (fe->runs != NULL) {
        /* By runs of the last dimension, one vector at a time within a run. */
        size_t d0 = fe->state_dims[0], d1 = G == 3 ? fe->state_dims[1] : d0;
        const int32_t *id0 = fe->ids[d0], *id1 = fe->ids[d1];
        for (size_t l = 0; l < fe->levels[fe->last]; l++) {
            size_t lo = fe->runs[l], hi = fe->runs[l + 1];
            for (size_t c = 0; c < na; c++) {
                const double *vc = v[c];
                double *s0 = wv[c] + fe->off[d0], *s1 = wv[c] + fe->off[d1], t = 0.0;
                if (G == 3) {
                    for (size_t o = lo; o < hi; o++) {
                        double x = w[o] * vc[o];
                        t += x;
                        s0[id0[o]] += x;
                        s1[id1[o]] += x;
                    }
                } else {
                    for (size_t o = lo; o < hi; o++) {
                        double x = w[o] * vc[o];
                        t += x;
                        s0[id0[o]] += x;
                    }
                }
                wv[c][fe->off[fe->last] + l] = t;
            }
        }
        return;
    }
    /* One pass over the observations for all dimensions and vectors (each level sum still
     * accumulates in observation order). */
    size_t pos[TW_FE_MAX_DIM];
    for (size_t o = 0; o < n; o++) {
        for (size_t g = 0; g < G; g++)
            pos[g] = fe->off[g] + (size_t)fe->ids[g][o];
        double wo = w[o];
        for (size_t c = 0; c < na; c++) {
            double x = wo * v[c][o];
            for (size_t g = 0; g < G; g++)
                wv[c][pos[g]] += x;
        }
    }
}

/* Demean one chunk of at most TW_FE_CHUNK vectors. */
static void demean_chunk(tw_fe *fe, size_t lane0, size_t nv, const double *const *v,
                         double *const *alpha, double *const *out, const tw_fp_opts *opts,
                         size_t *sweeps, bool *converged)
{
    size_t n = fe->n, G = fe->G, m = fe->m;
    struct lane *all[TW_FE_CHUNK], *act[TW_FE_CHUNK];
    for (size_t c = 0; c < nv; c++) {
        all[c] = &fe->lanes[lane0 + c];
        sweeps[c] = 0;
        converged[c] = true;
    }
    if (G == 0) {
        for (size_t c = 0; c < nv; c++)
            if (out[c] != v[c])
                memcpy(out[c], v[c], n * sizeof(double));
        return;
    }
    level_sums(fe, nv, all, v);
    if (G == 1) {
        for (size_t c = 0; c < nv; c++) {
            for (size_t l = 0; l < fe->levels[0]; l++)
                alpha[c][l] = all[c]->wv[l] / fe->sw[l];
            sweeps[c] = 1;
        }
    } else {
        /* Gather each state from alpha (caller order) and iterate the active lanes. */
        size_t na = nv;
        for (size_t c = 0; c < nv; c++) {
            for (size_t s = 0; s < G - 1; s++) {
                size_t g = fe->state_dims[s];
                memcpy(all[c]->x + fe->state_off[s], alpha[c] + fe->off[g],
                       fe->levels[g] * sizeof(double));
            }
            tw_fp_iter_start(&all[c]->it, all[c]->anderson);
            act[c] = all[c];
        }
        while (na > 0) {
            sweep_chunk(fe, na, act);
            size_t keep = 0;
            for (size_t c = 0; c < na; c++) {
                struct lane *ln = act[c];
                for (size_t i = 0; i < m; i++)
                    ln->scale[i] = 0.1 + fabs(ln->x[i]);
                if (!tw_fp_iter_next(&ln->it, m, ln->x, ln->g, ln->scale, opts, ln->anderson))
                    act[keep++] = ln;
            }
            na = keep;
        }
        /* Make the last dimension consistent with the final state, and scatter back. */
        for (size_t c = 0; c < nv; c++) {
            struct lane *ln = all[c];
            sweeps[c] = ln->it.info.iterations;
            converged[c] = ln->it.status == TW_OK;
            for (size_t s = 0; s < G - 1; s++) {
                size_t g = fe->state_dims[s];
                ln->cur[g] = ln->x + fe->state_off[s];
                memcpy(alpha[c] + fe->off[g], ln->x + fe->state_off[s],
                       fe->levels[g] * sizeof(double));
            }
            ln->dst = alpha[c] + fe->off[fe->last];
        }
        if (fe->runs != NULL)
            solve_last_runs(fe, nv, all);
        else
            solve_dim_chunk(fe, fe->last, nv, all);
    }
    if (fe->runs != NULL) {
        residuals_runs(fe, nv, v, alpha, out);
        return;
    }
    /* Residuals of every vector in one pass (same summation order as one at a time). */
    size_t pos[TW_FE_MAX_DIM];
    for (size_t o = 0; o < n; o++) {
        for (size_t g = 0; g < G; g++)
            pos[g] = fe->off[g] + (size_t)fe->ids[g][o];
        for (size_t c = 0; c < nv; c++) {
            const double *ac = alpha[c];
            double s = 0.0;
            for (size_t g = 0; g < G; g++)
                s += ac[pos[g]];
            out[c][o] = v[c][o] - s;
        }
    }
}

tw_status tw_fe_demean(tw_fe *fe, size_t lane0, size_t nv, const double *const *v,
                       double *const *alpha, double *const *out, const tw_fp_opts *opts,
                       size_t *sweeps, bool *converged, tw_err *err)
{
    if (lane0 > fe->n_lanes || nv > fe->n_lanes - lane0)
        return tw_err_set(err, TW_EINVAL, "ppml: demeaning lanes %zu..%zu out of range (%zu)",
                          lane0, lane0 + nv, fe->n_lanes);
    for (size_t c0 = 0; c0 < nv; c0 += TW_FE_CHUNK) {
        size_t k = nv - c0 < TW_FE_CHUNK ? nv - c0 : TW_FE_CHUNK;
        demean_chunk(fe, lane0 + c0, k, v + c0, alpha + c0, out + c0, opts, sweeps + c0,
                     converged + c0);
    }
    return TW_OK;
}
