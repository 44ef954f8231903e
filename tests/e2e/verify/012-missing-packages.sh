# a python without numpy or mpi4py (a bare venv): named, with the fix; exit 1 when asked for
source "$HPCENV_SOURCE_DIR/tests/e2e/verify/helpers.bash"
"$PY" -m venv --without-pip "$T/venv"
expect_status 1 hpcenv verify --python "$T/venv/bin/python" --quick --blas --mpi \
	--json "$T/v.json"
j=$T/v.json
assert_finding "$j" numpy-missing
assert_finding "$j" mpi4py-missing
assert_contains "$(finding "$j" numpy-missing message)" "'import numpy' fails in $T/venv/bin/python"
assert_contains "$(finding "$j" numpy-missing remedy)" "python3-numpy"
assert_eq "$(jq -r .target.prefix "$j")" null
# not asked for explicitly, a missing mpi4py is a skip, not a failure
expect_status 1 hpcenv verify --python "$T/venv/bin/python" --quick --json "$T/w.json"
assert_eq "$(jq -r '.checks[] | select(.id == "mpi.mpi4py") | .status' "$T/w.json")" skip
ids "$T/w.json" | grep -qx mpi4py-missing && die "mpi4py-missing without --mpi"
true
