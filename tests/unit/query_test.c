/* SPDX-License-Identifier: MIT */
/* query_test.c - search, depends and whoneeds on the real conda-forge and pytorch
 * repodata of shared/data, checked against the JSON itself; an environment made of real
 * records; channel priority in the choice of a dependency */
#include <fnmatch.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

struct fx {
	char *tmp;
	struct hpc_config *cfg;
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

	fx->tmp = tu_tmpdir();
	copy_shared("repodata/conda-forge-subset-py39-linux-64-2024.json", fx->tmp,
		    "cf/linux-64/repodata.json");
	copy_shared("repodata/conda-forge-subset-py39-noarch-2024.json", fx->tmp,
		    "cf/noarch/repodata.json");
	copy_shared("repodata/pytorch-linux-64-2023.json", fx->tmp, "pt/linux-64/repodata.json");
	use_config(fx, NULL);
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fx *fx = *state;

	hpc_config_free(fx->cfg);
	tu_tmpdir_free(fx->tmp);
	free(fx);
	return 0;
}

static char *no_env[] = { NULL };

/* A pool of the given channels (directories under tmp), and optionally an environment. */
static struct hpc_pool *open_pool(struct fx *fx, const char *const *chans, const char *prefix)
{
	struct hpc_channel_list l;
	struct hpc_pool_open_opts o = { .platform = "linux-64", .channels = &l,
					.prefix = prefix, .envp = no_env };
	struct hpc_pool *p;
	struct hpc_error *e = NULL;

	hpc_channel_list_init(&l);
	for (size_t i = 0; chans && chans[i]; i++) {
		char *path = hpc_path_join(fx->tmp, chans[i]);

		assert_int_equal(hpc_channel_parse(&l, fx->cfg, path, NULL), 0);
		free(path);
	}
	if (hpc_pool_open(fx->cfg, &o, NULL, &p, &e))
		fail_msg("%s", e->msg);
	hpc_channel_list_fini(&l);
	return p;
}

static struct hpc_matchspec *spec(const char *s)
{
	struct hpc_error *e = NULL;
	struct hpc_matchspec *ms = hpc_matchspec_parse(s, &e);

	if (!ms)
		fail_msg("%s", e->msg);
	return ms;
}

/* Records of one repodata.json satisfying pred, as the pool keeps them (a .conda hides the
 * .tar.bz2 of the same stem). */
static size_t count_json(const char *rel, bool (*pred)(json_t *rec))
{
	char *path = tu_shared(rel);
	json_t *root = json_load_file(path, 0, NULL), *conda, *tar, *rec;
	const char *fn;
	size_t n = 0;

	assert_non_null(root);
	conda = json_object_get(root, "packages.conda");
	tar = json_object_get(root, "packages");
	json_object_foreach(conda, fn, rec)
		n += pred(rec);
	json_object_foreach(tar, fn, rec) {
		char *stem = hpc_xasprintf("%.*s.conda", (int)(strlen(fn) - 8), fn);

		n += !json_object_get(conda, stem) && pred(rec);
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

static bool pytorch_cpu(json_t *r)
{
	return !strcmp(js(r, "name"), "pytorch") && !fnmatch("*cpu*", js(r, "build"), 0);
}

static bool openssl_3(json_t *r)
{
	return !strcmp(js(r, "name"), "openssl") &&
	       hpc_version_cmp_str(js(r, "version"), "3", NULL) >= 0;
}

/* Sorted newest first within a name. */
static void assert_newest_first(const struct hpc_query_pkgs *l)
{
	for (size_t i = 1; i < l->n; i++) {
		const struct hpc_record *a = &l->v[i - 1].rec, *b = &l->v[i].rec;
		int c = strcmp(a->name, b->name);

		if (c > 0 || (!c && hpc_version_cmp_str(a->version, b->version, NULL) < 0) ||
		    (!c && !hpc_version_cmp_str(a->version, b->version, NULL) &&
		     a->build_number < b->build_number))
			fail_msg("%s %s %s before %s %s %s", a->name, a->version, a->build, b->name,
				 b->version, b->build);
	}
}

/* A brief answer: the same packages, the same fields the pool has, nothing read. */
static void assert_brief_same(struct hpc_pool *p, const struct hpc_matchspec *ms,
			      const struct hpc_query_pkgs *full)
{
	struct hpc_query_pkgs b;

	assert_int_equal(hpc_query_search(p, ms, HPC_QUERY_CHANNELS, HPC_QUERY_BRIEF, &b, NULL),
			 0);
	assert_int_equal(b.n, full->n);
	for (size_t i = 0; i < b.n; i++) {
		const struct hpc_record *x = &b.v[i].rec, *y = &full->v[i].rec;

		assert_int_equal(b.v[i].solvable, full->v[i].solvable);
		assert_string_equal(b.v[i].channel, full->v[i].channel);
		assert_string_equal(x->name, y->name);
		assert_string_equal(x->version, y->version);
		assert_string_equal(x->build, y->build);
		assert_int_equal(x->build_number, y->build_number);
		assert_string_equal(x->channel, y->channel);
		assert_string_equal(x->subdir, y->subdir);
		assert_string_equal(x->fn, y->fn);
		assert_int_equal(x->timestamp / 1000, y->timestamp / 1000);
		assert_null(x->md5);
		assert_int_equal(x->depends.n, 0);
	}
	hpc_query_pkgs_fini(&b);
}

static void test_search(void **state)
{
	struct fx *fx = *state;
	struct hpc_pool *p = open_pool(fx, (const char *const[]){ "pt", "cf", NULL }, NULL);
	struct hpc_matchspec *ms = spec("pytorch[build=*cpu*]");
	struct hpc_query_pkgs l;
	char *pt_url = hpc_xasprintf("file://%s/pt", fx->tmp);

	assert_int_equal(hpc_query_search(p, ms, HPC_QUERY_CHANNELS, 0, &l, NULL), 0);
	assert_int_equal(l.n, count_json("repodata/pytorch-linux-64-2023.json", pytorch_cpu));
	assert_true(l.n > 50);
	for (size_t i = 0; i < l.n; i++) {
		assert_non_null(strstr(l.v[i].rec.build, "cpu"));
		assert_string_equal(l.v[i].channel, pt_url);
		assert_string_equal(l.v[i].rec.channel, pt_url);
		assert_non_null(l.v[i].rec.md5);
	}
	assert_newest_first(&l);
	assert_string_equal(l.v[0].rec.version, "2.1.0");
	assert_brief_same(p, ms, &l);
	hpc_query_pkgs_fini(&l);
	hpc_matchspec_free(ms);

	/* several names: grouped by name */
	ms = spec("openssl>=3");
	assert_int_equal(hpc_query_search(p, ms, HPC_QUERY_CHANNELS, 0, &l, NULL), 0);
	assert_int_equal(l.n, count_json("repodata/conda-forge-subset-py39-linux-64-2024.json",
					 openssl_3));
	assert_string_equal(l.v[0].rec.version, "3.3.0");
	assert_string_equal(l.v[0].rec.build, "hd590300_0");
	hpc_query_pkgs_fini(&l);
	hpc_matchspec_free(ms);
	ms = spec("*[subdir=noarch, license=MIT]");
	assert_int_equal(hpc_query_search(p, ms, HPC_QUERY_CHANNELS, 0, &l, NULL), 0);
	assert_newest_first(&l);
	assert_string_equal(l.v[0].rec.name, "pip");
	assert_string_equal(l.v[l.n - 1].rec.name, "wheel");
	for (size_t i = 0; i < l.n; i++) {
		assert_string_equal(l.v[i].rec.subdir, "noarch");
		assert_string_equal(l.v[i].rec.license, "MIT");
	}
	hpc_query_pkgs_fini(&l);
	hpc_matchspec_free(ms);

	/* nothing: an empty answer; virtual packages are not search results */
	ms = spec("__glibc");
	assert_int_equal(hpc_query_search(p, ms, HPC_QUERY_CHANNELS, 0, &l, NULL), 0);
	assert_int_equal(l.n, 0);
	hpc_query_pkgs_fini(&l);
	hpc_matchspec_free(ms);
	free(pt_url);
	hpc_pool_free(p);
}

static const struct hpc_query_node *kid(const struct hpc_query_graph *g,
					const struct hpc_query_node *n, const char *name)
{
	for (size_t i = 0; i < n->nkids; i++)
		if (n->kids[i].pkg >= 0 && !strcmp(g->pkgs.v[n->kids[i].pkg].rec.name, name))
			return &n->kids[i];
	return NULL;
}

/* Every package once in pkgs, and FIRST exactly once among the nodes. */
static void count_first(const struct hpc_query_node *n, int *firsts)
{
	if (n->mark == HPC_QUERY_FIRST)
		firsts[n->pkg]++;
	for (size_t i = 0; i < n->nkids; i++)
		count_first(&n->kids[i], firsts);
}

static void assert_graph(const struct hpc_query_graph *g)
{
	int *firsts = hpc_xcalloc(g->pkgs.n + 1, sizeof(int));

	for (size_t i = 0; i < g->nroots; i++)
		count_first(&g->roots[i], firsts);
	for (size_t i = 0; i < g->pkgs.n; i++) {
		if (firsts[i] != 1)
			fail_msg("%s: %d first appearances", g->pkgs.v[i].rec.name, firsts[i]);
		if (i && g->pkgs.v[i].solvable == g->pkgs.v[i - 1].solvable)
			fail_msg("%s twice", g->pkgs.v[i].rec.name);
	}
	free(firsts);
}

static void test_depends(void **state)
{
	struct fx *fx = *state;
	struct hpc_pool *p = open_pool(fx, (const char *const[]){ "cf", NULL }, NULL);
	struct hpc_matchspec *ms = spec("python=3.9");
	struct hpc_query_graph g;
	const struct hpc_query_node *root, *n, *pip;

	assert_int_equal(hpc_query_depends(p, ms, HPC_QUERY_CHANNELS, 0, &g, NULL), 0);
	assert_int_equal(g.nroots, 1);
	root = &g.roots[0];
	assert_string_equal(g.pkgs.v[root->pkg].rec.version, "3.9.19");
	assert_string_equal(g.pkgs.v[root->pkg].rec.build, "h0755675_0_cpython");
	assert_int_equal(g.pkgs.v[root->pkg].depth, 0);
	assert_null(g.pkgs.v[root->pkg].via);
	n = kid(&g, root, "openssl");
	assert_non_null(n);
	assert_string_equal(n->dep, "openssl >=3.2.1,<4.0a0");
	assert_string_equal(g.pkgs.v[n->pkg].rec.version, "3.3.0");
	assert_string_equal(g.pkgs.v[n->pkg].via, "openssl >=3.2.1,<4.0a0");
	assert_int_equal(g.pkgs.v[n->pkg].depth, 1);
	assert_non_null(kid(&g, root, "ncurses"));
	pip = kid(&g, root, "pip"); /* add_pip_as_python_dependency */
	assert_non_null(pip);
	assert_int_equal(pip->nkids, 0); /* not recursive */
	/* every requirement of the record is a child */
	assert_int_equal(root->nkids, g.pkgs.v[root->pkg].rec.depends.n);
	assert_graph(&g);
	hpc_query_graph_fini(&g);
	hpc_matchspec_free(ms);

	ms = spec("nothing-like-this");
	assert_int_equal(hpc_query_depends(p, ms, HPC_QUERY_CHANNELS, 0, &g, NULL), 0);
	assert_int_equal(g.nroots, 0);
	hpc_query_graph_fini(&g);
	hpc_matchspec_free(ms);
	hpc_pool_free(p);
}

static void test_depends_recursive(void **state)
{
	struct fx *fx = *state;
	struct hpc_pool *p = open_pool(fx, (const char *const[]){ "cf", NULL }, NULL);
	struct hpc_matchspec *ms = spec("python=3.9");
	struct hpc_query_graph g;
	const struct hpc_query_node *root, *n, *pip;

	assert_int_equal(hpc_query_depends(p, ms, HPC_QUERY_CHANNELS, HPC_QUERY_RECURSIVE, &g,
					   NULL), 0);
	root = &g.roots[0];
	assert_graph(&g);
	/* pip needs python: the python of the tree, a cycle */
	pip = kid(&g, root, "pip");
	assert_int_equal(pip->mark, HPC_QUERY_FIRST);
	n = kid(&g, pip, "python");
	assert_non_null(n);
	assert_int_equal(n->mark, HPC_QUERY_CYCLE);
	assert_int_equal(n->pkg, root->pkg);
	/* libgcc-ng is everywhere: expanded once (under bzip2, the first child), then seen */
	n = kid(&g, kid(&g, root, "bzip2"), "libgcc-ng");
	assert_int_equal(n->mark, HPC_QUERY_FIRST);
	assert_int_equal(g.pkgs.v[n->pkg].depth, 2);
	assert_string_equal(g.pkgs.v[n->pkg].via, "libgcc-ng >=12");
	n = kid(&g, kid(&g, root, "xz"), "libgcc-ng");
	assert_non_null(n);
	assert_int_equal(n->mark, HPC_QUERY_SEEN);
	assert_int_equal(kid(&g, root, "libgcc-ng")->mark, HPC_QUERY_SEEN);
	for (size_t i = 0; i < g.pkgs.n; i++)
		assert_false(!strcmp(g.pkgs.v[i].rec.name, "python") && (long)i != root->pkg);
	hpc_query_graph_fini(&g);
	hpc_matchspec_free(ms);
	hpc_pool_free(p);
}

static void assert_distinct_kids(const struct hpc_query_graph *g,
				 const struct hpc_query_node *n)
{
	for (size_t i = 0; i < n->nkids; i++) {
		assert_distinct_kids(g, &n->kids[i]);
		if (i && !strcmp(g->pkgs.v[n->kids[i].pkg].rec.name,
				 g->pkgs.v[n->kids[i - 1].pkg].rec.name))
			fail_msg("two %s", g->pkgs.v[n->kids[i].pkg].rec.name);
	}
}

static void test_whoneeds(void **state)
{
	struct fx *fx = *state;
	struct hpc_pool *p = open_pool(fx, (const char *const[]){ "cf", NULL }, NULL);
	struct hpc_matchspec *ms = spec("openssl=3.3");
	struct hpc_query_graph g;
	bool python = false;

	assert_int_equal(hpc_query_whoneeds(p, ms, HPC_QUERY_CHANNELS, 0, &g, NULL), 0);
	assert_true(g.nroots >= 1);
	assert_graph(&g);
	for (size_t i = 0; i < g.pkgs.n; i++) {
		const struct hpc_query_pkg *k = &g.pkgs.v[i];

		if (k->depth == 0) {
			assert_string_equal(k->rec.name, "openssl");
			continue;
		}
		/* each needer requires openssl in a way 3.3 satisfies */
		assert_non_null(k->via);
		assert_true(hpc_str_startswith(k->via, "openssl"));
		python |= !strcmp(k->rec.name, "python") && !strcmp(k->rec.version, "3.9.19");
		assert_int_equal(k->depth, 1);
	}
	assert_true(python);
	hpc_query_graph_fini(&g);
	hpc_matchspec_free(ms);

	/* recursive: who needs python (pip) appears below */
	ms = spec("openssl=3.3.0=hd590300_0");
	assert_int_equal(hpc_query_whoneeds(p, ms, HPC_QUERY_CHANNELS, HPC_QUERY_RECURSIVE, &g,
					    NULL), 0);
	assert_graph(&g);
	python = false;
	for (size_t i = 0; i < g.pkgs.n; i++)
		python |= !strcmp(g.pkgs.v[i].rec.name, "pip") && g.pkgs.v[i].depth >= 2;
	assert_true(python); /* openssl <- python <- pip, or deeper */
	hpc_query_graph_fini(&g);
	hpc_matchspec_free(ms);
	hpc_pool_free(p);
}

/* All the openssls: each dependent once, under the newest openssl its requirements
 * accept; roots needed by other roots stay roots. */
static void test_whoneeds_grouped(void **state)
{
	struct fx *fx = *state;
	struct hpc_pool *p = open_pool(fx, (const char *const[]){ "cf", NULL }, NULL);
	struct hpc_matchspec *ms;
	struct hpc_query_graph g;
	bool python;

	ms = spec("openssl");
	assert_int_equal(hpc_query_whoneeds(p, ms, HPC_QUERY_CHANNELS, 0, &g, NULL), 0);
	assert_graph(&g);
	python = false;
	for (size_t i = 0; i < g.nroots; i++)
		for (size_t j = 0; j < g.roots[i].nkids; j++) {
			const struct hpc_query_node *k = &g.roots[i].kids[j];
			struct hpc_matchspec *dep = spec(k->dep);

			if (k->mark != HPC_QUERY_FIRST)
				fail_msg("%s %s %s under %s: %d", g.pkgs.v[k->pkg].rec.name,
					 g.pkgs.v[k->pkg].rec.version, k->dep,
					 g.pkgs.v[g.roots[i].pkg].rec.version, k->mark);
			assert_true(hpc_matchspec_match(dep, &g.pkgs.v[g.roots[i].pkg].rec));
			for (size_t r = 0; r < i; r++)
				assert_false(hpc_matchspec_match(dep,
								 &g.pkgs.v[g.roots[r].pkg].rec));
			python |= !strcmp(g.pkgs.v[k->pkg].rec.name, "python") &&
				  !strcmp(g.pkgs.v[g.roots[i].pkg].rec.version, "1.1.1w");
			hpc_matchspec_free(dep);
		}
	assert_true(python); /* older pythons need openssl 1.1.1 */
	hpc_query_graph_fini(&g);
	hpc_matchspec_free(ms);

	/* roots needed by other roots are roots all the same */
	ms = spec("lib*");
	assert_int_equal(hpc_query_whoneeds(p, ms, HPC_QUERY_CHANNELS, 0, &g, NULL), 0);
	python = false;
	for (size_t i = 0; i < g.nroots; i++) {
		const struct hpc_query_node *k = kid(&g, &g.roots[i], "libsqlite");

		assert_int_equal(g.roots[i].mark, HPC_QUERY_FIRST);
		/* libsqlite needs libzlib, though a root itself */
		python |= k && !strcmp(g.pkgs.v[g.roots[i].pkg].rec.name, "libzlib") &&
			  k->mark == HPC_QUERY_SEEN;
		if (!strcmp(g.pkgs.v[g.roots[i].pkg].rec.name, "libsqlite") &&
		    !strcmp(g.pkgs.v[g.roots[i].pkg].rec.version, "3.45.3"))
			assert_non_null(kid(&g, &g.roots[i], "python"));
	}
	assert_true(python);
	hpc_query_graph_fini(&g);
	hpc_matchspec_free(ms);

	hpc_pool_free(p);
}

/* Newest only: one root and one child per name. */
static void test_whoneeds_newest(void **state)
{
	struct fx *fx = *state;
	struct hpc_pool *p = open_pool(fx, (const char *const[]){ "cf", NULL }, NULL);
	struct hpc_matchspec *ms;
	struct hpc_query_graph g;

	ms = spec("openssl");
	assert_int_equal(hpc_query_whoneeds(p, ms, HPC_QUERY_CHANNELS,
					    HPC_QUERY_RECURSIVE | HPC_QUERY_NEWEST, &g, NULL), 0);
	assert_int_equal(g.nroots, 1);
	assert_string_equal(g.pkgs.v[g.roots[0].pkg].rec.version, "3.3.0");
	assert_distinct_kids(&g, &g.roots[0]);
	assert_graph(&g);
	hpc_query_graph_fini(&g);
	hpc_matchspec_free(ms);
	hpc_pool_free(p);
}

/* Write the best record of each spec into prefix/conda-meta, as an installer would. */
static void install(struct hpc_pool *p, const char *prefix, const char *const *specs)
{
	for (size_t i = 0; specs[i]; i++) {
		struct hpc_matchspec *ms = spec(specs[i]);
		struct hpc_query_graph g;
		char *json, *name, *dist;
		struct hpc_record *r;

		assert_int_equal(hpc_query_depends(p, ms, HPC_QUERY_CHANNELS, 0, &g, NULL), 0);
		assert_int_equal(g.nroots, 1);
		r = &g.pkgs.v[g.roots[0].pkg].rec;
		json = hpc_record_to_json(r);
		dist = hpc_record_dist(r);
		name = hpc_xasprintf("%s.json", dist);
		tu_write(prefix, name, json);
		free(dist);
		free(name);
		free(json);
		hpc_query_graph_fini(&g);
		hpc_matchspec_free(ms);
	}
}

static void test_environment(void **state)
{
	struct fx *fx = *state;
	struct hpc_pool *p = open_pool(fx, (const char *const[]){ "cf", NULL }, NULL);
	char *prefix = hpc_path_join(fx->tmp, "env"), *meta = hpc_path_join(prefix, "conda-meta");
	struct hpc_matchspec *ms;
	struct hpc_query_graph g;
	const struct hpc_query_node *root;

	install(p, meta, (const char *const[]){ "python=3.9", "openssl=3.3", "ca-certificates",
						"libgcc-ng", NULL });
	hpc_pool_free(p);
	p = open_pool(fx, NULL, prefix);

	ms = spec("openssl");
	assert_int_equal(hpc_query_whoneeds(p, ms, HPC_QUERY_INSTALLED, 0, &g, NULL), 0);
	assert_int_equal(g.nroots, 1);
	assert_int_equal(g.roots[0].nkids, 1);
	assert_string_equal(g.pkgs.v[g.roots[0].kids[0].pkg].rec.name, "python");
	assert_string_equal(g.pkgs.v[g.roots[0].kids[0].pkg].channel,
			    g.pkgs.v[g.roots[0].kids[0].pkg].rec.channel);
	hpc_query_graph_fini(&g);
	hpc_matchspec_free(ms);

	/* depends inside the environment: what is not installed is missing */
	ms = spec("python");
	assert_int_equal(hpc_query_depends(p, ms, HPC_QUERY_INSTALLED, 0, &g, NULL), 0);
	root = &g.roots[0];
	assert_int_equal(kid(&g, root, "openssl")->mark, HPC_QUERY_FIRST);
	assert_int_equal(kid(&g, root, "libgcc-ng")->mark, HPC_QUERY_FIRST);
	assert_null(kid(&g, root, "ncurses"));
	for (size_t i = 0; i < root->nkids; i++)
		if (hpc_str_startswith(root->kids[i].dep, "ncurses"))
			assert_int_equal(root->kids[i].mark, HPC_QUERY_MISSING);
	assert_int_equal(g.pkgs.n, 3);
	hpc_query_graph_fini(&g);
	hpc_matchspec_free(ms);
	hpc_pool_free(p);
	free(meta);
	free(prefix);
}

static const char lo_json[] =
	"{\"packages\": {\"lib-2.0-0.tar.bz2\": {\"name\": \"lib\", \"version\": \"2.0\","
	" \"build\": \"0\", \"build_number\": 0, \"depends\": []}}}";
static const char hi_json[] =
	"{\"packages\": {\"lib-1.0-0.tar.bz2\": {\"name\": \"lib\", \"version\": \"1.0\","
	" \"build\": \"0\", \"build_number\": 0, \"depends\": []},"
	" \"lib-1.0-1.tar.bz2\": {\"name\": \"lib\", \"version\": \"1.0\", \"build\": \"1\","
	" \"build_number\": 1, \"depends\": [], \"track_features\": \"debug\"},"
	" \"app-1.0-0.tar.bz2\": {\"name\": \"app\", \"version\": \"1.0\", \"build\": \"0\","
	" \"build_number\": 0, \"depends\": [\"lib\", \"__unix\", \"absent >=1\"]}}}";

/* The choice for a dependency: channel priority, then no track_features, then newest. */
static void test_best_choice(void **state)
{
	struct fx *fx = *state;
	struct hpc_matchspec *ms = spec("app");
	const char *const chans[] = { "hi", "lo", NULL };
	struct hpc_query_graph g;
	struct hpc_pool *p;

	tu_write(fx->tmp, "hi/noarch/repodata.json", hi_json);
	tu_write(fx->tmp, "lo/noarch/repodata.json", lo_json);
	p = open_pool(fx, chans, NULL);
	assert_int_equal(hpc_query_depends(p, ms, HPC_QUERY_CHANNELS, 0, &g, NULL), 0);
	assert_string_equal(g.pkgs.v[kid(&g, &g.roots[0], "lib")->pkg].rec.version, "1.0");
	assert_string_equal(g.pkgs.v[kid(&g, &g.roots[0], "lib")->pkg].rec.build, "0");
	assert_string_equal(g.pkgs.v[kid(&g, &g.roots[0], "__unix")->pkg].channel, "@");
	/* children by name: __unix, absent, lib */
	assert_int_equal(g.roots[0].nkids, 3);
	assert_int_equal(g.roots[0].kids[1].mark, HPC_QUERY_MISSING);
	assert_int_equal(g.roots[0].kids[1].pkg, -1);
	assert_string_equal(g.roots[0].kids[1].dep, "absent >=1");
	hpc_query_graph_fini(&g);
	hpc_pool_free(p);

	use_config(fx, "channel_priority: disabled\n");
	p = open_pool(fx, chans, NULL);
	assert_int_equal(hpc_query_depends(p, ms, HPC_QUERY_CHANNELS, 0, &g, NULL), 0);
	assert_string_equal(g.pkgs.v[kid(&g, &g.roots[0], "lib")->pkg].rec.version, "2.0");
	hpc_query_graph_fini(&g);
	hpc_pool_free(p);
	hpc_matchspec_free(ms);
}

/* Which channels a query reads: the spec's own, else the command's. */
static void test_channels(void **state)
{
	struct fx *fx = *state;
	struct hpc_strv cli = HPC_STRV_INIT;
	struct hpc_channel_list l;
	struct hpc_matchspec *ms = spec("conda-forge/osx-arm64::numpy");
	struct hpc_error *e = NULL;

	use_config(fx, "channel_alias: https://mirror.example/c\nchannels: [defaults]\n");
	hpc_strv_push(&cli, "bioconda");
	assert_int_equal(hpc_query_channels(fx->cfg, ms, &cli, false, true, &l, NULL), 0);
	assert_int_equal(l.n, 1);
	assert_string_equal(l.v[0].base_url, "https://mirror.example/c/conda-forge");
	assert_string_equal(l.v[0].platform, "osx-arm64");
	hpc_channel_list_fini(&l);
	/* not only the spec's: the command's first, the spec's after them */
	assert_int_equal(hpc_query_channels(fx->cfg, ms, &cli, false, false, &l, NULL), 0);
	assert_int_equal(l.n, 4);
	assert_string_equal(l.v[0].base_url, "https://mirror.example/c/bioconda");
	assert_string_equal(l.v[3].base_url, "https://mirror.example/c/conda-forge");
	hpc_channel_list_fini(&l);
	hpc_matchspec_free(ms);
	ms = spec("bioconda::numpy"); /* already there */
	assert_int_equal(hpc_query_channels(fx->cfg, ms, &cli, false, false, &l, NULL), 0);
	assert_int_equal(l.n, 3);
	hpc_channel_list_fini(&l);
	hpc_matchspec_free(ms);
	ms = spec("numpy");
	assert_int_equal(hpc_query_channels(fx->cfg, ms, &cli, false, false, &l, NULL), 0);
	assert_int_equal(l.n, 3); /* bioconda, then defaults' main and r */
	assert_string_equal(l.v[0].base_url, "https://mirror.example/c/bioconda");
	assert_string_equal(l.v[1].base_url, "https://repo.anaconda.com/pkgs/main");
	hpc_channel_list_fini(&l);
	hpc_strv_fini(&cli);
	use_config(fx, "channels: []\n");
	assert_int_equal(hpc_query_channels(fx->cfg, ms, &cli, false, false, &l, &e),
			 -HPC_E_CHANNEL);
	hpc_channel_list_fini(&l);
	hpc_matchspec_free(ms);
	ms = spec("conda-forge::numpy"); /* no channels but the spec's */
	assert_int_equal(hpc_query_channels(fx->cfg, ms, &cli, false, false, &l, NULL), 0);
	assert_int_equal(l.n, 1);
	hpc_channel_list_fini(&l);
	hpc_error_free(e);
	hpc_matchspec_free(ms);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_search, setup, teardown),
		cmocka_unit_test_setup_teardown(test_depends, setup, teardown),
		cmocka_unit_test_setup_teardown(test_depends_recursive, setup, teardown),
		cmocka_unit_test_setup_teardown(test_whoneeds, setup, teardown),
		cmocka_unit_test_setup_teardown(test_whoneeds_grouped, setup, teardown),
		cmocka_unit_test_setup_teardown(test_whoneeds_newest, setup, teardown),
		cmocka_unit_test_setup_teardown(test_environment, setup, teardown),
		cmocka_unit_test_setup_teardown(test_best_choice, setup, teardown),
		cmocka_unit_test_setup_teardown(test_channels, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
