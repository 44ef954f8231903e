/* SPDX-License-Identifier: MIT */
/* verify.c - hpcenv verify: is the environment fast (BLAS) and correctly wired (MPI)
 * (docs/verify.md)
 *
 * Exit 0 when every check passed (warnings allowed), 1 when one failed, 2 on usage errors.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

struct verify_opts {
	const char *python, *launcher, *hostfile, *reference, *json, *junit, *plot;
	bool blas, mpi, quick, full;
	long np;
};

static const struct hpc_opt verify_table[] = {
	HPC_OPT_STR(0, "python", struct verify_opts, python, "PATH",
		    "check this python instead of an environment's"),
	HPC_OPT_BOOL(0, "blas", struct verify_opts, blas, "check numpy's BLAS (default: both)"),
	HPC_OPT_BOOL(0, "mpi", struct verify_opts, mpi, "check mpi4py and MPI (default: both)"),
	HPC_OPT_BOOL(0, "quick", struct verify_opts, quick,
		     "small sizes, few repeats (under a minute)"),
	HPC_OPT_BOOL(0, "full", struct verify_opts, full, "every size and thread count"),
	HPC_OPT_INT(0, "np", struct verify_opts, np, "N", "MPI ranks for the runs (default 2)"),
	HPC_OPT_STR(0, "launcher", struct verify_opts, launcher, "NAME",
		    "mpiexec (default) or srun"),
	HPC_OPT_STR(0, "hostfile", struct verify_opts, hostfile, "FILE",
		    "hostfile for the MPI runs"),
	HPC_OPT_STR(0, "reference", struct verify_opts, reference, "FILE",
		    "reference values (YAML, ReFrame-style bands)"),
	HPC_OPT_STR(0, "json", struct verify_opts, json, "FILE",
		    "write the full result as JSON"),
	HPC_OPT_STR(0, "junit", struct verify_opts, junit, "FILE", "write JUnit XML"),
	HPC_OPT_STR(0, "plot", struct verify_opts, plot, "FILE.svg",
		    "write an SVG plot of GFLOP/s against size"),
	HPC_OPT_END,
};

/* -n/-p given on the command line, not taken from the active environment */
static bool explicit_prefix(const struct hpc_session *s)
{
	const char *active = getenv("CONDA_PREFIX");

	return s->prefix && (s->env_name || !active || strcmp(s->prefix, active));
}

/* The MPI options: a launcher we know, a hostfile it can use. */
static int check_mpi_usage(const struct verify_opts *o, struct hpc_error **err)
{
	bool srun = o->launcher && !strcmp(o->launcher, "srun");

	if (o->np < 0 || o->np > 4096)
		return HPC_FAIL(err, USAGE, "--np must be between 1 and 4096, got %ld", o->np);
	if (o->launcher && !srun && strcmp(o->launcher, "mpiexec"))
		return HPC_FAIL(err, USAGE, "--launcher must be mpiexec or srun, got '%s'",
				o->launcher);
	if (o->hostfile && srun)
		return HPC_FAIL(err, USAGE, "--hostfile is for mpiexec: srun takes its hosts from "
					    "the Slurm allocation");
	if (o->hostfile && access(o->hostfile, R_OK) != 0)
		return HPC_FAIL(err, USAGE, "--hostfile '%s' cannot be read", o->hostfile);
	return 0;
}

static int check_usage(const struct verify_opts *o, struct hpc_session *s,
		       struct hpc_error **err)
{
	if (o->quick && o->full)
		return HPC_FAIL(err, USAGE, "give either --quick or --full, not both");
	if (o->python && explicit_prefix(s))
		return HPC_FAIL(err, USAGE, "give either --python or -n/-p, not both");
	if (o->plot && !hpc_str_endswith(o->plot, ".svg"))
		return HPC_FAIL(err, USAGE, "--plot writes SVG: give a FILE.svg, got '%s'",
				o->plot);
	return check_mpi_usage(o, err);
}

/* Write one report file atomically; NULL path = not asked for. */
static int write_report(const char *path, char *text, const char *what, struct hpc_error **err)
{
	int r = 0;

	if (path && text)
		r = hpc_file_write_atomic(path, text, strlen(text), 0644, err);
	if (r)
		r = hpc_error_wrap(err, r, "while writing the %s report", what);
	free(text);
	return r;
}

static int write_reports(const struct verify_opts *o, struct hpc_session *s,
			 const struct hpc_verify *v, struct hpc_error **err)
{
	char *json = o->json || s->json ? hpc_verify_report_json(v) : NULL;
	int r = 0;

	if (s->json && json)
		s->out = json_loads(json, 0, NULL);
	if (o->json)
		r = write_report(o->json, json, "JSON", err);
	else
		free(json);
	if (!r)
		r = write_report(o->junit, o->junit ? hpc_verify_report_junit(v) : NULL, "JUnit",
				 err);
	if (!r)
		r = write_report(o->plot, o->plot ? hpc_verify_report_svg(v) : NULL, "SVG", err);
	return r;
}

/* A bad reference file is a usage error (exit 2): exit 1 means the environment failed. */
static int load_refs(const char *path, struct hpc_verify_refs **refs, struct hpc_error **err)
{
	struct hpc_error *e = NULL;
	struct hpc_cpu cpu;
	char host[HOST_NAME_MAX + 1] = "";
	int r;

	if (!path)
		return 0;
	hpc_cpu_detect(&cpu);
	gethostname(host, sizeof(host) - 1);
	r = hpc_verify_refs_load(path, &cpu, host, refs, &e);
	if (r)
		r = HPC_FAIL(err, USAGE, "--reference: %s", hpc_error_root(e)->msg);
	hpc_error_free(e);
	return r;
}

/* One line per failed check for the error message (the report has the details). */
static char *failed_list(const struct hpc_verify *v)
{
	struct hpc_strv ids = HPC_STRV_INIT;
	char *s;

	for (size_t i = 0; i < v->nfindings; i++)
		if (v->findings[i].status == HPC_VERIFY_FAIL)
			hpc_strv_push_unique(&ids, v->findings[i].id);
	s = hpc_strv_join(&ids, ", ");
	hpc_strv_fini(&ids);
	return s;
}

static int verify_run(void *ctx, struct hpc_session *s, struct hpc_error **err)
{
	struct verify_opts *o = ctx;
	struct hpc_verify_opts vo = { .blas = o->blas, .mpi = o->mpi, .np = (int)o->np,
				      .np_given = o->np > 0, .launcher = o->launcher,
				      .hostfile = o->hostfile };
	struct hpc_verify *v = NULL;
	char *python = NULL, *prefix = NULL, *text, *failed;
	int r = check_usage(o, s, err);

	if (!r)
		r = hpc_verify_target(o->python ? NULL : s->prefix, o->python, &python, &prefix,
				      err);
	if (!r)
		r = load_refs(o->reference, &vo.refs, err);
	if (r)
		goto out;
	vo.python = python;
	vo.prefix = prefix;
	vo.mode = o->quick ? HPC_VERIFY_QUICK : o->full ? HPC_VERIFY_FULL : HPC_VERIFY_NORMAL;
	v = hpc_verify_new(&vo); /* owns vo.refs from here */
	r = hpc_verify_run(v, &s->ev, err);
	if (r)
		goto out;
	hpc_render_flush(s);
	if (!s->json && !s->quiet) {
		text = hpc_verify_report_text(v, s->color);
		fputs(text, stdout);
		fflush(stdout);
		free(text);
	}
	r = write_reports(o, s, v, err);
	if (!r && v->status == HPC_VERIFY_FAIL) {
		failed = failed_list(v);
		r = HPC_FAIL(err, VERIFY, "verification failed: %s", failed);
		free(failed);
	}
out:
	if (!v)
		hpc_verify_refs_free(vo.refs);
	hpc_verify_free(v);
	free(python);
	free(prefix);
	return r;
}

HPC_DEFINE_COMMAND(verify,
	.name = "verify",
	.summary = "check that numpy's BLAS is fast and mpi4py is wired to the right MPI",
	.details = "Targets the active environment, -n/-p, or --python PATH. Exit 0: all passed "
		   "(warnings allowed); 1: a check failed; 2: usage error.",
	.opts = verify_table,
	.ctx_size = sizeof(struct verify_opts),
	.needs = HPC_NEED_ANY_PREFIX,
	.min_args = 0, .max_args = 0, .run = verify_run)
