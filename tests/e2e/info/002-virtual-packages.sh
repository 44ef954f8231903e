# info lists the virtual packages a solve would see, with conda's overrides and platforms
glibc=$(getconf GNU_LIBC_VERSION | cut -d' ' -f2)
kernel=$(uname -r | grep -oE '^[0-9]+\.[0-9]+(\.[0-9]+)?(\.[0-9]+)?')

expect_status 0 hpcenv info
assert_contains "$out" "virtual packages : __archspec=1="
assert_contains "$out" "__glibc=$glibc=0"
assert_contains "$out" "__linux=$kernel=0"
assert_contains "$out" "__unix=0=0"
assert_not_contains "$out" "target platform"

expect_status 0 hpcenv info --json
assert_eq "$(jqr '.target_platform' "$out")" "linux-64"
assert_eq "$(jqr '[.virtual_packages[].name] | join(" ")' "$out")" \
	"__archspec __glibc __linux __unix"
assert_eq "$(jqr '.virtual_packages[] | select(.name == "__glibc") | .version' "$out")" "$glibc"
assert_eq "$(jqr '.virtual_packages[] | select(.name == "__unix") | .build' "$out")" "0"
# version 1, the CPU's archspec name as build (unit/archspec checks the name itself)
assert_eq "$(jqr '.virtual_packages[0].version' "$out")" "1"
[[ -n $(jqr '.virtual_packages[0].build' "$out") ]] || die "no archspec name"

# overrides: a version replaces the detected one, an empty value removes the package
expect_status 0 env CONDA_OVERRIDE_GLIBC=2.17 CONDA_OVERRIDE_CUDA=12.4 "$HPCENV" info
assert_contains "$out" "__glibc=2.17=0"
assert_contains "$out" "__cuda=12.4=0"
expect_status 0 env CONDA_OVERRIDE_GLIBC= CONDA_OVERRIDE_ARCHSPEC= CONDA_OVERRIDE_LINUX= \
	"$HPCENV" info --json
assert_eq "$(jqr '[.virtual_packages[] | "\(.name)=\(.version)=\(.build)"] | join(" ")' "$out")" \
	"__linux=0=0 __unix=0=0"
expect_status 0 env CONDA_OVERRIDE_ARCHSPEC=x86_64_v3 "$HPCENV" info
assert_contains "$out" "__archspec=1=x86_64_v3"

# other platforms: what conda would export there
expect_status 0 hpcenv info --platform osx-arm64
assert_contains "$out" "target platform : osx-arm64"
assert_contains "$out" "virtual packages : __archspec=1=arm64"
assert_contains "$out" "__osx=0=0"
assert_not_contains "$out" "__glibc"
expect_status 0 env CONDA_SUBDIR=win-64 CONDA_OVERRIDE_WIN=10.0.19045 "$HPCENV" info --json
assert_eq "$(jqr '.target_platform' "$out")" "win-64"
assert_eq "$(jqr '[.virtual_packages[] | "\(.name)=\(.version)=\(.build)"] | join(" ")' "$out")" \
	"__archspec=1=x86_64 __win=10.0.19045=0"

# bad input: one clear line, non-zero exit
expect_status 1 env "CONDA_OVERRIDE_GLIBC=2.x&" "$HPCENV" info
assert_one_line "$errout"
assert_contains "$errout" "CONDA_OVERRIDE_GLIBC='2.x&': invalid version"
expect_status 2 hpcenv info --platform linux
assert_contains "$errout" "invalid platform 'linux'"
