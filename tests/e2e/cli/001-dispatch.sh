# --help, --version, unknown commands and flags
expect_status 0 hpcenv --help
assert_contains "$out" "usage: hpcenv"
assert_contains "$out" "config list"
assert_contains "$out" "info"
expect_status 0 hpcenv config list --help
assert_contains "$out" "usage: hpcenv config list"
assert_contains "$out" "--root-prefix DIR"
expect_status 0 hpcenv --version
assert_contains "$out" "libsolv 0.7."
assert_contains "$out" "cpu baseline: x86-64"
expect_status 0 hpcenv --version --json
jqr '.libcurl' "$out" >/dev/null
# no command: help on stderr, usage error
expect_status 2 hpcenv
assert_contains "$errout" "usage: hpcenv"
# unknown command / flag: one error line + a hint, exit 2
expect_status 2 hpcenv frobnicate
assert_eq "$(printf '%s\n' "$errout" | head -1)" "hpcenv: error: unknown command 'frobnicate'"
assert_contains "$errout" "hint: run 'hpcenv --help'"
expect_status 2 hpcenv info --frob
assert_eq "$(printf '%s\n' "$errout" | head -1)" "hpcenv: error: unknown option '--frob'"
assert_contains "$errout" "hint: run 'hpcenv info --help'"
expect_status 2 hpcenv info -Z
assert_contains "$errout" "unknown option '-Z'"
expect_status 2 hpcenv --root-prefix
assert_contains "$errout" "needs a value"
expect_status 2 hpcenv info --json=yes
assert_contains "$errout" "takes no value"
# options may come before or after the command; -- ends options
expect_status 0 hpcenv --json info
jqr '.platform' "$out" >/dev/null
expect_status 2 hpcenv info -- --json
