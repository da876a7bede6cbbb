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
    assert_int_equal(sc->deficits, TW_DEFICITS_DATA);
    assert_int_equal(sc->start, day("2018-01-01"));
    assert_int_equal(sc->until, day("2019-12-31"));
    assert_null(sc->tariff_csv);

    assert_int_equal(sc->n_groups, 2);
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
    assert_codes(&a->sectors, 3, (const char *const[]){"MACH", "ELEC", "TRANS"});
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
    assert_codes(&a->sectors, 3, (const char *const[]){"AGR", "TRANS", "FOOD"});
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
    assert_string_equal(sc->world, "default");
    assert_pos(sc->world_pos, 0, 0);
    assert_int_equal(sc->deficits, -1);
    assert_int_equal(sc->start, day("2018-07-05"));
    assert_int_equal(sc->until, TW_DAY_NONE);
    assert_null(sc->tariff_csv);
    assert_int_equal(sc->n_groups, 0);
    assert_int_equal(sc->n_actions, 1);
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
     "country, target, sectors, rate, effective, end, covered_usd_bn"},
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
                                 "id, label, type, imposer, country, target, sectors, rate, "
                                 "effective, end, covered_usd_bn");
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

/* Every ```yaml block of docs/scenarios.md parses, and the two complete examples there are
 * the files tests/data/scenarios/us-china-2018-2019.yaml and shocks.yaml, verbatim. */
static void test_docs_examples(void **state)
{
    (void)state;
    const char *root = getenv("TW_TEST_DATA");
    assert_non_null(root);
    char path[TWTEST_PATH], dir[TWTEST_PATH];
    twtest_join(root, "../docs/scenarios.md", path);
    char *doc = twtest_read_file(path, NULL);
    size_t n = 0;
    for (const char *s = strstr(doc, "\n```yaml\n"); s != NULL; s = strstr(s, "\n```yaml\n")) {
        s += 9;
        const char *e = strstr(s, "\n```\n");
        assert_non_null(e);
        tw_scenario *sc = NULL;
        tw_err err = {TW_OK, ""};
        if (tw_scenario_read_buf(s, (size_t)(e - s + 1), "docs/scenarios.md", &sc, &err) != TW_OK)
            fail_msg("example %zu of docs/scenarios.md: %s", n + 1, err.msg);
        tw_scenario_free(sc);
        n++;
        s = e;
    }
    assert_true(n >= 6);
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
    assert_string_equal(sc->world, "default");
    assert_string_equal(sc->tariff_csv, "new-tariffs.csv");
    assert_int_equal(sc->n_actions, 0);
    assert_int_equal(sc->n_groups, 0);
    assert_int_equal(sc->start, day("1970-01-01"));
    assert_int_equal(sc->until, TW_DAY_NONE);
    assert_int_equal(sc->deficits, -1);
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

/* A buffer that grows with repeated appends (free with free()). */
static char *repeat(const char *head, const char *unit, size_t n, const char *tail)
{
    size_t hl = strlen(head), ul = strlen(unit), tl = strlen(tail);
    char *s = malloc(hl + n * ul + tl + 1);
    assert_non_null(s);
    memcpy(s, head, hl);
    for (size_t k = 0; k < n; k++)
        memcpy(s + hl + k * ul, unit, ul);
    memcpy(s + hl + n * ul, tail, tl + 1);
    return s;
}

static void test_limit_string(void **state)
{
    (void)state;
    tw_err err = {TW_OK, ""};
    char *ok = repeat("tariff_csv: t.csv\nname: ", "x", TW_SCENARIO_MAX_STRING, "\n");
    assert_int_equal(parse_lim(ok, strlen(ok), NULL, &err), TW_OK);
    free(ok);
    char *big = repeat("tariff_csv: t.csv\nname: ", "x", TW_SCENARIO_MAX_STRING + 1, "\n");
    assert_int_equal(parse_lim(big, strlen(big), NULL, &err), TW_EPARSE);
    assert_msg(err.msg, "t.yaml:2:7: a string of 4097 bytes, expected at most 4096 "
                                 "bytes");
    free(big);
}

static void test_limit_depth(void **state)
{
    (void)state;
    tw_err err = {TW_OK, ""};
    /* The top-level mapping is level 1: 15 brackets reach the limit, 16 exceed it. */
    char *ok = repeat("tariff_csv: t.csv\nx: ", "[", TW_SCENARIO_MAX_DEPTH - 1, "\n");
    assert_int_equal(parse_lim(ok, strlen(ok), NULL, &err), TW_EPARSE);
    assert_non_null(strstr(err.msg, "invalid YAML")); /* unclosed, but not too deep */
    free(ok);
    char *deep = repeat("tariff_csv: t.csv\nx: ", "[", TW_SCENARIO_MAX_DEPTH, "\n");
    assert_int_equal(parse_lim(deep, strlen(deep), NULL, &err), TW_EPARSE);
    assert_msg(err.msg, "t.yaml:2:19: a list nested 17 deep, expected at most 16 "
                                 "levels of nesting");
    free(deep);
    /* Far deeper than libfyaml's own limit: still our message, found early. */
    char *very = repeat("a: ", "[", 100000, "");
    assert_int_equal(parse_lim(very, strlen(very), NULL, &err), TW_EPARSE);
    assert_non_null(strstr(err.msg, "nested 17 deep"));
    free(very);
}

static void test_limit_actions(void **state)
{
    (void)state;
    tw_err err = {TW_OK, ""};
    const char *unit = "- {imposer: A, target: B, rate: {add: 1}, effective: 2018-01-01}\n";
    tw_scenario_limits lim;
    tw_scenario_limits_init(&lim);
    lim.max_actions = 3;
    char *three = repeat("actions:\n", unit, 3, "");
    assert_int_equal(parse_lim(three, strlen(three), &lim, &err), TW_OK);
    free(three);
    char *four = repeat("actions:\n", unit, 4, "");
    assert_int_equal(parse_lim(four, strlen(four), &lim, &err), TW_EPARSE);
    assert_msg(err.msg, "t.yaml:5:3: 4 actions, expected at most 3");
    free(four);
    /* The default limit, with the smallest possible entries. */
    char *many = repeat("actions: [", "{},", TW_SCENARIO_MAX_ACTIONS, "{}]\n");
    assert_int_equal(parse_lim(many, strlen(many), NULL, &err), TW_EPARSE);
    assert_non_null(strstr(err.msg, "100001 actions, expected at most 100000"));
    free(many);
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
        for (n = 1;; n++) {
            tw_scenario *sc = (tw_scenario *)&sc;
            tw_err err = {TW_OK, ""};
            tw_fault_alloc_fail_at(n);
            tw_status st = via_file ? tw_scenario_read(path, &sc, &err)
                                    : tw_scenario_read_buf(text, len, "t.yaml", &sc, &err);
            int triggered = tw_fault_alloc_triggered();
            tw_fault_alloc_fail_at(0);
            if (!triggered) {
                assert_int_equal(st, TW_OK);
                assert_int_equal(tw_scenario_n_actions(sc), 6);
                tw_scenario_free(sc);
                break;
            }
            if (st != TW_ENOMEM)
                fail_msg("allocation %ld: status %d: %s", n, (int)st, err.msg);
            assert_null(sc);
            assert_non_null(strstr(err.msg, "out of memory"));
        }
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
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
