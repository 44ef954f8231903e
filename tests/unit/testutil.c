/* SPDX-License-Identifier: MIT */
/* testutil.c - helpers for unit tests */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
