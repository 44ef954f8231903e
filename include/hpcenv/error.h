/* SPDX-License-Identifier: MIT */
/* error.h - error objects that carry context up from the library to the CLI
 *
 * Every fallible library call returns 0 or a negative HPC_E_* code and takes a
 * `struct hpc_error **err` as its last argument. On failure it stores a new error
 * there (if err is not NULL). Callers add context while unwinding with
 * hpc_error_wrap(), which keeps the code and pushes the old error down as `cause`.
 */
#ifndef HPCENV_ERROR_H
#define HPCENV_ERROR_H

#include <stdarg.h>

/* X(NAME, name, text): one table for codes and their descriptions. */
#define HPC_ERROR_TABLE(X)                                             \
	X(OK, ok, "success")                                               \
	X(NOMEM, nomem, "out of memory")                                      \
	X(IO, io, "input/output error")                                    \
	X(USAGE, usage, "usage error")                                        \
	X(CONFIG, config, "configuration error")                               \
	X(PARSE, parse, "parse error")                                        \
	X(SPEC, spec, "invalid package spec")                                \
	X(CHANNEL, channel, "channel error")                                    \
	X(FETCH, fetch, "download failed")                                    \
	X(CHECKSUM, checksum, "checksum mismatch")                               \
	X(ARCHIVE, archive, "bad package archive")                              \
	X(UNSAFE, unsafe, "unsafe package content")                            \
	X(SOLVE, solve, "unsolvable request")                                 \
	X(TIMEOUT, timeout, "timed out")                                        \
	X(NOTFOUND, notfound, "not found")                                       \
	X(EXISTS, exists, "already exists")                                    \
	X(LOCK, lock, "lock error")                                          \
	X(LINK, link, "link error")                                          \
	X(TXN, txn, "transaction failed")                                   \
	X(INTERRUPTED, interrupted, "interrupted")                                  \
	X(VERIFY, verify, "verification failed")                               \
	X(UNSUPPORTED, unsupported, "not supported")                                \
	X(BUG, bug, "internal error")

enum hpc_errcode {
#define HPC_ERR_ENUM(NAME, name, text) HPC_E_##NAME,
	HPC_ERROR_TABLE(HPC_ERR_ENUM)
#undef HPC_ERR_ENUM
	HPC_E__COUNT
};

struct hpc_error {
	int code;                /* enum hpc_errcode, positive */
	char *msg;               /* one line, no trailing period */
	const char *file;        /* where it was raised (for -vv) */
	const char *func;
	int line;
	struct hpc_error *cause; /* the error this one wraps, or NULL */
};

/* Create an error at *err (pushing any existing one down as its cause) and
 * return -code. err may be NULL. Use through HPC_FAIL. */
int hpc_error_set(struct hpc_error **err, int code, const char *file, const char *func,
		  int line, const char *fmt, ...) __attribute__((format(printf, 6, 7)));
int hpc_error_vset(struct hpc_error **err, int code, const char *file, const char *func,
		   int line, const char *fmt, va_list ap);

#define HPC_FAIL(err, code, ...) \
	hpc_error_set((err), HPC_E_##code, __FILE__, __func__, __LINE__, __VA_ARGS__)
/* Same with a code computed at run time (an enum hpc_errcode value). */
#define HPC_FAILC(err, codeval, ...) \
	hpc_error_set((err), (codeval), __FILE__, __func__, __LINE__, __VA_ARGS__)

/* Add context to the error at *err while unwinding a failure whose return value
 * was rc (negative). The code is kept; the old error becomes the cause. If there
 * is no error at *err yet, a new one with code -rc is made. Returns rc. */
int hpc_error_wrap_at(struct hpc_error **err, int rc, const char *file, const char *func,
		      int line, const char *fmt, ...) __attribute__((format(printf, 6, 7)));
#define hpc_error_wrap(err, rc, ...) \
	hpc_error_wrap_at((err), (rc), __FILE__, __func__, __LINE__, __VA_ARGS__)

/* Free an error and its cause chain. NULL-safe. */
void hpc_error_free(struct hpc_error *e);
/* Free *err and set it to NULL. */
void hpc_error_clear(struct hpc_error **err);
/* Code of the error (0 for NULL). */
int hpc_error_code(const struct hpc_error *e);
/* The innermost error of the chain (the root cause). */
const struct hpc_error *hpc_error_root(const struct hpc_error *e);
/* Stable lowercase identifier of a code, e.g. "solve"; "unknown" if out of range. */
const char *hpc_errcode_name(int code);
/* Human description of a code. */
const char *hpc_errcode_text(int code);

#endif
