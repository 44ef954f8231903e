# bad input: one clear line and exit 1 (2 for usage errors); nothing matching is an error
# naming the spec and the channels
source "$(dirname "${BASH_SOURCE[0]}")/common.bash"
make_cf "$T/cf"
make_pytorch "$T/pt"

expect_status 1 hpcenv search --platform linux-64 -c ./pt -c ./cf 'tensorflow>=2'
assert_one_line "$errout"
assert_contains "$errout" "no packages match 'tensorflow>=2' in channels file://$T/pt, file://$T/cf (linux-64 and noarch)"
assert_eq "$out" ""
expect_status 1 hpcenv search --json --platform linux-64 -c ./cf 'tensorflow'
assert_eq "$(jqr '.success' "$out")" false
assert_eq "$(jqr '.error.code' "$out")" notfound
# a match on another platform only is still no match here
expect_status 1 hpcenv search --platform osx-arm64 -c ./cf 'python'
assert_contains "$errout" "no packages match 'python' in channel file://$T/cf (osx-arm64 and noarch)"
# a channel with neither subdir
expect_status 1 hpcenv search --platform osx-arm64 -c ./pt 'pytorch'
assert_one_line "$errout"
assert_contains "$errout" "channel './pt' not found: there is no 'file://$T/pt/osx-arm64/repodata.json' nor"

# an invalid spec: quoted, with the column of the bad character
expect_status 1 hpcenv search -c ./cf 'numpy[build=*cpu*'
assert_one_line "$errout"
assert_contains "$errout" "invalid spec 'numpy[build=*cpu*': missing ']' at column 18"
expect_status 1 hpcenv search -c ./cf 'numpy >=1,<<2'
assert_contains "$errout" "invalid spec 'numpy >=1,<<2': "
assert_contains "$errout" "at column 12"
expect_status 1 hpcenv search -c ./cf 'numpy[colour=red]'
assert_contains "$errout" "invalid spec 'numpy[colour=red]'"

# usage errors
expect_status 2 hpcenv search -c ./cf
assert_contains "$errout" "'search' needs SPEC"
expect_status 2 hpcenv search -c ./cf a b
expect_status 2 hpcenv search -c ./cf --platform linux-65 python
assert_contains "$errout" "unknown platform 'linux-65'"
# no channel at all
expect_status 1 hpcenv search python
assert_contains "$errout" "channel"
