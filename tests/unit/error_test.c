/* SPDX-License-Identifier: MIT */
/* error_test.c - error objects and their cause chain */
#include <string.h>

#include "testutil.h"

static void test_fail_returns_negative_code(void **state)
{
	struct hpc_error *e = NULL;
	int r = HPC_FAIL(&e, PARSE, "bad '%s' at %d", "x", 3);

	assert_int_equal(r, -HPC_E_PARSE);
	assert_int_equal(hpc_error_code(e), HPC_E_PARSE);
	assert_string_equal(e->msg, "bad 'x' at 3");
	assert_non_null(strstr(e->file, "error_test.c"));
	hpc_error_free(e);
}

static void test_wrap_keeps_code_and_chains(void **state)
{
	struct hpc_error *e = NULL;
	int r = HPC_FAIL(&e, CHECKSUM, "sha256 mismatch");

	r = hpc_error_wrap(&e, r, "while fetching '%s'", "zlib");
	assert_int_equal(r, -HPC_E_CHECKSUM);
	assert_int_equal(e->code, HPC_E_CHECKSUM);
	assert_string_equal(e->msg, "while fetching 'zlib'");
	assert_string_equal(e->cause->msg, "sha256 mismatch");
	assert_ptr_equal(hpc_error_root(e), e->cause);
	hpc_error_clear(&e);
	assert_null(e);
}

static void test_wrap_without_error_creates_one(void **state)
{
	struct hpc_error *e = NULL;

	assert_int_equal(hpc_error_wrap(&e, -HPC_E_IO, "context"), -HPC_E_IO);
	assert_int_equal(e->code, HPC_E_IO);
	hpc_error_free(e);
}

static void test_null_err_is_allowed(void **state)
{
	assert_int_equal(HPC_FAIL(NULL, IO, "x"), -HPC_E_IO);
	assert_int_equal(hpc_error_wrap(NULL, -HPC_E_IO, "y"), -HPC_E_IO);
	hpc_error_free(NULL);
	assert_int_equal(hpc_error_code(NULL), 0);
}

static void test_names(void **state)
{
	assert_string_equal(hpc_errcode_name(HPC_E_SOLVE), "solve");
	assert_string_equal(hpc_errcode_name(-HPC_E_USAGE), "usage");
	assert_string_equal(hpc_errcode_name(9999), "unknown");
	assert_string_equal(hpc_errcode_text(HPC_E_CHECKSUM), "checksum mismatch");
}

static void test_bad_code_becomes_bug(void **state)
{
	struct hpc_error *e = NULL;

	assert_int_equal(hpc_error_set(&e, 12345, "f", "fn", 1, "x"), -HPC_E_BUG);
	hpc_error_free(e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fail_returns_negative_code),
		cmocka_unit_test(test_wrap_keeps_code_and_chains),
		cmocka_unit_test(test_wrap_without_error_creates_one),
		cmocka_unit_test(test_null_err_is_allowed),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_bad_code_becomes_bug),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
