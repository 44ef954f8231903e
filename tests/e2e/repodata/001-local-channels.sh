# file:// URLs and plain paths (relative and absolute) are read in place; the index
# makes the second run skip JSON parsing; real shared data loads with the right counts
source "$(dirname "${BASH_SOURCE[0]}")/common.bash"
make_channel "$T/my chan"
mkdir -p "$T/old/noarch"
cp "$SHARED_DATA/repodata/defaults-main-noarch-2018.json" "$T/old/noarch/repodata.json"
url="file://$T/my%20chan"

expect_status 0 hpcenv repodata fetch --platform linux-64 -c "./my chan" -c "$T/old"
assert_eq "$(col "$url/linux-64" 2)" local
assert_eq "$(col "$url/linux-64" 3)" parsed
assert_eq "$(col "$url/linux-64" 4)" 2709   # 2354 + 355 records, no stem in both
assert_eq "$(col "$url/noarch" 4)" 205
assert_eq "$(col "file://$T/old/noarch" 4)" 322 # 2018 noarch: no `noarch` keys at all
assert_eq "$(col "file://$T/old/linux-64" 2)" missing
assert_eq "$(col "$url/linux-64" 5)" "$T/my"    # the path is printed as it is
ls "$CACHE"/*.solv >/dev/null

expect_status 0 hpcenv repodata fetch --platform linux-64 -c "$url" -c "file://$T/old" --json
assert_eq "$(jqr '.subdirs | length' "$out")" 4
assert_eq "$(jqr '.subdirs[0].from_index' "$out")" true
assert_eq "$(jqr '.subdirs[0].source' "$out")" local
assert_eq "$(jqr '.subdirs[0].channel' "$out")" "$url"
assert_eq "$(jqr '.subdirs[0].cache_file' "$out")" "$T/my chan/linux-64/repodata.json"
assert_eq "$(jqr '[.subdirs[].records] | add' "$out")" $((2709 + 205 + 322))
assert_eq "$(jqr '.platform' "$out")" linux-64

# the channel changes: its index is rebuilt, the others are reused
cp "$SHARED_DATA/repodata/conda-forge-numpy-linux-64-2024.json" "$T/my chan/linux-64/repodata.json"
expect_status 0 hpcenv repodata fetch --platform linux-64 -c "$url" --json
assert_eq "$(jqr '.subdirs[0].from_index' "$out")" false
assert_eq "$(jqr '.subdirs[0].records' "$out")" 33 # libffi: .conda hides the .tar.bz2
assert_eq "$(jqr '.subdirs[1].from_index' "$out")" true

expect_status 2 hpcenv repodata fetch -c "$url" --platform linux-65
assert_contains "$errout" "unknown platform 'linux-65'"
