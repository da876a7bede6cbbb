/* SPDX-License-Identifier: MIT */
/*
 * src/cli/synth_panel.c: `tradewar synth-panel -o FILE [--countries N] [--years T]
 * [--seed S] [--b-ln-dist X] [--b-cntg X] [--b-rta X]`: write a synthetic gravity panel drawn
 * from a known PPML data-generating process (tw_synth_panel_*; docs/estimation.md,
 * "Synthetic panels"), as CSV or gzip-compressed CSV, atomically.
 */
#define _GNU_SOURCE

#include <getopt.h>
#include <string.h>

#include "cli.h"

enum { OPT_COUNTRIES = 256, OPT_YEARS, OPT_SEED, OPT_B_DIST, OPT_B_CNTG, OPT_B_RTA };

void cli_synth_panel_help(FILE *out)
{
    fputs("usage: tradewar synth-panel -o FILE [OPTIONS]\n"
          "\n"
          "Write a synthetic gravity panel (every ordered pair of distinct countries, every\n"
          "year) drawn from a known PPML data-generating process, as CSV; gzip-compressed when\n"
          "FILE ends in .gz. Columns: exporter,importer,year,trade,ln_dist,cntg,rta. The same\n"
          "options give the same file on every machine. Rows: N (N - 1) T.\n"
          "\n"
          "Options:\n"
          "  -o, --output FILE   output file (required; written atomically)\n"
          "  --countries N       countries, 2..5000 (default 50)\n"
          "  --years T           years, 1..200 (default 10; the first is 2000)\n"
          "  --seed S            random seed (default 1)\n"
          "  --b-ln-dist X       true coefficient of ln_dist (default -0.8)\n"
          "  --b-cntg X          true coefficient of cntg (default 0.4)\n"
          "  --b-rta X           true coefficient of rta (default 0.5)\n"
          "\n"
          "Example (the 1.8-million-row benchmark panel):\n"
          "  tradewar synth-panel --countries 300 --years 20 --seed 1 -o synth300.csv.gz\n"
          "  tradewar estimate synth300.csv.gz \\\n"
          "      \"trade ~ rta | exporter^year + importer^year + exporter^importer\"\n"
          "\n",
          out);
    cli_print_exit_codes(out);
}

/* The value of --NAME: a whole number / a number into *out, or a usage error. */
static int whole_value(const char *name, const char *v, size_t *out)
{
    if (!cli_parse_size(v, out))
        return cli_usage_error("synth-panel", "--%s expects a whole number, got '%s'", name, v);
    return CLI_EXIT_OK;
}

static int real_value(const char *name, const char *v, double *out)
{
    if (!cli_parse_double(v, out))
        return cli_usage_error("synth-panel", "--%s expects a number, got '%s'", name, v);
    return CLI_EXIT_OK;
}

int cli_synth_panel_main(cli_ctx *ctx, int argc, char **argv)
{
    static const struct option options[] = {
        {"help", no_argument, NULL, 'h'},
        {"quiet", no_argument, NULL, 'q'},
        {"output", required_argument, NULL, 'o'},
        {"countries", required_argument, NULL, OPT_COUNTRIES},
        {"years", required_argument, NULL, OPT_YEARS},
        {"seed", required_argument, NULL, OPT_SEED},
        {"b-ln-dist", required_argument, NULL, OPT_B_DIST},
        {"b-cntg", required_argument, NULL, OPT_B_CNTG},
        {"b-rta", required_argument, NULL, OPT_B_RTA},
        {NULL, 0, NULL, 0},
    };
    tw_synth_panel_opts o;
    tw_synth_panel_opts_init(&o);
    const char *path = NULL;
    cli_getopt_reset();
    int c;
    while ((c = getopt_long(argc, argv, ":hqo:", options, NULL)) != -1) {
        size_t z = 0;
        int code = CLI_EXIT_OK;
        switch (c) {
        case 'h':
            cli_synth_panel_help(stdout);
            return cli_finish_stdout(CLI_EXIT_OK);
        case 'q': ctx->quiet = true; break;
        case 'o': path = optarg; break;
        case OPT_COUNTRIES: code = whole_value("countries", optarg, &o.n_country); break;
        case OPT_YEARS: code = whole_value("years", optarg, &o.n_year); break;
        case OPT_SEED:
            if ((code = whole_value("seed", optarg, &z)) == CLI_EXIT_OK)
                o.seed = (unsigned long long)z;
            break;
        case OPT_B_DIST: code = real_value("b-ln-dist", optarg, &o.b_ln_dist); break;
        case OPT_B_CNTG: code = real_value("b-cntg", optarg, &o.b_cntg); break;
        case OPT_B_RTA: code = real_value("b-rta", optarg, &o.b_rta); break;
        default:
            return cli_getopt_error("synth-panel", c, argv);
        }
        if (code != CLI_EXIT_OK)
            return code;
    }
    if (optind < argc)
        return cli_usage_error("synth-panel", "unexpected argument '%s'", argv[optind]);
    if (path == NULL)
        return cli_usage_error("synth-panel", "missing -o FILE");
    if (o.n_country < 2 || o.n_country > 5000 || o.n_year < 1 || o.n_year > 200)
        return cli_usage_error("synth-panel", "need --countries in 2..5000 and --years in "
                                              "1..200");
    tw_err err = {0};
    tw_synth_panel *p = NULL;
    tw_status st = tw_synth_panel_new(&o, &p, &err);
    if (st == TW_OK)
        st = tw_synth_panel_write(p, path, &err);
    tw_synth_panel_free(p);
    if (st != TW_OK)
        return cli_fail(st, &err);
    return CLI_EXIT_OK;
}
