/* SPDX-License-Identifier: MIT */
/* verify_ref_test.c - reference files: both band forms, the section for this machine, clear
 * errors, and bands applied to measured values */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "hpcenv/archspec.h"
#include "testutil.h"
#include "verify_int.h"

static char *dir;

static int setup(void **state)
{
	dir = tu_tmpdir();
	return 0;
}

static int teardown(void **state)
{
	tu_tmpdir_free(dir);
	return 0;
}

static int load(const char *yaml, int level, const char *host, struct hpc_verify_refs **out,
		struct hpc_error **e)
{
	struct hpc_cpu cpu;
	char *path = hpc_path_join(dir, "ref.yaml");
	int r;

	memset(&cpu, 0, sizeof(cpu));
	cpu.x86_level = level;
	tu_write(dir, "ref.yaml", yaml);
	r = hpc_verify_refs_load(path, &cpu, host, out, e);
	free(path);
	return r;
}

static void test_forms_and_sections(void **state)
{
	const char *yaml = "node7:\n  dot: [0.5, null, 0.1, s]\n"
			   "x86_64_v3:\n  dgemm_4096_2t: [60, -0.1, null, GFLOP/s]\n"
			   "  mpi_latency: {value: 2, upper: 0.5, unit: us}\n"
			   "'*':\n  triad_all: [10, -0.2, 0.2, GB/s]\n";
	struct hpc_verify_refs *r;

	assert_int_equal(load(yaml, 4, "node7", &r, NULL), 0);
	assert_string_equal(r->key, "node7");
	assert_int_equal(r->n, 1);
	hpc_verify_refs_free(r);
	/* v4 machine: falls back to v3 */
	assert_int_equal(load(yaml, 4, "other", &r, NULL), 0);
	assert_string_equal(r->key, "x86_64_v3");
	assert_int_equal(r->n, 2);
	assert_string_equal(r->refs[0].metric, "dgemm_4096_2t");
	assert_true(r->refs[0].value == 60 && r->refs[0].lower == -0.1 && isnan(r->refs[0].upper));
	assert_string_equal(r->refs[1].unit, "us");
	assert_true(isnan(r->refs[1].lower) && r->refs[1].upper == 0.5);
	assert_non_null(strstr(r->refs[1].where, "ref.yaml:5"));
	hpc_verify_refs_free(r);
	/* a v2 machine has no section of its own */
	assert_int_equal(load(yaml, 2, NULL, &r, NULL), 0);
	assert_string_equal(r->key, "*");
	hpc_verify_refs_free(r);
}

/* This CPU's archspec name is a section too, between the host name and the levels. */
static void test_microarch_section(void **state)
{
	struct hpc_verify_refs *r;
	struct hpc_cpu cpu;
	const char *uarch;
	char *yaml, *path = hpc_path_join(dir, "uarch.yaml");

	hpc_cpu_detect(&cpu);
	uarch = hpc_archspec_name(&cpu);
	if (!uarch || hpc_str_startswith(uarch, "x86_64"))
		skip(); /* not x86-64, or a CPU archspec has no name for */
	yaml = hpc_xasprintf("x86_64:\n  dot: [1, null, 0.1, s]\n"
			     "%s:\n  dot: [2, null, 0.1, s]\n  inv: [3, null, 0.1, s]\n"
			     "node7:\n  dot: [4, null, 0.1, s]\n", uarch);
	tu_write(dir, "uarch.yaml", yaml);
	assert_int_equal(hpc_verify_refs_load(path, &cpu, "other", &r, NULL), 0);
	assert_string_equal(r->key, uarch);
	assert_int_equal(r->n, 2);
	hpc_verify_refs_free(r);
	assert_int_equal(hpc_verify_refs_load(path, &cpu, "node7", &r, NULL), 0);
	assert_string_equal(r->key, "node7");
	hpc_verify_refs_free(r);
	free(yaml);
	free(path);
}

static void expect_error(const char *yaml, const char *where_what)
{
	struct hpc_verify_refs *r = NULL;
	struct hpc_error *e = NULL;

	assert_int_equal(load(yaml, 4, NULL, &r, &e), -HPC_E_CONFIG);
	assert_null(r);
	assert_err_contains(e, where_what);
	hpc_error_free(e);
}

static void test_errors(void **state)
{
	expect_error("'*':\n  dot: [1, null, 0.1]\n",
		     "ref.yaml:2:8: expected [value, lower, upper");
	expect_error("'*':\n  dot: [x, null, 0.1, s]\n", "ref.yaml:2:9: expected a number");
	expect_error("'*':\n  dot: [null, null, 0.1, s]\n", "the reference value cannot be null");
	expect_error("'*':\n  dot: [1, null, -0.1, s]\n", "upper is a fraction >= 0");
	expect_error("'*':\n  dot: [1, null, 0.1, GFLOP/s]\n",
		     "'dot' is measured in s, not GFLOP/s");
	expect_error("'*':\n  dgemm_big: [1, null, 0.1, GFLOP/s]\n",
		     "ref.yaml:2:3: unknown metric");
	expect_error("'*':\n  dot: {value: 1}\n", "needs 'value' and 'unit'");
	expect_error("- a list\n", "expected a mapping of systems");
	expect_error("'*': [1, 2]\n", "expected a mapping of metric: band");
	expect_error("x86_64_v5:\n  dot: [1, null, 0.1, s]\n", "no section for this machine");
	expect_error("'*':\n  dot: [1, null\n", "ref.yaml:");
}

static void add_bench(struct hpc_verify *v, const char *op, int n, int t, double gflops)
{
	struct hpc_verify_bench *b;

	v->bench = hpc_xrealloc(v->bench, (v->nbench + 1) * sizeof(*b));
	b = &v->bench[v->nbench++];
	memset(b, 0, sizeof(*b));
	snprintf(b->op, sizeof(b->op), "%s", op);
	b->n = n;
	b->threads = t;
	b->gflops = gflops;
	b->ok = true;
}

static void test_apply(void **state)
{
	struct hpc_verify_refs *r;
	struct hpc_verify_opts o = { .python = "/usr/bin/python3" };
	struct hpc_verify *v;
	const struct hpc_verify_finding *f;
	double val;
	const char *unit;

	assert_int_equal(load("'*':\n  dgemm_1024_2t: [100, -0.1, null, GFLOP/s]\n"
			      "  dgemm_256_1t: [10, -0.1, 0.1, GFLOP/s]\n"
			      "  dot: [0.5, null, 0.1, s]\n",
			      4, NULL, &r, NULL), 0);
	o.refs = r;
	v = hpc_verify_new(&o);
	add_bench(v, "dgemm", 1024, 2, 45);
	add_bench(v, "dgemm", 256, 1, 10.5);
	assert_true(hpc_verify_metric(v, "dgemm_1024_2t", &val, &unit) && val == 45);
	assert_string_equal(unit, "GFLOP/s");
	assert_false(hpc_verify_metric(v, "dot", &val, &unit));
	assert_false(hpc_verify_metric(v, "nonsense", &val, &unit));
	hpc_verify_refs_apply(v);
	assert_int_equal(v->nrefres, 3);
	assert_int_equal(v->refres[0].status, HPC_VERIFY_FAIL);
	assert_true(v->refres[0].lo == 90 && isinf(v->refres[0].hi));
	assert_int_equal(v->refres[1].status, HPC_VERIFY_PASS);
	assert_int_equal(v->refres[2].status, HPC_VERIFY_SKIP);
	f = hpc_verify_finding_get(v, "reference-out-of-band");
	assert_non_null(strstr(f->message, "dgemm_1024_2t = 45 GFLOP/s is below the reference "
					   "band 90..inf"));
	assert_non_null(strstr(f->message, "by 50%"));
	assert_non_null(strstr(f->remedy, "ref.yaml:2"));
	assert_int_equal(hpc_verify_check_get(v, "reference.dot")->status, HPC_VERIFY_SKIP);
	hpc_verify_free(v); /* frees the references too */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_forms_and_sections),
		cmocka_unit_test(test_microarch_section),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_apply),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
