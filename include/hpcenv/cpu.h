/* SPDX-License-Identifier: MIT */
/* cpu.h - what the CPU can do, from cpuid and xgetbv (no /proc parsing, no python)
 *
 * Shared by virtual packages (__archspec), verify (peak FLOP/s) and the build's
 * variant selection. Feature bits count only when the OS also saves the register
 * state they need (XCR0), so AVX-512 on a kernel that does not enable ZMM is "absent".
 */
#ifndef HPCENV_CPU_H
#define HPCENV_CPU_H

#include <stdbool.h>
#include <stdint.h>

enum hpc_cpu_feature {
	HPC_CPU_SSE2, HPC_CPU_SSE3, HPC_CPU_SSSE3, HPC_CPU_SSE41, HPC_CPU_SSE42,
	HPC_CPU_POPCNT, HPC_CPU_CX16, HPC_CPU_LAHF, HPC_CPU_AVX, HPC_CPU_AVX2, HPC_CPU_FMA,
	HPC_CPU_F16C, HPC_CPU_BMI1, HPC_CPU_BMI2, HPC_CPU_LZCNT, HPC_CPU_MOVBE, HPC_CPU_XSAVE,
	HPC_CPU_AES, HPC_CPU_PCLMUL, HPC_CPU_ADX, HPC_CPU_SHA, HPC_CPU_RDSEED, HPC_CPU_CLWB,
	HPC_CPU_AVX512F, HPC_CPU_AVX512CD, HPC_CPU_AVX512DQ, HPC_CPU_AVX512BW, HPC_CPU_AVX512VL,
	HPC_CPU_AVX512IFMA, HPC_CPU_AVX512VBMI, HPC_CPU_AVX512VBMI2, HPC_CPU_AVX512VNNI,
	HPC_CPU_AVX512BITALG, HPC_CPU_AVX512VPOPCNTDQ, HPC_CPU_AVX512BF16, HPC_CPU_AVX512FP16,
	HPC_CPU_GFNI, HPC_CPU_VAES, HPC_CPU_VPCLMULQDQ, HPC_CPU_AVXVNNI, HPC_CPU_AMX_TILE,
	HPC_CPU_AMX_BF16, HPC_CPU_AMX_INT8, HPC_CPU_SSE4A, HPC_CPU_FMA4, HPC_CPU_XOP,
	/* the rest of what archspec's x86_64 targets name (bits 64.. live in features_hi) */
	HPC_CPU_MMX, HPC_CPU_SSE, HPC_CPU_RDRAND, HPC_CPU_FSGSBASE, HPC_CPU_TSC_ADJUST,
	HPC_CPU_CLFLUSHOPT, HPC_CPU_XSAVEOPT, HPC_CPU_XSAVEC, HPC_CPU_RDPID, HPC_CPU_PKU,
	HPC_CPU_WAITPKG, HPC_CPU_CLDEMOTE, HPC_CPU_MOVDIRI, HPC_CPU_MOVDIR64B, HPC_CPU_SERIALIZE,
	HPC_CPU_FLUSH_L1D, HPC_CPU_AVX512ER, HPC_CPU_AVX512PF, HPC_CPU_AVX512VP2INTERSECT,
	HPC_CPU_AVXIFMA, HPC_CPU_AVXNECONVERT, HPC_CPU_AVXVNNIINT8, HPC_CPU_AVXVNNIINT16,
	HPC_CPU_CMPCCXADD, HPC_CPU_SHA512, HPC_CPU_SM3, HPC_CPU_SM4, HPC_CPU_3DNOW,
	HPC_CPU_3DNOWEXT, HPC_CPU_TBM, HPC_CPU_CLZERO,
	HPC_CPU__COUNT
};

struct hpc_cpu {
	char vendor[13];      /* "GenuineIntel", "AuthenticAMD", ... ("" off x86) */
	char brand[49];       /* cpuid brand string, trimmed */
	unsigned family, model, stepping; /* display family/model (extended folded in) */
	uint64_t features;    /* bit (1 << enum hpc_cpu_feature), OS support included */
	uint64_t features_hi; /* the same for features 64 and up; use hpc_cpu_has/_set */
	bool os_ymm, os_zmm;  /* XCR0 enables AVX / AVX-512 state */
	bool hypervisor;      /* running under a hypervisor */
	int x86_level;        /* 1..4 (x86-64-v1..v4), 0 off x86-64 */
	int ncpus_online;     /* logical CPUs online */
	int ncpus_allowed;    /* logical CPUs in this process's affinity mask */
};

/* Detect the CPU we run on. Never fails; fields stay zero/empty where unknown. */
void hpc_cpu_detect(struct hpc_cpu *cpu);
bool hpc_cpu_has(const struct hpc_cpu *cpu, enum hpc_cpu_feature f);
/* Set or clear a feature bit (for detection, and for describing other CPUs in tests). */
void hpc_cpu_set(struct hpc_cpu *cpu, enum hpc_cpu_feature f, bool on);
/* Lowercase feature name as Linux's /proc/cpuinfo spells it (e.g. "avx512f"). */
const char *hpc_cpu_feature_name(enum hpc_cpu_feature f);

#endif
