/* SPDX-License-Identifier: MIT */
/*
 * src/io/panel.h: the estimation data-panel reader (public API: tw_panel_* in tradewar.h).
 *
 * A file (plain CSV or gzip-compressed CSV: zlib's gzread reads both, so the format is told
 * by the content, not the name) is read whole into memory, parsed by the project's CSV reader
 * (tw_csv_read_buf), and the columns named by the formula (io/formula.h) and the options are
 * converted: numbers with tw_csv_parse_double, FE and cluster columns to dense int32 ids with
 * an open-addressing hash table on the cell text (ids in order of first appearance; an
 * interaction a^b combines the ids of a and b through a second table keyed on the id pair).
 *
 * Ownership: a tw_panel owns every array and string its tw_ppml_data points to.
 */
#ifndef TW_IO_PANEL_H
#define TW_IO_PANEL_H

#include "core/err.h"

/* Most cluster variables (two-way clustering). The input size limit is the CSV reader's
 * TW_CSV_MAX_FILE_SIZE, applied to the decompressed bytes. */
#define TW_PANEL_MAX_CLUSTER 2

#endif
