/* SPDX-License-Identifier: MIT */
/* prefix_test.c - -n/-p resolution */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "testutil.h"

struct fx {
	char *dir;
	struct hpc_config *cfg;
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	char *rc;

	f->dir = tu_tmpdir();
	f->cfg = hpc_config_new();
	rc = hpc_xasprintf("root_prefix: %s/root\nenvs_dirs: [%s/ro, %s/envs]\n", f->dir, f->dir,
			   f->dir);
	assert_int_equal(hpc_config_load_string(f->cfg, "t", rc, strlen(rc), NULL, NULL), 0);
	free(rc);
	tu_write(f->dir, "envs/present/conda-meta/history", "");
	tu_write(f->dir, "envs/notenv/file", "");
	unsetenv("CONDA_PREFIX");
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;

	hpc_config_free(f->cfg);
	tu_tmpdir_free(f->dir);
	free(f);
	return 0;
}

static void test_named(void **state)
{
	struct fx *f = *state;
	char *out = NULL, *want = hpc_path_join(f->dir, "envs/present");
	struct hpc_error *e = NULL;

	assert_int_equal(hpc_prefix_resolve(f->cfg, "present", NULL, HPC_PREFIX_EXISTING, &out, NULL), 0);
	assert_string_equal(out, want);
	free(out);
	free(want);
	assert_int_equal(hpc_prefix_resolve(f->cfg, "absent", NULL, HPC_PREFIX_EXISTING, &out, &e),
			 -HPC_E_NOTFOUND);
	assert_err_contains(e, "'absent'");
	hpc_error_clear(&e);
	assert_int_equal(hpc_prefix_resolve(f->cfg, "notenv", NULL, HPC_PREFIX_EXISTING, &out, &e),
			 -HPC_E_NOTFOUND);
	assert_err_contains(e, "no conda-meta");
	hpc_error_clear(&e);
	assert_int_equal(hpc_prefix_resolve(f->cfg, "present", NULL, HPC_PREFIX_NEW, &out, &e),
			 -HPC_E_EXISTS);
	hpc_error_clear(&e);
	assert_int_equal(hpc_prefix_resolve(f->cfg, "a/b", NULL, HPC_PREFIX_NEW, &out, &e),
			 -HPC_E_USAGE);
	hpc_error_clear(&e);
}

static void test_new_goes_to_first_writable(void **state)
{
	struct fx *f = *state;
	char *out = NULL, *want = hpc_path_join(f->dir, "ro/fresh");

	/* "ro" does not exist yet but can be created, so it is the first writable one */
	assert_int_equal(hpc_prefix_resolve(f->cfg, "fresh", NULL, HPC_PREFIX_NEW, &out, NULL), 0);
	assert_string_equal(out, want);
	free(out);
	free(want);
}

static void test_base_path_and_active(void **state)
{
	struct fx *f = *state;
	char *out = NULL, *root = hpc_path_join(f->dir, "root");
	struct hpc_error *e = NULL;

	assert_int_equal(hpc_prefix_resolve(f->cfg, "base", NULL, HPC_PREFIX_ANY, &out, NULL), 0);
	assert_string_equal(out, root);
	free(out);
	assert_int_equal(hpc_prefix_resolve(f->cfg, "x", "/y", HPC_PREFIX_ANY, &out, &e),
			 -HPC_E_USAGE);
	hpc_error_clear(&e);
	assert_int_equal(hpc_prefix_resolve(f->cfg, NULL, NULL, HPC_PREFIX_EXISTING, &out, &e),
			 -HPC_E_USAGE);
	assert_err_contains(e, "-n NAME or -p PREFIX");
	hpc_error_clear(&e);
	assert_int_equal(hpc_prefix_resolve(f->cfg, NULL, NULL, HPC_PREFIX_ANY, &out, NULL), 0);
	assert_null(out);
	setenv("CONDA_PREFIX", "/active/env", 1);
	assert_int_equal(hpc_prefix_resolve(f->cfg, NULL, NULL, HPC_PREFIX_ANY, &out, NULL), 0);
	assert_string_equal(out, "/active/env");
	free(out);
	unsetenv("CONDA_PREFIX");
	assert_int_equal(hpc_prefix_resolve(f->cfg, NULL, "rel/p", HPC_PREFIX_ANY, &out, NULL), 0);
	assert_true(out[0] == '/');
	assert_true(hpc_str_endswith(out, "/rel/p"));
	free(out);
	free(root);
}

/* -p is made absolute and cleaned as os.path.abspath does ("./env" is not "/cwd/./env") */
static void test_path_normalized(void **state)
{
	static const char *cases[][2] = {
		{ "/a/./b//c/", "/a/b/c" }, { "/a/b/../c", "/a/c" }, { "/../..", "/" },
		{ "/", "/" }, { "/a/..", "/" }, { "/a/.../b", "/a/.../b" },
	};
	char *out = NULL, cwd[4096];

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(hpc_prefix_resolve(NULL, NULL, cases[i][0], HPC_PREFIX_ANY, &out,
						    NULL), 0);
		assert_string_equal(out, cases[i][1]);
		free(out);
	}
	assert_non_null(getcwd(cwd, sizeof(cwd)));
	assert_int_equal(hpc_prefix_resolve(NULL, NULL, "./x/../env", HPC_PREFIX_ANY, &out, NULL),
			 0);
	assert_true(hpc_str_endswith(out, "/env"));
	assert_int_equal(strncmp(out, cwd, strlen(cwd)), 0);
	assert_null(strstr(out, "/."));
	free(out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_named, setup, teardown),
		cmocka_unit_test_setup_teardown(test_new_goes_to_first_writable, setup, teardown),
		cmocka_unit_test_setup_teardown(test_base_path_and_active, setup, teardown),
		cmocka_unit_test(test_path_normalized),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
