# a copy of mpi4py whose libmpi cannot be found (as when an environment was moved): the
# soname, where ld.so looked, and the fix
source "$HPCENV_SOURCE_DIR/tests/e2e/verify/helpers.bash"
mkdir -p "$T/site"
cp -r /usr/lib/python3/dist-packages/mpi4py "$T/site/"
ext=$(ls "$T"/site/mpi4py/MPI.cpython-*.so)
so=$(mpi4py_needs)
# same length, so the ELF stays valid: only the soname it asks for changes
perl -pi -e "s/\Q$so\E\0/libmpi.so.99\0/g" "$ext"
readelf -d "$ext" | grep -q 'libmpi.so.99' || die "could not plant the missing soname"
PYTHONPATH=$T/site expect_status 1 hpcenv verify --python "$PY" --quick --mpi --json "$T/v.json"
j=$T/v.json
assert_contains "$errout" "verification failed: mpi-lib-missing"
assert_eq "$(jq -r .mpi.mpi4py_dir "$j")" "$T/site/mpi4py"
msg=$(finding "$j" mpi-lib-missing message)
assert_contains "$msg" "$ext needs libmpi.so.99, which ld.so cannot find"
assert_contains "$msg" "ld.so.cache"
assert_contains "$msg" "default /usr/lib/x86_64-linux-gnu"
assert_contains "$(finding "$j" mpi-lib-missing remedy)" "reinstall mpi4py"
assert_contains "$(jq -r .mpi.import_error "$j")" "libmpi.so.99"
assert_eq "$(jq -r .mpi.linkage.resolved "$j")" null
assert_contains "$out" "SKIP  mpi.run"
