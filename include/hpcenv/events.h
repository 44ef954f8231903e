/* SPDX-License-Identifier: MIT */
/* events.h - how the library talks to the user: log lines, progress, questions
 *
 * The library never prints, prompts or exits. It calls these callbacks, and the
 * front end (the CLI, or any embedding program) decides how to render them.
 * Callbacks are invoked only from the thread that called into the library, and
 * never concurrently, so a renderer needs no locking.
 */
#ifndef HPCENV_EVENTS_H
#define HPCENV_EVENTS_H

#include <stdbool.h>
#include <stdint.h>

enum hpc_log_level {
	HPC_LOG_ERROR,
	HPC_LOG_WARN,
	HPC_LOG_INFO,
	HPC_LOG_DEBUG,
	HPC_LOG_TRACE,
};

enum hpc_progress_state {
	HPC_PROGRESS_START,
	HPC_PROGRESS_UPDATE,
	HPC_PROGRESS_DONE,
	HPC_PROGRESS_FAILED,
};

/* One progress item, e.g. a download. `id` is stable for the life of the item. */
struct hpc_progress {
	const char *id;        /* e.g. a URL or package file name */
	const char *label;     /* short text to show */
	uint64_t done;         /* units done */
	uint64_t total;        /* units in all; 0 when unknown */
	bool bytes;            /* units are bytes */
	enum hpc_progress_state state;
	bool overall;          /* the sum of a batch (e.g. all downloads): drawn as the batch's
				* headline, not counted as one more item */
};

struct hpc_events {
	/* msg is one line without a trailing newline. */
	void (*log)(void *ud, enum hpc_log_level level, const char *msg);
	void (*progress)(void *ud, const struct hpc_progress *p);
	/* Return true to proceed. NULL means "yes". */
	bool (*confirm)(void *ud, const char *question);
	/* Polled by long operations; true means stop at the next safe point (and roll
	 * back), failing with HPC_E_INTERRUPTED. NULL means never. */
	bool (*cancelled)(void *ud);
	void *ud;
	/* Messages above this level are not formatted at all (cheap -v checks). */
	enum hpc_log_level level;
};

/* NULL-safe: ev may be NULL or have NULL callbacks. */
void hpc_log(const struct hpc_events *ev, enum hpc_log_level level, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
bool hpc_log_enabled(const struct hpc_events *ev, enum hpc_log_level level);
void hpc_progress_emit(const struct hpc_events *ev, const struct hpc_progress *p);
bool hpc_confirm(const struct hpc_events *ev, const char *question);
bool hpc_cancelled(const struct hpc_events *ev);

#define hpc_warn(ev, ...) hpc_log((ev), HPC_LOG_WARN, __VA_ARGS__)
#define hpc_info(ev, ...) hpc_log((ev), HPC_LOG_INFO, __VA_ARGS__)
#define hpc_debug(ev, ...) hpc_log((ev), HPC_LOG_DEBUG, __VA_ARGS__)
#define hpc_trace(ev, ...) hpc_log((ev), HPC_LOG_TRACE, __VA_ARGS__)

#endif
