/* SPDX-License-Identifier: MIT */
/* select_test.c - MatchSpecs in a libsolv pool loaded with repo_add_conda from the real
 * repodata of shared/data, checked against the JSON itself; and MatchSpec dependencies
 * inside real solves */
#include <jansson.h>
#include <solv/evr.h>
#include <solv/repo.h>
#include <solv/repo_conda.h>
#include <solv/solver.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

#define CF "https://conda.anaconda.org/conda-forge"
#define PT "https://conda.anaconda.org/pytorch"

static Repo *load(Pool *pool, const char *rel, const char *subdir_url)
{
	char *path = tu_shared(rel);
	FILE *f = fopen(path, "r");
	Repo *repo = repo_create(pool, subdir_url);

	if (!f || repo_add_conda(repo, f, 0))
		fail_msg("%s: %s", path, pool_errstr(pool));
	fclose(f);
	free(path);
	return repo;
}

static Pool *new_pool(void)
{
	Pool *pool = pool_create();

	pool_setdisttype(pool, DISTTYPE_CONDA);
	return pool;
}

/* ---- the oracle: the repodata JSON read directly ---- */

typedef bool (*pred_fn)(json_t *rec, const char *fn, void *ud);

/* Records as repo_add_conda keeps them: a .conda replaces the .tar.bz2 of the same stem. */
static size_t count_json(const char *rel, pred_fn pred, void *ud)
{
	char *path = tu_shared(rel);
	json_t *root = json_load_file(path, 0, NULL), *conda, *tar, *rec;
	const char *fn;
	size_t n = 0;

	assert_non_null(root);
	conda = json_object_get(root, "packages.conda");
	tar = json_object_get(root, "packages");
	json_object_foreach(conda, fn, rec)
		n += pred(rec, fn, ud);
	json_object_foreach(tar, fn, rec) {
		char *stem = hpc_xasprintf("%.*s.conda", (int)(strlen(fn) - 8), fn);

		if (!json_object_get(conda, stem))
			n += pred(rec, fn, ud);
		free(stem);
	}
	json_decref(root);
	free(path);
	return n;
}

static const char *js(json_t *rec, const char *key)
{
	const char *s = json_string_value(json_object_get(rec, key));

	return s ? s : "";
}

static size_t sel_count(Pool *pool, const char *spec)
{
	struct hpc_error *e = NULL;
	struct hpc_matchspec *ms = hpc_matchspec_parse(spec, &e);
	Queue q;
	size_t n;

	if (!ms)
		fail_msg("%s", e->msg);
	queue_init(&q);
	hpc_matchspec_select(pool, ms, &q);
	for (int i = 1; i < q.count; i++)
		assert_true(q.elements[i - 1] < q.elements[i]);
	n = (size_t)q.count;
	queue_free(&q);
	hpc_matchspec_free(ms);
	return n;
}

static bool python_cpython(json_t *r, const char *fn, void *ud)
{
	return !strcmp(js(r, "name"), "python") && hpc_str_endswith(js(r, "build"), "_cpython");
}

static bool pytorch_cpu(json_t *r, const char *fn, void *ud)
{
	return !strcmp(js(r, "name"), "pytorch") && strstr(js(r, "build"), "cpu");
}

static bool numpy_ge(json_t *r, const char *fn, void *ud)
{
	Pool *pool = ud; /* libsolv's own order as the oracle for plain versions */

	return !strcmp(js(r, "name"), "numpy") &&
	       pool_evrcmp_str(pool, js(r, "version"), "1.26", EVRCMP_COMPARE) >= 0;
}

static bool bsd_license(json_t *r, const char *fn, void *ud)
{
	return !strncasecmp(js(r, "license"), "bsd", 3);
}

static bool python_bn(json_t *r, const char *fn, void *ud)
{
	return !strcmp(js(r, "name"), "python") &&
	       json_integer_value(json_object_get(r, "build_number")) >= 1;
}

static bool py_glob(json_t *r, const char *fn, void *ud)
{
	return !strncmp(js(r, "name"), "py", 2) &&
	       (!strcmp(js(r, "version"), "3.9") || !strncmp(js(r, "version"), "3.9.", 4));
}

#define CF64 "repodata/conda-forge-subset-py39-linux-64-2024.json"
#define CFNA "repodata/conda-forge-subset-py39-noarch-2024.json"
#define PT64 "repodata/pytorch-linux-64-2023.json"
#define NP64 "repodata/conda-forge-numpy-linux-64-2024.json"

static void test_select_real_data(void **state)
{
	Pool *pool = new_pool();
	size_t n;

	load(pool, CF64, CF "/linux-64");
	load(pool, CFNA, CF "/noarch");
	load(pool, PT64, PT "/linux-64");
	pool_createwhatprovides(pool);

	n = count_json(CF64, python_cpython, NULL);
	assert_true(n > 10);
	assert_int_equal(sel_count(pool, "conda-forge::python[build=*_cpython]"), n);
	assert_int_equal(sel_count(pool, "conda-forge/linux-64::python[build=*_cpython]"), n);
	assert_int_equal(sel_count(pool, "conda-forge/noarch::python[build=*_cpython]"), 0);
	assert_int_equal(sel_count(pool, "pytorch::python[build=*_cpython]"), 0);
	assert_int_equal(sel_count(pool, "python[build=*_cpython]"), n);

	n = count_json(PT64, pytorch_cpu, NULL);
	assert_true(n > 5);
	assert_int_equal(sel_count(pool, "pytorch[build=*cpu*]"), n);
	assert_int_equal(sel_count(pool, "pytorch::pytorch[build=*cpu*]"), n);
	assert_int_equal(sel_count(pool, PT "::pytorch[build=*cpu*]"), n);
	assert_int_equal(sel_count(pool, "conda-forge::pytorch[build=*cpu*]"), 0);

	n = count_json(PT64, bsd_license, NULL) + count_json(CF64, bsd_license, NULL) +
	    count_json(CFNA, bsd_license, NULL);
	assert_int_equal(sel_count(pool, "*[license='BSD*']"), n);
	assert_int_equal(sel_count(pool, "*[track_features=nccl2]"), 2);
	assert_int_equal(sel_count(pool, "*[track_features=cuda92]"), 1);
	assert_int_equal(sel_count(pool, "python[build_number='>=1']"),
			 count_json(CF64, python_bn, NULL));
	assert_int_equal(sel_count(pool, "py*[version='3.9.*']"),
			 count_json(CF64, py_glob, NULL) + count_json(CFNA, py_glob, NULL) +
				 count_json(PT64, py_glob, NULL));
	assert_int_equal(sel_count(pool, "*[features=x]"), 0); /* not in a pool */
	pool_free(pool);
}

/* One record of a file, looked up by its exact md5, sha256, fn and url. */
static void test_select_exact_keys(void **state)
{
	Pool *pool = new_pool();
	char *path = tu_shared(NP64), *spec;
	json_t *root = json_load_file(path, 0, NULL), *rec;
	const char *fn;

	load(pool, NP64, CF "/linux-64");
	pool_createwhatprovides(pool);
	json_object_foreach(json_object_get(root, "packages.conda"), fn, rec) {
		spec = hpc_xasprintf("*[md5=%s]", js(rec, "md5"));
		assert_int_equal(sel_count(pool, spec), 1);
		free(spec);
		spec = hpc_xasprintf("%s[sha256=%s]", js(rec, "name"), js(rec, "sha256"));
		assert_int_equal(sel_count(pool, spec), 1);
		free(spec);
		spec = hpc_xasprintf("*[fn=%s]", fn);
		assert_int_equal(sel_count(pool, spec), 1);
		free(spec);
		spec = hpc_xasprintf("*[url=%s/linux-64/%s]", CF, fn);
		assert_int_equal(sel_count(pool, spec), 1);
		free(spec);
		/* a package URL as the spec; its subdir is the URL's, so the noarch records
		 * this linux-64 file holds (pip, ...) do not match it, as in conda */
		spec = hpc_xasprintf("%s/linux-64/%s", CF, fn);
		assert_int_equal(sel_count(pool, spec), !strcmp(js(rec, "subdir"), "linux-64"));
		free(spec);
	}
	assert_int_equal(sel_count(pool, "numpy[version='>=1.26',subdir=linux-64]"),
			 count_json(NP64, numpy_ge, pool));
	assert_true(sel_count(pool, "numpy[version='>=1.26',subdir=linux-64]") > 0);
	assert_int_equal(sel_count(pool, "numpy[version='>=1.26',subdir=noarch]"), 0);
	assert_int_equal(sel_count(pool, "numpy[md5=0123]"), 0);
	json_decref(root);
	free(path);
	pool_free(pool);
}

/* A resolver maps names to URLs; without one, "defaults" means a path ending in defaults. */
static int resolve(void *ud, const char *name, struct hpc_strv *urls, struct hpc_error **err)
{
	if (!strcmp(name, "defaults")) {
		hpc_strv_push(urls, "https://repo.anaconda.com/pkgs/main");
		hpc_strv_push(urls, PT);
		return 0;
	}
	if (!strcmp(name, "broken"))
		return HPC_FAIL(err, CHANNEL, "no such channel '%s'", name);
	hpc_strv_pushf(urls, "https://conda.anaconda.org/%s", name);
	return 0;
}

static void test_select_resolver(void **state)
{
	Pool *pool = new_pool();
	struct hpc_channel_resolver res = { resolve, NULL };
	struct hpc_select *sel;
	size_t n;

	load(pool, PT64, PT "/linux-64");
	pool_createwhatprovides(pool);
	n = sel_count(pool, "pytorch");
	assert_int_equal(sel_count(pool, "defaults::pytorch"), 0);
	assert_false(hpc_select_attached(pool));
	sel = hpc_select_attach(pool, &res);
	assert_true(hpc_select_attached(pool));
	assert_int_equal(sel_count(pool, "defaults::pytorch"), n);
	assert_int_equal(sel_count(pool, "pytorch::pytorch"), n);
	assert_int_equal(sel_count(pool, "conda-forge::pytorch"), 0);
	assert_int_equal(sel_count(pool, "broken::pytorch"), 0);
	hpc_select_detach(sel);
	assert_false(hpc_select_attached(pool));
	assert_null(pool->nscallback);
	pool_free(pool);
}

/* An installed repo names its packages' URLs per solvable. */
static void test_select_installed_url(void **state)
{
	Pool *pool = new_pool();
	Repo *inst = repo_create(pool, "installed");
	Repodata *data = repo_add_repodata(inst, 0);
	Id p = repo_add_solvable(inst);
	Solvable *s = pool->solvables + p;

	s->name = pool_str2id(pool, "zlib", 1);
	s->evr = pool_str2id(pool, "1.2.13", 1);
	s->provides = repo_addid_dep(inst, s->provides,
				     pool_rel2id(pool, s->name, s->evr, REL_EQ, 1), 0);
	repodata_set_str(data, p, SOLVABLE_URL, CF "/linux-64/zlib-1.2.13-hd590300_5.conda");
	repodata_set_str(data, p, SOLVABLE_MEDIAFILE, "zlib-1.2.13-hd590300_5.conda");
	repodata_internalize(data);
	pool_set_installed(pool, inst);
	pool_createwhatprovides(pool);
	assert_int_equal(sel_count(pool, "conda-forge::zlib"), 1);
	assert_int_equal(sel_count(pool, "conda-forge/linux-64::zlib"), 1);
	assert_int_equal(sel_count(pool, "conda-forge/noarch::zlib"), 0);
	assert_int_equal(sel_count(pool, "pytorch::zlib"), 0);
	assert_int_equal(sel_count(pool, "zlib[fn=zlib-1.2.13-hd590300_5.conda]"), 1);
	assert_int_equal(sel_count(pool, "zlib[url=" CF "/linux-64/zlib-1.2.13-hd590300_5.conda]"),
			 1);
	assert_int_equal(sel_count(pool, "z*=1.2"), 1);
	pool_free(pool);
}

/* ---- dependencies in solves ---- */

/* foo in two channels; app* depend on (or constrain) foo through full MatchSpecs. */
static const char *const chan_a =
	"{\"info\": {\"subdir\": \"linux-64\"}, \"packages\": {"
	"\"foo-1.0-a_0.tar.bz2\": {\"name\": \"foo\", \"version\": \"1.0\", \"build\": \"a_0\","
	" \"build_number\": 0, \"depends\": []},"
	"\"foo-2.0-a_0.tar.bz2\": {\"name\": \"foo\", \"version\": \"2.0\", \"build\": \"a_0\","
	" \"build_number\": 0, \"depends\": []},"
	"\"app-1.0-0.tar.bz2\": {\"name\": \"app\", \"version\": \"1.0\", \"build\": \"0\","
	" \"build_number\": 0, \"depends\": []},"
	"\"app2-1.0-0.tar.bz2\": {\"name\": \"app2\", \"version\": \"1.0\", \"build\": \"0\","
	" \"build_number\": 0, \"depends\": []},"
	"\"app3-1.0-0.tar.bz2\": {\"name\": \"app3\", \"version\": \"1.0\", \"build\": \"0\","
	" \"build_number\": 0, \"depends\": []}}}";
static const char *const chan_b =
	"{\"info\": {\"subdir\": \"linux-64\"}, \"packages\": {"
	"\"foo-3.0-b_0.tar.bz2\": {\"name\": \"foo\", \"version\": \"3.0\", \"build\": \"b_0\","
	" \"build_number\": 0, \"depends\": []}}}";

static Repo *load_text(Pool *pool, const char *json, const char *url)
{
	FILE *f = fmemopen((void *)json, strlen(json), "r");
	Repo *repo = repo_create(pool, url);

	if (repo_add_conda(repo, f, 0) != 0)
		fail_msg("%s", pool_errstr(pool));
	fclose(f);
	return repo;
}

static Id find(Pool *pool, const char *name)
{
	Id p;

	FOR_POOL_SOLVABLES(p)
		if (!strcmp(pool_id2str(pool, pool->solvables[p].name), name))
			return p;
	return 0;
}

static Id dep(Pool *pool, const char *spec)
{
	struct hpc_error *e = NULL;
	Id d = 0;

	if (hpc_select_dep(pool, spec, &d, &e))
		fail_msg("%s", e->msg);
	return d;
}

/* Solve "install SPEC" and return the chosen foo as "version build", or NULL when the
 * request has problems. */
static char *solve_foo(Pool *pool, const char *spec, char *buf, size_t len)
{
	struct hpc_matchspec *ms = hpc_matchspec_parse(spec, NULL);
	Solver *solv = solver_create(pool);
	Queue job, inst;
	char *r = NULL;

	queue_init(&job);
	queue_init(&inst);
	hpc_select_job(pool, ms, SOLVER_INSTALL, &job);
	if (solver_solve(solv, &job) == 0) {
		solver_get_decisionqueue(solv, &inst);
		for (int i = 0; i < inst.count; i++) {
			Solvable *s;

			if (inst.elements[i] <= 0)
				continue;
			s = pool->solvables + inst.elements[i];
			if (!strcmp(pool_id2str(pool, s->name), "foo"))
				snprintf(buf, len, "%s %s", pool_id2str(pool, s->evr),
					 solvable_lookup_str(s, SOLVABLE_BUILDFLAVOR));
		}
		r = buf;
	}
	queue_free(&inst);
	queue_free(&job);
	solver_free(solv);
	hpc_matchspec_free(ms);
	return r;
}

static void test_deps_in_solves(void **state)
{
	Pool *pool = new_pool();
	struct hpc_select *sel = hpc_select_attach(pool, NULL);
	Repo *a = load_text(pool, chan_a, "https://example.org/a/linux-64");
	Id app = find(pool, "app"), app2 = find(pool, "app2"), app3 = find(pool, "app3");
	Repodata *data;
	char buf[64];

	load_text(pool, chan_b, "https://example.org/b/linux-64");
	/* what libsolv's parser cannot express: a channel, and a bracket key */
	pool->solvables[app].requires = repo_addid_dep(a, 0, dep(pool, "a::foo"), 0);
	pool->solvables[app2].requires = repo_addid_dep(a, 0, dep(pool, "foo[build=b_*]"), 0);
	data = repo_add_repodata(a, REPO_EXTEND_SOLVABLES);
	repodata_add_idarray(data, app3, SOLVABLE_CONSTRAINS, dep(pool, "a::foo"));
	repodata_internalize(data);
	pool_createwhatprovides(pool);

	assert_string_equal(solve_foo(pool, "foo", buf, sizeof(buf)), "3.0 b_0");
	assert_string_equal(solve_foo(pool, "app", buf, sizeof(buf)), "2.0 a_0");
	assert_string_equal(solve_foo(pool, "app2", buf, sizeof(buf)), "3.0 b_0");
	assert_string_equal(solve_foo(pool, "a::foo[version='<2']", buf, sizeof(buf)), "1.0 a_0");
	assert_null(solve_foo(pool, "a::foo[build=b_0]", buf, sizeof(buf)));
	assert_null(solve_foo(pool, "c::foo", buf, sizeof(buf)));
	/* constrains: app3 with foo must take foo from channel a */
	{
		Solver *solv = solver_create(pool);
		Queue job, inst;
		bool got2 = false;

		queue_init(&job);
		queue_init(&inst);
		queue_push2(&job, SOLVER_SOLVABLE | SOLVER_INSTALL, app3);
		queue_push2(&job, SOLVER_SOLVABLE_NAME | SOLVER_INSTALL,
			    pool_str2id(pool, "foo", 0));
		assert_int_equal(solver_solve(solv, &job), 0);
		solver_get_decisionqueue(solv, &inst);
		for (int i = 0; i < inst.count; i++) {
			Id p = inst.elements[i];

			if (p > 0 && !strcmp(pool_id2str(pool, pool->solvables[p].evr), "2.0"))
				got2 = true;
		}
		assert_true(got2);
		queue_free(&job);
		queue_free(&inst);
		solver_free(solv);
	}
	/* the text behind a dependency, for messages */
	assert_string_equal(hpc_select_dep_str(pool, dep(pool, "a::foo")), "a::foo");
	assert_string_equal(hpc_select_dep_str(pool, dep(pool, "foo")), "foo");
	assert_int_equal(dep(pool, "foo"), pool_str2id(pool, "foo", 0));
	hpc_select_detach(sel);
	pool_free(pool);
}

/* Why jobs go through hpc_select_job: libsolv takes a provides job on a namespace
 * dependency that nothing provides as fulfilled ("namespace supplements"), and ignores an
 * empty one-of install; both "succeed" installing nothing. */
static int raw_job(Pool *pool, int how, Id what)
{
	Solver *solv = solver_create(pool);
	Queue job;
	int problems;

	queue_init(&job);
	queue_push2(&job, how | SOLVER_INSTALL, what);
	problems = solver_solve(solv, &job);
	queue_free(&job);
	solver_free(solv);
	return problems;
}

static void test_job_pitfalls(void **state)
{
	Pool *pool = new_pool();
	struct hpc_select *sel = hpc_select_attach(pool, NULL);
	struct hpc_matchspec *ms = hpc_matchspec_parse("c::foo", NULL);
	Solver *solv;
	Queue job;
	char buf[64];

	load_text(pool, chan_b, "https://example.org/b/linux-64");
	pool_createwhatprovides(pool);
	assert_int_equal(raw_job(pool, SOLVER_SOLVABLE_PROVIDES, dep(pool, "c::foo")), 0);
	assert_int_equal(raw_job(pool, SOLVER_SOLVABLE_ONE_OF, 1 /* empty */), 0);
	assert_null(solve_foo(pool, "c::foo", buf, sizeof(buf)));
	/* and the problem names the spec */
	solv = solver_create(pool);
	queue_init(&job);
	hpc_select_job(pool, ms, SOLVER_INSTALL, &job);
	assert_int_equal(solver_solve(solv, &job), 1);
	{
		Id rid = solver_findproblemrule(solv, 1), source, target, depid;
		SolverRuleinfo type = solver_ruleinfo(solv, rid, &source, &target, &depid);

		assert_int_equal(type, SOLVER_RULE_JOB_NOTHING_PROVIDES_DEP);
		assert_string_equal(solver_problemruleinfo2str(solv, type, source, target, depid),
				    "nothing provides requested c::foo");
	}
	queue_free(&job);
	solver_free(solv);
	hpc_matchspec_free(ms);
	hpc_select_detach(sel);
	pool_free(pool);
}

static void test_errors(void **state)
{
	Pool *pool = new_pool();
	struct hpc_matchspec *ms = hpc_matchspec_parse("a::foo", NULL);
	struct hpc_error *e = NULL;
	struct hpc_select *sel;
	Id d = 0;

	assert_int_equal(hpc_matchspec_to_dep(pool, ms), 0); /* not attached */
	assert_int_equal(hpc_select_dep(pool, "foo", &d, &e), -HPC_E_BUG);
	hpc_error_clear(&e);
	sel = hpc_select_attach(pool, NULL);
	assert_int_equal(hpc_select_dep(pool, "foo >=1,<<2", &d, &e), -HPC_E_SPEC);
	assert_err_contains(e, "unexpected '<' at column 10");
	hpc_error_clear(&e);
	hpc_select_detach(sel);
	hpc_matchspec_free(ms);
	pool_free(pool);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_select_real_data),
		cmocka_unit_test(test_select_exact_keys),
		cmocka_unit_test(test_select_resolver),
		cmocka_unit_test(test_select_installed_url),
		cmocka_unit_test(test_deps_in_solves),
		cmocka_unit_test(test_job_pitfalls),
		cmocka_unit_test(test_errors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
