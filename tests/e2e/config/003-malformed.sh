# a malformed rc file is one error line naming file, line and column; exit 1
printf 'channels:\n  - a\n - b: [\n' >"$HOME/.condarc"
expect_status 1 hpcenv config list
assert_contains "$errout" "$HOME/.condarc:3:"
assert_one_line "$errout"
printf 'offline: perhaps\n' >"$HOME/.condarc"
expect_status 1 hpcenv info
assert_contains "$errout" "$HOME/.condarc:1:10: 'offline': expected true or false"
# --json errors are JSON on stdout
expect_status 1 hpcenv config list --json
assert_eq "$(jqr '.success' "$out")" "false"
assert_eq "$(jqr '.error.code' "$out")" "config"
# a bad environment variable names the variable
rm "$HOME/.condarc"
CONDA_FETCH_THREADS=lots expect_status 1 hpcenv config list
assert_contains "$errout" "CONDA_FETCH_THREADS"
# --rc-file that does not exist
expect_status 1 hpcenv --rc-file "$T/missing.yml" config list
assert_contains "$errout" "$T/missing.yml"
