/* SPDX-License-Identifier: MIT */
/* verify_peak_test.c - topology, the calibrated FMA peak and the triad (sanity, not speed:
 * no timing decides a test) */
#include <math.h>
#include <string.h>
#include <unistd.h>

#include "testutil.h"
#include "verify_int.h"

static void test_topology(void **state)
{
	struct hpc_verify_peak p;

	assert_int_equal(hpc_verify_peak_topology(&p, NULL), 0);
	assert_true(p.cores >= 1);
	assert_true(p.pus >= p.cores);
	assert_true(p.pus <= (int)sysconf(_SC_NPROCESSORS_ONLN));
	assert_true(p.packages >= 1);
	assert_false(p.measured);
	assert_int_equal(p.cpu.ncpus_online, (int)sysconf(_SC_NPROCESSORS_ONLN));
}

static void test_measure(void **state)
{
	struct hpc_verify_peak p;

	assert_int_equal(hpc_verify_peak_topology(&p, NULL), 0);
	assert_int_equal(hpc_verify_peak_measure(&p, HPC_VERIFY_QUICK, NULL, NULL), 0);
	assert_true(p.measured);
#if defined(__x86_64__)
	/* the widest kernel the CPU (and OS) can run was chosen */
	if (hpc_cpu_has(&p.cpu, HPC_CPU_AVX512F))
		assert_int_equal(p.simd_bits, 512);
	else if (hpc_cpu_has(&p.cpu, HPC_CPU_AVX2) && hpc_cpu_has(&p.cpu, HPC_CPU_FMA))
		assert_int_equal(p.simd_bits, 256);
	else
		assert_int_equal(p.simd_bits, 128);
	assert_true(p.dp_core > 0 && isfinite(p.dp_core));
	assert_true(p.sp_core > 0 && p.dp_all > 0 && p.sp_all > 0);
	assert_true(p.clock_ghz > 0.1 && p.clock_ghz < 20);
	assert_true(p.fma_units == 1 || p.fma_units == 2);
	assert_true(p.dp_theory_core > 0);
#endif
	assert_true(p.triad_one > 0 && p.triad_all > 0);
	assert_true(p.triad_bytes > 0);
}

static void test_interpolation(void **state)
{
	struct hpc_verify_peak p;

	memset(&p, 0, sizeof(p));
	p.cores = 5;
	p.dp_core = 10;
	p.dp_all = 50;
	p.sp_core = 20;
	p.sp_all = 100;
	assert_true(hpc_verify_peak_dp(&p, 1) == 10);
	assert_true(hpc_verify_peak_dp(&p, 3) == 30);
	assert_true(hpc_verify_peak_dp(&p, 5) == 50);
	assert_true(hpc_verify_peak_dp(&p, 64) == 50);
	assert_true(hpc_verify_peak_sp(&p, 3) == 60);
	/* a DGEMM faster than the loop raises the reference, all cores in proportion */
	p.gemm_best = 12;
	assert_true(hpc_verify_peak_dp(&p, 1) == 12);
	assert_true(fabs(hpc_verify_peak_dp(&p, 5) - 60) < 1e-9);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_topology),
		cmocka_unit_test(test_measure),
		cmocka_unit_test(test_interpolation),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
