/* SPDX-License-Identifier: MIT */
/*
 * src/core/err.c: status names and the single error writer (see err.h).
 */
#include "core/err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

tw_status tw_err_set_at(tw_err *err, tw_status code, const char *file, int line,
                        const char *fmt, ...)
{
    if (err == NULL)
        return code;
    err->code = code;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(err->msg, sizeof err->msg, fmt, ap);
    va_end(ap);
    if (n < 0)
        err->msg[0] = '\0';
    if (file != NULL) {
        size_t len = strlen(err->msg);
        if (len + 8 < sizeof err->msg)
            snprintf(err->msg + len, sizeof err->msg - len, " [%s:%d]", file, line);
    }
    return code;
}

void tw_err_prefix(tw_err *err, const char *fmt, ...)
{
    if (err == NULL || err->code == TW_OK)
        return;
    char head[TW_ERR_MSG_SIZE];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(head, sizeof head, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    /* Shift the message right and put "head: " in front, truncating at the buffer's end. */
    size_t hl = strlen(head), ml = strlen(err->msg), cap = sizeof err->msg - 1;
    if (hl + 2 > cap)
        hl = cap - 2;
    size_t keep = ml < cap - hl - 2 ? ml : cap - hl - 2;
    memmove(err->msg + hl + 2, err->msg, keep);
    memcpy(err->msg, head, hl);
    err->msg[hl] = ':';
    err->msg[hl + 1] = ' ';
    err->msg[hl + 2 + keep] = '\0';
}

void tw_err_clear(tw_err *err)
{
    if (err == NULL)
        return;
    err->code = TW_OK;
    err->msg[0] = '\0';
}

const char *tw_status_str(tw_status s)
{
    switch (s) {
    case TW_OK: return "ok";
    case TW_CONTINUE: return "continue";
    case TW_NOT_CONVERGED: return "not converged";
    case TW_DROPPED: return "dropped";
    case TW_EINVAL: return "invalid argument or data";
    case TW_ENOMEM: return "out of memory";
    case TW_EIO: return "input/output error";
    case TW_EPARSE: return "parse error";
    case TW_ENUMERIC: return "numerical failure";
    case TW_EINTERRUPTED: return "interrupted";
    case TW_EINTERNAL: return "internal error";
    }
    return "unknown status";
}

const char *tw_version(void) { return TW_VERSION; }
