/* SPDX-License-Identifier: MIT */
/*
 * src/io/synth_panel.c: CSV writer of synthetic gravity panels (tw_synth_panel_write).
 *
 * The file is written atomically (io/atomic.c). A path ending in ".gz" is gzip-compressed
 * through zlib on a duplicate of the temporary file's descriptor, closed before the commit
 * fsyncs and renames the file. Numbers: trade is an integer count ("%.0f"), ln_dist has 17
 * significant digits so that reading the file back gives the same doubles, cntg and rta are
 * 0/1.
 */
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "core/synth_panel.h"
#include "io/atomic.h"

static bool ends_with(const char *s, const char *suffix)
{
    size_t a = strlen(s), b = strlen(suffix);
    return a >= b && strcmp(s + a - b, suffix) == 0;
}

static int format_row(const tw_synth_panel *p, size_t o, char *buf, size_t cap)
{
    return snprintf(buf, cap, "C%04d,C%04d,%d,%.0f,%.17g,%d,%d\n", (int)p->exp[o] + 1,
                    (int)p->imp[o] + 1, (int)p->year[o] + TW_SYNTH_PANEL_YEAR0, p->trade[o],
                    p->ln_dist[o], (int)p->cntg[o], (int)p->rta[o]);
}

static const char header[] = "exporter,importer,year,trade,ln_dist,cntg,rta\n";

tw_status tw_synth_panel_write(const tw_synth_panel *p, const char *path, tw_err *err)
{
    if (p == NULL || path == NULL)
        return tw_err_set(err, TW_EINVAL, "synth-panel: NULL argument");
    tw_atomic_file *af = NULL;
    FILE *fp = NULL;
    tw_status st = tw_atomic_open(path, &af, &fp, err);
    if (st != TW_OK)
        return st;
    char buf[256];
    if (!ends_with(path, ".gz")) {
        fputs(header, fp);
        for (size_t o = 0; o < p->n; o++) {
            format_row(p, o, buf, sizeof buf);
            fputs(buf, fp);
        }
        return tw_atomic_commit(af, err);
    }
    int fd = -1;
    gzFile gz = NULL;
    if (fflush(fp) != 0 || (fd = dup(fileno(fp))) < 0 || (gz = gzdopen(fd, "wb6")) == NULL) {
        if (fd >= 0)
            close(fd);
        tw_atomic_abort(af);
        return tw_err_set(err, TW_EIO, "synth-panel: cannot start gzip stream for %s", path);
    }
    bool ok = gzputs(gz, header) >= 0;
    for (size_t o = 0; ok && o < p->n; o++) {
        int len = format_row(p, o, buf, sizeof buf);
        ok = gzwrite(gz, buf, (unsigned)len) == len;
    }
    if (gzclose(gz) != Z_OK)
        ok = false;
    if (!ok) {
        tw_atomic_abort(af);
        return tw_err_set(err, TW_EIO, "synth-panel: cannot write %s", path);
    }
    return tw_atomic_commit(af, err);
}
