# SPDX-License-Identifier: MIT
# solve.bash - channels for the solver-driven commands (sourced; not a test itself):
# make-packages channel "a" (40 packages, both formats; the same as http.bash's) and a small
# one "b" (--seed 3: newer synth-0004, 4.10.5 against a's 3.4.1), both served by the nginx
# fixture at $A and $B. ch ARGS... runs hpcenv with -c $A --override-channels.
source "$HPCENV_SOURCE_DIR/tests/fixtures/channel.sh"
chan=$(synth_channel 40 20 both)
mkdir -p "$T/www"
ln -s "$chan" "$T/www/a"
"$MAKE_PACKAGES" --out "$T/www/b" --packages 6 --files 3 --format conda --seed 3 >/dev/null
nginx_start "$T/www"
A=$NGINX_URL/a B=$NGINX_URL/b
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY all_proxy ALL_PROXY
export CONDA_REMOTE_BACKOFF_FACTOR=0.05

# "name version" of an environment's packages, one a line, sorted
pkgs() { hpcenv list "$@" --json | jq -r '.[] | "\(.name) \(.version)"' | sort; }
# the names of a --json transaction's LINK or UNLINK records, sorted, comma-separated
names() { jqr "[.actions.$1[].name] | sort | join(\",\")" "$out"; }
