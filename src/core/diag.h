/* SPDX-License-Identifier: MIT */
/*
 * src/core/diag.h: a growable list of diagnostics (warnings and errors) for checkers.
 */
#ifndef TW_CORE_DIAG_H
#define TW_CORE_DIAG_H

#include "core/err.h"

/* Cap on stored diagnostics; past it one final "... more problems" entry is kept and the rest
 * are only counted, so a hopeless file cannot exhaust memory. */
#define TW_DIAG_MAX 1000

struct tw_diag_entry {
    tw_severity severity; /* warning or error */
    char *msg;            /* owned */
};

struct tw_diag {
    struct tw_diag_entry *entries; /* [n] */
    size_t n;                      /* stored entries */
    size_t cap;                    /* allocated entries */
    size_t n_error;                /* errors seen (including those past the cap) */
    size_t n_dropped;              /* entries not stored because of TW_DIAG_MAX */
};

TW_INTERNAL tw_status tw_diag_new(tw_diag **out, tw_err *err);
/* Append a formatted entry. TW_OK or TW_ENOMEM. */
TW_INTERNAL tw_status tw_diag_add(tw_diag *d, tw_severity sev, tw_err *err, const char *fmt, ...)
    TW_PRINTF(4, 5);

#endif
