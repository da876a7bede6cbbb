/* SPDX-License-Identifier: MIT */
/*
 * src/core/date.c: day numbers <-> calendar dates (see date.h). The conversion is the
 * standard civil-from-days / days-from-civil algorithm on 400-year eras (H. Hinnant,
 * "chrono-compatible low-level date algorithms", public domain description).
 */
#include "core/date.h"

#include <stdio.h>
#include <string.h>

tw_day tw_day_from_ymd(int year, int month, int day)
{
    int y = year - (month <= 2);
    int era = (y >= 0 ? y : y - 399) / 400;
    int yoe = y - era * 400;
    int mp = (month + 9) % 12;
    int doy = (153 * mp + 2) / 5 + day - 1;
    int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return (tw_day)(era * 146097 + doe - 719468);
}

void tw_day_to_ymd(tw_day d, int *year, int *month, int *day)
{
    int z = d + 719468;
    int era = (z >= 0 ? z : z - 146096) / 146097;
    int doe = z - era * 146097;
    int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int mp = (5 * doy + 2) / 153;
    *day = doy - (153 * mp + 2) / 5 + 1;
    *month = mp < 10 ? mp + 3 : mp - 9;
    *year = yoe + era * 400 + (*month <= 2);
}

static bool is_digits(const char *s, size_t n)
{
    for (size_t k = 0; k < n; k++)
        if (s[k] < '0' || s[k] > '9')
            return false;
    return true;
}

bool tw_day_parse(const char *s, tw_day *out)
{
    if (strlen(s) != 10 || s[4] != '-' || s[7] != '-' || !is_digits(s, 4) ||
        !is_digits(s + 5, 2) || !is_digits(s + 8, 2))
        return false;
    int y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
    int m = (s[5] - '0') * 10 + (s[6] - '0');
    int d = (s[8] - '0') * 10 + (s[9] - '0');
    if (y < 1 || m < 1 || m > 12 || d < 1)
        return false;
    static const int mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    int dim = mdays[m - 1] + (m == 2 && leap);
    if (d > dim)
        return false;
    *out = tw_day_from_ymd(y, m, d);
    return true;
}

void tw_day_format(tw_day d, char buf[16])
{
    if (d == TW_DAY_NONE) {
        snprintf(buf, 16, "open");
        return;
    }
    int y, m, dd;
    tw_day_to_ymd(d, &y, &m, &dd);
    snprintf(buf, 16, "%04d-%02d-%02d", y, m, dd);
}

double tw_day_years(tw_day a, tw_day b) { return (double)(b - a) / 365.25; }
