/* SPDX-License-Identifier: MIT */
/* reduce_test.c - sum, mean, dot, nrm2, min, max, argmin, argmax, per path */
#include <float.h>
#include <math.h>
#include <stdlib.h>

#include "ktest.h"

/* Compensated long double sum: far more accurate than anything under test. */
static long double exact_sum(const double *x, ptrdiff_t s, size_t n, const double *y,
			     ptrdiff_t sy)
{
	long double sum = 0, c = 0, t, v;

	for (size_t i = 0; i < n; i++) {
		v = x[(ptrdiff_t)i * s];
		if (y)
			v *= y[(ptrdiff_t)i * sy];
		t = sum + v;
		c += fabsl(sum) >= fabsl(v) ? (sum - t) + v : (v - t) + sum;
		sum = t;
	}
	return sum + c;
}

static double abs_sum(const double *x, ptrdiff_t s, size_t n, const double *y, ptrdiff_t sy)
{
	double a = 0;

	for (size_t i = 0; i < n; i++)
		a += fabs(x[(ptrdiff_t)i * s] * (y ? y[(ptrdiff_t)i * sy] : 1));
	return a;
}

static void test_sum_dot(void **state)
{
	size_t nmax = 300007;
	double *x = malloc(nmax * 3 * sizeof(double)), *y = malloc(nmax * 3 * sizeof(double));
	float *xf = malloc(nmax * 3 * sizeof(float));

	(void)state;
	kt_seed(20);
	for (size_t i = 0; i < nmax * 3; i++) {
		x[i] = kt_unif(-1, 1) * (i % 7 ? 1 : 1e6);
		y[i] = kt_unif(-1, 1);
		xf[i] = (float)kt_unif(0, 1);
	}
	for (size_t k = 0; k < kt_nsizes; k++)
		for (size_t j = 0; j < kt_nstrides; j++) {
			size_t n = kt_sizes[k];
			ptrdiff_t s = kt_strides[j];
			if ((size_t)labs(s) * n > nmax * 3)
				continue;
			const double *xs = s < 0 ? x + (n - 1) * (size_t)-s : x;
			const float *xfs = s < 0 ? xf + (n - 1) * (size_t)-s : xf;
			double bound = (log2((double)n) + 20) * DBL_EPSILON;
			double got = hpck_sum_f64(n, xs, s, NULL);
			long double want = exact_sum(xs, s, n, NULL, 0);
			if (fabsl(got - want) > bound * abs_sum(xs, s, n, NULL, 0))
				fail_msg("sum n %zu stride %td: %a, want %La", n, s, got, want);
			got = hpck_dot_f64(n, xs, s, y, 1, NULL);
			want = exact_sum(xs, s, n, y, 1);
			if (fabsl(got - want) > bound * abs_sum(xs, s, n, y, 1))
				fail_msg("dot n %zu stride %td: %a, want %La", n, s, got, want);
			/* float32: all positive, relative bound */
			long double wf = 0;
			for (size_t i = 0; i < n; i++)
				wf += xfs[(ptrdiff_t)i * s];
			float gf = hpck_sum_f32(n, xfs, s, NULL);
			if (fabsl(gf - wf) > (log2((double)n) + 20) * FLT_EPSILON * wf)
				fail_msg("sum f32 n %zu stride %td: %a, want %La", n, s, gf, wf);
			float gd = hpck_dot_f32(n, xfs, s, xfs, s, NULL);
			long double wd = 0;
			for (size_t i = 0; i < n; i++)
				wd += (long double)xfs[(ptrdiff_t)i * s] * xfs[(ptrdiff_t)i * s];
			if (fabsl(gd - wd) > (log2((double)n) + 20) * FLT_EPSILON * wd)
				fail_msg("dot f32 n %zu stride %td: %a, want %La", n, s, gd, wd);
			assert_true(hpck_mean_f64(n, xs, s, NULL) == hpck_sum_f64(n, xs, s, NULL) / n);
			assert_true(hpck_mean_f32(n, xfs, s, NULL) ==
				    hpck_sum_f32(n, xfs, s, NULL) / (float)n);
		}
	free(x);
	free(y);
	free(xf);
}

/* Summing a block of 1e16 and many ones: pairwise keeps the ones (naive would not). */
static void test_sum_accuracy(void **state)
{
	size_t n = 1 << 20;
	double *x = malloc(n * sizeof(double));
	int fe;

	(void)state;
	for (size_t i = 0; i < n; i++)
		x[i] = i == 0 ? 1e16 : 1.0;
	double s = hpck_sum_f64(n, x, 1, &fe);
	assert_int_equal(fe, 0);
	assert_true(fabs(s - (1e16 + (double)(n - 1))) <= 64);
	free(x);
}

static void test_sum_exceptions(void **state)
{
	double big[3] = { 1e308, 1e308, 1 }, inf[3] = { INFINITY, -INFINITY, 1 };
	double nan[3] = { NAN, 1, 2 };
	int fe;

	(void)state;
	assert_true(isinf(hpck_sum_f64(3, big, 1, &fe)));
	assert_int_equal(fe, HPCK_FE_OVERFLOW);
	assert_true(isnan(hpck_sum_f64(3, inf, 1, &fe)));
	assert_int_equal(fe, HPCK_FE_INVALID);
	assert_true(isnan(hpck_sum_f64(3, nan, 1, &fe)));
	assert_int_equal(fe, 0);
	assert_true(hpck_sum_f64(0, NULL, 1, &fe) == 0 && fe == 0);
	assert_true(hpck_dot_f32(0, NULL, 1, NULL, 1, &fe) == 0 && fe == 0);
	assert_true(isnan(hpck_mean_f64(0, NULL, 1, &fe)));
	assert_int_equal(fe, HPCK_FE_INVALID);
}

static void test_nrm2(void **state)
{
	size_t n = 70001;
	double *x = malloc(n * sizeof(double));
	float *xf = malloc(n * sizeof(float));
	const double scales[] = { 1, 1e300, 1e-300, 0x1p-1074 * 3 };

	(void)state;
	kt_seed(21);
	for (size_t sc = 0; sc < 4; sc++) {
		for (size_t i = 0; i < n; i++)
			x[i] = kt_unif(-1, 1) * scales[sc];
		for (size_t k = 0; k < kt_nsizes; k++) {
			size_t m = kt_sizes[k] < n ? kt_sizes[k] : n;
			long double ss = 0, want;
			double got = hpck_nrm2_f64(m, x, 1);
			for (size_t i = 0; i < m; i++)
				ss += ((long double)x[i] / scales[sc]) * ((long double)x[i] / scales[sc]);
			want = sqrtl(ss) * scales[sc];
			/* subnormal inputs carry only a few bits themselves */
			double tol = sc == 3 ? 0.5 : 8 * DBL_EPSILON;
			if (fabsl(got - want) > tol * want)
				fail_msg("nrm2 scale %g n %zu: %a, want %La", scales[sc], m, got, want);
			got = hpck_nrm2_f64(m / 2, x + m - 1, -2);
			if (m / 2 && !(got > 0 && isfinite(got)))
				fail_msg("nrm2 strided scale %g n %zu: %a", scales[sc], m / 2, got);
		}
	}
	/* big and tiny together, inf, NaN, zeros */
	x[0] = 1e300;
	x[1] = 1e-300;
	x[2] = 3;
	assert_true(fabs(hpck_nrm2_f64(3, x, 1) - 1e300) <= 1e300 * DBL_EPSILON);
	x[1] = INFINITY;
	assert_true(isinf(hpck_nrm2_f64(3, x, 1)));
	x[2] = NAN;
	assert_true(isnan(hpck_nrm2_f64(3, x, 1)));
	x[0] = x[1] = x[2] = 0;
	assert_true(hpck_nrm2_f64(3, x, 1) == 0 && hpck_nrm2_f64(0, x, 1) == 0);
	/* float32 squares overflow float, not the double accumulator */
	for (size_t i = 0; i < n; i++)
		xf[i] = 1e30f;
	float r = hpck_nrm2_f32(n, xf, 1);
	assert_true(fabsf(r - 1e30f * sqrtf((float)n)) <= 1e30f * sqrtf((float)n) * 1e-6f);
	xf[7] = NAN;
	assert_true(isnan(hpck_nrm2_f32(n, xf, 1)));
	free(x);
	free(xf);
}

/* numpy's rules: first NaN wins, else the first extreme */
static ptrdiff_t ref_arg(const double *x, ptrdiff_t s, size_t n, int mx)
{
	size_t r = 0;

	for (size_t i = 1; i < n; i++) {
		double v = x[(ptrdiff_t)i * s], c = x[(ptrdiff_t)r * s];
		if (isnan(c))
			break;
		if (isnan(v) || (mx ? v > c : v < c))
			r = i;
	}
	return (ptrdiff_t)r;
}

static void check_extremes(const double *x, ptrdiff_t s, size_t n, float *tmp)
{
	for (size_t i = 0; i < n; i++)
		tmp[i] = (float)x[(ptrdiff_t)i * s];
	for (int mx = 0; mx < 2; mx++) {
		ptrdiff_t want = ref_arg(x, s, n, mx), wantf = ref_arg(x, s, n, mx);
		ptrdiff_t got = mx ? hpck_argmax_f64(n, x, s) : hpck_argmin_f64(n, x, s);
		ptrdiff_t gotf = mx ? hpck_argmax_f32(n, tmp, 1) : hpck_argmin_f32(n, tmp, 1);
		double e = mx ? hpck_max_f64(n, x, s) : hpck_min_f64(n, x, s);
		double w = x[want * s];
		if (got != want)
			fail_msg("arg%s n %zu stride %td: %td, want %td", mx ? "max" : "min", n, s,
				 got, want);
		if (!(e == w || (isnan(e) && isnan(w))))
			fail_msg("%s n %zu stride %td: %a, want %a", mx ? "max" : "min", n, s, e, w);
		/* the float copy may round distinct doubles together: compare by value */
		if (tmp[gotf] != (float)x[wantf * s] && !(isnan(tmp[gotf]) && isnan(x[wantf * s])))
			fail_msg("arg%s f32 n %zu: %td, want %td", mx ? "max" : "min", n, gotf, wantf);
	}
}

static void test_extremes(void **state)
{
	size_t nmax = 300007;
	double *x = malloc(nmax * 2 * sizeof(double));
	float *tmp = malloc(nmax * sizeof(float));

	(void)state;
	kt_seed(22);
	for (size_t k = 0; k < kt_nsizes; k++)
		for (size_t j = 0; j < kt_nstrides; j++) {
			size_t n = kt_sizes[k];
			ptrdiff_t s = kt_strides[j];
			if ((size_t)labs(s) * n > nmax * 2)
				continue;
			double *xs = s < 0 ? x + (n - 1) * (size_t)-s : x;
			for (size_t i = 0; i < n; i++) /* few distinct values: ties */
				xs[(ptrdiff_t)i * s] = (double)(kt_u64() % 1000) - 500;
			check_extremes(xs, s, n, tmp);
			xs[(ptrdiff_t)(kt_u64() % n) * s] = INFINITY;
			xs[(ptrdiff_t)(kt_u64() % n) * s] = -INFINITY;
			check_extremes(xs, s, n, tmp);
			size_t p = kt_u64() % n;
			xs[(ptrdiff_t)p * s] = NAN;
			check_extremes(xs, s, n, tmp);
			xs[(ptrdiff_t)(n - 1) * s] = NAN; /* a later NaN changes nothing */
			check_extremes(xs, s, n, tmp);
			xs[0] = NAN;
			check_extremes(xs, s, n, tmp);
		}
	double z[4] = { -0.0, 0.0, 0.0, -0.0 };
	assert_int_equal(hpck_argmax_f64(4, z, 1), 0);
	assert_int_equal(hpck_argmin_f64(4, z, 1), 0);
	assert_true(isnan(hpck_max_f64(0, z, 1)));
	assert_int_equal(hpck_argmin_f32(0, NULL, 1), -1);
	free(x);
	free(tmp);
}

/* Every alignment of the array to a 64-byte line (contiguous min/max/argmin/argmax peel
 * a head and align their blocks), the extreme or a NaN just before, at and after the
 * peeled head and the first block boundary. */
static void test_extremes_alignment(void **state)
{
	enum { N = 1500 };
	double *buf = kt_alloc64((N + 16) * sizeof(double));
	float *tmp = kt_alloc64((N + 16) * sizeof(float));
	const size_t where[] = { 0, 1, 6, 7, 8, 9, 15, 16, 17, 255, 256, 257, 511, 512, 513,
				 1023, 1024, 1025 };

	(void)state;
	assert_true(buf && tmp);
	kt_seed(23);
	for (size_t off = 0; off < 16; off++)
		for (size_t n = 700; n <= N; n += 800)
			for (size_t w = 0; w < sizeof(where) / sizeof(where[0]); w++) {
				double *x = buf + off;
				size_t p = where[w] < n ? where[w] : n - 1;
				for (size_t i = 0; i < n; i++)
					x[i] = (double)(kt_u64() % 1000) - 500;
				x[p] = -1000;
				x[(p + n / 2) % n] = 1000;
				check_extremes(x, 1, n, tmp + off);
				x[p] = NAN;
				check_extremes(x, 1, n, tmp + off);
			}
	free(buf);
	free(tmp);
}

static const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_sum_dot),	 cmocka_unit_test(test_sum_accuracy),
	cmocka_unit_test(test_sum_exceptions), cmocka_unit_test(test_nrm2),
	cmocka_unit_test(test_extremes), cmocka_unit_test(test_extremes_alignment),
};
KTEST_MAIN(tests)
