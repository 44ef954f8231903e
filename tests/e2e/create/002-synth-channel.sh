# a make-packages channel (both formats) installed from an @EXPLICIT list, listed,
# exported and re-created identically
source "$HPCENV_SOURCE_DIR/tests/fixtures/channel.sh"
chan=$(synth_channel 40 20 both)
synth_explicit "$chan" >explicit.txt
npkgs=$(grep -c '^file://' explicit.txt)
expect_status 0 hpcenv create -y -n synth --file explicit.txt
assert_eq "$(jqr 'length' "$(hpcenv list -n synth --json)")" "$npkgs"
env=$HPCENV_ROOT_PREFIX/envs/synth
# text placeholders replaced, entry points generated with the env's python
if grep -rlI /opt/anaconda1anaconda2anaconda3 "$env" --exclude-dir=conda-meta | grep -q .; then
	die "text placeholder left in $env"
fi
ep=$(ls "$env"/bin/synth-cli-* | head -1)
[[ -x $ep ]] || die "no entry points"
assert_contains "$(head -1 "$ep")" "#!$env/bin/python3.11"
assert_contains "$(cat "$env/conda-meta/history")" "+file://$chan/linux-64::synth-0000-"
# export and re-create: the same packages
expect_status 0 hpcenv list -n synth --explicit --md5
printf '%s\n' "$out" >exported.txt
assert_eq "$(grep '^file://' exported.txt | grep -c '#')" "$npkgs"
expect_status 0 hpcenv create -y -n again --file exported.txt
assert_eq "$(hpcenv list -n again --json | jq -c 'map(.dist_name) | sort')" \
	"$(hpcenv list -n synth --json | jq -c 'map(.dist_name) | sort')"
[[ -z $(ls -A "$HPCENV_ROOT_PREFIX/pkgs/.hpcenv-tmp" 2>/dev/null) ]] || die "leftovers in the cache"
