# pytorch + conda-forge (local channels): the CPU builds of pytorch, exactly those of the
# repodata, newest first, with channel and subdir; --info and --json show every record
source "$(dirname "${BASH_SOURCE[0]}")/common.bash"
make_pytorch "$T/pytorch"
make_cf "$T/conda-forge"
pt=file://$T/pytorch

expect_status 0 hpcenv search --platform linux-64 -c ./pytorch -c ./conda-forge 'pytorch[build=*cpu*]'
want=$(records "$SHARED_DATA/repodata/pytorch-linux-64-2023.json" '.name == "pytorch" and (.build | test("cpu"))')
assert_eq "$(rows)" "$want"
assert_eq "$(printf '%s\n' "$want" | wc -l)" 73
# the header, then the newest: 2.1.0 for python 3.8 to 3.11, from the pytorch channel
assert_eq "$(printf '%s\n' "$out" | sed -n 1p | tr -s ' ')" "# Name Version Build Channel Subdir"
assert_eq "$(printf '%s\n' "$out" | sed -n 2p | tr -s ' ')" "pytorch 2.1.0 py3.11_cpu_0 $pt linux-64"
assert_eq "$(printf '%s\n' "$out" | sed -n 2,5p | awk '{ print $2 }' | sort -u)" "2.1.0"
assert_eq "$(printf '%s\n' "$out" | tail -n 1 | awk '{ print $2, $3 }')" "1.5.1 py3.7_cpu_0"
assert_eq "$(printf '%s\n' "$out" | sed 1d | awk '{ print $4, $5 }' | sort -u)" "$pt linux-64"

# --json: conda's shape, newest first, records with what an installer needs
expect_status 0 hpcenv search --json --platform linux-64 -c ./pytorch -c ./conda-forge 'pytorch[build=*cpu*]'
assert_eq "$(jqr 'keys | join(" ")' "$out")" pytorch
assert_eq "$(jqr '.pytorch | length' "$out")" 73
assert_eq "$(jqr '.pytorch[0] | "\(.version) \(.build) \(.channel) \(.subdir) \(.fn)"' "$out")" \
	"2.1.0 py3.11_cpu_0 $pt linux-64 pytorch-2.1.0-py3.11_cpu_0.tar.bz2"
assert_eq "$(jqr '.pytorch[0].url' "$out")" "$pt/linux-64/pytorch-2.1.0-py3.11_cpu_0.tar.bz2"
assert_eq "$(jqr '.pytorch[0].md5' "$out")" 475d6e681644efb7768d3904483e43e0
assert_eq "$(jqr '.pytorch[0].depends | index("pytorch-mutex 1.0 cpu") != null' "$out")" true

# several names: grouped by name, each newest first
expect_status 0 hpcenv search --json --platform linux-64 -c ./conda-forge 'lib*[version=">=13"]'
assert_eq "$(jqr 'keys | join(" ")' "$out")" "libcxx libcxxabi libgcc-ng libgomp libstdcxx-ng"
assert_eq "$(jqr '.libgomp[0].version' "$out")" "13.2.0"
expect_status 0 hpcenv search --platform linux-64 -c ./conda-forge 'openssl>=3.2'
assert_eq "$(rows)" "$(records "$SHARED_DATA/repodata/conda-forge-subset-py39-linux-64-2024.json" \
	'.name == "openssl" and (.version | test("^3\\.[23]"))')"
assert_eq "$(printf '%s\n' "$out" | sed -n 2p | awk '{ print $2, $3 }')" "3.3.0 hd590300_0"

# --info: the details of each record
expect_status 0 hpcenv search --info --platform linux-64 -c ./conda-forge 'openssl=3.3.0'
assert_contains "$out" "openssl 3.3.0 hd590300_0"
assert_contains "$out" "file name     : openssl-3.3.0-hd590300_0.conda"
# the subset's metadata.base_url (CEP-15) says where its packages are
assert_contains "$out" "url           : https://conda.anaconda.org/conda-forge/linux-64/openssl-3.3.0-hd590300_0.conda"
assert_contains "$out" "channel       : file://$T/conda-forge"
assert_contains "$out" "md5           : c0f3abb4a16477208bbd43a39bd56f18"
assert_contains "$out" "sha256        : fdbf05e4db88c592366c90bb82e446edbe33c6e49e5130d51c580b2629c0b5d5"
assert_contains "$out" "size          : 2.8 MB"
assert_contains "$out" "license       : Apache-2.0"
assert_contains "$out" "timestamp     : 2024-04-30 08:35:38 UTC"
assert_contains "$out" "constraints   :
  - pyopenssl >=22.1"
assert_contains "$out" "dependencies  :
  - ca-certificates
  - libgcc-ng >=12"

# noarch records are found with any platform
expect_status 0 hpcenv search --platform osx-arm64 -c ./conda-forge 'tzdata'
assert_eq "$(printf '%s\n' "$out" | sed 1d | awk '{ print $5 }' | sort -u)" noarch
