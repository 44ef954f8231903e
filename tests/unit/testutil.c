/* SPDX-License-Identifier: MIT */
/* testutil.c - helpers for unit tests */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "testutil.h"

char *tu_tmpdir(void)
{
	char *t = hpc_xstrdup("/tmp/hpcenv-unit-XXXXXX");

	if (!mkdtemp(t))
		fail_msg("mkdtemp failed");
	return t;
}

void tu_tmpdir_free(char *dir)
{
	if (dir)
		hpc_rm_rf(dir, NULL);
	free(dir);
}

void tu_write(const char *dir, const char *rel, const char *content)
{
	char *p = hpc_path_join(dir, rel), *slash = strrchr(p, '/');

	*slash = '\0';
	assert_int_equal(hpc_mkdir_p(p, 0755, NULL), 0);
	*slash = '/';
	assert_int_equal(hpc_file_write_atomic(p, content, strlen(content), 0644, NULL), 0);
	free(p);
}

char *tu_shared(const char *rel)
{
	return hpc_path_join(HPCENV_SHARED_DATA, rel);
}

static void collect(void *ud, enum hpc_log_level level, const char *msg)
{
	struct tu_log *l = ud;

	hpc_strv_pushf(&l->lines, "%d:%s", (int)level, msg);
}

void tu_log_init(struct tu_log *l)
{
	memset(l, 0, sizeof(*l));
	l->ev.log = collect;
	l->ev.ud = l;
	l->ev.level = HPC_LOG_TRACE;
}

void tu_log_fini(struct tu_log *l)
{
	hpc_strv_fini(&l->lines);
}

void tu_nginx_start(const char *dir, char **url, char **state)
{
	char *cmd = hpc_xasprintf("bash %s/tests/unit/nginx_helper.sh start %s",
				  HPCENV_SOURCE_DIR, dir), line[512];
	const char *proxies[] = { "http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY",
				  "all_proxy", "ALL_PROXY" };
	FILE *p = popen(cmd, "r");

	/* loopback only: a proxy from the caller's environment must not be used */
	for (size_t i = 0; i < sizeof(proxies) / sizeof(proxies[0]); i++)
		unsetenv(proxies[i]);
	free(cmd);
	assert_non_null(p);
	assert_non_null(fgets(line, sizeof(line), p));
	assert_int_equal(pclose(p), 0);
	*url = hpc_xstrndup(line, strcspn(line, " "));
	*state = hpc_xstrndup(line + strlen(*url) + 1, strcspn(line + strlen(*url) + 1, "\n"));
}

void tu_nginx_stop(const char *dir, char *url, char *state)
{
	char *cmd = hpc_xasprintf("bash %s/tests/unit/nginx_helper.sh stop %s %s",
				  HPCENV_SOURCE_DIR, state, dir);

	assert_int_equal(system(cmd), 0);
	free(cmd);
	free(url);
	free(state);
}

static int count_requests(const char *state, const char *text)
{
	char *log = hpc_path_join(state, "access.log"), *data = NULL, *p;
	int n = 0;

	if (hpc_file_read(log, &data, NULL, NULL) == 0)
		for (p = data; (p = strstr(p, text)); p++)
			n++;
	free(data);
	free(log);
	return n;
}

int tu_nginx_requests(const char *state, const char *text, int want)
{
	for (int i = 0; i < 200 && count_requests(state, text) < want; i++)
		usleep(10000);
	return count_requests(state, text);
}
