/* SPDX-License-Identifier: MIT */
/* spawn.c - posix_spawn with output captured in an unlinked temporary file */
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "hpcenv/error.h"
#include "hpcenv/spawn.h"

extern char **environ;

/* environ with set_env applied (NAME=VALUE strings the caller frees with the strv). */
static void build_env(const struct hpc_strv *set, struct hpc_strv *out)
{
	for (char **e = environ; *e; e++) {
		bool replaced = false;

		for (size_t i = 0; set && i + 1 < set->n; i += 2) {
			size_t n = strlen(set->v[i]);

			replaced |= !strncmp(*e, set->v[i], n) && (*e)[n] == '=';
		}
		if (!replaced)
			hpc_strv_push(out, *e);
	}
	for (size_t i = 0; set && i + 1 < set->n; i += 2)
		hpc_strv_pushf(out, "%s=%s", set->v[i], set->v[i + 1]);
}

static int read_output(int fd, char **output)
{
	struct hpc_strbuf sb = HPC_STRBUF_INIT;
	char buf[8192];
	ssize_t n;

	lseek(fd, 0, SEEK_SET);
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		hpc_strbuf_add(&sb, buf, (size_t)n);
	*output = hpc_strbuf_detach(&sb);
	return 0;
}

int hpc_spawn_run(const struct hpc_spawn *sp, int *status, char **output,
		  struct hpc_error **err)
{
	char tmpl[] = "/tmp/hpcenv-spawn-XXXXXX";
	int out = mkostemp(tmpl, O_CLOEXEC), st = 0, r = 0;
	struct hpc_strv env = HPC_STRV_INIT;
	posix_spawn_file_actions_t fa;
	pid_t pid;

	if (out < 0)
		return HPC_FAIL(err, IO, "cannot create a temporary file: %s", strerror(errno));
	unlink(tmpl);
	build_env(sp->set_env, &env);
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, sp->stdin_file ? sp->stdin_file : "/dev/null",
					 O_RDONLY, 0);
	posix_spawn_file_actions_adddup2(&fa, out, 1);
	posix_spawn_file_actions_adddup2(&fa, out, 2);
	if (sp->cwd)
		posix_spawn_file_actions_addchdir_np(&fa, sp->cwd);
	errno = posix_spawn(&pid, sp->argv[0], &fa, NULL, (char *const *)sp->argv, env.v);
	if (errno) {
		r = HPC_FAILC(err, errno == ENOENT ? HPC_E_NOTFOUND : HPC_E_IO,
			      "cannot run '%s': %s", sp->argv[0], strerror(errno));
	} else {
		while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
			;
		*status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
		if (output)
			read_output(out, output);
	}
	posix_spawn_file_actions_destroy(&fa);
	hpc_strv_fini(&env);
	close(out);
	return r;
}
