/* SPDX-License-Identifier: MIT */
/* transaction_test.c - create, remove, update, roll back, recover, real and conda-made envs */
#include <dirent.h>
#include <stdio.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "testutil.h"

/* ---- helpers ---- */

/* Every path of a tree with its type, mode and content hash, sorted: two trees with the
 * same listing are the same byte for byte. The lock file is hpcenv's, not the env's. */
static void walk(const char *root, const char *rel, struct hpc_strv *out)
{
	char *dir = rel[0] ? hpc_path_join(root, rel) : hpc_xstrdup(root);
	DIR *d = opendir(dir);
	struct dirent *e;

	while (d && (e = readdir(d))) {
		char *r, *full, buf[4096], sha[HPC_SHA256_HEX];
		struct stat st;
		ssize_t n;

		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..") ||
		    !strcmp(e->d_name, "conda-meta.lock"))
			continue;
		r = rel[0] ? hpc_xasprintf("%s/%s", rel, e->d_name) : hpc_xstrdup(e->d_name);
		full = hpc_path_join(root, r);
		lstat(full, &st);
		if (S_ISDIR(st.st_mode)) {
			hpc_strv_pushf(out, "%s/ %o", r, st.st_mode & 07777);
			walk(root, r, out);
		} else if (S_ISLNK(st.st_mode)) {
			n = readlink(full, buf, sizeof(buf) - 1);
			buf[n < 0 ? 0 : n] = '\0';
			hpc_strv_pushf(out, "%s -> %s", r, buf);
		} else {
			hpc_digest_file(full, NULL, sha, NULL, NULL);
			hpc_strv_pushf(out, "%s %o %s", r, st.st_mode & 07777, sha);
		}
		free(full);
		free(r);
	}
	if (d)
		closedir(d);
	free(dir);
}

static int cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static char *state_of(const char *root)
{
	struct hpc_strv v = HPC_STRV_INIT;
	char *s;

	walk(root, "", &v);
	if (v.n)
		qsort(v.v, v.n, sizeof(char *), cmp);
	s = hpc_strv_join(&v, "\n");
	hpc_strv_fini(&v);
	return s;
}

struct fx {
	char *root, *pkgs, *prefix;
	struct hpc_cache *cache;
	struct hpc_txn *t;
	struct tu_log log;
};

static void fx_open(struct fx *f, const char *root)
{
	struct hpc_strv dirs = HPC_STRV_INIT;
	struct hpc_cache_options co = { .lock_timeout = 5, .extract_threads = 2 };

	memset(f, 0, sizeof(*f));
	f->root = root ? hpc_xstrdup(root) : tu_tmpdir();
	f->pkgs = hpc_path_join(f->root, "pkgs");
	f->prefix = hpc_path_join(f->root, "env");
	hpc_strv_push(&dirs, f->pkgs);
	assert_int_equal(hpc_cache_open(&dirs, &co, NULL, &f->cache, NULL), 0);
	hpc_strv_fini(&dirs);
	tu_log_init(&f->log);
}

static void fx_close(struct fx *f, bool remove_root)
{
	hpc_txn_free(f->t);
	hpc_cache_free(f->cache);
	tu_log_fini(&f->log);
	free(f->pkgs);
	free(f->prefix);
	if (remove_root)
		tu_tmpdir_free(f->root);
	else
		free(f->root);
}

static int txn_begin(struct fx *f, bool create, struct hpc_error **err)
{
	struct hpc_txn_options o = { .prefix = f->prefix, .cache = f->cache, .create = create,
				     .lock_timeout = 5, .threads = 2, .cmd = "test" };

	hpc_txn_free(f->t);
	f->t = NULL;
	return hpc_txn_open(&o, &f->log.ev, &f->t, err);
}

/* Link a real package from shared/data/packages (read in place, as file:// is). */
static void add_real(struct fx *f, const char *file)
{
	char *rel = hpc_xasprintf("packages/%s", file), *path = tu_shared(rel);
	struct hpc_record r;

	assert_int_equal(hpc_record_from_url(&r, path, NULL), 0);
	hpc_txn_link(f->t, &r, path, r.name);
	hpc_record_fini(&r);
	free(path);
	free(rel);
}

static int run(struct fx *f, struct hpc_error **err)
{
	int r = hpc_txn_prepare(f->t, &f->log.ev, err);

	return r ? r : hpc_txn_commit(f->t, &f->log.ev, err);
}

static bool exists(const char *dir, const char *rel)
{
	char *p = hpc_path_join(dir, rel);
	bool r = hpc_path_exists(p);

	free(p);
	return r;
}

/* ---- tests ---- */

static void test_create_remove_update(void **state)
{
	struct fx f;
	struct hpc_condameta m;
	struct hpc_history h;
	struct hpc_error *e = NULL;

	fx_open(&f, NULL);
	assert_int_equal(txn_begin(&f, true, NULL), 0);
	add_real(&f, "zlib-1.2.11-h7b6447c_3.tar.bz2");
	add_real(&f, "mock-2.0.0-py37_1000.conda");
	add_real(&f, "ncurses-6_4_20240330-h00057fd_1.conda");
	add_real(&f, "_r-mutex-1.0.1-anacondar_1.tar.bz2");
	add_real(&f, "conda-forge-repodata-patches-20180828-0.tar.bz2");
	assert_int_equal(run(&f, NULL), 0);
	assert_int_equal(hpc_condameta_load(f.prefix, &m, NULL), 0);
	assert_int_equal(m.n, 5);
	assert_string_equal(hpc_condameta_find(&m, "zlib")->requested_spec, "zlib");
	assert_int_equal(hpc_condameta_find(&m, "ncurses")->npaths, 2986);
	assert_non_null(hpc_condameta_find(&m, "mock")->rec.sha256); /* from the archive */
	hpc_condameta_fini(&m);
	assert_true(exists(f.prefix, "lib/pkgconfig/zlib.pc"));
	/* an environment with packages cannot be created again */
	assert_int_equal(txn_begin(&f, true, &e), -HPC_E_EXISTS);
	hpc_error_clear(&e);
	/* remove one */
	assert_int_equal(txn_begin(&f, false, NULL), 0);
	assert_int_equal(hpc_txn_unlink(f.t, "mock", NULL), 0);
	assert_int_equal(hpc_txn_unlink(f.t, "nope", &e), -HPC_E_NOTFOUND);
	hpc_error_clear(&e);
	hpc_txn_add_spec(f.t, true, "mock");
	assert_int_equal(run(&f, NULL), 0);
	assert_false(exists(f.prefix, "lib/python3.7")); /* emptied directories go too */
	assert_false(exists(f.prefix, "conda-meta/mock-2.0.0-py37_1000.json"));
	/* update: zlib .tar.bz2 -> .conda of the same version */
	assert_int_equal(txn_begin(&f, false, NULL), 0);
	assert_int_equal(hpc_txn_unlink(f.t, "zlib", NULL), 0);
	add_real(&f, "zlib-1.2.11-h7b6447c_3.conda");
	assert_int_equal(run(&f, NULL), 0);
	assert_int_equal(hpc_condameta_load(f.prefix, &m, NULL), 0);
	assert_string_equal(hpc_condameta_find(&m, "zlib")->rec.fn, "zlib-1.2.11-h7b6447c_3.conda");
	hpc_condameta_fini(&m);
	assert_true(exists(f.prefix, "lib/libz.so.1.2.11"));
	assert_int_equal(hpc_history_load(f.prefix, &h, NULL), 0);
	assert_int_equal(h.n, 3);
	assert_int_equal(h.revs[0].added.n, 5);
	assert_string_equal(h.revs[1].remove_specs.v[0], "mock");
	assert_int_equal(h.revs[2].removed.n, 1);
	hpc_history_fini(&h);
	fx_close(&f, true);
}

static char *payload_state(const char *prefix)
{
	char *s = state_of(prefix), *out;
	struct hpc_strv lines = HPC_STRV_INIT, keep = HPC_STRV_INIT;

	hpc_strv_split(&lines, s, "\n");
	for (size_t i = 0; i < lines.n; i++)
		if (!hpc_str_startswith(lines.v[i], "conda-meta"))
			hpc_strv_push(&keep, lines.v[i]);
	out = hpc_strv_join(&keep, "\n");
	hpc_strv_fini(&lines);
	hpc_strv_fini(&keep);
	free(s);
	return out;
}

/* The .conda and .tar.bz2 of a package give the same environment (zlib: see link.h),
 * installed one after the other at the same prefix. */
static void test_formats_identical(void **state)
{
	static const char *const pairs[][3] = {
		{ "mock-2.0.0-py37_1000.conda", "mock-2.0.0-py37_1000.tar.bz2", "mock" },
		{ "zlib-1.2.11-h7b6447c_3.conda", "zlib-1.2.11-h7b6447c_3.tar.bz2", "zlib" },
	};

	for (size_t i = 0; i < 2; i++) {
		struct fx f;
		char *sa, *sb, *empty;

		fx_open(&f, NULL);
		assert_int_equal(txn_begin(&f, true, NULL), 0);
		add_real(&f, pairs[i][0]);
		assert_int_equal(run(&f, NULL), 0);
		sa = payload_state(f.prefix);
		assert_int_equal(txn_begin(&f, false, NULL), 0);
		assert_int_equal(hpc_txn_unlink(f.t, pairs[i][2], NULL), 0);
		assert_int_equal(run(&f, NULL), 0);
		empty = payload_state(f.prefix);
		assert_string_equal(empty, ""); /* nothing but conda-meta is left */
		assert_int_equal(txn_begin(&f, false, NULL), 0);
		add_real(&f, pairs[i][1]);
		assert_int_equal(run(&f, NULL), 0);
		sb = payload_state(f.prefix);
		assert_true(strlen(sa) > 100);
		assert_string_equal(sa, sb);
		free(sa);
		free(sb);
		free(empty);
		fx_close(&f, true);
	}
}

/* A package already extracted in the cache whose post-link script fails. */
static void fake_failing(struct fx *f, struct hpc_record *r)
{
	char *d = hpc_path_join(f->pkgs, "failing-1.0-0");

	tu_write(d, "info/index.json", "{\"name\": \"failing\", \"version\": \"1.0\", \"build\": \"0\"}");
	tu_write(d, "info/paths.json", "{\"paths\": [{\"_path\": \"bin/failing-tool\"}, "
		 "{\"_path\": \"bin/.failing-post-link.sh\"}, {\"_path\": \"share/failing/data\"}]}");
	tu_write(d, "info/repodata_record.json",
		 "{\"name\": \"failing\", \"version\": \"1.0\", \"build\": \"0\"}");
	tu_write(d, "bin/failing-tool", "#!/bin/sh\n");
	tu_write(d, "bin/.failing-post-link.sh", "echo 'no licence server' >&2\nexit 2\n");
	tu_write(d, "share/failing/data", "data");
	hpc_record_init(r);
	r->name = hpc_xstrdup("failing");
	r->version = hpc_xstrdup("1.0");
	r->build = hpc_xstrdup("0");
	free(d);
}

static void test_rollback_byte_for_byte(void **state)
{
	struct fx f;
	struct hpc_record fail;
	struct hpc_error *e = NULL;
	char *before, *after;

	fx_open(&f, NULL);
	assert_int_equal(txn_begin(&f, true, NULL), 0);
	add_real(&f, "zlib-1.2.11-h7b6447c_3.tar.bz2");
	add_real(&f, "ncurses-6_4_20240330-h00057fd_1.conda");
	assert_int_equal(run(&f, NULL), 0);
	before = state_of(f.prefix);
	/* remove zlib, add mock and a package whose post-link script fails */
	assert_int_equal(txn_begin(&f, false, NULL), 0);
	assert_int_equal(hpc_txn_unlink(f.t, "zlib", NULL), 0);
	add_real(&f, "mock-2.0.0-py37_1000.tar.bz2");
	fake_failing(&f, &fail);
	hpc_txn_link(f.t, &fail, NULL, NULL);
	hpc_record_fini(&fail);
	assert_int_equal(run(&f, &e), -HPC_E_LINK);
	assert_err_contains(e, "were rolled back");
	assert_err_contains(hpc_error_root(e), "no licence server");
	hpc_error_free(e);
	after = state_of(f.prefix);
	assert_string_equal(before, after);
	free(before);
	free(after);
	fx_close(&f, true);
}

struct countdown {
	int left;
};

static bool cancel_after(void *ud)
{
	struct countdown *c = ud;

	return --c->left < 0;
}

/* Ctrl-C at every point the transaction polls: always the old state. */
static void test_cancel_anywhere(void **state)
{
	struct fx f;
	char *before, *after;

	fx_open(&f, NULL);
	assert_int_equal(txn_begin(&f, true, NULL), 0);
	add_real(&f, "zlib-1.2.11-h7b6447c_3.tar.bz2");
	assert_int_equal(run(&f, NULL), 0);
	before = state_of(f.prefix);
	for (int k = 0;; k++) {
		struct countdown cd = { k };
		struct hpc_events ev = { .cancelled = cancel_after, .ud = &cd };
		struct hpc_error *e = NULL;
		int r;

		assert_int_equal(txn_begin(&f, false, NULL), 0);
		assert_int_equal(hpc_txn_unlink(f.t, "zlib", NULL), 0);
		add_real(&f, "mock-2.0.0-py37_1000.conda");
		assert_int_equal(hpc_txn_prepare(f.t, &f.log.ev, NULL), 0);
		r = hpc_txn_commit(f.t, &ev, &e);
		hpc_error_free(e);
		if (r == 0)
			break; /* past the last poll: committed */
		assert_int_equal(r, -HPC_E_INTERRUPTED);
		after = state_of(f.prefix);
		assert_string_equal(before, after);
		free(after);
	}
	free(before);
	fx_close(&f, true);
}

/* A failed create leaves no environment behind. */
static void test_failed_create_leaves_nothing(void **state)
{
	struct fx f;
	struct hpc_record fail;
	struct hpc_error *e = NULL;

	fx_open(&f, NULL);
	assert_int_equal(txn_begin(&f, true, NULL), 0);
	add_real(&f, "zlib-1.2.11-h7b6447c_3.tar.bz2");
	fake_failing(&f, &fail);
	hpc_txn_link(f.t, &fail, NULL, NULL);
	hpc_record_fini(&fail);
	assert_int_equal(run(&f, &e), -HPC_E_LINK);
	hpc_error_free(e);
	hpc_txn_free(f.t);
	f.t = NULL;
	assert_false(hpc_path_exists(f.prefix));
	fx_close(&f, true);
}

/* Disk full (a 1 MiB tmpfs as the prefix's filesystem): a clear error, everything rolled
 * back, nothing left. Runs in a child with its own mount namespace. */
static int disk_full_child(const char *root)
{
	struct fx f;
	char *small = hpc_path_join(root, "small"), *cmd;
	struct hpc_error *e = NULL;
	int r, bad = 0;

	if (unshare(CLONE_NEWNS) || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) ||
	    mkdir(small, 0755) || mount("tmpfs", small, "tmpfs", 0, "size=1m"))
		return 77; /* no mount namespaces here: skip */
	fx_open(&f, root);
	free(f.prefix);
	f.prefix = hpc_path_join(small, "env");
	if (txn_begin(&f, true, NULL))
		return 10;
	add_real(&f, "zlib-1.2.11-h7b6447c_3.tar.bz2");
	add_real(&f, "ncurses-6_4_20240330-h00057fd_1.conda"); /* > 1 MiB of copies */
	add_real(&f, "mock-2.0.0-py37_1000.conda");
	r = run(&f, &e);
	if (e)
		fprintf(stderr, "disk full: %d %s / %s\n", r, e->msg, hpc_error_root(e)->msg);
	bad |= r != -HPC_E_IO ? 1 : 0;
	bad |= !e || !strstr(hpc_error_root(e)->msg, "No space left on device") ? 2 : 0;
	hpc_error_free(e);
	hpc_txn_free(f.t);
	f.t = NULL;
	cmd = hpc_xasprintf("test -z \"$(ls -A '%s')\"", small);
	bad |= system(cmd) != 0 ? 4 : 0; /* the tmpfs is empty again */
	free(cmd);
	umount(small);
	free(small);
	fx_close(&f, false);
	return bad;
}

static void test_disk_full(void **state)
{
	char *root = tu_tmpdir();
	pid_t pid = fork();
	int st;

	if (pid == 0)
		_exit(disk_full_child(root));
	waitpid(pid, &st, 0);
	assert_true(WIFEXITED(st));
	if (WEXITSTATUS(st) == 77)
		skip();
	assert_int_equal(WEXITSTATUS(st), 0);
	tu_tmpdir_free(root);
}

/* kill -9 in the middle of linking: the next open rolls it back. The child is killed
 * once its journal exists, wherever it then is; either outcome below is checked. */
/* A create killed between making its journal directory and writing the journal's header:
 * the journal cannot say the prefix was new, yet recovery leaves no environment behind
 * (kill -9 tests caught this as a prefix holding only conda-meta/ and its lock). */
static void test_killed_in_journal_begin(void **state)
{
	char *dir = tu_tmpdir(), *prefix = hpc_path_join(dir, "env");
	char *meta = hpc_path_join(prefix, "conda-meta");

	(void)state;
	tu_write(prefix, "conda-meta/conda-meta.lock", "");
	tu_write(prefix, HPC_JOURNAL_DIR "/journal", "");
	assert_true(hpc_journal_pending(prefix));
	assert_int_equal(hpc_txn_recover(prefix, 5, NULL, NULL), 0);
	assert_false(hpc_journal_pending(prefix));
	assert_false(hpc_path_exists(meta));
	/* an environment with packages is never taken for one */
	tu_write(prefix, "conda-meta/conda-meta.lock", "");
	tu_write(prefix, "conda-meta/zlib-1.2.11-0.json", "{}");
	tu_write(prefix, HPC_JOURNAL_DIR "/journal", "");
	assert_int_equal(hpc_txn_recover(prefix, 5, NULL, NULL), 0);
	assert_true(hpc_path_exists(meta));
	free(meta);
	free(prefix);
	tu_tmpdir_free(dir);
}

static void test_killed_then_recovered(void **state)
{
	struct fx f;
	char *before, *after, *journal;
	pid_t pid;
	int st;

	fx_open(&f, NULL);
	assert_int_equal(txn_begin(&f, true, NULL), 0);
	add_real(&f, "zlib-1.2.11-h7b6447c_3.tar.bz2");
	assert_int_equal(run(&f, NULL), 0);
	hpc_txn_free(f.t);
	f.t = NULL;
	before = state_of(f.prefix);
	journal = hpc_xasprintf("%s/%s/journal", f.prefix, HPC_JOURNAL_DIR);
	pid = fork();
	if (pid == 0) {
		if (txn_begin(&f, false, NULL))
			_exit(1);
		hpc_txn_unlink(f.t, "zlib", NULL);
		add_real(&f, "ncurses-6_4_20240330-h00057fd_1.conda");
		add_real(&f, "mock-2.0.0-py37_1000.tar.bz2");
		run(&f, NULL);
		_exit(0);
	}
	while (!hpc_path_exists(journal) && waitpid(pid, &st, WNOHANG) == 0)
		usleep(200);
	kill(pid, SIGKILL);
	waitpid(pid, &st, 0);
	assert_int_equal(hpc_txn_recover(f.prefix, 5, &f.log.ev, NULL), 0);
	assert_false(hpc_journal_pending(f.prefix));
	after = state_of(f.prefix);
	if (strcmp(before, after)) { /* then it must have finished: the new state */
		struct hpc_condameta m;

		assert_int_equal(hpc_condameta_load(f.prefix, &m, NULL), 0);
		assert_non_null(hpc_condameta_find(&m, "ncurses"));
		assert_null(hpc_condameta_find(&m, "zlib"));
		hpc_condameta_fini(&m);
	}
	free(after);
	free(before);
	free(journal);
	fx_close(&f, true);
}

/* An environment with a python record whose interpreter is the system's 3.11. */
static void python_env(struct fx *f)
{
	char *exe = hpc_path_join(f->prefix, "bin/python3.11");

	tu_write(f->prefix, "conda-meta/python-3.11.2-0.json",
		 "{\"name\": \"python\", \"version\": \"3.11.2\", \"build\": \"0\", "
		 "\"build_number\": 0, \"files\": [\"bin/python3.11\"], "
		 "\"paths_data\": {\"paths\": [{\"_path\": \"bin/python3.11\", "
		 "\"path_type\": \"softlink\"}], \"paths_version\": 1}}");
	tu_write(f->prefix, "bin/.keep", "");
	assert_int_equal(symlink("/usr/bin/python3", exe), 0);
	free(exe);
}

static int run_tool(const char *prefix, const char *tool, char **out)
{
	char *exe = hpc_path_join(prefix, tool);
	char *pp = hpc_xasprintf("%s/tests/fixtures/pystub:%s/lib/python3.11/site-packages",
				 HPCENV_SOURCE_DIR, prefix);
	const char *argv[] = { exe, "--help", NULL };
	struct hpc_strv env = HPC_STRV_INIT;
	struct hpc_spawn sp = { .argv = argv, .set_env = &env };
	int st = -1;

	hpc_strv_push(&env, "PYTHONPATH");
	hpc_strv_push(&env, pp);
	assert_int_equal(hpc_spawn_run(&sp, &st, out, NULL), 0);
	hpc_strv_fini(&env);
	free(pp);
	free(exe);
	return st;
}

static size_t count_type(const struct hpc_prefix_record *pr, enum hpc_path_type t)
{
	size_t n = 0;

	for (size_t i = 0; i < pr->npaths; i++)
		n += pr->paths[i].type == t;
	return n;
}

static void test_noarch_python(void **state)
{
	struct fx f;
	struct hpc_condameta m;
	const struct hpc_prefix_record *moto, *andes;
	char *out = NULL;

	fx_open(&f, NULL);
	python_env(&f);
	assert_int_equal(txn_begin(&f, false, NULL), 0);
	add_real(&f, "moto-1.3.7-py_0.tar.bz2");
	add_real(&f, "andes-1.8.3-pyhd8ed1ab_0.conda");
	assert_int_equal(run(&f, NULL), 0);
	assert_int_equal(hpc_condameta_load(f.prefix, &m, NULL), 0);
	moto = hpc_condameta_find(&m, "moto");
	andes = hpc_condameta_find(&m, "andes");
	assert_true(count_type(moto, HPC_PATH_PYC_FILE) > 200); /* compiled by the env's python */
	assert_int_equal(count_type(moto, HPC_PATH_ENTRY_POINT), 1);
	assert_true(count_type(andes, HPC_PATH_PYC_FILE) > 100);
	assert_true(exists(f.prefix, "lib/python3.11/site-packages/moto/__pycache__/"
				     "server.cpython-311.pyc"));
	hpc_condameta_fini(&m);
	/* andes' launcher runs andes.cli:main (its missing dependencies stubbed) */
	assert_int_equal(run_tool(f.prefix, "bin/andes", &out), 0);
	assert_non_null(strstr(out, "usage: andes"));
	free(out);
	/* moto's runs moto.server from the env's site-packages, which then needs flask */
	run_tool(f.prefix, "bin/moto_server", &out);
	assert_non_null(strstr(out, "lib/python3.11/site-packages/moto/"));
	free(out);
	/* removing takes the .pyc files, launchers and emptied directories with it */
	assert_int_equal(txn_begin(&f, false, NULL), 0);
	assert_int_equal(hpc_txn_unlink(f.t, "moto", NULL), 0);
	assert_int_equal(run(&f, NULL), 0);
	assert_false(exists(f.prefix, "bin/moto_server"));
	assert_false(exists(f.prefix, "lib/python3.11/site-packages/moto"));
	assert_true(exists(f.prefix, "bin/andes"));
	fx_close(&f, true);
}

/* An environment conda made is changed by hpcenv, and stays readable as conda's. */
static void test_conda_made_env(void **state)
{
	struct fx f;
	struct hpc_condameta m;
	struct hpc_history h;
	char *cmd;

	fx_open(&f, NULL);
	cmd = hpc_xasprintf("cp -a '%s/tests/fixtures/conda-env/prefix' '%s'", HPCENV_SOURCE_DIR,
			    f.prefix);
	assert_int_equal(system(cmd), 0);
	free(cmd);
	assert_int_equal(txn_begin(&f, false, NULL), 0);
	assert_int_equal(hpc_txn_unlink(f.t, "zlib", NULL), 0);
	assert_int_equal(hpc_txn_unlink(f.t, "tool", NULL), 0);
	add_real(&f, "mock-2.0.0-py37_1000.conda");
	assert_int_equal(run(&f, NULL), 0);
	assert_false(exists(f.prefix, "lib/libz.so.1"));
	assert_false(exists(f.prefix, "lib/pkgconfig"));
	assert_false(exists(f.prefix, "bin/tool"));
	assert_false(exists(f.prefix, "include"));
	assert_true(exists(f.prefix, "lib/python3.11/site-packages/__pycache__/six.cpython-311.pyc"));
	assert_int_equal(hpc_condameta_load(f.prefix, &m, NULL), 0);
	assert_int_equal(m.n, 2); /* six (conda's), mock (ours) */
	hpc_condameta_fini(&m);
	assert_int_equal(hpc_history_load(f.prefix, &h, NULL), 0);
	assert_int_equal(h.n, 3);
	assert_true(hpc_strv_contains(&h.revs[2].removed,
				      "pkgs/main/linux-64::zlib-1.2.13-h5eee18b_0"));
	hpc_history_fini(&h);
	fx_close(&f, true);
}

/* A package extracted in the cache with one file at `path` (made by hand). */
static void fake_pkg(struct fx *f, const char *name, const char *path, struct hpc_record *r)
{
	char *d = hpc_xasprintf("%s/%s-1.0-0", f->pkgs, name);
	char *idx = hpc_xasprintf("{\"name\": \"%s\", \"version\": \"1.0\", \"build\": \"0\"}",
				  name);
	char *paths = hpc_xasprintf("{\"paths\": [{\"_path\": \"%s\"}]}", path);

	tu_write(d, "info/index.json", idx);
	tu_write(d, "info/repodata_record.json", idx);
	tu_write(d, "info/paths.json", paths);
	tu_write(d, path, name);
	hpc_record_init(r);
	r->name = hpc_xstrdup(name);
	r->version = hpc_xstrdup("1.0");
	r->build = hpc_xstrdup("0");
	free(paths);
	free(idx);
	free(d);
}

static bool logged(const struct tu_log *l, const char *text)
{
	for (size_t i = 0; i < l->lines.n; i++)
		if (strstr(l->lines.v[i], text))
			return true;
	return false;
}

/* Two packages with one path: reported (conda's path_conflict: clobber), the later one's
 * file kept; a later package over an installed one's file: reported too. */
static void test_clobbers_reported(void **state)
{
	struct fx f;
	struct hpc_record a, b, c;
	char *content = NULL, *p;

	fx_open(&f, NULL);
	fake_pkg(&f, "first", "share/same", &a);
	fake_pkg(&f, "second", "share/same", &b);
	fake_pkg(&f, "third", "share/same", &c);
	assert_int_equal(txn_begin(&f, true, NULL), 0);
	hpc_txn_link(f.t, &a, NULL, NULL);
	hpc_txn_link(f.t, &b, NULL, NULL);
	assert_int_equal(run(&f, NULL), 0);
	assert_true(logged(&f.log, "'share/same' is in both 'first' and 'second'"));
	p = hpc_path_join(f.prefix, "share/same");
	assert_int_equal(hpc_file_read(p, &content, NULL, NULL), 0);
	assert_string_equal(content, "second");
	free(content);
	assert_int_equal(txn_begin(&f, false, NULL), 0);
	hpc_txn_link(f.t, &c, NULL, NULL);
	assert_int_equal(run(&f, NULL), 0);
	assert_true(logged(&f.log, "'share/same' from 'third' replaces the file of installed"));
	/* removing the last owner leaves the file the others still list */
	assert_int_equal(txn_begin(&f, false, NULL), 0);
	assert_int_equal(hpc_txn_unlink(f.t, "third", NULL), 0);
	assert_int_equal(run(&f, NULL), 0);
	assert_true(hpc_path_exists(p));
	free(p);
	hpc_record_fini(&a);
	hpc_record_fini(&b);
	hpc_record_fini(&c);
	fx_close(&f, true);
}

/* A package in the cache with files share/<name>/0..n-1 and share/both/0..nboth-1 (the
 * shared ones first or last), each holding the package's name. */
static void fake_many(struct fx *f, const char *name, int n, int nboth, bool both_first,
		      struct hpc_record *r)
{
	char *d = hpc_xasprintf("%s/%s-1.0-0", f->pkgs, name);
	char *idx = hpc_xasprintf("{\"name\": \"%s\", \"version\": \"1.0\", \"build\": \"0\"}",
				  name);
	struct hpc_strv v = HPC_STRV_INIT;
	char *list, *paths;

	for (int pass = 0; pass < 2; pass++) {
		bool shared = (pass == 0) == both_first;

		for (int i = 0; i < (shared ? nboth : n); i++) {
			char *rel = shared ? hpc_xasprintf("share/both/%d", i)
					   : hpc_xasprintf("share/%s/%d", name, i);

			tu_write(d, rel, name);
			hpc_strv_pushf(&v, "{\"_path\": \"%s\"}", rel);
			free(rel);
		}
	}
	list = hpc_strv_join(&v, ", ");
	paths = hpc_xasprintf("{\"paths\": [%s]}", list);
	tu_write(d, "info/index.json", idx);
	tu_write(d, "info/repodata_record.json", idx);
	tu_write(d, "info/paths.json", paths);
	hpc_record_init(r);
	r->name = hpc_xstrdup(name);
	r->version = hpc_xstrdup("1.0");
	r->build = hpc_xstrdup("0");
	hpc_strv_fini(&v);
	free(list);
	free(paths);
	free(idx);
	free(d);
}

/* Packages link in parallel: a clobbered path is written only by the package that keeps
 * it, whichever finishes first (here the loser reaches the shared paths last), and is
 * still listed in both records. */
static void test_clobber_parallel(void **state)
{
	struct fx f;
	struct hpc_record a, b;
	struct hpc_condameta m;

	fx_open(&f, NULL);
	fake_many(&f, "first", 600, 64, false, &a);
	fake_many(&f, "second", 600, 64, true, &b);
	assert_int_equal(txn_begin(&f, true, NULL), 0);
	hpc_txn_link(f.t, &a, NULL, NULL);
	hpc_txn_link(f.t, &b, NULL, NULL);
	assert_int_equal(run(&f, NULL), 0);
	for (int i = 0; i < 64; i++) {
		char *rel = hpc_xasprintf("share/both/%d", i), *p = hpc_path_join(f.prefix, rel);
		char *content = NULL;

		assert_int_equal(hpc_file_read(p, &content, NULL, NULL), 0);
		if (strcmp(content, "second"))
			fail_msg("'%s' holds '%s'", rel, content);
		free(content);
		free(p);
		free(rel);
	}
	assert_int_equal(hpc_condameta_load(f.prefix, &m, NULL), 0);
	assert_int_equal(hpc_condameta_find(&m, "first")->npaths, 664);
	assert_int_equal(hpc_condameta_find(&m, "second")->npaths, 664);
	hpc_condameta_fini(&m);
	hpc_record_fini(&a);
	hpc_record_fini(&b);
	fx_close(&f, true);
}

/* A package already extracted in the cache with all three link scripts; each appends
 * what it saw to log (outside the prefix): its action, PKG_NAME, where it ran, whether the
 * package's tool was linked yet, and SOURCE_DIR. */
static void fake_scripted(struct fx *f, struct hpc_record *r, const char *log, bool fail_pre)
{
	char *d = hpc_path_join(f->pkgs, "scripted-1.0-0"), *body;

	tu_write(d, "info/index.json", "{\"name\": \"scripted\", \"version\": \"1.0\", \"build\": \"0\"}");
	tu_write(d, "info/paths.json", "{\"paths\": [{\"_path\": \"bin/scripted-tool\"}, "
		 "{\"_path\": \"bin/.scripted-pre-link.sh\"}, "
		 "{\"_path\": \"bin/.scripted-post-link.sh\"}, "
		 "{\"_path\": \"bin/.scripted-pre-unlink.sh\"}]}");
	tu_write(d, "info/repodata_record.json",
		 "{\"name\": \"scripted\", \"version\": \"1.0\", \"build\": \"0\"}");
	tu_write(d, "bin/scripted-tool", "#!/bin/sh\n");
	for (int i = 0; i < 3; i++) {
		static const char *const act[] = { "pre-link", "post-link", "pre-unlink" };
		char *rel = hpc_xasprintf("bin/.scripted-%s.sh", act[i]);

		body = hpc_xasprintf("t=no; [ -e \"$PREFIX/bin/scripted-tool\" ] && t=yes\n"
				     "echo \"%s $PKG_NAME $PKG_VERSION $(pwd) $t ${SOURCE_DIR:-}\" >> '%s'\n"
				     "echo '%s says hello' >> \"$PREFIX/.messages.txt\"\n%s",
				     act[i], log, act[i], i == 0 && fail_pre ? "exit 3\n" : "");
		tu_write(d, rel, body);
		free(body);
		free(rel);
	}
	hpc_record_init(r);
	r->name = hpc_xstrdup("scripted");
	r->version = hpc_xstrdup("1.0");
	r->build = hpc_xstrdup("0");
	free(d);
}

/* conda's order: pre-link from the package cache before the files are linked (with
 * SOURCE_DIR), post-link from the prefix after, pre-unlink while the files are still
 * there; the scripts' messages are shown. A failing pre-link rolls the create back. */
static void test_link_scripts(void **state)
{
	struct fx f;
	struct hpc_record r;
	struct hpc_error *e = NULL;
	char *log, *text = NULL, *want, *src;

	fx_open(&f, NULL);
	log = hpc_path_join(f.root, "scripts.log");
	src = hpc_path_join(f.pkgs, "scripted-1.0-0");
	fake_scripted(&f, &r, log, false);
	assert_int_equal(txn_begin(&f, true, NULL), 0);
	hpc_txn_link(f.t, &r, NULL, NULL);
	assert_int_equal(run(&f, NULL), 0);
	assert_true(logged(&f.log, "pre-link says hello"));
	assert_true(logged(&f.log, "post-link says hello"));
	assert_int_equal(txn_begin(&f, false, NULL), 0);
	assert_int_equal(hpc_txn_unlink(f.t, "scripted", NULL), 0);
	assert_int_equal(run(&f, NULL), 0);
	assert_true(logged(&f.log, "pre-unlink says hello"));
	assert_false(exists(f.prefix, "bin/scripted-tool"));
	assert_int_equal(hpc_file_read(log, &text, NULL, NULL), 0);
	want = hpc_xasprintf("pre-link scripted 1.0 %s/bin no %s\n"
			     "post-link scripted 1.0 %s/bin yes \n"
			     "pre-unlink scripted 1.0 %s/bin yes \n", src, src, f.prefix, f.prefix);
	assert_string_equal(text, want);
	free(want);
	free(text);
	hpc_record_fini(&r);
	/* a pre-link that fails: nothing linked, the new environment is not left behind */
	fx_close(&f, true);
	free(log);
	fx_open(&f, NULL);
	log = hpc_path_join(f.root, "scripts.log");
	fake_scripted(&f, &r, log, true);
	assert_int_equal(txn_begin(&f, true, NULL), 0);
	hpc_txn_link(f.t, &r, NULL, NULL);
	assert_int_equal(run(&f, &e), -HPC_E_LINK);
	assert_err_contains(hpc_error_root(e), "pre-link script of 'scripted-1.0-0' failed with status 3");
	hpc_error_free(e);
	hpc_txn_free(f.t);
	f.t = NULL;
	assert_false(hpc_path_exists(f.prefix));
	hpc_record_fini(&r);
	free(src);
	free(log);
	fx_close(&f, true);
}

/* An install for another platform (--platform) runs no link scripts. */
static void test_no_scripts(void **state)
{
	struct fx f;
	struct hpc_record fail;
	struct hpc_txn_options o;

	fx_open(&f, NULL);
	fake_failing(&f, &fail);
	o = (struct hpc_txn_options){ .prefix = f.prefix, .cache = f.cache, .create = true,
				      .lock_timeout = 5, .no_scripts = true };
	assert_int_equal(hpc_txn_open(&o, &f.log.ev, &f.t, NULL), 0);
	hpc_txn_link(f.t, &fail, NULL, NULL);
	assert_int_equal(run(&f, NULL), 0); /* its failing post-link never ran */
	assert_true(exists(f.prefix, "bin/failing-tool"));
	hpc_record_fini(&fail);
	fx_close(&f, true);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_create_remove_update),
		cmocka_unit_test(test_formats_identical),
		cmocka_unit_test(test_rollback_byte_for_byte),
		cmocka_unit_test(test_cancel_anywhere),
		cmocka_unit_test(test_failed_create_leaves_nothing),
		cmocka_unit_test(test_disk_full),
		cmocka_unit_test(test_killed_in_journal_begin),
cmocka_unit_test(test_killed_then_recovered),
		cmocka_unit_test(test_noarch_python),
		cmocka_unit_test(test_conda_made_env),
		cmocka_unit_test(test_clobbers_reported),
		cmocka_unit_test(test_clobber_parallel),
		cmocka_unit_test(test_no_scripts),
		cmocka_unit_test(test_link_scripts),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
