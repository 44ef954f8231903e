# query: `search` and `repoquery` on a 200k-record channel served by the nginx fixture on
# loopback, against micromamba 1.5.12 running the same queries on the same channel.
# Cold = an empty pkgs/cache before each run (download, parse, index, answer); warm = the
# cache present and the server answering 304 (hpcenv reads its .solv index, micromamba
# its own .solv). Both print their answer to /dev/null.
#   search python                 every python record (hpcenv: a table of all of them;
#                                 micromamba: the newest in detail, then the others)
#   repoquery depends python      the newest python and its requirements
#   repoquery whoneeds openssl    every record that requires openssl (~8,400 here)
source "$BENCH_DIR/lib.sh"
source "$BENCH_DIR/../tests/fixtures/nginx.sh"
top=$(cd "$BENCH_DIR/.." && pwd)
data=${BENCH_DATA:-/var/tmp/hpcenv-bench}
shared=${SHARED_DATA:-$top/../shared/data}
if [[ ! -f $data/ch200k/linux-64/repodata.json.zst ]]; then
	mkdir -p "$data"
	/usr/bin/python3 "$shared/../tools/scale-repodata" --out "$data/ch200k" --records 200000 \
		--zst "$shared"/repodata/*.json >&2
fi
nginx_start "$data" >/dev/null
ch=$NGINX_URL/ch200k
work=$(mktemp -d /var/tmp/hpcenv-bench-run.XXXXXX)
trap 'nginx_stop; rm -rf "$work"' EXIT
export HPCENV_ROOT_PREFIX=$work/h MAMBA_ROOT_PREFIX=$work/m
chan="--platform linux-64 --override-channels -c $ch"
clear_h="rm -rf $work/h/pkgs/cache"
clear_m="rm -rf $work/m/pkgs/cache"
peer_note="micromamba 1.5.12"
have_micromamba || peer_note="micromamba not built"

# cold: both caches emptied before every run, hpcenv and micromamba interleaved by hyperfine
hp="$HPCENV search $chan python"
mm="$MICROMAMBA search $chan python"
peer=n/a
have_micromamba && peer=$(ms "$(mean_seconds --runs 5 --prepare "$clear_m" -- "$mm")")
row "search cold 200k (fetch + parse + index + answer)" \
	"$(ms "$(mean_seconds --runs 5 --prepare "$clear_h" -- "$hp")")" "$peer" ms "$peer_note"
$clear_h
$clear_m
peer=n/a
have_micromamba && peer=$(peak_rss_mb $mm)
row "search cold 200k peak RSS" "$(peak_rss_mb $hp)" "$peer" MB ""

# warm: the caches are there now
warm() { # name hpcenv-args micromamba-args
	local peer=n/a peer_rss=n/a
	$HPCENV $2 >/dev/null 2>&1
	if have_micromamba; then
		$MICROMAMBA $3 >/dev/null 2>&1
		peer=$(ms "$(mean_seconds --runs 10 --warmup 1 -- "$MICROMAMBA $3")")
		peer_rss=$(peak_rss_mb $MICROMAMBA $3)
	fi
	row "$1 warm 200k" "$(ms "$(mean_seconds --runs 10 --warmup 1 -- "$HPCENV $2")")" \
		"$peer" ms "$peer_note, 304 + index"
	row "$1 warm 200k peak RSS" "$(peak_rss_mb $HPCENV $2)" "$peer_rss" MB ""
}
warm "search python" "search $chan python" "search $chan python"
warm "repoquery depends python" "repoquery depends $chan python" \
	"repoquery depends $chan python"
warm "repoquery depends --tree python" "repoquery depends --tree $chan python" \
	"repoquery depends --tree $chan python"
warm "repoquery whoneeds openssl" "repoquery whoneeds $chan openssl" \
	"repoquery whoneeds $chan openssl"
row "search offline 200k (cache + index, no request)" \
	"$(ms "$(mean_seconds --runs 10 --warmup 1 -- "$HPCENV --offline search $chan python")")" \
	n/a ms "no request at all"
