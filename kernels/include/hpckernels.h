/* SPDX-License-Identifier: MIT */
/* hpckernels.h - libhpckernels: NumPy-style float32/float64 kernels with runtime CPU dispatch
 *
 * Every operation exists for float64 (_f64) and float32 (_f32). Arrays are given as a
 * pointer, an element count n and a stride in ELEMENTS (not bytes): stride 1 is
 * contiguous, 0 repeats one element (a broadcast scalar), negative strides walk backwards
 * from the pointer (x[i * stride] for i in 0..n-1). Pointers must be aligned to their
 * element type.
 *
 * Elementwise operations write y[i * sy]. The output may be exactly an input (same
 * pointer and stride, "in place"); any other overlap between the output and an input
 * is undefined (the Python extension copies such inputs first, as numpy does).
 * They return the floating-point exceptions the operation raised, as numpy would report
 * them (HPCK_FE_* bits, 0 for none); the calling thread's own status flags are left
 * unspecified.
 *
 * The implementation (SSE2, AVX2+FMA or AVX-512 F/VL/DQ/BW on x86-64, portable C
 * elsewhere) is chosen once, when the library is loaded, from cpuid and xgetbv.
 * HPCKERN_DISABLE=avx512,avx2,sse2 (any subset) removes paths from the choice.
 * Large arrays are split over a pool of threads (HPCKERN_NUM_THREADS, else the CPU
 * affinity mask); every result, reductions included, is bit-identical whatever the
 * thread count. All functions are thread-safe.
 */
#ifndef HPCKERNELS_H
#define HPCKERNELS_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#define HPCK_VERSION "0.1.0"

/* Floating-point exceptions, with numpy's values (UFUNC_FPE_*). */
#define HPCK_FE_DIVBYZERO 1
#define HPCK_FE_OVERFLOW 2
#define HPCK_FE_UNDERFLOW 4
#define HPCK_FE_INVALID 8

/* The implementation in use: "avx512", "avx2", "sse2" or "generic" (static string). */
const char *hpck_dispatch_path(void);
/* What the CPU and OS support, best first, comma-separated (static string), e.g.
 * "avx512,avx2,sse2,generic": the paths HPCKERN_DISABLE can choose between. */
const char *hpck_supported_paths(void);
/* Threads used for large arrays. hpck_set_num_threads(n <= 0) restores the default. */
int hpck_num_threads(void);
void hpck_set_num_threads(int n);

/* ---- elementwise: y = a OP b ---- */
int hpck_add_f64(size_t n, const double *a, ptrdiff_t sa, const double *b, ptrdiff_t sb,
		 double *y, ptrdiff_t sy);
int hpck_subtract_f64(size_t n, const double *a, ptrdiff_t sa, const double *b, ptrdiff_t sb,
		      double *y, ptrdiff_t sy);
int hpck_multiply_f64(size_t n, const double *a, ptrdiff_t sa, const double *b, ptrdiff_t sb,
		      double *y, ptrdiff_t sy);
int hpck_divide_f64(size_t n, const double *a, ptrdiff_t sa, const double *b, ptrdiff_t sb,
		    double *y, ptrdiff_t sy);
int hpck_add_f32(size_t n, const float *a, ptrdiff_t sa, const float *b, ptrdiff_t sb,
		 float *y, ptrdiff_t sy);
int hpck_subtract_f32(size_t n, const float *a, ptrdiff_t sa, const float *b, ptrdiff_t sb,
		      float *y, ptrdiff_t sy);
int hpck_multiply_f32(size_t n, const float *a, ptrdiff_t sa, const float *b, ptrdiff_t sb,
		      float *y, ptrdiff_t sy);
int hpck_divide_f32(size_t n, const float *a, ptrdiff_t sa, const float *b, ptrdiff_t sb,
		    float *y, ptrdiff_t sy);

/* y = a * b + c with a single rounding (a true fused multiply-add on every path). */
int hpck_fma_f64(size_t n, const double *a, ptrdiff_t sa, const double *b, ptrdiff_t sb,
		 const double *c, ptrdiff_t sc, double *y, ptrdiff_t sy);
int hpck_fma_f32(size_t n, const float *a, ptrdiff_t sa, const float *b, ptrdiff_t sb,
		 const float *c, ptrdiff_t sc, float *y, ptrdiff_t sy);
/* BLAS axpy: y += alpha * x, fused (y = fma(alpha, x, y)). */
int hpck_axpy_f64(size_t n, double alpha, const double *x, ptrdiff_t sx, double *y,
		  ptrdiff_t sy);
int hpck_axpy_f32(size_t n, float alpha, const float *x, ptrdiff_t sx, float *y,
		  ptrdiff_t sy);

/* ---- elementwise: y = f(x) ----
 * negative and absolute only flip/clear the sign bit (NaN payloads kept, as numpy).
 * sqrt is IEEE (correctly rounded). exp and log are ours: max error see docs/kernels.md
 * (float64 below 1 ULP, float32 below 1 ULP), special values and exceptions as numpy. */
int hpck_negative_f64(size_t n, const double *x, ptrdiff_t sx, double *y, ptrdiff_t sy);
int hpck_absolute_f64(size_t n, const double *x, ptrdiff_t sx, double *y, ptrdiff_t sy);
int hpck_sqrt_f64(size_t n, const double *x, ptrdiff_t sx, double *y, ptrdiff_t sy);
int hpck_exp_f64(size_t n, const double *x, ptrdiff_t sx, double *y, ptrdiff_t sy);
int hpck_log_f64(size_t n, const double *x, ptrdiff_t sx, double *y, ptrdiff_t sy);
int hpck_negative_f32(size_t n, const float *x, ptrdiff_t sx, float *y, ptrdiff_t sy);
int hpck_absolute_f32(size_t n, const float *x, ptrdiff_t sx, float *y, ptrdiff_t sy);
int hpck_sqrt_f32(size_t n, const float *x, ptrdiff_t sx, float *y, ptrdiff_t sy);
int hpck_exp_f32(size_t n, const float *x, ptrdiff_t sx, float *y, ptrdiff_t sy);
int hpck_log_f32(size_t n, const float *x, ptrdiff_t sx, float *y, ptrdiff_t sy);

/* ---- reductions ----
 * fe, when not NULL, receives the HPCK_FE_* exceptions raised (overflow, inf - inf).
 * sum is pairwise (error O(log n) ulps, like numpy's), in the array's own type; mean is
 * sum / n (NaN and HPCK_FE_INVALID for n == 0). dot is pairwise too; nrm2 is the
 * Euclidean norm without overflow or underflow (scaled; float32 accumulates in double).
 * min/max return NaN if any element is NaN (and for n == 0); argmin/argmax return the
 * index of the first NaN if any, else of the first minimum/maximum, and -1 for n == 0. */
double hpck_sum_f64(size_t n, const double *x, ptrdiff_t sx, int *fe);
double hpck_mean_f64(size_t n, const double *x, ptrdiff_t sx, int *fe);
double hpck_dot_f64(size_t n, const double *x, ptrdiff_t sx, const double *y, ptrdiff_t sy,
		    int *fe);
double hpck_nrm2_f64(size_t n, const double *x, ptrdiff_t sx);
double hpck_min_f64(size_t n, const double *x, ptrdiff_t sx);
double hpck_max_f64(size_t n, const double *x, ptrdiff_t sx);
ptrdiff_t hpck_argmin_f64(size_t n, const double *x, ptrdiff_t sx);
ptrdiff_t hpck_argmax_f64(size_t n, const double *x, ptrdiff_t sx);
float hpck_sum_f32(size_t n, const float *x, ptrdiff_t sx, int *fe);
float hpck_mean_f32(size_t n, const float *x, ptrdiff_t sx, int *fe);
float hpck_dot_f32(size_t n, const float *x, ptrdiff_t sx, const float *y, ptrdiff_t sy,
		   int *fe);
float hpck_nrm2_f32(size_t n, const float *x, ptrdiff_t sx);
float hpck_min_f32(size_t n, const float *x, ptrdiff_t sx);
float hpck_max_f32(size_t n, const float *x, ptrdiff_t sx);
ptrdiff_t hpck_argmin_f32(size_t n, const float *x, ptrdiff_t sx);
ptrdiff_t hpck_argmax_f32(size_t n, const float *x, ptrdiff_t sx);

#ifdef __cplusplus
}
#endif
#endif
