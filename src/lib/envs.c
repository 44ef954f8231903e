/* SPDX-License-Identifier: MIT */
/* envs.c - environment listing, ~/.conda/environments.txt, whole-environment removal */
#include <dirent.h>
#include <spawn.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

#include "hpcenv/condameta.h"
#include "hpcenv/envs.h"
#include "hpcenv/error.h"
#include "hpcenv/lock.h"
#include "hpcenv/prefix.h"
#include "hpcenv/script.h"
#include "hpcenv/transaction.h"

static char *registry_path(void)
{
	return hpc_path_join(hpc_home_dir(), ".conda/environments.txt");
}

static int read_registry(struct hpc_strv *out, struct hpc_error **err)
{
	char *p = registry_path(), *text = NULL;
	int r = hpc_path_exists(p) ? hpc_file_read(p, &text, NULL, err) : 0;

	if (!r && text)
		hpc_strv_split(out, text, "\n");
	free(text);
	free(p);
	return r;
}

static int write_registry(const struct hpc_strv *v, struct hpc_error **err)
{
	char *p = registry_path(), *dir = hpc_path_join(hpc_home_dir(), ".conda");
	struct hpc_strbuf sb = HPC_STRBUF_INIT;
	int r = hpc_mkdir_p(dir, 0777, err);

	for (size_t i = 0; i < v->n; i++)
		hpc_strbuf_addf(&sb, "%s\n", v->v[i]);
	r = r ? r : hpc_file_write_atomic(p, hpc_strbuf_str(&sb), sb.len, 0644, err);
	hpc_strbuf_release(&sb);
	free(dir);
	free(p);
	return r;
}

int hpc_envs_register(const char *prefix, struct hpc_error **err)
{
	struct hpc_strv v = HPC_STRV_INIT;
	int r = read_registry(&v, err);

	if (!r && !hpc_strv_contains(&v, prefix)) {
		hpc_strv_push(&v, prefix);
		r = write_registry(&v, err);
	}
	hpc_strv_fini(&v);
	return r;
}

int hpc_envs_unregister(const char *prefix, struct hpc_error **err)
{
	struct hpc_strv v = HPC_STRV_INIT, keep = HPC_STRV_INIT;
	int r = read_registry(&v, err);

	for (size_t i = 0; i < v.n; i++)
		if (strcmp(v.v[i], prefix))
			hpc_strv_push(&keep, v.v[i]);
	if (!r && keep.n != v.n)
		r = write_registry(&keep, err);
	hpc_strv_fini(&v);
	hpc_strv_fini(&keep);
	return r;
}

static void add_env(struct hpc_strv *out, const char *p)
{
	if (hpc_prefix_is_env(p))
		hpc_strv_push_unique(out, p);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int hpc_envs_list(const struct hpc_config *cfg, struct hpc_strv *out, struct hpc_error **err)
{
	const struct hpc_strv *dirs = hpc_config_get_list(cfg, "envs_dirs");
	struct hpc_strv reg = HPC_STRV_INIT, found = HPC_STRV_INIT;
	int r;

	for (size_t i = 0; i < dirs->n; i++) {
		DIR *d = opendir(dirs->v[i]);
		struct dirent *e;

		while (d && (e = readdir(d))) {
			char *p;

			if (e->d_name[0] == '.') /* ".", "..", leftovers of removals */
				continue;
			p = hpc_path_join(dirs->v[i], e->d_name);
			add_env(&found, p);
			free(p);
		}
		if (d)
			closedir(d);
	}
	r = read_registry(&reg, err);
	for (size_t i = 0; i < reg.n; i++)
		add_env(&found, reg.v[i]);
	if (found.n)
		qsort(found.v, found.n, sizeof(char *), cmp_str);
	add_env(out, hpc_config_root_prefix(cfg)); /* base first, as conda lists it */
	for (size_t i = 0; i < found.n; i++)
		hpc_strv_push_unique(out, found.v[i]);
	hpc_strv_fini(&reg);
	hpc_strv_fini(&found);
	return r;
}

/* "name-version-build" -> name (versions and builds have no '-'). */
static char *dist_name(const char *dist)
{
	const char *b = strrchr(dist, '-'), *v = b;

	while (v && v > dist && *--v != '-')
		;
	return hpc_xstrndup(dist, v && v > dist ? (size_t)(v - dist) : strlen(dist));
}

/* Only packages that have a pre-unlink script need their record read. */
static void pre_unlink_all(const char *prefix, const struct hpc_env_remove_options *opt,
			   const struct hpc_strv *dists, const struct hpc_events *ev)
{
	for (size_t i = 0; !opt->no_scripts && i < dists->n; i++) {
		char *name = dist_name(dists->v[i]), *msg = NULL, *text = NULL;
		char *script = hpc_xasprintf("%s/bin/.%s-pre-unlink.sh", prefix, name);
		char *meta = hpc_xasprintf("%s/conda-meta/%s.json", prefix, dists->v[i]);
		struct hpc_prefix_record pr;
		struct hpc_error *e = NULL;
		size_t len;

		if (hpc_path_exists(script) && !hpc_file_read(meta, &text, &len, NULL) &&
		    !hpc_prefix_record_from_json(&pr, text, len, meta, NULL)) {
			if (hpc_script_run(prefix, prefix, opt->root_prefix, &pr.rec, "pre-unlink",
					   &msg, &e))
				hpc_warn(ev, "%s", e->msg);
			if (msg)
				hpc_info(ev, "%s", hpc_str_trim(msg));
			hpc_prefix_record_fini(&pr);
		}
		free(msg);
		free(text);
		free(meta);
		free(script);
		free(name);
		hpc_error_free(e);
	}
}

/* A detached `nice rm -rf` in its own session (Ctrl-C on the terminal does not stop
 * it); the shell in between exits at once, so nobody has to reap rm. */
static int delete_detached(const char *path)
{
	const char *argv[] = { "/bin/sh", "-c",
			       "nice rm -rf -- \"$1\" </dev/null >/dev/null 2>&1 &", "sh", path,
			       NULL };
	posix_spawnattr_t attr;
	pid_t pid;
	int st, r;

	posix_spawnattr_init(&attr);
	posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSID);
	r = posix_spawn(&pid, argv[0], NULL, &attr, (char *const *)argv, environ);
	posix_spawnattr_destroy(&attr);
	if (r)
		return -1;
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	return WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : -1;
}

/* One rename takes the environment away; deleting it can then take its time. */
static int move_aside(const char *prefix, char **aside, struct hpc_error **err)
{
	char *copy = hpc_xstrdup(prefix), *slash = strrchr(copy, '/'), *tmp;

	if (!slash || slash == copy) {
		free(copy);
		return HPC_FAIL(err, USAGE, "refusing to remove '%s'", prefix);
	}
	*slash = '\0';
	tmp = hpc_xasprintf("%s/.%s.hpcenv-removing-XXXXXX", copy, slash + 1);
	*aside = NULL;
	if (mkdtemp(tmp)) {
		char *to = hpc_path_join(tmp, "env");

		if (rename(prefix, to) == 0)
			*aside = tmp;
		else
			rmdir(tmp);
		free(to);
	}
	if (!*aside)
		free(tmp);
	free(copy);
	return 0;
}

int hpc_env_remove(const char *prefix, const struct hpc_env_remove_options *opt,
		   const struct hpc_events *ev, struct hpc_error **err)
{
	char *meta = hpc_path_join(prefix, "conda-meta"), *aside = NULL;
	struct hpc_lock_options lo = { .timeout = opt->lock_timeout, .fallback = true };
	struct hpc_lock *lock = NULL;
	struct hpc_strv dists = HPC_STRV_INIT;
	int r = hpc_txn_recover(prefix, opt->lock_timeout, ev, err);

	r = r ? r : hpc_lock_acquire(meta, &lo, ev, &lock, err);
	r = r ? r : hpc_condameta_dists(prefix, &dists, err);
	if (!r) {
		pre_unlink_all(prefix, opt, &dists, ev);
		r = move_aside(prefix, &aside, err);
	}
	hpc_lock_release(lock);
	if (!r && !aside) /* a mount point, or a parent we may not write: delete in place */
		hpc_warn(ev, "cannot move '%s' aside (%s): deleting it in place", prefix,
			 strerror(errno));
	if (!r)
		hpc_envs_unregister(prefix, NULL);
	if (!r && (!aside || opt->wait || delete_detached(aside) < 0))
		r = hpc_rm_rf(aside ? aside : prefix, err);
	hpc_strv_fini(&dists);
	free(aside);
	free(meta);
	return r;
}

void hpc_envs_dir_spread(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC), flags = 0;
	struct stat st;

	if (fd < 0)
		return;
	if (fstat(fd, &st) == 0 && st.st_uid == geteuid() &&
	    ioctl(fd, FS_IOC_GETFLAGS, &flags) == 0 && !(flags & FS_TOPDIR_FL)) {
		flags |= FS_TOPDIR_FL;
		ioctl(fd, FS_IOC_SETFLAGS, &flags); /* a filesystem may say no: so be it */
	}
	close(fd);
}
