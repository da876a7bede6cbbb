/* SPDX-License-Identifier: MIT */
/*
 * tests/unit/test_world_io.c: world bundles (tw_world_read, tw_world_check, tw_world_write)
 * and importers (tw_world_import "cp2015").
 *
 * The fixture tests/data/tiny-world is a consistent 2-country x 2-sector bundle. Each bad
 * variant below copies it to a temporary directory and edits one file; the table `bad` lists
 * the edit, the status tw_world_read must return and the text of the diagnostic that must
 * appear (`<dir>/<file>:line:col: ...`). Further tests check that every problem is collected,
 * that warnings do not fail, that writing and reading back is bit-identical, that allocation
 * failures are clean, and that the cp2015 import matches the checksums of
 * data/cp2015/README.md (skipped when the shared data is absent, failing when CI=true).
 */
#define _XOPEN_SOURCE 700

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/alloc.h"
#include "core/world.h"
#include "twtest.h"

/* A fresh copy of tiny-world at <tmp>/<name>, path in buf. */
static const char *tiny_copy(const char *tmp, const char *name, char *buf)
{
    return twtest_copy_fixture("tiny-world", tmp, name, buf);
}

/* A copy as tiny_copy with the flow ALP->BET goods 30.25 made -30.25 (an error at
 * flows.csv:3:4). */
static const char *tiny_negative_flow(const char *tmp, const char *name, char *buf)
{
    char path[TWTEST_PATH];
    tiny_copy(tmp, name, buf);
    twtest_replace(twtest_join(buf, "flows.csv", path), "30.25", "-30.25");
    return buf;
}

static const char *file_in(const char *dir, const char *file, char *buf)
{
    return twtest_join(dir, file, buf);
}

/* ---- the good bundle ---------------------------------------------------------------------- */

static void test_read_tiny(void **state)
{
    (void)state;
    char dir[TWTEST_PATH];
    twtest_data("tiny-world", dir);
    tw_world *w = NULL;
    tw_err err = {TW_OK, ""};
    if (tw_world_read(dir, &w, &err) != TW_OK)
        fail_msg("%s", err.msg);
    assert_int_equal(tw_world_n_country(w), 2);
    assert_int_equal(tw_world_n_sector(w), 2);
    assert_string_equal(tw_world_country_code(w, 0), "ALP");
    assert_string_equal(tw_world_country_name(w, 1), "Betania");
    assert_string_equal(tw_world_sector_code(w, 1), "services");
    assert_true(tw_world_sector_is_tradable(w, 0));
    assert_false(tw_world_sector_is_tradable(w, 1));
    assert_string_equal(tw_world_meta(w, "name"), "Tiny two-country world");
    assert_string_equal(tw_world_meta(w, "year"), "2020");
    assert_string_equal(tw_world_meta(w, "currency"), "USD");
    assert_string_equal(tw_world_meta(w, "source"),
                        "hand-made test fixture, tests/data/tiny-world (see README.md)");
    size_t ALP = 0, BET = 1, goods = 0, services = 1;
    assert_true(tw_world_flow(w, ALP, BET, goods) == 30.25);
    assert_true(tw_world_flow(w, BET, ALP, goods) == 18.75);
    assert_true(tw_world_flow(w, BET, BET, services) == 60.375);
    assert_true(tw_world_flow(w, ALP, BET, services) == 0.0);
    assert_true(tw_world_tariff(w, ALP, BET, goods) == 0.05);
    assert_true(tw_world_tariff(w, BET, ALP, goods) == 0.125);
    assert_true(tw_world_tariff(w, BET, ALP, services) == 0.0);
    assert_true(tw_world_theta(w, goods) == 4.55);
    assert_true(tw_world_io_share(w, BET, services, goods) == 0.225);
    assert_true(tw_world_va_share(w, BET, goods) == 0.375);
    assert_true(tw_world_final_share(w, ALP, services) == 0.65);
    assert_true(tw_world_deficit(w, ALP) == -11.5);
    assert_true(tw_world_imports(w, ALP) - tw_world_exports(w, ALP) == -11.5);
    tw_world_free(w);
    tw_world_free(NULL);
}

static void test_check_tiny(void **state)
{
    (void)state;
    char dir[TWTEST_PATH];
    tw_diag *d = NULL;
    tw_err err = {TW_OK, ""};
    assert_int_equal(tw_world_check(twtest_data("tiny-world", dir), &d, &err), TW_OK);
    assert_non_null(d);
    if (tw_diag_count(d) != 0)
        twtest_diag_print(d);
    assert_int_equal(tw_diag_count(d), 0);
    tw_diag_free(d);
    tw_diag_free(NULL);
}

/* ---- bad variants ------------------------------------------------------------------------- */

static const struct bad {
    const char *file;  /* file to edit */
    const char *from;  /* text to replace; NULL: delete the file */
    const char *to;    /* replacement */
    tw_status status;  /* what tw_world_read returns */
    const char *where; /* "file:line:col" part of the message ("" for none) */
    const char *what;  /* the rest of the message, or a part of it */
} bad[] = {
    /* missing files */
    {"tariffs.csv", NULL, NULL, TW_EIO, "tariffs.csv", ": cannot open: No such file or directory"},
    {"meta.csv", NULL, NULL, TW_EIO, "meta.csv", ": cannot open: No such file or directory"},
    {"regions.csv", NULL, NULL, TW_EIO, "regions.csv", ": cannot open"},
    /* malformed CSV */
    {"flows.csv", "ALP,BET,goods,30.25", "ALP,BET,30.25", TW_EPARSE, "flows.csv:3",
     ": expected 4 fields, found 3"},
    {"regions.csv", "ALP,Alpinia", "ALP,Alp\"inia", TW_EPARSE, "regions.csv:2:2",
     ": unexpected quote"},
    /* numbers */
    {"flows.csv", "ALP,BET,goods,30.25", "ALP,BET,goods,-30.25", TW_EINVAL, "flows.csv:3:4",
     ": value -30.25 is negative, expected a number >= 0"},
    {"flows.csv", "30.25", "n/a", TW_EINVAL, "flows.csv:3:4",
     ": value \"n/a\" is not a number, expected a decimal number"},
    {"flows.csv", "30.25", "nan", TW_EINVAL, "flows.csv:3:4",
     ": value \"nan\": NaN/Inf not allowed, expected a finite number"},
    {"deficits.csv", "BET,11.5", "BET,-Inf", TW_EINVAL, "deficits.csv:3:2",
     ": deficit \"-Inf\": NaN/Inf not allowed"},
    {"flows.csv", "ALP,BET,goods,30.25", "ALP,BET,goods,", TW_EINVAL, "flows.csv:3:4",
     ": value is empty, expected a number"},
    {"flows.csv", "30.25", "1e999", TW_EINVAL, "flows.csv:3:4", ": value \"1e999\" is too large"},
    {"tariffs.csv", "0.05", "-0.05", TW_EINVAL, "tariffs.csv:2:4",
     ": rate -0.05 is negative, expected a number >= 0"},
    {"elasticities.csv", "4.55", "0", TW_EINVAL, "elasticities.csv:2:2",
     ": theta 0, expected a number > 0"},
    /* codes */
    {"flows.csv", "BET,ALP,goods", "XYZ,ALP,goods", TW_EINVAL, "flows.csv:4:1",
     ": exporter \"XYZ\" is not in regions.csv, expected a region code"},
    {"flows.csv", "BET,ALP,goods", "BET,ALP,food", TW_EINVAL, "flows.csv:4:3",
     ": sector \"food\" is not in sectors.csv, expected a sector code"},
    {"flows.csv", "BET,ALP,goods", ",ALP,goods", TW_EINVAL, "flows.csv:4:1",
     ": exporter is empty, expected a region code"},
    {"io.csv", "BET,services,goods", "BET,servces,goods", TW_EINVAL, "io.csv:7:2",
     ": input_sector \"servces\" is not in sectors.csv"},
    {"regions.csv", "BET,Betania", "ALP,Betania", TW_EINVAL, "regions.csv:3:1",
     ": region code \"ALP\" repeats line 2, expected unique codes"},
    {"sectors.csv", "services,Services", "goods,Services", TW_EINVAL, "sectors.csv:3:1",
     ": sector code \"goods\" repeats line 2"},
    {"regions.csv", "BET,Betania", ",Betania", TW_EINVAL, "regions.csv:3:1",
     ": region code is empty, expected a code"},
    {"regions.csv", "BET,Betania", "*,Betania", TW_EINVAL, "regions.csv:3:1",
     ": region code \"*\" is reserved"},
    {"regions.csv", "ALP,Alpinia\nBET,Betania\n", "", TW_EINVAL, "regions.csv",
     ": no rows, expected at least one region"},
    {"sectors.csv", "goods,Goods,1", "goods,Goods,2", TW_EINVAL, "sectors.csv:2:3",
     ": tradable \"2\", expected 0 or 1"},
    /* rows */
    {"flows.csv", "BET,BET,goods,80.125", "BET,BET,goods,80.125\nBET,BET,goods,1",
     TW_EINVAL, "flows.csv:6",
     ": row for exporter \"BET\", importer \"BET\", sector \"goods\" repeats line 5, expected "
     "at most one row per pair of regions and sector"},
    {"flows.csv", "BET,BET,services,60.375", "BET,BET,services,60.375\nALP,BET,services,2.5",
     TW_EINVAL, "flows.csv:8:4",
     ": value 2.5 from ALP to BET in non-tradable sector services, expected 0"},
    {"tariffs.csv", "BET,ALP,goods,0.125", "BET,ALP,goods,0.125\nALP,ALP,goods,0.1", TW_EINVAL,
     "tariffs.csv:4:4", ": rate 0.1 of ALP on itself in goods, expected 0"},
    {"elasticities.csv", "services,8.22\n", "", TW_EINVAL, "elasticities.csv",
     ": no row for sector \"services\", expected one row per sector"},
    {"elasticities.csv", "services,8.22", "services,8.22\nservices,8.3", TW_EINVAL,
     "elasticities.csv:4", ": row for sector \"services\" repeats line 3"},
    {"value_added.csv", "BET,services,0.7\n", "", TW_EINVAL, "value_added.csv",
     ": no row for country \"BET\", sector \"services\", expected one row per region and "
     "sector"},
    {"final_demand.csv", "ALP,goods,0.35\n", "", TW_EINVAL, "final_demand.csv",
     ": no row for country \"ALP\", sector \"goods\""},
    {"deficits.csv", "BET,11.5\n", "", TW_EINVAL, "deficits.csv",
     ": no row for country \"BET\", expected one row per region"},
    /* headers */
    {"deficits.csv", "country,deficit\nALP,-11.5\nBET,11.5\n",
     "country,deficit,note\nALP,-11.5,x\nBET,11.5,y\n", TW_EINVAL, "deficits.csv:1:3",
     ": unknown column \"note\", expected only country, deficit"},
    {"value_added.csv",
     "country,sector,share\nALP,goods,0.45\nALP,services,0.6\nBET,goods,0.375\n"
     "BET,services,0.7\n",
     "country,sector\nALP,goods\nALP,services\nBET,goods\nBET,services\n", TW_EINVAL,
     "value_added.csv:1", ": missing column \"share\", expected a header with country, sector, "
     "share"},
    {"deficits.csv", "country,deficit\nALP,-11.5\nBET,11.5\n", "country,country\nALP,ALP\n",
     TW_EINVAL, "deficits.csv:1:2", ": column \"country\" appears again (first in column 1)"},
    {"final_demand.csv", "country,sector,share", "Country,sector,share", TW_EINVAL,
     "final_demand.csv:1:1", ": unknown column \"Country\""},
    /* meta */
    {"meta.csv", "year,2020", "yr,2020", TW_EINVAL, "meta.csv:3:1",
     ": key \"yr\" is unknown, expected name, year, currency, source or model"},
    {"meta.csv", "currency,USD", "year,2021", TW_EINVAL, "meta.csv:4:1",
     ": key \"year\" repeats line 3, expected each key once"},
    /* semantic checks (core's tw_world_validate; messages name the bundle directory) */
    {"value_added.csv", "ALP,goods,0.45", "ALP,goods,0.55", TW_EINVAL, "",
     ": ALP's goods: value-added share plus input shares sum to 1.1, expected 1 within 1e-05"},
    {"final_demand.csv", "BET,goods,0.425", "BET,goods,0.5", TW_EINVAL, "",
     ": final-demand shares of BET sum to 1.075, expected 1 within 1e-05"},
    {"deficits.csv", "BET,11.5", "BET,12.5", TW_EINVAL, "", ": deficits sum to 1, expected 0"},
    {"io.csv", "ALP,goods,goods,0.3", "ALP,goods,goods,-0.05", TW_EINVAL, "",
     ": input share of goods in ALP's goods is -0.05, expected a number in [0, 1]"},
};

static void test_bad_bundles(void **state)
{
    const char *tmp = *state;
    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
        const struct bad *b = &bad[k];
        char name[32], dir[TWTEST_PATH], path[TWTEST_PATH], want[2 * TWTEST_PATH];
        snprintf(name, sizeof name, "bad%zu", k);
        tiny_copy(tmp, name, dir);
        file_in(dir, b->file, path);
        if (b->from == NULL)
            assert_int_equal(unlink(path), 0);
        else
            twtest_replace(path, b->from, b->to);
        if (b->where[0] != '\0')
            snprintf(want, sizeof want, "%s/%s%s", dir, b->where, b->what);
        else
            snprintf(want, sizeof want, "%s%s", dir, b->what);

        tw_diag *d = NULL;
        tw_err err = {TW_OK, ""};
        tw_status st = tw_world_check(dir, &d, &err);
        if (st != TW_EINVAL || twtest_diag_find(d, TW_SEV_ERROR, want) < 0) {
            fprintf(stderr, "case %zu (%s): check returned %d; diagnostics:\n", k, b->file, st);
            twtest_diag_print(d);
            fail_msg("case %zu: want an error containing \"%s\"", k, want);
        }
        assert_int_equal(err.code, TW_EINVAL);
        assert_int_equal(strncmp(err.msg, "world: ", 7), 0);
        tw_diag_free(d);

        tw_world *w = (tw_world *)1;
        st = tw_world_read(dir, &w, &err);
        if (st != b->status || strstr(err.msg, want) == NULL ||
            strncmp(err.msg, "world: ", 7) != 0)
            fail_msg("case %zu: read returned %d (want %d): \"%s\" (want \"%s\")", k, st,
                     b->status, err.msg, want);
        assert_null(w);
        twtest_rmtree(dir);
    }
}

/* Two independent problems give two entries; a missing file does not stop the others. */
static void test_check_collects_all(void **state)
{
    char dir[TWTEST_PATH], path[TWTEST_PATH];
    tiny_negative_flow(*state, "two", dir);
    twtest_replace(file_in(dir, "tariffs.csv", path), "BET,ALP,goods", "BET,ALP,food");
    tw_diag *d = NULL;
    tw_err err = {TW_OK, ""};
    assert_int_equal(tw_world_check(dir, &d, &err), TW_EINVAL);
    if (tw_diag_count(d) != 2)
        twtest_diag_print(d);
    assert_int_equal(tw_diag_count(d), 2);
    assert_int_equal(tw_diag_error_count(d), 2);
    assert_non_null(strstr(tw_diag_message(d, 0), "/flows.csv:3:4: value -30.25 is negative"));
    assert_non_null(strstr(tw_diag_message(d, 1), "/tariffs.csv:3:3: sector \"food\""));
    assert_non_null(strstr(err.msg, "world: 2 errors, the first: "));
    tw_diag_free(d);

    /* The first error decides tw_world_read's status and message. */
    tw_world *w = NULL;
    assert_int_equal(tw_world_read(dir, &w, &err), TW_EINVAL);
    assert_non_null(strstr(err.msg, "/flows.csv:3:4: value -30.25 is negative"));

    /* A missing file, a malformed file and a bad cell, all reported. */
    unlink(file_in(dir, "meta.csv", path));
    twtest_replace(file_in(dir, "io.csv", path), "ALP,goods,goods,0.3", "ALP,goods,goods");
    assert_int_equal(tw_world_check(dir, &d, &err), TW_EINVAL);
    assert_int_equal(tw_diag_error_count(d), 4);
    assert_true(twtest_diag_find(d, TW_SEV_ERROR, "/meta.csv: cannot open") == 0);
    assert_true(twtest_diag_find(d, TW_SEV_ERROR, "/io.csv:2: expected 4 fields, found 3") >= 0);
    tw_diag_free(d);
    assert_int_equal(tw_world_read(dir, &w, &err), TW_EIO);
    assert_null(w);
}

/* Thousands of bad rows: every error counted, the stored list capped. */
static void test_check_many_errors(void **state)
{
    const char *tmp = *state;
    char dir[TWTEST_PATH], path[TWTEST_PATH];
    tiny_copy(tmp, "many", dir);
    file_in(dir, "flows.csv", path);
    for (int k = 0; k < 1200; k++) {
        char row[64];
        snprintf(row, sizeof row, "X%d,ALP,goods,1\n", k);
        twtest_append(path, row);
    }
    tw_diag *d = NULL;
    assert_int_equal(tw_world_check(dir, &d, NULL), TW_EINVAL);
    assert_int_equal(tw_diag_error_count(d), 1200);
    assert_true(tw_diag_count(d) <= TW_DIAG_MAX);
    tw_diag_free(d);
}

/* A slightly negative input-output share is a warning, not an error. */
static void test_warning_only(void **state)
{
    const char *tmp = *state;
    char dir[TWTEST_PATH], path[TWTEST_PATH];
    tiny_copy(tmp, "warn", dir);
    twtest_replace(file_in(dir, "io.csv", path), "ALP,services,goods,0.25",
                   "ALP,services,goods,-0.005");
    twtest_replace(file_in(dir, "value_added.csv", path), "ALP,goods,0.45", "ALP,goods,0.705");
    tw_diag *d = NULL;
    tw_err err = {TW_OK, ""};
    assert_int_equal(tw_world_check(dir, &d, &err), TW_OK);
    assert_int_equal(tw_diag_count(d), 1);
    assert_int_equal(tw_diag_error_count(d), 0);
    assert_int_equal(tw_diag_severity(d, 0), TW_SEV_WARNING);
    assert_non_null(strstr(tw_diag_message(d, 0), "slightly negative"));
    tw_diag_free(d);
    tw_world *w = NULL;
    assert_int_equal(tw_world_read(dir, &w, &err), TW_OK);
    assert_true(tw_world_io_share(w, 0, 1, 0) == -0.005);
    tw_world_free(w);
}

static void test_not_a_bundle(void **state)
{
    const char *tmp = *state;
    char path[TWTEST_PATH], want[TWTEST_PATH + 64];
    tw_world *w = (tw_world *)1;
    tw_diag *d = (tw_diag *)1;
    tw_err err = {TW_OK, ""};
    twtest_join(tmp, "nowhere", path);
    assert_int_equal(tw_world_read(path, &w, &err), TW_EIO);
    assert_null(w);
    snprintf(want, sizeof want, "world: %s: cannot open: No such file or directory", path);
    twtest_expect_prefix(err.msg, want);
    assert_int_equal(tw_world_check(path, &d, &err), TW_EINVAL);
    assert_int_equal(tw_diag_error_count(d), 1);
    tw_diag_free(d);
    twtest_write_file(path, "not a directory", (size_t)-1);
    assert_int_equal(tw_world_read(path, &w, &err), TW_EIO);
    assert_non_null(strstr(err.msg, ": not a directory"));
    assert_int_equal(tw_world_read("", &w, &err), TW_EINVAL);
    assert_int_equal(tw_world_read(NULL, &w, &err), TW_EINVAL);
    assert_int_equal(tw_world_read(path, NULL, &err), TW_EINVAL);
    assert_int_equal(tw_world_check(path, NULL, &err), TW_EINVAL);
    assert_int_equal(tw_world_read(path, &w, NULL), TW_EIO);
}

/* Windows-style files (BOM, CRLF), quoted fields and reordered columns read the same. */
static void test_crlf_bom_reordered(void **state)
{
    const char *tmp = *state;
    char dir[TWTEST_PATH], path[TWTEST_PATH], src[TWTEST_PATH];
    tiny_copy(tmp, "crlf", dir);
    static const char *const files[] = {"meta.csv", "regions.csv", "sectors.csv",
                                        "elasticities.csv", "flows.csv", "tariffs.csv",
                                        "io.csv", "value_added.csv", "final_demand.csv",
                                        "deficits.csv"};
    for (size_t k = 0; k < sizeof files / sizeof files[0]; k++) {
        size_t len;
        char *text = twtest_read_file(file_in(dir, files[k], path), &len);
        char *out = malloc(2 * len + 4);
        size_t n = 0;
        memcpy(out, "\xEF\xBB\xBF", 3);
        n = 3;
        for (size_t i = 0; i < len; i++) {
            if (text[i] == '\n')
                out[n++] = '\r';
            out[n++] = text[i];
        }
        twtest_write_file(path, out, n);
        free(out);
        free(text);
    }
    twtest_write_file(file_in(dir, "deficits.csv", path),
                      "deficit,\"country\"\r\n-11.5,\"ALP\"\r\n\"11.5\",BET\r\n\r\n", (size_t)-1);
    tw_world *a = NULL, *b = NULL;
    tw_err err = {TW_OK, ""};
    assert_int_equal(tw_world_read(twtest_data("tiny-world", src), &a, &err), TW_OK);
    if (tw_world_read(dir, &b, &err) != TW_OK)
        fail_msg("%s", err.msg);
    twtest_expect_same_world(a, b);
    tw_world_free(a);
    tw_world_free(b);
}

/* ---- writing ------------------------------------------------------------------------------ */

static void test_round_trip(void **state)
{
    const char *tmp = *state;
    char src[TWTEST_PATH], out[TWTEST_PATH], path[TWTEST_PATH];
    tw_world *w = NULL, *back = NULL;
    tw_err err = {TW_OK, ""};
    assert_int_equal(tw_world_read(twtest_data("tiny-world", src), &w, &err), TW_OK);
    /* Values that need all 17 digits, a subnormal and a tiny perturbation of the shares. */
    w->tariff[tw_world_ijs(w, 1, 0, 0)] = 1.0 / 3.0;
    w->theta[0] = 4.55 * 3.0 / 7.0;
    w->io[tw_world_cks(w, 0, 0, 0)] = 0.3 + 1e-12;
    w->va_share[tw_world_cs(w, 0, 0)] = 0.45 - 1e-12;
    w->flow[tw_world_ijs(w, 0, 0, 1)] = 95.5 + 4.9406564584124654e-324;
    w->flow[tw_world_ijs(w, 1, 1, 0)] = 80.125 * (1.0 + 1e-15);
    assert_int_equal(tw_world_set_string(&w->meta_name, "quotes \"and\", commas", &err), TW_OK);
    assert_int_equal(tw_world_set_string(&w->country_name[1], " Betania\nNew", &err), TW_OK);

    twtest_join(tmp, "out", out);
    if (tw_world_write(w, out, &err) != TW_OK)
        fail_msg("%s", err.msg);
    assert_int_equal(twtest_count_entries(tmp), 1); /* no temporary directory left */
    assert_int_equal(twtest_count_entries(out), 10);
    if (tw_world_read(out, &back, &err) != TW_OK)
        fail_msg("%s", err.msg);
    twtest_expect_same_world(w, back);
    tw_world_free(back);

    /* Sparse tables: only non-zero cells are written. */
    char *text = twtest_read_file(file_in(out, "flows.csv", path), NULL);
    assert_string_equal(text, "exporter,importer,sector,value\n"
                              "ALP,ALP,goods,120.5\n"
                              "ALP,ALP,services,95.5\n"
                              "ALP,BET,goods,30.25\n"
                              "BET,ALP,goods,18.75\n"
                              "BET,BET,goods,80.12500000000009\n"
                              "BET,BET,services,60.375\n");
    free(text);
    text = twtest_read_file(file_in(out, "tariffs.csv", path), NULL);
    assert_string_equal(text, "importer,exporter,sector,rate\n"
                              "ALP,BET,goods,0.3333333333333333\n"
                              "BET,ALP,goods,0.125\n");
    free(text);
    text = twtest_read_file(file_in(out, "regions.csv", path), NULL);
    assert_string_equal(text, "code,name\nALP,Alpinia\nBET,\" Betania\nNew\"\n");
    free(text);

    /* The target exists: refused, left alone, nothing else created. */
    assert_int_equal(tw_world_write(w, out, &err), TW_EINVAL);
    assert_non_null(strstr(err.msg, "world: "));
    assert_non_null(strstr(err.msg, "out: exists, expected a new directory"));
    assert_int_equal(twtest_count_entries(tmp), 1);

    /* A value that could not be read back is refused, and nothing is left behind. */
    w->deficit[0] = NAN;
    twtest_join(tmp, "nan", path);
    assert_int_equal(tw_world_write(w, path, &err), TW_EINVAL);
    assert_non_null(strstr(err.msg, "deficits.csv: deficit for country \"ALP\" is nan"));
    assert_false(twtest_exists(path));
    assert_int_equal(twtest_count_entries(tmp), 1);

    /* The parent directory is missing. */
    twtest_join(tmp, "no/such/out", path);
    assert_int_equal(tw_world_write(w, path, &err), TW_EIO);
    assert_int_equal(tw_world_write(NULL, path, &err), TW_EINVAL);
    assert_int_equal(tw_world_write(w, "", &err), TW_EINVAL);
    tw_world_free(w);
}

/* ---- allocation failures ------------------------------------------------------------------ */

/* Every allocation of tw_world_check(dir) fails in turn: TW_ENOMEM and no diagnostics each
 * time; with none failing, status `want` with n_errors errors. */
static void check_alloc_sweep(const char *dir, tw_status want, size_t n_errors)
{
    for (long n = 1;; n++) {
        tw_diag *d = NULL;
        tw_fault_alloc_fail_at(n);
        tw_status st = tw_world_check(dir, &d, NULL);
        if (!twtest_alloc_failed()) {
            assert_int_equal(st, want);
            assert_int_equal(tw_diag_error_count(d), n_errors);
            tw_diag_free(d);
            break;
        }
        assert_int_equal(st, TW_ENOMEM);
        assert_null(d);
    }
}

static void test_alloc_failures_read(void **state)
{
    (void)state;
    char dir[TWTEST_PATH];
    twtest_data("tiny-world", dir);
    long n;
    for (n = 1;; n++) {
        tw_world *w = NULL;
        tw_err err = {TW_OK, ""};
        tw_fault_alloc_fail_at(n);
        tw_status st = tw_world_read(dir, &w, &err);
        if (twtest_alloc_done(n, st, w, err.msg)) {
            tw_world_free(w);
            break;
        }
    }
    assert_true(n > 50);
    check_alloc_sweep(dir, TW_OK, 0);
}

static void test_alloc_failures_write(void **state)
{
    const char *tmp = *state;
    char src[TWTEST_PATH], out[TWTEST_PATH];
    tw_world *w = NULL;
    assert_int_equal(tw_world_read(twtest_data("tiny-world", src), &w, NULL), TW_OK);
    twtest_join(tmp, "w", out);
    for (long n = 1;; n++) {
        tw_err err = {TW_OK, ""};
        tw_fault_alloc_fail_at(n);
        tw_status st = tw_world_write(w, out, &err);
        if (twtest_alloc_done(n, st, NULL, err.msg))
            break;
        assert_int_equal(twtest_count_entries(tmp), 0);
    }
    assert_int_equal(twtest_count_entries(tmp), 1);
    tw_world_free(w);
}

/* Check with problems: out-of-memory while building the diagnostics is still TW_ENOMEM. */
static void test_alloc_failures_check_bad(void **state)
{
    char dir[TWTEST_PATH], path[TWTEST_PATH];
    tiny_negative_flow(*state, "oom", dir);
    twtest_replace(file_in(dir, "value_added.csv", path), "BET,services,0.7\n", "");
    check_alloc_sweep(dir, TW_EINVAL, 2);
}

/* ---- importers ---------------------------------------------------------------------------- */

static void expect_rel(double got, double want, double rtol, const char *what)
{
    if (!(fabs(got - want) <= rtol * fabs(want)))
        fail_msg("%s: %.17g, want %.17g (rtol %g)", what, got, want, rtol);
}

static void test_importer_list(void **state)
{
    (void)state;
    const char *const *names = tw_world_importers();
    assert_non_null(names);
    assert_string_equal(names[0], "cp2015");
    size_t n = 0;
    while (names[n] != NULL)
        n++;
    assert_true(n >= 1);
    tw_world *w = (tw_world *)1;
    tw_err err = {TW_OK, ""};
    assert_int_equal(tw_world_import("gtap", "/tmp", &w, &err), TW_EINVAL);
    assert_null(w);
    assert_non_null(strstr(err.msg, "import: unknown source \"gtap\", expected one of: cp2015"));
    assert_int_equal(tw_world_import(NULL, "/tmp", &w, &err), TW_EINVAL);
    assert_int_equal(tw_world_import("cp2015", NULL, &w, &err), TW_EINVAL);
    assert_int_equal(tw_world_import("cp2015", "/tmp", NULL, &err), TW_EINVAL);
    assert_int_equal(tw_world_import("cp2015", "/nonexistent-twtest", &w, &err), TW_EIO);
    assert_non_null(strstr(err.msg, "import cp2015: /nonexistent-twtest/regions.csv: cannot open"));
}

static void test_import_cp2015(void **state)
{
    const char *tmp = *state;
    char src[TWTEST_PATH], out[TWTEST_PATH];
    twtest_shared("cp2015", src);
    tw_world *w = NULL;
    tw_err err = {TW_OK, ""};
    if (tw_world_import("cp2015", src, &w, &err) != TW_OK)
        fail_msg("%s", err.msg);
    size_t N = tw_world_n_country(w), S = tw_world_n_sector(w);
    assert_int_equal(N, 31);
    assert_int_equal(S, 40);
    assert_string_equal(tw_world_meta(w, "name"), "Caliendo-Parro 2015 NAFTA world");
    assert_string_equal(tw_world_meta(w, "year"), "1993");
    assert_string_equal(tw_world_meta(w, "currency"), "USD");
    assert_non_null(strstr(tw_world_meta(w, "source"), "Caliendo and F. Parro (2015)"));
    assert_non_null(strstr(tw_world_meta(w, "source"), "replication package"));
    assert_string_equal(tw_world_country_code(w, 0), "ARG");
    assert_string_equal(tw_world_country_code(w, 30), "ROW");
    assert_string_equal(tw_world_sector_code(w, 0), "agriculture");
    size_t tradable = 0;
    for (size_t s = 0; s < S; s++)
        tradable += tw_world_sector_is_tradable(w, s);
    assert_int_equal(tradable, 20);

    size_t mex, can, usa, petroleum, other, basic_metals;
    assert_true(tw_world_find_country(w, "MEX", &mex));
    assert_true(tw_world_find_country(w, "CAN", &can));
    assert_true(tw_world_find_country(w, "USA", &usa));
    assert_true(tw_world_find_sector(w, "petroleum", &petroleum));
    assert_true(tw_world_find_sector(w, "other", &other));
    assert_true(tw_world_find_sector(w, "basic_metals", &basic_metals));
    assert_true(tw_world_theta(w, petroleum) == 64.85);

    /* Checksums from data/cp2015/README.md. */
    double va = 0.0, revenue = 0.0, intl = 0.0;
    for (size_t c = 0; c < N; c++) {
        va += tw_world_value_added(w, c);
        revenue += tw_world_tariff_revenue(w, c);
        intl += tw_world_exports(w, c);
    }
    expect_rel(va, 2.4915216640394e13, 1e-12, "world value added");
    expect_rel(intl, 3.1457053207683e12, 1e-12, "international flows");
    expect_rel(revenue, 1.8817004934e11, 1e-10, "world tariff revenue");
    expect_rel(tw_world_value_added(w, mex), 3.8999377058e11, 1e-10, "MEX value added");
    expect_rel(tw_world_value_added(w, can), 5.6530809777e11, 1e-10, "CAN value added");
    expect_rel(tw_world_value_added(w, usa), 6.54582414756e12, 1e-11, "USA value added");
    expect_rel(tw_world_deficit(w, usa), 1.233e11, 1e-3, "USA deficit");
    assert_true(tw_world_deficit(w, usa) == 123318724379.0);
    expect_rel(tw_world_deficit(w, mex), 8.73e9, 1e-3, "MEX deficit");
    expect_rel(tw_world_deficit(w, can), -1.07e10, 1e-2, "CAN deficit");
    /* The one negative input-output cell is kept (a warning, not an error). */
    assert_true(tw_world_io_share(w, can, other, basic_metals) < 0.0);
    assert_true(tw_world_io_share(w, can, other, basic_metals) > TW_WORLD_IO_NEG_WARN);

    /* The imported world survives a write/read round trip bit for bit. */
    tw_world *back = NULL;
    twtest_join(tmp, "cp-world", out);
    if (tw_world_write(w, out, &err) != TW_OK)
        fail_msg("%s", err.msg);
    if (tw_world_read(out, &back, &err) != TW_OK)
        fail_msg("%s", err.msg);
    twtest_expect_same_world(w, back);
    tw_diag *d = NULL;
    assert_int_equal(tw_world_check(out, &d, &err), TW_OK);
    assert_int_equal(tw_diag_error_count(d), 0);
    assert_true(twtest_diag_find(d, TW_SEV_WARNING, "slightly negative") >= 0);
    tw_diag_free(d);
    tw_world_free(back);
    tw_world_free(w);
}

/* A damaged copy of the cp2015 folder fails with the file and place of the damage. */
static void test_import_cp2015_bad(void **state)
{
    const char *tmp = *state;
    char src[TWTEST_PATH], dir[TWTEST_PATH], path[TWTEST_PATH];
    twtest_shared("cp2015", src);
    twtest_join(tmp, "cp", dir);
    twtest_copy_dir(src, dir);
    twtest_replace(file_in(dir, "theta.csv", path), "mining,13.53", "mining,-13.53");
    twtest_replace(file_in(dir, "regions.csv", path), "1,AUS", "7,AUS");
    tw_world *w = NULL;
    tw_err err = {TW_OK, ""};
    assert_int_equal(tw_world_import("cp2015", dir, &w, &err), TW_EINVAL);
    assert_null(w);
    char want[2 * TWTEST_PATH];
    snprintf(want, sizeof want, "import cp2015: %s/regions.csv:3:1: index \"7\" on row 2, "
             "expected 1", dir);
    assert_non_null(strstr(err.msg, want));

    twtest_replace(file_in(dir, "regions.csv", path), "7,AUS", "1,AUS");
    assert_int_equal(tw_world_import("cp2015", dir, &w, &err), TW_EINVAL);
    snprintf(want, sizeof want, "import cp2015: %s/theta.csv:3:2: theta -13.53, expected a "
             "number > 0", dir);
    twtest_expect_prefix(err.msg, want);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_read_tiny),
        cmocka_unit_test(test_check_tiny),
        TWTEST_TMPDIR_TEST(test_bad_bundles),
        TWTEST_TMPDIR_TEST(test_check_collects_all),
        TWTEST_TMPDIR_TEST(test_check_many_errors),
        TWTEST_TMPDIR_TEST(test_warning_only),
        TWTEST_TMPDIR_TEST(test_not_a_bundle),
        TWTEST_TMPDIR_TEST(test_crlf_bom_reordered),
        TWTEST_TMPDIR_TEST(test_round_trip),
        cmocka_unit_test(test_alloc_failures_read),
        TWTEST_TMPDIR_TEST(test_alloc_failures_write),
        TWTEST_TMPDIR_TEST(test_alloc_failures_check_bad),
        cmocka_unit_test(test_importer_list),
        TWTEST_TMPDIR_TEST(test_import_cp2015),
        TWTEST_TMPDIR_TEST(test_import_cp2015_bad),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
