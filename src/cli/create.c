/* SPDX-License-Identifier: MIT */
/* create.c - hpcenv create: a new environment from an @EXPLICIT list (docs/create.md)
 *
 * Specs and environment.yml need the solver and come with it; for now --file takes an
 * @EXPLICIT list whose packages are local files (file:// URLs or paths) or already in
 * the package cache.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "txnui.h"

struct create_ctx {
	const char *file;
	const char *platform;
	bool dry_run;
};

static const struct hpc_opt create_opts[] = {
	HPC_OPT_STR('f', "file", struct create_ctx, file, "FILE",
		    "an @EXPLICIT package list (conda list --explicit, conda-lock *.lock)"),
	HPC_OPT_STR(0, "platform", struct create_ctx, platform, "SUBDIR",
		    "packages are for another platform: run no link scripts, compile nothing"),
	HPC_OPT_BOOL(0, "dry-run", struct create_ctx, dry_run,
		     "show what would be installed, change nothing"),
	HPC_OPT_END,
};

/* conda's history notes an explicit install's packages as name==version=build specs. */
static void add_explicit(struct hpc_txn *t, const struct hpc_explicit *ex)
{
	for (size_t i = 0; i < ex->n; i++) {
		const struct hpc_record *r = &ex->entries[i].rec;
		char *spec = hpc_xasprintf("%s==%s=%s", r->name, r->version, r->build);

		hpc_txn_link(t, r, ex->entries[i].path, spec);
		hpc_txn_add_spec(t, false, spec);
		free(spec);
	}
}

static bool native(const char *platform)
{
	struct hpc_buildinfo bi;

	hpc_buildinfo_get(&bi);
	return !platform || !strcmp(platform, bi.platform) || !strcmp(platform, "noarch");
}

static int open_txn(struct create_ctx *c, struct hpc_session *s, struct hpc_cache *cache,
		    struct hpc_txn **t, struct hpc_error **err)
{
	struct hpc_txn_options o;
	char *cmd = hpc_ui_txn_options(s, cache, &o);
	int r;

	o.create = true;
	o.no_scripts = !native(c->platform ? c->platform : hpc_config_get_str(s->cfg, "subdir"));
	r = hpc_txn_open(&o, &s->ev, t, err);
	free(cmd);
	return r;
}

static void done_message(struct hpc_session *s)
{
	if (s->json)
		return;
	hpc_info(&s->ev, "To activate this environment:  " HPC_PROG " activate %s",
		 hpc_ui_env_label(s));
	hpc_info(&s->ev, "(after eval \"$(" HPC_PROG " shell hook)\"), or run commands in it "
		 "with: " HPC_PROG " run %s%s COMMAND", s->env_name ? "-n " : "-p ",
		 hpc_ui_env_label(s));
}

static int create_from(struct create_ctx *c, struct hpc_session *s,
		       const struct hpc_explicit *ex, struct hpc_error **err)
{
	struct hpc_cache *cache = NULL;
	struct hpc_txn *t = NULL;
	struct hpc_txn_plan plan = { 0 };
	struct hpc_strv specs = HPC_STRV_INIT;
	int r = hpc_ui_cache_open(s, &cache, err);

	r = r ? r : open_txn(c, s, cache, &t, err);
	if (!r) {
		add_explicit(t, ex);
		r = hpc_txn_prepare(t, &s->ev, err);
	}
	if (!r) {
		hpc_txn_plan(t, &plan);
		hpc_ui_show_plan(s, &plan, &specs);
		s->out = hpc_ui_plan_json(s->prefix, &plan);
		json_object_set_new(s->out, "dry_run", json_boolean(c->dry_run));
		r = hpc_ui_confirm(s, c->dry_run, err);
	}
	if (r == 1)
		r = hpc_txn_commit(t, &s->ev, err);
	if (!r && !c->dry_run) {
		hpc_envs_register(s->prefix, NULL); /* conda's registry, best effort */
		json_object_set_new(s->out, "success", json_true());
		done_message(s);
	}
	hpc_txn_plan_fini(&plan);
	hpc_strv_fini(&specs);
	hpc_txn_free(t);
	hpc_cache_free(cache);
	return r;
}

static int create_run(void *ctx, struct hpc_session *s, struct hpc_error **err)
{
	struct create_ctx *c = ctx;
	struct hpc_explicit ex;
	int r;

	if (!c->file)
		return HPC_FAIL(err, USAGE, "'create' needs --file FILE with an @EXPLICIT list "
				"(creating from specs needs the solver, which is not here yet)");
	r = hpc_explicit_load(&ex, c->file, err);
	if (r)
		return r;
	if (ex.platform && c->platform && strcmp(ex.platform, c->platform))
		hpc_warn(&s->ev, "'%s' is for %s, not %s", c->file, ex.platform, c->platform);
	if (!c->platform && ex.platform && !native(ex.platform))
		c->platform = ex.platform; /* a list made for another platform: no scripts */
	r = create_from(c, s, &ex, err);
	c->platform = NULL;
	hpc_explicit_fini(&ex);
	return r;
}

HPC_DEFINE_COMMAND(create,
	.name = "create", .usage = "--file FILE",
	.summary = "create an environment from an @EXPLICIT package list",
	.details = "The list's packages must be local (file:// URLs or paths) or already in the\n"
		   "package cache. Specs and environment.yml files come with the solver.",
	.opts = create_opts, .ctx_size = sizeof(struct create_ctx),
	.needs = HPC_NEED_NEW_PREFIX,
	.min_args = 0, .max_args = 0, .run = create_run)
