# install: a make-packages channel (--packages 200 --files 50 --format both: 202 packages,
# ~10,500 paths) created from an @EXPLICIT list of file:// URLs with a warm package cache,
# removed (remove --all), and extracted from a cold cache; micromamba 1.5.12 alongside.
#
#   what is compared: `hpcenv create -y -p P --file explicit.txt` and
#   `micromamba create -y -p P --file explicit.txt --offline`, each with its own root
#   prefix whose pkgs/ already holds every package; the same with -n NAME (named
#   environments in each root's envs/); `remove -y -p P --all` for both;
#   extraction = `hpcenv create --dry-run` into an empty cache (.conda only: unzip,
#   zstd, tar, sha256 of every file, info/ checks) against `zstd -d` of the same inner
#   .tar.zst files into .tar files (one zstd process). Runs alternate between the tools.
#   BENCH_FS=/dev/shm (default /var/tmp) picks the filesystem; BENCH_PARTS=extract runs
#   only the extraction rows, which are also given per CPU second (user + system time).
source "$BENCH_DIR/lib.sh"
export HPCENV_SOURCE_DIR=${HPCENV_SOURCE_DIR:-$(cd "$BENCH_DIR/.." && pwd)}
source "$HPCENV_SOURCE_DIR/tests/fixtures/channel.sh"
chan=$(synth_channel 200 50 both)
fs=${BENCH_FS:-/var/tmp}
w=$(mktemp -d "$fs/hpcenv-bench-install.XXXXXX")
trap 'rm -rf "$w"' EXIT
synth_explicit "$chan" >"$w/explicit.txt"
export HPCENV_ROOT_PREFIX=$w/h MAMBA_ROOT_PREFIX=$w/m
runs=${BENCH_RUNS:-5}
now() { date +%s%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.4f", (b - a) / 1e9 }'; }
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
hc() { "$HPCENV" -q create -y -p "$1" --file "$w/explicit.txt" >/dev/null 2>&1 ||
		{ echo "bench: hc $1 failed" >&2; false; }; }
mc() { "$MICROMAMBA" create -y -p "$1" --file "$w/explicit.txt" --offline -q >/dev/null 2>&1 ||
		{ echo "bench: mc $1 failed" >&2; false; }; }
hr() { "$HPCENV" -q remove -y -p "$1" --all >/dev/null 2>&1 ||
		{ echo "bench: hr $1 failed" >&2; false; }; }
mr() { "$MICROMAMBA" remove -y -p "$1" --all -q >/dev/null 2>&1 ||
		{ echo "bench: mr $1 failed" >&2; false; }; }
# BENCH_PARTS=extract: only the extraction rows
if [[ ${BENCH_PARTS:-all} == all ]]; then
# warm both caches
hc "$w/hw" && hr "$w/hw"
have_micromamba && mc "$w/mw" && mr "$w/mw"
: >"$w/hc.t"; : >"$w/mc.t"; : >"$w/hr.t"; : >"$w/mr.t"
for i in $(seq "$runs"); do
	t=$(now); hc "$w/h$i"; secs "$t" "$(now)" >>"$w/hc.t"
	if have_micromamba; then t=$(now); mc "$w/m$i"; secs "$t" "$(now)" >>"$w/mc.t"; fi
	t=$(now); hr "$w/h$i"; secs "$t" "$(now)" >>"$w/hr.t"
	if have_micromamba; then t=$(now); mr "$w/m$i"; secs "$t" "$(now)" >>"$w/mr.t"; rm -rf "$w/m$i"; fi
	sleep 2 # let a detached rm finish before the next round
done
# the same with named environments (-n: in envs_dirs, the usual way): hpcenv marks its envs
# directory so that ext4 spreads environments over block groups (hpc_envs_dir_spread)
hn() { "$HPCENV" -q create -y -n "$1" --file "$w/explicit.txt" >/dev/null 2>&1 ||
		{ echo "bench: hn $1 failed" >&2; false; }; }
mn() { "$MICROMAMBA" create -y -n "$1" --file "$w/explicit.txt" --offline -q >/dev/null 2>&1 ||
		{ echo "bench: mn $1 failed" >&2; false; }; }
hnr() { "$HPCENV" -q remove -y -n "$1" --all >/dev/null 2>&1 ||
		{ echo "bench: hnr $1 failed" >&2; false; }; }
mnr() { "$MICROMAMBA" remove -y -n "$1" --all -q >/dev/null 2>&1; rm -rf "$MAMBA_ROOT_PREFIX/envs/$1"; }
: >"$w/hn.t"; : >"$w/mn.t"
for i in $(seq "$runs"); do
	t=$(now); hn "n$i"; secs "$t" "$(now)" >>"$w/hn.t"
	if have_micromamba; then t=$(now); mn "n$i"; secs "$t" "$(now)" >>"$w/mn.t"; fi
	hnr "n$i"
	have_micromamba && mnr "n$i"
	sleep 2
done
peer() { have_micromamba && ms "$(median <"$w/$1")" || echo n/a; }
row "install: warm create -n NAME 202 pkgs ($fs)" "$(ms "$(median <"$w/hn.t")")" "$(peer mn.t)" ms \
	"median of $runs; named environments, each tool's own root; peer: micromamba 1.5.12"
row "install: warm create 202 pkgs ($fs)" "$(ms "$(median <"$w/hc.t")")" "$(peer mc.t)" ms \
	"median of $runs; peer: micromamba 1.5.12 create --file --offline"
row "install: remove --all 202 pkgs ($fs)" "$(ms "$(median <"$w/hr.t")")" "$(peer mr.t)" ms \
	"hpcenv: rename + detached rm; peer: micromamba 1.5.12 remove --all"
fi
# extraction throughput: .conda files only (and the tiny python stub, .tar.bz2 only, which
# the noarch: python packages need), cold cache, no linking
(echo "@EXPLICIT"; grep '/python-[^/]*_synth_stub' "$w/explicit.txt"
	grep '\.conda#' "$w/explicit.txt") >"$w/conda.txt"
mkdir -p "$w/zst" "$w/zout"
for f in "$chan"/*/*.conda; do
	b=$(basename "$f" .conda)
	unzip -p "$f" "pkg-$b.tar.zst" >"$w/zst/$b.pkg.tar.zst"
	unzip -p "$f" "info-$b.tar.zst" >"$w/zst/$b.info.tar.zst"
done
: >"$w/hx.t"; : >"$w/zx.t"; : >"$w/hx.cpu"; : >"$w/zx.cpu"
for i in $(seq "$runs"); do
	rm -rf "$w/x" "$w/zout"/*
	sync
	t=$(now)
	HPCENV_ROOT_PREFIX=$w/x /usr/bin/time -f '%U %S' -a -o "$w/hx.cpu" "$HPCENV" -q create -y \
		-p "$w/xp" --file "$w/conda.txt" --dry-run >/dev/null ||
		{ echo "bench: extraction failed" >&2; exit 1; }
	secs "$t" "$(now)" >>"$w/hx.t"
	t=$(now)
	/usr/bin/time -f '%U %S' -a -o "$w/zx.cpu" zstd -q -d "$w"/zst/*.tar.zst --output-dir-flat "$w/zout"
	secs "$t" "$(now)" >>"$w/zx.t"
done
mb=$(du -sb "$w/zout" | awk '{ print $1 / 1e6 }')
mbs() { awk -v mb="$mb" -v s="$1" 'BEGIN { printf "%.0f", mb / s }'; }
cpu() { awk '{ print $1 + $2 }' "$1" | median; } # user + system seconds
row "install: extract .conda, cold cache ($fs)" "$(mbs "$(median <"$w/hx.t")")" \
	"$(mbs "$(median <"$w/zx.t")")" "MB/s" "peer: zstd -d of the same tar.zst ($(printf '%.0f' "$mb") MB of tar)"
# on a shared machine the wall time is mostly other people's load: per CPU second too
row "install: extract .conda per CPU second ($fs)" "$(mbs "$(cpu "$w/hx.cpu")")" \
	"$(mbs "$(cpu "$w/zx.cpu")")" "MB/cpu-s" "user + system time; peer: zstd -d (one thread)"
