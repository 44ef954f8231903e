# config list --json merges an rc file, CONDA_* and HPCENV_* variables and flags
cat >"$T/site.yml" <<'YML'
channels: [conda-forge, bioconda]
channel_priority: strict
custom_channels:
  internal: file:///srv/conda
offline: false
remote_max_retries: 7
YML
export HPCENV_RC=$T/site.yml
export CONDA_CHANNELS=from-env
export HPCENV_OFFLINE=true
expect_status 0 hpcenv config list --json
assert_eq "$(jqr '.channels | join(",")' "$out")" "from-env,conda-forge,bioconda"
assert_eq "$(jqr '.offline' "$out")" "true"
assert_eq "$(jqr '.channel_priority' "$out")" "strict"
assert_eq "$(jqr '.remote_max_retries' "$out")" "7"
assert_eq "$(jqr '.custom_channels.internal' "$out")" "file:///srv/conda"
assert_eq "$(jqr '.root_prefix' "$out")" "$T/root"
assert_eq "$(jqr '.pkgs_dirs[0]' "$out")" "$T/root/pkgs"
# flags beat everything
expect_status 0 hpcenv --offline config get offline
assert_eq "$out" "true"
expect_status 0 hpcenv config get remote_max_retries --root-prefix "$T/other"
assert_eq "$out" "7"
expect_status 0 hpcenv config get pkgs_dirs --root-prefix "$T/other"
assert_contains "$out" "$T/other/pkgs"
# text form is YAML-like
expect_status 0 hpcenv config list
assert_contains "$out" "channels:
  - from-env
  - conda-forge"
