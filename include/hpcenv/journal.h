/* SPDX-License-Identifier: MIT */
/* journal.h - the undo log that makes a transaction all-or-nothing, even after kill -9
 *
 * Before a transaction changes anything in a prefix it writes what it is about to do to
 * PREFIX/.hpcenv-txn/journal, one line per step, with write(2) before the step itself:
 * a file it creates ("new"), a file it moves out of the way into .hpcenv-txn/backup/
 * ("move": unlinked or clobbered files are renamed, never deleted), a directory it
 * creates or removes, a file it appends to. Rolling back undoes the steps in reverse
 * and truncates the journal as it goes, so an interrupted rollback resumes where it
 * stopped. A "commit" line makes the new state final: only the backups are then left
 * to delete. A process killed at any point therefore leaves either the old state or,
 * after "commit", the new one, and hpc_journal_recover() restores it on the next run.
 *
 * Paths are relative to the prefix. The note functions are thread-safe (one write(2)
 * per line on an O_APPEND descriptor).
 */
#ifndef HPCENV_JOURNAL_H
#define HPCENV_JOURNAL_H

#include <stdbool.h>
#include <sys/types.h>

#include "events.h"

struct hpc_error;
struct hpc_journal;

#define HPC_JOURNAL_DIR ".hpcenv-txn"

/* Start a journal in prefix (which must exist). new_prefix: the transaction created the
 * prefix, so rolling back removes it. Fails HPC_E_EXISTS when an unfinished journal is
 * there (recover first). */
int hpc_journal_begin(const char *prefix, bool new_prefix, struct hpc_journal **out,
		      struct hpc_error **err);
/* Record that rel is about to be created (a file, symlink, or a directory that must be
 * removed on rollback even if not empty: use note_mkdir for plain directories). */
int hpc_journal_note_new(struct hpc_journal *j, const char *rel, struct hpc_error **err);
int hpc_journal_note_mkdir(struct hpc_journal *j, const char *rel, struct hpc_error **err);
/* note_new (dirs: note_mkdir) for n paths in one write(2): what a package creates in a
 * prefix where nothing predates the transaction. */
int hpc_journal_note_all(struct hpc_journal *j, bool dirs, const char *const *rels, size_t n,
			 struct hpc_error **err);
/* The latest note_new of rel created nothing: rel was already there (and is moved aside
 * next with hpc_journal_backup, then noted new again). Rolling back then restores it and
 * does not delete it. */
int hpc_journal_note_not_new(struct hpc_journal *j, const char *rel, struct hpc_error **err);
int hpc_journal_note_rmdir(struct hpc_journal *j, const char *rel, mode_t mode,
			   struct hpc_error **err);
/* Record a file's size before appending to it (-1: it did not exist). */
int hpc_journal_note_size(struct hpc_journal *j, const char *rel, long long size,
			  struct hpc_error **err);
/* Move prefix/rel into the backup area (journaled first). Missing rel is not an error. */
int hpc_journal_backup(struct hpc_journal *j, const char *rel, struct hpc_error **err);
/* A private scratch directory on the prefix's filesystem (borrowed). */
const char *hpc_journal_tmpdir(const struct hpc_journal *j);
const char *hpc_journal_prefix(const struct hpc_journal *j);

/* Make the new state final and delete the journal and backups. */
int hpc_journal_commit(struct hpc_journal *j, struct hpc_error **err);
/* Undo everything recorded, delete the journal. */
int hpc_journal_rollback(struct hpc_journal *j, const struct hpc_events *ev,
			 struct hpc_error **err);
/* Free (after commit or rollback; a journal freed otherwise stays on disk). */
void hpc_journal_free(struct hpc_journal *j);

/* Whether prefix holds an unfinished transaction. */
bool hpc_journal_pending(const char *prefix);
/* Finish what a killed process left: roll back an uncommitted transaction, clean up a
 * committed one. *what (may be NULL) says which: 0 nothing, 1 rolled back, 2 finished;
 * *new_prefix (may be NULL) whether that transaction had created the prefix. The
 * caller holds the prefix lock. */
int hpc_journal_recover(const char *prefix, const struct hpc_events *ev, int *what,
			bool *new_prefix, struct hpc_error **err);

#endif
