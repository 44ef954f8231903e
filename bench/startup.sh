# startup: the cost of starting the binary and reading configuration
source "$BENCH_DIR/lib.sh"
export HPCENV_ROOT_PREFIX=$(mktemp -d) MAMBA_ROOT_PREFIX=$HPCENV_ROOT_PREFIX
peer=n/a
have_micromamba && peer=$(ms "$(mean_seconds --warmup 3 -- "$MICROMAMBA --version")")
row "startup: --version" "$(ms "$(mean_seconds --warmup 3 -- "$HPCENV --version")")" "$peer" ms "peer: micromamba 1.5.12"
peer=n/a
have_micromamba && peer=$(ms "$(mean_seconds --warmup 3 -- "$MICROMAMBA config list")")
row "startup: config list" "$(ms "$(mean_seconds --warmup 3 -- "$HPCENV config list")")" "$peer" ms "peer: micromamba config list"
row "startup: peak RSS config list" "$(peak_rss_mb "$HPCENV" config list)" \
	"$(have_micromamba && peak_rss_mb "$MICROMAMBA" config list || echo n/a)" MB ""
rm -rf "$HPCENV_ROOT_PREFIX"
