/* SPDX-License-Identifier: MIT */
/* verify_bench.c - benchmark the exact BLAS numpy loaded, from C, and check its answers
 *
 * The library is the file numpy's cblas_dgemm binds to, dlopened in a forked child (its
 * thread pool, a crash or a hang stay there; OPENBLAS_CORETYPE can differ per child).
 * DGEMM/SGEMM over sizes and thread counts (set with the library's own setter), DGEMV and
 * DDOT against the triad bandwidth; median and spread of repeats; every result checked
 * against a simple reference (Freivalds' test for GEMM: O(n^2), so even 4096 is cheap),
 * so a BLAS that computes wrong answers fails loudly however fast it is.
 */
#include <dlfcn.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hpcenv/util.h"
#include "verify_int.h"

enum { COL_MAJOR = 102, NO_TRANS = 111 };

/* ---- reference checks ---- */

/* x_j in [1, 2): positive, so |A||B||x| bounds the rounding of every product. */
static double probe_x(int j)
{
	return 1.0 + (double)(j % 7) / 7.0;
}

double hpc_verify_gemm_residual(int n, const double *a, const double *b, const double *c,
				double eps)
{
	size_t N = (size_t)n;
	double *t = hpc_xcalloc(N, sizeof(double)), *ta = hpc_xcalloc(N, sizeof(double));
	double *y1 = hpc_xcalloc(N, sizeof(double)), *y2 = hpc_xcalloc(N, sizeof(double));
	double *s = hpc_xcalloc(N, sizeof(double)), worst = 0;

	for (size_t j = 0; j < N; j++) /* column-major: element (i, j) at [i + j*n] */
		for (size_t i = 0; i < N; i++) {
			t[i] += b[i + j * N] * probe_x((int)j);
			ta[i] += fabs(b[i + j * N]) * probe_x((int)j);
			y1[i] += c[i + j * N] * probe_x((int)j);
		}
	for (size_t j = 0; j < N; j++)
		for (size_t i = 0; i < N; i++) {
			y2[i] += a[i + j * N] * t[j];
			s[i] += fabs(a[i + j * N]) * ta[j];
		}
	for (size_t i = 0; i < N; i++) {
		double bound = 2.0 * n * eps * s[i], err = fabs(y1[i] - y2[i]);
		double r = bound > 0 ? err / bound : (err > 0 ? INFINITY : 0);

		if (!(r <= worst)) /* NaN counts as the worst */
			worst = isnan(r) ? INFINITY : r;
	}
	free(t);
	free(ta);
	free(y1);
	free(y2);
	free(s);
	return worst;
}

double hpc_verify_sgemm_residual(int n, const float *a, const float *b, const float *c)
{
	size_t nn = (size_t)n * (size_t)n;
	double *da = hpc_xmalloc(nn * sizeof(double)), *db = hpc_xmalloc(nn * sizeof(double));
	double *dc = hpc_xmalloc(nn * sizeof(double)), r;

	for (size_t i = 0; i < nn; i++) {
		da[i] = a[i];
		db[i] = b[i];
		dc[i] = c[i];
	}
	r = hpc_verify_gemm_residual(n, da, db, dc, 0x1p-24);
	free(da);
	free(db);
	free(dc);
	return r;
}

static double gemv_residual(int n, const double *a, const double *x, const double *y)
{
	size_t N = (size_t)n;
	double worst = 0;

	for (size_t i = 0; i < N; i++) {
		double ref = 0, abs_sum = 0, bound, r;

		for (size_t j = 0; j < N; j++) {
			ref += a[i + j * N] * x[j];
			abs_sum += fabs(a[i + j * N] * x[j]);
		}
		bound = 2.0 * n * 0x1p-53 * abs_sum;
		r = bound > 0 ? fabs(y[i] - ref) / bound : 0;
		if (!(r <= worst))
			worst = isnan(r) ? INFINITY : r;
	}
	return worst;
}

static double dot_residual(int n, const double *x, const double *y, double got)
{
	double ref = 0, abs_sum = 0, bound;

	for (int i = 0; i < n; i++) {
		ref += x[i] * y[i];
		abs_sum += fabs(x[i] * y[i]);
	}
	bound = 2.0 * n * 0x1p-53 * abs_sum;
	if (isnan(got))
		return INFINITY;
	return bound > 0 ? fabs(got - ref) / bound : 0;
}

/* ---- the library's entry points ---- */

typedef void (*cblas_gemm_fn)(int, int, int, int, int, int, double, const double *, int,
			      const double *, int, double, double *, int);
typedef void (*cblas_sgemm_fn)(int, int, int, int, int, int, float, const float *, int,
			       const float *, int, float, float *, int);
typedef void (*cblas_gemv_fn)(int, int, int, int, double, const double *, int, const double *,
			      int, double, double *, int);
typedef double (*cblas_dot_fn)(int, const double *, int, const double *, int);
typedef void (*f_gemm_fn)(const char *, const char *, const int *, const int *, const int *,
			  const double *, const double *, const int *, const double *, const int *,
			  const double *, double *, const int *);
typedef void (*f_sgemm_fn)(const char *, const char *, const int *, const int *, const int *,
			   const float *, const float *, const int *, const float *, const int *,
			   const float *, float *, const int *);
typedef void (*f_gemv_fn)(const char *, const int *, const int *, const double *, const double *,
			  const int *, const double *, const int *, const double *, double *,
			  const int *);
typedef double (*f_dot_fn)(const int *, const double *, const int *, const double *, const int *);

struct api {
	void *h;
	cblas_gemm_fn dgemm;
	cblas_sgemm_fn sgemm;
	cblas_gemv_fn dgemv;
	cblas_dot_fn ddot;
	f_gemm_fn f_dgemm;
	f_sgemm_fn f_sgemm;
	f_gemv_fn f_dgemv;
	f_dot_fn f_ddot;
	void (*set_threads)(int);
	const char *(*corename)(void);
};

static void *sym2(void *h, const char *a, const char *b)
{
	void *f = dlsym(h, a);

	return f ? f : (b ? dlsym(h, b) : NULL);
}

static bool api_open(struct api *api, const char *path)
{
	memset(api, 0, sizeof(*api));
	api->h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
	if (!api->h)
		return false;
	api->dgemm = (cblas_gemm_fn)dlsym(api->h, "cblas_dgemm");
	api->sgemm = (cblas_sgemm_fn)dlsym(api->h, "cblas_sgemm");
	api->dgemv = (cblas_gemv_fn)dlsym(api->h, "cblas_dgemv");
	api->ddot = (cblas_dot_fn)dlsym(api->h, "cblas_ddot");
	api->f_dgemm = (f_gemm_fn)dlsym(api->h, "dgemm_");
	api->f_sgemm = (f_sgemm_fn)dlsym(api->h, "sgemm_");
	api->f_dgemv = (f_gemv_fn)dlsym(api->h, "dgemv_");
	api->f_ddot = (f_dot_fn)dlsym(api->h, "ddot_");
	api->set_threads = (void (*)(int))sym2(api->h, "openblas_set_num_threads",
					       "MKL_Set_Num_Threads");
	if (!api->set_threads)
		api->set_threads = (void (*)(int))sym2(api->h, "bli_thread_set_num_threads",
						       "flexiblas_set_num_threads");
	api->corename = (const char *(*)(void))dlsym(api->h, "openblas_get_corename");
	return api->dgemm || api->f_dgemm;
}

static void run_dgemm(const struct api *api, int n, const double *a, const double *b, double *c)
{
	const double one = 1, zero = 0;

	if (api->dgemm)
		api->dgemm(COL_MAJOR, NO_TRANS, NO_TRANS, n, n, n, 1.0, a, n, b, n, 0.0, c, n);
	else
		api->f_dgemm("N", "N", &n, &n, &n, &one, a, &n, b, &n, &zero, c, &n);
}

static void run_sgemm(const struct api *api, int n, const float *a, const float *b, float *c)
{
	const float one = 1, zero = 0;

	if (api->sgemm)
		api->sgemm(COL_MAJOR, NO_TRANS, NO_TRANS, n, n, n, 1.0f, a, n, b, n, 0.0f, c, n);
	else
		api->f_sgemm("N", "N", &n, &n, &n, &one, a, &n, b, &n, &zero, c, &n);
}

static void run_dgemv(const struct api *api, int n, const double *a, const double *x, double *y)
{
	const double one = 1, zero = 0;
	const int inc = 1;

	if (api->dgemv)
		api->dgemv(COL_MAJOR, NO_TRANS, n, n, 1.0, a, n, x, 1, 0.0, y, 1);
	else
		api->f_dgemv("N", &n, &n, &one, a, &n, x, &inc, &zero, y, &inc);
}

static double run_ddot(const struct api *api, int n, const double *x, const double *y)
{
	const int inc = 1;

	return api->ddot ? api->ddot(n, x, 1, y, 1) : api->f_ddot(&n, x, &inc, y, &inc);
}

/* ---- the plan ---- */

struct plan {
	const char *op;
	int sizes[6];
};

struct bench_arg {
	const char *path;
	const struct plan *plans;
	int threads[16];
	int nthreads;
	int reps;
	double sample;  /* seconds each timed sample should last at least */
	double budget;  /* skip a size predicted to take longer than this per repeat */
};

static const struct plan quick_plan[] = {
	{ "dgemm", { 256, 1024 } }, { "sgemm", { 1024 } }, { "dgemv", { 4096 } },
	{ "ddot", { 1 << 23 } },   { NULL, { 0 } },
};
static const struct plan normal_plan[] = {
	{ "dgemm", { 256, 1024, 2048, 4096 } }, { "sgemm", { 1024, 4096 } },
	{ "dgemv", { 4096 } }, { "ddot", { 1 << 24 } }, { NULL, { 0 } },
};
static const struct plan full_plan[] = {
	{ "dgemm", { 256, 512, 1024, 2048, 4096 } }, { "sgemm", { 256, 512, 1024, 2048, 4096 } },
	{ "dgemv", { 1024, 4096, 8192 } }, { "ddot", { 1 << 20, 1 << 24 } }, { NULL, { 0 } },
};

static double op_flops(const char *op, int n)
{
	double d = n;

	return strstr(op, "gemm") ? 2 * d * d * d : strcmp(op, "dgemv") ? 2 * d : 2 * d * d;
}

static double op_bytes(const char *op, int n)
{
	double d = n;

	return !strcmp(op, "dgemv") ? 8 * d * d : !strcmp(op, "ddot") ? 16 * d : 0;
}

/* ---- the child ---- */

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static double rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (double)(rng_state >> 11) * 0x1p-52 - 1.0; /* [-1, 1) */
}

struct bufs {
	double *a, *b, *c;
	float *fa, *fb, *fc;
	double dot;
};

static void bufs_alloc(struct bufs *m, const char *op, int n)
{
	size_t nn = (size_t)n * (size_t)n, vec = (size_t)n;

	memset(m, 0, sizeof(*m));
	if (!strcmp(op, "sgemm")) {
		m->fa = hpc_xmalloc(nn * sizeof(float));
		m->fb = hpc_xmalloc(nn * sizeof(float));
		m->fc = hpc_xcalloc(nn, sizeof(float));
		for (size_t i = 0; i < nn; i++) {
			m->fa[i] = (float)rnd();
			m->fb[i] = (float)rnd();
		}
		return;
	}
	if (!strcmp(op, "ddot"))
		nn = vec;
	m->a = hpc_xmalloc(nn * sizeof(double));
	m->b = hpc_xmalloc((!strcmp(op, "dgemm") ? nn : vec) * sizeof(double));
	m->c = hpc_xcalloc(!strcmp(op, "dgemm") ? nn : vec, sizeof(double));
	for (size_t i = 0; i < nn; i++)
		m->a[i] = rnd();
	for (size_t i = 0; i < (!strcmp(op, "dgemm") ? nn : vec); i++)
		m->b[i] = rnd();
}

static void bufs_free(struct bufs *m)
{
	free(m->a);
	free(m->b);
	free(m->c);
	free(m->fa);
	free(m->fb);
	free(m->fc);
}

static void call_op(const struct api *api, const char *op, int n, struct bufs *m)
{
	if (!strcmp(op, "dgemm"))
		run_dgemm(api, n, m->a, m->b, m->c);
	else if (!strcmp(op, "sgemm"))
		run_sgemm(api, n, m->fa, m->fb, m->fc);
	else if (!strcmp(op, "dgemv"))
		run_dgemv(api, n, m->a, m->b, m->c);
	else
		m->dot = run_ddot(api, n, m->a, m->b);
}

static double check_op(const char *op, int n, const struct bufs *m)
{
	if (!strcmp(op, "dgemm"))
		return hpc_verify_gemm_residual(n, m->a, m->b, m->c, 0x1p-53);
	if (!strcmp(op, "sgemm"))
		return hpc_verify_sgemm_residual(n, m->fa, m->fb, m->fc);
	if (!strcmp(op, "dgemv"))
		return gemv_residual(n, m->a, m->b, m->c);
	return dot_residual(n, m->a, m->b, m->dot);
}

static bool supported(const struct api *api, const char *op)
{
	if (!strcmp(op, "dgemm"))
		return api->dgemm || api->f_dgemm;
	if (!strcmp(op, "sgemm"))
		return api->sgemm || api->f_sgemm;
	if (!strcmp(op, "dgemv"))
		return api->dgemv || api->f_dgemv;
	return api->ddot || api->f_ddot;
}

/* Time one (op, n, threads): calls grouped so that a sample lasts `sample` seconds. */
static json_t *measure(const struct api *api, const struct bench_arg *ba, const char *op, int n)
{
	struct bufs m;
	double t, times[16], med, lo, hi, res;
	int k;
	json_t *o;

	bufs_alloc(&m, op, n);
	t = hpc_now();
	call_op(api, op, n, &m); /* warm-up: page in, start the thread pool */
	t = hpc_now() - t;
	k = t > 0 && t < ba->sample ? (int)(ba->sample / t) + 1 : 1;
	for (int r = 0; r < ba->reps; r++) {
		t = hpc_now();
		for (int i = 0; i < k; i++)
			call_op(api, op, n, &m);
		times[r] = (hpc_now() - t) / k;
	}
	hpc_verify_stats(times, ba->reps, &med, &lo, &hi);
	res = check_op(op, n, &m);
	if (!isfinite(res)) /* JSON has no inf or NaN */
		res = 1e300;
	o = json_pack("{s:s,s:i,s:i,s:f,s:f,s:f,s:f}", "op", op, "n", n, "reps", ba->reps,
		      "median", med, "min", lo, "max", hi, "residual", res);
	bufs_free(&m);
	return o;
}

static void bench_threads(const struct api *api, const struct bench_arg *ba, int threads, int fd)
{
	for (const struct plan *p = ba->plans; p->op; p++) {
		double rate = 0; /* flops per second of the previous size */

		if (!supported(api, p->op))
			continue;
		for (int s = 0; s < 6 && p->sizes[s]; s++) {
			int n = p->sizes[s];
			double predicted = rate > 0 ? op_flops(p->op, n) / rate : 0;
			json_t *o;

			if (predicted > ba->budget) {
				o = json_pack("{s:s,s:i,s:i,s:s}", "op", p->op, "n", n, "threads",
					      threads, "skipped", "budget");
				json_object_set_new(o, "predicted", json_real(predicted));
			} else {
				o = measure(api, ba, p->op, n);
				json_object_set_new(o, "threads", json_integer(threads));
				rate = op_flops(p->op, n) /
				       json_real_value(json_object_get(o, "median"));
			}
			if (api->corename)
				json_object_set_new(o, "core", json_string(api->corename()));
			hpc_verify_write_json(fd, o);
			json_decref(o);
		}
	}
}

static int bench_child(void *arg, int fd)
{
	const struct bench_arg *ba = arg;
	struct api api;

	if (!api_open(&api, ba->path)) {
		dprintf(STDERR_FILENO, "cannot load a GEMM from %s: %s\n", ba->path,
			dlerror() ? dlerror() : "no cblas_dgemm or dgemm_");
		return 3;
	}
	for (int t = 0; t < ba->nthreads; t++) {
		if (api.set_threads)
			api.set_threads(ba->threads[t]);
		bench_threads(&api, ba, api.set_threads ? ba->threads[t] : 1, fd);
		if (!api.set_threads)
			break; /* the library decides: one pass is all we can measure */
	}
	return 0;
}

/* ---- the parent ---- */

static void thread_counts(struct bench_arg *ba, int cores, enum hpc_verify_mode mode)
{
	ba->nthreads = 0;
	for (int t = 1; t < cores && ba->nthreads < 15; t *= 2)
		if (mode == HPC_VERIFY_FULL || t == 1 || t * 2 >= cores)
			ba->threads[ba->nthreads++] = t;
	ba->threads[ba->nthreads++] = cores > 0 ? cores : 1;
}

static void set_plan(struct bench_arg *ba, const struct hpc_verify *v)
{
	switch (v->opts.mode) {
	case HPC_VERIFY_QUICK:
		*ba = (struct bench_arg){ .plans = quick_plan, .reps = 3, .sample = 0.01,
					  .budget = 3 };
		break;
	case HPC_VERIFY_FULL:
		*ba = (struct bench_arg){ .plans = full_plan, .reps = 7, .sample = 0.1,
					  .budget = 60 };
		break;
	default:
		*ba = (struct bench_arg){ .plans = normal_plan, .reps = 5, .sample = 0.05,
					  .budget = 15 };
	}
	ba->path = v->blas.gemm_path;
	thread_counts(ba, v->peak.cores, v->opts.mode);
}

static void add_row(struct hpc_verify *v, json_t *o)
{
	struct hpc_verify_bench *b;
	const char *op = json_string_value(json_object_get(o, "op"));
	double bytes, flops;

	if (!op)
		return;
	v->bench = hpc_xrealloc(v->bench, (v->nbench + 1) * sizeof(*v->bench));
	b = &v->bench[v->nbench++];
	memset(b, 0, sizeof(*b));
	snprintf(b->op, sizeof(b->op), "%s", op);
	b->n = (int)json_integer_value(json_object_get(o, "n"));
	b->threads = (int)json_integer_value(json_object_get(o, "threads"));
	b->core = hpc_verify_jstr(o, "core");
	b->pct = -1;
	if (json_object_get(o, "skipped")) {
		b->skipped = hpc_xasprintf("predicted %.0f s per call, over the budget",
					   json_number_value(json_object_get(o, "predicted")));
		return;
	}
	b->reps = (int)json_integer_value(json_object_get(o, "reps"));
	b->median = json_number_value(json_object_get(o, "median"));
	b->min = json_number_value(json_object_get(o, "min"));
	b->max = json_number_value(json_object_get(o, "max"));
	b->residual = json_number_value(json_object_get(o, "residual"));
	b->ok = b->residual <= 1.0;
	flops = op_flops(op, b->n);
	bytes = op_bytes(op, b->n);
	b->gflops = b->median > 0 ? flops / b->median / 1e9 : 0;
	b->gbs = b->median > 0 && bytes > 0 ? bytes / b->median / 1e9 : 0;
}

/* Run a benchmark child; *rows gets the result objects it wrote (even when it died). */
static int run_child(struct bench_arg *ba, const char *const *env_set,
		     const struct hpc_events *ev, json_t **rows, struct hpc_verify_proc *p,
		     struct hpc_error **err)
{
	char *line, *save = NULL;
	int r;

	*p = (struct hpc_verify_proc){ .env_set = env_set, .timeout = 30 * 60, .ev = ev };
	r = hpc_verify_proc_fork(p, bench_child, ba, err);
	if (r)
		return r;
	*rows = json_array();
	for (line = strtok_r(p->out, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		json_t *o = json_loads(line, 0, NULL);

		if (json_is_object(o))
			json_array_append(*rows, o);
		json_decref(o);
	}
	return 0;
}

static void child_failed(struct hpc_verify *v, const struct hpc_verify_proc *p, size_t rows)
{
	char *last = hpc_verify_last_line(p->err);

	if (p->timed_out)
		hpc_verify_find(v, "bench.residual", "blas-bench-hang", HPC_VERIFY_FAIL, false,
				"run the benchmark alone and check the BLAS threading settings",
				"the benchmark of %s did not finish within %.0f s (%zu results)",
				v->blas.gemm_path, p->timeout, rows);
	else if (p->signal)
		hpc_verify_find(v, "bench.residual", "blas-bench-crash", HPC_VERIFY_FAIL, false,
				p->signal == 4 ? "the library runs instructions this CPU lacks: "
						 "unset OPENBLAS_CORETYPE or use a generic build"
					       : "reinstall the BLAS; check it with its own tests",
				"%s crashed with signal %d (%s) after %zu results",
				v->blas.gemm_path, p->signal, strsignal(p->signal), rows);
	else if (p->status)
		hpc_verify_find(v, "bench.residual", "blas-bench-failed", HPC_VERIFY_FAIL, false,
				"check that the library numpy loads exports cblas_dgemm or dgemm_",
				"the benchmark of %s failed (exit %d): %s", v->blas.gemm_path,
				p->status, *last ? last : "no message");
	free(last);
}

static double triad_for(const struct hpc_verify_peak *p, int threads)
{
	if (threads <= 1 || p->cores <= 1)
		return p->triad_one;
	if (threads >= p->cores)
		return p->triad_all;
	return p->triad_one + (p->triad_all - p->triad_one) * (threads - 1) / (p->cores - 1);
}

static void percentages(struct hpc_verify *v)
{
	double best = 0;

	for (size_t i = 0; i < v->nbench; i++)
		if (!strcmp(v->bench[i].op, "dgemm") && v->bench[i].threads == 1 &&
		    v->bench[i].gflops > best)
			best = v->bench[i].gflops;
	if (best > v->peak.dp_core && v->peak.dp_core > 0) {
		v->peak.gemm_best = best;
		hpc_verify_check_set(v, "cpu.peak", "cpu", HPC_VERIFY_PASS,
				     "%.1f GFLOP/s per core from DGEMM (the FMA loop reached %.1f)",
				     best, v->peak.dp_core);
	}
	for (size_t i = 0; i < v->nbench; i++) {
		struct hpc_verify_bench *b = &v->bench[i];
		double ref = !strcmp(b->op, "dgemm") ? hpc_verify_peak_dp(&v->peak, b->threads)
			     : !strcmp(b->op, "sgemm") ? hpc_verify_peak_sp(&v->peak, b->threads)
						       : triad_for(&v->peak, b->threads);

		if (!b->skipped && ref > 0)
			b->pct = 100.0 * (b->gbs > 0 ? b->gbs : b->gflops) / ref;
	}
}

/* The fastest DGEMM at the largest size measured on all threads. */
static const struct hpc_verify_bench *top_dgemm(const struct hpc_verify *v)
{
	const struct hpc_verify_bench *top = NULL;
	int most = 0;

	for (size_t i = 0; i < v->nbench; i++)
		if (!v->bench[i].skipped && v->bench[i].threads > most)
			most = v->bench[i].threads;
	for (size_t i = 0; i < v->nbench; i++) {
		const struct hpc_verify_bench *b = &v->bench[i];

		if (!strcmp(b->op, "dgemm") && !b->skipped && b->threads == most &&
		    (!top || b->n > top->n))
			top = b;
	}
	return top;
}

static void judge_rows(struct hpc_verify *v)
{
	const struct hpc_verify_bench *bad = NULL, *top = top_dgemm(v);
	size_t measured = 0, wrong = 0;

	for (size_t i = 0; i < v->nbench; i++) {
		if (v->bench[i].skipped)
			continue;
		measured++;
		wrong += !v->bench[i].ok;
		if (!v->bench[i].ok && !bad)
			bad = &v->bench[i];
	}
	hpc_verify_check_set(v, "bench.residual", "bench", HPC_VERIFY_PASS,
			     "%zu results checked against a reference, %zu wrong", measured,
			     wrong);
	if (bad)
		hpc_verify_find(v, "bench.residual", "blas-wrong-results", HPC_VERIFY_FAIL, false,
				"do not use this library: reinstall it, or pick another BLAS (or "
				"OpenBLAS core type) and verify again",
				"%s %s n=%d on %d thread%s returns wrong results (scaled residual "
				"%.3g, a correct result is <= 1)", v->blas.gemm_path, bad->op,
				bad->n, bad->threads, bad->threads == 1 ? "" : "s", bad->residual);
	if (!top)
		return;
	hpc_verify_check_set(v, "bench.dgemm", "bench", HPC_VERIFY_PASS,
			     "%.1f GFLOP/s at n=%d on %d threads, %.0f%% of the measured peak",
			     top->gflops, top->n, top->threads, top->pct);
	if (!v->opts.refs && top->pct >= 0 && top->pct < 50)
		hpc_verify_find(v, "bench.dgemm", "blas-below-peak", HPC_VERIFY_WARN, true,
				hpc_verify_finding_get(v, "blas-coretype-below-cpu")
					? "use the CPU's best kernels (see blas-coretype-below-cpu)"
				: hpc_verify_finding_get(v, "blas-netlib")
					? "use an optimised BLAS (see blas-netlib)"
					: "check other load (uptime), CPU frequency scaling and "
					  "the BLAS build",
				"DGEMM n=%d on %d thread%s reaches %.1f GFLOP/s, %.0f%% of the "
				"measured peak %.1f (a tuned DGEMM reaches 85-95%%)", top->n,
				top->threads, top->threads == 1 ? "" : "s", top->gflops, top->pct,
				hpc_verify_peak_dp(&v->peak, top->threads));
}

void hpc_verify_bench_judge(struct hpc_verify *v)
{
	percentages(v);
	judge_rows(v);
}

/* The price of the OpenBLAS core type in use: the same DGEMM with the CPU's best kernels. */
static int measure_cost(struct hpc_verify *v, const struct bench_arg *ba,
			const struct hpc_events *ev, struct hpc_error **err)
{
	const struct hpc_verify_bench *top = top_dgemm(v);
	struct plan one[2] = { { "dgemm", { 0 } }, { NULL, { 0 } } };
	struct bench_arg cost = *ba;
	char *set;
	const char *env_set[2] = { NULL, NULL };
	struct hpc_verify_proc p;
	json_t *rows = NULL, *o;
	int r;

	if (!top || !hpc_verify_finding_get(v, "blas-coretype-below-cpu") || !v->blas.core_best)
		return 0;
	one[0].sizes[0] = top->n;
	cost.plans = one;
	cost.threads[0] = top->threads;
	cost.nthreads = 1;
	set = hpc_xasprintf("OPENBLAS_CORETYPE=%s", v->blas.core_best);
	env_set[0] = set;
	r = run_child(&cost, env_set, ev, &rows, &p, err);
	o = json_array_get(rows, 0);
	if (!r && o && json_object_get(o, "median")) {
		v->cost = (struct hpc_verify_cost){
			.core_in_use = hpc_xstrdup(v->blas.core_in_use),
			.core_best = hpc_verify_jstr(o, "core"), .n = top->n,
			.threads = top->threads, .gflops_in_use = top->gflops, .measured = true
		};
		v->cost.gflops_best = op_flops("dgemm", top->n) /
				      json_number_value(json_object_get(o, "median")) / 1e9;
		hpc_verify_finding_append(v, "blas-coretype-below-cpu",
					  "; measured cost: DGEMM n=%d on %d threads runs %.1f "
					  "GFLOP/s with %s kernels, %.1f with %s (%.0f%%)", top->n,
					  top->threads, top->gflops, v->blas.core_in_use,
					  v->cost.gflops_best, v->cost.core_best ? v->cost.core_best
					  : v->blas.core_best,
					  100.0 * top->gflops / v->cost.gflops_best);
	}
	json_decref(rows);
	hpc_verify_proc_fini(&p);
	free(set);
	return r;
}

int hpc_verify_bench_run(struct hpc_verify *v, const struct hpc_events *ev,
			 struct hpc_error **err)
{
	struct bench_arg ba;
	struct hpc_verify_proc p;
	json_t *rows = NULL, *o;
	size_t i;
	int r;

	if (!v->blas.gemm_path) {
		hpc_verify_check_set(v, "bench.dgemm", "bench", HPC_VERIFY_SKIP,
				     "no BLAS library to benchmark");
		return 0;
	}
	set_plan(&ba, v);
	hpc_verify_step(ev, "verify:bench", "benchmarking the BLAS numpy loads", false);
	r = run_child(&ba, NULL, ev, &rows, &p, err);
	if (r)
		return r;
	json_array_foreach(rows, i, o)
		add_row(v, o);
	hpc_verify_bench_judge(v);
	if (p.timed_out || p.signal || p.status)
		child_failed(v, &p, json_array_size(rows));
	json_decref(rows);
	hpc_verify_proc_fini(&p);
	r = measure_cost(v, &ba, ev, err);
	hpc_verify_step(ev, "verify:bench", "benchmarking the BLAS numpy loads", true);
	return r;
}

void hpc_verify_bench_fini(struct hpc_verify_bench *b)
{
	free(b->core);
	free(b->skipped);
}
