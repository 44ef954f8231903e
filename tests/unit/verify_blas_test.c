/* SPDX-License-Identifier: MIT */
/* verify_blas_test.c - OpenBLAS core types, identifying numpy's BLAS in Debian's python, and
 * the configuration findings on constructed cases */
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "verify_int.h"

#define PY "/usr/bin/python3"

static void test_core_ranks(void **state)
{
	struct hpc_cpu c;

	assert_true(hpc_verify_openblas_core_rank("Prescott") <
		    hpc_verify_openblas_core_rank("Sandybridge"));
	assert_true(hpc_verify_openblas_core_rank("haswell") <
		    hpc_verify_openblas_core_rank("SkylakeX"));
	assert_int_equal(hpc_verify_openblas_core_rank("Haswell"),
			 hpc_verify_openblas_core_rank("Zen"));
	assert_int_equal(hpc_verify_openblas_core_rank("Bogus"), 0);
	assert_int_equal(hpc_verify_openblas_core_rank(NULL), 0);
	/* from cpuid features */
	memset(&c, 0, sizeof(c));
	strcpy(c.vendor, "GenuineIntel");
	c.features = 1ull << HPC_CPU_SSE2;
	assert_string_equal(hpc_verify_openblas_core_for(&c), "Prescott");
	c.features |= (1ull << HPC_CPU_SSSE3) | (1ull << HPC_CPU_SSE42) | (1ull << HPC_CPU_AVX);
	assert_string_equal(hpc_verify_openblas_core_for(&c), "Sandybridge");
	c.features |= (1ull << HPC_CPU_AVX2) | (1ull << HPC_CPU_FMA);
	assert_string_equal(hpc_verify_openblas_core_for(&c), "Haswell");
	c.x86_level = 4;
	assert_string_equal(hpc_verify_openblas_core_for(&c), "SkylakeX");
	c.features |= 1ull << HPC_CPU_AVX512BF16;
	assert_string_equal(hpc_verify_openblas_core_for(&c), "Cooperlake");
	c.features |= (1ull << HPC_CPU_AMX_TILE) | (1ull << HPC_CPU_AVX512FP16);
	assert_string_equal(hpc_verify_openblas_core_for(&c), "SapphireRapids");
	strcpy(c.vendor, "AuthenticAMD");
	c.x86_level = 3;
	c.features = (1ull << HPC_CPU_AVX2) | (1ull << HPC_CPU_FMA);
	assert_string_equal(hpc_verify_openblas_core_for(&c), "Zen");
	c.vendor[0] = '\0';
	assert_null(hpc_verify_openblas_core_for(&c));
}

static struct hpc_verify *verify_for(const char *python)
{
	struct hpc_verify_opts o = { .python = python, .blas = true, .mode = HPC_VERIFY_QUICK };
	struct hpc_verify *v = hpc_verify_new(&o);

	assert_int_equal(hpc_verify_peak_topology(&v->peak, NULL), 0);
	return v;
}

/* Debian's numpy: cblas_dgemm binds to openblas-pthread's libblas.so.3, a frontend of
 * libopenblas, which reports its own version, threads and core type. */
static void test_probe_debian(void **state)
{
	struct hpc_verify *v = verify_for(PY);
	const struct hpc_verify_lib *l;

	assert_int_equal(hpc_verify_blas_probe(v, NULL, NULL), 0);
	assert_null(v->blas.error);
	assert_non_null(v->blas.numpy_version);
	assert_non_null(strstr(v->blas.numpy_config, "blas"));
	assert_non_null(v->blas.gemm_path);
	l = hpc_verify_blas_primary(&v->blas);
	assert_non_null(l);
	assert_string_equal(l->vendor, "OpenBLAS");
	assert_non_null(strstr(l->config, "OpenBLAS"));
	assert_non_null(l->version);
	assert_true(l->threads >= 1);
	assert_non_null(l->corename);
	assert_string_equal(v->blas.core_in_use, l->corename);
	assert_int_equal(v->blas.nproviders, 1);
	/* the frontend numpy binds to names its provider */
	for (size_t i = 0; i < v->blas.nlibs; i++)
		if (!strcmp(v->blas.libs[i].path, v->blas.gemm_path) && v->blas.libs[i].provider)
			assert_string_equal(v->blas.libs[i].provider, l->path);
	hpc_verify_blas_judge(v);
	assert_int_equal(hpc_verify_check_get(v, "blas.numpy")->status, HPC_VERIFY_PASS);
	assert_null(hpc_verify_finding_get(v, "blas-netlib"));
	assert_null(hpc_verify_finding_get(v, "blas-two-libraries"));
	hpc_verify_free(v);
}

static void test_core_with(void **state)
{
	struct hpc_verify *v = verify_for(PY);
	const struct hpc_verify_lib *l;
	char *core;

	assert_int_equal(hpc_verify_blas_probe(v, NULL, NULL), 0);
	l = hpc_verify_blas_primary(&v->blas);
	/* Prescott runs everywhere on x86-64: forcing it must be honoured */
	core = hpc_verify_openblas_core_with(l->path, "Prescott", NULL);
	assert_string_equal(core, "Prescott");
	free(core);
	assert_null(hpc_verify_openblas_core_with("/nonexistent.so", NULL, NULL));
	hpc_verify_free(v);
}

/* A python without numpy: the finding, not an error. */
static void test_no_numpy(void **state)
{
	char *dir = tu_tmpdir(), *cmd = hpc_xasprintf(PY " -m venv --without-pip %s/venv", dir);
	char *py = hpc_xasprintf("%s/venv/bin/python", dir);
	struct hpc_verify *v;

	assert_int_equal(system(cmd), 0);
	v = verify_for(py);
	assert_int_equal(hpc_verify_blas_probe(v, NULL, NULL), 0);
	assert_non_null(v->blas.error);
	hpc_verify_blas_judge(v);
	assert_int_equal(hpc_verify_finding_get(v, "numpy-missing")->status, HPC_VERIFY_FAIL);
	hpc_verify_free(v);
	free(py);
	free(cmd);
	tu_tmpdir_free(dir);
}

static void add_lib(struct hpc_verify *v, const char *path, const char *vendor, int threads)
{
	struct hpc_verify_lib *l;

	v->blas.libs = hpc_xrealloc(v->blas.libs, (v->blas.nlibs + 1) * sizeof(*l));
	l = &v->blas.libs[v->blas.nlibs++];
	memset(l, 0, sizeof(*l));
	l->path = hpc_xstrdup(path);
	l->soname = hpc_xstrdup("libblas.so.3");
	l->vendor = hpc_xstrdup(vendor);
	l->role = hpc_xstrdup("blas");
	l->threads = threads;
}

/* The judge on constructed identifications (no machine needed). */
static void test_judge(void **state)
{
	struct hpc_verify *v = verify_for(PY);

	v->blas.numpy_version = hpc_xstrdup("1.0");
	add_lib(v, "/opt/ref/libblas.so.3", "netlib", -1);
	add_lib(v, "/opt/ob/libopenblas.so.0", "OpenBLAS", 1);
	v->blas.primary = 0;
	v->blas.nproviders = 2;
	hpc_strv_push(&v->blas.env, "OPENBLAS_NUM_THREADS=1");
	hpc_strv_push(&v->blas.env, "LD_LIBRARY_PATH=/opt/ref");
	hpc_verify_blas_judge(v);
	assert_non_null(hpc_verify_finding_get(v, "blas-netlib"));
	assert_non_null(hpc_verify_finding_get(v, "blas-two-libraries"));
	hpc_verify_free(v);

	v = verify_for(PY);
	v->peak.cores = 4;
	v->opts.np = 4;
	v->opts.np_given = true;
	add_lib(v, "/opt/ob/libopenblas.so.0", "OpenBLAS", 1);
	v->blas.libs[0].version = hpc_xstrdup("0.3.21");
	v->blas.primary = 0;
	v->blas.nproviders = 1;
	v->blas.dynamic_arch = true;
	v->blas.core_in_use = hpc_xstrdup("Haswell");
	v->blas.core_autodetect = hpc_xstrdup("SkylakeX");
	v->blas.core_best = hpc_xstrdup("SkylakeX");
	hpc_strv_push(&v->blas.env, "OPENBLAS_CORETYPE=Haswell");
	hpc_strv_push(&v->blas.env, "OPENBLAS_L2_SIZE=1048576");
	hpc_strv_push(&v->blas.env, "OMP_NUM_THREADS=1");
	hpc_verify_blas_judge(v);
	assert_null(hpc_verify_finding_get(v, "blas-netlib"));
	assert_non_null(strstr(hpc_verify_finding_get(v, "blas-single-thread")->message,
			       "(OMP_NUM_THREADS=1)"));
	assert_non_null(strstr(hpc_verify_finding_get(v, "blas-coretype-below-cpu")->message,
			       "OPENBLAS_CORETYPE=Haswell makes OpenBLAS run Haswell kernels"));
	/* autodetection would pick the best: the fix is to unset it */
	assert_non_null(strstr(hpc_verify_finding_get(v, "blas-coretype-below-cpu")->remedy,
			       "unset OPENBLAS_CORETYPE (OpenBLAS then picks SkylakeX itself)"));
	assert_non_null(strstr(hpc_verify_finding_get(v, "blas-l2-size-ignored")->message,
			       "no effect on OpenBLAS 0.3.21"));
	/* 4 ranks x 1 thread fit on 4 cores */
	assert_null(hpc_verify_finding_get(v, "blas-oversubscribed"));
	hpc_verify_free(v);
}

static void test_judge_above_cpu_and_oversubscribed(void **state)
{
	struct hpc_verify *v = verify_for(PY);

	v->peak.cores = 2;
	v->opts.np = 2;
	v->opts.np_given = true;
	add_lib(v, "/opt/ob/libopenblas.so.0", "OpenBLAS", 2);
	v->blas.primary = 0;
	v->blas.dynamic_arch = true;
	v->blas.core_in_use = hpc_xstrdup("SkylakeX");
	v->blas.core_best = hpc_xstrdup("Haswell");
	hpc_strv_push(&v->blas.env, "OPENBLAS_CORETYPE=SkylakeX");
	hpc_verify_blas_judge(v);
	assert_int_equal(hpc_verify_finding_get(v, "blas-coretype-above-cpu")->status,
			 HPC_VERIFY_FAIL);
	assert_non_null(strstr(hpc_verify_finding_get(v, "blas-oversubscribed")->message,
			       "2 MPI ranks x 2 BLAS threads = 4 threads on 2 cores"));
	hpc_verify_free(v);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_core_ranks),
		cmocka_unit_test(test_probe_debian),
		cmocka_unit_test(test_core_with),
		cmocka_unit_test(test_no_numpy),
		cmocka_unit_test(test_judge),
		cmocka_unit_test(test_judge_above_cpu_and_oversubscribed),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
