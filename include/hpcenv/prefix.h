/* SPDX-License-Identifier: MIT */
/* prefix.h - where environments are: -n NAME / -p PATH resolution, conda's envs_dirs */
#ifndef HPCENV_PREFIX_H
#define HPCENV_PREFIX_H

#include "config.h"

struct hpc_error;

enum hpc_prefix_mode {
	HPC_PREFIX_EXISTING, /* must be an environment (has conda-meta/) */
	HPC_PREFIX_NEW,      /* must not exist, or be an empty directory */
	HPC_PREFIX_ANY,      /* no check */
};

/* Resolve the target of a command. name is -n (NULL if not given), path is -p.
 * Neither given: $CONDA_PREFIX for EXISTING/ANY, an error for NEW. "base" names the
 * root prefix. A NEW named env goes into the first writable envs_dirs entry; an
 * existing one is searched in all of them. *out is absolute; caller frees. */
int hpc_prefix_resolve(const struct hpc_config *cfg, const char *name, const char *path,
		       enum hpc_prefix_mode mode, char **out, struct hpc_error **err);

/* True when dir holds a conda environment (a conda-meta/ directory). */
bool hpc_prefix_is_env(const char *dir);

#endif
