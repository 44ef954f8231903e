/* SPDX-License-Identifier: MIT */
/* info.c - hpcenv info: platform, versions, directories, configuration (docs/info.md) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static json_t *strv_json(const struct hpc_strv *sv)
{
	json_t *a = json_array();

	for (size_t i = 0; i < sv->n; i++)
		json_array_append_new(a, json_string(sv->v[i]));
	return a;
}

static void print_list(const char *label, json_t *a)
{
	size_t i;
	json_t *v;

	if (!json_array_size(a))
		printf("%20s : (none)\n", label);
	json_array_foreach(a, i, v)
		printf("%20s : %s\n", i ? "" : label, json_string_value(v));
}

static json_t *sources_json(const struct hpc_config *cfg)
{
	json_t *a = json_array();

	for (size_t i = 0; i < hpc_config_nsources(cfg); i++)
		json_array_append_new(a, json_string(hpc_config_source_name(cfg, i)));
	return a;
}

struct info_ctx {
	const char *platform;
};

/* The subdir URLs a pool would fetch for the target platform, as micromamba's info lists
 * them: the -c channels, then the configured ones. A channel that does not resolve is
 * reported, not fatal: info is where one looks to find out why. */
static json_t *channel_urls_json(struct hpc_session *s, const char *target)
{
	struct hpc_channel_list l;
	struct hpc_error *e = NULL;
	json_t *a = json_array();

	hpc_channel_list_init(&l);
	if (hpc_channel_list_resolve(&l, s->cfg, &s->channels, s->override_channels, &e)) {
		if (hpc_error_code(e) != HPC_E_CHANNEL || l.n || s->channels.n ||
		    hpc_config_get_list(s->cfg, "channels")->n)
			hpc_warn(&s->ev, "%s", e->msg);
		hpc_error_free(e);
	}
	for (size_t i = 0; i < l.n; i++) {
		struct hpc_strv subs = HPC_STRV_INIT;

		hpc_channel_subdirs(&l.v[i], target, &subs);
		for (size_t j = 0; j < subs.n; j++) {
			char *url = hpc_channel_subdir_url(&l.v[i], subs.v[j], false);

			json_array_append_new(a, json_string(url));
			free(url);
		}
		hpc_strv_fini(&subs);
	}
	hpc_channel_list_fini(&l);
	return a;
}

/* Virtual packages for the target platform: --platform, else the subdir setting
 * (CONDA_SUBDIR), else this machine's. */
static int virtual_json(const char *subdir, json_t **out, struct hpc_error **err)
{
	struct hpc_virtual_host host;
	struct hpc_vpkgs vp;
	int r;

	hpc_virtual_probe(&host);
	if ((r = hpc_virtual_packages(&host, subdir, NULL, &vp, err)) < 0)
		return r; /* the message names the variable or the platform */
	*out = json_array();
	for (size_t i = 0; i < vp.n; i++)
		json_array_append_new(*out, json_pack("{s:s,s:s,s:s}", "name", vp.v[i].name,
						      "version", vp.v[i].version, "build",
						      vp.v[i].build));
	hpc_vpkgs_fini(&vp);
	return 0;
}

static void print_virtual(json_t *vps)
{
	json_t *strs = json_array(), *v;
	size_t i;

	json_array_foreach(vps, i, v)
		json_array_append_new(strs, json_sprintf("%s=%s=%s",
			json_string_value(json_object_get(v, "name")),
			json_string_value(json_object_get(v, "version")),
			json_string_value(json_object_get(v, "build"))));
	print_list("virtual packages", strs);
	json_decref(strs);
}

static int info_run(void *ctx, struct hpc_session *s, struct hpc_error **err)
{
	struct info_ctx *c = ctx;
	struct hpc_buildinfo bi;
	const char *active = getenv("CONDA_PREFIX");
	const char *target = c->platform ? c->platform : hpc_config_get_str(s->cfg, "subdir");
	json_t *o, *vps;
	int r;

	hpc_buildinfo_get(&bi);
	if (!target)
		target = bi.platform;
	if ((r = virtual_json(target, &vps, err)) < 0)
		return r;
	o = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:o,s:o,s:o,s:o,s:s}",
		      "version", bi.version, "platform", bi.platform,
		      "cpu_baseline", bi.cpu_baseline, "libsolv", bi.libsolv,
		      "libcurl", bi.libcurl, "libarchive", bi.libarchive,
		      "root_prefix", hpc_config_root_prefix(s->cfg),
		      "channel_priority", hpc_config_get_str(s->cfg, "channel_priority"),
		      "channels", strv_json(hpc_config_get_list(s->cfg, "channels")),
		      "pkgs_dirs", strv_json(hpc_config_get_list(s->cfg, "pkgs_dirs")),
		      "envs_dirs", strv_json(hpc_config_get_list(s->cfg, "envs_dirs")),
		      "config_sources", sources_json(s->cfg),
		      "offline", hpc_config_get_bool(s->cfg, "offline") ? "true" : "false");
	json_object_set_new(o, "active_prefix", active ? json_string(active) : json_null());
	json_object_set_new(o, "target_platform", json_string(target));
	json_object_set_new(o, "virtual_packages", vps);
	json_object_set_new(o, "channel_urls", channel_urls_json(s, target));
	if (!s->json) {
		printf("%20s : %s\n", "hpcenv version", bi.version);
		printf("%20s : %s\n", "platform", bi.platform);
		if (strcmp(target, bi.platform))
			printf("%20s : %s\n", "target platform", target);
		print_virtual(vps);
		printf("%20s : %s\n", "cpu baseline", bi.cpu_baseline);
		printf("%20s : libsolv %s, libcurl %s, %s\n", "libraries", bi.libsolv, bi.libcurl,
		       bi.libarchive);
		printf("%20s : %s\n", "active environment", active ? active : "None");
		printf("%20s : %s\n", "root prefix", hpc_config_root_prefix(s->cfg));
		print_list("package cache", json_object_get(o, "pkgs_dirs"));
		print_list("envs directories", json_object_get(o, "envs_dirs"));
		print_list("channels", json_object_get(o, "channels"));
		print_list("channel URLs", json_object_get(o, "channel_urls"));
		printf("%20s : %s\n", "channel priority",
		       hpc_config_get_str(s->cfg, "channel_priority"));
		printf("%20s : %s\n", "offline mode",
		       hpc_config_get_bool(s->cfg, "offline") ? "True" : "False");
		print_list("config sources", json_object_get(o, "config_sources"));
	}
	s->out = o;
	return 0;
}

HPC_DEFINE_COMMAND(info,
	.name = "info",
	.summary = "show platform, versions, directories and configuration",
	.opts = (const struct hpc_opt[]){
		HPC_OPT_STR(0, "platform", struct info_ctx, platform, "SUBDIR",
			    "virtual packages and channel URLs for this platform (e.g. osx-arm64)"),
		HPC_OPT_END },
	.ctx_size = sizeof(struct info_ctx), .needs = HPC_NEED_CHANNELS,
	.min_args = 0, .max_args = 0, .run = info_run)
