/* SPDX-License-Identifier: MIT */
/* envexport_test.c - environment.yml and @EXPLICIT exports of an environment conda made
 * (tests/fixtures/conda-env) and of small ones written here */
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

#define FIXTURE HPCENV_SOURCE_DIR "/tests/fixtures/conda-env/prefix"

static void test_records(void **state)
{
	struct hpc_strv conf = HPC_STRV_INIT;
	struct hpc_envexport_options o = { .name = "fixture", .channels = &conf };
	struct hpc_envexport x;
	struct hpc_error *e = NULL;
	char *yml;

	hpc_strv_push(&conf, "conda-forge");
	hpc_strv_push(&conf, "defaults");
	assert_int_equal(hpc_envexport_read(&x, FIXTURE, &o, &e), 0);
	assert_int_equal(x.dependencies.n, 3);
	assert_string_equal(x.dependencies.v[0], "six=1.16.0=pyhd3eb1b0_1");
	assert_string_equal(x.dependencies.v[1], "tool=0.1=pyh0_0");
	assert_string_equal(x.dependencies.v[2], "zlib=1.2.13=h5eee18b_0");
	/* conda's order: the packages' channels not configured go in front */
	assert_int_equal(x.channels.n, 3);
	assert_string_equal(x.channels.v[0], "pkgs/main");
	assert_string_equal(x.channels.v[1], "conda-forge");
	assert_string_equal(x.channels.v[2], "defaults");
	yml = hpc_envexport_yaml(&x);
	assert_string_equal(yml, "name: fixture\n"
				 "channels:\n- pkgs/main\n- conda-forge\n- defaults\n"
				 "dependencies:\n- six=1.16.0=pyhd3eb1b0_1\n- tool=0.1=pyh0_0\n"
				 "- zlib=1.2.13=h5eee18b_0\n"
				 "prefix: " FIXTURE "\n");
	free(yml);
	hpc_envexport_fini(&x);

	o.no_builds = true;
	o.channels = NULL;
	assert_int_equal(hpc_envexport_read(&x, FIXTURE, &o, &e), 0);
	assert_string_equal(x.dependencies.v[0], "six=1.16.0");
	assert_int_equal(x.channels.n, 2);
	hpc_envexport_fini(&x);
	hpc_strv_fini(&conf);
}

/* --from-history: what was asked for, the last spec per name, removed names gone */
static void test_history(void **state)
{
	struct hpc_envexport_options o = { .from_history = true };
	struct hpc_envexport x;
	struct hpc_error *e = NULL;
	char *tmp = tu_tmpdir();

	assert_int_equal(hpc_envexport_read(&x, FIXTURE, &o, &e), 0);
	assert_int_equal(x.dependencies.n, 3);
	assert_string_equal(x.dependencies.v[0], "six");
	assert_string_equal(x.dependencies.v[1], "tool[version='>=0.1']");
	assert_string_equal(x.dependencies.v[2], "zlib");
	assert_null(x.name);
	assert_int_equal(x.channels.n, 0);
	hpc_envexport_fini(&x);

	tu_write(tmp, "conda-meta/history",
		 "==> 2024-01-01 00:00:00 <==\n# cmd: conda create -n x numpy python=3.11 scipy\n"
		 "# update specs: ['numpy', 'python=3.11', 'scipy']\n"
		 "==> 2024-01-02 00:00:00 <==\n# cmd: conda install numpy>=2\n"
		 "# update specs: ['conda-forge::numpy>=2']\n"
		 "==> 2024-01-03 00:00:00 <==\n# cmd: conda remove scipy\n"
		 "# remove specs: ['scipy']\n");
	assert_int_equal(hpc_envexport_read(&x, tmp, &o, &e), 0);
	assert_int_equal(x.dependencies.n, 2);
	assert_string_equal(x.dependencies.v[0], "conda-forge::numpy>=2");
	assert_string_equal(x.dependencies.v[1], "python=3.11");
	hpc_envexport_fini(&x);
	tu_tmpdir_free(tmp);
}

/* names, channels or specs a YAML reader would take for numbers or booleans are quoted */
static void test_yaml_quoting(void **state)
{
	struct hpc_envexport x = { .name = "1.0", .prefix = "/p/yes" };
	char *yml;

	hpc_strv_push(&x.channels, "on");
	hpc_strv_push(&x.dependencies, "python=3.11=0_x");
	yml = hpc_envexport_yaml(&x);
	assert_string_equal(yml, "name: \"1.0\"\nchannels:\n- \"on\"\ndependencies:\n"
				 "- python=3.11=0_x\nprefix: /p/yes\n");
	free(yml);
	x.name = x.prefix = NULL;
	hpc_strv_fini(&x.channels);
	hpc_strv_fini(&x.dependencies);
}

static void test_explicit(void **state)
{
	struct hpc_condameta m;
	struct hpc_error *e = NULL;
	char *text;

	assert_int_equal(hpc_condameta_load(FIXTURE, &m, &e), 0);
	text = hpc_envexport_explicit(&m, "osx-64", HPC_EXPLICIT_BEST);
	/* the records' own platform; dependencies before dependents (python is not here) */
	assert_non_null(strstr(text, "# platform: linux-64\n"));
	assert_non_null(strstr(text, "@EXPLICIT\nhttps://conda.anaconda.org/conda-forge/noarch/"
				     "six-1.16.0-pyhd3eb1b0_1.conda#sha256:226247e2626a5e4f8db38afd6c2b"
				     "24acc5c1b12d9f6da21fb807fa8bc82e04ef\n"));
	free(text);
	text = hpc_envexport_explicit(&m, "osx-64", HPC_EXPLICIT_MD5);
	assert_non_null(strstr(text, "zlib-1.2.13-h5eee18b_0.conda#be510256fc2134304088c96887eeaad5"));
	free(text);
	text = hpc_envexport_explicit(&m, "osx-64", HPC_EXPLICIT_NO_HASH);
	assert_null(strchr(strstr(text, "@EXPLICIT"), '#'));
	free(text);
	hpc_condameta_fini(&m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_records),
		cmocka_unit_test(test_history),
		cmocka_unit_test(test_yaml_quoting),
		cmocka_unit_test(test_explicit),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
