# the real lock files of shared/data/envs pick the right packages: offline (no network here)
# each names how many packages it would download and the first; pixi's PyPI entries refuse
# to be dropped silently
envs=$SHARED_DATA/envs
expect_status 1 hpcenv --offline create -y -n pangeo --file "$envs/pangeo-notebook.conda-lock.yml"
assert_one_line "$errout"
assert_contains "$errout" "offline: 809 packages are not in the package cache, first '_libgcc_mutex-0.1-conda_forge' from 'https://conda.anaconda.org/conda-forge/linux-64/_libgcc_mutex-0.1-conda_forge.tar.bz2'"
expect_status 1 hpcenv --offline create -y -n pangeo --file "$envs/pangeo-notebook.conda-lock.yml" --platform osx-arm64
assert_contains "$errout" "offline: 743 packages are not in the package cache"
# the same environment as an @EXPLICIT list of https URLs with #md5
expect_status 1 hpcenv --offline create -y -n pangeo --file "$envs/pangeo-notebook.conda-linux-64.lock"
assert_contains "$errout" "offline: 809 packages are not in the package cache"

expect_status 1 hpcenv --offline create -y -n esm --file "$envs/esmvaltool.pixi.lock"
assert_one_line "$errout"
assert_contains "$errout" "(environment 'default' on linux-64) locks 1 PyPI package, which hpcenv does not install: esmvaltool (./); --ignore-pypi"
expect_status 1 hpcenv --offline create -y -n esm --file "$envs/esmvaltool.pixi.lock" -e esmvalcore-dev
assert_contains "$errout" "locks 83 PyPI packages, which hpcenv does not install: esmvaltool (./), esmvalcore==2.16.0.dev52+gb05267e9f, "
assert_contains "$errout" ", and 75 more; --ignore-pypi"
expect_status 1 hpcenv --offline create -y -n esm --file "$envs/esmvaltool.pixi.lock" --ignore-pypi
assert_contains "$errout" "warning: not installing 1 PyPI package"
assert_contains "$errout" "offline: 583 packages are not in the package cache"
[[ ! -e $HPCENV_ROOT_PREFIX/envs/esm && ! -e $HPCENV_ROOT_PREFIX/envs/pangeo ]] || die "an environment was left"
