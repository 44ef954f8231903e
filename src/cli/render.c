/* SPDX-License-Identifier: MIT */
/* render.c - turn library events into terminal output: log lines, progress bars, errors
 *
 * Progress bars are drawn only when stderr is a terminal and neither -q nor --json
 * was given; otherwise finished items become plain lines at -v. Everything but the
 * --json document goes to stderr, so stdout stays machine-readable.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

#define MAX_ITEMS 64
#define SHOWN_ITEMS 5

struct item {
	char *id, *label;
	uint64_t done, total;
	bool bytes, active;
};

struct hpc_render {
	struct hpc_session *s;
	bool bars;
	struct item items[MAX_ITEMS];
	struct item overall; /* a batch's headline (hpc_progress.overall), when active */
	int drawn;          /* lines currently on screen */
	double last_draw;
	uint64_t finished;  /* items done since the bars appeared */
	uint64_t finished_bytes;
};

static const char *colour(const struct hpc_render *r, const char *code)
{
	return r->s->tty && !getenv("NO_COLOR") ? code : "";
}

static void clear_bars(struct hpc_render *r)
{
	for (; r->drawn > 0; r->drawn--)
		fputs("\033[1A\033[2K", stderr);
}

static void human_size(char *buf, size_t n, uint64_t v)
{
	static const char *const units[] = { "B", "kB", "MB", "GB", "TB" };
	double d = (double)v;
	int u = 0;

	while (d >= 1000 && u < 4) {
		d /= 1000;
		u++;
	}
	snprintf(buf, n, u ? "%.1f %s" : "%.0f %s", d, units[u]);
}

static void draw_item(const struct item *it)
{
	char a[32], b[32];
	int width = 24, fill = it->total ? (int)((double)it->done / (double)it->total * width) : 0;

	if (fill > width)
		fill = width;
	if (it->bytes) {
		human_size(a, sizeof(a), it->done);
		human_size(b, sizeof(b), it->total);
	} else {
		snprintf(a, sizeof(a), "%llu", (unsigned long long)it->done);
		snprintf(b, sizeof(b), "%llu", (unsigned long long)it->total);
	}
	fprintf(stderr, "  %-36.36s [%.*s%*s] %s / %s\n", it->label, fill,
		"========================", width - fill, "", a, it->total ? b : "?");
}

static void draw_bars(struct hpc_render *r)
{
	uint64_t done = r->finished_bytes, total = r->finished_bytes;
	int active = 0, shown = 0;
	char a[32], b[32];

	for (int i = 0; i < MAX_ITEMS; i++)
		if (r->items[i].active) {
			active++;
			done += r->items[i].done;
			total += r->items[i].total;
		}
	clear_bars(r);
	if (!active)
		return;
	if (r->overall.active) { /* the batch knows its real total, not just the started part */
		done = r->overall.done;
		total = r->overall.total;
	}
	human_size(a, sizeof(a), done);
	human_size(b, sizeof(b), total);
	fprintf(stderr, "%s%s%s%llu done, %d running%s  %s / %s\n", colour(r, "\033[1m"),
		r->overall.active ? r->overall.label : "", r->overall.active ? "  " : "",
		(unsigned long long)r->finished, active, colour(r, "\033[0m"), a, b);
	r->drawn = 1;
	for (int i = 0; i < MAX_ITEMS && shown < SHOWN_ITEMS; i++)
		if (r->items[i].active) {
			draw_item(&r->items[i]);
			shown++;
			r->drawn++;
		}
	fflush(stderr);
	r->last_draw = hpc_now();
}

static struct item *find_item(struct hpc_render *r, const char *id, bool create)
{
	struct item *free_slot = NULL;

	for (int i = 0; i < MAX_ITEMS; i++) {
		if (r->items[i].active && !strcmp(r->items[i].id, id))
			return &r->items[i];
		if (!r->items[i].active && !free_slot)
			free_slot = &r->items[i];
	}
	if (!create || !free_slot)
		return NULL;
	free(free_slot->id);
	free(free_slot->label);
	memset(free_slot, 0, sizeof(*free_slot));
	free_slot->id = hpc_xstrdup(id);
	free_slot->active = true;
	return free_slot;
}

static void on_overall(struct hpc_render *r, const struct hpc_progress *p, bool end)
{
	if (!r->bars)
		return;
	if (p->state == HPC_PROGRESS_START) {
		free(r->overall.label);
		r->overall.label = hpc_xstrdup(p->label ? p->label : p->id);
	}
	r->overall.done = p->done;
	r->overall.total = p->total;
	r->overall.active = !end;
	draw_bars(r);
}

static void on_progress(void *ud, const struct hpc_progress *p)
{
	struct hpc_render *r = ud;
	struct item *it;
	bool end = p->state == HPC_PROGRESS_DONE || p->state == HPC_PROGRESS_FAILED;

	if (p->overall) {
		on_overall(r, p, end);
		return;
	}
	it = find_item(r, p->id, p->state == HPC_PROGRESS_START);

	if (!r->bars) {
		if (end && r->s->verbose)
			fprintf(stderr, "%s %s\n", p->state == HPC_PROGRESS_DONE ? "done:" : "failed:",
				p->label ? p->label : p->id);
		return;
	}
	if (!it)
		return;
	if (p->label) {
		free(it->label);
		it->label = hpc_xstrdup(p->label);
	}
	it->done = p->done;
	it->total = p->total;
	it->bytes = p->bytes;
	if (end) {
		it->active = false;
		r->finished++;
		r->finished_bytes += it->total ? it->total : it->done;
	}
	if (end || p->state == HPC_PROGRESS_START || hpc_now() - r->last_draw > 0.1)
		draw_bars(r);
}

static void on_log(void *ud, enum hpc_log_level level, const char *msg)
{
	struct hpc_render *r = ud;
	static const char *const tags[] = { "error: ", "warning: ", "", "debug: ", "trace: " };
	static const char *const codes[] = { "\033[1;31m", "\033[33m", "", "\033[2m", "\033[2m" };

	clear_bars(r);
	fprintf(stderr, "%s%s%s%s\n", colour(r, codes[level]), tags[level], msg,
		colour(r, level == HPC_LOG_INFO ? "" : "\033[0m"));
	if (r->bars)
		draw_bars(r);
}

bool hpc_render_confirm(void *ud, const char *question)
{
	struct hpc_render *r = ud;
	char line[64];

	if (hpc_config_get_bool(r->s->cfg, "always_yes"))
		return true;
	if (!isatty(STDIN_FILENO) || r->s->json)
		return false;
	clear_bars(r);
	fprintf(stderr, "%s [y/N] ", question);
	fflush(stderr);
	if (!fgets(line, sizeof(line), stdin))
		return false;
	return line[0] == 'y' || line[0] == 'Y';
}

struct hpc_render *hpc_render_new(struct hpc_session *s)
{
	struct hpc_render *r = hpc_xcalloc(1, sizeof(*r));

	r->s = s;
	s->tty = isatty(STDERR_FILENO);
	s->color = isatty(STDOUT_FILENO) && !getenv("NO_COLOR");
	r->bars = s->tty && !s->quiet && !s->json && getenv("TERM") && strcmp(getenv("TERM"), "dumb");
	s->ev.log = on_log;
	s->ev.progress = on_progress;
	s->ev.confirm = hpc_render_confirm;
	s->ev.ud = r;
	s->ev.level = s->quiet ? HPC_LOG_WARN
		      : s->verbose >= 2 ? HPC_LOG_TRACE
		      : s->verbose == 1 ? HPC_LOG_DEBUG
					: HPC_LOG_INFO;
	return r;
}

void hpc_render_flush(struct hpc_session *s)
{
	if (s->render)
		clear_bars(s->render);
	fflush(stderr);
}

void hpc_render_free(struct hpc_render *r)
{
	if (!r)
		return;
	clear_bars(r);
	for (int i = 0; i < MAX_ITEMS; i++) {
		free(r->items[i].id);
		free(r->items[i].label);
	}
	free(r->overall.label);
	free(r);
}

void hpc_render_error(struct hpc_session *s, const struct hpc_error *e)
{
	if (!e)
		return;
	if (s->json) {
		json_t *ctx = json_array();

		for (const struct hpc_error *c = e->cause; c; c = c->cause)
			json_array_append_new(ctx, json_string(c->msg));
		json_t *o = json_pack("{s:b,s:{s:s,s:s,s:o}}", "success", 0, "error", "code",
				      hpc_errcode_name(e->code), "message", e->msg, "context", ctx);
		/* what the command had to say about the failure (e.g. a solve's problems) */
		if (s->out)
			json_object_update_missing(o, s->out);
		json_dumpf(o, stdout, JSON_INDENT(2));
		fputc('\n', stdout);
		json_decref(o);
		return;
	}
	fprintf(stderr, "%s" HPC_PROG ": error:%s %s\n", colour(s->render, "\033[1;31m"),
		colour(s->render, "\033[0m"), e->msg);
	for (const struct hpc_error *c = e->cause; c; c = c->cause)
		fprintf(stderr, "  caused by: %s\n", c->msg);
	if (s->verbose >= 2)
		for (const struct hpc_error *c = e; c; c = c->cause)
			fprintf(stderr, "  at %s:%d (%s)\n", c->file, c->line, c->func);
}

void hpc_render_json(struct hpc_session *s)
{
	json_t *o = s->out ? json_incref(s->out) : json_pack("{s:b}", "success", 1);

	json_dumpf(o, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	fputc('\n', stdout);
	json_decref(o);
}
