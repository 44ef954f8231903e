/* SPDX-License-Identifier: MIT */
/* pkgfetch.c - download the packages a transaction needs into the cache (see pkgfetch.h)
 *
 * One fetch batch for all packages, so fetch_threads transfers share one curl multi handle
 * (and HTTP/2 connections). The caller's events are wrapped to add the batch's overall
 * progress: fetch.c reports per package only, and a user wants to see the whole.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "hpcenv/channel.h"
#include "hpcenv/config.h"
#include "hpcenv/error.h"
#include "hpcenv/explicit.h"
#include "hpcenv/fetch.h"
#include "hpcenv/pkgfetch.h"
#include "strmap.h"

struct pf_job {
	struct hpc_fetch_job fj;
	char *url, *dest, *dist;
	uint64_t shown;        /* bytes reported so far (overall progress) */
};

struct pf {
	const struct hpc_events *ev; /* the caller's */
	struct hpc_events proxy;     /* what fetch.c reports to */
	struct pf_job *jobs;
	size_t n;
	struct hpc_strmap by_fn;     /* file name -> job index + 1 */
	uint64_t total, done;
	double last_emit, started;
	char *label;
};

/* ---- progress: per package from fetch.c, plus the batch's total ---- */

static void emit_overall(struct pf *pf, enum hpc_progress_state st)
{
	struct hpc_progress p = { .id = "download", .label = pf->label, .done = pf->done,
				  .total = pf->total, .bytes = true, .state = st,
				  .overall = true };

	pf->last_emit = hpc_now();
	hpc_progress_emit(pf->ev, &p);
}

static void on_progress(void *ud, const struct hpc_progress *p)
{
	struct pf *pf = ud;
	void **slot = hpc_strmap_get(&pf->by_fn, p->id);

	if (slot) {
		struct pf_job *j = &pf->jobs[(size_t)(uintptr_t)*slot - 1];

		pf->done = pf->done - j->shown + p->done; /* a retry starts the item again */
		j->shown = p->done;
	}
	hpc_progress_emit(pf->ev, p);
	if (p->state != HPC_PROGRESS_UPDATE || hpc_now() - pf->last_emit >= 0.05)
		emit_overall(pf, HPC_PROGRESS_UPDATE);
}

static void on_log(void *ud, enum hpc_log_level level, const char *msg)
{
	struct pf *pf = ud;

	hpc_log(pf->ev, level, "%s", msg);
}

static bool on_cancelled(void *ud)
{
	return hpc_cancelled(((struct pf *)ud)->ev);
}

/* ---- what to get ---- */

static char *item_url(const struct hpc_record *r)
{
	if (r->url)
		return hpc_xstrdup(r->url);
	if (r->channel && r->subdir && r->fn)
		return hpc_xasprintf("%s/%s/%s", r->channel, r->subdir, r->fn);
	return NULL;
}

/* A file:// URL or path: the item's archive is that file, read where it is. */
static int use_in_place(struct hpc_cache_item *it, const char *path, const char *dist,
			struct hpc_error **err)
{
	struct stat st;

	if (stat(path, &st) < 0 || !S_ISREG(st.st_mode))
		return HPC_FAIL(err, NOTFOUND, "package '%s': no such file '%s'", dist, path);
	it->archive = hpc_xstrdup(path);
	return 0;
}

static void add_job(struct pf *pf, const char *dir, const struct hpc_record *r, char *url,
		    char *dist)
{
	struct pf_job *j;
	bool added;
	void **slot = hpc_strmap_put(&pf->by_fn, r->fn, &added);

	if (!added) { /* the same file twice in one list: one download */
		free(url);
		free(dist);
		return;
	}
	pf->jobs = hpc_xrealloc(pf->jobs, (pf->n + 1) * sizeof(*pf->jobs));
	j = &pf->jobs[pf->n++];
	memset(j, 0, sizeof(*j));
	*slot = (void *)(uintptr_t)pf->n;
	j->url = url;
	j->dist = dist;
	j->dest = hpc_path_join(dir, r->fn);
	j->fj.url = j->url;
	j->fj.dest = j->dest;
	j->fj.label = r->fn; /* also the progress id on_progress looks up */
	j->fj.size = r->size;
	j->fj.sha256 = r->sha256;
	j->fj.md5 = r->md5;
	j->fj.flags = HPC_FETCH_RESUME;
	pf->total += r->size;
}

/* Local items are settled here; remote ones become jobs. */
static int plan(struct pf *pf, struct hpc_cache *cache, struct hpc_cache_item **items, size_t n,
		struct hpc_error **err)
{
	const char *dir = hpc_cache_writable(cache);
	int r = 0;

	for (size_t i = 0; !r && i < n; i++) {
		struct hpc_record *rec = &items[i]->rec;
		char *dist = hpc_record_dist(rec), *url = item_url(rec), *path;

		path = url ? hpc_url_local_path(url) : NULL;
		if (!url)
			r = HPC_FAIL(err, NOTFOUND, "package '%s' is not in the package cache and "
				     "its record has no URL to download it from", dist);
		else if (path)
			r = use_in_place(items[i], path, dist, err);
		else if (!dir || !rec->fn)
			r = HPC_FAIL(err, IO, "package '%s': no writable package cache (pkgs_dirs) "
				     "to download '%s' into", dist, url);
		free(path);
		if (r || path) {
			free(url);
			free(dist);
			continue;
		}
		add_job(pf, dir, rec, url, dist);
	}
	return r;
}

static void pf_fini(struct pf *pf)
{
	for (size_t i = 0; i < pf->n; i++) {
		hpc_fetch_job_fini(&pf->jobs[i].fj);
		free(pf->jobs[i].url);
		free(pf->jobs[i].dest);
		free(pf->jobs[i].dist);
	}
	free(pf->jobs);
	hpc_strmap_fini(&pf->by_fn, NULL);
	free(pf->label);
}

/* ---- downloading ---- */

/* Run the jobs idx[0..k) in one batch; results land in pf->jobs. */
static void run_jobs(struct pf *pf, struct hpc_fetch *f, const size_t *idx, size_t k)
{
	struct hpc_fetch_job *batch = hpc_xcalloc(k, sizeof(*batch));

	for (size_t i = 0; i < k; i++)
		batch[i] = pf->jobs[idx[i]].fj;
	hpc_fetch_run(f, batch, k, NULL); /* each job's outcome is in it */
	for (size_t i = 0; i < k; i++)
		pf->jobs[idx[i]].fj = batch[i];
	free(batch);
}

/* Bytes that did not match their record are gone (fetch.c deletes them): once more. */
static void retry_mismatches(struct pf *pf, struct hpc_fetch *f, size_t *idx)
{
	size_t k = 0;

	for (size_t i = 0; i < pf->n; i++) {
		struct hpc_fetch_job *fj = &pf->jobs[i].fj;

		if (!fj->err || fj->err->code != HPC_E_CHECKSUM || hpc_cancelled(pf->ev))
			continue;
		hpc_warn(pf->ev, "package '%s': %s; downloading it again", pf->jobs[i].dist,
			 fj->err->msg);
		hpc_fetch_job_fini(fj);
		idx[k++] = i;
	}
	if (k)
		run_jobs(pf, f, idx, k);
}

static int report(struct pf *pf, struct hpc_error **err)
{
	const struct pf_job *first = NULL;
	size_t failed = 0;

	if (hpc_cancelled(pf->ev))
		return HPC_FAIL(err, INTERRUPTED, "downloads interrupted");
	for (size_t i = 0; i < pf->n; i++)
		if (pf->jobs[i].fj.err) {
			first = first ? first : &pf->jobs[i];
			failed++;
		}
	if (!first)
		return 0;
	return HPC_FAILC(err, first->fj.err->code, "package '%s': %s%s", first->dist,
			 first->fj.err->msg, failed < 2 ? "" : " (and more packages failed)");
}

static void note_downloads(struct pf *pf, struct hpc_cache *cache)
{
	uint64_t bytes = 0;

	for (size_t i = 0; i < pf->n; i++) {
		struct hpc_error *e = NULL;

		bytes += pf->jobs[i].fj.bytes;
		if (hpc_cache_add_url(cache, pf->jobs[i].url, &e)) /* conda's record; not vital */
			hpc_warn(pf->ev, "%s", e->msg);
		hpc_error_free(e);
	}
	hpc_info(pf->ev, "Downloaded %zu package%s (%.1f MB) in %.1f s", pf->n,
		 pf->n == 1 ? "" : "s", (double)bytes / 1e6, hpc_now() - pf->started);
}

static int download(struct pf *pf, const struct hpc_config *cfg, struct hpc_cache *cache,
		    struct hpc_error **err)
{
	size_t *idx = hpc_xcalloc(pf->n, sizeof(*idx));
	struct hpc_fetch *f;
	int r;

	if (hpc_config_get_bool(cfg, "offline")) {
		free(idx);
		return HPC_FAIL(err, FETCH, "offline: %zu package%s not in the package cache, "
				"first '%s' from '%s'", pf->n, pf->n == 1 ? " is" : "s are",
				pf->jobs[0].dist, pf->jobs[0].url);
	}
	r = hpc_cache_lock(cache, false, pf->ev, err); /* `clean` must not run meanwhile */
	if (r) {
		free(idx);
		return r;
	}
	pf->proxy = (struct hpc_events){ on_log, on_progress, NULL, on_cancelled, pf,
					 pf->ev ? pf->ev->level : HPC_LOG_INFO };
	f = hpc_fetch_new(cfg, &pf->proxy);
	pf->label = hpc_xasprintf("Downloading %zu package%s", pf->n, pf->n == 1 ? "" : "s");
	pf->started = hpc_now();
	emit_overall(pf, HPC_PROGRESS_START);
	for (size_t i = 0; i < pf->n; i++)
		idx[i] = i;
	run_jobs(pf, f, idx, pf->n);
	retry_mismatches(pf, f, idx);
	r = report(pf, err);
	emit_overall(pf, r ? HPC_PROGRESS_FAILED : HPC_PROGRESS_DONE);
	if (!r)
		note_downloads(pf, cache);
	hpc_fetch_free(f);
	free(idx);
	return r;
}

int hpc_pkgfetch_run(void *cfg, struct hpc_cache *cache, struct hpc_cache_item **items, size_t n,
		     const struct hpc_events *ev, struct hpc_error **err)
{
	struct pf pf = { .ev = ev };
	int r = plan(&pf, cache, items, n, err);

	if (!r && pf.n)
		r = download(&pf, cfg, cache, err);
	for (size_t i = 0; !r && i < n; i++) {
		void **slot = items[i]->archive ? NULL
					       : hpc_strmap_get(&pf.by_fn, items[i]->rec.fn);

		if (slot)
			items[i]->archive = hpc_xstrdup(pf.jobs[(size_t)(uintptr_t)*slot - 1].dest);
	}
	pf_fini(&pf);
	return r;
}
