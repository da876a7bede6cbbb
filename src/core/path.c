/* SPDX-License-Identifier: MIT */
/*
 * src/core/path.c: the one rule for paths written in scenario files and scenario world specs
 * (docs/scenarios.md, "Paths"): "shared:REL" is REL under $TW_SHARED_DATA (default
 * ../shared/data, the layout of the project's checkout), an absolute path stays as written, a
 * relative path is relative to the directory of the file it was written in.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tradewar/tradewar.h"

bool tw_path_resolve(const char *path, const char *base_file, char *buf, size_t cap)
{
    int n;
    const char *slash = base_file ? strrchr(base_file, '/') : NULL;
    if (strncmp(path, "shared:", 7) == 0) {
        const char *root = getenv("TW_SHARED_DATA");
        n = snprintf(buf, cap, "%s/%s", root && root[0] ? root : "../shared/data", path + 7);
    } else if (path[0] == '/' || slash == NULL) {
        n = snprintf(buf, cap, "%s", path);
    } else {
        n = snprintf(buf, cap, "%.*s/%s", (int)(slash - base_file), base_file, path);
    }
    return n >= 0 && (size_t)n < cap;
}
