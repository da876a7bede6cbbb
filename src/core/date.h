/* SPDX-License-Identifier: MIT */
/*
 * src/core/date.h: calendar dates as day numbers (proleptic Gregorian, days since
 * 1970-01-01), parsed from and printed as ISO 8601 "YYYY-MM-DD".
 */
#ifndef TW_CORE_DATE_H
#define TW_CORE_DATE_H

#include <stdbool.h>
#include <stdint.h>

#include "core/err.h"

typedef int32_t tw_day;

/* "No date" (an open end). Sorts after every real date. */
#define TW_DAY_NONE INT32_MAX

/* Day number of a valid calendar date (year 1..9999). */
TW_INTERNAL tw_day tw_day_from_ymd(int year, int month, int day);
/* Calendar date of a day number. */
TW_INTERNAL void tw_day_to_ymd(tw_day d, int *year, int *month, int *day);
/* Parse exactly "YYYY-MM-DD" (a real calendar date); false otherwise. */
TW_INTERNAL bool tw_day_parse(const char *s, tw_day *out);
/* Write "YYYY-MM-DD" (or "open" for TW_DAY_NONE) into buf[11+]. */
TW_INTERNAL void tw_day_format(tw_day d, char buf[16]);
/* Length of [a, b) in years of 365.25 days. */
TW_INTERNAL double tw_day_years(tw_day a, tw_day b);

#endif
