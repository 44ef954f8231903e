/* SPDX-License-Identifier: MIT */
/* archspec.c - archspec's microarchitecture name for an x86-64 CPU (see archspec.h)
 *
 * The table is the x86_64 family of archspec-json's cpu/microarchitectures.json (commit
 * 90b453f, MIT/Apache-2.0), in the order archspec builds its TARGETS dictionary (parents
 * first), which decides ties the way Python's max() does. Feature names are Linux's.
 */
#include <stdbool.h>
#include <string.h>

#include "hpcenv/archspec.h"
#include "hpcenv/util.h"

struct target {
	const char *name, *vendor;
	const char *parents[2];
	const char *features;
};

static const struct target targets[] = {
	{ "x86_64", "generic", { NULL },
	  "" },
	{ "x86_64_v2", "generic", { "x86_64" },
	  "cx16 lahf_lm mmx popcnt sse sse2 sse4_1 sse4_2 ssse3" },
	{ "x86_64_v3", "generic", { "x86_64_v2" },
	  "abm avx avx2 bmi1 bmi2 cx16 f16c fma lahf_lm mmx movbe popcnt sse sse2 "
	  "sse4_1 sse4_2 ssse3 xsave" },
	{ "x86_64_v4", "generic", { "x86_64_v3" },
	  "abm avx avx2 avx512bw avx512cd avx512dq avx512f avx512vl bmi1 bmi2 cx16 f16c "
	  "fma lahf_lm mmx movbe popcnt sse sse2 sse4_1 sse4_2 ssse3 xsave" },
	{ "nocona", "GenuineIntel", { "x86_64" },
	  "mmx sse sse2 sse3" },
	{ "core2", "GenuineIntel", { "nocona" },
	  "mmx sse sse2 ssse3" },
	{ "nehalem", "GenuineIntel", { "core2", "x86_64_v2" },
	  "cx16 lahf_lm mmx popcnt sse sse2 sse4_1 sse4_2 ssse3" },
	{ "westmere", "GenuineIntel", { "nehalem" },
	  "aes cx16 lahf_lm mmx pclmulqdq popcnt sse sse2 sse4_1 sse4_2 ssse3" },
	{ "sandybridge", "GenuineIntel", { "westmere" },
	  "aes avx cx16 lahf_lm mmx pclmulqdq popcnt sse sse2 sse4_1 sse4_2 ssse3" },
	{ "ivybridge", "GenuineIntel", { "sandybridge" },
	  "aes avx cx16 f16c lahf_lm mmx pclmulqdq popcnt rdrand sse sse2 sse4_1 sse4_2 "
	  "ssse3" },
	{ "haswell", "GenuineIntel", { "ivybridge", "x86_64_v3" },
	  "abm aes avx avx2 bmi1 bmi2 cx16 f16c fma lahf_lm mmx movbe pclmulqdq popcnt "
	  "rdrand sse sse2 sse4_1 sse4_2 ssse3 xsave" },
	{ "broadwell", "GenuineIntel", { "haswell" },
	  "abm adx aes avx avx2 bmi1 bmi2 cx16 f16c fma lahf_lm mmx movbe pclmulqdq "
	  "popcnt rdrand rdseed sse sse2 sse4_1 sse4_2 ssse3 xsave" },
	{ "skylake", "GenuineIntel", { "broadwell" },
	  "abm adx aes avx avx2 bmi1 bmi2 clflushopt cx16 f16c fma lahf_lm mmx movbe "
	  "pclmulqdq popcnt rdrand rdseed sse sse2 sse4_1 sse4_2 ssse3 xsave xsavec "
	  "xsaveopt" },
	{ "mic_knl", "GenuineIntel", { "broadwell" },
	  "abm adx aes avx avx2 avx512cd avx512er avx512f avx512pf bmi1 bmi2 cx16 f16c "
	  "fma lahf_lm mmx movbe pclmulqdq popcnt rdrand rdseed sse sse2 sse4_1 sse4_2 "
	  "ssse3 xsave" },
	{ "skylake_avx512", "GenuineIntel", { "skylake", "x86_64_v4" },
	  "abm adx aes avx avx2 avx512bw avx512cd avx512dq avx512f avx512vl bmi1 bmi2 "
	  "clflushopt clwb cx16 f16c fma lahf_lm mmx movbe pclmulqdq popcnt rdrand "
	  "rdseed sse sse2 sse4_1 sse4_2 ssse3 xsave xsavec xsaveopt" },
	{ "cannonlake", "GenuineIntel", { "skylake", "x86_64_v4" },
	  "abm adx aes avx avx2 avx512bw avx512cd avx512dq avx512f avx512ifma "
	  "avx512vbmi avx512vl bmi1 bmi2 clflushopt cx16 f16c fma lahf_lm mmx movbe "
	  "pclmulqdq popcnt rdrand rdseed sha_ni sse sse2 sse4_1 sse4_2 ssse3 xsave "
	  "xsavec xsaveopt" },
	{ "cascadelake", "GenuineIntel", { "skylake_avx512" },
	  "abm adx aes avx avx2 avx512_vnni avx512bw avx512cd avx512dq avx512f avx512vl "
	  "bmi1 bmi2 clflushopt clwb cx16 f16c fma lahf_lm mmx movbe pclmulqdq popcnt "
	  "rdrand rdseed sse sse2 sse4_1 sse4_2 ssse3 xsave xsavec xsaveopt" },
	{ "icelake", "GenuineIntel", { "cascadelake", "cannonlake" },
	  "abm adx aes avx avx2 avx512_bitalg avx512_vbmi2 avx512_vnni avx512_vpopcntdq "
	  "avx512bw avx512cd avx512dq avx512f avx512ifma avx512vbmi avx512vl bmi1 bmi2 "
	  "clflushopt clwb cx16 f16c fma gfni lahf_lm mmx movbe pclmulqdq popcnt rdpid "
	  "rdrand rdseed sha_ni sse sse2 sse4_1 sse4_2 ssse3 vaes vpclmulqdq xsave "
	  "xsavec xsaveopt" },
	{ "sapphirerapids", "GenuineIntel", { "icelake" },
	  "abm adx aes amx_bf16 amx_int8 amx_tile avx avx2 avx512_bf16 avx512_bitalg "
	  "avx512_vbmi2 avx512_vnni avx512_vpopcntdq avx512bw avx512cd avx512dq avx512f "
	  "avx512ifma avx512vbmi avx512vl bmi1 bmi2 cldemote clflushopt clwb cx16 f16c "
	  "fma gfni lahf_lm mmx movbe movdir64b movdiri pclmulqdq popcnt rdpid rdrand "
	  "rdseed serialize sha_ni sse sse2 sse4_1 sse4_2 ssse3 vaes vpclmulqdq waitpkg "
	  "xsave xsavec xsaveopt" },
	{ "alderlake", "GenuineIntel", { "skylake" },
	  "abm adx aes avx avx2 avx_vnni bmi1 bmi2 clflushopt clwb cx16 f16c fma gfni "
	  "lahf_lm mmx movbe movdir64b movdiri pclmulqdq popcnt rdpid rdrand rdseed "
	  "serialize sha_ni sse sse2 sse4_1 sse4_2 ssse3 vaes vpclmulqdq waitpkg xsave "
	  "xsavec xsaveopt" },
	{ "arrowlake", "GenuineIntel", { "alderlake" },
	  "abm adx aes avx avx2 avx_ifma avx_ne_convert avx_vnni avx_vnni_int8 bmi1 "
	  "bmi2 clflushopt clwb cmpccxadd cx16 f16c fma gfni lahf_lm mmx movbe "
	  "movdir64b movdiri pclmulqdq popcnt rdpid rdrand rdseed serialize sha_ni sse "
	  "sse2 sse4_1 sse4_2 ssse3 vaes vpclmulqdq waitpkg xsave xsavec xsaveopt" },
	{ "arrowlake_s", "GenuineIntel", { "arrowlake" },
	  "abm adx aes avx avx2 avx_ifma avx_ne_convert avx_vnni avx_vnni_int16 "
	  "avx_vnni_int8 bmi1 bmi2 clflushopt clwb cmpccxadd cx16 f16c fma gfni lahf_lm "
	  "mmx movbe movdir64b movdiri pclmulqdq popcnt rdpid rdrand rdseed serialize "
	  "sha512 sha_ni sm3 sm4 sse sse2 sse4_1 sse4_2 ssse3 vaes vpclmulqdq waitpkg "
	  "xsave xsavec xsaveopt" },
	{ "k10", "AuthenticAMD", { "x86_64" },
	  "3dnow 3dnowext abm cx16 mmx sse sse2 sse4a" },
	{ "bulldozer", "AuthenticAMD", { "x86_64_v2" },
	  "abm aes avx cx16 fma4 lahf_lm mmx pclmulqdq popcnt sse sse2 sse4_1 sse4_2 "
	  "sse4a ssse3 xop xsave" },
	{ "piledriver", "AuthenticAMD", { "bulldozer" },
	  "abm aes avx bmi1 cx16 f16c fma fma4 lahf_lm mmx pclmulqdq popcnt sse sse2 "
	  "sse4_1 sse4_2 sse4a ssse3 tbm xop xsave" },
	{ "steamroller", "AuthenticAMD", { "piledriver" },
	  "abm aes avx bmi1 cx16 f16c fma fma4 fsgsbase lahf_lm mmx pclmulqdq popcnt "
	  "sse sse2 sse4_1 sse4_2 sse4a ssse3 tbm xop xsave" },
	{ "excavator", "AuthenticAMD", { "steamroller", "x86_64_v3" },
	  "abm aes avx avx2 bmi1 bmi2 cx16 f16c fma fma4 fsgsbase lahf_lm mmx movbe "
	  "pclmulqdq popcnt sse sse2 sse4_1 sse4_2 sse4a ssse3 tbm xop xsave" },
	{ "zen", "AuthenticAMD", { "x86_64_v3" },
	  "abm aes avx avx2 bmi1 bmi2 clflushopt clzero cx16 f16c fma fsgsbase lahf_lm "
	  "mmx movbe pclmulqdq popcnt rdseed sse sse2 sse4_1 sse4_2 sse4a ssse3 xsave "
	  "xsavec xsaveopt" },
	{ "zen2", "AuthenticAMD", { "zen" },
	  "abm aes avx avx2 bmi1 bmi2 clflushopt clwb clzero cx16 f16c fma fsgsbase "
	  "lahf_lm mmx movbe pclmulqdq popcnt rdseed sse sse2 sse4_1 sse4_2 sse4a ssse3 "
	  "xsave xsavec xsaveopt" },
	{ "zen3", "AuthenticAMD", { "zen2" },
	  "abm aes avx avx2 bmi1 bmi2 clflushopt clwb clzero cx16 f16c fma fsgsbase "
	  "lahf_lm mmx movbe pclmulqdq pku popcnt rdseed sse sse2 sse4_1 sse4_2 sse4a "
	  "ssse3 vaes vpclmulqdq xsave xsavec xsaveopt" },
	{ "zen4", "AuthenticAMD", { "zen3", "x86_64_v4" },
	  "abm aes avx avx2 avx512_bf16 avx512_bitalg avx512_vbmi2 avx512_vnni "
	  "avx512_vpopcntdq avx512bw avx512cd avx512dq avx512f avx512ifma avx512vbmi "
	  "avx512vl bmi1 bmi2 clflushopt clwb clzero cx16 f16c flush_l1d fma fsgsbase "
	  "gfni lahf_lm mmx movbe pclmulqdq pku popcnt rdseed sse sse2 sse4_1 sse4_2 "
	  "sse4a ssse3 vaes vpclmulqdq xsave xsavec xsaveopt" },
	{ "zen5", "AuthenticAMD", { "zen4" },
	  "abm aes avx avx2 avx512_bf16 avx512_bitalg avx512_vbmi2 avx512_vnni "
	  "avx512_vp2intersect avx512_vpopcntdq avx512bw avx512cd avx512dq avx512f "
	  "avx512ifma avx512vbmi avx512vl avx_vnni bmi1 bmi2 clflushopt clwb clzero "
	  "cx16 f16c flush_l1d fma fsgsbase gfni lahf_lm mmx movbe movdir64b movdiri "
	  "pclmulqdq pku popcnt rdseed sse sse2 sse4_1 sse4_2 sse4a ssse3 tsc_adjust "
	  "vaes vpclmulqdq xsave xsavec xsaveopt" },
};
#define NTARGETS (sizeof(targets) / sizeof(targets[0]))

const char *hpc_archspec_target(size_t i, const char **features)
{
	if (i >= NTARGETS)
		return NULL;
	if (features)
		*features = targets[i].features;
	return targets[i].name;
}

static long target_index(const char *name)
{
	for (size_t i = 0; i < NTARGETS; i++)
		if (!strcmp(targets[i].name, name))
			return (long)i;
	return -1;
}

/* All ancestors of target t, each once (archspec's Microarchitecture.ancestors). */
static void ancestors(size_t t, bool *seen)
{
	for (size_t k = 0; k < 2 && targets[t].parents[k]; k++) {
		long p = target_index(targets[t].parents[k]);

		if (p >= 0 && !seen[p]) {
			seen[p] = true;
			ancestors((size_t)p, seen);
		}
	}
}

static size_t count_ancestors(size_t t)
{
	bool seen[NTARGETS] = { false };
	size_t n = 0;

	ancestors(t, seen);
	for (size_t i = 0; i < NTARGETS; i++)
		n += seen[i];
	return n;
}

static bool descends_from(size_t t, size_t from)
{
	bool seen[NTARGETS] = { false };

	ancestors(t, seen);
	return seen[from];
}

/* Does the CPU have feature `name` (n bytes)? archspec adds "sse3" wherever "ssse3" is
 * (Linux calls SSE3 "pni"), for the CPU as for its targets. */
static bool cpu_has_named(const struct hpc_cpu *cpu, const char *name, size_t n)
{
	if (n == 4 && !memcmp(name, "sse3", 4))
		return hpc_cpu_has(cpu, HPC_CPU_SSSE3);
	for (int f = 0; f < HPC_CPU__COUNT; f++) {
		const char *fn = hpc_cpu_feature_name(f);

		if (strlen(fn) == n && !memcmp(fn, name, n))
			return hpc_cpu_has(cpu, f);
	}
	return false; /* a feature cpu.c does not know: the CPU cannot be shown to have it */
}

static bool compatible(const struct hpc_cpu *cpu, const struct target *t)
{
	const char *f = t->features;

	if (strcmp(t->vendor, "generic") && strcmp(t->vendor, cpu->vendor))
		return false;
	while (*f) {
		size_t n = strcspn(f, " ");

		if (n && !cpu_has_named(cpu, f, n))
			return false;
		f += n;
		f += *f == ' ';
	}
	return true;
}

static size_t count_features(const struct target *t)
{
	size_t n = 0;

	for (const char *f = t->features; *f; f++)
		n += (f == t->features || f[-1] == ' ') && *f != ' ';
	return n;
}

/* archspec's sorting key: more ancestors, then more features; ties keep the first. */
static bool better(size_t a, long b)
{
	size_t aa, ab;

	if (b < 0)
		return true;
	aa = count_ancestors(a);
	ab = count_ancestors((size_t)b);
	if (aa != ab)
		return aa > ab;
	return count_features(&targets[a]) > count_features(&targets[b]);
}

const char *hpc_archspec_name(const struct hpc_cpu *cpu)
{
	bool ok[NTARGETS];
	long generic = -1, best = -1;

	if (!cpu->vendor[0]) /* not x86 */
		return NULL;
	for (size_t i = 0; i < NTARGETS; i++) {
		ok[i] = compatible(cpu, &targets[i]);
		if (ok[i] && !strcmp(targets[i].vendor, "generic") && better(i, generic))
			generic = (long)i;
	}
	/* only targets above the best generic level, so that a missing niche feature (say,
	 * one a hypervisor hides) falls back to x86_64_vN, not to an old named target */
	for (size_t i = 0; i < NTARGETS; i++)
		if (ok[i] && descends_from(i, (size_t)generic) && better(i, best))
			best = (long)i;
	return targets[best >= 0 ? best : generic].name;
}
