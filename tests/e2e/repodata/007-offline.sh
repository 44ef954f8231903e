# --offline uses the cache as it is and sends nothing; without a cache it says so
source "$(dirname "${BASH_SOURCE[0]}")/common.bash"
make_channel "$T/www/ch"
nginx_start "$T/www"
ch=$NGINX_URL/ch

expect_status 1 hpcenv --offline repodata fetch --platform linux-64 -c "$ch"
assert_one_line "$errout"
assert_contains "$errout" "channel '$ch' is not in the cache (offline mode)"
assert_eq "$(nginx_requests ' /ch/' | wc -l)" 0

expect_status 0 hpcenv repodata fetch --platform linux-64 -c "$ch"
before=$(nginx_request_count)
nginx_stop
expect_status 0 hpcenv --offline repodata fetch --platform linux-64 -c "$ch" --json
assert_eq "$(jqr '.subdirs[0].source' "$out")" cache
assert_eq "$(jqr '.subdirs[0].from_index' "$out")" true
assert_eq "$(jqr '[.subdirs[].records] | add' "$out")" $((2709 + 205))
# the same through configuration
CONDA_OFFLINE=true expect_status 0 hpcenv repodata fetch --platform linux-64 -c "$ch"
assert_eq "$(col "$ch/noarch" 2)" cache
# a platform never fetched is simply missing offline, the channel still loads
expect_status 0 hpcenv --offline repodata fetch --platform osx-arm64 -c "$ch"
assert_eq "$(col "$ch/osx-arm64" 2)" missing
