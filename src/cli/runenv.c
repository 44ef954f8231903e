/* SPDX-License-Identifier: MIT */
/* runenv.c - hpcenv run: a command inside an environment without activating a shell
 * (docs/runenv.md). Not run.c: tests/e2e/run is the e2e runner, so this command's tests
 * live in tests/e2e/runenv/. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

struct run_ctx {
	const char *cwd;
};

static const struct hpc_opt run_opts[] = {
	HPC_OPT_STR(0, "cwd", struct run_ctx, cwd, "DIR", "run the command in DIR"),
	HPC_OPT_END,
};

/* The environment's activate.d scripts are sourced by a shell that then execs CMD. */
static char **command(const struct hpc_activation *a, struct hpc_session *s)
{
	char **argv = hpc_xcalloc((size_t)s->argc + 5, sizeof(*argv));
	struct hpc_strbuf sb = HPC_STRBUF_INIT;
	int n = 0;

	if (a->post_scripts.n) {
		for (size_t i = 0; i < a->post_scripts.n; i++)
			hpc_strbuf_addf(&sb, ". \"$HPCENV_RUN_SCRIPT_%zu\" || exit\n", i);
		hpc_strbuf_adds(&sb, "exec \"$@\"\n");
		argv[n++] = "/bin/bash";
		argv[n++] = "-c";
		argv[n++] = hpc_strbuf_detach(&sb);
		argv[n++] = HPC_PROG "-run";
	}
	for (int i = 0; i < s->argc; i++)
		argv[n++] = s->argv[i];
	return argv;
}

static void apply(const struct hpc_activation *a)
{
	for (size_t i = 0; i < a->unset.n; i++)
		unsetenv(a->unset.v[i]);
	for (size_t i = 0; i + 1 < a->set.n; i += 2)
		if (strcmp(a->set.v[i], "PS1"))
			setenv(a->set.v[i], a->set.v[i + 1], 1);
	for (size_t i = 0; i < a->post_scripts.n; i++) { /* passed by name: no quoting issues */
		char name[64];

		snprintf(name, sizeof(name), "HPCENV_RUN_SCRIPT_%zu", i);
		setenv(name, a->post_scripts.v[i], 1);
	}
}

static int run_run(void *ctx, struct hpc_session *s, struct hpc_error **err)
{
	struct run_ctx *c = ctx;
	struct hpc_activation a;
	const char *name = s->env_name ? s->env_name : s->prefix;
	char **argv;
	int r = hpc_txn_recover(s->prefix, hpc_config_get_float(s->cfg, "lock_timeout"), &s->ev,
				err);

	r = r ? r : hpc_activate(&a, s->prefix, name, HPC_SHELL_BASH, NULL, false, err);
	if (r)
		return r;
	if (c->cwd && chdir(c->cwd) < 0) {
		hpc_activation_fini(&a);
		return HPC_FAIL(err, IO, "cannot change to '%s': %s", c->cwd, strerror(errno));
	}
	apply(&a);
	argv = command(&a, s);
	fflush(NULL);
	execvp(argv[0], argv); /* on success the command's exit status is ours */
	r = HPC_FAILC(err, errno == ENOENT ? HPC_E_NOTFOUND : HPC_E_IO, "cannot run '%s': %s",
		      argv[0], strerror(errno));
	if (a.post_scripts.n)
		free(argv[2]);
	free(argv);
	hpc_activation_fini(&a);
	return r;
}

HPC_DEFINE_COMMAND(run,
	.name = "run", .usage = "COMMAND [ARGS...]",
	.summary = "run a command in an environment (activated, activate.d scripts sourced)",
	.details = "Options for hpcenv come before COMMAND; everything from COMMAND on is passed\n"
		   "to it as is. The exit status is the command's.",
	.opts = run_opts, .ctx_size = sizeof(struct run_ctx),
	.needs = HPC_NEED_PREFIX, .args_verbatim = true,
	.min_args = 1, .max_args = -1, .run = run_run)
