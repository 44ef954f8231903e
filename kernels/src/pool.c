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

/* A hand-off costs a few cache-line transfers between the cores (~0.1 us each on this
 * kind of VM), so their number is kept down: workers spin on a line holding only the
 * generation, which the caller writes once per job; the job sits in a second line the
 * caller fills before; each worker says it is inside a job in a line of its own, which
 * the caller reads once at the end; and the caller takes chunk 0 without claiming it.
 * No lock on this path: a worker preempted while holding one would stall the caller.
 * (Measured in a C loop, a hand-off costs ~0.6 us either way, with or without.) */
struct ctl {
	_Alignas(64) atomic_uint gen; /* bumped for every job (and nudge) */
	_Alignas(64) atomic_int open; /* a job is open: workers may join */
	_Atomic uint64_t left;        /* unclaimed chunks [low 32 bits, high 32 bits) */
	void (*fn)(void *ctx, size_t i);
	void *ctx;
	atomic_int max_workers; /* workers 0..max_workers-1 may join */
	atomic_int fe; /* exceptions the workers raised */
#ifdef HPCK_X86
	unsigned mxcsr; /* rounding mode, FTZ/DAZ: all our SSE/AVX code depends on */
#endif
};

struct slot {
	_Alignas(64) atomic_int busy; /* inside a job, or about to look at one */
	int index;
	unsigned gen; /* the generation when it started */
};

static struct slot slots[MAX_THREADS];

static struct {
	struct ctl c;
	_Alignas(64) pthread_mutex_t submit, lock;
	pthread_cond_t wake;
	atomic_int sleepers; /* workers waiting on `wake` (or about to) */
	int started;         /* worker threads running, under submit */
#ifndef HPCK_X86
	fenv_t env;
#endif
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

int hpck_fp_mode_rne(void)
{
#ifdef HPCK_X86
	return (_mm_getcsr() & 0xe040u) == 0; /* rounding control, FTZ, DAZ */
#else
	return fegetround() == FE_TONEAREST;
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
static int64_t claim(bool back)
{
	uint64_t r = atomic_load_explicit(&pool.c.left, memory_order_relaxed), nr;
	uint32_t lo, hi;

	do {
		lo = (uint32_t)r;
		hi = (uint32_t)(r >> 32);
		if (lo >= hi)
			return -1;
		nr = back ? (uint64_t)(hi - 1) << 32 | lo : (uint64_t)hi << 32 | (lo + 1);
	} while (!atomic_compare_exchange_weak_explicit(&pool.c.left, &r, nr,
							memory_order_relaxed, memory_order_relaxed));
	return back ? hi - 1 : lo;
}

/* Run chunks until none is left; returns how many this thread ran. */
static size_t run_chunks(void (*fn)(void *, size_t), void *ctx, bool back)
{
	size_t mine = 0;
	int64_t i;

	while ((i = claim(back)) >= 0) {
		fn(ctx, (size_t)i);
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
		g = atomic_load_explicit(&pool.c.gen, memory_order_relaxed);
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
	/* sleepers before gen, both seq_cst, and the publisher bumps gen before it reads
	 * sleepers: either it sees this sleeper and broadcasts under the lock, or this
	 * sleeper sees the new gen */
	pthread_mutex_lock(&pool.lock);
	atomic_fetch_add(&pool.sleepers, 1);
	while ((g = atomic_load(&pool.c.gen)) == seen)
		pthread_cond_wait(&pool.wake, &pool.lock);
	atomic_fetch_sub(&pool.sleepers, 1);
	pthread_mutex_unlock(&pool.lock);
	return g;
}

static void *worker(void *arg)
{
	struct slot *me = arg;
	unsigned seen = me->gen;
	int fe;

	for (;;) {
		seen = wait_gen(seen);
		/* Announce, then look: the caller closes the job, then reads every busy flag
		 * (both seq_cst), so a worker that finds the job open is waited for and one
		 * that comes late finds it closed. */
		atomic_store(&me->busy, 1);
		if (atomic_load(&pool.c.open) &&
		    me->index < atomic_load_explicit(&pool.c.max_workers, memory_order_relaxed)) {
#ifdef HPCK_X86
			_mm_setcsr(pool.c.mxcsr & ~0x3fu); /* the caller's modes, no flags */
#else
			fesetenv(&pool.env);
			hpck_fe_clear();
#endif
			(void)run_chunks(pool.c.fn, pool.c.ctx, true);
			fe = hpck_fe_test();
			if (fe)
				atomic_fetch_or_explicit(&pool.c.fe, fe, memory_order_relaxed);
		}
		atomic_store_explicit(&me->busy, 0, memory_order_release);
	}
	return NULL;
}

/* A forked child has none of the parent's threads: start afresh. */
static void after_fork_child(void)
{
	pthread_mutex_init(&pool.lock, NULL);
	pthread_mutex_init(&pool.submit, NULL);
	pthread_cond_init(&pool.wake, NULL);
	pool.started = 0;
	atomic_store(&pool.c.open, 0);
	for (int k = 0; k < MAX_THREADS; k++)
		atomic_store(&slots[k].busy, 0);
	atomic_store(&pool.sleepers, 0);
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
		struct slot *sl = &slots[pool.started];
		sl->index = pool.started;
		sl->gen = atomic_load(&pool.c.gen);
		if (pthread_create(&t, &attr, worker, sl))
			break;
		pool.started++;
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

/* New generation (a job, or none: then the workers just spin for the next one); the
 * lock and the broadcast only when someone sleeps. */
static void bump_gen(void)
{
	atomic_fetch_add(&pool.c.gen, 1);
	if (atomic_load(&pool.sleepers)) {
		pthread_mutex_lock(&pool.lock);
		pthread_cond_broadcast(&pool.wake);
		pthread_mutex_unlock(&pool.lock);
	}
}

int hpck_pool_split_short(void)
{
	/* Handing a job to a spinning worker costs ~0.6 us; waking a sleeping one costs
	 * the caller 10-20 us on this kind of VM (the futex wake-up goes through the
	 * hypervisor), sometimes 0.3 ms when the woken thread lands on the caller's core:
	 * more than a short job is worth. So short jobs go to spinning workers only. When
	 * they come back to back (the last one ended less than a spin ago) the sleeping
	 * workers are woken for the next ones, which then keep them spinning. When the
	 * last splits did not really help (the job did not end 10% sooner than the caller
	 * alone would have), the workers are not getting a core, a neighbour's process
	 * has it: every 32nd job asks again. */
	long now = now_ns(), last = atomic_load_explicit(&pool.last_ns, memory_order_relaxed);
	long spin = atomic_load_explicit(&pool.spin_ns, memory_order_relaxed);
	bool trust = atomic_load_explicit(&pool.misses, memory_order_relaxed) < 4 ||
		     (atomic_fetch_add_explicit(&pool.probes, 1, memory_order_relaxed) & 31) == 0;

	atomic_store_explicit(&pool.caller_cpu, sched_getcpu(), memory_order_relaxed);
	if (atomic_load_explicit(&pool.spinning, memory_order_relaxed)) {
		if (trust)
			return 1;
	} else {
		if (!atomic_load_explicit(&pool.c.gen, memory_order_relaxed))
			return 1; /* the first job starts them */
		if (trust && now - last < spin)
			bump_gen();
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
	long until, t0, t1;
	size_t mine;
	int fe, helped;

	if (threads > (int)nchunks)
		threads = (int)nchunks;
	if (threads <= 1 || nchunks > UINT32_MAX || pthread_mutex_trylock(&pool.submit))
		return run_inline(nchunks, fn, ctx);
	start_workers(threads - 1);

	atomic_store_explicit(&pool.last_ns, LONG_MAX, memory_order_relaxed); /* busy */
	atomic_store_explicit(&pool.caller_cpu, sched_getcpu(), memory_order_relaxed);
	/* no worker is inside (the last job waited for them): the fields are ours */
	pool.c.fn = fn;
	pool.c.ctx = ctx;
	atomic_store_explicit(&pool.c.max_workers, threads - 1, memory_order_relaxed);
#ifdef HPCK_X86
	pool.c.mxcsr = _mm_getcsr();
#else
	fegetenv(&pool.env);
#endif
	atomic_store_explicit(&pool.c.fe, 0, memory_order_relaxed);
	/* chunk 0 is the caller's from the start: one claim less bouncing between cores */
	atomic_store_explicit(&pool.c.left, (uint64_t)nchunks << 32 | 1, memory_order_relaxed);
	atomic_store(&pool.c.open, 1);
	bump_gen();

	hpck_fe_clear();
	t0 = now_ns();
	fn(ctx, 0);
	mine = 1 + run_chunks(fn, ctx, false);
	fe = hpck_fe_test();

	/* Every chunk is claimed: close the job, then wait for the workers inside it. */
	atomic_store(&pool.c.open, 0);
	t1 = now_ns();
	until = t1 + 1000000L;
	for (int w = 0; w < threads - 1; w++)
		for (int k = 0; atomic_load(&slots[w].busy); k++) {
			cpu_relax();
			if ((k & 63) == 63 && now_ns() > until)
				sched_yield();
		}
	/* helped: the job ended at least 10% sooner than the caller alone would have
	 * finished it (its time per chunk times all chunks) */
	helped = (double)(now_ns() - t0) * 10 < (double)(t1 - t0) * (double)nchunks / (double)mine * 9;
	if (helped)
		atomic_store_explicit(&pool.misses, 0, memory_order_relaxed);
	else
		atomic_fetch_add_explicit(&pool.misses, 1, memory_order_relaxed);
	atomic_store_explicit(&pool.last_ns, now_ns(), memory_order_relaxed);
	fe |= atomic_load_explicit(&pool.c.fe, memory_order_relaxed);
	pthread_mutex_unlock(&pool.submit);
	return fe;
}
