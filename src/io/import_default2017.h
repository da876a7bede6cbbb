/* SPDX-License-Identifier: MIT */
/*
 * src/io/import_default2017.h: the "default2017" importer with its options, for the tests
 * and for tools/gen_default_world.c (which prints the before/after effect of the FOOD rule).
 *
 * tw_world_import("default2017", ...) runs it with the defaults; the rules it applies are
 * listed in the header of src/io/import_default2017.c and in docs/default-world.md.
 */
#ifndef TW_IO_IMPORT_DEFAULT2017_H
#define TW_IO_IMPORT_DEFAULT2017_H

#include <stdbool.h>

#include "core/diag.h"
#include "core/world.h"

/* Choices of the importer that can be switched off to measure their effect. */
struct tw_default2017_opts {
    bool fix_food; /* apply rule T2 (cap the tobacco-distorted FOOD tariffs of USA and CHN at
                      their 2017 trade-weighted rates); default true */
};

/* Fill `o` with the defaults (the choices the committed default world is built with). */
TW_INTERNAL void tw_default2017_opts_init(struct tw_default2017_opts *o);

/*
 * Build the default world from the shared data root `src_dir` (in; the folder that holds
 * wiod_2011_mrio/, icio_2017_trade_tariffs/ and uschina/). `o` (in) may be NULL for the
 * defaults. Problems go to `d`; returns TW_OK, TW_EIO (a file is missing), TW_EPARSE,
 * TW_EINVAL (bad data), TW_ENOMEM. On failure *out is NULL.
 */
TW_INTERNAL tw_status tw_import_default2017_opts(const char *src_dir,
                                                 const struct tw_default2017_opts *o,
                                                 struct tw_world **out, tw_diag *d,
                                                 tw_err *err);

#endif
