/* SPDX-License-Identifier: MIT */
/* search.c - hpcenv search: the records of the channels that match a spec (docs/search.md) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"

struct search_ctx {
	const char *platform;
	bool info;
};

static const struct hpc_opt search_opts[] = {
	HPC_OPT_BOOL('i', "info", struct search_ctx, info,
		     "every detail of each record (url, checksums, depends...)"),
	HPC_OPT_STR(0, "platform", struct search_ctx, platform, "SUBDIR",
		    "search this platform subdir besides noarch (default: this machine's)"),
	HPC_OPT_END,
};

static void print_table(const struct hpc_query_pkgs *l)
{
	int w[4] = { 6, 7, 5, 7 };

	for (size_t i = 0; i < l->n; i++) {
		const struct hpc_query_pkg *k = &l->v[i];
		int n[4] = { (int)strlen(k->rec.name), (int)strlen(k->rec.version),
			     (int)strlen(k->rec.build), (int)strlen(k->channel) };

		for (int j = 0; j < 4; j++)
			w[j] = n[j] > w[j] ? n[j] : w[j];
	}
	printf("# %-*s  %-*s  %-*s  %-*s  %s\n", w[0] - 2, "Name", w[1], "Version", w[2],
	       "Build", w[3], "Channel", "Subdir");
	for (size_t i = 0; i < l->n; i++) {
		const struct hpc_query_pkg *k = &l->v[i];

		printf("%-*s  %-*s  %-*s  %-*s  %s\n", w[0], k->rec.name, w[1], k->rec.version,
		       w[2], k->rec.build, w[3], k->channel, k->rec.subdir ? k->rec.subdir : "");
	}
}

static void human_size(char *buf, size_t n, uint64_t v)
{
	static const char *const units[] = { "B", "KB", "MB", "GB", "TB" };
	double d = (double)v;
	int u = 0;

	while (d >= 1024 && u < 4) {
		d /= 1024;
		u++;
	}
	snprintf(buf, n, u ? "%.1f %s" : "%.0f %s", d, units[u]);
}

static void print_list(const char *label, const struct hpc_strv *sv)
{
	printf("%-14s:%s\n", label, sv->n ? "" : " (none)");
	for (size_t i = 0; i < sv->n; i++)
		printf("  - %s\n", sv->v[i]);
}

static void print_info(const struct hpc_query_pkg *k)
{
	const struct hpc_record *r = &k->rec;
	char title[512], size[32], when[64] = "";
	time_t t = (time_t)(r->timestamp / 1000);
	struct tm tm;

	snprintf(title, sizeof(title), "%s %s %s", r->name, r->version, r->build);
	printf("%s\n%.*s\n", title, (int)strlen(title),
	       "------------------------------------------------------------------------"
	       "------------------------------------------------------------------------");
	human_size(size, sizeof(size), r->size);
	if (r->timestamp && gmtime_r(&t, &tm))
		strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S UTC", &tm);
	printf("%-14s: %s\n%-14s: %s\n%-14s: %s\n%-14s: %s\n%-14s: %ld\n", "file name",
	       r->fn ? r->fn : "", "name", r->name, "version", r->version, "build", r->build,
	       "build number", r->build_number);
	printf("%-14s: %s\n%-14s: %s\n%-14s: %s\n%-14s: %s\n", "size", size, "license",
	       r->license ? r->license : "", "channel", k->channel, "subdir",
	       r->subdir ? r->subdir : "");
	printf("%-14s: %s\n%-14s: %s\n%-14s: %s\n%-14s: %s\n", "url", r->url ? r->url : "",
	       "md5", r->md5 ? r->md5 : "", "sha256", r->sha256 ? r->sha256 : "", "timestamp",
	       when);
	if (r->noarch)
		printf("%-14s: %s\n", "noarch", r->noarch);
	print_list("track features", &r->track_features);
	print_list("constraints", &r->constrains);
	print_list("dependencies", &r->depends);
	putchar('\n');
}

/* conda's shape: {"name": [record, ...], ...} */
static json_t *results_json(const struct hpc_query_pkgs *l)
{
	json_t *o = json_object();

	for (size_t i = 0; i < l->n; i++) {
		char *text = hpc_record_to_json(&l->v[i].rec);
		json_t *arr = json_object_get(o, l->v[i].rec.name);

		if (!arr) {
			arr = json_array();
			json_object_set_new(o, l->v[i].rec.name, arr);
		}
		json_array_append_new(arr, json_loads(text, 0, NULL));
		free(text);
	}
	return o;
}

static int no_match(struct hpc_pool *p, const char *spec, struct hpc_error **err)
{
	const struct hpc_channel_list *ch = hpc_pool_channels(p);
	struct hpc_strv names = HPC_STRV_INIT;
	char *list;
	int r;

	for (size_t i = 0; i < ch->n; i++)
		hpc_strv_push_unique(&names, ch->v[i].name);
	list = hpc_strv_join(&names, ", ");
	r = HPC_FAIL(err, NOTFOUND, "no packages match '%s' in channel%s %s (%s and noarch)", spec,
		     names.n == 1 ? "" : "s", list, hpc_pool_platform(p));
	free(list);
	hpc_strv_fini(&names);
	return r;
}

static int search_run(void *vctx, struct hpc_session *s, struct hpc_error **err)
{
	struct search_ctx *c = vctx;
	struct hpc_channel_list channels;
	/* virtual packages are never search results */
	struct hpc_pool_open_opts o = { .platform = c->platform, .channels = &channels,
					.no_virtual = true };
	struct hpc_matchspec *ms = hpc_matchspec_parse(s->argv[0], err);
	struct hpc_query_pkgs l = { 0 };
	struct hpc_pool *p = NULL;
	int r;

	if (!ms)
		return -HPC_E_SPEC;
	r = hpc_query_channels(s->cfg, ms, &s->channels, s->override_channels, true, &channels,
			       err);
	if (!r)
		r = hpc_pool_open(s->cfg, &o, &s->ev, &p, err);
	if (!r)
		r = hpc_query_search(p, ms, HPC_QUERY_CHANNELS,
				     s->json || c->info ? 0 : HPC_QUERY_BRIEF, &l, err);
	if (!r && !l.n)
		r = no_match(p, s->argv[0], err);
	hpc_render_flush(s);
	if (!r && !s->json && c->info)
		for (size_t i = 0; i < l.n; i++)
			print_info(&l.v[i]);
	else if (!r && !s->json)
		print_table(&l);
	if (!r && s->json)
		s->out = results_json(&l);
	hpc_query_pkgs_fini(&l);
	hpc_pool_free(p);
	hpc_channel_list_fini(&channels);
	hpc_matchspec_free(ms);
	return r;
}

HPC_DEFINE_COMMAND(search,
	.name = "search", .usage = "SPEC",
	.summary = "find packages in the channels",
	.details = "Lists the records of the channels (the -c ones, then the configured ones\n"
		   "unless --override-channels; the spec's own channel for 'channel::name')\n"
		   "that match SPEC, a MatchSpec: 'numpy', 'numpy>=1.26', 'numpy 1.26.*\n"
		   "*openblas*', 'pytorch[build=*cpu*]', 'conda-forge::python=3.9', 'lib*'.\n"
		   "Grouped by name, newest first.",
	.opts = search_opts, .ctx_size = sizeof(struct search_ctx), .needs = HPC_NEED_CHANNELS,
	.min_args = 1, .max_args = 1, .run = search_run)
