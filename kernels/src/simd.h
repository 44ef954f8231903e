/* SPDX-License-Identifier: MIT */
/* simd.h - pick the SIMD vocabulary for the target this object is compiled for
 *
 * Every kernel source is compiled once per target with that target's flags and
 * -DHPCK_TARGET_<NAME>; HPCK_FN(name) gives its functions a per-target suffix
 * (k_add_f64 -> k_add_f64_avx512) so all the copies link into one library.
 */
#ifndef HPCK_SIMD_H
#define HPCK_SIMD_H

#include <stddef.h>
#include <stdint.h>

#if defined(HPCK_TARGET_AVX512)
#include "simd_avx512.h"
#elif defined(HPCK_TARGET_AVX2)
#include "simd_avx2.h"
#elif defined(HPCK_TARGET_SSE2)
#include "simd_sse2.h"
#elif defined(HPCK_TARGET_GENERIC)
#include "simd_generic.h"
#else
#error "compile kernel sources with -DHPCK_TARGET_{AVX512,AVX2,SSE2,GENERIC}"
#endif

#define HPCK_CAT_(a, b) a##_##b
#define HPCK_CAT(a, b) HPCK_CAT_(a, b)
#define HPCK_FN(name) HPCK_CAT(name, HPCK_ISA_NAME)

#endif
