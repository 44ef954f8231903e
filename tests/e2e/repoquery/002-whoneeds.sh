# whoneeds on the conda-forge subset: every record with a requirement an openssl 3.3
# provides (python among them), with that requirement; --tree goes on to who needs them
source "$(dirname "${BASH_SOURCE[0]}")/common.bash"
make_cf "$T/cf"

expect_status 0 hpcenv repoquery whoneeds --platform linux-64 -c ./cf 'openssl=3.3.0'
assert_contains "$(rows)" "python 3.9.19 h0755675_0_cpython"
assert_contains "$(rows)" "curl 8.7.1 hca28451_0"
assert_not_contains "$(rows)" "openssl"
# each line's requirement is on openssl, and 3.3.0 satisfies it
assert_eq "$(printf '%s\n' "$out" | sed 1d | awk '{ print $6 }' | sort -u)" "openssl"
# every python 3.9 build that requires openssl 3 is there, and no python 3.9 that needs 1.1
want=$(records "$T/cf/linux-64/repodata.json" \
	'.name == "python" and any((.depends // [])[]; test("^openssl >=3\\.[0-3][^,]*,<4"))')
assert_eq "$(rows | grep '^python ' | sort)" "$want"

# nothing needs ca-certificates but openssl
expect_status 0 hpcenv repoquery whoneeds --json --platform linux-64 -c ./cf 'ca-certificates'
assert_eq "$(jqr '[.result.pkgs[].name] | unique | join(" ")' "$out")" "ca-certificates openssl"
# --tree: in the channels, the newest record of each name that needs a package (all of
# them would be most of the channel)
expect_status 0 hpcenv repoquery whoneeds --platform linux-64 -c ./cf 'libxcrypt' --tree
assert_eq "$out" "libxcrypt 4.4.36 hd590300_1
└─ python 3.9.19 h0755675_0_cpython
   ├─ certifi 2024.2.2 pyhd8ed1ab_0
   │  └─ setuptools 49.6.0 py37h89c1867_3
   │     ├─ pip 24.0 pyhd8ed1ab_0
   │     │  └─ python 3.9.19 h0755675_0_cpython (cycle)
   │     └─ wheel 0.34.2 py_1
   │        └─ pip 24.0 pyhd8ed1ab_0 (already shown)
   ├─ packaging 24.0 pyhd8ed1ab_0
   │  └─ wheel 0.35.0 pyh9f0ad1d_0
   │     └─ pip 24.0 pyhd8ed1ab_0 (already shown)
   ├─ pip 24.0 pyhd8ed1ab_0 (already shown)
   ├─ pyparsing 3.1.2 pyhd8ed1ab_0
   │  └─ packaging 21.3 pyhd8ed1ab_0
   │     └─ wheel 0.35.0 pyh9f0ad1d_0 (already shown)
   ├─ python_abi 3.9 2_cp39
   │  ├─ certifi 2022.6.15 py39hf3d152e_0
   │  │  └─ setuptools 49.6.0 py37h89c1867_3 (already shown)
   │  └─ setuptools 65.3.0 py39hf3d152e_0
   │     ├─ pip 24.0 pyhd8ed1ab_0 (already shown)
   │     └─ wheel 0.34.2 py_1 (already shown)
   ├─ setuptools 69.5.1 pyhd8ed1ab_0
   │  ├─ pip 24.0 pyhd8ed1ab_0 (already shown)
   │  └─ wheel 0.34.2 py_1 (already shown)
   ├─ six 1.16.0 pyh6c4a22f_0
   │  └─ packaging 20.7 pyhd3deb0d_0
   │     └─ wheel 0.35.0 pyh9f0ad1d_0 (already shown)
   ├─ wheel 0.43.0 pyhd8ed1ab_1
   │  └─ pip 24.0 pyhd8ed1ab_0 (already shown)
   └─ wincertstore 0.2 pyhd8ed1ab_1009"

expect_status 0 hpcenv repoquery whoneeds --platform linux-64 -c ./cf 'tzdata=2024a' --override-channels
assert_contains "$(rows)" "python 3.9.19 h0755675_0_cpython"
expect_status 0 hpcenv repoquery whoneeds --platform linux-64 -c ./cf 'wincertstore'
assert_eq "$out" "nothing in the channels needs 'wincertstore'"
expect_status 1 hpcenv repoquery whoneeds --platform linux-64 -c ./cf 'nothing'
assert_one_line "$errout"
