/* SPDX-License-Identifier: MIT */
/* problems.c - the tree that explains an unsolvable request: nodes, text, JSON
 * (see hpcenv/problems.h; explain.c builds it from libsolv's problem rules) */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "hpcenv/error.h"
#include "hpcenv/problems.h"

static const char *const kind_names[] = {
	[HPC_PN_REQUEST] = "request",       [HPC_PN_PIN] = "pin",
	[HPC_PN_INSTALLED] = "installed",   [HPC_PN_PACKAGES] = "packages",
	[HPC_PN_DEPENDENCY] = "dependency", [HPC_PN_MISSING] = "missing",
	[HPC_PN_VIRTUAL] = "virtual",       [HPC_PN_CONFLICT] = "conflict",
	[HPC_PN_SEE_ABOVE] = "see_above",
};

static const char *const conflict_names[] = {
	[HPC_CONFLICT_SAME_NAME] = "same_name", [HPC_CONFLICT_CONSTRAINS] = "constrains",
	[HPC_CONFLICT_CONFLICTS] = "conflicts", [HPC_CONFLICT_STRICT] = "strict_priority",
	[HPC_CONFLICT_PINNED] = "pinned",       [HPC_CONFLICT_LOCKED] = "locked",
	[HPC_CONFLICT_OTHER] = "other",
};

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

const char *hpc_pnode_kind_name(enum hpc_pnode_kind kind)
{
	return (unsigned)kind < NELEM(kind_names) ? kind_names[kind] : "unknown";
}

const char *hpc_conflict_name(enum hpc_conflict reason)
{
	return (unsigned)reason < NELEM(conflict_names) ? conflict_names[reason] : "other";
}

struct hpc_pnode *hpc_pnode_new(enum hpc_pnode_kind kind)
{
	struct hpc_pnode *n = hpc_xcalloc(1, sizeof(*n));

	n->kind = kind;
	n->reason = HPC_CONFLICT_OTHER;
	return n;
}

void hpc_pnode_free(struct hpc_pnode *n)
{
	if (!n)
		return;
	for (size_t i = 0; i < n->nkids; i++)
		hpc_pnode_free(n->kids[i]);
	free(n->kids);
	free(n->name);
	free(n->spec);
	free(n->origin);
	hpc_strv_fini(&n->specs);
	hpc_strv_fini(&n->versions);
	hpc_strv_fini(&n->build_strings);
	hpc_strv_fini(&n->channels);
	hpc_strv_fini(&n->needed_by);
	free(n->available);
	free(n->system);
	free(n->override);
	free(n->with);
	free(n->text);
	free(n);
}

void hpc_pnode_add(struct hpc_pnode *parent, struct hpc_pnode *kid)
{
	parent->kids = hpc_xrealloc(parent->kids, (parent->nkids + 1) * sizeof(*parent->kids));
	parent->kids[parent->nkids++] = kid;
}

void hpc_problems_free(struct hpc_problems *pb)
{
	if (!pb)
		return;
	for (size_t i = 0; i < pb->n; i++) {
		struct hpc_problem *p = &pb->v[i];

		free(p->summary);
		for (size_t j = 0; j < p->nroots; j++)
			hpc_pnode_free(p->roots[j]);
		free(p->roots);
		hpc_strv_fini(&p->relax);
	}
	free(pb->v);
	free(pb);
}

char *hpc_versions_range(const struct hpc_strv *versions)
{
	if (!versions->n)
		return hpc_xstrdup("");
	if (versions->n == 1)
		return hpc_xstrdup(versions->v[0]);
	return hpc_xasprintf("%s - %s", versions->v[0], versions->v[versions->n - 1]);
}

char *hpc_channel_short(const char *url)
{
	static const char *const prefixes[] = { "https://conda.anaconda.org/",
						"http://conda.anaconda.org/",
						"https://repo.anaconda.com/" };

	for (size_t i = 0; i < NELEM(prefixes); i++)
		if (hpc_str_startswith(url, prefixes[i]) && url[strlen(prefixes[i])])
			return hpc_xstrdup(url + strlen(prefixes[i]));
	return hpc_xstrdup(url);
}

/* ---- text ---- */

static void add_channels(struct hpc_strbuf *sb, const struct hpc_strv *channels)
{
	for (size_t i = 0; i < channels->n; i++) {
		char *s = hpc_channel_short(channels->v[i]);

		hpc_strbuf_addf(sb, "%s%s", i ? ", " : "", s);
		free(s);
	}
}

static void add_packages(struct hpc_strbuf *sb, const struct hpc_pnode *n)
{
	char *range = hpc_versions_range(&n->versions);

	hpc_strbuf_addf(sb, "%s %s", n->name, range);
	free(range);
	if (n->versions.n == 1 && n->build_strings.n == 1)
		hpc_strbuf_addf(sb, " %s", n->build_strings.v[0]);
	if (n->kind == HPC_PN_SEE_ABOVE)
		return;
	if (n->nbuilds > 1)
		hpc_strbuf_addf(sb, " (%zu builds%s", n->nbuilds, n->channels.n ? ", " : "");
	else if (n->channels.n)
		hpc_strbuf_adds(sb, " (");
	add_channels(sb, &n->channels);
	if (n->nbuilds > 1 || n->channels.n)
		hpc_strbuf_addc(sb, ')');
}

/* "66 builds (1.7.0 – 2.1.0) require" when only some of the parent's packages do. */
static void add_needed_by(struct hpc_strbuf *sb, const struct hpc_pnode *n, const char *verb)
{
	char *range;

	if (!n->needed_by_builds) {
		if (verb)
			hpc_strbuf_addf(sb, "%ss ", verb);
		return;
	}
	range = hpc_versions_range(&n->needed_by);
	hpc_strbuf_addf(sb, "%zu build%s (%s)%s%s%s ", n->needed_by_builds,
			n->needed_by_builds == 1 ? "" : "s", range, verb ? " " : ":",
			verb ? verb : "", verb && n->needed_by_builds == 1 ? "s" : "");
	free(range);
}

/* A leaf saying why a dependency has no candidate (appended after "requires SPEC"). */
static void add_leaf(struct hpc_strbuf *sb, const struct hpc_pnode *n)
{
	if (n->kind == HPC_PN_VIRTUAL) {
		if (n->system)
			hpc_strbuf_addf(sb, "but this system has %s %s", n->name, n->system);
		else
			hpc_strbuf_addf(sb, "but this system has no %s", n->name);
		if (n->text && n->override)
			hpc_strbuf_addf(sb, " (%s; override with %s)", n->text, n->override);
		else if (n->text || n->override)
			hpc_strbuf_addf(sb, " (%s%s)", n->override ? "override with " : "",
					n->override ? n->override : n->text);
		return;
	}
	if (n->available)
		hpc_strbuf_addf(sb, "but none matches: the channels have %s", n->available);
	else
		hpc_strbuf_adds(sb, "which is not available in any configured channel");
}

/* The channels a problem searched (the first missing leaf has them), for its last line. */
static const struct hpc_strv *searched(const struct hpc_pnode *n)
{
	const struct hpc_strv *r = NULL;

	if (n->kind == HPC_PN_MISSING && !n->available)
		return &n->channels;
	for (size_t i = 0; i < n->nkids && !r; i++)
		r = searched(n->kids[i]);
	return r;
}

/* "a | b | c | (+3 more)" */
static void add_specs(struct hpc_strbuf *sb, const struct hpc_strv *specs)
{
	size_t shown = specs->n > 4 ? 3 : specs->n;

	for (size_t i = 0; i < shown; i++)
		hpc_strbuf_addf(sb, "%s%s", i ? " | " : "", specs->v[i]);
	if (shown < specs->n)
		hpc_strbuf_addf(sb, " | (%zu more)", specs->n - shown);
}

static bool is_leaf(const struct hpc_pnode *n)
{
	return n->kind == HPC_PN_MISSING || n->kind == HPC_PN_VIRTUAL;
}

/* The line of a node; a dependency with a single leaf absorbs it (returns true). */
static bool node_line(struct hpc_strbuf *sb, const struct hpc_pnode *n)
{
	switch (n->kind) {
	case HPC_PN_REQUEST:
	case HPC_PN_PIN:
		hpc_strbuf_addf(sb, "%s%s (%s)", n->kind == HPC_PN_PIN ? "pin " : "", n->spec,
				n->origin ? n->origin : "requested");
		if (n->text)
			hpc_strbuf_addf(sb, ": %s", n->text);
		return false;
	case HPC_PN_INSTALLED:
		hpc_strbuf_adds(sb, "installed ");
		add_packages(sb, n);
		return false;
	case HPC_PN_PACKAGES:
		add_packages(sb, n);
		return false;
	case HPC_PN_SEE_ABOVE:
		add_packages(sb, n);
		hpc_strbuf_adds(sb, ", explained above");
		return false;
	case HPC_PN_DEPENDENCY:
		add_needed_by(sb, n, "require");
		add_specs(sb, &n->specs);
		if (n->nkids == 1 && is_leaf(n->kids[0])) {
			hpc_strbuf_adds(sb, ", ");
			add_leaf(sb, n->kids[0]);
			return true;
		}
		return false;
	case HPC_PN_MISSING:
	case HPC_PN_VIRTUAL:
		add_specs(sb, &n->specs);
		hpc_strbuf_adds(sb, ", ");
		add_leaf(sb, n);
		return false;
	case HPC_PN_CONFLICT:
		add_needed_by(sb, n, NULL);
		hpc_strbuf_adds(sb, n->text ? n->text : hpc_conflict_name(n->reason));
		return false;
	}
	return false;
}

struct draw {
	struct hpc_strbuf *out;
	const char *tee, *last, *bar, *gap;
};

static void render_node(struct draw *d, const struct hpc_pnode *n, struct hpc_strbuf *indent,
			bool last, bool top)
{
	size_t mark = indent->len;
	bool folded;

	hpc_strbuf_add(d->out, indent->buf ? indent->buf : "", indent->len);
	if (!top)
		hpc_strbuf_adds(d->out, last ? d->last : d->tee);
	folded = node_line(d->out, n);
	hpc_strbuf_addc(d->out, '\n');
	if (!top)
		hpc_strbuf_adds(indent, last ? d->gap : d->bar);
	if (!folded)
		for (size_t i = 0; i < n->nkids; i++)
			render_node(d, n->kids[i], indent, i + 1 == n->nkids, false);
	indent->len = mark;
	if (indent->buf)
		indent->buf[mark] = '\0';
}

char *hpc_problems_render_text(const struct hpc_problems *pb, unsigned flags)
{
	struct hpc_strbuf out = HPC_STRBUF_INIT, indent = HPC_STRBUF_INIT;
	bool ascii = flags & HPC_RENDER_ASCII;
	struct draw d = { &out, ascii ? "|- " : "├─ ", ascii ? "`- " : "└─ ",
			  ascii ? "|  " : "│  ", "   " };

	for (size_t i = 0; i < pb->n; i++) {
		const struct hpc_problem *p = &pb->v[i];

		if (pb->n > 1)
			hpc_strbuf_addf(&out, "%sproblem %zu of %zu: %s\n", i ? "\n" : "", i + 1,
					pb->n, p->summary);
		else
			hpc_strbuf_addf(&out, "problem: %s\n", p->summary);
		const struct hpc_strv *ch = NULL;

		for (size_t j = 0; j < p->nroots; j++) {
			render_node(&d, p->roots[j], &indent, true, true);
			if (!ch)
				ch = searched(p->roots[j]);
		}
		if (ch) {
			hpc_strbuf_adds(&out, "channels searched: ");
			add_channels(&out, ch);
			hpc_strbuf_addc(&out, '\n');
		}
		if (p->relax.n) {
			char *r = hpc_strv_join(&p->relax, ", ");

			hpc_strbuf_addf(&out, "%s: %s\n", p->relax.n > 1 ? "relax one of" : "relax",
					r);
			free(r);
		}
	}
	hpc_strbuf_release(&indent);
	return hpc_strbuf_detach(&out);
}

/* ---- JSON ---- */

static void set_str(json_t *o, const char *key, const char *v)
{
	if (v)
		json_object_set_new(o, key, json_string(v));
}

static void set_strv(json_t *o, const char *key, const struct hpc_strv *sv)
{
	json_t *a;

	if (!sv->n)
		return;
	a = json_array();
	for (size_t i = 0; i < sv->n; i++)
		json_array_append_new(a, json_string(sv->v[i]));
	json_object_set_new(o, key, a);
}

static json_t *node_to_json(const struct hpc_pnode *n)
{
	json_t *o = json_object(), *kids;

	json_object_set_new(o, "kind", json_string(hpc_pnode_kind_name(n->kind)));
	set_str(o, "name", n->name);
	set_str(o, "spec", n->spec);
	set_str(o, "origin", n->origin);
	set_strv(o, "specs", &n->specs);
	set_strv(o, "versions", &n->versions);
	set_strv(o, "build_strings", &n->build_strings);
	if (n->nbuilds)
		json_object_set_new(o, "builds", json_integer((json_int_t)n->nbuilds));
	set_strv(o, "channels", &n->channels);
	set_strv(o, "needed_by", &n->needed_by);
	if (n->needed_by_builds)
		json_object_set_new(o, "needed_by_builds",
				    json_integer((json_int_t)n->needed_by_builds));
	set_str(o, "available", n->available);
	set_str(o, "system", n->system);
	set_str(o, "override", n->override);
	if (n->kind == HPC_PN_CONFLICT)
		json_object_set_new(o, "reason", json_string(hpc_conflict_name(n->reason)));
	set_str(o, "with", n->with);
	set_str(o, "text", n->text);
	if (n->nkids) {
		kids = json_array();
		for (size_t i = 0; i < n->nkids; i++)
			json_array_append_new(kids, node_to_json(n->kids[i]));
		json_object_set_new(o, "children", kids);
	}
	return o;
}

json_t *hpc_problems_to_json(const struct hpc_problems *pb)
{
	json_t *list = json_array(), *root = json_object();

	for (size_t i = 0; i < pb->n; i++) {
		const struct hpc_problem *p = &pb->v[i];
		json_t *o = json_object(), *tree = json_array();

		json_object_set_new(o, "summary", json_string(p->summary));
		set_strv(o, "relax", &p->relax);
		for (size_t j = 0; j < p->nroots; j++)
			json_array_append_new(tree, node_to_json(p->roots[j]));
		json_object_set_new(o, "tree", tree);
		json_array_append_new(list, o);
	}
	json_object_set_new(root, "problems", list);
	return root;
}

static int get_str(json_t *o, const char *key, char **out, struct hpc_error **err)
{
	json_t *v = json_object_get(o, key);

	if (!v)
		return 0;
	if (!json_is_string(v))
		return HPC_FAIL(err, PARSE, "problems JSON: '%s' is not a string", key);
	*out = hpc_xstrdup(json_string_value(v));
	return 0;
}

static int get_strv(json_t *o, const char *key, struct hpc_strv *out, struct hpc_error **err)
{
	json_t *v = json_object_get(o, key), *item;
	size_t i;

	if (!v)
		return 0;
	if (!json_is_array(v))
		return HPC_FAIL(err, PARSE, "problems JSON: '%s' is not a list", key);
	json_array_foreach(v, i, item) {
		if (!json_is_string(item))
			return HPC_FAIL(err, PARSE, "problems JSON: '%s' holds a non-string", key);
		hpc_strv_push(out, json_string_value(item));
	}
	return 0;
}

static int lookup(const char *const *names, size_t n, const char *s)
{
	for (size_t i = 0; s && i < n; i++)
		if (names[i] && !strcmp(names[i], s))
			return (int)i;
	return -1;
}

static int node_from_json(json_t *o, struct hpc_pnode **out, int depth, struct hpc_error **err);

static int node_fields(json_t *o, struct hpc_pnode *n, int depth, struct hpc_error **err)
{
	json_t *kids = json_object_get(o, "children"), *kid;
	int reason = lookup(conflict_names, NELEM(conflict_names),
			    json_string_value(json_object_get(o, "reason")));
	int r = 0;
	size_t i;

	n->nbuilds = (size_t)json_integer_value(json_object_get(o, "builds"));
	n->needed_by_builds = (size_t)json_integer_value(json_object_get(o, "needed_by_builds"));
	n->reason = reason < 0 ? HPC_CONFLICT_OTHER : (enum hpc_conflict)reason;
	if ((r = get_str(o, "name", &n->name, err)) || (r = get_str(o, "spec", &n->spec, err)) ||
	    (r = get_str(o, "origin", &n->origin, err)) ||
	    (r = get_strv(o, "specs", &n->specs, err)) ||
	    (r = get_strv(o, "versions", &n->versions, err)) ||
	    (r = get_strv(o, "build_strings", &n->build_strings, err)) ||
	    (r = get_strv(o, "channels", &n->channels, err)) ||
	    (r = get_strv(o, "needed_by", &n->needed_by, err)) ||
	    (r = get_str(o, "available", &n->available, err)) ||
	    (r = get_str(o, "system", &n->system, err)) ||
	    (r = get_str(o, "override", &n->override, err)) ||
	    (r = get_str(o, "with", &n->with, err)) || (r = get_str(o, "text", &n->text, err)))
		return r;
	if (kids && !json_is_array(kids))
		return HPC_FAIL(err, PARSE, "problems JSON: 'children' is not a list");
	json_array_foreach(kids, i, kid) {
		struct hpc_pnode *k = NULL;

		if ((r = node_from_json(kid, &k, depth + 1, err)) < 0)
			return r;
		hpc_pnode_add(n, k);
	}
	return 0;
}

static int node_from_json(json_t *o, struct hpc_pnode **out, int depth, struct hpc_error **err)
{
	int kind = lookup(kind_names, NELEM(kind_names),
			  json_string_value(json_object_get(o, "kind")));
	struct hpc_pnode *n;
	int r;

	if (!json_is_object(o) || kind < 0)
		return HPC_FAIL(err, PARSE, "problems JSON: a node without a known 'kind'");
	if (depth > 1000)
		return HPC_FAIL(err, PARSE, "problems JSON: nested too deeply");
	n = hpc_pnode_new((enum hpc_pnode_kind)kind);
	if ((r = node_fields(o, n, depth, err)) < 0) {
		hpc_pnode_free(n);
		return r;
	}
	*out = n;
	return 0;
}

static int problem_from_json(json_t *o, struct hpc_problem *p, struct hpc_error **err)
{
	json_t *tree = json_object_get(o, "tree"), *item;
	size_t i;
	int r;

	if (!json_is_object(o) || !json_is_string(json_object_get(o, "summary")) ||
	    !json_is_array(tree))
		return HPC_FAIL(err, PARSE, "problems JSON: a problem needs 'summary' and 'tree'");
	p->summary = hpc_xstrdup(json_string_value(json_object_get(o, "summary")));
	if ((r = get_strv(o, "relax", &p->relax, err)) < 0)
		return r;
	p->roots = hpc_xcalloc(json_array_size(tree) + 1, sizeof(*p->roots));
	json_array_foreach(tree, i, item) {
		if ((r = node_from_json(item, &p->roots[p->nroots], 0, err)) < 0)
			return r;
		p->nroots++;
	}
	return 0;
}

int hpc_problems_from_json(json_t *json, struct hpc_problems **out, struct hpc_error **err)
{
	json_t *list = json_object_get(json, "problems"), *item;
	struct hpc_problems *pb;
	size_t i;
	int r = 0;

	*out = NULL;
	if (!json_is_array(list))
		return HPC_FAIL(err, PARSE, "problems JSON: no 'problems' list");
	pb = hpc_xcalloc(1, sizeof(*pb));
	pb->v = hpc_xcalloc(json_array_size(list) + 1, sizeof(*pb->v));
	json_array_foreach(list, i, item) {
		pb->n++;
		if ((r = problem_from_json(item, &pb->v[i], err)) < 0)
			break;
	}
	if (r < 0) {
		hpc_problems_free(pb);
		return r;
	}
	*out = pb;
	return 0;
}
