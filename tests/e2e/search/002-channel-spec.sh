# "channel::name" searches that channel, resolved like conda (channel_alias,
# custom_channels, default_channels), whatever -c says; "channel/subdir::name" that subdir
source "$(dirname "${BASH_SOURCE[0]}")/common.bash"
make_cf "$T/chans/conda-forge"
make_pytorch "$T/chans/pytorch"
mkdir -p "$T/elsewhere/torch/linux-64"
cp "$T/chans/pytorch/linux-64/repodata.json" "$T/elsewhere/torch/linux-64/"
cat >"$HOME/.condarc" <<RC
channel_alias: file://$T/chans
custom_channels:
  torch: file://$T/elsewhere
default_channels: [file://$T/chans/pytorch]
RC

expect_status 0 hpcenv search --platform linux-64 'conda-forge::python=3.9.19'
assert_eq "$(rows)" "$(records "$SHARED_DATA/repodata/conda-forge-subset-py39-linux-64-2024.json" \
	'.name == "python" and .version == "3.9.19"')"
assert_eq "$(printf '%s\n' "$out" | sed 1d | awk '{ print $4 }' | sort -u)" conda-forge

# the spec's channel wins over -c
expect_status 0 hpcenv search --json --platform linux-64 -c pytorch 'conda-forge::openssl=3.3'
assert_eq "$(jqr '[.openssl[].channel] | unique | join(" ")' "$out")" "file://$T/chans/conda-forge"
expect_status 0 hpcenv search --json --platform linux-64 -c conda-forge 'pytorch::pytorch[build=*cpu*]'
assert_eq "$(jqr '.pytorch | length' "$out")" 73

# a subdir in the channel part: that subdir only
expect_status 0 hpcenv search --platform linux-64 'conda-forge/noarch::pip>=24'
assert_eq "$(printf '%s\n' "$out" | sed 1d | awk '{ print $1, $5 }' | sort -u)" "pip noarch"
expect_status 1 hpcenv search --platform linux-64 'conda-forge/linux-64::pip>=24'
assert_contains "$errout" "no packages match 'conda-forge/linux-64::pip>=24' in channel conda-forge"

# a multichannel, a custom channel and a URL
expect_status 0 hpcenv search --json --platform linux-64 'defaults::pytorch=2.1.0[build=*cpu*]'
assert_eq "$(jqr '.pytorch | length' "$out")" 4
expect_status 0 hpcenv search --platform linux-64 'torch::pytorch=2.1.0=py3.9_cpu_0'
assert_eq "$(rows)" "pytorch 2.1.0 py3.9_cpu_0"
expect_status 0 hpcenv search --platform linux-64 "file://$T/elsewhere/torch::pytorch==2.1.0=py3.9_cpu_0"
assert_eq "$(rows)" "pytorch 2.1.0 py3.9_cpu_0"

# a channel that does not exist
expect_status 1 hpcenv search --platform linux-64 'nowhere::python'
assert_one_line "$errout"
assert_contains "$errout" "channel 'nowhere' not found"
