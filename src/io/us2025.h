/* SPDX-License-Identifier: MIT */
/*
 * src/io/us2025.h: the 2025-2026 US tariff regime as a scenario (us2025.c; public entry point
 * tw_us2025_write_scenario in tradewar.h).
 */
#ifndef TW_IO_US2025_H
#define TW_IO_US2025_H

#include "core/err.h"

#endif
