/* SPDX-License-Identifier: MIT */
/*
 * src/io/csv.c: CSV reader on top of libcsv, locale-independent numbers, CSV cell writers.
 *
 * libcsv is a streaming parser that reports fields and record ends through callbacks but not
 * where they are. We recover 1-based line numbers by feeding it one physical line at a time
 * (a chunk ends right after LF, CRLF or a lone CR, or after CHUNK_MAX bytes of a long line):
 * a record can only end at a line break, so every record starts at the beginning of a chunk,
 * and a field starts on the line where the previous field ended (right after its comma).
 * Feeding bounded chunks also bounds libcsv's field buffer: after each chunk we check its
 * fill level against the field-length limit, so a 2 GiB field never gets buffered.
 *
 * libcsv keeps its own field buffer with plain realloc/free. We do not route it through
 * tw_malloc: libcsv retries a failed realloc with a smaller size, so an injected failure
 * would be absorbed silently and the fault-injection tests could not tell. That buffer is
 * bounded by max_field_len + CHUNK_MAX bytes.
 *
 * References: RFC 4180 (CSV); libcsv 3.0 manual (strict mode, callbacks).
 * Invariants: see csv.h. While parsing, p->t->off/line hold p->n_cells entries for the records
 * completed so far plus the fields of the current record.
 */
#define _XOPEN_SOURCE 700

#include "io/csv.h"

#include <csv.h>
#include <errno.h>
#include <fcntl.h>
#include <langinfo.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/alloc.h"

/* Longest piece of a line handed to libcsv at once (see the file comment). */
#define CHUNK_MAX ((size_t)64 * 1024)
/* Read size of the file reader. */
#define READ_BLOCK ((size_t)64 * 1024)
/* Inputs at least this large get their cell and text arrays sized once (presize). */
#define PRESIZE_MIN ((size_t)1 << 20)

void tw_csv_limits_init(tw_csv_limits *lim)
{
    lim->max_field_len = TW_CSV_MAX_FIELD_LEN;
    lim->max_columns = TW_CSV_MAX_COLUMNS;
    lim->max_rows = TW_CSV_MAX_ROWS;
    lim->max_file_size = TW_CSV_MAX_FILE_SIZE;
}

/* ---- growable arrays ---------------------------------------------------------------- */

/* Make room for `need` elements of `elem` bytes in *p (capacity *cap, `used` in use):
 * allocate a larger block, copy, free the old one. false on overflow or out of memory. */
static bool grow(void **p, size_t *cap, size_t used, size_t need, size_t elem)
{
    if (need <= *cap)
        return true;
    size_t cap2 = *cap ? *cap : 64;
    while (cap2 < need) {
        if (cap2 > SIZE_MAX / 2)
            return false;
        cap2 *= 2;
    }
    if (cap2 > SIZE_MAX / elem)
        return false;
    void *q = tw_malloc_big(cap2 * elem);
    if (q == NULL)
        return false;
    if (used)
        memcpy(q, *p, used * elem);
    tw_free(*p);
    *p = q;
    *cap = cap2;
    return true;
}

/* ---- parser state --------------------------------------------------------------------- */

struct parse {
    const tw_csv_limits *lim; /* borrowed */
    const char *name;         /* borrowed, for messages */
    tw_csv_table *t;          /* table being built */
    size_t cap_cells;         /* capacity of t->cells */
    size_t n_cells;           /* fields stored (all records) */
    size_t cap_text;          /* capacity of t->text */
    size_t n_text;            /* bytes used in t->text */
    size_t n_records;         /* completed records, header included */
    size_t line;              /* line of the chunk being fed */
    size_t field_line;        /* line where the current field starts */
    size_t record_line;       /* line where the current record starts */
    size_t n_fields;          /* fields of the current record seen so far */
    bool in_record;           /* a record has started and not ended */
    tw_status st;             /* first failure; callbacks do nothing once set */
    tw_err *err;
};

static void on_field(void *s, size_t len, void *data)
{
    struct parse *p = data;
    if (p->st != TW_OK)
        return;
    const char *f = s ? s : "";
    size_t col = p->n_fields + 1;
    if (len > p->lim->max_field_len) {
        p->st = tw_err_set(p->err, TW_EPARSE, "%s:%zu:%zu: field of %zu bytes, expected at "
                           "most %zu (TW_CSV_MAX_FIELD_LEN)", p->name, p->field_line, col, len,
                           p->lim->max_field_len);
        return;
    }
    if (len > 0 && memchr(f, '\0', len) != NULL) {
        p->st = tw_err_set(p->err, TW_EPARSE, "%s:%zu:%zu: NUL byte inside a field, expected "
                           "text", p->name, p->field_line, col);
        return;
    }
    if (col > p->lim->max_columns) {
        p->st = tw_err_set(p->err, TW_EPARSE, "%s:%zu:%zu: more than %zu fields in a record, "
                           "the limit (TW_CSV_MAX_COLUMNS)", p->name, p->record_line, col,
                           p->lim->max_columns);
        return;
    }
    tw_csv_table *t = p->t;
    if (!grow((void **)&t->cells, &p->cap_cells, p->n_cells, p->n_cells + 1,
              sizeof *t->cells) ||
        !grow((void **)&t->text, &p->cap_text, p->n_text, p->n_text + len + 1, 1)) {
        p->st = tw_err_set(p->err, TW_ENOMEM, "%s: out of memory", p->name);
        return;
    }
    memcpy(t->text + p->n_text, f, len);
    t->text[p->n_text + len] = '\0';
    t->cells[p->n_cells].off = p->n_text;
    t->cells[p->n_cells].line = p->field_line;
    p->n_text += len + 1;
    p->n_cells++;
    p->n_fields++;
    /* The next field starts right after this field's comma, on the current line. */
    p->field_line = p->line;
}

static void on_record(int c, void *data)
{
    (void)c;
    struct parse *p = data;
    p->in_record = false;
    if (p->st != TW_OK)
        return;
    tw_csv_table *t = p->t;
    if (p->n_records == 0) {
        t->n_cols = p->n_fields;
    } else if (p->n_fields != t->n_cols) {
        p->st = tw_err_set(p->err, TW_EPARSE, "%s:%zu: expected %zu field%s, found %zu",
                           p->name, p->record_line, t->n_cols, t->n_cols == 1 ? "" : "s",
                           p->n_fields);
        return;
    } else if (p->n_records > p->lim->max_rows) {
        p->st = tw_err_set(p->err, TW_EPARSE, "%s:%zu: more than %zu data rows, the limit "
                           "(TW_CSV_MAX_ROWS)", p->name, p->record_line, p->lim->max_rows);
        return;
    }
    p->n_records++;
    p->n_fields = 0;
}

/* Length of the chunk starting at buf[pos]: up to and including the next line break (LF,
 * CRLF or lone CR), at most CHUNK_MAX bytes. *ends_line tells whether it ends a line. */
static size_t next_chunk(const char *buf, size_t len, size_t pos, bool *ends_line)
{
    size_t end = pos, stop = len - pos > CHUNK_MAX ? pos + CHUNK_MAX : len;
    *ends_line = false;
    while (end < stop) {
        char ch = buf[end++];
        if (ch == '\n') {
            *ends_line = true;
            break;
        }
        if (ch == '\r') {
            if (end < len && buf[end] == '\n')
                end++;
            *ends_line = true;
            break;
        }
    }
    return end - pos;
}

static bool is_blank_chunk(const char *s, size_t n)
{
    for (size_t k = 0; k < n; k++)
        if (s[k] != '\r' && s[k] != '\n')
            return false;
    return true;
}

/* libcsv trims spaces and tabs around unquoted fields unless told that nothing is a space. */
static int no_space(unsigned char c)
{
    (void)c;
    return 0;
}

/*
 * Size the cell and text arrays of a large input once, from upper bounds, instead of
 * doubling them (each doubling copies everything so far and touches fresh pages): a field
 * ends at a comma, a line break or the end, so there are at most (commas + CR + LF + 1)
 * fields, and the text with one NUL per field is at most the input plus 2 bytes. Quoted
 * commas make the bound loose, never wrong. On allocation failure nothing is set and the
 * arrays grow as usual.
 */
static void presize(const char *s, size_t n, struct parse *p)
{
    size_t cells = 1;
    for (size_t k = 0; k < n; k++)
        cells += (size_t)((s[k] == ',') + (s[k] == '\n') + (s[k] == '\r'));
    if (cells > SIZE_MAX / sizeof *p->t->cells || n > SIZE_MAX - 2)
        return;
    struct tw_csv_cell *c = tw_malloc_big(cells * sizeof *c);
    char *text = tw_malloc_big(n + 2);
    if (c == NULL || text == NULL) {
        tw_free(c);
        tw_free(text);
        return;
    }
    p->t->cells = c;
    p->cap_cells = cells;
    p->t->text = text;
    p->cap_text = n + 2;
}

/* Feed buf[pos..len) to libcsv chunk by chunk, tracking lines; then finish the last record. */
static void parse_all(struct csv_parser *cp, const char *buf, size_t len, size_t pos,
                      struct parse *p)
{
    while (pos < len) {
        bool ends_line;
        size_t n = next_chunk(buf, len, pos, &ends_line);
        if (!p->in_record && !is_blank_chunk(buf + pos, n)) {
            p->in_record = true;
            p->record_line = p->field_line = p->line;
        }
        size_t done = csv_parse(cp, buf + pos, n, on_field, on_record, p);
        if (p->st != TW_OK)
            return;
        if (done < n) {
            if (csv_error(cp) == CSV_EPARSE)
                p->st = tw_err_set(p->err, TW_EPARSE, "%s:%zu:%zu: unexpected quote or text "
                                   "after a closing quote, expected a field either fully "
                                   "quoted (\"\" for a quote inside) or without quotes",
                                   p->name, p->line, p->n_fields + 1);
            else
                p->st = tw_err_set(p->err, TW_ENOMEM, "%s: out of memory", p->name);
            return;
        }
        if (cp->entry_pos > p->lim->max_field_len) {
            p->st = tw_err_set(p->err, TW_EPARSE, "%s:%zu:%zu: field longer than %zu bytes, "
                               "the limit (TW_CSV_MAX_FIELD_LEN)", p->name, p->field_line,
                               p->n_fields + 1, p->lim->max_field_len);
            return;
        }
        pos += n;
        if (ends_line)
            p->line++;
    }
    if (csv_fini(cp, on_field, on_record, p) != 0 && p->st == TW_OK)
        p->st = tw_err_set(p->err, TW_EPARSE, "%s:%zu:%zu: quoted field not closed at end of "
                           "input, expected a closing quote", p->name, p->field_line,
                           p->n_fields + 1);
}

/* ---- reading -------------------------------------------------------------------------- */

tw_status tw_csv_read_buf_limits(const char *buf, size_t len, const char *name,
                                 const tw_csv_limits *lim, tw_csv_table **out, tw_err *err)
{
    if (out == NULL)
        return tw_err_set(err, TW_EINVAL, "csv: out is NULL");
    *out = NULL;
    if ((buf == NULL && len > 0) || name == NULL)
        return tw_err_set(err, TW_EINVAL, "csv: buffer and name are required");
    tw_csv_limits dflt;
    if (lim == NULL) {
        tw_csv_limits_init(&dflt);
        lim = &dflt;
    }
    if (len > lim->max_file_size)
        return tw_err_set(err, TW_EIO, "%s: input of %zu bytes, expected at most %zu "
                          "(TW_CSV_MAX_FILE_SIZE)", name, len, lim->max_file_size);

    struct csv_parser cp;
    bool cp_live = false;
    struct parse p = {0};
    p.lim = lim;
    p.name = name;
    p.line = 1;
    p.err = err;
    p.t = tw_calloc(1, sizeof *p.t);
    if (p.t == NULL || (p.t->name = tw_strdup(name)) == NULL) {
        p.st = tw_err_set(err, TW_ENOMEM, "%s: out of memory", name);
        goto done;
    }
    if (csv_init(&cp, CSV_STRICT | CSV_STRICT_FINI) != 0) {
        p.st = tw_err_set(err, TW_ENOMEM, "%s: out of memory", name);
        goto done;
    }
    cp_live = true;
    csv_set_space_func(&cp, no_space);

    size_t pos = len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
    if (len - pos >= PRESIZE_MIN)
        presize(buf + pos, len - pos, &p);
    parse_all(&cp, buf, len, pos, &p);
    if (p.st == TW_OK && p.n_records == 0)
        p.st = tw_err_set(err, TW_EPARSE, "%s: empty input, expected a header line", name);
    if (p.st == TW_OK)
        p.t->n_rows = p.n_records - 1;
done:
    if (cp_live)
        csv_free(&cp);
    if (p.st != TW_OK) {
        tw_csv_free(p.t);
        return p.st;
    }
    *out = p.t;
    return TW_OK;
}

tw_status tw_csv_read_buf(const char *buf, size_t len, const char *name, tw_csv_table **out,
                          tw_err *err)
{
    return tw_csv_read_buf_limits(buf, len, name, NULL, out, err);
}

void tw_csv_free(tw_csv_table *t)
{
    if (t == NULL)
        return;
    tw_free(t->name);
    tw_free(t->text);
    tw_free(t->cells);
    tw_free(t);
}

/* An errno value as text, thread-safely (XSI strerror_r). */
static const char *errno_text(int e, char *buf, size_t cap)
{
    if (strerror_r(e, buf, cap) != 0)
        snprintf(buf, cap, "error %d", e);
    return buf;
}

/* Read all of rd into a new NUL-terminated buffer; `hint` is the expected size (0: unknown).
 * With `stop_at_nul`, reading stops after the first chunk that holds a NUL byte: a CSV with a
 * NUL is an error whatever follows (the parser reports it with its line and column), and
 * without this an endless stream of binary data (`--scenario /dev/zero`, a pipe from the
 * wrong program) would be read up to max_size, 2 GiB by default, before failing. */
static tw_status slurp(const tw_csv_reader *rd, const char *name, size_t max_size, size_t hint,
                       bool stop_at_nul, char **out_buf, size_t *out_len, tw_err *err)
{
    *out_buf = NULL;
    *out_len = 0;
    /* Reading one byte past the limit is how an oversized input is noticed. */
    size_t stop = max_size < SIZE_MAX - 1 ? max_size + 1 : SIZE_MAX - 1;
    /* Room for the expected bytes, the NUL and one more byte, so that the read that finds
     * the end of the file needs no growth. */
    size_t cap = (hint < stop ? hint : stop) + 2, used = 0;
    if (cap < 4096)
        cap = 4096;
    char *buf = tw_malloc_big(cap);
    tw_status st = TW_OK;
    if (buf == NULL) {
        st = tw_err_set(err, TW_ENOMEM, "%s: out of memory", name);
        goto done;
    }
    for (;;) {
        if (used + 1 >= cap && !grow((void **)&buf, &cap, used, cap + 1, 1)) {
            st = tw_err_set(err, TW_ENOMEM, "%s: out of memory", name);
            goto done;
        }
        size_t want = cap - 1 - used;
        if (want > stop - used)
            want = stop - used;
        size_t got = 0;
        int e = rd->read(rd->ctx, buf + used, want, &got);
        if (e != 0) {
            char msg[128];
            st = tw_err_set(err, TW_EIO, "%s: cannot read: %s", name,
                            errno_text(e, msg, sizeof msg));
            goto done;
        }
        if (got > want) {
            st = tw_err_set(err, TW_EIO, "%s: reader returned %zu bytes for a %zu-byte buffer",
                            name, got, want);
            goto done;
        }
        if (got == 0)
            break;
        used += got;
        if (stop_at_nul && memchr(buf + used - got, '\0', got) != NULL)
            break;
        if (used > max_size) {
            st = tw_err_set(err, TW_EIO, "%s: larger than %zu bytes, the limit "
                            "(TW_CSV_MAX_FILE_SIZE)", name, max_size);
            goto done;
        }
    }
    buf[used] = '\0';
done:
    if (st != TW_OK) {
        tw_free(buf);
        return st;
    }
    *out_buf = buf;
    *out_len = used;
    return TW_OK;
}

tw_status tw_csv_slurp(const tw_csv_reader *rd, const char *name, size_t max_size,
                       char **out_buf, size_t *out_len, tw_err *err)
{
    if (out_buf == NULL || out_len == NULL)
        return tw_err_set(err, TW_EINVAL, "csv: outputs are NULL");
    *out_buf = NULL;
    *out_len = 0;
    if (rd == NULL || rd->read == NULL || name == NULL)
        return tw_err_set(err, TW_EINVAL, "csv: reader and name are required");
    return slurp(rd, name, max_size, 0, false, out_buf, out_len, err);
}

static tw_status read_stream_hint(const tw_csv_reader *rd, const char *name,
                                  const tw_csv_limits *lim, size_t hint, tw_csv_table **out,
                                  tw_err *err)
{
    tw_csv_limits dflt;
    if (lim == NULL) {
        tw_csv_limits_init(&dflt);
        lim = &dflt;
    }
    char *buf = NULL;
    size_t len = 0;
    tw_status st = slurp(rd, name, lim->max_file_size, hint, true, &buf, &len, err);
    if (st == TW_OK)
        st = tw_csv_read_buf_limits(buf, len, name, lim, out, err);
    tw_free(buf);
    return st;
}

tw_status tw_csv_read_stream(const tw_csv_reader *rd, const char *name, const tw_csv_limits *lim,
                             tw_csv_table **out, tw_err *err)
{
    if (out == NULL)
        return tw_err_set(err, TW_EINVAL, "csv: out is NULL");
    *out = NULL;
    if (rd == NULL || rd->read == NULL || name == NULL)
        return tw_err_set(err, TW_EINVAL, "csv: reader and name are required");
    return read_stream_hint(rd, name, lim, 0, out, err);
}

/* The reader over a file descriptor: ctx points to the int fd. */
static int fd_read(void *ctx, char *buf, size_t cap, size_t *got)
{
    int fd = *(int *)ctx;
    for (;;) {
        ssize_t n = read(fd, buf, cap);
        if (n >= 0) {
            *got = (size_t)n;
            return 0;
        }
        if (errno != EINTR)
            return errno;
    }
}

tw_status tw_csv_read_file_limits(const char *path, const tw_csv_limits *lim,
                                  tw_csv_table **out, tw_err *err)
{
    if (out == NULL)
        return tw_err_set(err, TW_EINVAL, "csv: out is NULL");
    *out = NULL;
    if (path == NULL)
        return tw_err_set(err, TW_EINVAL, "csv: path is NULL");
    char msg[128];
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return tw_err_set(err, TW_EIO, "%s: cannot open: %s", path,
                          errno_text(errno, msg, sizeof msg));
    tw_status st;
    struct stat sb;
    if (fstat(fd, &sb) != 0) {
        st = tw_err_set(err, TW_EIO, "%s: cannot stat: %s", path,
                        errno_text(errno, msg, sizeof msg));
        goto done;
    }
    if (S_ISDIR(sb.st_mode)) {
        st = tw_err_set(err, TW_EIO, "%s: is a directory, expected a CSV file", path);
        goto done;
    }
    size_t hint = S_ISREG(sb.st_mode) && sb.st_size > 0 && (uintmax_t)sb.st_size < SIZE_MAX
                      ? (size_t)sb.st_size
                      : 0;
    tw_csv_limits dflt;
    if (lim == NULL) {
        tw_csv_limits_init(&dflt);
        lim = &dflt;
    }
    /* A regular file's size is known: refuse an oversized one before reading it. Other files
     * (pipes) are caught while reading. */
    if (hint > lim->max_file_size) {
        st = tw_err_set(err, TW_EIO, "%s: larger than %zu bytes, the limit "
                        "(TW_CSV_MAX_FILE_SIZE)", path, lim->max_file_size);
        goto done;
    }
    tw_csv_reader rd = {fd_read, &fd};
    st = read_stream_hint(&rd, path, lim, hint, out, err);
done:
    close(fd);
    return st;
}

tw_status tw_csv_read_file(const char *path, tw_csv_table **out, tw_err *err)
{
    return tw_csv_read_file_limits(path, NULL, out, err);
}

/* ---- accessors ------------------------------------------------------------------------ */

const char *tw_csv_header(const tw_csv_table *t, size_t c)
{
    TW_ASSERT(c < t->n_cols);
    return t->text + t->cells[c].off;
}

size_t tw_csv_header_line(const tw_csv_table *t) { return t->cells[0].line; }

const char *tw_csv_field(const tw_csv_table *t, size_t r, size_t c)
{
    TW_ASSERT(r < t->n_rows && c < t->n_cols);
    return t->text + t->cells[(r + 1) * t->n_cols + c].off;
}

size_t tw_csv_line(const tw_csv_table *t, size_t r, size_t c)
{
    TW_ASSERT(r < t->n_rows && c < t->n_cols);
    return t->cells[(r + 1) * t->n_cols + c].line;
}

bool tw_csv_find_column(const tw_csv_table *t, const char *name, size_t *col)
{
    for (size_t c = 0; c < t->n_cols; c++)
        if (strcmp(tw_csv_header(t, c), name) == 0) {
            *col = c;
            return true;
        }
    return false;
}

const char *tw_csv_excerpt(const char *field, char *buf, size_t cap)
{
    size_t k = 0, keep = cap - 4;
    for (; field[k] != '\0' && k < keep; k++) {
        unsigned char ch = (unsigned char)field[k];
        buf[k] = ch < 0x20 || ch == 0x7f ? '?' : (char)ch;
    }
    if (field[k] != '\0')
        memcpy(buf + k, "...", 3), k += 3;
    buf[k] = '\0';
    return buf;
}

/* ---- numbers ---------------------------------------------------------------------------- */

static bool is_digit(char c) { return c >= '0' && c <= '9'; }

static char lower(char c) { return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c; }

/* Case-insensitive equality with a lower-case ASCII word. */
static bool equals_word(const char *s, const char *word)
{
    while (*word != '\0')
        if (lower(*s++) != *word++)
            return false;
    return *s == '\0';
}

/* "nan", "nan(...)", "inf", "infinity" in any case (the sign already skipped). */
static bool is_nonfinite_word(const char *s)
{
    if (equals_word(s, "nan") || equals_word(s, "inf") || equals_word(s, "infinity"))
        return true;
    if (lower(s[0]) == 'n' && lower(s[1]) == 'a' && lower(s[2]) == 'n' && s[3] == '(') {
        size_t n = strlen(s);
        return s[n - 1] == ')';
    }
    return false;
}

/* The decimal point of the current LC_NUMERIC locale ("." in the C locale). */
static const char *locale_radix(void)
{
    const char *r = nl_langinfo(RADIXCHAR);
    return r != NULL && r[0] != '\0' ? r : ".";
}

/* strtod of a string that matches the decimal grammar, with '.' as its decimal point, whatever
 * the locale. false when the string is too long to translate (only in a non-'.' locale). */
static bool strtod_c(const char *s, double *v, int *e)
{
    const char *radix = locale_radix();
    const char *dot = strchr(s, '.');
    errno = 0;
    if (dot == NULL || strcmp(radix, ".") == 0) {
        *v = strtod(s, NULL);
        *e = errno;
        return true;
    }
    char tmp[TW_CSV_MAX_FIELD_LEN + 16];
    size_t head = (size_t)(dot - s), rl = strlen(radix), tail = strlen(dot + 1);
    if (head + rl + tail + 1 > sizeof tmp)
        return false;
    memcpy(tmp, s, head);
    memcpy(tmp + head, radix, rl);
    memcpy(tmp + head + rl, dot + 1, tail + 1);
    *v = strtod(tmp, NULL);
    *e = errno;
    return true;
}

tw_csv_num tw_csv_parse_double(const char *field, double *out)
{
    if (field == NULL || field[0] == '\0')
        return TW_CSV_NUM_EMPTY;
    const char *s = field;
    if (*s == '+' || *s == '-')
        s++;
    if (is_nonfinite_word(s))
        return TW_CSV_NUM_NONFINITE;
    size_t digits = 0;
    while (is_digit(*s))
        s++, digits++;
    if (*s == '.') {
        s++;
        while (is_digit(*s))
            s++, digits++;
    }
    if (digits == 0)
        return TW_CSV_NUM_INVALID;
    if (*s == 'e' || *s == 'E') {
        s++;
        if (*s == '+' || *s == '-')
            s++;
        size_t exp_digits = 0;
        while (is_digit(*s))
            s++, exp_digits++;
        if (exp_digits == 0)
            return TW_CSV_NUM_INVALID;
    }
    if (*s != '\0')
        return TW_CSV_NUM_INVALID;
    double v;
    int e;
    if (!strtod_c(field, &v, &e))
        return TW_CSV_NUM_INVALID;
    /* ERANGE on underflow still gives the correctly rounded subnormal or zero: accept it. */
    if (!isfinite(v) || (e == ERANGE && fabs(v) > 1.0))
        return TW_CSV_NUM_RANGE;
    *out = v;
    return TW_CSV_NUM_OK;
}

/* ---- writing ---------------------------------------------------------------------------- */

/* Replace the locale's decimal point in buf by '.', in place. */
static void fix_radix(char *buf)
{
    const char *radix = locale_radix();
    if (strcmp(radix, ".") == 0)
        return;
    char *at = strstr(buf, radix);
    if (at == NULL)
        return;
    size_t rl = strlen(radix);
    *at = '.';
    memmove(at + 1, at + rl, strlen(at + rl) + 1);
}

size_t tw_csv_format_double(double x, char *buf)
{
    if (isnan(x)) {
        memcpy(buf, "nan", 4);
        return 3;
    }
    if (isinf(x)) {
        const char *s = x > 0 ? "inf" : "-inf";
        memcpy(buf, s, strlen(s) + 1);
        return strlen(s);
    }
    for (int prec = 15; prec <= 17; prec++) {
        snprintf(buf, TW_CSV_NUM_BUF, "%.*g", prec, x);
        fix_radix(buf);
        double y;
        if (prec == 17 || (tw_csv_parse_double(buf, &y) == TW_CSV_NUM_OK && y == x))
            break;
    }
    return strlen(buf);
}

/* Also quoted: a field starting with a UTF-8 byte-order mark, which the reader would skip if
 * the field came first in the file (tests/fuzz/regressions/csv-roundtrip-bom-*.csv). */
bool tw_csv_needs_quotes(const char *s)
{
    size_t n = strlen(s);
    return strpbrk(s, ",\"\r\n") != NULL || (n > 0 && (s[0] == ' ' || s[n - 1] == ' ')) ||
           strncmp(s, "\xEF\xBB\xBF", 3) == 0;
}

int tw_csv_put_text(FILE *fp, const char *s)
{
    if (!tw_csv_needs_quotes(s))
        return fputs(s, fp) < 0 ? EOF : 0;
    if (putc('"', fp) == EOF)
        return EOF;
    for (; *s != '\0'; s++) {
        if (*s == '"' && putc('"', fp) == EOF)
            return EOF;
        if (putc(*s, fp) == EOF)
            return EOF;
    }
    return putc('"', fp) == EOF ? EOF : 0;
}

int tw_csv_put_double(FILE *fp, double x)
{
    char buf[TW_CSV_NUM_BUF];
    tw_csv_format_double(x, buf);
    return fputs(buf, fp) < 0 ? EOF : 0;
}
