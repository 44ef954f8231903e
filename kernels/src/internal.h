/* SPDX-License-Identifier: MIT */
/* internal.h - what the dispatcher, the thread pool and the per-target kernels share */
#ifndef HPCK_INTERNAL_H
#define HPCK_INTERNAL_H

#include <stddef.h>

enum hpck_dtype { HPCK_F64, HPCK_F32, HPCK_NDT };
enum hpck_binop { HPCK_ADD, HPCK_SUB, HPCK_MUL, HPCK_DIV, HPCK_NBIN };
enum hpck_unop { HPCK_NEG, HPCK_ABS, HPCK_SQRT, HPCK_EXP, HPCK_LOG, HPCK_NUN };
enum hpck_extreme { HPCK_MIN, HPCK_MAX };

/* Kernel flags: write the output with non-temporal stores (huge arrays); the caller's
 * floating-point mode is IEEE round-to-nearest without flush-to-zero/denormals-are-zero
 * (what results computed other than by the one IEEE instruction are verified for). */
#define HPCK_K_STREAM 1u
#define HPCK_K_RNE 2u

/* Blue's scaled sum of squares: sums of (x * scale)^2 for huge, ordinary and tiny |x|. */
struct hpck_ssq {
	double big, mid, small;
};

/*
 * One target's kernels. Elementwise kernels take strides in elements and the
 * HPCK_K_* flags, and return the exceptions they detect themselves (exp, log); IEEE
 * arithmetic leaves its exceptions in the hardware flags instead. Reductions handle
 * any n >= 1 (n >= 0 for sums) and are deterministic functions of their input.
 */
struct hpck_isa {
	const char *name;
	unsigned (*binary[HPCK_NBIN][HPCK_NDT])(size_t n, const void *a, ptrdiff_t sa,
						const void *b, ptrdiff_t sb, void *y,
						ptrdiff_t sy, unsigned kf);
	unsigned (*fma[HPCK_NDT])(size_t n, const void *a, ptrdiff_t sa, const void *b,
				  ptrdiff_t sb, const void *c, ptrdiff_t sc, void *y,
				  ptrdiff_t sy, unsigned kf);
	unsigned (*unary[HPCK_NUN][HPCK_NDT])(size_t n, const void *x, ptrdiff_t sx, void *y,
					      ptrdiff_t sy, unsigned kf);
	double (*sum_f64)(size_t n, const double *x, ptrdiff_t sx);
	float (*sum_f32)(size_t n, const float *x, ptrdiff_t sx);
	double (*dot_f64)(size_t n, const double *x, ptrdiff_t sx, const double *y,
			  ptrdiff_t sy);
	float (*dot_f32)(size_t n, const float *x, ptrdiff_t sx, const float *y, ptrdiff_t sy);
	struct hpck_ssq (*ssq_f64)(size_t n, const double *x, ptrdiff_t sx);
	double (*ssq_f32)(size_t n, const float *x, ptrdiff_t sx);
	double (*extreme_f64[2])(size_t n, const double *x, ptrdiff_t sx);
	float (*extreme_f32[2])(size_t n, const float *x, ptrdiff_t sx);
	size_t (*argextreme_f64[2])(size_t n, const double *x, ptrdiff_t sx);
	size_t (*argextreme_f32[2])(size_t n, const float *x, ptrdiff_t sx);
};

extern const struct hpck_isa hpck_isa_generic;
#if defined(__x86_64__) || defined(__i386__)
#define HPCK_X86 1
extern const struct hpck_isa hpck_isa_sse2, hpck_isa_avx2, hpck_isa_avx512;
#endif

/* Blue's constants (LAPACK dnrm2): |x| above BIG or below SMALL is scaled by SBIG/SSMALL. */
#define HPCK_BLUE_BIG 0x1p+486
#define HPCK_BLUE_SMALL 0x1p-511
#define HPCK_BLUE_SBIG 0x1p-538
#define HPCK_BLUE_SSMALL 0x1p+537

/* The target in use (chosen once, at load). */
const struct hpck_isa *hpck_isa(void);

/* ---- thread pool (pool.c) ---- */
/* Run fn(ctx, i) for every i in [0, nchunks), on up to `threads` threads including the
 * caller, in any order; returns the hardware floating-point exceptions (HPCK_FE_*)
 * raised by any of the calls. Runs everything on the caller when the pool is busy. */
int hpck_parallel(size_t nchunks, int threads, void (*fn)(void *ctx, size_t i), void *ctx);
/* Split a short job (a few tens of microseconds)? Only when a worker is spinning and
 * recent jobs had its help; otherwise the caller keeps it, then calls
 * hpck_pool_ran_short() so workers keep spinning through a run of short jobs. */
int hpck_pool_split_short(void);
void hpck_pool_ran_short(void);
/* Clear / read this thread's hardware exception flags as HPCK_FE_* bits. */
void hpck_fe_clear(void);
int hpck_fe_test(void);
/* This thread rounds to nearest, without flush-to-zero or denormals-are-zero. */
int hpck_fp_mode_rne(void);

#endif
