/* SPDX-License-Identifier: MIT */
/*
 * tests/fuzz/replay.c: a plain-C main for the libFuzzer harnesses, so their inputs are replayed
 * in the ordinary (gcc) test jobs without clang (SQLite test/fuzzcheck.c). It is linked with
 * one harness into tw_replay_<harness> and runs LLVMFuzzerTestOneInput on every file named on
 * the command line and every regular file of every directory named there, then prints
 * "N passed, N failed". A file that cannot be read, or a non-zero return, is a failure (exit
 * status 1); a crash ends the process after naming the input on stderr (with -v every input
 * is named before it runs, which also locates sanitizer reports).
 * Usage: tw_replay_<harness> [-v] PATH...
 */
#define _POSIX_C_SOURCE 200809L /* opendir, sigaction */

#include <dirent.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *current = ""; /* the input being run, for the crash handler */
static int verbose;

/* On a fatal signal, name the input, then die of the same signal. */
static void on_crash(int sig)
{
    static const char what[] = "replay: crashed on input ";
    ssize_t r = write(STDERR_FILENO, what, sizeof what - 1);
    r = write(STDERR_FILENO, current, strlen(current));
    r = write(STDERR_FILENO, "\n", 1);
    (void)r;
    signal(sig, SIG_DFL);
    raise(sig);
}

/* Run one file; true when it passed. */
static int run_file(const char *path)
{
    FILE *fp = fopen(path, "rb");
    if (fp == NULL) {
        fprintf(stderr, "replay: %s: cannot open\n", path);
        return 0;
    }
    size_t cap = 4096, len = 0, got;
    uint8_t *buf = malloc(cap);
    while (buf != NULL && (got = fread(buf + len, 1, cap - len, fp)) > 0) {
        len += got;
        if (len == cap) {
            uint8_t *b2 = realloc(buf, cap *= 2);
            if (b2 == NULL)
                free(buf);
            buf = b2;
        }
    }
    int ok = buf != NULL && !ferror(fp);
    fclose(fp);
    if (!ok) {
        fprintf(stderr, "replay: %s: cannot read\n", path);
        free(buf);
        return 0;
    }
    current = path;
    if (verbose)
        fprintf(stderr, "replay: %s (%zu bytes)\n", path, len);
    /* An exactly-sized copy, so that ASan catches a read one byte past the input. */
    uint8_t *data = malloc(len ? len : 1);
    if (data == NULL) {
        free(buf);
        return 0;
    }
    memcpy(data, buf, len);
    free(buf);
    ok = LLVMFuzzerTestOneInput(data, len) == 0;
    free(data);
    current = "";
    if (!ok)
        fprintf(stderr, "replay: %s: harness returned non-zero\n", path);
    return ok;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Run a file, or every regular file of a directory in name order; add to the counts. */
static void run_path(const char *path, size_t *passed, size_t *failed)
{
    struct stat sb;
    if (stat(path, &sb) != 0) {
        fprintf(stderr, "replay: %s: not found\n", path);
        (*failed)++;
        return;
    }
    if (!S_ISDIR(sb.st_mode)) {
        (*(run_file(path) ? passed : failed))++;
        return;
    }
    DIR *d = opendir(path);
    char **names = NULL;
    size_t n = 0, cap = 0;
    struct dirent *e;
    while (d != NULL && (e = readdir(d)) != NULL) {
        size_t sz = strlen(path) + strlen(e->d_name) + 2;
        char *full = malloc(sz);
        if (full == NULL || (n == cap && (names = realloc(names, (cap = cap * 2 + 16) *
                                                                     sizeof *names)) == NULL)) {
            fprintf(stderr, "replay: out of memory\n");
            exit(2);
        }
        snprintf(full, sz, "%s/%s", path, e->d_name);
        if (e->d_name[0] != '.' && stat(full, &sb) == 0 && S_ISREG(sb.st_mode))
            names[n++] = full;
        else
            free(full);
    }
    if (d == NULL) {
        fprintf(stderr, "replay: %s: cannot open directory\n", path);
        (*failed)++;
        return;
    }
    closedir(d);
    if (n > 0)
        qsort(names, n, sizeof *names, by_name);
    for (size_t k = 0; k < n; k++) {
        (*(run_file(names[k]) ? passed : failed))++;
        free(names[k]);
    }
    free(names);
}

int main(int argc, char **argv)
{
    static const int sigs[] = {SIGABRT, SIGSEGV, SIGILL, SIGFPE, SIGBUS};
    for (size_t k = 0; k < sizeof sigs / sizeof sigs[0]; k++) {
        /* Leave the handlers of a sanitizer runtime in place: its report is better. */
        struct sigaction old;
        if (sigaction(sigs[k], NULL, &old) == 0 && old.sa_handler == SIG_DFL)
            signal(sigs[k], on_crash);
    }
    size_t passed = 0, failed = 0;
    int first = 1;
    if (argc > 1 && strcmp(argv[1], "-v") == 0) {
        verbose = 1;
        first = 2;
    }
    if (first >= argc) {
        fprintf(stderr, "usage: %s [-v] FILE-OR-DIRECTORY...\n", argv[0]);
        return 2;
    }
    for (int a = first; a < argc; a++)
        run_path(argv[a], &passed, &failed);
    printf("%zu passed, %zu failed\n", passed, failed);
    return failed == 0 ? 0 : 1;
}
