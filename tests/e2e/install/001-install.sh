# install into an existing environment: what it needs comes along, the installed packages
# and earlier requests stay, requested_spec and history; conda-meta/pinned and
# pinned_packages hold; unsolvable requests explained; bad input
source "$HPCENV_SOURCE_DIR/tests/e2e/create/solve.bash"
expect_status 0 hpcenv create -y -n i -c "$A" --override-channels synth-0000
env=$HPCENV_ROOT_PREFIX/envs/i
expect_status 0 hpcenv install -n i -c "$A" --override-channels synth-0012 --dry-run --json
assert_eq "$(names LINK)" "synth-0009,synth-0012"
assert_eq "$(jqr '.actions.UNLINK | length' "$out")" 0
assert_eq "$(jqr '.actions.PREFIX' "$out")" "$env"
[[ -z $(ls "$env"/conda-meta/synth-0012-*.json 2>/dev/null) ]] || die "--dry-run installed"
expect_status 0 hpcenv install -y -n i -c "$A" --override-channels synth-0012
assert_contains "$out" "Install: 2 packages"
assert_contains "$out" "Updating specs:"
assert_eq "$(pkgs -n i | tr '\n' ' ')" "synth-0000 3.4.4 synth-0009 3.12.4 synth-0012 1.10.6 "
assert_eq "$(jq -r .requested_spec "$env"/conda-meta/synth-0012-*.json)" synth-0012
assert_eq "$(grep -c '^# update specs' "$env/conda-meta/history")" 2
assert_contains "$(tail -n 1 "$env/conda-meta/history")" "# update specs: ['synth-0012']"
# asked again: nothing to do
expect_status 0 hpcenv install -y -n i -c "$A" --override-channels synth-0012
assert_contains "$out" "Nothing to do"
# conda-meta/pinned: synth-0001 needs synth-0000 >=3.4, the pin says <3
printf '# pins\nsynth-0000 <3\n' >"$env/conda-meta/pinned"
expect_status 1 hpcenv install -y -n i -c "$A" --override-channels synth-0001
assert_contains "$errout" "conda-meta/pinned:2"
assert_contains "$errout" "synth-0000 <3"
rm "$env/conda-meta/pinned"
# pinned_packages from configuration
printf 'pinned_packages: [synth-0000 <3]\n' >"$T/pins.rc"
expect_status 1 hpcenv install -y -n i -c "$A" --override-channels --rc-file "$T/pins.rc" synth-0001
assert_contains "$errout" "pinned_packages"
expect_status 0 hpcenv install -y -n i -c "$A" --override-channels synth-0001
assert_contains "$(pkgs -n i)" "synth-0001 4.0.6"
# unsolvable: a package no channel has; the explanation in --json too
expect_status 1 hpcenv install -y -n i -c "$A" --override-channels nosuch
assert_contains "$errout" "nosuch is not available in any configured channel"
expect_status 1 hpcenv install -y -n i -c "$A" --override-channels nosuch --json
assert_eq "$(jqr '.success' "$out")" false
assert_eq "$(jqr '.error.code' "$out")" solve
assert_contains "$(jqr '.problems[0].summary' "$out")" nosuch
# --file: specs one a line, or an environment.yml (a pip: section is refused, named)
printf 'synth-0004\n' >specs.txt
expect_status 0 hpcenv install -y -n i -c "$A" --override-channels --file specs.txt
assert_contains "$(pkgs -n i)" "synth-0004 3.4.1"
printf 'dependencies:\n  - synth-0006\n  - pip:\n    - requests\n' >env.yml
expect_status 1 hpcenv install -y -n i -c "$A" --override-channels --file env.yml
assert_contains "$errout" "env.yml:3"
assert_contains "$errout" "pip dependencies are not supported"
# bad input: one line, exit 2 (usage) or 1 (a bad spec names it)
expect_status 2 hpcenv install -y -n i -c "$A" --override-channels
assert_contains "$errout" "needs specs"
expect_status 2 hpcenv install -y -n i --no-such-flag x
expect_status 1 hpcenv install -y -n i -c "$A" --override-channels 'synth-0001[version=>=1'
assert_contains "$errout" "synth-0001[version=>=1"
assert_one_line "$errout"
expect_status 2 hpcenv install -y -n i -c "$A" --override-channels --channel-priority loud x
assert_contains "$errout" "--channel-priority 'loud'"
expect_status 1 hpcenv install -y -n nosuchenv -c "$A" --override-channels synth-0001
# a bad pin: one line saying where and what
printf 'synth-0004 >=>3\n' >"$env/conda-meta/pinned"
expect_status 1 hpcenv install -y -n i -c "$A" --override-channels synth-0004
assert_contains "$errout" "conda-meta/pinned:1: invalid spec 'synth-0004 >=>3'"
assert_not_contains "$errout" "caused by"
rm "$env/conda-meta/pinned"
