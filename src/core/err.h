/* SPDX-License-Identifier: MIT */
/*
 * src/core/err.h: the single error writer and internal helper macros.
 *
 * tw_err_set() is the only function that writes an error message: set a breakpoint on it to
 * stop at every failure. In debug builds (TW_DEBUG) it records the source location too.
 */
#ifndef TW_CORE_ERR_H
#define TW_CORE_ERR_H

#include "tradewar/tradewar.h"

#if defined(__GNUC__)
#define TW_INTERNAL __attribute__((visibility("hidden")))
#define TW_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define TW_INTERNAL
#define TW_PRINTF(a, b)
#endif

/* Record `code` and a formatted message in err (may be NULL); returns code. */
TW_INTERNAL tw_status tw_err_set_at(tw_err *err, tw_status code, const char *file, int line,
                                    const char *fmt, ...) TW_PRINTF(5, 6);
#ifdef TW_DEBUG
#define tw_err_set(err, code, ...) tw_err_set_at((err), (code), __FILE__, __LINE__, __VA_ARGS__)
#else
#define tw_err_set(err, code, ...) tw_err_set_at((err), (code), NULL, 0, __VA_ARGS__)
#endif

/* Prepend "prefix: " to an existing message (no-op when err is NULL or holds no error). */
TW_INTERNAL void tw_err_prefix(tw_err *err, const char *fmt, ...) TW_PRINTF(2, 3);

/* Reset err to TW_OK and an empty message. */
TW_INTERNAL void tw_err_clear(tw_err *err);

/* Internal invariant check: active in debug, sanitizer and fuzz builds only. It never guards
 * user input (that returns TW_EINVAL). */
#ifdef TW_DEBUG
#include <assert.h>
#define TW_ASSERT(x) assert(x)
#else
#define TW_ASSERT(x) ((void)0)
#endif

#endif
