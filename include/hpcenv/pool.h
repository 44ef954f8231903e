/* SPDX-License-Identifier: MIT */
/* pool.h - the package universe the solver works on: channels' repodata + an environment
 *
 * An hpc_pool owns a libsolv Pool (DISTTYPE_CONDA) with one Repo per channel subdir and,
 * optionally, the "installed" repo of an existing environment. Loading the channels
 * fetches every subdir's repodata in parallel (one curl multi), through the cache in
 * <pkgs_dir>/cache (conditional requests, .zst preferred, Cache-Control honoured,
 * offline = cache only) and loads each from its .solv index when that is current, else
 * parses the JSON and writes the index for next time.
 *
 * Conventions the solver can rely on:
 *  - each channel Repo's name is its subdir URL without credentials or trailing '/',
 *    e.g. "https://conda.anaconda.org/conda-forge/linux-64", "file:///srv/chan/noarch";
 *    the environment's is "installed" and it is the pool's installed repo;
 *  - solvables carry what libsolv's repo_add_conda sets, plus the keys in repodata.h;
 *  - channel priority is on the repos: with strict or flexible, repo->priority is
 *    (number of channels - channel index), so the first channel has the highest, and
 *    subpriority 0; with disabled, every priority is 0. For strict, the solver sets
 *    SOLVER_FLAG_STRICT_REPO_PRIORITY (hpc_pool_priority tells which);
 *  - with add_pip_as_python_dependency (default true, as conda), python 2.x/3.x solvables
 *    of channel repos require "pip" and their records list it, as conda adds it when it
 *    reads repodata (hpc_pool_add_pip_dependency, once all channels are loaded, and only
 *    when some channel has a pip); the .solv index does not hold it. This is the only
 *    place it is applied: the solver adds nothing;
 *  - whatprovides is not created by hpc_pool_load_*: call pool_createwhatprovides() once
 *    all repos (virtual packages too) are in; hpc_pool_open does, after adding them.
 */
#ifndef HPCENV_POOL_H
#define HPCENV_POOL_H

#include <stdbool.h>
#include <stddef.h>

#include "channel.h"
#include "config.h"
#include "events.h"
#include "matchspec.h"
#include "record.h"
#include "virtual.h"

struct hpc_error;
struct s_Pool;
struct s_Repo;

enum hpc_subdir_source {
	HPC_SOURCE_NETWORK,      /* downloaded now (HTTP 200) */
	HPC_SOURCE_NOT_MODIFIED, /* the server said 304: the cache is current */
	HPC_SOURCE_CACHE,        /* the cache was fresh (Cache-Control / local_repodata_ttl)
				  * or we are offline: no request made */
	HPC_SOURCE_LOCAL,        /* a file:// channel, read in place */
	HPC_SOURCE_MISSING,      /* no repodata.json there (404): skipped */
};

/* One loaded channel subdir. */
struct hpc_pool_subdir {
	const struct hpc_channel *channel; /* in hpc_pool_channels() */
	size_t channel_index;              /* 0 = highest priority */
	char *subdir;                      /* "linux-64", "noarch", ... */
	char *url;                         /* subdir URL without credentials (= repo name) */
	enum hpc_subdir_source source;
	bool from_index;                   /* loaded from the .solv index, no JSON parsing */
	bool zst;                          /* the download was repodata.json.zst */
	char *json_path;                   /* the repodata.json the records are in */
	char *index_path;                  /* its .solv index, or NULL */
	size_t records;
	double seconds;                    /* from planning to loaded, download included */
	struct s_Repo *repo;               /* NULL when missing */
};

enum {
	HPC_POOL_REFRESH = 1 << 0,  /* revalidate caches even when they are fresh */
	HPC_POOL_NO_INDEX = 1 << 1, /* neither read nor write .solv index files */
};

struct hpc_pool;

/* A new, empty pool for a platform subdir (NULL: hpc_channel_platform(cfg)). cfg and ev
 * (may be NULL) must outlive the pool. */
struct hpc_pool *hpc_pool_new(const struct hpc_config *cfg, const char *platform,
			      const struct hpc_events *ev);
void hpc_pool_free(struct hpc_pool *p);

/* How depends/constrains strings become libsolv dependencies (default: libsolv's
 * pool_conda_matchspec); see hpc_repodata_opts.matchspec. Set it before loading. The
 * hook is part of what a .solv index holds: change `version` whenever its output
 * changes, so old indexes are rebuilt. */
void hpc_pool_set_matchspec(struct hpc_pool *p,
			    int (*fn)(void *ud, struct s_Pool *pool, const char *spec), void *ud,
			    const char *version);

/* Make every MatchSpec work in this pool (select.h): attaches hpc_select with resolver
 * (copied; NULL: the built-in channel rule of matchspec.h) for the pool's lifetime, and
 * sets the matchspec hook so that depends/constrains strings libsolv's conda parser
 * misreads ("channel::name", "name[key=value]") become spec dependencies; the others stay
 * libsolv's. Call before loading anything. hpc_pool_open does this. */
void hpc_pool_use_matchspecs(struct hpc_pool *p, const struct hpc_channel_resolver *resolver);

/* Fetch and load every subdir of the channels (their platform subdir + noarch), in
 * channel order. A channel whose subdirs are all missing is an HPC_E_CHANNEL error naming
 * the URLs; a download failure names the URL and why. flags: HPC_POOL_*. May be called
 * once per pool. */
int hpc_pool_load_channels(struct hpc_pool *p, const struct hpc_channel_list *channels,
			   unsigned flags, struct hpc_error **err);

/* conda's add_pip_as_python_dependency on a libsolv pool: every python 2.x/3.x solvable
 * not installed requires "pip", when the pool has a solvable named pip at all (libmamba's
 * rule: else python would be uninstallable). hpc_pool_load_channels calls it when the
 * configuration says so; pools built by hand (tests) call it themselves. */
void hpc_pool_add_pip_dependency(struct s_Pool *pool);

/* Load an environment's conda-meta records (*.json) as the installed repo. */
int hpc_pool_load_prefix(struct hpc_pool *p, const char *prefix, struct hpc_error **err);

/* Add virtual packages (virtual.h) as the repo "@", with a priority above every channel
 * (after hpc_pool_load_channels; 0 with channel priority disabled). Their records are
 * hpc_vpkg_record's. Once per pool. */
int hpc_pool_add_virtual(struct hpc_pool *p, const struct hpc_vpkgs *vp, struct hpc_error **err);
/* True for a solvable of the virtual packages repo. */
bool hpc_pool_is_virtual(const struct hpc_pool *p, int solvable);

/* The libsolv pool (borrowed; add repos, create whatprovides, solve). */
struct s_Pool *hpc_pool_libsolv(struct hpc_pool *p);
const char *hpc_pool_platform(const struct hpc_pool *p);
enum hpc_channel_priority hpc_pool_priority(const struct hpc_pool *p);
const struct hpc_channel_list *hpc_pool_channels(const struct hpc_pool *p);

size_t hpc_pool_nsubdirs(const struct hpc_pool *p);
const struct hpc_pool_subdir *hpc_pool_subdir_at(const struct hpc_pool *p, size_t i);
/* The subdir a repo was loaded from, or NULL (installed or a repo added by others). */
const struct hpc_pool_subdir *hpc_pool_subdir_of(const struct hpc_pool *p,
						 const struct s_Repo *repo);

/* The full record of a solvable from a channel, the installed environment or the virtual
 * packages: what an
 * installer needs (url, md5, sha256, size, noarch, subdir, fn, channel, depends,
 * constrains, license, timestamp, python_site_packages_path, other keys). */
int hpc_pool_record(const struct hpc_pool *p, int solvable, struct hpc_record *out,
		    struct hpc_error **err);
/* The URL to download a solvable's package from, with the channel's credentials when the
 * package is on the channel's own server. Caller frees; never print or log it (use the
 * record's url). NULL for solvables without a channel. */
char *hpc_pool_fetch_url(const struct hpc_pool *p, int solvable);

const char *hpc_subdir_source_name(enum hpc_subdir_source s);

/* ---- pool_open.c: the pool every command uses ---- */

struct hpc_pool_open_opts {
	const char *platform;       /* target subdir; NULL: configuration's `subdir`, else
				     * this machine's. Not a known subdir: HPC_E_USAGE */
	const struct hpc_channel_list *channels; /* NULL or empty: no channels */
	unsigned flags;             /* HPC_POOL_* for loading the channels */
	const char *prefix;         /* an environment to load as installed, or NULL */
	bool no_virtual;            /* leave the virtual packages out */
	const struct hpc_virtual_host *host; /* the machine; NULL: hpc_virtual_probe */
	char **envp;                /* CONDA_OVERRIDE_* are read here; NULL: environ */
};

/* A pool ready to query and solve, the same for every command (and so the same .solv
 * indexes): MatchSpec dependencies with channel names resolved per cfg
 * (hpc_pool_use_matchspecs + hpc_channel_resolver_from_config), the channels loaded,
 * the environment, the virtual packages for the platform (computed first: a bad
 * CONDA_OVERRIDE_* fails before any download), and whatprovides created. opts may be
 * NULL (an empty pool). cfg and ev must outlive the pool. */
int hpc_pool_open(const struct hpc_config *cfg, const struct hpc_pool_open_opts *opts,
		  const struct hpc_events *ev, struct hpc_pool **out, struct hpc_error **err);

#endif
