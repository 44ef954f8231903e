# Ctrl-C during downloads stops them at once: exit 130, no partial file in the cache
source "$(dirname "${BASH_SOURCE[0]}")/common.bash"
make_channel "$T/www/ch"
nginx_start "$T/www"

# the binary itself, not the `hpcenv` shell function: the signal must reach it
"$HPCENV" repodata fetch --platform linux-64 -c "$NGINX_URL/slow/ch" >"$T/out" 2>"$T/err" &
pid=$!
for _ in $(seq 300); do
	[[ -n $(ls "$CACHE"/*.part 2>/dev/null) ]] && break
	sleep 0.05
done
[[ -n $(ls "$CACHE"/*.part 2>/dev/null) ]] || die "the download never started: $(cat "$T/err")"
kill -INT "$pid"
set +e
wait "$pid"
status=$?
set -e
assert_eq "$status" 130
assert_contains "$(cat "$T/err")" "interrupted"
assert_eq "$(ls "$CACHE" | grep -c 'part$' || true)" 0
assert_eq "$(ls "$CACHE" | grep -c '\.json$' || true)" 0
