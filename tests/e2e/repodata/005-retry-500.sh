# HTTP 500 is retried with backoff: the gate opens after the first 500 and the run succeeds
source "$(dirname "${BASH_SOURCE[0]}")/common.bash"
make_channel "$T/www/ch"
nginx_start "$T/www"
ch=$NGINX_URL/gate/ch
export CONDA_REMOTE_BACKOFF_FACTOR=1 CONDA_REMOTE_MAX_RETRIES=4

"$HPCENV" repodata fetch --platform linux-64 -c "$ch" -v >"$T/out" 2>"$T/err" &
pid=$!
for _ in $(seq 300); do
	[[ -n $(nginx_requests ' /gate/ch/.* 500') ]] && break
	sleep 0.05
done
nginx_gate_open
wait "$pid" || die "repodata fetch failed after the gate opened: $(cat "$T/err")"
out=$(cat "$T/out")
assert_eq "$(col "$ch/linux-64" 2)" network
assert_contains "$(cat "$T/err")" "HTTP 500 Internal Server Error; retrying in"
assert_contains "$(nginx_requests ' /gate/ch/linux-64/')" " 500 "
assert_contains "$(nginx_requests ' /gate/ch/linux-64/')" " 200 "

# always 500: the error names the URL, the status and the attempts
export CONDA_REMOTE_BACKOFF_FACTOR=0.05 CONDA_REMOTE_MAX_RETRIES=2
expect_status 1 hpcenv repodata fetch --platform linux-64 -c "$NGINX_URL/500/ch"
assert_one_line "$errout"
assert_contains "$errout" "cannot download '$NGINX_URL/500/ch/"
assert_contains "$errout" "HTTP 500 Internal Server Error (3 attempts)"

# what did arrive is kept, with its state: the good channel's next run is a 304
rm -rf "$CACHE"
expect_status 1 hpcenv repodata fetch --platform linux-64 -c "$NGINX_URL/ch" -c "$NGINX_URL/500/ch"
expect_status 0 hpcenv repodata fetch --platform linux-64 -c "$NGINX_URL/ch"
assert_eq "$(col "$NGINX_URL/ch/noarch" 2)" 304
assert_eq "$(col "$NGINX_URL/ch/linux-64" 2)" 304
