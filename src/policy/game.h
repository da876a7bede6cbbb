/* SPDX-License-Identifier: MIT */
/*
 * src/policy/game.h: the layout of a tariff-game result (policy/game.c), shared with the
 * report layer. The public API (include/tradewar/tradewar.h, "Tariff games") is the way in.
 */
#ifndef TW_POLICY_GAME_H
#define TW_POLICY_GAME_H

#include <stdbool.h>
#include <stddef.h>

#include "core/err.h"
#include "core/world.h"

struct tw_game_result {
    tw_game_kind kind;
    tw_game_instrument instrument;
    tw_game_from from;            /* talks only */
    tw_game_talks_kind talks_kind;/* talks only */
    bool lobbying, profits;
    size_t N, S;
    double *tariff;          /* [S*N*N] the game's tariffs, world layout */
    double *welfare_pct;     /* [N] real income change vs the reference, % */
    double *gov_pct;         /* [N] government welfare change, % */
    double *exports_pct;     /* [N] */
    double *imports_pct;     /* [N] */
    double *wage_pct;        /* [N] wage change relative to the world mean (Ossa), points */
    double *ref_welfare_pct; /* [N] talks: the starting point's change vs the factual baseline */
    double *ref_gov_pct;     /* [N] */
    bool *is_player;         /* [N] */
    size_t *at_upper;        /* [N] tariffs at the upper bound */
    size_t *at_lower;        /* [N] tariffs at the lower bound */
    size_t iterations;       /* best-response rounds (Nash), fixed-point iterations (formula) */
    size_t evaluations;      /* equilibrium solves */
    double last_change;      /* largest tariff change of the last round */
    bool converged, interrupted, multiple_hint, method_formula, against_players;
    tw_status status;
};

#endif
