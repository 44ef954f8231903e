/* SPDX-License-Identifier: MIT */
/* solver_int.h - what solver.c, solution.c and explain.c share: the libsolv job queue with
 * what each job stands for, so a problem rule can name the spec, pin or lock behind it */
#ifndef HPCENV_SOLVER_INT_H
#define HPCENV_SOLVER_INT_H

#include <solv/solver.h>

#include "hpcenv/solver.h"

enum hpc_jkind {
	HPC_J_INSTALL,    /* a requested spec */
	HPC_J_REINSTALL,  /* a requested spec, forced to reinstall */
	HPC_J_UPDATE,     /* update of a requested spec's installed package */
	HPC_J_REMOVE,
	HPC_J_KEEP,
	HPC_J_PIN,        /* a pin: erase of the solvables of the name that do not match */
	HPC_J_PYPIN,      /* the installed python's minor version, as a pin */
	HPC_J_FREEZE,     /* lock of the installed packages */
	HPC_J_UPDATE_ALL,
};

/* One libsolv job (two Ids in the queue) and its meaning. */
struct hpc_jobinfo {
	enum hpc_jkind kind;
	const struct hpc_job *job; /* the request's job, or NULL */
	char *spec;                /* spec text for messages (owned) */
	char *origin;              /* where it came from, or NULL (owned) */
};

struct hpc_jobtab {
	Queue q;                   /* libsolv jobs: how, what, how, what ... */
	struct hpc_jobinfo *info;  /* info[i] describes q.elements[2i], [2i+1] */
	size_t n, cap;
};

void hpc_jobtab_init(struct hpc_jobtab *jt);
void hpc_jobtab_fini(struct hpc_jobtab *jt);
/* The job at libsolv job index jidx (an index into q.elements), or NULL. */
const struct hpc_jobinfo *hpc_jobtab_at(const struct hpc_jobtab *jt, Id jidx);

/* explain.c: the problems of a failed solve, as a tree (problems.h). */
struct hpc_problems *hpc_explain(Solver *solv, const struct hpc_jobtab *jt);

/* solution.c: the solution from libsolv's decision queue (positive: installed afterwards,
 * negative: not). */
struct hpc_solution *hpc_solution_build(Pool *pool, const struct hpc_request *rq,
					const Queue *decisions);

/* A solvable's subdir is noarch (repodata "subdir", else its repo's URL). */
bool hpc_solvable_is_noarch(Pool *pool, Id p);
/* Virtual packages ("__glibc") are the system's, never linked. */
bool hpc_solvable_is_virtual(Pool *pool, Id p);

#endif
