# SPDX-License-Identifier: MIT
# http.bash - a make-packages channel served over HTTP for the download tests (sourced; not a
# test itself). The channel is served by the nginx fixture at $NGINX_URL/conda-forge/, the
# path the real conda-forge lists use, so lists differ from real ones only in the host:
#   http_explicit [PREFIX] [N]   @EXPLICIT list of its http URLs (#sha256), through a fault
#                                prefix such as /500 or /wrong, the first N packages only
source "$HPCENV_SOURCE_DIR/tests/fixtures/channel.sh"
chan=$(synth_channel 40 20 both)
mkdir -p "$T/www"
ln -s "$chan" "$T/www/conda-forge"
nginx_start "$T/www"
PKGS=$HPCENV_ROOT_PREFIX/pkgs
# fast retries; loopback only: a proxy from the caller's environment must not be used
export CONDA_REMOTE_BACKOFF_FACTOR=0.05
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY all_proxy ALL_PROXY

http_explicit() {
	local n=${2:-1000}
	synth_explicit "$chan" | sed "s|file://$chan|$NGINX_URL${1:-}/conda-forge|" |
		awk -v n="$n" '/^@EXPLICIT/ { print; k = 0; next } /^http/ { if (k++ >= n) next } { print }'
}

# no partial downloads anywhere in the cache
assert_no_part() {
	[[ -z $(find "$PKGS" -name '*.part' 2>/dev/null) ]] || die "partial downloads left: $(find "$PKGS" -name '*.part')"
}
