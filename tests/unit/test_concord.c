/* SPDX-License-Identifier: MIT */
/*
 * tests/unit/test_concord.c: the HS and NAICS concordances to the model sectors (io/concord.c).
 *
 * Checks that every HS chapter 01-97 maps to a sector except chapter 77 (reserved in the HS),
 * that 98 and 99 (national use) are excluded, the HS4 overrides, the NAICS table (expected
 * sectors written down as data), that the sector list is the default world's, that the
 * committed CSV files in data/concordance/ are exactly what tw_concord_write prints (set
 * TW_REGEN_CONCORDANCE=1 to rewrite them, then review the diff), the error statuses, and
 * that every code in the shared data files maps or is explicitly excluded.
 */
#define _XOPEN_SOURCE 700

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "io/concord.h"
#include "io/csv.h"
#include "twtest.h"

static size_t sector(const char *code)
{
    size_t s = 0;
    if (!tw_concord_find_sector(code, &s))
        fail_msg("%s is not a sector", code);
    return s;
}

static void test_every_hs_chapter(void **state)
{
    (void)state;
    size_t n = 0;
    const struct tw_concord_hs2 *t = tw_concord_hs2_table(&n);
    assert_int_equal(n, 99);
    for (unsigned ch = 1; ch <= 99; ch++) {
        char code[8];
        size_t s = 99;
        snprintf(code, sizeof code, "%02u", ch);
        enum tw_concord_match m = tw_concord_hs(code, &s);
        assert_int_equal(t[ch - 1].chapter, ch);
        if (ch == 77) {
            assert_int_equal(m, TW_CONCORD_EXCLUDED);
            assert_string_equal(t[ch - 1].status, "reserved");
        } else if (ch >= 98) {
            assert_int_equal(m, TW_CONCORD_EXCLUDED);
            assert_string_equal(t[ch - 1].status, "national");
        } else {
            if (m != TW_CONCORD_MAPPED)
                fail_msg("HS chapter %s does not map to a sector", code);
            assert_true(s < TW_CONCORD_N_SECTOR);
            assert_string_equal(t[ch - 1].status, "mapped");
            assert_true(t[ch - 1].description[0] != '\0');
        }
    }
    assert_int_equal(tw_concord_hs("00", NULL), TW_CONCORD_UNKNOWN);
    assert_int_equal(tw_concord_hs("7", NULL), TW_CONCORD_UNKNOWN);
    assert_int_equal(tw_concord_hs("x1", NULL), TW_CONCORD_UNKNOWN);
    assert_int_equal(tw_concord_hs(NULL, NULL), TW_CONCORD_UNKNOWN);
}

/* Expected sectors, written down as data: code, sector ("" = excluded). */
static const char *const hs_cases[][2] = {
    {"0101210010", "AGR"}, {"02032900", "FOOD"}, {"03038990", "AGR"},  {"04021000", "FOOD"},
    {"04071100", "AGR"},   {"12019010", "AGR"},  {"18010000", "AGR"},  {"18063100", "FOOD"},
    {"24011010", "AGR"},   {"24022000", "FOOD"}, {"25232900", "CHEM"}, {"25051000", "MIN"},
    {"27090000", "MIN"},   {"27111100", "MIN"},  {"27011210", "MIN"},  {"27101210", "CHEM"},
    {"27131100", "CHEM"},  {"27160000", "SERV"}, {"41015000", "FOOD"}, {"41071200", "TEX"},
    {"44034100", "AGR"},   {"44071100", "OMAN"}, {"52010000", "AGR"},  {"52051100", "TEX"},
    {"71081200", "MET"},   {"71131900", "OMAN"}, {"84713000", "MACH"}, {"85171200", "MACH"},
    {"87032319", "TRAN"},  {"88024000", "TRAN"}, {"90181100", "OMAN"}, {"90278000", "MACH"},
    {"91021100", "MACH"},  {"92079000", "OMAN"}, {"93040000", "MET"},  {"94036000", "OMAN"},
    {"94051000", "MACH"},  {"95030000", "OMAN"}, {"97011000", "OMAN"}, {"8521101100A", "MACH"},
    {"98000000", ""},      {"99038801", ""},     {"77000000", ""},
};

static void test_hs_cases(void **state)
{
    (void)state;
    for (size_t k = 0; k < sizeof hs_cases / sizeof hs_cases[0]; k++) {
        size_t s = 99;
        enum tw_concord_match m = tw_concord_hs(hs_cases[k][0], &s);
        if (hs_cases[k][1][0] == '\0') {
            if (m != TW_CONCORD_EXCLUDED)
                fail_msg("%s: expected excluded, got %d", hs_cases[k][0], (int)m);
            continue;
        }
        if (m != TW_CONCORD_MAPPED || s != sector(hs_cases[k][1]))
            fail_msg("%s: expected %s, got %d/%zu", hs_cases[k][0], hs_cases[k][1], (int)m, s);
    }
}

static void test_hs4_overrides(void **state)
{
    (void)state;
    size_t n = 0;
    const struct tw_concord_hs4 *t = tw_concord_hs4_table(&n);
    assert_true(n > 0);
    for (size_t k = 0; k < n; k++) {
        char chapter[3] = {t[k].heading[0], t[k].heading[1], '\0'};
        size_t sh = 99, sc = 99;
        assert_int_equal(strlen(t[k].heading), 4);
        if (k > 0)
            assert_true(strcmp(t[k - 1].heading, t[k].heading) < 0); /* sorted, unique */
        assert_int_equal(tw_concord_hs(t[k].heading, &sh), TW_CONCORD_MAPPED);
        assert_int_equal(sh, sector(t[k].sector));
        assert_int_equal(tw_concord_hs(chapter, &sc), TW_CONCORD_MAPPED);
        if (sh == sc)
            fail_msg("override %s repeats its chapter's sector", t[k].heading);
        assert_true(t[k].note[0] != '\0');
    }
}

/* NAICS 3-digit codes of the issue and of the Waugh files, expected sector ("" = excluded). */
static const char *const naics_cases[][2] = {
    {"111", "AGR"},  {"112", "AGR"},  {"113", "AGR"},  {"114", "AGR"},  {"211", "MIN"},
    {"212", "MIN"},  {"311", "FOOD"}, {"312", "FOOD"}, {"313", "TEX"},  {"314", "TEX"},
    {"315", "TEX"},  {"316", "TEX"},  {"321", "OMAN"}, {"322", "OMAN"}, {"323", "OMAN"},
    {"324", "CHEM"}, {"325", "CHEM"}, {"326", "CHEM"}, {"327", "CHEM"}, {"331", "MET"},
    {"332", "MET"},  {"333", "MACH"}, {"334", "MACH"}, {"335", "MACH"}, {"336", "TRAN"},
    {"337", "OMAN"}, {"339", "OMAN"}, {"910", ""},     {"930", ""},     {"980", ""},
    {"990", ""},
};

static void test_naics(void **state)
{
    (void)state;
    size_t n = 0;
    const struct tw_concord_naics3 *t = tw_concord_naics3_table(&n);
    assert_int_equal(n, sizeof naics_cases / sizeof naics_cases[0]);
    for (size_t k = 0; k < n; k++) {
        size_t s = 99;
        enum tw_concord_match m = tw_concord_naics(naics_cases[k][0], &s);
        assert_string_equal(t[k].code, naics_cases[k][0]);
        if (naics_cases[k][1][0] == '\0') {
            assert_int_equal(m, TW_CONCORD_EXCLUDED);
            assert_null(t[k].sector);
            assert_true(t[k].note[0] != '\0'); /* an exclusion says why */
        } else {
            assert_int_equal(m, TW_CONCORD_MAPPED);
            assert_int_equal(s, sector(naics_cases[k][1]));
        }
    }
    assert_int_equal(tw_concord_naics("213", NULL), TW_CONCORD_UNKNOWN);
    assert_int_equal(tw_concord_naics("33", NULL), TW_CONCORD_UNKNOWN);
    assert_int_equal(tw_concord_naics(NULL, NULL), TW_CONCORD_UNKNOWN);
}

/* The sectors are the default world's, in its order. */
static void test_sectors_match_default_world(void **state)
{
    (void)state;
    char path[TWTEST_PATH];
    tw_csv_table *t = NULL;
    tw_err err = {TW_OK, ""};
    size_t c = 0;
    twtest_data("../../data/default-world/sectors.csv", path);
    assert_int_equal(tw_csv_read_file(path, &t, &err), TW_OK);
    assert_true(tw_csv_find_column(t, "code", &c));
    assert_int_equal(t->n_rows, TW_CONCORD_N_SECTOR);
    const struct tw_concord_sector *sec = tw_concord_sectors();
    for (size_t s = 0; s < TW_CONCORD_N_SECTOR; s++)
        assert_string_equal(sec[s].code, tw_csv_field(t, s, c));
    assert_false(tw_concord_find_sector("XYZ", NULL));
    tw_csv_free(t);
}

/* What tw_concord_write prints, as a new malloc'd string. */
static char *written(const char *name, size_t *len)
{
    FILE *f = tmpfile();
    tw_err err = {TW_OK, ""};
    assert_non_null(f);
    assert_int_equal(tw_concord_write(name, f, &err), TW_OK);
    long n = ftell(f);
    assert_true(n > 0);
    char *buf = malloc((size_t)n + 1);
    rewind(f);
    assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
    buf[n] = '\0';
    fclose(f);
    *len = (size_t)n;
    return buf;
}

/* The committed CSV files are current (and parse as CSV with the expected row counts). */
static void test_committed_csv_current(void **state)
{
    (void)state;
    const char *regen = getenv("TW_REGEN_CONCORDANCE");
    for (const char *const *name = tw_concord_names(); *name != NULL; name++) {
        char rel[128], path[TWTEST_PATH];
        size_t len = 0, flen = 0;
        snprintf(rel, sizeof rel, "../../data/concordance/%s.csv", *name);
        twtest_data(rel, path);
        char *want = written(*name, &len);
        if (regen != NULL && strcmp(regen, "1") == 0)
            twtest_write_file(path, want, len);
        if (!twtest_exists(path))
            fail_msg("%s is missing: run TW_REGEN_CONCORDANCE=1 test_concord", path);
        char *have = twtest_read_file(path, &flen);
        if (flen != len || memcmp(have, want, len) != 0)
            fail_msg("%s differs from the C tables in src/io/concord.c: run "
                     "TW_REGEN_CONCORDANCE=1 test_concord and review the diff", path);
        tw_csv_table *t = NULL;
        tw_err err = {TW_OK, ""};
        assert_int_equal(tw_csv_read_buf(have, flen, path, &t, &err), TW_OK);
        size_t n = 0;
        if (strcmp(*name, "hs2_to_sector") == 0)
            assert_int_equal(t->n_rows, 99);
        else if (strcmp(*name, "hs4_overrides") == 0)
            assert_true(tw_concord_hs4_table(&n) != NULL && t->n_rows == n);
        else if (strcmp(*name, "naics3_to_sector") == 0)
            assert_true(tw_concord_naics3_table(&n) != NULL && t->n_rows == n);
        else
            assert_int_equal(t->n_rows, TW_CONCORD_N_SECTOR);
        tw_csv_free(t);
        free(have);
        free(want);
    }
}

static void test_write_errors(void **state)
{
    (void)state;
    tw_err err = {TW_OK, ""};
    FILE *f = tmpfile();
    assert_int_equal(tw_concord_write("hs6", f, &err), TW_EINVAL);
    assert_non_null(strstr(err.msg, "unknown table \"hs6\""));
    assert_int_equal(tw_concord_write(NULL, f, &err), TW_EINVAL);
    assert_int_equal(tw_concord_write("sectors", NULL, &err), TW_EINVAL);
    fclose(f);
    FILE *ro = fopen("/dev/null", "r"); /* writing to a read-only stream fails */
    assert_non_null(ro);
    assert_int_equal(tw_concord_write("hs2_to_sector", ro, &err), TW_EIO);
    assert_non_null(strstr(err.msg, "hs2_to_sector"));
    fclose(ro);
}

/* Every NAICS code of the Waugh files and every HS chapter of the product files maps or is
 * explicitly excluded. */
static void test_shared_codes_all_known(void **state)
{
    (void)state;
    static const char *const naics_files[] = {
        "uschina/waugh_us_tariffs_on_china_by_naics3_monthly.csv",
        "uschina/waugh_china_tariffs_on_us_by_naics3_monthly.csv",
        "uschina/waugh_us_imports_from_china_2017_by_naics3.csv"};
    static const char *const hs_files[][2] = {
        {"uschina/china_tariffs_on_us_hs10_bjz2019.csv", "cn_hs10"},
        {"uschina/china_imports_from_us_2017_hs8_bjz2019.csv", "cn_hs8"},
        {"uschina/us_301_products_usitc_2020.csv", "hts_code"},
        {"uschina/us_301_lists_1to3_hts8_2018_annex.csv", "hts8"}};
    char path[TWTEST_PATH];
    tw_err err = {TW_OK, ""};
    for (size_t f = 0; f < 3; f++) {
        tw_csv_table *t = NULL;
        size_t c = 0, excluded = 0;
        twtest_shared(naics_files[f], path);
        assert_int_equal(tw_csv_read_file(path, &t, &err), TW_OK);
        assert_true(tw_csv_find_column(t, "naics3", &c));
        for (size_t r = 0; r < t->n_rows; r++) {
            enum tw_concord_match m = tw_concord_naics(tw_csv_field(t, r, c), NULL);
            if (m == TW_CONCORD_UNKNOWN)
                fail_msg("%s:%zu: NAICS %s neither mapped nor excluded", path,
                         tw_csv_line(t, r, c), tw_csv_field(t, r, c));
            excluded += m == TW_CONCORD_EXCLUDED;
        }
        assert_true(excluded > 0); /* the special codes are there and excluded on purpose */
        tw_csv_free(t);
    }
    for (size_t f = 0; f < 4; f++) {
        tw_csv_table *t = NULL;
        size_t c = 0;
        twtest_shared(hs_files[f][0], path);
        assert_int_equal(tw_csv_read_file(path, &t, &err), TW_OK);
        assert_true(tw_csv_find_column(t, hs_files[f][1], &c));
        for (size_t r = 0; r < t->n_rows; r++) {
            const char *code = tw_csv_field(t, r, c);
            enum tw_concord_match m = tw_concord_hs(code, NULL);
            if (m == TW_CONCORD_UNKNOWN)
                fail_msg("%s:%zu: HS code %s neither mapped nor excluded", path,
                         tw_csv_line(t, r, c), code);
            if (m == TW_CONCORD_EXCLUDED && strncmp(code, "98", 2) != 0)
                fail_msg("%s:%zu: %s excluded, only chapter 98 expected", path,
                         tw_csv_line(t, r, c), code);
        }
        tw_csv_free(t);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_hs_chapter),
        cmocka_unit_test(test_hs_cases),
        cmocka_unit_test(test_hs4_overrides),
        cmocka_unit_test(test_naics),
        cmocka_unit_test(test_sectors_match_default_world),
        cmocka_unit_test(test_committed_csv_current),
        cmocka_unit_test(test_write_errors),
        cmocka_unit_test(test_shared_codes_all_known),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
