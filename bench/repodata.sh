# repodata: fetch + parse (cold) and the cached path (warm) of a 200k-record channel served
# by the nginx fixture on loopback, against micromamba 1.5.12 loading the same channel.
# hpcenv: `repodata fetch` (fetch .zst, decompress, parse, write and load the .solv index).
# micromamba: `repoquery search python` (fetch, parse, write its .solv, a trivial query).
# Neither solves here; micromamba's `create --dry-run python=3.9` is in the notes as the
# cost of the same load plus a solve.
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
hp="$HPCENV repodata fetch --platform linux-64 --override-channels -c $ch"
mm="$MICROMAMBA repoquery search python --platform linux-64 --override-channels -c $ch"
mmc="$MICROMAMBA create -n x --dry-run -y --platform linux-64 --override-channels -c $ch python=3.9"
clear_h="rm -rf $work/h/pkgs/cache"
clear_m="rm -rf $work/m/pkgs/cache"

peer=n/a peer_rss=n/a note="micromamba not built"
if have_micromamba; then
	peer=$(ms "$(mean_seconds --runs 5 --prepare "$clear_m" -- "$mm")")
	$clear_m
	peer_rss=$(peak_rss_mb $mm)
	note="peer: micromamba 1.5.12 repoquery search; create --dry-run cold: $(ms \
		"$(mean_seconds --runs 3 --prepare "$clear_m" -- "$mmc")") ms"
fi
row "repodata cold 200k (fetch .zst + parse + index)" \
	"$(ms "$(mean_seconds --runs 5 --prepare "$clear_h" -- "$hp")")" "$peer" ms "$note"
$clear_h
row "repodata cold 200k peak RSS" "$(peak_rss_mb $hp)" "$peer_rss" MB ""

peer=n/a peer_rss=n/a note="micromamba not built"
if have_micromamba; then
	$mm >/dev/null 2>&1
	peer=$(ms "$(mean_seconds --runs 10 --warmup 1 -- "$mm")")
	peer_rss=$(peak_rss_mb $mm)
	note="peer: micromamba repoquery search (304 + its .solv); create --dry-run warm: $(ms \
		"$(mean_seconds --runs 5 --warmup 1 -- "$mmc")") ms"
fi
$hp >/dev/null 2>&1
row "repodata warm 200k (304 + .solv index)" \
	"$(ms "$(mean_seconds --runs 10 --warmup 1 -- "$hp")")" "$peer" ms "$note"
row "repodata warm 200k peak RSS" "$(peak_rss_mb $hp)" "$peer_rss" MB ""
row "repodata offline 200k (cache + .solv index)" \
	"$(ms "$(mean_seconds --runs 10 --warmup 1 -- "$HPCENV --offline ${hp#"$HPCENV" }")")" \
	n/a ms "no request at all"
