# SPDX-License-Identifier: MIT
"""kt.py - shared helpers for the hpckernels Python tests (run by Debian's /usr/bin/python3)."""
import math
import os
import subprocess
import sys
from decimal import Decimal, getcontext

import numpy as np

getcontext().prec = 50

DTYPES = (np.float64, np.float32)
SIZES = (0, 1, 2, 3, 7, 8, 15, 16, 17, 31, 33, 64, 65, 100, 1000, 4097, 100003)


def rng(seed):
    return np.random.default_rng(seed)


def specials(dtype):
    f = np.finfo(dtype)
    return np.array([np.nan, np.inf, -np.inf, 0.0, -0.0, f.tiny, -f.tiny, f.tiny / 8,
                     -f.smallest_subnormal, f.smallest_subnormal, f.max, -f.max, 1.0, -1.0,
                     0.5, 2.0, 1e-30, -1e30], dtype=dtype)


def data(r, n, dtype, special=0.1, lo=-1e3, hi=1e3):
    """n values: mostly uniform in [lo, hi] with a few log-spread magnitudes, plus a
    `special` share of NaN, +-inf, +-0, subnormals, extremes."""
    x = r.uniform(lo, hi, n)
    mag = r.integers(-20, 20, n)
    x = np.where(r.random(n) < 0.2, x * 10.0 ** mag, x).astype(dtype)
    sp = specials(dtype)
    pick = r.random(n) < special
    x[pick] = sp[r.integers(0, len(sp), pick.sum())]
    return x


def layouts(x):
    """(name, view) pairs of the same values in different memory layouts: contiguous,
    unaligned by one element, misaligned bytes, reversed, strided, 2-D transposes."""
    n = len(x)
    out = [('contiguous', x)]
    buf = np.empty(n + 1, x.dtype)
    buf[1:] = x
    out.append(('offset', buf[1:]))
    raw = np.zeros(n * x.itemsize + 1, np.uint8)
    mis = np.ndarray(n, x.dtype, buffer=raw, offset=1)
    mis[:] = x
    out.append(('misaligned', mis))
    rev = np.empty(n, x.dtype)
    rev[::-1] = x
    out.append(('reversed', rev[::-1]))
    wide = np.empty(3 * n, x.dtype)
    wide[::3] = x
    out.append(('stride3', wide[::3]))
    two = np.empty(2 * n, x.dtype)
    two[::2] = x
    out.append(('stride2', two[::2]))
    back = np.empty(2 * n, x.dtype)
    back[::-2] = x
    out.append(('stride-2', back[::-2]))
    return out


def same(a, b):
    """Bitwise-equal values (NaN equal to NaN, the sign of zero compared), same dtype
    and shape."""
    a = np.asarray(a)
    b = np.asarray(b)
    if a.dtype != b.dtype or a.shape != b.shape:
        return False
    if a.dtype.kind != 'f':
        return bool(np.array_equal(a, b))
    an, bn = np.isnan(a), np.isnan(b)
    if not np.array_equal(an, bn):
        return False
    ok = (a == b) & (np.signbit(a) == np.signbit(b))
    return bool(np.all(ok | an))


def ulps(y, ref, dtype):
    """Error of y in ULPs of dtype against a Decimal reference."""
    y = float(y)
    if math.isnan(y) or ref.is_nan():
        return 0.0 if math.isnan(y) and ref.is_nan() else math.inf
    fi = np.finfo(dtype)
    if math.isinf(y):
        return 0.0 if abs(ref) > Decimal(float(fi.max)) and (y > 0) == (ref > 0) else math.inf
    mant = fi.nmant
    r = abs(ref)
    if r == 0:
        ulp = Decimal(2) ** (fi.minexp - mant)
    else:
        e = math.frexp(float(r))[1] - 1
        e = max(e, fi.minexp)
        ulp = Decimal(2) ** (e - mant)
    return float(abs(Decimal(y) - ref) / ulp)


def fsum_error(total, x):
    """|total - exact sum of x| (math.fsum is exact to one rounding)."""
    exact = math.fsum(float(v) for v in x)
    return abs(float(total) - exact)


def run_python(code, env=None):
    """Run code in a fresh /usr/bin/python3 with hpckernels importable; returns stdout."""
    e = dict(os.environ)
    e.update(env or {})
    r = subprocess.run([sys.executable, '-c', code], env=e, capture_output=True, text=True,
                       timeout=600)
    if r.returncode:
        raise AssertionError('subprocess failed: %s' % r.stderr)
    return r.stdout
