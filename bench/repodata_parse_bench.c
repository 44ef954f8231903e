/* SPDX-License-Identifier: MIT */
/* repodata_parse_bench.c - how fast does a repodata.json become a libsolv repo?
 *
 *   repodata_parse_bench MODE FILE     prints "mode seconds peak_rss_mb solvables"
 *
 * Modes, all building the same solvable data (name, evr, provides, requires,
 * constrains, build string/number, checksums, size, timestamp, license, track_features,
 * location) in a fresh pool:
 *   conda    libsolv's repo_add_conda (its own streaming tokenizer)
 *   hpcenv   hpc_repodata_parse (yajl streaming, + noarch, JSON offsets, removed, ...)
 *   jansson  jansson's json_load_file (a DOM), then a walk over the records
 *   jload    json_load_file alone: the DOM's cost without building solvables
 *   solv     repo_add_solv of a .solv index (FILE is a .solv): the warm path
 * Built and run by bench/repodata-parse.sh.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include <jansson.h>

#include <solv/pool.h>
#include <solv/conda.h>
#include <solv/repo.h>
#include <solv/repo_conda.h>
#include <solv/repo_solv.h>
#include <solv/repodata.h>

#include <hpcenv.h>

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static double peak_rss_mb(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return (double)ru.ru_maxrss / 1024.0;
}

/* ---- jansson: the same data repo_add_conda sets, from a DOM ---- */

static void add_str(Repodata *data, Id h, const char *key, const char *v)
{
	Pool *pool = data->repo->pool;
	Solvable *s = pool_id2solvable(pool, h);

	if (!strcmp(key, "name"))
		s->name = pool_str2id(pool, v, 1);
	else if (!strcmp(key, "version"))
		s->evr = pool_str2id(pool, v, 1);
	else if (!strcmp(key, "build"))
		repodata_add_poolstr_array(data, h, SOLVABLE_BUILDFLAVOR, v);
	else if (!strcmp(key, "license"))
		repodata_add_poolstr_array(data, h, SOLVABLE_LICENSE, v);
	else if (!strcmp(key, "md5"))
		repodata_set_checksum(data, h, SOLVABLE_PKGID, REPOKEY_TYPE_MD5, v);
	else if (!strcmp(key, "sha256"))
		repodata_set_checksum(data, h, SOLVABLE_CHECKSUM, REPOKEY_TYPE_SHA256, v);
}

static void add_num(Repodata *data, Id h, const char *key, unsigned long long v)
{
	char buf[32];

	if (!strcmp(key, "build_number")) {
		snprintf(buf, sizeof(buf), "%llu", v);
		repodata_set_str(data, h, SOLVABLE_BUILDVERSION, buf);
	} else if (!strcmp(key, "size")) {
		repodata_set_num(data, h, SOLVABLE_DOWNLOADSIZE, v);
	} else if (!strcmp(key, "timestamp")) {
		repodata_set_num(data, h, SOLVABLE_BUILDTIME, v > 253402300799ULL ? v / 1000 : v);
	}
}

static void add_item(Repodata *data, Id h, const char *key, const char *v)
{
	Repo *repo = data->repo;
	Solvable *s = pool_id2solvable(repo->pool, h);
	Id id;

	if (!strcmp(key, "depends") && (id = pool_conda_matchspec(repo->pool, v)))
		s->requires = repo_addid_dep(repo, s->requires, id, 0);
	else if (!strcmp(key, "constrains") && (id = pool_conda_matchspec(repo->pool, v)))
		repodata_add_idarray(data, h, SOLVABLE_CONSTRAINS, id);
	else if (!strcmp(key, "track_features"))
		repodata_add_poolstr_array(data, h, SOLVABLE_TRACK_FEATURES, v);
}

static void jansson_record(Repodata *data, const char *fn, json_t *o)
{
	Repo *repo = data->repo;
	Id h = repo_add_solvable(repo);
	Solvable *s = pool_id2solvable(repo->pool, h);
	const char *k;
	json_t *v, *item;
	size_t i;

	json_object_foreach(o, k, v) {
		if (json_is_string(v))
			add_str(data, h, k, json_string_value(v));
		else if (json_is_integer(v))
			add_num(data, h, k, (unsigned long long)json_integer_value(v));
		else if (json_is_array(v))
			json_array_foreach(v, i, item)
				if (json_is_string(item))
					add_item(data, h, k, json_string_value(item));
	}
	if (!s->evr)
		s->evr = 1;
	s->provides = repo_addid_dep(repo, s->provides,
				     pool_rel2id(repo->pool, s->name, s->evr, REL_EQ, 1), 0);
	repodata_set_location(data, h, 0, "linux-64", fn);
}

static int run_jansson(Repo *repo, const char *path, bool build)
{
	static const char *const keys[] = { "packages", "packages.conda" };
	json_error_t je;
	json_t *root = json_load_file(path, 0, &je), *o;
	Repodata *data = repo_add_repodata(repo, 0);
	const char *fn;

	if (!root) {
		fprintf(stderr, "%s:%d: %s\n", path, je.line, je.text);
		return -1;
	}
	for (int i = 0; build && i < 2; i++)
		json_object_foreach(json_object_get(root, keys[i]), fn, o)
			jansson_record(data, fn, o);
	json_decref(root);
	repodata_internalize(data);
	return 0;
}

static int run_hpcenv(Repo *repo, const char *path)
{
	struct hpc_repodata_opts o = { .channel = "https://example.org/c", .subdir = "linux-64",
				       .subdir_url = "https://example.org/c/linux-64" };
	struct hpc_repodata_stats st;
	struct hpc_error *e = NULL;
	int r = hpc_repodata_parse(repo, path, &o, &st, &e);

	if (r)
		fprintf(stderr, "%s\n", e->msg);
	hpc_error_free(e);
	hpc_repodata_stats_fini(&st);
	return r;
}

int main(int argc, char **argv)
{
	Pool *pool;
	Repo *repo;
	FILE *f;
	double t0;
	int rc;

	if (argc != 3) {
		fprintf(stderr, "usage: %s conda|hpcenv|jansson|jload|solv FILE\n", argv[0]);
		return 2;
	}
	pool = pool_create();
	pool_setdisttype(pool, DISTTYPE_CONDA);
	repo = repo_create(pool, "bench");
	t0 = now();
	if (!strcmp(argv[1], "conda") || !strcmp(argv[1], "solv")) {
		if (!(f = fopen(argv[2], "r")))
			return 1;
		rc = !strcmp(argv[1], "conda") ? repo_add_conda(repo, f, 0) : repo_add_solv(repo, f, 0);
		fclose(f);
	} else if (!strcmp(argv[1], "hpcenv")) {
		rc = run_hpcenv(repo, argv[2]);
	} else if (!strcmp(argv[1], "jansson") || !strcmp(argv[1], "jload")) {
		rc = run_jansson(repo, argv[2], !strcmp(argv[1], "jansson"));
	} else {
		return 2;
	}
	printf("%s\t%.3f\t%.1f\t%d\n", argv[1], now() - t0, peak_rss_mb(), repo->nsolvables);
	pool_free(pool);
	return rc ? 1 : 0;
}
