/* SPDX-License-Identifier: MIT */
/*
 * tests/unit/test_panel.c: the estimation panel reader (tw_panel_*): column selection,
 * log(), FE ids and interactions with their labels, clusters, weights and offsets, plain and
 * gzip files, and the error paths with file:line:col.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <zlib.h>

#include <cmocka.h>

#include "core/alloc.h"
#include "tradewar/tradewar.h"
#include "twtest.h"

static const char *CSV = "exp,imp,year,trade,dist,w\n"
                         "A,B,1,10,100,1\n"
                         "B,A,1,0,100,2\n"
                         "A,B,2,12,100,1\n"
                         "B,A,2,3,100,0.5\n"
                         "A,A,2,50,10,1\n";

static tw_status read_buf(const char *csv, const char *formula, const tw_panel_opts *o,
                          tw_panel **p, tw_err *err)
{
    return tw_panel_read_buf(csv, strlen(csv), "t.csv", formula, o, p, err);
}

static void check_panel(const tw_ppml_data *d)
{
    assert_int_equal(d->n_obs, 5);
    assert_int_equal(d->n_x, 2);
    assert_string_equal(d->x_names[0], "log(dist)");
    assert_string_equal(d->x_names[1], "year");
    assert_true(d->x[0][4] == log(10.0));
    assert_true(d->y[1] == 0.0);
    assert_int_equal(d->n_fe, 2);
    assert_string_equal(d->fe_names[0], "exp^year");
    assert_int_equal(d->fe_levels[0], 4); /* A1 B1 A2 B2 */
    assert_int_equal(d->fe[0][4], 2);     /* A,2 again */
    assert_string_equal(d->fe_labels[0][3], "B_2");
    assert_int_equal(d->fe_levels[1], 2);
    assert_string_equal(d->fe_labels[1][0], "B");
    assert_int_equal(d->n_cluster, 2);
    assert_string_equal(d->cluster_names[1], "exp^imp");
    assert_int_equal(d->cluster_levels[1], 3);
    assert_true(d->weights[3] == 0.5);
    assert_null(d->offset);
}

static void test_read_buf(void **state)
{
    (void)state;
    tw_panel_opts o;
    tw_panel_opts_init(&o);
    o.weights = "w";
    o.cluster = "year,exp^imp";
    tw_panel *p = NULL;
    tw_err err = {0};
    tw_status st = read_buf(CSV, "trade ~ log(dist) + year | exp^year + imp", &o, &p, &err);
    if (st != TW_OK)
        fail_msg("%s", err.msg);
    check_panel(tw_panel_data(p));
    tw_panel_free(p);
    /* Without FE an intercept is added. */
    assert_int_equal(read_buf(CSV, "trade ~ dist", NULL, &p, &err), TW_OK);
    assert_int_equal(tw_panel_data(p)->n_x, 2);
    assert_string_equal(tw_panel_data(p)->x_names[0], "(Intercept)");
    tw_panel_free(p);
    tw_panel_free(NULL);
}

static void test_files(void **state)
{
    (void)state;
    char dir[TWTEST_PATH], plain[TWTEST_PATH], gz[TWTEST_PATH];
    twtest_tmpdir(dir);
    twtest_join(dir, "p.csv", plain);
    twtest_join(dir, "p.csv.gz", gz);
    twtest_write_file(plain, CSV, (size_t)-1);
    gzFile g = gzopen(gz, "wb");
    assert_non_null(g);
    assert_int_equal(gzputs(g, CSV), (int)strlen(CSV));
    assert_int_equal(gzclose(g), Z_OK);
    tw_panel_opts o;
    tw_panel_opts_init(&o);
    o.weights = "w";
    o.cluster = "year,exp^imp";
    const char *paths[] = {plain, gz};
    for (size_t k = 0; k < 2; k++) {
        tw_panel *p = NULL;
        tw_err err = {0};
        tw_status st = tw_panel_read(paths[k], "trade ~ log(dist) + year | exp^year + imp", &o,
                                     &p, &err);
        if (st != TW_OK)
            fail_msg("%s", err.msg);
        check_panel(tw_panel_data(p));
        tw_panel_free(p);
    }
    tw_panel *p = NULL;
    tw_err err = {0};
    twtest_join(dir, "missing.csv", plain);
    assert_int_equal(tw_panel_read(plain, "trade ~ dist", NULL, &p, &err), TW_EIO);
    assert_non_null(strstr(err.msg, "cannot open"));
    twtest_rmtree(dir);
}

struct bad {
    const char *csv, *formula;
    tw_status st;
    const char *msg;
};

static void test_errors(void **state)
{
    (void)state;
    static const struct bad cases[] = {
        {"y,x,f\n1,2,a\n1,,b\n", "y ~ x | f", TW_EPARSE,
         "panel: t.csv:3:2: missing value in column 'x', got \"\""},
        {"y,x,f\n1,2,a\n1,n/a,b\n", "y ~ x | f", TW_EPARSE,
         "panel: t.csv:3:2: expected a number in column 'x', got \"n/a\""},
        {"y,x,f\n1,2,a\n-1,3,b\n", "y ~ x | f", TW_EINVAL,
         "panel: t.csv:3:1: negative value in column 'y'"},
        {"y,x,f\n1,0,a\n", "y ~ log(x) | f", TW_EINVAL,
         "panel: t.csv:2:2: log() of a value <= 0 in column 'x'"},
        {"y,x,f\n1,2,a\n", "y ~ z | f", TW_EINVAL, "panel: t.csv:1: no column named 'z'"},
        {"y,x,f\n1,2,a\n", "y ~ x | g", TW_EINVAL, "panel: t.csv:1: no column named 'g'"},
        {"y,x,f\n1,2,a\n", "y ~ x + | f", TW_EPARSE,
         "formula:1:9: expected a variable name, got '|'"},
        {"y,x,f\n1,2\n", "y ~ x | f", TW_EPARSE, "panel: t.csv:2: expected 3 fields"},
        {"y,x,f\n", "y ~ x | f", TW_EINVAL, "panel: t.csv: no data rows"},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        tw_panel *p = (tw_panel *)1;
        tw_err err = {0};
        tw_status st = read_buf(cases[k].csv, cases[k].formula, NULL, &p, &err);
        if (st != cases[k].st)
            fail_msg("case %zu: status %d, message %s", k, (int)st, err.msg);
        assert_null(p);
        twtest_expect_prefix(err.msg, cases[k].msg);
    }
    tw_panel_opts o;
    tw_panel_opts_init(&o);
    o.weights = "x";
    tw_panel *p = NULL;
    tw_err err = {0};
    assert_int_equal(read_buf("y,x,f\n1,-2,a\n", "y ~ x | f", &o, &p, &err), TW_EINVAL);
    twtest_expect_prefix(err.msg, "panel: t.csv:2:2: negative value in column 'x'");
    o.weights = NULL;
    o.cluster = "a,b,c";
    assert_int_equal(read_buf("y,x,f\n1,2,a\n", "y ~ x", &o, &p, &err), TW_EINVAL);
}

static void test_alloc_failures(void **state)
{
    (void)state;
    tw_panel_opts o;
    tw_panel_opts_init(&o);
    o.weights = "w";
    o.cluster = "year,exp^imp";
    for (long k = 1; k < 1000; k++) {
        tw_panel *p = NULL;
        tw_err err = {0};
        tw_fault_alloc_fail_at(k);
        tw_status st = read_buf(CSV, "trade ~ log(dist) + year | exp^year + imp", &o, &p, &err);
        if (twtest_alloc_done(k, st, p, err.msg)) {
            tw_panel_free(p);
            break;
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_read_buf),
        cmocka_unit_test(test_files),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_alloc_failures),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
