/* SPDX-License-Identifier: MIT */
/* explain_test.c - how libsolv's problem rules become the tree: shared groups explained
 * once, the node budget, independent problems, the JSON of a real problem */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "tu_repo.h"

static char *explain(Pool *pool, const char *specs, struct hpc_problems **keep)
{
	struct hpc_problems *pb = NULL;
	struct hpc_error *e = NULL;
	char *t;

	assert_int_equal(tu_solve(pool, specs, HPC_PRIORITY_FLEXIBLE, 0, NULL, &pb, &e),
			 -HPC_E_SOLVE);
	hpc_error_free(e);
	t = hpc_problems_render_text(pb, HPC_RENDER_ASCII);
	if (keep)
		*keep = pb;
	else
		hpc_problems_free(pb);
	return t;
}

#define REC(n, v, deps)                                                                     \
	"\"" n "-" v "-0.tar.bz2\": {\"name\": \"" n "\", \"version\": \"" v "\", \"build\": "  \
	"\"0\", \"build_number\": 0, \"depends\": [" deps "]}"

/* x's two builds reach lib 2.0 two ways (directly, through q): explained once */
static void test_see_above(void **state)
{
	Pool *pool = tu_pool_new();
	char *t;

	tu_repo_text(pool, "{\"info\": {\"subdir\": \"linux-64\"}, \"packages\": {"
		     REC("x", "1", "\"p\"") "," REC("p", "1", "\"lib >=2\"") ","
		     REC("p", "2", "\"q\"") "," REC("q", "1", "\"lib >=2\"") ","
		     REC("lib", "2.0", "\"m\"") "}}", "https://conda.example/main/linux-64", 0);
	t = explain(pool, "x", NULL);
	assert_string_equal(t,
		"problem: cannot install x\n"
		"x (command line)\n"
		"`- x 1 0 (https://conda.example/main)\n"
		"   `- requires p\n"
		"      `- p 1 - 2 (2 builds, https://conda.example/main)\n"
		"         |- 1 build (1) requires lib >=2\n"
		"         |  `- lib 2.0 0 (https://conda.example/main)\n"
		"         |     `- requires m, which is not available in any configured channel\n"
		"         `- 1 build (2) requires q\n"
		"            `- q 1 0 (https://conda.example/main)\n"
		"               `- requires lib >=2\n"
		"                  `- lib 2.0 0, explained above\n"
		"channels searched: https://conda.example/main\n"
		"relax: x (command line)\n");
	free(t);
	tu_pool_free(pool);
}

/* x's 300 builds each need a package that needs something missing: the tree stops
 * growing at its budget and says so once */
static void test_budget(void **state)
{
	Pool *pool = tu_pool_new();
	json_t *pkgs = json_object(), *rd;
	char *t, *more;

	for (int i = 0; i < 300; i++) {
		char *dfn = hpc_xasprintf("d%03d-1-0.tar.bz2", i), *d = hpc_xasprintf("d%03d", i);
		char *xfn = hpc_xasprintf("x-%d-0.tar.bz2", i + 1);
		char *xv = hpc_xasprintf("%d", i + 1);
		char *m = hpc_xasprintf("m%03d", i);

		json_object_set_new(pkgs, dfn, json_pack("{s:s,s:s,s:s,s:i,s:[s]}", "name", d,
							 "version", "1", "build", "0",
							 "build_number", 0, "depends", m));
		json_object_set_new(pkgs, xfn, json_pack("{s:s,s:s,s:s,s:i,s:[s]}", "name", "x",
							 "version", xv, "build", "0",
							 "build_number", 0, "depends", d));
		free(dfn);
		free(d);
		free(xfn);
		free(xv);
		free(m);
	}
	rd = json_pack("{s:{s:s},s:o}", "info", "subdir", "linux-64", "packages", pkgs);
	tu_repo_json(pool, rd, "https://conda.example/main/linux-64", 0);
	json_decref(rd);
	t = explain(pool, "x", NULL);
	more = strstr(t, "(more causes, not shown)");
	assert_non_null(more);
	assert_null(strstr(more + 1, "(more causes, not shown)"));
	assert_non_null(strstr(t, "`- x 1 - 300 (300 builds, https://conda.example/main)\n"));
	assert_non_null(strstr(t, "requires m000, which is not available"));
	assert_null(strstr(t, "m299"));
	free(t);
	tu_pool_free(pool);
}

/* two requests failing for unrelated reasons are two problems */
static void test_independent(void **state)
{
	Pool *pool = tu_pool_new();
	struct hpc_problems *pb = NULL;
	char *t;

	tu_repo_text(pool, "{\"info\": {\"subdir\": \"linux-64\"}, \"packages\": {"
		     REC("a", "1", "\"nope\"") "," REC("b", "1", "\"neither\"") "}}",
		     "https://conda.example/main/linux-64", 0);
	t = explain(pool, "a;b", &pb);
	assert_int_equal(pb->n, 2);
	assert_true(hpc_str_startswith(t, "problem 1 of 2: cannot install a\n"));
	assert_non_null(strstr(t, "\n\nproblem 2 of 2: cannot install b\n"));
	free(t);
	hpc_problems_free(pb);
	tu_pool_free(pool);
}

/* The JSON of a real problem: pytorch's CPU builds and conda-forge's python. */
static void test_json_real(void **state)
{
	Pool *pool = tu_pool_new();
	struct hpc_problems *pb = NULL, *back = NULL;
	struct hpc_error *e = NULL;
	json_t *j, *pk, *kid, *j2;
	size_t i;
	bool python = false;

	tu_repo_file(pool, "repodata/pytorch-linux-64-2023.json",
		     "https://conda.anaconda.org/pytorch/linux-64", 2);
	tu_repo_file(pool, "repodata/conda-forge-subset-py39-linux-64-2024.json",
		     "https://conda.anaconda.org/conda-forge/linux-64", 1);
	free(explain(pool, "pytorch=2.1.0", &pb));
	j = hpc_problems_to_json(pb);
	pk = json_array_get(json_object_get(json_array_get(json_object_get(
		json_array_get(json_object_get(j, "problems"), 0), "tree"), 0), "children"), 0);
	assert_string_equal(json_string_value(json_object_get(pk, "kind")), "packages");
	assert_string_equal(json_string_value(json_object_get(pk, "name")), "pytorch");
	assert_int_equal(json_integer_value(json_object_get(pk, "builds")), 12);
	json_array_foreach(json_object_get(pk, "children"), i, kid) {
		json_t *leaf = json_array_get(json_object_get(kid, "children"), 0);

		if (strcmp(json_string_value(json_object_get(kid, "name")), "python"))
			continue;
		python = true;
		assert_int_equal(json_integer_value(json_object_get(kid, "needed_by_builds")), 9);
		assert_string_equal(json_string_value(json_object_get(leaf, "kind")), "missing");
		assert_string_equal(json_string_value(json_object_get(leaf, "available")),
				    "python 3.9.0 - 3.9.19 (50 builds, conda-forge)");
	}
	assert_true(python);
	assert_int_equal(hpc_problems_from_json(j, &back, &e), 0);
	j2 = hpc_problems_to_json(back);
	assert_true(json_equal(j, j2));
	json_decref(j);
	json_decref(j2);
	hpc_problems_free(back);
	hpc_problems_free(pb);
	tu_pool_free(pool);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_see_above),
		cmocka_unit_test(test_budget),
		cmocka_unit_test(test_independent),
		cmocka_unit_test(test_json_real),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
