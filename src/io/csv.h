/* SPDX-License-Identifier: MIT */
/*
 * src/io/csv.h: CSV tables in memory (reader on top of libcsv), a locale-independent number
 * parser and the cell writers used by every CSV output.
 *
 * The reader turns a whole buffer into a table: the header's field names, then rows of
 * fields, each field remembering the 1-based line where it starts and its 1-based column
 * (the field index), so callers can say `name:line:col: what was found, what was expected`.
 * It reads RFC 4180 CSV with these rules:
 *   - fields are kept verbatim: no trimming of spaces, quoted and unquoted alike (so
 *     " 1.5" stays " 1.5" and the number parser rejects it);
 *   - quotes follow RFC 4180 ("" inside a quoted field is one quote); a quote inside an
 *     unquoted field or text after a closing quote is an error (libcsv strict mode), and so
 *     is a quoted field still open at the end of the input;
 *   - line ends may be LF, CRLF or a lone CR; a leading UTF-8 byte-order mark is skipped;
 *     empty lines are skipped anywhere (in particular trailing ones);
 *   - a NUL byte inside a field is an error; other bytes, invalid UTF-8 included, pass through;
 *   - the first record is the header; every later record must have as many fields as the
 *     header (`flows.csv:7: expected 4 fields, found 3`); an input without a header is an
 *     error.
 * Limits are named below and can be lowered per call (tests, fuzzing) through tw_csv_limits.
 *
 * Parsers take a memory buffer as well as a path (STYLE section 10), and files are read
 * through a small reader interface (tw_csv_reader) so tests can inject short reads and errors.
 *
 * Messages written by this module start with the input's name (a path or a label), never
 * with a module prefix: callers prepend theirs ("world: ", "shock: ").
 *
 * Invariants of a table: n_cols >= 1; every field is NUL-terminated and contains no NUL;
 * cells holds (n_rows + 1) * n_cols entries (record 0 is the header).
 * Ownership: a table owns its text; strings returned by accessors are borrowed from it.
 */
#ifndef TW_IO_CSV_H
#define TW_IO_CSV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "core/err.h"

/* Longest field accepted, in bytes (after removing quotes). Longer fields: TW_EPARSE. */
#define TW_CSV_MAX_FIELD_LEN 4096
/* Most fields in one record. More: TW_EPARSE. */
#define TW_CSV_MAX_COLUMNS 256
/* Most data rows (the header excluded). More: TW_EPARSE. */
#define TW_CSV_MAX_ROWS 50000000
/* Largest input accepted, in bytes (2 GiB). Larger: TW_EIO. */
#define TW_CSV_MAX_FILE_SIZE ((size_t)2 * 1024 * 1024 * 1024)

/* Parser limits; tw_csv_limits_init() fills the defaults above. Each must be >= 1. */
typedef struct tw_csv_limits {
    size_t max_field_len; /* bytes per field; default TW_CSV_MAX_FIELD_LEN */
    size_t max_columns;   /* fields per record; default TW_CSV_MAX_COLUMNS */
    size_t max_rows;      /* data rows; default TW_CSV_MAX_ROWS */
    size_t max_file_size; /* input bytes; default TW_CSV_MAX_FILE_SIZE */
} tw_csv_limits;

TW_INTERNAL void tw_csv_limits_init(tw_csv_limits *lim);

/*
 * A byte source for tw_csv_read_stream. read() copies at most `cap` (>= 1) bytes into `buf`,
 * stores the count in *got (0 means end of input) and returns 0, or returns an errno value
 * (EIO, ...) on failure. Short reads are allowed.
 */
typedef struct tw_csv_reader {
    int (*read)(void *ctx, char *buf, size_t cap, size_t *got);
    void *ctx; /* passed to read; borrowed */
} tw_csv_reader;

/* Where one field is: its text and the line where it starts. */
struct tw_csv_cell {
    size_t off;  /* offset of the field's first byte in tw_csv_table.text */
    size_t line; /* 1-based line where the field starts */
};

typedef struct tw_csv_table {
    char *name;                /* owned copy of the name used in messages */
    size_t n_cols;             /* fields per record (the header's width), >= 1 */
    size_t n_rows;             /* data rows, header excluded */
    char *text;                /* arena of NUL-terminated fields, header first */
    struct tw_csv_cell *cells; /* [(n_rows + 1) * n_cols], [r * n_cols + c] = field c of
                                  record r (r = 0 is the header, r = k + 1 is data row k) */
} tw_csv_table;

/*
 * Parse `len` bytes of `buf` (in; need not be NUL-terminated) into a new table (out). `name`
 * (in) is used in messages. `lim` may be NULL for the defaults.
 * Returns TW_OK; TW_EPARSE (malformed CSV or a limit exceeded, message
 * `name:line[:col]: ...`); TW_EIO (input larger than max_file_size); TW_EINVAL (NULL
 * arguments); TW_ENOMEM. On failure *out is NULL.
 */
TW_INTERNAL tw_status tw_csv_read_buf(const char *buf, size_t len, const char *name,
                                      tw_csv_table **out, tw_err *err);
TW_INTERNAL tw_status tw_csv_read_buf_limits(const char *buf, size_t len, const char *name,
                                             const tw_csv_limits *lim, tw_csv_table **out,
                                             tw_err *err);

/*
 * Read everything from `rd` (in) into a new buffer (*out_buf, owned by the caller, freed with
 * tw_free, NUL-terminated; *out_len excludes the NUL). Fails with TW_EIO when the source
 * reports an error or yields more than `max_size` bytes; TW_ENOMEM.
 */
TW_INTERNAL tw_status tw_csv_slurp(const tw_csv_reader *rd, const char *name, size_t max_size,
                                   char **out_buf, size_t *out_len, tw_err *err);

/* Read all of `rd` (tw_csv_slurp) and parse it (tw_csv_read_buf_limits). Reading stops early
 * after the first chunk that holds a NUL byte (an error the parser then reports with its line
 * and column), so an endless binary stream fails at once. tw_csv_read_file does the same. */
TW_INTERNAL tw_status tw_csv_read_stream(const tw_csv_reader *rd, const char *name,
                                         const tw_csv_limits *lim, tw_csv_table **out,
                                         tw_err *err);

/*
 * Read and parse the file at `path` (used as the name in messages). Returns as
 * tw_csv_read_buf, plus TW_EIO when the file cannot be opened or read
 * (`path: cannot open: No such file or directory`).
 */
TW_INTERNAL tw_status tw_csv_read_file(const char *path, tw_csv_table **out, tw_err *err);
TW_INTERNAL tw_status tw_csv_read_file_limits(const char *path, const tw_csv_limits *lim,
                                              tw_csv_table **out, tw_err *err);

/* Free a table; NULL is a no-op. */
TW_INTERNAL void tw_csv_free(tw_csv_table *t);

/* Accessors. Indices must be in range: c < n_cols, r < n_rows (data rows, 0-based). */
TW_INTERNAL const char *tw_csv_header(const tw_csv_table *t, size_t c);
TW_INTERNAL size_t tw_csv_header_line(const tw_csv_table *t);
TW_INTERNAL const char *tw_csv_field(const tw_csv_table *t, size_t r, size_t c);
/* 1-based line where field (r, c) starts; its 1-based column is c + 1. */
TW_INTERNAL size_t tw_csv_line(const tw_csv_table *t, size_t r, size_t c);

/* Find the first header field equal to `name`; true and *col set when found. */
TW_INTERNAL bool tw_csv_find_column(const tw_csv_table *t, const char *name, size_t *col);

/* A field made safe to quote in a one-line message: at most cap - 4 bytes of it, control
 * characters replaced by '?', "..." appended when cut. Writes buf[cap] (cap >= 8); returns
 * buf. */
TW_INTERNAL const char *tw_csv_excerpt(const char *field, char *buf, size_t cap);

/* ---- numbers ------------------------------------------------------------------------- */

/* Outcome of tw_csv_parse_double. */
typedef enum tw_csv_num {
    TW_CSV_NUM_OK = 0,    /* a finite number; *out set */
    TW_CSV_NUM_EMPTY,     /* "" : a missing cell */
    TW_CSV_NUM_INVALID,   /* not a decimal number (spaces, "1,5", "0x10", "n/a", ...) */
    TW_CSV_NUM_NONFINITE, /* "nan", "inf", "infinity" in any case, with a sign or not */
    TW_CSV_NUM_RANGE      /* a decimal number too large for a double (1e999) */
} tw_csv_num;

/*
 * Parse a field as a double, independently of the process locale. Accepted grammar (the whole
 * field, nothing before or after, no spaces): [+-]? (d+ [.d*] | .d+) ([eE] [+-]? d+)?.
 * The value is the correctly rounded double (strtod; the decimal point is always '.'); an
 * underflow to a subnormal or zero is accepted. *out is written only for TW_CSV_NUM_OK.
 */
TW_INTERNAL tw_csv_num tw_csv_parse_double(const char *field, double *out);

/* ---- writing -------------------------------------------------------------------------- */

/* Size of a buffer that holds any number formatted by tw_csv_format_double. */
#define TW_CSV_NUM_BUF 40

/*
 * Format x with the fewest significant digits (15, 16 or 17, as %.Ng) that read back to the
 * same double, with '.' as the decimal point whatever the locale, into buf[TW_CSV_NUM_BUF].
 * -0 is written "-0". NaN and infinities are written "nan", "inf", "-inf" (which the reader
 * rejects: callers must not write them). Returns the length.
 */
TW_INTERNAL size_t tw_csv_format_double(double x, char *buf);

/* True when `s` must be quoted in CSV: it holds a comma, a quote, CR or LF, starts or ends
 * with a space (kept verbatim by this reader, but trimmed by many others), or starts with a
 * UTF-8 byte-order mark (which the reader strips at the start of a file). An empty field that
 * is alone on its record must be written as "" by the record writer (a blank line is skipped
 * on reading); this function cannot know that and returns false for "". */
TW_INTERNAL bool tw_csv_needs_quotes(const char *s);

/* Write one cell to fp: text quoted when needed (RFC 4180, quotes doubled); a number as
 * tw_csv_format_double. They return 0, or EOF on a stream error (which also sets ferror). */
TW_INTERNAL int tw_csv_put_text(FILE *fp, const char *s);
TW_INTERNAL int tw_csv_put_double(FILE *fp, double x);

#endif
