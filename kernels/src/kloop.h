/* SPDX-License-Identifier: MIT */
/* kloop.h - the loops every elementwise kernel shares (included once per type)
 *
 * An operand is walked in one of four ways, fixed at compile time so the common cases
 * get straight-line code: K1 contiguous, K0 one broadcast element, K2 every other
 * element, KG any stride (decided per access: reversed, gathered, scattered).
 * Tails are done with the same vector code on a partial vector (masked or padded with
 * a harmless fill value), never with scalar code, so an element's result does not
 * depend on where a chunk boundary falls: results are identical whatever the threading.
 */
#ifndef HPCK_KLOOP_ONCE
#define HPCK_KLOOP_ONCE
enum { K0 = 0, K1 = 1, K2 = 2, KG = 3 };
#define HPCK_OFF(p, i, s) ((p) + (ptrdiff_t)(i) * (s))
static inline int hpck_kind(ptrdiff_t s)
{
	return s == 1 ? K1 : s == 0 ? K0 : s == 2 ? K2 : KG;
}

/* Prefetch the lines HPCK_PF_DIST bytes beyond the `bytes` a read-only loop is about to
 * read. When a loop spends several instructions per cache line, the reorder window
 * holds too few lines' loads and the hardware prefetcher alone keeps too few misses in
 * flight (float32 nrm2 widens each value to double: 17 -> 21 GB/s on 2 threads at 1e8). */
#define HPCK_PF_DIST 4096
static inline __attribute__((always_inline)) void hpck_prefetch_ahead(const void *p,
									size_t bytes)
{
	for (size_t o = 0; o < bytes; o += 64)
		__builtin_prefetch((const char *)p + HPCK_PF_DIST + o, 0, 3);
}
#endif

/* Gathers of 32-bit lanes take int32 offsets: strides beyond this go one lane at a time. */
#define TX_BIG_STRIDE ((ptrdiff_t)1 << 26)

HPCK_SI VT TX(ld)(const FT *p, ptrdiff_t s, IT si, int k)
{
	switch (k) {
	case K1:
		return VX(load)(p);
	case K0:
		return VX(set1)(*p);
	case K2:
		return VX(load2)(p);
	default:
		if (s == 1)
			return VX(load)(p);
		if (s == 0)
			return VX(set1)(*p);
		if (s == 2)
			return VX(load2)(p);
		if (s == -1)
			return VX(loadr)(p);
		return VX(gather)(p, si);
	}
}

HPCK_SI VT TX(ld_n)(const FT *p, ptrdiff_t s, IT si, int k, size_t m, FT fill)
{
	if (k == K1 || (k == KG && s == 1))
		return VX(load_n)(p, m, fill);
	if (k == K0 || (k == KG && s == 0))
		return VX(set1)(*p);
	return VX(gather_n)(p, si, m, fill);
}

HPCK_SI void TX(st)(FT *p, ptrdiff_t s, IT si, int k, VT v)
{
	switch (k) {
	case K1:
		VX(store)(p, v);
		return;
	case K2:
		VX(store2)(p, v);
		return;
	default:
		if (s == 1)
			VX(store)(p, v);
		else if (s == 2)
			VX(store2)(p, v);
		else if (s == -1)
			VX(storer)(p, v);
		else
			VX(scatter)(p, si, v);
	}
}

HPCK_SI void TX(st_n)(FT *p, ptrdiff_t s, IT si, int k, VT v, size_t m)
{
	if (k == K1 || (k == KG && s == 1))
		VX(store_n)(p, v, m);
	else
		VX(scatter_n)(p, si, v, m);
}

/* Contiguous outputs of at least this many elements are written from an aligned address
 * on (a masked head first): non-temporal stores need it, and ordinary stores that never
 * split a cache line are faster where the data lives in L2 (float64 negative of 1e4..1e5
 * elements: numpy's loop was 5-10% ahead of our unaligned one on malloc'ed arrays). */
#define TX_ALIGN_MIN (4 * VN)

/* Elements to skip so that y becomes aligned for non-temporal stores. */
HPCK_SI size_t TX(head)(const FT *y, size_t n)
{
	size_t h = (((uintptr_t)0 - (uintptr_t)y) % HPCK_STREAM_ALIGN) / sizeof(FT);
	return h < n ? h : n;
}

/* ---- y = f(x) ---- */
HPCK_SI unsigned TX(un_run)(size_t n, const FT *x, ptrdiff_t sx, int kx, FT *y, ptrdiff_t sy,
			    int ky, unsigned kf, FT fill, VT (*f)(VT, unsigned *))
{
	IT ix = VX(sidx)(sx), iy = VX(sidx)(sy);
	unsigned fl = 0;
	size_t i = 0;

	if (ky == K1 && n >= TX_ALIGN_MIN) {
		size_t h = TX(head)(y, n);
		if (h) {
			VX(store_n)(y, f(TX(ld_n)(x, sx, ix, kx, h, fill), &fl), h);
			i = h;
		}
		if (kf & HPCK_K_STREAM) {
			for (; i + VN < n; i += VN)
				VX(stream)(y + i, f(TX(ld)(HPCK_OFF(x, i, sx), sx, ix, kx), &fl));
			hpck_stream_fence();
		}
	}
#pragma GCC unroll 2
	for (; i + VN < n; i += VN)
		TX(st)(HPCK_OFF(y, i, sy), sy, iy, ky, f(TX(ld)(HPCK_OFF(x, i, sx), sx, ix, kx), &fl));
	if (i < n) {
		size_t m = n - i;
		VT v = f(TX(ld_n)(HPCK_OFF(x, i, sx), sx, ix, kx, m, fill), &fl);
		TX(st_n)(HPCK_OFF(y, i, sy), sy, iy, ky, v, m);
	}
	return fl;
}

HPCK_SI unsigned TX(un_any)(size_t n, const FT *x, ptrdiff_t sx, FT *y, ptrdiff_t sy,
			    unsigned kf, FT fill, VT (*f)(VT, unsigned *))
{
	unsigned fl = 0;

	if (sx == 1 && sy == 1)
		return TX(un_run)(n, x, 1, K1, y, 1, K1, kf, fill, f);
	if (sx == 2 && sy == 2)
		return TX(un_run)(n, x, 2, K2, y, 2, K2, kf, fill, f);
	if (sizeof(FT) == 4 && (sx > TX_BIG_STRIDE || -sx > TX_BIG_STRIDE ||
				sy > TX_BIG_STRIDE || -sy > TX_BIG_STRIDE)) {
		for (size_t i = 0; i < n; i++)
			fl |= TX(un_run)(1, HPCK_OFF(x, i, sx), 3, KG, HPCK_OFF(y, i, sy), 3, KG, 0,
					 fill, f);
		return fl;
	}
	return TX(un_run)(n, x, sx, KG, y, sy, KG, kf, fill, f);
}

/* ---- y = f(a, b) ---- */
HPCK_SI unsigned TX(bin_run)(size_t n, const FT *a, ptrdiff_t sa, int ka, const FT *b,
			     ptrdiff_t sb, int kb, FT *y, ptrdiff_t sy, int ky, unsigned kf,
			     VT (*f)(VT, VT))
{
	IT ia = VX(sidx)(sa), ib = VX(sidx)(sb), iy = VX(sidx)(sy);
	const FT one = 1;
	size_t i = 0;

	if (ky == K1 && n >= TX_ALIGN_MIN) {
		size_t h = TX(head)(y, n);
		if (h) {
			VX(store_n)(y, f(TX(ld_n)(a, sa, ia, ka, h, one),
					 TX(ld_n)(b, sb, ib, kb, h, one)), h);
			i = h;
		}
		if (kf & HPCK_K_STREAM) {
			for (; i + VN < n; i += VN)
				VX(stream)(y + i, f(TX(ld)(HPCK_OFF(a, i, sa), sa, ia, ka),
						    TX(ld)(HPCK_OFF(b, i, sb), sb, ib, kb)));
			hpck_stream_fence();
		}
	}
#pragma GCC unroll 2
	for (; i + VN < n; i += VN)
		TX(st)(HPCK_OFF(y, i, sy), sy, iy, ky,
		       f(TX(ld)(HPCK_OFF(a, i, sa), sa, ia, ka),
			 TX(ld)(HPCK_OFF(b, i, sb), sb, ib, kb)));
	if (i < n) {
		size_t m = n - i;
		VT v = f(TX(ld_n)(HPCK_OFF(a, i, sa), sa, ia, ka, m, one),
			 TX(ld_n)(HPCK_OFF(b, i, sb), sb, ib, kb, m, one));
		TX(st_n)(HPCK_OFF(y, i, sy), sy, iy, ky, v, m);
	}
	return 0;
}

HPCK_SI int TX(big_stride)(ptrdiff_t a, ptrdiff_t b, ptrdiff_t c, ptrdiff_t d)
{
	ptrdiff_t s[4] = { a, b, c, d };

	if (sizeof(FT) != 4)
		return 0;
	for (int k = 0; k < 4; k++)
		if (s[k] > TX_BIG_STRIDE || -s[k] > TX_BIG_STRIDE)
			return 1;
	return 0;
}

HPCK_SI void TX(bin_any)(size_t n, const FT *a, ptrdiff_t sa, const FT *b, ptrdiff_t sb,
			 FT *y, ptrdiff_t sy, unsigned kf, VT (*f)(VT, VT))
{
	if (sy == 1 && sa == 1 && sb == 1)
		TX(bin_run)(n, a, 1, K1, b, 1, K1, y, 1, K1, kf, f);
	else if (sy == 1 && sa == 0 && sb == 1)
		TX(bin_run)(n, a, 0, K0, b, 1, K1, y, 1, K1, kf, f);
	else if (sy == 1 && sa == 1 && sb == 0)
		TX(bin_run)(n, a, 1, K1, b, 0, K0, y, 1, K1, kf, f);
	else if (sy == 2 && sa == 2 && sb == 2)
		TX(bin_run)(n, a, 2, K2, b, 2, K2, y, 2, K2, kf, f);
	else if (TX(big_stride)(sa, sb, sy, 0))
		for (size_t i = 0; i < n; i++)
			TX(bin_run)(1, HPCK_OFF(a, i, sa), 3, KG, HPCK_OFF(b, i, sb), 3, KG,
				    HPCK_OFF(y, i, sy), 3, KG, 0, f);
	else
		TX(bin_run)(n, a, sa, KG, b, sb, KG, y, sy, KG, kf, f);
}

/* ---- y = a * b + c (fused) ---- */
HPCK_SI void TX(fma_run)(size_t n, const FT *a, ptrdiff_t sa, int ka, const FT *b, ptrdiff_t sb,
			 int kb, const FT *c, ptrdiff_t sc, int kc, FT *y, ptrdiff_t sy, int ky,
			 unsigned kf)
{
	IT ia = VX(sidx)(sa), ib = VX(sidx)(sb), ic = VX(sidx)(sc), iy = VX(sidx)(sy);
	const FT one = 1;
	size_t i = 0;

	if (ky == K1 && n >= TX_ALIGN_MIN) {
		size_t h = TX(head)(y, n);
		if (h) {
			VX(store_n)(y, VX(fma)(TX(ld_n)(a, sa, ia, ka, h, one),
					       TX(ld_n)(b, sb, ib, kb, h, one),
					       TX(ld_n)(c, sc, ic, kc, h, one)), h);
			i = h;
		}
		if (kf & HPCK_K_STREAM) {
			for (; i + VN < n; i += VN)
				VX(stream)(y + i,
					   VX(fma)(TX(ld)(HPCK_OFF(a, i, sa), sa, ia, ka),
						   TX(ld)(HPCK_OFF(b, i, sb), sb, ib, kb),
						   TX(ld)(HPCK_OFF(c, i, sc), sc, ic, kc)));
			hpck_stream_fence();
		}
	}
#pragma GCC unroll 2
	for (; i + VN < n; i += VN)
		TX(st)(HPCK_OFF(y, i, sy), sy, iy, ky,
		       VX(fma)(TX(ld)(HPCK_OFF(a, i, sa), sa, ia, ka),
			       TX(ld)(HPCK_OFF(b, i, sb), sb, ib, kb),
			       TX(ld)(HPCK_OFF(c, i, sc), sc, ic, kc)));
	if (i < n) {
		size_t m = n - i;
		VT v = VX(fma)(TX(ld_n)(HPCK_OFF(a, i, sa), sa, ia, ka, m, one),
			       TX(ld_n)(HPCK_OFF(b, i, sb), sb, ib, kb, m, one),
			       TX(ld_n)(HPCK_OFF(c, i, sc), sc, ic, kc, m, one));
		TX(st_n)(HPCK_OFF(y, i, sy), sy, iy, ky, v, m);
	}
}

/* buf[i] = x[i * s] for i < n, with vector loads (used before contiguous-only code) */
HPCK_SI void TX(pack)(FT *buf, const FT *x, ptrdiff_t s, size_t n)
{
	IT si = VX(sidx)(s);
	size_t i = 0;

	if (TX(big_stride)(s, 0, 0, 0)) {
		for (; i < n; i++)
			buf[i] = *HPCK_OFF(x, i, s);
		return;
	}
	for (; i + VN < n; i += VN)
		VX(store)(buf + i, TX(ld)(HPCK_OFF(x, i, s), s, si, KG));
	if (i < n)
		VX(store_n)(buf + i, TX(ld_n)(HPCK_OFF(x, i, s), s, si, KG, n - i, 0), n - i);
}
