/* SPDX-License-Identifier: MIT */
/* link.c - plan and create a package's files in a prefix (see include/hpcenv/link.h) */
#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <linux/openat2.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "hpcenv/digest.h"
#include "hpcenv/error.h"
#include "hpcenv/journal.h"
#include "hpcenv/link.h"
#include "hpcenv/relocate.h"
#include "hpcenv/workers.h"

struct hpc_linker {
	char *prefix;
	int pfd;
	struct hpc_journal *journal;
	bool always_copy;
	bool fresh;             /* nothing in the prefix predates the transaction */
	atomic_int reflink_ok;  /* -1 unknown, 0 no (tried and failed), 1 works */
	atomic_int hardlink_ok; /* 0 after EXDEV: the cache is on another filesystem */
	atomic_ulong reflinks, hardlinks, copies;
};

/* ---- planning ---- */

void hpc_link_pkg_fini(struct hpc_link_pkg *lp)
{
	for (size_t i = 0; i < lp->ntargets; i++) {
		free(lp->targets[i].path);
		free(lp->targets[i].symlink);
	}
	free(lp->targets);
	hpc_record_fini(&lp->rec);
	free(lp->dir);
	free(lp->requested_spec);
	hpc_pkginfo_fini(&lp->info);
	hpc_strv_fini(&lp->entry_points);
	hpc_strv_fini(&lp->ep_paths);
	hpc_strv_fini(&lp->py_files);
	hpc_strv_fini(&lp->warnings);
	hpc_prefix_record_fini(&lp->result);
	memset(lp, 0, sizeof(*lp));
}

static char *read_link(const char *p)
{
	char buf[4096];
	ssize_t n = readlink(p, buf, sizeof(buf) - 1);

	if (n <= 0)
		return NULL;
	buf[n] = '\0';
	return hpc_xstrdup(buf);
}

/* Decide how one path is installed. */
static int plan_target(struct hpc_link_pkg *lp, struct hpc_link_target *t, const char *dist,
		       struct hpc_error **err)
{
	char *src = hpc_path_join(lp->dir, t->src->path);
	struct stat st;
	int r = 0;
	bool is_link = lstat(src, &st) == 0 && S_ISLNK(st.st_mode);

	if (t->src->type == HPC_PATH_DIRECTORY) {
		t->action = HPC_LINK_DIR;
	} else if (t->src->type == HPC_PATH_SOFTLINK || is_link) {
		t->symlink = is_link ? read_link(src) : NULL;
		t->action = t->symlink ? HPC_LINK_SYMLINK : HPC_LINK_SKIP;
		if (!t->symlink)
			hpc_strv_pushf(&lp->warnings, "'%s': '%s' is a damaged symlink in the package "
				       "(no link target): not installed", dist, t->src->path);
		else if (!hpc_symlink_inside(t->path, t->symlink))
			r = HPC_FAIL(err, UNSAFE, "'%s': symlink '%s' -> '%s' would point outside the "
				     "prefix", dist, t->path, t->symlink);
	} else {
		t->action = t->src->placeholder ? HPC_LINK_RELOCATE : HPC_LINK_FILE;
	}
	free(src);
	return r;
}

static int plan_entry_points(struct hpc_link_pkg *lp, const char *dist, struct hpc_error **err)
{
	for (size_t i = 0; i < lp->info.entry_points.n; i++) {
		char *name, *mod, *fn;
		int r = hpc_entry_point_parse(lp->info.entry_points.v[i], &name, &mod, &fn, err);

		if (r)
			return hpc_error_wrap(err, r, "in package '%s'", dist);
		hpc_strv_push(&lp->entry_points, lp->info.entry_points.v[i]);
		hpc_strv_push_take(&lp->ep_paths, hpc_path_join("bin", name));
		free(name);
		free(mod);
		free(fn);
	}
	return 0;
}

int hpc_link_pkg_plan(struct hpc_link_pkg *lp, const struct hpc_record *rec, const char *dir,
		      const char *requested_spec, const struct hpc_python *python,
		      struct hpc_error **err)
{
	char *dist = hpc_record_dist(rec);
	int r;

	memset(lp, 0, sizeof(*lp));
	hpc_record_copy(&lp->rec, rec);
	lp->dir = hpc_xstrdup(dir);
	lp->requested_spec = requested_spec ? hpc_xstrdup(requested_spec) : NULL;
	hpc_prefix_record_init(&lp->result);
	r = hpc_pkginfo_load(&lp->info, dir, err);
	lp->noarch_python = !r && ((rec->noarch && !strcmp(rec->noarch, "python")) ||
				   (lp->info.index.noarch && !strcmp(lp->info.index.noarch, "python")));
	if (!r && lp->noarch_python && !python)
		r = HPC_FAIL(err, LINK, "'%s' is a noarch: python package but the environment has "
			     "no python", dist);
	if (!r)
		lp->targets = hpc_xcalloc(lp->info.npaths + 1, sizeof(*lp->targets));
	for (size_t i = 0; !r && i < lp->info.npaths; i++) {
		struct hpc_link_target *t = &lp->targets[lp->ntargets++];

		t->src = &lp->info.paths[i];
		t->path = lp->noarch_python ? hpc_python_map_path(python, t->src->path)
					    : hpc_xstrdup(t->src->path);
		r = hpc_pkgpath_is_safe(t->path) ? plan_target(lp, t, dist, err)
			: HPC_FAIL(err, UNSAFE, "'%s': unsafe path '%s'", dist, t->path);
		if (!r && lp->noarch_python && t->action != HPC_LINK_SKIP &&
		    hpc_str_endswith(t->path, ".py") &&
		    hpc_str_startswith(t->path, python->site_packages))
			hpc_strv_push(&lp->py_files, t->path);
	}
	if (!r && lp->noarch_python)
		r = plan_entry_points(lp, dist, err);
	free(dist);
	return r;
}

int hpc_link_pkg_check(const struct hpc_link_pkg *lp, const char *prefix,
		       struct hpc_error **err)
{
	for (size_t i = 0; i < lp->ntargets; i++) {
		const struct hpc_pkg_path *s = lp->targets[i].src;

		if (lp->targets[i].action == HPC_LINK_RELOCATE &&
		    s->file_mode == HPC_FILE_MODE_BINARY &&
		    !hpc_relocate_fits(s->placeholder, prefix))
			return HPC_FAIL(err, LINK, "the prefix '%s' (%zu bytes) is longer than the "
					"binary placeholder of '%s' in '%s-%s-%s' (%zu bytes): choose a "
					"shorter prefix", prefix, strlen(prefix), s->path, lp->rec.name,
					lp->rec.version, lp->rec.build, strlen(s->placeholder));
	}
	return 0;
}

/* ---- linking ---- */

int hpc_linker_new(const char *prefix, struct hpc_journal *journal, bool always_copy,
		   struct hpc_linker **out, struct hpc_error **err)
{
	struct hpc_linker *l = hpc_xcalloc(1, sizeof(*l));

	l->pfd = open(prefix, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (l->pfd < 0) {
		int r = HPC_FAIL(err, IO, "cannot open '%s': %s", prefix, strerror(errno));

		free(l);
		return r;
	}
	l->prefix = hpc_xstrdup(prefix);
	l->journal = journal;
	l->always_copy = always_copy;
	atomic_init(&l->reflink_ok, -1);
	atomic_init(&l->hardlink_ok, 1);
	*out = l;
	return 0;
}

void hpc_linker_set_fresh(struct hpc_linker *l, bool fresh)
{
	l->fresh = fresh;
}

void hpc_linker_free(struct hpc_linker *l)
{
	if (!l)
		return;
	close(l->pfd);
	free(l->prefix);
	free(l);
}

void hpc_linker_counts(const struct hpc_linker *l, unsigned long *reflinks,
		       unsigned long *hardlinks, unsigned long *copies)
{
	*reflinks = atomic_load(&((struct hpc_linker *)l)->reflinks);
	*hardlinks = atomic_load(&((struct hpc_linker *)l)->hardlinks);
	*copies = atomic_load(&((struct hpc_linker *)l)->copies);
}

/* The directory a target goes in, opened beneath the prefix; consecutive targets
 * usually share it, so the last one is kept open. */
struct cursor {
	char *dir;
	int fd;
};

static int cursor_dir(struct hpc_linker *l, struct cursor *c, const char *rel,
		      const char **base, struct hpc_error **err)
{
	const char *slash = strrchr(rel, '/');
	size_t n = slash ? (size_t)(slash - rel) : 0;
	struct open_how how = { .flags = O_PATH | O_DIRECTORY | O_CLOEXEC,
				.resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS };
	char *dir;

	*base = slash ? slash + 1 : rel;
	if (!n)
		return l->pfd;
	if (c->dir && strlen(c->dir) == n && !strncmp(c->dir, rel, n))
		return c->fd;
	if (c->dir)
		close(c->fd);
	free(c->dir);
	c->dir = dir = hpc_xstrndup(rel, n);
	c->fd = (int)syscall(SYS_openat2, l->pfd, dir, &how, sizeof(how));
	if (c->fd < 0 && errno == ENOSYS)
		c->fd = openat(l->pfd, dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (c->fd >= 0)
		return c->fd;
	free(c->dir);
	c->dir = NULL;
	if (errno == EXDEV || errno == ELOOP)
		return HPC_FAIL(err, UNSAFE, "'%s' would be created outside the prefix (a symlink "
				"in '%.*s' leads out)", rel, (int)n, rel);
	return HPC_FAIL(err, IO, "cannot open '%s/%.*s': %s", l->prefix, (int)n, rel,
			strerror(errno));
}

static void cursor_close(struct cursor *c)
{
	if (c->dir)
		close(c->fd);
	free(c->dir);
	c->dir = NULL;
}

static int write_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

static int copy_fd(int in, int out, off_t size)
{
	char buf[65536];
	ssize_t n = 0;

	while (size > 0) {
		n = copy_file_range(in, NULL, out, NULL, (size_t)size, 0);
		if (n > 0) {
			size -= n;
			continue;
		}
		if (n == 0 || (errno != EXDEV && errno != ENOSYS && errno != EINVAL &&
			       errno != EOPNOTSUPP))
			return n == 0 ? 0 : -1;
		break; /* not supported here: plain read/write */
	}
	while (size > 0 && (n = read(in, buf, sizeof(buf))) > 0) {
		if (write_all(out, buf, (size_t)n) < 0)
			return -1;
		size -= n;
	}
	return n < 0 ? -1 : 0;
}

/* A new file at dfd/base with src's mode and mtime, filled by reflink or copy. */
static int clone_or_copy(struct hpc_linker *l, const char *src, int dfd, const char *base,
			 bool try_reflink)
{
	struct stat st;
	int in = open(src, O_RDONLY | O_CLOEXEC), out, r = -1;
	struct timespec times[2];

	if (in < 0 || fstat(in, &st) < 0)
		goto done;
	out = openat(dfd, base, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
		     st.st_mode & 07777);
	if (out < 0)
		goto done;
	if (try_reflink && ioctl(out, FICLONE, in) == 0) {
		atomic_store(&l->reflink_ok, 1);
		atomic_fetch_add(&l->reflinks, 1);
		r = 0;
	} else {
		if (try_reflink && atomic_load(&l->reflink_ok) < 0)
			atomic_store(&l->reflink_ok, 0); /* this filesystem cannot */
		r = copy_fd(in, out, st.st_size);
		atomic_fetch_add(&l->copies, 1);
	}
	times[0] = st.st_atim;
	times[1] = st.st_mtim; /* shipped .pyc files check their source's mtime */
	futimens(out, times);
	if (close(out) < 0)
		r = -1;
	if (r < 0) {
		int e = errno;

		unlinkat(dfd, base, 0);
		errno = e;
	}
done:
	if (in >= 0)
		close(in);
	return r;
}

/* reflink -> hardlink -> copy */
static int place_file(struct hpc_linker *l, const char *src, int dfd, const char *base,
		      bool must_copy)
{
	/* unknown: probe with this file and keep the answer; works: keep using it */
	if (atomic_load(&l->reflink_ok) != 0)
		return clone_or_copy(l, src, dfd, base, true);
	if (!must_copy && !l->always_copy && atomic_load(&l->hardlink_ok)) {
		if (linkat(AT_FDCWD, src, dfd, base, 0) == 0) {
			atomic_fetch_add(&l->hardlinks, 1);
			return 0;
		}
		if (errno == EEXIST)
			return -1;
		if (errno == EXDEV)
			atomic_store(&l->hardlink_ok, 0);
		/* EPERM (protected_hardlinks: another user's file), EMLINK...: copy this one */
	}
	return clone_or_copy(l, src, dfd, base, false);
}

/* A copy with the placeholder replaced; *changed when the content differs. */
static int write_relocated(struct hpc_linker *l, const struct hpc_link_target *t,
			   const char *src, int dfd, const char *base,
			   char sha[HPC_SHA256_HEX], struct hpc_error **err)
{
	char *data = NULL, *out;
	size_t len = 0, n;
	struct stat st;
	int fd, r = hpc_file_read(src, &data, &len, err);

	if (r || stat(src, &st) < 0) {
		free(data);
		return r ? r : HPC_FAIL(err, IO, "cannot read '%s': %s", src, strerror(errno));
	}
	out = data;
	n = len;
	if (t->src->file_mode == HPC_FILE_MODE_BINARY)
		r = hpc_relocate_binary(data, len, t->src->placeholder, l->prefix, NULL, err);
	else if (!(out = hpc_relocate_text(data, len, t->src->placeholder, l->prefix, &n)))
		out = data, n = len;
	if (r)
		goto done;
	hpc_digest_sha256_buf(out, n, sha);
	fd = openat(dfd, base, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
		    st.st_mode & 07777);
	if (fd < 0) {
		r = -1;
		goto done;
	}
	if (write_all(fd, out, n) < 0 || close(fd) < 0) {
		int e = errno;

		unlinkat(dfd, base, 0);
		errno = e;
		r = -1;
	}
	atomic_fetch_add(&l->copies, 1);
done:
	if (out != data)
		free(out);
	free(data);
	return r;
}

static struct hpc_meta_path *record_path(struct hpc_link_pkg *lp, const struct hpc_link_target *t)
{
	struct hpc_meta_path *mp = hpc_prefix_record_add_path(&lp->result, t->path, t->src->type);

	memcpy(mp->sha256, t->src->sha256, sizeof(mp->sha256));
	mp->size = t->src->size;
	mp->has_size = t->src->has_size;
	mp->no_link = t->src->no_link;
	if (t->src->placeholder) {
		mp->placeholder = hpc_xstrdup(t->src->placeholder);
		mp->file_mode = t->src->file_mode;
	}
	return mp;
}

/* One attempt to create the target; -1 with errno set on a system error. */
static int create_once(struct hpc_linker *l, struct hpc_link_pkg *lp,
		       const struct hpc_link_target *t, int dfd, const char *base,
		       char sha[HPC_SHA256_HEX], struct hpc_error **err)
{
	char *src = hpc_path_join(lp->dir, t->src->path);
	int r;

	if (t->action == HPC_LINK_SYMLINK)
		r = symlinkat(t->symlink, dfd, base);
	else if (t->action == HPC_LINK_RELOCATE)
		r = write_relocated(l, t, src, dfd, base, sha, err);
	else
		r = place_file(l, src, dfd, base, t->src->no_link);
	free(src);
	return r;
}

/* In a prefix that was there before, whatever is at the target's place (a clobbered file)
 * is moved aside before the target is noted new: a rollback, even after kill -9 between
 * the note and the file, restores it and never deletes it. */
static int note_new(struct hpc_linker *l, int dfd, const char *base, const char *rel,
		    struct hpc_error **err)
{
	struct stat st;
	int r = 0;

	if (fstatat(dfd, base, &st, AT_SYMLINK_NOFOLLOW) == 0)
		r = hpc_journal_backup(l->journal, rel, err);
	return r ? r : hpc_journal_note_new(l->journal, rel, err);
}

/* rel was noted new but something is there (another package's file, created since): that
 * note created nothing; move it aside and note rel new again. */
static int renote(struct hpc_linker *l, const char *rel, struct hpc_error **err)
{
	int r = hpc_journal_note_not_new(l->journal, rel, err);

	r = r ? r : hpc_journal_backup(l->journal, rel, err);
	return r ? r : hpc_journal_note_new(l->journal, rel, err);
}

static int create_script(int dfd, const char *base)
{
	return openat(dfd, base, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0755);
}

/* A fresh prefix: the package's files are noted in one write (a rollback deletes those
 * that exist, and nothing else can be there). */
static int note_package(struct hpc_linker *l, const struct hpc_link_pkg *lp,
			struct hpc_error **err)
{
	const char **rels = hpc_xcalloc(lp->ntargets + 1, sizeof(*rels));
	size_t n = 0;
	int r;

	for (size_t i = 0; i < lp->ntargets; i++)
		if (lp->targets[i].action != HPC_LINK_SKIP && lp->targets[i].action != HPC_LINK_DIR &&
		    lp->targets[i].action != HPC_LINK_SHADOWED)
			rels[n++] = lp->targets[i].path;
	r = hpc_journal_note_all(l->journal, false, rels, n, err);
	free(rels);
	return r;
}

static int link_target(struct hpc_linker *l, struct hpc_link_pkg *lp,
		       const struct hpc_link_target *t, struct cursor *c, struct hpc_error **err)
{
	char sha[HPC_SHA256_HEX] = "";
	const char *base;
	int dfd, r;

	if (t->action == HPC_LINK_SKIP)
		return 0;
	/* directories are made with the others; a shadowed path by the package that wins it
	 * (packages link in parallel: both writing it would leave whichever came last) */
	if (t->action == HPC_LINK_DIR || t->action == HPC_LINK_SHADOWED) {
		record_path(lp, t);
		return 0;
	}
	dfd = cursor_dir(l, c, t->path, &base, err);
	r = dfd < 0 ? dfd : l->fresh ? 0 : note_new(l, dfd, base, t->path, err);
	if (r < 0)
		return r;
	r = create_once(l, lp, t, dfd, base, sha, err);
	if (r == -1 && errno == EEXIST) { /* appeared since it was noted */
		r = renote(l, t->path, err);
		r = r ? r : create_once(l, lp, t, dfd, base, sha, err);
	}
	if (r == -1)
		return HPC_FAIL(err, IO, "cannot create '%s/%s': %s", l->prefix, t->path,
				strerror(errno));
	if (r)
		return hpc_error_wrap(err, r, "while linking '%s' of '%s-%s-%s'", t->path,
				      lp->rec.name, lp->rec.version, lp->rec.build);
	if (strcmp(sha, t->src->sha256) && sha[0])
		memcpy(record_path(lp, t)->sha256_in_prefix, sha, sizeof(sha));
	else
		record_path(lp, t);
	return 0;
}

int hpc_linker_link(struct hpc_linker *l, struct hpc_link_pkg *lp, struct hpc_workers *w,
		    struct hpc_error **err)
{
	struct cursor c = { 0 };
	unsigned long hard = atomic_load(&l->hardlinks);
	int r = l->fresh ? note_package(l, lp, err) : 0;

	for (size_t i = 0; !r && i < lp->ntargets; i++) {
		if (w && hpc_workers_cancelling(w))
			r = HPC_FAIL(err, INTERRUPTED, "linking '%s' interrupted", lp->rec.name);
		else
			r = link_target(l, lp, &lp->targets[i], &c, err);
	}
	cursor_close(&c);
	lp->result.link_type = atomic_load(&l->hardlinks) > hard ? HPC_LINK_HARDLINK
								: HPC_LINK_COPY;
	return r;
}

int hpc_linker_entry_points(struct hpc_linker *l, struct hpc_link_pkg *lp,
			    const struct hpc_python *python, struct hpc_error **err)
{
	struct cursor c = { 0 };
	int r = 0;

	for (size_t i = 0; !r && i < lp->entry_points.n; i++) {
		const char *path = lp->ep_paths.v[i], *base;
		char *name, *mod, *fn, *text;
		int dfd, fd = -1;

		r = hpc_entry_point_parse(lp->entry_points.v[i], &name, &mod, &fn, err);
		if (r)
			break;
		text = hpc_python_entry_point(python, l->prefix, mod, fn);
		dfd = cursor_dir(l, &c, path, &base, err);
		r = dfd < 0 ? dfd : note_new(l, dfd, base, path, err);
		if (!r && (fd = create_script(dfd, base)) < 0 && errno == EEXIST &&
		    !(r = renote(l, path, err)))
			fd = create_script(dfd, base);
		if (!r && (fd < 0 || write_all(fd, text, strlen(text)) < 0 || close(fd) < 0))
			r = HPC_FAIL(err, IO, "cannot write entry point '%s/%s': %s", l->prefix,
				     path, strerror(errno));
		if (!r)
			hpc_prefix_record_add_path(&lp->result, path, HPC_PATH_ENTRY_POINT);
		free(text);
		free(name);
		free(mod);
		free(fn);
	}
	cursor_close(&c);
	return r;
}
