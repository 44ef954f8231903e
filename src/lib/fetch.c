/* SPDX-License-Identifier: MIT */
/* fetch.c - a batch of downloads on one libcurl multi handle
 *
 * Single-threaded: curl's multi interface drives every transfer from the caller's
 * thread, so progress and log callbacks need no locking and cancellation is polled
 * between curl calls (at least every 100 ms). Bodies go to a temporary file next to
 * the destination, hashed as they arrive, and are renamed into place once size and
 * digests match. No fsync: rename keeps readers from ever seeing half a file, and a
 * power cut at worst loses a cache entry that is fetched again.
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <curl/curl.h>

#include "hpcenv/channel.h"
#include "hpcenv/digest.h"
#include "hpcenv/error.h"
#include "hpcenv/fetch.h"

/* mamba's stall rule: slower than this many bytes/s for remote_read_timeout_secs */
#define STALL_BYTES_PER_SEC 30L
#define POLL_MS 100

struct hpc_fetch {
	const struct hpc_config *cfg;
	const struct hpc_events *ev;
	CURLM *multi;
	long threads, max_retries;
	double connect_timeout, read_timeout, backoff;
	bool offline, insecure, warned_insecure;
	char *ca_file, *ca_dir;
	char *user_agent;
};

enum xstate { X_WAITING, X_RUNNING, X_DONE };

struct xfer {
	struct hpc_fetch *f;
	struct hpc_fetch_job *job; /* the job being tried: the caller's or a fallback */
	enum xstate state;
	double next_try;
	CURL *easy;
	struct curl_slist *headers;
	char errbuf[CURL_ERROR_SIZE];
	char *tmp;               /* where the body goes */
	int fd;
	uint64_t offset;         /* bytes already in tmp when this attempt started */
	struct hpc_digest *digest; /* of what the job expects (sha256/md5), or NULL */
	int status;
	char *reason;            /* HTTP reason phrase of the last status line */
	bool too_big, write_failed, started;
	double last_progress;
	char *shown_url;         /* redacted */
};

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;

static void curl_init_once(void)
{
	curl_global_init(CURL_GLOBAL_DEFAULT);
}

/* ---- settings ---- */

static void setup_tls(struct hpc_fetch *f)
{
	const char *v = hpc_config_get_str(f->cfg, "ssl_verify");
	const char *envs[] = { "REQUESTS_CA_BUNDLE", "SSL_CERT_FILE", "CURL_CA_BUNDLE" };
	struct stat st;

	if (v && !strcmp(v, "false")) {
		f->insecure = true;
		return;
	}
	if (v && strcmp(v, "true") && strcmp(v, "truststore")) {
		if (!stat(v, &st) && S_ISDIR(st.st_mode))
			f->ca_dir = hpc_xstrdup(v);
		else
			f->ca_file = hpc_xstrdup(v);
		return;
	}
	for (size_t i = 0; i < 3; i++) {
		const char *e = getenv(envs[i]);

		if (e && *e) {
			f->ca_file = hpc_xstrdup(e);
			return;
		}
	}
}

struct hpc_fetch *hpc_fetch_new(const struct hpc_config *cfg, const struct hpc_events *ev)
{
	struct hpc_fetch *f = hpc_xcalloc(1, sizeof(*f));
	curl_version_info_data *vi;

	pthread_once(&curl_once, curl_init_once);
	vi = curl_version_info(CURLVERSION_NOW);
	f->cfg = cfg;
	f->ev = ev;
	f->threads = hpc_config_get_int(cfg, "fetch_threads");
	if (f->threads < 1)
		f->threads = 1;
	f->max_retries = hpc_config_get_int(cfg, "remote_max_retries");
	if (f->max_retries < 0)
		f->max_retries = 0;
	f->connect_timeout = hpc_config_get_float(cfg, "remote_connect_timeout_secs");
	f->read_timeout = hpc_config_get_float(cfg, "remote_read_timeout_secs");
	f->backoff = hpc_config_get_float(cfg, "remote_backoff_factor");
	f->offline = hpc_config_get_bool(cfg, "offline");
	f->user_agent = hpc_xasprintf("hpcenv/%s libcurl/%s", HPCENV_VERSION, vi->version);
	setup_tls(f);
	f->multi = curl_multi_init();
	if (!f->multi)
		abort(); /* out of memory, as hpc_xmalloc */
	curl_multi_setopt(f->multi, CURLMOPT_PIPELINING, (long)CURLPIPE_MULTIPLEX);
	return f;
}

void hpc_fetch_free(struct hpc_fetch *f)
{
	if (!f)
		return;
	curl_multi_cleanup(f->multi);
	free(f->ca_file);
	free(f->ca_dir);
	free(f->user_agent);
	free(f);
}

void hpc_fetch_job_fini(struct hpc_fetch_job *j)
{
	free(j->path);
	free(j->etag_out);
	free(j->last_modified_out);
	free(j->cache_control_out);
	hpc_error_free(j->err);
	j->path = j->etag_out = j->last_modified_out = j->cache_control_out = NULL;
	j->err = NULL;
	j->http_status = 0;
	j->not_modified = j->missing = j->done = false;
	j->bytes = 0;
	j->attempts = 0;
}

/* ---- digests ---- */

static struct hpc_digest *digest_for(const struct hpc_fetch_job *j)
{
	unsigned what = (j->sha256 ? HPC_DIGEST_SHA256 : 0) | (j->md5 ? HPC_DIGEST_MD5 : 0);

	return what ? hpc_digest_new(what) : NULL;
}

/* Hash the first `len` bytes of an open file (resumed data). */
static int digest_fd(int fd, uint64_t len, struct hpc_digest *d)
{
	char buf[1 << 16];
	uint64_t off = 0;

	while (d && off < len) {
		size_t want = len - off < sizeof(buf) ? (size_t)(len - off) : sizeof(buf);
		ssize_t n = pread(fd, buf, want, (off_t)off);

		if (n <= 0)
			return -1;
		hpc_digest_update(d, buf, (size_t)n);
		off += (uint64_t)n;
	}
	return 0;
}

/* NULL when the digests match what the job expects, else why not. */
static char *digest_problem(const struct hpc_fetch_job *j, const char *md5, const char *sha256)
{
	if (j->sha256 && strcasecmp(sha256, j->sha256))
		return hpc_xasprintf("checksum mismatch (sha256 %s, expected %s)", sha256,
				     j->sha256);
	if (j->md5 && strcasecmp(md5, j->md5))
		return hpc_xasprintf("checksum mismatch (md5 %s, expected %s)", md5, j->md5);
	return NULL;
}

static char *xfer_digest_problem(struct xfer *x)
{
	char md5[HPC_MD5_HEX] = "", sha256[HPC_SHA256_HEX] = "";

	if (!x->digest)
		return NULL;
	hpc_digest_final(x->digest, md5, sha256);
	return digest_problem(x->job, md5, sha256);
}

/* ---- job outcomes ---- */

static const char *job_label(const struct hpc_fetch_job *j)
{
	const char *slash;

	if (j->label)
		return j->label;
	slash = strrchr(j->url, '/');
	return slash && slash[1] ? slash + 1 : j->url;
}

/* The item is named by the job's label when it has one, so that a fallback (same label)
 * carries on the same progress item. */
static void emit_progress(struct xfer *x, enum hpc_progress_state st, uint64_t done,
			  uint64_t total)
{
	struct hpc_progress p = { .id = x->job->label ? x->job->label : x->shown_url,
				  .label = job_label(x->job), .done = done, .total = total,
				  .bytes = true, .state = st };

	hpc_progress_emit(x->f->ev, &p);
}

static void finish(struct xfer *x)
{
	x->state = X_DONE;
	if (x->started)
		emit_progress(x, x->job->err ? HPC_PROGRESS_FAILED : HPC_PROGRESS_DONE,
			      x->job->bytes, x->job->bytes);
}

static void set_failed(struct xfer *x, int code, const char *fmt, const char *detail)
{
	struct hpc_fetch_job *j = x->job;
	char att[48] = "";

	if (j->attempts > 1)
		snprintf(att, sizeof(att), " (%d attempts)", j->attempts);
	hpc_error_free(j->err);
	j->err = NULL;
	hpc_error_set(&j->err, code, __FILE__, __func__, __LINE__, "cannot download '%s': %s%s",
		      x->shown_url, detail ? detail : fmt, att);
	j->done = false;
	finish(x);
}

static void free_digests(struct xfer *x)
{
	hpc_digest_free(x->digest);
	x->digest = NULL;
}

static void drop_tmp(struct xfer *x, bool keep_partial)
{
	if (x->offset + x->job->bytes == 0)
		keep_partial = false; /* nothing to resume from */
	if (x->tmp && !keep_partial) /* before closing: see open_part */
		unlink(x->tmp);
	if (x->fd >= 0)
		close(x->fd);
	x->fd = -1;
	free(x->tmp);
	x->tmp = NULL;
	free_digests(x);
}

static void release_easy(struct xfer *x)
{
	if (x->easy) {
		curl_multi_remove_handle(x->f->multi, x->easy);
		curl_easy_cleanup(x->easy);
	}
	curl_slist_free_all(x->headers);
	x->easy = NULL;
	x->headers = NULL;
}

static void activate(struct xfer *x, struct hpc_fetch_job *j);

/* 404 or a missing local file: a fallback, an optional outcome, or an error. */
static void on_missing(struct xfer *x, const char *what)
{
	struct hpc_fetch_job *j = x->job;

	j->missing = true;
	if (j->fallback) {
		hpc_debug(x->f->ev, "%s: %s, trying '%s'", x->shown_url, what,
			  job_label(j->fallback));
		j->done = true;
		if (x->started && (!j->label || !j->fallback->label ||
				   strcmp(j->label, j->fallback->label)))
			emit_progress(x, HPC_PROGRESS_DONE, 0, 0);
		activate(x, j->fallback);
		return;
	}
	if (j->flags & HPC_FETCH_OPTIONAL) {
		j->done = true;
		finish(x);
		return;
	}
	set_failed(x, HPC_E_FETCH, what, NULL);
}

/* ---- local files ---- */

static char *local_path(const char *url)
{
	if (url[0] == '/')
		return hpc_xstrdup(url);
	return hpc_file_url_to_path(url);
}

static void check_in_place(struct xfer *x)
{
	struct hpc_fetch_job *j = x->job;
	char *path = local_path(j->url), *detail = NULL;
	char md5[HPC_MD5_HEX], sha256[HPC_SHA256_HEX];
	struct hpc_error *e = NULL;
	struct stat st;

	if (!path || stat(path, &st) < 0 || !S_ISREG(st.st_mode)) {
		free(path);
		on_missing(x, "no such file");
		return;
	}
	j->bytes = (uint64_t)st.st_size;
	j->path = path;
	if (j->size && j->bytes != j->size)
		detail = hpc_xasprintf("size is %llu bytes, expected %llu",
				       (unsigned long long)j->bytes, (unsigned long long)j->size);
	if (!detail && (j->sha256 || j->md5)) {
		if (hpc_digest_file(path, md5, sha256, NULL, &e))
			detail = hpc_xstrdup(e->msg);
		else
			detail = digest_problem(j, md5, sha256);
		hpc_error_free(e);
	}
	if (detail) {
		set_failed(x, strstr(detail, "checksum") ? HPC_E_CHECKSUM : HPC_E_FETCH, NULL,
			   detail);
		free(detail);
		return;
	}
	j->done = true;
	finish(x);
}

/* Make x try job j next: checks that need no network happen here. */
static void activate(struct xfer *x, struct hpc_fetch_job *j)
{
	bool local = j->url[0] == '/' || !strncasecmp(j->url, "file:", 5);

	x->job = j;
	free(x->shown_url);
	x->shown_url = hpc_url_redact(j->url);
	x->started = false;
	if (local && (j->flags & HPC_FETCH_IN_PLACE)) {
		check_in_place(x);
		return;
	}
	if (!j->dest) {
		set_failed(x, HPC_E_BUG, "no destination given", NULL);
		return;
	}
	if (x->f->offline && !local) {
		set_failed(x, HPC_E_FETCH, "offline mode (no network access)", NULL);
		return;
	}
	x->state = X_WAITING;
	x->next_try = 0;
}

/* ---- curl callbacks ---- */

static char *header_value(const char *line, size_t n, const char *name)
{
	size_t k = strlen(name);
	const char *v, *e = line + n;

	if (n <= k || strncasecmp(line, name, k) || line[k] != ':')
		return NULL;
	for (v = line + k + 1; v < e && (*v == ' ' || *v == '\t'); v++)
		;
	while (e > v && (e[-1] == '\r' || e[-1] == '\n' || e[-1] == ' '))
		e--;
	return hpc_xstrndup(v, (size_t)(e - v));
}

static void replace(char **slot, char *v)
{
	if (v) {
		free(*slot);
		*slot = v;
	}
}

/* A server that answers a Range request with the whole file: start over. */
static void restart_body(struct xfer *x)
{
	struct hpc_fetch_job *j = x->job;

	if (ftruncate(x->fd, 0) < 0 || lseek(x->fd, 0, SEEK_SET) < 0)
		x->write_failed = true;
	x->offset = 0;
	free_digests(x);
	x->digest = digest_for(j);
}

static size_t on_header(char *line, size_t size, size_t nitems, void *ud)
{
	struct xfer *x = ud;
	struct hpc_fetch_job *j = x->job;
	size_t n = size * nitems;
	int st;
	char reason[128] = "";

	if (n > 5 && !strncmp(line, "HTTP/", 5) &&
	    sscanf(line, "HTTP/%*s %d %127[^\r\n]", &st, reason) >= 1) {
		x->status = st;
		free(x->reason);
		x->reason = hpc_xstrdup(reason);
		/* a new response (after a redirect): only its own validators count */
		free(j->etag_out);
		free(j->last_modified_out);
		free(j->cache_control_out);
		j->etag_out = j->last_modified_out = j->cache_control_out = NULL;
		if (st == 200 && x->offset > 0)
			restart_body(x);
		return n;
	}
	replace(&j->etag_out, header_value(line, n, "ETag"));
	replace(&j->last_modified_out, header_value(line, n, "Last-Modified"));
	replace(&j->cache_control_out, header_value(line, n, "Cache-Control"));
	return n;
}

static size_t on_body(char *data, size_t size, size_t nitems, void *ud)
{
	struct xfer *x = ud;
	struct hpc_fetch_job *j = x->job;
	size_t n = size * nitems, done = 0;

	if (x->status >= 300)
		return n; /* an error page or redirect body: not the content */
	if (j->size && x->offset + j->bytes + n > j->size) {
		x->too_big = true;
		return 0;
	}
	while (done < n) {
		ssize_t w = write(x->fd, data + done, n - done);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0) {
			x->write_failed = true;
			return 0;
		}
		done += (size_t)w;
	}
	if (x->digest)
		hpc_digest_update(x->digest, data, n);
	j->bytes += n;
	return n;
}

static int on_xferinfo(void *ud, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal,
		       curl_off_t ulnow)
{
	struct xfer *x = ud;
	double now = hpc_now();

	if (now - x->last_progress >= 0.05 && dlnow > 0) {
		x->last_progress = now;
		emit_progress(x, HPC_PROGRESS_UPDATE, x->offset + (uint64_t)dlnow,
			      dltotal > 0 ? x->offset + (uint64_t)dltotal : x->job->size);
	}
	return 0;
}

/* ---- starting a transfer ---- */

/* "<dest>.part", locked (fcntl, whole file) so that two processes never write one: 1 when
 * another process holds it. Resumes from what it holds if that is shorter than expected. */
static int open_part(struct xfer *x)
{
	struct hpc_fetch_job *j = x->job;
	struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET };
	struct stat st;

	x->tmp = hpc_xasprintf("%s.part", j->dest);
	x->fd = open(x->tmp, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (x->fd < 0)
		return -1;
	if (fcntl(x->fd, F_SETLK, &fl) < 0) {
		close(x->fd);
		x->fd = -1;
		free(x->tmp);
		x->tmp = NULL;
		return 1;
	}
	if (!fstat(x->fd, &st) && st.st_size > 0 && (!j->size || (uint64_t)st.st_size < j->size))
		x->offset = (uint64_t)st.st_size;
	else if (ftruncate(x->fd, 0) < 0)
		return -1;
	return lseek(x->fd, (off_t)x->offset, SEEK_SET) < 0 ? -1 : 0;
}

static int open_tmp(struct xfer *x)
{
	struct hpc_fetch_job *j = x->job;
	int r = 1;

	x->offset = 0;
	if ((j->flags & HPC_FETCH_RESUME) && (r = open_part(x)) < 0)
		return -1;
	if (r == 1) { /* no resuming, or another process is resuming this file */
		x->tmp = hpc_xasprintf("%s.XXXXXX.part", j->dest);
		x->fd = mkostemps(x->tmp, 5, O_CLOEXEC);
		if (x->fd < 0)
			return -1;
		fchmod(x->fd, 0644);
	}
	x->digest = digest_for(j);
	if (x->offset && digest_fd(x->fd, x->offset, x->digest) < 0)
		restart_body(x);
	return 0;
}

/* proxy_servers: "scheme://host" first, then "scheme" (conda's keys). */
static const char *proxy_for(const struct hpc_fetch *f, const char *url)
{
	const char *sep = strstr(url, "://"), *p;
	char *key;

	if (!sep)
		return NULL;
	key = hpc_xstrndup(url, (size_t)(sep + 3 - url) + strcspn(sep + 3, "/"));
	p = hpc_config_map_get(f->cfg, "proxy_servers", key);
	key[sep - url] = '\0';
	if (!p)
		p = hpc_config_map_get(f->cfg, "proxy_servers", key);
	free(key);
	return p;
}

static void set_network_options(struct xfer *x, CURL *e)
{
	struct hpc_fetch *f = x->f;
	const char *proxy = proxy_for(f, x->job->url), *noproxy;

	curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, (long)(f->connect_timeout * 1000));
	curl_easy_setopt(e, CURLOPT_LOW_SPEED_LIMIT, STALL_BYTES_PER_SEC);
	curl_easy_setopt(e, CURLOPT_LOW_SPEED_TIME, (long)ceil(f->read_timeout));
	curl_easy_setopt(e, CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_2TLS);
	curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 1L);
	curl_easy_setopt(e, CURLOPT_MAXREDIRS, 10L);
	curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https,file");
	curl_easy_setopt(e, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(e, CURLOPT_USERAGENT, f->user_agent);
	if (proxy) {
		noproxy = getenv("no_proxy") ? getenv("no_proxy") : getenv("NO_PROXY");
		curl_easy_setopt(e, CURLOPT_PROXY, proxy);
		if (noproxy)
			curl_easy_setopt(e, CURLOPT_NOPROXY, noproxy);
	}
	if (f->insecure) {
		curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 0L);
		curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 0L);
	}
	if (f->ca_file)
		curl_easy_setopt(e, CURLOPT_CAINFO, f->ca_file);
	if (f->ca_dir)
		curl_easy_setopt(e, CURLOPT_CAPATH, f->ca_dir);
	if (hpc_config_get_str(f->cfg, "client_ssl_cert"))
		curl_easy_setopt(e, CURLOPT_SSLCERT, hpc_config_get_str(f->cfg, "client_ssl_cert"));
	if (hpc_config_get_str(f->cfg, "client_ssl_cert_key"))
		curl_easy_setopt(e, CURLOPT_SSLKEY,
				 hpc_config_get_str(f->cfg, "client_ssl_cert_key"));
}

static void set_request_options(struct xfer *x, CURL *e)
{
	struct hpc_fetch_job *j = x->job;
	char *h;

	curl_easy_setopt(e, CURLOPT_URL, j->url);
	curl_easy_setopt(e, CURLOPT_PRIVATE, x);
	curl_easy_setopt(e, CURLOPT_ERRORBUFFER, x->errbuf);
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(e, CURLOPT_WRITEDATA, x);
	curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(e, CURLOPT_HEADERDATA, x);
	curl_easy_setopt(e, CURLOPT_XFERINFOFUNCTION, on_xferinfo);
	curl_easy_setopt(e, CURLOPT_XFERINFODATA, x);
	curl_easy_setopt(e, CURLOPT_NOPROGRESS, 0L);
	if ((j->flags & HPC_FETCH_COMPRESSED) && !x->offset)
		curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "");
	if (x->offset)
		curl_easy_setopt(e, CURLOPT_RESUME_FROM_LARGE, (curl_off_t)x->offset);
	if (j->etag && *j->etag) {
		h = hpc_xasprintf("If-None-Match: %s", j->etag);
		x->headers = curl_slist_append(x->headers, h);
		free(h);
	}
	if (j->last_modified && *j->last_modified) {
		h = hpc_xasprintf("If-Modified-Since: %s", j->last_modified);
		x->headers = curl_slist_append(x->headers, h);
		free(h);
	}
	if (x->headers)
		curl_easy_setopt(e, CURLOPT_HTTPHEADER, x->headers);
}

static void start(struct xfer *x)
{
	struct hpc_fetch_job *j = x->job;
	char *why;

	x->status = 0;
	free(x->reason);
	x->reason = NULL;
	x->too_big = x->write_failed = false;
	x->errbuf[0] = '\0';
	j->bytes = 0;
	j->http_status = 0;
	if (open_tmp(x) < 0) {
		why = hpc_xasprintf("cannot write next to '%s': %s", j->dest, strerror(errno));
		drop_tmp(x, false);
		set_failed(x, HPC_E_IO, NULL, why);
		free(why);
		return;
	}
	x->easy = curl_easy_init();
	if (!x->easy)
		abort();
	set_request_options(x, x->easy);
	set_network_options(x, x->easy);
	j->attempts++;
	x->state = X_RUNNING;
	if (!x->started) {
		x->started = true;
		emit_progress(x, HPC_PROGRESS_START, x->offset, j->size);
	}
	hpc_trace(x->f->ev, "GET %s%s", x->shown_url, x->offset ? " (resuming)" : "");
	curl_multi_add_handle(x->f->multi, x->easy);
}

/* ---- finishing a transfer ---- */

static bool retryable_status(int st)
{
	return st == 408 || st == 413 || st == 429 || (st >= 500 && st <= 599);
}

static bool retryable_curl(CURLcode c)
{
	switch (c) {
	case CURLE_COULDNT_RESOLVE_PROXY:
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_COULDNT_CONNECT:
	case CURLE_OPERATION_TIMEDOUT:
	case CURLE_PARTIAL_FILE:
	case CURLE_RECV_ERROR:
	case CURLE_SEND_ERROR:
	case CURLE_GOT_NOTHING:
	case CURLE_HTTP2:
	case CURLE_HTTP2_STREAM:
	case CURLE_BAD_CONTENT_ENCODING:
		return true;
	default:
		return false;
	}
}

/* Schedule another attempt, or fail with `why` when retries are used up. */
static void retry_or_fail(struct xfer *x, const char *why)
{
	struct hpc_fetch_job *j = x->job;
	double delay;

	drop_tmp(x, (j->flags & HPC_FETCH_RESUME) != 0);
	if (j->attempts > x->f->max_retries || hpc_cancelled(x->f->ev)) {
		set_failed(x, HPC_E_FETCH, NULL, why);
		return;
	}
	delay = x->f->backoff * pow(2.0, j->attempts - 1);
	hpc_debug(x->f->ev, "%s: %s; retrying in %.1f s", x->shown_url, why, delay);
	x->state = X_WAITING;
	x->next_try = hpc_now() + delay;
}

/* A complete 2xx body (or a local copy): check and move into place. */
static void complete_body(struct xfer *x)
{
	struct hpc_fetch_job *j = x->job;
	uint64_t total = x->offset + j->bytes;
	char *why = NULL;

	if (x->write_failed)
		why = hpc_xasprintf("cannot write '%s': %s", x->tmp, strerror(errno));
	else if (j->size && total != j->size)
		why = hpc_xasprintf("got %llu bytes, expected %llu", (unsigned long long)total,
				    (unsigned long long)j->size);
	if (why) {
		retry_or_fail(x, why);
		free(why);
		return;
	}
	if ((why = xfer_digest_problem(x))) {
		drop_tmp(x, false);
		set_failed(x, HPC_E_CHECKSUM, NULL, why);
		free(why);
		return;
	}
	j->bytes = total;
	/* renamed before it is closed: the lock on a .part file holds until it has its name */
	if (rename(x->tmp, j->dest) < 0) {
		why = hpc_xasprintf("cannot rename into '%s': %s", j->dest, strerror(errno));
		drop_tmp(x, false);
		set_failed(x, HPC_E_IO, NULL, why);
		free(why);
		return;
	}
	close(x->fd);
	x->fd = -1;
	free(x->tmp);
	x->tmp = NULL;
	free_digests(x);
	j->path = hpc_xstrdup(j->dest);
	j->done = true;
	finish(x);
}

static void on_http_result(struct xfer *x)
{
	struct hpc_fetch_job *j = x->job;
	char *why;

	j->http_status = x->status;
	if (x->status == 304) {
		drop_tmp(x, (j->flags & HPC_FETCH_RESUME) != 0);
		j->not_modified = true;
		j->done = true;
		finish(x);
	} else if (x->status == 404 || x->status == 410) {
		drop_tmp(x, false);
		why = hpc_xasprintf("HTTP %d %s", x->status, x->reason ? x->reason : "");
		on_missing(x, hpc_str_trim(why));
		free(why);
	} else if (x->status == 416 && x->offset) {
		drop_tmp(x, false); /* our partial data does not fit the file: start over */
		retry_or_fail(x, "HTTP 416 on resume");
	} else if (x->status >= 300) {
		why = hpc_xasprintf("HTTP %d %s", x->status, x->reason ? x->reason : "");
		hpc_str_trim(why);
		if (retryable_status(x->status)) {
			retry_or_fail(x, why);
		} else {
			drop_tmp(x, (j->flags & HPC_FETCH_RESUME) != 0);
			set_failed(x, HPC_E_FETCH, NULL, why);
		}
		free(why);
	} else {
		complete_body(x);
	}
}

static void on_done(struct xfer *x, CURLcode rc)
{
	struct hpc_fetch_job *j = x->job;
	char *why;

	release_easy(x);
	if (rc == CURLE_OK) {
		hpc_debug(x->f->ev, "%s: %d (%llu bytes)", x->shown_url, x->status,
			  (unsigned long long)(x->offset + j->bytes));
		on_http_result(x);
		return;
	}
	if (rc == CURLE_FILE_COULDNT_READ_FILE) {
		drop_tmp(x, false);
		on_missing(x, "no such file");
		return;
	}
	if (x->too_big)
		why = hpc_xasprintf("larger than the expected %llu bytes",
				    (unsigned long long)j->size);
	else
		why = hpc_xstrdup(x->errbuf[0] ? x->errbuf : curl_easy_strerror(rc));
	if (retryable_curl(rc) && !x->too_big) {
		retry_or_fail(x, why);
	} else { /* more bytes than expected: other content, as a checksum mismatch */
		drop_tmp(x, (j->flags & HPC_FETCH_RESUME) && !x->too_big);
		set_failed(x, x->write_failed ? HPC_E_IO
			      : x->too_big   ? HPC_E_CHECKSUM
					     : HPC_E_FETCH, NULL, why);
	}
	free(why);
}

/* ---- the loop ---- */

struct batch {
	struct xfer *x;
	size_t n;
};

/* Start waiting transfers that are due, up to fetch_threads running; returns how many
 * are not done yet and, in *wait_ms, how long until the next one is due. */
static size_t schedule(struct hpc_fetch *f, struct batch *b, long *wait_ms)
{
	size_t running = 0, pending = 0;
	double now = hpc_now(), next = now + POLL_MS / 1000.0;

	for (size_t i = 0; i < b->n; i++)
		running += b->x[i].state == X_RUNNING;
	for (size_t i = 0; i < b->n; i++) {
		struct xfer *x = &b->x[i];

		if (x->state == X_WAITING && x->next_try <= now && running < (size_t)f->threads) {
			start(x);
			running += x->state == X_RUNNING;
		}
		if (x->state == X_WAITING && x->next_try < next)
			next = x->next_try;
		pending += x->state != X_DONE;
	}
	*wait_ms = next > now ? (long)((next - now) * 1000) + 1 : 0;
	if (*wait_ms > POLL_MS)
		*wait_ms = POLL_MS;
	return pending;
}

static void cancel_all(struct batch *b)
{
	for (size_t i = 0; i < b->n; i++) {
		struct xfer *x = &b->x[i];

		if (x->state == X_DONE)
			continue;
		release_easy(x);
		drop_tmp(x, (x->job->flags & HPC_FETCH_RESUME) != 0);
		set_failed(x, HPC_E_INTERRUPTED, "interrupted", NULL);
	}
}

static void drain_messages(struct hpc_fetch *f)
{
	CURLMsg *m;
	int left;

	while ((m = curl_multi_info_read(f->multi, &left))) {
		struct xfer *x = NULL;

		if (m->msg != CURLMSG_DONE)
			continue;
		curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, (char **)&x);
		on_done(x, m->data.result);
	}
}

static int summarise(struct hpc_fetch_job *jobs, size_t n, struct hpc_error **err)
{
	const struct hpc_error *first = NULL;
	size_t failed = 0;

	for (size_t i = 0; i < n; i++)
		for (struct hpc_fetch_job *j = &jobs[i]; j; j = j->missing ? j->fallback : NULL)
			if (j->err) {
				first = first ? first : j->err;
				failed++;
				break;
			}
	if (!first)
		return 0;
	if (failed == 1)
		return HPC_FAILC(err, first->code, "%s", first->msg);
	return HPC_FAILC(err, first->code, "%s (and %zu more download%s failed)", first->msg,
			 failed - 1, failed > 2 ? "s" : "");
}

int hpc_fetch_run(struct hpc_fetch *f, struct hpc_fetch_job *jobs, size_t n,
		  struct hpc_error **err)
{
	struct batch b = { hpc_xcalloc(n ? n : 1, sizeof(struct xfer)), n };
	bool cancelled = false;
	long wait_ms;
	int still;

	for (size_t i = 0; i < n; i++) {
		b.x[i].f = f;
		b.x[i].fd = -1;
		activate(&b.x[i], &jobs[i]);
	}
	if (f->insecure && !f->warned_insecure && n) {
		hpc_warn(f->ev, "TLS certificate verification is off (ssl_verify: false)");
		f->warned_insecure = true;
	}
	while (schedule(f, &b, &wait_ms) > 0) {
		if (hpc_cancelled(f->ev)) {
			cancel_all(&b);
			cancelled = true;
			break;
		}
		curl_multi_perform(f->multi, &still);
		drain_messages(f);
		if (schedule(f, &b, &wait_ms) == 0)
			break;
		curl_multi_poll(f->multi, NULL, 0, (int)wait_ms, NULL);
	}
	for (size_t i = 0; i < n; i++) {
		free(b.x[i].shown_url);
		free(b.x[i].reason);
	}
	free(b.x);
	if (cancelled)
		return HPC_FAIL(err, INTERRUPTED, "downloads interrupted");
	return summarise(jobs, n, err);
}
