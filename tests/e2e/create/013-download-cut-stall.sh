# a body cut short keeps what arrived in pkgs/<fn>.part: the next run resumes it with a
# Range request (206) and installs; a stalled server hits remote_read_timeout_secs and the
# error names the package and its URL
source "$(dirname "${BASH_SOURCE[0]}")/http.bash"
export CONDA_REMOTE_MAX_RETRIES=0
fn=python-3.11.9-0_synth_stub.conda   # 1389 bytes: /truncate/ cuts it after about 1 kB
sha=$(jq -r --arg fn "$fn" '."packages.conda"[$fn].sha256' "$chan/linux-64/repodata.json")
printf '@EXPLICIT\n%s/truncate/conda-forge/linux-64/%s#sha256:%s\n' "$NGINX_URL" "$fn" "$sha" >cut.txt
expect_status 1 hpcenv create -y -n cut --file cut.txt
assert_one_line "$errout"
assert_contains "$errout" "package 'python-3.11.9-0_synth_stub': cannot download '$NGINX_URL/truncate/conda-forge/linux-64/$fn'"
[[ ! -e $HPCENV_ROOT_PREFIX/envs/cut ]] || die "a cut download left an environment"
part=$(stat -c %s "$PKGS/$fn.part")
((part > 0 && part < 1389)) || die "expected a partial download, got $part bytes"
expect_status 0 hpcenv create -y -n cut --file cut.txt
assert_contains "$(nginx_requests "^GET /truncate/conda-forge/linux-64/$fn")" " 206 "
cmp "$PKGS/$fn" "$chan/linux-64/$fn" || die "the resumed download differs"
assert_no_part

# a server that stops sending: the read timeout ends it
export CONDA_REMOTE_READ_TIMEOUT_SECS=1
http_explicit /stall 2 | grep -v python >stall.txt
expect_status 1 hpcenv create -y -n stalled --file stall.txt
assert_one_line "$errout"
assert_contains "$errout" "package 'synth-0000-"
assert_contains "$errout" "cannot download '$NGINX_URL/stall/conda-forge/linux-64/synth-0000-"
assert_contains "$errout" "too slow"
[[ ! -e $HPCENV_ROOT_PREFIX/envs/stalled ]] || die "a stalled download left an environment"
