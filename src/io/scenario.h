/* SPDX-License-Identifier: MIT */
/*
 * src/io/scenario.h: the scenario-file parser (YAML, docs/scenarios.md) behind the public
 * tw_scenario_read / tw_scenario_read_buf, with its limits.
 *
 * The parser fills a struct tw_scenario (core/scenario.h) without looking at any world: codes
 * stay text, with their positions, and are resolved when the scenario is run. Everything the
 * schema can check alone is checked here, and every failure is reported as
 * `FILE:LINE:COL: what was found, expected what` naming the offending key.
 *
 * The one exception to "text until run": a tariff action's product list (`products`) is read
 * at parse time, with its CSV files (paths relative to the directory of `name`, or
 * "shared:REL" under $TW_SHARED_DATA), and becomes per-sector values for the built-in world's
 * sectors (docs/scenarios.md, "Product lists"). A list or weights file that cannot be read
 * gives TW_EIO, a bad one TW_EPARSE, both with the position of its path in the scenario.
 *
 * Limits are named below and can be lowered per call (tests, fuzzing) through
 * tw_scenario_limits, as for the CSV reader.
 */
#ifndef TW_IO_SCENARIO_H
#define TW_IO_SCENARIO_H

#include <stddef.h>

#include "core/err.h"
#include "core/scenario.h"

/* Largest scenario file accepted, in bytes (16 MiB). Larger: TW_EIO. */
#define TW_SCENARIO_MAX_FILE_SIZE ((size_t)16 * 1024 * 1024)
/* Most actions in one file. More: TW_EPARSE. */
#define TW_SCENARIO_MAX_ACTIONS 100000
/* Deepest nesting of YAML mappings and lists, the top-level mapping counting as 1 (the schema
 * itself needs 5). Deeper: TW_EPARSE. */
#define TW_SCENARIO_MAX_DEPTH 16
/* Longest string (any scalar: key, code, name, description, path), in bytes. Longer:
 * TW_EPARSE. */
#define TW_SCENARIO_MAX_STRING 4096

/* Parser limits; tw_scenario_limits_init() fills the defaults above. Each must be >= 1. */
typedef struct tw_scenario_limits {
    size_t max_file_size; /* bytes of input; default TW_SCENARIO_MAX_FILE_SIZE */
    size_t max_actions;   /* entries of `actions`; default TW_SCENARIO_MAX_ACTIONS */
    size_t max_depth;     /* nesting levels; default TW_SCENARIO_MAX_DEPTH */
    size_t max_string;    /* bytes per scalar; default TW_SCENARIO_MAX_STRING */
} tw_scenario_limits;

TW_INTERNAL void tw_scenario_limits_init(tw_scenario_limits *lim);

/*
 * tw_scenario_read_buf with explicit limits (`lim` may be NULL for the defaults). `buf` (in)
 * holds `len` bytes of YAML and need not be NUL-terminated; `name` (in) is used in messages
 * and stored as the scenario's `file`. Returns TW_OK; TW_EPARSE; TW_EIO (len larger than
 * max_file_size, or a product-list CSV that cannot be read); TW_EINVAL (NULL arguments, a zero
 * limit); TW_ENOMEM. On failure *out is NULL.
 */
TW_INTERNAL tw_status tw_scenario_read_buf_limits(const char *buf, size_t len, const char *name,
                                                  const tw_scenario_limits *lim,
                                                  struct tw_scenario **out, tw_err *err);

#endif
