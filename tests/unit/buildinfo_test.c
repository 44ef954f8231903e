/* SPDX-License-Identifier: MIT */
/* buildinfo_test.c - versions reported are the ones linked in */
#include <string.h>
#include <solv/solvversion.h>

#include "testutil.h"

static void test_versions(void **state)
{
	struct hpc_buildinfo bi;

	hpc_buildinfo_get(&bi);
	assert_string_equal(bi.libsolv, LIBSOLV_VERSION_STRING);
	assert_non_null(strstr(bi.libarchive, "libarchive"));
	assert_true(strlen(bi.libcurl) > 0);
	assert_true(strlen(bi.version) > 0);
#if defined(__x86_64__)
	assert_non_null(strstr(bi.cpu_baseline, "x86-64"));
#endif
#if defined(__linux__) && defined(__x86_64__)
	assert_string_equal(bi.platform, "linux-64");
#endif
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_versions),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
