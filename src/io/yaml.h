/* SPDX-License-Identifier: MIT */
/*
 * src/io/yaml.h: a small read-only YAML tree with source positions, built with libfyaml.
 *
 * The scenario parser needs a document it can walk in any order (the `type` of an action
 * decides what its `rate` means, wherever the two keys are written) and the line and column
 * of every value, collections included, for its messages. libfyaml 0.7 (Debian 12) keeps no
 * public start mark on document nodes, so this module runs libfyaml's event parser
 * (fy_parser_parse, fy_event_start_mark) and builds its own tree of scalars, sequences and
 * mappings, each node remembering where it starts.
 *
 * What the tree accepts is deliberately smaller than YAML:
 *   - exactly one document (an empty stream gives a NULL root; a second document is an
 *     error);
 *   - the input must be UTF-8 without NUL bytes (checked before libfyaml sees it, so a bad
 *     byte is reported at its own line and column instead of being skipped);
 *   - scalars are kept as text, whatever their style: no type resolution happens here, so
 *     `NO`, `2018-07-06` and `0.25` are all strings (callers parse numbers and dates);
 *   - anchors, aliases and tags are rejected where they are written;
 *   - mapping keys are non-empty scalars;
 *   - nesting is limited (max_depth collections; the root counts as depth 1), and so is the
 *     length of every scalar (max_string bytes).
 * Malformed YAML is reported with libfyaml's own diagnostic and position: libfyaml writes
 * diagnostics into a private collector and never to a stream.
 *
 * Positions are 1-based; columns count Unicode characters, as libfyaml does (a tab is one
 * column, a leading byte-order mark none). An empty value (`key:` with nothing after it) has
 * no text of its own and takes the position of its key (of its sequence for a `-` item).
 *
 * Ownership: the tree owns all its text; tw_yaml_free releases it.
 * Invariants: a mapping with n pairs stores 2n children, key k at item[2k] (a scalar with
 * is_empty false) and its value at item[2k + 1]; scalars hold NUL-terminated text of len
 * bytes without NUL inside, or text == NULL and len == 0 when is_empty.
 */
#ifndef TW_IO_YAML_H
#define TW_IO_YAML_H

#include <stdbool.h>
#include <stddef.h>

#include "core/err.h"
#include "core/scenario.h"

enum tw_yaml_kind {
    TW_YAML_SCALAR = 0,
    TW_YAML_SEQUENCE = 1,
    TW_YAML_MAPPING = 2
};

struct tw_yaml_node {
    enum tw_yaml_kind kind;
    bool is_empty;              /* scalar only: an empty plain value (`key:` alone) */
    struct tw_pos pos;          /* where the node starts (see the file comment) */
    char *text;                 /* scalar: owned text, NULL when is_empty */
    size_t len;                 /* scalar: bytes of text, NUL excluded */
    struct tw_yaml_node *item;  /* [n] (sequence) or [2 * n] (mapping: key, value, ...) */
    size_t n;                   /* sequence items or mapping pairs */
};

/* Limits of tw_yaml_parse; each must be >= 1. */
struct tw_yaml_limits {
    size_t max_depth;  /* collections nested inside one another, the root counting as 1 */
    size_t max_string; /* bytes in one scalar (keys included) */
};

/*
 * Parse `len` bytes of `buf` (in; need not be NUL-terminated) into a tree (*out, free with
 * tw_yaml_free; NULL when the input holds no document). `name` is used in messages, which
 * read `name:line:col: what was found, what was expected`.
 * Returns TW_OK, TW_EPARSE (malformed YAML, invalid UTF-8, an unsupported feature or a limit
 * exceeded) or TW_ENOMEM. On failure *out is NULL.
 */
TW_INTERNAL tw_status tw_yaml_parse(const char *buf, size_t len, const char *name,
                                    const struct tw_yaml_limits *lim,
                                    struct tw_yaml_node **out, tw_err *err);

/* Free a tree returned by tw_yaml_parse; NULL is a no-op. */
TW_INTERNAL void tw_yaml_free(struct tw_yaml_node *root);

/* The value of pair k of a mapping, and its key. */
TW_INTERNAL const struct tw_yaml_node *tw_yaml_key(const struct tw_yaml_node *map, size_t k);
TW_INTERNAL const struct tw_yaml_node *tw_yaml_value(const struct tw_yaml_node *map, size_t k);

/*
 * Find a key written twice in a mapping, in O(n log n). When there is one, returns TW_OK with
 * *found true, *first the pair where the key first appears and *again the pair where it
 * appears a second time (the earliest such repetition in file order). TW_ENOMEM otherwise
 * possible (the message names `name`).
 */
TW_INTERNAL tw_status tw_yaml_find_duplicate(const struct tw_yaml_node *map, const char *name,
                                             bool *found, size_t *first, size_t *again,
                                             tw_err *err);

#endif
