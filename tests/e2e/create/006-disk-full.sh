# disk full: a 2 MiB tmpfs as the prefix's filesystem: a clear error, everything rolled
# back, nothing left on it (in a private mount namespace; skipped where there is none)
if ! unshare -m --propagation private true 2>/dev/null; then
	echo "skip: no mount namespaces" >&2
	exit 0
fi
P=$SHARED_DATA/packages
printf '@EXPLICIT\n%s\n%s\n' "$P/zlib-1.2.11-h7b6447c_3.tar.bz2" \
	"$P/ncurses-6_4_20240330-h00057fd_1.conda" >list.txt
mkdir -p "$T/small"
unshare -m --propagation private bash -c '
	set -eu
	mount -t tmpfs -o size=2m tmpfs "$1"
	set +e
	"$2" create -y -p "$1/env" --file "$3" >"$1.out" 2>"$1.err"
	echo $? >"$1.status"
	ls -A "$1" >"$1.left"
' _ "$T/small" "$HPCENV" "$T/list.txt"
assert_eq "$(cat "$T/small.status")" 1
assert_contains "$(cat "$T/small.err")" "No space left on device"
assert_contains "$(cat "$T/small.err")" "were rolled back"
assert_eq "$(cat "$T/small.left")" ""
