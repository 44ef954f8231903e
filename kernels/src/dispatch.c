/* SPDX-License-Identifier: MIT */
/* dispatch.c - choose the kernels once, when the library is loaded
 *
 * The best target the CPU *and the OS* support (cpuid feature bits, and XCR0 from
 * xgetbv for the YMM/ZMM register state) wins, minus what HPCKERN_DISABLE names:
 * a comma- or space-separated list of avx512, avx2, sse2 (case-insensitive). Disabling
 * a target also disables the ones above it (they assume it), like numpy's
 * NPY_DISABLE_CPU_FEATURES; unknown names are ignored.
 */
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "hpckernels.h"
#include "internal.h"
#ifdef HPCK_X86
#include <cpuid.h>
#endif

/* best first; the index is the target's rank */
enum { T_AVX512, T_AVX2, T_SSE2, T_GENERIC, T_COUNT };
static const char *const target_names[T_COUNT] = { "avx512", "avx2", "sse2", "generic" };

static const struct hpck_isa *chosen;
static char supported[48];
static pthread_once_t once = PTHREAD_ONCE_INIT;

static const struct hpck_isa *target_isa(int t)
{
#ifdef HPCK_X86
	switch (t) {
	case T_AVX512:
		return &hpck_isa_avx512;
	case T_AVX2:
		return &hpck_isa_avx2;
	case T_SSE2:
		return &hpck_isa_sse2;
	}
#endif
	(void)t;
	return &hpck_isa_generic;
}

#ifdef HPCK_X86
static uint64_t xgetbv0(void)
{
	unsigned lo, hi;

	__asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
	return ((uint64_t)hi << 32) | lo;
}

/* Bit t set when target t can run here. */
static unsigned cpu_targets(void)
{
	unsigned a, b, c, d, r = 1u << T_GENERIC | 1u << T_SSE2; /* SSE2 is x86-64 baseline */
	bool avx, fma, ymm, zmm;
	uint64_t x = 0;

	if (!__get_cpuid(1, &a, &b, &c, &d))
		return r;
	avx = (c >> 28) & 1;
	fma = (c >> 12) & 1;
	if ((c >> 27) & 1) /* OSXSAVE: xgetbv is allowed */
		x = xgetbv0();
	ymm = (x & 0x6) == 0x6;
	zmm = ymm && (x & 0xe0) == 0xe0;
	if (__get_cpuid_max(0, NULL) < 7)
		return r;
	__cpuid_count(7, 0, a, b, c, d);
	if (avx && fma && ymm && ((b >> 5) & 1)) {
		r |= 1u << T_AVX2;
		/* F (16), DQ (17), BW (30), VL (31) */
		if (zmm && ((b >> 16) & 1) && ((b >> 17) & 1) && ((b >> 30) & 1) && ((b >> 31) & 1))
			r |= 1u << T_AVX512;
	}
	return r;
}
#else
static unsigned cpu_targets(void)
{
	return 1u << T_GENERIC;
}
#endif

/* Targets removed by HPCKERN_DISABLE (and everything ranked above them). */
static unsigned disabled_targets(void)
{
	const char *env = getenv("HPCKERN_DISABLE");
	char buf[256], *tok, *save = NULL;
	unsigned off = 0;

	if (!env || strlen(env) >= sizeof(buf))
		return 0;
	strcpy(buf, env);
	for (tok = strtok_r(buf, ", \t", &save); tok; tok = strtok_r(NULL, ", \t", &save))
		for (int t = 0; t < T_GENERIC; t++)
			if (!strcasecmp(tok, target_names[t]))
				off |= (2u << t) - 1; /* t and all better ones */
	return off;
}

static void choose(void)
{
	unsigned can = cpu_targets(), use = can & ~disabled_targets();
	size_t len = 0;

	for (int t = 0; t < T_COUNT; t++)
		if (can & (1u << t)) {
			len += (size_t)snprintf(supported + len, sizeof(supported) - len, "%s%s",
						len ? "," : "", target_names[t]);
		}
	for (int t = 0; t < T_COUNT; t++)
		if (use & (1u << t)) {
			chosen = target_isa(t);
			return;
		}
	chosen = &hpck_isa_generic;
}

/* At load; hpck_isa() also covers calls from other libraries' constructors. */
__attribute__((constructor)) static void hpck_dispatch_init(void)
{
	pthread_once(&once, choose);
}

const struct hpck_isa *hpck_isa(void)
{
	if (__builtin_expect(chosen == NULL, 0))
		pthread_once(&once, choose);
	return chosen;
}

const char *hpck_dispatch_path(void)
{
	return hpck_isa()->name;
}

const char *hpck_supported_paths(void)
{
	hpck_isa();
	return supported;
}
