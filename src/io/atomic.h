/* SPDX-License-Identifier: MIT */
/*
 * src/io/atomic.h: output files and directories that appear whole or not at all.
 *
 * A file is written to a temporary sibling `.<base>.tmp.XXXXXX` (mkstemp, same directory, so
 * the final rename(2) never crosses a file system), then flushed, fsync'ed, checked for stream
 * errors, closed and renamed over the target; the parent directory is fsync'ed last (best
 * effort). A directory (a world bundle) is built the same way: files go into a temporary
 * sibling directory `.<base>.tmp.XXXXXX` (mkdtemp) which is renamed to the final name.
 * Whatever fails, the temporary file or directory is removed and the target is untouched.
 *
 * Permissions: files are created 0644 and directories 0755 (mkstemp/mkdtemp use 0600/0700,
 * which would surprise users; the process umask is not consulted because reading it is not
 * thread-safe).
 * Limitation: a directory commit refuses an existing target, but the check and the rename are
 * two steps; if another process creates an *empty* directory of that name in between, rename
 * replaces it (POSIX rename semantics).
 *
 * Ownership: tw_atomic_commit and tw_atomic_abort (and the _dir_ pair) always free the handle;
 * the FILE* given by tw_atomic_open belongs to the handle and must not be closed by the caller.
 */
#ifndef TW_IO_ATOMIC_H
#define TW_IO_ATOMIC_H

#include <stdio.h>

#include "core/err.h"

typedef struct tw_atomic_file tw_atomic_file;
typedef struct tw_atomic_dir tw_atomic_dir;

/*
 * Start writing `path` (in). *out (out) is the handle, *fp (out) the stream to write to.
 * Returns TW_OK; TW_EINVAL (empty path or a path ending in '/'); TW_EIO (the temporary file
 * cannot be created, message names the directory and the reason); TW_ENOMEM. On failure *out
 * and *fp are NULL and nothing is left on disk.
 */
TW_INTERNAL tw_status tw_atomic_open(const char *path, tw_atomic_file **out, FILE **fp,
                                     tw_err *err);

/*
 * Finish: flush, fsync, check the stream's error flag, close, rename into place. Frees f.
 * Returns TW_OK, or TW_EIO naming the path and the reason (`cannot write out.csv: No space
 * left on device`); on failure the temporary file is removed and the target is untouched.
 * f == NULL returns TW_EINVAL.
 */
TW_INTERNAL tw_status tw_atomic_commit(tw_atomic_file *f, tw_err *err);

/* Give up: close and remove the temporary file, free f. NULL is a no-op. */
TW_INTERNAL void tw_atomic_abort(tw_atomic_file *f);

/*
 * Start building directory `path` (in), which must not exist. Returns TW_OK; TW_EINVAL (empty
 * path, or `path` exists: "out: exists, expected a new directory"); TW_EIO (cannot create the
 * temporary directory); TW_ENOMEM. Write the contents into tw_atomic_dir_tmp_path(d).
 */
TW_INTERNAL tw_status tw_atomic_dir_open(const char *path, tw_atomic_dir **out, tw_err *err);

/* Path of the temporary directory to fill (borrowed from d). */
TW_INTERNAL const char *tw_atomic_dir_tmp_path(const tw_atomic_dir *d);

/*
 * Finish: fsync the temporary directory, rename it to the target, fsync the parent. Frees d.
 * Returns TW_OK; TW_EINVAL (the target appeared meanwhile); TW_EIO. On failure the temporary
 * directory and its files are removed.
 */
TW_INTERNAL tw_status tw_atomic_dir_commit(tw_atomic_dir *d, tw_err *err);

/* Give up: remove the temporary directory and the files in it, free d. NULL is a no-op. */
TW_INTERNAL void tw_atomic_dir_abort(tw_atomic_dir *d);

#endif
