/* SPDX-License-Identifier: MIT */
/* pkginfo_test.c - index.json, paths.json, files/has_prefix and link.json, and their checks */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "testutil.h"

#define INDEX "{\"name\": \"pkg\", \"version\": \"1.0\", \"build\": \"0\", \"build_number\": 0}"

static void test_paths_json(void **state)
{
	char *d = tu_tmpdir();
	struct hpc_pkginfo pi;
	struct hpc_error *e = NULL;

	tu_write(d, "info/index.json", INDEX);
	tu_write(d, "info/paths.json",
		 "{\"paths\": [{\"_path\": \"bin/x\", \"path_type\": \"hardlink\", \"sha256\": "
		 "\"5613df6f1a56c1c3e0c2aa3da9284b51de9682882a6a9ba7af68a07745cb3aac\", "
		 "\"size_in_bytes\": 281, \"prefix_placeholder\": \"/ph\", \"file_mode\": "
		 "\"binary\"}, {\"_path\": \"lib/l.so\", \"path_type\": \"softlink\"}, "
		 "{\"_path\": \"share/empty\", \"path_type\": \"directory\", \"no_link\": true}],"
		 " \"paths_version\": 1}");
	assert_int_equal(hpc_pkginfo_load(&pi, d, NULL), 0);
	assert_true(pi.has_paths_json);
	assert_int_equal(pi.npaths, 3);
	assert_string_equal(pi.paths[0].path, "bin/x");
	assert_int_equal(pi.paths[0].size, 281);
	assert_int_equal(pi.paths[0].file_mode, HPC_FILE_MODE_BINARY);
	assert_string_equal(pi.paths[0].placeholder, "/ph");
	assert_int_equal(strlen(pi.paths[0].sha256), 64);
	assert_int_equal(pi.paths[1].type, HPC_PATH_SOFTLINK);
	assert_int_equal(pi.paths[2].type, HPC_PATH_DIRECTORY);
	assert_true(pi.paths[2].no_link);
	assert_int_equal(hpc_pkginfo_check_dist(&pi, "pkg-1.0-0", "a.conda", NULL), 0);
	assert_int_equal(hpc_pkginfo_check_dist(&pi, "other-1.0-0", "a.conda", &e),
			 -HPC_E_ARCHIVE);
	assert_err_contains(e, "'a.conda': info/index.json describes 'pkg-1.0-0', not 'other-1.0-0'");
	hpc_error_clear(&e);
	hpc_pkginfo_fini(&pi);
	tu_tmpdir_free(d);
}

static void test_old_style(void **state)
{
	char *d = tu_tmpdir(), *l;
	struct hpc_pkginfo pi;

	tu_write(d, "info/index.json", INDEX);
	tu_write(d, "info/files", "bin/a\nlib/b\nshare/with space\nlib/link\n");
	tu_write(d, "info/has_prefix", "bin/a\n/old/ph binary lib/b\n"
				       "\"/p q\" text \"share/with space\"\n");
	tu_write(d, "info/no_link", "lib/b\n");
	tu_write(d, "lib/b", "x");
	l = hpc_path_join(d, "lib/link");
	assert_int_equal(symlink("b", l), 0);
	free(l);
	assert_int_equal(hpc_pkginfo_load(&pi, d, NULL), 0);
	assert_false(pi.has_paths_json);
	assert_int_equal(pi.npaths, 4);
	assert_string_equal(pi.paths[0].placeholder, HPC_DEFAULT_PLACEHOLDER);
	assert_int_equal(pi.paths[0].file_mode, HPC_FILE_MODE_TEXT);
	assert_string_equal(pi.paths[1].placeholder, "/old/ph");
	assert_int_equal(pi.paths[1].file_mode, HPC_FILE_MODE_BINARY);
	assert_true(pi.paths[1].no_link);
	assert_string_equal(pi.paths[2].placeholder, "/p q");
	assert_int_equal(pi.paths[3].type, HPC_PATH_SOFTLINK);
	hpc_pkginfo_fini(&pi);
	tu_tmpdir_free(d);
}

static void expect_fail(const char *rel, const char *content, int code, const char *text)
{
	char *d = tu_tmpdir();
	struct hpc_pkginfo pi;
	struct hpc_error *e = NULL;

	tu_write(d, "info/index.json", INDEX);
	tu_write(d, rel, content);
	assert_int_equal(hpc_pkginfo_load(&pi, d, &e), -code);
	assert_err_contains(hpc_error_root(e), text);
	hpc_error_free(e);
	tu_tmpdir_free(d);
}

static void test_refusals(void **state)
{
	expect_fail("info/paths.json", "{\"paths\": [{\"_path\": \"../../etc/x\"}]}", HPC_E_UNSAFE,
		    "unsafe path '../../etc/x'");
	expect_fail("info/paths.json", "{\"paths\": [{\"_path\": \"/abs\"}]}", HPC_E_UNSAFE,
		    "'/abs'");
	expect_fail("info/paths.json", "{\"paths\": [{\"_path\": \"a/./b\"}]}", HPC_E_UNSAFE,
		    "'a/./b'");
	expect_fail("info/paths.json", "{\"paths\": [\n{\"_path\": }", HPC_E_PARSE,
		    "info/paths.json:2:");
	expect_fail("info/files", "ok\n../escape\n", HPC_E_UNSAFE, "'../escape'");
	expect_fail("info/link.json",
		    "{\"noarch\": {\"type\": \"python\", \"entry_points\": "
		    "[\"../../tmp/evil = m:f\"]}}", HPC_E_UNSAFE, "entry point '../../tmp/evil");
	expect_fail("info/link.json",
		    "{\"noarch\": {\"entry_points\": [\"x = os; rm -rf:f\"]}}", HPC_E_UNSAFE,
		    "malformed");
	expect_fail("info/index.json", "not json", HPC_E_PARSE, "info/index.json:1:");
}

static void test_entry_points(void **state)
{
	char *d = tu_tmpdir(), *n, *m, *f;
	struct hpc_pkginfo pi;

	tu_write(d, "info/index.json", INDEX);
	tu_write(d, "info/link.json", "{\"noarch\": {\"type\": \"python\", \"entry_points\": "
				      "[\"moto_server = moto.server:main\"]}}");
	assert_int_equal(hpc_pkginfo_load(&pi, d, NULL), 0);
	assert_int_equal(pi.entry_points.n, 1);
	assert_int_equal(hpc_entry_point_parse(pi.entry_points.v[0], &n, &m, &f, NULL), 0);
	assert_string_equal(n, "moto_server");
	assert_string_equal(m, "moto.server");
	assert_string_equal(f, "main");
	free(n);
	free(m);
	free(f);
	hpc_pkginfo_fini(&pi);
	assert_true(hpc_pkgpath_is_safe("a/b.c"));
	assert_true(hpc_pkgpath_is_safe("..a/b"));
	assert_false(hpc_pkgpath_is_safe("a//b"));
	assert_false(hpc_pkgpath_is_safe("a/"));
	assert_false(hpc_pkgpath_is_safe(""));
	assert_int_equal(hpc_path_type_parse("pyc_file"), HPC_PATH_PYC_FILE);
	assert_string_equal(hpc_path_type_name(HPC_PATH_ENTRY_POINT), "unix_python_entry_point");
	tu_tmpdir_free(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_paths_json),
		cmocka_unit_test(test_old_style),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_entry_points),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
