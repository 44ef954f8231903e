/* SPDX-License-Identifier: MIT */
/* clean.c - hpcenv clean: free space in the package caches (docs/clean.md) */
#include <stdio.h>
#include <stdlib.h>

#include "txnui.h"

struct clean_ctx {
	bool all, tarballs, index, packages, tempfiles, dry_run;
};

static const struct hpc_opt clean_opts[] = {
	HPC_OPT_BOOL('a', "all", struct clean_ctx, all, "everything below"),
	HPC_OPT_BOOL('t', "tarballs", struct clean_ctx, tarballs, "package archives"),
	HPC_OPT_BOOL('i', "index-cache", struct clean_ctx, index, "cached repodata (pkgs/cache)"),
	HPC_OPT_BOOL('p', "packages", struct clean_ctx, packages,
		     "extracted packages no environment links to"),
	HPC_OPT_BOOL(0, "tempfiles", struct clean_ctx, tempfiles,
		     "leftovers of interrupted extractions"),
	HPC_OPT_BOOL(0, "dry-run", struct clean_ctx, dry_run, "show what would go, remove nothing"),
	HPC_OPT_END,
};

static unsigned selection(const struct clean_ctx *c)
{
	unsigned w = 0;

	if (c->all || c->tarballs)
		w |= HPC_CLEAN_TARBALLS;
	if (c->all || c->index)
		w |= HPC_CLEAN_INDEX;
	if (c->all || c->packages)
		w |= HPC_CLEAN_PACKAGES;
	if (c->all || c->tempfiles)
		w |= HPC_CLEAN_TEMP;
	return w;
}

static json_t *report_json(const struct hpc_clean_report *rep)
{
	json_t *a = json_array();

	for (size_t i = 0; i < rep->n; i++)
		json_array_append_new(a, json_pack("{s:s,s:I}", "path", rep->items[i].path, "bytes",
						   (json_int_t)rep->items[i].bytes));
	return json_pack("{s:o,s:I,s:I}", "removed", a, "bytes", (json_int_t)rep->bytes,
			 "skipped", (json_int_t)rep->skipped);
}

static void show(const struct hpc_session *s, const struct hpc_clean_report *rep)
{
	if (s->json)
		return;
	for (size_t i = 0; i < rep->n; i++)
		printf("  %-60s %10.1f MB\n", rep->items[i].path, (double)rep->items[i].bytes / 1e6);
	printf("\n%zu item%s, %.1f MB\n", rep->n, rep->n == 1 ? "" : "s", (double)rep->bytes / 1e6);
	fflush(stdout);
}

static int clean_run(void *ctx, struct hpc_session *s, struct hpc_error **err)
{
	struct clean_ctx *c = ctx;
	unsigned what = selection(c);
	struct hpc_cache *cache = NULL;
	struct hpc_clean_report rep = { 0 };
	int r;

	if (!what)
		return HPC_FAIL(err, USAGE, "nothing to clean: give --all, --tarballs, "
				"--index-cache, --packages or --tempfiles");
	r = hpc_ui_cache_open(s, &cache, err);
	r = r ? r : hpc_cache_clean(cache, what, true, &s->ev, &rep, err);
	if (!r && !rep.n) {
		if (!s->json)
			printf("Nothing to clean.\n");
	} else if (!r) {
		show(s, &rep);
		r = hpc_ui_confirm(s, c->dry_run, err);
	}
	if (r == 1) {
		hpc_clean_report_fini(&rep);
		r = hpc_cache_clean(cache, what, false, &s->ev, &rep, err);
		if (!r)
			hpc_info(&s->ev, "removed %zu item%s, %.1f MB%s", rep.n, rep.n == 1 ? "" : "s",
				 (double)rep.bytes / 1e6, rep.skipped ? " (some could not be)" : "");
	}
	if (!r || r == 1)
		s->out = report_json(&rep);
	hpc_clean_report_fini(&rep);
	hpc_cache_free(cache);
	return r < 0 ? r : 0;
}

HPC_DEFINE_COMMAND(clean,
	.name = "clean",
	.summary = "remove unused packages, archives and caches from the package caches",
	.details = "Only writable caches are cleaned. An extracted package counts as used while\n"
		   "any of its files has another hard link (an environment links to it).",
	.opts = clean_opts, .ctx_size = sizeof(struct clean_ctx),
	.min_args = 0, .max_args = 0, .run = clean_run)
