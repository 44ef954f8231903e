/* SPDX-License-Identifier: MIT */
/* lockfile.c - read conda-lock.yml and pixi.lock (see lockfile.h)
 *
 * The whole file is loaded as a libyaml document (a pixi.lock of 2 MB is ~100k nodes) and
 * walked; nothing but the picked environment becomes records.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include <yaml.h>

#include "hpcenv/channel.h"
#include "hpcenv/error.h"
#include "hpcenv/lockfile.h"
#include "strmap.h"

struct ly {
	yaml_document_t doc;
	const char *where;
	char *dir;          /* the file's directory: relative package paths start there */
};

/* ---- YAML helpers ---- */

static yaml_node_t *nd(struct ly *y, int id)
{
	return yaml_document_get_node(&y->doc, id);
}

static bool is_map(const yaml_node_t *n)
{
	return n && n->type == YAML_MAPPING_NODE;
}

static bool is_seq(const yaml_node_t *n)
{
	return n && n->type == YAML_SEQUENCE_NODE;
}

static int line_of(const yaml_node_t *n)
{
	return n ? (int)n->start_mark.line + 1 : 0;
}

/* A scalar's text; NULL for other nodes and YAML's plain nulls. */
static const char *str(const yaml_node_t *n)
{
	const char *v;

	if (!n || n->type != YAML_SCALAR_NODE)
		return NULL;
	v = (const char *)n->data.scalar.value;
	if (n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE &&
	    (!*v || !strcmp(v, "~") || !strcmp(v, "null")))
		return NULL;
	return v;
}

static yaml_node_t *get(struct ly *y, const yaml_node_t *map, const char *key)
{
	if (!is_map(map))
		return NULL;
	for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top;
	     p++) {
		const char *k = str(nd(y, p->key));

		if (k && !strcmp(k, key))
			return nd(y, p->value);
	}
	return NULL;
}

static const char *get_str(struct ly *y, const yaml_node_t *map, const char *key)
{
	return str(get(y, map, key));
}

#define SEQ_EACH(seq, it) \
	for (yaml_node_item_t *it = (seq)->data.sequence.items.start; \
	     it < (seq)->data.sequence.items.top; it++)

/* A sequence of scalars (or one comma-separated scalar, as old track_features). */
static void get_strv(struct ly *y, const yaml_node_t *map, const char *key, struct hpc_strv *out)
{
	yaml_node_t *n = get(y, map, key);

	if (str(n))
		hpc_strv_split(out, str(n), ", ");
	if (!is_seq(n))
		return;
	SEQ_EACH(n, it)
		if (str(nd(y, *it)))
			hpc_strv_push(out, str(nd(y, *it)));
}

/* [{url: ...}, ...] (both formats list channels so) */
static void channel_urls(struct ly *y, const yaml_node_t *seq, struct hpc_strv *out)
{
	if (!is_seq(seq))
		return;
	SEQ_EACH(seq, it)
		if (get_str(y, nd(y, *it), "url"))
			hpc_strv_push(out, get_str(y, nd(y, *it), "url"));
}

static int load_doc(struct ly *y, const char *text, size_t len, struct hpc_error **err)
{
	yaml_parser_t parser;
	int r = 0;

	yaml_parser_initialize(&parser);
	yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
	if (!yaml_parser_load(&parser, &y->doc)) {
		const yaml_mark_t *m = parser.problem ? &parser.problem_mark : &parser.context_mark;

		r = HPC_FAIL(err, PARSE, "%s:%zu:%zu: %s", y->where, m->line + 1, m->column + 1,
			     parser.problem ? parser.problem : "invalid YAML");
		memset(&y->doc, 0, sizeof(y->doc));
	} else if (!is_map(yaml_document_get_root_node(&y->doc))) {
		yaml_document_delete(&y->doc);
		memset(&y->doc, 0, sizeof(y->doc));
		r = HPC_FAIL(err, PARSE, "%s: not a lock file (no mapping at the top)", y->where);
	}
	yaml_parser_delete(&parser);
	return r;
}

/* ---- records ---- */

static void set_str(char **dst, const char *v)
{
	if (v) {
		free(*dst);
		*dst = hpc_xstrdup(v);
	}
}

/* pixi leaves build_number out when the build string ends in it (rattler's rule: the
 * digits after the last non-digit, or the whole string); else 0. */
static long build_number_of(const char *build)
{
	const char *p = build + strlen(build);

	while (p > build && isdigit((unsigned char)p[-1]))
		p--;
	return *p ? strtol(p, NULL, 10) : 0;
}

/* A new entry for the package at url (a URL, an absolute path or one relative to the
 * lock file), named at node n of the file. */
static int entry_add(struct hpc_lockfile *lf, struct ly *y, const char *url, const yaml_node_t *n,
		     struct hpc_explicit_entry **out, struct hpc_error **err)
{
	struct hpc_explicit *ex = &lf->pkgs;
	struct hpc_explicit_entry *e;
	struct hpc_error *inner = NULL;
	char *full;
	int r;

	if (strstr(url, "://"))
		full = hpc_xstrdup(url);
	else if (url[0] == '/')
		full = hpc_path_to_file_url(url);
	else
		full = hpc_path_join(y->dir, url);
	if (!strstr(full, "://")) { /* relative to the lock file */
		char *abs = hpc_path_to_file_url(full);

		free(full);
		full = abs;
	}

	ex->entries = hpc_xrealloc(ex->entries, (ex->n + 1) * sizeof(*ex->entries));
	e = &ex->entries[ex->n];
	memset(e, 0, sizeof(*e));
	r = hpc_record_from_url(&e->rec, full, &inner);
	if (r) {
		r = HPC_FAIL(err, UNSUPPORTED, "%s:%d: %s (a source package, which needs building, "
			     "or no package at all)", y->where, line_of(n), inner->msg);
		hpc_error_free(inner);
		hpc_record_fini(&e->rec);
		free(full);
		return r;
	}
	e->path = hpc_url_local_path(full);
	e->line = line_of(n); /* build_number 0: filled from the package's index.json */
	ex->n++;
	*out = e;
	free(full);
	return 0;
}

/* ---- conda-lock.yml ---- */

/* {name: spec} as repodata's "name spec" ("*" is conda-lock's way to say: any) */
static void condalock_depends(struct ly *y, const yaml_node_t *deps, struct hpc_strv *out)
{
	if (!is_map(deps))
		return;
	for (yaml_node_pair_t *p = deps->data.mapping.pairs.start; p < deps->data.mapping.pairs.top;
	     p++) {
		const char *name = str(nd(y, p->key)), *spec = str(nd(y, p->value));

		if (!name)
			continue;
		if (spec && *spec && strcmp(spec, "*"))
			hpc_strv_pushf(out, "%s %s", name, spec);
		else
			hpc_strv_push(out, name);
	}
}

static int condalock_package(struct hpc_lockfile *lf, struct ly *y, const yaml_node_t *p,
			     const struct hpc_lockfile_select *sel, struct hpc_error **err)
{
	const char *mgr = get_str(y, p, "manager"), *plat = get_str(y, p, "platform");
	const char *cat = get_str(y, p, "category"), *url = get_str(y, p, "url");
	const char *name = get_str(y, p, "name"), *version = get_str(y, p, "version");
	const yaml_node_t *hash = get(y, p, "hash");
	struct hpc_explicit_entry *e;
	bool pip = mgr && !strcmp(mgr, "pip");
	int r;

	if (!name || !url || !plat || !mgr)
		return HPC_FAIL(err, PARSE, "%s:%d: a package needs name, manager, platform and "
				"url", y->where, line_of(p));
	*(pip ? &lf->npypi_total : &lf->nconda_total) += 1;
	if (strcmp(plat, sel->platform) || strcmp(cat ? cat : "main",
						  sel->category ? sel->category : "main"))
		return 0;
	if (pip) {
		hpc_strv_pushf(&lf->pypi, version ? "%s==%s" : "%s (%s)", name,
			       version ? version : url);
		return 0;
	}
	if (strcmp(mgr, "conda"))
		return HPC_FAIL(err, UNSUPPORTED, "%s:%d: package '%s' comes from manager '%s' "
				"(only conda and pip are known)", y->where, line_of(p), name, mgr);
	r = entry_add(lf, y, url, p, &e, err);
	if (r)
		return r;
	set_str(&e->rec.name, name);
	set_str(&e->rec.version, version);
	set_str(&e->rec.md5, get_str(y, hash, "md5"));
	set_str(&e->rec.sha256, get_str(y, hash, "sha256"));
	condalock_depends(y, get(y, p, "dependencies"), &e->rec.depends);
	return 0;
}

static int condalock_parse(struct hpc_lockfile *lf, struct ly *y, const yaml_node_t *root,
			   const struct hpc_lockfile_select *sel, struct hpc_error **err)
{
	const yaml_node_t *meta = get(y, root, "metadata"), *pkgs = get(y, root, "package");
	int r = 0;

	lf->kind = HPC_LOCKFILE_CONDA_LOCK;
	if (lf->version != 1)
		return HPC_FAIL(err, UNSUPPORTED, "%s: conda-lock format version %d is not "
				"supported (version 1 is)", y->where, lf->version);
	if (!is_seq(pkgs))
		return HPC_FAIL(err, PARSE, "%s:%d: 'package' is not a list", y->where,
				line_of(get(y, root, "package")));
	get_strv(y, meta, "platforms", &lf->platforms);
	channel_urls(y, get(y, meta, "channels"), &lf->channels);
	SEQ_EACH(pkgs, it)
		if ((r = condalock_package(lf, y, nd(y, *it), sel, err)))
			return r;
	if (!hpc_strv_contains(&lf->platforms, sel->platform) && !lf->pkgs.n && !lf->pypi.n) {
		char *have = hpc_strv_join(&lf->platforms, ", ");

		r = HPC_FAIL(err, NOTFOUND, "%s has no packages for platform '%s' (it has: %s)",
			     y->where, sel->platform, have);
		free(have);
	}
	return r;
}

/* ---- pixi.lock ---- */

static uint64_t get_u64(struct ly *y, const yaml_node_t *map, const char *key)
{
	const char *v = get_str(y, map, key);

	return v ? strtoull(v, NULL, 10) : 0;
}

/* What a pixi package entry says beyond its URL (which said name, version, build...). */
static void pixi_fill(struct ly *y, const yaml_node_t *p, struct hpc_record *r)
{
	const char *ch = get_str(y, p, "channel");

	set_str(&r->name, get_str(y, p, "name"));
	set_str(&r->version, get_str(y, p, "version"));
	set_str(&r->build, get_str(y, p, "build"));
	r->build_number = get_str(y, p, "build_number") ? (long)get_u64(y, p, "build_number")
							: build_number_of(r->build);
	set_str(&r->subdir, get_str(y, p, "subdir"));
	set_str(&r->noarch, get_str(y, p, "noarch"));
	set_str(&r->sha256, get_str(y, p, "sha256"));
	set_str(&r->md5, get_str(y, p, "md5"));
	set_str(&r->license, get_str(y, p, "license"));
	set_str(&r->python_site_packages_path, get_str(y, p, "python_site_packages_path"));
	set_str(&r->fn, get_str(y, p, "file_name"));
	if (ch) {
		set_str(&r->channel, ch);
		if (hpc_str_endswith(r->channel, "/"))
			r->channel[strlen(r->channel) - 1] = '\0';
	}
	r->size = get_u64(y, p, "size");
	r->timestamp = get_u64(y, p, "timestamp");
	get_strv(y, p, "depends", &r->depends);
	get_strv(y, p, "constrains", &r->constrains);
	get_strv(y, p, "track_features", &r->track_features);
}

/* The packages list, by URL; every entry counted. */
static int pixi_index(struct hpc_lockfile *lf, struct ly *y, const yaml_node_t *pkgs,
		      struct hpc_strmap *conda, struct hpc_strmap *pypi, struct hpc_error **err)
{
	if (!is_seq(pkgs))
		return HPC_FAIL(err, PARSE, "%s:%d: 'packages' is not a list", y->where,
				line_of(pkgs));
	SEQ_EACH(pkgs, it) {
		yaml_node_t *p = nd(y, *it);
		const char *c = get_str(y, p, "conda"), *q = get_str(y, p, "pypi");
		struct hpc_strmap *m = c ? conda : q ? pypi : NULL;
		bool added;
		void **slot;

		if (!m)
			continue; /* conda_source and kinds to come: only an error if picked */
		*(c ? &lf->nconda_total : &lf->npypi_total) += 1;
		slot = hpc_strmap_put(m, c ? c : q, &added);
		if (added)
			*slot = p;
	}
	return 0;
}

/* One `- conda: URL` / `- pypi: URL` of the picked environment. */
static int pixi_select(struct hpc_lockfile *lf, struct ly *y, const yaml_node_t *s,
		       struct hpc_strmap *conda, struct hpc_strmap *pypi, struct hpc_error **err)
{
	const char *c = get_str(y, s, "conda"), *q = get_str(y, s, "pypi");
	void **slot = c ? hpc_strmap_get(conda, c) : q ? hpc_strmap_get(pypi, q) : NULL;
	struct hpc_explicit_entry *e;
	const char *name, *version, *src = get_str(y, s, "conda_source");
	int r;

	if (!c && !q)
		return HPC_FAIL(err, UNSUPPORTED, "%s:%d: a source package (%s), which needs "
				"building: hpcenv installs built packages only", y->where,
				line_of(s), src ? src : "?");
	if (!slot)
		return HPC_FAIL(err, PARSE, "%s:%d: '%s' is not among the file's packages",
				y->where, line_of(s), c ? c : q);
	if (q) {
		name = get_str(y, *slot, "name");
		version = get_str(y, *slot, "version");
		hpc_strv_pushf(&lf->pypi, version ? "%s==%s" : "%s (%s)", name ? name : q,
			       version ? version : q);
		return 0;
	}
	r = entry_add(lf, y, c, s, &e, err);
	if (!r)
		pixi_fill(y, *slot, &e->rec);
	return r;
}

static void map_keys(struct ly *y, const yaml_node_t *map, struct hpc_strv *out)
{
	if (!is_map(map))
		return;
	for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top;
	     p++)
		if (str(nd(y, p->key)))
			hpc_strv_push(out, str(nd(y, p->key)));
}

static int not_found(struct ly *y, const struct hpc_strv *have, struct hpc_error **err,
		     const char *fmt, const char *a, const char *b)
{
	char *list = hpc_strv_join(have, ", "), *what = hpc_xasprintf(fmt, a, b);
	int r = HPC_FAIL(err, NOTFOUND, "%s: %s (there %s: %s)", y->where, what,
			 have->n == 1 ? "is" : "are", have->n ? list : "none");

	free(what);
	free(list);
	return r;
}

static int pixi_pick(struct hpc_lockfile *lf, struct ly *y, const yaml_node_t *envs,
		     const struct hpc_lockfile_select *sel, struct hpc_strmap *conda,
		     struct hpc_strmap *pypi, struct hpc_error **err)
{
	const char *name = sel->env ? sel->env : "default";
	const yaml_node_t *env = get(y, envs, name), *plats, *list;
	int r = 0;

	map_keys(y, envs, &lf->environments);
	if (!env)
		return not_found(y, &lf->environments, err, "no environment '%s'%s", name, "");
	for (size_t i = 0; i < lf->environments.n; i++)
		if (!strcmp(lf->environments.v[i], name))
			lf->env = lf->environments.v[i];
	channel_urls(y, get(y, env, "channels"), &lf->channels);
	plats = get(y, env, "packages");
	map_keys(y, plats, &lf->platforms);
	list = get(y, plats, sel->platform);
	if (!is_seq(list))
		return not_found(y, &lf->platforms, err, "environment '%s' is not locked for "
				 "platform '%s'", name, sel->platform);
	SEQ_EACH(list, it)
		if ((r = pixi_select(lf, y, nd(y, *it), conda, pypi, err)))
			break;
	return r;
}

static int pixi_parse(struct hpc_lockfile *lf, struct ly *y, const yaml_node_t *root,
		      const struct hpc_lockfile_select *sel, struct hpc_error **err)
{
	struct hpc_strmap conda = HPC_STRMAP_INIT, pypi = HPC_STRMAP_INIT;
	const yaml_node_t *envs = get(y, root, "environments");
	int r;

	lf->kind = HPC_LOCKFILE_PIXI;
	if (lf->version != 6 && lf->version != 7)
		return HPC_FAIL(err, UNSUPPORTED, "%s: pixi lock file version %d is not supported "
				"(versions 6 and 7 are)", y->where, lf->version);
	if (!is_map(envs))
		return HPC_FAIL(err, PARSE, "%s:%d: 'environments' is not a mapping", y->where,
				line_of(envs));
	r = pixi_index(lf, y, get(y, root, "packages"), &conda, &pypi, err);
	r = r ? r : pixi_pick(lf, y, envs, sel, &conda, &pypi, err);
	hpc_strmap_fini(&conda, NULL);
	hpc_strmap_fini(&pypi, NULL);
	return r;
}

/* ---- the public face ---- */

enum hpc_lockfile_kind hpc_lockfile_detect(const char *text)
{
	bool version = false, envs = false, packages = false, package = false, meta = false;

	for (const char *l = text; l && *l;) {
		size_t n = strcspn(l, ":\n");
		const char *nl = strchr(l, '\n');

#define KEY(k) (n == sizeof(k) - 1 && !strncmp(l, k, n))
		if (l[n] == ':' && isalpha((unsigned char)l[0])) {
			version |= KEY("version");
			envs |= KEY("environments");
			packages |= KEY("packages");
			package |= KEY("package");
			meta |= KEY("metadata");
		}
#undef KEY
		l = nl ? nl + 1 : NULL;
	}
	if (version && envs && packages)
		return HPC_LOCKFILE_PIXI;
	return version && package && meta ? HPC_LOCKFILE_CONDA_LOCK : HPC_LOCKFILE_NONE;
}

static char *dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');
	char *dir = slash ? hpc_xstrndup(path, slash == path ? 1 : (size_t)(slash - path))
			  : hpc_xstrdup(".");
	char *abs = realpath(dir, NULL);

	if (!abs)
		return dir;
	free(dir);
	return abs;
}

int hpc_lockfile_parse(struct hpc_lockfile *lf, const char *text, size_t len, const char *where,
		       const struct hpc_lockfile_select *sel, struct hpc_error **err)
{
	struct ly y = { .where = where };
	enum hpc_lockfile_kind kind = hpc_lockfile_detect(text);
	const yaml_node_t *root;
	int r;

	memset(lf, 0, sizeof(*lf));
	if (!sel || !sel->platform)
		return HPC_FAIL(err, BUG, "no platform to pick from '%s'", where);
	if (kind == HPC_LOCKFILE_NONE)
		return HPC_FAIL(err, PARSE, "%s: neither a conda-lock nor a pixi lock file", where);
	r = load_doc(&y, text, len, err);
	if (r)
		return r;
	y.dir = dir_of(where);
	root = yaml_document_get_root_node(&y.doc);
	lf->version = get_str(&y, root, "version") ? atoi(get_str(&y, root, "version")) : 0;
	if (kind == HPC_LOCKFILE_PIXI)
		r = pixi_parse(lf, &y, root, sel, err);
	else
		r = condalock_parse(lf, &y, root, sel, err);
	lf->pkgs.platform = hpc_xstrdup(sel->platform);
	yaml_document_delete(&y.doc);
	free(y.dir);
	if (r)
		hpc_lockfile_fini(lf);
	return r;
}

int hpc_lockfile_load(struct hpc_lockfile *lf, const char *path,
		      const struct hpc_lockfile_select *sel, struct hpc_error **err)
{
	char *text = NULL;
	size_t len = 0;
	int r = hpc_file_read(path, &text, &len, err);

	memset(lf, 0, sizeof(*lf));
	r = r ? r : hpc_lockfile_parse(lf, text, len, path, sel, err);
	free(text);
	return r;
}

void hpc_lockfile_fini(struct hpc_lockfile *lf)
{
	hpc_explicit_fini(&lf->pkgs);
	hpc_strv_fini(&lf->pypi);
	hpc_strv_fini(&lf->channels);
	hpc_strv_fini(&lf->environments);
	hpc_strv_fini(&lf->platforms);
	memset(lf, 0, sizeof(*lf));
}
