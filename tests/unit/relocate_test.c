/* SPDX-License-Identifier: MIT */
/* relocate_test.c - text and binary placeholders, shebangs */
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

#define PH "/opt/anaconda1anaconda2anaconda3"

static void test_text(void **state)
{
	const char *pc = "prefix=" PH "\nlibdir=${prefix}/lib\nx=" PH PH "\n";
	size_t n;
	char *r = hpc_relocate_text(pc, strlen(pc), PH, "/envs/a", &n);

	assert_string_equal(r, "prefix=/envs/a\nlibdir=${prefix}/lib\nx=/envs/a/envs/a\n");
	assert_int_equal(n, strlen(r));
	free(r);
	assert_null(hpc_relocate_text("nothing\n", 8, PH, "/x", &n));
	/* any length: a prefix much longer than the placeholder is fine in text */
	{
		char longp[400];

		memset(longp, 'a', sizeof(longp) - 1);
		longp[0] = '/';
		longp[sizeof(longp) - 1] = '\0';
		r = hpc_relocate_text("a=" PH "\n", strlen("a=" PH "\n"), PH, longp, &n);
		assert_int_equal(n, strlen("a=\n") + strlen(longp));
		free(r);
	}
}

static void test_shebangs(void **state)
{
	const char *script = "#!" PH "/bin/python3.11 -E\nprint('" PH "')\n";
	char longp[200];
	size_t n;
	char *r = hpc_relocate_text(script, strlen(script), PH, "/envs/a", &n);

	assert_string_equal(r, "#!/envs/a/bin/python3.11 -E\nprint('/envs/a')\n");
	free(r);
	/* a shebang that would pass 127 bytes goes through /usr/bin/env */
	memset(longp, 'x', sizeof(longp) - 1);
	longp[0] = '/';
	longp[sizeof(longp) - 1] = '\0';
	r = hpc_relocate_text(script, strlen(script), PH, longp, &n);
	assert_true(hpc_str_startswith(r, "#!/usr/bin/env python3.11 -E\nprint('/xxx"));
	free(r);
	/* spaces cannot be passed on a shebang line */
	r = hpc_relocate_text(script, strlen(script), PH, "/my envs/a", &n);
	assert_string_equal(r, "#!/usr/bin/env python3.11 -E\nprint('/my envs/a')\n");
	free(r);
	assert_null(hpc_relocate_shebang("#!/bin/sh\n", 10, &n));
	assert_null(hpc_relocate_shebang("no shebang", 10, &n));
}

static void test_binary(void **state)
{
	/* make-packages' binary files: PH\0, PH/lib\0, PH/lib:PH/lib64\0 */
	char data[] = "ELF" PH "\0" PH "/lib\0" PH "/lib:" PH "/lib64\0tail";
	char copy[sizeof(data)];
	size_t count, plen = strlen(PH);
	struct hpc_error *e = NULL;

	memcpy(copy, data, sizeof(data));
	assert_int_equal(hpc_relocate_binary(data, sizeof(data), PH, "/e", &count, NULL), 0);
	assert_int_equal(count, 3);
	assert_string_equal(data, "ELF/e");
	assert_int_equal(data[5], '\0');
	assert_string_equal(data + 3 + plen + 1, "/e/lib");
	assert_string_equal(data + 3 + 2 * plen + 6, "/e/lib:/e/lib64");
	assert_memory_equal(data + sizeof(data) - 5, "tail", 5);
	/* too long: refused, nothing changed */
	memcpy(data, copy, sizeof(data));
	assert_int_equal(hpc_relocate_binary(data, sizeof(data), PH,
					     "/a/prefix/longer/than/the/placeholder", &count, &e),
			 -HPC_E_LINK);
	assert_err_contains(e, "longer than the package's binary placeholder");
	hpc_error_free(e);
	assert_memory_equal(data, copy, sizeof(data));
	assert_false(hpc_relocate_fits(PH, "/a/prefix/longer/than/the/placeholder"));
	assert_true(hpc_relocate_fits(PH, "/short"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_text),
		cmocka_unit_test(test_shebangs),
		cmocka_unit_test(test_binary),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
