/* SPDX-License-Identifier: MIT */
/* repocache.h - the repodata cache in <pkgs_dir>/cache/, shared with conda and mamba
 *
 * One entry per subdir URL, named as conda names it (the first 8 hex digits of the md5
 * of "<subdir URL>/", with a "1" appended under use_only_tar_bz2):
 *   <name>.json        the subdir's repodata.json, decompressed
 *   <name>.info.json   its state (CEP-style, conda's RepodataState): url, etag, mod,
 *                      cache_control, size, mtime_ns, refresh_ns, has_zst {value,
 *                      last_checked}; unknown keys written by other tools are kept
 *   <name>.solv        hpcenv's libsolv index of the JSON
 * The state is trusted only while size and mtime_ns match the JSON file on disk.
 */
#ifndef HPCENV_REPOCACHE_H
#define HPCENV_REPOCACHE_H

#include <stdbool.h>
#include <stdint.h>

#include "config.h"

struct hpc_error;

/* After a 404 for repodata.json.zst, ask again only after this long (seconds). */
#define HPC_REPOCACHE_ZST_RECHECK (24 * 3600)

struct hpc_repocache_state {
	char *url;           /* what was downloaded (…/repodata.json or …/repodata.json.zst) */
	char *etag;          /* validators and Cache-Control of that response ("" if none) */
	char *mod;
	char *cache_control;
	uint64_t size;       /* of <name>.json when it was written */
	int64_t mtime_ns;
	int64_t refresh_ns;  /* when the content was last fetched or confirmed (304) */
	int has_zst;         /* -1 unknown, 0 no (at zst_checked), 1 yes */
	int64_t zst_checked; /* unix seconds */
	char *other_json;    /* keys of other tools (a JSON object text), or NULL */
	bool valid;          /* loaded and matching the JSON file on disk */
};

struct hpc_repocache_entry {
	char *name;  /* e.g. "09cdf8bf" */
	char *json;  /* <dir>/<name>.json */
	char *state; /* <dir>/<name>.info.json */
	char *solv;  /* <dir>/<name>.solv */
};

/* conda's cache name for a subdir URL (without credentials). Caller frees. */
char *hpc_repocache_name(const char *subdir_url, bool use_only_tar_bz2);

/* The cache directory: "cache" in the first pkgs_dirs entry where it can be created and
 * written. Caller frees. Fails with HPC_E_IO naming the directories tried. */
int hpc_repocache_dir(const struct hpc_config *cfg, char **out, struct hpc_error **err);

void hpc_repocache_entry_init(struct hpc_repocache_entry *e, const char *dir,
			      const char *subdir_url, bool use_only_tar_bz2);
void hpc_repocache_entry_fini(struct hpc_repocache_entry *e);

/* Read the entry's state. A missing or unreadable state file, or one that no longer
 * matches the JSON file (size, mtime_ns), gives a state with valid = false and empty
 * validators (so the next request is unconditional), never an error. */
void hpc_repocache_state_load(const struct hpc_repocache_entry *e,
			      struct hpc_repocache_state *st);
/* Record the JSON file's current size and mtime in st and write the state atomically. */
int hpc_repocache_state_save(const struct hpc_repocache_entry *e,
			     struct hpc_repocache_state *st, struct hpc_error **err);
void hpc_repocache_state_fini(struct hpc_repocache_state *st);

/* Max age per local_repodata_ttl (conda): >1 that many seconds, 1 Cache-Control's
 * max-age, 0 always revalidate. True when the cached content can be used without asking
 * the server. now_ns: CLOCK_REALTIME in nanoseconds. */
bool hpc_repocache_fresh(const struct hpc_repocache_state *st, long ttl, int64_t now_ns);
/* Whether to ask for repodata.json.zst: unknown, known to exist, or a 404 that is older
 * than HPC_REPOCACHE_ZST_RECHECK. */
bool hpc_repocache_try_zst(const struct hpc_repocache_state *st, int64_t now_s);

/* Decompress a .zst file into dest (temporary file + rename). what names the source in
 * errors (a URL). */
int hpc_repocache_unzstd(const char *src, const char *dest, const char *what,
			 struct hpc_error **err);

/* The .solv index key of a JSON file: its URL, size and mtime (which change whenever a
 * download replaces it, and not on a 304) and the tar.bz2-only flag. hpc_repodata adds
 * its own format and libsolv's version. Caller frees. */
char *hpc_repocache_solv_key(const char *url, const char *json_path, bool use_only_tar_bz2);

#endif
