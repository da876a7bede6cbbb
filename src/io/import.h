/* SPDX-License-Identifier: MIT */
/*
 * src/io/import.h: importers that build a world from a published data source.
 *
 * An importer is one file, src/io/import_<name>.c, that describes the source folder as a
 * tw_bundle_format (io/bundle.h: file names, column names, which tables are complete) plus
 * the metadata to record, and calls tw_import_run. Registering it takes one line in the table
 * of src/io/import.c and its declaration below. tw_world_import (public) looks the name up in
 * that table; tw_world_importers lists it.
 */
#ifndef TW_IO_IMPORT_H
#define TW_IO_IMPORT_H

#include "core/diag.h"
#include "core/world.h"
#include "io/bundle.h"

/*
 * An importer: read the source folder `src_dir` (in) into a new validated world (*out).
 * Problems go to `d` (errors and warnings); the return is TW_OK, the status of the first
 * error (TW_EIO, TW_EPARSE, TW_EINVAL) or TW_ENOMEM. On failure *out is NULL.
 */
typedef tw_status (*tw_import_fn)(const char *src_dir, struct tw_world **out, tw_diag *d,
                                  tw_err *err);

/* Metadata an importer records in the world (all borrowed static strings). */
struct tw_import_meta {
    const char *name;     /* e.g. "Caliendo-Parro 2015 NAFTA world" */
    const char *year;     /* base year, e.g. "1993" */
    const char *currency; /* e.g. "USD" */
    const char *source;   /* citation of the paper and of the data package */
};

/*
 * The common driver: load `fmt` from src_dir (tw_bundle_load), record `meta`, validate
 * (tw_world_validate). Returns as tw_import_fn.
 */
/*
 * For worlds without input-output links (ossa2014, icio2017, wiod2014, lashkaripour-*): value-added
 * share 1 and final-demand shares = each sector's share of the country's absorption gross of
 * tariffs, sum_i flow * (1 + tariff). A country that buys nothing is an error naming
 * `flows_file` (relative to b->dir). Returns TW_OK or the bundle error.
 */
TW_INTERNAL tw_status tw_import_absorption_shares(struct tw_bundle *b, const char *flows_file);

/*
 * Load the bundle described by fmt from src_dir; when it loaded without errors, run `derive`
 * (NULL: nothing; for sources whose tables need conversion, e.g. sigma to theta) on it, then
 * record `meta`, validate, and hand the world to *out. Returns TW_OK or the first error.
 */
TW_INTERNAL tw_status tw_import_run(const char *src_dir, const struct tw_bundle_format *fmt,
                                    const struct tw_import_meta *meta,
                                    tw_status (*derive)(struct tw_bundle *b),
                                    struct tw_world **out, tw_diag *d, tw_err *err);

/* The importers. */
TW_INTERNAL tw_status tw_import_cp2015(const char *src_dir, struct tw_world **out, tw_diag *d,
                                       tw_err *err);
TW_INTERNAL tw_status tw_import_default2017(const char *src_dir, struct tw_world **out,
                                            tw_diag *d, tw_err *err);
/* The full-resolution worlds of the shared datasets (src/io/import_full.c). */
TW_INTERNAL tw_status tw_import_wiod2011(const char *src_dir, struct tw_world **out, tw_diag *d,
                                         tw_err *err);
TW_INTERNAL tw_status tw_import_icio2017(const char *src_dir, struct tw_world **out, tw_diag *d,
                                         tw_err *err);
TW_INTERNAL tw_status tw_import_lashkaripour_wiod2014(const char *src_dir, struct tw_world **out,
                                                     tw_diag *d, tw_err *err);
TW_INTERNAL tw_status tw_import_lashkaripour_icio2017(const char *src_dir, struct tw_world **out,
                                                     tw_diag *d, tw_err *err);
TW_INTERNAL tw_status tw_import_ossa2014(const char *src_dir, struct tw_world **out, tw_diag *d,
                                         tw_err *err);
TW_INTERNAL tw_status tw_import_wiod2014(const char *src_dir, struct tw_world **out, tw_diag *d,
                                         tw_err *err);

#endif
