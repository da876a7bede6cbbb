/* SPDX-License-Identifier: MIT */
/*
 * src/report/rdoc.h: the report document, the one intermediate form between a result's JSON
 * (any kind: run, simulate, sweep, estimate, tariff games) and its renderings (the HTML report
 * of html.c, the publication figures of figure.c). docs/reports.md describes it.
 *
 * A report document is a jansson object:
 *   kind       the result kind ("run", "simulate", ...)
 *   title      page title
 *   headline   array of plain-language sentences (strings)
 *   provenance array of {"key": ..., "value": ...} (strings)
 *   sections   array of sections, each
 *     id       "welfare", "timeline", "trade", "sectors", "tariffs", "game_welfare",
 *              "coefficients", "bands": figure.c finds charts by id
 *     title, text   heading and a sentence saying how to read the chart (units included)
 *     spec     a Vega-Lite specification without data (the rows are bound to it in the page)
 *     columns  array of {"field", "title", "decimals"} (decimals null: text) for the table
 *     rows     array of flat objects (the table rows and the chart's data)
 *     meta     optional object of extra values for figure.c (e.g. the heatmap's year)
 *
 * Ownership: tw_rdoc_build returns a new reference the caller releases with json_decref.
 */
#ifndef TW_REPORT_RDOC_H
#define TW_REPORT_RDOC_H

#include <jansson.h>

#include "core/err.h"
#include "tradewar/tradewar.h"

/*
 * Parse `len` bytes of `json` (a result document) and build its report document into *out.
 * `opts` (may be NULL; tradewar.h) names the result file and the scenario file and hash for the
 * provenance block and preselects the country of the sector-incidence chart. Returns TW_OK; TW_EPARSE (not
 * JSON: "report: <source>:LINE:COL: <jansson message>"); TW_EINVAL (a JSON value that is not a
 * result, an unknown "kind", or a missing field, named); TW_ENOMEM. On failure *out is NULL.
 */
TW_INTERNAL tw_status tw_rdoc_build(const char *json, size_t len, const tw_report_opts *opts,
                                    json_t **out, tw_err *err);

/* The section with this id, or NULL (borrowed from doc). */
TW_INTERNAL json_t *tw_rdoc_section(const json_t *doc, const char *id);

/* Comma-separated list of the known kinds (for messages and help). */
TW_INTERNAL const char *tw_rdoc_known_kinds(void);

#endif
