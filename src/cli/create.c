/* SPDX-License-Identifier: MIT */
/* create.c - hpcenv create: a new environment from an exact package list (docs/create.md)
 *
 * --file takes what needs no solving: an @EXPLICIT list, a conda-lock.yml or a pixi.lock
 * (lockfile.h picks the environment and platform). Packages are used in place (file://),
 * found in the package cache or downloaded (pkgfetch.h). Specs and environment.yml need
 * the solver and come with it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "txnui.h"

struct create_ctx {
	const char *file;
	const char *platform;
	const char *env;
	bool dry_run, ignore_pypi;
};

static const struct hpc_opt create_opts[] = {
	HPC_OPT_STR('f', "file", struct create_ctx, file, "FILE",
		    "an @EXPLICIT list, a conda-lock.yml or a pixi.lock"),
	HPC_OPT_STR(0, "platform", struct create_ctx, platform, "SUBDIR",
		    "the platform to create for (and to pick from a lock file); another one than "
		    "this machine's: no link scripts run, nothing is compiled"),
	HPC_OPT_STR('e', "env", struct create_ctx, env, "NAME",
		    "the pixi.lock environment to create (default: default)"),
	HPC_OPT_BOOL(0, "ignore-pypi", struct create_ctx, ignore_pypi,
		     "create from a lock file that also locks PyPI packages, without them"),
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
	if (s->env_name) { /* -n: a new directory in an envs directory, which ext4 may spread */
		char *dir = hpc_xstrndup(s->prefix, (size_t)(strrchr(s->prefix, '/') - s->prefix));

		if (!hpc_mkdir_p(dir, 0777, NULL))
			hpc_envs_dir_spread(dir);
		free(dir);
	}
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

/* Packages are picked for --platform, else `subdir` (CONDA_SUBDIR), else this machine. */
static const char *target_platform(const struct create_ctx *c, struct hpc_session *s,
				   struct hpc_buildinfo *bi)
{
	const char *sub = hpc_config_get_str(s->cfg, "subdir");

	hpc_buildinfo_get(bi);
	return c->platform ? c->platform : sub && *sub ? sub : bi->platform;
}

/* hpcenv installs conda packages only: a lock that needs PyPI packages too is refused
 * unless --ignore-pypi says an environment without them is wanted (then they are listed). */
static int check_pypi(const struct create_ctx *c, struct hpc_session *s,
		      const struct hpc_lockfile *lf, struct hpc_error **err)
{
	struct hpc_strv some = HPC_STRV_INIT;
	char *list, *where;
	int r = 0;

	if (!lf->pypi.n)
		return 0;
	for (size_t i = 0; i < lf->pypi.n && i < 8; i++)
		hpc_strv_push(&some, lf->pypi.v[i]);
	if (lf->pypi.n > 8)
		hpc_strv_pushf(&some, "and %zu more", lf->pypi.n - 8);
	list = hpc_strv_join(&some, ", ");
	where = lf->env ? hpc_xasprintf("environment '%s' on %s", lf->env, lf->pkgs.platform)
			: hpc_xstrdup(lf->pkgs.platform);
	if (!c->ignore_pypi)
		r = HPC_FAIL(err, UNSUPPORTED, "'%s' (%s) locks %zu PyPI package%s, which hpcenv "
			     "does not install: %s; --ignore-pypi creates the environment without "
			     "them", c->file, where, lf->pypi.n, lf->pypi.n == 1 ? "" : "s", list);
	else
		hpc_warn(&s->ev, "not installing %zu PyPI package%s locked in '%s' (%s), install "
			 "them with pip afterwards: %s", lf->pypi.n, lf->pypi.n == 1 ? "" : "s",
			 c->file, where, list);
	free(where);
	free(list);
	hpc_strv_fini(&some);
	return r;
}

static int create_from_lock(struct create_ctx *c, struct hpc_session *s, const char *text,
			    size_t len, struct hpc_error **err)
{
	struct hpc_buildinfo bi;
	struct hpc_lockfile_select sel = { .platform = target_platform(c, s, &bi), .env = c->env };
	struct hpc_lockfile lf;
	const char *given = c->platform;
	int r = hpc_lockfile_parse(&lf, text, len, c->file, &sel, err);

	r = r ? r : check_pypi(c, s, &lf, err);
	if (!r) {
		c->platform = sel.platform; /* another platform's packages: no scripts */
		r = create_from(c, s, &lf.pkgs, err);
		c->platform = given;
	}
	if (!r && lf.pypi.n && s->out) {
		json_t *a = json_array();

		for (size_t i = 0; i < lf.pypi.n; i++)
			json_array_append_new(a, json_string(lf.pypi.v[i]));
		json_object_set_new(s->out, "pypi_not_installed", a);
	}
	hpc_lockfile_fini(&lf);
	return r;
}

static int create_from_explicit(struct create_ctx *c, struct hpc_session *s, const char *text,
				struct hpc_error **err)
{
	struct hpc_explicit ex;
	const char *given = c->platform;
	int r = hpc_explicit_parse(&ex, text, c->file, err);

	if (r)
		return r;
	if (ex.platform && c->platform && strcmp(ex.platform, c->platform))
		hpc_warn(&s->ev, "'%s' is for %s, not %s", c->file, ex.platform, c->platform);
	if (!c->platform && ex.platform && !native(ex.platform))
		c->platform = ex.platform; /* a list made for another platform: no scripts */
	r = create_from(c, s, &ex, err);
	c->platform = given;
	hpc_explicit_fini(&ex);
	return r;
}

static int create_run(void *ctx, struct hpc_session *s, struct hpc_error **err)
{
	struct create_ctx *c = ctx;
	enum hpc_lockfile_kind kind;
	char *text = NULL;
	size_t len = 0;
	int r;

	if (!c->file)
		return HPC_FAIL(err, USAGE, "'create' needs --file FILE with an @EXPLICIT list "
				"or a lock file (creating from specs needs the solver, which is "
				"not here yet)");
	r = hpc_file_read(c->file, &text, &len, err);
	if (r)
		return r;
	kind = hpc_lockfile_detect(text);
	if (c->env && kind != HPC_LOCKFILE_PIXI)
		r = HPC_FAIL(err, USAGE, "--env picks an environment of a pixi.lock; '%s' is none",
			     c->file);
	else if (kind != HPC_LOCKFILE_NONE)
		r = create_from_lock(c, s, text, len, err);
	else
		r = create_from_explicit(c, s, text, err);
	free(text);
	return r;
}

HPC_DEFINE_COMMAND(create,
	.name = "create", .usage = "--file FILE",
	.summary = "create an environment from an @EXPLICIT list, a conda-lock.yml or a pixi.lock",
	.details = "Exactly the listed packages are installed (no solving), each checked against\n"
		   "its sha256/md5; http(s) ones are downloaded into the package cache. Specs and\n"
		   "environment.yml files come with the solver.",
	.opts = create_opts, .ctx_size = sizeof(struct create_ctx),
	.needs = HPC_NEED_NEW_PREFIX,
	.min_args = 0, .max_args = 0, .run = create_run)
