/* SPDX-License-Identifier: MIT */
/* select.c - MatchSpecs inside a libsolv pool (see include/hpcenv/select.h)
 *
 * Selection walks the providers of the spec's name (all solvables for a glob name) and
 * asks the MatchSpec matcher about each, reading from the solvable only the attributes the
 * spec constrains. When attached to a pool, parsed versions are cached by their string Id
 * and parsed specs by the Id of their text, so each dependency and each version string is
 * parsed once per pool, as libsolv caches the providers of each dependency once.
 */
#include <stdlib.h>
#include <string.h>

#include <solv/repo.h>
#include <solv/solver.h>
#include <solv/solvable.h>

#include "hpcenv/error.h"
#include "hpcenv/select.h"
#include "matchspec_int.h"
#include "version_int.h"

/* Open-addressing map from a pool Id to a slot of `size` bytes. */
struct idmap {
	Id *keys;
	unsigned char *vals;
	size_t size, cap, n;
};

struct vslot {
	bool ok;
	struct hpc_version v;
};

struct hpc_select {
	Pool *pool;
	struct hpc_channel_resolver res;
	bool has_res;
	Id (*prev_cb)(Pool *, void *, Id, Id);
	void *prev_data;
	struct idmap versions; /* evr Id -> struct vslot */
	struct idmap specs;    /* spec text Id -> struct hpc_matchspec * */
	struct hpc_strv chan_names;  /* resolved channel names ... */
	struct hpc_strv *chan_urls;  /* ... and their URLs */
};

static void *idmap_get(struct idmap *m, Id key, bool *created)
{
	size_t i;

	if (created && 2 * (m->n + 1) > m->cap) {
		struct idmap bigger = { 0, 0, m->size, m->cap ? 2 * m->cap : 64, 0 };

		bigger.keys = hpc_xcalloc(bigger.cap, sizeof(Id));
		bigger.vals = hpc_xcalloc(bigger.cap, m->size);
		for (size_t j = 0; j < m->cap; j++)
			if (m->keys[j])
				memcpy(idmap_get(&bigger, m->keys[j], (bool[]){ false }),
				       m->vals + j * m->size, m->size);
		free(m->keys);
		free(m->vals);
		*m = bigger;
	}
	if (!m->cap)
		return NULL;
	for (i = ((size_t)key * 2654435761u) & (m->cap - 1); m->keys[i];
	     i = (i + 1) & (m->cap - 1))
		if (m->keys[i] == key) {
			if (created)
				*created = false;
			return m->vals + i * m->size;
		}
	if (!created)
		return NULL;
	m->keys[i] = key;
	m->n++;
	*created = true;
	return m->vals + i * m->size;
}

static void idmap_free(struct idmap *m, void (*fini)(void *))
{
	for (size_t i = 0; i < m->cap; i++)
		if (m->keys[i] && fini)
			fini(m->vals + i * m->size);
	free(m->keys);
	free(m->vals);
}

static void vslot_fini(void *p)
{
	hpc_version_fini(&((struct vslot *)p)->v);
}

static void spec_fini(void *p)
{
	hpc_matchspec_free(*(struct hpc_matchspec **)p);
}

/* ---- attaching ---- */

static Id ns_callback(Pool *pool, void *data, Id name, Id evr);

static struct hpc_select *attached(Pool *pool)
{
	return pool->nscallback == ns_callback ? pool->nscallbackdata : NULL;
}

bool hpc_select_attached(Pool *pool)
{
	return attached(pool) != NULL;
}

struct hpc_select *hpc_select_attach(Pool *pool, const struct hpc_channel_resolver *resolver)
{
	struct hpc_select *sel = hpc_xcalloc(1, sizeof(*sel));

	sel->pool = pool;
	if (resolver) {
		sel->res = *resolver;
		sel->has_res = true;
	}
	sel->versions.size = sizeof(struct vslot);
	sel->specs.size = sizeof(struct hpc_matchspec *);
	sel->prev_cb = pool->nscallback;
	sel->prev_data = pool->nscallbackdata;
	pool_setnamespacecallback(pool, ns_callback, sel);
	return sel;
}

void hpc_select_detach(struct hpc_select *sel)
{
	if (!sel)
		return;
	if (attached(sel->pool) == sel)
		pool_setnamespacecallback(sel->pool, sel->prev_cb, sel->prev_data);
	idmap_free(&sel->versions, vslot_fini);
	idmap_free(&sel->specs, spec_fini);
	for (size_t i = 0; i < sel->chan_names.n; i++)
		hpc_strv_fini(&sel->chan_urls[i]);
	free(sel->chan_urls);
	hpc_strv_fini(&sel->chan_names);
	free(sel);
}

/* The URLs a resolver gives for a channel name, cached; NULL without a resolver. A name
 * the resolver rejects stands for no URL at all. */
static const struct hpc_strv *channel_urls(struct hpc_select *sel, const char *name)
{
	struct hpc_strv urls = HPC_STRV_INIT;

	if (!sel || !sel->has_res || !name)
		return NULL;
	for (size_t i = 0; i < sel->chan_names.n; i++)
		if (!strcmp(sel->chan_names.v[i], name))
			return &sel->chan_urls[i];
	if (sel->res.resolve(sel->res.ud, name, &urls, NULL) < 0)
		hpc_strv_fini(&urls);
	hpc_strv_push(&sel->chan_names, name);
	sel->chan_urls = hpc_xrealloc(sel->chan_urls, sel->chan_names.n * sizeof(urls));
	sel->chan_urls[sel->chan_names.n - 1] = urls;
	return &sel->chan_urls[sel->chan_names.n - 1];
}

/* ---- reading solvables ---- */

/* Where a package lives: channel URL and subdir, from a package or subdir URL. */
struct where {
	const Repo *repo;   /* the repo the cached values are for */
	char *channel;      /* channel URL of the repo */
	const char *subdir; /* points into repo name */
};

static void where_fini(struct where *w)
{
	free(w->channel);
	w->channel = NULL;
	w->repo = NULL;
}

/* "https://x/chan/linux-64" -> channel "https://x/chan", subdir "linux-64". */
static void where_from_repo(struct where *w, const Repo *repo)
{
	const char *name = repo->name ? repo->name : "", *slash = strrchr(name, '/');

	where_fini(w);
	w->repo = repo;
	w->channel = hpc_xstrndup(name, slash ? (size_t)(slash - name) : strlen(name));
	w->subdir = slash ? slash + 1 : NULL;
}

/* Package URL "https://x/chan/linux-64/f.conda" -> its channel (caller frees) */
static char *channel_of_url(const char *url)
{
	const char *f = strrchr(url, '/'), *d;

	if (!f)
		return hpc_xstrdup(url);
	d = memrchr(url, '/', (size_t)(f - url));
	return hpc_xstrndup(url, d ? (size_t)(d - url) : (size_t)(f - url));
}

struct cand {
	Pool *pool;
	struct hpc_select *sel;
	const struct hpc_matchspec *ms;
	unsigned fields;
	const struct hpc_strv *urls;
	struct where where;
	Queue ids;          /* scratch for track_features */
	char *subdir_buf;
	struct hpc_version v; /* scratch version when no cache */
};

static const struct hpc_version *parsed_version(struct cand *c, Solvable *s)
{
	const char *evr = pool_id2str(c->pool, s->evr), *why;
	struct vslot *slot;
	bool created;
	size_t col;

	if (!c->sel) {
		bool ok = hpc_version_parse_n(&c->v, evr, strlen(evr), &why, &col) == 0;

		return ok ? &c->v : NULL;
	}
	slot = idmap_get(&c->sel->versions, s->evr, &created);
	if (created)
		slot->ok = hpc_version_parse_n(&slot->v, evr, strlen(evr), &why, &col) == 0;
	return slot->ok ? &slot->v : NULL;
}

static char *package_url(struct cand *c, Solvable *s, const char *fn)
{
	const char *url = solvable_lookup_str(s, SOLVABLE_URL);

	if (url)
		return hpc_xstrdup(url);
	if (!fn || !s->repo->name)
		return NULL;
	return hpc_xasprintf("%s/%s", s->repo->name, fn);
}

static bool channel_ok(struct cand *c, Solvable *s)
{
	const char *url = solvable_lookup_str(s, SOLVABLE_URL);
	char *chan;
	bool ok;

	if (!c->ms->channel)
		return true;
	if (!url) {
		if (c->where.repo != s->repo)
			where_from_repo(&c->where, s->repo);
		return hpc_matchspec_match_channel(c->ms, c->where.channel, c->urls);
	}
	chan = channel_of_url(url);
	ok = hpc_matchspec_match_channel(c->ms, chan, c->urls);
	free(chan);
	return ok;
}

/* MEDIADIR, else the directory of the package URL, else the repo's subdir. The returned
 * text may live in c->subdir_buf. */
static const char *subdir_of(struct cand *c, Solvable *s)
{
	const char *d = solvable_lookup_str(s, SOLVABLE_MEDIADIR), *url, *f, *b;

	if (d)
		return d;
	if ((url = solvable_lookup_str(s, SOLVABLE_URL)) && (f = strrchr(url, '/'))) {
		b = memrchr(url, '/', (size_t)(f - url));
		b = b ? b + 1 : url;
		free(c->subdir_buf);
		c->subdir_buf = hpc_xstrndup(b, (size_t)(f - b));
		return c->subdir_buf;
	}
	if (c->where.repo != s->repo)
		where_from_repo(&c->where, s->repo);
	return c->where.subdir;
}

/* The attributes ms looks at, then the matcher's verdict. */
static bool solvable_matches(struct cand *c, Id p)
{
	Solvable *s = c->pool->solvables + p;
	unsigned f = c->fields;
	struct hpc_pkgview pv = { .name = pool_id2str(c->pool, s->name), .build_number = 0 };
	const char *tf[64];
	char *url = NULL;
	Id type;
	bool ok;

	if (!channel_ok(c, s))
		return false;
	if (f & HPC_MSF_VERSION) {
		pv.version = pool_id2str(c->pool, s->evr);
		pv.parsed = parsed_version(c, s);
		pv.parsed_known = true;
	}
	if (f & HPC_MSF_BUILD)
		pv.build = solvable_lookup_str(s, SOLVABLE_BUILDFLAVOR);
	if (f & HPC_MSF_BUILD_NUMBER) {
		const char *bn = solvable_lookup_str(s, SOLVABLE_BUILDVERSION);

		pv.build_number = bn ? strtol(bn, NULL, 10) : 0;
	}
	if (f & HPC_MSF_SUBDIR)
		pv.subdir = subdir_of(c, s);
	if (f & (HPC_MSF_FN | HPC_MSF_URL))
		pv.fn = solvable_lookup_str(s, SOLVABLE_MEDIAFILE);
	if (f & HPC_MSF_URL)
		pv.url = url = package_url(c, s, pv.fn);
	if (f & HPC_MSF_MD5)
		pv.md5 = solvable_lookup_checksum(s, SOLVABLE_PKGID, &type);
	if (f & HPC_MSF_SHA256)
		pv.sha256 = solvable_lookup_checksum(s, SOLVABLE_CHECKSUM, &type);
	if (f & HPC_MSF_LICENSE)
		pv.license = solvable_lookup_str(s, SOLVABLE_LICENSE);
	if (f & HPC_MSF_TRACK_FEATURES) {
		solvable_lookup_idarray(s, SOLVABLE_TRACK_FEATURES, &c->ids);
		for (int i = 0; i < c->ids.count && i < 64; i++)
			tf[i] = pool_id2str(c->pool, c->ids.elements[i]);
		pv.track_features = tf;
		pv.ntrack_features = c->ids.count < 64 ? (size_t)c->ids.count : 64;
	}
	ok = hpc_matchspec_match_view(c->ms, &pv);
	free(url);
	return ok;
}

static int cmp_id(const void *a, const void *b)
{
	Id x = *(const Id *)a, y = *(const Id *)b;

	return (x > y) - (x < y);
}

static void select_in(struct hpc_select *sel, Pool *pool, const struct hpc_matchspec *ms,
		      Queue *out)
{
	struct cand c = { .pool = pool, .sel = sel, .ms = ms };
	int first = out->count;
	Id p, pp;

	c.fields = hpc_matchspec_fields(ms);
	c.urls = channel_urls(sel, ms->channel);
	queue_init(&c.ids);
	hpc_version_init(&c.v);
	if (!pool->whatprovides)
		pool_createwhatprovides(pool);
	if (hpc_matchspec_name_is_exact(ms)) {
		Id name = pool_str2id(pool, ms->name, 0);

		if (name)
			FOR_PROVIDES(p, pp, name)
				if (pool->solvables[p].name == name && solvable_matches(&c, p))
					queue_push(out, p);
	} else {
		FOR_POOL_SOLVABLES(p) {
			Solvable *s = pool->solvables + p;

			if (s->repo != pool->installed && !pool_installable(pool, s))
				continue;
			if (hpc_matchspec_match_name(ms, pool_id2str(pool, s->name)) &&
			    solvable_matches(&c, p))
				queue_push(out, p);
		}
	}
	if (out->count - first > 1)
		qsort(out->elements + first, (size_t)(out->count - first), sizeof(Id), cmp_id);
	where_fini(&c.where);
	free(c.subdir_buf);
	hpc_version_fini(&c.v);
	queue_free(&c.ids);
}

void hpc_matchspec_select(Pool *pool, const struct hpc_matchspec *ms, Queue *out)
{
	select_in(attached(pool), pool, ms, out);
}

/* ---- dependencies ---- */

/* The spec behind a namespace dependency: cached, or parsed from its text (a pool read
 * from a .solv file holds the text but not our cache). */
static const struct hpc_matchspec *spec_of(struct hpc_select *sel, Id text)
{
	struct hpc_matchspec **slot;
	bool created;

	slot = idmap_get(&sel->specs, text, &created);
	if (created)
		*slot = hpc_matchspec_parse(pool_id2str(sel->pool, text), NULL);
	return *slot;
}

static Id ns_callback(Pool *pool, void *data, Id name, Id evr)
{
	struct hpc_select *sel = data;
	const struct hpc_matchspec *ms = spec_of(sel, evr);
	Queue q;
	Id off;

	if (!ms)
		return sel->prev_cb ? sel->prev_cb(pool, sel->prev_data, name, evr) : 0;
	queue_init(&q);
	select_in(sel, pool, ms, &q);
	/* 0 means "nothing"; an empty whatprovides list (offset 1) would mean "the system" */
	off = q.count ? pool_queuetowhatprovides(pool, &q) : 0;
	queue_free(&q);
	return off;
}

Id hpc_matchspec_to_dep(Pool *pool, const struct hpc_matchspec *ms)
{
	struct hpc_select *sel = attached(pool);
	char *text;
	Id name, evr;

	if (!sel)
		return 0;
	name = pool_str2id(pool, ms->name, 1);
	if (hpc_matchspec_is_name_only(ms))
		return name;
	text = hpc_matchspec_str(ms);
	evr = pool_str2id(pool, text, 1);
	free(text);
	spec_of(sel, evr);
	return pool_rel2id(pool, name, evr, REL_NAMESPACE, 1);
}

int hpc_select_dep(Pool *pool, const char *spec, Id *out, struct hpc_error **err)
{
	struct hpc_matchspec *ms;

	if (!attached(pool))
		return HPC_FAIL(err, BUG, "spec dependency '%s' on a pool without hpc_select",
				spec);
	if (!(ms = hpc_matchspec_parse(spec, err)))
		return -HPC_E_SPEC;
	*out = hpc_matchspec_to_dep(pool, ms);
	hpc_matchspec_free(ms);
	return 0;
}

void hpc_select_job(Pool *pool, const struct hpc_matchspec *ms, int how, Queue *job)
{
	Queue q;

	queue_init(&q);
	hpc_matchspec_select(pool, ms, &q);
	if (q.count) {
		queue_push2(job, SOLVER_SOLVABLE_ONE_OF | how, pool_queuetowhatprovides(pool, &q));
	} else {
		/* libsolv ignores an empty one-of install; ask for the spec text as a name that
		 * nothing provides, so the solve fails and says which spec */
		char *text = hpc_matchspec_str(ms);

		queue_push2(job, SOLVER_SOLVABLE_PROVIDES | how, pool_str2id(pool, text, 1));
		free(text);
	}
	queue_free(&q);
}

const char *hpc_select_dep_str(Pool *pool, Id dep)
{
	if (ISRELDEP(dep)) {
		Reldep *rd = GETRELDEP(pool, dep);

		if (rd->flags == REL_NAMESPACE && !ISRELDEP(rd->evr))
			return pool_id2str(pool, rd->evr);
	}
	return pool_dep2str(pool, dep);
}
