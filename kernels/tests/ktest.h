/* SPDX-License-Identifier: MIT */
/* ktest.h - helpers for libhpckernels' unit tests (cmocka)
 *
 * Every test program runs once per dispatch path (ctest sets HPCKERN_DISABLE and
 * HPCK_TEST_PATH); ktest_main() checks the library really chose that path, or exits
 * 77 (skipped) when this CPU cannot run it.
 */
#ifndef HPCK_KTEST_H
#define HPCK_KTEST_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "hpckernels.h"

/* Run the cmocka group after checking the dispatch path. */
int ktest_main(const char *name, const struct CMUnitTest *tests, size_t count);
#define KTEST_MAIN(tests) \
	int main(void) { return ktest_main(__FILE__, tests, sizeof(tests) / sizeof(tests[0])); }

/* Deterministic pseudo-random numbers (xorshift64*), seeded per test. */
void kt_seed(uint64_t s);
uint64_t kt_u64(void);
double kt_unif(double lo, double hi);
/* A value from a mix that includes NaN, +-inf, +-0, subnormals, huge and tiny numbers,
 * and ordinary numbers of both signs (special is the share of specials, 0..1). */
double kt_mixed(double special);
float kt_mixedf(double special);

/* Distance in ULPs of y from the exact value r (y's type: 52 or 23 mantissa bits). */
double kt_ulp64(double y, long double r);
double kt_ulp32(float y, long double r);
/* Bitwise equality, any NaN equal to any NaN. */
int kt_same64(double a, double b);
int kt_same32(float a, float b);

/* Allocate n elements spaced by |stride| (at least one element), filled with junk that
 * tests can check was not overwritten; x points at element 0 (the end for stride < 0). */
struct kt_buf {
	void *mem;
	size_t len;
	char *x;
};
double *kt_buf_f64(struct kt_buf *b, size_t n, ptrdiff_t stride);
float *kt_buf_f32(struct kt_buf *b, size_t n, ptrdiff_t stride);
void kt_buf_free(struct kt_buf *b);
/* bytes (rounded up to a multiple of 64) starting on a 64-byte boundary; free() it */
void *kt_alloc64(size_t bytes);

/* Strides every strided test walks (contiguous, broadcast, every other, reversed...). */
extern const ptrdiff_t kt_strides[];
extern const size_t kt_nstrides;
/* Lengths around every vector width and threading threshold. */
extern const size_t kt_sizes[];
extern const size_t kt_nsizes;

#endif
