/* SPDX-License-Identifier: MIT */
/* envs.h - the environments of a user: listing, conda's registry, removing one whole
 *
 * Environments are the root prefix, the directories in envs_dirs, and what
 * ~/.conda/environments.txt lists (conda's and micromamba's registry of environments
 * created with -p elsewhere); only directories with a conda-meta/ count.
 */
#ifndef HPCENV_ENVS_H
#define HPCENV_ENVS_H

#include <stdbool.h>

#include "config.h"
#include "events.h"
#include "util.h"

struct hpc_error;

/* Absolute prefixes, sorted, without duplicates. */
int hpc_envs_list(const struct hpc_config *cfg, struct hpc_strv *out, struct hpc_error **err);
/* Add prefix to ~/.conda/environments.txt (once), or remove it. */
int hpc_envs_register(const char *prefix, struct hpc_error **err);
int hpc_envs_unregister(const char *prefix, struct hpc_error **err);

/* ext4: mark an envs directory so that the environments made in it are spread over the
 * filesystem's block groups (FS_TOPDIR_FL, `chattr +T`, what ext4 does for the children of
 * /). ext4 scans the inodes a removed environment freed in the last minutes for every
 * inode it then hands out in that block group; a new environment next to a removed one
 * (10,000 files) then costs it ~1 s instead of ~0.25 s. Best effort: other filesystems and
 * other users' directories are left as they are. */
void hpc_envs_dir_spread(const char *dir);

struct hpc_env_remove_options {
	const char *root_prefix; /* ROOT_PREFIX for pre-unlink scripts */
	double lock_timeout;
	bool no_scripts;
	bool wait;               /* delete before returning; else a detached process deletes
				  * the moved-away directory while the caller goes on */
};

/* Remove a whole environment (conda remove --all): finish an interrupted transaction,
 * run the packages' pre-unlink scripts, move the directory aside in one rename (so it is
 * there or gone, never half there), unregister it, and delete it: deleting thousands of
 * files takes seconds (minutes on parallel filesystems), so unless opt->wait a detached,
 * niced `rm -rf` does that while the caller goes on. */
int hpc_env_remove(const char *prefix, const struct hpc_env_remove_options *opt,
		   const struct hpc_events *ev, struct hpc_error **err);

#endif
