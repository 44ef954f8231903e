/* SPDX-License-Identifier: MIT */
/* threads_test.c - results do not depend on the thread count; fork and concurrent callers
 *
 * ctest runs this with HPCKERN_STREAM_BYTES=1, so every contiguous output also goes
 * through the non-temporal store path.
 */
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ktest.h"

#define N 1000003

struct results {
	double sum, dot, nrm2, mean, min, max;
	float sumf, dotf, nrm2f;
	ptrdiff_t amax, aminf, amax_s;
	double *e; /* exp of x */
	float *lf; /* log of |xf| */
	double *ad; /* x + 3 * y */
};

static double *x, *y;
static float *xf;

static void compute(struct results *r)
{
	r->sum = hpck_sum_f64(N, x, 1, NULL);
	r->dot = hpck_dot_f64(N / 2, x, 2, y + N - 1, -2, NULL);
	r->nrm2 = hpck_nrm2_f64(N, x, 1);
	r->mean = hpck_mean_f64(N, y, 1, NULL);
	r->min = hpck_min_f64(N, x, 1);
	r->max = hpck_max_f64(N / 3, x, 3);
	r->sumf = hpck_sum_f32(N, xf, 1, NULL);
	r->dotf = hpck_dot_f32(N, xf, 1, xf, 1, NULL);
	r->nrm2f = hpck_nrm2_f32(N / 2, xf, 2);
	r->amax = hpck_argmax_f64(N, x, 1);
	r->aminf = hpck_argmin_f32(N, xf, 1);
	r->amax_s = hpck_argmax_f64(N / 2, x + N - 1, -2);
	r->e = malloc(N * sizeof(double));
	r->lf = malloc(N * sizeof(float));
	r->ad = malloc(N * sizeof(double));
	hpck_exp_f64(N, x, 1, r->e, 1);
	hpck_absolute_f32(N, xf, 1, r->lf, 1);
	hpck_log_f32(N, r->lf, 1, r->lf, 1);
	hpck_fma_f64(N, y, 1, (const double[]){ 3.0 }, 0, x, 1, r->ad, 1);
}

static void release(struct results *r)
{
	free(r->e);
	free(r->lf);
	free(r->ad);
}

static int setup(void **state)
{
	(void)state;
	x = malloc(N * sizeof(double));
	y = malloc(N * sizeof(double));
	xf = malloc(N * sizeof(float));
	kt_seed(30);
	for (size_t i = 0; i < N; i++) {
		x[i] = kt_unif(-10, 10);
		y[i] = kt_mixed(0.001);
		xf[i] = (float)kt_unif(-1e3, 1e3);
	}
	x[N / 2 + 17] = 50; /* the max, once */
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	free(x);
	free(y);
	free(xf);
	return 0;
}

static void test_thread_counts(void **state)
{
	struct results ref, r;
	static const int counts[] = { 1, 2, 3, 4, 7 };

	(void)state;
	hpck_set_num_threads(1);
	compute(&ref);
	for (size_t i = 0; i < N; i++) /* the contiguous elementwise results are right too */
		assert_true(kt_same64(ref.ad[i], fma(y[i], 3.0, x[i])));
	for (size_t c = 1; c < sizeof(counts) / sizeof(counts[0]); c++) {
		hpck_set_num_threads(counts[c]);
		assert_int_equal(hpck_num_threads(), counts[c]);
		compute(&r);
		assert_true(kt_same64(r.sum, ref.sum) && kt_same64(r.dot, ref.dot));
		assert_true(kt_same64(r.nrm2, ref.nrm2) && kt_same64(r.mean, ref.mean));
		assert_true(kt_same64(r.min, ref.min) && kt_same64(r.max, ref.max));
		assert_true(kt_same32(r.sumf, ref.sumf) && kt_same32(r.dotf, ref.dotf));
		assert_true(kt_same32(r.nrm2f, ref.nrm2f));
		assert_int_equal(r.amax, ref.amax);
		assert_int_equal(r.amax, N / 2 + 17);
		assert_int_equal(r.aminf, ref.aminf);
		assert_int_equal(r.amax_s, ref.amax_s);
		assert_memory_equal(r.e, ref.e, N * sizeof(double));
		assert_memory_equal(r.lf, ref.lf, N * sizeof(float));
		assert_memory_equal(r.ad, ref.ad, N * sizeof(double));
		release(&r);
	}
	release(&ref);
	hpck_set_num_threads(0);
}

/* A child forked after the pool ran has no workers; it must still compute. */
static void test_fork(void **state)
{
	double want;
	pid_t pid;
	int st;

	(void)state;
	hpck_set_num_threads(3);
	want = hpck_sum_f64(N, x, 1, NULL);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0)
		_exit(kt_same64(hpck_sum_f64(N, x, 1, NULL), want) ? 0 : 1);
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	hpck_set_num_threads(0);
}

static void *other_caller(void *arg)
{
	double *out = arg;

	for (int k = 0; k < 20; k++)
		out[k] = hpck_dot_f64(N, x, 1, y, 1, NULL);
	return NULL;
}

/* Concurrent callers share the pool (one runs inline) and still agree. */
static void test_concurrent(void **state)
{
	double a[20], b[20], want;
	pthread_t t;

	(void)state;
	hpck_set_num_threads(2);
	want = hpck_dot_f64(N, x, 1, y, 1, NULL);
	assert_int_equal(pthread_create(&t, NULL, other_caller, a), 0);
	other_caller(b);
	pthread_join(t, NULL);
	for (int k = 0; k < 20; k++)
		assert_true(kt_same64(a[k], want) && kt_same64(b[k], want));
	hpck_set_num_threads(0);
}

static const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_thread_counts),
	cmocka_unit_test(test_fork),
	cmocka_unit_test(test_concurrent),
};

int main(void)
{
	const struct CMUnitTest *t = tests;
	setup(NULL);
	int r = ktest_main(__FILE__, t, sizeof(tests) / sizeof(tests[0]));
	teardown(NULL);
	return r;
}
