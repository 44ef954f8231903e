/* SPDX-License-Identifier: MIT */
/* lock.h - advisory locks that interoperate with conda and libmamba
 *
 * libmamba (and conda, for "mamba interop") lock a directory D through the file
 * D/<basename of D>.lock and a file F through F.lock, with an fcntl write lock on the
 * single byte at offset 21. hpcenv takes the same lock, so a package cache or
 * environment shared with micromamba is never changed by both at once.
 *
 * fcntl locks belong to a process, not to a file descriptor: closing any descriptor of
 * the lock file drops them. A process-wide registry therefore keeps one descriptor per
 * lock file and counts its users. The fcntl call itself runs on a helper thread so a
 * lock request on a hung NFS mount (no lockd) cannot hang hpcenv: after the timeout
 * the caller either fails or, with `fallback`, goes on without the lock.
 */
#ifndef HPCENV_LOCK_H
#define HPCENV_LOCK_H

#include <stdbool.h>

#include "events.h"

struct hpc_error;
struct hpc_lock;

#define HPC_LOCK_BYTE 21

struct hpc_lock_options {
	double timeout; /* seconds to wait while another process holds the lock; < 0: forever */
	bool shared;    /* a read lock (several holders) instead of an exclusive one */
	bool fallback;  /* on timeout or where locks do not work, warn and go on unlocked */
};

/* The lock file libmamba uses for path (a directory or a file). Caller frees. */
char *hpc_lock_path_for(const char *path);

/* Lock path (an existing directory, or a file). On success *out is a lock
 * that may be "not held" when fallback was used (see hpc_lock_held). Polls
 * ev->cancelled while waiting (HPC_E_INTERRUPTED). Errors: HPC_E_TIMEOUT, HPC_E_LOCK. */
int hpc_lock_acquire(const char *path, const struct hpc_lock_options *opt,
		     const struct hpc_events *ev, struct hpc_lock **out, struct hpc_error **err);
/* Switch a held lock between shared and exclusive (waiting like hpc_lock_acquire). A
 * lock that is not held stays so and this returns 0. */
int hpc_lock_change(struct hpc_lock *l, bool shared, double timeout, const struct hpc_events *ev,
		    struct hpc_error **err);
bool hpc_lock_held(const struct hpc_lock *l);
/* The lock file's path (borrowed). */
const char *hpc_lock_file(const struct hpc_lock *l);
/* Release and free; NULL-safe. The lock file is left in place (deleting it would let
 * two processes lock two different files of the same name). */
void hpc_lock_release(struct hpc_lock *l);

#endif
