/* SPDX-License-Identifier: MIT */
/*
 * src/core/scenario.h: a parsed scenario: the world it runs on, groups of countries and a
 * list of dated actions (tariffs, iceberg trade costs, productivity). io parses it from YAML
 * (docs/scenarios.md); policy resolves it against a world and runs it as a timeline.
 *
 * Codes are kept as text until resolution, so that a scenario can be parsed without its world
 * and every resolution error can still name the file, line and column where the code was
 * written (the positions are kept next to each value).
 *
 * Invariants after a successful parse: every action has kind, a finite value, effective <
 * end (end may be TW_DAY_NONE); tariff "set"/"add" values are finite (add may be negative,
 * set >= 0); trade-cost and productivity factors are > 0; lists are non-empty.
 */
#ifndef TW_CORE_SCENARIO_H
#define TW_CORE_SCENARIO_H

#include <stdbool.h>
#include <stddef.h>

#include "core/date.h"
#include "core/err.h"

/* Where a value was written in its source file (1-based; 0 when synthesised). */
struct tw_pos {
    size_t line;
    size_t col;
};

/* A list of codes as written ("all", a country/sector code, or a group name). */
struct tw_codes {
    char **code;         /* [n] owned */
    struct tw_pos *pos;  /* [n] where each code was written */
    size_t n;
};

enum tw_action_kind {
    TW_ACTION_TARIFF = 0,     /* ad-valorem tariff of imposer(s) on target(s) */
    TW_ACTION_TRADE_COST = 1, /* iceberg trade cost of shipping from target to imposer */
    TW_ACTION_PRODUCTIVITY = 2 /* Hicks-neutral productivity of imposer ("country") */
};

enum tw_rate_mode {
    TW_RATE_ADD = 0,   /* tariff: add `value` (fraction) to the rate in force */
    TW_RATE_SET = 1,   /* tariff: set the rate to `value` */
    TW_RATE_FACTOR = 2 /* trade cost / productivity: multiply by `value` (> 0) */
};

/* Per-sector values overriding the action's uniform value (a derived product-list action). */
struct tw_sector_value {
    char *sector;       /* owned sector code */
    double value;       /* same meaning and unit as the action's value */
    struct tw_pos pos;  /* where it was written */
};

struct tw_action {
    char *id;                  /* owned, may be "" */
    char *label;               /* owned, may be "" */
    enum tw_action_kind kind;
    enum tw_rate_mode mode;
    struct tw_codes imposer;   /* tariff: importers; trade_cost: importers; productivity:
                                  countries */
    struct tw_codes target;    /* tariff/trade_cost: exporters ("all" = everyone else);
                                  unused (n = 0) for productivity */
    struct tw_codes sectors;   /* "all" or sector codes; ignored where sector_values given */
    double value;              /* uniform rate (fraction) or factor */
    struct tw_sector_value *sector_values; /* [n_sector_values] owned, optional */
    size_t n_sector_values;
    tw_day effective;          /* first day in force */
    tw_day end;                /* first day no longer in force, TW_DAY_NONE = open */
    double covered_usd_bn;     /* trade covered as announced, NaN when not given */
    struct tw_pos pos;         /* where the action starts */
    bool retaliation;          /* `retaliation: true`: a partner's response, dropped by
                                  tw_scenario_drop_retaliation (--no-retaliation) */
    bool baseline;             /* `baseline: true`: a pre-existing measure, part of the
                                  reference state every wave is measured against (effective
                                  on or before start, no end); never a wave of its own */
};

struct tw_group {
    char *name;                /* owned */
    struct tw_codes members;   /* country codes (not groups) */
    struct tw_pos pos;
};

struct tw_scenario {
    char *file;                /* owned: path or name used in messages */
    char *name;                /* owned, "" when absent */
    char *description;         /* owned, "" when absent */
    char *world;               /* owned: "default" (built-in) or a bundle path (relative paths
                                  are relative to the scenario file's directory) */
    struct tw_pos world_pos;
    int deficits;              /* -1 when not given, else a tw_deficits value */
    tw_day start;              /* the pre-war baseline date (before the first action) */
    tw_day until;              /* default cumulation end, TW_DAY_NONE when not given */
    struct tw_group *groups;   /* [n_groups] owned */
    size_t n_groups;
    struct tw_action *actions; /* [n_actions] owned, in file order */
    size_t n_actions;
    char *tariff_csv;          /* owned: a foundation tariff CSV applied at `start` (new
                                  levels), NULL when absent; relative to the file's dir */
};

/* Free everything a scenario owns and the scenario itself; NULL is a no-op. */
TW_INTERNAL void tw_scenario_destroy(struct tw_scenario *sc);
/* Free what one action owns (not the action itself). */
TW_INTERNAL void tw_action_clear(struct tw_action *ac);
/* Free the contents of a code list (not the struct). */
TW_INTERNAL void tw_codes_clear(struct tw_codes *c);

#endif
