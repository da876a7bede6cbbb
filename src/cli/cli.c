/* SPDX-License-Identifier: MIT */
/*
 * src/cli/cli.c: helpers shared by the commands: error and warning printing, the mapping from
 * library statuses to exit codes, and strict parsing of option values.
 *
 * Option values are parsed whole: "10x", "", "nan" or "1e999" are rejected rather than read
 * as a prefix or an infinity, so a typo is a usage error and never a silently different run.
 */
#define _GNU_SOURCE

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static void vprint(const char *kind, const char *fmt, va_list ap) CLI_PRINTF(2, 0);

static void vprint(const char *kind, const char *fmt, va_list ap)
{
    if (cli_color_enabled(stderr))
        fprintf(stderr, "tradewar: \033[1;%sm%s\033[0m: ", kind[0] == 'e' ? "31" : "33", kind);
    else
        fprintf(stderr, "tradewar: %s: ", kind);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
}

void cli_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vprint("error", fmt, ap);
    va_end(ap);
}

void cli_warn(const cli_ctx *ctx, const char *fmt, ...)
{
    if (ctx->quiet)
        return;
    va_list ap;
    va_start(ap, fmt);
    vprint("warning", fmt, ap);
    va_end(ap);
}

int cli_usage_error(const char *help_topic, const char *fmt, ...)
{
    fputs("tradewar: error: ", stderr);
    va_list ap;
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, " (see 'tradewar help%s%s')\n", help_topic[0] ? " " : "", help_topic);
    return CLI_EXIT_USAGE;
}

int cli_exit_code(tw_status st)
{
    switch (st) {
    case TW_OK:
    case TW_CONTINUE:
    case TW_DROPPED: return CLI_EXIT_OK;
    case TW_NOT_CONVERGED: return CLI_EXIT_NOT_CONVERGED;
    case TW_EINVAL:
    case TW_EIO:
    case TW_EPARSE: return CLI_EXIT_DATA;
    case TW_ENUMERIC: return CLI_EXIT_NUMERIC;
    case TW_ENOMEM:
    case TW_EINTERRUPTED:
    case TW_EINTERNAL: break;
    }
    return CLI_EXIT_INTERNAL;
}

int cli_fail(tw_status st, const tw_err *err)
{
    if (err->msg[0] != '\0')
        cli_error("%s", err->msg);
    else
        cli_error("%s", tw_status_str(st));
    return cli_exit_code(st);
}

bool cli_parse_double(const char *s, double *out)
{
    char *end = NULL;
    errno = 0;
    double x = strtod(s, &end);
    if (s[0] == '\0' || *end != '\0' || errno == ERANGE || !isfinite(x))
        return false;
    *out = x;
    return true;
}

bool cli_parse_size(const char *s, size_t *out)
{
    if (s[0] < '0' || s[0] > '9')
        return false; /* strtoull would accept " 5", "+5" and "-5" */
    char *end = NULL;
    errno = 0;
    unsigned long long x = strtoull(s, &end, 10);
    if (*end != '\0' || errno == ERANGE || x > (unsigned long long)SIZE_MAX)
        return false;
    *out = (size_t)x;
    return true;
}

void cli_getopt_reset(void)
{
    optind = 0; /* glibc: 0 also resets the argument-permutation state */
    opterr = 0; /* we print our own messages */
}

int cli_getopt_error(const char *topic, int c, char **argv)
{
    const char *arg = argv[optind - 1];
    if (c == ':')
        return cli_usage_error(topic, "option '%s' needs a value", arg);
    if (optopt != 0 && arg[0] == '-' && arg[1] != '-')
        return cli_usage_error(topic, "unknown option '-%c'", optopt);
    return cli_usage_error(topic, "unknown option '%s'", arg);
}

int cli_finish_stdout(int code)
{
    if (fflush(stdout) != 0 || ferror(stdout)) {
        cli_error("cannot write to standard output: %s", strerror(errno));
        return code == CLI_EXIT_OK ? CLI_EXIT_DATA : code;
    }
    return code;
}

void cli_print_exit_codes(FILE *out)
{
    fputs("Exit codes:\n"
          "  0  success\n"
          "  1  usage error (unknown command or option, bad option value)\n"
          "  2  input or data error (missing or malformed file, invalid world or scenario,\n"
          "     output not writable)\n"
          "  3  numerical failure (NaN, non-positive price, singular system)\n"
          "  4  the solver did not converge\n"
          "  5  out of memory, interrupted, or internal error\n",
          out);
}
