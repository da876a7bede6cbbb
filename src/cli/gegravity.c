/* SPDX-License-Identifier: MIT */
/*
 * src/cli/gegravity.c: `tradewar gegravity FILE --shock SPEC ...`, one-sector structural
 * gravity counterfactuals (docs/estimation.md, "GE gravity"; docs/cli.md).
 *
 * Steps: read the panel (tw_panel_read) for the baseline year's cross-section (exporter,
 * importer, flow, the shocked columns and, for a fitted baseline from --coef, the cost terms);
 * optionally estimate PPML (--estimate, on the --years sample selected by zero weights); for
 * the book's two-stage costs fill the pair FE of pairs dropped by the estimator with a second
 * PPML (--fill, Anderson and Yotov 2016); build the flow matrix, the partial effects of the
 * shocks and, for --baseline fitted, the log cost matrix; solve with tw_gegrav_new; print a
 * table or one JSON document (docs/output.md).
 *
 * A shock SPEC is COL=VALUE (every international pair) or COL=VALUE:A,B,C (international
 * pairs with both countries in the list); its partial effect on ln X_ij is
 * beta_COL * (VALUE - COL_ij).
 */
#define _GNU_SOURCE

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

#define GG_MAX_SHOCK 16
#define GG_MAX_COEF 64
#define GG_FORMULA 4096

struct gg_shock {
    const char *spec;
    char col[128];
    double value;
    char list[1024]; /* "" = all international pairs; else ",A,B,C," */
};

struct gg_coef {
    char name[128];
    double value;
};

struct gg_args {
    bool help, json, invert, fitted, bilateral;
    const char *file, *exp_col, *imp_col, *flow_col, *year_col, *estimate, *years, *pair_fe,
        *fill, *reference, *coef_json;
    bool has_year;
    double year;
    struct gg_shock shock[GG_MAX_SHOCK];
    size_t n_shock;
    struct gg_coef coef[GG_MAX_COEF];
    size_t n_coef;
    tw_gegrav_opts opts;
};

enum { OPT_EXP = 256, OPT_IMP, OPT_FLOW, OPT_YEAR_COL, OPT_YEAR, OPT_YEARS, OPT_SHOCK, OPT_COEF,
       OPT_COEF_JSON, OPT_ESTIMATE, OPT_PAIR_FE, OPT_FILL, OPT_BASELINE, OPT_GE, OPT_SIGMA,
       OPT_THETA, OPT_REFERENCE, OPT_JSON, OPT_INVERT, OPT_TOL, OPT_MAX_ITER, OPT_BILATERAL };

void cli_gegravity_help(FILE *out)
{
    fputs("usage: tradewar gegravity FILE --shock SPEC [--coef NAME=VALUE | --estimate \"FORMULA\"]\n"
          "                           [OPTIONS]\n"
          "\n"
          "One-sector structural-gravity counterfactual (Anderson-van Wincoop; the Advanced\n"
          "Guide to Trade Policy Analysis, ch. 2) on the cross-section of one year of a CSV or\n"
          "gzip-compressed CSV panel with one row per exporter-importer pair, domestic flows\n"
          "included. Prices and resistances are solved in logs (always positive) and the\n"
          "equilibrium conditions are checked after the solve.\n"
          "\n"
          "Data:\n"
          "  --exporter COL, --importer COL, --flow COL   columns (default exporter, importer,\n"
          "                           trade)\n"
          "  --year Y                 baseline year (default: the file is one cross-section)\n"
          "  --year-col COL           year column (default year)\n"
          "Counterfactual:\n"
          "  --shock COL=V[:A,B,...]  set 0/1 policy column COL to V on international pairs\n"
          "                           (both countries in the list, or all); repeatable. The\n"
          "                           partial effect is beta_COL * (V - COL_ij)\n"
          "Coefficients (one of):\n"
          "  --coef NAME=VALUE        a PPML coefficient, repeatable (NAME as in the formula)\n"
          "  --coef-json FILE         coefficients from `tradewar estimate --json`\n"
          "  --estimate \"FORMULA\"     estimate PPML in this run (tradewar estimate syntax)\n"
          "  --years LIST             estimation years: Y1,Y2,... or FIRST:LAST:STEP (default:\n"
          "                           all rows)\n"
          "  --pair-fe TERM           FE term of FORMULA that holds bilateral costs\n"
          "                           (fitted baseline: ln t^(1-sigma) = pair FE + x'beta)\n"
          "  --fill \"X1 + X2 ...\"     predict the pair FE of pairs the estimator dropped by\n"
          "                           PPML of exp(pair FE) on these regressors with exporter\n"
          "                           and importer FE (the book's stage 2)\n"
          "Model:\n"
          "  --baseline observed|fitted  baseline flows: the data (Stata ge_gravity, default)\n"
          "                           or fitted from trade costs (the book's GEPPML)\n"
          "  --ge conditional|full    conditional (Y, E fixed) or full endowment (default)\n"
          "  --sigma S | --theta T    CES elasticity (default sigma 7; theta = sigma - 1)\n"
          "  --reference CODE         numeraire: its inward resistance is 1 (default: first\n"
          "                           exporter in the file)\n"
          "  --tol X, --max-iter N    fixed-point tolerance (default 1e-12) and cap (100000)\n"
          "Output:\n"
          "  --effect-of-baseline     report baseline relative to counterfactual, 100*(BLN/CFL-1)\n"
          "                           (the effect of the policy the shock removes; the book's\n"
          "                           NAFTA tables); default 100*(CFL/BLN-1)\n"
          "  --json                   one JSON document instead of the table\n"
          "  --bilateral              with --json: add every pair's baseline and counterfactual\n"
          "                           flow\n"
          "  -q, --quiet              no warnings\n"
          "\n"
          "Example (the book's NAFTA application):\n"
          "  tradewar gegravity agtpa_panel_1986_2006.csv.gz --year 1994 \\\n"
          "    --estimate \"trade ~ rta | exporter^year + importer^year + pair_id\" \\\n"
          "    --years 1986:2006:4 --pair-fe pair_id --fill \"log(dist) + cntg + lang + clny\" \\\n"
          "    --baseline fitted --shock rta=0:CAN,MEX,USA --reference DEU --effect-of-baseline\n"
          "\n",
          out);
    cli_print_exit_codes(out);
}

/* ---- argument parsing ------------------------------------------------------------------ */

static int parse_shock(struct gg_args *a, const char *v)
{
    if (a->n_shock == GG_MAX_SHOCK)
        return cli_usage_error("gegravity", "at most %d --shock options", GG_MAX_SHOCK);
    struct gg_shock *s = &a->shock[a->n_shock];
    s->spec = v;
    const char *eq = strchr(v, '=');
    if (eq == NULL || eq == v || (size_t)(eq - v) >= sizeof s->col)
        return cli_usage_error("gegravity", "--shock expects COL=VALUE[:A,B,...], got '%s'", v);
    memcpy(s->col, v, (size_t)(eq - v));
    s->col[eq - v] = '\0';
    const char *colon = strchr(eq + 1, ':');
    char num[64];
    size_t len = colon ? (size_t)(colon - eq - 1) : strlen(eq + 1);
    if (len == 0 || len >= sizeof num)
        return cli_usage_error("gegravity", "--shock expects COL=VALUE[:A,B,...], got '%s'", v);
    memcpy(num, eq + 1, len);
    num[len] = '\0';
    if (!cli_parse_double(num, &s->value))
        return cli_usage_error("gegravity", "--shock '%s': '%s' is not a number", v, num);
    s->list[0] = '\0';
    if (colon) {
        if (colon[1] == '\0' || strlen(colon + 1) + 3 > sizeof s->list)
            return cli_usage_error("gegravity", "--shock '%s': expected a country list after "
                                                "':'", v);
        snprintf(s->list, sizeof s->list, ",%s,", colon + 1);
    }
    a->n_shock++;
    return CLI_EXIT_OK;
}

static int add_coef(struct gg_args *a, const char *name, size_t name_len, double value)
{
    for (size_t k = 0; k < a->n_coef; k++)
        if (strlen(a->coef[k].name) == name_len && strncmp(a->coef[k].name, name, name_len) == 0) {
            a->coef[k].value = value;
            return CLI_EXIT_OK;
        }
    if (a->n_coef == GG_MAX_COEF || name_len == 0 || name_len >= sizeof a->coef[0].name)
        return cli_usage_error("gegravity", "too many coefficients or a bad coefficient name");
    memcpy(a->coef[a->n_coef].name, name, name_len);
    a->coef[a->n_coef].name[name_len] = '\0';
    a->coef[a->n_coef].value = value;
    a->n_coef++;
    return CLI_EXIT_OK;
}

static int parse_coef(struct gg_args *a, const char *v)
{
    const char *eq = strrchr(v, '=');
    double x;
    if (eq == NULL || eq == v || !cli_parse_double(eq + 1, &x))
        return cli_usage_error("gegravity", "--coef expects NAME=VALUE, got '%s'", v);
    return add_coef(a, v, (size_t)(eq - v), x);
}

static int parse_value(void *args, int c, const char *v)
{
    struct gg_args *a = args;
    double x;
    switch (c) {
    case OPT_JSON: a->json = true; break;
    case OPT_INVERT: a->invert = true; break;
    case OPT_BILATERAL: a->bilateral = true; break;
    case OPT_EXP: a->exp_col = v; break;
    case OPT_IMP: a->imp_col = v; break;
    case OPT_FLOW: a->flow_col = v; break;
    case OPT_YEAR_COL: a->year_col = v; break;
    case OPT_YEAR:
        if (!cli_parse_double(v, &a->year))
            return cli_usage_error("gegravity", "--year expects a number, got '%s'", v);
        a->has_year = true;
        break;
    case OPT_YEARS: a->years = v; break;
    case OPT_SHOCK: return parse_shock(a, v);
    case OPT_COEF: return parse_coef(a, v);
    case OPT_COEF_JSON: a->coef_json = v; break;
    case OPT_ESTIMATE: a->estimate = v; break;
    case OPT_PAIR_FE: a->pair_fe = v; break;
    case OPT_FILL: a->fill = v; break;
    case OPT_REFERENCE: a->reference = v; break;
    case OPT_BASELINE:
        if (strcmp(v, "observed") == 0 || strcmp(v, "fitted") == 0)
            a->fitted = v[0] == 'f';
        else
            return cli_usage_error("gegravity", "--baseline expects 'observed' or 'fitted', got "
                                                "'%s'", v);
        break;
    case OPT_GE:
        if (strcmp(v, "conditional") == 0)
            a->opts.kind = TW_GEGRAV_CONDITIONAL;
        else if (strcmp(v, "full") == 0)
            a->opts.kind = TW_GEGRAV_FULL;
        else
            return cli_usage_error("gegravity", "--ge expects 'conditional' or 'full', got "
                                                "'%s'", v);
        break;
    case OPT_SIGMA:
    case OPT_THETA:
        if (!cli_parse_double(v, &x) || !(x > (c == OPT_SIGMA ? 1.0 : 0.0)) || x >= 999.0)
            return cli_usage_error("gegravity", "%s expects a number %s, got '%s'",
                                   c == OPT_SIGMA ? "--sigma" : "--theta",
                                   c == OPT_SIGMA ? "in (1, 1000)" : "in (0, 999)", v);
        a->opts.sigma = c == OPT_SIGMA ? x : x + 1.0;
        break;
    case OPT_TOL:
        if (!cli_parse_double(v, &x) || !(x > 0.0 && x <= 1e-3))
            return cli_usage_error("gegravity", "--tol expects a number in (0, 1e-3], got '%s'",
                                   v);
        a->opts.tol = x;
        break;
    case OPT_MAX_ITER: return cli_opt_max_iter("gegravity", v, &a->opts.max_iter);
    }
    return CLI_EXIT_OK;
}

static int parse_args(cli_ctx *ctx, int argc, char **argv, struct gg_args *a)
{
    static const struct option options[] = {
        {"help", no_argument, NULL, 'h'},
        {"quiet", no_argument, NULL, 'q'},
        {"exporter", required_argument, NULL, OPT_EXP},
        {"importer", required_argument, NULL, OPT_IMP},
        {"flow", required_argument, NULL, OPT_FLOW},
        {"year-col", required_argument, NULL, OPT_YEAR_COL},
        {"year", required_argument, NULL, OPT_YEAR},
        {"years", required_argument, NULL, OPT_YEARS},
        {"shock", required_argument, NULL, OPT_SHOCK},
        {"coef", required_argument, NULL, OPT_COEF},
        {"coef-json", required_argument, NULL, OPT_COEF_JSON},
        {"estimate", required_argument, NULL, OPT_ESTIMATE},
        {"pair-fe", required_argument, NULL, OPT_PAIR_FE},
        {"fill", required_argument, NULL, OPT_FILL},
        {"baseline", required_argument, NULL, OPT_BASELINE},
        {"ge", required_argument, NULL, OPT_GE},
        {"sigma", required_argument, NULL, OPT_SIGMA},
        {"theta", required_argument, NULL, OPT_THETA},
        {"reference", required_argument, NULL, OPT_REFERENCE},
        {"json", no_argument, NULL, OPT_JSON},
        {"effect-of-baseline", no_argument, NULL, OPT_INVERT},
        {"tol", required_argument, NULL, OPT_TOL},
        {"max-iter", required_argument, NULL, OPT_MAX_ITER},
        {"bilateral", no_argument, NULL, OPT_BILATERAL},
        {NULL, 0, NULL, 0},
    };
    memset(a, 0, sizeof *a);
    a->exp_col = "exporter";
    a->imp_col = "importer";
    a->flow_col = "trade";
    a->year_col = "year";
    tw_gegrav_opts_init(&a->opts);
    int code = cli_getopt_parse(ctx, "gegravity", argc, argv, options, &a->help, parse_value, a);
    if (code != CLI_EXIT_OK || a->help)
        return code;
    if (argc - optind != 1)
        return cli_usage_error("gegravity", "expected one FILE, got %d arguments",
                               argc - optind);
    a->file = argv[optind];
    if (a->n_shock == 0)
        return cli_usage_error("gegravity", "no counterfactual: give at least one --shock");
    if ((a->estimate != NULL) + (a->coef_json != NULL) + (a->n_coef > 0) != 1)
        return cli_usage_error("gegravity", "give the coefficients one way: --coef, "
                                            "--coef-json or --estimate");
    if (a->bilateral && !a->json)
        return cli_usage_error("gegravity", "--bilateral needs --json");
    if ((a->years || a->pair_fe || a->fill) && a->estimate == NULL)
        return cli_usage_error("gegravity", "--years, --pair-fe and --fill need --estimate");
    if (a->fill && a->pair_fe == NULL)
        return cli_usage_error("gegravity", "--fill needs --pair-fe");
    if (a->years && !a->has_year)
        return cli_usage_error("gegravity", "--years needs --year (the baseline year)");
    return CLI_EXIT_OK;
}

/* ---- coefficients from a JSON document of `tradewar estimate --json` -------------------- */

static int read_coef_json(struct gg_args *a)
{
    FILE *f = fopen(a->coef_json, "rb");
    if (f == NULL) {
        cli_error("%s: cannot open: %s", a->coef_json, strerror(errno));
        return CLI_EXIT_DATA;
    }
    char *buf = malloc(1 << 20);
    size_t len = buf ? fread(buf, 1, (1 << 20) - 1, f) : 0;
    fclose(f);
    if (buf == NULL)
        return cli_out_of_memory();
    buf[len] = '\0';
    int code = CLI_EXIT_OK;
    char *p = strstr(buf, "\"coefficients\"");
    size_t found = 0;
    while (p && code == CLI_EXIT_OK && (p = strstr(p, "\"name\":")) != NULL) {
        char *q = strchr(p + 7, '"');
        char *e = q ? strchr(q + 1, '"') : NULL;
        char *est = e ? strstr(e, "\"estimate\":") : NULL;
        if (est == NULL)
            break;
        char *end = NULL;
        double x = strtod(est + 11, &end);
        if (end != est + 11 && isfinite(x)) {
            code = add_coef(a, q + 1, (size_t)(e - q - 1), x);
            found++;
        }
        p = est + 11;
        char *next = strstr(p, "\"name\":"), *close = strchr(p, ']');
        if (next == NULL || (close != NULL && close < next))
            break; /* end of the coefficients array */
    }
    free(buf);
    if (code == CLI_EXIT_OK && found == 0) {
        cli_error("%s: no \"coefficients\" with a name and a numeric estimate (expected the "
                  "output of tradewar estimate --json)", a->coef_json);
        return CLI_EXIT_DATA;
    }
    return code;
}

static const double *find_coef(const struct gg_args *a, const char *name)
{
    for (size_t k = 0; k < a->n_coef; k++)
        if (strcmp(a->coef[k].name, name) == 0)
            return &a->coef[k].value;
    return NULL;
}

/* ---- the baseline cross-section --------------------------------------------------------- */

struct gg_world {
    size_t n;              /* countries */
    const char **names;    /* [n] (borrowed from the panel's labels) */
    size_t *cell;          /* [n*n] row of the panel for pair (i, j) */
    double *flows;         /* [n*n] */
    double *partial;       /* [n*n] */
    double *ln_cost;       /* [n*n] or NULL */
    size_t *exp_country;   /* [exporter levels] country index */
    size_t *imp_country;   /* [importer levels] country index */
};

static void world_free(struct gg_world *w)
{
    free(w->names);
    free(w->cell);
    free(w->flows);
    free(w->partial);
    free(w->ln_cost);
    free(w->exp_country);
    free(w->imp_country);
}

/* The index of `name` in names[0..n), or n when it is not there. */
static size_t name_index(const char *const *names, size_t n, const char *name)
{
    size_t k = 0;
    while (k < n && strcmp(names[k], name) != 0)
        k++;
    return k;
}

static size_t x_index(const tw_ppml_data *d, const char *name)
{
    size_t k = name_index(d->x_names, d->n_x, name);
    return k < d->n_x ? k : (size_t)-1;
}

static bool in_list(const char *list, const char *code)
{
    if (list[0] == '\0')
        return true;
    size_t len = strlen(code);
    for (const char *p = strstr(list, code); p; p = strstr(p + 1, code))
        if (p[-1] == ',' && p[len] == ',')
            return true;
    return false;
}

/* Countries from the exporter labels; every (i, j) must have exactly one row in the year. */
static int build_cells(const struct gg_args *a, const tw_ppml_data *d, size_t year_k,
                       struct gg_world *w)
{
    size_t ne = d->fe_levels[0], ni = d->fe_levels[1];
    w->n = ne;
    w->names = calloc(ne, sizeof *w->names);
    w->exp_country = calloc(ne, sizeof *w->exp_country);
    w->imp_country = calloc(ni, sizeof *w->imp_country);
    w->cell = malloc(ne * ne * sizeof *w->cell);
    if (!w->names || !w->exp_country || !w->imp_country || !w->cell)
        return cli_out_of_memory();
    for (size_t i = 0; i < ne; i++) {
        w->names[i] = d->fe_labels[0][i];
        w->exp_country[i] = i;
    }
    for (size_t l = 0; l < ni; l++) {
        size_t i = name_index(w->names, ne, d->fe_labels[1][l]);
        if (i == ne) {
            cli_error("%s: importer '%s' never appears as an exporter (the counterfactual needs "
                      "a square world with domestic flows)", a->file, d->fe_labels[1][l]);
            return CLI_EXIT_DATA;
        }
        w->imp_country[l] = i;
    }
    size_t n = ne;
    for (size_t k = 0; k < n * n; k++)
        w->cell[k] = (size_t)-1;
    size_t used = 0;
    for (size_t o = 0; o < d->n_obs; o++) {
        if (year_k != (size_t)-1 && d->x[year_k][o] != a->year)
            continue;
        size_t i = w->exp_country[d->fe[0][o]], j = w->imp_country[d->fe[1][o]];
        if (w->cell[i * n + j] != (size_t)-1) {
            cli_error("%s: two rows for exporter %s, importer %s%s", a->file, w->names[i],
                      w->names[j], a->has_year ? " in the baseline year" : " (use --year)");
            return CLI_EXIT_DATA;
        }
        w->cell[i * n + j] = o;
        used++;
    }
    if (used == 0) {
        cli_error("%s: no rows for year %g in column '%s'", a->file, a->year, a->year_col);
        return CLI_EXIT_DATA;
    }
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < n; j++)
            if (w->cell[i * n + j] == (size_t)-1) {
                cli_error("%s: no row for exporter %s, importer %s%s (the counterfactual needs "
                          "every pair, domestic flows included)", a->file, w->names[i],
                          w->names[j], a->has_year ? " in the baseline year" : "");
                return CLI_EXIT_DATA;
            }
    return CLI_EXIT_OK;
}

/* Panel formula "FLOW ~ [YEAR +] t1 + t2 ... | EXP + IMP" with the distinct terms. */
static int base_formula(const struct gg_args *a, const char *const *terms, size_t n_terms,
                        char *out, size_t len)
{
    size_t pos = (size_t)snprintf(out, len, "%s ~ ", a->flow_col);
    size_t nt = 0;
    if (a->has_year) {
        pos += (size_t)snprintf(out + pos, len - pos, "%s", a->year_col);
        nt++;
    }
    for (size_t k = 0; k < n_terms && pos < len; k++) {
        bool dup = false;
        for (size_t m = 0; m < k; m++)
            dup = dup || strcmp(terms[m], terms[k]) == 0;
        if (dup || (a->has_year && strcmp(terms[k], a->year_col) == 0))
            continue;
        pos += (size_t)snprintf(out + pos, len - pos, "%s%s", nt ? " + " : "", terms[k]);
        nt++;
    }
    if (nt == 0 && pos < len)
        pos += (size_t)snprintf(out + pos, len - pos, "%s", a->flow_col);
    if (pos < len)
        pos += (size_t)snprintf(out + pos, len - pos, " | %s + %s", a->exp_col, a->imp_col);
    if (pos >= len) {
        cli_error("gegravity: too many terms");
        return CLI_EXIT_USAGE;
    }
    return CLI_EXIT_OK;
}

static int fill_partial(const struct gg_args *a, const tw_ppml_data *d, struct gg_world *w)
{
    size_t n = w->n;
    w->flows = malloc(n * n * sizeof *w->flows);
    w->partial = calloc(n * n, sizeof *w->partial);
    if (!w->flows || !w->partial)
        return cli_out_of_memory();
    for (size_t k = 0; k < n * n; k++)
        w->flows[k] = d->y[w->cell[k]];
    for (size_t s = 0; s < a->n_shock; s++) {
        const struct gg_shock *sh = &a->shock[s];
        const double *beta = find_coef(a, sh->col);
        if (beta == NULL) {
            cli_error("--shock '%s': no coefficient for '%s' (give --coef %s=VALUE or include "
                      "it in the formula)", sh->spec, sh->col, sh->col);
            return CLI_EXIT_USAGE;
        }
        size_t k = x_index(d, sh->col);
        size_t matched = 0;
        for (size_t i = 0; i < n; i++)
            for (size_t j = 0; j < n; j++) {
                if (i == j || !in_list(sh->list, w->names[i]) || !in_list(sh->list, w->names[j]))
                    continue;
                w->partial[i * n + j] += *beta * (sh->value - d->x[k][w->cell[i * n + j]]);
                matched++;
            }
        if (matched == 0) {
            cli_error("--shock '%s': no international pair of the listed countries in %s",
                      sh->spec, a->file);
            return CLI_EXIT_DATA;
        }
    }
    return CLI_EXIT_OK;
}

/* ---- estimation ------------------------------------------------------------------------ */

/* Years of the estimation sample: "Y1,Y2" or "FIRST:LAST:STEP". */
static bool year_selected(const char *spec, double y)
{
    double f, l, s;
    char tail;
    if (sscanf(spec, "%lf:%lf:%lf%c", &f, &l, &s, &tail) == 3 && s > 0.0)
        return y >= f && y <= l && fabs(remainder(y - f, s)) < 1e-9;
    char buf[64];
    for (const char *p = spec; *p;) {
        size_t len = strcspn(p, ",");
        if (len < sizeof buf) {
            memcpy(buf, p, len);
            buf[len] = '\0';
            double v;
            if (cli_parse_double(buf, &v) && v == y)
                return true;
        }
        p += len + (p[len] == ',');
    }
    return false;
}

static bool valid_years(const char *spec)
{
    double f, l, s;
    char tail;
    if (sscanf(spec, "%lf:%lf:%lf%c", &f, &l, &s, &tail) == 3)
        return s > 0.0 && l >= f;
    char buf[64];
    for (const char *p = spec; *p;) {
        size_t len = strcspn(p, ",");
        double v;
        if (len == 0 || len >= sizeof buf)
            return false;
        memcpy(buf, p, len);
        buf[len] = '\0';
        if (!cli_parse_double(buf, &v))
            return false;
        p += len + (p[len] == ',');
    }
    return spec[0] != '\0';
}

struct gg_est {
    tw_panel *panel;       /* the estimation panel (all rows of the file) */
    tw_ppml *fit;
    double *weights;       /* [n_obs] estimation sample */
};

static int estimate(cli_ctx *ctx, struct gg_args *a, const tw_ppml_data *base, size_t year_k,
                    struct gg_est *e)
{
    tw_err err = {0};
    tw_status st = tw_panel_read(a->file, a->estimate, NULL, &e->panel, &err);
    if (st != TW_OK)
        return cli_fail(st, &err);
    tw_ppml_data d = *tw_panel_data(e->panel);
    if (d.n_obs != base->n_obs) {
        cli_error("gegravity: internal: panels of %zu and %zu rows", d.n_obs, base->n_obs);
        return CLI_EXIT_INTERNAL;
    }
    if (a->years) {
        if (!valid_years(a->years))
            return cli_usage_error("gegravity", "--years expects Y1,Y2,... or FIRST:LAST:STEP, "
                                                "got '%s'", a->years);
        e->weights = malloc(d.n_obs * sizeof *e->weights);
        if (e->weights == NULL)
            return cli_out_of_memory();
        for (size_t o = 0; o < d.n_obs; o++)
            e->weights[o] = year_selected(a->years, base->x[year_k][o]) ? 1.0 : 0.0;
        d.weights = e->weights;
    }
    st = tw_ppml_new(&d, NULL, &e->fit, &err);
    if (st < 0)
        return cli_fail(st, &err);
    if (st == TW_NOT_CONVERGED)
        return cli_fail(st, &err);
    if (tw_ppml_n_dropped_separated(e->fit) > 0)
        cli_warn(ctx, "estimate: %zu observations dropped in all-zero fixed-effect groups",
                 tw_ppml_n_dropped_separated(e->fit));
    for (size_t k = 0; k < tw_ppml_n_coef(e->fit); k++) {
        if (tw_ppml_coef_dropped(e->fit, k)) {
            cli_warn(ctx, "estimate: regressor '%s' dropped: collinear",
                     tw_ppml_coef_name(e->fit, k));
            continue;
        }
        const char *name = tw_ppml_coef_name(e->fit, k);
        int code = add_coef(a, name, strlen(name), tw_ppml_coef(e->fit)[k]);
        if (code != CLI_EXIT_OK)
            return code;
    }
    return CLI_EXIT_OK;
}

/* The book's stage 2: PPML of exp(pair FE) on the --fill regressors with exporter and importer
 * FE over the international pairs of the year that have a pair FE; predicts the others. */
static int fill_pair_fe(struct gg_args *a, struct gg_world *w, double *f)
{
    size_t n = w->n, nn = n * n;
    char formula[GG_FORMULA];
    if ((size_t)snprintf(formula, sizeof formula, "%s ~ %s | %s + %s", a->flow_col, a->fill,
                         a->exp_col, a->imp_col) >= sizeof formula) {
        cli_error("--fill: formula too long");
        return CLI_EXIT_USAGE;
    }
    tw_err err = {0};
    tw_panel *pc = NULL;
    tw_ppml *fit = NULL;
    int code = CLI_EXIT_OK;
    tw_status st = tw_panel_read(a->file, formula, NULL, &pc, &err);
    if (st != TW_OK)
        return cli_fail(st, &err);
    const tw_ppml_data *c = tw_panel_data(pc);
    double *y = malloc(nn * sizeof *y), *wt = malloc(nn * sizeof *wt);
    double *xs = malloc(c->n_x * nn * sizeof *xs);
    const double **xc = malloc(c->n_x * sizeof *xc);
    int32_t *ie = malloc(nn * sizeof *ie), *ii = malloc(nn * sizeof *ii);
    if (!y || !wt || !xs || !xc || !ie || !ii) {
        code = cli_out_of_memory();
        goto done;
    }
    size_t missing = 0;
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < n; j++) {
            size_t k = i * n + j;
            bool use = i != j && isfinite(f[k]);
            if (!isfinite(f[k]))
                missing++;
            y[k] = use ? exp(f[k]) : 0.0;
            wt[k] = use ? 1.0 : 0.0;
            ie[k] = (int32_t)i;
            ii[k] = (int32_t)j;
            for (size_t m = 0; m < c->n_x; m++)
                xs[m * nn + k] = c->x[m][w->cell[k]];
        }
    if (missing == 0)
        goto done;
    for (size_t m = 0; m < c->n_x; m++)
        xc[m] = xs + m * nn;
    const int32_t *fe[2] = {ie, ii};
    size_t lev[2] = {n, n};
    const char *fe_names[2] = {"exporter", "importer"};
    tw_ppml_data d = {.n_obs = nn, .y = y, .n_x = c->n_x, .x = xc, .x_names = c->x_names,
                      .n_fe = 2, .fe = fe, .fe_levels = lev, .fe_names = fe_names,
                      .weights = wt};
    st = tw_ppml_new(&d, NULL, &fit, &err);
    if (st < 0 || st == TW_NOT_CONVERGED) {
        code = cli_fail(st, &err);
        goto done;
    }
    const double *b = tw_ppml_coef(fit), *fe0 = tw_ppml_fe_values(fit, 0),
                 *fe1 = tw_ppml_fe_values(fit, 1);
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < n; j++) {
            size_t k = i * n + j;
            if (isfinite(f[k]))
                continue;
            double eta = fe0[i] + fe1[j];
            for (size_t m = 0; m < c->n_x; m++)
                if (!tw_ppml_coef_dropped(fit, m))
                    eta += b[m] * xc[m][k];
            if (!isfinite(eta)) {
                cli_error("--fill: no prediction for exporter %s, importer %s", w->names[i],
                          w->names[j]);
                code = CLI_EXIT_DATA;
                goto done;
            }
            f[k] = eta;
        }
done:
    tw_ppml_free(fit);
    tw_panel_free(pc);
    free(y);
    free(wt);
    free(xs);
    free(xc);
    free(ie);
    free(ii);
    return code;
}

/* ln t_ij^(1-sigma) for the fitted baseline: the pair FE (normalised so that domestic pairs
 * are 0 when they have one; filled by stage 2 when --fill) plus x'beta over the regressors of
 * the estimate (or of --coef), "(Intercept)" excluded. Exporter and importer terms are left
 * out: the baseline scaling absorbs them. */
static int build_cost(struct gg_args *a, const tw_ppml_data *base, const struct gg_est *e,
                      struct gg_world *w)
{
    size_t n = w->n, nn = n * n;
    w->ln_cost = calloc(nn, sizeof *w->ln_cost);
    if (w->ln_cost == NULL)
        return cli_out_of_memory();
    const tw_ppml_data *d = e->fit ? tw_panel_data(e->panel) : base;
    if (a->pair_fe) {
        size_t g = name_index(d->fe_names, d->n_fe, a->pair_fe);
        if (g == d->n_fe) {
            cli_error("--pair-fe '%s': no such fixed-effect term in \"%s\"", a->pair_fe,
                      a->estimate);
            return CLI_EXIT_USAGE;
        }
        const double *fv = tw_ppml_fe_values(e->fit, g);
        double *f = w->ln_cost;
        for (size_t k = 0; k < nn; k++)
            f[k] = fv[d->fe[g][w->cell[k]]];
        double *dom = malloc(n * sizeof *dom);
        if (dom == NULL)
            return cli_out_of_memory();
        for (size_t i = 0; i < n; i++)
            dom[i] = f[i * n + i];
        for (size_t i = 0; i < n; i++)
            for (size_t j = 0; j < n; j++)
                if (isfinite(dom[i]) && isfinite(dom[j]))
                    f[i * n + j] -= 0.5 * (dom[i] + dom[j]);
        free(dom);
        if (a->fill) {
            int code = fill_pair_fe(a, w, f);
            if (code != CLI_EXIT_OK)
                return code;
        }
        for (size_t k = 0; k < nn; k++)
            if (!isfinite(f[k])) {
                cli_error("fitted baseline: exporter %s, importer %s has no pair fixed effect "
                          "(its pair was dropped by the estimator); give --fill REGRESSORS",
                          w->names[k / n], w->names[k % n]);
                return CLI_EXIT_DATA;
            }
    }
    for (size_t c = 0; c < a->n_coef; c++) {
        if (strcmp(a->coef[c].name, "(Intercept)") == 0)
            continue;
        size_t k = x_index(d, a->coef[c].name);
        if (k == (size_t)-1) {
            cli_error("fitted baseline: no column for coefficient '%s'", a->coef[c].name);
            return CLI_EXIT_DATA;
        }
        for (size_t m = 0; m < nn; m++)
            w->ln_cost[m] += a->coef[c].value * d->x[k][w->cell[m]];
    }
    return CLI_EXIT_OK;
}

/* ---- output ---------------------------------------------------------------------------- */

static const tw_gegrav_measure measure_order[] = {TW_GG_REAL_GDP, TW_GG_EXPORTS, TW_GG_PRICE,
                                                  TW_GG_OMR, TW_GG_IMR, TW_GG_OUTPUT};
static const char *const measure_key[] = {"real_gdp_pct", "exports_pct", "price_pct",
                                          "omr_pct", "imr_pct", "output_pct"};
static const char *const measure_head[] = {"real GDP", "exports", "price", "OMR", "IMR",
                                           "output"};

static double pct(const struct gg_args *a, double hat)
{
    return a->invert ? 100.0 * (1.0 / hat - 1.0) : 100.0 * (hat - 1.0);
}

static void print_json(const struct gg_args *a, const struct gg_world *w, const tw_gegrav *g,
                       const struct gg_est *e)
{
    FILE *out = stdout;
    tw_gegrav_info info;
    tw_gegrav_get_info(g, &info);
    fputs("{\n  \"model\": \"gegravity\",\n  \"file\": ", out);
    cli_json_str(out, a->file);
    fprintf(out, ",\n  \"baseline\": \"%s\",\n  \"ge\": \"%s\",\n  \"sigma\": ",
            a->fitted ? "fitted" : "observed",
            a->opts.kind == TW_GEGRAV_FULL ? "full" : "conditional");
    cli_json_num(out, a->opts.sigma);
    fputs(",\n  \"theta\": ", out);
    cli_json_num(out, a->opts.sigma - 1.0);
    fputs(",\n  \"year\": ", out);
    if (a->has_year)
        cli_json_num(out, a->year);
    else
        fputs("null", out);
    fputs(",\n  \"reference\": ", out);
    cli_json_str(out, w->names[a->opts.reference]);
    fprintf(out, ",\n  \"convention\": \"%s\",\n  \"imbalances\": \"multiplicative\",\n",
            a->invert ? "baseline_vs_counterfactual" : "counterfactual_vs_baseline");
    fputs("  \"shocks\": [", out);
    for (size_t s = 0; s < a->n_shock; s++) {
        fputs(s ? ", " : "", out);
        cli_json_str(out, a->shock[s].spec);
    }
    fputs("],\n  \"coefficients\": [", out);
    for (size_t k = 0; k < a->n_coef; k++) {
        fputs(k ? ",\n    {\"name\": " : "\n    {\"name\": ", out);
        cli_json_str(out, a->coef[k].name);
        fputs(", \"estimate\": ", out);
        cli_json_num(out, a->coef[k].value);
        fputc('}', out);
    }
    fputs("\n  ],\n  \"estimation\": ", out);
    if (e->fit)
        fprintf(out, "{\"n_obs\": %zu, \"n_dropped\": %zu, \"iterations\": %zu, "
                     "\"converged\": %s}", tw_ppml_n_obs(e->fit), tw_ppml_n_dropped(e->fit),
                tw_ppml_iterations(e->fit), tw_ppml_converged(e->fit) ? "true" : "false");
    else
        fputs("null", out);
    fputs(",\n  \"countries\": [", out);
    for (size_t i = 0; i < w->n; i++) {
        fputs(i ? ",\n    {\"country\": " : "\n    {\"country\": ", out);
        cli_json_str(out, w->names[i]);
        for (size_t m = 0; m < TW_GG_N_MEASURE; m++) {
            fprintf(out, ", \"%s\": ", measure_key[m]);
            cli_json_num(out, pct(a, tw_gegrav_hat(g, measure_order[m])[i]));
        }
        fputc('}', out);
    }
    if (a->bilateral) {
        const double *x0 = tw_gegrav_baseline_flows(g), *x1 = tw_gegrav_flows(g);
        fputs("\n  ],\n  \"bilateral\": [", out);
        for (size_t k = 0; k < w->n * w->n; k++) {
            fputs(k ? ",\n    {\"exporter\": " : "\n    {\"exporter\": ", out);
            cli_json_str(out, w->names[k / w->n]);
            fputs(", \"importer\": ", out);
            cli_json_str(out, w->names[k % w->n]);
            fputs(", \"baseline\": ", out);
            cli_json_num(out, x0[k]);
            fputs(", \"counterfactual\": ", out);
            cli_json_num(out, x1[k]);
            fputs(", \"change_pct\": ", out);
            cli_json_num(out, x0[k] > 0.0 ? pct(a, x1[k] / x0[k]) : (double)NAN);
            fputc('}', out);
        }
    }
    fprintf(out, "\n  ],\n  \"solver\": {\"converged\": %s, \"baseline_iterations\": %zu, "
                 "\"iterations\": %zu, \"residual\": ", info.converged ? "true" : "false",
            info.baseline_iterations, info.iterations);
    cli_json_num(out, info.residual);
    fputs(", \"check_residual\": ", out);
    cli_json_num(out, info.check_residual);
    fputs(", \"expenditure_scale\": ", out);
    cli_json_num(out, info.expenditure_scale);
    fputs("}\n}\n", out);
}

static void print_table(const struct gg_args *a, const struct gg_world *w, const tw_gegrav *g)
{
    FILE *out = stdout;
    tw_gegrav_info info;
    tw_gegrav_get_info(g, &info);
    fprintf(out, "Structural gravity GE: %s, %s baseline, sigma %g (theta %g), reference %s",
            a->opts.kind == TW_GEGRAV_FULL ? "full endowment" : "conditional (Y, E fixed)",
            a->fitted ? "fitted-cost" : "observed-flow", a->opts.sigma, a->opts.sigma - 1.0,
            w->names[a->opts.reference]);
    if (a->has_year)
        fprintf(out, ", year %g", a->year);
    fputc('\n', out);
    fputs("Shocks:", out);
    for (size_t s = 0; s < a->n_shock; s++)
        fprintf(out, " %s", a->shock[s].spec);
    fputs("; coefficients:", out);
    for (size_t k = 0; k < a->n_coef; k++)
        fprintf(out, " %s=%.7g", a->coef[k].name, a->coef[k].value);
    fputc('\n', out);
    fprintf(out, "Changes in %%, %s\n\n", a->invert
            ? "baseline relative to counterfactual, 100*(BLN/CFL-1) (effect of the removed policy)"
            : "counterfactual relative to baseline, 100*(CFL/BLN-1)");
    size_t wn = 7;
    for (size_t i = 0; i < w->n; i++)
        if (strlen(w->names[i]) > wn)
            wn = strlen(w->names[i]);
    fprintf(out, "%-*s", (int)wn, "country");
    for (size_t m = 0; m < TW_GG_N_MEASURE; m++)
        fprintf(out, " %10s", measure_head[m]);
    fputc('\n', out);
    for (size_t i = 0; i < w->n; i++) {
        fprintf(out, "%-*s", (int)wn, w->names[i]);
        for (size_t m = 0; m < TW_GG_N_MEASURE; m++)
            fprintf(out, " %10.4f", pct(a, tw_gegrav_hat(g, measure_order[m])[i]));
        fputc('\n', out);
    }
    fprintf(out, "\nreal GDP = Y/P; exports = international, nominal; price = factory-gate; OMR, "
                 "IMR = outward, inward multilateral resistance; output = nominal Y (= E)\n");
    fprintf(out, "Solver: %zu baseline + %zu counterfactual iterations, max log change %.2g, "
                 "equilibrium residual %.2g (relative), world expenditure scale %.8f\n",
            info.baseline_iterations, info.iterations, info.residual, info.check_residual,
            info.expenditure_scale);
}

/* ---- driver ---------------------------------------------------------------------------- */

static int run(cli_ctx *ctx, struct gg_args *a, struct gg_world *w, struct gg_est *e,
               tw_panel **pa, tw_gegrav **g)
{
    int code;
    if (a->coef_json && (code = read_coef_json(a)) != CLI_EXIT_OK)
        return code;
    const char *terms[GG_MAX_SHOCK + GG_MAX_COEF];
    size_t nt = 0;
    for (size_t s = 0; s < a->n_shock; s++)
        terms[nt++] = a->shock[s].col;
    if (a->fitted && a->estimate == NULL)
        for (size_t k = 0; k < a->n_coef; k++)
            if (strcmp(a->coef[k].name, "(Intercept)") != 0)
                terms[nt++] = a->coef[k].name;
    char formula[GG_FORMULA];
    if ((code = base_formula(a, terms, nt, formula, sizeof formula)) != CLI_EXIT_OK)
        return code;
    tw_err err = {0};
    tw_status st = tw_panel_read(a->file, formula, NULL, pa, &err);
    if (st != TW_OK)
        return cli_fail(st, &err);
    const tw_ppml_data *d = tw_panel_data(*pa);
    size_t year_k = a->has_year ? x_index(d, a->year_col) : (size_t)-1;
    if ((code = build_cells(a, d, year_k, w)) != CLI_EXIT_OK)
        return code;
    if (a->estimate && (code = estimate(ctx, a, d, year_k, e)) != CLI_EXIT_OK)
        return code;
    if ((code = fill_partial(a, d, w)) != CLI_EXIT_OK)
        return code;
    if (a->fitted && (code = build_cost(a, d, e, w)) != CLI_EXIT_OK)
        return code;
    if (a->reference) {
        size_t r = name_index(w->names, w->n, a->reference);
        if (r == w->n) {
            cli_error("--reference '%s': no such country in %s", a->reference, a->file);
            return CLI_EXIT_DATA;
        }
        a->opts.reference = r;
    }
    tw_gegrav_data gd = {.n_country = w->n, .names = w->names,
                         .flows = w->flows, .ln_cost = w->ln_cost, .partial = w->partial};
    st = tw_gegrav_new(&gd, &a->opts, g, &err);
    if (st != TW_OK) {
        if (st == TW_NOT_CONVERGED && a->json && *g)
            print_json(a, w, *g, e);
        return cli_fail(st, &err);
    }
    if (a->json)
        print_json(a, w, *g, e);
    else
        print_table(a, w, *g);
    return CLI_EXIT_OK;
}

int cli_gegravity_main(cli_ctx *ctx, int argc, char **argv)
{
    struct gg_args *a = malloc(sizeof *a);
    if (a == NULL)
        return cli_out_of_memory();
    int code = parse_args(ctx, argc, argv, a);
    if (code != CLI_EXIT_OK || a->help) {
        bool help = a->help;
        free(a);
        if (help)
            cli_gegravity_help(stdout);
        return help ? cli_finish_stdout(code) : code;
    }
    struct gg_world w = {0};
    struct gg_est e = {0};
    tw_panel *pa = NULL;
    tw_gegrav *g = NULL;
    code = run(ctx, a, &w, &e, &pa, &g);
    tw_gegrav_free(g);
    tw_ppml_free(e.fit);
    tw_panel_free(e.panel);
    free(e.weights);
    world_free(&w);
    tw_panel_free(pa);
    free(a);
    return cli_finish_stdout(code);
}
