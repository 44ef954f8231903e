# a channel without the platform subdir is fine when noarch exists; a channel with
# neither is an error naming both URLs
source "$(dirname "${BASH_SOURCE[0]}")/common.bash"
mkdir -p "$T/www/onlynoarch/noarch" "$T/www/empty"
cp "$SHARED_DATA/repodata/conda-forge-subset-py39-noarch-2024.json" "$T/www/onlynoarch/noarch/repodata.json"
nginx_start "$T/www"

expect_status 0 hpcenv repodata fetch --platform linux-64 -c "$NGINX_URL/onlynoarch"
assert_eq "$(col "$NGINX_URL/onlynoarch/linux-64" 2)" missing
assert_eq "$(col "$NGINX_URL/onlynoarch/noarch" 4)" 205

expect_status 1 hpcenv repodata fetch --platform linux-64 -c "$NGINX_URL/onlynoarch" -c "$NGINX_URL/empty"
assert_one_line "$errout"
assert_contains "$errout" "channel '$NGINX_URL/empty' not found: there is no '$NGINX_URL/empty/linux-64/repodata.json' nor '$NGINX_URL/empty/noarch/repodata.json'"
expect_status 1 hpcenv repodata fetch --platform linux-64 -c "$NGINX_URL/empty" --json
assert_eq "$(jqr '.error.code' "$out")" channel

# the same for a local channel
expect_status 1 hpcenv repodata fetch -c "$T/nowhere"
assert_contains "$errout" "channel '$T/nowhere' not found"
