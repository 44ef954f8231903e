# SPDX-License-Identifier: MIT
# common.bash - helpers for the repodata e2e tests (sourced; not a test itself)

# make_channel DIR: the real conda-forge python=3.9 subset (linux-64 + noarch, no `info`)
make_channel() {
	mkdir -p "$1/linux-64" "$1/noarch"
	cp "$SHARED_DATA/repodata/conda-forge-subset-py39-linux-64-2024.json" "$1/linux-64/repodata.json"
	cp "$SHARED_DATA/repodata/conda-forge-subset-py39-noarch-2024.json" "$1/noarch/repodata.json"
}

# column N of the line for a subdir URL in `repodata fetch` output
col() { printf '%s\n' "$out" | awk -v u="$1" -v n="$2" '$1 == u { print $n }'; }

CACHE=$HPCENV_ROOT_PREFIX/pkgs/cache
# fast retries for the tests
export CONDA_REMOTE_BACKOFF_FACTOR=0.05
# loopback only: a proxy from the caller's environment must not be used
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY all_proxy ALL_PROXY
