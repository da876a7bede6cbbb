/* SPDX-License-Identifier: MIT */
/*
 * tests/unit/test_csv.c: the CSV reader, number parser and cell writers (src/io/csv.h).
 *
 * Covers the accepted syntax (quotes, CRLF and lone CR, BOM, blank lines, verbatim spaces),
 * the line/column bookkeeping, every error path and every named limit (the large ones through
 * tw_csv_limits), the reader interface with short reads and injected errors, the
 * locale-independent number grammar, %.17g-class round trips, and allocation failures.
 */
#define _XOPEN_SOURCE 700

#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/alloc.h"
#include "io/csv.h"
#include "twtest.h"

/* Parse a NUL-terminated text; returns the status, *out the table. */
static tw_status parse(const char *text, tw_csv_table **out, tw_err *err)
{
    return tw_csv_read_buf(text, strlen(text), "t.csv", out, err);
}

/* Parse text that must fail with `code` and a message containing `needle`. */
static void expect_fail(const char *text, size_t len, const tw_csv_limits *lim, tw_status code,
                        const char *needle)
{
    tw_csv_table *t = (tw_csv_table *)1;
    tw_err err = {TW_OK, ""};
    tw_status st = tw_csv_read_buf_limits(text, len, "t.csv", lim, &t, &err);
    if (st != code || strstr(err.msg, needle) == NULL)
        fail_msg("status %d (want %d), message \"%s\" (want \"%s\")", st, code, err.msg, needle);
    assert_null(t);
    assert_int_equal(err.code, code);
}

static void test_basic(void **state)
{
    (void)state;
    tw_csv_table *t = NULL;
    tw_err err = {TW_OK, ""};
    assert_int_equal(parse("exporter,importer,value\nUSA,MEX,2.385\nMEX,USA,7\n", &t, &err),
                     TW_OK);
    assert_int_equal(t->n_cols, 3);
    assert_int_equal(t->n_rows, 2);
    assert_string_equal(tw_csv_header(t, 0), "exporter");
    assert_string_equal(tw_csv_header(t, 2), "value");
    assert_int_equal(tw_csv_header_line(t), 1);
    assert_string_equal(tw_csv_field(t, 0, 0), "USA");
    assert_string_equal(tw_csv_field(t, 1, 2), "7");
    assert_int_equal(tw_csv_line(t, 0, 2), 2);
    assert_int_equal(tw_csv_line(t, 1, 0), 3);
    size_t col = 99;
    assert_true(tw_csv_find_column(t, "importer", &col));
    assert_int_equal(col, 1);
    assert_false(tw_csv_find_column(t, "Importer", &col));
    assert_string_equal(t->name, "t.csv");
    tw_csv_free(t);
    tw_csv_free(NULL);
}

static void test_quotes(void **state)
{
    (void)state;
    tw_csv_table *t = NULL;
    tw_err err = {TW_OK, ""};
    const char *text = "a,b,c\n"
                       "\"x,y\",\"he said \"\"hi\"\"\",\"\"\n"
                       "1,\"two\nlines\",3\n"
                       "\"\",,\" sp \"\n";
    assert_int_equal(parse(text, &t, &err), TW_OK);
    assert_int_equal(t->n_rows, 3);
    assert_string_equal(tw_csv_field(t, 0, 0), "x,y");
    assert_string_equal(tw_csv_field(t, 0, 1), "he said \"hi\"");
    assert_string_equal(tw_csv_field(t, 0, 2), "");
    assert_string_equal(tw_csv_field(t, 1, 1), "two\nlines");
    /* The multi-line field starts on line 3; the field after it on line 4, as does its row's
     * end; the next row starts on line 5. */
    assert_int_equal(tw_csv_line(t, 1, 0), 3);
    assert_int_equal(tw_csv_line(t, 1, 1), 3);
    assert_int_equal(tw_csv_line(t, 1, 2), 4);
    assert_int_equal(tw_csv_line(t, 2, 0), 5);
    assert_string_equal(tw_csv_field(t, 2, 2), " sp ");
    tw_csv_free(t);
}

static void test_line_ends_bom_blank(void **state)
{
    (void)state;
    tw_csv_table *t = NULL;
    tw_err err = {TW_OK, ""};
    /* CRLF, BOM, blank lines in the middle and at the end, no final newline elsewhere. */
    assert_int_equal(parse("\xEF\xBB\xBF" "a,b\r\n1,2\r\n\r\n3,4\r\n\r\n\n", &t, &err), TW_OK);
    assert_string_equal(tw_csv_header(t, 0), "a");
    assert_int_equal(t->n_rows, 2);
    assert_string_equal(tw_csv_field(t, 0, 1), "2");
    assert_string_equal(tw_csv_field(t, 1, 0), "3");
    assert_int_equal(tw_csv_line(t, 1, 0), 4);
    tw_csv_free(t);

    /* Lone CR line ends count as lines too. */
    assert_int_equal(parse("a,b\r1,2\r3,4", &t, &err), TW_OK);
    assert_int_equal(t->n_rows, 2);
    assert_int_equal(tw_csv_line(t, 1, 1), 3);
    assert_string_equal(tw_csv_field(t, 1, 1), "4");
    tw_csv_free(t);

    /* Leading blank lines: the header is on line 3. */
    assert_int_equal(parse("\n\nx\n5\n", &t, &err), TW_OK);
    assert_int_equal(tw_csv_header_line(t), 3);
    assert_int_equal(tw_csv_line(t, 0, 0), 4);
    tw_csv_free(t);

    /* Header only: zero rows. A trailing comma makes an empty last field. */
    assert_int_equal(parse("a,b,\n", &t, &err), TW_OK);
    assert_int_equal(t->n_cols, 3);
    assert_int_equal(t->n_rows, 0);
    assert_string_equal(tw_csv_header(t, 2), "");
    tw_csv_free(t);

    /* Spaces and tabs are kept verbatim (libcsv would trim them by default). */
    assert_int_equal(parse("a, b\n 1 ,\t2\n", &t, &err), TW_OK);
    assert_string_equal(tw_csv_header(t, 1), " b");
    assert_string_equal(tw_csv_field(t, 0, 0), " 1 ");
    assert_string_equal(tw_csv_field(t, 0, 1), "\t2");
    tw_csv_free(t);

    /* Invalid UTF-8 passes through. */
    assert_int_equal(parse("a\n\xff\xfe\n", &t, &err), TW_OK);
    assert_string_equal(tw_csv_field(t, 0, 0), "\xff\xfe");
    tw_csv_free(t);
}

/*
 * An input of over 1 MiB takes the presized path (cell and text arrays sized once from the
 * count of commas and line breaks): quoted commas and line breaks (which make the bound
 * loose), CRLF, empty fields and a last line without a line break must all read as with
 * small inputs.
 */
static void test_large_input(void **state)
{
    (void)state;
    size_t rows = 40000, cap = rows * 64 + 64, len = 0;
    char *text = malloc(cap);
    assert_non_null(text);
    len += (size_t)snprintf(text + len, cap - len, "a,b,c,d\r\n");
    for (size_t r = 0; r < rows; r++)
        len += (size_t)snprintf(text + len, cap - len, "\"x,%zu\",%s,%zu,\"l\r\n%zu\"%s", r,
                                r % 3 == 0 ? "" : "\"q\"\"\"", r * 7, r,
                                r + 1 < rows ? "\r\n" : "");
    assert_true(len > ((size_t)1 << 20));
    tw_csv_table *t = NULL;
    tw_err err = {TW_OK, ""};
    assert_int_equal(tw_csv_read_buf(text, len, "big.csv", &t, &err), TW_OK);
    assert_int_equal(t->n_cols, 4);
    assert_int_equal(t->n_rows, rows);
    char want[64];
    for (size_t r = 0; r < rows; r += 997) {
        snprintf(want, sizeof want, "x,%zu", r);
        assert_string_equal(tw_csv_field(t, r, 0), want);
        assert_string_equal(tw_csv_field(t, r, 1), r % 3 == 0 ? "" : "q\"");
        snprintf(want, sizeof want, "%zu", r * 7);
        assert_string_equal(tw_csv_field(t, r, 2), want);
        snprintf(want, sizeof want, "l\r\n%zu", r);
        assert_string_equal(tw_csv_field(t, r, 3), want);
        /* Each record spans two lines (the quoted line break). */
        assert_int_equal(tw_csv_line(t, r, 0), 2 + 2 * r);
    }
    snprintf(want, sizeof want, "l\r\n%zu", rows - 1);
    assert_string_equal(tw_csv_field(t, rows - 1, 3), want);
    tw_csv_free(t);
    free(text);
}

static void test_syntax_errors(void **state)
{
    (void)state;
    const char *wrong = "exporter,importer,sector,value\nA,B,s,1\nA,B,s,2\nA,B,s,3\nA,B,s,4\n"
                        "A,B,s,5\nA,B,s\n";
    expect_fail(wrong, strlen(wrong), NULL, TW_EPARSE, "t.csv:7: expected 4 fields, found 3");
    expect_fail("a,b\n1,2,3\n", 10, NULL, TW_EPARSE, "t.csv:2: expected 2 fields, found 3");
    expect_fail("a\n", 0, NULL, TW_EPARSE, "t.csv: empty input, expected a header line");
    expect_fail("\n\r\n\n", 4, NULL, TW_EPARSE, "empty input");
    expect_fail("\xEF\xBB\xBF", 3, NULL, TW_EPARSE, "empty input");
    const char nul[] = "a,b\n1,x\0y\n";
    expect_fail(nul, sizeof nul - 1, NULL, TW_EPARSE, "t.csv:2:2: NUL byte inside a field");
    expect_fail("a,b\n1,\"open\n\n", 13, NULL, TW_EPARSE,
                "t.csv:2:2: quoted field not closed at end of input");
    expect_fail("a,b\n1,2\nx\"y,3\n", 14, NULL, TW_EPARSE, "t.csv:3:1: unexpected quote");
    expect_fail("a,b\n1,\"ab\"c\n", 12, NULL, TW_EPARSE, "t.csv:2:2: unexpected quote");
    expect_fail("a,b\n1,\"ab\" \n", 12, NULL, TW_EPARSE, "t.csv:2:2: unexpected quote");

    tw_err err = {TW_OK, ""};
    tw_csv_table *t = (tw_csv_table *)1;
    assert_int_equal(tw_csv_read_buf(NULL, 3, "x", &t, &err), TW_EINVAL);
    assert_null(t);
    assert_int_equal(tw_csv_read_buf("a", 1, NULL, &t, &err), TW_EINVAL);
    assert_int_equal(tw_csv_read_buf("a", 1, "x", NULL, &err), TW_EINVAL);
    /* A NULL err is allowed. */
    assert_int_equal(tw_csv_read_buf("a\n1,2\n", 6, "x", &t, NULL), TW_EPARSE);
}

/* head + n x unit + tail, read without limits: must succeed (free with tw_csv_free). */
static tw_csv_table *read_rep_ok(const char *head, const char *unit, size_t n, const char *tail)
{
    size_t len;
    char *text = twtest_repeat(head, unit, n, tail, &len);
    tw_csv_table *t = NULL;
    tw_err err = {TW_OK, ""};
    assert_int_equal(tw_csv_read_buf(text, len, "t.csv", &t, &err), TW_OK);
    free(text);
    return t;
}

/* head + n x unit + tail, read without limits: fails as expect_fail says. */
static void expect_rep_fail(const char *head, const char *unit, size_t n, const char *tail,
                            const char *needle)
{
    size_t len;
    char *text = twtest_repeat(head, unit, n, tail, &len);
    expect_fail(text, len, NULL, TW_EPARSE, needle);
    free(text);
}

static void test_limit_field_len(void **state)
{
    (void)state;
    tw_csv_table *t = read_rep_ok("a\n", "x", TW_CSV_MAX_FIELD_LEN, "\n");
    assert_int_equal(strlen(tw_csv_field(t, 0, 0)), TW_CSV_MAX_FIELD_LEN);
    tw_csv_free(t);
    expect_rep_fail("a\n", "x", TW_CSV_MAX_FIELD_LEN + 1, "\n",
                    "t.csv:2:1: field of 4097 bytes, expected at most 4096");

    /* A field longer than one parser chunk (64 KiB) is stopped before it is complete. */
    expect_rep_fail("a,b\n1,\"", "y", 200000, "\"\n", "t.csv:2:2: field longer than 4096 bytes");

    /* A quoted field across lines, with a small limit. */
    tw_err err = {TW_OK, ""};
    tw_csv_limits lim;
    tw_csv_limits_init(&lim);
    lim.max_field_len = 8;
    expect_fail("h\n\"abcd\nefgh\nij\"\n", 17, &lim, TW_EPARSE, "t.csv:2:1: field");
    assert_int_equal(tw_csv_read_buf_limits("h\n\"abc\ndefg\"\n", 13, "t.csv", &lim, &t, &err),
                     TW_OK);
    tw_csv_free(t);
}

static void test_limit_columns(void **state)
{
    (void)state;
    tw_csv_table *t = read_rep_ok("c", ",c", TW_CSV_MAX_COLUMNS - 1, "\n");
    assert_int_equal(t->n_cols, TW_CSV_MAX_COLUMNS);
    tw_csv_free(t);
    expect_rep_fail("c", ",c", TW_CSV_MAX_COLUMNS, "\n", "t.csv:1:257: more than 256 fields");
    /* A data row that is far too wide is stopped by the same limit. */
    expect_rep_fail("a\n1", ",1", 1000, "\n", "t.csv:2:257: more than 256 fields");
}

static void test_limit_rows_and_size(void **state)
{
    (void)state;
    tw_csv_limits lim;
    tw_csv_table *t = NULL;
    tw_err err = {TW_OK, ""};
    tw_csv_limits_init(&lim);
    assert_int_equal(lim.max_rows, TW_CSV_MAX_ROWS);
    assert_true(lim.max_file_size == TW_CSV_MAX_FILE_SIZE);
    lim.max_rows = 3;
    assert_int_equal(tw_csv_read_buf_limits("a\n1\n2\n3\n", 8, "t.csv", &lim, &t, &err), TW_OK);
    assert_int_equal(t->n_rows, 3);
    tw_csv_free(t);
    expect_fail("a\n1\n2\n3\n4\n", 10, &lim, TW_EPARSE, "t.csv:5: more than 3 data rows");

    tw_csv_limits_init(&lim);
    lim.max_file_size = 10;
    assert_int_equal(tw_csv_read_buf_limits("a\n1\n2\n3\n4\n", 10, "t.csv", &lim, &t, &err),
                     TW_OK);
    tw_csv_free(t);
    expect_fail("a\n1\n2\n3\n4\n5", 11, &lim, TW_EIO, "t.csv: input of 11 bytes, expected at "
                "most 10");
}

/* ---- reader interface ------------------------------------------------------------------- */

struct mem_src {
    const char *data; /* bytes to hand out */
    size_t len, pos;
    size_t chunk;    /* most bytes per read (short reads) */
    size_t fail_at;  /* report errno_val once pos reaches this (SIZE_MAX: never) */
    int errno_val;
    size_t overrun;  /* > 0: claim cap + overrun bytes (a broken reader) */
};

static int mem_read(void *ctx, char *buf, size_t cap, size_t *got)
{
    struct mem_src *m = ctx;
    if (m->pos >= m->fail_at)
        return m->errno_val;
    size_t n = m->len - m->pos;
    if (n > cap)
        n = cap;
    if (n > m->chunk)
        n = m->chunk;
    memcpy(buf, m->data + m->pos, n);
    m->pos += n;
    *got = m->overrun ? cap + m->overrun : n;
    return 0;
}

static void test_reader_short_reads_and_errors(void **state)
{
    (void)state;
    const char *text = "code,name\r\n\"A\",\"Alpha, Inc.\"\r\nB,Beta\r\n";
    struct mem_src m = {text, strlen(text), 0, 1, SIZE_MAX, 0, 0};
    tw_csv_reader rd = {mem_read, &m};
    tw_csv_table *t = NULL;
    tw_err err = {TW_OK, ""};
    assert_int_equal(tw_csv_read_stream(&rd, "mem.csv", NULL, &t, &err), TW_OK);
    assert_int_equal(t->n_rows, 2);
    assert_string_equal(tw_csv_field(t, 0, 1), "Alpha, Inc.");
    assert_int_equal(tw_csv_line(t, 1, 1), 3);
    tw_csv_free(t);

    /* An I/O error after 7 bytes. */
    struct mem_src bad = {text, strlen(text), 0, 3, 7, EIO, 0};
    rd.ctx = &bad;
    assert_int_equal(tw_csv_read_stream(&rd, "mem.csv", NULL, &t, &err), TW_EIO);
    assert_null(t);
    twtest_expect_prefix(err.msg, "mem.csv: cannot read: Input/output error");

    /* A reader that claims more bytes than it was given room for. */
    struct mem_src liar = {text, strlen(text), 0, SIZE_MAX, SIZE_MAX, 0, 1};
    rd.ctx = &liar;
    assert_int_equal(tw_csv_read_stream(&rd, "mem.csv", NULL, &t, &err), TW_EIO);
    assert_non_null(strstr(err.msg, "reader returned"));

    /* The size limit applies while reading (the stream is not read to its end). */
    tw_csv_limits lim;
    tw_csv_limits_init(&lim);
    lim.max_file_size = 12;
    struct mem_src big = {text, strlen(text), 0, 5, SIZE_MAX, 0, 0};
    rd.ctx = &big;
    assert_int_equal(tw_csv_read_stream(&rd, "mem.csv", &lim, &t, &err), TW_EIO);
    assert_non_null(strstr(err.msg, "mem.csv: larger than 12 bytes"));
    assert_true(big.pos <= 13);

    /* tw_csv_slurp alone, exactly at the limit. */
    struct mem_src exact = {text, 12, 0, 4, SIZE_MAX, 0, 0};
    rd.ctx = &exact;
    char *buf = NULL;
    size_t len = 0;
    assert_int_equal(tw_csv_slurp(&rd, "mem.csv", 12, &buf, &len, &err), TW_OK);
    assert_int_equal(len, 12);
    assert_memory_equal(buf, text, 12);
    assert_int_equal(buf[12], '\0');
    tw_free(buf);
    assert_int_equal(tw_csv_slurp(NULL, "x", 1, &buf, &len, &err), TW_EINVAL);
    assert_null(buf);
    assert_int_equal(tw_csv_read_stream(NULL, "x", NULL, &t, &err), TW_EINVAL);
}

static void test_read_file(void **state)
{
    const char *dir = *state;
    char path[TWTEST_PATH];
    twtest_join(dir, "f.csv", path);
    tw_csv_table *t = NULL;
    tw_err err = {TW_OK, ""};
    assert_int_equal(tw_csv_read_file(path, &t, &err), TW_EIO);
    assert_null(t);
    char want[TWTEST_PATH + 64];
    snprintf(want, sizeof want, "%s: cannot open: No such file or directory", path);
    twtest_expect_prefix(err.msg, want);

    assert_int_equal(tw_csv_read_file(dir, &t, &err), TW_EIO);
    assert_non_null(strstr(err.msg, "is a directory"));

    twtest_write_file(path, "x,y\n1,2\n", (size_t)-1);
    assert_int_equal(tw_csv_read_file(path, &t, &err), TW_OK);
    assert_string_equal(tw_csv_field(t, 0, 1), "2");
    assert_string_equal(t->name, path);
    tw_csv_free(t);

    /* Error messages carry the path. */
    twtest_write_file(path, "x,y\n1\n", (size_t)-1);
    assert_int_equal(tw_csv_read_file(path, &t, &err), TW_EPARSE);
    snprintf(want, sizeof want, "%s:2: expected 2 fields, found 1", path);
    twtest_expect_prefix(err.msg, want);

    tw_csv_limits lim;
    tw_csv_limits_init(&lim);
    lim.max_file_size = 5;
    assert_int_equal(tw_csv_read_file_limits(path, &lim, &t, &err), TW_EIO);
    assert_non_null(strstr(err.msg, "larger than 5 bytes"));
}

/* ---- numbers --------------------------------------------------------------------------- */

static void test_parse_double(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        tw_csv_num want;
        double value;
    } cases[] = {
        {"2.385", TW_CSV_NUM_OK, 2.385},
        {"-0.25", TW_CSV_NUM_OK, -0.25},
        {"+7", TW_CSV_NUM_OK, 7.0},
        {"1.", TW_CSV_NUM_OK, 1.0},
        {".5", TW_CSV_NUM_OK, 0.5},
        {"1e3", TW_CSV_NUM_OK, 1000.0},
        {"2.5E-3", TW_CSV_NUM_OK, 0.0025},
        {"1.5e+9", TW_CSV_NUM_OK, 1.5e9},
        {"007", TW_CSV_NUM_OK, 7.0},
        {"33318724379.0", TW_CSV_NUM_OK, 33318724379.0},
        {"4.9e-324", TW_CSV_NUM_OK, 4.9e-324},
        {"1e-400", TW_CSV_NUM_OK, 0.0},
        {"", TW_CSV_NUM_EMPTY, 0},
        {" 1", TW_CSV_NUM_INVALID, 0},
        {"1 ", TW_CSV_NUM_INVALID, 0},
        {"1,5", TW_CSV_NUM_INVALID, 0},
        {"0x10", TW_CSV_NUM_INVALID, 0},
        {"n/a", TW_CSV_NUM_INVALID, 0},
        {"NA", TW_CSV_NUM_INVALID, 0},
        {".", TW_CSV_NUM_INVALID, 0},
        {"-", TW_CSV_NUM_INVALID, 0},
        {"e5", TW_CSV_NUM_INVALID, 0},
        {"1e", TW_CSV_NUM_INVALID, 0},
        {"1e+", TW_CSV_NUM_INVALID, 0},
        {"1.2.3", TW_CSV_NUM_INVALID, 0},
        {"1_000", TW_CSV_NUM_INVALID, 0},
        {"info", TW_CSV_NUM_INVALID, 0},
        {"nan", TW_CSV_NUM_NONFINITE, 0},
        {"NaN", TW_CSV_NUM_NONFINITE, 0},
        {"-nan", TW_CSV_NUM_NONFINITE, 0},
        {"nan(123)", TW_CSV_NUM_NONFINITE, 0},
        {"inf", TW_CSV_NUM_NONFINITE, 0},
        {"-Inf", TW_CSV_NUM_NONFINITE, 0},
        {"+INFINITY", TW_CSV_NUM_NONFINITE, 0},
        {"1e999", TW_CSV_NUM_RANGE, 0},
        {"-1e309", TW_CSV_NUM_RANGE, 0},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        double v = -123.0;
        tw_csv_num got = tw_csv_parse_double(cases[k].text, &v);
        if (got != cases[k].want)
            fail_msg("\"%s\": result %d, want %d", cases[k].text, got, cases[k].want);
        if (got == TW_CSV_NUM_OK)
            assert_true(v == cases[k].value);
        else
            assert_true(v == -123.0); /* untouched */
    }
    double v = 1.0;
    assert_int_equal(tw_csv_parse_double("-0", &v), TW_CSV_NUM_OK);
    assert_true(v == 0.0 && signbit(v));
    assert_int_equal(tw_csv_parse_double(NULL, &v), TW_CSV_NUM_EMPTY);
}

static void check_round_trip(double x)
{
    char buf[TW_CSV_NUM_BUF];
    size_t n = tw_csv_format_double(x, buf);
    assert_int_equal(n, strlen(buf));
    double y = 0.0;
    if (tw_csv_parse_double(buf, &y) != TW_CSV_NUM_OK)
        fail_msg("%.17g formatted as \"%s\" does not parse", x, buf);
    if (memcmp(&x, &y, sizeof x) != 0)
        fail_msg("%.17g formatted as \"%s\" reads back as %.17g", x, buf, y);
}

static void test_format_double(void **state)
{
    (void)state;
    char buf[TW_CSV_NUM_BUF];
    tw_csv_format_double(0.1, buf);
    assert_string_equal(buf, "0.1"); /* shortest form, not 0.10000000000000001 */
    tw_csv_format_double(8.22, buf);
    assert_string_equal(buf, "8.22");
    tw_csv_format_double(-0.0, buf);
    assert_string_equal(buf, "-0");
    tw_csv_format_double(123318724379.0, buf);
    assert_string_equal(buf, "123318724379");
    tw_csv_format_double(0.1 + 0.2, buf);
    assert_string_equal(buf, "0.30000000000000004");
    tw_csv_format_double(NAN, buf);
    assert_string_equal(buf, "nan");
    tw_csv_format_double(-INFINITY, buf);
    assert_string_equal(buf, "-inf");

    const double special[] = {0.0, -0.0, 1.0, 2.385, 1.0 / 3.0, 2.0 / 3.0, 1e300, -1e-300,
                              4.9406564584124654e-324, 2.2250738585072014e-308, 1.7976931348623157e308,
                              9007199254740993.0, 0.30000000000000004, 3.1457053207683e12};
    for (size_t k = 0; k < sizeof special / sizeof special[0]; k++)
        check_round_trip(special[k]);
    /* Random bit patterns (a fixed LCG, so the test is deterministic). */
    uint64_t s = 0x9E3779B97F4A7C15u;
    for (int k = 0; k < 20000; k++) {
        s = s * 6364136223846793005u + 1442695040888963407u;
        double x;
        memcpy(&x, &s, sizeof x);
        if (isfinite(x))
            check_round_trip(x);
    }
}

static void test_writer(void **state)
{
    (void)state;
    char *out = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&out, &len);
    assert_non_null(fp);
    static const char *const texts[] = {"plain", "a,b", "say \"hi\"", "two\nlines", " padded", ""};
    for (size_t k = 0; k < sizeof texts / sizeof texts[0]; k++) {
        assert_int_equal(tw_csv_put_text(fp, texts[k]), 0);
        putc(',', fp);
    }
    assert_int_equal(tw_csv_put_double(fp, 2.385), 0);
    putc('\n', fp);
    fclose(fp);
    assert_string_equal(out, "plain,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",\" padded\",,2.385\n");
    assert_true(tw_csv_needs_quotes("x\r"));
    assert_true(tw_csv_needs_quotes("end "));
    assert_false(tw_csv_needs_quotes("in side"));

    /* What the writer writes, the reader reads back. */
    char head[] = "h1,h2,h3,h4,h5,h6,h7\n";
    size_t n = strlen(head) + len;
    char *all = malloc(n + 1);
    memcpy(all, head, strlen(head));
    memcpy(all + strlen(head), out, len + 1);
    tw_csv_table *t = NULL;
    tw_err err = {TW_OK, ""};
    assert_int_equal(tw_csv_read_buf(all, n, "w.csv", &t, &err), TW_OK);
    assert_string_equal(tw_csv_field(t, 0, 2), "say \"hi\"");
    assert_string_equal(tw_csv_field(t, 0, 3), "two\nlines");
    assert_string_equal(tw_csv_field(t, 0, 4), " padded");
    tw_csv_free(t);
    free(all);
    free(out);
}

static void test_excerpt(void **state)
{
    (void)state;
    char buf[12];
    assert_string_equal(tw_csv_excerpt("short", buf, sizeof buf), "short");
    assert_string_equal(tw_csv_excerpt("a\nb\tc", buf, sizeof buf), "a?b?c");
    assert_string_equal(tw_csv_excerpt("0123456789abc", buf, sizeof buf), "01234567...");
}

/* Every allocation of a parse fails in turn: TW_ENOMEM each time, then TW_OK; no leaks. */
static void test_alloc_failures(void **state)
{
    (void)state;
    const char *text = "a,b,c\n\"x,y\",2,3\n4,5,6\n";
    for (long n = 1;; n++) {
        tw_csv_table *t = NULL;
        tw_err err = {TW_OK, ""};
        tw_fault_alloc_fail_at(n);
        tw_status st = tw_csv_read_buf(text, strlen(text), "f.csv", &t, &err);
        if (twtest_alloc_done(n, st, t, err.msg)) {
            tw_csv_free(t);
            assert_true(n > 2);
            break;
        }
        assert_non_null(strstr(err.msg, "out of memory"));
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_basic),
        cmocka_unit_test(test_quotes),
        cmocka_unit_test(test_line_ends_bom_blank),
        cmocka_unit_test(test_large_input),
        cmocka_unit_test(test_syntax_errors),
        cmocka_unit_test(test_limit_field_len),
        cmocka_unit_test(test_limit_columns),
        cmocka_unit_test(test_limit_rows_and_size),
        cmocka_unit_test(test_reader_short_reads_and_errors),
        TWTEST_TMPDIR_TEST(test_read_file),
        cmocka_unit_test(test_parse_double),
        cmocka_unit_test(test_format_double),
        cmocka_unit_test(test_writer),
        cmocka_unit_test(test_excerpt),
        cmocka_unit_test(test_alloc_failures),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
