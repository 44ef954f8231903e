# MPI_Init fails on every rank (an MPI variable naming a component that does not exist, as a
# stale job script leaves behind): the failure is named once, with what the MPI said and the
# variable to fix; the launcher is not blamed
source "$HPCENV_SOURCE_DIR/tests/e2e/verify/helpers.bash"
[[ $(mpi4py_needs) == libmpi.so.40 ]] || die "needs mpi4py built against Open MPI"
# Open MPI forwards the ranks' help messages to mpiexec and loses them now and then when
# all ranks die at once (3 runs of 40 here printed only ORTE_ERROR_LOG lines from
# show_help.c): verify can only quote what was printed, so up to 3 tries for the help box
j=$T/v.json
for try in 1 2 3; do
	OMPI_MCA_pml=no-such-pml expect_status 1 hpcenv verify --python "$PY" --quick --mpi \
		--json "$j"
	[[ $(finding "$j" mpi-init-failed message) == *"Component: no-such-pml"* ]] && break
done
valid_json "$j"
assert_contains "$errout" "verification failed: mpi-init-failed"
assert_eq "$(jq -r .mpi.env.OMPI_MCA_pml "$j")" no-such-pml
assert_contains "$out" "PASS  mpi.env            OMPI_MCA_pml=no-such-pml"
msg=$(finding "$j" mpi-init-failed message)
assert_contains "$msg" "MPI_Init failed, no rank started"
assert_contains "$msg" "Framework: pml, Component: no-such-pml"
assert_contains "$(finding "$j" mpi-init-failed remedy)" "(OMPI_MCA_pml=no-such-pml): unset them"
assert_eq "$(jq -r .mpi.run.hellos "$j")" 0
assert_eq "$(jq -r .mpi.singleton_ok "$j")" false
assert_eq "$(jq -r '.checks[] | select(.id == "mpi.singleton") | .status' "$j")" fail
# one cause, one finding: not a launcher problem, not a separate singleton warning
for id in mpi-singleton-init mpi-launcher-mismatch mpi-run-failed mpi-hang; do
	ids "$j" | grep -qx "$id" && die "unexpected finding $id"
done
# without the variable the same command passes, and does not report it
expect_status 0 hpcenv verify --python "$PY" --quick --mpi --np 1 --json "$T/w.json"
assert_eq "$(jq -r .mpi.env.OMPI_MCA_pml "$T/w.json")" null
