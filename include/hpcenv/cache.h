/* SPDX-License-Identifier: MIT */
/* cache.h - the package cache: conda's pkgs_dirs layout, shared safely
 *
 * Layout (conda's): pkgs/<fn> archives, pkgs/<dist>/ extracted packages with
 * info/repodata_record.json written last (its presence marks a complete directory),
 * pkgs/urls.txt, pkgs/cache/ for repodata. Several pkgs_dirs: packages are looked up
 * in all of them in order (read-only ones too, e.g. a site cache), new ones go into
 * the first writable one.
 *
 * Sharing: the writable cache is locked like libmamba does (pkgs/pkgs.lock, byte 21):
 * shared while packages are only read, exclusive while they are added or removed. A
 * package is extracted into pkgs/.hpcenv-tmp/ and renamed into place, so a reader never
 * sees half a package, with or without the lock: where locks hang or fail (NFS without
 * lockd) hpcenv warns after lock_timeout and goes on lock-free. An existing package
 * directory that another process might still be writing (an invalid one, found while
 * lock-free) is never touched; a private copy is used instead and removed afterwards.
 * Files and directories of other users are never chmod'ed; a group-shared cache is a
 * setgid directory used with a group-writable umask (002).
 */
#ifndef HPCENV_CACHE_H
#define HPCENV_CACHE_H

#include <stdbool.h>
#include <stdint.h>

#include "events.h"
#include "record.h"
#include "util.h"

struct hpc_error;
struct hpc_cache;

struct hpc_cache_options {
	double lock_timeout;  /* seconds (config lock_timeout); < 0 waits forever */
	int extract_threads;  /* parallel extractions; 0: one per CPU */
	bool no_verify;       /* safety_checks: disabled: skip the sha256 of every file */
};

/* One package wanted from the cache. */
struct hpc_cache_item {
	struct hpc_record rec; /* in: the record (owned by the item); out: completed from
				* info/index.json and the archive (depends, md5, sha256...) */
	char *archive;         /* in: a local package file to read if the package is not
				* extracted yet (file:// and path channels), or NULL */
	char *dir;             /* out: the valid extracted package directory */
	bool extracted;        /* out: extracted by this call */
};

void hpc_cache_item_init(struct hpc_cache_item *it, const struct hpc_record *rec,
			 const char *archive);
void hpc_cache_item_fini(struct hpc_cache_item *it);

/* Open the caches named by dirs (config pkgs_dirs, in order). The first that is
 * writable (or can be created) receives new packages; a missing urls.txt is created
 * there. Never fails for read-only or missing caches: hpc_cache_writable() is then
 * NULL and only existing packages can be used. */
int hpc_cache_open(const struct hpc_strv *dirs, const struct hpc_cache_options *opt,
		   const struct hpc_events *ev, struct hpc_cache **out, struct hpc_error **err);
/* Unlock, remove private package copies, free. NULL-safe. */
void hpc_cache_free(struct hpc_cache *c);
/* The cache new packages go to (borrowed), or NULL. */
const char *hpc_cache_writable(const struct hpc_cache *c);
/* All caches, in lookup order (borrowed). */
const struct hpc_strv *hpc_cache_dirs(const struct hpc_cache *c);

/* Lock the writable cache, shared or exclusive (re-locking switches; an upgrade
 * releases the shared lock first). Falls back to lock-free with a warning. */
int hpc_cache_lock(struct hpc_cache *c, bool exclusive, const struct hpc_events *ev,
		   struct hpc_error **err);
void hpc_cache_unlock(struct hpc_cache *c);

/* A valid extracted directory for rec in any cache (its repodata_record.json matches
 * rec's sha256, else md5, else size and url), or NULL. Caller frees. */
char *hpc_cache_find(const struct hpc_cache *c, const struct hpc_record *rec);
/* Look up the items without a directory yet (hpc_cache_find), and complete the records of
 * those found from their repodata_record.json (one read each). Returns how many are still
 * missing. Lock the cache shared first, or a `clean` may take what was found. */
size_t hpc_cache_find_items(const struct hpc_cache *c, struct hpc_cache_item *items, size_t n);
/* A valid archive pkgs/<fn> for rec (size and sha256/md5 checked), or NULL. */
char *hpc_cache_find_archive(const struct hpc_cache *c, const struct hpc_record *rec);

/* Make every item available as an extracted directory: reuse valid ones, extract the
 * rest in parallel (from item->archive, else an archive in the caches) under the
 * exclusive lock. Leaves the cache locked shared (the caller links from it). Errors:
 * HPC_E_NOTFOUND (not cached and no archive), HPC_E_CHECKSUM (archive differs from its
 * record), extraction errors, HPC_E_INTERRUPTED. Progress per package through ev. */
int hpc_cache_prepare(struct hpc_cache *c, struct hpc_cache_item *items, size_t n,
		      const struct hpc_events *ev, struct hpc_error **err);

/* Record that url was stored as an archive in the writable cache (pkgs/urls.txt). */
int hpc_cache_add_url(struct hpc_cache *c, const char *url, struct hpc_error **err);

enum {
	HPC_CLEAN_TARBALLS = 1 << 0,  /* package archives (.conda, .tar.bz2) */
	HPC_CLEAN_PACKAGES = 1 << 1,  /* extracted packages no environment links to */
	HPC_CLEAN_INDEX = 1 << 2,     /* pkgs/cache/ (repodata) */
	HPC_CLEAN_TEMP = 1 << 3,      /* pkgs/.hpcenv-tmp/ leftovers */
};

struct hpc_clean_item {
	char *path;
	uint64_t bytes;
};

struct hpc_clean_report {
	struct hpc_clean_item *items; /* what was (or, dry run, would be) removed */
	size_t n;
	uint64_t bytes;
	size_t skipped;               /* not removable (another user's, read-only) */
};

/* Remove what `what` selects from the writable caches (read-only ones are left alone),
 * under the exclusive lock. An extracted package counts as used while any of its files
 * has other hard links (conda's rule). */
int hpc_cache_clean(struct hpc_cache *c, unsigned what, bool dry_run,
		    const struct hpc_events *ev, struct hpc_clean_report *rep,
		    struct hpc_error **err);
void hpc_clean_report_fini(struct hpc_clean_report *rep);

#endif
