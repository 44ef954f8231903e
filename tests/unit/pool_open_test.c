/* SPDX-License-Identifier: MIT */
/* pool_open_test.c - the pool every command uses: spec dependencies (channel::, [k=v])
 * inside records, channel names per configuration, virtual packages, the environment */
#include <stdlib.h>
#include <string.h>

#include <solv/evr.h>
#include <solv/pool.h>
#include <solv/repo.h>

#include "testutil.h"

/* A channel of our own whose records depend on other channels' packages by spec. */
static const char mine_json[] =
	"{\"info\": {\"subdir\": \"linux-64\"}, \"packages\": {"
	" \"app-1.0-0.tar.bz2\": {\"name\": \"app\", \"version\": \"1.0\", \"build\": \"0\","
	"  \"build_number\": 0, \"depends\": [\"conda-forge::python >=3.9\","
	"  \"numpy[build=*openblas*]\", \"__glibc >=2.17\", \"__unix\"],"
	"  \"constrains\": [\"conda-forge::openssl >=3\"]},"
	" \"tool-1.0-0.tar.bz2\": {\"name\": \"tool\", \"version\": \"1.0\", \"build\": \"0\","
	"  \"build_number\": 0, \"depends\": [\"defaults::python\", \"__glibc >=2.30\"]},"
	" \"numpy-1.26.4-py39_openblas_0.tar.bz2\": {\"name\": \"numpy\", \"version\": \"1.26.4\","
	"  \"build\": \"py39_openblas_0\", \"build_number\": 0, \"depends\": []},"
	" \"numpy-1.26.4-py39_mkl_0.tar.bz2\": {\"name\": \"numpy\", \"version\": \"1.26.4\","
	"  \"build\": \"py39_mkl_0\", \"build_number\": 0, \"depends\": []},"
	" \"python-3.9.99-0.tar.bz2\": {\"name\": \"python\", \"version\": \"3.9.99\","
	"  \"build\": \"0\", \"build_number\": 0, \"depends\": []}}}";

struct fx {
	char *tmp, *cf_url, *mine_url;
	struct hpc_config *cfg;
	struct hpc_channel_list chans;
	struct hpc_virtual_host host;
	struct tu_log log;
};

static void copy_shared(const char *rel, const char *dir, const char *to)
{
	char *from = tu_shared(rel), *data = NULL;
	size_t len;

	assert_int_equal(hpc_file_read(from, &data, &len, NULL), 0);
	tu_write(dir, to, data);
	free(data);
	free(from);
}

static int setup(void **state)
{
	struct fx *fx = hpc_xcalloc(1, sizeof(*fx));
	struct hpc_strv cli = HPC_STRV_INIT;
	char *yaml;

	fx->tmp = tu_tmpdir();
	copy_shared("repodata/conda-forge-subset-py39-linux-64-2024.json", fx->tmp,
		    "chans/conda-forge/linux-64/repodata.json");
	copy_shared("repodata/conda-forge-subset-py39-noarch-2024.json", fx->tmp,
		    "chans/conda-forge/noarch/repodata.json");
	tu_write(fx->tmp, "chans/mine/linux-64/repodata.json", mine_json);
	fx->cf_url = hpc_xasprintf("file://%s/chans/conda-forge", fx->tmp);
	fx->mine_url = hpc_xasprintf("file://%s/chans/mine", fx->tmp);
	/* names resolve through channel_alias; "defaults" is our own channel */
	yaml = hpc_xasprintf("pkgs_dirs: [%s/pkgs]\nchannel_alias: file://%s/chans\n"
			     "default_channels: ['%s']\n", fx->tmp, fx->tmp, fx->mine_url);
	fx->cfg = hpc_config_new();
	assert_int_equal(hpc_config_load_string(fx->cfg, "rc", yaml, strlen(yaml), NULL, NULL),
			 0);
	free(yaml);
	hpc_strv_push(&cli, "mine");
	hpc_strv_push(&cli, "conda-forge");
	hpc_channel_list_init(&fx->chans);
	assert_int_equal(hpc_channel_list_resolve(&fx->chans, fx->cfg, &cli, true, NULL), 0);
	hpc_strv_fini(&cli);
	strcpy(fx->host.sysname, "Linux");
	strcpy(fx->host.release, "5.14.0");
	strcpy(fx->host.machine, "x86_64");
	strcpy(fx->host.native_subdir, "linux-64");
	strcpy(fx->host.libc_family, "glibc");
	strcpy(fx->host.libc_version, "2.28");
	strcpy(fx->host.archspec, "haswell");
	tu_log_init(&fx->log);
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fx *fx = *state;

	hpc_channel_list_fini(&fx->chans);
	hpc_config_free(fx->cfg);
	tu_log_fini(&fx->log);
	tu_tmpdir_free(fx->tmp);
	free(fx->cf_url);
	free(fx->mine_url);
	free(fx);
	return 0;
}

static char *no_env[] = { NULL };

static struct hpc_pool *open_pool(struct fx *fx, const char *prefix, bool no_virtual)
{
	struct hpc_pool_open_opts o = { .platform = "linux-64", .channels = &fx->chans,
					.prefix = prefix, .no_virtual = no_virtual,
					.host = &fx->host, .envp = no_env };
	struct hpc_pool *p;
	struct hpc_error *e = NULL;

	if (hpc_pool_open(fx->cfg, &o, &fx->log.ev, &p, &e))
		fail_msg("%s", e->msg);
	return p;
}

static Id find(Pool *pool, const char *name, const char *build)
{
	for (Id p = 2; p < pool->nsolvables; p++) {
		Solvable *s = pool->solvables + p;
		const char *b = s->repo ? solvable_lookup_str(s, SOLVABLE_BUILDFLAVOR) : NULL;

		if (s->repo && !strcmp(pool_id2str(pool, s->name), name) &&
		    (!build || (b && !strcmp(b, build))))
			return p;
	}
	fail_msg("no %s %s", name, build ? build : "");
	return 0;
}

/* The requirement (or constraint) of s on package `name`. */
static Id dep_on(Solvable *s, Id key, const char *name)
{
	Pool *pool = s->repo->pool;
	Queue q;
	Id found = 0;

	queue_init(&q);
	solvable_lookup_deparray(s, key, &q, -1);
	for (int i = 0; i < q.count; i++) {
		Id d = q.elements[i], n = ISRELDEP(d) ? GETRELDEP(pool, d)->name : d;

		if (!strcmp(pool_id2str(pool, n), name))
			found = d;
	}
	queue_free(&q);
	if (!found)
		fail_msg("%s has no dependency on %s", pool_solvable2str(pool, s), name);
	return found;
}

static bool in_repo(Pool *pool, Id p, const char *channel_url)
{
	const char *r = pool->solvables[p].repo->name;

	return !strncmp(r, channel_url, strlen(channel_url)) && r[strlen(channel_url)] == '/';
}

/* python >= 3.9 solvables of one channel, counted without any MatchSpec code. */
static int count_python(Pool *pool, const char *channel_url)
{
	Id pyname = pool_str2id(pool, "python", 0);
	int n = 0;

	for (Id p = 2; p < pool->nsolvables; p++) {
		Solvable *s = pool->solvables + p;

		n += s->repo && s->name == pyname && in_repo(pool, p, channel_url) &&
		     pool_evrcmp_str(pool, pool_id2str(pool, s->evr), "3.9", EVRCMP_COMPARE) >= 0;
	}
	return n;
}

static void check_app(struct fx *fx, Pool *pool)
{
	Solvable *app = pool->solvables + find(pool, "app", NULL);
	Id d, p, pp, openblas = find(pool, "numpy", "py39_openblas_0");
	int n = 0;

	/* conda-forge::python >=3.9: every conda-forge python >= 3.9, not mine's 3.9.99 */
	d = dep_on(app, SOLVABLE_REQUIRES, "python");
	FOR_PROVIDES(p, pp, d) {
		assert_true(in_repo(pool, p, fx->cf_url));
		n++;
	}
	assert_int_equal(n, count_python(pool, fx->cf_url));
	assert_true(n > 10);
	/* numpy[build=*openblas*]: the openblas build only */
	d = dep_on(app, SOLVABLE_REQUIRES, "numpy");
	n = 0;
	FOR_PROVIDES(p, pp, d)
		assert_int_equal(p, openblas), n++;
	assert_int_equal(n, 1);
	/* a constraint with a channel: only conda-forge's openssl 3 */
	d = dep_on(app, SOLVABLE_CONSTRAINS, "openssl");
	n = 0;
	FOR_PROVIDES(p, pp, d) {
		assert_true(in_repo(pool, p, fx->cf_url));
		assert_true(pool_evrcmp_str(pool, pool_id2str(pool, pool->solvables[p].evr), "3",
					    EVRCMP_COMPARE) >= 0);
		n++;
	}
	assert_true(n > 0);
}

static void test_spec_dependencies(void **state)
{
	struct fx *fx = *state;
	struct hpc_pool *p = open_pool(fx, NULL, false);
	Pool *pool = hpc_pool_libsolv(p);
	Solvable *tool;
	Id d, s, ss;
	int n = 0;

	assert_false(hpc_pool_subdir_at(p, 0)->from_index);
	check_app(fx, pool);
	/* defaults::python, defaults being our own channel here */
	tool = pool->solvables + find(pool, "tool", NULL);
	d = dep_on(tool, SOLVABLE_REQUIRES, "python");
	FOR_PROVIDES(s, ss, d) {
		assert_string_equal(pool_id2str(pool, pool->solvables[s].evr), "3.9.99");
		n++;
	}
	assert_int_equal(n, 1);
	assert_string_equal(hpc_select_dep_str(pool, d), "defaults::python");
	hpc_pool_free(p);

	/* the second pool reads the .solv indexes, which hold the same dependencies */
	p = open_pool(fx, NULL, false);
	for (size_t i = 0; i < hpc_pool_nsubdirs(p); i++)
		if (hpc_pool_subdir_at(p, i)->repo)
			assert_true(hpc_pool_subdir_at(p, i)->from_index);
	check_app(fx, hpc_pool_libsolv(p));
	hpc_pool_free(p);
}

/* Why: libsolv's own parser drops the channel and misreads the brackets. The pool of
 * hpc_pool_new alone (no hpc_pool_use_matchspecs) shows it, with indexes of its own. */
static void test_libsolv_parser_alone(void **state)
{
	struct fx *fx = *state;
	struct hpc_pool *p = hpc_pool_new(fx->cfg, "linux-64", NULL);
	Pool *pool = hpc_pool_libsolv(p);
	Solvable *app;
	Id d, s, ss;
	bool mine = false;

	assert_int_equal(hpc_pool_load_channels(p, &fx->chans, 0, NULL), 0);
	pool_createwhatprovides(pool);
	app = pool->solvables + find(pool, "app", NULL);
	FOR_PROVIDES(s, ss, dep_on(app, SOLVABLE_REQUIRES, "python"))
		mine |= in_repo(pool, s, fx->mine_url);
	assert_true(mine);
	/* the bracket spec becomes a requirement nothing can provide */
	d = 0;
	for (Id *r = app->repo->idarraydata + app->requires; *r; r++)
		if (strstr(pool_dep2str(pool, *r), "numpy"))
			d = *r;
	assert_non_null(d);
	FOR_PROVIDES(s, ss, d)
		fail_msg("'%s' is provided by %s", pool_dep2str(pool, d),
			 pool_solvable2str(pool, pool->solvables + s));
	hpc_pool_free(p);
}

static void test_virtual_packages(void **state)
{
	struct fx *fx = *state;
	struct hpc_pool *p = open_pool(fx, NULL, false);
	Pool *pool = hpc_pool_libsolv(p);
	Solvable *app = pool->solvables + find(pool, "app", NULL);
	Solvable *tool = pool->solvables + find(pool, "tool", NULL);
	Id glibc = find(pool, "__glibc", NULL), s, ss;
	struct hpc_record r;
	int n = 0;

	assert_true(hpc_pool_is_virtual(p, glibc));
	assert_false(hpc_pool_is_virtual(p, find(pool, "app", NULL)));
	assert_string_equal(pool_id2str(pool, pool->solvables[glibc].evr), "2.28");
	FOR_PROVIDES(s, ss, dep_on(app, SOLVABLE_REQUIRES, "__glibc"))
		assert_int_equal(s, glibc), n++;
	assert_int_equal(n, 1);
	FOR_PROVIDES(s, ss, dep_on(app, SOLVABLE_REQUIRES, "__unix"))
		assert_true(hpc_pool_is_virtual(p, s)), n++;
	assert_int_equal(n, 2);
	/* glibc 2.28 is too old for >=2.30 */
	FOR_PROVIDES(s, ss, dep_on(tool, SOLVABLE_REQUIRES, "__glibc"))
		fail_msg("__glibc >=2.30 provided by %s",
			 pool_solvable2str(pool, pool->solvables + s));
	assert_int_equal(pool->solvables[glibc].repo->priority, 3); /* above both channels */
	assert_int_equal(hpc_pool_record(p, glibc, &r, NULL), 0);
	assert_string_equal(r.channel, "@");
	assert_string_equal(r.subdir, "linux-64");
	assert_string_equal(r.version, "2.28");
	hpc_record_fini(&r);
	assert_non_null(pool_str2id(pool, "__archspec", 0));
	hpc_pool_free(p);

	/* without them, nothing provides __glibc */
	p = open_pool(fx, NULL, true);
	pool = hpc_pool_libsolv(p);
	app = pool->solvables + find(pool, "app", NULL);
	FOR_PROVIDES(s, ss, dep_on(app, SOLVABLE_REQUIRES, "__glibc"))
		fail_msg("__glibc provided without virtual packages");
	hpc_pool_free(p);
}

/* conda-meta records with spec dependencies become the same dependencies. */
static void test_environment(void **state)
{
	struct fx *fx = *state;
	char *prefix = hpc_path_join(fx->tmp, "env");
	struct hpc_pool *p;
	Pool *pool;
	Solvable *s;
	Id d, q, qq;
	int n = 0;

	tu_write(prefix, "conda-meta/app-1.0-0.json",
		 "{\"name\": \"app\", \"version\": \"1.0\", \"build\": \"0\", \"build_number\": 0,"
		 " \"channel\": \"https://example.org/x\", \"subdir\": \"linux-64\","
		 " \"depends\": [\"conda-forge::openssl >=3.2\"]}");
	p = open_pool(fx, prefix, false);
	pool = hpc_pool_libsolv(p);
	assert_non_null(pool->installed);
	s = pool->solvables + pool->installed->start;
	d = dep_on(s, SOLVABLE_REQUIRES, "openssl");
	assert_string_equal(hpc_select_dep_str(pool, d), "conda-forge::openssl[version='>=3.2']");
	FOR_PROVIDES(q, qq, d) {
		assert_true(in_repo(pool, q, fx->cf_url));
		n++;
	}
	assert_true(n > 0);
	hpc_pool_free(p);
	free(prefix);
}

static void test_errors(void **state)
{
	struct fx *fx = *state;
	char *bad_env[] = { "CONDA_OVERRIDE_GLIBC=2.x&", NULL };
	struct hpc_channel_list far;
	struct hpc_pool_open_opts o = { .platform = "linux-65" };
	struct hpc_pool *p = (struct hpc_pool *)1;
	struct hpc_error *e = NULL;

	assert_int_equal(hpc_pool_open(fx->cfg, &o, NULL, &p, &e), -HPC_E_USAGE);
	assert_null(p);
	assert_err_contains(e, "unknown platform 'linux-65'");
	hpc_error_clear(&e);

	/* a bad override fails before any download (the channel would not answer) */
	hpc_channel_list_init(&far);
	assert_int_equal(hpc_channel_parse(&far, fx->cfg, "http://127.0.0.1:9/nothing", NULL), 0);
	o = (struct hpc_pool_open_opts){ .channels = &far, .envp = bad_env, .host = &fx->host };
	assert_true(hpc_pool_open(fx->cfg, &o, NULL, &p, &e) < 0);
	assert_err_contains(e, "CONDA_OVERRIDE_GLIBC");
	hpc_error_clear(&e);
	hpc_channel_list_fini(&far);

	/* a channel that is not there */
	hpc_channel_list_init(&far);
	assert_int_equal(hpc_channel_parse(&far, fx->cfg, "nowhere", NULL), 0);
	o = (struct hpc_pool_open_opts){ .channels = &far, .host = &fx->host, .envp = no_env };
	assert_int_equal(hpc_pool_open(fx->cfg, &o, NULL, &p, &e), -HPC_E_CHANNEL);
	assert_err_contains(e, "channel 'nowhere' not found");
	hpc_error_clear(&e);
	hpc_channel_list_fini(&far);

	/* no options: an empty pool with this machine's virtual packages */
	assert_int_equal(hpc_pool_open(fx->cfg, NULL, NULL, &p, &e), 0);
	assert_non_null(pool_str2id(hpc_pool_libsolv(p), "__unix", 0));
	hpc_pool_free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_spec_dependencies, setup, teardown),
		cmocka_unit_test_setup_teardown(test_libsolv_parser_alone, setup, teardown),
		cmocka_unit_test_setup_teardown(test_virtual_packages, setup, teardown),
		cmocka_unit_test_setup_teardown(test_environment, setup, teardown),
		cmocka_unit_test_setup_teardown(test_errors, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
