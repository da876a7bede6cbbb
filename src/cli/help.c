/* SPDX-License-Identifier: MIT */
/*
 * src/cli/help.c: the top-level usage text and the `tradewar help [COMMAND]` command.
 *
 * Each command keeps its own help text next to its option parser (world.c, simulate.c), so
 * the two change together; this file only routes to them. docs/cli.md repeats the same
 * information with examples.
 */
#include <string.h>

#include "cli.h"

void cli_usage(FILE *out)
{
    fputs("usage: tradewar [--quiet] [COMMAND [ARGS...]]\n"
          "       tradewar --help | --version\n"
          "\n"
          "Trade-policy general equilibrium: Caliendo-Parro (2015) multi-sector model solved\n"
          "with exact hat algebra. With no command, tradewar runs the main job: the 2018-2019\n"
          "US-China trade war on the built-in world (tradewar run us-china-2018-2019).\n"
          "\n"
          "Commands:\n"
          "  run [NAME|FILE]             solve a dated scenario wave by wave: cost of the war\n"
          "  scenarios [--show NAME]     list the built-in scenario library\n"
          "  compare A B                 difference of two scenarios, country by country\n"
          "  sweep [NAME|FILE]           Monte Carlo over trade elasticities: bands\n"
          "  derive uschina DATA_DIR     US-China actions as sector tariff changes (audit)\n"
          "  world check DIR             list every problem in a world bundle\n"
          "  world summary DIR           dimensions, totals and largest flows of a world\n"
          "  world import SOURCE SRC OUT build a world bundle from a published data source\n"
          "  world export default OUT    write the built-in world as a bundle\n"
          "  simulate --world DIR --scenario FILE\n"
          "                              solve a tariff counterfactual and report the effects\n"
          "  estimate FILE \"FORMULA\"     PPML with fixed effects on a CSV panel (gravity)\n"
          "  optimal --world W --country C  a government's optimal tariffs (Ossa 2014)\n"
          "  war --world W [--players ..]   Nash equilibrium of a tariff war\n"
          "  talks --world W [--from ..]    cooperative tariffs of trade talks\n"
          "  deal DEAL [--observed FILE]    value and enforcement of a deal (phase-one-2020)\n"
          "  compliance --deal D --observed FILE  fulfilment of a deal's purchase commitments\n"
          "  help [COMMAND]              help on a command\n"
          "  gegravity FILE --shock SPEC structural-gravity GE counterfactual (conditional or\n"
          "                              full endowment; observed or fitted baseline)\n"
          "  synth-panel -o FILE         synthetic gravity panel (known PPML process) as CSV\n"
          "  report RESULT.json -o FILE.html\n"
          "                              self-contained HTML report with charts\n"
          "  figure RESULT.json --chart NAME -o FILE.svg|png|pdf\n"
          "                              one chart at print quality\n"
          "\n"
          "Global options:\n"
          "  -h, --help     show this help and exit\n"
          "  -V, --version  show the version and exit\n"
          "  -q, --quiet    no warnings and no progress line on stderr\n"
          "\n",
          out);
    cli_print_exit_codes(out);
    fputs("\nRun 'tradewar help COMMAND' or 'tradewar COMMAND --help' for a command's options.\n",
          out);
}

int cli_help_main(cli_ctx *ctx, int argc, char **argv)
{
    (void)ctx;
    if (argc < 2) {
        cli_usage(stdout);
        return cli_finish_stdout(CLI_EXIT_OK);
    }
    const char *topic = argv[1];
    if (strcmp(topic, "world") == 0 && argc <= 3) {
        if (!cli_world_help(stdout, argc == 3 ? argv[2] : NULL))
            return cli_usage_error("world", "unknown world command '%s'", argv[2]);
        return cli_finish_stdout(CLI_EXIT_OK);
    }
    if (argc > 2)
        return cli_usage_error("", "help takes one command name");
    if (strcmp(topic, "simulate") == 0)
        cli_simulate_help(stdout);
    else if (strcmp(topic, "run") == 0)
        cli_run_help(stdout);
    else if (strcmp(topic, "compare") == 0)
        cli_compare_help(stdout);
    else if (strcmp(topic, "scenarios") == 0)
        cli_scenarios_help(stdout);
    else if (strcmp(topic, "derive") == 0)
        cli_derive_help(stdout);
    else if (strcmp(topic, "estimate") == 0)
        cli_estimate_help(stdout);
    else if (strcmp(topic, "sweep") == 0)
        cli_sweep_help(stdout);
    else if (strcmp(topic, "optimal") == 0 || strcmp(topic, "war") == 0 ||
             strcmp(topic, "talks") == 0)
        cli_game_help(stdout, topic);
    else if (strcmp(topic, "gegravity") == 0)
        cli_gegravity_help(stdout);
    else if (strcmp(topic, "synth-panel") == 0)
        cli_synth_panel_help(stdout);
    else if (strcmp(topic, "report") == 0)
        cli_report_help(stdout);
    else if (strcmp(topic, "figure") == 0)
        cli_figure_help(stdout);
    else if (strcmp(topic, "deal") == 0 || strcmp(topic, "compliance") == 0)
        cli_deal_help(stdout, topic);
    else if (strcmp(topic, "help") == 0)
        fputs("usage: tradewar help [COMMAND [SUBCOMMAND]]\n", stdout);
    else
        return cli_usage_error("", "no help on '%s': unknown command", topic);
    return cli_finish_stdout(CLI_EXIT_OK);
}
