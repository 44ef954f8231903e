#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""hpckernels' elementwise functions against numpy: values, dtypes, out=, layouts,
broadcasting, 0-d and empty arrays, exceptions and floating-point warnings."""
import math
import sys
import threading
import unittest
import warnings
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))
import kt  # noqa: E402

import hpckernels as hk  # noqa: E402

BINARY = ('add', 'subtract', 'multiply', 'divide')
EXACT_UNARY = ('negative', 'absolute', 'sqrt')


def quiet(f, *a, **k):
    with np.errstate(all='ignore'), warnings.catch_warnings():
        warnings.simplefilter('ignore')
        return f(*a, **k)


def round_to(q, dt):
    """The exact rational q correctly rounded to dt (ties to even)."""
    if dt == np.float64:
        return np.float64(float(q))
    d = np.float32(float(q))
    cands = (np.nextafter(d, np.float32(-np.inf)), d, np.nextafter(d, np.float32(np.inf)))
    return min(cands, key=lambda c: (abs(Fraction(float(c)) - q),
                                     int(np.array(c).view(np.uint32)) & 1))


def outcome(f, *a, **k):
    """('ok', value) or (exception type, message)"""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter('ignore')
            return ('ok', f(*a, **k))
    except Exception as e:  # noqa: BLE001 - comparing whatever numpy raises
        return (type(e), str(e))


class Values(unittest.TestCase):
    def test_binary_exact(self):
        r = kt.rng(1)
        for dt in kt.DTYPES:
            for n in kt.SIZES:
                a, b = kt.data(r, n, dt), kt.data(r, n, dt)
                la, lb = kt.layouts(a), kt.layouts(b)
                for (na, va), (nb, vb) in list(zip(la, lb)) + [(la[0], lb[3]), (la[5], lb[1])]:
                    for op in BINARY:
                        got = quiet(getattr(hk, op), va, vb)
                        want = quiet(getattr(np, op), va, vb)
                        self.assertTrue(kt.same(got, want), (op, dt, n, na, nb))

    def test_scalar_operands(self):
        r = kt.rng(2)
        for dt in kt.DTYPES:
            x = kt.data(r, 1001, dt)
            for s in (2.5, -0.0, np.inf, np.nan, 3, dt(7.25), np.float64(1e-3)):
                for op in BINARY:
                    for args in ((x, s), (s, x), (x[::-2], s)):
                        got = quiet(getattr(hk, op), *args)
                        want = quiet(getattr(np, op), *args)
                        self.assertTrue(kt.same(got, want), (op, dt, s))

    def test_unary_exact(self):
        r = kt.rng(3)
        for dt in kt.DTYPES:
            for n in kt.SIZES:
                x = kt.data(r, n, dt, special=0.2)
                for name, v in kt.layouts(x):
                    for op in EXACT_UNARY:
                        got = quiet(getattr(hk, op), v)
                        want = quiet(getattr(np, op), v)
                        self.assertTrue(kt.same(got, want), (op, dt, n, name))

    def test_exp_log_near_numpy(self):
        """Same special values as numpy everywhere; finite results within 2 ULP (float64)
        or 4 ULP (float32) of it: numpy's own float32 error reaches 2.4 ULP."""
        r = kt.rng(4)
        for dt in kt.DTYPES:
            for n in (1, 7, 33, 1000, 100003):
                for lo, hi in ((-800, 800), (-1, 1), (0, 1e6)):
                    x = kt.data(r, n, dt, special=0.05, lo=lo, hi=hi)
                    for name, v in kt.layouts(x)[:5]:
                        for op in ('exp', 'log'):
                            got = quiet(getattr(hk, op), v)
                            want = quiet(getattr(np, op), v)
                            self.assertEqual(got.dtype, want.dtype)
                            bad = ~np.isfinite(want)
                            self.assertTrue(kt.same(got[bad], want[bad]), (op, dt, name))
                            w = want[~bad].astype(np.float64)
                            err = np.abs(got[~bad].astype(np.float64) - w)
                            tol = (2 if dt == np.float64 else 4) * np.spacing(
                                np.abs(want[~bad])).astype(np.float64)
                            self.assertTrue(np.all(err <= tol), (op, dt, n, name))

    def test_exp_log_ulp_vs_exact(self):
        """Against a 50-digit reference: the bounds docs/kernels.md publishes."""
        r = kt.rng(5)
        bounds = {('exp', np.float64): 0.56, ('log', np.float64): 0.55,
                  ('exp', np.float32): 0.75, ('log', np.float32): 0.55}
        for dt in kt.DTYPES:
            lim = 700 if dt == np.float64 else 87
            for op, x in (('exp', r.uniform(-lim, lim, 3000)), ('exp', r.uniform(-1, 1, 2000)),
                          ('log', np.exp(r.uniform(-lim, lim, 3000))),
                          ('log', r.uniform(0.9, 1.1, 2000))):
                x = x.astype(dt)
                y = getattr(hk, op)(x)
                ny = getattr(np, op)(x)
                ref = [Decimal(float(v)).exp() if op == 'exp' else Decimal(float(v)).ln()
                       for v in x]
                ours = max(kt.ulps(a, b, dt) for a, b in zip(y, ref))
                theirs = max(kt.ulps(a, b, dt) for a, b in zip(ny, ref))
                print('%s %s: hpckernels %.3f ULP, numpy %.3f ULP'
                      % (op, np.dtype(dt).name, ours, theirs), file=sys.stderr)
                self.assertLessEqual(ours, bounds[op, dt])

    def test_fma_axpy(self):
        r = kt.rng(6)
        for dt in kt.DTYPES:
            a, b, c = (kt.data(r, 999, dt, special=0.0) for _ in range(3))
            y = hk.fma(a, b, c)
            for i in range(0, 999, 7):
                exact = Fraction(float(a[i])) * Fraction(float(b[i])) + Fraction(float(c[i]))
                self.assertEqual(y[i], round_to(exact, dt), (dt, i))
            yy = c.copy()
            out = hk.axpy(dt(1.5), a, yy)
            self.assertIs(out, yy)
            self.assertTrue(kt.same(yy, hk.fma(dt(1.5), a, c)))
        with self.assertRaises(TypeError):
            hk.fma(np.arange(3), 1, 2)
        with self.assertRaises(TypeError):
            hk.axpy(1.0, np.ones(3), [1.0, 2.0, 3.0])


class Shapes(unittest.TestCase):
    def test_nd_and_broadcasting(self):
        r = kt.rng(7)
        for dt in kt.DTYPES:
            m = kt.data(r, 4 * 5 * 6, dt).reshape(4, 5, 6)
            cases = [(m, m), (m, m[0]), (m[:, :1, :], m), (m.T, m.T), (m[::2, ::-1, 1::2],
                                                                        m[1::2, :, ::2]),
                     (np.asfortranarray(m), m), (m[..., 0], m[..., 1])]
            for a, b in cases:
                for op in BINARY:
                    self.assertTrue(kt.same(quiet(getattr(hk, op), a, b),
                                            quiet(getattr(np, op), a, b)), (op, a.shape, b.shape))
            for op in EXACT_UNARY + ('exp', 'log'):
                v = m[::-1, 1:4, ::3]
                got, want = quiet(getattr(hk, op), v), quiet(getattr(np, op), v)
                self.assertEqual(got.shape, want.shape)
                self.assertTrue(np.allclose(got, want, equal_nan=True, rtol=1e-6))

    def test_0d_and_empty(self):
        for dt in kt.DTYPES:
            z = np.array(1.5, dt)
            for op in EXACT_UNARY + ('exp', 'log'):
                got, want = getattr(hk, op)(z), getattr(np, op)(z)
                self.assertIs(type(got), type(want))
            got, want = hk.add(z, z), np.add(z, z)
            self.assertIs(type(got), type(want))
            self.assertEqual(got, want)
            self.assertIs(type(hk.multiply(2.0, 3.0)), type(np.multiply(2.0, 3.0)))
            self.assertIs(type(hk.exp(dt(1))), type(np.exp(dt(1))))
            e = np.empty(0, dt)
            self.assertTrue(kt.same(hk.add(e, e), np.add(e, e)))
            self.assertTrue(kt.same(hk.exp(e), np.exp(e)))
            self.assertTrue(kt.same(hk.add(np.empty((0, 3), dt), np.ones(3, dt)),
                                    np.add(np.empty((0, 3), dt), np.ones(3, dt))))

    def test_dtypes_as_numpy(self):
        f32, f64 = np.ones(5, np.float32), np.ones(5)
        cases = [(f32, 2.0), (f32, np.float64(2)), (f32, np.array(2.0)), (f32, f64),
                 (f32, np.ones(5, np.int64)), (f32, np.ones(5, np.int16)), (f64, 3),
                 (np.arange(5), np.arange(5)), (np.arange(5), 2.5), (f32, 1e300),
                 (np.ones(5, np.float16), f32), (np.ones(5, complex), f64), (True, f32),
                 (f32, 65535), (f32, 65536), (f32, -32768), (f32, -32769), (f32, 2**62),
                 (f32, 2**70), (f32, 3.4028234663852886e38), (f32, np.inf), (f32, -3.5e38),
                 (np.float32(3), f32), (f64, np.float32(1.5)), (f32, np.float16(2))]
        for a, b in cases:
            for op in BINARY:
                g, w = quiet(getattr(hk, op), a, b), quiet(getattr(np, op), a, b)
                self.assertEqual(np.asarray(g).dtype, np.asarray(w).dtype, (op, a, b))
                self.assertTrue(kt.same(g, w), (op, a, b))
        for t in (np.int8, np.int16, np.int32, np.int64, np.uint8, bool, np.float16):
            x = np.arange(1, 6).astype(t)
            for op in ('sqrt', 'exp', 'log', 'negative', 'absolute'):
                g, w = outcome(getattr(hk, op), x), outcome(getattr(np, op), x)
                self.assertEqual(g[0], w[0], (op, t))
                if g[0] == 'ok':
                    self.assertEqual(g[1].dtype, w[1].dtype, (op, t))
                    if op in ('exp', 'log'):
                        self.assertTrue(np.allclose(g[1], w[1], rtol=1e-6), (op, t))
                    else:
                        self.assertTrue(kt.same(g[1], w[1]), (op, t))


class Out(unittest.TestCase):
    def test_out_and_aliasing(self):
        r = kt.rng(8)
        for dt in kt.DTYPES:
            a, b = kt.data(r, 3001, dt), kt.data(r, 3001, dt)
            for op in BINARY:
                o = np.empty_like(a)
                res = quiet(getattr(hk, op), a, b, out=o)
                self.assertIs(res, o)
                self.assertTrue(kt.same(o, quiet(getattr(np, op), a, b)))
                o = np.empty(3001, np.float32)  # cast on the way out
                self.assertIs(quiet(getattr(hk, op), a, b, out=(o,)), o)
                self.assertTrue(kt.same(o, quiet(getattr(np, op), a, b, out=np.empty_like(o))))
                # in place and partly overlapping outputs
                for x_sl, y_sl, o_sl in ((slice(None), slice(None), slice(None)),
                                         (slice(1, None), slice(None, -1), slice(None, -1)),
                                         (slice(None, -2), slice(2, None), slice(2, None)),
                                         (slice(None, None, -1), slice(None), slice(None))):
                    mine, theirs = a.copy(), a.copy()
                    quiet(getattr(hk, op), mine[x_sl], b[y_sl], out=mine[o_sl])
                    quiet(getattr(np, op), theirs[x_sl], b[y_sl], out=theirs[o_sl])
                    self.assertTrue(kt.same(mine, theirs), (op, dt, x_sl))
            for op in EXACT_UNARY + ('exp',):
                mine, theirs = a.copy(), a.copy()
                quiet(getattr(hk, op), mine[::-1], out=mine)
                quiet(getattr(np, op), theirs[::-1], out=theirs)
                self.assertTrue(np.allclose(mine, theirs, equal_nan=True, rtol=1e-6), op)
            # scalar result written into a 0-d out, and broadcast into a bigger out
            o = np.empty((), dt)
            self.assertIs(hk.add(dt(1), dt(2), out=o), o)
            self.assertEqual(o, 3)
            o = np.empty((2, 3), dt)
            self.assertIs(hk.multiply(a[:3], dt(2), out=o), o)
            self.assertTrue(kt.same(o, np.multiply(a[:3], dt(2), out=np.empty((2, 3), dt))))


class Errors(unittest.TestCase):
    def test_same_exceptions_as_numpy(self):
        ro = np.ones(3)
        ro.flags.writeable = False
        bad = [((np.ones(2), np.ones(3)), {}), ((np.ones(3), np.ones(3)), {'out': np.ones(4)}),
               ((np.ones(3), np.ones(3)), {'out': [0, 0, 0]}),
               ((np.ones(3), np.ones(3)), {'out': ro}),
               ((np.ones(3), np.ones(3)), {'out': np.ones(3, np.int64)}),
               ((np.ones(3),), {}), ((np.ones(3), 'a'), {}), ((np.array(['a']), 1.0), {}),
               ((None, 1.0), {}), ((np.ones(3), np.ones(3), np.ones(3)), {'out': np.ones(3)}),
               ((np.ones(3), np.ones(3)), {'bogus': 1}), ((object(), 2.0), {}),
               (([1.0, 2.0], [[1.0], [2.0], [3.0]]), {}), ((np.ones(3), np.ones(3)), {'out': (None,)})]
        for args, kw in bad:
            for op in BINARY:
                g, w = outcome(getattr(hk, op), *args, **kw), outcome(getattr(np, op), *args, **kw)
                if w[0] == 'ok':
                    self.assertTrue(kt.same(g[1], w[1]), (op, args, kw))
                else:
                    self.assertEqual(g, w, (op, args, kw))
        for op in EXACT_UNARY + ('exp', 'log'):
            for args, kw in (((), {}), ((np.ones(2), np.ones(2), np.ones(2)), {}),
                             (('x',), {}), ((np.ones(3),), {'out': np.ones(2)}),
                             ((np.ones(3),), {'where': np.ones(3, bool)})):
                g, w = outcome(getattr(hk, op), *args, **kw), outcome(getattr(np, op), *args, **kw)
                self.assertEqual(g[0], w[0], (op, args, kw))

    def test_warnings_as_numpy(self):
        cases = [('divide', (np.ones(5), np.zeros(5))), ('divide', (np.zeros(5), np.zeros(5))),
                 ('log', (np.zeros(3),)), ('log', (-np.ones(3, np.float32),)),
                 ('exp', (np.array([1000.0]),)), ('exp', (np.array([-1000.0]),)),
                 ('sqrt', (-np.ones(2),)), ('add', (np.full(3, 1e308), np.full(3, 1e308))),
                 ('multiply', (np.full(3, 1e-300), np.full(3, 1e-300))),
                 ('subtract', (np.array([np.inf]), np.array([np.inf]))),
                 ('log', (np.array([np.nan, np.inf]),)), ('exp', (np.array([np.inf, -np.inf]),))]
        for op, args in cases:
            for mode in ('warn', 'raise', 'ignore'):
                res = []
                for mod in (hk, np):
                    with np.errstate(all=mode), warnings.catch_warnings(record=True) as ws:
                        warnings.simplefilter('always')
                        try:
                            getattr(mod, op)(*args)
                            raised = None
                        except FloatingPointError as e:
                            raised = str(e)
                    res.append((raised, sorted(str(w.message) for w in ws)))
                self.assertEqual(res[0], res[1], (op, mode))


class Threads(unittest.TestCase):
    def test_gil_released(self):
        """Another Python thread runs while a long kernel runs."""
        x = np.linspace(-5, 5, 20_000_000)
        y = np.empty_like(x)
        hk.set_num_threads(1)
        try:
            count, stop = [0], threading.Event()

            def spin():
                while not stop.is_set():
                    count[0] += 1
            t = threading.Thread(target=spin)
            t.start()
            progressed = False
            for _ in range(20):
                before = count[0]
                hk.exp(x, out=y)
                if count[0] - before > 10:
                    progressed = True
                    break
            stop.set()
            t.join()
            self.assertTrue(progressed)
        finally:
            hk.set_num_threads(0)


if __name__ == '__main__':
    unittest.main()
