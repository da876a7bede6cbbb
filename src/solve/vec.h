/* SPDX-License-Identifier: MIT */
/*
 * src/solve/vec.h: the two dense vector kernels every numerical loop of tradewar is written
 * in, defined once here (STYLE.md: no duplicated numerical kernels).
 *
 * Both are deterministic: the same inputs give the same bits on every machine and at every
 * vector width, because neither reassociates a sum. tw_vec_axpy updates each element
 * independently (it vectorises as is); tw_vec_dot keeps four partial sums combined in a
 * fixed order (four dependency chains instead of one, the same order everywhere).
 */
#ifndef TW_SOLVE_VEC_H
#define TW_SOLVE_VEC_H

#include <stddef.h>

/* y[0..n) += a * x[0..n). */
static inline void tw_vec_axpy(size_t n, double a, const double *restrict x, double *restrict y)
{
    for (size_t k = 0; k < n; k++)
        y[k] += a * x[k];
}

/* sum_k x[k] y[k], with four partial sums combined as (s0 + s1) + (s2 + s3). */
static inline double tw_vec_dot(const double *x, const double *y, size_t n)
{
    double s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0;
    size_t i = 0;
    for (; i + 4 <= n; i += 4) {
        s0 += x[i] * y[i];
        s1 += x[i + 1] * y[i + 1];
        s2 += x[i + 2] * y[i + 2];
        s3 += x[i + 3] * y[i + 3];
    }
    for (; i < n; i++)
        s0 += x[i] * y[i];
    return (s0 + s1) + (s2 + s3);
}

#endif
