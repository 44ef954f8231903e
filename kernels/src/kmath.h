/* SPDX-License-Identifier: MIT */
/* kmath.h - exact-arithmetic helpers for exp/log (included once per type) */

/* a * b - p exactly, for p = a * b rounded (Dekker's product without an FMA unit). */
HPCK_SI VT TX(mul_err)(VT a, VT b, VT p)
{
#if HPCK_HAVE_FMA
	return VX(fmsub)(a, b, p);
#else
	const VT split = VX(set1)(HPCK_F == 64 ? 134217729.0 : 4097.0f);
	VT ca = VX(mul)(split, a), cb = VX(mul)(split, b);
	VT ah = VX(sub)(ca, VX(sub)(ca, a)), bh = VX(sub)(cb, VX(sub)(cb, b));
	VT al = VX(sub)(a, ah), bl = VX(sub)(b, bh);
	VT e = VX(add)(VX(sub)(VX(mul)(ah, bh), p), VX(mul)(ah, bl));
	return VX(add)(VX(add)(e, VX(mul)(al, bh)), VX(mul)(al, bl));
#endif
}
