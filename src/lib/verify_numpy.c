/* SPDX-License-Identifier: MIT */
/* verify_numpy.c - end-to-end numpy operations in the target python (ReFrame's np_ops set)
 *
 * The classic numpy/BLAS benchmark (ReFrame's hpctestlib numpy check): matmul of two
 * 4096x4096 matrices, dot of two 524288-long vectors, SVD of 2048x1024, Cholesky of 2048^2,
 * eigendecomposition of 2048^2, inverse of 4096^2 - smaller in --quick. Each result is
 * checked with its scaled backward error, so numpy on a wrong BLAS fails here too.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hpcenv/util.h"
#include "verify_int.h"

static const char ops_script[] =
	"import sys, json, time, math\n"
	"import numpy as np\n"
	"cfg = json.loads(sys.argv[1])\n"
	"rng = np.random.default_rng(20240601)\n"
	"eps = np.finfo(np.float64).eps\n"
	"out = []\n"
	"def timed(fn, inner=1):\n"
	"    t = time.perf_counter(); r = fn(); first = time.perf_counter() - t\n"
	"    reps = cfg['reps'] if first < 1 else max(1, min(cfg['reps'], int(10 / first)))\n"
	"    ts = []\n"
	"    for _ in range(reps):\n"
	"        t = time.perf_counter(); r = fn(); ts.append((time.perf_counter() - t) / inner)\n"
	"    return r, ts\n"
	"def add(name, shape, ts, res):\n"
	"    res = float(res)\n"
	"    out.append({'name': name, 'shape': shape, 'times': ts,\n"
	"                'residual': res if math.isfinite(res) else 1e300})\n"
	"n = cfg['dot']\n"
	"A = rng.random((n, n)); B = rng.random((n, n))\n"
	"C, ts = timed(lambda: np.dot(A, B))\n"
	"x = 1.0 + (np.arange(n) % 7) / 7.0\n"
	"bound = 2 * n * eps * (np.abs(A) @ (np.abs(B) @ x)).max()\n"
	"add('dot', '%dx%d' % (n, n), ts, np.abs(C @ x - A @ (B @ x)).max() / bound)\n"
	"del A, B, C\n"
	"m, k = cfg['vdot'], cfg['vdot_repeat']\n"
	"a = rng.random(m); b = rng.random(m)\n"
	"d, ts = timed(lambda: [np.dot(a, b) for _ in range(k)][-1], k)\n"
	"add('vdot', '%d' % m, ts,\n"
	"    abs(d - math.fsum(a * b)) / (2 * m * eps * np.abs(a * b).sum()))\n"
	"p, q = cfg['svd']\n"
	"E = rng.random((p, q))\n"
	"(U, s, Vt), ts = timed(lambda: np.linalg.svd(E, full_matrices=False))\n"
	"add('svd', '%dx%d' % (p, q), ts,\n"
	"    np.linalg.norm(E - (U * s) @ Vt) / (np.linalg.norm(E) * p * eps))\n"
	"del E, U, s, Vt\n"
	"n = cfg['cholesky']\n"
	"G = rng.random((n, n)); F = G @ G.T + n * np.eye(n)\n"
	"L, ts = timed(lambda: np.linalg.cholesky(F))\n"
	"add('cholesky', '%dx%d' % (n, n), ts,\n"
	"    np.linalg.norm(F - L @ L.T) / (np.linalg.norm(F) * n * eps))\n"
	"del G, F, L\n"
	"n = cfg['eigendec']\n"
	"G = rng.random((n, n))\n"
	"(w, V), ts = timed(lambda: np.linalg.eig(G))\n"
	"add('eigendec', '%dx%d' % (n, n), ts, np.linalg.norm(G @ V - V * w) /\n"
	"    (np.linalg.norm(G) * np.linalg.norm(V) * n * eps))\n"
	"del G, V, w\n"
	"n = cfg['inv']\n"
	"A = rng.random((n, n))\n"
	"Ai, ts = timed(lambda: np.linalg.inv(A))\n"
	"add('inv', '%dx%d' % (n, n), ts, np.linalg.norm(A @ Ai - np.eye(n)) /\n"
	"    (np.linalg.norm(A) * np.linalg.norm(Ai) * n * eps))\n"
	"print(json.dumps({'ops': out}))\n";

static const char *sizes_for(enum hpc_verify_mode mode)
{
	switch (mode) {
	case HPC_VERIFY_QUICK:
		return "{\"reps\": 3, \"dot\": 1024, \"vdot\": 524288, \"vdot_repeat\": 100, "
		       "\"svd\": [512, 256], \"cholesky\": 512, \"eigendec\": 256, \"inv\": 1024}";
	case HPC_VERIFY_FULL:
		return "{\"reps\": 5, \"dot\": 4096, \"vdot\": 524288, \"vdot_repeat\": 2000, "
		       "\"svd\": [2048, 1024], \"cholesky\": 2048, \"eigendec\": 2048, "
		       "\"inv\": 4096}";
	default:
		return "{\"reps\": 3, \"dot\": 4096, \"vdot\": 524288, \"vdot_repeat\": 1000, "
		       "\"svd\": [2048, 1024], \"cholesky\": 2048, \"eigendec\": 2048, "
		       "\"inv\": 4096}";
	}
}

static void add_op(struct hpc_verify *v, json_t *o)
{
	json_t *times = json_object_get(o, "times"), *t;
	struct hpc_verify_npop *op;
	double vals[64];
	int n = 0;
	size_t i;

	json_array_foreach(times, i, t)
		if (n < 64)
			vals[n++] = json_number_value(t);
	v->npops = hpc_xrealloc(v->npops, (v->nnpops + 1) * sizeof(*v->npops));
	op = &v->npops[v->nnpops++];
	memset(op, 0, sizeof(*op));
	op->name = hpc_verify_jstr(o, "name");
	op->shape = hpc_verify_jstr(o, "shape");
	if (!op->name)
		op->name = hpc_xstrdup("?");
	if (!op->shape)
		op->shape = hpc_xstrdup("?");
	op->reps = n;
	hpc_verify_stats(vals, n, &op->median, &op->min, &op->max);
	op->residual = json_number_value(json_object_get(o, "residual"));
	op->ok = op->residual <= 1.0;
}

static void judge(struct hpc_verify *v)
{
	const struct hpc_verify_npop *bad = NULL, *dot = NULL;

	for (size_t i = 0; i < v->nnpops; i++) {
		if (!v->npops[i].ok && !bad)
			bad = &v->npops[i];
		if (!strcmp(v->npops[i].name, "dot"))
			dot = &v->npops[i];
	}
	hpc_verify_check_set(v, "numpy.ops", "numpy", HPC_VERIFY_PASS,
			     "%zu operations, matmul %s in %.3f s", v->nnpops,
			     dot ? dot->shape : "?", dot ? dot->median : 0);
	if (bad)
		hpc_verify_find(v, "numpy.ops", "numpy-wrong-results", HPC_VERIFY_FAIL, false,
				"do not trust results from this environment: fix the BLAS/LAPACK "
				"numpy loads and verify again",
				"numpy %s of %s gives wrong results (scaled residual %.3g, a "
				"correct result is <= 1)", bad->name, bad->shape, bad->residual);
}

int hpc_verify_numpy_run(struct hpc_verify *v, const struct hpc_events *ev,
			 struct hpc_error **err)
{
	const char *args[] = { sizes_for(v->opts.mode), NULL };
	struct hpc_error *e = NULL;
	json_t *o = NULL, *ops, *op;
	size_t i;
	int r;

	hpc_verify_step(ev, "verify:numpy", "timing numpy operations", false);
	r = hpc_verify_python(v, ops_script, args, NULL, NULL, 30 * 60, ev, &o, &e);
	if (r == -HPC_E_INTERRUPTED) {
		hpc_error_free(e);
		return HPC_FAIL(err, INTERRUPTED, "interrupted");
	}
	if (r) {
		/* a crash here (SIGILL from a forced core type...) is a finding, not an error */
		hpc_verify_check_set(v, "numpy.ops", "numpy", HPC_VERIFY_FAIL, "numpy ops failed");
		hpc_verify_find(v, "numpy.ops", "numpy-ops-failed", HPC_VERIFY_FAIL, false,
				"run the operations by hand in this python to see the error",
				"numpy operations failed: %s", e ? e->msg : "unknown error");
		hpc_error_free(e);
		return 0;
	}
	ops = json_object_get(o, "ops");
	json_array_foreach(ops, i, op)
		add_op(v, op);
	json_decref(o);
	judge(v);
	hpc_verify_step(ev, "verify:numpy", "timing numpy operations", true);
	return 0;
}
