/* SPDX-License-Identifier: MIT */
/*
 * bench/bench.c: timings and memory of the headline workloads (never run as a test).
 *
 *   tw_bench [--reps N] [--shared DIR] [--max-size N] [--only LABEL] [--threads T]
 *            [--ppml all|LABEL]
 *
 * 1. The CP2015 NAFTA counterfactual (31 x 40, zero deficits, tol_wage 1e-12): median wall
 *    time of tw_simulate (baseline + counterfactual = two equilibria) over N repetitions.
 * 2. Synthetic worlds from 10 x 10 up to 100 x 50: median time, outer/inner iterations, and
 *    the process's peak resident memory after the size has run.
 * 3. Big worlds (time_big): one counterfactual, a 10-point US tariff on every partner and
 *    sector (deficits held), on each full-resolution import of the shared data (wiod2011
 *    41 x 35, icio2017 81 x 28, wiod2014 44 x 16; the import time is printed too), and a
 *    25-point tariff war on a synthetic 200 x 100 world (when --max-size >= 200).
 *    `--only LABEL` runs just that big-world workload (or `cp2015-nafta`, or a game label of
 *    section 6), so peakMB is its own peak.
 * 5. The GE-gravity NAFTA counterfactual on the AGTPA panel (time_gegravity): full GE on the
 *    observed and on a cost-fitted baseline ("outer" = counterfactual iterations, "price" =
 *    baseline-scaling iterations, "residual" = equilibrium check).
 * 4. PPML (--ppml all, or one label; alone, so peakMB is that workload's): the RTA model with
 *    exporter-year, importer-year and pair FE on the AGTPA panel (agtpa-rta-3fe-28k, the
 *    Table 3 sample; agtpa-rta-3fe-100k, all 21 years) and on synthetic panels
 *    (synth-300x20-3fe, 1.79 million rows; synth-670x20-3fe, 8.96 million, only by label).
 *    Wall and CPU time per fit (median), with fixest's single-thread time from gravity.md 6.
 * 6. Tariff games (time_games): Ossa's optimal tariffs and Nash war, Lashkaripour's wars, a
 *    US-China war on the built-in world.
 * 7. Deals (time_deal, `--only deal-phase-one`): the whole Phase One analysis.
 * Results are printed as a table; docs/performance.md records them with this command. cpu-ms
 * is the median CPU time (user + system, summed over threads) of one simulate: quote it when
 * the machine is shared. `--threads T` sets tw_solve_opts.n_threads (threads inside a solve;
 * default 0 = the OpenMP default).
 */
#define _POSIX_C_SOURCE 200809L
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "tradewar/tradewar.h"

static double now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* CPU time of the process (all threads), ms: the figure to quote when the machine is shared,
 * since wall time then depends on the other load. */
static double cpu_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

/* Solver threads inside one solve (--threads; 0 = the OpenMP default). */
static int g_threads = 0;

static double peak_rss_mb(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)ru.ru_maxrss / 1024.0;
}

/* Median time of `reps` simulations; prints the solver report of the last one. */
static int time_simulate(const char *label, const tw_world *w, const tw_shock *sh,
                         tw_deficits d, int reps)
{
    double *t = calloc(2 * (size_t)reps, sizeof(double)), *c = t + reps;
    tw_solver_info bi = {0}, ci = {0};
    tw_err err;
    tw_solve_opts o;
    tw_solve_opts_init(&o);
    o.n_threads = g_threads;
    for (int k = 0; k < reps; k++) {
        tw_result *r = NULL;
        double t0 = now_ms(), c0 = cpu_ms();
        tw_status st = tw_simulate(w, sh, d, &o, &r, &err);
        t[k] = now_ms() - t0;
        c[k] = cpu_ms() - c0;
        if (st != TW_OK) {
            fprintf(stderr, "bench: %s: %s\n", label, err.msg);
            free(t);
            tw_result_free(r);
            return 1;
        }
        tw_result_solver(r, TW_STAGE_BASELINE, &bi);
        tw_result_solver(r, TW_STAGE_COUNTERFACTUAL, &ci);
        tw_result_free(r);
    }
    qsort(t, (size_t)reps, sizeof(double), cmp_double);
    qsort(c, (size_t)reps, sizeof(double), cmp_double);
    double med = t[reps / 2];
    printf("%-22s %4zu x %-3zu %10.2f %10.2f %7zu %8zu %8zu %9.1e %9.1f %9.1f\n", label,
           tw_world_n_country(w), tw_world_n_sector(w), med, med / 2.0, ci.iterations,
           ci.price_iterations, ci.expenditure_iterations, ci.residual, peak_rss_mb(),
           c[reps / 2]);
    free(t);
    return 0;
}

/* ---- PPML with high-dimensional fixed effects (docs/performance.md, "Estimation") ---- */

/* Fit `d` reps times; print median wall and CPU ms per fit, iterations, sweeps, peak RSS. */
static int fit_ppml(const char *label, const tw_ppml_data *d, const tw_ppml_opts *o, int reps,
                    const char *fixest)
{
    double wall[64], cpu[64];
    if (reps > 64)
        reps = 64;
    tw_ppml *p = NULL;
    tw_err err;
    for (int r = 0; r < reps; r++) {
        tw_ppml_free(p);
        p = NULL;
        double t0 = now_ms(), c0 = cpu_ms();
        tw_status st = tw_ppml_new(d, o, &p, &err);
        wall[r] = now_ms() - t0;
        cpu[r] = cpu_ms() - c0;
        if (st < 0) {
            fprintf(stderr, "bench: %s: %s\n", label, err.msg);
            return 1;
        }
    }
    qsort(wall, (size_t)reps, sizeof wall[0], cmp_double);
    qsort(cpu, (size_t)reps, sizeof cpu[0], cmp_double);
    size_t k_rta = tw_ppml_n_coef(p) - 1; /* rta is the last regressor in every model here */
    printf("%-24s %9zu %9.1f %9.1f %5zu %7zu %9.2f %9.7f %8.3g   fixest %s\n", label,
           tw_ppml_n_obs(p), wall[reps / 2], cpu[reps / 2], tw_ppml_iterations(p),
           tw_ppml_demean_sweeps(p), peak_rss_mb(), tw_ppml_coef(p)[k_rta],
           tw_ppml_se(p)[k_rta], fixest);
    tw_ppml_free(p);
    return 0;
}

/*
 * The AGTPA RTA model with exporter-year, importer-year and pair FE, clustered by pair, on
 * the Table 3 sample (1986, 1990, ..., 2006: 28,566 rows, 28,482 used) and on the whole
 * annual master panel (99,981 rows); gravity.md section 6: fixest 0.123 s and 0.434 s.
 */
static int time_ppml_agtpa(const char *shared, int reps, const tw_ppml_opts *o,
                           const char *only)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/agtpa/agtpa_panel_1986_2006.csv.gz", shared);
    tw_panel_opts po;
    tw_panel_opts_init(&po);
    po.cluster = "pair_id";
    tw_panel *panel = NULL;
    tw_err err;
    if (tw_panel_read(path, "trade ~ year + rta | exporter^year + importer^year + pair_id", &po,
                      &panel, &err) != TW_OK) {
        printf("agtpa-rta-3fe: skipped (%s)\n", err.msg);
        return 0;
    }
    const tw_ppml_data *all = tw_panel_data(panel);
    int rc = 0;
    if (only == NULL || strcmp(only, "agtpa-rta-3fe-28k") == 0) {
        size_t n = all->n_obs, m = 0;
        double *y = malloc(n * sizeof *y), *x = malloc(n * sizeof *x);
        int32_t *ids = malloc(4 * n * sizeof *ids);
        if (y == NULL || x == NULL || ids == NULL) {
            free(y);
            free(x);
            free(ids);
            tw_panel_free(panel);
            return 1;
        }
        for (size_t i = 0; i < n; i++) {
            long year = (long)all->x[0][i];
            if ((year - 1986) % 4 != 0)
                continue;
            y[m] = all->y[i];
            x[m] = all->x[1][i];
            for (size_t g = 0; g < 3; g++)
                ids[g * n + m] = all->fe[g][i];
            ids[3 * n + m] = all->cluster[0][i];
            m++;
        }
        const double *xs[1] = {x};
        const int32_t *fe[3] = {ids, ids + n, ids + 2 * n}, *cl[1] = {ids + 3 * n};
        tw_ppml_data d = *all;
        d.n_obs = m;
        d.y = y;
        d.n_x = 1;
        d.x = xs;
        d.x_names = all->x_names + 1;
        d.fe = fe;
        d.cluster = cl;
        d.fe_labels = NULL;
        rc |= fit_ppml("agtpa-rta-3fe-28k", &d, o, reps, "0.123 s");
        free(y);
        free(x);
        free(ids);
    }
    if (only == NULL || strcmp(only, "agtpa-rta-3fe-100k") == 0) {
        tw_ppml_data d = *all;
        d.n_x = 1;
        d.x = all->x + 1;
        d.x_names = all->x_names + 1;
        rc |= fit_ppml("agtpa-rta-3fe-100k", &d, o, reps, "0.434 s");
    }
    tw_panel_free(panel);
    return rc;
}

/* The GE-gravity NAFTA counterfactual (69 countries, 1994, sigma 7, rta = 0 among CAN, MEX,
 * USA with the book's 0.5571853): median time of tw_gegrav_new, full GE, on the observed
 * baseline and on a fitted baseline (cost -0.84 ln dist + 0.557 rta; the baseline scaling is
 * timed too). The panel is read once, outside the timing. */
static int time_gegravity(const char *shared, int reps)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/agtpa/agtpa_panel_1986_2006.csv.gz", shared);
    tw_panel *panel = NULL;
    tw_err err;
    if (tw_panel_read(path, "trade ~ year + rta + log(dist) | exporter + importer", NULL, &panel,
                      &err) != TW_OK) {
        printf("gegravity-nafta: skipped (%s)\n", err.msg);
        return 0;
    }
    const tw_ppml_data *d = tw_panel_data(panel);
    size_t n = d->fe_levels[0];
    double *x = calloc(n * n, sizeof *x), *p = calloc(n * n, sizeof *p);
    double *c = calloc(n * n, sizeof *c);
    size_t *imp = calloc(n, sizeof *imp);
    int rc = 0;
    if (!x || !p || !c || !imp || d->fe_levels[1] != n) {
        fprintf(stderr, "bench: gegravity setup failed\n");
        rc = 1;
        goto done;
    }
    for (size_t l = 0; l < n; l++)
        for (size_t i = 0; i < n; i++)
            if (strcmp(d->fe_labels[0][i], d->fe_labels[1][l]) == 0)
                imp[l] = i;
    for (size_t o = 0; o < d->n_obs; o++) {
        if (d->x[0][o] != 1994.0)
            continue;
        size_t i = (size_t)d->fe[0][o], j = imp[d->fe[1][o]];
        const char *a = d->fe_labels[0][i], *b = d->fe_labels[0][j];
        bool nafta = i != j && (strcmp(a, "CAN") == 0 || strcmp(a, "MEX") == 0 ||
                                strcmp(a, "USA") == 0) &&
                     (strcmp(b, "CAN") == 0 || strcmp(b, "MEX") == 0 || strcmp(b, "USA") == 0);
        x[i * n + j] = d->y[o];
        c[i * n + j] = -0.84 * d->x[2][o] + 0.5571853 * d->x[1][o];
        p[i * n + j] = nafta ? -0.5571853 * d->x[1][o] : 0.0;
    }
    for (int fitted = 0; fitted < 2; fitted++) {
        tw_gegrav_data gd = {.n_country = n, .flows = x, .partial = p,
                             .ln_cost = fitted ? c : NULL};
        double times[64];
        int nr = reps > 64 ? 64 : reps;
        tw_gegrav_info info = {0};
        for (int r = 0; r < nr; r++) {
            tw_gegrav *g = NULL;
            double t0 = now_ms();
            tw_status st = tw_gegrav_new(&gd, NULL, &g, &err);
            times[r] = now_ms() - t0;
            if (st != TW_OK) {
                fprintf(stderr, "bench: %s\n", err.msg);
                rc = 1;
                goto done;
            }
            tw_gegrav_get_info(g, &info);
            tw_gegrav_free(g);
        }
        qsort(times, (size_t)nr, sizeof times[0], cmp_double);
        printf("%-22s %10zu %10.2f %10s %7zu %8zu %8s %9.2g %9.1f\n",
               fitted ? "gegravity-nafta-fitted" : "gegravity-nafta-obs", n, times[nr / 2], "-",
               info.iterations, info.baseline_iterations, "-", info.check_residual,
               peak_rss_mb());
    }
done:
    free(x);
    free(p);
    free(c);
    free(imp);
    tw_panel_free(panel);
    return rc;
}

/* Synthetic panels (tw_synth_panel, seed 1): the three-way RTA model, clustered by pair. */
static int time_ppml_synth(size_t n_country, int reps, const tw_ppml_opts *o,
                           const char *fixest)
{
    tw_synth_panel_opts so;
    tw_synth_panel_opts_init(&so);
    so.n_country = n_country;
    so.n_year = 20;
    tw_synth_panel *sp = NULL;
    tw_err err;
    double t0 = now_ms();
    if (tw_synth_panel_new(&so, &sp, &err) != TW_OK) {
        fprintf(stderr, "bench: %s\n", err.msg);
        return 1;
    }
    double t_gen = now_ms() - t0;
    char label[64];
    snprintf(label, sizeof label, "synth-%zux20-3fe", n_country);
    int rc = fit_ppml(label, tw_synth_panel_data(sp, true), o, reps, fixest);
    printf("%-24s (panel generated in %.0f ms, not timed above)\n", "", t_gen);
    tw_synth_panel_free(sp);
    return rc;
}

/* The PPML section; only = NULL runs all but the 9-million-row panel. */
static int time_ppml(const char *shared, int reps, const char *only, size_t threads)
{
    tw_ppml_opts o;
    tw_ppml_opts_init(&o);
    o.vcov = TW_VCOV_CLUSTER;
    o.n_threads = threads;
    printf("PPML, %zu thread%s; wall and CPU ms per fit (median)\n", threads,
           threads == 1 ? "" : "s");
    printf("%-24s %9s %9s %9s %5s %7s %9s %9s %8s\n", "workload", "n_obs", "wall_ms",
           "cpu_ms", "iter", "sweeps", "peakMB", "rta", "se");
    int rc = 0;
    if (only == NULL || strncmp(only, "agtpa", 5) == 0)
        rc |= time_ppml_agtpa(shared, reps, &o, only);
    if (only == NULL || strcmp(only, "synth-300x20-3fe") == 0)
        rc |= time_ppml_synth(300, reps < 3 ? reps : 3, &o, "~3 s");
    if (only != NULL && strcmp(only, "synth-670x20-3fe") == 0)
        rc |= time_ppml_synth(670, 1, &o, "27-30 s");
    return rc;
}

/* Median time of the whole US-China timeline (every wave) on the built-in world. */
static int time_timeline(const char *name, int reps)
{
    tw_err err;
    tw_world *w = NULL;
    tw_scenario *sc = NULL;
    if (tw_world_default(&w, &err) != TW_OK || tw_scenario_library_read(name, &sc, &err) != TW_OK) {
        printf("%s: skipped (%s)\n", name, err.msg);
        tw_world_free(w);
        return 0;
    }
    double *t = calloc((size_t)reps, sizeof(double));
    size_t waves = 0, outer = 0;
    for (int k = 0; k < reps; k++) {
        tw_timeline *tl = NULL;
        double t0 = now_ms();
        tw_status st = tw_timeline_run(w, sc, TW_DEFICITS_DEFAULT, NULL, NULL, &tl, &err);
        t[k] = now_ms() - t0;
        if (st != TW_OK) {
            fprintf(stderr, "bench: %s: %s\n", name, err.msg);
            free(t);
            return 1;
        }
        waves = tw_timeline_n_waves(tl);
        outer = 0;
        for (size_t q = 0; q < waves; q++) {
            tw_solver_info in;
            tw_result_solver(tw_timeline_wave_result(tl, q), TW_STAGE_COUNTERFACTUAL, &in);
            outer += in.iterations;
        }
        tw_timeline_free(tl);
    }
    qsort(t, (size_t)reps, sizeof(double), cmp_double);
    printf("%-22s %4zu x %-3zu %10.2f %10.2f %7zu %8s %8s %9s %9.1f   (%zu waves)\n", name,
           tw_world_n_country(w), tw_world_n_sector(w), t[reps / 2],
           t[reps / 2] / (double)(waves + 1), outer, "-", "-", "-", peak_rss_mb(), waves);
    free(t);
    tw_scenario_free(sc);
    tw_world_free(w);
    return 0;
}

static void tariff_war(const tw_world *w, tw_shock *sh, size_t a, size_t b, double add)
{
    tw_err err;
    for (size_t s = 0; s < tw_world_n_sector(w); s++) {
        if (!tw_world_sector_is_tradable(w, s))
            continue;
        tw_shock_set_tariff(sh, a, b, s, tw_world_tariff(w, a, b, s) + add, &err);
        tw_shock_set_tariff(sh, b, a, s, tw_world_tariff(w, b, a, s) + add, &err);
    }
}

/* Section 3: the big worlds; `only` (or NULL for all) selects one by label. */
static int time_big(const char *shared, int reps, size_t max_size, const char *only)
{
    static const struct {
        const char *label, *source, *dir;
    } big[] = {{"wiod2011-us10", "wiod2011", "wiod_2011_mrio/full"},
               {"icio2017-us10", "icio2017", "icio_2017_trade_tariffs/full"},
               {"wiod2014-us10", "wiod2014", "wiod_2014_trade_tariffs/full"}};
    int rc = 0;
    for (size_t q = 0; q < sizeof big / sizeof big[0]; q++) {
        if (only != NULL && strcmp(only, big[q].label) != 0)
            continue;
        char dir[4096];
        tw_world *w = NULL;
        tw_shock *sh = NULL;
        tw_err err;
        snprintf(dir, sizeof dir, "%s/%s", shared, big[q].dir);
        double t0 = now_ms();
        if (tw_world_import(big[q].source, dir, &w, &err) != TW_OK ||
            tw_shock_new(w, &sh, &err) != TW_OK) {
            printf("%s: skipped (%s)\n", big[q].label, err.msg);
            tw_world_free(w);
            continue;
        }
        double t_import = now_ms() - t0;
        size_t us;
        if (tw_world_find_country(w, "USA", &us))
            for (size_t s = 0; s < tw_world_n_sector(w); s++)
                for (size_t i = 0; i < tw_world_n_country(w); i++)
                    if (i != us)
                        tw_shock_set_tariff(sh, us, i, s, tw_world_tariff(w, us, i, s) + 0.10,
                                            &err);
        rc |= time_simulate(big[q].label, w, sh, TW_DEFICITS_DATA, reps);
        printf("%-22s import %.0f ms\n", "", t_import);
        tw_shock_free(sh);
        tw_world_free(w);
    }
    if ((only == NULL && max_size >= 200) ||
        (only != NULL && strcmp(only, "synthetic-200x100") == 0)) {
        tw_world *w = NULL;
        tw_shock *sh = NULL;
        tw_err err;
        if (tw_world_synthetic(200, 100, 2385, &w, &err) != TW_OK ||
            tw_shock_new(w, &sh, &err) != TW_OK) {
            fprintf(stderr, "bench: %s\n", err.msg);
            return 1;
        }
        tariff_war(w, sh, 0, 1, 0.25);
        rc |= time_simulate("synthetic-200x100", w, sh, TW_DEFICITS_DATA, reps < 3 ? reps : 3);
        tw_shock_free(sh);
        tw_world_free(w);
    }
    return rc;
}

/* Section 4: tariff games (docs/games.md): one bilateral optimal-tariff problem and the
 * bilateral Nash war on Ossa's (2014) data, Lashkaripour's (2021) uniform wars on WIOD 2014 and
 * ICIO 2017, and a US-China war on the built-in world. Times include the balanced-trade purge,
 * not the import. `only` selects one label (NULL: all). */
static int time_games(const char *shared, const char *only)
{
    static const struct {
        const char *label, *source, *dir, *kind;
        tw_game_instrument ins;
        bool against;
    } games[] = {
        {"ossa-optimal-usa", "ossa2014", "ossa2014", "optimal", TW_GAME_BILATERAL, false},
        {"ossa-nash", "ossa2014", "ossa2014", "nash", TW_GAME_BILATERAL, false},
        {"lashkaripour-wiod2014", "lashkaripour-wiod2014", "wiod_2014_trade_tariffs/full", "nash",
         TW_GAME_UNIFORM, false},
        {"lashkaripour-icio2017", "lashkaripour-icio2017", "icio_2017_trade_tariffs/full", "nash",
         TW_GAME_UNIFORM, false},
        {"default-us-china-war", NULL, NULL, "nash", TW_GAME_BILATERAL, true},
    };
    int rc = 0;
    printf("\n%-22s %10s %10s %10s %8s %9s\n", "game", "size", "ms", "rounds", "solves",
           "peakMB");
    for (size_t q = 0; q < sizeof games / sizeof games[0]; q++) {
        if (only != NULL && strcmp(only, games[q].label) != 0)
            continue;
        tw_world *w = NULL;
        tw_err err;
        char dir[4096];
        tw_status st;
        if (games[q].source == NULL)
            st = tw_world_default(&w, &err);
        else {
            snprintf(dir, sizeof dir, "%s/%s", shared, games[q].dir);
            st = tw_world_import(games[q].source, dir, &w, &err);
        }
        if (st != TW_OK) {
            printf("%s: skipped (%s)\n", games[q].label, err.msg);
            continue;
        }
        size_t N = tw_world_n_country(w), players[1000], np = 0, usa = 0, chn = 1;
        tw_world_find_country(w, "USA", &usa);
        tw_world_find_country(w, "CHN", &chn);
        if (games[q].against) {
            players[np++] = usa;
            players[np++] = chn;
        } else
            for (size_t c = 0; c < N; c++)
                players[np++] = c;
        tw_game_opts o;
        tw_game_opts_init(&o);
        o.instrument = games[q].ins;
        o.against_players = games[q].against;
        tw_game *g = NULL;
        tw_game_result *r = NULL;
        double t0 = now_ms();
        st = tw_game_new(w, &o, &g, &err);
        if (st == TW_OK)
            st = strcmp(games[q].kind, "optimal") == 0 ? tw_game_optimal(g, usa, &r, &err)
                                                       : tw_game_nash(g, players, np, &r, &err);
        double t = now_ms() - t0;
        if (st != TW_OK) {
            fprintf(stderr, "bench: %s: %s\n", games[q].label, err.msg);
            rc = 1;
        } else
            printf("%-22s %4zu x %-3zu %10.1f %10zu %8zu %9.1f\n", games[q].label, N,
                   tw_world_n_sector(w), t, tw_game_result_iterations(r),
                   tw_game_result_evaluations(r), peak_rss_mb());
        tw_game_result_free(r);
        tw_game_free(g);
        tw_world_free(w);
    }
    return rc;
}

/* Section 7: deals (docs/enforcement.md): the full Phase One analysis on the built-in world
 * (threat and deal tariffs, four best responses, value and enforcement; target < 5 s). The
 * time includes loading the world and the scenarios. */
static int time_deal(const char *only)
{
    if (only != NULL && strcmp(only, "deal-phase-one") != 0)
        return 0;
    double t0 = now_ms();
    tw_err err;
    tw_world *w = NULL;
    tw_deal *d = NULL;
    tw_scenario *threat = NULL, *tariffs = NULL;
    tw_deal_analysis *a = NULL;
    tw_status st = tw_world_default(&w, &err);
    if (st == TW_OK)
        st = tw_deal_library_read("phase-one-2020", &d, &err);
    if (st == TW_OK)
        st = tw_deal_load_scenarios(d, &threat, &tariffs, &err);
    if (st == TW_OK)
        st = tw_deal_analyze(w, d, threat, tariffs, NULL, &a, &err);
    double t = now_ms() - t0;
    if (st != TW_OK)
        fprintf(stderr, "bench: deal-phase-one: %s\n", err.msg);
    else
        printf("\n%-22s %10s %10.1f ms %9.1f MB\n", "deal-phase-one", "10 x 10", t,
               peak_rss_mb());
    tw_deal_analysis_free(a);
    tw_scenario_free(threat);
    tw_scenario_free(tariffs);
    tw_deal_free(d);
    tw_world_free(w);
    return st == TW_OK ? 0 : 1;
}

/* Section 1: the CP2015 NAFTA counterfactual (also `--only cp2015-nafta`). */
static int time_nafta(const char *shared, int reps)
{
    char src[4096], scen[4096];
    snprintf(src, sizeof src, "%s/cp2015", shared);
    snprintf(scen, sizeof scen, "%s/cp2015/tariffs_nafta_counterfactual.csv", shared);
    tw_world *w = NULL;
    tw_shock *sh = NULL;
    tw_err err;
    int rc = 0;
    if (tw_world_import("cp2015", src, &w, &err) == TW_OK && tw_shock_new(w, &sh, &err) == TW_OK
        && tw_shock_apply_tariff_csv(sh, scen, &err) == TW_OK)
        rc = time_simulate("cp2015-nafta", w, sh, TW_DEFICITS_ZERO, reps);
    else
        printf("cp2015-nafta: skipped (%s)\n", err.msg);
    tw_shock_free(sh);
    tw_world_free(w);
    return rc;
}

int main(int argc, char **argv)
{
    int reps = 15;
    size_t max_size = 100;
    const char *shared = getenv("TW_SHARED_DATA"), *only = NULL, *ppml = NULL;
    size_t threads = 1;
    if (shared == NULL)
        shared = "../shared/data";
    for (int k = 1; k < argc; k++) {
        if (strcmp(argv[k], "--reps") == 0 && k + 1 < argc)
            reps = atoi(argv[++k]);
        else if (strcmp(argv[k], "--shared") == 0 && k + 1 < argc)
            shared = argv[++k];
        else if (strcmp(argv[k], "--max-size") == 0 && k + 1 < argc)
            max_size = (size_t)atol(argv[++k]);
        else if (strcmp(argv[k], "--only") == 0 && k + 1 < argc)
            only = argv[++k];
        else if (strcmp(argv[k], "--ppml") == 0 && k + 1 < argc)
            ppml = argv[++k];
        else if (strcmp(argv[k], "--threads") == 0 && k + 1 < argc) {
            threads = (size_t)atol(argv[++k]);
            g_threads = (int)threads; /* PPML fits and solves alike */
        }
        else {
            fprintf(stderr, "usage: tw_bench [--reps N] [--shared DIR] [--max-size N] "
                    "[--only LABEL] [--ppml all|PPML_LABEL] [--threads N]\n");
            return 1;
        }
    }
    if (reps < 1)
        reps = 1;
    if (threads < 1)
        threads = 1;
    if (ppml != NULL)
        return time_ppml(shared, reps, strcmp(ppml, "all") == 0 ? NULL : ppml, threads);
    printf("tradewar %s bench: median of %d runs; times in ms; one simulate = baseline + "
           "counterfactual equilibria\n", tw_version(), reps);
    printf("%-22s %10s %10s %10s %7s %8s %8s %9s %9s %9s\n", "workload", "size", "simulate",
           "per-eq", "outer", "price", "expend", "residual", "peakMB", "cpu-ms");
    if (only != NULL && strcmp(only, "cp2015-nafta") == 0)
        return time_nafta(shared, reps);
    if (only != NULL && strcmp(only, "deal-phase-one") == 0)
        return time_deal(only);
    if (only != NULL)
        return strncmp(only, "ossa", 4) == 0 || strncmp(only, "lashkaripour", 12) == 0 ||
                       strncmp(only, "default-", 8) == 0
                   ? time_games(shared, only)
                   : time_big(shared, reps, max_size, only);
    int rc = time_nafta(shared, reps);
    tw_world *w = NULL;
    tw_shock *sh = NULL;
    tw_err err;
    rc |= time_timeline("us-china-2018-2019", reps);
    rc |= time_ppml(shared, reps, NULL, 1);
    rc |= time_gegravity(shared, reps);
    const size_t sizes[][2] = {{10, 10}, {20, 20}, {40, 50}, {60, 50}, {100, 50}};
    for (size_t q = 0; q < sizeof sizes / sizeof sizes[0]; q++) {
        if (sizes[q][0] > max_size)
            break;
        w = NULL;
        sh = NULL;
        if (tw_world_synthetic(sizes[q][0], sizes[q][1], 2385, &w, &err) != TW_OK ||
            tw_shock_new(w, &sh, &err) != TW_OK) {
            fprintf(stderr, "bench: %s\n", err.msg);
            return 1;
        }
        tariff_war(w, sh, 0, 1, 0.25);
        char label[64];
        snprintf(label, sizeof label, "synthetic-war");
        rc |= time_simulate(label, w, sh, TW_DEFICITS_DATA, sizes[q][0] >= 60 ? 5 : reps);
        tw_shock_free(sh);
        tw_world_free(w);
    }
    rc |= time_big(shared, reps, max_size, NULL);
    rc |= time_games(shared, NULL);
    rc |= time_deal(NULL);
    return rc;
}
