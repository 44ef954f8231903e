/* SPDX-License-Identifier: MIT */
/* verify_int.h - helpers shared by the verify_*.c files (not part of the public API) */
#ifndef HPCENV_VERIFY_INT_H
#define HPCENV_VERIFY_INT_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "hpcenv/error.h"
#include "hpcenv/events.h"
#include "hpcenv/verify.h"

/* ---- verify_proc.c: child processes with a deadline ---- */

struct hpc_verify_proc {
	/* in */
	const char *const *argv;     /* for hpc_verify_proc_run; argv[0] searched in PATH */
	const char *const *env_set;  /* "NAME=value" set in the child only, NULL-terminated */
	const char *const *env_unset; /* names removed in the child only */
	double timeout;              /* seconds; 0 = none */
	const struct hpc_events *ev; /* cancelled() is polled */
	/* out */
	char *out, *err;             /* what the child wrote (NUL-terminated, capped) */
	size_t outlen, errlen;
	int status;    /* exit status; 128 + signal when killed by one */
	int signal;    /* the signal that ended it, 0 when it exited */
	bool timed_out;
	double seconds;
};

/* Run argv with stdin from /dev/null, capturing stdout and stderr. The child leads its own
 * process group, so a timeout ends everything it started (an mpiexec and its ranks).
 * Fails only when it cannot start or is cancelled; a failing child is p->status. */
int hpc_verify_proc_run(struct hpc_verify_proc *p, struct hpc_error **err);
/* Same, but the child is a fork running fn(arg, fd): what fn writes to fd is p->out,
 * its return value the exit status. Used to load foreign libraries out of our process. */
int hpc_verify_proc_fork(struct hpc_verify_proc *p, int (*fn)(void *arg, int fd), void *arg,
			 struct hpc_error **err);
void hpc_verify_proc_fini(struct hpc_verify_proc *p);
/* Write all of buf to fd (a child's result pipe); false on error. */
bool hpc_verify_write_all(int fd, const char *buf, size_t len);
/* Dump a JSON value followed by a newline to fd. */
bool hpc_verify_write_json(int fd, json_t *j);

/* ---- verify.c: running the target python ---- */

/* Run `python -c script args...` with extra environment; parse the last line of its stdout
 * that is a JSON object into *out. A child that prints no JSON is an error naming its
 * stderr's last line. */
int hpc_verify_python(const struct hpc_verify *v, const char *script, const char *const *args,
		      const char *const *env_set, const char *const *env_unset, double timeout,
		      const struct hpc_events *ev, json_t **out, struct hpc_error **err);
/* The last non-empty line of text (for error messages); caller frees. */
char *hpc_verify_last_line(const char *text);
/* The line of a failed child's stderr that says what went wrong: MPICH's "Fatal error in"
 * line, the first sentence and "Key: value" lines of Open MPI's first help box, else the
 * last line. Caller frees. */
char *hpc_verify_error_line(const char *text);
/* The last JSON object line of text, or NULL. */
json_t *hpc_verify_last_json(const char *text);
double hpc_verify_timeout(const struct hpc_verify *v);
/* Duplicate a JSON string member or NULL. */
char *hpc_verify_jstr(json_t *o, const char *key);
/* Median, min and max of n values (sorts them). */
void hpc_verify_stats(double *vals, int n, double *median, double *min, double *max);
/* Progress event for a section step. */
void hpc_verify_step(const struct hpc_events *ev, const char *id, const char *label, bool done);

/* Append text to the message of finding id (no-op when absent). */
void hpc_verify_finding_append(struct hpc_verify *v, const char *id, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* ---- verify_bench.c ---- */
/* From the measured rows: GEMM cross-checks the FMA peak (a DGEMM faster than the loop
 * becomes the peak), % of peak / triad per row, wrong answers and DGEMM < 50% of peak. */
void hpc_verify_bench_judge(struct hpc_verify *v);

/* ---- verify_blas.c ---- */
/* Which OpenBLAS core type a library picks with OPENBLAS_CORETYPE set to core (NULL:
 * unset); caller frees, NULL when it could not be asked. */
char *hpc_verify_openblas_core_with(const char *path, const char *core,
				    const struct hpc_events *ev);

#endif
