# hook, activate, deactivate in bash, zsh and fish: PATH, CONDA_*, env_vars, activate.d
# and deactivate.d, stacking two environments
P=$SHARED_DATA/packages
printf '@EXPLICIT\n%s\n' "$P/_r-mutex-1.0.1-anacondar_1.tar.bz2" >l.txt
expect_status 0 hpcenv create -y -n a --file l.txt
expect_status 0 hpcenv create -y -n b --file l.txt
for e in a b; do
	d=$HPCENV_ROOT_PREFIX/envs/$e
	mkdir -p "$d/etc/conda/activate.d" "$d/etc/conda/deactivate.d"
	printf 'export ACT_%s=1\n' "$e" >"$d/etc/conda/activate.d/x.sh"
	printf 'unset ACT_%s\n' "$e" >"$d/etc/conda/deactivate.d/x.sh"
	printf 'set -gx ACT_%s 1\n' "$e" >"$d/etc/conda/activate.d/x.fish"
	printf 'set -e ACT_%s\n' "$e" >"$d/etc/conda/deactivate.d/x.fish"
	printf '{"env_vars": {"VAR_%s": "v"}}\n' "$e" >"$d/conda-meta/state"
done
A=$HPCENV_ROOT_PREFIX/envs/a B=$HPCENV_ROOT_PREFIX/envs/b
posix='hpcenv activate a; echo "1 $CONDA_PREFIX $CONDA_SHLVL ${ACT_a-} ${VAR_a-} ${PATH%%:*}"
hpcenv activate b; echo "2 $CONDA_PREFIX $CONDA_SHLVL ${ACT_a-no} ${ACT_b-} ${VAR_a-no} ${PATH%%:*}"
hpcenv deactivate; echo "3 $CONDA_PREFIX $CONDA_SHLVL ${ACT_b-no} ${ACT_a-} ${PATH%%:*}"
hpcenv deactivate; echo "4 ${CONDA_PREFIX-none} $CONDA_SHLVL ${ACT_a-no} ${VAR_a-no}"'
want="1 $A 1 1 v $A/bin
2 $B 2 no 1 no $B/bin
3 $A 1 no 1 $A/bin
4 none 0 no no"
for sh in bash zsh; do
	command -v $sh >/dev/null || die "$sh is not installed (scripts/bootstrap installs it)"
	expect_status 0 $sh -c "eval \"\$(\"$HPCENV\" shell hook --shell $sh)\"
$posix"
	assert_eq "$out" "$want"
done
command -v fish >/dev/null || die "fish is not installed (scripts/bootstrap installs it)"
expect_status 0 fish -c "'$HPCENV' shell hook --shell fish | source
hpcenv activate a; echo 1 \$CONDA_PREFIX \$CONDA_SHLVL \$ACT_a \$VAR_a \$PATH[1]
hpcenv activate b; echo 2 \$CONDA_PREFIX \$CONDA_SHLVL \$ACT_b \$PATH[1]
hpcenv deactivate; echo 3 \$CONDA_PREFIX \$CONDA_SHLVL \$PATH[1]
hpcenv deactivate; echo 4 \$CONDA_SHLVL (set -q ACT_a; and echo yes; or echo no)"
assert_eq "$out" "1 $A 1 1 v $A/bin
2 $B 2 1 $B/bin
3 $A 1 $A/bin
4 0 no"
# the prompt, a path, errors
expect_status 0 bash -c "eval \"\$(\"$HPCENV\" shell hook)\"; PS1='\$ '; hpcenv activate a; echo \"\$PS1\""
assert_eq "$out" '(a) $ '
expect_status 0 hpcenv shell activate --shell bash -p "$A"
assert_contains "$out" "export CONDA_PREFIX='$A'"
expect_status 1 hpcenv shell activate --shell bash nosuch
expect_status 2 hpcenv shell activate --shell tcsh a
