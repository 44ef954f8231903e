# clean: unused packages, archives, repodata cache, temp leftovers; dry runs change nothing
P=$SHARED_DATA/packages
pkgs=$HPCENV_ROOT_PREFIX/pkgs
printf '@EXPLICIT\n%s\n%s\n' "$P/mock-2.0.0-py37_1000.conda" "$P/zlib-1.2.11-h7b6447c_3.conda" >l.txt
expect_status 0 hpcenv create -y -n demo --file l.txt
expect_status 2 hpcenv clean
expect_status 0 hpcenv clean -p --json
assert_eq "$(jqr '.removed | length' "$out")" 0 # both linked into demo
expect_status 0 hpcenv remove -y -n demo --force mock
mkdir -p "$pkgs/cache" "$pkgs/.hpcenv-tmp/x-1-0-AbCdEf"
echo '{}' >"$pkgs/cache/abc.json"
cp "$P/zlib-1.2.11-h7b6447c_3.tar.bz2" "$pkgs/"
expect_status 0 hpcenv clean --all --dry-run
assert_contains "$out" "mock-2.0.0-py37_1000"
assert_contains "$out" "zlib-1.2.11-h7b6447c_3.tar.bz2"
[[ -d $pkgs/mock-2.0.0-py37_1000 ]] || die "--dry-run removed something"
expect_status 1 hpcenv clean --all </dev/null
assert_contains "$errout" "give -y"
expect_status 0 hpcenv clean -y --all --json
assert_eq "$(jqr '.removed | length' "$out")" 4
[[ ! -e $pkgs/mock-2.0.0-py37_1000 && ! -e $pkgs/cache && ! -e $pkgs/.hpcenv-tmp ]] || die "not removed"
[[ -d $pkgs/zlib-1.2.11-h7b6447c_3 ]] || die "a package in use was removed"
expect_status 0 hpcenv list -n demo
