/* SPDX-License-Identifier: MIT */
/* condameta_test.c - reading an environment conda made; writing records and history */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "testutil.h"

static char *fixture(void)
{
	return hpc_path_join(HPCENV_SOURCE_DIR, "tests/fixtures/conda-env/prefix");
}

static void test_load_conda_env(void **state)
{
	char *p = fixture();
	struct hpc_condameta m;
	const struct hpc_prefix_record *z, *six, *tool;

	assert_int_equal(hpc_condameta_load(p, &m, NULL), 0);
	assert_int_equal(m.n, 3);
	assert_string_equal(m.recs[0].rec.name, "six"); /* sorted by name */
	z = hpc_condameta_find(&m, "zlib");
	six = hpc_condameta_find(&m, "six");
	tool = hpc_condameta_find(&m, "tool");
	assert_non_null(z);
	assert_string_equal(z->rec.channel, "https://repo.anaconda.com/pkgs/main");
	assert_string_equal(z->rec.subdir, "linux-64");
	assert_int_equal(z->npaths, 4);
	assert_int_equal(z->paths[1].type, HPC_PATH_SOFTLINK);
	assert_int_equal(z->paths[3].file_mode, HPC_FILE_MODE_TEXT);
	assert_int_equal(strlen(z->paths[3].sha256_in_prefix), 64);
	assert_null(z->requested_spec); /* conda's "None" */
	assert_int_equal(z->link_type, HPC_LINK_HARDLINK);
	assert_string_equal(z->link_source, "/home/alice/miniconda3/pkgs/zlib-1.2.13-h5eee18b_0");
	assert_null(strstr(z->rec.extra_json, "files")); /* link data is not record data */
	assert_string_equal(six->requested_spec, "six");
	assert_string_equal(six->rec.noarch, "python");
	assert_int_equal(six->paths[2].type, HPC_PATH_PYC_FILE);
	assert_int_equal(tool->paths[1].type, HPC_PATH_ENTRY_POINT);
	assert_true(hpc_str_endswith(z->meta_file, "conda-meta/zlib-1.2.13-h5eee18b_0.json"));
	hpc_condameta_fini(&m);
	free(p);
}

static void test_roundtrip(void **state)
{
	char *p = fixture(), *json, *json2, *ds;
	struct hpc_condameta m;
	struct hpc_prefix_record back;

	assert_int_equal(hpc_condameta_load(p, &m, NULL), 0);
	json = hpc_prefix_record_to_json(hpc_condameta_find(&m, "zlib"));
	assert_non_null(strstr(json, "\"channel\": \"https://repo.anaconda.com/pkgs/main/linux-64\""));
	assert_non_null(strstr(json, "\"files\": ["));
	assert_non_null(strstr(json, "\"type\": 1"));
	assert_int_equal(hpc_prefix_record_from_json(&back, json, strlen(json), "t", NULL), 0);
	json2 = hpc_prefix_record_to_json(&back);
	assert_string_equal(json, json2);
	ds = hpc_record_dist_str(&back.rec);
	assert_string_equal(ds, "pkgs/main/linux-64::zlib-1.2.13-h5eee18b_0");
	free(ds);
	ds = hpc_record_dist_str(&hpc_condameta_find(&m, "six")->rec);
	assert_string_equal(ds, "conda-forge/noarch::six-1.16.0-pyhd3eb1b0_1");
	free(ds);
	ds = hpc_channel_canonical("file:///tmp/chan/");
	assert_string_equal(ds, "file:///tmp/chan");
	free(ds);
	free(json);
	free(json2);
	hpc_prefix_record_fini(&back);
	hpc_condameta_fini(&m);
	free(p);
}

static void test_history(void **state)
{
	char *p = fixture(), *text;
	struct hpc_history h;
	struct hpc_strv added = HPC_STRV_INIT, removed = HPC_STRV_INIT, specs = HPC_STRV_INIT;
	struct hpc_history_change c = { .when = 0, .cmd = "hpcenv remove -n x --force zlib",
					.added = &added, .removed = &removed,
					.remove_specs = &specs };

	assert_int_equal(hpc_history_load(p, &h, NULL), 0);
	assert_int_equal(h.n, 2);
	assert_string_equal(h.revs[0].date, "2024-03-14 13:51:04");
	assert_true(hpc_str_endswith(h.revs[0].cmd, "create -n fixture zlib six"));
	assert_int_equal(h.revs[0].added.n, 2);
	assert_int_equal(h.revs[0].update_specs.n, 2);
	assert_string_equal(h.revs[0].update_specs.v[1], "six");
	assert_string_equal(h.revs[1].update_specs.v[0], "tool[version='>=0.1']");
	hpc_history_fini(&h);
	hpc_strv_push(&removed, "pkgs/main/linux-64::zlib-1.2.13-h5eee18b_0");
	hpc_strv_push(&added, "b::y-1-0");
	hpc_strv_push(&added, "a::x-1-0");
	hpc_strv_push(&specs, "zlib");
	text = hpc_history_format(&c);
	assert_true(hpc_str_startswith(text, "==> "));
	assert_non_null(strstr(text, " <==\n# cmd: hpcenv remove -n x --force zlib\n"));
	assert_non_null(strstr(text, "\n-pkgs/main/linux-64::zlib-1.2.13-h5eee18b_0\n+a::x-1-0\n"
				     "+b::y-1-0\n# remove specs: ['zlib']\n"));
	free(text);
	hpc_strv_fini(&added);
	hpc_strv_fini(&removed);
	hpc_strv_fini(&specs);
	free(p);
}

static void test_pinned_and_state(void **state)
{
	char *p = fixture();
	struct hpc_strv v = HPC_STRV_INIT;

	assert_int_equal(hpc_condameta_pinned(p, &v, NULL), 0);
	assert_int_equal(v.n, 2);
	assert_string_equal(v.v[0], "zlib 1.2.*");
	assert_string_equal(v.v[1], "six");
	hpc_strv_fini(&v);
	assert_int_equal(hpc_condameta_env_vars(p, &v, NULL), 0);
	assert_int_equal(v.n, 4);
	assert_string_equal(v.v[0], "FIXTURE_VAR");
	assert_string_equal(v.v[1], "from state");
	hpc_strv_fini(&v);
	free(p);
}

static void test_bad_records(void **state)
{
	char *d = tu_tmpdir();
	struct hpc_condameta m;
	struct hpc_error *e = NULL;

	tu_write(d, "conda-meta/x-1-0.json", "{\"name\": \"x\",\n \"version\": }");
	assert_int_equal(hpc_condameta_load(d, &m, &e), -HPC_E_PARSE);
	assert_err_contains(e, "conda-meta/x-1-0.json:2:");
	hpc_error_clear(&e);
	tu_write(d, "conda-meta/x-1-0.json", "{\"name\": \"x\", \"version\": \"1\", \"build\": \"0\", "
					     "\"files\": [\"../../etc/passwd\"]}");
	assert_int_equal(hpc_condameta_load(d, &m, &e), -HPC_E_UNSAFE);
	assert_err_contains(e, "../../etc/passwd");
	hpc_error_clear(&e);
	tu_write(d, "conda-meta/._x-1-0.json", "junk"); /* macOS resource fork: ignored */
	tu_write(d, "conda-meta/x-1-0.json", "{\"name\": \"x\", \"version\": \"1\", \"build\": \"0\"}");
	assert_int_equal(hpc_condameta_load(d, &m, NULL), 0);
	assert_int_equal(m.n, 1);
	hpc_condameta_fini(&m);
	tu_tmpdir_free(d);
	d = tu_tmpdir(); /* no conda-meta at all */
	assert_int_equal(hpc_condameta_load(d, &m, NULL), 0);
	assert_int_equal(m.n, 0);
	tu_tmpdir_free(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_load_conda_env),
		cmocka_unit_test(test_roundtrip),
		cmocka_unit_test(test_history),
		cmocka_unit_test(test_pinned_and_state),
		cmocka_unit_test(test_bad_records),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
