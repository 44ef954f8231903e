# conda-lock.yml and pixi.lock (written here from the nginx channel's repodata, in the formats
# conda-lock and pixi write) install exactly the locked packages, hashes checked; the
# environment, platform and category are picked; PyPI packages are refused unless
# --ignore-pypi, which lists them
source "$(dirname "${BASH_SOURCE[0]}")/http.bash"
make_locks
names() { hpcenv list -n "$1" --json | jq -r '.[].name' | sort; }
locked=$(grep -E '^  url: ' conda-lock.yml | sed 's|.*/||; s|-[^-]*-[^-]*\.conda$||' | sort | uniq)
n=$(printf '%s\n' "$locked" | wc -l)

expect_status 0 hpcenv create -y -n cl --file conda-lock.yml
assert_eq "$(names cl)" "$locked" # and not the dev-category entry ("not-picked")
rec=$(ls "$HPCENV_ROOT_PREFIX"/envs/cl/conda-meta/synth-0003-*.json)
assert_eq "$(jq -r .sha256 "$rec")" "$(jq -r '."packages.conda" | to_entries[] | select(.key | startswith("synth-0003-")) | .value.sha256' "$chan"/*/repodata.json)"
assert_eq "$(jq -r .url "$rec")" "$NGINX_URL/conda-forge/$(jq -r .subdir "$rec")/$(jq -r .fn "$rec")"

# pixi.lock (version 7), environment "default" on linux-64: the same packages, from the cache
before=$(nginx_requests '^GET /conda-forge/' | wc -l)
expect_status 0 hpcenv create -y -n px --file pixi.lock
assert_eq "$(names px)" "$(names cl)"
assert_eq "$(nginx_requests '^GET /conda-forge/' | wc -l)" "$before"
# version 6 reads the same
expect_status 0 hpcenv create -y -n px6 --file pixi-v6.lock --dry-run --json
assert_eq "$(jqr ".actions.LINK | length" "$out")" "$n"

# "small" also locks a PyPI wheel: refused, with what and how to go on
expect_status 1 hpcenv create -y -n small --file pixi.lock --env small
assert_one_line "$errout"
assert_contains "$errout" "'pixi.lock' (environment 'small' on linux-64) locks 1 PyPI package, which hpcenv does not install: requests==2.32.3; --ignore-pypi creates the environment without them"
[[ ! -e $HPCENV_ROOT_PREFIX/envs/small ]] || die "a refused lock left an environment"
expect_status 0 hpcenv create -y -n small --file pixi.lock -e small --ignore-pypi --json
assert_eq "$(jqr '.pypi_not_installed[0]' "$out")" "requests==2.32.3"
assert_contains "$errout" "warning: not installing 1 PyPI package locked in 'pixi.lock' (environment 'small' on linux-64), install them with pip afterwards: requests==2.32.3"
assert_eq "$(names small | wc -l)" 3

# the platform: --platform, else CONDA_SUBDIR, else this machine's
expect_status 0 hpcenv create -y -n arm --file pixi.lock --platform linux-aarch64
assert_eq "$(names arm)" pip
CONDA_SUBDIR=osx-arm64 expect_status 1 hpcenv create -y -n mac --file pixi.lock
assert_contains "$errout" "pixi.lock: environment 'default' is not locked for platform 'osx-arm64' (there are: linux-64, linux-aarch64)"
expect_status 1 hpcenv create -y -n nope --file pixi.lock --env nope
assert_contains "$errout" "pixi.lock: no environment 'nope' (there are: default, small)"
expect_status 2 hpcenv create -y -n nope --file conda-lock.yml --env small
assert_contains "$errout" "--env picks an environment of a pixi.lock; 'conda-lock.yml' is none"

# a lock whose checksum the server's file does not match: named, nothing made
sed 's/^\(  sha256: \)[0-9a-f]\(.*\)$/\1f\2/' pixi.lock >tampered.lock
expect_status 1 hpcenv create -y -n bad --file tampered.lock
assert_contains "$errout" "checksum mismatch (sha256"
[[ ! -e $HPCENV_ROOT_PREFIX/envs/bad ]] || die "a failed create left an environment"
