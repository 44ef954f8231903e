/* SPDX-License-Identifier: MIT */
/* verify_peak.c - what this machine can do: topology (hwloc), clock, FMA peak, triad bandwidth
 *
 * A naive FMA loop runs at a fraction of the machine's peak (one dependency chain, one port)
 * and then a good DGEMM seems to beat "peak". The kernels here are inline assembly so no
 * compiler (or -O0 test build) can spill or reorder them: 16 (AVX-512) or 12 (AVX2)
 * independent accumulators keep both FMA pipes busy through the 4-cycle latency. Each runs
 * pinned to one core (hwloc), after a warm-up that lets the core reach its vector licence,
 * best of several trials (other load only ever makes a trial slower).
 */
#include <hwloc.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "hpcenv/util.h"
#include "verify_int.h"

/* ---- topology ---- */

static size_t cache_size(hwloc_topology_t topo, hwloc_obj_type_t type, bool largest)
{
	int n = hwloc_get_nbobjs_by_type(topo, type);
	size_t best = 0;

	for (int i = 0; i < n; i++) {
		hwloc_obj_t o = hwloc_get_obj_by_type(topo, type, (unsigned)i);
		size_t sz = o && o->attr ? (size_t)o->attr->cache.size : 0;

		if (!largest)
			return sz;
		if (sz > best)
			best = sz;
	}
	return best;
}

int hpc_verify_peak_topology(struct hpc_verify_peak *p, struct hpc_error **err)
{
	hwloc_topology_t topo;

	memset(p, 0, sizeof(*p));
	hpc_cpu_detect(&p->cpu);
	if (hwloc_topology_init(&topo) < 0 || hwloc_topology_load(topo) < 0)
		return HPC_FAIL(err, IO, "hwloc cannot read this machine's topology");
	p->cores = hwloc_get_nbobjs_by_type(topo, HWLOC_OBJ_CORE);
	p->pus = hwloc_get_nbobjs_by_type(topo, HWLOC_OBJ_PU);
	p->packages = hwloc_get_nbobjs_by_type(topo, HWLOC_OBJ_PACKAGE);
	p->l2_bytes = cache_size(topo, HWLOC_OBJ_L2CACHE, false);
	p->l3_bytes = cache_size(topo, HWLOC_OBJ_L3CACHE, true);
	hwloc_topology_destroy(topo);
	if (p->cores <= 0)
		p->cores = p->cpu.ncpus_allowed > 0 ? p->cpu.ncpus_allowed : 1;
	if (p->pus <= 0)
		p->pus = p->cores;
	return 0;
}

/* ---- kernels ---- */

#if defined(__x86_64__)
#define ACC16 "4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19"
#define ACC12 "4,5,6,7,8,9,10,11,12,13,14,15"

__attribute__((target("avx512f"))) static void k512_pd(uint64_t iters)
{
	static const double x = 1e-9;

	__asm__ volatile("vbroadcastsd %1, %%zmm0\n\tvmovapd %%zmm0, %%zmm1\n\t"
			 ".irp r," ACC16 "\n\tvpxord %%zmm\\r, %%zmm\\r, %%zmm\\r\n\t.endr\n\t"
			 "1:\n\t"
			 ".irp r," ACC16 "\n\tvfmadd231pd %%zmm0, %%zmm1, %%zmm\\r\n\t.endr\n\t"
			 "dec %0\n\tjnz 1b\n\tvzeroupper"
			 : "+r"(iters)
			 : "m"(x)
			 : "xmm0", "xmm1", "xmm4", "xmm5", "xmm6", "xmm7", "xmm8", "xmm9", "xmm10",
			   "xmm11", "xmm12", "xmm13", "xmm14", "xmm15", "xmm16", "xmm17", "xmm18",
			   "xmm19", "cc");
}

__attribute__((target("avx512f"))) static void k512_ps(uint64_t iters)
{
	static const float x = 1e-9f;

	__asm__ volatile("vbroadcastss %1, %%zmm0\n\tvmovaps %%zmm0, %%zmm1\n\t"
			 ".irp r," ACC16 "\n\tvpxord %%zmm\\r, %%zmm\\r, %%zmm\\r\n\t.endr\n\t"
			 "1:\n\t"
			 ".irp r," ACC16 "\n\tvfmadd231ps %%zmm0, %%zmm1, %%zmm\\r\n\t.endr\n\t"
			 "dec %0\n\tjnz 1b\n\tvzeroupper"
			 : "+r"(iters)
			 : "m"(x)
			 : "xmm0", "xmm1", "xmm4", "xmm5", "xmm6", "xmm7", "xmm8", "xmm9", "xmm10",
			   "xmm11", "xmm12", "xmm13", "xmm14", "xmm15", "xmm16", "xmm17", "xmm18",
			   "xmm19", "cc");
}

__attribute__((target("avx2,fma"))) static void k256_pd(uint64_t iters)
{
	static const double x = 1e-9;

	__asm__ volatile("vbroadcastsd %1, %%ymm0\n\tvmovapd %%ymm0, %%ymm1\n\t"
			 ".irp r," ACC12 "\n\tvxorpd %%ymm\\r, %%ymm\\r, %%ymm\\r\n\t.endr\n\t"
			 "1:\n\t"
			 ".irp r," ACC12 "\n\tvfmadd231pd %%ymm0, %%ymm1, %%ymm\\r\n\t.endr\n\t"
			 "dec %0\n\tjnz 1b\n\tvzeroupper"
			 : "+r"(iters)
			 : "m"(x)
			 : "xmm0", "xmm1", "xmm4", "xmm5", "xmm6", "xmm7", "xmm8", "xmm9", "xmm10",
			   "xmm11", "xmm12", "xmm13", "xmm14", "xmm15", "cc");
}

__attribute__((target("avx2,fma"))) static void k256_ps(uint64_t iters)
{
	static const float x = 1e-9f;

	__asm__ volatile("vbroadcastss %1, %%ymm0\n\tvmovaps %%ymm0, %%ymm1\n\t"
			 ".irp r," ACC12 "\n\tvxorps %%ymm\\r, %%ymm\\r, %%ymm\\r\n\t.endr\n\t"
			 "1:\n\t"
			 ".irp r," ACC12 "\n\tvfmadd231ps %%ymm0, %%ymm1, %%ymm\\r\n\t.endr\n\t"
			 "dec %0\n\tjnz 1b\n\tvzeroupper"
			 : "+r"(iters)
			 : "m"(x)
			 : "xmm0", "xmm1", "xmm4", "xmm5", "xmm6", "xmm7", "xmm8", "xmm9", "xmm10",
			   "xmm11", "xmm12", "xmm13", "xmm14", "xmm15", "cc");
}

/* No FMA: six independent adds and six multiplies (by 1.0) per iteration. */
static void k128_pd(uint64_t iters)
{
	static const double x[2] = { 1e-9, 1e-9 }, one[2] = { 1.0, 1.0 };

	__asm__ volatile("movupd %1, %%xmm0\n\tmovupd %2, %%xmm1\n\t"
			 ".irp r,4,5,6,7,8,9\n\txorpd %%xmm\\r, %%xmm\\r\n\t.endr\n\t"
			 ".irp r,10,11,12,13,14,15\n\tmovapd %%xmm1, %%xmm\\r\n\t.endr\n\t"
			 "1:\n\t"
			 ".irp r,4,5,6,7,8,9\n\taddpd %%xmm0, %%xmm\\r\n\t.endr\n\t"
			 ".irp r,10,11,12,13,14,15\n\tmulpd %%xmm1, %%xmm\\r\n\t.endr\n\t"
			 "dec %0\n\tjnz 1b"
			 : "+r"(iters)
			 : "m"(x), "m"(one)
			 : "xmm0", "xmm1", "xmm4", "xmm5", "xmm6", "xmm7", "xmm8", "xmm9", "xmm10",
			   "xmm11", "xmm12", "xmm13", "xmm14", "xmm15", "cc");
}

static void k128_ps(uint64_t iters)
{
	static const float x[4] = { 1e-9f, 1e-9f, 1e-9f, 1e-9f }, one[4] = { 1, 1, 1, 1 };

	__asm__ volatile("movups %1, %%xmm0\n\tmovups %2, %%xmm1\n\t"
			 ".irp r,4,5,6,7,8,9\n\txorps %%xmm\\r, %%xmm\\r\n\t.endr\n\t"
			 ".irp r,10,11,12,13,14,15\n\tmovaps %%xmm1, %%xmm\\r\n\t.endr\n\t"
			 "1:\n\t"
			 ".irp r,4,5,6,7,8,9\n\taddps %%xmm0, %%xmm\\r\n\t.endr\n\t"
			 ".irp r,10,11,12,13,14,15\n\tmulps %%xmm1, %%xmm\\r\n\t.endr\n\t"
			 "dec %0\n\tjnz 1b"
			 : "+r"(iters)
			 : "m"(x), "m"(one)
			 : "xmm0", "xmm1", "xmm4", "xmm5", "xmm6", "xmm7", "xmm8", "xmm9", "xmm10",
			   "xmm11", "xmm12", "xmm13", "xmm14", "xmm15", "cc");
}

/* A dependent chain of register adds runs at one per cycle. (An add of an immediate is no
 * good: recent Intel cores fold such chains at rename and seem to run at 17 GHz.) */
static void k_clock(uint64_t iters)
{
	uint64_t acc = 0, step = 3;

	__asm__ volatile("1:\n\t.rept 100\n\tadd %2, %1\n\t.endr\n\tdec %0\n\tjnz 1b"
			 : "+r"(iters), "+r"(acc)
			 : "r"(step)
			 : "cc");
}
#define CLOCK_OPS 100.0
#else
static void k_clock(uint64_t iters)
{
	volatile uint64_t acc = 0;

	for (uint64_t i = 0; i < iters * 100; i++)
		acc += i;
}
#define CLOCK_OPS 100.0
#endif

struct kernel {
	void (*fn)(uint64_t);
	double flops; /* per iteration */
};

/* ---- pinned workers ---- */

struct job {
	hwloc_topology_t topo;
	int core;
	pthread_barrier_t *start;
	void (*fn)(uint64_t);
	uint64_t iters;
	double seconds;
	/* triad */
	double *a, *b, *c;
	size_t n;
	int passes;
	double best;
};

static void pin(struct job *j)
{
	hwloc_obj_t core = hwloc_get_obj_by_type(j->topo, HWLOC_OBJ_CORE, (unsigned)j->core);
	hwloc_bitmap_t set;

	if (!core)
		core = hwloc_get_obj_by_type(j->topo, HWLOC_OBJ_PU, (unsigned)j->core);
	if (!core || !core->cpuset)
		return;
	set = hwloc_bitmap_dup(core->cpuset);
	hwloc_bitmap_singlify(set); /* one hardware thread of the core */
	hwloc_set_cpubind(j->topo, set, HWLOC_CPUBIND_THREAD);
	hwloc_bitmap_free(set);
}

static void *timed_worker(void *arg)
{
	struct job *j = arg;
	double t;

	pin(j);
	if (j->start)
		pthread_barrier_wait(j->start);
	t = hpc_now();
	j->fn(j->iters);
	j->seconds = hpc_now() - t;
	return NULL;
}

/* Run fn(iters) on `threads` cores at once; returns the slowest thread's seconds. */
static double run_on_cores(hwloc_topology_t topo, int threads, void (*fn)(uint64_t),
			   uint64_t iters)
{
	struct job *jobs = hpc_xcalloc((size_t)threads, sizeof(*jobs));
	pthread_t *tid = hpc_xcalloc((size_t)threads, sizeof(*tid));
	pthread_barrier_t start;
	double worst = 0;

	pthread_barrier_init(&start, NULL, (unsigned)threads);
	for (int i = 0; i < threads; i++) {
		jobs[i] = (struct job){ .topo = topo, .core = i, .start = &start, .fn = fn,
					.iters = iters };
		if (pthread_create(&tid[i], NULL, timed_worker, &jobs[i]))
			abort();
	}
	for (int i = 0; i < threads; i++) {
		pthread_join(tid[i], NULL);
		if (jobs[i].seconds > worst)
			worst = jobs[i].seconds;
	}
	pthread_barrier_destroy(&start);
	free(tid);
	free(jobs);
	return worst;
}

struct plan {
	double trial;  /* seconds per trial */
	int trials;
	size_t triad_bytes;
};

static struct plan plan_for(enum hpc_verify_mode mode)
{
	switch (mode) {
	case HPC_VERIFY_QUICK:
		return (struct plan){ 0.02, 3, 192u << 20 };
	case HPC_VERIFY_FULL:
		return (struct plan){ 0.1, 7, 768u << 20 };
	default:
		return (struct plan){ 0.05, 5, 384u << 20 };
	}
}

/* Iterations of fn that take about `seconds` on one core (after a warm-up). */
static uint64_t calibrate(hwloc_topology_t topo, void (*fn)(uint64_t), double seconds)
{
	uint64_t iters = 10000;
	double t;

	run_on_cores(topo, 1, fn, iters); /* page in, wake the vector unit */
	for (;;) {
		t = run_on_cores(topo, 1, fn, iters);
		if (t > 0.01 || iters > (1ull << 40))
			break;
		iters *= 4;
	}
	return (uint64_t)((double)iters * seconds / (t > 0 ? t : 1e-3)) + 1;
}

/* Best rate (units per second) of `trials` runs on `threads` cores. */
static double best_rate(hwloc_topology_t topo, int threads, const struct kernel *k,
			const struct plan *pl)
{
	uint64_t iters = calibrate(topo, k->fn, pl->trial);
	double best = 0;

	run_on_cores(topo, threads, k->fn, iters); /* warm-up on every core */
	for (int i = 0; i < pl->trials; i++) {
		double t = run_on_cores(topo, threads, k->fn, iters);
		double rate = t > 0 ? k->flops * (double)iters * threads / t : 0;

		if (rate > best)
			best = rate;
	}
	return best;
}

static void pick_kernels(struct hpc_verify_peak *p, struct kernel *dp, struct kernel *sp)
{
	*dp = (struct kernel){ NULL, 0 };
	*sp = *dp;
#if defined(__x86_64__)
	if (hpc_cpu_has(&p->cpu, HPC_CPU_AVX512F)) {
		*dp = (struct kernel){ k512_pd, 16 * 8 * 2 };
		*sp = (struct kernel){ k512_ps, 16 * 16 * 2 };
		p->isa = "avx512";
		p->simd_bits = 512;
	} else if (hpc_cpu_has(&p->cpu, HPC_CPU_AVX2) && hpc_cpu_has(&p->cpu, HPC_CPU_FMA)) {
		*dp = (struct kernel){ k256_pd, 12 * 4 * 2 };
		*sp = (struct kernel){ k256_ps, 12 * 8 * 2 };
		p->isa = "avx2";
		p->simd_bits = 256;
	} else {
		*dp = (struct kernel){ k128_pd, 12 * 2 };
		*sp = (struct kernel){ k128_ps, 12 * 4 };
		p->isa = "sse2";
		p->simd_bits = 128;
	}
#else
	p->isa = "none";
#endif
}

/* ---- triad ---- */

/* Optimised even in the -O0 test build: a bandwidth loop that is not vectorised measures
 * the compiler, not the memory. */
__attribute__((optimize("O3"), no_sanitize_address)) static void triad_init(struct job *j)
{
	for (size_t i = 0; i < j->n; i++) {
		j->a[i] = 0;
		j->b[i] = 1.0;
		j->c[i] = 2.0;
	}
}

__attribute__((optimize("O3"), no_sanitize_address)) static void triad_pass(struct job *j)
{
	double *restrict a = j->a;
	const double *restrict b = j->b, *restrict c = j->c;
	const double s = 3.0;

	for (size_t i = 0; i < j->n; i++)
		a[i] = b[i] + s * c[i];
}

static void *triad_worker(void *arg)
{
	struct job *j = arg;

	pin(j);
	triad_init(j); /* first touch: the pages live near this core */
	pthread_barrier_wait(j->start);
	for (int k = 0; k < j->passes; k++) {
		double t;

		pthread_barrier_wait(j->start); /* all threads stream at once */
		t = hpc_now();
		triad_pass(j);
		t = hpc_now() - t;
		pthread_barrier_wait(j->start);
		if (t > 0 && (j->best == 0 || t < j->best))
			j->best = t;
	}
	return NULL;
}

/* STREAM-style triad on `threads` cores over three arrays of bytes/3 in all; GB/s. */
static double triad(hwloc_topology_t topo, int threads, size_t bytes, int passes)
{
	size_t n = bytes / 3 / sizeof(double) / (size_t)threads;
	struct job *jobs = hpc_xcalloc((size_t)threads, sizeof(*jobs));
	pthread_t *tid = hpc_xcalloc((size_t)threads, sizeof(*tid));
	pthread_barrier_t bar;
	double worst = 0;

	pthread_barrier_init(&bar, NULL, (unsigned)threads);
	for (int i = 0; i < threads; i++) {
		jobs[i] = (struct job){ .topo = topo, .core = i, .start = &bar, .n = n,
					.passes = passes };
		jobs[i].a = hpc_xmalloc(n * sizeof(double));
		jobs[i].b = hpc_xmalloc(n * sizeof(double));
		jobs[i].c = hpc_xmalloc(n * sizeof(double));
		if (pthread_create(&tid[i], NULL, triad_worker, &jobs[i]))
			abort();
	}
	for (int i = 0; i < threads; i++) {
		pthread_join(tid[i], NULL);
		if (jobs[i].best > worst)
			worst = jobs[i].best;
		free(jobs[i].a);
		free(jobs[i].b);
		free(jobs[i].c);
	}
	pthread_barrier_destroy(&bar);
	free(tid);
	free(jobs);
	return worst > 0 ? 3.0 * sizeof(double) * (double)n * threads / worst / 1e9 : 0;
}

/* ---- the measurement ---- */

static void theory(struct hpc_verify_peak *p)
{
	int lanes = p->simd_bits / 64;
	double two_units = p->clock_ghz * 2 * lanes * 2;

	/* FMA pipes are not in cpuid. AVX2-era cores have two; AVX-512 has one or two
	 * 512-bit pipes depending on the part (Zen 4 double-pumps 256-bit ones): take what
	 * the measurement shows, rounded to whole pipes. */
	p->fma_units = 2;
	if (p->simd_bits == 512 && p->dp_core > 0 && p->dp_core < 0.6 * two_units)
		p->fma_units = 1;
	p->dp_theory_core = p->clock_ghz * p->fma_units * lanes * 2;
	if (p->simd_bits == 128) /* separate add and multiply pipes */
		p->dp_theory_core = p->clock_ghz * 2 * lanes;
	p->dp_flop_per_cycle = p->clock_ghz > 0 ? p->dp_core / p->clock_ghz : 0;
}

int hpc_verify_peak_measure(struct hpc_verify_peak *p, enum hpc_verify_mode mode,
			    const struct hpc_events *ev, struct hpc_error **err)
{
	struct plan pl = plan_for(mode);
	struct kernel dp, sp, clk = { k_clock, CLOCK_OPS };
	hwloc_topology_t topo;

	if (hwloc_topology_init(&topo) < 0 || hwloc_topology_load(topo) < 0)
		return HPC_FAIL(err, IO, "hwloc cannot read this machine's topology");
	hpc_verify_step(ev, "verify:peak", "measuring FMA peak and memory bandwidth", false);
	pick_kernels(p, &dp, &sp);
	p->clock_ghz = best_rate(topo, 1, &clk, &pl) / 1e9;
	if (dp.fn) {
		p->dp_core = best_rate(topo, 1, &dp, &pl) / 1e9;
		p->sp_core = best_rate(topo, 1, &sp, &pl) / 1e9;
		p->dp_all = p->cores > 1 ? best_rate(topo, p->cores, &dp, &pl) / 1e9 : p->dp_core;
		p->sp_all = p->cores > 1 ? best_rate(topo, p->cores, &sp, &pl) / 1e9 : p->sp_core;
	}
	theory(p);
	p->triad_bytes = pl.triad_bytes;
	p->triad_one = triad(topo, 1, pl.triad_bytes, pl.trials + 2);
	p->triad_all = p->cores > 1 ? triad(topo, p->cores, pl.triad_bytes, pl.trials + 2)
				    : p->triad_one;
	hwloc_topology_destroy(topo);
	p->measured = true;
	hpc_verify_step(ev, "verify:peak", "measuring FMA peak and memory bandwidth", true);
	return 0;
}

static double interpolate(const struct hpc_verify_peak *p, double one, double all, int threads)
{
	if (threads <= 1 || p->cores <= 1)
		return one;
	if (threads >= p->cores)
		return all;
	return one + (all - one) * (threads - 1) / (p->cores - 1);
}

double hpc_verify_peak_dp(const struct hpc_verify_peak *p, int threads)
{
	double one = p->dp_core, all = p->dp_all;

	/* a GEMM faster than the calibrated loop means the loop was held back: trust GEMM */
	if (p->gemm_best > one) {
		all = all * p->gemm_best / one;
		one = p->gemm_best;
	}
	return interpolate(p, one, all, threads);
}

double hpc_verify_peak_sp(const struct hpc_verify_peak *p, int threads)
{
	return interpolate(p, p->sp_core, p->sp_all, threads);
}
