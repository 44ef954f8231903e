/* SPDX-License-Identifier: MIT */
/* pool.c - worker threads for large arrays
 *
 * A job is a number of fixed chunks; the caller and up to threads-1 workers claim them
 * from the two ends of one atomic range (the caller from the front), so a worker that is
 * late (the 2 cores are shared, a neighbour may hold one) costs nothing: the caller
 * simply takes more chunks. Chunk boundaries never depend on the thread count, which is
 * what keeps results identical for any number of threads. Workers spin for a while after
 * a job (back-to-back calls are the common case), then sleep on a condition variable.
 * One job runs at a time; a second concurrent caller runs its chunks itself. Workers
 * copy the caller's floating-point environment and report the exceptions they raised.
 */
#include <errno.h>
#include <fenv.h>
#include <limits.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "hpckernels.h"
#include "internal.h"
#ifdef HPCK_X86
#include <immintrin.h>
#endif

#define MAX_THREADS 256

struct job {
	void (*fn)(void *ctx, size_t i);
	void *ctx;
	size_t nchunks;
	_Atomic uint64_t left; /* unclaimed chunks [low 32 bits, high 32 bits) */
	atomic_int fe;
	int max_workers;
#ifdef HPCK_X86
	unsigned mxcsr; /* rounding mode, FTZ/DAZ: all our SSE/AVX code depends on */
#else
	fenv_t env;
#endif
};

static struct {
	pthread_mutex_t lock, submit;
	pthread_cond_t wake;
	struct job *job;    /* open job, under lock */
	int joined;         /* workers that joined it, under lock */
	atomic_int active;  /* workers still inside a job */
	atomic_uint gen;    /* bumped for every job; workers spin on it */
	int started;        /* worker threads running, under lock */
	atomic_int nthreads; /* 0: not yet configured */
	atomic_long spin_ns; /* < 0: not yet configured */
	atomic_int misses;  /* consecutive jobs the workers did not really help with */
	atomic_uint probes;
	atomic_int spinning; /* workers spinning for the next job (not asleep) */
	atomic_long last_ns; /* when the last job ended; LONG_MAX while one runs */
	atomic_int caller_cpu; /* where the last job was submitted from */
} pool = {
	.lock = PTHREAD_MUTEX_INITIALIZER,
	.submit = PTHREAD_MUTEX_INITIALIZER,
	.wake = PTHREAD_COND_INITIALIZER,
	.spin_ns = -1,
	.caller_cpu = -1,
};

void hpck_fe_clear(void)
{
#ifdef HPCK_X86
	_mm_setcsr(_mm_getcsr() & ~0x3fu);
#else
	feclearexcept(FE_ALL_EXCEPT);
#endif
}

int hpck_fe_test(void)
{
#ifdef HPCK_X86
	unsigned m = _mm_getcsr();
	return (m & 0x01 ? HPCK_FE_INVALID : 0) | (m & 0x04 ? HPCK_FE_DIVBYZERO : 0) |
	       (m & 0x08 ? HPCK_FE_OVERFLOW : 0) | (m & 0x10 ? HPCK_FE_UNDERFLOW : 0);
#else
	int e = fetestexcept(FE_ALL_EXCEPT);
	return (e & FE_INVALID ? HPCK_FE_INVALID : 0) | (e & FE_DIVBYZERO ? HPCK_FE_DIVBYZERO : 0) |
	       (e & FE_OVERFLOW ? HPCK_FE_OVERFLOW : 0) | (e & FE_UNDERFLOW ? HPCK_FE_UNDERFLOW : 0);
#endif
}

static void cpu_relax(void)
{
#ifdef HPCK_X86
	_mm_pause();
#else
	sched_yield();
#endif
}

static long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000L + ts.tv_nsec;
}

/* A positive integer from the environment, or 0. */
static long env_long(const char *name)
{
	const char *s = getenv(name);
	char *end;
	long v;

	if (!s || !*s)
		return 0;
	errno = 0;
	v = strtol(s, &end, 10);
	return errno || *end || v <= 0 ? 0 : v;
}

static int default_threads(void)
{
	long n = env_long("HPCKERN_NUM_THREADS");
	cpu_set_t set;

	if (!n && sched_getaffinity(0, sizeof(set), &set) == 0)
		n = CPU_COUNT(&set);
	if (n <= 0)
		n = 1;
	return n > MAX_THREADS ? MAX_THREADS : (int)n;
}

int hpck_num_threads(void)
{
	int n = atomic_load_explicit(&pool.nthreads, memory_order_relaxed);

	if (!n) {
		n = default_threads();
		atomic_store(&pool.nthreads, n);
	}
	return n;
}

void hpck_set_num_threads(int n)
{
	atomic_store(&pool.nthreads, n <= 0 ? default_threads() : n > MAX_THREADS ? MAX_THREADS : n);
}

/* Claim the first (caller) or last (workers) unclaimed chunk; -1 when none is left.
 * Taking from opposite ends gives the caller about the same first part of the array
 * on every call and the workers the same last part, so on repeated calls over the same
 * data each core finds its part still in its own cache. */
static int64_t claim(struct job *j, bool back)
{
	uint64_t r = atomic_load_explicit(&j->left, memory_order_relaxed), nr;
	uint32_t lo, hi;

	do {
		lo = (uint32_t)r;
		hi = (uint32_t)(r >> 32);
		if (lo >= hi)
			return -1;
		nr = back ? (uint64_t)(hi - 1) << 32 | lo : (uint64_t)hi << 32 | (lo + 1);
	} while (!atomic_compare_exchange_weak_explicit(&j->left, &r, nr, memory_order_relaxed,
							memory_order_relaxed));
	return back ? hi - 1 : lo;
}

/* Run chunks until none is left; returns how many this thread ran. */
static size_t run_chunks(struct job *j, bool back)
{
	size_t mine = 0;
	int64_t i;

	while ((i = claim(j, back)) >= 0) {
		j->fn(j->ctx, (size_t)i);
		mine++;
	}
	return mine;
}

/* A spinning worker woken onto the caller's CPU (the scheduler prefers the waker's)
 * takes turns with it instead of helping, and the balancer is slow to move it while
 * the other CPU idles: move away now, keeping the application's affinity mask. */
static void step_aside(void)
{
	int cpu = sched_getcpu();
	int caller = atomic_load_explicit(&pool.caller_cpu, memory_order_relaxed);
	cpu_set_t all, others;

	if (cpu < 0 || cpu != caller || pthread_getaffinity_np(pthread_self(), sizeof(all), &all))
		return;
	others = all;
	CPU_CLR(cpu, &others);
	if (!CPU_COUNT(&others) || pthread_setaffinity_np(pthread_self(), sizeof(others), &others))
		return;
	pthread_setaffinity_np(pthread_self(), sizeof(all), &all);
}

/* Spin for a new generation while jobs keep coming (a job, or a short one that ran on
 * the caller, within spin_ns), then sleep until one comes. */
static unsigned wait_gen(unsigned seen)
{
	long t;
	unsigned g;

	step_aside();
	atomic_fetch_add_explicit(&pool.spinning, 1, memory_order_relaxed);
	for (int k = 0;; k++) {
		g = atomic_load_explicit(&pool.gen, memory_order_acquire);
		if (g != seen) {
			atomic_fetch_sub_explicit(&pool.spinning, 1, memory_order_relaxed);
			return g;
		}
		cpu_relax();
		if ((k & 63) == 63) {
			long last = atomic_load_explicit(&pool.last_ns, memory_order_relaxed);
			long spin = atomic_load_explicit(&pool.spin_ns, memory_order_relaxed);
			t = now_ns();
			if (t - (last > t ? t : last) > spin)
				break;
			if ((k & 1023) == 1023) {
				step_aside();
				sched_yield(); /* a thread of the application's wants this core */
			}
		}
	}
	atomic_fetch_sub_explicit(&pool.spinning, 1, memory_order_relaxed);
	pthread_mutex_lock(&pool.lock);
	while ((g = atomic_load(&pool.gen)) == seen)
		pthread_cond_wait(&pool.wake, &pool.lock);
	pthread_mutex_unlock(&pool.lock);
	return g;
}

static void *worker(void *arg)
{
	unsigned seen = (unsigned)(uintptr_t)arg;
	struct job *j;
	int fe;

	for (;;) {
		seen = wait_gen(seen);
		pthread_mutex_lock(&pool.lock);
		j = pool.job;
		if (j && pool.joined < j->max_workers) {
			pool.joined++;
			atomic_fetch_add(&pool.active, 1);
		} else {
			j = NULL;
		}
		pthread_mutex_unlock(&pool.lock);
		if (!j)
			continue;
#ifdef HPCK_X86
		_mm_setcsr(j->mxcsr & ~0x3fu); /* the caller's modes, no exception flags */
#else
		fesetenv(&j->env);
		hpck_fe_clear();
#endif
		(void)run_chunks(j, true);
		fe = hpck_fe_test();
		if (fe)
			atomic_fetch_or(&j->fe, fe);
		atomic_fetch_sub_explicit(&pool.active, 1, memory_order_release);
	}
	return NULL;
}

/* A forked child has none of the parent's threads: start afresh. */
static void after_fork_child(void)
{
	pthread_mutex_init(&pool.lock, NULL);
	pthread_mutex_init(&pool.submit, NULL);
	pthread_cond_init(&pool.wake, NULL);
	pool.job = NULL;
	pool.joined = 0;
	pool.started = 0;
	atomic_store(&pool.active, 0);
	atomic_store(&pool.spinning, 0);
}

/* Make sure `want` workers run (under submit); fewer if threads cannot be created. */
static void start_workers(int want)
{
	sigset_t all, old;
	pthread_attr_t attr;
	pthread_t t;

	if (pool.spin_ns < 0) { /* first use: once per process, under submit */
		long us = env_long("HPCKERN_SPIN_US");
		pool.spin_ns = (getenv("HPCKERN_SPIN_US") ? us : 300) * 1000L;
		pthread_atfork(NULL, NULL, after_fork_child);
	}
	if (pool.started >= want)
		return;
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old); /* signals stay with the application */
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	while (pool.started < want) {
		unsigned g = atomic_load(&pool.gen);
		if (pthread_create(&t, &attr, worker, (void *)(uintptr_t)g))
			break;
		pthread_mutex_lock(&pool.lock);
		pool.started++;
		pthread_mutex_unlock(&pool.lock);
	}
	pthread_attr_destroy(&attr);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
}

static int run_inline(size_t nchunks, void (*fn)(void *, size_t), void *ctx)
{
	hpck_fe_clear();
	for (size_t i = 0; i < nchunks; i++)
		fn(ctx, i);
	return hpck_fe_test();
}

/* Wake the sleeping workers without a job: they spin for the next one. */
static void nudge(void)
{
	pthread_mutex_lock(&pool.lock);
	atomic_fetch_add_explicit(&pool.gen, 1, memory_order_release);
	pthread_cond_broadcast(&pool.wake);
	pthread_mutex_unlock(&pool.lock);
}

int hpck_pool_split_short(void)
{
	/* Handing a job to a spinning worker costs ~0.1 us; waking a sleeping one costs
	 * the caller 10-20 us on this kind of VM (the futex wake-up goes through the
	 * hypervisor), sometimes 0.3 ms when the woken thread lands on the caller's core:
	 * more than a short job is worth. So short jobs go to spinning workers only. When
	 * they come back to back (the last one ended less than a spin ago) the sleeping
	 * workers are woken for the next ones, which then keep them spinning. Workers
	 * that did not really help with the last jobs (came late, or kept the caller
	 * waiting) are not getting a core, a neighbour's process has it: every 32nd job
	 * asks again. */
	long now = now_ns(), last = atomic_load_explicit(&pool.last_ns, memory_order_relaxed);
	long spin = atomic_load_explicit(&pool.spin_ns, memory_order_relaxed);
	bool trust = atomic_load_explicit(&pool.misses, memory_order_relaxed) < 4 ||
		     (atomic_fetch_add_explicit(&pool.probes, 1, memory_order_relaxed) & 31) == 0;

	atomic_store_explicit(&pool.caller_cpu, sched_getcpu(), memory_order_relaxed);
	if (atomic_load_explicit(&pool.spinning, memory_order_relaxed)) {
		if (trust)
			return 1;
	} else {
		if (!atomic_load_explicit(&pool.gen, memory_order_relaxed))
			return 1; /* the first job starts them */
		if (trust && now - last < spin)
			nudge();
	}
	/* the caller runs it: workers keep spinning until it ends (hpck_pool_ran_short) */
	atomic_store_explicit(&pool.last_ns, LONG_MAX, memory_order_relaxed);
	return 0;
}

void hpck_pool_ran_short(void)
{
	atomic_store_explicit(&pool.last_ns, now_ns(), memory_order_relaxed);
}

int hpck_parallel(size_t nchunks, int threads, void (*fn)(void *ctx, size_t i), void *ctx)
{
	struct job j = { .fn = fn, .ctx = ctx, .nchunks = nchunks };
	long until, t0, t1;
	size_t mine;
	int fe, helped;

	if (threads > (int)nchunks)
		threads = (int)nchunks;
	if (threads <= 1 || nchunks > UINT32_MAX || pthread_mutex_trylock(&pool.submit))
		return run_inline(nchunks, fn, ctx);
	start_workers(threads - 1);
	j.max_workers = threads - 1;
	atomic_init(&j.left, (uint64_t)nchunks << 32);
	atomic_init(&j.fe, 0);
#ifdef HPCK_X86
	j.mxcsr = _mm_getcsr();
#else
	fegetenv(&j.env);
#endif

	atomic_store_explicit(&pool.last_ns, LONG_MAX, memory_order_relaxed); /* busy */
	atomic_store_explicit(&pool.caller_cpu, sched_getcpu(), memory_order_relaxed);
	pthread_mutex_lock(&pool.lock);
	pool.job = &j;
	pool.joined = 0;
	atomic_fetch_add_explicit(&pool.gen, 1, memory_order_release);
	pthread_cond_broadcast(&pool.wake);
	pthread_mutex_unlock(&pool.lock);

	hpck_fe_clear();
	t0 = now_ns();
	mine = run_chunks(&j, false);
	fe = hpck_fe_test();

	/* Every chunk is claimed: close the job, then wait for the workers inside it. */
	pthread_mutex_lock(&pool.lock);
	pool.job = NULL;
	pthread_mutex_unlock(&pool.lock);
	t1 = now_ns();
	until = t1 + 1000000L;
	for (int k = 0; atomic_load_explicit(&pool.active, memory_order_acquire); k++) {
		cpu_relax();
		if ((k & 63) == 63 && now_ns() > until)
			sched_yield();
	}
	/* helped: the workers took a fair share and did not keep us waiting long */
	helped = (nchunks - mine) * 4 >= nchunks && (now_ns() - t1) * 4 <= t1 - t0;
	if (helped)
		atomic_store_explicit(&pool.misses, 0, memory_order_relaxed);
	else
		atomic_fetch_add_explicit(&pool.misses, 1, memory_order_relaxed);
	atomic_store_explicit(&pool.last_ns, now_ns(), memory_order_relaxed);
	pthread_mutex_unlock(&pool.submit);
	return fe | atomic_load(&j.fe);
}
