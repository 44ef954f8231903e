/* SPDX-License-Identifier: MIT */
/* cpu.c - CPU identification and features from cpuid/xgetbv */
#include <sched.h>
#include <string.h>
#include <unistd.h>
#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#endif

#include "hpcenv/cpu.h"

static const char *const feature_names[HPC_CPU__COUNT] = {
	"sse2", "pni", "ssse3", "sse4_1", "sse4_2", "popcnt", "cx16", "lahf_lm", "avx", "avx2",
	"fma", "f16c", "bmi1", "bmi2", "abm", "movbe", "xsave", "aes", "pclmulqdq", "adx",
	"sha_ni", "rdseed", "clwb", "avx512f", "avx512cd", "avx512dq", "avx512bw", "avx512vl",
	"avx512ifma", "avx512vbmi", "avx512_vbmi2", "avx512_vnni", "avx512_bitalg",
	"avx512_vpopcntdq", "avx512_bf16", "avx512_fp16", "gfni", "vaes", "vpclmulqdq",
	"avx_vnni", "amx_tile", "amx_bf16", "amx_int8", "sse4a", "fma4", "xop",
	"mmx", "sse", "rdrand", "fsgsbase", "tsc_adjust", "clflushopt", "xsaveopt", "xsavec",
	"rdpid", "pku", "waitpkg", "cldemote", "movdiri", "movdir64b", "serialize", "flush_l1d",
	"avx512er", "avx512pf", "avx512_vp2intersect", "avx_ifma", "avx_ne_convert",
	"avx_vnni_int8", "avx_vnni_int16", "cmpccxadd", "sha512", "sm3", "sm4", "3dnow",
	"3dnowext", "tbm", "clzero",
};

const char *hpc_cpu_feature_name(enum hpc_cpu_feature f)
{
	return f < HPC_CPU__COUNT ? feature_names[f] : "unknown";
}

bool hpc_cpu_has(const struct hpc_cpu *cpu, enum hpc_cpu_feature f)
{
	if (f >= HPC_CPU__COUNT)
		return false;
	return f < 64 ? (cpu->features >> f) & 1 : (cpu->features_hi >> (f - 64)) & 1;
}

void hpc_cpu_set(struct hpc_cpu *cpu, enum hpc_cpu_feature f, bool on)
{
	uint64_t *w = f < 64 ? &cpu->features : &cpu->features_hi;
	uint64_t bit = 1ull << (f < 64 ? f : f - 64);

	if (f >= HPC_CPU__COUNT)
		return;
	*w = on ? *w | bit : *w & ~bit;
}

static void count_cpus(struct hpc_cpu *cpu)
{
	cpu_set_t set;
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	cpu->ncpus_online = n > 0 ? (int)n : 1;
	cpu->ncpus_allowed = cpu->ncpus_online;
	if (sched_getaffinity(0, sizeof(set), &set) == 0)
		cpu->ncpus_allowed = CPU_COUNT(&set);
}

#if defined(__x86_64__) || defined(__i386__)

struct bitmap {
	enum hpc_cpu_feature f;
	unsigned leaf, sub; /* cpuid leaf and subleaf */
	int reg;            /* 0 eax, 1 ebx, 2 ecx, 3 edx */
	int bit;
};

static const struct bitmap bits[] = {
	{ HPC_CPU_SSE2, 1, 0, 3, 26 },       { HPC_CPU_SSE3, 1, 0, 2, 0 },
	{ HPC_CPU_SSSE3, 1, 0, 2, 9 },       { HPC_CPU_SSE41, 1, 0, 2, 19 },
	{ HPC_CPU_SSE42, 1, 0, 2, 20 },      { HPC_CPU_POPCNT, 1, 0, 2, 23 },
	{ HPC_CPU_CX16, 1, 0, 2, 13 },       { HPC_CPU_FMA, 1, 0, 2, 12 },
	{ HPC_CPU_MOVBE, 1, 0, 2, 22 },      { HPC_CPU_XSAVE, 1, 0, 2, 26 },
	{ HPC_CPU_AVX, 1, 0, 2, 28 },        { HPC_CPU_F16C, 1, 0, 2, 29 },
	{ HPC_CPU_AES, 1, 0, 2, 25 },        { HPC_CPU_PCLMUL, 1, 0, 2, 1 },
	{ HPC_CPU_BMI1, 7, 0, 1, 3 },        { HPC_CPU_AVX2, 7, 0, 1, 5 },
	{ HPC_CPU_BMI2, 7, 0, 1, 8 },        { HPC_CPU_AVX512F, 7, 0, 1, 16 },
	{ HPC_CPU_AVX512DQ, 7, 0, 1, 17 },   { HPC_CPU_RDSEED, 7, 0, 1, 18 },
	{ HPC_CPU_ADX, 7, 0, 1, 19 },        { HPC_CPU_AVX512IFMA, 7, 0, 1, 21 },
	{ HPC_CPU_CLWB, 7, 0, 1, 24 },       { HPC_CPU_AVX512CD, 7, 0, 1, 28 },
	{ HPC_CPU_SHA, 7, 0, 1, 29 },        { HPC_CPU_AVX512BW, 7, 0, 1, 30 },
	{ HPC_CPU_AVX512VL, 7, 0, 1, 31 },   { HPC_CPU_AVX512VBMI, 7, 0, 2, 1 },
	{ HPC_CPU_AVX512VBMI2, 7, 0, 2, 6 }, { HPC_CPU_GFNI, 7, 0, 2, 8 },
	{ HPC_CPU_VAES, 7, 0, 2, 9 },        { HPC_CPU_VPCLMULQDQ, 7, 0, 2, 10 },
	{ HPC_CPU_AVX512VNNI, 7, 0, 2, 11 }, { HPC_CPU_AVX512BITALG, 7, 0, 2, 12 },
	{ HPC_CPU_AVX512VPOPCNTDQ, 7, 0, 2, 14 }, { HPC_CPU_AVX512FP16, 7, 0, 3, 23 },
	{ HPC_CPU_AMX_BF16, 7, 0, 3, 22 },   { HPC_CPU_AMX_TILE, 7, 0, 3, 24 },
	{ HPC_CPU_AMX_INT8, 7, 0, 3, 25 },   { HPC_CPU_AVXVNNI, 7, 1, 0, 4 },
	{ HPC_CPU_AVX512BF16, 7, 1, 0, 5 },  { HPC_CPU_LAHF, 0x80000001, 0, 2, 0 },
	{ HPC_CPU_LZCNT, 0x80000001, 0, 2, 5 }, { HPC_CPU_SSE4A, 0x80000001, 0, 2, 6 },
	{ HPC_CPU_XOP, 0x80000001, 0, 2, 11 }, { HPC_CPU_FMA4, 0x80000001, 0, 2, 16 },
	{ HPC_CPU_MMX, 1, 0, 3, 23 },        { HPC_CPU_SSE, 1, 0, 3, 25 },
	{ HPC_CPU_RDRAND, 1, 0, 2, 30 },     { HPC_CPU_FSGSBASE, 7, 0, 1, 0 },
	{ HPC_CPU_TSC_ADJUST, 7, 0, 1, 1 },  { HPC_CPU_CLFLUSHOPT, 7, 0, 1, 23 },
	{ HPC_CPU_AVX512PF, 7, 0, 1, 26 },   { HPC_CPU_AVX512ER, 7, 0, 1, 27 },
	{ HPC_CPU_WAITPKG, 7, 0, 2, 5 },     { HPC_CPU_RDPID, 7, 0, 2, 22 },
	{ HPC_CPU_CLDEMOTE, 7, 0, 2, 25 },   { HPC_CPU_MOVDIRI, 7, 0, 2, 27 },
	{ HPC_CPU_MOVDIR64B, 7, 0, 2, 28 },  { HPC_CPU_AVX512VP2INTERSECT, 7, 0, 3, 8 },
	{ HPC_CPU_SERIALIZE, 7, 0, 3, 14 },  { HPC_CPU_FLUSH_L1D, 7, 0, 3, 28 },
	{ HPC_CPU_SHA512, 7, 1, 0, 0 },      { HPC_CPU_SM3, 7, 1, 0, 1 },
	{ HPC_CPU_SM4, 7, 1, 0, 2 },         { HPC_CPU_CMPCCXADD, 7, 1, 0, 7 },
	{ HPC_CPU_AVXIFMA, 7, 1, 0, 23 },    { HPC_CPU_AVXVNNIINT8, 7, 1, 3, 4 },
	{ HPC_CPU_AVXNECONVERT, 7, 1, 3, 5 }, { HPC_CPU_AVXVNNIINT16, 7, 1, 3, 10 },
	{ HPC_CPU_XSAVEOPT, 13, 1, 0, 0 },   { HPC_CPU_XSAVEC, 13, 1, 0, 1 },
	{ HPC_CPU_TBM, 0x80000001, 0, 2, 21 }, { HPC_CPU_3DNOWEXT, 0x80000001, 0, 3, 30 },
	{ HPC_CPU_3DNOW, 0x80000001, 0, 3, 31 }, { HPC_CPU_CLZERO, 0x80000008, 0, 1, 0 },
};

static bool leaf(unsigned l, unsigned sub, unsigned r[4])
{
	unsigned max = __get_cpuid_max(l & 0x80000000u, NULL);

	if (max < l)
		return false;
	__cpuid_count(l, sub, r[0], r[1], r[2], r[3]);
	return true;
}

static uint64_t xcr0(void)
{
	unsigned lo, hi;

	__asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
	return ((uint64_t)hi << 32) | lo;
}

static void read_identity(struct hpc_cpu *cpu)
{
	unsigned r[4], fam, mod;

	if (leaf(0, 0, r)) {
		memcpy(cpu->vendor, &r[1], 4);
		memcpy(cpu->vendor + 4, &r[3], 4);
		memcpy(cpu->vendor + 8, &r[2], 4);
	}
	if (leaf(1, 0, r)) {
		fam = (r[0] >> 8) & 0xf;
		mod = (r[0] >> 4) & 0xf;
		if (fam == 0xf)
			fam += (r[0] >> 20) & 0xff;
		if (fam == 0x6 || fam >= 0xf)
			mod += ((r[0] >> 16) & 0xf) << 4;
		cpu->family = fam;
		cpu->model = mod;
		cpu->stepping = r[0] & 0xf;
		cpu->hypervisor = (r[2] >> 31) & 1;
	}
	for (unsigned i = 0; i < 3; i++)
		if (leaf(0x80000002 + i, 0, r))
			memcpy(cpu->brand + 16 * i, r, 16);
	cpu->brand[48] = '\0';
	/* trim the padding some vendors put around the brand string */
	char *b = cpu->brand;
	while (*b == ' ')
		b++;
	memmove(cpu->brand, b, strlen(b) + 1);
	for (size_t n = strlen(cpu->brand); n && cpu->brand[n - 1] == ' '; n--)
		cpu->brand[n - 1] = '\0';
}

static void read_features(struct hpc_cpu *cpu)
{
	unsigned r[4];
	uint64_t x = 0;

	for (size_t i = 0; i < sizeof(bits) / sizeof(bits[0]); i++)
		if (leaf(bits[i].leaf, bits[i].sub, r) && (r[bits[i].reg] >> bits[i].bit) & 1)
			hpc_cpu_set(cpu, bits[i].f, true);
	/* Linux shows "pku" only when the OS enabled protection keys (OSPKE) */
	if (!(leaf(7, 0, r) && (r[2] >> 4) & 1))
		hpc_cpu_set(cpu, HPC_CPU_PKU, false);
	if (hpc_cpu_has(cpu, HPC_CPU_XSAVE) && leaf(1, 0, r) && (r[2] >> 27) & 1) /* OSXSAVE */
		x = xcr0();
	cpu->os_ymm = (x & 0x6) == 0x6;
	cpu->os_zmm = cpu->os_ymm && (x & 0xe0) == 0xe0;
	if (!cpu->os_ymm) /* AVX-family instructions would fault */
		cpu->features &= ~((1ull << HPC_CPU_AVX) | (1ull << HPC_CPU_AVX2) |
				   (1ull << HPC_CPU_FMA) | (1ull << HPC_CPU_F16C) |
				   (1ull << HPC_CPU_AVXVNNI) | (1ull << HPC_CPU_VAES) |
				   (1ull << HPC_CPU_VPCLMULQDQ) | (1ull << HPC_CPU_FMA4) |
				   (1ull << HPC_CPU_XOP));
	if (!cpu->os_ymm)
		for (int f = HPC_CPU_AVXIFMA; f <= HPC_CPU_AVXVNNIINT16; f++)
			hpc_cpu_set(cpu, f, false);
	if (!cpu->os_zmm) {
		for (int f = HPC_CPU_AVX512F; f <= HPC_CPU_AVX512FP16; f++)
			cpu->features &= ~(1ull << f);
		for (int f = HPC_CPU_AVX512ER; f <= HPC_CPU_AVX512VP2INTERSECT; f++)
			hpc_cpu_set(cpu, f, false);
	}
}

static bool has_all(const struct hpc_cpu *c, const enum hpc_cpu_feature *fs, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!hpc_cpu_has(c, fs[i]))
			return false;
	return true;
}

/* x86-64 psABI levels (what archspec calls x86_64_v2..v4). */
static int x86_level(const struct hpc_cpu *c)
{
	static const enum hpc_cpu_feature v2[] = { HPC_CPU_CX16, HPC_CPU_LAHF, HPC_CPU_POPCNT,
						   HPC_CPU_SSE3, HPC_CPU_SSE41, HPC_CPU_SSE42,
						   HPC_CPU_SSSE3 };
	static const enum hpc_cpu_feature v3[] = { HPC_CPU_AVX, HPC_CPU_AVX2, HPC_CPU_BMI1,
						   HPC_CPU_BMI2, HPC_CPU_F16C, HPC_CPU_FMA,
						   HPC_CPU_LZCNT, HPC_CPU_MOVBE, HPC_CPU_XSAVE };
	static const enum hpc_cpu_feature v4[] = { HPC_CPU_AVX512F, HPC_CPU_AVX512BW,
						   HPC_CPU_AVX512CD, HPC_CPU_AVX512DQ,
						   HPC_CPU_AVX512VL };
	int level = 1;

	if (has_all(c, v2, sizeof(v2) / sizeof(v2[0])))
		level = 2;
	if (level == 2 && has_all(c, v3, sizeof(v3) / sizeof(v3[0])))
		level = 3;
	if (level == 3 && has_all(c, v4, sizeof(v4) / sizeof(v4[0])))
		level = 4;
	return level;
}

void hpc_cpu_detect(struct hpc_cpu *cpu)
{
	memset(cpu, 0, sizeof(*cpu));
	read_identity(cpu);
	read_features(cpu);
#if defined(__x86_64__)
	cpu->x86_level = x86_level(cpu);
#endif
	count_cpus(cpu);
}

#else /* not x86 */

void hpc_cpu_detect(struct hpc_cpu *cpu)
{
	memset(cpu, 0, sizeof(*cpu));
	count_cpus(cpu);
}

#endif
