# a second run asks with the cached validators and gets 304; the index is reused
source "$(dirname "${BASH_SOURCE[0]}")/common.bash"
make_channel "$T/www/ch"
nginx_start "$T/www"
ch=$NGINX_URL/ch

expect_status 0 hpcenv repodata fetch --platform linux-64 -c "$ch"
assert_eq "$(col "$ch/linux-64" 2)" network
assert_eq "$(col "$ch/noarch" 2)" network
# gzip transfer encoding: fewer bytes on the wire than the file has
bytes=$(nginx_requests ' /ch/noarch/repodata.json 200' | awk '{ print $4 }')
((bytes < 173630 / 2)) || die "repodata.json was not sent compressed ($bytes bytes)"
json=$(col "$ch/noarch" 5)
[[ $json == "$CACHE"/*.json && -f ${json%.json}.info.json ]] || die "no cache entry: $json"
jq -e '.etag != "" and .mod != "" and .size > 0 and .url == "'"$ch"'/noarch/repodata.json"' \
	"${json%.json}.info.json" >/dev/null || die "bad state: $(cat "${json%.json}.info.json")"

# nginx sends no Cache-Control: the cache is revalidated every time
expect_status 0 hpcenv repodata fetch --platform linux-64 -c "$ch" -v
assert_eq "$(col "$ch/linux-64" 2)" 304
assert_eq "$(col "$ch/noarch" 2)" 304
assert_eq "$(col "$ch/noarch" 3)" solv
assert_eq "$(nginx_requests ' /ch/noarch/repodata.json 304' | wc -l)" 1
assert_contains "$errout" "$ch/noarch: 304, 205 records from the .solv index"

# local_repodata_ttl as seconds: fresh, no request at all
before=$(nginx_request_count)
CONDA_LOCAL_REPODATA_TTL=3600 expect_status 0 hpcenv repodata fetch --platform linux-64 -c "$ch"
assert_eq "$(col "$ch/noarch" 2)" cache
assert_eq "$(nginx_request_count)" "$before"
# --refresh asks anyway
CONDA_LOCAL_REPODATA_TTL=3600 expect_status 0 hpcenv repodata fetch --platform linux-64 -c "$ch" --refresh
assert_eq "$(col "$ch/noarch" 2)" 304

# without validators (/noetag/) the server sends the whole file again
expect_status 0 hpcenv repodata fetch --platform linux-64 -c "$NGINX_URL/noetag/ch"
expect_status 0 hpcenv repodata fetch --platform linux-64 -c "$NGINX_URL/noetag/ch"
assert_eq "$(col "$NGINX_URL/noetag/ch/noarch" 2)" network
assert_eq "$(col "$NGINX_URL/noetag/ch/noarch" 3)" parsed # a new file: a new index
