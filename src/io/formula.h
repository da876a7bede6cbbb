/* SPDX-License-Identifier: MIT */
/*
 * src/io/formula.h: the estimation formula parser (fixest syntax, a subset).
 *
 *   formula  := outcome '~' terms [ '|' fes ]
 *   terms    := term ( '+' term )*
 *   term     := NAME | 'log(' NAME ')'
 *   fes      := fe ( '+' fe )*
 *   fe       := NAME ( '^' NAME )*          (an interaction: one level per combination)
 *   NAME     := [A-Za-z_.][A-Za-z0-9_.]*
 * Spaces, tabs and newlines between tokens are ignored. Example:
 *   trade ~ log(dist) + cntg + lang + clny | exporter^year + importer^year
 * A name may not appear twice among the regressors or among the FE terms.
 *
 * Errors are TW_EPARSE with `name:line:col: what was expected, what was found`, the column
 * being the 1-based byte position of the offending token on its line, e.g.
 * `formula:1:12: expected a variable name, got '+'`. Limits (TW_EPARSE when exceeded): see the
 * constants below.
 *
 * Ownership: a tw_formula owns all its strings; tw_formula_free(NULL) is a no-op.
 */
#ifndef TW_IO_FORMULA_H
#define TW_IO_FORMULA_H

#include <stdbool.h>
#include <stddef.h>

#include "core/err.h"

/* Longest formula text, in bytes. */
#define TW_FORMULA_MAX_LEN 4096
/* Most regressors after '~'. */
#define TW_FORMULA_MAX_REGRESSORS 1000
/* Most fixed-effect terms after '|'. */
#define TW_FORMULA_MAX_FE 8
/* Most variables in one interaction a^b^... */
#define TW_FORMULA_MAX_INTERACT 8

typedef enum tw_formula_fn { TW_FORMULA_ID = 0, TW_FORMULA_LOG = 1 } tw_formula_fn;

typedef struct tw_formula_term {
    char *var;          /* column name */
    tw_formula_fn fn;   /* transformation applied to the column */
    char *label;        /* display name: "dist" or "log(dist)" */
} tw_formula_term;

typedef struct tw_formula_fe {
    size_t n_vars;      /* 1..TW_FORMULA_MAX_INTERACT */
    char **vars;        /* column names */
    char *label;        /* "exporter^year" */
} tw_formula_fe;

typedef struct tw_formula {
    char *outcome;            /* column name of y */
    size_t n_x;               /* regressors, 0..TW_FORMULA_MAX_REGRESSORS */
    tw_formula_term *x;       /* [n_x] */
    size_t n_fe;              /* FE terms, 0..TW_FORMULA_MAX_FE */
    tw_formula_fe *fe;        /* [n_fe] */
} tw_formula;

/*
 * Parse `len` bytes of `text` (need not be NUL-terminated); `name` labels messages
 * ("formula" when NULL). Returns TW_OK, TW_EPARSE, TW_EINVAL (NULL arguments), TW_ENOMEM.
 * On failure *out is NULL.
 */
TW_INTERNAL tw_status tw_formula_parse(const char *text, size_t len, const char *name,
                                       tw_formula **out, tw_err *err);
TW_INTERNAL void tw_formula_free(tw_formula *f);

#endif
