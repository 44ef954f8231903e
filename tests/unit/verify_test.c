/* SPDX-License-Identifier: MIT */
/* verify_test.c - the target python, checks and findings, helpers for the sections */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "testutil.h"
#include "verify_int.h"

static void test_target(void **state)
{
	char *dir = tu_tmpdir(), *py = NULL, *prefix = NULL, *bin, *link;
	struct hpc_error *e = NULL;

	/* a system python: no environment */
	assert_int_equal(hpc_verify_target(NULL, "/usr/bin/python3", &py, &prefix, NULL), 0);
	assert_string_equal(py, "/usr/bin/python3");
	assert_null(prefix);
	free(py);
	/* an environment's python, by prefix and by path */
	tu_write(dir, "conda-meta/history", "");
	bin = hpc_path_join(dir, "bin");
	assert_int_equal(hpc_mkdir_p(bin, 0755, NULL), 0);
	link = hpc_path_join(bin, "python3");
	assert_int_equal(symlink("/usr/bin/python3", link), 0);
	assert_int_equal(hpc_verify_target(dir, NULL, &py, &prefix, NULL), 0);
	assert_string_equal(py, link);
	assert_string_equal(prefix, dir);
	free(py);
	free(prefix);
	assert_int_equal(hpc_verify_target(NULL, link, &py, &prefix, NULL), 0);
	assert_string_equal(prefix, dir);
	free(py);
	free(prefix);
	/* errors */
	assert_int_equal(hpc_verify_target(NULL, NULL, &py, &prefix, &e), -HPC_E_USAGE);
	assert_err_contains(e, "no target");
	hpc_error_clear(&e);
	assert_int_equal(hpc_verify_target(bin, NULL, &py, &prefix, &e), -HPC_E_NOTFOUND);
	assert_err_contains(e, "no python in environment");
	hpc_error_clear(&e);
	assert_int_equal(hpc_verify_target(NULL, "/etc/passwd", &py, &prefix, &e), -HPC_E_USAGE);
	assert_err_contains(e, "'/etc/passwd' is not an executable file");
	hpc_error_clear(&e);
	free(link);
	free(bin);
	tu_tmpdir_free(dir);
}

static struct hpc_verify *new_verify(void)
{
	struct hpc_verify_opts o = { .python = "/usr/bin/python3" };

	return hpc_verify_new(&o);
}

static void test_defaults(void **state)
{
	struct hpc_verify_opts o = { .python = "/usr/bin/python3", .mpi = true };
	struct hpc_verify *v = new_verify();

	/* neither section chosen: both run, nothing was asked for explicitly */
	assert_true(v->opts.blas && v->opts.mpi);
	assert_false(v->mpi_asked);
	assert_int_equal(v->opts.np, 2);
	assert_string_equal(v->opts.launcher, "mpiexec");
	assert_true(hpc_verify_timeout(v) > 0);
	hpc_verify_free(v);
	v = hpc_verify_new(&o);
	assert_false(v->opts.blas);
	assert_true(v->mpi_asked);
	hpc_verify_free(v);
	assert_string_equal(hpc_verify_status_name(HPC_VERIFY_WARN), "warn");
	assert_string_equal(hpc_verify_status_name((enum hpc_verify_status)9), "unknown");
}

static void test_checks_and_findings(void **state)
{
	struct hpc_verify *v = new_verify();
	const struct hpc_verify_check *c;

	hpc_verify_check_set(v, "blas.library", "blas", HPC_VERIFY_PASS, "OpenBLAS %s", "0.3");
	c = hpc_verify_check_get(v, "blas.library");
	assert_int_equal(c->status, HPC_VERIFY_PASS);
	/* a finding raises its check to its own status, never lowers it */
	hpc_verify_find(v, "blas.library", "blas-netlib", HPC_VERIFY_WARN, false, "fix it",
			"netlib at %s", "/x");
	assert_int_equal(hpc_verify_check_get(v, "blas.library")->status, HPC_VERIFY_WARN);
	hpc_verify_find(v, "blas.library", "blas-wrong", HPC_VERIFY_FAIL, false, NULL, "wrong");
	hpc_verify_find(v, "blas.library", "blas-other", HPC_VERIFY_WARN, true, "x", "other");
	assert_int_equal(hpc_verify_check_get(v, "blas.library")->status, HPC_VERIFY_FAIL);
	/* updating the summary keeps the worst status */
	hpc_verify_check_set(v, "blas.library", "blas", HPC_VERIFY_PASS, "again");
	c = hpc_verify_check_get(v, "blas.library");
	assert_int_equal(c->status, HPC_VERIFY_FAIL);
	assert_string_equal(c->summary, "again");
	assert_int_equal(v->nchecks, 1);
	assert_string_equal(hpc_verify_finding_get(v, "blas-netlib")->message, "netlib at /x");
	assert_string_equal(hpc_verify_finding_get(v, "blas-wrong")->remedy, "");
	hpc_verify_finding_append(v, "blas-netlib", "; cost %d%%", 30);
	assert_string_equal(hpc_verify_finding_get(v, "blas-netlib")->message,
			    "netlib at /x; cost 30%");
	hpc_verify_finding_append(v, "absent", "ignored");
	assert_null(hpc_verify_finding_get(v, "absent"));
	assert_null(hpc_verify_check_get(v, "absent"));
	hpc_verify_free(v);
}

static void test_helpers(void **state)
{
	double vals[] = { 5, 1, 4, 2 }, med, lo, hi;
	json_t *j = hpc_verify_last_json("noise\n{\"a\": 1}\n{broken\n{\"b\": \"x\\u0000y\"}\n\n");
	char *line = hpc_verify_last_line("one\ntwo  \n\n");

	hpc_verify_stats(vals, 4, &med, &lo, &hi);
	assert_true(med == 3 && lo == 1 && hi == 5);
	hpc_verify_stats(vals, 3, &med, &lo, &hi);
	assert_true(med == 2);
	assert_non_null(j);
	assert_non_null(json_object_get(j, "b"));
	assert_string_equal(line, "two");
	json_decref(j);
	free(line);
	assert_null(hpc_verify_last_json("no json here\n"));
	line = hpc_verify_last_line(NULL);
	assert_string_equal(line, "");
	free(line);
}

/* What Open MPI 4.1 and MPICH 4.0 print when MPI_Init fails, shortened. */
static const char ompi_init_failed[] =
	"------------------------------------------------------------------------\n"
	"A requested component was not found, or was unable to be opened.  This\n"
	"means that this component is either not installed or is unable to be\n"
	"used on your system.\n"
	"\n"
	"Host:      vm\n"
	"Framework: pml\n"
	"Component: bogus\n"
	"------------------------------------------------------------------------\n"
	"------------------------------------------------------------------------\n"
	"It looks like MPI_INIT failed for some reason; your parallel process is\n"
	"------------------------------------------------------------------------\n"
	"[vm:16212] *** An error occurred in MPI_Init_thread\n"
	"[vm:16212] ***    and potentially your MPI job)\n";
static const char mpich_init_failed[] =
	"Abort(1091471) on node 0 (rank 0 in comm 0): Fatal error in PMPI_Init_thread: Other "
	"MPI error, error stack:\n"
	"MPIR_Init_thread(176): channel initialization failed\n";

static void test_error_line(void **state)
{
	char *line = hpc_verify_error_line(ompi_init_failed);

	assert_string_equal(line, "A requested component was not found, or was unable to be "
				  "opened (Framework: pml, Component: bogus)");
	free(line);
	line = hpc_verify_error_line(mpich_init_failed);
	assert_string_equal(line, "Abort(1091471) on node 0 (rank 0 in comm 0): Fatal error in "
				  "PMPI_Init_thread: Other MPI error, error stack:");
	free(line);
	/* a python traceback: the exception is the last line */
	line = hpc_verify_error_line("Traceback (most recent call last):\n  File \"<string>\", "
				     "line 1\nImportError: libmpi.so.99: cannot open\n");
	assert_string_equal(line, "ImportError: libmpi.so.99: cannot open");
	free(line);
	line = hpc_verify_error_line(NULL);
	assert_string_equal(line, "");
	free(line);
}

static void test_python(void **state)
{
	struct hpc_verify *v = new_verify();
	struct hpc_error *e = NULL;
	const char *args[] = { "arg1", NULL }, *set[] = { "HPC_T_PY=7", NULL };
	json_t *o = NULL;

	assert_int_equal(hpc_verify_python(v, "import json, os, sys\n"
					      "print('noise')\n"
					      "print(json.dumps({'a': sys.argv[1], "
					      "'e': os.environ['HPC_T_PY']}))\n",
					   args, set, NULL, 30, NULL, &o, NULL), 0);
	assert_string_equal(json_string_value(json_object_get(o, "a")), "arg1");
	assert_string_equal(json_string_value(json_object_get(o, "e")), "7");
	json_decref(o);
	/* a script that dies names the python and its last line of stderr */
	assert_int_equal(hpc_verify_python(v, "raise SystemExit('boom')", NULL, NULL, NULL, 30,
					   NULL, &o, &e), -HPC_E_VERIFY);
	assert_err_contains(e, "'/usr/bin/python3' failed (exit 1): boom");
	assert_null(o);
	hpc_error_clear(&e);
	assert_int_equal(hpc_verify_python(v, "import time; time.sleep(30)", NULL, NULL, NULL,
					   0.5, NULL, &o, &e), -HPC_E_TIMEOUT);
	assert_err_contains(e, "did not answer within");
	hpc_error_free(e);
	hpc_verify_free(v);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_target),
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_checks_and_findings),
		cmocka_unit_test(test_helpers),
		cmocka_unit_test(test_error_line),
		cmocka_unit_test(test_python),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
