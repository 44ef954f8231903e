/* SPDX-License-Identifier: MIT */
/* create.c - hpcenv create: a new environment from specs or a file (docs/create.md)
 *
 * Specs (on the command line, in a plain list or an environment.yml) are solved
 * (solveui.c). Exact lists need no solving: an @EXPLICIT list, a conda-lock.yml or a
 * pixi.lock (lockfile.h picks the environment and platform). Either way packages are used
 * in place (file://), found in the package cache or downloaded (pkgfetch.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "txnui.h"

struct create_ctx {
	struct hpc_ui_solve so; /* so.platform, so.dry_run also for exact lists */
	const char *file;
	const char *env;
	bool ignore_pypi;
};

static const struct hpc_opt create_opts[] = {
	HPC_OPT_STR('f', "file", struct create_ctx, file, "FILE",
		    "specs (one a line), an environment.yml, an @EXPLICIT list, a conda-lock.yml "
		    "or a pixi.lock"),
	HPC_OPT_STR('e', "env", struct create_ctx, env, "NAME",
		    "the pixi.lock environment to create (default: default)"),
	HPC_OPT_BOOL(0, "ignore-pypi", struct create_ctx, ignore_pypi,
		     "create from a lock file that also locks PyPI packages, without them"),
	HPC_UI_SOLVE_OPTS(struct create_ctx),
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

static int create_from(struct create_ctx *c, struct hpc_session *s,
		       const struct hpc_explicit *ex, struct hpc_error **err)
{
	struct hpc_cache *cache = NULL;
	struct hpc_txn *t = NULL;
	struct hpc_txn_plan plan = { 0 };
	char *cmd = NULL;
	int r = hpc_ui_cache_open(s, &cache, err);

	r = r ? r : hpc_ui_txn_open(s, cache, true, c->so.platform, &t, &cmd, err);
	if (!r) {
		add_explicit(t, ex);
		r = hpc_txn_prepare(t, &s->ev, err);
	}
	if (!r) {
		hpc_txn_plan(t, &plan);
		hpc_ui_show_plan(s, &plan, NULL, false, NULL);
		s->out = hpc_ui_plan_json(s->prefix, &plan, NULL);
		json_object_set_new(s->out, "dry_run", json_boolean(c->so.dry_run));
		r = hpc_ui_confirm(s, c->so.dry_run, err);
	}
	if (r == 1)
		r = hpc_txn_commit(t, &s->ev, err);
	if (!r && !c->so.dry_run) {
		json_object_set_new(s->out, "success", json_true());
		hpc_ui_created(s);
	}
	hpc_txn_plan_fini(&plan);
	hpc_txn_free(t);
	free(cmd);
	hpc_cache_free(cache);
	return r;
}

/* Packages are picked for --platform, else `subdir` (CONDA_SUBDIR), else this machine. */
static const char *target_platform(const struct create_ctx *c, struct hpc_session *s,
				   struct hpc_buildinfo *bi)
{
	const char *sub = hpc_config_get_str(s->cfg, "subdir");

	hpc_buildinfo_get(bi);
	return c->so.platform ? c->so.platform : sub && *sub ? sub : bi->platform;
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
	const char *given = c->so.platform;
	int r = hpc_lockfile_parse(&lf, text, len, c->file, &sel, err);

	r = r ? r : check_pypi(c, s, &lf, err);
	if (!r) {
		c->so.platform = sel.platform; /* another platform's packages: no scripts */
		r = create_from(c, s, &lf.pkgs, err);
		c->so.platform = given;
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
	const char *given = c->so.platform;
	int r = hpc_explicit_parse(&ex, text, c->file, err);

	if (r)
		return r;
	if (ex.platform && c->so.platform && strcmp(ex.platform, c->so.platform))
		hpc_warn(&s->ev, "'%s' is for %s, not %s", c->file, ex.platform, c->so.platform);
	if (!c->so.platform && ex.platform && !hpc_ui_native(s, ex.platform))
		c->so.platform = ex.platform; /* a list made for another platform: no scripts */
	r = create_from(c, s, &ex, err);
	c->so.platform = given;
	hpc_explicit_fini(&ex);
	return r;
}

/* Specs: from the command line, or a plain list or environment.yml given with --file. */
static int create_solved(struct create_ctx *c, struct hpc_session *s, const char *text,
			 size_t len, struct hpc_error **err)
{
	struct hpc_envsolve_options o = { .kind = HPC_ENVSOLVE_CREATE };
	struct hpc_strv specs = HPC_STRV_INIT;
	struct hpc_envfile ef;
	int r = 0;

	hpc_envfile_init(&ef);
	if (c->file && (hpc_str_endswith(c->file, ".yml") || hpc_str_endswith(c->file, ".yaml")))
		r = hpc_envfile_parse_yaml(c->file, text, len, &ef, err);
	else if (c->file)
		r = hpc_envfile_parse_plain(c->file, text, len, &ef, err);
	for (size_t i = 0; !r && i < ef.unknown.n; i++)
		hpc_warn(&s->ev, "%s: not read (conda does not read it either)", ef.unknown.v[i]);
	for (int i = 0; i < s->argc; i++)
		hpc_strv_push(&specs, s->argv[i]);
	o.specs = &specs;
	o.file = c->file ? &ef : NULL;
	/* no specs: an empty environment, as conda and micromamba make (and as an exported
	 * empty environment comes back) */
	if (!r)
		r = hpc_ui_solve_apply(s, &c->so, &o, err);
	hpc_strv_fini(&specs);
	hpc_envfile_fini(&ef);
	return r;
}

/* conda's rule: a file with an @EXPLICIT line is an exact list, others hold specs. */
static bool is_explicit(const char *text)
{
	for (const char *l = text; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL)
		if (!strncmp(l, "@EXPLICIT", 9) && strchr("\r\n \t", l[9] ? l[9] : '\n'))
			return true;
	return false;
}

static int create_run(void *ctx, struct hpc_session *s, struct hpc_error **err)
{
	struct create_ctx *c = ctx;
	enum hpc_lockfile_kind kind = HPC_LOCKFILE_NONE;
	char *text = NULL;
	size_t len = 0;
	int r = c->file ? hpc_file_read(c->file, &text, &len, err) : 0;

	if (r)
		return r;
	if (c->file)
		kind = hpc_lockfile_detect(text);
	if (c->env && kind != HPC_LOCKFILE_PIXI)
		r = HPC_FAIL(err, USAGE, "--env picks an environment of a pixi.lock; '%s' is none",
			     c->file ? c->file : "(no --file)");
	else if (c->file && (kind != HPC_LOCKFILE_NONE || is_explicit(text)) && s->argc)
		r = HPC_FAIL(err, USAGE, "'%s' is an exact package list: give no specs with it",
			     c->file);
	else if (kind != HPC_LOCKFILE_NONE)
		r = create_from_lock(c, s, text, len, err);
	else if (c->file && is_explicit(text))
		r = create_from_explicit(c, s, text, err);
	else
		r = create_solved(c, s, text, len, err);
	free(text);
	return r;
}

HPC_DEFINE_COMMAND(create,
	.name = "create", .usage = "[SPEC...] [--file FILE]",
	.summary = "create an environment from specs, an environment.yml, an @EXPLICIT list or a "
		   "lock file",
	.details = "Specs are solved against the channels; exact lists (@EXPLICIT, conda-lock.yml,\n"
		   "pixi.lock) are installed as they are, each package checked against its\n"
		   "sha256/md5; http(s) packages are downloaded into the package cache.",
	.opts = create_opts, .ctx_size = sizeof(struct create_ctx),
	.needs = HPC_NEED_NEW_PREFIX | HPC_NEED_CHANNELS,
	.min_args = 0, .max_args = -1, .run = create_run)
