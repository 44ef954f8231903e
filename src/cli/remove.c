/* SPDX-License-Identifier: MIT */
/* remove.c - hpcenv remove: packages, or a whole environment (docs/remove.md)
 *
 * By default the solver removes the named packages, what depends on them, and what only
 * they needed (conda's remove; solveui.c). --force removes exactly the named packages,
 * --all the whole environment. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "txnui.h"

struct remove_ctx {
	struct hpc_ui_solve so; /* so.dry_run */
	bool all, force;
};

static const struct hpc_opt remove_opts[] = {
	HPC_OPT_BOOL(0, "all", struct remove_ctx, all, "remove the whole environment"),
	HPC_OPT_BOOL(0, "force", struct remove_ctx, force,
		     "remove only the named packages, leaving what depends on them"),
	HPC_OPT_BOOL(0, "dry-run", struct remove_ctx, so.dry_run,
		     "show what would go, change nothing"),
	HPC_OPT_END,
};

/* The same directory, however it is spelled (a symlink, "..", a bind path). */
static bool same_dir(const char *a, const char *b)
{
	struct stat sa, sb;

	if (!strcmp(a, b))
		return true;
	return !stat(a, &sa) && !stat(b, &sb) && sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

static int refuse_env(struct hpc_session *s, struct hpc_error **err)
{
	const char *active = getenv("CONDA_PREFIX");

	if (same_dir(s->prefix, hpc_config_root_prefix(s->cfg)))
		return HPC_FAIL(err, USAGE, "refusing to remove the base environment '%s'",
				s->prefix);
	if (active && *active && same_dir(active, s->prefix))
		return HPC_FAIL(err, USAGE, "'%s' is the active environment: deactivate it first",
				s->prefix);
	return 0;
}

int hpc_cli_remove_env(struct hpc_session *s, bool dry_run, struct hpc_error **err)
{
	struct hpc_env_remove_options o = {
		.root_prefix = hpc_config_root_prefix(s->cfg),
		.lock_timeout = hpc_config_get_float(s->cfg, "lock_timeout"),
	};
	struct hpc_strv dists = HPC_STRV_INIT;
	int r = refuse_env(s, err);

	r = r ? r : hpc_condameta_dists(s->prefix, &dists, err);
	if (r)
		return r;
	if (!s->json) {
		printf("\nRemove all packages in environment %s:\n\n", s->prefix);
		for (size_t i = 0; i < dists.n; i++)
			printf("  %s\n", dists.v[i]);
		printf("\n");
		fflush(stdout);
	}
	s->out = json_pack("{s:b,s:s,s:b,s:I}", "success", 1, "prefix", s->prefix, "dry_run",
			   dry_run, "packages",
			   (json_int_t)dists.n);
	hpc_strv_fini(&dists);
	r = hpc_ui_confirm(s, dry_run, err);
	if (r == 1)
		r = hpc_env_remove(s->prefix, &o, &s->ev, err);
	return r;
}

static int remove_packages(struct remove_ctx *c, struct hpc_session *s, struct hpc_error **err)
{
	struct hpc_cache *cache = NULL;
	struct hpc_txn *t = NULL;
	struct hpc_txn_plan plan = { 0 };
	struct hpc_strv specs = HPC_STRV_INIT;
	char *cmd = NULL;
	int r = hpc_ui_cache_open(s, &cache, err);

	r = r ? r : hpc_ui_txn_open(s, cache, false, NULL, &t, &cmd, err);
	for (int i = 0; !r && i < s->argc; i++) {
		r = hpc_txn_unlink(t, s->argv[i], err);
		hpc_txn_add_spec(t, true, s->argv[i]);
		hpc_strv_push(&specs, s->argv[i]);
	}
	r = r ? r : hpc_txn_prepare(t, &s->ev, err);
	if (!r) {
		hpc_txn_plan(t, &plan);
		hpc_ui_show_plan(s, &plan, &specs, true, NULL);
		s->out = hpc_ui_plan_json(s->prefix, &plan, NULL);
		json_object_set_new(s->out, "dry_run", json_boolean(c->so.dry_run));
		r = hpc_ui_confirm(s, c->so.dry_run, err);
	}
	if (r == 1)
		r = hpc_txn_commit(t, &s->ev, err);
	hpc_txn_plan_fini(&plan);
	hpc_strv_fini(&specs);
	hpc_txn_free(t);
	hpc_cache_free(cache);
	free(cmd);
	return r;
}

static int remove_run(void *ctx, struct hpc_session *s, struct hpc_error **err)
{
	struct remove_ctx *c = ctx;
	struct hpc_envsolve_options o = { .kind = HPC_ENVSOLVE_REMOVE };
	struct hpc_strv specs = HPC_STRV_INIT;
	int r;

	if (c->all && s->argc)
		return HPC_FAIL(err, USAGE, "give --all or package names, not both");
	if (c->all && c->force)
		return HPC_FAIL(err, USAGE, "--force removes named packages only; --all removes "
				"the whole environment: give one of them");
	if (c->all)
		return hpc_cli_remove_env(s, c->so.dry_run, err);
	if (!s->argc)
		return HPC_FAIL(err, USAGE, "'remove' needs package names (or --all)");
	if (c->force)
		return remove_packages(c, s, err);
	for (int i = 0; i < s->argc; i++)
		hpc_strv_push(&specs, s->argv[i]);
	o.specs = &specs;
	r = hpc_ui_solve_apply(s, &c->so, &o, err);
	hpc_strv_fini(&specs);
	return r;
}

HPC_DEFINE_COMMAND(remove,
	.name = "remove", .usage = "[--force] NAME... | --all",
	.summary = "remove packages from an environment, or the whole environment",
	.opts = remove_opts, .ctx_size = sizeof(struct remove_ctx),
	.needs = HPC_NEED_PREFIX,
	.min_args = 0, .max_args = -1, .run = remove_run)
