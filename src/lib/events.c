/* SPDX-License-Identifier: MIT */
/* events.c - NULL-safe helpers around the front end's callbacks */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "hpcenv/events.h"

bool hpc_log_enabled(const struct hpc_events *ev, enum hpc_log_level level)
{
	return ev && ev->log && level <= ev->level;
}

void hpc_log(const struct hpc_events *ev, enum hpc_log_level level, const char *fmt, ...)
{
	char small[512], *msg = small;
	va_list ap;
	int n;

	if (!hpc_log_enabled(ev, level))
		return;
	va_start(ap, fmt);
	n = vsnprintf(small, sizeof(small), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n >= sizeof(small)) {
		msg = malloc((size_t)n + 1);
		if (!msg)
			return;
		va_start(ap, fmt);
		vsnprintf(msg, (size_t)n + 1, fmt, ap);
		va_end(ap);
	}
	ev->log(ev->ud, level, msg);
	if (msg != small)
		free(msg);
}

void hpc_progress_emit(const struct hpc_events *ev, const struct hpc_progress *p)
{
	if (ev && ev->progress)
		ev->progress(ev->ud, p);
}

bool hpc_confirm(const struct hpc_events *ev, const char *question)
{
	if (!ev || !ev->confirm)
		return true;
	return ev->confirm(ev->ud, question);
}

bool hpc_cancelled(const struct hpc_events *ev)
{
	return ev && ev->cancelled && ev->cancelled(ev->ud);
}
