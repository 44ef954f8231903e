/* SPDX-License-Identifier: MIT */
/* shell.c - hpcenv shell hook|activate|deactivate for bash, zsh and fish (docs/shell.md) */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

struct shell_ctx {
	const char *shell;
};

#define SHELL_OPT                                                                         \
	HPC_OPT_STR('s', "shell", struct shell_ctx, shell, "SHELL",                          \
		    "bash, zsh or fish (default: from $SHELL)")

static const struct hpc_opt shell_opts[] = { SHELL_OPT, HPC_OPT_END };

static int which_shell(const struct shell_ctx *c, enum hpc_shell *sh, struct hpc_error **err)
{
	const char *name = c->shell ? c->shell : getenv("SHELL");

	if (!name || !*name)
		name = "bash";
	if (!c->shell && hpc_shell_parse(name, sh, NULL)) /* an unusual login shell: bash */
		return hpc_shell_parse("bash", sh, err);
	return hpc_shell_parse(name, sh, err);
}

static int hook_run(void *ctx, struct hpc_session *s, struct hpc_error **err)
{
	enum hpc_shell sh;
	char exe[PATH_MAX], *text;
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	int r = which_shell(ctx, &sh, err);

	if (r)
		return r;
	if (n <= 0)
		return HPC_FAIL(err, IO, "cannot find hpcenv's own path in /proc/self/exe");
	exe[n] = '\0';
	text = hpc_shell_hook(sh, exe);
	fputs(text, stdout);
	free(text);
	return 0;
}

HPC_DEFINE_COMMAND(shell_hook,
	.group = "shell", .name = "hook",
	.summary = "print the shell function that makes 'hpcenv activate' work",
	.details = "bash/zsh: eval \"$(hpcenv shell hook)\"; fish: hpcenv shell hook --shell fish | "
		   "source",
	.opts = shell_opts, .ctx_size = sizeof(struct shell_ctx), .needs = HPC_NEED_NO_CONFIG,
	.min_args = 0, .max_args = 0, .run = hook_run)

/* ENV as a name (or "base") or a path; -n/-p work too. *name is what the prompt shows. */
static int target(struct hpc_session *s, char **prefix, const char **name,
		  struct hpc_error **err)
{
	const char *arg = s->argc ? s->argv[0] : NULL, *active = getenv("CONDA_PREFIX");
	const char *given = s->prefix;

	if (given && !s->env_name && active && !strcmp(active, given))
		given = NULL; /* main only resolved $CONDA_PREFIX: no -n/-p was given */
	if (arg && given)
		return HPC_FAIL(err, USAGE, "give the environment once: NAME, -n NAME or -p PATH");
	if (given) {
		*prefix = hpc_xstrdup(given);
		*name = s->env_name ? s->env_name : *prefix;
		return hpc_prefix_is_env(*prefix) ? 0
			: HPC_FAIL(err, NOTFOUND, "'%s' is not a conda environment", *prefix);
	}
	if (!arg)
		arg = "base"; /* conda activate without arguments */
	*name = arg;
	if (strchr(arg, '/'))
		return hpc_prefix_resolve(s->cfg, NULL, arg, HPC_PREFIX_EXISTING, prefix, err);
	return hpc_prefix_resolve(s->cfg, arg, NULL, HPC_PREFIX_EXISTING, prefix, err);
}

static int print_activation(struct hpc_activation *a, enum hpc_shell sh)
{
	char *text = hpc_activation_script(a, sh);

	fputs(text, stdout);
	free(text);
	hpc_activation_fini(a);
	return 0;
}

static int activate_run(void *ctx, struct hpc_session *s, struct hpc_error **err)
{
	enum hpc_shell sh;
	struct hpc_activation a;
	char *prefix = NULL;
	const char *name = NULL;
	int r = which_shell(ctx, &sh, err);

	r = r ? r : target(s, &prefix, &name, err);
	r = r ? r : hpc_activate(&a, prefix, name, sh, NULL,
				 hpc_config_get_bool(s->cfg, "changeps1"), err);
	if (!r)
		print_activation(&a, sh);
	free(prefix);
	return r;
}

HPC_DEFINE_COMMAND(shell_activate,
	.group = "shell", .name = "activate", .usage = "[ENV]",
	.summary = "print the shell code that activates an environment",
	.opts = shell_opts, .ctx_size = sizeof(struct shell_ctx), .needs = HPC_NEED_ANY_PREFIX,
	.min_args = 0, .max_args = 1, .run = activate_run)

static int deactivate_run(void *ctx, struct hpc_session *s, struct hpc_error **err)
{
	enum hpc_shell sh;
	struct hpc_activation a;
	int r = which_shell(ctx, &sh, err);

	r = r ? r : hpc_deactivate(&a, sh, NULL, hpc_config_get_bool(s->cfg, "changeps1"), err);
	return r ? r : print_activation(&a, sh);
}

HPC_DEFINE_COMMAND(shell_deactivate,
	.group = "shell", .name = "deactivate",
	.summary = "print the shell code that deactivates the active environment",
	.opts = shell_opts, .ctx_size = sizeof(struct shell_ctx),
	.min_args = 0, .max_args = 0, .run = deactivate_run)
