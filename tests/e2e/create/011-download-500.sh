# HTTP 500 from the package server: retried with backoff, then a clear error naming the
# package and its URL, and nothing made; 500-then-success (the gate) just works
source "$(dirname "${BASH_SOURCE[0]}")/http.bash"
export CONDA_REMOTE_MAX_RETRIES=2
http_explicit /500 3 >explicit.txt
expect_status 1 hpcenv create -y -n broken --file explicit.txt
assert_one_line "$errout"
assert_contains "$errout" "package 'python-3.11.9-0_synth_stub': cannot download '$NGINX_URL/500/conda-forge/linux-64/python-3.11.9-0_synth_stub.tar.bz2': HTTP 500 Internal Server Error (3 attempts)"
assert_contains "$errout" "(and more packages failed)"
assert_eq "$(nginx_requests '^GET /500/conda-forge/linux-64/python' | wc -l)" 3
[[ ! -e $HPCENV_ROOT_PREFIX/envs/broken ]] || die "a failed download left an environment"
[[ -z $(find "$PKGS" -name '*.conda' -o -name '*.tar.bz2' -o -name 'synth-*') ]] ||
	die "a failed download left packages in the cache"
assert_no_part

# the gate answers 500 until it opens: the create retries and succeeds
http_explicit /gate 3 >gate.txt
export CONDA_REMOTE_BACKOFF_FACTOR=1 CONDA_REMOTE_MAX_RETRIES=4
"$HPCENV" create -y -n gated --file gate.txt -v >"$T/out" 2>"$T/err" &
pid=$!
for _ in $(seq 300); do
	[[ -n $(nginx_requests '^GET /gate/.* 500') ]] && break
	sleep 0.05
done
nginx_gate_open
wait "$pid" || die "create failed after the gate opened: $(cat "$T/err")"
assert_contains "$(cat "$T/err")" "HTTP 500 Internal Server Error; retrying in"
assert_eq "$(jqr 'length' "$(hpcenv list -n gated --json)")" 3
