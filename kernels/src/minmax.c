/* SPDX-License-Identifier: MIT */
/* minmax.c - min, max, argmin, argmax with numpy's NaN rules (one copy per target)
 *
 * A NaN anywhere makes min/max NaN and argmin/argmax the index of the first NaN;
 * otherwise argmin/argmax give the first index holding the extreme. argmin/argmax scan
 * blocks of 32 vectors: each block's extreme is found with vector min/max only; a block
 * beating the best so far (strictly, so the earliest wins) is remembered, and only that
 * block is searched for the index at the end. NaNs are noticed cheaply: the elements
 * are also summed (one add per vector), and a NaN sum (a NaN, or inf - inf) triggers
 * an exact search.
 */
#ifndef HPCK_F
#include <math.h>

#include "kfuncs.h"
#define HPCK_F 64
#include "minmax.c"
#undef HPCK_F
#define HPCK_F 32
#include "minmax.c"
#undef HPCK_F
#else
#include "simd_t.h"
#include "kloop.h"

/* acc = min/max(acc, v); chk sums the elements: NaN if one was NaN (or inf - inf) */
HPCK_SI VT TX(step)(int mx, VT acc, VT v, VT *chk)
{
	*chk = VX(add)(*chk, v);
	return mx ? VX(max)(acc, v) : VX(min)(acc, v);
}

/* Lane-wise extreme of a[0..3]; *maybe_nan set when chk says a NaN may be there. */
HPCK_SI VT TX(fold)(int mx, VT *a, VT *chk, int *maybe_nan)
{
	VT v = mx ? VX(max)(VX(max)(a[0], a[1]), VX(max)(a[2], a[3]))
		  : VX(min)(VX(min)(a[0], a[1]), VX(min)(a[2], a[3]));
	VT c = VX(add)(VX(add)(chk[0], chk[1]), VX(add)(chk[2], chk[3]));

	*maybe_nan = MX(bits)(VX(unord)(c, c)) != 0;
	return v;
}

HPCK_SI FT TX(hext)(int mx, VT v)
{
	return mx ? VX(hmax)(v) : VX(hmin)(v);
}

/* Index of the first NaN among x[0..m) (stride s), or m. */
HPCK_SI size_t TX(first_nan)(const FT *x, ptrdiff_t s, size_t m)
{
	size_t j = 0;

	while (j < m && *HPCK_OFF(x, j, s) == *HPCK_OFF(x, j, s))
		j++;
	return j;
}

/* Lane-wise extreme of elements [b, b + m) of x[0..n), every element read with full
 * vectors except at most one partial one at each end. */
HPCK_SI VT TX(block)(const FT *x, ptrdiff_t s, IT si, int k, size_t b, size_t m, size_t n,
		     int mx, int *maybe)
{
	const FT *p = HPCK_OFF(x, b, s);
	VT a[4], chk[4];
	size_t j = 0;

	/* four independent chains each, so neither min/max nor the NaN sum waits */
	a[0] = a[1] = a[2] = a[3] = VX(set1)(*p);
	chk[0] = chk[1] = chk[2] = chk[3] = VX(set1)(0);
	/* contiguous: a partial vector first, then aligned loads that never straddle two
	 * cache lines (15-20% faster on L2-resident float64 arrays) */
	if (k == K1 && m >= 8 * VN && (j = TX(head)(p, m)) != 0)
		a[1] = TX(step)(mx, a[1], VX(load_n)(p, j, *p), &chk[1]);
	for (; j + 4 * VN <= m && b + j + 4 * VN < n; j += 4 * VN) {
		if (k == K1)
			hpck_prefetch_ahead(p + j, 4 * VN * sizeof(FT));
#pragma GCC unroll 4
		for (int q = 0; q < 4; q++)
			a[q] = TX(step)(mx, a[q], TX(ld)(HPCK_OFF(p, j + (size_t)q * VN, s), s, si, k),
					&chk[q]);
	}
	for (; j + VN <= m && b + j + VN < n; j += VN)
		a[0] = TX(step)(mx, a[0], TX(ld)(HPCK_OFF(p, j, s), s, si, k), &chk[0]);
	if (j < m)
		a[1] = TX(step)(mx, a[1], TX(ld_n)(HPCK_OFF(p, j, s), s, si, k, m - j, *p), &chk[1]);
	return TX(fold)(mx, a, chk, maybe);
}

HPCK_SI FT TX(extreme)(const FT *x, ptrdiff_t s, int k, size_t n, int mx)
{
	int maybe;
	FT e = TX(hext)(mx, TX(block)(x, s, VX(sidx)(s), k, 0, n, n, mx, &maybe));

	return maybe && TX(first_nan)(x, s, n) < n ? (FT)NAN : e;
}

HPCK_SI size_t TX(argext)(const FT *x, ptrdiff_t s, int k, size_t n, int mx)
{
	const size_t bl = 32 * VN;
	IT si = VX(sidx)(s);
	size_t b, j, best_b = 0, m;
	FT best = 0;
	VT v, bestv = VX(set1)(0);
	int maybe;
	/* contiguous: the first block ends where x is aligned, so no other block has a
	 * misaligned head to peel */
	size_t first = k == K1 && n >= 2 * bl ? TX(head)(x, bl) : 0;

	for (b = 0; b < n; b += m) {
		m = b == 0 && first ? first : n - b < bl ? n - b : bl;
		v = TX(block)(x, s, si, k, b, m, n, mx, &maybe);
		if (maybe && (j = TX(first_nan)(HPCK_OFF(x, b, s), s, m)) < m)
			return b + j;
		/* a horizontal reduction only when some lane beats the best so far (strictly,
		 * so the earliest block holding the extreme wins): rare after the start */
		if (b == 0 || MX(bits)(mx ? VX(lt)(bestv, v) : VX(lt)(v, bestv))) {
			best = TX(hext)(mx, v);
			bestv = VX(set1)(best);
			best_b = b;
		}
	}
	for (j = 0; *HPCK_OFF(x, best_b + j, s) != best; j++)
		;
	return best_b + j;
}

/* One element at a time, for float32 strides too large for 32-bit gather offsets. */
static size_t TX(argext_scalar)(const FT *x, ptrdiff_t s, size_t n, int mx)
{
	size_t r = 0;

	for (size_t i = 1; i < n; i++) {
		FT v = *HPCK_OFF(x, i, s), c = *HPCK_OFF(x, r, s);
		if (c != c)
			break;
		if (v != v || (mx ? v > c : v < c))
			r = i;
	}
	return r;
}

#define HPCK_EXTREME_KERNELS(name, mx)                                                      \
	FT TX(k_##name)(size_t n, const FT *x, ptrdiff_t s)                                  \
	{                                                                                   \
		if (s == 1)                                                                 \
			return TX(extreme)(x, 1, K1, n, mx);                                 \
		if (s == 2)                                                                 \
			return TX(extreme)(x, 2, K2, n, mx);                                 \
		if (!TX(big_stride)(s, 0, 0, 0))                                            \
			return TX(extreme)(x, s, KG, n, mx);                                 \
		return *HPCK_OFF(x, TX(argext_scalar)(x, s, n, mx), s);                     \
	}                                                                                   \
	size_t TX(k_arg##name)(size_t n, const FT *x, ptrdiff_t s)                           \
	{                                                                                   \
		if (s == 1)                                                                 \
			return TX(argext)(x, 1, K1, n, mx);                                  \
		if (s == 2)                                                                 \
			return TX(argext)(x, 2, K2, n, mx);                                  \
		if (!TX(big_stride)(s, 0, 0, 0))                                            \
			return TX(argext)(x, s, KG, n, mx);                                  \
		return TX(argext_scalar)(x, s, n, mx);                                      \
	}
HPCK_EXTREME_KERNELS(min, 0)
HPCK_EXTREME_KERNELS(max, 1)
#undef HPCK_EXTREME_KERNELS
#endif
