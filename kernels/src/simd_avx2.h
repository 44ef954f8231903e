/* SPDX-License-Identifier: MIT */
/* simd_avx2.h - the SIMD vocabulary on AVX2 + FMA (4 doubles, 8 floats)
 *
 * Masks are vectors of all-ones/all-zero lanes. Partial loads and stores use
 * vmaskmov, which never touches masked-off memory.
 */
#include <immintrin.h>
#include <stdint.h>

#define HPCK_ISA_NAME avx2
#define HPCK_HAVE_FMA 1
#define HPCK_STREAM_ALIGN 32

typedef __m256d vf64;
typedef __m256d mf64;
typedef __m256i vi64;
typedef __m256 vf32;
typedef __m256 mf32;
typedef __m256i vi32;
#define VF64_N 4
#define VF32_N 8

#define HPCK_SI static inline __attribute__((always_inline))

/* ---------------- float64 ---------------- */
HPCK_SI vf64 vf64_load(const double *p) { return _mm256_loadu_pd(p); }
HPCK_SI void vf64_store(double *p, vf64 v) { _mm256_storeu_pd(p, v); }
HPCK_SI void vf64_stream(double *p, vf64 v) { _mm256_stream_pd(p, v); }
HPCK_SI vf64 vf64_set1(double x) { return _mm256_set1_pd(x); }
HPCK_SI __m256i mf64_first_i(size_t n)
{
	return _mm256_cmpgt_epi64(_mm256_set1_epi64x((long long)n), _mm256_set_epi64x(3, 2, 1, 0));
}
HPCK_SI vf64 vf64_load_n(const double *p, size_t n, double fill)
{
	__m256i m = mf64_first_i(n);
	return _mm256_blendv_pd(_mm256_set1_pd(fill), _mm256_maskload_pd(p, m),
				_mm256_castsi256_pd(m));
}
HPCK_SI void vf64_store_n(double *p, vf64 v, size_t n)
{
	_mm256_maskstore_pd(p, mf64_first_i(n), v);
}
HPCK_SI vf64 vf64_add(vf64 a, vf64 b) { return _mm256_add_pd(a, b); }
HPCK_SI vf64 vf64_sub(vf64 a, vf64 b) { return _mm256_sub_pd(a, b); }
HPCK_SI vf64 vf64_mul(vf64 a, vf64 b) { return _mm256_mul_pd(a, b); }
HPCK_SI vf64 vf64_div(vf64 a, vf64 b) { return _mm256_div_pd(a, b); }
HPCK_SI vf64 vf64_sqrt(vf64 a) { return _mm256_sqrt_pd(a); }
HPCK_SI vf64 vf64_fmadd(vf64 a, vf64 b, vf64 c) { return _mm256_fmadd_pd(a, b, c); }
HPCK_SI vf64 vf64_fma(vf64 a, vf64 b, vf64 c) { return _mm256_fmadd_pd(a, b, c); }
HPCK_SI vf64 vf64_fmsub(vf64 a, vf64 b, vf64 c) { return _mm256_fmsub_pd(a, b, c); }
HPCK_SI vf64 vf64_fnmadd(vf64 a, vf64 b, vf64 c) { return _mm256_fnmadd_pd(a, b, c); }
HPCK_SI vf64 vf64_neg(vf64 a) { return _mm256_xor_pd(a, _mm256_set1_pd(-0.0)); }
HPCK_SI vf64 vf64_abs(vf64 a) { return _mm256_andnot_pd(_mm256_set1_pd(-0.0), a); }
HPCK_SI vf64 vf64_min(vf64 a, vf64 b) { return _mm256_min_pd(a, b); }
HPCK_SI vf64 vf64_max(vf64 a, vf64 b) { return _mm256_max_pd(a, b); }
HPCK_SI mf64 vf64_lt(vf64 a, vf64 b) { return _mm256_cmp_pd(a, b, _CMP_LT_OQ); }
HPCK_SI mf64 vf64_le(vf64 a, vf64 b) { return _mm256_cmp_pd(a, b, _CMP_LE_OQ); }
HPCK_SI mf64 vf64_eq(vf64 a, vf64 b) { return _mm256_cmp_pd(a, b, _CMP_EQ_OQ); }
HPCK_SI mf64 vf64_unord(vf64 a, vf64 b) { return _mm256_cmp_pd(a, b, _CMP_UNORD_Q); }
HPCK_SI mf64 vf64_nle(vf64 a, vf64 b) { return _mm256_cmp_pd(a, b, _CMP_NLE_UQ); }
HPCK_SI mf64 mf64_or(mf64 a, mf64 b) { return _mm256_or_pd(a, b); }
HPCK_SI mf64 mf64_and(mf64 a, mf64 b) { return _mm256_and_pd(a, b); }
HPCK_SI mf64 mf64_andnot(mf64 a, mf64 b) { return _mm256_andnot_pd(a, b); }
HPCK_SI unsigned mf64_bits(mf64 m) { return (unsigned)_mm256_movemask_pd(m); }
HPCK_SI mf64 mf64_none(void) { return _mm256_setzero_pd(); }
HPCK_SI vf64 vf64_blend(mf64 m, vf64 a, vf64 b) { return _mm256_blendv_pd(a, b, m); }
HPCK_SI double vf64_hsum(vf64 v)
{
	__m128d q = _mm_add_pd(_mm256_castpd256_pd128(v), _mm256_extractf128_pd(v, 1));
	return _mm_cvtsd_f64(_mm_add_sd(q, _mm_unpackhi_pd(q, q)));
}
HPCK_SI double vf64_hmax(vf64 v)
{
	__m128d q = _mm_max_pd(_mm256_castpd256_pd128(v), _mm256_extractf128_pd(v, 1));
	return _mm_cvtsd_f64(_mm_max_sd(q, _mm_unpackhi_pd(q, q)));
}
HPCK_SI double vf64_hmin(vf64 v)
{
	__m128d q = _mm_min_pd(_mm256_castpd256_pd128(v), _mm256_extractf128_pd(v, 1));
	return _mm_cvtsd_f64(_mm_min_sd(q, _mm_unpackhi_pd(q, q)));
}
HPCK_SI vi64 vf64_sidx(ptrdiff_t s) { return _mm256_set_epi64x(3 * s, 2 * s, s, 0); }
HPCK_SI vf64 vf64_gather(const double *p, vi64 idx) { return _mm256_i64gather_pd(p, idx, 8); }
HPCK_SI vf64 vf64_gather_n(const double *p, vi64 idx, size_t n, double fill)
{
	return _mm256_mask_i64gather_pd(_mm256_set1_pd(fill), p, idx,
					_mm256_castsi256_pd(mf64_first_i(n)), 8);
}
HPCK_SI void vf64_scatter_n(double *p, vi64 idx, vf64 v, size_t n)
{
	double t[4];
	int64_t o[4];

	_mm256_storeu_pd(t, v);
	_mm256_storeu_si256((__m256i *)o, idx);
	for (size_t k = 0; k < n; k++)
		p[o[k]] = t[k];
}
HPCK_SI void vf64_scatter(double *p, vi64 idx, vf64 v) { vf64_scatter_n(p, idx, v, 4); }
HPCK_SI vf64 vf64_load2(const double *p)
{
	__m256d a = _mm256_loadu_pd(p), b = _mm256_loadu_pd(p + 4);
	/* unpacklo gives a0 b0 a2 b2; reorder the 64-bit lanes to a0 a2 b0 b2 */
	return _mm256_permute4x64_pd(_mm256_unpacklo_pd(a, b), 0xd8);
}
HPCK_SI vf64 vf64_loadr(const double *p)
{
	return _mm256_permute4x64_pd(_mm256_loadu_pd(p - 3), 0x1b);
}
HPCK_SI void vf64_storer(double *p, vf64 v)
{
	_mm256_storeu_pd(p - 3, _mm256_permute4x64_pd(v, 0x1b));
}
HPCK_SI void vf64_store2(double *p, vf64 v)
{
	__m128d lo = _mm256_castpd256_pd128(v), hi = _mm256_extractf128_pd(v, 1);
	_mm_storel_pd(p, lo);
	_mm_storeh_pd(p + 2, lo);
	_mm_storel_pd(p + 4, hi);
	_mm_storeh_pd(p + 6, hi);
}
HPCK_SI vi64 vf64_asi(vf64 v) { return _mm256_castpd_si256(v); }
HPCK_SI vf64 vi64_asf(vi64 v) { return _mm256_castsi256_pd(v); }
HPCK_SI vi64 vi64_set1(int64_t x) { return _mm256_set1_epi64x(x); }
HPCK_SI vi64 vi64_add(vi64 a, vi64 b) { return _mm256_add_epi64(a, b); }
HPCK_SI vi64 vi64_sub(vi64 a, vi64 b) { return _mm256_sub_epi64(a, b); }
HPCK_SI vi64 vi64_and(vi64 a, vi64 b) { return _mm256_and_si256(a, b); }
#define vi64_shl(a, k) _mm256_slli_epi64((a), (k))
#define vi64_shr(a, k) _mm256_srli_epi64((a), (k))
struct vf64_tab16 {
	const double *t;
};
HPCK_SI struct vf64_tab16 vf64_tab16_load(const double *t)
{
	struct vf64_tab16 r = { t };
	return r;
}
HPCK_SI vf64 vf64_lut16(struct vf64_tab16 t, vi64 idx)
{
	return _mm256_i64gather_pd(t.t, _mm256_and_si256(idx, _mm256_set1_epi64x(15)), 8);
}

/* ---------------- float32 ---------------- */
HPCK_SI vf32 vf32_load(const float *p) { return _mm256_loadu_ps(p); }
HPCK_SI void vf32_store(float *p, vf32 v) { _mm256_storeu_ps(p, v); }
HPCK_SI void vf32_stream(float *p, vf32 v) { _mm256_stream_ps(p, v); }
HPCK_SI vf32 vf32_set1(float x) { return _mm256_set1_ps(x); }
HPCK_SI __m256i mf32_first_i(size_t n)
{
	return _mm256_cmpgt_epi32(_mm256_set1_epi32((int)n), _mm256_set_epi32(7, 6, 5, 4, 3, 2, 1, 0));
}
HPCK_SI vf32 vf32_load_n(const float *p, size_t n, float fill)
{
	__m256i m = mf32_first_i(n);
	return _mm256_blendv_ps(_mm256_set1_ps(fill), _mm256_maskload_ps(p, m),
				_mm256_castsi256_ps(m));
}
HPCK_SI void vf32_store_n(float *p, vf32 v, size_t n)
{
	_mm256_maskstore_ps(p, mf32_first_i(n), v);
}
HPCK_SI vf32 vf32_add(vf32 a, vf32 b) { return _mm256_add_ps(a, b); }
HPCK_SI vf32 vf32_sub(vf32 a, vf32 b) { return _mm256_sub_ps(a, b); }
HPCK_SI vf32 vf32_mul(vf32 a, vf32 b) { return _mm256_mul_ps(a, b); }
HPCK_SI vf32 vf32_div(vf32 a, vf32 b) { return _mm256_div_ps(a, b); }
HPCK_SI vf32 vf32_sqrt(vf32 a) { return _mm256_sqrt_ps(a); }
HPCK_SI vf32 vf32_fmadd(vf32 a, vf32 b, vf32 c) { return _mm256_fmadd_ps(a, b, c); }
HPCK_SI vf32 vf32_fma(vf32 a, vf32 b, vf32 c) { return _mm256_fmadd_ps(a, b, c); }
HPCK_SI vf32 vf32_fmsub(vf32 a, vf32 b, vf32 c) { return _mm256_fmsub_ps(a, b, c); }
HPCK_SI vf32 vf32_fnmadd(vf32 a, vf32 b, vf32 c) { return _mm256_fnmadd_ps(a, b, c); }
HPCK_SI vf32 vf32_neg(vf32 a) { return _mm256_xor_ps(a, _mm256_set1_ps(-0.0f)); }
HPCK_SI vf32 vf32_abs(vf32 a) { return _mm256_andnot_ps(_mm256_set1_ps(-0.0f), a); }
HPCK_SI vf32 vf32_min(vf32 a, vf32 b) { return _mm256_min_ps(a, b); }
HPCK_SI vf32 vf32_max(vf32 a, vf32 b) { return _mm256_max_ps(a, b); }
HPCK_SI mf32 vf32_lt(vf32 a, vf32 b) { return _mm256_cmp_ps(a, b, _CMP_LT_OQ); }
HPCK_SI mf32 vf32_le(vf32 a, vf32 b) { return _mm256_cmp_ps(a, b, _CMP_LE_OQ); }
HPCK_SI mf32 vf32_eq(vf32 a, vf32 b) { return _mm256_cmp_ps(a, b, _CMP_EQ_OQ); }
HPCK_SI mf32 vf32_unord(vf32 a, vf32 b) { return _mm256_cmp_ps(a, b, _CMP_UNORD_Q); }
HPCK_SI mf32 vf32_nle(vf32 a, vf32 b) { return _mm256_cmp_ps(a, b, _CMP_NLE_UQ); }
HPCK_SI mf32 mf32_or(mf32 a, mf32 b) { return _mm256_or_ps(a, b); }
HPCK_SI mf32 mf32_and(mf32 a, mf32 b) { return _mm256_and_ps(a, b); }
HPCK_SI mf32 mf32_andnot(mf32 a, mf32 b) { return _mm256_andnot_ps(a, b); }
HPCK_SI unsigned mf32_bits(mf32 m) { return (unsigned)_mm256_movemask_ps(m); }
HPCK_SI mf32 mf32_none(void) { return _mm256_setzero_ps(); }
HPCK_SI vf32 vf32_blend(mf32 m, vf32 a, vf32 b) { return _mm256_blendv_ps(a, b, m); }
HPCK_SI float vf32_hsum(vf32 v)
{
	__m128 q = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
	q = _mm_add_ps(q, _mm_movehl_ps(q, q));
	return _mm_cvtss_f32(_mm_add_ss(q, _mm_shuffle_ps(q, q, 1)));
}
HPCK_SI float vf32_hmax(vf32 v)
{
	__m128 q = _mm_max_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
	q = _mm_max_ps(q, _mm_movehl_ps(q, q));
	return _mm_cvtss_f32(_mm_max_ss(q, _mm_shuffle_ps(q, q, 1)));
}
HPCK_SI float vf32_hmin(vf32 v)
{
	__m128 q = _mm_min_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
	q = _mm_min_ps(q, _mm_movehl_ps(q, q));
	return _mm_cvtss_f32(_mm_min_ss(q, _mm_shuffle_ps(q, q, 1)));
}
HPCK_SI vi32 vf32_sidx(ptrdiff_t s)
{
	return _mm256_mullo_epi32(_mm256_set_epi32(7, 6, 5, 4, 3, 2, 1, 0),
				  _mm256_set1_epi32((int)s));
}
HPCK_SI vf32 vf32_gather(const float *p, vi32 idx) { return _mm256_i32gather_ps(p, idx, 4); }
HPCK_SI vf32 vf32_gather_n(const float *p, vi32 idx, size_t n, float fill)
{
	return _mm256_mask_i32gather_ps(_mm256_set1_ps(fill), p, idx,
					_mm256_castsi256_ps(mf32_first_i(n)), 4);
}
HPCK_SI void vf32_scatter_n(float *p, vi32 idx, vf32 v, size_t n)
{
	float t[8];
	int32_t o[8];

	_mm256_storeu_ps(t, v);
	_mm256_storeu_si256((__m256i *)o, idx);
	for (size_t k = 0; k < n; k++)
		p[o[k]] = t[k];
}
HPCK_SI void vf32_scatter(float *p, vi32 idx, vf32 v) { vf32_scatter_n(p, idx, v, 8); }
HPCK_SI vf32 vf32_load2(const float *p)
{
	__m256 a = _mm256_loadu_ps(p), b = _mm256_loadu_ps(p + 8);
	/* even elements of each 128-bit half: a0 a2 b0 b2 | a4 a6 b4 b6 -> a0 a2 a4 a6 b0... */
	__m256 e = _mm256_shuffle_ps(a, b, 0x88);
	return _mm256_castpd_ps(_mm256_permute4x64_pd(_mm256_castps_pd(e), 0xd8));
}
HPCK_SI vf32 vf32_loadr(const float *p)
{
	return _mm256_permutevar8x32_ps(_mm256_loadu_ps(p - 7),
					_mm256_set_epi32(0, 1, 2, 3, 4, 5, 6, 7));
}
HPCK_SI void vf32_storer(float *p, vf32 v)
{
	_mm256_storeu_ps(p - 7, _mm256_permutevar8x32_ps(v, _mm256_set_epi32(0, 1, 2, 3, 4, 5, 6, 7)));
}
HPCK_SI void vf32_store2(float *p, vf32 v)
{
	float t[8];

	_mm256_storeu_ps(t, v);
	for (int k = 0; k < 8; k++)
		p[2 * k] = t[k];
}
HPCK_SI vi32 vf32_asi(vf32 v) { return _mm256_castps_si256(v); }
HPCK_SI vf32 vi32_asf(vi32 v) { return _mm256_castsi256_ps(v); }
HPCK_SI vi32 vi32_set1(int32_t x) { return _mm256_set1_epi32(x); }
HPCK_SI vi32 vi32_add(vi32 a, vi32 b) { return _mm256_add_epi32(a, b); }
HPCK_SI vi32 vi32_sub(vi32 a, vi32 b) { return _mm256_sub_epi32(a, b); }
HPCK_SI vi32 vi32_and(vi32 a, vi32 b) { return _mm256_and_si256(a, b); }
#define vi32_shl(a, k) _mm256_slli_epi32((a), (k))
#define vi32_shr(a, k) _mm256_srli_epi32((a), (k))
#define vi32_sra(a, k) _mm256_srai_epi32((a), (k))
HPCK_SI vf32 vi32_tof(vi32 a) { return _mm256_cvtepi32_ps(a); }
struct vf32_tab16 {
	__m256 lo, hi;
};
HPCK_SI struct vf32_tab16 vf32_tab16_load(const float *t)
{
	struct vf32_tab16 r = { _mm256_loadu_ps(t), _mm256_loadu_ps(t + 8) };
	return r;
}
HPCK_SI vf32 vf32_lut16(struct vf32_tab16 t, vi32 idx)
{
	__m256 hi = _mm256_castsi256_ps(_mm256_slli_epi32(idx, 28)); /* bit 3 -> sign bit */
	return _mm256_blendv_ps(_mm256_permutevar8x32_ps(t.lo, idx),
				_mm256_permutevar8x32_ps(t.hi, idx), hi);
}

HPCK_SI vf64 vf64_from_f32(const float *p) { return _mm256_cvtps_pd(_mm_loadu_ps(p)); }
HPCK_SI vf64 vf64_from_f32_n(const float *p, size_t n)
{
	__m128i m = _mm_cmpgt_epi32(_mm_set1_epi32((int)n), _mm_set_epi32(3, 2, 1, 0));
	return _mm256_cvtps_pd(_mm_maskload_ps(p, m));
}

HPCK_SI void hpck_stream_fence(void) { _mm_sfence(); }
