/* SPDX-License-Identifier: MIT */
/* verify.c - hpcenv verify: the target, the run of every section, checks and findings
 *
 * The sections live in their own files (verify_blas.c, verify_peak.c, verify_bench.c,
 * verify_numpy.c, verify_mpi.c, verify_launch.c, verify_ref.c); this file owns the model
 * they fill (checks, findings, overall status) and runs the target python for them.
 */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "hpcenv/util.h"
#include "hpcenv/verify.h"
#include "verify_int.h"

#define DEFAULT_TIMEOUT 120.0

static const char *const status_names[] = { "pass", "skip", "warn", "fail" };

const char *hpc_verify_status_name(enum hpc_verify_status s)
{
	return (unsigned)s < 4 ? status_names[s] : "unknown";
}

/* ---- target ---- */

static char *search_path(const char *name)
{
	struct hpc_strv dirs = HPC_STRV_INIT;
	const char *path = getenv("PATH");
	char *found = NULL;

	hpc_strv_split(&dirs, path ? path : "/usr/bin:/bin", ":");
	for (size_t i = 0; i < dirs.n && !found; i++) {
		char *p = hpc_path_join(dirs.v[i], name);

		if (access(p, X_OK) == 0)
			found = p;
		else
			free(p);
	}
	hpc_strv_fini(&dirs);
	return found;
}

static char *absolute(const char *p)
{
	char cwd[PATH_MAX];

	if (p[0] == '/' || !getcwd(cwd, sizeof(cwd)))
		return hpc_xstrdup(p);
	return hpc_path_join(cwd, p);
}

/* A python inside a conda environment sits in PREFIX/bin next to PREFIX/conda-meta. */
static char *env_of_python(const char *python)
{
	char *dir = hpc_xstrdup(python), *slash = strrchr(dir, '/'), *meta = NULL, *out = NULL;

	if (slash) {
		*slash = '\0';
		slash = strrchr(dir, '/');
	}
	if (slash) {
		*slash = '\0';
		meta = hpc_path_join(*dir ? dir : "/", "conda-meta");
		if (hpc_is_dir(meta))
			out = hpc_xstrdup(*dir ? dir : "/");
	}
	free(meta);
	free(dir);
	return out;
}

int hpc_verify_target(const char *prefix, const char *python, char **python_out,
		      char **prefix_out, struct hpc_error **err)
{
	char *py = NULL;

	*python_out = *prefix_out = NULL;
	if (!python && !prefix)
		return HPC_FAIL(err, USAGE, "no target: use -n NAME, -p PREFIX or --python PATH "
					    "(or activate an environment)");
	if (python) {
		py = strchr(python, '/') ? absolute(python) : search_path(python);
		if (!py || access(py, X_OK) != 0) {
			free(py);
			return HPC_FAIL(err, USAGE, "--python '%s' is not an executable file",
					python);
		}
		*prefix_out = env_of_python(py);
		*python_out = py;
		return 0;
	}
	for (int i = 0; i < 2 && !py; i++) {
		py = hpc_path_join(prefix, i ? "bin/python3" : "bin/python");
		if (access(py, X_OK) != 0) {
			free(py);
			py = NULL;
		}
	}
	if (!py)
		return HPC_FAIL(err, NOTFOUND, "no python in environment '%s' (bin/python)",
				prefix);
	*python_out = py;
	*prefix_out = hpc_xstrdup(prefix);
	return 0;
}

/* ---- model ---- */

struct hpc_verify *hpc_verify_new(const struct hpc_verify_opts *o)
{
	struct hpc_verify *v = hpc_xcalloc(1, sizeof(*v));

	v->opts = *o;
	v->python = hpc_xstrdup(o->python);
	v->prefix = o->prefix ? hpc_xstrdup(o->prefix) : NULL;
	v->hostfile = o->hostfile ? hpc_xstrdup(o->hostfile) : NULL;
	v->launcher = hpc_xstrdup(o->launcher ? o->launcher : "mpiexec");
	v->opts.python = v->python;
	v->opts.prefix = v->prefix;
	v->opts.hostfile = v->hostfile;
	v->opts.launcher = v->launcher;
	v->blas_asked = o->blas;
	v->mpi_asked = o->mpi;
	if (!v->opts.blas && !v->opts.mpi)
		v->opts.blas = v->opts.mpi = true;
	if (v->opts.np <= 0)
		v->opts.np = 2;
	v->blas.primary = -1;
	return v;
}

static void free_checks(struct hpc_verify *v)
{
	for (size_t i = 0; i < v->nchecks; i++) {
		free(v->checks[i].id);
		free(v->checks[i].section);
		free(v->checks[i].summary);
	}
	free(v->checks);
	for (size_t i = 0; i < v->nfindings; i++) {
		free(v->findings[i].id);
		free(v->findings[i].check);
		free(v->findings[i].message);
		free(v->findings[i].remedy);
	}
	free(v->findings);
}

static void free_results(struct hpc_verify *v)
{
	for (size_t i = 0; i < v->nbench; i++)
		hpc_verify_bench_fini(&v->bench[i]);
	free(v->bench);
	free(v->cost.core_in_use);
	free(v->cost.core_best);
	for (size_t i = 0; i < v->nnpops; i++) {
		free(v->npops[i].name);
		free(v->npops[i].shape);
	}
	free(v->npops);
	for (size_t i = 0; i < v->nrefres; i++) {
		free(v->refres[i].metric);
		free(v->refres[i].unit);
		free(v->refres[i].where);
	}
	free(v->refres);
}

void hpc_verify_free(struct hpc_verify *v)
{
	if (!v)
		return;
	hpc_verify_blas_fini(&v->blas);
	hpc_verify_mpi_fini(&v->mpi);
	free_results(v);
	free_checks(v);
	hpc_verify_refs_free(v->opts.refs);
	free(v->python);
	free(v->prefix);
	free(v->hostfile);
	free(v->launcher);
	free(v->started);
	free(v);
}

static struct hpc_verify_check *find_check(const struct hpc_verify *v, const char *id)
{
	for (size_t i = 0; i < v->nchecks; i++)
		if (!strcmp(v->checks[i].id, id))
			return &v->checks[i];
	return NULL;
}

const struct hpc_verify_check *hpc_verify_check_get(const struct hpc_verify *v, const char *id)
{
	return find_check(v, id);
}

struct hpc_verify_check *hpc_verify_check_set(struct hpc_verify *v, const char *id,
					      const char *section, enum hpc_verify_status st,
					      const char *fmt, ...)
{
	struct hpc_verify_check *c = find_check(v, id);
	va_list ap;
	char *text;

	va_start(ap, fmt);
	if (vasprintf(&text, fmt, ap) < 0)
		abort();
	va_end(ap);
	if (!c) {
		v->checks = hpc_xrealloc(v->checks, (v->nchecks + 1) * sizeof(*v->checks));
		c = &v->checks[v->nchecks++];
		memset(c, 0, sizeof(*c));
		c->id = hpc_xstrdup(id);
		c->section = hpc_xstrdup(section);
		c->status = st;
	} else if (st > c->status) {
		c->status = st;
	}
	free(c->summary);
	c->summary = text;
	return c;
}

void hpc_verify_find(struct hpc_verify *v, const char *check, const char *id,
		     enum hpc_verify_status st, bool measured, const char *remedy,
		     const char *fmt, ...)
{
	struct hpc_verify_finding *f;
	struct hpc_verify_check *c = find_check(v, check);
	va_list ap;

	v->findings = hpc_xrealloc(v->findings, (v->nfindings + 1) * sizeof(*v->findings));
	f = &v->findings[v->nfindings++];
	memset(f, 0, sizeof(*f));
	va_start(ap, fmt);
	if (vasprintf(&f->message, fmt, ap) < 0)
		abort();
	va_end(ap);
	f->id = hpc_xstrdup(id);
	f->check = hpc_xstrdup(check);
	f->status = st;
	f->measured = measured;
	f->remedy = hpc_xstrdup(remedy ? remedy : "");
	if (c && st > c->status)
		c->status = st;
}

const struct hpc_verify_finding *hpc_verify_finding_get(const struct hpc_verify *v,
							 const char *id)
{
	for (size_t i = 0; i < v->nfindings; i++)
		if (!strcmp(v->findings[i].id, id))
			return &v->findings[i];
	return NULL;
}

void hpc_verify_finding_append(struct hpc_verify *v, const char *id, const char *fmt, ...)
{
	va_list ap;
	char *more, *joined;

	for (size_t i = 0; i < v->nfindings; i++) {
		if (strcmp(v->findings[i].id, id))
			continue;
		va_start(ap, fmt);
		if (vasprintf(&more, fmt, ap) < 0)
			abort();
		va_end(ap);
		joined = hpc_xasprintf("%s%s", v->findings[i].message, more);
		free(more);
		free(v->findings[i].message);
		v->findings[i].message = joined;
		return;
	}
}

/* ---- helpers for the sections ---- */

double hpc_verify_timeout(const struct hpc_verify *v)
{
	return v->opts.timeout > 0 ? v->opts.timeout : DEFAULT_TIMEOUT;
}

char *hpc_verify_jstr(json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	return s ? hpc_xstrdup(s) : NULL;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

void hpc_verify_stats(double *vals, int n, double *median, double *min, double *max)
{
	if (n <= 0) {
		*median = *min = *max = 0;
		return;
	}
	qsort(vals, (size_t)n, sizeof(*vals), cmp_double);
	*min = vals[0];
	*max = vals[n - 1];
	*median = n % 2 ? vals[n / 2] : (vals[n / 2 - 1] + vals[n / 2]) / 2;
}

void hpc_verify_step(const struct hpc_events *ev, const char *id, const char *label, bool done)
{
	struct hpc_progress p = { .id = id, .label = label, .total = 1, .done = done,
				  .state = done ? HPC_PROGRESS_DONE : HPC_PROGRESS_START };

	hpc_progress_emit(ev, &p);
}

char *hpc_verify_last_line(const char *text)
{
	const char *end, *start;

	if (!text)
		return hpc_xstrdup("");
	end = text + strlen(text);
	while (end > text && (end[-1] == '\n' || end[-1] == ' ' || end[-1] == '\r'))
		end--;
	start = end;
	while (start > text && start[-1] != '\n')
		start--;
	return hpc_xstrndup(start, (size_t)(end - start));
}

static bool dashes(const char *line)
{
	return strlen(line) >= 8 && strspn(line, "-") == strlen(line);
}

/* "Framework:  pml" -> "Framework: pml"; NULL when the line is not "Key: value" (the
 * host name is left out: it is the same everywhere). */
static char *key_value(const char *line)
{
	size_t k = strspn(line, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789 _");
	const char *val = line + k + 1;

	if (!k || k > 24 || line[k] != ':' || hpc_str_startswith(line, "Host:") ||
	    hpc_str_startswith(line, "Local host:"))
		return NULL;
	val += strspn(val, " \t");
	return *val ? hpc_xasprintf("%.*s: %s", (int)k, line, val) : NULL;
}

/* Open MPI frames its errors in dashed boxes and ends with a generic "MPI_ERRORS_ARE_FATAL"
 * tail: the first sentence of the first box and its "Key: value" lines say what failed. */
static char *help_box(const struct hpc_strv *l)
{
	struct hpc_strbuf text = HPC_STRBUF_INIT, keys = HPC_STRBUF_INIT;
	size_t i = 0;
	char *end, *r;

	while (i < l->n && !dashes(l->v[i]))
		i++;
	for (i++; i < l->n && !dashes(l->v[i]); i++) {
		char *kv = key_value(l->v[i]);

		if (kv)
			hpc_strbuf_addf(&keys, "%s%s", keys.len ? ", " : "", kv);
		else if (!keys.len)
			hpc_strbuf_addf(&text, "%s%s", text.len ? " " : "", l->v[i]);
		free(kv);
	}
	end = text.len ? strstr(text.buf, ". ") : NULL;
	if (end)
		*end = '\0';
	else if (text.len && text.buf[text.len - 1] == '.')
		text.buf[text.len - 1] = '\0';
	r = !text.len ? NULL : keys.len ? hpc_xasprintf("%s (%s)", text.buf, keys.buf)
					  : hpc_xstrdup(text.buf);
	hpc_strbuf_release(&text);
	hpc_strbuf_release(&keys);
	return r;
}

char *hpc_verify_error_line(const char *text)
{
	struct hpc_strv l = HPC_STRV_INIT;
	char *r = NULL;

	hpc_strv_split(&l, text ? text : "", "\n");
	for (size_t i = 0; i < l.n && !r; i++)
		if (strstr(l.v[i], "Fatal error in ")) /* MPICH */
			r = hpc_xstrdup(l.v[i]);
	if (!r)
		r = help_box(&l);
	hpc_strv_fini(&l);
	return r ? r : hpc_verify_last_line(text);
}

json_t *hpc_verify_last_json(const char *text)
{
	const char *p = text ? text + strlen(text) : NULL;

	while (p && p > text) {
		const char *end = p, *start;
		json_t *j;

		while (end > text && end[-1] == '\n')
			end--;
		start = end;
		while (start > text && start[-1] != '\n')
			start--;
		if (start < end && *start == '{') {
			/* some C strings reach python with their NUL (MPI_Get_library_version) */
			j = json_loadb(start, (size_t)(end - start), JSON_ALLOW_NUL, NULL);
			if (json_is_object(j))
				return j;
			json_decref(j);
		}
		p = start;
	}
	return NULL;
}

int hpc_verify_python(const struct hpc_verify *v, const char *script, const char *const *args,
		      const char *const *env_set, const char *const *env_unset, double timeout,
		      const struct hpc_events *ev, json_t **out, struct hpc_error **err)
{
	const char *argv[32] = { v->python, "-c", script };
	struct hpc_verify_proc p = { .argv = argv, .env_set = env_set, .env_unset = env_unset,
				     .timeout = timeout, .ev = ev };
	size_t n = 3;
	char *last;
	int r;

	for (; args && *args && n < 31; args++)
		argv[n++] = *args;
	*out = NULL;
	r = hpc_verify_proc_run(&p, err);
	if (r)
		return r;
	*out = hpc_verify_last_json(p.out);
	if (!*out) {
		last = hpc_verify_error_line(p.err);
		if (p.timed_out)
			r = HPC_FAIL(err, TIMEOUT, "'%s' did not answer within %.0f s", v->python,
				     timeout);
		else
			r = HPC_FAIL(err, VERIFY, "'%s' failed (exit %d): %s", v->python, p.status,
				     *last ? last : "no JSON result on its output");
		free(last);
	}
	hpc_verify_proc_fini(&p);
	return r;
}

/* ---- the run ---- */

static void set_started(struct hpc_verify *v)
{
	char buf[32];
	time_t t = time(NULL);
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm);
	free(v->started);
	v->started = hpc_xstrdup(buf);
}

static int run_blas(struct hpc_verify *v, const struct hpc_events *ev, struct hpc_error **err)
{
	int r = hpc_verify_blas_probe(v, ev, err);

	if (r)
		return r;
	hpc_verify_blas_judge(v);
	if (v->blas.error)
		return 0;
	r = hpc_verify_peak_measure(&v->peak, v->opts.mode, ev, err);
	if (!r)
		hpc_verify_check_set(v, "cpu.peak", "cpu", HPC_VERIFY_PASS,
				     "%.1f GFLOP/s per core, %.1f on %d cores (double, %s)",
				     v->peak.dp_core, v->peak.dp_all, v->peak.cores, v->peak.isa);
	if (!r)
		r = hpc_verify_bench_run(v, ev, err);
	if (!r)
		r = hpc_verify_numpy_run(v, ev, err);
	return r;
}

static int run_mpi(struct hpc_verify *v, const struct hpc_events *ev, struct hpc_error **err)
{
	int r = hpc_verify_mpi_probe(v, ev, err);

	if (!r && v->mpi.present)
		r = hpc_verify_launch_run(v, ev, err);
	return r;
}

int hpc_verify_run(struct hpc_verify *v, const struct hpc_events *ev, struct hpc_error **err)
{
	double t0 = hpc_now();
	int r;

	set_started(v);
	r = hpc_verify_peak_topology(&v->peak, err);
	if (!r)
		hpc_verify_check_set(v, "cpu.topology", "cpu", HPC_VERIFY_PASS,
				     "%s, %d cores, x86-64-v%d", v->peak.cpu.brand, v->peak.cores,
				     v->peak.cpu.x86_level);
	if (!r && v->opts.blas)
		r = run_blas(v, ev, err);
	if (!r && v->opts.mpi)
		r = run_mpi(v, ev, err);
	if (r)
		return hpc_error_wrap(err, r, "while verifying '%s'", v->python);
	hpc_verify_refs_apply(v);
	v->status = HPC_VERIFY_PASS;
	for (size_t i = 0; i < v->nchecks; i++)
		if (v->checks[i].status == HPC_VERIFY_FAIL ||
		    (v->checks[i].status == HPC_VERIFY_WARN && v->status != HPC_VERIFY_FAIL))
			v->status = v->checks[i].status;
	v->seconds = hpc_now() - t0;
	return 0;
}
