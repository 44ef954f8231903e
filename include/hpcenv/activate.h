/* SPDX-License-Identifier: MIT */
/* activate.h - what activating an environment changes, for bash, zsh and fish
 *
 * Follows conda's model: PATH gets PREFIX/bin first; CONDA_PREFIX, CONDA_DEFAULT_ENV,
 * CONDA_SHLVL and CONDA_PROMPT_MODIFIER say what is active; activating over an active
 * environment replaces its bin in PATH and remembers it as CONDA_PREFIX_<n> so that
 * deactivating goes back to it. The environment's env_vars (conda-meta/state, set with
 * `conda env config vars`) are exported, and its etc/conda/activate.d scripts (*.sh, or
 * *.fish for fish) sourced; deactivation runs deactivate.d and unsets the variables.
 * With changeps1, PS1 (bash/zsh) gets the "(name) " prefix.
 */
#ifndef HPCENV_ACTIVATE_H
#define HPCENV_ACTIVATE_H

#include <stdbool.h>

#include "util.h"

struct hpc_error;

enum hpc_shell {
	HPC_SHELL_BASH,
	HPC_SHELL_ZSH,
	HPC_SHELL_FISH,
};

/* "bash", "zsh" or "fish" (a path such as /bin/bash is fine). HPC_E_USAGE otherwise. */
int hpc_shell_parse(const char *name, enum hpc_shell *out, struct hpc_error **err);

struct hpc_activation {
	struct hpc_strv unset;        /* variables to remove */
	struct hpc_strv set;          /* NAME, VALUE pairs to export */
	struct hpc_strv pre_scripts;  /* deactivate.d of what was active: run first */
	struct hpc_strv post_scripts; /* activate.d of what becomes active: run last */
};

void hpc_activation_fini(struct hpc_activation *a);
/* Activate prefix (shown as `name`: an env name, or the path) on top of the environment
 * envp describes (NULL: environ). */
int hpc_activate(struct hpc_activation *a, const char *prefix, const char *name,
		 enum hpc_shell shell, char **envp, bool changeps1, struct hpc_error **err);
/* Deactivate the active environment (back to the one it replaced, if any). Nothing
 * active: an empty activation. */
int hpc_deactivate(struct hpc_activation *a, enum hpc_shell shell, char **envp,
		   bool changeps1, struct hpc_error **err);
/* Shell code for an activation. Caller frees. */
char *hpc_activation_script(const struct hpc_activation *a, enum hpc_shell shell);
/* The shell function `hpcenv` that makes `hpcenv activate|deactivate` change the running
 * shell (eval "$(hpcenv shell hook)"). exe: hpcenv's absolute path. Caller frees. */
char *hpc_shell_hook(enum hpc_shell shell, const char *exe);

#endif
