/* SPDX-License-Identifier: MIT */
/* lock_test.c - libmamba-compatible locks, across processes, with timeouts and fallback */
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "testutil.h"

/* A child that locks byte `byte` of file the way libmamba does (raw fcntl), reports
 * through a pipe, and holds the lock until killed. */
static pid_t raw_locker(const char *file, off_t byte, short type)
{
	int p[2];
	char c;
	pid_t pid;

	assert_int_equal(pipe(p), 0);
	pid = fork();
	if (pid == 0) {
		int fd = open(file, O_RDWR | O_CREAT, 0666);

		prctl(PR_SET_PDEATHSIG, SIGKILL); /* never outlive a failed test */
		struct flock fl = { .l_type = type, .l_whence = SEEK_SET, .l_start = byte,
				    .l_len = 1 };

		c = fd >= 0 && fcntl(fd, F_SETLK, &fl) == 0 ? 'y' : 'n';
		if (write(p[1], &c, 1) != 1)
			_exit(1);
		pause();
		_exit(0);
	}
	close(p[1]);
	assert_int_equal(read(p[0], &c, 1), 1);
	close(p[0]);
	assert_int_equal(c, 'y');
	return pid;
}

static void stop(pid_t pid)
{
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

/* Can another process take the lock on dir? (0 yes, 1 no). Where the answer should be
 * yes the child waits up to 10 s, where it should be no 0.2 s: the lock is taken by a
 * helper thread, which a loaded machine may not run for a while. */
#define YES 0
#define NO 1
static int other_can_lock(const char *dir, bool shared, int want)
{
	pid_t pid = fork();
	int st;

	if (pid == 0) {
		struct hpc_lock_options o = { .timeout = want == YES ? 10 : 0.2, .shared = shared };
		struct hpc_lock *l = NULL;
		int r = hpc_lock_acquire(dir, &o, NULL, &l, NULL);

		_exit(r == 0 && hpc_lock_held(l) ? 0 : 1);
	}
	waitpid(pid, &st, 0);
	return WEXITSTATUS(st);
}

static void test_lock_file_name(void **state)
{
	char *d = tu_tmpdir(), *p, *want;

	p = hpc_lock_path_for(d); /* a directory D: D/<basename D>.lock */
	want = hpc_xasprintf("%s/%s.lock", d, strrchr(d, '/') + 1);
	assert_string_equal(p, want);
	free(p);
	free(want);
	p = hpc_path_join(d, "file.json");
	want = hpc_lock_path_for(p);
	assert_true(hpc_str_endswith(want, "/file.json.lock"));
	free(p);
	free(want);
	tu_tmpdir_free(d);
}

static void test_exclusive_and_shared(void **state)
{
	char *d = tu_tmpdir();
	struct hpc_lock_options ex = { .timeout = 10 }, sh = { .timeout = 10, .shared = true };
	struct hpc_lock *l = NULL, *l2 = NULL;

	assert_int_equal(hpc_lock_acquire(d, &ex, NULL, &l, NULL), 0);
	assert_true(hpc_lock_held(l));
	assert_int_equal(other_can_lock(d, false, NO), NO);
	assert_int_equal(other_can_lock(d, true, NO), NO);
	/* the same process locking again shares the one fcntl lock */
	assert_int_equal(hpc_lock_acquire(d, &ex, NULL, &l2, NULL), 0);
	hpc_lock_release(l2);
	assert_int_equal(other_can_lock(d, false, NO), NO); /* still held by l */
	/* downgrade: readers may join, writers may not */
	assert_int_equal(hpc_lock_change(l, true, 1, NULL, NULL), 0);
	assert_int_equal(other_can_lock(d, true, YES), YES);
	assert_int_equal(other_can_lock(d, false, NO), NO);
	hpc_lock_release(l);
	assert_int_equal(other_can_lock(d, false, YES), YES);
	assert_int_equal(hpc_lock_acquire(d, &sh, NULL, &l, NULL), 0);
	assert_int_equal(other_can_lock(d, true, YES), YES);
	hpc_lock_release(l);
	tu_tmpdir_free(d);
}

static void test_interop_byte_21(void **state)
{
	char *d = tu_tmpdir(), *file = hpc_lock_path_for(d);
	/* long enough for the helper thread to have asked at least once on a loaded machine:
	 * the error names the holder only then */
	struct hpc_lock_options o = { .timeout = 2 }, patient = { .timeout = 10 };
	struct hpc_lock *l = NULL;
	struct hpc_error *e = NULL;
	pid_t pid;
	char *want;

	pid = raw_locker(file, 20, F_WRLCK); /* another byte: no conflict */
	assert_int_equal(hpc_lock_acquire(d, &patient, NULL, &l, NULL), 0);
	hpc_lock_release(l);
	stop(pid);
	pid = raw_locker(file, 21, F_WRLCK); /* libmamba's byte */
	assert_int_equal(hpc_lock_acquire(d, &o, NULL, &l, &e), -HPC_E_TIMEOUT);
	want = hpc_xasprintf("held by process %d", (int)pid);
	assert_err_contains(e, want);
	assert_err_contains(e, file);
	hpc_error_clear(&e);
	free(want);
	stop(pid);
	free(file);
	tu_tmpdir_free(d);
}

static void test_timeout_fallback(void **state)
{
	char *d = tu_tmpdir(), *file = hpc_lock_path_for(d);
	struct hpc_lock_options o = { .timeout = 2, .fallback = true }; /* see byte 21 */
	struct hpc_lock *l = NULL;
	struct tu_log log;
	pid_t pid = raw_locker(file, 21, F_WRLCK);

	tu_log_init(&log);
	assert_int_equal(hpc_lock_acquire(d, &o, &log.ev, &l, NULL), 0);
	assert_non_null(l);
	assert_false(hpc_lock_held(l));
	/* one info line while waiting, one warning when giving up */
	assert_int_equal(log.lines.n, 2);
	assert_non_null(strstr(log.lines.v[0], "waiting for the lock"));
	assert_non_null(strstr(log.lines.v[1], "going on without the lock"));
	hpc_lock_release(l);
	tu_log_fini(&log);
	stop(pid);
	free(file);
	tu_tmpdir_free(d);
}

static void test_faults(void **state)
{
	char *d = tu_tmpdir();
	struct hpc_lock_options o = { .timeout = 10 }; /* ENOLCK comes back at once */
	struct hpc_lock *l = NULL;
	struct hpc_error *e = NULL;

	setenv("HPCENV_FAULT", "lock-enolck", 1);
	assert_int_equal(hpc_lock_acquire(d, &o, NULL, &l, &e), -HPC_E_LOCK);
	assert_err_contains(e, "file locking does not work here");
	hpc_error_clear(&e);
	o.fallback = true;
	assert_int_equal(hpc_lock_acquire(d, &o, NULL, &l, &e), 0);
	assert_false(hpc_lock_held(l));
	hpc_lock_release(l);
	/* a lock request that never returns (NFS without lockd) */
	setenv("HPCENV_FAULT", "lock-hang", 1);
	o.fallback = false;
	o.timeout = 0.3;
	assert_int_equal(hpc_lock_acquire(d, &o, NULL, &l, &e), -HPC_E_TIMEOUT);
	assert_err_contains(e, "does not answer");
	hpc_error_clear(&e);
	unsetenv("HPCENV_FAULT");
	tu_tmpdir_free(d);
}

static bool cancel_now(void *ud)
{
	return true;
}

static void test_cancel_and_group_shared(void **state)
{
	char *d = tu_tmpdir(), *file = hpc_lock_path_for(d);
	struct hpc_lock_options o = { .timeout = -1 };
	struct hpc_events ev = { .cancelled = cancel_now };
	struct hpc_lock *l = NULL;
	struct hpc_error *e = NULL;
	struct stat st;
	pid_t pid = raw_locker(file, 21, F_WRLCK);

	assert_int_equal(hpc_lock_acquire(d, &o, &ev, &l, &e), -HPC_E_INTERRUPTED);
	hpc_error_clear(&e);
	stop(pid);
	unlink(file);
	/* a new lock file in a setgid directory is group-writable whatever the umask */
	assert_int_equal(chmod(d, 02755), 0);
	mode_t old = umask(022);
	assert_int_equal(hpc_lock_acquire(d, &o, NULL, &l, NULL), 0);
	umask(old);
	assert_int_equal(stat(file, &st), 0);
	assert_true(st.st_mode & S_IWGRP);
	hpc_lock_release(l);
	free(file);
	tu_tmpdir_free(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lock_file_name),
		cmocka_unit_test(test_exclusive_and_shared),
		cmocka_unit_test(test_interop_byte_21),
		cmocka_unit_test(test_timeout_fallback),
		cmocka_unit_test(test_faults),
		cmocka_unit_test(test_cancel_and_group_shared),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
