# SPDX-License-Identifier: MIT
# common.bash - helpers for the search and repoquery e2e tests (sourced; not a test itself)

# make_cf DIR: the real conda-forge python=3.9 subset (linux-64 + noarch)
make_cf() {
	mkdir -p "$1/linux-64" "$1/noarch"
	cp "$SHARED_DATA/repodata/conda-forge-subset-py39-linux-64-2024.json" "$1/linux-64/repodata.json"
	cp "$SHARED_DATA/repodata/conda-forge-subset-py39-noarch-2024.json" "$1/noarch/repodata.json"
}

# make_pytorch DIR: the real pytorch channel (linux-64 only)
make_pytorch() {
	mkdir -p "$1/linux-64"
	cp "$SHARED_DATA/repodata/pytorch-linux-64-2023.json" "$1/linux-64/repodata.json"
}

# records FILE JQ-FILTER: "name version build" of a repodata's records selected by the
# filter (applied to each record), as the pool keeps them: a .conda hides the .tar.bz2
# of the same stem
records() {
	jq -r '(.["packages.conda"] // {}) as $c
		| [($c | to_entries[]), ((.packages // {}) | to_entries[]
			| select($c[(.key | sub("\\.tar\\.bz2$"; ".conda"))] == null))]
		| .[] | .value | select('"$2"') | "\(.name) \(.version) \(.build)"' "$1" | sort
}

# the table rows of `search` output as "name version build", sorted
rows() { printf '%s\n' "$out" | awk '!/^#/ && NF { print $1, $2, $3 }' | sort; }

# loopback only: a proxy from the caller's environment must not be used
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY all_proxy ALL_PROXY
