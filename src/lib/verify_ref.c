/* SPDX-License-Identifier: MIT */
/* verify_ref.c - references: ReFrame-style (value, lower, upper, unit) bands per system
 *
 *   x86_64_v4:                          # a section: hostname, archspec name, x86_64_vN,
 *                                       # x86_64 or "*"
 *     dgemm_2048_2t: [60, -0.1, null, GFLOP/s]   # 54..inf GFLOP/s
 *     dot: {value: 0.4, upper: 0.05, unit: s}    # numpy matmul at most 0.42 s
 *
 * lower/upper are fractions of value (ReFrame's thresholds), null = unbounded. A measured
 * value outside its band fails the run and says by how much.
 */
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "hpcenv/archspec.h"
#include "hpcenv/util.h"
#include "verify_int.h"

/* ---- metrics ---- */

enum source { NUMPY, PEAK, MPI };

/* Metrics with a fixed name; benchmark rows are OP_N_Tt (bench_unit). */
static const struct fixed {
	const char *name, *unit;
	enum source src;
	size_t off; /* of the double in struct hpc_verify_peak / hpc_verify_mpi */
} fixed[] = {
	{ "dot", "s", NUMPY, 0 },
	{ "vdot", "s", NUMPY, 0 },
	{ "svd", "s", NUMPY, 0 },
	{ "cholesky", "s", NUMPY, 0 },
	{ "eigendec", "s", NUMPY, 0 },
	{ "inv", "s", NUMPY, 0 },
	{ "peak_dp_core", "GFLOP/s", PEAK, offsetof(struct hpc_verify_peak, dp_core) },
	{ "peak_dp_all", "GFLOP/s", PEAK, offsetof(struct hpc_verify_peak, dp_all) },
	{ "peak_sp_core", "GFLOP/s", PEAK, offsetof(struct hpc_verify_peak, sp_core) },
	{ "peak_sp_all", "GFLOP/s", PEAK, offsetof(struct hpc_verify_peak, sp_all) },
	{ "triad_one", "GB/s", PEAK, offsetof(struct hpc_verify_peak, triad_one) },
	{ "triad_all", "GB/s", PEAK, offsetof(struct hpc_verify_peak, triad_all) },
	{ "clock", "GHz", PEAK, offsetof(struct hpc_verify_peak, clock_ghz) },
	{ "mpi_latency", "us", MPI, offsetof(struct hpc_verify_mpi, latency_us) },
	{ "mpi_bandwidth", "MB/s", MPI, offsetof(struct hpc_verify_mpi, bandwidth_mbs) },
};

static const struct fixed *fixed_metric(const char *name)
{
	for (size_t i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++)
		if (!strcmp(name, fixed[i].name))
			return &fixed[i];
	return NULL;
}

static const char *bench_unit(const char *name)
{
	char op[8];
	int n, t, used = 0;

	if (sscanf(name, "%5[a-z]_%d_%dt%n", op, &n, &t, &used) != 3 || name[used])
		return NULL;
	if (!strcmp(op, "dgemm") || !strcmp(op, "sgemm"))
		return "GFLOP/s";
	if (!strcmp(op, "dgemv") || !strcmp(op, "ddot"))
		return "GB/s";
	return NULL;
}

/* Unit of a metric name, NULL when there is no such metric. */
static const char *metric_unit(const char *name)
{
	const struct fixed *f = fixed_metric(name);

	return f ? f->unit : bench_unit(name);
}

static bool bench_metric(const struct hpc_verify *v, const char *name, double *value)
{
	char op[8];
	int n, t;

	if (sscanf(name, "%5[a-z]_%d_%dt", op, &n, &t) != 3)
		return false;
	for (size_t i = 0; i < v->nbench; i++) {
		const struct hpc_verify_bench *b = &v->bench[i];

		if (!strcmp(b->op, op) && b->n == n && b->threads == t && !b->skipped) {
			*value = b->gbs > 0 ? b->gbs : b->gflops;
			return true;
		}
	}
	return false;
}

static bool numpy_metric(const struct hpc_verify *v, const char *name, double *value)
{
	for (size_t i = 0; i < v->nnpops; i++)
		if (!strcmp(v->npops[i].name, name)) {
			*value = v->npops[i].median;
			return true;
		}
	return false;
}

bool hpc_verify_metric(const struct hpc_verify *v, const char *metric, double *value,
		       const char **unit)
{
	const struct fixed *f = fixed_metric(metric);

	*unit = metric_unit(metric);
	if (!*unit)
		return false;
	if (!f)
		return bench_metric(v, metric, value);
	switch (f->src) {
	case NUMPY:
		return numpy_metric(v, metric, value);
	case PEAK:
		if (!v->peak.measured)
			return false;
		*value = *(const double *)((const char *)&v->peak + f->off);
		return true;
	default:
		if (!v->mpi.ran || v->mpi.latency_us <= 0)
			return false;
		*value = *(const double *)((const char *)&v->mpi + f->off);
		return true;
	}
}

/* ---- loading ---- */

struct loader {
	const char *path;
	yaml_document_t *doc;
	struct hpc_verify_refs *refs;
};

static int node_fail(const struct loader *l, const yaml_node_t *n, const char *what,
		     struct hpc_error **err)
{
	return HPC_FAIL(err, CONFIG, "%s:%zu:%zu: %s", l->path, n->start_mark.line + 1,
			n->start_mark.column + 1, what);
}

static bool scalar_is_null(const yaml_node_t *n)
{
	const char *s = (const char *)n->data.scalar.value;

	return n->type == YAML_SCALAR_NODE && n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE &&
	       (!*s || !strcmp(s, "~") || !strcmp(s, "null") || !strcmp(s, "None"));
}

/* A number, or NAN for null when nullable. */
static int read_number(const struct loader *l, const yaml_node_t *n, bool nullable, double *out,
		       struct hpc_error **err)
{
	char *end;

	if (!n || n->type != YAML_SCALAR_NODE)
		return node_fail(l, n, "expected a number", err);
	if (scalar_is_null(n)) {
		if (!nullable)
			return node_fail(l, n, "the reference value cannot be null", err);
		*out = NAN;
		return 0;
	}
	*out = strtod((const char *)n->data.scalar.value, &end);
	if (end == (const char *)n->data.scalar.value || *end || !isfinite(*out))
		return node_fail(l, n, "expected a number", err);
	return 0;
}

static yaml_node_t *map_get(const struct loader *l, const yaml_node_t *map, const char *key)
{
	for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top;
	     p++) {
		yaml_node_t *k = yaml_document_get_node(l->doc, p->key);

		if (k && k->type == YAML_SCALAR_NODE && !strcmp((char *)k->data.scalar.value, key))
			return yaml_document_get_node(l->doc, p->value);
	}
	return NULL;
}

/* The four fields of [value, lower, upper, unit] or {value:, lower:, upper:, unit:}. */
static int band_fields(const struct loader *l, const yaml_node_t *n, yaml_node_t *f[4],
		       struct hpc_error **err)
{
	static const char *const keys[] = { "value", "lower", "upper", "unit" };

	if (n->type == YAML_SEQUENCE_NODE) {
		if (n->data.sequence.items.top - n->data.sequence.items.start != 4)
			return node_fail(l, n, "expected [value, lower, upper, unit]", err);
		for (int i = 0; i < 4; i++)
			f[i] = yaml_document_get_node(l->doc, n->data.sequence.items.start[i]);
		return 0;
	}
	if (n->type != YAML_MAPPING_NODE)
		return node_fail(l, n, "expected [value, lower, upper, unit] or a mapping", err);
	for (int i = 0; i < 4; i++)
		f[i] = map_get(l, n, keys[i]);
	if (!f[0] || !f[3])
		return node_fail(l, n, "a reference needs 'value' and 'unit'", err);
	return 0;
}

static int read_band(const struct loader *l, const yaml_node_t *n, struct hpc_verify_ref *r,
		     struct hpc_error **err)
{
	yaml_node_t *f[4] = { NULL };
	int rc = band_fields(l, n, f, err);

	r->lower = r->upper = NAN;
	if (!rc)
		rc = read_number(l, f[0], false, &r->value, err);
	if (!rc && f[1])
		rc = read_number(l, f[1], true, &r->lower, err);
	if (!rc && f[2])
		rc = read_number(l, f[2], true, &r->upper, err);
	if (!rc && r->lower > 0)
		rc = node_fail(l, f[1], "lower is a fraction <= 0 (e.g. -0.1 for 10% below)", err);
	if (!rc && r->upper < 0)
		rc = node_fail(l, f[2], "upper is a fraction >= 0 (e.g. 0.05 for 5% above)", err);
	if (!rc && (f[3]->type != YAML_SCALAR_NODE || scalar_is_null(f[3])))
		rc = node_fail(l, f[3], "the unit must be a string", err);
	if (!rc)
		r->unit = hpc_xstrdup((const char *)f[3]->data.scalar.value);
	return rc;
}

static int read_section(struct loader *l, const yaml_node_t *sec, struct hpc_error **err)
{
	if (sec->type != YAML_MAPPING_NODE)
		return node_fail(l, sec, "expected a mapping of metric: band", err);
	for (yaml_node_pair_t *p = sec->data.mapping.pairs.start; p < sec->data.mapping.pairs.top;
	     p++) {
		yaml_node_t *k = yaml_document_get_node(l->doc, p->key);
		yaml_node_t *val = yaml_document_get_node(l->doc, p->value);
		struct hpc_verify_ref *r;
		const char *name, *unit;
		int rc;

		if (!k || k->type != YAML_SCALAR_NODE || !val)
			return node_fail(l, k ? k : sec, "metric names must be strings", err);
		name = (const char *)k->data.scalar.value;
		unit = metric_unit(name);
		if (!unit)
			return node_fail(l, k, "unknown metric (see docs/verify.md: dgemm_N_Tt, "
					       "dot, svd, peak_dp_all, mpi_latency ...)", err);
		l->refs->refs = hpc_xrealloc(l->refs->refs, (l->refs->n + 1) * sizeof(*r));
		r = &l->refs->refs[l->refs->n];
		memset(r, 0, sizeof(*r));
		rc = read_band(l, val, r, err);
		if (!rc && strcmp(r->unit, unit)) {
			char *why = hpc_xasprintf("'%s' is measured in %s, not %s", name, unit,
						  r->unit);

			rc = node_fail(l, val, why, err);
			free(why);
		}
		if (rc) {
			free(r->unit);
			return rc;
		}
		r->metric = hpc_xstrdup(name);
		r->where = hpc_xasprintf("%s:%zu", l->path, k->start_mark.line + 1);
		l->refs->n++;
	}
	return 0;
}

/* The section for this machine: hostname, the CPU's microarchitecture (archspec's name:
 * "icelake", "zen4"), then x86_64_vN down to x86_64, then "*". */
static const yaml_node_t *pick_section(struct loader *l, const yaml_node_t *root,
				       const struct hpc_cpu *cpu, const char *hostname)
{
	const char *uarch = cpu ? hpc_archspec_name(cpu) : NULL;
	char key[32];
	const yaml_node_t *sec;

	if (hostname && (sec = map_get(l, root, hostname))) {
		l->refs->key = hpc_xstrdup(hostname);
		return sec;
	}
	/* the generic levels come below, in their order */
	if (uarch && !hpc_str_startswith(uarch, "x86_64") && (sec = map_get(l, root, uarch))) {
		l->refs->key = hpc_xstrdup(uarch);
		return sec;
	}
	for (int lv = cpu ? cpu->x86_level : 0; lv >= 1; lv--) {
		snprintf(key, sizeof(key), lv > 1 ? "x86_64_v%d" : "x86_64", lv);
		if ((sec = map_get(l, root, key))) {
			l->refs->key = hpc_xstrdup(key);
			return sec;
		}
	}
	if ((sec = map_get(l, root, "*")))
		l->refs->key = hpc_xstrdup("*");
	return sec;
}

static int load_doc(struct loader *l, const struct hpc_cpu *cpu, const char *hostname,
		    struct hpc_error **err)
{
	const yaml_node_t *root = yaml_document_get_root_node(l->doc), *sec;

	if (!root || root->type != YAML_MAPPING_NODE)
		return HPC_FAIL(err, CONFIG, "%s:1:1: expected a mapping of systems (hostname, "
					     "x86_64_v4, \"*\") to references", l->path);
	sec = pick_section(l, root, cpu, hostname);
	if (!sec)
		return HPC_FAIL(err, CONFIG, "%s: no section for this machine (tried '%s', "
					     "'%s', x86_64_v%d down to x86_64, '*')", l->path,
				hostname ? hostname : "",
				cpu && hpc_archspec_name(cpu) ? hpc_archspec_name(cpu) : "",
				cpu ? cpu->x86_level : 0);
	return read_section(l, sec, err);
}

int hpc_verify_refs_load(const char *path, const struct hpc_cpu *cpu, const char *hostname,
			 struct hpc_verify_refs **out, struct hpc_error **err)
{
	yaml_parser_t parser;
	yaml_document_t doc;
	struct loader l = { path, &doc, NULL };
	char *text = NULL;
	size_t len = 0;
	int r;

	*out = NULL;
	r = hpc_file_read(path, &text, &len, err);
	if (r)
		return hpc_error_wrap(err, r, "while reading references");
	yaml_parser_initialize(&parser);
	yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
	if (!yaml_parser_load(&parser, &doc)) {
		const yaml_mark_t *m = parser.problem ? &parser.problem_mark : &parser.context_mark;

		r = HPC_FAIL(err, CONFIG, "%s:%zu:%zu: %s", path, m->line + 1, m->column + 1,
			     parser.problem ? parser.problem : "invalid YAML");
		yaml_parser_delete(&parser);
		free(text);
		return r;
	}
	l.refs = hpc_xcalloc(1, sizeof(*l.refs));
	l.refs->path = hpc_xstrdup(path);
	r = load_doc(&l, cpu, hostname, err);
	yaml_document_delete(&doc);
	yaml_parser_delete(&parser);
	free(text);
	if (r)
		hpc_verify_refs_free(l.refs);
	else
		*out = l.refs;
	return r;
}

void hpc_verify_refs_free(struct hpc_verify_refs *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->n; i++) {
		free(r->refs[i].metric);
		free(r->refs[i].unit);
		free(r->refs[i].where);
	}
	free(r->refs);
	free(r->path);
	free(r->key);
	free(r);
}

/* ---- applying ---- */

static void apply_one(struct hpc_verify *v, const struct hpc_verify_ref *ref)
{
	struct hpc_verify_ref_result *res;
	char *id = hpc_xasprintf("reference.%s", ref->metric);
	const char *unit;
	double got;

	v->refres = hpc_xrealloc(v->refres, (v->nrefres + 1) * sizeof(*v->refres));
	res = &v->refres[v->nrefres++];
	*res = (struct hpc_verify_ref_result){
		.metric = hpc_xstrdup(ref->metric), .unit = hpc_xstrdup(ref->unit),
		.where = hpc_xstrdup(ref->where), .value = ref->value, .measured = NAN,
		.lo = isnan(ref->lower) ? -INFINITY : ref->value * (1 + ref->lower),
		.hi = isnan(ref->upper) ? INFINITY : ref->value * (1 + ref->upper)
	};
	if (!hpc_verify_metric(v, ref->metric, &got, &unit)) {
		res->status = HPC_VERIFY_SKIP;
		hpc_verify_check_set(v, id, "reference", HPC_VERIFY_SKIP,
				     "%s: not measured in this run", ref->metric);
		free(id);
		return;
	}
	res->measured = got;
	res->status = got < res->lo || got > res->hi ? HPC_VERIFY_FAIL : HPC_VERIFY_PASS;
	hpc_verify_check_set(v, id, "reference", HPC_VERIFY_PASS, "%s = %.4g %s (band %.4g..%.4g)",
			     ref->metric, got, unit, res->lo, res->hi);
	if (res->status == HPC_VERIFY_FAIL) {
		bool low = got < res->lo;
		double gap = low ? (res->lo - got) / res->lo : (got - res->hi) / res->hi;
		char *remedy = hpc_xasprintf("see the other findings for a cause; if this machine "
					     "changed on purpose, update %s", ref->where);

		hpc_verify_find(v, id, "reference-out-of-band", HPC_VERIFY_FAIL, true, remedy,
				"%s = %.4g %s is %s the reference band %.4g..%.4g (%.4g %s, %s) by "
				"%.0f%%", ref->metric, got, unit, low ? "below" : "above", res->lo,
				res->hi, ref->value, ref->unit, ref->where, 100 * gap);
		free(remedy);
	}
	free(id);
}

void hpc_verify_refs_apply(struct hpc_verify *v)
{
	if (!v->opts.refs)
		return;
	for (size_t i = 0; i < v->opts.refs->n; i++)
		apply_one(v, &v->opts.refs->refs[i]);
}
