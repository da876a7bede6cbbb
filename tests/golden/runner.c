/* SPDX-License-Identifier: MIT */
/*
 * tests/golden/runner.c: run golden cases and compare their outputs with expected files.
 *
 * Usage: tw_golden CASE_DIR...   Each CASE_DIR holds
 *   case.csv      key,value. Either a counterfactual: importer, source (importer input,
 *                 relative to $TW_SHARED_DATA), scenario (a tariff CSV: "shared:PATH"
 *                 relative to $TW_SHARED_DATA or a path relative to the case), deficits
 *                 (data|zero); or a timeline: library (a scenario of the built-in library,
 *                 run on its world, which must be "default").
 *   expected/countries.csv   code, then any country measure columns (tw_country_measure_name);
 *                 for a timeline: code (a region or WORLD), real_income_pct,
 *                 real_income_usd_bn, cumulative_usd_bn (tariffs in force at `until`)
 *   tol.csv       column,rtol,atol: a value passes if |actual - expected| <= atol + rtol |e|
 * and prints one line per mismatch and a final "N passed, N failed" line. A case that needs
 * the shared datasets is skipped (exit 77) when they are absent, unless CI=true.
 */
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/csv.h"
#include "tradewar/tradewar.h"

#define SKIP 77

struct tol {
    char col[64];
    double rtol, atol;
};

static const char *case_value(const tw_csv_table *t, const char *key)
{
    for (size_t r = 0; r < t->n_rows; r++)
        if (strcmp(tw_csv_field(t, r, 0), key) == 0)
            return tw_csv_field(t, r, 1);
    return NULL;
}

static int shared_path(const char *rel, char *out, size_t cap)
{
    const char *root = getenv("TW_SHARED_DATA");
    if (root == NULL || root[0] == '\0')
        root = "../shared/data";
    snprintf(out, cap, "%s/%s", root, rel);
    FILE *f = fopen(out, "r");
    if (f == NULL && strchr(rel, '.') == NULL) {
        char probe[4096];
        snprintf(probe, sizeof probe, "%s/README.md", out);
        f = fopen(probe, "r");
    }
    if (f == NULL)
        return 0;
    fclose(f);
    return 1;
}

static int missing_shared(const char *what)
{
    const char *ci = getenv("CI");
    if (ci && strcmp(ci, "true") == 0) {
        fprintf(stderr, "golden: shared dataset %s is missing (required when CI=true)\n", what);
        return 1;
    }
    fprintf(stderr, "golden: SKIP: shared dataset %s not found (set TW_SHARED_DATA)\n", what);
    return SKIP;
}

/* Measures of a timeline at its final wave: real income %, USD bn/yr, cumulative USD bn. */
static bool timeline_value(const tw_timeline *t, const char *code, const char *name, double *v)
{
    const tw_world *w = tw_timeline_world(t);
    size_t k = tw_timeline_final_wave(t), N = tw_world_n_country(w), c0 = 0, c1 = N;
    if (strcmp(code, "WORLD") != 0) {
        if (!tw_world_find_country(w, code, &c0))
            return false;
        c1 = c0 + 1;
    }
    double ev = 0.0, inc = 0.0, cum = 0.0;
    for (size_t c = c0; c < c1; c++) {
        const tw_result *r = k < tw_timeline_n_waves(t) ? tw_timeline_wave_result(t, k) : NULL;
        ev += r ? tw_result_country(r, TW_C_WELFARE_USD, c) : 0.0;
        inc += r ? tw_result_country(r, TW_C_INCOME_BASE_USD, c) : 1.0;
        cum += tw_timeline_cumulative_usd(t, c);
    }
    if (strcmp(name, "real_income_pct") == 0)
        *v = 100.0 * ev / inc;
    else if (strcmp(name, "real_income_usd_bn") == 0)
        *v = ev / 1e9;
    else if (strcmp(name, "cumulative_usd_bn") == 0)
        *v = cum / 1e9;
    else
        return false;
    return true;
}

static bool tolerance(const tw_csv_table *tt, const char *name, double *rt, double *at)
{
    for (size_t q = 0; q < tt->n_rows; q++)
        if (strcmp(tw_csv_field(tt, q, 0), name) == 0) {
            *rt = atof(tw_csv_field(tt, q, 1));
            *at = atof(tw_csv_field(tt, q, 2));
            return true;
        }
    return false;
}

/* Count one comparison: pass when |a - e| <= atol + rtol |e|, else print why. */
static void compare(const char *dir, const char *code, const char *name, double a, double e,
                    double rt, double at, size_t *passed, size_t *failed)
{
    if (fabs(a - e) <= at + rt * fabs(e)) {
        (*passed)++;
        return;
    }
    fprintf(stderr, "FAIL %s: %s %s = %.10g, expected %.10g (rtol %g, atol %g)\n", dir, code,
            name, a, e, rt, at);
    (*failed)++;
}

static int run_timeline_case(const char *dir, const char *name, size_t *passed, size_t *failed)
{
    char path[4096];
    tw_err err = {0};
    tw_world *w = NULL;
    tw_scenario *sc = NULL;
    tw_timeline *t = NULL;
    tw_csv_table *exp = NULL, *tt = NULL;
    int rc = 1;
    if (tw_scenario_library_read(name, &sc, &err) != TW_OK || tw_world_default(&w, &err) != TW_OK
        || tw_timeline_run(w, sc, TW_DEFICITS_DEFAULT, NULL, NULL, &t, &err) != TW_OK)
        goto fail;
    snprintf(path, sizeof path, "%s/expected/countries.csv", dir);
    if (tw_csv_read_file(path, &exp, &err) != TW_OK)
        goto fail;
    snprintf(path, sizeof path, "%s/tol.csv", dir);
    if (tw_csv_read_file(path, &tt, &err) != TW_OK)
        goto fail;
    for (size_t row = 0; row < exp->n_rows; row++)
        for (size_t col = 1; col < exp->n_cols; col++) {
            const char *code = tw_csv_field(exp, row, 0), *m = tw_csv_header(exp, col);
            double a, e, rt, at;
            if (!timeline_value(t, code, m, &a) || !tolerance(tt, m, &rt, &at) ||
                tw_csv_parse_double(tw_csv_field(exp, row, col), &e) != TW_CSV_NUM_OK) {
                fprintf(stderr, "FAIL %s: %s %s: unknown code or measure, missing tolerance or "
                        "bad number\n", dir, code, m);
                (*failed)++;
            } else {
                compare(dir, code, m, a, e, rt, at, passed, failed);
            }
        }
    rc = 0;
    goto done;
fail:
    fprintf(stderr, "golden: %s: %s\n", dir, err.msg);
    (*failed)++;
done:
    tw_csv_free(exp);
    tw_csv_free(tt);
    tw_timeline_free(t);
    tw_scenario_free(sc);
    tw_world_free(w);
    return rc;
}

static int run_case(const char *dir, size_t *passed, size_t *failed)
{
    char path[4096], src[4096], scen[4096];
    tw_err err;
    tw_csv_table *cs = NULL, *exp = NULL, *tt = NULL;
    tw_world *w = NULL;
    tw_shock *sh = NULL;
    tw_result *r = NULL;
    int rc = 1;
    snprintf(path, sizeof path, "%s/case.csv", dir);
    if (tw_csv_read_file(path, &cs, &err) != TW_OK)
        goto fail;
    const char *lib = case_value(cs, "library");
    if (lib != NULL) {
        rc = run_timeline_case(dir, lib, passed, failed);
        goto done;
    }
    const char *imp = case_value(cs, "importer"), *source = case_value(cs, "source");
    const char *scenario = case_value(cs, "scenario"), *def = case_value(cs, "deficits");
    if (!imp || !source || !scenario || !def) {
        fprintf(stderr, "golden: %s: needs importer, source, scenario, deficits\n", path);
        goto done;
    }
    if (!shared_path(source, src, sizeof src)) {
        rc = missing_shared(source);
        goto done;
    }
    if (strncmp(scenario, "shared:", 7) == 0) {
        if (!shared_path(scenario + 7, scen, sizeof scen)) {
            rc = missing_shared(scenario + 7);
            goto done;
        }
    } else {
        snprintf(scen, sizeof scen, "%s/%s", dir, scenario);
    }
    if (tw_world_import(imp, src, &w, &err) != TW_OK || tw_shock_new(w, &sh, &err) != TW_OK ||
        tw_shock_apply_tariff_csv(sh, scen, &err) != TW_OK)
        goto fail;
    tw_deficits d = strcmp(def, "zero") == 0 ? TW_DEFICITS_ZERO : TW_DEFICITS_DATA;
    if (tw_simulate(w, sh, d, NULL, &r, &err) != TW_OK)
        goto fail;
    snprintf(path, sizeof path, "%s/expected/countries.csv", dir);
    if (tw_csv_read_file(path, &exp, &err) != TW_OK)
        goto fail;
    snprintf(path, sizeof path, "%s/tol.csv", dir);
    if (tw_csv_read_file(path, &tt, &err) != TW_OK)
        goto fail;
    for (size_t row = 0; row < exp->n_rows; row++) {
        size_t c;
        const char *code = tw_csv_field(exp, row, 0);
        if (!tw_world_find_country(w, code, &c)) {
            fprintf(stderr, "FAIL %s: unknown country %s\n", dir, code);
            (*failed)++;
            continue;
        }
        for (size_t col = 1; col < exp->n_cols; col++) {
            const char *name = tw_csv_header(exp, col);
            int m = -1;
            for (int k = 0; k < TW_C_MEASURE_COUNT; k++)
                if (strcmp(tw_country_measure_name((tw_country_measure)k), name) == 0)
                    m = k;
            double e, rt = 0.0, at = 0.0;
            if (m < 0 || !tolerance(tt, name, &rt, &at) ||
                tw_csv_parse_double(tw_csv_field(exp, row, col), &e) != TW_CSV_NUM_OK) {
                fprintf(stderr, "FAIL %s: column %s: unknown measure, missing tolerance or "
                        "bad number\n", dir, name);
                (*failed)++;
                continue;
            }
            compare(dir, code, name, tw_result_country(r, (tw_country_measure)m, c), e, rt, at,
                    passed, failed);
        }
    }
    rc = 0;
    goto done;
fail:
    fprintf(stderr, "golden: %s: %s\n", dir, err.msg);
    (*failed)++;
done:
    tw_result_free(r);
    tw_shock_free(sh);
    tw_world_free(w);
    tw_csv_free(cs);
    tw_csv_free(exp);
    tw_csv_free(tt);
    return rc;
}

int main(int argc, char **argv)
{
    size_t passed = 0, failed = 0;
    int skipped = 0;
    for (int k = 1; k < argc; k++) {
        int rc = run_case(argv[k], &passed, &failed);
        if (rc == SKIP)
            skipped++;
        else if (rc != 0)
            failed++;
    }
    printf("%zu passed, %zu failed\n", passed, failed);
    if (failed)
        return 1;
    return (skipped && passed == 0) ? SKIP : 0;
}
