/* SPDX-License-Identifier: MIT */
/*
 * tests/unit/test_formula.c: the estimation formula parser (src/io/formula.h): accepted
 * syntax, every error message with its column, the limits, and allocation failures.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "core/alloc.h"
#include "io/formula.h"
#include "twtest.h"

static tw_formula *parse_ok(const char *text)
{
    tw_formula *f = NULL;
    tw_err err = {0};
    tw_status st = tw_formula_parse(text, strlen(text), NULL, &f, &err);
    if (st != TW_OK)
        fail_msg("'%s': %s", text, err.msg);
    return f;
}

static void test_accepts(void **state)
{
    (void)state;
    tw_formula *f = parse_ok("trade ~ log(dist) + cntg + lang + clny | exporter^year + "
                             "importer^year");
    assert_string_equal(f->outcome, "trade");
    assert_int_equal(f->n_x, 4);
    assert_string_equal(f->x[0].var, "dist");
    assert_int_equal(f->x[0].fn, TW_FORMULA_LOG);
    assert_string_equal(f->x[0].label, "log(dist)");
    assert_string_equal(f->x[3].label, "clny");
    assert_int_equal(f->n_fe, 2);
    assert_int_equal(f->fe[0].n_vars, 2);
    assert_string_equal(f->fe[0].vars[1], "year");
    assert_string_equal(f->fe[1].label, "importer^year");
    tw_formula_free(f);
    f = parse_ok("y~x");
    assert_int_equal(f->n_x, 1);
    assert_int_equal(f->n_fe, 0);
    tw_formula_free(f);
    f = parse_ok("  y\n ~ x.1 +\tx_2 | a ^ b ^ c + d ");
    assert_int_equal(f->n_x, 2);
    assert_string_equal(f->fe[0].label, "a^b^c");
    tw_formula_free(f);
    tw_formula_free(NULL);
}

struct bad {
    const char *text;
    const char *msg;
};

static void test_errors(void **state)
{
    (void)state;
    static const struct bad cases[] = {
        {"trade ~ dist + | fe", "formula:1:16: expected a variable name, got '|'"},
        {"trade ~ x + + y", "formula:1:13: expected a variable name, got '+'"},
        {"", "formula:1:1: expected the outcome variable name, got end of formula"},
        {"~ x", "formula:1:1: expected the outcome variable name, got '~'"},
        {"y x", "formula:1:3: expected '~' after the outcome, got 'x'"},
        {"y ~", "formula:1:4: expected a variable name, got end of formula"},
        {"y ~ x x", "formula:1:7: expected '+', '|' or the end of the formula, got 'x'"},
        {"y ~ x | a^", "formula:1:11: expected a fixed-effect variable name after '^', got end "
                       "of formula"},
        {"y ~ x | a b", "formula:1:11: expected '+', '^' or the end of the formula, got 'b'"},
        {"y ~ exp(x)", "formula:1:5: expected a variable name or log(NAME)"},
        {"y ~ log(x", "formula:1:10: expected ')', got end of formula"},
        {"y ~ x + 2", "formula:1:9: expected a variable name, got '2'"},
        {"y ~ x + x", "formula:1:9: regressor 'x' appears twice"},
        {"y ~ x | a + a", "formula:1:13: fixed effect 'a' appears twice"},
        {"y ~ x\n + $", "formula:2:4: expected a variable name, got '$'"},
        {"y ~ x | a + ", "formula:1:13: expected a fixed-effect variable name, got end of "
                         "formula"},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        tw_formula *f = (tw_formula *)1;
        tw_err err = {0};
        tw_status st = tw_formula_parse(cases[k].text, strlen(cases[k].text), NULL, &f, &err);
        assert_int_equal(st, TW_EPARSE);
        assert_null(f);
        twtest_expect_prefix(err.msg, cases[k].msg);
    }
}

static void test_limits(void **state)
{
    (void)state;
    static char buf[TW_FORMULA_MAX_LEN * 4];
    tw_formula *f = NULL;
    tw_err err = {0};
    /* 1000 regressors are fine, 1001 are not. */
    static const char first[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
    static const char second[] = "abcdefghijklmnopqrstuvwxyz0123456789";
    size_t len = (size_t)sprintf(buf, "y~");
    for (int k = 0; k < TW_FORMULA_MAX_REGRESSORS; k++)
        len += (size_t)sprintf(buf + len, "%s%c%c", k ? "+" : "", first[k / 36], second[k % 36]);
    assert_true(len <= TW_FORMULA_MAX_LEN);
    assert_int_equal(tw_formula_parse(buf, len, NULL, &f, &err), TW_OK);
    assert_int_equal(f->n_x, TW_FORMULA_MAX_REGRESSORS);
    tw_formula_free(f);
    len += (size_t)sprintf(buf + len, "+zz");
    assert_int_equal(tw_formula_parse(buf, len, NULL, &f, &err), TW_EPARSE);
    assert_non_null(strstr(err.msg, "more than 1000 regressors"));
    /* 8 FE terms fine, 9 not. */
    strcpy(buf, "y ~ x | a + b + c + d + e + f + g + h");
    assert_int_equal(tw_formula_parse(buf, strlen(buf), NULL, &f, &err), TW_OK);
    tw_formula_free(f);
    strcat(buf, " + i");
    assert_int_equal(tw_formula_parse(buf, strlen(buf), NULL, &f, &err), TW_EPARSE);
    twtest_expect_prefix(err.msg, "formula:1:41: more than 8 fixed-effect terms");
    /* Length. */
    memset(buf, 'a', TW_FORMULA_MAX_LEN + 1);
    assert_int_equal(tw_formula_parse(buf, TW_FORMULA_MAX_LEN + 1, NULL, &f, &err), TW_EPARSE);
    twtest_expect_prefix(err.msg, "formula: formula of 4097 bytes exceeds the limit of 4096");
    /* Interactions of at most 8 variables. */
    strcpy(buf, "y ~ x | a^b^c^d^e^f^g^h^i");
    assert_int_equal(tw_formula_parse(buf, strlen(buf), NULL, &f, &err), TW_EPARSE);
    assert_non_null(strstr(err.msg, "more than 8 variables in one interaction"));
}

static void test_alloc_failures(void **state)
{
    (void)state;
    const char *text = "y ~ log(a) + b | c^d + e";
    for (long k = 1; k < 200; k++) {
        tw_formula *f = NULL;
        tw_err err = {0};
        tw_fault_alloc_fail_at(k);
        tw_status st = tw_formula_parse(text, strlen(text), NULL, &f, &err);
        if (twtest_alloc_done(k, st, f, err.msg)) {
            tw_formula_free(f);
            break;
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_accepts),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_limits),
        cmocka_unit_test(test_alloc_failures),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
