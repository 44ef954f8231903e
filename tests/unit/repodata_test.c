/* SPDX-License-Identifier: MIT */
/* repodata_test.c - repodata.json into libsolv: the same solvables as repo_add_conda,
 * plus what it drops; .solv files; records back as published */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <solv/pool.h>
#include <solv/conda.h>
#include <solv/repo.h>
#include <solv/repo_conda.h>

#include "testutil.h"

static const char *const shared_files[] = {
	"repodata/conda-forge-numpy-linux-64-2024.json",
	"repodata/conda-forge-subset-py39-linux-64-2024.json",
	"repodata/conda-forge-subset-py39-noarch-2024.json",
	"repodata/defaults-main-noarch-2018.json",
	"repodata/defaults-r-linux-64-2018.json",
	"repodata/pytorch-linux-64-2023.json",
};

static Pool *new_pool(void)
{
	Pool *pool = pool_create();

	pool_setdisttype(pool, DISTTYPE_CONDA);
	return pool;
}

static struct hpc_repodata_opts opts_for(const char *subdir)
{
	bool noarch = subdir && !strcmp(subdir, "noarch");

	return (struct hpc_repodata_opts){
		.channel = "https://example.org/chan", .subdir = subdir,
		.subdir_url = noarch ? "https://example.org/chan/noarch"
				     : "https://example.org/chan/linux-64",
	};
}

static void add_ids(struct hpc_strbuf *sb, Solvable *s, Id key, bool deps)
{
	Queue q;

	queue_init(&q);
	solvable_lookup_idarray(s, key, &q);
	for (int i = 0; i < q.count; i++)
		hpc_strbuf_addf(sb, " %s", deps ? pool_dep2str(s->repo->pool, q.elements[i])
					       : pool_id2str(s->repo->pool, q.elements[i]));
	queue_free(&q);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void add_deps(struct hpc_strbuf *sb, Pool *pool, const Id *d, bool sorted)
{
	struct hpc_strv v = HPC_STRV_INIT;

	for (; d && *d; d++)
		hpc_strv_push(&v, pool_dep2str(pool, *d));
	if (sorted && v.n)
		qsort(v.v, v.n, sizeof(char *), cmp_str);
	for (size_t i = 0; i < v.n; i++)
		hpc_strbuf_addf(sb, " %s", v.v[i]);
	hpc_strv_fini(&v);
}

static const char *or_empty(const char *s)
{
	return s ? s : "";
}

/* Everything repo_add_conda records for a solvable, as one line. A .solv file keeps
 * dependencies but not their order: `sorted` sorts them. */
static char *describe(Solvable *s, bool sorted)
{
	Pool *pool = s->repo->pool;
	struct hpc_strbuf sb = HPC_STRBUF_INIT;
	Id type;

	hpc_strbuf_addf(&sb, "%s|%s|%s|", solvable_get_location(s, NULL),
			pool_id2str(pool, s->name), pool_id2str(pool, s->evr));
	hpc_strbuf_addf(&sb, "%s|", or_empty(solvable_lookup_str(s, SOLVABLE_BUILDFLAVOR)));
	hpc_strbuf_addf(&sb, "%s|", or_empty(solvable_lookup_str(s, SOLVABLE_BUILDVERSION)));
	hpc_strbuf_addf(&sb, "%s|", or_empty(solvable_lookup_checksum(s, SOLVABLE_PKGID, &type)));
	hpc_strbuf_addf(&sb, "%s|",
			or_empty(solvable_lookup_checksum(s, SOLVABLE_CHECKSUM, &type)));
	hpc_strbuf_addf(&sb, "%llu|%llu|",
			(unsigned long long)solvable_lookup_num(s, SOLVABLE_DOWNLOADSIZE, 0),
			(unsigned long long)solvable_lookup_num(s, SOLVABLE_BUILDTIME, 0));
	hpc_strbuf_addf(&sb, "%s|", or_empty(solvable_lookup_str(s, SOLVABLE_LICENSE)));
	add_ids(&sb, s, SOLVABLE_TRACK_FEATURES, false);
	hpc_strbuf_adds(&sb, "|");
	add_deps(&sb, pool, s->requires ? s->repo->idarraydata + s->requires : NULL, sorted);
	hpc_strbuf_adds(&sb, "|");
	for (Id *d = s->provides ? s->repo->idarraydata + s->provides : NULL; d && *d; d++)
		hpc_strbuf_addf(&sb, " %s", pool_dep2str(pool, *d));
	hpc_strbuf_adds(&sb, "|");
	add_ids(&sb, s, SOLVABLE_CONSTRAINS, true);
	return hpc_strbuf_detach(&sb);
}

static void describe_repo(Repo *repo, struct hpc_strv *out, bool sorted)
{
	Solvable *s;
	Id p;

	FOR_REPO_SOLVABLES(repo, p, s)
		hpc_strv_push_take(out, describe(s, sorted));
	qsort(out->v, out->n, sizeof(char *), cmp_str);
}

/* Our parser and libsolv's repo_add_conda give identical solvables on real channels. */
static void test_same_as_repo_add_conda(void **state)
{
	for (size_t i = 0; i < sizeof(shared_files) / sizeof(shared_files[0]); i++) {
		char *path = tu_shared(shared_files[i]);
		const char *subdir = strstr(path, "noarch") ? "noarch" : "linux-64";
		struct hpc_repodata_opts o = opts_for(subdir);
		struct hpc_repodata_stats st;
		struct hpc_strv a = HPC_STRV_INIT, b = HPC_STRV_INIT;
		struct hpc_error *e = NULL;
		Pool *p1 = new_pool(), *p2 = new_pool();
		Repo *r1 = repo_create(p1, "ours"), *r2 = repo_create(p2, "libsolv");
		FILE *f = fopen(path, "r");

		assert_int_equal(hpc_repodata_parse(r1, path, &o, &st, &e), 0);
		assert_non_null(f);
		assert_int_equal(repo_add_conda(r2, f, 0), 0);
		fclose(f);
		/* repo_add_conda leaves out the location when a record names no subdir */
		for (Id p = r2->start; p < r2->end; p++)
			if (p2->solvables[p].repo == r2 &&
			    !solvable_lookup_str(p2->solvables + p, SOLVABLE_MEDIADIR))
				repodata_set_location(repo_last_repodata(r2), p, 0, subdir,
						      solvable_lookup_str(p2->solvables + p,
									  SOLVABLE_MEDIAFILE));
		repo_internalize(r2);
		describe_repo(r1, &a, false);
		describe_repo(r2, &b, false);
		assert_int_equal(st.records, (size_t)r1->nsolvables);
		assert_int_equal(a.n, b.n + 0 - st.removed);
		for (size_t k = 0; k < a.n; k++)
			if (strcmp(a.v[k], b.v[k]))
				fail_msg("%s: record %zu differs:\n ours    %s\n libsolv %s",
					 shared_files[i], k, a.v[k], b.v[k]);
		hpc_strv_fini(&a);
		hpc_strv_fini(&b);
		hpc_repodata_stats_fini(&st);
		pool_free(p1);
		pool_free(p2);
		free(path);
	}
}

static const char *const tiny =
	"{\n"
	"  \"info\": {\"subdir\": \"linux-64\", \"base_url\": \"../pkgs/\",\n"
	"    \"x\": [1, {\"y\": 2}]},\n"
	"  \"unknown_top\": {\"packages\": {\"nested\": {\"name\": \"not-a-record\"}}},\n"
	"  \"packages\": {\n"
	"    \"a-1.0-0.tar.bz2\": {\"name\": \"a\", \"version\": \"1.0\", \"build\": \"0\",\n"
	"      \"build_number\": 0, \"depends\": [\"b >=2\", \"c[version='>1']\"],\n"
	"      \"timestamp\": 1500000000, \"arch\": null, \"odd\": {\"deep\": [[1], {}]},\n"
	"      \"md5\": \"0123456789abcdef0123456789abcdef\"},\n"
	"    \"b-2.0-1.tar.bz2\": {\"name\": \"b\", \"version\": \"2.0\", \"build\": \"1\",\n"
	"      \"build_number\": 1, \"noarch\": true, \"track_features\": \"f1 f2,f3\",\n"
	"      \"timestamp\": 1700000000123, \"constrains\": [\"a <2\", \"z[build=x]\"]},\n"
	"    \"c-3.0-py_0.tar.bz2\": {\"name\": \"c\", \"version\": \"3.0\", \"build\": \"py_0\",\n"
	"      \"noarch\": \"python\", \"track_features\": [\" t1 \"], \"license\": \"MIT\"},\n"
	"    \"gone-1-0.tar.bz2\": {\"name\": \"gone\", \"version\": \"1\", \"build\": \"0\"},\n"
	"    \"nameless-1-0.tar.bz2\": {\"version\": \"1\", \"build\": \"0\"},\n"
	"    \"d-1-0.tar.bz2\": {\"name\": \"d\", \"version\": \"1\", \"build\": \"0\",\n"
	"      \"size\": 11}\n"
	"  },\n"
	"  \"packages.conda\": {\n"
	"    \"a-1.0-0.conda\": {\"name\": \"a\", \"version\": \"1.0\", \"build\": \"0\",\n"
	"      \"build_number\": 0, \"depends\": [\"b >=2\"], \"size\": 5, \"noarch\": false}\n"
	"  },\n"
	"  \"packages.later\": [],\n"
	"  \"removed\": [\"gone-1-0.tar.bz2\", \"never-there-1-0.conda\"],\n"
	"  \"repodata_version\": 2\n"
	"}\n";

static int refuse_brackets(void *ud, Pool *pool, const char *spec)
{
	(*(int *)ud)++;
	return strchr(spec, '[') ? 0 : pool_conda_matchspec(pool, spec);
}

static Id find(Repo *repo, const char *name)
{
	Solvable *s;
	Id p;

	FOR_REPO_SOLVABLES(repo, p, s)
		if (!strcmp(pool_id2str(repo->pool, s->name), name))
			return p;
	return 0;
}

static void test_features(void **state)
{
	char *dir = tu_tmpdir(), *path = hpc_path_join(dir, "repodata.json");
	struct hpc_repodata_opts o = opts_for("linux-64");
	struct hpc_repodata_stats st;
	struct hpc_record r;
	int calls = 0;
	Pool *pool = new_pool();
	Repo *repo = repo_create(pool, "https://example.org/chan/linux-64");
	Solvable *s;
	Queue q;

	tu_write(dir, "repodata.json", tiny);
	o.matchspec = refuse_brackets;
	o.matchspec_ud = &calls;
	assert_int_equal(hpc_repodata_parse(repo, path, &o, &st, NULL), 0);
	assert_int_equal(st.records, 4); /* a (.conda), b, c, d */
	assert_int_equal(repo->nsolvables, 4);
	assert_int_equal(st.tar_bz2_hidden, 1);
	assert_int_equal(st.removed, 1);
	assert_int_equal(st.invalid, 1);
	assert_int_equal(st.unparsed, 2); /* counted as read, also in the .tar.bz2 "a" */
	assert_int_equal(st.repodata_version, 2);
	assert_string_equal(st.info_subdir, "linux-64");
	assert_string_equal(st.base_url, "../pkgs/");
	assert_true(calls >= 4);
	assert_int_equal(find(repo, "gone"), 0);

	/* .conda preferred: a's record is the .conda one */
	s = pool_id2solvable(pool, find(repo, "a"));
	assert_string_equal(solvable_lookup_str(s, SOLVABLE_MEDIAFILE), "a-1.0-0.conda");
	assert_int_equal(solvable_lookup_num(s, SOLVABLE_DOWNLOADSIZE, 0), 5);
	assert_int_equal(solvable_lookup_id(s, pool_str2id(pool, HPC_KEY_NOARCH, 0)), 0);

	s = pool_id2solvable(pool, find(repo, "b"));
	assert_string_equal(pool_id2str(pool, solvable_lookup_id(s, pool_str2id(pool,
						HPC_KEY_NOARCH, 0))), "generic");
	assert_int_equal(solvable_lookup_num(s, SOLVABLE_BUILDTIME, 0), 1700000000);
	assert_int_equal(solvable_lookup_count(s, SOLVABLE_TRACK_FEATURES), 3);
	assert_int_equal(solvable_lookup_count(s, SOLVABLE_CONSTRAINS), 1);
	queue_init(&q);
	solvable_lookup_idarray(s, pool_str2id(pool, HPC_KEY_UNPARSED_CONSTRAINS, 0), &q);
	assert_int_equal(q.count, 1);
	assert_string_equal(pool_id2str(pool, q.elements[0]), "z[build=x]");
	queue_free(&q);

	s = pool_id2solvable(pool, find(repo, "c"));
	queue_init(&q);
	solvable_lookup_idarray(s, SOLVABLE_TRACK_FEATURES, &q);
	assert_int_equal(q.count, 1);
	assert_string_equal(pool_id2str(pool, q.elements[0]), "t1");
	queue_free(&q);

	/* the record as published: extra keys kept, url from the relative base_url */
	assert_int_equal(hpc_repodata_record(repo, find(repo, "b"), path, &r, NULL), 0);
	assert_string_equal(r.noarch, "generic");
	assert_int_equal(r.timestamp, 1700000000123ULL);
	assert_string_equal(r.channel, "https://example.org/chan");
	assert_string_equal(r.subdir, "linux-64");
	assert_string_equal(r.fn, "b-2.0-1.tar.bz2");
	assert_string_equal(r.url, "https://example.org/chan/linux-64/../pkgs/b-2.0-1.tar.bz2");
	assert_int_equal(r.constrains.n, 2);
	assert_string_equal(r.constrains.v[1], "z[build=x]");
	hpc_record_fini(&r);
	assert_int_equal(hpc_repodata_record(repo, find(repo, "c"), path, &r, NULL), 0);
	assert_string_equal(r.noarch, "python");
	assert_string_equal(r.license, "MIT");
	hpc_record_fini(&r);

	/* without the JSON, the solvable's own data */
	assert_int_equal(hpc_repodata_record(repo, find(repo, "b"), NULL, &r, NULL), 0);
	assert_string_equal(r.name, "b");
	assert_string_equal(r.build, "1");
	assert_int_equal(r.build_number, 1);
	assert_string_equal(r.noarch, "generic");
	assert_int_equal(r.timestamp, 1700000000000ULL);
	assert_int_equal(r.track_features.n, 3);
	assert_int_equal(r.constrains.n, 2);
	assert_string_equal(r.constrains.v[1], "z[build=x]");
	assert_string_equal(r.url, "https://example.org/chan/linux-64/../pkgs/b-2.0-1.tar.bz2");
	hpc_record_fini(&r);
	hpc_repodata_stats_fini(&st);
	pool_free(pool);
	tu_tmpdir_free(dir);
	free(path);
}

static void test_base_urls_and_tar_bz2_only(void **state)
{
	char *dir = tu_tmpdir(), *path = hpc_path_join(dir, "r.json");
	struct hpc_repodata_opts o = opts_for("noarch");
	struct hpc_repodata_stats st;
	struct hpc_record r;
	Pool *pool = new_pool();
	Repo *repo = repo_create(pool, "x");

	/* conda-subchannel writes the channel URL as metadata.base_url */
	tu_write(dir, "r.json", "{\"metadata\": {\"base_url\": \"https://conda.anaconda.org/cf\"},"
				" \"packages.conda\": {\"x-1-0.conda\": {\"name\": \"x\","
				" \"version\": \"1\", \"build\": \"0\"}},"
				" \"packages\": {\"x-1-0.tar.bz2\": {\"name\": \"x\","
				" \"version\": \"1\", \"build\": \"0\"}}}");
	assert_int_equal(hpc_repodata_parse(repo, path, &o, &st, NULL), 0);
	assert_int_equal(st.records, 1);
	assert_int_equal(hpc_repodata_record(repo, find(repo, "x"), path, &r, NULL), 0);
	assert_string_equal(r.url, "https://conda.anaconda.org/cf/noarch/x-1-0.conda");
	hpc_record_fini(&r);
	hpc_repodata_stats_fini(&st);
	repo_empty(repo, 1);

	o.use_only_tar_bz2 = true;
	assert_int_equal(hpc_repodata_parse(repo, path, &o, &st, NULL), 0);
	assert_int_equal(st.records, 1);
	assert_int_equal(hpc_repodata_record(repo, find(repo, "x"), path, &r, NULL), 0);
	assert_string_equal(r.fn, "x-1-0.tar.bz2");
	hpc_record_fini(&r);
	hpc_repodata_stats_fini(&st);
	pool_free(pool);
	tu_tmpdir_free(dir);
	free(path);
}

static void expect_parse_error(const char *content, const char *want)
{
	char *dir = tu_tmpdir(), *path = hpc_path_join(dir, "bad.json");
	struct hpc_repodata_opts o = opts_for("linux-64");
	struct hpc_repodata_stats st;
	struct hpc_error *e = NULL;
	Pool *pool = new_pool();
	Repo *repo = repo_create(pool, "x");

	tu_write(dir, "bad.json", content);
	assert_int_equal(hpc_repodata_parse(repo, path, &o, &st, &e), -HPC_E_PARSE);
	assert_err_contains(e, path);
	assert_err_contains(e, want);
	assert_int_equal(repo->nsolvables, 0);
	hpc_error_clear(&e);
	pool_free(pool);
	tu_tmpdir_free(dir);
	free(path);
}

static void test_errors(void **state)
{
	struct hpc_repodata_opts o = opts_for("linux-64");
	struct hpc_repodata_stats st;
	struct hpc_error *e = NULL;
	char *dir = tu_tmpdir(), *path = hpc_path_join(dir, "empty.json");
	Pool *pool = new_pool();
	Repo *repo = repo_create(pool, "x");

	expect_parse_error("{\"packages\": {\"a-1-0.tar.bz2\": {\"name\": \"a\",\n \"ver",
			   ":2:");
	expect_parse_error("{\"packages\": {\"a-1-0.tar.bz2\": {\"name\": \"a\",\n \"ver",
			   "truncated JSON");
	expect_parse_error("{\"packages\": {\n\n  oops}}",
			   "bad.json:3:3: invalid JSON: lexical error: invalid char in json text");
	expect_parse_error("[1, 2]", "must be a JSON object");
	expect_parse_error("\"text\"", "must be a JSON object");
	/* CEP-36: an empty file is an empty channel */
	tu_write(dir, "empty.json", "");
	assert_int_equal(hpc_repodata_parse(repo, path, &o, &st, &e), 0);
	assert_int_equal(st.records, 0);
	hpc_repodata_stats_fini(&st);
	free(path);
	path = hpc_path_join(dir, "missing.json");
	assert_int_equal(hpc_repodata_parse(repo, path, &o, &st, &e), -HPC_E_NOTFOUND);
	assert_err_contains(e, "missing.json");
	hpc_error_clear(&e);
	pool_free(pool);
	tu_tmpdir_free(dir);
	free(path);
}

/* Virtual packages become a repo "@" whose solvables carry name, version and build, and
 * whose records (when asked for) come back in solvable order. */
static void test_vpkgs(void **state)
{
	struct hpc_vpkg v[] = { { "__glibc", "2.36", "0" }, { "__archspec", "1", "x86_64_v4" } };
	struct hpc_vpkgs vp = { v, 2 };
	struct hpc_repodata_opts o = opts_for("linux-64");
	struct hpc_record recs[2];
	Pool *pool = new_pool();
	Repo *repo = hpc_repodata_add_vpkgs(pool, &vp, &o, recs);
	Solvable *s;

	assert_string_equal(repo->name, "@");
	assert_int_equal(repo->nsolvables, 2);
	for (int i = 0; i < 2; i++) {
		s = pool_id2solvable(pool, repo->start + i);
		assert_string_equal(pool_id2str(pool, s->name), v[i].name);
		assert_string_equal(pool_id2str(pool, s->evr), v[i].version);
		assert_string_equal(solvable_lookup_str(s, SOLVABLE_BUILDFLAVOR), v[i].build);
		assert_string_equal(recs[i].name, v[i].name);
		assert_string_equal(recs[i].build, v[i].build);
		hpc_record_fini(&recs[i]);
	}
	/* without records nothing is kept (ASan would see a leak) */
	repo = hpc_repodata_add_vpkgs(pool, &vp, &o, NULL);
	assert_int_equal(repo->nsolvables, 2);
	pool_free(pool);
}

static void test_solv_round_trip(void **state)
{
	char *dir = tu_tmpdir();
	char *json = tu_shared("repodata/conda-forge-subset-py39-linux-64-2024.json");
	char *solv = hpc_path_join(dir, "x.solv");
	struct hpc_repodata_opts o = opts_for("linux-64");
	struct hpc_repodata_stats st;
	struct hpc_strv a = HPC_STRV_INIT, b = HPC_STRV_INIT;
	struct hpc_record r1, r2;
	struct hpc_error *e = NULL;
	Pool *p1 = new_pool(), *p2 = new_pool();
	Repo *r = repo_create(p1, "a"), *w = repo_create(p2, "b");
	Id id;

	assert_int_equal(hpc_repodata_parse(r, json, &o, &st, &e), 0);
	assert_int_equal(hpc_repodata_write_solv(r, solv, "url=x etag=1", &e), 0);
	assert_int_equal(hpc_repodata_read_solv(w, solv, "url=x etag=2", &e), -HPC_E_NOTFOUND);
	assert_err_contains(e, "stale");
	hpc_error_clear(&e);
	assert_int_equal(w->nsolvables, 0);
	assert_int_equal(hpc_repodata_read_solv(w, solv, "url=x etag=1", &e), 0);
	describe_repo(r, &a, true);
	describe_repo(w, &b, true);
	assert_int_equal(a.n, b.n);
	for (size_t k = 0; k < a.n; k++)
		assert_string_equal(a.v[k], b.v[k]);
	hpc_strv_fini(&a);
	hpc_strv_fini(&b);
	/* records come back whole from a .solv-loaded repo, extra keys and all */
	id = find(r, "python");
	assert_int_equal(hpc_repodata_record(r, id, json, &r1, NULL), 0);
	assert_int_equal(hpc_repodata_record(w, find(w, "python"), json, &r2, NULL), 0);
	assert_string_equal(r1.url, r2.url);
	assert_string_equal(r1.channel, "https://example.org/chan");
	assert_string_equal(r1.channel, r2.channel);
	assert_non_null(r2.extra_json);
	assert_string_equal(r1.extra_json, r2.extra_json);
	assert_int_equal(r1.depends.n, r2.depends.n);
	hpc_record_fini(&r1);
	hpc_record_fini(&r2);
	repo_empty(w, 1);

	/* a corrupt or missing index is reported as missing (rebuild it) */
	assert_int_equal(truncate(solv, 1000), 0);
	assert_int_equal(hpc_repodata_read_solv(w, solv, "url=x etag=1", &e), -HPC_E_NOTFOUND);
	hpc_error_clear(&e);
	assert_int_equal(w->nsolvables, 0);
	unlink(solv);
	assert_int_equal(hpc_repodata_read_solv(w, solv, "url=x etag=1", &e), -HPC_E_NOTFOUND);
	hpc_error_clear(&e);
	hpc_repodata_stats_fini(&st);
	pool_free(p1);
	pool_free(p2);
	tu_tmpdir_free(dir);
	free(json);
	free(solv);
}

/* The byte range kept per record is exactly the record's JSON object. */
static void test_offsets_cover_records(void **state)
{
	char *json = tu_shared("repodata/defaults-r-linux-64-2018.json"), *text = NULL;
	struct hpc_repodata_opts o = opts_for("linux-64");
	struct hpc_repodata_stats st;
	Pool *pool = new_pool();
	Repo *repo = repo_create(pool, "x");
	Id koff, klen, p;
	Solvable *s;
	size_t len;

	assert_int_equal(hpc_file_read(json, &text, &len, NULL), 0);
	assert_int_equal(hpc_repodata_parse(repo, json, &o, &st, NULL), 0);
	koff = pool_str2id(pool, HPC_KEY_JSON_OFFSET, 0);
	klen = pool_str2id(pool, HPC_KEY_JSON_LENGTH, 0);
	FOR_REPO_SOLVABLES(repo, p, s) {
		uint64_t off = solvable_lookup_num(s, koff, 0), n = solvable_lookup_num(s, klen, 0);

		assert_true(off + n <= len);
		assert_int_equal(text[off], '{');
		assert_int_equal(text[off + n - 1], '}');
	}
	hpc_repodata_stats_fini(&st);
	pool_free(pool);
	free(text);
	free(json);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_same_as_repo_add_conda),
		cmocka_unit_test(test_features),
		cmocka_unit_test(test_base_urls_and_tar_bz2_only),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_vpkgs),
		cmocka_unit_test(test_solv_round_trip),
		cmocka_unit_test(test_offsets_cover_records),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
