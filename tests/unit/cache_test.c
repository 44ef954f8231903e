/* SPDX-License-Identifier: MIT */
/* cache_test.c - pkgs_dirs lookup, extraction into the cache, validation, sharing */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <linux/fs.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "testutil.h"

static const char *const pkgs[] = {
	"mock-2.0.0-py37_1000.conda",
	"zlib-1.2.11-h7b6447c_3.tar.bz2",
	"_r-mutex-1.0.1-anacondar_1.tar.bz2",
};
#define NPKGS (sizeof(pkgs) / sizeof(pkgs[0]))

/* A record as an @EXPLICIT line gives it: name, version and build from the file name. */
static void rec_for(struct hpc_record *r, const char *fn)
{
	char *dist = hpc_extract_dist_of(fn), *b = strrchr(dist, '-'), *v;

	*b = '\0';
	v = strrchr(dist, '-');
	*v = '\0';
	hpc_record_init(r);
	r->name = hpc_xstrdup(dist);
	r->version = hpc_xstrdup(v + 1);
	r->build = hpc_xstrdup(b + 1);
	r->fn = hpc_xstrdup(fn);
	r->url = hpc_xasprintf("file://%s/../shared/data/packages/%s", HPCENV_SOURCE_DIR, fn);
	free(dist);
}

static void items_for(struct hpc_cache_item *items, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		struct hpc_record r;
		char *rel = hpc_xasprintf("packages/%s", pkgs[i]), *path = tu_shared(rel);

		rec_for(&r, pkgs[i]);
		hpc_cache_item_init(&items[i], &r, path);
		hpc_record_fini(&r);
		free(rel);
		free(path);
	}
}

static void items_fini(struct hpc_cache_item *items, size_t n)
{
	for (size_t i = 0; i < n; i++)
		hpc_cache_item_fini(&items[i]);
}

static struct hpc_cache *open_cache(const char *d1, const char *d2, double timeout)
{
	struct hpc_strv dirs = HPC_STRV_INIT;
	struct hpc_cache_options o = { .lock_timeout = timeout, .extract_threads = 2 };
	struct hpc_cache *c = NULL;

	hpc_strv_push(&dirs, d1);
	if (d2)
		hpc_strv_push(&dirs, d2);
	assert_int_equal(hpc_cache_open(&dirs, &o, NULL, &c, NULL), 0);
	hpc_strv_fini(&dirs);
	return c;
}

static bool tmp_is_empty(const char *pkgs_dir)
{
	char *t = hpc_path_join(pkgs_dir, ".hpcenv-tmp");
	char *cmd = hpc_xasprintf("test -z \"$(ls -A '%s' 2>/dev/null)\"", t);
	bool r = system(cmd) == 0;

	free(cmd);
	free(t);
	return r;
}

/* ext4: the extraction directory carries the top-directory hint (chattr +T), so packages
 * are spread over block groups; filesystems without inode flags (tmpfs) pass. */
static bool tmp_spread(const char *pk)
{
	char *t = hpc_path_join(pk, ".hpcenv-tmp");
	int fd = open(t, O_RDONLY | O_DIRECTORY | O_CLOEXEC), flags = 0;
	bool r = fd >= 0 && (ioctl(fd, FS_IOC_GETFLAGS, &flags) < 0 || (flags & FS_TOPDIR_FL));

	if (fd >= 0)
		close(fd);
	free(t);
	return r;
}

static void test_prepare_and_reuse(void **state)
{
	char *d = tu_tmpdir(), *pk = hpc_path_join(d, "pkgs"), *urls = hpc_path_join(pk, "urls.txt");
	struct hpc_cache_item items[NPKGS];
	struct hpc_cache *c = open_cache("/proc/no-such/pkgs", pk, 5);

	assert_string_equal(hpc_cache_writable(c), pk); /* the first one cannot be made */
	assert_true(hpc_path_exists(urls));
	items_for(items, NPKGS);
	assert_int_equal(hpc_cache_prepare(c, items, NPKGS, NULL, NULL), 0);
	for (size_t i = 0; i < NPKGS; i++) {
		char *dist = hpc_record_dist(&items[i].rec), *want = hpc_path_join(pk, dist);

		assert_string_equal(items[i].dir, want);
		assert_true(items[i].extracted);
		assert_non_null(items[i].rec.sha256); /* completed from the archive */
		assert_true(items[i].rec.size > 0);
		free(dist);
		free(want);
	}
	/* mock's depends came from its info/index.json */
	assert_true(hpc_strv_contains(&items[0].rec.depends, "python >=3.7,<3.8.0a0"));
	assert_true(tmp_spread(pk));
	assert_non_null(strstr(items[0].rec.sha256, "181ec44eb7b06ebb"));
	items_fini(items, NPKGS);
	hpc_cache_free(c);
	/* a second run finds them all, completed from repodata_record.json */
	c = open_cache(pk, NULL, 5);
	items_for(items, NPKGS);
	free(items[0].archive);
	items[0].archive = NULL; /* not needed when cached */
	assert_int_equal(hpc_cache_prepare(c, items, NPKGS, NULL, NULL), 0);
	for (size_t i = 0; i < NPKGS; i++)
		assert_false(items[i].extracted);
	assert_true(hpc_strv_contains(&items[0].rec.depends, "python >=3.7,<3.8.0a0"));
	assert_true(tmp_is_empty(pk));
	items_fini(items, NPKGS);
	hpc_cache_free(c);
	free(urls);
	free(pk);
	tu_tmpdir_free(d);
}

static void test_incomplete_mismatch_missing(void **state)
{
	char *d = tu_tmpdir(), *pk = hpc_path_join(d, "pkgs"), *leftover;
	struct hpc_cache_item items[1];
	struct hpc_cache *c = open_cache(pk, NULL, 5);
	struct hpc_error *e = NULL;

	/* an interrupted extraction by another tool: no repodata_record.json */
	tu_write(pk, "mock-2.0.0-py37_1000/info/index.json", "{}");
	leftover = hpc_path_join(pk, "mock-2.0.0-py37_1000/leftover");
	tu_write(pk, "mock-2.0.0-py37_1000/leftover", "x");
	items_for(items, 1);
	assert_int_equal(hpc_cache_prepare(c, items, 1, NULL, NULL), 0);
	assert_true(items[0].extracted);
	assert_false(hpc_path_exists(leftover)); /* replaced as a whole */
	items_fini(items, 1);
	/* an archive that is not what its record says */
	hpc_rm_rf(pk, NULL);
	items_for(items, 1);
	items[0].rec.sha256 = hpc_xstrdup("00000000000000000000000000000000"
					   "00000000000000000000000000000000");
	assert_int_equal(hpc_cache_prepare(c, items, 1, NULL, &e), -HPC_E_CHECKSUM);
	assert_err_contains(e, "mock-2.0.0-py37_1000.conda");
	assert_err_contains(e, "expected 0000");
	hpc_error_clear(&e);
	assert_false(hpc_path_exists(leftover));
	assert_true(tmp_is_empty(pk));
	items_fini(items, 1);
	/* neither cached nor given */
	items_for(items, 1);
	free(items[0].archive);
	items[0].archive = NULL;
	assert_int_equal(hpc_cache_prepare(c, items, 1, NULL, &e), -HPC_E_NOTFOUND);
	assert_err_contains(e, "'mock-2.0.0-py37_1000'");
	hpc_error_clear(&e);
	items_fini(items, 1);
	hpc_cache_free(c);
	free(leftover);
	free(pk);
	tu_tmpdir_free(d);
}

static void test_archive_in_cache(void **state)
{
	char *d = tu_tmpdir(), *pk = hpc_path_join(d, "pkgs"), *src = tu_shared(
		"packages/zlib-1.2.11-h7b6447c_3.conda"), *cmd;
	struct hpc_cache_item it;
	struct hpc_record r;
	struct hpc_cache *c = open_cache(pk, NULL, 5);

	cmd = hpc_xasprintf("cp '%s' '%s/'", src, pk);
	assert_int_equal(system(cmd), 0);
	rec_for(&r, "zlib-1.2.11-h7b6447c_3.conda");
	r.sha256 = hpc_xstrdup("f33afff2144e1d6c4cf2e3e184937db8bf825b4537df74662aea5ee207b6a31b");
	r.size = 105917;
	hpc_cache_item_init(&it, &r, NULL);
	assert_int_equal(hpc_cache_prepare(c, &it, 1, NULL, NULL), 0);
	assert_true(it.extracted);
	assert_int_equal(hpc_cache_add_url(c, r.url, NULL), 0);
	hpc_cache_item_fini(&it);
	hpc_record_fini(&r);
	hpc_cache_free(c);
	free(cmd);
	free(src);
	free(pk);
	tu_tmpdir_free(d);
}

/* Another process (micromamba, say) holds pkgs/pkgs.lock: after lock_timeout hpcenv goes
 * on lock-free; an incomplete package directory it may be writing is left alone and a
 * private copy, removed afterwards, is used. */
static void test_lock_free_fallback(void **state)
{
	char *d = tu_tmpdir(), *pk = hpc_path_join(d, "pkgs"), *lockf = hpc_path_join(pk, "pkgs.lock");
	struct hpc_cache_item items[1];
	struct hpc_cache *c;
	struct tu_log log;
	char *priv, *busy;
	int p[2];
	pid_t pid;
	char ch;

	assert_int_equal(hpc_mkdir_p(pk, 0755, NULL), 0);
	tu_write(pk, "mock-2.0.0-py37_1000/info/index.json", "{}");
	busy = hpc_path_join(pk, "mock-2.0.0-py37_1000/info/index.json");
	assert_int_equal(pipe(p), 0);
	pid = fork();
	if (pid == 0) {
		int fd = open(lockf, O_RDWR | O_CREAT, 0666);
		struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 21,
				    .l_len = 1 };

		prctl(PR_SET_PDEATHSIG, SIGKILL);
		ch = fcntl(fd, F_SETLK, &fl) == 0 ? 'y' : 'n';
		if (write(p[1], &ch, 1) != 1)
			_exit(1);
		pause();
		_exit(0);
	}
	assert_int_equal(read(p[0], &ch, 1), 1);
	assert_int_equal(ch, 'y');
	tu_log_init(&log);
	c = open_cache(pk, NULL, 0.3);
	items_for(items, 1);
	assert_int_equal(hpc_cache_prepare(c, items, 1, &log.ev, NULL), 0);
	assert_true(hpc_str_startswith(items[0].dir, pk));
	assert_non_null(strstr(items[0].dir, ".hpcenv-tmp/"));
	assert_true(hpc_path_exists(busy)); /* untouched */
	priv = hpc_xstrdup(items[0].dir);
	items_fini(items, 1);
	hpc_cache_free(c);
	assert_false(hpc_path_exists(priv));
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	tu_log_fini(&log);
	free(priv);
	free(busy);
	free(lockf);
	free(pk);
	tu_tmpdir_free(d);
}

/* Four processes fill one cache with the same packages at once. */
static void test_concurrent(void **state)
{
	char *d = tu_tmpdir(), *pk = hpc_path_join(d, "pkgs");
	pid_t pids[4];

	for (int i = 0; i < 4; i++) {
		pids[i] = fork();
		if (pids[i] == 0) {
			struct hpc_cache_item items[NPKGS];
			struct hpc_cache *c = open_cache(pk, NULL, 60);
			int r;

			items_for(items, NPKGS);
			r = hpc_cache_prepare(c, items, NPKGS, NULL, NULL);
			items_fini(items, NPKGS);
			hpc_cache_free(c);
			_exit(r ? 1 : 0);
		}
	}
	for (int i = 0; i < 4; i++) {
		int st;

		waitpid(pids[i], &st, 0);
		assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	}
	{
		struct hpc_cache *c = open_cache(pk, NULL, 5);
		struct hpc_cache_item items[NPKGS];

		items_for(items, NPKGS);
		assert_int_equal(hpc_cache_prepare(c, items, NPKGS, NULL, NULL), 0);
		for (size_t i = 0; i < NPKGS; i++)
			assert_false(items[i].extracted); /* intact: nothing to redo */
		items_fini(items, NPKGS);
		hpc_cache_free(c);
	}
	assert_true(tmp_is_empty(pk));
	free(pk);
	tu_tmpdir_free(d);
}

/* Run fn as another user (uid, gid) with a group umask, in a child; its exit status. */
static int as_user(uid_t uid, gid_t gid, int (*fn)(void *), void *arg)
{
	pid_t pid = fork();
	int st;

	if (pid == 0) {
		gid_t groups[1] = { gid };

		if (setgroups(1, groups) || setgid(gid) || setuid(uid))
			_exit(99);
		umask(002);
		_exit(fn(arg));
	}
	waitpid(pid, &st, 0);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 98;
}

struct user_job {
	const char *d1, *d2;
	size_t n;          /* packages wanted (from pkgs[]) */
	int want_extracted; /* how many should be extracted by this user */
	bool clean;
};

static int user_prepare(void *arg)
{
	struct user_job *j = arg;
	struct hpc_cache *c = open_cache(j->d1, j->d2, 5);
	struct hpc_cache_item items[NPKGS];
	struct hpc_clean_report rep;
	int r, extracted = 0;
	struct hpc_error *e = NULL;

	items_for(items, j->n);
	r = hpc_cache_prepare(c, items, j->n, NULL, &e);
	if (e)
		fprintf(stderr, "uid %d: %s\n", (int)getuid(), e->msg);
	hpc_error_free(e);
	for (size_t i = 0; i < j->n; i++)
		extracted += items[i].extracted;
	items_fini(items, j->n);
	if (!r && j->clean) {
		r = hpc_cache_clean(c, HPC_CLEAN_PACKAGES, false, NULL, &rep, NULL);
		r = r ? r : (rep.skipped ? 3 : 0);
		hpc_clean_report_fini(&rep);
	}
	hpc_cache_free(c);
	return r ? 1 : extracted == j->want_extracted ? 0 : 2;
}

static void test_group_shared_cache(void **state)
{
	char *d = tu_tmpdir(), *shared = hpc_path_join(d, "shared"), *own = hpc_path_join(d, "own");
	char *f = hpc_path_join(shared, "mock-2.0.0-py37_1000/info/index.json");
	struct user_job a = { shared, NULL, 1, 1, false }, b = { shared, NULL, 2, 1, false };
	struct user_job other = { shared, own, 3, 1, false }, cl = { shared, NULL, 0, 0, true };
	struct stat st1, st2;

	assert_int_equal(chmod(d, 0755), 0);
	assert_int_equal(mkdir(shared, 0775), 0);
	assert_int_equal(chown(shared, 0, 4300), 0);
	assert_int_equal(chmod(shared, 02775), 0);
	assert_int_equal(mkdir(own, 0755), 0); /* their per-user cache, in their home */
	assert_int_equal(chown(own, 4244, 4301), 0);
	/* user A extracts mock into the group's cache */
	assert_int_equal(as_user(4242, 4300, user_prepare, &a), 0);
	assert_int_equal(stat(f, &st1), 0);
	assert_int_equal(st1.st_uid, 4242);
	assert_int_equal(st1.st_gid, 4300); /* setgid directory */
	/* user B of the same group reuses it and adds zlib */
	assert_int_equal(as_user(4243, 4300, user_prepare, &b), 0);
	/* a user outside the group: the shared cache is read-only for them; mock and zlib
	 * are used from it, the third package goes to their own cache */
	assert_int_equal(as_user(4244, 4301, user_prepare, &other), 0);
	{
		char *third = hpc_path_join(own, "_r-mutex-1.0.1-anacondar_1/info/index.json");

		assert_true(hpc_path_exists(third));
		free(third);
	}
	/* nobody changed A's files (no chmod of what another user owns) */
	assert_int_equal(stat(f, &st2), 0);
	assert_true(st1.st_ctim.tv_sec == st2.st_ctim.tv_sec &&
		    st1.st_ctim.tv_nsec == st2.st_ctim.tv_nsec);
	/* B may clean A's unused package from the group cache */
	assert_int_equal(as_user(4243, 4300, user_prepare, &cl), 0);
	assert_false(hpc_path_exists(f));
	free(f);
	free(own);
	free(shared);
	tu_tmpdir_free(d);
}

static void test_clean(void **state)
{
	char *d = tu_tmpdir(), *pk = hpc_path_join(d, "pkgs"), *env = hpc_path_join(d, "env");
	char *src, *dst;
	struct hpc_cache_item items[NPKGS];
	struct hpc_cache *c = open_cache(pk, NULL, 5);
	struct hpc_clean_report rep;

	items_for(items, NPKGS);
	assert_int_equal(hpc_cache_prepare(c, items, NPKGS, NULL, NULL), 0);
	/* an environment links one of mock's files */
	assert_int_equal(mkdir(env, 0755), 0);
	src = hpc_path_join(items[0].dir, "info/index.json");
	dst = hpc_path_join(env, "x");
	assert_int_equal(link(src, dst), 0);
	tu_write(pk, "cache/abc.json", "{}");
	tu_write(pk, "old-1.0-0.tar.bz2", "archive");
	tu_write(pk, ".hpcenv-tmp/x-1-0-ABCDEF/info/index.json", "{}");
	assert_int_equal(hpc_cache_clean(c, HPC_CLEAN_PACKAGES | HPC_CLEAN_TARBALLS | HPC_CLEAN_INDEX |
					 HPC_CLEAN_TEMP, true, NULL, &rep, NULL), 0);
	assert_int_equal(rep.n, 5); /* dry run: zlib, r-mutex, cache, tarball, tmp */
	assert_true(hpc_is_dir(items[1].dir));
	hpc_clean_report_fini(&rep);
	assert_int_equal(hpc_cache_clean(c, HPC_CLEAN_PACKAGES, false, NULL, &rep, NULL), 0);
	assert_int_equal(rep.n, 2);
	assert_true(rep.bytes > 0);
	assert_false(hpc_path_exists(items[1].dir));
	assert_true(hpc_is_dir(items[0].dir)); /* in use */
	hpc_clean_report_fini(&rep);
	assert_int_equal(hpc_cache_clean(c, HPC_CLEAN_TARBALLS | HPC_CLEAN_INDEX | HPC_CLEAN_TEMP,
					 false, NULL, &rep, NULL), 0);
	assert_int_equal(rep.n, 3);
	assert_true(tmp_is_empty(pk));
	hpc_clean_report_fini(&rep);
	items_fini(items, NPKGS);
	hpc_cache_free(c);
	free(src);
	free(dst);
	free(env);
	free(pk);
	tu_tmpdir_free(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_prepare_and_reuse),
		cmocka_unit_test(test_incomplete_mismatch_missing),
		cmocka_unit_test(test_archive_in_cache),
		cmocka_unit_test(test_lock_free_fallback),
		cmocka_unit_test(test_concurrent),
		cmocka_unit_test(test_group_shared_cache),
		cmocka_unit_test(test_clean),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
