/* SPDX-License-Identifier: MIT */
/* verify_json.c - the verify result as JSON, every figure included (docs/verify.schema.json)
 *
 * Keys are stable (a cluster's CI compares runs); absent values are null, never omitted,
 * and non-finite numbers (an unbounded reference band) are null too.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "hpcenv/buildinfo.h"
#include "hpcenv/util.h"
#include "verify_int.h"

#define SCHEMA_ID "hpcenv-verify/1"

static json_t *jstr(const char *s)
{
	return s ? json_string(s) : json_null();
}

static json_t *jnum(double d)
{
	return isfinite(d) ? json_real(d) : json_null();
}

static json_t *jstrv(const struct hpc_strv *sv)
{
	json_t *a = json_array();

	for (size_t i = 0; i < sv->n; i++)
		json_array_append_new(a, json_string(sv->v[i]));
	return a;
}

static const char *mode_name(enum hpc_verify_mode m)
{
	return m == HPC_VERIFY_QUICK ? "quick" : m == HPC_VERIFY_FULL ? "full" : "normal";
}

static json_t *cpu_json(const struct hpc_verify_peak *p)
{
	json_t *feats = json_array();

	for (int f = 0; f < HPC_CPU__COUNT; f++)
		if (hpc_cpu_has(&p->cpu, f))
			json_array_append_new(feats, json_string(hpc_cpu_feature_name(f)));
	return json_pack("{s:s,s:s,s:i,s:i,s:i,s:i,s:i,s:i,s:i,s:I,s:I,s:b,s:o}",
			 "vendor", p->cpu.vendor, "brand", p->cpu.brand, "family", p->cpu.family,
			 "model", p->cpu.model, "x86_level", p->cpu.x86_level, "cores", p->cores,
			 "pus", p->pus, "packages", p->packages, "ncpus_allowed",
			 p->cpu.ncpus_allowed, "l2_bytes", (json_int_t)p->l2_bytes, "l3_bytes",
			 (json_int_t)p->l3_bytes, "hypervisor", p->cpu.hypervisor, "features",
			 feats);
}

static json_t *peak_json(const struct hpc_verify_peak *p)
{
	if (!p->measured)
		return json_null();
	return json_pack("{s:s,s:i,s:i,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:I,s:o}",
			 "isa", p->isa, "simd_bits", p->simd_bits, "fma_units", p->fma_units,
			 "clock_ghz", jnum(p->clock_ghz), "dp_core", jnum(p->dp_core), "sp_core",
			 jnum(p->sp_core), "dp_all", jnum(p->dp_all), "sp_all", jnum(p->sp_all),
			 "dp_theory_core", jnum(p->dp_theory_core), "dp_theory_all",
			 jnum(p->dp_theory_core * p->cores), "dp_flop_per_cycle",
			 jnum(p->dp_flop_per_cycle), "triad_one", jnum(p->triad_one), "triad_all",
			 jnum(p->triad_all), "triad_bytes", (json_int_t)p->triad_bytes,
			 "gemm_best", p->gemm_best > 0 ? jnum(p->gemm_best) : json_null());
}

static json_t *lib_json(const struct hpc_verify_lib *l)
{
	return json_pack("{s:s,s:s,s:s,s:s,s:o,s:o,s:o,s:o,s:o,s:o}", "path", l->path, "soname",
			 l->soname, "vendor", l->vendor, "role", l->role, "provider",
			 jstr(l->provider), "version", jstr(l->version), "config", jstr(l->config),
			 "corename", jstr(l->corename), "threading", jstr(l->threading), "threads",
			 l->threads >= 0 ? json_integer(l->threads) : json_null());
}

static json_t *env_json(const struct hpc_strv *env)
{
	json_t *o = json_object();

	for (size_t i = 0; i < env->n; i++) {
		const char *eq = strchr(env->v[i], '=');
		char *name;

		if (!eq)
			continue;
		name = hpc_xstrndup(env->v[i], (size_t)(eq - env->v[i]));
		json_object_set_new(o, name, json_string(eq + 1));
		free(name);
	}
	return o;
}

static json_t *blas_json(const struct hpc_verify *v)
{
	const struct hpc_verify_blas *b = &v->blas;
	json_t *libs, *ob = json_null();

	if (!v->opts.blas)
		return json_null();
	libs = json_array();
	for (size_t i = 0; i < b->nlibs; i++)
		json_array_append_new(libs, lib_json(&b->libs[i]));
	if (b->core_in_use)
		ob = json_pack("{s:b,s:s,s:o,s:o}", "dynamic_arch", b->dynamic_arch, "core_in_use",
			       b->core_in_use, "core_autodetect", jstr(b->core_autodetect),
			       "core_best", jstr(b->core_best));
	return json_pack("{s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:i,s:o}",
			 "error", jstr(b->error), "python_version", jstr(b->python_version),
			 "numpy_version", jstr(b->numpy_version), "numpy_path", jstr(b->numpy_path),
			 "numpy_config", jstr(b->numpy_config), "numpy_built", jstr(b->numpy_built),
			 "simd_baseline",
			 jstrv(&b->simd_baseline), "simd_dispatch", jstrv(&b->simd_dispatch),
			 "simd_found", jstrv(&b->simd_found), "env", env_json(&b->env), "libraries",
			 libs, "gemm_symbol", jstr(b->gemm_symbol), "gemm_path", jstr(b->gemm_path),
			 "primary", b->primary >= 0 ? json_integer(b->primary) : json_null(),
			 "providers", b->nproviders, "openblas", ob);
}

static json_t *bench_row(const struct hpc_verify_bench *b)
{
	bool run = !b->skipped;
	json_t *o = json_pack("{s:s,s:i,s:i,s:o,s:i}", "op", b->op, "n", b->n, "threads",
			      b->threads, "core", jstr(b->core), "reps", b->reps);

	json_object_set_new(o, "median", run ? jnum(b->median) : json_null());
	json_object_set_new(o, "min", run ? jnum(b->min) : json_null());
	json_object_set_new(o, "max", run ? jnum(b->max) : json_null());
	json_object_set_new(o, "spread", run && b->median > 0
						 ? jnum((b->max - b->min) / b->median)
						 : json_null());
	json_object_set_new(o, "gflops", run ? jnum(b->gflops) : json_null());
	json_object_set_new(o, "gbs", run && b->gbs > 0 ? jnum(b->gbs) : json_null());
	json_object_set_new(o, "pct", run && b->pct >= 0 ? jnum(b->pct) : json_null());
	json_object_set_new(o, "residual", run ? jnum(b->residual) : json_null());
	json_object_set_new(o, "ok", json_boolean(run && b->ok));
	json_object_set_new(o, "skipped", jstr(b->skipped));
	return o;
}

static json_t *bench_json(const struct hpc_verify *v)
{
	json_t *a = json_array();

	for (size_t i = 0; i < v->nbench; i++)
		json_array_append_new(a, bench_row(&v->bench[i]));
	return a;
}

static json_t *cost_json(const struct hpc_verify_cost *c)
{
	if (!c->measured)
		return json_null();
	return json_pack("{s:s,s:o,s:i,s:i,s:o,s:o}", "core_in_use", c->core_in_use, "core_best",
			 jstr(c->core_best), "n", c->n, "threads", c->threads, "gflops_in_use",
			 jnum(c->gflops_in_use), "gflops_best", jnum(c->gflops_best));
}

static json_t *npop_row(const struct hpc_verify_npop *o)
{
	json_t *row = json_pack("{s:s,s:s,s:i,s:o,s:o,s:o}", "name", o->name, "shape", o->shape,
				"reps", o->reps, "median", jnum(o->median), "min", jnum(o->min),
				"max", jnum(o->max));

	json_object_set_new(row, "spread", o->median > 0 ? jnum((o->max - o->min) / o->median)
							: json_null());
	json_object_set_new(row, "residual", jnum(o->residual));
	json_object_set_new(row, "ok", json_boolean(o->ok));
	return row;
}

static json_t *npops_json(const struct hpc_verify *v)
{
	json_t *a = json_array();

	for (size_t i = 0; i < v->nnpops; i++)
		json_array_append_new(a, npop_row(&v->npops[i]));
	return a;
}

static json_t *mpi_run_json(const struct hpc_verify_mpi *m)
{
	if (!m->ran)
		return json_null();
	return json_pack("{s:o,s:i,s:i,s:i,s:b,s:b,s:o,s:o,s:o,s:o,s:o,s:i}", "command",
			 jstr(m->run_command), "np", m->np, "hellos", m->hellos, "size_seen",
			 m->size_seen, "all_singletons", m->all_singletons, "ring_ok", m->ring_ok,
			 "ring_seconds", m->ring_ok ? jnum(m->ring_seconds) : json_null(),
			 "latency_us", m->latency_us > 0 ? jnum(m->latency_us) : json_null(),
			 "bandwidth_mbs", m->bandwidth_mbs > 0 ? jnum(m->bandwidth_mbs)
							       : json_null(),
			 "hung_step", jstr(m->hung_step), "error", jstr(m->run_error), "status",
			 m->run_status);
}

static json_t *mpi_json(const struct hpc_verify *v)
{
	const struct hpc_verify_mpi *m = &v->mpi;
	json_t *linkage, *launcher;

	if (!v->opts.mpi)
		return json_null();
	linkage = json_pack("{s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o}", "needed",
			    jstrv(&m->needed), "rpath", jstr(m->rpath), "runpath", jstr(m->runpath),
			    "soname", jstr(m->lib_soname), "resolved", jstr(m->resolved.path),
			    "why", jstr(m->resolved.why), "searched", jstrv(&m->resolved.tried),
			    "without_ld_library_path", jstr(m->resolved_default), "loaded",
			    jstr(m->loaded_path), "built_family", jstr(m->built_family));
	launcher = json_pack("{s:o,s:o,s:o,s:o,s:o,s:o,s:o}", "name", jstr(m->launcher), "path",
			     jstr(m->launcher_path), "family", jstr(m->launcher_family), "version",
			     jstr(m->launcher_version), "why", jstr(m->launcher_why), "matching",
			     jstr(m->launcher_match), "srun_mpi_types", jstr(m->srun_mpi_types));
	return json_pack("{s:b,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o}", "present",
			 m->present, "mpi4py_version", jstr(m->mpi4py_version), "mpi4py_dir",
			 jstr(m->mpi4py_dir), "extension", jstr(m->ext_path), "linkage", linkage,
			 "library_family", jstr(m->lib_family), "library_version",
			 jstr(m->lib_version), "mpi4py_lib_version", jstr(m->mpi4py_lib_version),
			 "import_error", jstr(m->import_error), "launcher", launcher,
			 "singleton_ok", m->launcher_path && m->ran ? json_boolean(m->singleton_ok)
								     : json_null(),
			 "singleton_error", jstr(m->singleton_error), "env", env_json(&m->env),
			 "run", mpi_run_json(m));
}

static json_t *ref_row(const struct hpc_verify_ref_result *r)
{
	return json_pack("{s:s,s:s,s:s,s:o,s:o,s:o,s:o,s:s}", "metric", r->metric, "unit",
			 r->unit, "where", r->where, "value", jnum(r->value), "lower_bound",
			 jnum(r->lo), "upper_bound", jnum(r->hi), "measured", jnum(r->measured),
			 "status", hpc_verify_status_name(r->status));
}

static json_t *refs_json(const struct hpc_verify *v)
{
	json_t *a;

	if (!v->opts.refs)
		return json_null();
	a = json_array();
	for (size_t i = 0; i < v->nrefres; i++)
		json_array_append_new(a, ref_row(&v->refres[i]));
	return json_pack("{s:s,s:s,s:o}", "file", v->opts.refs->path, "section",
			 v->opts.refs->key ? v->opts.refs->key : "", "results", a);
}

static json_t *check_row(const struct hpc_verify_check *c)
{
	return json_pack("{s:s,s:s,s:s,s:s}", "id", c->id, "section", c->section, "status",
			 hpc_verify_status_name(c->status), "summary",
			 c->summary ? c->summary : "");
}

static json_t *finding_row(const struct hpc_verify_finding *f)
{
	return json_pack("{s:s,s:s,s:s,s:b,s:s,s:s}", "id", f->id, "check", f->check, "status",
			 hpc_verify_status_name(f->status), "measured", f->measured, "message",
			 f->message, "remedy", f->remedy);
}

static json_t *model_json(const struct hpc_verify *v, json_t **findings)
{
	json_t *checks = json_array();

	*findings = json_array();
	for (size_t i = 0; i < v->nchecks; i++)
		json_array_append_new(checks, check_row(&v->checks[i]));
	for (size_t i = 0; i < v->nfindings; i++)
		json_array_append_new(*findings, finding_row(&v->findings[i]));
	return checks;
}

char *hpc_verify_report_json(const struct hpc_verify *v)
{
	struct hpc_buildinfo bi;
	json_t *findings, *checks = model_json(v, &findings), *target, *o;
	char *s;

	hpc_buildinfo_get(&bi);
	target = json_pack("{s:s,s:o,s:s,s:b,s:b,s:i,s:s,s:o}", "python", v->python, "prefix",
			   jstr(v->prefix), "mode", mode_name(v->opts.mode), "blas", v->opts.blas,
			   "mpi", v->opts.mpi, "np", v->opts.np, "launcher", v->launcher,
			   "hostfile", jstr(v->hostfile));
	o = json_pack("{s:s,s:s,s:o,s:f,s:o,s:s,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o}",
		      "schema", SCHEMA_ID, "hpcenv_version", bi.version, "started",
		      jstr(v->started), "seconds", v->seconds, "target", target, "status",
		      hpc_verify_status_name(v->status), "cpu", cpu_json(&v->peak), "peak",
		      peak_json(&v->peak), "blas", blas_json(v), "bench", bench_json(v),
		      "coretype_cost", cost_json(&v->cost), "numpy_ops", npops_json(v), "mpi",
		      mpi_json(v), "references", refs_json(v), "checks", checks, "findings",
		      findings);
	s = json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(o);
	if (!s)
		abort(); /* a pack format error: a bug, caught by the tests */
	return s;
}
