# a damaged cache entry is noticed and fetched again
source "$(dirname "${BASH_SOURCE[0]}")/common.bash"
make_channel "$T/www/ch"
nginx_start "$T/www"
ch=$NGINX_URL/ch

expect_status 0 hpcenv repodata fetch --platform linux-64 -c "$ch" --json
json=$(jqr '.subdirs[1].cache_file' "$out")

# truncated: size no longer matches the state, so the next request is unconditional
truncate -s 1000 "$json"
expect_status 0 hpcenv repodata fetch --platform linux-64 -c "$ch" --json
assert_eq "$(jqr '.subdirs[1].source' "$out")" network
assert_eq "$(jqr '.subdirs[1].records' "$out")" 205
cmp "$json" "$T/www/ch/noarch/repodata.json"

# garbage of the same size and mtime (the state still vouches for it) and no index:
# the 304 cache fails to parse, is dropped and fetched again
size=$(stat -c %s "$json")
touch -r "$json" "$T/stamp"
head -c "$size" /dev/zero | tr '\0' 'x' >"$json"
touch -r "$T/stamp" "$json"
rm -f "${json%.json}.solv"
expect_status 0 hpcenv repodata fetch --platform linux-64 -c "$ch" --json
assert_contains "$errout" "the cached repodata of '$ch/noarch' is damaged"
assert_eq "$(jqr '.subdirs[1].source' "$out")" network
assert_eq "$(jqr '.subdirs[1].records' "$out")" 205
cmp "$json" "$T/www/ch/noarch/repodata.json"

# offline, the same damage is an error that says why
head -c "$size" /dev/zero | tr '\0' 'x' >"$json"
touch -d @1700000000 "$json"
rm -f "${json%.json}.solv"
jq '.mtime_ns = 1700000000000000000 | .size = '"$size" "${json%.json}.info.json" >"$T/state"
cp "$T/state" "${json%.json}.info.json"
expect_status 1 hpcenv --offline repodata fetch --platform linux-64 -c "$ch"
assert_contains "$errout" "the cached repodata of '$ch/noarch' is damaged and offline mode"
assert_contains "$errout" "caused by: $json:1:1: invalid JSON"

# a corrupt index is rebuilt quietly
expect_status 0 hpcenv repodata fetch --platform linux-64 -c "$ch" --json
solv=$(jqr '.subdirs[0].index_file' "$out")
printf 'not a solv file' >"$solv"
expect_status 0 hpcenv repodata fetch --platform linux-64 -c "$ch" --json
assert_eq "$(jqr '.subdirs[0].from_index' "$out")" false
assert_eq "$(jqr '.subdirs[0].records' "$out")" 2709
assert_not_contains "$errout" "warning"
