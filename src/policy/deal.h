/* SPDX-License-Identifier: MIT */
/*
 * src/policy/deal.h: the layout of a deal analysis (policy/deal.c), shared with the report
 * layer (report/deal.c). The public API (tradewar.h, "Deals") is the way in.
 */
#ifndef TW_POLICY_DEAL_H
#define TW_POLICY_DEAL_H

#include <stdbool.h>
#include <stddef.h>

#include "core/deal.h"
#include "core/world.h"

/* Variants of the deal: as signed (remaining tariffs kept as leverage), and with the remaining
 * tariffs removed (back to the pre-war tariffs of the world). */
#define TW_DEAL_AS_SIGNED 0
#define TW_DEAL_FULL 1

struct tw_deal_side {
    size_t c;                  /* country index */
    double income_usd_bn;      /* baseline income (value added + tariff revenue), USD bn */
    double threat_pct;         /* welfare at the threat (war) tariffs, % vs baseline */
    double coop_pct[2];        /* C: at the deal's tariffs, per variant */
    double dev_pct[2];         /* D: best response against the variant, partner fixed */
    double dev_mean_tariff[2]; /* mean of its deviation tariffs on the partner (fraction) */
    double delta_star[2];      /* critical discount factor (D - C) / (D - P) */
    size_t min_punish[2];      /* shortest punishment (years) deterring deviation at delta */
    bool self_enforcing[2];    /* delta >= delta_star */
    double value_pct[2];       /* C - P, % of income per year */
    double value_usd_bn[2];    /* value_pct / 100 * income */
    double pv_usd_bn[2];       /* value_usd_bn * (1 + r) / r */
    double month_delay_usd_bn[2]; /* value_usd_bn / 12 */
    double share_pct[2];       /* share of the joint USD gain, % */
};

/* A purchase commitment in equilibrium (one category and year): the managed-trade wedge. */
struct tw_deal_wedge {
    int year;
    double target_usd_bn;      /* model base-year flow x committed / baseline */
    double without_usd_bn;     /* purchases at the deal's tariffs, no wedge */
    double with_usd_bn;        /* purchases with the wedge */
    double wedge;              /* iceberg factor on third countries' sales (1 = none) */
    bool met_without, feasible;
};

struct tw_deal_analysis {
    const tw_world *w;
    char *name;                /* owned: the deal's name */
    double r, delta;           /* discount rate and factor 1/(1+r) */
    size_t max_T;
    struct tw_deal_side side[2];
    double *threat_all, *coop_all; /* [N] welfare % of every country: threat, as signed */
    bool punish_nash;          /* punishment = the two parties' Nash war (else the threat) */
    double punish_pct[2];      /* punishment payoff P of each side, % */
    double nash_tariff_pct[2]; /* punish_nash: each side's mean Nash tariff on the other, % */
    double fulfilment_pct;     /* NaN when unknown */
    double snap_back_pct;      /* NaN when the deal has none */
    bool remove_if_met;
    bool converged;
    size_t evaluations;
    /* purchase commitments in equilibrium (CP engine, data deficits, deal tariffs) */
    size_t n_commit, n_year;
    char **category;                  /* [n_commit] owned copies */
    struct tw_deal_wedge *wedge;      /* [n_commit * n_year], year 0 where not committed */
    double *wedge_welfare_pct;        /* [n_year * N]: real income with all wedges of the year
                                         minus without, points */
    double *wedge_welfare_usd_bn;     /* [n_year * N] */
    double *displaced_usd_bn;         /* [n_year * N]: change of each country's sales of the
                                         committed sectors to the importers, USD bn */        /* equilibrium solves */
};

#endif
