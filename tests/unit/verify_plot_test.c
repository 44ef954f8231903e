/* SPDX-License-Identifier: MIT */
/* verify_plot_test.c - the SVG: one labelled line per operation and thread count, the peaks */
#include <stdlib.h>
#include <string.h>

#include "verify_sample.h"

static void test_svg(void **state)
{
	struct hpc_verify *v = sample();
	char *s = hpc_verify_report_svg(v);
	size_t lines = 0;

	assert_non_null(strstr(s, "<svg xmlns=\"http://www.w3.org/2000/svg\""));
	assert_non_null(strstr(s, "OpenBLAS 0.3.27, Haswell: GEMM GFLOP/s"));
	assert_non_null(strstr(s, ">DGEMM 1 thr</text>"));
	assert_non_null(strstr(s, ">DGEMM 2 thr</text>"));
	assert_non_null(strstr(s, ">SGEMM 2 thr</text>"));
	assert_non_null(strstr(s, ">DP peak, 1 core: 48</text>"));
	assert_non_null(strstr(s, ">DP peak, 2 cores: 96</text>"));
	assert_non_null(strstr(s, ">256</text>"));
	assert_non_null(strstr(s, ">1024</text>"));
	for (const char *p = strstr(s, "<polyline"); p; p = strstr(p + 1, "<polyline"))
		lines++;
	assert_int_equal(lines, 3); /* dgemm for 1 and 2 threads, sgemm for 2 */
	assert_non_null(strstr(s, "</svg>\n"));
	free(s);
	/* the cost of the core type is a marked point */
	v->cost = (struct hpc_verify_cost){ .core_in_use = hpc_xstrdup("Haswell"),
					    .core_best = hpc_xstrdup("SkylakeX"), .n = 1024,
					    .threads = 2, .gflops_in_use = 50, .gflops_best = 150,
					    .measured = true };
	s = hpc_verify_report_svg(v);
	assert_non_null(strstr(s, ">DGEMM with SkylakeX kernels</text>"));
	free(s);
	hpc_verify_free(v);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_svg),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
