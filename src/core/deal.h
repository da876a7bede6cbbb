/* SPDX-License-Identifier: MIT */
/*
 * src/core/deal.h: a parsed deal (docs/enforcement.md): parties, the threat and deal tariffs
 * (scenarios at dates), the conditional removal of the remaining tariffs, a snap-back clause
 * and purchase commitments. io parses it (io/deal_yaml.c); policy analyses it (policy/deal.c).
 *
 * Invariants after a successful parse: two distinct parties; dates valid; every commitment has
 * a category, importer, exporter, at least one sector, a finite baseline >= 0 and 1..
 * TW_DEAL_MAX_YEARS years with finite increments; snap_back_pct in [0, 100] or NaN.
 * Ownership: the deal owns all its strings and arrays; tw_deal_free releases them.
 */
#ifndef TW_CORE_DEAL_H
#define TW_CORE_DEAL_H

#include <stdbool.h>
#include <stddef.h>

#include "core/date.h"
#include "core/scenario.h"

/* Most years one commitment may list, and most distinct years over all commitments. */
#define TW_DEAL_MAX_YEARS 16

struct tw_deal_commitment {
    char *category;               /* owned */
    char *importer, *exporter;    /* owned country codes */
    char **sector;                /* [n_sector] owned sector codes */
    size_t n_sector;
    double baseline_usd_bn;       /* purchases in the base year, USD bn */
    int year[TW_DEAL_MAX_YEARS];
    double increment_usd_bn[TW_DEAL_MAX_YEARS];
    size_t n_year;
    struct tw_pos pos;
};

struct tw_deal {
    char *file, *name, *description, *world;    /* owned */
    char *party[2];                             /* owned country codes */
    char *threat_scenario, *deal_scenario;      /* owned: library names or paths */
    char threat_date[16], deal_date[16];        /* "YYYY-MM-DD" */
    bool remove_if_met;        /* the remaining tariffs go when the purchases are met */
    double snap_back_pct;      /* fulfilment (%) below which the threat tariffs return; NaN */
    struct tw_deal_commitment *commit;          /* [n_commit] owned */
    size_t n_commit;
};

/* Fulfilment of a deal's commitments (io/compliance.c). Observed values are NaN where the
 * observations do not cover them. Arrays are [n_commit] or [n_commit * n_year] (k * n_year + y)
 * over the deal's distinct years. Owns everything except `deal` (borrowed: the deal must
 * outlive it). */
struct tw_compliance {
    const struct tw_deal *deal;
    char *file;                   /* owned: the observed CSV's name */
    size_t n_commit, n_year;
    int *year;                    /* [n_year] */
    double *committed;            /* [n_commit * n_year], NaN where a commitment has no year */
    double *observed;             /* [n_commit * n_year] */
    double *committed_k, *observed_k;   /* [n_commit] over all its years */
    double *committed_y, *observed_y;   /* [n_year] over all categories */
    double committed_total, observed_total;
};

#endif
