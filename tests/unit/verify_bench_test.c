/* SPDX-License-Identifier: MIT */
/* verify_bench_test.c - the reference checks (Freivalds) and a benchmark of Debian's
 * OpenBLAS from C */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "verify_int.h"

static void fill(double *x, size_t n, unsigned seed)
{
	for (size_t i = 0; i < n; i++)
		x[i] = (double)((i * 2654435761u + seed) % 2001) / 1000.0 - 1.0;
}

/* C = A*B, column-major, the plain way */
static void gemm(int n, const double *a, const double *b, double *c)
{
	for (int j = 0; j < n; j++)
		for (int i = 0; i < n; i++) {
			double s = 0;

			for (int k = 0; k < n; k++)
				s += a[i + k * n] * b[k + j * n];
			c[i + j * n] = s;
		}
}

static void test_gemm_residual(void **state)
{
	int n = 96;
	size_t nn = (size_t)n * n;
	double *a = hpc_xmalloc(nn * sizeof(double)), *b = hpc_xmalloc(nn * sizeof(double));
	double *c = hpc_xmalloc(nn * sizeof(double));
	float *fa = hpc_xmalloc(nn * sizeof(float)), *fb = hpc_xmalloc(nn * sizeof(float));
	float *fc = hpc_xmalloc(nn * sizeof(float));

	fill(a, nn, 1);
	fill(b, nn, 7);
	gemm(n, a, b, c);
	assert_true(hpc_verify_gemm_residual(n, a, b, c, 0x1p-53) <= 1.0);
	/* one element off by a little is caught; NaN is the worst */
	c[5 + 17 * n] += 1e-6;
	assert_true(hpc_verify_gemm_residual(n, a, b, c, 0x1p-53) > 1.0);
	c[0] = NAN;
	assert_true(isinf(hpc_verify_gemm_residual(n, a, b, c, 0x1p-53)));
	/* single precision against its own rounding */
	gemm(n, a, b, c);
	for (size_t i = 0; i < nn; i++) {
		fa[i] = (float)a[i];
		fb[i] = (float)b[i];
	}
	for (int j = 0; j < n; j++)
		for (int i = 0; i < n; i++) {
			float s = 0;

			for (int k = 0; k < n; k++)
				s += fa[i + k * n] * fb[k + j * n];
			fc[i + j * n] = s;
		}
	assert_true(hpc_verify_sgemm_residual(n, fa, fb, fc) <= 1.0);
	fc[3] += 1.0f;
	assert_true(hpc_verify_sgemm_residual(n, fa, fb, fc) > 1.0);
	free(a);
	free(b);
	free(c);
	free(fa);
	free(fb);
	free(fc);
}

/* The real thing on Debian's OpenBLAS: every row measured or skipped, every answer right. */
static void test_bench_openblas(void **state)
{
	struct hpc_verify_opts o = { .python = "/usr/bin/python3", .blas = true,
				     .mode = HPC_VERIFY_QUICK };
	struct hpc_verify *v = hpc_verify_new(&o);
	const char *lib = "/usr/lib/x86_64-linux-gnu/openblas-pthread/libblas.so.3";
	bool seen_dgemm = false, seen_dot = false;

	if (!hpc_path_exists(lib))
		skip();
	assert_int_equal(hpc_verify_peak_topology(&v->peak, NULL), 0);
	v->blas.gemm_path = hpc_xstrdup(lib);
	assert_int_equal(hpc_verify_bench_run(v, NULL, NULL), 0);
	assert_true(v->nbench >= 4);
	for (size_t i = 0; i < v->nbench; i++) {
		const struct hpc_verify_bench *b = &v->bench[i];

		if (b->skipped)
			continue;
		assert_true(b->ok);
		assert_true(b->reps == 3);
		assert_true(b->min <= b->median && b->median <= b->max);
		assert_true(b->gflops > 0);
		assert_non_null(b->core); /* OpenBLAS says which kernels ran */
		seen_dgemm |= !strcmp(b->op, "dgemm");
		seen_dot |= !strcmp(b->op, "ddot") && b->gbs > 0;
	}
	assert_true(seen_dgemm && seen_dot);
	assert_int_equal(hpc_verify_check_get(v, "bench.residual")->status, HPC_VERIFY_PASS);
	assert_null(hpc_verify_finding_get(v, "blas-wrong-results"));
	hpc_verify_free(v);
}

static void add_row(struct hpc_verify *v, const char *op, int n, int threads, double gflops)
{
	struct hpc_verify_bench *b;

	v->bench = hpc_xrealloc(v->bench, (v->nbench + 1) * sizeof(*v->bench));
	b = &v->bench[v->nbench++];
	memset(b, 0, sizeof(*b));
	snprintf(b->op, sizeof(b->op), "%s", op);
	b->n = n;
	b->threads = threads;
	b->gflops = gflops;
	b->residual = 0.5;
	b->ok = true;
}

/* Fixed figures: the 50% line, and a DGEMM faster than the FMA loop taking over as peak. */
static void test_judge_rows(void **state)
{
	struct hpc_verify_opts o = { .python = "/usr/bin/python3", .blas = true };
	struct hpc_verify *v = hpc_verify_new(&o);
	const struct hpc_verify_finding *f;

	v->peak.cores = 2;
	v->peak.dp_core = 40;
	v->peak.dp_all = 80;
	add_row(v, "dgemm", 1024, 1, 30);
	add_row(v, "dgemm", 1024, 2, 38);
	hpc_verify_bench_judge(v);
	assert_true(fabs(v->bench[1].pct - 47.5) < 1e-9);
	f = hpc_verify_finding_get(v, "blas-below-peak");
	assert_non_null(f);
	assert_true(f->measured);
	assert_non_null(strstr(f->message, "DGEMM n=1024 on 2 threads reaches 38.0 GFLOP/s, 48%"));
	assert_int_equal(v->peak.gemm_best, 0);
	hpc_verify_free(v);

	/* one thread of DGEMM at 50 beats the loop's 40: the loop was held back, GEMM is the
	 * peak (per core 50, all cores scaled alike: 100), and 2 threads at 90 are fine */
	v = hpc_verify_new(&o);
	v->peak.cores = 2;
	v->peak.dp_core = 40;
	v->peak.dp_all = 80;
	add_row(v, "dgemm", 1024, 1, 50);
	add_row(v, "dgemm", 1024, 2, 90);
	hpc_verify_bench_judge(v);
	assert_true(v->peak.gemm_best == 50);
	assert_true(fabs(hpc_verify_peak_dp(&v->peak, 2) - 100) < 1e-9);
	assert_true(fabs(v->bench[1].pct - 90) < 1e-9);
	assert_non_null(strstr(hpc_verify_check_get(v, "cpu.peak")->summary, "from DGEMM"));
	assert_null(hpc_verify_finding_get(v, "blas-below-peak"));
	hpc_verify_free(v);
}

static void test_bench_unloadable(void **state)
{
	struct hpc_verify_opts o = { .python = "/usr/bin/python3", .blas = true,
				     .mode = HPC_VERIFY_QUICK };
	struct hpc_verify *v = hpc_verify_new(&o);

	assert_int_equal(hpc_verify_peak_topology(&v->peak, NULL), 0);
	/* no BLAS at all: skipped */
	assert_int_equal(hpc_verify_bench_run(v, NULL, NULL), 0);
	assert_int_equal(hpc_verify_check_get(v, "bench.dgemm")->status, HPC_VERIFY_SKIP);
	/* a library without a GEMM: named, with the reason */
	v->blas.gemm_path = hpc_xstrdup("/lib/x86_64-linux-gnu/libz.so.1");
	assert_int_equal(hpc_verify_bench_run(v, NULL, NULL), 0);
	assert_non_null(strstr(hpc_verify_finding_get(v, "blas-bench-failed")->message,
			       "libz.so.1 failed (exit 3): cannot load a GEMM"));
	hpc_verify_free(v);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_gemm_residual),
		cmocka_unit_test(test_bench_openblas),
		cmocka_unit_test(test_bench_unloadable),
		cmocka_unit_test(test_judge_rows),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
