/* SPDX-License-Identifier: MIT */
/* api_elementwise.c - the public elementwise functions: threads, streaming, exceptions
 *
 * Arrays of at least `grain` elements per thread are cut into chunks (multiples of 256
 * elements) run by the pool; the kernels are position-independent, so chunking never
 * changes a result. Contiguous outputs when the operands outgrow the L2 cache are
 * written with non-temporal stores (no read-for-ownership traffic);
 * HPCKERN_STREAM_BYTES overrides the size at which that starts.
 */
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <unistd.h>

#include "hpckernels.h"
#include "internal.h"

/* Elements per thread below which splitting does not pay (float64; float32 doubles it,
 * or quadruples it for divide and sqrt, whose single-precision instructions do 2x the
 * lanes at about the same cost: at 1e4 floats two threads were 25% slower than one):
 * about a microsecond of work each, against ~0.6 us to hand out a job to a spinning
 * worker (halved from 8192/2048 once chunks were equal and splits judged by the time
 * they save: float64 add of 1e4 1.12x -> 1.30x numpy, fma 1.41x -> 1.86x, float32
 * unchanged). A worker that is not running (the cores are shared) costs nothing: the
 * caller takes its chunks. */
static const size_t grain_binary[HPCK_NBIN] = {
	[HPCK_ADD] = 4096, [HPCK_SUB] = 4096, [HPCK_MUL] = 4096, [HPCK_DIV] = 1024,
};
static const size_t grain_unary[HPCK_NUN] = {
	[HPCK_NEG] = 4096, [HPCK_ABS] = 4096, [HPCK_SQRT] = 1024, [HPCK_EXP] = 1024,
	[HPCK_LOG] = 1024,
};
#define GRAIN_FMA 4096
#define CHUNK_MAX ((size_t)1 << 16)

enum ew_kind { EW_UNARY, EW_BINARY, EW_FMA };

struct ew {
	enum ew_kind kind;
	const struct hpck_isa *isa;
	int op, dt;
	size_t n, chunk, esz;
	const char *in[3];
	ptrdiff_t s[3], sy;
	char *y;
	unsigned kf;
	atomic_uint flags;
};

static size_t stream_bytes(void)
{
	static atomic_size_t cached;
	size_t b = atomic_load_explicit(&cached, memory_order_relaxed);
	const char *env;
	long l2;

	if (b)
		return b;
	env = getenv("HPCKERN_STREAM_BYTES");
	if (env && *env) {
		b = strtoull(env, NULL, 10);
	} else {
		/* Measured (docs/kernels.md): beyond the core's L2 the read-for-ownership of
		 * ordinary stores costs more than re-reading the output later saves */
		l2 = sysconf(_SC_LEVEL2_CACHE_SIZE);
		b = l2 > 0 ? (size_t)l2 : (size_t)1 << 20;
	}
	if (!b)
		b = (size_t)-1;
	atomic_store(&cached, b);
	return b;
}

static unsigned ew_run(struct ew *w, size_t lo, size_t cnt)
{
	const void *a = w->in[0] + (ptrdiff_t)lo * w->s[0] * (ptrdiff_t)w->esz;
	const void *b = w->in[1] + (ptrdiff_t)lo * w->s[1] * (ptrdiff_t)w->esz;
	const void *c = w->in[2] + (ptrdiff_t)lo * w->s[2] * (ptrdiff_t)w->esz;
	void *y = w->y + (ptrdiff_t)lo * w->sy * (ptrdiff_t)w->esz;

	switch (w->kind) {
	case EW_UNARY:
		return w->isa->unary[w->op][w->dt](cnt, a, w->s[0], y, w->sy, w->kf);
	case EW_BINARY:
		return w->isa->binary[w->op][w->dt](cnt, a, w->s[0], b, w->s[1], y, w->sy, w->kf);
	default:
		return w->isa->fma[w->dt](cnt, a, w->s[0], b, w->s[1], c, w->s[2], y, w->sy, w->kf);
	}
}

static void ew_chunk(void *ctx, size_t i)
{
	struct ew *w = ctx;
	size_t lo = i * w->chunk, cnt = w->n - lo < w->chunk ? w->n - lo : w->chunk;
	unsigned f = ew_run(w, lo, cnt);

	if (f)
		atomic_fetch_or_explicit(&w->flags, f, memory_order_relaxed);
}

static size_t grain_f32_factor(const struct ew *w)
{
	bool hw_bound = (w->kind == EW_UNARY && w->op == HPCK_SQRT) ||
			(w->kind == EW_BINARY && w->op == HPCK_DIV);

	return hw_bound ? 4 : 2;
}

/* Run w over all n elements; returns HPCK_FE_* (explicit: the kernel's own report only). */
static int ew_go(struct ew *w, size_t grain, int nin, int explicit)
{
	size_t bytes = w->n * w->esz, streams = 1, per;
	int threads = hpck_num_threads(), fe;

	w->isa = hpck_isa();
	for (int k = 0; k < nin; k++)
		streams += w->s[k] != 0;
	if (w->dt == HPCK_F32)
		grain *= grain_f32_factor(w);
	per = w->n / grain;
	if (per < (size_t)threads)
		threads = per < 1 ? 1 : (int)per;
	if (threads > 1 && per < 16 && !hpck_pool_split_short())
		threads = 0; /* a short job the caller keeps */
	/* Non-temporal stores save the read-for-ownership of the output once each core's
	 * share outgrows its L2; below that the output stays in cache for the next reader
	 * (float64 add of 1e5 on 2 threads: 25 us with them, 13 us without). In place the
	 * line was just read anyway, so they would only evict it. */
	w->kf = w->sy == 1 && bytes * streams >= stream_bytes() * (size_t)(threads ? threads : 1)
			? HPCK_K_STREAM
			: 0;
	for (int k = 0; k < nin; k++)
		if (w->in[k] == w->y && w->s[k] == w->sy)
			w->kf = 0;
	if (hpck_fp_mode_rne())
		w->kf |= HPCK_K_RNE;
	if (threads <= 1) {
		hpck_fe_clear();
		fe = (int)ew_run(w, 0, w->n);
		fe = explicit ? fe : fe | hpck_fe_test();
		if (!threads)
			hpck_pool_ran_short();
		return fe;
	}
	/* up to 8 equal chunks per thread, so a thread that falls behind can be helped,
	 * each of at least a grain (a claim moves a cache line between the cores) and at
	 * most 64K elements, so the wait for the last one stays short */
	per /= (size_t)threads;
	w->chunk = w->n / ((size_t)threads * (per > 8 ? 8 : per));
	w->chunk = (w->chunk + 255) & ~(size_t)255;
	if (w->chunk > CHUNK_MAX)
		w->chunk = CHUNK_MAX;
	atomic_init(&w->flags, 0);
	fe = hpck_parallel((w->n + w->chunk - 1) / w->chunk, threads, ew_chunk, w);
	return (explicit ? 0 : fe) | (int)atomic_load(&w->flags);
}

static int unary(int op, int dt, size_t n, const void *x, ptrdiff_t sx, void *y, ptrdiff_t sy)
{
	struct ew w = { .kind = EW_UNARY, .op = op, .dt = dt, .n = n, .in = { x, x, x },
			.s = { sx }, .y = y, .sy = sy, .esz = dt == HPCK_F64 ? 8 : 4 };

	if (!n)
		return 0;
	return ew_go(&w, grain_unary[op], 1, op == HPCK_EXP || op == HPCK_LOG);
}

static int binary(int op, int dt, size_t n, const void *a, ptrdiff_t sa, const void *b,
		  ptrdiff_t sb, void *y, ptrdiff_t sy)
{
	struct ew w = { .kind = EW_BINARY, .op = op, .dt = dt, .n = n, .in = { a, b, b },
			.s = { sa, sb }, .y = y, .sy = sy, .esz = dt == HPCK_F64 ? 8 : 4 };

	if (!n)
		return 0;
	return ew_go(&w, grain_binary[op], 2, 0);
}

static int ternary(int dt, size_t n, const void *a, ptrdiff_t sa, const void *b, ptrdiff_t sb,
		   const void *c, ptrdiff_t sc, void *y, ptrdiff_t sy)
{
	struct ew w = { .kind = EW_FMA, .dt = dt, .n = n, .in = { a, b, c }, .s = { sa, sb, sc },
			.y = y, .sy = sy, .esz = dt == HPCK_F64 ? 8 : 4 };

	if (!n)
		return 0;
	return ew_go(&w, GRAIN_FMA, 3, 0);
}

#define HPCK_PUBLIC_BINARY(name, OP)                                                         \
	int hpck_##name##_f64(size_t n, const double *a, ptrdiff_t sa, const double *b,        \
			      ptrdiff_t sb, double *y, ptrdiff_t sy)                             \
	{                                                                                    \
		return binary(OP, HPCK_F64, n, a, sa, b, sb, y, sy);                         \
	}                                                                                    \
	int hpck_##name##_f32(size_t n, const float *a, ptrdiff_t sa, const float *b,          \
			      ptrdiff_t sb, float *y, ptrdiff_t sy)                              \
	{                                                                                    \
		return binary(OP, HPCK_F32, n, a, sa, b, sb, y, sy);                         \
	}
HPCK_PUBLIC_BINARY(add, HPCK_ADD)
HPCK_PUBLIC_BINARY(subtract, HPCK_SUB)
HPCK_PUBLIC_BINARY(multiply, HPCK_MUL)
HPCK_PUBLIC_BINARY(divide, HPCK_DIV)

#define HPCK_PUBLIC_UNARY(name, OP)                                                          \
	int hpck_##name##_f64(size_t n, const double *x, ptrdiff_t sx, double *y, ptrdiff_t sy) \
	{                                                                                    \
		return unary(OP, HPCK_F64, n, x, sx, y, sy);                                 \
	}                                                                                    \
	int hpck_##name##_f32(size_t n, const float *x, ptrdiff_t sx, float *y, ptrdiff_t sy)   \
	{                                                                                    \
		return unary(OP, HPCK_F32, n, x, sx, y, sy);                                 \
	}
HPCK_PUBLIC_UNARY(negative, HPCK_NEG)
HPCK_PUBLIC_UNARY(absolute, HPCK_ABS)
HPCK_PUBLIC_UNARY(sqrt, HPCK_SQRT)
HPCK_PUBLIC_UNARY(exp, HPCK_EXP)
HPCK_PUBLIC_UNARY(log, HPCK_LOG)

int hpck_fma_f64(size_t n, const double *a, ptrdiff_t sa, const double *b, ptrdiff_t sb,
		 const double *c, ptrdiff_t sc, double *y, ptrdiff_t sy)
{
	return ternary(HPCK_F64, n, a, sa, b, sb, c, sc, y, sy);
}

int hpck_fma_f32(size_t n, const float *a, ptrdiff_t sa, const float *b, ptrdiff_t sb,
		 const float *c, ptrdiff_t sc, float *y, ptrdiff_t sy)
{
	return ternary(HPCK_F32, n, a, sa, b, sb, c, sc, y, sy);
}

int hpck_axpy_f64(size_t n, double alpha, const double *x, ptrdiff_t sx, double *y,
		  ptrdiff_t sy)
{
	return ternary(HPCK_F64, n, &alpha, 0, x, sx, y, sy, y, sy);
}

int hpck_axpy_f32(size_t n, float alpha, const float *x, ptrdiff_t sx, float *y, ptrdiff_t sy)
{
	return ternary(HPCK_F32, n, &alpha, 0, x, sx, y, sy, y, sy);
}
