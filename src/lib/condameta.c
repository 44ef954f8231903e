/* SPDX-License-Identifier: MIT */
/* condameta.c - conda-meta/ records, history, pinned and state (see condameta.h) */
#include <dirent.h>
#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "hpcenv/buildinfo.h"
#include "hpcenv/condameta.h"
#include "hpcenv/error.h"
#include "record_int.h"
#include "strmap.h"

/* Keys of a PrefixRecord that are not part of the repodata record. */
static const char *const link_keys[] = {
	"files", "paths_data", "link", "requested_spec", "extracted_package_dir",
	"package_tarball_full_path", NULL,
};

void hpc_prefix_record_init(struct hpc_prefix_record *pr)
{
	memset(pr, 0, sizeof(*pr));
	hpc_record_init(&pr->rec);
}

void hpc_prefix_record_fini(struct hpc_prefix_record *pr)
{
	for (size_t i = 0; i < pr->npaths; i++) {
		free(pr->paths[i].path);
		free(pr->paths[i].placeholder);
	}
	free(pr->paths);
	hpc_record_fini(&pr->rec);
	free(pr->requested_spec);
	free(pr->link_source);
	free(pr->package_tarball_full_path);
	free(pr->meta_file);
	memset(pr, 0, sizeof(*pr));
}

struct hpc_meta_path *hpc_prefix_record_add_path(struct hpc_prefix_record *pr, const char *path,
						 enum hpc_path_type type)
{
	struct hpc_meta_path *mp;

	if ((pr->npaths & (pr->npaths - 1)) == 0) /* grow at powers of two */
		pr->paths = hpc_xrealloc(pr->paths, (pr->npaths ? 2 * pr->npaths : 1) * sizeof(*mp));
	mp = &pr->paths[pr->npaths++];
	memset(mp, 0, sizeof(*mp));
	mp->path = hpc_xstrdup(path);
	mp->type = type;
	return mp;
}

char *hpc_prefix_record_meta_path(const struct hpc_record *rec)
{
	char *dist = hpc_record_dist(rec), *r = hpc_xasprintf("conda-meta/%s.json", dist);

	free(dist);
	return r;
}

static const char *jstr(json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

static void copy_hex(char *dst, const char *src, size_t n)
{
	if (src && strlen(src) == n - 1)
		memcpy(dst, src, n);
}

static int path_from_json(struct hpc_prefix_record *pr, json_t *e, const char *where,
			  struct hpc_error **err)
{
	const char *p = jstr(e, "_path"), *t = jstr(e, "path_type"), *mode = jstr(e, "file_mode");
	struct hpc_meta_path *mp;
	json_t *size = json_object_get(e, "size_in_bytes");
	int type = t ? hpc_path_type_parse(t) : HPC_PATH_HARDLINK;

	if (!p || !hpc_pkgpath_is_safe(p))
		return HPC_FAIL(err, UNSAFE, "%s: unsafe or missing path '%s' in paths_data", where,
				p ? p : "");
	mp = hpc_prefix_record_add_path(pr, p, type < 0 ? HPC_PATH_HARDLINK : type);
	copy_hex(mp->sha256, jstr(e, "sha256"), HPC_SHA256_HEX);
	copy_hex(mp->sha256_in_prefix, jstr(e, "sha256_in_prefix"), HPC_SHA256_HEX);
	mp->has_size = json_is_integer(size);
	mp->size = mp->has_size ? (uint64_t)json_integer_value(size) : 0;
	if (jstr(e, "prefix_placeholder")) {
		mp->placeholder = hpc_xstrdup(jstr(e, "prefix_placeholder"));
		mp->file_mode = mode && !strcmp(mode, "binary") ? HPC_FILE_MODE_BINARY
								: HPC_FILE_MODE_TEXT;
	}
	mp->no_link = json_is_true(json_object_get(e, "no_link"));
	return 0;
}

/* paths_data when there is one, else the plain "files" list (older conda). */
static int paths_from_json(struct hpc_prefix_record *pr, json_t *o, const char *where,
			   struct hpc_error **err)
{
	json_t *pd = json_object_get(json_object_get(o, "paths_data"), "paths"), *e;
	size_t i;
	int r = 0;

	json_array_foreach(pd, i, e) {
		r = path_from_json(pr, e, where, err);
		if (r)
			return r;
	}
	if (json_array_size(pd))
		return 0;
	json_array_foreach(json_object_get(o, "files"), i, e) {
		const char *p = json_string_value(e);

		if (!p || !hpc_pkgpath_is_safe(p))
			return HPC_FAIL(err, UNSAFE, "%s: unsafe path '%s' in files", where,
					p ? p : "");
		hpc_prefix_record_add_path(pr, p, HPC_PATH_HARDLINK);
	}
	return r;
}

static char *dup_str(json_t *o, const char *k)
{
	const char *s = jstr(o, k);

	return s ? hpc_xstrdup(s) : NULL;
}

/* conda writes the channel with its subdir; records keep it without. */
static void strip_subdir(struct hpc_record *r)
{
	size_t n, s;

	if (!r->channel || !r->subdir)
		return;
	n = strlen(r->channel);
	s = strlen(r->subdir);
	if (n > s + 1 && r->channel[n - s - 1] == '/' && !strcmp(r->channel + n - s, r->subdir))
		r->channel[n - s - 1] = '\0';
}

int hpc_prefix_record_from_json(struct hpc_prefix_record *pr, const char *json, size_t len,
				const char *where, struct hpc_error **err)
{
	json_error_t je;
	json_t *o = json_loadb(json, len, 0, &je), *plain;
	int r;

	hpc_prefix_record_init(pr);
	if (!o)
		return HPC_FAIL(err, PARSE, "%s:%d:%d: invalid JSON: %s", where, je.line, je.column,
				je.text);
	plain = json_copy(o);
	for (const char *const *k = link_keys; *k; k++)
		json_object_del(plain, *k);
	r = hpc_record_from_object(&pr->rec, plain, where, err);
	json_decref(plain);
	r = r ? r : paths_from_json(pr, o, where, err);
	if (!r) {
		strip_subdir(&pr->rec);
		pr->requested_spec = dup_str(o, "requested_spec");
		if (pr->requested_spec && (!*pr->requested_spec ||
					   !strcmp(pr->requested_spec, "None"))) {
			free(pr->requested_spec); /* conda writes "None" for dependencies */
			pr->requested_spec = NULL;
		}
		pr->link_source = dup_str(json_object_get(o, "link"), "source");
		pr->link_type = (int)json_integer_value(json_object_get(json_object_get(o, "link"),
									 "type"));
		pr->package_tarball_full_path = dup_str(o, "package_tarball_full_path");
		if (!pr->link_source)
			pr->link_source = dup_str(o, "extracted_package_dir");
	}
	json_decref(o);
	if (r)
		hpc_prefix_record_fini(pr);
	return r;
}

/* Keys in sorted order (conda's files have sorted keys): dumping with JSON_SORT_KEYS
 * would sort ~10,000 small objects again for every record written. */
static json_t *path_to_json(const struct hpc_meta_path *mp)
{
	json_t *e = json_object();

	json_object_set_new(e, "_path", json_string(mp->path));
	if (mp->placeholder)
		json_object_set_new(e, "file_mode", json_string(mp->file_mode == HPC_FILE_MODE_BINARY
								? "binary" : "text"));
	if (mp->no_link)
		json_object_set_new(e, "no_link", json_true());
	json_object_set_new(e, "path_type", json_string(hpc_path_type_name(mp->type)));
	if (mp->placeholder)
		json_object_set_new(e, "prefix_placeholder", json_string(mp->placeholder));
	if (mp->sha256[0])
		json_object_set_new(e, "sha256", json_string(mp->sha256));
	if (mp->sha256_in_prefix[0])
		json_object_set_new(e, "sha256_in_prefix", json_string(mp->sha256_in_prefix));
	if (mp->has_size)
		json_object_set_new(e, "size_in_bytes", json_integer((json_int_t)mp->size));
	return e;
}

static int cmp_key(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The same object with its (few) top-level keys in sorted order. */
static json_t *sorted_copy(json_t *o)
{
	size_t n = json_object_size(o), i = 0;
	const char **keys = hpc_xcalloc(n + 1, sizeof(*keys)), *k;
	json_t *r = json_object(), *v;

	json_object_foreach(o, k, v)
		keys[i++] = k;
	qsort(keys, n, sizeof(*keys), cmp_key);
	for (i = 0; i < n; i++)
		json_object_set(r, keys[i], json_object_get(o, keys[i]));
	free(keys);
	return r;
}

char *hpc_prefix_record_to_json(const struct hpc_prefix_record *pr)
{
	json_t *o = hpc_record_to_object(&pr->rec), *files = json_array(), *paths = json_array();
	json_t *sorted;
	char *s;

	if (pr->rec.channel && pr->rec.subdir) {
		char *ch = hpc_xasprintf("%s/%s", pr->rec.channel, pr->rec.subdir);

		json_object_set_new(o, "channel", json_string(ch));
		free(ch);
	}
	for (size_t i = 0; i < pr->npaths; i++) {
		json_array_append_new(files, json_string(pr->paths[i].path));
		json_array_append_new(paths, path_to_json(&pr->paths[i]));
	}
	json_object_set_new(o, "files", files);
	json_object_set_new(o, "paths_data", json_pack("{s:o,s:i}", "paths", paths,
							"paths_version", 1));
	json_object_set_new(o, "requested_spec",
			    json_string(pr->requested_spec ? pr->requested_spec : ""));
	if (pr->link_source) {
		json_object_set_new(o, "link", json_pack("{s:s,s:i}", "source", pr->link_source,
							  "type", pr->link_type));
		json_object_set_new(o, "extracted_package_dir", json_string(pr->link_source));
	}
	if (pr->package_tarball_full_path)
		json_object_set_new(o, "package_tarball_full_path",
				    json_string(pr->package_tarball_full_path));
	sorted = sorted_copy(o);
	s = json_dumps(sorted, JSON_PRESERVE_ORDER | JSON_INDENT(2));
	json_decref(sorted);
	json_decref(o);
	return s;
}

static int load_one(struct hpc_prefix_record *pr, const char *path, struct hpc_error **err)
{
	char *text = NULL;
	size_t len;
	int r = hpc_file_read(path, &text, &len, err);

	r = r ? r : hpc_prefix_record_from_json(pr, text, len, path, err);
	if (!r)
		pr->meta_file = hpc_xstrdup(path);
	free(text);
	return r;
}

static int by_name(const void *a, const void *b)
{
	const struct hpc_prefix_record *x = a, *y = b;

	return strcmp(x->rec.name, y->rec.name);
}

int hpc_condameta_load(const char *prefix, struct hpc_condameta *m, struct hpc_error **err)
{
	char *dir = hpc_path_join(prefix, "conda-meta");
	DIR *d = opendir(dir);
	struct dirent *e;
	size_t alloc = 0;
	int r = 0;

	memset(m, 0, sizeof(*m));
	if (!d) {
		r = errno == ENOENT ? 0 : HPC_FAIL(err, IO, "cannot read '%s': %s", dir,
						   strerror(errno));
		free(dir);
		return r;
	}
	while (!r && (e = readdir(d))) {
		char *p;

		/* "._x.json" are macOS resource forks, not records (conda skips them too) */
		if (!hpc_str_endswith(e->d_name, ".json") || hpc_str_startswith(e->d_name, "._"))
			continue;
		if (m->n == alloc)
			m->recs = hpc_xrealloc(m->recs, (alloc = alloc ? 2 * alloc : 32) *
							       sizeof(*m->recs));
		p = hpc_path_join(dir, e->d_name);
		r = load_one(&m->recs[m->n], p, err);
		m->n += r == 0;
		free(p);
	}
	closedir(d);
	free(dir);
	if (r)
		hpc_condameta_fini(m);
	else if (m->n)
		qsort(m->recs, m->n, sizeof(*m->recs), by_name);
	return r;
}

static int cmp_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int hpc_condameta_dists(const char *prefix, struct hpc_strv *out, struct hpc_error **err)
{
	char *dir = hpc_path_join(prefix, "conda-meta");
	DIR *d = opendir(dir);
	struct dirent *e;
	int r = 0;

	if (!d)
		r = errno == ENOENT ? 0 : HPC_FAIL(err, IO, "cannot read '%s': %s", dir,
						   strerror(errno));
	while (d && (e = readdir(d)))
		if (hpc_str_endswith(e->d_name, ".json") && !hpc_str_startswith(e->d_name, "._"))
			hpc_strv_push_take(out, hpc_xstrndup(e->d_name, strlen(e->d_name) - 5));
	if (d)
		closedir(d);
	if (out->n)
		qsort(out->v, out->n, sizeof(char *), cmp_name);
	free(dir);
	return r;
}

void hpc_condameta_fini(struct hpc_condameta *m)
{
	for (size_t i = 0; i < m->n; i++)
		hpc_prefix_record_fini(&m->recs[i]);
	free(m->recs);
	memset(m, 0, sizeof(*m));
}

const struct hpc_prefix_record *hpc_condameta_find(const struct hpc_condameta *m,
						   const char *name)
{
	for (size_t i = 0; i < m->n; i++)
		if (!strcmp(m->recs[i].rec.name, name))
			return &m->recs[i];
	return NULL;
}

char *hpc_channel_canonical(const char *url)
{
	static const char *const known[] = {
		"https://conda.anaconda.org/", "http://conda.anaconda.org/",
		"https://repo.anaconda.com/", NULL,
	};
	size_t n = strlen(url);

	while (n > 1 && url[n - 1] == '/')
		n--;
	for (const char *const *k = known; *k; k++)
		if (!strncmp(url, *k, strlen(*k)) && n > strlen(*k))
			return hpc_xstrndup(url + strlen(*k), n - strlen(*k));
	return hpc_xstrndup(url, n);
}

char *hpc_record_dist_str(const struct hpc_record *rec)
{
	char *ch = rec->channel ? hpc_channel_canonical(rec->channel) : hpc_xstrdup("<unknown>");
	char *r = hpc_xasprintf("%s%s%s::%s-%s-%s", ch, rec->subdir ? "/" : "",
				rec->subdir ? rec->subdir : "", rec->name, rec->version, rec->build);

	free(ch);
	return r;
}

/* The name a depends entry is about ("numpy >=1.2" -> numpy). */
static char *dep_name(const char *dep)
{
	size_t n = strcspn(dep, " =<>!~[");

	return hpc_xstrndup(dep, n);
}

/* Dependencies first (Kahn's algorithm, keeping the given order among equals): conda
 * links in this order and unlinks in the reverse one. */
void hpc_records_deps_order(const struct hpc_record *const *recs, size_t n, size_t *order)
{
	struct hpc_strmap index = HPC_STRMAP_INIT;
	bool *done = hpc_xcalloc(n + 1, sizeof(*done));
	size_t k = 0;

	for (size_t i = 0; i < n; i++)
		*hpc_strmap_put(&index, recs[i]->name, NULL) = (void *)(i + 1);
	while (k < n) {
		bool progress = false;

		for (size_t i = 0; i < n; i++) {
			bool ready = !done[i];

			for (size_t d = 0; ready && d < recs[i]->depends.n; d++) {
				char *name = dep_name(recs[i]->depends.v[d]);
				void **j = hpc_strmap_get(&index, name);

				ready = !j || (size_t)*j - 1 == i || done[(size_t)*j - 1];
				free(name);
			}
			if (ready) {
				done[i] = true;
				order[k++] = i;
				progress = true;
			}
		}
		for (size_t i = 0; !progress && i < n; i++) /* a cycle: take the first left */
			if (!done[i]) {
				done[i] = true;
				order[k++] = i;
				break;
			}
	}
	free(done);
	hpc_strmap_fini(&index, NULL);
}

/* ---- history ---- */

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void add_sorted(struct hpc_strbuf *sb, char mark, const struct hpc_strv *v)
{
	struct hpc_strv s = HPC_STRV_INIT;

	if (!v || !v->n)
		return;
	hpc_strv_copy(&s, v);
	qsort(s.v, s.n, sizeof(char *), cmp_str);
	for (size_t i = 0; i < s.n; i++)
		hpc_strbuf_addf(sb, "%c%s\n", mark, s.v[i]);
	hpc_strv_fini(&s);
}

/* Python's repr of a list of strings: ['a', 'b'] (what conda writes). */
static void add_specs(struct hpc_strbuf *sb, const char *what, const struct hpc_strv *v)
{
	if (!v || !v->n)
		return;
	hpc_strbuf_addf(sb, "# %s specs: [", what);
	for (size_t i = 0; i < v->n; i++)
		hpc_strbuf_addf(sb, "%s'%s'", i ? ", " : "", v->v[i]);
	hpc_strbuf_adds(sb, "]\n");
}

char *hpc_history_format(const struct hpc_history_change *c)
{
	struct hpc_strbuf sb = HPC_STRBUF_INIT;
	struct hpc_buildinfo bi;
	struct tm tm;
	char date[32];

	hpc_buildinfo_get(&bi);
	localtime_r(&c->when, &tm);
	strftime(date, sizeof(date), "%Y-%m-%d %H:%M:%S", &tm);
	hpc_strbuf_addf(&sb, "==> %s <==\n", date);
	if (c->cmd)
		hpc_strbuf_addf(&sb, "# cmd: %s\n", c->cmd);
	hpc_strbuf_addf(&sb, "# hpcenv version: %s\n", bi.version);
	add_sorted(&sb, '-', c->removed);
	add_sorted(&sb, '+', c->added);
	add_specs(&sb, "remove", c->remove_specs);
	add_specs(&sb, "update", c->update_specs);
	return hpc_strbuf_detach(&sb);
}

/* "['a', "b"]" -> a, b */
static void parse_spec_list(const char *s, struct hpc_strv *out)
{
	while ((s = strpbrk(s, "'\""))) {
		char q = *s++;
		const char *e = strchr(s, q);

		if (!e)
			break;
		hpc_strv_push_take(out, hpc_xstrndup(s, (size_t)(e - s)));
		s = e + 1;
	}
}

static void history_line(struct hpc_history *h, const char *line)
{
	struct hpc_history_revision *r = h->n ? &h->revs[h->n - 1] : NULL;
	size_t n = strlen(line);

	if (hpc_str_startswith(line, "==> ") && hpc_str_endswith(line, " <==")) {
		h->revs = hpc_xrealloc(h->revs, (h->n + 1) * sizeof(*h->revs));
		r = &h->revs[h->n++];
		memset(r, 0, sizeof(*r));
		r->date = hpc_xstrndup(line + 4, n - 8);
	} else if (!r) {
		return;
	} else if (hpc_str_startswith(line, "# cmd: ") && !r->cmd) {
		r->cmd = hpc_xstrdup(line + 7);
	} else if (hpc_str_startswith(line, "# update specs: ")) {
		parse_spec_list(line + 16, &r->update_specs);
	} else if (hpc_str_startswith(line, "# remove specs: ")) {
		parse_spec_list(line + 16, &r->remove_specs);
	} else if (line[0] == '+') {
		hpc_strv_push(&r->added, line + 1);
	} else if (line[0] == '-') {
		hpc_strv_push(&r->removed, line + 1);
	}
}

int hpc_history_load(const char *prefix, struct hpc_history *h, struct hpc_error **err)
{
	char *p = hpc_path_join(prefix, "conda-meta/history"), *text = NULL;
	struct hpc_strv lines = HPC_STRV_INIT;
	int r = 0;

	memset(h, 0, sizeof(*h));
	if (hpc_path_exists(p))
		r = hpc_file_read(p, &text, NULL, err);
	if (!r && text)
		hpc_strv_split(&lines, text, "\n");
	for (size_t i = 0; i < lines.n; i++)
		history_line(h, lines.v[i]);
	hpc_strv_fini(&lines);
	free(text);
	free(p);
	return r;
}

void hpc_history_fini(struct hpc_history *h)
{
	for (size_t i = 0; i < h->n; i++) {
		free(h->revs[i].date);
		free(h->revs[i].cmd);
		hpc_strv_fini(&h->revs[i].added);
		hpc_strv_fini(&h->revs[i].removed);
		hpc_strv_fini(&h->revs[i].update_specs);
		hpc_strv_fini(&h->revs[i].remove_specs);
	}
	free(h->revs);
	memset(h, 0, sizeof(*h));
}

/* ---- pinned, state ---- */

int hpc_condameta_pinned(const char *prefix, struct hpc_strv *out, struct hpc_error **err)
{
	char *p = hpc_path_join(prefix, "conda-meta/pinned"), *text = NULL;
	struct hpc_strv lines = HPC_STRV_INIT;
	int r = hpc_path_exists(p) ? hpc_file_read(p, &text, NULL, err) : 0;

	if (!r && text)
		hpc_strv_split(&lines, text, "\n");
	for (size_t i = 0; i < lines.n; i++) {
		char *hash = strchr(lines.v[i], '#');

		if (hash)
			*hash = '\0';
		hpc_str_trim(lines.v[i]);
		if (*lines.v[i])
			hpc_strv_push(out, lines.v[i]);
	}
	hpc_strv_fini(&lines);
	free(text);
	free(p);
	return r;
}

int hpc_condameta_env_vars(const char *prefix, struct hpc_strv *out, struct hpc_error **err)
{
	char *p = hpc_path_join(prefix, "conda-meta/state");
	json_error_t je;
	json_t *o, *vars, *v;
	const char *k;
	int r = 0;

	if (!hpc_path_exists(p)) {
		free(p);
		return 0;
	}
	o = json_load_file(p, 0, &je);
	if (!o)
		r = HPC_FAIL(err, PARSE, "%s:%d:%d: invalid JSON: %s", p, je.line, je.column, je.text);
	vars = json_object_get(o, "env_vars");
	json_object_foreach(vars, k, v) {
		if (!json_is_string(v)) {
			r = HPC_FAIL(err, PARSE, "%s: env_vars '%s' is not a string", p, k);
			break;
		}
		hpc_strv_push(out, k);
		hpc_strv_push(out, json_string_value(v));
	}
	json_decref(o);
	free(p);
	return r;
}
