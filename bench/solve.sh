# SPDX-License-Identifier: MIT
# solve.sh - solves at channel scale (see solve_bench.c) beside libsolv's testsolv and
# micromamba 1.5.12, on a 200,000-record channel from shared/tools/scale-repodata:
#  - from .solv files (conda2solv): hpcenv (load + hpc_solver_solve) vs testsolv -r, the
#    same libsolv underneath: what hpcenv's request handling and tie-break pass cost;
#  - from repodata JSON: hpcenv (repo_add_conda + solve) vs micromamba create --dry-run
#    on the file:// channel (micromamba parses the JSON on every run);
#  - the solve alone, in process and in a child process (the time-budget path);
#  - whether the packages chosen are the same as micromamba's.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
top=$(cd "$here/.." && pwd)
# shellcheck source=lib.sh
source "$here/lib.sh"
shared=${SHARED_DIR:-$top/../shared}
chan=${BENCH_CHANNEL_200K:-$here/out/channel-200k}
if [[ ! -f $chan/linux-64/repodata.json ]]; then
	/usr/bin/python3 "$shared/tools/scale-repodata" --out "$chan" --records 200000 \
		"$shared"/data/repodata/*.json >/dev/null
fi
solvbin=${LIBSOLV_BIN:-$PEERS/libsolv/bin}
for s in linux-64 noarch; do
	[[ -f $chan/$s.solv ]] || "$solvbin/conda2solv" <"$chan/$s/repodata.json" >"$chan/$s.solv"
done
rel=$top/build/release deps=${HPCENV_DEPS_DIR:-$top/build/deps}/libsolv
bin=$(mktemp /tmp/solve-bench.XXXXXX)
work=$(mktemp -d /tmp/solve-bench-work.XXXXXX)
trap 'rm -rf "$bin" "$work"' EXIT
cc -O2 -std=c17 -D_GNU_SOURCE -I"$top/include" -I"$deps/include" "$here/solve_bench.c" \
	"$rel/libhpcenv.a" "$deps/lib/libsolvext.a" "$deps/lib/libsolv.a" \
	$(pkg-config --libs libcurl libarchive yaml-0.1 jansson yajl libzstd zlib libelf openssl) \
	-lpthread -ldl -lm -o "$bin"
url=https://conda.anaconda.org/bench
json=("$url/linux-64" "$chan/linux-64/repodata.json" "$url/noarch" "$chan/noarch/repodata.json")
solv=("$url/linux-64" "$chan/linux-64.solv" "$url/noarch" "$chan/noarch.solv")
export MAMBA_ROOT_PREFIX=$work/mamba
runs=${BENCH_RUNS:-3}

for spec in ${BENCH_SPECS:-r-essentials python=3.9}; do
	# testsolv reads the repos relative to the testcase, so the case lives in the channel
	case=$chan/bench-case.t
	printf 'repo linux-64 0 solv linux-64.solv\nrepo noarch 0 solv noarch.solv\n' >"$case"
	printf 'system unset conda\n' >>"$case"
	if [[ $spec == *=* ]]; then
		printf 'job install provides %s <CONDA> %s.*\n' "${spec%%=*}" "${spec#*=}" >>"$case"
	else
		printf 'job install name %s\n' "$spec" >>"$case"
	fi
	n_peer=$("$solvbin/testsolv" -r "$case" | grep -c '^install ' || true)
	export SOLVE_BENCH_MODE=inproc
	t_ours=$(mean_seconds --runs "$runs" -- "$bin solv ${solv[*]} -- $spec")
	t_peer=$(mean_seconds --runs "$runs" -- "$solvbin/testsolv -r $case")
	unset SOLVE_BENCH_MODE
	row "$spec: load .solv + solve (200k)" "$(ms "$t_ours")" "$(ms "$t_peer")" ms \
		"peer: testsolv (libsolv 0.7.23), $n_peer packages"
	out=$("$bin" solv "${solv[@]}" -- "$spec")
	get() { awk -v k="$1" '$1 == k {print $2}' <<<"$out"; }
	row "$spec: solve only, in process" "$(ms "$(get solve_s)")" n/a ms \
		"$(get link) packages, $(get tiebreaks) by conda's tie-breaks"
	row "$spec: solve only, child process" "$(ms "$(get solve_child_s)")" n/a ms \
		"fork + pipe, the --solver-timeout path"
	if have_micromamba; then
		mm=("$MICROMAMBA" create -n b --dry-run --json -c "file://$chan" --override-channels
			"$spec")
		export SOLVE_BENCH_MODE=inproc
		t_ours=$(mean_seconds --runs "$runs" -- "$bin json ${json[*]} -- $spec")
		t_peer=$(mean_seconds --runs "$runs" -- "${mm[*]}")
		row "$spec: load JSON + solve (200k)" "$(ms "$t_ours")" "$(ms "$t_peer")" ms \
			"peer: micromamba 1.5.12 create --dry-run, file:// channel"
		r_ours=$(peak_rss_mb "$bin" json "${json[@]}" -- "$spec")
		unset SOLVE_BENCH_MODE
		r_peer=$(peak_rss_mb "${mm[@]}")
		row "$spec: peak RSS, load JSON + solve" "$r_ours" "$r_peer" MB \
			"peer: micromamba 1.5.12"
		SOLVE_BENCH_LIST=1 SOLVE_BENCH_MODE=child "$bin" solv "${solv[@]}" -- "$spec" \
			2>&1 >/dev/null | sort >"$work/ours"
		"${mm[@]}" 2>/dev/null |
			jq -r '.actions.LINK[] | "\(.name) \(.version) \(.build_string)"' |
			sort >"$work/peer"
		row "$spec: packages differing from micromamba" \
			"$(diff "$work/ours" "$work/peer" | grep -c '^<' || true)" n/a count \
			"$(diff "$work/ours" "$work/peer" | grep '^[<>]' | tr '\n' ' ' || true)"
	fi
done

# libmamba's sudoku stress channel (tests/data): an empty grid has no solution and libsolv
# needs minutes to prove it; the time budget stops it. micromamba has no budget.
sudoku=("https://conda.anaconda.org/jjhelmus/label/sudoku/noarch"
	"$top/tests/data/sudoku-noarch-repodata.json")
out=$(SOLVE_BENCH_MODE=child SOLVE_BENCH_TIMEOUT=2 "$bin" json "${sudoku[@]}" -- sudoku_0_0)
row "sudoku_0_0 (empty grid), --solver-timeout 2" \
	"$(ms "$(awk '$1 == "stopped_s" {print $2}' <<<"$out")")" n/a ms \
	"stopped and reported; without a budget libsolv runs for minutes"
