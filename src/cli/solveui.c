/* SPDX-License-Identifier: MIT */
/* solveui.c - solve, show, ask, apply: what create SPEC, install, update and remove share
 *
 * The library works the change out (envsolve.h); this shows it the way micromamba does,
 * asks, and hands it to a transaction (transaction.h) whose download hook fetches what
 * the cache lacks. --dry-run stops after showing: no transaction is opened, no package
 * downloaded, the environment is not touched.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "txnui.h"

/* Command-line settings go into the configuration, where the library reads them. */
static int configure(struct hpc_session *s, const struct hpc_ui_solve *so,
		     struct hpc_error **err)
{
	char *end = NULL;
	double secs = so->timeout ? strtod(so->timeout, &end) : 0;
	int r = 0;

	/* !(secs >= 0) also catches "nan"; "inf" is not a number of seconds either */
	if (so->timeout && (!(secs >= 0) || !isfinite(secs) || end == so->timeout || *end))
		return HPC_FAIL(err, USAGE, "--solver-timeout '%s': expected seconds (0: no "
				"limit)", so->timeout);
	if (so->priority && strcmp(so->priority, "strict") && strcmp(so->priority, "flexible") &&
	    strcmp(so->priority, "disabled"))
		return HPC_FAIL(err, USAGE, "--channel-priority '%s': use strict, flexible or "
				"disabled", so->priority);
	if (so->priority)
		r = hpc_config_set(s->cfg, "channel_priority", so->priority, err);
	if (!r && so->timeout)
		r = hpc_config_set(s->cfg, "solver_timeout", so->timeout, err);
	if (!r && so->copy)
		r = hpc_config_set(s->cfg, "always_copy", "true", err);
	return r;
}

/* Unsolvable: the explanation on stderr, or in the --json error document. */
static void show_problems(struct hpc_session *s, const struct hpc_envsolve *es)
{
	char *text;

	if (!es->problems)
		return;
	if (s->json) {
		s->out = hpc_problems_to_json(es->problems);
		json_object_set_new(s->out, "prefix", json_string(s->prefix));
		return;
	}
	text = hpc_problems_render_text(es->problems, s->tty ? 0 : HPC_RENDER_ASCII);
	hpc_render_flush(s);
	fputs(text, stderr);
	fflush(stderr);
	free(text);
}

static void es_plan(const struct hpc_envsolve *es, struct hpc_txn_plan *plan)
{
	plan->link = hpc_xcalloc(es->nlink + 1, sizeof(*plan->link));
	plan->unlink = hpc_xcalloc(es->nunlink + 1, sizeof(*plan->unlink));
	for (size_t i = 0; i < es->nlink; i++)
		plan->link[i] = &es->link[i];
	for (size_t i = 0; i < es->nunlink; i++)
		plan->unlink[i] = &es->unlink[i];
	plan->nlink = es->nlink;
	plan->nunlink = es->nunlink;
}

static int apply(struct hpc_session *s, const struct hpc_envsolve_options *o,
		 const struct hpc_envsolve *es, struct hpc_cache *cache, struct hpc_error **err)
{
	bool create = o->kind == HPC_ENVSOLVE_CREATE;
	struct hpc_txn *t = NULL;
	char *cmd = NULL;
	int r = hpc_ui_txn_open(s, cache, create, o->platform, &t, &cmd, err);

	for (size_t i = 0; !r && i < es->nunlink; i++)
		r = hpc_txn_unlink(t, es->unlink[i].name, err);
	for (size_t i = 0; !r && i < es->nlink; i++)
		hpc_txn_link(t, &es->link[i], NULL, es->link_spec[i]);
	for (size_t i = 0; !r && i < es->specs.n; i++)
		hpc_txn_add_spec(t, o->kind == HPC_ENVSOLVE_REMOVE, es->specs.v[i]);
	r = r ? r : hpc_txn_prepare(t, &s->ev, err);
	r = r ? r : hpc_txn_commit(t, &s->ev, err);
	hpc_txn_free(t);
	free(cmd);
	return r;
}

static int show_and_apply(struct hpc_session *s, const struct hpc_ui_solve *so,
			  const struct hpc_envsolve_options *o, const struct hpc_envsolve *es,
			  struct hpc_error **err)
{
	struct hpc_cache *cache = NULL;
	struct hpc_txn_plan plan = { 0 };
	int r = hpc_ui_cache_open(s, &cache, err);

	if (r)
		return r;
	es_plan(es, &plan);
	hpc_ui_show_plan(s, &plan, &es->specs, o->kind == HPC_ENVSOLVE_REMOVE, cache);
	s->out = hpc_ui_plan_json(s->prefix, &plan, cache);
	json_object_set_new(s->out, "dry_run", json_boolean(so->dry_run));
	json_object_set_new(s->out, "success", json_true());
	if (!es->nlink && !es->nunlink && o->kind != HPC_ENVSOLVE_CREATE)
		r = 0; /* nothing to change, nothing to ask */
	else if ((r = hpc_ui_confirm(s, so->dry_run, err)) == 1)
		r = apply(s, o, es, cache, err);
	if (!r && !so->dry_run && o->kind == HPC_ENVSOLVE_CREATE)
		hpc_ui_created(s);
	if (r)
		json_object_set_new(s->out, "success", json_false());
	hpc_txn_plan_fini(&plan);
	hpc_cache_free(cache);
	return r;
}

int hpc_ui_solve_apply(struct hpc_session *s, const struct hpc_ui_solve *so,
		       struct hpc_envsolve_options *o, struct hpc_error **err)
{
	struct hpc_envsolve es;
	int r = configure(s, so, err);

	if (r)
		return r;
	o->prefix = s->prefix;
	o->platform = so->platform;
	o->channels = &s->channels;
	o->override_channels = s->override_channels;
	o->no_deps = so->no_deps;
	r = hpc_envsolve_run(s->cfg, o, &s->ev, &es, err);
	if (r == -HPC_E_SOLVE)
		show_problems(s, &es);
	if (!r)
		r = show_and_apply(s, so, o, &es, err);
	hpc_envsolve_fini(&es);
	return r;
}
