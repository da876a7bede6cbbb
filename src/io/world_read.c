/* SPDX-License-Identifier: MIT */
/*
 * src/io/world_read.c: tw_world_read and tw_world_check, reading a world bundle directory.
 *
 * Both run the same checker: meta.csv first (key,value), then the code lists and numeric
 * tables of the world format (io/bundle.c, which reports every problem with file, line and
 * column), then core's semantic validation when the files themselves are clean. The checker
 * never stops at an error; tw_world_read then fails with the first one, and tw_world_check
 * hands the whole list to the caller.
 *
 * References: docs/world-format.md.
 * Invariants: a world is returned only when the diag holds no error.
 */
#define _XOPEN_SOURCE 700

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "core/alloc.h"
#include "io/bundle.h"

#define N_META 5 /* entries of tw_bundle_meta_keys before the NULL */

/* Check meta.csv and remember its values (borrowed from *t, which the caller frees). */
static tw_status read_meta(struct tw_bundle *b, tw_csv_table **t, const char *value[N_META])
{
    static const char *const names[2] = {"key", "value"};
    char *path = NULL;
    size_t col[2];                /* [2] positions of the key and value columns */
    size_t seen[N_META] = {0};    /* [N_META] line where each key was set, 0 = not yet */
    bool ok;
    tw_status st = tw_bundle_open(b, "meta.csv", &path, t);
    if (st != TW_OK || *t == NULL)
        goto done;
    if ((st = tw_bundle_columns(b, *t, path, names, 2, col, &ok)) != TW_OK || !ok)
        goto done;
    for (size_t r = 0; r < (*t)->n_rows && st == TW_OK; r++) {
        const char *key = tw_csv_field(*t, r, col[0]);
        size_t line = tw_csv_line(*t, r, col[0]), k = 0;
        char show[48];
        while (k < N_META && strcmp(tw_bundle_meta_keys[k], key) != 0)
            k++;
        if (k == N_META)
            st = tw_bundle_error(b, TW_EINVAL, "%s:%zu:%zu: key \"%s\" is unknown, expected "
                                 "name, year, currency, source or model", path, line, col[0] + 1,
                                 tw_csv_excerpt(key, show, sizeof show));
        else if (seen[k] != 0)
            st = tw_bundle_error(b, TW_EINVAL, "%s:%zu:%zu: key \"%s\" repeats line %zu, "
                                 "expected each key once", path, line, col[0] + 1, key,
                                 seen[k]);
        else {
            seen[k] = line;
            value[k] = tw_csv_field(*t, r, col[1]);
        }
    }
done:
    tw_free(path);
    return st;
}

/* The whole check of bundle `dir` into d. *out receives the world when no error was found;
 * *first the status of the first error (TW_EIO, TW_EPARSE, TW_EINVAL; TW_OK when none).
 * Returns TW_OK (look at d for problems) or TW_ENOMEM. */
static tw_status check_bundle(const char *dir, tw_diag *d, struct tw_world **out,
                              tw_status *first, tw_err *err)
{
    struct tw_bundle b;
    tw_csv_table *meta = NULL;
    const char *value[N_META] = {NULL, NULL, NULL, NULL, NULL}; /* [N_META] borrowed from meta */
    struct stat sb;
    tw_status st = TW_OK;
    *out = NULL;
    tw_bundle_init(&b, dir, d, err);
    if (stat(dir, &sb) != 0) {
        char msg[128];
        if (strerror_r(errno, msg, sizeof msg) != 0)
            snprintf(msg, sizeof msg, "error %d", errno);
        st = tw_bundle_error(&b, TW_EIO, "%s: cannot open: %s", dir, msg);
        goto done;
    }
    if (!S_ISDIR(sb.st_mode)) {
        st = tw_bundle_error(&b, TW_EIO, "%s: not a directory, expected a world bundle "
                             "directory", dir);
        goto done;
    }
    if ((st = read_meta(&b, &meta, value)) != TW_OK)
        goto done;
    if ((st = tw_bundle_load(&b, &tw_bundle_world_format)) != TW_OK)
        goto done;
    for (size_t k = 0; k < N_META && b.w != NULL && st == TW_OK; k++)
        if (value[k] != NULL)
            st = tw_world_set_string(tw_bundle_meta_slot(b.w, tw_bundle_meta_keys[k]), value[k],
                                     err);
    if (st == TW_OK)
        st = tw_bundle_validate(&b);
    if (st == TW_OK && b.first == TW_OK) {
        *out = b.w;
        b.w = NULL;
    }
done:
    *first = b.first;
    tw_csv_free(meta);
    tw_bundle_clear(&b);
    return st;
}

/* Arguments checked, a new diag in *out_d, then the checker. On TW_ENOMEM *out_d is NULL. */
static tw_status run(const char *dir, tw_diag **out_d, struct tw_world **out_w,
                     tw_status *first, tw_err *err)
{
    *out_d = NULL;
    *out_w = NULL;
    if (dir == NULL || dir[0] == '\0')
        return tw_err_set(err, TW_EINVAL, "world: directory is empty");
    tw_diag *d = NULL;
    tw_status st = tw_diag_new(&d, err);
    if (st != TW_OK)
        return st;
    st = check_bundle(dir, d, out_w, first, err);
    if (st != TW_OK) {
        tw_diag_free(d);
        return st;
    }
    *out_d = d;
    return TW_OK;
}

tw_status tw_world_check(const char *dir, tw_diag **out, tw_err *err)
{
    if (out == NULL)
        return tw_err_set(err, TW_EINVAL, "world: out is NULL");
    *out = NULL;
    struct tw_world *w = NULL;
    tw_status first = TW_OK;
    tw_status st = run(dir, out, &w, &first, err);
    tw_world_free(w);
    if (st != TW_OK)
        return st;
    if ((*out)->n_error > 0)
        return tw_err_set(err, TW_EINVAL, "world: %zu error%s, the first: %s", (*out)->n_error,
                          (*out)->n_error == 1 ? "" : "s", tw_bundle_first_error(*out));
    return TW_OK;
}

tw_status tw_world_read(const char *dir, tw_world **out, tw_err *err)
{
    if (out == NULL)
        return tw_err_set(err, TW_EINVAL, "world: out is NULL");
    *out = NULL;
    tw_diag *d = NULL;
    struct tw_world *w = NULL;
    tw_status first = TW_OK;
    tw_status st = run(dir, &d, &w, &first, err);
    if (st == TW_OK && d->n_error > 0)
        st = tw_err_set(err, first, "world: %s", tw_bundle_first_error(d));
    tw_diag_free(d);
    if (st != TW_OK) {
        tw_world_free(w);
        return st;
    }
    *out = w;
    return TW_OK;
}
