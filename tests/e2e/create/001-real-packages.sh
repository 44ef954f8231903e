# every real package in shared/data/packages installs into a fresh prefix
P=$SHARED_DATA/packages
explicit() { printf '@EXPLICIT\n'; for f; do printf '%s\n' "$P/$f"; done; }
# a state listing: paths, types, modes, link targets, content hashes (conda-meta aside)
state() {
	(cd "$1" && find . -path ./conda-meta -prune -o -print | LC_ALL=C sort | while read -r f; do
		if [[ -L $f ]]; then echo "$f -> $(readlink "$f")"
		elif [[ -d $f ]]; then echo "$f/"
		else echo "$f $(stat -c %a "$f") $(sha256sum <"$f" | cut -c1-64)"; fi
	done)
}

for f in zlib-1.2.11-h7b6447c_3.conda zlib-1.2.11-h7b6447c_3.tar.bz2 mock-2.0.0-py37_1000.conda \
	mock-2.0.0-py37_1000.tar.bz2 _r-mutex-1.0.1-anacondar_1.tar.bz2 \
	conda-forge-repodata-patches-20180828-0.tar.bz2 ncurses-6_4_20240330-h00057fd_1.conda; do
	explicit "$f" >list.txt
	expect_status 0 hpcenv create -y -p "$T/e-$f" --file list.txt
	name=${f%%-[0-9]*}
	assert_eq "$(jqr '.[0].name' "$(hpcenv list -p "$T/e-$f" --json)")" "$name"
done

# zlib: the text placeholder has the prefix; the damaged symlinks are reported, not made
e=$T/e-zlib-1.2.11-h7b6447c_3.conda
assert_contains "$(head -1 "$e/lib/pkgconfig/zlib.pc")" "prefix=$e"
explicit zlib-1.2.11-h7b6447c_3.conda >z.txt
expect_status 0 hpcenv create -y -p "$T/z2" --file z.txt
assert_contains "$errout" "'lib/libz.so' is a damaged symlink in the package (no link target): not installed"
[[ ! -e $e/lib/libz.so && ! -L $e/lib/libz.so ]] || die "damaged symlink was created"

# the .conda and .tar.bz2 of mock, and of zlib, give identical trees at the same prefix
for pkg in mock-2.0.0-py37_1000 zlib-1.2.11-h7b6447c_3; do
	explicit "$pkg.conda" >a.txt
	explicit "$pkg.tar.bz2" >b.txt
	expect_status 0 hpcenv create -y -p "$T/same" --file a.txt
	a=$(state "$T/same")
	expect_status 0 hpcenv remove -y -p "$T/same" --all
	expect_status 0 hpcenv create -y -p "$T/same" --file b.txt
	[[ $(state "$T/same") == "$a" ]] || die "$pkg: .conda and .tar.bz2 trees differ"
	expect_status 0 hpcenv remove -y -p "$T/same" --all
done

# osx zlib (binary placeholders): same size, new prefix, NUL padded; another platform
explicit zlib-1.2.11-h1de35cc_3.conda >osx.txt
expect_status 0 hpcenv create -y -p "$T/osx" --platform osx-64 --file osx.txt
lib=$T/osx/lib/libz.1.2.11.dylib
assert_eq "$(stat -c %s "$lib")" 100996
grep -qa "_h_env_placehold" "$lib" && die "binary placeholder left"
grep -qa "$T/osx/lib" "$lib" || die "new prefix not in the dylib"

# ncurses (linux-ppc): all 2986 paths, 1097 of them symlinks
n=$T/e-ncurses-6_4_20240330-h00057fd_1.conda
meta=$(cat "$n"/conda-meta/ncurses-*.json)
assert_eq "$(jqr '.files | length' "$meta")" 2986
assert_eq "$(jqr '[.paths_data.paths[] | select(.path_type == "softlink")] | length' "$meta")" 1097
links=0 present=0
while read -r p; do
	if [[ -e $n/$p || -L $n/$p ]]; then present=$((present + 1)); fi
	if [[ -L $n/$p ]]; then links=$((links + 1)); fi
done < <(jqr '.files[]' "$meta")
assert_eq "$present" 2986
assert_eq "$links" 1097
