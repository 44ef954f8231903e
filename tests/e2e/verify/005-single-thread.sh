# OPENBLAS_NUM_THREADS=1 on a multi-core machine is named, with the variable and its fix
source "$HPCENV_SOURCE_DIR/tests/e2e/verify/helpers.bash"
(($(nproc) > 1)) || die "needs a machine with more than one core"
OPENBLAS_NUM_THREADS=1 expect_status 0 hpcenv verify --python "$PY" --quick --blas \
	--json "$T/v.json"
assert_finding "$T/v.json" blas-single-thread
assert_contains "$(finding "$T/v.json" blas-single-thread message)" "(OPENBLAS_NUM_THREADS=1)"
assert_contains "$(finding "$T/v.json" blas-single-thread remedy)" "unset OPENBLAS_NUM_THREADS"
assert_eq "$(jq -r '.blas.env.OPENBLAS_NUM_THREADS' "$T/v.json")" 1
assert_contains "$out" "WARN  blas.threads       1 thread (OPENBLAS_NUM_THREADS=1)"
# the benchmark still covers every thread count through openblas_set_num_threads
assert_contains "$(jq -c '[.bench[].threads] | unique' "$T/v.json")" ",$(jq '.cpu.cores' "$T/v.json")]"
