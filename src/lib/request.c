/* SPDX-License-Identifier: MIT */
/* request.c - what a solve is asked for: specs with their origins, pins from configuration
 * and conda-meta/pinned, and the solve's settings (see hpcenv/solver.h) */
#include <stdlib.h>
#include <string.h>

#include "hpcenv/config.h"
#include "hpcenv/error.h"
#include "hpcenv/matchspec.h"
#include "hpcenv/solver.h"

void hpc_request_init(struct hpc_request *rq)
{
	memset(rq, 0, sizeof(*rq));
	rq->priority = HPC_PRIORITY_FLEXIBLE;
	rq->prune = true;
}

void hpc_request_fini(struct hpc_request *rq)
{
	for (size_t i = 0; i < rq->njobs; i++) {
		free(rq->jobs[i].spec);
		free(rq->jobs[i].origin);
		hpc_matchspec_free(rq->jobs[i].ms);
	}
	free(rq->jobs);
	hpc_request_init(rq);
}

int hpc_request_add(struct hpc_request *rq, enum hpc_job_kind kind, const char *spec,
		    const char *origin, struct hpc_error **err)
{
	struct hpc_error *e = NULL;
	struct hpc_matchspec *ms = hpc_matchspec_parse(spec, &e);
	struct hpc_job *j;

	if (!ms) {
		/* one line that says both where and what: "conda-meta/pinned:2: invalid spec…" */
		int r = origin ? HPC_FAIL(err, SPEC, "%s: %s", origin, e->msg)
			       : HPC_FAIL(err, SPEC, "%s", e->msg);

		hpc_error_free(e);
		return r;
	}
	if (rq->njobs == rq->alloc) {
		rq->alloc = rq->alloc ? 2 * rq->alloc : 8;
		rq->jobs = hpc_xrealloc(rq->jobs, rq->alloc * sizeof(*rq->jobs));
	}
	j = &rq->jobs[rq->njobs++];
	j->kind = kind;
	j->spec = hpc_xstrdup(spec);
	j->origin = origin ? hpc_xstrdup(origin) : NULL;
	j->ms = ms;
	return 0;
}

int hpc_request_configure(struct hpc_request *rq, const struct hpc_config *cfg,
			  struct hpc_error **err)
{
	const char *prio = hpc_config_get_str(cfg, "channel_priority");
	const struct hpc_strv *pins = hpc_config_get_list(cfg, "pinned_packages");

	if (prio && !strcmp(prio, "strict"))
		rq->priority = HPC_PRIORITY_STRICT;
	else if (prio && !strcmp(prio, "disabled"))
		rq->priority = HPC_PRIORITY_DISABLED;
	else
		rq->priority = HPC_PRIORITY_FLEXIBLE;
	rq->timeout = hpc_config_get_float(cfg, "solver_timeout");
	for (size_t i = 0; i < pins->n; i++) {
		int r = hpc_request_add(rq, HPC_JOB_PIN, pins->v[i], "pinned_packages", err);

		if (r < 0)
			return r;
	}
	return 0;
}

int hpc_request_read_pinned(struct hpc_request *rq, const char *prefix,
			    struct hpc_error **err)
{
	char *path = hpc_path_join(prefix, "conda-meta/pinned"), *text = NULL, *line, *nl;
	int r = 0, lineno = 0;
	size_t len;

	if (!hpc_path_exists(path))
		goto out;
	if ((r = hpc_file_read(path, &text, &len, err)) < 0)
		goto out;
	for (line = text; line && *line && r == 0; line = nl) {
		char *hash, *origin;

		if ((nl = strchr(line, '\n')))
			*nl++ = '\0';
		lineno++;
		if ((hash = strchr(line, '#')))
			*hash = '\0';
		if (!*hpc_str_trim(line))
			continue;
		origin = hpc_xasprintf("%s:%d", path, lineno);
		r = hpc_request_add(rq, HPC_JOB_PIN, line, origin, err);
		free(origin);
	}
out:
	free(text);
	free(path);
	return r;
}

char *hpc_request_specs_str(const struct hpc_request *rq)
{
	struct hpc_strv v = HPC_STRV_INIT;
	char *s;

	for (size_t i = 0; i < rq->njobs; i++)
		if (rq->jobs[i].kind <= HPC_JOB_REMOVE)
			hpc_strv_push(&v, rq->jobs[i].spec);
	if (rq->update_all)
		hpc_strv_push(&v, "--all");
	s = hpc_strv_join(&v, ", ");
	hpc_strv_fini(&v);
	return s;
}

