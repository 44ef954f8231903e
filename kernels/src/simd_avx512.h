/* SPDX-License-Identifier: MIT */
/* simd_avx512.h - the SIMD vocabulary on AVX-512 F/VL/DQ/BW (8 doubles, 16 floats)
 *
 * Masks are k-registers. Partial loads and stores use them, so tails never touch memory
 * outside the array and masked-off lanes raise no floating-point exceptions.
 */
#include <immintrin.h>
#include <stdint.h>

#define HPCK_ISA_NAME avx512
#define HPCK_HAVE_FMA 1
#define HPCK_STREAM_ALIGN 64

typedef __m512d vf64;
typedef __mmask8 mf64;
typedef __m512i vi64;
typedef __m512 vf32;
typedef __mmask16 mf32;
typedef __m512i vi32;
#define VF64_N 8
#define VF32_N 16

#define HPCK_SI static inline __attribute__((always_inline))

/* ---------------- float64 ---------------- */
HPCK_SI vf64 vf64_load(const double *p) { return _mm512_loadu_pd(p); }
HPCK_SI void vf64_store(double *p, vf64 v) { _mm512_storeu_pd(p, v); }
HPCK_SI void vf64_stream(double *p, vf64 v) { _mm512_stream_pd(p, v); }
HPCK_SI vf64 vf64_set1(double x) { return _mm512_set1_pd(x); }
HPCK_SI mf64 mf64_first(size_t n) { return (mf64)((1u << n) - 1); }
HPCK_SI vf64 vf64_load_n(const double *p, size_t n, double fill)
{
	return _mm512_mask_loadu_pd(_mm512_set1_pd(fill), mf64_first(n), p);
}
HPCK_SI void vf64_store_n(double *p, vf64 v, size_t n)
{
	_mm512_mask_storeu_pd(p, mf64_first(n), v);
}
HPCK_SI vf64 vf64_add(vf64 a, vf64 b) { return _mm512_add_pd(a, b); }
HPCK_SI vf64 vf64_sub(vf64 a, vf64 b) { return _mm512_sub_pd(a, b); }
HPCK_SI vf64 vf64_mul(vf64 a, vf64 b) { return _mm512_mul_pd(a, b); }
HPCK_SI vf64 vf64_div(vf64 a, vf64 b) { return _mm512_div_pd(a, b); }
HPCK_SI vf64 vf64_sqrt(vf64 a) { return _mm512_sqrt_pd(a); }
HPCK_SI vf64 vf64_fmadd(vf64 a, vf64 b, vf64 c) { return _mm512_fmadd_pd(a, b, c); }
HPCK_SI vf64 vf64_fma(vf64 a, vf64 b, vf64 c) { return _mm512_fmadd_pd(a, b, c); }
HPCK_SI vf64 vf64_fmsub(vf64 a, vf64 b, vf64 c) { return _mm512_fmsub_pd(a, b, c); }
HPCK_SI vf64 vf64_fnmadd(vf64 a, vf64 b, vf64 c) { return _mm512_fnmadd_pd(a, b, c); }
HPCK_SI vf64 vf64_neg(vf64 a) { return _mm512_xor_pd(a, _mm512_set1_pd(-0.0)); }
HPCK_SI vf64 vf64_abs(vf64 a) { return _mm512_andnot_pd(_mm512_set1_pd(-0.0), a); }
/* x86 semantics: the second operand when either is NaN or both are zero */
HPCK_SI vf64 vf64_min(vf64 a, vf64 b) { return _mm512_min_pd(a, b); }
HPCK_SI vf64 vf64_max(vf64 a, vf64 b) { return _mm512_max_pd(a, b); }
HPCK_SI mf64 vf64_lt(vf64 a, vf64 b) { return _mm512_cmp_pd_mask(a, b, _CMP_LT_OQ); }
HPCK_SI mf64 vf64_le(vf64 a, vf64 b) { return _mm512_cmp_pd_mask(a, b, _CMP_LE_OQ); }
HPCK_SI mf64 vf64_eq(vf64 a, vf64 b) { return _mm512_cmp_pd_mask(a, b, _CMP_EQ_OQ); }
HPCK_SI mf64 vf64_unord(vf64 a, vf64 b) { return _mm512_cmp_pd_mask(a, b, _CMP_UNORD_Q); }
/* !(a <= b): a > b or either is NaN */
HPCK_SI mf64 vf64_nle(vf64 a, vf64 b) { return _mm512_cmp_pd_mask(a, b, _CMP_NLE_UQ); }
HPCK_SI mf64 mf64_or(mf64 a, mf64 b) { return a | b; }
HPCK_SI mf64 mf64_and(mf64 a, mf64 b) { return a & b; }
HPCK_SI mf64 mf64_andnot(mf64 a, mf64 b) { return (mf64)(~a & b); }
HPCK_SI unsigned mf64_bits(mf64 m) { return m; }
HPCK_SI mf64 mf64_none(void) { return 0; }
/* m ? b : a, lane by lane */
HPCK_SI vf64 vf64_blend(mf64 m, vf64 a, vf64 b) { return _mm512_mask_blend_pd(m, a, b); }
HPCK_SI double vf64_hsum(vf64 v)
{
	__m256d h = _mm256_add_pd(_mm512_castpd512_pd256(v), _mm512_extractf64x4_pd(v, 1));
	__m128d q = _mm_add_pd(_mm256_castpd256_pd128(h), _mm256_extractf128_pd(h, 1));
	return _mm_cvtsd_f64(_mm_add_sd(q, _mm_unpackhi_pd(q, q)));
}
HPCK_SI double vf64_hmax(vf64 v)
{
	__m256d h = _mm256_max_pd(_mm512_castpd512_pd256(v), _mm512_extractf64x4_pd(v, 1));
	__m128d q = _mm_max_pd(_mm256_castpd256_pd128(h), _mm256_extractf128_pd(h, 1));
	return _mm_cvtsd_f64(_mm_max_sd(q, _mm_unpackhi_pd(q, q)));
}
HPCK_SI double vf64_hmin(vf64 v)
{
	__m256d h = _mm256_min_pd(_mm512_castpd512_pd256(v), _mm512_extractf64x4_pd(v, 1));
	__m128d q = _mm_min_pd(_mm256_castpd256_pd128(h), _mm256_extractf128_pd(h, 1));
	return _mm_cvtsd_f64(_mm_min_sd(q, _mm_unpackhi_pd(q, q)));
}
/* strided access: x[k * s] for the lanes k */
HPCK_SI vi64 vf64_sidx(ptrdiff_t s)
{
	return _mm512_mullo_epi64(_mm512_set_epi64(7, 6, 5, 4, 3, 2, 1, 0), _mm512_set1_epi64(s));
}
HPCK_SI vf64 vf64_gather(const double *p, vi64 idx) { return _mm512_i64gather_pd(idx, p, 8); }
HPCK_SI vf64 vf64_gather_n(const double *p, vi64 idx, size_t n, double fill)
{
	return _mm512_mask_i64gather_pd(_mm512_set1_pd(fill), mf64_first(n), idx, p, 8);
}
HPCK_SI void vf64_scatter(double *p, vi64 idx, vf64 v) { _mm512_i64scatter_pd(p, idx, v, 8); }
HPCK_SI void vf64_scatter_n(double *p, vi64 idx, vf64 v, size_t n)
{
	_mm512_mask_i64scatter_pd(p, mf64_first(n), idx, v, 8);
}
/* x[0], x[2], ... x[14] from two loads (stride 2; reads x[0..15]) */
HPCK_SI vf64 vf64_load2(const double *p)
{
	const __m512i even = _mm512_set_epi64(14, 12, 10, 8, 6, 4, 2, 0);
	return _mm512_permutex2var_pd(_mm512_loadu_pd(p), even, _mm512_loadu_pd(p + 8));
}
/* x[0], x[-1], ... x[-7] (stride -1; reads x[-7..0]) */
HPCK_SI vf64 vf64_loadr(const double *p)
{
	return _mm512_permutexvar_pd(_mm512_set_epi64(0, 1, 2, 3, 4, 5, 6, 7),
				     _mm512_loadu_pd(p - 7));
}
HPCK_SI void vf64_storer(double *p, vf64 v)
{
	_mm512_storeu_pd(p - 7, _mm512_permutexvar_pd(_mm512_set_epi64(0, 1, 2, 3, 4, 5, 6, 7),
						       v));
}
/* stride-2 store: even lanes of two vectors, masked, so odd elements are never written */
HPCK_SI void vf64_store2(double *p, vf64 v)
{
	const __m512i lo = _mm512_set_epi64(3, 3, 2, 2, 1, 1, 0, 0);
	const __m512i hi = _mm512_set_epi64(7, 7, 6, 6, 5, 5, 4, 4);
	_mm512_mask_storeu_pd(p, 0x55, _mm512_permutexvar_pd(lo, v));
	_mm512_mask_storeu_pd(p + 8, 0x55, _mm512_permutexvar_pd(hi, v));
}
/* integer lanes (bit manipulation in exp/log) */
HPCK_SI vi64 vf64_asi(vf64 v) { return _mm512_castpd_si512(v); }
HPCK_SI vf64 vi64_asf(vi64 v) { return _mm512_castsi512_pd(v); }
HPCK_SI vi64 vi64_set1(int64_t x) { return _mm512_set1_epi64(x); }
HPCK_SI vi64 vi64_add(vi64 a, vi64 b) { return _mm512_add_epi64(a, b); }
HPCK_SI vi64 vi64_sub(vi64 a, vi64 b) { return _mm512_sub_epi64(a, b); }
HPCK_SI vi64 vi64_and(vi64 a, vi64 b) { return _mm512_and_si512(a, b); }
#define vi64_shl(a, k) _mm512_slli_epi64((a), (k))
#define vi64_shr(a, k) _mm512_srli_epi64((a), (k))
/* AVX-512 has the 64-bit arithmetic shift and int64 -> double conversion */
#define HPCK_HAVE_I64_SRA 1
#define vi64_sra(a, k) _mm512_srai_epi64((a), (k))
HPCK_SI vf64 vi64_tof(vi64 a) { return _mm512_cvtepi64_pd(a); }
/* a 16-entry table in registers, indexed by the low 4 bits of each lane */
struct vf64_tab16 {
	__m512d lo, hi;
};
HPCK_SI struct vf64_tab16 vf64_tab16_load(const double *t)
{
	struct vf64_tab16 r = { _mm512_loadu_pd(t), _mm512_loadu_pd(t + 8) };
	return r;
}
HPCK_SI vf64 vf64_lut16(struct vf64_tab16 t, vi64 idx)
{
	return _mm512_permutex2var_pd(t.lo, idx, t.hi);
}
/* v * 2^k for integral k in a double vector, one rounding (gradual underflow, overflow) */
HPCK_SI vf64 vf64_scale(vf64 v, vf64 k) { return _mm512_scalef_pd(v, k); }
#define HPCK_HAVE_SCALEF 1

/* ---------------- float32 ---------------- */
HPCK_SI vf32 vf32_load(const float *p) { return _mm512_loadu_ps(p); }
HPCK_SI void vf32_store(float *p, vf32 v) { _mm512_storeu_ps(p, v); }
HPCK_SI void vf32_stream(float *p, vf32 v) { _mm512_stream_ps(p, v); }
HPCK_SI vf32 vf32_set1(float x) { return _mm512_set1_ps(x); }
HPCK_SI mf32 mf32_first(size_t n) { return (mf32)((1u << n) - 1); }
HPCK_SI vf32 vf32_load_n(const float *p, size_t n, float fill)
{
	return _mm512_mask_loadu_ps(_mm512_set1_ps(fill), mf32_first(n), p);
}
HPCK_SI void vf32_store_n(float *p, vf32 v, size_t n)
{
	_mm512_mask_storeu_ps(p, mf32_first(n), v);
}
HPCK_SI vf32 vf32_add(vf32 a, vf32 b) { return _mm512_add_ps(a, b); }
HPCK_SI vf32 vf32_sub(vf32 a, vf32 b) { return _mm512_sub_ps(a, b); }
HPCK_SI vf32 vf32_mul(vf32 a, vf32 b) { return _mm512_mul_ps(a, b); }
HPCK_SI vf32 vf32_div(vf32 a, vf32 b) { return _mm512_div_ps(a, b); }
HPCK_SI vf32 vf32_sqrt(vf32 a) { return _mm512_sqrt_ps(a); }
/* sqrt without vsqrtps (~1.6x its throughput): the 14-bit reciprocal square root, one
 * coupled Newton step for g ~ sqrt(x) and h ~ 1/(2 sqrt(x)), then the residual x - g^2
 * (exact in the fma) corrects g. For 2^-64 <= x < inf this equals the IEEE result bit
 * for bit in round-to-nearest without FTZ/DAZ (checked for every float by the unary
 * test); zero, subnormals, tiny, negative, inf and NaN lanes take vsqrtps. The Newton
 * steps are masked to the other lanes, so they raise no exception of their own. */
#define HPCK_HAVE_SQRT_NR 1
HPCK_SI vf32 vf32_sqrt_nr(vf32 x)
{
	__mmask16 ok = _mm512_cmp_ps_mask(x, _mm512_set1_ps(0x1p-64f), _CMP_GE_OQ) &
		       _mm512_cmp_ps_mask(x, _mm512_set1_ps(__builtin_inff()), _CMP_LT_OQ);
	__m512 half = _mm512_set1_ps(0.5f), y = _mm512_maskz_rsqrt14_ps(ok, x);
	__m512 g = _mm512_maskz_mul_ps(ok, x, y), h = _mm512_maskz_mul_ps(ok, half, y);
	__m512 r = _mm512_maskz_fnmadd_ps(ok, g, h, half);

	g = _mm512_maskz_fmadd_ps(ok, g, r, g);
	h = _mm512_maskz_fmadd_ps(ok, h, r, h);
	r = _mm512_maskz_fmadd_ps(ok, _mm512_maskz_fnmadd_ps(ok, g, g, x), h, g);
	if (__builtin_expect(ok != 0xffff, 0))
		r = _mm512_mask_sqrt_ps(r, (__mmask16)(0xffff & ~ok), x);
	return r;
}
HPCK_SI vf32 vf32_fmadd(vf32 a, vf32 b, vf32 c) { return _mm512_fmadd_ps(a, b, c); }
HPCK_SI vf32 vf32_fma(vf32 a, vf32 b, vf32 c) { return _mm512_fmadd_ps(a, b, c); }
HPCK_SI vf32 vf32_fmsub(vf32 a, vf32 b, vf32 c) { return _mm512_fmsub_ps(a, b, c); }
HPCK_SI vf32 vf32_fnmadd(vf32 a, vf32 b, vf32 c) { return _mm512_fnmadd_ps(a, b, c); }
HPCK_SI vf32 vf32_neg(vf32 a) { return _mm512_xor_ps(a, _mm512_set1_ps(-0.0f)); }
HPCK_SI vf32 vf32_abs(vf32 a) { return _mm512_andnot_ps(_mm512_set1_ps(-0.0f), a); }
HPCK_SI vf32 vf32_min(vf32 a, vf32 b) { return _mm512_min_ps(a, b); }
HPCK_SI vf32 vf32_max(vf32 a, vf32 b) { return _mm512_max_ps(a, b); }
HPCK_SI mf32 vf32_lt(vf32 a, vf32 b) { return _mm512_cmp_ps_mask(a, b, _CMP_LT_OQ); }
HPCK_SI mf32 vf32_le(vf32 a, vf32 b) { return _mm512_cmp_ps_mask(a, b, _CMP_LE_OQ); }
HPCK_SI mf32 vf32_eq(vf32 a, vf32 b) { return _mm512_cmp_ps_mask(a, b, _CMP_EQ_OQ); }
HPCK_SI mf32 vf32_unord(vf32 a, vf32 b) { return _mm512_cmp_ps_mask(a, b, _CMP_UNORD_Q); }
HPCK_SI mf32 vf32_nle(vf32 a, vf32 b) { return _mm512_cmp_ps_mask(a, b, _CMP_NLE_UQ); }
HPCK_SI mf32 mf32_or(mf32 a, mf32 b) { return a | b; }
HPCK_SI mf32 mf32_and(mf32 a, mf32 b) { return a & b; }
HPCK_SI mf32 mf32_andnot(mf32 a, mf32 b) { return (mf32)(~a & b); }
HPCK_SI unsigned mf32_bits(mf32 m) { return m; }
HPCK_SI mf32 mf32_none(void) { return 0; }
HPCK_SI vf32 vf32_blend(mf32 m, vf32 a, vf32 b) { return _mm512_mask_blend_ps(m, a, b); }
HPCK_SI float vf32_hsum(vf32 v)
{
	__m256 h = _mm256_add_ps(_mm512_castps512_ps256(v),
				 _mm256_castpd_ps(_mm512_extractf64x4_pd(_mm512_castps_pd(v), 1)));
	__m128 q = _mm_add_ps(_mm256_castps256_ps128(h), _mm256_extractf128_ps(h, 1));
	q = _mm_add_ps(q, _mm_movehl_ps(q, q));
	return _mm_cvtss_f32(_mm_add_ss(q, _mm_shuffle_ps(q, q, 1)));
}
HPCK_SI float vf32_hmax(vf32 v)
{
	__m256 h = _mm256_max_ps(_mm512_castps512_ps256(v),
				 _mm256_castpd_ps(_mm512_extractf64x4_pd(_mm512_castps_pd(v), 1)));
	__m128 q = _mm_max_ps(_mm256_castps256_ps128(h), _mm256_extractf128_ps(h, 1));
	q = _mm_max_ps(q, _mm_movehl_ps(q, q));
	return _mm_cvtss_f32(_mm_max_ss(q, _mm_shuffle_ps(q, q, 1)));
}
HPCK_SI float vf32_hmin(vf32 v)
{
	__m256 h = _mm256_min_ps(_mm512_castps512_ps256(v),
				 _mm256_castpd_ps(_mm512_extractf64x4_pd(_mm512_castps_pd(v), 1)));
	__m128 q = _mm_min_ps(_mm256_castps256_ps128(h), _mm256_extractf128_ps(h, 1));
	q = _mm_min_ps(q, _mm_movehl_ps(q, q));
	return _mm_cvtss_f32(_mm_min_ss(q, _mm_shuffle_ps(q, q, 1)));
}
/* 32-bit lane offsets: callers use this only when |16 * s| fits in an int32 */
HPCK_SI vi32 vf32_sidx(ptrdiff_t s)
{
	return _mm512_mullo_epi32(_mm512_set_epi32(15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3,
						   2, 1, 0),
				  _mm512_set1_epi32((int)s));
}
HPCK_SI vf32 vf32_gather(const float *p, vi32 idx) { return _mm512_i32gather_ps(idx, p, 4); }
HPCK_SI vf32 vf32_gather_n(const float *p, vi32 idx, size_t n, float fill)
{
	return _mm512_mask_i32gather_ps(_mm512_set1_ps(fill), mf32_first(n), idx, p, 4);
}
HPCK_SI void vf32_scatter(float *p, vi32 idx, vf32 v) { _mm512_i32scatter_ps(p, idx, v, 4); }
HPCK_SI void vf32_scatter_n(float *p, vi32 idx, vf32 v, size_t n)
{
	_mm512_mask_i32scatter_ps(p, mf32_first(n), idx, v, 4);
}
HPCK_SI vf32 vf32_load2(const float *p)
{
	const __m512i even = _mm512_set_epi32(30, 28, 26, 24, 22, 20, 18, 16, 14, 12, 10, 8, 6,
					      4, 2, 0);
	return _mm512_permutex2var_ps(_mm512_loadu_ps(p), even, _mm512_loadu_ps(p + 16));
}
HPCK_SI vf32 vf32_loadr(const float *p)
{
	const __m512i rev = _mm512_set_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14,
					     15);
	return _mm512_permutexvar_ps(rev, _mm512_loadu_ps(p - 15));
}
HPCK_SI void vf32_storer(float *p, vf32 v)
{
	const __m512i rev = _mm512_set_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14,
					     15);
	_mm512_storeu_ps(p - 15, _mm512_permutexvar_ps(rev, v));
}
HPCK_SI void vf32_store2(float *p, vf32 v)
{
	const __m512i lo = _mm512_set_epi32(7, 7, 6, 6, 5, 5, 4, 4, 3, 3, 2, 2, 1, 1, 0, 0);
	const __m512i hi = _mm512_set_epi32(15, 15, 14, 14, 13, 13, 12, 12, 11, 11, 10, 10, 9,
					    9, 8, 8);
	_mm512_mask_storeu_ps(p, 0x5555, _mm512_permutexvar_ps(lo, v));
	_mm512_mask_storeu_ps(p + 16, 0x5555, _mm512_permutexvar_ps(hi, v));
}
HPCK_SI vi32 vf32_asi(vf32 v) { return _mm512_castps_si512(v); }
HPCK_SI vf32 vi32_asf(vi32 v) { return _mm512_castsi512_ps(v); }
HPCK_SI vi32 vi32_set1(int32_t x) { return _mm512_set1_epi32(x); }
HPCK_SI vi32 vi32_add(vi32 a, vi32 b) { return _mm512_add_epi32(a, b); }
HPCK_SI vi32 vi32_sub(vi32 a, vi32 b) { return _mm512_sub_epi32(a, b); }
HPCK_SI vi32 vi32_and(vi32 a, vi32 b) { return _mm512_and_si512(a, b); }
#define vi32_shl(a, k) _mm512_slli_epi32((a), (k))
#define vi32_shr(a, k) _mm512_srli_epi32((a), (k))
#define vi32_sra(a, k) _mm512_srai_epi32((a), (k))
HPCK_SI vf32 vi32_tof(vi32 a) { return _mm512_cvtepi32_ps(a); }
struct vf32_tab16 {
	__m512 t;
};
HPCK_SI struct vf32_tab16 vf32_tab16_load(const float *t)
{
	struct vf32_tab16 r = { _mm512_loadu_ps(t) };
	return r;
}
HPCK_SI vf32 vf32_lut16(struct vf32_tab16 t, vi32 idx) { return _mm512_permutexvar_ps(idx, t.t); }
HPCK_SI vf32 vf32_scale(vf32 v, vf32 k) { return _mm512_scalef_ps(v, k); }

/* float32 lanes widened to float64 (nrm2 of float32 accumulates in double) */
HPCK_SI vf64 vf64_from_f32(const float *p) { return _mm512_cvtps_pd(_mm256_loadu_ps(p)); }
HPCK_SI vf64 vf64_from_f32_n(const float *p, size_t n)
{
	return _mm512_cvtps_pd(_mm256_maskz_loadu_ps(mf64_first(n), p));
}
HPCK_SI void hpck_stream_fence(void) { _mm_sfence(); }
