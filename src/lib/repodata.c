/* SPDX-License-Identifier: MIT */
/* repodata.c - stream repodata.json into libsolv with yajl; .solv files; records back
 *
 * Why not libsolv's repo_add_conda: it drops what an installer needs (noarch, the
 * channel's base_url, the record as published), ignores "removed", and silently drops
 * dependency strings its matchspec parser refuses. Why not jansson: a 200k-record
 * channel becomes a 580 MB DOM. yajl streams: 0.77 s and 74 MB where repo_add_conda
 * takes 1.09 s and 80 MB (bench/RESULTS.md). The solvable data written here is exactly
 * repo_add_conda's, plus the keys in repodata.h.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>
#include <yajl/yajl_parse.h>

#include <solv/pool.h>
#include <solv/conda.h>
#include <solv/repo.h>
#include <solv/repo_solv.h>
#include <solv/repo_write.h>
#include <solv/repodata.h>
#include <solv/solvversion.h>
#include <solv/strpool.h>

#include "hpcenv/error.h"
#include "hpcenv/repodata.h"
#include "hpcenv/virtual.h"
#include "record_int.h"

#define CHUNK (256 * 1024)
#define MAX_DEPTH 16

/* What a container at some depth is. */
enum ctx { C_SKIP, C_TOP, C_INFO, C_PACKAGES, C_RECORD, C_ARRAY, C_REMOVED };

/* Top-level keys and record keys we act on. */
enum tkey { T_OTHER, T_INFO, T_PACKAGES, T_PACKAGES_CONDA, T_REMOVED, T_VERSION };
enum rkey {
	R_OTHER, R_NAME, R_VERSION, R_BUILD, R_BUILD_NUMBER, R_DEPENDS, R_CONSTRAINS,
	R_LICENSE, R_MD5, R_SHA256, R_SIZE, R_TIMESTAMP, R_TRACK_FEATURES, R_NOARCH,
	R_SUBDIR, R_BASE_URL,
};

struct parser {
	Pool *pool;
	Repo *repo;
	Repodata *data;
	const struct hpc_repodata_opts *opts;
	struct hpc_repodata_stats *st;
	yajl_handle h;
	uint64_t base;              /* file offset of the chunk being parsed */
	int depth;
	enum ctx ctx[MAX_DEPTH];
	enum tkey tkey;
	enum rkey rkey;
	bool saw_top;               /* the top-level object was opened */
	Id handle;                  /* the record being read, 0 between records */
	uint64_t rec_start;
	char *fn;
	char *rec_subdir;           /* the record's own "subdir", or NULL */
	struct hpc_strbuf tmp;      /* NUL-terminated copies of yajl's strings */
	Stringpool stems;           /* file name without extension -> stemdata */
	Queue stemdata;             /* per stem id: type (1 .tar.bz2, 2 .conda), handle */
	struct hpc_strv removed;
	Id k_noarch, k_off, k_len, k_udeps, k_ucons;
};

#define RKEY(id, text) [id] = { text, sizeof(text) - 1 }
static const struct {
	const char *name;
	size_t len;
} rkeys[] = {
	RKEY(R_NAME, "name"), RKEY(R_VERSION, "version"), RKEY(R_BUILD, "build"),
	RKEY(R_BUILD_NUMBER, "build_number"), RKEY(R_DEPENDS, "depends"),
	RKEY(R_CONSTRAINS, "constrains"), RKEY(R_LICENSE, "license"), RKEY(R_MD5, "md5"),
	RKEY(R_SHA256, "sha256"), RKEY(R_SIZE, "size"), RKEY(R_TIMESTAMP, "timestamp"),
	RKEY(R_TRACK_FEATURES, "track_features"), RKEY(R_NOARCH, "noarch"),
	RKEY(R_SUBDIR, "subdir"), RKEY(R_BASE_URL, "base_url"),
};
#undef RKEY

static bool key_is(const unsigned char *k, size_t n, const char *name)
{
	return strlen(name) == n && !memcmp(k, name, n);
}

static const char *cstr(struct parser *p, const unsigned char *s, size_t n)
{
	hpc_strbuf_reset(&p->tmp);
	hpc_strbuf_add(&p->tmp, s, n);
	return hpc_strbuf_str(&p->tmp);
}

static enum ctx cur(const struct parser *p)
{
	return p->depth < MAX_DEPTH ? p->ctx[p->depth] : C_SKIP;
}

/* ---- records ---- */

static void add_dep(struct parser *p, bool constrains, const char *spec)
{
	Id id = p->opts->matchspec ? p->opts->matchspec(p->opts->matchspec_ud, p->pool, spec)
				   : pool_conda_matchspec(p->pool, spec);
	Solvable *s = pool_id2solvable(p->pool, p->handle);

	if (!id) {
		repodata_add_poolstr_array(p->data, p->handle,
					   constrains ? p->k_ucons : p->k_udeps, spec);
		p->st->unparsed++;
	} else if (constrains) {
		repodata_add_idarray(p->data, p->handle, SOLVABLE_CONSTRAINS, id);
	} else {
		s->requires = repo_addid_dep(p->repo, s->requires, id, 0);
	}
}

/* track_features: "a b" or "a,b" or a list of such items */
static void add_features(struct parser *p, const unsigned char *v, size_t n)
{
	size_t i = 0, j;

	while (i < n) {
		while (i < n && (v[i] == ' ' || v[i] == ',' || v[i] == '\t'))
			i++;
		for (j = i; j < n && v[j] != ' ' && v[j] != ',' && v[j] != '\t'; j++)
			;
		if (j > i)
			repodata_add_idarray(p->data, p->handle, SOLVABLE_TRACK_FEATURES,
					     pool_strn2id(p->pool, (const char *)v + i,
							  (unsigned)(j - i), 1));
		i = j;
	}
}

static void record_string(struct parser *p, const unsigned char *v, size_t n)
{
	Solvable *s = pool_id2solvable(p->pool, p->handle);

	switch (p->rkey) {
	case R_NAME:
		s->name = pool_strn2id(p->pool, (const char *)v, (unsigned)n, 1);
		break;
	case R_VERSION:
		s->evr = pool_strn2id(p->pool, (const char *)v, (unsigned)n, 1);
		break;
	case R_BUILD:
		repodata_add_poolstr_array(p->data, p->handle, SOLVABLE_BUILDFLAVOR, cstr(p, v, n));
		break;
	case R_LICENSE:
		repodata_add_poolstr_array(p->data, p->handle, SOLVABLE_LICENSE, cstr(p, v, n));
		break;
	case R_MD5:
		if (n == 32)
			repodata_set_checksum(p->data, p->handle, SOLVABLE_PKGID, REPOKEY_TYPE_MD5,
					      cstr(p, v, n));
		break;
	case R_SHA256:
		if (n == 64)
			repodata_set_checksum(p->data, p->handle, SOLVABLE_CHECKSUM,
					      REPOKEY_TYPE_SHA256, cstr(p, v, n));
		break;
	case R_TRACK_FEATURES:
		add_features(p, v, n);
		break;
	case R_NOARCH:
		repodata_set_id(p->data, p->handle, p->k_noarch,
				pool_strn2id(p->pool, (const char *)v, (unsigned)n, 1));
		break;
	case R_SUBDIR:
		free(p->rec_subdir);
		p->rec_subdir = hpc_xstrndup((const char *)v, n);
		break;
	default:
		break;
	}
}

static void record_number(struct parser *p, unsigned long long v)
{
	char buf[32];

	switch (p->rkey) {
	case R_BUILD_NUMBER:
		snprintf(buf, sizeof(buf), "%llu", v);
		repodata_set_str(p->data, p->handle, SOLVABLE_BUILDVERSION, buf);
		break;
	case R_SIZE:
		repodata_set_num(p->data, p->handle, SOLVABLE_DOWNLOADSIZE, v);
		break;
	case R_TIMESTAMP: /* milliseconds in new repodata, seconds in old */
		repodata_set_num(p->data, p->handle, SOLVABLE_BUILDTIME,
				 v > 253402300799ULL ? v / 1000 : v);
		break;
	default:
		break;
	}
}

static void record_begin(struct parser *p)
{
	p->handle = repo_add_solvable(p->repo);
	p->rec_start = p->base + yajl_get_bytes_consumed(p->h) - 1;
	free(p->rec_subdir);
	p->rec_subdir = NULL;
}

/* A .conda and a .tar.bz2 of the same name: keep the .conda (conda does). Returns false
 * when the record just read is the one to drop. */
static bool dedup_formats(struct parser *p)
{
	size_t l = strlen(p->fn), ext;
	int type;
	Id stem, *d;

	if (hpc_str_endswith(p->fn, ".conda"))
		ext = 6, type = 2;
	else if (hpc_str_endswith(p->fn, ".tar.bz2"))
		ext = 8, type = 1;
	else
		return true;
	stem = stringpool_strn2id(&p->stems, p->fn, (unsigned)(l - ext), 1);
	if (2 * stem + 2 > p->stemdata.count)
		queue_insertn(&p->stemdata, p->stemdata.count, 2 * stem + 2 - p->stemdata.count,
			      NULL);
	d = p->stemdata.elements + 2 * stem;
	if (d[0] && d[0] >= type) {
		p->st->tar_bz2_hidden += d[0] > type;
		return false;
	}
	if (d[0]) {
		repo_free_solvable(p->repo, d[1], 1);
		p->st->tar_bz2_hidden++;
		p->st->records--;
	}
	d[0] = type;
	d[1] = p->handle;
	return true;
}

static void record_end(struct parser *p)
{
	Solvable *s = pool_id2solvable(p->pool, p->handle);
	uint64_t end = p->base + yajl_get_bytes_consumed(p->h);

	if (!s->name || !s->evr || !p->fn) {
		repo_free_solvable(p->repo, p->handle, 1);
		p->st->invalid++;
		p->handle = 0;
		return;
	}
	if (!dedup_formats(p)) {
		repo_free_solvable(p->repo, p->handle, 1);
		p->handle = 0;
		return;
	}
	s->provides = repo_addid_dep(p->repo, s->provides,
				     pool_rel2id(p->pool, s->name, s->evr, REL_EQ, 1), 0);
	/* as repo_add_conda: the record's own subdir names the location's directory */
	repodata_set_location(p->data, p->handle, 0,
			      p->rec_subdir ? p->rec_subdir : p->opts->subdir, p->fn);
	repodata_set_num(p->data, p->handle, p->k_off, p->rec_start);
	repodata_set_num(p->data, p->handle, p->k_len, end - p->rec_start);
	p->st->records++;
	p->handle = 0;
}

/* ---- yajl callbacks ---- */

static int on_null(void *ud)
{
	return 1;
}

static int on_bool(void *ud, int v)
{
	struct parser *p = ud;

	/* legacy "noarch": true means generic */
	if (cur(p) == C_RECORD && p->rkey == R_NOARCH && v)
		record_string(p, (const unsigned char *)"generic", 7);
	return 1;
}

static int on_integer(void *ud, long long v)
{
	struct parser *p = ud;

	if (cur(p) == C_RECORD && v >= 0)
		record_number(p, (unsigned long long)v);
	else if (cur(p) == C_TOP && p->tkey == T_VERSION)
		p->st->repodata_version = (long)v;
	return 1;
}

static int on_double(void *ud, double v)
{
	return on_integer(ud, v >= 0 && v < 9.2e18 ? (long long)v : -1);
}

static void info_string(struct parser *p, const unsigned char *v, size_t n)
{
	if (p->rkey == R_SUBDIR) {
		free(p->st->info_subdir);
		p->st->info_subdir = hpc_xstrndup((const char *)v, n);
	} else if (p->rkey == R_BASE_URL) {
		free(p->st->base_url);
		p->st->base_url = hpc_xstrndup((const char *)v, n);
	}
}

static int on_string(void *ud, const unsigned char *v, size_t n)
{
	struct parser *p = ud;

	switch (cur(p)) {
	case C_RECORD:
		record_string(p, v, n);
		break;
	case C_ARRAY:
		if (p->rkey == R_DEPENDS || p->rkey == R_CONSTRAINS)
			add_dep(p, p->rkey == R_CONSTRAINS, cstr(p, v, n));
		else if (p->rkey == R_TRACK_FEATURES)
			add_features(p, v, n);
		break;
	case C_INFO:
		info_string(p, v, n);
		break;
	case C_REMOVED:
		hpc_strv_push_take(&p->removed, hpc_xstrndup((const char *)v, n));
		break;
	default:
		break;
	}
	return 1;
}

static enum rkey record_key(const unsigned char *k, size_t n)
{
	/* lengths first: most keys are rejected without a compare */
	for (size_t i = 1; i < sizeof(rkeys) / sizeof(rkeys[0]); i++)
		if (rkeys[i].len == n && !memcmp(k, rkeys[i].name, n))
			return (enum rkey)i;
	if (key_is(k, n, "requires")) /* very old repodata */
		return R_DEPENDS;
	return R_OTHER;
}

static enum tkey top_key(const unsigned char *k, size_t n)
{
	if (key_is(k, n, "info") || key_is(k, n, "metadata"))
		return T_INFO;
	if (key_is(k, n, "packages"))
		return T_PACKAGES;
	if (key_is(k, n, "packages.conda"))
		return T_PACKAGES_CONDA;
	if (key_is(k, n, "removed"))
		return T_REMOVED;
	if (key_is(k, n, "repodata_version"))
		return T_VERSION;
	return T_OTHER;
}

static int on_map_key(void *ud, const unsigned char *k, size_t n)
{
	struct parser *p = ud;

	switch (cur(p)) {
	case C_TOP:
		p->tkey = top_key(k, n);
		break;
	case C_PACKAGES:
		free(p->fn);
		p->fn = hpc_xstrndup((const char *)k, n);
		break;
	case C_RECORD:
	case C_INFO:
		p->rkey = record_key(k, n);
		break;
	default:
		break;
	}
	return 1;
}

/* What a new container opened inside the current one is. */
static enum ctx child_ctx(const struct parser *p, bool map)
{
	switch (p->depth ? cur(p) : C_SKIP) {
	case C_TOP:
		if (map && p->tkey == T_INFO)
			return C_INFO;
		if (map && (p->tkey == T_PACKAGES ||
			    (p->tkey == T_PACKAGES_CONDA && !p->opts->use_only_tar_bz2)))
			return C_PACKAGES;
		return !map && p->tkey == T_REMOVED ? C_REMOVED : C_SKIP;
	case C_PACKAGES:
		return map ? C_RECORD : C_SKIP;
	case C_RECORD:
		return !map && p->rkey != R_OTHER ? C_ARRAY : C_SKIP;
	default:
		return C_SKIP;
	}
}

static int open_container(struct parser *p, bool map)
{
	enum ctx c = p->depth == 0 ? (map ? C_TOP : C_SKIP) : child_ctx(p, map);

	if (p->depth == 0 && !map)
		return 0; /* the top level must be an object */
	p->saw_top = true;
	p->depth++;
	if (p->depth < MAX_DEPTH)
		p->ctx[p->depth] = c;
	if (c == C_RECORD)
		record_begin(p);
	return 1;
}

static int on_start_map(void *ud)
{
	return open_container(ud, true);
}

static int on_start_array(void *ud)
{
	return open_container(ud, false);
}

static int close_container(struct parser *p)
{
	if (cur(p) == C_RECORD)
		record_end(p);
	p->depth--;
	return 1;
}

static int on_end_map(void *ud)
{
	return close_container(ud);
}

static int on_end_array(void *ud)
{
	return close_container(ud);
}

static const yajl_callbacks callbacks = {
	.yajl_null = on_null, .yajl_boolean = on_bool, .yajl_integer = on_integer,
	.yajl_double = on_double, .yajl_string = on_string, .yajl_start_map = on_start_map,
	.yajl_map_key = on_map_key, .yajl_end_map = on_end_map,
	.yajl_start_array = on_start_array, .yajl_end_array = on_end_array,
};

/* ---- driving the parser ---- */

/* Line and column of a byte offset, for messages. */
static void position_of(int fd, uint64_t off, long *line, long *col)
{
	char buf[CHUNK];
	uint64_t pos = 0;
	ssize_t n;

	*line = 1;
	*col = 1;
	while (pos < off && (n = pread(fd, buf, sizeof(buf), (off_t)pos)) > 0) {
		for (ssize_t i = 0; i < n && pos < off; i++, pos++) {
			if (buf[i] == '\n')
				(*line)++, *col = 1;
			else
				(*col)++;
		}
	}
}

static int parse_error(struct parser *p, int fd, const char *path, bool eof,
		       struct hpc_error **err)
{
	unsigned char *msg = yajl_get_error(p->h, 0, NULL, 0);
	size_t used = eof ? 0 : yajl_get_bytes_consumed(p->h);
	/* yajl stops just after the offending character: point at it */
	uint64_t off = p->base + (used ? used - 1 : 0);
	long line, col;
	size_t n = msg ? strlen((char *)msg) : 0;
	int r;

	/* yajl's messages end in ".\n"; ours are one line without a period */
	while (n && (msg[n - 1] == '\n' || msg[n - 1] == '.' || msg[n - 1] == ' '))
		msg[--n] = '\0';
	position_of(fd, off, &line, &col);
	if (p->depth == 0 && !eof && msg && strstr((const char *)msg, "client cancelled"))
		r = HPC_FAIL(err, PARSE, "%s:%ld:%ld: repodata must be a JSON object", path, line,
			     col);
	else
		r = HPC_FAIL(err, PARSE, "%s:%ld:%ld: %s JSON: %s", path, line, col,
			     eof ? "truncated" : "invalid", msg ? (const char *)msg : "?");
	yajl_free_error(p->h, msg);
	return r;
}

/* Drop records listed in "removed" (conda-index lists file names no longer offered). */
static void apply_removed(struct parser *p)
{
	for (size_t i = 0; i < p->removed.n; i++) {
		const char *fn = p->removed.v[i];
		size_t l = strlen(fn), ext = hpc_str_endswith(fn, ".conda") ? 6
					    : hpc_str_endswith(fn, ".tar.bz2") ? 8 : 0;
		Id stem = ext ? stringpool_strn2id(&p->stems, fn, (unsigned)(l - ext), 0) : 0;
		Id *d = stem && 2 * stem + 1 < p->stemdata.count ? p->stemdata.elements + 2 * stem
								   : NULL;

		if (d && d[0] == (ext == 6 ? 2 : 1)) {
			repo_free_solvable(p->repo, d[1], 1);
			d[0] = 0;
			p->st->removed++;
			p->st->records--;
		}
	}
}

static int feed(struct parser *p, int fd, const char *path, struct hpc_error **err)
{
	unsigned char *buf = hpc_xmalloc(CHUNK);
	ssize_t n;
	int r = 0;

	while ((n = read(fd, buf, CHUNK)) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			r = HPC_FAIL(err, IO, "cannot read '%s': %s", path, strerror(errno));
			break;
		}
		if (yajl_parse(p->h, buf, (size_t)n) != yajl_status_ok) {
			r = parse_error(p, fd, path, false, err);
			break;
		}
		p->base += (uint64_t)n;
	}
	free(buf);
	if (!r && p->base > 0 && yajl_complete_parse(p->h) != yajl_status_ok)
		r = parse_error(p, fd, path, true, err);
	if (!r && p->base > 0 && !p->saw_top)
		r = HPC_FAIL(err, PARSE, "%s:1:1: repodata must be a JSON object", path);
	return r;
}

static void parser_init(struct parser *p, Repo *repo, const struct hpc_repodata_opts *opts,
			struct hpc_repodata_stats *st)
{
	memset(p, 0, sizeof(*p));
	memset(st, 0, sizeof(*st));
	p->pool = repo->pool;
	p->repo = repo;
	p->data = repo_add_repodata(repo, 0);
	p->opts = opts;
	p->st = st;
	stringpool_init_empty(&p->stems);
	queue_init(&p->stemdata);
	p->k_noarch = pool_str2id(p->pool, HPC_KEY_NOARCH, 1);
	p->k_off = pool_str2id(p->pool, HPC_KEY_JSON_OFFSET, 1);
	p->k_len = pool_str2id(p->pool, HPC_KEY_JSON_LENGTH, 1);
	p->k_udeps = pool_str2id(p->pool, HPC_KEY_UNPARSED_DEPENDS, 1);
	p->k_ucons = pool_str2id(p->pool, HPC_KEY_UNPARSED_CONSTRAINS, 1);
	p->h = yajl_alloc(&callbacks, NULL, p);
}

static void parser_fini(struct parser *p)
{
	yajl_free(p->h);
	stringpool_free(&p->stems);
	queue_free(&p->stemdata);
	hpc_strv_fini(&p->removed);
	hpc_strbuf_release(&p->tmp);
	free(p->fn);
	free(p->rec_subdir);
}

/* Where packages are: CEP-15's base_url when given (relative to the subdir URL when it
 * has no scheme; a channel URL without the subdir gets it appended, as conda-subchannel
 * writes it), else the subdir URL. Always ends in '/'. */
static char *package_base(const struct hpc_repodata_opts *o, const char *base_url)
{
	char *b, *t;

	if (!base_url || !*base_url)
		return hpc_xasprintf("%s/", o->subdir_url);
	if (!strstr(base_url, "://"))
		b = hpc_xasprintf("%s/%s", o->subdir_url, base_url);
	else
		b = hpc_xstrdup(base_url);
	if (hpc_str_endswith(b, "/"))
		return b;
	t = strrchr(b, '/');
	if (t && !strcmp(t + 1, o->subdir))
		t = hpc_xasprintf("%s/", b);
	else
		t = hpc_xasprintf("%s/%s/", b, o->subdir);
	free(b);
	return t;
}

static void set_meta(Repodata *data, const struct hpc_repodata_opts *o, const char *base_url)
{
	Pool *pool = data->repo->pool;
	char *pkg = package_base(o, base_url);

	repodata_set_str(data, SOLVID_META, pool_str2id(pool, HPC_KEY_CHANNEL, 1), o->channel);
	repodata_set_str(data, SOLVID_META, pool_str2id(pool, HPC_KEY_SUBDIR, 1), o->subdir);
	repodata_set_str(data, SOLVID_META, pool_str2id(pool, HPC_KEY_PKG_BASE, 1), pkg);
	free(pkg);
}

int hpc_repodata_parse(struct s_Repo *repo, const char *path,
		       const struct hpc_repodata_opts *opts, struct hpc_repodata_stats *st,
		       struct hpc_error **err)
{
	struct parser p;
	int fd = open(path, O_RDONLY | O_CLOEXEC), r;

	if (fd < 0) {
		memset(st, 0, sizeof(*st));
		return HPC_FAILC(err, errno == ENOENT ? HPC_E_NOTFOUND : HPC_E_IO,
				 "cannot open '%s': %s", path, strerror(errno));
	}
	parser_init(&p, repo, opts, st);
	r = feed(&p, fd, path, err);
	if (!r)
		apply_removed(&p);
	close(fd);
	parser_fini(&p);
	if (r) {
		repo_empty(repo, 1);
		hpc_repodata_stats_fini(st);
		return r;
	}
	set_meta(p.data, opts, st->base_url);
	repodata_internalize(p.data);
	return 0;
}

void hpc_repodata_stats_fini(struct hpc_repodata_stats *st)
{
	free(st->info_subdir);
	free(st->base_url);
	memset(st, 0, sizeof(*st));
}

/* ---- records in ---- */

static Id dep_id(Pool *pool, const struct hpc_repodata_opts *o, const char *spec)
{
	return o && o->matchspec ? o->matchspec(o->matchspec_ud, pool, spec)
				 : pool_conda_matchspec(pool, spec);
}

static void add_record_deps(Repo *repo, Repodata *data, Id h, const struct hpc_record *r,
			    const struct hpc_repodata_opts *o)
{
	Pool *pool = repo->pool;
	Solvable *s = pool_id2solvable(pool, h);
	Id id;

	for (size_t i = 0; i < r->depends.n; i++) {
		if ((id = dep_id(pool, o, r->depends.v[i])))
			s->requires = repo_addid_dep(repo, s->requires, id, 0);
		else
			repodata_add_poolstr_array(data, h, pool_str2id(pool,
						   HPC_KEY_UNPARSED_DEPENDS, 1), r->depends.v[i]);
	}
	for (size_t i = 0; i < r->constrains.n; i++) {
		if ((id = dep_id(pool, o, r->constrains.v[i])))
			repodata_add_idarray(data, h, SOLVABLE_CONSTRAINS, id);
		else
			repodata_add_poolstr_array(data, h, pool_str2id(pool,
						   HPC_KEY_UNPARSED_CONSTRAINS, 1),
						   r->constrains.v[i]);
	}
	for (size_t i = 0; i < r->track_features.n; i++)
		repodata_add_poolstr_array(data, h, SOLVABLE_TRACK_FEATURES,
					   r->track_features.v[i]);
}

int hpc_repodata_add_record(struct s_Repo *repo, const struct hpc_record *r,
			    const struct hpc_repodata_opts *opts)
{
	Pool *pool = repo->pool;
	Repodata *data = repo_last_repodata(repo);
	Id h = repo_add_solvable(repo);
	Solvable *s = pool_id2solvable(pool, h);
	char bn[32];

	s->name = pool_str2id(pool, r->name, 1);
	s->evr = pool_str2id(pool, r->version, 1);
	s->provides = repo_addid_dep(repo, s->provides, pool_rel2id(pool, s->name, s->evr,
								     REL_EQ, 1), 0);
	repodata_add_poolstr_array(data, h, SOLVABLE_BUILDFLAVOR, r->build ? r->build : "");
	snprintf(bn, sizeof(bn), "%ld", r->build_number);
	repodata_set_str(data, h, SOLVABLE_BUILDVERSION, bn);
	if (r->license)
		repodata_add_poolstr_array(data, h, SOLVABLE_LICENSE, r->license);
	if (r->md5 && strlen(r->md5) == 32)
		repodata_set_checksum(data, h, SOLVABLE_PKGID, REPOKEY_TYPE_MD5, r->md5);
	if (r->sha256 && strlen(r->sha256) == 64)
		repodata_set_checksum(data, h, SOLVABLE_CHECKSUM, REPOKEY_TYPE_SHA256, r->sha256);
	if (r->size)
		repodata_set_num(data, h, SOLVABLE_DOWNLOADSIZE, r->size);
	if (r->timestamp)
		repodata_set_num(data, h, SOLVABLE_BUILDTIME, r->timestamp / 1000);
	if (r->noarch)
		repodata_set_poolstr(data, h, pool_str2id(pool, HPC_KEY_NOARCH, 1), r->noarch);
	add_record_deps(repo, data, h, r, opts);
	if (r->fn)
		repodata_set_location(data, h, 0,
				      r->subdir ? r->subdir : opts ? opts->subdir : NULL, r->fn);
	return h;
}

Repo *hpc_repodata_add_vpkgs(Pool *pool, const struct hpc_vpkgs *vp,
			      const struct hpc_repodata_opts *opts, struct hpc_record *records)
{
	Repo *repo = repo_create(pool, "@");

	repo_add_repodata(repo, 0);
	for (size_t i = 0; i < vp->n; i++) {
		struct hpc_record one, *r = records ? &records[i] : &one;

		hpc_vpkg_record(&vp->v[i], opts->subdir, r);
		hpc_repodata_add_record(repo, r, opts);
		if (!records)
			hpc_record_fini(&one);
	}
	repo_internalize(repo);
	return repo;
}

/* ---- .solv index files ---- */

/* Bump when the solvable data written here changes: old .solv files are then rebuilt. */
#define SOLV_FORMAT "hpcenv-solv/1"

static char *solv_header(const char *key)
{
	return hpc_xasprintf("%s libsolv-%s\n%s", SOLV_FORMAT, solv_version, key);
}

int hpc_repodata_write_solv(struct s_Repo *repo, const char *path, const char *key,
			    struct hpc_error **err)
{
	char *tmp = hpc_xasprintf("%s.XXXXXX", path), *hdr = solv_header(key);
	int fd = mkostemp(tmp, O_CLOEXEC), r = 0;
	Repowriter *w;
	FILE *f;

	if (fd < 0 || !(f = fdopen(fd, "w"))) {
		r = HPC_FAIL(err, IO, "cannot write next to '%s': %s", path, strerror(errno));
		if (fd >= 0)
			close(fd), unlink(tmp);
		goto out;
	}
	fchmod(fd, 0644);
	w = repowriter_create(repo);
	repowriter_set_userdata(w, hdr, (int)strlen(hdr));
	if (repowriter_write(w, f))
		r = HPC_FAIL(err, IO, "cannot write '%s': %s", path, pool_errstr(repo->pool));
	repowriter_free(w);
	if (fclose(f) && !r)
		r = HPC_FAIL(err, IO, "cannot write '%s': %s", path, strerror(errno));
	if (!r && rename(tmp, path) < 0)
		r = HPC_FAIL(err, IO, "cannot replace '%s': %s", path, strerror(errno));
	if (r)
		unlink(tmp);
out:
	free(tmp);
	free(hdr);
	return r;
}

int hpc_repodata_read_solv(struct s_Repo *repo, const char *path, const char *key,
			   struct hpc_error **err)
{
	char *hdr = solv_header(key);
	unsigned char *ud = NULL;
	int len = 0, r = 0;
	FILE *f = fopen(path, "re");

	if (!f) {
		free(hdr);
		return HPC_FAIL(err, NOTFOUND, "no index file '%s'", path);
	}
	if (solv_read_userdata(f, &ud, &len) || len != (int)strlen(hdr) || memcmp(ud, hdr, len))
		r = HPC_FAIL(err, NOTFOUND, "index file '%s' is stale", path);
	else if (fseek(f, 0, SEEK_SET) || repo_add_solv(repo, f, 0)) {
		r = HPC_FAIL(err, NOTFOUND, "index file '%s' is unreadable: %s", path,
			     pool_errstr(repo->pool));
		repo_empty(repo, 1);
	}
	fclose(f);
	solv_free(ud);
	free(hdr);
	return r;
}

/* ---- records back ---- */

static const char *meta_str(Repo *repo, const char *key)
{
	Id k = pool_str2id(repo->pool, key, 0);

	return k ? repo_lookup_str(repo, SOLVID_META, k) : NULL;
}

static char *dup_or_null(const char *s)
{
	return s ? hpc_xstrdup(s) : NULL;
}

static void push_deps(Pool *pool, const Id *ids, struct hpc_strv *out)
{
	for (; ids && *ids; ids++)
		hpc_strv_push(out, pool_dep2str(pool, *ids));
}

static void push_idarray(Solvable *s, Id key, bool deps, struct hpc_strv *out)
{
	Queue q;

	queue_init(&q);
	solvable_lookup_idarray(s, key, &q);
	for (int i = 0; i < q.count; i++)
		hpc_strv_push(out, deps ? pool_dep2str(s->repo->pool, q.elements[i])
					: pool_id2str(s->repo->pool, q.elements[i]));
	queue_free(&q);
}

/* The record from the solvable's own data (when the JSON is gone or has changed). */
static void record_from_solvable(Solvable *s, struct hpc_record *r)
{
	Pool *pool = s->repo->pool;
	const char *bn = solvable_lookup_str(s, SOLVABLE_BUILDVERSION);
	Id type, noarch = solvable_lookup_id(s, pool_str2id(pool, HPC_KEY_NOARCH, 1));

	r->name = hpc_xstrdup(pool_id2str(pool, s->name));
	r->version = hpc_xstrdup(pool_id2str(pool, s->evr));
	r->build = hpc_xstrdup(solvable_lookup_str(s, SOLVABLE_BUILDFLAVOR)
				       ? solvable_lookup_str(s, SOLVABLE_BUILDFLAVOR) : "");
	r->build_number = bn ? atol(bn) : 0;
	r->license = dup_or_null(solvable_lookup_str(s, SOLVABLE_LICENSE));
	r->md5 = dup_or_null(solvable_lookup_checksum(s, SOLVABLE_PKGID, &type));
	r->sha256 = dup_or_null(solvable_lookup_checksum(s, SOLVABLE_CHECKSUM, &type));
	r->size = solvable_lookup_num(s, SOLVABLE_DOWNLOADSIZE, 0);
	r->timestamp = solvable_lookup_num(s, SOLVABLE_BUILDTIME, 0) * 1000;
	r->noarch = noarch ? hpc_xstrdup(pool_id2str(pool, noarch)) : NULL;
	push_deps(pool, s->requires ? s->repo->idarraydata + s->requires : NULL, &r->depends);
	push_idarray(s, pool_str2id(pool, HPC_KEY_UNPARSED_DEPENDS, 1), false, &r->depends);
	push_idarray(s, SOLVABLE_CONSTRAINS, true, &r->constrains);
	push_idarray(s, pool_str2id(pool, HPC_KEY_UNPARSED_CONSTRAINS, 1), false,
		     &r->constrains);
	push_idarray(s, SOLVABLE_TRACK_FEATURES, false, &r->track_features);
}

/* The record as published, from its bytes in repodata.json; false if they no longer
 * describe this solvable (the file was replaced). */
static bool record_from_json(Solvable *s, const char *path, struct hpc_record *r)
{
	Pool *pool = s->repo->pool;
	uint64_t off = solvable_lookup_num(s, pool_str2id(pool, HPC_KEY_JSON_OFFSET, 1), 0);
	uint64_t len = solvable_lookup_num(s, pool_str2id(pool, HPC_KEY_JSON_LENGTH, 1), 0);
	const char *build = solvable_lookup_str(s, SOLVABLE_BUILDFLAVOR);
	char *buf;
	int fd;
	bool ok = false;
	json_t *o;

	if (!path || !len || len > (64u << 20) || (fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return false;
	buf = hpc_xmalloc(len);
	if (pread(fd, buf, len, (off_t)off) == (ssize_t)len &&
	    (o = json_loadb(buf, len, JSON_DISABLE_EOF_CHECK, NULL))) {
		ok = !hpc_record_from_object(r, o, path, NULL) &&
		     !strcmp(r->name, pool_id2str(pool, s->name)) &&
		     !strcmp(r->version, pool_id2str(pool, s->evr)) &&
		     !strcmp(r->build, build ? build : "");
		if (!ok && r->name)
			hpc_record_fini(r);
		json_decref(o);
	}
	close(fd);
	free(buf);
	return ok;
}

int hpc_repodata_record(struct s_Repo *repo, int solvable, const char *json_path,
			struct hpc_record *out, struct hpc_error **err)
{
	Solvable *s = pool_id2solvable(repo->pool, solvable);
	const char *fn, *base = meta_str(repo, HPC_KEY_PKG_BASE);

	hpc_record_init(out);
	if (s->repo != repo || !s->name)
		return HPC_FAIL(err, BUG, "solvable %d is not in repo '%s'", solvable, repo->name);
	if (!record_from_json(s, json_path, out))
		record_from_solvable(s, out);
	fn = solvable_lookup_str(s, SOLVABLE_MEDIAFILE);
	free(out->fn);
	out->fn = dup_or_null(fn);
	free(out->channel);
	out->channel = dup_or_null(meta_str(repo, HPC_KEY_CHANNEL));
	if (!out->subdir)
		out->subdir = dup_or_null(meta_str(repo, HPC_KEY_SUBDIR));
	free(out->url);
	out->url = base && fn ? hpc_xasprintf("%s%s", base, fn) : NULL;
	return 0;
}
