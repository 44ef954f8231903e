/* SPDX-License-Identifier: MIT */
/* list.c - hpcenv list: the packages of an environment (docs/list.md) */
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

struct list_ctx {
	bool explicit, md5, sha256;
};

static const struct hpc_opt list_opts[] = {
	HPC_OPT_BOOL(0, "explicit", struct list_ctx, explicit,
		     "an @EXPLICIT list of package URLs (hpcenv create --file takes it)"),
	HPC_OPT_BOOL(0, "md5", struct list_ctx, md5, "with --explicit: add #md5 to each URL"),
	HPC_OPT_BOOL(0, "sha256", struct list_ctx, sha256,
		     "with --explicit: add #sha256:... to each URL"),
	HPC_OPT_END,
};

/* conda list --json: conda's dist_fields_dump for each record. */
static json_t *record_json(const struct hpc_record *r)
{
	char *ch = r->channel ? hpc_channel_canonical(r->channel) : hpc_xstrdup("");
	char *ds = hpc_record_dist_str(r);
	json_t *o = json_pack("{s:s,s:I,s:s,s:s,s:s,s:s,s:s,s:s}", "base_url",
			      r->channel ? r->channel : "", "build_number",
			      (json_int_t)r->build_number, "build_string", r->build, "channel", ch,
			      "dist_name", strstr(ds, "::") + 2, "name", r->name, "platform",
			      r->subdir ? r->subdir : "", "version", r->version);

	free(ds);
	free(ch);
	return o;
}

static void print_explicit(const struct list_ctx *c, const struct hpc_condameta *m)
{
	struct hpc_buildinfo bi;
	char *text;

	hpc_buildinfo_get(&bi);
	text = hpc_envexport_explicit(m, bi.platform, c->md5      ? HPC_EXPLICIT_MD5
						      : c->sha256 ? HPC_EXPLICIT_SHA256
								  : HPC_EXPLICIT_NO_HASH);
	fputs(text, stdout);
	free(text);
}

/* conda's columns: name, version, build, channel, each widened to its longest value. */
static void print_table(const struct hpc_session *s, const struct hpc_condameta *m,
			const bool *shown)
{
	int w[3] = { 23, 15, 15 };
	char **ch = hpc_xcalloc(m->n + 1, sizeof(*ch));

	for (size_t i = 0; i < m->n; i++) {
		const struct hpc_record *r = &m->recs[i].rec;

		ch[i] = r->channel ? hpc_channel_canonical(r->channel) : hpc_xstrdup("");
		w[0] = shown[i] && (int)strlen(r->name) > w[0] ? (int)strlen(r->name) : w[0];
		w[1] = shown[i] && (int)strlen(r->version) > w[1] ? (int)strlen(r->version) : w[1];
		w[2] = shown[i] && (int)strlen(r->build) > w[2] ? (int)strlen(r->build) : w[2];
	}
	printf("# packages in environment at %s:\n#\n# %-*s  %-*s  %-*s  %s\n", s->prefix, w[0],
	       "Name", w[1], "Version", w[2], "Build", "Channel");
	for (size_t i = 0; i < m->n; i++) {
		const struct hpc_record *r = &m->recs[i].rec;

		if (shown[i])
			printf("%-*s  %-*s  %-*s  %s\n", w[0] + 2, r->name, w[1], r->version, w[2],
			       r->build, ch[i]);
		free(ch[i]);
	}
	free(ch);
}

/* Which records match the optional REGEX (searched in names, case-insensitively). */
static int select_records(const struct hpc_session *s, const struct hpc_condameta *m,
			  bool *shown, struct hpc_error **err)
{
	regex_t re;

	if (!s->argc) {
		for (size_t i = 0; i < m->n; i++)
			shown[i] = true;
		return 0;
	}
	if (regcomp(&re, s->argv[0], REG_EXTENDED | REG_ICASE | REG_NOSUB))
		return HPC_FAIL(err, USAGE, "'%s' is not a valid regular expression", s->argv[0]);
	for (size_t i = 0; i < m->n; i++)
		shown[i] = regexec(&re, m->recs[i].rec.name, 0, NULL, 0) == 0;
	regfree(&re);
	return 0;
}

static int list_run(void *ctx, struct hpc_session *s, struct hpc_error **err)
{
	struct list_ctx *c = ctx;
	struct hpc_condameta m;
	bool *shown;
	int r = hpc_txn_recover(s->prefix, hpc_config_get_float(s->cfg, "lock_timeout"), &s->ev,
				err);

	if (c->md5 && c->sha256)
		return HPC_FAIL(err, USAGE, "give --md5 or --sha256, not both");
	r = r ? r : hpc_condameta_load(s->prefix, &m, err);
	if (r)
		return r;
	shown = hpc_xcalloc(m.n + 1, sizeof(*shown));
	r = select_records(s, &m, shown, err);
	if (!r && s->json) {
		s->out = json_array();
		for (size_t i = 0; i < m.n; i++)
			if (shown[i])
				json_array_append_new(s->out, record_json(&m.recs[i].rec));
	} else if (!r && c->explicit) {
		print_explicit(c, &m);
	} else if (!r) {
		print_table(s, &m, shown);
	}
	free(shown);
	hpc_condameta_fini(&m);
	return r;
}

HPC_DEFINE_COMMAND(list,
	.name = "list", .usage = "[REGEX]",
	.summary = "list the packages installed in an environment",
	.opts = list_opts, .ctx_size = sizeof(struct list_ctx),
	.needs = HPC_NEED_PREFIX,
	.min_args = 0, .max_args = 1, .run = list_run)
