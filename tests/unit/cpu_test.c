/* SPDX-License-Identifier: MIT */
/* cpu_test.c - cpuid detection agrees with the kernel's view (/proc/cpuinfo) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "testutil.h"

/* The kernel's flags line for the first CPU, or NULL off x86. */
static char *proc_flags(void)
{
	FILE *f = fopen("/proc/cpuinfo", "r");
	char line[8192];
	char *out = NULL;

	if (!f)
		return NULL;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, "flags", 5)) {
			out = hpc_xasprintf(" %s ", strchr(line, ':') + 1);
			out[strlen(out) - 2] = ' '; /* drop the newline */
			break;
		}
	fclose(f);
	return out;
}

static void test_features_match_kernel(void **state)
{
	struct hpc_cpu cpu;
	char *flags = proc_flags();

	hpc_cpu_detect(&cpu);
	if (!flags)
		skip();
	/* Linux hides flags the OS does not support, as we do, so they must agree. */
	for (int f = 0; f < HPC_CPU__COUNT; f++) {
		char *needle = hpc_xasprintf(" %s ", hpc_cpu_feature_name(f));
		bool kernel = strstr(flags, needle) != NULL;

		if (kernel != hpc_cpu_has(&cpu, f))
			fail_msg("feature %s: cpuid says %d, /proc/cpuinfo says %d",
				 hpc_cpu_feature_name(f), hpc_cpu_has(&cpu, f), kernel);
		free(needle);
	}
	free(flags);
}

static void test_identity_and_level(void **state)
{
	struct hpc_cpu cpu;

	hpc_cpu_detect(&cpu);
	assert_true(cpu.ncpus_online >= 1);
	assert_true(cpu.ncpus_allowed >= 1 && cpu.ncpus_allowed <= cpu.ncpus_online);
	assert_int_equal(cpu.ncpus_online, (int)sysconf(_SC_NPROCESSORS_ONLN));
#if defined(__x86_64__)
	assert_true(strlen(cpu.vendor) == 12);
	assert_true(cpu.x86_level >= 1 && cpu.x86_level <= 4);
	assert_true(hpc_cpu_has(&cpu, HPC_CPU_SSE2));
	/* the level is consistent with the features behind it */
	assert_int_equal(cpu.x86_level >= 3, hpc_cpu_has(&cpu, HPC_CPU_AVX2) &&
						hpc_cpu_has(&cpu, HPC_CPU_FMA) &&
						hpc_cpu_has(&cpu, HPC_CPU_BMI2) &&
						hpc_cpu_has(&cpu, HPC_CPU_MOVBE) &&
						cpu.x86_level >= 2);
	if (cpu.x86_level == 4)
		assert_true(cpu.os_zmm && hpc_cpu_has(&cpu, HPC_CPU_AVX512VL));
	if (!cpu.os_ymm)
		assert_false(hpc_cpu_has(&cpu, HPC_CPU_AVX));
#endif
	assert_string_equal(hpc_cpu_feature_name(HPC_CPU_AVX512F), "avx512f");
	assert_string_equal(hpc_cpu_feature_name(HPC_CPU__COUNT), "unknown");
}

/* features 64 and up live in a second word */
static void test_set_and_has(void **state)
{
	struct hpc_cpu cpu = { 0 };

	assert_true(HPC_CPU__COUNT > 64);
	for (int f = 0; f < HPC_CPU__COUNT; f++) {
		hpc_cpu_set(&cpu, f, true);
		assert_true(hpc_cpu_has(&cpu, f));
		for (int g = 0; g < HPC_CPU__COUNT; g++)
			assert_int_equal(hpc_cpu_has(&cpu, g), g == f);
		hpc_cpu_set(&cpu, f, false);
		assert_false(hpc_cpu_has(&cpu, f));
	}
	hpc_cpu_set(&cpu, HPC_CPU__COUNT, true); /* out of range: ignored */
	assert_true(cpu.features == 0 && cpu.features_hi == 0);
	assert_string_equal(hpc_cpu_feature_name(HPC_CPU_CLZERO), "clzero");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_features_match_kernel),
		cmocka_unit_test(test_identity_and_level),
		cmocka_unit_test(test_set_and_has),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
