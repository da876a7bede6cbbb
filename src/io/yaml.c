/* SPDX-License-Identifier: MIT */
/*
 * src/io/yaml.c: the positioned YAML tree of yaml.h, built from libfyaml's event stream.
 *
 * The builder is a recursive descent over events: build() receives the first event of a node
 * and pulls the events of its children until the matching end event. Recursion is bounded by
 * the depth limit (the builder stops at the first collection deeper than max_depth), so the
 * C stack never holds more than max_depth + 1 frames of it.
 *
 * libfyaml reports malformed input through a diagnostic object. We create one whose output
 * function discards everything and which collects errors instead of printing them; the first
 * collected error (message, 1-based line and column) becomes our message. libfyaml allocates
 * with plain malloc, outside tw_malloc, so the fault-injection hook does not reach it; a
 * failed libfyaml allocation shows up as a NULL object or a NULL token text, and both are
 * reported as TW_ENOMEM.
 *
 * References: libfyaml 0.7 API (libfyaml.h: fy_parser_parse, fy_event_start_mark,
 * fy_diag_errors_iterate); YAML 1.2.2 section 5.4 (line breaks); RFC 3629 (UTF-8).
 * Invariants: see yaml.h. While a collection is built, its children live in a local array
 * that build() frees itself on failure, so a failed build() leaves its output node empty.
 */
#include "io/yaml.h"

#include <libfyaml.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"

struct builder {
    struct fy_parser *fyp;
    struct fy_diag *diag;
    const char *buf;   /* the input, for the raw text of single-quoted scalars */
    size_t len;
    const char *name;
    const struct tw_yaml_limits *lim;
    tw_err *err;
};

/* ---- messages ------------------------------------------------------------------------- */

/* At most cap - 4 bytes of s[0..len), control characters replaced by '?', "..." when cut. */
static const char *excerpt(const char *s, size_t len, char *buf, size_t cap)
{
    size_t k = 0, keep = cap - 4;
    for (; k < len && k < keep; k++) {
        unsigned char ch = (unsigned char)s[k];
        buf[k] = ch < 0x20 || ch == 0x7f ? '?' : (char)ch;
    }
    if (k < len)
        memcpy(buf + k, "...", 3), k += 3;
    buf[k] = '\0';
    return buf;
}

static tw_status fail_at(const struct builder *b, struct tw_pos p, const char *what,
                         const char *expected)
{
    return tw_err_set(b->err, TW_EPARSE, "%s:%zu:%zu: %s, expected %s", b->name, p.line,
                      p.col, what, expected);
}

/* libfyaml returned no event: report its first collected error. */
static tw_status syntax_error(const struct builder *b)
{
    void *it = NULL;
    struct fy_diag_error *e;
    while ((e = fy_diag_errors_iterate(b->diag, &it)) != NULL) {
        if (e->type < FYET_ERROR || e->msg == NULL)
            continue;
        char msg[200];
        size_t line = e->line > 0 ? (size_t)e->line : 1;
        size_t col = e->column > 0 ? (size_t)e->column : 1;
        return tw_err_set(b->err, TW_EPARSE, "%s:%zu:%zu: invalid YAML: %s", b->name, line,
                          col, excerpt(e->msg, strlen(e->msg), msg, sizeof msg));
    }
    /* No diagnostic: libfyaml failed without saying why, which happens when it cannot
     * allocate. */
    return tw_err_set(b->err, TW_ENOMEM, "%s: out of memory while parsing YAML", b->name);
}

static struct tw_pos mark_pos(const struct fy_mark *m, struct tw_pos fallback)
{
    if (m == NULL || m->line < 0 || m->column < 0)
        return fallback;
    struct tw_pos p = {(size_t)m->line + 1, (size_t)m->column + 1};
    return p;
}

/* libfyaml marks a quoted scalar at its first character inside the quotes, and an anchor or
 * an alias at its name: step back onto the quote, '&' or '*', where the value is written. */
static struct tw_pos step_back(struct tw_pos p)
{
    if (p.col > 1)
        p.col--;
    return p;
}

/* ---- input checks ----------------------------------------------------------------------- */

/* Length of the UTF-8 sequence at s[0..n) (RFC 3629: no overlongs, no surrogates, at most
 * U+10FFFF), or 0 when it is invalid or a NUL byte. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
    unsigned char c = s[0];
    if (c == 0)
        return 0;
    if (c < 0x80)
        return 1;
    size_t len;
    unsigned char lo = 0x80, hi = 0xbf;
    if (c >= 0xc2 && c <= 0xdf)
        len = 2;
    else if (c >= 0xe0 && c <= 0xef) {
        len = 3;
        if (c == 0xe0)
            lo = 0xa0;
        else if (c == 0xed)
            hi = 0x9f;
    } else if (c >= 0xf0 && c <= 0xf4) {
        len = 4;
        if (c == 0xf0)
            lo = 0x90;
        else if (c == 0xf4)
            hi = 0x8f;
    } else
        return 0;
    if (n < len || s[1] < lo || s[1] > hi)
        return 0;
    for (size_t k = 2; k < len; k++)
        if (s[k] < 0x80 || s[k] > 0xbf)
            return 0;
    return len;
}

/* Reject invalid UTF-8 and NUL bytes, naming their line and column (columns in characters,
 * a leading byte-order mark not counted, line breaks LF, CR LF or CR as in YAML). */
static tw_status check_text(const struct builder *b, const char *buf, size_t len)
{
    const unsigned char *s = (const unsigned char *)buf;
    size_t k = 0;
    struct tw_pos p = {1, 1};
    if (len >= 3 && s[0] == 0xef && s[1] == 0xbb && s[2] == 0xbf)
        k = 3;
    while (k < len) {
        size_t n = utf8_len(s + k, len - k);
        if (n == 0) {
            char what[64];
            snprintf(what, sizeof what, "%s 0x%02x", s[k] == 0 ? "a NUL byte" : "the byte",
                     s[k]);
            return fail_at(b, p, what, s[k] == 0 ? "text without NUL bytes" : "UTF-8 text");
        }
        if (s[k] == '\n' || (s[k] == '\r' && (k + 1 == len || s[k + 1] != '\n'))) {
            p.line++;
            p.col = 1;
        } else if (s[k] != '\r')
            p.col++;
        k += n;
    }
    return TW_OK;
}

/* Anchors, aliases and tags are refused: the scenario format has no use for them, and
 * aliases would let a small file expand into a large document. */
static tw_status check_props(const struct builder *b, struct fy_token *anchor,
                             struct fy_token *tag, struct tw_pos fallback)
{
    struct fy_token *t = anchor != NULL ? anchor : tag;
    if (t == NULL)
        return TW_OK;
    size_t len = 0;
    const char *text = fy_token_get_text(t, &len);
    char show[64], what[96];
    snprintf(what, sizeof what, "%s \"%s%s\"", t == anchor ? "an anchor" : "a tag",
             t == anchor ? "&" : "", text != NULL ? excerpt(text, len, show, sizeof show) : "");
    struct tw_pos p = mark_pos(fy_token_start_mark(t), fallback);
    return fail_at(b, t == anchor ? step_back(p) : p, what,
                   "a plain value (anchors, aliases and tags are not supported)");
}

/* ---- the tree --------------------------------------------------------------------------- */

static void node_clear(struct tw_yaml_node *nd)
{
    size_t count = nd->kind == TW_YAML_MAPPING ? 2 * nd->n : nd->n;
    for (size_t k = 0; k < count; k++)
        node_clear(&nd->item[k]);
    tw_free(nd->item);
    tw_free(nd->text);
    memset(nd, 0, sizeof *nd);
}

void tw_yaml_free(struct tw_yaml_node *root)
{
    if (root == NULL)
        return;
    node_clear(root);
    tw_free(root);
}

const struct tw_yaml_node *tw_yaml_key(const struct tw_yaml_node *map, size_t k)
{
    TW_ASSERT(map->kind == TW_YAML_MAPPING && k < map->n);
    return &map->item[2 * k];
}

const struct tw_yaml_node *tw_yaml_value(const struct tw_yaml_node *map, size_t k)
{
    TW_ASSERT(map->kind == TW_YAML_MAPPING && k < map->n);
    return &map->item[2 * k + 1];
}

static tw_status next_event(struct builder *b, struct fy_event **ev)
{
    *ev = fy_parser_parse(b->fyp);
    return *ev != NULL ? TW_OK : syntax_error(b);
}

/*
 * The text of a single-quoted scalar from its raw source (the bytes between the quotes), by
 * YAML 1.2.2 section 7.3.2: '' is one quote, and line breaks fold (each line is trimmed of
 * the white space around the break; one break becomes a space, n + 1 breaks become n
 * newlines). We do this ourselves because libfyaml 0.7.12 leaks a buffer when it formats a
 * long run of escaped quotes (fy_token_get_text on a scalar of twenty quote characters).
 * Writes at most `len` bytes to out and returns the count.
 */
static size_t single_quoted_text(const char *raw, size_t len, char *out)
{
    size_t n = 0, k = 0, breaks = 0;
    bool first = true;
    for (;;) {
        /* One line: [k, e), up to a line break or the end. */
        size_t e = k;
        while (e < len && raw[e] != '\n' && raw[e] != '\r')
            e++;
        bool last = e == len;
        size_t s = k, t = e;
        if (!first)
            while (s < t && (raw[s] == ' ' || raw[s] == '\t'))
                s++;
        if (!last)
            while (t > s && (raw[t - 1] == ' ' || raw[t - 1] == '\t'))
                t--;
        if (!first && !last && s == t) {
            breaks++; /* an empty line inside: one more newline */
        } else {
            if (!first) {
                if (breaks == 0)
                    out[n++] = ' ';
                for (; breaks > 0; breaks--)
                    out[n++] = '\n';
            }
            for (size_t j = s; j < t; j++) {
                out[n++] = raw[j];
                if (raw[j] == '\'' && j + 1 < t && raw[j + 1] == '\'')
                    j++;
            }
        }
        first = false;
        if (last)
            return n;
        k = e + (raw[e] == '\r' && e + 1 < len && raw[e + 1] == '\n' ? 2 : 1);
    }
}

/* The raw source of a single-quoted scalar, between its quotes; false when libfyaml gives no
 * usable marks (the caller then lets libfyaml format the text). */
static bool raw_span(const struct builder *b, struct fy_token *t, const char **raw, size_t *len)
{
    const struct fy_mark *s = fy_token_start_mark(t), *e = fy_token_end_mark(t);
    if (s == NULL || e == NULL || s->input_pos > e->input_pos || e->input_pos > b->len)
        return false;
    *raw = b->buf + s->input_pos;
    *len = e->input_pos - s->input_pos;
    return true;
}

static tw_status build_scalar(struct builder *b, struct fy_event *ev, struct tw_pos fallback,
                              struct tw_yaml_node *out)
{
    out->kind = TW_YAML_SCALAR;
    out->pos = mark_pos(fy_event_start_mark(ev), fallback);
    enum fy_node_style style = fy_event_get_node_style(ev);
    if (ev->scalar.value != NULL && (style == FYNS_SINGLE_QUOTED || style == FYNS_DOUBLE_QUOTED))
        out->pos = step_back(out->pos);
    tw_status st = check_props(b, ev->scalar.anchor, ev->scalar.tag, out->pos);
    if (st != TW_OK)
        return st;
    if (ev->scalar.value == NULL) {
        out->is_empty = true;
        return TW_OK;
    }
    const char *raw = NULL, *text = NULL;
    size_t len = 0;
    if (style == FYNS_SINGLE_QUOTED && raw_span(b, ev->scalar.value, &raw, &len)) {
        /* The folded text is never longer than its source. */
        out->text = tw_malloc(len + 1);
        if (out->text == NULL)
            return tw_err_set(b->err, TW_ENOMEM, "%s: out of memory", b->name);
        len = single_quoted_text(raw, len, out->text);
        text = out->text;
    } else if ((text = fy_token_get_text(ev->scalar.value, &len)) == NULL)
        return tw_err_set(b->err, TW_ENOMEM, "%s: out of memory while parsing YAML", b->name);
    if (len > b->lim->max_string) {
        char what[64], expected[64];
        snprintf(what, sizeof what, "a string of %zu bytes", len);
        snprintf(expected, sizeof expected, "at most %zu bytes", b->lim->max_string);
        return fail_at(b, out->pos, what, expected);
    }
    if (memchr(text, '\0', len) != NULL)
        return fail_at(b, out->pos, "a string containing a NUL character (\\0)", "text");
    if (out->text == NULL) {
        out->text = tw_malloc(len + 1);
        if (out->text == NULL)
            return tw_err_set(b->err, TW_ENOMEM, "%s: out of memory", b->name);
        memcpy(out->text, text, len);
    }
    out->text[len] = '\0';
    out->len = len;
    return TW_OK;
}

static tw_status build(struct builder *b, struct fy_event *ev, struct tw_pos fallback,
                       size_t depth, struct tw_yaml_node *out);

/* A mapping key must be a non-empty scalar. */
static tw_status check_key(const struct builder *b, const struct tw_yaml_node *key)
{
    if (key->kind == TW_YAML_SCALAR && !key->is_empty)
        return TW_OK;
    const char *what = key->kind == TW_YAML_MAPPING    ? "a mapping used as a key"
                       : key->kind == TW_YAML_SEQUENCE ? "a list used as a key"
                                                       : "an empty key";
    return fail_at(b, key->pos, what, "a name");
}

/* A sequence or mapping; `ev` is its start event (freed here). Children are built into a
 * local array, moved into *out only when the collection is complete. */
static tw_status build_collection(struct builder *b, struct fy_event *ev,
                                  struct tw_pos fallback, size_t depth,
                                  struct tw_yaml_node *out)
{
    bool is_map = ev->type == FYET_MAPPING_START;
    enum fy_event_type end_type = is_map ? FYET_MAPPING_END : FYET_SEQUENCE_END;
    struct tw_pos pos = mark_pos(fy_event_start_mark(ev), fallback);
    tw_status st = is_map ? check_props(b, ev->mapping_start.anchor, ev->mapping_start.tag, pos)
                          : check_props(b, ev->sequence_start.anchor, ev->sequence_start.tag,
                                        pos);
    fy_parser_event_free(b->fyp, ev);
    if (st != TW_OK)
        return st;
    if (depth > b->lim->max_depth) {
        char what[64], expected[80];
        snprintf(what, sizeof what, "a %s nested %zu deep", is_map ? "mapping" : "list", depth);
        snprintf(expected, sizeof expected, "at most %zu levels of nesting", b->lim->max_depth);
        return fail_at(b, pos, what, expected);
    }
    struct tw_yaml_node *items = NULL;
    size_t count = 0, cap = 0;
    for (;;) {
        if ((st = next_event(b, &ev)) != TW_OK)
            goto done;
        if (ev->type == end_type) {
            fy_parser_event_free(b->fyp, ev);
            break;
        }
        if (count == cap) {
            size_t ncap = cap == 0 ? 8 : 2 * cap;
            struct tw_yaml_node *grown =
                ncap <= SIZE_MAX / sizeof *grown ? tw_malloc(ncap * sizeof *grown) : NULL;
            if (grown == NULL) {
                fy_parser_event_free(b->fyp, ev);
                st = tw_err_set(b->err, TW_ENOMEM, "%s: out of memory", b->name);
                goto done;
            }
            if (count > 0)
                memcpy(grown, items, count * sizeof *items);
            tw_free(items);
            items = grown;
            cap = ncap;
        }
        /* An empty value sits where its key is; an empty item where its list starts. */
        struct tw_pos here = is_map && count % 2 == 1 ? items[count - 1].pos : pos;
        struct tw_yaml_node *child = &items[count];
        memset(child, 0, sizeof *child);
        if ((st = build(b, ev, here, depth + 1, child)) != TW_OK)
            goto done;
        count++;
        if (is_map && count % 2 == 1 && (st = check_key(b, child)) != TW_OK)
            goto done;
    }
    out->kind = is_map ? TW_YAML_MAPPING : TW_YAML_SEQUENCE;
    out->pos = pos;
    out->item = items;
    out->n = is_map ? count / 2 : count;
    items = NULL;
    count = 0;
done:
    for (size_t k = 0; k < count; k++)
        node_clear(&items[k]);
    tw_free(items);
    return st;
}

/* Build the node whose first event is `ev` (consumed) into *out (zeroed; left empty when
 * this fails). `depth` is the depth the node would have if it is a collection. */
static tw_status build(struct builder *b, struct fy_event *ev, struct tw_pos fallback,
                       size_t depth, struct tw_yaml_node *out)
{
    tw_status st;
    switch (ev->type) {
    case FYET_SCALAR:
        st = build_scalar(b, ev, fallback, out);
        fy_parser_event_free(b->fyp, ev);
        break;
    case FYET_SEQUENCE_START:
    case FYET_MAPPING_START:
        return build_collection(b, ev, fallback, depth, out);
    case FYET_ALIAS: {
        size_t len = 0;
        const char *text = fy_token_get_text(ev->alias.anchor, &len);
        char show[64], what[96];
        snprintf(what, sizeof what, "an alias \"*%s\"",
                 text != NULL ? excerpt(text, len, show, sizeof show) : "");
        st = fail_at(b, step_back(mark_pos(fy_event_start_mark(ev), fallback)), what,
                     "a value written out (anchors, aliases and tags are not supported)");
        fy_parser_event_free(b->fyp, ev);
        break;
    }
    default:
        st = tw_err_set(b->err, TW_EINTERNAL, "%s:%zu:%zu: unexpected YAML event %d",
                        b->name, fallback.line, fallback.col, (int)ev->type);
        fy_parser_event_free(b->fyp, ev);
        break;
    }
    if (st != TW_OK)
        node_clear(out);
    return st;
}

/* Expect an event of type `want`; anything else is reported at its position. */
static tw_status expect_event(struct builder *b, enum fy_event_type want, struct tw_pos where)
{
    struct fy_event *ev;
    tw_status st = next_event(b, &ev);
    if (st != TW_OK)
        return st;
    enum fy_event_type got = ev->type;
    struct tw_pos p = mark_pos(fy_event_start_mark(ev), where);
    fy_parser_event_free(b->fyp, ev);
    if (got == want)
        return TW_OK;
    if (got == FYET_DOCUMENT_START)
        return fail_at(b, p, "a second YAML document", "one document per file");
    return tw_err_set(b->err, TW_EINTERNAL, "%s:%zu:%zu: unexpected YAML event %d", b->name,
                      p.line, p.col, (int)got);
}

/* The whole stream: stream start, at most one document, stream end. */
static tw_status build_stream(struct builder *b, struct tw_yaml_node **out)
{
    struct tw_pos origin = {1, 1};
    struct fy_event *ev;
    tw_status st = expect_event(b, FYET_STREAM_START, origin);
    if (st != TW_OK)
        return st;
    if ((st = next_event(b, &ev)) != TW_OK)
        return st;
    enum fy_event_type type = ev->type;
    fy_parser_event_free(b->fyp, ev);
    if (type == FYET_STREAM_END)
        return TW_OK;
    if (type != FYET_DOCUMENT_START)
        return tw_err_set(b->err, TW_EINTERNAL, "%s: unexpected YAML event %d", b->name,
                          (int)type);
    struct tw_yaml_node *root = tw_calloc(1, sizeof *root);
    if (root == NULL)
        return tw_err_set(b->err, TW_ENOMEM, "%s: out of memory", b->name);
    if ((st = next_event(b, &ev)) != TW_OK || (st = build(b, ev, origin, 1, root)) != TW_OK)
        goto fail;
    if ((st = expect_event(b, FYET_DOCUMENT_END, root->pos)) != TW_OK ||
        (st = expect_event(b, FYET_STREAM_END, root->pos)) != TW_OK)
        goto fail;
    *out = root;
    return TW_OK;
fail:
    tw_yaml_free(root);
    return st;
}

static void discard_output(struct fy_diag *diag, void *user, const char *buf, size_t len)
{
    (void)diag;
    (void)user;
    (void)buf;
    (void)len;
}

tw_status tw_yaml_parse(const char *buf, size_t len, const char *name,
                        const struct tw_yaml_limits *lim, struct tw_yaml_node **out,
                        tw_err *err)
{
    if (out == NULL)
        return tw_err_set(err, TW_EINVAL, "yaml: out is NULL");
    *out = NULL;
    if ((buf == NULL && len > 0) || name == NULL || lim == NULL || lim->max_depth < 1 ||
        lim->max_string < 1)
        return tw_err_set(err, TW_EINVAL, "yaml: buffer, name and limits are required");
    struct builder b = {NULL, NULL, len > 0 ? buf : "", len, name, lim, err};
    tw_status st = check_text(&b, buf, len);
    if (st != TW_OK)
        return st;

    struct fy_diag_cfg dcfg;
    fy_diag_cfg_default(&dcfg);
    dcfg.fp = NULL;
    dcfg.output_fn = discard_output;
    dcfg.user = NULL;
    dcfg.level = FYET_ERROR;
    dcfg.colorize = false;
    b.diag = fy_diag_create(&dcfg);
    if (b.diag == NULL)
        return tw_err_set(err, TW_ENOMEM, "%s: out of memory", name);
    fy_diag_set_collect_errors(b.diag, true);

    struct fy_parse_cfg pcfg;
    memset(&pcfg, 0, sizeof pcfg);
    pcfg.flags = FYPCF_QUIET | FYPCF_DEFAULT_VERSION_1_2 | FYPCF_JSON_NONE;
    pcfg.diag = b.diag;
    b.fyp = fy_parser_create(&pcfg);
    if (b.fyp == NULL || fy_parser_set_string(b.fyp, len > 0 ? buf : "", len) != 0) {
        st = tw_err_set(err, TW_ENOMEM, "%s: out of memory", name);
        goto done;
    }
    st = build_stream(&b, out);
done:
    /* The parser holds a reference to the diagnostic object; fy_diag_destroy then frees the
     * collected errors (fy_diag_unref alone would not) and drops our reference. */
    if (b.fyp != NULL)
        fy_parser_destroy(b.fyp);
    fy_diag_destroy(b.diag);
    return st;
}

/* ---- duplicate keys --------------------------------------------------------------------- */

struct key_ref {
    const char *text;
    size_t k; /* pair index */
};

static int key_ref_cmp(const void *pa, const void *pb)
{
    const struct key_ref *a = pa, *b = pb;
    int c = strcmp(a->text, b->text);
    if (c != 0)
        return c;
    return a->k < b->k ? -1 : a->k > b->k;
}

tw_status tw_yaml_find_duplicate(const struct tw_yaml_node *map, const char *name, bool *found,
                                 size_t *first, size_t *again, tw_err *err)
{
    TW_ASSERT(map->kind == TW_YAML_MAPPING);
    *found = false;
    size_t n = map->n;
    if (n <= 16) {
        /* Small mappings: the quadratic scan, in file order, needs no memory. */
        for (size_t j = 1; j < n; j++)
            for (size_t i = 0; i < j; i++)
                if (strcmp(tw_yaml_key(map, i)->text, tw_yaml_key(map, j)->text) == 0) {
                    *found = true;
                    *first = i;
                    *again = j;
                    return TW_OK;
                }
        return TW_OK;
    }
    struct key_ref *ref = tw_calloc(n, sizeof *ref);
    if (ref == NULL)
        return tw_err_set(err, TW_ENOMEM, "%s: out of memory", name);
    for (size_t k = 0; k < n; k++) {
        ref[k].text = tw_yaml_key(map, k)->text;
        ref[k].k = k;
    }
    qsort(ref, n, sizeof *ref, key_ref_cmp);
    /* Within a run of equal keys the indices ascend, so a run's first two entries are the
     * first occurrence and the first repetition. Report the earliest repetition. */
    for (size_t r = 1; r < n; r++) {
        if (strcmp(ref[r - 1].text, ref[r].text) != 0 ||
            (r >= 2 && strcmp(ref[r - 2].text, ref[r].text) == 0))
            continue;
        if (!*found || ref[r].k < *again) {
            *found = true;
            *first = ref[r - 1].k;
            *again = ref[r].k;
        }
    }
    tw_free(ref);
    return TW_OK;
}
