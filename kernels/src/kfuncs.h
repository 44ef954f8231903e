/* SPDX-License-Identifier: MIT */
/* kfuncs.h - prototypes of one target's kernels (names carry the target suffix) */
#ifndef HPCK_KFUNCS_H
#define HPCK_KFUNCS_H

#include "internal.h"
#include "simd.h"

#define HPCK_KDECL(sfx, T)                                                                  \
	unsigned HPCK_FN(k_add_##sfx)(size_t, const void *, ptrdiff_t, const void *,        \
				      ptrdiff_t, void *, ptrdiff_t, unsigned);              \
	unsigned HPCK_FN(k_subtract_##sfx)(size_t, const void *, ptrdiff_t, const void *,   \
					   ptrdiff_t, void *, ptrdiff_t, unsigned);         \
	unsigned HPCK_FN(k_multiply_##sfx)(size_t, const void *, ptrdiff_t, const void *,   \
					   ptrdiff_t, void *, ptrdiff_t, unsigned);         \
	unsigned HPCK_FN(k_divide_##sfx)(size_t, const void *, ptrdiff_t, const void *,     \
					 ptrdiff_t, void *, ptrdiff_t, unsigned);           \
	unsigned HPCK_FN(k_fma_##sfx)(size_t, const void *, ptrdiff_t, const void *,        \
				      ptrdiff_t, const void *, ptrdiff_t, void *, ptrdiff_t, \
				      unsigned);                                            \
	unsigned HPCK_FN(k_negative_##sfx)(size_t, const void *, ptrdiff_t, void *,         \
					   ptrdiff_t, unsigned);                            \
	unsigned HPCK_FN(k_absolute_##sfx)(size_t, const void *, ptrdiff_t, void *,         \
					   ptrdiff_t, unsigned);                            \
	unsigned HPCK_FN(k_sqrt_##sfx)(size_t, const void *, ptrdiff_t, void *, ptrdiff_t,  \
				       unsigned);                                           \
	unsigned HPCK_FN(k_exp_##sfx)(size_t, const void *, ptrdiff_t, void *, ptrdiff_t,   \
				      unsigned);                                            \
	unsigned HPCK_FN(k_log_##sfx)(size_t, const void *, ptrdiff_t, void *, ptrdiff_t,   \
				      unsigned);                                            \
	T HPCK_FN(k_sum_##sfx)(size_t, const T *, ptrdiff_t);                               \
	T HPCK_FN(k_dot_##sfx)(size_t, const T *, ptrdiff_t, const T *, ptrdiff_t);         \
	T HPCK_FN(k_min_##sfx)(size_t, const T *, ptrdiff_t);                               \
	T HPCK_FN(k_max_##sfx)(size_t, const T *, ptrdiff_t);                               \
	size_t HPCK_FN(k_argmin_##sfx)(size_t, const T *, ptrdiff_t);                       \
	size_t HPCK_FN(k_argmax_##sfx)(size_t, const T *, ptrdiff_t);

HPCK_KDECL(f64, double)
HPCK_KDECL(f32, float)
struct hpck_ssq HPCK_FN(k_ssq_f64)(size_t, const double *, ptrdiff_t);
double HPCK_FN(k_ssq_f32)(size_t, const float *, ptrdiff_t);

#endif
