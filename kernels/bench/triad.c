/* SPDX-License-Identifier: MIT */
/* triad.c - a plain C STREAM triad (a[i] = b[i] + s * c[i]) for the benchmark's bandwidth
 * yardstick, on `threads` threads each taking a contiguous slice. Loaded by bench.py
 * with ctypes; returns the best time of `reps` runs in seconds. */
#include <pthread.h>
#include <stddef.h>
#include <time.h>

struct slice {
	double *a;
	const double *b, *c;
	double s;
	size_t n;
};

static void *run(void *arg)
{
	struct slice *t = arg;

	for (size_t i = 0; i < t->n; i++)
		t->a[i] = t->b[i] + t->s * t->c[i];
	return NULL;
}

double hpck_bench_triad(double *a, const double *b, const double *c, size_t n, int threads,
			int reps);

double hpck_bench_triad(double *a, const double *b, const double *c, size_t n, int threads,
			int reps)
{
	struct slice sl[64];
	pthread_t t[64];
	double best = 1e30;

	if (threads < 1)
		threads = 1;
	if (threads > 64)
		threads = 64;
	for (int k = 0; k < threads; k++) {
		size_t lo = n * (size_t)k / (size_t)threads, hi = n * (size_t)(k + 1) / (size_t)threads;
		sl[k] = (struct slice){ a + lo, b + lo, c + lo, 3.0, hi - lo };
	}
	for (int r = 0; r < reps; r++) {
		struct timespec t0, t1;
		clock_gettime(CLOCK_MONOTONIC, &t0);
		for (int k = 1; k < threads; k++)
			pthread_create(&t[k], NULL, run, &sl[k]);
		run(&sl[0]);
		for (int k = 1; k < threads; k++)
			pthread_join(t[k], NULL);
		clock_gettime(CLOCK_MONOTONIC, &t1);
		double s = (double)(t1.tv_sec - t0.tv_sec) + 1e-9 * (double)(t1.tv_nsec - t0.tv_nsec);
		if (s < best)
			best = s;
	}
	return best;
}
