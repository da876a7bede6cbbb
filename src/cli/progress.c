/* SPDX-License-Identifier: MIT */
/*
 * src/cli/progress.c: the progress line on stderr shared by the commands (cli.h), and the
 * colour decision.
 *
 * The line appears only when stderr is a terminal and --quiet is not given, and only once the
 * work has lasted CLI_PROGRESS_DELAY seconds (short runs print nothing); it is redrawn at most
 * every CLI_PROGRESS_PERIOD seconds and erased by cli_progress_end. The estimated time left is
 * elapsed * (total - done) / done for counted work (draws, waves), and for an iterative solver
 * the iterations still needed at the observed linear rate of convergence of the residual
 * (log residual falls by a constant amount per iteration) times the time per iteration.
 */
#define _GNU_SOURCE

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"

#define CLI_PROGRESS_DELAY 1.0  /* seconds before the line first appears */
#define CLI_PROGRESS_PERIOD 0.1 /* seconds between redraws */

static double now_s(void)
{
    struct timespec t;
    if (clock_gettime(CLOCK_MONOTONIC, &t) != 0)
        return 0;
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

bool cli_color_enabled(FILE *stream)
{
    const char *nc = getenv("NO_COLOR");
    if (nc != NULL && nc[0] != '\0')
        return false;
    const char *term = getenv("TERM");
    if (term != NULL && strcmp(term, "dumb") == 0)
        return false;
    return isatty(fileno(stream)) == 1;
}

void cli_progress_start(cli_progress *p, const cli_ctx *ctx, const char *what)
{
    memset(p, 0, sizeof *p);
    p->on = ctx->stderr_tty && !ctx->quiet;
    p->start = now_s();
    snprintf(p->what, sizeof p->what, "%s", what);
}

static void fmt_eta(char *buf, size_t n, double s)
{
    if (!isfinite(s) || s < 0)
        snprintf(buf, n, "estimating time left");
    else if (s < 60)
        snprintf(buf, n, "about %.0f s left", ceil(s));
    else if (s < 3600)
        snprintf(buf, n, "about %.0f min %02.0f s left", floor(s / 60), fmod(floor(s), 60));
    else
        snprintf(buf, n, "about %.1f h left", s / 3600);
}

static void draw(cli_progress *p, const char *fmt, ...) CLI_PRINTF(2, 3);
static void draw(cli_progress *p, const char *fmt, ...)
{
    char line[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    int n = fprintf(stderr, "\r%s", line) - 1;
    if (n >= 0 && n < p->width)
        fprintf(stderr, "%*s", p->width - n, "");
    if (n > p->width)
        p->width = n;
    fflush(stderr);
}

/* Whether to draw now (enabled, past the delay, not redrawn too recently). */
static bool due(cli_progress *p, double t)
{
    if (!p->on || t - p->start < CLI_PROGRESS_DELAY)
        return false;
    if (p->width > 0 && t - p->last < CLI_PROGRESS_PERIOD)
        return false;
    p->last = t;
    return true;
}

void cli_progress_count(cli_progress *p, size_t done, size_t total, const char *unit)
{
    double t = now_s();
    if (!due(p, t))
        return;
    char eta[64];
    double el = t - p->start;
    double left = done > 0 ? el * (double)(total - done) / (double)done : (double)NAN;
    fmt_eta(eta, sizeof eta, left);
    draw(p, "%s: %zu/%zu %s (%.0f%%), %s", p->what, done, total, unit,
         total ? 100.0 * (double)done / (double)total : 0.0, eta);
}

void cli_progress_iter(cli_progress *p, const char *stage, size_t it, double residual,
                       double tol)
{
    double t = now_s();
    if (strcmp(stage, p->stage) != 0 || it < p->it0) { /* a new stage: restart the rate */
        snprintf(p->stage, sizeof p->stage, "%s", stage);
        p->it0 = it;
        p->t0 = t;
        p->r0 = residual;
    }
    if (!due(p, t))
        return;
    double left = (double)NAN;
    if (it > p->it0 && p->r0 > 0 && residual > 0 && tol > 0 && residual < p->r0) {
        double per_it = (log(p->r0) - log(residual)) / (double)(it - p->it0);
        double its = residual > tol ? (log(residual) - log(tol)) / per_it : 0;
        left = its * (t - p->t0) / (double)(it - p->it0);
    }
    char eta[64];
    fmt_eta(eta, sizeof eta, left);
    draw(p, "%s: %s, iteration %zu, residual %.2e, %s", p->what, stage, it, residual, eta);
}

void cli_progress_end(cli_progress *p)
{
    if (p->width > 0)
        fprintf(stderr, "\r%*s\r", p->width, "");
    fflush(stderr);
    p->width = 0;
}
