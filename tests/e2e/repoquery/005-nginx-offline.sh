# over HTTP (nginx) and then --offline from the cache: the same answers
source "$(dirname "${BASH_SOURCE[0]}")/common.bash"
make_cf "$T/www/conda-forge"
nginx_start "$T/www"
printf 'channel_alias: %s\nchannels: [conda-forge]\n' "$NGINX_URL" >"$HOME/.condarc"

expect_status 0 hpcenv repoquery depends --platform linux-64 --tree python=3.9
online=$out
assert_contains "$out" "├─ openssl 3.3.0 hd590300_0"
expect_status 0 hpcenv repoquery whoneeds --platform linux-64 openssl=3.3.0
needers=$out
assert_contains "$(rows)" "python 3.9.19 h0755675_0_cpython"

before=$(nginx_request_count)
expect_status 0 hpcenv --offline repoquery depends --platform linux-64 --tree python=3.9
assert_eq "$out" "$online"
expect_status 0 hpcenv --offline repoquery whoneeds --platform linux-64 openssl=3.3.0
assert_eq "$out" "$needers"
assert_eq "$(nginx_request_count)" "$before"
