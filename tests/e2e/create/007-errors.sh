# bad input: one clear message naming what and where, and no environment left behind
P=$SHARED_DATA/packages
# no spec: an empty environment, as conda and micromamba make (no channel needed), which
# exports and comes back from its export
expect_status 0 hpcenv create -y -p "$T/empty"
assert_contains "$out" "an empty environment"
[[ -f $T/empty/conda-meta/history ]] || die "no conda-meta/history in the empty environment"
assert_eq "$(hpcenv list -p "$T/empty" --json)" "[]"
hpcenv env export -p "$T/empty" >empty.yml
expect_status 0 hpcenv create -y -p "$T/empty2" --file empty.yml
assert_eq "$(hpcenv list -p "$T/empty2" --json)" "[]"
expect_status 1 hpcenv create -y -p "$T/empty"
assert_contains "$errout" "already exists"
# a list of specs is solved: here no channel is configured
printf 'python=3.11\nnumpy\n' >specs.txt
expect_status 1 hpcenv create -y -p "$T/e" --file specs.txt
assert_contains "$errout" "no channels configured"
printf 'python=3.11\nnumpy[version=\n' >badspecs.txt
expect_status 1 hpcenv create -y -p "$T/e" -c "$T" --file badspecs.txt
assert_contains "$errout" "badspecs.txt:2"
printf '# a list\npython=3.11\n@EXPLICIT\n' >late.txt
expect_status 1 hpcenv create -y -p "$T/e" --file late.txt
assert_contains "$errout" "late.txt:2: 'python=3.11' comes before the @EXPLICIT line"
expect_status 2 hpcenv create -y -p "$T/e" --file late.txt numpy
assert_contains "$errout" "exact package list: give no specs with it"
printf '@EXPLICIT\n%s#0123456789abcdef0123456789abcdef\n' "$P/mock-2.0.0-py37_1000.conda" >bad.txt
expect_status 1 hpcenv create -y -p "$T/e" --file bad.txt
assert_contains "$errout" "md5 is"
assert_contains "$errout" "expected 0123456789abcdef0123456789abcdef"
printf '@EXPLICIT\n%s/no-such-1.0-0.conda\n' "$T" >missing.txt
expect_status 1 hpcenv create -y -p "$T/e" --file missing.txt
assert_contains "$errout" "no-such-1.0-0"
printf '@EXPLICIT\nhttps://conda.anaconda.org/conda-forge/noarch/six-1.16.0-pyhd3eb1b0_1.conda\n' >net.txt
# a package only a server has, offline (this machine has no network: no DNS wait)
expect_status 1 hpcenv --offline create -y -p "$T/e" --file net.txt
assert_contains "$errout" "offline: 1 package is not in the package cache, first 'six-1.16.0-pyhd3eb1b0_1' from 'https://conda.anaconda.org/conda-forge/noarch/six-1.16.0-pyhd3eb1b0_1.conda'"
[[ ! -e $T/e ]] || die "an offline failure left the environment's directory"
printf '@EXPLICIT\n%s\n' "$P/zlib-1.2.11-h7b6447c_3.conda" >ok.txt
expect_status 1 hpcenv create -p "$T/e" --file ok.txt </dev/null # nobody to say yes
assert_contains "$errout" "give -y"
[[ ! -e $T/e ]] || die "a failed create left $T/e"
expect_status 0 hpcenv create -y -n x --file ok.txt
expect_status 1 hpcenv create -y -n x --file ok.txt
assert_contains "$errout" "already exists"
expect_status 0 hpcenv create -p "$T/dry" --file ok.txt --dry-run
[[ ! -e $T/dry ]] || die "--dry-run created $T/dry"
expect_status 0 hpcenv create -p "$T/j" --file ok.txt --json
assert_eq "$(jqr '.actions.LINK[0].name' "$out")" zlib
assert_eq "$(jqr '.success' "$out")" true
