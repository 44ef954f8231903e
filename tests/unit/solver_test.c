/* SPDX-License-Identifier: MIT */
/* solver_test.c - the declarative cases of tests/solver, and solves on real repodata */
#include <dirent.h>
#include <errno.h>
#include <sys/wait.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "tu_case.h"
#include "tu_lock.h"
#include "tu_repo.h"

#include <solv/solvable.h>

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


/* ---- real repodata ---- */

#define CF "https://conda.anaconda.org/conda-forge"
#define PT "https://conda.anaconda.org/pytorch"
#define CF64 "repodata/conda-forge-subset-py39-linux-64-2024.json"
#define CFNA "repodata/conda-forge-subset-py39-noarch-2024.json"
#define PT64 "repodata/pytorch-linux-64-2023.json"

static Pool *cf_pool(bool pytorch, const char *glibc)
{
	Pool *pool = tu_pool_new();

	if (pytorch)
		tu_repo_file(pool, PT64, PT "/linux-64", 2);
	tu_repo_file(pool, CF64, CF "/linux-64", 1);
	tu_repo_file(pool, CFNA, CF "/noarch", 1);
	tu_virtual(pool, glibc, NULL);
	return pool;
}

/* micromamba 1.5.12 and libsolv's testsolv pick ld_impl_linux-64 2.40 h41732ed_0 (libsolv
 * compares the build strings); conda picks the newer of two otherwise identical builds. */
static const char *const py39 =
	"_libgcc_mutex 0.1 conda_forge\n"
	"_openmp_mutex 4.5 2_gnu\n"
	"bzip2 1.0.8 hd590300_5\n"
	"ca-certificates 2024.2.2 hbcca054_0\n"
	"ld_impl_linux-64 2.40 h55db66e_0\n"
	"libffi 3.4.2 h7f98852_5\n"
	"libgcc-ng 13.2.0 h77fa898_7\n"
	"libgomp 13.2.0 h77fa898_7\n"
	"libnsl 2.0.1 hd590300_0\n"
	"libsqlite 3.45.3 h2797004_0\n"
	"libuuid 2.38.1 h0b41bf4_0\n"
	"libxcrypt 4.4.36 hd590300_1\n"
	"libzlib 1.2.13 hd590300_5\n"
	"ncurses 6.5 h59595ed_0\n"
	"openssl 3.3.0 hd590300_0\n"
	"pip 24.0 pyhd8ed1ab_0\n"
	"python 3.9.19 h0755675_0_cpython\n"
	"readline 8.2 h8228510_1\n"
	"setuptools 69.5.1 pyhd8ed1ab_0\n"
	"tk 8.6.13 noxft_h4845f30_101\n"
	"tzdata 2024a h0c530f3_0\n"
	"wheel 0.43.0 pyhd8ed1ab_1\n"
	"xz 5.2.6 h166bdaf_0\n";

/* Each package's dependencies inside the set come before it, but for python's on
 * packages that need python themselves (pip). */
static void assert_link_order(Pool *pool, const Queue *link)
{
	for (int i = 0; i < link->count; i++) {
		Solvable *s = pool->solvables + link->elements[i];
		bool python = !strcmp(pool_id2str(pool, s->name), "python");
		Queue reqs;

		queue_init(&reqs);
		solvable_lookup_idarray(s, SOLVABLE_REQUIRES, &reqs);
		for (int k = 0; k < reqs.count; k++) {
			Id p, pp;

			FOR_PROVIDES(p, pp, reqs.elements[k])
				for (int j = i + 1; j < link->count; j++)
					if (link->elements[j] == p && !python)
						fail_msg("%s is linked before its dependency %s",
							 pool_solvid2str(pool, link->elements[i]),
							 pool_solvid2str(pool, p));
		}
		queue_free(&reqs);
	}
}

static int position(Pool *pool, const Queue *q, const char *name)
{
	for (int i = 0; i < q->count; i++)
		if (!strcmp(pool_id2str(pool, pool->solvables[q->elements[i]].name), name))
			return i;
	return -1;
}

static void test_py39(void **state)
{
	Pool *pool = cf_pool(false, "2.36");
	struct hpc_solution *sol = NULL, *forked = NULL;
	struct hpc_error *e = NULL;
	char *s, *order, *order2;

	static const enum hpc_channel_priority prios[] = { HPC_PRIORITY_FLEXIBLE, HPC_PRIORITY_STRICT,
							    HPC_PRIORITY_DISABLED };

	for (size_t pi = 0; pi < 3; pi++) {
		enum hpc_channel_priority prio = prios[pi];

		if (tu_solve(pool, "python=3.9", prio, 0, &sol, NULL, &e))
			fail_msg("%s", e->msg);
		s = tu_ids_sorted(pool, &sol->link);
		assert_string_equal(s, py39);
		free(s);
		assert_int_equal(sol->tiebreaks, 1);
		assert_int_equal(sol->unlink.count, 0);
		assert_int_equal(sol->nsteps, 23);
		assert_int_equal(sol->steps[0].action, HPC_ACT_INSTALL);
		assert_link_order(pool, &sol->link);
		assert_true(position(pool, &sol->link, "python") <
			    position(pool, &sol->link, "pip"));
		assert_true(position(pool, &sol->link, "python") <
			    position(pool, &sol->link, "setuptools"));
		if (prio == HPC_PRIORITY_FLEXIBLE) {
			/* the solve in a child process gives the same, in the same order */
			if (tu_solve(pool, "python=3.9", prio, 60, &forked, NULL, &e))
				fail_msg("%s", e->msg);
			order = tu_ids_str(pool, &sol->link);
			order2 = tu_ids_str(pool, &forked->link);
			assert_string_equal(order, order2);
			free(order);
			free(order2);
			hpc_solution_free(forked);
		}
		hpc_solution_free(sol);
	}
	tu_pool_free(pool);
}

/* Render the problems of an unsolvable request (in process, and checked against the child
 * process's), or fail. */
static char *problems_of(Pool *pool, const char *specs, enum hpc_channel_priority prio,
			 struct hpc_problems **keep)
{
	struct hpc_problems *pb = NULL, *pb2 = NULL;
	struct hpc_solution *sol = NULL;
	struct hpc_error *e = NULL;
	char *text, *text2;

	assert_int_equal(tu_solve(pool, specs, prio, 0, &sol, &pb, &e), -HPC_E_SOLVE);
	assert_null(sol);
	assert_non_null(pb);
	assert_string_equal(e->msg, pb->v[0].summary);
	hpc_error_clear(&e);
	assert_int_equal(tu_solve(pool, specs, prio, 60, &sol, &pb2, &e), -HPC_E_SOLVE);
	text = hpc_problems_render_text(pb, 0);
	text2 = hpc_problems_render_text(pb2, 0);
	assert_string_equal(text, text2);
	free(text2);
	hpc_problems_free(pb2);
	hpc_error_free(e);
	if (keep)
		*keep = pb;
	else
		hpc_problems_free(pb);
	return text;
}

#define assert_contains(hay, needle)                                              \
	do {                                                                      \
		if (!strstr((hay), (needle)))                                     \
			fail_msg("no '%s' in:\n%s", (needle), (hay));              \
	} while (0)

static void test_unsolvable_real(void **state)
{
	Pool *pool = cf_pool(false, "2.12");
	char *t;

	/* two pythons (the subset has 3.9 only, so also two exact 3.9s) */
	t = problems_of(pool, "python=3.9;python=3.10", HPC_PRIORITY_STRICT, NULL);
	assert_contains(t, "problem: no package matches python=3.10\n");
	assert_contains(t, "python=3.10, but none matches: the channels have python 3.9.0 - "
			   "3.9.19 (50 builds, conda-forge)");
	free(t);
	t = problems_of(pool, "python=3.9.1;python=3.9.2", HPC_PRIORITY_STRICT, NULL);
	assert_contains(t, "problem: cannot install python=3.9.1 and python=3.9.2 together\n");
	assert_contains(t, "└─ python 3.9.1 (6 builds, conda-forge)\n   └─ conflicts with "
			   "python 3.9.2 hffdb5ce_0_cpython (needed by python=3.9.2): only one "
			   "python can be installed\n");
	assert_contains(t, "relax one of: python=3.9.1 (command line), python=3.9.2 (command "
			   "line)\n");
	free(t);
	/* a dependency chain: python 3.9.1 needs openssl 1.1.1 */
	t = problems_of(pool, "python=3.9.1;openssl=3.3", HPC_PRIORITY_STRICT, NULL);
	assert_contains(t, "   └─ requires openssl >=1.1.1h,<1.1.2a | openssl >=1.1.1i,<1.1.2a\n"
			   "      └─ openssl 1.1.1h - 1.1.1w (17 builds, conda-forge)\n"
			   "         └─ conflicts with openssl 3.3.0 hd590300_0 (needed by "
			   "openssl=3.3): only one openssl can be installed\n");
	free(t);
	/* a missing package */
	t = problems_of(pool, "nosuchpkg", HPC_PRIORITY_STRICT, NULL);
	assert_string_equal(t, "problem: nosuchpkg is not available in any configured channel\n"
			       "nosuchpkg (command line)\n"
			       "└─ nosuchpkg, which is not available in any configured channel\n"
			       "channels searched: conda-forge\n"
			       "relax: nosuchpkg (command line)\n");
	free(t);
	/* a glibc too old for the package: libcxx 17.0.6 wants 2.17, this machine has 2.12 */
	t = problems_of(pool, "libcxx=17.0.6", HPC_PRIORITY_STRICT, NULL);
	assert_contains(t, "└─ libcxx 17.0.6 h434a139_0 (conda-forge)\n   └─ requires __glibc "
			   ">=2.17,<3.0.a0, but this system has __glibc 2.12 (override with "
			   "CONDA_OVERRIDE_GLIBC)\n");
	free(t);
	/* a package for another platform */
	t = problems_of(pool, "wincertstore", HPC_PRIORITY_STRICT, NULL);
	assert_contains(t, "requires __win, but this system has no __win (the package is for "
			   "another platform)");
	free(t);
	tu_pool_free(pool);
}

/* pytorch + the conda-forge subset, strict: the CPU builds need blas * mkl, which lives in
 * a channel we do not have (defaults); every one of the 73 builds needs it. */
static void test_pytorch_cpu(void **state)
{
	Pool *pool = cf_pool(true, "2.36");
	struct hpc_problems *pb = NULL;
	const struct hpc_pnode *pk, *dep, *leaf;
	char *t;

	t = problems_of(pool, "pytorch[build=*cpu*]", HPC_PRIORITY_STRICT, &pb);
	assert_contains(t, "problem: cannot install pytorch[build=*cpu*]\n"
			   "pytorch[build=*cpu*] (command line)\n"
			   "└─ pytorch 1.5.1 - 2.1.0 (73 builds, pytorch)\n"
			   "   ├─ requires blas * mkl, which is not available in any configured "
			   "channel\n"
			   "   ├─ requires mkl >=2018, which is not available in any configured "
			   "channel\n");
	assert_contains(t, "\nchannels searched: pytorch, conda-forge\n");
	free(t);
	/* the same as data */
	assert_int_equal(pb->n, 1);
	assert_int_equal(pb->v[0].nroots, 1);
	pk = pb->v[0].roots[0]->kids[0];
	assert_int_equal(pk->kind, HPC_PN_PACKAGES);
	assert_int_equal(pk->nbuilds, 73);
	dep = pk->kids[0];
	assert_int_equal(dep->kind, HPC_PN_DEPENDENCY);
	assert_string_equal(dep->specs.v[0], "blas * mkl");
	assert_int_equal(dep->needed_by_builds, 0);
	leaf = dep->kids[0];
	assert_int_equal(leaf->kind, HPC_PN_MISSING);
	assert_null(leaf->available);
	assert_int_equal(leaf->channels.n, 2);
	assert_string_equal(leaf->channels.v[0], PT);
	assert_string_equal(leaf->channels.v[1], CF);
	hpc_problems_free(pb);
	/* one exact build, as a user would pick it from `search` */
	t = problems_of(pool, "pytorch=2.1.0=py3.9_cpu_0", HPC_PRIORITY_STRICT, NULL);
	assert_contains(t, "└─ pytorch 2.1.0 py3.9_cpu_0 (pytorch)\n"
			   "   ├─ requires blas * mkl, which is not available in any configured "
			   "channel\n");
	free(t);
	tu_pool_free(pool);
}

/* Every requirement met inside the set (or by the system), every constraint obeyed, one
 * package per name. */
static void assert_consistent(Pool *pool, const Queue *link)
{
	Map in;

	map_init(&in, pool->nsolvables);
	for (int i = 0; i < link->count; i++)
		MAPSET(&in, link->elements[i]);
	for (int i = 0; i < link->count; i++) {
		Solvable *s = pool->solvables + link->elements[i];
		Queue q;

		for (int j = i + 1; j < link->count; j++)
			if (pool->solvables[link->elements[j]].name == s->name)
				fail_msg("two of %s", pool_id2str(pool, s->name));
		queue_init(&q);
		solvable_lookup_deparray(s, SOLVABLE_REQUIRES, &q, -1);
		for (int k = 0; k < q.count; k++) {
			Id p, pp;
			bool met = false;

			FOR_PROVIDES(p, pp, q.elements[k])
				met |= MAPTST(&in, p) || !strcmp(pool->solvables[p].repo->name,
								   "@");
			if (!met)
				fail_msg("%s: %s is not met",
					 pool_solvid2str(pool, link->elements[i]),
					 hpc_select_dep_str(pool, q.elements[k]));
		}
		solvable_lookup_deparray(s, SOLVABLE_CONSTRAINS, &q, -1);
		for (int k = 0; k < q.count; k++) {
			Id dep = q.elements[k], name = dep, p, pp;

			while (ISRELDEP(name))
				name = GETRELDEP(pool, name)->name;
			for (int j = 0; j < link->count; j++) {
				bool ok = false;

				if (pool->solvables[link->elements[j]].name != name)
					continue;
				FOR_PROVIDES(p, pp, dep)
					ok |= p == link->elements[j];
				if (!ok)
					fail_msg("%s: constraint %s broken",
						 pool_solvid2str(pool, link->elements[i]),
						 hpc_select_dep_str(pool, dep));
			}
		}
		queue_free(&q);
	}
	map_free(&in);
}

/* ---- the 2018 R channel ---- */

#define R64 "repodata/defaults-r-linux-64-2018.json"
#define MAINNA "repodata/defaults-main-noarch-2018.json"

static Pool *r_pool(bool stubs)
{
	Pool *pool = tu_pool_new();

	tu_repo_file(pool, R64, "https://repo.anaconda.com/pkgs/r/linux-64", 2);
	tu_repo_file(pool, MAINNA, "https://repo.anaconda.com/pkgs/main/noarch", 1);
	tu_virtual(pool, "2.36", NULL);
	if (stubs)
		assert_int_equal(tu_stub_missing(pool, "https://example.org/stub/linux-64"), 134);
	return pool;
}

static int count_real(Pool *pool, const Queue *q)
{
	int n = 0;

	for (int i = 0; i < q->count; i++)
		n += !strstr(pool->solvables[q->elements[i]].repo->name, "/stub/");
	return n;
}

/* The R channel needs pkgs/main's linux-64 packages, which shared/data does not have:
 * without them r-base is unsolvable and says what is missing; with stand-ins for them
 * (tu_stub_missing) the solves are micromamba 1.5.12's on the same channels, package for
 * package (r-base: 35, r-base r-ggplot2 r-dplyr: 68, r-essentials: 178 packages, stand-ins
 * included). */
static void test_r(void **state)
{
	Pool *pool = r_pool(false);
	struct hpc_solution *sol = NULL;
	struct hpc_error *e = NULL;
	char *t;

	t = problems_of(pool, "r-base", HPC_PRIORITY_FLEXIBLE, NULL);
	assert_contains(t, "r-base (command line)\n└─ r-base 3.1.2 - 3.5.0 (20 builds, pkgs/r)\n");
	assert_contains(t, "   ├─ requires readline 7.* | readline >=7.0,<8.0a0 | readline, which "
			   "is not available in any configured channel\n");
	assert_contains(t, "14 builds (3.1.2 - 3.5.0) require cairo >=1.14.12,<2.0a0 | cairo, "
			   "which is not available in any configured channel\n");
	assert_contains(t, "channels searched: pkgs/r, pkgs/main\n");
	free(t);
	tu_pool_free(pool);

	pool = r_pool(true);
	if (tu_solve(pool, "r-base", HPC_PRIORITY_FLEXIBLE, 0, &sol, NULL, &e))
		fail_msg("%s", e->msg);
	assert_int_equal(sol->link.count, 35);
	t = tu_ids_sorted(pool, &sol->link);
	assert_contains(t, "_r-mutex 1.0.0 anacondar_1\nblas 1.0 openblas\n");
	assert_contains(t, "\nr-base 3.5.0 h1c2f66e_1\n");
	free(t);
	assert_consistent(pool, &sol->link);
	hpc_solution_free(sol);
	if (tu_solve(pool, "r-base;r-ggplot2;r-dplyr", HPC_PRIORITY_FLEXIBLE, 0, &sol, NULL, &e))
		fail_msg("%s", e->msg);
	assert_int_equal(sol->link.count, 68);
	assert_int_equal(count_real(pool, &sol->link), 35);
	t = tu_ids_sorted(pool, &sol->link);
	assert_contains(t, "\nr-base 3.5.0 h1c2f66e_1\n");
	assert_contains(t, "\nr-dplyr 0.7.4 r350hebe7666_0\n");
	assert_contains(t, "\nr-ggplot2 2.2.1 r350h912f1d8_0\n");
	free(t);
	assert_consistent(pool, &sol->link);
	assert_link_order(pool, &sol->link);
	hpc_solution_free(sol);
	if (tu_solve(pool, "r-essentials", HPC_PRIORITY_FLEXIBLE, 60, &sol, NULL, &e))
		fail_msg("%s", e->msg);
	assert_int_equal(sol->link.count, 178);
	assert_int_equal(count_real(pool, &sol->link), 142);
	assert_consistent(pool, &sol->link);
	hpc_solution_free(sol);
	tu_pool_free(pool);
}

/* ---- lock files: a channel of exactly their records must solve back ---- */

static Pool *lock_pool(json_t *channels)
{
	Pool *pool = tu_pool_new();
	const char *url;
	json_t *rd;

	json_object_foreach(channels, url, rd)
		tu_repo_json(pool, rd, url, 0);
	tu_virtual(pool, "2.36", NULL);
	return pool;
}

/* pangeo-notebook's conda-lock.yml was made from two environment.yml files; solving
 * them against the 809 linux-64 records it lists gives every one of them back. */
static void test_lock_conda_lock(void **state)
{
	char *path = tu_shared("envs/pangeo-notebook.conda-lock.yml");
	const char *envs[] = { "envs/pangeo-notebook.environment.yml",
			       "envs/pangeo-base-notebook.environment.yml" };
	json_t *lock = tu_yaml_load(path), *channels = tu_condalock_channels(lock, "linux-64");
	Pool *pool = lock_pool(channels);
	struct hpc_solution *sol = NULL;
	struct hpc_error *e = NULL;
	struct hpc_request rq;

	hpc_request_init(&rq);
	for (int i = 0; i < 2; i++) {
		char *env = tu_shared(envs[i]);
		struct hpc_envfile ef;

		if (hpc_envfile_read(env, &ef, &e) || hpc_envfile_to_request(&ef, &rq, &e))
			fail_msg("%s", e->msg);
		hpc_envfile_fini(&ef);
		free(env);
	}
	assert_int_equal(rq.njobs, 138);
	if (hpc_solver_solve(pool, &rq, NULL, &sol, NULL, &e))
		fail_msg("%s", e->msg);
	assert_int_equal(sol->link.count, 809);
	assert_consistent(pool, &sol->link);
	assert_link_order(pool, &sol->link);
	hpc_solution_free(sol);
	hpc_request_fini(&rq);
	tu_pool_free(pool);
	json_decref(channels);
	json_decref(lock);
	free(path);
}

/* esmvaltool's pixi.lock: the top-level packages of an environment (those nothing else in
 * it depends on) solve back to the whole environment (default: 583 packages,
 * esmvaltool-python: 475, esmvaltool-r: 587, linux-64). */
static void solve_pixi_env(json_t *lock, const char *env, int expect)
{
	json_t *channels = tu_pixilock_channels(lock, env, "linux-64");
	Pool *pool = lock_pool(channels);
	struct hpc_solution *sol = NULL;
	struct hpc_error *e = NULL;
	struct hpc_request rq;
	Map needed;
	Id p;
	int total = 0;

	pool_createwhatprovides(pool);
	map_init(&needed, pool->nsolvables);
	FOR_POOL_SOLVABLES(p) {
		Queue q;

		queue_init(&q);
		solvable_lookup_deparray(pool->solvables + p, SOLVABLE_REQUIRES, &q, -1);
		for (int k = 0; k < q.count; k++) {
			Id d, dd;

			FOR_PROVIDES(d, dd, q.elements[k])
				if (d != p)
					MAPSET(&needed, d);
		}
		queue_free(&q);
	}
	hpc_request_init(&rq);
	FOR_POOL_SOLVABLES(p) {
		Solvable *s = pool->solvables + p;

		if (!strcmp(s->repo->name, "@"))
			continue;
		total++;
		if (!MAPTST(&needed, p) &&
		    hpc_request_add(&rq, HPC_JOB_INSTALL, pool_id2str(pool, s->name), env, &e))
			fail_msg("%s", e->msg);
	}
	assert_int_equal(total, expect);
	assert_true(rq.njobs > 10);
	if (hpc_solver_solve(pool, &rq, NULL, &sol, NULL, &e))
		fail_msg("%s: %s", env, e->msg);
	assert_int_equal(sol->link.count, total);
	assert_consistent(pool, &sol->link);
	hpc_solution_free(sol);
	hpc_request_fini(&rq);
	map_free(&needed);
	tu_pool_free(pool);
	json_decref(channels);
}

static void test_lock_pixi(void **state)
{
	char *path = tu_shared("envs/esmvaltool.pixi.lock");
	json_t *lock = tu_yaml_load(path);

	solve_pixi_env(lock, "default", 583);
	solve_pixi_env(lock, "esmvaltool-python", 475);
	solve_pixi_env(lock, "esmvaltool-r", 587);
	json_decref(lock);
	free(path);
}

/* ---- the time budget ---- */

/* libmamba's sudoku channel: every cell requires all its peers to differ from it, and the
 * peers are more than a sudoku's, so an empty grid has no solution and libsolv needs
 * minutes to prove it (the puzzle libmamba's tests use it for is unsolvable within a
 * second, and is explained as such). */
static Pool *sudoku(struct hpc_request *rq)
{
	Pool *pool = tu_pool_new();
	struct hpc_error *e = NULL;
	char *text;
	size_t len;

	if (hpc_file_read(HPCENV_SOURCE_DIR "/tests/data/sudoku-noarch-repodata.json", &text, &len,
			  &e))
		fail_msg("%s", e->msg);
	tu_repo_text(pool, text, "https://conda.anaconda.org/jjhelmus/label/sudoku/noarch", 0);
	free(text);
	hpc_request_init(rq);
	assert_int_equal(hpc_request_add(rq, HPC_JOB_INSTALL, "sudoku_0_0", NULL, NULL), 0);
	assert_int_equal(hpc_request_add(rq, HPC_JOB_INSTALL, "sudoku_8_8", NULL, NULL), 0);
	return pool;
}

static void assert_no_child(void)
{
	errno = 0;
	assert_int_equal(waitpid(-1, NULL, WNOHANG), -1);
	assert_int_equal(errno, ECHILD);
}

static void test_timeout(void **state)
{
	struct hpc_request rq;
	Pool *pool = sudoku(&rq);
	struct hpc_solution *sol = NULL;
	struct hpc_problems *pb = NULL;
	struct hpc_error *e = NULL;
	char *specs = hpc_request_specs_str(&rq), *want;

	rq.timeout = 0.5;
	assert_int_equal(hpc_solver_solve(pool, &rq, NULL, &sol, &pb, &e), -HPC_E_TIMEOUT);
	want = hpc_xasprintf("no solution found within 0.5 s for %s (raise --solver-timeout or "
			     "solver_timeout, or narrow the specs)",
			     specs);
	assert_string_equal(e->msg, want);
	assert_string_equal(specs, "sudoku_0_0, sudoku_8_8");
	assert_null(sol);
	assert_null(pb);
	assert_no_child();
	free(want);
	free(specs);
	hpc_error_free(e);
	hpc_request_fini(&rq);
	tu_pool_free(pool);
}

static bool cancel_soon(void *ud)
{
	return ++*(int *)ud >= 3;
}

static void test_cancel(void **state)
{
	struct hpc_request rq;
	Pool *pool = sudoku(&rq);
	struct hpc_error *e = NULL;
	int calls = 0;
	struct hpc_events ev = { .cancelled = cancel_soon, .ud = &calls };

	rq.timeout = 600;
	assert_int_equal(hpc_solver_solve(pool, &rq, &ev, NULL, NULL, &e), -HPC_E_INTERRUPTED);
	assert_string_equal(e->msg, "solve interrupted (sudoku_0_0, sudoku_8_8)");
	assert_int_equal(calls, 3);
	assert_no_child();
	hpc_error_free(e);
	hpc_request_fini(&rq);
	tu_pool_free(pool);
}

/* ---- the pool is the caller's ---- */

static const char *const py_pip =
	"{\"info\": {\"subdir\": \"linux-64\"}, \"packages\": {"
	"\"python-3.9.1-h0_0.tar.bz2\": {\"name\": \"python\", \"version\": \"3.9.1\","
	" \"build\": \"h0_0\", \"build_number\": 0, \"depends\": [\"tzdata\"]},"
	"\"tzdata-2024a-h0_0.tar.bz2\": {\"name\": \"tzdata\", \"version\": \"2024a\","
	" \"build\": \"h0_0\", \"build_number\": 0, \"depends\": []},"
	"\"pip-24.0-py_0.tar.bz2\": {\"name\": \"pip\", \"version\": \"24.0\","
	" \"build\": \"py_0\", \"build_number\": 0, \"depends\": [\"python >=3.7\"]}}}";

/* What a solve changes in the pool for itself (equal channel priorities for "disabled")
 * is undone when it returns; python's dependency on pip is the pool's (added once, before
 * solving) and the solve adds nothing to it. */
static void test_pool_untouched(void **state)
{
	Pool *pool = tu_pool_new();
	Repo *a = tu_repo_text(pool, py_pip, "https://conda.example/a/linux-64", 3);
	Repo *b = tu_repo_text(pool, "{\"packages\": {}}", "https://conda.example/b/linux-64", 1);
	Id python = pool_str2id(pool, "python", 0), p;
	struct hpc_solution *sol = NULL;
	struct hpc_error *e = NULL;
	Offset requires = 0;
	char *s;

	hpc_pool_add_pip_dependency(pool);
	FOR_POOL_SOLVABLES(p)
		if (pool->solvables[p].name == python)
			requires = pool->solvables[p].requires;
	assert_true(requires != 0);
	if (tu_solve(pool, "python", HPC_PRIORITY_DISABLED, 0, &sol, NULL, &e))
		fail_msg("%s", e->msg);
	s = tu_ids_str(pool, &sol->link);
	assert_string_equal(s, "tzdata 2024a h0_0\npython 3.9.1 h0_0\npip 24.0 py_0\n");
	free(s);
	FOR_POOL_SOLVABLES(p)
		if (pool->solvables[p].name == python)
			assert_int_equal(pool->solvables[p].requires, requires);
	assert_int_equal(a->priority, 3);
	assert_int_equal(b->priority, 1);
	hpc_solution_free(sol);
	tu_pool_free(pool);
}

static void test_preconditions(void **state)
{
	Pool *pool = pool_create();
	struct hpc_request rq;
	struct hpc_error *e = NULL;
	struct hpc_select *sel;

	hpc_request_init(&rq);
	assert_int_equal(hpc_solver_solve(pool, &rq, NULL, NULL, NULL, &e), -HPC_E_BUG);
	assert_string_equal(e->msg, "the solver needs a conda pool with hpc_select attached");
	hpc_error_clear(&e);
	pool_setdisttype(pool, DISTTYPE_CONDA);
	assert_int_equal(hpc_solver_solve(pool, &rq, NULL, NULL, NULL, &e), -HPC_E_BUG);
	hpc_error_clear(&e);
	sel = hpc_select_attach(pool, NULL);
	/* an empty request on an empty pool: nothing to do */
	assert_int_equal(hpc_solver_solve(pool, &rq, NULL, NULL, NULL, &e), 0);
	hpc_select_detach(sel);
	hpc_request_fini(&rq);
	pool_free(pool);
}
int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cases),
		cmocka_unit_test(test_py39),
		cmocka_unit_test(test_unsolvable_real),
		cmocka_unit_test(test_pytorch_cpu),
		cmocka_unit_test(test_r),
		cmocka_unit_test(test_lock_conda_lock),
		cmocka_unit_test(test_lock_pixi),
		cmocka_unit_test(test_timeout),
		cmocka_unit_test(test_cancel),
		cmocka_unit_test(test_pool_untouched),
		cmocka_unit_test(test_preconditions),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
