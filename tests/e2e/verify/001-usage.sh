# usage errors exit 2 with one clear line; a bad --python or --reference too
source "$HPCENV_SOURCE_DIR/tests/e2e/verify/helpers.bash"
expect_status 2 hpcenv verify --python "$PY" --quick --full
assert_contains "$errout" "either --quick or --full"
expect_status 2 hpcenv verify --python "$PY" --launcher aprun
assert_contains "$errout" "--launcher must be mpiexec or srun, got 'aprun'"
expect_status 2 hpcenv verify --python "$PY" --np -3
assert_contains "$errout" "--np must be between 1 and 4096"
expect_status 2 hpcenv verify --python "$PY" --np many
assert_contains "$errout" "expects an integer"
expect_status 2 hpcenv verify --python "$PY" --plot out.png
assert_contains "$errout" "FILE.svg"
expect_status 2 hpcenv verify --python "$PY" --hostfile "$T/nope"
assert_contains "$errout" "--hostfile '$T/nope' cannot be read"
expect_status 2 hpcenv verify --python "$PY" --launcher srun --hostfile /etc/hostname
assert_contains "$errout" "--hostfile is for mpiexec"
expect_status 2 hpcenv verify
assert_contains "$errout" "no target: use -n NAME, -p PREFIX or --python PATH"
expect_status 2 hpcenv verify --python "$T/no-python"
assert_contains "$errout" "--python '$T/no-python' is not an executable file"
expect_status 1 hpcenv verify -p "$T"
assert_contains "$errout" "no python in environment '$T'"
# a reference file is checked before anything runs: file:line and what is wrong
printf 'x86_64:\n  dgemm_1024_1t: [10, -0.1, null, GB/s]\n' >"$T/unit.yaml"
printf '"*":\n  dgemm_1024_1t: [10, 0.5, null, GFLOP/s]\n' >"$T/lower.yaml"
printf '"*":\n  flops: [10, null, null, GFLOP/s]\n' >"$T/metric.yaml"
printf '"*": [unclosed\n' >"$T/bad.yaml"
printf 'some-other-host:\n  dot: [1, null, 0.1, s]\n' >"$T/nosection.yaml"
expect_status 2 hpcenv verify --python "$PY" --reference "$T/unit.yaml"
assert_contains "$errout" "$T/unit.yaml:2:18: 'dgemm_1024_1t' is measured in GFLOP/s, not GB/s"
expect_status 2 hpcenv verify --python "$PY" --reference "$T/lower.yaml"
assert_contains "$errout" "$T/lower.yaml:2:23: lower is a fraction <= 0"
expect_status 2 hpcenv verify --python "$PY" --reference "$T/metric.yaml"
assert_contains "$errout" "$T/metric.yaml:2:3: unknown metric"
expect_status 2 hpcenv verify --python "$PY" --reference "$T/bad.yaml"
assert_contains "$errout" "$T/bad.yaml:2:1:"
expect_status 2 hpcenv verify --python "$PY" --reference "$T/nosection.yaml"
assert_contains "$errout" "no section for this machine"
expect_status 2 hpcenv verify --python "$PY" --reference "$T/missing.yaml"
assert_contains "$errout" "$T/missing.yaml"
