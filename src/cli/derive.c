/* SPDX-License-Identifier: MIT */
/*
 * src/cli/derive.c: `tradewar derive uschina DATA_DIR [--yaml FILE] [--scenario NAME]`:
 * the trade-weighted sector tariff changes of the 2018-2020 US-China actions
 * (tw_uschina_derive), printed as an audit report, written as scenario actions, or assembled
 * into one scenario of the library (tw_uschina_write_scenario). Files are written to a
 * temporary name beside the target and renamed, so they appear whole or not at all.
 */
#define _POSIX_C_SOURCE 200809L
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

void cli_derive_help(FILE *out)
{
    fputs("usage: tradewar derive uschina DATA_DIR [--yaml FILE] [--scenario NAME]\n"
          "       tradewar derive us2025 DATA_ROOT\n\n"
          "Derive, from the shared US-China data (DATA_DIR or DATA_DIR/uschina), the trade-\n"
          "weighted change of each model sector's bilateral tariff for every US and Chinese\n"
          "action of 2018-2020, and print the audit report (covered trade, sector changes,\n"
          "implied averages against Bown's published averages). Method: docs/concordances.md.\n\n"
          "  --yaml FILE       also write every derived action as scenario YAML to FILE\n"
          "  --scenario NAME   print the complete library scenario NAME instead of the report:\n"
          "                    us-china-2018-2019, phase-one-2020, escalation-2019-planned\n\n"
          "derive us2025 prints the library scenario us-2025-2026 (the 2025-2026 US tariff\n"
          "regime) derived from DATA_ROOT/us2025, DATA_ROOT/icio_2017_trade_tariffs/full and\n"
          "DATA_ROOT/uschina (method: docs/scenarios.md).\n\n",
          out);
    cli_print_exit_codes(out);
}

/* Write the derived actions to path through a temporary file and rename. */
static int write_yaml(const char *dir, const char *path)
{
    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    FILE *f = fopen(tmp, "w");
    if (f == NULL) {
        cli_error("cannot write %s", tmp);
        return CLI_EXIT_DATA;
    }
    tw_err err = {0};
    tw_status st = tw_uschina_derive(dir, NULL, NULL, f, &err);
    if (fclose(f) != 0 && st == TW_OK) {
        st = TW_EIO;
        snprintf(err.msg, sizeof err.msg, "cannot write %.400s", tmp);
    }
    if (st == TW_OK && rename(tmp, path) != 0) {
        st = TW_EIO;
        snprintf(err.msg, sizeof err.msg, "cannot rename %.240s to %.240s", tmp, path);
    }
    if (st != TW_OK) {
        remove(tmp);
        return cli_fail(st, &err);
    }
    return CLI_EXIT_OK;
}

int cli_derive_main(cli_ctx *ctx, int argc, char **argv)
{
    (void)ctx;
    enum { OPT_YAML = 256, OPT_SCENARIO };
    static const struct option opts[] = {
        {"yaml", required_argument, NULL, OPT_YAML},
        {"scenario", required_argument, NULL, OPT_SCENARIO},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *yaml = NULL, *scenario = NULL;
    cli_getopt_reset();
    int c;
    while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
        switch (c) {
        case OPT_YAML: yaml = optarg; break;
        case OPT_SCENARIO: scenario = optarg; break;
        case 'h': cli_derive_help(stdout); return cli_finish_stdout(CLI_EXIT_OK);
        default: return cli_getopt_error("derive", c, argv);
        }
    }
    if (argc - optind == 2 && strcmp(argv[optind], "us2025") == 0) {
        if (yaml != NULL || scenario != NULL)
            return cli_usage_error("derive", "derive us2025 takes no --yaml or --scenario");
        tw_err err = {0};
        tw_status st = tw_us2025_write_scenario(argv[optind + 1], stdout, &err);
        return st == TW_OK ? cli_finish_stdout(CLI_EXIT_OK) : cli_fail(st, &err);
    }
    if (argc - optind != 2 || strcmp(argv[optind], "uschina") != 0)
        return cli_usage_error("derive", "expected: derive uschina DATA_DIR, or derive us2025 "
                               "DATA_ROOT");
    const char *dir = argv[optind + 1];
    tw_err err = {0};
    tw_status st;
    if (scenario != NULL) {
        st = tw_uschina_write_scenario(dir, scenario, stdout, &err);
        return st == TW_OK ? cli_finish_stdout(CLI_EXIT_OK) : cli_fail(st, &err);
    }
    if (yaml != NULL) {
        int code = write_yaml(dir, yaml);
        if (code != CLI_EXIT_OK)
            return code;
    }
    st = tw_uschina_derive(dir, NULL, stdout, NULL, &err);
    if (st != TW_OK)
        return cli_fail(st, &err);
    return cli_finish_stdout(CLI_EXIT_OK);
}
