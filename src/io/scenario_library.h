/* SPDX-License-Identifier: MIT */
/*
 * src/io/scenario_library.h: the built-in scenario library, the .yaml files of scenarios/
 * embedded at build time by cmake/embed_scenarios.cmake.
 */
#ifndef TW_IO_SCENARIO_LIBRARY_H
#define TW_IO_SCENARIO_LIBRARY_H

#include <stddef.h>

struct tw_library_entry {
    const char *name;  /* file name without .yaml */
    const char *text;  /* file contents, NUL-terminated */
    size_t len;        /* bytes, excluding the NUL */
};

/* Terminated by an entry with name == NULL. */
extern const struct tw_library_entry tw_scenario_library_entries[];

#endif
