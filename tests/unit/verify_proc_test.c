/* SPDX-License-Identifier: MIT */
/* verify_proc_test.c - child processes: output, status, environment, deadlines, forks */
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "testutil.h"
#include "verify_int.h"

static void test_run_captures(void **state)
{
	const char *argv[] = { "sh", "-c", "echo out; echo err >&2; exit 3", NULL };
	struct hpc_verify_proc p = { .argv = argv, .timeout = 10 };

	assert_int_equal(hpc_verify_proc_run(&p, NULL), 0);
	assert_string_equal(p.out, "out\n");
	assert_string_equal(p.err, "err\n");
	assert_int_equal(p.status, 3);
	assert_int_equal(p.signal, 0);
	assert_false(p.timed_out);
	hpc_verify_proc_fini(&p);
}

static void test_environment_is_the_childs(void **state)
{
	const char *argv[] = { "sh", "-c", "echo \"$HPC_T_SET:${HPC_T_GONE-unset}\"", NULL };
	const char *set[] = { "HPC_T_SET=value with = sign", NULL }, *unset[] = { "HPC_T_GONE",
									      NULL };
	struct hpc_verify_proc p = { .argv = argv, .env_set = set, .env_unset = unset,
				     .timeout = 10 };

	setenv("HPC_T_GONE", "here", 1);
	assert_int_equal(hpc_verify_proc_run(&p, NULL), 0);
	assert_string_equal(p.out, "value with = sign:unset\n");
	/* our own environment is untouched */
	assert_string_equal(getenv("HPC_T_GONE"), "here");
	assert_null(getenv("HPC_T_SET"));
	unsetenv("HPC_T_GONE");
	hpc_verify_proc_fini(&p);
}

static void test_missing_program(void **state)
{
	const char *argv[] = { "/nonexistent/program", NULL };
	struct hpc_verify_proc p = { .argv = argv, .timeout = 10 };

	assert_int_equal(hpc_verify_proc_run(&p, NULL), 0);
	assert_int_equal(p.status, 127);
	assert_non_null(strstr(p.err, "cannot run '/nonexistent/program'"));
	hpc_verify_proc_fini(&p);
}

/* Running, not gone and not a zombie waiting for a parent that may never reap it. */
static bool alive(pid_t pid)
{
	char *path = hpc_xasprintf("/proc/%d/stat", (int)pid), *text = NULL, *paren;
	bool running = false;

	if (hpc_file_read(path, &text, NULL, NULL) == 0 && (paren = strrchr(text, ')')))
		running = paren[2] != 'Z' && paren[2] != 'X';
	free(text);
	free(path);
	return running;
}

/* A hung child and the grandchild it started are both gone after the deadline. */
static void test_timeout_kills_the_group(void **state)
{
	char *dir = tu_tmpdir(), *pidfile = hpc_path_join(dir, "pid"), *cmd, *text = NULL;
	const char *argv[] = { "sh", "-c", NULL, NULL };
	/* long enough for sh to write the pid file on a loaded machine */
	struct hpc_verify_proc p = { .argv = argv, .timeout = 3 };
	pid_t grandchild;

	cmd = hpc_xasprintf("sleep 60 & echo $! > %s; wait", pidfile);
	argv[2] = cmd;
	assert_int_equal(hpc_verify_proc_run(&p, NULL), 0);
	assert_true(p.timed_out);
	assert_true(p.seconds < 10);
	assert_int_equal(hpc_file_read(pidfile, &text, NULL, NULL), 0);
	grandchild = (pid_t)atoi(text);
	assert_true(grandchild > 0);
	for (int i = 0; i < 100 && alive(grandchild); i++) /* a KILL takes effect soon, not at once */
		usleep(50000);
	assert_false(alive(grandchild));
	free(text);
	free(cmd);
	free(pidfile);
	hpc_verify_proc_fini(&p);
	tu_tmpdir_free(dir);
}

static int child_writes(void *arg, int fd)
{
	const char *msg = arg;

	return hpc_verify_write_all(fd, msg, strlen(msg)) && getenv("HPC_T_FORK") ? 7 : 1;
}

static int child_crashes(void *arg, int fd)
{
	(void)arg;
	(void)fd;
	raise(SIGILL); /* not SIGSEGV: ASan would catch it and exit 1 */
	return 0;
}

static void test_fork(void **state)
{
	const char *set[] = { "HPC_T_FORK=1", NULL };
	struct hpc_verify_proc p = { .env_set = set, .timeout = 10 };

	assert_int_equal(hpc_verify_proc_fork(&p, child_writes, "from the child", NULL), 0);
	assert_string_equal(p.out, "from the child");
	assert_int_equal(p.status, 7);
	assert_null(getenv("HPC_T_FORK"));
	hpc_verify_proc_fini(&p);
	p = (struct hpc_verify_proc){ .timeout = 10 };
	assert_int_equal(hpc_verify_proc_fork(&p, child_crashes, NULL, NULL), 0);
	assert_int_equal(p.signal, SIGILL);
	assert_int_equal(p.status, 128 + SIGILL);
	hpc_verify_proc_fini(&p);
}

static bool always(void *ud)
{
	(void)ud;
	return true;
}

static void test_cancelled(void **state)
{
	const char *argv[] = { "sleep", "60", NULL };
	struct hpc_events ev = { .cancelled = always };
	struct hpc_verify_proc p = { .argv = argv, .timeout = 30, .ev = &ev };
	struct hpc_error *e = NULL;

	assert_int_equal(hpc_verify_proc_run(&p, &e), -HPC_E_INTERRUPTED);
	assert_true(p.seconds < 10);
	hpc_error_free(e);
	hpc_verify_proc_fini(&p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_run_captures),
		cmocka_unit_test(test_environment_is_the_childs),
		cmocka_unit_test(test_missing_program),
		cmocka_unit_test(test_timeout_kills_the_group),
		cmocka_unit_test(test_fork),
		cmocka_unit_test(test_cancelled),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
