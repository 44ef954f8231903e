/* SPDX-License-Identifier: MIT */
/* util.h - memory, strings, string vectors and file helpers shared by every noun
 *
 * Allocation failures abort (as libsolv's solv_malloc does): an HPC tool that runs
 * out of memory cannot recover meaningfully, and it keeps every other path simple.
 */
#ifndef HPCENV_UTIL_H
#define HPCENV_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>

struct hpc_error;

void *hpc_xmalloc(size_t n);
void *hpc_xcalloc(size_t nmemb, size_t size);
void *hpc_xrealloc(void *p, size_t n);
char *hpc_xstrdup(const char *s);
char *hpc_xstrndup(const char *s, size_t n);
char *hpc_xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Growable string. Init with HPC_STRBUF_INIT or hpc_strbuf_init; buf is always
 * NUL-terminated once anything was added. */
struct hpc_strbuf {
	char *buf;
	size_t len;
	size_t alloc;
};
#define HPC_STRBUF_INIT { NULL, 0, 0 }
void hpc_strbuf_init(struct hpc_strbuf *sb);
void hpc_strbuf_add(struct hpc_strbuf *sb, const void *data, size_t n);
void hpc_strbuf_adds(struct hpc_strbuf *sb, const char *s);
void hpc_strbuf_addc(struct hpc_strbuf *sb, char c);
void hpc_strbuf_addf(struct hpc_strbuf *sb, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void hpc_strbuf_reset(struct hpc_strbuf *sb);
/* Current contents ("" when empty); borrowed. */
const char *hpc_strbuf_str(const struct hpc_strbuf *sb);
/* Hand the buffer to the caller (free() it) and reset sb. Never NULL. */
char *hpc_strbuf_detach(struct hpc_strbuf *sb);
void hpc_strbuf_release(struct hpc_strbuf *sb);

/* Vector of owned strings, NULL-terminated (v[n] == NULL when n > 0). */
struct hpc_strv {
	char **v;
	size_t n;
	size_t alloc;
};
#define HPC_STRV_INIT { NULL, 0, 0 }
void hpc_strv_init(struct hpc_strv *sv);
void hpc_strv_push(struct hpc_strv *sv, const char *s);
void hpc_strv_push_take(struct hpc_strv *sv, char *s);
void hpc_strv_pushf(struct hpc_strv *sv, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
bool hpc_strv_contains(const struct hpc_strv *sv, const char *s);
/* Push s unless already present. */
void hpc_strv_push_unique(struct hpc_strv *sv, const char *s);
void hpc_strv_copy(struct hpc_strv *dst, const struct hpc_strv *src);
/* Split s at any of the characters in seps, trimming blanks, dropping empty items. */
void hpc_strv_split(struct hpc_strv *sv, const char *s, const char *seps);
char *hpc_strv_join(const struct hpc_strv *sv, const char *sep);
void hpc_strv_fini(struct hpc_strv *sv);

bool hpc_str_startswith(const char *s, const char *prefix);
bool hpc_str_endswith(const char *s, const char *suffix);
/* Trim ASCII blanks in place; returns s. */
char *hpc_str_trim(char *s);

/* Join two path parts with exactly one '/'. Caller frees. */
char *hpc_path_join(const char *a, const char *b);
/* Expand a leading '~' or '~/' and $VAR / ${VAR} (unset → empty), as conda does for
 * rc values. Caller frees. */
char *hpc_path_expand(const char *s);
/* The user's home directory ($HOME, else the passwd entry). Borrowed. */
const char *hpc_home_dir(void);

/* mkdir -p with the given mode for created directories. */
int hpc_mkdir_p(const char *path, mode_t mode, struct hpc_error **err);
/* Remove a file tree (like rm -rf); a missing path is not an error. */
int hpc_rm_rf(const char *path, struct hpc_error **err);
bool hpc_path_exists(const char *path);
bool hpc_is_dir(const char *path);

/* Read a whole file; *out is NUL-terminated (the NUL is not counted in *len). */
int hpc_file_read(const char *path, char **out, size_t *len, struct hpc_error **err);
/* Write data to path atomically: temp file in the same directory, fsync, rename.
 * Either the old content or the new one is there afterwards, never a mix. */
int hpc_file_write_atomic(const char *path, const void *data, size_t len, mode_t mode,
			  struct hpc_error **err);

/* Monotonic clock in seconds. */
double hpc_now(void);

#endif
