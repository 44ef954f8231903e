# SPDX-License-Identifier: MIT
# create-dry-run.sh - the whole `hpcenv create --dry-run --json SPEC` command (fetch +
# parse/index + solve + records + JSON) beside `micromamba create --dry-run --json`, on a
# channel of shared/tools/scale-repodata (200k records; 500k with BENCH_500K=1) served by
# the nginx fixture on loopback:
#  - cold: empty repodata cache (hpcenv: pkgs/cache; micromamba: its pkgs/cache) each run;
#  - warm: the cache filled by the previous run (hpcenv loads its .solv indexes);
#  - peak RSS of a cold and a warm run (/usr/bin/time %M).
# Rows carry the load average, as the machine is shared.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
top=$(cd "$here/.." && pwd)
# shellcheck source=lib.sh
source "$here/lib.sh"
source "$top/tests/fixtures/nginx.sh"
shared=${SHARED_DIR:-$top/../shared}
hp=${HPCENV:-$top/build/release/hpcenv}
work=$(mktemp -d /tmp/create-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT
export HOME=$work/home HPCENV_ROOT_PREFIX=$work/root MAMBA_ROOT_PREFIX=$work/mamba
unset CONDARC CONDA_PREFIX http_proxy https_proxy HTTP_PROXY HTTPS_PROXY all_proxy ALL_PROXY
mkdir -p "$HOME" "$work/www"
runs=${BENCH_RUNS:-3}
sizes=(200k)
[[ ${BENCH_500K:-0} == 1 ]] && sizes+=(500k)
for size in "${sizes[@]}"; do
	chan=$here/out/channel-$size
	if [[ ! -f $chan/linux-64/repodata.json ]]; then
		/usr/bin/python3 "$shared/tools/scale-repodata" --out "$chan" \
			--records "${size%k}000" "$shared"/data/repodata/*.json >/dev/null
	fi
	ln -sfn "$chan" "$work/www/$size"
done
nginx_start "$work/www"
trap 'nginx_stop; rm -rf "$work"' EXIT # after nginx_start, which sets its own
load() { cut -d' ' -f1 /proc/loadavg; }

for size in "${sizes[@]}"; do
	url=$NGINX_URL/$size
	for spec in ${BENCH_SPECS:-r-essentials python=3.9}; do
		ours=("$hp" create -n b --dry-run --json --platform linux-64 -c "$url"
			--override-channels "$spec")
		mm=("$MICROMAMBA" create -n b --dry-run --json --platform linux-64 -c "$url"
			--override-channels "$spec")
		n=$("${ours[@]}" | jq '.actions.LINK | length')
		t_ours=$(mean_seconds --runs "$runs" --prepare "rm -rf $work/root/pkgs" -- "${ours[*]}")
		t_peer=n/a r_peer=n/a
		if have_micromamba; then
			t_peer=$(mean_seconds --runs "$runs" --prepare "rm -rf $work/mamba/pkgs" -- "${mm[*]}")
		fi
		rm -rf "$work/root/pkgs" "$work/mamba/pkgs"
		r_ours=$(peak_rss_mb "${ours[@]}")
		have_micromamba && r_peer=$(peak_rss_mb "${mm[@]}")
		row "create --dry-run $spec, cold ($size)" "$(ms "$t_ours")" "$(ms "$t_peer")" ms \
			"$n packages; micromamba 1.5.12; nginx loopback; load $(load)"
		row "create --dry-run $spec, cold peak RSS ($size)" "$r_ours" "$r_peer" MB \
			"micromamba 1.5.12"
		t_ours=$(mean_seconds --runs "$runs" --warmup 1 -- "${ours[*]}")
		have_micromamba && t_peer=$(mean_seconds --runs "$runs" --warmup 1 -- "${mm[*]}")
		r_ours=$(peak_rss_mb "${ours[@]}")
		have_micromamba && r_peer=$(peak_rss_mb "${mm[@]}")
		row "create --dry-run $spec, warm ($size)" "$(ms "$t_ours")" "$(ms "$t_peer")" ms \
			"repodata cached (hpcenv: .solv index); load $(load)"
		row "create --dry-run $spec, warm peak RSS ($size)" "$r_ours" "$r_peer" MB \
			"micromamba 1.5.12"
	done
done
