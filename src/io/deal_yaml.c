/* SPDX-License-Identifier: MIT */
/*
 * src/io/deal_yaml.c: the deal file parser (schema in docs/enforcement.md, "Deal files") and
 * the built-in deal library (the .yaml files of deals/, embedded at build time by
 * cmake/embed_scenarios.cmake with VAR=tw_deal_library_entries).
 *
 * The document is one mapping with a single key `deal:`. Every key is checked against a
 * table (unknown keys are errors), every message reads file:line:col: what was found, what
 * was expected. Codes stay text: they are resolved against a world by policy/deal.c.
 * Invariants: those of core/deal.h for every deal returned; a partly filled deal is always
 * freeable (counts cover only complete or zeroed entries).
 */
#define _POSIX_C_SOURCE 200809L

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/deal.h"
#include "io/csv.h"
#include "io/scenario_library.h"
#include "io/yaml.h"
#include "tradewar/tradewar.h"

/* Largest deal file read, bytes. */
#define TW_DEAL_MAX_FILE_SIZE (1u << 20)
/* Largest number of commitments in one deal. */
#define TW_DEAL_MAX_COMMIT 256

extern const struct tw_library_entry tw_deal_library_entries[];

struct dctx {
    const char *name;
    tw_err *err;
};

static tw_status dfail(const struct dctx *c, struct tw_pos p, const char *fmt, ...)
    TW_PRINTF(3, 4);
static tw_status dfail(const struct dctx *c, struct tw_pos p, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return tw_err_set(c->err, TW_EPARSE, "%s:%zu:%zu: %s", c->name, p.line, p.col, msg);
}

static tw_status doom(const struct dctx *c)
{
    return tw_err_set(c->err, TW_ENOMEM, "%s: out of memory", c->name);
}

static const char *show(const struct tw_yaml_node *v, char *buf, size_t cap)
{
    if (v->kind == TW_YAML_MAPPING)
        return "a mapping";
    if (v->kind == TW_YAML_SEQUENCE)
        return "a list";
    if (v->is_empty)
        return "an empty value";
    char cut[64];
    snprintf(buf, cap, "\"%s\"", tw_csv_excerpt(v->text, cut, sizeof cut));
    return buf;
}

static tw_status wrong(const struct dctx *c, const struct tw_yaml_node *v, const char *where,
                       const char *expected)
{
    char b[96];
    return dfail(c, v->pos, "%s is %s, expected %s", where, show(v, b, sizeof b), expected);
}

static bool is_text(const struct tw_yaml_node *v)
{
    return v->kind == TW_YAML_SCALAR && !v->is_empty && v->len > 0;
}

static tw_status get_text(const struct dctx *c, const struct tw_yaml_node *v,
                          const char *where, char **out)
{
    if (!is_text(v))
        return wrong(c, v, where, "a non-empty string");
    for (const char *s = v->text; *s; s++)
        if ((unsigned char)*s < 0x20)
            return wrong(c, v, where, "one line of text");
    tw_free(*out);
    *out = tw_strdup(v->text);
    return *out ? TW_OK : doom(c);
}

static tw_status get_num(const struct dctx *c, const struct tw_yaml_node *v, const char *where,
                         double *out)
{
    if (!is_text(v) || tw_csv_parse_double(v->text, out) != TW_CSV_NUM_OK || !isfinite(*out))
        return wrong(c, v, where, "a finite number");
    return TW_OK;
}

static tw_status get_date(const struct dctx *c, const struct tw_yaml_node *v, const char *where,
                          char out[16])
{
    tw_day d;
    if (!is_text(v) || !tw_day_parse(v->text, &d))
        return wrong(c, v, where, "a calendar date YYYY-MM-DD");
    tw_day_format(d, out);
    return TW_OK;
}

/* Bind a mapping's keys to a table; unknown or repeated keys are errors. */
static tw_status bind(const struct dctx *c, const struct tw_yaml_node *map, const char *where,
                      const char *const *keys, size_t nk, const struct tw_yaml_node **val)
{
    if (map->kind != TW_YAML_MAPPING)
        return wrong(c, map, where, "a mapping");
    for (size_t k = 0; k < nk; k++)
        val[k] = NULL;
    for (size_t p = 0; p < map->n; p++) {
        const struct tw_yaml_node *key = tw_yaml_key(map, p);
        size_t k = 0;
        while (k < nk && strcmp(keys[k], key->text) != 0)
            k++;
        if (k == nk) {
            char list[256] = "";
            for (size_t q = 0; q < nk; q++) {
                strncat(list, q ? ", " : "", sizeof list - strlen(list) - 1);
                strncat(list, keys[q], sizeof list - strlen(list) - 1);
            }
            return dfail(c, key->pos, "unknown key \"%s\" in %s, expected one of: %s",
                         key->text, where, list);
        }
        if (val[k] != NULL)
            return dfail(c, key->pos, "key \"%s\" written twice in %s", key->text, where);
        val[k] = tw_yaml_value(map, p);
    }
    return TW_OK;
}

static tw_status need(const struct dctx *c, const struct tw_yaml_node *map,
                      const struct tw_yaml_node *v, const char *key, const char *where)
{
    if (v == NULL)
        return dfail(c, map->pos, "%s has no \"%s\", which is required", where, key);
    return TW_OK;
}

/* {scenario: NAME, date: YYYY-MM-DD} */
static tw_status parse_tariffs(const struct dctx *c, const struct tw_yaml_node *v,
                               const char *where, char **scen, char date[16])
{
    static const char *const keys[] = {"scenario", "date"};
    const struct tw_yaml_node *val[2];
    tw_status st = bind(c, v, where, keys, 2, val);
    if (st == TW_OK)
        st = need(c, v, val[0], "scenario", where);
    if (st == TW_OK)
        st = need(c, v, val[1], "date", where);
    if (st == TW_OK)
        st = get_text(c, val[0], "scenario", scen);
    if (st == TW_OK)
        st = get_date(c, val[1], "date", date);
    return st;
}

static tw_status parse_commitment(const struct dctx *c, const struct tw_yaml_node *v, size_t k,
                                  struct tw_deal_commitment *m)
{
    static const char *const keys[] = {"category", "importer", "exporter", "sectors",
                                       "baseline_usd_bn", "increments_usd_bn"};
    const struct tw_yaml_node *val[6];
    char where[64];
    snprintf(where, sizeof where, "commitment %zu", k + 1);
    m->pos = v->pos;
    tw_status st = bind(c, v, where, keys, 6, val);
    for (size_t q = 0; q < 6 && st == TW_OK; q++)
        st = need(c, v, val[q], keys[q], where);
    if (st == TW_OK)
        st = get_text(c, val[0], "category", &m->category);
    if (st == TW_OK)
        st = get_text(c, val[1], "importer", &m->importer);
    if (st == TW_OK)
        st = get_text(c, val[2], "exporter", &m->exporter);
    if (st != TW_OK)
        return st;
    if (strcmp(m->category, "Total") == 0)
        return dfail(c, val[0]->pos, "category \"Total\" is reserved (the sum of all "
                     "categories in observed files)");
    if (strcmp(m->importer, m->exporter) == 0)
        return dfail(c, val[2]->pos, "exporter \"%s\" is the importer, expected a partner",
                     m->exporter);
    const struct tw_yaml_node *s = val[3];
    if (s->kind != TW_YAML_SEQUENCE || s->n == 0)
        return wrong(c, s, "sectors", "a non-empty list of sector codes");
    m->sector = tw_calloc(s->n, sizeof(char *));
    if (m->sector == NULL)
        return doom(c);
    for (size_t q = 0; q < s->n; q++, m->n_sector++)
        if ((st = get_text(c, &s->item[q], "a sector", &m->sector[q])) != TW_OK)
            return st;
    if ((st = get_num(c, val[4], "baseline_usd_bn", &m->baseline_usd_bn)) != TW_OK)
        return st;
    if (m->baseline_usd_bn < 0.0)
        return wrong(c, val[4], "baseline_usd_bn", "a number >= 0");
    const struct tw_yaml_node *inc = val[5];
    if (inc->kind != TW_YAML_MAPPING || inc->n == 0)
        return wrong(c, inc, "increments_usd_bn", "a mapping of years to USD bn, such as "
                     "{2020: 32.9}");
    if (inc->n > TW_DEAL_MAX_YEARS)
        return dfail(c, inc->pos, "increments_usd_bn has %zu years, more than the limit of %d",
                     inc->n, TW_DEAL_MAX_YEARS);
    for (size_t q = 0; q < inc->n; q++) {
        const struct tw_yaml_node *key = tw_yaml_key(inc, q);
        char *end = NULL;
        long y = strtol(key->text, &end, 10);
        if (*end != '\0' || y < 1900 || y > 2200)
            return dfail(c, key->pos, "year \"%s\" in increments_usd_bn, expected a year "
                         "such as 2020", key->text);
        for (size_t r = 0; r < q; r++)
            if (m->year[r] == (int)y)
                return dfail(c, key->pos, "year %ld written twice in increments_usd_bn", y);
        m->year[q] = (int)y;
        if ((st = get_num(c, tw_yaml_value(inc, q), "an increment",
                          &m->increment_usd_bn[q])) != TW_OK)
            return st;
        if (m->baseline_usd_bn + m->increment_usd_bn[q] < 0.0)
            return wrong(c, tw_yaml_value(inc, q), "an increment",
                         "a number with baseline + increment >= 0");
        m->n_year++;
    }
    return TW_OK;
}

static tw_status parse_deal(const struct dctx *c, const struct tw_yaml_node *root,
                            struct tw_deal *d)
{
    if (root == NULL)
        return dfail(c, (struct tw_pos){1, 1}, "the file is empty, expected a mapping with "
                     "the key \"deal\"");
    static const char *const top[] = {"deal"};
    const struct tw_yaml_node *dv;
    tw_status st = bind(c, root, "the document", top, 1, &dv);
    if (st == TW_OK)
        st = need(c, root, dv, "deal", "the document");
    if (st != TW_OK)
        return st;
    enum { K_NAME, K_DESC, K_WORLD, K_PARTIES, K_THREAT, K_TARIFFS, K_COND, K_SNAP, K_COMMIT,
           NK };
    static const char *const keys[NK] = {"name", "description", "world", "parties", "threat",
                                         "tariffs", "conditional", "snap_back", "commitments"};
    const struct tw_yaml_node *val[NK];
    if ((st = bind(c, dv, "deal", keys, NK, val)) != TW_OK)
        return st;
    static const int required[] = {K_NAME, K_PARTIES, K_THREAT, K_TARIFFS, K_COMMIT};
    for (size_t q = 0; q < sizeof required / sizeof required[0]; q++)
        if ((st = need(c, dv, val[required[q]], keys[required[q]], "deal")) != TW_OK)
            return st;
    if ((st = get_text(c, val[K_NAME], "name", &d->name)) != TW_OK)
        return st;
    if (val[K_DESC] && (st = get_text(c, val[K_DESC], "description", &d->description)) != TW_OK)
        return st;
    if ((st = get_text(c, val[K_WORLD] ? val[K_WORLD] : val[K_NAME], "world", &d->world)) !=
        TW_OK)
        return st;
    if (val[K_WORLD] == NULL) {
        tw_free(d->world);
        if ((d->world = tw_strdup("default")) == NULL)
            return doom(c);
    }
    const struct tw_yaml_node *p = val[K_PARTIES];
    if (p->kind != TW_YAML_SEQUENCE || p->n != 2)
        return wrong(c, p, "parties", "a list of two country codes");
    for (size_t q = 0; q < 2; q++)
        if ((st = get_text(c, &p->item[q], "a party", &d->party[q])) != TW_OK)
            return st;
    if (strcmp(d->party[0], d->party[1]) == 0)
        return dfail(c, p->item[1].pos, "party \"%s\" is listed twice, expected two countries",
                     d->party[1]);
    if ((st = parse_tariffs(c, val[K_THREAT], "threat", &d->threat_scenario, d->threat_date)) !=
        TW_OK)
        return st;
    if ((st = parse_tariffs(c, val[K_TARIFFS], "tariffs", &d->deal_scenario, d->deal_date)) !=
        TW_OK)
        return st;
    if (val[K_COND]) {
        static const char *const ck[] = {"remove_remaining_if"};
        const struct tw_yaml_node *cv;
        if ((st = bind(c, val[K_COND], "conditional", ck, 1, &cv)) != TW_OK)
            return st;
        if ((st = need(c, val[K_COND], cv, "remove_remaining_if", "conditional")) != TW_OK)
            return st;
        if (!is_text(cv) || strcmp(cv->text, "purchases_met") != 0)
            return wrong(c, cv, "remove_remaining_if", "\"purchases_met\"");
        d->remove_if_met = true;
    }
    if (val[K_SNAP]) {
        static const char *const sk[] = {"below_pct"};
        const struct tw_yaml_node *sv;
        if ((st = bind(c, val[K_SNAP], "snap_back", sk, 1, &sv)) != TW_OK)
            return st;
        if ((st = need(c, val[K_SNAP], sv, "below_pct", "snap_back")) != TW_OK)
            return st;
        if ((st = get_num(c, sv, "below_pct", &d->snap_back_pct)) != TW_OK)
            return st;
        if (d->snap_back_pct < 0.0 || d->snap_back_pct > 100.0)
            return wrong(c, sv, "below_pct", "a percentage in [0, 100]");
    }
    const struct tw_yaml_node *cm = val[K_COMMIT];
    if (cm->kind != TW_YAML_SEQUENCE || cm->n == 0)
        return wrong(c, cm, "commitments", "a non-empty list of commitments");
    if (cm->n > TW_DEAL_MAX_COMMIT)
        return dfail(c, cm->pos, "%zu commitments, more than the limit of %d", cm->n,
                     TW_DEAL_MAX_COMMIT);
    d->commit = tw_calloc(cm->n, sizeof *d->commit);
    if (d->commit == NULL)
        return doom(c);
    for (size_t q = 0; q < cm->n; q++) {
        d->n_commit++;
        if ((st = parse_commitment(c, &cm->item[q], q, &d->commit[q])) != TW_OK)
            return st;
        for (size_t r = 0; r < q; r++)
            if (strcmp(d->commit[r].category, d->commit[q].category) == 0)
                return dfail(c, cm->item[q].pos, "category \"%s\" is committed twice (first "
                             "at line %zu)", d->commit[q].category, d->commit[r].pos.line);
    }
    /* distinct years over all commitments (tw_deal_year's table holds TW_DEAL_MAX_YEARS) */
    int seen[TW_DEAL_MAX_YEARS];
    size_t n_seen = 0;
    for (size_t k = 0; k < d->n_commit; k++)
        for (size_t q = 0; q < d->commit[k].n_year; q++) {
            size_t i = 0;
            while (i < n_seen && seen[i] != d->commit[k].year[q])
                i++;
            if (i < n_seen)
                continue;
            if (n_seen == TW_DEAL_MAX_YEARS)
                return dfail(c, d->commit[k].pos, "the commitments span more than %d distinct "
                             "years", TW_DEAL_MAX_YEARS);
            seen[n_seen++] = d->commit[k].year[q];
        }
    return TW_OK;
}

void tw_deal_free(tw_deal *d)
{
    if (d == NULL)
        return;
    for (size_t k = 0; k < d->n_commit; k++) {
        struct tw_deal_commitment *m = &d->commit[k];
        tw_free(m->category);
        tw_free(m->importer);
        tw_free(m->exporter);
        for (size_t q = 0; q < m->n_sector; q++)
            tw_free(m->sector[q]);
        tw_free(m->sector);
    }
    tw_free(d->commit);
    tw_free(d->file);
    tw_free(d->name);
    tw_free(d->description);
    tw_free(d->world);
    tw_free(d->party[0]);
    tw_free(d->party[1]);
    tw_free(d->threat_scenario);
    tw_free(d->deal_scenario);
    tw_free(d);
}

tw_status tw_deal_read_buf(const char *buf, size_t len, const char *name, tw_deal **out,
                           tw_err *err)
{
    if (out == NULL || name == NULL || (buf == NULL && len > 0))
        return tw_err_set(err, TW_EINVAL, "deal: buffer, name and out are required");
    *out = NULL;
    if (len > TW_DEAL_MAX_FILE_SIZE)
        return tw_err_set(err, TW_EIO, "%s: %zu bytes, larger than the limit of %u bytes",
                          name, len, TW_DEAL_MAX_FILE_SIZE);
    struct dctx c = {name, err};
    struct tw_yaml_limits ylim = {16, 4096};
    struct tw_yaml_node *root = NULL;
    tw_status st = tw_yaml_parse(buf, len, name, &ylim, &root, err);
    if (st != TW_OK)
        return st;
    struct tw_deal *d = tw_calloc(1, sizeof *d);
    if (d == NULL) {
        tw_yaml_free(root);
        return doom(&c);
    }
    d->snap_back_pct = (double)NAN;
    d->file = tw_strdup(name);
    d->description = tw_strdup("");
    st = d->file && d->description ? parse_deal(&c, root, d) : doom(&c);
    tw_yaml_free(root);
    if (st != TW_OK) {
        tw_deal_free(d);
        return st;
    }
    *out = d;
    return TW_OK;
}

tw_status tw_deal_read(const char *path, tw_deal **out, tw_err *err)
{
    if (out == NULL || path == NULL)
        return tw_err_set(err, TW_EINVAL, "deal: path and out are required");
    *out = NULL;
    FILE *fp = fopen(path, "rb");
    if (fp == NULL)
        return tw_err_set(err, TW_EIO, "%s: cannot open the deal file", path);
    char *buf = tw_malloc(TW_DEAL_MAX_FILE_SIZE + 1);
    if (buf == NULL) {
        fclose(fp);
        return tw_err_set(err, TW_ENOMEM, "%s: out of memory", path);
    }
    size_t len = fread(buf, 1, TW_DEAL_MAX_FILE_SIZE + 1, fp);
    bool bad = ferror(fp) != 0;
    fclose(fp);
    tw_status st;
    if (bad)
        st = tw_err_set(err, TW_EIO, "%s: read error (a directory?)", path);
    else if (len > TW_DEAL_MAX_FILE_SIZE)
        st = tw_err_set(err, TW_EIO, "%s: larger than the limit of %u bytes", path,
                        TW_DEAL_MAX_FILE_SIZE);
    else
        st = tw_deal_read_buf(buf, len, path, out, err);
    tw_free(buf);
    return st;
}

size_t tw_deal_library_count(void)
{
    size_t n = 0;
    while (tw_deal_library_entries[n].name != NULL)
        n++;
    return n;
}

const char *tw_deal_library_name(size_t k)
{
    return k < tw_deal_library_count() ? tw_deal_library_entries[k].name : NULL;
}

tw_status tw_deal_library_read(const char *name, tw_deal **out, tw_err *err)
{
    if (out == NULL || name == NULL)
        return tw_err_set(err, TW_EINVAL, "deal: name and out are required");
    *out = NULL;
    for (size_t k = 0; tw_deal_library_entries[k].name != NULL; k++)
        if (strcmp(tw_deal_library_entries[k].name, name) == 0) {
            char label[128];
            snprintf(label, sizeof label, "deals/%s.yaml", name);
            return tw_deal_read_buf(tw_deal_library_entries[k].text,
                                    tw_deal_library_entries[k].len, label, out, err);
        }
    char list[256] = "";
    for (size_t k = 0; tw_deal_library_entries[k].name != NULL; k++) {
        strncat(list, k ? ", " : "", sizeof list - strlen(list) - 1);
        strncat(list, tw_deal_library_entries[k].name, sizeof list - strlen(list) - 1);
    }
    return tw_err_set(err, TW_EINVAL, "unknown deal \"%s\": not a file and not in the deal "
                      "library (%s)", name, list);
}

const char *tw_deal_name(const tw_deal *d) { return d ? d->name : ""; }
const char *tw_deal_description(const tw_deal *d) { return d ? d->description : ""; }
const char *tw_deal_world(const tw_deal *d) { return d ? d->world : ""; }
size_t tw_deal_n_commitments(const tw_deal *d) { return d ? d->n_commit : 0; }
const char *tw_deal_commitment_category(const tw_deal *d, size_t k)
{
    return d->commit[k].category;
}

double tw_deal_committed_usd_bn(const tw_deal *d, size_t k, int year)
{
    const struct tw_deal_commitment *m = &d->commit[k];
    for (size_t q = 0; q < m->n_year; q++)
        if (m->year[q] == year)
            return m->baseline_usd_bn + m->increment_usd_bn[q];
    return (double)NAN;
}

/* Distinct years over all commitments, ascending. */
static size_t deal_years(const tw_deal *d, int *out, size_t cap)
{
    size_t n = 0;
    for (size_t k = 0; k < d->n_commit; k++)
        for (size_t q = 0; q < d->commit[k].n_year; q++) {
            int y = d->commit[k].year[q];
            size_t i = 0;
            while (i < n && out[i] < y)
                i++;
            if (i < n && out[i] == y)
                continue;
            if (n == cap)
                continue;
            memmove(out + i + 1, out + i, (n - i) * sizeof *out);
            out[i] = y;
            n++;
        }
    return n;
}

size_t tw_deal_n_years(const tw_deal *d)
{
    int y[TW_DEAL_MAX_YEARS];
    return deal_years(d, y, sizeof y / sizeof y[0]);
}

int tw_deal_year(const tw_deal *d, size_t k)
{
    int y[TW_DEAL_MAX_YEARS];
    size_t n = deal_years(d, y, sizeof y / sizeof y[0]);
    return k < n ? y[k] : 0;
}
