# OPENBLAS_CORETYPE below the CPU (planted in this command's environment only): the
# variable, the core in use, the core the CPU supports, the measured cost, why it may be set
source "$HPCENV_SOURCE_DIR/tests/e2e/verify/helpers.bash"
grep -qw avx2 /proc/cpuinfo || die "needs a CPU with AVX2 (Sandybridge kernels must be below it)"
OPENBLAS_CORETYPE=Sandybridge expect_status 0 hpcenv verify --python "$PY" --quick --blas \
	--json "$T/v.json"
j=$T/v.json best=$(jq -r '.blas.openblas.core_best' "$j")
assert_finding "$j" blas-coretype-below-cpu
assert_eq "$(jq -r '.blas.openblas.core_in_use' "$j")" Sandybridge
[[ $best == Haswell || $best == Zen || $best == SkylakeX || $best == Cooperlake ||
	$best == SapphireRapids ]] || die "unexpected best core '$best'"
msg=$(finding "$j" blas-coretype-below-cpu message)
assert_contains "$msg" "OPENBLAS_CORETYPE=Sandybridge makes OpenBLAS run Sandybridge kernels"
assert_contains "$msg" "supports $best"
assert_contains "$msg" "measured cost: DGEMM"
assert_contains "$(finding "$j" blas-coretype-below-cpu remedy)" "OPENBLAS_CORETYPE"
assert_contains "$(finding "$j" blas-coretype-below-cpu remedy)" "set on purpose"
# the cost: the same DGEMM with the best kernels, run in a child (numbers never compared)
assert_eq "$(jq -r '.coretype_cost.core_in_use' "$j")" Sandybridge
assert_eq "$(jq -r '.coretype_cost.core_best' "$j")" "$best"
jq -e '.coretype_cost.gflops_best > 0 and .coretype_cost.gflops_in_use > 0' "$j" >/dev/null ||
	die "no measured cost"
assert_eq "$(jq -r '[.bench[].core] | unique | join(",")' "$j")" Sandybridge
