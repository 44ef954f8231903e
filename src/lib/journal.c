/* SPDX-License-Identifier: MIT */
/* journal.c - write-ahead undo log for prefix transactions (see journal.h) */
#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hpcenv/error.h"
#include "hpcenv/journal.h"
#include "hpcenv/util.h"
#include "strmap.h"

#define MAGIC "hpcenv-journal\t1"

struct hpc_journal {
	char *prefix, *dir, *file, *backup, *tmp;
	int fd;
	atomic_ulong seq;
	bool new_prefix;
};

static void escape(struct hpc_strbuf *sb, const char *s)
{
	for (; *s; s++) {
		if (*s == '\\')
			hpc_strbuf_adds(sb, "\\\\");
		else if (*s == '\t')
			hpc_strbuf_adds(sb, "\\t");
		else if (*s == '\n')
			hpc_strbuf_adds(sb, "\\n");
		else
			hpc_strbuf_addc(sb, *s);
	}
}

static char *unescape(const char *s, size_t n)
{
	struct hpc_strbuf sb = HPC_STRBUF_INIT;

	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\\' && i + 1 < n) {
			i++;
			hpc_strbuf_addc(&sb, s[i] == 't' ? '\t' : s[i] == 'n' ? '\n' : s[i]);
		} else {
			hpc_strbuf_addc(&sb, s[i]);
		}
	}
	return hpc_strbuf_detach(&sb);
}

static void add_line(struct hpc_strbuf *sb, const char *op, const char *a, const char *b)
{
	hpc_strbuf_adds(sb, op);
	if (a) {
		hpc_strbuf_addc(sb, '\t');
		escape(sb, a);
	}
	if (b) {
		hpc_strbuf_addc(sb, '\t');
		escape(sb, b);
	}
	hpc_strbuf_addc(sb, '\n');
}

/* One write(2) for whole lines: a kill -9 leaves whole lines (a torn last one is ignored),
 * and notes from several threads never mix. Only a full disk cuts a write short; the rest
 * is then tried to learn why (the transaction fails and nothing of the notes is done). */
static int put(struct hpc_journal *j, struct hpc_strbuf *sb, struct hpc_error **err)
{
	size_t done = 0;
	int r = 0;

	while (!r && done < sb->len) {
		ssize_t n = write(j->fd, sb->buf + done, sb->len - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			r = HPC_FAIL(err, IO, "cannot write the transaction journal '%s': %s",
				     j->file, n < 0 ? strerror(errno) : "short write");
		else
			done += (size_t)n;
	}
	hpc_strbuf_release(sb);
	return r;
}

static int note(struct hpc_journal *j, const char *op, const char *a, const char *b,
		struct hpc_error **err)
{
	struct hpc_strbuf sb = HPC_STRBUF_INIT;

	add_line(&sb, op, a, b);
	return put(j, &sb, err);
}

static void journal_free_paths(struct hpc_journal *j)
{
	free(j->prefix);
	free(j->dir);
	free(j->file);
	free(j->backup);
	free(j->tmp);
}

static void set_paths(struct hpc_journal *j, const char *prefix)
{
	j->prefix = hpc_xstrdup(prefix);
	j->dir = hpc_path_join(prefix, HPC_JOURNAL_DIR);
	j->file = hpc_path_join(j->dir, "journal");
	j->backup = hpc_path_join(j->dir, "backup");
	j->tmp = hpc_path_join(j->dir, "tmp");
}

int hpc_journal_begin(const char *prefix, bool new_prefix, struct hpc_journal **out,
		      struct hpc_error **err)
{
	struct hpc_journal *j = hpc_xcalloc(1, sizeof(*j));
	char header[64];
	int n;

	set_paths(j, prefix);
	j->new_prefix = new_prefix;
	j->fd = -1;
	if (mkdir(j->dir, 0700) < 0) {
		int r = errno == EEXIST
			? HPC_FAIL(err, EXISTS, "'%s' holds an unfinished transaction", prefix)
			: HPC_FAIL(err, IO, "cannot create '%s': %s", j->dir, strerror(errno));

		journal_free_paths(j);
		free(j);
		return r;
	}
	n = snprintf(header, sizeof(header), MAGIC "\t%d\n", new_prefix ? 1 : 0);
	j->fd = open(j->file, O_WRONLY | O_CREAT | O_EXCL | O_APPEND | O_CLOEXEC, 0600);
	if (j->fd < 0 || write(j->fd, header, (size_t)n) != n || mkdir(j->backup, 0700) < 0 ||
	    mkdir(j->tmp, 0700) < 0) {
		int r = HPC_FAIL(err, IO, "cannot start the transaction journal in '%s': %s",
				 j->dir, strerror(errno));

		hpc_rm_rf(j->dir, NULL);
		hpc_journal_free(j);
		return r;
	}
	*out = j;
	return 0;
}

int hpc_journal_note_new(struct hpc_journal *j, const char *rel, struct hpc_error **err)
{
	return note(j, "new", rel, NULL, err);
}

int hpc_journal_note_all(struct hpc_journal *j, bool dirs, const char *const *rels, size_t n,
			 struct hpc_error **err)
{
	struct hpc_strbuf sb = HPC_STRBUF_INIT;

	for (size_t i = 0; i < n; i++)
		add_line(&sb, dirs ? "mkdir" : "new", rels[i], NULL);
	return n ? put(j, &sb, err) : 0;
}

int hpc_journal_note_not_new(struct hpc_journal *j, const char *rel, struct hpc_error **err)
{
	return note(j, "nonew", rel, NULL, err);
}

int hpc_journal_note_mkdir(struct hpc_journal *j, const char *rel, struct hpc_error **err)
{
	return note(j, "mkdir", rel, NULL, err);
}

int hpc_journal_note_rmdir(struct hpc_journal *j, const char *rel, mode_t mode,
			   struct hpc_error **err)
{
	char m[16];

	snprintf(m, sizeof(m), "%o", (unsigned)(mode & 07777));
	return note(j, "rmdir", rel, m, err);
}

int hpc_journal_note_size(struct hpc_journal *j, const char *rel, long long size,
			  struct hpc_error **err)
{
	char n[32];

	snprintf(n, sizeof(n), "%lld", size);
	return note(j, "size", rel, n, err);
}

int hpc_journal_backup(struct hpc_journal *j, const char *rel, struct hpc_error **err)
{
	char name[32], *from, *to;
	int r;

	snprintf(name, sizeof(name), "%lu", atomic_fetch_add(&j->seq, 1));
	r = note(j, "move", rel, name, err);
	if (r)
		return r;
	from = hpc_path_join(j->prefix, rel);
	to = hpc_path_join(j->backup, name);
	if (rename(from, to) < 0 && errno != ENOENT)
		r = HPC_FAIL(err, IO, "cannot move '%s' aside: %s", from, strerror(errno));
	free(from);
	free(to);
	return r;
}

const char *hpc_journal_tmpdir(const struct hpc_journal *j)
{
	return j->tmp;
}

const char *hpc_journal_prefix(const struct hpc_journal *j)
{
	return j->prefix;
}

void hpc_journal_free(struct hpc_journal *j)
{
	if (!j)
		return;
	if (j->fd >= 0)
		close(j->fd);
	journal_free_paths(j);
	free(j);
}

int hpc_journal_commit(struct hpc_journal *j, struct hpc_error **err)
{
	int r = note(j, "commit", NULL, NULL, err);

	if (!r && fsync(j->fd) < 0)
		r = HPC_FAIL(err, IO, "cannot write '%s': %s", j->file, strerror(errno));
	if (!r) {
		close(j->fd);
		j->fd = -1;
		/* from here on the new state stands; a crash only leaves backups to delete */
		hpc_rm_rf(j->dir, NULL);
	}
	return r;
}

/* ---- undo ---- */

struct entry {
	char *op, *a, *b;
	size_t offset; /* of its line in the journal */
};

static void undo_new(const char *path, const struct hpc_events *ev)
{
	struct stat st;

	if (lstat(path, &st) < 0)
		return;
	if (S_ISDIR(st.st_mode))
		hpc_rm_rf(path, NULL);
	else if (unlink(path) < 0)
		hpc_warn(ev, "rollback: cannot remove '%s': %s", path, strerror(errno));
}

static void undo_move(const char *path, const char *backup, const struct hpc_events *ev)
{
	struct stat st;

	if (lstat(backup, &st) < 0)
		return; /* the move never happened */
	if (lstat(path, &st) == 0)
		undo_new(path, ev);
	if (rename(backup, path) < 0)
		hpc_warn(ev, "rollback: cannot restore '%s': %s", path, strerror(errno));
}

static void undo_one(const char *prefix, const char *jdir, const struct entry *e,
		     const struct hpc_events *ev)
{
	char *path = e->a ? hpc_path_join(prefix, e->a) : NULL;

	if (!strcmp(e->op, "new")) {
		undo_new(path, ev);
	} else if (!strcmp(e->op, "move") && e->b) {
		char *b = hpc_xasprintf("%s/backup/%s", jdir, e->b);

		undo_move(path, b, ev);
		free(b);
	} else if (!strcmp(e->op, "mkdir")) {
		if (rmdir(path) < 0 && errno != ENOENT)
			hpc_warn(ev, "rollback: left directory '%s': %s", path, strerror(errno));
	} else if (!strcmp(e->op, "rmdir") && e->b) {
		if (mkdir(path, 0700) == 0)
			chmod(path, (mode_t)strtoul(e->b, NULL, 8)); /* ours again: we made it */
	} else if (!strcmp(e->op, "size") && e->b) {
		long long n = strtoll(e->b, NULL, 10);

		if (n < 0 ? unlink(path) < 0 && errno != ENOENT : truncate(path, n) < 0)
			hpc_warn(ev, "rollback: cannot restore '%s': %s", path, strerror(errno));
	}
	free(path);
}

static char *field(char **p, char *end)
{
	char *s = *p, *t = memchr(s, '\t', (size_t)(end - s));
	char *r;

	if (!t)
		t = end;
	r = unescape(s, (size_t)(t - s));
	*p = t < end ? t + 1 : end;
	return r;
}

/* Entries after the header; *committed when the last one is "commit". */
static size_t parse(char *text, size_t len, struct entry **out, bool *new_prefix,
		    bool *committed)
{
	char *p = text, *end = text + len;
	size_t n = 0, alloc = 0;

	*out = NULL;
	*committed = false;
	if (len < sizeof(MAGIC) || strncmp(text, MAGIC "\t", sizeof(MAGIC)))
		return 0; /* killed before the header: nothing was done */
	*new_prefix = text[sizeof(MAGIC)] == '1';
	p = memchr(text, '\n', len);
	p = p ? p + 1 : end;
	while (p < end) {
		char *nl = memchr(p, '\n', (size_t)(end - p)), *q = p;

		if (!nl)
			break; /* a torn last line was never acted on */
		if (n == alloc)
			*out = hpc_xrealloc(*out, (alloc = alloc ? 2 * alloc : 64) * sizeof(**out));
		(*out)[n].offset = (size_t)(p - text);
		(*out)[n].op = field(&q, nl);
		(*out)[n].a = q < nl ? field(&q, nl) : NULL;
		(*out)[n].b = q < nl ? field(&q, nl) : NULL;
		*committed = !strcmp((*out)[n].op, "commit");
		n++;
		p = nl + 1;
	}
	return n;
}

/* "nonew X" says the latest "new X" before it created nothing (X was there: it is moved
 * aside next, and that is undone instead). Going backwards, it cancels that "new X", so
 * the rollback never deletes a file it restored. */
static bool stale(struct hpc_strmap *nonew, const struct entry *e)
{
	void **slot;

	if (!e->a)
		return false;
	if (!strcmp(e->op, "nonew")) {
		slot = hpc_strmap_put(nonew, e->a, NULL);
		*slot = (void *)((uintptr_t)*slot + 1);
		return true;
	}
	if (strcmp(e->op, "new") || !(slot = hpc_strmap_get(nonew, e->a)) || !*slot)
		return false;
	*slot = (void *)((uintptr_t)*slot - 1);
	return true;
}

static void entries_free(struct entry *e, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(e[i].op);
		free(e[i].a);
		free(e[i].b);
	}
	free(e);
}

/* Undo (or, when committed, just clean up) the journal in jdir. */
static int replay(const char *prefix, bool *new_prefix, int *what, const struct hpc_events *ev,
		  struct hpc_error **err)
{
	char *jdir = hpc_path_join(prefix, HPC_JOURNAL_DIR), *file = hpc_path_join(jdir, "journal");
	char *text = NULL;
	size_t len = 0, n;
	struct entry *e = NULL;
	struct hpc_strmap nonew = HPC_STRMAP_INIT;
	bool committed = false;
	int fd, r = 0;

	*what = 0;
	*new_prefix = false;
	if (hpc_path_exists(file) && (r = hpc_file_read(file, &text, &len, err)))
		goto out;
	n = text ? parse(text, len, &e, new_prefix, &committed) : 0;
	*what = committed ? 2 : n ? 1 : 0;
	fd = committed ? -1 : open(file, O_WRONLY | O_CLOEXEC);
	for (size_t i = n; !committed && i-- > 0;) {
		if (!stale(&nonew, &e[i]))
			undo_one(prefix, jdir, &e[i], ev);
		/* forget what is undone: a rollback killed half-way resumes, never repeats */
		if (fd >= 0 && ftruncate(fd, (off_t)e[i].offset) < 0)
			hpc_warn(ev, "rollback: cannot shorten '%s': %s", file, strerror(errno));
	}
	if (fd >= 0)
		close(fd);
	r = hpc_rm_rf(jdir, err);
	entries_free(e, n);
	hpc_strmap_fini(&nonew, NULL);
out:
	free(text);
	free(file);
	free(jdir);
	return r;
}

int hpc_journal_rollback(struct hpc_journal *j, const struct hpc_events *ev,
			 struct hpc_error **err)
{
	bool np;
	int what;

	if (j->fd >= 0) {
		close(j->fd);
		j->fd = -1;
	}
	return replay(j->prefix, &np, &what, ev, err);
}

bool hpc_journal_pending(const char *prefix)
{
	char *d = hpc_path_join(prefix, HPC_JOURNAL_DIR);
	bool r = hpc_path_exists(d);

	free(d);
	return r;
}

int hpc_journal_recover(const char *prefix, const struct hpc_events *ev, int *what,
			bool *new_prefix, struct hpc_error **err)
{
	int w = 0, r = 0;
	bool np = false;

	if (hpc_journal_pending(prefix))
		r = replay(prefix, &np, &w, ev, err);
	if (what)
		*what = w;
	if (new_prefix)
		*new_prefix = np;
	return r;
}
