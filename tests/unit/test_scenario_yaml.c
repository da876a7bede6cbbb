/* SPDX-License-Identifier: MIT */
/*
 * tests/unit/test_scenario_yaml.c: the YAML scenario parser (io/scenario_yaml.c, io/yaml.c).
 *
 * The valid example tests/data/scenarios/us-china-2018-2019.yaml is checked field by field.
 * Error paths are a table of {YAML text, expected message substring}: every entry must fail
 * with TW_EPARSE and a message starting "t.yaml:" that contains the substring (which usually
 * pins the line:col and the key). The files in tests/data/scenarios/invalid/ carry their
 * expected substring in a first line "# expect: ...". Then: the ".csv" form, missing files,
 * the named limits, NULL arguments, and allocation failures injected at every allocation.
 */
#include <dirent.h>
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
#include "core/scenario.h"
#include "io/scenario.h"
#include "twtest.h"

static tw_day day(const char *iso)
{
    tw_day d = 0;
    assert_true(tw_day_parse(iso, &d));
    return d;
}

static void assert_codes(const struct tw_codes *c, size_t n, const char *const *want)
{
    assert_int_equal(c->n, n);
    for (size_t k = 0; k < n; k++)
        assert_string_equal(c->code[k], want[k]);
}

static void assert_pos(struct tw_pos p, size_t line, size_t col)
{
    assert_int_equal(p.line, line);
    assert_int_equal(p.col, col);
}

/* msg equals want, or want followed by the " [file:line]" that debug builds append. */
static void assert_msg(const char *msg, const char *want)
{
    size_t n = strlen(want);
    if (strncmp(msg, want, n) != 0 || (msg[n] != '\0' && strncmp(msg + n, " [", 2) != 0))
        fail_msg("message\n  got:    %s\n  wanted: %s", msg, want);
}

/* Fail unless sc's scenario-level fields are these (until NULL: TW_DAY_NONE; tariff_csv NULL:
 * none). */
static void assert_scenario(const struct tw_scenario *sc, const char *world, int deficits,
                            const char *start, const char *until, const char *tariff_csv,
                            size_t n_groups, size_t n_actions)
{
    assert_string_equal(sc->world, world);
    assert_int_equal(sc->deficits, deficits);
    assert_int_equal(sc->start, day(start));
    assert_int_equal(sc->until, until != NULL ? day(until) : TW_DAY_NONE);
    if (tariff_csv == NULL)
        assert_null(sc->tariff_csv);
    else
        assert_string_equal(sc->tariff_csv, tariff_csv);
    assert_int_equal(sc->n_groups, n_groups);
    assert_int_equal(sc->n_actions, n_actions);
}

static struct tw_scenario *read_ok(const char *rel)
{
    char path[TWTEST_PATH];
    tw_scenario *sc = NULL;
    tw_err err = {TW_OK, ""};
    tw_status st = tw_scenario_read(twtest_data(rel, path), &sc, &err);
    if (st != TW_OK)
        fail_msg("%s: status %d: %s", rel, (int)st, err.msg);
    assert_non_null(sc);
    assert_string_equal(sc->file, path);
    return sc;
}

/* ---- the full example ----------------------------------------------------------------- */

static void test_full_example(void **state)
{
    (void)state;
    struct tw_scenario *sc = read_ok("scenarios/us-china-2018-2019.yaml");
    assert_string_equal(tw_scenario_name(sc), "us-china-2018-2019");
    assert_string_equal(tw_scenario_description(sc),
                        "The 2018-2019 US-China tariff war. Section 301 lists 1 to 4A and "
                        "China's retaliation.\n");
    assert_string_equal(tw_scenario_world(sc), "default");
    assert_pos(sc->world_pos, 8, 8);
    assert_scenario(sc, "default", TW_DEFICITS_DATA, "2018-01-01", "2019-12-31", NULL, 2, 6);

    assert_string_equal(sc->groups[0].name, "NAFTA");
    assert_pos(sc->groups[0].pos, 13, 3);
    assert_codes(&sc->groups[0].members, 3, (const char *const[]){"USA", "CAN", "MEX"});
    assert_pos(sc->groups[0].members.pos[2], 13, 21);
    assert_string_equal(sc->groups[1].name, "EU");
    assert_codes(&sc->groups[1].members, 5,
                 (const char *const[]){"AUT", "BEL", "DEU", "FRA", "ITA"});

    assert_int_equal(tw_scenario_n_actions(sc), 6);
    const struct tw_action *a = &sc->actions[0];
    assert_string_equal(a->id, "US-232-steel");
    assert_string_equal(a->label, "Section 232 steel and aluminium");
    assert_int_equal(a->kind, TW_ACTION_TARIFF);
    assert_int_equal(a->mode, TW_RATE_ADD);
    assert_codes(&a->imposer, 1, (const char *const[]){"USA"});
    assert_pos(a->imposer.pos[0], 18, 14);
    assert_codes(&a->target, 1, (const char *const[]){"all"});
    assert_pos(a->target.pos[0], 19, 14);
    assert_codes(&a->sectors, 1, (const char *const[]){"MET"});
    assert_true(a->value == 0.25);
    assert_int_equal(a->n_sector_values, 0);
    assert_null(a->sector_values);
    assert_int_equal(a->effective, day("2018-03-23"));
    assert_int_equal(a->end, TW_DAY_NONE);
    assert_true(isnan(a->covered_usd_bn));
    assert_pos(a->pos, 16, 5);

    a = &sc->actions[1];
    assert_string_equal(a->id, "US-301-L1");
    assert_string_equal(a->label, "Section 301 list 1");
    assert_int_equal(a->kind, TW_ACTION_TARIFF);
    assert_codes(&a->target, 1, (const char *const[]){"CHN"});
    assert_codes(&a->sectors, 3, (const char *const[]){"MACH", "CHEM", "TRAN"});
    assert_pos(a->sectors.pos[1], 28, 21);
    assert_true(a->value == 0.25);
    assert_int_equal(a->effective, day("2018-07-06"));
    assert_true(a->covered_usd_bn == 34.0);

    a = &sc->actions[2];
    assert_string_equal(a->id, "CN-R1");
    assert_string_equal(a->label, "Retaliation 1");
    assert_codes(&a->imposer, 1, (const char *const[]){"CHN"});
    assert_codes(&a->target, 1, (const char *const[]){"USA"});
    assert_int_equal(a->mode, TW_RATE_ADD);
    assert_int_equal(a->n_sector_values, 3);
    assert_string_equal(a->sector_values[0].sector, "AGR");
    assert_true(a->sector_values[0].value == 0.25);
    assert_pos(a->sector_values[0].pos, 37, 13);
    assert_string_equal(a->sector_values[2].sector, "FOOD");
    assert_true(a->sector_values[2].value == 0.1);
    assert_codes(&a->sectors, 3, (const char *const[]){"AGR", "TRAN", "FOOD"});
    assert_true(a->value == 0.0);
    assert_true(a->covered_usd_bn == 34.0);

    a = &sc->actions[3];
    assert_string_equal(a->label, "");
    assert_codes(&a->sectors, 1, (const char *const[]){"all"});
    assert_pos(a->sectors.pos[0], 0, 0);
    assert_true(a->value == 0.15);
    assert_int_equal(a->effective, day("2019-09-01"));
    assert_int_equal(a->end, day("2020-02-14"));
    assert_true(a->covered_usd_bn == 112.0);

    a = &sc->actions[4];
    assert_string_equal(a->id, "US-301-L4A-phase-one");
    assert_true(a->value == 0.075);
    assert_int_equal(a->mode, TW_RATE_ADD);
    assert_int_equal(a->effective, sc->actions[3].end);

    a = &sc->actions[5];
    assert_string_equal(a->id, "EU-rebalancing");
    assert_codes(&a->imposer, 1, (const char *const[]){"EU"});
    assert_int_equal(a->mode, TW_RATE_SET);
    assert_true(a->value == 0.25);
    assert_int_equal(a->effective, day("2018-06-22"));
    tw_scenario_free(sc);
}

static void test_other_valid_files(void **state)
{
    (void)state;
    struct tw_scenario *sc = read_ok("scenarios/minimal.yaml");
    assert_string_equal(sc->name, "");
    assert_string_equal(sc->description, "");
    assert_pos(sc->world_pos, 0, 0);
    assert_scenario(sc, "default", -1, "2018-07-05", NULL, NULL, 0, 1);
    assert_string_equal(sc->actions[0].id, "");
    assert_int_equal(sc->actions[0].kind, TW_ACTION_TARIFF);
    assert_codes(&sc->actions[0].sectors, 1, (const char *const[]){"all"});
    assert_true(sc->actions[0].value == 0.1);
    tw_scenario_free(sc);

    sc = read_ok("scenarios/shocks.yaml");
    assert_string_equal(sc->world, "../tiny-world");
    assert_int_equal(sc->deficits, TW_DEFICITS_ZERO);
    assert_int_equal(sc->start, day("2021-02-28"));
    const struct tw_action *a = &sc->actions[0];
    assert_int_equal(a->kind, TW_ACTION_TRADE_COST);
    assert_int_equal(a->mode, TW_RATE_FACTOR);
    assert_true(a->value == 1.2385);
    assert_codes(&a->imposer, 2, (const char *const[]){"Alpine", "others"});
    assert_codes(&a->target, 1, (const char *const[]){"all"});
    assert_codes(&a->sectors, 1, (const char *const[]){"goods"});
    assert_int_equal(a->end, day("2021-06-01"));
    a = &sc->actions[1];
    assert_int_equal(a->kind, TW_ACTION_PRODUCTIVITY);
    assert_int_equal(a->mode, TW_RATE_FACTOR);
    assert_codes(&a->imposer, 1, (const char *const[]){"BET"});
    assert_int_equal(a->target.n, 0);
    assert_int_equal(a->n_sector_values, 2);
    assert_true(a->sector_values[1].value == 0.985);
    assert_true(a->value == 1.0);
    tw_scenario_free(sc);

    sc = read_ok("scenarios/foundation.yaml");
    assert_string_equal(sc->tariff_csv, "new-tariffs.csv");
    assert_int_equal(sc->start, day("2017-01-01"));
    assert_int_equal(sc->actions[0].mode, TW_RATE_SET);
    assert_true(sc->actions[0].value == 0.2);
    tw_scenario_free(sc);
}

/* Small valid buffers: forms the files above do not show. */
static void test_valid_buffers(void **state)
{
    (void)state;
    static const char *const ok[] = {
        /* tariff_csv alone: no actions needed, start defaults to 1970-01-01 */
        "tariff_csv: t.csv\n",
        "tariff_csv: t.csv\nactions: []\nstart: 2018-01-01\n",
        /* quoted scalars, flow style, JSON, CRLF line ends, a byte-order mark */
        "{\"actions\": [{\"imposer\": \"USA\", \"target\": \"CHN\", \"rate\": {\"add\": \"0.1\"}, "
        "\"effective\": \"2018-07-06\"}]}",
        "actions:\r\n  - {imposer: 'NO', target: [CHN, all], rate: {set: 0}, "
        "effective: 2018-07-06}\r\n",
        "\xef\xbb\xbf" "actions:\n- imposer: USA\n  target: CHN\n  rate: {add: -.5e-1}\n"
        "  effective: 2018-07-06\n  end: 2018-07-07\n  covered_usd_bn: 0\n",
        /* a groups mapping may be empty; "..." ends the document */
        "groups: {}\nactions:\n- {imposer: A, target: B, rate: {add: 1}, effective: "
        "2018-07-06}\n...\n",
    };
    for (size_t k = 0; k < sizeof ok / sizeof ok[0]; k++) {
        tw_scenario *sc = NULL;
        tw_err err = {TW_OK, ""};
        tw_status st = tw_scenario_read_buf(ok[k], strlen(ok[k]), "t.yaml", &sc, &err);
        if (st != TW_OK)
            fail_msg("valid buffer %zu: status %d: %s", k, (int)st, err.msg);
        if (k == 0) {
            assert_int_equal(sc->start, 0);
            assert_int_equal(sc->n_actions, 0);
        }
        if (k == 3) {
            assert_string_equal(sc->actions[0].imposer.code[0], "NO");
            assert_pos(sc->actions[0].imposer.pos[0], 2, 15);
        }
        if (k == 4)
            assert_true(sc->actions[0].value == -0.05);
        tw_scenario_free(sc);
    }
}

/* Scalar styles: each value of `name:` and the text it must give (YAML 1.2.2 chapters 7-8). */
static void test_scalar_styles(void **state)
{
    (void)state;
    static const char *const cases[][2] = {
        {"plain text here", "plain text here"},
        {"'it''s'", "it's"},
        {"''''''''''''''''''''''''", "'''''''''''"},
        {"'a  \n  b\n\n  c  '", "a b\nc  "},
        {"'a\r\n  b'", "a b"},
        {"\"tab\\there \\u00e9\"", "tab\there \xc3\xa9"},
        {"\"a\n  b\"", "a b"},
        {"|\n  line 1\n  line 2\n", "line 1\nline 2\n"},
        {">-\n  folded\n  text\n", "folded text"},
        {"NO", "NO"},
        {"2018-07-06", "2018-07-06"},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        char yaml[256];
        snprintf(yaml, sizeof yaml, "tariff_csv: t.csv\nname: %s\n", cases[k][0]);
        tw_scenario *sc = NULL;
        tw_err err = {TW_OK, ""};
        if (tw_scenario_read_buf(yaml, strlen(yaml), "t.yaml", &sc, &err) != TW_OK)
            fail_msg("case %zu: %s", k, err.msg);
        if (strcmp(sc->name, cases[k][1]) != 0)
            fail_msg("case %zu: got \"%s\", wanted \"%s\"", k, sc->name, cases[k][1]);
        tw_scenario_free(sc);
    }
}

/* Inputs the fuzzer once found (tests/fuzz/regressions/scenario-*): they must parse or fail
 * cleanly (ASan and LSan watch for the rest). */
static void test_fuzz_regressions(void **state)
{
    (void)state;
    char dir[TWTEST_PATH];
    const char *root = getenv("TW_TEST_DATA");
    assert_non_null(root);
    twtest_join(root, "fuzz/regressions", dir);
    DIR *d = opendir(dir);
    assert_non_null(d);
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (strncmp(e->d_name, "scenario-", 9) != 0)
            continue;
        char path[TWTEST_PATH];
        size_t len = 0;
        char *text = twtest_read_file(twtest_join(dir, e->d_name, path), &len);
        tw_scenario *sc = NULL;
        tw_err err = {TW_OK, ""};
        tw_status st = tw_scenario_read_buf(text, len, "fuzz.yaml", &sc, &err);
        assert_true(st == TW_OK || st == TW_EPARSE);
        tw_scenario_free(sc);
        free(text);
        n++;
    }
    closedir(d);
    assert_true(n >= 1);
}

/* ---- the error table ------------------------------------------------------------------ */

/* Lines 1-3 of a tariff action: imposer and target. */
#define ACT "actions:\n  - imposer: USA\n    target: CHN\n"
/* Line 4-5: a rate and a date, completing ACT. */
#define RATE_DATE "    rate: {add: 0.1}\n    effective: 2018-07-06\n"

struct error_case {
    const char *yaml;
    const char *expect;
};

static const struct error_case error_cases[] = {
    /* malformed YAML, with libfyaml's message and position */
    {"actions: [1, 2\n", "t.yaml:2:1: invalid YAML: "},
    {"name: \"a\\qb\"\n", "t.yaml:1:9: invalid YAML: "},
    {"a: 1\n b: 2\n", "t.yaml:1:4: invalid YAML: "},
    {"name: \xff\n", "t.yaml:1:7: the byte 0xff, expected UTF-8 text"},
    {"name: ok\nlabel: \xc3\xa9\xed\xa0\x80\n", "t.yaml:2:9: the byte 0xed, expected UTF-8"},
    {"name: \"a\\0b\"\n", "t.yaml:1:7: a string containing a NUL character"},
    {ACT RATE_DATE "---\nname: x\n", "t.yaml:6:1: a second YAML document, expected one"},
    {"name: &n x\n", "t.yaml:1:7: an anchor \"&n\", expected a plain value"},
    {"name: x\ndescription: *n\n", "t.yaml:2:14: an alias \"*n\", expected a value written out"},
    {"name: !!str x\n", "t.yaml:1:7: a tag \"tag:yaml.org,2002:str\", expected a plain"},
    {"? [a]\n: 1\n", "t.yaml:1:3: a list used as a key, expected a name"},
    {"? \n: 1\n", "t.yaml:1:1: an empty key, expected a name"},
    /* the document as a whole */
    {"", "t.yaml:1:1: an empty document, expected a mapping with an \"actions\" list"},
    {"# only a comment\n", "t.yaml:1:1: an empty document"},
    {"hello\n", "t.yaml:1:1: the document is \"hello\", expected a mapping of scenario keys"},
    {"- a\n", "t.yaml:1:1: the document is a list, expected a mapping"},
    {"name: x\n", "t.yaml:1:1: no key \"actions\", expected a list of actions (or a "
                  "\"tariff_csv\")"},
    {"name: x\nactions: []\n", "t.yaml:2:10: an empty \"actions\" list, expected at least one"},
    {"actions: {a: 1}\n", "t.yaml:1:10: \"actions\" is a mapping, expected a list of actions"},
    {"actions:\n- x\n", "t.yaml:2:3: action 1 is \"x\", expected a mapping with keys imposer"},
    {"actions:\n  -\n", "t.yaml:2:3: action 1 is an empty value, expected a mapping"},
    /* unknown and duplicate keys */
    {"nmae: x\n", "t.yaml:1:1: unknown key \"nmae\" at the top level, expected one of name, "
                  "description, world, deficits, start, until, tariff_csv, groups, actions"},
    {ACT "    rat: {add: 0.1}\n    effective: 2018-07-06\n",
     "t.yaml:4:5: unknown key \"rat\" in action 1, expected one of id, label, type, imposer, "
     "country, target, sectors, products, rate, effective, end, covered_usd_bn, retaliation, "
     "baseline"},
    {ACT "    rate: {mul: 0.1}\n    effective: 2018-07-06\n",
     "t.yaml:4:12: unknown key \"mul\" in \"rate\" of action 1 (type tariff), expected one of "
     "add, set"},
    {ACT "    rate: {factor: 1.1}\n    effective: 2018-07-06\n",
     "t.yaml:4:12: unknown key \"factor\" in \"rate\" of action 1 (type tariff)"},
    {ACT "    type: trade_cost\n    rate: {add: 0.1}\n    effective: 2018-07-06\n",
     "t.yaml:5:12: unknown key \"add\" in \"rate\" of action 1 (type trade_cost), expected one "
     "of factor"},
    {ACT "    rate: {add: 0.1, set: 0.2}\n    effective: 2018-07-06\n",
     "t.yaml:4:22: key \"set\" after \"add\" in \"rate\" of action 1 (type tariff), expected "
     "exactly one of add, set"},
    {"name: a\nname: b\ntariff_csv: t.csv\n",
     "t.yaml:2:1: duplicate key \"name\" at the top level (first at line 1), expected each key "
     "once"},
    {ACT RATE_DATE "    rate: {add: 0.2}\n",
     "t.yaml:6:5: duplicate key \"rate\" in action 1 (first at line 4)"},
    {ACT "    rate: {add: 0.1, add: 0.2}\n    effective: 2018-07-06\n",
     "t.yaml:4:22: duplicate key \"add\" in \"rate\" of action 1 (type tariff) (first at line 4)"},
    /* type-specific keys */
    {ACT "    country: USA\n" RATE_DATE,
     "t.yaml:4:5: key \"country\" in action 1 (type tariff), expected \"imposer\" and "
     "\"target\""},
    {"actions:\n  - type: productivity\n    country: USA\n    target: CHN\n"
     "    rate: {factor: 1.1}\n    effective: 2018-07-06\n",
     "t.yaml:4:5: key \"target\" in action 1 (type productivity), expected \"country\""},
    {"actions:\n  - type: productivity\n    imposer: USA\n"
     "    rate: {factor: 1.1}\n    effective: 2018-07-06\n",
     "t.yaml:3:5: key \"imposer\" in action 1 (type productivity)"},
    {ACT "    type: tarif\n" RATE_DATE,
     "t.yaml:4:11: \"type\" of action 1 is \"tarif\", expected tariff, trade_cost or "
     "productivity"},
    /* missing keys */
    {ACT "    rate: {add: 0.1}\n",
     "t.yaml:2:5: action 1 (line 2): missing key \"effective\", expected a calendar date"},
    {"actions:\n  - target: CHN\n" RATE_DATE, "t.yaml:2:5: action 1 (line 2): missing key "
                                             "\"imposer\""},
    {"actions:\n  - imposer: CHN\n" RATE_DATE, "action 1 (line 2): missing key \"target\""},
    {ACT "    effective: 2018-07-06\n", "action 1 (line 2): missing key \"rate\""},
    {ACT RATE_DATE "  - type: productivity\n    rate: {factor: 1.1}\n"
                   "    effective: 2018-07-06\n",
     "t.yaml:6:5: action 2 (line 6): missing key \"country\""},
    /* dates */
    {ACT "    rate: {add: 0.1}\n    effective: 2018-02-30\n",
     "t.yaml:5:16: \"effective\" of action 1 is \"2018-02-30\", expected a calendar date "
     "YYYY-MM-DD"},
    {ACT "    rate: {add: 0.1}\n    effective:\n",
     "t.yaml:5:5: \"effective\" of action 1 is an empty value, expected a calendar date"},
    {ACT RATE_DATE "    end: 2018-07-06\n",
     "t.yaml:6:10: \"end\" of action 1 is 2018-07-06, expected a date after \"effective\" "
     "(2018-07-06)"},
    {ACT RATE_DATE "    end: 2018-7-9\n", "t.yaml:6:10: \"end\" of action 1 is \"2018-7-9\""},
    {"start: 2018-1-1\n" ACT RATE_DATE, "t.yaml:1:8: \"start\" is \"2018-1-1\", expected a "
                                        "calendar date"},
    {"start: 2018-07-06\n" ACT RATE_DATE,
     "t.yaml:1:8: \"start\" is 2018-07-06, expected a date before the earliest effective date "
     "2018-07-06 (action 1, line 3)"},
    {"until: 2018-07-05\n" ACT RATE_DATE,
     "t.yaml:1:8: \"until\" is 2018-07-05, expected a date after the start 2018-07-05"},
    {"tariff_csv: t.csv\nuntil: 1969-12-31\n", "t.yaml:2:8: \"until\" is 1969-12-31"},
    /* numbers */
    {ACT "    rate: {set: -0.1}\n    effective: 2018-07-06\n",
     "t.yaml:4:17: \"set\" of action 1 is \"-0.1\", expected a tariff rate >= 0"},
    {ACT "    type: trade_cost\n    rate: {factor: 0}\n    effective: 2018-07-06\n",
     "t.yaml:5:20: \"factor\" of action 1 is \"0\", expected a factor > 0"},
    {"actions:\n  - type: productivity\n    country: USA\n    rate: {factor: -1.5}\n"
     "    effective: 2018-07-06\n", "\"factor\" of action 1 is \"-1.5\", expected a factor > 0"},
    {ACT "    rate: {add: .nan}\n    effective: 2018-07-06\n",
     "t.yaml:4:17: \"add\" of action 1 is \".nan\", expected a finite number"},
    {ACT "    rate: {add: -.inf}\n    effective: 2018-07-06\n", "expected a finite number"},
    {ACT "    rate: {add: inf}\n    effective: 2018-07-06\n", "expected a finite number"},
    {ACT "    rate: {add: 1e999}\n    effective: 2018-07-06\n", "expected a finite number"},
    {ACT "    rate: {add: \"1,5\"}\n    effective: 2018-07-06\n",
     "\"add\" of action 1 is \"1,5\", expected a decimal number"},
    {ACT "    rate: {add: 0x10}\n    effective: 2018-07-06\n", "expected a decimal number"},
    {ACT "    rate: {add: 1_000}\n    effective: 2018-07-06\n", "expected a decimal number"},
    {ACT "    rate: {add: [0.1]}\n    effective: 2018-07-06\n",
     "t.yaml:4:17: \"add\" of action 1 is a list, expected a number or a mapping from sector"},
    {ACT "    rate: 0.25\n    effective: 2018-07-06\n",
     "t.yaml:4:11: \"rate\" of action 1 is \"0.25\", expected a mapping {add: X} or {set: X}"},
    {ACT "    rate: {}\n    effective: 2018-07-06\n",
     "t.yaml:4:11: \"rate\" of action 1 is an empty mapping"},
    {ACT RATE_DATE "    covered_usd_bn: -1\n",
     "t.yaml:6:21: \"covered_usd_bn\" of action 1 is \"-1\", expected a number >= 0"},
    {ACT RATE_DATE "    covered_usd_bn: lots\n", "\"covered_usd_bn\" of action 1 is \"lots\""},
    /* per-sector values */
    {ACT "    sectors: [MET]\n    rate: {add: {MET: 0.1}}\n    effective: 2018-07-06\n",
     "t.yaml:4:5: key \"sectors\" in action 1 with a per-sector rate, expected no \"sectors\""},
    {ACT "    rate: {add: {MET: 0.1, MACH: 0.2, MET: 0.3}}\n    effective: 2018-07-06\n",
     "t.yaml:4:39: duplicate sector \"MET\" in \"add\" of action 1 (first at line 4)"},
    {ACT "    rate: {add: {}}\n    effective: 2018-07-06\n",
     "t.yaml:4:17: \"add\" of action 1 is an empty mapping, expected a number or a mapping"},
    {ACT "    rate: {set: {MET: 0.1, MACH: -1}}\n    effective: 2018-07-06\n",
     "t.yaml:4:34: sector \"MACH\" in \"set\" of action 1 is \"-1\", expected a tariff rate"},
    {ACT "    rate: {add: {all: 0.1}}\n    effective: 2018-07-06\n",
     "t.yaml:4:18: sector \"all\" in \"add\" of action 1, expected a sector code"},
    /* product lists: the checks made before any file is read */
    {ACT "    type: trade_cost\n    products: {codes: [84]}\n    rate: {factor: 1.1}\n"
         "    effective: 2018-07-06\n",
     "t.yaml:5:5: key \"products\" in action 1 (type trade_cost), expected a tariff action "
     "(product lists are tariffs only)"},
    {"actions:\n  - type: productivity\n    country: USA\n    products: {codes: [84]}\n"
     "    rate: {factor: 1.1}\n    effective: 2018-07-06\n",
     "t.yaml:4:5: key \"products\" in action 1 (type productivity), expected a tariff action"},
    {ACT "    sectors: [MACH]\n    products: {codes: [84]}\n" RATE_DATE,
     "t.yaml:4:5: key \"sectors\" in action 1 with \"products\", expected no \"sectors\" (the "
     "product list decides the sectors)"},
    {ACT "    products: {codes: [84]}\n    rate: {set: 0.1}\n    effective: 2018-07-06\n",
     "t.yaml:5:12: key \"set\" in \"rate\" of action 1 (type tariff) with \"products\", "
     "expected \"add\" (a product list raises each sector's rate by its trade-weighted share "
     "of X: write {add: X})"},
    {ACT "    products: {codes: [84]}\n    rate: {add: {MACH: 0.1}}\n"
         "    effective: 2018-07-06\n",
     "t.yaml:5:17: \"add\" of action 1 is a mapping, expected a number (with \"products\" the "
     "rate is uniform: the list decides each sector's share)"},
    {ACT "    products: [84]\n" RATE_DATE,
     "t.yaml:4:15: \"products\" of action 1 is a list, expected a mapping with \"codes\" (or "
     "\"file\" and \"column\"), \"weights\", \"weights_code\" and \"weights_value\""},
    {ACT "    products: {}\n" RATE_DATE, "t.yaml:4:15: \"products\" of action 1 is an empty "
                                      "mapping"},
    {ACT "    products: {code: [84]}\n" RATE_DATE,
     "t.yaml:4:16: unknown key \"code\" in \"products\" of action 1, expected one of codes, "
     "file, column, where, weights, weights_code, weights_value, weights_scale"},
    {ACT "    products: {codes: [84], codes: [85]}\n" RATE_DATE,
     "t.yaml:4:29: duplicate key \"codes\" in \"products\" of action 1 (first at line 4)"},
    {ACT "    products: {codes: [84], file: l.csv}\n" RATE_DATE,
     "t.yaml:4:29: key \"file\" in \"products\" of action 1 with \"codes\", expected either "
     "\"codes\" or \"file\""},
    {ACT "    products: {file: l.csv, codes: [84]}\n" RATE_DATE,
     "t.yaml:4:29: key \"codes\" in \"products\" of action 1 with \"file\""},
    {ACT "    products: {weights: w.csv}\n" RATE_DATE,
     "t.yaml:4:15: \"products\" of action 1: missing key \"codes\" or \"file\", expected a list "
     "of HS codes or a CSV file of them"},
    {ACT "    products: {codes: [84], column: x}\n" RATE_DATE,
     "t.yaml:4:29: key \"column\" in \"products\" of action 1 without \"file\", expected "
     "\"column\" and \"where\" only with a \"file\""},
    {ACT "    products: {codes: [84], where: {a: b}}\n" RATE_DATE,
     "t.yaml:4:29: key \"where\" in \"products\" of action 1 without \"file\""},
    {ACT "    products: {file: l.csv, weights: w.csv, weights_code: a, weights_value: b}\n"
         RATE_DATE,
     "t.yaml:4:15: \"products\" of action 1: missing key \"column\", expected the name of the "
     "code column of \"file\""},
    {ACT "    products: {codes: [84]}\n" RATE_DATE,
     "t.yaml:4:15: \"products\" of action 1: missing key \"weights\", expected the path of a "
     "CSV of trade values by product code"},
    {ACT "    products: {codes: [84], weights: w.csv, weights_value: v}\n" RATE_DATE,
     "missing key \"weights_code\", expected the name of the code column of \"weights\""},
    {ACT "    products: {codes: [84], weights: w.csv, weights_code: c}\n" RATE_DATE,
     "missing key \"weights_value\", expected the name of the trade value column of "
     "\"weights\""},
    {ACT "    products: {codes: [84], weights: \"\", weights_code: c, weights_value: v}\n"
         RATE_DATE,
     "t.yaml:4:38: \"weights\" of action 1 is \"\", expected the path of a CSV file"},
    {ACT "    products: {codes: [84], weights: w.csv, weights_code: [c], weights_value: v}\n"
         RATE_DATE,
     "t.yaml:4:59: \"weights_code\" of action 1 is a list, expected the name of a CSV column"},
    {ACT "    products: {file: [l.csv], column: c, weights: w, weights_code: c, "
         "weights_value: v}\n" RATE_DATE,
     "t.yaml:4:22: \"file\" of action 1 is a list, expected the path of a CSV file"},
    {ACT "    products: {file: l.csv, column: c, where: [a], weights: w, weights_code: c, "
         "weights_value: v}\n" RATE_DATE,
     "t.yaml:4:47: \"where\" of action 1 is a list, expected a mapping {COLUMN: VALUE} with "
     "one column"},
    {ACT "    products: {file: l.csv, column: c, where: {a: 1, b: 2}, weights: w, "
         "weights_code: c, weights_value: v}\n" RATE_DATE,
     "\"where\" of action 1 is a mapping, expected a mapping {COLUMN: VALUE} with one column"},
    {ACT "    products: {file: l.csv, column: c, where: {a: [1]}, weights: w, "
         "weights_code: c, weights_value: v}\n" RATE_DATE,
     "\"where\" of action 1 is a mapping, expected a mapping {COLUMN: VALUE}"},
    {ACT "    products: {codes: [84], weights: w, weights_code: c, weights_value: v, "
         "weights_scale: 0}\n" RATE_DATE,
     "t.yaml:4:91: \"weights_scale\" of action 1 is \"0\", expected a number > 0 (US dollars "
     "per unit of the weights)"},
    {ACT "    products: {codes: [84], weights: w, weights_code: c, weights_value: v, "
         "weights_scale: k}\n" RATE_DATE,
     "\"weights_scale\" of action 1 is \"k\", expected a decimal number"},
#define PRODUCTS_CODES(list) \
    ACT "    products: {weights: w.csv, weights_code: c, weights_value: v, codes: " list "}\n" \
    RATE_DATE
    {PRODUCTS_CODES("[]"), "t.yaml:4:74: \"codes\" of action 1 is an empty list, expected a "
                          "non-empty list of HS codes"},
    {PRODUCTS_CODES("{a: 1}"), "\"codes\" of action 1 is a mapping, expected a non-empty list"},
    {PRODUCTS_CODES("[84, 8a]"), "t.yaml:4:79: item 2 of \"codes\" of action 1 is \"8a\", "
                                "expected an HS code of 2 to 10 digits (dots are ignored)"},
    {PRODUCTS_CODES("[8]"), "item 1 of \"codes\" of action 1 is \"8\", expected an HS code"},
    {PRODUCTS_CODES("[84713000001]"), "item 1 of \"codes\" of action 1 is \"84713000001\""},
    {PRODUCTS_CODES("[\"84 71\"]"), "item 1 of \"codes\" of action 1 is \"84 71\""},
    {PRODUCTS_CODES("[\"..\"]"), "item 1 of \"codes\" of action 1 is \"..\""},
    {PRODUCTS_CODES("[-84]"), "item 1 of \"codes\" of action 1 is \"-84\""},
    {PRODUCTS_CODES("[[84]]"), "item 1 of \"codes\" of action 1 is a list, expected an HS"},
    {PRODUCTS_CODES("8a"), "t.yaml:4:74: \"codes\" of action 1 is \"8a\", expected an HS code"},
    /* code lists */
    {"actions:\n  - imposer: {USA: 1}\n    target: CHN\n" RATE_DATE,
     "t.yaml:2:14: \"imposer\" of action 1 is a mapping, expected a country code, a group "
     "name, \"all\", \"others\" or a list of those"},
    {"actions:\n  - imposer: []\n    target: CHN\n" RATE_DATE,
     "\"imposer\" of action 1 is an empty list"},
    {"actions:\n  - imposer: [USA, [CHN]]\n    target: CHN\n" RATE_DATE,
     "t.yaml:2:20: item 2 of \"imposer\" of action 1 is a list, expected a code"},
    {"actions:\n  - imposer: \"\"\n    target: CHN\n" RATE_DATE,
     "t.yaml:2:14: \"imposer\" of action 1 is \"\", expected a country code"},
    {"actions:\n  - imposer: \"US\\tA\"\n    target: CHN\n" RATE_DATE,
     "\"imposer\" of action 1 is \"US?A\""},
    {ACT "    sectors: {MET: 1}\n" RATE_DATE,
     "t.yaml:4:14: \"sectors\" of action 1 is a mapping, expected \"all\", a sector code or a "
     "list"},
    /* groups */
    {"groups:\n  A: [USA]\n  B: [A, CHN]\n" ACT RATE_DATE,
     "t.yaml:3:7: group \"B\" lists \"A\", which is a group, expected country codes only"},
    {"groups:\n  A: []\n" ACT RATE_DATE,
     "t.yaml:2:6: group \"A\" is an empty list, expected a non-empty list of country codes"},
    {"groups:\n  A: USA\n" ACT RATE_DATE, "group \"A\" is \"USA\", expected a non-empty list"},
    {"groups:\n  A: [USA]\n  A: [CHN]\n" ACT RATE_DATE,
     "t.yaml:3:3: duplicate group \"A\" (first at line 2), expected each group name once"},
    {"groups:\n  all: [USA]\n" ACT RATE_DATE,
     "t.yaml:2:3: a group named \"all\", expected a name other than the reserved"},
    {"groups:\n  others: [USA]\n" ACT RATE_DATE, "a group named \"others\""},
    {"groups:\n  A: [USA, all]\n" ACT RATE_DATE,
     "t.yaml:2:12: group \"A\" lists \"all\", a reserved name, expected country codes only"},
    {"groups: [A]\n" ACT RATE_DATE, "t.yaml:1:9: \"groups\" is a list, expected a mapping"},
    /* top-level values */
    {"name: [a]\n" ACT RATE_DATE, "t.yaml:1:7: \"name\" is a list, expected a string"},
    {"description:\n" ACT RATE_DATE, "t.yaml:1:1: \"description\" is an empty value"},
    {"world: \"\"\n" ACT RATE_DATE,
     "t.yaml:1:8: \"world\" is \"\", expected \"default\" or the path of a world bundle"},
    {"deficits: balanced\n" ACT RATE_DATE,
     "t.yaml:1:11: \"deficits\" is \"balanced\", expected data or zero"},
    {"tariff_csv: {a: b}\n", "t.yaml:1:13: \"tariff_csv\" is a mapping, expected the path"},
    /* ids */
    {"actions:\n- {id: a, imposer: A, target: B, rate: {add: 1}, effective: 2018-01-01}\n"
     "- {id: b, imposer: A, target: B, rate: {add: 1}, effective: 2018-01-01}\n"
     "- {id: a, imposer: A, target: B, rate: {add: 1}, effective: 2018-01-01}\n",
     "t.yaml:4:8: duplicate id \"a\" in action 3 (first in action 1, line 2), expected unique"},
    {ACT RATE_DATE "    label: [x]\n", "t.yaml:6:12: \"label\" of action 1 is a list, expected "
                                       "a string"},
    /* retaliation and baseline flags */
    {ACT RATE_DATE "    retaliation: yes\n", "t.yaml:6:18: \"retaliation\" of action 1 is "
                                             "\"yes\", expected true or false"},
    {ACT RATE_DATE "    baseline: 1\n", "t.yaml:6:15: \"baseline\" of action 1 is \"1\", "
                                        "expected true or false"},
    {ACT RATE_DATE "    baseline: true\n    end: 2019-01-01\n", "t.yaml:7:5: key \"end\" in "
     "baseline action 1, expected no \"end\""},
    {ACT RATE_DATE "    baseline: true\n    retaliation: true\n", "t.yaml:6:5: action 1 is "
     "both \"baseline\" and \"retaliation\", expected at most one of them"},
    {"actions:\n  - {type: trade_cost, imposer: A, target: B, rate: {factor: 1.1}, effective: "
     "2018-01-01, baseline: true}\n", "t.yaml:2:91: key \"baseline\" in action 1 (type "
     "trade_cost), expected a tariff action"},
    {"start: 2018-01-01\nactions:\n  - {imposer: A, target: B, rate: {add: 1}, effective: "
     "2018-01-02, baseline: true}\n  - {imposer: A, target: B, rate: {add: 1}, effective: "
     "2018-02-01}\n", "t.yaml:3:5: baseline action 1 takes effect on 2018-01-02, expected a "
     "date on or before the start 2018-01-01"},
};

/* One error case; prints and counts a mismatch. */
static size_t check_error(const char *yaml, size_t len, const char *expect, size_t k)
{
    tw_scenario *sc = (tw_scenario *)&sc; /* must be reset to NULL */
    tw_err err = {TW_OK, ""};
    tw_status st = tw_scenario_read_buf(yaml, len, "t.yaml", &sc, &err);
    if (st == TW_EPARSE && sc == NULL && err.code == TW_EPARSE &&
        strncmp(err.msg, "t.yaml:", 7) == 0 && strstr(err.msg, expect) != NULL &&
        strchr(err.msg, '\n') == NULL)
        return 0;
    print_error("case %zu: status %d\n  got:    %s\n  wanted: %s\n", k, (int)st, err.msg,
                expect);
    if (st == TW_OK)
        tw_scenario_free(sc);
    return 1;
}

static void test_error_table(void **state)
{
    (void)state;
    size_t bad = 0, n = sizeof error_cases / sizeof error_cases[0];
    for (size_t k = 0; k < n; k++)
        bad += check_error(error_cases[k].yaml, strlen(error_cases[k].yaml),
                           error_cases[k].expect, k);
    /* A NUL byte in the input. */
    static const char nul[] = "name: a\nlabel: b\0c\n";
    bad += check_error(nul, sizeof nul - 1, "t.yaml:2:9: a NUL byte 0x00, expected text", n);
    if (bad > 0)
        fail_msg("%zu of %zu error cases failed", bad, n + 1);
}

/* The exact text of one message, to pin the format down. */
static void test_message_format(void **state)
{
    (void)state;
    const char *yaml = ACT "    rat: {add: 0.1}\n    effective: 2018-07-06\n";
    tw_scenario *sc = NULL;
    tw_err err = {TW_OK, ""};
    assert_int_equal(tw_scenario_read_buf(yaml, strlen(yaml), "us.yaml", &sc, &err),
                     TW_EPARSE);
    assert_msg(err.msg, "us.yaml:4:5: unknown key \"rat\" in action 1, expected one of "
                                 "id, label, type, imposer, country, target, sectors, "
                                 "products, rate, effective, end, covered_usd_bn, "
                                 "retaliation, baseline");
}

/* tests/data/scenarios/invalid/<file>.yaml: the first line is "# expect: <substring>", where
 * "FILE" stands for the file's path. */
static void test_invalid_files(void **state)
{
    (void)state;
    char dir[TWTEST_PATH];
    twtest_data("scenarios/invalid", dir);
    DIR *d = opendir(dir);
    assert_non_null(d);
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        size_t len = strlen(e->d_name);
        if (len < 6 || strcmp(e->d_name + len - 5, ".yaml") != 0)
            continue;
        char path[TWTEST_PATH], expect[2 * TWTEST_PATH];
        twtest_join(dir, e->d_name, path);
        char *text = twtest_read_file(path, NULL);
        const char *tag = "# expect: ";
        if (strncmp(text, tag, strlen(tag)) != 0)
            fail_msg("%s: no \"# expect: \" first line", path);
        const char *s = text + strlen(tag), *eol = strchr(s, '\n');
        assert_non_null(eol);
        const char *file = strstr(s, "FILE");
        if (file != NULL && file < eol)
            snprintf(expect, sizeof expect, "%.*s%s%.*s", (int)(file - s), s, path,
                     (int)(eol - file - 4), file + 4);
        else
            snprintf(expect, sizeof expect, "%.*s", (int)(eol - s), s);
        free(text);
        tw_scenario *sc = NULL;
        tw_err err = {TW_OK, ""};
        tw_status st = tw_scenario_read(path, &sc, &err);
        if (st != TW_EPARSE || strstr(err.msg, expect) == NULL)
            fail_msg("%s: status %d\n  got:    %s\n  wanted: %s", path, (int)st, err.msg,
                     expect);
        n++;
    }
    closedir(d);
    assert_true(n >= 5);
}

/* Every ```yaml block of docs/scenarios.md parses (as if it were a file next to the page), and
 * the two complete examples there are the files tests/data/scenarios/us-china-2018-2019.yaml
 * and shocks.yaml, verbatim. The product-list examples read the shared data ("shared:"): they
 * are skipped with a message when it is absent, unless CI=true. */
static void test_docs_examples(void **state)
{
    (void)state;
    const char *root = getenv("TW_TEST_DATA"), *shared = getenv("TW_SHARED_DATA");
    const char *ci = getenv("CI");
    assert_non_null(root);
    char path[TWTEST_PATH], dir[TWTEST_PATH];
    twtest_join(root, "../docs/scenarios.md", path);
    bool have_shared = shared != NULL && shared[0] != '\0' &&
                       twtest_exists(twtest_join(shared, "uschina", dir));
    char *doc = twtest_read_file(path, NULL);
    size_t n = 0, skipped = 0;
    for (const char *s = strstr(doc, "\n```yaml\n"); s != NULL; s = strstr(s, "\n```yaml\n")) {
        s += 9;
        const char *e = strstr(s, "\n```\n");
        assert_non_null(e);
        size_t len = (size_t)(e - s + 1);
        char *block = malloc(len + 1); /* NUL-terminated, to search it */
        assert_non_null(block);
        memcpy(block, s, len);
        block[len] = '\0';
        n++;
        s = e;
        if (strstr(block, "products:") != NULL && strstr(block, "shared:") != NULL &&
            !have_shared && (ci == NULL || strcmp(ci, "true") != 0)) {
            skipped++;
            free(block);
            continue;
        }
        tw_scenario *sc = NULL;
        tw_err err = {TW_OK, ""};
        if (tw_scenario_read_buf(block, len, path, &sc, &err) != TW_OK)
            fail_msg("example %zu of docs/scenarios.md: %s", n, err.msg);
        tw_scenario_free(sc);
        free(block);
    }
    if (skipped > 0)
        fprintf(stderr, "SKIP: %zu product-list example(s) of docs/scenarios.md need the shared "
                "data (TW_SHARED_DATA=%s)\n", skipped, shared != NULL ? shared : "(unset)");
    assert_true(n >= 7);
    static const char *const files[] = {"scenarios/us-china-2018-2019.yaml",
                                        "scenarios/shocks.yaml"};
    for (size_t k = 0; k < 2; k++) {
        char *text = twtest_read_file(twtest_data(files[k], dir), NULL);
        if (strstr(doc, text) == NULL)
            fail_msg("docs/scenarios.md does not show %s verbatim", files[k]);
        free(text);
    }
    free(doc);
}

/* ---- the CSV form, missing files ------------------------------------------------------ */

static void test_csv_form(void **state)
{
    (void)state;
    struct tw_scenario *sc = read_ok("scenarios/new-tariffs.csv");
    assert_scenario(sc, "default", -1, "1970-01-01", NULL, "new-tariffs.csv", 0, 0);
    assert_string_equal(tw_scenario_name(sc), "");
    tw_scenario_free(sc);

    char path[TWTEST_PATH];
    tw_err err = {TW_OK, ""};
    twtest_data("scenarios/no-such-file.CSV", path);
    assert_int_equal(tw_scenario_read(path, &sc, &err), TW_EIO);
    assert_null(sc);
    assert_non_null(strstr(err.msg, path));
    assert_non_null(strstr(err.msg, "cannot open"));
}

static void test_missing_file(void **state)
{
    (void)state;
    char path[TWTEST_PATH];
    tw_scenario *sc = (tw_scenario *)&sc;
    tw_err err = {TW_OK, ""};
    twtest_data("scenarios/no-such-file.yaml", path);
    assert_int_equal(tw_scenario_read(path, &sc, &err), TW_EIO);
    assert_null(sc);
    assert_non_null(strstr(err.msg, path));
    assert_non_null(strstr(err.msg, "cannot open: No such file or directory"));

    twtest_data("scenarios", path);
    assert_int_equal(tw_scenario_read(path, &sc, &err), TW_EIO);
    assert_non_null(strstr(err.msg, "is a directory"));
}

/* ---- limits --------------------------------------------------------------------------- */

static tw_status parse_lim(const char *yaml, size_t len, const tw_scenario_limits *lim,
                           tw_err *err)
{
    tw_scenario *sc = NULL;
    tw_status st = tw_scenario_read_buf_limits(yaml, len, "t.yaml", lim, &sc, err);
    tw_scenario_free(sc);
    return st;
}

/* Parse head + n x unit + tail (see parse_lim). */
static tw_status parse_rep(const char *head, const char *unit, size_t n, const char *tail,
                           const tw_scenario_limits *lim, tw_err *err)
{
    size_t len;
    char *yaml = twtest_repeat(head, unit, n, tail, &len);
    tw_status st = parse_lim(yaml, len, lim, err);
    free(yaml);
    return st;
}

static void test_limit_string(void **state)
{
    (void)state;
    tw_err err = {TW_OK, ""};
    const char *head = "tariff_csv: t.csv\nname: ";
    assert_int_equal(parse_rep(head, "x", TW_SCENARIO_MAX_STRING, "\n", NULL, &err), TW_OK);
    assert_int_equal(parse_rep(head, "x", TW_SCENARIO_MAX_STRING + 1, "\n", NULL, &err),
                     TW_EPARSE);
    assert_msg(err.msg, "t.yaml:2:7: a string of 4097 bytes, expected at most 4096 "
                                 "bytes");
}

static void test_limit_depth(void **state)
{
    (void)state;
    tw_err err = {TW_OK, ""};
    const char *head = "tariff_csv: t.csv\nx: ";
    /* The top-level mapping is level 1: 15 brackets reach the limit, 16 exceed it. */
    assert_int_equal(parse_rep(head, "[", TW_SCENARIO_MAX_DEPTH - 1, "\n", NULL, &err),
                     TW_EPARSE);
    assert_non_null(strstr(err.msg, "invalid YAML")); /* unclosed, but not too deep */
    assert_int_equal(parse_rep(head, "[", TW_SCENARIO_MAX_DEPTH, "\n", NULL, &err), TW_EPARSE);
    assert_msg(err.msg, "t.yaml:2:19: a list nested 17 deep, expected at most 16 "
                                 "levels of nesting");
    /* Far deeper than libfyaml's own limit: still our message, found early. */
    assert_int_equal(parse_rep("a: ", "[", 100000, "", NULL, &err), TW_EPARSE);
    assert_non_null(strstr(err.msg, "nested 17 deep"));
}

static void test_limit_actions(void **state)
{
    (void)state;
    tw_err err = {TW_OK, ""};
    const char *unit = "- {imposer: A, target: B, rate: {add: 1}, effective: 2018-01-01}\n";
    tw_scenario_limits lim;
    tw_scenario_limits_init(&lim);
    lim.max_actions = 3;
    assert_int_equal(parse_rep("actions:\n", unit, 3, "", &lim, &err), TW_OK);
    assert_int_equal(parse_rep("actions:\n", unit, 4, "", &lim, &err), TW_EPARSE);
    assert_msg(err.msg, "t.yaml:5:3: 4 actions, expected at most 3");
    /* The default limit, with the smallest possible entries. */
    assert_int_equal(parse_rep("actions: [", "{},", TW_SCENARIO_MAX_ACTIONS, "{}]\n", NULL, &err),
                     TW_EPARSE);
    assert_non_null(strstr(err.msg, "100001 actions, expected at most 100000"));
}

static void test_limit_size(void **state)
{
    (void)state;
    tw_err err = {TW_OK, ""};
    tw_scenario_limits lim;
    tw_scenario_limits_init(&lim);
    const char *yaml = "tariff_csv: t.csv\n";
    lim.max_file_size = strlen(yaml);
    assert_int_equal(parse_lim(yaml, strlen(yaml), &lim, &err), TW_OK);
    lim.max_file_size = strlen(yaml) - 1;
    assert_int_equal(parse_lim(yaml, strlen(yaml), &lim, &err), TW_EIO);
    assert_non_null(strstr(err.msg, "t.yaml: 18 bytes, larger than the limit of 17 bytes"));
    /* The default limit, through a file. */
    char dir[TWTEST_PATH], path[TWTEST_PATH];
    twtest_tmpdir(dir);
    twtest_join(dir, "big.yaml", path);
    size_t n = TW_SCENARIO_MAX_FILE_SIZE + 1;
    char *big = malloc(n);
    assert_non_null(big);
    memset(big, '#', n);
    twtest_write_file(path, big, n);
    free(big);
    tw_scenario *sc = NULL;
    assert_int_equal(tw_scenario_read(path, &sc, &err), TW_EIO);
    assert_non_null(strstr(err.msg, "larger than the limit of 16777216 bytes"));
    twtest_rmtree(dir);
}

/* ---- product lists -------------------------------------------------------------------- */

/*
 * tests/data/scenarios/products/: weights.csv (HS6 trade values in thousand USD, 10 rows in
 * chapters 02, 08, 84, 85, 94 and 99) and lists.csv (HTS8 codes, lists 1 and 2). Sector totals
 * of column kusd: AGR 400 (080211 300, 080290 0, 080810 100), FOOD 400 (020311 200, 020329
 * 200), MACH 800 (847130 400, 847150 100, 850440 200, 940510 100: heading 9405 overrides
 * chapter 94), OMAN 400 (940360); 990388 (chapter 99) maps to no sector. Every share below is
 * a binary fraction, so the values are exact.
 */

/* Lines 1-6 of a products action with rate {add: 0.25}; the products mapping follows. */
#define PACT "actions:\n  - imposer: CHN\n    target: USA\n    rate: {add: 0.25}\n" \
             "    effective: 2018-07-06\n    products:\n"
/* Lines 7-9: the weights keys. */
#define PW "      weights: weights.csv\n      weights_code: hs6\n      weights_value: kusd\n"

struct sector_value_want {
    const char *sector;
    double value;
};

/* The action's sectors and values are exactly `want` (n entries, in model order). */
static void assert_sector_values(const struct tw_action *a, size_t n,
                                 const struct sector_value_want *want)
{
    assert_int_equal(a->kind, TW_ACTION_TARIFF);
    assert_int_equal(a->mode, TW_RATE_ADD);
    assert_true(a->value == 0.0);
    assert_int_equal(a->n_sector_values, n);
    assert_int_equal(a->sectors.n, n);
    for (size_t k = 0; k < n; k++) {
        assert_string_equal(a->sector_values[k].sector, want[k].sector);
        assert_string_equal(a->sectors.code[k], want[k].sector);
        if (a->sector_values[k].value != want[k].value)
            fail_msg("sector %s: %.17g, wanted %.17g", want[k].sector,
                     a->sector_values[k].value, want[k].value);
    }
}

/* Parse `yaml` as if it were tests/data/scenarios/products/t.yaml. */
static tw_status read_products(const char *yaml, tw_scenario **sc, tw_err *err)
{
    char name[TWTEST_PATH];
    twtest_data("scenarios/products/t.yaml", name);
    return tw_scenario_read_buf(yaml, strlen(yaml), name, sc, err);
}

static void test_products_file(void **state)
{
    (void)state;
    struct tw_scenario *sc = read_ok("scenarios/products/lists.yaml");
    assert_int_equal(sc->n_actions, 3);
    static const struct sector_value_want l1[] = {
        {"AGR", 0.25 * 0.25}, {"FOOD", 0.25 * 0.5}, {"MACH", 0.25 * 0.75}};
    for (size_t a = 0; a < 2; a++) {
        const struct tw_action *ac = &sc->actions[a];
        assert_sector_values(ac, 3, l1);
        /* 900 thousand USD covered (200 + 100 + 600), weights_scale 1000 */
        assert_true(ac->covered_usd_bn == 900.0 * 1000.0 / 1e9);
        assert_pos(ac->sector_values[0].pos, a == 0 ? 8 : 21, 5);
        assert_pos(ac->sectors.pos[2], a == 0 ? 8 : 21, 5);
        assert_int_equal(ac->effective, day("2018-07-06"));
    }
    /* list 2: 85044000 -> 850440 (MACH 200/800), 94036000 -> 940360 (OMAN 400/400); an
     * announced coverage is kept */
    static const struct sector_value_want l2[] = {{"MACH", 0.0625}, {"OMAN", 0.25}};
    assert_sector_values(&sc->actions[2], 2, l2);
    assert_true(sc->actions[2].covered_usd_bn == 16.0);
    tw_scenario_free(sc);
}

/* The prefix rules, as data: inline codes and the per-sector values they give at 0.25. */
static void test_products_prefixes(void **state)
{
    (void)state;
    static const struct {
        const char *codes;
        size_t n;
        struct sector_value_want want[4];
        double covered_kusd;
    } cases[] = {
        /* a chapter covers its rows (850440 is chapter 85) */
        {"[84]", 1, {{"MACH", 0.25 * 500 / 800}}, 500},
        /* a heading override: 9405 is MACH, the rest of chapter 94 OMAN */
        {"[94]", 2, {{"MACH", 0.25 * 100 / 800}, {"OMAN", 0.25}}, 500},
        {"[\"9405\"]", 1, {{"MACH", 0.25 * 100 / 800}}, 100},
        /* longer than the weights codes: the row that is its prefix (HTS10 on HS6) */
        {"[\"8471300000\"]", 1, {{"MACH", 0.25 * 400 / 800}}, 400},
        {"[\"8471.30.00.00\"]", 1, {{"MACH", 0.25 * 400 / 800}}, 400},
        /* overlapping codes count each row once */
        {"[8471, \"847130\", \"84713010\"]", 1, {{"MACH", 0.25 * 500 / 800}}, 500},
        /* a scalar is a one-code list; a zero-weight row is covered but weighs nothing */
        {"\"0802\"", 1, {{"AGR", 0.25 * 300 / 400}}, 300},
        {"[\"080290\", \"080810\"]", 1, {{"AGR", 0.25 * 100 / 400}}, 100},
        /* a whole sector */
        {"[\"02\", \"0203\"]", 1, {{"FOOD", 0.25}}, 400},
        {"[02, 08, 84, 85, 94]", 4,
         {{"AGR", 0.25}, {"FOOD", 0.25}, {"MACH", 0.25}, {"OMAN", 0.25}}, 2000},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        char yaml[512];
        snprintf(yaml, sizeof yaml, PACT PW "      codes: %s\n", cases[k].codes);
        tw_scenario *sc = NULL;
        tw_err err = {TW_OK, ""};
        if (read_products(yaml, &sc, &err) != TW_OK)
            fail_msg("case %zu (%s): %s", k, cases[k].codes, err.msg);
        assert_sector_values(&sc->actions[0], cases[k].n, cases[k].want);
        /* weights_scale defaults to 1: the weights are taken as US dollars */
        assert_true(sc->actions[0].covered_usd_bn == cases[k].covered_kusd / 1e9);
        tw_scenario_free(sc);
    }
    /* a cut: a negative X scales the same way */
    const char *cut = "actions:\n  - imposer: CHN\n    target: USA\n    rate: {add: -0.5}\n"
                      "    effective: 2018-07-06\n    products:\n" PW "      codes: [94]\n";
    tw_scenario *sc = NULL;
    tw_err err = {TW_OK, ""};
    assert_int_equal(read_products(cut, &sc, &err), TW_OK);
    static const struct sector_value_want want[] = {{"MACH", -0.0625}, {"OMAN", -0.5}};
    assert_sector_values(&sc->actions[0], 2, want);
    tw_scenario_free(sc);
}

struct products_error {
    const char *yaml;
    tw_status status;
    const char *expect; /* substring of the message, which starts with the scenario's path */
};

/* Errors that need the fixture files (the others are in error_cases). */
static const struct products_error products_errors[] = {
    /* codes that cover nothing */
    {PACT PW "      codes: [8471, \"0101\"]\n", TW_EPARSE,
     "t.yaml:10:21: \"codes\" of action 1: code \"0101\" covers no row of "},
    {PACT PW "      codes: [\"99\"]\n", TW_EPARSE,
     "t.yaml:10:15: \"codes\" of action 1: code \"99\" covers only rows of HS chapters 77, 98 "
     "or 99 (which map to no sector) in "},
    {PACT PW "      codes: [\"080290\"]\n", TW_EPARSE,
     "t.yaml:6:5: \"products\" of action 1 covers only rows with a zero weight in "},
    {PACT PW "      file: list-miss.csv\n      column: hts8\n", TW_EPARSE,
     "t.yaml:10:13: \"file\" of action 1: "},
    {PACT PW "      file: list-miss.csv\n      column: hts8\n", TW_EPARSE,
     "list-miss.csv:3:1: code \"0101\" covers no row of "},
    /* the list file */
    {PACT PW "      file: no-such-list.csv\n      column: hts8\n", TW_EIO,
     "t.yaml:10:13: \"file\" of action 1: "},
    {PACT PW "      file: no-such-list.csv\n      column: hts8\n", TW_EIO,
     "products/no-such-list.csv: cannot open: No such file or directory"},
    {PACT PW "      file: .\n      column: hts8\n", TW_EIO,
     "t.yaml:10:13: \"file\" of action 1: "},
    {PACT PW "      file: lists.csv\n      column: hs8\n", TW_EPARSE,
     "t.yaml:11:15: \"column\" of action 1 is \"hs8\", expected a column of "},
    {PACT PW "      file: lists.csv\n      column: hs8\n", TW_EPARSE,
     "lists.csv (its columns: hts8, list, note)"},
    {PACT PW "      file: lists.csv\n      column: hts8\n      where: {lst: 1}\n", TW_EPARSE,
     "t.yaml:12:15: column in \"where\" of action 1 is \"lst\", expected a column of "},
    {PACT PW "      file: lists.csv\n      column: hts8\n      where: {list: 3}\n", TW_EPARSE,
     "t.yaml:12:14: \"where\" of action 1 keeps no row of "},
    {PACT PW "      file: lists.csv\n      column: hts8\n      where: {list: 3}\n", TW_EPARSE,
     "lists.csv (no \"list\" equal to \"3\"), expected at least one product"},
    {PACT PW "      file: list-empty.csv\n      column: hts8\n", TW_EPARSE,
     "list-empty.csv has no rows, expected a list of HS codes"},
    {PACT PW "      file: list-bad.csv\n      column: hts8\n", TW_EPARSE,
     "list-bad.csv:3:1: \"84x1\", expected an HS code of 2 to 10 digits (dots are ignored)"},
    {PACT PW "      file: lists.csv\n      column: note\n", TW_EPARSE,
     "lists.csv:2:3: \"HTS8 under the HS6 row 020311\", expected an HS code"},
    {PACT PW "      file: weights.csv\n      column: hs6\n      where: {kusd: 400}\n", TW_OK,
     ""},
    /* the weights file */
    {PACT "      weights: no-such.csv\n      weights_code: hs6\n      weights_value: kusd\n"
          "      codes: [84]\n", TW_EIO,
     "t.yaml:7:16: \"weights\" of action 1: "},
    {PACT "      weights: lists.csv\n      weights_code: hs6\n      weights_value: kusd\n"
          "      codes: [84]\n", TW_EPARSE,
     "t.yaml:8:21: \"weights_code\" of action 1 is \"hs6\", expected a column of "},
    {PACT "      weights: weights.csv\n      weights_code: hs6\n      weights_value: usd\n"
          "      codes: [84]\n", TW_EPARSE,
     "t.yaml:9:22: \"weights_value\" of action 1 is \"usd\", expected a column of "},
    {PACT "      weights: weights.csv\n      weights_code: hs6\n      weights_value: usd\n"
          "      codes: [84]\n", TW_EPARSE,
     "weights.csv (its columns: hs6, description, kusd, kusd_negative, kusd_nan, "},
    {PACT "      weights: weights.csv\n      weights_code: hs6\n"
          "      weights_value: kusd_negative\n      codes: [84]\n", TW_EPARSE,
     "t.yaml:7:16: \"weights\" of action 1: "},
    {PACT "      weights: weights.csv\n      weights_code: hs6\n"
          "      weights_value: kusd_negative\n      codes: [84]\n", TW_EPARSE,
     "weights.csv:7:4: \"-5\" in column \"kusd_negative\", expected a trade value >= 0"},
    {PACT "      weights: weights.csv\n      weights_code: hs6\n"
          "      weights_value: kusd_nan\n      codes: [84]\n", TW_EPARSE,
     "weights.csv:8:5: \"nan\" in column \"kusd_nan\", expected a trade value >= 0"},
    {PACT "      weights: weights.csv\n      weights_code: hs6\n"
          "      weights_value: kusd_empty\n      codes: [84]\n", TW_EPARSE,
     "weights.csv:8:6: an empty cell in column \"kusd_empty\", expected a trade value >= 0"},
    {PACT "      weights: weights.csv\n      weights_code: hs6\n"
          "      weights_value: kusd_text\n      codes: [84]\n", TW_EPARSE,
     "weights.csv:8:7: \"1 000\" in column \"kusd_text\", expected a trade value >= 0"},
    {PACT "      weights: weights.csv\n      weights_code: hs6_bad\n"
          "      weights_value: kusd\n      codes: [84]\n", TW_EPARSE,
     "weights.csv:6:8: \"0808-10\", expected an HS code of 2 to 10 digits (dots are ignored) "
     "of chapters 01 to 99"},
    {PACT "      weights: weights.csv\n      weights_code: description\n"
          "      weights_value: kusd\n      codes: [84]\n", TW_EPARSE,
     "weights.csv:2:2: \"Pork carcasses, fresh\", expected an HS code"},
    /* malformed CSV is reported by the CSV reader, behind the position of the path */
    {PACT "      weights: ../us-china-2018-2019.yaml\n      weights_code: hs6\n"
          "      weights_value: kusd\n      codes: [84]\n", TW_EPARSE,
     "t.yaml:7:16: \"weights\" of action 1: "},
    /* an absolute path and a shared: path resolve too */
    {PACT "      weights: /no/such/weights.csv\n      weights_code: hs6\n"
          "      weights_value: kusd\n      codes: [84]\n", TW_EIO,
     "t.yaml:7:16: \"weights\" of action 1: /no/such/weights.csv: cannot open"},
    {PACT "      weights: \"shared:no/such.csv\"\n      weights_code: hs6\n"
          "      weights_value: kusd\n      codes: [84]\n", TW_EIO,
     "/no/such.csv: cannot open"},
};

static void test_products_errors(void **state)
{
    (void)state;
    size_t bad = 0, n = sizeof products_errors / sizeof products_errors[0];
    char name[TWTEST_PATH];
    twtest_data("scenarios/products/t.yaml", name);
    for (size_t k = 0; k < n; k++) {
        const struct products_error *e = &products_errors[k];
        tw_scenario *sc = (tw_scenario *)&sc; /* must be reset */
        tw_err err = {TW_OK, ""};
        tw_status st = read_products(e->yaml, &sc, &err);
        bool ok = st == e->status &&
                  (st == TW_OK ? sc != NULL
                               : sc == NULL && err.code == st &&
                                     strncmp(err.msg, name, strlen(name)) == 0 &&
                                     strstr(err.msg, e->expect) != NULL &&
                                     strchr(err.msg, '\n') == NULL);
        if (!ok) {
            print_error("products case %zu: status %d (wanted %d)\n  got:    %s\n  wanted: %s\n",
                        k, (int)st, (int)e->status, err.msg, e->expect);
            bad++;
        }
        if (st == TW_OK)
            tw_scenario_free(sc);
    }
    if (bad > 0)
        fail_msg("%zu of %zu products cases failed", bad, n);
}

/* The exact text of a products message (the path of the weights file is the scenario's dir). */
static void test_products_message(void **state)
{
    (void)state;
    char dir[TWTEST_PATH], want[3 * TWTEST_PATH];
    twtest_data("scenarios/products", dir);
    tw_scenario *sc = NULL;
    tw_err err = {TW_OK, ""};
    assert_int_equal(read_products(PACT PW "      codes: [8471, \"0101\"]\n", &sc, &err),
                     TW_EPARSE);
    snprintf(want, sizeof want, "%s/t.yaml:10:21: \"codes\" of action 1: code \"0101\" covers "
             "no row of %s/weights.csv, expected a code that a weights code starts with, or "
             "that starts with a weights code", dir, dir);
    assert_msg(err.msg, want);
}

/* Allocation-failure sweep of one read: of the file path when text is NULL, else of the buffer
 * text[len] (named t.yaml). Each failing allocation gives TW_ENOMEM, no scenario and "out of
 * memory"; returns the scenario of the first read that no failure reached (free it), its
 * allocation count + 1 in *count. */
static tw_scenario *read_alloc_sweep(const char *path, const char *text, size_t len, long *count)
{
    for (long n = 1;; n++) {
        tw_scenario *sc = (tw_scenario *)&sc;
        tw_err err = {TW_OK, ""};
        tw_fault_alloc_fail_at(n);
        tw_status st = text == NULL ? tw_scenario_read(path, &sc, &err)
                                    : tw_scenario_read_buf(text, len, "t.yaml", &sc, &err);
        if (twtest_alloc_done(n, st, sc, err.msg)) {
            *count = n;
            return sc;
        }
        assert_non_null(strstr(err.msg, "out of memory"));
    }
}

/* Every allocation of a products scenario (the CSV reads included) can fail cleanly. */
static void test_products_alloc_failures(void **state)
{
    (void)state;
    char path[TWTEST_PATH];
    long n;
    tw_scenario *sc = read_alloc_sweep(twtest_data("scenarios/products/lists.yaml", path), NULL,
                                       0, &n);
    assert_int_equal(tw_scenario_n_actions(sc), 3);
    assert_int_equal(sc->actions[2].n_sector_values, 2);
    tw_scenario_free(sc);
    assert_true(n > 50);
}

/* China's retaliation of 2018-04-02 against US Section 232 (128 HS8 lines: fruit, nuts, wine,
 * pork, aluminium scrap, steel pipes), weighted by China's 2017 imports from the US (thousand
 * USD): China announced about $3bn of covered trade ($2.4bn by some counts). */
static void test_products_shared_data(void **state)
{
    (void)state;
    char list[TWTEST_PATH], weights[TWTEST_PATH];
    twtest_shared("uschina/china_retaliation_232_2018-04-02_hs8.csv", list);
    twtest_shared("uschina/china_imports_from_us_2017_hs8_bjz2019.csv", weights);
    const char *yaml =
        "actions:\n"
        "  - id: CN-232\n"
        "    imposer: CHN\n"
        "    target: USA\n"
        "    products:\n"
        "      file: shared:uschina/china_retaliation_232_2018-04-02_hs8.csv\n"
        "      column: cn_hs8\n"
        "      weights: shared:uschina/china_imports_from_us_2017_hs8_bjz2019.csv\n"
        "      weights_code: cn_hs8\n"
        "      weights_value: imports_2017_kusd\n"
        "      weights_scale: 1000\n"
        "    rate: {add: 0.15}\n"
        "    effective: 2018-04-02\n";
    tw_scenario *sc = NULL;
    tw_err err = {TW_OK, ""};
    tw_status st = tw_scenario_read_buf(yaml, strlen(yaml), "cn232.yaml", &sc, &err);
    if (st != TW_OK)
        fail_msg("status %d: %s", (int)st, err.msg);
    const struct tw_action *a = &sc->actions[0];
    double food = 0.0, agr = 0.0, met = 0.0;
    for (size_t k = 0; k < a->n_sector_values; k++) {
        const struct tw_sector_value *sv = &a->sector_values[k];
        assert_true(sv->value > 0.0 && sv->value <= 0.15);
        if (strcmp(sv->sector, "FOOD") == 0)
            food = sv->value;
        else if (strcmp(sv->sector, "AGR") == 0)
            agr = sv->value;
        else if (strcmp(sv->sector, "MET") == 0)
            met = sv->value;
    }
    print_message("China 232 retaliation: %zu sectors, FOOD %.5f AGR %.5f MET %.5f, covered "
                  "$%.3fbn\n", a->n_sector_values, food, agr, met, a->covered_usd_bn);
    assert_true(food > 0.0); /* pork (02), wine (2204) */
    assert_true(agr > 0.0);  /* fruit and nuts (08) */
    assert_true(met > 0.0);  /* aluminium scrap (7602), steel pipes (73) */
    /* within a factor 2 of the announced $2.4bn-$3bn */
    assert_true(a->covered_usd_bn >= 2.4 / 2 && a->covered_usd_bn <= 3.0 * 2);
    tw_scenario_free(sc);
}

/* ---- arguments and allocation failures ------------------------------------------------ */

static void test_null_arguments(void **state)
{
    (void)state;
    tw_scenario *sc = NULL;
    tw_err err = {TW_OK, ""};
    assert_int_equal(tw_scenario_read(NULL, &sc, &err), TW_EINVAL);
    assert_int_equal(tw_scenario_read("x.yaml", NULL, &err), TW_EINVAL);
    assert_int_equal(tw_scenario_read_buf(NULL, 3, "t", &sc, &err), TW_EINVAL);
    assert_int_equal(tw_scenario_read_buf("a: 1", 4, NULL, &sc, &err), TW_EINVAL);
    tw_scenario_limits lim;
    tw_scenario_limits_init(&lim);
    lim.max_depth = 0;
    assert_int_equal(tw_scenario_read_buf_limits("a", 1, "t", &lim, &sc, &err), TW_EINVAL);
    assert_null(sc);
    /* err may be NULL; accessors accept NULL */
    assert_int_equal(tw_scenario_read_buf("x", 1, "t", &sc, NULL), TW_EPARSE);
    assert_string_equal(tw_scenario_name(NULL), "");
    assert_string_equal(tw_scenario_world(NULL), "");
    assert_string_equal(tw_scenario_description(NULL), "");
    assert_int_equal(tw_scenario_n_actions(NULL), 0);
    tw_scenario_free(NULL);
}

static void test_alloc_failures(void **state)
{
    (void)state;
    char path[TWTEST_PATH];
    twtest_data("scenarios/us-china-2018-2019.yaml", path);
    size_t len = 0;
    char *text = twtest_read_file(path, &len);
    /* Both entry points: the buffer parser, and the file reader in front of it. */
    for (int via_file = 0; via_file < 2; via_file++) {
        long n;
        tw_scenario *sc = read_alloc_sweep(path, via_file ? NULL : text, len, &n);
        assert_int_equal(tw_scenario_n_actions(sc), 6);
        tw_scenario_free(sc);
        assert_true(n > 100);
    }
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_full_example),
        cmocka_unit_test(test_other_valid_files),
        cmocka_unit_test(test_valid_buffers),
        cmocka_unit_test(test_scalar_styles),
        cmocka_unit_test(test_fuzz_regressions),
        cmocka_unit_test(test_error_table),
        cmocka_unit_test(test_message_format),
        cmocka_unit_test(test_invalid_files),
        cmocka_unit_test(test_docs_examples),
        cmocka_unit_test(test_csv_form),
        cmocka_unit_test(test_missing_file),
        cmocka_unit_test(test_limit_string),
        cmocka_unit_test(test_limit_depth),
        cmocka_unit_test(test_limit_actions),
        cmocka_unit_test(test_limit_size),
        cmocka_unit_test(test_null_arguments),
        cmocka_unit_test(test_alloc_failures),
        cmocka_unit_test(test_products_file),
        cmocka_unit_test(test_products_prefixes),
        cmocka_unit_test(test_products_errors),
        cmocka_unit_test(test_products_message),
        cmocka_unit_test(test_products_alloc_failures),
        cmocka_unit_test(test_products_shared_data),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
