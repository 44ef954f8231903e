# unknown keys warn with their position but do not fail
printf 'offline: true\nno_such_setting: 3\n' >"$HOME/.condarc"
expect_status 0 hpcenv config get offline
assert_eq "$out" "true"
assert_contains "$errout" "warning: $HOME/.condarc:2:1: unknown configuration key 'no_such_setting' (ignored)"
# -q keeps warnings (they matter), --json keeps stdout clean
expect_status 0 hpcenv config get offline --json
assert_eq "$(jqr '.offline' "$out")" "true"
