# --reference: a band the machine cannot meet fails with the gap, one it meets passes, one
# not measured in this run is skipped
source "$HPCENV_SOURCE_DIR/tests/e2e/verify/helpers.bash"
cat >"$T/ref.yaml" <<'YAML'
# ReFrame-style: [value, lower, upper, unit], fractions of value, null = unbounded
x86_64:
  peak_dp_core: [1.0e+9, -0.1, null, GFLOP/s]
  dgemm_1024_1t: {value: 0.001, lower: 0, upper: null, unit: GFLOP/s}
  dot: [1.0e+6, null, 0.0, s]
  dgemm_4096_1t: [1, -0.5, null, GFLOP/s]
"*":
  dot: [0.1, null, 0.1, s]
YAML
expect_status 1 hpcenv verify --python "$PY" --quick --blas --reference "$T/ref.yaml" \
	--json "$T/v.json"
j=$T/v.json
valid_json "$j"
assert_contains "$errout" "verification failed: reference-out-of-band"
assert_eq "$(jq -r '.references.section' "$j")" x86_64
assert_eq "$(jq -r '.references.results[] | select(.metric == "peak_dp_core") | .status' "$j")" fail
assert_eq "$(jq -r '.references.results[] | select(.metric == "dgemm_1024_1t") | .status' "$j")" pass
assert_eq "$(jq -r '.references.results[] | select(.metric == "dot") | .status' "$j")" pass
assert_eq "$(jq -r '.references.results[] | select(.metric == "dgemm_4096_1t") | .status' "$j")" skip
assert_eq "$(jq -r '.references.results[] | select(.metric == "peak_dp_core") | .lower_bound' "$j")" 900000000
msg=$(finding "$j" reference-out-of-band message)
assert_contains "$msg" "peak_dp_core = "
assert_contains "$msg" "is below the reference band"
assert_contains "$msg" "$T/ref.yaml:3"
assert_contains "$out" "FAIL  reference.peak_dp_core"
assert_contains "$out" "SKIP  reference.dgemm_4096_1t"
# with references, the peak ratio is not guessed at: no blas-below-peak warning
ids "$j" | grep -qx blas-below-peak && die "blas-below-peak given despite --reference"
true
