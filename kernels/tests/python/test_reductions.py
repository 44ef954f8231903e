#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""hpckernels' reductions against numpy and math.fsum: values, NaN rules, axes, out=,
empty and 0-d arrays, exceptions, accuracy, and results independent of the thread count."""
import math
import sys
import unittest
import warnings
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))
import kt  # noqa: E402

import hpckernels as hk  # noqa: E402

EXTREMES = ('amin', 'amax', 'min', 'max', 'argmin', 'argmax')


def outcome(f, *a, **k):
    try:
        with warnings.catch_warnings(record=True) as ws, np.errstate(all='warn'):
            warnings.simplefilter('always')
            v = f(*a, **k)
        return ('ok', v, sorted(str(w.message) for w in ws))
    except Exception as e:  # noqa: BLE001 - comparing whatever numpy raises
        return (type(e), str(e))


def close_sum(test, got, want, x, what):
    """A sum equal to numpy's up to both rounding errors (or the same inf/NaN)."""
    got, want = np.asarray(got), np.asarray(want)
    test.assertEqual(got.dtype, want.dtype, what)
    test.assertEqual(got.shape, want.shape, what)
    fin = np.isfinite(want)
    test.assertTrue(kt.same(got[~fin], want[~fin]), what)
    eps = np.finfo(want.dtype).eps
    scale = np.sum(np.abs(np.asarray(x, np.float64)))
    n = max(np.asarray(x).size, 2)
    tol = (math.log2(n) + 20) * eps * scale
    test.assertTrue(np.all(np.abs(got[fin].astype(np.float64) - want[fin]) <= tol), what)


class Values(unittest.TestCase):
    def test_extremes_exact(self):
        r = kt.rng(11)
        for dt in kt.DTYPES:
            for n in kt.SIZES[1:]:
                for special in (0.0, 0.01, 0.3):
                    x = kt.data(r, n, dt, special=special)
                    if n > 10 and special == 0.0:
                        x[r.integers(0, n, 3)] = x.max()  # ties: the first one counts
                    for name, v in kt.layouts(x):
                        for op in EXTREMES:
                            g, w = getattr(hk, op)(v), getattr(np, op)(v)
                            self.assertIs(type(g), type(w), (op, dt, n, name))
                            self.assertTrue(g == w or (np.isnan(g) and np.isnan(w)),
                                            (op, dt, n, name, g, w))

    def test_nan_positions(self):
        for dt in kt.DTYPES:
            for n in (1, 2, 9, 64, 257, 70001, 300007):
                for pos in sorted({0, n // 2, n - 1}):
                    x = np.arange(n, dtype=dt)
                    x[pos] = np.nan
                    x[-1 if pos != n - 1 else 0] = np.nan if n > 2 else x[0]
                    for op in EXTREMES:
                        g, w = getattr(hk, op)(x), getattr(np, op)(x)
                        self.assertTrue(g == w or (np.isnan(g) and np.isnan(w)), (op, n, pos))
                        g, w = getattr(hk, op)(x[::-1]), getattr(np, op)(x[::-1])
                        self.assertTrue(g == w or (np.isnan(g) and np.isnan(w)), (op, n, pos))

    def test_sum_mean_dot_norm(self):
        r = kt.rng(12)
        for dt in kt.DTYPES:
            for n in kt.SIZES:
                x, y = kt.data(r, n, dt, special=0.0), kt.data(r, n, dt, special=0.0)
                for (na, v), (nb, w) in zip(kt.layouts(x), kt.layouts(y)):
                    close_sum(self, hk.sum(v), np.sum(v), v, ('sum', dt, n, na))
                    if n:
                        close_sum(self, hk.mean(v), np.mean(v), v / n, ('mean', dt, n, na))
                    close_sum(self, hk.dot(v, w), np.dot(v, w), v.astype(np.float64) * w,
                              ('dot', dt, n, na, nb))
                    # numpy's norm overflows for float32 beyond 1.8e19; ours does not:
                    # compare with the exact value instead
                    ref = np.sqrt(np.sum(np.square(v.astype(np.longdouble))))
                    g = hk.norm(v)
                    self.assertIs(type(g), type(np.linalg.norm(v)))
                    self.assertTrue(abs(g - ref) <= 8 * np.finfo(dt).eps * ref, ('norm', dt, n))
            # special values: same inf/nan outcome as numpy
            for vals in ([np.inf, 1], [np.inf, -np.inf], [np.nan, 1], [-np.inf, -np.inf]):
                x = np.array(vals * 50, dt)
                for op in ('sum', 'mean'):
                    self.assertTrue(kt.same(np.asarray(outcome(getattr(hk, op), x)[1]),
                                            np.asarray(outcome(getattr(np, op), x)[1])), vals)

    def test_norm_scaled(self):
        for dt, big, tiny in ((np.float64, 1e200, 1e-200), (np.float32, 1e30, 1e-30)):
            x = np.full(1000, big, dt)
            self.assertTrue(np.isclose(hk.norm(x), big * math.sqrt(1000), rtol=1e-6))
            self.assertTrue(np.isclose(hk.norm(np.full(1000, tiny, dt)), tiny * math.sqrt(1000),
                                       rtol=1e-6))
            self.assertEqual(type(hk.norm(x)), type(np.linalg.norm(np.ones(3, dt))))
            self.assertTrue(np.isnan(hk.norm(np.array([np.inf, np.nan], dt))))
            self.assertTrue(np.isinf(hk.norm(np.array([np.inf, 1], dt))))
        m = np.arange(12.0).reshape(3, 4)
        for kw in ({}, {'ord': 1}, {'axis': 0}, {'ord': 'fro'}, {'keepdims': True}):
            self.assertTrue(np.allclose(hk.norm(m[:, 1:] if not kw else m, **kw),
                                        np.linalg.norm(m[:, 1:] if not kw else m, **kw)), kw)


class Axes(unittest.TestCase):
    def test_axes_keepdims_dtype_out(self):
        r = kt.rng(13)
        for dt in kt.DTYPES:
            m = kt.data(r, 3 * 4 * 5, dt, special=0.0).reshape(3, 4, 5)
            views = (m, m[:, ::-1, 1:], np.asfortranarray(m), m.transpose(2, 0, 1))
            for v in views:
                for axis in (None, 0, 1, -1, (0, 2), (1, 2), (0, 1, 2), ()):
                    for keep in (False, True):
                        for op in ('sum', 'mean', 'amin', 'amax'):
                            g = getattr(hk, op)(v, axis=axis, keepdims=keep)
                            w = getattr(np, op)(v, axis=axis, keepdims=keep)
                            close_sum(self, g, w, np.abs(v).max() * v.size, (op, axis, keep))
                    if not isinstance(axis, tuple):
                        for op in ('argmin', 'argmax'):
                            g = getattr(hk, op)(v, axis=axis)
                            w = getattr(np, op)(v, axis=axis)
                            self.assertTrue(np.array_equal(g, w), (op, axis))
                            self.assertEqual(np.asarray(g).dtype, np.asarray(w).dtype)
            g = hk.sum(m, axis=1, dtype=np.float64)
            self.assertEqual(g.dtype, np.float64)
            close_sum(self, g, np.sum(m, axis=1, dtype=np.float64), m, 'dtype')
            o = np.empty((3, 5), np.float32)
            self.assertIs(hk.sum(m, axis=1, out=o), o)
            close_sum(self, o, np.sum(m, axis=1, out=np.empty((3, 5), np.float32)), m, 'out')
            o = np.empty(4, np.int64)
            self.assertIs(hk.argmax(m[0], axis=1, out=o), o)
            self.assertTrue(np.array_equal(o, np.argmax(m[0], axis=1)))

    def test_0d_empty_and_errors_as_numpy(self):
        cases = [('sum', (np.array([]),), {}), ('sum', (np.empty((0, 3)),), {'axis': 0}),
                 ('mean', (np.array([]),), {}), ('mean', (np.empty((2, 0)),), {'axis': 1}),
                 ('amin', (np.array([]),), {}), ('max', (np.empty((0, 3)),), {'axis': 1}),
                 ('max', (np.empty((0, 3)),), {'axis': 0}), ('argmin', (np.array([]),), {}),
                 ('argmax', (np.empty((2, 0)),), {'axis': 1}), ('sum', (np.array(2.5),), {}),
                 ('argmax', (np.array(2.5),), {}), ('amax', (np.array(2.5, np.float32),), {}),
                 ('sum', (np.ones(3),), {'axis': 1}), ('sum', (np.ones((2, 2)),), {'axis': (0, 0)}),
                 ('argmax', (np.ones((2, 2)),), {'axis': (0, 1)}), ('sum', (np.ones(3),),
                                                                    {'out': np.ones(2)}),
                 ('sum', (np.ones(3),), {'where': np.ones(3, bool)}), ('sum', (np.arange(5),), {}),
                 ('mean', (np.arange(5),), {}), ('amax', ([1.0, 3.0, 2.0],), {}),
                 ('sum', (np.ones(3),), {'initial': 5.0}), ('sum', (), {}),
                 ('argmin', (np.ones(3),), {'bogus': 1}), ('sum', (np.ones(3), 0, None, None,
                                                                   False, 1), {}),
                 ('dot', (np.ones(3), np.ones(4)), {}), ('dot', (np.ones((2, 3)), np.ones(3)), {}),
                 ('dot', (2.0, np.ones(3)), {}), ('dot', (np.ones(3, np.float32), np.ones(3)), {}),
                 ('dot', (np.arange(3), np.arange(3)), {})]
        for op, args, kw in cases:
            g = outcome(getattr(hk, op), *args, **kw)
            w = outcome(getattr(np, op), *args, **kw)
            self.assertEqual(g[0], w[0], (op, args, kw, g, w))
            if g[0] == 'ok':
                self.assertIs(type(g[1]), type(w[1]), (op, args, kw))
                self.assertTrue(np.allclose(g[1], w[1], equal_nan=True), (op, args, kw))
                self.assertEqual(g[2], w[2], (op, args, kw))
            else:
                self.assertEqual(g[1], w[1], (op, args, kw))


class Accuracy(unittest.TestCase):
    def test_sum_dot_vs_fsum(self):
        """Errors against math.fsum (exact): each within the pairwise bound, and in
        total no larger than numpy's (numpy.sum is pairwise too; numpy.dot is BLAS)."""
        r = kt.rng(14)
        for dt in kt.DTYPES:
            ours = {'sum': 0.0, 'dot': 0.0}
            theirs = {'sum': 0.0, 'dot': 0.0}
            for n in (1000, 10_000, 100_000, 1_000_000):
                for dist in ('uniform', 'lognormal', 'cancel'):
                    for rep in range(3):
                        if dist == 'uniform':
                            x = r.uniform(0, 1, n)
                        elif dist == 'lognormal':
                            x = r.lognormal(0, 3, n) * r.choice((-1, 1), n)
                        else:
                            x = np.concatenate([r.normal(0, 1e4, n // 2), r.normal(0, 1, n - n // 2)])
                            r.shuffle(x)
                        x = x.astype(dt)
                        y = r.uniform(-1, 1, n).astype(dt)
                        bound = (math.log2(n) + 20) * np.finfo(dt).eps * math.fsum(abs(x))
                        e = kt.fsum_error(hk.sum(x), x)
                        self.assertLessEqual(e, bound, (dt, n, dist))
                        ours['sum'] += e
                        theirs['sum'] += kt.fsum_error(np.sum(x), x)
                        exact = math.fsum(_products(x, y))
                        ours['dot'] += abs(float(hk.dot(x, y)) - exact)
                        theirs['dot'] += abs(float(np.dot(x, y)) - exact)
            print('%s: total |error| sum %.3g (numpy %.3g), dot %.3g (numpy %.3g)'
                  % (np.dtype(dt).name, ours['sum'], theirs['sum'], ours['dot'], theirs['dot']),
                  file=sys.stderr)
            self.assertLessEqual(ours['sum'], theirs['sum'] * 1.05)
            self.assertLessEqual(ours['dot'], theirs['dot'] * 1.05)


def _products(x, y):
    """Every x[i] * y[i] as an exact pair p + e (Dekker's product, vectorised), so that
    math.fsum of them is the exact dot product."""
    x = x.astype(np.float64)
    y = y.astype(np.float64)
    p = x * y
    split = 134217729.0

    def halves(v):
        c = split * v
        h = c - (c - v)
        return h, v - h
    xh, xl = halves(x)
    yh, yl = halves(y)
    e = ((xh * yh - p) + xh * yl + xl * yh) + xl * yl
    return np.concatenate([p, e]).tolist()


class Threads(unittest.TestCase):
    CODE = '''
import hashlib
import numpy as np, hpckernels as hk
r = np.random.default_rng(99)
x = r.normal(0, 1, 1_000_003); y = r.lognormal(0, 2, 1_000_003)
f = x.astype(np.float32)
x[123457] = 40.0
h = lambda a: hashlib.sha256(a.tobytes()).hexdigest()
res = [hk.sum(x), hk.sum(y[::3]), hk.mean(x), hk.dot(x, y), hk.dot(f, f), hk.norm(y),
       hk.norm(f), hk.amin(x), hk.argmax(x), hk.argmin(f[::-1]), hk.sum(f),
       h(hk.exp(x)), h(hk.log(y)), h(hk.add(x, y)), h(hk.exp(f)),
       h(hk.sum(x[:1_000_000].reshape(1000, 1000), axis=0))]
print(repr([float(v).hex() if not isinstance(v, str) else v for v in res]))
'''

    def test_identical_for_any_thread_count(self):
        outs = {k: kt.run_python(self.CODE, {'HPCKERN_NUM_THREADS': str(k)})
                for k in (1, 2, 3, 5)}
        self.assertEqual(len(set(outs.values())), 1, outs)
        # and changing the count in-process
        r = np.random.default_rng(5)
        x = r.normal(0, 1, 777_777)
        base = None
        for k in (1, 4, 2, 0):
            hk.set_num_threads(k)
            got = (hk.sum(x), hk.dot(x, x[::-1]), hk.norm(x), hk.argmax(x), hk.exp(x).tobytes())
            if base is None:
                base = got
            self.assertEqual(got, base, k)


if __name__ == '__main__':
    unittest.main()
