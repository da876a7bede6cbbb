/* SPDX-License-Identifier: MIT */
/*
 * src/report/html_assets.h: the chart libraries inlined into every HTML report.
 *
 * Defined in build/generated/html_assets_data.c, which tools/embed_assets.c writes at build
 * time from node_modules/ (vega, vega-lite and vega-embed at the versions pinned in
 * package-lock.json; docs/reports.md). Each asset is its bytes followed by a NUL; an asset is
 * empty (length 0) when node_modules/ was missing at build time.
 */
#ifndef TW_REPORT_HTML_ASSETS_H
#define TW_REPORT_HTML_ASSETS_H

#include <stddef.h>

#include "core/err.h"

#define TW_HTML_ASSET(name)                                                                    \
    TW_INTERNAL extern const unsigned char tw_asset_##name[];                                  \
    TW_INTERNAL extern const size_t tw_asset_##name##_len;

TW_HTML_ASSET(vega_js)
TW_HTML_ASSET(vega_lite_js)
TW_HTML_ASSET(vega_embed_js)
TW_HTML_ASSET(vega_license)
TW_HTML_ASSET(vega_lite_license)
TW_HTML_ASSET(vega_embed_license)

/* "vega 6.4.0 vega-lite 6.5.0 vega-embed 7.3.0", or "" without node_modules/. */
TW_INTERNAL extern const char tw_asset_chart_versions[];

#endif
