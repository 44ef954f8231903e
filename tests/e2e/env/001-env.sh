# env list (envs_dirs, base, ~/.conda/environments.txt) and env remove
P=$SHARED_DATA/packages
printf '@EXPLICIT\n%s\n' "$P/_r-mutex-1.0.1-anacondar_1.tar.bz2" >l.txt
expect_status 0 hpcenv create -y -n one --file l.txt
expect_status 0 hpcenv create -y -p "$T/elsewhere" --file l.txt
assert_contains "$(cat "$HOME/.conda/environments.txt")" "$T/elsewhere"
expect_status 0 hpcenv env list --json
assert_eq "$(jqr '.envs | length' "$out")" 2
CONDA_PREFIX=$HPCENV_ROOT_PREFIX/envs/one expect_status 0 hpcenv env list
assert_contains "$out" "one                       *  $HPCENV_ROOT_PREFIX/envs/one"
assert_contains "$out" "                             $T/elsewhere"
expect_status 0 hpcenv env remove -y -p "$T/elsewhere"
assert_not_contains "$(cat "$HOME/.conda/environments.txt")" "$T/elsewhere"
expect_status 0 hpcenv env remove -y -n one
expect_status 0 hpcenv env list --json
assert_eq "$(jqr '.envs | length' "$out")" 0
expect_status 1 hpcenv env remove -y -n one
