/* SPDX-License-Identifier: MIT */
/* repodata.c - hpcenv repodata fetch: fetch and index channels' repodata (docs/repodata.md) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

struct fetch_ctx {
	const char *platform;
	bool refresh, no_index;
};

static const struct hpc_opt fetch_opts[] = {
	HPC_OPT_STR(0, "platform", struct fetch_ctx, platform, "SUBDIR",
		    "platform subdir to fetch besides noarch (default: this machine's)"),
	HPC_OPT_BOOL(0, "refresh", struct fetch_ctx, refresh,
		     "ask the servers even when the cache is fresh"),
	HPC_OPT_BOOL(0, "no-index", struct fetch_ctx, no_index,
		     "neither read nor write the .solv index files"),
	HPC_OPT_END,
};

static json_t *subdir_json(const struct hpc_pool_subdir *sd)
{
	json_t *o = json_pack("{s:s,s:s,s:s,s:s,s:b,s:b,s:I,s:f}", "url", sd->url, "channel",
			      sd->channel->name, "subdir", sd->subdir, "source",
			      hpc_subdir_source_name(sd->source), "from_index", sd->from_index,
			      "zst", sd->zst, "records", (json_int_t)sd->records, "seconds",
			      sd->seconds);

	json_object_set_new(o, "cache_file", sd->json_path ? json_string(sd->json_path)
							     : json_null());
	json_object_set_new(o, "index_file", sd->index_path ? json_string(sd->index_path)
							     : json_null());
	return o;
}

static void print_table(const struct hpc_pool *p)
{
	size_t w = 3;

	for (size_t i = 0; i < hpc_pool_nsubdirs(p); i++)
		if (strlen(hpc_pool_subdir_at(p, i)->url) > w)
			w = strlen(hpc_pool_subdir_at(p, i)->url);
	printf("%-*s  %-7s  %-6s  %8s  %s\n", (int)w, "URL", "SOURCE", "INDEX", "RECORDS",
	       "CACHE FILE");
	for (size_t i = 0; i < hpc_pool_nsubdirs(p); i++) {
		const struct hpc_pool_subdir *sd = hpc_pool_subdir_at(p, i);
		bool missing = sd->source == HPC_SOURCE_MISSING;
		char n[32];

		snprintf(n, sizeof(n), "%zu", sd->records);
		printf("%-*s  %-7s  %-6s  %8s  %s\n", (int)w, sd->url,
		       hpc_subdir_source_name(sd->source),
		       missing ? "-" : sd->from_index ? "solv" : "parsed", missing ? "-" : n,
		       sd->json_path ? sd->json_path : "-");
	}
}

static int fetch_run(void *vctx, struct hpc_session *s, struct hpc_error **err)
{
	struct fetch_ctx *c = vctx;
	struct hpc_channel_list channels;
	struct hpc_pool_open_opts o = { .platform = c->platform, .channels = &channels,
					.no_virtual = true };
	struct hpc_pool *p = NULL;
	json_t *arr;
	int r;

	o.flags = (c->refresh ? HPC_POOL_REFRESH : 0) | (c->no_index ? HPC_POOL_NO_INDEX : 0);
	hpc_channel_list_init(&channels);
	r = hpc_channel_list_resolve(&channels, s->cfg, &s->channels, s->override_channels, err);
	/* the same pool as every other command, so the indexes it writes are theirs */
	if (!r)
		r = hpc_pool_open(s->cfg, &o, &s->ev, &p, err);
	hpc_channel_list_fini(&channels);
	if (r)
		return r;
	hpc_render_flush(s);
	if (!s->json)
		print_table(p);
	arr = json_array();
	for (size_t i = 0; i < hpc_pool_nsubdirs(p); i++)
		json_array_append_new(arr, subdir_json(hpc_pool_subdir_at(p, i)));
	s->out = json_pack("{s:b,s:s,s:o}", "success", 1, "platform", hpc_pool_platform(p),
			   "subdirs", arr);
	hpc_pool_free(p);
	return 0;
}

HPC_DEFINE_COMMAND(repodata_fetch,
	.group = "repodata", .name = "fetch",
	.summary = "fetch channels' repodata into the cache and index it",
	.details = "Fetches <platform> and noarch of every channel (the -c ones, then the\n"
		   "configured ones unless --override-channels), through the cache in\n"
		   "<pkgs_dir>/cache, and builds the .solv index a solve loads. Run it while\n"
		   "online to use the channels later with --offline.",
	.opts = fetch_opts, .ctx_size = sizeof(struct fetch_ctx), .needs = HPC_NEED_CHANNELS,
	.min_args = 0, .max_args = 0, .run = fetch_run)
