/* SPDX-License-Identifier: MIT */
/*
 * src/cli/estimate.c: `tradewar estimate FILE "FORMULA"`, PPML with high-dimensional fixed
 * effects on a CSV or .csv.gz panel (docs/estimation.md).
 *
 * Reads the panel (tw_panel_read), fits (tw_ppml_new) and prints a regression table, or one
 * JSON document with --json; --fe-out writes the estimated fixed effects as CSV. Dropped
 * observations and regressors are reported as warnings (exit 0). Non-convergence exits 4
 * with a message and no table (the JSON document is still written, with "converged": false).
 */
#define _GNU_SOURCE

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <string.h>

#include "cli.h"

struct est_args {
    bool help, json;
    const char *file, *formula, *fe_out;
    const char *report;      /* --report FILE (HTML), NULL = none */
    const char *cluster;     /* from --vcov cluster:VARS */
    tw_panel_opts popts;
    tw_ppml_opts opts;
};

enum { OPT_VCOV = 256, OPT_SSC, OPT_JSON, OPT_FE_OUT, OPT_WEIGHTS, OPT_OFFSET, OPT_TOL,
       OPT_TOL_DEMEAN, OPT_MAX_ITER, OPT_SINGLETONS, OPT_STRICT, OPT_THREADS,
       OPT_SUBSET, OPT_SEPARATION, OPT_REPORT };

void cli_estimate_help(FILE *out)
{
    fputs("usage: tradewar estimate FILE \"FORMULA\" [OPTIONS]\n"
          "\n"
          "Poisson pseudo-maximum likelihood (PPML) with high-dimensional fixed effects on a\n"
          "CSV or gzip-compressed CSV panel. FORMULA follows fixest:\n"
          "  y ~ x1 + log(x2) + ... | fe1 + fe2^fe3 + ...\n"
          "Observations in fixed-effect groups whose outcomes are all zero are dropped\n"
          "(iteratively) and reported; regressors collinear with the fixed effects are\n"
          "dropped and named.\n"
          "\n"
          "Options:\n"
          "  --vcov hetero|cluster:VAR[,VAR]  robust (default) or one-/two-way clustered SEs\n"
          "  --ssc stata|fixest|none  small-sample correction (default stata: n/(n-1) or\n"
          "                           G/(G-1); fixest also multiplies by (n-1)/(n-K))\n"
          "  --weights COL            prior weights column\n"
          "  --offset COL             offset column (log scale, coefficient 1)\n"
          "  --tol X                  relative deviance change to stop IRLS (default 1e-8)\n"
          "  --tol-demean X           fixed-effect demeaning tolerance (default 1e-10)\n"
          "  --max-iter N             IRLS iteration cap (default 100)\n"
          "  --subset EXPR            use only the rows where EXPR holds, e.g.\n"
          "                           'year >= 1990 & exporter != importer' (== != < <= > >=,\n"
          "                           & | ! and parentheses; quote text: importer == \"USA\")\n"
          "  --separation fe|relu     fe (default): drop all-zero FE groups; relu: also drop\n"
          "                           observations separated by the regressors (ReLU check)\n"
          "  --threads N              OpenMP threads over the demeaned columns (default 1;\n"
          "                           results do not depend on it)\n"
          "  --drop-singletons        also drop observations alone in a fixed-effect level\n"
          "  --json                   one JSON document instead of the table\n"
          "  --fe-out FILE            write the fixed effects as CSV (fe,level,value)\n"
          "  --report FILE            also write a self-contained HTML report\n"
          "  --strict                 accepted; non-convergence always exits 4\n"
          "  -q, --quiet              no warnings\n"
          "\n",
          out);
    cli_print_exit_codes(out);
}

static int parse_value(void *args, int c, const char *v)
{
    struct est_args *a = args;
    switch (c) {
    case OPT_JSON: a->json = true; break;
    case OPT_SINGLETONS: a->opts.drop_singletons = true; break;
    case OPT_STRICT: break;
    case OPT_VCOV:
        if (strcmp(v, "hetero") == 0) {
            a->opts.vcov = TW_VCOV_HETERO;
            a->cluster = NULL;
        } else if (strncmp(v, "cluster:", 8) == 0 && v[8] != '\0') {
            a->opts.vcov = TW_VCOV_CLUSTER;
            a->cluster = v + 8;
        } else {
            return cli_usage_error("estimate", "--vcov expects 'hetero' or 'cluster:VAR[,VAR]', "
                                               "got '%s'", v);
        }
        break;
    case OPT_SSC:
        if (strcmp(v, "stata") == 0)
            a->opts.ssc = TW_SSC_STATA;
        else if (strcmp(v, "fixest") == 0)
            a->opts.ssc = TW_SSC_FIXEST;
        else if (strcmp(v, "none") == 0)
            a->opts.ssc = TW_SSC_NONE;
        else
            return cli_usage_error("estimate", "--ssc expects 'stata', 'fixest' or 'none', got "
                                               "'%s'", v);
        break;
    case OPT_FE_OUT: a->fe_out = v; break;
    case OPT_REPORT: a->report = v; break;
    case OPT_WEIGHTS: a->popts.weights = v; break;
    case OPT_OFFSET: a->popts.offset = v; break;
    case OPT_TOL: return cli_opt_unit_open("estimate", "--tol", v, &a->opts.tol);
    case OPT_TOL_DEMEAN:
        return cli_opt_unit_open("estimate", "--tol-demean", v, &a->opts.tol_demean);
    case OPT_SUBSET: a->popts.subset = v; break;
    case OPT_SEPARATION:
        if (strcmp(v, "fe") == 0 || strcmp(v, "relu") == 0 || strcmp(v, "fe,relu") == 0)
            a->opts.separation_relu = strcmp(v, "fe") != 0;
        else
            return cli_usage_error("estimate", "--separation expects 'fe' or 'relu', got '%s'",
                                   v);
        break;
    case OPT_THREADS:
        if (!cli_parse_size(v, &a->opts.n_threads) || a->opts.n_threads < 1 ||
            a->opts.n_threads > 1024)
            return cli_usage_error("estimate", "--threads expects a whole number in 1..1024, "
                                               "got '%s'", v);
        break;
    case OPT_MAX_ITER: return cli_opt_max_iter("estimate", v, &a->opts.max_iter);
    }
    return CLI_EXIT_OK;
}

static int parse_args(cli_ctx *ctx, int argc, char **argv, struct est_args *a)
{
    static const struct option options[] = {
        {"help", no_argument, NULL, 'h'},
        {"quiet", no_argument, NULL, 'q'},
        {"vcov", required_argument, NULL, OPT_VCOV},
        {"ssc", required_argument, NULL, OPT_SSC},
        {"json", no_argument, NULL, OPT_JSON},
        {"fe-out", required_argument, NULL, OPT_FE_OUT},
        {"report", required_argument, NULL, OPT_REPORT},
        {"weights", required_argument, NULL, OPT_WEIGHTS},
        {"offset", required_argument, NULL, OPT_OFFSET},
        {"tol", required_argument, NULL, OPT_TOL},
        {"tol-demean", required_argument, NULL, OPT_TOL_DEMEAN},
        {"max-iter", required_argument, NULL, OPT_MAX_ITER},
        {"drop-singletons", no_argument, NULL, OPT_SINGLETONS},
        {"strict", no_argument, NULL, OPT_STRICT},
        {"threads", required_argument, NULL, OPT_THREADS},
        {"subset", required_argument, NULL, OPT_SUBSET},
        {"separation", required_argument, NULL, OPT_SEPARATION},
        {NULL, 0, NULL, 0},
    };
    *a = (struct est_args){0};
    tw_panel_opts_init(&a->popts);
    tw_ppml_opts_init(&a->opts);
    int code = cli_getopt_parse(ctx, "estimate", argc, argv, options, &a->help, parse_value, a);
    if (code != CLI_EXIT_OK || a->help)
        return code;
    if (argc - optind != 2)
        return cli_usage_error("estimate", "expected FILE and \"FORMULA\", got %d argument%s",
                               argc - optind, argc - optind == 1 ? "" : "s");
    a->file = argv[optind];
    a->formula = argv[optind + 1];
    a->popts.cluster = a->cluster;
    return CLI_EXIT_OK;
}

static double p_value(double z)
{
    return erfc(fabs(z) / sqrt(2.0));
}

static const char *ssc_name(tw_ssc s)
{
    return s == TW_SSC_STATA ? "stata" : s == TW_SSC_FIXEST ? "fixest" : "none";
}

static void print_json(const struct est_args *a, const tw_ppml *p, const tw_ppml_data *d,
                       FILE *out)
{
    size_t K = tw_ppml_n_coef(p);
    const double *b = tw_ppml_coef(p), *se = tw_ppml_se(p);
    fprintf(out, "{\n  \"kind\": \"estimate\",\n  \"tradewar_version\": \"%s\",\n"
                 "  \"model\": \"ppml\",\n  \"formula\": ", tw_version());
    cli_json_str(out, a->formula);
    fputs(",\n  \"coefficients\": [", out);
    for (size_t k = 0; k < K; k++) {
        fputs(k ? ",\n    {\"name\": " : "\n    {\"name\": ", out);
        cli_json_str(out, tw_ppml_coef_name(p, k));
        fputs(", \"estimate\": ", out);
        cli_json_num(out, b[k]);
        fputs(", \"se\": ", out);
        cli_json_num(out, se[k]);
        fputs(", \"z\": ", out);
        cli_json_num(out, b[k] / se[k]);
        fputs(", \"p\": ", out);
        cli_json_num(out, p_value(b[k] / se[k]));
        fprintf(out, ", \"dropped\": %s}", tw_ppml_coef_dropped(p, k) ? "true" : "false");
    }
    fprintf(out, "\n  ],\n  \"n_obs\": %zu,\n  \"n_dropped\": %zu,\n", tw_ppml_n_obs(p),
            tw_ppml_n_dropped(p));
    fprintf(out, "  \"dropped\": {\"separated\": %zu, \"separated_relu\": %zu, "
                 "\"singleton\": %zu, \"zero_weight\": %zu},\n",
            tw_ppml_n_dropped_separated(p), tw_ppml_n_dropped_relu(p),
            tw_ppml_n_dropped_singleton(p),
            tw_ppml_n_dropped_weight(p));
    fprintf(out, "  \"iterations\": %zu,\n  \"demean_sweeps\": %zu,\n  \"converged\": %s,\n",
            tw_ppml_iterations(p), tw_ppml_demean_sweeps(p),
            tw_ppml_converged(p) ? "true" : "false");
    fputs("  \"rel_deviance_change\": ", out);
    cli_json_num(out, tw_ppml_rel_change(p));
    fputs(",\n  \"deviance\": ", out);
    cli_json_num(out, tw_ppml_deviance(p));
    fputs(",\n  \"null_deviance\": ", out);
    cli_json_num(out, tw_ppml_null_deviance(p));
    fputs(",\n  \"pseudo_r2\": ", out);
    cli_json_num(out, tw_ppml_pseudo_r2(p));
    fputs(",\n  \"r2_corr\": ", out);
    cli_json_num(out, tw_ppml_r2_corr(p));
    fputs(",\n  \"fixed_effects\": [", out);
    for (size_t g = 0; g < tw_ppml_n_fe(p); g++) {
        fputs(g ? ", {\"name\": " : "{\"name\": ", out);
        cli_json_str(out, tw_ppml_fe_name(p, g));
        fprintf(out, ", \"levels\": %zu}", tw_ppml_fe_n_used(p, g));
    }
    fprintf(out, "],\n  \"vcov\": {\"type\": \"%s\", \"ssc\": \"%s\", \"ssc_factor\": ",
            a->opts.vcov == TW_VCOV_CLUSTER ? "cluster" : "hetero", ssc_name(a->opts.ssc));
    cli_json_num(out, tw_ppml_ssc_factor(p));
    if (a->opts.vcov == TW_VCOV_CLUSTER) {
        fputs(", \"clusters\": [", out);
        for (size_t c = 0; c < d->n_cluster; c++) {
            fputs(c ? ", {\"name\": " : "{\"name\": ", out);
            cli_json_str(out, d->cluster_names[c]);
            fprintf(out, ", \"n\": %zu}", tw_ppml_n_clusters(p, c));
        }
        fputc(']', out);
    }
    fputs("}\n}\n", out);
}

static void print_table(const struct est_args *a, const tw_ppml *p, const tw_ppml_data *d)
{
    FILE *out = stdout;
    size_t K = tw_ppml_n_coef(p), w = 12;
    for (size_t k = 0; k < K; k++)
        if (strlen(tw_ppml_coef_name(p, k)) > w)
            w = strlen(tw_ppml_coef_name(p, k));
    fprintf(out, "PPML: %s\n", a->formula);
    fprintf(out, "Observations: %zu", tw_ppml_n_obs(p));
    if (tw_ppml_n_dropped(p) > 0)
        fprintf(out, " (%zu dropped: %zu separated (%zu by regressors), %zu singletons, %zu "
                     "zero weights)", tw_ppml_n_dropped(p), tw_ppml_n_dropped_separated(p),
                tw_ppml_n_dropped_relu(p), tw_ppml_n_dropped_singleton(p),
                tw_ppml_n_dropped_weight(p));
    fputc('\n', out);
    if (tw_ppml_n_fe(p) > 0) {
        fputs("Fixed effects:", out);
        for (size_t g = 0; g < tw_ppml_n_fe(p); g++)
            fprintf(out, "%s %s (%zu)", g ? "," : "", tw_ppml_fe_name(p, g),
                    tw_ppml_fe_n_used(p, g));
        fputc('\n', out);
    }
    fprintf(out, "\n%-*s %12s %12s %9s %9s\n", (int)w, "", "Estimate", "Std. Error", "z value",
            "Pr(>|z|)");
    const double *b = tw_ppml_coef(p), *se = tw_ppml_se(p);
    for (size_t k = 0; k < K; k++) {
        if (tw_ppml_coef_dropped(p, k)) {
            fprintf(out, "%-*s %12s   (dropped: collinear)\n", (int)w, tw_ppml_coef_name(p, k),
                    "");
            continue;
        }
        double z = b[k] / se[k];
        fprintf(out, "%-*s %12.6f %12.6f %9.3f %9.3g\n", (int)w, tw_ppml_coef_name(p, k), b[k],
                se[k], z, p_value(z));
    }
    fputc('\n', out);
    if (a->opts.vcov == TW_VCOV_CLUSTER) {
        fputs("Standard errors: clustered by", out);
        for (size_t c = 0; c < d->n_cluster; c++)
            fprintf(out, "%s %s (%zu clusters)", c ? "," : "", d->cluster_names[c],
                    tw_ppml_n_clusters(p, c));
    } else {
        fputs("Standard errors: heteroskedasticity-robust", out);
    }
    fprintf(out, "; small-sample factor %.6f (--ssc %s)\n", tw_ppml_ssc_factor(p),
            ssc_name(a->opts.ssc));
    fprintf(out, "Deviance: %.6g (null %.6g)  pseudo-R2 (fixest): %.6f  R2 (corr^2, Stata ppml): "
                 "%.6f\n", tw_ppml_deviance(p), tw_ppml_null_deviance(p), tw_ppml_pseudo_r2(p),
            tw_ppml_r2_corr(p));
    fprintf(out, "IRLS: %zu iterations, %s (relative deviance change %.2g, tol %g); %zu "
                 "demeaning sweeps\n", tw_ppml_iterations(p),
            tw_ppml_converged(p) ? "converged" : "NOT converged", tw_ppml_rel_change(p),
            a->opts.tol, tw_ppml_demean_sweeps(p));
}

static bool put_csv_text(FILE *f, const char *s)
{
    if (strpbrk(s, ",\"\r\n") == NULL)
        return fputs(s, f) >= 0;
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', f);
        fputc(*s, f);
    }
    return fputc('"', f) != EOF;
}

static int write_fe(const char *path, const tw_ppml *p)
{
    FILE *f = fopen(path, "w");
    if (f == NULL) {
        cli_error("%s: cannot open for writing: %s", path, strerror(errno));
        return CLI_EXIT_DATA;
    }
    fputs("fe,level,value\n", f);
    for (size_t g = 0; g < tw_ppml_n_fe(p); g++) {
        const double *v = tw_ppml_fe_values(p, g);
        for (size_t l = 0; l < tw_ppml_fe_n_levels(p, g); l++) {
            put_csv_text(f, tw_ppml_fe_name(p, g));
            fputc(',', f);
            const char *lab = tw_ppml_fe_label(p, g, l);
            if (lab)
                put_csv_text(f, lab);
            else
                fprintf(f, "%zu", l);
            fputc(',', f);
            if (isfinite(v[l]))
                fprintf(f, "%.17g", v[l]);
            fputc('\n', f);
        }
    }
    if (ferror(f) | (fclose(f) != 0)) {
        cli_error("%s: write error", path);
        return CLI_EXIT_DATA;
    }
    return CLI_EXIT_OK;
}

int cli_estimate_main(cli_ctx *ctx, int argc, char **argv)
{
    struct est_args a;
    int code = parse_args(ctx, argc, argv, &a);
    if (code != CLI_EXIT_OK || a.help) {
        if (a.help)
            cli_estimate_help(stdout);
        return a.help ? cli_finish_stdout(code) : code;
    }
    tw_err err = {0};
    tw_panel *panel = NULL;
    tw_status st = tw_panel_read(a.file, a.formula, &a.popts, &panel, &err);
    if (st != TW_OK)
        return cli_fail(st, &err);
    tw_ppml *p = NULL;
    const tw_ppml_data *d = tw_panel_data(panel);
    cli_solver_progress ip; /* IRLS iterations towards the deviance tolerance */
    cli_solver_progress_start(&ip, ctx, "estimate", a.opts.tol, &a.opts.progress,
                              &a.opts.progress_ctx);
    st = tw_ppml_new(d, &a.opts, &p, &err);
    cli_progress_end(&ip.line);
    if (st < 0) {
        tw_panel_free(panel);
        return cli_fail(st, &err);
    }
    code = CLI_EXIT_OK;
    if (st == TW_DROPPED) {
        cli_warn(ctx, "%s", err.msg);
        for (size_t k = 0; k < tw_ppml_n_coef(p); k++)
            if (tw_ppml_coef_dropped(p, k))
                cli_warn(ctx, "regressor '%s' dropped: collinear with the fixed effects or "
                              "earlier regressors", tw_ppml_coef_name(p, k));
    }
    if (a.json)
        print_json(&a, p, d, stdout);
    else if (st != TW_NOT_CONVERGED)
        print_table(&a, p, d);
    if (st == TW_NOT_CONVERGED) {
        code = cli_fail(st, &err);
    } else if (a.fe_out) {
        code = write_fe(a.fe_out, p);
    }
    if (code == CLI_EXIT_OK && a.report) {
        cli_report_buf rb;
        FILE *fp = cli_report_json_writer(&rb);
        if (fp)
            print_json(&a, p, d, fp);
        code = cli_report_finish(&rb, a.file, NULL, a.report);
    }
    tw_ppml_free(p);
    tw_panel_free(panel);
    return cli_finish_stdout(code);
}
