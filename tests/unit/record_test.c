/* SPDX-License-Identifier: MIT */
/* record_test.c - records to and from repodata_record.json */
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

static const char rec_json[] =
	"{\"name\": \"zlib\", \"version\": \"1.2.11\", \"build\": \"h7b6447c_3\","
	" \"build_number\": 3, \"depends\": [\"libgcc-ng >=7.3.0\"],"
	" \"md5\": \"e3f7a1b2\", \"size\": 122456, \"timestamp\": 1542394236,"
	" \"subdir\": \"linux-64\", \"license\": \"Zlib\", \"arch\": \"x86_64\","
	" \"track_features\": \"a b\", \"noarch\": true, \"features\": \"\"}";

static void test_parse(void **state)
{
	struct hpc_record r;
	char *dist;

	assert_int_equal(hpc_record_from_json(&r, rec_json, strlen(rec_json), "t", NULL), 0);
	assert_string_equal(r.name, "zlib");
	assert_int_equal(r.build_number, 3);
	assert_int_equal(r.size, 122456);
	assert_true(r.timestamp == 1542394236000ULL); /* seconds scaled to ms */
	assert_int_equal(r.depends.n, 1);
	assert_int_equal(r.track_features.n, 2);
	assert_string_equal(r.noarch, "generic"); /* legacy boolean */
	assert_null(r.sha256);
	assert_non_null(strstr(r.extra_json, "\"arch\":\"x86_64\""));
	dist = hpc_record_dist(&r);
	assert_string_equal(dist, "zlib-1.2.11-h7b6447c_3");
	free(dist);
	hpc_record_fini(&r);
}

static void test_roundtrip_keeps_extra(void **state)
{
	struct hpc_record r, r2, r3;
	char *s, *s2;

	assert_int_equal(hpc_record_from_json(&r, rec_json, strlen(rec_json), "t", NULL), 0);
	free(r.url);
	r.url = hpc_xstrdup("https://x/linux-64/zlib-1.2.11-h7b6447c_3.tar.bz2");
	s = hpc_record_to_json(&r);
	assert_non_null(strstr(s, "\"arch\": \"x86_64\""));
	assert_non_null(strstr(s, "\"track_features\": \"a b\""));
	assert_int_equal(hpc_record_from_json(&r2, s, strlen(s), "t2", NULL), 0);
	hpc_record_copy(&r3, &r2);
	s2 = hpc_record_to_json(&r3);
	assert_string_equal(s, s2);
	free(s);
	free(s2);
	hpc_record_fini(&r);
	hpc_record_fini(&r2);
	hpc_record_fini(&r3);
}

static void test_errors(void **state)
{
	static const struct { const char *json, *want; } cases[] = {
		{ "{\"name\": \"x\", \"version\": \"1\"}", "f: record has no 'build'" },
		{ "{\"name\": 1, \"version\": \"1\", \"build\": \"0\"}", "'name' must be a string" },
		{ "{\"name\": \"x\", \"version\": \"1\", \"build\": \"0\", \"depends\": [1]}",
		  "'depends' item 0 is not a string" },
		{ "{\"name\": \"x\", \"version\": \"1\", \"build\": \"0\", \"size\": -3}",
		  "'size' must be a non-negative number" },
		{ "[1]", "a record must be a JSON object" },
		{ "{\"name\": ", "f:1:" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct hpc_record r;
		struct hpc_error *e = NULL;

		assert_int_equal(hpc_record_from_json(&r, cases[i].json, strlen(cases[i].json), "f",
						      &e),
				 -HPC_E_PARSE);
		assert_err_contains(e, cases[i].want);
		assert_null(r.name);
		hpc_error_free(e);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_roundtrip_keeps_extra),
		cmocka_unit_test(test_errors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
