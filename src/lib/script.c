/* SPDX-License-Identifier: MIT */
/* script.c - pre-link, post-link and pre-unlink scripts (see script.h) */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hpcenv/error.h"
#include "hpcenv/script.h"
#include "hpcenv/spawn.h"
#include "hpcenv/util.h"

char *hpc_script_path(const char *base_dir, const struct hpc_record *rec, const char *action)
{
	char *p = hpc_xasprintf("%s/bin/.%s-%s.sh", base_dir, rec->name, action);

	if (hpc_path_exists(p))
		return p;
	free(p);
	return NULL;
}

/* The last few lines of a script's output: enough to see why it failed. */
static const char *tail(const char *out, int lines)
{
	const char *p = out + strlen(out);

	while (p > out && (p[-1] == '\n' || p[-1] == ' '))
		p--;
	while (p > out && lines > 0)
		if (*--p == '\n')
			lines--;
	return p == out ? p : p + 1;
}

static char *take_messages(const char *prefix)
{
	char *p = hpc_path_join(prefix, ".messages.txt"), *text = NULL;

	if (hpc_file_read(p, &text, NULL, NULL) == 0)
		unlink(p);
	free(p);
	return text;
}

int hpc_script_run(const char *base_dir, const char *prefix, const char *root_prefix,
		   const struct hpc_record *rec, const char *action, char **messages,
		   struct hpc_error **err)
{
	char *script = hpc_script_path(base_dir, rec, action), *dir, *out = NULL, *path;
	const char *argv[] = { "/bin/bash", "-x", script, NULL };
	struct hpc_strv env = HPC_STRV_INIT;
	struct hpc_spawn sp = { .argv = argv, .set_env = &env };
	int st = 0, r;

	if (messages)
		*messages = NULL;
	if (!script)
		return 0;
	dir = hpc_xstrdup(script);
	*strrchr(dir, '/') = '\0';
	path = hpc_xasprintf("%s:%s", dir, getenv("PATH") ? getenv("PATH") : "/usr/bin:/bin");
	sp.cwd = dir;
	hpc_strv_push(&env, "PREFIX");
	hpc_strv_push(&env, prefix);
	hpc_strv_push(&env, "ROOT_PREFIX");
	hpc_strv_push(&env, root_prefix ? root_prefix : prefix);
	hpc_strv_push(&env, "PKG_NAME");
	hpc_strv_push(&env, rec->name);
	hpc_strv_push(&env, "PKG_VERSION");
	hpc_strv_push(&env, rec->version);
	hpc_strv_push(&env, "PKG_BUILDNUM");
	hpc_strv_pushf(&env, "%ld", rec->build_number);
	hpc_strv_push(&env, "PATH");
	hpc_strv_push(&env, path);
	if (!strcmp(action, "pre-link")) {
		hpc_strv_push(&env, "SOURCE_DIR");
		hpc_strv_push(&env, base_dir);
	}
	r = hpc_spawn_run(&sp, &st, &out, err);
	if (!r && st)
		r = HPC_FAIL(err, LINK, "%s script of '%s-%s-%s' failed with status %d: %s", action,
			     rec->name, rec->version, rec->build, st, tail(out, 3));
	if (messages)
		*messages = take_messages(prefix);
	hpc_strv_fini(&env);
	free(path);
	free(out);
	free(dir);
	free(script);
	return r;
}
