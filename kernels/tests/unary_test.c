/* SPDX-License-Identifier: MIT */
/* unary_test.c - negative, absolute, sqrt (exact), exp and log (ULPs vs long double), per path
 *
 * The exp/log error bounds asserted here are the ones docs/kernels.md publishes; the
 * measured maxima are printed so the table there can be refreshed.
 */
#include <fenv.h>
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ktest.h"
#ifdef __SSE__
#include <xmmintrin.h>
#endif

/* Published bounds (ULP) on every path, normal results; subnormal results within 1. */
#define EXP64_MAX_ULP 0.56
#define LOG64_MAX_ULP 0.55
#define EXP32_MAX_ULP 0.75
#define LOG32_MAX_ULP 0.55

static void test_sign_ops(void **state)
{
	double x[257], y[257];
	float xf[257], yf[257];

	(void)state;
	kt_seed(10);
	for (int i = 0; i < 257; i++) {
		x[i] = kt_mixed(0.3);
		xf[i] = kt_mixedf(0.3);
	}
	x[5] = -NAN; /* the sign bit of NaNs flips too, as numpy's */
	for (size_t k = 0; k < kt_nstrides; k++) {
		ptrdiff_t s = kt_strides[k];
		size_t n = 257 / (size_t)(s < 0 ? -s : s);
		const double *xs = s < 0 ? x + 256 : x;
		double *ys = s < 0 ? y + 256 : y;
		const float *xfs = s < 0 ? xf + 256 : xf;
		float *yfs = s < 0 ? yf + 256 : yf;

		assert_int_equal(hpck_negative_f64(n, xs, s, ys, s), 0);
		for (size_t i = 0; i < n; i++) {
			uint64_t a, b;
			memcpy(&a, &xs[(ptrdiff_t)i * s], 8);
			memcpy(&b, &ys[(ptrdiff_t)i * s], 8);
			assert_true((a ^ b) == 0x8000000000000000u);
		}
		assert_int_equal(hpck_absolute_f64(n, xs, s, ys, s), 0);
		for (size_t i = 0; i < n; i++) {
			uint64_t a, b;
			memcpy(&a, &xs[(ptrdiff_t)i * s], 8);
			memcpy(&b, &ys[(ptrdiff_t)i * s], 8);
			assert_true((a & 0x7fffffffffffffffu) == b);
		}
		assert_int_equal(hpck_negative_f32(n, xfs, s, yfs, s), 0);
		assert_int_equal(hpck_absolute_f32(n, yfs, s, yfs, s), 0); /* in place */
		for (size_t i = 0; i < n; i++)
			assert_true(kt_same32(yfs[(ptrdiff_t)i * s], fabsf(xfs[(ptrdiff_t)i * s])));
	}
}

static void test_sqrt(void **state)
{
	double x[1031], y[1031];
	float xf[1031], yf[1031];
	double m1 = -1, r;

	(void)state;
	kt_seed(11);
	for (int i = 0; i < 1031; i++) {
		x[i] = fabs(kt_mixed(0.2));
		xf[i] = fabsf(kt_mixedf(0.2));
	}
	assert_int_equal(hpck_sqrt_f64(1031, x, 1, y, 1), 0);
	assert_int_equal(hpck_sqrt_f32(516, xf, 2, yf, 2), 0);
	for (int i = 0; i < 1031; i++) {
		assert_true(kt_same64(y[i], sqrt(x[i])));
		if (i % 2 == 0)
			assert_true(kt_same32(yf[i], sqrtf(xf[i])));
	}
	assert_int_equal(hpck_sqrt_f64(1, &m1, 1, &r, 1), HPCK_FE_INVALID);
	assert_true(isnan(r));
	m1 = -0.0;
	assert_int_equal(hpck_sqrt_f64(1, &m1, 1, &r, 1), 0);
	assert_true(r == 0 && signbit(r));
}

/* The loops of the every-float check, optimized and unsanitized even in the ASan build
 * (4.3e9 elements: 146 s there otherwise). */
#if defined(__GNUC__) && !defined(__clang__)
#define KT_FAST __attribute__((optimize("O2"), no_sanitize("address", "undefined")))
#else
#define KT_FAST
#endif

KT_FAST static size_t fill_bits(float *x, size_t chunk, uint64_t *u, uint32_t step)
{
	size_t n = 0;

	for (; n < chunk && *u < ((uint64_t)1 << 32); n++, *u += step) {
		uint32_t b = (uint32_t)*u;
		memcpy(&x[n], &b, sizeof(b));
	}
	return n;
}

/* elements of y that differ from IEEE sqrt of x (NaNs of any payload agree) */
KT_FAST static uint64_t sqrt_mismatches(const float *x, const float *y, size_t n)
{
	uint64_t bad = 0;

	for (size_t i = 0; i < n; i++) {
		float want;
		uint32_t gb, wb;
#ifdef __SSE__
		/* the IEEE instruction itself: libm's sqrtf (errno) made this 4x slower */
		want = _mm_cvtss_f32(_mm_sqrt_ss(_mm_set_ss(x[i])));
#else
		want = sqrtf(x[i]);
#endif
		memcpy(&gb, &y[i], sizeof(gb));
		memcpy(&wb, &want, sizeof(wb));
		if (gb != wb && !(isnan(y[i]) && isnan(want)) && bad++ < 5)
			printf("sqrt float32 %a: %a, want %a\n", x[i], y[i], want);
	}
	return bad;
}

/* float32 sqrt against IEEE sqrt for every bit pattern on the AVX-512 path (its sqrt
 * is a Newton step from vrsqrt14ps, not vsqrtps: see simd_avx512.h), for every 4099th
 * elsewhere; in chunks, so the positive normal range is also seen raising no
 * exception. */
static void test_sqrt32_every_float(void **state)
{
	const size_t chunk = (size_t)1 << 20;
	uint32_t step = strcmp(hpck_dispatch_path(), "avx512") ? 4099 : 1;
	float *x = malloc(chunk * sizeof(float)), *y = malloc(chunk * sizeof(float));
	uint64_t bad = 0, u = 0;

	(void)state;
	assert_non_null(x);
	assert_non_null(y);
	while (u < ((uint64_t)1 << 32)) {
		uint64_t first = u;
		size_t n = fill_bits(x, chunk, &u, step);
		int fe = hpck_sqrt_f32(n, x, 1, y, 1);
		/* [2^-64, inf) as bits: 0x1f800000 .. 0x7f7fffff */
		if (step == 1 && first >= 0x1f800000u && u <= 0x7f800000u && fe != 0)
			fail_msg("sqrt float32 raised %#x on positive normal inputs from %#llx", fe,
				 (unsigned long long)first);
		bad += sqrt_mismatches(x, y, n);
	}
	/* other rounding modes take the IEEE instruction: still exact in that mode */
	kt_seed(12);
	for (size_t i = 0; i < 4096; i++)
		x[i] = (float)kt_unif(0.5, 2) * ldexpf(1, (int)(kt_u64() % 200) - 100);
	fesetround(FE_UPWARD);
	hpck_sqrt_f32(4096, x, 1, y, 1);
	bad += sqrt_mismatches(x, y, 4096);
	fesetround(FE_TONEAREST);
	free(x);
	free(y);
	if (bad)
		fail_msg("sqrt float32: %llu of the inputs differ from IEEE sqrt",
			 (unsigned long long)bad);
}

/* ---- exp / log accuracy ---- */

struct acc {
	double worst;
	double at;
};

static void note(struct acc *a, double ulp, double x)
{
	if (ulp > a->worst) {
		a->worst = ulp;
		a->at = x;
	}
}

#define NACC 4096
/* Apply the kernel to xs[0..n) in vectors of NACC (strided by 1) and measure. */
static void measure64(int (*f)(size_t, const double *, ptrdiff_t, double *, ptrdiff_t),
		      long double (*ref)(long double), const double *xs, size_t n, struct acc *a)
{
	double *y = malloc(n * sizeof(double));

	assert_non_null(y);
	f(n, xs, 1, y, 1);
	for (size_t i = 0; i < n; i++)
		note(a, kt_ulp64(y[i], ref(xs[i])), xs[i]);
	free(y);
}

static void measure32(int (*f)(size_t, const float *, ptrdiff_t, float *, ptrdiff_t),
		      long double (*ref)(long double), const float *xs, size_t n, struct acc *a)
{
	float *y = malloc(n * sizeof(float));

	assert_non_null(y);
	f(n, xs, 1, y, 1);
	for (size_t i = 0; i < n; i++)
		note(a, kt_ulp32(y[i], ref(xs[i])), xs[i]);
	free(y);
}

static void test_exp64(void **state)
{
	static const double ranges[][2] = { { -708.39, 709.8 }, { -1, 1 }, { -1e-6, 1e-6 },
					    { -708.39, -700 }, { 700, 709.79 }, { -30, 30 } };
	size_t n = 200000;
	double *x = malloc(n * sizeof(double));
	struct acc a = { 0, 0 }, sub = { 0, 0 };

	(void)state;
	kt_seed(12);
	for (size_t r = 0; r < sizeof(ranges) / sizeof(ranges[0]); r++) {
		for (size_t i = 0; i < n; i++)
			x[i] = kt_unif(ranges[r][0], ranges[r][1]);
		measure64(hpck_exp_f64, expl, x, n, &a);
	}
	/* subnormal results: rounded twice (to 53 bits, then to the subnormal grid) */
	for (size_t i = 0; i < n; i++)
		x[i] = kt_unif(-745.2, -708.4);
	measure64(hpck_exp_f64, expl, x, n, &sub);
	print_message("exp float64 (%s): max %.3f ULP at %a; subnormal results %.3f ULP\n",
		      hpck_dispatch_path(), a.worst, a.at, sub.worst);
	assert_true(a.worst <= EXP64_MAX_ULP);
	assert_true(sub.worst <= 1.0);
	free(x);
}

static void test_log64(void **state)
{
	static const double ranges[][2] = { { 0, 10 }, { 0.5, 2 }, { 0.98, 1.04 },
					    { 1 - 1e-9, 1 + 1e-9 }, { 1e-300, 1e300 } };
	size_t n = 200000;
	double *x = malloc(n * sizeof(double));
	struct acc a = { 0, 0 };

	(void)state;
	kt_seed(13);
	for (size_t r = 0; r < sizeof(ranges) / sizeof(ranges[0]); r++) {
		for (size_t i = 0; i < n; i++)
			x[i] = r == 4 ? exp(kt_unif(-700, 700)) : kt_unif(ranges[r][0], ranges[r][1]);
		measure64(hpck_log_f64, logl, x, n, &a);
	}
	/* subnormal inputs: every binade */
	for (size_t i = 0; i < n; i++)
		x[i] = ldexp(kt_unif(1, 2), -1023 - (int)(i % 51));
	measure64(hpck_log_f64, logl, x, n, &a);
	print_message("log float64 (%s): max %.3f ULP at %a\n", hpck_dispatch_path(), a.worst, a.at);
	assert_true(a.worst <= LOG64_MAX_ULP);
	free(x);
}

/* float32: every 61st finite float (a few tens of millions of values) */
static void sweep32(int (*f)(size_t, const float *, ptrdiff_t, float *, ptrdiff_t),
		    long double (*ref)(long double), float lo, float hi, unsigned step,
		    struct acc *a)
{
	float *x = malloc(NACC * 64 * sizeof(float));
	size_t k = 0;

	assert_non_null(x);
	for (uint64_t b = 0; b < 0x100000000u; b += step) {
		float v;
		uint32_t u = (uint32_t)b;
		memcpy(&v, &u, 4);
		if (!(v >= lo && v <= hi))
			continue;
		x[k++] = v;
		if (k == NACC * 64) {
			measure32(f, ref, x, k, a);
			k = 0;
		}
	}
	measure32(f, ref, x, k, a);
	free(x);
}

static void test_exp32(void **state)
{
	struct acc a = { 0, 0 }, sub = { 0, 0 };

	(void)state;
	sweep32(hpck_exp_f32, expl, -87.33f, 89, 61, &a);
	sweep32(hpck_exp_f32, expl, -104, -87.34f, 7, &sub);
	print_message("exp float32 (%s): max %.3f ULP at %a; subnormal results %.3f ULP\n",
		      hpck_dispatch_path(), a.worst, a.at, sub.worst);
	assert_true(a.worst <= EXP32_MAX_ULP);
	assert_true(sub.worst <= 1.0);
}

static void test_log32(void **state)
{
	struct acc a = { 0, 0 };

	(void)state;
	sweep32(hpck_log_f32, logl, 0, FLT_MAX, 61, &a);
	print_message("log float32 (%s): max %.3f ULP at %a\n", hpck_dispatch_path(), a.worst,
		      a.at);
	assert_true(a.worst <= LOG32_MAX_ULP);
}

/* Special values and the exceptions numpy reports for them. */
static void test_special(void **state)
{
	double x[] = { 0.0, -0.0, -1.0, -INFINITY, INFINITY, NAN, 1.0, 0x1p-1074 };
	double y[8];
	float xf[] = { 0.0f, -0.0f, -1.0f, -INFINITY, INFINITY, NAN, 1.0f, 0x1p-149f };
	float yf[8];
	int fe;

	(void)state;
	fe = hpck_log_f64(8, x, 1, y, 1);
	assert_int_equal(fe, HPCK_FE_DIVBYZERO | HPCK_FE_INVALID);
	assert_true(y[0] == -INFINITY && y[1] == -INFINITY && isnan(y[2]) && isnan(y[3]));
	assert_true(y[4] == INFINITY && isnan(y[5]) && y[6] == 0);
	assert_true(fabs(y[7] - -744.44007192138126) < 1e-12);
	fe = hpck_log_f32(8, xf, 1, yf, 1);
	assert_int_equal(fe, HPCK_FE_DIVBYZERO | HPCK_FE_INVALID);
	assert_true(yf[0] == -INFINITY && isnan(yf[2]) && yf[4] == INFINITY && isnan(yf[5]));
	assert_true(fabsf(yf[7] - -103.27893f) < 1e-4f);
	assert_int_equal(hpck_log_f64(2, x + 4, 1, y, 1), 0); /* inf, NaN: nothing */

	double e[] = { 1000, -1000, INFINITY, -INFINITY, NAN, 0, -740, 709.7 };
	fe = hpck_exp_f64(8, e, 1, y, 1);
	assert_int_equal(fe, HPCK_FE_OVERFLOW | HPCK_FE_UNDERFLOW);
	assert_true(y[0] == INFINITY && y[1] == 0 && y[2] == INFINITY && y[3] == 0);
	assert_true(isnan(y[4]) && y[5] == 1 && y[6] > 0 && y[6] < DBL_MIN && isfinite(y[7]));
	assert_int_equal(hpck_exp_f64(3, e + 2, 1, y, 1), 0); /* +-inf, NaN: nothing */
	assert_int_equal(hpck_exp_f64(1, e + 6, 1, y, 1), HPCK_FE_UNDERFLOW);
	float ef[] = { 100, -200, INFINITY, -INFINITY, NAN, 0, -100, 88.7f };
	fe = hpck_exp_f32(8, ef, 1, yf, 1);
	assert_int_equal(fe, HPCK_FE_OVERFLOW | HPCK_FE_UNDERFLOW);
	assert_true(yf[0] == INFINITY && yf[1] == 0 && yf[2] == INFINITY && yf[3] == 0);
	assert_true(isnan(yf[4]) && yf[5] == 1 && yf[6] > 0 && yf[6] < FLT_MIN && isfinite(yf[7]));
}

/* exp/log through strides and tails give the same bits as contiguous. */
static void test_strided_same(void **state)
{
	double x[999], y1[999], y2[999 * 3];
	float xf[999], yf1[999], yf2[999];

	(void)state;
	kt_seed(14);
	for (int i = 0; i < 999; i++) {
		x[i] = kt_unif(-50, 50);
		xf[i] = (float)kt_unif(0, 50);
	}
	hpck_exp_f64(999, x, 1, y1, 1);
	hpck_exp_f64(999, x + 998, -1, y2 + 3 * 998, -3);
	for (int i = 0; i < 999; i++)
		assert_true(kt_same64(y1[998 - i], y2[3 * (998 - i)]));
	hpck_log_f32(999, xf, 1, yf1, 1);
	hpck_log_f32(500, xf, 2, yf2, 2);
	for (int i = 0; i < 999; i += 2)
		assert_true(kt_same32(yf1[i], yf2[i]));
}

static const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_sign_ops), cmocka_unit_test(test_sqrt),
	cmocka_unit_test(test_sqrt32_every_float),
	cmocka_unit_test(test_exp64),    cmocka_unit_test(test_log64),
	cmocka_unit_test(test_exp32),    cmocka_unit_test(test_log32),
	cmocka_unit_test(test_special),  cmocka_unit_test(test_strided_same),
};
KTEST_MAIN(tests)
