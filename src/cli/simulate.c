/* SPDX-License-Identifier: MIT */
/*
 * src/cli/simulate.c: `tradewar simulate`, a tariff counterfactual from the command line.
 *
 * Reads a world bundle, starts from the zero shock (tw_shock_new), applies a tariff CSV
 * (tw_shock_apply_tariff_csv), solves baseline and counterfactual (tw_simulate) and prints
 * the country table, or the JSON document with --json; --csv also writes the CSV tables.
 *
 * Non-convergence (TW_NOT_CONVERGED) is always an error for this command (the foundation
 * issue: a run that does not converge exits nonzero and never prints results as if
 * converged): the message names the stage and by how much it missed, no table or CSV is
 * written (the JSON document still is, with "converged": false) and the exit code is 4.
 * --strict is accepted for scripts written against the STYLE.md wording and changes nothing.
 *
 * A progress line ("solving <stage>: iteration N, residual X") is drawn on stderr through
 * the solver's progress callback, only when stderr is a terminal and --quiet is not given,
 * at most ten times a second, and erased when the solver returns.
 */
#define _GNU_SOURCE

#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"

/* The parsed command line. */
struct sim_args {
    bool help;
    const char *world_dir;    /* --world, required */
    const char *scenario;     /* --scenario, required */
    tw_deficits deficits;     /* --deficits, default data */
    bool json;                /* --json */
    const char *csv_dir;      /* --csv, NULL when absent */
    const char *report;       /* --report FILE (HTML), NULL when absent */
    bool strict;              /* --strict */
    tw_solve_opts opts;       /* tw_solve_opts_init plus --tol, --max-iter, --damping */
};

enum { OPT_WORLD = 256, OPT_SCENARIO, OPT_DEFICITS, OPT_JSON, OPT_CSV, OPT_TOL, OPT_MAX_ITER,
       OPT_DAMPING, OPT_STRICT, OPT_REPORT };

static int parse_value(void *args, int c, const char *v)
{
    struct sim_args *a = args;
    switch (c) {
    case OPT_JSON: a->json = true; break;
    case OPT_STRICT: a->strict = true; break;
    case OPT_WORLD: a->world_dir = v; break;
    case OPT_SCENARIO: a->scenario = v; break;
    case OPT_CSV: a->csv_dir = v; break;
    case OPT_REPORT: a->report = v; break;
    case OPT_DEFICITS:
        if (!cli_parse_deficits(v, &a->deficits))
            return cli_usage_error("simulate", "--deficits expects 'data' or 'zero', got '%s'",
                                   v);
        break;
    case OPT_TOL: return cli_opt_unit_open("simulate", "--tol", v, &a->opts.tol_wage);
    case OPT_MAX_ITER: return cli_opt_max_iter("simulate", v, &a->opts.max_iter);
    case OPT_DAMPING:
        if (!cli_parse_double(v, &a->opts.damping) || a->opts.damping <= 0.0 ||
            a->opts.damping > 1.0)
            return cli_usage_error("simulate", "--damping expects a number in (0, 1], got "
                                               "'%s'", v);
        break;
    }
    return CLI_EXIT_OK;
}

static int parse_args(cli_ctx *ctx, int argc, char **argv, struct sim_args *a)
{
    static const struct option options[] = {
        {"help", no_argument, NULL, 'h'},
        {"quiet", no_argument, NULL, 'q'},
        {"world", required_argument, NULL, OPT_WORLD},
        {"scenario", required_argument, NULL, OPT_SCENARIO},
        {"deficits", required_argument, NULL, OPT_DEFICITS},
        {"json", no_argument, NULL, OPT_JSON},
        {"csv", required_argument, NULL, OPT_CSV},
        {"report", required_argument, NULL, OPT_REPORT},
        {"tol", required_argument, NULL, OPT_TOL},
        {"max-iter", required_argument, NULL, OPT_MAX_ITER},
        {"damping", required_argument, NULL, OPT_DAMPING},
        {"strict", no_argument, NULL, OPT_STRICT},
        {NULL, 0, NULL, 0},
    };
    *a = (struct sim_args){.deficits = TW_DEFICITS_DATA};
    tw_solve_opts_init(&a->opts);
    a->opts.bilateral = TW_BILATERAL_KEEP; /* --csv writes flows.csv and decomposition.csv */
    int code = cli_getopt_parse(ctx, "simulate", argc, argv, options, &a->help, parse_value, a);
    if (code != CLI_EXIT_OK || a->help)
        return code;
    if (optind < argc)
        return cli_usage_error("simulate", "unexpected argument '%s'", argv[optind]);
    if (a->world_dir == NULL)
        return cli_usage_error("simulate", "--world DIR is required");
    if (a->scenario == NULL)
        return cli_usage_error("simulate", "--scenario FILE is required");
    return CLI_EXIT_OK;
}

/* Read the world and build the shock; on failure prints the error and returns its code. */
static int load_inputs(const cli_ctx *ctx, const struct sim_args *a, tw_world **w,
                       tw_shock **sh)
{
    tw_err err = {0};
    tw_status st = tw_world_read(a->world_dir, w, &err);
    if (st >= 0 && strcmp(tw_world_meta(*w, "model"), "ossa2014") == 0)
        cli_warn(ctx, "%s is an Ossa (2014) world: simulate solves the Caliendo-Parro model "
                 "(perfect competition), without Ossa's profits; the games (optimal, war, "
                 "talks) use Ossa's model", a->world_dir);
    if (st >= 0)
        st = tw_shock_new(*w, sh, &err);
    if (st >= 0)
        st = tw_shock_apply_tariff_csv(*sh, a->scenario, &err);
    return st < 0 ? cli_fail(st, &err) : CLI_EXIT_OK;
}

/* Write the CSV tables and print the results as asked; returns the exit code. The CSV files
 * come first so that a failure to write them never follows a table that looks complete. */
static int write_outputs(const struct sim_args *a, const tw_result *r, bool converged)
{
    tw_err err = {0};
    tw_status st = TW_OK;
    bool publish = converged;
    if (a->csv_dir != NULL && publish)
        st = tw_report_csv_dir(r, a->csv_dir, &err);
    if (st >= 0 && a->report != NULL && publish) {
        cli_report_buf rb;
        FILE *fp = cli_report_json_writer(&rb);
        st = fp ? tw_report_json(r, fp, &err) : TW_OK;
        int code = cli_report_end(&rb, st, &err, a->scenario, a->scenario, a->report);
        if (code != CLI_EXIT_OK)
            return code;
    }
    if (st >= 0 && a->json)
        st = tw_report_json(r, stdout, &err);
    else if (st >= 0 && publish)
        st = tw_report_table(r, stdout, &err);
    return st < 0 ? cli_fail(st, &err) : CLI_EXIT_OK;
}

/* Solve, report, and decide the exit code from the solver's status. */
static int solve_and_report(const cli_ctx *ctx, struct sim_args *a, const tw_world *w,
                            const tw_shock *sh)
{
    cli_solver_progress prog; /* wage iterations towards the wage tolerance */
    cli_solver_progress_start(&prog, ctx, "simulate", a->opts.tol_wage, &a->opts.progress,
                              &a->opts.progress_ctx);
    tw_err err = {0};
    tw_result *r = NULL;
    tw_status st = tw_simulate(w, sh, a->deficits, &a->opts, &r, &err);
    cli_progress_end(&prog.line);
    if (st < 0)
        return cli_fail(st, &err);
    bool converged = st != TW_NOT_CONVERGED;
    const char *why = err.msg[0] ? err.msg : "the solver did not converge";
    /* A run that did not converge is always an error (never printed as if converged). */
    if (!converged)
        cli_error("%s", why);
    int code = write_outputs(a, r, converged);
    tw_result_free(r);
    if (code == CLI_EXIT_OK && !converged)
        code = CLI_EXIT_NOT_CONVERGED;
    return code;
}

static int run(const cli_ctx *ctx, struct sim_args *a)
{
    tw_world *w = NULL;
    tw_shock *sh = NULL;
    int code = load_inputs(ctx, a, &w, &sh);
    if (code == CLI_EXIT_OK)
        code = solve_and_report(ctx, a, w, sh);
    tw_shock_free(sh);
    tw_world_free(w);
    return cli_finish_stdout(code);
}

void cli_simulate_help(FILE *out)
{
    tw_solve_opts d;
    tw_solve_opts_init(&d);
    fputs("usage: tradewar simulate --world DIR --scenario FILE [--deficits data|zero]\n"
          "                         [--json] [--csv OUTDIR] [--report FILE.html] [--tol X]\n"
          "                         [--max-iter N]\n"
          "                         [--damping V] [--strict]\n"
          "\n"
          "Solve the baseline (data tariffs) and the counterfactual (the scenario's tariffs)\n"
          "of the Caliendo-Parro (2015) model on a world and print each country's effects:\n"
          "welfare and its terms-of-trade and volume-of-trade parts, real income, real wage,\n"
          "welfare in USD, tariff revenue, exports and imports.\n"
          "\n"
          "Options:\n"
          "  --world DIR        world bundle to read (required)\n"
          "  --scenario FILE    tariff CSV importer,exporter,sector,rate (required); '*' in a\n"
          "                     code column means every code; cells not listed keep their\n"
          "                     data tariff\n"
          "  --deficits MODE    data: hold trade deficits at their data values (default);\n"
          "                     zero: solve both stages with balanced trade (CP2015 Table 2)\n"
          "  --json             print one JSON document instead of the table\n"
          "  --csv OUTDIR       also write countries.csv, sectors.csv, flows.csv,\n"
          "                     decomposition.csv and solver.csv into OUTDIR (created if\n"
          "                     missing)\n"
          "  --report FILE      also write a self-contained HTML report (docs/reports.md)\n",
          out);
    fprintf(out,
            "  --tol X            stop when wages change by less than X, in (0, 1)\n"
            "                     (default %g)\n"
            "  --max-iter N       at most N wage iterations per stage, >= 1 (default %zu)\n"
            "  --damping V        wage step size, in (0, 1] (default %g)\n",
            d.tol_wage, d.max_iter, d.damping);
    fputs("  --strict           accepted for compatibility: non-convergence is always an\n"
          "                     error (exit 4, no table)\n"
          "                     or CSV (without it: a warning, results flagged, exit 0)\n"
          "  -q, --quiet        no warnings and no progress line\n"
          "  -h, --help         show this help\n"
          "\n",
          out);
    cli_print_exit_codes(out);
}

int cli_simulate_main(cli_ctx *ctx, int argc, char **argv)
{
    struct sim_args a;
    int code = parse_args(ctx, argc, argv, &a);
    if (code != CLI_EXIT_OK)
        return code;
    if (a.help) {
        cli_simulate_help(stdout);
        return cli_finish_stdout(CLI_EXIT_OK);
    }
    return run(ctx, &a);
}
