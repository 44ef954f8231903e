/* SPDX-License-Identifier: MIT */
/* select.h - MatchSpecs inside a libsolv pool: selecting solvables, and dependencies that
 * mean exactly a spec (channel::, subdir, [key=value] included)
 *
 * libsolv's own conda parser (pool_conda_matchspec) ignores channels and brackets. Here a
 * spec becomes either a set of solvables (for jobs: hpc_select_job) or a dependency Id
 * REL_NAMESPACE(name, "canonical spec text") that a namespace callback resolves with
 * hpc_matchspec_select (for requires and constrains). The package name stays the
 * relation's name, so libsolv's conda constrains rules (which look up providers of the
 * name) work on these dependencies too.
 *
 * Pool conventions: pool_setdisttype(pool, DISTTYPE_CONDA); each Repo's name is its subdir
 * URL without trailing '/' (https://conda.anaconda.org/conda-forge/linux-64); solvables
 * carry what repo_add_conda stores (SOLVABLE_BUILDFLAVOR = build string,
 * SOLVABLE_BUILDVERSION = build number, SOLVABLE_PKGID = md5, SOLVABLE_CHECKSUM = sha256,
 * SOLVABLE_LICENSE, SOLVABLE_TRACK_FEATURES, SOLVABLE_MEDIADIR = subdir,
 * SOLVABLE_MEDIAFILE = file name). A solvable's package URL is SOLVABLE_URL when set (an
 * installed repo may set it per package), else repo name + "/" + file name; its channel is
 * that URL without the file name and subdir; its subdir is SOLVABLE_MEDIADIR, else the
 * URL's. "features" and "license_family" are not in a pool: specs on them select nothing.
 */
#ifndef HPCENV_SELECT_H
#define HPCENV_SELECT_H

#include <solv/pool.h>
#include <solv/queue.h>

#include "matchspec.h"

struct hpc_error;
struct hpc_select;

/* Make MatchSpec dependencies work in pool: installs pool->nscallback (any callback
 * already there still answers namespaces that are not specs). resolver may be NULL (the
 * built-in channel rule of matchspec.h); it is copied. Detach before pool_free. */
struct hpc_select *hpc_select_attach(Pool *pool, const struct hpc_channel_resolver *resolver);
void hpc_select_detach(struct hpc_select *sel);
/* True when pool has hpc_select attached (the solver needs it). */
bool hpc_select_attached(Pool *pool);

/* Append to out the solvables of pool (installed ones included) that match every part of
 * ms, in increasing id order. Creates the whatprovides index if the pool has none. Uses the
 * attached resolver and version cache when the pool has hpc_select attached. */
void hpc_matchspec_select(Pool *pool, const struct hpc_matchspec *ms, Queue *out);

/* A dependency Id that means exactly ms: the bare name Id for a name-only spec, else
 * REL_NAMESPACE(name, canonical text). Requires hpc_select_attach on pool; returns 0
 * otherwise. */
Id hpc_matchspec_to_dep(Pool *pool, const struct hpc_matchspec *ms);

/* Parse a spec text (a repodata "depends" or "constrains" item) into *out. HPC_E_SPEC on a
 * bad spec; HPC_E_BUG when sel is not attached to pool. */
int hpc_select_dep(Pool *pool, const char *spec, Id *out, struct hpc_error **err);

/* Push a job for ms: SOLVER_SOLVABLE_ONE_OF over its selection, OR-ed with how (e.g.
 * SOLVER_INSTALL). When nothing matches, the job asks for the canonical spec text as a
 * name nothing provides, so the solve fails with "nothing provides requested SPEC". Use
 * this for requested specs: libsolv silently drops an empty one-of install, and treats a
 * namespace dependency that nothing provides as fulfilled in a SOLVER_SOLVABLE_PROVIDES
 * job (its "namespace supplements" rule). */
void hpc_select_job(Pool *pool, const struct hpc_matchspec *ms, int how, Queue *job);

/* The spec text behind a dependency (for messages): the canonical text for dependencies
 * made here, pool_dep2str for any other. Borrowed from the pool's temporary space. */
const char *hpc_select_dep_str(Pool *pool, Id dep);

#endif
