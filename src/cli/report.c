/* SPDX-License-Identifier: MIT */
/*
 * src/cli/report.c: `tradewar report RESULT.json -o report.html`, `tradewar figure RESULT.json
 * --chart NAME -o fig.svg|png|pdf`, and the --report FILE option other commands share
 * (cli_report_json_writer / cli_report_finish). docs/reports.md.
 */
#define _GNU_SOURCE

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

void cli_report_help(FILE *out)
{
    fputs("usage: tradewar report RESULT.json -o REPORT.html [--country CODE]\n"
          "\n"
          "Write one self-contained HTML report (charts, sortable tables with CSV download,\n"
          "provenance; no network requests) from a result written with --json by run,\n"
          "simulate, sweep or estimate, or a tariff-game result (docs/reports.md).\n"
          "RESULT.json may be - for standard input.\n"
          "\n"
          "Options:\n"
          "  -o, --output FILE   the HTML file to write (required; written atomically)\n"
          "  --country CODE      country of the sector-incidence chart (default: the\n"
          "                      biggest loser)\n"
          "\n",
          out);
    cli_print_exit_codes(out);
}

void cli_figure_help(FILE *out)
{
    fputs("usage: tradewar figure RESULT.json --chart welfare|timeline|trade|tariffs\n"
          "                       -o FIGURE.svg|FIGURE.png|FIGURE.pdf\n"
          "\n"
          "Write one chart of a result at print quality: SVG and PDF are vector, PNG is\n"
          "300 dpi. welfare: change by country (sorted bars); timeline: cumulative cost per\n"
          "country over the waves (run results); trade: bilateral trade change heatmap;\n"
          "tariffs: factual, Nash and cooperative tariffs (tariff games).\n"
          "\n"
          "Options:\n"
          "  --chart NAME        the chart (required)\n"
          "  -o, --output FILE   the figure; its extension selects the format (required)\n"
          "  --country CODE      as for tradewar report\n"
          "\n",
          out);
    cli_print_exit_codes(out);
}

/* Read all of `path` ("-" = stdin) into a NUL-terminated buffer. */
static tw_status slurp(const char *path, char **buf, size_t *len, tw_err *err)
{
    *buf = NULL;
    *len = 0;
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    if (!f) {
        snprintf(err->msg, sizeof err->msg, "%s: %s", path, strerror(errno));
        err->code = TW_EIO;
        return TW_EIO;
    }
    size_t cap = 1 << 16, n = 0;
    char *b = malloc(cap);
    while (b) {
        size_t got = fread(b + n, 1, cap - n - 1, f);
        n += got;
        if (got == 0)
            break;
        if (n + 1 == cap) {
            char *nb = realloc(b, cap * 2);
            if (!nb) {
                free(b);
                b = NULL;
                break;
            }
            b = nb;
            cap *= 2;
        }
    }
    bool bad = ferror(f) != 0;
    if (f != stdin)
        fclose(f);
    if (!b) {
        snprintf(err->msg, sizeof err->msg, "%s: out of memory", path);
        err->code = TW_ENOMEM;
        return TW_ENOMEM;
    }
    if (bad) {
        free(b);
        snprintf(err->msg, sizeof err->msg, "%s: read error", path);
        err->code = TW_EIO;
        return TW_EIO;
    }
    b[n] = '\0';
    *buf = b;
    *len = n;
    return TW_OK;
}

static int parse(const char *topic, int argc, char **argv, bool figure, const char **in,
                 const char **out, const char **chart, const char **country)
{
    enum { OPT_CHART = 256, OPT_COUNTRY };
    static const struct option opts[] = {
        {"output", required_argument, NULL, 'o'},
        {"chart", required_argument, NULL, OPT_CHART},
        {"country", required_argument, NULL, OPT_COUNTRY},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    *in = *out = *chart = *country = NULL;
    cli_getopt_reset();
    int c;
    while ((c = getopt_long(argc, argv, ":ho:", opts, NULL)) != -1) {
        switch (c) {
        case 'o': *out = optarg; break;
        case OPT_CHART:
            if (!figure)
                return cli_usage_error(topic, "--chart is an option of tradewar figure");
            *chart = optarg;
            break;
        case OPT_COUNTRY: *country = optarg; break;
        case 'h': return -1;
        default: return cli_getopt_error(topic, c, argv);
        }
    }
    if (optind + 1 != argc)
        return cli_usage_error(topic, "expected one RESULT.json");
    *in = argv[optind];
    if (!*out)
        return cli_usage_error(topic, "-o FILE is required");
    if (figure && !*chart)
        return cli_usage_error(topic, "--chart NAME is required (welfare, timeline, trade or "
                                      "tariffs)");
    return CLI_EXIT_OK;
}

static int report_or_figure(cli_ctx *ctx, int argc, char **argv, bool figure)
{
    (void)ctx;
    const char *topic = figure ? "figure" : "report";
    const char *in, *out, *chart, *country;
    int code = parse(topic, argc, argv, figure, &in, &out, &chart, &country);
    if (code == -1) {
        if (figure)
            cli_figure_help(stdout);
        else
            cli_report_help(stdout);
        return cli_finish_stdout(CLI_EXIT_OK);
    }
    if (code != CLI_EXIT_OK)
        return code;
    tw_err err = {0};
    char *buf = NULL;
    size_t len = 0;
    tw_status st = slurp(in, &buf, &len, &err);
    if (st == TW_OK) {
        tw_report_opts o;
        tw_report_opts_init(&o);
        o.source = strcmp(in, "-") == 0 ? "(standard input)" : in;
        o.country = country;
        st = figure ? tw_report_figure_write(buf, len, &o, chart, out, &err)
                    : tw_report_html_write(buf, len, &o, out, &err);
    }
    free(buf);
    return st == TW_OK ? CLI_EXIT_OK : cli_fail(st, &err);
}

int cli_report_main(cli_ctx *ctx, int argc, char **argv)
{
    return report_or_figure(ctx, argc, argv, false);
}

int cli_figure_main(cli_ctx *ctx, int argc, char **argv)
{
    return report_or_figure(ctx, argc, argv, true);
}

FILE *cli_report_json_writer(cli_report_buf *b)
{
    b->data = NULL;
    b->len = 0;
    b->fp = open_memstream(&b->data, &b->len);
    return b->fp;
}

/* SHA-256 of a scenario: "library:NAME" hashes the built-in text, anything else the file. */
static bool scenario_hash(const char *scenario, char hex[65])
{
    if (strncmp(scenario, "library:", 8) == 0) {
        const char *text = tw_scenario_library_text(scenario + 8);
        if (!text)
            return false;
        tw_sha256_hex(text, strlen(text), hex);
        return true;
    }
    tw_err err = {0};
    char *buf = NULL;
    size_t len = 0;
    if (slurp(scenario, &buf, &len, &err) != TW_OK)
        return false;
    tw_sha256_hex(buf, len, hex);
    free(buf);
    return true;
}

int cli_report_finish(cli_report_buf *b, const char *source, const char *scenario,
                      const char *path)
{
    tw_err err = {0};
    tw_status st;
    char hex[65];
    if (!b->fp || fclose(b->fp) != 0) {
        free(b->data);
        cli_error("cannot write the report %s: out of memory", path);
        return CLI_EXIT_INTERNAL;
    }
    tw_report_opts o;
    tw_report_opts_init(&o);
    o.source = source;
    if (scenario) {
        o.scenario_file = scenario;
        if (scenario_hash(scenario, hex))
            o.scenario_sha256 = hex;
    }
    st = tw_report_html_write(b->data, b->len, &o, path, &err);
    free(b->data);
    b->data = NULL;
    b->fp = NULL;
    return st == TW_OK ? CLI_EXIT_OK : cli_fail(st, &err);
}
