/* SPDX-License-Identifier: MIT */
/*
 * src/cli/game.c: `tradewar optimal`, `tradewar war` and `tradewar talks` (docs/cli.md, "Tariff
 * games"; JSON in docs/output.md). One option parser serves the three commands.
 *
 * Ctrl-C during a game sets a flag the library polls: it stops and returns the best point so
 * far, printed and flagged "interrupted" (exit 4).
 */
#define _POSIX_C_SOURCE 200809L

#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"

static volatile sig_atomic_t stop_flag = 0;

static void on_sigint(int sig)
{
    (void)sig;
    stop_flag = 1;
}

struct game_args {
    const char *world;
    const char *country;   /* optimal */
    const char *players;   /* war */
    const char *from;      /* talks */
    const char *solution;  /* talks */
    const char *csv;
    const char *report;    /* --report FILE (HTML) */
    bool json, help;
    tw_game_opts o;
};

void cli_game_help(FILE *out, const char *cmd)
{
    if (strcmp(cmd, "optimal") == 0)
        fputs("usage: tradewar optimal --world W --country C [options]\n"
              "\n"
              "Country C's optimal import tariffs, every other country keeping its tariffs:\n"
              "maximises C's government welfare (Ossa 2014; real income without lobbying\n"
              "weights) over its tariffs by partner and sector, by NLopt's L-BFGS with exact\n"
              "gradients (implicit-function theorem on the equilibrium).\n",
              out);
    else if (strcmp(cmd, "war") == 0)
        fputs("usage: tradewar war --world W [--players all|A,B,...] [options]\n"
              "\n"
              "The Nash equilibrium of a tariff war among the players (default all): best\n"
              "responses are iterated (all players at once, in parallel) until no tariff moves\n"
              "by more than --tol; countries outside the war keep their tariffs. With uniform\n"
              "tariffs in a perfect-competition world without lobbying the Nash tariffs solve\n"
              "Lashkaripour's (2021) sufficient-statistics formula directly (--method).\n",
              out);
    else
        fputs("usage: tradewar talks --world W [--from factual|nash|free] [options]\n"
              "\n"
              "Cooperative tariffs of trade talks: all tariffs chosen to maximise government\n"
              "welfare with equal percentage gains for every government (Ossa 2014), or the\n"
              "Nash bargaining solution with the starting point as the threat point\n"
              "(--solution bargaining; from nash: the trade war is the threat).\n",
              out);
    fputs("\n"
          "The world is a bundle directory, `default`, or import:SOURCE:DIR, and must have no\n"
          "input-output links; its meta \"model\" selects Ossa's monopolistic competition\n"
          "(ossa2014) or perfect competition (lashkaripour2021, cp2015). Every change is\n"
          "relative to the balanced-trade factual equilibrium (Ossa's purge of imbalances).\n"
          "\n"
          "Options:\n"
          "  --world W           the world (required)\n",
          out);
    if (strcmp(cmd, "optimal") == 0)
        fputs("  --country C         the country setting its tariffs (required)\n", out);
    if (strcmp(cmd, "war") == 0)
        fputs("  --players LIST      all (default) or comma-separated country codes\n"
              "  --method M          auto (default), optimize or formula\n"
              "  --tol X             stop when no tariff moves more than X (default 1e-4)\n"
              "  --max-rounds N      best-response rounds (default 50)\n"
              "  --against T         all (default): a player sets tariffs on every partner;\n"
              "                      players: only on the other players (a bilateral war)\n"
              "  --cap               formula: cap tariffs at 100 % (tariffwar's convention)\n"
              "  --threads N         best responses in parallel (default 2; 1 = serial)\n",
              out);
    if (strcmp(cmd, "talks") == 0)
        fputs("  --from F            factual (default), nash or free\n"
              "  --solution S        equal-gains (default) or bargaining\n",
              out);
    fputs("  --model M           override the world's model: ossa2014, lashkaripour2021 or\n"
          "                      cp2015 (perfect competition)\n"
          "  --mfn               one tariff per sector for all partners\n"
          "  --uniform           one tariff for all partners and sectors\n"
          "  --no-lobbying       political-economy weights set to 1 (objective = real income)\n"
          "  --objective O       gov (default) or welfare (real income)\n"
          "  --lower X, --upper X  tariff bounds (default 0 and 10, i.e. 1000 %)\n"
          "  --starts K          starting points per optimisation (default 1; with 2 or more,\n"
          "                      different optima are reported as a multiple-equilibria hint)\n"
          "  --no-purge          keep the data's trade imbalances in the baseline\n"
          "  --csv FILE          write every tariff (importer,exporter,sector,tariff)\n"
          "  --json              one JSON document (docs/output.md) instead of the table\n"
          "  --report FILE       also write a self-contained HTML report (docs/reports.md)\n"
          "  -h, --help          show this help\n"
          "\n",
          out);
    cli_print_exit_codes(out);
}

enum {
    OPT_WORLD = 256, OPT_COUNTRY, OPT_PLAYERS, OPT_FROM, OPT_SOLUTION, OPT_MFN, OPT_UNIFORM,
    OPT_NO_LOBBY, OPT_OBJECTIVE, OPT_LOWER, OPT_UPPER, OPT_STARTS, OPT_NO_PURGE, OPT_CSV,
    OPT_JSON, OPT_METHOD, OPT_TOL, OPT_MAX_ROUNDS, OPT_CAP, OPT_THREADS, OPT_AGAINST, OPT_MODEL, OPT_REPORT
};

static int parse(const char *cmd, int argc, char **argv, struct game_args *a)
{
    static const struct option options[] = {
        {"world", required_argument, NULL, OPT_WORLD},
        {"country", required_argument, NULL, OPT_COUNTRY},
        {"players", required_argument, NULL, OPT_PLAYERS},
        {"from", required_argument, NULL, OPT_FROM},
        {"solution", required_argument, NULL, OPT_SOLUTION},
        {"mfn", no_argument, NULL, OPT_MFN},
        {"uniform", no_argument, NULL, OPT_UNIFORM},
        {"no-lobbying", no_argument, NULL, OPT_NO_LOBBY},
        {"objective", required_argument, NULL, OPT_OBJECTIVE},
        {"lower", required_argument, NULL, OPT_LOWER},
        {"upper", required_argument, NULL, OPT_UPPER},
        {"starts", required_argument, NULL, OPT_STARTS},
        {"no-purge", no_argument, NULL, OPT_NO_PURGE},
        {"csv", required_argument, NULL, OPT_CSV},
        {"json", no_argument, NULL, OPT_JSON},
        {"method", required_argument, NULL, OPT_METHOD},
        {"tol", required_argument, NULL, OPT_TOL},
        {"max-rounds", required_argument, NULL, OPT_MAX_ROUNDS},
        {"cap", no_argument, NULL, OPT_CAP},
        {"threads", required_argument, NULL, OPT_THREADS},
        {"against", required_argument, NULL, OPT_AGAINST},
        {"model", required_argument, NULL, OPT_MODEL},
        {"report", required_argument, NULL, OPT_REPORT},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    memset(a, 0, sizeof *a);
    tw_game_opts_init(&a->o);
    bool mfn = false, uni = false;
    cli_getopt_reset();
    int c;
    while ((c = getopt_long(argc, argv, ":h", options, NULL)) != -1) {
        size_t n;
        double x;
        switch (c) {
        case OPT_WORLD: a->world = optarg; break;
        case OPT_COUNTRY: a->country = optarg; break;
        case OPT_PLAYERS: a->players = optarg; break;
        case OPT_FROM: a->from = optarg; break;
        case OPT_SOLUTION: a->solution = optarg; break;
        case OPT_MFN: mfn = true; break;
        case OPT_UNIFORM: uni = true; break;
        case OPT_NO_LOBBY: a->o.lobbying = false; break;
        case OPT_NO_PURGE: a->o.purge = false; break;
        case OPT_CAP: a->o.formula_cap = true; break;
        case OPT_MODEL:
            if (strcmp(optarg, "ossa2014") != 0 && strcmp(optarg, "lashkaripour2021") != 0 &&
                strcmp(optarg, "cp2015") != 0)
                return cli_usage_error(cmd, "--model takes ossa2014, lashkaripour2021 or cp2015, "
                                       "got '%s'", optarg);
            a->o.model = optarg;
            break;
        case OPT_AGAINST:
            if (strcmp(optarg, "players") == 0)
                a->o.against_players = true;
            else if (strcmp(optarg, "all") == 0)
                a->o.against_players = false;
            else
                return cli_usage_error(cmd, "--against takes all or players, got '%s'", optarg);
            break;
        case OPT_CSV: a->csv = optarg; break;
        case OPT_REPORT: a->report = optarg; break;
        case OPT_JSON: a->json = true; break;
        case 'h': a->help = true; break;
        case OPT_OBJECTIVE:
            if (strcmp(optarg, "gov") == 0)
                a->o.objective = TW_GAME_OBJ_GOV;
            else if (strcmp(optarg, "welfare") == 0)
                a->o.objective = TW_GAME_OBJ_WELFARE;
            else
                return cli_usage_error(cmd, "--objective takes gov or welfare, got '%s'", optarg);
            break;
        case OPT_METHOD:
            if (strcmp(optarg, "auto") == 0)
                a->o.method = TW_GAME_METHOD_AUTO;
            else if (strcmp(optarg, "optimize") == 0)
                a->o.method = TW_GAME_METHOD_OPTIMIZE;
            else if (strcmp(optarg, "formula") == 0)
                a->o.method = TW_GAME_METHOD_FORMULA;
            else
                return cli_usage_error(cmd, "--method takes auto, optimize or formula, got '%s'",
                                       optarg);
            break;
        case OPT_LOWER:
        case OPT_UPPER:
        case OPT_TOL:
            if (!cli_parse_double(optarg, &x) || !(x >= 0.0))
                return cli_usage_error(cmd, "%s takes a number >= 0, got '%s'",
                                       c == OPT_LOWER ? "--lower" : c == OPT_UPPER ? "--upper"
                                                                                   : "--tol",
                                       optarg);
            if (c == OPT_LOWER)
                a->o.lower = x;
            else if (c == OPT_UPPER)
                a->o.upper = x;
            else if (x > 0.0)
                a->o.tol = x;
            else
                return cli_usage_error(cmd, "--tol takes a number > 0, got '%s'", optarg);
            break;
        case OPT_STARTS:
        case OPT_MAX_ROUNDS:
        case OPT_THREADS:
            if (!cli_parse_size(optarg, &n) || n == 0 || (c != OPT_MAX_ROUNDS && n > 8))
                return cli_usage_error(cmd, "%s takes a whole number in [1, %s], got '%s'",
                                       c == OPT_STARTS ? "--starts" : c == OPT_THREADS
                                                                          ? "--threads"
                                                                          : "--max-rounds",
                                       c == OPT_MAX_ROUNDS ? "1000000" : "8", optarg);
            if (c == OPT_STARTS)
                a->o.starts = (int)n;
            else if (c == OPT_THREADS)
                a->o.threads = (int)n;
            else
                a->o.max_rounds = n;
            break;
        default:
            return cli_getopt_error(cmd, c, argv);
        }
    }
    if (a->help)
        return CLI_EXIT_OK;
    if (optind < argc)
        return cli_usage_error(cmd, "unexpected argument '%s'", argv[optind]);
    if (mfn && uni)
        return cli_usage_error(cmd, "--mfn and --uniform exclude each other");
    a->o.instrument = uni ? TW_GAME_UNIFORM : mfn ? TW_GAME_MFN : TW_GAME_BILATERAL;
    if (a->world == NULL)
        return cli_usage_error(cmd, "%s needs --world", cmd);
    if (!(a->o.upper > a->o.lower))
        return cli_usage_error(cmd, "--upper must exceed --lower");
    return CLI_EXIT_OK;
}

/* Resolve a country code or fail with a usage error. */
static bool find_country(const tw_world *w, const char *code, size_t *idx)
{
    return tw_world_find_country(w, code, idx);
}

static int output(cli_ctx *ctx, const struct game_args *a, tw_game *g, tw_game_result *r,
                  tw_status st, const tw_err *serr)
{
    tw_err err = {0};
    tw_status wst = a->json ? tw_report_game_json(stdout, g, r, &err)
                            : tw_report_game_table(stdout, g, r, &err);
    if (wst == TW_OK && a->csv != NULL)
        wst = tw_report_game_csv(a->csv, g, r, &err);
    if (wst != TW_OK)
        return cli_fail(wst, &err);
    if (a->report != NULL) {
        cli_report_buf rb;
        FILE *fp = cli_report_json_writer(&rb);
        wst = fp ? tw_report_game_json(fp, g, r, &err) : TW_OK;
        int rc = cli_report_end(&rb, wst, &err, a->world, NULL, a->report);
        if (rc != CLI_EXIT_OK)
            return rc;
    }
    if (st == TW_NOT_CONVERGED) {
        if (!ctx->quiet)
            cli_error("%s", serr->msg[0] ? serr->msg
                                         : tw_game_result_interrupted(r)
                                               ? "interrupted: the best point so far is shown"
                                               : "not converged: the last iterate is shown");
        return cli_finish_stdout(CLI_EXIT_NOT_CONVERGED);
    }
    return cli_finish_stdout(CLI_EXIT_OK);
}

static int run_game(cli_ctx *ctx, const char *cmd, int argc, char **argv)
{
    struct game_args a;
    int code = parse(cmd, argc, argv, &a);
    if (code != CLI_EXIT_OK)
        return code;
    if (a.help) {
        cli_game_help(stdout, cmd);
        return cli_finish_stdout(CLI_EXIT_OK);
    }
    tw_game_from from = TW_GAME_FROM_FACTUAL;
    tw_game_talks_kind kind = TW_GAME_EQUAL_GAINS;
    if (strcmp(cmd, "talks") == 0) {
        if (a.from != NULL && strcmp(a.from, "factual") != 0) {
            if (strcmp(a.from, "nash") == 0)
                from = TW_GAME_FROM_NASH;
            else if (strcmp(a.from, "free") == 0)
                from = TW_GAME_FROM_FREE;
            else
                return cli_usage_error(cmd, "--from takes factual, nash or free, got '%s'", a.from);
        }
        if (a.solution != NULL && strcmp(a.solution, "equal-gains") != 0) {
            if (strcmp(a.solution, "bargaining") == 0)
                kind = TW_GAME_BARGAINING;
            else
                return cli_usage_error(cmd, "--solution takes equal-gains or bargaining, got '%s'",
                                       a.solution);
        }
    } else if (a.from != NULL || a.solution != NULL)
        return cli_usage_error(cmd, "--from and --solution belong to talks");
    if (strcmp(cmd, "optimal") == 0 && a.country == NULL)
        return cli_usage_error(cmd, "optimal needs --country");
    if (strcmp(cmd, "optimal") != 0 && a.country != NULL)
        return cli_usage_error(cmd, "--country belongs to optimal (war takes --players)");
    if (strcmp(cmd, "war") != 0 && a.players != NULL)
        return cli_usage_error(cmd, "--players belongs to war");

    tw_err err = {0};
    tw_world *w = NULL;
    tw_status st = cli_load_world(a.world, NULL, &w, &err);
    if (st < 0)
        return cli_fail(st, &err);
    size_t N = tw_world_n_country(w), c = 0, np = 0;
    size_t *players = malloc(N * sizeof *players);
    if (players == NULL) {
        tw_world_free(w);
        return cli_out_of_memory();
    }
    if (a.country != NULL && !find_country(w, a.country, &c)) {
        free(players);
        tw_world_free(w);
        return cli_usage_error(cmd, "unknown country '%s'", a.country);
    }
    if (a.players == NULL || strcmp(a.players, "all") == 0) {
        for (size_t k = 0; k < N; k++)
            players[np++] = k;
    } else {
        char *list = strdup(a.players), *save = NULL;
        for (char *tok = list ? strtok_r(list, ",", &save) : NULL; tok != NULL;
             tok = strtok_r(NULL, ",", &save)) {
            size_t k;
            if (!find_country(w, tok, &k)) {
                code = cli_usage_error(cmd, "unknown country '%s' in --players", tok);
                free(list);
                free(players);
                tw_world_free(w);
                return code;
            }
            bool dup = false;
            for (size_t q = 0; q < np; q++)
                dup = dup || players[q] == k;
            if (!dup)
                players[np++] = k;
        }
        free(list);
        if (np == 0) {
            free(players);
            tw_world_free(w);
            return cli_usage_error(cmd, "--players lists no country");
        }
    }
    /* The shared progress line: best-response rounds towards --tol, with an estimate of the
     * time left; only on a terminal, never with --quiet. */
    cli_solver_progress pr;
    cli_solver_progress_start(&pr, ctx, cmd, a.o.tol, &a.o.progress, &a.o.progress_ctx);
    a.o.stop = (const volatile int *)&stop_flag;
    struct sigaction sa, old;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_sigint;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, &old);

    tw_game *g = NULL;
    tw_game_result *r = NULL;
    st = tw_game_new(w, &a.o, &g, &err);
    if (st == TW_OK) {
        if (strcmp(cmd, "optimal") == 0)
            st = tw_game_optimal(g, c, &r, &err);
        else if (strcmp(cmd, "war") == 0)
            st = tw_game_nash(g, players, np, &r, &err);
        else
            st = tw_game_talks(g, from, kind, &r, &err);
    }
    sigaction(SIGINT, &old, NULL);
    cli_progress_end(&pr.line);
    if (st < 0 || r == NULL) {
        tw_game_free(g);
        free(players);
        tw_world_free(w);
        return cli_fail(st < 0 ? st : TW_EINTERNAL, &err);
    }
    code = output(ctx, &a, g, r, st, &err);
    tw_game_result_free(r);
    tw_game_free(g);
    free(players);
    tw_world_free(w);
    return code;
}

int cli_optimal_main(cli_ctx *ctx, int argc, char **argv)
{
    return run_game(ctx, "optimal", argc, argv);
}
int cli_war_main(cli_ctx *ctx, int argc, char **argv) { return run_game(ctx, "war", argc, argv); }
int cli_talks_main(cli_ctx *ctx, int argc, char **argv)
{
    return run_game(ctx, "talks", argc, argv);
}
