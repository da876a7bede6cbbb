/* SPDX-License-Identifier: MIT */
/*
 * src/io/uschina.h: from the US-China trade-war data (the shared folder `uschina/`, described
 * in its README.md) to trade-weighted changes of the bilateral sector tariffs of every action,
 * ready to be written as scenario actions (docs/concordances.md, "Derivation").
 *
 * Three derivation methods, chosen per action by rules on the action's row (uschina.c):
 *   PRODUCT   China's actions up to 2019-06-01: the Bown-Jung-Zhang product file. Each HS10
 *             line is weighted by its HS8's 2017 imports from the US split equally over the
 *             HS8's lines; change_s = sum(w d) / sum(w over every line of s) / 100.
 *   SERIES    other implemented actions: Waugh's monthly trade-weighted NAICS3 tariffs with
 *             fixed 2017 weights; change_s = T_s(after) - T_s(before) over a window that
 *             starts where the previous action of the same imposer ended (no double counting).
 *   RATIO     an action that scales an earlier one by a stated ratio ("-CUT": 15 % -> 7.5 %;
 *             a planned "Lists 1-3" increase 25 % -> 30 %): (ratio - 1) x the earlier change.
 *   REMAINDER a planned list at a uniform rate on everything not yet covered (US list 4B):
 *             the uncovered share of each NAICS3 industry, implied by the series, at that rate,
 *             scaled to the announced trade value when that is smaller.
 *
 * Units: sector changes are fractions (0.05 = 5 percentage points); trade in USD; averages
 * and series in percent as in the files. Sector indices follow io/concord.h.
 * Ownership: tw_uschina_compute returns a new result freed with tw_uschina_free; all arrays
 * inside are owned by it.
 */
#ifndef TW_IO_USCHINA_H
#define TW_IO_USCHINA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "core/date.h"
#include "core/err.h"
#include "io/concord.h"

#define TW_USCHINA_NS TW_CONCORD_N_SECTOR

/* Most NAICS codes one monthly series may hold (the files have 30 and 31). More: TW_EINVAL. */
#define TW_USCHINA_MAX_NAICS 128

/* How an action's sector changes were obtained. */
enum tw_uschina_method {
    TW_USCHINA_NONE = 0,  /* not derived */
    TW_USCHINA_PRODUCT,   /* BJZ product lines (China, up to 2019-06-01) */
    TW_USCHINA_SERIES,    /* Waugh NAICS3 monthly series, window before -> after */
    TW_USCHINA_RATIO,     /* (ratio - 1) x the change of earlier action(s) */
    TW_USCHINA_REMAINDER, /* uniform rate on the uncovered remainder (planned US list) */
    TW_USCHINA_STATUTORY  /* statutory rate x announced covered trade, in one sector (US
                             Section 232: the NAICS3 series carries no 232 duties) */
};

/* What the action is for the scenarios. */
enum tw_uschina_kind {
    TW_USCHINA_IMPLEMENTED = 0, /* took effect: emitted in the "implemented" group */
    TW_USCHINA_PLANNED,         /* suspended or cancelled but derived: "planned" group */
    TW_USCHINA_SKIPPED          /* reported, not emitted (note says why) */
};

/* One row of us_china_tariff_actions.csv and what was derived from it. */
struct tw_uschina_action {
    char id[32];              /* action_id */
    char imposer[8];          /* model region code, "USA" / "CHN" ("" when not bilateral) */
    char target[8];           /* "CHN" / "USA" */
    char authority[96];       /* as written */
    char list[96];            /* list_or_batch as written */
    char status[24];          /* implemented / suspended / cancelled */
    char rate_text[96];       /* rate_pct as written */
    char announced_text[48];  /* trade_value_usd_bn as written */
    char announced_basis[96]; /* trade_value_basis as written */
    char tariff_lines[16];    /* tariff_lines as written */
    double announced_bn;      /* leading number of announced_text (after "~"), NaN if none */
    char effective_text[24];  /* effective_date as written */
    tw_day effective;         /* effective_date, TW_DAY_NONE when not a date */
    tw_day end;               /* end_date, TW_DAY_NONE when blank */
    size_t line;              /* line of the row in the actions file */
    enum tw_uschina_kind kind;
    enum tw_uschina_method method;
    bool visible;             /* the method found a change (max |change| >= min_change_pp) */
    double change[TW_USCHINA_NS];     /* fraction: change of the trade-weighted sector tariff */
    double covered_bn;                /* trade covered, USD bn (derived); NaN when unknown */
    double covered_s_bn[TW_USCHINA_NS]; /* PRODUCT: covered trade by sector, USD bn */
    double overall_pp;        /* change of the overall trade-weighted average, pp */
    tw_day before, after;     /* SERIES windows (and RATIO checks): first days of months;
                                 TW_DAY_NONE when not used */
    double series_check_pp;   /* RATIO: overall change the series shows over [before, after],
                                 pp; NaN when not computed */
    double avg_after_pct;     /* implied overall bilateral average after the action (chain of
                                 emitted implemented actions), %; NaN for others */
    bool has_bown;            /* a Bown point measures the regime this action starts */
    size_t bown;              /* its index in tw_uschina.bown */
    size_t base[8];           /* RATIO/REMAINDER: indices of the actions it builds on */
    size_t n_base;
    double ratio;             /* RATIO: the ratio; REMAINDER: the uniform rate (fraction) */
    double scale;             /* REMAINDER: scale applied to the uncovered remainder */
    char note[400];           /* how it was derived or why it was skipped, one line */
};

/* A Waugh monthly NAICS3 series (one direction). */
struct tw_uschina_series {
    char path[1024];          /* file it came from */
    size_t n_naics;
    size_t n_month;
    char (*naics)[8];         /* [n_naics] codes in order of first appearance */
    int *sector;              /* [n_naics] sector index, -1 when excluded */
    int ym0;                  /* first month as year * 12 + (month - 1) */
    double *tariff;           /* [n_month * n_naics], [m * n_naics + n], percent; NaN = empty */
    double *trade;            /* [n_month * n_naics] bilateral trade, USD; NaN = empty */
    double *w2017;            /* [n_naics] 2017 weights, USD */
};

/* China's product file joined with its 2017 imports from the US. */
struct tw_uschina_products {
    size_t n_line;
    size_t n_event;           /* event (d_...) columns, the first is the base level */
    char (*hs10)[16];         /* [n_line] */
    int *sector;              /* [n_line] sector index, -1 when excluded */
    double *weight;           /* [n_line] USD */
    double *d;                /* [n_line * n_event], [l * n_event + e], percentage points */
    char (*event)[48];        /* [n_event] column name after "d_YYYYMMDD_" */
    tw_day *event_date;       /* [n_event] */
    double imports_usd;       /* sum of the HS8 import file */
    double matched_usd;       /* HS8 values matched to lines of the same HS8 */
    double hs6_usd;           /* HS8 values without lines, spread over their HS6's lines */
    double unmatched_usd;     /* HS8 values with no line in their HS6 either (dropped) */
    double excluded_usd;      /* HS8 values in chapters that map to no sector (98, 99, 77) */
    size_t n_hs8;             /* rows of the import file */
};

/* One point of bown_average_tariff_points.csv. */
struct tw_uschina_bown {
    tw_day date;              /* YYYY-MM-DD, or the 15th for a month-only YYYY-MM */
    char date_text[16];
    double us_pct, cn_pct;    /* NaN when empty */
    char kind[64];
    bool actual;              /* kind starts with "actual" */
};

/* HTS lines of one US list by sector (coverage audit). */
struct tw_uschina_list_count {
    char list[8];             /* "1", "2", "3", "4A", "4B" */
    char source[32];          /* "2018 annex" / "USITC 2020" */
    size_t n[TW_USCHINA_NS];  /* lines per sector */
    size_t n_excluded;        /* lines in unmapped chapters */
    size_t n_hts10;           /* of all lines, those given at 10 digits */
    size_t total;
};

/* A China MFN event of the product file (not an action; reported only). */
struct tw_uschina_mfn {
    char event[48];
    tw_day date;
    double change[TW_USCHINA_NS]; /* fraction */
    double overall_pp;
    double covered_bn;
};

struct tw_uschina {
    char dir[1024];           /* the uschina folder used */
    struct tw_uschina_action *actions; /* [n_action] in file order */
    size_t n_action;
    struct tw_uschina_series us;  /* US tariffs on China; weights = 2017 US imports */
    struct tw_uschina_series cn;  /* China's tariffs on the US; weights = 2017 US exports */
    struct tw_uschina_products prod;
    double us_w[TW_USCHINA_NS];   /* 2017 US imports from China by sector (NAICS), USD */
    double cn_w[TW_USCHINA_NS];   /* 2017 China imports from the US by sector (HS), USD */
    double cnx_w[TW_USCHINA_NS];  /* 2017 US exports to China by sector (NAICS), USD */
    double us_excluded_usd, cnx_excluded_usd; /* NAICS 9xx trade left out of us_w / cnx_w */
    double us_base_pct[TW_USCHINA_NS];  /* pre-war sector tariffs, % (series, first window) */
    double cn_base_pct[TW_USCHINA_NS];  /* pre-war sector tariffs, % (product base column) */
    tw_day us_base_month, cn_base_date;
    double us_base_avg, cn_base_avg;    /* overall pre-war averages, % */
    struct tw_uschina_mfn *mfn;         /* [n_mfn] */
    size_t n_mfn;
    struct tw_uschina_bown *bown;       /* [n_bown] in file order */
    size_t n_bown;
    struct tw_uschina_list_count *lists; /* [n_lists] */
    size_t n_lists;
    tw_day bjz_dates[16];               /* china_avg_tariff_bjz2019.csv (figure 1) */
    double bjz_avg_pct[16];
    size_t n_bjz;
};

/*
 * Read every file of the uschina folder `dir` (in: the folder itself, or the shared data root
 * that holds uschina/) and derive every action. Returns TW_OK, TW_EIO (a file missing or
 * unreadable: path named), TW_EPARSE (malformed CSV or a bad number: path:line:col),
 * TW_EINVAL (inconsistent data, e.g. a duplicate month), TW_ENOMEM. On failure *out is NULL.
 */
TW_INTERNAL tw_status tw_uschina_compute(const char *dir, const tw_uschina_opts *opts,
                                         struct tw_uschina **out, tw_err *err);
TW_INTERNAL void tw_uschina_free(struct tw_uschina *u);

/* Readers (uschina_read.c), usable on their own by tests. */
TW_INTERNAL tw_status tw_uschina_read_series(const char *path, const char *weights_path,
                                             struct tw_uschina_series *s, tw_err *err);
TW_INTERNAL void tw_uschina_series_clear(struct tw_uschina_series *s);
TW_INTERNAL tw_status tw_uschina_read_products(const char *lines_path, const char *imports_path,
                                               bool hs6_fallback,
                                               struct tw_uschina_products *p, tw_err *err);
TW_INTERNAL void tw_uschina_products_clear(struct tw_uschina_products *p);
TW_INTERNAL tw_status tw_uschina_read_actions(const char *path, struct tw_uschina *u,
                                              tw_err *err);
TW_INTERNAL tw_status tw_uschina_read_bown(const char *path, struct tw_uschina *u, tw_err *err);
TW_INTERNAL tw_status tw_uschina_read_bjz_avg(const char *path, struct tw_uschina *u,
                                              tw_err *err);
TW_INTERNAL tw_status tw_uschina_read_lists(const char *annex_path, const char *usitc_path,
                                            struct tw_uschina *u, tw_err *err);

/* Month helpers: "YYYY-MM" index of a day (year * 12 + month - 1) and back. */
TW_INTERNAL int tw_uschina_ym(tw_day d);
TW_INTERNAL tw_day tw_uschina_ym_day(int ym);

/*
 * Trade-weighted average of a series in month `ym` (in), over every code (mapped_only false)
 * or only the codes mapped to a sector, weighted by that month's trade (monthly true, the
 * README's method) or by the 2017 weights. false when the month is not in the series.
 */
TW_INTERNAL bool tw_uschina_series_avg(const struct tw_uschina_series *s, int ym, bool monthly,
                                       bool mapped_only, double *avg_pct);

/* Average of the product file's cumulative tariff (all event columns up to and including
 * event e) weighted by the line weights, %. */
TW_INTERNAL double tw_uschina_products_avg(const struct tw_uschina_products *p, size_t e);

/* Writers (uschina_write.c). */
TW_INTERNAL tw_status tw_uschina_write_report(const struct tw_uschina *u, FILE *out,
                                              tw_err *err);
TW_INTERNAL tw_status tw_uschina_write_yaml(const struct tw_uschina *u, FILE *out, tw_err *err);

#endif
