# channels over HTTP (nginx): a cold search downloads, a warm one revalidates (304) and
# reads the index; --offline searches the cache without a request, and fails clearly
# without one
source "$(dirname "${BASH_SOURCE[0]}")/common.bash"
make_cf "$T/www/conda-forge"
make_pytorch "$T/www/pytorch"
nginx_start "$T/www"

expect_status 0 hpcenv search --platform linux-64 -c "$NGINX_URL/pytorch" -c "$NGINX_URL/conda-forge" 'pytorch[build=*cpu*]'
cold=$out
assert_eq "$(rows | wc -l)" 73
assert_eq "$(printf '%s\n' "$out" | sed -n 2p | awk '{ print $4 }')" "$NGINX_URL/pytorch"
[[ -n $(nginx_requests ' /pytorch/linux-64/repodata.json 200') ]] || die "no download"
expect_status 0 hpcenv search --platform linux-64 -c "$NGINX_URL/pytorch" -c "$NGINX_URL/conda-forge" 'pytorch[build=*cpu*]' -v
assert_eq "$out" "$cold"
assert_contains "$errout" "$NGINX_URL/pytorch/linux-64: 304, 2181 records from the .solv index"
# repodata fetch and search share the index: no rebuild either way
expect_status 0 hpcenv repodata fetch --platform linux-64 -c "$NGINX_URL/conda-forge" --json
assert_eq "$(jqr '[.subdirs[].from_index] | all' "$out")" true

# offline: the cache, no request at all
before=$(nginx_request_count)
expect_status 0 hpcenv --offline search --platform linux-64 -c "$NGINX_URL/pytorch" -c "$NGINX_URL/conda-forge" 'pytorch[build=*cpu*]'
assert_eq "$out" "$cold"
expect_status 0 hpcenv --offline search --json --platform linux-64 -c "$NGINX_URL/conda-forge" 'conda-forge::python=3.9.19' \
	--rc-file <(printf 'channel_alias: %s\n' "$NGINX_URL")
assert_eq "$(jqr '.python[0].version' "$out")" 3.9.19
assert_eq "$(nginx_request_count)" "$before"
expect_status 1 hpcenv --offline search --platform linux-64 -c "$NGINX_URL/nothing-cached" python
assert_one_line "$errout"
assert_contains "$errout" "channel '$NGINX_URL/nothing-cached' is not in the cache (offline mode)"
