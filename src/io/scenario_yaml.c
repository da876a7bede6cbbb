/* SPDX-License-Identifier: MIT */
/*
 * src/io/scenario_yaml.c: scenario files (YAML, docs/scenarios.md) into struct tw_scenario,
 * and the public tw_scenario_* functions.
 *
 * Parsing is two steps. io/yaml.c turns the text into a small tree whose every node knows its
 * line and column (it also enforces the depth and string-length limits, rejects anchors,
 * aliases, tags and a second document, and reports malformed YAML with libfyaml's message).
 * This file then walks the tree against the schema: each mapping's keys are bound to a fixed
 * key table first (unknown and repeated keys are errors), then the values are read in a fixed
 * order, so that an action's `type` is known before its `rate` is read wherever the two are
 * written. Every message is `FILE:LINE:COL: what was found, expected what` and names the key
 * and the action (1-based, in file order).
 *
 * Scalars are text: codes, names and paths are taken verbatim, dates must be exactly
 * YYYY-MM-DD (core/date.h), numbers use the CSV reader's locale-independent grammar
 * (tw_csv_parse_double: no NaN, no infinities, no hex, no underscores). Quoting never changes
 * a value's meaning, so `NO` (Norway) is a code, not a boolean.
 *
 * A tariff action's `products` (a list of HS codes, inline or in a CSV file, and a CSV of trade
 * weights) is resolved here, at parse time, through the HS concordance (io/concord.h): the
 * action leaves the parser as an ordinary per-sector action (docs/scenarios.md, "Product
 * lists"). These two CSV files are the only files the YAML parser reads.
 *
 * A path ending in ".csv" is not YAML: tw_scenario_read turns it into a one-wave scenario
 * whose foundation tariff CSV is that file (docs/scenarios.md, "A tariff CSV as a scenario").
 *
 * References: docs/scenarios.md (the schema, the semantics, the messages and the limits).
 * Invariants: those of core/scenario.h hold for every scenario returned. While a scenario is
 * being filled, every count (n_actions, n_groups, codes.n, n_sector_values) covers only
 * zero-initialised or complete entries, so tw_scenario_destroy can free it at any point.
 */
#define _POSIX_C_SOURCE 200809L

#include "io/scenario.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/alloc.h"
#include "io/concord.h"
#include "io/csv.h"
#include "io/yaml.h"

/* The reserved country-set names: "all" (everyone, or everyone but the imposer as a target)
 * and "others" (countries named nowhere in the scenario). Groups may not use them. */
static const char *const reserved_names[2] = {"all", "others"};

struct ctx {
    const char *name;               /* file name used in messages */
    const tw_scenario_limits *lim;
    tw_err *err;
};

void tw_scenario_limits_init(tw_scenario_limits *lim)
{
    lim->max_file_size = TW_SCENARIO_MAX_FILE_SIZE;
    lim->max_actions = TW_SCENARIO_MAX_ACTIONS;
    lim->max_depth = TW_SCENARIO_MAX_DEPTH;
    lim->max_string = TW_SCENARIO_MAX_STRING;
}

/* ---- messages ------------------------------------------------------------------------- */

static tw_status vfail(const struct ctx *c, tw_status code, struct tw_pos p, const char *fmt,
                       va_list ap) TW_PRINTF(4, 0);
static tw_status fail(const struct ctx *c, struct tw_pos p, const char *fmt, ...) TW_PRINTF(3, 4);
static tw_status fail_code(const struct ctx *c, tw_status code, struct tw_pos p, const char *fmt,
                           ...) TW_PRINTF(4, 5);

/* Record `FILE:LINE:COL: <formatted text>` as an error with status `code`. */
static tw_status vfail(const struct ctx *c, tw_status code, struct tw_pos p, const char *fmt,
                       va_list ap)
{
    char msg[TW_ERR_MSG_SIZE];
    int n = vsnprintf(msg, sizeof msg, fmt, ap);
    if (n < 0)
        msg[0] = '\0';
    return tw_err_set(c->err, code, "%s:%zu:%zu: %s", c->name, p.line, p.col, msg);
}

/* Record `FILE:LINE:COL: <formatted text>` as a TW_EPARSE error. */
static tw_status fail(const struct ctx *c, struct tw_pos p, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    tw_status st = vfail(c, TW_EPARSE, p, fmt, ap);
    va_end(ap);
    return st;
}

/* As fail(), with another status (TW_EIO for a file that cannot be read). */
static tw_status fail_code(const struct ctx *c, tw_status code, struct tw_pos p, const char *fmt,
                           ...)
{
    va_list ap;
    va_start(ap, fmt);
    tw_status st = vfail(c, code, p, fmt, ap);
    va_end(ap);
    return st;
}

static tw_status oom(const struct ctx *c)
{
    return tw_err_set(c->err, TW_ENOMEM, "%s: out of memory", c->name);
}

/* Size of the buffers filled by describe(). */
#define SHOW 72

/* What a value is, for "found" in messages: a mapping, a list, an empty value or its text
 * in quotes (cut and sanitised). */
static const char *describe(const struct tw_yaml_node *v, char buf[SHOW])
{
    if (v->kind == TW_YAML_MAPPING)
        return v->n == 0 ? "an empty mapping" : "a mapping";
    if (v->kind == TW_YAML_SEQUENCE)
        return v->n == 0 ? "an empty list" : "a list";
    if (v->is_empty)
        return "an empty value";
    char cut[SHOW - 2];
    snprintf(buf, SHOW, "\"%s\"", tw_csv_excerpt(v->text, cut, sizeof cut));
    return buf;
}

static tw_status wrong_value(const struct ctx *c, const struct tw_yaml_node *v,
                             const char *where, const char *expected)
{
    char show[SHOW];
    return fail(c, v->pos, "%s is %s, expected %s", where, describe(v, show), expected);
}

/* ---- scalars -------------------------------------------------------------------------- */

static bool is_text(const struct tw_yaml_node *v)
{
    return v->kind == TW_YAML_SCALAR && !v->is_empty;
}

static bool has_control(const char *s)
{
    for (; *s != '\0'; s++)
        if ((unsigned char)*s < 0x20 || *s == 0x7f)
            return true;
    return false;
}

static tw_status dup_text(const struct ctx *c, const char *s, char **out)
{
    *out = tw_strdup(s);
    return *out != NULL ? TW_OK : oom(c);
}

/* A free-text string ("" allowed when quoted). */
static tw_status get_string(const struct ctx *c, const struct tw_yaml_node *v,
                            const char *where, char **out)
{
    if (!is_text(v))
        return wrong_value(c, v, where, "a string");
    tw_free(*out);
    *out = NULL;
    return dup_text(c, v->text, out);
}

/* A code, a group name or a path: non-empty, one line, no control characters. */
static tw_status check_code(const struct ctx *c, const struct tw_yaml_node *v,
                            const char *where, const char *expected)
{
    if (!is_text(v) || v->len == 0 || has_control(v->text))
        return wrong_value(c, v, where, expected);
    return TW_OK;
}

static tw_status get_date(const struct ctx *c, const struct tw_yaml_node *v, const char *where,
                          tw_day *out)
{
    if (!is_text(v) || !tw_day_parse(v->text, out))
        return wrong_value(c, v, where, "a calendar date YYYY-MM-DD");
    return TW_OK;
}

/* YAML's spellings of the non-finite numbers: .inf, -.inf, +.inf, .nan in three cases. */
static bool is_yaml_nonfinite(const char *s)
{
    if (*s == '+' || *s == '-')
        s++;
    static const char *const forms[] = {".inf", ".Inf", ".INF", ".nan", ".NaN", ".NAN"};
    for (size_t k = 0; k < sizeof forms / sizeof forms[0]; k++)
        if (strcmp(s, forms[k]) == 0)
            return true;
    return false;
}

static tw_status get_number(const struct ctx *c, const struct tw_yaml_node *v,
                            const char *where, double *out)
{
    if (!is_text(v))
        return wrong_value(c, v, where, "a number");
    tw_csv_num r = tw_csv_parse_double(v->text, out);
    if (r == TW_CSV_NUM_OK)
        return TW_OK;
    if (r == TW_CSV_NUM_NONFINITE || r == TW_CSV_NUM_RANGE || is_yaml_nonfinite(v->text))
        return wrong_value(c, v, where, "a finite number");
    return wrong_value(c, v, where, "a decimal number such as 0.25");
}

/* ---- key tables ----------------------------------------------------------------------- */

#define NOT_FOUND SIZE_MAX

/* "a, b, c" into buf. */
static const char *join_keys(const char *const *keys, size_t n, char *buf, size_t cap)
{
    size_t used = 0;
    buf[0] = '\0';
    for (size_t k = 0; k < n && used < cap; k++) {
        int w = snprintf(buf + used, cap - used, "%s%s", k > 0 ? ", " : "", keys[k]);
        if (w < 0)
            break;
        used += (size_t)w;
    }
    return buf;
}

/*
 * Bind the pairs of `map` to `keys`: found[i] = the pair holding keys[i], or NOT_FOUND. A key
 * outside the table or written twice is an error; `in_what` says where ("in action 3").
 */
static tw_status bind_keys(const struct ctx *c, const struct tw_yaml_node *map,
                           const char *const *keys, size_t n_keys, const char *in_what,
                           size_t *found)
{
    for (size_t i = 0; i < n_keys; i++)
        found[i] = NOT_FOUND;
    for (size_t k = 0; k < map->n; k++) {
        const struct tw_yaml_node *key = tw_yaml_key(map, k);
        size_t i = 0;
        while (i < n_keys && strcmp(keys[i], key->text) != 0)
            i++;
        char show[SHOW];
        if (i == n_keys) {
            char list[256];
            return fail(c, key->pos, "unknown key %s %s, expected one of %s",
                        describe(key, show), in_what, join_keys(keys, n_keys, list, sizeof list));
        }
        if (found[i] != NOT_FOUND)
            return fail(c, key->pos, "duplicate key %s %s (first at line %zu), expected each "
                        "key once", describe(key, show), in_what,
                        tw_yaml_key(map, found[i])->pos.line);
        found[i] = k;
    }
    return TW_OK;
}

/* ---- code lists ----------------------------------------------------------------------- */

static tw_status codes_alloc(const struct ctx *c, size_t n, struct tw_codes *out)
{
    out->code = tw_calloc(n, sizeof *out->code);
    if (out->code == NULL)
        return oom(c);
    out->pos = tw_calloc(n, sizeof *out->pos);
    if (out->pos == NULL)
        return oom(c);
    out->n = n;
    return TW_OK;
}

/* A one-element list holding `code` at `pos` (pos {0, 0} for a default). */
static tw_status codes_single(const struct ctx *c, const char *code, struct tw_pos pos,
                              struct tw_codes *out)
{
    tw_status st = codes_alloc(c, 1, out);
    if (st != TW_OK)
        return st;
    out->pos[0] = pos;
    return dup_text(c, code, &out->code[0]);
}

/* A code or a non-empty list of codes. */
static tw_status get_codes(const struct ctx *c, const struct tw_yaml_node *v, const char *where,
                           const char *expected, struct tw_codes *out)
{
    if (v->kind == TW_YAML_SCALAR) {
        tw_status st = check_code(c, v, where, expected);
        return st != TW_OK ? st : codes_single(c, v->text, v->pos, out);
    }
    if (v->kind != TW_YAML_SEQUENCE || v->n == 0)
        return wrong_value(c, v, where, expected);
    for (size_t k = 0; k < v->n; k++) {
        char item_where[128];
        snprintf(item_where, sizeof item_where, "item %zu of %s", k + 1, where);
        tw_status st = check_code(c, &v->item[k], item_where, "a code");
        if (st != TW_OK)
            return st;
    }
    tw_status st = codes_alloc(c, v->n, out);
    for (size_t k = 0; st == TW_OK && k < v->n; k++) {
        out->pos[k] = v->item[k].pos;
        st = dup_text(c, v->item[k].text, &out->code[k]);
    }
    return st;
}

/* ---- groups --------------------------------------------------------------------------- */

static int cmp_str_ptr(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static bool is_reserved(const char *s)
{
    return strcmp(s, reserved_names[0]) == 0 || strcmp(s, reserved_names[1]) == 0;
}

/* Check every group's name and members; `sorted` holds the group names in strcmp order. */
static tw_status check_groups(const struct ctx *c, const struct tw_yaml_node *map,
                              const char **sorted)
{
    for (size_t g = 0; g < map->n; g++) {
        const struct tw_yaml_node *key = tw_yaml_key(map, g), *list = tw_yaml_value(map, g);
        char show[SHOW], where[128];
        if (has_control(key->text))
            return fail(c, key->pos, "group name %s, expected a name without control "
                        "characters", describe(key, show));
        if (is_reserved(key->text))
            return fail(c, key->pos, "a group named %s, expected a name other than the "
                        "reserved \"all\" and \"others\"", describe(key, show));
        snprintf(where, sizeof where, "group %s", describe(key, show));
        if (list->kind != TW_YAML_SEQUENCE || list->n == 0)
            return wrong_value(c, list, where, "a non-empty list of country codes");
        for (size_t k = 0; k < list->n; k++) {
            const struct tw_yaml_node *m = &list->item[k];
            char item_where[160];
            snprintf(item_where, sizeof item_where, "item %zu of %s", k + 1, where);
            tw_status st = check_code(c, m, item_where, "a country code");
            if (st != TW_OK)
                return st;
            if (is_reserved(m->text) ||
                bsearch(&m->text, sorted, map->n, sizeof *sorted, cmp_str_ptr) != NULL)
                return fail(c, m->pos, "%s lists %s, %s, expected country codes only (groups "
                            "do not nest)", where, describe(m, show),
                            is_reserved(m->text) ? "a reserved name" : "which is a group");
        }
    }
    return TW_OK;
}

static tw_status parse_groups(const struct ctx *c, const struct tw_yaml_node *map,
                              struct tw_scenario *sc)
{
    if (map->kind != TW_YAML_MAPPING)
        return wrong_value(c, map, "\"groups\"", "a mapping from group names to lists of "
                           "country codes");
    bool dup;
    size_t first, again;
    tw_status st = tw_yaml_find_duplicate(map, c->name, &dup, &first, &again, c->err);
    if (st != TW_OK)
        return st;
    char show[SHOW];
    if (dup)
        return fail(c, tw_yaml_key(map, again)->pos, "duplicate group %s (first at line %zu), "
                    "expected each group name once", describe(tw_yaml_key(map, again), show),
                    tw_yaml_key(map, first)->pos.line);
    if (map->n == 0)
        return TW_OK;
    const char **sorted = tw_calloc(map->n, sizeof *sorted);
    if (sorted == NULL)
        return oom(c);
    for (size_t g = 0; g < map->n; g++)
        sorted[g] = tw_yaml_key(map, g)->text;
    qsort(sorted, map->n, sizeof *sorted, cmp_str_ptr);
    st = check_groups(c, map, sorted);
    tw_free(sorted);
    if (st != TW_OK)
        return st;
    sc->groups = tw_calloc(map->n, sizeof *sc->groups);
    if (sc->groups == NULL)
        return oom(c);
    sc->n_groups = map->n;
    for (size_t g = 0; st == TW_OK && g < map->n; g++) {
        struct tw_group *gr = &sc->groups[g];
        gr->pos = tw_yaml_key(map, g)->pos;
        st = dup_text(c, tw_yaml_key(map, g)->text, &gr->name);
        if (st == TW_OK)
            st = get_codes(c, tw_yaml_value(map, g), "group", "a list of country codes",
                           &gr->members);
    }
    return st;
}

/* ---- rates ---------------------------------------------------------------------------- */

static const char *const tariff_rate_keys[] = {"add", "set"};
static const char *const factor_rate_keys[] = {"factor"};

/* Check one rate value against its mode; `where` names it. */
static tw_status check_rate_value(const struct ctx *c, const struct tw_yaml_node *v,
                                  const char *where, enum tw_rate_mode mode, double *out)
{
    tw_status st = get_number(c, v, where, out);
    if (st != TW_OK)
        return st;
    if (mode == TW_RATE_SET && *out < 0.0)
        return wrong_value(c, v, where, "a tariff rate >= 0 (a fraction: 0.25 = 25%)");
    if (mode == TW_RATE_FACTOR && !(*out > 0.0))
        return wrong_value(c, v, where, "a factor > 0");
    return TW_OK;
}

/* Per-sector values: a mapping sector -> number, sectors unique. */
static tw_status parse_sector_values(const struct ctx *c, const struct tw_yaml_node *map,
                                     const char *where, struct tw_action *ac)
{
    char show[SHOW];
    if (map->n == 0)
        return wrong_value(c, map, where, "a number or a mapping from sector codes to numbers");
    bool dup;
    size_t first, again;
    tw_status st = tw_yaml_find_duplicate(map, c->name, &dup, &first, &again, c->err);
    if (st != TW_OK)
        return st;
    if (dup)
        return fail(c, tw_yaml_key(map, again)->pos, "duplicate sector %s in %s (first at "
                    "line %zu), expected each sector once", describe(tw_yaml_key(map, again),
                    show), where, tw_yaml_key(map, first)->pos.line);
    ac->sector_values = tw_calloc(map->n, sizeof *ac->sector_values);
    if (ac->sector_values == NULL)
        return oom(c);
    ac->n_sector_values = map->n;
    if ((st = codes_alloc(c, map->n, &ac->sectors)) != TW_OK)
        return st;
    for (size_t k = 0; k < map->n; k++) {
        const struct tw_yaml_node *key = tw_yaml_key(map, k);
        char sector_where[160];
        snprintf(sector_where, sizeof sector_where, "sector %s in %s", describe(key, show),
                 where);
        if (has_control(key->text) || is_reserved(key->text))
            return fail(c, key->pos, "%s, expected a sector code", sector_where);
        struct tw_sector_value *sv = &ac->sector_values[k];
        sv->pos = key->pos;
        ac->sectors.pos[k] = key->pos;
        if ((st = check_rate_value(c, tw_yaml_value(map, k), sector_where, ac->mode,
                                   &sv->value)) != TW_OK ||
            (st = dup_text(c, key->text, &sv->sector)) != TW_OK ||
            (st = dup_text(c, key->text, &ac->sectors.code[k])) != TW_OK)
            return st;
    }
    /* The uniform value applies to no sector: keep the mode's neutral element. */
    ac->value = ac->mode == TW_RATE_FACTOR ? 1.0 : 0.0;
    return TW_OK;
}

/* `rate` of action a; `sectors_key` is the action's "sectors" key or NULL, `products` true when
 * the action has a product list (a uniform {add: X} only). */
static tw_status parse_rate(const struct ctx *c, const struct tw_yaml_node *v, size_t a,
                            const struct tw_yaml_node *sectors_key, bool products,
                            struct tw_action *ac)
{
    bool tariff = ac->kind == TW_ACTION_TARIFF;
    const char *expected = tariff ? "a mapping {add: X} or {set: X}" : "a mapping {factor: X}";
    char where[64], in_what[80];
    snprintf(where, sizeof where, "\"rate\" of action %zu", a);
    if (v->kind != TW_YAML_MAPPING || v->n == 0)
        return wrong_value(c, v, where, expected);
    snprintf(in_what, sizeof in_what, "in \"rate\" of action %zu (type %s)", a,
             tariff ? "tariff" : ac->kind == TW_ACTION_TRADE_COST ? "trade_cost"
                                                                  : "productivity");
    const char *const *keys = tariff ? tariff_rate_keys : factor_rate_keys;
    size_t n_keys = tariff ? 2 : 1, found[2];
    tw_status st = bind_keys(c, v, keys, n_keys, in_what, found);
    if (st != TW_OK)
        return st;
    if (v->n > 1)
        return fail(c, tw_yaml_key(v, 1)->pos, "key \"%s\" after \"%s\" %s, expected exactly "
                    "one of add, set", tw_yaml_key(v, 1)->text, tw_yaml_key(v, 0)->text,
                    in_what);
    const char *mode_key = tw_yaml_key(v, 0)->text;
    ac->mode = !tariff ? TW_RATE_FACTOR : strcmp(mode_key, "add") == 0 ? TW_RATE_ADD
                                                                        : TW_RATE_SET;
    const struct tw_yaml_node *val = tw_yaml_value(v, 0);
    snprintf(where, sizeof where, "\"%s\" of action %zu", mode_key, a);
    if (products && ac->mode == TW_RATE_SET)
        return fail(c, tw_yaml_key(v, 0)->pos, "key \"set\" %s with \"products\", expected "
                    "\"add\" (a product list raises each sector's rate by its trade-weighted "
                    "share of X: write {add: X})", in_what);
    if (products && val->kind != TW_YAML_SCALAR)
        return wrong_value(c, val, where, "a number (with \"products\" the rate is uniform: "
                           "the list decides each sector's share)");
    if (val->kind == TW_YAML_SCALAR)
        return check_rate_value(c, val, where, ac->mode, &ac->value);
    if (val->kind == TW_YAML_SEQUENCE)
        return wrong_value(c, val, where, "a number or a mapping from sector codes to numbers");
    if (sectors_key != NULL)
        return fail(c, sectors_key->pos, "key \"sectors\" in action %zu with a per-sector "
                    "rate, expected no \"sectors\" (the rate mapping names the sectors)", a);
    return parse_sector_values(c, val, where, ac);
}

/* ---- product lists -------------------------------------------------------------------- */

/*
 * `products` of a tariff action: a list of HS codes (inline or a column of a CSV), weighted by
 * a CSV of trade values by product code, turned into per-sector values of the uniform {add: X}
 * through the HS concordance (io/concord.h). A listed code covers every weights row whose code
 * starts with it, and the weights row whose code is its own prefix (a longer code than the
 * weights'); sector s gets X * covered_s / total_s where covered_s > 0 (docs/scenarios.md,
 * "Product lists").
 */

enum {
    P_CODES, P_FILE, P_COLUMN, P_WHERE, P_WEIGHTS, P_WEIGHTS_CODE, P_WEIGHTS_VALUE,
    P_WEIGHTS_SCALE, N_PRODUCT_KEYS
};
static const char *const product_keys[N_PRODUCT_KEYS] = {
    "codes", "file", "column", "where", "weights", "weights_code", "weights_value",
    "weights_scale"};

/* Most digits of an HS/HTS code (national 10-digit lines). */
#define HS_MAX_DIGITS 10
#define HS_EXPECTED "an HS code of 2 to 10 digits (dots are ignored)"

/* One listed code. */
struct pcode {
    char d[HS_MAX_DIGITS + 1]; /* its digits, dots removed */
    const char *text;          /* as written (borrowed from the YAML tree or the list CSV) */
    size_t order;              /* rank in the list as written */
    struct tw_pos pos;         /* inline: where written; from a file: CSV line and column */
    bool hit;                  /* covers a weights row that maps to a sector */
    bool hit_excluded;         /* covers a weights row of HS 77, 98 or 99 */
};

/* A product list being read: the codes and where they came from. */
struct plist {
    struct pcode *code;                 /* [n] owned, sorted by (digits, order) after reading */
    size_t n;
    const struct tw_yaml_node *file;    /* the "file" value, NULL for inline codes */
    const char *file_path;              /* resolved path of the list CSV (borrowed) */
};

/* The digits of an HS code written with optional dots: 2 to HS_MAX_DIGITS digits. */
static bool hs_digits(const char *s, char out[HS_MAX_DIGITS + 1])
{
    size_t n = 0;
    for (; *s != '\0'; s++) {
        if (*s == '.')
            continue;
        if (*s < '0' || *s > '9' || n == HS_MAX_DIGITS)
            return false;
        out[n++] = *s;
    }
    out[n] = '\0';
    return n >= 2;
}

static int pcode_cmp(const void *pa, const void *pb)
{
    const struct pcode *x = pa, *y = pb;
    int r = strcmp(x->d, y->d);
    return r != 0 ? r : x->order < y->order ? -1 : x->order > y->order;
}

/* First index k of the sorted list with strcmp(code[k].d, key) >= 0. */
static size_t plist_lower(const struct plist *l, const char *key)
{
    size_t lo = 0, hi = l->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(l->code[mid].d, key) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* Mark the listed codes that cover weights code `w` (digits); true when there is one. */
static bool plist_cover(struct plist *l, const char *w, bool excluded)
{
    bool any = false;
    size_t wlen = strlen(w);
    char key[HS_MAX_DIGITS + 1];
    /* Listed codes that are a prefix of w, w itself included. */
    for (size_t k = 2; k <= wlen; k++) {
        memcpy(key, w, k);
        key[k] = '\0';
        for (size_t i = plist_lower(l, key); i < l->n && strcmp(l->code[i].d, key) == 0; i++) {
            any = true;
            if (excluded)
                l->code[i].hit_excluded = true;
            else
                l->code[i].hit = true;
        }
    }
    /* Listed codes longer than w that start with it (an HTS8 list against HS6 weights). */
    for (size_t i = plist_lower(l, w); i < l->n && strncmp(l->code[i].d, w, wlen) == 0; i++) {
        any = true;
        if (excluded)
            l->code[i].hit_excluded = true;
        else
            l->code[i].hit = true;
    }
    return any;
}

/* A products path resolved like every scenario path (tw_path_resolve, docs/scenarios.md,
 * "Paths"), relative to the scenario file. *out is new (tw_free). */
static tw_status resolve_path(const struct ctx *c, const char *p, char **out)
{
    for (size_t cap = strlen(p) + strlen(c->name) + 256;; cap *= 2) {
        *out = tw_malloc(cap);
        if (*out == NULL)
            return oom(c);
        if (tw_path_resolve(p, c->name, *out, cap))
            return TW_OK;
        tw_free(*out); /* a long $TW_SHARED_DATA: try a larger buffer */
    }
}

/* Read the CSV named by `v` (a path value, already checked) into *out; *path gets the resolved
 * path (tw_free, also on failure). Failures are reported at v: TW_EIO when the file cannot be
 * read, TW_EPARSE when it is not valid CSV. */
static tw_status read_csv(const struct ctx *c, const struct tw_yaml_node *v, const char *where,
                          char **path, tw_csv_table **out)
{
    tw_status st = resolve_path(c, v->text, path);
    if (st != TW_OK)
        return st;
    struct stat sb;
    if (stat(*path, &sb) == 0 && !S_ISREG(sb.st_mode))
        return fail_code(c, TW_EIO, v->pos, "%s: %s is not a regular file, expected a CSV file",
                         where, *path);
    st = tw_csv_read_file(*path, out, c->err);
    if (st == TW_ENOMEM)
        return oom(c);
    if (st != TW_OK)
        tw_err_prefix(c->err, "%s:%zu:%zu: %s", c->name, v->pos.line, v->pos.col, where);
    return st;
}

/* The column named by text value `v` of table t (read from `path`), into *col. */
static tw_status find_column(const struct ctx *c, const struct tw_yaml_node *v,
                             const char *where, const tw_csv_table *t, const char *path,
                             size_t *col)
{
    if (tw_csv_find_column(t, v->text, col))
        return TW_OK;
    char show[SHOW], cols[160];
    size_t used = 0;
    cols[0] = '\0';
    for (size_t k = 0; k < t->n_cols && used < sizeof cols; k++) {
        char cut[32];
        int w = snprintf(cols + used, sizeof cols - used, "%s%s", k > 0 ? ", " : "",
                         tw_csv_excerpt(tw_csv_header(t, k), cut, sizeof cut));
        if (w < 0)
            break;
        used += (size_t)w;
    }
    return fail(c, v->pos, "%s is %s, expected a column of %s (its columns: %s)", where,
                describe(v, show), path, cols);
}

/* Inline codes: a code or a non-empty list of codes. */
static tw_status read_inline_codes(const struct ctx *c, const struct tw_yaml_node *v, size_t a,
                                   struct plist *l)
{
    char where[64];
    snprintf(where, sizeof where, "\"codes\" of action %zu", a);
    bool list = v->kind == TW_YAML_SEQUENCE;
    if ((list && v->n == 0) || (!list && !is_text(v)))
        return wrong_value(c, v, where, "a non-empty list of HS codes");
    size_t n = list ? v->n : 1;
    l->code = tw_calloc(n, sizeof *l->code);
    if (l->code == NULL)
        return oom(c);
    for (size_t k = 0; k < n; k++) {
        const struct tw_yaml_node *item = list ? &v->item[k] : v;
        char item_where[96];
        snprintf(item_where, sizeof item_where, "item %zu of %s", k + 1, where);
        struct pcode *pc = &l->code[k];
        if (!is_text(item) || !hs_digits(item->text, pc->d))
            return wrong_value(c, item, list ? item_where : where, HS_EXPECTED);
        pc->text = item->text;
        pc->order = k;
        pc->pos = item->pos;
        l->n = k + 1;
    }
    return TW_OK;
}

/* Codes from column `column` of the list CSV t, keeping the rows where `where` holds. */
static tw_status read_file_codes(const struct ctx *c, const struct tw_yaml_node *p,
                                 const size_t *f, size_t a, const tw_csv_table *t,
                                 struct plist *l)
{
    const struct tw_yaml_node *file = tw_yaml_value(p, f[P_FILE]);
    char where[64];
    size_t col, wcol = 0;
    const char *want = NULL;
    snprintf(where, sizeof where, "\"column\" of action %zu", a);
    tw_status st = find_column(c, tw_yaml_value(p, f[P_COLUMN]), where, t, l->file_path, &col);
    if (st != TW_OK)
        return st;
    if (f[P_WHERE] != NOT_FOUND) {
        const struct tw_yaml_node *w = tw_yaml_value(p, f[P_WHERE]);
        snprintf(where, sizeof where, "column in \"where\" of action %zu", a);
        if ((st = find_column(c, tw_yaml_key(w, 0), where, t, l->file_path, &wcol)) != TW_OK)
            return st;
        want = tw_yaml_value(w, 0)->text;
    }
    if (t->n_rows > 0 && (l->code = tw_calloc(t->n_rows, sizeof *l->code)) == NULL)
        return oom(c);
    for (size_t r = 0; r < t->n_rows; r++) {
        if (want != NULL && strcmp(tw_csv_field(t, r, wcol), want) != 0)
            continue;
        struct pcode *pc = &l->code[l->n];
        const char *text = tw_csv_field(t, r, col);
        pc->pos = (struct tw_pos){tw_csv_line(t, r, col), col + 1};
        if (!hs_digits(text, pc->d)) {
            char cut[SHOW - 2];
            return fail(c, file->pos, "\"file\" of action %zu: %s:%zu:%zu: \"%s\", expected "
                        HS_EXPECTED, a, l->file_path, pc->pos.line, pc->pos.col,
                        tw_csv_excerpt(text, cut, sizeof cut));
        }
        pc->text = text;
        pc->order = l->n++;
    }
    if (l->n > 0)
        return TW_OK;
    if (want == NULL)
        return fail(c, file->pos, "\"file\" of action %zu: %s has no rows, expected a list of "
                    "HS codes", a, l->file_path);
    char cut[SHOW - 2];
    return fail(c, tw_yaml_value(p, f[P_WHERE])->pos, "\"where\" of action %zu keeps no row of "
                "%s (no \"%s\" equal to \"%s\"), expected at least one product", a, l->file_path,
                tw_csv_header(t, wcol), tw_csv_excerpt(want, cut, sizeof cut));
}

/* Sums of the weights by sector: all rows, and the rows the list covers. */
struct psums {
    double total[TW_CONCORD_N_SECTOR];
    double covered[TW_CONCORD_N_SECTOR];
};

/* Read the weights CSV t and cover it with the list. */
static tw_status weigh(const struct ctx *c, const struct tw_yaml_node *p, const size_t *f,
                       size_t a, const tw_csv_table *t, const char *path, struct plist *l,
                       struct psums *sum)
{
    char where[64];
    size_t ccol, vcol;
    snprintf(where, sizeof where, "\"weights_code\" of action %zu", a);
    tw_status st = find_column(c, tw_yaml_value(p, f[P_WEIGHTS_CODE]), where, t, path, &ccol);
    if (st != TW_OK)
        return st;
    snprintf(where, sizeof where, "\"weights_value\" of action %zu", a);
    if ((st = find_column(c, tw_yaml_value(p, f[P_WEIGHTS_VALUE]), where, t, path, &vcol)) !=
        TW_OK)
        return st;
    struct tw_pos at = tw_yaml_value(p, f[P_WEIGHTS])->pos;
    for (size_t r = 0; r < t->n_rows; r++) {
        const char *code = tw_csv_field(t, r, ccol), *val = tw_csv_field(t, r, vcol);
        char d[HS_MAX_DIGITS + 1], cut[SHOW - 2];
        size_t s = 0;
        enum tw_concord_match m = TW_CONCORD_UNKNOWN;
        if (hs_digits(code, d))
            m = tw_concord_hs(d, &s);
        if (m == TW_CONCORD_UNKNOWN)
            return fail(c, at, "\"weights\" of action %zu: %s:%zu:%zu: \"%s\", expected "
                        HS_EXPECTED " of chapters 01 to 99", a, path, tw_csv_line(t, r, ccol),
                        ccol + 1, tw_csv_excerpt(code, cut, sizeof cut));
        double w = 0.0;
        tw_csv_num num = tw_csv_parse_double(val, &w);
        if (num != TW_CSV_NUM_OK || w < 0.0)
            return fail(c, at, "\"weights\" of action %zu: %s:%zu:%zu: %s%s%s in column \"%s\", "
                        "expected a trade value >= 0", a, path, tw_csv_line(t, r, vcol),
                        vcol + 1, num == TW_CSV_NUM_EMPTY ? "an empty cell" : "\"",
                        num == TW_CSV_NUM_EMPTY ? "" : tw_csv_excerpt(val, cut, sizeof cut),
                        num == TW_CSV_NUM_EMPTY ? "" : "\"", tw_csv_header(t, vcol));
        bool excluded = m == TW_CONCORD_EXCLUDED;
        bool covered = plist_cover(l, d, excluded);
        if (excluded)
            continue;
        sum->total[s] += w;
        if (covered)
            sum->covered[s] += w;
    }
    return TW_OK;
}

/* Every listed code must cover a row that maps to a sector: report the first that does not. */
static tw_status check_covered(const struct ctx *c, const struct plist *l, size_t a,
                               const char *path)
{
    const struct pcode *miss = NULL;
    for (size_t k = 0; k < l->n; k++)
        if (!l->code[k].hit && (miss == NULL || l->code[k].order < miss->order))
            miss = &l->code[k];
    if (miss == NULL)
        return TW_OK;
    char cut[SHOW - 2], from[128] = "";
    struct tw_pos pos = miss->pos;
    if (l->file != NULL) {
        snprintf(from, sizeof from, "%s:%zu:%zu: ", l->file_path, pos.line, pos.col);
        pos = l->file->pos;
    }
    return fail(c, pos, "\"%s\" of action %zu: %scode \"%s\" %s %s, expected a code that a "
                "weights code starts with, or that starts with a weights code",
                l->file != NULL ? "file" : "codes", a, from,
                tw_csv_excerpt(miss->text, cut, sizeof cut),
                miss->hit_excluded ? "covers only rows of HS chapters 77, 98 or 99 (which map "
                                     "to no sector) in" : "covers no row of", path);
}

/* Keys that go together: codes or file (with column, and where); the weights keys. */
static tw_status check_product_keys(const struct ctx *c, const struct tw_yaml_node *p,
                                    size_t a, const size_t *f)
{
    if (f[P_CODES] != NOT_FOUND && f[P_FILE] != NOT_FOUND) {
        size_t later = f[P_CODES] > f[P_FILE] ? f[P_CODES] : f[P_FILE];
        return fail(c, tw_yaml_key(p, later)->pos, "key \"%s\" in \"products\" of action %zu "
                    "with \"%s\", expected either \"codes\" or \"file\"",
                    tw_yaml_key(p, later)->text, a, later == f[P_FILE] ? "codes" : "file");
    }
    static const size_t file_only[] = {P_COLUMN, P_WHERE};
    for (size_t k = 0; k < 2 && f[P_FILE] == NOT_FOUND; k++)
        if (f[file_only[k]] != NOT_FOUND)
            return fail(c, tw_yaml_key(p, f[file_only[k]])->pos, "key \"%s\" in \"products\" "
                        "of action %zu without \"file\", expected \"column\" and \"where\" "
                        "only with a \"file\"", product_keys[file_only[k]], a);
    if (f[P_CODES] == NOT_FOUND && f[P_FILE] == NOT_FOUND)
        return fail(c, p->pos, "\"products\" of action %zu: missing key \"codes\" or "
                    "\"file\", expected a list of HS codes or a CSV file of them", a);
    static const size_t req[] = {P_COLUMN, P_WEIGHTS, P_WEIGHTS_CODE, P_WEIGHTS_VALUE};
    static const char *const req_what[] = {
        "the name of the code column of \"file\"",
        "the path of a CSV of trade values by product code",
        "the name of the code column of \"weights\"",
        "the name of the trade value column of \"weights\""};
    for (size_t k = f[P_FILE] != NOT_FOUND ? 0 : 1; k < 4; k++)
        if (f[req[k]] == NOT_FOUND)
            return fail(c, p->pos, "\"products\" of action %zu: missing key \"%s\", expected "
                        "%s", a, product_keys[req[k]], req_what[k]);
    static const size_t texts[] = {P_FILE, P_COLUMN, P_WEIGHTS, P_WEIGHTS_CODE, P_WEIGHTS_VALUE};
    for (size_t k = 0; k < 5; k++) {
        if (f[texts[k]] == NOT_FOUND)
            continue;
        char where[64];
        snprintf(where, sizeof where, "\"%s\" of action %zu", product_keys[texts[k]], a);
        tw_status st = check_code(c, tw_yaml_value(p, f[texts[k]]), where,
                                  k == 0 || k == 2 ? "the path of a CSV file"
                                                   : "the name of a CSV column");
        if (st != TW_OK)
            return st;
    }
    if (f[P_WHERE] != NOT_FOUND) {
        const struct tw_yaml_node *w = tw_yaml_value(p, f[P_WHERE]);
        char where[64];
        snprintf(where, sizeof where, "\"where\" of action %zu", a);
        if (w->kind != TW_YAML_MAPPING || w->n != 1 || !is_text(tw_yaml_value(w, 0)))
            return wrong_value(c, w, where, "a mapping {COLUMN: VALUE} with one column");
    }
    return TW_OK;
}

/* Per-sector values from the sums: X * covered_s / total_s where covered_s > 0. */
static tw_status products_to_sectors(const struct ctx *c, const struct tw_yaml_node *key,
                                     size_t a, const struct psums *sum, const char *path,
                                     struct tw_action *ac, double *covered)
{
    size_t n = 0;
    *covered = 0.0;
    for (size_t s = 0; s < TW_CONCORD_N_SECTOR; s++)
        if (sum->covered[s] > 0.0) {
            n++;
            *covered += sum->covered[s];
        }
    if (n == 0)
        return fail(c, key->pos, "\"products\" of action %zu covers only rows with a zero "
                    "weight in %s, expected products with some trade", a, path);
    ac->sector_values = tw_calloc(n, sizeof *ac->sector_values);
    if (ac->sector_values == NULL)
        return oom(c);
    ac->n_sector_values = n;
    tw_status st = codes_alloc(c, n, &ac->sectors);
    const struct tw_concord_sector *sec = tw_concord_sectors();
    double x = ac->value;
    for (size_t s = 0, k = 0; st == TW_OK && s < TW_CONCORD_N_SECTOR; s++) {
        if (!(sum->covered[s] > 0.0))
            continue;
        struct tw_sector_value *sv = &ac->sector_values[k];
        sv->value = x * (sum->covered[s] / sum->total[s]);
        sv->pos = key->pos;
        ac->sectors.pos[k] = key->pos;
        if ((st = dup_text(c, sec[s].code, &sv->sector)) == TW_OK)
            st = dup_text(c, sec[s].code, &ac->sectors.code[k]);
        k++;
    }
    /* The uniform value applies to no sector: the neutral element of "add". */
    ac->value = 0.0;
    return st;
}

/*
 * `products` (key and value) of tariff action a, whose rate {add: X} is in ac->value: the
 * action's per-sector values, and *covered_usd the covered trade in US dollars (the covered
 * weights times weights_scale).
 */
static tw_status parse_products(const struct ctx *c, const struct tw_yaml_node *key,
                                const struct tw_yaml_node *p, size_t a, struct tw_action *ac,
                                double *covered_usd)
{
    char where[64], in_what[64];
    snprintf(where, sizeof where, "\"products\" of action %zu", a);
    if (p->kind != TW_YAML_MAPPING || p->n == 0)
        return wrong_value(c, p, where, "a mapping with \"codes\" (or \"file\" and "
                           "\"column\"), \"weights\", \"weights_code\" and \"weights_value\"");
    snprintf(in_what, sizeof in_what, "in \"products\" of action %zu", a);
    size_t f[N_PRODUCT_KEYS];
    tw_status st = bind_keys(c, p, product_keys, N_PRODUCT_KEYS, in_what, f);
    if (st == TW_OK)
        st = check_product_keys(c, p, a, f);
    if (st != TW_OK)
        return st;
    double scale = 1.0;
    if (f[P_WEIGHTS_SCALE] != NOT_FOUND) {
        const struct tw_yaml_node *v = tw_yaml_value(p, f[P_WEIGHTS_SCALE]);
        snprintf(where, sizeof where, "\"weights_scale\" of action %zu", a);
        if ((st = get_number(c, v, where, &scale)) != TW_OK)
            return st;
        if (!(scale > 0.0))
            return wrong_value(c, v, where, "a number > 0 (US dollars per unit of the weights)");
    }
    struct plist l = {NULL, 0, NULL, NULL};
    tw_csv_table *list_t = NULL, *weights_t = NULL;
    char *list_path = NULL, *weights_path = NULL;
    struct psums sum;
    memset(&sum, 0, sizeof sum);
    if (f[P_CODES] != NOT_FOUND) {
        st = read_inline_codes(c, tw_yaml_value(p, f[P_CODES]), a, &l);
    } else {
        l.file = tw_yaml_value(p, f[P_FILE]);
        snprintf(where, sizeof where, "\"file\" of action %zu", a);
        st = read_csv(c, l.file, where, &list_path, &list_t);
        l.file_path = list_path;
        if (st == TW_OK)
            st = read_file_codes(c, p, f, a, list_t, &l);
    }
    if (st != TW_OK)
        goto done;
    qsort(l.code, l.n, sizeof *l.code, pcode_cmp);
    snprintf(where, sizeof where, "\"weights\" of action %zu", a);
    st = read_csv(c, tw_yaml_value(p, f[P_WEIGHTS]), where, &weights_path, &weights_t);
    if (st == TW_OK)
        st = weigh(c, p, f, a, weights_t, weights_path, &l, &sum);
    if (st == TW_OK)
        st = check_covered(c, &l, a, weights_path);
    if (st == TW_OK)
        st = products_to_sectors(c, key, a, &sum, weights_path, ac, covered_usd);
    if (st == TW_OK)
        *covered_usd *= scale;
done:
    tw_free(l.code);
    tw_csv_free(list_t);
    tw_csv_free(weights_t);
    tw_free(list_path);
    tw_free(weights_path);
    return st;
}

/* ---- actions -------------------------------------------------------------------------- */

enum {
    K_ID, K_LABEL, K_TYPE, K_IMPOSER, K_COUNTRY, K_TARGET, K_SECTORS, K_PRODUCTS, K_RATE,
    K_EFFECTIVE, K_END, K_COVERED, K_RETALIATION, K_BASELINE, N_ACTION_KEYS
};
static const char *const action_keys[N_ACTION_KEYS] = {
    "id", "label", "type", "imposer", "country", "target", "sectors", "products", "rate",
    "effective", "end", "covered_usd_bn", "retaliation", "baseline"};

#define COUNTRIES_EXPECTED "a country code, a group name, \"all\", \"others\" or a list of those"
#define SECTORS_EXPECTED "\"all\", a sector code or a list of sector codes"

static const char *kind_name(enum tw_action_kind kind)
{
    return kind == TW_ACTION_TARIFF ? "tariff" : kind == TW_ACTION_TRADE_COST ? "trade_cost"
                                                                              : "productivity";
}

/* What a missing required key should have held. */
static const char *key_expectation(size_t key)
{
    switch (key) {
    case K_IMPOSER:
    case K_COUNTRY:
    case K_TARGET: return COUNTRIES_EXPECTED;
    case K_RATE: return "a rate mapping such as {add: 0.25} or {factor: 1.1}";
    default: return "a calendar date YYYY-MM-DD";
    }
}

/* The type, then keys that belong to another type, then required keys. */
static tw_status check_action_keys(const struct ctx *c, const struct tw_yaml_node *v, size_t a,
                                   const size_t *f, struct tw_action *ac)
{
    if (f[K_TYPE] != NOT_FOUND) {
        const struct tw_yaml_node *t = tw_yaml_value(v, f[K_TYPE]);
        char where[64];
        snprintf(where, sizeof where, "\"type\" of action %zu", a);
        if (is_text(t) && strcmp(t->text, "tariff") == 0)
            ac->kind = TW_ACTION_TARIFF;
        else if (is_text(t) && strcmp(t->text, "trade_cost") == 0)
            ac->kind = TW_ACTION_TRADE_COST;
        else if (is_text(t) && strcmp(t->text, "productivity") == 0)
            ac->kind = TW_ACTION_PRODUCTIVITY;
        else
            return wrong_value(c, t, where, "tariff, trade_cost or productivity");
    }
    bool prod = ac->kind == TW_ACTION_PRODUCTIVITY;
    static const size_t wrong_prod[] = {K_IMPOSER, K_TARGET}, wrong_other[] = {K_COUNTRY};
    const size_t *wrong = prod ? wrong_prod : wrong_other;
    for (size_t k = 0; k < (prod ? 2u : 1u); k++)
        if (f[wrong[k]] != NOT_FOUND)
            return fail(c, tw_yaml_key(v, f[wrong[k]])->pos, "key \"%s\" in action %zu (type "
                        "%s), expected %s", action_keys[wrong[k]], a, kind_name(ac->kind),
                        prod ? "\"country\" (productivity actions have no imposer or target)"
                             : "\"imposer\" and \"target\" (\"country\" is for productivity "
                               "actions)");
    if (f[K_PRODUCTS] != NOT_FOUND && ac->kind != TW_ACTION_TARIFF)
        return fail(c, tw_yaml_key(v, f[K_PRODUCTS])->pos, "key \"products\" in action %zu "
                    "(type %s), expected a tariff action (product lists are tariffs only)", a,
                    kind_name(ac->kind));
    if (f[K_PRODUCTS] != NOT_FOUND && f[K_SECTORS] != NOT_FOUND)
        return fail(c, tw_yaml_key(v, f[K_SECTORS])->pos, "key \"sectors\" in action %zu with "
                    "\"products\", expected no \"sectors\" (the product list decides the "
                    "sectors)", a);
    static const size_t req_prod[] = {K_COUNTRY, K_RATE, K_EFFECTIVE},
                        req_other[] = {K_IMPOSER, K_TARGET, K_RATE, K_EFFECTIVE};
    const size_t *req = prod ? req_prod : req_other;
    for (size_t k = 0; k < (prod ? 3u : 4u); k++)
        if (f[req[k]] == NOT_FOUND)
            return fail(c, v->pos, "action %zu (line %zu): missing key \"%s\", expected %s", a,
                        v->pos.line, action_keys[req[k]], key_expectation(req[k]));
    return TW_OK;
}

/* Dates and the announced coverage. */
static tw_status parse_action_dates(const struct ctx *c, const struct tw_yaml_node *v, size_t a,
                                    const size_t *f, struct tw_action *ac)
{
    char where[64];
    snprintf(where, sizeof where, "\"effective\" of action %zu", a);
    tw_status st = get_date(c, tw_yaml_value(v, f[K_EFFECTIVE]), where, &ac->effective);
    if (st != TW_OK)
        return st;
    ac->end = TW_DAY_NONE;
    if (f[K_END] != NOT_FOUND) {
        const struct tw_yaml_node *e = tw_yaml_value(v, f[K_END]);
        snprintf(where, sizeof where, "\"end\" of action %zu", a);
        if ((st = get_date(c, e, where, &ac->end)) != TW_OK)
            return st;
        if (ac->end <= ac->effective) {
            char eff[16];
            tw_day_format(ac->effective, eff);
            return fail(c, e->pos, "%s is %s, expected a date after \"effective\" (%s)", where,
                        e->text, eff);
        }
    }
    ac->covered_usd_bn = (double)NAN;
    if (f[K_COVERED] != NOT_FOUND) {
        const struct tw_yaml_node *cv = tw_yaml_value(v, f[K_COVERED]);
        snprintf(where, sizeof where, "\"covered_usd_bn\" of action %zu", a);
        if ((st = get_number(c, cv, where, &ac->covered_usd_bn)) != TW_OK)
            return st;
        if (ac->covered_usd_bn < 0.0)
            return wrong_value(c, cv, where, "a number >= 0 (billions of US dollars)");
    }
    return TW_OK;
}

/* A flag: true or false (YAML 1.2 core spelling, lower case only). */
static tw_status get_flag(const struct ctx *c, const struct tw_yaml_node *v, const char *where,
                          bool *out)
{
    if (is_text(v) && strcmp(v->text, "true") == 0)
        *out = true;
    else if (is_text(v) && strcmp(v->text, "false") == 0)
        *out = false;
    else
        return wrong_value(c, v, where, "true or false");
    return TW_OK;
}

/* retaliation and baseline: flags; a baseline action is a tariff with no end. */
static tw_status parse_action_flags(const struct ctx *c, const struct tw_yaml_node *v, size_t a,
                                    const size_t *f, struct tw_action *ac)
{
    char where[64];
    tw_status st = TW_OK;
    if (f[K_RETALIATION] != NOT_FOUND) {
        snprintf(where, sizeof where, "\"retaliation\" of action %zu", a);
        st = get_flag(c, tw_yaml_value(v, f[K_RETALIATION]), where, &ac->retaliation);
    }
    if (st == TW_OK && f[K_BASELINE] != NOT_FOUND) {
        snprintf(where, sizeof where, "\"baseline\" of action %zu", a);
        st = get_flag(c, tw_yaml_value(v, f[K_BASELINE]), where, &ac->baseline);
    }
    if (st != TW_OK || !ac->baseline)
        return st;
    if (ac->kind != TW_ACTION_TARIFF)
        return fail(c, tw_yaml_key(v, f[K_BASELINE])->pos, "key \"baseline\" in action %zu "
                    "(type %s), expected a tariff action (only tariffs can be pre-existing)", a,
                    kind_name(ac->kind));
    if (f[K_END] != NOT_FOUND)
        return fail(c, tw_yaml_key(v, f[K_END])->pos, "key \"end\" in baseline action %zu, "
                    "expected no \"end\" (a baseline action is in force throughout)", a);
    if (ac->retaliation)
        return fail(c, tw_yaml_key(v, f[K_BASELINE])->pos, "action %zu is both \"baseline\" "
                    "and \"retaliation\", expected at most one of them", a);
    return TW_OK;
}

/* Action number a (1-based) into *ac (zeroed). */
static tw_status parse_action(const struct ctx *c, const struct tw_yaml_node *v, size_t a,
                              struct tw_action *ac)
{
    char where[64], in_what[32];
    snprintf(where, sizeof where, "action %zu", a);
    if (v->kind != TW_YAML_MAPPING || v->n == 0)
        return wrong_value(c, v, where, "a mapping with keys imposer, target, rate, "
                           "effective, ...");
    ac->pos = v->pos;
    snprintf(in_what, sizeof in_what, "in action %zu", a);
    size_t f[N_ACTION_KEYS];
    tw_status st = bind_keys(c, v, action_keys, N_ACTION_KEYS, in_what, f);
    if (st == TW_OK)
        st = check_action_keys(c, v, a, f, ac);
    if (st != TW_OK)
        return st;
    ac->id = tw_strdup("");
    ac->label = tw_strdup("");
    if (ac->id == NULL || ac->label == NULL)
        return oom(c);
    static const size_t texts[] = {K_ID, K_LABEL};
    for (size_t k = 0; k < 2; k++) {
        if (f[texts[k]] == NOT_FOUND)
            continue;
        snprintf(where, sizeof where, "\"%s\" of action %zu", action_keys[texts[k]], a);
        if ((st = get_string(c, tw_yaml_value(v, f[texts[k]]), where,
                             texts[k] == K_ID ? &ac->id : &ac->label)) != TW_OK)
            return st;
    }
    size_t who = ac->kind == TW_ACTION_PRODUCTIVITY ? K_COUNTRY : K_IMPOSER;
    snprintf(where, sizeof where, "\"%s\" of action %zu", action_keys[who], a);
    if ((st = get_codes(c, tw_yaml_value(v, f[who]), where, COUNTRIES_EXPECTED,
                        &ac->imposer)) != TW_OK)
        return st;
    if (ac->kind != TW_ACTION_PRODUCTIVITY) {
        snprintf(where, sizeof where, "\"target\" of action %zu", a);
        if ((st = get_codes(c, tw_yaml_value(v, f[K_TARGET]), where, COUNTRIES_EXPECTED,
                            &ac->target)) != TW_OK)
            return st;
    }
    const struct tw_yaml_node *sectors_key =
        f[K_SECTORS] != NOT_FOUND ? tw_yaml_key(v, f[K_SECTORS]) : NULL;
    bool products = f[K_PRODUCTS] != NOT_FOUND;
    if ((st = parse_rate(c, tw_yaml_value(v, f[K_RATE]), a, sectors_key, products, ac)) !=
        TW_OK)
        return st;
    if (ac->n_sector_values == 0 && !products) {
        struct tw_pos none = {0, 0};
        snprintf(where, sizeof where, "\"sectors\" of action %zu", a);
        st = sectors_key != NULL ? get_codes(c, tw_yaml_value(v, f[K_SECTORS]), where,
                                             SECTORS_EXPECTED, &ac->sectors)
                                 : codes_single(c, "all", none, &ac->sectors);
        if (st != TW_OK)
            return st;
    }
    if ((st = parse_action_dates(c, v, a, f, ac)) != TW_OK ||
        (st = parse_action_flags(c, v, a, f, ac)) != TW_OK || !products)
        return st;
    /* Last, as it reads files: every cheaper check has passed. */
    double covered_usd = 0.0;
    if ((st = parse_products(c, tw_yaml_key(v, f[K_PRODUCTS]), tw_yaml_value(v, f[K_PRODUCTS]),
                             a, ac, &covered_usd)) != TW_OK)
        return st;
    if (isnan(ac->covered_usd_bn))
        ac->covered_usd_bn = covered_usd / 1e9;
    return TW_OK;
}

/* Position of a non-empty id of action a, for the duplicate-id check. */
struct id_ref {
    const char *id;
    size_t a;           /* 1-based action number */
    struct tw_pos pos;  /* where the id is written */
};

static int id_ref_cmp(const void *pa, const void *pb)
{
    const struct id_ref *x = pa, *y = pb;
    int r = strcmp(x->id, y->id);
    return r != 0 ? r : x->a < y->a ? -1 : x->a > y->a;
}

/* Non-empty action ids must be unique; report the earliest repetition in file order. */
static tw_status check_ids(const struct ctx *c, const struct tw_yaml_node *list,
                           const struct tw_scenario *sc)
{
    if (sc->n_actions < 2)
        return TW_OK;
    struct id_ref *ref = tw_calloc(sc->n_actions, sizeof *ref);
    if (ref == NULL)
        return oom(c);
    size_t n = 0;
    for (size_t a = 0; a < sc->n_actions; a++) {
        if (sc->actions[a].id[0] == '\0')
            continue;
        const struct tw_yaml_node *v = &list->item[a];
        size_t k = 0;
        while (strcmp(tw_yaml_key(v, k)->text, "id") != 0)
            k++;
        ref[n++] = (struct id_ref){sc->actions[a].id, a + 1, tw_yaml_value(v, k)->pos};
    }
    qsort(ref, n, sizeof *ref, id_ref_cmp);
    size_t best = NOT_FOUND;
    for (size_t r = 1; r < n; r++)
        if (strcmp(ref[r - 1].id, ref[r].id) == 0 &&
            (r < 2 || strcmp(ref[r - 2].id, ref[r].id) != 0) &&
            (best == NOT_FOUND || ref[r].a < ref[best].a))
            best = r;
    tw_status st = TW_OK;
    if (best != NOT_FOUND) {
        char show[SHOW - 2];
        st = fail(c, ref[best].pos, "duplicate id \"%s\" in action %zu (first in action %zu, "
                  "line %zu), expected unique action ids",
                  tw_csv_excerpt(ref[best].id, show, sizeof show), ref[best].a,
                  ref[best - 1].a, ref[best - 1].pos.line);
    }
    tw_free(ref);
    return st;
}

static tw_status parse_actions(const struct ctx *c, const struct tw_yaml_node *list,
                               struct tw_scenario *sc)
{
    if (list->kind != TW_YAML_SEQUENCE)
        return wrong_value(c, list, "\"actions\"", "a list of actions");
    if (list->n > c->lim->max_actions)
        return fail(c, list->item[c->lim->max_actions].pos, "%zu actions, expected at most %zu",
                    list->n, c->lim->max_actions);
    if (list->n == 0)
        return TW_OK;
    sc->actions = tw_calloc(list->n, sizeof *sc->actions);
    if (sc->actions == NULL)
        return oom(c);
    sc->n_actions = list->n;
    for (size_t a = 0; a < list->n; a++) {
        tw_status st = parse_action(c, &list->item[a], a + 1, &sc->actions[a]);
        if (st != TW_OK)
            return st;
    }
    return check_ids(c, list, sc);
}

/* ---- the top level -------------------------------------------------------------------- */

enum {
    T_NAME, T_DESCRIPTION, T_WORLD, T_DEFICITS, T_START, T_UNTIL, T_TARIFF_CSV, T_GROUPS,
    T_ACTIONS, N_TOP_KEYS
};
static const char *const top_keys[N_TOP_KEYS] = {
    "name", "description", "world", "deficits", "start", "until", "tariff_csv", "groups",
    "actions"};

/* start (given or defaulted) against the actions, and until against start. */
static tw_status check_dates(const struct ctx *c, const struct tw_yaml_node *root,
                             const size_t *f, struct tw_scenario *sc)
{
    size_t first = NOT_FOUND;
    for (size_t a = 0; a < sc->n_actions; a++)
        if (!sc->actions[a].baseline &&
            (first == NOT_FOUND || sc->actions[a].effective < sc->actions[first].effective))
            first = a;
    char d1[16], d2[16];
    if (f[T_START] == NOT_FOUND)
        sc->start = first == NOT_FOUND ? 0 : sc->actions[first].effective - 1;
    else if (first != NOT_FOUND && sc->start >= sc->actions[first].effective) {
        tw_day_format(sc->start, d1);
        tw_day_format(sc->actions[first].effective, d2);
        return fail(c, tw_yaml_value(root, f[T_START])->pos, "\"start\" is %s, expected a date "
                    "before the earliest effective date %s (action %zu, line %zu)", d1, d2,
                    first + 1, sc->actions[first].pos.line);
    }
    for (size_t a = 0; a < sc->n_actions; a++)
        if (sc->actions[a].baseline && sc->actions[a].effective > sc->start) {
            tw_day_format(sc->actions[a].effective, d1);
            tw_day_format(sc->start, d2);
            return fail(c, sc->actions[a].pos, "baseline action %zu takes effect on %s, "
                        "expected a date on or before the start %s (a baseline action is in "
                        "force before the first wave)", a + 1, d1, d2);
        }
    if (sc->until != TW_DAY_NONE && sc->until <= sc->start) {
        tw_day_format(sc->until, d1);
        tw_day_format(sc->start, d2);
        return fail(c, tw_yaml_value(root, f[T_UNTIL])->pos, "\"until\" is %s, expected a date "
                    "after the start %s", d1, d2);
    }
    return TW_OK;
}

/* name, description, world, deficits, start, until, tariff_csv. */
static tw_status parse_header(const struct ctx *c, const struct tw_yaml_node *root,
                              const size_t *f, struct tw_scenario *sc)
{
    tw_status st = TW_OK;
    if (f[T_NAME] != NOT_FOUND)
        st = get_string(c, tw_yaml_value(root, f[T_NAME]), "\"name\"", &sc->name);
    if (st == TW_OK && f[T_DESCRIPTION] != NOT_FOUND)
        st = get_string(c, tw_yaml_value(root, f[T_DESCRIPTION]), "\"description\"",
                        &sc->description);
    if (st == TW_OK && f[T_WORLD] != NOT_FOUND) {
        const struct tw_yaml_node *w = tw_yaml_value(root, f[T_WORLD]);
        st = check_code(c, w, "\"world\"", "\"default\" or the path of a world bundle");
        if (st == TW_OK && (st = get_string(c, w, "\"world\"", &sc->world)) == TW_OK)
            sc->world_pos = w->pos;
    }
    if (st == TW_OK && f[T_DEFICITS] != NOT_FOUND) {
        const struct tw_yaml_node *d = tw_yaml_value(root, f[T_DEFICITS]);
        if (is_text(d) && strcmp(d->text, "data") == 0)
            sc->deficits = TW_DEFICITS_DATA;
        else if (is_text(d) && strcmp(d->text, "zero") == 0)
            sc->deficits = TW_DEFICITS_ZERO;
        else
            st = wrong_value(c, d, "\"deficits\"", "data or zero");
    }
    if (st == TW_OK && f[T_START] != NOT_FOUND)
        st = get_date(c, tw_yaml_value(root, f[T_START]), "\"start\"", &sc->start);
    if (st == TW_OK && f[T_UNTIL] != NOT_FOUND)
        st = get_date(c, tw_yaml_value(root, f[T_UNTIL]), "\"until\"", &sc->until);
    if (st == TW_OK && f[T_TARIFF_CSV] != NOT_FOUND) {
        const struct tw_yaml_node *t = tw_yaml_value(root, f[T_TARIFF_CSV]);
        st = check_code(c, t, "\"tariff_csv\"", "the path of a tariff CSV file");
        if (st == TW_OK)
            st = get_string(c, t, "\"tariff_csv\"", &sc->tariff_csv);
    }
    return st;
}

static tw_status parse_root(const struct ctx *c, const struct tw_yaml_node *root,
                            struct tw_scenario *sc)
{
    struct tw_pos origin = {1, 1};
    if (root == NULL || (root->kind == TW_YAML_SCALAR && root->is_empty))
        return fail(c, root != NULL ? root->pos : origin, "an empty document, expected a "
                    "mapping with an \"actions\" list");
    if (root->kind != TW_YAML_MAPPING)
        return wrong_value(c, root, "the document", "a mapping of scenario keys (name, world, "
                           "actions, ...)");
    size_t f[N_TOP_KEYS];
    tw_status st = bind_keys(c, root, top_keys, N_TOP_KEYS, "at the top level", f);
    if (st == TW_OK)
        st = parse_header(c, root, f, sc);
    if (st == TW_OK && f[T_GROUPS] != NOT_FOUND)
        st = parse_groups(c, tw_yaml_value(root, f[T_GROUPS]), sc);
    if (st == TW_OK && f[T_ACTIONS] != NOT_FOUND)
        st = parse_actions(c, tw_yaml_value(root, f[T_ACTIONS]), sc);
    if (st != TW_OK)
        return st;
    if (sc->n_actions == 0 && sc->tariff_csv == NULL) {
        if (f[T_ACTIONS] == NOT_FOUND)
            return fail(c, root->pos, "no key \"actions\", expected a list of actions (or a "
                        "\"tariff_csv\")");
        return fail(c, tw_yaml_value(root, f[T_ACTIONS])->pos, "an empty \"actions\" list, "
                    "expected at least one action (or a \"tariff_csv\")");
    }
    return check_dates(c, root, f, sc);
}

/* ---- entry points --------------------------------------------------------------------- */

/* A scenario with every default filled in (no actions, no groups). */
static tw_status scenario_new(const struct ctx *c, struct tw_scenario **out)
{
    struct tw_scenario *sc = tw_calloc(1, sizeof *sc);
    *out = sc;
    if (sc == NULL)
        return oom(c);
    sc->deficits = -1;
    sc->start = 0;
    sc->until = TW_DAY_NONE;
    sc->file = tw_strdup(c->name);
    sc->name = tw_strdup("");
    sc->description = tw_strdup("");
    sc->world = tw_strdup("default");
    if (sc->file == NULL || sc->name == NULL || sc->description == NULL || sc->world == NULL)
        return oom(c);
    return TW_OK;
}

static bool limits_valid(const tw_scenario_limits *lim)
{
    return lim->max_file_size >= 1 && lim->max_actions >= 1 && lim->max_depth >= 1 &&
           lim->max_string >= 1;
}

tw_status tw_scenario_read_buf_limits(const char *buf, size_t len, const char *name,
                                      const tw_scenario_limits *lim, struct tw_scenario **out,
                                      tw_err *err)
{
    if (out == NULL)
        return tw_err_set(err, TW_EINVAL, "scenario: out is NULL");
    *out = NULL;
    tw_scenario_limits defaults;
    if (lim == NULL) {
        tw_scenario_limits_init(&defaults);
        lim = &defaults;
    }
    if ((buf == NULL && len > 0) || name == NULL || !limits_valid(lim))
        return tw_err_set(err, TW_EINVAL, "scenario: buffer, name and limits >= 1 are "
                          "required");
    if (len > lim->max_file_size)
        return tw_err_set(err, TW_EIO, "%s: %zu bytes, larger than the limit of %zu bytes "
                          "(TW_SCENARIO_MAX_FILE_SIZE)", name, len, lim->max_file_size);
    struct ctx c = {name, lim, err};
    struct tw_yaml_limits ylim = {lim->max_depth, lim->max_string};
    struct tw_yaml_node *root = NULL;
    struct tw_scenario *sc = NULL;
    tw_status st = tw_yaml_parse(buf, len, name, &ylim, &root, err);
    if (st == TW_OK)
        st = scenario_new(&c, &sc);
    if (st == TW_OK)
        st = parse_root(&c, root, sc);
    tw_yaml_free(root);
    if (st != TW_OK) {
        tw_scenario_destroy(sc);
        return st;
    }
    *out = sc;
    return TW_OK;
}

tw_status tw_scenario_read_buf(const char *buf, size_t len, const char *name,
                               tw_scenario **out, tw_err *err)
{
    return tw_scenario_read_buf_limits(buf, len, name, NULL, out, err);
}

/* An errno value as text, thread-safely (XSI strerror_r). */
static const char *errno_text(int e, char *buf, size_t cap)
{
    if (strerror_r(e, buf, cap) != 0)
        snprintf(buf, cap, "error %d", e);
    return buf;
}

/* Open `path` for reading, refusing directories. */
static tw_status open_file(const char *path, int *fd, struct stat *sb, tw_err *err)
{
    char msg[128];
    *fd = open(path, O_RDONLY | O_CLOEXEC);
    if (*fd < 0)
        return tw_err_set(err, TW_EIO, "%s: cannot open: %s", path,
                          errno_text(errno, msg, sizeof msg));
    tw_status st = TW_OK;
    if (fstat(*fd, sb) != 0)
        st = tw_err_set(err, TW_EIO, "%s: cannot stat: %s", path,
                        errno_text(errno, msg, sizeof msg));
    else if (S_ISDIR(sb->st_mode))
        st = tw_err_set(err, TW_EIO, "%s: is a directory, expected a scenario file", path);
    if (st != TW_OK) {
        close(*fd);
        *fd = -1;
    }
    return st;
}

/* The whole file into a new buffer (tw_free), at most `max` bytes. */
static tw_status read_file(const char *path, size_t max, char **out, size_t *out_len,
                           tw_err *err)
{
    int fd;
    struct stat sb;
    tw_status st = open_file(path, &fd, &sb, err);
    if (st != TW_OK)
        return st;
    if (S_ISREG(sb.st_mode) && (uintmax_t)sb.st_size > max) {
        close(fd);
        return tw_err_set(err, TW_EIO, "%s: larger than the limit of %zu bytes "
                          "(TW_SCENARIO_MAX_FILE_SIZE)", path, max);
    }
    /* Room for the whole file and one byte more, which is how growth past `max` shows. */
    size_t hint = S_ISREG(sb.st_mode) && sb.st_size > 0 && (uintmax_t)sb.st_size <= max
                      ? (size_t)sb.st_size : 4096;
    size_t cap = (hint < max ? hint : max) + 1, used = 0;
    char *buf = tw_malloc(cap);
    char msg[128];
    if (buf == NULL) {
        st = tw_err_set(err, TW_ENOMEM, "%s: out of memory", path);
        goto done;
    }
    for (;;) {
        if (used == cap) {
            size_t ncap = cap > max / 2 ? max + 1 : 2 * cap;
            char *grown = tw_malloc(ncap);
            if (grown == NULL) {
                st = tw_err_set(err, TW_ENOMEM, "%s: out of memory", path);
                goto done;
            }
            memcpy(grown, buf, used);
            tw_free(buf);
            buf = grown;
            cap = ncap;
        }
        ssize_t got = read(fd, buf + used, cap - used);
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0) {
            st = tw_err_set(err, TW_EIO, "%s: cannot read: %s", path,
                            errno_text(errno, msg, sizeof msg));
            goto done;
        }
        if (got == 0)
            break;
        used += (size_t)got;
        if (used > max) {
            st = tw_err_set(err, TW_EIO, "%s: larger than the limit of %zu bytes "
                            "(TW_SCENARIO_MAX_FILE_SIZE)", path, max);
            goto done;
        }
    }
done:
    close(fd);
    if (st != TW_OK) {
        tw_free(buf);
        return st;
    }
    *out = buf;
    *out_len = used;
    return TW_OK;
}

static bool has_csv_suffix(const char *path)
{
    size_t n = strlen(path);
    if (n < 4 || path[n - 4] != '.')
        return false;
    const char *ext = path + n - 3;
    return (ext[0] == 'c' || ext[0] == 'C') && (ext[1] == 's' || ext[1] == 'S') &&
           (ext[2] == 'v' || ext[2] == 'V');
}

/* A tariff CSV read as a scenario: one foundation wave at 1970-01-01 on the built-in world.
 * The file is only checked to be readable here; it is parsed when the scenario is run.
 * tariff_csv is the file's own name, which resolves against the file's directory (the rule
 * for every relative path in a scenario) to the file itself. */
static tw_status read_csv_form(const char *path, struct tw_scenario **out, tw_err *err)
{
    int fd;
    struct stat sb;
    tw_status st = open_file(path, &fd, &sb, err);
    if (st != TW_OK)
        return st;
    close(fd);
    tw_scenario_limits lim;
    tw_scenario_limits_init(&lim);
    struct ctx c = {path, &lim, err};
    struct tw_scenario *sc = NULL;
    st = scenario_new(&c, &sc);
    if (st == TW_OK) {
        const char *base = strrchr(path, '/');
        st = dup_text(&c, base != NULL ? base + 1 : path, &sc->tariff_csv);
    }
    if (st != TW_OK) {
        tw_scenario_destroy(sc);
        return st;
    }
    *out = sc;
    return TW_OK;
}

tw_status tw_scenario_read(const char *path, tw_scenario **out, tw_err *err)
{
    if (out == NULL)
        return tw_err_set(err, TW_EINVAL, "scenario: out is NULL");
    *out = NULL;
    if (path == NULL)
        return tw_err_set(err, TW_EINVAL, "scenario: path is NULL");
    if (has_csv_suffix(path))
        return read_csv_form(path, out, err);
    char *buf = NULL;
    size_t len = 0;
    tw_status st = read_file(path, TW_SCENARIO_MAX_FILE_SIZE, &buf, &len, err);
    if (st == TW_OK)
        st = tw_scenario_read_buf_limits(buf, len, path, NULL, out, err);
    tw_free(buf);
    return st;
}

void tw_scenario_free(tw_scenario *sc) { tw_scenario_destroy(sc); }

const char *tw_scenario_name(const tw_scenario *sc) { return sc != NULL ? sc->name : ""; }

const char *tw_scenario_description(const tw_scenario *sc)
{
    return sc != NULL ? sc->description : "";
}

const char *tw_scenario_world(const tw_scenario *sc) { return sc != NULL ? sc->world : ""; }

size_t tw_scenario_n_actions(const tw_scenario *sc) { return sc != NULL ? sc->n_actions : 0; }
