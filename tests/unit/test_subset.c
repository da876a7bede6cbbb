/* SPDX-License-Identifier: MIT */
/*
 * tests/unit/test_subset.c: row subsets of estimation panels (io/subset.c) through the public
 * tw_panel_read_buf with tw_panel_opts.subset: a table of expressions with the rows they must
 * keep, then malformed expressions with the exact message (column position) they must give.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "tradewar/tradewar.h"

static const char csv[] = "exp,imp,year,trade,x\n"
                          "A,B,1990,1,0.5\n"
                          "A,C,1990,0,1.5\n"
                          "B,A,1991,2,-1\n"
                          "C,A,1992,3,2\n"
                          "C,C,1992,4,0\n"
                          "B,B,1993,5,1e1\n";

/* Number of rows kept, or -(status) on failure (message in err). */
static long kept(const char *expr, tw_err *err)
{
    tw_panel_opts o;
    tw_panel_opts_init(&o);
    o.subset = expr;
    tw_panel *p = NULL;
    tw_status st = tw_panel_read_buf(csv, sizeof csv - 1, "t.csv", "trade ~ x", &o, &p, err);
    if (st != TW_OK)
        return -(long)(-st);
    long n = (long)tw_panel_data(p)->n_obs;
    tw_panel_free(p);
    return n;
}

static void test_selects(void **state)
{
    (void)state;
    static const struct {
        const char *expr;
        long n;
    } cases[] = {
        {"year >= 1991", 4},
        {"year == 1990", 2},
        {"year != 1990", 4},
        {"year < 1992 & trade > 0", 2},
        {"year<1991|year>1992", 3},
        {"!(year == 1990)", 4},
        {"!!(year == 1990)", 2},
        {"exp != imp", 4},
        {"exp == imp", 2},
        {"exp == \"A\"", 2},
        {"exp == 'C' && imp != 'C'", 1},
        {"exp == \"A\" || imp == \"A\"", 4},
        {"x <= 0.5", 3},
        {"x > -1.5 & x < 1e1", 5},
        {"x == 10", 1},
        {"1990 < year", 4},
        {"(year == 1990 | year == 1993) & !(exp == 'B')", 2},
        {"  year   >=   1992  ", 3},
        {"exp < \"B\"", 2},
    };
    for (size_t q = 0; q < sizeof cases / sizeof cases[0]; q++) {
        tw_err err = {0};
        long n = kept(cases[q].expr, &err);
        if (n != cases[q].n)
            fail_msg("'%s': kept %ld rows, expected %ld (%s)", cases[q].expr, n, cases[q].n,
                     err.msg);
    }
}

static void test_errors(void **state)
{
    (void)state;
    static const struct {
        const char *expr;
        tw_status st;
        const char *msg;
    } cases[] = {
        {"year >=", TW_EPARSE, "subset:1:8: expected a column, number or quoted text, got end"},
        {"year", TW_EPARSE, "subset:1:5: expected a comparison"},
        {"(year > 1", TW_EPARSE, "subset:1:10: expected ')'"},
        {"year > 1 )", TW_EPARSE, "subset:1:10: expected '&', '|' or the end, got ')'"},
        {"year = 1", TW_EPARSE, "subset:1:6: expected a comparison"},
        {"yr > 1", TW_EINVAL, "subset:1:1: no column named 'yr'"},
        {"exp > 3", TW_EINVAL, "subset: t.csv:2:1: expected a number in column 'exp'"},
        {"exp == 'A", TW_EPARSE, "subset:1:8: unterminated quoted text"},
        {"'a' == 1", TW_EINVAL, "cannot compare a number with quoted text"},
        {"year > 3000", TW_EINVAL, "subset: no row of t.csv satisfies 'year > 3000'"},
        {"", TW_EPARSE, "subset:1:1: expected a column"},
        {"year > 1 & & x", TW_EPARSE, "subset:1:12: expected a column"},
    };
    for (size_t q = 0; q < sizeof cases / sizeof cases[0]; q++) {
        tw_err err = {0};
        long n = kept(cases[q].expr, &err);
        if (n != (long)cases[q].st || strstr(err.msg, cases[q].msg) == NULL)
            fail_msg("'%s': got %ld \"%s\", expected %d \"%s\"", cases[q].expr, n, err.msg,
                     (int)cases[q].st, cases[q].msg);
    }
    /* Nesting cap. */
    char deep[400];
    size_t k = 0;
    for (; k < 100; k++)
        deep[k] = '(';
    strcpy(deep + k, "year > 1");
    tw_err err = {0};
    assert_int_equal(kept(deep, &err), (long)TW_EPARSE);
    assert_non_null(strstr(err.msg, "nesting deeper than"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_selects),
        cmocka_unit_test(test_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
