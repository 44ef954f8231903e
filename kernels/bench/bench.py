#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""bench.py - hpckernels vs Debian's numpy, op x dtype x size x layout, plus bandwidth
against a STREAM triad measured in the same run.

    bench.py --full [--threads N]   the whole table -> bench/kernels-results.{md,svg,json}
    bench.py --rows                 a few rows for bench/run (bench/kernels.sh)
    bench.py --ops min,max --sizes 1e6,1e7 --dtypes float64 --layouts contiguous --rounds 5
                                    just those cells, printed (re-measuring suspects)

Fairness: both sides run in this process, interleaved call by call (numpy, ours, numpy,
ours...), each cell's time is the minimum over the repetitions, elementwise calls write
into a preallocated out= on both sides, and calls too short to time alone are timed in
batches of the same length. The machine's load is recorded: its 2 cores are shared.
"""
import argparse
import ctypes
import datetime
import gc
import json
import math
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
TOP = HERE.parent.parent
BUILD = Path(os.environ.get('HPCK_BUILD', TOP / 'build' / 'release'))
sys.path.insert(0, str(BUILD / 'kernels' / 'python'))
import hpckernels as hk  # noqa: E402

SIZES = (10**3, 10**4, 10**5, 10**6, 10**7, 10**8)
DTYPES = ('float64', 'float32')
LAYOUTS = ('contiguous', 'strided')

# op: (kind, ours, numpy's, bytes moved per element in units of the item size (STREAM
# counting: reads + writes), numpy uses AVX-512 here?)
# "numpy uses AVX-512" was measured: timings change with NPY_DISABLE_CPU_FEATURES=AVX512F...
# (exp, log, min, max, argmin, argmax); dot and norm are OpenBLAS's AVX-512 kernels.
ALPHA = 1e-3


def _ops():
    return {
        'add': ('bin', lambda a, b, c, o: hk.add(a, b, out=o),
                lambda a, b, c, o: np.add(a, b, out=o), 3, False),
        'subtract': ('bin', lambda a, b, c, o: hk.subtract(a, b, out=o),
                     lambda a, b, c, o: np.subtract(a, b, out=o), 3, False),
        'multiply': ('bin', lambda a, b, c, o: hk.multiply(a, b, out=o),
                     lambda a, b, c, o: np.multiply(a, b, out=o), 3, False),
        'divide': ('bin', lambda a, b, c, o: hk.divide(a, b, out=o),
                   lambda a, b, c, o: np.divide(a, b, out=o), 3, False),
        'fma': ('tern', lambda a, b, c, o: hk.fma(a, b, c, out=o),
                lambda a, b, c, o: np.add(np.multiply(a, b, out=o), c, out=o), 4, False),
        'axpy': ('tern', lambda a, b, c, o: hk.axpy(ALPHA, a, o),
                 lambda a, b, c, o: np.add(o, np.multiply(a, ALPHA, out=c), out=o), 3, False),
        'negative': ('un', lambda a, b, c, o: hk.negative(a, out=o),
                     lambda a, b, c, o: np.negative(a, out=o), 2, False),
        'absolute': ('un', lambda a, b, c, o: hk.absolute(a, out=o),
                     lambda a, b, c, o: np.absolute(a, out=o), 2, False),
        'sqrt': ('un', lambda a, b, c, o: hk.sqrt(a, out=o),
                 lambda a, b, c, o: np.sqrt(a, out=o), 2, False),
        'exp': ('un', lambda a, b, c, o: hk.exp(a, out=o),
                lambda a, b, c, o: np.exp(a, out=o), 2, True),
        'log': ('un', lambda a, b, c, o: hk.log(a, out=o),
                lambda a, b, c, o: np.log(a, out=o), 2, True),
        'sum': ('red', lambda a, b, c, o: hk.sum(a), lambda a, b, c, o: np.sum(a), 1, False),
        'mean': ('red', lambda a, b, c, o: hk.mean(a), lambda a, b, c, o: np.mean(a), 1, False),
        'dot': ('red', lambda a, b, c, o: hk.dot(a, b), lambda a, b, c, o: np.dot(a, b), 2, True),
        'nrm2': ('red', lambda a, b, c, o: hk.norm(a), lambda a, b, c, o: np.linalg.norm(a), 1,
                 True),
        'min': ('red', lambda a, b, c, o: hk.amin(a), lambda a, b, c, o: np.amin(a), 1, True),
        'max': ('red', lambda a, b, c, o: hk.amax(a), lambda a, b, c, o: np.amax(a), 1, True),
        'argmin': ('red', lambda a, b, c, o: hk.argmin(a), lambda a, b, c, o: np.argmin(a), 1,
                   True),
        'argmax': ('red', lambda a, b, c, o: hk.argmax(a), lambda a, b, c, o: np.argmax(a), 1,
                   True),
    }


OPS = _ops()
STREAMING = ('add', 'multiply', 'fma', 'axpy', 'negative', 'sum', 'dot')


def machine():
    info = {'cpu': '?', 'cores': os.cpu_count()}
    try:
        for line in open('/proc/cpuinfo'):
            if line.startswith('model name'):
                info['cpu'] = line.split(':', 1)[1].strip()
                break
    except OSError:
        pass
    info['load'] = os.getloadavg()
    info['numpy'] = np.__version__
    info['python'] = platform.python_version()
    info['path'] = hk.dispatch_path()
    info['threads'] = hk.get_num_threads()
    info['date'] = datetime.datetime.utcnow().strftime('%Y-%m-%d %H:%M UTC')
    try:
        info['commit'] = subprocess.run(['git', '-C', str(TOP), 'rev-parse', '--short', 'HEAD'],
                                        capture_output=True, text=True).stdout.strip()
    except OSError:
        info['commit'] = '?'
    info['openblas'] = os.path.realpath('/usr/lib/x86_64-linux-gnu/libblas.so.3')
    return info


class Arrays:
    """Inputs and outputs for one (size, dtype, layout): strided views take every other
    element of buffers twice as long."""

    def __init__(self, n, dtype, layout):
        r = np.random.default_rng(n)
        step = 2 if layout == 'strided' else 1
        self.bufs = []
        views = []
        for lo, hi in ((0.5, 2.0), (0.5, 2.0), (0.5, 2.0), (0.5, 2.0)):
            buf = np.empty(n * step, dtype)
            # fill in pieces: no float64 temporary of 8e8 bytes
            for i in range(0, n * step, 1 << 22):
                m = min(1 << 22, n * step - i)
                buf[i:i + m] = r.uniform(lo, hi, m)
            self.bufs.append(buf)
            views.append(buf[::step])
        self.a, self.b, self.c, self.o = views


def time_cell(ours, theirs, args, reps, n):
    """min seconds per call of (ours, numpy), interleaved, batched for short calls"""
    theirs(*args)
    ours(*args)
    t0 = time.perf_counter()
    theirs(*args)
    once = time.perf_counter() - t0
    batch = max(1, min(10000, int(2e-3 / max(once, 1e-9))))
    best = [math.inf, math.inf]
    for _ in range(reps):
        for k, f in ((1, theirs), (0, ours)):
            if n <= 10**7:
                # one untimed call first: the other side's last call left the caches in
                # its own state (our non-temporal stores push the output out of L3, its
                # ordinary ones keep it), which neither side should be timed paying for
                f(*args)
            t0 = time.perf_counter()
            for _ in range(batch):
                f(*args)
            best[k] = min(best[k], (time.perf_counter() - t0) / batch)
    return best


class Triad:
    def __init__(self):
        lib = BUILD / 'kernels' / 'bench' / 'libhpck_bench_triad.so'
        if not lib.exists():
            lib = BUILD / 'kernels' / 'bench' / 'hpck_bench_triad.so'
        self.lib = ctypes.CDLL(str(lib))
        self.lib.hpck_bench_triad.restype = ctypes.c_double
        self.lib.hpck_bench_triad.argtypes = [ctypes.c_void_p] * 3 + [ctypes.c_size_t,
                                                                      ctypes.c_int, ctypes.c_int]

        self.lib.hpck_bench_triad_cached.restype = ctypes.c_double
        self.lib.hpck_bench_triad_cached.argtypes = self.lib.hpck_bench_triad.argtypes

    def cached_ns(self, arr, threads, reps):
        """ns per element of the same triad on persistent spinning threads (in-cache sizes)"""
        t = self.lib.hpck_bench_triad_cached(arr.o.ctypes.data, arr.a.ctypes.data,
                                             arr.b.ctypes.data, arr.o.size, threads, reps)
        if t < 0:
            raise RuntimeError('in-cache triad: could not start %d threads' % threads)
        return t / arr.o.size * 1e9

    def gbs(self, arr, threads, reps):
        """STREAM-counted GB/s (24 bytes per element) of a[i] = b[i] + 3 c[i]."""
        t = self.lib.hpck_bench_triad(arr.o.ctypes.data, arr.a.ctypes.data, arr.b.ctypes.data,
                                      arr.o.size, threads, reps)
        return 24 * arr.o.size / t / 1e9


def run(sizes, reps_small, reps_big, ops, threads, progress=True, rounds=1, dtypes=DTYPES,
        layouts=LAYOUTS):
    """rounds > 1 sweeps everything again later: each cell keeps the minimum time per
    side over all rounds, so a burst of load from the machine's other users during one
    round hurts neither side's figure"""
    if threads:
        hk.set_num_threads(threads)
    res = {'machine': machine(), 'cells': [], 'triad': {}, 'triad_cached': {},
           'rounds': rounds}
    triad = Triad()
    best = {}
    for _ in range(rounds):
        _sweep(res, best, triad, (sizes, dtypes, layouts), reps_small, reps_big, ops, progress)
    res['cells'] = list(best.values())
    res['machine']['load_end'] = os.getloadavg()
    return res


def _sweep(res, best, triad, grid, reps_small, reps_big, ops, progress):
    sizes, dtypes, layouts = grid
    for n in sizes:
        for dt in dtypes:
            for layout in layouts:
                arr = Arrays(n, dt, layout)
                if n >= 10**7 and dt == 'float64' and layout == 'contiguous':
                    for th in sorted({1, hk.get_num_threads()}):
                        key = '%d/%d' % (n, th)
                        g = triad.gbs(arr, th, reps_big)
                        res['triad'][key] = max(res['triad'].get(key, 0), g)
                if n <= 10**5 and dt == 'float64' and layout == 'contiguous':
                    for th in sorted({1, hk.get_num_threads()}):
                        key = '%d/%d' % (n, th)
                        t = triad.cached_ns(arr, th, max(200, 2 * 10**8 // (n * 100)))
                        res['triad_cached'][key] = min(res['triad_cached'].get(key, 1e9), t)
                reps = reps_big if n >= 10**7 else reps_small
                for name in ops:
                    kind, ours, theirs, units, np512 = OPS[name]
                    args = (arr.a, arr.b, arr.c, arr.o)
                    with np.errstate(all='ignore'):
                        t_ours, t_np = time_cell(ours, theirs, args, reps, n)
                    key = (name, dt, n, layout)
                    if key in best:
                        t_ours = min(t_ours, best[key]['ours_ns'] * n / 1e9)
                        t_np = min(t_np, best[key]['numpy_ns'] * n / 1e9)
                    cell = {'op': name, 'dtype': dt, 'n': n, 'layout': layout,
                            'ours_ns': t_ours / n * 1e9, 'numpy_ns': t_np / n * 1e9,
                            'ratio': t_np / t_ours, 'numpy_avx512': np512,
                            'gbs': units * np.dtype(dt).itemsize * n / t_ours / 1e9,
                            'numpy_gbs': units * np.dtype(dt).itemsize * n / t_np / 1e9}
                    best[key] = cell
                    if progress:
                        print('%-9s %-7s %-10s %9d  ours %8.3f ns  numpy %8.3f ns  %6.2fx'
                              % (name, dt, layout, n, cell['ours_ns'], cell['numpy_ns'],
                                 cell['ratio']), file=sys.stderr, flush=True)
                del arr
                gc.collect()


# ---------------- output ----------------

def fmt_ratio(r):
    return ('%.2f' % r) if r < 10 else ('%.1f' % r) if r < 100 else '%.0f' % r


def markdown(res, res1=None):
    m = res['machine']
    sizes = sorted({c['n'] for c in res['cells']})
    lines = ['# hpckernels vs numpy %s' % m['numpy'], '',
             'Generated by `kernels/bench/bench.py --full` (see bench/RESULTS.md for the summary).', '',
             '- machine: %s, %s cores (shared), load %.2f/%.2f/%.2f at start, %.2f at end'
             % (m['cpu'], m['cores'], *m['load'], m['load_end'][0]),
             '- date %s, commit %s, Python %s, numpy %s (BLAS: %s)'
             % (m['date'], m['commit'], m['python'], m['numpy'], m['openblas']),
             '- hpckernels path %s, %d threads; numpy single-threaded except dot (OpenBLAS threads)'
             % (m['path'], m['threads']),
             '- the run took %.0f minutes%s' % (m.get('minutes', 0), '' if max(
                 m['load'][0], m['load_end'][0]) < 3 else '; the load was high (the 2 cores '
                 'are shared with builds): expect noise, and fewer chances for our second thread'),
             '- cell = numpy time / hpckernels time (> 1: hpckernels faster); minimum over %d '
             'interleaved repetitions x %d rounds (5 repetitions at 1e7 and 1e8), each side '
             'timed after one untimed call of its own up to 1e7 (so neither pays for the '
             'cache state the other left); elementwise with out= on both sides; strided = '
             'every other element (inputs and output)'
             % (7, res.get('rounds', 1)), '',
             '`*` numpy uses AVX-512 for this op on this CPU (goal 1.0x); otherwise the goal is 2.0x.',
             '']
    head = '| op | dtype | layout | ' + ' | '.join('%.0e' % n for n in sizes) + ' |'
    lines += [head, '|' + ' --- |' * (3 + len(sizes))]
    rows = {}
    for c in res['cells']:
        rows.setdefault((c['op'], c['dtype'], c['layout']), {})[c['n']] = c
    for (op, dt, lay), cells in rows.items():
        star = '*' if OPS[op][4] else ''
        lines.append('| %s%s | %s | %s | ' % (op, star, dt, lay) + ' | '.join(
            fmt_ratio(cells[n]['ratio']) if n in cells else '' for n in sizes) + ' |')
    lines += ['', '## Bandwidth at 1e7 and 1e8 (contiguous float64, STREAM counting: bytes '
              'read + written)', '']
    lines += ['| op | n | hpckernels GB/s | numpy GB/s | hpckernels / triad (same threads) |',
              '| --- | --- | --- | --- | --- |']
    th = m['threads']
    for c in res['cells']:
        if c['op'] in STREAMING and c['n'] >= 10**7 and c['dtype'] == 'float64' and \
                c['layout'] == 'contiguous':
            tri = res['triad'].get('%d/%d' % (c['n'], th))
            lines.append('| %s | %.0e | %.1f | %.1f | %s |' % (
                c['op'], c['n'], c['gbs'], c['numpy_gbs'],
                '%.0f%%' % (100 * c['gbs'] / tri) if tri else '?'))
    lines += ['', 'STREAM triad (plain C, -O3 -march=native) in the same run: ' + ', '.join(
        '%s: %.1f GB/s' % (k.replace('/', ' elements, ') + ' threads', v)
        for k, v in sorted(res['triad'].items()))]
    if res.get('triad_cached'):
        lines += ['', 'In-cache yardstick, the same triad on persistent spinning threads with '
                  'static slices (the least a split can cost), ns per element: ' + ', '.join(
                      '%s: %.3f' % (k.replace('/', ' elements, ') + ' threads', v)
                      for k, v in sorted(res['triad_cached'].items(),
                                         key=lambda kv: tuple(map(int, kv[0].split('/')))))]
    lines += ['', '## Cells below their goal at 1e7 and 1e8, against the bandwidth ceiling', '',
              'ceiling = the best ratio memory bandwidth allows: numpy\'s time over the time to '
              'move the op\'s bytes at the bus rate of the same run\'s triad (x 4/3: the '
              'triad\'s stores read each line first); strided cells move whole lines, and their '
              'outputs are read before written.', '',
              '| op | dtype | layout | n | ratio | goal | ceiling |', '|' + ' --- |' * 7]
    for c in res['cells']:
        ce = ceiling(c, res)
        if ce is not None and c['ratio'] < goal(c):
            lines.append('| %s | %s | %s | %.0e | %.2f | %.1f | %.2f%s |' % (
                c['op'], c['dtype'], c['layout'], c['n'], c['ratio'], goal(c), ce,
                ' (goal out of reach)' if ce < goal(c) else ''))
    if res1:
        lines += ['', '## The same with one hpckernels thread (HPCKERN_NUM_THREADS=1)', '',
                  head, '|' + ' --- |' * (3 + len(sizes))]
        rows1 = {}
        for c in res1['cells']:
            rows1.setdefault((c['op'], c['dtype'], c['layout']), {})[c['n']] = c
        for (op, dt, lay), cells in rows1.items():
            star = '*' if OPS[op][4] else ''
            lines.append('| %s%s | %s | %s | ' % (op, star, dt, lay) + ' | '.join(
                fmt_ratio(cells[n]['ratio']) if n in cells else '' for n in sizes) + ' |')
        lines += ['', 'STREAM triad, this run: ' + ', '.join(
            '%s: %.1f GB/s' % (k.replace('/', ' elements, ') + ' threads', v)
            for k, v in sorted(res1['triad'].items()))]
    return '\n'.join(lines) + '\n'


def svg(res, title):
    """A heat map of log ratios: rows op/dtype/layout, columns sizes."""
    sizes = sorted({c['n'] for c in res['cells']})
    rows = {}
    for c in res['cells']:
        rows.setdefault((c['op'], c['dtype'], c['layout']), {})[c['n']] = c['ratio']
    cw, ch, left, top = 58, 16, 210, 60
    w, h = left + cw * len(sizes) + 150, top + ch * len(rows) + 40
    out = ['<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" '
           'font-family="sans-serif" font-size="11">' % (w, h),
           '<rect width="100%" height="100%" fill="white"/>',
           '<text x="10" y="20" font-size="14">%s</text>' % title,
           '<text x="10" y="38" fill="#555">numpy time / hpckernels time; green: faster, '
           'red: slower than numpy</text>']
    for j, n in enumerate(sizes):
        out.append('<text x="%d" y="%d" text-anchor="middle">%.0e</text>'
                   % (left + cw * j + cw / 2, top - 6, n))

    def color(r):
        t = max(-1.0, min(1.0, math.log2(r) / 3))
        if t >= 0:
            g = int(255 - 120 * t)
            return 'rgb(%d,%d,%d)' % (int(255 - 200 * t), 235, int(255 - 200 * t) if g else 0)
        return 'rgb(245,%d,%d)' % (int(255 + 200 * t), int(255 + 200 * t))
    for i, ((op, dt, lay), cells) in enumerate(rows.items()):
        y = top + ch * i
        out.append('<text x="%d" y="%d" text-anchor="end">%s%s %s %s</text>'
                   % (left - 6, y + 12, op, '*' if OPS[op][4] else '', dt, lay[:4]))
        for j, n in enumerate(sizes):
            if n not in cells:
                continue
            r = cells[n]
            out.append('<rect x="%d" y="%d" width="%d" height="%d" fill="%s" stroke="white"/>'
                       % (left + cw * j, y, cw, ch, color(r)))
            out.append('<text x="%d" y="%d" text-anchor="middle">%s</text>'
                       % (left + cw * j + cw / 2, y + 12, fmt_ratio(r)))
    out.append('<text x="%d" y="%d" fill="#555">* numpy uses AVX-512 for this op</text>'
               % (10, h - 12))
    out.append('</svg>')
    return '\n'.join(out) + '\n'


def goal(c):
    return 1.0 if c['numpy_avx512'] else 2.0


def ceiling(c, res):
    """The best ratio memory bandwidth allows a cell at 1e7 and 1e8 (None below): numpy's
    time over the time needed to move the op's bytes at the bus rate the same run's C
    triad shows (its STREAM-counted GB/s x 4/3: its stores read each line first, ours
    beyond L2 do not). Strided cells move whole lines (twice the elements' bytes), and
    their outputs must be read first (the other half of each line is kept)."""
    tri = res['triad'].get('%d/%d' % (c['n'], res['machine']['threads']))
    if not tri or c['n'] < 10**7:
        return None
    kind, units = OPS[c['op']][0], OPS[c['op']][3]
    esz = np.dtype(c['dtype']).itemsize
    if c['layout'] == 'strided':
        nbytes = 2 * esz * (units + (kind in ('bin', 'un') or c['op'] == 'fma'))
    else:
        nbytes = esz * units
    best_ns = nbytes / (tri * 4 / 3)
    return c['numpy_ns'] / best_ns


def summary(res, res1=None):
    """Markdown for bench/RESULTS.md: goal counts, the worst cells, bandwidth ceilings."""
    cells = res['cells']
    m = res['machine']
    below = sorted((c for c in cells if c['ratio'] < 1.0), key=lambda c: c['ratio'])
    goal2 = [c for c in cells if not c['numpy_avx512']]
    goal1 = [c for c in cells if c['numpy_avx512']]
    out = ['- %d cells (19 ops x 2 dtypes x 6 sizes x 2 layouts), %d threads, %d round(s), '
           '%.0f minutes; load %.1f at start, %.1f at end'
           % (len(cells), m['threads'], res.get('rounds', 1), m.get('minutes', 0),
              m['load'][0], m['load_end'][0]),
           '- >= 1.0x numpy: %d of %d cells; median ratio %.2fx'
           % (sum(c['ratio'] >= 1 for c in cells), len(cells),
              sorted(c['ratio'] for c in cells)[len(cells) // 2]),
           '- ops where numpy has no AVX-512 code here (goal 2x): %d of %d cells >= 2.0x, '
           '%d >= 1.0x' % (sum(c['ratio'] >= 2 for c in goal2), len(goal2),
                          sum(c['ratio'] >= 1 for c in goal2)),
           '- ops where numpy uses AVX-512 (exp, log, min, max, argmin, argmax) or OpenBLAS '
           '(dot, nrm2) (goal 1x): %d of %d cells >= 1.0x'
           % (sum(c['ratio'] >= 1 for c in goal1), len(goal1))]
    if below:
        out.append('- below 1.0x: ' + ', '.join(
            '%s %s %s %.0e %.2fx' % (c['op'], c['dtype'][5:], c['layout'][:6], c['n'],
                                     c['ratio']) for c in below))
    missed = [c for c in cells if c['ratio'] < goal(c) and c['n'] >= 10**7]
    capped = [c for c in missed if (ceiling(c, res) or 99) < goal(c)]
    out.append('- at 1e7/1e8, %d cells miss their goal; for %d of them the goal is above what '
               'memory bandwidth allows (numpy already moves its bytes at more than 1/goal of '
               'the triad-derived bus rate)' % (len(missed), len(capped)))
    rest = [c for c in missed if c not in capped]
    if rest:
        out.append('- missed although bandwidth would allow it (ratio / ceiling): ' + ', '.join(
            '%s %s %s %.0e %.2f/%.2f' % (c['op'], c['dtype'][5:], c['layout'][:6], c['n'],
                                         c['ratio'], ceiling(c, res)) for c in rest))
    th = m['threads']
    for n in (10**7, 10**8):
        tri = res['triad'].get('%d/%d' % (n, th))
        add = [c for c in cells if c['op'] == 'add' and c['n'] == n and
               c['dtype'] == 'float64' and c['layout'] == 'contiguous']
        if tri and add:
            out.append('- add float64 %.0e: %.1f GB/s = %.0f%% of the C triad (%.1f GB/s, %d '
                       'threads, same run); numpy %.1f GB/s'
                       % (n, add[0]['gbs'], 100 * add[0]['gbs'] / tri, tri, th,
                          add[0]['numpy_gbs']))
        # the bar: every streaming op at >= 90% of the triad at 1e7-1e8 (exp and
        # log are compute-bound; STREAM counting: the bytes the op must move once)
        stream = [c for c in cells if c['n'] == n and c['layout'] == 'contiguous' and
                  c['op'] not in ('exp', 'log')]
        if tri and stream:
            low = [c for c in stream if c['gbs'] < 0.9 * tri]
            out.append('- %.0e contiguous, every op but exp/log: %d of %d cells >= 90%% of the '
                       'triad (lowest %s %s %.0f%%)%s'
                       % (n, len(stream) - len(low), len(stream),
                          *min(((c['op'], c['dtype'][5:], 100 * c['gbs'] / tri) for c in stream),
                               key=lambda t: t[2]),
                          ('; below: ' + ', '.join('%s %s %.0f%%' % (c['op'], c['dtype'][5:],
                                                                    100 * c['gbs'] / tri)
                                                   for c in low)) if low else ''))
    # the in-cache yardstick: the same triad on persistent threads, static slices; it
    # moves add's bytes, so numpy add's time over its time is the best ratio any add
    # could reach at that size on this machine
    for n in (10**3, 10**4, 10**5):
        y = res.get('triad_cached', {})
        y1, y2 = y.get('%d/1' % n), y.get('%d/%d' % (n, th))
        add = [c for c in cells if c['op'] == 'add' and c['n'] == n and
               c['dtype'] == 'float64' and c['layout'] == 'contiguous']
        if y1 and add:
            best = min(y1, y2 or y1)
            out.append('- add float64 %.0e in cache: C triad on 1 / %d persistent threads %.3f / '
                       '%.3f ns/element (same run), numpy add %.3f, hpckernels %.3f: the '
                       'yardstick allows %.2fx, hpckernels gets %.2fx'
                       % (n, th, y1, y2 or y1, add[0]['numpy_ns'], add[0]['ours_ns'],
                          add[0]['numpy_ns'] / best, add[0]['ratio']))
    if res1:
        c1 = res1['cells']
        out.append('- one hpckernels thread: >= 1.0x in %d of %d cells, median %.2fx'
                   % (sum(c['ratio'] >= 1 for c in c1), len(c1),
                      sorted(c['ratio'] for c in c1)[len(c1) // 2]))
    return '\n'.join(out) + '\n'


def cell_lines(res, res1=None):
    """plain text for a selection of cells (no files written)"""
    m = res['machine']
    out = ['# load %.2f at start, %.2f at end, %.1f min, path %s, %d threads, %d round(s)'
           % (m['load'][0], m['load_end'][0], m['minutes'], m['path'], m['threads'],
              res.get('rounds', 1))]
    for tag, r in (('', res), ('1 thread ', res1)):
        for c in (r or {}).get('cells', ()):
            out.append('%s%-9s %-7s %-10s %.0e  ours %8.3f ns  numpy %8.3f ns  %6.2fx'
                       % (tag, c['op'], c['dtype'], c['layout'], c['n'], c['ours_ns'],
                          c['numpy_ns'], c['ratio']))
        for k, v in sorted((r or {}).get('triad', {}).items()):
            out.append('%striad %s: %.1f GB/s' % (tag, k, v))
    return '\n'.join(out) + '\n'


def rows_for_bench_run(res):
    """TSV rows: benchmark, hpcenv, peer, unit, notes (bench/run's format)"""
    out = []
    for c in res['cells']:
        out.append('kernels: %s %s %s %.0e\t%.3f\t%.3f\tns/elem\t%.2fx numpy %s' % (
            c['op'], c['dtype'], c['layout'], c['n'], c['ours_ns'], c['numpy_ns'], c['ratio'],
            np.__version__))
    th = res['machine']['threads']
    for k, v in sorted(res['triad'].items()):
        n, t = k.split('/')
        if int(t) == th:
            add = [c for c in res['cells'] if c['op'] == 'add' and c['n'] == int(n) and
                   c['dtype'] == 'float64' and c['layout'] == 'contiguous']
            if add:
                out.append('kernels: add float64 %.0e bandwidth\t%.1f\t%.1f\tGB/s\tpeer: C triad, %s '
                           'threads' % (int(n), add[0]['gbs'], v, t))
    return '\n'.join(out)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--full', action='store_true', help='every op, dtype, size and layout')
    ap.add_argument('--rows', action='store_true', help='a few TSV rows for bench/run')
    ap.add_argument('--sizes', default=None, help='comma-separated, e.g. 1e3,1e7')
    ap.add_argument('--ops', default=None, help='comma-separated subset of ops')
    ap.add_argument('--dtypes', default=','.join(DTYPES), help='comma-separated subset')
    ap.add_argument('--layouts', default=','.join(LAYOUTS), help='comma-separated subset')
    ap.add_argument('--threads', type=int, default=0, help='hpckernels threads (0: default)')
    ap.add_argument('--one-thread-too', action='store_true',
                    help='--full: also run everything with one hpckernels thread')
    ap.add_argument('--summary', metavar='JSON', help='print the RESULTS.md summary of a run')
    ap.add_argument('--reps', type=int, default=7)
    ap.add_argument('--rounds', type=int, default=1,
                    help='sweep everything this many times, minimum per cell and side')
    ap.add_argument('--out', default=str(TOP / 'bench' / 'kernels-results'),
                    help='--full: output prefix (.md, .svg, .json)')
    a = ap.parse_args()
    if a.summary:
        d = json.loads(Path(a.summary).read_text())
        print(summary(d['default'], d.get('one_thread')), end='')
        return
    sizes = tuple(int(float(s)) for s in a.sizes.split(',')) if a.sizes else SIZES
    ops = a.ops.split(',') if a.ops else list(OPS)
    if a.rows:
        res = run(sizes if a.sizes else (10**3, 10**7), a.reps, 5,
                  ops if a.ops else ['add', 'divide', 'exp', 'log', 'sum', 'dot', 'argmax'],
                  a.threads, progress=False)
        print(rows_for_bench_run(res))
        return
    grid = {'dtypes': a.dtypes.split(','), 'layouts': a.layouts.split(',')}
    t_start = time.time()
    res = run(sizes, a.reps, 5 if max(sizes) >= 10**8 else a.reps, ops, a.threads,
              rounds=a.rounds, **grid)
    res1 = None
    if a.one_thread_too:
        res1 = run(sizes, a.reps, 5, ops, 1, rounds=a.rounds, **grid)
        hk.set_num_threads(0)
    res['machine']['minutes'] = (time.time() - t_start) / 60
    if not a.full:
        print(cell_lines(res, res1), end='')
        return
    Path(a.out + '.json').write_text(json.dumps({'default': res, 'one_thread': res1},
                                                separators=(',', ':')))
    Path(a.out + '.md').write_text(markdown(res, res1))
    Path(a.out + '.svg').write_text(svg(res, 'hpckernels vs numpy %s (%s, %d threads), %s'
                                        % (np.__version__, res['machine']['path'],
                                           res['machine']['threads'], res['machine']['date'])))
    print('wrote %s.{md,svg,json}' % a.out, file=sys.stderr)


if __name__ == '__main__':
    main()
