/* SPDX-License-Identifier: MIT */
/* spawn.h - run a helper program (link scripts, the env's python) and collect its output */
#ifndef HPCENV_SPAWN_H
#define HPCENV_SPAWN_H

#include "util.h"

struct hpc_error;

struct hpc_spawn {
	const char *const *argv; /* argv[0] is run as given (a path) */
	const struct hpc_strv *set_env; /* NAME, VALUE pairs added to (or replacing in) environ */
	const char *cwd;         /* NULL: the current directory */
	const char *stdin_file;  /* NULL: /dev/null */
};

/* Run and wait. *status is the exit code (128+N for a signal); *output (may be NULL)
 * holds stdout and stderr interleaved. Fails only when the program cannot be started
 * (HPC_E_NOTFOUND / HPC_E_IO). */
int hpc_spawn_run(const struct hpc_spawn *sp, int *status, char **output,
		  struct hpc_error **err);

#endif
