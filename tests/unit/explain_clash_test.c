/* SPDX-License-Identifier: MIT */
/* explain_clash_test.c - the conflict nodes: who clashes, why, with what, for which builds */
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "tu_repo.h"

#define REC(n, v, b, extra)                                                                 \
	"\"" n "-" v "-" b ".tar.bz2\": {\"name\": \"" n "\", \"version\": \"" v "\","           \
	" \"build\": \"" b "\", \"build_number\": 0, \"depends\": []" extra "}"
#define CH(recs) "{\"info\": {\"subdir\": \"linux-64\"}, \"packages\": {" recs "}}"

/* The first conflict node with that reason, depth first. */
static const struct hpc_pnode *conflict(const struct hpc_pnode *n, enum hpc_conflict reason)
{
	const struct hpc_pnode *r = NULL;

	if (n->kind == HPC_PN_CONFLICT && n->reason == reason)
		return n;
	for (size_t i = 0; i < n->nkids && !r; i++)
		r = conflict(n->kids[i], reason);
	return r;
}

static struct hpc_problems *solve_fail(Pool *pool, struct hpc_request *rq)
{
	struct hpc_problems *pb = NULL;
	struct hpc_error *e = NULL;

	assert_int_equal(hpc_solver_solve(pool, rq, NULL, NULL, &pb, &e), -HPC_E_SOLVE);
	hpc_error_free(e);
	hpc_request_fini(rq);
	return pb;
}

static struct hpc_problems *fail_specs(Pool *pool, const char *a, const char *b,
				       enum hpc_job_kind bkind, enum hpc_channel_priority prio)
{
	struct hpc_request rq;

	hpc_request_init(&rq);
	rq.priority = prio;
	assert_int_equal(hpc_request_add(&rq, HPC_JOB_INSTALL, a, "cli", NULL), 0);
	if (b)
		assert_int_equal(hpc_request_add(&rq, bkind, b, "rc", NULL), 0);
	return solve_fail(pool, &rq);
}

static void test_same_name(void **state)
{
	Pool *pool = tu_pool_new();
	struct hpc_problems *pb;
	const struct hpc_pnode *c;

	tu_repo_text(pool, CH(REC("python", "3.9.18", "h0", "") ","
			      REC("python", "3.9.19", "h0", "") ","
			      REC("python", "3.10.14", "h0", "")),
		     "https://conda.example/main/linux-64", 0);
	pb = fail_specs(pool, "python=3.9", "python=3.10", HPC_JOB_INSTALL, HPC_PRIORITY_FLEXIBLE);
	c = conflict(pb->v[0].roots[0], HPC_CONFLICT_SAME_NAME);
	assert_non_null(c);
	assert_string_equal(c->with, "python 3.10.14 h0");
	assert_string_equal(c->text, "conflicts with python 3.10.14 h0 (needed by python=3.10): "
				     "only one python can be installed");
	assert_int_equal(c->needed_by_builds, 0);
	c = conflict(pb->v[0].roots[1], HPC_CONFLICT_SAME_NAME);
	assert_string_equal(c->with, "python 3.9.18 - 3.9.19 (2 builds)");
	hpc_problems_free(pb);
	tu_pool_free(pool);
}

static void test_constrains(void **state)
{
	Pool *pool = tu_pool_new();
	struct hpc_problems *pb;
	const struct hpc_pnode *c;

	tu_repo_text(pool, CH(REC("foo", "1.0", "h0", "") "," REC("foo", "2.0", "h0", "") ","
			      REC("app", "1.0", "h0", ", \"constrains\": [\"foo <2\"]")),
		     "https://conda.example/main/linux-64", 0);
	pb = fail_specs(pool, "app", "foo=2", HPC_JOB_INSTALL, HPC_PRIORITY_FLEXIBLE);
	c = conflict(pb->v[0].roots[0], HPC_CONFLICT_CONSTRAINS);
	assert_string_equal(c->text,
			    "constrains foo <2, which rules out foo 2.0 h0 (needed by foo=2)");
	assert_string_equal(c->with, "foo 2.0 h0");
	c = conflict(pb->v[0].roots[1], HPC_CONFLICT_CONSTRAINS);
	assert_string_equal(c->text,
			    "ruled out by app 1.0 h0 (needed by app), which constrains foo <2");
	assert_string_equal(c->with, "app 1.0 h0");
	hpc_problems_free(pb);
	tu_pool_free(pool);
}

static void test_strict(void **state)
{
	Pool *pool = tu_pool_new();
	struct hpc_problems *pb;
	const struct hpc_pnode *c;

	tu_repo_text(pool, CH(REC("foo", "1.0", "h0", ", \"depends\": [\"gone\"]")),
		     "https://conda.anaconda.org/first/linux-64", 2);
	tu_repo_text(pool, CH(REC("foo", "2.0", "h0", "")),
		     "https://conda.anaconda.org/second/linux-64", 1);
	pb = fail_specs(pool, "foo", NULL, HPC_JOB_INSTALL, HPC_PRIORITY_STRICT);
	c = conflict(pb->v[0].roots[0], HPC_CONFLICT_STRICT);
	assert_string_equal(c->with, "first");
	assert_string_equal(c->text, "excluded by strict channel priority: foo is also in first, "
				     "which comes first");
	assert_int_equal(c->needed_by_builds, 1);
	assert_string_equal(c->needed_by.v[0], "2.0");
	hpc_problems_free(pb);
	tu_pool_free(pool);
}

static void test_pin(void **state)
{
	Pool *pool = tu_pool_new();
	struct hpc_problems *pb;
	const struct hpc_pnode *c;

	tu_repo_text(pool, CH(REC("foo", "1.0", "h0", "") "," REC("foo", "2.0", "h0", "")),
		     "https://conda.example/main/linux-64", 0);
	pb = fail_specs(pool, "foo=2", "foo 1.*", HPC_JOB_PIN, HPC_PRIORITY_FLEXIBLE);
	c = conflict(pb->v[0].roots[0], HPC_CONFLICT_PINNED);
	assert_string_equal(c->text, "ruled out by pin foo 1.* (rc)");
	assert_string_equal(c->with, "foo 1.*");
	assert_string_equal(pb->v[0].relax.v[0], "foo=2 (cli)");
	assert_string_equal(pb->v[0].relax.v[1], "pin foo 1.* (rc)");
	hpc_problems_free(pb);
	tu_pool_free(pool);
}

static void test_frozen(void **state)
{
	Pool *pool = tu_pool_new();
	struct hpc_request rq;
	struct hpc_problems *pb;
	const struct hpc_pnode *c;

	tu_repo_text(pool, CH(REC("foo", "2.0", "h0", "") "," REC("bar", "1.0", "h0",
								  ", \"depends\": [\"foo >=2\"]")),
		     "https://conda.example/main/linux-64", 0);
	tu_set_installed(pool, tu_repo_text(pool, CH(REC("foo", "1.0", "h0", "")), "installed", 0));
	hpc_request_init(&rq);
	rq.freeze_installed = true;
	assert_int_equal(hpc_request_add(&rq, HPC_JOB_INSTALL, "bar", NULL, NULL), 0);
	pb = solve_fail(pool, &rq);
	c = conflict(pb->v[0].roots[0], HPC_CONFLICT_SAME_NAME);
	assert_string_equal(c->text, "conflicts with foo 1.0 h0 (installed, kept by "
				     "--freeze-installed): only one foo can be installed");
	assert_true(hpc_strv_contains(&pb->v[0].relax, "--freeze-installed"));
	hpc_problems_free(pb);
	/* removing a frozen package */
	hpc_request_init(&rq);
	rq.freeze_installed = true;
	assert_int_equal(hpc_request_add(&rq, HPC_JOB_REMOVE, "foo", NULL, NULL), 0);
	pb = solve_fail(pool, &rq);
	assert_string_equal(pb->v[0].summary, "cannot remove foo");
	c = conflict(pb->v[0].roots[0], HPC_CONFLICT_LOCKED);
	assert_string_equal(c->text, "installed packages may not change (--freeze-installed)");
	assert_int_equal(pb->v[0].roots[0]->kids[0]->kind, HPC_PN_INSTALLED);
	assert_string_equal(pb->v[0].roots[0]->kids[0]->channels.v[0],
			    "https://conda.anaconda.org/conda-forge");
	hpc_problems_free(pb);
	tu_pool_free(pool);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_same_name),
		cmocka_unit_test(test_constrains),
		cmocka_unit_test(test_strict),
		cmocka_unit_test(test_pin),
		cmocka_unit_test(test_frozen),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
