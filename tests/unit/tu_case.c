/* SPDX-License-Identifier: MIT */
/* tu_case.c - declarative solver cases (see tu_case.h) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "tu_case.h"
#include "tu_repo.h"

struct tcase {
	const char *path;
	int line;
	json_t *channels;  /* [{url, priority, packages: {fn: record}}] */
	json_t *installed; /* {fn: record} */
	json_t *target;    /* the packages object pkg lines go to */
	json_t *record;    /* the record key lines go to */
	struct hpc_vpkgs vp;
	struct hpc_request rq;
	struct hpc_strbuf expect[4]; /* link, unlink, problems, error */
	int have[4];
	int section;       /* -1: none */
	bool no_pip;       /* flag no_pip: add_pip_as_python_dependency off */
};

enum { E_LINK, E_UNLINK, E_PROBLEMS, E_ERROR };

static void bad(struct tcase *c, const char *what)
{
	fail_msg("%s:%d: %s", c->path, c->line, what);
}

static const char *subdir_of(const char *url)
{
	const char *s = strrchr(url, '/');

	return s ? s + 1 : url;
}

static void add_pkg(struct tcase *c, char *args)
{
	char *name = strtok(args, " "), *version = strtok(NULL, " "), *build = strtok(NULL, " ");
	json_t *r = json_object();
	char *fn;

	if (!name || !version || !build || !c->target)
		bad(c, "pkg NAME VERSION BUILD after a channel or installed");
	json_object_set_new(r, "name", json_string(name));
	json_object_set_new(r, "version", json_string(version));
	json_object_set_new(r, "build", json_string(build));
	json_object_set_new(r, "build_number", json_integer(0));
	json_object_set_new(r, "depends", json_array());
	if (c->target == c->installed)
		json_object_set_new(r, "subdir", json_string("linux-64"));
	fn = hpc_xasprintf("%s-%s-%s.tar.bz2", name, version, build);
	json_object_set_new(c->target, fn, r);
	free(fn);
	c->record = r;
}

static void add_key(struct tcase *c, char *line)
{
	char *key = strtok(line, " "), *value = strtok(NULL, "");
	json_t *r = c->record;

	if (!r || !key || !value)
		bad(c, "a key line needs a pkg above it and a value");
	if (!strcmp(key, "depends") || !strcmp(key, "constrains")) {
		if (!json_object_get(r, key))
			json_object_set_new(r, key, json_array());
		json_array_append_new(json_object_get(r, key), json_string(value));
	} else if (!strcmp(key, "bn")) {
		json_object_set_new(r, "build_number", json_integer(atol(value)));
	} else if (!strcmp(key, "ts")) {
		json_object_set_new(r, "timestamp", json_integer(atol(value)));
	} else if (!strcmp(key, "features")) {
		json_object_set_new(r, "track_features", json_string(value));
	} else if (!strcmp(key, "noarch")) {
		json_object_set_new(r, "noarch", json_string(value));
		if (c->target == c->installed)
			json_object_set_new(r, "subdir", json_string("noarch"));
	} else {
		bad(c, "unknown key");
	}
}

static void add_channel(struct tcase *c, char *args)
{
	char *url = strtok(args, " "), *kw = strtok(NULL, " "), *prio = strtok(NULL, " ");
	json_t *ch = json_object();

	if (!url || (kw && (strcmp(kw, "priority") || !prio)))
		bad(c, "channel URL [priority N]");
	json_object_set_new(ch, "url", json_string(url));
	json_object_set_new(ch, "priority", json_integer(prio ? atol(prio) : 0));
	json_object_set_new(ch, "packages", json_object());
	json_array_append_new(c->channels, ch);
	c->target = json_object_get(ch, "packages");
	c->record = NULL;
}

static void add_virtual(struct tcase *c, char *args)
{
	char *name = strtok(args, " "), *version = strtok(NULL, " "), *build = strtok(NULL, " ");
	struct hpc_vpkg *v;

	if (!name || !version)
		bad(c, "virtual NAME VERSION [BUILD]");
	c->vp.v = hpc_xrealloc(c->vp.v, (c->vp.n + 1) * sizeof(*c->vp.v));
	v = &c->vp.v[c->vp.n++];
	v->name = hpc_xstrdup(name);
	v->version = hpc_xstrdup(version);
	v->build = hpc_xstrdup(build ? build : "0");
}

static void add_job(struct tcase *c, char *args)
{
	static const char *const kinds[] = { "install", "update", "remove", "keep", "pin" };
	char *kind = strtok(args, " "), *spec = strtok(NULL, "");
	struct hpc_error *e = NULL;

	for (int k = 0; kind && spec && k < 5; k++)
		if (!strcmp(kind, kinds[k])) {
			if (hpc_request_add(&c->rq, (enum hpc_job_kind)k, spec, "test", &e))
				bad(c, e->msg);
			return;
		}
	bad(c, "job install|update|remove|keep|pin SPEC");
}

static void set_flag(struct tcase *c, const char *f)
{
	struct hpc_request *rq = &c->rq;

	if (!strcmp(f, "strict"))
		rq->priority = HPC_PRIORITY_STRICT;
	else if (!strcmp(f, "disabled"))
		rq->priority = HPC_PRIORITY_DISABLED;
	else if (!strcmp(f, "no_deps"))
		rq->no_deps = true;
	else if (!strcmp(f, "only_deps"))
		rq->only_deps = true;
	else if (!strcmp(f, "no_pip"))
		c->no_pip = true;
	else if (!strcmp(f, "force_reinstall"))
		rq->force_reinstall = true;
	else if (!strcmp(f, "freeze"))
		rq->freeze_installed = true;
	else if (!strcmp(f, "no_py_pin"))
		rq->no_py_pin = true;
	else if (!strcmp(f, "update_all"))
		rq->update_all = true;
	else if (!strcmp(f, "no_prune"))
		rq->prune = false;
	else
		bad(c, "unknown flag");
}

static void directive(struct tcase *c, char *line)
{
	char *sp = strchr(line, ' '), *args = sp ? sp + 1 : line + strlen(line);

	if (sp)
		*sp = '\0';
	if (!strcmp(line, "channel"))
		add_channel(c, args);
	else if (!strcmp(line, "installed"))
		c->target = c->installed, c->record = NULL;
	else if (!strcmp(line, "pkg"))
		add_pkg(c, args);
	else if (!strcmp(line, "virtual"))
		add_virtual(c, args);
	else if (!strcmp(line, "job"))
		add_job(c, args);
	else if (!strcmp(line, "flag"))
		set_flag(c, args);
	else
		bad(c, "unknown directive");
}

static void expect_line(struct tcase *c, char *line)
{
	static const char *const names[] = { "link", "unlink", "problems", "error" };
	char *what = line + strlen("expect ");

	for (int k = 0; k < 4; k++)
		if (!strncmp(what, names[k], strlen(names[k]))) {
			c->section = k;
			c->have[k] = 1;
			if (k == E_ERROR)
				hpc_strbuf_adds(&c->expect[k], hpc_str_trim(what + 5));
			return;
		}
	bad(c, "expect link|unlink|problems|error CODE");
}

static bool blank(const char *s)
{
	return s[strspn(s, " \t")] == '\0';
}

static void parse(struct tcase *c, char *text)
{
	for (char *line = text, *nl; line && *line; line = nl) {
		if ((nl = strchr(line, '\n')))
			*nl++ = '\0';
		c->line++;
		if (!strncmp(line, "expect ", 7)) {
			expect_line(c, line);
		} else if (c->section >= 0) {
			hpc_strbuf_adds(&c->expect[c->section], line);
			hpc_strbuf_addc(&c->expect[c->section], '\n');
		} else if (line[0] == '#' || blank(line)) {
			continue;
		} else if (line[0] == ' ' || line[0] == '\t') {
			add_key(c, hpc_str_trim(line));
		} else {
			directive(c, line);
		}
	}
}

/* ---- running ---- */

static void load(struct tcase *c, Pool *pool)
{
	size_t i;
	json_t *ch;

	json_array_foreach(c->channels, i, ch) {
		const char *url = json_string_value(json_object_get(ch, "url"));
		int prio = (int)json_integer_value(json_object_get(ch, "priority"));
		json_t *rd = json_pack("{s:{s:s},s:O}", "info", "subdir", subdir_of(url),
				       "packages", json_object_get(ch, "packages"));

		tu_repo_json(pool, rd, url, prio);
		json_decref(rd);
	}
	if (!c->no_pip) /* the pool loader's add_pip_as_python_dependency */
		hpc_pool_add_pip_dependency(pool);
	if (json_object_size(c->installed)) {
		json_t *rd = json_pack("{s:O}", "packages", c->installed);

		tu_set_installed(pool, tu_repo_json(pool, rd, "installed", 0));
		json_decref(rd);
	}
	if (c->vp.n)
		tu_repo_virtual(pool, &c->vp);
}

/* Compare, ignoring trailing blank lines of the expectation. */
static void check(struct tcase *c, const char *what, const char *want, const char *got,
		  double timeout)
{
	size_t n = strlen(want);

	while (n > 1 && want[n - 1] == '\n' && want[n - 2] == '\n')
		n--;
	if (strlen(got) != n || strncmp(want, got, n))
		fail_msg("%s (%s, %s): expected\n%.*s---- got\n%s----", c->path, what,
			 timeout > 0 ? "child process" : "in process", (int)n, want, got);
}

static void outcome(struct tcase *c, Pool *pool, double timeout)
{
	struct hpc_solution *sol = NULL;
	struct hpc_problems *pb = NULL;
	struct hpc_error *e = NULL;
	int r;
	char *s;

	c->rq.timeout = timeout;
	r = hpc_solver_solve(pool, &c->rq, NULL, &sol, &pb, &e);
	if (c->have[E_ERROR]) {
		if (!r)
			fail_msg("%s: expected error %s, got a solution", c->path,
				 hpc_strbuf_str(&c->expect[E_ERROR]));
		check(c, "error", hpc_strbuf_str(&c->expect[E_ERROR]), hpc_errcode_name(-r),
		      timeout);
	} else if (r && !pb) {
		fail_msg("%s: %s", c->path, e->msg);
	}
	if (c->have[E_PROBLEMS]) {
		if (!pb)
			fail_msg("%s: expected problems, got none", c->path);
		s = hpc_problems_render_text(pb, HPC_RENDER_ASCII);
		check(c, "problems", hpc_strbuf_str(&c->expect[E_PROBLEMS]), s, timeout);
		free(s);
	} else if (pb) {
		s = hpc_problems_render_text(pb, HPC_RENDER_ASCII);
		fail_msg("%s: unexpected problems:\n%s", c->path, s);
	}
	for (int k = E_LINK; sol && k <= E_UNLINK; k++) {
		if (!c->have[k])
			continue;
		s = tu_ids_str(pool, k == E_LINK ? &sol->link : &sol->unlink);
		check(c, k == E_LINK ? "link" : "unlink", hpc_strbuf_str(&c->expect[k]), s,
		      timeout);
		free(s);
	}
	hpc_solution_free(sol);
	hpc_problems_free(pb);
	hpc_error_free(e);
}

void tu_case_run(const char *path, double timeout)
{
	struct tcase c = { .path = path, .section = -1 };
	struct hpc_error *e = NULL;
	Pool *pool = tu_pool_new();
	char *text;
	size_t len;

	if (hpc_file_read(path, &text, &len, &e))
		fail_msg("%s", e->msg);
	c.channels = json_array();
	c.installed = json_object();
	hpc_request_init(&c.rq);
	for (int k = 0; k < 4; k++)
		hpc_strbuf_init(&c.expect[k]);
	parse(&c, text);
	load(&c, pool);
	outcome(&c, pool, timeout);
	for (int k = 0; k < 4; k++)
		hpc_strbuf_release(&c.expect[k]);
	hpc_request_fini(&c.rq);
	hpc_vpkgs_fini(&c.vp);
	json_decref(c.channels);
	json_decref(c.installed);
	free(text);
	tu_pool_free(pool);
}
