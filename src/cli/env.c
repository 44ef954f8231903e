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
