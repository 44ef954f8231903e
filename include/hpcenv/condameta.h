/* SPDX-License-Identifier: MIT */
/* condameta.h - an environment's conda-meta/: installed records, history, pinned, state
 *
 * conda-meta/<dist>.json is conda's PrefixRecord: the package's repodata record plus
 * what linking did (files, paths_data, link {source, type}, requested_spec,
 * extracted_package_dir, package_tarball_full_path). As conda does, "channel" there
 * includes the subdir (https://conda.anaconda.org/conda-forge/linux-64); struct
 * hpc_record keeps it without. conda-meta/history is the revision log conda writes
 * ("==> DATE <==", "# cmd: ...", "+channel/subdir::dist", "-...", "# update specs: [...]").
 */
#ifndef HPCENV_CONDAMETA_H
#define HPCENV_CONDAMETA_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "digest.h"
#include "events.h"
#include "pkginfo.h"
#include "record.h"
#include "util.h"

struct hpc_error;

/* conda's LinkType values, as written in "link": {"type": N}. */
enum hpc_link_type {
	HPC_LINK_HARDLINK = 1,
	HPC_LINK_SOFTLINK = 2,
	HPC_LINK_COPY = 3,
};

/* One entry of paths_data, as installed. */
struct hpc_meta_path {
	char *path;                          /* relative to the prefix */
	enum hpc_path_type type;
	char sha256[HPC_SHA256_HEX];         /* of the package's file ("" unknown) */
	char sha256_in_prefix[HPC_SHA256_HEX]; /* after prefix replacement ("" same) */
	uint64_t size;
	bool has_size;
	char *placeholder;
	enum hpc_file_mode file_mode;
	bool no_link;
};

struct hpc_prefix_record {
	struct hpc_record rec;
	struct hpc_meta_path *paths;         /* paths_data; "files" is their paths */
	size_t npaths;
	char *requested_spec;                /* NULL: not asked for by the user */
	char *link_source;                   /* the extracted package directory */
	int link_type;                       /* enum hpc_link_type, 0 unknown */
	char *package_tarball_full_path;
	char *meta_file;                     /* conda-meta/<dist>.json it was read from */
};

void hpc_prefix_record_init(struct hpc_prefix_record *pr);
void hpc_prefix_record_fini(struct hpc_prefix_record *pr);
/* Append a path (copied). */
struct hpc_meta_path *hpc_prefix_record_add_path(struct hpc_prefix_record *pr, const char *path,
						 enum hpc_path_type type);
int hpc_prefix_record_from_json(struct hpc_prefix_record *pr, const char *json, size_t len,
				const char *where, struct hpc_error **err);
/* conda's layout: sorted keys, 2-space indent. Caller frees. */
char *hpc_prefix_record_to_json(const struct hpc_prefix_record *pr);
/* "conda-meta/<dist>.json". Caller frees. */
char *hpc_prefix_record_meta_path(const struct hpc_record *rec);

/* All of a prefix's records, sorted by name. */
struct hpc_condameta {
	struct hpc_prefix_record *recs;
	size_t n;
};

/* Read PREFIX/conda-meta/<dist>.json files (an env made by conda, micromamba or hpcenv).
 * A malformed one fails with its path, line and column. No conda-meta: empty. */
int hpc_condameta_load(const char *prefix, struct hpc_condameta *m, struct hpc_error **err);
void hpc_condameta_fini(struct hpc_condameta *m);
/* The dist names ("name-version-build") of the records, from the file names alone
 * (cheap: nothing is parsed), sorted. No conda-meta: none. */
int hpc_condameta_dists(const char *prefix, struct hpc_strv *out, struct hpc_error **err);
const struct hpc_prefix_record *hpc_condameta_find(const struct hpc_condameta *m,
						   const char *name);

/* An order of recs with dependencies before what depends on them (by the names in
 * depends; ties and cycles keep the given order): conda links in this order, unlinks in
 * the reverse one, and lists --explicit in it. order gets n indexes. */
void hpc_records_deps_order(const struct hpc_record *const *recs, size_t n, size_t *order);

/* conda's canonical channel name: "conda-forge" for https://conda.anaconda.org/conda-forge,
 * "pkgs/main" for https://repo.anaconda.com/pkgs/main, else the URL itself. Caller frees. */
char *hpc_channel_canonical(const char *channel_url);
/* conda's dist_str: "conda-forge/linux-64::zlib-1.3.1-h4ab18f5_1". Caller frees. */
char *hpc_record_dist_str(const struct hpc_record *rec);

struct hpc_history_change {
	time_t when;
	const char *cmd;                   /* the command line for "# cmd:" */
	const struct hpc_strv *removed;    /* dist_str of unlinked records */
	const struct hpc_strv *added;      /* dist_str of linked records */
	const struct hpc_strv *update_specs;
	const struct hpc_strv *remove_specs;
};

/* One revision in conda's format (removed and added are written sorted). Caller frees. */
char *hpc_history_format(const struct hpc_history_change *c);

struct hpc_history_revision {
	char *date;
	char *cmd;                         /* NULL when absent */
	struct hpc_strv added, removed, update_specs, remove_specs;
};

struct hpc_history {
	struct hpc_history_revision *revs;
	size_t n;
};

/* Parse PREFIX/conda-meta/history (missing: no revisions). */
int hpc_history_load(const char *prefix, struct hpc_history *h, struct hpc_error **err);
void hpc_history_fini(struct hpc_history *h);

/* conda-meta/pinned: one spec per line, '#' comments. Missing file: none. */
int hpc_condameta_pinned(const char *prefix, struct hpc_strv *out, struct hpc_error **err);
/* conda-meta/state "env_vars" as name,value pairs in out (conda env config vars). */
int hpc_condameta_env_vars(const char *prefix, struct hpc_strv *out, struct hpc_error **err);

#endif
