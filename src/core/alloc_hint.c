/* SPDX-License-Identifier: MIT */
/*
 * src/core/alloc_hint.c: see alloc_hint.h.
 */
#define _DEFAULT_SOURCE

#include "core/alloc_hint.h"

#include <stdint.h>

#if defined(__linux__)
#include <sys/mman.h>
#endif

void tw_alloc_hint_huge(void *p, size_t bytes)
{
#if defined(__linux__) && defined(MADV_HUGEPAGE)
    const uintptr_t huge = (uintptr_t)2 << 20;
    if (p == NULL || bytes < TW_ALLOC_HUGE_MIN)
        return;
    uintptr_t lo = ((uintptr_t)p + huge - 1) & ~(huge - 1);
    uintptr_t hi = ((uintptr_t)p + bytes) & ~(huge - 1);
    if (hi > lo)
        (void)madvise((void *)lo, (size_t)(hi - lo), MADV_HUGEPAGE);
#else
    (void)p;
    (void)bytes;
#endif
}
