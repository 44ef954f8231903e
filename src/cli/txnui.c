/* SPDX-License-Identifier: MIT */
/* txnui.c - cache, transaction options, plan and confirmation for the changing commands */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "txnui.h"

int hpc_ui_cache_open(struct hpc_session *s, struct hpc_cache **out, struct hpc_error **err)
{
	struct hpc_cache_options o = {
		.lock_timeout = hpc_config_get_float(s->cfg, "lock_timeout"),
		.extract_threads = (int)hpc_config_get_int(s->cfg, "extract_threads"),
		.no_verify = !strcmp(hpc_config_get_str(s->cfg, "safety_checks"), "disabled"),
	};

	return hpc_cache_open(hpc_config_get_list(s->cfg, "pkgs_dirs"), &o, &s->ev, out, err);
}

/* This process's command line, as conda writes it into the history. */
static char *command_line(void)
{
	char *text = NULL;
	size_t len = 0;

	if (hpc_file_read("/proc/self/cmdline", &text, &len, NULL))
		return hpc_xstrdup(HPC_PROG);
	for (size_t i = 0; i + 1 < len; i++)
		if (!text[i])
			text[i] = ' ';
	return text;
}

char *hpc_ui_txn_options(struct hpc_session *s, struct hpc_cache *cache,
			 struct hpc_txn_options *o)
{
	char *cmd = command_line();

	memset(o, 0, sizeof(*o));
	o->prefix = s->prefix;
	o->cache = cache;
	o->root_prefix = hpc_config_root_prefix(s->cfg);
	o->always_copy = hpc_config_get_bool(s->cfg, "always_copy");
	o->threads = (int)hpc_config_get_int(s->cfg, "extract_threads");
	o->lock_timeout = hpc_config_get_float(s->cfg, "lock_timeout");
	o->cmd = cmd;
	o->fetch = hpc_pkgfetch_run; /* http(s) packages into the cache, local ones in place */
	o->fetch_ud = s->cfg;
	return cmd;
}

static void print_records(const char *title, const struct hpc_record *const *recs, size_t n)
{
	if (!n)
		return;
	printf("The following %s:\n\n", title);
	for (size_t i = 0; i < n; i++) {
		char *ds = hpc_record_dist_str(recs[i]);

		printf("  %-22s %s\n", recs[i]->name, ds);
		free(ds);
	}
	printf("\n");
}

void hpc_ui_show_plan(struct hpc_session *s, const struct hpc_txn_plan *plan,
		      const struct hpc_strv *specs)
{
	if (s->json)
		return;
	printf("\n## Package Plan ##\n\n  environment location: %s\n\n", s->prefix);
	if (specs && specs->n) {
		printf("  %s specs:\n", plan->nlink ? "added / updated" : "removed");
		for (size_t i = 0; i < specs->n; i++)
			printf("    - %s\n", specs->v[i]);
		printf("\n");
	}
	print_records("NEW packages will be INSTALLED", plan->link, plan->nlink);
	print_records("packages will be REMOVED", plan->unlink, plan->nunlink);
	if (!plan->nlink && !plan->nunlink)
		printf("Nothing to do.\n\n");
	fflush(stdout);
}

static json_t *records_json(const struct hpc_record *const *recs, size_t n)
{
	json_t *a = json_array();

	for (size_t i = 0; i < n; i++) {
		char *ds = hpc_record_dist_str(recs[i]);
		json_t *o = json_pack("{s:s,s:s,s:s,s:I,s:s,s:s}", "name", recs[i]->name,
				      "version", recs[i]->version, "build_string", recs[i]->build,
				      "build_number", (json_int_t)recs[i]->build_number,
				      "platform", recs[i]->subdir ? recs[i]->subdir : "",
				      "dist_name", strstr(ds, "::") + 2);

		json_object_set_new(o, "channel", json_string(recs[i]->channel ? recs[i]->channel
									 : ""));
		json_object_set_new(o, "url", recs[i]->url ? json_string(recs[i]->url)
							  : json_null());
		json_array_append_new(a, o);
		free(ds);
	}
	return a;
}

json_t *hpc_ui_plan_json(const char *prefix, const struct hpc_txn_plan *plan)
{
	return json_pack("{s:s,s:{s:s,s:o,s:o}}", "prefix", prefix, "actions", "PREFIX", prefix,
			 "LINK", records_json(plan->link, plan->nlink), "UNLINK",
			 records_json(plan->unlink, plan->nunlink));
}

int hpc_ui_confirm(struct hpc_session *s, bool dry_run, struct hpc_error **err)
{
	if (dry_run) {
		if (!s->json)
			printf("Dry run: nothing was changed.\n");
		return 0;
	}
	/* --json cannot ask: like conda, it implies --yes */
	if (s->json || hpc_config_get_bool(s->cfg, "always_yes") || hpc_confirm(&s->ev, "Proceed?"))
		return 1;
	return HPC_FAIL(err, TXN, "declined: nothing was changed%s",
			isatty(STDIN_FILENO) ? "" : " (no terminal to ask on: give -y to proceed)");
}

const char *hpc_ui_env_label(const struct hpc_session *s)
{
	return s->env_name ? s->env_name : s->prefix;
}
