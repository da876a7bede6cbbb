/* SPDX-License-Identifier: MIT */
/*
 * src/core/alloc_hint.h: advice to the kernel about large working arrays.
 */
#ifndef TW_CORE_ALLOC_HINT_H
#define TW_CORE_ALLOC_HINT_H

#include <stddef.h>

#include "core/err.h"

/* Arrays at least this large are worth backing by transparent huge pages. */
#define TW_ALLOC_HUGE_MIN ((size_t)4 << 20)

/*
 * Ask for transparent huge pages on the 2 MiB-aligned interior of [p, p + bytes) when bytes
 * >= TW_ALLOC_HUGE_MIN (Linux madvise(MADV_HUGEPAGE); a no-op elsewhere or on failure). Call it
 * before first touching the memory: on a virtual machine every 4 KiB page fault is costly, and
 * a multi-million-row estimation touches hundreds of MiB once per fit. Never changes contents.
 */
TW_INTERNAL void tw_alloc_hint_huge(void *p, size_t bytes);

#endif
