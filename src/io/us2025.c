/* SPDX-License-Identifier: MIT */
/*
 * src/io/us2025.c: the 2025-2026 US tariff regime as a scenario of the library
 * (tw_us2025_write_scenario; `tradewar derive us2025 DATA_DIR`). Method: docs/scenarios.md,
 * "The 2025-2026 US tariff regime".
 *
 * Inputs (under the shared data root DIR):
 *   us2025/us_tariff_actions_2025_2026.csv, us2025/retaliation_2025.csv  the dated actions
 *   icio_2017_trade_tariffs/full (81 economies x 28 sectors)  trade weights: US imports 2017
 *       from each economy by ICIO sector, aggregated to the built-in world's 10 regions and
 *       10 sectors with full/regions.csv and full/sectors.csv
 *   uschina/ (through tw_uschina_write_scenario "phase-one-2020")  the 2018-2020 tariffs
 *       still in force on 2024-12-31, written as `baseline: true` actions
 *
 * The mapping is a table of rows below (struct row): one statutory rate of one action id, for
 * one partner (an economy, "EU27", or "*" = every economy without a row of its own in the
 * same family at that time), in force on [from, to). Rows of one family replace each other
 * (reciprocal rates replace the 10 % baseline); families stack (Section 232 on top of MFN,
 * fentanyl on top of Section 301). Each family applies to a share of each sector (its base,
 * `base()`), computed from the ICIO sub-sectors of the region's exports to the US and a few
 * named coverage assumptions (US25_* constants). A region's per-sector increment is the
 * US-import-weighted mean over its economies of rate x base (add rows) or
 * max(0, rate - MFN) x base (floor rows: the "15 % all-in" deals, MFN = the built-in world's
 * 2017 US tariff on the region). Every row is checked against the CSV: the action id must
 * exist, and the rate must lie in the CSV's rate range unless the row says where else in the
 * CSV its rate is written (rate_note); a date that differs from the CSV's effective date says
 * why (date_note). A CSV action with no row is listed in the output as not modelled, with the
 * reason.
 *
 * Ownership: everything allocated here is freed before returning.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/date.h"
#include "core/scenario.h"
#include "core/world.h"
#include "io/csv.h"
#include "io/us2025.h"
#include "tradewar/tradewar.h"

/* ---- named coverage assumptions (shares of an ICIO sub-sector's US imports) ------------ */

/* Aluminium in ICIO C24B (non-ferrous metals): Section 232 "steel and aluminium". */
#define US25_ALU_OF_NONFERROUS 0.40
/* Semi-finished copper in C24B (Section 232 copper, 2025-08-01). */
#define US25_COPPER_OF_NONFERROUS 0.15
/* Steel/aluminium derivatives in C25 (fabricated metal products): the 2025 derivative list,
 * and the 407 codes added 2025-08-18. */
#define US25_DERIV1_OF_C25 0.30
#define US25_DERIV2_OF_C25 0.20
/* Metal content of a derivative's value (2025: duty on metal content only). */
#define US25_METAL_CONTENT 0.40
/* C29 (motor vehicles, trailers, parts): passenger vehicles and light trucks, auto parts,
 * medium and heavy trucks and buses. */
#define US25_VEH_OF_C29 0.55
#define US25_PARTS_OF_C29 0.35
#define US25_TRUCKS_OF_C29 0.10
/* Softwood timber and lumber in C16; upholstered furniture, cabinets and vanities in C31T33. */
#define US25_LUMBER_OF_C16 0.50
#define US25_FURNITURE_OF_C31T33 0.30
/* Electronics exempt from the reciprocal tariffs (smartphones, computers, semiconductors) in
 * C26; the Section 232 semiconductor action of 2026-01-15 (narrow). */
#define US25_ELEC_EXEMPT_OF_C26 0.60
#define US25_SEMI232_OF_C26 0.03
/* USMCA-qualifying share of US imports from Canada and Mexico after 2025-03-07 (exempt from
 * the fentanyl tariffs and Section 122). The data give no figure; this is an assumption. */
#define US25_USMCA_QUALIFYING 0.85
/* Dutiable share of USMCA vehicles (non-US content) and of auto parts (non-compliant). */
#define US25_USMCA_VEH_DUTIABLE 0.50
#define US25_USMCA_PARTS_DUTIABLE 0.20
/* Shares of AGR and FOOD exempted from the reciprocal tariffs on 2025-11-13 (beef, coffee,
 * tea, cocoa, bananas, tomatoes, spices, some fertilisers). */
#define US25_AG_EXEMPT_AGR 0.40
#define US25_AG_EXEMPT_FOOD 0.20
/* Canadian dollars to US dollars (2025 average, about 0.72) and euro not needed (the EU never
 * applied its measures). */
#define US25_CAD_USD 0.72

/* The ten sectors of the built-in world (io/concord.h order). */
enum { AGR, MIN, FOOD, TEX, CHEM, MET, MACH, TRAN, OMAN, SERV, NS };
static const char *const sec10[NS] = {"AGR", "MIN", "FOOD", "TEX", "CHEM", "MET", "MACH",
                                      "TRAN", "OMAN", "SERV"};
/* The ten regions of the built-in world. */
enum { R_USA, R_CHN, R_EU, R_JPN, R_KOR, R_CAN, R_MEX, R_IND, R_BRA, R_ROW, NR };
static const char *const reg10[NR] = {"USA", "CHN", "EU", "JPN", "KOR", "CAN", "MEX", "IND",
                                      "BRA", "ROW"};

/* ICIO sub-sectors used by the bases. */
enum { X_B05, X_B06, X_B07, X_B08, X_B09, X_C19, X_C21, X_C24A, X_C24B, X_C25, X_C26, X_C27,
       X_C28, X_C29, X_C302T309, X_C16, X_C31T33, NX };
static const char *const subsec[NX] = {"B05", "B06", "B07", "B08", "B09", "C19", "C21",
                                       "C24A", "C24B", "C25", "C26", "C27", "C28", "C29",
                                       "C302T309", "C16", "C31T33"};

/* Families: rows of one family replace each other; families stack. */
enum family {
    F_RECIP,     /* IEEPA reciprocal (baseline, Annex I, Phase 2, deals) */
    F_CTRY,      /* IEEPA country orders stacked on the reciprocal (Brazil, India) */
    F_FENT,      /* IEEPA fentanyl, non-energy */
    F_FENT_E,    /* IEEPA fentanyl, energy and potash (Canada 10 %) */
    F_S122,      /* Section 122 */
    F_M232,      /* Section 232 steel and aluminium, core */
    F_D1, F_D2,  /* Section 232 derivatives by metal content (2025 list; 2025-08-18 codes) */
    F_DFULL,     /* Section 232 downstream articles on full value (2026-04-06 annexes) */
    F_CU,        /* Section 232 copper */
    F_VEH, F_PARTS, F_TRUCKS, /* Section 232 vehicles, parts, medium/heavy trucks */
    F_LUMBER, F_FURN,         /* Section 232 timber/lumber, furniture/cabinets */
    F_SEMI,      /* Section 232 semiconductors */
    NF
};

enum mode { ADD, FLOOR };

struct row {
    enum family f;
    const char *id;        /* action_id of the CSV */
    const char *who;       /* economy code, "EU27", or "*" */
    const char *from, *to; /* [from, to); to NULL = open */
    double rate_pct;
    enum mode mode;
    double factor;         /* multiplies the increment (USMCA shares); 0 means 1 */
    const char *rate_note; /* where in the CSV the rate is written when outside rate_pct */
    const char *date_note; /* why `from` differs from the CSV's effective_date */
};

#define USMCA_OUT (1.0 - US25_USMCA_QUALIFYING)
#define SCOTUS_RECIP "2026-02-20"
#define SCOTUS_FENT "2026-02-24"

static const struct row rows[] = {
    /* reciprocal: baseline 10 (not CAN/MEX), Annex I for one day, China escalation, Phase 2 */
    {F_RECIP, "US25-007", "*", "2025-04-05", "2025-08-07", 10, ADD, 0, NULL, NULL},
    {F_RECIP, "US25-008", "EU27", "2025-04-09", "2025-04-10", 20, ADD, 0, NULL, NULL},
    {F_RECIP, "US25-008", "JPN", "2025-04-09", "2025-04-10", 24, ADD, 0, NULL, NULL},
    {F_RECIP, "US25-008", "KOR", "2025-04-09", "2025-04-10", 25, ADD, 0, NULL, NULL},
    {F_RECIP, "US25-008", "IND", "2025-04-09", "2025-04-10", 26, ADD, 0, NULL, NULL},
    {F_RECIP, "US25-008", "VNM", "2025-04-09", "2025-04-10", 46, ADD, 0, NULL, NULL},
    {F_RECIP, "US25-008", "TWN", "2025-04-09", "2025-04-10", 32, ADD, 0, NULL, NULL},
    {F_RECIP, "US25-008", "THA", "2025-04-09", "2025-04-10", 36, ADD, 0, NULL, NULL},
    {F_RECIP, "US25-008", "CHE", "2025-04-09", "2025-04-10", 31, ADD, 0, NULL, NULL},
    {F_RECIP, "US25-007", "CHN", "2025-04-05", "2025-04-09", 10, ADD, 0, NULL, NULL},
    {F_RECIP, "US25-009", "CHN", "2025-04-09", "2025-04-10", 84, ADD, 0, NULL, NULL},
    {F_RECIP, "US25-010", "CHN", "2025-04-10", "2025-05-14", 125, ADD, 0, NULL, NULL},
    {F_RECIP, "US25-011", "CHN", "2025-05-14", SCOTUS_RECIP, 10, ADD, 0, NULL, NULL},
    {F_RECIP, "US25-012", "*", "2025-08-07", SCOTUS_RECIP, 10, ADD, 0, NULL, NULL},
    {F_RECIP, "US25-012", "VNM", "2025-08-07", SCOTUS_RECIP, 20, ADD, 0, NULL, NULL},
    {F_RECIP, "US25-012", "TWN", "2025-08-07", SCOTUS_RECIP, 20, ADD, 0, NULL, NULL},
    {F_RECIP, "US25-012", "IND", "2025-08-07", SCOTUS_RECIP, 25, ADD, 0, NULL, NULL},
    {F_RECIP, "US25-012", "THA", "2025-08-07", SCOTUS_RECIP, 19, ADD, 0, NULL, NULL},
    {F_RECIP, "US25-012", "MYS", "2025-08-07", SCOTUS_RECIP, 19, ADD, 0, NULL, NULL},
    {F_RECIP, "US25-012", "IDN", "2025-08-07", SCOTUS_RECIP, 19, ADD, 0, NULL, NULL},
    {F_RECIP, "US25-012", "PHL", "2025-08-07", SCOTUS_RECIP, 19, ADD, 0, NULL, NULL},
    {F_RECIP, "US25-012", "KHM", "2025-08-07", SCOTUS_RECIP, 19, ADD, 0, NULL, NULL},
    {F_RECIP, "US25-012", "BGD", "2025-08-07", SCOTUS_RECIP, 20, ADD, 0, NULL, NULL},
    {F_RECIP, "US25-012", "LAO", "2025-08-07", SCOTUS_RECIP, 40, ADD, 0, NULL, NULL},
    {F_RECIP, "US25-012", "MMR", "2025-08-07", SCOTUS_RECIP, 40, ADD, 0, NULL, NULL},
    {F_RECIP, "US25-012", "CHE", "2025-08-07", "2025-11-14", 39, ADD, 0, NULL, NULL},
    {F_RECIP, "US25-016", "CHE", "2025-11-14", SCOTUS_RECIP, 15, FLOOR, 0, NULL, NULL},
    {F_RECIP, "US25-013", "EU27", "2025-08-07", "2025-09-01", 15, FLOOR, 0, NULL, NULL},
    {F_RECIP, "US25-013", "EU27", "2025-09-01", SCOTUS_RECIP, 15, FLOOR, 0, NULL,
     "products_sectors: aircraft/parts exempt from 2025-09-01"},
    {F_RECIP, "US25-014", "JPN", "2025-08-07", "2025-09-16", 15, ADD, 0, NULL,
     "rate_note: Aug 7-Sep 15 surcharge 15 on top of MFN"},
    {F_RECIP, "US25-014", "JPN", "2025-09-16", SCOTUS_RECIP, 15, FLOOR, 0, NULL, NULL},
    {F_RECIP, "US25-015", "KOR", "2025-08-07", "2025-11-14", 15, ADD, 0, NULL,
     "rate_note: surcharge 15 from 08-07"},
    {F_RECIP, "US25-015", "KOR", "2025-11-14", SCOTUS_RECIP, 15, FLOOR, 0, NULL, NULL},
    /* country orders stacked on the reciprocal */
    {F_CTRY, "US25-017", "BRA", "2025-08-06", SCOTUS_RECIP, 40, ADD, 0, NULL, NULL},
    {F_CTRY, "US25-018", "IND", "2025-08-27", "2026-02-07", 25, ADD, 0, NULL, NULL},
    /* fentanyl: China (incl. Hong Kong), Canada, Mexico */
    {F_FENT, "US25-001", "CHN", "2025-02-04", "2025-03-04", 10, ADD, 0, NULL, NULL},
    {F_FENT, "US25-002", "CHN", "2025-03-04", "2025-11-10", 20, ADD, 0, NULL, NULL},
    {F_FENT, "US25-003", "CHN", "2025-11-10", SCOTUS_FENT, 10, ADD, 0, NULL, NULL},
    {F_FENT, "US25-004", "CAN", "2025-03-04", "2025-03-07", 25, ADD, 0, NULL, NULL},
    {F_FENT, "US25-004", "CAN", "2025-03-07", "2025-08-01", 25, ADD, USMCA_OUT, NULL,
     "products_sectors: USMCA-qualifying goods exempt from 2025-03-07"},
    {F_FENT, "US25-005", "CAN", "2025-08-01", SCOTUS_FENT, 35, ADD, USMCA_OUT, NULL, NULL},
    {F_FENT_E, "US25-004", "CAN", "2025-03-04", "2025-03-07", 10, ADD, 0,
     "rate_note: energy/critical minerals/potash +10", NULL},
    {F_FENT_E, "US25-004", "CAN", "2025-03-07", SCOTUS_FENT, 10, ADD, USMCA_OUT,
     "rate_note: energy/critical minerals/potash +10",
     "products_sectors: USMCA-qualifying goods exempt from 2025-03-07; US25-005: energy/potash "
     "stay 10%"},
    {F_FENT, "US25-006", "MEX", "2025-03-04", "2025-03-07", 25, ADD, 0, NULL, NULL},
    {F_FENT, "US25-006", "MEX", "2025-03-07", SCOTUS_FENT, 25, ADD, USMCA_OUT, NULL,
     "products_sectors: USMCA-qualifying exempt from 2025-03-07"},
    /* Section 122 after the ruling, all partners, stacked on MFN */
    {F_S122, "US25-035", "*", "2026-02-24", "2026-07-24", 10, ADD, 0, NULL, NULL},
    {F_S122, "US25-035", "CAN", "2026-02-24", "2026-07-24", 10, ADD, USMCA_OUT, NULL, NULL},
    {F_S122, "US25-035", "MEX", "2026-02-24", "2026-07-24", 10, ADD, USMCA_OUT, NULL, NULL},
    /* Section 232 steel and aluminium (UK 25 from 2025-06-04) */
    {F_M232, "US25-020", "*", "2025-03-12", "2025-06-04", 25, ADD, 0, NULL, NULL},
    {F_M232, "US25-021", "*", "2025-06-04", "2026-04-06", 50, ADD, 0, NULL, NULL},
    {F_M232, "US25-021", "GBR", "2025-06-04", "2026-04-06", 25, ADD, 0,
     "partner: all partners except UK (stays 25)", NULL},
    {F_M232, "US25-023", "*", "2026-04-06", NULL, 50, ADD, 0, NULL, NULL},
    {F_M232, "US25-023", "GBR", "2026-04-06", NULL, 25, ADD, 0, NULL, NULL},
    {F_D1, "US25-020", "*", "2025-03-12", "2025-06-04", 25, ADD, 0, NULL, NULL},
    {F_D1, "US25-021", "*", "2025-06-04", "2026-04-06", 50, ADD, 0, NULL, NULL},
    {F_D1, "US25-021", "GBR", "2025-06-04", "2026-04-06", 25, ADD, 0,
     "partner: all partners except UK (stays 25)", NULL},
    {F_D2, "US25-022", "*", "2025-08-18", "2026-04-06", 50, ADD, 0, NULL, NULL},
    {F_D2, "US25-022", "GBR", "2025-08-18", "2026-04-06", 25, ADD, 0,
     "US25-021: UK stays 25", NULL},
    {F_DFULL, "US25-023", "*", "2026-04-06", NULL, 25, ADD, 0, NULL, NULL},
    {F_DFULL, "US25-023", "GBR", "2026-04-06", NULL, 15, ADD, 0,
     "products_sectors: I-B downstream articles 25 on full value (UK 15)", NULL},
    {F_CU, "US25-026", "*", "2025-08-01", NULL, 50, ADD, 0, NULL, NULL},
    /* Section 232 vehicles and parts; USMCA content; deal rates as all-in floors */
    {F_VEH, "US25-024", "*", "2025-04-03", NULL, 25, ADD, 0, NULL, NULL},
    {F_VEH, "US25-024", "CAN", "2025-04-03", NULL, 25, ADD, US25_USMCA_VEH_DUTIABLE, NULL, NULL},
    {F_VEH, "US25-024", "MEX", "2025-04-03", NULL, 25, ADD, US25_USMCA_VEH_DUTIABLE, NULL, NULL},
    {F_VEH, "US25-024", "GBR", "2025-04-03", "2025-06-30", 25, ADD, 0, NULL, NULL},
    {F_VEH, "US25-024", "GBR", "2025-06-30", NULL, 10, FLOOR, 0,
     "rate_note: UK 10 within 100k quota from 2025-06-30", "rate_note: UK from 2025-06-30"},
    {F_VEH, "US25-024", "EU27", "2025-04-03", "2025-08-01", 25, ADD, 0, NULL, NULL},
    {F_VEH, "US25-024", "EU27", "2025-08-01", NULL, 15, FLOOR, 0,
     "rate_note: EU 15 all-in (from 08-01)", "rate_note: EU from 08-01"},
    {F_VEH, "US25-024", "JPN", "2025-04-03", "2025-09-16", 25, ADD, 0, NULL, NULL},
    {F_VEH, "US25-024", "JPN", "2025-09-16", NULL, 15, FLOOR, 0,
     "rate_note: Japan 15 all-in (from 09-16)", "rate_note: Japan from 09-16"},
    {F_VEH, "US25-024", "KOR", "2025-04-03", "2025-11-01", 25, ADD, 0, NULL, NULL},
    {F_VEH, "US25-024", "KOR", "2025-11-01", NULL, 15, FLOOR, 0,
     "rate_note: Korea 15 all-in (from 11-01)", "rate_note: Korea from 11-01"},
    {F_PARTS, "US25-025", "*", "2025-05-03", NULL, 25, ADD, 0, NULL, NULL},
    {F_PARTS, "US25-025", "CAN", "2025-05-03", NULL, 25, ADD, US25_USMCA_PARTS_DUTIABLE, NULL,
     NULL},
    {F_PARTS, "US25-025", "MEX", "2025-05-03", NULL, 25, ADD, US25_USMCA_PARTS_DUTIABLE, NULL,
     NULL},
    {F_PARTS, "US25-025", "GBR", "2025-06-30", NULL, 10, FLOOR, 0,
     "rate_note: same deal rates as vehicles (UK 10)", "US25-024 rate_note: UK from 06-30"},
    {F_PARTS, "US25-025", "EU27", "2025-08-01", NULL, 15, FLOOR, 0,
     "rate_note: same deal rates as vehicles", "US25-024 rate_note: EU from 08-01"},
    {F_PARTS, "US25-025", "JPN", "2025-09-16", NULL, 15, FLOOR, 0,
     "rate_note: same deal rates as vehicles", "US25-024 rate_note: Japan from 09-16"},
    {F_PARTS, "US25-025", "KOR", "2025-11-01", NULL, 15, FLOOR, 0,
     "rate_note: same deal rates as vehicles", "US25-024 rate_note: Korea from 11-01"},
    {F_PARTS, "US25-036", "TWN", "2026-05-01", NULL, 15, ADD, 0, NULL, NULL},
    {F_TRUCKS, "US25-028", "*", "2025-11-01", NULL, 25, ADD, 0, NULL, NULL},
    {F_TRUCKS, "US25-028", "CAN", "2025-11-01", NULL, 25, ADD, US25_USMCA_VEH_DUTIABLE, NULL,
     NULL},
    {F_TRUCKS, "US25-028", "MEX", "2025-11-01", NULL, 25, ADD, US25_USMCA_VEH_DUTIABLE, NULL,
     NULL},
    /* Section 232 wood products (UK 10; EU/Japan capped at 15; Taiwan 15 from 2026-05-01) */
    {F_LUMBER, "US25-027", "*", "2025-10-14", NULL, 10, ADD, 0, NULL, NULL},
    {F_FURN, "US25-027", "*", "2025-10-14", NULL, 25, ADD, 0, NULL, NULL},
    {F_FURN, "US25-027", "GBR", "2025-10-14", NULL, 10, ADD, 0, "partner: UK 10", NULL},
    {F_FURN, "US25-027", "EU27", "2025-10-14", NULL, 15, FLOOR, 0,
     "partner: EU/Japan capped at 15", NULL},
    {F_FURN, "US25-027", "JPN", "2025-10-14", NULL, 15, FLOOR, 0,
     "partner: EU/Japan capped at 15", NULL},
    {F_FURN, "US25-036", "TWN", "2026-05-01", NULL, 15, ADD, 0, NULL, NULL},
    /* Section 232 semiconductors (narrow) */
    {F_SEMI, "US25-029", "*", "2026-01-15", NULL, 25, ADD, 0, NULL, NULL},
};
#define N_ROWS (sizeof rows / sizeof rows[0])

/* Families whose "*" rows do not reach Canada and Mexico (the reciprocal tariffs). */
static bool star_skips_usmca(enum family f) { return f == F_RECIP || f == F_CTRY; }

/* CSV actions emitted without a row of their own, and those not modelled, with the reason. */
static const struct {
    const char *id;
    const char *why;
} not_modelled[] = {
    {"US25-019", "modelled as a cut of each reciprocal rate on the exempted AGR/FOOD shares "
                 "(actions US25-019/<region>), not as a tariff of its own"},
    {"US25-030", "NOT VERIFIED (status and dates); tariff-etr-eval finds about zero collected"},
    {"US25-031", "pre-existing (2025-01-01): written as the baseline action pre/US25-031"},
    {"US25-032", "uncertain (suspended one year from 2025-11-10, NOT VERIFIED); ship-to-shore "
                 "cranes and chassis are below the resolution of the 10 sectors"},
    {"US25-033", "no ad-valorem rate (de minimis): low-value parcels are not in the ICIO flows"},
    {"US25-034", "the court ruling is the end date of every IEEPA row (2026-02-20 for the "
                 "reciprocal and country orders, 2026-02-24 for fentanyl, as the data give)"},
    {"US25-037", "a carve-out for limited quantities of USMCA vehicle-parts metal: direction "
                 "and size not given by the data"},
    {"US25-038", "NOT VERIFIED (no rate, partner or date)"},
    {"R25-CN-03", "superseded on its effective day 2025-04-10 by 84 % (R25-CN-04): its "
                  "end_date precedes its effective_date"},
    {"R25-CN-07", "non-tariff measures (export controls, purchases)"},
    {"R25-CA-04", "never implemented"},
    {"R25-EU-01", "adopted and suspended, never applied"},
    {"R25-MX-01", "no retaliation"},
    {"R25-IN-01", "not implemented"},
    {"R25-OTH-01", "no retaliation"},
};
#define N_NOT_MODELLED (sizeof not_modelled / sizeof not_modelled[0])

/* ---- retaliation: covered shares of the imposer's imports from the US ------------------ */

/* One retaliation action, by sector: rate (percent) on a share of the sector's imports from
 * the US, either a fixed share (share[s]) or an announced value spread over sectors
 * (usd_bn x mix[s] / imports_s). */
struct retal {
    const char *id;      /* retaliation_id (with a "/part" suffix when split) */
    int imposer;         /* region */
    const char *from, *to;
    double rate_pct;
    double share[NS];    /* share of the sector covered (used when usd_bn is 0) */
    double usd_bn;       /* announced trade value, USD bn */
    double mix[NS];      /* sector mix of usd_bn */
    const char *note;    /* the assumption */
};

static const struct retal retals[] = {
    {"R25-CN-01", R_CHN, "2025-02-10", NULL, 0, {0}, 0, {0},
     "coal and LNG 15, crude 10 on ICIO B05/B06; large cars and pickups 10 on 40 % of C29; "
     "agricultural machinery 10 on 3 % of C28"},
    {"R25-CN-02", R_CHN, "2025-03-10", "2025-11-10", 0,
     {[AGR] = 0.15 * 0.35 + 0.10 * 0.60, [FOOD] = 0.15 * 0.10 + 0.10 * 0.40}, 0, {0},
     "15 on 35 % of AGR (wheat, corn, cotton) and 10 on 60 % (soybeans, sorghum, fruit, "
     "vegetables); 15 on 10 % of FOOD (chicken) and 10 on 40 % (pork, beef, dairy, aquatic)"},
    {"R25-CN-04", R_CHN, "2025-04-10", "2025-04-12", 84,
     {1, 1, 1, 1, 1, 1, 1, 1, 1, 0}, 0, {0}, "all goods"},
    {"R25-CN-05", R_CHN, "2025-04-12", "2025-05-14", 125,
     {1, 1, 1, 1, 1, 1, 1, 1, 1, 0}, 0, {0}, "all goods"},
    {"R25-CN-06", R_CHN, "2025-05-14", NULL, 10,
     {1, 1, 1, 1, 1, 1, 1, 1, 1, 0}, 0, {0}, "all goods (24 pp suspended)"},
    {"R25-CA-01", R_CAN, "2025-03-04", "2025-09-01", 25, {0}, 30.0 * US25_CAD_USD,
     {[FOOD] = 0.25, [TEX] = 0.10, [CHEM] = 0.15, [MET] = 0.05, [MACH] = 0.15, [TRAN] = 0.05,
      [OMAN] = 0.25},
     "C$30bn consumer-goods list spread: FOOD 25 %, OMAN 25 %, CHEM 15 %, MACH 15 %, TEX 10 %, "
     "MET 5 %, TRAN 5 %"},
    {"R25-CA-02/metals", R_CAN, "2025-03-13", NULL, 25, {0}, 15.6 * US25_CAD_USD,
     {[MET] = 1.0}, "steel C$12.6bn + aluminium C$3.0bn, all MET"},
    {"R25-CA-02/other", R_CAN, "2025-03-13", "2025-09-01", 25, {0}, 14.2 * US25_CAD_USD,
     {[MACH] = 0.5, [OMAN] = 0.3, [MET] = 0.2},
     "other goods C$14.2bn (tools, computers, sports equipment, cast iron): MACH 50 %, OMAN "
     "30 %, MET 20 %; removed 2025-09-01"},
    {"R25-CA-03", R_CAN, "2025-04-09", NULL, 25, {0}, 35.0 * US25_CAD_USD * 0.3,
     {[TRAN] = 1.0}, "C$35bn of vehicles of which 30 % dutiable (non-CUSMA vehicles and "
     "non-Canadian/Mexican content; remission framework)"},
};
#define N_RETALS (sizeof retals / sizeof retals[0])

/* ---- data --------------------------------------------------------------------------- */

struct data {
    tw_world *icio;          /* full ICIO world */
    size_t n;                /* its economies */
    int *region;             /* [n] region10 index, -1 unknown */
    int *sub;                /* [icio sectors] sub-sector index X_*, -1 other */
    int *s10;                /* [icio sectors] sector10 index */
    size_t usa;              /* ICIO index of the USA */
    double (*us_imp)[NS];    /* [n][NS] US imports from economy c, USD */
    double reg_imp[NR][NS];  /* US imports from region r */
    double reg_sub[NR][NX];  /* US imports from region r by sub-sector */
    double from_us[NR][NS];  /* region r's imports from the USA */
    double from_us_sub[NR][NX];
    double mfn[NR][NS];      /* built-in world: US tariff on region r */
    tw_csv_table *act, *ret; /* the two action files */
};

static void data_free(struct data *d)
{
    tw_world_free(d->icio);
    tw_free(d->region);
    tw_free(d->sub);
    tw_free(d->s10);
    tw_free(d->us_imp);
    tw_csv_free(d->act);
    tw_csv_free(d->ret);
}

static int index_of(const char *const *list, int n, const char *code)
{
    for (int k = 0; k < n; k++)
        if (strcmp(list[k], code) == 0)
            return k;
    return -1;
}

static tw_status read_table(const char *root, const char *rel, tw_csv_table **t, tw_err *err)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", root, rel);
    tw_status st = tw_csv_read_file(path, t, err);
    if (st != TW_OK)
        tw_err_prefix(err, "us2025");
    return st;
}

static tw_status need_col(const tw_csv_table *t, const char *what, const char *col, size_t *c,
                          tw_err *err)
{
    if (!tw_csv_find_column(t, col, c))
        return tw_err_set(err, TW_EPARSE, "us2025: %s: no column \"%s\"", what, col);
    return TW_OK;
}

/* ICIO maps and US import weights. */
static tw_status load_icio(const char *root, struct data *d, tw_err *err)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/icio_2017_trade_tariffs/full", root);
    tw_status st = tw_world_import("icio2017", path, &d->icio, err);
    if (st != TW_OK) {
        tw_err_prefix(err, "us2025");
        return st;
    }
    tw_csv_table *reg = NULL, *sec = NULL;
    size_t S = d->icio->n_sector, cc, cr, cs, c10;
    d->n = d->icio->n_country;
    d->region = tw_calloc(d->n, sizeof(int));
    d->sub = tw_calloc(S, sizeof(int));
    d->s10 = tw_calloc(S, sizeof(int));
    d->us_imp = tw_calloc(d->n, sizeof *d->us_imp);
    if (!d->region || !d->sub || !d->s10 || !d->us_imp)
        return tw_err_set(err, TW_ENOMEM, "us2025: out of memory");
    if ((st = read_table(root, "icio_2017_trade_tariffs/full/regions.csv", &reg, err)) != TW_OK ||
        (st = read_table(root, "icio_2017_trade_tariffs/full/sectors.csv", &sec, err)) != TW_OK ||
        (st = need_col(reg, "regions.csv", "country", &cc, err)) != TW_OK ||
        (st = need_col(reg, "regions.csv", "region10", &cr, err)) != TW_OK ||
        (st = need_col(sec, "sectors.csv", "sector", &cs, err)) != TW_OK ||
        (st = need_col(sec, "sectors.csv", "sector10", &c10, err)) != TW_OK)
        goto done;
    bool have_usa = false;
    for (size_t c = 0; c < d->n; c++) {
        d->region[c] = -1;
        for (size_t r = 0; r < reg->n_rows; r++)
            if (strcmp(tw_csv_field(reg, r, cc), d->icio->country_code[c]) == 0)
                d->region[c] = index_of(reg10, NR, tw_csv_field(reg, r, cr));
        if (d->region[c] < 0) {
            st = tw_err_set(err, TW_EINVAL, "us2025: ICIO economy %s has no region of the "
                            "built-in world in regions.csv", d->icio->country_code[c]);
            goto done;
        }
        if (strcmp(d->icio->country_code[c], "USA") == 0) {
            d->usa = c;
            have_usa = true;
        }
    }
    for (size_t s = 0; s < S; s++) {
        d->s10[s] = -1;
        d->sub[s] = index_of(subsec, NX, d->icio->sector_code[s]);
        for (size_t r = 0; r < sec->n_rows; r++)
            if (strcmp(tw_csv_field(sec, r, cs), d->icio->sector_code[s]) == 0)
                d->s10[s] = index_of(sec10, NS, tw_csv_field(sec, r, c10));
        if (d->s10[s] < 0) {
            st = tw_err_set(err, TW_EINVAL, "us2025: ICIO sector %s has no sector of the "
                            "built-in world in sectors.csv", d->icio->sector_code[s]);
            goto done;
        }
    }
    if (!have_usa) {
        st = tw_err_set(err, TW_EINVAL, "us2025: the ICIO world has no USA");
        goto done;
    }
    for (size_t c = 0; c < d->n; c++) {
        if (c == d->usa)
            continue;
        int r = d->region[c];
        for (size_t s = 0; s < S; s++) {
            double v = d->icio->flow[tw_world_ijs(d->icio, c, d->usa, s)];
            double u = d->icio->flow[tw_world_ijs(d->icio, d->usa, c, s)];
            d->us_imp[c][d->s10[s]] += v;
            d->reg_imp[r][d->s10[s]] += v;
            d->from_us[r][d->s10[s]] += u;
            if (d->sub[s] >= 0) {
                d->reg_sub[r][d->sub[s]] += v;
                d->from_us_sub[r][d->sub[s]] += u;
            }
        }
    }
done:
    tw_csv_free(reg);
    tw_csv_free(sec);
    return st;
}

static tw_status load_mfn(struct data *d, tw_err *err)
{
    tw_world *w = NULL;
    tw_status st = tw_world_default(&w, err);
    if (st != TW_OK)
        return st;
    size_t usa = 0;
    bool ok = tw_world_find_country(w, "USA", &usa) && w->n_sector == NS;
    for (int r = 0; ok && r < NR; r++) {
        size_t c;
        ok = tw_world_find_country(w, reg10[r], &c);
        for (int s = 0; ok && s < NS; s++) {
            size_t k;
            ok = tw_world_find_sector(w, sec10[s], &k);
            if (ok && c != usa)
                d->mfn[r][s] = w->tariff[tw_world_ijs(w, c, usa, k)];
        }
    }
    tw_world_free(w);
    if (!ok)
        return tw_err_set(err, TW_EINTERNAL, "us2025: the built-in world lacks a region or "
                          "sector of the mapping");
    return TW_OK;
}

/* ---- bases ---------------------------------------------------------------------------- */

static double sh(const struct data *d, int r, int x, int s)
{
    double tot = d->reg_imp[r][s];
    return tot > 0.0 ? d->reg_sub[r][x] / tot : 0.0;
}

/* Share of the 232 goods in MET, TRAN and OMAN (exempt from the broad tariffs). */
static void base_232(const struct data *d, int r, double *met, double *tran, double *oman)
{
    *met = sh(d, r, X_C24A, MET) + (US25_ALU_OF_NONFERROUS + US25_COPPER_OF_NONFERROUS) *
           sh(d, r, X_C24B, MET) + (US25_DERIV1_OF_C25 + US25_DERIV2_OF_C25) *
           sh(d, r, X_C25, MET);
    *tran = (US25_VEH_OF_C29 + US25_PARTS_OF_C29 + US25_TRUCKS_OF_C29) * sh(d, r, X_C29, TRAN);
    *oman = US25_LUMBER_OF_C16 * sh(d, r, X_C16, OMAN) +
            US25_FURNITURE_OF_C31T33 * sh(d, r, X_C31T33, OMAN);
}

/* The share of each sector of region r's exports to the US that family f applies to. */
static void base(const struct data *d, enum family f, int r, double b[NS])
{
    double m232, t232, o232;
    base_232(d, r, &m232, &t232, &o232);
    for (int s = 0; s < NS; s++)
        b[s] = 0.0;
    switch (f) {
    case F_RECIP:
    case F_CTRY:
    case F_S122: /* Annex II (energy, minerals, pharma, electronics) and 232 goods exempt */
        b[AGR] = b[FOOD] = b[TEX] = 1.0;
        b[MIN] = sh(d, r, X_B08, MIN) + sh(d, r, X_B09, MIN);
        b[CHEM] = 1.0 - sh(d, r, X_C19, CHEM) - sh(d, r, X_C21, CHEM);
        b[MET] = 1.0 - m232;
        b[MACH] = 1.0 - US25_ELEC_EXEMPT_OF_C26 * sh(d, r, X_C26, MACH);
        b[TRAN] = 1.0 - t232;
        b[OMAN] = 1.0 - o232;
        break;
    case F_FENT: /* every good but the 232 goods (no stacking); Canada's energy apart */
        for (int s = 0; s < SERV; s++)
            b[s] = 1.0;
        b[MET] = 1.0 - m232;
        b[TRAN] = 1.0 - t232;
        b[OMAN] = 1.0 - o232;
        if (r == R_CAN)
            b[MIN] = 0.0;
        break;
    case F_FENT_E: b[MIN] = 1.0; break;
    case F_M232:
        b[MET] = sh(d, r, X_C24A, MET) + US25_ALU_OF_NONFERROUS * sh(d, r, X_C24B, MET);
        break;
    case F_D1: b[MET] = US25_DERIV1_OF_C25 * US25_METAL_CONTENT * sh(d, r, X_C25, MET); break;
    case F_D2: b[MET] = US25_DERIV2_OF_C25 * US25_METAL_CONTENT * sh(d, r, X_C25, MET); break;
    case F_DFULL:
        b[MET] = (US25_DERIV1_OF_C25 + US25_DERIV2_OF_C25) * sh(d, r, X_C25, MET);
        break;
    case F_CU: b[MET] = US25_COPPER_OF_NONFERROUS * sh(d, r, X_C24B, MET); break;
    case F_VEH: b[TRAN] = US25_VEH_OF_C29 * sh(d, r, X_C29, TRAN); break;
    case F_PARTS: b[TRAN] = US25_PARTS_OF_C29 * sh(d, r, X_C29, TRAN); break;
    case F_TRUCKS: b[TRAN] = US25_TRUCKS_OF_C29 * sh(d, r, X_C29, TRAN); break;
    case F_LUMBER: b[OMAN] = US25_LUMBER_OF_C16 * sh(d, r, X_C16, OMAN); break;
    case F_FURN: b[OMAN] = US25_FURNITURE_OF_C31T33 * sh(d, r, X_C31T33, OMAN); break;
    case F_SEMI: b[MACH] = US25_SEMI232_OF_C26 * sh(d, r, X_C26, MACH); break;
    case NF: break;
    }
}

/* ---- rows against economies and dates ------------------------------------------------ */

static bool is_eu27(const struct data *d, size_t c)
{
    return d->region[c] == R_EU && strcmp(d->icio->country_code[c], "GBR") != 0;
}

/* Does row `who` name economy c specifically ("CHN" includes Hong Kong)? */
static bool names(const struct data *d, const char *who, size_t c)
{
    const char *code = d->icio->country_code[c];
    if (strcmp(who, "EU27") == 0)
        return is_eu27(d, c);
    if (strcmp(who, "CHN") == 0)
        return strcmp(code, "CHN") == 0 || strcmp(code, "HKG") == 0;
    return strcmp(who, code) == 0;
}

static tw_day day(const char *s)
{
    tw_day v = TW_DAY_NONE;
    if (s != NULL)
        tw_day_parse(s, &v);
    return v;
}

static bool active(const struct row *rw, tw_day g)
{
    return day(rw->from) <= g && g < day(rw->to);
}

/* The row of family f in force for economy c on day g, or NULL. */
static const struct row *row_for(const struct data *d, enum family f, size_t c, tw_day g)
{
    const struct row *star = NULL;
    const char *code = d->icio->country_code[c];
    bool usmca = strcmp(code, "CAN") == 0 || strcmp(code, "MEX") == 0;
    bool has_specific = false;
    for (size_t k = 0; k < N_ROWS; k++) {
        if (rows[k].f != f || strcmp(rows[k].who, "*") == 0 || !names(d, rows[k].who, c))
            continue;
        has_specific = true;
        if (active(&rows[k], g))
            return &rows[k];
    }
    /* An economy with specific rows in a family still takes the "*" row when none of its own
     * is in force (the reciprocal baseline before and after its Annex I day). */
    (void)has_specific;
    if (usmca && star_skips_usmca(f))
        return NULL;
    for (size_t k = 0; k < N_ROWS; k++)
        if (rows[k].f == f && strcmp(rows[k].who, "*") == 0 && active(&rows[k], g))
            star = &rows[k];
    /* Canada and Mexico have rows of their own in the families where the "*" row must not
     * reach them with a different factor (S122, vehicles): a specific row that is not in
     * force means no duty only in the fentanyl families. */
    return star;
}

/* Civil aircraft and parts (ICIO C302T309) are outside the EU deal from 2025-09-01 and the
 * Korea deal floor (products_sectors of US25-013 and US25-015). */
static bool aircraft_exempt(const struct row *rw)
{
    return (strcmp(rw->id, "US25-013") == 0 && strcmp(rw->from, "2025-09-01") == 0) ||
           (strcmp(rw->id, "US25-015") == 0 && rw->mode == FLOOR);
}

/* Increment (fraction) of row rw for region r in sector s with base b. */
static double increment(const struct data *d, const struct row *rw, int r, int s,
                        const double *b)
{
    double rate = rw->rate_pct / 100.0, fac = rw->factor > 0.0 ? rw->factor : 1.0;
    double inc = rw->mode == ADD ? rate : fmax(0.0, rate - d->mfn[r][s]);
    double bs = b[s];
    if (aircraft_exempt(rw) && s == TRAN)
        bs = fmax(0.0, bs - d->reg_sub[r][X_C302T309] / fmax(d->reg_imp[r][TRAN], 1.0));
    return inc * fac * bs;
}

/* ---- contributions by (id, region) over elementary segments --------------------------- */

#define MAX_DATES 128
#define MAX_KEYS 256

struct key {
    char id[32];
    int region;
    const char *label;
    double v[MAX_DATES][NS];
};

struct plan {
    tw_day date[MAX_DATES];
    size_t n_dates;
    struct key *keys;       /* [MAX_KEYS] */
    size_t n_keys;
};

static void add_date(struct plan *p, tw_day g)
{
    if (g == TW_DAY_NONE)
        return;
    for (size_t k = 0; k < p->n_dates; k++)
        if (p->date[k] == g)
            return;
    if (p->n_dates < MAX_DATES)
        p->date[p->n_dates++] = g;
}

static int cmp_day(const void *a, const void *b)
{
    tw_day x = *(const tw_day *)a, y = *(const tw_day *)b;
    return (x > y) - (x < y);
}

static struct key *key_for(struct plan *p, const char *id, int region, const char *label)
{
    for (size_t k = 0; k < p->n_keys; k++)
        if (strcmp(p->keys[k].id, id) == 0 && p->keys[k].region == region)
            return &p->keys[k];
    if (p->n_keys == MAX_KEYS)
        return NULL;
    struct key *k = &p->keys[p->n_keys++];
    snprintf(k->id, sizeof k->id, "%s", id);
    k->region = region;
    k->label = label;
    return k;
}

static const char *family_label(enum family f)
{
    static const char *const names_[NF] = {
        "IEEPA reciprocal", "IEEPA country order", "IEEPA fentanyl",
        "IEEPA fentanyl (energy and potash)", "Section 122",
        "Section 232 steel and aluminium", "Section 232 derivatives (metal content)",
        "Section 232 derivatives added 2025-08-18 (metal content)",
        "Section 232 downstream articles (full value)", "Section 232 copper",
        "Section 232 vehicles", "Section 232 auto parts", "Section 232 medium and heavy trucks",
        "Section 232 timber and lumber", "Section 232 furniture and cabinets",
        "Section 232 semiconductors"};
    return f < NF ? names_[f] : "";
}

/* Fill the plan: US rows by region, with the agricultural exemption of 2025-11-13. China's
 * steel and aluminium rows are net of the 2018 Section 232 duty already in the baseline
 * (pre232, on MET). */
static tw_status plan_us(const struct data *d, double pre232, struct plan *p, tw_err *err)
{
    tw_day ag = day("2025-11-13");
    for (size_t k = 0; k < N_ROWS; k++) {
        add_date(p, day(rows[k].from));
        add_date(p, day(rows[k].to));
    }
    add_date(p, ag);
    qsort(p->date, p->n_dates, sizeof(tw_day), cmp_day);
    for (size_t g = 0; g < p->n_dates; g++) {
        tw_day at = p->date[g];
        for (int f = 0; f < NF; f++) {
            double b[NR][NS];
            for (int r = 0; r < NR; r++)
                base(d, (enum family)f, r, b[r]);
            for (size_t c = 0; c < d->n; c++) {
                int r = d->region[c];
                if (c == d->usa)
                    continue;
                const struct row *rw = row_for(d, (enum family)f, c, at);
                if (rw == NULL)
                    continue;
                char id[32];
                snprintf(id, sizeof id, "%s", rw->id);
                struct key *key = key_for(p, id, r, family_label((enum family)f));
                if (key == NULL)
                    return tw_err_set(err, TW_EINTERNAL, "us2025: more than %d actions",
                                      MAX_KEYS);
                /* Keys differ by family only through their id: reuse the family in the id
                 * when one id spans families (US25-020 core and derivatives add up). */
                for (int s = 0; s < NS; s++) {
                    double wgt = d->reg_imp[r][s] > 0.0 ? d->us_imp[c][s] / d->reg_imp[r][s]
                                                        : 0.0;
                    double inc = wgt * increment(d, rw, r, s, b[r]);
                    if (f == F_M232 && s == MET && strcmp(d->icio->country_code[c], "CHN") == 0)
                        inc -= wgt * pre232;
                    key->v[g][s] += inc;
                    if (f == F_RECIP && at >= ag && (s == AGR || s == FOOD)) {
                        struct key *ex = key_for(p, "US25-019", r, "IEEPA reciprocal "
                                                 "agricultural exemption");
                        if (ex == NULL)
                            return tw_err_set(err, TW_EINTERNAL, "us2025: too many actions");
                        ex->v[g][s] -= inc * (s == AGR ? US25_AG_EXEMPT_AGR
                                                        : US25_AG_EXEMPT_FOOD);
                    }
                }
            }
        }
    }
    return TW_OK;
}

/* ---- CSV checks ------------------------------------------------------------------------- */

/* The CSV row of id in t (column `col`), or SIZE_MAX. */
static size_t find_id(const tw_csv_table *t, size_t col, const char *id)
{
    for (size_t r = 0; r < t->n_rows; r++)
        if (strcmp(tw_csv_field(t, r, col), id) == 0)
            return r;
    return SIZE_MAX;
}

/* "25", "10-41", "7.5-100" into [lo, hi]; false when empty or not numbers. */
static bool rate_range(const char *s, double *lo, double *hi)
{
    char buf[64];
    snprintf(buf, sizeof buf, "%s", s);
    char *dash = strchr(buf, '-');
    if (dash != NULL)
        *dash = '\0';
    if (tw_csv_parse_double(buf, lo) != TW_CSV_NUM_OK)
        return false;
    *hi = *lo;
    return dash == NULL || tw_csv_parse_double(dash + 1, hi) == TW_CSV_NUM_OK;
}

/* The id column, rate_pct and effective_date of an actions table (file names it). */
static tw_status need_action_cols(const tw_csv_table *t, const char *file, const char *id_col,
                                  size_t *cid, size_t *crate, size_t *ceff, tw_err *err)
{
    tw_status st;
    if ((st = need_col(t, file, id_col, cid, err)) ||
        (st = need_col(t, file, "rate_pct", crate, err)) ||
        (st = need_col(t, file, "effective_date", ceff, err)))
        return st;
    return TW_OK;
}

/* Whether rate `pct` lies in the CSV's rate_pct text (a number or a "lo-hi" range). */
static bool rate_matches(const char *text, double pct)
{
    double lo, hi;
    return rate_range(text, &lo, &hi) && pct >= lo && pct <= hi;
}

static tw_status check_rows(const struct data *d, tw_err *err)
{
    size_t cid, crate, ceff;
    tw_status st = need_action_cols(d->act, "us_tariff_actions_2025_2026.csv", "action_id", &cid,
                                    &crate, &ceff, err);
    if (st != TW_OK)
        return st;
    for (size_t k = 0; k < N_ROWS; k++) {
        const struct row *rw = &rows[k];
        size_t r = find_id(d->act, cid, rw->id);
        if (r == SIZE_MAX)
            return tw_err_set(err, TW_EPARSE, "us2025: action %s of the mapping is not in "
                              "us_tariff_actions_2025_2026.csv", rw->id);
        if (rw->rate_note == NULL && !rate_matches(tw_csv_field(d->act, r, crate), rw->rate_pct))
            return tw_err_set(err, TW_EPARSE, "us2025: action %s: the mapping's rate %g is not "
                              "the CSV's rate_pct \"%s\"", rw->id, rw->rate_pct,
                              tw_csv_field(d->act, r, crate));
        if (rw->date_note == NULL && strcmp(rw->who, "*") == 0 &&
            strcmp(tw_csv_field(d->act, r, ceff), rw->from) != 0 &&
            strcmp(rw->id, "US25-007") != 0)
            return tw_err_set(err, TW_EPARSE, "us2025: action %s: the mapping starts on %s, "
                              "the CSV's effective_date is %s", rw->id, rw->from,
                              tw_csv_field(d->act, r, ceff));
    }
    return TW_OK;
}

/* Every CSV id is a row, a retaliation or listed as not modelled. */
static tw_status check_coverage(const tw_csv_table *t, const char *file, const char *col,
                                tw_err *err)
{
    size_t c;
    tw_status st = need_col(t, file, col, &c, err);
    if (st != TW_OK)
        return st;
    for (size_t r = 0; r < t->n_rows; r++) {
        const char *id = tw_csv_field(t, r, c);
        bool found = false;
        for (size_t k = 0; k < N_ROWS && !found; k++)
            found = strcmp(rows[k].id, id) == 0;
        for (size_t k = 0; k < N_RETALS && !found; k++)
            found = strncmp(retals[k].id, id, strlen(id)) == 0 &&
                    (retals[k].id[strlen(id)] == '\0' || retals[k].id[strlen(id)] == '/');
        for (size_t k = 0; k < N_NOT_MODELLED && !found; k++)
            found = strcmp(not_modelled[k].id, id) == 0;
        if (!found)
            return tw_err_set(err, TW_EPARSE, "us2025: %s: action %s is neither mapped nor "
                              "listed as not modelled (src/io/us2025.c)", file, id);
    }
    return TW_OK;
}

/* ---- writing ------------------------------------------------------------------------- */

static void write_values(FILE *out, const double *v)
{
    fputs("{", out);
    bool first = true;
    for (int s = 0; s < NS; s++) {
        if (v[s] == 0.0)
            continue;
        fprintf(out, "%s%s: %.6g", first ? "" : ", ", sec10[s], v[s]);
        first = false;
    }
    fputs("}", out);
}

static bool nonzero(const double *v)
{
    for (int s = 0; s < NS; s++)
        if (fabs(v[s]) >= 5e-7) /* below what %.6g of a rate shows as a tariff change */
            return true;
    return false;
}

static const char *csv_field_of(const tw_csv_table *t, const char *idcol, const char *id,
                                const char *col)
{
    size_t ci, cc;
    if (!tw_csv_find_column(t, idcol, &ci) || !tw_csv_find_column(t, col, &cc))
        return "";
    size_t r = find_id(t, ci, id);
    return r == SIZE_MAX ? "" : tw_csv_field(t, r, cc);
}

/* The next maximal run of identical non-zero segments of key at or after date *g: sets *g to
 * its first date and *h to the date after its last; false when there is none. */
static bool next_run(const struct key *key, const struct plan *p, size_t *g, size_t *h)
{
    while (*g < p->n_dates && !nonzero(key->v[*g]))
        (*g)++;
    if (*g >= p->n_dates)
        return false;
    *h = *g + 1;
    while (*h < p->n_dates && memcmp(key->v[*h], key->v[*g], sizeof key->v[*g]) == 0)
        (*h)++;
    return true;
}

/* Number of maximal runs of identical non-zero segments of key. */
static size_t count_runs(const struct key *key, const struct plan *p)
{
    size_t n = 0;
    for (size_t g = 0, h; next_run(key, p, &g, &h); g = h)
        n++;
    return n;
}

/* Emit one action per maximal run of identical non-zero segments of each key. */
static void write_us(const struct data *d, const struct plan *p, FILE *out)
{
    for (size_t k = 0; k < p->n_keys; k++) {
        const struct key *key = &p->keys[k];
        size_t part = 0, runs = count_runs(key, p);
        for (size_t g = 0, h; next_run(key, p, &g, &h); g = h) {
            char d0[16], d1[16];
            tw_day_format(p->date[g], d0);
            if (h < p->n_dates)
                tw_day_format(p->date[h], d1);
            if (part == 0)
                fprintf(out, "  # %s (%s, %s): %s\n", key->id,
                        csv_field_of(d->act, "action_id", key->id, "authority"),
                        csv_field_of(d->act, "action_id", key->id, "legal_instrument"),
                        csv_field_of(d->act, "action_id", key->id, "products_sectors"));
            fprintf(out, "  - id: %s/%s", key->id, reg10[key->region]);
            if (runs > 1)
                fprintf(out, "/%zu", part + 1);
            fprintf(out, "\n    label: \"%s\"\n", key->label);
            fprintf(out, "    imposer: USA\n    target: %s\n    rate: {add: ",
                    reg10[key->region]);
            write_values(out, key->v[g]);
            fprintf(out, "}\n    effective: %s\n", d0);
            if (h < p->n_dates)
                fprintf(out, "    end: %s\n", d1);
            part++;
        }
    }
}

static double shu(const struct data *d, int r, int x, int s)
{
    double tot = d->from_us[r][s];
    return tot > 0.0 ? d->from_us_sub[r][x] / tot : 0.0;
}

/* Retaliation: the increments by sector, checked against retaliation_2025.csv. */
static tw_status write_retaliation(const struct data *d, FILE *out, tw_err *err)
{
    size_t cid, crate, ceff;
    tw_status st = need_action_cols(d->ret, "retaliation_2025.csv", "retaliation_id", &cid,
                                    &crate, &ceff, err);
    if (st != TW_OK)
        return st;
    for (size_t k = 0; k < N_RETALS; k++) {
        const struct retal *rt = &retals[k];
        char base_id[32];
        snprintf(base_id, sizeof base_id, "%.*s", (int)strcspn(rt->id, "/"), rt->id);
        size_t r = find_id(d->ret, cid, base_id);
        if (r == SIZE_MAX)
            return tw_err_set(err, TW_EPARSE, "us2025: retaliation %s of the mapping is not in "
                              "retaliation_2025.csv", base_id);
        if (rt->rate_pct > 0.0 && !rate_matches(tw_csv_field(d->ret, r, crate), rt->rate_pct))
            return tw_err_set(err, TW_EPARSE, "us2025: retaliation %s: rate %g is not the "
                              "CSV's \"%s\"", rt->id, rt->rate_pct,
                              tw_csv_field(d->ret, r, crate));
        if (strcmp(tw_csv_field(d->ret, r, ceff), rt->from) != 0)
            return tw_err_set(err, TW_EPARSE, "us2025: retaliation %s: starts on %s, the CSV's "
                              "effective_date is %s", rt->id, rt->from,
                              tw_csv_field(d->ret, r, ceff));
        double v[NS] = {0};
        int im = rt->imposer;
        if (strcmp(rt->id, "R25-CN-01") == 0) {
            v[MIN] = 0.15 * shu(d, im, X_B05, MIN) + (0.15 * 0.3 + 0.10 * 0.7) *
                     shu(d, im, X_B06, MIN);
            v[TRAN] = 0.10 * 0.40 * shu(d, im, X_C29, TRAN);
            v[MACH] = 0.10 * 0.03 * shu(d, im, X_C28, MACH);
        } else {
            for (int s = 0; s < NS; s++) {
                double share = rt->usd_bn > 0.0
                                   ? (d->from_us[im][s] > 0.0
                                          ? fmin(1.0, rt->usd_bn * 1e9 * rt->mix[s] /
                                                          d->from_us[im][s])
                                          : 0.0)
                                   : rt->share[s];
                v[s] = rt->rate_pct > 0.0 ? rt->rate_pct / 100.0 * share : share;
            }
        }
        fprintf(out, "  # %s: %s\n", rt->id, rt->note);
        fprintf(out, "  - id: %s\n    label: \"%s on US goods (%s)\"\n    imposer: %s\n"
                "    target: USA\n    retaliation: true\n    rate: {add: ", rt->id,
                reg10[im], tw_csv_field(d->ret, r, crate), reg10[im]);
        write_values(out, v);
        fprintf(out, "}\n    effective: %s\n", rt->from);
        if (rt->to != NULL)
            fprintf(out, "    end: %s\n", rt->to);
    }
    return TW_OK;
}

/* The 2018-2020 tariffs still in force on `on` (the Phase One scenario of the library, derived
 * from uschina/), written as baseline actions; and the 2024 Section 301 review (US25-031). */
/* The library scenario phase-one-2020, derived from uschina/ (tw_uschina_write_scenario). */
static tw_status load_phase_one(const char *root, tw_scenario **sc, tw_err *err)
{
    FILE *tmp = tmpfile();
    if (tmp == NULL)
        return tw_err_set(err, TW_EIO, "us2025: cannot open a temporary file");
    char *buf = NULL;
    tw_status st = tw_uschina_write_scenario(root, "phase-one-2020", tmp, err);
    long len = st == TW_OK ? ftell(tmp) : -1;
    if (st == TW_OK && len <= 0)
        st = tw_err_set(err, TW_EIO, "us2025: cannot read the temporary file");
    if (st == TW_OK && (buf = tw_malloc((size_t)len + 1)) == NULL)
        st = tw_err_set(err, TW_ENOMEM, "us2025: out of memory");
    if (st == TW_OK) {
        rewind(tmp);
        if (fread(buf, 1, (size_t)len, tmp) != (size_t)len)
            st = tw_err_set(err, TW_EIO, "us2025: cannot read the temporary file");
    }
    if (st == TW_OK)
        st = tw_scenario_read_buf(buf, (size_t)len, "phase-one-2020", sc, err);
    fclose(tmp);
    tw_free(buf);
    return st;
}

/* The 2018 Section 232 increment on China's MET in the baseline (the 2025 rows replace it). */
static double pre_232_met(const tw_scenario *sc)
{
    for (size_t a = 0; a < sc->n_actions; a++) {
        const struct tw_action *ac = &sc->actions[a];
        if (strcmp(ac->id, "US-232") != 0)
            continue;
        for (size_t k = 0; k < ac->n_sector_values; k++)
            if (strcmp(ac->sector_values[k].sector, "MET") == 0)
                return ac->sector_values[k].value;
    }
    return 0.0;
}

/* The 2018-2020 tariffs still in force on `on`, written as baseline actions; and the 2024
 * Section 301 review (US25-031). */
static tw_status write_baseline(const tw_scenario *sc, const struct data *d, tw_day on,
                                FILE *out)
{
    char ds[16];
    tw_day_format(on, ds);
    fprintf(out, "  # Pre-existing tariffs (baseline: true): the 2018-2020 US-China actions in "
            "force on %s,\n  # from the library scenario phase-one-2020 (derived from "
            "uschina/ by tradewar derive uschina).\n", ds);
    for (size_t a = 0; a < sc->n_actions; a++) {
        const struct tw_action *ac = &sc->actions[a];
        if (ac->kind != TW_ACTION_TARIFF || ac->effective > on || on >= ac->end)
            continue;
        char eff[16];
        tw_day_format(ac->effective, eff);
        fprintf(out, "  - id: pre/%s\n    label: \"%s (in force since %s)\"\n    imposer: ",
                ac->id, ac->label, eff);
        for (size_t k = 0; k < ac->imposer.n; k++)
            fprintf(out, "%s%s", k ? ", " : "", ac->imposer.code[k]);
        fputs("\n    target: ", out);
        for (size_t k = 0; k < ac->target.n; k++)
            fprintf(out, "%s%s", k ? ", " : "", ac->target.code[k]);
        fprintf(out, "\n    baseline: true\n    rate: {%s: ",
                ac->mode == TW_RATE_SET ? "set" : "add");
        if (ac->n_sector_values > 0) {
            fputs("{", out);
            for (size_t k = 0; k < ac->n_sector_values; k++)
                fprintf(out, "%s%s: %.9g", k ? ", " : "", ac->sector_values[k].sector,
                        ac->sector_values[k].value);
            fputs("}}\n", out);
        } else {
            fprintf(out, "%.9g}\n    sectors: [", ac->value);
            for (size_t k = 0; k < ac->sectors.n; k++)
                fprintf(out, "%s%s", k ? ", " : "", ac->sectors.code[k]);
            fputs("]\n", out);
        }
        fprintf(out, "    effective: %s\n", eff);
    }
    /* US25-031: semiconductors 25 -> 50 on 3 % of C26, EV batteries 7.5 -> 25 on 10 % of C27,
     * EVs 25 -> 100 on 1 % of C29, medical products 25-50 on 5 % of C31T33 (assumptions). */
    double v[NS] = {0};
    double mach = d->reg_imp[R_CHN][MACH];
    if (mach > 0.0)
        v[MACH] = 0.25 * 0.03 * d->reg_sub[R_CHN][X_C26] / mach +
                  0.175 * 0.10 * d->reg_sub[R_CHN][X_C27] / mach;
    v[TRAN] = 0.75 * 0.01 * sh(d, R_CHN, X_C29, TRAN);
    v[OMAN] = 0.35 * 0.05 * sh(d, R_CHN, X_C31T33, OMAN);
    fprintf(out, "  # US25-031 (Section 301 four-year review, 2025-01-01): semiconductors +25 on "
            "3 %% of C26, EV batteries +17.5\n  # on 10 %% of C27, EVs +75 on 1 %% of C29, "
            "medical products +35 on 5 %% of C31T33 (assumed shares)\n");
    fputs("  - id: pre/US25-031\n    label: \"Section 301 four-year review increases\"\n"
          "    imposer: USA\n    target: CHN\n    baseline: true\n    rate: {add: ", out);
    write_values(out, v);
    fputs("}\n    effective: 2025-01-01\n", out);
    return ferror(out) ? TW_EIO : TW_OK;
}

static void write_header(FILE *out, const char *root)
{
    fprintf(out,
"# Generated by `tradewar derive us2025 DATA` from the shared data (DATA = %s):\n"
"# us2025/ (US actions, retaliation), icio_2017_trade_tariffs/full (weights), uschina/.\n"
"# Method: docs/scenarios.md, \"The 2025-2026 US tariff regime\". Do not edit by hand:\n"
"# regenerate with scripts/gen-scenarios.sh (CI checks that this file is current).\n", root);
    fputs(
"#\n"
"# Each US action is the statutory rate of us_tariff_actions_2025_2026.csv, at its legal\n"
"# effective date, applied to the share of each sector of the partner's exports to the US\n"
"# that it covers (ICIO 2017 sub-sectors x the named shares of src/io/us2025.c), averaged over\n"
"# the partner's economies with US 2017 import weights (EU = EU27 + GBR; ROW = 45 economies,\n"
"# Hong Kong following China). Rates are per-sector increments (0.1 = 10 points). Stacking:\n"
"# Section 232 goods are exempt from the reciprocal, fentanyl and Section 122 tariffs; the\n"
"# EU/Japan/Korea/Switzerland deal rates are all-in floors, max(0, 15 % - MFN) on the covered\n"
"# share; USMCA-qualifying goods (an assumed 85 %) are exempt from fentanyl and Section 122.\n"
"# The data give partner-level effective rates only for some dates (effective_rates_by_partner\n"
"# .csv): they are not used to build the scenario but to check it (tests/unit/test_us2025.c).\n"
"name: us-2025-2026\n"
"description: \"The 2025-2026 US tariff regime, wave by wave, with partners' retaliation "
"(on top of the 2018-2020 US-China tariffs)\"\n"
"world: default\n"
"deficits: data\n"
"start: 2025-01-01\n"
"until: 2026-07-31\n", out);
}

tw_status tw_us2025_write_scenario(const char *root, FILE *out, tw_err *err)
{
    if (root == NULL || out == NULL)
        return tw_err_set(err, TW_EINVAL, "us2025: NULL argument");
    struct data d;
    memset(&d, 0, sizeof d);
    tw_scenario *pre = NULL;
    struct plan *p = tw_calloc(1, sizeof *p);
    tw_status st = p ? TW_OK : tw_err_set(err, TW_ENOMEM, "us2025: out of memory");
    if (st == TW_OK && (p->keys = tw_calloc(MAX_KEYS, sizeof *p->keys)) == NULL)
        st = tw_err_set(err, TW_ENOMEM, "us2025: out of memory");
    if (st == TW_OK)
        st = read_table(root, "us2025/us_tariff_actions_2025_2026.csv", &d.act, err);
    if (st == TW_OK)
        st = read_table(root, "us2025/retaliation_2025.csv", &d.ret, err);
    if (st == TW_OK)
        st = check_rows(&d, err);
    if (st == TW_OK)
        st = check_coverage(d.act, "us_tariff_actions_2025_2026.csv", "action_id", err);
    if (st == TW_OK)
        st = check_coverage(d.ret, "retaliation_2025.csv", "retaliation_id", err);
    if (st == TW_OK)
        st = load_icio(root, &d, err);
    if (st == TW_OK)
        st = load_mfn(&d, err);
    if (st == TW_OK)
        st = load_phase_one(root, &pre, err);
    if (st == TW_OK)
        st = plan_us(&d, pre_232_met(pre), p, err);
    if (st != TW_OK)
        goto done;
    write_header(out, root);
    fputs("actions:\n", out);
    if (write_baseline(pre, &d, day("2024-12-31"), out) != TW_OK) {
        st = tw_err_set(err, TW_EIO, "us2025: cannot write the scenario");
        goto done;
    }
    fputs("  # ---- US actions -------------------------------------------------------------\n",
          out);
    write_us(&d, p, out);
    fputs("  # ---- partners' retaliation (retaliation: true; --no-retaliation drops them) ----\n",
          out);
    if ((st = write_retaliation(&d, out, err)) != TW_OK)
        goto done;
    fputs("# Not modelled (listed in the data; why):\n", out);
    for (size_t k = 0; k < N_NOT_MODELLED; k++)
        fprintf(out, "#   %s: %s\n", not_modelled[k].id, not_modelled[k].why);
    if (ferror(out))
        st = tw_err_set(err, TW_EIO, "us2025: cannot write the scenario");
done:
    if (p)
        tw_free(p->keys);
    tw_free(p);
    tw_scenario_free(pre);
    data_free(&d);
    return st;
}
