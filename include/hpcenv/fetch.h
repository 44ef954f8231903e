/* SPDX-License-Identifier: MIT */
/* fetch.h - parallel downloads with libcurl: repodata now, packages later
 *
 * A batch of jobs runs on one curl multi handle, at most fetch_threads at a time, over
 * HTTP/2 where the server offers it. Each job downloads one URL into a temporary file
 * next to its destination and renames it into place only when it is complete and its
 * size and checksums match, so a destination is never half written. Transient failures
 * (HTTP 408/413/429/5xx, timeouts, stalls, cut connections) are retried with
 * exponential backoff: remote_backoff_factor * 2^(n-1) seconds before retry n, up to
 * remote_max_retries retries. Settings come from configuration (fetch_threads,
 * remote_connect_timeout_secs, remote_read_timeout_secs, remote_max_retries,
 * remote_backoff_factor, proxy_servers, ssl_verify, client_ssl_cert(_key), offline)
 * and the environment (HTTP(S)_PROXY / NO_PROXY as curl reads them;
 * REQUESTS_CA_BUNDLE, SSL_CERT_FILE, CURL_CA_BUNDLE for the CA bundle).
 * URLs may carry credentials: messages and progress show them redacted.
 */
#ifndef HPCENV_FETCH_H
#define HPCENV_FETCH_H

#include <stdbool.h>
#include <stdint.h>

#include "config.h"
#include "events.h"

struct hpc_error;

enum {
	HPC_FETCH_OPTIONAL = 1 << 0,   /* HTTP 404 / a missing file is an outcome (job->missing),
					* not an error */
	HPC_FETCH_IN_PLACE = 1 << 1,   /* file:// or a plain path: do not copy; check it and set
					* job->path to the file itself */
	HPC_FETCH_RESUME = 1 << 2,     /* keep partial data across attempts and runs in
					* "<dest>.part" and continue with a Range request */
	HPC_FETCH_COMPRESSED = 1 << 3, /* send Accept-Encoding (gzip, deflate, ...) and decode:
					* for text such as repodata.json, not for packages */
};

struct hpc_fetch_job {
	/* ---- set by the caller ---- */
	const char *url;           /* http(s)://, file:// or an absolute path */
	const char *dest;          /* final path (its directory must exist); NULL only with
				    * HPC_FETCH_IN_PLACE */
	const char *label;         /* progress text, also the progress item's id (a fallback
				    * with the same label continues the item); NULL: the URL's
				    * last path component, the item named by the URL */
	uint64_t size;             /* expected size in bytes, 0 when unknown */
	const char *sha256;        /* expected hex digests, or NULL */
	const char *md5;
	const char *etag;          /* validators of what dest holds: makes the request
				    * conditional (If-None-Match / If-Modified-Since) */
	const char *last_modified;
	unsigned flags;            /* HPC_FETCH_* */
	struct hpc_fetch_job *fallback; /* run instead when this job ends missing (404) */
	void *ud;                  /* the caller's */
	/* ---- results (free with hpc_fetch_job_fini) ---- */
	int http_status;           /* last HTTP status; 0 for local files */
	bool not_modified;         /* 304: dest was left as it was */
	bool missing;              /* 404 or no such file (with HPC_FETCH_OPTIONAL) */
	bool done;                 /* finished without error (incl. not_modified, missing) */
	char *path;                /* where the content is now: dest, or the file in place */
	char *etag_out;            /* the response's validators, when it sent them */
	char *last_modified_out;
	char *cache_control_out;
	uint64_t bytes;            /* content bytes received (after transfer decoding) */
	int attempts;              /* requests made */
	struct hpc_error *err;     /* why it failed */
};

struct hpc_fetch;

/* A downloader with settings read from cfg now; ev (may be NULL) gets progress, -v log
 * lines and is polled for cancellation. Both must outlive the object. */
struct hpc_fetch *hpc_fetch_new(const struct hpc_config *cfg, const struct hpc_events *ev);
void hpc_fetch_free(struct hpc_fetch *f);

/* Run the jobs (and their fallbacks) until each is done or failed. Returns 0 when all are
 * done; otherwise the first failure's code, with *err naming that URL and why (HTTP
 * status, curl's error text) and how many others failed. Each job's own outcome is in
 * its result fields either way. Offline (configuration `offline`), http(s) jobs fail
 * at once without network traffic. Cancellation (ev->cancelled) stops every transfer,
 * removes temporary files and fails with HPC_E_INTERRUPTED. */
int hpc_fetch_run(struct hpc_fetch *f, struct hpc_fetch_job *jobs, size_t n,
		  struct hpc_error **err);

/* Free a job's results and clear them (the caller's fields are kept). */
void hpc_fetch_job_fini(struct hpc_fetch_job *job);

#endif
