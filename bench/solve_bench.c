/* SPDX-License-Identifier: MIT */
/* solve_bench.c - one solve at channel scale: load the channel's subdirs into a libsolv
 * pool (repodata JSON with repo_add_conda, or the .solv files conda2solv makes, as
 * libsolv's testsolv reads them), add this machine's virtual packages, and time
 * hpc_solver_solve for the specs, in process and in a child process (the time-budget
 * path).
 *
 *   solve_bench json|solv SUBDIR_URL FILE [SUBDIR_URL FILE...] -- SPEC...
 *
 * Prints "key<TAB>value" lines: load_s, solve_s, solve_child_s, tiebreaks, link.
 * SOLVE_BENCH_MODE=inproc or child runs only that solve, SOLVE_BENCH_TIMEOUT is the child's
 * budget (a solve it stops prints stopped_s); with SOLVE_BENCH_LIST set, the packages
 * linked ("name version build") go to stderr.
 */
#include <hpcenv.h>
#include <solv/repo.h>
#include <solv/repo_conda.h>
#include <solv/repo_solv.h>
#include <solv/solvable.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void load(Pool *pool, bool solv, const char *url, const char *path)
{
	FILE *f = fopen(path, "r");
	Repo *repo = repo_create(pool, url);
	int r;

	if (!f) {
		perror(path);
		exit(1);
	}
	r = solv ? repo_add_solv(repo, f, 0) : repo_add_conda(repo, f, 0);
	if (r) {
		fprintf(stderr, "%s: %s\n", path, pool_errstr(pool));
		exit(1);
	}
	fclose(f);
}

static double solve(Pool *pool, struct hpc_request *rq, double timeout, int *tiebreaks,
		    int *link)
{
	struct hpc_solution *sol = NULL;
	struct hpc_error *e = NULL;
	double t0 = hpc_now(), t;

	rq->timeout = timeout;
	if (hpc_solver_solve(pool, rq, NULL, &sol, NULL, &e)) {
		if (e->code == HPC_E_TIMEOUT) {
			printf("stopped_s\t%.4f\n", hpc_now() - t0);
			exit(0);
		}
		fprintf(stderr, "solve: %s\n", e->msg);
		exit(1);
	}
	t = hpc_now() - t0;
	if (getenv("SOLVE_BENCH_LIST") && timeout > 0)
		for (int i = 0; i < sol->link.count; i++) {
			Solvable *s = pool->solvables + sol->link.elements[i];

			fprintf(stderr, "%s %s %s\n", pool_id2str(pool, s->name),
				pool_id2str(pool, s->evr),
				solvable_lookup_str(s, SOLVABLE_BUILDFLAVOR));
		}
	*tiebreaks = sol->tiebreaks;
	*link = sol->link.count;
	hpc_solution_free(sol);
	return t;
}

/* The virtual packages as hpc_pool_add_virtual adds them (its records, a repo "@"). */
static void add_virtual(Pool *pool, const struct hpc_vpkgs *vp)
{
	struct hpc_repodata_opts o = { .subdir = "linux-64" };

	hpc_repodata_add_vpkgs(pool, vp, &o, NULL)->priority = 1000;
	pool_createwhatprovides(pool);
}

int main(int argc, char **argv)
{
	struct hpc_virtual_host host;
	struct hpc_vpkgs vp;
	struct hpc_request rq;
	struct hpc_select *sel;
	struct hpc_error *e = NULL;
	Pool *pool = pool_create();
	bool solv = argc > 1 && !strcmp(argv[1], "solv");
	int i = 2, tiebreaks = 0, link = 0;
	const char *mode;
	double budget;
	double t0;

	pool_setdisttype(pool, DISTTYPE_CONDA);
	sel = hpc_select_attach(pool, NULL);
	if (getenv("SOLVE_BENCH_DEBUG"))
		pool_setdebuglevel(pool, atoi(getenv("SOLVE_BENCH_DEBUG")));
	t0 = hpc_now();
	for (; i + 1 < argc && strcmp(argv[i], "--"); i += 2)
		load(pool, solv, argv[i], argv[i + 1]);
	pool_createwhatprovides(pool);
	printf("load_s\t%.4f\n", hpc_now() - t0);
	hpc_virtual_probe(&host);
	if (hpc_virtual_packages(&host, NULL, NULL, &vp, &e)) {
		fprintf(stderr, "%s\n", e->msg);
		return 1;
	}
	add_virtual(pool, &vp);
	hpc_vpkgs_fini(&vp);
	hpc_pool_add_pip_dependency(pool); /* as the pool loader does by default */
	hpc_request_init(&rq);
	for (i++; i < argc; i++)
		if (hpc_request_add(&rq, HPC_JOB_INSTALL, argv[i], "bench", &e)) {
			fprintf(stderr, "%s\n", e->msg);
			return 1;
		}
	mode = getenv("SOLVE_BENCH_MODE") ? getenv("SOLVE_BENCH_MODE") : "both";
	budget = getenv("SOLVE_BENCH_TIMEOUT") ? atof(getenv("SOLVE_BENCH_TIMEOUT")) : 600;
	if (strcmp(mode, "child"))
		printf("solve_s\t%.4f\n", solve(pool, &rq, 0, &tiebreaks, &link));
	if (strcmp(mode, "inproc"))
		printf("solve_child_s\t%.4f\n", solve(pool, &rq, budget, &tiebreaks, &link));
	printf("tiebreaks\t%d\nlink\t%d\n", tiebreaks, link);
	hpc_request_fini(&rq);
	hpc_select_detach(sel);
	pool_free(pool);
	return 0;
}
