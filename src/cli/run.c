/* SPDX-License-Identifier: MIT */
/*
 * src/cli/run.c: the main job and the scenario commands.
 *
 *   tradewar                      = tradewar run us-china-2018-2019
 *   tradewar run [NAME|FILE] [--until DATE] [--deficits data|zero] [--world DIR] [--json]
 *                [--no-retaliation | --retaliation applied|none]
 *   tradewar scenarios [--show NAME]
 *   tradewar compare A B [--until DATE] [--deficits data|zero] [--world DIR]
 *
 * A scenario is a library name (tradewar scenarios) or a file (.yaml, or a foundation tariff
 * CSV). Its world is loaded from the scenario's `world:` key: "default" (built in),
 * "import:SOURCE:DIR" (an importer run on the fly), or a bundle directory (relative to the
 * scenario file); "shared:REL" in a path means REL under $TW_SHARED_DATA (default
 * ../shared/data). --world DIR overrides it with a bundle directory.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* The scenario the main job runs. */
#define CLI_MAIN_SCENARIO "us-china-2018-2019"
/* Where the published estimates for the main job are read from, under the shared data. */
#define CLI_PUBLISHED_ESTIMATES "uschina/published_estimates.csv"
/* The 2025-2026 US tariff regime: its extra tables and its published estimates. */
#define CLI_US2025_SCENARIO "us-2025-2026"
#define CLI_US2025_ESTIMATES "us2025/published_estimates.csv"

struct run_args {
    const char *until;       /* --until, NULL = the scenario's */
    tw_deficits deficits;    /* --deficits, default: the scenario's */
    const char *world;       /* --world, NULL = the scenario's */
    bool json;               /* --json */
    /* --retaliation MODE: what partners do. Only the modes below exist; `optimal` (every
     * partner's best response) is reserved for the optimal-tariff machinery and is a usage
     * error until then. */
    enum { RETALIATION_APPLIED = 0, RETALIATION_NONE, RETALIATION_OPTIMAL } retaliation;
    const char *report;      /* --report FILE (HTML), NULL = none */
};

static tw_status path_too_long(const char *spec, tw_err *err)
{
    snprintf(err->msg, sizeof err->msg, "world \"%.200s\": the path is too long", spec);
    err->code = TW_EINVAL;
    return TW_EINVAL;
}

/* A world spec (docs/cli.md, "run"); paths in it are relative to base_file (the scenario
 * file; NULL for --world). */
tw_status cli_load_world(const char *spec, const char *base_file, tw_world **w, tw_err *err)
{
    char path[4096];
    if (strcmp(spec, "default") == 0)
        return tw_world_default(w, err);
    if (strncmp(spec, "import:", 7) == 0) {
        const char *src = spec + 7, *colon = strchr(src, ':');
        if (colon == NULL) {
            snprintf(err->msg, sizeof err->msg, "world \"%s\": expected import:SOURCE:DIR",
                     spec);
            err->code = TW_EINVAL;
            return TW_EINVAL;
        }
        char source[64];
        snprintf(source, sizeof source, "%.*s", (int)(colon - src), src);
        if (!tw_path_resolve(colon + 1, base_file, path, sizeof path))
            return path_too_long(spec, err);
        return tw_world_import(source, path, w, err);
    }
    if (!tw_path_resolve(spec, base_file, path, sizeof path))
        return path_too_long(spec, err);
    return tw_world_read(path, w, err);
}

/* A scenario named without '/' or '.' is a library name, anything else a file. */
static bool is_library_name(const char *what)
{
    return strchr(what, '/') == NULL && strchr(what, '.') == NULL;
}

/* A library name or a file. */
static tw_status load_scenario(const char *what, tw_scenario **sc, tw_err *err)
{
    if (is_library_name(what))
        return tw_scenario_library_read(what, sc, err);
    return tw_scenario_read(what, sc, err);
}

tw_status cli_load_scenario_world(const char *what, const char *world, tw_scenario **sc,
                                  tw_world **w, tw_err *err)
{
    *sc = NULL;
    *w = NULL;
    tw_status st = load_scenario(what, sc, err);
    if (st == TW_OK)
        st = cli_load_world(world ? world : tw_scenario_world(*sc), world ? NULL : what, w, err);
    return st;
}

/* The exit code of a timeline run or report with status st: not converged prints the
 * library's message as it is. */
static int timeline_code(tw_status st, const tw_err *err)
{
    if (st == TW_NOT_CONVERGED) {
        cli_error("%s", err->msg);
        return CLI_EXIT_NOT_CONVERGED;
    }
    return st != TW_OK ? cli_fail(st, err) : CLI_EXIT_OK;
}

/* Run one scenario into a timeline; *w receives its world. Returns an exit code. */
static int run_timeline(const cli_ctx *ctx, const struct run_args *a, const char *what,
                        tw_world **w, tw_timeline **t, tw_scenario **sc_out)
{
    tw_err err = {0};
    tw_scenario *sc = NULL;
    tw_status st = load_scenario(what, &sc, &err);
    if (st == TW_OK && a->retaliation != RETALIATION_APPLIED) /* none, or optimal instead */
        st = tw_scenario_drop_retaliation(sc, NULL, &err);
    if (st != TW_OK) {
        tw_scenario_free(sc);
        return cli_fail(st, &err);
    }
    const char *spec = a->world ? a->world : tw_scenario_world(sc);
    st = cli_load_world(spec, a->world ? NULL : what, w, &err);
    if (st != TW_OK) {
        tw_scenario_free(sc);
        return cli_fail(st, &err);
    }
    tw_solve_opts o;
    tw_solve_opts_init(&o);
    cli_solver_progress prog;
    cli_solver_progress_start(&prog, ctx, what, o.tol_wage, &o.progress, &o.progress_ctx);
    st = tw_timeline_run(*w, sc, a->deficits, a->until, &o, t, &err);
    cli_progress_end(&prog.line);
    if (sc_out)
        *sc_out = sc;
    else
        tw_scenario_free(sc);
    return timeline_code(st, &err);
}

/* Parse the options of run or compare (`topic`); --help prints help(stdout) and returns -1.
 * *first is the first operand. */
static int parse_run_args(const char *topic, void (*help)(FILE *out), int argc, char **argv,
                          struct run_args *a, int *first)
{
    enum { OPT_UNTIL = 256, OPT_DEFICITS, OPT_WORLD, OPT_JSON, OPT_NO_RETALIATION,
           OPT_RETALIATION, OPT_REPORT };
    static const struct option opts[] = {
        {"until", required_argument, NULL, OPT_UNTIL},
        {"deficits", required_argument, NULL, OPT_DEFICITS},
        {"world", required_argument, NULL, OPT_WORLD},
        {"json", no_argument, NULL, OPT_JSON},
        {"no-retaliation", no_argument, NULL, OPT_NO_RETALIATION},
        {"retaliation", required_argument, NULL, OPT_RETALIATION},
        {"report", required_argument, NULL, OPT_REPORT},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    a->until = NULL;
    a->deficits = TW_DEFICITS_DEFAULT;
    a->world = NULL;
    a->json = false;
    a->retaliation = RETALIATION_APPLIED;
    a->report = NULL;
    cli_getopt_reset();
    int c;
    while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
        switch (c) {
        case OPT_UNTIL: a->until = optarg; break;
        case OPT_WORLD: a->world = optarg; break;
        case OPT_JSON: a->json = true; break;
        case OPT_NO_RETALIATION: a->retaliation = RETALIATION_NONE; break;
        case OPT_RETALIATION:
            if (strcmp(optarg, "applied") == 0)
                a->retaliation = RETALIATION_APPLIED;
            else if (strcmp(optarg, "none") == 0)
                a->retaliation = RETALIATION_NONE;
            else if (strcmp(optarg, "optimal") == 0)
                a->retaliation = RETALIATION_OPTIMAL;
            else
                return cli_usage_error(topic, "--retaliation '%s': expected applied, none or "
                                       "optimal", optarg);
            break;
        case OPT_REPORT: a->report = optarg; break;
        case OPT_DEFICITS:
            if (!cli_parse_deficits(optarg, &a->deficits))
                return cli_usage_error(topic, "--deficits '%s': expected data or zero", optarg);
            break;
        case 'h': help(stdout); return -1;
        default: return cli_getopt_error(topic, c, argv);
        }
    }
    *first = optind;
    return CLI_EXIT_OK;
}

static void print_published(const tw_timeline *t)
{
    char path[4096];
    tw_path_resolve("shared:" CLI_PUBLISHED_ESTIMATES, NULL, path, sizeof path);
    FILE *f = fopen(path, "r");
    if (f == NULL) {
        printf("\nPublished estimates: %s not found (set TW_SHARED_DATA to compare).\n", path);
        return;
    }
    fclose(f);
    tw_err err = {0};
    fputc('\n', stdout);
    if (tw_report_published(t, path, stdout, &err) != TW_OK)
        printf("Published estimates: %s\n", err.msg);
}

/* The tariff-regime tables of the 2025-2026 scenario, and its published estimates. */
static tw_status print_us2025(const tw_timeline *t, tw_err *err)
{
    tw_status st = tw_report_countries(t, stdout, err);
    if (st == TW_OK)
        st = tw_report_waves_all(t, stdout, err);
    if (st == TW_OK)
        st = tw_report_tariff_path(t, "USA", stdout, err);
    if (st == TW_OK)
        st = tw_report_trade(t, "USA", stdout, err);
    if (st != TW_OK)
        return st;
    char path[4096];
    tw_path_resolve("shared:" CLI_US2025_ESTIMATES, NULL, path, sizeof path);
    FILE *f = fopen(path, "r");
    if (f == NULL) {
        printf("Published estimates: %s not found (set TW_SHARED_DATA to compare).\n", path);
        return TW_OK;
    }
    fclose(f);
    return tw_report_published_us2025(t, path, stdout, err);
}

static int do_run(const cli_ctx *ctx, const struct run_args *a, const char *what)
{
    tw_world *w = NULL;
    tw_timeline *t = NULL;
    tw_scenario *sc = NULL;
    int code = run_timeline(ctx, a, what, &w, &t, &sc);
    if (code == CLI_EXIT_OK) {
        tw_err err = {0};
        tw_status st;
        if (a->retaliation == RETALIATION_OPTIMAL && a->json) {
            code = cli_whatif_retaliation(w, t, true);
            st = TW_OK;
        } else if (a->json) {
            st = tw_report_timeline_json(t, tw_scenario_name(sc), stdout, &err);
        } else {
            char title[512];
            snprintf(title, sizeof title, "tradewar run %s: %s", what,
                     tw_scenario_description(sc)[0] ? tw_scenario_description(sc)
                                                     : tw_scenario_name(sc));
            st = tw_report_timeline(t, title, stdout, &err);
            if (st == TW_OK && strcmp(what, CLI_MAIN_SCENARIO) == 0)
                print_published(t);
            if (st == TW_OK && strcmp(tw_scenario_name(sc), CLI_US2025_SCENARIO) == 0) {
                fputc('\n', stdout);
                if (a->retaliation != RETALIATION_APPLIED)
                    printf("What-if: without partners' retaliation (--no-retaliation)\n\n");
                st = print_us2025(t, &err);
            }
            if (st == TW_OK && a->retaliation == RETALIATION_OPTIMAL) {
                fputc('\n', stdout);
                code = cli_whatif_retaliation(w, t, false);
            }
        }
        if (st != TW_OK)
            code = cli_fail(st, &err);
        if (code == CLI_EXIT_OK && a->report) {
            cli_report_buf rb;
            FILE *fp = cli_report_json_writer(&rb);
            st = fp ? tw_report_timeline_json(t, tw_scenario_name(sc), fp, &err) : TW_OK;
            char label[512];
            snprintf(label, sizeof label, "%s%s", is_library_name(what) ? "library:" : "", what);
            code = cli_report_end(&rb, st, &err, what, label, a->report);
        }
    }
    tw_timeline_free(t);
    tw_scenario_free(sc);
    tw_world_free(w);
    return cli_finish_stdout(code);
}

void cli_run_help(FILE *out)
{
    fputs("usage: tradewar run [NAME|FILE] [--until YYYY-MM-DD] [--deficits data|zero]\n"
          "                    [--world DIR] [--json] [--report FILE.html]\n\n"
          "Solve a dated scenario wave by wave and report the cost of the war.\n"
          "NAME is a scenario of the built-in library (tradewar scenarios; default "
          CLI_MAIN_SCENARIO "),\nFILE a scenario file (.yaml, docs/scenarios.md) or a tariff "
          "CSV.\n\n"
          "  --until DATE       cumulate the cost to DATE (default: the scenario's until)\n"
          "  --deficits MODE    data or zero (default: the scenario's, else data)\n"
          "  --world DIR        run on this world bundle instead of the scenario's world\n"
          "  --json             print the full results as one JSON document "
          "(docs/output.md)\n"
          "  --no-retaliation   drop the partners' retaliation (actions marked\n"
          "                     retaliation: true); the same as --retaliation none\n"
          "  --retaliation MODE applied (default: as in the scenario), none, or optimal: every\n"
          "                     partner's best response to the US tariffs instead, and the\n"
          "                     US uniform optimal tariff (docs/games.md); with --json, the\n"
          "                     retaliation game at the last wave (kind war)\n"
          "  --report FILE      also write a self-contained HTML report (docs/reports.md)\n\n",
          out);
    cli_print_exit_codes(out);
}

int cli_run_main(cli_ctx *ctx, int argc, char **argv)
{
    struct run_args a;
    int first = 0, code = parse_run_args("run", cli_run_help, argc, argv, &a, &first);
    if (code != CLI_EXIT_OK)
        return code == -1 ? cli_finish_stdout(CLI_EXIT_OK) : code;
    if (argc - first > 1)
        return cli_usage_error("run", "expected at most one scenario, got %d", argc - first);
    return do_run(ctx, &a, first < argc ? argv[first] : CLI_MAIN_SCENARIO);
}

int cli_main_job(cli_ctx *ctx)
{
    struct run_args a = {NULL, TW_DEFICITS_DEFAULT, NULL, false, RETALIATION_APPLIED, NULL};
    return do_run(ctx, &a, CLI_MAIN_SCENARIO);
}

void cli_compare_help(FILE *out)
{
    fputs("usage: tradewar compare A B [--until YYYY-MM-DD] [--deficits data|zero] "
          "[--world DIR]\n\n"
          "Run two scenarios (library names or files) on the same world and report, per\n"
          "country, B minus A: real income change (pp) and USD bn per year at the end date,\n"
          "and the cumulative cost.\n\n", out);
    cli_print_exit_codes(out);
}

int cli_compare_main(cli_ctx *ctx, int argc, char **argv)
{
    struct run_args a;
    int first = 0, code = parse_run_args("compare", cli_compare_help, argc, argv, &a, &first);
    if (code != CLI_EXIT_OK)
        return code == -1 ? cli_finish_stdout(CLI_EXIT_OK) : code;
    if (argc - first != 2)
        return cli_usage_error("compare", "expected two scenarios, got %d", argc - first);
    if (a.report)
        return cli_usage_error("compare", "--report is an option of run, not compare");
    tw_world *wa = NULL, *wb = NULL;
    tw_timeline *ta = NULL, *tb = NULL;
    code = run_timeline(ctx, &a, argv[first], &wa, &ta, NULL);
    if (code == CLI_EXIT_OK) {
        /* B runs on A's world so that the two are comparable country by country. */
        tw_err err = {0};
        tw_scenario *sb = NULL;
        tw_status st = load_scenario(argv[first + 1], &sb, &err);
        if (st == TW_OK)
            st = tw_timeline_run(wa, sb, a.deficits, a.until, NULL, &tb, &err);
        tw_scenario_free(sb);
        if (st == TW_OK)
            st = tw_report_compare(ta, argv[first], tb, argv[first + 1], stdout, &err);
        code = timeline_code(st, &err);
    }
    tw_timeline_free(ta);
    tw_timeline_free(tb);
    tw_world_free(wa);
    tw_world_free(wb);
    return cli_finish_stdout(code);
}

void cli_scenarios_help(FILE *out)
{
    fputs("usage: tradewar scenarios [--show NAME]\n\n"
          "List the built-in scenario library, or print one scenario's YAML.\n\n", out);
    cli_print_exit_codes(out);
}

int cli_scenarios_main(cli_ctx *ctx, int argc, char **argv)
{
    (void)ctx;
    if (argc == 3 && strcmp(argv[1], "--show") == 0) {
        const char *text = tw_scenario_library_text(argv[2]);
        if (text == NULL)
            return cli_usage_error("scenarios", "no scenario named '%s'", argv[2]);
        fputs(text, stdout);
        return cli_finish_stdout(CLI_EXIT_OK);
    }
    if (argc == 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
        cli_scenarios_help(stdout);
        return cli_finish_stdout(CLI_EXIT_OK);
    }
    if (argc != 1)
        return cli_usage_error("scenarios", "unexpected argument '%s'", argv[1]);
    for (size_t k = 0; k < tw_scenario_library_count(); k++) {
        const char *name = tw_scenario_library_name(k);
        tw_scenario *sc = NULL;
        tw_err err = {0};
        if (tw_scenario_library_read(name, &sc, &err) != TW_OK) {
            printf("%-28s (does not parse: %s)\n", name, err.msg);
            continue;
        }
        printf("%-28s %s\n", name, tw_scenario_description(sc)[0] ? tw_scenario_description(sc)
                                                                  : tw_scenario_name(sc));
        tw_scenario_free(sc);
    }
    return cli_finish_stdout(CLI_EXIT_OK);
}
