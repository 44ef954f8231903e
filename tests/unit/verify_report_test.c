/* SPDX-License-Identifier: MIT */
/* verify_report_test.c - the text report and the JUnit XML */
#include <stdlib.h>
#include <string.h>

#include "verify_sample.h"

static size_t count(const char *hay, const char *needle)
{
	size_t n = 0;

	for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle))
		n++;
	return n;
}

static void test_text(void **state)
{
	struct hpc_verify *v = sample();
	char *t = hpc_verify_report_text(v, false), *c;

	assert_non_null(strstr(t, "hpcenv verify: /opt/env/bin/python in /opt/env (quick)"));
	assert_non_null(strstr(t, "\nBLAS\n"));
	assert_non_null(strstr(t, "WARN  blas.coretype"));
	assert_non_null(strstr(t, "FAIL  bench.residual"));
	assert_non_null(strstr(t, "SKIP  mpi.mpi4py"));
	assert_non_null(strstr(t, "WRONG"));
	assert_non_null(strstr(t, "skipped: predicted 40 s"));
	assert_non_null(strstr(t, "blas-wrong-results: dgemm n=1024 is wrong & loud\n"
				  "        fix: do not use this library\n"));
	assert_non_null(strstr(t, "Result: FAIL, 4 checks: 1 failed, 1 with warnings"));
	assert_null(strchr(t, '\033'));
	c = hpc_verify_report_text(v, true);
	assert_non_null(strstr(c, "\033[1;31mFAIL\033[0m"));
	assert_non_null(strstr(c, "\033[33mWARN\033[0m"));
	free(c);
	free(t);
	hpc_verify_free(v);
}

static void test_junit(void **state)
{
	struct hpc_verify *v = sample();
	char *x = hpc_verify_report_junit(v);

	assert_non_null(strstr(x, "<testsuites name=\"hpcenv verify\" tests=\"4\" failures=\"1\" "
				  "skipped=\"1\""));
	assert_non_null(strstr(x, "<testsuite name=\"blas\" tests=\"2\" failures=\"0\""));
	assert_non_null(strstr(x, "<failure type=\"blas-wrong-results\" message=\"dgemm n=1024 is "
				  "wrong &amp; loud\">fix: do not use this library</failure>"));
	assert_non_null(strstr(x, "warning blas-coretype-below-cpu: Haswell kernels on "
				  "&quot;SkylakeX&quot; &lt;CPU&gt;"));
	assert_non_null(strstr(x, "OpenBLAS 0.3.27 &lt;x&amp;y&gt;"));
	assert_non_null(strstr(x, "<skipped message=\"mpi4py is not installed\"/>"));
	assert_int_equal(count(x, "<testcase "), 4);
	assert_int_equal(count(x, "<testcase "), count(x, "</testcase>"));
	assert_null(strstr(x, "testsuite name=\"numpy\"")); /* no checks, no suite */
	free(x);
	hpc_verify_free(v);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_text),
		cmocka_unit_test(test_junit),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
