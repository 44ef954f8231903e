/* SPDX-License-Identifier: MIT */
/* request_test.c - requests: specs with origins, configuration, conda-meta/pinned */
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

static void test_add(void **state)
{
	struct hpc_request rq;
	struct hpc_error *e = NULL;
	char *s;

	hpc_request_init(&rq);
	assert_int_equal(rq.priority, HPC_PRIORITY_FLEXIBLE);
	assert_true(rq.prune);
	assert_true(rq.timeout <= 0);
	assert_int_equal(hpc_request_add(&rq, HPC_JOB_INSTALL, "numpy>=1.26", "command line", &e),
			 0);
	assert_int_equal(hpc_request_add(&rq, HPC_JOB_REMOVE, "scipy", NULL, &e), 0);
	assert_int_equal(hpc_request_add(&rq, HPC_JOB_PIN, "python 3.11.*", "pinned_packages", &e),
			 0);
	assert_int_equal(rq.njobs, 3);
	assert_string_equal(rq.jobs[0].ms->name, "numpy");
	assert_string_equal(rq.jobs[0].origin, "command line");
	assert_null(rq.jobs[1].origin);
	/* pins are not what the user asked to change */
	s = hpc_request_specs_str(&rq);
	assert_string_equal(s, "numpy>=1.26, scipy");
	free(s);
	rq.update_all = true;
	s = hpc_request_specs_str(&rq);
	assert_string_equal(s, "numpy>=1.26, scipy, --all");
	free(s);
	assert_int_equal(hpc_request_add(&rq, HPC_JOB_INSTALL, "numpy >=1,<<2", "env.yml:3", &e),
			 -HPC_E_SPEC);
	/* one line: where, then what */
	assert_err_contains(e, "env.yml:3: invalid spec 'numpy >=1,<<2'");
	assert_null(e->cause);
	hpc_error_clear(&e);
	assert_int_equal(hpc_request_add(&rq, HPC_JOB_INSTALL, "=", NULL, &e), -HPC_E_SPEC);
	hpc_error_clear(&e);
	assert_int_equal(rq.njobs, 3);
	hpc_request_fini(&rq);
	assert_int_equal(rq.njobs, 0);
	assert_null(rq.jobs);
}

static void test_configure(void **state)
{
	struct hpc_config *cfg = hpc_config_new();
	struct hpc_request rq;
	struct hpc_error *e = NULL;
	const char *rc = "channel_priority: strict\nsolver_timeout: 12.5\n"
			 "add_pip_as_python_dependency: false\n"
			 "pinned_packages: [python 3.11.*, 'numpy <2']\n";

	hpc_request_init(&rq);
	assert_int_equal(hpc_request_configure(&rq, cfg, &e), 0);
	assert_int_equal(rq.priority, HPC_PRIORITY_FLEXIBLE);
	assert_true(rq.timeout == 300); /* the configured default */
	assert_int_equal(rq.njobs, 0);
	assert_int_equal(hpc_config_load_string(cfg, "rc", rc, strlen(rc), NULL, &e), 0);
	assert_int_equal(hpc_request_configure(&rq, cfg, &e), 0);
	assert_int_equal(rq.priority, HPC_PRIORITY_STRICT);
	assert_true(rq.timeout == 12.5);
	assert_int_equal(rq.njobs, 2);
	assert_int_equal(rq.jobs[1].kind, HPC_JOB_PIN);
	assert_string_equal(rq.jobs[1].spec, "numpy <2");
	assert_string_equal(rq.jobs[1].origin, "pinned_packages");
	assert_int_equal(hpc_config_set(cfg, "channel_priority", "disabled", &e), 0);
	hpc_request_fini(&rq);
	hpc_request_init(&rq);
	assert_int_equal(hpc_request_configure(&rq, cfg, &e), 0);
	assert_int_equal(rq.priority, HPC_PRIORITY_DISABLED);
	assert_int_equal(hpc_config_set(cfg, "pinned_packages", "numpy >=1,<<2", &e), 0);
	assert_int_equal(hpc_request_configure(&rq, cfg, &e), -HPC_E_SPEC);
	assert_err_contains(e, "pinned_packages: invalid spec 'numpy >=1,<<2'");
	hpc_error_clear(&e);
	hpc_request_fini(&rq);
	hpc_config_free(cfg);
}

static void test_pinned_file(void **state)
{
	char *dir = tu_tmpdir(), *want;
	struct hpc_request rq;
	struct hpc_error *e = NULL;

	hpc_request_init(&rq);
	/* no file, no pins */
	assert_int_equal(hpc_request_read_pinned(&rq, dir, &e), 0);
	assert_int_equal(rq.njobs, 0);
	tu_write(dir, "conda-meta/pinned", "# keep these\nnumpy 1.26.*\n\n  scipy <1.12  # abi\n");
	assert_int_equal(hpc_request_read_pinned(&rq, dir, &e), 0);
	assert_int_equal(rq.njobs, 2);
	assert_int_equal(rq.jobs[0].kind, HPC_JOB_PIN);
	assert_string_equal(rq.jobs[1].spec, "scipy <1.12");
	want = hpc_xasprintf("%s/conda-meta/pinned:4", dir);
	assert_string_equal(rq.jobs[1].origin, want);
	free(want);
	tu_write(dir, "conda-meta/pinned", "numpy\nscipy >=1,<<2\n");
	assert_int_equal(hpc_request_read_pinned(&rq, dir, &e), -HPC_E_SPEC);
	want = hpc_xasprintf("%s/conda-meta/pinned:2: invalid spec 'scipy >=1,<<2'", dir);
	assert_err_contains(e, want);
	free(want);
	hpc_error_clear(&e);
	hpc_request_fini(&rq);
	tu_tmpdir_free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_add),
		cmocka_unit_test(test_configure),
		cmocka_unit_test(test_pinned_file),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
