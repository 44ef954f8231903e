/* SPDX-License-Identifier: MIT */
/* env.c - hpcenv env list|remove (docs/env.md) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "txnui.h"

/* conda shows environments in envs_dirs by name, the root prefix as "base". */
static char *env_name(const struct hpc_config *cfg, const char *prefix)
{
	const struct hpc_strv *dirs = hpc_config_get_list(cfg, "envs_dirs");

	if (!strcmp(prefix, hpc_config_root_prefix(cfg)))
		return hpc_xstrdup("base");
	for (size_t i = 0; i < dirs->n; i++) {
		size_t n = strlen(dirs->v[i]);

		if (!strncmp(prefix, dirs->v[i], n) && prefix[n] == '/' && !strchr(prefix + n + 1, '/'))
			return hpc_xstrdup(prefix + n + 1);
	}
	return hpc_xstrdup("");
}

static int list_run(void *ctx, struct hpc_session *s, struct hpc_error **err)
{
	struct hpc_strv envs = HPC_STRV_INIT;
	const char *active = getenv("CONDA_PREFIX");
	json_t *arr = json_array();
	int r = hpc_envs_list(s->cfg, &envs, err);

	if (!r && !s->json)
		printf("# " HPC_PROG " environments:\n#\n");
	for (size_t i = 0; !r && i < envs.n; i++) {
		char *name = env_name(s->cfg, envs.v[i]);
		bool on = active && !strcmp(active, envs.v[i]);

		if (!s->json)
			printf("%-25s %c  %s\n", name, on ? '*' : ' ', envs.v[i]);
		json_array_append_new(arr, json_string(envs.v[i]));
		free(name);
	}
	s->out = json_pack("{s:o}", "envs", arr);
	hpc_strv_fini(&envs);
	return r;
}

HPC_DEFINE_COMMAND(env_list,
	.group = "env", .name = "list",
	.summary = "list the environments (envs_dirs, base, ~/.conda/environments.txt)",
	.opts = (const struct hpc_opt[]){ HPC_OPT_END },
	.min_args = 0, .max_args = 0, .run = list_run)

struct remove_ctx {
	bool dry_run;
};

static int remove_run(void *ctx, struct hpc_session *s, struct hpc_error **err)
{
	return hpc_cli_remove_env(s, ((struct remove_ctx *)ctx)->dry_run, err);
}

HPC_DEFINE_COMMAND(env_remove,
	.group = "env", .name = "remove",
	.summary = "remove an environment (like remove --all)",
	.opts = (const struct hpc_opt[]){
		HPC_OPT_BOOL(0, "dry-run", struct remove_ctx, dry_run,
			     "show what would go, change nothing"),
		HPC_OPT_END },
	.ctx_size = sizeof(struct remove_ctx), .needs = HPC_NEED_PREFIX,
	.min_args = 0, .max_args = 0, .run = remove_run)

/* ---- env export ---- */

struct export_ctx {
	bool from_history, no_builds, explicit;
	const char *file;
};

static json_t *strv_json(const struct hpc_strv *v)
{
	json_t *a = json_array();

	for (size_t i = 0; i < v->n; i++)
		json_array_append_new(a, json_string(v->v[i]));
	return a;
}

/* conda names the export after -n, else the environment's name, else its directory. */
static char *export_name(struct hpc_session *s)
{
	char *name = s->env_name ? hpc_xstrdup(s->env_name) : env_name(s->cfg, s->prefix);

	if (!*name) {
		const char *slash = strrchr(s->prefix, '/');

		free(name);
		name = hpc_xstrdup(slash ? slash + 1 : s->prefix);
	}
	return name;
}

static int export_text(struct export_ctx *c, struct hpc_session *s, char **text,
		       struct hpc_error **err)
{
	struct hpc_envexport_options o = { .from_history = c->from_history,
					   .no_builds = c->no_builds };
	struct hpc_envexport x;
	struct hpc_condameta m;
	struct hpc_buildinfo bi;
	struct hpc_strv chans = HPC_STRV_INIT;
	const struct hpc_strv *conf = hpc_config_get_list(s->cfg, "channels");
	char *name = export_name(s);
	int r;

	if (c->explicit) {
		hpc_buildinfo_get(&bi);
		r = hpc_condameta_load(s->prefix, &m, err);
		*text = r ? NULL : hpc_envexport_explicit(&m, bi.platform, HPC_EXPLICIT_BEST);
		if (!r)
			hpc_condameta_fini(&m);
		free(name);
		return r;
	}
	o.name = name;
	o.channels = &chans; /* -c first, then configuration's unless --override-channels */
	hpc_strv_copy(&chans, &s->channels);
	for (size_t i = 0; !s->override_channels && i < conf->n; i++)
		hpc_strv_push_unique(&chans, conf->v[i]);
	r = hpc_envexport_read(&x, s->prefix, &o, err);
	hpc_strv_fini(&chans);
	if (!r) {
		*text = hpc_envexport_yaml(&x);
		s->out = json_pack("{s:s,s:o,s:o,s:s}", "name", x.name, "channels",
				   strv_json(&x.channels), "dependencies",
				   strv_json(&x.dependencies), "prefix", x.prefix);
		hpc_envexport_fini(&x);
	}
	free(name);
	return r;
}

static int export_run(void *ctx, struct hpc_session *s, struct hpc_error **err)
{
	struct export_ctx *c = ctx;
	char *text = NULL;
	int r;

	if (c->explicit && (c->from_history || c->no_builds || s->json))
		return HPC_FAIL(err, USAGE, "--explicit lists the exact packages: it goes with "
				"neither --from-history, --no-builds nor --json");
	r = export_text(c, s, &text, err);
	if (!r && c->file)
		r = hpc_file_write_atomic(c->file, text, strlen(text), 0644, err);
	else if (!r && !s->json)
		fputs(text, stdout);
	free(text);
	return r;
}

HPC_DEFINE_COMMAND(env_export,
	.group = "env", .name = "export",
	.summary = "describe an environment as environment.yml (or an @EXPLICIT list)",
	.opts = (const struct hpc_opt[]){
		HPC_OPT_BOOL(0, "from-history", struct export_ctx, from_history,
			     "the specs asked for (conda-meta/history), not every package"),
		HPC_OPT_BOOL(0, "no-builds", struct export_ctx, no_builds,
			     "name=version, without build strings"),
		HPC_OPT_BOOL(0, "explicit", struct export_ctx, explicit,
			     "an @EXPLICIT list of package URLs with checksums (create --file "
			     "takes it and installs exactly these)"),
		HPC_OPT_STR('f', "file", struct export_ctx, file, "FILE",
			    "write to FILE instead of standard output"),
		HPC_OPT_END },
	.ctx_size = sizeof(struct export_ctx), .needs = HPC_NEED_PREFIX | HPC_NEED_CHANNELS,
	.min_args = 0, .max_args = 0, .run = export_run)
