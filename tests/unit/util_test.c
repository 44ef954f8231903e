/* SPDX-License-Identifier: MIT */
/* util_test.c - strings, vectors, paths, atomic files */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "testutil.h"

static void test_strbuf(void **state)
{
	struct hpc_strbuf sb = HPC_STRBUF_INIT;
	char *s;

	assert_string_equal(hpc_strbuf_str(&sb), "");
	hpc_strbuf_adds(&sb, "ab");
	hpc_strbuf_addc(&sb, 'c');
	for (int i = 0; i < 100; i++)
		hpc_strbuf_addf(&sb, "%d", i % 10);
	assert_int_equal(sb.len, 103);
	s = hpc_strbuf_detach(&sb);
	assert_memory_equal(s, "abc0123", 7);
	assert_null(sb.buf);
	free(s);
}

static void test_strv_split_join(void **state)
{
	struct hpc_strv sv = HPC_STRV_INIT;
	char *j;

	hpc_strv_split(&sv, " a, b ,,c ", ",");
	assert_int_equal(sv.n, 3);
	assert_string_equal(sv.v[1], "b");
	assert_null(sv.v[3]);
	hpc_strv_push_unique(&sv, "a");
	hpc_strv_push_unique(&sv, "d");
	j = hpc_strv_join(&sv, "|");
	assert_string_equal(j, "a|b|c|d");
	free(j);
	hpc_strv_fini(&sv);
}

static void test_paths(void **state)
{
	char *p = hpc_path_join("/a//", "/b");

	assert_string_equal(p, "/a/b");
	free(p);
	p = hpc_path_join("/", "x");
	assert_string_equal(p, "/x");
	free(p);
	setenv("HPCENV_T", "val", 1);
	unsetenv("HPCENV_UNSET_T");
	p = hpc_path_expand("~/x/$HPCENV_T/${HPCENV_T}y/$HPCENV_UNSET_T/$");
	char *want = hpc_xasprintf("%s/x/val/valy//$", hpc_home_dir());
	assert_string_equal(p, want);
	free(p);
	free(want);
	p = hpc_path_expand("a~b");
	assert_string_equal(p, "a~b");
	free(p);
}

static void test_files(void **state)
{
	char *d = tu_tmpdir(), *sub = hpc_path_join(d, "x/y/z"), *f = hpc_path_join(sub, "f");
	char *data = NULL;
	size_t len = 0;
	struct hpc_error *e = NULL;
	struct stat st;

	assert_int_equal(hpc_mkdir_p(sub, 0755, NULL), 0);
	assert_int_equal(hpc_mkdir_p(sub, 0755, NULL), 0);
	assert_int_equal(hpc_file_write_atomic(f, "hello", 5, 0600, NULL), 0);
	assert_int_equal(hpc_file_write_atomic(f, "bye", 3, 0600, NULL), 0);
	assert_int_equal(hpc_file_read(f, &data, &len, NULL), 0);
	assert_int_equal(len, 3);
	assert_string_equal(data, "bye");
	assert_int_equal(stat(f, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	free(data);
	/* a file where a directory should be */
	assert_int_equal(hpc_mkdir_p(f, 0755, &e), -HPC_E_IO);
	hpc_error_clear(&e);
	assert_int_equal(hpc_file_read("/nonexistent/x", &data, &len, &e), -HPC_E_NOTFOUND);
	assert_err_contains(e, "/nonexistent/x");
	hpc_error_clear(&e);
	assert_int_equal(hpc_rm_rf(d, NULL), 0);
	assert_false(hpc_path_exists(d));
	assert_int_equal(hpc_rm_rf(d, NULL), 0);
	free(sub);
	free(f);
	free(d);
}

static void test_atomic_write_failure_leaves_old(void **state)
{
	struct hpc_error *e = NULL;

	assert_int_not_equal(hpc_file_write_atomic("/nonexistent-dir/f", "x", 1, 0644, &e), 0);
	assert_err_contains(e, "nonexistent-dir");
	hpc_error_free(e);
}

static void test_str_helpers(void **state)
{
	char s[] = "  a b \t\n";

	assert_true(hpc_str_startswith("conda-forge", "conda"));
	assert_false(hpc_str_endswith("a", "abc"));
	assert_true(hpc_str_endswith("x.tar.bz2", ".tar.bz2"));
	assert_string_equal(hpc_str_trim(s), "a b");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_strbuf),
		cmocka_unit_test(test_strv_split_join),
		cmocka_unit_test(test_paths),
		cmocka_unit_test(test_files),
		cmocka_unit_test(test_atomic_write_failure_leaves_old),
		cmocka_unit_test(test_str_helpers),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
