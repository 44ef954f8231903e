# repodata.json.zst is asked for first; a 404 for it is remembered and the .json used
source "$(dirname "${BASH_SOURCE[0]}")/common.bash"
make_channel "$T/www/ch"
zstd -q "$T/www/ch/linux-64/repodata.json" -o "$T/www/ch/linux-64/repodata.json.zst"
nginx_start "$T/www"
ch=$NGINX_URL/ch

expect_status 0 hpcenv repodata fetch --platform linux-64 -c "$ch" --json
assert_eq "$(jqr '.subdirs[0].zst' "$out")" true
assert_eq "$(jqr '.subdirs[0].records' "$out")" 2709
assert_eq "$(jqr '.subdirs[1].zst' "$out")" false
assert_contains "$(nginx_requests '/ch/linux-64/')" "GET /ch/linux-64/repodata.json.zst 200"
assert_eq "$(nginx_requests '/ch/linux-64/repodata.json ' | wc -l)" 0
assert_contains "$(nginx_requests '/ch/noarch/')" "GET /ch/noarch/repodata.json.zst 404"
assert_contains "$(nginx_requests '/ch/noarch/')" "GET /ch/noarch/repodata.json 200"
# the cache holds the decompressed JSON, and the state says where it came from
cache=$(jqr '.subdirs[0].cache_file' "$out")
cmp "$cache" "$T/www/ch/linux-64/repodata.json"
jq -e '.url == "'"$ch"'/linux-64/repodata.json.zst" and .has_zst.value == true' \
	"${cache%.json}.info.json" >/dev/null || die "state: $(cat "${cache%.json}.info.json")"
jq -e '.has_zst.value == false' "$(jqr '.subdirs[1].cache_file' "$out" | sed 's/json$/info.json/')" \
	>/dev/null || die "noarch has_zst not recorded"

# second run: 304 on the .zst; no new .zst request for noarch (remembered 404)
expect_status 0 hpcenv repodata fetch --platform linux-64 -c "$ch" --json
assert_eq "$(jqr '.subdirs[0].source' "$out")" 304
assert_eq "$(nginx_requests '/ch/linux-64/repodata.json.zst 304' | wc -l)" 1
assert_eq "$(nginx_requests '/ch/noarch/repodata.json.zst' | wc -l)" 1

# a server without .zst files (/nozst/): .json after the 404
expect_status 0 hpcenv repodata fetch --platform linux-64 -c "$NGINX_URL/nozst/ch" --json
assert_eq "$(jqr '.subdirs[0].zst' "$out")" false
assert_eq "$(jqr '.subdirs[0].records' "$out")" 2709
assert_contains "$(nginx_requests '/nozst/ch/linux-64/')" "repodata.json.zst 404"
assert_contains "$(nginx_requests '/nozst/ch/linux-64/')" "repodata.json 200"

# a corrupt .zst is an error naming the URL
printf 'garbage' >"$T/www/ch/linux-64/repodata.json.zst"
rm -rf "$CACHE"
expect_status 1 hpcenv repodata fetch --platform linux-64 -c "$ch"
assert_contains "$errout" "'$ch/linux-64': corrupt zstd data"
assert_one_line "$errout"
