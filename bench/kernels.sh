# kernels: hpckernels (libhpckernels' Python extension) vs Debian's numpy, same process,
# interleaved, min of N; a few cells plus add's bandwidth against a C STREAM triad.
# The full op x dtype x size x layout table: kernels/bench/bench.py --full (see
# bench/kernels-results.md).
top=$(cd "$BENCH_DIR/.." && pwd)
HPCK_BUILD=$top/build/release /usr/bin/python3 "$top/kernels/bench/bench.py" --rows
