/* SPDX-License-Identifier: MIT */
/* python_test.c - noarch: python paths, entry points, compileall with a real python */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "testutil.h"

static void init_py(struct hpc_python *py, const char *version, const char *sp)
{
	struct hpc_record r;

	hpc_record_init(&r);
	r.name = hpc_xstrdup("python");
	r.version = hpc_xstrdup(version);
	r.build = hpc_xstrdup("0");
	r.python_site_packages_path = sp ? hpc_xstrdup(sp) : NULL;
	assert_int_equal(hpc_python_init(py, &r, NULL), 0);
	hpc_record_fini(&r);
}

static void test_paths(void **state)
{
	struct hpc_python py;
	struct hpc_record bad;
	struct hpc_error *e = NULL;
	char *s;

	init_py(&py, "3.11.9", NULL);
	assert_string_equal(py.version, "3.11");
	assert_string_equal(py.site_packages, "lib/python3.11/site-packages");
	assert_string_equal(py.exe, "bin/python3.11");
	assert_string_equal(py.cache_tag, "cpython-311");
	s = hpc_python_map_path(&py, "site-packages/moto/server.py");
	assert_string_equal(s, "lib/python3.11/site-packages/moto/server.py");
	free(s);
	s = hpc_python_map_path(&py, "python-scripts/tool");
	assert_string_equal(s, "bin/tool");
	free(s);
	s = hpc_python_map_path(&py, "info/x");
	assert_string_equal(s, "info/x");
	free(s);
	s = hpc_python_pyc_path(&py, "lib/python3.11/site-packages/moto/server.py");
	assert_string_equal(s, "lib/python3.11/site-packages/moto/__pycache__/server.cpython-311.pyc");
	free(s);
	assert_null(hpc_python_pyc_path(&py, "a/b.txt"));
	hpc_python_fini(&py);
	init_py(&py, "3.13.2", "lib/python3.13t/site-packages"); /* CEP-17 */
	s = hpc_python_map_path(&py, "site-packages/a.py");
	assert_string_equal(s, "lib/python3.13t/site-packages/a.py");
	free(s);
	hpc_python_fini(&py);
	hpc_record_init(&bad);
	bad.version = hpc_xstrdup("3");
	assert_int_equal(hpc_python_init(&py, &bad, &e), -HPC_E_PARSE);
	hpc_error_free(e);
	hpc_record_fini(&bad);
}

static void test_entry_point(void **state)
{
	struct hpc_python py;
	char *s, longp[200];

	init_py(&py, "3.11.2", NULL);
	s = hpc_python_entry_point(&py, "/envs/a", "moto.server", "main");
	assert_true(hpc_str_startswith(s, "#!/envs/a/bin/python3.11\n"));
	assert_non_null(strstr(s, "from moto.server import main\n"));
	assert_non_null(strstr(s, "sys.exit(main())"));
	free(s);
	memset(longp, 'p', sizeof(longp) - 1);
	longp[0] = '/';
	longp[sizeof(longp) - 1] = '\0';
	s = hpc_python_entry_point(&py, longp, "a.b", "c.d");
	assert_true(hpc_str_startswith(s, "#!/bin/sh\n'''exec' \"/ppp"));
	assert_non_null(strstr(s, "from a.b import c\n"));
	assert_non_null(strstr(s, "sys.exit(c.d())"));
	free(s);
	hpc_python_fini(&py);
}

static void test_compile(void **state)
{
	char *d = tu_tmpdir(), *exe = hpc_path_join(d, "bin/python3.11"), *pyc;
	struct hpc_python py;
	struct hpc_strv files = HPC_STRV_INIT;
	struct hpc_error *e = NULL;

	init_py(&py, "3.11.2", NULL);
	assert_int_equal(hpc_python_compile(&py, d, &files, &e), -HPC_E_NOTFOUND);
	hpc_error_clear(&e);
	tu_write(d, "lib/python3.11/site-packages/m/a.py", "X = 1\n");
	tu_write(d, "bin/.keep", "");
	assert_int_equal(symlink("/usr/bin/python3", exe), 0); /* the system 3.11 stands in */
	hpc_strv_push(&files, "lib/python3.11/site-packages/m/a.py");
	assert_int_equal(hpc_python_compile(&py, d, &files, NULL), 0);
	pyc = hpc_path_join(d, "lib/python3.11/site-packages/m/__pycache__/a.cpython-311.pyc");
	assert_true(hpc_path_exists(pyc));
	unlink(exe);
	tu_write(d, "bin/python3.11", "#!/bin/sh\necho broken >&2\nexit 1\n");
	chmod(exe, 0755);
	assert_int_equal(hpc_python_compile(&py, d, &files, &e), -HPC_E_LINK);
	assert_err_contains(e, "broken");
	hpc_error_free(e);
	hpc_strv_fini(&files);
	hpc_python_fini(&py);
	free(pyc);
	free(exe);
	tu_tmpdir_free(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_paths),
		cmocka_unit_test(test_entry_point),
		cmocka_unit_test(test_compile),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
