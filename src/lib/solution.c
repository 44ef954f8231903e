/* SPDX-License-Identifier: MIT */
/* solution.c - a solve's result as conda applies it: per-package steps, the unlink list
 * (dependents first) and the link list (dependencies first, noarch: python after python)
 *
 * The order is a depth-first walk of the dependencies inside the set, roots in name order,
 * so it is the same on every run. Cycles are cut where the walk meets them, except one
 * that is cut on purpose: python's edge to a package that itself requires python (pip,
 * through add_pip_as_python_dependency) is ignored, so such packages - noarch: python
 * ones above all, which are compiled with the interpreter - come after python.
 */
#include <stdlib.h>
#include <string.h>

#include <solv/bitmap.h>
#include <solv/evr.h>
#include <solv/repo.h>
#include <solv/solvable.h>

#include "hpcenv/error.h"
#include "hpcenv/matchspec.h"
#include "hpcenv/record.h"
#include "matchspec_int.h"
#include "solver_int.h"

bool hpc_solvable_is_noarch(Pool *pool, Id p)
{
	Solvable *s = pool->solvables + p;
	const char *d = solvable_lookup_str(s, SOLVABLE_MEDIADIR), *slash;

	if (d)
		return !strcmp(d, "noarch");
	if (!s->repo || !s->repo->name || !(slash = strrchr(s->repo->name, '/')))
		return false;
	return !strcmp(slash + 1, "noarch");
}

bool hpc_solvable_is_virtual(Pool *pool, Id p)
{
	return !strncmp(pool_id2str(pool, pool->solvables[p].name), "__", 2);
}

const char *hpc_action_name(enum hpc_action a)
{
	static const char *const names[] = { "install", "remove",   "upgrade",
					     "downgrade", "change", "reinstall" };

	return (unsigned)a < sizeof(names) / sizeof(names[0]) ? names[a] : "unknown";
}

void hpc_solution_free(struct hpc_solution *sol)
{
	if (!sol)
		return;
	queue_free(&sol->unlink);
	queue_free(&sol->link);
	queue_free(&sol->omitted);
	free(sol->steps);
	free(sol);
}

/* ---- order ---- */

struct walk {
	Pool *pool;
	Map in, seen;
	Id python;   /* the python in the set, or 0 */
	Queue *out;
};

static bool requires_name(Pool *pool, Id p, Id name)
{
	Solvable *s = pool->solvables + p;
	Id *dp;

	if (!s->requires)
		return false;
	for (dp = s->repo->idarraydata + s->requires; *dp; dp++) {
		Id d = *dp;

		while (ISRELDEP(d))
			d = GETRELDEP(pool, d)->name;
		if (d == name)
			return true;
	}
	return false;
}

static void visit(struct walk *w, Id p)
{
	Pool *pool = w->pool;
	Queue reqs;

	MAPSET(&w->seen, p);
	queue_init(&reqs);
	solvable_lookup_idarray(pool->solvables + p, SOLVABLE_REQUIRES, &reqs);
	for (int i = 0; i < reqs.count; i++) {
		Id q, qq;

		FOR_PROVIDES(q, qq, reqs.elements[i]) {
			if (!MAPTST(&w->in, q) || MAPTST(&w->seen, q))
				continue;
			/* python -> pip -> python: python first, as conda links noarch: python
			 * packages after the interpreter they are compiled with */
			if (p == w->python && requires_name(pool, q, pool->solvables[p].name))
				continue;
			visit(w, q);
		}
	}
	queue_free(&reqs);
	queue_push(w->out, p);
}

static int cmp_name_str(const void *a, const void *b, void *dp)
{
	Pool *pool = dp;
	Solvable *x = pool->solvables + *(const Id *)a, *y = pool->solvables + *(const Id *)b;
	int c = strcmp(pool_id2str(pool, x->name), pool_id2str(pool, y->name));

	return c ? c : (*(const Id *)a > *(const Id *)b) - (*(const Id *)a < *(const Id *)b);
}

/* set in dependency order (dependencies first) into out; reverse: dependents first */
static void order(Pool *pool, const Queue *set, Queue *out, bool reverse)
{
	struct walk w = { .pool = pool, .out = out };
	Id python = pool_str2id(pool, "python", 0);
	Queue roots;

	map_init(&w.in, pool->nsolvables);
	map_init(&w.seen, pool->nsolvables);
	queue_init_clone(&roots, set);
	solv_sort(roots.elements, (size_t)roots.count, sizeof(Id), cmp_name_str, pool);
	for (int i = 0; i < roots.count; i++) {
		MAPSET(&w.in, roots.elements[i]);
		if (python && pool->solvables[roots.elements[i]].name == python)
			w.python = roots.elements[i];
	}
	queue_empty(out);
	/* reversed, the roots go in reverse name order, so that unrelated packages end up in
	 * name order either way */
	for (int k = 0; k < roots.count; k++) {
		Id p = roots.elements[reverse ? roots.count - 1 - k : k];

		if (!MAPTST(&w.seen, p))
			visit(&w, p);
	}
	if (reverse)
		for (int i = 0, j = out->count - 1; i < j; i++, j--) {
			Id t = out->elements[i];

			out->elements[i] = out->elements[j];
			out->elements[j] = t;
		}
	queue_free(&roots);
	map_free(&w.in);
	map_free(&w.seen);
}

/* ---- steps ---- */

static enum hpc_action classify(Pool *pool, Id from, Id to)
{
	Solvable *a = pool->solvables + from, *b = pool->solvables + to;
	const char *ba, *bb;
	int c;

	if (!from)
		return HPC_ACT_INSTALL;
	if (!to)
		return HPC_ACT_REMOVE;
	c = pool_evrcmp(pool, b->evr, a->evr, EVRCMP_COMPARE);
	if (c)
		return c > 0 ? HPC_ACT_UPGRADE : HPC_ACT_DOWNGRADE;
	ba = solvable_lookup_str(a, SOLVABLE_BUILDFLAVOR);
	bb = solvable_lookup_str(b, SOLVABLE_BUILDFLAVOR);
	if (ba && bb && !strcmp(ba, bb))
		return HPC_ACT_REINSTALL;
	return HPC_ACT_CHANGE;
}

/* Pair what goes (installed) and what comes by name; both sorted by name. */
static void make_steps(struct hpc_solution *sol, const Queue *gone, const Queue *come)
{
	Pool *pool = sol->pool;
	int i = 0, j = 0;

	sol->steps = hpc_xcalloc((size_t)(gone->count + come->count) + 1, sizeof(*sol->steps));
	while (i < gone->count || j < come->count) {
		Id a = i < gone->count ? gone->elements[i] : 0;
		Id b = j < come->count ? come->elements[j] : 0;
		int c = !a ? 1 : !b ? -1 :
			strcmp(pool_id2str(pool, pool->solvables[a].name),
			       pool_id2str(pool, pool->solvables[b].name));
		struct hpc_step *st = &sol->steps[sol->nsteps++];

		st->from = c <= 0 ? a : 0;
		st->to = c >= 0 ? b : 0;
		st->action = classify(pool, st->from, st->to);
		i += c <= 0;
		j += c >= 0;
	}
}

static bool requested(const struct hpc_request *rq, const char *name)
{
	for (size_t i = 0; i < rq->njobs; i++)
		if (rq->jobs[i].kind <= HPC_JOB_REMOVE &&
		    hpc_matchspec_match_name(rq->jobs[i].ms, name))
			return true;
	return false;
}

/* --no-deps keeps the requested names only, --only-deps everything else (libmamba). */
static void filter_steps(struct hpc_solution *sol, const struct hpc_request *rq)
{
	Pool *pool = sol->pool;
	size_t k = 0;

	if (rq->no_deps == rq->only_deps)
		return;
	for (size_t i = 0; i < sol->nsteps; i++) {
		struct hpc_step *st = &sol->steps[i];
		Id p = st->to ? st->to : st->from;
		bool req = requested(rq, pool_id2str(pool, pool->solvables[p].name));

		if (req == rq->no_deps)
			sol->steps[k++] = *st;
		else if (st->to)
			queue_push(&sol->omitted, st->to);
	}
	sol->nsteps = k;
}

struct hpc_solution *hpc_solution_build(Pool *pool, const struct hpc_request *rq,
					const Queue *decisions)
{
	struct hpc_solution *sol = hpc_xcalloc(1, sizeof(*sol));
	Queue gone, come;
	Map after;

	sol->pool = pool;
	queue_init(&sol->unlink);
	queue_init(&sol->link);
	queue_init(&sol->omitted);
	queue_init(&gone);
	queue_init(&come);
	map_init(&after, pool->nsolvables);
	for (int i = 0; i < decisions->count; i++) {
		Id p = decisions->elements[i];

		if (p <= SYSTEMSOLVABLE || hpc_solvable_is_virtual(pool, p))
			continue;
		MAPSET(&after, p);
		if (pool->solvables[p].repo != pool->installed)
			queue_push(&come, p);
	}
	if (pool->installed) {
		Id p;
		Solvable *s;

		FOR_REPO_SOLVABLES(pool->installed, p, s)
			if (!MAPTST(&after, p) && !hpc_solvable_is_virtual(pool, p))
				queue_push(&gone, p);
	}
	solv_sort(gone.elements, (size_t)gone.count, sizeof(Id), cmp_name_str, pool);
	solv_sort(come.elements, (size_t)come.count, sizeof(Id), cmp_name_str, pool);
	make_steps(sol, &gone, &come);
	filter_steps(sol, rq);
	queue_empty(&gone);
	queue_empty(&come);
	for (size_t i = 0; i < sol->nsteps; i++) {
		if (sol->steps[i].from)
			queue_push(&gone, sol->steps[i].from);
		if (sol->steps[i].to)
			queue_push(&come, sol->steps[i].to);
	}
	order(pool, &gone, &sol->unlink, true);
	order(pool, &come, &sol->link, false);
	queue_free(&gone);
	queue_free(&come);
	map_free(&after);
	return sol;
}

int hpc_solution_records(const struct hpc_solution *sol, const Queue *ids,
			 const struct hpc_record_source *src, struct hpc_record **out, size_t *n,
			 struct hpc_error **err)
{
	struct hpc_record *v = hpc_xcalloc((size_t)ids->count + 1, sizeof(*v));
	int r = 0, i;

	for (i = 0; i < ids->count && r == 0; i++) {
		hpc_record_init(&v[i]);
		r = src->record(src->ud, sol->pool, ids->elements[i], &v[i], err);
	}
	if (r < 0) {
		for (int j = 0; j < i; j++)
			hpc_record_fini(&v[j]);
		free(v);
		*out = NULL;
		*n = 0;
		return r;
	}
	*out = v;
	*n = (size_t)ids->count;
	return 0;
}
