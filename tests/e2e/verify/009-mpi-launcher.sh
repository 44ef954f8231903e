# the other MPI's mpiexec first in PATH: every rank says "rank 0 of 1"; the fix names a
# launcher that matches
source "$HPCENV_SOURCE_DIR/tests/e2e/verify/helpers.bash"
mkdir -p "$T/otherbin"
if [[ $(mpi4py_needs) == libmpi.so.40 ]]; then
	# Hydra finds its proxy next to itself, as in a real MPICH installation's bin/
	ln -s /usr/bin/mpiexec.mpich "$T/otherbin/mpiexec"
	ln -s /usr/bin/hydra_pmi_proxy "$T/otherbin/hydra_pmi_proxy"
	want=openmpi
else
	ln -s /usr/bin/mpiexec.openmpi "$T/otherbin/mpiexec"
	want=mpich
fi
PATH=$T/otherbin:$PATH expect_status 1 hpcenv verify --python "$PY" --quick --mpi \
	--json "$T/v.json"
j=$T/v.json
assert_finding "$j" mpi-launcher-mismatch
assert_finding "$j" mpi-singleton-ranks
assert_eq "$(jq -r .mpi.launcher.path "$j")" "$T/otherbin/mpiexec"
assert_eq "$(jq -r .mpi.launcher.why "$j")" PATH
assert_eq "$(jq -r .mpi.run.all_singletons "$j")" true
# Open MPI 4's singletons race for their session directory, so one of the two may die
# before its hello (~4% of runs here); the finding then counts it and quotes its error
hellos=$(jq -r .mpi.run.hellos "$j")
if [[ $hellos != 2 ]]; then
	assert_eq "$hellos" 1
	assert_contains "$(finding "$j" mpi-singleton-ranks message)" "1 of 2 ranks died before"
fi
assert_contains "$(finding "$j" mpi-singleton-ranks message)" "every rank says 'rank 0 of 1'"
remedy=$(finding "$j" mpi-launcher-mismatch remedy)
assert_contains "$remedy" "use /usr/bin/mpiexec"
assert_contains "$(jq -r .mpi.launcher.matching "$j")" "$([[ $want == openmpi ]] && echo "Open MPI" || echo "MPICH")"
assert_contains "$out" "FAIL  mpi.launcher       $T/otherbin/mpiexec"
