/* SPDX-License-Identifier: MIT */
/* pool.c - channels' repodata and an environment's records in one libsolv pool
 *
 * Loading channels runs in three steps: plan what each subdir needs (nothing, a local
 * file, a conditional download of repodata.json.zst with repodata.json as fallback),
 * run every download in one hpc_fetch batch, then load the subdirs in channel order.
 * A subdir is loaded from its .solv index when the index was made from the very JSON
 * file on disk; otherwise the JSON is parsed into a scratch pool, written as the index
 * and the index read back, so a cold and a warm run give the solver identical pools.
 */
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <solv/pool.h>
#include <solv/conda.h> /* after pool.h, which it needs */
#include <solv/repo.h>
#include <solv/repodata.h>

#include "hpcenv/error.h"
#include "hpcenv/fetch.h"
#include "hpcenv/pool.h"
#include "hpcenv/repocache.h"
#include "hpcenv/repodata.h"
#include "hpcenv/select.h"
#include "hpcenv/virtual.h"

struct load {
	struct hpc_pool_subdir pub;
	struct hpc_repocache_entry cache;
	struct hpc_repocache_state state;
	char *fetch_base;             /* subdir URL with credentials */
	char *label;                  /* "conda-forge/linux-64" for progress */
	struct hpc_fetch_job jobs[2]; /* [0] repodata.json.zst, [1] repodata.json */
	char *urls[2], *dests[2];
	struct hpc_fetch_job *first;  /* the job to run, or NULL */
	double t0;
};

struct hpc_pool {
	Pool *pool;
	const struct hpc_config *cfg;
	const struct hpc_events *ev;
	char *platform;
	enum hpc_channel_priority priority;
	bool use_only_tar_bz2, offline, loaded, add_pip;
	struct hpc_channel_list channels;
	struct load **subdirs;
	size_t nsubdirs;
	char *cache_dir;              /* NULL when no pkgs_dir is writable */
	int (*matchspec)(void *ud, Pool *pool, const char *spec);
	void *matchspec_ud;
	char *matchspec_version;
	Repo *installed;
	struct hpc_record *installed_records; /* by solvable id - installed->start */
	size_t ninstalled;
	struct hpc_select *sel;       /* hpc_pool_use_matchspecs; detached before pool_free */
	Repo *virtual;                /* hpc_pool_add_virtual */
	struct hpc_record *virtual_records; /* by solvable id - virtual->start */
	size_t nvirtual;
};

static int64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

const char *hpc_subdir_source_name(enum hpc_subdir_source s)
{
	static const char *const names[] = { "network", "304", "cache", "local", "missing" };

	return (unsigned)s < 5 ? names[s] : "?";
}

/* ---- the object ---- */

struct hpc_pool *hpc_pool_new(const struct hpc_config *cfg, const char *platform,
			      const struct hpc_events *ev)
{
	struct hpc_pool *p = hpc_xcalloc(1, sizeof(*p));

	p->pool = pool_create();
	pool_setdisttype(p->pool, DISTTYPE_CONDA);
	p->cfg = cfg;
	p->ev = ev;
	p->platform = hpc_xstrdup(platform ? platform : hpc_channel_platform(cfg));
	p->priority = hpc_channel_priority_get(cfg);
	p->use_only_tar_bz2 = hpc_config_get_bool(cfg, "use_only_tar_bz2");
	p->offline = hpc_config_get_bool(cfg, "offline");
	p->add_pip = hpc_config_get_bool(cfg, "add_pip_as_python_dependency");
	hpc_channel_list_init(&p->channels);
	return p;
}

static void load_free(struct load *l)
{
	free(l->pub.subdir);
	free(l->pub.url);
	free(l->pub.json_path);
	free(l->pub.index_path);
	hpc_repocache_entry_fini(&l->cache);
	hpc_repocache_state_fini(&l->state);
	for (int i = 0; i < 2; i++) {
		hpc_fetch_job_fini(&l->jobs[i]);
		free(l->urls[i]);
		free(l->dests[i]);
	}
	free(l->fetch_base);
	free(l->label);
	free(l);
}

void hpc_pool_free(struct hpc_pool *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->nsubdirs; i++)
		load_free(p->subdirs[i]);
	free(p->subdirs);
	for (size_t i = 0; i < p->ninstalled; i++)
		hpc_record_fini(&p->installed_records[i]);
	free(p->installed_records);
	for (size_t i = 0; i < p->nvirtual; i++)
		hpc_record_fini(&p->virtual_records[i]);
	free(p->virtual_records);
	hpc_channel_list_fini(&p->channels);
	hpc_select_detach(p->sel);
	pool_free(p->pool);
	free(p->platform);
	free(p->cache_dir);
	free(p->matchspec_version);
	free(p);
}

void hpc_pool_set_matchspec(struct hpc_pool *p,
			    int (*fn)(void *ud, struct s_Pool *pool, const char *spec), void *ud,
			    const char *version)
{
	p->matchspec = fn;
	p->matchspec_ud = ud;
	free(p->matchspec_version);
	p->matchspec_version = version ? hpc_xstrdup(version) : NULL;
}

/* Dependency strings libsolv's conda parser misreads: it drops the channel of
 * "channel::name" and takes "name[key=value]" for a name. They become namespace
 * dependencies that hpc_select resolves; all others stay libsolv's (faster to solve). */
static bool needs_select(const char *spec)
{
	return strchr(spec, '[') || strstr(spec, "::");
}

static int select_matchspec(void *ud, Pool *pool, const char *spec)
{
	Id id = 0;

	(void)ud;
	if (!needs_select(spec))
		return pool_conda_matchspec(pool, spec);
	/* an invalid spec stays an unparsed string (counted in the parse statistics) */
	return hpc_select_dep(pool, spec, &id, NULL) ? 0 : id;
}

void hpc_pool_use_matchspecs(struct hpc_pool *p, const struct hpc_channel_resolver *resolver)
{
	hpc_select_detach(p->sel);
	p->sel = hpc_select_attach(p->pool, resolver);
	hpc_pool_set_matchspec(p, select_matchspec, NULL, "hpcenv-select/1");
}

struct s_Pool *hpc_pool_libsolv(struct hpc_pool *p)
{
	return p->pool;
}

const char *hpc_pool_platform(const struct hpc_pool *p)
{
	return p->platform;
}

enum hpc_channel_priority hpc_pool_priority(const struct hpc_pool *p)
{
	return p->priority;
}

const struct hpc_channel_list *hpc_pool_channels(const struct hpc_pool *p)
{
	return &p->channels;
}

size_t hpc_pool_nsubdirs(const struct hpc_pool *p)
{
	return p->nsubdirs;
}

const struct hpc_pool_subdir *hpc_pool_subdir_at(const struct hpc_pool *p, size_t i)
{
	return i < p->nsubdirs ? &p->subdirs[i]->pub : NULL;
}

const struct hpc_pool_subdir *hpc_pool_subdir_of(const struct hpc_pool *p,
						 const struct s_Repo *repo)
{
	for (size_t i = 0; repo && i < p->nsubdirs; i++)
		if (p->subdirs[i]->pub.repo == repo)
			return &p->subdirs[i]->pub;
	return NULL;
}

/* ---- planning ---- */

static bool has_subdir(const struct hpc_pool *p, const char *url)
{
	for (size_t k = 0; k < p->nsubdirs; k++)
		if (!strcmp(p->subdirs[k]->pub.url, url))
			return true;
	return false;
}

static void add_subdirs(struct hpc_pool *p)
{
	for (size_t c = 0; c < p->channels.n; c++) {
		const struct hpc_channel *ch = &p->channels.v[c];
		struct hpc_strv subs = HPC_STRV_INIT;

		hpc_channel_subdirs(ch, p->platform, &subs);
		for (size_t i = 0; i < subs.n; i++) {
			char *url = hpc_channel_subdir_url(ch, subs.v[i], false);
			struct load *l;

			/* "x" and "x/linux-64" share subdirs: the first (higher) one has them */
			if (has_subdir(p, url)) {
				free(url);
				continue;
			}
			l = hpc_xcalloc(1, sizeof(*l));

			l->pub.channel = ch;
			l->pub.channel_index = c;
			l->pub.subdir = hpc_xstrdup(subs.v[i]);
			l->pub.url = url;
			l->fetch_base = hpc_channel_subdir_url(ch, subs.v[i], true);
			l->label = hpc_xasprintf("%s/%s", ch->name, subs.v[i]);
			l->state.has_zst = -1;
			p->subdirs = hpc_xrealloc(p->subdirs,
						  (p->nsubdirs + 1) * sizeof(*p->subdirs));
			p->subdirs[p->nsubdirs++] = l;
		}
		hpc_strv_fini(&subs);
	}
}

static void set_job(struct load *l, int i, const char *url, const char *dest, unsigned flags)
{
	hpc_fetch_job_fini(&l->jobs[i]);
	free(l->urls[i]);
	free(l->dests[i]);
	l->urls[i] = hpc_xstrdup(url);
	l->dests[i] = dest ? hpc_xstrdup(dest) : NULL;
	l->jobs[i] = (struct hpc_fetch_job){ .url = l->urls[i], .dest = l->dests[i],
					     .label = l->label, .flags = flags };
}

/* Conditional requests only with validators of the same resource. */
static void set_validators(struct load *l, int i, const char *plain_url)
{
	if (l->state.valid && !strcmp(l->state.url, plain_url)) {
		l->jobs[i].etag = l->state.etag;
		l->jobs[i].last_modified = l->state.mod;
	}
}

static void plan_network(struct hpc_pool *p, struct load *l, bool force)
{
	char *json = hpc_xasprintf("%s/repodata.json", l->fetch_base);
	char *zst = hpc_xasprintf("%s.zst", json), *plain = hpc_xasprintf("%s/repodata.json",
									l->pub.url);
	char *plain_zst = hpc_xasprintf("%s.zst", plain), *zdest = hpc_xasprintf("%s.zst",
									       l->cache.json);
	bool try_zst = hpc_repocache_try_zst(&l->state, now_ns() / 1000000000LL);

	set_job(l, 1, json, l->cache.json, HPC_FETCH_COMPRESSED | HPC_FETCH_OPTIONAL);
	if (!force)
		set_validators(l, 1, plain);
	l->first = &l->jobs[1];
	if (try_zst) {
		set_job(l, 0, zst, zdest, 0);
		if (!force)
			set_validators(l, 0, plain_zst);
		l->jobs[0].fallback = &l->jobs[1];
		l->first = &l->jobs[0];
	}
	free(json);
	free(zst);
	free(plain);
	free(plain_zst);
	free(zdest);
}

static void plan(struct hpc_pool *p, struct load *l, unsigned flags)
{
	long ttl = hpc_config_get_int(p->cfg, "local_repodata_ttl");
	char *json;

	l->first = NULL;
	l->t0 = hpc_now();
	if (l->pub.channel->local) {
		json = hpc_xasprintf("%s/repodata.json", l->fetch_base);
		set_job(l, 1, json, NULL, HPC_FETCH_IN_PLACE | HPC_FETCH_OPTIONAL);
		l->first = &l->jobs[1];
		free(json);
		return;
	}
	if (p->offline) {
		l->pub.source = hpc_path_exists(l->cache.json) ? HPC_SOURCE_CACHE
							      : HPC_SOURCE_MISSING;
		return;
	}
	if (!(flags & HPC_POOL_REFRESH) && hpc_path_exists(l->cache.json) &&
	    hpc_repocache_fresh(&l->state, ttl, now_ns())) {
		l->pub.source = HPC_SOURCE_CACHE;
		return;
	}
	plan_network(p, l, false);
}

/* ---- fetch results ---- */

static void take_validators(struct load *l, const struct hpc_fetch_job *j, bool zst)
{
	struct hpc_repocache_state *st = &l->state;

	free(st->url); /* without credentials, as conda records it */
	st->url = hpc_xasprintf("%s/repodata.json%s", l->pub.url, zst ? ".zst" : "");
	if (j->etag_out || !j->not_modified) {
		free(st->etag);
		st->etag = hpc_xstrdup(j->etag_out ? j->etag_out : "");
	}
	if (j->last_modified_out || !j->not_modified) {
		free(st->mod);
		st->mod = hpc_xstrdup(j->last_modified_out ? j->last_modified_out : "");
	}
	if (j->cache_control_out || !j->not_modified) {
		free(st->cache_control);
		st->cache_control = hpc_xstrdup(j->cache_control_out ? j->cache_control_out : "");
	}
	st->refresh_ns = now_ns();
}

static int finish_zst(struct hpc_pool *p, struct load *l, struct hpc_error **err)
{
	struct hpc_fetch_job *z = &l->jobs[0];
	int r = 0;

	l->state.has_zst = !z->missing;
	l->state.zst_checked = now_ns() / 1000000000LL;
	if (z->missing)
		return 1; /* the .json job tells the rest */
	l->pub.zst = true;
	if (z->not_modified) {
		l->pub.source = HPC_SOURCE_NOT_MODIFIED;
	} else {
		r = hpc_repocache_unzstd(z->path, l->cache.json, l->pub.url, err);
		unlink(z->path);
		l->pub.source = HPC_SOURCE_NETWORK;
	}
	if (!r)
		take_validators(l, z, true);
	return r;
}

static int finish_fetch(struct hpc_pool *p, struct load *l, struct hpc_error **err)
{
	struct hpc_fetch_job *j = &l->jobs[1];
	struct hpc_error *e = NULL;
	int r = l->first == &l->jobs[0] ? finish_zst(p, l, err) : 1;

	if (r < 0)
		return r;
	if (r > 0 && l->pub.channel->local) {
		l->pub.source = j->missing ? HPC_SOURCE_MISSING : HPC_SOURCE_LOCAL;
		if (!j->missing)
			l->pub.json_path = hpc_xstrdup(j->path);
		return 0;
	}
	if (r > 0 && j->missing) {
		l->pub.source = HPC_SOURCE_MISSING; /* not cached: asked again next time */
		return 0;
	}
	if (r > 0) {
		l->pub.source = j->not_modified ? HPC_SOURCE_NOT_MODIFIED : HPC_SOURCE_NETWORK;
		take_validators(l, j, false);
	}
	if (hpc_repocache_state_save(&l->cache, &l->state, &e)) {
		hpc_warn(p->ev, "cannot record the cache state of '%s': %s", l->pub.url, e->msg);
		hpc_error_free(e);
	}
	return 0;
}

/* The subdir's download finished without error (a 404 included). */
static bool chain_done(const struct load *l)
{
	if (l->first == &l->jobs[0])
		return l->jobs[0].done && (!l->jobs[0].missing || l->jobs[1].done);
	return l->jobs[1].done;
}

static int run_fetch(struct hpc_pool *p, struct load **ls, size_t n, struct hpc_error **err)
{
	struct hpc_fetch_job *jobs = hpc_xcalloc(n ? n : 1, sizeof(*jobs));
	struct load **who = hpc_xcalloc(n ? n : 1, sizeof(*who));
	struct hpc_fetch *f;
	size_t k = 0;
	int r;

	/* hpc_fetch_run takes an array of jobs: copy the first jobs in, results back */
	for (size_t i = 0; i < n; i++)
		if (ls[i]->first) {
			who[k] = ls[i];
			jobs[k++] = *ls[i]->first;
		}
	f = hpc_fetch_new(p->cfg, p->ev);
	r = k ? hpc_fetch_run(f, jobs, k, err) : 0;
	hpc_fetch_free(f);
	for (size_t i = 0; i < k; i++)
		*who[i]->first = jobs[i];
	/* what did arrive is recorded even when another download failed */
	for (size_t i = 0; i < k; i++) {
		int fr = chain_done(who[i]) ? finish_fetch(p, who[i], r ? NULL : err) : 0;

		r = r ? r : fr;
	}
	free(jobs);
	free(who);
	return r;
}

/* ---- loading ---- */

static struct hpc_repodata_opts parse_opts(const struct hpc_pool *p, const struct load *l)
{
	return (struct hpc_repodata_opts){
		.channel = l->pub.channel->base_url, .subdir = l->pub.subdir,
		.subdir_url = l->pub.url, .use_only_tar_bz2 = p->use_only_tar_bz2,
		.matchspec = p->matchspec, .matchspec_ud = p->matchspec_ud,
	};
}

static char *index_key(const struct hpc_pool *p, const struct load *l)
{
	char *k = hpc_repocache_solv_key(l->pub.url, l->pub.json_path, p->use_only_tar_bz2), *k2;

	if (!p->matchspec_version)
		return k;
	k2 = hpc_xasprintf("%s\nmatchspec=%s", k, p->matchspec_version);
	free(k);
	return k2;
}

static void report_parse(const struct hpc_pool *p, const struct load *l,
			 const struct hpc_repodata_stats *st)
{
	if (st->info_subdir && strcmp(st->info_subdir, l->pub.subdir))
		hpc_warn(p->ev, "'%s' says its subdir is '%s'", l->pub.url, st->info_subdir);
	if (st->invalid)
		hpc_warn(p->ev, "'%s': %zu records without name or version ignored", l->pub.url,
			 st->invalid);
	hpc_debug(p->ev, "%s: parsed %zu records (%zu .tar.bz2 hidden by .conda, %zu removed, "
		  "%zu dependency strings left to the solver)", l->pub.url, st->records,
		  st->tar_bz2_hidden, st->removed, st->unparsed);
}

/* Parse the JSON into a scratch pool, write the index and read it into repo, so that a
 * cold run sees exactly what a warm one will. Without an index (NO_INDEX, unwritable
 * cache) the JSON is parsed straight into repo. */
static int build(struct hpc_pool *p, struct load *l, Repo *repo, const char *key, bool index,
		 struct hpc_error **err)
{
	struct hpc_repodata_opts o = parse_opts(p, l);
	struct hpc_repodata_stats st;
	struct hpc_error *e = NULL;
	struct hpc_select *ssel = NULL;
	Pool *scratch;
	Repo *sr;
	int r, w = -1;

	if (index) {
		scratch = pool_create();
		pool_setdisttype(scratch, DISTTYPE_CONDA);
		/* spec dependencies are made in the scratch pool too (resolved in p's) */
		if (p->sel)
			ssel = hpc_select_attach(scratch, NULL);
		sr = repo_create(scratch, l->pub.url);
		r = hpc_repodata_parse(sr, l->pub.json_path, &o, &st, err);
		if (!r) {
			report_parse(p, l, &st);
			hpc_repodata_stats_fini(&st);
			w = hpc_repodata_write_solv(sr, l->pub.index_path, key, &e);
		}
		hpc_select_detach(ssel);
		pool_free(scratch);
		if (r)
			return r;
		if (!w && !hpc_repodata_read_solv(repo, l->pub.index_path, key, &e))
			return 0;
		hpc_debug(p->ev, "%s: no index (%s)", l->pub.url, e ? e->msg : "?");
		hpc_error_free(e);
	}
	r = hpc_repodata_parse(repo, l->pub.json_path, &o, &st, err);
	if (!r && !index)
		report_parse(p, l, &st);
	if (!r)
		hpc_repodata_stats_fini(&st);
	return r;
}

static void set_priority(const struct hpc_pool *p, const struct load *l, Repo *repo)
{
	repo->priority = p->priority == HPC_PRIORITY_DISABLED
				 ? 0 : (int)(p->channels.n - l->pub.channel_index);
	repo->subpriority = 0;
}

/* conda's add_pip_as_python_dependency: python 2 and 3 records depend on pip, added when
 * repodata is read (conda/core/subdir_data.py), so also in the records handed out. */
static bool wants_pip(const Solvable *s)
{
	Pool *pool = s->repo->pool;
	const char *v = pool_id2str(pool, s->evr);

	return !strcmp(pool_id2str(pool, s->name), "python") &&
	       (!strncmp(v, "2.", 2) || !strncmp(v, "3.", 2));
}

static bool requires_name(const Solvable *s, const char *name)
{
	Pool *pool = s->repo->pool;

	for (Id *d = s->requires ? s->repo->idarraydata + s->requires : NULL; d && *d; d++)
		if (!strcmp(pool_id2str(pool, ISRELDEP(*d) ? GETRELDEP(pool, *d)->name : *d), name))
			return true;
	return false;
}

/* The one place add_pip_as_python_dependency is applied (the solver adds nothing): python
 * solvables then require pip in every solve and query, and their records list it. */
void hpc_pool_add_pip_dependency(Pool *pool)
{
	Id pip = pool_str2id(pool, "pip", 0), p;
	bool have = false;
	Solvable *s;

	/* libmamba's rule: without any pip, python would be uninstallable */
	FOR_POOL_SOLVABLES(p)
		have |= pip && pool->solvables[p].name == pip;
	if (!have)
		return;
	FOR_POOL_SOLVABLES(p) {
		s = pool->solvables + p;
		if (s->repo != pool->installed && wants_pip(s) && !requires_name(s, "pip"))
			s->requires = repo_addid_dep(s->repo, s->requires, pip, 0);
	}
}

static int load_one(struct hpc_pool *p, struct load *l, unsigned flags, struct hpc_error **err)
{
	bool index = p->cache_dir && !(flags & HPC_POOL_NO_INDEX);
	char *key;
	Repo *repo;
	int r = 0;

	if (!l->pub.json_path)
		l->pub.json_path = hpc_xstrdup(l->cache.json);
	key = index_key(p, l);
	repo = repo_create(p->pool, l->pub.url);
	if (index) {
		free(l->pub.index_path);
		l->pub.index_path = hpc_xstrdup(l->cache.solv);
		l->pub.from_index = !hpc_repodata_read_solv(repo, l->cache.solv, key, NULL);
	}
	if (!l->pub.from_index)
		r = build(p, l, repo, key, index, err);
	free(key);
	if (r) {
		repo_free(repo, 1);
		return r;
	}
	repo->appdata = l;
	set_priority(p, l, repo);
	l->pub.repo = repo;
	l->pub.records = (size_t)repo->nsolvables;
	l->pub.seconds = hpc_now() - l->t0;
	hpc_debug(p->ev, "%s: %s%s, %zu records %s (%.2f s)", l->pub.url,
		  hpc_subdir_source_name(l->pub.source), l->pub.zst ? " (zst)" : "",
		  l->pub.records, l->pub.from_index ? "from the .solv index" : "parsed",
		  l->pub.seconds);
	return 0;
}

static void move_error(struct hpc_error **err, struct hpc_error *e)
{
	if (err && !*err)
		*err = e;
	else
		hpc_error_free(e);
}

/* A cached JSON that does not parse is fetched again (once), unless offline. */
static int load_subdir(struct hpc_pool *p, struct load *l, unsigned flags,
		       struct hpc_error **err)
{
	struct hpc_error *e = NULL;
	int r;

	if (l->pub.source == HPC_SOURCE_MISSING)
		return 0;
	r = load_one(p, l, flags, &e);
	if (r != -HPC_E_PARSE || l->pub.channel->local || l->pub.source == HPC_SOURCE_NETWORK) {
		if (r == -HPC_E_PARSE)
			r = hpc_error_wrap(&e, r, "repodata of '%s' is invalid", l->pub.url);
		move_error(err, e);
		return r;
	}
	if (p->offline) {
		r = hpc_error_wrap(&e, r, "the cached repodata of '%s' is damaged and offline mode "
				   "prevents fetching it again", l->pub.url);
		move_error(err, e);
		return r;
	}
	hpc_warn(p->ev, "the cached repodata of '%s' is damaged (%s); fetching it again",
		 l->pub.url, e->msg);
	hpc_error_free(e);
	unlink(l->cache.json);
	unlink(l->cache.state);
	unlink(l->cache.solv);
	hpc_repocache_state_fini(&l->state);
	free(l->pub.json_path);
	l->pub.json_path = NULL;
	plan_network(p, l, true);
	r = run_fetch(p, &l, 1, err);
	if (!r && l->pub.source != HPC_SOURCE_MISSING)
		r = load_one(p, l, flags, err);
	return r;
}

/* A channel where no subdir has repodata is an error naming the URLs tried. */
static int check_channels(const struct hpc_pool *p, struct hpc_error **err)
{
	for (size_t c = 0; c < p->channels.n; c++) {
		struct hpc_strbuf urls = HPC_STRBUF_INIT;
		size_t n = 0, missing = 0;
		int r;

		for (size_t i = 0; i < p->nsubdirs; i++) {
			const struct load *l = p->subdirs[i];

			if (l->pub.channel_index != c)
				continue;
			n++;
			if (l->pub.source != HPC_SOURCE_MISSING)
				continue;
			hpc_strbuf_addf(&urls, "%s'%s/repodata.json'", missing++ ? " nor " : "",
					l->pub.url);
		}
		if (n && missing == n) {
			const char *fmt = p->offline && !p->channels.v[c].local
				? "channel '%s' is not in the cache (offline mode): no cached %s"
				: "channel '%s' not found: there is no %s";

			r = HPC_FAILC(err, HPC_E_CHANNEL, fmt, p->channels.v[c].source,
				      hpc_strbuf_str(&urls));
			hpc_strbuf_release(&urls);
			return r;
		}
		hpc_strbuf_release(&urls);
	}
	return 0;
}

static int prepare(struct hpc_pool *p, const struct hpc_channel_list *channels,
		   struct hpc_error **err)
{
	struct hpc_error *e = NULL;
	bool remote = false;

	for (size_t i = 0; i < channels->n; i++) {
		hpc_channel_list_push(&p->channels, &channels->v[i]);
		remote |= !channels->v[i].local;
	}
	if (hpc_repocache_dir(p->cfg, &p->cache_dir, &e)) {
		if (remote) {
			move_error(err, e);
			return -HPC_E_IO;
		}
		hpc_debug(p->ev, "%s; local channels are read without an index", e->msg);
		hpc_error_free(e);
	}
	add_subdirs(p);
	return 0;
}

int hpc_pool_load_channels(struct hpc_pool *p, const struct hpc_channel_list *channels,
			   unsigned flags, struct hpc_error **err)
{
	int r;

	if (p->loaded)
		return HPC_FAIL(err, BUG, "the channels of this pool are already loaded");
	p->loaded = true;
	r = prepare(p, channels, err);
	for (size_t i = 0; !r && i < p->nsubdirs; i++) {
		struct load *l = p->subdirs[i];

		if (p->cache_dir) {
			hpc_repocache_entry_init(&l->cache, p->cache_dir, l->pub.url,
						 p->use_only_tar_bz2);
			if (!l->pub.channel->local)
				hpc_repocache_state_load(&l->cache, &l->state);
		}
		plan(p, l, flags);
	}
	r = r ? r : run_fetch(p, p->subdirs, p->nsubdirs, err);
	r = r ? r : check_channels(p, err);
	for (size_t i = 0; !r && i < p->nsubdirs; i++) {
		if (hpc_cancelled(p->ev))
			return HPC_FAIL(err, INTERRUPTED, "interrupted while loading repodata");
		r = load_subdir(p, p->subdirs[i], flags, err);
	}
	if (!r && p->add_pip)
		hpc_pool_add_pip_dependency(p->pool);
	return r;
}

/* ---- the installed environment ---- */

static int is_json(const struct dirent *d)
{
	return d->d_name[0] != '.' && hpc_str_endswith(d->d_name, ".json");
}

static int add_installed(struct hpc_pool *p, const char *dir, const char *name,
			 struct hpc_error **err)
{
	struct hpc_repodata_opts o = { .matchspec = p->matchspec, .matchspec_ud = p->matchspec_ud };
	char *path = hpc_path_join(dir, name), *text = NULL;
	struct hpc_record rec;
	size_t len;
	Id id;
	int r = hpc_file_read(path, &text, &len, err);

	if (!r)
		r = hpc_record_from_json(&rec, text, len, path, err);
	free(text);
	free(path);
	if (r)
		return r;
	id = hpc_repodata_add_record(p->installed, &rec, &o);
	p->installed_records[id - p->installed->start] = rec;
	p->ninstalled = (size_t)(id - p->installed->start) + 1;
	return 0;
}

int hpc_pool_load_prefix(struct hpc_pool *p, const char *prefix, struct hpc_error **err)
{
	char *dir = hpc_path_join(prefix, "conda-meta");
	struct dirent **names = NULL;
	int n = scandir(dir, &names, is_json, alphasort), r = 0;

	if (n < 0) {
		r = HPC_FAIL(err, NOTFOUND, "'%s' is not an environment: cannot read '%s': %s",
			     prefix, dir, strerror(errno));
		free(dir);
		return r;
	}
	if (p->installed)
		r = HPC_FAIL(err, BUG, "an environment is already loaded");
	if (!r) {
		p->installed = repo_create(p->pool, "installed");
		repo_add_repodata(p->installed, 0);
		p->installed_records = hpc_xcalloc((size_t)n + 1, sizeof(struct hpc_record));
	}
	for (int i = 0; i < n; i++) {
		if (!r)
			r = add_installed(p, dir, names[i]->d_name, err);
		free(names[i]);
	}
	free(names);
	free(dir);
	if (p->installed) {
		repo_internalize(p->installed);
		pool_set_installed(p->pool, p->installed);
	}
	return r ? hpc_error_wrap(err, r, "while reading the environment '%s'", prefix) : 0;
}

/* ---- virtual packages ---- */

int hpc_pool_add_virtual(struct hpc_pool *p, const struct hpc_vpkgs *vp, struct hpc_error **err)
{
	struct hpc_repodata_opts o = { .subdir = p->platform, .matchspec = p->matchspec,
				       .matchspec_ud = p->matchspec_ud };

	if (p->virtual)
		return HPC_FAIL(err, BUG, "virtual packages are already in this pool");
	p->virtual_records = hpc_xcalloc(vp->n + 1, sizeof(*p->virtual_records));
	p->virtual = hpc_repodata_add_vpkgs(p->pool, vp, &o, p->virtual_records);
	p->nvirtual = vp->n;
	/* the system is what it is: no channel may hide a virtual package */
	p->virtual->priority = p->priority == HPC_PRIORITY_DISABLED ? 0
								   : (int)p->channels.n + 1;
	return 0;
}

bool hpc_pool_is_virtual(const struct hpc_pool *p, int solvable)
{
	return p->virtual && solvable >= p->virtual->start && solvable < p->virtual->end &&
	       p->pool->solvables[solvable].repo == p->virtual;
}

/* ---- records ---- */

static bool has_dep_on(const struct hpc_strv *deps, const char *name)
{
	size_t n = strlen(name);

	for (size_t i = 0; i < deps->n; i++)
		if (!strncmp(deps->v[i], name, n) && strchr(" =<>!~[", deps->v[i][n]))
			return true;
	return false;
}

int hpc_pool_record(const struct hpc_pool *p, int solvable, struct hpc_record *out,
		    struct hpc_error **err)
{
	Solvable *s = solvable > 0 && solvable < p->pool->nsolvables
			      ? pool_id2solvable(p->pool, solvable) : NULL;
	const struct load *l = s && s->repo ? s->repo->appdata : NULL;
	int r;

	hpc_record_init(out);
	if (s && p->installed && s->repo == p->installed &&
	    (size_t)(solvable - p->installed->start) < p->ninstalled) {
		hpc_record_copy(out, &p->installed_records[solvable - p->installed->start]);
		return 0;
	}
	if (hpc_pool_is_virtual(p, solvable) &&
	    (size_t)(solvable - p->virtual->start) < p->nvirtual) {
		hpc_record_copy(out, &p->virtual_records[solvable - p->virtual->start]);
		return 0;
	}
	if (!s || !hpc_pool_subdir_of(p, s->repo))
		return HPC_FAIL(err, NOTFOUND, "no package record for solvable %d (%s)", solvable,
				s ? pool_solvable2str(p->pool, s) : "out of range");
	r = hpc_repodata_record(s->repo, solvable, l->pub.json_path, out, err);
	/* the record says what the solvable requires (hpc_pool_add_pip_dependency) */
	if (!r && requires_name(s, "pip") && !has_dep_on(&out->depends, "pip"))
		hpc_strv_push(&out->depends, "pip");
	return r;
}

char *hpc_pool_fetch_url(const struct hpc_pool *p, int solvable)
{
	Solvable *s = solvable > 0 && solvable < p->pool->nsolvables
			      ? pool_id2solvable(p->pool, solvable) : NULL;
	const struct hpc_pool_subdir *sd = s ? hpc_pool_subdir_of(p, s->repo) : NULL;
	Id k = pool_str2id(p->pool, HPC_KEY_PKG_BASE, 0);
	const char *base = sd && k ? repo_lookup_str(s->repo, SOLVID_META, k) : NULL;
	const char *fn = s ? solvable_lookup_str(s, SOLVABLE_MEDIAFILE) : NULL;
	const char *ch = sd ? sd->channel->base_url : NULL;
	size_t n = ch ? strlen(ch) : 0;

	if (!base || !fn)
		return NULL;
	/* credentials go only to the channel's own server */
	if (!strncmp(base, ch, n) && (base[n] == '/' || !base[n]))
		return hpc_xasprintf("%s%s%s", sd->channel->fetch_url, base + n, fn);
	return hpc_xasprintf("%s%s", base, fn);
}
