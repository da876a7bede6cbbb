/* SPDX-License-Identifier: MIT */
/*
 * src/cli/deal.c: `tradewar deal DEAL` and `tradewar compliance --deal D --observed FILE`
 * (docs/cli.md, "Deals"; JSON in docs/output.md; the economics in docs/enforcement.md).
 * DEAL is a deal of the built-in library (deals/) or a deal file.
 */
#define _POSIX_C_SOURCE 200809L

#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"

void cli_deal_help(FILE *out, const char *cmd)
{
    if (strcmp(cmd, "compliance") == 0)
        fputs("usage: tradewar compliance --deal DEAL --observed FILE [--json]\n"
              "\n"
              "Fulfilment of a deal's purchase commitments: observed purchases by category and\n"
              "year against the commitments, in USD bn and % of the commitment.\n"
              "FILE is a CSV with the columns category,year,observed_usd_bn; category is a\n"
              "category of the deal or Total, year a year of the deal or all\n"
              "(docs/enforcement.md, \"Compliance\").\n"
              "\n"
              "Options:\n"
              "  --deal DEAL         a deal of the library (phase-one-2020) or a deal file\n"
              "  --observed FILE     the observed purchases (required)\n"
              "  --json              one JSON document (docs/output.md, \"Deals\")\n"
              "  -h, --help          show this help\n"
              "\n",
              out);
    else
        fputs("usage: tradewar deal DEAL [--observed FILE] [--discount R] [--json]\n"
              "\n"
              "What a deal is worth to each side against continuing the war, the cost of a\n"
              "month of delay, each side's share of the joint gain, and whether the deal is\n"
              "self-enforcing: critical discount factors and the shortest snap-back that\n"
              "deters cheating, for the deal as signed (remaining tariffs kept as leverage)\n"
              "and with the remaining tariffs removed (docs/enforcement.md).\n"
              "DEAL is a deal of the library (phase-one-2020) or a deal file.\n"
              "\n"
              "Options:\n"
              "  --observed FILE     observed purchases: adds the compliance and the snap-back\n"
              "  --discount R        annual discount rate, > 0 (default 0.05)\n"
              "  --max-punishment T  longest snap-back searched, years (default 100)\n"
              "  --punishment P      threat (default: back to the war's tariffs) or nash: the\n"
              "                      two sides' Nash tariff war, each taxing the other\n"
              "  --json              one JSON document (docs/output.md, \"Deals\")\n"
              "  --report FILE       also write a self-contained HTML report (docs/reports.md)\n"
              "  -h, --help          show this help\n"
              "\n",
              out);
    cli_print_exit_codes(out);
}

static bool is_file(const char *p)
{
    struct stat sb;
    return stat(p, &sb) == 0;
}

static tw_status load_deal(const char *spec, tw_deal **d, tw_err *err)
{
    if (is_file(spec) || strchr(spec, '/') != NULL || strstr(spec, ".yaml") != NULL)
        return tw_deal_read(spec, d, err);
    return tw_deal_library_read(spec, d, err);
}

enum { OPT_DEAL = 256, OPT_OBSERVED, OPT_JSON, OPT_DISCOUNT, OPT_MAXP, OPT_REPORT, OPT_PUNISH };

struct deal_args {
    const char *deal, *observed;
    const char *report; /* --report FILE (HTML; deal only) */
    bool json, help;
    tw_deal_opts o;
};

static int parse(const char *cmd, int argc, char **argv, struct deal_args *a)
{
    static const struct option options[] = {
        {"deal", required_argument, NULL, OPT_DEAL},
        {"observed", required_argument, NULL, OPT_OBSERVED},
        {"json", no_argument, NULL, OPT_JSON},
        {"report", required_argument, NULL, OPT_REPORT},
        {"discount", required_argument, NULL, OPT_DISCOUNT},
        {"max-punishment", required_argument, NULL, OPT_MAXP},
        {"punishment", required_argument, NULL, OPT_PUNISH},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    memset(a, 0, sizeof *a);
    tw_deal_opts_init(&a->o);
    bool is_deal = strcmp(cmd, "deal") == 0;
    cli_getopt_reset();
    int c;
    while ((c = getopt_long(argc, argv, ":h", options, NULL)) != -1) {
        double x;
        size_t n;
        switch (c) {
        case OPT_DEAL:
            if (is_deal)
                return cli_usage_error(cmd, "deal takes the deal as its argument, not --deal");
            a->deal = optarg;
            break;
        case OPT_OBSERVED: a->observed = optarg; break;
        case OPT_JSON: a->json = true; break;
        case OPT_REPORT: a->report = optarg; break;
        case OPT_PUNISH:
            if (strcmp(optarg, "nash") == 0)
                a->o.punish_nash = true;
            else if (strcmp(optarg, "threat") == 0)
                a->o.punish_nash = false;
            else
                return cli_usage_error(cmd, "--punishment takes threat or nash, got '%s'",
                                       optarg);
            break;
        case 'h': a->help = true; break;
        case OPT_DISCOUNT:
            if (!is_deal)
                return cli_usage_error(cmd, "--discount is an option of deal");
            if (!cli_parse_double(optarg, &x) || !(x > 0.0) || !isfinite(x))
                return cli_usage_error(cmd, "--discount takes a rate > 0 such as 0.05, got "
                                       "'%s'", optarg);
            a->o.discount_rate = x;
            break;
        case OPT_MAXP:
            if (!is_deal)
                return cli_usage_error(cmd, "--max-punishment is an option of deal");
            if (!cli_parse_size(optarg, &n) || n == 0 || n > 100000)
                return cli_usage_error(cmd, "--max-punishment takes a whole number of years in "
                                       "[1, 100000], got '%s'", optarg);
            a->o.max_punishment = n;
            break;
        default:
            return cli_getopt_error(cmd, c, argv);
        }
    }
    if (a->help)
        return CLI_EXIT_OK;
    if (is_deal) {
        if (optind >= argc)
            return cli_usage_error(cmd, "deal needs a deal name or file (e.g. phase-one-2020)");
        a->deal = argv[optind++];
    }
    if (optind < argc)
        return cli_usage_error(cmd, "unexpected argument '%s'", argv[optind]);
    if (a->deal == NULL)
        return cli_usage_error(cmd, "%s needs --deal", cmd);
    if (!is_deal && a->observed == NULL)
        return cli_usage_error(cmd, "compliance needs --observed FILE");
    return CLI_EXIT_OK;
}

/* Parse the command line of `cmd` into *a; true when the command is done: a usage error, or
 * --help (the help is printed, also after a usage error). *code is then its exit code. */
static bool parse_done(const char *cmd, int argc, char **argv, struct deal_args *a, int *code)
{
    *code = parse(cmd, argc, argv, a);
    if (*code == CLI_EXIT_OK && !a->help)
        return false;
    if (a->help) {
        cli_deal_help(stdout, cmd);
        *code = cli_finish_stdout(*code);
    }
    return true;
}

int cli_compliance_main(cli_ctx *ctx, int argc, char **argv)
{
    (void)ctx;
    struct deal_args a;
    int code;
    if (parse_done("compliance", argc, argv, &a, &code))
        return code;
    tw_err err;
    tw_deal *d = NULL;
    tw_compliance *c = NULL;
    tw_status st = load_deal(a.deal, &d, &err);
    if (st == TW_OK)
        st = tw_compliance_new(d, a.observed, &c, &err);
    if (st == TW_OK)
        st = a.json ? tw_report_compliance_json(stdout, c, &err)
                    : tw_report_compliance_table(stdout, c, &err);
    tw_compliance_free(c);
    tw_deal_free(d);
    if (st != TW_OK)
        return cli_fail(st, &err);
    return cli_finish_stdout(CLI_EXIT_OK);
}

int cli_deal_main(cli_ctx *ctx, int argc, char **argv)
{
    struct deal_args a;
    int code;
    if (parse_done("deal", argc, argv, &a, &code))
        return code;
    tw_err err;
    tw_deal *d = NULL;
    tw_compliance *c = NULL;
    tw_scenario *threat = NULL, *tariffs = NULL;
    tw_world *w = NULL;
    tw_deal_analysis *an = NULL;
    tw_status st = load_deal(a.deal, &d, &err);
    if (st == TW_OK && a.observed != NULL && (st = tw_compliance_new(d, a.observed, &c, &err)) ==
                                                 TW_OK)
        a.o.fulfilment_pct = tw_compliance_total_pct(c);
    if (st == TW_OK)
        st = tw_deal_load_scenarios(d, &threat, &tariffs, &err);
    if (st == TW_OK)
        st = cli_load_world(tw_deal_world(d), NULL, &w, &err);
    if (st == TW_OK && ctx->stderr_tty && !ctx->quiet)
        fprintf(stderr, "deal %s: best responses of both sides...\r", tw_deal_name(d));
    bool not_conv = false;
    if (st == TW_OK) {
        st = tw_deal_analyze(w, d, threat, tariffs, &a.o, &an, &err);
        if (st == TW_NOT_CONVERGED) {
            not_conv = true;
            st = TW_OK;
        }
    }
    if (ctx->stderr_tty && !ctx->quiet)
        fprintf(stderr, "%60s\r", "");
    if (st == TW_OK)
        st = a.json ? tw_report_deal_json(stdout, an, c, &err)
                    : tw_report_deal_table(stdout, an, c, &err);
    int rcode = CLI_EXIT_OK;
    if (st == TW_OK && a.report != NULL) {
        cli_report_buf rb;
        FILE *fp = cli_report_json_writer(&rb);
        tw_status wst = fp ? tw_report_deal_json(fp, an, c, &err) : TW_OK;
        rcode = cli_report_end(&rb, wst, &err, a.deal, NULL, a.report);
    }
    tw_deal_analysis_free(an);
    tw_world_free(w);
    tw_scenario_free(threat);
    tw_scenario_free(tariffs);
    tw_compliance_free(c);
    tw_deal_free(d);
    if (st != TW_OK)
        return cli_fail(st, &err);
    if (rcode != CLI_EXIT_OK)
        return rcode;
    if (not_conv)
        cli_warn(ctx, "a best response stopped at its evaluation cap (results flagged)");
    return cli_finish_stdout(not_conv ? cli_exit_code(TW_NOT_CONVERGED) : CLI_EXIT_OK);
}
