# run: the command's exit status, arguments passed as is, activation (PATH, CONDA_PREFIX,
# env_vars from conda-meta/state, activate.d), --cwd
P=$SHARED_DATA/packages
printf '@EXPLICIT\n%s\n' "$P/_r-mutex-1.0.1-anacondar_1.tar.bz2" >l.txt
expect_status 0 hpcenv create -y -n demo --file l.txt
env=$HPCENV_ROOT_PREFIX/envs/demo
mkdir -p "$env/etc/conda/activate.d" "$env/bin" "$T/wd"
printf 'export FROM_ACTIVATE_D="sourced $CONDA_PREFIX"\n' >"$env/etc/conda/activate.d/x.sh"
printf '{"env_vars": {"OMP_NUM_THREADS": "3"}}\n' >"$env/conda-meta/state"
printf '#!/bin/sh\necho "tool in the env: $*"\n' >"$env/bin/envtool"
chmod +x "$env/bin/envtool"
expect_status 0 hpcenv run -n demo envtool -c --flag "two words"
assert_eq "$out" "tool in the env: -c --flag two words"
expect_status 0 hpcenv run -n demo --cwd "$T/wd" sh -c 'echo "$PWD|$CONDA_PREFIX|$OMP_NUM_THREADS|$FROM_ACTIVATE_D|$CONDA_DEFAULT_ENV"'
assert_eq "$out" "$T/wd|$env|3|sourced $env|demo"
expect_status 7 hpcenv run -n demo sh -c 'exit 7'
expect_status 127 hpcenv run -n demo no-such-command # the shell sourcing activate.d says so
assert_contains "$errout" "no-such-command: not found"
expect_status 2 hpcenv run -n demo
rm "$env/etc/conda/activate.d/x.sh" # without scripts the command is exec'ed directly
expect_status 1 hpcenv run -n demo no-such-command
assert_contains "$errout" "cannot run 'no-such-command': No such file or directory"
expect_status 0 hpcenv run -p "$env" envtool direct
