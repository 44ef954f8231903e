/* SPDX-License-Identifier: MIT */
/* tu_repo.c - test helpers around a libsolv pool (see tu_repo.h) */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "testutil.h"
#include "tu_repo.h"

#include <solv/repo_conda.h>
#include <solv/solvable.h>

Pool *tu_pool_new(void)
{
	Pool *pool = pool_create();

	pool_setdisttype(pool, DISTTYPE_CONDA);
	hpc_select_attach(pool, NULL);
	return pool;
}

void tu_pool_free(Pool *pool)
{
	if (hpc_select_attached(pool))
		hpc_select_detach(pool->nscallbackdata);
	pool_free(pool);
}

static Repo *load_stream(Pool *pool, FILE *f, const char *what, const char *url, int priority)
{
	Repo *repo = repo_create(pool, url);

	if (!f || repo_add_conda(repo, f, 0))
		fail_msg("%s: %s", what, pool_errstr(pool));
	repo->priority = priority;
	return repo;
}

Repo *tu_repo_file(Pool *pool, const char *shared_rel, const char *url, int priority)
{
	char *path = tu_shared(shared_rel);
	FILE *f = fopen(path, "r");
	Repo *repo = load_stream(pool, f, path, url, priority);

	fclose(f);
	free(path);
	return repo;
}

Repo *tu_repo_text(Pool *pool, const char *json, const char *url, int priority)
{
	FILE *f = fmemopen((void *)json, strlen(json), "r");
	Repo *repo = load_stream(pool, f, url, url, priority);

	fclose(f);
	return repo;
}

Repo *tu_repo_json(Pool *pool, json_t *repodata, const char *url, int priority)
{
	char *text = json_dumps(repodata, JSON_COMPACT);
	Repo *repo = tu_repo_text(pool, text, url, priority);

	free(text);
	return repo;
}

void tu_set_installed(Pool *pool, Repo *repo)
{
	Repodata *data = repo_add_repodata(repo, REPO_EXTEND_SOLVABLES);
	Id p;
	Solvable *s;

	FOR_REPO_SOLVABLES(repo, p, s) {
		const char *fn = solvable_lookup_str(s, SOLVABLE_MEDIAFILE);
		char *url = hpc_xasprintf("https://conda.anaconda.org/conda-forge/linux-64/%s",
					  fn ? fn : "x");

		repodata_set_str(data, p, SOLVABLE_URL, url);
		free(url);
	}
	repodata_internalize(data);
	pool_set_installed(pool, repo);
	pool_createwhatprovides(pool);
}

/* The records hpc_pool_add_virtual adds, as a repo "@" above every channel. */
void tu_repo_virtual(Pool *pool, const struct hpc_vpkgs *vp)
{
	struct hpc_repodata_opts o = { .subdir = "linux-64" };

	hpc_repodata_add_vpkgs(pool, vp, &o, NULL)->priority = 1000;
	pool_createwhatprovides(pool);
}

void tu_virtual(Pool *pool, const char *glibc, const char *cuda)
{
	struct hpc_virtual_host host = { .sysname = "Linux", .release = "6.1.0",
					 .machine = "x86_64", .native_subdir = "linux-64",
					 .libc_family = "glibc", .archspec = "x86_64_v3" };
	char *envp[] = { NULL };
	struct hpc_vpkgs vp;
	struct hpc_error *e = NULL;

	snprintf(host.libc_version, sizeof(host.libc_version), "%s", glibc ? glibc : "");
	snprintf(host.cuda, sizeof(host.cuda), "%s", cuda ? cuda : "");
	if (hpc_virtual_packages(&host, "linux-64", envp, &vp, &e))
		fail_msg("%s", e->msg);
	tu_repo_virtual(pool, &vp);
	hpc_vpkgs_fini(&vp);
}

static char *dup_attr(Solvable *s, Id key)
{
	const char *v = solvable_lookup_str(s, key);

	return v ? hpc_xstrdup(v) : NULL;
}

static void deps(Pool *pool, Solvable *s, Id key, struct hpc_strv *out)
{
	Queue q;

	queue_init(&q);
	solvable_lookup_deparray(s, key, &q, -1);
	for (int i = 0; i < q.count; i++)
		hpc_strv_push(out, hpc_select_dep_str(pool, q.elements[i]));
	queue_free(&q);
}

int tu_record(void *ud, Pool *pool, Id p, struct hpc_record *r, struct hpc_error **err)
{
	Solvable *s = pool->solvables + p;
	const char *repo = s->repo->name, *slash = strrchr(repo, '/');
	Id type;
	const char *sum;
	Queue q;

	r->name = hpc_xstrdup(pool_id2str(pool, s->name));
	r->version = hpc_xstrdup(pool_id2str(pool, s->evr));
	r->build = dup_attr(s, SOLVABLE_BUILDFLAVOR);
	r->build_number = strtol(solvable_lookup_str(s, SOLVABLE_BUILDVERSION) ?: "0", NULL, 10);
	r->channel = hpc_xstrndup(repo, slash ? (size_t)(slash - repo) : strlen(repo));
	r->subdir = dup_attr(s, SOLVABLE_MEDIADIR);
	r->fn = dup_attr(s, SOLVABLE_MEDIAFILE);
	r->url = r->fn ? hpc_xasprintf("%s/%s", repo, r->fn) : NULL;
	if ((sum = solvable_lookup_checksum(s, SOLVABLE_PKGID, &type)))
		r->md5 = hpc_xstrdup(sum);
	if ((sum = solvable_lookup_checksum(s, SOLVABLE_CHECKSUM, &type)))
		r->sha256 = hpc_xstrdup(sum);
	r->size = solvable_lookup_num(s, SOLVABLE_DOWNLOADSIZE, 0);
	r->timestamp = 1000 * solvable_lookup_num(s, SOLVABLE_BUILDTIME, 0);
	r->license = dup_attr(s, SOLVABLE_LICENSE);
	deps(pool, s, SOLVABLE_REQUIRES, &r->depends);
	deps(pool, s, SOLVABLE_CONSTRAINS, &r->constrains);
	queue_init(&q);
	solvable_lookup_idarray(s, SOLVABLE_TRACK_FEATURES, &q);
	for (int i = 0; i < q.count; i++)
		hpc_strv_push(&r->track_features, pool_id2str(pool, q.elements[i]));
	queue_free(&q);
	return 0;
}

static void add_line(Pool *pool, struct hpc_strbuf *sb, Id p)
{
	Solvable *s = pool->solvables + p;

	hpc_strbuf_addf(sb, "%s %s %s\n", pool_id2str(pool, s->name), pool_id2str(pool, s->evr),
			solvable_lookup_str(s, SOLVABLE_BUILDFLAVOR) ?: "");
}

char *tu_ids_str(Pool *pool, const Queue *ids)
{
	struct hpc_strbuf sb = HPC_STRBUF_INIT;

	for (int i = 0; i < ids->count; i++)
		add_line(pool, &sb, ids->elements[i]);
	return hpc_strbuf_detach(&sb);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

char *tu_ids_sorted(Pool *pool, const Queue *ids)
{
	struct hpc_strv lines = HPC_STRV_INIT;
	char *s;

	for (int i = 0; i < ids->count; i++) {
		struct hpc_strbuf sb = HPC_STRBUF_INIT;

		add_line(pool, &sb, ids->elements[i]);
		hpc_strv_push_take(&lines, hpc_strbuf_detach(&sb));
	}
	if (lines.n)
		qsort(lines.v, lines.n, sizeof(char *), cmp_str);
	s = hpc_strv_join(&lines, "");
	hpc_strv_fini(&lines);
	return s;
}

int tu_solve(Pool *pool, const char *specs, enum hpc_channel_priority prio, double timeout,
	     struct hpc_solution **sol, struct hpc_problems **pb, struct hpc_error **err)
{
	struct hpc_request rq;
	struct hpc_strv v = HPC_STRV_INIT;
	int r = 0;

	hpc_request_init(&rq);
	rq.priority = prio;
	rq.timeout = timeout;
	hpc_pool_add_pip_dependency(pool); /* as the pool loader does by default */
	hpc_strv_split(&v, specs, ";");
	for (size_t i = 0; i < v.n && r == 0; i++)
		r = hpc_request_add(&rq, HPC_JOB_INSTALL, v.v[i], "command line", err);
	if (r == 0)
		r = hpc_solver_solve(pool, &rq, NULL, sol, pb, err);
	hpc_strv_fini(&v);
	hpc_request_fini(&rq);
	return r;
}

/* The first version literal of a version spec ("1.14.12" of ">=1.14.12,<2.0a0"), or "0"
 * for an upper bound only. */
static char *first_version(const char *vs)
{
	const char *p = vs ? vs : "";
	size_t n;

	while (*p && !(*p >= '0' && *p <= '9'))
		p++;
	if (!*p || (p > vs && p[-1] == '<'))
		return hpc_xstrdup(*p ? "0" : "1");
	n = strspn(p, "0123456789.abcdefghijklmnopqrstuvwxyz_");
	while (n && p[n - 1] == '.')
		n--;
	return hpc_xstrndup(p, n);
}

static void stub_for(json_t *pkgs, const char *spec)
{
	struct hpc_matchspec *ms = hpc_matchspec_parse(spec, NULL);
	struct hpc_record r;
	char *version, *build, *fn;

	if (!ms)
		return;
	version = first_version(ms->version);
	build = hpc_xstrdup(ms->build ? ms->build : "stub_0");
	if (strchr(build, '*')) {
		struct hpc_strbuf sb = HPC_STRBUF_INIT;

		for (char *c = build; *c; c++)
			hpc_strbuf_adds(&sb, *c == '*' ? "stub" : (char[]){ *c, 0 });
		free(build);
		build = hpc_strbuf_detach(&sb);
	}
	hpc_record_init(&r);
	r.name = hpc_xstrdup(ms->name);
	r.version = version;
	r.build = build;
	fn = hpc_xasprintf("%s-%s-%s.tar.bz2", r.name, version, build);
	if (hpc_matchspec_match(ms, &r) && !json_object_get(pkgs, fn))
		json_object_set_new(pkgs, fn, json_pack("{s:s,s:s,s:s,s:i,s:[]}", "name", r.name,
						       "version", version, "build", build,
						       "build_number", 0, "depends"));
	free(fn);
	hpc_record_fini(&r);
	hpc_matchspec_free(ms);
}

int tu_stub_missing(Pool *pool, const char *url)
{
	json_t *pkgs = json_object(), *rd;
	Id p;
	int n;

	pool_createwhatprovides(pool);
	FOR_POOL_SOLVABLES(p) {
		Queue q;

		queue_init(&q);
		solvable_lookup_deparray(pool->solvables + p, SOLVABLE_REQUIRES, &q, -1);
		for (int i = 0; i < q.count; i++) {
			const char *dep = hpc_select_dep_str(pool, q.elements[i]);

			Id off = pool_whatprovides(pool, q.elements[i]);

			if (!pool->whatprovidesdata[off] && strncmp(dep, "__", 2))
				stub_for(pkgs, dep);
		}
		queue_free(&q);
	}
	n = (int)json_object_size(pkgs);
	rd = json_pack("{s:{s:s},s:o}", "info", "subdir", "linux-64", "packages", pkgs);
	if (getenv("TU_STUB_DUMP"))
		json_dump_file(rd, getenv("TU_STUB_DUMP"), JSON_INDENT(1));
	tu_repo_json(pool, rd, url, 0);
	json_decref(rd);
	return n;
}
