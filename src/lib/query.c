/* SPDX-License-Identifier: MIT */
/* query.c - search, depends and whoneeds over a pool, without a solver (query.h)
 *
 * Forward questions use libsolv's whatprovides as a solver would: every requirement of a
 * record is a dependency whose providers libsolv computes (and caches) once per pool.
 * "Who needs X" is the reverse: the records with a requirement whose providers include X.
 * Rather than asking every requirement of the pool for every X, requirements are indexed
 * once by the package name they are on (conda records provide only their own name), so
 * only the requirements on X's name are looked at.
 */
#include <stdlib.h>
#include <string.h>

#include <solv/bitmap.h>
#include <solv/evr.h>
#include <solv/pool.h>
#include <solv/repo.h>
#include <solv/util.h>

#include "hpcenv/error.h"
#include "hpcenv/query.h"
#include "hpcenv/select.h"

/* ---- channels ---- */

static bool has_channel(const struct hpc_channel_list *l, const struct hpc_channel *ch)
{
	for (size_t i = 0; i < l->n; i++)
		if (!strcmp(l->v[i].base_url, ch->base_url) &&
		    (l->v[i].platform ? ch->platform && !strcmp(l->v[i].platform, ch->platform)
				      : !ch->platform))
			return true;
	return false;
}

int hpc_query_channels(const struct hpc_config *cfg, const struct hpc_matchspec *ms,
		       const struct hpc_strv *cli, bool override, bool spec_only,
		       struct hpc_channel_list *out, struct hpc_error **err)
{
	struct hpc_channel_list spec;
	bool none = !cli->n && (override || !hpc_config_get_list(cfg, "channels")->n);
	char *ch;
	int r = 0;

	hpc_channel_list_init(out);
	if (!ms->channel)
		return hpc_channel_list_resolve(out, cfg, cli, override, err);
	hpc_channel_list_init(&spec);
	ch = ms->subdir ? hpc_xasprintf("%s/%s", ms->channel, ms->subdir)
			: hpc_xstrdup(ms->channel);
	r = hpc_channel_parse(&spec, cfg, ch, err);
	free(ch);
	/* the command's channels, unless there are none: then the spec's are enough */
	if (!r && !spec_only && !none)
		r = hpc_channel_list_resolve(out, cfg, cli, override, err);
	for (size_t i = 0; !r && i < spec.n; i++)
		if (!has_channel(out, &spec.v[i]))
			hpc_channel_list_push(out, &spec.v[i]);
	hpc_channel_list_fini(&spec);
	return r;
}

/* ---- ranking ---- */

static long build_number(Solvable *s)
{
	const char *bn = solvable_lookup_str(s, SOLVABLE_BUILDVERSION);

	return bn ? strtol(bn, NULL, 10) : 0;
}

static int track_features(Solvable *s)
{
	Queue q;
	int n;

	queue_init(&q);
	solvable_lookup_idarray(s, SOLVABLE_TRACK_FEATURES, &q);
	n = q.count;
	queue_free(&q);
	return n;
}

#define CMP(x, y) (((x) > (y)) - ((x) < (y)))

/* Newest first: negative when a comes before b. */
static int cmp_newest(Pool *pool, Id a, Id b)
{
	Solvable *sa = pool->solvables + a, *sb = pool->solvables + b;
	unsigned long long ta, tb;
	int r;

	if (sa->evr != sb->evr && (r = pool_evrcmp(pool, sb->evr, sa->evr, EVRCMP_COMPARE)))
		return r;
	if ((r = CMP(build_number(sb), build_number(sa))))
		return r;
	if ((r = CMP(sb->repo->priority, sa->repo->priority)))
		return r;
	ta = solvable_lookup_num(sa, SOLVABLE_BUILDTIME, 0);
	tb = solvable_lookup_num(sb, SOLVABLE_BUILDTIME, 0);
	if ((r = CMP(tb, ta)))
		return r;
	return CMP(a, b);
}

/* What a solver tries first: channel priority, fewer track_features, newest. */
static int cmp_best(Pool *pool, Id a, Id b)
{
	Solvable *sa = pool->solvables + a, *sb = pool->solvables + b;
	int r;

	if ((r = CMP(sb->repo->priority, sa->repo->priority)))
		return r;
	if ((r = CMP(track_features(sa), track_features(sb))))
		return r;
	return cmp_newest(pool, a, b);
}

/* By name, then newest first. */
static int cmp_listed(Pool *pool, Id a, Id b)
{
	int r = strcmp(pool_id2str(pool, pool->solvables[a].name),
		       pool_id2str(pool, pool->solvables[b].name));

	return r ? r : cmp_newest(pool, a, b);
}

static int sort_ids(const void *pa, const void *pb, void *pool)
{
	return cmp_listed(pool, *(const Id *)pa, *(const Id *)pb);
}

/* ---- packages ---- */

static bool in_scope(struct hpc_pool *p, enum hpc_query_scope scope, Id s, bool virt)
{
	Pool *pool = hpc_pool_libsolv(p);
	Repo *repo = pool->solvables[s].repo;

	if (!repo)
		return false;
	if (hpc_pool_is_virtual(p, s))
		return virt;
	return scope == HPC_QUERY_INSTALLED ? repo == pool->installed : repo != pool->installed;
}

static char *dup_or_null(const char *s)
{
	return s ? hpc_xstrdup(s) : NULL;
}

/* What the pool itself knows of a channel record: no file read. */
static void brief_record(Solvable *s, const struct hpc_pool_subdir *sd, struct hpc_record *r)
{
	Pool *pool = s->repo->pool;

	hpc_record_init(r);
	r->name = hpc_xstrdup(pool_id2str(pool, s->name));
	r->version = hpc_xstrdup(pool_id2str(pool, s->evr));
	r->build = dup_or_null(solvable_lookup_str(s, SOLVABLE_BUILDFLAVOR));
	r->build_number = build_number(s);
	r->channel = hpc_xstrdup(sd->channel->base_url);
	r->subdir = hpc_xstrdup(sd->subdir);
	r->fn = dup_or_null(solvable_lookup_str(s, SOLVABLE_MEDIAFILE));
	r->timestamp = solvable_lookup_num(s, SOLVABLE_BUILDTIME, 0) * 1000;
}

static int make_pkg(struct hpc_pool *p, Id s, bool brief, struct hpc_query_pkg *out,
		    struct hpc_error **err)
{
	Solvable *sv = hpc_pool_libsolv(p)->solvables + s;
	const struct hpc_pool_subdir *sd = hpc_pool_subdir_of(p, sv->repo);
	int r = 0;

	memset(out, 0, sizeof(*out));
	out->solvable = s;
	if (brief && sd)
		brief_record(sv, sd, &out->rec);
	else
		r = hpc_pool_record(p, s, &out->rec, err);
	out->channel = sd ? sd->channel->name : out->rec.channel ? out->rec.channel : "";
	return r;
}

void hpc_query_pkgs_fini(struct hpc_query_pkgs *l)
{
	for (size_t i = 0; i < l->n; i++)
		hpc_record_fini(&l->v[i].rec);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

static int fill_pkgs(struct hpc_pool *p, const Queue *q, bool brief, struct hpc_query_pkgs *out,
		     struct hpc_error **err)
{
	out->v = hpc_xcalloc((size_t)q->count + 1, sizeof(*out->v));
	for (int i = 0; i < q->count; i++) {
		int r = make_pkg(p, q->elements[i], brief, &out->v[out->n++], err);

		if (r) {
			hpc_query_pkgs_fini(out);
			return r;
		}
	}
	return 0;
}

/* Matches of ms in scope, by name and newest first. */
static void matches(struct hpc_pool *p, const struct hpc_matchspec *ms,
		    enum hpc_query_scope scope, Queue *q)
{
	Pool *pool = hpc_pool_libsolv(p);
	Queue all;

	queue_init(&all);
	hpc_matchspec_select(pool, ms, &all);
	for (int i = 0; i < all.count; i++)
		if (in_scope(p, scope, all.elements[i], false))
			queue_push(q, all.elements[i]);
	queue_free(&all);
	solv_sort(q->elements, (size_t)q->count, sizeof(Id), sort_ids, pool);
}

int hpc_query_search(struct hpc_pool *p, const struct hpc_matchspec *ms,
		     enum hpc_query_scope scope, unsigned flags, struct hpc_query_pkgs *out,
		     struct hpc_error **err)
{
	Queue q;
	int r;

	memset(out, 0, sizeof(*out));
	queue_init(&q);
	matches(p, ms, scope, &q);
	r = fill_pkgs(p, &q, flags & HPC_QUERY_BRIEF, out, err);
	queue_free(&q);
	return r;
}

/* ---- graphs ---- */

struct walk {
	struct hpc_pool *p;
	Pool *pool;
	enum hpc_query_scope scope;
	bool recursive, reverse, newest, brief;
	long *index;                   /* solvable -> 1 + its place in `order`, 0 if none */
	Map onpath;                    /* the ancestors of the node being expanded */
	Queue order, depth;            /* listed solvables in order of appearance */
	struct hpc_query_node **first; /* the node each listed solvable appeared at */
	Id *rev;                       /* whoneeds: (needer, requirement) pairs by name ... */
	int *rev_start;                /* ... those on name n are [rev_start[n], [n + 1]) */
	int *root_pos;                 /* whoneeds: solvable -> 1 + its place among roots */
	Queue *groups;                 /* whoneeds: the (needer, dependency) pairs of each root */
	int ngroups;
};

static Id dep_name(Pool *pool, Id d)
{
	while (ISRELDEP(d))
		d = GETRELDEP(pool, d)->name;
	return d;
}

static int sort_deps(const void *pa, const void *pb, void *pool)
{
	Id a = *(const Id *)pa, b = *(const Id *)pb;
	int r = strcmp(pool_id2str(pool, dep_name(pool, a)), pool_id2str(pool, dep_name(pool, b)));

	return r ? r : CMP(a, b);
}

/* By the name they are on: the order in a .solv index is not the record's. */
static void requires_of(Pool *pool, Id s, Queue *q)
{
	queue_empty(q);
	solvable_lookup_deparray(pool->solvables + s, SOLVABLE_REQUIRES, q, -1);
	solv_sort(q->elements, (size_t)q->count, sizeof(Id), sort_deps, pool);
}

/* The best provider of dep in scope; one already listed wins. */
static Id best_provider(struct walk *w, Id dep)
{
	Pool *pool = w->pool;
	Id p, pp, best = 0;
	bool best_listed = false;

	FOR_PROVIDES(p, pp, dep) {
		bool listed = w->index[p] != 0;

		if (!in_scope(w->p, w->scope, p, true))
			continue;
		if (!best || (listed && !best_listed) ||
		    (listed == best_listed && cmp_best(pool, p, best) < 0)) {
			best = p;
			best_listed = listed;
		}
	}
	return best;
}

static bool provides(Pool *pool, Id dep, Id s)
{
	for (Id *wp = pool_whatprovides_ptr(pool, dep); *wp; wp++)
		if (*wp == s)
			return true;
	return false;
}

/* Index every requirement in scope by the name it is on: a counting sort of (name,
 * needer, requirement) into per-name runs of (needer, requirement) pairs, needers in
 * increasing order within a run. */
static void build_reverse(struct walk *w)
{
	Pool *pool = w->pool;
	int nnames = pool->ss.nstrings, *at;
	Queue deps, all;
	Id s;

	queue_init(&deps);
	queue_init(&all);
	FOR_POOL_SOLVABLES(s) {
		if (!in_scope(w->p, w->scope, s, false))
			continue;
		queue_empty(&deps);
		solvable_lookup_deparray(pool->solvables + s, SOLVABLE_REQUIRES, &deps, -1);
		for (int i = 0; i < deps.count; i++) {
			queue_push2(&all, dep_name(pool, deps.elements[i]), s);
			queue_push(&all, deps.elements[i]);
		}
	}
	w->rev_start = hpc_xcalloc((size_t)nnames + 2, sizeof(int));
	for (int i = 0; i < all.count; i += 3)
		w->rev_start[all.elements[i] + 1]++;
	for (int i = 1; i <= nnames + 1; i++)
		w->rev_start[i] += w->rev_start[i - 1];
	at = hpc_xmalloc(((size_t)nnames + 1) * sizeof(int));
	memcpy(at, w->rev_start, ((size_t)nnames + 1) * sizeof(int));
	w->rev = hpc_xmalloc(((size_t)all.count / 3 * 2 + 1) * sizeof(Id));
	for (int i = 0; i < all.count; i += 3) {
		int k = at[all.elements[i]]++;

		w->rev[2 * k] = all.elements[i + 1];
		w->rev[2 * k + 1] = all.elements[i + 2];
	}
	free(at);
	queue_free(&all);
	queue_free(&deps);
}

/* Keep the first element of each name (n-element records, sorted by name). */
static void first_per_name(Pool *pool, Queue *q, int n)
{
	int k = 0;

	for (int i = 0; i < q->count; i += n) {
		if (k && pool->solvables[q->elements[k - n]].name ==
			 pool->solvables[q->elements[i]].name)
			continue;
		memmove(q->elements + k, q->elements + i, (size_t)n * sizeof(Id));
		k += n;
	}
	queue_truncate(q, k);
}

/* (needer, dependency) pairs sorted by needer, one per needer (newest: one per name). */
static void sort_pairs(const struct walk *w, Queue *q)
{
	int k = 0;

	solv_sort(q->elements, (size_t)q->count / 2, 2 * sizeof(Id), sort_ids, w->pool);
	for (int i = 0; i < q->count; i += 2)
		if (!k || q->elements[k - 2] != q->elements[i]) {
			q->elements[k] = q->elements[i];
			q->elements[k + 1] = q->elements[i + 1];
			k += 2;
		}
	queue_truncate(q, k);
	if (w->newest)
		first_per_name(w->pool, q, 2);
}

/* The records in scope that require s, with that requirement. */
static void needers(struct walk *w, Id s, Queue *out)
{
	Id name = w->pool->solvables[s].name;

	for (int i = w->rev_start[name]; i < w->rev_start[name + 1]; i++)
		if (w->rev[2 * i] != s && provides(w->pool, w->rev[2 * i + 1], s))
			queue_push2(out, w->rev[2 * i], w->rev[2 * i + 1]);
	sort_pairs(w, out);
}

/* The newest root (smallest place) but needer itself that every requirement in deps
 * accepts, else the newest one the most selective of them accepts; *dep is set to that
 * requirement. */
static int best_root(const struct walk *w, const Queue *deps, Id needer, Id *dep)
{
	Pool *pool = w->pool;
	int best = 0, fewest = -1;

	for (int i = 0; i < deps->count; i++) { /* the most selective requirement */
		int n = 0;

		for (Id *wp = pool_whatprovides_ptr(pool, deps->elements[i]); *wp; wp++)
			n++;
		if (fewest < 0 || n < fewest) {
			fewest = n;
			*dep = deps->elements[i];
		}
	}
	for (Id *wp = pool_whatprovides_ptr(pool, *dep); *wp; wp++) {
		int pos = w->root_pos[*wp], all = 1;

		if (!pos || (best && pos >= best) || *wp == needer)
			continue;
		for (int i = 0; all && i < deps->count; i++)
			all = provides(pool, deps->elements[i], *wp);
		if (all || !best)
			best = pos;
	}
	return best;
}

/* The first level at once: each record that requires one of the roots goes under the
 * newest root its requirements on that name accept (roots are sorted newest first), so a
 * record shows once, under the version it would use, and the cost is one pass over the
 * requirements on the roots' names rather than one per root. */
static void group_needers(struct walk *w, const Queue *roots)
{
	Pool *pool = w->pool;
	const Id *t = w->rev;
	Queue names, deps;
	Id dep = 0;

	queue_init(&names);
	queue_init(&deps);
	w->root_pos = hpc_xcalloc((size_t)pool->nsolvables, sizeof(int));
	w->ngroups = roots->count;
	w->groups = hpc_xcalloc((size_t)roots->count + 1, sizeof(Queue));
	for (int i = 0; i < roots->count; i++) {
		queue_init(&w->groups[i]);
		w->root_pos[roots->elements[i]] = i + 1;
		queue_pushunique(&names, pool->solvables[roots->elements[i]].name);
	}
	for (int n = 0; n < names.count; n++) {
		Id name = names.elements[n];
		int end = w->rev_start[name], last = w->rev_start[name + 1];

		/* needers are in order within a name: one run of pairs per needer */
		for (int i = end; i < last; i = end) {
			int best;

			queue_empty(&deps);
			for (end = i; end < last && t[2 * end] == t[2 * i]; end++)
				queue_push(&deps, t[2 * end + 1]);
			if ((best = best_root(w, &deps, t[2 * i], &dep)))
				queue_push2(&w->groups[best - 1], t[2 * i], dep);
		}
	}
	for (int i = 0; i < roots->count; i++)
		sort_pairs(w, &w->groups[i]);
	queue_free(&names);
	queue_free(&deps);
}

static void visit(struct walk *w, struct hpc_query_node *n, Id s, int depth);

static void set_kid(struct walk *w, struct hpc_query_node *kid, Id dep, Id s, int depth)
{
	kid->dep = hpc_xstrdup(hpc_select_dep_str(w->pool, dep));
	visit(w, kid, s, depth);
}

static void expand(struct walk *w, struct hpc_query_node *n, Id s, int depth)
{
	Queue q;

	queue_init(&q);
	if (w->reverse && depth == 0 && w->groups)
		queue_insertn(&q, 0, w->groups[w->root_pos[s] - 1].count,
			      w->groups[w->root_pos[s] - 1].elements);
	else if (w->reverse)
		needers(w, s, &q);
	if (w->reverse) {
		n->nkids = (size_t)q.count / 2;
		n->kids = hpc_xcalloc(n->nkids + 1, sizeof(*n->kids));
		for (size_t i = 0; i < n->nkids; i++)
			set_kid(w, &n->kids[i], q.elements[2 * i + 1], q.elements[2 * i],
				depth + 1);
	} else {
		requires_of(w->pool, s, &q);
		n->nkids = (size_t)q.count;
		n->kids = hpc_xcalloc(n->nkids + 1, sizeof(*n->kids));
		for (size_t i = 0; i < n->nkids; i++)
			set_kid(w, &n->kids[i], q.elements[i], best_provider(w, q.elements[i]),
				depth + 1);
	}
	queue_free(&q);
}

/* Mark the node; true for a package's first appearance (listed now). */
static bool list(struct walk *w, struct hpc_query_node *n, Id s, int depth)
{
	n->pkg = s ? w->index[s] - 1 : -1;
	if (!s) {
		n->mark = HPC_QUERY_MISSING;
		return false;
	}
	if (w->index[s]) {
		n->mark = MAPTST(&w->onpath, s) ? HPC_QUERY_CYCLE : HPC_QUERY_SEEN;
		return false;
	}
	n->mark = HPC_QUERY_FIRST;
	queue_push(&w->order, s);
	queue_push(&w->depth, depth);
	if (!(w->order.count & (w->order.count - 1))) /* 1, 2, 4...: double */
		w->first = hpc_xrealloc(w->first, 2 * (size_t)w->order.count * sizeof(*w->first));
	w->first[w->order.count - 1] = n;
	n->pkg = w->order.count - 1;
	w->index[s] = w->order.count;
	return true;
}

static void descend(struct walk *w, struct hpc_query_node *n, Id s, int depth)
{
	MAPSET(&w->onpath, s);
	expand(w, n, s, depth);
	MAPCLR(&w->onpath, s);
}

static void visit(struct walk *w, struct hpc_query_node *n, Id s, int depth)
{
	if (list(w, n, s, depth) && w->recursive)
		descend(w, n, s, depth);
}

static void remap(struct hpc_query_node *n, const long *to)
{
	if (n->pkg >= 0)
		n->pkg = to[n->pkg];
	for (size_t i = 0; i < n->nkids; i++)
		remap(&n->kids[i], to);
}

/* pkgs sorted by name and newest first; nodes point at their new places. */
static int finish(struct walk *w, struct hpc_query_graph *g, struct hpc_error **err)
{
	Queue sorted;
	long *to = hpc_xcalloc((size_t)w->order.count + 1, sizeof(long));
	int r;

	queue_init_clone(&sorted, &w->order);
	solv_sort(sorted.elements, (size_t)sorted.count, sizeof(Id), sort_ids, w->pool);
	r = fill_pkgs(w->p, &sorted, w->brief, &g->pkgs, err);
	for (int i = 0; !r && i < sorted.count; i++) {
		long old = w->index[sorted.elements[i]] - 1;

		to[old] = i;
		g->pkgs.v[i].depth = w->depth.elements[old];
		g->pkgs.v[i].via = w->first[old]->dep;
	}
	for (size_t i = 0; !r && i < g->nroots; i++)
		remap(&g->roots[i], to);
	queue_free(&sorted);
	free(to);
	return r;
}

static int walk_run(struct walk *w, const Queue *roots, struct hpc_query_graph *g,
		    struct hpc_error **err)
{
	int r;

	w->pool = hpc_pool_libsolv(w->p);
	if (!w->pool->whatprovides)
		pool_createwhatprovides(w->pool);
	w->index = hpc_xcalloc((size_t)w->pool->nsolvables, sizeof(long));
	map_init(&w->onpath, w->pool->nsolvables);
	queue_init(&w->order);
	queue_init(&w->depth);
	if (w->reverse) {
		build_reverse(w);
		group_needers(w, roots);
	}
	g->nroots = (size_t)roots->count;
	g->roots = hpc_xcalloc(g->nroots + 1, sizeof(*g->roots));
	/* every root is a root, even when another root needs it */
	for (size_t i = 0; i < g->nroots; i++)
		list(w, &g->roots[i], roots->elements[i], 0);
	for (size_t i = 0; i < g->nroots; i++)
		if (g->roots[i].mark == HPC_QUERY_FIRST)
			descend(w, &g->roots[i], roots->elements[i], 0);
	r = finish(w, g, err);
	free(w->index);
	free(w->first);
	map_free(&w->onpath);
	queue_free(&w->order);
	queue_free(&w->depth);
	free(w->rev);
	free(w->rev_start);
	for (int i = 0; i < w->ngroups; i++)
		queue_free(&w->groups[i]);
	free(w->groups);
	free(w->root_pos);
	if (r)
		hpc_query_graph_fini(g);
	return r;
}

int hpc_query_depends(struct hpc_pool *p, const struct hpc_matchspec *ms,
		      enum hpc_query_scope scope, unsigned flags, struct hpc_query_graph *out,
		      struct hpc_error **err)
{
	struct walk w = { .p = p, .scope = scope, .recursive = flags & HPC_QUERY_RECURSIVE,
			  .brief = flags & HPC_QUERY_BRIEF };
	Queue q, root;
	Id best = 0;
	int r;

	memset(out, 0, sizeof(*out));
	queue_init(&q);
	queue_init(&root);
	matches(p, ms, scope, &q);
	for (int i = 0; i < q.count; i++)
		if (!best || cmp_best(hpc_pool_libsolv(p), q.elements[i], best) < 0)
			best = q.elements[i];
	if (best)
		queue_push(&root, best);
	r = walk_run(&w, &root, out, err);
	queue_free(&q);
	queue_free(&root);
	return r;
}

int hpc_query_whoneeds(struct hpc_pool *p, const struct hpc_matchspec *ms,
		       enum hpc_query_scope scope, unsigned flags, struct hpc_query_graph *out,
		       struct hpc_error **err)
{
	struct walk w = { .p = p, .scope = scope, .recursive = flags & HPC_QUERY_RECURSIVE,
			  .reverse = true, .newest = flags & HPC_QUERY_NEWEST,
			  .brief = flags & HPC_QUERY_BRIEF };
	Queue q;
	int r;

	memset(out, 0, sizeof(*out));
	queue_init(&q);
	matches(p, ms, scope, &q);
	if (w.newest)
		first_per_name(hpc_pool_libsolv(p), &q, 1);
	r = walk_run(&w, &q, out, err);
	queue_free(&q);
	return r;
}

static void node_fini(struct hpc_query_node *n)
{
	for (size_t i = 0; i < n->nkids; i++)
		node_fini(&n->kids[i]);
	free(n->kids);
	free(n->dep);
}

void hpc_query_graph_fini(struct hpc_query_graph *g)
{
	for (size_t i = 0; i < g->nroots; i++)
		node_fini(&g->roots[i]);
	free(g->roots);
	hpc_query_pkgs_fini(&g->pkgs);
	memset(g, 0, sizeof(*g));
}
