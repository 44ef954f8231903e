# config get and config sources say which file or variable set what
mkdir -p "$HOME/.config/conda"
printf 'channels: [home]\nalways_yes: true\n' >"$HOME/.condarc"
printf 'channels: [xdg]\n' >"$HOME/.config/conda/condarc"
export CONDA_ALWAYS_YES=false
expect_status 0 hpcenv config get channels
assert_eq "$out" "channels:
  - home
  - xdg"
expect_status 0 hpcenv config get always_yes --json
assert_eq "$(jqr '.always_yes' "$out")" "false"
assert_eq "$(jqr '.origin' "$out")" "env:CONDA_*"
expect_status 0 hpcenv config sources --json
assert_eq "$(jqr '.sources[0].name' "$out")" "$HOME/.config/conda/condarc"
assert_eq "$(jqr '.sources[1].name' "$out")" "$HOME/.condarc"
assert_eq "$(jqr '.sources[1].values.always_yes' "$out")" "true"
assert_eq "$(jqr '.sources[2].kind' "$out")" "env"
expect_status 0 hpcenv config sources
assert_contains "$out" "==> $HOME/.condarc <=="
# unknown key
expect_status 2 hpcenv config get no_such_key
assert_contains "$errout" "unknown configuration key 'no_such_key'"
expect_status 2 hpcenv config get
expect_status 2 hpcenv config frob
assert_contains "$errout" "unknown command 'config frob'"
