/* SPDX-License-Identifier: MIT */
/* digest_test.c - md5/sha256 against known values and real package files */
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

static void test_known_vectors(void **state)
{
	struct hpc_digest *d = hpc_digest_new(HPC_DIGEST_MD5 | HPC_DIGEST_SHA256);
	char md5[HPC_MD5_HEX], sha[HPC_SHA256_HEX];

	hpc_digest_update(d, "ab", 2);
	hpc_digest_update(d, "c", 1);
	assert_int_equal(hpc_digest_bytes(d), 3);
	hpc_digest_final(d, md5, sha);
	assert_string_equal(md5, "900150983cd24fb0d6963f7d28e17f72");
	assert_string_equal(sha, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	/* reusable after final */
	hpc_digest_final(d, md5, NULL);
	assert_string_equal(md5, "d41d8cd98f00b204e9800998ecf8427e");
	hpc_digest_free(d);
	d = hpc_digest_new(HPC_DIGEST_SHA256);
	hpc_digest_final(d, md5, sha);
	assert_string_equal(md5, ""); /* not asked for */
	hpc_digest_free(d);
	hpc_digest_sha256_buf("abc", 3, sha);
	assert_string_equal(sha, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

static void test_file(void **state)
{
	char *p = tu_shared("packages/zlib-1.2.11-h7b6447c_3.conda");
	char sha[HPC_SHA256_HEX];
	uint64_t size = 0;
	struct hpc_error *e = NULL;

	/* SOURCES.md gives the size and sha256 of every real package */
	assert_int_equal(hpc_digest_file(p, NULL, sha, &size, NULL), 0);
	assert_string_equal(sha, "f33afff2144e1d6c4cf2e3e184937db8bf825b4537df74662aea5ee207b6a31b");
	assert_int_equal(size, 105917);
	free(p);
	assert_int_equal(hpc_digest_file("/nonexistent/x", NULL, sha, NULL, &e), -HPC_E_NOTFOUND);
	assert_err_contains(e, "/nonexistent/x");
	hpc_error_free(e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_known_vectors),
		cmocka_unit_test(test_file),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
