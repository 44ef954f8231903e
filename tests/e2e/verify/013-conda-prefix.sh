# -n NAME, -p PREFIX and an active environment: the python of PREFIX/bin is the target, its bin/
# comes first for the launcher
source "$HPCENV_SOURCE_DIR/tests/e2e/verify/helpers.bash"
env=$T/env
mkdir -p "$env/conda-meta" "$env/bin"
ln -s "$PY" "$env/bin/python"
ln -s /usr/bin/mpiexec "$env/bin/mpiexec"
expect_status 0 hpcenv verify -p "$env" --quick --mpi --np 1 --json "$T/v.json"
assert_eq "$(jq -r .target.python "$T/v.json")" "$env/bin/python"
assert_eq "$(jq -r .target.prefix "$T/v.json")" "$env"
assert_eq "$(jq -r .mpi.launcher.path "$T/v.json")" "$env/bin/mpiexec"
assert_eq "$(jq -r .mpi.launcher.why "$T/v.json")" "the environment's bin/"
assert_eq "$(jq -r .mpi.run.size_seen "$T/v.json")" 1
CONDA_PREFIX=$env expect_status 0 hpcenv verify --quick --mpi --np 1
assert_contains "$out" "hpcenv verify: $env/bin/python in $env (quick)"
# --python inside an environment finds the environment too
expect_status 0 hpcenv verify --python "$env/bin/python" --quick --mpi --np 1 --json "$T/w.json"
assert_eq "$(jq -r .target.prefix "$T/w.json")" "$env"
# -n NAME: an environment under the root prefix's envs/
named=$HPCENV_ROOT_PREFIX/envs/verifyme
mkdir -p "$named/conda-meta" "$named/bin"
ln -s "$PY" "$named/bin/python"
expect_status 0 hpcenv verify -n verifyme --quick --mpi --np 1 --json "$T/n.json"
assert_eq "$(jq -r .target.python "$T/n.json")" "$named/bin/python"
assert_eq "$(jq -r .target.prefix "$T/n.json")" "$named"
expect_status 1 hpcenv verify -n no-such-env --quick --mpi
assert_contains "$errout" "no-such-env"
