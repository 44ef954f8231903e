/* SPDX-License-Identifier: MIT */
/* solver.h - what to install: a request (specs, pins, flags) solved against a libsolv pool
 * the way conda and micromamba solve it, with a time budget
 *
 * The pool is the caller's (the pool loader's): pool_setdisttype(pool, DISTTYPE_CONDA),
 * hpc_select attached (select.h), one Repo per channel subdir named by its URL, channel
 * priority in repo->priority (higher wins; all subdirs of a channel share it) and
 * repo->subpriority, the environment's packages in pool->installed, the system's virtual
 * packages in any repo (hpc_pool_add_virtual makes it), python's dependency on pip already
 * in place when add_pip_as_python_dependency is wanted (hpc_pool_add_pip_dependency: the
 * pool's business, not the solver's). A solve leaves the pool as it found it: what it
 * changes for the solve (neutral priorities for "disabled") is undone before it returns.
 *
 * Choices follow libsolv's conda policy (fewer track_features, then higher version,
 * build number, build string), then conda's own tie-breaks that libsolv lacks: among
 * interchangeable builds with the same name, version, build number and features, an arch
 * build beats a noarch one and a newer timestamp an older one (see solver.c).
 */
#ifndef HPCENV_SOLVER_H
#define HPCENV_SOLVER_H

#include <stdbool.h>
#include <stddef.h>

#include <solv/pool.h>
#include <solv/repo.h>
#include <solv/queue.h>

#include "channel.h" /* enum hpc_channel_priority */
#include "events.h"
#include "util.h"

struct hpc_config;
struct hpc_error;
struct hpc_matchspec;
struct hpc_problems;
struct hpc_record;
struct hpc_vpkgs;

enum hpc_job_kind {
	HPC_JOB_INSTALL, /* install a package matching the spec (update it when installed) */
	HPC_JOB_UPDATE,  /* update installed packages the spec names, within the spec */
	HPC_JOB_REMOVE,  /* remove installed matches and what depends on them */
	HPC_JOB_KEEP,    /* an installed package the user asked for (history): kept on prune */
	HPC_JOB_PIN,     /* whatever gets installed of this name must match the spec */
};

/* One spec of a request. origin says where it came from for messages ("command line",
 * "environment.yml:7", "pinned_packages", "conda-meta/pinned:2"). */
struct hpc_job {
	enum hpc_job_kind kind;
	char *spec;   /* as given */
	char *origin; /* or NULL */
	struct hpc_matchspec *ms;
};

struct hpc_request {
	struct hpc_job *jobs;
	size_t njobs, alloc;
	bool update_all;         /* update every installed package */
	enum hpc_channel_priority priority; /* default flexible (conda's default) */
	double timeout;          /* seconds; <= 0: no budget (solve in this process) */
	bool no_deps;            /* link only the requested packages, not their dependencies */
	bool only_deps;          /* link the dependencies of the requested packages only */
	bool force_reinstall;    /* reinstall requested packages that are already installed */
	bool freeze_installed;   /* never change installed packages */
	bool no_py_pin;          /* do not keep an installed python's minor version */
	bool prune;              /* remove: also remove dependencies nothing needs (default true) */
};

void hpc_request_init(struct hpc_request *rq);
void hpc_request_fini(struct hpc_request *rq);
/* Add a spec. HPC_E_SPEC (quoting the spec and origin) when it does not parse. */
int hpc_request_add(struct hpc_request *rq, enum hpc_job_kind kind, const char *spec,
		    const char *origin, struct hpc_error **err);
/* Settings from configuration: channel_priority, solver_timeout and each pinned_packages
 * spec (as HPC_JOB_PIN). (add_pip_as_python_dependency belongs to the pool.) */
int hpc_request_configure(struct hpc_request *rq, const struct hpc_config *cfg,
			  struct hpc_error **err);
/* The pins of prefix/conda-meta/pinned (one spec a line, '#' comments, blank lines), if
 * the file exists; errors name "FILE:LINE". */
int hpc_request_read_pinned(struct hpc_request *rq, const char *prefix,
			    struct hpc_error **err);
/* The install/update/remove specs joined by ", " for messages (caller frees). */
char *hpc_request_specs_str(const struct hpc_request *rq);

/* ---- the result ---- */

enum hpc_action {
	HPC_ACT_INSTALL,   /* to only */
	HPC_ACT_REMOVE,    /* from only */
	HPC_ACT_UPGRADE,   /* from -> to, higher version */
	HPC_ACT_DOWNGRADE, /* from -> to, lower version */
	HPC_ACT_CHANGE,    /* from -> to, same version, another build or channel */
	HPC_ACT_REINSTALL, /* from == to */
};

/* One package's change; from is an installed solvable, to one to link (0 when none). */
struct hpc_step {
	enum hpc_action action;
	Id from, to;
};

/* What to do, in conda's order: unlink everything in `unlink` first (dependents before
 * their dependencies), then link `link` (dependencies first; noarch: python packages after
 * python). Virtual packages never appear. */
struct hpc_solution {
	Pool *pool;              /* borrowed */
	Queue unlink;            /* installed solvables */
	Queue link;              /* solvables to link */
	struct hpc_step *steps;  /* one per package name, sorted by name */
	size_t nsteps;
	Queue omitted;           /* solved for but left out by no_deps / only_deps */
	int tiebreaks;           /* builds that conda's tie-breaks (arch over noarch, newer
				  * timestamp) chose over libsolv's pick */
};

void hpc_solution_free(struct hpc_solution *sol);
const char *hpc_action_name(enum hpc_action a);

/* How the caller turns a solvable into a record (the pool loader's hpc_pool_record). */
struct hpc_record_source {
	int (*record)(void *ud, Pool *pool, Id p, struct hpc_record *out,
		      struct hpc_error **err);
	void *ud;
};

/* The records of ids (e.g. &sol->link), in order, into a new array *out of *n records
 * (free each with hpc_record_fini, then the array). */
int hpc_solution_records(const struct hpc_solution *sol, const Queue *ids,
			 const struct hpc_record_source *src, struct hpc_record **out, size_t *n,
			 struct hpc_error **err);

/* ---- solving ---- */

/* Solve rq against pool. On success *out is the solution. When the request cannot be
 * satisfied, fails with HPC_E_SOLVE and, if problems is not NULL, *problems explains why
 * (problems.h). With rq->timeout > 0 the solve runs in a child process on the pool's
 * copy-on-write image; after the budget it is killed and the call fails with
 * HPC_E_TIMEOUT naming the specs. ev->cancelled is polled meanwhile (HPC_E_INTERRUPTED).
 * A pin or spec that no longer parses fails with HPC_E_SPEC, a pool without hpc_select
 * with HPC_E_BUG. */
int hpc_solver_solve(Pool *pool, const struct hpc_request *rq, const struct hpc_events *ev,
		     struct hpc_solution **out, struct hpc_problems **problems,
		     struct hpc_error **err);

#endif
