/* SPDX-License-Identifier: MIT */
/*
 * src/io/panel.c: read a CSV (or .csv.gz) panel for an estimation formula. See panel.h and
 * the tw_panel block of tradewar.h.
 *
 * Messages start with "panel: " followed by the CSV reader's `file:line:col: ...` form, or
 * with "formula:1:col: ..." for a malformed formula.
 */
#include "io/panel.h"

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <zlib.h>

#include "core/alloc.h"
#include "io/csv.h"
#include "io/formula.h"
#include "io/subset.h"

struct tw_panel {
    tw_ppml_data d;          /* points into the arrays below */
    double *y;               /* [n] */
    double **x;              /* n_x columns [n] */
    char **x_names;          /* [n_x] */
    int32_t **fe;            /* n_fe columns [n] */
    size_t *fe_levels;       /* [n_fe] */
    char **fe_names;         /* [n_fe] */
    char ***fe_labels;       /* [n_fe][levels] */
    double *w;               /* [n] or NULL */
    double *off;             /* [n] or NULL */
    int32_t **cl;            /* n_cluster columns [n] */
    size_t *cl_levels;       /* [n_cluster] */
    char **cl_names;         /* [n_cluster] */
};

void tw_panel_opts_init(tw_panel_opts *o)
{
    memset(o, 0, sizeof *o); /* every field, including any added later */
    o->weights = NULL;
    o->offset = NULL;
    o->cluster = NULL;
    o->subset = NULL;
}

static void free_labels(char **labels, size_t n)
{
    if (labels == NULL)
        return;
    for (size_t l = 0; l < n; l++)
        tw_free(labels[l]);
    tw_free(labels);
}

void tw_panel_free(tw_panel *p)
{
    if (p == NULL)
        return;
    tw_free(p->y);
    for (size_t k = 0; k < p->d.n_x; k++) {
        if (p->x)
            tw_free(p->x[k]);
        if (p->x_names)
            tw_free(p->x_names[k]);
    }
    tw_free(p->x);
    tw_free(p->x_names);
    for (size_t g = 0; g < p->d.n_fe; g++) {
        if (p->fe)
            tw_free(p->fe[g]);
        if (p->fe_names)
            tw_free(p->fe_names[g]);
        if (p->fe_labels)
            free_labels(p->fe_labels[g], p->fe_levels ? p->fe_levels[g] : 0);
    }
    tw_free(p->fe);
    tw_free(p->fe_levels);
    tw_free(p->fe_names);
    tw_free(p->fe_labels);
    tw_free(p->w);
    tw_free(p->off);
    for (size_t c = 0; c < p->d.n_cluster; c++) {
        if (p->cl)
            tw_free(p->cl[c]);
        if (p->cl_names)
            tw_free(p->cl_names[c]);
    }
    tw_free(p->cl);
    tw_free(p->cl_levels);
    tw_free(p->cl_names);
    tw_free(p);
}

const tw_ppml_data *tw_panel_data(const tw_panel *p)
{
    return &p->d;
}

/* ---- factors: text columns to dense ids ---------------------------------------------- */

/* A factor under construction: ids per row, and for each level the first row holding it. */
struct factor {
    int32_t *ids;      /* [n] */
    size_t n_levels;
    size_t *first;     /* [n] first row of each level (only n_levels used) */
};

static uint64_t fnv1a(const char *s)
{
    uint64_t h = 1469598103934665603ULL;
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 1099511628211ULL;
    }
    return h;
}

static uint64_t mix64(uint64_t k)
{
    k ^= k >> 33;
    k *= 0xff51afd7ed558ccdULL;
    k ^= k >> 33;
    k *= 0xc4ceb9fe1a85ec53ULL;
    k ^= k >> 33;
    return k;
}

static size_t table_cap(size_t n)
{
    size_t cap = 16;
    while (cap < 2 * n)
        cap *= 2;
    return cap;
}

/* ids of the text in column c of t. */
static tw_status factor_text(const tw_csv_table *t, size_t c, struct factor *f, tw_err *err)
{
    size_t n = t->n_rows, cap = table_cap(n);
    int32_t *slot = tw_malloc_big(cap * sizeof *slot);
    if (slot == NULL)
        return tw_err_set(err, TW_ENOMEM, "panel: out of memory");
    memset(slot, 0xff, cap * sizeof *slot);
    f->n_levels = 0;
    for (size_t r = 0; r < n; r++) {
        const char *s = tw_csv_field(t, r, c);
        size_t h = (size_t)(fnv1a(s) & (cap - 1));
        for (;;) {
            int32_t l = slot[h];
            if (l < 0) {
                slot[h] = (int32_t)f->n_levels;
                f->first[f->n_levels] = r;
                f->ids[r] = (int32_t)f->n_levels++;
                break;
            }
            if (strcmp(tw_csv_field(t, f->first[l], c), s) == 0) {
                f->ids[r] = l;
                break;
            }
            h = (h + 1) & (cap - 1);
        }
    }
    tw_free(slot);
    return TW_OK;
}

/* ids of the pairs (a[r], b[r]); b has nb levels. */
static tw_status factor_pair(const int32_t *a, const int32_t *b, size_t nb, size_t n,
                             struct factor *f, tw_err *err)
{
    size_t cap = table_cap(n);
    int32_t *slot = tw_malloc_big(cap * sizeof *slot);
    if (slot == NULL)
        return tw_err_set(err, TW_ENOMEM, "panel: out of memory");
    memset(slot, 0xff, cap * sizeof *slot);
    f->n_levels = 0;
    for (size_t r = 0; r < n; r++) {
        uint64_t key = (uint64_t)a[r] * (uint64_t)nb + (uint64_t)b[r];
        size_t h = (size_t)(mix64(key) & (cap - 1));
        for (;;) {
            int32_t l = slot[h];
            if (l < 0) {
                slot[h] = (int32_t)f->n_levels;
                f->first[f->n_levels] = r;
                f->ids[r] = (int32_t)f->n_levels++;
                break;
            }
            size_t q = f->first[l];
            if ((uint64_t)a[q] * (uint64_t)nb + (uint64_t)b[q] == key) {
                f->ids[r] = l;
                break;
            }
            h = (h + 1) & (cap - 1);
        }
    }
    tw_free(slot);
    return TW_OK;
}

static bool find_col(const tw_csv_table *t, const char *name, size_t *col, tw_err *err)
{
    if (tw_csv_find_column(t, name, col))
        return true;
    tw_err_set(err, TW_EINVAL, "panel: %s:%zu: no column named '%s'", t->name,
               tw_csv_header_line(t), name);
    return false;
}

/*
 * Build the factor of the interaction vars[0]^vars[1]^...: ids[n] (owned by the caller
 * afterwards), level count, and labels "v0_v1_..." when labels is not NULL.
 */
static tw_status build_factor(const tw_csv_table *t, char *const *vars, size_t n_vars,
                              int32_t **ids_out, size_t *n_levels, char ***labels, tw_err *err)
{
    size_t n = t->n_rows;
    size_t cols[TW_FORMULA_MAX_INTERACT];
    for (size_t v = 0; v < n_vars; v++)
        if (!find_col(t, vars[v], &cols[v], err))
            return TW_EINVAL;
    struct factor acc = {0}, one = {0};
    tw_status st = TW_ENOMEM;
    acc.ids = tw_malloc_big(n * sizeof(int32_t));
    acc.first = tw_malloc_big(n * sizeof(size_t));
    one.ids = tw_malloc_big(n * sizeof(int32_t));
    one.first = tw_malloc_big(n * sizeof(size_t));
    if (!acc.ids || !acc.first || !one.ids || !one.first) {
        tw_err_set(err, TW_ENOMEM, "panel: out of memory");
        goto done;
    }
    if ((st = factor_text(t, cols[0], &acc, err)) != TW_OK)
        goto done;
    for (size_t v = 1; v < n_vars; v++) {
        if ((st = factor_text(t, cols[v], &one, err)) != TW_OK)
            goto done;
        /* combine acc and one into one.ids/first, then swap */
        int32_t *prev = acc.ids;
        size_t *prev_first = acc.first;
        struct factor comb = {.ids = one.ids, .first = one.first};
        int32_t *b = tw_malloc_big(n * sizeof(int32_t));
        if (b == NULL) {
            st = tw_err_set(err, TW_ENOMEM, "panel: out of memory");
            goto done;
        }
        memcpy(b, one.ids, n * sizeof(int32_t));
        st = factor_pair(prev, b, one.n_levels, n, &comb, err);
        tw_free(b);
        if (st != TW_OK)
            goto done;
        acc.ids = comb.ids;
        acc.first = comb.first;
        acc.n_levels = comb.n_levels;
        one.ids = prev;
        one.first = prev_first;
    }
    if (labels) {
        char **lab = tw_calloc(acc.n_levels ? acc.n_levels : 1, sizeof *lab);
        if (lab == NULL) {
            st = tw_err_set(err, TW_ENOMEM, "panel: out of memory");
            goto done;
        }
        for (size_t l = 0; l < acc.n_levels; l++) {
            size_t r = acc.first[l], len = 0;
            for (size_t v = 0; v < n_vars; v++)
                len += strlen(tw_csv_field(t, r, cols[v])) + 1;
            lab[l] = tw_malloc(len);
            if (lab[l] == NULL) {
                free_labels(lab, acc.n_levels);
                st = tw_err_set(err, TW_ENOMEM, "panel: out of memory");
                goto done;
            }
            lab[l][0] = '\0';
            for (size_t v = 0; v < n_vars; v++) {
                if (v > 0)
                    strcat(lab[l], "_");
                strcat(lab[l], tw_csv_field(t, r, cols[v]));
            }
        }
        *labels = lab;
    }
    *ids_out = acc.ids;
    acc.ids = NULL;
    *n_levels = acc.n_levels;
    st = TW_OK;
done:
    tw_free(acc.ids);
    tw_free(acc.first);
    tw_free(one.ids);
    tw_free(one.first);
    return st;
}

/* ---- numeric columns ------------------------------------------------------------------ */

enum num_check { NUM_ANY, NUM_NONNEG, NUM_LOG };

static tw_status read_numeric(const tw_csv_table *t, const char *var, enum num_check check,
                              double **out, tw_err *err)
{
    size_t c;
    if (!find_col(t, var, &c, err))
        return TW_EINVAL;
    double *v = tw_malloc_big((t->n_rows ? t->n_rows : 1) * sizeof(double));
    if (v == NULL)
        return tw_err_set(err, TW_ENOMEM, "panel: out of memory");
    for (size_t r = 0; r < t->n_rows; r++) {
        const char *f = tw_csv_field(t, r, c);
        tw_csv_num k = tw_csv_parse_double(f, &v[r]);
        if (k != TW_CSV_NUM_OK) {
            char ex[48];
            const char *what = k == TW_CSV_NUM_EMPTY     ? "missing value"
                               : k == TW_CSV_NUM_NONFINITE ? "non-finite value"
                               : k == TW_CSV_NUM_RANGE     ? "number out of range"
                                                           : "expected a number";
            tw_err_set(err, TW_EPARSE, "panel: %s:%zu:%zu: %s in column '%s', got \"%s\"",
                       t->name, tw_csv_line(t, r, c), c + 1, what, var,
                       tw_csv_excerpt(f, ex, sizeof ex));
            tw_free(v);
            return TW_EPARSE;
        }
        if ((check == NUM_NONNEG && v[r] < 0.0) || (check == NUM_LOG && v[r] <= 0.0)) {
            tw_err_set(err, TW_EINVAL, "panel: %s:%zu:%zu: %s in column '%s', got %g", t->name,
                       tw_csv_line(t, r, c), c + 1,
                       check == NUM_LOG ? "log() of a value <= 0" : "negative value", var,
                       v[r]);
            tw_free(v);
            return TW_EINVAL;
        }
        if (check == NUM_LOG)
            v[r] = log(v[r]);
    }
    *out = v;
    return TW_OK;
}

/* Split the cluster spec "a,b^c" into at most two interactions, each into its variables. */
struct cl_spec {
    size_t n;
    size_t n_vars[TW_PANEL_MAX_CLUSTER];
    char *vars[TW_PANEL_MAX_CLUSTER][TW_FORMULA_MAX_INTERACT];
    char label[TW_PANEL_MAX_CLUSTER][256];
};

static tw_status parse_cluster(const char *spec, struct cl_spec *cs, char *buf, size_t cap,
                               tw_err *err)
{
    memset(cs, 0, sizeof *cs);
    if (spec == NULL || spec[0] == '\0')
        return TW_OK;
    if (strlen(spec) >= cap)
        return tw_err_set(err, TW_EINVAL, "panel: cluster specification too long");
    strcpy(buf, spec);
    char *p = buf;
    for (;;) {
        if (cs->n >= TW_PANEL_MAX_CLUSTER)
            return tw_err_set(err, TW_EINVAL, "panel: at most %d cluster variables, got '%s'",
                              TW_PANEL_MAX_CLUSTER, spec);
        char *end = strchr(p, ',');
        if (end)
            *end = '\0';
        size_t k = cs->n++;
        snprintf(cs->label[k], sizeof cs->label[k], "%s", p);
        char *q = p;
        for (;;) {
            char *hat = strchr(q, '^');
            if (hat)
                *hat = '\0';
            if (*q == '\0' || cs->n_vars[k] >= TW_FORMULA_MAX_INTERACT)
                return tw_err_set(err, TW_EINVAL, "panel: bad cluster specification '%s'", spec);
            cs->vars[k][cs->n_vars[k]++] = q;
            if (!hat)
                break;
            q = hat + 1;
        }
        if (!end)
            break;
        p = end + 1;
    }
    return TW_OK;
}

static tw_status build(const tw_csv_table *t, const tw_formula *f, const tw_panel_opts *o,
                       tw_panel **out, tw_err *err)
{
    char specbuf[1024];
    struct cl_spec cs;
    tw_status st = parse_cluster(o->cluster, &cs, specbuf, sizeof specbuf, err);
    if (st != TW_OK)
        return st;
    if (t->n_rows == 0)
        return tw_err_set(err, TW_EINVAL, "panel: %s: no data rows", t->name);
    if (t->n_rows > (size_t)INT32_MAX)
        return tw_err_set(err, TW_EINVAL, "panel: %s: too many rows", t->name);
    tw_panel *p = tw_calloc(1, sizeof *p);
    if (p == NULL)
        return tw_err_set(err, TW_ENOMEM, "panel: out of memory");
    bool intercept = f->n_fe == 0;
    size_t n_x = f->n_x + (intercept ? 1 : 0), n = t->n_rows;
    p->x = tw_calloc(n_x, sizeof *p->x);
    p->x_names = tw_calloc(n_x, sizeof *p->x_names);
    p->fe = tw_calloc(f->n_fe + 1, sizeof *p->fe);
    p->fe_levels = tw_calloc(f->n_fe + 1, sizeof *p->fe_levels);
    p->fe_names = tw_calloc(f->n_fe + 1, sizeof *p->fe_names);
    p->fe_labels = tw_calloc(f->n_fe + 1, sizeof *p->fe_labels);
    p->cl = tw_calloc(TW_PANEL_MAX_CLUSTER, sizeof *p->cl);
    p->cl_levels = tw_calloc(TW_PANEL_MAX_CLUSTER, sizeof *p->cl_levels);
    p->cl_names = tw_calloc(TW_PANEL_MAX_CLUSTER, sizeof *p->cl_names);
    p->d.n_x = n_x;
    p->d.n_fe = f->n_fe;
    p->d.n_cluster = cs.n;
    if (!p->x || !p->x_names || !p->fe || !p->fe_levels || !p->fe_names || !p->fe_labels ||
        !p->cl || !p->cl_levels || !p->cl_names) {
        st = tw_err_set(err, TW_ENOMEM, "panel: out of memory");
        goto fail;
    }
    if ((st = read_numeric(t, f->outcome, NUM_NONNEG, &p->y, err)) != TW_OK)
        goto fail;
    size_t k0 = 0;
    if (intercept) {
        p->x[0] = tw_malloc_big((n ? n : 1) * sizeof(double));
        p->x_names[0] = tw_strdup("(Intercept)");
        if (!p->x[0] || !p->x_names[0]) {
            st = tw_err_set(err, TW_ENOMEM, "panel: out of memory");
            goto fail;
        }
        for (size_t r = 0; r < n; r++)
            p->x[0][r] = 1.0;
        k0 = 1;
    }
    for (size_t k = 0; k < f->n_x; k++) {
        st = read_numeric(t, f->x[k].var, f->x[k].fn == TW_FORMULA_LOG ? NUM_LOG : NUM_ANY,
                          &p->x[k0 + k], err);
        if (st != TW_OK)
            goto fail;
        p->x_names[k0 + k] = tw_strdup(f->x[k].label);
        if (p->x_names[k0 + k] == NULL) {
            st = tw_err_set(err, TW_ENOMEM, "panel: out of memory");
            goto fail;
        }
    }
    for (size_t g = 0; g < f->n_fe; g++) {
        st = build_factor(t, f->fe[g].vars, f->fe[g].n_vars, &p->fe[g], &p->fe_levels[g],
                          &p->fe_labels[g], err);
        if (st != TW_OK)
            goto fail;
        p->fe_names[g] = tw_strdup(f->fe[g].label);
        if (p->fe_names[g] == NULL) {
            st = tw_err_set(err, TW_ENOMEM, "panel: out of memory");
            goto fail;
        }
    }
    for (size_t c = 0; c < cs.n; c++) {
        st = build_factor(t, cs.vars[c], cs.n_vars[c], &p->cl[c], &p->cl_levels[c], NULL, err);
        if (st != TW_OK)
            goto fail;
        p->cl_names[c] = tw_strdup(cs.label[c]);
        if (p->cl_names[c] == NULL) {
            st = tw_err_set(err, TW_ENOMEM, "panel: out of memory");
            goto fail;
        }
    }
    if (o->weights && (st = read_numeric(t, o->weights, NUM_NONNEG, &p->w, err)) != TW_OK)
        goto fail;
    if (o->offset && (st = read_numeric(t, o->offset, NUM_ANY, &p->off, err)) != TW_OK)
        goto fail;
    p->d.n_obs = n;
    p->d.y = p->y;
    p->d.x = (const double *const *)p->x;
    p->d.x_names = (const char *const *)p->x_names;
    p->d.fe = (const int32_t *const *)p->fe;
    p->d.fe_levels = p->fe_levels;
    p->d.fe_names = (const char *const *)p->fe_names;
    p->d.fe_labels = (const char *const *const *)p->fe_labels;
    p->d.weights = p->w;
    p->d.offset = p->off;
    p->d.cluster = (const int32_t *const *)p->cl;
    p->d.cluster_levels = p->cl_levels;
    p->d.cluster_names = (const char *const *)p->cl_names;
    *out = p;
    return TW_OK;
fail:
    tw_panel_free(p);
    return st;
}

static tw_status read_table(tw_csv_table *t, const char *formula, const tw_panel_opts *opts,
                            tw_panel **out, tw_err *err)
{
    tw_panel_opts def;
    if (opts == NULL) {
        tw_panel_opts_init(&def);
        opts = &def;
    }
    tw_formula *f = NULL;
    tw_status st = tw_formula_parse(formula, strlen(formula), "formula", &f, err);
    if (st != TW_OK)
        return st;
    size_t kept = 0;
    if (opts->subset != NULL && t->n_rows > 0 &&
        (st = tw_subset_apply(t, opts->subset, &kept, err)) != TW_OK) {
        tw_formula_free(f);
        return st;
    }
    st = build(t, f, opts, out, err);
    tw_formula_free(f);
    return st;
}

tw_status tw_panel_read_buf(const char *buf, size_t len, const char *name, const char *formula,
                            const tw_panel_opts *opts, tw_panel **out, tw_err *err)
{
    if (out)
        *out = NULL;
    if (buf == NULL || name == NULL || formula == NULL || out == NULL)
        return tw_err_set(err, TW_EINVAL, "panel: NULL argument");
    tw_csv_table *t = NULL;
    tw_status st = tw_csv_read_buf(buf, len, name, &t, err);
    if (st != TW_OK) {
        tw_err_prefix(err, "panel");
        return st;
    }
    st = read_table(t, formula, opts, out, err);
    tw_csv_free(t);
    return st;
}

/* Read a whole file through zlib (plain files pass through gzread unchanged). */
static tw_status slurp_gz(const char *path, char **out, size_t *out_len, tw_err *err)
{
    errno = 0;
    gzFile gz = gzopen(path, "rb");
    if (gz == NULL)
        return tw_err_set(err, TW_EIO, "panel: %s: cannot open: %s", path,
                          errno ? strerror(errno) : "out of memory");
    gzbuffer(gz, 1u << 17);
    size_t cap = 1u << 20, len = 0;
    char *buf = tw_malloc_big(cap);
    tw_status st = TW_OK;
    if (buf == NULL) {
        st = tw_err_set(err, TW_ENOMEM, "panel: out of memory");
        goto done;
    }
    for (;;) {
        if (cap - len < (1u << 16)) {
            if (cap >= TW_CSV_MAX_FILE_SIZE) {
                st = tw_err_set(err, TW_EIO, "panel: %s: larger than %zu bytes", path,
                                (size_t)TW_CSV_MAX_FILE_SIZE);
                goto done;
            }
            char *nb = tw_malloc_big(cap * 2);
            if (nb == NULL) {
                st = tw_err_set(err, TW_ENOMEM, "panel: out of memory");
                goto done;
            }
            memcpy(nb, buf, len);
            tw_free(buf);
            buf = nb;
            cap *= 2;
        }
        size_t want = cap - len;
        if (want > (1u << 30))
            want = 1u << 30;
        int got = gzread(gz, buf + len, (unsigned)want);
        if (got < 0) {
            int zerr = 0;
            const char *msg = gzerror(gz, &zerr);
            st = tw_err_set(err, TW_EIO, "panel: %s: read error: %s", path,
                            zerr == Z_ERRNO ? strerror(errno) : msg);
            goto done;
        }
        if (got == 0)
            break;
        len += (size_t)got;
    }
    if (len > TW_CSV_MAX_FILE_SIZE) {
        st = tw_err_set(err, TW_EIO, "panel: %s: larger than %zu bytes", path,
                        (size_t)TW_CSV_MAX_FILE_SIZE);
        goto done;
    }
    *out = buf;
    *out_len = len;
    buf = NULL;
done:
    tw_free(buf);
    gzclose(gz);
    return st;
}

tw_status tw_panel_read(const char *path, const char *formula, const tw_panel_opts *opts,
                        tw_panel **out, tw_err *err)
{
    if (out)
        *out = NULL;
    if (path == NULL || formula == NULL || out == NULL)
        return tw_err_set(err, TW_EINVAL, "panel: NULL argument");
    /* Parse the formula first: a typo should not cost a file read. */
    tw_formula *f = NULL;
    tw_status st = tw_formula_parse(formula, strlen(formula), "formula", &f, err);
    if (st != TW_OK)
        return st;
    tw_formula_free(f);
    char *buf = NULL;
    size_t len = 0;
    if ((st = slurp_gz(path, &buf, &len, err)) != TW_OK)
        return st;
    st = tw_panel_read_buf(buf, len, path, formula, opts, out, err);
    tw_free(buf);
    return st;
}
