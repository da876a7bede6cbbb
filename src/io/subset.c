/* SPDX-License-Identifier: MIT */
/*
 * src/io/subset.c: parse a subset expression into a small node array (recursive descent,
 * depth-capped) and evaluate it on every row of a CSV table. See subset.h.
 */
#include "io/subset.h"

#include <ctype.h>
#include <string.h>

#include "core/alloc.h"

enum node_kind { N_OR, N_AND, N_NOT, N_CMP };
enum op_kind { OP_EQ, OP_NE, OP_LT, OP_LE, OP_GT, OP_GE };
enum opd_kind { O_COL, O_NUM, O_STR };

struct operand {
    enum opd_kind kind;
    size_t col;       /* O_COL: column index */
    double num;       /* O_NUM */
    char *str;        /* O_STR: owned; O_COL: owned column name */
    size_t pos;       /* 1-based position in the expression */
};

struct node {
    enum node_kind kind;
    int a, b;         /* children (N_OR, N_AND: both; N_NOT: a) */
    enum op_kind op;  /* N_CMP */
    struct operand l, r;
};

struct parser {
    const char *s;
    size_t i, len;
    const tw_csv_table *t;
    struct node *nodes;
    size_t n_nodes, cap;
    tw_err *err;
};

static void skip_ws(struct parser *p)
{
    while (p->i < p->len && isspace((unsigned char)p->s[p->i]))
        p->i++;
}

static tw_status syntax(struct parser *p, const char *what)
{
    char got[24];
    if (p->i >= p->len)
        snprintf(got, sizeof got, "end of expression");
    else
        snprintf(got, sizeof got, "'%.8s'", p->s + p->i);
    return tw_err_set(p->err, TW_EPARSE, "subset:1:%zu: expected %s, got %s", p->i + 1, what,
                      got);
}

static int new_node(struct parser *p, enum node_kind k)
{
    if (p->n_nodes == p->cap) {
        size_t cap = p->cap ? 2 * p->cap : 16;
        struct node *nn = tw_malloc(cap * sizeof *nn);
        if (nn == NULL)
            return -1;
        if (p->nodes)
            memcpy(nn, p->nodes, p->n_nodes * sizeof *nn);
        tw_free(p->nodes);
        p->nodes = nn;
        p->cap = cap;
    }
    struct node *n = &p->nodes[p->n_nodes];
    memset(n, 0, sizeof *n);
    n->kind = k;
    n->a = n->b = -1;
    return (int)p->n_nodes++;
}

static tw_status parse_operand(struct parser *p, struct operand *o)
{
    skip_ws(p);
    o->pos = p->i + 1;
    if (p->i >= p->len)
        return syntax(p, "a column, number or quoted text");
    char c = p->s[p->i];
    if (c == '"' || c == '\'') {
        size_t j = p->i + 1;
        while (j < p->len && p->s[j] != c)
            j++;
        if (j >= p->len)
            return tw_err_set(p->err, TW_EPARSE, "subset:1:%zu: unterminated quoted text",
                              p->i + 1);
        o->kind = O_STR;
        o->str = tw_malloc(j - p->i);
        if (o->str == NULL)
            return tw_err_set(p->err, TW_ENOMEM, "subset: out of memory");
        memcpy(o->str, p->s + p->i + 1, j - p->i - 1);
        o->str[j - p->i - 1] = '\0';
        p->i = j + 1;
        return TW_OK;
    }
    if (isalpha((unsigned char)c) || c == '_' || c == '.') {
        size_t j = p->i;
        while (j < p->len && (isalnum((unsigned char)p->s[j]) || p->s[j] == '_' ||
                              p->s[j] == '.'))
            j++;
        /* ".5" is a number, not a name */
        if (!(c == '.' && j > p->i + 1 && isdigit((unsigned char)p->s[p->i + 1]))) {
            o->kind = O_COL;
            o->str = tw_malloc(j - p->i + 1);
            if (o->str == NULL)
                return tw_err_set(p->err, TW_ENOMEM, "subset: out of memory");
            memcpy(o->str, p->s + p->i, j - p->i);
            o->str[j - p->i] = '\0';
            if (!tw_csv_find_column(p->t, o->str, &o->col))
                return tw_err_set(p->err, TW_EINVAL, "subset:1:%zu: no column named '%s' in %s",
                                  p->i + 1, o->str, p->t->name);
            p->i = j;
            return TW_OK;
        }
    }
    if (isdigit((unsigned char)c) || c == '-' || c == '+' || c == '.') {
        size_t j = p->i + 1;
        while (j < p->len && (isalnum((unsigned char)p->s[j]) || p->s[j] == '.' ||
                              ((p->s[j] == '-' || p->s[j] == '+') &&
                               (p->s[j - 1] == 'e' || p->s[j - 1] == 'E'))))
            j++;
        char buf[64];
        if (j - p->i >= sizeof buf)
            return syntax(p, "a number");
        memcpy(buf, p->s + p->i, j - p->i);
        buf[j - p->i] = '\0';
        if (tw_csv_parse_double(buf, &o->num) != TW_CSV_NUM_OK)
            return syntax(p, "a number");
        o->kind = O_NUM;
        p->i = j;
        return TW_OK;
    }
    return syntax(p, "a column, number or quoted text");
}

static tw_status parse_or(struct parser *p, int *out, size_t depth);

static tw_status parse_unary(struct parser *p, int *out, size_t depth)
{
    if (depth > TW_SUBSET_MAX_DEPTH)
        return tw_err_set(p->err, TW_EPARSE, "subset:1:%zu: nesting deeper than %d", p->i + 1,
                          TW_SUBSET_MAX_DEPTH);
    skip_ws(p);
    tw_status st;
    if (p->i < p->len && p->s[p->i] == '!' && !(p->i + 1 < p->len && p->s[p->i + 1] == '=')) {
        p->i++;
        int a;
        if ((st = parse_unary(p, &a, depth + 1)) != TW_OK)
            return st;
        int n = new_node(p, N_NOT);
        if (n < 0)
            return tw_err_set(p->err, TW_ENOMEM, "subset: out of memory");
        p->nodes[n].a = a;
        *out = n;
        return TW_OK;
    }
    if (p->i < p->len && p->s[p->i] == '(') {
        p->i++;
        if ((st = parse_or(p, out, depth + 1)) != TW_OK)
            return st;
        skip_ws(p);
        if (p->i >= p->len || p->s[p->i] != ')')
            return syntax(p, "')'");
        p->i++;
        return TW_OK;
    }
    int n = new_node(p, N_CMP);
    if (n < 0)
        return tw_err_set(p->err, TW_ENOMEM, "subset: out of memory");
    *out = n;
    struct operand l = {0}, r = {0};
    st = parse_operand(p, &l);
    p->nodes[n].l = l;
    if (st != TW_OK)
        return st;
    skip_ws(p);
    static const struct { const char *s; enum op_kind op; } ops[] = {
        {"==", OP_EQ}, {"!=", OP_NE}, {"<=", OP_LE}, {">=", OP_GE}, {"<", OP_LT}, {">", OP_GT},
    };
    size_t q = 0, nops = sizeof ops / sizeof ops[0];
    for (; q < nops; q++) {
        size_t k = strlen(ops[q].s);
        if (p->i + k <= p->len && strncmp(p->s + p->i, ops[q].s, k) == 0)
            break;
    }
    if (q == nops)
        return syntax(p, "a comparison (==, !=, <, <=, >, >=)");
    p->nodes[n].op = ops[q].op;
    p->i += strlen(ops[q].s);
    st = parse_operand(p, &r);
    p->nodes[n].r = r;
    return st;
}

static tw_status parse_and(struct parser *p, int *out, size_t depth)
{
    tw_status st = parse_unary(p, out, depth);
    while (st == TW_OK) {
        skip_ws(p);
        if (p->i >= p->len || p->s[p->i] != '&')
            break;
        p->i += (p->i + 1 < p->len && p->s[p->i + 1] == '&') ? 2 : 1;
        int b;
        if ((st = parse_unary(p, &b, depth)) != TW_OK)
            break;
        int n = new_node(p, N_AND);
        if (n < 0)
            return tw_err_set(p->err, TW_ENOMEM, "subset: out of memory");
        p->nodes[n].a = *out;
        p->nodes[n].b = b;
        *out = n;
    }
    return st;
}

static tw_status parse_or(struct parser *p, int *out, size_t depth)
{
    tw_status st = parse_and(p, out, depth);
    while (st == TW_OK) {
        skip_ws(p);
        if (p->i >= p->len || p->s[p->i] != '|')
            break;
        p->i += (p->i + 1 < p->len && p->s[p->i + 1] == '|') ? 2 : 1;
        int b;
        if ((st = parse_and(p, &b, depth)) != TW_OK)
            break;
        int n = new_node(p, N_OR);
        if (n < 0)
            return tw_err_set(p->err, TW_ENOMEM, "subset: out of memory");
        p->nodes[n].a = *out;
        p->nodes[n].b = b;
        *out = n;
    }
    return st;
}

static bool compare_num(double a, double b, enum op_kind op)
{
    switch (op) {
    case OP_EQ: return a == b;
    case OP_NE: return a != b;
    case OP_LT: return a < b;
    case OP_LE: return a <= b;
    case OP_GT: return a > b;
    case OP_GE: return a >= b;
    }
    return false;
}

static bool compare_int(int c, enum op_kind op)
{
    return compare_num((double)c, 0.0, op);
}

/* The number in operand o for row r (a column cell must parse). */
static tw_status operand_num(const tw_csv_table *t, const struct operand *o, size_t r,
                             const struct operand *other, double *v, tw_err *err)
{
    if (o->kind == O_NUM) {
        *v = o->num;
        return TW_OK;
    }
    const char *f = tw_csv_field(t, r, o->col);
    if (tw_csv_parse_double(f, v) != TW_CSV_NUM_OK) {
        char ex[48];
        return tw_err_set(err, TW_EINVAL, "subset: %s:%zu:%zu: expected a number in column "
                          "'%s' (compared with %g at subset:1:%zu), got \"%s\"", t->name,
                          tw_csv_line(t, r, o->col), o->col + 1, o->str, other->num,
                          other->pos, tw_csv_excerpt(f, ex, sizeof ex));
    }
    return TW_OK;
}

static tw_status eval_cmp(const tw_csv_table *t, const struct node *n, size_t r, bool *res,
                          tw_err *err)
{
    const struct operand *l = &n->l, *rr = &n->r;
    bool numeric = l->kind == O_NUM || rr->kind == O_NUM;
    if (l->kind == O_COL && rr->kind == O_COL) {
        double a, b;
        numeric = tw_csv_parse_double(tw_csv_field(t, r, l->col), &a) == TW_CSV_NUM_OK &&
                  tw_csv_parse_double(tw_csv_field(t, r, rr->col), &b) == TW_CSV_NUM_OK;
    }
    if (numeric && (l->kind == O_STR || rr->kind == O_STR))
        numeric = false; /* number vs text: reported below */
    if (numeric) {
        double a, b;
        tw_status st;
        if ((st = operand_num(t, l, r, rr, &a, err)) != TW_OK ||
            (st = operand_num(t, rr, r, l, &b, err)) != TW_OK)
            return st;
        *res = compare_num(a, b, n->op);
        return TW_OK;
    }
    const char *a = l->kind == O_COL ? tw_csv_field(t, r, l->col) : l->str;
    const char *b = rr->kind == O_COL ? tw_csv_field(t, r, rr->col) : rr->str;
    if (l->kind == O_NUM || rr->kind == O_NUM)
        return tw_err_set(err, TW_EINVAL, "subset:1:%zu: cannot compare a number with quoted "
                          "text", l->pos);
    *res = compare_int(strcmp(a, b), n->op);
    return TW_OK;
}

static tw_status eval(const tw_csv_table *t, const struct node *nodes, int k, size_t r,
                      bool *res, tw_err *err)
{
    const struct node *n = &nodes[k];
    tw_status st;
    bool a;
    switch (n->kind) {
    case N_CMP:
        return eval_cmp(t, n, r, res, err);
    case N_NOT:
        if ((st = eval(t, nodes, n->a, r, &a, err)) != TW_OK)
            return st;
        *res = !a;
        return TW_OK;
    case N_AND:
    case N_OR:
        if ((st = eval(t, nodes, n->a, r, &a, err)) != TW_OK)
            return st;
        if (a == (n->kind == N_OR)) {
            *res = a;
            return TW_OK;
        }
        return eval(t, nodes, n->b, r, res, err);
    }
    return TW_EINTERNAL;
}

static void free_nodes(struct node *nodes, size_t n)
{
    for (size_t k = 0; k < n; k++) {
        if (nodes[k].kind != N_CMP)
            continue;
        tw_free(nodes[k].l.str);
        tw_free(nodes[k].r.str);
    }
    tw_free(nodes);
}

tw_status tw_subset_apply(tw_csv_table *t, const char *expr, size_t *n_kept, tw_err *err)
{
    size_t len = strlen(expr);
    if (len > TW_SUBSET_MAX_LEN)
        return tw_err_set(err, TW_EPARSE, "subset: expression longer than %d bytes",
                          TW_SUBSET_MAX_LEN);
    struct parser p = {.s = expr, .len = len, .t = t, .err = err};
    int root = -1;
    tw_status st = parse_or(&p, &root, 0);
    if (st == TW_OK) {
        skip_ws(&p);
        if (p.i < p.len)
            st = syntax(&p, p.nodes[root].kind == N_CMP ? "'&', '|' or the end"
                                                        : "'&', '|', ')' or the end");
    }
    size_t kept = 0;
    for (size_t r = 0; st == TW_OK && r < t->n_rows; r++) {
        bool keep = false;
        if ((st = eval(t, p.nodes, root, r, &keep, err)) != TW_OK)
            break;
        if (keep) {
            if (kept != r)
                memmove(t->cells + (kept + 1) * t->n_cols, t->cells + (r + 1) * t->n_cols,
                        t->n_cols * sizeof *t->cells);
            kept++;
        }
    }
    free_nodes(p.nodes, p.n_nodes);
    if (st != TW_OK)
        return st;
    if (kept == 0)
        return tw_err_set(err, TW_EINVAL, "subset: no row of %s satisfies '%s'", t->name, expr);
    t->n_rows = kept;
    *n_kept = kept;
    return TW_OK;
}
