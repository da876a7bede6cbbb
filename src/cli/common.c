/* SPDX-License-Identifier: MIT */
/*
 * src/cli/common.c: pieces several commands share beyond cli.c: the getopt_long loop of the
 * commands that take -h and -q, option values that mean the same in every command (--max-iter,
 * a tolerance in (0, 1), --deficits), JSON scalars for the documents the CLI writes itself,
 * the progress line of an iterative solver, and the end of a --report FILE.
 *
 * Each helper does one job the commands used to repeat; a command whose wording or rules
 * differ keeps its own code (the messages printed here are the ones the commands printed).
 */
#define _GNU_SOURCE

#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

int cli_getopt_parse(cli_ctx *ctx, const char *topic, int argc, char **argv,
                     const struct option *options, bool *help, cli_option_fn on_option,
                     void *args)
{
    cli_getopt_reset();
    int c, code = CLI_EXIT_OK;
    while (code == CLI_EXIT_OK && (c = getopt_long(argc, argv, ":hq", options, NULL)) != -1) {
        if (c == 'h')
            *help = true;
        else if (c == 'q')
            ctx->quiet = true;
        else if (c == '?' || c == ':')
            code = cli_getopt_error(topic, c, argv);
        else
            code = on_option(args, c, optarg);
    }
    return code;
}

int cli_opt_max_iter(const char *topic, const char *v, size_t *out)
{
    if (!cli_parse_size(v, out) || *out < 1)
        return cli_usage_error(topic, "--max-iter expects a whole number >= 1, got '%s'", v);
    return CLI_EXIT_OK;
}

int cli_opt_unit_open(const char *topic, const char *opt, const char *v, double *out)
{
    double x;
    if (!cli_parse_double(v, &x) || x <= 0.0 || x >= 1.0)
        return cli_usage_error(topic, "%s expects a number in (0, 1), got '%s'", opt, v);
    *out = x;
    return CLI_EXIT_OK;
}

bool cli_parse_deficits(const char *v, tw_deficits *out)
{
    if (strcmp(v, "data") == 0)
        *out = TW_DEFICITS_DATA;
    else if (strcmp(v, "zero") == 0)
        *out = TW_DEFICITS_ZERO;
    else
        return false;
    return true;
}

void cli_json_str(FILE *out, const char *s)
{
    fputc('"', out);
    for (; *s; s++) {
        unsigned char ch = (unsigned char)*s;
        if (ch == '"' || ch == '\\')
            fprintf(out, "\\%c", ch);
        else if (ch < 0x20)
            fprintf(out, "\\u%04x", ch);
        else
            fputc(ch, out);
    }
    fputc('"', out);
}

void cli_json_num(FILE *out, double x)
{
    if (isfinite(x))
        fprintf(out, "%.17g", x);
    else
        fputs("null", out);
}

static int solver_progress(void *ctx, const char *stage, size_t it, double residual)
{
    cli_solver_progress *p = ctx;
    cli_progress_iter(&p->line, stage, it, residual, p->tol);
    return 0;
}

void cli_solver_progress_start(cli_solver_progress *p, const cli_ctx *ctx, const char *what,
                               double tol, tw_progress_fn *fn, void **fn_ctx)
{
    cli_progress_start(&p->line, ctx, what);
    p->tol = tol;
    if (p->line.on) {
        *fn = solver_progress;
        *fn_ctx = p;
    }
}

int cli_report_end(cli_report_buf *b, tw_status st, const tw_err *err, const char *source,
                   const char *scenario, const char *path)
{
    if (st == TW_OK)
        return cli_report_finish(b, source, scenario, path);
    if (b->fp)
        fclose(b->fp);
    free(b->data);
    return cli_fail(st, err);
}

int cli_out_of_memory(void)
{
    cli_error("out of memory");
    return CLI_EXIT_INTERNAL;
}
