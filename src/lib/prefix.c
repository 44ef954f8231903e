/* SPDX-License-Identifier: MIT */
/* prefix.c - resolve -n/-p to an environment directory the way conda does */
#include <dirent.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hpcenv/error.h"
#include "hpcenv/journal.h"
#include "hpcenv/prefix.h"
#include "hpcenv/util.h"

bool hpc_prefix_is_env(const char *dir)
{
	char *m = hpc_path_join(dir, "conda-meta");
	bool r = hpc_is_dir(m);

	free(m);
	return r;
}

static bool dir_is_empty(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	bool empty = true;

	if (!d)
		return true;
	while (empty && (e = readdir(d)))
		empty = !strcmp(e->d_name, ".") || !strcmp(e->d_name, "..");
	closedir(d);
	return empty;
}

static bool valid_env_name(const char *name)
{
	return *name && !strchr(name, '/') && strcmp(name, ".") && strcmp(name, "..") &&
	       !strpbrk(name, " :#");
}

/* First writable envs_dirs entry (created if needed), for a new named env. */
static char *writable_envs_dir(const struct hpc_config *cfg)
{
	const struct hpc_strv *dirs = hpc_config_get_list(cfg, "envs_dirs");

	for (size_t i = 0; i < dirs->n; i++) {
		if (!hpc_is_dir(dirs->v[i]) && hpc_mkdir_p(dirs->v[i], 0755, NULL))
			continue;
		if (access(dirs->v[i], W_OK) == 0)
			return hpc_xstrdup(dirs->v[i]);
	}
	return NULL;
}

static int resolve_name(const struct hpc_config *cfg, const char *name,
			enum hpc_prefix_mode mode, char **out, struct hpc_error **err)
{
	const struct hpc_strv *dirs = hpc_config_get_list(cfg, "envs_dirs");
	char *dir;

	if (!strcmp(name, "base")) {
		*out = hpc_xstrdup(hpc_config_root_prefix(cfg));
		return 0;
	}
	if (!valid_env_name(name))
		return HPC_FAIL(err, USAGE, "invalid environment name '%s'", name);
	for (size_t i = 0; i < dirs->n; i++) {
		char *p = hpc_path_join(dirs->v[i], name);

		if (hpc_is_dir(p)) {
			*out = p;
			return 0;
		}
		free(p);
	}
	if (mode == HPC_PREFIX_EXISTING)
		return HPC_FAIL(err, NOTFOUND, "environment '%s' not found in envs_dirs", name);
	dir = writable_envs_dir(cfg);
	if (!dir)
		return HPC_FAIL(err, IO, "no writable directory in envs_dirs for '%s'", name);
	*out = hpc_path_join(dir, name);
	free(dir);
	return 0;
}

/* Lexical clean-up as Python's os.path.abspath (what conda records): "." and empty
 * components go, ".." drops the one before it; symlinks are kept as the user wrote them. */
static void normalize_path(char *p)
{
	char *w = p, *r = p;

	while (*r) {
		char *end = strchrnul(r + 1, '/');
		size_t n = (size_t)(end - r);

		if (n == 1 || (n == 2 && r[1] == '.')) {
			/* "/" or "/." */
		} else if (n == 3 && r[1] == '.' && r[2] == '.') {
			while (w > p && *--w != '/')
				;
		} else {
			memmove(w, r, n);
			w += n;
		}
		r = end;
	}
	if (w == p)
		*w++ = '/';
	*w = '\0';
}

static char *absolute_path(const char *p)
{
	char cwd[PATH_MAX], *e = hpc_path_expand(p), *r;

	if (e[0] == '/' || !getcwd(cwd, sizeof(cwd))) {
		r = e;
	} else {
		r = hpc_path_join(cwd, e);
		free(e);
	}
	if (r[0] == '/')
		normalize_path(r);
	return r;
}

static int check_mode(const char *p, enum hpc_prefix_mode mode, struct hpc_error **err)
{
	if (mode == HPC_PREFIX_EXISTING && !hpc_prefix_is_env(p))
		return HPC_FAIL(err, NOTFOUND, "'%s' is not a conda environment (no conda-meta/)", p);
	/* a directory where a killed `create` left its journal is still new: the
	 * transaction rolls that back first */
	if (mode == HPC_PREFIX_NEW && hpc_path_exists(p) && !(hpc_is_dir(p) && dir_is_empty(p)) &&
	    !hpc_journal_pending(p))
		return HPC_FAIL(err, EXISTS, "'%s' already exists; remove it or pick another name",
				p);
	return 0;
}

int hpc_prefix_resolve(const struct hpc_config *cfg, const char *name, const char *path,
		       enum hpc_prefix_mode mode, char **out, struct hpc_error **err)
{
	const char *active = getenv("CONDA_PREFIX");
	char *p = NULL;
	int r = 0;

	*out = NULL;
	if (name && path)
		return HPC_FAIL(err, USAGE, "give either -n NAME or -p PREFIX, not both");
	if (name)
		r = resolve_name(cfg, name, mode, &p, err);
	else if (path)
		p = absolute_path(path);
	else if (mode != HPC_PREFIX_NEW && active && *active)
		p = hpc_xstrdup(active);
	else if (mode == HPC_PREFIX_ANY)
		return 0;
	else
		return HPC_FAIL(err, USAGE, "no environment given: use -n NAME or -p PREFIX%s",
				mode == HPC_PREFIX_NEW ? "" : " (or activate one)");
	if (!r)
		r = check_mode(p, mode, err);
	if (r)
		free(p);
	else
		*out = p;
	return r;
}
