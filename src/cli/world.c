/* SPDX-License-Identifier: MIT */
/*
 * src/cli/world.c: `tradewar world check|summary|import`, the commands on world bundles.
 *
 *   check DIR                    every problem of the bundle (tw_world_check), one per line
 *   summary DIR [--top N]        tw_world_read + tw_report_world_summary
 *   import SOURCE SRC_DIR OUT    tw_world_import + tw_world_write, then lists the files
 *
 * Each subcommand keeps its help text beside its code, in the `subs` table.
 */
#define _GNU_SOURCE

#include <dirent.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* Default of `world summary --top`. */
#define CLI_SUMMARY_TOP_DEFAULT 10

/* The parsed command line of a world subcommand. */
struct world_args {
    bool help;   /* --help given: print help, do nothing else */
    size_t top;  /* --top N (summary only) */
    int n_pos;   /* number of positional arguments */
    char **pos;  /* [n_pos] positional arguments, borrowed from argv */
    const char *topic; /* for messages: "world <sub>" */
    bool with_top;     /* the subcommand takes --top */
};

/* --top, the one option of its own a world subcommand may take. */
static int parse_value(void *args, int c, const char *v)
{
    struct world_args *a = args;
    (void)c; /* 't': the only option left to this handler */
    if (!a->with_top)
        return cli_usage_error(a->topic, "unknown option '--top'");
    if (!cli_parse_size(v, &a->top))
        return cli_usage_error(a->topic, "--top expects a whole number >= 0, got '%s'", v);
    return CLI_EXIT_OK;
}

/* Parse the options of `world <sub>`; argv[0] is the subcommand. Returns CLI_EXIT_OK or
 * CLI_EXIT_USAGE (message printed). */
static int parse_args(cli_ctx *ctx, const char *topic, bool with_top, int argc, char **argv,
                      struct world_args *a)
{
    static const struct option options[] = {
        {"help", no_argument, NULL, 'h'},
        {"quiet", no_argument, NULL, 'q'},
        {"top", required_argument, NULL, 't'},
        {NULL, 0, NULL, 0},
    };
    *a = (struct world_args){.top = CLI_SUMMARY_TOP_DEFAULT, .topic = topic,
                             .with_top = with_top};
    int code = cli_getopt_parse(ctx, topic, argc, argv, options, &a->help, parse_value, a);
    if (code != CLI_EXIT_OK)
        return code;
    a->n_pos = argc - optind;
    a->pos = argv + optind;
    return CLI_EXIT_OK;
}

static const char *plural(size_t n, const char *one, const char *many)
{
    return n == 1 ? one : many;
}

static int run_check(cli_ctx *ctx, const struct world_args *a)
{
    (void)ctx;
    tw_err err = {0};
    tw_diag *d = NULL;
    tw_status st = tw_world_check(a->pos[0], &d, &err);
    if (d == NULL)
        return cli_fail(st == TW_OK ? TW_EINTERNAL : st, &err);
    size_t n = tw_diag_count(d), n_error = tw_diag_error_count(d);
    for (size_t k = 0; k < n; k++)
        printf("%s: %s\n", tw_diag_severity(d, k) == TW_SEV_ERROR ? "error" : "warning",
               tw_diag_message(d, k));
    size_t n_warn = n - (n_error < n ? n_error : n);
    printf("%s: %zu %s, %zu %s\n", a->pos[0], n_error, plural(n_error, "error", "errors"),
           n_warn, plural(n_warn, "warning", "warnings"));
    tw_diag_free(d);
    int code = CLI_EXIT_OK;
    if (st < 0 && st != TW_EINVAL)
        code = cli_fail(st, &err);
    else if (n_error > 0 || st == TW_EINVAL)
        code = CLI_EXIT_DATA;
    return cli_finish_stdout(code);
}

static int run_summary(cli_ctx *ctx, const struct world_args *a)
{
    (void)ctx;
    tw_err err = {0};
    tw_world *w = NULL;
    tw_status st = tw_world_read(a->pos[0], &w, &err);
    if (st < 0)
        return cli_fail(st, &err);
    st = tw_report_world_summary(w, a->top, stdout, &err);
    tw_world_free(w);
    if (st < 0)
        return cli_fail(st, &err);
    return cli_finish_stdout(CLI_EXIT_OK);
}

/* Print the files of the bundle just written, in name order. */
static void list_bundle(const char *dir)
{
    struct dirent **names = NULL;
    int n = scandir(dir, &names, NULL, alphasort);
    for (int k = 0; k < n; k++) {
        if (names[k]->d_name[0] != '.')
            printf("  %s/%s\n", dir, names[k]->d_name);
        free(names[k]);
    }
    free(names);
}

static bool is_importer(const char *source)
{
    for (const char *const *s = tw_world_importers(); *s != NULL; s++)
        if (strcmp(*s, source) == 0)
            return true;
    return false;
}

/* `world import lashkaripour ROOT DATASET_YEAR OUT`: the shared-data root and wiod2014 or
 * icio2017 name the importer lashkaripour-DATASET_YEAR on ROOT/<dataset>/full. */
static const struct {
    const char *year;
    const char *dataset;
} lashkaripour_sets[] = {{"wiod2014", "wiod_2014_trade_tariffs"},
                         {"icio2017", "icio_2017_trade_tariffs"}};

static int run_import(cli_ctx *ctx, const struct world_args *a)
{
    (void)ctx;
    char source[64], dir[4096];
    const char *src_dir = a->pos[1], *out_dir = a->pos[2];
    snprintf(source, sizeof source, "%s", a->pos[0]);
    if (strcmp(a->pos[0], "lashkaripour") == 0) {
        size_t k = 0;
        if (a->n_pos != 4)
            return cli_usage_error("world import", "world import lashkaripour takes ROOT "
                                   "DATASET_YEAR OUT_DIR (DATASET_YEAR wiod2014 or icio2017)");
        while (k < 2 && strcmp(lashkaripour_sets[k].year, a->pos[2]) != 0)
            k++;
        if (k == 2)
            return cli_usage_error("world import", "unknown dataset '%s' for lashkaripour "
                                   "(expected wiod2014 or icio2017)", a->pos[2]);
        snprintf(source, sizeof source, "lashkaripour-%s", a->pos[2]);
        if ((size_t)snprintf(dir, sizeof dir, "%s/%s/full", a->pos[1],
                             lashkaripour_sets[k].dataset) >= sizeof dir)
            return cli_usage_error("world import", "path too long: %s", a->pos[1]);
        src_dir = dir;
        out_dir = a->pos[3];
    } else if (a->n_pos != 3)
        return cli_usage_error("world import", "world import takes SOURCE SRC_DIR OUT_DIR, got "
                               "%d arguments", a->n_pos);
    if (!is_importer(source))
        return cli_usage_error("world import", "unknown source '%s'", a->pos[0]);
    tw_err err = {0};
    tw_world *w = NULL;
    tw_status st = tw_world_import(source, src_dir, &w, &err);
    if (st < 0)
        return cli_fail(st, &err);
    st = tw_world_write(w, out_dir, &err);
    if (st < 0) {
        tw_world_free(w);
        return cli_fail(st, &err);
    }
    printf("wrote world \"%s\" (%zu countries x %zu sectors, source %s) to %s:\n",
           tw_world_meta(w, "name"), tw_world_n_country(w), tw_world_n_sector(w), source,
           out_dir);
    tw_world_free(w);
    list_bundle(out_dir);
    return cli_finish_stdout(CLI_EXIT_OK);
}

static int run_export(cli_ctx *ctx, const struct world_args *a)
{
    (void)ctx;
    if (strcmp(a->pos[0], "default") != 0)
        return cli_usage_error("world export", "unknown built-in world '%s' (expected default)",
                               a->pos[0]);
    tw_err err = {0};
    tw_world *w = NULL;
    tw_status st = tw_world_default(&w, &err);
    if (st == TW_OK)
        st = tw_world_write(w, a->pos[1], &err);
    if (st < 0) {
        tw_world_free(w);
        return cli_fail(st, &err);
    }
    printf("wrote the built-in world \"%s\" (%zu countries x %zu sectors) to %s:\n",
           tw_world_meta(w, "name"), tw_world_n_country(w), tw_world_n_sector(w), a->pos[1]);
    tw_world_free(w);
    list_bundle(a->pos[1]);
    return cli_finish_stdout(CLI_EXIT_OK);
}

static void help_export(FILE *out)
{
    fputs("usage: tradewar world export default OUT_DIR\n"
          "\n"
          "Write the built-in default world (2017, 10 regions x 10 sectors; docs/default-world.md)\n"
          "as an ordinary bundle to OUT_DIR, which must not exist (written whole or not at all).\n"
          "\n"
          "Options:\n"
          "  -h, --help   show this help\n",
          out);
}

static void help_check(FILE *out)
{
    fputs("usage: tradewar world check DIR\n"
          "\n"
          "Run every check on the world bundle in DIR and list all problems, not just the\n"
          "first: one per line, prefixed \"error:\" or \"warning:\", each naming the file, line\n"
          "and column. A last line counts them. Exit 0 when there is no error (warnings are\n"
          "allowed), 2 otherwise.\n"
          "\n"
          "Options:\n"
          "  -h, --help   show this help\n",
          out);
}

static void help_summary(FILE *out)
{
    fputs("usage: tradewar world summary DIR [--top N]\n"
          "\n"
          "Read the world bundle in DIR and print its dimensions, metadata, world totals (value\n"
          "added, gross output, international trade, tariff revenue), one line per country\n"
          "(value added, exports, imports, deficit, tariff revenue) and its largest\n"
          "international flows, summed over sectors and by sector. Money is in billions.\n"
          "\n"
          "Options:\n"
          "  --top N      list the N largest flows in each ranking (default 10; 0: none)\n"
          "  -h, --help   show this help\n",
          out);
}

static void help_import(FILE *out)
{
    fputs("usage: tradewar world import SOURCE SRC_DIR OUT_DIR\n"
          "       tradewar world import lashkaripour ROOT DATASET_YEAR OUT_DIR\n"
          "\n"
          "Build a world from the files of a published data source in SRC_DIR and write it as\n"
          "a bundle to OUT_DIR, which must not exist. The bundle is written to a temporary\n"
          "directory and renamed, so OUT_DIR appears whole or not at all. The second form\n"
          "reads Lashkaripour's (2021) inputs from the shared-data folder ROOT (e.g.\n"
          "../shared/data) for DATASET_YEAR wiod2014 or icio2017 (the importer\n"
          "lashkaripour-DATASET_YEAR on ROOT/<dataset>/full).\n"
          "\n"
          "Sources:\n",
          out);
    for (const char *const *s = tw_world_importers(); *s != NULL; s++)
        fprintf(out, "  %s\n", *s);
    fputs("\n"
          "Options:\n"
          "  -h, --help   show this help\n",
          out);
}

struct world_sub {
    const char *name;
    int n_pos;            /* required positional arguments; -k: k or k + 1 (checked by run) */
    const char *operands; /* positional arguments, for messages */
    const char *options;  /* options, for the synopsis */
    bool with_top;        /* accepts --top */
    int (*run)(cli_ctx *ctx, const struct world_args *a);
    void (*help)(FILE *out);
};

static const struct world_sub subs[] = {
    {"check", 1, "DIR", "", false, run_check, help_check},
    {"summary", 1, "DIR", " [--top N]", true, run_summary, help_summary},
    {"import", -3, "SOURCE SRC_DIR OUT_DIR", "", false, run_import, help_import},
    {"export", 2, "default OUT_DIR", "", false, run_export, help_export},
};
#define N_SUBS (sizeof subs / sizeof subs[0])

static const struct world_sub *find_sub(const char *name)
{
    for (size_t k = 0; k < N_SUBS; k++)
        if (strcmp(subs[k].name, name) == 0)
            return &subs[k];
    return NULL;
}

bool cli_world_help(FILE *out, const char *sub)
{
    if (sub != NULL) {
        const struct world_sub *ws = find_sub(sub);
        if (ws == NULL)
            return false;
        ws->help(out);
        fputc('\n', out);
        cli_print_exit_codes(out);
        return true;
    }
    fputs("usage: tradewar world COMMAND ...\n\nCommands on world bundles:\n", out);
    for (size_t k = 0; k < N_SUBS; k++)
        fprintf(out, "  tradewar world %s %s%s\n", subs[k].name, subs[k].operands,
                subs[k].options);
    fputs("\nRun 'tradewar help world COMMAND' for a command's options.\n\n", out);
    cli_print_exit_codes(out);
    return true;
}

int cli_world_main(cli_ctx *ctx, int argc, char **argv)
{
    if (argc < 2)
        return cli_usage_error("world", "world needs a command: check, summary, import or export");
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        cli_world_help(stdout, NULL);
        return cli_finish_stdout(CLI_EXIT_OK);
    }
    const struct world_sub *ws = find_sub(argv[1]);
    if (ws == NULL)
        return cli_usage_error("world", "unknown world command '%s'", argv[1]);
    char topic[32];
    snprintf(topic, sizeof topic, "world %s", ws->name);
    struct world_args a;
    int code = parse_args(ctx, topic, ws->with_top, argc - 1, argv + 1, &a);
    if (code != CLI_EXIT_OK)
        return code;
    if (a.help) {
        cli_world_help(stdout, ws->name);
        return cli_finish_stdout(CLI_EXIT_OK);
    }
    if (ws->n_pos < 0 ? a.n_pos < -ws->n_pos || a.n_pos > 1 - ws->n_pos
                      : a.n_pos != ws->n_pos)
        return cli_usage_error(topic, "world %s takes %s, got %d argument%s", ws->name,
                               ws->operands, a.n_pos, a.n_pos == 1 ? "" : "s");
    return ws->run(ctx, &a);
}
