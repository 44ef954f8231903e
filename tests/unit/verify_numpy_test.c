/* SPDX-License-Identifier: MIT */
/* verify_numpy_test.c - the np_ops set in Debian's python: all six run and are right */
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "verify_int.h"

static void test_ops(void **state)
{
	struct hpc_verify_opts o = { .python = "/usr/bin/python3", .blas = true,
				     .mode = HPC_VERIFY_QUICK };
	struct hpc_verify *v = hpc_verify_new(&o);
	static const char *const names[] = { "dot", "vdot", "svd", "cholesky", "eigendec", "inv" };

	assert_int_equal(hpc_verify_numpy_run(v, NULL, NULL), 0);
	assert_int_equal(v->nnpops, 6);
	for (size_t i = 0; i < 6; i++) {
		assert_string_equal(v->npops[i].name, names[i]);
		assert_true(v->npops[i].ok);
		assert_true(v->npops[i].reps >= 1);
		assert_true(v->npops[i].median > 0);
	}
	assert_string_equal(v->npops[0].shape, "1024x1024");
	assert_int_equal(hpc_verify_check_get(v, "numpy.ops")->status, HPC_VERIFY_PASS);
	hpc_verify_free(v);
}

static void test_ops_fail_as_finding(void **state)
{
	char *dir = tu_tmpdir();
	char *cmd = hpc_xasprintf("/usr/bin/python3 -m venv --without-pip %s/venv", dir);
	char *py = hpc_xasprintf("%s/venv/bin/python", dir);
	struct hpc_verify_opts o = { .python = py, .blas = true, .mode = HPC_VERIFY_QUICK };
	struct hpc_verify *v;

	assert_int_equal(system(cmd), 0);
	v = hpc_verify_new(&o);
	assert_int_equal(hpc_verify_numpy_run(v, NULL, NULL), 0);
	assert_non_null(strstr(hpc_verify_finding_get(v, "numpy-ops-failed")->message,
			       "No module named 'numpy'"));
	hpc_verify_free(v);
	free(py);
	free(cmd);
	tu_tmpdir_free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ops),
		cmocka_unit_test(test_ops_fail_as_finding),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
