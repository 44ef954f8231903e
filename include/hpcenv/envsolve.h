/* SPDX-License-Identifier: MIT */
/* envsolve.h - what create, install, update and remove change, worked out by the solver
 *
 * One call does everything a changing command needs before its transaction:
 *  - the channels: the command's -c channels, then an environment file's ("nodefaults"
 *    drops the configured ones), then the configured ones unless overridden, then the
 *    channels specs name ("conda-forge::numpy"), last, as conda adds them;
 *  - the pool (hpc_pool_open: channels, the environment unless creating, virtual packages
 *    of the target platform);
 *  - the request: the command's specs (install, update or remove jobs), an environment
 *    file's specs (a pip: section is refused, never dropped), and, for an existing
 *    environment, the specs the user asked for before (conda-meta/history, as conda reads
 *    them) as packages to keep, the pins of pinned_packages and conda-meta/pinned, and the
 *    solver settings of the configuration (channel_priority, solver_timeout,
 *    add_pip_as_python_dependency);
 *  - the solve, and the records to unlink and to link, in the order to process them, each
 *    linked record with the spec it was asked for by (conda-meta requested_spec).
 */
#ifndef HPCENV_ENVSOLVE_H
#define HPCENV_ENVSOLVE_H

#include <stdbool.h>
#include <stddef.h>

#include "channel.h"
#include "config.h"
#include "envfile.h"
#include "events.h"
#include "record.h"
#include "util.h"
#include "virtual.h"

struct hpc_error;
struct hpc_problems;

enum hpc_envsolve_kind {
	HPC_ENVSOLVE_CREATE,  /* a new environment: specs are installed */
	HPC_ENVSOLVE_INSTALL, /* into an existing one */
	HPC_ENVSOLVE_UPDATE,  /* update the named installed packages (or all) */
	HPC_ENVSOLVE_REMOVE,  /* remove them and what depends on them */
};

struct hpc_envsolve_options {
	enum hpc_envsolve_kind kind;
	const char *prefix;               /* the environment (read unless CREATE) */
	const char *platform;             /* NULL: configuration's subdir, else this machine */
	const struct hpc_strv *channels;  /* -c, highest priority first, or NULL */
	bool override_channels;           /* only the -c (and file) channels */
	const struct hpc_strv *specs;     /* the command's specs, or NULL */
	const struct hpc_envfile *file;   /* specs and channels of --file, or NULL */
	bool update_all;                  /* UPDATE: every installed package */
	bool no_deps;                     /* link only what was asked for */
	unsigned pool_flags;              /* HPC_POOL_* */
	const struct hpc_virtual_host *host; /* NULL: this machine (hpc_virtual_probe) */
	char **envp;                      /* CONDA_OVERRIDE_*; NULL: environ */
};

struct hpc_envsolve {
	struct hpc_record *link;          /* to link, dependencies first */
	size_t nlink;
	char **link_spec;                 /* per link record: the spec that asked for it, or
					   * NULL for a dependency */
	struct hpc_record *unlink;        /* to unlink, dependents first */
	size_t nunlink;
	struct hpc_strv specs;            /* the specs of this command (file's included), as
					   * the history's "# update specs" / "# remove specs" */
	struct hpc_problems *problems;    /* when the solve failed with HPC_E_SOLVE */
};

/* Solve (see above) into *out (initialised first; free with hpc_envsolve_fini, also after
 * a failure). Errors: HPC_E_SPEC quoting a bad spec and where it came from, HPC_E_NOTFOUND
 * for an update/remove spec no installed package matches (naming the installed one of that
 * name, if any), HPC_E_USAGE for an unknown platform, HPC_E_CHANNEL, HPC_E_FETCH, HPC_E_SOLVE (out->problems says why),
 * HPC_E_TIMEOUT, HPC_E_UNSUPPORTED for a pip: section. */
int hpc_envsolve_run(const struct hpc_config *cfg, const struct hpc_envsolve_options *o,
		     const struct hpc_events *ev, struct hpc_envsolve *out, struct hpc_error **err);
void hpc_envsolve_fini(struct hpc_envsolve *es);

#endif
