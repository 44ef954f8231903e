/* SPDX-License-Identifier: MIT */
/* explicit.c - read @EXPLICIT lists (see explicit.h) */
#include <ctype.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hpcenv/error.h"
#include "hpcenv/explicit.h"
#include "hpcenv/util.h"

static bool is_hex(const char *s, size_t n)
{
	if (strlen(s) != n)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!isxdigit((unsigned char)s[i]))
			return false;
	return true;
}

static int hexval(int c)
{
	return isdigit(c) ? c - '0' : tolower(c) - 'a' + 10;
}

char *hpc_url_local_path(const char *url)
{
	struct hpc_strbuf sb = HPC_STRBUF_INIT;
	const char *p;

	if (hpc_str_startswith(url, "file://"))
		p = url + 7;
	else if (!strstr(url, "://"))
		return hpc_path_expand(url);
	else
		return NULL;
	if (hpc_str_startswith(p, "localhost/"))
		p += 9;
	for (; *p; p++) {
		if (*p == '%' && isxdigit((unsigned char)p[1]) && isxdigit((unsigned char)p[2])) {
			hpc_strbuf_addc(&sb, (char)(hexval(p[1]) * 16 + hexval(p[2])));
			p += 2;
		} else {
			hpc_strbuf_addc(&sb, *p);
		}
	}
	return hpc_strbuf_detach(&sb);
}

/* "name-version-build" -> the three parts (name may contain '-'). */
static int split_dist(struct hpc_record *r, const char *dist, const char *url,
		      struct hpc_error **err)
{
	const char *b = strrchr(dist, '-'), *v;

	for (v = b ? b - 1 : NULL; v && v > dist && *v != '-'; v--)
		;
	if (!b || !v || v <= dist || b == v + 1 || !b[1])
		return HPC_FAIL(err, PARSE, "'%s' is not a package file name (name-version-build)",
				url);
	r->name = hpc_xstrndup(dist, (size_t)(v - dist));
	r->version = hpc_xstrndup(v + 1, (size_t)(b - v - 1));
	r->build = hpc_xstrdup(b + 1);
	return 0;
}

static bool looks_like_subdir(const char *s, size_t n)
{
	return (n == 6 && !strncmp(s, "noarch", 6)) || memchr(s, '-', n) != NULL;
}

int hpc_record_from_url(struct hpc_record *r, const char *url, struct hpc_error **err)
{
	const char *slash = strrchr(url, '/'), *fn = slash ? slash + 1 : url;
	size_t n = strlen(fn), ext = hpc_str_endswith(fn, ".conda") ? 6
				   : hpc_str_endswith(fn, ".tar.bz2") ? 8 : 0;
	char *dist;
	int rc;

	hpc_record_init(r);
	if (!ext || n <= ext)
		return HPC_FAIL(err, PARSE, "'%s' is not a package (.conda or .tar.bz2)", url);
	dist = hpc_xstrndup(fn, n - ext);
	rc = split_dist(r, dist, url, err);
	free(dist);
	if (rc)
		return rc;
	r->fn = hpc_xstrdup(fn);
	r->url = hpc_xstrdup(url);
	if (slash && slash > url) { /* .../CHANNEL/SUBDIR/fn */
		const char *s = slash - 1;

		while (s > url && *s != '/')
			s--;
		if (*s == '/' && looks_like_subdir(s + 1, (size_t)(slash - s - 1))) {
			r->subdir = hpc_xstrndup(s + 1, (size_t)(slash - s - 1));
			r->channel = hpc_xstrndup(url, (size_t)(s - url));
		} else {
			r->channel = hpc_xstrndup(url, (size_t)(slash - url));
		}
	}
	return 0;
}

static char *absolute_url(const char *s)
{
	char cwd[PATH_MAX], *p, *r;
	struct hpc_strbuf sb = HPC_STRBUF_INIT;

	if (strstr(s, "://"))
		return hpc_xstrdup(s);
	p = hpc_path_expand(s);
	if (p[0] != '/' && getcwd(cwd, sizeof(cwd))) {
		r = hpc_path_join(cwd, p);
		free(p);
		p = r;
	}
	hpc_strbuf_adds(&sb, "file://");
	for (const char *c = p; *c; c++) { /* conda's path_to_url quotes what URLs cannot hold */
		if (*c == ' ' || *c == '%' || *c == '#')
			hpc_strbuf_addf(&sb, "%%%02X", (unsigned char)*c);
		else
			hpc_strbuf_addc(&sb, *c);
	}
	free(p);
	return hpc_strbuf_detach(&sb);
}

static int set_checksum(struct hpc_record *r, const char *frag)
{
	if (hpc_str_startswith(frag, "sha256:"))
		frag += 7;
	if (is_hex(frag, 32))
		r->md5 = hpc_xstrdup(frag);
	else if (is_hex(frag, 64))
		r->sha256 = hpc_xstrdup(frag);
	else
		return -1;
	for (char *c = r->md5 ? r->md5 : r->sha256; *c; c++)
		*c = (char)tolower((unsigned char)*c);
	return 0;
}

static int parse_entry(struct hpc_explicit *ex, char *line, int lineno, const char *where,
		       struct hpc_error **err)
{
	struct hpc_explicit_entry *e;
	struct hpc_error *inner = NULL;
	char *hash = strrchr(line, '#'), *url;
	int r;

	if (hash)
		*hash++ = '\0';
	hpc_str_trim(line);
	url = absolute_url(line);
	ex->entries = hpc_xrealloc(ex->entries, (ex->n + 1) * sizeof(*ex->entries));
	e = &ex->entries[ex->n];
	memset(e, 0, sizeof(*e));
	e->line = lineno;
	r = hpc_record_from_url(&e->rec, url, &inner);
	if (r) {
		r = HPC_FAIL(err, PARSE, "%s:%d: %s", where, lineno, inner->msg);
		hpc_error_free(inner);
	} else if (hash && set_checksum(&e->rec, hpc_str_trim(hash)) < 0) {
		r = HPC_FAIL(err, PARSE, "%s:%d: '#%s' is neither an md5 nor a sha256 checksum",
			     where, lineno, hash);
	}
	if (r) {
		hpc_record_fini(&e->rec);
		free(url);
		return r;
	}
	e->path = hpc_url_local_path(url);
	free(url);
	ex->n++;
	return 0;
}

int hpc_explicit_parse(struct hpc_explicit *ex, const char *text, const char *where,
		       struct hpc_error **err)
{
	char *copy = hpc_xstrdup(text), *save = NULL, *line;
	bool marker = false;
	int lineno = 0, r = 0;

	memset(ex, 0, sizeof(*ex));
	/* strtok_r would skip empty lines and lose the numbering */
	for (line = copy; line && !r; line = save) {
		save = strchr(line, '\n');
		if (save)
			*save++ = '\0';
		lineno++;
		hpc_str_trim(line);
		if (hpc_str_startswith(line, "# platform:") && !ex->platform)
			ex->platform = hpc_str_trim(hpc_xstrdup(line + 11));
		if (!*line || line[0] == '#')
			continue;
		if (!strcmp(line, "@EXPLICIT"))
			marker = true;
		else if (!marker)
			r = HPC_FAIL(err, PARSE, "%s:%d: '%s' comes before the @EXPLICIT line (a list "
				     "of specs has none: it is solved)", where,
				     lineno, line);
		else
			r = parse_entry(ex, line, lineno, where, err);
	}
	if (!r && !marker)
		r = HPC_FAIL(err, PARSE, "%s: no @EXPLICIT line: not an explicit package list",
			     where);
	free(copy);
	if (r)
		hpc_explicit_fini(ex);
	return r;
}

int hpc_explicit_load(struct hpc_explicit *ex, const char *path, struct hpc_error **err)
{
	char *text = NULL;
	int r = hpc_file_read(path, &text, NULL, err);

	memset(ex, 0, sizeof(*ex));
	r = r ? r : hpc_explicit_parse(ex, text, path, err);
	free(text);
	return r;
}

void hpc_explicit_fini(struct hpc_explicit *ex)
{
	for (size_t i = 0; i < ex->n; i++) {
		hpc_record_fini(&ex->entries[i].rec);
		free(ex->entries[i].path);
	}
	free(ex->entries);
	free(ex->platform);
	memset(ex, 0, sizeof(*ex));
}
