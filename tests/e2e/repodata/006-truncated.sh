# a body cut short is retried, then fails clearly; nothing half-written stays in the cache
source "$(dirname "${BASH_SOURCE[0]}")/common.bash"
make_channel "$T/www/ch"
nginx_start "$T/www"
export CONDA_REMOTE_MAX_RETRIES=1

expect_status 1 hpcenv repodata fetch --platform linux-64 -c "$NGINX_URL/truncate/ch"
assert_one_line "$errout"
assert_contains "$errout" "cannot download '$NGINX_URL/truncate/ch/"
assert_contains "$errout" "(2 attempts)"
assert_contains "$errout" "and 1 more download failed"
# two attempts per file that exists (the .zst are 404s and not retried)
assert_eq "$(nginx_requests ' /truncate/ch/noarch/repodata.json ' | wc -l)" 2
[[ -z $(ls "$CACHE" 2>/dev/null | grep -v '\.info\.json$' || true) ]] ||
	die "partial files left in the cache: $(ls "$CACHE")"
