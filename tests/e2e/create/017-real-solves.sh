# solves on real repodata (shared/data as file:// channels, --dry-run --json, linux-64):
# python=3.9 on the conda-forge subset; pytorch's CPU builds under strict priority;
# readable unsolvable cases
source "$HPCENV_SOURCE_DIR/tests/e2e/search/common.bash"
make_cf "$T/cf"
make_pytorch "$T/pt"
cf=(-c "file://$T/cf" --override-channels --platform linux-64)
expect_status 0 hpcenv create -n p "${cf[@]}" python=3.9 --dry-run --json
for n in _libgcc_mutex _openmp_mutex ca-certificates openssl libgcc-ng pip; do
	assert_eq "$(jqr "[.actions.LINK[] | select(.name == \"$n\")] | length" "$out")" 1
done
assert_eq "$(jqr '.actions.LINK[] | select(.name == "python") | .version' "$out")" 3.9.19
assert_eq "$(jqr '.actions.LINK[0].name' "$out")" _libgcc_mutex # dependencies first
assert_eq "$(jqr '[.actions.LINK[] | select((.md5 | length) != 32 or (.sha256 | length) != 64 or .size <= 0)] | length' "$out")" 0
assert_eq "$(jqr '.actions.LINK[] | select(.name == "openssl") | .url' "$out")" \
	"https://conda.anaconda.org/conda-forge/linux-64/openssl-3.3.0-hd590300_0.conda"
# pytorch's CPU builds need "blas * mkl", which neither channel has
expect_status 1 hpcenv create -n t -c "file://$T/pt" -c "file://$T/cf" --override-channels \
	--platform linux-64 --channel-priority strict 'pytorch[build=*cpu*]' --dry-run
assert_contains "$errout" "cannot install pytorch[build=*cpu*]"
assert_contains "$errout" "requires blas * mkl, which is not available in any configured channel"
expect_status 1 hpcenv --json create -n t -c "file://$T/pt" -c "file://$T/cf" \
	--override-channels --platform linux-64 --channel-priority strict 'pytorch[build=*cpu*]' \
	--dry-run
assert_eq "$(jqr '.success' "$out")" false
assert_contains "$(jqr '.problems[0].tree' "$out")" '"blas * mkl"'
# two pythons; a missing package; a glibc too old for libcxx 17
expect_status 1 hpcenv create -n t "${cf[@]}" python=3.9 python=3.10 --dry-run
assert_contains "$errout" "python=3.10"
assert_contains "$errout" "the channels have python 3.9.0 - 3.9.19"
expect_status 1 hpcenv create -n t "${cf[@]}" python=3.9 no-such-package --dry-run
assert_contains "$errout" "no-such-package is not available in any configured channel"
CONDA_OVERRIDE_GLIBC=2.12 expect_status 1 hpcenv create -n t "${cf[@]}" libcxx=17 --dry-run
assert_contains "$errout" "__glibc"
assert_contains "$errout" "CONDA_OVERRIDE_GLIBC"
CONDA_OVERRIDE_GLIBC=2.28 expect_status 0 hpcenv create -n t "${cf[@]}" libcxx=17 --dry-run
# an environment.yml with a pip section: refused, naming it
printf 'name: x\nchannels: [file://%s/cf]\ndependencies:\n  - python=3.9\n  - pip:\n    - requests\n' \
	"$T" >env.yml
expect_status 1 hpcenv create -n t --platform linux-64 --file env.yml --dry-run
assert_contains "$errout" "env.yml:5"
assert_contains "$errout" "pip dependencies are not supported"
assert_contains "$errout" "requests"
# without it, its channels are used
sed -i '/pip/d; /requests/d' env.yml
expect_status 0 hpcenv create -n t --platform linux-64 --file env.yml --dry-run --json
assert_eq "$(jqr '.actions.LINK[] | select(.name == "python") | .version' "$out")" 3.9.19
[[ ! -e $HPCENV_ROOT_PREFIX/envs/t ]] || die "--dry-run made the environment"
