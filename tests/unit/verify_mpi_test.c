/* SPDX-License-Identifier: MIT */
/* verify_mpi_test.c - MPI families from ELF, and mpi4py's linkage in Debian's python */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "testutil.h"
#include "verify_int.h"

#define OMPI "/usr/lib/x86_64-linux-gnu/libmpi.so.40"
#define MPICH "/usr/lib/x86_64-linux-gnu/libmpich.so.12"

static const char *family_of(const char *path)
{
	struct hpc_verify_elf e;
	const char *f;

	assert_int_equal(hpc_verify_elf_read(path, &e, NULL), 0);
	f = hpc_verify_mpi_family(&e);
	hpc_verify_elf_fini(&e);
	return f;
}

static void test_families(void **state)
{
	char *dir = tu_tmpdir(), *cmd, *p;

	if (hpc_path_exists(OMPI))
		assert_string_equal(family_of(OMPI), "openmpi");
	if (hpc_path_exists(MPICH))
		assert_string_equal(family_of(MPICH), "mpich");
	/* by soname alone, and by a symbol alone */
	tu_write(dir, "x.c", "int x;\n");
	tu_write(dir, "o.c", "int ompi_mpi_comm_world;\n");
	tu_write(dir, "ext.c", "extern int ompi_mpi_comm_world;\nint f(void) "
			       "{ return ompi_mpi_comm_world; }\n");
	cmd = hpc_xasprintf("cd %s && gcc -shared -fPIC -o libmpi.so.12 "
			    "-Wl,-soname,libmpi.so.12 x.c"
			    " && gcc -shared -fPIC -o libother.so o.c"
			    " && gcc -shared -fPIC -o ext.so ext.c", dir);
	assert_int_equal(system(cmd), 0);
	p = hpc_path_join(dir, "libmpi.so.12");
	assert_string_equal(family_of(p), "mpich");
	free(p);
	p = hpc_path_join(dir, "libother.so");
	assert_string_equal(family_of(p), "openmpi");
	free(p);
	{
		struct hpc_verify_elf e;

		p = hpc_path_join(dir, "ext.so");
		assert_int_equal(hpc_verify_elf_read(p, &e, NULL), 0);
		assert_string_equal(hpc_verify_mpi_built_family(&e), "openmpi");
		hpc_verify_elf_fini(&e);
		free(p);
	}
	free(cmd);
	tu_tmpdir_free(dir);
}

static struct hpc_verify *probe(void)
{
	struct hpc_verify_opts o = { .python = "/usr/bin/python3", .mpi = true,
				     .mode = HPC_VERIFY_QUICK };
	struct hpc_verify *v = hpc_verify_new(&o);

	assert_int_equal(hpc_verify_mpi_probe(v, NULL, NULL), 0);
	return v;
}

/* Debian's mpi4py and Open MPI, as installed: consistent, no finding. */
static void test_probe_debian(void **state)
{
	struct hpc_verify *v = probe();
	struct hpc_verify_mpi *m = &v->mpi;
	char a[PATH_MAX], b[PATH_MAX];

	assert_true(m->present);
	assert_non_null(m->mpi4py_version);
	assert_non_null(strstr(m->ext_path, "/mpi4py/MPI."));
	assert_string_equal(m->lib_soname, "libmpi.so.40");
	assert_string_equal(m->built_family, "openmpi");
	assert_string_equal(m->lib_family, "openmpi");
	assert_string_equal(m->resolved.why, "ld.so.cache");
	assert_null(m->import_error);
	assert_non_null(strstr(m->lib_version, "Open MPI"));
	/* the prediction is what python really mapped */
	assert_non_null(realpath(m->resolved.path, a));
	assert_non_null(realpath(m->loaded_path, b));
	assert_string_equal(a, b);
	assert_int_equal(v->nfindings, 0);
	hpc_verify_free(v);
}

/* LD_LIBRARY_PATH puts MPICH under Open MPI's soname: predicted, named, failed. */
static void test_probe_ld_library_path(void **state)
{
	char *dir = tu_tmpdir(), *link = hpc_path_join(dir, "libmpi.so.40");
	struct hpc_verify *v;
	const struct hpc_verify_finding *f;

	if (!hpc_path_exists(MPICH))
		skip();
	assert_int_equal(symlink(MPICH, link), 0);
	setenv("LD_LIBRARY_PATH", dir, 1);
	v = probe();
	unsetenv("LD_LIBRARY_PATH");
	assert_string_equal(v->mpi.resolved.path, link);
	assert_string_equal(v->mpi.lib_family, "mpich");
	assert_non_null(v->mpi.import_error);
	assert_non_null(strstr(v->mpi.lib_version, "MPICH"));
	f = hpc_verify_finding_get(v, "mpi-ld-library-path");
	assert_non_null(f);
	assert_int_equal(f->status, HPC_VERIFY_FAIL);
	assert_non_null(strstr(f->remedy, dir));
	/* the import failure is explained by the finding above, not repeated */
	assert_null(hpc_verify_finding_get(v, "mpi-import-failed"));
	hpc_verify_free(v);
	free(link);
	tu_tmpdir_free(dir);
}

static void test_no_mpi4py(void **state)
{
	char *dir = tu_tmpdir();
	char *cmd = hpc_xasprintf("/usr/bin/python3 -m venv --without-pip %s/venv", dir);
	char *py = hpc_xasprintf("%s/venv/bin/python", dir);
	struct hpc_verify_opts o = { .python = py, .mpi = true };
	struct hpc_verify *v;

	assert_int_equal(system(cmd), 0);
	v = hpc_verify_new(&o);
	assert_int_equal(hpc_verify_mpi_probe(v, NULL, NULL), 0);
	assert_false(v->mpi.present);
	assert_non_null(hpc_verify_finding_get(v, "mpi4py-missing"));
	hpc_verify_free(v);
	free(py);
	free(cmd);
	tu_tmpdir_free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_families),
		cmocka_unit_test(test_probe_debian),
		cmocka_unit_test(test_probe_ld_library_path),
		cmocka_unit_test(test_no_mpi4py),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
