/* SPDX-License-Identifier: MIT */
/* envsolve.c - channels, pool, request and solve for create/install/update/remove
 * (see hpcenv/envsolve.h)
 *
 * This is glue: every piece is another noun's (channel.c, pool_open.c, request.c,
 * solver.c, solution.c, envexport.c reads the history). What is decided here is how the
 * pieces meet, the way conda and micromamba put them together.
 */
#include <stdlib.h>
#include <string.h>

#include <solv/pool.h>

#include "hpcenv/envexport.h"
#include "hpcenv/envsolve.h"
#include "hpcenv/error.h"
#include "hpcenv/matchspec.h"
#include "hpcenv/pool.h"
#include "hpcenv/problems.h"
#include "hpcenv/solver.h"
#include "matchspec_int.h"

void hpc_envsolve_fini(struct hpc_envsolve *es)
{
	for (size_t i = 0; i < es->nlink; i++) {
		hpc_record_fini(&es->link[i]);
		free(es->link_spec[i]);
	}
	for (size_t i = 0; i < es->nunlink; i++)
		hpc_record_fini(&es->unlink[i]);
	free(es->link);
	free(es->link_spec);
	free(es->unlink);
	hpc_strv_fini(&es->specs);
	hpc_problems_free(es->problems);
	memset(es, 0, sizeof(*es));
}

/* "conda-forge::numpy" and "conda-forge/linux-64::numpy" name a channel to search too. */
static void spec_channels(const struct hpc_strv *specs, struct hpc_strv *out)
{
	for (size_t i = 0; specs && i < specs->n; i++) {
		struct hpc_matchspec *ms = hpc_matchspec_parse(specs->v[i], NULL);

		if (ms && ms->channel && ms->subdir) {
			char *ch = hpc_xasprintf("%s/%s", ms->channel, ms->subdir);

			hpc_strv_push_unique(out, ch);
			free(ch);
		} else if (ms && ms->channel) {
			hpc_strv_push_unique(out, ms->channel);
		}
		if (ms) /* a bad spec is reported where the request is built */
			hpc_matchspec_free(ms);
	}
}

static int channels(const struct hpc_config *cfg, const struct hpc_envsolve_options *o,
		    struct hpc_channel_list *out, struct hpc_error **err)
{
	struct hpc_strv cli = HPC_STRV_INIT, tail = HPC_STRV_INIT;
	const struct hpc_strv *conf = hpc_config_get_list(cfg, "channels");
	bool override = o->override_channels;
	int r;

	for (size_t i = 0; o->channels && i < o->channels->n; i++)
		hpc_strv_push_unique(&cli, o->channels->v[i]);
	for (size_t i = 0; o->file && i < o->file->channels.n; i++) {
		if (!strcmp(o->file->channels.v[i], "nodefaults"))
			override = true;
		else
			hpc_strv_push_unique(&cli, o->file->channels.v[i]);
	}
	/* a spec's own channel comes after all others, as conda adds it: it serves the
	 * packages that name it without taking over their dependencies */
	spec_channels(o->specs, &tail);
	if (o->file)
		spec_channels(&o->file->specs, &tail);
	/* --override-channels or "nodefaults" with nothing else is no channel at all, as in
	 * conda (an error, unless specs name their channels) */
	if (!cli.n && tail.n && (!conf || !conf->n || override))
		r = hpc_channel_list_append(out, cfg, &tail, err);
	else
		r = hpc_channel_list_resolve(out, cfg, &cli, override, err);
	if (!r)
		r = hpc_channel_list_append(out, cfg, &tail, err);
	hpc_strv_fini(&cli);
	hpc_strv_fini(&tail);
	return r;
}

static enum hpc_job_kind job_kind(enum hpc_envsolve_kind k)
{
	return k == HPC_ENVSOLVE_UPDATE ? HPC_JOB_UPDATE
	       : k == HPC_ENVSOLVE_REMOVE ? HPC_JOB_REMOVE : HPC_JOB_INSTALL;
}

static bool names(const struct hpc_request *rq, const char *spec)
{
	struct hpc_matchspec *ms = hpc_matchspec_parse(spec, NULL);
	bool hit = false;

	for (size_t i = 0; ms && i < rq->njobs && !hit; i++)
		hit = rq->jobs[i].kind <= HPC_JOB_REMOVE && !strcmp(rq->jobs[i].ms->name, ms->name);
	if (ms)
		hpc_matchspec_free(ms);
	return hit;
}

/* What the user asked for before stays asked for: installed packages a history spec
 * names are kept when pruning (conda's requested specs). */
static int keep_history(struct hpc_request *rq, const char *prefix, struct hpc_strv *asked,
			struct hpc_error **err)
{
	struct hpc_envexport_options xo = { .from_history = true };
	struct hpc_envexport x;
	int r = hpc_envexport_read(&x, prefix, &xo, err);

	for (size_t i = 0; !r && i < x.dependencies.n; i++) {
		const char *spec = x.dependencies.v[i];

		/* conda skips what it cannot parse as well */
		if (names(rq, spec) ||
		    !hpc_request_add(rq, HPC_JOB_KEEP, spec, "conda-meta/history", NULL))
			hpc_strv_push(asked, spec);
	}
	hpc_envexport_fini(&x);
	return r;
}

static int build_request(const struct hpc_config *cfg, const struct hpc_envsolve_options *o,
			 struct hpc_request *rq, struct hpc_strv *asked, struct hpc_envsolve *out,
			 struct hpc_error **err)
{
	int r = hpc_request_configure(rq, cfg, err);

	rq->update_all = o->update_all;
	rq->no_deps = o->no_deps;
	for (size_t i = 0; !r && o->specs && i < o->specs->n; i++) {
		/* a bad spec of the command line: the parser's one line says it all */
		struct hpc_matchspec *ms = hpc_matchspec_parse(o->specs->v[i], err);

		if (!ms)
			return -HPC_E_SPEC;
		hpc_matchspec_free(ms);
		r = hpc_request_add(rq, job_kind(o->kind), o->specs->v[i], "command line", err);
		hpc_strv_push(&out->specs, o->specs->v[i]);
	}
	if (!r && o->file) {
		r = hpc_envfile_to_request(o->file, rq, err);
		for (size_t i = 0; !r && i < o->file->specs.n; i++)
			hpc_strv_push(&out->specs, o->file->specs.v[i]);
	}
	if (!r && o->kind != HPC_ENVSOLVE_CREATE)
		r = hpc_request_read_pinned(rq, o->prefix, err);
	if (!r && o->kind != HPC_ENVSOLVE_CREATE)
		r = keep_history(rq, o->prefix, asked, err);
	return r;
}

static int pool_record(void *ud, Pool *pool, Id p, struct hpc_record *out,
		       struct hpc_error **err)
{
	(void)pool;
	return hpc_pool_record(ud, p, out, err);
}

/* The spec a linked package was asked for by: this command's, else an earlier one's. */
static char *asked_by(const struct hpc_request *rq, const struct hpc_strv *asked,
		      const char *name)
{
	for (size_t i = 0; i < rq->njobs; i++)
		if ((rq->jobs[i].kind == HPC_JOB_INSTALL || rq->jobs[i].kind == HPC_JOB_UPDATE) &&
		    hpc_matchspec_match_name(rq->jobs[i].ms, name))
			return hpc_xstrdup(rq->jobs[i].spec);
	for (size_t i = 0; i < asked->n; i++) {
		struct hpc_matchspec *ms = hpc_matchspec_parse(asked->v[i], NULL);
		bool hit = ms && hpc_matchspec_match_name(ms, name);

		if (ms)
			hpc_matchspec_free(ms);
		if (hit)
			return hpc_xstrdup(asked->v[i]);
	}
	return NULL;
}

static int take(struct hpc_pool *p, const struct hpc_solution *sol,
		const struct hpc_request *rq, const struct hpc_strv *asked,
		struct hpc_envsolve *out, struct hpc_error **err)
{
	struct hpc_record_source src = { pool_record, p };
	int r = hpc_solution_records(sol, &sol->link, &src, &out->link, &out->nlink, err);

	if (!r)
		r = hpc_solution_records(sol, &sol->unlink, &src, &out->unlink, &out->nunlink,
					 err);
	out->link_spec = hpc_xcalloc(out->nlink + 1, sizeof(char *));
	for (size_t i = 0; !r && i < out->nlink; i++)
		out->link_spec[i] = asked_by(rq, asked, out->link[i].name);
	return r;
}

/* `create` without a spec makes an empty environment (as conda and micromamba do, and as an
 * exported empty environment comes back): no channel is needed for it */
static bool creates_empty(const struct hpc_envsolve_options *o)
{
	return o->kind == HPC_ENVSOLVE_CREATE && (!o->specs || !o->specs->n) &&
	       (!o->file || !o->file->specs.n);
}

static int solve(struct hpc_pool *p, const struct hpc_config *cfg,
		 const struct hpc_envsolve_options *o, const struct hpc_events *ev,
		 struct hpc_envsolve *out, struct hpc_error **err)
{
	struct hpc_request rq;
	struct hpc_strv asked = HPC_STRV_INIT;
	struct hpc_solution *sol = NULL;
	int r;

	hpc_request_init(&rq);
	r = build_request(cfg, o, &rq, &asked, out, err);
	if (!r && !rq.njobs && !rq.update_all && !creates_empty(o))
		r = HPC_FAIL(err, USAGE, "nothing to do: no specs given");
	if (!r && creates_empty(o))
		goto out;
	if (!r)
		r = hpc_solver_solve(hpc_pool_libsolv(p), &rq, ev, &sol, &out->problems, err);
	if (!r)
		r = take(p, sol, &rq, &asked, out, err);
out:
	hpc_solution_free(sol);
	hpc_strv_fini(&asked);
	hpc_request_fini(&rq);
	return r;
}

int hpc_envsolve_run(const struct hpc_config *cfg, const struct hpc_envsolve_options *o,
		     const struct hpc_events *ev, struct hpc_envsolve *out, struct hpc_error **err)
{
	struct hpc_channel_list chans;
	struct hpc_pool_open_opts po = {
		.platform = o->platform, .flags = o->pool_flags, .host = o->host, .envp = o->envp,
		.prefix = o->kind == HPC_ENVSOLVE_CREATE ? NULL : o->prefix,
	};
	struct hpc_pool *p = NULL;
	int r;

	memset(out, 0, sizeof(*out));
	hpc_channel_list_init(&chans);
	/* removing needs the environment only: no repodata, works offline (micromamba's
	 * remove does not look at channels either) */
	r = o->kind == HPC_ENVSOLVE_REMOVE || creates_empty(o) ? 0 : channels(cfg, o, &chans, err);
	po.channels = &chans;
	if (!r)
		r = hpc_pool_open(cfg, &po, ev, &p, err);
	if (!r)
		r = solve(p, cfg, o, ev, out, err);
	hpc_pool_free(p);
	hpc_channel_list_fini(&chans);
	return r;
}
