/* SPDX-License-Identifier: MIT */
/* solver_test.c - the declarative cases of tests/solver, and solves on real repodata */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "tu_case.h"
#include "tu_repo.h"

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every tests/solver/NAME.t, in process and in a child process. */
static void test_cases(void **state)
{
	const char *dir = HPCENV_SOURCE_DIR "/tests/solver";
	const char *only = getenv("SOLVER_CASE");
	struct hpc_strv files = HPC_STRV_INIT;
	DIR *d = opendir(dir);
	struct dirent *de;

	assert_non_null(d);
	while ((de = readdir(d)))
		if (hpc_str_endswith(de->d_name, ".t") && (!only || strstr(de->d_name, only)))
			hpc_strv_pushf(&files, "%s/%s", dir, de->d_name);
	closedir(d);
	assert_true(only || files.n >= 30);
	qsort(files.v, files.n, sizeof(char *), cmp_str);
	for (size_t i = 0; i < files.n; i++) {
		tu_case_run(files.v[i], 0);
		tu_case_run(files.v[i], 120);
	}
	hpc_strv_fini(&files);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cases),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
