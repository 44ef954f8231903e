/* SPDX-License-Identifier: MIT */
/* repoquery.c - hpcenv repoquery depends|whoneeds: dependency questions without a solve,
 * in the channels or an environment (docs/repoquery.md) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

struct rq_ctx {
	const char *platform, *name, *path;
	bool tree, recursive;
};

static const struct hpc_opt rq_opts[] = {
	HPC_OPT_BOOL('t', "tree", struct rq_ctx, tree, "show the answer as a tree (recursive)"),
	HPC_OPT_BOOL(0, "recursive", struct rq_ctx, recursive,
		     "follow dependencies (dependents) all the way"),
	HPC_OPT_STR('n', "name", struct rq_ctx, name, "NAME",
		    "ask within this environment instead of the channels"),
	HPC_OPT_STR('p', "prefix", struct rq_ctx, path, "PATH",
		    "ask within the environment at PATH instead of the channels"),
	HPC_OPT_STR(0, "platform", struct rq_ctx, platform, "SUBDIR",
		    "the channels' platform subdir besides noarch (default: this machine's)"),
	HPC_OPT_END,
};

struct rq {
	struct hpc_session *s;
	const struct rq_ctx *c;
	bool reverse;
	const char *spec;
	char *prefix; /* the environment asked, or NULL for the channels */
	struct hpc_pool *pool;
	struct hpc_query_graph g;
};

static const char *const mark_names[] = { "first", "seen", "cycle", "missing" };

/* ---- text ---- */

static void print_node(const struct rq *q, const struct hpc_query_node *n, const char *indent,
		       bool last, bool root)
{
	const struct hpc_query_pkg *k = n->pkg >= 0 ? &q->g.pkgs.v[n->pkg] : NULL;
	char *sub;

	printf("%s%s", indent, root ? "" : last ? "└─ " : "├─ ");
	if (k)
		printf("%s %s %s", k->rec.name, k->rec.version, k->rec.build);
	if (n->mark == HPC_QUERY_SEEN)
		printf(" (already shown)");
	else if (n->mark == HPC_QUERY_CYCLE)
		printf(" (cycle)");
	else if (n->mark == HPC_QUERY_MISSING)
		printf("%s (nothing provides it)", n->dep);
	putchar('\n');
	sub = hpc_xasprintf("%s%s", indent, root ? "" : last ? "   " : "│  ");
	for (size_t i = 0; i < n->nkids; i++)
		print_node(q, &n->kids[i], sub, i + 1 == n->nkids, false);
	free(sub);
}

/* One line per package (whoneeds: the roots left out); missing requirements after. */
static void print_table(const struct rq *q)
{
	int w[4] = { 6, 7, 5, 7 }, shown = 0;
	const struct hpc_query_node *root = &q->g.roots[0];

	for (size_t i = 0; i < q->g.pkgs.n; i++) {
		const struct hpc_query_pkg *k = &q->g.pkgs.v[i];
		int n[4] = { (int)strlen(k->rec.name), (int)strlen(k->rec.version),
			     (int)strlen(k->rec.build), (int)strlen(k->channel) };

		if (q->reverse && !k->depth)
			continue;
		for (int j = 0; j < 4; j++)
			w[j] = n[j] > w[j] ? n[j] : w[j];
		shown++;
	}
	if (!shown) {
		printf("nothing in %s needs '%s'\n", q->prefix ? q->prefix : "the channels",
		       q->spec);
		return;
	}
	printf("# %-*s  %-*s  %-*s  %-*s  %-8s  %s\n", w[0] - 2, "Name", w[1], "Version", w[2],
	       "Build", w[3], "Channel", "Subdir", q->reverse ? "Depends" : "Required as");
	for (size_t i = 0; i < q->g.pkgs.n; i++) {
		const struct hpc_query_pkg *k = &q->g.pkgs.v[i];

		if (!q->reverse || k->depth)
			printf("%-*s  %-*s  %-*s  %-*s  %-8s  %s\n", w[0], k->rec.name, w[1],
			       k->rec.version, w[2], k->rec.build, w[3], k->channel,
			       k->rec.subdir ? k->rec.subdir : "", k->via ? k->via : "(requested)");
	}
	for (size_t i = 0; !q->reverse && i < root->nkids; i++)
		if (root->kids[i].mark == HPC_QUERY_MISSING)
			printf("nothing provides '%s'\n", root->kids[i].dep);
}

/* ---- JSON ---- */

static json_t *record_json(const struct hpc_record *r)
{
	char *text = hpc_record_to_json(r);
	json_t *o = json_loads(text, 0, NULL);

	free(text);
	return o;
}

static json_t *node_json(const struct rq *q, const struct hpc_query_node *n)
{
	const struct hpc_query_pkg *k = n->pkg >= 0 ? &q->g.pkgs.v[n->pkg] : NULL;
	json_t *o = json_pack("{s:s}", "mark", mark_names[n->mark]), *kids = json_array();

	json_object_set_new(o, "dependency", n->dep ? json_string(n->dep) : json_null());
	if (k) {
		json_object_set_new(o, "name", json_string(k->rec.name));
		json_object_set_new(o, "version", json_string(k->rec.version));
		json_object_set_new(o, "build", json_string(k->rec.build));
		json_object_set_new(o, "channel",
				    json_string(k->rec.channel ? k->rec.channel : ""));
		json_object_set_new(o, "subdir", json_string(k->rec.subdir ? k->rec.subdir : ""));
	}
	for (size_t i = 0; i < n->nkids; i++)
		json_array_append_new(kids, node_json(q, &n->kids[i]));
	json_object_set_new(o, "children", kids);
	return o;
}

/* micromamba's shape (query, result.pkgs, result.graph_roots) plus the tree. */
static json_t *answer_json(const struct rq *q)
{
	json_t *pkgs = json_array(), *roots = json_array(), *tree = json_array();

	for (size_t i = 0; i < q->g.pkgs.n; i++)
		json_array_append_new(pkgs, record_json(&q->g.pkgs.v[i].rec));
	for (size_t i = 0; i < q->g.nroots; i++) {
		json_array_append_new(roots, record_json(&q->g.pkgs.v[q->g.roots[i].pkg].rec));
		json_array_append_new(tree, node_json(q, &q->g.roots[i]));
	}
	return json_pack("{s:b,s:{s:s,s:s,s:s?},s:{s:o,s:o,s:o}}", "success", 1, "query",
			 "query", q->spec, "type", q->reverse ? "whoneeds" : "depends",
			 "prefix", q->prefix, "result", "pkgs", pkgs, "graph_roots", roots,
			 "tree", tree);
}

/* ---- running ---- */

static int no_match(const struct rq *q, struct hpc_error **err)
{
	const struct hpc_channel_list *ch = hpc_pool_channels(q->pool);
	struct hpc_strv names = HPC_STRV_INIT;
	char *list;
	int r;

	if (q->prefix)
		return HPC_FAIL(err, NOTFOUND, "no package in the environment '%s' matches '%s'",
				q->prefix, q->spec);
	for (size_t i = 0; i < ch->n; i++)
		hpc_strv_push_unique(&names, ch->v[i].name);
	list = hpc_strv_join(&names, ", ");
	r = HPC_FAIL(err, NOTFOUND, "no packages match '%s' in channel%s %s (%s and noarch)",
		     q->spec, names.n == 1 ? "" : "s", list, hpc_pool_platform(q->pool));
	free(list);
	hpc_strv_fini(&names);
	return r;
}

static int open_pool(struct rq *q, const struct hpc_matchspec *ms, struct hpc_error **err)
{
	struct hpc_session *s = q->s;
	struct hpc_channel_list channels;
	struct hpc_pool_open_opts o = { .platform = q->c->platform, .channels = &channels };
	int r;

	hpc_channel_list_init(&channels);
	if (q->c->name || q->c->path) {
		if (s->channels.n)
			return HPC_FAIL(err, USAGE, "ask either the channels (-c) or an "
					"environment (-n/-p), not both");
		r = hpc_prefix_resolve(s->cfg, q->c->name, q->c->path, HPC_PREFIX_EXISTING,
				       &q->prefix, err);
		o.prefix = q->prefix;
	} else {
		r = hpc_query_channels(s->cfg, ms, &s->channels, s->override_channels, false,
				       &channels, err);
	}
	if (!r)
		r = hpc_pool_open(s->cfg, &o, &s->ev, &q->pool, err);
	hpc_channel_list_fini(&channels);
	return r;
}

static int query_run(void *ctx, struct hpc_session *s, bool reverse, struct hpc_error **err)
{
	struct rq q = { .s = s, .c = ctx, .reverse = reverse, .spec = s->argv[0] };
	struct hpc_matchspec *ms = hpc_matchspec_parse(q.spec, err);
	enum hpc_query_scope scope;
	unsigned flags = q.c->tree || q.c->recursive ? HPC_QUERY_RECURSIVE : 0;
	int r;

	if (!ms)
		return -HPC_E_SPEC;
	r = open_pool(&q, ms, err);
	scope = q.prefix ? HPC_QUERY_INSTALLED : HPC_QUERY_CHANNELS;
	/* following every version of every dependent is most of a channel */
	if (flags && scope == HPC_QUERY_CHANNELS)
		flags |= HPC_QUERY_NEWEST;
	if (!s->json) /* a table or a tree: no need to read the full records */
		flags |= HPC_QUERY_BRIEF;
	if (!r)
		r = (reverse ? hpc_query_whoneeds : hpc_query_depends)(q.pool, ms, scope, flags,
								       &q.g, err);
	if (!r && !q.g.nroots)
		r = no_match(&q, err);
	hpc_render_flush(s);
	for (size_t i = 0; !r && !s->json && q.c->tree && i < q.g.nroots; i++)
		print_node(&q, &q.g.roots[i], "", true, true);
	if (!r && !s->json && !q.c->tree)
		print_table(&q);
	if (!r && s->json)
		s->out = answer_json(&q);
	hpc_query_graph_fini(&q.g);
	hpc_pool_free(q.pool);
	hpc_matchspec_free(ms);
	free(q.prefix);
	return r;
}

static int depends_run(void *ctx, struct hpc_session *s, struct hpc_error **err)
{
	return query_run(ctx, s, false, err);
}

static int whoneeds_run(void *ctx, struct hpc_session *s, struct hpc_error **err)
{
	return query_run(ctx, s, true, err);
}

HPC_DEFINE_COMMAND(repoquery_depends,
	.group = "repoquery", .name = "depends", .usage = "SPEC",
	.summary = "what a package depends on (no solve)",
	.details = "Takes the best record matching SPEC in the channels (or, with -n/-p, in\n"
		   "that environment) and resolves each of its requirements to the best record\n"
		   "providing it; --recursive and --tree follow them all the way.",
	.opts = rq_opts, .ctx_size = sizeof(struct rq_ctx), .needs = HPC_NEED_CHANNELS,
	.min_args = 1, .max_args = 1, .run = depends_run)

HPC_DEFINE_COMMAND(repoquery_whoneeds,
	.group = "repoquery", .name = "whoneeds", .usage = "SPEC",
	.summary = "which packages depend on a package (no solve)",
	.details = "Lists the records of the channels (or, with -n/-p, of that environment)\n"
		   "with a requirement that a record matching SPEC provides; --recursive and\n"
		   "--tree also list who needs those.",
	.opts = rq_opts, .ctx_size = sizeof(struct rq_ctx), .needs = HPC_NEED_CHANNELS,
	.min_args = 1, .max_args = 1, .run = whoneeds_run)
