/* SPDX-License-Identifier: MIT */
/*
 * src/core/diag.c: diagnostics list (see diag.h).
 */
#include "core/diag.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "core/alloc.h"

tw_status tw_diag_new(tw_diag **out, tw_err *err)
{
    *out = tw_calloc(1, sizeof **out);
    if (*out == NULL)
        return tw_err_set(err, TW_ENOMEM, "diag: out of memory");
    return TW_OK;
}

tw_status tw_diag_add(tw_diag *d, tw_severity sev, tw_err *err, const char *fmt, ...)
{
    if (sev == TW_SEV_ERROR)
        d->n_error++;
    if (d->n >= TW_DIAG_MAX) {
        d->n_dropped++;
        return TW_OK;
    }
    if (d->n == d->cap) {
        size_t cap = d->cap ? 2 * d->cap : 16;
        struct tw_diag_entry *e = tw_calloc(cap, sizeof *e);
        if (e == NULL)
            return tw_err_set(err, TW_ENOMEM, "diag: out of memory");
        if (d->n)
            memcpy(e, d->entries, d->n * sizeof *e);
        tw_free(d->entries);
        d->entries = e;
        d->cap = cap;
    }
    char buf[TW_ERR_MSG_SIZE];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    char *msg = tw_strdup(buf);
    if (msg == NULL)
        return tw_err_set(err, TW_ENOMEM, "diag: out of memory");
    d->entries[d->n].severity = sev;
    d->entries[d->n].msg = msg;
    d->n++;
    return TW_OK;
}

size_t tw_diag_count(const tw_diag *d) { return d ? d->n : 0; }
size_t tw_diag_error_count(const tw_diag *d) { return d ? d->n_error : 0; }
tw_severity tw_diag_severity(const tw_diag *d, size_t k) { return d->entries[k].severity; }
const char *tw_diag_message(const tw_diag *d, size_t k) { return d->entries[k].msg; }

void tw_diag_free(tw_diag *d)
{
    if (d == NULL)
        return;
    for (size_t k = 0; k < d->n; k++)
        tw_free(d->entries[k].msg);
    tw_free(d->entries);
    tw_free(d);
}
