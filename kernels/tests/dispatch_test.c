/* SPDX-License-Identifier: MIT */
/* dispatch_test.c - the path choice: cpuid agrees with the kernel, HPCKERN_DISABLE rules */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ktest.h"

/* The kernel's flags line (Linux hides what the OS does not enable, as we do). */
static int proc_has(const char *flag)
{
	FILE *f = fopen("/proc/cpuinfo", "r");
	char line[8192], needle[64];
	int has = -1;

	if (!f)
		return -1;
	snprintf(needle, sizeof(needle), " %s ", flag);
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, "flags", 5)) {
			line[strcspn(line, "\n")] = ' ';
			has = strstr(line, needle) != NULL;
			break;
		}
	fclose(f);
	return has;
}

static void test_supported_matches_cpuinfo(void **state)
{
	const char *s = hpck_supported_paths();
	int avx512 = proc_has("avx512f") && proc_has("avx512vl") && proc_has("avx512dq") &&
		     proc_has("avx512bw");
	int avx2 = proc_has("avx2") && proc_has("fma");

	(void)state;
	assert_non_null(strstr(s, "generic"));
#if defined(__x86_64__)
	if (proc_has("sse2") < 0)
		skip();
	assert_non_null(strstr(s, "sse2"));
	assert_int_equal(strstr(s, "avx2") != NULL, avx2);
	assert_int_equal(strstr(s, "avx512") != NULL, avx512);
#endif
}

/* The path a fresh process picks with HPCKERN_DISABLE=value. */
static void path_with(const char *value, char *out, size_t len)
{
	int fd[2];
	pid_t pid;
	ssize_t n;

	assert_int_equal(pipe(fd), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		char *argv[] = { "/proc/self/exe", "--print-path", NULL };
		dup2(fd[1], 1);
		setenv("HPCKERN_DISABLE", value, 1);
		execv("/proc/self/exe", argv);
		_exit(127);
	}
	close(fd[1]);
	n = read(fd[0], out, len - 1);
	close(fd[0]);
	waitpid(pid, NULL, 0);
	assert_true(n > 0);
	out[n] = 0;
	out[strcspn(out, "\n")] = 0;
}

static void test_disable(void **state)
{
	char best[32], p[32], first[32];

	(void)state;
	snprintf(first, sizeof(first), "%s", hpck_supported_paths());
	first[strcspn(first, ",")] = 0;
	path_with("", best, sizeof(best));
	assert_string_equal(best, first);
	path_with("nonsense,,", p, sizeof(p));
	assert_string_equal(p, first);
	path_with("AVX512", p, sizeof(p));
	if (!strcmp(first, "avx512"))
		assert_string_equal(p, "avx2");
	path_with("avx2", p, sizeof(p)); /* disabling avx2 disables avx512 too */
	if (strstr(hpck_supported_paths(), "sse2"))
		assert_string_equal(p, "sse2");
	path_with("avx512 sse2", p, sizeof(p));
	assert_string_equal(p, "generic");
}

static const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_supported_matches_cpuinfo),
	cmocka_unit_test(test_disable),
};

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "--print-path")) {
		printf("%s\n", hpck_dispatch_path());
		return 0;
	}
	return ktest_main(__FILE__, tests, sizeof(tests) / sizeof(tests[0]));
}
