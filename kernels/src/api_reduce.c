/* SPDX-License-Identifier: MIT */
/* api_reduce.c - the public reductions: fixed chunks, combined in a fixed order
 *
 * Arrays longer than one chunk (CHUNK elements) are reduced chunk by chunk, whether or
 * not threads run them, and the partial results are combined by a balanced pairwise
 * tree over the chunk index (sum, dot, sum of squares) or in index order (min, max,
 * argmin, argmax). Chunk boundaries depend on n only, so results are bit-identical
 * for any thread count, and sums stay pairwise end to end.
 */
#include <math.h>
#include <stdlib.h>

#include "hpckernels.h"
#include "internal.h"

#define CHUNK ((size_t)1 << 14)
/* Elements per thread below which a reduction stays on the caller. */
#define GRAIN ((size_t)1 << 15)

enum red_what { R_SUM, R_DOT, R_SSQ, R_EXT, R_ARG };

union partial {
	double d;
	float f;
	struct hpck_ssq q;
	size_t i;
};

struct red {
	enum red_what what;
	int dt, mx;
	const struct hpck_isa *isa;
	const char *x, *y;
	ptrdiff_t sx, sy;
	size_t n, esz;
	union partial *out;
};

static void red_chunk(void *ctx, size_t c)
{
	struct red *r = ctx;
	const struct hpck_isa *k = r->isa;
	size_t lo = c * CHUNK, m = r->n - lo < CHUNK ? r->n - lo : CHUNK;
	const void *x = r->x + (ptrdiff_t)lo * r->sx * (ptrdiff_t)r->esz;
	const void *y = r->y + (ptrdiff_t)lo * r->sy * (ptrdiff_t)r->esz;
	union partial *o = &r->out[c];
	int d = r->dt == HPCK_F64;

	switch (r->what) {
	case R_SUM:
		if (d)
			o->d = k->sum_f64(m, x, r->sx);
		else
			o->f = k->sum_f32(m, x, r->sx);
		break;
	case R_DOT:
		if (d)
			o->d = k->dot_f64(m, x, r->sx, y, r->sy);
		else
			o->f = k->dot_f32(m, x, r->sx, y, r->sy);
		break;
	case R_SSQ:
		if (d)
			o->q = k->ssq_f64(m, x, r->sx);
		else
			o->d = k->ssq_f32(m, x, r->sx);
		break;
	case R_EXT:
		if (d)
			o->d = k->extreme_f64[r->mx](m, x, r->sx);
		else
			o->f = k->extreme_f32[r->mx](m, x, r->sx);
		break;
	case R_ARG:
		o->i = lo + (d ? k->argextreme_f64[r->mx](m, x, r->sx)
			       : k->argextreme_f32[r->mx](m, x, r->sx));
		break;
	}
}

/* Reduce every chunk into r->out (malloc'ed, the caller frees); returns HPCK_FE_*. */
static int red_chunks(struct red *r, size_t nchunks, union partial *local)
{
	size_t per = r->n / GRAIN;
	int threads = hpck_num_threads();

	r->isa = hpck_isa();
	r->out = local;
	if (nchunks > 1) {
		r->out = malloc(nchunks * sizeof(*r->out));
		if (!r->out)
			abort(); /* as hpc_xmalloc: allocation failure is fatal */
	}
	if (per < (size_t)threads)
		threads = per < 1 ? 1 : (int)per;
	if (threads > 1 && per < 16 && !hpck_pool_split_short()) {
		int fe = hpck_parallel(nchunks, 1, red_chunk, r);
		hpck_pool_ran_short();
		return fe;
	}
	return hpck_parallel(nchunks, threads, red_chunk, r);
}

/* Pairwise combination of p[0..n) in the same balanced order every time. */
static double tree_d(const union partial *p, size_t n)
{
	return n == 1 ? p[0].d : tree_d(p, n / 2) + tree_d(p + n / 2, n - n / 2);
}

static float tree_f(const union partial *p, size_t n)
{
	return n == 1 ? p[0].f : tree_f(p, n / 2) + tree_f(p + n / 2, n - n / 2);
}

static struct hpck_ssq tree_q(const union partial *p, size_t n)
{
	struct hpck_ssq a, b;

	if (n == 1)
		return p[0].q;
	a = tree_q(p, n / 2);
	b = tree_q(p + n / 2, n - n / 2);
	a.big += b.big;
	a.mid += b.mid;
	a.small += b.small;
	return a;
}

/* sum (y == NULL) or dot; the result in *out (double or float). */
static int sum_dot(int dt, size_t n, const void *x, ptrdiff_t sx, const void *y, ptrdiff_t sy,
		   union partial *res)
{
	struct red r = { .what = y ? R_DOT : R_SUM, .dt = dt, .x = x, .y = y ? y : x,
			 .sx = sx, .sy = sy, .n = n, .esz = dt == HPCK_F64 ? 8 : 4 };
	size_t nchunks = (n + CHUNK - 1) / CHUNK;
	int fe;

	if (!n) {
		res->d = 0;
		res->f = 0;
		return 0;
	}
	fe = red_chunks(&r, nchunks, res);
	hpck_fe_clear();
	if (nchunks > 1) {
		if (dt == HPCK_F64)
			res->d = tree_d(r.out, nchunks);
		else
			res->f = tree_f(r.out, nchunks);
		free(r.out);
	}
	return fe | hpck_fe_test();
}

double hpck_sum_f64(size_t n, const double *x, ptrdiff_t sx, int *fe)
{
	union partial p;
	int f = sum_dot(HPCK_F64, n, x, sx, NULL, 0, &p);

	if (fe)
		*fe = f;
	return p.d;
}

float hpck_sum_f32(size_t n, const float *x, ptrdiff_t sx, int *fe)
{
	union partial p;
	int f = sum_dot(HPCK_F32, n, x, sx, NULL, 0, &p);

	if (fe)
		*fe = f;
	return p.f;
}

double hpck_dot_f64(size_t n, const double *x, ptrdiff_t sx, const double *y, ptrdiff_t sy,
		    int *fe)
{
	union partial p;
	int f = sum_dot(HPCK_F64, n, x, sx, y, sy, &p);

	if (fe)
		*fe = f;
	return p.d;
}

float hpck_dot_f32(size_t n, const float *x, ptrdiff_t sx, const float *y, ptrdiff_t sy,
		   int *fe)
{
	union partial p;
	int f = sum_dot(HPCK_F32, n, x, sx, y, sy, &p);

	if (fe)
		*fe = f;
	return p.f;
}

double hpck_mean_f64(size_t n, const double *x, ptrdiff_t sx, int *fe)
{
	int f = 0;
	double s = hpck_sum_f64(n, x, sx, &f);

	if (!n)
		f |= HPCK_FE_INVALID;
	if (fe)
		*fe = f;
	return n ? s / (double)n : NAN;
}

float hpck_mean_f32(size_t n, const float *x, ptrdiff_t sx, int *fe)
{
	int f = 0;
	float s = hpck_sum_f32(n, x, sx, &f);

	if (!n)
		f |= HPCK_FE_INVALID;
	if (fe)
		*fe = f;
	return n ? s / (float)n : NAN;
}

/* LAPACK's (dnrm2, Blue) combination of the three scaled sums of squares. */
static double blue_finish(struct hpck_ssq a)
{
	double ymid, ysml, ymin, ymax;

	if (a.big > 0) {
		if (a.mid > 0 || isnan(a.mid))
			a.big += a.mid * HPCK_BLUE_SBIG * HPCK_BLUE_SBIG;
		return sqrt(a.big) / HPCK_BLUE_SBIG;
	}
	if (a.small > 0) {
		if (!(a.mid > 0 || isnan(a.mid)))
			return sqrt(a.small) / HPCK_BLUE_SSMALL;
		ymid = sqrt(a.mid);
		ysml = sqrt(a.small) / HPCK_BLUE_SSMALL;
		ymin = ysml > ymid ? ymid : ysml;
		ymax = ysml > ymid ? ysml : ymid;
		return ymax * sqrt(1 + (ymin / ymax) * (ymin / ymax));
	}
	return sqrt(a.mid);
}

static union partial ssq(int dt, size_t n, const void *x, ptrdiff_t sx)
{
	struct red r = { .what = R_SSQ, .dt = dt, .x = x, .y = x, .sx = sx, .n = n,
			 .esz = dt == HPCK_F64 ? 8 : 4 };
	size_t nchunks = (n + CHUNK - 1) / CHUNK;
	union partial res = { .q = { 0, 0, 0 } };

	if (!n)
		return res;
	red_chunks(&r, nchunks, &res);
	if (nchunks > 1) {
		if (dt == HPCK_F64)
			res.q = tree_q(r.out, nchunks);
		else
			res.d = tree_d(r.out, nchunks);
		free(r.out);
	}
	return res;
}

double hpck_nrm2_f64(size_t n, const double *x, ptrdiff_t sx)
{
	return blue_finish(ssq(HPCK_F64, n, x, sx).q);
}

float hpck_nrm2_f32(size_t n, const float *x, ptrdiff_t sx)
{
	return (float)sqrt(ssq(HPCK_F32, n, x, sx).d);
}

/* min/max (arg = 0) or argmin/argmax (arg = 1): chunk results in index order. */
static union partial extreme(int dt, int mx, int arg, size_t n, const void *x, ptrdiff_t sx)
{
	struct red r = { .what = arg ? R_ARG : R_EXT, .dt = dt, .mx = mx, .x = x, .y = x,
			 .sx = sx, .n = n, .esz = dt == HPCK_F64 ? 8 : 4 };
	size_t nchunks = (n + CHUNK - 1) / CHUNK, best = 0;
	union partial res;

	red_chunks(&r, nchunks, &res);
	if (nchunks == 1)
		return res;
	for (size_t c = 1; c < nchunks; c++) {
		double b, v;
		if (arg) {
			b = dt == HPCK_F64 ? ((const double *)x)[(ptrdiff_t)r.out[best].i * sx]
					   : ((const float *)x)[(ptrdiff_t)r.out[best].i * sx];
			v = dt == HPCK_F64 ? ((const double *)x)[(ptrdiff_t)r.out[c].i * sx]
					   : ((const float *)x)[(ptrdiff_t)r.out[c].i * sx];
		} else {
			b = dt == HPCK_F64 ? r.out[best].d : r.out[best].f;
			v = dt == HPCK_F64 ? r.out[c].d : r.out[c].f;
		}
		if (isnan(b))
			break;
		if (isnan(v) || (mx ? v > b : v < b))
			best = c;
	}
	res = r.out[best];
	free(r.out);
	return res;
}

double hpck_min_f64(size_t n, const double *x, ptrdiff_t sx)
{
	return n ? extreme(HPCK_F64, 0, 0, n, x, sx).d : NAN;
}

double hpck_max_f64(size_t n, const double *x, ptrdiff_t sx)
{
	return n ? extreme(HPCK_F64, 1, 0, n, x, sx).d : NAN;
}

float hpck_min_f32(size_t n, const float *x, ptrdiff_t sx)
{
	return n ? extreme(HPCK_F32, 0, 0, n, x, sx).f : NAN;
}

float hpck_max_f32(size_t n, const float *x, ptrdiff_t sx)
{
	return n ? extreme(HPCK_F32, 1, 0, n, x, sx).f : NAN;
}

ptrdiff_t hpck_argmin_f64(size_t n, const double *x, ptrdiff_t sx)
{
	return n ? (ptrdiff_t)extreme(HPCK_F64, 0, 1, n, x, sx).i : -1;
}

ptrdiff_t hpck_argmax_f64(size_t n, const double *x, ptrdiff_t sx)
{
	return n ? (ptrdiff_t)extreme(HPCK_F64, 1, 1, n, x, sx).i : -1;
}

ptrdiff_t hpck_argmin_f32(size_t n, const float *x, ptrdiff_t sx)
{
	return n ? (ptrdiff_t)extreme(HPCK_F32, 0, 1, n, x, sx).i : -1;
}

ptrdiff_t hpck_argmax_f32(size_t n, const float *x, ptrdiff_t sx)
{
	return n ? (ptrdiff_t)extreme(HPCK_F32, 1, 1, n, x, sx).i : -1;
}
