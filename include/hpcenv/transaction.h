/* SPDX-License-Identifier: MIT */
/* transaction.h - change an environment all-or-nothing: the API create/install/update/remove use
 *
 *   struct hpc_txn *t;
 *   hpc_txn_open(&opt, ev, &t, err);           lock the prefix, finish any killed transaction,
 *                                               read conda-meta
 *   hpc_txn_unlink(t, "numpy", err);           what goes (installed packages, by name)
 *   hpc_txn_link(t, &record, NULL, "numpy>=2"); what comes (records from the solver or an
 *                                               @EXPLICIT list; a local archive path or NULL)
 *   hpc_txn_prepare(t, ev, err);               download (opt.fetch hook), extract into the
 *                                               cache in parallel, read every package, check
 *                                               everything that can be checked: nothing in
 *                                               the prefix has changed yet
 *   ... show hpc_txn_plan(t) and ask ...
 *   hpc_txn_commit(t, ev, err);                apply, or roll back
 *   hpc_txn_free(t);
 *
 * Commit follows conda's order: pre-unlink scripts, unlink (files moved into the journal's
 * backup, never deleted before the end), pre-link scripts, link files (in parallel, one
 * package per job), noarch entry points, .pyc compilation, conda-meta records, emptied
 * directories removed, history appended, post-link scripts; then the journal commits.
 * Any error, or ev->cancelled (SIGINT), rolls everything back, so the prefix is exactly
 * as before (byte for byte; only what link scripts themselves create is not tracked).
 * A process killed mid-way leaves a journal that the next hpc_txn_open or
 * hpc_txn_recover rolls back (see journal.h).
 */
#ifndef HPCENV_TRANSACTION_H
#define HPCENV_TRANSACTION_H

#include <stdbool.h>

#include "cache.h"
#include "condameta.h"
#include "events.h"
#include "record.h"
#include "util.h"

struct hpc_error;
struct hpc_txn;

/* Called by hpc_txn_prepare before extraction for the items that are neither extracted
 * in the cache nor have a local archive: it must download them into the writable cache
 * and set item->archive (fetch.c provides it; NULL: such items fail as not found). */
typedef int hpc_txn_fetch_fn(void *ud, struct hpc_cache *cache, struct hpc_cache_item **items,
			     size_t n, const struct hpc_events *ev, struct hpc_error **err);

struct hpc_txn_options {
	const char *prefix;        /* the environment (created when missing) */
	struct hpc_cache *cache;   /* package cache (caller owns; stays locked shared) */
	const char *root_prefix;   /* ROOT_PREFIX for link scripts */
	bool create;               /* a new environment: fail if it already has packages */
	bool always_copy;          /* never hardlink to the cache */
	bool no_scripts;           /* cross-platform install (--platform): run nothing */
	int threads;               /* parallel linking; 0: one per CPU */
	double lock_timeout;       /* for the prefix lock */
	const char *cmd;           /* command line for conda-meta/history */
	hpc_txn_fetch_fn *fetch;
	void *fetch_ud;
};

/* Lock the prefix (its conda-meta directory, libmamba-style), recover an interrupted
 * transaction, and read the installed packages. Errors: HPC_E_EXISTS (opt.create and the
 * environment has packages), HPC_E_LOCK/TIMEOUT, conda-meta parse errors. */
int hpc_txn_open(const struct hpc_txn_options *opt, const struct hpc_events *ev,
		 struct hpc_txn **out, struct hpc_error **err);
/* Free; an uncommitted transaction changes nothing (a new empty prefix is removed). */
void hpc_txn_free(struct hpc_txn *t);

/* The packages installed when the transaction was opened (borrowed). */
const struct hpc_condameta *hpc_txn_installed(const struct hpc_txn *t);
/* Remove an installed package (HPC_E_NOTFOUND when it is not installed). */
int hpc_txn_unlink(struct hpc_txn *t, const char *name, struct hpc_error **err);
/* Install a package. archive: a local .conda/.tar.bz2 to use when it is not in the
 * cache (file:// and path channels), or NULL. requested_spec: what the user asked for
 * (conda-meta requested_spec, history), or NULL for a dependency. */
void hpc_txn_link(struct hpc_txn *t, const struct hpc_record *rec, const char *archive,
		  const char *requested_spec);
/* Specs for the history's "# update specs:" / "# remove specs:" lines. */
void hpc_txn_add_spec(struct hpc_txn *t, bool remove, const char *spec);

/* Fetch, extract, plan and check (see above). Warnings (clobbered paths, damaged
 * packages) go through ev. */
int hpc_txn_prepare(struct hpc_txn *t, const struct hpc_events *ev, struct hpc_error **err);

/* The plan, for showing it before commit: records unlinked and linked, in the order they
 * will be processed (after prepare, linked records are complete: depends, md5, size...). */
struct hpc_txn_plan {
	const struct hpc_record **unlink;
	size_t nunlink;
	const struct hpc_record **link;
	size_t nlink;
};
void hpc_txn_plan(const struct hpc_txn *t, struct hpc_txn_plan *plan);
void hpc_txn_plan_fini(struct hpc_txn_plan *plan);

/* Apply (see above). On failure the prefix is as it was and the error says why. */
int hpc_txn_commit(struct hpc_txn *t, const struct hpc_events *ev, struct hpc_error **err);

/* Finish a transaction a killed process left in prefix (rolling it back). Every command
 * that opens an environment calls this (hpc_txn_open does). 0 when there was nothing. */
int hpc_txn_recover(const char *prefix, double lock_timeout, const struct hpc_events *ev,
		    struct hpc_error **err);

#endif
