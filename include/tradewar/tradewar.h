/* SPDX-License-Identifier: MIT */
/*
 * include/tradewar/tradewar.h: the whole public API of libtradewar.
 *
 * Anything not declared here is not a published interface (src/ is private).
 *
 * CONVENTIONS
 * - Prefixes: functions and types are tw_<module>_<verb>; macros and enum constants TW_.
 * - Status: every fallible function returns tw_status. Zero is success, a positive value is
 *   success with a qualification (results valid; for TW_NOT_CONVERGED the best iterate is
 *   available and flagged), a negative value is a failure with outputs untouched (and *out set
 *   to NULL).
 * - Errors: the last argument of a fallible function is `tw_err *err`, a caller-owned buffer
 *   (may be NULL). On any non-zero status the buffer holds a one-line message, lower case, no
 *   trailing newline, naming the place and the value (`world: flows.csv:14:4: expected a
 *   number, got "n/a"`). Reporting an error never allocates.
 * - Argument order: inputs, in/out, outputs (`**out`), then `err`.
 * - Ownership, in one sentence: tradewar never takes ownership of what you pass in; objects
 *   returned through `**out` are yours and are freed with the matching `_free` (which accepts
 *   NULL); pointers returned by getters are borrowed from the handle and stay valid until it is
 *   freed. A handle that keeps a pointer to another handle says "borrowed: must outlive".
 * - Arrays are flat and row-major; indices are size_t. Country index order is the world's
 *   region order; sector order is the world's sector order.
 * - Threads: distinct handles may be used from distinct threads; one handle is not
 *   thread-safe. There is no global mutable state.
 * - Units: money in the world's currency (USD), at the baseline's prices; tariffs are
 *   ad-valorem fractions (0.25 = 25 %); "hat" values are ratios new/old; "_pct" values are
 *   percentage changes.
 */
#ifndef TRADEWAR_H
#define TRADEWAR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "tradewar/tradewar_version.h"

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__)
#define TW_API __attribute__((visibility("default")))
#else
#define TW_API
#endif

/* ------------------------------------------------------------------------------------------ */
/* Status and errors                                                                          */
/* ------------------------------------------------------------------------------------------ */

/* Return codes. Negative: failed, outputs untouched. Positive: finished, results qualified. */
typedef enum tw_status {
    TW_OK = 0,
    TW_CONTINUE = 1,      /* step API only: not converged yet, keep iterating */
    TW_NOT_CONVERGED = 2, /* iteration limit hit; best iterate available and flagged */
    TW_DROPPED = 3,       /* some observations or regressors were removed (reported) */
    TW_EINVAL = -1,       /* invalid argument or invalid data */
    TW_ENOMEM = -2,       /* out of memory */
    TW_EIO = -3,          /* file could not be read or written */
    TW_EPARSE = -4,       /* malformed input text */
    TW_ENUMERIC = -5,     /* NaN/Inf produced, singular system, non-positive price */
    TW_EINTERRUPTED = -6, /* cancelled by a progress callback */
    TW_EINTERNAL = -7     /* a broken internal invariant (a bug: please report it) */
} tw_status;

/* Size of the message buffer in tw_err, including the terminating NUL. */
#define TW_ERR_MSG_SIZE 512

/* A caller-owned error buffer. `code` repeats the status; `msg` is NUL-terminated. */
typedef struct tw_err {
    tw_status code;             /* the failing status, TW_OK when no error was recorded */
    char msg[TW_ERR_MSG_SIZE];  /* one-line message, "" when none */
} tw_err;

/* Short name of a status ("ok", "not converged", "invalid argument", ...). Never NULL. */
TW_API const char *tw_status_str(tw_status s);

/* Library version string, e.g. "0.1.0"; compare with TW_VERSION to check header/library match. */
TW_API const char *tw_version(void);

/* ------------------------------------------------------------------------------------------ */
/* Diagnostics: a list of problems found by a checker                                         */
/* ------------------------------------------------------------------------------------------ */

typedef struct tw_diag tw_diag;

typedef enum tw_severity { TW_SEV_WARNING = 1, TW_SEV_ERROR = 2 } tw_severity;

/* Number of entries. */
TW_API size_t tw_diag_count(const tw_diag *d);
/* Number of entries of severity TW_SEV_ERROR. */
TW_API size_t tw_diag_error_count(const tw_diag *d);
/* Severity of entry k (k < count). */
TW_API tw_severity tw_diag_severity(const tw_diag *d, size_t k);
/* Message of entry k, "file:line:column: what was found, what was expected"; borrowed. */
TW_API const char *tw_diag_message(const tw_diag *d, size_t k);
/* Free a list; NULL is a no-op. */
TW_API void tw_diag_free(tw_diag *d);

/* ------------------------------------------------------------------------------------------ */
/* Worlds: multi-country, multi-sector baseline economies (docs/world-format.md)              */
/* ------------------------------------------------------------------------------------------ */

typedef struct tw_world tw_world;

/*
 * Read and validate the world bundle in directory `dir` (in). On success *out is a new world.
 * Returns TW_OK; TW_EIO (a file missing or unreadable), TW_EPARSE (malformed CSV),
 * TW_EINVAL (the data fail validation: the message gives the first error; use tw_world_check
 * for all of them), TW_ENOMEM. Warnings (for example a slightly negative input-output share)
 * do not fail the read.
 */
TW_API tw_status tw_world_read(const char *dir, tw_world **out, tw_err *err);

/*
 * Run every check on the bundle in `dir` and list all problems, not just the first.
 * *out (out) receives the list even when it holds errors. Returns TW_OK when the bundle has no
 * errors (warnings allowed), TW_EINVAL when it has at least one, TW_ENOMEM on allocation
 * failure (then *out is NULL).
 */
TW_API tw_status tw_world_check(const char *dir, tw_diag **out, tw_err *err);

/*
 * Write `w` as a bundle into directory `dir`, which must not exist. The bundle is written into
 * a temporary sibling directory and renamed into place, so `dir` appears whole or not at all.
 * Numbers are written with the shortest of %.15g/%.16g/%.17g that reads back to the same
 * double, so reading the bundle back gives the same bits.
 * Returns TW_OK, TW_EINVAL (dir exists), TW_EIO, TW_ENOMEM.
 */
TW_API tw_status tw_world_write(const tw_world *w, const char *dir, tw_err *err);

/*
 * Build a world from a published data source. `source` names the importer ("cp2015": the
 * Caliendo-Parro 2015 NAFTA data, 1993, see docs/world-format.md; "default2017": the default
 * world of tw_world_default, from the shared data root holding wiod_2011_mrio/,
 * icio_2017_trade_tariffs/ and uschina/, see docs/default-world.md; "wiod2011", "icio2017",
 * "wiod2014": the full-resolution worlds from the full/ folder of wiod_2011_mrio,
 * icio_2017_trade_tariffs and wiod_2014_trade_tariffs, see docs/world-format.md); `src_dir` is
 * the folder with the source's files. Returns TW_OK, TW_EINVAL (unknown source or invalid
 * data), TW_EIO, TW_EPARSE, TW_ENOMEM.
 */
TW_API tw_status tw_world_import(const char *source, const char *src_dir, tw_world **out,
                                 tw_err *err);

/*
 * A synthetic world of n_country x n_sector for tests and benchmarks: gravity-shaped flows
 * with dominant domestic sales, about 70 % of sectors tradable, tariffs of 2-15 %, trade
 * elasticities in [3, 10], random value-added, input-output and final-demand shares that sum
 * exactly as required, and deficits equal to imports minus exports. The same seed gives the
 * same world on every machine. Returns TW_OK, TW_EINVAL (zero size), TW_ENOMEM.
 */
TW_API tw_status tw_world_synthetic(size_t n_country, size_t n_sector, unsigned long long seed,
                                    tw_world **out, tw_err *err);

/*
 * The built-in default world; returns a new world the caller frees (tw_world_free). It is the
 * pre-war 2017 world of the 2018-2019 US-China trade war: 10 regions (USA, CHN, EU, JPN, KOR,
 * CAN, MEX, IND, BRA, ROW) x 10 sectors (AGR MIN FOOD TEX CHEM MET MACH TRAN OMAN SERV, all
 * tradable), with 2017 flows and applied tariffs (OECD ICIO, Teti), 2011 value-added,
 * input-output and final-demand shares (WIOD) and Caliendo-Parro elasticities; every choice is
 * in docs/default-world.md. It is compiled into the library and equals, bit for bit, the
 * bundle data/default-world/ and tw_world_import("default2017", <shared data root>, ...).
 * Returns TW_OK, TW_EINVAL (out is NULL), TW_ENOMEM, TW_EINTERNAL (the compiled-in data fail
 * validation: a bug). Thread-safe (no shared state).
 */
TW_API tw_status tw_world_default(tw_world **out, tw_err *err);

/* Names of the available importers, NULL-terminated static array. */
TW_API const char *const *tw_world_importers(void);

/* Free a world; NULL is a no-op. */
TW_API void tw_world_free(tw_world *w);

/* Dimensions. */
TW_API size_t tw_world_n_country(const tw_world *w);
TW_API size_t tw_world_n_sector(const tw_world *w);

/* Codes and names (borrowed). Index must be in range. */
TW_API const char *tw_world_country_code(const tw_world *w, size_t c);
TW_API const char *tw_world_country_name(const tw_world *w, size_t c);
TW_API const char *tw_world_sector_code(const tw_world *w, size_t s);
TW_API const char *tw_world_sector_name(const tw_world *w, size_t s);
TW_API bool tw_world_sector_is_tradable(const tw_world *w, size_t s);

/* Look up a code; returns true and sets *idx when found. */
TW_API bool tw_world_find_country(const tw_world *w, const char *code, size_t *idx);
TW_API bool tw_world_find_sector(const tw_world *w, const char *code, size_t *idx);

/* Metadata (borrowed; "" when absent): key is "name", "year", "currency" or "source". */
TW_API const char *tw_world_meta(const tw_world *w, const char *key);

/* Baseline data. Flows are valued before tariffs (what the exporter receives), in USD. */
TW_API double tw_world_flow(const tw_world *w, size_t exporter, size_t importer, size_t s);
TW_API double tw_world_tariff(const tw_world *w, size_t importer, size_t exporter, size_t s);
TW_API double tw_world_theta(const tw_world *w, size_t s);
TW_API double tw_world_va_share(const tw_world *w, size_t c, size_t s);
TW_API double tw_world_io_share(const tw_world *w, size_t c, size_t input_s, size_t using_s);
TW_API double tw_world_final_share(const tw_world *w, size_t c, size_t s);
TW_API double tw_world_deficit(const tw_world *w, size_t c);
/* Derived: gross output of c in s (sum of its sales), value added, tariff revenue, exports and
 * imports (excluding domestic sales), absorption gross of tariffs. */
TW_API double tw_world_gross_output(const tw_world *w, size_t c, size_t s);
TW_API double tw_world_value_added(const tw_world *w, size_t c);
TW_API double tw_world_tariff_revenue(const tw_world *w, size_t c);
TW_API double tw_world_exports(const tw_world *w, size_t c);
TW_API double tw_world_imports(const tw_world *w, size_t c);

/* ------------------------------------------------------------------------------------------ */
/* Shocks: counterfactual tariffs, iceberg trade costs and productivity                        */
/* ------------------------------------------------------------------------------------------ */

typedef struct tw_shock tw_shock;

/*
 * A new zero shock on `w` (borrowed: must outlive the shock): new tariffs equal the baseline,
 * trade-cost and productivity changes equal 1. Returns TW_OK, TW_EINVAL, TW_ENOMEM.
 */
TW_API tw_status tw_shock_new(const tw_world *w, tw_shock **out, tw_err *err);
TW_API void tw_shock_free(tw_shock *sh);

/* Set the new ad-valorem tariff of `importer` on `exporter` in sector s (rate >= 0, finite). */
TW_API tw_status tw_shock_set_tariff(tw_shock *sh, size_t importer, size_t exporter, size_t s,
                                     double rate, tw_err *err);
/* Multiply the iceberg cost d of shipping s from exporter to importer by d_hat (> 0, finite). */
TW_API tw_status tw_shock_set_trade_cost(tw_shock *sh, size_t importer, size_t exporter,
                                         size_t s, double d_hat, tw_err *err);
/* Multiply the Hicks-neutral productivity of (c, s) by a_hat (> 0, finite); see
 * docs/references.md for how it enters the price equation. */
TW_API tw_status tw_shock_set_productivity(tw_shock *sh, size_t c, size_t s, double a_hat,
                                           tw_err *err);
TW_API double tw_shock_tariff(const tw_shock *sh, size_t importer, size_t exporter, size_t s);
TW_API double tw_shock_trade_cost(const tw_shock *sh, size_t importer, size_t exporter, size_t s);
TW_API double tw_shock_productivity(const tw_shock *sh, size_t c, size_t s);

/*
 * Apply a tariff CSV (`importer,exporter,sector,rate`, header required; `*` in a code column
 * means every code) to the shock: each listed cell gets its new level, later rows override
 * earlier ones, cells not listed keep their current value. `path` names the file;
 * tw_shock_apply_tariff_csv_buf reads `len` bytes from memory and uses `name` in messages.
 * Returns TW_OK, TW_EIO, TW_EPARSE, TW_EINVAL (unknown code, negative rate), TW_ENOMEM. On
 * failure the shock is unchanged.
 */
TW_API tw_status tw_shock_apply_tariff_csv(tw_shock *sh, const char *path, tw_err *err);
TW_API tw_status tw_shock_apply_tariff_csv_buf(tw_shock *sh, const char *buf, size_t len,
                                               const char *name, tw_err *err);

/* ------------------------------------------------------------------------------------------ */
/* Scenarios: dated tariff, trade-cost and productivity actions (docs/scenarios.md)            */
/* ------------------------------------------------------------------------------------------ */

typedef struct tw_scenario tw_scenario;

/*
 * Parse a scenario file (YAML, schema in docs/scenarios.md). A path ending in ".csv" is read
 * as a foundation tariff CSV (`importer,exporter,sector,rate`, new levels) and becomes a
 * one-wave scenario on the built-in world. tw_scenario_read_buf parses `len` bytes of YAML
 * from memory and uses `name` in messages. Every error names the file, line and column and
 * the offending key; unknown keys are errors. Codes are checked against a world only when the
 * scenario is run. Returns TW_OK, TW_EIO, TW_EPARSE (malformed YAML or schema violation),
 * TW_ENOMEM.
 */
TW_API tw_status tw_scenario_read(const char *path, tw_scenario **out, tw_err *err);

/*
 * Resolve a path written in a scenario file (docs/scenarios.md, "Paths"): "shared:REL" is REL
 * under $TW_SHARED_DATA (default ../shared/data); an absolute path stays as written; a relative
 * path is joined to the directory of `base_file` (the file it was written in; NULL, or a name
 * without '/', leaves it as written). Writes a NUL-terminated path into buf[cap]; returns false
 * when it did not fit (buf then holds a truncated path).
 */
TW_API bool tw_path_resolve(const char *path, const char *base_file, char *buf, size_t cap);
TW_API tw_status tw_scenario_read_buf(const char *buf, size_t len, const char *name,
                                      tw_scenario **out, tw_err *err);
TW_API void tw_scenario_free(tw_scenario *sc);

/* The built-in scenario library (the .yaml files of scenarios/, compiled into the binary): the
 * number of entries, the name of entry k (NULL when out of range), the YAML text of a name (NULL
 * when unknown), and a parsed copy of a library scenario (TW_EINVAL for an unknown name). */
TW_API size_t tw_scenario_library_count(void);
TW_API const char *tw_scenario_library_name(size_t k);
TW_API const char *tw_scenario_library_text(const char *name);
TW_API tw_status tw_scenario_library_read(const char *name, tw_scenario **out, tw_err *err);

/* Fields (borrowed; "" when absent). world is "default" or a bundle path as written. */
TW_API const char *tw_scenario_name(const tw_scenario *sc);
TW_API const char *tw_scenario_description(const tw_scenario *sc);
TW_API const char *tw_scenario_world(const tw_scenario *sc);
TW_API size_t tw_scenario_n_actions(const tw_scenario *sc);

/* What-if edits (docs/scenarios.md, "Retaliation and what-ifs"). tw_scenario_n_retaliation
 * counts the actions marked `retaliation: true` (0 for NULL). tw_scenario_drop_retaliation
 * removes them from sc (in place; n_dropped, which may be NULL, receives their number) and
 * returns TW_OK, or TW_EINVAL when sc is NULL or marks no action as retaliation (sc is then
 * unchanged): a what-if that silently changes nothing would mislead. */
TW_API size_t tw_scenario_n_retaliation(const tw_scenario *sc);
TW_API tw_status tw_scenario_drop_retaliation(tw_scenario *sc, size_t *n_dropped, tw_err *err);

/* ------------------------------------------------------------------------------------------ */
/* Derived actions: US-China trade-war tariffs by model sector (docs/concordances.md)          */
/* ------------------------------------------------------------------------------------------ */

/* Options of tw_uschina_derive. */
typedef struct tw_uschina_opts {
    double min_change_pp; /* an implemented action derived from a monthly series whose every
                             sector change is below this, in percentage points, is reported as
                             not visible in the data and not emitted; default 0.01, [0, 1] */
    bool hs6_fallback;    /* China's product file: an HS8 with 2017 imports but no HS10 line is
                             spread over the lines of its HS6; default true */
} tw_uschina_opts;

/* Fill `o` with the documented defaults. */
TW_API void tw_uschina_opts_init(tw_uschina_opts *o);

/*
 * Derive the trade-weighted change of every model sector's bilateral tariff for each action of
 * the US-China trade war, from the shared data folder `dir` (in: the `uschina/` folder, or the
 * data root that holds it; files and method in docs/concordances.md). `opts` may be NULL for
 * the defaults.
 * `report` (may be NULL) receives a readable audit: 2017 weights and pre-war tariffs by
 * sector; per action its date, imposer/target, derived and announced covered trade, the
 * sector changes in percentage points, the implied overall average after it next to Bown's
 * published average for the same period and the difference; China's MFN changes; Bown's
 * points; checks; and the count of US Section 301 lines by sector.
 * `yaml` (may be NULL) receives scenario action items (docs/scenarios.md) under one
 * `actions:` key, in two commented groups: actions that took effect, then planned ones that
 * never did (US list 4B, lists 1-3 to 30 %). Each item is a tariff action USA->CHN or
 * CHN->USA with `rate: {add: {SECTOR: fraction, ...}}` (%.6g), the file's effective and end
 * dates, and covered_usd_bn = the announced value.
 * Returns TW_OK; TW_EIO (a file missing or unreadable, or a write error); TW_EPARSE (malformed
 * CSV or a bad number: "uschina: <path>:<line>:<col>: ..."); TW_EINVAL (bad options,
 * inconsistent data, a code outside the concordances); TW_ENOMEM.
 * Reads about 8 MB of CSV; takes well under a second.
 */
TW_API tw_status tw_uschina_derive(const char *dir, const tw_uschina_opts *opts, FILE *report,
                                   FILE *yaml, tw_err *err);

/*
 * Write one complete scenario of the library built from the derived actions (default
 * options) to `out`: "us-china-2018-2019" (actions in force up to 2019-12-31),
 * "phase-one-2020" (also the 2020-02-14 Phase One cuts) or "escalation-2019-planned" (the
 * 2019 actions plus the planned list 4B and lists 1-3 at 30 %). These are the committed
 * scenarios/<name>.yaml files. Returns as tw_uschina_derive, and TW_EINVAL for an unknown
 * name.
 */
TW_API tw_status tw_uschina_write_scenario(const char *dir, const char *name, FILE *out,
                                           tw_err *err);

/*
 * Write the library scenario us-2025-2026 (the 2025-2026 US tariff regime, docs/scenarios.md)
 * to `out`, derived from the shared data root `dir` (in: us2025/, icio_2017_trade_tariffs/full
 * and uschina/). Every US and retaliation action of the data is mapped to regions and sectors
 * or listed as not modelled with the reason; the mapping's rates and dates are checked against
 * the CSVs. Returns TW_OK, TW_EIO (a file cannot be read or written), TW_EPARSE (a CSV that
 * disagrees with the mapping, or a malformed CSV), TW_EINVAL, TW_ENOMEM.
 */
TW_API tw_status tw_us2025_write_scenario(const char *dir, FILE *out, tw_err *err);

/*
 * Write concordance table `name` as CSV to `out`: "sectors", "hs2_to_sector" (HS chapters
 * 01-99), "hs4_overrides" (headings that leave their chapter's sector) or "naics3_to_sector".
 * These are the committed data/concordance/<name>.csv files. Returns TW_OK, TW_EINVAL (unknown
 * name), TW_EIO.
 */
TW_API tw_status tw_concord_write(const char *name, FILE *out, tw_err *err);
/* The table names accepted by tw_concord_write, NULL-terminated static array. */
TW_API const char *const *tw_concord_names(void);

/* ------------------------------------------------------------------------------------------ */
/* Solving: options, counterfactual results                                                    */
/* ------------------------------------------------------------------------------------------ */

/* Progress callback: observe (stage name, iteration, residual); return non-zero to cancel. */
typedef int (*tw_progress_fn)(void *ctx, const char *stage, size_t it, double residual);

/* Whether a result keeps the bilateral detail: flows by (exporter, importer, sector) and the
 * welfare decomposition by partner and sector (tw_result_flow, tw_result_tot, tw_result_vot).
 * Everything else (country and country-sector measures, flows by country pair summed over
 * sectors) is always kept. The detail costs two S*N*N arrays per result (docs/performance.md). */
typedef enum tw_bilateral {
    TW_BILATERAL_AUTO = 0, /* keep it when S*N*N <= TW_BILATERAL_AUTO_MAX_CELLS (the default) */
    TW_BILATERAL_KEEP = 1, /* always keep it (the CLI's `simulate`) */
    TW_BILATERAL_DROP = 2  /* never (sweeps): the three accessors return NaN */
} tw_bilateral;
/* 1,000,000 cells = 8 MB per array: every shipped world (CP2015 31 x 40 up to ICIO 81 x 28 and
 * synthetic 100 x 50) keeps its detail; a synthetic 200 x 100 world does not. */
#define TW_BILATERAL_AUTO_MAX_CELLS 1000000u

/* Options of the general-equilibrium solver (Caliendo-Parro 2015 appendix algorithm). */
typedef struct tw_solve_opts {
    double tol_wage;            /* stop when max_n |ln w_hat_n change| < tol_wage; default 1e-12,
                                   range (0, 1) */
    size_t max_iter;            /* cap on outer (wage) iterations; default 1000, >= 1 */
    double damping;             /* wage step v in w <- w*exp(-v*Z/VA); default 0.5, (0, 1] */
    double tol_price;           /* inner price loop: max |ln P_hat change|; default 1e-13 */
    size_t max_iter_price;      /* cap on inner price iterations per call; default 10000 */
    double tol_expenditure;     /* expenditure system: max relative change; default 1e-13 */
    size_t max_iter_expenditure;/* cap on expenditure iterations per call; default 10000 */
    size_t accel_memory;        /* Anderson acceleration memory (0 = plain iteration);
                                   default 5, range [0, 20] */
    double inner_forcing;       /* inner loops are solved to max(tol, inner_forcing * last
                                   outer change); 0 = always to full tolerance; default 1e-2,
                                   range [0, 1]. The final solution is always re-solved at
                                   full tolerance. */
    bool check_finite;          /* reject NaN/Inf in inputs; default true */
    tw_progress_fn progress;    /* optional observer, default NULL */
    void *progress_ctx;         /* passed to progress, default NULL */
    int n_threads;              /* OpenMP threads inside one solve (worlds of 2^17 or more
                                   bilateral cells; smaller ones are solved serially); 0 = the
                                   OpenMP default, 1 = serial; default 0. Results are
                                   bit-identical for any value. A solve started inside an
                                   OpenMP parallel region (a sweep's draws) is serial. */
    tw_bilateral bilateral;     /* bilateral detail of results; default TW_BILATERAL_AUTO */
} tw_solve_opts;

/* Fill `o` with the documented defaults. */
TW_API void tw_solve_opts_init(tw_solve_opts *o);

/* Treatment of trade deficits (CP2015 section 4). */
typedef enum tw_deficits {
    TW_DEFICITS_DEFAULT = -1, /* timelines only: the scenario's choice, else TW_DEFICITS_DATA */
    TW_DEFICITS_DATA = 0, /* D' = D: deficits held at their data values (in numeraire units) */
    TW_DEFICITS_ZERO = 1  /* D' = 0 in baseline and counterfactual: effects are relative to the
                             baseline re-solved with balanced trade (the paper's Table 2) */
} tw_deficits;

typedef struct tw_result tw_result;

/*
 * Solve the baseline (new tariffs = data tariffs) and the counterfactual `sh` on `w`, both
 * under `deficits`, and report counterfactual relative to baseline. `opts` may be NULL for
 * defaults. *out borrows `w` (must outlive the result).
 * Returns TW_OK; TW_NOT_CONVERGED (a result is returned, every value flagged by
 * tw_result_converged() == false, and the message says which stage and by how much);
 * TW_EINVAL (bad options, shock of another world); TW_ENUMERIC (NaN or non-positive price
 * reached); TW_EINTERRUPTED; TW_ENOMEM.
 * Complexity per outer iteration: O(N^2 J + N J^2) for N countries and J sectors.
 */
TW_API tw_status tw_simulate(const tw_world *w, const tw_shock *sh, tw_deficits deficits,
                             const tw_solve_opts *opts, tw_result **out, tw_err *err);
TW_API void tw_result_free(tw_result *r);

/* The world the result was computed on (borrowed). */
TW_API const tw_world *tw_result_world(const tw_result *r);
/* The deficit treatment used. */
TW_API tw_deficits tw_result_deficits(const tw_result *r);
/* True when both stages converged. */
TW_API bool tw_result_converged(const tw_result *r);

/* Per-stage solver report. */
typedef enum tw_stage { TW_STAGE_BASELINE = 0, TW_STAGE_COUNTERFACTUAL = 1 } tw_stage;
typedef struct tw_solver_info {
    tw_status status;              /* TW_OK or TW_NOT_CONVERGED */
    size_t iterations;             /* outer wage iterations */
    size_t price_iterations;       /* inner price iterations, summed */
    size_t expenditure_iterations; /* expenditure-system iterations, summed */
    double residual;               /* last max |change in ln w_hat| */
    double trade_balance_residual; /* max_n |Z_n| / VA_n at the solution */
    char reason[96];               /* why it stopped, e.g. "wage change below tol_wage" */
} tw_solver_info;
TW_API void tw_result_solver(const tw_result *r, tw_stage stage, tw_solver_info *info);

/* Country outcomes: counterfactual relative to baseline. */
typedef enum tw_country_measure {
    TW_C_REAL_INCOME_PCT = 0,  /* exact change in real income I/P, % */
    TW_C_WELFARE_PCT,          /* CP2015 decomposition total (ToT + VoT, discrete), % */
    TW_C_TOT_PCT,              /* terms-of-trade effect (discrete), % */
    TW_C_VOT_PCT,              /* volume-of-trade effect (discrete), % */
    TW_C_WELFARE_LOG_PCT,      /* decomposition total with log changes, % */
    TW_C_TOT_LOG_PCT,          /* terms of trade with log changes, % */
    TW_C_VOT_LOG_PCT,          /* volume of trade with log changes, % */
    TW_C_REAL_WAGE_PCT,        /* w/P, % */
    TW_C_WAGE_HAT,             /* w' / w */
    TW_C_PRICE_INDEX_HAT,      /* consumer price index P' / P */
    TW_C_INCOME_HAT,           /* nominal income I' / I */
    TW_C_TARIFF_REVENUE_HAT,   /* R' / R (1 when both are zero) */
    TW_C_EXPORTS_HAT,          /* exports (excl. domestic sales, before tariffs) */
    TW_C_IMPORTS_HAT,          /* imports (excl. domestic sales, before tariffs) */
    TW_C_WELFARE_USD,          /* equivalent variation I_base * (real income hat - 1), USD */
    TW_C_INCOME_BASE_USD,      /* baseline income I */
    TW_C_INCOME_CFL_USD,       /* counterfactual income I' */
    TW_C_TARIFF_REVENUE_BASE_USD,
    TW_C_TARIFF_REVENUE_CFL_USD,
    TW_C_EXPORTS_BASE_USD,
    TW_C_EXPORTS_CFL_USD,
    TW_C_IMPORTS_BASE_USD,
    TW_C_IMPORTS_CFL_USD,
    TW_C_DEFICIT_BASE_USD,
    TW_C_DEFICIT_CFL_USD,
    TW_C_MEASURE_COUNT
} tw_country_measure;

/* Snake-case name of a measure ("real_income_pct", ...); NULL when out of range. */
TW_API const char *tw_country_measure_name(tw_country_measure m);
TW_API double tw_result_country(const tw_result *r, tw_country_measure m, size_t c);

/* Country-sector outcomes. */
typedef enum tw_sector_measure {
    TW_S_OUTPUT_HAT = 0,   /* gross output Y' / Y */
    TW_S_PRICE_HAT,        /* sectoral price index P_hat */
    TW_S_COST_HAT,         /* input-bundle cost c_hat */
    TW_S_EXPENDITURE_HAT,  /* absorption X' / X (gross of tariffs) */
    TW_S_OUTPUT_BASE_USD,
    TW_S_OUTPUT_CFL_USD,
    TW_S_EXPENDITURE_BASE_USD,
    TW_S_EXPENDITURE_CFL_USD,
    TW_S_MEASURE_COUNT
} tw_sector_measure;
TW_API const char *tw_sector_measure_name(tw_sector_measure m);
TW_API double tw_result_sector(const tw_result *r, tw_sector_measure m, size_t c, size_t s);

/* Bilateral flow by sector before tariffs, baseline and counterfactual equilibrium, USD
 * (NaN when the result has no bilateral detail: tw_solve_opts.bilateral). */
TW_API void tw_result_flow(const tw_result *r, size_t exporter, size_t importer, size_t s,
                           double *base_usd, double *cfl_usd);

/* Welfare decomposition of country c by partner and sector (discrete form), % of c's
 * baseline income. Summed over partners and sectors they give TW_C_TOT_PCT / TW_C_VOT_PCT.
 * NaN when the result has no bilateral detail. */
TW_API double tw_result_tot(const tw_result *r, size_t c, size_t partner, size_t s);
TW_API double tw_result_vot(const tw_result *r, size_t c, size_t partner, size_t s);

/* True when the result keeps flows by sector and the decomposition by partner. */
TW_API bool tw_result_has_bilateral(const tw_result *r);
/* Flow from exporter to importer summed over sectors (sectors added in index order), before
 * tariffs, baseline and counterfactual, USD; kept whatever tw_solve_opts.bilateral says. */
TW_API void tw_result_pair_flow(const tw_result *r, size_t exporter, size_t importer,
                                double *base_usd, double *cfl_usd);

/* ------------------------------------------------------------------------------------------ */
/* Timelines: a dated scenario solved wave by wave                                             */
/* ------------------------------------------------------------------------------------------ */

typedef struct tw_timeline tw_timeline;

/*
 * Run scenario `sc` on world `w` (borrowed: must outlive the timeline). The pre-war baseline
 * (the world's data tariffs) is solved once; a wave is every distinct date on which an
 * action starts or ends (and the scenario's start when it has a tariff CSV); at each wave the
 * actions in force (effective <= date < end) are applied in effective-date then file order
 * and the equilibrium is solved relative to the baseline. The cost of the war so far is the
 * annual welfare flow (equivalent variation) of each period between waves times the years it
 * was in force, cumulated from the scenario's start to `until` ("YYYY-MM-DD"; NULL = the
 * scenario's `until`, else one year after the last wave).
 * `deficits`: TW_DEFICITS_DEFAULT takes the scenario's choice (else data).
 * Returns TW_OK; TW_NOT_CONVERGED (the timeline is returned; tw_timeline_converged is false
 * and err names the wave); TW_EINVAL (a code, group or sector in the scenario is not in the
 * world: the message names file:line:col; a tariff would become negative; bad `until`);
 * TW_EIO / TW_EPARSE (the scenario's tariff CSV); TW_ENUMERIC; TW_EINTERRUPTED; TW_ENOMEM.
 */
TW_API tw_status tw_timeline_run(const tw_world *w, const tw_scenario *sc, tw_deficits deficits,
                                 const char *until, const tw_solve_opts *opts,
                                 tw_timeline **out, tw_err *err);
TW_API void tw_timeline_free(tw_timeline *t);

TW_API const tw_world *tw_timeline_world(const tw_timeline *t);
TW_API bool tw_timeline_converged(const tw_timeline *t);
/* Dates as "YYYY-MM-DD" (borrowed). */
TW_API const char *tw_timeline_start(const tw_timeline *t);
TW_API const char *tw_timeline_until(const tw_timeline *t);
TW_API size_t tw_timeline_n_waves(const tw_timeline *t);
TW_API const char *tw_timeline_wave_date(const tw_timeline *t, size_t k);
/* What changed on that date: the ids (else labels) of the actions that start ("+") or end
 * ("-"), separated by "; ". */
TW_API const char *tw_timeline_wave_label(const tw_timeline *t, size_t k);
/* Equilibrium with every action in force at wave k, relative to the pre-war baseline. */
TW_API const tw_result *tw_timeline_wave_result(const tw_timeline *t, size_t k);
/* Index of the wave in force at `until`, or n_waves when none had started. */
TW_API size_t tw_timeline_final_wave(const tw_timeline *t);
/* Years between wave k's date and the next wave (or `until`), clipped to [start, until]. */
TW_API double tw_timeline_wave_years(const tw_timeline *t, size_t k);
/* Cumulative welfare change (equivalent variation) of country c from start to until, USD. */
TW_API double tw_timeline_cumulative_usd(const tw_timeline *t, size_t c);
/* True when some wave changes a tariff or trade cost that c imposes or faces, or c's
 * productivity (false: a third country). */
TW_API bool tw_timeline_country_involved(const tw_timeline *t, size_t c);
/* Tariff of `importer` on goods of `exporter` in sector s in force at wave k (a fraction), or,
 * for k >= n_waves, in the reference state: the world's data tariffs with the scenario's
 * `baseline: true` actions applied (docs/scenarios.md). NaN for an index out of range. With
 * baseline actions, every wave's result is relative to that reference state, not to the
 * world's data. */
TW_API double tw_timeline_wave_tariff(const tw_timeline *t, size_t k, size_t importer,
                                      size_t exporter, size_t s);

/* ------------------------------------------------------------------------------------------ */
/* Estimation: PPML with high-dimensional fixed effects (docs/estimation.md)                  */
/* ------------------------------------------------------------------------------------------ */

/*
 * The data of one PPML estimation, as flat arrays (all borrowed by the estimator for the
 * duration of tw_ppml_new only, except fe_labels: see tw_ppml_fe_values). Filled by
 * tw_panel_read, or by the caller.
 */
typedef struct tw_ppml_data {
    size_t n_obs;                    /* observations, >= 1 */
    const double *y;                 /* [n_obs] outcome, finite and >= 0 */
    size_t n_x;                      /* regressors, >= 1 */
    const double *const *x;          /* n_x columns of [n_obs] finite values */
    const char *const *x_names;      /* [n_x] names */
    size_t n_fe;                     /* fixed-effect dimensions, 0..8 */
    const int32_t *const *fe;        /* n_fe columns of [n_obs] level ids in [0, fe_levels[g]) */
    const size_t *fe_levels;         /* [n_fe] number of levels of each dimension */
    const char *const *fe_names;     /* [n_fe] names ("exporter^year") */
    const char *const *const *fe_labels; /* NULL, or fe_labels[g][l]: name of level l */
    const double *weights;           /* NULL (all 1) or [n_obs] prior weights, finite, >= 0 */
    const double *offset;            /* NULL (all 0) or [n_obs] offset on the log scale */
    size_t n_cluster;                /* cluster variables, 0..2 */
    const int32_t *const *cluster;   /* n_cluster columns of [n_obs] cluster ids */
    const size_t *cluster_levels;    /* [n_cluster] number of ids of each */
    const char *const *cluster_names;/* [n_cluster] names */
} tw_ppml_data;

/* Panel data read from a CSV file for a formula (fixest syntax):
 *   y ~ x1 + log(x2) + ... | fe1 + fe2^fe3 + ...
 * The outcome and regressors are numeric columns (a missing or non-numeric cell is an error
 * naming file:line:col; log() of a value <= 0 too); FE and cluster columns are read as text
 * and mapped to dense ids in order of first appearance (an interaction a^b has one level per
 * combination present, labelled "a_b"). Without FE terms an "(Intercept)" regressor is added.
 * Limits: formula 4096 bytes, 1000 regressors, 8 FE terms, 8 variables per interaction. */
typedef struct tw_panel tw_panel;

typedef struct tw_panel_opts {
    const char *weights;   /* column of prior weights (>= 0); default NULL (none) */
    const char *offset;    /* column of offsets (log scale); default NULL (none) */
    const char *cluster;   /* "" or NULL (none), "a" or "a,b" (two-way); each may be an
                              interaction "a^b"; default NULL */
    const char *subset;    /* NULL (every row) or an expression selecting rows, e.g.
                              "year >= 1990 & exporter != importer" (comparisons == != < <= >
                              >= of columns, numbers and quoted text, & | ! and parentheses;
                              docs/estimation.md "Subsets"); default NULL */
} tw_panel_opts;

/* Fill `o` with the defaults (all NULL). */
TW_API void tw_panel_opts_init(tw_panel_opts *o);
/* (tw_panel_read with opts->subset also returns TW_EPARSE "subset:1:COL: ..." for a
 * malformed expression and TW_EINVAL for an unknown column, a non-number compared with a
 * number, or a subset without rows.) */

/*
 * Read the CSV file `path` (plain, or gzip-compressed: detected from the content) and select
 * the columns of `formula` and of `opts` (may be NULL). tw_panel_read_buf parses `len` bytes of
 * plain CSV from memory and uses `name` in messages. Returns TW_OK; TW_EIO (unreadable);
 * TW_EPARSE (malformed CSV or formula, a bad number: "panel: FILE:LINE:COL: ..." or
 * "formula:1:COL: ..."); TW_EINVAL (unknown column, log of a value <= 0, negative weight);
 * TW_ENOMEM.
 */
TW_API tw_status tw_panel_read(const char *path, const char *formula, const tw_panel_opts *opts,
                               tw_panel **out, tw_err *err);
TW_API tw_status tw_panel_read_buf(const char *buf, size_t len, const char *name,
                                   const char *formula, const tw_panel_opts *opts,
                                   tw_panel **out, tw_err *err);
/* Free a panel; NULL is a no-op. */
TW_API void tw_panel_free(tw_panel *p);
/* The arrays of the panel, ready for tw_ppml_new (borrowed from the panel). */
TW_API const tw_ppml_data *tw_panel_data(const tw_panel *p);

/* Variance estimator. */
typedef enum tw_vcov {
    TW_VCOV_HETERO = 0,  /* heteroskedasticity-robust (HC0 times the ssc factor) */
    TW_VCOV_CLUSTER = 1  /* clustered by the data's cluster variables (one- or two-way) */
} tw_vcov;

/* Small-sample correction of the variance (docs/estimation.md, "Standard errors"). */
typedef enum tw_ssc {
    TW_SSC_STATA = 0,  /* hetero: n/(n-1); clustered: G/(G-1) (Stata ppml, the book) */
    TW_SSC_FIXEST = 1, /* hetero: n/(n-K); clustered: G/(G-1) (n-1)/(n-K), K counting the FE
                          not nested in a cluster variable (fixest's default) */
    TW_SSC_NONE = 2    /* no factor (HC0, sandwich::vcovHC type "HC0") */
} tw_ssc;

/* Options of tw_ppml_new. */
typedef struct tw_ppml_opts {
    double tol;              /* IRLS: stop when |D - D_old| / (0.1 + |D|) < tol (deviance D);
                                default 1e-8 (fixest, ppmlhdfe), range (0, 1) */
    size_t max_iter;         /* cap on IRLS iterations; default 100, >= 1 */
    double tol_demean;       /* FE partialling out: stop when every FE coefficient moves by
                                less than tol_demean * (0.1 + |coefficient|); default 1e-10,
                                range (0, 1) */
    size_t max_iter_demean;  /* cap on sweeps per demeaned vector; default 10000, >= 1 */
    size_t accel_memory;     /* Anderson memory of the demeaning (0 = plain sweeps); default
                                5, range [0, 50] */
    size_t max_halvings;     /* step-halvings per IRLS iteration when the deviance rises;
                                default 30 */
    double collin_tol;       /* drop a regressor whose weighted variance after partialling out
                                the FE and the earlier regressors is below collin_tol times its
                                raw weighted sum of squares; default 1e-9, range [0, 1) */
    bool drop_singletons;    /* drop observations alone in an FE level (iteratively); default
                                false (fixest); true is ppmlhdfe's default */
    tw_vcov vcov;            /* default TW_VCOV_HETERO */
    tw_ssc ssc;              /* default TW_SSC_STATA */
    double tol_demean_first; /* demeaning tolerance of the early IRLS iterations: iteration it
                                uses max(tol_demean, min(tol_demean_first, 1e-3 * last
                                relative deviance change)), the first iteration
                                tol_demean_first for z (the regressors always tol_demean);
                                convergence is declared only after an iteration at
                                tol_demean. Default 1e-4; a value <= tol_demean means exact
                                demeaning throughout. Range (0, 1) */
    size_t n_threads;        /* OpenMP threads over the demeaned vectors (z and each
                                regressor); results do not depend on it. Default 1; 0 = 1 */
    bool separation_relu;    /* also drop observations separated by the regressors together
                                with the FE (iterated-rectifier check of Correia, Guimaraes
                                and Zylkin 2021, ppmlhdfe's separation(relu)); counted in
                                tw_ppml_n_dropped_separated and tw_ppml_n_dropped_relu.
                                Default false (only all-zero FE groups, fixest's default) */
    tw_progress_fn progress;  /* called after each IRLS iteration with ("IRLS", iteration,
                                 relative deviance change); non-zero cancels (TW_EINTERRUPTED).
                                 Default NULL */
    void *progress_ctx;
} tw_ppml_opts;

/* Fill `o` with the documented defaults. */
TW_API void tw_ppml_opts_init(tw_ppml_opts *o);

typedef struct tw_ppml tw_ppml;

/*
 * Fit y ~ exp(offset + x'b + sum of FE) by Poisson pseudo-maximum likelihood (IRLS with the
 * FE partialled out by accelerated alternating projections). Before fitting, observations
 * with zero weight and the observations of FE levels whose outcomes are all zero (separated,
 * iteratively, and singletons when asked) are dropped; regressors collinear with the FE or
 * with earlier regressors are dropped after partialling out (their estimate and SE are NaN).
 * `opts` may be NULL for defaults. `d`'s arrays are borrowed during the call only, except
 * d->fe_labels, which must outlive *out when tw_ppml_fe_label is used.
 * Returns TW_OK; TW_DROPPED (something was dropped: see tw_ppml_n_dropped*,
 * tw_ppml_coef_dropped); TW_NOT_CONVERGED (IRLS or a demeaning hit its cap; results are
 * returned and tw_ppml_converged() is false); TW_EINVAL (bad data or options: negative y,
 * NaN, id out of range, clustered vcov without cluster variables, every y zero); TW_ENUMERIC
 * (singular system, no finite deviance after max_halvings); TW_ENOMEM.
 * When both apply, TW_NOT_CONVERGED is returned rather than TW_DROPPED.
 */
TW_API tw_status tw_ppml_new(const tw_ppml_data *d, const tw_ppml_opts *opts, tw_ppml **out,
                             tw_err *err);
/* Free a fit; NULL is a no-op. */
TW_API void tw_ppml_free(tw_ppml *p);

/* Coefficients, in the order of d->x. Dropped (collinear) ones have NaN estimate and SE. */
TW_API size_t tw_ppml_n_coef(const tw_ppml *p);
TW_API const char *tw_ppml_coef_name(const tw_ppml *p, size_t k);
TW_API const double *tw_ppml_coef(const tw_ppml *p);   /* [n_coef] */
TW_API const double *tw_ppml_se(const tw_ppml *p);     /* [n_coef] */
/* Variance matrix [n_coef * n_coef], row-major; rows and columns of dropped ones are NaN. */
TW_API const double *tw_ppml_vcov(const tw_ppml *p);
TW_API bool tw_ppml_coef_dropped(const tw_ppml *p, size_t k);
/* Observations used, and dropped: in total, for an all-zero FE level, as singletons, for
 * a zero weight. */
TW_API size_t tw_ppml_n_obs(const tw_ppml *p);
TW_API size_t tw_ppml_n_dropped(const tw_ppml *p);
TW_API size_t tw_ppml_n_dropped_separated(const tw_ppml *p);
TW_API size_t tw_ppml_n_dropped_singleton(const tw_ppml *p);
TW_API size_t tw_ppml_n_dropped_weight(const tw_ppml *p);
/* Of tw_ppml_n_dropped_separated: the observations found by the ReLU check (opts
 * separation_relu), 0 when it did not run. */
TW_API size_t tw_ppml_n_dropped_relu(const tw_ppml *p);
/* Per observation of the input: true when it was used. [d->n_obs] */
TW_API const bool *tw_ppml_obs_used(const tw_ppml *p);
/* IRLS iterations, total demeaning sweeps, convergence, last relative deviance change. */
TW_API size_t tw_ppml_iterations(const tw_ppml *p);
TW_API size_t tw_ppml_demean_sweeps(const tw_ppml *p);
TW_API bool tw_ppml_converged(const tw_ppml *p);
TW_API double tw_ppml_rel_change(const tw_ppml *p);
/* Poisson deviance at the estimate and of the constant-only model. */
TW_API double tw_ppml_deviance(const tw_ppml *p);
TW_API double tw_ppml_null_deviance(const tw_ppml *p);
/* fixest's pseudo-R2, 1 - loglik / loglik(constant only), and Stata ppml's R2, the squared
 * correlation of y and the fitted mean. */
TW_API double tw_ppml_pseudo_r2(const tw_ppml *p);
TW_API double tw_ppml_r2_corr(const tw_ppml *p);
/* Small-sample factor applied to the variance, and the numbers it was built from. */
TW_API double tw_ppml_ssc_factor(const tw_ppml *p);
/* Number of distinct clusters of cluster variable c (0 when not clustered). */
TW_API size_t tw_ppml_n_clusters(const tw_ppml *p, size_t c);
/* FE dimensions; levels with observations after dropping; the FE values on the input's
 * level ids ([d->fe_levels[g]], NaN for a level without observations). Normalisation: for
 * every dimension after the first, its first level (in id order) with observations is 0,
 * the constant moving into the first dimension; designs with further redundancy (a pair FE
 * with exporter-year and importer-year FE) keep one arbitrary solution, but the sum of the
 * FE on every observation (tw_ppml_fe_sum) is identified. */
TW_API size_t tw_ppml_n_fe(const tw_ppml *p);
TW_API const char *tw_ppml_fe_name(const tw_ppml *p, size_t g);
TW_API size_t tw_ppml_fe_n_levels(const tw_ppml *p, size_t g);
TW_API size_t tw_ppml_fe_n_used(const tw_ppml *p, size_t g);
TW_API const double *tw_ppml_fe_values(const tw_ppml *p, size_t g);
/* Label of level l of dimension g from d->fe_labels (borrowed from the data), or NULL. */
TW_API const char *tw_ppml_fe_label(const tw_ppml *p, size_t g, size_t l);
/* Sum of the FE on each input observation ([d->n_obs], NaN on dropped ones), and the fitted
 * mean ([d->n_obs], NaN on dropped ones). */
TW_API const double *tw_ppml_fe_sum(const tw_ppml *p);
TW_API const double *tw_ppml_fitted(const tw_ppml *p);

/* ------------------------------------------------------------------------------------------ */
/* Sweeps: uncertainty over trade elasticities (docs/scaling.md)                               */
/* ------------------------------------------------------------------------------------------ */

typedef struct tw_sweep tw_sweep;

/* How each draw's trade elasticities are chosen. */
typedef enum tw_sweep_mode {
    TW_SWEEP_NORMAL = 0, /* theta_s ~ N(theta_s, sd_s^2) truncated to theta_s > theta_min */
    TW_SWEEP_SETS = 1,   /* one of n_sets published sets, chosen uniformly at random */
    TW_SWEEP_DRAWS = 2   /* the caller's draws, one row per draw */
} tw_sweep_mode;

typedef struct tw_sweep_opts {
    size_t n_draws;            /* number of draws; default 100, >= 1 */
    unsigned long long seed;   /* draw k uses a stream determined by (seed, k) only, so results
                                  do not depend on threads or processes; default 1 */
    tw_sweep_mode mode;        /* default TW_SWEEP_NORMAL */
    double rel_sd;             /* NORMAL without se: sd_s = rel_sd * theta_s; default 0.1 */
    const double *se;          /* NORMAL: [S] standard errors (borrowed), NULL = use rel_sd */
    const double *cov;         /* NORMAL: [S*S] covariance matrix of theta, row-major (borrowed;
                                  e.g. from an estimation's variance matrix); when given it
                                  replaces se and rel_sd and draws are multivariate normal,
                                  theta = estimate + L z with L L' = cov; NULL by default */
    double theta_min;          /* NORMAL: truncation point (rejection sampling); default 0.5 */
    const double *values;      /* SETS: [n_sets * S]; DRAWS: [n_draws * S] (borrowed: must
                                  outlive the sweep) */
    size_t n_sets;             /* SETS: number of sets */
    int n_threads;             /* OpenMP threads for the draws; 0 = the OpenMP default */
    double shock_rel_sd;       /* size of the scenario's trade-cost and productivity shocks: each
                                  draw scales every such factor v to 1 + f (v - 1) with
                                  f ~ N(1, shock_rel_sd^2) truncated to f > 0 and to factors > 0;
                                  default 0 (shocks as written) */
    tw_solve_opts solve;       /* solver options of every draw (defaults of tw_solve_opts_init) */
} tw_sweep_opts;

TW_API void tw_sweep_opts_init(tw_sweep_opts *o);

/*
 * Read a covariance matrix of the sectors' elasticities (columns sector_i, sector_j, cov; a
 * missing (i, j) takes the value of (j, i), others are 0) into *out [S*S] (freed with
 * tw_theta_table_free). Returns TW_OK, TW_EIO, TW_EPARSE, TW_EINVAL (unknown sector,
 * asymmetric entries), TW_ENOMEM.
 */
TW_API tw_status tw_theta_cov_read(const char *path, const tw_world *w, double **out,
                                   tw_err *err);

/*
 * Read a table of trade elasticities for the sectors of `w`: published sets (columns sector,
 * source, epsilon or theta: one row per source, `select` = comma-separated sources or NULL for
 * all), a user's draws (columns draw, sector, theta: one row per draw) or standard errors
 * (columns sector, se: one row). *out receives [n_rows * S] values, freed with
 * tw_theta_table_free. Every row must give every sector. Returns TW_OK, TW_EIO, TW_EPARSE,
 * TW_EINVAL (unknown sector, a missing sector, no row selected), TW_ENOMEM.
 */
TW_API tw_status tw_theta_table_read(const char *path, const tw_world *w, const char *select,
                                     double **out, size_t *n_rows, tw_err *err);
TW_API void tw_theta_table_free(double *values);

/* Outputs recorded per draw and country, at the timeline's `until`. */
typedef enum tw_sweep_measure {
    TW_SWEEP_REAL_INCOME_PCT = 0, /* real income change with the tariffs in force at until, % */
    TW_SWEEP_WELFARE_USD = 1,     /* equivalent variation, USD per year */
    TW_SWEEP_CUMULATIVE_USD = 2,  /* cumulative cost start..until, USD */
    TW_SWEEP_INCOME_BASE_USD = 3, /* baseline income (the denominator of the % change), USD */
    TW_SWEEP_MEASURE_COUNT
} tw_sweep_measure;

typedef enum tw_sweep_stat {
    TW_STAT_MEAN = 0, TW_STAT_MEDIAN, TW_STAT_P05, TW_STAT_P95,
    TW_STAT_SHARE_LOSING, /* share of converged draws with a negative value (0..1) */
    TW_STAT_COUNT
} tw_sweep_stat;

/*
 * Prepare a sweep of `sc` on `w` (both borrowed: must outlive the sweep): draws every draw's
 * elasticities, solves nothing yet. Returns TW_OK, TW_EINVAL (bad options, a drawn or given
 * elasticity <= 0), TW_ENOMEM.
 */
TW_API tw_status tw_sweep_new(const tw_world *w, const tw_scenario *sc, tw_deficits deficits,
                              const char *until, const tw_sweep_opts *opts, tw_sweep **out,
                              tw_err *err);
TW_API void tw_sweep_free(tw_sweep *sw);

/*
 * Solve the draws k in [first, last) with k % n_parts == part that are not yet done
 * (n_parts = 1, part = 0 for all; MPI ranks pass their rank and size), on opts.n_threads
 * OpenMP threads. A draw whose timeline does not converge or fails is recorded as failed with
 * its status; it never aborts the sweep. Returns TW_OK, TW_EINVAL, TW_ENOMEM.
 */
TW_API tw_status tw_sweep_run(tw_sweep *sw, size_t first, size_t last, size_t part,
                              size_t n_parts, tw_err *err);

TW_API size_t tw_sweep_n_draws(const tw_sweep *sw);
/* The world the sweep runs on (borrowed). */
TW_API const tw_world *tw_sweep_world(const tw_sweep *sw);
/* Status of draw k: TW_CONTINUE (not solved yet), TW_OK, or the failing status. */
TW_API tw_status tw_sweep_draw_status(const tw_sweep *sw, size_t k);
/* Shock-size factor f of draw k (1 when shock_rel_sd is 0). */
TW_API double tw_sweep_draw_shock_scale(const tw_sweep *sw, size_t k);
/* Elasticity of sector s in draw k; the set index in SETS mode (else -1). */
TW_API double tw_sweep_draw_theta(const tw_sweep *sw, size_t k, size_t s);
TW_API int tw_sweep_draw_set(const tw_sweep *sw, size_t k);
TW_API double tw_sweep_draw_value(const tw_sweep *sw, size_t k, size_t c, tw_sweep_measure m);
/* Number of solved draws that failed. */
TW_API size_t tw_sweep_n_failed(const tw_sweep *sw);
/* A statistic over the converged draws (NaN when none). Failed draws are excluded and counted
 * (docs/scaling.md explains why this is the rule). c = n_country means the world (sum of EV and
 * of cumulative cost; real income % of world income). */
TW_API double tw_sweep_stat_value(const tw_sweep *sw, size_t c, tw_sweep_measure m,
                                  tw_sweep_stat st);

/* A draw as a flat record of tw_sweep_record_len doubles (status, thetas, values) to move it
 * between processes (MPI) or restore it from a checkpoint. */
TW_API size_t tw_sweep_record_len(const tw_sweep *sw);
TW_API void tw_sweep_get_record(const tw_sweep *sw, size_t k, double *rec);
TW_API tw_status tw_sweep_set_record(tw_sweep *sw, size_t k, const double *rec, tw_err *err);

/* Summary table (per country and world: mean, median, 5th and 95th percentiles of each
 * measure, share of draws losing; failed draws with their parameters) to `out`. */
TW_API tw_status tw_report_sweep(const tw_sweep *sw, FILE *out, tw_err *err);
/* The bands as one JSON document: `draws`, `converged` (count), `countries` (objects with
 * `code` and `real_income_pct`, `real_income_usd_bn`, `cumulative_usd_bn`, each an object with
 * `mean`, `p05`, `p50`, `p95`, `share_losing`), `world` (the same), `failed` (count) and
 * `failed_draws` (an array of {draw, status, theta{sector: value}}). */
TW_API tw_status tw_report_sweep_json(const tw_sweep *sw, FILE *out, tw_err *err);
/* Every draw as CSV (draw, status, theta_<sector>..., <code>_<measure>...) written atomically
 * to `path` (temporary file + rename). */
TW_API tw_status tw_report_sweep_csv(const tw_sweep *sw, const char *path, tw_err *err);
/* Restore solved draws from a CSV written by tw_report_sweep_csv (for --resume); draws whose
 * elasticities differ from this sweep's are an error (different seed or options). */
TW_API tw_status tw_sweep_resume_csv(tw_sweep *sw, const char *path, size_t *n_restored,
                                     tw_err *err);

/* ------------------------------------------------------------------------------------------ */
/* Reports                                                                                     */
/* ------------------------------------------------------------------------------------------ */

/* A readable fixed-width table of the country results to `out`. Returns TW_OK, TW_EIO, or
 * TW_EINVAL (a NULL argument; this holds for every tw_report_* function). */
TW_API tw_status tw_report_table(const tw_result *r, FILE *out, tw_err *err);

/* One JSON document (schema in docs/output.md) to `out`. Returns TW_OK, TW_EIO, TW_ENOMEM. */
TW_API tw_status tw_report_json(const tw_result *r, FILE *out, tw_err *err);

/*
 * Write one CSV file per table (countries.csv, sectors.csv, flows.csv, decomposition.csv,
 * solver.csv) into `dir` (created if missing). Each file is written to a temporary file in
 * `dir` and renamed into place, so every file appears whole or not at all. flows.csv and
 * decomposition.csv are written only when the result keeps its bilateral detail
 * (tw_result_has_bilateral).
 * Returns TW_OK, TW_EIO, TW_ENOMEM.
 */
TW_API tw_status tw_report_csv_dir(const tw_result *r, const char *dir, tw_err *err);

/*
 * The compact timeline summary (the main job's output): cost of the war to each country and
 * the world in % of income and USD bn per year with the tariffs in force at `until`, and
 * cumulated to `until`; wave-by-wave real income changes and what each wave added; third
 * countries that gained from diversion; top gainers and losers; the change in trade between
 * the two countries with the largest losses. `title` may be NULL.
 */
TW_API tw_status tw_report_timeline(const tw_timeline *t, const char *title, FILE *out,
                                    tw_err *err);

/* The full timeline as one JSON document (docs/output.md, "timeline"). */
TW_API tw_status tw_report_timeline_json(const tw_timeline *t, const char *scenario_name,
                                         FILE *out, tw_err *err);

/*
 * Compare published estimates with the timeline: reads `csv_path` (the uschina
 * published_estimates.csv layout: source, year, model, scenario, country, measure, value,
 * unit, note), keeps rows about tariffs whose measure is welfare or real income (percent or % of
 * GDP) for US, China or World, and prints each beside tradewar's figure, with a closing line
 * saying whether tradewar's figure lies inside the published range. Returns TW_OK, TW_EIO
 * (unreadable file), TW_EPARSE.
 */
TW_API tw_status tw_report_published(const tw_timeline *t, const char *csv_path, FILE *out,
                                     tw_err *err);

/*
 * Tariff-regime tables of a timeline (docs/output.md, "us-2025-2026"), used by `tradewar run`
 * for the scenario us-2025-2026:
 * - tw_report_countries: every country's real income change at end and at its worst wave,
 *   and the cumulative cost. tw_report_waves_all: every country's real income change (%) at
 *   every wave, and the world's (% and USD bn/yr).
 * - tw_report_tariff_path: per wave, the implied average tariff of `importer` (a country code)
 *   on each partner and on all partners (%, the wave's tariffs weighted by the world's data
 *   imports by sector, over the sectors that carry a tariff anywhere in the timeline), its
 *   tariff revenue (USD bn/yr) and its change from the reference state, and its imports.
 * - tw_report_trade: `importer`'s trade with each partner at the wave with the highest
 *   implied average tariff and at the end, and the trade among the other countries
 *   (diversion).
 * - tw_report_published_us2025: compares with us2025/published_estimates.csv (columns
 *   source, date, model, scenario, country, measure, value, unit, note): each long-run level
 *   or welfare estimate against tradewar's real income with the policy in force on the
 *   estimate's date, and each revenue estimate (10-year totals divided by 10) against the
 *   change in US tariff revenue, each with the reason the models differ.
 * Returns TW_OK, TW_EINVAL (NULL argument, unknown importer), TW_EIO / TW_EPARSE (the CSV,
 * or a write error).
 * tw_report_implied_tariff returns that average (%) for wave k (k >= n_waves: the reference
 * state) and `partner` (a country index, or n_country for all partners); NaN without
 * trade. tw_report_tariff_revenue_usd returns country c's tariff revenue at wave k (k >=
 * n_waves: in the reference state), USD per year.
 */
TW_API tw_status tw_report_countries(const tw_timeline *t, FILE *out, tw_err *err);
TW_API tw_status tw_report_waves_all(const tw_timeline *t, FILE *out, tw_err *err);
TW_API tw_status tw_report_tariff_path(const tw_timeline *t, const char *importer, FILE *out,
                                       tw_err *err);
TW_API tw_status tw_report_trade(const tw_timeline *t, const char *importer, FILE *out,
                                 tw_err *err);
TW_API tw_status tw_report_published_us2025(const tw_timeline *t, const char *csv_path,
                                            FILE *out, tw_err *err);
TW_API double tw_report_implied_tariff(const tw_timeline *t, size_t k, size_t importer,
                                       size_t partner);
TW_API double tw_report_tariff_revenue_usd(const tw_timeline *t, size_t k, size_t c);

/* Per-country difference of two timelines on the same world: B minus A in real income % and
 * USD bn per year at `until`, and in cumulative USD bn. */
TW_API tw_status tw_report_compare(const tw_timeline *a, const char *name_a,
                                   const tw_timeline *b, const char *name_b, FILE *out,
                                   tw_err *err);

/* A summary of a world: dimensions, totals and the `top` largest international flows. */
TW_API tw_status tw_report_world_summary(const tw_world *w, size_t top, FILE *out, tw_err *err);

/* ------------------------------------------------------------------------------------------ */
/* Tariff games: optimal tariffs, Nash wars, trade talks (docs/games.md)                      */
/* ------------------------------------------------------------------------------------------ */

/* A game on a world without input-output links, in the model its meta "model" names (Ossa 2014
 * monopolistic competition for "ossa2014", perfect competition otherwise). */
typedef struct tw_game tw_game;
typedef struct tw_game_result tw_game_result;

/* What a government chooses: bilateral tariffs by partner and sector, one tariff per sector
 * for all partners (MFN), or one tariff for everything. */
typedef enum tw_game_instrument {
    TW_GAME_BILATERAL = 0,
    TW_GAME_MFN = 1,
    TW_GAME_UNIFORM = 2
} tw_game_instrument;
/* What it maximises: government welfare (with the world's political-economy weights when
 * lobbying) or real income. */
typedef enum tw_game_objective { TW_GAME_OBJ_GOV = 0, TW_GAME_OBJ_WELFARE = 1 } tw_game_objective;
/* How a Nash war is solved: automatic (the sufficient-statistics formula when it is exact:
 * uniform tariffs, perfect competition, no lobbying; else best responses), best responses by
 * optimisation, or the formula. */
typedef enum tw_game_method {
    TW_GAME_METHOD_AUTO = 0,
    TW_GAME_METHOD_OPTIMIZE = 1,
    TW_GAME_METHOD_FORMULA = 2
} tw_game_method;
typedef enum tw_game_from { TW_GAME_FROM_FACTUAL = 0, TW_GAME_FROM_NASH = 1, TW_GAME_FROM_FREE = 2 }
    tw_game_from;
typedef enum tw_game_talks_kind { TW_GAME_EQUAL_GAINS = 0, TW_GAME_BARGAINING = 1 }
    tw_game_talks_kind;
typedef enum tw_game_kind {
    TW_GAME_OPTIMAL = 0,
    TW_GAME_NASH = 1,
    TW_GAME_TALKS = 2,
    TW_GAME_EVALUATE = 3
} tw_game_kind;

typedef struct tw_game_opts {
    tw_game_instrument instrument; /* default bilateral */
    tw_game_objective objective;   /* default government welfare */
    bool lobbying;          /* use the world's weights lambda; false sets them to 1; default true */
    bool purge;             /* balanced-trade baseline first (Ossa 2014 section IV); default true */
    double lower, upper;    /* tariff bounds; default [0, 10] */
    double tol;             /* Nash: stop when no tariff moves more than this in a round; 1e-4 */
    size_t max_rounds;      /* Nash: best-response rounds; default 50 */
    double opt_tol;         /* optimiser relative tolerance on tariffs; default 1e-10 */
    size_t max_eval;        /* optimiser: equilibrium solves per problem; default 5000 */
    tw_game_method method;  /* default auto */
    bool formula_cap;       /* cap formula tariffs at 100 % (tariffwar's floor); default false */
    int starts;             /* starting points per optimisation (>1 reports multiple optima
                               hints); default 1, range [1, 8] */
    int threads;            /* best responses of a round in parallel; 0 = 2, 1 = serial */
    bool against_players;   /* war: players tax only each other (a bilateral war); default
                               false: each player sets its tariffs on every partner */
    const char *model;      /* override the world's model ("ossa2014", ...); NULL = world's */
    tw_progress_fn progress;/* called after each best-response round; non-zero stops */
    void *progress_ctx;
    const volatile int *stop; /* when set non-zero (e.g. by a SIGINT handler) the game stops
                                 and returns the best point so far, flagged not converged */
} tw_game_opts;

TW_API void tw_game_opts_init(tw_game_opts *o);
/* Build a game (and its balanced baseline). The world must outlive the game. TW_OK, TW_EINVAL
 * (input-output links, bad options), TW_ENOMEM, or the purge's solver status. */
TW_API tw_status tw_game_new(const tw_world *w, const tw_game_opts *o, tw_game **out,
                             tw_err *err);
/* As tw_game_new, with the baseline at the tariff cube `base` instead of the world's tariffs
 * ([(s*N + importer)*N + exporter], diagonal ignored), e.g. a scenario's reference state. */
TW_API tw_status tw_game_new_at(const tw_world *w, const double *base, const tw_game_opts *o,
                                tw_game **out, tw_err *err);
TW_API void tw_game_free(tw_game *g);
TW_API const tw_world *tw_game_world(const tw_game *g);
TW_API bool tw_game_has_profits(const tw_game *g);
/* Real income change of the balanced-trade purge itself, % (0 without purge). */
TW_API double tw_game_purge_welfare_pct(const tw_game *g, size_t c);

/* Country c's optimal tariffs, others at the baseline. TW_OK, TW_NOT_CONVERGED (result still
 * returned), or a failure. */
TW_API tw_status tw_game_optimal(tw_game *g, size_t c, tw_game_result **out, tw_err *err);
/* The Nash equilibrium among `players` (others keep their tariffs). As tw_game_optimal. */
TW_API tw_status tw_game_nash(tw_game *g, const size_t *players, size_t n_players,
                              tw_game_result **out, tw_err *err);
/* The Nash equilibrium starting from (and keeping the non-players' cells of) the tariff cube
 * `start` ([(s*N + importer)*N + exporter]; NULL = the baseline's), e.g. partners' best
 * responses to given US tariffs. */
TW_API tw_status tw_game_nash_at(tw_game *g, const double *start, const size_t *players,
                                 size_t n_players, tw_game_result **out, tw_err *err);
/* Restrict which exporters each importer may tax in later games: mask[c*N + i] (copied);
 * NULL lifts the restriction. E.g. retaliation: partners tax only the US. */
TW_API tw_status tw_game_set_targets(tw_game *g, const bool *mask, tw_err *err);
/* Cooperative tariffs of all countries from a starting point: equal percentage gains of every
 * government (Ossa 2014), or the Nash bargaining solution (threat point = the start). */
TW_API tw_status tw_game_talks(tw_game *g, tw_game_from from, tw_game_talks_kind kind,
                               tw_game_result **out, tw_err *err);
/* Outcomes at a given tariff cube ([(s*N + importer)*N + exporter]). */
TW_API tw_status tw_game_evaluate(tw_game *g, const double *tariff, tw_game_result **out,
                                  tw_err *err);
TW_API void tw_game_result_free(tw_game_result *r);

TW_API tw_game_kind tw_game_result_kind(const tw_game_result *r);
TW_API bool tw_game_result_converged(const tw_game_result *r);
TW_API bool tw_game_result_interrupted(const tw_game_result *r);
TW_API bool tw_game_result_multiple_hint(const tw_game_result *r);
TW_API size_t tw_game_result_iterations(const tw_game_result *r);
TW_API size_t tw_game_result_evaluations(const tw_game_result *r);
TW_API bool tw_game_result_is_player(const tw_game_result *r, size_t c);
TW_API double tw_game_result_tariff(const tw_game_result *r, size_t importer, size_t exporter,
                                    size_t s);
/* Welfare changes, %: real income and government welfare, relative to the game's baseline
 * (talks: relative to the starting point). */
TW_API double tw_game_result_welfare_pct(const tw_game_result *r, size_t c);
TW_API double tw_game_result_gov_welfare_pct(const tw_game_result *r, size_t c);
TW_API size_t tw_game_result_at_upper(const tw_game_result *r, size_t c);
/* Mean and median of importer c's tariffs over partners and sectors (fractions). */
TW_API tw_status tw_game_result_tariff_stats(const tw_game_result *r, size_t c, double *mean,
                                             double *median);
/* Output: one JSON document (docs/output.md, "Tariff games"); a table; all tariffs as CSV
 * (importer,exporter,sector,tariff), written atomically. */
TW_API tw_status tw_report_game_json(FILE *out, const tw_game *g, const tw_game_result *r,
                                     tw_err *err);
TW_API tw_status tw_report_game_table(FILE *out, const tw_game *g, const tw_game_result *r,
                                      tw_err *err);
TW_API tw_status tw_report_game_csv(const char *path, const tw_game *g,
                                    const tw_game_result *r, tw_err *err);
/* GE gravity: one-sector structural-gravity counterfactuals (docs/estimation.md, "GE gravity") */
/* ------------------------------------------------------------------------------------------ */

/*
 * Anderson-van Wincoop (2003) endowment economy with CES demand (elasticity sigma > 1, trade
 * elasticity theta = sigma - 1), solved in changes relative to a baseline flow matrix:
 *   P_hat_j^(1-s) = sum_i (X_ij / E_j) b_ij p_hat_i^(1-s)        (inward resistance, IMR)
 *   p_hat_i Y_i   = sum_j X_ij b_ij p_hat_i^(1-s) E_hat_j / P_hat_j^(1-s)   (market clearing)
 * with b_ij = exp(partial_ij) the change in the trade-cost term t_ij^(1-s) (a PPML coefficient
 * times the change of its regressor), E_hat_j = lambda p_hat_j (expenditure proportional to
 * output, the book's multiplicative imbalances, with one world scalar lambda keeping world
 * expenditure equal to world output; lambda = 1 with balanced trade) and the numeraire P_hat_ref = 1 (the book's reference
 * importer). Conditional GE keeps Y and E fixed (p_hat = 1) and lets only the resistances
 * adjust. Unknowns are solved in logs, so prices and resistances are positive by construction;
 * every solve is followed by a check of the original equations.
 */
typedef struct tw_gegrav tw_gegrav;

typedef enum tw_gegrav_kind {
    TW_GEGRAV_CONDITIONAL = 0, /* output and expenditure fixed; only resistances adjust */
    TW_GEGRAV_FULL = 1         /* full endowment GE: factory-gate prices, output and
                                  expenditure adjust */
} tw_gegrav_kind;

/* Options of tw_gegrav_new. */
typedef struct tw_gegrav_opts {
    double sigma;          /* CES elasticity of substitution; default 7 (the Advanced Guide),
                              range (1, 1000) */
    tw_gegrav_kind kind;   /* default TW_GEGRAV_FULL */
    size_t reference;      /* country whose inward resistance is the numeraire (P = 1 in
                              baseline and counterfactual); default 0, < n_country */
    double tol;            /* fixed points stop when every log unknown moves by less than tol;
                              default 1e-13, range (0, 1e-3] */
    size_t max_iter;       /* cap on evaluations of each fixed-point map; default 100000 */
    size_t accel_memory;   /* Anderson memory (0 = plain iteration); default 5, [0, 50] */
    double tol_check;      /* largest accepted relative residual of the original equations
                              (market clearing, resistances, margins) after the solve; default
                              1e-9, range (0, 1e-2] */
} tw_gegrav_opts;

/* Fill `o` with the documented defaults. */
TW_API void tw_gegrav_opts_init(tw_gegrav_opts *o);

/* The inputs of one counterfactual (all arrays borrowed during tw_gegrav_new only). */
typedef struct tw_gegrav_data {
    size_t n_country;          /* countries, >= 2 */
    const char *const *names;  /* NULL, or [n_country] names used in messages */
    const double *flows;       /* [n_country * n_country], row-major: [i * n + j] = observed
                                  flow from exporter i to importer j, finite and >= 0, domestic
                                  flows (i == j) included; every country needs output
                                  Y_i = sum_j flows > 0 and expenditure E_j = sum_i flows > 0 */
    const double *ln_cost;     /* NULL: observed-flows baseline (Stata ge_gravity): baseline
                                  flows are `flows`. Otherwise [n * n] finite log trade-cost
                                  terms ln t_ij^(1-s), defined up to additive exporter and
                                  importer terms: fitted baseline (the Advanced Guide, GEPPML),
                                  flows exp(pi_i + chi_j + ln_cost_ij) with pi, chi such that
                                  output and expenditure equal those of `flows` (what PPML with
                                  exporter and importer FE and this offset fits) */
    const double *partial;     /* [n * n] change of ln t_ij^(1-s) (partial effect, e.g.
                                  beta * (x_new - x_old)); finite; 0 = unchanged */
} tw_gegrav_data;

/*
 * Solve the baseline (fitted baseline only) and the counterfactual. `opts` may be NULL.
 * Returns TW_OK; TW_NOT_CONVERGED (a fixed point hit max_iter, or the solution fails the
 * tol_check test of the original equations: *out holds the best iterate, info.converged is
 * false, outcomes of a stage not reached are NaN, and the message names the stage, the country
 * and the residual); TW_EINVAL (bad
 * options or data: negative or non-finite flow, zero output or expenditure, naming the
 * country); TW_ENUMERIC (a resistance or price overflowed); TW_ENOMEM.
 * Complexity: O(n^2) per fixed-point evaluation.
 */
TW_API tw_status tw_gegrav_new(const tw_gegrav_data *d, const tw_gegrav_opts *opts,
                               tw_gegrav **out, tw_err *err);
/* Free; NULL is a no-op. */
TW_API void tw_gegrav_free(tw_gegrav *g);

/* Country outcomes, as ratios counterfactual / baseline ("hats"), [n_country] each. */
typedef enum tw_gegrav_measure {
    TW_GG_REAL_GDP = 0,   /* real GDP (welfare) Y_i / P_i */
    TW_GG_EXPORTS = 1,    /* international exports sum_{j != i} X_ij (nominal) */
    TW_GG_PRICE = 2,      /* factory-gate price p_i (1 in conditional GE) */
    TW_GG_OMR = 3,        /* outward multilateral resistance Pi_i (the book's definition:
                             Pi_i^(1-s) = Y_i E_ref / exp(exporter FE_i)) */
    TW_GG_IMR = 4,        /* inward multilateral resistance P_j (1 for the reference) */
    TW_GG_OUTPUT = 5,     /* nominal output Y_i (= expenditure change E_i) */
    TW_GG_N_MEASURE = 6
} tw_gegrav_measure;
TW_API const double *tw_gegrav_hat(const tw_gegrav *g, tw_gegrav_measure m);
TW_API size_t tw_gegrav_n_country(const tw_gegrav *g);
/* Baseline flows (observed, or fitted) and counterfactual flows, [n * n] row-major. */
TW_API const double *tw_gegrav_baseline_flows(const tw_gegrav *g);
TW_API const double *tw_gegrav_flows(const tw_gegrav *g);

/* Solver report. */
typedef struct tw_gegrav_info {
    bool converged;            /* every fixed point converged and passed tol_check */
    size_t baseline_iterations;/* map evaluations of the fitted-baseline scaling (0 when
                                  observed) */
    size_t iterations;         /* map evaluations of the counterfactual fixed point */
    double residual;           /* last max |change of a log unknown| */
    double check_residual;     /* max relative residual of the original equations */
    double expenditure_scale;  /* full GE: lambda in E'_j = lambda phi_j Y'_j, the one scalar
                                  that keeps world expenditure equal to world output when
                                  trade is unbalanced (1 with balanced trade; 1 in
                                  conditional GE) */
} tw_gegrav_info;
TW_API void tw_gegrav_get_info(const tw_gegrav *g, tw_gegrav_info *info);
/* Synthetic gravity panels (docs/estimation.md, "Synthetic panels")                         */
/* ------------------------------------------------------------------------------------------ */

/*
 * A deterministic gravity panel drawn from a known PPML data-generating process, for tests
 * and benchmarks: n_country (n_country - 1) n_year rows (every ordered pair of distinct
 * countries, every year), sorted by exporter, importer, year. For exporter i, importer j,
 * year t:
 *   E[trade] = exp(c + a_it + m_jt + b_ln_dist ln_dist_ij + b_cntg cntg_ij + u_ij
 *                  + b_rta rta_ijt),
 * with a_it, m_jt country sizes plus country trends, u_ij ~ N(0, 0.5^2) pair noise, ln_dist
 * from random locations, cntg = 1 for the closest pairs, rta switching on once per pair (about
 * 30 % of pairs, symmetric) in a random year. trade is a Poisson draw with that mean (means
 * above 30: the normal approximation, rounded and truncated at 0), so there are zeros. The
 * same options give the same panel on every machine (splitmix64).
 */
typedef struct tw_synth_panel tw_synth_panel;

typedef struct tw_synth_panel_opts {
    size_t n_country;          /* >= 2, <= 5000; default 50 */
    size_t n_year;             /* >= 1, <= 200; default 10 */
    unsigned long long seed;   /* default 1 */
    double b_ln_dist;          /* true coefficient of ln_dist; default -0.8 */
    double b_cntg;             /* true coefficient of cntg; default 0.4 */
    double b_rta;              /* true coefficient of rta; default 0.5 */
} tw_synth_panel_opts;

/* Fill `o` with the defaults. */
TW_API void tw_synth_panel_opts_init(tw_synth_panel_opts *o);
/* Draw a panel. Returns TW_OK, TW_EINVAL (sizes out of range), TW_ENOMEM. */
TW_API tw_status tw_synth_panel_new(const tw_synth_panel_opts *o, tw_synth_panel **out,
                                    tw_err *err);
/* Free; NULL is a no-op. */
TW_API void tw_synth_panel_free(tw_synth_panel *p);
TW_API size_t tw_synth_panel_n_obs(const tw_synth_panel *p);
/*
 * The panel as estimation data (borrowed from p), for one of two models:
 *   pair_fe false: trade ~ ln_dist + cntg + rta | exporter^year + importer^year
 *   pair_fe true:  trade ~ rta | exporter^year + importer^year + exporter^importer
 * both with the pair (exporter^importer) as the cluster variable.
 */
TW_API const tw_ppml_data *tw_synth_panel_data(const tw_synth_panel *p, bool pair_fe);
/*
 * Write the panel as CSV (gzip-compressed when path ends in ".gz"), atomically, with the
 * header exporter,importer,year,trade,ln_dist,cntg,rta. Returns TW_OK, TW_EIO, TW_ENOMEM.
 */
TW_API tw_status tw_synth_panel_write(const tw_synth_panel *p, const char *path, tw_err *err);
/* HTML reports and publication figures (docs/reports.md). Both take a result's JSON document
 * (`len` bytes of `json`: the --json output of run, simulate, sweep, estimate, or a tariff game
 * of the shape documented there) and dispatch on its "kind". */
typedef struct tw_report_opts {
    const char *source;  /* name of the result file shown in the provenance block; NULL: none */
    const char *country; /* country code of the sector-incidence chart; NULL: the biggest loser */
    const char *scenario_file;   /* scenario file (or "library:NAME") for the provenance block;
                                    NULL: the result's "scenario_file", if any */
    const char *scenario_sha256; /* its SHA-256 in hex (tw_sha256_hex); NULL: the result's */
} tw_report_opts;

/* SHA-256 of `len` bytes of `data` as 64 lower-case hex digits and a NUL into `out`. */
TW_API void tw_sha256_hex(const void *data, size_t len, char out[65]);

/* Set every field of `o` to its default (all NULL). */
TW_API void tw_report_opts_init(tw_report_opts *o);

/*
 * One self-contained HTML page (charts, tables, provenance; no network requests) to `out`.
 * `opts` may be NULL. Returns TW_OK; TW_EPARSE (not JSON, message with line:column);
 * TW_EINVAL (not a tradewar result, unknown kind, NULL argument); TW_EIO; TW_ENOMEM.
 */
TW_API tw_status tw_report_html(const char *json, size_t len, const tw_report_opts *opts,
                                FILE *out, tw_err *err);

/* The same page written atomically to `path` (the file appears whole or not at all). */
TW_API tw_status tw_report_html_write(const char *json, size_t len, const tw_report_opts *opts,
                                      const char *path, tw_err *err);

/*
 * One chart at print quality to `path`; the format follows the extension: .svg, .pdf
 * (vector) or .png (raster, 300 dpi). `chart` is "welfare", "timeline", "trade" or
 * "tariffs"; the result must contain it (e.g. "timeline" needs a run result). Written
 * atomically. Returns TW_OK; TW_EINVAL (unknown chart or extension, chart not in this kind
 * of result); TW_EPARSE; TW_EIO; TW_ENOMEM.
 */
TW_API tw_status tw_report_figure_write(const char *json, size_t len, const tw_report_opts *opts,
                                        const char *chart, const char *path, tw_err *err);

/* ------------------------------------------------------------------------------------------ */
/* Deals: purchase commitments, compliance, value and enforcement (docs/enforcement.md)        */
/* ------------------------------------------------------------------------------------------ */

/* A best response of country c against an arbitrary tariff cube `tariff` ([(s*N + importer)*N
 * + exporter], fractions), all others' tariffs fixed at `tariff`. `targets` ([N], may be NULL
 * for every partner) says on which exporters c sets tariffs. The result is evaluated at the
 * best-response cube (welfare vs the game's baseline). Returns as tw_game_optimal. */
TW_API tw_status tw_game_best_response(tw_game *g, size_t c, const double *tariff,
                                       const bool *targets, tw_game_result **out, tw_err *err);

/* The tariff cube ([(s*N + importer)*N + exporter], levels as fractions) in force on `date`
 * ("YYYY-MM-DD") when scenario `sc` runs on world `w`: the world's tariffs, the scenario's
 * tariff CSV and every tariff action in force that day (trade-cost and productivity actions
 * are ignored). `cube` has room for S*N*N. TW_OK, TW_EINVAL (bad date, unknown code),
 * TW_EIO/TW_EPARSE (tariff CSV), TW_ENOMEM. */
TW_API tw_status tw_scenario_tariffs_at(const tw_world *w, const tw_scenario *sc,
                                        const char *date, double *cube, tw_err *err);

/* A deal file (YAML, schema in docs/enforcement.md): parties, the threat (war) and deal tariffs
 * as scenarios at dates, a conditional removal of the remaining tariffs, a snap-back clause and
 * purchase commitments by category, importer, exporter and year. */
typedef struct tw_deal tw_deal;
/* Parse a deal file / `len` bytes of YAML (`name` in messages) / a deal of the built-in
 * library (the .yaml files of deals/). Errors read file:line:col. TW_OK, TW_EIO, TW_EPARSE, TW_ENOMEM,
 * TW_EINVAL (unknown library name). */
TW_API tw_status tw_deal_read(const char *path, tw_deal **out, tw_err *err);
TW_API tw_status tw_deal_read_buf(const char *buf, size_t len, const char *name, tw_deal **out,
                                  tw_err *err);
TW_API tw_status tw_deal_library_read(const char *name, tw_deal **out, tw_err *err);
TW_API size_t tw_deal_library_count(void);
TW_API const char *tw_deal_library_name(size_t k);
TW_API void tw_deal_free(tw_deal *d);
TW_API const char *tw_deal_name(const tw_deal *d);
TW_API const char *tw_deal_description(const tw_deal *d);
TW_API const char *tw_deal_world(const tw_deal *d);
TW_API size_t tw_deal_n_commitments(const tw_deal *d);
/* Commitment k: category name, and committed purchases (baseline + increment, USD bn) in
 * `year` (NaN when the commitment has no such year); the distinct years of the deal. */
TW_API const char *tw_deal_commitment_category(const tw_deal *d, size_t k);
TW_API double tw_deal_committed_usd_bn(const tw_deal *d, size_t k, int year);
TW_API size_t tw_deal_n_years(const tw_deal *d);
TW_API int tw_deal_year(const tw_deal *d, size_t y);

/* Compliance: observed purchases (CSV `category,year,observed_usd_bn`; category a commitment's
 * name or "Total", year a deal year or "all"; docs/enforcement.md) against the commitments. */
typedef struct tw_compliance tw_compliance;
TW_API tw_status tw_compliance_new(const tw_deal *d, const char *observed_csv,
                                   tw_compliance **out, tw_err *err);
TW_API void tw_compliance_free(tw_compliance *c);
/* Total fulfilment, % of the total commitment (NaN when the observations do not cover it). */
TW_API double tw_compliance_total_pct(const tw_compliance *c);
/* Per commitment k over all years: committed, observed (NaN when not observed), %. */
TW_API double tw_compliance_committed_usd_bn(const tw_compliance *c, size_t k);
TW_API double tw_compliance_observed_usd_bn(const tw_compliance *c, size_t k);
TW_API tw_status tw_report_compliance_json(FILE *out, const tw_compliance *c, tw_err *err);
TW_API tw_status tw_report_compliance_table(FILE *out, const tw_compliance *c, tw_err *err);

/* The repeated game of docs/enforcement.md with per-period payoffs C (comply), D (deviate
 * once) and P (punishment). Critical discount factor (D - C) / (D - P): 0 when D <= C (no
 * gain from deviating), +inf when C <= P (the deal is worse than the punishment, never
 * enforceable). Minimum punishment length T (periods) at discount factor delta so that
 * sum_{t=1..T} delta^t (C - P) >= D - C: 0 when D <= C, SIZE_MAX when no T <= max_T works. */
TW_API double tw_enforce_critical_delta(double C, double D, double P);
TW_API size_t tw_enforce_min_punishment(double C, double D, double P, double delta,
                                        size_t max_T);

typedef struct tw_deal_opts {
    double discount_rate;   /* annual rate r for present values; delta = 1/(1+r); 0.05, > 0 */
    size_t max_punishment;  /* longest punishment searched, periods (years); 100 */
    double fulfilment_pct;  /* observed total fulfilment, % (tw_compliance_total_pct); NaN
                               (the default) = unknown: the snap-back is not judged */
    bool punish_nash;       /* punishment = the Nash tariff war between the two parties (each
                               taxing the other, from the threat tariffs), instead of the
                               snap-back to the threat (the war's actual tariffs); false */
} tw_deal_opts;
TW_API void tw_deal_opts_init(tw_deal_opts *o);

typedef struct tw_deal_analysis tw_deal_analysis;
/* The deal's threat and tariff scenarios (library names or paths relative to the deal file),
 * parsed; the caller frees both. Errors as tw_scenario_read. */
TW_API tw_status tw_deal_load_scenarios(const tw_deal *d, tw_scenario **threat,
                                        tw_scenario **tariffs, tw_err *err);
/* Analyse deal d on world w (borrowed; must outlive the analysis) with its threat and tariff
 * scenarios (from tw_deal_load_scenarios; borrowed during the call): welfare at the threat and
 * deal tariffs, value per side, cost of delay, shares of the joint gain, and enforcement for
 * the deal as signed and with the remaining tariffs removed. TW_OK, TW_NOT_CONVERGED (a best
 * response hit its cap; the analysis is returned), TW_EINVAL (a code of the deal is not in
 * the world), or a failure. */
TW_API tw_status tw_deal_analyze(const tw_world *w, const tw_deal *d, const tw_scenario *threat,
                                 const tw_scenario *tariffs, const tw_deal_opts *o,
                                 tw_deal_analysis **out, tw_err *err);
TW_API void tw_deal_analysis_free(tw_deal_analysis *a);
/* The analysis as one JSON document / a table with one verdict line per side
 * (docs/output.md, "Deals"); `c` (may be NULL) adds the compliance. */
TW_API tw_status tw_report_deal_json(FILE *out, const tw_deal_analysis *a,
                                     const tw_compliance *c, tw_err *err);
TW_API tw_status tw_report_deal_table(FILE *out, const tw_deal_analysis *a,
                                      const tw_compliance *c, tw_err *err);
/* Per side p (0, 1 in the deal's `parties` order), variant v (0 = as signed, 1 = remaining
 * tariffs removed): per-period welfare % vs the baseline at cooperation, deviation and
 * punishment; critical discount factor; value of the deal (cooperation minus threat, % of
 * income per year, and USD bn per year). */
TW_API double tw_deal_analysis_payoff(const tw_deal_analysis *a, size_t p, size_t v, char which);
TW_API double tw_deal_analysis_critical_delta(const tw_deal_analysis *a, size_t p, size_t v);
TW_API double tw_deal_analysis_value_pct(const tw_deal_analysis *a, size_t p, size_t v);
TW_API double tw_deal_analysis_value_usd_bn(const tw_deal_analysis *a, size_t p, size_t v);
/* Purchase commitment k in `year` in equilibrium (CP engine, data deficits, the deal's
 * tariffs): the managed-trade wedge (iceberg factor >= 1 on third countries' sales of the
 * committed sectors to the importer; 1 = none needed), whether the target is reachable, the
 * target and the purchases without and with the wedge (USD bn, model flows). TW_EINVAL when
 * the commitment has no such year. */
TW_API tw_status tw_deal_analysis_wedge(const tw_deal_analysis *a, size_t k, int year,
                                        double *wedge, bool *feasible, double *target_usd_bn,
                                        double *without_usd_bn, double *with_usd_bn,
                                        tw_err *err);
/* The welfare effect of all of a year's wedges on country c (real income, points; USD bn)
 * and the change in c's sales of the committed sectors to the importers (USD bn; negative =
 * displaced). TW_EINVAL for a year not in the deal. */
TW_API tw_status tw_deal_analysis_managed_trade(const tw_deal_analysis *a, int year, size_t c,
                                                double *welfare_pct, double *welfare_usd_bn,
                                                double *sales_change_usd_bn, tw_err *err);

#ifdef __cplusplus
}
#endif
#endif /* TRADEWAR_H */
