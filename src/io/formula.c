/* SPDX-License-Identifier: MIT */
/*
 * src/io/formula.c: recursive-descent parser of estimation formulas. See formula.h.
 *
 * The lexer works on the raw bytes and remembers the line and column of every token, so
 * each message points at the token it complains about. The grammar is flat (no nesting
 * beyond log(NAME)), so the parser is a handful of loops rather than a general grammar.
 */
#include "io/formula.h"

#include <stdio.h>
#include <string.h>

#include "core/alloc.h"

enum tok_kind { T_END, T_NAME, T_TILDE, T_PLUS, T_BAR, T_HAT, T_LPAREN, T_RPAREN, T_BAD };

struct tok {
    enum tok_kind kind;
    size_t start, len;   /* byte range in the text */
    size_t line, col;    /* 1-based position of the first byte */
};

struct parser {
    const char *text;
    size_t len, pos, line, line_start;
    const char *name;
    struct tok t;        /* current token */
    tw_err *err;
};

static bool name_start(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_' || c == '.';
}

static bool name_char(char c)
{
    return name_start(c) || (c >= '0' && c <= '9');
}

static void next(struct parser *p)
{
    while (p->pos < p->len) {
        char c = p->text[p->pos];
        if (c == '\n') {
            p->line++;
            p->line_start = p->pos + 1;
        } else if (c != ' ' && c != '\t' && c != '\r') {
            break;
        }
        p->pos++;
    }
    struct tok *t = &p->t;
    t->start = p->pos;
    t->line = p->line;
    t->col = p->pos - p->line_start + 1;
    t->len = 1;
    if (p->pos >= p->len) {
        t->kind = T_END;
        t->len = 0;
        return;
    }
    char c = p->text[p->pos];
    if (name_start(c)) {
        size_t e = p->pos + 1;
        while (e < p->len && name_char(p->text[e]))
            e++;
        t->kind = T_NAME;
        t->len = e - p->pos;
        p->pos = e;
        return;
    }
    switch (c) {
    case '~': t->kind = T_TILDE; break;
    case '+': t->kind = T_PLUS; break;
    case '|': t->kind = T_BAR; break;
    case '^': t->kind = T_HAT; break;
    case '(': t->kind = T_LPAREN; break;
    case ')': t->kind = T_RPAREN; break;
    default: t->kind = T_BAD; break;
    }
    p->pos++;
}

/* Error at the current token: "<name>:<line>:<col>: expected <what>, got '<token>'". */
static tw_status fail(struct parser *p, const char *what)
{
    char got[48];
    if (p->t.kind == T_END) {
        snprintf(got, sizeof got, "end of formula");
    } else {
        size_t n = p->t.len < 32 ? p->t.len : 32;
        char q[40];
        for (size_t i = 0; i < n; i++) {
            char c = p->text[p->t.start + i];
            q[i] = (c >= 32 && c < 127) ? c : '?';
        }
        q[n] = '\0';
        snprintf(got, sizeof got, "'%s%s'", q, p->t.len > n ? "..." : "");
    }
    return tw_err_set(p->err, TW_EPARSE, "%s:%zu:%zu: expected %s, got %s", p->name, p->t.line,
                      p->t.col, what, got);
}

static char *tok_dup(const struct parser *p, const struct tok *t)
{
    char *s = tw_malloc(t->len + 1);
    if (s) {
        memcpy(s, p->text + t->start, t->len);
        s[t->len] = '\0';
    }
    return s;
}

void tw_formula_free(tw_formula *f)
{
    if (f == NULL)
        return;
    tw_free(f->outcome);
    for (size_t k = 0; k < f->n_x; k++) {
        tw_free(f->x[k].var);
        tw_free(f->x[k].label);
    }
    tw_free(f->x);
    for (size_t g = 0; g < f->n_fe; g++) {
        for (size_t v = 0; v < f->fe[g].n_vars; v++)
            tw_free(f->fe[g].vars[v]);
        tw_free(f->fe[g].vars);
        tw_free(f->fe[g].label);
    }
    tw_free(f->fe);
    tw_free(f);
}

static tw_status nomem(struct parser *p)
{
    return tw_err_set(p->err, TW_ENOMEM, "%s: out of memory", p->name);
}

/* term := NAME | log( NAME ); appends to f->x. */
static tw_status parse_term(struct parser *p, tw_formula *f)
{
    if (p->t.kind != T_NAME)
        return fail(p, "a variable name");
    if (f->n_x >= TW_FORMULA_MAX_REGRESSORS)
        return tw_err_set(p->err, TW_EPARSE, "%s:%zu:%zu: more than %d regressors", p->name,
                          p->t.line, p->t.col, TW_FORMULA_MAX_REGRESSORS);
    struct tok first = p->t;
    next(p);
    tw_formula_term *term = &f->x[f->n_x];
    if (p->t.kind == T_LPAREN) {
        if (!(first.len == 3 && memcmp(p->text + first.start, "log", 3) == 0)) {
            p->t = first;
            return fail(p, "a variable name or log(NAME) (the only function)");
        }
        next(p);
        if (p->t.kind != T_NAME)
            return fail(p, "a variable name inside log()");
        struct tok var = p->t;
        next(p);
        if (p->t.kind != T_RPAREN)
            return fail(p, "')'");
        next(p);
        term->var = tok_dup(p, &var);
        term->fn = TW_FORMULA_LOG;
        term->label = tw_malloc(var.len + 6);
        if (term->var == NULL || term->label == NULL) {
            tw_free(term->var);
            tw_free(term->label);
            return nomem(p);
        }
        snprintf(term->label, var.len + 6, "log(%s)", term->var);
    } else {
        term->var = tok_dup(p, &first);
        term->label = tok_dup(p, &first);
        term->fn = TW_FORMULA_ID;
        if (term->var == NULL || term->label == NULL) {
            tw_free(term->var);
            tw_free(term->label);
            return nomem(p);
        }
    }
    for (size_t k = 0; k < f->n_x; k++)
        if (strcmp(f->x[k].label, term->label) == 0) {
            tw_status st = tw_err_set(p->err, TW_EPARSE, "%s:%zu:%zu: regressor '%s' appears twice",
                                      p->name, first.line, first.col, term->label);
            tw_free(term->var);
            tw_free(term->label);
            return st;
        }
    f->n_x++;
    return TW_OK;
}

/* fe := NAME ( ^ NAME )*; appends to f->fe. */
static tw_status parse_fe(struct parser *p, tw_formula *f)
{
    if (p->t.kind != T_NAME)
        return fail(p, "a fixed-effect variable name");
    if (f->n_fe >= TW_FORMULA_MAX_FE)
        return tw_err_set(p->err, TW_EPARSE, "%s:%zu:%zu: more than %d fixed-effect terms",
                          p->name, p->t.line, p->t.col, TW_FORMULA_MAX_FE);
    struct tok first = p->t;
    tw_formula_fe *fe = &f->fe[f->n_fe];
    fe->vars = tw_calloc(TW_FORMULA_MAX_INTERACT, sizeof *fe->vars);
    if (fe->vars == NULL)
        return nomem(p);
    size_t label_len = 0;
    tw_status st = TW_OK;
    for (;;) {
        if (p->t.kind != T_NAME) {
            st = fail(p, "a fixed-effect variable name after '^'");
            goto fail;
        }
        if (fe->n_vars >= TW_FORMULA_MAX_INTERACT) {
            st = tw_err_set(p->err, TW_EPARSE, "%s:%zu:%zu: more than %d variables in one "
                            "interaction", p->name, p->t.line, p->t.col, TW_FORMULA_MAX_INTERACT);
            goto fail;
        }
        fe->vars[fe->n_vars] = tok_dup(p, &p->t);
        if (fe->vars[fe->n_vars] == NULL) {
            st = nomem(p);
            goto fail;
        }
        label_len += p->t.len + 1;
        fe->n_vars++;
        next(p);
        if (p->t.kind != T_HAT)
            break;
        next(p);
    }
    fe->label = tw_malloc(label_len);
    if (fe->label == NULL) {
        st = nomem(p);
        goto fail;
    }
    fe->label[0] = '\0';
    for (size_t v = 0; v < fe->n_vars; v++) {
        if (v > 0)
            strcat(fe->label, "^");
        strcat(fe->label, fe->vars[v]);
    }
    for (size_t g = 0; g < f->n_fe; g++)
        if (strcmp(f->fe[g].label, fe->label) == 0) {
            st = tw_err_set(p->err, TW_EPARSE, "%s:%zu:%zu: fixed effect '%s' appears twice",
                            p->name, first.line, first.col, fe->label);
            goto fail;
        }
    f->n_fe++;
    return TW_OK;
fail:
    for (size_t v = 0; v < fe->n_vars; v++)
        tw_free(fe->vars[v]);
    tw_free(fe->vars);
    tw_free(fe->label);
    memset(fe, 0, sizeof *fe);
    return st;
}

tw_status tw_formula_parse(const char *text, size_t len, const char *name, tw_formula **out,
                           tw_err *err)
{
    if (out == NULL)
        return tw_err_set(err, TW_EINVAL, "formula: NULL output");
    *out = NULL;
    if (name == NULL)
        name = "formula";
    if (text == NULL)
        return tw_err_set(err, TW_EINVAL, "%s: NULL text", name);
    if (len > TW_FORMULA_MAX_LEN)
        return tw_err_set(err, TW_EPARSE, "%s: formula of %zu bytes exceeds the limit of %d",
                          name, len, TW_FORMULA_MAX_LEN);
    struct parser p = {.text = text, .len = len, .line = 1, .name = name, .err = err};
    tw_formula *f = tw_calloc(1, sizeof *f);
    if (f == NULL)
        return nomem(&p);
    f->x = tw_calloc(TW_FORMULA_MAX_REGRESSORS, sizeof *f->x);
    f->fe = tw_calloc(TW_FORMULA_MAX_FE, sizeof *f->fe);
    tw_status st = TW_OK;
    if (f->x == NULL || f->fe == NULL) {
        st = nomem(&p);
        goto done;
    }
    next(&p);
    if (p.t.kind != T_NAME) {
        st = fail(&p, "the outcome variable name");
        goto done;
    }
    f->outcome = tok_dup(&p, &p.t);
    if (f->outcome == NULL) {
        st = nomem(&p);
        goto done;
    }
    next(&p);
    if (p.t.kind != T_TILDE) {
        st = fail(&p, "'~' after the outcome");
        goto done;
    }
    next(&p);
    if ((st = parse_term(&p, f)) != TW_OK)
        goto done;
    while (p.t.kind == T_PLUS) {
        next(&p);
        if ((st = parse_term(&p, f)) != TW_OK)
            goto done;
    }
    if (p.t.kind == T_BAR) {
        next(&p);
        if ((st = parse_fe(&p, f)) != TW_OK)
            goto done;
        while (p.t.kind == T_PLUS) {
            next(&p);
            if ((st = parse_fe(&p, f)) != TW_OK)
                goto done;
        }
        if (p.t.kind != T_END)
            st = fail(&p, "'+', '^' or the end of the formula");
    } else if (p.t.kind != T_END) {
        st = fail(&p, "'+', '|' or the end of the formula");
    }
done:
    if (st != TW_OK) {
        tw_formula_free(f);
        return st;
    }
    *out = f;
    return TW_OK;
}
