/* SPDX-License-Identifier: MIT */
/*
 * src/io/world_write.c: tw_world_write, a world as a bundle directory that appears atomically.
 *
 * Every file of the format (meta.csv, the code lists, the numeric tables of io/bundle.c) is
 * written into a temporary sibling directory, each through an atomic file (so each is
 * fsync'ed), and the directory is renamed into place at the end (io/atomic.h). Numbers are
 * written with the shortest of %.15g/%.16g/%.17g that reads back to the same double, so a
 * written bundle reads back bit for bit. Sparse tables (flows, tariffs, io) get rows for their
 * non-zero cells only; tables that need every cell get every cell.
 *
 * References: docs/world-format.md.
 * Invariants: on any failure the temporary directory is removed and `dir` does not exist.
 */
#define _XOPEN_SOURCE 700

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "core/alloc.h"
#include "io/atomic.h"
#include "io/bundle.h"

/* What one file holds: a code list, a numeric table, or (both NULL) meta.csv. */
struct out_file {
    const char *file;                    /* name in the bundle */
    const struct tw_bundle_codes *codes; /* or NULL */
    const struct tw_bundle_table *table; /* or NULL */
};

/* Whether the world has political-economy weights other than the default 1. */
static bool has_weights(const struct tw_world *w)
{
    for (size_t k = 0; k < w->n_country * w->n_sector; k++)
        if (w->pe_weight[k] != 1.0)
            return true;
    return false;
}

static tw_status write_meta(const struct tw_world *w, FILE *fp, tw_err *err)
{
    fputs("key,value\n", fp);
    for (size_t k = 0; tw_bundle_meta_keys[k] != NULL; k++) {
        /* "model" is written only when set, so cp2015 bundles stay as they were */
        if (strcmp(tw_bundle_meta_keys[k], "model") == 0 && w->meta_model[0] == '\0')
            continue;
        fprintf(fp, "%s,", tw_bundle_meta_keys[k]);
        tw_csv_put_text(fp, tw_world_meta(w, tw_bundle_meta_keys[k]));
        putc('\n', fp);
    }
    if (ferror(fp))
        return tw_err_set(err, TW_EIO, "world: cannot write meta.csv");
    return TW_OK;
}

/* Write one file of the bundle into directory `tmp`, the temporary sibling of `dir` (named in
 * messages: the temporary name alone would not tell the user which output failed). */
static tw_status write_file(const struct tw_world *w, const char *dir, const char *tmp,
                            const struct out_file *o, tw_err *err)
{
    tw_atomic_file *f = NULL;
    FILE *fp = NULL;
    char *path = tw_bundle_path(tmp, o->file);
    tw_status st;
    if (path == NULL) {
        st = tw_err_set(err, TW_ENOMEM, "world: out of memory");
        goto done;
    }
    if ((st = tw_atomic_open(path, &f, &fp, err)) != TW_OK) {
        tw_err_prefix(err, "world");
        goto done;
    }
    if (o->codes != NULL)
        st = tw_bundle_write_codes(w, o->codes, fp, err);
    else if (o->table != NULL)
        st = tw_bundle_write_table(w, o->table, fp, err);
    else
        st = write_meta(w, fp, err);
    if (st != TW_OK) {
        /* The writers' number formatting resets errno, so the failed write's errno is gone:
         * flushing again retries the write of the buffered bytes and sets it anew. */
        errno = 0;
        int e = fflush(fp) == EOF ? errno : 0;
        char why[128] = "write error";
        tw_atomic_abort(f);
        if (st == TW_EIO) {
            if (e != 0 && strerror_r(e, why, sizeof why) != 0)
                snprintf(why, sizeof why, "error %d", e);
            st = tw_err_set(err, TW_EIO, "world: cannot write %s/%s: %s", dir, o->file, why);
        }
        goto done;
    }
    if ((st = tw_atomic_commit(f, err)) != TW_OK)
        tw_err_prefix(err, "world: %s", dir);
done:
    tw_free(path);
    return st;
}

tw_status tw_world_write(const tw_world *w, const char *dir, tw_err *err)
{
    if (w == NULL || dir == NULL || dir[0] == '\0')
        return tw_err_set(err, TW_EINVAL, "world: world and directory are required");
    tw_atomic_dir *ad = NULL;
    tw_status st = tw_atomic_dir_open(dir, &ad, err);
    if (st != TW_OK) {
        tw_err_prefix(err, "world");
        return st;
    }
    const char *tmp = tw_atomic_dir_tmp_path(ad);
    const struct out_file head[3] = { /* [3] the files before the numeric tables */
        {"meta.csv", NULL, NULL},
        {tw_bundle_world_regions.file, &tw_bundle_world_regions, NULL},
        {tw_bundle_world_sectors.file, &tw_bundle_world_sectors, NULL},
    };
    for (size_t k = 0; k < 3 && st == TW_OK; k++)
        st = write_file(w, dir, tmp, &head[k], err);
    for (size_t k = 0; k < tw_bundle_world_n_tables && st == TW_OK; k++) {
        if (tw_bundle_world_tables[k].optional && !has_weights(w))
            continue; /* weights.csv only when some weight differs from 1 */
        struct out_file o = {tw_bundle_world_tables[k].file, NULL, &tw_bundle_world_tables[k]};
        st = write_file(w, dir, tmp, &o, err);
    }
    if (st != TW_OK) {
        tw_atomic_dir_abort(ad);
        return st;
    }
    st = tw_atomic_dir_commit(ad, err);
    if (st != TW_OK)
        tw_err_prefix(err, "world");
    return st;
}
