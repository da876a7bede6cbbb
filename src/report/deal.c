/* SPDX-License-Identifier: MIT */
/*
 * src/report/deal.c: deals and compliance as JSON and tables (docs/output.md, "Deals";
 * the economics in docs/enforcement.md). Non-finite numbers are JSON null and "n/a" in tables.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "policy/deal.h"
#include "report/report_int.h"

static json_t *num(double x) { return isfinite(x) ? json_real(x) : json_null(); }

static double pct_of(double obs, double com)
{
    return com > 0.0 && isfinite(obs) ? 100.0 * obs / com : (double)NAN;
}

static json_t *entry(const char *key, json_t *name, double com, double obs)
{
    json_t *o = json_object();
    if (o == NULL || json_object_set_new(o, key, name) != 0 ||
        json_object_set_new(o, "committed_usd_bn", num(com)) != 0 ||
        json_object_set_new(o, "observed_usd_bn", num(obs)) != 0 ||
        json_object_set_new(o, "pct", num(pct_of(obs, com))) != 0) {
        json_decref(o);
        return NULL;
    }
    return o;
}

static json_t *compliance_obj(const tw_compliance *c)
{
    size_t K = c->n_commit, Y = c->n_year;
    json_t *o = json_object(), *years = json_array(), *cats = json_array();
    bool ok = o && years && cats;
    ok = ok && json_object_set_new(o, "deal", json_string(c->deal->name)) == 0;
    ok = ok && json_object_set_new(o, "observed_file", json_string(c->file)) == 0;
    ok = ok && json_object_set_new(o, "total_committed_usd_bn", num(c->committed_total)) == 0;
    ok = ok && json_object_set_new(o, "total_observed_usd_bn", num(c->observed_total)) == 0;
    ok = ok && json_object_set_new(o, "total_pct", num(tw_compliance_total_pct(c))) == 0;
    for (size_t y = 0; y < Y && ok; y++)
        ok = json_array_append_new(years, entry("year", json_integer(c->year[y]),
                                                c->committed_y[y], c->observed_y[y])) == 0;
    for (size_t k = 0; k < K && ok; k++) {
        json_t *e = entry("name", json_string(c->deal->commit[k].category), c->committed_k[k],
                          c->observed_k[k]);
        json_t *ky = json_array();
        ok = e && ky;
        for (size_t y = 0; y < Y && ok; y++)
            if (!isnan(c->committed[k * Y + y]))
                ok = json_array_append_new(ky, entry("year", json_integer(c->year[y]),
                                                     c->committed[k * Y + y],
                                                     c->observed[k * Y + y])) == 0;
        ok = ok && json_object_set_new(e, "years", ky) == 0;
        ky = NULL;
        ok = ok && json_array_append_new(cats, e) == 0;
        e = NULL;
        json_decref(ky);
        json_decref(e);
    }
    ok = ok && json_object_set_new(o, "years", years) == 0;
    years = NULL;
    ok = ok && json_object_set_new(o, "categories", cats) == 0;
    cats = NULL;
    json_decref(years);
    json_decref(cats);
    if (!ok) {
        json_decref(o);
        return NULL;
    }
    return o;
}

tw_status tw_report_compliance_json(FILE *out, const tw_compliance *c, tw_err *err)
{
    return tw_report_json_dump(out, compliance_obj(c), "the JSON document", err);
}

static void cell(FILE *out, double x, int width, int dec)
{
    if (isfinite(x))
        fprintf(out, " %*.*f", width, dec, tw_report_no_negative_zero(x, dec));
    else
        fprintf(out, " %*s", width, "n/a");
}

tw_status tw_report_compliance_table(FILE *out, const tw_compliance *c, tw_err *err)
{
    size_t K = c->n_commit, Y = c->n_year;
    fprintf(out, "Compliance with deal \"%s\" (observed: %s); USD bn and %% of the commitment\n",
            c->deal->name, c->file);
    fprintf(out, "  %-22s %-6s %10s %10s %8s\n", "category", "year", "committed", "observed",
            "%");
    for (size_t k = 0; k < K; k++) {
        for (size_t y = 0; y < Y; y++) {
            double com = c->committed[k * Y + y], obs = c->observed[k * Y + y];
            if (isnan(com))
                continue;
            fprintf(out, "  %-22.22s %-6d", c->deal->commit[k].category, c->year[y]);
            cell(out, com, 10, 1);
            cell(out, obs, 10, 1);
            cell(out, pct_of(obs, com), 8, 1);
            fputc('\n', out);
        }
        fprintf(out, "  %-22.22s %-6s", c->deal->commit[k].category, "all");
        cell(out, c->committed_k[k], 10, 1);
        cell(out, c->observed_k[k], 10, 1);
        cell(out, pct_of(c->observed_k[k], c->committed_k[k]), 8, 1);
        fputc('\n', out);
    }
    for (size_t y = 0; y < Y; y++) {
        fprintf(out, "  %-22s %-6d", "Total", c->year[y]);
        cell(out, c->committed_y[y], 10, 1);
        cell(out, c->observed_y[y], 10, 1);
        cell(out, pct_of(c->observed_y[y], c->committed_y[y]), 8, 1);
        fputc('\n', out);
    }
    fprintf(out, "  %-22s %-6s", "Total", "all");
    cell(out, c->committed_total, 10, 1);
    cell(out, c->observed_total, 10, 1);
    cell(out, tw_compliance_total_pct(c), 8, 1);
    fputc('\n', out);
    return tw_report_stream_ok(out, "the table", err);
}

/* ---- deals -------------------------------------------------------------------------------- */

/* One plain verdict line for side p (the deal as signed). */
static void verdict(const tw_deal_analysis *a, size_t p, char *buf, size_t cap)
{
    const struct tw_deal_side *sd = &a->side[p];
    const char *code = tw_world_country_code(a->w, sd->c);
    size_t v = TW_DEAL_AS_SIGNED;
    int n = snprintf(buf, cap, "%s: the deal is worth %+.3f %% of income (%+.1f bn USD a year) "
                     "against the war; ", code, sd->value_pct[v], sd->value_usd_bn[v]);
    if (n < 0 || (size_t)n >= cap)
        return;
    buf += n;
    cap -= (size_t)n;
    if (!(sd->value_pct[v] > 0.0))
        snprintf(buf, cap, "it is no better than the war, so no threat of returning to the war "
                 "can hold it: NOT self-enforcing");
    else if (a->punish_nash && !(sd->coop_pct[v] > a->punish_pct[p]))
        snprintf(buf, cap, "the punishment, a Nash tariff war of the two (%.3f %%), is no worse "
                 "than the deal (%.3f %%), so it deters nothing: NOT self-enforcing",
                 a->punish_pct[p], sd->coop_pct[v]);
    else if (sd->delta_star[v] == 0.0)
        snprintf(buf, cap, "deviating from it gains nothing: self-enforcing at any discount "
                 "rate");
    else if (sd->self_enforcing[v])
        snprintf(buf, cap, "it is self-enforcing at r = %.1f %% (delta %.3f >= critical %.3f; "
                 "a %zu-year snap-back deters cheating)", 100.0 * a->r, a->delta,
                 sd->delta_star[v], sd->min_punish[v]);
    else
        snprintf(buf, cap, "it is NOT self-enforcing at r = %.1f %% (delta %.3f < critical "
                 "%.3f): a one-period deviation pays more than the %s costs afterwards",
                 100.0 * a->r, a->delta, sd->delta_star[v],
                 a->punish_nash ? "Nash war" : "war");
}

static json_t *variant_obj(const tw_deal_analysis *a, const struct tw_deal_side *sd, size_t v)
{
    json_t *o = json_object();
    bool ok = o != NULL;
    ok = ok && json_object_set_new(o, "deal_welfare_pct", num(sd->coop_pct[v])) == 0;
    ok = ok && json_object_set_new(o, "deal_value_pct", num(sd->value_pct[v])) == 0;
    ok = ok && json_object_set_new(o, "deal_value_usd_bn", num(sd->value_usd_bn[v])) == 0;
    ok = ok && json_object_set_new(o, "present_value_usd_bn", num(sd->pv_usd_bn[v])) == 0;
    ok = ok && json_object_set_new(o, "cost_of_month_delay_usd_bn",
                                   num(sd->month_delay_usd_bn[v])) == 0;
    ok = ok && json_object_set_new(o, "share_of_joint_gain_pct", num(sd->share_pct[v])) == 0;
    ok = ok && json_object_set_new(o, "nash_bargaining_share_pct", json_real(50.0)) == 0;
    ok = ok && json_object_set_new(o, "deviation_welfare_pct", num(sd->dev_pct[v])) == 0;
    ok = ok && json_object_set_new(o, "deviation_mean_tariff_pct",
                                   num(100.0 * sd->dev_mean_tariff[v])) == 0;
    ok = ok && json_object_set_new(o, "critical_discount_factor", num(sd->delta_star[v])) == 0;
    ok = ok && json_object_set_new(o, "min_punishment_years",
                                   sd->min_punish[v] == SIZE_MAX
                                       ? json_null()
                                       : json_integer((json_int_t)sd->min_punish[v])) == 0;
    ok = ok && json_object_set_new(o, "self_enforcing", json_boolean(sd->self_enforcing[v])) == 0;
    (void)a;
    if (!ok) {
        json_decref(o);
        return NULL;
    }
    return o;
}

/* The year of column y of the wedges (0 when no commitment has it). */
static int wedge_year(const tw_deal_analysis *a, size_t y)
{
    for (size_t k = 0; k < a->n_commit; k++)
        if (a->wedge[k * a->n_year + y].year != 0)
            return a->wedge[k * a->n_year + y].year;
    return 0;
}

static json_t *managed_trade_obj(const tw_deal_analysis *a)
{
    size_t K = a->n_commit, Y = a->n_year, N = tw_world_n_country(a->w);
    json_t *o = json_object(), *cm = json_array(), *yr = json_array();
    bool ok = o && cm && yr;
    for (size_t k = 0; k < K && ok; k++)
        for (size_t y = 0; y < Y && ok; y++) {
            const struct tw_deal_wedge *wd = &a->wedge[k * Y + y];
            if (wd->year == 0)
                continue;
            json_t *e = json_object();
            ok = e != NULL;
            ok = ok && json_object_set_new(e, "name", json_string(a->category[k])) == 0;
            ok = ok && json_object_set_new(e, "year", json_integer(wd->year)) == 0;
            ok = ok && json_object_set_new(e, "target_usd_bn", num(wd->target_usd_bn)) == 0;
            ok = ok && json_object_set_new(e, "without_wedge_usd_bn", num(wd->without_usd_bn)) == 0;
            ok = ok && json_object_set_new(e, "with_wedge_usd_bn", num(wd->with_usd_bn)) == 0;
            ok = ok && json_object_set_new(e, "wedge", num(wd->wedge)) == 0;
            ok = ok && json_object_set_new(e, "met_without_wedge", json_boolean(wd->met_without)) == 0;
            ok = ok && json_object_set_new(e, "feasible", json_boolean(wd->feasible)) == 0;
            if (ok)
                ok = json_array_append_new(cm, e) == 0;
            else
                json_decref(e);
        }
    for (size_t y = 0; y < Y && ok; y++) {
        int year = wedge_year(a, y);
        if (year == 0)
            continue;
        json_t *e = json_object(), *cs = json_array();
        ok = e && cs;
        ok = ok && json_object_set_new(e, "year", json_integer(year)) == 0;
        for (size_t q = 0; q < N && ok; q++) {
            json_t *x = json_object();
            ok = x != NULL;
            ok = ok && json_object_set_new(x, "code", json_string(tw_world_country_code(a->w, q))) == 0;
            ok = ok && json_object_set_new(x, "welfare_pct", num(a->wedge_welfare_pct[y * N + q])) == 0;
            ok = ok && json_object_set_new(x, "welfare_usd_bn", num(a->wedge_welfare_usd_bn[y * N + q])) == 0;
            ok = ok && json_object_set_new(x, "sales_change_usd_bn", num(a->displaced_usd_bn[y * N + q])) == 0;
            if (ok)
                ok = json_array_append_new(cs, x) == 0;
            else
                json_decref(x);
        }
        if (ok) {
            ok = json_object_set_new(e, "countries", cs) == 0;
            cs = NULL;
        }
        json_decref(cs);
        if (ok)
            ok = json_array_append_new(yr, e) == 0;
        else
            json_decref(e);
    }
    if (ok) {
        ok = json_object_set_new(o, "commitments", cm) == 0;
        cm = NULL;
    }
    if (ok) {
        ok = json_object_set_new(o, "years", yr) == 0;
        yr = NULL;
    }
    json_decref(cm);
    json_decref(yr);
    if (!ok) {
        json_decref(o);
        return NULL;
    }
    return o;
}

tw_status tw_report_deal_json(FILE *out, const tw_deal_analysis *a, const tw_compliance *c,
                              tw_err *err)
{
    json_t *root = json_object(), *sides = json_array(), *others = json_array();
    bool ok = root && sides && others;
    ok = ok && json_object_set_new(root, "kind", json_string("deal")) == 0;
    ok = ok && json_object_set_new(root, "tradewar_version", json_string(tw_version())) == 0;
    ok = ok && json_object_set_new(root, "deal", json_string(a->name)) == 0;
    ok = ok && json_object_set_new(root, "world", json_string(tw_world_meta(a->w, "name"))) == 0;
    ok = ok && json_object_set_new(root, "discount_rate", json_real(a->r)) == 0;
    ok = ok && json_object_set_new(root, "discount_factor", json_real(a->delta)) == 0;
    ok = ok && json_object_set_new(root, "punishment",
                                   json_string(a->punish_nash ? "nash_war" : "threat")) == 0;
    for (size_t p = 0; p < 2 && ok; p++) {
        const struct tw_deal_side *sd = &a->side[p];
        json_t *o = variant_obj(a, sd, TW_DEAL_AS_SIGNED);
        ok = ok && o != NULL &&
             json_object_set_new(o, "punishment_welfare_pct", num(a->punish_pct[p])) == 0;
        if (ok && a->punish_nash)
            ok = json_object_set_new(o, "nash_war_tariff_pct", num(a->nash_tariff_pct[p])) == 0;
        json_t *full = variant_obj(a, sd, TW_DEAL_FULL);
        char line[512];
        verdict(a, p, line, sizeof line);
        ok = o && full;
        ok = ok && json_object_set_new(o, "code", json_string(tw_world_country_code(a->w, sd->c))) == 0;
        ok = ok && json_object_set_new(o, "income_usd_bn", num(sd->income_usd_bn)) == 0;
        ok = ok && json_object_set_new(o, "war_welfare_pct", num(sd->threat_pct)) == 0;
        if (ok) {
            ok = json_object_set_new(o, "remaining_tariffs_removed", full) == 0;
            full = NULL;
        }
        ok = ok && json_object_set_new(o, "verdict", json_string(line)) == 0;
        if (ok)
            ok = json_array_append_new(sides, o) == 0; /* steals o even on failure */
        else
            json_decref(o);
        json_decref(full);
    }
    size_t N = tw_world_n_country(a->w);
    for (size_t k = 0; k < N && ok; k++) {
        if (k == a->side[0].c || k == a->side[1].c)
            continue;
        json_t *o = json_object();
        ok = o != NULL;
        ok = ok && json_object_set_new(o, "code", json_string(tw_world_country_code(a->w, k))) == 0;
        ok = ok && json_object_set_new(o, "war_welfare_pct", num(a->threat_all[k])) == 0;
        ok = ok && json_object_set_new(o, "deal_welfare_pct", num(a->coop_all[k])) == 0;
        if (ok)
            ok = json_array_append_new(others, o) == 0;
        else
            json_decref(o);
    }
    json_t *snap = json_object();
    ok = ok && snap != NULL;
    ok = ok && json_object_set_new(snap, "below_pct", num(a->snap_back_pct)) == 0;
    ok = ok && json_object_set_new(snap, "fulfilment_pct", num(a->fulfilment_pct)) == 0;
    ok = ok && json_object_set_new(snap, "triggered",
                                   isfinite(a->snap_back_pct) && isfinite(a->fulfilment_pct)
                                       ? json_boolean(a->fulfilment_pct < a->snap_back_pct)
                                       : json_null()) == 0;
    if (ok) {
        ok = json_object_set_new(root, "snap_back", snap) == 0;
        snap = NULL;
    }
    if (ok) {
        ok = json_object_set_new(root, "sides", sides) == 0;
        sides = NULL;
    }
    if (ok) {
        ok = json_object_set_new(root, "others", others) == 0;
        others = NULL;
    }
    if (ok) {
        json_t *mt = managed_trade_obj(a);
        ok = mt != NULL && json_object_set_new(root, "managed_trade", mt) == 0;
    }
    if (ok) {
        json_t *comp = c != NULL ? compliance_obj(c) : json_null();
        ok = comp != NULL && json_object_set_new(root, "compliance", comp) == 0;
    }
    ok = ok && json_object_set_new(root, "converged", json_boolean(a->converged)) == 0;
    ok = ok && json_object_set_new(root, "evaluations",
                                   json_integer((json_int_t)a->evaluations)) == 0;
    json_decref(sides);
    json_decref(others);
    json_decref(snap);
    if (!ok) {
        json_decref(root);
        return tw_err_set(err, TW_ENOMEM, "report: out of memory");
    }
    return tw_report_json_dump(out, root, "the JSON document", err);
}

tw_status tw_report_deal_table(FILE *out, const tw_deal_analysis *a, const tw_compliance *c,
                               tw_err *err)
{
    fprintf(out, "Deal \"%s\": value against the war, and enforcement (discount rate %.1f %%, "
            "delta %.3f)\n", a->name, 100.0 * a->r, a->delta);
    fprintf(out, "Payoffs: real income, %% change from the balanced baseline, per year\n");
    const char *vname[2] = {"as signed (tariffs kept)", "remaining tariffs removed"};
    for (size_t v = 0; v < 2; v++) {
        fprintf(out, "\n%s\n", vname[v]);
        fprintf(out, "  %-5s %8s %8s %8s %9s %9s %9s %9s %7s %7s %8s\n", "side", "war P",
                "deal C", "cheat D", "value %", "bn USD/y", "PV bn", "bn/month", "share%",
                "delta*", "punish");
        for (size_t p = 0; p < 2; p++) {
            const struct tw_deal_side *sd = &a->side[p];
            fprintf(out, "  %-5s", tw_world_country_code(a->w, sd->c));
            cell(out, sd->threat_pct, 8, 3);
            cell(out, sd->coop_pct[v], 8, 3);
            cell(out, sd->dev_pct[v], 8, 3);
            cell(out, sd->value_pct[v], 9, 3);
            cell(out, sd->value_usd_bn[v], 9, 1);
            cell(out, sd->pv_usd_bn[v], 9, 0);
            cell(out, sd->month_delay_usd_bn[v], 9, 2);
            cell(out, sd->share_pct[v], 7, 1);
            if (isinf(sd->delta_star[v]))
                fprintf(out, " %7s", "never");
            else
                cell(out, sd->delta_star[v], 7, 3);
            if (sd->min_punish[v] == SIZE_MAX)
                fprintf(out, " %8s", "none");
            else
                fprintf(out, " %7zuy", sd->min_punish[v]);
            fputc('\n', out);
        }
    }
    fprintf(out, "\nshare%%: share of the joint gain in USD (Nash bargaining with the war as "
            "threat point: 50 %%); punish: shortest snap-back that deters cheating\n");
    size_t K = a->n_commit, Y = a->n_year, N = tw_world_n_country(a->w);
    fprintf(out, "\nPurchase commitments in equilibrium (managed trade at the deal's tariffs; "
            "model USD bn)\n");
    fprintf(out, "  %-22s %-6s %9s %9s %9s %8s  %s\n", "category", "year", "target", "no wedge",
            "wedge", "factor", "note");
    for (size_t k = 0; k < K; k++)
        for (size_t y = 0; y < Y; y++) {
            const struct tw_deal_wedge *wd = &a->wedge[k * Y + y];
            if (wd->year == 0)
                continue;
            fprintf(out, "  %-22.22s %-6d", a->category[k], wd->year);
            cell(out, wd->target_usd_bn, 9, 1);
            cell(out, wd->without_usd_bn, 9, 1);
            cell(out, wd->with_usd_bn, 9, 1);
            cell(out, wd->wedge, 8, 3);
            fprintf(out, "  %s\n", !wd->feasible ? "INFEASIBLE: not reached even when third "
                                                   "countries are priced out (x100)"
                                   : wd->met_without ? "met without a wedge"
                                   : wd->wedge == 1.0 ? "met through the other categories' wedges"
                                                      : "");
        }
    for (size_t y = 0; y < Y; y++) {
        int year = wedge_year(a, y);
        if (year == 0)
            continue;
        fprintf(out, "  %d: effect of the wedges (real income, points / USD bn; change in "
                "sales of the committed sectors to the importer, USD bn):\n   ", year);
        for (size_t q = 0; q < N; q++)
            fprintf(out, " %s %+.3f/%+.1f/%+.1f", tw_world_country_code(a->w, q),
                    a->wedge_welfare_pct[y * N + q], a->wedge_welfare_usd_bn[y * N + q],
                    a->displaced_usd_bn[y * N + q]);
        fputc('\n', out);
    }
    if (c != NULL) {
        fputc('\n', out);
        tw_status st = tw_report_compliance_table(out, c, err);
        if (st != TW_OK)
            return st;
    }
    if (isfinite(a->snap_back_pct) && isfinite(a->fulfilment_pct))
        fprintf(out, "\nsnap-back: fulfilment %.1f %% is %s the %.0f %% threshold: %s\n",
                a->fulfilment_pct, a->fulfilment_pct < a->snap_back_pct ? "below" : "not below",
                a->snap_back_pct, a->fulfilment_pct < a->snap_back_pct
                                      ? "the war tariffs may return"
                                      : "no snap-back");
    fputc('\n', out);
    for (size_t p = 0; p < 2; p++) {
        char line[512];
        verdict(a, p, line, sizeof line);
        fprintf(out, "%s\n", line);
    }
    if (!a->converged)
        fputs("note: a best response stopped at its evaluation cap (NOT CONVERGED)\n", out);
    return tw_report_stream_ok(out, "the table", err);
}
