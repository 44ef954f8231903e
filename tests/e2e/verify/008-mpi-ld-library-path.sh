# LD_LIBRARY_PATH points mpi4py's libmpi soname at the other MPI (as a `module load` of a
# different MPI does): named, with the directory, the family it found and the fix
source "$HPCENV_SOURCE_DIR/tests/e2e/verify/helpers.bash"
so=$(mpi4py_needs)
mkdir -p "$T/othermpi/lib"
case $so in
libmpi.so.40) ln -s /usr/lib/x86_64-linux-gnu/libmpich.so.12 "$T/othermpi/lib/$so"; other=mpich ;;
*) ln -s /usr/lib/x86_64-linux-gnu/libmpi.so.40 "$T/othermpi/lib/$so"; other=openmpi ;;
esac
LD_LIBRARY_PATH=$T/othermpi/lib expect_status 1 hpcenv verify --python "$PY" --quick --mpi \
	--json "$T/v.json"
j=$T/v.json
assert_contains "$errout" "verification failed: mpi-ld-library-path"
assert_finding "$j" mpi-ld-library-path
assert_eq "$(finding "$j" mpi-ld-library-path status)" fail
msg=$(finding "$j" mpi-ld-library-path message)
assert_contains "$msg" "LD_LIBRARY_PATH puts $T/othermpi/lib first: $so resolves to $T/othermpi/lib/$so"
assert_contains "$msg" "but mpi4py was built against another MPI"
assert_contains "$(finding "$j" mpi-ld-library-path remedy)" "remove $T/othermpi/lib from LD_LIBRARY_PATH"
assert_eq "$(jq -r .mpi.library_family "$j")" "$other"
assert_eq "$(jq -r .mpi.linkage.why "$j")" "LD_LIBRARY_PATH $T/othermpi/lib"
assert_contains "$(jq -r .mpi.linkage.without_ld_library_path "$j")" "/$so"
# the launcher matches what mpi4py was built for: it is not blamed for this
ids "$j" | grep -qx mpi-launcher-mismatch && die "the launcher was blamed for LD_LIBRARY_PATH"
assert_eq "$(jq -r .mpi.run "$j")" null
