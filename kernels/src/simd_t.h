/* SPDX-License-Identifier: MIT */
/* simd_t.h - map the type-generic names a kernel template uses onto float64 or float32
 *
 * A kernel source includes itself once per type with HPCK_F set to 64 or 32; this
 * header (re)defines FT (the C type), VT/MT/IT (vector, mask, integer lanes), VN (lanes),
 * VX(op)/MX(op)/IX(op) (vocabulary) and TX(name) (a per-type, per-target function name).
 */
#undef FT
#undef VT
#undef MT
#undef IT
#undef VN
#undef VX
#undef MX
#undef IX
#undef TX
#undef TABT
#if HPCK_F == 64
#define FT double
#define VT vf64
#define MT mf64
#define IT vi64
#define VN VF64_N
#define VX(op) vf64_##op
#define MX(op) mf64_##op
#define IX(op) vi64_##op
#define TX(name) HPCK_FN(name##_f64)
#define TABT struct vf64_tab16
#elif HPCK_F == 32
#define FT float
#define VT vf32
#define MT mf32
#define IT vi32
#define VN VF32_N
#define VX(op) vf32_##op
#define MX(op) mf32_##op
#define IX(op) vi32_##op
#define TX(name) HPCK_FN(name##_f32)
#define TABT struct vf32_tab16
#else
#error "HPCK_F must be 64 or 32"
#endif
