/* SPDX-License-Identifier: MIT */
/* solution_test.c - what a solve returns: steps per package, link and unlink order,
 * omitted packages, records through the caller's source */
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "tu_repo.h"

#define REC(n, v, b, deps)                                                                  \
	"\"" n "-" v "-" b ".tar.bz2\": {\"name\": \"" n "\", \"version\": \"" v "\","           \
	" \"build\": \"" b "\", \"build_number\": 0, \"depends\": [" deps "]}"

static const char *const channel =
	"{\"info\": {\"subdir\": \"linux-64\"}, \"packages\": {" REC("a", "2.0", "h0", "") ","
	REC("b", "1.0", "h1", "") "," REC("c", "1.0", "h0", "") "," REC("e", "1.0", "h0", "") ","
	REC("f", "1.0", "h0", "\"lib\", \"__glibc >=2.17\"") "," REC("lib", "1.0", "h0", "") "}}";

static const char *const installed =
	"{\"packages\": {" REC("a", "1.0", "h0", "") "," REC("b", "1.0", "h0", "") ","
	REC("c", "2.0", "h0", "") "," REC("d", "1.0", "h0", "\"e\"") "," REC("e", "1.0", "h0", "")
	"}}";

static Pool *pool_with_env(void)
{
	Pool *pool = tu_pool_new();

	tu_repo_text(pool, channel, "https://conda.example/main/linux-64", 0);
	tu_set_installed(pool, tu_repo_text(pool, installed, "installed", 0));
	tu_virtual(pool, "2.36", NULL);
	return pool;
}

static const char *name_of(Pool *pool, Id p)
{
	return p ? pool_id2str(pool, pool->solvables[p].name) : "-";
}

static void test_steps(void **state)
{
	Pool *pool = pool_with_env();
	struct hpc_request rq;
	struct hpc_solution *sol = NULL;
	struct hpc_error *e = NULL;
	const char *specs[] = { "a", "b=1.0=h1", "c<2", "f" };
	static const enum hpc_action want[] = { HPC_ACT_UPGRADE, HPC_ACT_CHANGE,
						 HPC_ACT_DOWNGRADE, HPC_ACT_REMOVE,
						 HPC_ACT_INSTALL, HPC_ACT_INSTALL };
	static const char *const names[] = { "a", "b", "c", "d", "f", "lib" };
	char *s;

	hpc_request_init(&rq);
	for (int i = 0; i < 4; i++)
		assert_int_equal(hpc_request_add(&rq, HPC_JOB_INSTALL, specs[i], NULL, &e), 0);
	assert_int_equal(hpc_request_add(&rq, HPC_JOB_REMOVE, "d", NULL, &e), 0);
	rq.prune = false;
	if (hpc_solver_solve(pool, &rq, NULL, &sol, NULL, &e))
		fail_msg("%s", e->msg);
	assert_int_equal(sol->nsteps, 6);
	for (int i = 0; i < 6; i++) {
		const struct hpc_step *st = &sol->steps[i];

		assert_string_equal(name_of(pool, st->to ? st->to : st->from), names[i]);
		assert_int_equal(st->action, want[i]);
	}
	assert_string_equal(hpc_action_name(HPC_ACT_DOWNGRADE), "downgrade");
	assert_string_equal(hpc_action_name((enum hpc_action)99), "unknown");
	/* f's dependency first; the virtual __glibc never appears */
	s = tu_ids_str(pool, &sol->link);
	assert_string_equal(s, "a 2.0 h0\nb 1.0 h1\nc 1.0 h0\nlib 1.0 h0\nf 1.0 h0\n");
	free(s);
	s = tu_ids_str(pool, &sol->unlink);
	assert_string_equal(s, "a 1.0 h0\nb 1.0 h0\nc 2.0 h0\nd 1.0 h0\n");
	free(s);
	assert_int_equal(sol->omitted.count, 0);
	hpc_solution_free(sol);
	hpc_request_fini(&rq);
	tu_pool_free(pool);
}

static void test_force_reinstall(void **state)
{
	Pool *pool = pool_with_env();
	struct hpc_request rq;
	struct hpc_solution *sol = NULL;
	struct hpc_error *e = NULL;

	hpc_request_init(&rq);
	rq.force_reinstall = true;
	assert_int_equal(hpc_request_add(&rq, HPC_JOB_INSTALL, "e", NULL, &e), 0);
	if (hpc_solver_solve(pool, &rq, NULL, &sol, NULL, &e))
		fail_msg("%s", e->msg);
	assert_int_equal(sol->nsteps, 1);
	assert_int_equal(sol->steps[0].action, HPC_ACT_REINSTALL);
	assert_int_not_equal(sol->steps[0].from, sol->steps[0].to);
	assert_int_equal(pool->solvables[sol->steps[0].from].repo, pool->installed);
	hpc_solution_free(sol);
	hpc_request_fini(&rq);
	tu_pool_free(pool);
}

static void test_no_deps(void **state)
{
	Pool *pool = pool_with_env();
	struct hpc_request rq;
	struct hpc_solution *sol = NULL;
	struct hpc_error *e = NULL;

	hpc_request_init(&rq);
	rq.no_deps = true;
	assert_int_equal(hpc_request_add(&rq, HPC_JOB_INSTALL, "f", NULL, &e), 0);
	if (hpc_solver_solve(pool, &rq, NULL, &sol, NULL, &e))
		fail_msg("%s", e->msg);
	assert_int_equal(sol->link.count, 1);
	assert_string_equal(name_of(pool, sol->link.elements[0]), "f");
	assert_int_equal(sol->omitted.count, 1);
	assert_string_equal(name_of(pool, sol->omitted.elements[0]), "lib");
	hpc_solution_free(sol);
	hpc_request_fini(&rq);
	tu_pool_free(pool);
}

static int failing(void *ud, Pool *pool, Id p, struct hpc_record *r, struct hpc_error **err)
{
	if ((*(int *)ud)++ == 2)
		return HPC_FAIL(err, NOTFOUND, "no record for '%s'", pool_solvid2str(pool, p));
	return tu_record(NULL, pool, p, r, err);
}

static void test_records(void **state)
{
	Pool *pool = pool_with_env();
	struct hpc_solution *sol = NULL;
	struct hpc_error *e = NULL;
	struct hpc_record_source src = { tu_record, NULL };
	struct hpc_record *recs = NULL;
	size_t n = 0;
	int calls = 0;

	if (tu_solve(pool, "a;f", HPC_PRIORITY_FLEXIBLE, 0, &sol, NULL, &e))
		fail_msg("%s", e->msg);
	assert_int_equal(hpc_solution_records(sol, &sol->link, &src, &recs, &n, &e), 0);
	assert_int_equal(n, 3);
	assert_string_equal(recs[0].name, "a");
	assert_string_equal(recs[0].version, "2.0");
	assert_string_equal(recs[0].channel, "https://conda.example/main");
	assert_string_equal(recs[0].url, "https://conda.example/main/linux-64/a-2.0-h0.tar.bz2");
	assert_string_equal(recs[2].name, "f");
	assert_string_equal(recs[2].depends.v[1], "__glibc >=2.17");
	for (size_t i = 0; i < n; i++)
		hpc_record_fini(&recs[i]);
	free(recs);
	src.record = failing;
	src.ud = &calls;
	assert_int_equal(hpc_solution_records(sol, &sol->link, &src, &recs, &n, &e),
			 -HPC_E_NOTFOUND);
	assert_null(recs);
	assert_int_equal(n, 0);
	assert_string_equal(e->msg, "no record for 'f-1.0-h0'");
	hpc_error_clear(&e);
	hpc_solution_free(sol);
	hpc_solution_free(NULL);
	tu_pool_free(pool);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_steps),
		cmocka_unit_test(test_force_reinstall),
		cmocka_unit_test(test_no_deps),
		cmocka_unit_test(test_records),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
