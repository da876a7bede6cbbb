/* SPDX-License-Identifier: MIT */
/*
 * src/policy/timeline.c: a dated scenario solved wave by wave against one pre-war baseline,
 * and the cost of the war so far (see tradewar.h, tw_timeline_run).
 *
 * Resolution: the scenario's codes are matched against the world here, so every unknown
 * country, group or sector is reported with the file, line and column where it was written.
 * Expansion rules (docs/scenarios.md): "all" = every country (as a target: every country but
 * the imposer); "others" = every country named in no imposer/target list and in no group; a
 * group name = its members.
 *
 * Accounting: wave k is in force on [date_k, date_{k+1}); its equivalent variation EV_k is an
 * annual flow (the world's data are annual), so the cost of the war to `until` is
 * sum_k EV_k * years([date_k, date_{k+1}) intersected with [start, until]).
 *
 * Pre-existing measures: actions marked `baseline: true` are applied, in effective-date order,
 * to a copy of the world's tariffs; that copy is the reference every wave is solved against
 * (its baseline equilibrium is solved with those tariffs), and the waves apply the other
 * actions on top of it. Without baseline actions the reference is the world itself.
 *
 * Ownership: the timeline owns its waves' results, labels and tariffs, and the reference copy
 * of the world (when there are baseline actions); it borrows the world.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/date.h"
#include "core/scenario.h"
#include "core/shock.h"
#include "policy/baseline.h"
#include "policy/result.h"

/* Tariffs that an "add" drives below zero by no more than this (rounding of derived per-sector
 * rates) are set to zero; anything more negative is an error. */
#define TW_TIMELINE_NEG_TARIFF_TOL 1e-9

struct tw_wave {
    tw_day date;
    char date_s[16];
    char *label;          /* owned */
    tw_result *result;    /* owned */
    double years;         /* in force within [start, until] */
    double *tariff;       /* owned [S*N*N] tariffs in force, world layout */
};

struct tw_timeline {
    const struct tw_world *w;
    tw_day start, until;
    char start_s[16], until_s[16];
    struct tw_wave *waves; /* [n_waves] owned */
    size_t n_waves;
    size_t final_wave;     /* wave in force at until, n_waves if none */
    double *cum;           /* [N] cumulative EV, USD */
    bool *involved;        /* [N] imposes or is targeted by some action */
    bool converged;
    struct tw_world *ref;  /* owned reference world (baseline actions applied), or NULL */
};

/* A resolved action: index lists. */
struct resolved {
    size_t *imp;  /* [n_imp] */
    size_t n_imp;
    size_t *tgt;  /* [n_tgt] */
    size_t n_tgt;
    double *val;  /* [S] value per sector, NAN = not affected */
};

void tw_timeline_free(tw_timeline *t)
{
    if (t == NULL)
        return;
    for (size_t k = 0; k < t->n_waves; k++) {
        tw_free(t->waves[k].label);
        tw_free(t->waves[k].tariff);
        tw_result_free(t->waves[k].result);
    }
    tw_free(t->waves);
    tw_free(t->cum);
    tw_free(t->involved);
    tw_world_free(t->ref);
    tw_free(t);
}

static bool in_codes(const struct tw_codes *c, const char *code)
{
    for (size_t k = 0; k < c->n; k++)
        if (strcmp(c->code[k], code) == 0)
            return true;
    return false;
}

/* Countries named by no imposer/target list and in no group. */
static bool is_other(const struct tw_scenario *sc, const char *code)
{
    for (size_t g = 0; g < sc->n_groups; g++)
        if (in_codes(&sc->groups[g].members, code))
            return false;
    for (size_t a = 0; a < sc->n_actions; a++)
        if (in_codes(&sc->actions[a].imposer, code) || in_codes(&sc->actions[a].target, code))
            return false;
    return true;
}

static void add_index(size_t *list, size_t *n, size_t c)
{
    for (size_t k = 0; k < *n; k++)
        if (list[k] == c)
            return;
    list[(*n)++] = c;
}

/* Expand a code list into country indices (list has room for N). */
static tw_status expand_countries(const struct tw_world *w, const struct tw_scenario *sc,
                                  const struct tw_codes *c, const char *role, size_t action,
                                  size_t *list, size_t *n, tw_err *err)
{
    *n = 0;
    for (size_t k = 0; k < c->n; k++) {
        const char *code = c->code[k];
        size_t idx;
        if (strcmp(code, "all") == 0) {
            for (size_t q = 0; q < w->n_country; q++)
                add_index(list, n, q);
        } else if (strcmp(code, "others") == 0) {
            for (size_t q = 0; q < w->n_country; q++)
                if (is_other(sc, w->country_code[q]))
                    add_index(list, n, q);
        } else if (tw_world_find_country(w, code, &idx)) {
            add_index(list, n, idx);
        } else {
            const struct tw_group *g = NULL;
            for (size_t q = 0; q < sc->n_groups; q++)
                if (strcmp(sc->groups[q].name, code) == 0)
                    g = &sc->groups[q];
            if (g == NULL)
                return tw_err_set(err, TW_EINVAL, "%s:%zu:%zu: unknown country or group \"%s\" "
                                  "in action %zu (%s), expected a region of world \"%s\", a "
                                  "group, \"all\" or \"others\"", sc->file, c->pos[k].line,
                                  c->pos[k].col, code, action + 1, role, w->meta_name);
            for (size_t m = 0; m < g->members.n; m++) {
                if (!tw_world_find_country(w, g->members.code[m], &idx))
                    return tw_err_set(err, TW_EINVAL, "%s:%zu:%zu: unknown country \"%s\" in "
                                      "group \"%s\", expected a region of world \"%s\"",
                                      sc->file, g->members.pos[m].line, g->members.pos[m].col,
                                      g->members.code[m], g->name, w->meta_name);
                add_index(list, n, idx);
            }
        }
    }
    return TW_OK;
}

static tw_status resolve_action(const struct tw_world *w, const struct tw_scenario *sc,
                                size_t a, struct resolved *r, tw_err *err)
{
    const struct tw_action *ac = &sc->actions[a];
    size_t S = w->n_sector;
    tw_status st = expand_countries(w, sc, &ac->imposer, ac->kind == TW_ACTION_PRODUCTIVITY ?
                                    "country" : "imposer", a, r->imp, &r->n_imp, err);
    if (st != TW_OK)
        return st;
    r->n_tgt = 0;
    if (ac->kind != TW_ACTION_PRODUCTIVITY &&
        (st = expand_countries(w, sc, &ac->target, "target", a, r->tgt, &r->n_tgt, err)) != TW_OK)
        return st;
    for (size_t s = 0; s < S; s++)
        r->val[s] = (double)NAN;
    if (ac->n_sector_values > 0) {
        for (size_t k = 0; k < ac->n_sector_values; k++) {
            size_t s;
            const struct tw_sector_value *sv = &ac->sector_values[k];
            if (!tw_world_find_sector(w, sv->sector, &s))
                return tw_err_set(err, TW_EINVAL, "%s:%zu:%zu: unknown sector \"%s\" in action "
                                  "%zu, expected a sector of world \"%s\"", sc->file,
                                  sv->pos.line, sv->pos.col, sv->sector, a + 1, w->meta_name);
            r->val[s] = sv->value;
        }
        return TW_OK;
    }
    if (ac->sectors.n == 0) {
        for (size_t s = 0; s < S; s++)
            r->val[s] = ac->value;
        return TW_OK;
    }
    for (size_t k = 0; k < ac->sectors.n; k++) {
        size_t s;
        if (strcmp(ac->sectors.code[k], "all") == 0) {
            for (s = 0; s < S; s++)
                r->val[s] = ac->value;
        } else if (tw_world_find_sector(w, ac->sectors.code[k], &s)) {
            r->val[s] = ac->value;
        } else {
            return tw_err_set(err, TW_EINVAL, "%s:%zu:%zu: unknown sector \"%s\" in action %zu, "
                              "expected a sector of world \"%s\" or \"all\"", sc->file,
                              ac->sectors.pos[k].line, ac->sectors.pos[k].col,
                              ac->sectors.code[k], a + 1, w->meta_name);
        }
    }
    return TW_OK;
}

/* Apply one resolved action to the shock. */
static tw_status apply_action(tw_shock *sh, const struct tw_scenario *sc, size_t a,
                              const struct resolved *r, tw_err *err)
{
    const struct tw_world *w = sh->world;
    const struct tw_action *ac = &sc->actions[a];
    size_t S = w->n_sector;
    for (size_t s = 0; s < S; s++) {
        double v = r->val[s];
        if (isnan(v))
            continue;
        if (ac->kind == TW_ACTION_PRODUCTIVITY) {
            for (size_t q = 0; q < r->n_imp; q++)
                sh->a_hat[r->imp[q] * S + s] *= v;
            continue;
        }
        for (size_t q = 0; q < r->n_imp; q++)
            for (size_t p = 0; p < r->n_tgt; p++) {
                size_t j = r->imp[q], i = r->tgt[p];
                if (i == j)
                    continue;
                size_t k = tw_world_ijs(w, i, j, s);
                if (ac->kind == TW_ACTION_TRADE_COST) {
                    sh->d_hat[k] *= v;
                    continue;
                }
                double t = ac->mode == TW_RATE_SET ? v : sh->tariff[k] + v;
                if (t < 0.0 && t >= -TW_TIMELINE_NEG_TARIFF_TOL)
                    t = 0.0;
                if (!(t >= 0.0))
                    return tw_err_set(err, TW_EINVAL, "%s:%zu:%zu: action %zu (%s) makes the "
                                      "tariff of %s on %s in %s negative (%g)", sc->file,
                                      ac->pos.line, ac->pos.col, a + 1, ac->id,
                                      w->country_code[j], w->country_code[i], w->sector_code[s],
                                      t);
                sh->tariff[k] = t;
            }
    }
    return TW_OK;
}

static int cmp_day(const void *x, const void *y)
{
    tw_day a = *(const tw_day *)x, b = *(const tw_day *)y;
    return (a > b) - (a < b);
}

/* Distinct sorted wave dates into dates[]; returns count. */
static size_t wave_dates(const struct tw_scenario *sc, tw_day *dates)
{
    size_t n = 0;
    if (sc->tariff_csv)
        dates[n++] = sc->start;
    for (size_t a = 0; a < sc->n_actions; a++) {
        if (sc->actions[a].baseline)
            continue;
        dates[n++] = sc->actions[a].effective;
        if (sc->actions[a].end != TW_DAY_NONE)
            dates[n++] = sc->actions[a].end;
    }
    qsort(dates, n, sizeof *dates, cmp_day);
    size_t m = 0;
    for (size_t k = 0; k < n; k++)
        if (m == 0 || dates[m - 1] != dates[k])
            dates[m++] = dates[k];
    return m;
}

/* "+ID; -ID" of the actions starting or ending on d (the label where an action has no id). */
static char *wave_label(const struct tw_scenario *sc, tw_day d)
{
    size_t cap = 1;
    for (size_t a = 0; a < sc->n_actions; a++)
        cap += strlen(sc->actions[a].label) + strlen(sc->actions[a].id) + 8;
    cap += sc->tariff_csv ? strlen(sc->tariff_csv) + 16 : 0;
    char *s = tw_malloc(cap);
    if (s == NULL)
        return NULL;
    s[0] = '\0';
    if (sc->tariff_csv && d == sc->start) {
        strcat(s, "+tariffs ");
        strcat(s, sc->tariff_csv);
    }
    for (int pass = 0; pass < 2; pass++)
        for (size_t a = 0; a < sc->n_actions; a++) {
            const struct tw_action *ac = &sc->actions[a];
            if ((pass == 0 && ac->effective != d) || (pass == 1 && ac->end != d))
                continue;
            if (s[0])
                strcat(s, "; ");
            strcat(s, pass == 0 ? "+" : "-");
            strcat(s, ac->id[0] ? ac->id : (ac->label[0] ? ac->label : "action"));
        }
    return s;
}

/* Actions in force at d, sorted by (effective, file order): the waves' actions, or with
 * baseline set the baseline actions (whatever d). */
static size_t in_force(const struct tw_scenario *sc, tw_day d, bool baseline, size_t *order)
{
    size_t n = 0;
    for (size_t a = 0; a < sc->n_actions; a++)
        if (sc->actions[a].baseline == baseline &&
            (baseline || (sc->actions[a].effective <= d && d < sc->actions[a].end)))
            order[n++] = a;
    for (size_t x = 1; x < n; x++) /* insertion sort: stable, n is small */
        for (size_t y = x; y > 0 && sc->actions[order[y - 1]].effective >
                                         sc->actions[order[y]].effective; y--) {
            size_t t = order[y];
            order[y] = order[y - 1];
            order[y - 1] = t;
        }
    return n;
}

struct run_state {
    struct resolved *res;  /* [n_actions] */
    size_t *order;         /* [n_actions] */
    tw_day *dates;         /* [1 + 2 n_actions] */
    size_t *idx;           /* [2 N] index scratch owned by res */
};

static void run_state_free(struct run_state *rs, size_t n_actions)
{
    if (rs->res)
        for (size_t a = 0; a < n_actions; a++) {
            tw_free(rs->res[a].imp);
            tw_free(rs->res[a].tgt);
            tw_free(rs->res[a].val);
        }
    tw_free(rs->res);
    tw_free(rs->order);
    tw_free(rs->dates);
}

static tw_status run_state_new(const struct tw_world *w, const struct tw_scenario *sc,
                               struct run_state *rs, tw_err *err)
{
    size_t A = sc->n_actions, N = w->n_country, S = w->n_sector;
    memset(rs, 0, sizeof *rs);
    rs->res = tw_calloc(A, sizeof *rs->res);
    rs->order = tw_calloc(A, sizeof(size_t));
    rs->dates = tw_calloc(1 + 2 * A, sizeof(tw_day));
    if (!rs->res || !rs->order || !rs->dates)
        return tw_err_set(err, TW_ENOMEM, "timeline: out of memory");
    for (size_t a = 0; a < A; a++) {
        rs->res[a].imp = tw_calloc(N, sizeof(size_t));
        rs->res[a].tgt = tw_calloc(N, sizeof(size_t));
        rs->res[a].val = tw_calloc(S, sizeof(double));
        if (!rs->res[a].imp || !rs->res[a].tgt || !rs->res[a].val)
            return tw_err_set(err, TW_ENOMEM, "timeline: out of memory");
    }
    for (size_t a = 0; a < A; a++) {
        tw_status st = resolve_action(w, sc, a, &rs->res[a], err);
        if (st != TW_OK)
            return st;
    }
    return TW_OK;
}

/* Build the shock of the wave on date d. */
static tw_status wave_shock(const struct tw_world *w, const struct tw_scenario *sc,
                            struct run_state *rs, tw_day d, tw_shock **out, tw_err *err)
{
    tw_status st = tw_shock_new(w, out, err);
    if (st != TW_OK)
        return st;
    if (sc->tariff_csv && d >= sc->start) {
        char path[4096];
        if (!tw_path_resolve(sc->tariff_csv, sc->file, path, sizeof path))
            return tw_err_set(err, TW_EINVAL, "%s: tariff_csv path \"%.200s\" is too long",
                              sc->file, sc->tariff_csv);
        if ((st = tw_shock_apply_tariff_csv(*out, path, err)) != TW_OK)
            return st;
    }
    size_t n = in_force(sc, d, false, rs->order);
    for (size_t k = 0; k < n; k++)
        if ((st = apply_action(*out, sc, rs->order[k], &rs->res[rs->order[k]], err)) != TW_OK)
            return st;
    return TW_OK;
}

/* A country is involved when some wave changes a tariff or trade cost it imposes or faces, or
 * its productivity. */
static void mark_involved(struct tw_timeline *t, const tw_shock *sh)
{
    const struct tw_world *w = sh->world;
    size_t N = w->n_country, S = w->n_sector;
    for (size_t s = 0; s < S; s++)
        for (size_t j = 0; j < N; j++)
            for (size_t i = 0; i < N; i++) {
                size_t k = tw_world_ijs(w, i, j, s);
                if (sh->tariff[k] != w->tariff[k] || sh->d_hat[k] != 1.0)
                    t->involved[i] = t->involved[j] = true;
            }
    for (size_t c = 0; c < N; c++)
        for (size_t s = 0; s < S; s++)
            if (sh->a_hat[c * S + s] != 1.0)
                t->involved[c] = true;
}

static void accumulate(struct tw_timeline *t)
{
    size_t N = t->w->n_country;
    t->final_wave = t->n_waves;
    for (size_t k = 0; k < t->n_waves; k++) {
        tw_day a = t->waves[k].date, b = k + 1 < t->n_waves ? t->waves[k + 1].date : t->until;
        if (a < t->start)
            a = t->start;
        if (b > t->until)
            b = t->until;
        t->waves[k].years = b > a ? tw_day_years(a, b) : 0.0;
        if (t->waves[k].date <= t->until)
            t->final_wave = k;
        for (size_t c = 0; c < N; c++)
            t->cum[c] += tw_result_country(t->waves[k].result, TW_C_WELFARE_USD, c) *
                         t->waves[k].years;
    }
}

static tw_status setup(const struct tw_world *w, const struct tw_scenario *sc,
                       const char *until, struct tw_timeline **out, tw_err *err)
{
    struct tw_timeline *t = tw_calloc(1, sizeof *t);
    if (t == NULL)
        return tw_err_set(err, TW_ENOMEM, "timeline: out of memory");
    *out = t;
    t->w = w;
    t->converged = true;
    t->start = sc->start;
    t->cum = tw_calloc(w->n_country, sizeof(double));
    t->involved = tw_calloc(w->n_country, sizeof(bool));
    t->waves = tw_calloc(1 + 2 * sc->n_actions, sizeof *t->waves);
    if (!t->cum || !t->waves || !t->involved)
        return tw_err_set(err, TW_ENOMEM, "timeline: out of memory");
    for (size_t a = 0; a < sc->n_actions; a++)
        if (!sc->actions[a].baseline && sc->actions[a].effective < sc->start) {
            char d1[16], d2[16];
            tw_day_format(sc->actions[a].effective, d1);
            tw_day_format(sc->start, d2);
            return tw_err_set(err, TW_EINVAL, "%s:%zu:%zu: action %zu takes effect on %s, "
                              "before the scenario's start %s", sc->file,
                              sc->actions[a].pos.line, sc->actions[a].pos.col, a + 1, d1, d2);
        }
    if (until != NULL) {
        if (!tw_day_parse(until, &t->until))
            return tw_err_set(err, TW_EINVAL, "timeline: until \"%s\", expected a date "
                              "YYYY-MM-DD", until);
    } else {
        t->until = sc->until;
    }
    return TW_OK;
}

/* The reference world: a copy of w with the baseline actions applied to its tariffs; *ref stays
 * NULL when the scenario has none. */
static tw_status reference_world(const struct tw_world *w, const struct tw_scenario *sc,
                                 struct run_state *rs, struct tw_world **ref, tw_err *err)
{
    *ref = NULL;
    size_t n = in_force(sc, 0, true, rs->order);
    if (n == 0)
        return TW_OK;
    tw_shock *sh = NULL;
    tw_status st = tw_shock_new(w, &sh, err);
    for (size_t k = 0; st == TW_OK && k < n; k++)
        st = apply_action(sh, sc, rs->order[k], &rs->res[rs->order[k]], err);
    if (st == TW_OK)
        st = tw_world_copy(w, ref, err);
    if (st == TW_OK)
        memcpy((*ref)->tariff, sh->tariff,
               w->n_sector * w->n_country * w->n_country * sizeof(double));
    tw_shock_free(sh);
    return st;
}

tw_status tw_timeline_run(const tw_world *w, const tw_scenario *sc, tw_deficits deficits,
                          const char *until, const tw_solve_opts *opts, tw_timeline **out,
                          tw_err *err)
{
    if (out == NULL)
        return tw_err_set(err, TW_EINVAL, "timeline: out is NULL");
    *out = NULL;
    if (w == NULL || sc == NULL)
        return tw_err_set(err, TW_EINVAL, "timeline: world and scenario are required");
    if (deficits == TW_DEFICITS_DEFAULT)
        deficits = sc->deficits >= 0 ? (tw_deficits)sc->deficits : TW_DEFICITS_DATA;
    struct tw_timeline *t = NULL;
    struct tw_baseline *b = NULL;
    struct run_state rs;
    memset(&rs, 0, sizeof rs);
    tw_shock *sh = NULL;
    tw_err first;
    tw_err_clear(&first);
    tw_status st = setup(w, sc, until, &t, err);
    if (st != TW_OK)
        goto done;
    if ((st = run_state_new(w, sc, &rs, err)) != TW_OK)
        goto done;

    size_t nd = wave_dates(sc, rs.dates);
    if (t->until == TW_DAY_NONE)
        t->until = (nd ? rs.dates[nd - 1] : t->start) + 365;
    if ((st = reference_world(w, sc, &rs, &t->ref, err)) != TW_OK)
        goto done;
    const struct tw_world *sw = t->ref ? t->ref : w; /* the world the waves are solved on */
    size_t cells = w->n_sector * w->n_country * w->n_country;
    if ((st = tw_baseline_new(sw, deficits, opts, &b, err)) != TW_OK)
        goto done;
    for (size_t k = 0; k < nd; k++) {
        struct tw_wave *wv = &t->waves[t->n_waves];
        wv->date = rs.dates[k];
        tw_day_format(wv->date, wv->date_s);
        if ((wv->label = wave_label(sc, wv->date)) == NULL) {
            st = tw_err_set(err, TW_ENOMEM, "timeline: out of memory");
            goto done;
        }
        t->n_waves++;
        if ((st = wave_shock(sw, sc, &rs, wv->date, &sh, err)) != TW_OK)
            goto done;
        mark_involved(t, sh);
        if ((wv->tariff = tw_alloc_doubles(cells)) == NULL) {
            st = tw_err_set(err, TW_ENOMEM, "timeline: out of memory");
            goto done;
        }
        memcpy(wv->tariff, sh->tariff, cells * sizeof(double));
        tw_err e;
        st = tw_baseline_simulate(b, sh, &wv->result, &e);
        tw_shock_free(sh);
        sh = NULL;
        if (st == TW_NOT_CONVERGED) {
            if (t->converged) {
                first = e;
                tw_err_prefix(&first, "wave %s", wv->date_s);
            }
            t->converged = false;
        } else if (st != TW_OK) {
            if (err) {
                *err = e;
                tw_err_prefix(err, "wave %s", wv->date_s);
            }
            goto done;
        }
    }
    tw_day_format(t->start, t->start_s);
    tw_day_format(t->until, t->until_s);
    accumulate(t);
    st = t->converged ? TW_OK : TW_NOT_CONVERGED;
    if (!t->converged && err)
        *err = first;
    *out = t;
    t = NULL;
done:
    tw_shock_free(sh);
    run_state_free(&rs, sc->n_actions);
    tw_baseline_free(b);
    tw_timeline_free(t);
    return st;
}

const tw_world *tw_timeline_world(const tw_timeline *t) { return t->w; }
bool tw_timeline_converged(const tw_timeline *t) { return t->converged; }
const char *tw_timeline_start(const tw_timeline *t) { return t->start_s; }
const char *tw_timeline_until(const tw_timeline *t) { return t->until_s; }
size_t tw_timeline_n_waves(const tw_timeline *t) { return t->n_waves; }
const char *tw_timeline_wave_date(const tw_timeline *t, size_t k) { return t->waves[k].date_s; }
const char *tw_timeline_wave_label(const tw_timeline *t, size_t k) { return t->waves[k].label; }
const tw_result *tw_timeline_wave_result(const tw_timeline *t, size_t k)
{
    return t->waves[k].result;
}
size_t tw_timeline_final_wave(const tw_timeline *t) { return t->final_wave; }
double tw_timeline_wave_years(const tw_timeline *t, size_t k) { return t->waves[k].years; }
double tw_timeline_cumulative_usd(const tw_timeline *t, size_t c) { return t->cum[c]; }
bool tw_timeline_country_involved(const tw_timeline *t, size_t c) { return t->involved[c]; }

double tw_timeline_wave_tariff(const tw_timeline *t, size_t k, size_t importer, size_t exporter,
                               size_t s)
{
    const struct tw_world *w = t->w;
    if (importer >= w->n_country || exporter >= w->n_country || s >= w->n_sector)
        return (double)NAN;
    size_t cell = tw_world_ijs(w, exporter, importer, s);
    if (k >= t->n_waves)
        return t->ref ? t->ref->tariff[cell] : w->tariff[cell];
    return t->waves[k].tariff[cell];
}

/* ---- tariffs in force on a date (deals, docs/enforcement.md) ------------------------------ */

tw_status tw_scenario_tariffs_at(const tw_world *w, const tw_scenario *sc, const char *date,
                                 double *cube, tw_err *err)
{
    tw_day d;
    if (w == NULL || sc == NULL || date == NULL || cube == NULL)
        return tw_err_set(err, TW_EINVAL, "scenario tariffs: world, scenario, date and cube "
                          "are required");
    if (!tw_day_parse(date, &d))
        return tw_err_set(err, TW_EINVAL, "scenario tariffs: date \"%.40s\" is not YYYY-MM-DD",
                          date);
    struct run_state rs;
    tw_status st = run_state_new(w, sc, &rs, err);
    tw_shock *sh = NULL;
    if (st == TW_OK)
        st = wave_shock(w, sc, &rs, d, &sh, err);
    if (st == TW_OK) {
        size_t N = w->n_country, S = w->n_sector;
        for (size_t s = 0; s < S; s++)
            for (size_t j = 0; j < N; j++)
                for (size_t i = 0; i < N; i++)
                    cube[(s * N + j) * N + i] = i == j ? 0.0 : tw_shock_tariff(sh, j, i, s);
    }
    tw_shock_free(sh);
    run_state_free(&rs, sc->n_actions);
    return st;
}
