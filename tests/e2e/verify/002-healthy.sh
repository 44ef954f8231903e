# Debian's python as installed: OpenBLAS with its core type and threads, mpi4py healthy,
# and no finding that the configuration does not justify
source "$HPCENV_SOURCE_DIR/tests/e2e/verify/helpers.bash"
expect_status 0 hpcenv verify --python "$PY" --quick --json "$T/v.json"
assert_contains "$out" "hpcenv verify: $PY (quick)"
assert_contains "$out" "PASS  mpi.run"
assert_contains "$out" "Result: "
j=$T/v.json
# what OpenBLAS says about itself, asked independently in the same python
read -r core threads < <("$PY" -c '
import ctypes, numpy
lib = ctypes.CDLL("libopenblas.so.0")
lib.openblas_get_corename.restype = ctypes.c_char_p
print(lib.openblas_get_corename().decode(), lib.openblas_get_num_threads())')
primary=$(jqr '.blas.primary' "$(cat "$j")")
assert_eq "$(jq -r ".blas.libraries[$primary].vendor" "$j")" OpenBLAS
assert_eq "$(jq -r ".blas.libraries[$primary].corename" "$j")" "$core"
assert_eq "$(jq -r ".blas.libraries[$primary].threads" "$j")" "$threads"
assert_eq "$(jq -r '.blas.openblas.core_in_use' "$j")" "$core"
assert_contains "$(jq -r '.blas.gemm_path' "$j")" "/usr/lib/x86_64-linux-gnu/"
assert_eq "$(jq -r '.blas.providers' "$j")" 1
assert_contains "$out" "blas.threads       $threads thread"
# numpy itself: version, build configuration, and the SIMD features it dispatches here
read -r npver found < <("$PY" -c '
import numpy
from numpy.core._multiarray_umath import __cpu_features__ as f, __cpu_dispatch__ as d
print(numpy.__version__, ",".join(k for k in d if f.get(k)))')
assert_eq "$(jq -r .blas.numpy_version "$j")" "$npver"
assert_eq "$(jq -r '.blas.simd_found | join(",")' "$j")" "$found"
assert_contains "$(jq -r .blas.numpy_config "$j")" "lapack"
assert_contains "$out" "dispatched on this CPU: ${found//,/ }"
# the variables that change OpenBLAS are reported exactly as this environment has them
for var in OPENBLAS_CORETYPE OPENBLAS_L2_SIZE OPENBLAS_NUM_THREADS OMP_NUM_THREADS; do
	assert_eq "$(jq -r --arg v "$var" '.blas.env[$v] // "unset"' "$j")" "${!var:-unset}"
done
# the best core type follows the CPU's flags (the kernel's view, /proc/cpuinfo)
best=$(jq -r '.blas.openblas.core_best' "$j")
if grep -qw avx512f /proc/cpuinfo; then
	[[ $best == SkylakeX || $best == Cooperlake || $best == SapphireRapids ]] ||
		die "AVX-512 CPU but best core '$best'"
fi
# MPI: the library and launcher Debian wires together, 2 ranks of 2
assert_eq "$(jq -r '.mpi.linkage.soname' "$j")" "$(mpi4py_needs)"
assert_eq "$(jq -r '.mpi.library_family' "$j")" openmpi
assert_eq "$(jq -r '.mpi.launcher.family' "$j")" openmpi
assert_eq "$(jq -r '.mpi.run.hellos' "$j")" 2
assert_eq "$(jq -r '.mpi.run.size_seen' "$j")" 2
assert_eq "$(jq -r '.mpi.run.ring_ok' "$j")" true
assert_contains "$(jq -r '.mpi.library_version' "$j")" "Open MPI"
# every result checked against a reference
assert_eq "$(jq '[.bench[] | select(.skipped == null and .ok == false)] | length' "$j")" 0
assert_eq "$(jq '.numpy_ops | length' "$j")" 6
assert_eq "$(jq '[.numpy_ops[] | select(.ok == false)] | length' "$j")" 0
# no false alarm: only what this machine's configuration explains
allowed=()
if [[ $core != "$best" ]]; then
	allowed+=(blas-coretype-below-cpu)
	assert_contains "$(finding "$j" blas-coretype-below-cpu message)" "$core kernels"
fi
[[ -n ${OPENBLAS_L2_SIZE:-} ]] && allowed+=(blas-l2-size-ignored blas-l2-size-mismatch)
assert_no_config_findings "$j" "${allowed[@]}"
