# Ctrl-C in the middle of a transaction (a post-link script, or a pre-unlink one, still
# running): exit 130, everything rolled back: no environment from a create, the old
# environment byte for byte from a removal
state() { # paths, types, modes, link targets, content hashes; hpcenv's lock file aside
	[[ -d $1 ]] || { echo absent; return; }
	(cd "$1" && find . ! -name conda-meta.lock -print | LC_ALL=C sort | while read -r f; do
		if [[ -L $f ]]; then echo "$f -> $(readlink "$f")"
		elif [[ -d $f ]]; then echo "$f/ $(stat -c %a "$f")"
		else echo "$f $(stat -c %a "$f") $(sha256sum <"$f" | cut -c1-64)"; fi
	done)
}
# a package whose scripts say they started (outside the prefix) and then take their time
mkdir -p pkg/info pkg/bin pkg/share chan
cat >pkg/info/index.json <<'J'
{"name": "slow", "version": "1.0", "build": "0", "build_number": 0, "depends": [], "subdir": "noarch", "noarch": "generic"}
J
cat >pkg/info/paths.json <<'J'
{"paths": [{"_path": "bin/.slow-post-link.sh", "path_type": "hardlink"},
           {"_path": "bin/.slow-pre-unlink.sh", "path_type": "hardlink"},
           {"_path": "share/slow.txt", "path_type": "hardlink"}], "paths_version": 1}
J
# each waits (up to 60 s) for the test to say go, after its Ctrl-C: the interrupt always
# lands while the script runs, however slow the machine
for s in post-link pre-unlink; do
	printf 'touch "%s/%s-started"\ni=0\nwhile [ ! -e "%s/go-%s" ] && [ $i -lt 600 ]; do sleep 0.1; i=$((i + 1)); done\n' \
		"$T" "$s" "$T" "$s" >"pkg/bin/.slow-$s.sh"
done
echo slow >pkg/share/slow.txt
(cd pkg && tar -cjf "$T/chan/slow-1.0-0.tar.bz2" info bin share)
printf '@EXPLICIT\nfile://%s\n%s\n' "$T/chan/slow-1.0-0.tar.bz2" \
	"$SHARED_DATA/packages/zlib-1.2.11-h7b6447c_3.conda" >l.txt
interrupt() { # interrupt STEP CMD...: run CMD, Ctrl-C it once STEP's script started
	local marker=$T/$1-started go=$T/go-$1 pid
	shift
	"$@" >"$T/out" 2>"$T/err" &
	pid=$!
	for _ in $(seq 400); do
		[[ -e $marker ]] && break
		sleep 0.05
	done
	[[ -e $marker ]] || die "never got there: $(cat "$T/err")"
	kill -INT "$pid"
	touch "$go"
	set +e
	wait "$pid"
	status=$?
	set -e
	errout=$(cat "$T/err")
}
p=$T/env
interrupt post-link "$HPCENV" create -y -p "$p" --file l.txt
assert_eq "$status" 130
assert_contains "$errout" "interrupted"
assert_contains "$errout" "rolled back"
assert_eq "$(state "$p")" absent

expect_status 0 hpcenv create -y -p "$p" --file l.txt
before=$(state "$p")
interrupt pre-unlink "$HPCENV" remove -y -p "$p" --force slow
assert_eq "$status" 130
assert_contains "$errout" "interrupted"
[[ $(state "$p") == "$before" ]] || die "the interrupted removal changed the environment:
$(diff <(echo "$before") <(state "$p"))"
expect_status 0 hpcenv list -p "$p"
assert_contains "$out" "slow"
