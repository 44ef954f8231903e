# repodata-parse: JSON -> libsolv repo, hpcenv's yajl parser against libsolv's repo_add_conda
# (and jansson's DOM, the alternative that lost), on real repodata and a 200k-record channel.
# Rows: hpcenv = hpc_repodata_parse, peer = repo_add_conda; jansson in the notes.
source "$BENCH_DIR/lib.sh"
top=$(cd "$BENCH_DIR/.." && pwd)
deps=${HPCENV_DEPS_DIR:-$top/build/deps}
data=${BENCH_DATA:-/var/tmp/hpcenv-bench}
shared=${SHARED_DATA:-$top/../shared/data}
bin=$(mktemp -d)
trap 'rm -rf "$bin"' EXIT

# shellcheck disable=SC2046
cc -O2 -I"$top/include" -I"$deps/libsolv/include" -o "$bin/parse" \
	"$BENCH_DIR/repodata_parse_bench.c" "$top/build/release/libhpcenv.a" \
	"$deps/libsolv/lib/libsolvext.a" "$deps/libsolv/lib/libsolv.a" \
	$(pkg-config --libs jansson yajl libcurl libzstd zlib openssl yaml-0.1 libarchive libelf) \
	-lm -lpthread || { echo "repodata-parse: cannot build the benchmark" >&2; exit 1; }

if [[ ! -f $data/ch200k/linux-64/repodata.json ]]; then
	mkdir -p "$data"
	/usr/bin/python3 "$shared/../tools/scale-repodata" --out "$data/ch200k" --records 200000 \
		--zst "$shared"/repodata/*.json >&2
fi

# best of 3: "seconds rss_mb solvables"
best() {
	local mode=$1 file=$2 line bt=999 br=0 bn=0
	for _ in 1 2 3; do
		line=$("$bin/parse" "$mode" "$file") || { echo "n/a n/a n/a"; return; }
		read -r _ t r n <<<"$line"
		if awk -v a="$t" -v b="$bt" 'BEGIN { exit !(a < b) }'; then bt=$t br=$r bn=$n; fi
	done
	echo "$bt $br $bn"
}

for f in "$shared/repodata/defaults-r-linux-64-2018.json" \
	"$shared/repodata/conda-forge-subset-py39-linux-64-2024.json" \
	"$data/ch200k/linux-64/repodata.json"; do
	name=$(basename "$(dirname "$f")")/$(basename "$f")
	[[ $f == "$data"/* ]] && name="200k channel linux-64 ($(($(stat -c %s "$f") / 1000000)) MB)"
	read -r ht hr hn <<<"$(best hpcenv "$f")"
	read -r ct cr cn <<<"$(best conda "$f")"
	read -r jt jr _ <<<"$(best jansson "$f")"
	row "parse $name" "$(ms "$ht")" "$(ms "$ct")" ms \
		"peer: libsolv repo_add_conda; $hn/$cn solvables; jansson DOM: $(ms "$jt") ms"
	row "parse RSS $name" "$hr" "$cr" MB "peak RSS of the process; jansson DOM: $jr MB"
done

# the warm path: the .solv index of the 200k linux-64
"$top/build/release/hpcenv" --version >/dev/null
solv=$(mktemp -d)
cat >"$solv/prog.c" <<'C'
#include <hpcenv.h>
#include <solv/pool.h>
#include <solv/repo.h>
int main(int argc, char **argv)
{
	struct hpc_repodata_opts o = { "https://x/c", "linux-64", "https://x/c/linux-64", false };
	struct hpc_repodata_stats st;
	Pool *p = pool_create();
	Repo *r = repo_create(p, "x");

	pool_setdisttype(p, DISTTYPE_CONDA);
	if (hpc_repodata_parse(r, argv[1], &o, &st, NULL) ||
	    hpc_repodata_write_solv(r, argv[2], "bench", NULL))
		return 1;
	hpc_repodata_stats_fini(&st);
	pool_free(p);
	return 0;
}
C
# shellcheck disable=SC2046
cc -O2 -I"$top/include" -I"$deps/libsolv/include" -o "$solv/prog" "$solv/prog.c" \
	"$top/build/release/libhpcenv.a" "$deps/libsolv/lib/libsolvext.a" \
	"$deps/libsolv/lib/libsolv.a" $(pkg-config --libs jansson yajl libcurl libzstd zlib openssl \
	yaml-0.1 libarchive libelf) -lm -lpthread &&
	"$solv/prog" "$data/ch200k/linux-64/repodata.json" "$solv/x.solv" &&
	read -r st sr sn <<<"$(best solv "$solv/x.solv")" &&
	row "load .solv index 200k linux-64" "$(ms "$st")" n/a ms \
		"repo_add_solv, $sn solvables, $sr MB peak RSS, index $(($(stat -c %s "$solv/x.solv") / 1000000)) MB"
rm -rf "$solv"
