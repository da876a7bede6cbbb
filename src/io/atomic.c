/* SPDX-License-Identifier: MIT */
/*
 * src/io/atomic.c: atomic output files and directories (temporary sibling + rename(2)).
 *
 * The sequence for a file is the classic one: write to a temporary file in the target's
 * directory, fflush + fsync (so the data is on disk before the name is), check ferror (a
 * failed buffered write earlier is only visible there), fclose (which can itself report
 * ENOSPC on network file systems), rename over the target, then fsync the directory so the
 * rename is durable. Every error path unlinks the temporary file.
 *
 * References: POSIX rename(2), mkstemp(3), mkdtemp(3).
 * Invariants: a live tw_atomic_file owns an open stream on an existing temporary file; a live
 * tw_atomic_dir owns an existing temporary directory. Both own their path strings.
 */
#define _XOPEN_SOURCE 700

#include "io/atomic.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/alloc.h"

/* The parent directory is computed when the handle is made, so that committing allocates
 * nothing (an out-of-memory failure can only happen before anything is written). */
struct tw_atomic_file {
    char *path;   /* owned: the target */
    char *tmp;    /* owned: the temporary file, a sibling of path */
    char *parent; /* owned: the directory holding both */
    FILE *fp;     /* owned: stream on tmp */
};

struct tw_atomic_dir {
    char *path;   /* owned: the target directory, without trailing '/' */
    char *tmp;    /* owned: the temporary directory, a sibling of path */
    char *parent; /* owned: the directory holding both */
};

static const char *errno_text(int e, char *buf, size_t cap)
{
    if (strerror_r(e, buf, cap) != 0)
        snprintf(buf, cap, "error %d", e);
    return buf;
}

/* Copy of path without trailing slashes (but "/" stays "/"); NULL when out of memory. */
static char *strip_slashes(const char *path)
{
    char *p = tw_strdup(path);
    if (p == NULL)
        return NULL;
    size_t n = strlen(p);
    while (n > 1 && p[n - 1] == '/')
        p[--n] = '\0';
    return p;
}

/* "<parent>/.<base>.tmp.XXXXXX" for `path` (no trailing '/'); NULL when out of memory. */
static char *temp_template(const char *path)
{
    const char *slash = strrchr(path, '/');
    size_t dir_len = slash ? (size_t)(slash - path) + 1 : 0; /* includes the '/' */
    const char *base = slash ? slash + 1 : path;
    size_t len = dir_len + 1 + strlen(base) + strlen(".tmp.XXXXXX") + 1;
    char *t = tw_malloc(len);
    if (t == NULL)
        return NULL;
    memcpy(t, path, dir_len);
    snprintf(t + dir_len, len - dir_len, ".%s.tmp.XXXXXX", base);
    return t;
}

/* The directory holding `path`: "." for a bare name. Copy; NULL when out of memory. */
static char *parent_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (slash == NULL)
        return tw_strdup(".");
    size_t n = slash == path ? 1 : (size_t)(slash - path);
    char *p = tw_malloc(n + 1);
    if (p == NULL)
        return NULL;
    memcpy(p, path, n);
    p[n] = '\0';
    return p;
}

/* fsync a directory so that renames in it are durable. Best effort: some file systems reject
 * fsync on directories (EINVAL), and the data itself is already safe. */
static void sync_dir(const char *dir)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return;
    (void)fsync(fd);
    close(fd);
}

/* ---- files ------------------------------------------------------------------------------- */

static void file_free(tw_atomic_file *f)
{
    tw_free(f->path);
    tw_free(f->tmp);
    tw_free(f->parent);
    tw_free(f);
}

tw_status tw_atomic_open(const char *path, tw_atomic_file **out, FILE **fp, tw_err *err)
{
    if (out == NULL || fp == NULL)
        return tw_err_set(err, TW_EINVAL, "atomic: outputs are NULL");
    *out = NULL;
    *fp = NULL;
    size_t n = path ? strlen(path) : 0;
    if (n == 0 || path[n - 1] == '/')
        return tw_err_set(err, TW_EINVAL, "atomic: \"%s\" is not a file path",
                          path ? path : "(null)");
    tw_status st = TW_OK;
    int fd = -1;
    tw_atomic_file *f = tw_calloc(1, sizeof *f);
    if (f == NULL || (f->path = tw_strdup(path)) == NULL ||
        (f->tmp = temp_template(path)) == NULL || (f->parent = parent_of(path)) == NULL) {
        st = tw_err_set(err, TW_ENOMEM, "atomic: out of memory");
        goto done;
    }
    char msg[128];
    fd = mkstemp(f->tmp);
    if (fd < 0) {
        st = tw_err_set(err, TW_EIO, "cannot create a file in %s: %s", f->parent,
                        errno_text(errno, msg, sizeof msg));
        goto done;
    }
    if (fchmod(fd, S_IRUSR | S_IWUSR | S_IRGRP | S_IROTH) != 0 ||
        (f->fp = fdopen(fd, "w")) == NULL) {
        st = tw_err_set(err, TW_EIO, "cannot open %s: %s", f->tmp,
                        errno_text(errno, msg, sizeof msg));
        close(fd);
        unlink(f->tmp);
        goto done;
    }
done:
    if (st != TW_OK) {
        if (f != NULL)
            file_free(f);
        return st;
    }
    *out = f;
    *fp = f->fp;
    return TW_OK;
}

tw_status tw_atomic_commit(tw_atomic_file *f, tw_err *err)
{
    if (f == NULL)
        return tw_err_set(err, TW_EINVAL, "atomic: NULL file");
    int e = 0;
    /* fflush reports the current write's errno; an earlier failed write only left ferror. */
    if (fflush(f->fp) != 0)
        e = errno ? errno : EIO;
    else if (ferror(f->fp))
        e = EIO;
    else if (fsync(fileno(f->fp)) != 0)
        e = errno;
    if (fclose(f->fp) != 0 && e == 0)
        e = errno ? errno : EIO;
    f->fp = NULL;
    tw_status st = TW_OK;
    char msg[128];
    if (e != 0) {
        unlink(f->tmp);
        st = tw_err_set(err, TW_EIO, "cannot write %s: %s", f->path,
                        errno_text(e, msg, sizeof msg));
    } else if (rename(f->tmp, f->path) != 0) {
        e = errno;
        unlink(f->tmp);
        st = tw_err_set(err, TW_EIO, "cannot rename a temporary file to %s: %s", f->path,
                        errno_text(e, msg, sizeof msg));
    } else {
        sync_dir(f->parent);
    }
    file_free(f);
    return st;
}

void tw_atomic_abort(tw_atomic_file *f)
{
    if (f == NULL)
        return;
    if (f->fp != NULL)
        fclose(f->fp);
    unlink(f->tmp);
    file_free(f);
}

/* ---- directories ------------------------------------------------------------------------- */

static void dir_free(tw_atomic_dir *d)
{
    tw_free(d->path);
    tw_free(d->tmp);
    tw_free(d->parent);
    tw_free(d);
}

/* Remove a directory and the entries directly in it (bundles are flat). It allocates
 * nothing (unlinkat on the open directory), so cleanup works when memory has run out. */
static void remove_dir(const char *dir)
{
    DIR *dp = opendir(dir);
    if (dp != NULL) {
        struct dirent *de;
        while ((de = readdir(dp)) != NULL) {
            if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
                continue;
            if (unlinkat(dirfd(dp), de->d_name, 0) != 0)
                (void)unlinkat(dirfd(dp), de->d_name, AT_REMOVEDIR);
        }
        closedir(dp);
    }
    (void)rmdir(dir);
}

tw_status tw_atomic_dir_open(const char *path, tw_atomic_dir **out, tw_err *err)
{
    if (out == NULL)
        return tw_err_set(err, TW_EINVAL, "atomic: out is NULL");
    *out = NULL;
    if (path == NULL || path[0] == '\0')
        return tw_err_set(err, TW_EINVAL, "atomic: empty directory path");
    tw_status st = TW_OK;
    char msg[128];
    tw_atomic_dir *d = tw_calloc(1, sizeof *d);
    if (d == NULL || (d->path = strip_slashes(path)) == NULL ||
        (d->tmp = temp_template(d->path)) == NULL || (d->parent = parent_of(d->path)) == NULL) {
        st = tw_err_set(err, TW_ENOMEM, "atomic: out of memory");
        goto done;
    }
    struct stat sb;
    if (lstat(d->path, &sb) == 0) {
        st = tw_err_set(err, TW_EINVAL, "%s: exists, expected a new directory", d->path);
        goto done;
    }
    if (errno != ENOENT) {
        st = tw_err_set(err, TW_EIO, "%s: cannot check: %s", d->path,
                        errno_text(errno, msg, sizeof msg));
        goto done;
    }
    if (mkdtemp(d->tmp) == NULL) {
        st = tw_err_set(err, TW_EIO, "cannot create a directory in %s: %s", d->parent,
                        errno_text(errno, msg, sizeof msg));
        goto done;
    }
    if (chmod(d->tmp, S_IRWXU | S_IRGRP | S_IXGRP | S_IROTH | S_IXOTH) != 0) {
        st = tw_err_set(err, TW_EIO, "cannot set permissions of %s: %s", d->tmp,
                        errno_text(errno, msg, sizeof msg));
        (void)rmdir(d->tmp);
        goto done;
    }
done:
    if (st != TW_OK) {
        if (d != NULL)
            dir_free(d);
        return st;
    }
    *out = d;
    return TW_OK;
}

const char *tw_atomic_dir_tmp_path(const tw_atomic_dir *d) { return d->tmp; }

tw_status tw_atomic_dir_commit(tw_atomic_dir *d, tw_err *err)
{
    if (d == NULL)
        return tw_err_set(err, TW_EINVAL, "atomic: NULL directory");
    tw_status st = TW_OK;
    char msg[128];
    struct stat sb;
    sync_dir(d->tmp);
    if (lstat(d->path, &sb) == 0) {
        st = tw_err_set(err, TW_EINVAL, "%s: exists, expected a new directory", d->path);
    } else if (rename(d->tmp, d->path) != 0) {
        st = tw_err_set(err, TW_EIO, "cannot rename a temporary directory to %s: %s", d->path,
                        errno_text(errno, msg, sizeof msg));
    }
    if (st != TW_OK)
        remove_dir(d->tmp);
    else
        sync_dir(d->parent);
    dir_free(d);
    return st;
}

void tw_atomic_dir_abort(tw_atomic_dir *d)
{
    if (d == NULL)
        return;
    remove_dir(d->tmp);
    dir_free(d);
}
