/* SPDX-License-Identifier: MIT */
/* explain.c - libsolv's problem rules turned into the tree of problems.h
 *
 * For each problem, every rule libsolv blames (solver_findallproblemrules, learnt rules
 * expanded) is read as facts (solver_allruleinfos): a job, "p requires d", "nothing
 * provides d", "p and q have one name", "p's constraint d rules out q", "p is excluded
 * by strict priority", and the literals of pin and lock jobs. The tree starts at the
 * requested specs: each becomes its candidates grouped by name; a group lists the
 * dependencies its members cannot meet (each with the members that need it, when not
 * all) and, below them, their own candidates, grouped the same way, down to the leaves:
 * nothing provides, the system lacks a virtual package, or a clash with another group.
 * Every group is expanded once per problem; later sightings say "explained above".
 * Versions of a group merge into a range, so 70 builds of pytorch take one line.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include <solv/solver.h>
#include <solv/evr.h>
#include <solv/repo.h>
#include <solv/solvable.h>

#include "explain_int.h"
#include "hpcenv/select.h"

bool hpc_ex_is_job_type(int type)
{
	return type == SOLVER_RULE_JOB || type == SOLVER_RULE_JOB_NOTHING_PROVIDES_DEP ||
	       type == SOLVER_RULE_JOB_UNKNOWN_PACKAGE ||
	       type == SOLVER_RULE_JOB_PROVIDED_BY_SYSTEM || type == SOLVER_RULE_JOB_UNSUPPORTED;
}

static void add_fact(struct ex *x, int type, Id from, Id to, Id dep)
{
	if (x->nf == x->cap) {
		x->cap = x->cap ? 2 * x->cap : 64;
		x->f = hpc_xrealloc(x->f, (size_t)x->cap * sizeof(*x->f));
	}
	x->f[x->nf++] = (struct fact){ type, from, to, dep };
}

/* Pins and locks say which packages they rule out or keep through their rule literals. */
static bool literal_job(const struct ex *x, Id jidx)
{
	const struct hpc_jobinfo *ji = hpc_jobtab_at(x->jt, jidx);

	return ji && (ji->kind == HPC_J_PIN || ji->kind == HPC_J_PYPIN ||
		      ji->kind == HPC_J_FREEZE || ji->kind == HPC_J_REMOVE);
}

static void collect_rule(struct ex *x, Id rid, Queue *info, Queue *lits)
{
	solver_allruleinfos(x->solv, rid, info);
	for (int i = 0; i + 3 < info->count; i += 4) {
		int type = info->elements[i];
		Id from = info->elements[i + 1], to = info->elements[i + 2];
		Id dep = info->elements[i + 3];

		if (!hpc_ex_is_job_type(type) || !literal_job(x, from)) {
			add_fact(x, type, from, to, dep);
			continue;
		}
		solver_ruleliterals(x->solv, rid, lits);
		for (int k = 0; k < lits->count; k++)
			if (abs(lits->elements[k]) > SYSTEMSOLVABLE)
				add_fact(x, type, from, lits->elements[k], dep);
	}
}

int hpc_ex_cmp_pair(const void *a, const void *b)
{
	const Id *x = a, *y = b;

	return x[0] != y[0] ? (x[0] > y[0]) - (x[0] < y[0]) : (x[1] > y[1]) - (x[1] < y[1]);
}

void hpc_ex_sort_pairs(Queue *q)
{
	if (q->count > 2)
		qsort(q->elements, (size_t)q->count / 2, 2 * sizeof(Id), hpc_ex_cmp_pair);
}

static void collect(struct ex *x, Id problem)
{
	Queue rules, info, lits;

	queue_init(&rules);
	queue_init(&info);
	queue_init(&lits);
	solver_findallproblemrules(x->solv, problem, &rules);
	for (int i = 0; i < rules.count; i++)
		collect_rule(x, rules.elements[i], &info, &lits);
	for (int i = 0; i < x->nf; i++) {
		struct fact *f = &x->f[i];

		if (!hpc_ex_is_job_type(f->type) && f->from > 0)
			queue_push2(&x->idx, f->from, i);
		if (f->to)
			queue_push2(&x->idx, f->to < 0 ? -f->to : f->to, i);
	}
	hpc_ex_sort_pairs(&x->idx);
	queue_free(&rules);
	queue_free(&info);
	queue_free(&lits);
}

/* The facts about solvable p: indexes into x->f, in *first .. *end of x->idx. */
int hpc_ex_facts_of(const struct ex *x, Id p, int *end)
{
	int lo = 0, hi = x->idx.count / 2;

	while (lo < hi) {
		int mid = (lo + hi) / 2;

		if (x->idx.elements[2 * mid] < p)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (*end = lo; *end < x->idx.count / 2 && x->idx.elements[2 * *end] == p; (*end)++)
		;
	return lo;
}

/* ---- describing packages ---- */

static int cmp_name_evr(const void *a, const void *b, void *dp)
{
	Pool *pool = dp;
	Solvable *x = pool->solvables + *(const Id *)a, *y = pool->solvables + *(const Id *)b;
	int c = strcmp(pool_id2str(pool, x->name), pool_id2str(pool, y->name));

	if (!c && x->evr != y->evr)
		c = pool_evrcmp(pool, x->evr, y->evr, EVRCMP_COMPARE);
	return c ? c : (*(const Id *)a > *(const Id *)b) - (*(const Id *)a < *(const Id *)b);
}

void hpc_ex_sort_unique(Pool *pool, Queue *q)
{
	int j = 0;

	solv_sort(q->elements, (size_t)q->count, sizeof(Id), cmp_name_evr, pool);
	for (int i = 0; i < q->count; i++)
		if (!j || q->elements[j - 1] != q->elements[i])
			q->elements[j++] = q->elements[i];
	queue_truncate(q, j);
}

bool hpc_ex_queue_has(const Queue *q, Id p)
{
	for (int i = 0; i < q->count; i++)
		if (q->elements[i] == p)
			return true;
	return false;
}

/* The channel URL of a package: its repo's name without the subdir; for an installed
 * package, its URL's (select.h: the installed repo names each package's URL), if any. */
char *hpc_ex_channel_of(Pool *pool, Id p)
{
	Repo *repo = pool->solvables[p].repo;
	const char *name = repo && repo->name ? repo->name : "", *slash;
	const char *url = solvable_lookup_str(pool->solvables + p, SOLVABLE_URL);

	if (repo == pool->installed) {
		if (!url || !(slash = strrchr(url, '/')))
			return NULL;
		name = hpc_xstrndup(url, (size_t)(slash - url));
		slash = strrchr(name, '/');
		url = hpc_xstrndup(name, slash ? (size_t)(slash - name) : strlen(name));
		free((char *)name);
		return (char *)url;
	}
	slash = strrchr(name, '/');
	return hpc_xstrndup(name, slash ? (size_t)(slash - name) : strlen(name));
}

static void describe(Pool *pool, const Queue *g, struct hpc_strv *versions,
		     struct hpc_strv *channels);

/* Versions (distinct, ascending), builds and channels of a sorted group into n. */
static void describe_node(Pool *pool, const Queue *g, struct hpc_pnode *n)
{
	for (int i = 0; i < g->count; i++) {
		const char *b = solvable_lookup_str(pool->solvables + g->elements[i],
						    SOLVABLE_BUILDFLAVOR);

		if (b && n->build_strings.n < 16)
			hpc_strv_push_unique(&n->build_strings, b);
	}
	describe(pool, g, &n->versions, n->kind == HPC_PN_SEE_ABOVE ? NULL : &n->channels);
}

/* Versions (distinct, ascending) and channels of a sorted group. */
static void describe(Pool *pool, const Queue *g, struct hpc_strv *versions,
		     struct hpc_strv *channels)
{
	for (int i = 0; i < g->count; i++) {
		Solvable *s = pool->solvables + g->elements[i];

		if (!i || s->evr != pool->solvables[g->elements[i - 1]].evr)
			hpc_strv_push_unique(versions, pool_id2str(pool, s->evr));
		if (channels) {
			char *c = hpc_ex_channel_of(pool, g->elements[i]);

			if (c)
				hpc_strv_push_unique(channels, c);
			free(c);
		}
	}
}

/* "python 3.9.1 hffdb5ce_0_cpython" (pool temporary space) */
const char *hpc_ex_solvable_text(Pool *pool, Id p)
{
	Solvable *s = pool->solvables + p;
	const char *b = solvable_lookup_str(s, SOLVABLE_BUILDFLAVOR);
	const char *t = pool_tmpjoin(pool, pool_id2str(pool, s->name), " ",
				     pool_id2str(pool, s->evr));

	return b ? pool_tmpappend(pool, t, " ", b) : t;
}

/* "python 3.10.0 - 3.10.14 (18 builds)" */
char *hpc_ex_group_text(Pool *pool, const Queue *g)
{
	const char *name = pool_id2str(pool, pool->solvables[g->elements[0]].name);
	struct hpc_strv v = HPC_STRV_INIT;
	char *range, *s;

	describe(pool, g, &v, NULL);
	range = hpc_versions_range(&v);
	if (g->count > 1)
		s = hpc_xasprintf("%s %s (%d builds)", name, range, g->count);
	else
		s = hpc_xasprintf("%s %s %s", name, range,
				  solvable_lookup_str(pool->solvables + g->elements[0],
						      SOLVABLE_BUILDFLAVOR) ?: "");
	free(range);
	hpc_strv_fini(&v);
	return s;
}

/* Marks a node that applies to only some of a group's members. */
void hpc_ex_set_needed_by(Pool *pool, struct hpc_pnode *n, Queue *sub, const Queue *all)
{
	hpc_ex_sort_unique(pool, sub);
	if (sub->count >= all->count)
		return;
	describe(pool, sub, &n->needed_by, NULL);
	n->needed_by_builds = (size_t)sub->count;
}

struct hpc_pnode *hpc_ex_add_node(struct ex *x, struct hpc_pnode *parent,
				  enum hpc_pnode_kind kind)
{
	struct hpc_pnode *n = hpc_pnode_new(kind);

	x->nodes++;
	hpc_pnode_add(parent, n);
	return n;
}

/* ---- leaves ---- */

/* How a missing virtual package can be had: an override variable (the versions conda's
 * CONDA_OVERRIDE_* set), or nothing when it belongs to another platform. */
static void virtual_note(struct hpc_pnode *n, const char *name)
{
	static const char *const overridable[] = { "__glibc", "__cuda", "__archspec", "__linux",
						   "__osx" };
	static const char *const platforms[] = { "__win", "__osx", "__linux", "__unix" };

	for (size_t i = 0; i < sizeof(platforms) / sizeof(platforms[0]); i++)
		if (!n->system && !strcmp(name, platforms[i])) {
			n->text = hpc_xstrdup("the package is for another platform");
			return;
		}
	if (!n->system && !strcmp(name, "__cuda"))
		n->text = hpc_xstrdup("no CUDA driver was found");
	for (size_t i = 0; i < sizeof(overridable) / sizeof(overridable[0]); i++)
		if (!strcmp(name, overridable[i])) {
			char *v = hpc_xasprintf("CONDA_OVERRIDE_%s", name + 2);

			for (char *c = v; *c; c++)
				*c = (char)toupper((unsigned char)*c);
			n->override = v;
		}
}

/* What the system offers of a virtual package: "2.36", "1 x86_64_v3" (the archspec build
 * is what specs test), or NULL. */
static char *system_has(Pool *pool, Id name)
{
	struct hpc_strv v = HPC_STRV_INIT;
	Id p, pp;
	char *s = NULL;

	FOR_PROVIDES(p, pp, name) {
		Solvable *sv = pool->solvables + p;
		const char *b = solvable_lookup_str(sv, SOLVABLE_BUILDFLAVOR);

		if (sv->name != name)
			continue;
		if (b && *b && strcmp(b, "0"))
			hpc_strv_pushf(&v, "%s %s", pool_id2str(pool, sv->evr), b);
		else
			hpc_strv_push(&v, pool_id2str(pool, sv->evr));
	}
	if (v.n)
		s = hpc_strv_join(&v, ", ");
	hpc_strv_fini(&v);
	return s;
}

/* What the channels have of a name: "python 3.9.0 - 3.9.19 (24 builds, conda-forge)". */
static char *available(Pool *pool, Id name)
{
	struct hpc_strv v = HPC_STRV_INIT, ch = HPC_STRV_INIT, sh = HPC_STRV_INIT;
	Queue q;
	Id p, pp;
	char *s = NULL, *range, *chans;

	queue_init(&q);
	if (name)
		FOR_PROVIDES(p, pp, name)
			if (pool->solvables[p].name == name &&
			    pool->solvables[p].repo != pool->installed)
				queue_push(&q, p);
	if (q.count) {
		hpc_ex_sort_unique(pool, &q);
		describe(pool, &q, &v, &ch);
		for (size_t i = 0; i < ch.n; i++)
			hpc_strv_push_take(&sh, hpc_channel_short(ch.v[i]));
		range = hpc_versions_range(&v);
		chans = hpc_strv_join(&sh, ", ");
		s = hpc_xasprintf("%s %s (%d build%s, %s)", pool_id2str(pool, name), range, q.count,
				  q.count == 1 ? "" : "s", chans);
		free(range);
		free(chans);
	}
	hpc_strv_fini(&v);
	hpc_strv_fini(&ch);
	hpc_strv_fini(&sh);
	queue_free(&q);
	return s;
}

static void missing_leaf(struct ex *x, struct hpc_pnode *parent, const char *name,
			 const struct hpc_strv *specs)
{
	Pool *pool = x->pool;
	Id nid = pool_str2id(pool, name, 0);
	struct hpc_pnode *n;

	if (!strncmp(name, "__", 2)) {
		n = hpc_ex_add_node(x, parent, HPC_PN_VIRTUAL);
		n->system = nid ? system_has(pool, nid) : NULL;
		virtual_note(n, name);
	} else {
		n = hpc_ex_add_node(x, parent, HPC_PN_MISSING);
		n->available = available(pool, nid);
		hpc_strv_copy(&n->channels, &x->channels);
	}
	n->name = hpc_xstrdup(name);
	hpc_strv_copy(&n->specs, specs);
}

/* ---- groups ---- */

static void expand_group(struct ex *x, struct hpc_pnode *parent, Queue *g);

/* Candidates (any names): one group per name. */
static void expand_candidates(struct ex *x, struct hpc_pnode *parent, Queue *cands)
{
	Queue g;

	hpc_ex_sort_unique(x->pool, cands);
	queue_init(&g);
	for (int i = 0; i < cands->count; i++) {
		Id p = cands->elements[i];

		Solvable *s = x->pool->solvables + p;

		if (g.count && x->pool->solvables[g.elements[0]].name != s->name) {
			expand_group(x, parent, &g);
			queue_empty(&g);
		}
		queue_push(&g, p);
	}
	if (g.count)
		expand_group(x, parent, &g);
	queue_free(&g);
}

static char *group_key(const Queue *g)
{
	struct hpc_strbuf sb = HPC_STRBUF_INIT;

	for (int i = 0; i < g->count; i++)
		hpc_strbuf_addf(&sb, "%d,", g->elements[i]);
	return hpc_strbuf_detach(&sb);
}

/* One requirement name of a group: "dep entries" are (dep, member) pairs. */
static void dependency_node(struct ex *x, struct hpc_pnode *parent, const Queue *g,
			    const Queue *entries)
{
	Pool *pool = x->pool;
	struct hpc_pnode *n = hpc_ex_add_node(x, parent, HPC_PN_DEPENDENCY);
	struct hpc_strv missing = HPC_STRV_INIT;
	Queue members, providers;
	Id dep0 = entries->elements[0], name = dep0;

	while (ISRELDEP(name))
		name = GETRELDEP(pool, name)->name;
	n->name = hpc_xstrdup(pool_id2str(pool, name));
	queue_init(&members);
	queue_init(&providers);
	for (int i = 0; i < entries->count; i += 2) {
		Id dep = entries->elements[i], p, pp;
		bool any = false;

		queue_push(&members, entries->elements[i + 1]);
		if (i && dep == entries->elements[i - 2])
			continue;
		hpc_strv_push_unique(&n->specs, hpc_select_dep_str(pool, dep));
		FOR_PROVIDES(p, pp, dep) {
			queue_push(&providers, p);
			any = true;
		}
		if (!any)
			hpc_strv_push_unique(&missing, hpc_select_dep_str(pool, dep));
	}
	hpc_ex_set_needed_by(pool, n, &members, g);
	if (providers.count)
		expand_candidates(x, n, &providers);
	if (missing.n)
		missing_leaf(x, n, n->name, &missing);
	hpc_strv_fini(&missing);
	queue_free(&members);
	queue_free(&providers);
}

static int cmp_dep_entry(const void *a, const void *b, void *dp)
{
	Pool *pool = dp;
	Id x = ((const Id *)a)[0], y = ((const Id *)b)[0], nx = x, ny = y;
	int c;

	while (ISRELDEP(nx))
		nx = GETRELDEP(pool, nx)->name;
	while (ISRELDEP(ny))
		ny = GETRELDEP(pool, ny)->name;
	c = strcmp(pool_id2str(pool, nx), pool_id2str(pool, ny));
	if (!c)
		c = (x > y) - (x < y);
	return c ? c : (((const Id *)a)[1] > ((const Id *)b)[1]) -
			       (((const Id *)a)[1] < ((const Id *)b)[1]);
}

/* Kids from first on: what every member needs first (by name), then what fewer need. */
static void sort_kids(struct hpc_pnode *n, size_t first)
{
	for (size_t i = first + 1; i < n->nkids; i++) {
		struct hpc_pnode *k = n->kids[i];
		size_t j = i;
		size_t kw = k->needed_by_builds ? k->needed_by_builds : (size_t)-1;

		while (j > first) {
			struct hpc_pnode *p = n->kids[j - 1];
			size_t pw = p->needed_by_builds ? p->needed_by_builds : (size_t)-1;

			if (pw >= kw)
				break;
			n->kids[j] = p;
			j--;
		}
		n->kids[j] = k;
	}
}

/* The requirements of a group's members that libsolv blames, one node per name. */
static void dependencies(struct ex *x, struct hpc_pnode *n, const Queue *g)
{
	Pool *pool = x->pool;
	size_t first = n->nkids;
	Queue e, run;
	int i;
	struct fact *f;

	queue_init(&e);
	queue_init(&run);
	for (int m = 0; m < g->count; m++)
		FOR_FACTS(x, g->elements[m], i, f)
			if ((f->type == SOLVER_RULE_PKG_REQUIRES ||
			     f->type == SOLVER_RULE_PKG_NOTHING_PROVIDES_DEP) &&
			    f->from == g->elements[m])
				queue_push2(&e, f->dep, f->from);
	solv_sort(e.elements, (size_t)e.count / 2, 2 * sizeof(Id), cmp_dep_entry, pool);
	for (int k = 0; k < e.count; k += 2) {
		Id nk = e.elements[k], nr;

		while (ISRELDEP(nk))
			nk = GETRELDEP(pool, nk)->name;
		if (run.count) {
			nr = run.elements[0];
			while (ISRELDEP(nr))
				nr = GETRELDEP(pool, nr)->name;
			if (nr != nk) {
				dependency_node(x, n, g, &run);
				queue_empty(&run);
			}
		}
		if (!(k && e.elements[k] == e.elements[k - 2] &&
		      e.elements[k + 1] == e.elements[k - 1]))
			queue_push2(&run, e.elements[k], e.elements[k + 1]);
	}
	if (run.count)
		dependency_node(x, n, g, &run);
	sort_kids(n, first);
	queue_free(&e);
	queue_free(&run);
}

static void expand_group(struct ex *x, struct hpc_pnode *parent, Queue *g)
{
	Pool *pool = x->pool;
	char *key = group_key(g);
	bool installed = pool->solvables[g->elements[0]].repo == pool->installed;
	struct hpc_pnode *n;

	if (!hpc_strv_contains(&x->seen, key) && x->nodes >= NODE_BUDGET) {
		/* enough to read: say once that there is more */
		if (!x->truncated)
			hpc_ex_add_node(x, parent, HPC_PN_CONFLICT)->text =
				hpc_xstrdup("(more causes, not shown)");
		x->truncated = true;
		free(key);
		return;
	}
	if (hpc_strv_contains(&x->seen, key)) {
		n = hpc_ex_add_node(x, parent, HPC_PN_SEE_ABOVE);
		n->name = hpc_xstrdup(pool_id2str(pool, pool->solvables[g->elements[0]].name));
		describe_node(pool, g, n);
		free(key);
		return;
	}
	hpc_strv_push_take(&x->seen, key);
	n = hpc_ex_add_node(x, parent, installed ? HPC_PN_INSTALLED : HPC_PN_PACKAGES);
	n->name = hpc_xstrdup(pool_id2str(pool, pool->solvables[g->elements[0]].name));
	n->nbuilds = (size_t)g->count;
	describe_node(pool, g, n);
	dependencies(x, n, g);
	hpc_ex_clashes(x, n, g);
}

void hpc_ex_job_candidates(const struct ex *x, Id jidx, Queue *out)
{
	queue_empty(out);
	pool_job2solvables(x->pool, out, x->jt->q.elements[jidx], x->jt->q.elements[jidx + 1]);
}

bool hpc_ex_is_request(enum hpc_jkind k)
{
	return k == HPC_J_INSTALL || k == HPC_J_REINSTALL || k == HPC_J_UPDATE;
}

/* ---- a problem ---- */

static char *spec_with_origin(const struct hpc_jobinfo *ji)
{
	const char *pin = ji->kind == HPC_J_PIN || ji->kind == HPC_J_PYPIN ? "pin " : "";

	return ji->origin ? hpc_xasprintf("%s%s (%s)", pin, ji->spec, ji->origin) :
			    hpc_xasprintf("%s%s", pin, ji->spec);
}

static void request_root(struct ex *x, struct hpc_pnode *top, Id jidx, int type)
{
	const struct hpc_jobinfo *ji = hpc_jobtab_at(x->jt, jidx);
	struct hpc_pnode *n = hpc_ex_add_node(x, top, HPC_PN_REQUEST);
	Queue cands;

	n->spec = hpc_xstrdup(ji->spec ? ji->spec : "?");
	n->origin = ji->origin ? hpc_xstrdup(ji->origin) : NULL;
	if (ji->kind == HPC_J_REMOVE)
		n->text = hpc_xstrdup("to be removed");
	else if (ji->kind == HPC_J_UPDATE || ji->kind == HPC_J_UPDATE_ALL)
		n->text = hpc_xstrdup("to be updated");
	if (type == SOLVER_RULE_JOB_NOTHING_PROVIDES_DEP ||
	    type == SOLVER_RULE_JOB_UNKNOWN_PACKAGE) {
		struct hpc_strv specs = HPC_STRV_INIT;

		hpc_strv_push(&specs, n->spec);
		missing_leaf(x, n, ji->job ? ji->job->ms->name : n->spec, &specs);
		hpc_strv_fini(&specs);
		return;
	}
	queue_init(&cands);
	hpc_ex_job_candidates(x, jidx, &cands);
	if (cands.count)
		expand_candidates(x, n, &cands);
	queue_free(&cands);
}

static bool is_rooted(enum hpc_jkind k)
{
	return hpc_ex_is_request(k) || k == HPC_J_REMOVE || k == HPC_J_UPDATE_ALL;
}

/* Roots in job order, one per request (an update has two jobs); relax lists every spec. */
static void roots(struct ex *x, struct hpc_pnode *top, struct hpc_problem *pb)
{
	Queue jobs;
	const struct hpc_job *last = NULL;

	queue_init(&jobs);
	for (int i = 0; i < x->nf; i++)
		if (hpc_ex_is_job_type(x->f[i].type) && hpc_jobtab_at(x->jt, x->f[i].from))
			queue_push2(&jobs, x->f[i].from, x->f[i].type);
	hpc_ex_sort_pairs(&jobs);
	for (int i = 0; i < jobs.count; i += 2) {
		const struct hpc_jobinfo *ji = hpc_jobtab_at(x->jt, jobs.elements[i]);
		char *r;

		if (i && jobs.elements[i] == jobs.elements[i - 2])
			continue;
		if (ji->kind == HPC_J_KEEP || !ji->spec)
			continue;
		r = spec_with_origin(ji);
		hpc_strv_push_unique(&pb->relax, r);
		free(r);
		if (!is_rooted(ji->kind) || (ji->job && ji->job == last))
			continue;
		last = ji->job;
		request_root(x, top, jobs.elements[i], jobs.elements[i + 1]);
	}
	queue_free(&jobs);
}

/* Without a request among the rules (installed packages at odds), start from the packages. */
static void fallback_roots(struct ex *x, struct hpc_pnode *top)
{
	Queue q;

	queue_init(&q);
	for (int i = 0; i < x->nf; i++)
		if (!hpc_ex_is_job_type(x->f[i].type) && x->f[i].from > SYSTEMSOLVABLE)
			queue_push(&q, x->f[i].from);
	if (q.count)
		expand_candidates(x, top, &q);
	queue_free(&q);
}

/* "install", or what the root's note says ("to be removed": "remove") */
static const char *verb(const struct hpc_pnode *n)
{
	return !n->text ? "install" : strstr(n->text, "removed") ? "remove" : "update";
}

static char *summary(const struct hpc_pnode *top)
{
	struct hpc_strv specs = HPC_STRV_INIT;
	const struct hpc_pnode *only = NULL;
	const char *v = NULL;
	char *s;

	for (size_t i = 0; i < top->nkids; i++)
		if (top->kids[i]->kind == HPC_PN_REQUEST) {
			hpc_strv_push(&specs, top->kids[i]->spec);
			only = top->kids[i];
			v = !v || !strcmp(v, verb(only)) ? verb(only) : "satisfy";
		}
	if (specs.n == 1 && only->nkids == 1 && only->kids[0]->kind == HPC_PN_MISSING)
		s = only->kids[0]->available ?
			    hpc_xasprintf("no package matches %s", only->spec) :
			    hpc_xasprintf("%s is not available in any configured channel",
					  only->kids[0]->name);
	else if (specs.n == 1)
		s = hpc_xasprintf("cannot %s %s", v, specs.v[0]);
	else if (specs.n > 1) {
		char *last = specs.v[--specs.n], *head = hpc_strv_join(&specs, ", ");

		s = hpc_xasprintf("cannot %s %s and %s together", v, head, last);
		free(head);
		free(last);
		specs.v[specs.n] = NULL;
	} else
		s = hpc_xstrdup("the installed packages and the request are at odds");
	hpc_strv_fini(&specs);
	return s;
}

static void explain_one(struct ex *x, Id problem, struct hpc_problem *pb)
{
	struct hpc_pnode *top = hpc_pnode_new(HPC_PN_REQUEST);

	collect(x, problem);
	roots(x, top, pb);
	if (!top->nkids)
		fallback_roots(x, top);
	pb->summary = summary(top);
	pb->roots = top->kids;
	pb->nroots = top->nkids;
	top->kids = NULL;
	top->nkids = 0;
	hpc_pnode_free(top);
}

static void searched_channels(Pool *pool, struct hpc_strv *out)
{
	Repo *repo;
	int i;

	FOR_REPOS(i, repo) {
		const char *name = repo->name ? repo->name : "", *slash = strrchr(name, '/');
		char *c;

		if (repo == pool->installed || name[0] == '@' || !name[0])
			continue;
		c = hpc_xstrndup(name, slash ? (size_t)(slash - name) : strlen(name));
		hpc_strv_push_unique(out, c);
		free(c);
	}
}

struct hpc_problems *hpc_explain(Solver *solv, const struct hpc_jobtab *jt)
{
	struct hpc_problems *pb = hpc_xcalloc(1, sizeof(*pb));
	int count = (int)solver_problem_count(solv);
	struct hpc_strv channels = HPC_STRV_INIT;

	searched_channels(solv->pool, &channels);
	pb->v = hpc_xcalloc((size_t)count + 1, sizeof(*pb->v));
	for (Id problem = 1; problem <= count; problem++) {
		struct ex x = { .solv = solv, .pool = solv->pool, .jt = jt };

		queue_init(&x.idx);
		x.channels = channels;
		explain_one(&x, problem, &pb->v[pb->n++]);
		free(x.f);
		queue_free(&x.idx);
		hpc_strv_fini(&x.seen);
	}
	hpc_strv_fini(&channels);
	return pb;
}
