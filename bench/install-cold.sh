# install-cold: the make-packages channel (--packages 200 --files 50 --format both) created
# from an EMPTY package cache, every package downloaded over HTTP: an @EXPLICIT list of
# http URLs with #sha256 (alternately .conda and .tar.bz2) served by the nginx fixture on
# 127.0.0.1; micromamba 1.5.12 alongside.
#
#   what is compared: `hpcenv create -y -p P --file explicit.txt` and
#   `micromamba create -y -p P --file explicit.txt`, each with its own fresh root prefix
#   (empty pkgs/), same list, same server, same run; runs alternate between the tools, the
#   previous run's files are deleted and synced before each timing. Every environment is
#   checked to hold all 202 packages. BENCH_FS=/dev/shm (default /var/tmp) picks the
#   filesystem, BENCH_RUNS (default 3) the runs.
source "$BENCH_DIR/lib.sh"
export HPCENV_SOURCE_DIR=${HPCENV_SOURCE_DIR:-$(cd "$BENCH_DIR/.." && pwd)}
source "$HPCENV_SOURCE_DIR/tests/fixtures/channel.sh"
source "$HPCENV_SOURCE_DIR/tests/fixtures/nginx.sh"
chan=$(synth_channel 200 50 both)
fs=${BENCH_FS:-/var/tmp}
w=$(mktemp -d "$fs/hpcenv-bench-cold.XXXXXX")
mkdir -p "$w/www" "$w/home"
ln -s "$chan" "$w/www/conda-forge"
nginx_start "$w/www" >/dev/null
trap 'nginx_stop; rm -rf "$w"' EXIT
synth_explicit "$chan" | sed "s|file://$chan|$NGINX_URL/conda-forge|" >"$w/explicit.txt"
npkgs=$(grep -c '^http' "$w/explicit.txt")
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY all_proxy ALL_PROXY CONDARC MAMBARC
export HOME=$w/home
runs=${BENCH_RUNS:-3}
now() { date +%s%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.4f", (b - a) / 1e9 }'; }
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
hc() { HPCENV_ROOT_PREFIX=$w/r "$HPCENV" -q create -y -p "$w/p" --file "$w/explicit.txt" >/dev/null 2>&1; }
mc() { MAMBA_ROOT_PREFIX=$w/r "$MICROMAMBA" create -y -p "$w/p" --file "$w/explicit.txt" -q >/dev/null 2>&1; }
complete() { [[ $(ls "$w/p/conda-meta/"*.json 2>/dev/null | wc -l) == "$npkgs" ]]; }
timed() { # timed TOOL-FUNCTION OUT: one cold create, its seconds appended to OUT (n/a on failure)
	rm -rf "$w/r" "$w/p"
	sync
	local t
	t=$(now)
	if "$1" && complete; then secs "$t" "$(now)" >>"$2"; else echo "bench: $1 failed" >&2; fi
}
: >"$w/h.t"; : >"$w/m.t"
for _ in $(seq "$runs"); do
	timed hc "$w/h.t"
	have_micromamba && timed mc "$w/m.t"
done
val() { [[ -s $1 ]] && ms "$(median <"$1")" || echo n/a; }
row "install: cold create $npkgs pkgs over HTTP ($fs)" "$(val "$w/h.t")" \
	"$(have_micromamba && val "$w/m.t" || echo n/a)" ms \
	"median of $runs; empty pkgs/, nginx on 127.0.0.1; peer: micromamba 1.5.12 create --file"
