/* SPDX-License-Identifier: MIT */
/*
 * src/io/scenario_library.c: access to the built-in scenario library (see
 * scenario_library.h and tradewar.h, tw_scenario_library).
 */
#include "io/scenario_library.h"

#include <stdio.h>
#include <string.h>

#include "core/err.h"
#include "tradewar/tradewar.h"

/* Upper bound on library entries (the library is a handful of files). */
#define TW_LIBRARY_MAX 64

static const struct tw_library_entry *find(const char *name)
{
    for (size_t k = 0; tw_scenario_library_entries[k].name != NULL; k++)
        if (strcmp(tw_scenario_library_entries[k].name, name) == 0)
            return &tw_scenario_library_entries[k];
    return NULL;
}

size_t tw_scenario_library_count(void)
{
    size_t n = 0;
    while (tw_scenario_library_entries[n].name != NULL && n < TW_LIBRARY_MAX)
        n++;
    return n;
}

const char *tw_scenario_library_name(size_t k)
{
    return k < tw_scenario_library_count() ? tw_scenario_library_entries[k].name : NULL;
}

const char *tw_scenario_library_text(const char *name)
{
    const struct tw_library_entry *e = find(name);
    return e ? e->text : NULL;
}

tw_status tw_scenario_library_read(const char *name, tw_scenario **out, tw_err *err)
{
    if (out == NULL || name == NULL)
        return tw_err_set(err, TW_EINVAL, "scenario: NULL argument");
    *out = NULL;
    const struct tw_library_entry *e = find(name);
    if (e == NULL)
        return tw_err_set(err, TW_EINVAL, "scenario: \"%s\" is not in the scenario library "
                          "(see `tradewar scenarios`)", name);
    char label[256];
    snprintf(label, sizeof label, "scenarios/%s.yaml", name);
    return tw_scenario_read_buf(e->text, e->len, label, out, err);
}
