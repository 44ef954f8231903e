# kill -9 at 24 random points of a large install and of a large removal: the next command
# recovers, and the environment is byte for byte the old or the new state
source "$HPCENV_SOURCE_DIR/tests/fixtures/channel.sh"
chan=$(synth_channel 40 20 both)
synth_explicit "$chan" >all.txt
state() { # paths, types, modes, link targets, content hashes; hpcenv's lock file aside
	[[ -d $1 ]] || { echo absent; return; }
	(cd "$1" && find . ! -name conda-meta.lock ! -name history -print | LC_ALL=C sort |
		while read -r f; do
			if [[ -L $f ]]; then echo "$f -> $(readlink "$f")"
			elif [[ -d $f ]]; then echo "$f/ $(stat -c %a "$f")"
			else echo "$f $(stat -c %a "$f") $(sha256sum <"$f" | cut -c1-64)"; fi
		done)
}
random_sleep() { sleep "$(awk -v r=$RANDOM -v ms="$1" 'BEGIN { printf "%.3f", r / 32768 * ms / 1000 }')"; }
p=$T/env
names=$(grep -o 'synth-00[0-1][0-9]' all.txt | sort -u | tr '\n' ' ')
# reference states at the same prefix (relocated files contain its path)
expect_status 0 hpcenv create -y -p "$p" --file all.txt # warms the cache too
start=$(date +%s%N)
expect_status 0 hpcenv remove -y -p "$p" --all
expect_status 0 hpcenv create -y -p "$p" --file all.txt
create_ms=$((($(date +%s%N) - start) / 1000000))
full=$(state "$p")
start=$(date +%s%N)
expect_status 0 hpcenv remove -y -p "$p" --force $names
remove_ms=$((($(date +%s%N) - start) / 1000000))
partial=$(state "$p")
expect_status 0 hpcenv remove -y -p "$p" --all
mid=0
for i in $(seq 1 16); do # killed creates
	"$HPCENV" create -y -p "$p" --file all.txt >/dev/null 2>&1 & # not the function: $! must be hpcenv
	pid=$!
	random_sleep "$create_ms"
	kill -9 $pid 2>/dev/null || true
	wait $pid 2>/dev/null || true
	[[ -d $p/.hpcenv-txn ]] && mid=$((mid + 1))
	hpcenv list -p "$p" >/dev/null 2>&1 || true # any command that opens it recovers
	now=$(state "$p")
	[[ $now == absent || $now == "./ 755" || $now == "$full" ]] ||
		die "create killed at point $i left neither the old nor the new state; it holds:
$(echo "$now" | head -20)
($(echo "$now" | wc -l) of the new state's $(echo "$full" | wc -l) entries; \
journal: $(ls -A "$p/.hpcenv-txn" 2>/dev/null | tr '\n' ' '); \
conda-meta: $(ls -lA "$p/conda-meta" 2>/dev/null | tail -n +2 | tr '\n' ' '))"
	[[ $now == "$full" ]] && expect_status 0 hpcenv remove -y -p "$p" --all
	rm -rf "$p"
done
for i in $(seq 1 8); do # killed removals
	expect_status 0 hpcenv create -y -p "$p" --file all.txt
	"$HPCENV" remove -y -p "$p" --force $names >/dev/null 2>&1 &
	pid=$!
	random_sleep "$remove_ms"
	kill -9 $pid 2>/dev/null || true
	wait $pid 2>/dev/null || true
	[[ -d $p/.hpcenv-txn ]] && mid=$((mid + 1))
	expect_status 0 hpcenv list -p "$p"
	now=$(state "$p")
	[[ $now == "$full" || $now == "$partial" ]] ||
		die "removal killed at point $i left neither the old nor the new state:
$(diff <(echo "$partial") <(echo "$now") | grep '^[<>]' | head -20)"
	expect_status 0 hpcenv remove -y -p "$p" --all
done
echo "$mid of 24 kills landed inside a transaction" >&2
[[ $mid -ge 1 ]] || die "no kill landed inside a transaction"
