/* SPDX-License-Identifier: MIT */
/* repocache.c - conda-compatible repodata cache entries: names, state files, zstd
 *
 * The state file format is conda's (conda/gateways/repodata/__init__.py, RepodataState)
 * so `conda` and hpcenv can share a package cache: conda reads our entries and we read
 * its. Keys we do not know (jlap, has_shards...) are carried over untouched.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>
#include <openssl/evp.h>
#include <zstd.h>

#include "hpcenv/error.h"
#include "hpcenv/repocache.h"

char *hpc_repocache_name(const char *subdir_url, bool use_only_tar_bz2)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int n = 0;
	char *url, hex[9];

	/* conda's cache_fn_url: md5 of the URL with exactly one trailing '/' appended if
	 * it had none; the first 8 hex digits */
	url = hpc_str_endswith(subdir_url, "/") ? hpc_xstrdup(subdir_url)
						 : hpc_xasprintf("%s/", subdir_url);
	EVP_Digest(url, strlen(url), md, &n, EVP_md5(), NULL);
	for (int i = 0; i < 4; i++)
		sprintf(hex + 2 * i, "%02x", md[i]);
	free(url);
	return use_only_tar_bz2 ? hpc_xasprintf("%s1", hex) : hpc_xstrdup(hex);
}

int hpc_repocache_dir(const struct hpc_config *cfg, char **out, struct hpc_error **err)
{
	const struct hpc_strv *dirs = hpc_config_get_list(cfg, "pkgs_dirs");
	char *tried;

	for (size_t i = 0; i < dirs->n; i++) {
		char *d = hpc_path_join(dirs->v[i], "cache");

		if (!hpc_mkdir_p(d, 0755, NULL) && !access(d, W_OK)) {
			*out = d;
			return 0;
		}
		free(d);
	}
	tried = hpc_strv_join(dirs, "', '");
	*out = NULL;
	HPC_FAIL(err, IO, "no writable package cache for repodata (pkgs_dirs: '%s')", tried);
	free(tried);
	return -HPC_E_IO;
}

void hpc_repocache_entry_init(struct hpc_repocache_entry *e, const char *dir,
			      const char *subdir_url, bool use_only_tar_bz2)
{
	e->name = hpc_repocache_name(subdir_url, use_only_tar_bz2);
	e->json = hpc_xasprintf("%s/%s.json", dir, e->name);
	e->state = hpc_xasprintf("%s/%s.info.json", dir, e->name);
	e->solv = hpc_xasprintf("%s/%s.solv", dir, e->name);
}

void hpc_repocache_entry_fini(struct hpc_repocache_entry *e)
{
	free(e->name);
	free(e->json);
	free(e->state);
	free(e->solv);
	memset(e, 0, sizeof(*e));
}

void hpc_repocache_state_fini(struct hpc_repocache_state *st)
{
	free(st->url);
	free(st->etag);
	free(st->mod);
	free(st->cache_control);
	free(st->other_json);
	memset(st, 0, sizeof(*st));
	st->has_zst = -1;
}

/* ---- state files ---- */

static char *json_str(json_t *o, const char *key, const char *old_key)
{
	json_t *v = json_object_get(o, key);

	if (!v && old_key) /* conda's older spelling inside repodata.json itself */
		v = json_object_get(o, old_key);
	return hpc_xstrdup(json_is_string(v) ? json_string_value(v) : "");
}

static int64_t json_int(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);

	return json_is_integer(v) ? (int64_t)json_integer_value(v) : 0;
}

/* "2023-01-08T11:45:44Z" or with fractional seconds / an offset of +00:00. */
static int64_t parse_utc(const char *s)
{
	struct tm tm = { 0 };

	if (!s || sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
			 &tm.tm_hour, &tm.tm_min, &tm.tm_sec) != 6)
		return 0;
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	return (int64_t)timegm(&tm);
}

static void read_has_zst(json_t *o, struct hpc_repocache_state *st)
{
	json_t *z = json_object_get(o, "has_zst");

	st->has_zst = -1;
	if (!json_is_object(z) || !json_is_boolean(json_object_get(z, "value")))
		return;
	st->has_zst = json_is_true(json_object_get(z, "value"));
	st->zst_checked = parse_utc(json_string_value(json_object_get(z, "last_checked")));
}

static const char *const own_keys[] = { "url", "etag", "mod", "cache_control", "size",
					"mtime_ns", "refresh_ns", "has_zst", NULL };

static void keep_others(json_t *o, struct hpc_repocache_state *st)
{
	json_t *rest = json_deep_copy(o);

	for (const char *const *k = own_keys; *k; k++)
		json_object_del(rest, *k);
	if (json_object_size(rest))
		st->other_json = json_dumps(rest, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(rest);
}

static bool matches_file(const struct hpc_repocache_entry *e,
			 const struct hpc_repocache_state *st)
{
	struct stat sb;

	return !stat(e->json, &sb) && (uint64_t)sb.st_size == st->size &&
	       (int64_t)sb.st_mtim.tv_sec * 1000000000LL + sb.st_mtim.tv_nsec == st->mtime_ns;
}

void hpc_repocache_state_load(const struct hpc_repocache_entry *e,
			      struct hpc_repocache_state *st)
{
	json_t *o = json_load_file(e->state, 0, NULL);

	memset(st, 0, sizeof(*st));
	st->has_zst = -1;
	if (!json_is_object(o)) {
		json_decref(o);
		st->url = hpc_xstrdup("");
		st->etag = hpc_xstrdup("");
		st->mod = hpc_xstrdup("");
		st->cache_control = hpc_xstrdup("");
		return;
	}
	st->url = json_str(o, "url", "_url");
	st->etag = json_str(o, "etag", "_etag");
	st->mod = json_str(o, "mod", "_mod");
	st->cache_control = json_str(o, "cache_control", "_cache_control");
	st->size = (uint64_t)json_int(o, "size");
	st->mtime_ns = json_int(o, "mtime_ns");
	st->refresh_ns = json_int(o, "refresh_ns");
	read_has_zst(o, st);
	keep_others(o, st);
	json_decref(o);
	st->valid = matches_file(e, st);
	if (!st->valid) {
		/* the JSON was replaced or damaged behind our back: ask for it again */
		st->etag[0] = st->mod[0] = st->cache_control[0] = '\0';
		st->refresh_ns = 0;
	}
}

static json_t *state_json(const struct hpc_repocache_state *st)
{
	json_t *o = st->other_json ? json_loads(st->other_json, 0, NULL) : NULL;
	char when[32];
	time_t t = (time_t)st->zst_checked;

	if (!json_is_object(o)) {
		json_decref(o);
		o = json_object();
	}
	json_object_set_new(o, "url", json_string(st->url ? st->url : ""));
	json_object_set_new(o, "etag", json_string(st->etag ? st->etag : ""));
	json_object_set_new(o, "mod", json_string(st->mod ? st->mod : ""));
	json_object_set_new(o, "cache_control",
			    json_string(st->cache_control ? st->cache_control : ""));
	json_object_set_new(o, "size", json_integer((json_int_t)st->size));
	json_object_set_new(o, "mtime_ns", json_integer(st->mtime_ns));
	json_object_set_new(o, "refresh_ns", json_integer(st->refresh_ns));
	if (st->has_zst >= 0) {
		strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", gmtime(&t));
		json_object_set_new(o, "has_zst", json_pack("{s:b,s:s}", "value", st->has_zst,
							     "last_checked", when));
	}
	return o;
}

int hpc_repocache_state_save(const struct hpc_repocache_entry *e,
			     struct hpc_repocache_state *st, struct hpc_error **err)
{
	struct stat sb;
	json_t *o;
	char *text;
	int r;

	if (stat(e->json, &sb) < 0)
		return HPC_FAIL(err, IO, "cannot stat '%s': %s", e->json, strerror(errno));
	st->size = (uint64_t)sb.st_size;
	st->mtime_ns = (int64_t)sb.st_mtim.tv_sec * 1000000000LL + sb.st_mtim.tv_nsec;
	st->valid = true;
	o = state_json(st);
	text = json_dumps(o, JSON_INDENT(2) | JSON_SORT_KEYS);
	r = hpc_file_write_atomic(e->state, text, strlen(text), 0644, err);
	free(text);
	json_decref(o);
	return r;
}

/* ---- policy ---- */

static long max_age(const char *cache_control)
{
	const char *m = cache_control ? strstr(cache_control, "max-age=") : NULL;

	return m ? strtol(m + 8, NULL, 10) : 0;
}

bool hpc_repocache_fresh(const struct hpc_repocache_state *st, long ttl, int64_t now_ns)
{
	long age = ttl > 1 ? ttl : ttl == 1 ? max_age(st->cache_control) : 0;

	if (!st->valid || !st->refresh_ns || age <= 0)
		return false;
	return now_ns - st->refresh_ns < (int64_t)age * 1000000000LL;
}

bool hpc_repocache_try_zst(const struct hpc_repocache_state *st, int64_t now_s)
{
	return st->has_zst != 0 || now_s - st->zst_checked > HPC_REPOCACHE_ZST_RECHECK;
}

/* ---- zstd ---- */

static int write_all(int fd, const void *buf, size_t n)
{
	const char *p = buf;

	while (n) {
		ssize_t w = write(fd, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* Stream src through the decoder into fd. */
static int unzstd_fd(int in, int out, const char *what, struct hpc_error **err)
{
	size_t isz = ZSTD_DStreamInSize(), osz = ZSTD_DStreamOutSize(), ret = 1;
	char *ibuf = hpc_xmalloc(isz), *obuf = hpc_xmalloc(osz);
	ZSTD_DStream *z = ZSTD_createDStream();
	ssize_t n;
	int r = 0;

	ZSTD_initDStream(z);
	while (!r && (n = read(in, ibuf, isz)) > 0) {
		ZSTD_inBuffer ib = { ibuf, (size_t)n, 0 };

		while (!r && ib.pos < ib.size) {
			ZSTD_outBuffer ob = { obuf, osz, 0 };

			ret = ZSTD_decompressStream(z, &ob, &ib);
			if (ZSTD_isError(ret))
				r = HPC_FAIL(err, PARSE, "'%s': corrupt zstd data: %s", what,
					     ZSTD_getErrorName(ret));
			else if (write_all(out, obuf, ob.pos) < 0)
				r = HPC_FAIL(err, IO, "cannot write the repodata of '%s': %s", what,
					     strerror(errno));
		}
	}
	if (!r && n < 0)
		r = HPC_FAIL(err, IO, "cannot read the download of '%s': %s", what,
			     strerror(errno));
	if (!r && ret != 0)
		r = HPC_FAIL(err, PARSE, "'%s': truncated zstd data", what);
	ZSTD_freeDStream(z);
	free(ibuf);
	free(obuf);
	return r;
}

int hpc_repocache_unzstd(const char *src, const char *dest, const char *what,
			 struct hpc_error **err)
{
	char *tmp = hpc_xasprintf("%s.XXXXXX", dest);
	int in = open(src, O_RDONLY | O_CLOEXEC), out = -1, r;

	if (in < 0) {
		r = HPC_FAIL(err, IO, "cannot open '%s': %s", src, strerror(errno));
		goto out;
	}
	out = mkostemp(tmp, O_CLOEXEC);
	if (out < 0) {
		r = HPC_FAIL(err, IO, "cannot write next to '%s': %s", dest, strerror(errno));
		goto out;
	}
	fchmod(out, 0644);
	r = unzstd_fd(in, out, what, err);
	if (close(out) < 0 && !r)
		r = HPC_FAIL(err, IO, "cannot write '%s': %s", tmp, strerror(errno));
	out = -1;
	if (!r && rename(tmp, dest) < 0)
		r = HPC_FAIL(err, IO, "cannot replace '%s': %s", dest, strerror(errno));
	if (r)
		unlink(tmp);
out:
	if (in >= 0)
		close(in);
	free(tmp);
	return r;
}

/* The JSON file's identity, not the HTTP validators: a 304 leaves the file as it was,
 * but may carry another spelling of the same ETag (nginx weakens it when it gzips). */
char *hpc_repocache_solv_key(const char *url, const char *json_path, bool use_only_tar_bz2)
{
	struct stat sb;

	if (stat(json_path, &sb) < 0)
		memset(&sb, 0, sizeof(sb));
	return hpc_xasprintf("url=%s\nsize=%lld\nmtime_ns=%lld\ntar_bz2_only=%d", url,
			     (long long)sb.st_size,
			     (long long)sb.st_mtim.tv_sec * 1000000000LL + sb.st_mtim.tv_nsec,
			     use_only_tar_bz2);
}
