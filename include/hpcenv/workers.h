/* SPDX-License-Identifier: MIT */
/* workers.h - a few threads that run jobs while the caller's thread reports on them
 *
 * The library reports events only from the caller's thread. Parallel steps (extracting
 * packages, linking files) therefore hand jobs to workers and collect finished ones
 * with hpc_workers_next(), emitting progress and polling cancellation in between.
 */
#ifndef HPCENV_WORKERS_H
#define HPCENV_WORKERS_H

#include <stdbool.h>
#include <stddef.h>

struct hpc_workers;

/* A job function: runs on a worker thread, must not emit events. It should poll
 * hpc_workers_cancelling() in long loops. */
typedef void hpc_job_fn(struct hpc_workers *w, void *job);

/* Up to nthreads threads (0: one per CPU this process may use). With one thread
 * jobs run on the caller's thread, inside hpc_workers_next(). */
struct hpc_workers *hpc_workers_new(int nthreads);
/* Queue a job; jobs start in the order they were added. */
void hpc_workers_add(struct hpc_workers *w, hpc_job_fn *fn, void *job);
/* A finished job (in completion order), waiting up to timeout seconds; NULL when
 * none finished in that time or none is left. */
void *hpc_workers_next(struct hpc_workers *w, double timeout);
/* Jobs added and not yet returned by hpc_workers_next. */
size_t hpc_workers_pending(const struct hpc_workers *w);
/* Tell running jobs to stop early; jobs that have not started still run, and should
 * see hpc_workers_cancelling() and return at once. */
void hpc_workers_cancel(struct hpc_workers *w);
bool hpc_workers_cancelling(const struct hpc_workers *w);
/* Number of threads jobs run on. */
int hpc_workers_threads(const struct hpc_workers *w);
/* Wait for running jobs and free. NULL-safe. */
void hpc_workers_free(struct hpc_workers *w);

#endif
