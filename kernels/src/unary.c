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

#define HPCK_UNARY_KERNEL(name)                                                             \
	unsigned TX(k_##name)(size_t n, const void *x, ptrdiff_t sx, void *y, ptrdiff_t sy,  \
			      unsigned kf)                                                  \
	{                                                                                   \
		return TX(un_any)(n, x, sx, y, sy, kf, 1, TX(op_##name));                    \
	}
HPCK_UNARY_KERNEL(negative)
HPCK_UNARY_KERNEL(absolute)
HPCK_UNARY_KERNEL(sqrt)
#undef HPCK_UNARY_KERNEL
#endif
