# numpy forced onto the netlib reference BLAS (Debian's libblas3) through LD_LIBRARY_PATH
source "$HPCENV_SOURCE_DIR/tests/e2e/verify/helpers.bash"
blas=/usr/lib/x86_64-linux-gnu/blas lapack=/usr/lib/x86_64-linux-gnu/lapack
[[ -e $blas/libblas.so.3 ]] || die "Debian's libblas3 is not installed (scripts/bootstrap)"
LD_LIBRARY_PATH=$blas:$lapack expect_status 0 hpcenv verify --python "$PY" --quick --blas \
	--json "$T/v.json"
assert_finding "$T/v.json" blas-netlib
assert_contains "$(finding "$T/v.json" blas-netlib message)" "netlib reference BLAS $blas/"
assert_eq "$(finding "$T/v.json" blas-netlib remedy)" \
	"remove $blas from LD_LIBRARY_PATH: it puts the reference BLAS before the optimised one"
assert_contains "$out" "WARN  blas.library"
# netlib has no thread setter: one pass, at one thread, still checked for correctness
assert_eq "$(jq '[.bench[].threads] | unique' -c "$T/v.json")" "[1]"
assert_eq "$(jq '[.bench[] | select(.skipped == null and .ok == false)] | length' "$T/v.json")" 0
assert_no_config_findings "$T/v.json" blas-netlib
# only libblas redirected: the process maps netlib and OpenBLAS (through liblapack) at once
LD_LIBRARY_PATH=$blas expect_status 0 hpcenv verify --python "$PY" --quick --blas \
	--json "$T/w.json"
assert_finding "$T/w.json" blas-netlib
assert_finding "$T/w.json" blas-two-libraries
assert_contains "$(finding "$T/w.json" blas-two-libraries message)" "OpenBLAS"
