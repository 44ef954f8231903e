/* SPDX-License-Identifier: MIT */
/* solver.c - a request solved with libsolv as conda would solve it (see hpcenv/solver.h)
 *
 * Flags, each a decision (micromamba 1.5 and libmamba 2 set the first three):
 *  - ALLOW_UNINSTALL: installed packages may go when the request needs it, and `remove`
 *    takes the packages that depend on what it removes with it, as conda does;
 *  - ALLOW_DOWNGRADE: conda downgrades installed packages when a request needs it
 *    (micromamba 1.5 refuses, libmamba 2 allows);
 *  - STRICT_REPO_PRIORITY in strict mode: a name that a higher-priority channel has is
 *    never taken from a lower one (conda's strict channel priority, exactly libsolv's
 *    rule); flexible leaves libsolv's preference for the highest priority among the
 *    candidates; disabled sets every channel's priority equal for the solve;
 *  - INSTALL_ALSO_UPDATES: `install numpy` with numpy installed moves it to the best
 *    matching version, as conda's default update_modifier (update_specs) does;
 *  - IGNORE_RECOMMENDED: conda has no weak dependencies; this skips the work;
 *  - no FOCUS_BEST: libsolv's default focus decides requested packages first, which is
 *    conda's objective order (requested versions before those of dependencies).
 * Not flags but jobs: pins are erase jobs over the solvables of the pinned name that do not
 * match (so they cost nothing when the name is not installed, as conda's pins), freeze is
 * a lock of the installed repo.
 *
 * libsolv's conda policy ends with a build-string comparison where conda compares
 * noarch (an arch build wins) and then the timestamp. After the solve, each package is
 * replaced by the build conda would rank first among those of the same name, version,
 * build number, features and channel priority, when that build can take its place with
 * everything else unchanged (its needs met, what others ask of the package given, no job
 * against it), which is exactly when conda's order reaches the timestamp.
 */
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <solv/bitmap.h>
#include <solv/evr.h>
#include <solv/repo.h>
#include <solv/solvable.h>

#include "hpcenv/config.h"
#include "hpcenv/error.h"
#include "hpcenv/matchspec.h"
#include "hpcenv/problems.h"
#include "hpcenv/select.h"
#include "hpcenv/virtual.h"
#include "matchspec_int.h"
#include "solver_int.h"

/* ---- the job table ---- */

void hpc_jobtab_init(struct hpc_jobtab *jt)
{
	memset(jt, 0, sizeof(*jt));
	queue_init(&jt->q);
}

void hpc_jobtab_fini(struct hpc_jobtab *jt)
{
	for (size_t i = 0; i < jt->n; i++) {
		free(jt->info[i].spec);
		free(jt->info[i].origin);
	}
	free(jt->info);
	queue_free(&jt->q);
}

const struct hpc_jobinfo *hpc_jobtab_at(const struct hpc_jobtab *jt, Id jidx)
{
	if (jidx < 0 || (jidx & 1) || (size_t)jidx / 2 >= jt->n)
		return NULL;
	return &jt->info[jidx / 2];
}

static void jt_push(struct hpc_jobtab *jt, Id how, Id what, enum hpc_jkind kind,
		    const struct hpc_job *job, const char *spec, const char *origin)
{
	struct hpc_jobinfo *ji;

	if (jt->n == jt->cap) {
		jt->cap = jt->cap ? 2 * jt->cap : 16;
		jt->info = hpc_xrealloc(jt->info, jt->cap * sizeof(*jt->info));
	}
	ji = &jt->info[jt->n++];
	ji->kind = kind;
	ji->job = job;
	ji->spec = spec ? hpc_xstrdup(spec) : NULL;
	ji->origin = origin ? hpc_xstrdup(origin) : NULL;
	queue_push2(&jt->q, how, what);
}

static void jt_push_job(struct hpc_jobtab *jt, Id how, Id what, enum hpc_jkind kind,
			const struct hpc_job *job)
{
	jt_push(jt, how, what, kind, job, job->spec, job->origin);
}

/* ---- pool preparation, undone after the solve ---- */

struct prep {
	Pool *pool;
	Queue priorities; /* pairs: repo id, priority before the solve */
};

static void prep_priorities(struct prep *pr, enum hpc_channel_priority mode)
{
	Pool *pool = pr->pool;
	Repo *repo;
	int i;

	FOR_REPOS(i, repo) {
		int prio = repo->priority;

		if (repo == pool->installed && mode == HPC_PRIORITY_STRICT)
			prio = INT_MIN; /* never the highest: strict rules look at installed too */
		else if (repo != pool->installed && mode == HPC_PRIORITY_DISABLED)
			prio = 0;
		if (prio == repo->priority)
			continue;
		queue_push2(&pr->priorities, repo->repoid, repo->priority);
		repo->priority = prio;
	}
}

static void prep_apply(struct prep *pr, Pool *pool, const struct hpc_request *rq)
{
	pr->pool = pool;
	queue_init(&pr->priorities);
	pool_createwhatprovides(pool);
	prep_priorities(pr, rq->priority);
}

static void prep_undo(struct prep *pr)
{
	for (int i = 0; i < pr->priorities.count; i += 2)
		pr->pool->repos[pr->priorities.elements[i]]->priority =
			pr->priorities.elements[i + 1];
	queue_free(&pr->priorities);
}

/* ---- jobs ---- */

/* Installed solvables matching ms, into q. */
static void installed_matches(Pool *pool, const struct hpc_matchspec *ms, Queue *q)
{
	Queue all;

	queue_empty(q);
	if (!pool->installed)
		return;
	queue_init(&all);
	hpc_matchspec_select(pool, ms, &all);
	for (int i = 0; i < all.count; i++)
		if (pool->solvables[all.elements[i]].repo == pool->installed)
			queue_push(q, all.elements[i]);
	queue_free(&all);
}

/* --force-reinstall: the channel copies of an installed match (same name, version and
 * build), so libsolv replaces the installed package by itself. */
static void reinstall_candidates(Pool *pool, const struct hpc_matchspec *ms, Queue *out)
{
	Queue inst, all;

	queue_init(&inst);
	queue_init(&all);
	installed_matches(pool, ms, &inst);
	queue_empty(out);
	if (inst.count) {
		Solvable *old = pool->solvables + inst.elements[0];
		const char *ob = solvable_lookup_str(old, SOLVABLE_BUILDFLAVOR);

		hpc_matchspec_select(pool, ms, &all);
		for (int i = 0; i < all.count; i++) {
			Solvable *s = pool->solvables + all.elements[i];
			const char *b = solvable_lookup_str(s, SOLVABLE_BUILDFLAVOR);

			if (s->repo != pool->installed && s->name == old->name &&
			    s->evr == old->evr && b && ob && !strcmp(b, ob))
				queue_push(out, all.elements[i]);
		}
	}
	queue_free(&inst);
	queue_free(&all);
}

static void job_install(struct hpc_jobtab *jt, Pool *pool, const struct hpc_request *rq,
			const struct hpc_job *j)
{
	Queue q;

	queue_init(&q);
	if (rq->force_reinstall)
		reinstall_candidates(pool, j->ms, &q);
	if (q.count) {
		jt_push_job(jt, SOLVER_INSTALL | SOLVER_SOLVABLE_ONE_OF,
			    pool_queuetowhatprovides(pool, &q), HPC_J_REINSTALL, j);
	} else {
		Queue one;

		queue_init(&one);
		hpc_select_job(pool, j->ms, SOLVER_INSTALL, &one);
		jt_push_job(jt, one.elements[0], one.elements[1], HPC_J_INSTALL, j);
		queue_free(&one);
	}
	queue_free(&q);
}

/* "it is not installed", or, when a package of that name is installed but outside the
 * spec, which one (the user's spec was too narrow, not the name wrong). */
static int not_installed(Pool *pool, const struct hpc_job *j, const char *verb,
			 struct hpc_error **err)
{
	Id name = j->ms->name ? pool_str2id(pool, j->ms->name, 0) : 0;
	Solvable *s;
	Id p;

	if (!name || !pool->installed)
		return HPC_FAIL(err, NOTFOUND, "cannot %s '%s': it is not installed", verb, j->spec);
	FOR_REPO_SOLVABLES(pool->installed, p, s) {
		if (s->name != name)
			continue;
		return HPC_FAIL(err, NOTFOUND, "cannot %s '%s': the installed %s %s (%s) does not "
				"match it", verb, j->spec, pool_id2str(pool, s->name),
				pool_id2str(pool, s->evr),
				solvable_lookup_str(s, SOLVABLE_BUILDFLAVOR) ?: "no build string");
	}
	return HPC_FAIL(err, NOTFOUND, "cannot %s '%s': it is not installed", verb, j->spec);
}

/* As libmamba: a bare name updates the installed package; a spec with more also installs
 * a match of it, so the update lands inside the spec. */
static int job_update(struct hpc_jobtab *jt, Pool *pool, const struct hpc_job *j,
		      struct hpc_error **err)
{
	Queue inst;
	int r = 0;

	queue_init(&inst);
	installed_matches(pool, j->ms, &inst);
	if (!inst.count) {
		r = not_installed(pool, j, "update", err);
	} else {
		Id name = pool->solvables[inst.elements[0]].name;

		jt_push_job(jt, SOLVER_UPDATE | SOLVER_SOLVABLE_NAME, name, HPC_J_UPDATE, j);
		if (!hpc_matchspec_is_name_only(j->ms)) {
			Queue one;

			queue_init(&one);
			hpc_select_job(pool, j->ms, SOLVER_INSTALL, &one);
			jt_push_job(jt, one.elements[0], one.elements[1], HPC_J_UPDATE, j);
			queue_free(&one);
		}
	}
	queue_free(&inst);
	return r;
}

static int job_remove(struct hpc_jobtab *jt, Pool *pool, const struct hpc_request *rq,
		      const struct hpc_job *j, struct hpc_error **err)
{
	Queue inst;
	int r = 0;

	queue_init(&inst);
	installed_matches(pool, j->ms, &inst);
	if (inst.count)
		jt_push_job(jt, SOLVER_ERASE | SOLVER_SOLVABLE_ONE_OF |
				(rq->prune ? SOLVER_CLEANDEPS : 0),
			    pool_queuetowhatprovides(pool, &inst), HPC_J_REMOVE, j);
	else
		r = not_installed(pool, j, "remove", err);
	queue_free(&inst);
	return r;
}

/* The solvables whose name ms's name matches, with or without the rest of the spec. */
static void same_name(Pool *pool, const struct hpc_matchspec *ms, Queue *out)
{
	Id p, pp;

	if (hpc_matchspec_name_is_exact(ms)) {
		Id name = pool_str2id(pool, ms->name, 0);

		if (name)
			FOR_PROVIDES(p, pp, name)
				if (pool->solvables[p].name == name)
					queue_push(out, p);
		return;
	}
	FOR_POOL_SOLVABLES(p)
		if (hpc_matchspec_match_name(ms, pool_id2str(pool, pool->solvables[p].name)))
			queue_push(out, p);
}

static int cmp_id(const void *a, const void *b)
{
	Id x = *(const Id *)a, y = *(const Id *)b;

	return (x > y) - (x < y);
}

/* A pin rules out every package of its name that does not match it, installed or not;
 * nothing happens when the name is not wanted. */
static void job_pin(struct hpc_jobtab *jt, Pool *pool, const struct hpc_matchspec *ms,
		    enum hpc_jkind kind, const struct hpc_job *j, const char *spec,
		    const char *origin)
{
	Queue all, ok, bad;
	int k = 0;

	queue_init(&all);
	queue_init(&ok);
	queue_init(&bad);
	same_name(pool, ms, &all);
	hpc_matchspec_select(pool, ms, &ok);
	if (all.count > 1)
		qsort(all.elements, (size_t)all.count, sizeof(Id), cmp_id);
	for (int i = 0; i < all.count; i++) {
		while (k < ok.count && ok.elements[k] < all.elements[i])
			k++;
		if (k >= ok.count || ok.elements[k] != all.elements[i])
			queue_push(&bad, all.elements[i]);
	}
	if (bad.count)
		jt_push(jt, SOLVER_ERASE | SOLVER_SOLVABLE_ONE_OF,
			pool_queuetowhatprovides(pool, &bad), kind, j, spec, origin);
	queue_free(&all);
	queue_free(&ok);
	queue_free(&bad);
}

static bool requests_name(const struct hpc_request *rq, const char *name)
{
	for (size_t i = 0; i < rq->njobs; i++)
		if ((rq->jobs[i].kind == HPC_JOB_INSTALL || rq->jobs[i].kind == HPC_JOB_UPDATE) &&
		    hpc_matchspec_match_name(rq->jobs[i].ms, name))
			return true;
	return false;
}

/* conda and micromamba keep an installed python's minor version unless python itself is
 * requested. */
static void job_python_pin(struct hpc_jobtab *jt, Pool *pool, const struct hpc_request *rq)
{
	Id python = pool_str2id(pool, "python", 0), p;
	Solvable *s;
	char *spec, *origin, *dot;
	const char *v;
	struct hpc_matchspec *ms;

	if (rq->no_py_pin || !python || !pool->installed || requests_name(rq, "python"))
		return;
	FOR_REPO_SOLVABLES(pool->installed, p, s)
		if (s->name == python)
			break;
	if (!p || p >= pool->installed->end)
		return;
	v = pool_id2str(pool, s->evr);
	dot = strchr(v, '.');
	dot = dot ? strchr(dot + 1, '.') : NULL;
	spec = hpc_xasprintf("python %.*s.*", dot ? (int)(dot - v) : (int)strlen(v), v);
	origin = hpc_xasprintf("installed python %s", v);
	if ((ms = hpc_matchspec_parse(spec, NULL)))
		job_pin(jt, pool, ms, HPC_J_PYPIN, NULL, spec, origin);
	hpc_matchspec_free(ms);
	free(spec);
	free(origin);
}

static int build_jobs(struct hpc_jobtab *jt, Pool *pool, const struct hpc_request *rq,
		      struct hpc_error **err)
{
	int r = 0;

	for (size_t i = 0; i < rq->njobs && r == 0; i++) {
		const struct hpc_job *j = &rq->jobs[i];

		switch (j->kind) {
		case HPC_JOB_INSTALL:
			job_install(jt, pool, rq, j);
			break;
		case HPC_JOB_UPDATE:
			r = job_update(jt, pool, j, err);
			break;
		case HPC_JOB_REMOVE:
			r = job_remove(jt, pool, rq, j, err);
			break;
		case HPC_JOB_KEEP: {
			Queue inst;

			queue_init(&inst);
			installed_matches(pool, j->ms, &inst);
			if (inst.count)
				jt_push_job(jt, SOLVER_USERINSTALLED | SOLVER_SOLVABLE_ONE_OF,
					    pool_queuetowhatprovides(pool, &inst), HPC_J_KEEP, j);
			queue_free(&inst);
			break;
		}
		case HPC_JOB_PIN:
			job_pin(jt, pool, j->ms, HPC_J_PIN, j, j->spec, j->origin);
			break;
		}
	}
	if (r < 0)
		return r;
	if (rq->update_all && pool->installed)
		jt_push(jt, SOLVER_UPDATE | SOLVER_SOLVABLE_ALL, 0, HPC_J_UPDATE_ALL, NULL,
			"--all", NULL);
	if (rq->freeze_installed && pool->installed)
		jt_push(jt, SOLVER_LOCK | SOLVER_SOLVABLE_REPO, pool->installed->repoid,
			HPC_J_FREEZE, NULL, "--freeze-installed", NULL);
	job_python_pin(jt, pool, rq);
	return 0;
}

/* ---- running libsolv ---- */

static Solver *run_libsolv(Pool *pool, const struct hpc_request *rq, Queue *job)
{
	Solver *solv = solver_create(pool);

	solver_set_flag(solv, SOLVER_FLAG_ALLOW_UNINSTALL, 1);
	solver_set_flag(solv, SOLVER_FLAG_ALLOW_DOWNGRADE, 1);
	solver_set_flag(solv, SOLVER_FLAG_INSTALL_ALSO_UPDATES, 1);
	solver_set_flag(solv, SOLVER_FLAG_IGNORE_RECOMMENDED, 1);
	solver_set_flag(solv, SOLVER_FLAG_STRICT_REPO_PRIORITY,
			rq->priority == HPC_PRIORITY_STRICT);
	solver_solve(solv, job);
	return solv;
}

static const char *build_number(Solvable *s)
{
	const char *bn = solvable_lookup_str(s, SOLVABLE_BUILDVERSION);

	return bn ? bn : "0";
}

/* Builds libsolv's conda policy cannot tell apart (it would compare build strings). */
static bool same_rank(Pool *pool, Solvable *a, Solvable *b)
{
	return a->name == b->name && a->repo->priority == b->repo->priority &&
	       (a->evr == b->evr || pool_evrcmp(pool, a->evr, b->evr, EVRCMP_COMPARE) == 0) &&
	       !strcmp(build_number(a), build_number(b)) &&
	       solvable_lookup_count(a, SOLVABLE_TRACK_FEATURES) ==
		       solvable_lookup_count(b, SOLVABLE_TRACK_FEATURES);
}

/* conda's order after version and build number: an arch build before a noarch one, then
 * the newer timestamp, then the build string. > 0 when a comes first. */
static int conda_tiebreak(Pool *pool, Id a, Id b)
{
	Solvable *sa = pool->solvables + a, *sb = pool->solvables + b;
	bool na = hpc_solvable_is_noarch(pool, a), nb = hpc_solvable_is_noarch(pool, b);
	unsigned long long ta = solvable_lookup_num(sa, SOLVABLE_BUILDTIME, 0);
	unsigned long long tb = solvable_lookup_num(sb, SOLVABLE_BUILDTIME, 0);
	const char *ba = solvable_lookup_str(sa, SOLVABLE_BUILDFLAVOR);
	const char *bb = solvable_lookup_str(sb, SOLVABLE_BUILDFLAVOR);

	if (na != nb)
		return na ? -1 : 1;
	if (ta != tb)
		return ta > tb ? 1 : -1;
	return strcmp(ba ? ba : "", bb ? bb : "");
}

static bool provides(Pool *pool, Id dep, Id p)
{
	Id q, qq;

	FOR_PROVIDES(q, qq, dep)
		if (q == p)
			return true;
	return false;
}

/* Some package of the set, with s replaced by t, provides dep. */
static bool met(Pool *pool, const Map *in, Id dep, Id s, Id t)
{
	Id q, qq;

	FOR_PROVIDES(q, qq, dep)
		if (q == t || (q != s && MAPTST(in, q)))
			return true;
	return false;
}

/* t can take s's place in the set unchanged otherwise: t's requirements are met and its
 * constraints hold there, and whatever the set asked of s (requirements, constraints)
 * t gives too. Then t differs from s in nothing conda weighs before the timestamp. */
static bool swap_ok(Pool *pool, const Map *in, const Queue *set, Id s, Id t)
{
	Queue q;
	bool ok = true;

	queue_init(&q);
	solvable_lookup_deparray(pool->solvables + t, SOLVABLE_REQUIRES, &q, -1);
	for (int i = 0; ok && i < q.count; i++)
		ok = met(pool, in, q.elements[i], s, t);
	solvable_lookup_deparray(pool->solvables + t, SOLVABLE_CONSTRAINS, &q, -1);
	for (int i = 0; ok && i < q.count; i++)
		for (int k = 0; ok && k < set->count; k++) {
			Id p = set->elements[k], name = q.elements[i];

			while (ISRELDEP(name))
				name = GETRELDEP(pool, name)->name;
			if (p != s && pool->solvables[p].name == name)
				ok = provides(pool, q.elements[i], p);
		}
	for (int k = 0; ok && k < set->count; k++) {
		Id p = set->elements[k];

		if (p == s)
			continue;
		solvable_lookup_deparray(pool->solvables + p, SOLVABLE_REQUIRES, &q, -1);
		for (int i = 0; ok && i < q.count; i++)
			ok = !provides(pool, q.elements[i], s) || provides(pool, q.elements[i], t);
		solvable_lookup_deparray(pool->solvables + p, SOLVABLE_CONSTRAINS, &q, -1);
		for (int i = 0; ok && i < q.count; i++)
			ok = !ISRELDEP(q.elements[i]) ||
			     GETRELDEP(pool, q.elements[i])->name != pool->solvables[s].name ||
			     provides(pool, q.elements[i], t);
	}
	queue_free(&q);
	return ok;
}

static bool has(const Queue *q, Id p)
{
	for (int i = 0; i < q->count; i++)
		if (q->elements[i] == p)
			return true;
	return false;
}

/* No job rules t out where s was fine: an install job that s satisfies has t among its
 * candidates, and no erase job (a pin, a removal) selects t. */
static bool jobs_ok(Pool *pool, const struct hpc_jobtab *jt, Id s, Id t)
{
	Queue q;
	bool ok = true;

	queue_init(&q);
	for (int i = 0; ok && i + 1 < jt->q.count; i += 2) {
		Id how = jt->q.elements[i], kind = how & SOLVER_JOBMASK;

		if (kind != SOLVER_INSTALL && kind != SOLVER_ERASE)
			continue;
		queue_empty(&q);
		pool_job2solvables(pool, &q, how, jt->q.elements[i + 1]);
		if (kind == SOLVER_ERASE)
			ok = !has(&q, t);
		else
			ok = !has(&q, s) || has(&q, t);
	}
	queue_free(&q);
	return ok;
}

/* conda's last tie-breaks on libsolv's choice: each package is replaced by the build
 * conda's order puts first among its equals, when that build can take its place with
 * everything else unchanged. Then nothing conda weighs before the timestamp differs, and
 * no second solve is needed. Returns how many were replaced. */
static int tiebreak(Pool *pool, const struct hpc_jobtab *jt, Queue *dq)
{
	Queue set;
	Map in;
	int swaps = 0;

	queue_init(&set);
	map_init(&in, pool->nsolvables);
	for (int i = 0; i < dq->count; i++)
		if (dq->elements[i] > SYSTEMSOLVABLE) {
			queue_push(&set, dq->elements[i]);
			MAPSET(&in, dq->elements[i]);
		}
	for (int i = 0; i < set.count; i++) {
		Id p = set.elements[i], best = p, q, qq;
		Solvable *s = pool->solvables + p;

		if (s->repo == pool->installed)
			continue;
		FOR_PROVIDES(q, qq, s->name) {
			Solvable *t = pool->solvables + q;

			if (q != best && t->repo != pool->installed && same_rank(pool, s, t) &&
			    conda_tiebreak(pool, q, best) > 0 && swap_ok(pool, &in, &set, p, q) &&
			    jobs_ok(pool, jt, p, q))
				best = q;
		}
		if (best == p)
			continue;
		/* take it in, so the next checks see the set as it now is */
		set.elements[i] = best;
		MAPCLR(&in, p);
		MAPSET(&in, best);
		for (int k = 0; k < dq->count; k++)
			dq->elements[k] = dq->elements[k] == p ? best :
					  dq->elements[k] == -best ? -p : dq->elements[k];
		swaps++;
	}
	map_free(&in);
	queue_free(&set);
	return swaps;
}

struct outcome {
	Queue decisions;
	int tiebreaks;
	struct hpc_problems *problems;
};

static void solve_core(Pool *pool, const struct hpc_request *rq, struct hpc_jobtab *jt,
		       struct outcome *o)
{
	Solver *solv = run_libsolv(pool, rq, &jt->q);

	if (solver_problem_count(solv)) {
		o->problems = hpc_explain(solv, jt);
		solver_free(solv);
		return;
	}
	solver_get_decisionqueue(solv, &o->decisions);
	solver_free(solv);
	o->tiebreaks = tiebreak(pool, jt, &o->decisions);
}

/* ---- the solve in a child process, under a time budget ---- */

enum { MSG_SOLVED = 'S', MSG_PROBLEMS = 'P' };

static int write_all(int fd, const void *data, size_t len)
{
	const char *p = data;

	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* The child solves on its copy-on-write image of the pool and reports through fd: 'S',
 * tie-breaks, count and the decision Ids, or 'P' and the problems as JSON. It never returns;
 * _exit skips atexit handlers (and leak checks) that belong to the parent. */
static void child_main(int fd, Pool *pool, const struct hpc_request *rq,
		       struct hpc_jobtab *jt)
{
	struct outcome o = { .tiebreaks = 0 };
	struct hpc_strbuf sb = HPC_STRBUF_INIT;

	queue_init(&o.decisions);
	solve_core(pool, rq, jt, &o);
	if (o.problems) {
		json_t *j = hpc_problems_to_json(o.problems);
		char *text = json_dumps(j, JSON_COMPACT);

		hpc_strbuf_addc(&sb, MSG_PROBLEMS);
		hpc_strbuf_adds(&sb, text);
		free(text);
		json_decref(j);
	} else {
		int32_t head[2] = { o.tiebreaks, o.decisions.count };

		hpc_strbuf_addc(&sb, MSG_SOLVED);
		hpc_strbuf_add(&sb, head, sizeof(head));
		hpc_strbuf_add(&sb, o.decisions.elements, (size_t)o.decisions.count * sizeof(Id));
	}
	_exit(write_all(fd, sb.buf, sb.len) ? 3 : 0);
}

static void stop_child(pid_t pid)
{
	kill(pid, SIGKILL);
	while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
		;
}

static int reap(pid_t pid, struct hpc_error **err)
{
	int st = 0;

	while (waitpid(pid, &st, 0) < 0) {
		if (errno != EINTR)
			return 0; /* SIGCHLD ignored by the program: already reaped */
	}
	if (WIFSIGNALED(st))
		return HPC_FAIL(err, BUG, "the solver process was killed by signal %d",
				WTERMSIG(st));
	if (WIFEXITED(st) && WEXITSTATUS(st))
		return HPC_FAIL(err, BUG, "the solver process failed (exit status %d)",
				WEXITSTATUS(st));
	return 0;
}

/* Read the child's report until EOF, the budget or a cancel, whichever comes first. */
static int collect(int fd, pid_t pid, const struct hpc_request *rq, const struct hpc_events *ev,
		   struct hpc_strbuf *sb, struct hpc_error **err)
{
	double deadline = hpc_now() + rq->timeout;
	char buf[65536];

	for (;;) {
		double left = deadline - hpc_now();
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		ssize_t k;
		int n;

		if (left <= 0 || hpc_cancelled(ev)) {
			char *specs = hpc_request_specs_str(rq);

			stop_child(pid);
			if (left > 0)
				n = HPC_FAIL(err, INTERRUPTED, "solve interrupted (%s)", specs);
			else
				n = HPC_FAIL(err, TIMEOUT,
					     "no solution found within %g s for %s (raise "
					     "--solver-timeout or solver_timeout, or narrow the "
					     "specs)",
					     rq->timeout, specs);
			free(specs);
			return n;
		}
		/* wake at least every second (every 0.1 s to poll a cancel) */
		if (left > (ev && ev->cancelled ? 0.1 : 1.0))
			left = ev && ev->cancelled ? 0.1 : 1.0;
		n = poll(&pfd, 1, (int)(left * 1000) + 1);
		if (n < 0 && errno != EINTR) {
			stop_child(pid);
			return HPC_FAIL(err, IO, "waiting for the solver: %s", strerror(errno));
		}
		if (n <= 0)
			continue;
		k = read(fd, buf, sizeof(buf));
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			break;
		hpc_strbuf_add(sb, buf, (size_t)k);
	}
	return reap(pid, err);
}

static int decode(const struct hpc_strbuf *sb, struct outcome *o, struct hpc_error **err)
{
	int32_t head[2];
	int r;
	json_t *j;
	json_error_t je;

	if (sb->len > 0 && sb->buf[0] == MSG_PROBLEMS) {
		if (!(j = json_loadb(sb->buf + 1, sb->len - 1, 0, &je)))
			return HPC_FAIL(err, BUG, "the solver process sent bad JSON: %s", je.text);
		r = hpc_problems_from_json(j, &o->problems, err);
		json_decref(j);
		return r;
	}
	if (sb->len < 1 + sizeof(head) || sb->buf[0] != MSG_SOLVED)
		return HPC_FAIL(err, BUG, "the solver process sent no result");
	memcpy(head, sb->buf + 1, sizeof(head));
	if (head[1] < 0 || sb->len != 1 + sizeof(head) + (size_t)head[1] * sizeof(Id))
		return HPC_FAIL(err, BUG, "the solver process sent a truncated result");
	o->tiebreaks = head[0];
	queue_insertn(&o->decisions, 0, head[1], (const Id *)(sb->buf + 1 + sizeof(head)));
	return 0;
}

static int solve_forked(Pool *pool, const struct hpc_request *rq, struct hpc_jobtab *jt,
			const struct hpc_events *ev, struct outcome *o, struct hpc_error **err)
{
	struct hpc_strbuf sb = HPC_STRBUF_INIT;
	int fds[2], r;
	pid_t pid;

	if (pipe2(fds, O_CLOEXEC) < 0)
		return HPC_FAIL(err, IO, "cannot make a pipe for the solver: %s", strerror(errno));
	pid = fork();
	if (pid < 0) {
		r = HPC_FAIL(err, IO, "cannot start the solver process: %s", strerror(errno));
		close(fds[0]);
		close(fds[1]);
		return r;
	}
	if (pid == 0) {
		close(fds[0]);
		child_main(fds[1], pool, rq, jt);
	}
	close(fds[1]);
	r = collect(fds[0], pid, rq, ev, &sb, err);
	close(fds[0]);
	if (r == 0)
		r = decode(&sb, o, err);
	hpc_strbuf_release(&sb);
	return r;
}

/* ---- the entry point ---- */

static int unsolvable(const struct hpc_problems *pb, struct hpc_error **err)
{
	const char *first = pb->n ? pb->v[0].summary : "no solution";

	if (pb->n > 1)
		return HPC_FAIL(err, SOLVE, "%s (and %zu more problem%s)", first, pb->n - 1,
				pb->n > 2 ? "s" : "");
	return HPC_FAIL(err, SOLVE, "%s", first);
}

int hpc_solver_solve(Pool *pool, const struct hpc_request *rq, const struct hpc_events *ev,
		     struct hpc_solution **out, struct hpc_problems **problems,
		     struct hpc_error **err)
{
	struct outcome o = { .tiebreaks = 0 };
	struct hpc_jobtab jt;
	struct prep pr;
	double t0 = hpc_now();
	int r;

	if (out)
		*out = NULL;
	if (problems)
		*problems = NULL;
	if (pool->disttype != DISTTYPE_CONDA || !hpc_select_attached(pool))
		return HPC_FAIL(err, BUG, "the solver needs a conda pool with hpc_select attached");
	hpc_jobtab_init(&jt);
	queue_init(&o.decisions);
	prep_apply(&pr, pool, rq);
	r = build_jobs(&jt, pool, rq, err);
	if (r == 0) {
		hpc_debug(ev, "solving %zu jobs over %d packages%s", jt.n, pool->nsolvables,
			  rq->timeout > 0 ? " in a child process" : "");
		if (rq->timeout > 0)
			r = solve_forked(pool, rq, &jt, ev, &o, err);
		else
			solve_core(pool, rq, &jt, &o);
	}
	prep_undo(&pr);
	if (r == 0 && o.problems) {
		r = unsolvable(o.problems, err);
		if (problems)
			*problems = o.problems;
		else
			hpc_problems_free(o.problems);
	} else if (r == 0) {
		struct hpc_solution *sol = hpc_solution_build(pool, rq, &o.decisions);

		sol->tiebreaks = o.tiebreaks;
		hpc_debug(ev, "solved in %.3f s: %d to link, %d to unlink, %d build%s by conda's "
			  "tie-breaks",
			  hpc_now() - t0, sol->link.count, sol->unlink.count, o.tiebreaks,
			  o.tiebreaks == 1 ? "" : "s");
		if (out)
			*out = sol;
		else
			hpc_solution_free(sol);
	}
	queue_free(&o.decisions);
	hpc_jobtab_fini(&jt);
	return r;
}
