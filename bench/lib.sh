# SPDX-License-Identifier: MIT
# lib.sh - helpers for benchmarks (sourced)
PEERS=${PEERS_PREFIX:-/opt/peers}
MICROMAMBA=$PEERS/bin/micromamba

have_micromamba() { [[ -x $MICROMAMBA ]]; }

# mean_seconds [hyperfine args...] -- CMD: mean wall time in seconds of CMD
mean_seconds() {
	local j
	j=$(mktemp)
	hyperfine -N --style none --export-json "$j" "$@" >/dev/null 2>&1 || { rm -f "$j"; echo "n/a"; return; }
	jq -r '.results[0].mean' "$j"
	rm -f "$j"
}

# peak_rss_mb CMD...: peak resident set of CMD in MB
peak_rss_mb() {
	local f
	f=$(mktemp)
	/usr/bin/time -f '%M' -o "$f" "$@" >/dev/null 2>&1 || true
	awk '{printf "%.1f", $1 / 1024}' "$f"
	rm -f "$f"
}

row() { printf '%s\t%s\t%s\t%s\t%s\n' "$@"; }
ms() { [[ $1 == n/a ]] && echo n/a || awk -v s="$1" 'BEGIN{printf "%.1f", s * 1000}'; }
