# update NAME and update --all: newer versions from channel b (channel priority disabled,
# so the highest version wins), the rest kept; history and requested_spec; bad input
source "$HPCENV_SOURCE_DIR/tests/e2e/create/solve.bash"
expect_status 0 hpcenv create -y -n u -c "$A" --override-channels synth-0004 synth-0012
env=$HPCENV_ROOT_PREFIX/envs/u
before=$(pkgs -n u)
both=(-c "$B" -c "$A" --override-channels --channel-priority disabled)
expect_status 0 hpcenv update -n u "${both[@]}" synth-0004 --dry-run --json
assert_eq "$(jqr '[.actions.UNLINK[] | "\(.name) \(.version)"] | join(",")' "$out")" "synth-0004 3.4.1"
assert_eq "$(jqr '[.actions.LINK[] | "\(.name) \(.version)"] | join(",")' "$out")" "synth-0004 4.10.5"
assert_eq "$(pkgs -n u)" "$before"
expect_status 0 hpcenv update -n u "${both[@]}" synth-0004 --dry-run
assert_contains "$out" "Upgrade:"
assert_contains "$out" "- synth-0004"
assert_contains "$out" "+ synth-0004"
assert_contains "$out" "Upgrade: 1 package"
# --all: the same upgrade, nothing else changes (b's other packages are older or absent)
expect_status 0 hpcenv update -y -n u "${both[@]}" --all
assert_eq "$(pkgs -n u)" "$(sed 's/^synth-0004 3.4.1$/synth-0004 4.10.5/' <<<"$before")"
assert_eq "$(jq -r .requested_spec "$env"/conda-meta/synth-0004-4.10.5-*.json)" synth-0004
expect_status 0 hpcenv update -y -n u "${both[@]}" --all
assert_contains "$out" "Nothing to do"
# update stays within the spec, the installed version must match it (conda: install to
# change to another one); install goes back to a's version
expect_status 1 hpcenv update -y -n u "${both[@]}" 'synth-0004<4'
assert_contains "$errout" "cannot update 'synth-0004<4': the installed synth-0004 4.10.5"
expect_status 0 hpcenv install -y -n u "${both[@]}" 'synth-0004<4'
assert_contains "$out" "Downgrade: 1 package"
assert_contains "$(pkgs -n u)" "synth-0004 3.4.1"
assert_contains "$(tail -n 1 "$env/conda-meta/history")" "# update specs: ['synth-0004<4']"
# not installed, no names, both
expect_status 1 hpcenv update -y -n u "${both[@]}" synth-0005
assert_contains "$errout" "synth-0005"
expect_status 2 hpcenv update -y -n u "${both[@]}"
assert_contains "$errout" "needs package names (or --all)"
expect_status 2 hpcenv update -y -n u "${both[@]}" --all synth-0004
expect_status 2 hpcenv update -y -n u --solver-timeout soon synth-0004
for t in nan inf -1; do
	expect_status 2 hpcenv update -y -n u --solver-timeout "$t" synth-0004
	assert_contains "$errout" "--solver-timeout '$t'"
done
# --all requests no name, and --no-deps keeps only named packages' steps: refused together
expect_status 2 hpcenv update -y -n u "${both[@]}" --all --no-deps
assert_contains "$errout" "--no-deps cannot be used with --all"
expect_status 1 hpcenv update -y -n u "${both[@]}" 'synth-0012>=99'
assert_contains "$errout" "the installed synth-0012"
