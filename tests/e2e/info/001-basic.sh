# info shows platform, versions, directories and configuration sources
printf 'channels: [conda-forge]\n' >"$HOME/.condarc"
expect_status 0 hpcenv info
assert_contains "$out" "platform : linux-64"
assert_contains "$out" "root prefix : $T/root"
assert_contains "$out" "package cache : $T/root/pkgs"
assert_contains "$out" "channels : conda-forge"
assert_contains "$out" "config sources : $HOME/.condarc"
expect_status 0 hpcenv info --json
assert_eq "$(jqr '.platform' "$out")" "linux-64"
assert_eq "$(jqr '.envs_dirs[0]' "$out")" "$T/root/envs"
assert_eq "$(jqr '.config_sources[0]' "$out")" "$HOME/.condarc"
jqr '.libsolv' "$out" >/dev/null
expect_status 2 hpcenv info extra-arg
assert_contains "$errout" "takes 0 arguments"
