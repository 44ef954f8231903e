/* SPDX-License-Identifier: MIT */
/* script_test.c - link scripts see conda's variables; messages and failures come back */
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

static void rec_init(struct hpc_record *r)
{
	hpc_record_init(r);
	r->name = hpc_xstrdup("pkg");
	r->version = hpc_xstrdup("1.2");
	r->build = hpc_xstrdup("h0_3");
	r->build_number = 3;
}

static void test_post_link(void **state)
{
	char *d = tu_tmpdir(), *msg = NULL, *out = NULL, *want, *outp;
	struct hpc_record r;

	rec_init(&r);
	assert_int_equal(hpc_script_run(d, d, "/root", &r, "post-link", &msg, NULL), 0);
	assert_null(msg); /* no script: nothing to do */
	tu_write(d, "bin/.pkg-post-link.sh",
		 "echo \"$PREFIX|$PKG_NAME|$PKG_VERSION|$PKG_BUILDNUM|$ROOT_PREFIX|$(pwd)\" > "
		 "\"$PREFIX/out\"\necho 'please read me' >> \"$PREFIX/.messages.txt\"\n");
	assert_int_equal(hpc_script_run(d, d, "/root", &r, "post-link", &msg, NULL), 0);
	assert_string_equal(msg, "please read me\n");
	outp = hpc_path_join(d, "out");
	assert_int_equal(hpc_file_read(outp, &out, NULL, NULL), 0);
	want = hpc_xasprintf("%s|pkg|1.2|3|/root|%s/bin\n", d, d);
	assert_string_equal(out, want);
	free(want);
	free(out);
	free(outp);
	free(msg);
	outp = hpc_path_join(d, ".messages.txt");
	assert_false(hpc_path_exists(outp)); /* shown once, then removed */
	free(outp);
	hpc_record_fini(&r);
	tu_tmpdir_free(d);
}

static void test_failure(void **state)
{
	char *d = tu_tmpdir();
	struct hpc_record r;
	struct hpc_error *e = NULL;

	rec_init(&r);
	tu_write(d, "bin/.pkg-pre-unlink.sh", "echo 'cannot go on: disk on fire'\nexit 4\n");
	assert_int_equal(hpc_script_run(d, d, NULL, &r, "pre-unlink", NULL, &e), -HPC_E_LINK);
	assert_err_contains(e, "pre-unlink script of 'pkg-1.2-h0_3' failed with status 4");
	assert_err_contains(e, "disk on fire");
	hpc_error_free(e);
	hpc_record_fini(&r);
	tu_tmpdir_free(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_post_link),
		cmocka_unit_test(test_failure),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
