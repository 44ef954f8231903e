/* SPDX-License-Identifier: MIT */
/* triad.c - a plain C STREAM triad (a[i] = b[i] + s * c[i]) for the benchmark's bandwidth
 * yardstick, on `threads` threads each taking a contiguous slice. Loaded by bench.py
 * with ctypes; returns the best time of `reps` runs in seconds. */
#include <pthread.h>
#include <sched.h>
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
		int started[64] = { 0 };
		for (int k = 1; k < threads; k++)
			started[k] = !pthread_create(&t[k], NULL, run, &sl[k]);
		run(&sl[0]);
		for (int k = 1; k < threads; k++)
			if (started[k])
				pthread_join(t[k], NULL);
			else
				run(&sl[k]); /* no thread for it: the caller does it, slower, honestly */
		clock_gettime(CLOCK_MONOTONIC, &t1);
		double s = (double)(t1.tv_sec - t0.tv_sec) + 1e-9 * (double)(t1.tv_nsec - t0.tv_nsec);
		if (s < best)
			best = s;
	}
	return best;
}

/* ---- the in-cache yardstick ----
 * For 1e3-1e5 elements the data sit in the cores' caches and starting threads per call
 * (above) would measure pthread_create. Here the helpers are started once and spin on
 * a generation counter; each call hands them their static slice (the same one every
 * time, so each core keeps its part in its own cache) and waits for them: the least a
 * split can cost, with no chunk claiming, no exception flags, no decisions. What one
 * and two threads achieve here bounds what any library can do at these sizes. Returns
 * the best of `reps` calls in seconds, -1 when a helper thread cannot be started. */
#include <stdatomic.h>
#if defined(__x86_64__) || defined(__i386__)
#define relax() __builtin_ia32_pause()
#else
#define relax() ((void)0)
#endif

/* the generation and the helpers' "done" flags share one line, as the simplest
 * hand-off would (measured a little faster than a line each) */
static struct {
	_Alignas(64) atomic_long go; /* generation; -1: exit */
	atomic_long done[7];         /* done[k - 1]: the last generation helper k finished */
	_Alignas(64) struct slice sl[8];
	cpu_set_t mask;
} yard;

/* each thread on its own CPU of the caller's mask (yard.mask, taken before the caller
 * pins itself): a helper started next to the caller would share its core until the
 * balancer moves it, which short runs never see */
static int pin(int k)
{
	cpu_set_t one;
	int seen = 0;

	CPU_ZERO(&one);
	for (int c = 0; c < CPU_SETSIZE; c++)
		if (CPU_ISSET(c, &yard.mask) && seen++ == k) {
			CPU_SET(c, &one);
			return pthread_setaffinity_np(pthread_self(), sizeof(one), &one);
		}
	return -1;
}

static void *spin(void *arg)
{
	long k = (long)(size_t)arg, seen = 0, g;

	pin((int)k);
	for (;;) {
		while ((g = atomic_load_explicit(&yard.go, memory_order_acquire)) == seen)
			relax();
		if (g < 0)
			return NULL;
		seen = g;
		/* a copy: run() on yard.sl[k] in place measured 4-7x slower on the helper
		 * (not on the caller; the loop loads the fields once, cause not found) */
		struct slice my = yard.sl[k];
		run(&my);
		atomic_store_explicit(&yard.done[k - 1], g, memory_order_release);
	}
}

double hpck_bench_triad_cached(double *a, const double *b, const double *c, size_t n,
			       int threads, int reps);

double hpck_bench_triad_cached(double *a, const double *b, const double *c, size_t n,
			       int threads, int reps)
{
	pthread_t t[8];
	double best = 1e30;
	long g = 0;

	if (threads < 1)
		threads = 1;
	if (threads > 8)
		threads = 8;
	atomic_store(&yard.go, 0);
	for (int k = 0; k < threads; k++) {
		size_t lo = n * (size_t)k / (size_t)threads, hi = n * (size_t)(k + 1) / (size_t)threads;
		yard.sl[k] = (struct slice){ a + lo, b + lo, c + lo, 3.0, hi - lo };
		if (k)
			atomic_store(&yard.done[k - 1], 0);
	}
	int pinned = !pthread_getaffinity_np(pthread_self(), sizeof(yard.mask), &yard.mask) &&
		     !pin(0);
	for (int k = 1; k < threads; k++)
		if (pthread_create(&t[k], NULL, spin, (void *)(size_t)k)) {
			threads = k; /* the slices beyond k are then nobody's: no figure */
			reps = 0;
			best = -1;
			break;
		}
	for (int r = 0; r < reps; r++) {
		struct timespec t0, t1;
		clock_gettime(CLOCK_MONOTONIC, &t0);
		atomic_store_explicit(&yard.go, ++g, memory_order_release);
		run(&yard.sl[0]);
		for (int k = 1; k < threads; k++)
			while (atomic_load_explicit(&yard.done[k - 1], memory_order_acquire) != g)
				relax();
		clock_gettime(CLOCK_MONOTONIC, &t1);
		double s = (double)(t1.tv_sec - t0.tv_sec) + 1e-9 * (double)(t1.tv_nsec - t0.tv_nsec);
		if (s < best)
			best = s;
	}
	atomic_store(&yard.go, -1);
	for (int k = 1; k < threads; k++)
		pthread_join(t[k], NULL);
	if (pinned)
		pthread_setaffinity_np(pthread_self(), sizeof(yard.mask), &yard.mask);
	return best;
}
