/* SPDX-License-Identifier: MIT */
/* binary_test.c - add, subtract, multiply, divide, fma, axpy against scalar C, per path */
#include <fenv.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ktest.h"

/* stride combinations (a, b, y): equal strides of every kind, broadcasts, mixes */
static const ptrdiff_t combos[][3] = {
	{ 1, 1, 1 }, { 2, 2, 2 }, { -1, -1, -1 }, { 3, 3, 3 }, { -2, -2, -2 }, { 7, 7, 7 },
	{ 0, 1, 1 }, { 1, 0, 1 }, { 0, 2, 2 }, { -1, 0, 3 }, { 1, 2, -1 }, { 2, 1, 3 },
	{ -9, 1, 1 }, { 1, 1, 2 }, { 0, 0, 1 },
};
#define NCOMBOS (sizeof(combos) / sizeof(combos[0]))

enum { ADD, SUB, MUL, DIV, FMA, AXPY };

/* TEST_TYPE(T, sfx, ...) defines check_<sfx>() for one element type. */
#define TEST_TYPE(T, sfx, MIXED, SAME, FMAF)                                                 \
	static T ref_##sfx(int op, T a, T b, T c)                                             \
	{                                                                                    \
		switch (op) {                                                                \
		case ADD: return a + b;                                                      \
		case SUB: return a - b;                                                      \
		case MUL: return a * b;                                                      \
		case DIV: return a / b;                                                      \
		default: return FMAF(a, b, c);                                               \
		}                                                                            \
	}                                                                                    \
	static int call_##sfx(int op, size_t n, const T *a, ptrdiff_t sa, const T *b,        \
			      ptrdiff_t sb, const T *c, ptrdiff_t sc, T *y, ptrdiff_t sy)      \
	{                                                                                    \
		switch (op) {                                                                \
		case ADD: return hpck_add_##sfx(n, a, sa, b, sb, y, sy);                     \
		case SUB: return hpck_subtract_##sfx(n, a, sa, b, sb, y, sy);                \
		case MUL: return hpck_multiply_##sfx(n, a, sa, b, sb, y, sy);                \
		case DIV: return hpck_divide_##sfx(n, a, sa, b, sb, y, sy);                  \
		default: return hpck_fma_##sfx(n, a, sa, b, sb, c, sc, y, sy);               \
		}                                                                            \
	}                                                                                    \
	/* one op, one length, one stride combination; `special` share of odd values */     \
	static void check_##sfx(int op, size_t n, const ptrdiff_t *s, double special)        \
	{                                                                                    \
		struct kt_buf ba, bb, bc, by;                                                \
		T *a = kt_buf_##sfx(&ba, n, s[0]), *b = kt_buf_##sfx(&bb, n, s[1]);           \
		T *c = kt_buf_##sfx(&bc, n, s[0]), *y = kt_buf_##sfx(&by, n, s[2]);           \
		size_t i;                                                                    \
		for (i = 0; i < n; i++) {                                                    \
			a[(ptrdiff_t)i * s[0]] = MIXED(special);                             \
			b[(ptrdiff_t)i * s[1]] = MIXED(special);                             \
			c[(ptrdiff_t)i * s[0]] = MIXED(special);                             \
		}                                                                            \
		call_##sfx(op, n, a, s[0], b, s[1], c, s[0], y, s[2]);                        \
		for (i = 0; i < n; i++) {                                                    \
			T want = ref_##sfx(op, a[(ptrdiff_t)i * s[0]],                        \
					   b[(ptrdiff_t)i * s[1]], c[(ptrdiff_t)i * s[0]]);   \
			T got = y[(ptrdiff_t)i * s[2]];                                      \
			if (s[2] == 0)                                                       \
				break;                                                       \
			if (!SAME(got, want))                                                \
				fail_msg("op %d n %zu strides %td %td %td: [%zu] %a, want %a", \
					 op, n, s[0], s[1], s[2], i, (double)got,              \
					 (double)want);                                      \
		}                                                                            \
		/* nothing between the strided output elements was written */               \
		for (i = 0; s[2] != 0 && i < by.len / sizeof(T); i++) {                      \
			T *e = (T *)by.mem + 1 + i;                                          \
			ptrdiff_t off = e - y;                                               \
			if (off % s[2] == 0 && off / s[2] >= 0 && (size_t)(off / s[2]) < n)   \
				continue;                                                    \
			unsigned char junk[sizeof(T)];                                       \
			memset(junk, 0x7f, sizeof(T));                                       \
			if (memcmp(e, junk, sizeof(T)))                                      \
				fail_msg("op %d n %zu: element %td of the output overwritten", \
					 op, n, off);                                        \
		}                                                                            \
		kt_buf_free(&ba);                                                            \
		kt_buf_free(&bb);                                                            \
		kt_buf_free(&bc);                                                            \
		kt_buf_free(&by);                                                            \
	}

TEST_TYPE(double, f64, kt_mixed, kt_same64, fma)
TEST_TYPE(float, f32, kt_mixedf, kt_same32, fmaf)

static void test_all(void **state)
{
	(void)state;
	kt_seed(1);
	for (int op = ADD; op <= FMA; op++)
		for (size_t c = 0; c < NCOMBOS; c++)
			for (size_t k = 0; k < kt_nsizes; k++) {
				/* the big sizes once per combination family is enough */
				if (kt_sizes[k] > 5000 && c % 4)
					continue;
				check_f64(op, kt_sizes[k], combos[c], 0.1);
				check_f32(op, kt_sizes[k], combos[c], 0.1);
			}
}

/* y = a OP y and y = y OP b: the output may be exactly an input. */
static void test_in_place(void **state)
{
	double a[301], y[301], want[301];
	float af[301], yf[301], wantf[301];

	(void)state;
	kt_seed(2);
	for (int i = 0; i < 301; i++) {
		a[i] = kt_mixed(0.05);
		y[i] = kt_mixed(0.05);
		want[i] = a[i] * y[i];
		af[i] = kt_mixedf(0.05);
		yf[i] = kt_mixedf(0.05);
		wantf[i] = yf[i] - af[i];
	}
	hpck_multiply_f64(301, a, 1, y, 1, y, 1);
	hpck_subtract_f32(301, yf, 1, af, 1, yf, 1);
	for (int i = 0; i < 301; i++) {
		assert_true(kt_same64(y[i], want[i]));
		assert_true(kt_same32(yf[i], wantf[i]));
	}
}

static void test_axpy(void **state)
{
	double x[1001], y[1001], want[1001];
	float xf[1001], yf[1001], wantf[1001];

	(void)state;
	kt_seed(3);
	for (int i = 0; i < 1001; i++) {
		x[i] = kt_mixed(0.02);
		y[i] = kt_mixed(0.02);
		want[i] = fma(0.37, x[i], y[i]);
		xf[i] = kt_mixedf(0.02);
		yf[i] = kt_mixedf(0.02);
		wantf[i] = fmaf(-2.5f, xf[i], yf[i]);
	}
	hpck_axpy_f64(1001, 0.37, x, 1, y, 1);
	hpck_axpy_f32(1001, -2.5f, xf, 1, yf, 1);
	for (int i = 0; i < 1001; i++) {
		assert_true(kt_same64(y[i], want[i]));
		assert_true(kt_same32(yf[i], wantf[i]));
	}
	/* strided, backwards */
	for (int i = 0; i < 1001; i++)
		want[i] = fma(3.0, x[1000 - i], y[i]);
	hpck_axpy_f64(501, 3.0, x + 1000, -2, y, 2);
	for (int i = 0; i < 1001; i += 2)
		assert_true(kt_same64(y[i], want[i]));
}

/* The exceptions numpy reports, and none from the padding of partial vectors. */
static void test_exceptions(void **state)
{
	double one[5] = { 1, 1, 1, 1, 1 }, zero[5] = { 0 }, big[5] = { 1e308, 1e308, 1, 1, 1 };
	double inf[5] = { INFINITY, 1, 1, 1, 1 }, ninf[5] = { -INFINITY, 1, 1, 1, 1 };
	double tiny[5] = { 1e-300, 1, 1, 1, 1 }, y[5];
	float onef[3] = { 1, 2, 3 }, zf[3] = { 1, 0, 1 }, yf[3];

	(void)state;
	for (size_t n = 1; n <= 5; n++) {
		assert_int_equal(hpck_divide_f64(n, one, 1, one, 1, y, 1), 0);
		assert_int_equal(hpck_add_f64(n, one, 1, one, 1, y, 1), 0);
		assert_int_equal(hpck_fma_f64(n, one, 1, one, 1, one, 1, y, 1), 0);
	}
	assert_int_equal(hpck_divide_f64(5, one, 1, zero, 1, y, 1), HPCK_FE_DIVBYZERO);
	assert_int_equal(hpck_divide_f64(5, zero, 1, zero, 1, y, 1), HPCK_FE_INVALID);
	assert_int_equal(hpck_add_f64(5, big, 1, big, 1, y, 1), HPCK_FE_OVERFLOW);
	assert_int_equal(hpck_add_f64(5, inf, 1, ninf, 1, y, 1), HPCK_FE_INVALID);
	assert_int_equal(hpck_multiply_f64(5, tiny, 1, tiny, 1, y, 1), HPCK_FE_UNDERFLOW);
	assert_int_equal(hpck_divide_f32(3, onef, 1, zf, 1, yf, 1), HPCK_FE_DIVBYZERO);
	assert_int_equal(hpck_divide_f32(2, onef, 1, zf, 1, yf, 1), HPCK_FE_DIVBYZERO);
	assert_int_equal(hpck_divide_f32(1, onef, 1, zf, 1, yf, 1), 0);
	assert_int_equal(hpck_add_f64(0, NULL, 1, NULL, 1, NULL, 1), 0);
}

/* A float32 stride too large for 32-bit gather offsets goes one lane at a time. */
static void test_huge_stride(void **state)
{
	float a = 2, b = 3, y = 0;

	(void)state;
	assert_int_equal(hpck_add_f32(1, &a, (ptrdiff_t)1 << 40, &b, -((ptrdiff_t)1 << 40), &y,
				      (ptrdiff_t)1 << 35), 0);
	assert_true(y == 5);
}

/* Every alignment of the output to a 64-byte line (the kernels peel a masked head to
 * align contiguous outputs), and inputs shifted against it: same results as scalar C. */
static void test_alignments(void **state)
{
	enum { N = 300, PAD = 32 };
	double *a = kt_alloc64((N + PAD) * sizeof(double));
	double *b = kt_alloc64((N + PAD) * sizeof(double));
	double *y = kt_alloc64((N + 2 * PAD) * sizeof(double));
	float *af = kt_alloc64((N + PAD) * sizeof(float));
	float *yf = kt_alloc64((N + 2 * PAD) * sizeof(float));

	(void)state;
	assert_true(a && b && y && af && yf);
	kt_seed(5);
	for (size_t i = 0; i < N + PAD; i++) {
		a[i] = kt_mixed(0.05);
		b[i] = kt_mixed(0.05);
		af[i] = kt_mixedf(0.05);
	}
	for (size_t oy = 0; oy < 17; oy++)
		for (size_t oa = 0; oa < 3; oa++)
			for (size_t n = 29; n <= N; n += 271) {
				memset(y, 0x7f, (N + 2 * PAD) * sizeof(double));
				memset(yf, 0x7f, (N + 2 * PAD) * sizeof(float));
				hpck_add_f64(n, a + oa, 1, b, 1, y + oy, 1);
				hpck_negative_f32(n, af + oa, 1, yf + oy, 1);
				for (size_t i = 0; i < N + 2 * PAD; i++) {
					int in = i >= oy && i < oy + n;
					double w = in ? a[oa + i - oy] + b[i - oy] : 0;
					float wf = in ? -af[oa + i - oy] : 0;
					unsigned char junk[8];
					memset(junk, 0x7f, sizeof(junk));
					if (in ? !kt_same64(y[i], w) : memcmp(&y[i], junk, 8) != 0)
						fail_msg("add oy %zu oa %zu n %zu: [%zu]", oy, oa, n, i);
					if (in ? !kt_same32(yf[i], wf) : memcmp(&yf[i], junk, 4) != 0)
						fail_msg("negative f32 oy %zu oa %zu n %zu: [%zu]", oy, oa,
							 n, i);
				}
			}
	free(a);
	free(b);
	free(y);
	free(af);
	free(yf);
}

static const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_all),
	cmocka_unit_test(test_in_place),
	cmocka_unit_test(test_axpy),
	cmocka_unit_test(test_exceptions),
	cmocka_unit_test(test_huge_stride),
	cmocka_unit_test(test_alignments),
};
KTEST_MAIN(tests)
