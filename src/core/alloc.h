/* SPDX-License-Identifier: MIT */
/*
 * src/core/alloc.h: the allocator wrapper every module uses, with a failure-injection hook.
 *
 * All allocation goes through tw_malloc/tw_calloc/tw_free. When the library is built with
 * TW_FAULT_INJECTION, tests can make the Nth allocation from now fail (CHOLMOD Tcov
 * t_memory.c, Lua ltests.c): tw_fault_alloc_fail_at(n). The counter is process-global test
 * state; it is only compiled into fault-injection builds and never touched by the library
 * itself, so production behaviour does not depend on it.
 */
#ifndef TW_CORE_ALLOC_H
#define TW_CORE_ALLOC_H

#include <stddef.h>

#include "core/err.h"

TW_INTERNAL void *tw_malloc(size_t size);
/* calloc that checks n*size for overflow. */
TW_INTERNAL void *tw_calloc(size_t n, size_t size);
/* Allocate n doubles (uninitialised); checks overflow. */
TW_INTERNAL double *tw_alloc_doubles(size_t n);
/*
 * A large working array (per observation, per cell): at least TW_ALLOC_HUGE_MIN bytes are
 * allocated 2 MiB-aligned and rounded up to whole 2 MiB pages, with transparent huge pages
 * requested for all of it (core/alloc_hint.h); smaller sizes are plain tw_malloc. Released
 * with tw_free. On a virtual machine a 4 KiB page fault costs about 10 us (measured here:
 * 0.36 GB/s first touch with 4 KiB pages against 15 GB/s with huge pages), so the arrays of
 * a million-row estimation are worth backing by huge pages from their first byte.
 */
TW_INTERNAL void *tw_malloc_big(size_t size);
TW_INTERNAL void tw_free(void *p);
/* Duplicate a NUL-terminated string (NULL on failure). */
TW_INTERNAL char *tw_strdup(const char *s);

/* Test hooks (no-ops unless TW_FAULT_INJECTION). */
/* Make the n-th allocation from now fail (n >= 1); 0 disables. */
void tw_fault_alloc_fail_at(long n);
/* Number of allocations made since the last tw_fault_alloc_fail_at call. */
long tw_fault_alloc_count(void);
/* True when the injected failure has happened. */
int tw_fault_alloc_triggered(void);

#endif
