/* SPDX-License-Identifier: MIT */
/* ktest.c - helpers for libhpckernels' unit tests */
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ktest.h"

const ptrdiff_t kt_strides[] = { 1, 2, -1, 3, -2, 7, -9 };
const size_t kt_nstrides = sizeof(kt_strides) / sizeof(kt_strides[0]);
const size_t kt_sizes[] = { 1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 64, 65,
			    127, 128, 129, 255, 257, 1000, 1023, 4097, 70001, 300007 };
const size_t kt_nsizes = sizeof(kt_sizes) / sizeof(kt_sizes[0]);

static uint64_t state = 0x9e3779b97f4a7c15u;

void kt_seed(uint64_t s)
{
	state = s * 0x9e3779b97f4a7c15u + 1;
}

uint64_t kt_u64(void)
{
	state ^= state >> 12;
	state ^= state << 25;
	state ^= state >> 27;
	return state * 0x2545f4914f6cdd1du;
}

double kt_unif(double lo, double hi)
{
	return lo + (hi - lo) * (double)(kt_u64() >> 11) * 0x1p-53;
}

double kt_mixed(double special)
{
	static const double sp[] = { NAN, INFINITY, -INFINITY, 0.0, -0.0, 0x1p-1074, -0x1p-1060,
				     DBL_MIN, DBL_MAX, -DBL_MAX, 1e300, -1e-300, 1.0, -1.0 };
	uint64_t r = kt_u64();

	if ((double)(r >> 11) * 0x1p-53 < special)
		return sp[(r >> 3) % (sizeof(sp) / sizeof(sp[0]))];
	return kt_unif(-1, 1) * pow(10, (int)(kt_u64() % 13) - 6);
}

float kt_mixedf(double special)
{
	static const float sp[] = { NAN, INFINITY, -INFINITY, 0.0f, -0.0f, 0x1p-149f, -0x1p-140f,
				    FLT_MIN, FLT_MAX, -FLT_MAX, 1e30f, -1e-30f, 1.0f, -1.0f };
	uint64_t r = kt_u64();

	if ((double)(r >> 11) * 0x1p-53 < special)
		return sp[(r >> 3) % (sizeof(sp) / sizeof(sp[0]))];
	return (float)(kt_unif(-1, 1) * pow(10, (int)(kt_u64() % 9) - 4));
}

static double ulp_at(long double r, int mant, int emin)
{
	int e;

	if (r == 0 || isinf(r) || isnan(r))
		return ldexp(1.0, emin - mant);
	frexpl(r, &e);
	e -= 1; /* r in [2^e, 2^(e+1)) */
	if (e < emin)
		e = emin;
	return ldexp(1.0, e - mant);
}

double kt_ulp64(double y, long double r)
{
	if (isnan(y) || isnan(r))
		return isnan(y) && isnan(r) ? 0 : INFINITY;
	if (isinf(y) || isinf(r)) {
		if (y == r)
			return 0;
		/* overflow: r beyond DBL_MAX rounds to inf */
		if (isinf(y) && fabsl(r) > DBL_MAX && signbit(y) == signbit(r))
			return 0;
		return INFINITY;
	}
	return (double)(fabsl((long double)y - r) / ulp_at(r, 52, -1022));
}

double kt_ulp32(float y, long double r)
{
	if (isnan(y) || isnan(r))
		return isnan(y) && isnan(r) ? 0 : INFINITY;
	if (isinf(y) || isinf(r)) {
		if (y == r)
			return 0;
		if (isinf(y) && fabsl(r) > FLT_MAX && signbit(y) == signbit(r))
			return 0;
		return INFINITY;
	}
	return (double)(fabsl((long double)y - r) / ulp_at(r, 23, -126));
}

int kt_same64(double a, double b)
{
	return (isnan(a) && isnan(b)) || !memcmp(&a, &b, sizeof(a));
}

int kt_same32(float a, float b)
{
	return (isnan(a) && isnan(b)) || !memcmp(&a, &b, sizeof(a));
}

static void *buf_alloc(struct kt_buf *b, size_t n, ptrdiff_t stride, size_t esz)
{
	size_t span = (n ? n - 1 : 0) * (size_t)(stride < 0 ? -stride : stride) + 1;

	b->len = span * esz;
	/* +1 element so the pointer can be made deliberately unaligned to 64 bytes */
	b->mem = malloc(b->len + esz);
	assert_non_null(b->mem);
	memset(b->mem, 0x7f, b->len + esz);
	b->x = (char *)b->mem + esz; /* not 16-byte aligned for doubles half the time */
	if (stride < 0)
		b->x += (span - 1) * esz;
	return b->x;
}

double *kt_buf_f64(struct kt_buf *b, size_t n, ptrdiff_t stride)
{
	return buf_alloc(b, n, stride, sizeof(double));
}

float *kt_buf_f32(struct kt_buf *b, size_t n, ptrdiff_t stride)
{
	return buf_alloc(b, n, stride, sizeof(float));
}

void *kt_alloc64(size_t bytes)
{
	/* C17 aligned_alloc wants a size that is a multiple of the alignment */
	void *p = aligned_alloc(64, (bytes + 63) & ~(size_t)63);

	assert_non_null(p);
	return p;
}

void kt_buf_free(struct kt_buf *b)
{
	free(b->mem);
	b->mem = NULL;
}

int ktest_main(const char *name, const struct CMUnitTest *tests, size_t count)
{
	const char *want = getenv("HPCK_TEST_PATH");
	char list[64];
	int found = 0;

	if (want && *want) {
		snprintf(list, sizeof(list), "%s", hpck_supported_paths());
		for (char *t = strtok(list, ","); t; t = strtok(NULL, ","))
			found |= !strcmp(t, want);
		if (!found) {
			printf("skip: this CPU cannot run the %s path (it has %s)\n", want,
			       hpck_supported_paths());
			return 77;
		}
		if (strcmp(want, hpck_dispatch_path())) {
			printf("error: HPCKERN_DISABLE=%s chose %s, expected %s\n",
			       getenv("HPCKERN_DISABLE") ? getenv("HPCKERN_DISABLE") : "",
			       hpck_dispatch_path(), want);
			return 1;
		}
	}
	printf("%s: dispatch path %s, %d threads\n", name, hpck_dispatch_path(),
	       hpck_num_threads());
	return _cmocka_run_group_tests(name, tests, count, NULL, NULL);
}
