/* SPDX-License-Identifier: MIT */
/* install.c - hpcenv install: add packages to an existing environment (docs/install.md)
 *
 * The installed packages stay unless the solve needs to change them; what the user asked
 * for before (conda-meta/history) stays asked for; pinned_packages and conda-meta/pinned
 * hold (envsolve.h). Specs come from the command line or --file (one a line, or an
 * environment.yml's dependencies).
 */
#include <stdlib.h>
#include <string.h>

#include "txnui.h"

struct install_ctx {
	struct hpc_ui_solve so;
	const char *file;
};

static const struct hpc_opt install_opts[] = {
	HPC_OPT_STR('f', "file", struct install_ctx, file, "FILE",
		    "specs to install: one a line, or an environment.yml"),
	HPC_UI_SOLVE_OPTS(struct install_ctx),
	HPC_OPT_END,
};

static int install_run(void *ctx, struct hpc_session *s, struct hpc_error **err)
{
	struct install_ctx *c = ctx;
	struct hpc_envsolve_options o = { .kind = HPC_ENVSOLVE_INSTALL };
	struct hpc_strv specs = HPC_STRV_INIT;
	struct hpc_envfile ef;
	int r = 0;

	hpc_envfile_init(&ef);
	if (c->file)
		r = hpc_envfile_read(c->file, &ef, err);
	if (!r && !s->argc && !ef.specs.n && !ef.pip_origin)
		r = HPC_FAIL(err, USAGE, "'install' needs specs (e.g. 'numpy>=2') or --file FILE");
	for (int i = 0; i < s->argc; i++)
		hpc_strv_push(&specs, s->argv[i]);
	o.specs = &specs;
	o.file = c->file ? &ef : NULL;
	if (!r)
		r = hpc_ui_solve_apply(s, &c->so, &o, err);
	hpc_strv_fini(&specs);
	hpc_envfile_fini(&ef);
	return r;
}

HPC_DEFINE_COMMAND(install,
	.name = "install", .usage = "SPEC... | --file FILE",
	.summary = "install packages into an existing environment",
	.details = "The request is solved with the environment's packages, the specs asked for\n"
		   "before (conda-meta/history) and the pins (pinned_packages, conda-meta/pinned).",
	.opts = install_opts, .ctx_size = sizeof(struct install_ctx),
	.needs = HPC_NEED_PREFIX | HPC_NEED_CHANNELS,
	.min_args = 0, .max_args = -1, .run = install_run)
