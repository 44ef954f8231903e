/* SPDX-License-Identifier: MIT */
/* binary.c - add, subtract, multiply, divide and fused multiply-add (one copy per target)
 *
 * IEEE operations: results are correctly rounded and identical on every target, and
 * the exceptions are the hardware's (padding lanes hold 1.0, which raises none).
 */
#ifndef HPCK_F
#include "kfuncs.h"
#define HPCK_F 64
#include "binary.c"
#undef HPCK_F
#define HPCK_F 32
#include "binary.c"
#undef HPCK_F
#else
#include "simd_t.h"
#include "kloop.h"

HPCK_SI VT TX(op_add)(VT a, VT b) { return VX(add)(a, b); }
HPCK_SI VT TX(op_subtract)(VT a, VT b) { return VX(sub)(a, b); }
HPCK_SI VT TX(op_multiply)(VT a, VT b) { return VX(mul)(a, b); }
HPCK_SI VT TX(op_divide)(VT a, VT b) { return VX(div)(a, b); }

#define HPCK_BINARY_KERNEL(name)                                                            \
	unsigned TX(k_##name)(size_t n, const void *a, ptrdiff_t sa, const void *b,          \
			      ptrdiff_t sb, void *y, ptrdiff_t sy, unsigned kf)              \
	{                                                                                   \
		TX(bin_any)(n, a, sa, b, sb, y, sy, kf, TX(op_##name));                      \
		return 0;                                                                   \
	}
HPCK_BINARY_KERNEL(add)
HPCK_BINARY_KERNEL(subtract)
HPCK_BINARY_KERNEL(multiply)
HPCK_BINARY_KERNEL(divide)
#undef HPCK_BINARY_KERNEL

unsigned TX(k_fma)(size_t n, const void *va, ptrdiff_t sa, const void *vb, ptrdiff_t sb,
		   const void *vc, ptrdiff_t sc, void *vy, ptrdiff_t sy, unsigned kf)
{
	const FT *a = va, *b = vb, *c = vc;
	FT *y = vy;

	if (sa == 1 && sb == 1 && sc == 1 && sy == 1)
		TX(fma_run)(n, a, 1, K1, b, 1, K1, c, 1, K1, y, 1, K1, kf);
	else if (sa == 0 && sb == 1 && sc == 1 && sy == 1) /* axpy */
		TX(fma_run)(n, a, 0, K0, b, 1, K1, c, 1, K1, y, 1, K1, kf);
	else if (sa == 2 && sb == 2 && sc == 2 && sy == 2)
		TX(fma_run)(n, a, 2, K2, b, 2, K2, c, 2, K2, y, 2, K2, kf);
	else if (TX(big_stride)(sa, sb, sc, sy))
		for (size_t i = 0; i < n; i++)
			TX(fma_run)(1, HPCK_OFF(a, i, sa), 3, KG, HPCK_OFF(b, i, sb), 3, KG,
				    HPCK_OFF(c, i, sc), 3, KG, HPCK_OFF(y, i, sy), 3, KG, 0);
	else
		TX(fma_run)(n, a, sa, KG, b, sb, KG, c, sc, KG, y, sy, KG, kf);
	return 0;
}
#endif
