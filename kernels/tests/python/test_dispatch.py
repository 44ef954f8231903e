#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Every dispatch path the CPU supports, forced with HPCKERN_DISABLE in a fresh process,
reports itself and computes what numpy computes."""
import sys
import unittest
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
import kt  # noqa: E402

import hpckernels as hk  # noqa: E402

DISABLE = {'avx512': '', 'avx2': 'avx512', 'sse2': 'avx2', 'generic': 'sse2'}

CHECK = '''
import numpy as np, hpckernels as hk
r = np.random.default_rng(7)
ok = []
for dt in (np.float64, np.float32):
    a = r.uniform(-50, 50, 10_007).astype(dt); b = r.uniform(0.5, 9, 10_007).astype(dt)
    with np.errstate(all="ignore"):
        for op in ("add", "subtract", "multiply", "divide"):
            ok.append(np.array_equal(getattr(hk, op)(a, b[::-1]), getattr(np, op)(a, b[::-1])))
        ok.append(np.array_equal(hk.sqrt(b[::2]), np.sqrt(b[::2])))
        for op, x in (("exp", a), ("log", b)):
            y, w = getattr(hk, op)(x), getattr(np, op)(x)
            ok.append(bool(np.all(np.abs(y.astype(float) - w) <= 4 * np.spacing(np.abs(w)))))
        ok.append(np.isclose(hk.sum(a), np.sum(a.astype(float)), rtol=1e-4))
        ok.append(np.isclose(hk.dot(a, b), np.dot(a.astype(float), b), rtol=1e-4))
        ok.append(hk.argmax(a) == np.argmax(a) and hk.amin(b) == np.amin(b))
print(hk.dispatch_path(), all(ok), ok)
'''


class Paths(unittest.TestCase):
    def test_default_is_best(self):
        self.assertIn(hk.dispatch_path(), hk.supported_paths())
        self.assertEqual(hk.dispatch_path(), hk.supported_paths()[0])
        self.assertIn('generic', hk.supported_paths())

    def test_each_path(self):
        for path in hk.supported_paths():
            out = kt.run_python(CHECK, {'HPCKERN_DISABLE': DISABLE[path]}).split()
            self.assertEqual(out[0], path)
            self.assertEqual(out[1], 'True', (path, out))


if __name__ == '__main__':
    unittest.main()
