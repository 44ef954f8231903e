# SPDX-License-Identifier: MIT
# matchspec.sh - MatchSpecs at channel scale (see matchspec_bench.c): parse every distinct
# depends/constrains string of a 200k-record channel (shared/tools/scale-repodata), resolve
# each as a libsolv dependency through hpcenv's namespace callback and through libsolv's
# own conda parser, and count the specs on which the two select different packages.
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
rel=$top/build/release deps=${HPCENV_DEPS_DIR:-$top/build/deps}/libsolv
bin=$(mktemp /tmp/matchspec-bench.XXXXXX)
trap 'rm -f "$bin"' EXIT
cc -O2 -std=c17 -D_GNU_SOURCE -I"$top/include" -I"$deps/include" "$here/matchspec_bench.c" \
	"$rel/libhpcenv.a" "$deps/lib/libsolvext.a" "$deps/lib/libsolv.a" \
	$(pkg-config --libs libcurl libarchive yaml-0.1 jansson libzstd zlib libelf openssl) \
	-lpthread -ldl -lm -o "$bin"
"$bin" https://conda.anaconda.org/bench/linux-64 "$chan/linux-64/repodata.json" \
	https://conda.anaconda.org/bench/noarch "$chan/noarch/repodata.json"
