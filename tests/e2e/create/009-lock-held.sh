# another process (libmamba-style: fcntl on byte 21 of pkgs/pkgs.lock) holds the package
# cache: hpcenv waits lock_timeout seconds, says so, and goes on lock-free, safely
P=$SHARED_DATA/packages
pkgs=$HPCENV_ROOT_PREFIX/pkgs
mkdir -p "$pkgs"
/usr/bin/python3 -c '
import fcntl, os, sys, time
fd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT, 0o666)
fcntl.lockf(fd, fcntl.LOCK_EX, 1, 21)   # what libmamba locks: 1 byte at offset 21
open(sys.argv[2], "w").close()
time.sleep(120)' "$pkgs/pkgs.lock" "$T/locked" &
holder=$!
trap 'kill $holder 2>/dev/null || true; cleanup' EXIT # and the runner's cleanup
while [[ ! -e $T/locked ]]; do sleep 0.05; done
printf '@EXPLICIT\n%s\n' "$P/zlib-1.2.11-h7b6447c_3.conda" >l.txt
# long enough for the lock's helper thread to have asked (and seen the holder) on a
# loaded machine
printf 'lock_timeout: 3\n' >"$HOME/.condarc"
expect_status 0 hpcenv create -y -p "$T/env" --file l.txt
assert_contains "$errout" "waiting for the lock on '$pkgs/pkgs.lock' (held by process $holder)"
assert_contains "$errout" "timed out after 3 s"
assert_contains "$errout" "going on without the lock"
[[ -f $pkgs/zlib-1.2.11-h7b6447c_3/info/repodata_record.json ]] || die "not in the cache"
# with the lock free again nothing is said (and the default timeout leaves time to take it)
kill $holder
wait $holder 2>/dev/null || true
rm "$HOME/.condarc"
expect_status 0 hpcenv create -y -p "$T/env2" --file l.txt
assert_not_contains "$errout" "lock"
