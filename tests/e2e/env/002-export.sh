# env export: environment.yml (conda's shape: name, channels, name=version=build, prefix),
# --from-history, --json, -f; and --explicit, whose list re-creates the same environment
# (from a pixi.lock install over the nginx channel: lock -> environment -> list -> environment)
source "$HPCENV_SOURCE_DIR/tests/e2e/create/http.bash"
make_locks
expect_status 0 hpcenv create -y -n orig --file pixi.lock
dists() { hpcenv list -n "$1" --json | jq -c 'map(.dist_name) | sort'; }

expect_status 0 hpcenv env export -n orig
yml=$out
y() { printf '%s\n' "$yml" | /usr/bin/python3 -c "import sys, yaml; d = yaml.safe_load(sys.stdin); print($1)"; }
assert_eq "$(y 'd["name"]')" orig
assert_eq "$(y 'd["prefix"]')" "$HPCENV_ROOT_PREFIX/envs/orig"
assert_eq "$(y 'd["channels"]')" "['$NGINX_URL/conda-forge']"
assert_eq "$(y '"\n".join(sorted(x.split("=")[0] for x in d["dependencies"]))')" \
	"$(hpcenv list -n orig --json | jq -r '.[].name' | sort)"
assert_eq "$(y '"\n".join(d["dependencies"])')" \
	"$(hpcenv list -n orig --json | jq -r '.[] | "\(.name)=\(.version)=\(.build_string)"' | sort)"
# the same as JSON, and into a file
expect_status 0 hpcenv env export -n orig --json
assert_eq "$(jqr '.dependencies | length' "$out")" "$(y 'len(d["dependencies"])')"
expect_status 0 hpcenv env export -n orig -f environment.yml -c extra-channel
assert_eq "$out" ""
assert_eq "$(/usr/bin/python3 -c 'import yaml; print(yaml.safe_load(open("environment.yml"))["channels"])')" \
	"['$NGINX_URL/conda-forge', 'extra-channel']"
# what was asked for: create wrote each locked package as name==version=build
expect_status 0 hpcenv env export -n orig --from-history --no-builds
assert_contains "$out" "- synth-0000==$(hpcenv list -n orig --json | jq -r '.[] | select(.name == "synth-0000") | .version')="

# the @EXPLICIT export re-creates the environment: same packages, same files
expect_status 0 hpcenv env export -n orig --explicit -f again.txt
assert_eq "$(grep -c '#sha256:' again.txt)" "$(hpcenv list -n orig --json | jq length)"
expect_status 0 hpcenv create -y -n copy --file again.txt
assert_eq "$(dists copy)" "$(dists orig)"
# every file and link, its content with the environment's own path (same length) masked
tree() {
	local d=$HPCENV_ROOT_PREFIX/envs/$1 f
	(cd "$d" && find . -path ./conda-meta -prune -o \( -type f -o -type l \) -print | sort) |
		while read -r f; do
			if [[ -L $d/$f ]]; then echo "$f -> $(readlink "$d/$f")"
			else echo "$f $(sed "s|$d|PREFIX|g" "$d/$f" | sha256sum)"; fi
		done
}
tree orig >orig.tree
tree copy >copy.tree
[[ $(wc -l <orig.tree) -gt 100 ]] || die "too few files to compare"
diff orig.tree copy.tree || die "the re-created environment differs"

expect_status 2 hpcenv env export -n orig --explicit --json
assert_contains "$out" "--explicit lists the exact packages"  # --json: the error is the document
expect_status 1 hpcenv env export -p "$T/nothing"
