#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""polyfit.py - derive the polynomial coefficients and tables of kernels/src/exp.c and log.c

Run with Debian's /usr/bin/python3 (standard library only):

    kernels/tools/polyfit.py            # prints the C tables and coefficients

Method: the function to approximate is evaluated at Chebyshev nodes with Decimal at 60
digits; the interpolating polynomial is solved exactly over Fractions (a near-minimax
fit), its coefficients are rounded to the target type, and the approximation error of
the *rounded* coefficients is measured on a dense grid and printed as log2. Tables hold
the exact values (invc rounded to the type, log(c) = -log(invc) split hi + lo).
"""
import math
import struct
import sys
from decimal import Decimal, getcontext
from fractions import Fraction

getcontext().prec = 60


def to_f32(x):
    return struct.unpack('f', struct.pack('f', float(x)))[0]


def rnd(x, kind):
    """Round a Fraction/Decimal to the nearest double or float, returned as Fraction."""
    d = float(Fraction(x))  # correctly rounded
    if kind == 'f32':
        d = to_f32(d)
    return Fraction(d)


def dexp(x):
    return Decimal(x.numerator) / Decimal(x.denominator) if isinstance(x, Fraction) else Decimal(x)


def solve(a, b):
    """Gaussian elimination over Fractions."""
    n = len(b)
    m = [row[:] + [b[i]] for i, row in enumerate(a)]
    for c in range(n):
        p = next(r for r in range(c, n) if m[r][c] != 0)
        m[c], m[p] = m[p], m[c]
        for r in range(n):
            if r != c and m[r][c] != 0:
                f = m[r][c] / m[c][c]
                m[r] = [x - f * y for x, y in zip(m[r], m[c])]
    return [m[i][n] / m[i][i] for i in range(n)]


def fit(g, lo, hi, deg, kind, fixed=()):
    """Coefficients c0..cdeg (Fractions rounded to kind) of a near-minimax fit of g on
    [lo, hi]; `fixed` pins the first coefficients to given values."""
    k = len(fixed)
    npts = deg + 1 - k
    nodes = []
    for i in range(npts):
        t = math.cos(math.pi * (2 * i + 1) / (2 * npts))
        nodes.append(Fraction(lo + (hi - lo) * (t + 1) / 2).limit_denominator(1 << 80))
    rows, rhs = [], []
    for x in nodes:
        gx = Fraction(g(x))
        for j, c in enumerate(fixed):
            gx -= c * x ** j
        rows.append([x ** j for j in range(k, deg + 1)])
        rhs.append(gx)
    coef = list(fixed) + solve(rows, rhs)
    return [rnd(c, kind) for c in coef]


def maxerr(g, coef, lo, hi, weight=lambda x: 1, n=4000):
    worst = Fraction(0)
    for i in range(n + 1):
        x = Fraction(lo) + (Fraction(hi) - Fraction(lo)) * i / n
        p = sum(c * x ** j for j, c in enumerate(coef))
        e = abs((Fraction(g(x)) - p) * weight(x))
        worst = max(worst, e)
    return math.log2(worst) if worst else -999


def hexf(x, kind):
    v = float(x)
    if kind == 'f32':
        return float.hex(v).replace('0x', '0x') + 'f'
    return float.hex(v)


# ---- high-precision functions (Decimal in, Fraction out) ----
def fexpm1_r2(x):  # (expm1(x) - x) / x^2
    d = dexp(x)
    if d == 0:
        return Fraction(1, 2)
    return Fraction((d.exp() - 1 - d) / (d * d))


def fexp_r2(x):  # (exp(x) - 1 - x) / x^2
    return fexpm1_r2(x)


def flog1p_r2(x):  # (log1p(x) - x) / x^2
    d = dexp(x)
    if d == 0:
        return Fraction(-1, 2)
    return Fraction(((1 + d).ln() - d) / (d * d))


def search_invc(invc0, hi_ulp, seed):
    """A double near invc0 (within 2^-16 relative) whose -log is within 2^-66 of a
    multiple of hi_ulp, so that the kernel needs no log(c)_lo table. Random candidates
    (not consecutive doubles, whose logs march in lock-step) are filtered in long double
    and the best 20 checked with Decimal. Deterministic for a given seed."""
    import numpy as np
    best = None
    for attempt in range(16):
        rng = np.random.default_rng(seed * 1000 + attempt)
        cand = np.unique(invc0 * (1 + rng.uniform(-2.0 ** -16, 2.0 ** -16, 1 << 21)))
        big = np.longdouble(float(hi_ulp))
        lg = -np.log(cand.astype(np.longdouble))
        d = np.abs(lg - np.round(lg / big) * big)
        for i in np.argsort(d)[:20]:
            c = Fraction(float(cand[i]))
            lc = -dexp(c).ln()
            dist = abs(Fraction(lc) - round(Fraction(lc) / hi_ulp) * hi_ulp)
            if best is None or dist < best[1]:
                best = (c, dist)
        if best[1] < Fraction(1, 2 ** 66):
            break
    return best[0]


def log_table(kind, off_frac, n=16, hi_ulp=None, search=False):
    """invc, logc_hi, logc_lo for the n intervals of z in [off, 2 off) and the max |r|.
    logc_hi is rounded to a multiple of hi_ulp (the last bit of ln2_hi), so that
    k ln2_hi + logc_hi is exact in the kernel; with search, invc is chosen so that
    logc_lo is below 2^-66 and can be left out."""
    off = Fraction(1, 2) * (1 + off_frac)
    rows, rmax = [], Fraction(0)
    for i in range(n):
        u_lo = (off_frac + Fraction(i, n)) % 1
        u_hi = u_lo + Fraction(1, n)
        # z = 1 + u when the offset mantissa wraps (k = E), else (1 + u) / 2
        if u_lo < off_frac:
            z_lo, z_hi = 1 + u_lo, 1 + u_hi
        elif u_hi <= 1:
            z_lo, z_hi = (1 + u_lo) / 2, (1 + u_hi) / 2
        else:  # the interval straddling z = 1
            z_lo, z_hi = (1 + u_lo) / 2, 1 + (u_hi - 1)
        if z_lo <= 1 < z_hi:
            invc = Fraction(1)
        else:
            invc = rnd(2 / (z_lo + z_hi), kind)
            if search:
                invc = search_invc(float(invc), hi_ulp, seed=i)
        r = max(abs(z_lo * invc - 1), abs(z_hi * invc - 1))
        rmax = max(rmax, r)
        logc = -dexp(invc).ln()
        hi = Fraction(round(Fraction(logc) / hi_ulp)) * hi_ulp
        lo = rnd(Fraction(logc) - hi, kind)
        rows.append((invc, hi, lo))
    return rows, rmax, off


def exp_table(kind, n=16):
    """2^(j/n) as the bits of the double minus (j << 48), and the relative tail."""
    rows = []
    for j in range(n):
        t = (Decimal(2) ** (Decimal(j) / n))
        hi = rnd(Fraction(t), kind)
        tail = rnd((Fraction(t) - hi) / hi, kind)
        bits = struct.unpack('<q', struct.pack('<d', float(hi)))[0] - (j << 48)
        rows.append((bits, tail))
    return rows


def split_const(x, bits, kind):
    """x = hi + lo with hi keeping `bits` significant bits (so k * hi is exact)."""
    e = math.frexp(float(x))[1]
    scale = Fraction(2) ** (bits - e)
    hi = Fraction(round(Fraction(x) * scale)) / scale
    lo = rnd(Fraction(x) - hi, kind)
    return rnd(hi, kind), lo


def main():
    out = sys.stdout.write
    out('/* SPDX-License-Identifier: MIT */\n/* mathtab.h - exp/log coefficients and tables, '
        'generated by kernels/tools/polyfit.py: do not edit */\n')
    ln2 = Fraction(Decimal(2).ln())
    # ---- exp float64: N = 16 table, |r| <= ln2/32, expm1(r) = r + r^2 q(r), q degree 5
    h = ln2 / 32 * Fraction(1001, 1000)
    q = fit(fexpm1_r2, -h, h, 5, 'f64')
    out('/* exp f64: q(r) ~ (expm1(r) - r) / r^2 on |r| <= %.6f, abs err of r^2 q: 2^%.1f */\n'
        % (float(h), maxerr(fexpm1_r2, q, -h, h, weight=lambda x: x * x)))
    out('static const double exp64_q[] = { %s };\n' % ', '.join(hexf(c, 'f64') for c in q))
    hi, lo = split_const(ln2 / 16, 38, 'f64')
    out('#define EXP64_LN2N_HI %s\n#define EXP64_LN2N_LO %s\n' % (hexf(hi, 'f64'), hexf(lo, 'f64')))
    out('#define EXP64_INVLN2N %s\n' % hexf(rnd(16 / ln2, 'f64'), 'f64'))
    rows = exp_table('f64')
    out('static const double exp64_tail[16] = {\n\t%s\n};\n'
        % ',\n\t'.join(hexf(t, 'f64') for _, t in rows))
    # the bits of 2^(j/16) minus j << 48, stored as the doubles they encode: adding the
    # rounding-shifted k << 48 to them gives 2^(k/16) (see exp.c)
    out('static const double exp64_sbits[16] = {\n\t%s\n};\n'
        % ',\n\t'.join(float.hex(struct.unpack('<d', struct.pack('<q', b))[0]) for b, _ in rows))
    # ---- exp float32: no table, |r| <= ln2/2, exp(r) = 1 + r + r^2 q(r), q degree 5
    h = ln2 / 2 * Fraction(1001, 1000)
    q = fit(fexp_r2, -h, h, 5, 'f32')
    out('/* exp f32: q(r) ~ (exp(r) - 1 - r) / r^2 on |r| <= %.6f, abs err of r^2 q: 2^%.1f */\n'
        % (float(h), maxerr(fexp_r2, q, -h, h, weight=lambda x: x * x)))
    out('static const float exp32_q[] = { %s };\n' % ', '.join(hexf(c, 'f32') for c in q))
    hi, lo = split_const(ln2, 16, 'f32')
    out('#define EXP32_LN2_HI %s\n#define EXP32_LN2_LO %s\n' % (hexf(hi, 'f32'), hexf(lo, 'f32')))
    out('#define EXP32_INVLN2 %s\n' % hexf(rnd(1 / ln2, 'f32'), 'f32'))
    # ---- log: N = 16 intervals of z in [0.703125, 1.40625), the one around 1 has c = 1
    for kind, deg in (('f64', 8), ('f32', 3)):
        bits = 16 if kind == 'f32' else 42
        ln2_hi, ln2_lo = split_const(ln2, bits, kind)
        rows, rmax, off = log_table(kind, Fraction(13, 32), hi_ulp=Fraction(1, 2 ** bits),
                                    search=kind == 'f64')
        h = rmax * Fraction(1001, 1000)
        q = fit(flog1p_r2, -h, h, deg, kind)
        tag = kind[1:]
        out('/* log %s: |r| <= %.6f, q(r) ~ (log1p(r) - r) / r^2, abs err of r^2 q / |r|: 2^%.1f */\n'
            % (kind, float(rmax), maxerr(flog1p_r2, q, -h, h, weight=lambda x: abs(x))))
        ty = 'double' if kind == 'f64' else 'float'
        out('static const %s log%s_q[] = { %s };\n' % (ty, tag, ', '.join(hexf(c, kind) for c in q)))
        if kind == 'f64':
            worst = max(abs(r[2]) for r in rows)
            out('/* log f64: log(c) = logc_hi + O(2^%.1f): no lo table */\n'
                % math.log2(float(worst)))
        for col, name in ((0, 'invc'), (1, 'logc_hi')) + (((2, 'logc_lo'),)
                                                          if kind == 'f32' else ()):
            out('static const %s log%s_%s[16] = {\n\t%s\n};\n'
                % (ty, tag, name, ',\n\t'.join(hexf(r[col], kind) for r in rows)))
        out('#define LOG%s_LN2_HI %s\n#define LOG%s_LN2_LO %s\n'
            % (tag, hexf(ln2_hi, kind), tag, hexf(ln2_lo, kind)))


if __name__ == '__main__':
    main()
