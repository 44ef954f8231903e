/* SPDX-License-Identifier: MIT */
/* strmap_test.c - the internal path map */
#include <stdlib.h>
#include <string.h>

#include "strmap.h"
#include "testutil.h"

static void test_put_get_grow(void **state)
{
	struct hpc_strmap m = HPC_STRMAP_INIT;
	bool added;
	char key[32];

	assert_null(hpc_strmap_get(&m, "x"));
	for (int i = 0; i < 5000; i++) {
		snprintf(key, sizeof(key), "lib/file-%d", i);
		*hpc_strmap_put(&m, key, &added) = hpc_xasprintf("%d", i);
		assert_true(added);
	}
	assert_int_equal(m.n, 5000);
	for (int i = 0; i < 5000; i++) {
		snprintf(key, sizeof(key), "lib/file-%d", i);
		void **v = hpc_strmap_get(&m, key);

		assert_non_null(v);
		assert_int_equal(atoi(*v), i);
	}
	hpc_strmap_put(&m, "lib/file-7", &added);
	assert_false(added);
	assert_int_equal(m.n, 5000);
	assert_false(hpc_strmap_has(&m, "lib/file-5000"));
	hpc_strmap_fini(&m, free);
	assert_int_equal(m.n, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_put_get_grow),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
