/* SPDX-License-Identifier: MIT */
/* verify_launch_test.c - launchers by their --version, a real run, and a hang named by step */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "testutil.h"
#include "verify_int.h"

static void family(const char *text, const char *want, const char *want_version)
{
	char *ver = NULL;
	const char *f = hpc_verify_launcher_family(text, &ver);

	if (!want)
		assert_null(f);
	else
		assert_string_equal(f, want);
	if (want_version)
		assert_string_equal(ver, want_version);
	free(ver);
}

static void test_families(void **state)
{
	family("HYDRA build details:\n    Version:                                 4.0.2\n"
	       "    Release Date:                            Thu Apr  7 2022\n", "mpich", "4.0.2");
	family("mpiexec (OpenRTE) 4.1.4\n\nReport bugs to http://www.open-mpi.org/\n", "openmpi",
	       "4.1.4");
	family("mpirun (Open MPI) 5.0.3\n\nReport bugs to https://www.open-mpi.org/\n", "openmpi",
	       "5.0.3");
	family("Intel(R) MPI Library for Linux* OS, Version 2021.10 Build 20230619\n", "mpich",
	       NULL);
	family("slurm 23.02.7\n", "slurm", "23.02.7");
	family("something else 1.0\n", NULL, NULL);
	family(NULL, NULL, NULL);
}

static struct hpc_verify *probed(double timeout)
{
	struct hpc_verify_opts o = { .python = "/usr/bin/python3", .mpi = true,
				     .mode = HPC_VERIFY_QUICK, .timeout = timeout };
	struct hpc_verify *v = hpc_verify_new(&o);

	assert_int_equal(hpc_verify_peak_topology(&v->peak, NULL), 0);
	assert_int_equal(hpc_verify_mpi_probe(v, NULL, NULL), 0);
	return v;
}

static void test_real_run(void **state)
{
	struct hpc_verify *v = probed(0);

	assert_int_equal(hpc_verify_launch_run(v, NULL, NULL), 0);
	assert_true(v->mpi.ran);
	assert_int_equal(v->mpi.hellos, 2);
	assert_int_equal(v->mpi.size_seen, 2);
	assert_true(v->mpi.ring_ok);
	assert_false(v->mpi.all_singletons);
	assert_true(v->mpi.latency_us > 0 && v->mpi.bandwidth_mbs > 0);
	assert_string_equal(v->mpi.launcher_family, "openmpi");
	assert_int_equal(hpc_verify_check_get(v, "mpi.run")->status, HPC_VERIFY_PASS);
	assert_int_equal(v->nfindings, 0);
	hpc_verify_free(v);
}

/* A launcher that never starts anything: the run is stopped and the step named. */
static void test_hang(void **state)
{
	char *dir = tu_tmpdir(), *old = hpc_xstrdup(getenv("PATH")), *path, *script;
	struct hpc_verify *v = probed(0);
	const struct hpc_verify_finding *f;

	v->opts.timeout = 1.0; /* for the run only: the probe may take longer when loaded */
	tu_write(dir, "mpiexec", "#!/bin/sh\ncase \"$1\" in --version) echo 'stuck 1.0' ;; "
				 "*) sleep 60 ;; esac\n");
	script = hpc_path_join(dir, "mpiexec");
	assert_int_equal(chmod(script, 0755), 0);
	path = hpc_xasprintf("%s:%s", dir, old);
	setenv("PATH", path, 1);
	assert_int_equal(hpc_verify_launch_run(v, NULL, NULL), 0);
	setenv("PATH", old, 1);
	f = hpc_verify_finding_get(v, "mpi-hang");
	assert_non_null(f);
	assert_non_null(strstr(f->message, "hung in MPI_Init"));
	assert_string_equal(v->mpi.hung_step, "MPI_Init");
	assert_int_equal(hpc_verify_check_get(v, "mpi.run")->status, HPC_VERIFY_FAIL);
	hpc_verify_free(v);
	free(script);
	free(path);
	free(old);
	tu_tmpdir_free(dir);
}

/* A stand-in for srun in DIR, first on PATH: it answers --version and --mpi=list as
 * Slurm 23.02 with no pmix/pmi2 plugin does, and runs RUN (sh) to start the ranks with
 * $n = the rank count and "$@" = the rank's command. Returns the old PATH. */
static char *fake_srun(const char *dir, const char *run)
{
	char *old = hpc_xstrdup(getenv("PATH")), *path, *script, *body;

	body = hpc_xasprintf("#!/bin/sh\ncase \"$1\" in\n"
			     "--version) echo 'slurm 23.02.7' ;;\n"
			     "--mpi=list) printf 'MPI plugin types are...\\n\\tnone\\n"
			     "\\tcray_shasta\\n' ;;\n"
			     "*) n=$2; shift 2\n%s\n;;\nesac\n", run);
	tu_write(dir, "srun", body);
	script = hpc_path_join(dir, "srun");
	assert_int_equal(chmod(script, 0755), 0);
	path = hpc_xasprintf("%s:%s", dir, old);
	setenv("PATH", path, 1);
	free(body);
	free(script);
	free(path);
	return old;
}

static void run_with(struct hpc_verify *v, char *old_path)
{
	assert_int_equal(hpc_verify_peak_topology(&v->peak, NULL), 0);
	assert_int_equal(hpc_verify_mpi_probe(v, NULL, NULL), 0);
	assert_int_equal(hpc_verify_launch_run(v, NULL, NULL), 0);
	setenv("PATH", old_path, 1);
	free(old_path);
}

static const struct hpc_verify_opts srun_opts = { .python = "/usr/bin/python3", .mpi = true,
						  .np = 2, .mode = HPC_VERIFY_QUICK,
						  .launcher = "srun" };

/* An srun whose Slurm has no PMI plugin (what `MpiDefault=none` with no pmix/pmi2 plugin
 * does): it starts the ranks, each initialises alone. */
static void test_srun_without_pmi(void **state)
{
	char *dir = tu_tmpdir();
	struct hpc_verify *v = hpc_verify_new(&srun_opts);
	const struct hpc_verify_finding *f;

	run_with(v, fake_srun(dir, "for i in $(seq \"$n\"); do \"$@\" & done; wait"));
	assert_string_equal(v->mpi.launcher_family, "slurm");
	assert_non_null(strstr(v->mpi.srun_mpi_types, "cray_shasta"));
	f = hpc_verify_finding_get(v, "mpi-srun-no-pmi");
	assert_non_null(f);
	assert_non_null(strstr(f->message, "offers neither pmix nor pmi2 (MPI plugin types are... "
					   "none cray_shasta)"));
	if (!v->mpi.all_singletons) /* what the ranks said, should this fail */
		print_message("ranks: %d hellos, size %d, exit %d, hung in %s: %s\n",
			      v->mpi.hellos, v->mpi.size_seen, v->mpi.run_status,
			      v->mpi.hung_step ? v->mpi.hung_step : "-",
			      v->mpi.run_error ? v->mpi.run_error : "-");
	assert_true(v->mpi.all_singletons);
	f = hpc_verify_finding_get(v, "mpi-singleton-ranks");
	assert_non_null(f);
	assert_non_null(strstr(f->remedy, "this Slurm offers no PMI plugin"));
	assert_null(hpc_verify_finding_get(v, "mpi-launcher-mismatch"));
	hpc_verify_free(v);
	tu_tmpdir_free(dir);
}

/* A launcher that loses a rank and still exits 0 (a plain `wait` returns 0): the finding
 * counts the ranks and quotes the lost rank's error. */
static void test_rank_lost(void **state)
{
	char *dir = tu_tmpdir();
	struct hpc_verify *v = hpc_verify_new(&srun_opts);
	const struct hpc_verify_finding *f;

	run_with(v, fake_srun(dir, "\"$@\" & sh -c 'echo \"rank 1: cannot attach to the "
				   "fabric\" >&2; exit 1' & wait"));
	assert_int_equal(v->mpi.run_status, 0);
	assert_int_equal(v->mpi.hellos, 1);
	assert_false(v->mpi.all_singletons);
	assert_null(hpc_verify_finding_get(v, "mpi-singleton-ranks"));
	f = hpc_verify_finding_get(v, "mpi-wrong-size");
	assert_non_null(f);
	assert_string_equal(f->message, "asked for 2 ranks: 1 said hello, COMM_WORLD has 1: "
					"rank 1: cannot attach to the fabric");
	assert_int_equal(hpc_verify_check_get(v, "mpi.run")->status, HPC_VERIFY_FAIL);
	hpc_verify_free(v);
	tu_tmpdir_free(dir);
}

/* What a rank of a mismatched launch prints when Open MPI 4.1.4's singleton daemons race
 * for the session directory (seen here with two singletons started at once, ~4% of runs). */
static const char session_race[] =
	"--------------------------------------------------------------------------\n"
	"A call to mkdir was unable to create the desired directory:\n\n"
	"  Directory: /tmp/ompi.vm.0\n"
	"  Error:     File exists\n\n"
	"Please check to ensure you have adequate permissions to perform\n"
	"the desired operation.\n"
	"--------------------------------------------------------------------------\n"
	"[vm:31746] [[4348,0],0] ORTE_ERROR_LOG: Error in file "
	"../../../orte/util/session_dir.c at line 107\n"
	"[vm:31741] [[INVALID],INVALID] ORTE_ERROR_LOG: Unable to start a daemon on the local "
	"node in file ../../../../../../orte/mca/ess/singleton/ess_singleton_module.c at line "
	"716\n";

/* One singleton said hello, the other died in the singleton component: still singletons,
 * the launcher is the fault, and the lost rank's error is quoted. */
static void test_singleton_lost(void **state)
{
	char *dir = tu_tmpdir(), *run;
	struct hpc_verify *v = hpc_verify_new(&srun_opts);
	const struct hpc_verify_finding *f;

	tu_write(dir, "race.txt", session_race);
	run = hpc_xasprintf("\"$@\" & cat '%s/race.txt' >&2 & wait", dir);
	run_with(v, fake_srun(dir, run));
	assert_int_equal(v->mpi.hellos, 1);
	assert_true(v->mpi.all_singletons);
	assert_null(hpc_verify_finding_get(v, "mpi-wrong-size"));
	f = hpc_verify_finding_get(v, "mpi-singleton-ranks");
	assert_non_null(f);
	assert_non_null(strstr(f->message, "srun started 1 separate singleton (1 of 2 ranks died "
					   "before saying hello: A call to mkdir was unable to "
					   "create the desired directory: (Directory: /tmp/ompi.vm.0, "
					   "Error: File exists)), so "));
	hpc_verify_free(v);
	free(run);
	tu_tmpdir_free(dir);
}

static void test_missing_launcher(void **state)
{
	char *old = hpc_xstrdup(getenv("PATH"));
	struct hpc_verify_opts o = { .python = "/usr/bin/python3", .mpi = true,
				     .launcher = "srun" };
	struct hpc_verify *v = hpc_verify_new(&o);

	assert_int_equal(hpc_verify_mpi_probe(v, NULL, NULL), 0);
	setenv("PATH", "/nonexistent", 1);
	assert_int_equal(hpc_verify_launch_run(v, NULL, NULL), 0);
	setenv("PATH", old, 1);
	assert_non_null(strstr(hpc_verify_finding_get(v, "mpi-launcher-missing")->remedy,
			       "Slurm allocation"));
	assert_false(v->mpi.ran);
	hpc_verify_free(v);
	free(old);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_families),
		cmocka_unit_test(test_real_run),
		cmocka_unit_test(test_hang),
		cmocka_unit_test(test_missing_launcher),
		cmocka_unit_test(test_srun_without_pmi),
		cmocka_unit_test(test_rank_lost),
		cmocka_unit_test(test_singleton_lost),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
