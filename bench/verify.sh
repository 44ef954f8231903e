# verify: measured peak, DGEMM of Debian's OpenBLAS against it (OPENBLAS_CORETYPE and
# OPENBLAS_L2_SIZE unset in one command, as set in another, forced to Haswell in a third),
# numpy's np_ops times, run-to-run spread, and the wall time of `verify --quick`.
#
# Other engineers share this machine's cores: the load average is printed with the rows.
source "$BENCH_DIR/lib.sh"
PY=/usr/bin/python3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
load() { cut -d' ' -f1-3 /proc/loadavg; }

# one full BLAS verification (default sizes: DGEMM up to 4096, ReFrame np_ops sizes)
blas_run() { # NAME ENV-PREFIX...
	local name=$1
	shift
	"$@" "$HPCENV" verify --python "$PY" --blas --json "$tmp/$name.json" >/dev/null 2>&1 || true
}

dgemm_row() { # NAME LABEL: the largest DGEMM measured on the most threads
	local j=$tmp/$1.json r n g pct core thr spread numpy
	r=$(jq -r '[.bench[] | select(.op == "dgemm" and .skipped == null)] | max_by(.threads * 100000 + .n)
		| "\(.n) \(.gflops) \(.pct) \(.core) \(.threads) \(.spread)"' "$j" 2>/dev/null)
	read -r n g pct core thr spread <<<"$r"
	if [[ -z $n || $n == null ]]; then
		row "verify: DGEMM, $2" n/a n/a GFLOP/s "no result (see $j)"
		return
	fi
	numpy=$(jq -r '.numpy_ops[] | select(.name == "dot") | .median' "$j")
	row "verify: DGEMM $n, $thr thr, $2" "$(printf %.1f "$g")" \
		"$(awk -v t="$numpy" 'BEGIN{printf "%.1f", 2*4096^3/t/1e9}')" GFLOP/s \
		"core $core, $(printf %.0f "$pct")% of measured peak, in-run spread $(awk -v s="$spread" 'BEGIN{printf "%.1f", 100*s}')%; peer: numpy a@b 4096 in the same env; load $(load)"
}

echo "# verify: load at start $(load)" >&2
blas_run unset env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE
blas_run asset env
blas_run haswell env OPENBLAS_CORETYPE=Haswell
j=$tmp/unset.json
row "verify: FMA peak DP per core" "$(jq -r '.peak.dp_core | . * 10 | round / 10' "$j")" n/a GFLOP/s \
	"$(jq -r '.peak.isa' "$j"), clock $(jq -r '.peak.clock_ghz | . * 100 | round / 100' "$j") GHz, theory $(jq -r '.peak.dp_theory_core | round' "$j")"
row "verify: FMA peak DP all cores" "$(jq -r '.peak.dp_all | . * 10 | round / 10' "$j")" n/a GFLOP/s \
	"$(jq -r '.cpu.cores' "$j") cores"
row "verify: triad all cores" "$(jq -r '.peak.triad_all | . * 10 | round / 10' "$j")" n/a GB/s \
	"$(jq -r '.peak.triad_bytes / 1048576' "$j") MiB"
dgemm_row unset "OPENBLAS_CORETYPE/L2_SIZE unset"
dgemm_row asset "environment as set (CORETYPE=${OPENBLAS_CORETYPE:-unset} L2_SIZE=${OPENBLAS_L2_SIZE:-unset})"
dgemm_row haswell "OPENBLAS_CORETYPE=Haswell"
if [[ $(jq -r '.coretype_cost' "$j") != null ]]; then
	row "verify: DGEMM $(jq -r .coretype_cost.n "$j"), best kernels" \
		"$(jq -r '.coretype_cost.gflops_best | . * 10 | round / 10' "$j")" n/a GFLOP/s \
		"$(jq -r .coretype_cost.core_best "$j") kernels (verify's cost run, OPENBLAS_CORETYPE set in its child)"
fi
for op in dot vdot svd cholesky eigendec inv; do
	row "verify: numpy $op $(jq -r ".numpy_ops[] | select(.name == \"$op\") | .shape" "$j")" \
		"$(jq -r ".numpy_ops[] | select(.name == \"$op\") | .median" "$j")" n/a s \
		"median of $(jq -r ".numpy_ops[] | select(.name == \"$op\") | .reps" "$j"), spread $(jq -r ".numpy_ops[] | select(.name == \"$op\") | .spread * 1000 | round / 10" "$j")%"
done
# run-to-run: three quick runs, the spread of the same figures across runs
for i in 1 2 3; do
	"$HPCENV" verify --python "$PY" --quick --blas --json "$tmp/q$i.json" >/dev/null 2>&1 || true
done
spread() { # JQ-FILTER: (max - min) / median over the three runs, in %
	for i in 1 2 3; do jq -r "$1" "$tmp/q$i.json"; done | sort -g |
		awk '{v[NR]=$1} END{printf "%.1f", 100*(v[3]-v[1])/v[2]}'
}
row "verify: run-to-run spread, peak DP per core" "$(spread '.peak.dp_core')" n/a % "3 quick runs, target < 5"
row "verify: run-to-run spread, DGEMM 1024 1 thr" \
	"$(spread '.bench[] | select(.op == "dgemm" and .n == 1024 and .threads == 1) | .gflops')" n/a % "3 quick runs, target < 5"
row "verify: run-to-run spread, DGEMM 1024 all thr" \
	"$(spread '[.bench[] | select(.op == "dgemm" and .n == 1024)] | max_by(.threads) | .gflops')" n/a % "3 quick runs, target < 5; load $(load)"
row "verify: --quick wall time" "$(mean_seconds --runs 3 -- "$HPCENV verify --python $PY --quick")" n/a s \
	"BLAS and MPI, 2 ranks; target < 60; load $(load)"
