/* SPDX-License-Identifier: MIT */
/* verify_sample.h - a verify result built by hand, for the report tests (included by
 * verify_report_test.c, verify_json_test.c and verify_plot_test.c) */
#ifndef VERIFY_SAMPLE_H
#define VERIFY_SAMPLE_H

#include <string.h>

#include "testutil.h"
#include "verify_int.h"

static void sample_bench(struct hpc_verify *v, const char *op, int n, int t, double gflops,
			 bool ok)
{
	struct hpc_verify_bench *b;

	v->bench = hpc_xrealloc(v->bench, (v->nbench + 1) * sizeof(*b));
	b = &v->bench[v->nbench++];
	memset(b, 0, sizeof(*b));
	snprintf(b->op, sizeof(b->op), "%s", op);
	b->n = n;
	b->threads = t;
	b->gflops = gflops;
	b->median = 0.01;
	b->min = 0.009;
	b->max = 0.012;
	b->reps = 3;
	b->pct = 40;
	b->residual = ok ? 0.01 : 1e9;
	b->ok = ok;
	b->core = hpc_xstrdup("Haswell");
}

/* A run with a bit of everything: a warning, a failure with a fix, the <&> characters a
 * report must escape, a skipped row. */
static struct hpc_verify *sample(void)
{
	struct hpc_verify_opts o = { .python = "/opt/env/bin/python", .prefix = "/opt/env",
				     .mode = HPC_VERIFY_QUICK };
	struct hpc_verify *v = hpc_verify_new(&o);
	struct hpc_verify_lib *l;

	hpc_cpu_detect(&v->peak.cpu);
	v->peak.cores = v->peak.pus = 2;
	v->peak.packages = 1;
	v->peak.measured = true;
	v->peak.isa = "avx2";
	v->peak.simd_bits = 256;
	v->peak.fma_units = 2;
	v->peak.clock_ghz = 3;
	v->peak.dp_core = 48;
	v->peak.dp_all = 96;
	v->peak.sp_core = 96;
	v->peak.sp_all = 192;
	v->peak.dp_theory_core = 48;
	v->peak.triad_one = 10;
	v->peak.triad_all = 18;
	v->peak.triad_bytes = 1 << 20;
	v->blas.numpy_version = hpc_xstrdup("1.26.4");
	v->blas.python_version = hpc_xstrdup("3.11.2");
	v->blas.gemm_symbol = hpc_xstrdup("cblas_dgemm");
	v->blas.gemm_path = hpc_xstrdup("/opt/env/lib/libblas.so.3");
	v->blas.libs = hpc_xcalloc(1, sizeof(*l));
	l = &v->blas.libs[0];
	l->path = hpc_xstrdup("/opt/env/lib/libopenblasp-r0.3.27.so");
	l->soname = hpc_xstrdup("libopenblas.so.0");
	l->vendor = hpc_xstrdup("OpenBLAS");
	l->role = hpc_xstrdup("blas+lapack");
	l->version = hpc_xstrdup("0.3.27");
	l->threads = 2;
	v->blas.nlibs = 1;
	v->blas.primary = 0;
	v->blas.nproviders = 1;
	v->blas.core_in_use = hpc_xstrdup("Haswell");
	hpc_strv_push(&v->blas.env, "OPENBLAS_CORETYPE=Haswell");
	sample_bench(v, "dgemm", 256, 1, 20, true);
	sample_bench(v, "dgemm", 1024, 1, 30, true);
	sample_bench(v, "dgemm", 256, 2, 35, true);
	sample_bench(v, "dgemm", 1024, 2, 50, false);
	sample_bench(v, "sgemm", 1024, 2, 90, true);
	sample_bench(v, "dgemm", 4096, 2, 0, true);
	v->bench[v->nbench - 1].skipped = hpc_xstrdup("predicted 40 s per call, over the budget");
	v->started = hpc_xstrdup("2024-01-01T00:00:00Z");
	hpc_verify_check_set(v, "blas.library", "blas", HPC_VERIFY_PASS, "OpenBLAS 0.3.27 <x&y>");
	hpc_verify_check_set(v, "blas.coretype", "blas", HPC_VERIFY_PASS, "Haswell kernels");
	hpc_verify_check_set(v, "bench.residual", "bench", HPC_VERIFY_PASS, "5 results");
	hpc_verify_check_set(v, "mpi.mpi4py", "mpi", HPC_VERIFY_SKIP, "mpi4py is not installed");
	hpc_verify_find(v, "blas.coretype", "blas-coretype-below-cpu", HPC_VERIFY_WARN, false,
			"set OPENBLAS_CORETYPE=SkylakeX", "Haswell kernels on \"SkylakeX\" <CPU>");
	hpc_verify_find(v, "bench.residual", "blas-wrong-results", HPC_VERIFY_FAIL, false,
			"do not use this library", "dgemm n=1024 is wrong & loud");
	v->status = HPC_VERIFY_FAIL;
	v->seconds = 1.5;
	return v;
}

#endif
