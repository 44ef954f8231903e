/* SPDX-License-Identifier: MIT */
/* archspec_test.c - archspec names for known CPUs, every target of the table, and the
 * machine we run on */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

/* A CPU with exactly the given Linux flags (unknown names are ignored, like the many
 * /proc/cpuinfo flags no target mentions). */
static void make_cpu(struct hpc_cpu *cpu, const char *vendor, const char *flags)
{
	struct hpc_strv fl = HPC_STRV_INIT;

	memset(cpu, 0, sizeof(*cpu));
	snprintf(cpu->vendor, sizeof(cpu->vendor), "%s", vendor);
	hpc_strv_split(&fl, flags, " \n\t");
	for (int f = 0; f < HPC_CPU__COUNT; f++)
		hpc_cpu_set(cpu, f, hpc_strv_contains(&fl, hpc_cpu_feature_name(f)));
	hpc_strv_fini(&fl);
}

static const char *name_for(const char *vendor, const char *flags)
{
	struct hpc_cpu cpu;

	make_cpu(&cpu, vendor, flags);
	return hpc_archspec_name(&cpu);
}

#define BASE "fpu vme de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov pat pse36 clflush " \
	     "mmx fxsr sse sse2 ht syscall nx pdpe1gb rdtscp lm constant_tsc rep_good nopl " \
	     "pni pclmulqdq ssse3 fma cx16 pcid sse4_1 sse4_2 x2apic movbe popcnt aes xsave avx " \
	     "f16c rdrand lahf_lm abm "

/* /proc/cpuinfo flags of real CPUs (bare metal), abridged to what matters plus noise */
static const char haswell[] = BASE "fsgsbase tsc_adjust bmi1 avx2 smep bmi2 erms invpcid "
				   "xsaveopt";
static const char skylake_sp[] = BASE "3dnowprefetch fsgsbase tsc_adjust bmi1 hle avx2 smep "
	"bmi2 erms invpcid rtm avx512f avx512dq rdseed adx smap clflushopt clwb avx512cd "
	"avx512bw avx512vl xsaveopt xsavec xgetbv1 xsaves";
static const char cascadelake[] = BASE "3dnowprefetch fsgsbase tsc_adjust bmi1 hle avx2 smep "
	"bmi2 erms invpcid rtm avx512f avx512dq rdseed adx smap clflushopt clwb avx512cd "
	"avx512bw avx512vl xsaveopt xsavec xgetbv1 xsaves pku ospke avx512_vnni";
static const char sapphirerapids[] = BASE "3dnowprefetch fsgsbase tsc_adjust bmi1 hle avx2 "
	"smep bmi2 erms invpcid rtm avx512f avx512dq rdseed adx smap avx512ifma clflushopt clwb "
	"avx512cd sha_ni avx512bw avx512vl xsaveopt xsavec xgetbv1 xsaves avx_vnni avx512_bf16 "
	"avx512vbmi umip pku ospke waitpkg avx512_vbmi2 gfni vaes vpclmulqdq avx512_vnni "
	"avx512_bitalg tme avx512_vpopcntdq la57 rdpid cldemote movdiri movdir64b enqcmd "
	"serialize tsxldtrk amx_bf16 avx512_fp16 amx_tile amx_int8 flush_l1d";
/* this machine: Intel family 6 model 207 under a hypervisor; AVX-512 with VNNI, BITALG
 * and VBMI2 but no AMX, BF16 or FP16 (its /proc/cpuinfo, verbatim) */
static const char this_vm[] = "fpu vme de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov "
	"pat pse36 clflush mmx fxsr sse sse2 ss ht syscall nx pdpe1gb rdtscp lm constant_tsc "
	"rep_good nopl xtopology nonstop_tsc cpuid tsc_known_freq pni pclmulqdq ssse3 fma cx16 "
	"pcid sse4_1 sse4_2 x2apic movbe popcnt tsc_deadline_timer aes xsave avx f16c rdrand "
	"hypervisor lahf_lm abm 3dnowprefetch cpuid_fault fsgsbase tsc_adjust bmi1 hle avx2 smep "
	"bmi2 erms invpcid rtm avx512f avx512dq rdseed adx smap avx512ifma clflushopt clwb "
	"avx512cd sha_ni avx512bw avx512vl xsaveopt xsavec xgetbv1 xsaves arat avx512vbmi umip "
	"avx512_vbmi2 gfni vaes vpclmulqdq avx512_vnni avx512_bitalg avx512_vpopcntdq rdpid fsrm "
	"arch_capabilities";
#define AMD "fpu vme de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov pat pse36 clflush " \
	    "mmx fxsr sse sse2 ht syscall nx mmxext fxsr_opt pdpe1gb rdtscp lm constant_tsc " \
	    "rep_good nopl nonstop_tsc cpuid extd_apicid aperfmperf pni pclmulqdq monitor ssse3 " \
	    "fma cx16 sse4_1 sse4_2 x2apic movbe popcnt aes xsave avx f16c rdrand lahf_lm " \
	    "cmp_legacy svm extapic cr8_legacy abm sse4a misalignsse 3dnowprefetch osvw ibs " \
	    "skinit wdt tce topoext perfctr_core perfctr_nb bpext perfctr_llc mwaitx cpb " \
	    "hw_pstate ssbd ibpb vmmcall fsgsbase bmi1 avx2 smep bmi2 "
static const char zen2[] = AMD "cqm rdt_a rdseed adx smap clflushopt clwb sha_ni xsaveopt "
	"xsavec xgetbv1 xsaves cqm_llc clzero irperf xsaveerptr rdpru wbnoinvd arat npt umip "
	"rdpid overflow_recov succor smca";
static const char zen3[] = AMD "erms invpcid cqm rdt_a rdseed adx smap clflushopt clwb sha_ni "
	"xsaveopt xsavec xgetbv1 xsaves cqm_llc clzero irperf xsaveerptr rdpru wbnoinvd arat npt "
	"umip pku ospke vaes vpclmulqdq rdpid overflow_recov succor smca fsrm";
static const char zen4[] = AMD "erms invpcid cqm rdt_a avx512f avx512dq rdseed adx smap "
	"avx512ifma clflushopt clwb avx512cd sha_ni avx512bw avx512vl xsaveopt xsavec xgetbv1 "
	"xsaves cqm_llc avx512_bf16 clzero irperf xsaveerptr rdpru wbnoinvd arat npt avx512vbmi "
	"umip pku ospke avx512_vbmi2 gfni vaes vpclmulqdq avx512_vnni avx512_bitalg "
	"avx512_vpopcntdq la57 rdpid overflow_recov succor smca fsrm flush_l1d";

static void test_known_cpus(void **state)
{
	assert_string_equal(name_for("GenuineIntel", haswell), "haswell");
	assert_string_equal(name_for("GenuineIntel", skylake_sp), "skylake_avx512");
	assert_string_equal(name_for("GenuineIntel", cascadelake), "cascadelake");
	assert_string_equal(name_for("GenuineIntel", sapphirerapids), "sapphirerapids");
	assert_string_equal(name_for("GenuineIntel", this_vm), "icelake");
	assert_string_equal(name_for("AuthenticAMD", zen2), "zen2");
	assert_string_equal(name_for("AuthenticAMD", zen3), "zen3");
	assert_string_equal(name_for("AuthenticAMD", zen4), "zen4");
	/* another vendor gets the generic level only */
	assert_string_equal(name_for("HygonGenuine", zen2), "x86_64_v3");
	assert_string_equal(name_for("CentaurHauls", zen4), "x86_64_v4");
	/* a hidden niche feature falls back to the generic level, not to an old target */
	assert_string_equal(name_for("GenuineIntel", BASE "bmi1 avx2 bmi2 avx512f avx512dq "
					"avx512cd avx512bw avx512vl rdseed adx clwb xsaveopt"),
			    "x86_64_v4");
	/* the bare levels */
	assert_string_equal(name_for("GenuineIntel", "mmx sse sse2"), "x86_64");
	assert_string_equal(name_for("GenuineIntel", "mmx sse sse2 pni"), "x86_64");
	assert_string_equal(name_for("GenuineIntel", "mmx sse sse2 pni ssse3"), "core2");
	assert_string_equal(name_for("AuthenticAMD", "mmx sse sse2 pni ssse3 sse4_1 sse4_2 "
					"popcnt cx16 lahf_lm"), "x86_64_v2");
	assert_null(name_for("", "mmx sse sse2"));
}

/* A CPU with exactly a target's features (and its vendor) is that target. */
static void test_every_target_names_itself(void **state)
{
	const char *features, *name;

	for (size_t i = 0; (name = hpc_archspec_target(i, &features)); i++) {
		const char *vendor = "GenuineIntel";
		struct hpc_cpu cpu;

		if (!strncmp(name, "x86_64", 6))
			vendor = "OtherVendor"; /* with Intel's, x86_64_v2 would be nehalem */
		else if (strstr("k10 bulldozer piledriver steamroller excavator zen zen2 zen3 "
				"zen4 zen5", name))
			vendor = "AuthenticAMD";
		make_cpu(&cpu, vendor, features);
		/* archspec's implied sse3 is spelled "pni" by Linux */
		hpc_cpu_set(&cpu, HPC_CPU_SSE3, strstr(features, "sse3") != NULL);
		/* Except nocona: it lists "sse3" without "ssse3", and Linux calls SSE3 "pni",
		 * so archspec on Linux never detects it; neither do we. */
		if (!strcmp(name, "nocona")) {
			assert_string_equal(hpc_archspec_name(&cpu), "x86_64");
			continue;
		}
		if (strcmp(hpc_archspec_name(&cpu), name))
			fail_msg("%s's features give %s", name, hpc_archspec_name(&cpu));
	}
	assert_null(hpc_archspec_target(1000, NULL));
}

/* The table mentions only features cpu.c can detect. */
static void test_table_features_known(void **state)
{
	const char *features, *name;

	for (size_t i = 0; (name = hpc_archspec_target(i, &features)); i++) {
		struct hpc_strv fl = HPC_STRV_INIT;

		hpc_strv_split(&fl, features, " ");
		for (size_t k = 0; k < fl.n; k++) {
			bool known = !strcmp(fl.v[k], "sse3");

			for (int f = 0; f < HPC_CPU__COUNT && !known; f++)
				known = !strcmp(fl.v[k], hpc_cpu_feature_name(f));
			if (!known)
				fail_msg("%s: feature %s unknown to cpu.c", name, fl.v[k]);
		}
		hpc_strv_fini(&fl);
	}
}

/* The machine: cpuid gives the same name as the kernel's flags would give archspec. */
static void test_this_machine(void **state)
{
	struct hpc_cpu cpu, from_proc;
	FILE *f = fopen("/proc/cpuinfo", "r");
	char line[8192];
	const char *name;

	hpc_cpu_detect(&cpu);
	if (!cpu.vendor[0] || !f)
		skip();
	make_cpu(&from_proc, cpu.vendor, "");
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, "flags", 5)) {
			make_cpu(&from_proc, cpu.vendor, strchr(line, ':') + 1);
			break;
		}
	fclose(f);
	name = hpc_archspec_name(&cpu);
	assert_non_null(name);
	assert_string_equal(name, hpc_archspec_name(&from_proc));
	printf("    this machine: %s (%s, x86-64-v%d)\n", name, cpu.brand, cpu.x86_level);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_known_cpus),
		cmocka_unit_test(test_every_target_names_itself),
		cmocka_unit_test(test_table_features_known),
		cmocka_unit_test(test_this_machine),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
