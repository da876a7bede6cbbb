/* SPDX-License-Identifier: MIT */
/*
 * src/io/concord.h: concordances from product and industry classifications to the ten model
 * sectors of the built-in world (AGR MIN FOOD TEX CHEM MET MACH TRAN OMAN SERV).
 *
 * Three tables, all const C data in concord.c and the single source of truth (the CSV files
 * in data/concordance/ are generated from them by tw_concord_write, and a unit test checks
 * that the committed files are current):
 *   - HS 2-digit chapters 01-99 -> sector. Chapters 01-97 except 77 map to a sector; 77 is
 *     reserved in the HS; 98 and 99 are left to national use (China's "chapter level only"
 *     lines, the US HTS special provisions and chapter 99 additional duties) and are
 *     excluded.
 *   - HS 4-digit headings that override their chapter (a chapter that straddles two ISIC
 *     divisions mapped to different sectors, where the heading matters in US-China trade:
 *     crude oil vs refined products, raw cotton vs textiles, logs vs sawn wood, ...).
 *   - NAICS 3-digit (Census trade basis) -> sector. The Census special codes 910 (waste and
 *     scrap), 930 (used or second-hand merchandise), 980 (goods returned) and 990 (other
 *     special classification provisions) are not industries and are excluded.
 * docs/concordances.md justifies every mixed chapter and each exclusion.
 *
 * Invariants: every sector field names one of the ten sector codes, or is NULL for an
 * excluded row; table rows are sorted by code; HS4 overrides never repeat their chapter's
 * sector.
 */
#ifndef TW_IO_CONCORD_H
#define TW_IO_CONCORD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "core/err.h"

/* Number of model sectors the concordances map to. */
#define TW_CONCORD_N_SECTOR 10

/* One model sector. */
struct tw_concord_sector {
    const char *code; /* "AGR", ... */
    const char *name; /* readable name */
    const char *isic; /* ISIC Rev. 4 divisions covered, e.g. "A01-A03" */
};

/* One HS chapter. */
struct tw_concord_hs2 {
    unsigned chapter;        /* 1..99 */
    const char *sector;      /* sector code, NULL when excluded (77, 98, 99) */
    const char *status;      /* "mapped", "reserved" (77) or "national" (98, 99) */
    const char *description; /* short HS chapter title */
    const char *note;        /* why this sector, "" when the chapter is homogeneous */
};

/* One HS heading that overrides its chapter. */
struct tw_concord_hs4 {
    const char *heading;     /* 4 digits, e.g. "2710" */
    const char *sector;      /* sector code (never NULL, never the chapter's sector) */
    const char *description; /* short heading title */
    const char *note;        /* ISIC/NAICS reason */
};

/* One NAICS 3-digit code. */
struct tw_concord_naics3 {
    const char *code;        /* "111", ... */
    const char *sector;      /* sector code, NULL when excluded */
    const char *description; /* Census title */
    const char *note;        /* why, "" when obvious */
};

/* Outcome of a lookup. */
enum tw_concord_match {
    TW_CONCORD_MAPPED = 0,   /* *s set */
    TW_CONCORD_EXCLUDED = 1, /* a known code deliberately not mapped (HS 77/98/99, NAICS 9xx) */
    TW_CONCORD_UNKNOWN = 2   /* not a code of the classification (malformed or absent) */
};

/* The sector table ([TW_CONCORD_N_SECTOR], in model order). */
TW_INTERNAL const struct tw_concord_sector *tw_concord_sectors(void);
/* Index of a sector code; false when not a sector. */
TW_INTERNAL bool tw_concord_find_sector(const char *code, size_t *s);

/* The tables and their lengths (*n, out). */
TW_INTERNAL const struct tw_concord_hs2 *tw_concord_hs2_table(size_t *n);
TW_INTERNAL const struct tw_concord_hs4 *tw_concord_hs4_table(size_t *n);
TW_INTERNAL const struct tw_concord_naics3 *tw_concord_naics3_table(size_t *n);

/*
 * Sector of an HS/HTS code given as text: at least 2 leading digits; the rest may be digits or
 * a workbook suffix (China's "8521101100A"). The HS4 override applies when the code has 4 or
 * more leading digits. *s is set only for TW_CONCORD_MAPPED.
 */
TW_INTERNAL enum tw_concord_match tw_concord_hs(const char *code, size_t *s);

/* Sector of a NAICS 3-digit code ("334"). *s is set only for TW_CONCORD_MAPPED. */
TW_INTERNAL enum tw_concord_match tw_concord_naics(const char *code, size_t *s);

/* Writing the tables as CSV is public: tw_concord_write() and tw_concord_names() in
 * tradewar.h. */

#endif
