/* SPDX-License-Identifier: MIT */
/* pool_test.c - channels and an environment in one libsolv pool: local channels, the
 * .solv index, priorities, missing subdirs, offline, records back */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <solv/pool.h>
#include <solv/conda.h>
#include <solv/repo.h>
#include <solv/selection.h>

#include "testutil.h"

struct fx {
	char *tmp, *chan, *chan_url;
	struct hpc_config *cfg;
	struct tu_log log;
};

static void copy_file(const char *from, const char *to)
{
	char *data = NULL, *dir = hpc_xstrdup(to);
	size_t len;

	*strrchr(dir, '/') = '\0';
	assert_int_equal(hpc_mkdir_p(dir, 0755, NULL), 0);
	assert_int_equal(hpc_file_read(from, &data, &len, NULL), 0);
	assert_int_equal(hpc_file_write_atomic(to, data, len, 0644, NULL), 0);
	free(data);
	free(dir);
}

static void use_config(struct fx *fx, const char *extra)
{
	char *yaml = hpc_xasprintf("pkgs_dirs: [%s/pkgs]\n%s", fx->tmp, extra ? extra : "");

	hpc_config_free(fx->cfg);
	fx->cfg = hpc_config_new();
	assert_int_equal(hpc_config_load_string(fx->cfg, "rc", yaml, strlen(yaml), NULL, NULL),
			 0);
	free(yaml);
}

static int setup(void **state)
{
	struct fx *fx = hpc_xcalloc(1, sizeof(*fx));
	char *src, *dst;

	fx->tmp = tu_tmpdir();
	fx->chan = hpc_path_join(fx->tmp, "my chan");
	src = tu_shared("repodata/conda-forge-subset-py39-linux-64-2024.json");
	dst = hpc_path_join(fx->chan, "linux-64/repodata.json");
	copy_file(src, dst);
	free(src);
	free(dst);
	src = tu_shared("repodata/conda-forge-subset-py39-noarch-2024.json");
	dst = hpc_path_join(fx->chan, "noarch/repodata.json");
	copy_file(src, dst);
	free(src);
	free(dst);
	fx->chan_url = hpc_path_to_file_url(fx->chan);
	tu_log_init(&fx->log);
	fx->log.ev.level = HPC_LOG_DEBUG;
	use_config(fx, NULL);
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fx *fx = *state;

	hpc_config_free(fx->cfg);
	tu_log_fini(&fx->log);
	tu_tmpdir_free(fx->tmp);
	free(fx->chan);
	free(fx->chan_url);
	free(fx);
	return 0;
}

static struct hpc_pool *load(struct fx *fx, const char *const *chans, size_t n, unsigned flags,
			     struct hpc_error **e)
{
	struct hpc_strv cli = HPC_STRV_INIT;
	struct hpc_channel_list l;
	struct hpc_pool *p = hpc_pool_new(fx->cfg, "linux-64", &fx->log.ev);
	int r;

	for (size_t i = 0; i < n; i++)
		hpc_strv_push(&cli, chans[i]);
	hpc_channel_list_init(&l);
	r = hpc_channel_list_resolve(&l, fx->cfg, &cli, true, e);
	if (!r)
		r = hpc_pool_load_channels(p, &l, flags, e);
	hpc_channel_list_fini(&l);
	hpc_strv_fini(&cli);
	if (r) {
		hpc_pool_free(p);
		return NULL;
	}
	return p;
}

static Id find(Pool *pool, const char *name, const char *version)
{
	for (Id p = 2; p < pool->nsolvables; p++) {
		Solvable *s = pool->solvables + p;

		if (s->repo && !strcmp(pool_id2str(pool, s->name), name) &&
		    (!version || !strcmp(pool_id2str(pool, s->evr), version)))
			return p;
	}
	return 0;
}

static void test_local_channel_and_index(void **state)
{
	struct fx *fx = *state;
	const char *chans[] = { fx->chan };
	struct hpc_error *e = NULL;
	struct hpc_pool *p = load(fx, chans, 1, 0, &e);
	const struct hpc_pool_subdir *sd;
	char *want = hpc_xasprintf("%s/linux-64", fx->chan_url);
	size_t n0, n1;

	if (!p)
		fail_msg("%s", e->msg);
	assert_int_equal(hpc_pool_nsubdirs(p), 2);
	sd = hpc_pool_subdir_at(p, 0);
	assert_string_equal(sd->subdir, "linux-64");
	assert_string_equal(sd->url, want);
	assert_string_equal(sd->repo->name, want); /* repos are named by subdir URL */
	assert_int_equal(sd->source, HPC_SOURCE_LOCAL);
	assert_false(sd->from_index);
	assert_true(hpc_str_endswith(sd->json_path, "/my chan/linux-64/repodata.json"));
	assert_true(hpc_path_exists(sd->index_path));
	assert_int_equal(sd->records, (size_t)sd->repo->nsolvables);
	n0 = sd->records;
	n1 = hpc_pool_subdir_at(p, 1)->records;
	assert_true(n0 > 2000 && n1 > 150);
	assert_ptr_equal(hpc_pool_subdir_of(p, sd->repo), sd);
	assert_int_equal(hpc_pool_libsolv(p)->disttype, DISTTYPE_CONDA);
	hpc_pool_free(p);

	/* warm: the same records from the .solv index, no parsing */
	p = load(fx, chans, 1, 0, &e);
	assert_non_null(p);
	assert_true(hpc_pool_subdir_at(p, 0)->from_index);
	assert_true(hpc_pool_subdir_at(p, 1)->from_index);
	assert_int_equal(hpc_pool_subdir_at(p, 0)->records, n0);
	assert_int_equal(hpc_pool_subdir_at(p, 1)->records, n1);
	hpc_pool_free(p);

	/* the channel's JSON changes: its index is rebuilt */
	tu_write(fx->chan, "noarch/repodata.json", "{\"packages\": {\"a-1-0.tar.bz2\": "
		 "{\"name\": \"a\", \"version\": \"1\", \"build\": \"0\"}}}");
	p = load(fx, chans, 1, 0, &e);
	assert_true(hpc_pool_subdir_at(p, 0)->from_index);
	assert_false(hpc_pool_subdir_at(p, 1)->from_index);
	assert_int_equal(hpc_pool_subdir_at(p, 1)->records, 1);
	hpc_pool_free(p);

	/* a damaged index is rebuilt without a word to the user */
	assert_int_equal(truncate(hpc_pool_subdir_at(p = load(fx, chans, 1, 0, &e), 0)->index_path,
				  100), 0);
	hpc_pool_free(p);
	p = load(fx, chans, 1, 0, &e);
	assert_false(hpc_pool_subdir_at(p, 0)->from_index);
	assert_int_equal(hpc_pool_subdir_at(p, 0)->records, n0);
	hpc_pool_free(p);

	/* NO_INDEX: parsed every time, no index path */
	p = load(fx, chans, 1, HPC_POOL_NO_INDEX, &e);
	assert_false(hpc_pool_subdir_at(p, 0)->from_index);
	assert_null(hpc_pool_subdir_at(p, 0)->index_path);
	hpc_pool_free(p);
	free(want);
}

static void test_records(void **state)
{
	struct fx *fx = *state;
	const char *chans[] = { fx->chan };
	struct hpc_error *e = NULL;
	struct hpc_pool *p;
	struct hpc_record r;
	Id id;
	char *url;

	for (int warm = 0; warm < 2; warm++) {
		p = load(fx, chans, 1, 0, &e);
		assert_non_null(p);
		id = find(hpc_pool_libsolv(p), "python", "3.9.19");
		assert_true(id > 0);
		assert_int_equal(hpc_pool_record(p, id, &r, &e), 0);
		assert_string_equal(r.name, "python");
		assert_string_equal(r.channel, fx->chan_url);
		assert_string_equal(r.subdir, "linux-64");
		assert_non_null(r.sha256);
		assert_non_null(r.md5);
		assert_true(r.size > 0);
		assert_true(r.timestamp > 1000000000000ULL);
		assert_true(r.depends.n > 5);
		/* metadata.base_url points the packages at conda-forge itself */
		assert_true(hpc_str_startswith(r.url, "https://conda.anaconda.org/conda-forge/"
						      "linux-64/python-3.9.19-"));
		assert_true(hpc_str_endswith(r.url, r.fn));
		url = hpc_pool_fetch_url(p, id);
		assert_string_equal(url, r.url); /* another server: no credentials */
		free(url);
		hpc_record_fini(&r);
		id = find(hpc_pool_libsolv(p), "tzdata", NULL);
		assert_int_equal(hpc_pool_record(p, id, &r, &e), 0);
		assert_string_equal(r.noarch, "generic");
		assert_string_equal(r.subdir, "noarch");
		hpc_record_fini(&r);
		assert_int_equal(hpc_pool_record(p, 1, &r, &e), -HPC_E_NOTFOUND);
		hpc_error_clear(&e);
		hpc_pool_free(p);
	}
}

static void write_channel(const char *dir, const char *subdir, const char *pkg,
			  const char *version)
{
	char *rel = hpc_xasprintf("%s/repodata.json", subdir);
	char *json = hpc_xasprintf("{\"info\": {\"subdir\": \"%s\"}, \"packages\": {"
				   "\"%s-%s-0.tar.bz2\": {\"name\": \"%s\", \"version\": \"%s\","
				   " \"build\": \"0\", \"build_number\": 0, \"depends\": []}}}",
				   subdir, pkg, version, pkg, version);

	tu_write(dir, rel, json);
	free(rel);
	free(json);
}

static void test_priorities_and_missing(void **state)
{
	struct fx *fx = *state;
	char *a = hpc_path_join(fx->tmp, "a"), *b = hpc_path_join(fx->tmp, "b");
	char *none = hpc_path_join(fx->tmp, "none");
	const char *chans[] = { a, b };
	const char *bad[] = { a, none };
	struct hpc_error *e = NULL;
	struct hpc_pool *p;

	write_channel(a, "noarch", "x", "1.0"); /* a has no linux-64: fine */
	write_channel(b, "linux-64", "x", "2.0");
	write_channel(b, "noarch", "y", "1.0");
	p = load(fx, chans, 2, 0, &e);
	assert_non_null(p);
	assert_int_equal(hpc_pool_nsubdirs(p), 4);
	assert_int_equal(hpc_pool_subdir_at(p, 0)->source, HPC_SOURCE_MISSING);
	assert_null(hpc_pool_subdir_at(p, 0)->repo);
	assert_int_equal(hpc_pool_subdir_at(p, 1)->repo->priority, 2);
	assert_int_equal(hpc_pool_subdir_at(p, 2)->repo->priority, 1);
	assert_int_equal(hpc_pool_subdir_at(p, 3)->repo->priority, 1);
	assert_int_equal(hpc_pool_priority(p), HPC_PRIORITY_FLEXIBLE);
	hpc_pool_free(p);

	/* a channel and the same pinned to a platform share their subdirs */
	{
		char *pinned = hpc_xasprintf("%s/linux-64", b);
		const char *twice[] = { b, pinned };

		p = load(fx, twice, 2, 0, &e);
		assert_non_null(p);
		assert_int_equal(hpc_pool_nsubdirs(p), 2);
		hpc_pool_free(p);
		free(pinned);
	}

	use_config(fx, "channel_priority: disabled\n");
	p = load(fx, chans, 2, 0, &e);
	assert_int_equal(hpc_pool_subdir_at(p, 1)->repo->priority, 0);
	assert_int_equal(hpc_pool_subdir_at(p, 3)->repo->priority, 0);
	assert_int_equal(hpc_pool_priority(p), HPC_PRIORITY_DISABLED);
	hpc_pool_free(p);

	/* neither subdir: an error naming both URLs */
	assert_null(load(fx, bad, 2, 0, &e));
	assert_int_equal(hpc_error_code(e), HPC_E_CHANNEL);
	assert_err_contains(e, "channel '");
	assert_err_contains(e, "/none/linux-64/repodata.json' nor '");
	assert_err_contains(e, "/none/noarch/repodata.json'");
	assert_null(strchr(e->msg, '\n'));
	hpc_error_clear(&e);

	/* a local channel whose JSON is broken names the file */
	tu_write(b, "noarch/repodata.json", "{\"packages\": {\"y-1-0.tar.bz2\": {");
	assert_null(load(fx, chans, 2, 0, &e));
	assert_int_equal(hpc_error_code(e), HPC_E_PARSE);
	assert_err_contains(e, "repodata of 'file://");
	assert_err_contains(hpc_error_root(e), "b/noarch/repodata.json:1:");
	hpc_error_clear(&e);
	free(a);
	free(b);
	free(none);
}

/* An offline run uses the cache as it is; without a cache it says so. */
static void test_offline_cache(void **state)
{
	struct fx *fx = *state;
	const char *chans[] = { "http://user:pw@127.0.0.1:9/chan" };
	char *cache = hpc_path_join(fx->tmp, "pkgs/cache"), *src = hpc_path_join(fx->tmp, "x/"
										  "repodata.json");
	struct hpc_repocache_entry ce;
	struct hpc_error *e = NULL;
	struct hpc_pool *p;
	struct hpc_record r;
	char *url;
	Id id;

	use_config(fx, "offline: true\n");
	assert_null(load(fx, chans, 1, 0, &e));
	assert_int_equal(hpc_error_code(e), HPC_E_CHANNEL);
	assert_err_contains(e, "not in the cache (offline mode)");
	assert_null(strstr(e->msg, ":pw@"));
	hpc_error_clear(&e);

	/* a cached noarch only (as a 404 for linux-64 leaves it) */
	assert_int_equal(hpc_mkdir_p(cache, 0755, NULL), 0);
	hpc_repocache_entry_init(&ce, cache, "http://127.0.0.1:9/chan/noarch", false);
	write_channel(fx->tmp, "x", "z", "3.0");
	copy_file(src, ce.json);
	p = load(fx, chans, 1, 0, &e);
	if (!p)
		fail_msg("%s", e->msg);
	assert_int_equal(hpc_pool_subdir_at(p, 1)->source, HPC_SOURCE_CACHE);
	id = find(hpc_pool_libsolv(p), "z", "3.0");
	assert_int_equal(hpc_pool_record(p, id, &r, &e), 0);
	assert_string_equal(r.url, "http://127.0.0.1:9/chan/noarch/z-3.0-0.tar.bz2");
	assert_string_equal(r.channel, "http://127.0.0.1:9/chan");
	url = hpc_pool_fetch_url(p, id);
	assert_string_equal(url, "http://user:pw@127.0.0.1:9/chan/noarch/z-3.0-0.tar.bz2");
	free(url);
	hpc_record_fini(&r);
	hpc_pool_free(p);
	hpc_repocache_entry_fini(&ce);
	free(src);
	free(cache);
}

static void test_installed(void **state)
{
	struct fx *fx = *state;
	char *prefix = hpc_path_join(fx->tmp, "env");
	struct hpc_pool *p = hpc_pool_new(fx->cfg, NULL, NULL);
	struct hpc_error *e = NULL;
	struct hpc_record r;
	Pool *pool = hpc_pool_libsolv(p);
	Id id;

	tu_write(prefix, "conda-meta/zlib-1.2.13-h5eee18b_0.json",
		 "{\"name\": \"zlib\", \"version\": \"1.2.13\", \"build\": \"h5eee18b_0\","
		 " \"build_number\": 0, \"channel\": \"https://repo.anaconda.com/pkgs/main\","
		 " \"subdir\": \"linux-64\", \"fn\": \"zlib-1.2.13-h5eee18b_0.conda\","
		 " \"depends\": [\"libgcc-ng >=11.2.0\"], \"md5\": \"aaaa\","
		 " \"files\": [\"lib/libz.so\"], \"requested_spec\": \"zlib\"}");
	tu_write(prefix, "conda-meta/python-3.11.0-h0_0.json",
		 "{\"name\": \"python\", \"version\": \"3.11.0\", \"build\": \"h0_0\","
		 " \"build_number\": 0, \"depends\": [\"zlib\", \"pip[version='>=1']\"],"
		 " \"python_site_packages_path\": \"lib/python3.11/site-packages\"}");
	tu_write(prefix, "conda-meta/history", "==> 2024 <==\n");
	assert_int_equal(hpc_pool_load_prefix(p, prefix, &e), 0);
	assert_non_null(pool->installed);
	assert_string_equal(pool->installed->name, "installed");
	assert_int_equal(pool->installed->nsolvables, 2);
	id = find(pool, "zlib", "1.2.13");
	assert_true(id > 0);
	assert_int_equal(pool->solvables[id].repo, pool->installed);
	assert_int_equal(hpc_pool_record(p, id, &r, &e), 0);
	assert_string_equal(r.channel, "https://repo.anaconda.com/pkgs/main");
	assert_non_null(strstr(r.extra_json, "requested_spec"));
	hpc_record_fini(&r);
	id = find(pool, "python", NULL);
	assert_int_equal(hpc_pool_record(p, id, &r, &e), 0);
	assert_string_equal(r.python_site_packages_path, "lib/python3.11/site-packages");
	hpc_record_fini(&r);
	hpc_pool_free(p);

	/* a broken record names its file */
	tu_write(prefix, "conda-meta/bad-1-0.json", "{\"name\": ");
	p = hpc_pool_new(fx->cfg, NULL, NULL);
	assert_int_equal(hpc_pool_load_prefix(p, prefix, &e), -HPC_E_PARSE);
	assert_err_contains(hpc_error_root(e), "conda-meta/bad-1-0.json");
	hpc_error_clear(&e);
	hpc_pool_free(p);
	p = hpc_pool_new(fx->cfg, NULL, NULL);
	assert_int_equal(hpc_pool_load_prefix(p, fx->tmp, &e), -HPC_E_NOTFOUND);
	assert_err_contains(e, "is not an environment");
	hpc_error_clear(&e);
	hpc_pool_free(p);
	free(prefix);
}

/* The solver can use the pool as it is: whatprovides over channel repos. */
static bool requires_name(Pool *pool, Id p, const char *name)
{
	Solvable *s = pool->solvables + p;

	for (Id *d = s->requires ? s->repo->idarraydata + s->requires : NULL; d && *d; d++)
		if (!strcmp(pool_id2str(pool, ISRELDEP(*d) ? GETRELDEP(pool, *d)->name : *d), name))
			return true;
	return false;
}

/* conda's add_pip_as_python_dependency, on by default (the conda-forge subset was made
 * by conda and lists pip already: no second one) */
static void test_pip_for_python(void **state)
{
	struct fx *fx = *state;
	char *py = hpc_path_join(fx->tmp, "py");
	const char *chans[] = { py, fx->chan };
	struct hpc_error *e = NULL;
	struct hpc_record r;

	tu_write(py, "noarch/repodata.json", "{\"packages\": {"
		 "\"python-3.12.0-0.tar.bz2\": {\"name\": \"python\", \"version\": \"3.12.0\","
		 " \"build\": \"0\", \"depends\": [\"zlib\"]},"
		 "\"python-1.5-0.tar.bz2\": {\"name\": \"python\", \"version\": \"1.5\","
		 " \"build\": \"0\", \"depends\": []}}}");
	for (int on = 1; on >= 0; on--) {
		struct hpc_pool *p;
		Pool *pool;
		Id id;

		use_config(fx, on ? NULL : "add_pip_as_python_dependency: false\n");
		p = load(fx, chans, 2, 0, &e);
		pool = hpc_pool_libsolv(p);
		id = find(pool, "python", "3.12.0");
		assert_int_equal(requires_name(pool, id, "pip"), on);
		assert_int_equal(hpc_pool_record(p, id, &r, &e), 0);
		assert_int_equal(hpc_strv_contains(&r.depends, "pip"), on);
		assert_int_equal(r.depends.n, 1 + on);
		hpc_record_fini(&r);
		assert_false(requires_name(pool, find(pool, "python", "1.5"), "pip"));
		id = find(pool, "python", "3.9.19");
		assert_int_equal(hpc_pool_record(p, id, &r, &e), 0);
		assert_int_equal(pool->solvables[id].requires ? 1 : 0, 1);
		assert_int_equal(r.depends.n, 16); /* pip once */
		hpc_record_fini(&r);
		hpc_pool_free(p);
	}
	free(py);
}

static void test_usable_by_libsolv(void **state)
{
	struct fx *fx = *state;
	const char *chans[] = { fx->chan };
	struct hpc_error *e = NULL;
	struct hpc_pool *p = load(fx, chans, 1, 0, &e);
	Pool *pool = hpc_pool_libsolv(p);
	Queue q;

	pool_createwhatprovides(pool);
	queue_init(&q);
	selection_make(pool, &q, "python", SELECTION_NAME);
	assert_true(q.count > 0);
	queue_free(&q);
	assert_true(pool_whatprovides(pool, pool_conda_matchspec(pool, "python 3.9.*")) != 0);
	hpc_pool_free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_local_channel_and_index, setup, teardown),
		cmocka_unit_test_setup_teardown(test_records, setup, teardown),
		cmocka_unit_test_setup_teardown(test_priorities_and_missing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_offline_cache, setup, teardown),
		cmocka_unit_test_setup_teardown(test_installed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pip_for_python, setup, teardown),
		cmocka_unit_test_setup_teardown(test_usable_by_libsolv, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
