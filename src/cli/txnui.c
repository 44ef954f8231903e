/* SPDX-License-Identifier: MIT */
/* txnui.c - cache, transaction options, plan and confirmation for the changing commands */
#include <fcntl.h>
#include <stdint.h>
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

/* "12.3 MB" as micromamba prints sizes (powers of 1000). */
static void size_str(char *buf, size_t n, uint64_t bytes)
{
	static const char *const units[] = { "B", "kB", "MB", "GB", "TB" };
	double v = (double)bytes;
	int u = 0;

	while (v >= 1000 && u < 4) {
		v /= 1000;
		u++;
	}
	snprintf(buf, n, u ? "%.1f %s" : "%.0f %s", v, units[u]);
}

/* What happens to each package: a name both unlinked and linked is an upgrade, a
 * downgrade or a change of build; the others are installed or removed. */
struct row {
	const struct hpc_record *from, *to;
	enum hpc_ui_change_kind kind;
};

static enum hpc_ui_change_kind change_kind(const struct hpc_record *from,
					   const struct hpc_record *to)
{
	bool ok = false;
	int c;

	if (!from)
		return HPC_UI_INSTALL;
	if (!to)
		return HPC_UI_REMOVE;
	c = hpc_version_cmp_str(to->version, from->version, &ok);
	if (ok && c > 0)
		return HPC_UI_UPGRADE;
	if (ok && c < 0)
		return HPC_UI_DOWNGRADE;
	if (!strcmp(from->build, to->build))
		return HPC_UI_REINSTALL;
	return HPC_UI_CHANGE;
}

static struct row *plan_rows(const struct hpc_txn_plan *plan, size_t *n)
{
	struct row *rows = hpc_xcalloc(plan->nlink + plan->nunlink + 1, sizeof(*rows));
	size_t k = 0;

	for (size_t i = 0; i < plan->nlink; i++)
		rows[k++].to = plan->link[i];
	for (size_t i = 0; i < plan->nunlink; i++) {
		size_t j;

		for (j = 0; j < k && (rows[j].from || strcmp(rows[j].to->name,
							      plan->unlink[i]->name)); j++)
			;
		rows[j == k ? k++ : j].from = plan->unlink[i];
	}
	for (size_t i = 0; i < k; i++)
		rows[i].kind = change_kind(rows[i].from, rows[i].to);
	*n = k;
	return rows;
}

static const char *const kind_titles[] = { "Install", "Remove", "Upgrade", "Downgrade",
					   "Change", "Reinstall" };

static bool cached(struct hpc_cache *cache, const struct hpc_record *r)
{
	char *dir = cache ? hpc_cache_find(cache, r) : NULL;

	free(dir);
	return dir != NULL;
}

static void print_row(char sign, const struct hpc_record *r, struct hpc_cache *cache,
		      uint64_t *download)
{
	char *ch = hpc_channel_short(r->channel ? r->channel : "");
	size_t n = strlen(ch), k = r->subdir ? strlen(r->subdir) : 0;
	char size[32] = "";

	/* conda-meta records of some installers keep the subdir in "channel" */
	if (k && n > k + 1 && ch[n - k - 1] == '/' && !strcmp(ch + n - k, r->subdir))
		ch[n - k - 1] = '\0';

	if (sign == '+' && cached(cache, r))
		snprintf(size, sizeof(size), "Cached");
	else if (sign == '+' && r->size) {
		size_str(size, sizeof(size), r->size);
		*download += r->size;
	}
	printf("  %c %-26s %14s  %-20s %-18s %9s\n", sign, r->name, r->version, r->build, ch, size);
	free(ch);
}

static uint64_t print_table(const struct row *rows, size_t n, struct hpc_cache *cache,
			    size_t *count)
{
	static const char line[] = "  ──────────────────────────────────────────────────────"
				   "──────────────────────────────────────────\n";
	uint64_t download = 0;

	printf("  %-28s %14s  %-20s %-18s %9s\n", "Package", "Version", "Build", "Channel", "Size");
	fputs(line, stdout);
	for (int k = 0; k <= HPC_UI_REINSTALL; k++) {
		bool title = false;

		for (size_t i = 0; i < n; i++) {
			if ((int)rows[i].kind != k)
				continue;
			if (!title)
				printf("%s  %s:\n\n", k ? "\n" : "", kind_titles[k]);
			title = true;
			count[k]++;
			if (rows[i].from)
				print_row('-', rows[i].from, cache, &download);
			if (rows[i].to)
				print_row('+', rows[i].to, cache, &download);
		}
	}
	return download;
}

void hpc_ui_show_plan(struct hpc_session *s, const struct hpc_txn_plan *plan,
		      const struct hpc_strv *specs, bool removing, struct hpc_cache *cache)
{
	size_t n, count[HPC_UI_REINSTALL + 1] = { 0 };
	struct row *rows;
	uint64_t download;
	char size[32];

	if (s->json)
		return;
	hpc_render_flush(s);
	printf("\n  Transaction\n\n  Prefix: %s\n\n", s->prefix);
	if (specs && specs->n) {
		printf("  %s specs:\n", removing ? "Removing" : "Updating");
		for (size_t i = 0; i < specs->n; i++)
			printf("    - %s\n", specs->v[i]);
		printf("\n");
	}
	if (!plan->nlink && !plan->nunlink) {
		printf("  %s\n\n", strcmp(s->cmd->name, "create") ? "Nothing to do: the "
		       "environment already satisfies the request." :
		       "No packages: an empty environment.");
		fflush(stdout);
		return;
	}
	rows = plan_rows(plan, &n);
	download = print_table(rows, n, cache, count);
	printf("\n  Summary:\n\n");
	for (int k = 0; k <= HPC_UI_REINSTALL; k++)
		if (count[k])
			printf("  %s: %zu package%s\n", kind_titles[k], count[k],
			       count[k] == 1 ? "" : "s");
	size_str(size, sizeof(size), download);
	if (plan->nlink)
		printf("\n  Total download: %s\n", size);
	printf("\n");
	fflush(stdout);
	free(rows);
}

/* A record as conda's --json shows it (conda's PackageRecord dump). */
static json_t *record_json(const struct hpc_record *r)
{
	char *ds = hpc_record_dist_str(r), *dist = strstr(ds, "::");
	json_t *o = json_pack("{s:s,s:s,s:s,s:s,s:I}", "name", r->name, "version", r->version,
			      "build", r->build, "build_string", r->build, "build_number",
			      (json_int_t)r->build_number);

	json_object_set_new(o, "channel", json_string(r->channel ? r->channel : ""));
	json_object_set_new(o, "subdir", json_string(r->subdir ? r->subdir : ""));
	json_object_set_new(o, "platform", json_string(r->subdir ? r->subdir : ""));
	json_object_set_new(o, "dist_name", json_string(dist ? dist + 2 : ds));
	json_object_set_new(o, "fn", r->fn ? json_string(r->fn) : json_null());
	json_object_set_new(o, "url", r->url ? json_string(r->url) : json_null());
	if (r->sha256)
		json_object_set_new(o, "sha256", json_string(r->sha256));
	if (r->md5)
		json_object_set_new(o, "md5", json_string(r->md5));
	json_object_set_new(o, "size", json_integer((json_int_t)r->size));
	if (r->noarch)
		json_object_set_new(o, "noarch", json_string(r->noarch));
	free(ds);
	return o;
}

static json_t *records_json(const struct hpc_record *const *recs, size_t n,
			    struct hpc_cache *fetch_cache, bool fetch)
{
	json_t *a = json_array();

	for (size_t i = 0; i < n; i++)
		if (!fetch || !cached(fetch_cache, recs[i]))
			json_array_append_new(a, record_json(recs[i]));
	return a;
}

json_t *hpc_ui_plan_json(const char *prefix, const struct hpc_txn_plan *plan,
			 struct hpc_cache *cache)
{
	/* success: true here; a failure later replaces the document or sets it false */
	return json_pack("{s:b,s:s,s:{s:s,s:o,s:o,s:o}}", "success", 1, "prefix", prefix,
			 "actions", "PREFIX",
			 prefix, "LINK", records_json(plan->link, plan->nlink, NULL, false),
			 "UNLINK", records_json(plan->unlink, plan->nunlink, NULL, false),
			 "FETCH", records_json(plan->link, plan->nlink, cache, true));
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

bool hpc_ui_native(struct hpc_session *s, const char *platform)
{
	struct hpc_buildinfo bi;
	const char *sub = hpc_config_get_str(s->cfg, "subdir");

	hpc_buildinfo_get(&bi);
	platform = platform ? platform : sub && *sub ? sub : NULL;
	return !platform || !strcmp(platform, bi.platform) || !strcmp(platform, "noarch");
}

int hpc_ui_txn_open(struct hpc_session *s, struct hpc_cache *cache, bool create,
		    const char *platform, struct hpc_txn **t, char **cmd, struct hpc_error **err)
{
	struct hpc_txn_options o;

	*cmd = hpc_ui_txn_options(s, cache, &o);
	o.create = create;
	o.no_scripts = !hpc_ui_native(s, platform);
	if (create && s->env_name) { /* a new directory in an envs directory: ext4 spreads it */
		char *dir = hpc_xstrndup(s->prefix, (size_t)(strrchr(s->prefix, '/') - s->prefix));

		if (!hpc_mkdir_p(dir, 0777, NULL))
			hpc_envs_dir_spread(dir);
		free(dir);
	}
	return hpc_txn_open(&o, &s->ev, t, err);
}

void hpc_ui_created(struct hpc_session *s)
{
	hpc_envs_register(s->prefix, NULL); /* conda's registry, best effort */
	if (s->json)
		return;
	hpc_info(&s->ev, "To activate this environment:  " HPC_PROG " activate %s",
		 hpc_ui_env_label(s));
	hpc_info(&s->ev, "(after eval \"$(" HPC_PROG " shell hook)\"), or run commands in it "
		 "with: " HPC_PROG " run %s%s COMMAND", s->env_name ? "-n " : "-p ",
		 hpc_ui_env_label(s));
}
