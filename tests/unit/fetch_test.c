/* SPDX-License-Identifier: MIT */
/* fetch_test.c - downloads against the real nginx fixture on 127.0.0.1 and local files */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "testutil.h"

struct fx {
	char *tmp, *www, *url, *state;
	struct hpc_config *cfg;
	struct tu_log log;
	struct hpc_fetch *f;
	int cancel_after;   /* cancel once this many progress events were seen (0: never) */
	int progress_events;
	int done_events, failed_events;
	bool open_gate_on_retry;
};

static char *blob_sha256;

static void on_progress(void *ud, const struct hpc_progress *p)
{
	struct fx *fx = (struct fx *)((char *)ud - offsetof(struct fx, log));

	fx->progress_events++;
	fx->done_events += p->state == HPC_PROGRESS_DONE;
	fx->failed_events += p->state == HPC_PROGRESS_FAILED;
}

static bool on_cancelled(void *ud)
{
	struct fx *fx = (struct fx *)((char *)ud - offsetof(struct fx, log));

	return fx->cancel_after && fx->progress_events >= fx->cancel_after;
}

static void (*collect_log)(void *, enum hpc_log_level, const char *);

/* Opens the /gate/ after the first failure is logged: 500-then-success, no timing. */
static void on_log(void *ud, enum hpc_log_level level, const char *msg)
{
	struct fx *fx = (struct fx *)((char *)ud - offsetof(struct fx, log));

	collect_log(ud, level, msg);
	if (fx->open_gate_on_retry && strstr(msg, "retrying"))
		tu_write(fx->state, "gate-open", "");
}

static void write_bytes(const char *path, size_t n, unsigned seed)
{
	FILE *f = fopen(path, "wb");

	assert_non_null(f);
	srand(seed);
	for (size_t i = 0; i < n; i++)
		fputc(rand() & 0xff, f);
	fclose(f);
}

/* nginx runs for the whole group: starting it per test would double the run time */
static struct fx_group {
	char *root, *www, *url, *state;
} grp;

static int group_setup(void **state)
{
	const char *proxies[] = { "http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY",
				  "all_proxy", "ALL_PROXY" };
	char *cmd, line[512], *blob;
	FILE *p;

	/* loopback only: a proxy from the caller's environment must not be used */
	for (size_t i = 0; i < sizeof(proxies) / sizeof(proxies[0]); i++)
		unsetenv(proxies[i]);
	grp.root = tu_tmpdir();
	grp.www = hpc_path_join(grp.root, "www");
	tu_write(grp.www, "sub/small.txt", "hello\n");
	tu_write(grp.www, "sub/data.json", "{\"packages\": {}, \"filler\": \"" /* gzip-able */
		 "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
		 "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
		 "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
		 "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"}\n");
	blob = hpc_path_join(grp.www, "sub/blob");
	write_bytes(blob, 2000, 7);
	cmd = hpc_xasprintf("sha256sum %s", blob);
	p = popen(cmd, "r");
	assert_non_null(fgets(line, sizeof(line), p));
	pclose(p);
	blob_sha256 = hpc_xstrndup(line, 64);
	free(cmd);
	free(blob);
	tu_nginx_start(grp.www, &grp.url, &grp.state);
	return 0;
}

static int group_teardown(void **state)
{
	tu_nginx_stop(grp.www, grp.url, grp.state);
	tu_tmpdir_free(grp.root);
	free(grp.www);
	free(blob_sha256);
	return 0;
}

static int setup(void **state)
{
	struct fx *fx = hpc_xcalloc(1, sizeof(*fx));
	char *gate = hpc_path_join(grp.state, "gate-open");
	struct hpc_error *e = NULL;

	unlink(gate);
	free(gate);
	fx->tmp = tu_tmpdir();
	fx->www = grp.www;
	fx->url = grp.url;
	fx->state = grp.state;
	fx->cfg = hpc_config_new();
	assert_int_equal(hpc_config_set(fx->cfg, "remote_backoff_factor", "0.01", &e), 0);
	assert_int_equal(hpc_config_set(fx->cfg, "remote_max_retries", "2", &e), 0);
	tu_log_init(&fx->log);
	collect_log = fx->log.ev.log;
	fx->log.ev.log = on_log;
	fx->log.ev.progress = on_progress;
	fx->log.ev.cancelled = on_cancelled;
	fx->f = hpc_fetch_new(fx->cfg, &fx->log.ev);
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fx *fx = *state;

	hpc_fetch_free(fx->f);
	hpc_config_free(fx->cfg);
	tu_log_fini(&fx->log);
	tu_tmpdir_free(fx->tmp);
	free(fx);
	return 0;
}

static int requests(const struct fx *fx, const char *text, int want)
{
	return tu_nginx_requests(fx->state, text, want);
}

/* No *.part files left in dir. */
static void assert_no_temp(const char *dir)
{
	char *cmd = hpc_xasprintf("ls %s | grep -q part", dir);

	assert_int_not_equal(system(cmd), 0);
	free(cmd);
}

static void test_plain_and_conditional(void **state)
{
	struct fx *fx = *state;
	char *url = hpc_xasprintf("%s/sub/blob", fx->url), *dest = hpc_path_join(fx->tmp, "b");
	struct hpc_fetch_job j = { .url = url, .dest = dest, .sha256 = NULL, .size = 2000 };
	struct hpc_error *e = NULL;
	struct stat st;

	j.sha256 = blob_sha256;
	assert_int_equal(hpc_fetch_run(fx->f, &j, 1, &e), 0);
	assert_true(j.done);
	assert_int_equal(j.http_status, 200);
	assert_string_equal(j.path, dest);
	assert_int_equal(j.bytes, 2000);
	assert_non_null(j.etag_out);
	assert_non_null(j.last_modified_out);
	assert_int_equal(stat(dest, &st), 0);
	assert_int_equal(st.st_size, 2000);
	assert_int_equal(fx->done_events, 1);
	assert_no_temp(fx->tmp);

	/* the same validators back: 304, dest untouched */
	j.etag = hpc_xstrdup(j.etag_out);
	j.last_modified = hpc_xstrdup(j.last_modified_out);
	hpc_fetch_job_fini(&j);
	assert_int_equal(hpc_fetch_run(fx->f, &j, 1, &e), 0);
	assert_true(j.not_modified);
	assert_int_equal(j.http_status, 304);
	assert_int_equal(requests(fx, "GET /sub/blob 304", 1), 1);
	free((char *)j.etag);
	free((char *)j.last_modified);
	hpc_fetch_job_fini(&j);
	free(url);
	free(dest);
}

static void test_missing_and_fallback(void **state)
{
	struct fx *fx = *state;
	char *zst = hpc_xasprintf("%s/nozst/sub/data.json.zst", fx->url);
	char *json = hpc_xasprintf("%s/sub/data.json", fx->url);
	char *d1 = hpc_path_join(fx->tmp, "d.zst"), *d2 = hpc_path_join(fx->tmp, "d.json");
	struct hpc_fetch_job jobs[1] = {
		{ .url = json, .dest = d2, .flags = HPC_FETCH_COMPRESSED },
	};
	struct hpc_fetch_job first = { .url = zst, .dest = d1, .fallback = &jobs[0] };
	struct hpc_error *e = NULL;
	char *data = NULL;
	size_t len;

	assert_int_equal(hpc_fetch_run(fx->f, &first, 1, &e), 0);
	assert_true(first.missing);
	assert_int_equal(first.http_status, 404);
	assert_true(jobs[0].done);
	assert_false(hpc_path_exists(d1));
	/* gzip transfer encoding is decoded */
	assert_int_equal(hpc_file_read(d2, &data, &len, NULL), 0);
	assert_true(hpc_str_startswith(data, "{\"packages\""));
	assert_int_equal(jobs[0].bytes, len);
	free(data);
	hpc_fetch_job_fini(&first);
	hpc_fetch_job_fini(&jobs[0]);

	/* a 404 without a fallback: optional is fine, required is an error naming the URL */
	first.fallback = NULL;
	first.flags = HPC_FETCH_OPTIONAL;
	assert_int_equal(hpc_fetch_run(fx->f, &first, 1, &e), 0);
	assert_true(first.missing && first.done);
	hpc_fetch_job_fini(&first);
	first.flags = 0;
	assert_int_equal(hpc_fetch_run(fx->f, &first, 1, &e), -HPC_E_FETCH);
	assert_err_contains(e, "/nozst/sub/data.json.zst': HTTP 404");
	assert_int_equal(first.attempts, 1); /* 404 is not retried */
	assert_no_temp(fx->tmp);
	hpc_error_clear(&e);
	hpc_fetch_job_fini(&first);
	free(zst);
	free(json);
	free(d1);
	free(d2);
}

static void test_retries(void **state)
{
	struct fx *fx = *state;
	char *u500 = hpc_xasprintf("http://user:s3cret@%s/500/sub/small.txt", fx->url + 7);
	char *gate = hpc_xasprintf("%s/gate/sub/small.txt", fx->url);
	char *d = hpc_path_join(fx->tmp, "s");
	struct hpc_fetch_job j = { .url = u500, .dest = d };
	struct hpc_error *e = NULL;

	assert_int_equal(hpc_fetch_run(fx->f, &j, 1, &e), -HPC_E_FETCH);
	assert_int_equal(j.attempts, 3); /* 1 + remote_max_retries */
	assert_err_contains(e, "HTTP 500 Internal Server Error (3 attempts)");
	assert_null(strstr(e->msg, "s3cret"));
	assert_int_equal(requests(fx, "GET /500/sub/small.txt 500", 3), 3);
	assert_int_equal(fx->failed_events, 1);
	assert_false(hpc_path_exists(d));
	assert_no_temp(fx->tmp);
	hpc_error_clear(&e);
	hpc_fetch_job_fini(&j);

	fx->open_gate_on_retry = true;
	j.url = gate;
	assert_int_equal(hpc_fetch_run(fx->f, &j, 1, &e), 0);
	assert_int_equal(j.attempts, 2);
	assert_int_equal(requests(fx, "GET /gate/sub/small.txt 500", 1), 1);
	assert_int_equal(requests(fx, "GET /gate/sub/small.txt 200", 1), 1);
	hpc_fetch_job_fini(&j);
	free(u500);
	free(gate);
	free(d);
}

static void test_truncated_and_resumed(void **state)
{
	struct fx *fx = *state;
	char *url = hpc_xasprintf("%s/truncate/sub/blob", fx->url);
	char *d = hpc_path_join(fx->tmp, "t");
	struct hpc_fetch_job j = { .url = url, .dest = d };
	struct hpc_error *e = NULL;

	assert_int_equal(hpc_config_set(fx->cfg, "remote_max_retries", "1", &e), 0);
	hpc_fetch_free(fx->f);
	fx->f = hpc_fetch_new(fx->cfg, &fx->log.ev);
	assert_int_equal(hpc_fetch_run(fx->f, &j, 1, &e), -HPC_E_FETCH);
	assert_int_equal(j.attempts, 2);
	assert_err_contains(e, "/truncate/sub/blob");
	assert_false(hpc_path_exists(d));
	assert_no_temp(fx->tmp);
	hpc_error_clear(&e);
	hpc_fetch_job_fini(&j);

	/* resuming: every cut attempt adds to <dest>.part until the file is whole */
	assert_int_equal(hpc_config_set(fx->cfg, "remote_max_retries", "8", &e), 0);
	hpc_fetch_free(fx->f);
	fx->f = hpc_fetch_new(fx->cfg, &fx->log.ev);
	j.flags = HPC_FETCH_RESUME;
	j.size = 2000;
	j.sha256 = blob_sha256;
	assert_int_equal(hpc_fetch_run(fx->f, &j, 1, &e), 0);
	assert_true(j.attempts >= 2);
	assert_int_equal(j.bytes, 2000);
	assert_true(requests(fx, "/truncate/sub/blob 206", 1) >= 1);
	assert_no_temp(fx->tmp);
	hpc_fetch_job_fini(&j);
	free(url);
	free(d);
}

static void test_wrong_content_and_sizes(void **state)
{
	struct fx *fx = *state;
	char *wdir = hpc_xasprintf("%s.wrong/sub", fx->www), *wrong = hpc_path_join(wdir, "blob");
	char *url = hpc_xasprintf("%s/wrong/sub/blob", fx->url), *d = hpc_path_join(fx->tmp, "w");
	char *good = hpc_xasprintf("%s/sub/blob", fx->url);
	struct hpc_fetch_job j = { .url = url, .dest = d, .size = 2000 };
	struct hpc_error *e = NULL;

	assert_int_equal(hpc_mkdir_p(wdir, 0755, NULL), 0);
	write_bytes(wrong, 2000, 99);
	j.sha256 = blob_sha256;
	assert_int_equal(hpc_fetch_run(fx->f, &j, 1, &e), -HPC_E_CHECKSUM);
	assert_err_contains(e, "checksum mismatch (sha256");
	assert_err_contains(e, blob_sha256);
	assert_int_equal(j.attempts, 1);
	assert_false(hpc_path_exists(d));
	hpc_error_clear(&e);
	hpc_fetch_job_fini(&j);

	j.url = good;
	j.sha256 = NULL;
	j.size = 1000;
	/* more bytes than the record says: other content, a checksum problem */
	assert_int_equal(hpc_fetch_run(fx->f, &j, 1, &e), -HPC_E_CHECKSUM);
	assert_err_contains(e, "larger than the expected 1000 bytes");
	assert_int_equal(j.attempts, 1);
	hpc_error_clear(&e);
	hpc_fetch_job_fini(&j);
	j.size = 3000;
	assert_int_equal(hpc_fetch_run(fx->f, &j, 1, &e), -HPC_E_FETCH);
	assert_err_contains(e, "got 2000 bytes, expected 3000");
	assert_false(hpc_path_exists(d));
	assert_no_temp(fx->tmp);
	hpc_error_clear(&e);
	hpc_fetch_job_fini(&j);
	free(wdir);
	free(wrong);
	free(url);
	free(good);
	free(d);
}

/* A child process holds "<dest>.part" locked (another hpcenv resuming the same package):
 * the download goes to a private temporary file and leaves the other one's data alone. */
static void test_part_locked_elsewhere(void **state)
{
	struct fx *fx = *state;
	char *url = hpc_xasprintf("%s/sub/blob", fx->url), *d = hpc_path_join(fx->tmp, "pl");
	char *part = hpc_xasprintf("%s.part", d), *data = NULL, c;
	struct hpc_fetch_job j = { .url = url, .dest = d, .size = 2000,
				   .flags = HPC_FETCH_RESUME };
	struct hpc_error *e = NULL;
	int go[2], stop[2], st;
	pid_t pid;

	j.sha256 = blob_sha256;
	tu_write(fx->tmp, "pl.part", "someone else's bytes");
	assert_int_equal(pipe(go), 0);
	assert_int_equal(pipe(stop), 0);
	pid = fork();
	if (pid == 0) {
		struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET };
		int fd = open(part, O_RDWR);

		close(go[0]);
		close(stop[1]); /* EOF when the parent is gone, even if it failed */
		if (fd < 0 || fcntl(fd, F_SETLK, &fl) < 0 || write(go[1], "x", 1) != 1)
			_exit(1);
		_exit(read(stop[0], &c, 1) == 1 ? 0 : 1); /* hold it until the parent is done */
	}
	close(go[1]);
	close(stop[0]);
	assert_int_equal(read(go[0], &c, 1), 1);
	assert_int_equal(hpc_fetch_run(fx->f, &j, 1, &e), 0);
	assert_int_equal(j.bytes, 2000);
	assert_int_equal(hpc_file_read(part, &data, NULL, NULL), 0);
	assert_string_equal(data, "someone else's bytes");
	assert_int_equal(write(stop[1], "x", 1), 1);
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	hpc_fetch_job_fini(&j);
	close(go[0]);
	close(stop[1]);
	free(data);
	free(part);
	free(url);
	free(d);
}

static void test_stall_timeout(void **state)
{
	struct fx *fx = *state;
	char *url = hpc_xasprintf("%s/stall/sub/blob", fx->url), *d = hpc_path_join(fx->tmp, "st");
	struct hpc_fetch_job j = { .url = url, .dest = d };
	struct hpc_error *e = NULL;

	assert_int_equal(hpc_config_set(fx->cfg, "remote_max_retries", "0", &e), 0);
	/* here only: elsewhere a loaded machine's pause must not count as a stall */
	assert_int_equal(hpc_config_set(fx->cfg, "remote_read_timeout_secs", "1", &e), 0);
	hpc_fetch_free(fx->f);
	fx->f = hpc_fetch_new(fx->cfg, &fx->log.ev);
	assert_int_equal(hpc_fetch_run(fx->f, &j, 1, &e), -HPC_E_FETCH);
	assert_err_contains(e, "/stall/sub/blob");
	assert_err_contains(e, "too slow");
	hpc_error_clear(&e);
	hpc_fetch_job_fini(&j);
	free(url);
	free(d);
}

static void test_parallel_offline_cancel(void **state)
{
	struct fx *fx = *state;
	struct hpc_fetch_job jobs[6] = { 0 };
	char *urls[6], *dests[6];
	struct hpc_error *e = NULL;

	for (int i = 0; i < 6; i++) {
		urls[i] = hpc_xasprintf("%s/slow/sub/blob?%d", fx->url, i);
		dests[i] = hpc_xasprintf("%s/p%d", fx->tmp, i);
		jobs[i] = (struct hpc_fetch_job){ .url = urls[i], .dest = dests[i] };
		jobs[i].sha256 = blob_sha256;
	}
	/* cancelled after the first progress: everything stops, nothing is left behind */
	fx->cancel_after = 1;
	assert_int_equal(hpc_fetch_run(fx->f, jobs, 6, &e), -HPC_E_INTERRUPTED);
	for (int i = 0; i < 6; i++) {
		assert_false(hpc_path_exists(dests[i]));
		hpc_fetch_job_fini(&jobs[i]);
	}
	assert_no_temp(fx->tmp);
	hpc_error_clear(&e);
	fx->cancel_after = 0;

	/* six at once over fetch_threads (5) */
	for (int i = 0; i < 6; i++) {
		free(urls[i]);
		urls[i] = hpc_xasprintf("%s/sub/blob?%d", fx->url, i);
		jobs[i].url = urls[i];
	}
	assert_int_equal(hpc_fetch_run(fx->f, jobs, 6, &e), 0);
	for (int i = 0; i < 6; i++) {
		assert_true(jobs[i].done);
		hpc_fetch_job_fini(&jobs[i]);
	}

	/* offline: no request leaves */
	assert_int_equal(hpc_config_set(fx->cfg, "offline", "true", &e), 0);
	hpc_fetch_free(fx->f);
	fx->f = hpc_fetch_new(fx->cfg, &fx->log.ev);
	unlink(dests[0]);
	assert_int_equal(hpc_fetch_run(fx->f, jobs, 1, &e), -HPC_E_FETCH);
	assert_err_contains(e, "offline");
	assert_false(hpc_path_exists(dests[0]));
	hpc_error_clear(&e);
	for (int i = 0; i < 6; i++) {
		hpc_fetch_job_fini(&jobs[i]);
		free(urls[i]);
		free(dests[i]);
	}
}

static void test_local_files(void **state)
{
	struct fx *fx = *state;
	char *src = hpc_path_join(fx->www, "sub/blob"), *furl = hpc_path_to_file_url(src);
	char *d = hpc_path_join(fx->tmp, "copy"), *gone = hpc_xasprintf("%s.nope", furl);
	struct hpc_fetch_job j = { .url = furl, .flags = HPC_FETCH_IN_PLACE, .size = 2000 };
	struct hpc_error *e = NULL;

	j.sha256 = blob_sha256;
	assert_int_equal(hpc_fetch_run(fx->f, &j, 1, &e), 0);
	assert_string_equal(j.path, src); /* read in place, no copy */
	hpc_fetch_job_fini(&j);
	j.url = src; /* a plain path works too */
	assert_int_equal(hpc_fetch_run(fx->f, &j, 1, &e), 0);
	hpc_fetch_job_fini(&j);
	j.md5 = "00000000000000000000000000000000";
	assert_int_equal(hpc_fetch_run(fx->f, &j, 1, &e), -HPC_E_CHECKSUM);
	assert_err_contains(e, "md5");
	hpc_error_clear(&e);
	hpc_fetch_job_fini(&j);
	j.md5 = NULL;

	/* a copy through curl's file:// */
	j.url = furl;
	j.flags = 0;
	j.dest = d;
	assert_int_equal(hpc_fetch_run(fx->f, &j, 1, &e), 0);
	assert_string_equal(j.path, d);
	assert_int_equal(j.bytes, 2000);
	hpc_fetch_job_fini(&j);

	j.url = gone;
	j.sha256 = NULL;
	j.size = 0;
	assert_int_equal(hpc_fetch_run(fx->f, &j, 1, &e), -HPC_E_FETCH);
	assert_err_contains(e, "no such file");
	hpc_error_clear(&e);
	hpc_fetch_job_fini(&j);
	j.flags = HPC_FETCH_IN_PLACE | HPC_FETCH_OPTIONAL;
	assert_int_equal(hpc_fetch_run(fx->f, &j, 1, &e), 0);
	assert_true(j.missing);
	hpc_fetch_job_fini(&j);
	free(src);
	free(furl);
	free(d);
	free(gone);
}

static int run_once(struct fx *fx, const char *url, const char *dest)
{
	struct hpc_fetch_job j = { .url = url, .dest = dest };
	struct hpc_fetch *f = hpc_fetch_new(fx->cfg, &fx->log.ev);
	struct hpc_error *e = NULL;
	int r = hpc_fetch_run(f, &j, 1, &e);

	if (e)
		hpc_strv_push(&fx->log.lines, e->msg);
	hpc_error_free(e);
	hpc_fetch_job_fini(&j);
	hpc_fetch_free(f);
	unlink(dest);
	return r;
}

/* proxy_servers and the environment's http_proxy / no_proxy: a proxy where none listens
 * makes downloads fail, no_proxy lets them through */
static void test_proxies(void **state)
{
	struct fx *fx = *state;
	char *url = hpc_xasprintf("%s/sub/small.txt", fx->url), *d = hpc_path_join(fx->tmp, "px");
	struct hpc_error *e = NULL;

	assert_int_equal(hpc_config_set(fx->cfg, "remote_max_retries", "0", &e), 0);
	unsetenv("no_proxy");
	unsetenv("NO_PROXY");
	assert_int_equal(run_once(fx, url, d), 0);
	assert_int_equal(hpc_config_set(fx->cfg, "proxy_servers", "http=http://127.0.0.1:1", &e), 0);
	assert_int_equal(run_once(fx, url, d), -HPC_E_FETCH);
	setenv("no_proxy", "127.0.0.1", 1);
	assert_int_equal(run_once(fx, url, d), 0);
	unsetenv("no_proxy");

	hpc_config_free(fx->cfg);
	fx->cfg = hpc_config_new();
	assert_int_equal(hpc_config_set(fx->cfg, "remote_max_retries", "0", &e), 0);
	setenv("http_proxy", "http://127.0.0.1:1", 1);
	assert_int_equal(run_once(fx, url, d), -HPC_E_FETCH);
	setenv("no_proxy", "127.0.0.1", 1);
	assert_int_equal(run_once(fx, url, d), 0);
	unsetenv("no_proxy");
	unsetenv("http_proxy");
	free(url);
	free(d);
}

static bool logged(const struct fx *fx, const char *text)
{
	for (size_t i = 0; i < fx->log.lines.n; i++)
		if (strstr(fx->log.lines.v[i], text))
			return true;
	return false;
}

/* TLS against a server with a self-signed certificate: refused by default, accepted with
 * ssl_verify as the CA bundle, ssl_verify false (with a warning) or REQUESTS_CA_BUNDLE;
 * HTTP/2 is negotiated */
static void test_tls(void **state)
{
	struct fx *fx = *state;
	char line[512], *cmd, *url, *tls, *cert, *target, *d = hpc_path_join(fx->tmp, "tls");
	char *alog, *text = NULL;
	struct hpc_error *e = NULL;
	FILE *p;

	cmd = hpc_xasprintf("bash %s/tests/unit/nginx_helper.sh start-tls %s", HPCENV_SOURCE_DIR,
			    fx->www);
	assert_non_null(p = popen(cmd, "r"));
	assert_non_null(fgets(line, sizeof(line), p));
	assert_int_equal(pclose(p), 0);
	free(cmd);
	url = hpc_xstrndup(line, strcspn(line, " "));
	tls = hpc_xstrndup(line + strlen(url) + 1, strcspn(line + strlen(url) + 1, "\n"));
	cert = hpc_path_join(tls, "cert.pem");
	target = hpc_xasprintf("%s/sub/blob", url);
	unsetenv("REQUESTS_CA_BUNDLE");
	unsetenv("SSL_CERT_FILE");
	unsetenv("CURL_CA_BUNDLE");
	assert_int_equal(hpc_config_set(fx->cfg, "remote_max_retries", "0", &e), 0);

	assert_int_equal(run_once(fx, target, d), -HPC_E_FETCH);
	assert_true(logged(fx, "certificate"));
	assert_int_equal(hpc_config_set(fx->cfg, "ssl_verify", cert, &e), 0);
	assert_int_equal(run_once(fx, target, d), 0);
	assert_int_equal(hpc_config_set(fx->cfg, "ssl_verify", "false", &e), 0);
	assert_int_equal(run_once(fx, target, d), 0);
	assert_true(logged(fx, "TLS certificate verification is off"));

	hpc_config_free(fx->cfg);
	fx->cfg = hpc_config_new();
	setenv("REQUESTS_CA_BUNDLE", cert, 1);
	assert_int_equal(run_once(fx, target, d), 0);
	unsetenv("REQUESTS_CA_BUNDLE");

	alog = hpc_path_join(tls, "access.log");
	assert_int_equal(hpc_file_read(alog, &text, NULL, NULL), 0);
	assert_non_null(strstr(text, "GET /sub/blob 200 HTTP/2.0"));
	free(text);
	cmd = hpc_xasprintf("bash %s/tests/unit/nginx_helper.sh stop-tls %s", HPCENV_SOURCE_DIR,
			    tls);
	assert_int_equal(system(cmd), 0);
	free(cmd);
	free(alog);
	free(url);
	free(tls);
	free(cert);
	free(target);
	free(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_plain_and_conditional, setup, teardown),
		cmocka_unit_test_setup_teardown(test_missing_and_fallback, setup, teardown),
		cmocka_unit_test_setup_teardown(test_retries, setup, teardown),
		cmocka_unit_test_setup_teardown(test_truncated_and_resumed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_wrong_content_and_sizes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_part_locked_elsewhere, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stall_timeout, setup, teardown),
		cmocka_unit_test_setup_teardown(test_parallel_offline_cancel, setup, teardown),
		cmocka_unit_test_setup_teardown(test_local_files, setup, teardown),
		cmocka_unit_test_setup_teardown(test_proxies, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tls, setup, teardown),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
