/* SPDX-License-Identifier: MIT */
/*
 * src/cli/run.c: what `tradewar` does when given no command.
 *
 * For now it prints the usage to stderr and fails with exit code 1. It is one function so
 * that it can later run the built-in default job without touching main.c.
 */
#include "cli.h"

int cli_main_job(cli_ctx *ctx)
{
    (void)ctx;
    cli_usage(stderr);
    return CLI_EXIT_USAGE;
}
