/* SPDX-License-Identifier: MIT */
/* simd_generic.h - the SIMD vocabulary in portable C, one lane per "vector"
 *
 * The baseline on CPUs we have no intrinsics for (and a path the tests force on x86,
 * so the portable code is exercised). Like SSE2 it has no guaranteed fused
 * multiply-add: vf*_fmadd multiplies then adds (ISO C mode contracts nothing), vf*_fma
 * is the C library's correctly rounded fma().
 */
#include <math.h>
#include <stdint.h>
#include <string.h>

#define HPCK_ISA_NAME generic
#define HPCK_HAVE_FMA 0
#define HPCK_STREAM_ALIGN 8

typedef double vf64;
typedef int mf64;
typedef uint64_t vi64;
typedef float vf32;
typedef int mf32;
typedef uint32_t vi32;
#define VF64_N 1
#define VF32_N 1

#define HPCK_SI static inline __attribute__((always_inline))

/* One set of definitions for both types: T scalar, I integer lanes. */
#define HPCK_GENERIC_DEFS(P, M, T, I, IS)                                                    \
	HPCK_SI T P##_load(const T *p) { return *p; }                                       \
	HPCK_SI void P##_store(T *p, T v) { *p = v; }                                       \
	HPCK_SI void P##_stream(T *p, T v) { *p = v; }                                      \
	HPCK_SI T P##_set1(T x) { return x; }                                               \
	HPCK_SI T P##_load_n(const T *p, size_t n, T fill) { return n ? *p : fill; }        \
	HPCK_SI void P##_store_n(T *p, T v, size_t n)                                       \
	{                                                                                   \
		if (n)                                                                      \
			*p = v;                                                             \
	}                                                                                   \
	HPCK_SI T P##_add(T a, T b) { return a + b; }                                       \
	HPCK_SI T P##_sub(T a, T b) { return a - b; }                                       \
	HPCK_SI T P##_mul(T a, T b) { return a * b; }                                       \
	HPCK_SI T P##_div(T a, T b) { return a / b; }                                       \
	HPCK_SI T P##_fmadd(T a, T b, T c) { return a * b + c; }                            \
	HPCK_SI T P##_fmsub(T a, T b, T c) { return a * b - c; }                            \
	HPCK_SI T P##_fnmadd(T a, T b, T c) { return c - a * b; }                           \
	HPCK_SI T P##_min(T a, T b) { return a < b ? a : b; }                               \
	HPCK_SI T P##_max(T a, T b) { return a > b ? a : b; }                               \
	HPCK_SI int P##_lt(T a, T b) { return a < b; }                                      \
	HPCK_SI int P##_le(T a, T b) { return a <= b; }                                     \
	HPCK_SI int P##_eq(T a, T b) { return a == b; }                                     \
	HPCK_SI int P##_unord(T a, T b) { return a != a || b != b; }                        \
	HPCK_SI int P##_nle(T a, T b) { return !(a <= b); }                                 \
	HPCK_SI int M##_or(int a, int b) { return a | b; }                               \
	HPCK_SI int M##_and(int a, int b) { return a & b; }                              \
	HPCK_SI int M##_andnot(int a, int b) { return (!a) && b; }                          \
	HPCK_SI unsigned M##_bits(int m) { return (unsigned)m; }                         \
	HPCK_SI int M##_none(void) { return 0; }                                         \
	HPCK_SI T P##_blend(int m, T a, T b) { return m ? b : a; }                          \
	HPCK_SI T P##_hsum(T v) { return v; }                                               \
	HPCK_SI T P##_hmax(T v) { return v; }                                               \
	HPCK_SI T P##_hmin(T v) { return v; }                                               \
	HPCK_SI I P##_sidx(ptrdiff_t s) { (void)s; return 0; }                              \
	HPCK_SI T P##_gather(const T *p, I idx) { (void)idx; return *p; }                   \
	HPCK_SI T P##_gather_n(const T *p, I idx, size_t n, T fill)                         \
	{                                                                                   \
		(void)idx;                                                                  \
		return n ? *p : fill;                                                       \
	}                                                                                   \
	HPCK_SI void P##_scatter(T *p, I idx, T v) { (void)idx; *p = v; }                   \
	HPCK_SI void P##_scatter_n(T *p, I idx, T v, size_t n)                              \
	{                                                                                   \
		(void)idx;                                                                  \
		if (n)                                                                      \
			*p = v;                                                             \
	}                                                                                   \
	HPCK_SI T P##_load2(const T *p) { return *p; }                                      \
	HPCK_SI T P##_loadr(const T *p) { return *p; }                                      \
	HPCK_SI void P##_storer(T *p, T v) { *p = v; }                                      \
	HPCK_SI void P##_store2(T *p, T v) { *p = v; }                                      \
	HPCK_SI I P##_asi(T v)                                                              \
	{                                                                                   \
		I i;                                                                        \
		memcpy(&i, &v, sizeof(i));                                                  \
		return i;                                                                   \
	}                                                                                   \
	HPCK_SI T IS##_asf(I i)                                                             \
	{                                                                                   \
		T v;                                                                        \
		memcpy(&v, &i, sizeof(v));                                                  \
		return v;                                                                   \
	}                                                                                   \
	HPCK_SI I IS##_set1(I x) { return x; }                                              \
	HPCK_SI I IS##_add(I a, I b) { return a + b; }                                      \
	HPCK_SI I IS##_sub(I a, I b) { return a - b; }                                      \
	HPCK_SI I IS##_and(I a, I b) { return a & b; }                                      \
	struct P##_tab16 {                                                                  \
		const T *t;                                                                 \
	};                                                                                  \
	HPCK_SI struct P##_tab16 P##_tab16_load(const T *t)                                 \
	{                                                                                   \
		struct P##_tab16 r = { t };                                                 \
		return r;                                                                   \
	}                                                                                   \
	HPCK_SI T P##_lut16(struct P##_tab16 t, I idx) { return t.t[idx & 15]; }

HPCK_GENERIC_DEFS(vf64, mf64, double, vi64, vi64)
HPCK_GENERIC_DEFS(vf32, mf32, float, vi32, vi32)

HPCK_SI double vf64_sqrt(double a) { return sqrt(a); }
HPCK_SI float vf32_sqrt(float a) { return sqrtf(a); }
HPCK_SI double vf64_fma(double a, double b, double c) { return fma(a, b, c); }
HPCK_SI float vf32_fma(float a, float b, float c) { return fmaf(a, b, c); }
/* sign-bit operations on the representation, so NaN payloads survive as with SIMD */
HPCK_SI double vf64_neg(double a) { return vi64_asf(vf64_asi(a) ^ 0x8000000000000000u); }
HPCK_SI double vf64_abs(double a) { return vi64_asf(vf64_asi(a) & 0x7fffffffffffffffu); }
HPCK_SI float vf32_neg(float a) { return vi32_asf(vf32_asi(a) ^ 0x80000000u); }
HPCK_SI float vf32_abs(float a) { return vi32_asf(vf32_asi(a) & 0x7fffffffu); }
#define vi64_shl(a, k) ((vi64)(a) << (k))
#define vi64_shr(a, k) ((vi64)(a) >> (k))
#define vi32_shl(a, k) ((vi32)(a) << (k))
#define vi32_shr(a, k) ((vi32)(a) >> (k))
#define vi32_sra(a, k) ((vi32)((int32_t)(a) >> (k)))
HPCK_SI float vi32_tof(vi32 a) { return (float)(int32_t)a; }

HPCK_SI double vf64_from_f32(const float *p) { return *p; }
HPCK_SI double vf64_from_f32_n(const float *p, size_t n) { return n ? *p : 0.0; }

HPCK_SI void hpck_stream_fence(void) {}
