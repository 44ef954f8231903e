# an @EXPLICIT list of http URLs (a conda-forge-style channel on the nginx fixture): every
# package downloaded once into pkgs/<fn>, verified, noted in urls.txt; a second environment
# and --offline use the cache; offline without it says which package is missing
source "$(dirname "${BASH_SOURCE[0]}")/http.bash"
http_explicit >explicit.txt
n=$(grep -c '^http' explicit.txt)
expect_status 0 hpcenv create -y -n web --file explicit.txt
assert_eq "$(jqr 'length' "$(hpcenv list -n web --json)")" "$n"
assert_contains "$errout" "Downloaded $n packages"
assert_eq "$(nginx_requests '^GET /conda-forge/' | grep -c ' 200 ')" "$n"
# conda's cache layout: the archive, its extracted directory, its URL in urls.txt
while read -r url; do
	fn=${url##*/}
	fn=${fn%%#*}
	dist=${fn%.conda}
	dist=${dist%.tar.bz2}
	[[ -f $PKGS/$fn && -f $PKGS/$dist/info/repodata_record.json ]] || die "$fn not cached"
	grep -qxF "${url%%#*}" "$PKGS/urls.txt" || die "${url%%#*} not in urls.txt"
done < <(grep '^http' explicit.txt)
assert_no_part
# ext4: the envs directory spreads environments over block groups (chattr +T)
if flags=$(lsattr -d "$HPCENV_ROOT_PREFIX/envs" 2>/dev/null); then
	assert_contains "${flags%% *}" T
fi
# conda-meta names where each package came from
rec=$(ls "$HPCENV_ROOT_PREFIX"/envs/web/conda-meta/synth-0000-*.json)
assert_eq "$(jq -r .url "$rec")" "$(grep -o "^$NGINX_URL/conda-forge/linux-64/synth-0000-[^#]*" explicit.txt)"
assert_eq "$(jq -r .channel "$rec")" "$NGINX_URL/conda-forge/linux-64"

# a second environment: nothing is downloaded again
before=$(nginx_requests '^GET /conda-forge/' | wc -l)
expect_status 0 hpcenv create -y -n again --file explicit.txt
assert_eq "$(nginx_requests '^GET /conda-forge/' | wc -l)" "$before"
# without extracted packages, the cached archives are enough, offline too
find "$PKGS" -mindepth 1 -maxdepth 1 -type d -name 'synth-*' -exec rm -rf {} +
expect_status 0 hpcenv --offline create -y -n offline --file explicit.txt
assert_eq "$(nginx_requests '^GET /conda-forge/' | wc -l)" "$before"

# offline with an empty cache: one clear line naming a package and its URL, nothing made
rm -rf "$PKGS"
expect_status 1 hpcenv --offline create -y -n none --file explicit.txt
assert_one_line "$errout"
assert_contains "$errout" "offline: $n packages are not in the package cache, first 'python-3.11.9-0_synth_stub' from '$NGINX_URL/conda-forge/linux-64/python-3.11.9-0_synth_stub"
[[ ! -e $HPCENV_ROOT_PREFIX/envs/none ]] || die "offline failure left an environment"
assert_eq "$(nginx_requests '^GET /conda-forge/' | wc -l)" "$before"
