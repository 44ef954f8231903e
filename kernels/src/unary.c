/* SPDX-License-Identifier: MIT */
/* unary.c - negative, absolute (sign-bit operations) and sqrt (IEEE), one copy per target */
#ifndef HPCK_F
#include "kfuncs.h"
#define HPCK_F 64
#include "unary.c"
#undef HPCK_F
#define HPCK_F 32
#include "unary.c"
#undef HPCK_F
#else
#include "simd_t.h"
#include "kloop.h"

HPCK_SI VT TX(op_negative)(VT x, unsigned *fl) { (void)fl; return VX(neg)(x); }
HPCK_SI VT TX(op_absolute)(VT x, unsigned *fl) { (void)fl; return VX(abs)(x); }
HPCK_SI VT TX(op_sqrt)(VT x, unsigned *fl) { (void)fl; return VX(sqrt)(x); }
#if HPCK_F == 32 && defined(HPCK_HAVE_SQRT_NR)
HPCK_SI VT TX(op_sqrt_nr)(VT x, unsigned *fl) { (void)fl; return vf32_sqrt_nr(x); }
#define TX_SQRT_NR 1
#else
#define TX_SQRT_NR 0
#endif

#define HPCK_UNARY_KERNEL(name)                                                             \
	unsigned TX(k_##name)(size_t n, const void *x, ptrdiff_t sx, void *y, ptrdiff_t sy,  \
			      unsigned kf)                                                  \
	{                                                                                   \
		return TX(un_any)(n, x, sx, y, sy, kf, 1, TX(op_##name));                    \
	}
HPCK_UNARY_KERNEL(negative)
HPCK_UNARY_KERNEL(absolute)
#undef HPCK_UNARY_KERNEL

unsigned TX(k_sqrt)(size_t n, const void *x, ptrdiff_t sx, void *y, ptrdiff_t sy, unsigned kf)
{
#if TX_SQRT_NR
	if (kf & HPCK_K_RNE)
		return TX(un_any)(n, x, sx, y, sy, kf, 1, TX(op_sqrt_nr));
#endif
	return TX(un_any)(n, x, sx, y, sy, kf, 1, TX(op_sqrt));
}
#undef TX_SQRT_NR
#endif
