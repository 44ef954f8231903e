# remove --force NAME (only those), --all (the whole environment); refusals
# (remove NAME with its dependants: 002-dependants.sh)
P=$SHARED_DATA/packages
printf '@EXPLICIT\n%s\n%s\n%s\n' "$P/mock-2.0.0-py37_1000.conda" "$P/zlib-1.2.11-h7b6447c_3.conda" \
	"$P/_r-mutex-1.0.1-anacondar_1.tar.bz2" >l.txt
expect_status 0 hpcenv create -y -n demo --file l.txt
env=$HPCENV_ROOT_PREFIX/envs/demo
expect_status 2 hpcenv remove -y -n demo
expect_status 1 hpcenv remove -y -n demo --force nosuch
assert_contains "$errout" "'nosuch' is not installed"
expect_status 0 hpcenv remove -n demo --force mock --dry-run
[[ -d $env/lib/python3.7 ]] || die "--dry-run removed something"
expect_status 0 hpcenv remove -y -n demo --force mock
[[ ! -e $env/lib/python3.7 ]] || die "mock's files (and emptied directories) are still there"
assert_contains "$(cat "$env/conda-meta/history")" "# remove specs: ['mock']"
expect_status 0 hpcenv remove -n demo --force zlib --json
assert_eq "$(jqr '.actions.UNLINK[0].name' "$out")" zlib
assert_eq "$(jqr 'map(.name) | join(",")' "$(hpcenv list -n demo --json)")" _r-mutex
# an environment conda made
cp -a "$HPCENV_SOURCE_DIR/tests/fixtures/conda-env/prefix" "$T/conda-env"
expect_status 0 hpcenv remove -y -p "$T/conda-env" --force tool zlib
[[ ! -e $T/conda-env/bin/tool && ! -e $T/conda-env/lib/libz.so.1 ]] || die "conda's files remain"
[[ -f $T/conda-env/lib/python3.11/site-packages/six.py ]] || die "six was removed"
# --all
expect_status 2 hpcenv remove -y -n demo --all mock
CONDA_PREFIX=$env expect_status 2 hpcenv remove -y -n demo --all
assert_contains "$errout" "active environment"
expect_status 0 hpcenv remove -y -n demo --all
[[ ! -e $env ]] || die "$env still there"
for i in $(seq 100); do # a detached rm deletes the files; give it up to 10 s
	[[ -z $(ls -A "$HPCENV_ROOT_PREFIX/envs") ]] && break
	sleep 0.1
done
[[ -z $(ls -A "$HPCENV_ROOT_PREFIX/envs") ]] || die "leftovers in envs/"
mkdir -p "$HPCENV_ROOT_PREFIX/conda-meta"
expect_status 2 hpcenv remove -y -n base --all
assert_contains "$errout" "base environment"
