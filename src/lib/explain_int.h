/* SPDX-License-Identifier: MIT */
/* explain_int.h - what explain.c (facts, groups, dependencies, roots) and explain_clash.c
 * (why a group's packages are ruled out) share */
#ifndef HPCENV_EXPLAIN_INT_H
#define HPCENV_EXPLAIN_INT_H

#include <solv/solver.h>

#include "hpcenv/problems.h"
#include "solver_int.h"

#define NODE_BUDGET 400

/* One thing libsolv says about a problem rule (solver_allruleinfos). */
struct fact {
	int type;         /* SolverRuleinfo */
	Id from, to, dep; /* job facts: from = job index, to = a rule literal (or 0) */
};

/* One problem being explained. */
struct ex {
	Solver *solv;
	Pool *pool;
	const struct hpc_jobtab *jt;
	struct fact *f;
	int nf, cap;
	Queue idx;                /* pairs (solvable, fact), sorted: each fact under its ends */
	struct hpc_strv seen;     /* keys of the groups expanded in this problem */
	struct hpc_strv channels; /* channel URLs searched */
	int nodes;
	bool truncated;
};

bool hpc_ex_is_job_type(int type);
/* The facts about solvable p: x->idx entries from the return value to *end. */
int hpc_ex_facts_of(const struct ex *x, Id p, int *end);
#define FOR_FACTS(x, p, i, fp)                                                            \
	for (int _e, _k = hpc_ex_facts_of((x), (p), &_e);                                 \
	     _k < _e && ((i) = (x)->idx.elements[2 * _k + 1], (fp) = &(x)->f[(i)], 1); _k++)

int hpc_ex_cmp_pair(const void *a, const void *b);
void hpc_ex_sort_pairs(Queue *q);
/* Sort by name, then version; drop duplicates. */
void hpc_ex_sort_unique(Pool *pool, Queue *q);
bool hpc_ex_queue_has(const Queue *q, Id p);
/* A package's channel URL (caller frees), or NULL for an installed one without a URL. */
char *hpc_ex_channel_of(Pool *pool, Id p);
/* "python 3.9.1 hffdb5ce_0_cpython", in the pool's temporary space. */
const char *hpc_ex_solvable_text(Pool *pool, Id p);
/* "python 3.10.0 - 3.10.14 (18 builds)" of a sorted group (caller frees). */
char *hpc_ex_group_text(Pool *pool, const Queue *g);
/* Mark n as applying to sub (sorted here) of the group all, when not all of it. */
void hpc_ex_set_needed_by(Pool *pool, struct hpc_pnode *n, Queue *sub, const Queue *all);
struct hpc_pnode *hpc_ex_add_node(struct ex *x, struct hpc_pnode *parent,
				  enum hpc_pnode_kind kind);
void hpc_ex_job_candidates(const struct ex *x, Id jidx, Queue *out);
bool hpc_ex_is_request(enum hpc_jkind k);

/* explain_clash.c: the conflict nodes of a group (same name, constraints, strict channel
 * priority, pins and freezes, anything else libsolv reports). */
void hpc_ex_clashes(struct ex *x, struct hpc_pnode *n, const Queue *g);

#endif
