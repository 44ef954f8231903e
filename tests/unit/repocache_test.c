/* SPDX-License-Identifier: MIT */
/* repocache_test.c - conda's cache names and state files, freshness, zstd */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>
#include <zstd.h>

#include "testutil.h"

static void test_names(void **state)
{
	char *n;
	struct hpc_repocache_entry e;

	/* values conda and mamba give (libmamba's test_cpp.cpp uses the first) */
	n = hpc_repocache_name("http://test.com/1234/", false);
	assert_string_equal(n, "302f0a61");
	free(n);
	n = hpc_repocache_name("https://conda.anaconda.org/conda-forge/linux-64", false);
	assert_string_equal(n, "497deca9");
	free(n);
	n = hpc_repocache_name("https://conda.anaconda.org/conda-forge/noarch/", false);
	assert_string_equal(n, "09cdf8bf");
	free(n);
	n = hpc_repocache_name("https://conda.anaconda.org/conda-forge/noarch", true);
	assert_string_equal(n, "09cdf8bf1");
	free(n);
	hpc_repocache_entry_init(&e, "/c", "https://conda.anaconda.org/conda-forge/noarch", false);
	assert_string_equal(e.json, "/c/09cdf8bf.json");
	assert_string_equal(e.state, "/c/09cdf8bf.info.json");
	assert_string_equal(e.solv, "/c/09cdf8bf.solv");
	hpc_repocache_entry_fini(&e);
}

static void test_dir(void **state)
{
	char *tmp = tu_tmpdir(), *ro = hpc_path_join(tmp, "ro"), *rw = hpc_path_join(tmp, "rw");
	char *yaml = hpc_xasprintf("pkgs_dirs: [%s, %s]\n", ro, rw), *dir = NULL, *want;
	struct hpc_config *cfg = hpc_config_new();
	struct hpc_error *e = NULL;

	assert_int_equal(hpc_mkdir_p(ro, 0555, NULL), 0);
	assert_int_equal(hpc_config_load_string(cfg, "rc", yaml, strlen(yaml), NULL, NULL), 0);
	assert_int_equal(hpc_repocache_dir(cfg, &dir, &e), 0);
	/* root writes anywhere; otherwise the read-only one is skipped */
	want = hpc_path_join(getuid() == 0 ? ro : rw, "cache");
	assert_string_equal(dir, want);
	assert_true(hpc_is_dir(dir));
	free(want);
	free(dir);
	hpc_config_free(cfg);
	free(yaml);
	free(ro);
	free(rw);
	tu_tmpdir_free(tmp);
}

static void test_state_round_trip(void **state)
{
	char *dir = tu_tmpdir();
	struct hpc_repocache_entry e;
	struct hpc_repocache_state st, back;
	json_t *o;

	hpc_repocache_entry_init(&e, dir, "https://h/c/linux-64", false);
	/* no state file: invalid, empty validators, zst unknown */
	hpc_repocache_state_load(&e, &st);
	assert_false(st.valid);
	assert_string_equal(st.etag, "");
	assert_int_equal(st.has_zst, -1);
	assert_true(hpc_repocache_try_zst(&st, time(NULL)));
	hpc_repocache_state_fini(&st);

	/* a state written by conda, with keys we do not use */
	tu_write(dir, strrchr(e.json, '/') + 1, "{}");
	tu_write(dir, strrchr(e.state, '/') + 1,
		 "{\"url\": \"https://h/c/linux-64/repodata.json.zst\","
		 " \"etag\": \"W/\\\"abc\\\"\","
		 " \"mod\": \"Mon, 01 Jan 2024 00:00:00 GMT\", \"cache_control\": \"public, "
		 "max-age=1200\", \"size\": 2, \"mtime_ns\": 1, \"refresh_ns\": 5,"
		 " \"has_zst\": {\"value\": false, \"last_checked\": \"2024-01-08T11:45:44.5Z\"},"
		 " \"has_jlap\": {\"value\": true}, \"jlap\": {\"iv\": \"00\"}}");
	hpc_repocache_state_load(&e, &st);
	assert_false(st.valid); /* mtime does not match the JSON */
	assert_string_equal(st.etag, "");
	assert_string_equal(st.url, "https://h/c/linux-64/repodata.json.zst");
	assert_int_equal(st.has_zst, 0);
	assert_int_equal(st.zst_checked, 1704714344);
	assert_true(hpc_repocache_try_zst(&st, time(NULL)));          /* long ago */
	assert_false(hpc_repocache_try_zst(&st, 1704714344 + 3600)); /* an hour later */

	free(st.etag);
	st.etag = hpc_xstrdup("\"new\"");
	free(st.cache_control);
	st.cache_control = hpc_xstrdup("max-age=60");
	st.refresh_ns = 1000;
	assert_int_equal(hpc_repocache_state_save(&e, &st, NULL), 0);
	hpc_repocache_state_load(&e, &back);
	assert_true(back.valid);
	assert_string_equal(back.etag, "\"new\"");
	assert_int_equal(back.size, 2);
	assert_int_equal(back.refresh_ns, 1000);
	hpc_repocache_state_fini(&back);
	o = json_load_file(e.state, 0, NULL);
	assert_true(json_is_object(json_object_get(o, "jlap")));
	assert_true(json_is_object(json_object_get(o, "has_jlap")));
	assert_string_equal(json_string_value(json_object_get(json_object_get(o, "has_zst"),
							      "last_checked")),
			    "2024-01-08T11:45:44Z");
	json_decref(o);

	/* the JSON changes size: the state no longer vouches for it */
	tu_write(dir, strrchr(e.json, '/') + 1, "{ }");
	hpc_repocache_state_load(&e, &back);
	assert_false(back.valid);
	assert_string_equal(back.etag, "");
	hpc_repocache_state_fini(&back);
	hpc_repocache_state_fini(&st);
	hpc_repocache_entry_fini(&e);
	tu_tmpdir_free(dir);
}

static void test_freshness(void **state)
{
	struct hpc_repocache_state st = { .valid = true, .refresh_ns = 100LL * 1000000000LL };
	int64_t t = 100LL * 1000000000LL;

	st.cache_control = "public, max-age=1200";
	assert_true(hpc_repocache_fresh(&st, 1, t + 1199LL * 1000000000LL));
	assert_false(hpc_repocache_fresh(&st, 1, t + 1201LL * 1000000000LL));
	assert_false(hpc_repocache_fresh(&st, 0, t + 1));             /* always revalidate */
	assert_true(hpc_repocache_fresh(&st, 5000, t + 4000LL * 1000000000LL)); /* seconds */
	assert_false(hpc_repocache_fresh(&st, 5000, t + 6000LL * 1000000000LL));
	st.cache_control = "no-cache";
	assert_false(hpc_repocache_fresh(&st, 1, t + 1));
	st.cache_control = "max-age=60";
	st.valid = false;
	assert_false(hpc_repocache_fresh(&st, 1, t + 1));
}

static void test_unzstd(void **state)
{
	char *dir = tu_tmpdir(), *src = hpc_path_join(dir, "r.zst"), *dst = hpc_path_join(dir, "r");
	const char *text = "{\"packages\": {}}\n";
	char buf[256], *back = NULL;
	size_t n = ZSTD_compress(buf, sizeof(buf), text, strlen(text), 3);
	struct hpc_error *e = NULL;
	FILE *f;

	assert_false(ZSTD_isError(n));
	f = fopen(src, "wb");
	fwrite(buf, 1, n, f);
	fclose(f);
	assert_int_equal(hpc_repocache_unzstd(src, dst, "https://h/x.zst", &e), 0);
	assert_int_equal(hpc_file_read(dst, &back, NULL, NULL), 0);
	assert_string_equal(back, text);
	free(back);

	/* cut short: an error naming the URL, and the old file stays */
	assert_int_equal(truncate(src, (off_t)n - 4), 0);
	assert_int_equal(hpc_repocache_unzstd(src, dst, "https://h/x.zst", &e), -HPC_E_PARSE);
	assert_err_contains(e, "'https://h/x.zst': truncated zstd data");
	hpc_error_clear(&e);
	tu_write(dir, "r.zst", "not zstd at all");
	assert_int_equal(hpc_repocache_unzstd(src, dst, "https://h/x.zst", &e), -HPC_E_PARSE);
	assert_err_contains(e, "corrupt zstd data");
	hpc_error_clear(&e);
	assert_int_equal(hpc_file_read(dst, &back, NULL, NULL), 0);
	assert_string_equal(back, text);
	free(back);
	free(src);
	free(dst);
	tu_tmpdir_free(dir);
}

static void test_solv_key(void **state)
{
	char *dir = tu_tmpdir(), *json = hpc_path_join(dir, "x.json"), *k1, *k2, *k3;
	struct timespec ts[2] = { { 1000, 0 }, { 1000, 0 } };

	tu_write(dir, "x.json", "{}");
	k1 = hpc_repocache_solv_key("https://h/c/noarch", json, false);
	assert_non_null(strstr(k1, "size=2\n"));
	assert_non_null(strstr(k1, "url=https://h/c/noarch\n"));
	utimensat(AT_FDCWD, json, ts, 0);
	k2 = hpc_repocache_solv_key("https://h/c/noarch", json, false);
	assert_string_not_equal(k1, k2); /* a touched file is not the indexed one */
	k3 = hpc_repocache_solv_key("https://h/c/noarch", json, true);
	assert_string_not_equal(k2, k3);
	free(k1);
	free(k2);
	free(k3);
	free(json);
	tu_tmpdir_free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_dir),
		cmocka_unit_test(test_state_round_trip),
		cmocka_unit_test(test_freshness),
		cmocka_unit_test(test_unzstd),
		cmocka_unit_test(test_solv_key),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
