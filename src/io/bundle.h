/* SPDX-License-Identifier: MIT */
/*
 * src/io/bundle.h: reading and writing a world from a folder of code-keyed CSV tables.
 *
 * A world is stored as a few CSV files: two code lists (regions, sectors) that fix the index
 * order, then numeric tables whose rows are keyed by codes ("USA,MEX,auto,1.5e9"). The world
 * bundle (docs/world-format.md) and every importer's source folder have this shape; they
 * differ only in file and column names, in whether extra columns are allowed, and in a few
 * per-table rules. Those differences are data: a tw_bundle_format lists the tables, and
 * tw_bundle_load reads any of them with the same checks and messages. The bundle writer uses
 * the same table descriptions, so the reader and the writer cannot disagree.
 *
 * Problems go to a tw_diag (core/diag.h), one entry per problem, formatted
 * `path:line:col: what was found, what was expected` (`path: ...` for whole-file problems),
 * and loading goes on after them, so a checker can list everything at once. Only running out
 * of memory stops it (TW_ENOMEM). A table that cannot be read at all (missing file, malformed
 * CSV, missing column) is skipped; when the code lists cannot be read, no world is allocated
 * and the numeric tables are not read (their codes could not be resolved).
 *
 * Invariants: after tw_bundle_load, b->w is NULL or a world whose every cell either came from
 * exactly one valid row or is 0 (missing required rows are reported, never invented).
 * Ownership: struct tw_bundle owns b->w until the caller takes it (sets b->w = NULL).
 */
#ifndef TW_IO_BUNDLE_H
#define TW_IO_BUNDLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "core/diag.h"
#include "core/world.h"
#include "io/csv.h"

/* Missing required rows reported one by one per table before a single summary entry. */
#define TW_BUNDLE_MAX_MISSING 10

/* How the key columns of a numeric table address a world array (layouts in core/world.h). */
typedef enum tw_bundle_shape {
    TW_BUNDLE_SECTOR,  /* key: sector -> [s] */
    TW_BUNDLE_COUNTRY, /* key: country -> [c] */
    TW_BUNDLE_CS,      /* keys: country, sector -> [c*S + s] */
    TW_BUNDLE_EIS,     /* keys: exporter, importer, sector -> [(s*N + j)*N + i] */
    TW_BUNDLE_IES,     /* keys: importer, exporter, sector -> [(s*N + j)*N + i] */
    TW_BUNDLE_CKS      /* keys: country, input sector, using sector -> [(c*S + k)*S + s] */
} tw_bundle_shape;

/* Sign rule on a numeric column, checked per cell (ranges of shares are left to
 * tw_world_validate, which knows the tolerances). */
typedef enum tw_bundle_sign {
    TW_BUNDLE_ANY_SIGN, /* any finite number */
    TW_BUNDLE_NONNEG,   /* >= 0 */
    TW_BUNDLE_POSITIVE  /* > 0 */
} tw_bundle_sign;

/* A numeric table. */
struct tw_bundle_table {
    const char *file;      /* file name inside the folder, "flows.csv" */
    tw_bundle_shape shape; /* which world array layout the keys address */
    const char *key[3];    /* key column names in the shape's order; unused entries NULL */
    const char *value;     /* the value column's name */
    tw_bundle_sign sign;   /* per-cell sign rule */
    bool complete;         /* every cell needs a row; otherwise unlisted cells are 0 */
    bool optional;         /* the file may be absent (the array keeps its allocation defaults) */
    bool zero_diagonal;    /* a non-zero value with importer == exporter is an error */
    bool tradable_only;    /* a non-zero off-diagonal value in a non-tradable sector is an
                              error */
    size_t array;          /* offsetof(struct tw_world, <double * field>) of the target */
};

/* A code list: one row per region or sector, in index order. */
struct tw_bundle_codes {
    const char *file;     /* "regions.csv" */
    const char *noun;     /* "region" or "sector", for messages */
    const char *code;     /* code column */
    const char *name;     /* name column */
    const char *tradable; /* 0/1 column (sectors only), or NULL */
    const char *order;    /* column that must equal the 0-based row position, or NULL */
};

/* Everything tw_bundle_load needs to know about a folder layout. */
struct tw_bundle_format {
    const struct tw_bundle_codes *regions; /* the country list */
    const struct tw_bundle_codes *sectors; /* the sector list */
    const struct tw_bundle_table *tables;  /* [n_tables] numeric tables, read in this order */
    size_t n_tables;
    bool extra_columns_ok; /* true: ignore unknown columns (importer sources); false: error */
};

/* A code -> index lookup (sorted; duplicates resolve to the lowest index). */
struct tw_bundle_index {
    struct tw_bundle_entry {
        const char *code; /* borrowed from the world */
        size_t idx;       /* position in the code list */
    } *e;                 /* [n], sorted by (code, idx) */
    size_t n;
};

/* State of one load. */
struct tw_bundle {
    const char *dir;                  /* borrowed: the folder, as given (used in messages) */
    tw_diag *d;                       /* borrowed: problems found */
    tw_err *err;                      /* borrowed: where TW_ENOMEM is reported */
    tw_status first;                  /* status of the first error added; TW_OK when none */
    bool extra_columns_ok;            /* set from the format during tw_bundle_load */
    struct tw_world *w;               /* owned: the world being filled, NULL until the code
                                         lists are read */
    struct tw_bundle_index countries; /* owned: lookup of w->country_code */
    struct tw_bundle_index sectors;   /* owned: lookup of w->sector_code */
    const char *regions_file;         /* borrowed: code-list file names for messages */
    const char *sectors_file;
};

/* The world bundle format (docs/world-format.md): code lists and numeric tables. */
TW_INTERNAL extern const struct tw_bundle_codes tw_bundle_world_regions;
TW_INTERNAL extern const struct tw_bundle_codes tw_bundle_world_sectors;
TW_INTERNAL extern const struct tw_bundle_table tw_bundle_world_tables[];
TW_INTERNAL extern const size_t tw_bundle_world_n_tables;
TW_INTERNAL extern const struct tw_bundle_format tw_bundle_world_format;

/* Metadata keys of meta.csv, NULL-terminated, and the world field each one fills (NULL for an
 * unknown key). */
TW_INTERNAL extern const char *const tw_bundle_meta_keys[];
TW_INTERNAL char **tw_bundle_meta_slot(struct tw_world *w, const char *key);

/* Start a load of folder `dir` reporting into `d`. Never fails. */
TW_INTERNAL void tw_bundle_init(struct tw_bundle *b, const char *dir, tw_diag *d, tw_err *err);
/* Free what b owns (the world unless taken, the indexes). */
TW_INTERNAL void tw_bundle_clear(struct tw_bundle *b);

/* Add an error of kind `kind` (the status tw_world_read will return if it is the first:
 * TW_EIO, TW_EPARSE or TW_EINVAL). Returns TW_OK or TW_ENOMEM. */
TW_INTERNAL tw_status tw_bundle_error(struct tw_bundle *b, tw_status kind, const char *fmt, ...)
    TW_PRINTF(3, 4);

/* "dir/file" (no doubled '/'), newly allocated (tw_free); NULL when out of memory. */
TW_INTERNAL char *tw_bundle_path(const char *dir, const char *file);

/*
 * Read dir/file as CSV into *t (out). When the file is missing or malformed the problem is
 * added to the diag and *t is NULL; returns TW_OK then too. Returns TW_ENOMEM only.
 * *path (out) receives the path used in messages (tw_free it), even when *t is NULL.
 */
TW_INTERNAL tw_status tw_bundle_open(struct tw_bundle *b, const char *file, char **path,
                                     tw_csv_table **t);

/*
 * Map the columns named names[0..n) (NULL entries are skipped) to positions idx[0..n). All
 * named columns are required. Duplicated and missing columns, and unknown ones unless
 * b->extra_columns_ok, are reported. *ok (out) is true when every named column was found once.
 * Returns TW_OK or TW_ENOMEM.
 */
TW_INTERNAL tw_status tw_bundle_columns(struct tw_bundle *b, const tw_csv_table *t,
                                        const char *path, const char *const *names, size_t n,
                                        size_t *idx, bool *ok);

/*
 * Read the code lists and numeric tables of `fmt` from b->dir into b->w, reporting every
 * problem. Returns TW_OK (problems, if any, are in the diag and b->first) or TW_ENOMEM.
 */
TW_INTERNAL tw_status tw_bundle_load(struct tw_bundle *b, const struct tw_bundle_format *fmt);

/*
 * Run tw_world_validate on b->w (when b->w is set and no error was found so far), recording
 * its errors as TW_EINVAL. Returns TW_OK or TW_ENOMEM.
 */
TW_INTERNAL tw_status tw_bundle_validate(struct tw_bundle *b);

/* Message of the first error in d ("" when there is none); borrowed from d. */
TW_INTERNAL const char *tw_bundle_first_error(const tw_diag *d);

/* Build / query / free a code index over codes[0..n) (borrowed: must outlive the index). */
TW_INTERNAL tw_status tw_bundle_index_build(struct tw_bundle_index *ix, char *const *codes,
                                            size_t n, tw_err *err);
TW_INTERNAL bool tw_bundle_index_find(const struct tw_bundle_index *ix, const char *code,
                                      size_t *idx);
TW_INTERNAL void tw_bundle_index_free(struct tw_bundle_index *ix);

/*
 * Write the code list / numeric table `spec` of `w` to fp (header included): rows in key
 * order, every cell when spec->complete, else only non-zero cells. Returns TW_OK, TW_EINVAL
 * (a value is not finite: it could not be read back), TW_EIO (stream error).
 */
TW_INTERNAL tw_status tw_bundle_write_codes(const struct tw_world *w,
                                            const struct tw_bundle_codes *spec, FILE *fp,
                                            tw_err *err);
TW_INTERNAL tw_status tw_bundle_write_table(const struct tw_world *w,
                                            const struct tw_bundle_table *spec, FILE *fp,
                                            tw_err *err);

#endif
