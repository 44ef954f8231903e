/* SPDX-License-Identifier: MIT */
/* util.c - memory, strings and file helpers (see include/hpcenv/util.h) */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "hpcenv/error.h"
#include "hpcenv/util.h"

static void oom(size_t n)
{
	fprintf(stderr, "hpcenv: out of memory allocating %zu bytes\n", n);
	abort();
}

void *hpc_xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (!p)
		oom(n);
	return p;
}

void *hpc_xcalloc(size_t nmemb, size_t size)
{
	void *p = calloc(nmemb ? nmemb : 1, size ? size : 1);

	if (!p)
		oom(nmemb * size);
	return p;
}

void *hpc_xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);

	if (!q)
		oom(n);
	return q;
}

char *hpc_xstrdup(const char *s)
{
	return hpc_xstrndup(s, strlen(s));
}

char *hpc_xstrndup(const char *s, size_t n)
{
	char *p = hpc_xmalloc(n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

static char *xvasprintf(const char *fmt, va_list ap)
{
	va_list cp;
	int n;
	char *p;

	va_copy(cp, ap);
	n = vsnprintf(NULL, 0, fmt, cp);
	va_end(cp);
	if (n < 0)
		n = 0;
	p = hpc_xmalloc((size_t)n + 1);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	return p;
}

char *hpc_xasprintf(const char *fmt, ...)
{
	va_list ap;
	char *p;

	va_start(ap, fmt);
	p = xvasprintf(fmt, ap);
	va_end(ap);
	return p;
}

/* ---- strbuf ---- */

void hpc_strbuf_init(struct hpc_strbuf *sb)
{
	sb->buf = NULL;
	sb->len = sb->alloc = 0;
}

static void strbuf_grow(struct hpc_strbuf *sb, size_t extra)
{
	size_t need = sb->len + extra + 1;

	if (need <= sb->alloc)
		return;
	sb->alloc = sb->alloc ? sb->alloc : 64;
	while (sb->alloc < need)
		sb->alloc *= 2;
	sb->buf = hpc_xrealloc(sb->buf, sb->alloc);
}

void hpc_strbuf_add(struct hpc_strbuf *sb, const void *data, size_t n)
{
	strbuf_grow(sb, n);
	memcpy(sb->buf + sb->len, data, n);
	sb->len += n;
	sb->buf[sb->len] = '\0';
}

void hpc_strbuf_adds(struct hpc_strbuf *sb, const char *s)
{
	hpc_strbuf_add(sb, s, strlen(s));
}

void hpc_strbuf_addc(struct hpc_strbuf *sb, char c)
{
	hpc_strbuf_add(sb, &c, 1);
}

void hpc_strbuf_addf(struct hpc_strbuf *sb, const char *fmt, ...)
{
	va_list ap, cp;
	int n;

	va_start(ap, fmt);
	va_copy(cp, ap);
	n = vsnprintf(NULL, 0, fmt, cp);
	va_end(cp);
	if (n > 0) {
		strbuf_grow(sb, (size_t)n);
		vsnprintf(sb->buf + sb->len, (size_t)n + 1, fmt, ap);
		sb->len += (size_t)n;
	}
	va_end(ap);
}

void hpc_strbuf_reset(struct hpc_strbuf *sb)
{
	sb->len = 0;
	if (sb->buf)
		sb->buf[0] = '\0';
}

const char *hpc_strbuf_str(const struct hpc_strbuf *sb)
{
	return sb->buf ? sb->buf : "";
}

char *hpc_strbuf_detach(struct hpc_strbuf *sb)
{
	char *p = sb->buf ? sb->buf : hpc_xstrdup("");

	hpc_strbuf_init(sb);
	return p;
}

void hpc_strbuf_release(struct hpc_strbuf *sb)
{
	free(sb->buf);
	hpc_strbuf_init(sb);
}

/* ---- strv ---- */

void hpc_strv_init(struct hpc_strv *sv)
{
	sv->v = NULL;
	sv->n = sv->alloc = 0;
}

void hpc_strv_push_take(struct hpc_strv *sv, char *s)
{
	if (sv->n + 2 > sv->alloc) {
		sv->alloc = sv->alloc ? sv->alloc * 2 : 8;
		sv->v = hpc_xrealloc(sv->v, sv->alloc * sizeof(*sv->v));
	}
	sv->v[sv->n++] = s;
	sv->v[sv->n] = NULL;
}

void hpc_strv_push(struct hpc_strv *sv, const char *s)
{
	hpc_strv_push_take(sv, hpc_xstrdup(s));
}

void hpc_strv_pushf(struct hpc_strv *sv, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	hpc_strv_push_take(sv, xvasprintf(fmt, ap));
	va_end(ap);
}

bool hpc_strv_contains(const struct hpc_strv *sv, const char *s)
{
	for (size_t i = 0; i < sv->n; i++)
		if (!strcmp(sv->v[i], s))
			return true;
	return false;
}

void hpc_strv_push_unique(struct hpc_strv *sv, const char *s)
{
	if (!hpc_strv_contains(sv, s))
		hpc_strv_push(sv, s);
}

void hpc_strv_copy(struct hpc_strv *dst, const struct hpc_strv *src)
{
	for (size_t i = 0; i < src->n; i++)
		hpc_strv_push(dst, src->v[i]);
}

void hpc_strv_split(struct hpc_strv *sv, const char *s, const char *seps)
{
	while (*s) {
		size_t n = strcspn(s, seps);
		char *item = hpc_str_trim(hpc_xstrndup(s, n));

		if (*item)
			hpc_strv_push(sv, item);
		free(item);
		s += n;
		if (*s)
			s++;
	}
}

char *hpc_strv_join(const struct hpc_strv *sv, const char *sep)
{
	struct hpc_strbuf sb = HPC_STRBUF_INIT;

	for (size_t i = 0; i < sv->n; i++) {
		if (i)
			hpc_strbuf_adds(&sb, sep);
		hpc_strbuf_adds(&sb, sv->v[i]);
	}
	return hpc_strbuf_detach(&sb);
}

void hpc_strv_fini(struct hpc_strv *sv)
{
	for (size_t i = 0; i < sv->n; i++)
		free(sv->v[i]);
	free(sv->v);
	hpc_strv_init(sv);
}

/* ---- strings and paths ---- */

bool hpc_str_startswith(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

bool hpc_str_endswith(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && memcmp(s + n - m, suffix, m) == 0;
}

char *hpc_str_trim(char *s)
{
	char *b = s, *e;

	while (*b && isspace((unsigned char)*b))
		b++;
	e = b + strlen(b);
	while (e > b && isspace((unsigned char)e[-1]))
		e--;
	memmove(s, b, (size_t)(e - b));
	s[e - b] = '\0';
	return s;
}

char *hpc_path_join(const char *a, const char *b)
{
	size_t n = strlen(a);

	while (n > 1 && a[n - 1] == '/')
		n--;
	while (*b == '/')
		b++;
	if (!*b)
		return hpc_xstrndup(a, n);
	if (n == 1 && a[0] == '/')
		n = 0;
	return hpc_xasprintf("%.*s/%s", (int)n, a, b);
}

const char *hpc_home_dir(void)
{
	const char *h = getenv("HOME");
	struct passwd *pw;

	if (h && *h)
		return h;
	pw = getpwuid(getuid());
	return pw && pw->pw_dir ? pw->pw_dir : "/";
}

/* Append the value of the variable named at *pp ($NAME or ${NAME}); advance *pp. */
static void expand_var(struct hpc_strbuf *sb, const char **pp)
{
	const char *p = *pp + 1, *start;
	bool brace = *p == '{';
	char *name;
	const char *val;

	if (brace)
		p++;
	start = p;
	while (*p && (isalnum((unsigned char)*p) || *p == '_'))
		p++;
	if (p == start || (brace && *p != '}')) {
		hpc_strbuf_addc(sb, '$');
		*pp += 1;
		return;
	}
	name = hpc_xstrndup(start, (size_t)(p - start));
	val = getenv(name);
	free(name);
	if (val)
		hpc_strbuf_adds(sb, val);
	*pp = p + (brace ? 1 : 0);
}

char *hpc_path_expand(const char *s)
{
	struct hpc_strbuf sb = HPC_STRBUF_INIT;

	if (s[0] == '~' && (s[1] == '/' || s[1] == '\0')) {
		hpc_strbuf_adds(&sb, hpc_home_dir());
		s++;
	}
	while (*s) {
		if (*s == '$')
			expand_var(&sb, &s);
		else
			hpc_strbuf_addc(&sb, *s++);
	}
	return hpc_strbuf_detach(&sb);
}

bool hpc_path_exists(const char *path)
{
	struct stat st;

	return lstat(path, &st) == 0;
}

bool hpc_is_dir(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

int hpc_mkdir_p(const char *path, mode_t mode, struct hpc_error **err)
{
	char *p = hpc_xstrdup(path);
	int r = 0;

	for (char *s = p + 1;; s++) {
		if (*s != '/' && *s != '\0')
			continue;
		char c = *s;

		*s = '\0';
		if (mkdir(p, mode) < 0 && errno != EEXIST) {
			r = HPC_FAIL(err, IO, "cannot create directory '%s': %s", p, strerror(errno));
			break;
		}
		*s = c;
		if (!c)
			break;
	}
	if (!r && !hpc_is_dir(path))
		r = HPC_FAIL(err, IO, "'%s' exists and is not a directory", path);
	free(p);
	return r;
}

static int rm_one(const char *fpath, const struct stat *sb, int type, struct FTW *ftw)
{
	(void)sb;
	(void)ftw;
	if (type == FTW_DP)
		return rmdir(fpath) < 0 && errno != ENOENT ? -1 : 0;
	return unlink(fpath) < 0 && errno != ENOENT ? -1 : 0;
}

int hpc_rm_rf(const char *path, struct hpc_error **err)
{
	if (!hpc_path_exists(path))
		return 0;
	if (nftw(path, rm_one, 16, FTW_DEPTH | FTW_PHYS) < 0)
		return HPC_FAIL(err, IO, "cannot remove '%s': %s", path, strerror(errno));
	return 0;
}

int hpc_file_read(const char *path, char **out, size_t *len, struct hpc_error **err)
{
	struct hpc_strbuf sb = HPC_STRBUF_INIT;
	char buf[65536];
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return HPC_FAILC(err, errno == ENOENT ? HPC_E_NOTFOUND : HPC_E_IO,
				 "cannot open '%s': %s", path, strerror(errno));
	while ((n = read(fd, buf, sizeof(buf))) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int e = errno;

			close(fd);
			hpc_strbuf_release(&sb);
			return HPC_FAIL(err, IO, "cannot read '%s': %s", path, strerror(e));
		}
		hpc_strbuf_add(&sb, buf, (size_t)n);
	}
	close(fd);
	if (len)
		*len = sb.len;
	*out = hpc_strbuf_detach(&sb);
	return 0;
}

static int write_all(int fd, const void *data, size_t len)
{
	const char *p = data;

	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

int hpc_file_write_atomic(const char *path, const void *data, size_t len, mode_t mode,
			  struct hpc_error **err)
{
	char *tmp = hpc_xasprintf("%s.tmp.XXXXXX", path);
	int fd = mkostemp(tmp, O_CLOEXEC), r = 0;

	if (fd < 0) {
		r = HPC_FAIL(err, IO, "cannot create a temporary file next to '%s': %s", path,
			     strerror(errno));
		goto out;
	}
	if (fchmod(fd, mode) < 0 || write_all(fd, data, len) < 0 || fsync(fd) < 0) {
		r = HPC_FAIL(err, IO, "cannot write '%s': %s", tmp, strerror(errno));
		close(fd);
		unlink(tmp);
		goto out;
	}
	if (close(fd) < 0 || rename(tmp, path) < 0) {
		r = HPC_FAIL(err, IO, "cannot replace '%s': %s", path, strerror(errno));
		unlink(tmp);
	}
out:
	free(tmp);
	return r;
}

double hpc_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}
