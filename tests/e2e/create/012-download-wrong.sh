# the server sends other bytes than the list's sha256 (a corrupt mirror): the download is
# deleted and tried once more, then one clear error names the package, its URL and both
# checksums; nothing of it stays in pkgs/ and no environment is made
source "$(dirname "${BASH_SOURCE[0]}")/http.bash"
http_explicit /wrong 3 >explicit.txt
bad=$(grep -o 'synth-0000-[^#]*\.\(conda\|tar\.bz2\)' explicit.txt)
want=$(grep -o "$bad#sha256:.*" explicit.txt | cut -d: -f2)
# every other file served right, this one with one byte changed (same size)
mkdir -p "$T/www.wrong"
cp -rL "$chan" "$T/www.wrong/conda-forge"
printf 'X' | dd of="$T/www.wrong/conda-forge/linux-64/$bad" bs=1 seek=100 conv=notrunc status=none
got=$(sha256sum "$T/www.wrong/conda-forge/linux-64/$bad" | cut -d' ' -f1)
expect_status 1 hpcenv create -y -n corrupt --file explicit.txt
assert_contains "$errout" "warning: package '${bad%.*}"
assert_contains "$errout" "downloading it again"
last=$(printf '%s\n' "$errout" | tail -1)
assert_eq "$last" "hpcenv: error: package '$(basename "$(basename "$bad" .conda)" .tar.bz2)': cannot download '$NGINX_URL/wrong/conda-forge/linux-64/$bad': checksum mismatch (sha256 $got, expected $want)"
assert_eq "$(nginx_requests "^GET /wrong/conda-forge/linux-64/$bad 200" | wc -l)" 2
[[ ! -e $PKGS/$bad ]] || die "the corrupt download is in the cache"
assert_no_part
[[ ! -e $HPCENV_ROOT_PREFIX/envs/corrupt ]] || die "a failed download left an environment"
# the mirror is fixed: the same list installs (the good packages were kept)
rm -rf "$T/www.wrong/conda-forge"
cp -rL "$chan" "$T/www.wrong/conda-forge"
expect_status 0 hpcenv create -y -n fixed --file explicit.txt
# 2 good + 2 tries of the bad one before, now only the bad one again
assert_eq "$(nginx_requests "^GET /wrong/conda-forge/" | wc -l)" 5
