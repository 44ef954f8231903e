/* SPDX-License-Identifier: MIT */
/* journal_test.c - rollback, commit, and recovery after a kill at every step */
#include <dirent.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "testutil.h"

/* "path:type:content" lines of a tree, sorted, skipping the journal directory. */
static void walk(const char *root, const char *rel, struct hpc_strv *out)
{
	char *dir = rel[0] ? hpc_path_join(root, rel) : hpc_xstrdup(root);
	DIR *d = opendir(dir);
	struct dirent *e;

	while (d && (e = readdir(d))) {
		char *r, *full, *text = NULL, buf[256];
		struct stat st;
		ssize_t n;

		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..") ||
		    !strcmp(e->d_name, HPC_JOURNAL_DIR))
			continue;
		r = rel[0] ? hpc_xasprintf("%s/%s", rel, e->d_name) : hpc_xstrdup(e->d_name);
		full = hpc_path_join(root, r);
		lstat(full, &st);
		if (S_ISDIR(st.st_mode)) {
			hpc_strv_pushf(out, "%s:d:%o", r, st.st_mode & 0777);
			walk(root, r, out);
		} else if (S_ISLNK(st.st_mode)) {
			n = readlink(full, buf, sizeof(buf) - 1);
			buf[n < 0 ? 0 : n] = '\0';
			hpc_strv_pushf(out, "%s:l:%s", r, buf);
		} else {
			hpc_file_read(full, &text, NULL, NULL);
			hpc_strv_pushf(out, "%s:f:%s", r, text);
			free(text);
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

static void old_state(const char *p)
{
	tu_write(p, "bin/tool", "old tool\n");
	tu_write(p, "lib/keep.so", "keep\n");
	tu_write(p, "share/doc/gone.txt", "gone\n");
	tu_write(p, "conda-meta/history", "==> 1 <==\n");
}

/* The transaction under test; stops after `steps` steps (-1: all, then commit). */
static int transaction(const char *p, int steps, struct hpc_journal **out)
{
	struct hpc_journal *j = NULL;
	char *f;
	int s = 0, fd;

	if (hpc_journal_begin(p, false, &j, NULL))
		return -1;
	*out = j;
#define STEP(x) do { if (steps >= 0 && s++ >= steps) return 0; x; } while (0)
	STEP(hpc_journal_backup(j, "share/doc/gone.txt", NULL)); /* unlink a file */
	STEP(hpc_journal_note_rmdir(j, "share/doc", 0755, NULL));
	STEP(f = hpc_path_join(p, "share/doc"); rmdir(f); free(f));
	STEP(hpc_journal_backup(j, "bin/tool", NULL));            /* clobber a file */
	STEP(hpc_journal_note_new(j, "bin/tool", NULL));
	STEP(tu_write(p, "bin/tool", "new tool\n"));
	STEP(hpc_journal_note_mkdir(j, "include", NULL));
	STEP(f = hpc_path_join(p, "include"); mkdir(f, 0755); free(f));
	STEP(hpc_journal_note_new(j, "include/x.h", NULL));
	STEP(tu_write(p, "include/x.h", "x\n"));
	STEP(hpc_journal_note_new(j, "lib/link", NULL));
	STEP(f = hpc_path_join(p, "lib/link"); symlink("keep.so", f); free(f));
	/* two packages bring lib/dup.so, noted a package at a time: the second finds the
	 * first's file, says its note created nothing, moves it aside, notes it again */
	STEP(hpc_journal_note_all(j, false, (const char *const[]){ "lib/dup.so" }, 1, NULL));
	STEP(tu_write(p, "lib/dup.so", "first\n"));
	STEP(hpc_journal_note_all(j, false, (const char *const[]){ "lib/dup.so", "lib/b.so" }, 2,
				  NULL));
	STEP(tu_write(p, "lib/b.so", "b\n"));
	STEP(hpc_journal_note_not_new(j, "lib/dup.so", NULL));
	STEP(hpc_journal_backup(j, "lib/dup.so", NULL));
	STEP(hpc_journal_note_new(j, "lib/dup.so", NULL));
	STEP(tu_write(p, "lib/dup.so", "second\n"));
	STEP(hpc_journal_note_all(j, true, (const char *const[]){ "opt", "opt/x" }, 2, NULL));
	STEP(f = hpc_path_join(p, "opt/x"); hpc_mkdir_p(f, 0755, NULL); free(f));
	STEP(hpc_journal_note_size(j, "conda-meta/history", 10, NULL));
	STEP(f = hpc_path_join(p, "conda-meta/history");
	     fd = open(f, O_WRONLY | O_APPEND); write(fd, "==> 2 <==\n", 10); close(fd); free(f));
#undef STEP
	return 1;
}

static void test_rollback_and_commit(void **state)
{
	char *d = tu_tmpdir(), *before, *after, *done;
	struct hpc_journal *j = NULL;

	old_state(d);
	before = state_of(d);
	assert_int_equal(transaction(d, -1, &j), 1);
	after = state_of(d);
	assert_string_not_equal(before, after);
	assert_true(hpc_journal_pending(d));
	assert_int_equal(hpc_journal_rollback(j, NULL, NULL), 0);
	hpc_journal_free(j);
	done = state_of(d);
	assert_string_equal(done, before);
	assert_false(hpc_journal_pending(d));
	free(done);
	assert_int_equal(transaction(d, -1, &j), 1);
	assert_int_equal(hpc_journal_commit(j, NULL), 0);
	hpc_journal_free(j);
	done = state_of(d);
	assert_string_equal(done, after);
	assert_false(hpc_journal_pending(d));
	free(done);
	free(before);
	free(after);
	tu_tmpdir_free(d);
}

/* A process killed after each possible step: recovery gives back the old state. */
static void test_kill_at_every_step(void **state)
{
	for (int k = 0; k <= 24; k++) {
		char *d = tu_tmpdir(), *before, *now;
		int st, what = -1;
		bool np = true;
		pid_t pid;

		old_state(d);
		before = state_of(d);
		pid = fork();
		if (pid == 0) {
			struct hpc_journal *j = NULL;

			transaction(d, k, &j);
			_exit(0); /* like kill -9: no rollback, no cleanup */
		}
		waitpid(pid, &st, 0);
		assert_true(hpc_journal_pending(d));
		assert_int_equal(hpc_journal_recover(d, NULL, &what, &np, NULL), 0);
		assert_int_equal(what, k ? 1 : 0);
		assert_false(np);
		now = state_of(d);
		if (strcmp(now, before))
			fail_msg("killed after step %d:\n%s\n--- expected ---\n%s", k, now, before);
		assert_false(hpc_journal_pending(d));
		free(now);
		free(before);
		tu_tmpdir_free(d);
	}
}

/* A file that was there before, noted new by a process that then found it (created by
 * someone else after it looked): "nonew" makes the rollback restore it, not delete it. */
static void test_noted_new_but_there(void **state)
{
	char *d = tu_tmpdir(), *before, *now;
	struct hpc_journal *j = NULL;

	old_state(d);
	before = state_of(d);
	assert_int_equal(hpc_journal_begin(d, false, &j, NULL), 0);
	assert_int_equal(hpc_journal_note_new(j, "lib/keep.so", NULL), 0);
	assert_int_equal(hpc_journal_note_not_new(j, "lib/keep.so", NULL), 0);
	assert_int_equal(hpc_journal_backup(j, "lib/keep.so", NULL), 0);
	assert_int_equal(hpc_journal_note_new(j, "lib/keep.so", NULL), 0);
	tu_write(d, "lib/keep.so", "replaced\n");
	assert_int_equal(hpc_journal_rollback(j, NULL, NULL), 0);
	hpc_journal_free(j);
	now = state_of(d);
	assert_string_equal(now, before);
	free(now);
	free(before);
	tu_tmpdir_free(d);
}

/* Killed after "commit" was written: the new state stays, backups go. */
static void test_committed_then_killed(void **state)
{
	char *d = tu_tmpdir(), *after, *now, *jf;
	struct hpc_journal *j = NULL;
	int fd, what;

	old_state(d);
	assert_int_equal(transaction(d, -1, &j), 1);
	after = state_of(d);
	jf = hpc_xasprintf("%s/%s/journal", d, HPC_JOURNAL_DIR);
	fd = open(jf, O_WRONLY | O_APPEND);
	assert_int_equal(write(fd, "commit\n", 7), 7);
	close(fd);
	hpc_journal_free(j);
	assert_int_equal(hpc_journal_recover(d, NULL, &what, NULL, NULL), 0);
	assert_int_equal(what, 2);
	now = state_of(d);
	assert_string_equal(now, after);
	free(now);
	free(after);
	free(jf);
	tu_tmpdir_free(d);
}

/* A rollback killed half-way resumes where it stopped and never undoes twice. */
static void test_interrupted_rollback(void **state)
{
	char *d = tu_tmpdir(), *before, *now, *jf, *text = NULL, *tool;
	struct hpc_journal *j = NULL;
	size_t len;
	int fd;

	old_state(d);
	before = state_of(d);
	assert_int_equal(transaction(d, 6, &j), 0); /* up to writing the new bin/tool */
	hpc_journal_free(j);
	/* the state a rollback leaves when killed right after undoing its first step:
	 * the new bin/tool removed and its "new" line cut off the journal */
	tool = hpc_path_join(d, "bin/tool");
	assert_int_equal(unlink(tool), 0);
	jf = hpc_xasprintf("%s/%s/journal", d, HPC_JOURNAL_DIR);
	assert_int_equal(hpc_file_read(jf, &text, &len, NULL), 0);
	assert_non_null(strstr(text, "new\tbin/tool\n"));
	fd = open(jf, O_WRONLY);
	assert_int_equal(ftruncate(fd, (off_t)(strstr(text, "new\tbin/tool\n") - text)), 0);
	close(fd);
	assert_int_equal(hpc_journal_recover(d, NULL, NULL, NULL, NULL), 0);
	now = state_of(d);
	assert_string_equal(now, before);
	free(now);
	free(text);
	free(tool);
	free(jf);
	free(before);
	tu_tmpdir_free(d);
}

static void test_begin_twice(void **state)
{
	char *d = tu_tmpdir();
	struct hpc_journal *j = NULL, *j2 = NULL;
	struct hpc_error *e = NULL;

	assert_int_equal(hpc_journal_begin(d, true, &j, NULL), 0);
	assert_int_equal(hpc_journal_begin(d, false, &j2, &e), -HPC_E_EXISTS);
	assert_err_contains(e, "unfinished transaction");
	hpc_error_free(e);
	assert_true(hpc_path_exists(hpc_journal_tmpdir(j)));
	hpc_journal_free(j);
	{
		bool np = false;

		assert_int_equal(hpc_journal_recover(d, NULL, NULL, &np, NULL), 0);
		assert_true(np);
	}
	tu_tmpdir_free(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rollback_and_commit),
		cmocka_unit_test(test_kill_at_every_step),
		cmocka_unit_test(test_noted_new_but_there),
		cmocka_unit_test(test_committed_then_killed),
		cmocka_unit_test(test_interrupted_rollback),
		cmocka_unit_test(test_begin_twice),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
