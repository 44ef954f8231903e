/* SPDX-License-Identifier: MIT */
/* spawn_test.c - running helpers with an environment, a directory and stdin */
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

static void test_run(void **state)
{
	char *d = tu_tmpdir(), *in = hpc_path_join(d, "in"), *out = NULL;
	const char *argv[] = { "/bin/sh", "-c", "echo \"$HPC_T $(pwd)\"; cat; echo err >&2; exit 3",
			       NULL };
	struct hpc_strv env = HPC_STRV_INIT;
	struct hpc_spawn sp = { .argv = argv, .set_env = &env, .cwd = d, .stdin_file = in };
	struct hpc_error *e = NULL;
	char *want;
	int st = -1;

	tu_write(d, "in", "from stdin\n");
	hpc_strv_push(&env, "HPC_T");
	hpc_strv_push(&env, "value");
	assert_int_equal(hpc_spawn_run(&sp, &st, &out, NULL), 0);
	assert_int_equal(st, 3);
	want = hpc_xasprintf("value %s\nfrom stdin\nerr\n", d);
	assert_string_equal(out, want);
	free(want);
	free(out);
	argv[0] = "/no/such/program";
	assert_int_equal(hpc_spawn_run(&sp, &st, NULL, &e), -HPC_E_NOTFOUND);
	assert_err_contains(e, "/no/such/program");
	hpc_error_free(e);
	hpc_strv_fini(&env);
	free(in);
	tu_tmpdir_free(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_run),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
