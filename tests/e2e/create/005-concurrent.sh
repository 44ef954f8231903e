# four creates at once sharing one package cache (cold): all succeed, the cache is intact
source "$HPCENV_SOURCE_DIR/tests/fixtures/channel.sh"
chan=$(synth_channel 40 20 both)
synth_explicit "$chan" >all.txt
pids=()
for i in 1 2 3 4; do
	"$HPCENV" create -y -p "$T/env$i" --file all.txt >"$T/out$i" 2>&1 &
	pids+=($!)
done
for i in 1 2 3 4; do
	wait "${pids[$((i - 1))]}" || die "create $i failed: $(cat "$T/out$i")"
done
want=$(hpcenv list -p "$T/env1" --json | jq -c 'map(.dist_name) | sort')
for i in 2 3 4; do
	assert_eq "$(hpcenv list -p "$T/env$i" --json | jq -c 'map(.dist_name) | sort')" "$want"
done
pkgs=$HPCENV_ROOT_PREFIX/pkgs
[[ -z $(ls -A "$pkgs/.hpcenv-tmp" 2>/dev/null) ]] || die "leftovers: $(ls -A "$pkgs/.hpcenv-tmp")"
n=0
for d in "$pkgs"/*/; do
	[[ -f $d/info/repodata_record.json ]] || die "incomplete package $d"
	n=$((n + 1))
done
assert_eq "$n" "$(grep -c '^file://' all.txt)"
# and a fifth create finds everything extracted
expect_status 0 hpcenv -v create -y -p "$T/env5" --file all.txt
assert_not_contains "$errout" "done: extract"
