/* SPDX-License-Identifier: MIT */
/*
 * tools/gen_default_world.c: build tool for the compiled-in default world (tw_world_default).
 *
 *   tw_gen_default_world generate BUNDLE OUT.c
 *       Read the world bundle BUNDLE (tw_world_read; normally data/default-world) and write C
 *       source for src/io/default_world_data.c: codes, names, metadata and every array as
 *       hex-float literals (printf "%a", so the values are exact), in the layouts of
 *       struct tw_world, plus tw_default_world_data() (src/io/default_world.h). OUT may be
 *       "-" for stdout. scripts/check-generated.sh regenerates into a temporary file and
 *       diffs it against the committed one.
 *
 *   tw_gen_default_world summary BUNDLE [SHARED_DATA]
 *       Print the summary figures of docs/default-world.md for the bundle BUNDLE (normally
 *       data/default-world, which equals the built-in world bit for bit): value added, gross
 *       output, trade and deficits by
 *       region; US-China flows and tariffs by sector; trade-weighted mean goods tariffs by
 *       importer; trade elasticities. With SHARED_DATA (the shared data root) it also imports
 *       the world without rule T2 (the FOOD cap) and prints the tariffs before and after it,
 *       and compares value added with WDI GDP 2017 (uschina/gdp_wdi_usa_chn_wld.csv).
 *
 * The tool never calls tw_world_default, so it links without the generated file it writes
 * (a static library pulls in only the objects a program uses): it can bootstrap
 * src/io/default_world_data.c from scratch. The summary uses the importer's internal options
 * (io/import_default2017.h) to switch rule T2 off.
 *
 * Exit status: 0 success, 1 usage, 2 data or I/O error.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/csv.h"
#include "io/import_default2017.h"
#include "tradewar/tradewar.h"

/* Numbers per line in the generated arrays. */
#define GEN_PER_LINE 4
/* Characters of a long string literal per source line. */
#define GEN_STR_CHUNK 72
/* Dollars per billion in the summary. */
#define SUM_BN 1e9

/* ---- generate ------------------------------------------------------------------------------- */

/* Write s as a C string literal: every byte outside printable ASCII, quotes, backslashes and
 * '?' (trigraphs) are escaped. With indent != NULL a long string is split into adjacent
 * literals of GEN_STR_CHUNK bytes, one per line (not used inside array initializers, where
 * compilers warn about concatenation). */
static void put_cstring(FILE *fp, const char *s, const char *indent)
{
    size_t n = strlen(s), used = 0;
    fputc('"', fp);
    if (n == 0) {
        fputc('"', fp);
        return;
    }
    for (size_t k = 0; k < n; k++) {
        unsigned char ch = (unsigned char)s[k];
        if (indent != NULL && used >= GEN_STR_CHUNK) {
            fprintf(fp, "\"\n%s\"", indent);
            used = 0;
        }
        if (ch == '"' || ch == '\\' || ch == '?')
            used += (size_t)fprintf(fp, "\\%c", ch);
        else if (ch >= 0x20 && ch < 0x7f)
            used += (size_t)fprintf(fp, "%c", ch);
        else
            used += (size_t)fprintf(fp, "\\%03o", ch);
    }
    fputc('"', fp);
}

static void put_strings(FILE *fp, const char *name, size_t n, const tw_world *w,
                        const char *(*get)(const tw_world *, size_t))
{
    fprintf(fp, "static const char *const %s[%zu] = {\n", name, n);
    for (size_t k = 0; k < n; k++) {
        fputs("    ", fp);
        put_cstring(fp, get(w, k), NULL);
        fputs(",\n", fp);
    }
    fputs("};\n\n", fp);
}

/* One labelled row of n numbers. */
static void put_row(FILE *fp, const char *label, const double *v, size_t n)
{
    fprintf(fp, "    /* %s */\n", label);
    for (size_t k = 0; k < n; k++)
        fprintf(fp, "%s%a,%s", k % GEN_PER_LINE == 0 ? "    " : " ", v[k],
                (k % GEN_PER_LINE == GEN_PER_LINE - 1 || k + 1 == n) ? "\n" : "");
}

/* The bilateral arrays, in struct tw_world layout [(s*N + j)*N + i]. */
static void put_bilateral(FILE *fp, const tw_world *w, const char *name, bool is_flow,
                          double *buf)
{
    size_t N = tw_world_n_country(w), S = tw_world_n_sector(w);
    char label[160];
    fprintf(fp, "static const double %s[] = {\n", name);
    for (size_t s = 0; s < S; s++)
        for (size_t j = 0; j < N; j++) {
            for (size_t i = 0; i < N; i++)
                buf[i] = is_flow ? tw_world_flow(w, i, j, s) : tw_world_tariff(w, j, i, s);
            snprintf(label, sizeof label, "%s, importer %s; exporters in region order",
                     tw_world_sector_code(w, s), tw_world_country_code(w, j));
            put_row(fp, label, buf, N);
        }
    fprintf(fp, "};\n_Static_assert(sizeof %s / sizeof %s[0] == %zu, \"%s: S*N*N values\");\n\n",
            name, name, S * N * N, name);
}

/* A [N*S] array [c*S + s] from a getter. */
static void put_cs(FILE *fp, const tw_world *w, const char *name,
                   double (*get)(const tw_world *, size_t, size_t), double *buf)
{
    size_t N = tw_world_n_country(w), S = tw_world_n_sector(w);
    char label[160];
    fprintf(fp, "static const double %s[] = {\n", name);
    for (size_t c = 0; c < N; c++) {
        for (size_t s = 0; s < S; s++)
            buf[s] = get(w, c, s);
        snprintf(label, sizeof label, "%s; sectors in order", tw_world_country_code(w, c));
        put_row(fp, label, buf, S);
    }
    fprintf(fp, "};\n_Static_assert(sizeof %s / sizeof %s[0] == %zu, \"%s: N*S values\");\n\n",
            name, name, N * S, name);
}

static void put_io(FILE *fp, const tw_world *w, double *buf)
{
    size_t N = tw_world_n_country(w), S = tw_world_n_sector(w);
    char label[160];
    fputs("static const double io[] = {\n", fp);
    for (size_t c = 0; c < N; c++)
        for (size_t k = 0; k < S; k++) {
            for (size_t s = 0; s < S; s++)
                buf[s] = tw_world_io_share(w, c, k, s);
            snprintf(label, sizeof label, "%s, input %s; using sectors in order",
                     tw_world_country_code(w, c), tw_world_sector_code(w, k));
            put_row(fp, label, buf, S);
        }
    fprintf(fp, "};\n_Static_assert(sizeof io / sizeof io[0] == %zu, \"io: N*S*S values\");\n\n",
            N * S * S);
}

static void put_header(FILE *fp, const tw_world *w)
{
    fputs("/* SPDX-License-Identifier: MIT */\n"
          "/* clang-format off */\n"
          "/*\n"
          " * src/io/default_world_data.c: GENERATED by tools/gen_default_world.c from the "
          "bundle\n"
          " * data/default-world/. Do not edit: change the importer (src/io/"
          "import_default2017.c),\n"
          " * rewrite the bundle, then regenerate with\n"
          " *   build/tw_gen_default_world generate data/default-world "
          "src/io/default_world_data.c\n"
          " * scripts/check-generated.sh fails when this file is not what the generator writes."
          "\n"
          " *\n"
          " * Numbers are C99 hex-float literals (printf %a), so they are exact; arrays have the "
          "layouts\n"
          " * of struct tw_world (core/world.h). See src/io/default_world.h and "
          "docs/default-world.md.\n",
          fp);
    fprintf(fp, " * World: %zu regions x %zu sectors, year %s, currency %s.\n */\n",
            tw_world_n_country(w), tw_world_n_sector(w), tw_world_meta(w, "year"),
            tw_world_meta(w, "currency"));
    fputs("#include \"io/default_world.h\"\n\n", fp);
}

static void put_footer(FILE *fp, const tw_world *w)
{
    size_t S = tw_world_n_sector(w);
    fputs("static const bool tradable[] = {", fp);
    for (size_t s = 0; s < S; s++)
        fprintf(fp, "%s%s", s ? ", " : "", tw_world_sector_is_tradable(w, s) ? "true" : "false");
    fprintf(fp, "};\n_Static_assert(sizeof tradable / sizeof tradable[0] == %zu, "
            "\"tradable: S values\");\n\n", S);
    fputs("static const struct tw_default_world_data data = {\n", fp);
    fprintf(fp, "    .n_country = %zu,\n    .n_sector = %zu,\n", tw_world_n_country(w), S);
    fputs("    .country_code = country_code,\n    .country_name = country_name,\n"
          "    .sector_code = sector_code,\n    .sector_name = sector_name,\n"
          "    .tradable = tradable,\n    .flow = flow,\n    .tariff = tariff,\n"
          "    .theta = theta,\n    .va_share = va_share,\n    .io = io,\n    .alpha = alpha,\n"
          "    .deficit = deficit,\n", fp);
    static const char *const keys[4] = {"name", "year", "currency", "source"};
    for (size_t k = 0; k < 4; k++) {
        fprintf(fp, "    .meta_%s =\n        ", keys[k]);
        put_cstring(fp, tw_world_meta(w, keys[k]), "        ");
        fputs(",\n", fp);
    }
    fputs("};\n\nconst struct tw_default_world_data *tw_default_world_data(void) "
          "{ return &data; }\n/* clang-format on */\n", fp);
}

static int generate(const char *bundle, const char *out_path)
{
    tw_err err = {0};
    tw_world *w = NULL;
    if (tw_world_read(bundle, &w, &err) != TW_OK) {
        fprintf(stderr, "tw_gen_default_world: error: %s\n", err.msg);
        return 2;
    }
    size_t N = tw_world_n_country(w), S = tw_world_n_sector(w);
    double *buf = malloc((N > S ? N : S) * sizeof *buf);
    FILE *fp = strcmp(out_path, "-") == 0 ? stdout : fopen(out_path, "w");
    int rc = 0;
    if (buf == NULL || fp == NULL) {
        fprintf(stderr, "tw_gen_default_world: error: cannot write %s\n", out_path);
        rc = 2;
        goto done;
    }
    put_header(fp, w);
    put_strings(fp, "country_code", N, w, tw_world_country_code);
    put_strings(fp, "country_name", N, w, tw_world_country_name);
    put_strings(fp, "sector_code", S, w, tw_world_sector_code);
    put_strings(fp, "sector_name", S, w, tw_world_sector_name);
    put_bilateral(fp, w, "flow", true, buf);
    put_bilateral(fp, w, "tariff", false, buf);
    fputs("static const double theta[] = {\n", fp);
    for (size_t s = 0; s < S; s++)
        fprintf(fp, "    %a, /* %s */\n", tw_world_theta(w, s), tw_world_sector_code(w, s));
    fprintf(fp, "};\n_Static_assert(sizeof theta / sizeof theta[0] == %zu, \"theta: S values\");"
            "\n\n", S);
    put_cs(fp, w, "va_share", tw_world_va_share, buf);
    put_io(fp, w, buf);
    put_cs(fp, w, "alpha", tw_world_final_share, buf);
    fputs("static const double deficit[] = {\n", fp);
    for (size_t c = 0; c < N; c++)
        fprintf(fp, "    %a, /* %s */\n", tw_world_deficit(w, c), tw_world_country_code(w, c));
    fprintf(fp, "};\n_Static_assert(sizeof deficit / sizeof deficit[0] == %zu, "
            "\"deficit: N values\");\n\n", N);
    put_footer(fp, w);
    if (fflush(fp) != 0 || ferror(fp)) {
        fprintf(stderr, "tw_gen_default_world: error: cannot write %s\n", out_path);
        rc = 2;
    }
done:
    if (fp != NULL && fp != stdout && fclose(fp) != 0 && rc == 0) {
        fprintf(stderr, "tw_gen_default_world: error: cannot close %s\n", out_path);
        rc = 2;
    }
    free(buf);
    tw_world_free(w);
    return rc;
}

/* ---- summary -------------------------------------------------------------------------------- */

/* Trade-weighted mean tariff of importer j over goods sectors (all but SERV) and partners,
 * weights = flows (before tariffs). */
static double mean_goods_tariff(const tw_world *w, size_t j, size_t serv)
{
    double num = 0.0, den = 0.0;
    for (size_t s = 0; s < tw_world_n_sector(w); s++)
        for (size_t i = 0; i < tw_world_n_country(w); i++)
            if (s != serv && i != j) {
                num += tw_world_flow(w, i, j, s) * tw_world_tariff(w, j, i, s);
                den += tw_world_flow(w, i, j, s);
            }
    return den > 0.0 ? num / den : 0.0;
}

static void summary_regions(const tw_world *w)
{
    size_t N = tw_world_n_country(w), S = tw_world_n_sector(w);
    double t_va = 0.0, t_go = 0.0, t_x = 0.0, t_m = 0.0, t_d = 0.0, t_r = 0.0;
    printf("\nregions (bn USD; value added = sum_s 2017 gross output x 2011 VA share; deficit = "
           "imports - exports)\n");
    printf("%-5s %11s %11s %9s %9s %9s %8s\n", "code", "value_add", "gross_out", "exports",
           "imports", "deficit", "tar_rev");
    for (size_t c = 0; c < N; c++) {
        double go = 0.0;
        for (size_t s = 0; s < S; s++)
            go += tw_world_gross_output(w, c, s);
        double va = tw_world_value_added(w, c), x = tw_world_exports(w, c);
        double m = tw_world_imports(w, c), r = tw_world_tariff_revenue(w, c);
        printf("%-5s %11.1f %11.1f %9.1f %9.1f %9.1f %8.2f\n", tw_world_country_code(w, c),
               va / SUM_BN, go / SUM_BN, x / SUM_BN, m / SUM_BN, tw_world_deficit(w, c) / SUM_BN,
               r / SUM_BN);
        t_va += va;
        t_go += go;
        t_x += x;
        t_m += m;
        t_d += tw_world_deficit(w, c);
        t_r += r;
    }
    printf("%-5s %11.1f %11.1f %9.1f %9.1f %9.3g %8.2f\n", "world", t_va / SUM_BN, t_go / SUM_BN,
           t_x / SUM_BN, t_m / SUM_BN, t_d / SUM_BN, t_r / SUM_BN);
}

static void summary_us_china(const tw_world *w, size_t us, size_t cn, size_t serv)
{
    double tot[2] = {0.0, 0.0}, goods[2] = {0.0, 0.0}, rev[2] = {0.0, 0.0};
    printf("\nUS-China flows 2017 (bn USD, before tariffs) and tariffs (%%)\n");
    printf("%-5s %10s %10s %10s %10s\n", "sect", "CHN->USA", "USA->CHN", "USA on CHN",
           "CHN on USA");
    for (size_t s = 0; s < tw_world_n_sector(w); s++) {
        double a = tw_world_flow(w, cn, us, s), b = tw_world_flow(w, us, cn, s);
        printf("%-5s %10.2f %10.2f %10.2f %10.2f\n", tw_world_sector_code(w, s), a / SUM_BN,
               b / SUM_BN, 100.0 * tw_world_tariff(w, us, cn, s),
               100.0 * tw_world_tariff(w, cn, us, s));
        tot[0] += a;
        tot[1] += b;
        if (s != serv) {
            goods[0] += a;
            goods[1] += b;
            rev[0] += a * tw_world_tariff(w, us, cn, s);
            rev[1] += b * tw_world_tariff(w, cn, us, s);
        }
    }
    printf("%-5s %10.2f %10.2f %10.2f %10.2f   (goods tariffs: trade-weighted means)\n",
           "goods", goods[0] / SUM_BN, goods[1] / SUM_BN, 100.0 * rev[0] / goods[0],
           100.0 * rev[1] / goods[1]);
    printf("%-5s %10.2f %10.2f\n", "all", tot[0] / SUM_BN, tot[1] / SUM_BN);
}

/* Tariffs by importer (and, when raw != NULL, the same without rule T2). */
static void summary_tariffs(const tw_world *w, const tw_world *raw, size_t serv, size_t food)
{
    size_t N = tw_world_n_country(w);
    printf("\ntrade-weighted mean goods tariff by importer (%%; weights = 2017 flows, SERV "
           "excluded)\n");
    printf("%-5s %8s%s\n", "code", "tariff", raw ? "  without T2" : "");
    for (size_t j = 0; j < N; j++) {
        printf("%-5s %8.2f", tw_world_country_code(w, j), 100.0 * mean_goods_tariff(w, j, serv));
        if (raw)
            printf("  %10.2f", 100.0 * mean_goods_tariff(raw, j, serv));
        putchar('\n');
    }
    printf("\nFOOD tariff by importer (%%): trade-weighted mean and maximum over partners\n");
    printf("%-5s  %7s %7s%s\n", "code", "mean", "max", raw ? "  without T2: mean, max" : "");
    for (size_t j = 0; j < N; j++) {
        const tw_world *v[2] = {w, raw};
        printf("%-5s", tw_world_country_code(w, j));
        for (size_t k = 0; k < (raw ? 2u : 1u); k++) {
            double num = 0.0, den = 0.0, max = 0.0;
            for (size_t i = 0; i < N; i++)
                if (i != j) {
                    double t = tw_world_tariff(v[k], j, i, food);
                    double f = tw_world_flow(v[k], i, j, food);
                    num += t * f;
                    den += f;
                    max = t > max ? t : max;
                }
            printf("  %7.2f %7.2f", den > 0.0 ? 100.0 * num / den : 0.0, 100.0 * max);
        }
        putchar('\n');
    }
    if (raw == NULL)
        return;
    printf("\nrule T2: FOOD tariffs (%%) of each importer on each exporter, without T2 -> with "
           "T2 (only changed importers)\n");
    for (size_t j = 0; j < N; j++) {
        bool changed = false;
        for (size_t i = 0; i < N; i++)
            changed = changed || tw_world_tariff(w, j, i, food) != tw_world_tariff(raw, j, i, food);
        if (!changed)
            continue;
        printf("%s on:\n", tw_world_country_code(w, j));
        for (size_t i = 0; i < N; i++)
            if (i != j)
                printf("  %-4s %7.2f -> %6.2f   (FOOD imports %7.2f bn)\n",
                       tw_world_country_code(w, i), 100.0 * tw_world_tariff(raw, j, i, food),
                       100.0 * tw_world_tariff(w, j, i, food),
                       tw_world_flow(w, i, j, food) / SUM_BN);
    }
}

/* Value added against WDI GDP 2017 (current USD) for the rows of
 * SHARED/uschina/gdp_wdi_usa_chn_wld.csv (USA, CHN and the world). */
static void summary_gdp(const tw_world *w, const char *shared)
{
    char path[4096];
    tw_csv_table *t = NULL;
    tw_err err = {0};
    size_t ci, cy, cg, c;
    snprintf(path, sizeof path, "%s/uschina/gdp_wdi_usa_chn_wld.csv", shared);
    if (tw_csv_read_file(path, &t, &err) != TW_OK || !tw_csv_find_column(t, "iso3", &ci) ||
        !tw_csv_find_column(t, "year", &cy) ||
        !tw_csv_find_column(t, "gdp_current_usd_bn", &cg)) {
        printf("\n(no GDP comparison: %s)\n", err.msg[0] ? err.msg : path);
        tw_csv_free(t);
        return;
    }
    printf("\nvalue added vs GDP 2017 (WDI NY.GDP.MKTP.CD, current USD; bn)\n");
    for (size_t r = 0; r < t->n_rows; r++) {
        const char *iso = tw_csv_field(t, r, ci);
        double gdp, va = 0.0;
        if (strcmp(tw_csv_field(t, r, cy), "2017") != 0 ||
            tw_csv_parse_double(tw_csv_field(t, r, cg), &gdp) != TW_CSV_NUM_OK)
            continue;
        if (strcmp(iso, "WLD") == 0)
            for (c = 0; c < tw_world_n_country(w); c++)
                va += tw_world_value_added(w, c);
        else if (tw_world_find_country(w, iso, &c))
            va = tw_world_value_added(w, c);
        else
            continue;
        printf("%-5s VA %9.1f  GDP %9.1f  (%+.1f %%)\n", iso, va / SUM_BN, gdp,
               100.0 * (va / SUM_BN / gdp - 1.0));
    }
    tw_csv_free(t);
}

static int summary(const char *world, const char *shared)
{
    tw_err err = {0};
    tw_world *w = NULL, *raw = NULL;
    int rc = 0;
    tw_status st = tw_world_read(world, &w, &err);
    if (st == TW_OK && shared != NULL) {
        struct tw_default2017_opts o;
        tw_diag *d = NULL;
        tw_default2017_opts_init(&o);
        o.fix_food = false;
        if (tw_diag_new(&d, &err) == TW_OK)
            st = tw_import_default2017_opts(shared, &o, &raw, d, &err);
        if (st != TW_OK && d != NULL && tw_diag_error_count(d) > 0)
            snprintf(err.msg, sizeof err.msg, "%s", tw_diag_message(d, 0));
        tw_diag_free(d);
    }
    size_t us, cn, serv, food;
    if (st == TW_OK && !(tw_world_find_country(w, "USA", &us) &&
                         tw_world_find_country(w, "CHN", &cn) &&
                         tw_world_find_sector(w, "SERV", &serv) &&
                         tw_world_find_sector(w, "FOOD", &food))) {
        snprintf(err.msg, sizeof err.msg, "%s: expected regions USA, CHN and sectors SERV, FOOD",
                 world);
        st = TW_EINVAL;
    }
    if (st != TW_OK) {
        fprintf(stderr, "tw_gen_default_world: error: %s\n", err.msg);
        rc = 2;
        goto done;
    }
    printf("world \"%s\", year %s, %zu regions x %zu sectors\n", tw_world_meta(w, "name"),
           tw_world_meta(w, "year"), tw_world_n_country(w), tw_world_n_sector(w));
    summary_regions(w);
    if (shared != NULL)
        summary_gdp(w, shared);
    summary_us_china(w, us, cn, serv);
    summary_tariffs(w, raw, serv, food);
    printf("\ntrade elasticities theta by sector\n");
    for (size_t s = 0; s < tw_world_n_sector(w); s++)
        printf("%-5s %8.4f\n", tw_world_sector_code(w, s), tw_world_theta(w, s));
done:
    tw_world_free(raw);
    tw_world_free(w);
    return rc;
}

int main(int argc, char **argv)
{
    if (argc == 4 && strcmp(argv[1], "generate") == 0)
        return generate(argv[2], argv[3]);
    if ((argc == 3 || argc == 4) && strcmp(argv[1], "summary") == 0)
        return summary(argv[2], argc == 4 ? argv[3] : NULL);
    fprintf(stderr, "usage: tw_gen_default_world generate BUNDLE OUT.c\n"
                    "       tw_gen_default_world summary BUNDLE [SHARED_DATA]\n");
    return 1;
}
