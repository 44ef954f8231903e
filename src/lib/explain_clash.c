/* SPDX-License-Identifier: MIT */
/* explain_clash.c - why the packages of a group are ruled out: another package of the
 * same name (and who brought it in), a constrains entry either way, strict channel
 * priority (naming the channel that wins), a pin or --freeze-installed, and anything else
 * libsolv reports in its own words (see explain.c) */
#include <stdlib.h>
#include <string.h>

#include <solv/solver.h>
#include <solv/evr.h>
#include <solv/repo.h>
#include <solv/solvable.h>

#include "explain_int.h"
#include "hpcenv/select.h"

static bool intersects(const Queue *a, const Queue *b)
{
	for (int i = 0; i < a->count; i++)
		if (hpc_ex_queue_has(b, a->elements[i]))
			return true;
	return false;
}

/* A lock job (--freeze-installed) keeps the installed package p. */
static bool frozen(const struct ex *x, Id p)
{
	for (int i = 0; i < x->nf; i++) {
		const struct hpc_jobinfo *ji;

		if (hpc_ex_is_job_type(x->f[i].type) && x->f[i].to == p &&
		    (ji = hpc_jobtab_at(x->jt, x->f[i].from)) && ji->kind == HPC_J_FREEZE)
			return true;
	}
	return false;
}

/* Who brought packages into the problem: " (needed by SPEC)", " (needed by pkg 1.0)",
 * " (installed)", or "". */
static char *introducer(const struct ex *x, const Queue *pk)
{
	Pool *pool = x->pool;
	Queue q;
	char *s = NULL;

	for (int i = 0; i < pk->count; i++)
		if (pool->solvables[pk->elements[i]].repo == pool->installed)
			return hpc_xstrdup(frozen(x, pk->elements[i]) ?
						   " (installed, kept by --freeze-installed)" :
						   " (installed)");
	queue_init(&q);
	for (int i = 0; i < x->nf && !s; i++) {
		const struct fact *f = &x->f[i];
		const struct hpc_jobinfo *ji;
		Id p, pp;

		if (hpc_ex_is_job_type(f->type) && (ji = hpc_jobtab_at(x->jt, f->from)) &&
		    hpc_ex_is_request(ji->kind)) {
			hpc_ex_job_candidates(x, f->from, &q);
			if (intersects(pk, &q))
				s = hpc_xasprintf(" (needed by %s)", ji->spec);
		} else if (f->type == SOLVER_RULE_PKG_REQUIRES && !hpc_ex_queue_has(pk, f->from)) {
			FOR_PROVIDES(p, pp, f->dep)
				if (!s && hpc_ex_queue_has(pk, p))
					s = hpc_xasprintf(" (needed by %s)",
							  hpc_ex_solvable_text(pool, f->from));
		}
	}
	queue_free(&q);
	return s ? s : hpc_xstrdup("");
}

static struct hpc_pnode *conflict_node(struct ex *x, struct hpc_pnode *n, const Queue *g,
				       Queue *members, enum hpc_conflict reason, char *text)
{
	struct hpc_pnode *c = hpc_ex_add_node(x, n, HPC_PN_CONFLICT);

	c->reason = reason;
	c->text = text;
	hpc_ex_set_needed_by(x->pool, c, members, g);
	return c;
}

static void same_name(struct ex *x, struct hpc_pnode *n, const Queue *g)
{
	Pool *pool = x->pool;
	Queue others, members;
	struct fact *f;
	int i;

	queue_init(&others);
	queue_init(&members);
	for (int m = 0; m < g->count; m++)
		FOR_FACTS(x, g->elements[m], i, f) {
			Id t = f->from == g->elements[m] ? f->to : f->from;

			if (f->type == SOLVER_RULE_PKG_SAME_NAME && t > 0 &&
			    !hpc_ex_queue_has(g, t)) {
				queue_push(&others, t);
				queue_push(&members, g->elements[m]);
			}
		}
	if (others.count) {
		char *with, *intro;
		struct hpc_pnode *c;

		hpc_ex_sort_unique(pool, &others);
		with = hpc_ex_group_text(pool, &others);
		intro = introducer(x, &others);
		c = conflict_node(x, n, g, &members, HPC_CONFLICT_SAME_NAME,
				  hpc_xasprintf("conflicts with %s%s: only one %s can be installed",
						with, intro, n->name));
		c->with = with;
		free(intro);
	}
	queue_free(&others);
	queue_free(&members);
}

/* The node for one constrains entry: under its owner ("out") or under what it rules out. */
static void constrains_node(struct ex *x, struct hpc_pnode *n, const Queue *g,
			    const struct fact *fk, bool out, Queue *others, Queue *members)
{
	Pool *pool = x->pool;
	char *with, *intro, *text;
	const char *dep = hpc_select_dep_str(pool, fk->dep);
	struct hpc_pnode *c;

	hpc_ex_sort_unique(pool, others);
	with = hpc_ex_group_text(pool, others);
	intro = introducer(x, others);
	if (out)
		text = hpc_xasprintf("constrains %s, which rules out %s%s", dep, with, intro);
	else
		text = hpc_xasprintf("ruled out by %s%s, which constrains %s", with, intro, dep);
	c = conflict_node(x, n, g, members, HPC_CONFLICT_CONSTRAINS, text);
	if (fk->type == SOLVER_RULE_PKG_CONFLICTS)
		c->reason = HPC_CONFLICT_CONFLICTS;
	c->with = with;
	free(intro);
}

/* p's constrains entry dep rules out t: under p's group ("out") and under t's ("in"). */
static void constrains(struct ex *x, struct hpc_pnode *n, const Queue *g, bool out)
{
	Queue e, others, members;
	struct fact *f;
	int i;

	queue_init(&e);
	queue_init(&others);
	queue_init(&members);
	for (int m = 0; m < g->count; m++)
		FOR_FACTS(x, g->elements[m], i, f)
			if ((f->type == SOLVER_RULE_PKG_CONSTRAINS ||
			     f->type == SOLVER_RULE_PKG_CONFLICTS) &&
			    (out ? f->from : f->to) == g->elements[m])
				queue_push2(&e, f->dep, i);
	hpc_ex_sort_pairs(&e);
	for (int k = 0; k < e.count; k += 2) {
		struct fact *fk = &x->f[e.elements[k + 1]];

		queue_push(&others, out ? fk->to : fk->from);
		queue_push(&members, out ? fk->from : fk->to);
		if (k + 2 < e.count && e.elements[k + 2] == e.elements[k])
			continue;
		constrains_node(x, n, g, fk, out, &others, &members);
		queue_empty(&others);
		queue_empty(&members);
	}
	queue_free(&e);
	queue_free(&others);
	queue_free(&members);
}

/* The higher-priority channels that have name, short names joined. */
static char *higher_channels(Pool *pool, Id p)
{
	Solvable *s = pool->solvables + p;
	struct hpc_strv v = HPC_STRV_INIT;
	Id q, qq;
	char *r;

	FOR_PROVIDES(q, qq, s->name) {
		Solvable *t = pool->solvables + q;

		if (t->name == s->name && t->repo != pool->installed &&
		    t->repo->priority > s->repo->priority) {
			char *c = hpc_ex_channel_of(pool, q), *sh = hpc_channel_short(c ? c : "?");

			hpc_strv_push_unique(&v, sh);
			free(sh);
			free(c);
		}
	}
	r = v.n ? hpc_strv_join(&v, ", ") : hpc_xstrdup("a higher-priority channel");
	hpc_strv_fini(&v);
	return r;
}

static void strict(struct ex *x, struct hpc_pnode *n, const Queue *g)
{
	Queue members;
	struct fact *f;
	int i;

	queue_init(&members);
	for (int m = 0; m < g->count; m++)
		FOR_FACTS(x, g->elements[m], i, f)
			if (f->type == SOLVER_RULE_STRICT_REPO_PRIORITY &&
			    f->from == g->elements[m])
				queue_push(&members, f->from);
	if (members.count) {
		char *hi = higher_channels(x->pool, members.elements[0]);

		conflict_node(x, n, g, &members, HPC_CONFLICT_STRICT,
			      hpc_xasprintf("excluded by strict channel priority: %s is also in "
					    "%s, which comes first",
					    n->name, hi))->with = hi;
	}
	queue_free(&members);
}

/* Pins, freezes and removals name the packages they rule out (or keep) in their rules. */
static void job_clashes(struct ex *x, struct hpc_pnode *n, const Queue *g)
{
	Queue members, jobs;
	struct fact *f;
	int i;

	queue_init(&members);
	queue_init(&jobs);
	for (int m = 0; m < g->count; m++)
		FOR_FACTS(x, g->elements[m], i, f)
			if (hpc_ex_is_job_type(f->type) && !hpc_ex_queue_has(&jobs, f->from))
				queue_push(&jobs, f->from);
	for (int j = 0; j < jobs.count; j++) {
		const struct hpc_jobinfo *ji = hpc_jobtab_at(x->jt, jobs.elements[j]);
		enum hpc_conflict reason = HPC_CONFLICT_PINNED;
		char *text;

		queue_empty(&members);
		for (int m = 0; m < g->count; m++)
			FOR_FACTS(x, g->elements[m], i, f)
				if (hpc_ex_is_job_type(f->type) && f->from == jobs.elements[j])
					queue_push(&members, g->elements[m]);
		if (ji->kind == HPC_J_PIN || ji->kind == HPC_J_PYPIN)
			text = hpc_xasprintf("ruled out by pin %s (%s)", ji->spec,
					     ji->origin ? ji->origin : "pinned");
		else if (ji->kind == HPC_J_FREEZE)
			text = hpc_xstrdup("installed packages may not change "
					   "(--freeze-installed)");
		else
			continue;
		if (ji->kind != HPC_J_PIN && ji->kind != HPC_J_PYPIN)
			reason = HPC_CONFLICT_LOCKED;
		conflict_node(x, n, g, &members, reason, text)->with = hpc_xstrdup(ji->spec);
	}
	queue_free(&members);
	queue_free(&jobs);
}

static bool explained_elsewhere(int type)
{
	return hpc_ex_is_job_type(type) || type == SOLVER_RULE_PKG_REQUIRES ||
	       type == SOLVER_RULE_PKG_NOTHING_PROVIDES_DEP || type == SOLVER_RULE_PKG_SAME_NAME ||
	       type == SOLVER_RULE_PKG_CONSTRAINS || type == SOLVER_RULE_PKG_CONFLICTS ||
	       type == SOLVER_RULE_STRICT_REPO_PRIORITY || type == SOLVER_RULE_CHOICE;
}

/* Anything else libsolv says about the members, in its words. */
static void other_clashes(struct ex *x, struct hpc_pnode *n, const Queue *g)
{
	struct hpc_strv seen = HPC_STRV_INIT;
	Queue members;
	struct fact *f;
	int i;

	queue_init(&members);
	for (int m = 0; m < g->count; m++)
		FOR_FACTS(x, g->elements[m], i, f) {
			const char *t;

			if (explained_elsewhere(f->type) || f->from != g->elements[m])
				continue;
			t = solver_problemruleinfo2str(x->solv, (SolverRuleinfo)f->type, f->from,
						       f->to, f->dep);
			if (hpc_strv_contains(&seen, t))
				continue;
			hpc_strv_push(&seen, t);
			queue_empty(&members);
			queue_push(&members, g->elements[m]);
			conflict_node(x, n, g, &members, HPC_CONFLICT_OTHER, hpc_xstrdup(t));
		}
	hpc_strv_fini(&seen);
	queue_free(&members);
}

void hpc_ex_clashes(struct ex *x, struct hpc_pnode *n, const Queue *g)
{
	same_name(x, n, g);
	constrains(x, n, g, true);
	constrains(x, n, g, false);
	strict(x, n, g);
	job_clashes(x, n, g);
	other_clashes(x, n, g);
}
