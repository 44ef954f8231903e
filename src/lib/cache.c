/* SPDX-License-Identifier: MIT */
/* cache.c - find, validate, fill and clean the package cache (see include/hpcenv/cache.h) */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hpcenv/cache.h"
#include "hpcenv/envs.h"
#include "hpcenv/error.h"
#include "hpcenv/extract.h"
#include "hpcenv/lock.h"
#include "hpcenv/workers.h"
#include "record_int.h"

#define TMP_DIR ".hpcenv-tmp"

struct hpc_cache {
	struct hpc_cache_options opt;
	struct hpc_strv dirs;         /* every pkgs dir, lookup order */
	char *writable;               /* where new packages go, or NULL */
	struct hpc_lock *lock;        /* on the writable cache */
	bool exclusive;
	struct hpc_strv private_dirs; /* package copies used lock-free, removed at free */
};

void hpc_cache_item_init(struct hpc_cache_item *it, const struct hpc_record *rec,
			 const char *archive)
{
	memset(it, 0, sizeof(*it));
	hpc_record_copy(&it->rec, rec);
	it->archive = archive ? hpc_xstrdup(archive) : NULL;
}

void hpc_cache_item_fini(struct hpc_cache_item *it)
{
	hpc_record_fini(&it->rec);
	free(it->archive);
	free(it->dir);
	memset(it, 0, sizeof(*it));
}

/* The process umask, read without changing it (thread-safe). */
static mode_t umask_now(void)
{
	FILE *f = fopen("/proc/self/status", "re");
	char line[256];
	unsigned m = 022;

	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "Umask: %o", &m) == 1)
			break;
	if (f)
		fclose(f);
	return (mode_t)m;
}

/* A cache is writable when it exists and we may write in it, or when we can make it. */
static bool usable_for_writing(const char *dir)
{
	if (!hpc_is_dir(dir) && hpc_mkdir_p(dir, 0777, NULL))
		return false;
	return faccessat(AT_FDCWD, dir, W_OK | X_OK, AT_EACCESS) == 0;
}

static void ensure_urls_txt(const char *dir)
{
	char *p = hpc_path_join(dir, "urls.txt");
	int fd = open(p, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0666);

	if (fd >= 0)
		close(fd);
	free(p);
}

int hpc_cache_open(const struct hpc_strv *dirs, const struct hpc_cache_options *opt,
		   const struct hpc_events *ev, struct hpc_cache **out, struct hpc_error **err)
{
	struct hpc_cache *c = hpc_xcalloc(1, sizeof(*c));

	if (opt)
		c->opt = *opt;
	else
		c->opt.lock_timeout = 60;
	for (size_t i = 0; i < dirs->n; i++) {
		hpc_strv_push(&c->dirs, dirs->v[i]);
		if (!c->writable && usable_for_writing(dirs->v[i])) {
			c->writable = hpc_xstrdup(dirs->v[i]);
			ensure_urls_txt(c->writable);
		}
	}
	if (!c->writable)
		hpc_debug(ev, "no writable package cache among %zu pkgs_dirs", dirs->n);
	*out = c;
	return 0;
}

void hpc_cache_free(struct hpc_cache *c)
{
	if (!c)
		return;
	hpc_cache_unlock(c);
	for (size_t i = 0; i < c->private_dirs.n; i++)
		hpc_rm_rf(c->private_dirs.v[i], NULL);
	hpc_strv_fini(&c->private_dirs);
	hpc_strv_fini(&c->dirs);
	free(c->writable);
	free(c);
}

const char *hpc_cache_writable(const struct hpc_cache *c)
{
	return c->writable;
}

const struct hpc_strv *hpc_cache_dirs(const struct hpc_cache *c)
{
	return &c->dirs;
}

int hpc_cache_lock(struct hpc_cache *c, bool exclusive, const struct hpc_events *ev,
		   struct hpc_error **err)
{
	struct hpc_lock_options o = { .timeout = c->opt.lock_timeout, .shared = !exclusive,
				      .fallback = true };
	int r;

	if (!c->writable)
		return 0;
	if (c->lock && (c->exclusive == exclusive || !hpc_lock_held(c->lock)))
		return 0;
	if (c->lock && !exclusive) { /* downgrading is atomic */
		r = hpc_lock_change(c->lock, true, c->opt.lock_timeout, ev, err);
		if (!r)
			c->exclusive = false;
		return r;
	}
	hpc_cache_unlock(c);
	r = hpc_lock_acquire(c->writable, &o, ev, &c->lock, err);
	c->exclusive = exclusive;
	return r;
}

void hpc_cache_unlock(struct hpc_cache *c)
{
	hpc_lock_release(c->lock);
	c->lock = NULL;
	c->exclusive = false;
}

/* Does `have` (a cached repodata_record.json) describe the package file `want` names? */
static bool same_package(const struct hpc_record *want, const struct hpc_record *have)
{
	if (strcmp(want->name, have->name) || strcmp(want->version, have->version) ||
	    strcmp(want->build, have->build))
		return false;
	if (want->sha256 && have->sha256)
		return !strcasecmp(want->sha256, have->sha256);
	if (want->md5 && have->md5)
		return !strcasecmp(want->md5, have->md5);
	if (want->size && have->size && want->size != have->size)
		return false;
	if (want->url && have->url)
		return !strcmp(want->url, have->url);
	return true; /* nothing to tell them apart: conda trusts the cache too */
}

/* Is dir a complete package directory for want? Its record goes to *have when asked. */
static bool dir_valid(const char *dir, const struct hpc_record *want, struct hpc_record *have)
{
	char *p = hpc_path_join(dir, "info/repodata_record.json"), *text = NULL;
	struct hpc_record rec;
	size_t len;
	bool ok = false;

	if (hpc_file_read(p, &text, &len, NULL) == 0 &&
	    hpc_record_from_json(&rec, text, len, p, NULL) == 0) {
		ok = same_package(want, &rec);
		if (ok && have)
			*have = rec;
		else
			hpc_record_fini(&rec);
	}
	free(text);
	free(p);
	return ok;
}

/* The first cache's valid directory for rec, and its record (when have is not NULL). */
static char *find_dir(const struct hpc_cache *c, const struct hpc_record *rec,
		      struct hpc_record *have)
{
	char *dist = hpc_record_dist(rec), *r = NULL;

	for (size_t i = 0; !r && i < c->dirs.n; i++) {
		char *p = hpc_path_join(c->dirs.v[i], dist);

		if (dir_valid(p, rec, have))
			r = p;
		else
			free(p);
	}
	free(dist);
	return r;
}

char *hpc_cache_find(const struct hpc_cache *c, const struct hpc_record *rec)
{
	return find_dir(c, rec, NULL);
}

static bool archive_valid(const char *p, const struct hpc_record *rec)
{
	char md5[HPC_MD5_HEX], sha[HPC_SHA256_HEX];
	struct stat st;

	if (stat(p, &st) < 0 || !S_ISREG(st.st_mode))
		return false;
	if (rec->size && (uint64_t)st.st_size != rec->size)
		return false;
	if (!rec->sha256 && !rec->md5)
		return true;
	if (hpc_digest_file(p, md5, sha, NULL, NULL))
		return false;
	return rec->sha256 ? !strcasecmp(sha, rec->sha256) : !strcasecmp(md5, rec->md5);
}

char *hpc_cache_find_archive(const struct hpc_cache *c, const struct hpc_record *rec)
{
	for (size_t i = 0; rec->fn && i < c->dirs.n; i++) {
		char *p = hpc_path_join(c->dirs.v[i], rec->fn);

		if (archive_valid(p, rec))
			return p;
		free(p);
	}
	return NULL;
}

int hpc_cache_add_url(struct hpc_cache *c, const char *url, struct hpc_error **err)
{
	char *p, *line;
	int fd, r = 0;

	if (!c->writable)
		return HPC_FAIL(err, IO, "no writable package cache to record '%s' in", url);
	p = hpc_path_join(c->writable, "urls.txt");
	line = hpc_xasprintf("%s\n", url);
	fd = open(p, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0666);
	/* one write() with O_APPEND: lines from concurrent processes never interleave */
	if (fd < 0 || write(fd, line, strlen(line)) != (ssize_t)strlen(line))
		r = HPC_FAIL(err, IO, "cannot append to '%s': %s", p, strerror(errno));
	if (fd >= 0)
		close(fd);
	free(line);
	free(p);
	return r;
}

/* ---- filling the cache ---- */

static void take_str(char **dst, char **src)
{
	if (!*dst && *src) {
		*dst = *src;
		*src = NULL;
	}
}

/* Fill what the wanted record lacks (an @EXPLICIT line names only the file) from the
 * package's own info/index.json. */
static void merge_index(struct hpc_record *rec, struct hpc_record *idx)
{
	take_str(&rec->subdir, &idx->subdir);
	take_str(&rec->noarch, &idx->noarch);
	take_str(&rec->license, &idx->license);
	take_str(&rec->python_site_packages_path, &idx->python_site_packages_path);
	take_str(&rec->extra_json, &idx->extra_json);
	if (!rec->build_number)
		rec->build_number = idx->build_number;
	if (!rec->timestamp)
		rec->timestamp = idx->timestamp;
	if (!rec->depends.n)
		hpc_strv_copy(&rec->depends, &idx->depends);
	if (!rec->constrains.n)
		hpc_strv_copy(&rec->constrains, &idx->constrains);
	if (!rec->track_features.n)
		hpc_strv_copy(&rec->track_features, &idx->track_features);
}

static int check_hash(const char *what, const char *want, const char *have, const char *archive,
		      struct hpc_error **err)
{
	if (want && strcasecmp(want, have))
		return HPC_FAIL(err, CHECKSUM, "'%s': %s is %s, expected %s", archive, what, have,
				want);
	return 0;
}

static int complete_record(struct hpc_record *rec, const char *dir,
			   const struct hpc_extract_result *res, const char *archive,
			   struct hpc_error **err)
{
	char *p = hpc_path_join(dir, "info/index.json"), *text = NULL;
	struct hpc_record idx;
	size_t len;
	int r = check_hash("sha256", rec->sha256, res->sha256, archive, err);

	r = r ? r : check_hash("md5", rec->md5, res->md5, archive, err);
	if (!r && rec->size && rec->size != res->archive_size)
		r = HPC_FAIL(err, CHECKSUM, "'%s' has %llu bytes, expected %llu", archive,
			     (unsigned long long)res->archive_size, (unsigned long long)rec->size);
	r = r ? r : hpc_file_read(p, &text, &len, err);
	r = r ? r : hpc_record_from_json(&idx, text, len, p, err);
	if (!r) {
		merge_index(rec, &idx);
		hpc_record_fini(&idx);
		if (!rec->sha256)
			rec->sha256 = hpc_xstrdup(res->sha256);
		if (!rec->md5)
			rec->md5 = hpc_xstrdup(res->md5);
		if (!rec->size)
			rec->size = res->archive_size;
		if (!rec->fn)
			rec->fn = hpc_xstrdup(strrchr(archive, '/') ? strrchr(archive, '/') + 1
								   : archive);
	}
	free(text);
	free(p);
	return r;
}

static int write_record(const char *dir, const struct hpc_record *rec, struct hpc_error **err)
{
	char *p = hpc_path_join(dir, "info/repodata_record.json"), *json = hpc_record_to_json(rec);
	int r = hpc_file_write_atomic(p, json, strlen(json), 0666 & ~umask_now(), err);

	free(json);
	free(p);
	return r;
}

struct xjob {
	struct hpc_cache *c;
	struct hpc_cache_item *item;
	const char *archive;
	char *dist;
	char *tmp;
	int rc;
	struct hpc_error *err;
};

static void extract_job(struct hpc_workers *w, void *arg)
{
	struct xjob *j = arg;
	char *tmproot = hpc_path_join(j->c->writable, TMP_DIR);
	struct hpc_extract_options o = { .dist = j->dist, .verify = !j->c->opt.no_verify,
					 .workers = w };
	struct hpc_extract_result res;

	j->tmp = hpc_xasprintf("%s/%s-XXXXXX", tmproot, j->dist);
	j->rc = hpc_mkdir_p(tmproot, 0777, &j->err);
	/* ext4 (see hpc_envs_dir_spread): each extraction goes to its own block group rather
	 * than next to the inodes the last cleanup freed, which ext4 would scan for every file
	 * it creates (an empty cache on /var/tmp: 3.5-4.5 s -> 0.5-0.7 s for 202 packages) */
	if (!j->rc)
		hpc_envs_dir_spread(tmproot);
	if (!j->rc && !mkdtemp(j->tmp))
		j->rc = HPC_FAIL(&j->err, IO, "cannot create a directory in '%s': %s", tmproot,
				 strerror(errno));
	free(tmproot);
	if (j->rc)
		return;
	chmod(j->tmp, 0777 & ~umask_now()); /* mkdtemp made it private; it is ours */
	j->rc = hpc_extract_package(j->archive, j->tmp, &o, &res, &j->err);
	j->rc = j->rc ? j->rc : complete_record(&j->item->rec, j->tmp, &res, j->archive, &j->err);
	j->rc = j->rc ? j->rc : write_record(j->tmp, &j->item->rec, &j->err);
	hpc_extract_result_fini(&res);
	if (j->rc)
		hpc_rm_rf(j->tmp, NULL);
}

/* Move an invalid (incomplete) package directory out of the way; false when it cannot be
 * (lock-free, or it is not ours to move). */
static bool evict(struct hpc_cache *c, const char *final)
{
	char *trash = hpc_xasprintf("%s/%s/trash-XXXXXX", c->writable, TMP_DIR);
	bool ok = false;

	if (hpc_lock_held(c->lock) && c->exclusive && mkdtemp(trash)) {
		char *to = hpc_path_join(trash, "pkg");

		ok = rename(final, to) == 0;
		hpc_rm_rf(trash, NULL); /* best effort: another user's files may stay */
		free(to);
	}
	free(trash);
	return ok;
}

/* Rename a finished extraction into place (see cache.h for the lock-free rules). */
static int install_dir(struct hpc_cache *c, struct xjob *j, const struct hpc_events *ev,
		       struct hpc_error **err)
{
	char *final = hpc_path_join(c->writable, j->dist);

	if (rename(j->tmp, final) < 0 && errno != EEXIST && errno != ENOTEMPTY &&
	    errno != ENOTDIR) {
		int r = HPC_FAIL(err, IO, "cannot rename '%s' to '%s': %s", j->tmp, final,
				 strerror(errno));

		free(final);
		return r;
	}
	if (!hpc_path_exists(j->tmp)) {
		j->item->dir = final;
		j->item->extracted = true;
		return 0;
	}
	if (dir_valid(final, &j->item->rec, NULL)) { /* another process was faster */
		hpc_rm_rf(j->tmp, NULL);
		j->item->dir = final;
		return 0;
	}
	if (evict(c, final) && rename(j->tmp, final) == 0) {
		j->item->dir = final;
		j->item->extracted = true;
		return 0;
	}
	hpc_warn(ev, "'%s' is incomplete and may be in use by another process: using a private "
		 "copy of the package", final);
	hpc_strv_push(&c->private_dirs, j->tmp);
	j->item->dir = hpc_xstrdup(j->tmp);
	j->item->extracted = true;
	free(final);
	return 0;
}

/* Records from lists without hashes are identified by the archive's own hashes, so a
 * cached directory can be validated against the file that would be installed. */
static int hash_archives(struct hpc_cache_item *items, size_t n, struct hpc_error **err)
{
	for (size_t i = 0; i < n; i++) {
		struct hpc_cache_item *it = &items[i];
		char md5[HPC_MD5_HEX], sha[HPC_SHA256_HEX];
		uint64_t size;
		int r;

		if (!it->archive || it->rec.md5 || it->rec.sha256)
			continue;
		r = hpc_digest_file(it->archive, md5, sha, &size, err);
		if (r)
			return r;
		it->rec.md5 = hpc_xstrdup(md5);
		it->rec.sha256 = hpc_xstrdup(sha);
		if (!it->rec.size)
			it->rec.size = size;
	}
	return 0;
}

/* A record found in the cache is completed from the cached repodata_record.json. */
static void fill_from(struct hpc_record *rec, struct hpc_record *have)
{
	merge_index(rec, have);
	take_str(&rec->md5, &have->md5);
	take_str(&rec->sha256, &have->sha256);
	take_str(&rec->fn, &have->fn);
	take_str(&rec->url, &have->url);
	take_str(&rec->channel, &have->channel);
	if (!rec->size)
		rec->size = have->size;
}

size_t hpc_cache_find_items(const struct hpc_cache *c, struct hpc_cache_item *items, size_t n)
{
	size_t missing = 0;

	for (size_t i = 0; i < n; i++) {
		struct hpc_record have;

		if (!items[i].dir && (items[i].dir = find_dir(c, &items[i].rec, &have))) {
			fill_from(&items[i].rec, &have);
			hpc_record_fini(&have);
		}
		missing += !items[i].dir;
	}
	return missing;
}

static int plan_job(struct hpc_cache *c, struct hpc_cache_item *it, struct xjob *j,
		    struct hpc_error **err)
{
	j->c = c;
	j->item = it;
	j->dist = hpc_record_dist(&it->rec);
	if (!it->archive)
		it->archive = hpc_cache_find_archive(c, &it->rec);
	if (!it->archive)
		return HPC_FAIL(err, NOTFOUND, "package '%s' is neither extracted in the package "
				"cache nor available as a local file%s%s", j->dist,
				it->rec.url ? ": " : "", it->rec.url ? it->rec.url : "");
	if (!c->writable)
		return HPC_FAIL(err, IO, "no writable package cache (pkgs_dirs) to extract '%s' "
				"into", j->dist);
	j->archive = it->archive;
	return 0;
}

static void progress(const struct hpc_events *ev, const struct xjob *j,
		     enum hpc_progress_state st)
{
	char label[256];
	struct hpc_progress p = { .id = j->dist, .label = label, .done = st == HPC_PROGRESS_DONE,
				  .total = 1, .state = st };

	snprintf(label, sizeof(label), "extract %s", j->dist);
	hpc_progress_emit(ev, &p);
}

/* Run the extractions; the first failure (or a cancellation) stops the rest. */
static int run_jobs(struct hpc_cache *c, struct xjob *jobs, size_t nj,
		    const struct hpc_events *ev, struct hpc_error **err)
{
	struct hpc_workers *w = hpc_workers_new(c->opt.extract_threads);
	int rc = 0;

	for (size_t i = 0; i < nj; i++) {
		progress(ev, &jobs[i], HPC_PROGRESS_START);
		hpc_workers_add(w, extract_job, &jobs[i]);
	}
	while (hpc_workers_pending(w)) {
		struct xjob *j = hpc_workers_next(w, 0.1);

		if (!rc && hpc_cancelled(ev)) {
			hpc_workers_cancel(w);
			rc = HPC_FAIL(err, INTERRUPTED, "interrupted while extracting packages");
		}
		if (!j)
			continue;
		if (!j->rc && !rc)
			j->rc = install_dir(c, j, ev, &j->err);
		else if (!j->rc)
			hpc_rm_rf(j->tmp, NULL);
		progress(ev, j, j->rc ? HPC_PROGRESS_FAILED : HPC_PROGRESS_DONE);
		if (j->rc && !rc) {
			hpc_workers_cancel(w);
			rc = j->rc;
			*err = j->err; /* err is never NULL here: run_jobs gets a local */
			j->err = NULL;
		}
	}
	hpc_workers_free(w);
	return rc;
}

static void jobs_free(struct xjob *jobs, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(jobs[i].dist);
		free(jobs[i].tmp);
		hpc_error_free(jobs[i].err);
	}
	free(jobs);
}

static int extract_missing(struct hpc_cache *c, struct hpc_cache_item *items, size_t n,
			   const struct hpc_events *ev, struct hpc_error **err)
{
	struct xjob *jobs = hpc_xcalloc(n, sizeof(*jobs));
	struct hpc_error *e = NULL;
	size_t nj = 0;
	int rc = hpc_cache_lock(c, true, ev, err);

	if (!rc)
		hpc_cache_find_items(c, items, n); /* someone may have extracted them meanwhile */
	for (size_t i = 0; !rc && i < n; i++)
		if (!items[i].dir)
			rc = plan_job(c, &items[i], &jobs[nj++], err);
	if (!rc)
		rc = run_jobs(c, jobs, nj, ev, &e);
	if (e) {
		if (err)
			*err = e;
		else
			hpc_error_free(e);
	}
	jobs_free(jobs, nj);
	return rc;
}

int hpc_cache_prepare(struct hpc_cache *c, struct hpc_cache_item *items, size_t n,
		      const struct hpc_events *ev, struct hpc_error **err)
{
	int rc = hash_archives(items, n, err);

	rc = rc ? rc : hpc_cache_lock(c, false, ev, err);
	if (!rc && hpc_cache_find_items(c, items, n))
		rc = extract_missing(c, items, n, ev, err);
	if (!rc)
		rc = hpc_cache_lock(c, false, ev, err);
	return rc;
}

/* ---- cleaning ---- */

/* nftw has no user pointer: these are per call, and cleaning runs on one thread. */
static uint64_t walk_bytes;
static bool walk_linked;

static int add_size(const char *p, const struct stat *st, int type, struct FTW *f)
{
	if (type == FTW_F)
		walk_bytes += (uint64_t)st->st_size;
	return 0;
}

static int find_link(const char *p, const struct stat *st, int type, struct FTW *f)
{
	if (type == FTW_F && S_ISREG(st->st_mode) && st->st_nlink > 1) {
		walk_linked = true;
		return 1; /* stop */
	}
	return 0;
}

static uint64_t tree_bytes(const char *p)
{
	walk_bytes = 0;
	nftw(p, add_size, 32, FTW_PHYS);
	return walk_bytes;
}

/* conda's rule: an extracted package is in use while one of its files has another
 * hard link (an environment linked it). */
static bool package_in_use(const char *p)
{
	walk_linked = false;
	nftw(p, find_link, 32, FTW_PHYS);
	return walk_linked;
}

static void report_add(struct hpc_clean_report *rep, const char *p, uint64_t bytes)
{
	rep->items = hpc_xrealloc(rep->items, (rep->n + 1) * sizeof(*rep->items));
	rep->items[rep->n].path = hpc_xstrdup(p);
	rep->items[rep->n++].bytes = bytes;
	rep->bytes += bytes;
}

void hpc_clean_report_fini(struct hpc_clean_report *rep)
{
	for (size_t i = 0; i < rep->n; i++)
		free(rep->items[i].path);
	free(rep->items);
	memset(rep, 0, sizeof(*rep));
}

static void remove_one(const char *p, bool dir, bool dry_run, const struct hpc_events *ev,
		       struct hpc_clean_report *rep)
{
	uint64_t bytes = dir ? tree_bytes(p) : 0;
	struct stat st;
	struct hpc_error *e = NULL;
	int r = 0;

	if (!dir && lstat(p, &st) == 0)
		bytes = (uint64_t)st.st_size;
	if (!dry_run && dir)
		r = hpc_rm_rf(p, &e);
	else if (!dry_run && unlink(p) < 0)
		r = HPC_FAIL(&e, IO, "cannot remove '%s': %s", p, strerror(errno));
	if (r) { /* another user's files in a shared cache: leave them, say so */
		hpc_warn(ev, "%s", e->msg);
		hpc_error_free(e);
		rep->skipped++;
		return;
	}
	report_add(rep, p, bytes);
}

static bool is_package_dir(const char *p)
{
	char *a = hpc_path_join(p, "info/index.json");
	bool r = hpc_path_exists(a);

	free(a);
	return r;
}

static void clean_entry(const char *dir, const struct dirent *e, unsigned what, bool dry_run,
			const struct hpc_events *ev, struct hpc_clean_report *rep)
{
	char *p = hpc_path_join(dir, e->d_name);
	struct stat st;
	bool isdir = lstat(p, &st) == 0 && S_ISDIR(st.st_mode);

	if ((what & HPC_CLEAN_TARBALLS) && !isdir &&
	    (hpc_str_endswith(e->d_name, ".conda") || hpc_str_endswith(e->d_name, ".tar.bz2")))
		remove_one(p, false, dry_run, ev, rep);
	else if ((what & HPC_CLEAN_TEMP) && isdir && !strcmp(e->d_name, ".hpcenv-tmp"))
		remove_one(p, true, dry_run, ev, rep);
	else if ((what & HPC_CLEAN_INDEX) && isdir && !strcmp(e->d_name, "cache"))
		remove_one(p, true, dry_run, ev, rep);
	else if ((what & HPC_CLEAN_PACKAGES) && isdir && e->d_name[0] != '.' &&
		 is_package_dir(p) && !package_in_use(p))
		remove_one(p, true, dry_run, ev, rep);
	free(p);
}

static int clean_dir(const char *dir, unsigned what, bool dry_run, const struct hpc_events *ev,
		     struct hpc_clean_report *rep, struct hpc_error **err)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	struct hpc_strv names = HPC_STRV_INIT;

	if (!d)
		return errno == ENOENT ? 0 : HPC_FAIL(err, IO, "cannot read '%s': %s", dir,
						      strerror(errno));
	while ((e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			hpc_strv_push(&names, e->d_name);
	closedir(d);
	for (size_t i = 0; i < names.n; i++) {
		struct dirent fake = { .d_type = DT_UNKNOWN };

		snprintf(fake.d_name, sizeof(fake.d_name), "%s", names.v[i]);
		clean_entry(dir, &fake, what, dry_run, ev, rep);
	}
	hpc_strv_fini(&names);
	return 0;
}

int hpc_cache_clean(struct hpc_cache *c, unsigned what, bool dry_run,
		    const struct hpc_events *ev, struct hpc_clean_report *rep,
		    struct hpc_error **err)
{
	int rc = 0;

	memset(rep, 0, sizeof(*rep));
	if (c->writable)
		rc = hpc_cache_lock(c, true, ev, err);
	for (size_t i = 0; !rc && i < c->dirs.n; i++) {
		if (faccessat(AT_FDCWD, c->dirs.v[i], W_OK | X_OK, AT_EACCESS) != 0)
			continue; /* read-only (a site cache): not ours to clean */
		rc = clean_dir(c->dirs.v[i], what, dry_run, ev, rep, err);
	}
	return rc;
}
