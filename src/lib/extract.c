/* SPDX-License-Identifier: MIT */
/* extract.c - stream .conda / .tar.bz2 members into a directory, refusing anything unsafe
 *
 * See include/hpcenv/extract.h for what is refused. Every path created is recorded
 * (directory, file or symlink), so a member is only ever created under directories
 * this extraction made itself: never through a symlink, never over a file.
 */
#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <linux/openat2.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <zstd.h>

#include "hpcenv/error.h"
#include "hpcenv/extract.h"
#include "hpcenv/pkginfo.h"
#include "hpcenv/workers.h"
#include "strmap.h"

#define READ_BLOCK (256 * 1024)
/* How much a member may expand relative to the archive: far beyond any real package
 * (zstd -19 of real payloads stays well under 20x), far below a disk-filling bomb. */
#define EXPAND_RATIO 1024
#define EXPAND_SLACK (256ULL << 20)

enum kind { K_DIR = 1, K_FILE, K_LINK };

struct node {
	enum kind kind;
	uint64_t size;
	char sha256[HPC_SHA256_HEX];
};

/* The archive file, read sequentially and hashed on the way. */
struct source {
	int fd;
	struct hpc_digest *digest;
	char *buf;
	uint64_t size;
};

struct target {
	const char *name;       /* archive base name, for messages */
	int rootfd;
	struct hpc_strmap nodes;
	struct hpc_digest *fdig;
	uint64_t limit, written, files;
	struct hpc_workers *workers;
	struct hpc_strv *damaged;
	char *last_parent;      /* parents of the previous member, known to exist */
};

static const char *base_name(const char *p)
{
	const char *s = strrchr(p, '/');

	return s ? s + 1 : p;
}

char *hpc_extract_dist_of(const char *filename)
{
	const char *b = base_name(filename);
	size_t n = strlen(b);

	if (hpc_str_endswith(b, ".tar.bz2"))
		return hpc_xstrndup(b, n - 8);
	if (hpc_str_endswith(b, ".conda"))
		return hpc_xstrndup(b, n - 6);
	return NULL;
}

void hpc_extract_result_fini(struct hpc_extract_result *res)
{
	if (res)
		hpc_strv_fini(&res->damaged);
}

static la_ssize_t source_read(struct archive *a, void *ud, const void **buf)
{
	struct source *s = ud;
	ssize_t n;

	do
		n = read(s->fd, s->buf, READ_BLOCK);
	while (n < 0 && errno == EINTR);
	if (n < 0) {
		archive_set_error(a, errno, "read error: %s", strerror(errno));
		return -1;
	}
	hpc_digest_update(s->digest, s->buf, (size_t)n);
	*buf = s->buf;
	return n;
}

/* Hash what the reader did not need (zip central directory...): the digest is of the
 * whole file. */
static int source_drain(struct source *s)
{
	ssize_t n;

	while ((n = read(s->fd, s->buf, READ_BLOCK)) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		hpc_digest_update(s->digest, s->buf, (size_t)n);
	}
	return 0;
}

static void node_add(struct target *t, const char *path, enum kind kind, const struct node *src)
{
	void **slot = hpc_strmap_put(&t->nodes, path, NULL);
	struct node *n = *slot;

	if (!n)
		*slot = n = hpc_xcalloc(1, sizeof(*n));
	if (src)
		*n = *src;
	n->kind = kind;
}

static struct node *node_get(const struct target *t, const char *path)
{
	void **slot = hpc_strmap_get(&t->nodes, path);

	return slot ? *slot : NULL;
}

static int open_beneath(int rootfd, const char *path, int flags, mode_t mode)
{
#ifdef SYS_openat2
	struct open_how how = {
		.flags = (uint64_t)flags,
		.mode = mode,
		.resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS,
	};
	int fd = (int)syscall(SYS_openat2, rootfd, path, &how, sizeof(how));

	if (fd >= 0 || errno != ENOSYS)
		return fd;
#endif
	return openat(rootfd, path, flags | O_NOFOLLOW, mode);
}

/* Normalise a member name ("./a/b/" -> "a/b"); NULL when it is not a safe path. */
static char *member_path(const char *raw, bool is_dir)
{
	char *p;
	size_t n;

	if (!raw)
		return NULL;
	while (raw[0] == '.' && raw[1] == '/')
		raw += 2;
	p = hpc_xstrdup(raw);
	n = strlen(p);
	while (is_dir && n > 1 && p[n - 1] == '/')
		p[--n] = '\0';
	if (!hpc_pkgpath_is_safe(p)) {
		free(p);
		return NULL;
	}
	return p;
}

static const char *kind_name(enum kind k)
{
	return k == K_LINK ? "symlink" : k == K_FILE ? "file" : "directory";
}

/* Create the parents of path that do not exist yet; refuse to go through anything that
 * is not a directory this extraction created. */
static int ensure_parents(struct target *t, const char *path, struct hpc_error **err)
{
	const char *slash = strrchr(path, '/');
	size_t plen = slash ? (size_t)(slash - path) : 0;
	char *p;
	int rc = 0;

	if (!plen || (t->last_parent && strlen(t->last_parent) == plen &&
		      !strncmp(t->last_parent, path, plen)))
		return 0;
	p = hpc_xstrndup(path, plen);
	for (char *s = p;; s++) {
		if (*s != '/' && *s != '\0')
			continue;
		char c = *s;
		struct node *n;

		*s = '\0';
		n = node_get(t, p);
		if (n && n->kind != K_DIR) {
			rc = HPC_FAIL(err, UNSAFE, "'%s': member '%s' would be written through the %s "
				      "'%s'", t->name, path, kind_name(n->kind), p);
			break;
		}
		if (!n && mkdirat(t->rootfd, p, 0777) < 0) {
			rc = HPC_FAIL(err, IO, "'%s': cannot create directory '%s': %s", t->name, p,
				      strerror(errno));
			break;
		}
		if (!n)
			node_add(t, p, K_DIR, NULL);
		*s = c;
		if (!c)
			break;
	}
	free(t->last_parent);
	t->last_parent = rc ? NULL : hpc_xstrdup(p);
	free(p);
	return rc;
}

/* Make room for a member at path: a previous member of the same name is replaced
 * (tar semantics), but a directory is never replaced by something else. */
static int clear_slot(struct target *t, const char *path, enum kind kind, struct hpc_error **err)
{
	struct node *n = node_get(t, path);

	if (!n)
		return 0;
	if (n->kind == K_DIR && kind == K_DIR)
		return 0;
	if (n->kind == K_DIR)
		return HPC_FAIL(err, ARCHIVE, "'%s': member '%s' replaces a directory", t->name,
				path);
	if (unlinkat(t->rootfd, path, 0) < 0 && errno != ENOENT)
		return HPC_FAIL(err, IO, "'%s': cannot replace '%s': %s", t->name, path,
				strerror(errno));
	return 0;
}

static int put_symlink(struct target *t, struct archive_entry *e, const char *path,
		       struct hpc_error **err)
{
	const char *target = archive_entry_symlink(e);
	int rc;

	if (!target || !*target) { /* seen in real packages (zlib 1.2.11 h7b6447c_3) */
		hpc_strv_push(t->damaged, path);
		return 0;
	}
	if (!hpc_symlink_inside(path, target))
		return HPC_FAIL(err, UNSAFE, "'%s': symlink '%s' -> '%s' points outside the package",
				t->name, path, target);
	rc = clear_slot(t, path, K_LINK, err);
	if (!rc && symlinkat(target, t->rootfd, path) < 0)
		rc = HPC_FAIL(err, IO, "'%s': cannot create symlink '%s': %s", t->name, path,
			      strerror(errno));
	if (!rc)
		node_add(t, path, K_LINK, NULL);
	return rc;
}

static int put_hardlink(struct target *t, const char *raw, const char *path,
			struct hpc_error **err)
{
	char *to = member_path(raw, false);
	struct node *n = to ? node_get(t, to) : NULL, copy;
	int rc = 0;

	if (!n || n->kind != K_FILE || !strcmp(to, path)) {
		rc = HPC_FAIL(err, UNSAFE, "'%s': hardlink '%s' -> '%s' does not point at a file "
			      "inside the package", t->name, path, raw);
		goto out;
	}
	copy = *n;
	rc = clear_slot(t, path, K_FILE, err);
	if (!rc && linkat(t->rootfd, to, t->rootfd, path, 0) < 0)
		rc = HPC_FAIL(err, IO, "'%s': cannot create hardlink '%s': %s", t->name, path,
			      strerror(errno));
	if (!rc)
		node_add(t, path, K_FILE, &copy);
out:
	free(to);
	return rc;
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

static int data_error(struct target *t, struct archive *a, const char *path,
		      struct hpc_error **err)
{
	return HPC_FAIL(err, ARCHIVE, "'%s' is truncated or damaged (in member '%s': %s)",
			t->name, path, archive_error_string(a) ? archive_error_string(a) : "?");
}

/* Copy the member's data to fd, hashing it; *pos ends as the bytes written. */
static int copy_data(struct target *t, struct archive *a, int fd, const char *path,
		     uint64_t *pos, struct hpc_error **err)
{
	static const char zeros[4096];
	const void *buf;
	size_t size;
	la_int64_t off;
	int r;

	while ((r = archive_read_data_block(a, &buf, &size, &off)) != ARCHIVE_EOF) {
		if (r < ARCHIVE_WARN)
			return data_error(t, a, path, err);
		while ((uint64_t)off > *pos) { /* a hole in a sparse member */
			size_t z = (uint64_t)off - *pos < sizeof(zeros) ? (size_t)((uint64_t)off - *pos)
									  : sizeof(zeros);

			if (write_all(fd, zeros, z) < 0)
				goto io;
			if (t->fdig)
				hpc_digest_update(t->fdig, zeros, z);
			*pos += z;
		}
		if (write_all(fd, buf, size) < 0)
			goto io;
		if (t->fdig) /* not when verification is off (safety_checks: disabled) */
			hpc_digest_update(t->fdig, buf, size);
		*pos += size;
		t->written += size;
		if (t->written > t->limit)
			return HPC_FAIL(err, ARCHIVE, "'%s' expands to more than %llu bytes, far beyond "
					"its size: refused as a decompression bomb", t->name,
					(unsigned long long)t->limit);
		if (t->workers && hpc_workers_cancelling(t->workers))
			return HPC_FAIL(err, INTERRUPTED, "extraction of '%s' interrupted", t->name);
	}
	return 0;
io:
	return HPC_FAIL(err, IO, "'%s': cannot write '%s': %s", t->name, path, strerror(errno));
}

static int put_file(struct target *t, struct archive *a, struct archive_entry *e,
		    const char *path, struct hpc_error **err)
{
	int64_t declared = archive_entry_size_is_set(e) ? archive_entry_size(e) : -1;
	mode_t mode = (archive_entry_perm(e) & 0777) | S_IRUSR;
	struct timespec times[2] = { { 0, UTIME_OMIT }, { archive_entry_mtime(e), 0 } };
	struct node n = { .kind = K_FILE };
	uint64_t pos = 0;
	int fd, rc;

	if (declared > 0 && (uint64_t)declared > t->limit)
		return HPC_FAIL(err, ARCHIVE, "'%s': member '%s' declares %lld bytes, far more than "
				"the archive could hold: refused", t->name, path, (long long)declared);
	rc = clear_slot(t, path, K_FILE, err);
	if (rc)
		return rc;
	fd = open_beneath(t->rootfd, path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
	if (fd < 0 && (errno == ELOOP || errno == EXDEV))
		return HPC_FAIL(err, UNSAFE, "'%s': member '%s' would be written through a symlink",
				t->name, path);
	if (fd < 0)
		return HPC_FAIL(err, IO, "'%s': cannot create '%s': %s", t->name, path,
				strerror(errno));
	rc = copy_data(t, a, fd, path, &pos, err);
	if (!rc && declared >= 0 && pos < (uint64_t)declared && ftruncate(fd, declared) < 0)
		rc = HPC_FAIL(err, IO, "'%s': cannot write '%s': %s", t->name, path, strerror(errno));
	if (!rc && archive_entry_mtime_is_set(e))
		futimens(fd, times);
	if (close(fd) < 0 && !rc)
		rc = HPC_FAIL(err, IO, "'%s': cannot write '%s': %s", t->name, path, strerror(errno));
	n.size = pos;
	if (t->fdig)
		hpc_digest_final(t->fdig, NULL, n.sha256);
	if (!rc)
		node_add(t, path, K_FILE, &n);
	return rc;
}

static int put_dir(struct target *t, const char *path, struct hpc_error **err)
{
	struct node *n = node_get(t, path);
	int rc;

	if (n && n->kind == K_DIR)
		return 0;
	rc = clear_slot(t, path, K_DIR, err);
	if (!rc && mkdirat(t->rootfd, path, 0777) < 0)
		rc = HPC_FAIL(err, IO, "'%s': cannot create directory '%s': %s", t->name, path,
			      strerror(errno));
	if (!rc)
		node_add(t, path, K_DIR, NULL);
	return rc;
}

static const char *type_word(mode_t type)
{
	switch (type) {
	case AE_IFIFO:
		return "a FIFO";
	case AE_IFCHR:
		return "a character device";
	case AE_IFBLK:
		return "a block device";
	case AE_IFSOCK:
		return "a socket";
	default:
		return "of an unknown type";
	}
}

static int put_member(struct target *t, struct archive *a, struct archive_entry *e,
		      struct hpc_error **err)
{
	mode_t type = archive_entry_filetype(e);
	const char *raw = archive_entry_pathname(e), *hard = archive_entry_hardlink(e);
	char *path = member_path(raw, type == AE_IFDIR);
	int rc;

	if (!path)
		return HPC_FAIL(err, UNSAFE, "'%s': member '%s' is absolute or has '..' components",
				t->name, raw ? raw : "");
	rc = ensure_parents(t, path, err);
	if (rc)
		goto out;
	if (hard)
		rc = put_hardlink(t, hard, path, err);
	else if (type == AE_IFREG)
		rc = put_file(t, a, e, path, err);
	else if (type == AE_IFLNK)
		rc = put_symlink(t, e, path, err);
	else if (type == AE_IFDIR)
		rc = put_dir(t, path, err);
	else
		rc = HPC_FAIL(err, UNSAFE, "'%s': member '%s' is %s: refused", t->name, path,
			      type_word(type));
	if (!rc)
		t->files++;
out:
	free(path);
	return rc;
}

static int extract_tar(struct target *t, struct archive *a, struct hpc_error **err)
{
	struct archive_entry *e;
	int r, rc = 0;

	while (!rc) {
		r = archive_read_next_header(a, &e);
		if (r == ARCHIVE_EOF)
			break;
		if (r < ARCHIVE_WARN)
			return HPC_FAIL(err, ARCHIVE, "'%s' is truncated or damaged: %s", t->name,
					archive_error_string(a) ? archive_error_string(a) : "?");
		if (t->workers && hpc_workers_cancelling(t->workers))
			return HPC_FAIL(err, INTERRUPTED, "extraction of '%s' interrupted", t->name);
		rc = put_member(t, a, e, err);
	}
	return rc;
}

static int open_error(struct target *t, struct archive *a, struct hpc_error **err)
{
	return HPC_FAIL(err, ARCHIVE, "'%s' is not a readable package archive: %s", t->name,
			archive_error_string(a) ? archive_error_string(a) : "?");
}

static int extract_tar_bz2(struct target *t, struct source *src, struct hpc_error **err)
{
	struct archive *a = archive_read_new();
	int rc;

	archive_read_support_filter_bzip2(a);
	archive_read_support_format_tar(a);
	if (archive_read_open(a, src, NULL, source_read, NULL) != ARCHIVE_OK)
		rc = open_error(t, a, err);
	else
		rc = extract_tar(t, a, err);
	archive_read_free(a);
	return rc;
}

/* An inner info-/pkg- tarball of a .conda, read from the zip as it is decompressed. */
struct inner {
	struct archive *outer;
	uint64_t compressed;  /* the zip member's size */
	bool checked;
	bool bomb;
	unsigned long long declared;
	char *buf;
};

static la_ssize_t inner_read(struct archive *a, void *ud, const void **buf)
{
	struct inner *in = ud;
	la_ssize_t n = archive_read_data(in->outer, in->buf, READ_BLOCK);

	if (n < 0) {
		archive_set_error(a, EIO, "%s", archive_error_string(in->outer));
		return -1;
	}
	if (!in->checked && n > 0) {
		unsigned long long fcs = ZSTD_getFrameContentSize(in->buf, (size_t)n);

		in->checked = true;
		if (fcs != ZSTD_CONTENTSIZE_UNKNOWN && fcs != ZSTD_CONTENTSIZE_ERROR &&
		    fcs > in->compressed * EXPAND_RATIO + EXPAND_SLACK) {
			in->bomb = true;
			in->declared = fcs;
			archive_set_error(a, EFBIG, "zstd frame declares %llu bytes", fcs);
			return -1;
		}
	}
	*buf = in->buf;
	return n;
}

static int extract_inner(struct target *t, struct archive *outer, struct archive_entry *oe,
			 struct hpc_error **err)
{
	struct inner in = { .outer = outer, .buf = hpc_xmalloc(READ_BLOCK) };
	struct archive *a = archive_read_new();
	int rc;

	in.compressed = archive_entry_size_is_set(oe) ? (uint64_t)archive_entry_size(oe) : 0;
	archive_read_support_filter_zstd(a);
	archive_read_support_format_tar(a);
	if (archive_read_open(a, &in, NULL, inner_read, NULL) != ARCHIVE_OK)
		rc = in.bomb ? -1 : open_error(t, a, err);
	else
		rc = extract_tar(t, a, err);
	if (in.bomb) {
		hpc_error_clear(err);
		rc = HPC_FAIL(err, ARCHIVE, "'%s': '%s' declares %llu bytes of content, far beyond "
			      "its %llu compressed bytes: refused as a decompression bomb", t->name,
			      archive_entry_pathname(oe), in.declared,
			      (unsigned long long)in.compressed);
	}
	archive_read_free(a);
	free(in.buf);
	return rc;
}

static bool is_inner(const char *name, const char *prefix)
{
	return hpc_str_startswith(name, prefix) && hpc_str_endswith(name, ".tar.zst") &&
	       !strchr(name, '/');
}

static int extract_conda(struct target *t, struct source *src, struct hpc_error **err)
{
	struct archive *a = archive_read_new();
	struct archive_entry *e;
	int rc = 0, r, ninfo = 0, npkg = 0;

	archive_read_support_format_zip_streamable(a);
	if (archive_read_open(a, src, NULL, source_read, NULL) != ARCHIVE_OK)
		rc = open_error(t, a, err);
	while (!rc && (r = archive_read_next_header(a, &e)) != ARCHIVE_EOF) {
		const char *name = archive_entry_pathname(e);

		if (r < ARCHIVE_WARN) {
			rc = HPC_FAIL(err, ARCHIVE, "'%s' is truncated or damaged: %s", t->name,
				      archive_error_string(a) ? archive_error_string(a) : "?");
		} else if (name && is_inner(name, "info-")) {
			ninfo++;
			rc = extract_inner(t, a, e, err);
		} else if (name && is_inner(name, "pkg-")) {
			npkg++;
			rc = extract_inner(t, a, e, err);
		}
	}
	archive_read_free(a);
	if (!rc && (ninfo != 1 || npkg != 1))
		rc = HPC_FAIL(err, ARCHIVE, "'%s' holds %d info-*.tar.zst and %d pkg-*.tar.zst "
			      "(a .conda package needs exactly one of each)", t->name, ninfo, npkg);
	return rc;
}

static int check_path(struct target *t, const struct hpc_pkg_path *pp, bool verify,
		      struct hpc_error **err)
{
	struct node *n = node_get(t, pp->path);

	if (pp->type == HPC_PATH_DIRECTORY) {
		int rc = ensure_parents(t, pp->path, err);

		return rc ? rc : put_dir(t, pp->path, err);
	}
	if (pp->type != HPC_PATH_HARDLINK || (n && n->kind == K_LINK))
		return 0; /* softlinks: damaged ones are the link step's business */
	if (!n || n->kind != K_FILE)
		return HPC_FAIL(err, ARCHIVE, "'%s': '%s' is listed in info/paths.json but is not in "
				"the archive", t->name, pp->path);
	if (verify && pp->sha256[0] && strcmp(pp->sha256, n->sha256))
		return HPC_FAIL(err, CHECKSUM, "'%s': '%s' does not match its sha256 in "
				"info/paths.json (damaged or tampered package)", t->name, pp->path);
	if (verify && pp->has_size && pp->size != n->size)
		return HPC_FAIL(err, CHECKSUM, "'%s': '%s' has %llu bytes, info/paths.json says %llu",
				t->name, pp->path, (unsigned long long)n->size,
				(unsigned long long)pp->size);
	return 0;
}

/* Name the archive instead of the temporary directory in pkginfo's messages. */
static int relabel(struct hpc_error **err, int rc, const char *dest, const char *name)
{
	size_t n = strlen(dest);
	char *msg;

	if (!err || !*err || strncmp((*err)->msg, dest, n) || (*err)->msg[n] != '/')
		return rc;
	msg = hpc_xasprintf("'%s': %s", name, (*err)->msg + n + 1);
	free((*err)->msg);
	(*err)->msg = msg;
	return rc;
}

/* The package as extracted must describe itself consistently. */
static int check_package(struct target *t, const char *dest, const char *archive,
			 const struct hpc_extract_options *opt, struct hpc_error **err)
{
	struct hpc_pkginfo pi;
	char *dist = opt && opt->dist ? hpc_xstrdup(opt->dist) : hpc_extract_dist_of(archive);
	int rc = hpc_pkginfo_load(&pi, dest, err);

	if (rc) {
		free(dist);
		return relabel(err, rc, dest, t->name);
	}
	rc = hpc_pkginfo_check_dist(&pi, dist, t->name, err);
	for (size_t i = 0; !rc && i < pi.npaths; i++)
		rc = check_path(t, &pi.paths[i], !opt || opt->verify, err);
	hpc_pkginfo_fini(&pi);
	free(dist);
	return rc;
}

static void free_node(void *n)
{
	free(n);
}

static int open_source(struct source *src, const char *archive, struct hpc_error **err)
{
	struct stat st;

	src->fd = open(archive, O_RDONLY | O_CLOEXEC);
	if (src->fd < 0)
		return HPC_FAILC(err, errno == ENOENT ? HPC_E_NOTFOUND : HPC_E_IO,
				 "cannot open '%s': %s", archive, strerror(errno));
	if (fstat(src->fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(src->fd);
		return HPC_FAIL(err, ARCHIVE, "'%s' is not a regular file", archive);
	}
	src->size = (uint64_t)st.st_size;
	src->digest = hpc_digest_new(HPC_DIGEST_MD5 | HPC_DIGEST_SHA256);
	src->buf = hpc_xmalloc(READ_BLOCK);
	return 0;
}

static int run_extraction(struct target *t, struct source *src, const char *archive,
			  const char *dest, const struct hpc_extract_options *opt,
			  struct hpc_error **err)
{
	int rc;

	if (hpc_str_endswith(archive, ".conda"))
		rc = extract_conda(t, src, err);
	else if (hpc_str_endswith(archive, ".tar.bz2"))
		rc = extract_tar_bz2(t, src, err);
	else
		rc = HPC_FAIL(err, ARCHIVE, "'%s' is neither a .conda nor a .tar.bz2 package",
			      t->name);
	if (!rc && source_drain(src) < 0)
		rc = HPC_FAIL(err, IO, "cannot read '%s': %s", archive, strerror(errno));
	return rc ? rc : check_package(t, dest, archive, opt, err);
}

int hpc_extract_package(const char *archive, const char *dest,
			const struct hpc_extract_options *opt, struct hpc_extract_result *res,
			struct hpc_error **err)
{
	struct source src = { .fd = -1 };
	struct target t = { .name = base_name(archive) };
	struct hpc_strv damaged = HPC_STRV_INIT;
	int rc;

	if (res)
		memset(res, 0, sizeof(*res));
	rc = open_source(&src, archive, err);
	if (rc)
		return rc;
	t.rootfd = open(dest, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (t.rootfd < 0) {
		rc = HPC_FAIL(err, IO, "cannot open '%s': %s", dest, strerror(errno));
		goto out;
	}
	t.limit = src.size * EXPAND_RATIO + EXPAND_SLACK;
	t.fdig = !opt || opt->verify ? hpc_digest_new(HPC_DIGEST_SHA256) : NULL;
	t.workers = opt ? opt->workers : NULL;
	t.damaged = res ? &res->damaged : &damaged;
	rc = run_extraction(&t, &src, archive, dest, opt, err);
	if (res) {
		hpc_digest_final(src.digest, res->md5, res->sha256);
		res->archive_size = src.size;
		res->bytes = t.written;
		res->files = t.files;
	}
	close(t.rootfd);
out:
	hpc_strmap_fini(&t.nodes, free_node);
	hpc_digest_free(t.fdig);
	hpc_digest_free(src.digest);
	free(src.buf);
	free(t.last_parent);
	hpc_strv_fini(&damaged);
	close(src.fd);
	return rc;
}
