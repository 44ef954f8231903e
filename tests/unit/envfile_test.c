/* SPDX-License-Identifier: MIT */
/* envfile_test.c - spec lists and environment.yml, real files from shared/data/envs */
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

static void test_pangeo(void **state)
{
	char *path = tu_shared("envs/pangeo-notebook.environment.yml");
	struct hpc_envfile ef;
	struct hpc_error *e = NULL;
	struct hpc_request rq;

	if (hpc_envfile_read(path, &ef, &e))
		fail_msg("%s", e->msg);
	assert_string_equal(ef.name, "pangeo");
	assert_int_equal(ef.channels.n, 2);
	assert_string_equal(ef.channels.v[0], "conda-forge");
	assert_string_equal(ef.channels.v[1], "nodefaults");
	/* 137 list items, two of them channels; commented-out ones are not there */
	assert_int_equal(ef.specs.n, 135);
	assert_string_equal(ef.specs.v[0], "adlfs");
	assert_string_equal(ef.specs.v[1], "argopy<1.4.0");
	assert_string_equal(ef.specs.v[ef.specs.n - 1], "zarr>=3.0.8");
	assert_false(hpc_strv_contains(&ef.specs, "parcels"));
	assert_true(hpc_str_endswith(ef.origins.v[0], "pangeo-notebook.environment.yml:6"));
	assert_null(ef.pip_origin);
	assert_int_equal(ef.unknown.n, 0);
	hpc_request_init(&rq);
	assert_int_equal(hpc_envfile_to_request(&ef, &rq, &e), 0);
	assert_int_equal(rq.njobs, 135);
	assert_int_equal(rq.jobs[1].kind, HPC_JOB_INSTALL);
	assert_string_equal(rq.jobs[1].ms->name, "argopy");
	assert_string_equal(rq.jobs[1].origin, ef.origins.v[1]);
	hpc_request_fini(&rq);
	hpc_envfile_fini(&ef);
	free(path);
	path = tu_shared("envs/pangeo-base-notebook.environment.yml");
	if (hpc_envfile_read(path, &ef, &e))
		fail_msg("%s", e->msg);
	assert_string_equal(ef.name, "notebook");
	assert_int_equal(ef.specs.n, 3);
	assert_string_equal(ef.specs.v[0], "python=3.12");
	assert_string_equal(ef.specs.v[1], "pangeo-notebook=2026.01.21");
	assert_string_equal(ef.specs.v[2], "pip");
	hpc_envfile_fini(&ef);
	free(path);
}

static const char env_pip[] = "name: ml\n"
			      "prefix: /opt/envs/ml\n"
			      "channels:\n"
			      "  - pytorch\n"
			      "dependencies:\n"
			      "  - python=3.11\n"
			      "  - 'numpy >=1.26'\n"
			      "  - pip\n"
			      "  - pip:\n"
			      "    - torchmetrics==1.2\n"
			      "    - -e .\n"
			      "variables:\n"
			      "  OMP_NUM_THREADS: 4\n"
			      "build: 1\n";

static void test_pip_and_more(void **state)
{
	struct hpc_envfile ef;
	struct hpc_error *e = NULL;
	struct hpc_request rq;

	if (hpc_envfile_parse_yaml("env.yml", env_pip, strlen(env_pip), &ef, &e))
		fail_msg("%s", e->msg);
	assert_string_equal(ef.prefix, "/opt/envs/ml");
	assert_int_equal(ef.specs.n, 3);
	assert_string_equal(ef.specs.v[1], "numpy >=1.26");
	assert_string_equal(ef.origins.v[1], "env.yml:7");
	assert_int_equal(ef.pip.n, 2);
	assert_string_equal(ef.pip.v[1], "-e .");
	assert_string_equal(ef.pip_origin, "env.yml:9:5");
	assert_int_equal(ef.variables.n, 2);
	assert_string_equal(ef.variables.v[0], "OMP_NUM_THREADS");
	assert_string_equal(ef.variables.v[1], "4");
	assert_int_equal(ef.unknown.n, 1);
	assert_string_equal(ef.unknown.v[0], "env.yml:14:1: build");
	hpc_request_init(&rq);
	assert_int_equal(hpc_envfile_to_request(&ef, &rq, &e), -HPC_E_UNSUPPORTED);
	assert_string_equal(e->msg, "env.yml:9:5: pip dependencies are not supported (hpcenv "
				    "installs conda packages only): torchmetrics==1.2, -e .");
	assert_int_equal(rq.njobs, 0);
	hpc_error_clear(&e);
	hpc_request_fini(&rq);
	hpc_envfile_fini(&ef);
}

static void test_plain(void **state)
{
	const char *text = "# my specs\n\nnumpy >=1.26  # pinned for abi\n  scipy\n"
			   "conda-forge::xarray[version='>=2024']\n";
	struct hpc_envfile ef;
	struct hpc_error *e = NULL;
	char *path = tu_shared("envs/lsst-scipipe.linux-64.lock");

	if (hpc_envfile_parse_plain("specs.txt", text, strlen(text), &ef, &e))
		fail_msg("%s", e->msg);
	assert_int_equal(ef.specs.n, 3);
	assert_string_equal(ef.specs.v[0], "numpy >=1.26");
	assert_string_equal(ef.specs.v[1], "scipy");
	assert_string_equal(ef.origins.v[2], "specs.txt:5");
	assert_null(ef.name);
	hpc_envfile_fini(&ef);
	/* a real @EXPLICIT file is not a spec list */
	assert_int_equal(hpc_envfile_read(path, &ef, &e), -HPC_E_USAGE);
	assert_true(hpc_str_endswith(e->msg, "lsst-scipipe.linux-64.lock:6: an @EXPLICIT file "
					     "lists package URLs, not specs (install it as an "
					     "explicit environment)"));
	hpc_error_clear(&e);
	free(path);
}

static void expect_fail(const char *yaml, bool plain, int code, const char *msg)
{
	struct hpc_envfile ef;
	struct hpc_error *e = NULL;
	int r = plain ? hpc_envfile_parse_plain("f", yaml, strlen(yaml), &ef, &e) :
			hpc_envfile_parse_yaml("f", yaml, strlen(yaml), &ef, &e);

	assert_int_equal(r, -code);
	if (strcmp(e->msg, msg))
		fail_msg("got '%s', want '%s'", e->msg, msg);
	assert_null(ef.path); /* nothing half-read */
	hpc_error_free(e);
}

static void test_errors(void **state)
{
	struct hpc_envfile ef;
	struct hpc_error *e = NULL;

	expect_fail("name: [x\n", false, HPC_E_PARSE,
		    "f:2:1: did not find expected ',' or ']' while parsing a flow sequence");
	expect_fail("- a\n", false, HPC_E_PARSE,
		    "f:1:1: an environment file must be a mapping (name, channels, dependencies)");
	expect_fail("dependencies: numpy\n", false, HPC_E_PARSE,
		    "f:1:15: 'dependencies' must be a list");
	expect_fail("dependencies:\n  - numpy >=1,<<2\n", false, HPC_E_SPEC,
		    "f:2:16: invalid spec 'numpy >=1,<<2': unexpected '<' at column 12");
	expect_fail("dependencies:\n  - conda: [x]\n", false, HPC_E_PARSE,
		    "f:2:5: a dependency may only map 'pip' to a list");
	expect_fail("dependencies:\n  - [x]\n", false, HPC_E_PARSE,
		    "f:2:5: a dependency must be a spec or a pip: list");
	expect_fail("channels: {a: b}\n", false, HPC_E_PARSE, "f:1:11: 'channels' must be a list");
	expect_fail("name: [a]\n", false, HPC_E_PARSE, "f:1:7: 'name' must be a string");
	expect_fail("variables: [a]\n", false, HPC_E_PARSE,
		    "f:1:12: 'variables' must be a mapping");
	expect_fail("", false, HPC_E_PARSE, "f: empty file");
	expect_fail("numpy\n  scipy >=1,<<2\n", true, HPC_E_SPEC,
		    "f:2:14: invalid spec 'scipy >=1,<<2': unexpected '<' at column 12");
	assert_int_equal(hpc_envfile_read("/nonexistent/env.yml", &ef, &e), -HPC_E_NOTFOUND);
	hpc_error_clear(&e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pangeo),
		cmocka_unit_test(test_pip_and_more),
		cmocka_unit_test(test_plain),
		cmocka_unit_test(test_errors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
