/* SPDX-License-Identifier: MIT */
/*
 * src/core/alloc.c: allocator wrapper with an optional "fail the Nth allocation" hook.
 */
#include "core/alloc.h"

#include "core/alloc_hint.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#ifdef TW_FAULT_INJECTION
static long fault_at;       /* 0 = off; otherwise the allocation number that fails */
static long fault_count;    /* allocations since the hook was armed */
static int fault_triggered; /* the failure happened */

static int fault_should_fail(void)
{
    fault_count++;
    if (fault_at > 0 && fault_count == fault_at) {
        fault_triggered = 1;
        return 1;
    }
    return 0;
}
void tw_fault_alloc_fail_at(long n)
{
    fault_at = n;
    fault_count = 0;
    fault_triggered = 0;
}
long tw_fault_alloc_count(void) { return fault_count; }
int tw_fault_alloc_triggered(void) { return fault_triggered; }
#else
static int fault_should_fail(void) { return 0; }
void tw_fault_alloc_fail_at(long n) { (void)n; }
long tw_fault_alloc_count(void) { return 0; }
int tw_fault_alloc_triggered(void) { return 0; }
#endif

void *tw_malloc(size_t size)
{
    if (fault_should_fail())
        return NULL;
    return malloc(size == 0 ? 1 : size);
}

void *tw_calloc(size_t n, size_t size)
{
    if (size != 0 && n > SIZE_MAX / size)
        return NULL;
    if (fault_should_fail())
        return NULL;
    return calloc(n == 0 ? 1 : n, size == 0 ? 1 : size);
}

double *tw_alloc_doubles(size_t n)
{
    if (n > SIZE_MAX / sizeof(double))
        return NULL;
    return tw_malloc(n * sizeof(double));
}

void *tw_malloc_big(size_t size)
{
    const size_t page = (size_t)2 << 20;
    if (size < TW_ALLOC_HUGE_MIN)
        return tw_malloc(size);
    if (size > SIZE_MAX - page)
        return NULL;
    if (fault_should_fail())
        return NULL;
    size_t bytes = (size + page - 1) & ~(page - 1);
    void *p = aligned_alloc(page, bytes);
    tw_alloc_hint_huge(p, bytes);
    return p;
}

void tw_free(void *p) { free(p); }

char *tw_strdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = tw_malloc(n);
    if (p != NULL)
        memcpy(p, s, n);
    return p;
}
