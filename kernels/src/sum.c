/* SPDX-License-Identifier: MIT */
/* sum.c - pairwise sum, dot product and scaled sum of squares (one copy per target)
 *
 * Pairwise like numpy's: the array is halved (at multiples of a block) down to leaves
 * of at most LEAF elements; a leaf is summed by ACC vector accumulators in which every
 * lane adds at most 16 consecutive blocks' elements (numpy: 8 scalars, 16 deep), then
 * combined as a balanced tree. The result depends only on n, the values and the target
 * (never on threads). Dot products are summed the same way (fused on FMA targets).
 * Sums of squares for nrm2: float32 accumulates in double (no scaling needed); float64
 * sums x^2 directly unless a block holds huge (> 2^486) or only tiny (< 2^-484) values,
 * in which case that block is redone with Blue's three scaled accumulators (as LAPACK).
 */
#ifndef HPCK_F
#include "kfuncs.h"
#define HPCK_F 64
#include "sum.c"
#undef HPCK_F
#define HPCK_F 32
#include "sum.c"
#undef HPCK_F
#else
#include "simd_t.h"
#include "kloop.h"

#define ACC 8
#define BLOCK (VN * ACC)
#define LEAF (BLOCK * 16)

HPCK_SI FT TX(tree)(VT *a)
{
#pragma GCC unroll 4
	for (int w = ACC / 2; w; w /= 2)
		for (int j = 0; j < w; j++)
			a[j] = VX(add)(a[j], a[j + w]);
	return VX(hsum)(a[0]);
}

/* sum (y == NULL) or dot product of n <= LEAF elements */
HPCK_SI FT TX(leaf)(const FT *x, ptrdiff_t sx, int kx, const FT *y, ptrdiff_t sy, int ky,
		    size_t n)
{
	IT ix = VX(sidx)(sx), iy = VX(sidx)(sy);
	VT a[ACC];
	size_t i = 0;
	int j;

	for (j = 0; j < ACC; j++)
		a[j] = VX(set1)(0);
	for (; i + BLOCK < n; i += BLOCK)
#pragma GCC unroll 8
		for (j = 0; j < ACC; j++) {
			VT v = TX(ld)(HPCK_OFF(x, i + (size_t)j * VN, sx), sx, ix, kx);
			a[j] = y ? VX(fmadd)(v, TX(ld)(HPCK_OFF(y, i + (size_t)j * VN, sy), sy, iy, ky),
					     a[j])
				 : VX(add)(a[j], v);
		}
	for (j = 0; i + VN < n; i += VN, j++) {
		VT v = TX(ld)(HPCK_OFF(x, i, sx), sx, ix, kx);
		a[j] = y ? VX(fmadd)(v, TX(ld)(HPCK_OFF(y, i, sy), sy, iy, ky), a[j])
			 : VX(add)(a[j], v);
	}
	if (i < n) {
		VT v = TX(ld_n)(HPCK_OFF(x, i, sx), sx, ix, kx, n - i, 0);
		a[j] = y ? VX(fmadd)(v, TX(ld_n)(HPCK_OFF(y, i, sy), sy, iy, ky, n - i, 0), a[j])
			 : VX(add)(a[j], v);
	}
	return TX(tree)(a);
}

static FT TX(leaf_any)(const FT *x, ptrdiff_t sx, const FT *y, ptrdiff_t sy, size_t n)
{
	if (TX(big_stride)(sx, y ? sy : 0, 0, 0)) {
		FT bx[LEAF], by[LEAF];
		TX(pack)(bx, x, sx, n);
		if (y)
			TX(pack)(by, y, sy, n);
		return TX(leaf)(bx, 1, K1, y ? by : NULL, 1, K1, n);
	}
	if (!y) {
		if (sx == 1)
			return TX(leaf)(x, 1, K1, NULL, 0, K1, n);
		if (sx == 2)
			return TX(leaf)(x, 2, K2, NULL, 0, K1, n);
		return TX(leaf)(x, sx, KG, NULL, 0, K1, n);
	}
	if (sx == 1 && sy == 1)
		return TX(leaf)(x, 1, K1, y, 1, K1, n);
	if (sx == 2 && sy == 2)
		return TX(leaf)(x, 2, K2, y, 2, K2, n);
	return TX(leaf)(x, sx, KG, y, sy, KG, n);
}

static FT TX(pairwise)(const FT *x, ptrdiff_t sx, const FT *y, ptrdiff_t sy, size_t n)
{
	size_t h;

	if (n <= LEAF)
		return TX(leaf_any)(x, sx, y, sy, n);
	h = n / 2 / BLOCK * BLOCK;
	return TX(pairwise)(x, sx, y, sy, h) +
	       TX(pairwise)(HPCK_OFF(x, h, sx), sx, y ? HPCK_OFF(y, h, sy) : NULL, sy, n - h);
}

FT TX(k_sum)(size_t n, const FT *x, ptrdiff_t sx)
{
	return TX(pairwise)(x, sx, NULL, 0, n);
}

FT TX(k_dot)(size_t n, const FT *x, ptrdiff_t sx, const FT *y, ptrdiff_t sy)
{
	return TX(pairwise)(x, sx, y, sy, n);
}

#if HPCK_F == 64
/* x^2 of 2^-484 or more is at least 2^-968: subnormal squares of smaller elements in the
 * same block then cannot matter, so only blocks without any such element need Blue. */
#define SSQ_TINY 0x1p-484
#define SSQ_VECS 32

/* One block of m <= SSQ_VECS * VN elements with Blue's scaled accumulators. */
HPCK_SI void TX(blue)(const FT *x, ptrdiff_t s, IT si, int k, size_t m, VT acc[3])
{
	const VT zero = VX(set1)(0);

	for (size_t i = 0; i < m; i += VN) {
		VT v = TX(ld_n)(HPCK_OFF(x, i, s), s, si, k, m - i < VN ? m - i : VN, 0);
		VT a = VX(abs)(v);
		MT big = VX(lt)(VX(set1)(HPCK_BLUE_BIG), a), sml = VX(lt)(a, VX(set1)(HPCK_BLUE_SMALL));
		VT vb = VX(blend)(big, zero, VX(mul)(v, VX(set1)(HPCK_BLUE_SBIG)));
		VT vs = VX(blend)(sml, zero, VX(mul)(v, VX(set1)(HPCK_BLUE_SSMALL)));
		VT vm = VX(blend)(MX(or)(big, sml), v, zero);
		acc[0] = VX(fmadd)(vb, vb, acc[0]);
		acc[1] = VX(fmadd)(vm, vm, acc[1]);
		acc[2] = VX(fmadd)(vs, vs, acc[2]);
	}
}

HPCK_SI void TX(ssq_leaf)(const FT *x, ptrdiff_t s, int k, size_t n, VT acc[3])
{
	const size_t bl = SSQ_VECS * VN;
	IT si = VX(sidx)(s);

	for (size_t i = 0; i < n; i += bl) {
		size_t m = n - i < bl ? n - i : bl, j = 0;
		VT a[4] = { VX(set1)(0), VX(set1)(0), VX(set1)(0), VX(set1)(0) };
		VT mxs[4] = { VX(set1)(0), VX(set1)(0), VX(set1)(0), VX(set1)(0) }, mx;
		const FT *p = HPCK_OFF(x, i, s);

		/* four independent chains for the sums and for the maxima */
		for (; j + 4 * VN < m; j += 4 * VN)
#pragma GCC unroll 4
			for (int q = 0; q < 4; q++) {
				VT v = TX(ld)(HPCK_OFF(p, j + (size_t)q * VN, s), s, si, k);
				a[q] = VX(fmadd)(v, v, a[q]);
				mxs[q] = VX(max)(mxs[q], VX(abs)(v));
			}
		for (; j + VN < m; j += VN) {
			VT v = TX(ld)(HPCK_OFF(p, j, s), s, si, k);
			a[0] = VX(fmadd)(v, v, a[0]);
			mxs[0] = VX(max)(mxs[0], VX(abs)(v));
		}
		{
			VT v = TX(ld_n)(HPCK_OFF(p, j, s), s, si, k, m - j, 0);
			a[1] = VX(fmadd)(v, v, a[1]);
			mxs[1] = VX(max)(mxs[1], VX(abs)(v));
		}
		mx = VX(max)(VX(max)(mxs[0], mxs[1]), VX(max)(mxs[2], mxs[3]));
		if (MX(bits)(VX(nle)(mx, VX(set1)(HPCK_BLUE_BIG))) ||
		    MX(bits)(VX(lt)(mx, VX(set1)(SSQ_TINY))) == MX(bits)(VX(eq)(mx, mx))) {
			TX(blue)(p, s, si, k, m, acc);
			continue;
		}
		acc[1] = VX(add)(acc[1], VX(add)(VX(add)(a[0], a[1]), VX(add)(a[2], a[3])));
	}
}

static struct hpck_ssq TX(ssq_tree)(const FT *x, ptrdiff_t s, size_t n)
{
	struct hpck_ssq r, r2;
	size_t h;

	if (n <= LEAF) {
		VT acc[3] = { VX(set1)(0), VX(set1)(0), VX(set1)(0) };
		if (TX(big_stride)(s, 0, 0, 0) || s == 1)
			TX(ssq_leaf)(x, s, s == 1 ? K1 : KG, n, acc);
		else if (s == 2)
			TX(ssq_leaf)(x, 2, K2, n, acc);
		else
			TX(ssq_leaf)(x, s, KG, n, acc);
		r.big = VX(hsum)(acc[0]);
		r.mid = VX(hsum)(acc[1]);
		r.small = VX(hsum)(acc[2]);
		return r;
	}
	h = n / 2 / BLOCK * BLOCK;
	r = TX(ssq_tree)(x, s, h);
	r2 = TX(ssq_tree)(HPCK_OFF(x, h, s), s, n - h);
	r.big += r2.big;
	r.mid += r2.mid;
	r.small += r2.small;
	return r;
}

struct hpck_ssq TX(k_ssq)(size_t n, const FT *x, ptrdiff_t sx)
{
	return TX(ssq_tree)(x, sx, n);
}
#undef SSQ_TINY
#undef SSQ_VECS

#else /* float32: squares summed in double cannot overflow or underflow */
HPCK_SI double TX(ssq_leaf)(const float *x, size_t n)
{
	vf64 a[4] = { vf64_set1(0), vf64_set1(0), vf64_set1(0), vf64_set1(0) };
	size_t i = 0;

	for (; i + 4 * VF64_N <= n; i += 4 * VF64_N) {
		hpck_prefetch_ahead(x + i, 4 * VF64_N * sizeof(float));
		for (int j = 0; j < 4; j++) {
			vf64 v = vf64_from_f32(x + i + (size_t)j * VF64_N);
			a[j] = vf64_fmadd(v, v, a[j]);
		}
	}
	for (; i < n; i += VF64_N) {
		vf64 v = vf64_from_f32_n(x + i, n - i < VF64_N ? n - i : VF64_N);
		a[0] = vf64_fmadd(v, v, a[0]);
	}
	return vf64_hsum(vf64_add(vf64_add(a[0], a[1]), vf64_add(a[2], a[3])));
}

static double TX(ssq_tree)(const float *x, ptrdiff_t s, size_t n)
{
	size_t h;

	if (n <= LEAF) {
		float buf[LEAF];
		if (s == 1)
			return TX(ssq_leaf)(x, n);
		TX(pack)(buf, x, s, n);
		return TX(ssq_leaf)(buf, n);
	}
	h = n / 2 / BLOCK * BLOCK;
	return TX(ssq_tree)(x, s, h) + TX(ssq_tree)(HPCK_OFF(x, h, s), s, n - h);
}

double TX(k_ssq)(size_t n, const float *x, ptrdiff_t sx)
{
	return TX(ssq_tree)(x, sx, n);
}
#endif
#undef ACC
#undef BLOCK
#undef LEAF
#endif
