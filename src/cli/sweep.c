/* SPDX-License-Identifier: MIT */
/*
 * src/cli/sweep.c: `tradewar sweep`: a scenario re-run over drawn trade elasticities, with
 * bands per country (docs/scaling.md).
 *
 *   tradewar sweep [NAME|FILE] [--draws N] [--seed S] [--rel-sd X | --theta-se FILE |
 *                  --theta-sets FILE[:SRC,...] | --theta-draws FILE] [--threads T]
 *                  [--until DATE] [--deficits data|zero] [--world DIR] [--out FILE]
 *                  [--checkpoint K] [--resume]
 *
 * Draws run on OpenMP threads; under mpirun (detected from the environment) the ranks solve
 * disjoint draws and rank 0 gathers them, so the results are the same bits as a
 * single-process run with the same seed. --out writes every draw as CSV, atomically, after
 * every --checkpoint draws; --resume restores the solved draws from --out and continues.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

#ifdef TW_HAVE_MPI
#include <mpi.h>
#endif

struct sweep_args {
    const char *until, *world, *out, *se_file, *sets_file, *draws_file, *scenario, *cov_file;
    bool json;
    tw_deficits deficits;
    size_t checkpoint;
    bool resume;
    tw_sweep_opts opts;
};

void cli_sweep_help(FILE *out)
{
    fputs("usage: tradewar sweep [NAME|FILE | --scenario NAME|FILE] [--draws N] [--seed S]\n"
          "                      [--rel-sd X | --theta-se FILE | --theta-cov FILE |\n"
          "                       --theta-sets FILE[:SRC,...]\n"
          "                       | --theta-draws FILE] [--threads T] [--until DATE]\n"
          "                      [--deficits data|zero] [--world DIR] [--out FILE]\n"
          "                      [--checkpoint K] [--resume]\n\n"
          "Re-run a scenario (default us-china-2018-2019) with drawn trade elasticities and\n"
          "report the mean, median, 5th and 95th percentiles of every country's real income\n"
          "change, welfare (USD bn/yr) and cumulative cost, and the share of draws in which it\n"
          "loses. Failed draws are counted and listed, never replaced (docs/scaling.md).\n\n"
          "  --draws N          number of draws (default 100)\n"
          "  --seed S           random seed (default 1); same seed, same results on any number\n"
          "                     of threads or MPI processes\n"
          "  --rel-sd X         theta ~ N(theta, (X theta)^2) truncated at 0.5 (default 0.1)\n"
          "  --theta-se FILE    theta ~ N(theta, se^2), se from FILE (columns sector, se)\n"
          "  --theta-cov FILE   theta ~ multivariate N(theta, cov), cov from FILE (columns\n"
          "                     sector_i, sector_j, cov; e.g. an estimation's variance matrix)\n"
          "  --theta-sets FILE  each draw takes one published set at random (columns sector,\n"
          "                     source, epsilon|theta); ':SRC,...' keeps those sources\n"
          "  --theta-draws FILE the draws themselves (columns draw, sector, theta)\n"
          "  --shock-sd X       also draw the size of the scenario's trade-cost and\n"
          "                     productivity shocks: factor v -> 1 + f (v - 1), f ~ N(1, X^2)\n"
          "  --threads T        OpenMP threads (default: all cores)\n"
          "  --out FILE         every draw as CSV (written atomically at each checkpoint)\n"
          "  --checkpoint K     write --out every K draws (default 64)\n"
          "  --json             print the bands as one JSON document (docs/output.md)\n"
          "  --resume           restore the draws already in --out and solve the rest\n"
          "  --until, --deficits, --world: as for tradewar run\n\n"
          "Under MPI: mpirun -np N tradewar sweep ... (docs/scaling.md).\n\n",
          out);
    cli_print_exit_codes(out);
}

static int parse(int argc, char **argv, struct sweep_args *a, int *first)
{
    enum { O_DRAWS = 256, O_SEED, O_RELSD, O_SE, O_SETS, O_TDRAWS, O_THREADS, O_UNTIL,
           O_DEFICITS, O_WORLD, O_OUT, O_CHECK, O_RESUME, O_SCENARIO, O_JSON, O_SHOCK, O_COV };
    static const struct option opts[] = {
        {"draws", required_argument, NULL, O_DRAWS}, {"seed", required_argument, NULL, O_SEED},
        {"rel-sd", required_argument, NULL, O_RELSD}, {"theta-se", required_argument, NULL, O_SE},
        {"theta-sets", required_argument, NULL, O_SETS},
        {"theta-draws", required_argument, NULL, O_TDRAWS},
        {"threads", required_argument, NULL, O_THREADS},
        {"until", required_argument, NULL, O_UNTIL},
        {"deficits", required_argument, NULL, O_DEFICITS},
        {"world", required_argument, NULL, O_WORLD}, {"out", required_argument, NULL, O_OUT},
        {"checkpoint", required_argument, NULL, O_CHECK},
        {"resume", no_argument, NULL, O_RESUME}, {"help", no_argument, NULL, 'h'},
        {"scenario", required_argument, NULL, O_SCENARIO}, {"json", no_argument, NULL, O_JSON},
        {"shock-sd", required_argument, NULL, O_SHOCK},
        {"theta-cov", required_argument, NULL, O_COV},
        {NULL, 0, NULL, 0}};
    memset(a, 0, sizeof *a);
    tw_sweep_opts_init(&a->opts);
    a->deficits = TW_DEFICITS_DEFAULT;
    a->checkpoint = 64;
    cli_getopt_reset();
    int c;
    size_t z;
    double x;
    while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
        switch (c) {
        case O_DRAWS:
            if (!cli_parse_size(optarg, &z) || z == 0)
                return cli_usage_error("sweep", "--draws '%s': expected a count >= 1", optarg);
            a->opts.n_draws = z;
            break;
        case O_SEED:
            if (!cli_parse_size(optarg, &z))
                return cli_usage_error("sweep", "--seed '%s': expected an integer >= 0", optarg);
            a->opts.seed = (unsigned long long)z;
            break;
        case O_RELSD:
            if (!cli_parse_double(optarg, &x) || x < 0.0)
                return cli_usage_error("sweep", "--rel-sd '%s': expected a number >= 0", optarg);
            a->opts.rel_sd = x;
            break;
        case O_SHOCK:
            if (!cli_parse_double(optarg, &x) || x < 0.0)
                return cli_usage_error("sweep", "--shock-sd '%s': expected a number >= 0", optarg);
            a->opts.shock_rel_sd = x;
            break;
        case O_SE: a->se_file = optarg; break;
        case O_COV: a->cov_file = optarg; break;
        case O_SETS: a->sets_file = optarg; break;
        case O_TDRAWS: a->draws_file = optarg; break;
        case O_THREADS:
            if (!cli_parse_size(optarg, &z) || z == 0 || z > 1024)
                return cli_usage_error("sweep", "--threads '%s': expected 1 to 1024", optarg);
            a->opts.n_threads = (int)z;
            break;
        case O_UNTIL: a->until = optarg; break;
        case O_WORLD: a->world = optarg; break;
        case O_OUT: a->out = optarg; break;
        case O_CHECK:
            if (!cli_parse_size(optarg, &z) || z == 0)
                return cli_usage_error("sweep", "--checkpoint '%s': expected >= 1", optarg);
            a->checkpoint = z;
            break;
        case O_RESUME: a->resume = true; break;
        case O_SCENARIO: a->scenario = optarg; break;
        case O_JSON: a->json = true; break;
        case O_DEFICITS:
            if (!cli_parse_deficits(optarg, &a->deficits))
                return cli_usage_error("sweep", "--deficits '%s': expected data or zero", optarg);
            break;
        case 'h': return -1;
        default: return cli_getopt_error("sweep", c, argv);
        }
    }
    if ((a->se_file != NULL) + (a->sets_file != NULL) + (a->draws_file != NULL) +
            (a->cov_file != NULL) > 1)
        return cli_usage_error("sweep", "--theta-se, --theta-cov, --theta-sets and --theta-draws "
                               "exclude each other");
    if (a->resume && a->out == NULL)
        return cli_usage_error("sweep", "--resume needs --out FILE");
    *first = optind;
    return CLI_EXIT_OK;
}

/* Load the elasticity table the options name into *vals. */
static tw_status load_thetas(struct sweep_args *a, const tw_world *w, double **vals, tw_err *err)
{
    if (a->cov_file) {
        tw_status st = tw_theta_cov_read(a->cov_file, w, vals, err);
        if (st == TW_OK)
            a->opts.cov = *vals;
        return st;
    }
    const char *file = a->se_file ? a->se_file : a->sets_file ? a->sets_file : a->draws_file;
    if (file == NULL)
        return TW_OK;
    char path[4096], *sel = NULL;
    snprintf(path, sizeof path, "%s", file);
    if (a->sets_file && (sel = strrchr(path, ':')) != NULL)
        *sel++ = '\0';
    size_t rows = 0;
    tw_status st = tw_theta_table_read(path, w, sel, vals, &rows, err);
    if (st != TW_OK)
        return st;
    if (a->se_file) {
        a->opts.se = *vals;
    } else if (a->sets_file) {
        a->opts.mode = TW_SWEEP_SETS;
        a->opts.values = *vals;
        a->opts.n_sets = rows;
    } else {
        a->opts.mode = TW_SWEEP_DRAWS;
        a->opts.values = *vals;
        if (rows < a->opts.n_draws)
            a->opts.n_draws = rows;
    }
    return TW_OK;
}

struct mpi_info {
    int rank, size;
};

static void mpi_start(struct mpi_info *m, int *argc, char ***argv)
{
    m->rank = 0;
    m->size = 1;
#ifdef TW_HAVE_MPI
    if (getenv("OMPI_COMM_WORLD_SIZE") || getenv("PMI_SIZE") || getenv("PMIX_RANK")) {
        MPI_Init(argc, argv);
        MPI_Comm_rank(MPI_COMM_WORLD, &m->rank);
        MPI_Comm_size(MPI_COMM_WORLD, &m->size);
    }
#else
    (void)argc;
    (void)argv;
#endif
}

static void mpi_stop(const struct mpi_info *m)
{
#ifdef TW_HAVE_MPI
    int on = 0;
    MPI_Initialized(&on);
    if (on)
        MPI_Finalize();
#endif
    (void)m;
}

/* Rank 0 collects every other rank's draws (draw k belongs to rank k % size). */
static int mpi_gather(const struct mpi_info *m, tw_sweep *sw)
{
#ifdef TW_HAVE_MPI
    if (m->size == 1)
        return CLI_EXIT_OK;
    size_t n = tw_sweep_n_draws(sw), len = tw_sweep_record_len(sw);
    size_t mine = 0;
    for (size_t k = (size_t)m->rank; k < n; k += (size_t)m->size)
        mine++;
    double *buf = malloc((mine ? mine : 1) * len * sizeof *buf);
    double *all = m->rank == 0 ? malloc(n * len * sizeof *all) : NULL;
    int *counts = calloc((size_t)m->size, sizeof *counts);
    int *displs = calloc((size_t)m->size, sizeof *displs);
    if (buf == NULL || (m->rank == 0 && all == NULL) || !counts || !displs) {
        cli_error("sweep: out of memory");
        MPI_Abort(MPI_COMM_WORLD, CLI_EXIT_INTERNAL);
    }
    size_t j = 0;
    for (size_t k = (size_t)m->rank; k < n; k += (size_t)m->size)
        tw_sweep_get_record(sw, k, buf + (j++) * len);
    size_t off = 0;
    for (int r = 0; r < m->size; r++) {
        size_t cnt = 0;
        for (size_t k = (size_t)r; k < n; k += (size_t)m->size)
            cnt++;
        counts[r] = (int)(cnt * len);
        displs[r] = (int)off;
        off += cnt * len;
    }
    MPI_Gatherv(buf, (int)(mine * len), MPI_DOUBLE, all, counts, displs, MPI_DOUBLE, 0,
                MPI_COMM_WORLD);
    int code = CLI_EXIT_OK;
    if (m->rank == 0) {
        for (int r = 0; r < m->size; r++) {
            size_t q = 0;
            for (size_t k = (size_t)r; k < n; k += (size_t)m->size, q++) {
                tw_err err = {0};
                if (tw_sweep_set_record(sw, k, all + (size_t)displs[r] + q * len, &err) != TW_OK)
                    code = cli_fail(TW_EINTERNAL, &err);
            }
        }
    }
    free(buf);
    free(all);
    free(counts);
    free(displs);
    return code;
#else
    (void)m;
    (void)sw;
    return CLI_EXIT_OK;
#endif
}

static int run_sweep(const cli_ctx *ctx, struct sweep_args *a, const char *what,
                     const struct mpi_info *m)
{
    tw_err err = {0};
    tw_scenario *sc = NULL;
    tw_world *w = NULL;
    tw_sweep *sw = NULL;
    double *vals = NULL;
    int code = CLI_EXIT_OK;
    tw_status st = cli_load_scenario_world(what, a->world, &sc, &w, &err);
    if (st == TW_OK)
        st = load_thetas(a, w, &vals, &err);
    if (st == TW_OK)
        st = tw_sweep_new(w, sc, a->deficits, a->until, &a->opts, &sw, &err);
    if (st == TW_OK && a->resume && m->rank == 0) {
        size_t restored = 0;
        FILE *f = fopen(a->out, "r");
        if (f != NULL) {
            fclose(f);
            st = tw_sweep_resume_csv(sw, a->out, &restored, &err);
            if (st == TW_OK && !ctx->quiet)
                fprintf(stderr, "tradewar: resumed %zu draws from %s\n", restored, a->out);
        }
    }
    if (st != TW_OK) {
        code = cli_fail(st, &err);
        goto done;
    }
    size_t n = tw_sweep_n_draws(sw), step = m->size > 1 ? n : a->checkpoint;
    cli_progress prog;
    cli_progress_start(&prog, ctx, "sweep");
    prog.on = prog.on && m->rank == 0;
    for (size_t k = 0; k < n; k += step) {
        size_t last = k + step < n ? k + step : n;
        st = tw_sweep_run(sw, k, last, (size_t)m->rank, (size_t)m->size, &err);
        if (st == TW_OK && a->out && m->size == 1)
            st = tw_report_sweep_csv(sw, a->out, &err);
        if (st != TW_OK) {
            code = cli_fail(st, &err);
            goto done;
        }
        cli_progress_count(&prog, last, n, "draws");
    }
    cli_progress_end(&prog);
    if ((code = mpi_gather(m, sw)) != CLI_EXIT_OK)
        goto done;
    if (m->rank == 0) {
        if (a->out && m->size > 1 && (st = tw_report_sweep_csv(sw, a->out, &err)) != TW_OK) {
            code = cli_fail(st, &err);
            goto done;
        }
        st = a->json ? tw_report_sweep_json(sw, stdout, &err) : tw_report_sweep(sw, stdout, &err);
        if (st != TW_OK)
            code = cli_fail(st, &err);
    }
done:
    tw_sweep_free(sw);
    tw_theta_table_free(vals);
    tw_scenario_free(sc);
    tw_world_free(w);
    return code;
}

int cli_sweep_main(cli_ctx *ctx, int argc, char **argv)
{
    struct sweep_args a;
    int first = 0, code = parse(argc, argv, &a, &first);
    if (code == -1) {
        cli_sweep_help(stdout);
        return cli_finish_stdout(CLI_EXIT_OK);
    }
    if (code != CLI_EXIT_OK)
        return code;
    if (argc - first > 1 || (a.scenario && argc - first > 0))
        return cli_usage_error("sweep", "expected at most one scenario");
    const char *what = a.scenario ? a.scenario : first < argc ? argv[first] : "us-china-2018-2019";
    struct mpi_info m;
    mpi_start(&m, &argc, &argv);
    code = run_sweep(ctx, &a, what, &m);
    mpi_stop(&m);
    return m.rank == 0 ? cli_finish_stdout(code) : code;
}
