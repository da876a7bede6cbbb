/* SPDX-License-Identifier: MIT */
/*
 * src/cli/main.c: entry point of the tradewar command.
 *
 * Parses the global options (--help, --version, --quiet) with getopt_long, stopping at the
 * first non-option word, and hands the rest of the command line to one function per command
 * (world.c, simulate.c, help.c). With no command it runs cli_main_job() (run.c). Nothing else
 * lives here: each command parses its own options and returns its exit code (cli.h).
 */
#define _GNU_SOURCE

#include <getopt.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

struct command {
    const char *name;
    int (*run)(cli_ctx *ctx, int argc, char **argv);
};

static const struct command commands[] = {
    {"world", cli_world_main},
    {"simulate", cli_simulate_main},
    {"run", cli_run_main},
    {"compare", cli_compare_main},
    {"scenarios", cli_scenarios_main},
    {"derive", cli_derive_main},
    {"estimate", cli_estimate_main},
    {"sweep", cli_sweep_main},
    {"optimal", cli_optimal_main},
    {"war", cli_war_main},
    {"talks", cli_talks_main},
    {"deal", cli_deal_main},
    {"compliance", cli_compliance_main},
    {"help", cli_help_main},
    {"gegravity", cli_gegravity_main},
    {"synth-panel", cli_synth_panel_main},
    {"report", cli_report_main},
    {"figure", cli_figure_main},
};

static int print_version(void)
{
    printf("tradewar %s\n", tw_version());
    if (strcmp(tw_version(), TW_VERSION) != 0)
        cli_error("library version %s does not match header version %s", tw_version(),
                  TW_VERSION);
    return cli_finish_stdout(CLI_EXIT_OK);
}

static int dispatch(cli_ctx *ctx, int argc, char **argv)
{
    for (size_t k = 0; k < sizeof commands / sizeof commands[0]; k++)
        if (strcmp(argv[0], commands[k].name) == 0)
            return commands[k].run(ctx, argc, argv);
    return cli_usage_error("", "unknown command '%s'", argv[0]);
}

int main(int argc, char **argv)
{
    static const struct option options[] = {
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {"quiet", no_argument, NULL, 'q'},
        {NULL, 0, NULL, 0},
    };
    cli_ctx ctx = {.quiet = false, .stderr_tty = isatty(STDERR_FILENO) == 1};
    cli_getopt_reset();
    int c;
    while ((c = getopt_long(argc, argv, "+:hVq", options, NULL)) != -1) {
        switch (c) {
        case 'h': cli_usage(stdout); return cli_finish_stdout(CLI_EXIT_OK);
        case 'V': return print_version();
        case 'q': ctx.quiet = true; break;
        default: return cli_getopt_error("", c, argv);
        }
    }
    if (optind >= argc)
        return cli_main_job(&ctx);
    return dispatch(&ctx, argc - optind, argv + optind);
}
