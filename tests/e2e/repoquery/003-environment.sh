# -n/-p: questions within an installed environment, made of real conda-meta records
source "$(dirname "${BASH_SOURCE[0]}")/common.bash"
make_cf "$T/cf"
env=$HPCENV_ROOT_PREFIX/envs/py
make_env "$env" "$T/cf" 'python=3.9.19=h0755675_0_cpython' 'openssl=3.3.0' ca-certificates \
	'libgcc-ng=13.2.0=h77fa898_7' _libgcc_mutex '_openmp_mutex=4.5=2_gnu' libgomp 'pip=24.0' \
	'libzlib=1.2.13' 'libsqlite=3.45.3'
[[ -f $env/conda-meta/openssl-3.3.0-hd590300_0.json ]] || die "no conda-meta record"

expect_status 0 hpcenv repoquery whoneeds -p "$env" openssl
assert_eq "$(rows)" "python 3.9.19 h0755675_0_cpython"
assert_contains "$out" "openssl >=3.2.1,<4.0a0"
expect_status 0 hpcenv repoquery whoneeds -n py libgcc-ng --json
assert_eq "$(jqr '.query.prefix' "$out")" "$env"
assert_eq "$(jqr '[.result.pkgs[].name] | join(" ")' "$out")" \
	"libgcc-ng libsqlite libzlib openssl python"
expect_status 0 hpcenv repoquery whoneeds -n py libgomp --tree
assert_eq "$out" "libgomp 13.2.0 h77fa898_7
└─ _openmp_mutex 4.5 2_gnu
   └─ libgcc-ng 13.2.0 h77fa898_7
      ├─ libsqlite 3.45.3 h2797004_0
      │  └─ python 3.9.19 h0755675_0_cpython
      │     └─ pip 24.0 pyhd8ed1ab_0
      │        └─ python 3.9.19 h0755675_0_cpython (cycle)
      ├─ libzlib 1.2.13 hd590300_5
      │  ├─ libsqlite 3.45.3 h2797004_0 (already shown)
      │  └─ python 3.9.19 h0755675_0_cpython (already shown)
      ├─ openssl 3.3.0 hd590300_0
      │  └─ python 3.9.19 h0755675_0_cpython (already shown)
      └─ python 3.9.19 h0755675_0_cpython (already shown)"

# depends inside the environment: what it lacks is reported, not looked up in channels
expect_status 0 hpcenv repoquery depends -p "$env" python
assert_contains "$(rows)" "openssl 3.3.0 hd590300_0"
assert_contains "$(rows)" "pip 24.0 pyhd8ed1ab_0"
assert_contains "$out" "nothing provides 'ncurses >=6.4.20240210,<7.0a0'"
assert_contains "$out" "nothing provides 'tzdata'"
expect_status 0 hpcenv repoquery depends -p "$env" python --tree
assert_contains "$out" "├─ ncurses >=6.4.20240210,<7.0a0 (nothing provides it)"
assert_contains "$out" "├─ pip 24.0 pyhd8ed1ab_0
│  ├─ python 3.9.19 h0755675_0_cpython (cycle)
│  ├─ setuptools (nothing provides it)"

# mistakes
expect_status 1 hpcenv repoquery whoneeds -p "$env" numpy
assert_one_line "$errout"
assert_contains "$errout" "no package in the environment '$env' matches 'numpy'"
expect_status 2 hpcenv repoquery whoneeds -p "$env" -c ./cf openssl
assert_contains "$errout" "not both"
expect_status 1 hpcenv repoquery whoneeds -p "$T/cf" openssl
assert_contains "$errout" "$T/cf"
expect_status 1 hpcenv repoquery whoneeds -n nope openssl
assert_contains "$errout" "nope"
