# create from specs: solved against an http channel (nginx), downloaded, linked; the
# requested specs in conda-meta (requested_spec) and history (# update specs)
source "$(dirname "${BASH_SOURCE[0]}")/solve.bash"
expect_status 0 hpcenv create -n s -c "$A" --override-channels synth-0012 --dry-run --json
assert_eq "$(jqr '.dry_run' "$out")" true
assert_eq "$(jqr '.success' "$out")" true
# synth-0012 needs synth-0000 >=3.4.4,<4 and synth-0009 >=3.12.4,<4
assert_eq "$(names LINK)" "synth-0000,synth-0009,synth-0012"
assert_eq "$(names FETCH)" "synth-0000,synth-0009,synth-0012"
assert_eq "$(jqr '.actions.LINK | map(.url | startswith("'"$A"'/linux-64/")) | all' "$out")" true
assert_eq "$(jqr '.actions.LINK[0] | [.build_number, .subdir, (.sha256 | length), (.size > 0), (.fn | length > 0)] | map(tostring) | join(" ")' "$out")" "0 linux-64 64 true true"
[[ ! -e $HPCENV_ROOT_PREFIX/envs/s ]] || die "--dry-run created the environment"
[[ -z $(nginx_requests '\.conda |\.tar\.bz2 ') ]] || die "--dry-run downloaded packages"
# the table
expect_status 0 hpcenv create -n s -c "$A" --override-channels synth-0012 --dry-run
assert_contains "$out" "Install:"
assert_contains "$out" "+ synth-0012"
assert_contains "$out" "Install: 3 packages"
assert_contains "$out" "Total download:"
assert_contains "$out" "Dry run: nothing was changed."
# for real; no terminal to ask on: -y or an error
expect_status 1 hpcenv create -n s -c "$A" --override-channels synth-0012 </dev/null
assert_contains "$errout" "give -y"
[[ ! -e $HPCENV_ROOT_PREFIX/envs/s ]] || die "a declined create left the environment"
expect_status 0 hpcenv create -y -n s -c "$A" --override-channels synth-0012 'synth-0000>=3'
env=$HPCENV_ROOT_PREFIX/envs/s
assert_eq "$(pkgs -n s | tr '\n' ' ')" "synth-0000 3.4.4 synth-0009 3.12.4 synth-0012 1.10.6 "
assert_eq "$(jq -r .requested_spec "$env"/conda-meta/synth-0012-*.json)" synth-0012
assert_eq "$(jq -r .requested_spec "$env"/conda-meta/synth-0000-*.json)" "synth-0000>=3"
assert_eq "$(jq -r '.requested_spec // ""' "$env"/conda-meta/synth-0009-*.json)" ""
assert_contains "$(cat "$env/conda-meta/history")" "# update specs: ['synth-0012', 'synth-0000>=3']"
assert_eq "$(nginx_requests '^GET /a/.*\.(conda|tar\.bz2) ' | grep -c ' 200 ')" 3
# a second environment from the cache: nothing downloaded, "Cached" in the table
expect_status 0 hpcenv create -y -n s2 -c "$A" --override-channels synth-0012
assert_contains "$out" "Cached"
assert_eq "$(nginx_requests '^GET /a/.*\.(conda|tar\.bz2) ' | grep -c ' 200 ')" 3
expect_status 0 hpcenv create -n s3 -c "$A" --override-channels synth-0012 --dry-run --json
assert_eq "$(jqr '.actions.FETCH | length' "$out")" 0
# --offline: repodata and packages from the caches, no request at all
before=$(nginx_requests . | wc -l)
expect_status 0 hpcenv --offline create -y -n off -c "$A" --override-channels synth-0012
assert_eq "$(pkgs -n off | wc -l)" 3
assert_eq "$(nginx_requests . | wc -l)" "$before"
expect_status 1 hpcenv --offline create -y -n off2 -c "$A" --override-channels synth-0013
assert_contains "$errout" "offline"
# --no-deps, --copy, --platform
expect_status 0 hpcenv create -y -n nd -c "$A" --override-channels synth-0012 --no-deps --copy
assert_eq "$(pkgs -n nd)" "synth-0012 1.10.6"
f=$(jq -r '.files[0]' "$HPCENV_ROOT_PREFIX"/envs/nd/conda-meta/synth-0012-*.json)
assert_eq "$(stat -c %h "$HPCENV_ROOT_PREFIX/envs/nd/$f")" 1
# a has linux-64 and noarch only
expect_status 1 hpcenv create -n x -c "$A" --override-channels synth-0012 --platform osx-arm64 --dry-run
assert_contains "$errout" "synth-0012 is not available"
expect_status 2 hpcenv create -n x -c "$A" --override-channels synth-0012 --platform nosuch-64
assert_contains "$errout" "unknown platform 'nosuch-64'"
# a spec's own channel comes after the configured ones (conda): b serves synth-0001, which
# names it, while its dependency synth-0000 still comes from a, the configured channel
# (b's synth-0000 is newer: with b in front it would win)
printf 'channels: [%s]\n' "$A" >"$T/rc-a.yml"
export HPCENV_RC=$T/rc-a.yml
expect_status 0 hpcenv create -n own --dry-run --json "$B::synth-0001" --platform linux-64
assert_eq "$(jqr '[.actions.LINK[] | select(.name == "synth-0001") | .channel] | .[0]' "$out")" \
	"$B"
assert_eq "$(jqr '[.actions.LINK[] | select(.name == "synth-0000") | .channel] | .[0]' "$out")" \
	"$A"
unset HPCENV_RC
# nodefaults alone leaves no channel: an error, as in conda (not the configured channels)
printf 'channels: [%s]\n' "$A" >"$T/rc-a.yml"
printf 'channels: [nodefaults]\ndependencies: [synth-0004]\n' >"$T/nodefaults.yml"
export HPCENV_RC=$T/rc-a.yml
expect_status 1 hpcenv create -n nodef --dry-run --file "$T/nodefaults.yml"
assert_contains "$errout" "no channels"
unset HPCENV_RC
