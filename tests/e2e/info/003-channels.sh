# info lists the subdir URLs a solve would fetch for the target platform: the -c
# channels, then the configured ones, names resolved, credentials left out
cat >"$HOME/.condarc" <<'RC'
channels: [conda-forge, defaults]
channel_alias: https://mirror.example/conda
custom_channels: {bio: 'https://bio.example/x'}
RC

expect_status 0 hpcenv info
assert_contains "$out" "channels : conda-forge"
assert_contains "$out" "channel URLs : https://mirror.example/conda/conda-forge/linux-64
                     : https://mirror.example/conda/conda-forge/noarch
                     : https://repo.anaconda.com/pkgs/main/linux-64
                     : https://repo.anaconda.com/pkgs/main/noarch
                     : https://repo.anaconda.com/pkgs/r/linux-64
                     : https://repo.anaconda.com/pkgs/r/noarch"

expect_status 0 hpcenv info --json --platform osx-arm64 -c bio -c 'https://u:secret@h.example/t/tk-1/c/linux-aarch64'
assert_eq "$(jqr '.channel_urls | join(" ")' "$out")" \
	"https://bio.example/x/bio/osx-arm64 https://bio.example/x/bio/noarch https://h.example/c/linux-aarch64 https://h.example/c/noarch https://mirror.example/conda/conda-forge/osx-arm64 https://mirror.example/conda/conda-forge/noarch https://repo.anaconda.com/pkgs/main/osx-arm64 https://repo.anaconda.com/pkgs/main/noarch https://repo.anaconda.com/pkgs/r/osx-arm64 https://repo.anaconda.com/pkgs/r/noarch"
assert_not_contains "$out" secret
assert_eq "$(jqr '.channels | join(" ")' "$out")" "conda-forge defaults"

expect_status 0 hpcenv info --json --override-channels -c ./here
assert_eq "$(jqr '.channel_urls | join(" ")' "$out")" "file://$T/here/linux-64 file://$T/here/noarch"

# no channel at all is not an error for info; a bad one is a warning
rm "$HOME/.condarc"
expect_status 0 hpcenv info
assert_contains "$out" "channel URLs : (none)"
assert_eq "$errout" ""
expect_status 0 hpcenv info -c ''
assert_contains "$errout" "warning: invalid channel ''"
