/* SPDX-License-Identifier: MIT */
/* matchspec_bench.c - MatchSpecs at channel scale: parse every distinct depends/constrains
 * string of a channel, and resolve each as a dependency inside libsolv, with hpcenv's
 * namespace dependencies and with libsolv's own conda parser (pool_conda_matchspec); the
 * two selections are compared spec by spec.
 *
 *   matchspec_bench SUBDIR_URL REPODATA.json [SUBDIR_URL REPODATA.json...]
 *
 * Prints tab-separated rows: measurement, hpcenv, libsolv, unit, notes.
 */
#include <hpcenv.h>
#include <jansson.h>
#include <solv/repo.h>
#include <solv/repo_conda.h>
#include <solv/conda.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void collect(const char *path, struct hpc_strv *specs)
{
	json_error_t je;
	json_t *root = json_load_file(path, 0, &je), *pkgs, *rec, *list, *s;
	const char *key, *fn;
	size_t i;

	if (!root) {
		fprintf(stderr, "%s: %s\n", path, je.text);
		exit(1);
	}
	json_object_foreach(root, key, pkgs) {
		if (strcmp(key, "packages") && strcmp(key, "packages.conda"))
			continue;
		json_object_foreach(pkgs, fn, rec) {
			list = json_object_get(rec, "depends");
			json_array_foreach(list, i, s)
				hpc_strv_push(specs, json_string_value(s));
			list = json_object_get(rec, "constrains");
			json_array_foreach(list, i, s)
				hpc_strv_push(specs, json_string_value(s));
		}
	}
	json_decref(root);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void uniq(struct hpc_strv *sv)
{
	size_t j = 0;

	qsort(sv->v, sv->n, sizeof(*sv->v), cmp_str);
	for (size_t i = 0; i < sv->n; i++) {
		if (j && !strcmp(sv->v[j - 1], sv->v[i])) {
			free(sv->v[i]);
			continue;
		}
		sv->v[j++] = sv->v[i];
	}
	sv->n = j;
	if (j)
		sv->v[j] = NULL;
}

static bool same_providers(Pool *pool, Id a, Id b)
{
	Id *pa = pool->whatprovidesdata + pool_whatprovides(pool, a);
	Id *pb = pool->whatprovidesdata + pool_whatprovides(pool, b);
	Queue qa, qb;
	bool same;

	/* copy first: the second lookup may grow whatprovidesdata */
	queue_init(&qa);
	queue_init(&qb);
	while (*pa)
		queue_push(&qa, *pa++);
	pb = pool->whatprovidesdata + pool_whatprovides(pool, b);
	while (*pb)
		queue_push(&qb, *pb++);
	same = qa.count == qb.count &&
	       !memcmp(qa.elements, qb.elements, (size_t)qa.count * sizeof(Id));
	queue_free(&qa);
	queue_free(&qb);
	return same;
}

int main(int argc, char **argv)
{
	Pool *pool = pool_create();
	struct hpc_select *sel;
	struct hpc_strv specs = HPC_STRV_INIT, differ = HPC_STRV_INIT;
	Id *ours, *theirs;
	size_t bad = 0, ndiff = 0, nrec;
	double t0, t_parse, t_ours, t_theirs;

	pool_setdisttype(pool, DISTTYPE_CONDA);
	for (int i = 1; i + 1 < argc; i += 2) {
		FILE *f = fopen(argv[i + 1], "r");
		Repo *repo = repo_create(pool, argv[i]);

		if (!f || repo_add_conda(repo, f, 0)) {
			fprintf(stderr, "%s: %s\n", argv[i + 1], pool_errstr(pool));
			return 1;
		}
		fclose(f);
		collect(argv[i + 1], &specs);
	}
	nrec = (size_t)pool->nsolvables - 2;
	uniq(&specs);
	pool_createwhatprovides(pool);
	sel = hpc_select_attach(pool, NULL);
	ours = calloc(specs.n, sizeof(Id));
	theirs = calloc(specs.n, sizeof(Id));

	/* 1: parse (and compile) every distinct spec */
	t0 = hpc_now();
	for (size_t i = 0; i < specs.n; i++) {
		struct hpc_matchspec *ms = hpc_matchspec_parse(specs.v[i], NULL);

		if (!ms) {
			bad++;
			continue;
		}
		ours[i] = hpc_matchspec_to_dep(pool, ms);
		hpc_matchspec_free(ms);
	}
	t_parse = hpc_now() - t0;
	for (size_t i = 0; i < specs.n; i++)
		theirs[i] = pool_conda_matchspec(pool, specs.v[i]);

	/* 2: what each dependency selects (the callback for ours, REL_CONDA for libsolv) */
	t0 = hpc_now();
	for (size_t i = 0; i < specs.n; i++)
		if (ours[i])
			pool_whatprovides(pool, ours[i]);
	t_ours = hpc_now() - t0;
	t0 = hpc_now();
	for (size_t i = 0; i < specs.n; i++)
		if (theirs[i])
			pool_whatprovides(pool, theirs[i]);
	t_theirs = hpc_now() - t0;

	for (size_t i = 0; i < specs.n; i++)
		if (ours[i] && theirs[i] && !same_providers(pool, ours[i], theirs[i])) {
			ndiff++;
			if (differ.n < 8)
				hpc_strv_push(&differ, specs.v[i]);
		}
	printf("matchspec parse+compile\t%.1f\tn/a\tms\t%zu distinct depends/constrains of "
	       "%zu records; %zu rejected\n", t_parse * 1000, specs.n, nrec, bad);
	printf("matchspec per spec\t%.2f\tn/a\tus\tparse+compile+dep, mean\n",
	       t_parse * 1e6 / (double)specs.n);
	printf("spec deps resolved\t%.1f\t%.1f\tms\tall %zu deps: namespace callback vs "
	       "libsolv REL_CONDA\n", t_ours * 1000, t_theirs * 1000, specs.n);
	printf("selections differing\t%zu\tn/a\tspecs\t", ndiff);
	for (size_t i = 0; i < differ.n; i++)
		printf("%s'%s'", i ? ", " : "e.g. ", differ.v[i]);
	printf("\n");
	free(ours);
	free(theirs);
	hpc_strv_fini(&specs);
	hpc_strv_fini(&differ);
	hpc_select_detach(sel);
	pool_free(pool);
	return 0;
}
