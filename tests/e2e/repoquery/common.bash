# SPDX-License-Identifier: MIT
# common.bash - helpers for the repoquery e2e tests (sourced; not a test itself)
source "$HPCENV_SOURCE_DIR/tests/e2e/search/common.bash"

# the table rows (after the header) as "name version build"
rows() { printf '%s\n' "$out" | awk '!/^#/ && NF { print $1, $2, $3 }'; }

# make_env PREFIX CHANNEL SPEC...: an environment whose conda-meta holds, for each spec,
# the newest matching record of the channel exactly as the repodata has it (with
# channel, url, fn and subdir), as conda writes conda-meta/<dist>.json
make_env() {
	local prefix=$1 chan=$2 spec r
	shift 2
	mkdir -p "$prefix/conda-meta"
	for spec in "$@"; do
		r=$("$HPCENV" search --json --platform linux-64 --override-channels -c "$chan" "$spec" |
			jq -c 'to_entries[0].value[0]')
		printf '%s\n' "$r" >"$prefix/conda-meta/$(jq -r '"\(.name)-\(.version)-\(.build)"' <<<"$r").json"
	done
}
