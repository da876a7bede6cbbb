/* SPDX-License-Identifier: MIT */
/*
 * src/cli/cli.h: what the tradewar command's files share: exit codes, the run context, error
 * and warning printing, option-value parsing, and one entry point per subcommand.
 *
 * The CLI uses only the public header tradewar/tradewar.h (STYLE section 12): if a command
 * needs something the header lacks, the API is incomplete.
 *
 * Output rules: results go to stdout; errors are printed once, at the top of a command, as
 * "tradewar: error: <message>" on stderr; warnings as "tradewar: warning: <message>" unless
 * --quiet. Each command returns its exit code; only main() returns it to the system.
 */
#ifndef TW_CLI_H
#define TW_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "tradewar/tradewar.h"

#if defined(__GNUC__)
#define CLI_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define CLI_PRINTF(a, b)/* Deals (deal.c): `tradewar deal DEAL`, `tradewar compliance --deal D --observed FILE`. */
int cli_deal_main(cli_ctx *ctx, int argc, char **argv);
int cli_compliance_main(cli_ctx *ctx, int argc, char **argv);
void cli_deal_help(FILE *out, const char *cmd);

#endif

/* Exit codes of the tradewar command (also in `tradewar --help` and docs/cli.md). */
enum cli_exit {
    CLI_EXIT_OK = 0,            /* success */
    CLI_EXIT_USAGE = 1,         /* bad command line: unknown command or option, bad value */
    CLI_EXIT_DATA = 2,          /* input or data error: missing or malformed file, invalid
                                   world or scenario, an output that could not be written */
    CLI_EXIT_NUMERIC = 3,       /* numerical failure: NaN, non-positive price, singular system */
    CLI_EXIT_NOT_CONVERGED = 4, /* the solver did not converge */
    CLI_EXIT_INTERNAL = 5       /* out of memory, interrupted, or an internal error (a bug) */
};

/* State of one run, set by global options and passed to every command. */
typedef struct cli_ctx {
    bool quiet;      /* --quiet: no warnings, no progress line */
    bool stderr_tty; /* stderr is a terminal: a progress line may be shown */
} cli_ctx;

/* Print "tradewar: error: <message>\n" to stderr. */
void cli_error(const char *fmt, ...) CLI_PRINTF(1, 2);
/* Print "tradewar: warning: <message>\n" to stderr unless ctx->quiet. */
void cli_warn(const cli_ctx *ctx, const char *fmt, ...) CLI_PRINTF(2, 3);
/* Print a usage error naming the help to read; returns CLI_EXIT_USAGE. */
int cli_usage_error(const char *help_topic, const char *fmt, ...)
    CLI_PRINTF(2, 3);
/* Print err's message as an error and return the exit code for status st (st != TW_OK). */
int cli_fail(tw_status st, const tw_err *err);
/* The exit code for a library status. */
int cli_exit_code(tw_status st);

/* Parse a whole string as a finite double / an unsigned integer; false when it is not one. */
bool cli_parse_double(const char *s, double *out);
bool cli_parse_size(const char *s, size_t *out);

/* Reset getopt_long before a command parses its own arguments. */
void cli_getopt_reset(void);
/* Report a getopt_long failure (c is '?' or ':') for the command `topic`; returns
 * CLI_EXIT_USAGE. */
int cli_getopt_error(const char *topic, int c, char **argv);
/* Finish writing stdout: flush it and turn a write error into exit code 2. */
int cli_finish_stdout(int code);

/* Colour: only when `stream` is a terminal, NO_COLOR is unset or empty and TERM is not
 * "dumb" (progress.c). */
bool cli_color_enabled(FILE *stream);

/* The progress line on stderr (progress.c): shown only when stderr is a terminal and not
 * --quiet, after about a second of work, with an estimated time left. */
typedef struct cli_progress {
    bool on;
    int width;            /* longest line drawn, to erase it */
    double start, last;   /* monotonic seconds: start, last redraw */
    char what[48];        /* what is being done, e.g. "sweep" */
    char stage[48];       /* cli_progress_iter: current stage and where its rate starts */
    size_t it0;
    double t0, r0;
} cli_progress;
void cli_progress_start(cli_progress *p, const cli_ctx *ctx, const char *what);
/* Counted work: `done` of `total` `unit`s (draws, waves...). */
void cli_progress_count(cli_progress *p, size_t done, size_t total, const char *unit);
/* An iterative solver: iteration `it` of `stage` reached `residual`; it stops below `tol`. */
void cli_progress_iter(cli_progress *p, const char *stage, size_t it, double residual,
                       double tol);
void cli_progress_end(cli_progress *p);

/* The exit-code list printed in every help text. */
void cli_print_exit_codes(FILE *out);

/* Top-level usage (help.c). */
void cli_usage(FILE *out);
/* `tradewar help [COMMAND [SUBCOMMAND]]` (help.c). */
int cli_help_main(cli_ctx *ctx, int argc, char **argv);

/* `tradewar world ...` (world.c); argv[0] is "world". */
int cli_world_main(cli_ctx *ctx, int argc, char **argv);
/* Help for `world` or for `world <sub>` (sub may be NULL); false when sub is unknown. */
bool cli_world_help(FILE *out, const char *sub);

/* `tradewar simulate ...` (simulate.c); argv[0] is "simulate". */
int cli_simulate_main(cli_ctx *ctx, int argc, char **argv);
void cli_simulate_help(FILE *out);

/* What `tradewar` does with no arguments: run the US-China scenario (run.c). */
int cli_main_job(cli_ctx *ctx);
/* `tradewar run`, `compare`, `scenarios` (run.c); argv[0] is the command. */
int cli_run_main(cli_ctx *ctx, int argc, char **argv);
int cli_compare_main(cli_ctx *ctx, int argc, char **argv);
int cli_scenarios_main(cli_ctx *ctx, int argc, char **argv);
void cli_run_help(FILE *out);
void cli_compare_help(FILE *out);
void cli_scenarios_help(FILE *out);
/* Load a scenario (library name or file) and its world (`world` overrides the scenario's;
 * NULL = the scenario's). On failure both outputs are NULL-or-owned: free them. (run.c) */
tw_status cli_load_scenario_world(const char *what, const char *world, tw_scenario **sc,
                                  tw_world **w, tw_err *err);
/* `tradewar sweep ...` (sweep.c). */
/* A world spec (docs/cli.md): default, a bundle directory, or import:SOURCE:DIR; relative
 * paths are taken from base_file's directory (NULL: the working directory). */
tw_status cli_load_world(const char *spec, const char *base_file, tw_world **w, tw_err *err);

/* `run ... --retaliation optimal` (whatif.c): partners' best responses to the scenario's US
 * tariffs, and the US uniform optimal tariff; with json, the retaliation game at the last wave
 * as one JSON document of kind "war". Returns an exit code. */
int cli_whatif_retaliation(const tw_world *w, const tw_timeline *t, bool json);

/* Tariff games (game.c): optimal, war, talks. */
int cli_optimal_main(cli_ctx *ctx, int argc, char **argv);
int cli_war_main(cli_ctx *ctx, int argc, char **argv);
int cli_talks_main(cli_ctx *ctx, int argc, char **argv);
void cli_game_help(FILE *out, const char *cmd);

int cli_sweep_main(cli_ctx *ctx, int argc, char **argv);
void cli_sweep_help(FILE *out);
/* `tradewar derive uschina ...` (derive.c). */
int cli_derive_main(cli_ctx *ctx, int argc, char **argv);
void cli_derive_help(FILE *out);
/* `tradewar estimate FILE "FORMULA" ...` (estimate.c): PPML with fixed effects. */
int cli_estimate_main(cli_ctx *ctx, int argc, char **argv);
void cli_estimate_help(FILE *out);
/* `tradewar gegravity FILE ...` (gegravity.c): structural-gravity GE counterfactuals. */
int cli_gegravity_main(cli_ctx *ctx, int argc, char **argv);
void cli_gegravity_help(FILE *out);
/* `tradewar synth-panel -o FILE ...` (synth_panel.c): synthetic gravity panel as CSV. */
int cli_synth_panel_main(cli_ctx *ctx, int argc, char **argv);
void cli_synth_panel_help(FILE *out);
/* `tradewar report` and `tradewar figure` (report.c): HTML reports and figures from JSON. */
int cli_report_main(cli_ctx *ctx, int argc, char **argv);
int cli_figure_main(cli_ctx *ctx, int argc, char **argv);
void cli_report_help(FILE *out);
void cli_figure_help(FILE *out);
/* --report FILE of other commands: write the command's JSON document into the stream that
 * cli_report_json_writer returns (NULL when out of memory; cli_report_finish reports it),
 * then cli_report_finish turns it into the HTML report at `path` (atomic) and frees the
 * buffer. `source` names the result in the provenance block; `scenario` (may be NULL) is the
 * scenario file, or "library:NAME" for a built-in one, whose SHA-256 the block shows. Returns
 * an exit code. */
typedef struct cli_report_buf {
    FILE *fp;
    char *data;
    size_t len;
} cli_report_buf;
FILE *cli_report_json_writer(cli_report_buf *b);
int cli_report_finish(cli_report_buf *b, const char *source, const char *scenario,
                      const char *path);
/* Deals (deal.c): `tradewar deal DEAL`, `tradewar compliance --deal D --observed FILE`. */
int cli_deal_main(cli_ctx *ctx, int argc, char **argv);
int cli_compliance_main(cli_ctx *ctx, int argc, char **argv);
void cli_deal_help(FILE *out, const char *cmd);

/* Shared pieces of the commands (common.c). */
struct option;
/* A command's option handler: `c` is the option's getopt_long value, `value` its argument
 * (NULL for an option without one); returns an exit code (CLI_EXIT_OK to go on). */
typedef int (*cli_option_fn)(void *args, int c, const char *value);
/* The getopt_long loop of a command with short options -h and -q: -h/--help sets *help,
 * -q/--quiet sets ctx->quiet, every other option of `options` goes to on_option(args, ...),
 * an unknown option or a missing value is a usage error for `topic`. Stops at the first
 * code that is not CLI_EXIT_OK and returns it; optind is then at the operands. */
int cli_getopt_parse(cli_ctx *ctx, const char *topic, int argc, char **argv,
                     const struct option *options, bool *help, cli_option_fn on_option,
                     void *args);
/* --max-iter: a whole number >= 1 into *out, else a usage error for `topic`. */
int cli_opt_max_iter(const char *topic, const char *v, size_t *out);
/* Option `opt` (e.g. "--tol"): a number in (0, 1) into *out (unchanged on error), else a
 * usage error for `topic`. */
int cli_opt_unit_open(const char *topic, const char *opt, const char *v, double *out);
/* --deficits data|zero; false (and *out unchanged) for anything else: the caller words the
 * error. */
bool cli_parse_deficits(const char *v, tw_deficits *out);
/* JSON scalars of the documents the CLI writes itself: a quoted, escaped string; a number with
 * %.17g, or null when it is not finite. */
void cli_json_str(FILE *out, const char *s);
void cli_json_num(FILE *out, double x);
/* The progress line of an iterative solver that stops below `tol`: starts the line and, when
 * it is shown, sets *fn and *fn_ctx (the progress fields of the solver's options) to draw it.
 * Call cli_progress_end(&p->line) when the solver returns. */
typedef struct cli_solver_progress {
    cli_progress line;
    double tol;
} cli_solver_progress;
void cli_solver_progress_start(cli_solver_progress *p, const cli_ctx *ctx, const char *what,
                               double tol, tw_progress_fn *fn, void **fn_ctx);
/* The end of --report FILE after the JSON document was written into b with status st: on
 * TW_OK, cli_report_finish; otherwise drop the buffer and print err (cli_fail). Returns an
 * exit code. */
int cli_report_end(cli_report_buf *b, tw_status st, const tw_err *err, const char *source,
                   const char *scenario, const char *path);
/* Print "out of memory" as an error; returns CLI_EXIT_INTERNAL. */
int cli_out_of_memory(void);

#endif
