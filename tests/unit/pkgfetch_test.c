/* SPDX-License-Identifier: MIT */
/* pkgfetch_test.c - package downloads into the cache, against the nginx fixture */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "testutil.h"

/* nginx serves www/ for the whole group (one start instead of one per test) */
static struct {
	char *root, *www, *url, *state;
} grp;

struct fx {
	char *tmp, *pkgs;
	struct hpc_config *cfg;
	struct hpc_cache *cache;
	struct tu_log log;
	int overall_start, overall_done, items_done;
	uint64_t overall_total, overall_last;
};

static void on_progress(void *ud, const struct hpc_progress *p)
{
	struct fx *fx = (struct fx *)((char *)ud - offsetof(struct fx, log));

	if (p->overall) {
		fx->overall_start += p->state == HPC_PROGRESS_START;
		fx->overall_done += p->state == HPC_PROGRESS_DONE;
		fx->overall_total = p->total;
		fx->overall_last = p->done;
	} else {
		fx->items_done += p->state == HPC_PROGRESS_DONE;
	}
}

static char *sha256_of(const char *path)
{
	char sha[HPC_SHA256_HEX];

	assert_int_equal(hpc_digest_file(path, NULL, sha, NULL, NULL), 0);
	return hpc_xstrdup(sha);
}

static int group_setup(void **state)
{
	grp.root = tu_tmpdir();
	grp.www = hpc_path_join(grp.root, "www");
	/* package files need not be archives here: only their bytes are checked */
	tu_write(grp.www, "ch/linux-64/aaa-1.0-0.conda", "the bytes of aaa, as the record says\n");
	tu_write(grp.www, "ch/linux-64/bbb-2.0-h1_0.tar.bz2", "bbb's bytes\n");
	tu_write(grp.www, "ch/linux-64/ccc-3.0-0.conda", "ccc\n");
	tu_write(grp.root, "www.wrong/ch/linux-64/ccc-3.0-0.conda", "CCC\n"); /* same size */
	tu_nginx_start(grp.www, &grp.url, &grp.state);
	return 0;
}

static int group_teardown(void **state)
{
	tu_nginx_stop(grp.www, grp.url, grp.state);
	tu_tmpdir_free(grp.root);
	free(grp.www);
	return 0;
}

static int setup(void **state)
{
	struct fx *fx = hpc_xcalloc(1, sizeof(*fx));
	struct hpc_strv dirs = HPC_STRV_INIT;
	struct hpc_error *e = NULL;

	fx->tmp = tu_tmpdir();
	fx->pkgs = hpc_path_join(fx->tmp, "pkgs");
	fx->cfg = hpc_config_new();
	assert_int_equal(hpc_config_set(fx->cfg, "remote_backoff_factor", "0.01", &e), 0);
	assert_int_equal(hpc_config_set(fx->cfg, "remote_max_retries", "1", &e), 0);
	tu_log_init(&fx->log);
	fx->log.ev.progress = on_progress;
	hpc_strv_push(&dirs, fx->pkgs);
	assert_int_equal(hpc_cache_open(&dirs, NULL, &fx->log.ev, &fx->cache, &e), 0);
	hpc_strv_fini(&dirs);
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fx *fx = *state;

	hpc_cache_free(fx->cache);
	hpc_config_free(fx->cfg);
	tu_log_fini(&fx->log);
	tu_tmpdir_free(fx->tmp);
	free(fx->pkgs);
	free(fx);
	return 0;
}

/* An item for www/ch/linux-64/<fn> reached through url_prefix ("" or "/wrong" ...), with
 * the record's size and sha256 taken from the right file. */
static void item_for(struct hpc_cache_item *it, const char *url_prefix, const char *fn)
{
	char *path = hpc_xasprintf("%s/ch/linux-64/%s", grp.www, fn);
	char *url = hpc_xasprintf("%s%s/ch/linux-64/%s", grp.url, url_prefix, fn);
	struct hpc_record r;
	uint64_t size;

	assert_int_equal(hpc_record_from_url(&r, url, NULL), 0);
	r.sha256 = sha256_of(path);
	assert_int_equal(hpc_digest_file(path, NULL, NULL, &size, NULL), 0);
	r.size = size;
	hpc_cache_item_init(it, &r, NULL);
	hpc_record_fini(&r);
	free(url);
	free(path);
}

/* Requests so far whose log line contains text (nginx logs just after answering: at least
 * `want` are waited for). */
static int requests(const char *text, int want)
{
	return tu_nginx_requests(grp.state, text, want);
}

static bool logged(const struct fx *fx, const char *text)
{
	for (size_t i = 0; i < fx->log.lines.n; i++)
		if (strstr(fx->log.lines.v[i], text))
			return true;
	return false;
}

static void items_fini(struct hpc_cache_item *items, size_t n)
{
	for (size_t i = 0; i < n; i++)
		hpc_cache_item_fini(&items[i]);
}

static void test_download(void **state)
{
	struct fx *fx = *state;
	struct hpc_cache_item it[3], *p[3] = { &it[0], &it[1], &it[2] };
	struct hpc_error *e = NULL;
	char *urls = NULL, *want;

	item_for(&it[0], "", "aaa-1.0-0.conda");
	item_for(&it[1], "", "bbb-2.0-h1_0.tar.bz2");
	item_for(&it[2], "", "aaa-1.0-0.conda"); /* twice in one list: downloaded once */
	assert_int_equal(hpc_pkgfetch_run(fx->cfg, fx->cache, p, 3, &fx->log.ev, &e), 0);
	want = hpc_path_join(fx->pkgs, "aaa-1.0-0.conda");
	assert_string_equal(it[0].archive, want);
	assert_string_equal(it[2].archive, want);
	free(want);
	want = hpc_path_join(fx->pkgs, "bbb-2.0-h1_0.tar.bz2");
	assert_string_equal(it[1].archive, want);
	free(want);
	assert_int_equal(requests("GET /ch/linux-64/aaa-1.0-0.conda 200", 1), 1);
	/* urls.txt, as conda keeps it */
	want = hpc_path_join(fx->pkgs, "urls.txt");
	assert_int_equal(hpc_file_read(want, &urls, NULL, NULL), 0);
	assert_non_null(strstr(urls, it[0].rec.url));
	assert_non_null(strstr(urls, it[1].rec.url));
	free(urls);
	free(want);
	/* progress: each package, and the batch with its real total */
	assert_int_equal(fx->items_done, 2);
	assert_int_equal(fx->overall_start, 1);
	assert_int_equal(fx->overall_done, 1);
	assert_int_equal(fx->overall_total, it[0].rec.size + it[1].rec.size);
	assert_int_equal(fx->overall_last, fx->overall_total);
	assert_true(logged(fx, "Downloaded 2 packages"));
	items_fini(it, 3);
}

/* file:// URLs are used where they are: nothing copied, nothing requested */
static void test_local_in_place(void **state)
{
	struct fx *fx = *state;
	char *path = hpc_xasprintf("%s/ch/linux-64/aaa-1.0-0.conda", grp.www);
	char *url = hpc_path_to_file_url(path), *gone = hpc_xasprintf("%s/nope-1-0.conda", grp.www);
	struct hpc_cache_item it, *p = &it;
	struct hpc_record r;
	struct hpc_error *e = NULL;

	assert_int_equal(hpc_record_from_url(&r, url, NULL), 0);
	hpc_cache_item_init(&it, &r, NULL);
	assert_int_equal(hpc_pkgfetch_run(fx->cfg, fx->cache, &p, 1, &fx->log.ev, &e), 0);
	assert_string_equal(it.archive, path);
	free(path);
	path = hpc_path_join(fx->pkgs, "aaa-1.0-0.conda");
	assert_false(hpc_path_exists(path));
	assert_int_equal(fx->overall_start, 0);
	hpc_cache_item_fini(&it);
	hpc_record_fini(&r);

	/* a plain path that is not there */
	assert_int_equal(hpc_record_from_url(&r, gone, NULL), 0);
	hpc_cache_item_init(&it, &r, NULL);
	assert_int_equal(hpc_pkgfetch_run(fx->cfg, fx->cache, &p, 1, &fx->log.ev, &e),
			 -HPC_E_NOTFOUND);
	assert_err_contains(e, "package 'nope-1-0': no such file");
	hpc_error_clear(&e);
	hpc_cache_item_fini(&it);
	hpc_record_fini(&r);
	free(path);
	free(url);
	free(gone);
}

/* Wrong bytes: deleted, downloaded once more, then an error naming package and URL. */
static void test_wrong_bytes(void **state)
{
	struct fx *fx = *state;
	struct hpc_cache_item it, *p = &it;
	struct hpc_error *e = NULL;
	char *dest = hpc_path_join(fx->pkgs, "ccc-3.0-0.conda"), *part;
	int before = requests("GET /wrong/ch/linux-64/ccc-3.0-0.conda", 0);

	item_for(&it, "/wrong", "ccc-3.0-0.conda");
	assert_int_equal(hpc_pkgfetch_run(fx->cfg, fx->cache, &p, 1, &fx->log.ev, &e),
			 -HPC_E_CHECKSUM);
	assert_err_contains(e, "package 'ccc-3.0-0': cannot download '");
	assert_err_contains(e, "/wrong/ch/linux-64/ccc-3.0-0.conda': checksum mismatch (sha256");
	assert_err_contains(e, it.rec.sha256);
	assert_true(logged(fx, "downloading it again"));
	assert_int_equal(requests("GET /wrong/ch/linux-64/ccc-3.0-0.conda", before + 2) - before, 2);
	assert_null(it.archive);
	assert_false(hpc_path_exists(dest));
	part = hpc_xasprintf("%s.part", dest);
	assert_false(hpc_path_exists(part));
	assert_int_equal(fx->overall_start, 1);
	hpc_error_clear(&e);
	hpc_cache_item_fini(&it);
	free(part);
	free(dest);
}

/* Offline: nothing is requested, and the error says which package is missing. */
static void test_offline_and_no_cache(void **state)
{
	struct fx *fx = *state;
	struct hpc_cache_item it, *p = &it;
	struct hpc_strv none = HPC_STRV_INIT;
	struct hpc_cache *ro = NULL;
	struct hpc_error *e = NULL;
	int before = requests("bbb-2.0", 0);

	item_for(&it, "", "bbb-2.0-h1_0.tar.bz2");
	assert_int_equal(hpc_config_set(fx->cfg, "offline", "true", &e), 0);
	assert_int_equal(hpc_pkgfetch_run(fx->cfg, fx->cache, &p, 1, &fx->log.ev, &e),
			 -HPC_E_FETCH);
	assert_err_contains(e, "offline: 1 package is not in the package cache, first "
			    "'bbb-2.0-h1_0' from 'http://");
	assert_int_equal(requests("bbb-2.0", 0), before);
	hpc_error_clear(&e);
	assert_int_equal(hpc_config_set(fx->cfg, "offline", "false", &e), 0);
	/* no writable pkgs dir at all */
	assert_int_equal(hpc_cache_open(&none, NULL, NULL, &ro, &e), 0);
	assert_int_equal(hpc_pkgfetch_run(fx->cfg, ro, &p, 1, &fx->log.ev, &e), -HPC_E_IO);
	assert_err_contains(e, "no writable package cache");
	hpc_error_clear(&e);
	hpc_cache_free(ro);
	hpc_cache_item_fini(&it);
}

/* A 404 is not retried as a mismatch; a record without URL cannot be fetched. */
static void test_missing(void **state)
{
	struct fx *fx = *state;
	struct hpc_cache_item it, *p = &it;
	struct hpc_record r;
	struct hpc_error *e = NULL;
	char *url = hpc_xasprintf("%s/ch/linux-64/zzz-1-0.conda", grp.url);

	assert_int_equal(hpc_record_from_url(&r, url, NULL), 0);
	hpc_cache_item_init(&it, &r, NULL);
	assert_int_equal(hpc_pkgfetch_run(fx->cfg, fx->cache, &p, 1, &fx->log.ev, &e),
			 -HPC_E_FETCH);
	assert_err_contains(e, "package 'zzz-1-0': cannot download");
	assert_err_contains(e, "HTTP 404");
	assert_false(logged(fx, "downloading it again"));
	hpc_error_clear(&e);
	hpc_cache_item_fini(&it);
	free(r.url);
	free(r.channel); /* nothing to build a URL from either */
	r.url = r.channel = NULL;
	hpc_cache_item_init(&it, &r, NULL);
	assert_int_equal(hpc_pkgfetch_run(fx->cfg, fx->cache, &p, 1, &fx->log.ev, &e),
			 -HPC_E_NOTFOUND);
	assert_err_contains(e, "has no URL");
	hpc_error_clear(&e);
	hpc_cache_item_fini(&it);
	hpc_record_fini(&r);
	free(url);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_download, setup, teardown),
		cmocka_unit_test_setup_teardown(test_local_in_place, setup, teardown),
		cmocka_unit_test_setup_teardown(test_wrong_bytes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_offline_and_no_cache, setup, teardown),
		cmocka_unit_test_setup_teardown(test_missing, setup, teardown),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
