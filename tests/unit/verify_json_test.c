/* SPDX-License-Identifier: MIT */
/* verify_json_test.c - the JSON document: every section present, nulls for what is absent */
#include <stdlib.h>
#include <string.h>

#include "verify_sample.h"

static void test_json(void **state)
{
	struct hpc_verify *v = sample();
	char *s = hpc_verify_report_json(v);
	json_error_t je;
	json_t *o = json_loads(s, 0, &je), *b;

	assert_non_null(o);
	assert_string_equal(json_string_value(json_object_get(o, "schema")), "hpcenv-verify/1");
	assert_string_equal(json_string_value(json_object_get(o, "status")), "fail");
	assert_string_equal(json_string_value(json_object_get(json_object_get(o, "target"),
							      "prefix")), "/opt/env");
	assert_int_equal(json_array_size(json_object_get(o, "bench")), 6);
	b = json_array_get(json_object_get(o, "bench"), 5);
	assert_true(json_is_null(json_object_get(b, "median")));
	assert_non_null(json_string_value(json_object_get(b, "skipped")));
	b = json_array_get(json_object_get(o, "bench"), 3);
	assert_false(json_is_true(json_object_get(b, "ok")));
	assert_true(json_real_value(json_object_get(b, "spread")) > 0.29);
	assert_string_equal(json_string_value(json_object_get(
				    json_object_get(json_object_get(o, "blas"), "env"),
				    "OPENBLAS_CORETYPE")),
			    "Haswell");
	/* sections that did not run are null, never missing */
	assert_true(json_is_null(json_object_get(o, "references")));
	assert_true(json_is_null(json_object_get(o, "coretype_cost")));
	assert_non_null(json_object_get(o, "mpi"));
	assert_int_equal(json_array_size(json_object_get(o, "findings")), 2);
	assert_int_equal(json_array_size(json_object_get(o, "checks")), 4);
	json_decref(o);
	free(s);
	hpc_verify_free(v);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_json),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
