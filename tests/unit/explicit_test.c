/* SPDX-License-Identifier: MIT */
/* explicit_test.c - @EXPLICIT lists with and without checksums, and their errors */
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

static void test_parse(void **state)
{
	const char *text =
		"# This file may be used to create an environment using:\n"
		"# $ conda create --name <env> --file <this file>\n"
		"# platform: linux-64\n"
		"@EXPLICIT\n"
		"https://conda.anaconda.org/conda-forge/linux-64/_libgcc_mutex-0.1-conda_forge.tar.bz2"
		"#d7c89558ba9fa0495403155b64376d81\n"
		"\n"
		"https://repo.anaconda.com/pkgs/main/noarch/six-1.16.0-pyhd3eb1b0_1.conda"
		"#sha256:1EB4F5C4C43EDDA1A11BB7B8C0A6E2B8F4D1C43B7D2A1B8A5E4C8F0D6A3E0C60\n"
		"file:///srv/my%20chan/linux-64/zlib-1.2.13-h5eee18b_0.conda\n"
		"/abs/path/py-lief-0.14.1-py311h4332511_1.conda #"
		"a1f2c6d3b4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f\n";
	struct hpc_explicit ex;

	assert_int_equal(hpc_explicit_parse(&ex, text, "env.txt", NULL), 0);
	assert_string_equal(ex.platform, "linux-64");
	assert_int_equal(ex.n, 4);
	assert_string_equal(ex.entries[0].rec.name, "_libgcc_mutex");
	assert_string_equal(ex.entries[0].rec.version, "0.1");
	assert_string_equal(ex.entries[0].rec.build, "conda_forge");
	assert_string_equal(ex.entries[0].rec.md5, "d7c89558ba9fa0495403155b64376d81");
	assert_string_equal(ex.entries[0].rec.channel, "https://conda.anaconda.org/conda-forge");
	assert_string_equal(ex.entries[0].rec.subdir, "linux-64");
	assert_null(ex.entries[0].path); /* a download */
	assert_int_equal(ex.entries[0].line, 5);
	assert_true(hpc_str_startswith(ex.entries[1].rec.sha256, "1eb4f5c4")); /* lower case */
	assert_string_equal(ex.entries[1].rec.subdir, "noarch");
	assert_string_equal(ex.entries[2].path, "/srv/my chan/linux-64/zlib-1.2.13-h5eee18b_0.conda");
	assert_string_equal(ex.entries[2].rec.url,
			    "file:///srv/my%20chan/linux-64/zlib-1.2.13-h5eee18b_0.conda");
	assert_string_equal(ex.entries[3].rec.name, "py-lief"); /* dashes in names */
	assert_string_equal(ex.entries[3].path, "/abs/path/py-lief-0.14.1-py311h4332511_1.conda");
	assert_string_equal(ex.entries[3].rec.url,
			    "file:///abs/path/py-lief-0.14.1-py311h4332511_1.conda");
	assert_int_equal(strlen(ex.entries[3].rec.sha256), 64);
	hpc_explicit_fini(&ex);
}

static void expect_error(const char *text, const char *msg)
{
	struct hpc_explicit ex;
	struct hpc_error *e = NULL;

	assert_int_equal(hpc_explicit_parse(&ex, text, "env.txt", &e), -HPC_E_PARSE);
	assert_err_contains(e, msg);
	hpc_error_free(e);
}

static void test_errors(void **state)
{
	expect_error("python=3.11\n", "env.txt:1: 'python=3.11' comes before the @EXPLICIT line");
	expect_error("# nothing\n", "env.txt: no @EXPLICIT line");
	expect_error("@EXPLICIT\nhttps://x/linux-64/a-1-0.conda\nhttps://x/linux-64/readme.txt\n",
		     "env.txt:3: 'https://x/linux-64/readme.txt' is not a package");
	expect_error("@EXPLICIT\nhttps://x/linux-64/a-1-0.conda#abc\n",
		     "env.txt:2: '#abc' is neither an md5 nor a sha256 checksum");
	expect_error("@EXPLICIT\nhttps://x/linux-64/nodashes.conda\n",
		     "env.txt:2: 'https://x/linux-64/nodashes.conda' is not a package file name");
}

static void test_real_lock_files(void **state)
{
	char *p = tu_shared("envs/pangeo-notebook.conda-linux-64.lock");
	struct hpc_explicit ex;
	size_t with_md5 = 0;

	assert_int_equal(hpc_explicit_load(&ex, p, NULL), 0);
	assert_int_equal(ex.n, 809);
	for (size_t i = 0; i < ex.n; i++)
		with_md5 += ex.entries[i].rec.md5 != NULL;
	assert_int_equal(with_md5, 809);
	hpc_explicit_fini(&ex);
	free(p);
	p = tu_shared("envs/lsst-scipipe.linux-64.lock"); /* no hashes, mixed channels */
	assert_int_equal(hpc_explicit_load(&ex, p, NULL), 0);
	assert_int_equal(ex.n, 284);
	assert_null(ex.entries[0].rec.md5);
	hpc_explicit_fini(&ex);
	free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_real_lock_files),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
