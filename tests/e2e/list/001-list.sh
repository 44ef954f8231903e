# list: the table, --json, --explicit --md5/--sha256, REGEX; an environment conda made
P=$SHARED_DATA/packages
printf '@EXPLICIT\n%s\n%s\n' "$P/mock-2.0.0-py37_1000.conda" "$P/zlib-1.2.11-h7b6447c_3.tar.bz2" >l.txt
expect_status 0 hpcenv create -y -n demo --file l.txt
expect_status 0 hpcenv list -n demo
assert_contains "$out" "# packages in environment at $HPCENV_ROOT_PREFIX/envs/demo:"
assert_contains "$out" "mock                       2.0.0            py37_1000"
expect_status 0 hpcenv list -n demo --json
assert_eq "$(jqr 'map(.name) | join(",")' "$out")" "mock,zlib"
assert_eq "$(jqr '.[1].build_string' "$out")" h7b6447c_3
assert_eq "$(jqr '.[1].platform' "$out")" linux-64
expect_status 0 hpcenv list -n demo --explicit --md5
assert_contains "$out" "@EXPLICIT"
assert_contains "$out" "file://$P/zlib-1.2.11-h7b6447c_3.tar.bz2#$(md5sum <"$P/zlib-1.2.11-h7b6447c_3.tar.bz2" | cut -c1-32)"
expect_status 0 hpcenv list -n demo --explicit --sha256
assert_contains "$out" "#sha256:$(sha256sum <"$P/mock-2.0.0-py37_1000.conda" | cut -c1-64)"
expect_status 0 hpcenv list -n demo '^z'
assert_not_contains "$out" mock
expect_status 2 hpcenv list -n demo --explicit --md5 --sha256
expect_status 1 hpcenv list -n nosuch
assert_contains "$errout" "'nosuch' not found"
# an environment conda made
cp -a "$HPCENV_SOURCE_DIR/tests/fixtures/conda-env/prefix" "$T/conda-env"
expect_status 0 hpcenv list -p "$T/conda-env" --json
assert_eq "$(jqr 'map(.dist_name) | join(",")' "$out")" \
	"six-1.16.0-pyhd3eb1b0_1,tool-0.1-pyh0_0,zlib-1.2.13-h5eee18b_0"
assert_eq "$(jqr '.[2].channel' "$out")" pkgs/main
expect_status 0 hpcenv list -p "$T/conda-env" --explicit
assert_contains "$out" "https://repo.anaconda.com/pkgs/main/linux-64/zlib-1.2.13-h5eee18b_0.conda"
