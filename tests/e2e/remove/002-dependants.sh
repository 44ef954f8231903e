# remove NAME with the solver: what depends on it goes too, and what only they needed
# (not asked for by the user); list; env export -> create --file gives the same environment
source "$HPCENV_SOURCE_DIR/tests/e2e/create/solve.bash"
expect_status 0 hpcenv create -y -n r -c "$A" --override-channels synth-0012 synth-0004
env=$HPCENV_ROOT_PREFIX/envs/r
# the same environment again, from its export (packages pinned to version and build)
expect_status 0 hpcenv env export -n r
printf '%s\n' "$out" >exported.yml
assert_contains "$out" "- synth-0012=1.10.6="
expect_status 0 hpcenv create -y -n copy --file exported.yml
assert_eq "$(hpcenv list -n copy --json | jq -S .)" "$(hpcenv list -n r --json | jq -S .)"
# and from its history (the specs asked for)
expect_status 0 hpcenv env export -n r --from-history
printf '%s\n' "$out" >history.yml
assert_contains "$out" "- synth-0012"
expect_status 0 hpcenv create -y -n copy2 -c "$A" --file history.yml
assert_eq "$(hpcenv list -n copy2 --json | jq -S .)" "$(hpcenv list -n r --json | jq -S .)"
# synth-0012 depends on synth-0009; synth-0000 was there for synth-0012 only
expect_status 0 hpcenv remove -n r synth-0009 --dry-run --json
assert_eq "$(names UNLINK)" "synth-0000,synth-0009,synth-0012"
assert_eq "$(jqr '.actions.LINK | length' "$out")" 0
assert_eq "$(jqr '.dry_run' "$out")" true
expect_status 0 hpcenv remove -n r synth-0009 --dry-run
assert_contains "$out" "Remove: 3 packages"
assert_contains "$out" "Removing specs:"
assert_contains "$out" "- synth-0012"
assert_not_contains "$out" "Total download"
assert_eq "$(pkgs -n r | wc -l)" 4
expect_status 0 hpcenv remove -y -n r synth-0009
assert_eq "$(pkgs -n r)" "synth-0004 3.4.1"
assert_contains "$(tail -n 1 "$env/conda-meta/history")" "# remove specs: ['synth-0009']"
# no channels needed (none are configured here), works offline
expect_status 0 hpcenv --offline remove -y -n copy synth-0004
assert_eq "$(pkgs -n copy | cut -d' ' -f1 | tr '\n' ' ')" "synth-0000 synth-0009 synth-0012 "
expect_status 1 hpcenv remove -y -n r synth-0012
assert_contains "$errout" "'synth-0012': it is not installed"
# --json documents say success on every path
expect_status 0 hpcenv remove -n copy --all --dry-run --json
assert_eq "$(jqr '.success' "$out")" true
expect_status 0 hpcenv remove -n copy synth-0012 --force --dry-run --json
assert_eq "$(jqr '.success' "$out")" true
expect_status 2 hpcenv remove -y -n copy --all --force
assert_contains "$errout" "--force removes named packages only"
# the base environment is refused however its path is spelled
mkdir -p "$HPCENV_ROOT_PREFIX/conda-meta"
ln -s "$HPCENV_ROOT_PREFIX" "$T/base-link"
expect_status 2 hpcenv remove -y -p "$T/base-link" --all
assert_contains "$errout" "refusing to remove the base environment"
[[ -L $T/base-link && -d $HPCENV_ROOT_PREFIX/conda-meta ]] || die "base or its link removed"
# installed, but outside the spec: said so, not "not installed"
expect_status 1 hpcenv remove -y -n r 'synth-0004>=9'
assert_contains "$errout" "the installed synth-0004 3.4.1"
