/* SPDX-License-Identifier: MIT */
/*
 * src/core/world.h: the in-memory world (baseline economy) shared by io, model and policy.
 *
 * io fills a world from a bundle or an importer; model and policy read it. The layout is
 * fixed here so that neither needs the other's headers.
 *
 * Invariants of a validated world (checked by tw_world_validate):
 *   - n_country >= 1, n_sector >= 1, codes unique and non-empty;
 *   - flow >= 0 and finite; tariff >= 0 and finite, 0 on the diagonal;
 *   - theta > 0 and finite for every sector;
 *   - for every (c, s): va_share(c, s) + sum_k io(c, k, s) = 1 within TW_WORLD_SHARE_TOL;
 *   - for every c: sum_s alpha(c, s) = 1 within TW_WORLD_SHARE_TOL, alpha >= 0;
 *   - sum_c deficit(c) = 0 within TW_WORLD_DEFICIT_TOL times world value added;
 *   - every country has positive absorption and positive value added.
 */
#ifndef TW_CORE_WORLD_H
#define TW_CORE_WORLD_H

#include <stdbool.h>
#include <stddef.h>

#include "core/diag.h"
#include "core/err.h"

/* Tolerance on share sums (value-added + input shares per column; final-demand shares). The
 * CP2015 input-output columns sum to 1 only within 7e-7, so 1e-5 accepts published data while
 * catching real errors (a missing row moves a sum by at least ~1e-3 in practice). */
#define TW_WORLD_SHARE_TOL 1e-5
/* Tolerance on the world sum of deficits, relative to world value added. */
#define TW_WORLD_DEFICIT_TOL 1e-6
/* Input-output shares below 0 but at or above this are accepted with a warning (CP2015 has
 * one cell at -0.00057, CAN other->basic_metals); below it they are errors. */
#define TW_WORLD_IO_NEG_WARN -0.01

/* Size limits of a world (docs/world-format.md, "Limits"), enforced by tw_world_alloc and, with
 * a message naming the file, by the bundle reader (io/bundle.c) before anything is allocated.
 * They keep a mistyped or hostile bundle from asking for more memory than any machine has:
 * at the largest allowed size one [S*N*N] array is 2 GiB, and the model keeps several. The
 * biggest published multi-region tables (GTAP: 141 regions x 65 sectors, 1.3 M cells) are far
 * below. Each limit is a count the world may reach (a world of exactly 1000 regions is fine). */
/* Most countries (regions) in a world. */
#define TW_WORLD_MAX_COUNTRIES 1000
/* Most sectors in a world. */
#define TW_WORLD_MAX_SECTORS 1000
/* Most cells of the largest arrays: both N*N*S (flows, tariffs) and N*S*S (input-output
 * shares) must be at most this, 2^28. With the two limits above neither product overflows. */
#define TW_WORLD_MAX_CELLS ((size_t)1 << 28)

struct tw_world {
    size_t n_country;      /* N >= 1 */
    size_t n_sector;       /* S >= 1 */
    char **country_code;   /* [N] owned, unique, non-empty */
    char **country_name;   /* [N] owned */
    char **sector_code;    /* [S] owned, unique, non-empty */
    char **sector_name;    /* [S] owned */
    bool *tradable;        /* [S] false: the sector has no international flows */
    double *flow;          /* [S*N*N], [(s*N + j)*N + i] = value of s shipped from exporter i to
                              importer j, USD before tariffs; diagonal = domestic sales */
    double *tariff;        /* [S*N*N], [(s*N + j)*N + i] = ad-valorem tariff of importer j on
                              exporter i in s (fraction) */
    double *theta;         /* [S] trade elasticity (Frechet dispersion) */
    double *va_share;      /* [N*S], [c*S + s] = value-added share of gross output */
    double *io;            /* [N*S*S], [(c*S + k)*S + s] = cost share of input sector k in using
                              sector s's gross output in country c */
    double *alpha;         /* [N*S], [c*S + s] = final-demand (consumption) share */
    double *deficit;       /* [N] trade deficit D_c = imports - exports, USD */
    char *meta_name;       /* owned, "" when absent */
    char *meta_year;       /* owned */
    char *meta_currency;   /* owned */
    char *meta_source;     /* owned */
    char *meta_model;      /* owned: the model variant the world is meant for ("" = cp2015;
                              "ossa2014", "lashkaripour2021"), meta.csv key "model" */
    double *pe_weight;     /* [N*S], [c*S + s] = political-economy weight lambda of sector s in
                              country c's government objective (Ossa 2014, eq. 5); 1 = none */
};

/* Index helpers (the layouts above). */
static inline size_t tw_world_ijs(const struct tw_world *w, size_t exporter, size_t importer,
                                  size_t s)
{
    return (s * w->n_country + importer) * w->n_country + exporter;
}
static inline size_t tw_world_cs(const struct tw_world *w, size_t c, size_t s)
{
    return c * w->n_sector + s;
}
static inline size_t tw_world_cks(const struct tw_world *w, size_t c, size_t k, size_t s)
{
    return (c * w->n_sector + k) * w->n_sector + s;
}

/* Allocate an N x S world with every array zeroed, every string "" (owned), tradable = true.
 * Returns TW_OK, TW_EINVAL (zero size, or a size above TW_WORLD_MAX_COUNTRIES,
 * TW_WORLD_MAX_SECTORS or TW_WORLD_MAX_CELLS), TW_ENOMEM. */
TW_INTERNAL tw_status tw_world_alloc(size_t n_country, size_t n_sector, struct tw_world **out,
                                     tw_err *err);

/* Replace an owned string field (*slot) by a copy of value. TW_OK or TW_ENOMEM. */
TW_INTERNAL tw_status tw_world_set_string(char **slot, const char *value, tw_err *err);

/* Deep copy. TW_OK or TW_ENOMEM. */
TW_INTERNAL tw_status tw_world_copy(const struct tw_world *w, struct tw_world **out,
                                    tw_err *err);

/*
 * Semantic checks on a filled world (the invariants above), appending every problem to d.
 * `where` names the source in messages ("cp-world/" or "import cp2015"). Returns TW_OK,
 * TW_EINVAL when at least one error was added, TW_ENOMEM.
 */
TW_INTERNAL tw_status tw_world_validate(const struct tw_world *w, const char *where, tw_diag *d,
                                        tw_err *err);

#endif
