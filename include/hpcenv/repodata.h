/* SPDX-License-Identifier: MIT */
/* repodata.h - repodata.json (CEP-36) into a libsolv repo, .solv index files, and back
 *
 * The parser streams the file (yajl) and gives every record the same solvable data
 * libsolv's own repo_add_conda gives it (name, evr, provides name = evr, requires,
 * SOLVABLE_CONSTRAINS, SOLVABLE_BUILDFLAVOR = build string, SOLVABLE_BUILDVERSION = build
 * number, SOLVABLE_BUILDTIME in seconds, SOLVABLE_LICENSE, SOLVABLE_TRACK_FEATURES,
 * SOLVABLE_PKGID = md5, SOLVABLE_CHECKSUM = sha256, SOLVABLE_DOWNLOADSIZE, location =
 * subdir/fn), so libsolv's conda code and other users see no difference. It adds the keys
 * below (interned by name, so they survive .solv files), and it keeps where each record's
 * JSON object is in the file, so hpc_repodata_record() returns the record exactly as the
 * channel published it, with every key.
 */
#ifndef HPCENV_REPODATA_H
#define HPCENV_REPODATA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "record.h"

struct hpc_error;
struct hpc_vpkgs;
struct s_Pool;
struct s_Repo;

/* Per solvable. */
#define HPC_KEY_NOARCH "hpcenv:noarch"           /* id: "python" or "generic" */
#define HPC_KEY_JSON_OFFSET "hpcenv:json_offset" /* num: the record's '{' in repodata.json */
#define HPC_KEY_JSON_LENGTH "hpcenv:json_length" /* num: bytes up to and including '}' */
#define HPC_KEY_UNPARSED_DEPENDS "hpcenv:unparsed_depends"     /* id array: depends the */
#define HPC_KEY_UNPARSED_CONSTRAINS "hpcenv:unparsed_constrains" /* matchspec hook refused */
/* Per repo (SOLVID_META). */
#define HPC_KEY_CHANNEL "hpcenv:channel"   /* str: channel URL without credentials */
#define HPC_KEY_SUBDIR "hpcenv:subdir"     /* str: linux-64, noarch, ... */
#define HPC_KEY_PKG_BASE "hpcenv:pkg_base" /* str: URL packages are under, ending in '/'
					    * (the subdir URL, or CEP-15's base_url) */

struct hpc_repodata_opts {
	const char *channel;   /* channel URL without credentials (the records' "channel") */
	const char *subdir;    /* the subdir this file is for */
	const char *subdir_url; /* "<channel>/<subdir>" without credentials */
	bool use_only_tar_bz2; /* ignore packages.conda */
	/* Turns a depends/constrains string into a libsolv dependency Id; NULL means
	 * libsolv's pool_conda_matchspec. A 0 result keeps the string under
	 * HPC_KEY_UNPARSED_* so a later pass can handle it. */
	int (*matchspec)(void *ud, struct s_Pool *pool, const char *spec);
	void *matchspec_ud;
};

struct hpc_repodata_stats {
	size_t records;       /* solvables added */
	size_t tar_bz2_hidden; /* .tar.bz2 records dropped for a .conda of the same name */
	size_t removed;       /* records dropped because "removed" lists them */
	size_t invalid;       /* records without name or version, dropped */
	size_t unparsed;      /* dependency strings the matchspec hook refused */
	char *info_subdir;    /* info.subdir / metadata.subdir, or NULL (caller frees) */
	char *base_url;       /* info.base_url / metadata.base_url, or NULL (caller frees) */
	long repodata_version;
};

/* Parse a repodata.json file into repo (which should be empty: the solvables are
 * appended). An empty file counts as {}. Fails with HPC_E_PARSE naming path:line:column
 * for invalid or truncated JSON, and leaves repo without the partial records. */
int hpc_repodata_parse(struct s_Repo *repo, const char *path,
		       const struct hpc_repodata_opts *opts, struct hpc_repodata_stats *stats,
		       struct hpc_error **err);
void hpc_repodata_stats_fini(struct hpc_repodata_stats *st);

/* Add one record (e.g. from conda-meta or a lock file) as a solvable with the same data
 * a parsed one gets (without the JSON position). opts->matchspec is used as in parsing.
 * Returns the solvable id; call repo_internalize() after the last one. */
int hpc_repodata_add_record(struct s_Repo *repo, const struct hpc_record *r,
			    const struct hpc_repodata_opts *opts);

/* The virtual packages as a new repo "@" of pool (the channel conda shows them in),
 * internalized, built as hpc_repodata_add_record builds a record with opts. records, if
 * not NULL, has room for vp->n and receives them in solvable order (repo->start + i);
 * the caller sets the repo's priority and makes whatprovides. */
struct s_Repo *hpc_repodata_add_vpkgs(struct s_Pool *pool, const struct hpc_vpkgs *vp,
				      const struct hpc_repodata_opts *opts,
				      struct hpc_record *records);

/* Write repo as a .solv index file at path (temporary file + rename), with `key` in its
 * header. Read it back into an empty repo only if its header holds exactly `key`:
 * otherwise -HPC_E_NOTFOUND (missing, stale, unreadable or corrupt: rebuild it). */
int hpc_repodata_write_solv(struct s_Repo *repo, const char *path, const char *key,
			    struct hpc_error **err);
int hpc_repodata_read_solv(struct s_Repo *repo, const char *path, const char *key,
			   struct hpc_error **err);

/* The full record of one solvable of a repo made by hpc_repodata_parse (directly or from
 * a .solv file): read back from json_path (the repodata.json it was parsed from) when it
 * is still the same file, else rebuilt from the solvable's data (depends in libsolv's
 * spelling, no extra keys). channel, subdir, fn and url are filled in. */
int hpc_repodata_record(struct s_Repo *repo, int solvable, const char *json_path,
			struct hpc_record *out, struct hpc_error **err);

#endif
