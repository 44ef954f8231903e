/* SPDX-License-Identifier: MIT */
/* update.c - hpcenv update: newer versions of installed packages (docs/update.md)
 *
 * `update NAME...` updates those packages (within the given specs) and what they need;
 * `update --all` every installed package. Like install, it keeps what was asked for
 * before and honours the pins (envsolve.h).
 */
#include <stdlib.h>
#include <string.h>

#include "txnui.h"

struct update_ctx {
	struct hpc_ui_solve so;
	bool all;
};

static const struct hpc_opt update_opts[] = {
	HPC_OPT_BOOL('a', "all", struct update_ctx, all, "update every installed package"),
	HPC_UI_SOLVE_OPTS(struct update_ctx),
	HPC_OPT_END,
};

static int update_run(void *ctx, struct hpc_session *s, struct hpc_error **err)
{
	struct update_ctx *c = ctx;
	struct hpc_envsolve_options o = { .kind = HPC_ENVSOLVE_UPDATE, .update_all = c->all };
	struct hpc_strv specs = HPC_STRV_INIT;
	int r;

	if (c->all && s->argc)
		return HPC_FAIL(err, USAGE, "give --all or package names, not both");
	/* --no-deps keeps the requested packages' steps only, and --all requests none by
	 * name: together they would silently do nothing */
	if (c->all && c->so.no_deps)
		return HPC_FAIL(err, USAGE, "--no-deps cannot be used with --all");
	if (!c->all && !s->argc)
		return HPC_FAIL(err, USAGE, "'update' needs package names (or --all)");
	for (int i = 0; i < s->argc; i++)
		hpc_strv_push(&specs, s->argv[i]);
	o.specs = &specs;
	r = hpc_ui_solve_apply(s, &c->so, &o, err);
	hpc_strv_fini(&specs);
	return r;
}

HPC_DEFINE_COMMAND(update,
	.name = "update", .usage = "SPEC... | --all",
	.summary = "update installed packages of an environment",
	.opts = update_opts, .ctx_size = sizeof(struct update_ctx),
	.needs = HPC_NEED_PREFIX | HPC_NEED_CHANNELS,
	.min_args = 0, .max_args = -1, .run = update_run)
