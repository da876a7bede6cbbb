/* SPDX-License-Identifier: MIT */
/*
 * src/report/game.c: tariff-game results (policy/game.c) as a table, one JSON document and a
 * CSV of every tariff. The JSON schema is in docs/output.md ("Tariff games"); other tools rely
 * on countries[].code, tariff_median_pct, tariff_mean_pct, welfare_pct, gov_welfare_pct and
 * summary.{mean_tariff_median_pct, mean_welfare_pct, mean_gov_welfare_pct, iterations, status}.
 *
 * Averages over countries are unweighted, as in Ossa (2014)'s tables; for a war among some
 * players they run over the players only (the other countries are listed, flagged).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "io/atomic.h"
#include "policy/game.h"
#include "report/report_int.h"

static const char *kind_name(tw_game_kind k)
{
    return k == TW_GAME_OPTIMAL ? "optimal" : k == TW_GAME_NASH ? "war"
                                          : k == TW_GAME_TALKS ? "talks" : "evaluate";
}
static const char *instrument_name(tw_game_instrument i)
{
    return i == TW_GAME_UNIFORM ? "uniform" : i == TW_GAME_MFN ? "mfn" : "bilateral";
}
static const char *from_name(tw_game_from f)
{
    return f == TW_GAME_FROM_NASH ? "nash" : f == TW_GAME_FROM_FREE ? "free" : "factual";
}
static const char *status_name(const tw_game_result *r)
{
    return r->interrupted ? "interrupted" : r->converged ? "converged" : "not_converged";
}

/* Whether country c enters the averages. */
static bool counted(const tw_game_result *r, size_t c)
{
    if (r->kind == TW_GAME_TALKS || r->kind == TW_GAME_EVALUATE)
        return true;
    return r->is_player[c];
}

struct summary {
    double tmed, tmean, w, gov;
    size_t n;
};

static tw_status summarise(const tw_game_result *r, struct summary *sm, tw_err *err)
{
    memset(sm, 0, sizeof *sm);
    for (size_t c = 0; c < r->N; c++) {
        if (!counted(r, c))
            continue;
        double mean, med;
        if (tw_game_result_tariff_stats(r, c, &mean, &med) != TW_OK)
            return tw_err_set(err, TW_ENOMEM, "report: out of memory");
        sm->tmed += med;
        sm->tmean += mean;
        sm->w += r->welfare_pct[c];
        sm->gov += r->gov_pct[c];
        sm->n++;
    }
    if (sm->n > 0) {
        sm->tmed /= (double)sm->n;
        sm->tmean /= (double)sm->n;
        sm->w /= (double)sm->n;
        sm->gov /= (double)sm->n;
    }
    return TW_OK;
}

static json_t *num(double x) { return isfinite(x) ? json_real(x) : json_null(); }

/* Mean and median of importer c's factual (world) tariffs over the partners the result
 * counts (fractions). */
static bool factual_stats(const tw_world *w, const tw_game_result *r, size_t c, double *mean,
                          double *median)
{
    size_t N = r->N, S = r->S;
    tw_game_result tmp = *r;
    tmp.tariff = malloc(S * N * N * sizeof(double));
    if (tmp.tariff == NULL)
        return false;
    for (size_t s = 0; s < S; s++)
        for (size_t j = 0; j < N; j++)
            for (size_t i = 0; i < N; i++)
                tmp.tariff[(s * N + j) * N + i] = tw_world_tariff(w, j, i, s);
    bool ok = tw_game_result_tariff_stats(&tmp, c, mean, median) == TW_OK;
    free(tmp.tariff);
    return ok;
}

/* The "stages" array of the report's generic game shape (docs/reports.md): the factual
 * tariffs (welfare 0 by definition) and the game's outcome. */
static json_t *stages_json(const tw_world *w, const tw_game_result *r)
{
    json_t *stages = json_array();
    const char *names[2] = {"factual", r->kind == TW_GAME_OPTIMAL ? "optimal"
                                       : r->kind == TW_GAME_TALKS ? "cooperative"
                                                                  : "nash"};
    bool ok = stages != NULL;
    for (int k = 0; k < 2 && ok; k++) {
        json_t *st = json_object(), *cs = json_array();
        ok = st && cs && json_object_set_new(st, "stage", json_string(names[k])) == 0;
        for (size_t c = 0; c < r->N && ok; c++) {
            double mean, med;
            if (k == 0 ? !factual_stats(w, r, c, &mean, &med)
                       : tw_game_result_tariff_stats(r, c, &mean, &med) != TW_OK) {
                ok = false;
                break;
            }
            json_t *o = json_object();
            ok = o != NULL &&
                 json_object_set_new(o, "code", json_string(tw_world_country_code(w, c))) == 0 &&
                 json_object_set_new(o, "tariff_median_pct", num(100.0 * med)) == 0 &&
                 json_object_set_new(o, "tariff_mean_pct", num(100.0 * mean)) == 0 &&
                 json_object_set_new(o, "welfare_pct", num(k ? r->welfare_pct[c] : 0.0)) == 0 &&
                 json_object_set_new(o, "gov_welfare_pct", num(k ? r->gov_pct[c] : 0.0)) == 0 &&
                 json_array_append_new(cs, o) == 0;
        }
        ok = ok && json_object_set_new(st, "countries", cs) == 0;
        if (!ok) {
            json_decref(st);
            break;
        }
        ok = json_array_append_new(stages, st) == 0;
    }
    if (!ok) {
        json_decref(stages);
        return NULL;
    }
    return stages;
}

tw_status tw_report_game_json(FILE *out, const tw_game *g, const tw_game_result *r, tw_err *err)
{
    const tw_world *w = tw_game_world(g);
    struct summary sm;
    tw_status st = summarise(r, &sm, err);
    if (st != TW_OK)
        return st;
    json_t *root = json_object(), *countries = json_array(), *summary = json_object();
    bool ok = root && countries && summary;
    ok = ok && json_object_set_new(root, "kind", json_string(kind_name(r->kind))) == 0;
    ok = ok && json_object_set_new(root, "world", json_string(tw_world_meta(w, "name"))) == 0;
    const char *model = tw_world_meta(w, "model");
    ok = ok && json_object_set_new(root, "model", json_string(r->profits ? "ossa2014"
                                   : model[0] ? model : "cp2015")) == 0;
    ok = ok && json_object_set_new(root, "instrument",
                                   json_string(instrument_name(r->instrument))) == 0;
    ok = ok && json_object_set_new(root, "lobbying", json_boolean(r->lobbying)) == 0;
    if (r->kind == TW_GAME_TALKS) {
        ok = ok && json_object_set_new(root, "from", json_string(from_name(r->from))) == 0;
        ok = ok && json_object_set_new(root, "solution",
                                       json_string(r->talks_kind == TW_GAME_BARGAINING
                                                       ? "nash_bargaining" : "equal_gains")) == 0;
    }
    for (size_t c = 0; c < r->N && ok; c++) {
        double mean, med;
        if (tw_game_result_tariff_stats(r, c, &mean, &med) != TW_OK) {
            ok = false;
            break;
        }
        json_t *o = json_object();
        ok = o != NULL;
        ok = ok && json_object_set_new(o, "code", json_string(tw_world_country_code(w, c))) == 0;
        ok = ok && json_object_set_new(o, "player", json_boolean(r->is_player[c])) == 0;
        ok = ok && json_object_set_new(o, "tariff_median_pct", num(100.0 * med)) == 0;
        ok = ok && json_object_set_new(o, "tariff_mean_pct", num(100.0 * mean)) == 0;
        ok = ok && json_object_set_new(o, "welfare_pct", num(r->welfare_pct[c])) == 0;
        ok = ok && json_object_set_new(o, "gov_welfare_pct", num(r->gov_pct[c])) == 0;
        ok = ok && json_object_set_new(o, "exports_pct", num(r->exports_pct[c])) == 0;
        ok = ok && json_object_set_new(o, "imports_pct", num(r->imports_pct[c])) == 0;
        ok = ok && json_object_set_new(o, "relative_wage_pct", num(r->wage_pct[c])) == 0;
        ok = ok && json_object_set_new(o, "tariffs_at_upper_bound",
                                       json_integer((json_int_t)r->at_upper[c])) == 0;
        if (r->kind == TW_GAME_TALKS) {
            ok = ok && json_object_set_new(o, "start_welfare_pct",
                                           num(r->ref_welfare_pct[c])) == 0;
            ok = ok && json_object_set_new(o, "start_gov_welfare_pct",
                                           num(r->ref_gov_pct[c])) == 0;
        }
        if (!ok || json_array_append_new(countries, o) != 0)
            ok = false;
    }
    ok = ok && json_object_set_new(summary, "mean_tariff_median_pct", num(100.0 * sm.tmed)) == 0;
    ok = ok && json_object_set_new(summary, "mean_tariff_mean_pct", num(100.0 * sm.tmean)) == 0;
    ok = ok && json_object_set_new(summary, "mean_welfare_pct", num(sm.w)) == 0;
    ok = ok && json_object_set_new(summary, "mean_gov_welfare_pct", num(sm.gov)) == 0;
    ok = ok && json_object_set_new(summary, "countries_averaged",
                                   json_integer((json_int_t)sm.n)) == 0;
    ok = ok && json_object_set_new(summary, "iterations",
                                   json_integer((json_int_t)r->iterations)) == 0;
    ok = ok && json_object_set_new(summary, "equilibrium_solves",
                                   json_integer((json_int_t)r->evaluations)) == 0;
    ok = ok && json_object_set_new(summary, "status", json_string(status_name(r))) == 0;
    ok = ok && json_object_set_new(summary, "method",
                                   json_string(r->method_formula ? "formula"
                                                                 : "best_response")) == 0;
    ok = ok && json_object_set_new(summary, "multiple_optima_hint",
                                   json_boolean(r->multiple_hint)) == 0;
    ok = ok && json_object_set_new(root, "countries", countries) == 0;
    countries = NULL;
    ok = ok && json_object_set_new(root, "tradewar_version", json_string(tw_version())) == 0;
    ok = ok && json_object_set_new(root, "stages", stages_json(w, r)) == 0;
    ok = ok && json_object_set_new(root, "summary", summary) == 0;
    summary = NULL;
    if (!ok) {
        json_decref(root);
        json_decref(countries);
        json_decref(summary);
        return tw_err_set(err, TW_ENOMEM, "report: out of memory");
    }
    return tw_report_json_dump(out, root, "the JSON document", err);
}

tw_status tw_report_game_table(FILE *out, const tw_game *g, const tw_game_result *r, tw_err *err)
{
    const tw_world *w = tw_game_world(g);
    struct summary sm;
    tw_status st = summarise(r, &sm, err);
    if (st != TW_OK)
        return st;
    if (r->kind == TW_GAME_TALKS)
        fprintf(out, "Trade talks from %s tariffs (%s, %s tariffs%s): changes from the start\n",
                from_name(r->from),
                r->talks_kind == TW_GAME_BARGAINING ? "Nash bargaining" : "equal gains",
                instrument_name(r->instrument), r->lobbying ? ", with lobbying" : "");
    else
        fprintf(out, "%s (%s tariffs%s), changes from the balanced factual baseline\n",
                r->kind == TW_GAME_OPTIMAL ? "Optimal tariffs" : r->kind == TW_GAME_NASH
                                                                    ? "Tariff war: Nash equilibrium"
                                                                    : "Tariffs",
                instrument_name(r->instrument), r->lobbying ? ", with lobbying" : "");
    fprintf(out, "  %-6s %-7s %11s %11s %11s %11s %10s %10s\n", "", "", "median", "mean",
            "welfare", "gov", "exports", "imports");
    fprintf(out, "  %-6s %-7s %11s %11s %11s %11s %10s %10s\n", "code", "role", "tariff %",
            "tariff %", "%", "welfare %", "%", "%");
    for (size_t c = 0; c < r->N; c++) {
        double mean, med;
        if (tw_game_result_tariff_stats(r, c, &mean, &med) != TW_OK)
            return tw_err_set(err, TW_ENOMEM, "report: out of memory");
        fprintf(out, "  %-6s %-7s %11.1f %11.1f %11.2f %11.2f %10.1f %10.1f\n",
                tw_world_country_code(w, c), r->is_player[c] ? "player" : "-", 100.0 * med,
                100.0 * mean, tw_report_no_negative_zero(r->welfare_pct[c], 2),
                tw_report_no_negative_zero(r->gov_pct[c], 2), r->exports_pct[c],
                r->imports_pct[c]);
    }
    fprintf(out, "  %-6s %-7s %11.1f %11.1f %11.2f %11.2f\n", "mean", "", 100.0 * sm.tmed,
            100.0 * sm.tmean, tw_report_no_negative_zero(sm.w, 2),
            tw_report_no_negative_zero(sm.gov, 2));
    fprintf(out, "\n%s after %zu %s, %zu equilibrium solves (%s)\n",
            r->interrupted ? "Interrupted (best point so far)"
            : r->converged ? "Converged"
                           : "NOT CONVERGED",
            r->iterations, r->method_formula ? "fixed-point iterations" : "round(s)",
            r->evaluations, r->method_formula ? "sufficient-statistics formula"
                                              : "best responses, NLopt L-BFGS / SLSQP");
    for (size_t c = 0; c < r->N; c++)
        if (r->at_upper[c] > 0)
            fprintf(out, "note: %zu tariffs of %s are at the upper bound\n", r->at_upper[c],
                    tw_world_country_code(w, c));
    if (r->multiple_hint)
        fputs("note: different starting points reached different optima (multiple equilibria "
              "possible); the best is reported\n", out);
    return tw_report_stream_ok(out, "the table", err);
}

tw_status tw_report_game_csv(const char *path, const tw_game *g, const tw_game_result *r,
                             tw_err *err)
{
    const tw_world *w = tw_game_world(g);
    tw_atomic_file *f = NULL;
    FILE *fp = NULL;
    tw_status st = tw_atomic_open(path, &f, &fp, err);
    if (st != TW_OK)
        return st;
    fputs("importer,exporter,sector,tariff\n", fp);
    size_t N = r->N, S = r->S;
    for (size_t c = 0; c < N; c++)
        for (size_t i = 0; i < N; i++)
            for (size_t s = 0; s < S; s++)
                if (i != c)
                    fprintf(fp, "%s,%s,%s,%.17g\n", tw_world_country_code(w, c),
                            tw_world_country_code(w, i), tw_world_sector_code(w, s),
                            r->tariff[(s * N + c) * N + i]);
    if (ferror(fp)) {
        tw_atomic_abort(f);
        return tw_err_set(err, TW_EIO, "report: cannot write %s", path);
    }
    return tw_atomic_commit(f, err);
}
