/* SPDX-License-Identifier: MIT */
/* pkginfo.c - read and check info/index.json, paths.json (or files + has_prefix), link.json */
#include <ctype.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "hpcenv/error.h"
#include "hpcenv/pkginfo.h"
#include "record_int.h"

static const char *const type_names[] = {
	[HPC_PATH_HARDLINK] = "hardlink",
	[HPC_PATH_SOFTLINK] = "softlink",
	[HPC_PATH_DIRECTORY] = "directory",
	[HPC_PATH_PYC_FILE] = "pyc_file",
	[HPC_PATH_ENTRY_POINT] = "unix_python_entry_point",
};

const char *hpc_path_type_name(enum hpc_path_type t)
{
	return (size_t)t < sizeof(type_names) / sizeof(type_names[0]) ? type_names[t] : "unknown";
}

int hpc_path_type_parse(const char *name)
{
	for (size_t i = 0; i < sizeof(type_names) / sizeof(type_names[0]); i++)
		if (!strcmp(type_names[i], name))
			return (int)i;
	return -1;
}

bool hpc_pkgpath_is_safe(const char *p)
{
	const char *c = p;

	if (!*p || *p == '/')
		return false;
	while (*c) {
		const char *e = strchr(c, '/');
		size_t n = e ? (size_t)(e - c) : strlen(c);

		if (n == 0 || (n == 1 && c[0] == '.') || (n == 2 && c[0] == '.' && c[1] == '.'))
			return false;
		if (!e)
			break;
		c = e + 1;
		if (!*c) /* trailing slash */
			return false;
	}
	return true;
}

/* A relative symlink at `at` whose target has ".." only as leading components resolves
 * exactly as written (its directory has no symlinks in it), so counting levels is
 * enough to know it stays inside the package. */
bool hpc_symlink_inside(const char *at, const char *target)
{
	int depth = 0, ups = 0;
	bool below = false;

	if (!*target || *target == '/')
		return false;
	for (const char *s = at; *s; s++)
		depth += *s == '/';
	for (const char *c = target; *c;) {
		const char *e = strchr(c, '/');
		size_t n = e ? (size_t)(e - c) : strlen(c);

		if (n == 2 && c[0] == '.' && c[1] == '.') {
			if (below)
				return false;
			ups++;
		} else if (n && !(n == 1 && c[0] == '.')) {
			below = true;
		}
		c += n + (e ? 1 : 0);
	}
	return ups <= depth;
}

static bool is_dotted_name(const char *s)
{
	bool start = true;

	if (!*s)
		return false;
	for (; *s; s++) {
		if (*s == '.') {
			if (start)
				return false;
			start = true;
		} else if (isalpha((unsigned char)*s) || *s == '_' ||
			   (!start && isdigit((unsigned char)*s)) || (unsigned char)*s >= 0x80) {
			start = false;
		} else {
			return false;
		}
	}
	return !start;
}

int hpc_entry_point_parse(const char *spec, char **name, char **module, char **func,
			  struct hpc_error **err)
{
	const char *eq = strchr(spec, '='), *colon;
	char *n, *m, *f;

	if (!eq || !(colon = strchr(eq, ':')))
		return HPC_FAIL(err, PARSE, "entry point '%s' is not 'name = module:function'", spec);
	n = hpc_str_trim(hpc_xstrndup(spec, (size_t)(eq - spec)));
	m = hpc_str_trim(hpc_xstrndup(eq + 1, (size_t)(colon - eq - 1)));
	f = hpc_str_trim(hpc_xstrdup(colon + 1));
	if (!hpc_pkgpath_is_safe(n) || strchr(n, '/') || !is_dotted_name(m) || !is_dotted_name(f)) {
		int r = HPC_FAIL(err, UNSAFE, "entry point '%s' is unsafe or malformed (the name "
				 "must be a plain file name)", spec);

		free(n);
		free(m);
		free(f);
		return r;
	}
	*name = n;
	*module = m;
	*func = f;
	return 0;
}

static json_t *load_json(const char *dir, const char *rel, bool required, struct hpc_error **err,
			 int *rc)
{
	char *p = hpc_path_join(dir, rel), *text = NULL;
	json_error_t je;
	json_t *j = NULL;
	size_t len;

	*rc = 0;
	if (!hpc_path_exists(p)) {
		if (required)
			*rc = HPC_FAIL(err, NOTFOUND, "package has no '%s'", p);
	} else if (!(*rc = hpc_file_read(p, &text, &len, err)) &&
		   !(j = json_loadb(text, len, 0, &je))) { /* json_load_file reads by getc: slow */
		*rc = HPC_FAIL(err, PARSE, "%s:%d:%d: invalid JSON: %s", p, je.line, je.column,
			       je.text);
	}
	free(text);
	free(p);
	return j;
}

static int load_index(struct hpc_pkginfo *pi, const char *dir, struct hpc_error **err)
{
	int rc;
	json_t *j = load_json(dir, "info/index.json", true, err, &rc);
	char *where;

	if (rc)
		return rc;
	where = hpc_path_join(dir, "info/index.json");
	rc = hpc_record_from_object(&pi->index, j, where, err);
	free(where);
	json_decref(j);
	return rc;
}

static const char *jstr(json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

static int parse_path_entry(struct hpc_pkg_path *pp, json_t *e, const char *where,
			    struct hpc_error **err)
{
	const char *path = jstr(e, "_path"), *type = jstr(e, "path_type");
	const char *sha = jstr(e, "sha256"), *ph = jstr(e, "prefix_placeholder");
	const char *mode = jstr(e, "file_mode");
	json_t *size = json_object_get(e, "size_in_bytes");
	int t = type ? hpc_path_type_parse(type) : HPC_PATH_HARDLINK;

	if (!path)
		return HPC_FAIL(err, PARSE, "%s: an entry has no '_path'", where);
	if (!hpc_pkgpath_is_safe(path))
		return HPC_FAIL(err, UNSAFE, "%s: unsafe path '%s' (absolute or with '..')", where,
				path);
	if (t < 0 || t > HPC_PATH_DIRECTORY)
		return HPC_FAIL(err, PARSE, "%s: '%s' has unknown path_type '%s'", where, path,
				type);
	pp->path = hpc_xstrdup(path);
	pp->type = (enum hpc_path_type)t;
	if (sha && strlen(sha) == 64)
		memcpy(pp->sha256, sha, 65);
	pp->has_size = json_is_integer(size) && json_integer_value(size) >= 0;
	pp->size = pp->has_size ? (uint64_t)json_integer_value(size) : 0;
	if (ph && *ph) {
		pp->placeholder = hpc_xstrdup(ph);
		pp->file_mode = mode && !strcmp(mode, "binary") ? HPC_FILE_MODE_BINARY
								: HPC_FILE_MODE_TEXT;
	}
	pp->no_link = json_is_true(json_object_get(e, "no_link"));
	return 0;
}

static int load_paths_json(struct hpc_pkginfo *pi, json_t *j, const char *dir,
			   struct hpc_error **err)
{
	json_t *arr = json_object_get(j, "paths"), *e;
	char *where = hpc_path_join(dir, "info/paths.json");
	size_t i;
	int rc = 0;

	if (!json_is_array(arr))
		rc = HPC_FAIL(err, PARSE, "%s: no 'paths' list", where);
	else
		pi->paths = hpc_xcalloc(json_array_size(arr) + 1, sizeof(*pi->paths));
	json_array_foreach(arr, i, e) {
		if (rc)
			break;
		if (!json_is_object(e))
			rc = HPC_FAIL(err, PARSE, "%s: entry %zu is not an object", where, i);
		else
			rc = parse_path_entry(&pi->paths[pi->npaths++], e, where, err);
	}
	pi->has_paths_json = true;
	free(where);
	return rc;
}

/* Split a has_prefix line: "PLACEHOLDER MODE PATH" or "PATH"; fields may be quoted. */
static void split_quoted(const char *line, struct hpc_strv *out)
{
	const char *p = line;

	while (*p) {
		struct hpc_strbuf sb = HPC_STRBUF_INIT;
		char q = 0;

		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p)
			break;
		if (*p == '"' || *p == '\'')
			q = *p++;
		while (*p && (q ? *p != q : (*p != ' ' && *p != '\t')))
			hpc_strbuf_addc(&sb, *p++);
		if (q && *p)
			p++;
		hpc_strv_push_take(out, hpc_strbuf_detach(&sb));
	}
}

static struct hpc_pkg_path *find_path(struct hpc_pkginfo *pi, const char *path)
{
	for (size_t i = 0; i < pi->npaths; i++)
		if (!strcmp(pi->paths[i].path, path))
			return &pi->paths[i];
	return NULL;
}

static int read_lines(const char *dir, const char *rel, struct hpc_strv *out,
		      struct hpc_error **err)
{
	char *p = hpc_path_join(dir, rel), *text = NULL;
	int rc = 0;

	if (hpc_path_exists(p) && !(rc = hpc_file_read(p, &text, NULL, err)))
		hpc_strv_split(out, text, "\n");
	free(text);
	free(p);
	return rc;
}

static int apply_has_prefix(struct hpc_pkginfo *pi, const char *dir, struct hpc_error **err)
{
	struct hpc_strv lines = HPC_STRV_INIT;
	int rc = read_lines(dir, "info/has_prefix", &lines, err);

	for (size_t i = 0; !rc && i < lines.n; i++) {
		struct hpc_strv f = HPC_STRV_INIT;
		const char *ph = HPC_DEFAULT_PLACEHOLDER, *mode = "text", *path;
		struct hpc_pkg_path *pp;

		split_quoted(lines.v[i], &f);
		path = f.n ? f.v[f.n - 1] : "";
		if (f.n == 3) {
			ph = f.v[0];
			mode = f.v[1];
		}
		if ((f.n != 1 && f.n != 3) || (strcmp(mode, "text") && strcmp(mode, "binary")))
			rc = HPC_FAIL(err, PARSE, "%s/info/has_prefix:%zu: expected 'PLACEHOLDER "
				      "text|binary PATH'", dir, i + 1);
		else if (!(pp = find_path(pi, path)))
			rc = HPC_FAIL(err, PARSE, "%s/info/has_prefix:%zu: '%s' is not in info/files",
				      dir, i + 1, path);
		else if (!pp->placeholder) {
			pp->placeholder = hpc_xstrdup(ph);
			pp->file_mode = strcmp(mode, "binary") ? HPC_FILE_MODE_TEXT
							       : HPC_FILE_MODE_BINARY;
		}
		hpc_strv_fini(&f);
	}
	hpc_strv_fini(&lines);
	return rc;
}

/* Old packages: info/files (+ has_prefix, no_link); softlinks are found on disk. */
static int load_files(struct hpc_pkginfo *pi, const char *dir, struct hpc_error **err)
{
	struct hpc_strv files = HPC_STRV_INIT, nolink = HPC_STRV_INIT;
	int rc = read_lines(dir, "info/files", &files, err);

	rc = rc ? rc : read_lines(dir, "info/no_link", &nolink, err);
	pi->paths = hpc_xcalloc(files.n + 1, sizeof(*pi->paths));
	for (size_t i = 0; !rc && i < files.n; i++) {
		struct hpc_pkg_path *pp = &pi->paths[pi->npaths];
		char *full;
		struct stat st;

		if (!hpc_pkgpath_is_safe(files.v[i])) {
			rc = HPC_FAIL(err, UNSAFE, "%s/info/files: unsafe path '%s'", dir, files.v[i]);
			break;
		}
		pi->npaths++;
		pp->path = hpc_xstrdup(files.v[i]);
		full = hpc_path_join(dir, files.v[i]);
		pp->type = lstat(full, &st) == 0 && S_ISLNK(st.st_mode) ? HPC_PATH_SOFTLINK
									: HPC_PATH_HARDLINK;
		pp->no_link = hpc_strv_contains(&nolink, files.v[i]);
		free(full);
	}
	rc = rc ? rc : apply_has_prefix(pi, dir, err);
	hpc_strv_fini(&files);
	hpc_strv_fini(&nolink);
	return rc;
}

static int load_link_json(struct hpc_pkginfo *pi, const char *dir, struct hpc_error **err)
{
	int rc;
	json_t *j = load_json(dir, "info/link.json", false, err, &rc), *eps, *e;
	size_t i;

	eps = json_object_get(json_object_get(j, "noarch"), "entry_points");
	json_array_foreach(eps, i, e) {
		char *n, *m, *f;

		if (!json_is_string(e)) {
			rc = HPC_FAIL(err, PARSE, "%s/info/link.json: entry point %zu is not a "
				      "string", dir, i);
			break;
		}
		rc = hpc_entry_point_parse(json_string_value(e), &n, &m, &f, NULL);
		if (rc) {
			rc = HPC_FAILC(err, -rc, "%s/info/link.json: entry point '%s' is unsafe or "
				       "malformed (expected 'name = module:function', the name a plain "
				       "file name)", dir, json_string_value(e));
			break;
		}
		hpc_strv_push(&pi->entry_points, json_string_value(e));
		free(n);
		free(m);
		free(f);
	}
	json_decref(j);
	return rc;
}

int hpc_pkginfo_load(struct hpc_pkginfo *pi, const char *pkg_dir, struct hpc_error **err)
{
	int rc;
	json_t *pj;

	memset(pi, 0, sizeof(*pi));
	rc = load_index(pi, pkg_dir, err);
	pj = rc ? NULL : load_json(pkg_dir, "info/paths.json", false, err, &rc);
	if (!rc && pj)
		rc = load_paths_json(pi, pj, pkg_dir, err);
	else if (!rc)
		rc = load_files(pi, pkg_dir, err);
	json_decref(pj);
	rc = rc ? rc : load_link_json(pi, pkg_dir, err);
	if (rc)
		hpc_pkginfo_fini(pi);
	return rc;
}

void hpc_pkginfo_fini(struct hpc_pkginfo *pi)
{
	for (size_t i = 0; i < pi->npaths; i++) {
		free(pi->paths[i].path);
		free(pi->paths[i].placeholder);
	}
	free(pi->paths);
	hpc_record_fini(&pi->index);
	hpc_strv_fini(&pi->entry_points);
	memset(pi, 0, sizeof(*pi));
}

int hpc_pkginfo_check_dist(const struct hpc_pkginfo *pi, const char *dist, const char *where,
			   struct hpc_error **err)
{
	char *own = hpc_record_dist(&pi->index);
	int rc = 0;

	if (strcmp(own, dist))
		rc = HPC_FAIL(err, ARCHIVE, "'%s': info/index.json describes '%s', not '%s'", where,
			      own, dist);
	free(own);
	return rc;
}
