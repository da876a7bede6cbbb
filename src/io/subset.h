/* SPDX-License-Identifier: MIT */
/*
 * src/io/subset.h: row filters for estimation panels (`--subset EXPR`, fixest's `subset`,
 * Stata's `if`). Grammar (docs/estimation.md, "Subsets"):
 *
 *   expr    := and { ("|" | "||") and }
 *   and     := unary { ("&" | "&&") unary }
 *   unary   := "!" unary | "(" expr ")" | operand cmp operand
 *   cmp     := "==" | "!=" | "<" | "<=" | ">" | ">="
 *   operand := NAME | NUMBER | "text" | 'text'
 *
 * NAME is a CSV column ([A-Za-z_.][A-Za-z0-9_.]*). A column compared with a NUMBER is read as
 * a number (a cell that is not one is an error naming file:line:col); compared with a quoted
 * text it is compared as text (byte order); two columns compare as numbers when both cells
 * are numbers, as text otherwise. Errors in the expression name its column:
 * "subset:1:COL: ...".
 */
#ifndef TW_IO_SUBSET_H
#define TW_IO_SUBSET_H

#include <stdbool.h>

#include "core/err.h"
#include "io/csv.h"

/* Longest expression, and deepest nesting of parentheses and "!". */
#define TW_SUBSET_MAX_LEN 4096
#define TW_SUBSET_MAX_DEPTH 64

/*
 * Keep the rows of t for which `expr` is true: t's rows are compacted in place (cells keep
 * their original line numbers for later messages). *n_kept receives the count.
 * Returns TW_OK; TW_EPARSE (malformed expression, "subset:1:COL: ..."); TW_EINVAL (unknown
 * column, a cell that is not a number where one is needed, no row kept); TW_ENOMEM.
 */
TW_INTERNAL tw_status tw_subset_apply(tw_csv_table *t, const char *expr, size_t *n_kept,
                                      tw_err *err);

#endif
