/* SPDX-License-Identifier: MIT */
/* simd_sse2.h - the SIMD vocabulary on SSE2, the x86-64 baseline (2 doubles, 4 floats)
 *
 * SSE2 has no fused multiply-add: vf*_fmadd is a multiply then an add (used inside exp
 * and log, whose error bounds account for it) and vf*_fma calls the C library's
 * correctly rounded fma() lane by lane (used where the result must be fused).
 * Partial loads and stores go through a small buffer.
 */
#include <emmintrin.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

#define HPCK_ISA_NAME sse2
#define HPCK_HAVE_FMA 0
#define HPCK_STREAM_ALIGN 16

typedef __m128d vf64;
typedef __m128d mf64;
typedef __m128i vi64;
typedef __m128 vf32;
typedef __m128 mf32;
typedef __m128i vi32;
#define VF64_N 2
#define VF32_N 4

#define HPCK_SI static inline __attribute__((always_inline))

/* ---------------- float64 ---------------- */
HPCK_SI vf64 vf64_load(const double *p) { return _mm_loadu_pd(p); }
HPCK_SI void vf64_store(double *p, vf64 v) { _mm_storeu_pd(p, v); }
HPCK_SI void vf64_stream(double *p, vf64 v) { _mm_stream_pd(p, v); }
HPCK_SI vf64 vf64_set1(double x) { return _mm_set1_pd(x); }
HPCK_SI vf64 vf64_load_n(const double *p, size_t n, double fill)
{
	double t[2] = { fill, fill };
	memcpy(t, p, n * sizeof(double));
	return _mm_loadu_pd(t);
}
HPCK_SI void vf64_store_n(double *p, vf64 v, size_t n)
{
	double t[2];
	_mm_storeu_pd(t, v);
	memcpy(p, t, n * sizeof(double));
}
HPCK_SI vf64 vf64_add(vf64 a, vf64 b) { return _mm_add_pd(a, b); }
HPCK_SI vf64 vf64_sub(vf64 a, vf64 b) { return _mm_sub_pd(a, b); }
HPCK_SI vf64 vf64_mul(vf64 a, vf64 b) { return _mm_mul_pd(a, b); }
HPCK_SI vf64 vf64_div(vf64 a, vf64 b) { return _mm_div_pd(a, b); }
HPCK_SI vf64 vf64_sqrt(vf64 a) { return _mm_sqrt_pd(a); }
HPCK_SI vf64 vf64_fmadd(vf64 a, vf64 b, vf64 c) { return _mm_add_pd(_mm_mul_pd(a, b), c); }
HPCK_SI vf64 vf64_fmsub(vf64 a, vf64 b, vf64 c) { return _mm_sub_pd(_mm_mul_pd(a, b), c); }
HPCK_SI vf64 vf64_fnmadd(vf64 a, vf64 b, vf64 c) { return _mm_sub_pd(c, _mm_mul_pd(a, b)); }
HPCK_SI vf64 vf64_fma(vf64 a, vf64 b, vf64 c)
{
	double x[2], y[2], z[2];
	_mm_storeu_pd(x, a);
	_mm_storeu_pd(y, b);
	_mm_storeu_pd(z, c);
	return _mm_set_pd(fma(x[1], y[1], z[1]), fma(x[0], y[0], z[0]));
}
HPCK_SI vf64 vf64_neg(vf64 a) { return _mm_xor_pd(a, _mm_set1_pd(-0.0)); }
HPCK_SI vf64 vf64_abs(vf64 a) { return _mm_andnot_pd(_mm_set1_pd(-0.0), a); }
HPCK_SI vf64 vf64_min(vf64 a, vf64 b) { return _mm_min_pd(a, b); }
HPCK_SI vf64 vf64_max(vf64 a, vf64 b) { return _mm_max_pd(a, b); }
HPCK_SI mf64 vf64_lt(vf64 a, vf64 b) { return _mm_cmplt_pd(a, b); }
HPCK_SI mf64 vf64_le(vf64 a, vf64 b) { return _mm_cmple_pd(a, b); }
HPCK_SI mf64 vf64_eq(vf64 a, vf64 b) { return _mm_cmpeq_pd(a, b); }
HPCK_SI mf64 vf64_unord(vf64 a, vf64 b) { return _mm_cmpunord_pd(a, b); }
HPCK_SI mf64 vf64_nle(vf64 a, vf64 b) { return _mm_cmpnle_pd(a, b); }
HPCK_SI mf64 mf64_or(mf64 a, mf64 b) { return _mm_or_pd(a, b); }
HPCK_SI mf64 mf64_and(mf64 a, mf64 b) { return _mm_and_pd(a, b); }
HPCK_SI mf64 mf64_andnot(mf64 a, mf64 b) { return _mm_andnot_pd(a, b); }
HPCK_SI unsigned mf64_bits(mf64 m) { return (unsigned)_mm_movemask_pd(m); }
HPCK_SI mf64 mf64_none(void) { return _mm_setzero_pd(); }
HPCK_SI vf64 vf64_blend(mf64 m, vf64 a, vf64 b)
{
	return _mm_or_pd(_mm_and_pd(m, b), _mm_andnot_pd(m, a));
}
HPCK_SI double vf64_hsum(vf64 v) { return _mm_cvtsd_f64(_mm_add_sd(v, _mm_unpackhi_pd(v, v))); }
HPCK_SI double vf64_hmax(vf64 v) { return _mm_cvtsd_f64(_mm_max_sd(v, _mm_unpackhi_pd(v, v))); }
HPCK_SI double vf64_hmin(vf64 v) { return _mm_cvtsd_f64(_mm_min_sd(v, _mm_unpackhi_pd(v, v))); }
HPCK_SI vi64 vf64_sidx(ptrdiff_t s) { return _mm_set_epi64x(s, 0); }
HPCK_SI vf64 vf64_gather_n(const double *p, vi64 idx, size_t n, double fill)
{
	int64_t o[2];
	_mm_storeu_si128((__m128i *)o, idx);
	return _mm_set_pd(n > 1 ? p[o[1]] : fill, p[o[0]]);
}
HPCK_SI vf64 vf64_gather(const double *p, vi64 idx) { return vf64_gather_n(p, idx, 2, 0); }
HPCK_SI void vf64_scatter_n(double *p, vi64 idx, vf64 v, size_t n)
{
	int64_t o[2];
	_mm_storeu_si128((__m128i *)o, idx);
	_mm_storel_pd(p + o[0], v);
	if (n > 1)
		_mm_storeh_pd(p + o[1], v);
}
HPCK_SI void vf64_scatter(double *p, vi64 idx, vf64 v) { vf64_scatter_n(p, idx, v, 2); }
HPCK_SI vf64 vf64_load2(const double *p) { return _mm_loadh_pd(_mm_load_sd(p), p + 2); }
HPCK_SI vf64 vf64_loadr(const double *p) { return _mm_loadh_pd(_mm_load_sd(p), p - 1); }
HPCK_SI void vf64_storer(double *p, vf64 v) { _mm_storeu_pd(p - 1, _mm_shuffle_pd(v, v, 1)); }
HPCK_SI void vf64_store2(double *p, vf64 v)
{
	_mm_storel_pd(p, v);
	_mm_storeh_pd(p + 2, v);
}
HPCK_SI vi64 vf64_asi(vf64 v) { return _mm_castpd_si128(v); }
HPCK_SI vf64 vi64_asf(vi64 v) { return _mm_castsi128_pd(v); }
HPCK_SI vi64 vi64_set1(int64_t x) { return _mm_set1_epi64x(x); }
HPCK_SI vi64 vi64_add(vi64 a, vi64 b) { return _mm_add_epi64(a, b); }
HPCK_SI vi64 vi64_sub(vi64 a, vi64 b) { return _mm_sub_epi64(a, b); }
HPCK_SI vi64 vi64_and(vi64 a, vi64 b) { return _mm_and_si128(a, b); }
#define vi64_shl(a, k) _mm_slli_epi64((a), (k))
#define vi64_shr(a, k) _mm_srli_epi64((a), (k))
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
	int64_t o[2];
	_mm_storeu_si128((__m128i *)o, idx);
	return _mm_set_pd(t.t[o[1] & 15], t.t[o[0] & 15]);
}

/* ---------------- float32 ---------------- */
HPCK_SI vf32 vf32_load(const float *p) { return _mm_loadu_ps(p); }
HPCK_SI void vf32_store(float *p, vf32 v) { _mm_storeu_ps(p, v); }
HPCK_SI void vf32_stream(float *p, vf32 v) { _mm_stream_ps(p, v); }
HPCK_SI vf32 vf32_set1(float x) { return _mm_set1_ps(x); }
HPCK_SI vf32 vf32_load_n(const float *p, size_t n, float fill)
{
	float t[4] = { fill, fill, fill, fill };
	memcpy(t, p, n * sizeof(float));
	return _mm_loadu_ps(t);
}
HPCK_SI void vf32_store_n(float *p, vf32 v, size_t n)
{
	float t[4];
	_mm_storeu_ps(t, v);
	memcpy(p, t, n * sizeof(float));
}
HPCK_SI vf32 vf32_add(vf32 a, vf32 b) { return _mm_add_ps(a, b); }
HPCK_SI vf32 vf32_sub(vf32 a, vf32 b) { return _mm_sub_ps(a, b); }
HPCK_SI vf32 vf32_mul(vf32 a, vf32 b) { return _mm_mul_ps(a, b); }
HPCK_SI vf32 vf32_div(vf32 a, vf32 b) { return _mm_div_ps(a, b); }
HPCK_SI vf32 vf32_sqrt(vf32 a) { return _mm_sqrt_ps(a); }
HPCK_SI vf32 vf32_fmadd(vf32 a, vf32 b, vf32 c) { return _mm_add_ps(_mm_mul_ps(a, b), c); }
HPCK_SI vf32 vf32_fmsub(vf32 a, vf32 b, vf32 c) { return _mm_sub_ps(_mm_mul_ps(a, b), c); }
HPCK_SI vf32 vf32_fnmadd(vf32 a, vf32 b, vf32 c) { return _mm_sub_ps(c, _mm_mul_ps(a, b)); }
HPCK_SI vf32 vf32_fma(vf32 a, vf32 b, vf32 c)
{
	float x[4], y[4], z[4];
	_mm_storeu_ps(x, a);
	_mm_storeu_ps(y, b);
	_mm_storeu_ps(z, c);
	for (int k = 0; k < 4; k++)
		x[k] = fmaf(x[k], y[k], z[k]);
	return _mm_loadu_ps(x);
}
HPCK_SI vf32 vf32_neg(vf32 a) { return _mm_xor_ps(a, _mm_set1_ps(-0.0f)); }
HPCK_SI vf32 vf32_abs(vf32 a) { return _mm_andnot_ps(_mm_set1_ps(-0.0f), a); }
HPCK_SI vf32 vf32_min(vf32 a, vf32 b) { return _mm_min_ps(a, b); }
HPCK_SI vf32 vf32_max(vf32 a, vf32 b) { return _mm_max_ps(a, b); }
HPCK_SI mf32 vf32_lt(vf32 a, vf32 b) { return _mm_cmplt_ps(a, b); }
HPCK_SI mf32 vf32_le(vf32 a, vf32 b) { return _mm_cmple_ps(a, b); }
HPCK_SI mf32 vf32_eq(vf32 a, vf32 b) { return _mm_cmpeq_ps(a, b); }
HPCK_SI mf32 vf32_unord(vf32 a, vf32 b) { return _mm_cmpunord_ps(a, b); }
HPCK_SI mf32 vf32_nle(vf32 a, vf32 b) { return _mm_cmpnle_ps(a, b); }
HPCK_SI mf32 mf32_or(mf32 a, mf32 b) { return _mm_or_ps(a, b); }
HPCK_SI mf32 mf32_and(mf32 a, mf32 b) { return _mm_and_ps(a, b); }
HPCK_SI mf32 mf32_andnot(mf32 a, mf32 b) { return _mm_andnot_ps(a, b); }
HPCK_SI unsigned mf32_bits(mf32 m) { return (unsigned)_mm_movemask_ps(m); }
HPCK_SI mf32 mf32_none(void) { return _mm_setzero_ps(); }
HPCK_SI vf32 vf32_blend(mf32 m, vf32 a, vf32 b)
{
	return _mm_or_ps(_mm_and_ps(m, b), _mm_andnot_ps(m, a));
}
HPCK_SI float vf32_hsum(vf32 v)
{
	__m128 q = _mm_add_ps(v, _mm_movehl_ps(v, v));
	return _mm_cvtss_f32(_mm_add_ss(q, _mm_shuffle_ps(q, q, 1)));
}
HPCK_SI float vf32_hmax(vf32 v)
{
	__m128 q = _mm_max_ps(v, _mm_movehl_ps(v, v));
	return _mm_cvtss_f32(_mm_max_ss(q, _mm_shuffle_ps(q, q, 1)));
}
HPCK_SI float vf32_hmin(vf32 v)
{
	__m128 q = _mm_min_ps(v, _mm_movehl_ps(v, v));
	return _mm_cvtss_f32(_mm_min_ss(q, _mm_shuffle_ps(q, q, 1)));
}
HPCK_SI vi32 vf32_sidx(ptrdiff_t s)
{
	return _mm_set_epi32((int)(3 * s), (int)(2 * s), (int)s, 0);
}
HPCK_SI vf32 vf32_gather_n(const float *p, vi32 idx, size_t n, float fill)
{
	int32_t o[4];
	float t[4] = { fill, fill, fill, fill };
	_mm_storeu_si128((__m128i *)o, idx);
	for (size_t k = 0; k < n; k++)
		t[k] = p[o[k]];
	return _mm_loadu_ps(t);
}
HPCK_SI vf32 vf32_gather(const float *p, vi32 idx) { return vf32_gather_n(p, idx, 4, 0); }
HPCK_SI void vf32_scatter_n(float *p, vi32 idx, vf32 v, size_t n)
{
	int32_t o[4];
	float t[4];
	_mm_storeu_si128((__m128i *)o, idx);
	_mm_storeu_ps(t, v);
	for (size_t k = 0; k < n; k++)
		p[o[k]] = t[k];
}
HPCK_SI void vf32_scatter(float *p, vi32 idx, vf32 v) { vf32_scatter_n(p, idx, v, 4); }
HPCK_SI vf32 vf32_load2(const float *p)
{
	return _mm_shuffle_ps(_mm_loadu_ps(p), _mm_loadu_ps(p + 4), 0x88);
}
HPCK_SI vf32 vf32_loadr(const float *p)
{
	__m128 v = _mm_loadu_ps(p - 3);
	return _mm_shuffle_ps(v, v, 0x1b);
}
HPCK_SI void vf32_storer(float *p, vf32 v) { _mm_storeu_ps(p - 3, _mm_shuffle_ps(v, v, 0x1b)); }
HPCK_SI void vf32_store2(float *p, vf32 v)
{
	float t[4];
	_mm_storeu_ps(t, v);
	for (int k = 0; k < 4; k++)
		p[2 * k] = t[k];
}
HPCK_SI vi32 vf32_asi(vf32 v) { return _mm_castps_si128(v); }
HPCK_SI vf32 vi32_asf(vi32 v) { return _mm_castsi128_ps(v); }
HPCK_SI vi32 vi32_set1(int32_t x) { return _mm_set1_epi32(x); }
HPCK_SI vi32 vi32_add(vi32 a, vi32 b) { return _mm_add_epi32(a, b); }
HPCK_SI vi32 vi32_sub(vi32 a, vi32 b) { return _mm_sub_epi32(a, b); }
HPCK_SI vi32 vi32_and(vi32 a, vi32 b) { return _mm_and_si128(a, b); }
#define vi32_shl(a, k) _mm_slli_epi32((a), (k))
#define vi32_shr(a, k) _mm_srli_epi32((a), (k))
#define vi32_sra(a, k) _mm_srai_epi32((a), (k))
HPCK_SI vf32 vi32_tof(vi32 a) { return _mm_cvtepi32_ps(a); }
struct vf32_tab16 {
	const float *t;
};
HPCK_SI struct vf32_tab16 vf32_tab16_load(const float *t)
{
	struct vf32_tab16 r = { t };
	return r;
}
HPCK_SI vf32 vf32_lut16(struct vf32_tab16 t, vi32 idx)
{
	int32_t o[4];
	float r[4];
	_mm_storeu_si128((__m128i *)o, idx);
	for (int k = 0; k < 4; k++)
		r[k] = t.t[o[k] & 15];
	return _mm_loadu_ps(r);
}

HPCK_SI vf64 vf64_from_f32(const float *p) { return _mm_set_pd(p[1], p[0]); }
HPCK_SI vf64 vf64_from_f32_n(const float *p, size_t n)
{
	return _mm_set_pd(n > 1 ? p[1] : 0.0, p[0]);
}

HPCK_SI void hpck_stream_fence(void) { _mm_sfence(); }
