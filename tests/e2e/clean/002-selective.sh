# clean --tarballs and --index-cache each remove only what they name
P=$SHARED_DATA/packages
pkgs=$HPCENV_ROOT_PREFIX/pkgs
printf '@EXPLICIT\n%s\n' "$P/mock-2.0.0-py37_1000.conda" >l.txt
expect_status 0 hpcenv create -y -n demo --file l.txt
mkdir -p "$pkgs/cache"
echo '{}' >"$pkgs/cache/abc.json"
cp "$P/zlib-1.2.11-h7b6447c_3.tar.bz2" "$P/zlib-1.2.11-h7b6447c_3.conda" "$pkgs/"

# --tarballs: the two archives, nothing else
expect_status 0 hpcenv clean -y --tarballs --json
assert_eq "$(jqr '[.removed[].path | sub(".*/"; "")] | sort | join(" ")' "$out")" \
	"zlib-1.2.11-h7b6447c_3.conda zlib-1.2.11-h7b6447c_3.tar.bz2"
[[ ! -e $pkgs/zlib-1.2.11-h7b6447c_3.conda && ! -e $pkgs/zlib-1.2.11-h7b6447c_3.tar.bz2 ]] ||
	die "--tarballs left an archive"
[[ -f $pkgs/cache/abc.json && -d $pkgs/mock-2.0.0-py37_1000/info ]] || die "--tarballs removed more"

# --index-cache: pkgs/cache only
expect_status 0 hpcenv clean -y --index-cache --json
assert_eq "$(jqr '.removed | length' "$out")" 1
assert_contains "$(jqr '.removed[0].path' "$out")" "pkgs/cache"
[[ ! -e $pkgs/cache ]] || die "--index-cache left pkgs/cache"
[[ -d $pkgs/mock-2.0.0-py37_1000/info ]] || die "--index-cache removed a package"
expect_status 0 hpcenv clean -y --index-cache
assert_contains "$out" "Nothing to clean."

expect_status 0 hpcenv list -n demo
assert_contains "$out" "mock"
