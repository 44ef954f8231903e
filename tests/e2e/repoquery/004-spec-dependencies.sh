# records whose depends use "channel::name" and "name[key=value]" (which libsolv's conda
# parser misreads) resolve to exactly what the spec means; "__glibc" to the virtual package
source "$(dirname "${BASH_SOURCE[0]}")/common.bash"
make_cf "$T/chans/conda-forge"
mkdir -p "$T/mine/linux-64"
cat >"$T/mine/linux-64/repodata.json" <<'JSON'
{"info": {"subdir": "linux-64"}, "packages": {
 "app-1.0-0.tar.bz2": {"name": "app", "version": "1.0", "build": "0", "build_number": 0,
  "depends": ["conda-forge::python >=3.9", "numpy[build=*openblas*]", "__glibc >=2.17",
              "conda-forge::ca-certificates[build_number=0]"]},
 "old-1.0-0.tar.bz2": {"name": "old", "version": "1.0", "build": "0", "build_number": 0,
  "depends": ["__glibc >=2.99"]},
 "numpy-1.26.4-py39_openblas_0.tar.bz2": {"name": "numpy", "version": "1.26.4",
  "build": "py39_openblas_0", "build_number": 0, "depends": []},
 "numpy-1.26.4-py39_mkl_1.tar.bz2": {"name": "numpy", "version": "1.26.4",
  "build": "py39_mkl_1", "build_number": 1, "depends": []},
 "python-3.99.0-0.tar.bz2": {"name": "python", "version": "3.99.0", "build": "0",
  "build_number": 0, "depends": []}}}
JSON
printf 'channel_alias: file://%s/chans\nchannels: [./mine, conda-forge]\n' "$T" >"$HOME/.condarc"
export CONDA_OVERRIDE_GLIBC=2.28

# mine has the highest priority and the newest python, but the spec says conda-forge
expect_status 0 hpcenv repoquery depends --platform linux-64 app
assert_contains "$(rows)" "python 3.9.19 h0755675_0_cpython"
col() { printf '%s\n' "$out" | awk -v n="$1" '$1 == n { print $4, $NF }'; }
assert_eq "$(col python)" "conda-forge conda-forge::python[version='>=3.9']"
assert_contains "$(rows)" "numpy 1.26.4 py39_openblas_0"
assert_eq "$(col numpy)" "file://$T/mine numpy[build=*openblas*]"
assert_contains "$(rows)" "__glibc 2.28 0"
assert_eq "$(col __glibc)" "@ >=2.17"
assert_contains "$(rows)" "ca-certificates 2024.2.2 hbcca054_0"
expect_status 0 hpcenv repoquery depends --platform linux-64 old
assert_contains "$out" "nothing provides '__glibc >=2.99'"

# and backwards: who needs the openblas numpy, or conda-forge's python
expect_status 0 hpcenv repoquery whoneeds --platform linux-64 'numpy=*=*openblas*'
assert_eq "$(rows)" "app 1.0 0"
expect_status 0 hpcenv repoquery whoneeds --platform linux-64 'numpy=*=*mkl*'
assert_eq "$out" "nothing in the channels needs 'numpy=*=*mkl*'"
expect_status 0 hpcenv repoquery whoneeds --platform linux-64 'conda-forge::python=3.9.19'
assert_contains "$(rows)" "app 1.0 0"
# mine's python 3.99 satisfies plain "python >=3.7" requirements, not app's
expect_status 0 hpcenv repoquery whoneeds --platform linux-64 'mine::python' \
	--rc-file <(printf 'custom_channels: {mine: "file://%s"}\n' "$T")
assert_contains "$(rows)" "pip 24.0 pyhd8ed1ab_0"
assert_not_contains "$(rows)" "app "
