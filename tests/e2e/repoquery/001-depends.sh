# depends on the conda-forge subset: python=3.9 resolves each requirement to the best
# record (openssl, ncurses, the pip conda adds); --recursive and --tree follow them all
source "$(dirname "${BASH_SOURCE[0]}")/common.bash"
make_cf "$T/cf"
cf=file://$T/cf
py='.name == "python" and .version == "3.9.19" and .build == "h0755675_0_cpython"'

expect_status 0 hpcenv repoquery depends --platform linux-64 -c ./cf python=3.9
# one line per requirement of python 3.9.19 (pip added, as conda does), and python itself
want=$( (jq -r "[.packages, .[\"packages.conda\"]] | add | .[] | select($py) | .depends[]" \
	"$T/cf/linux-64/repodata.json" | awk '{ print $1 }'; echo pip; echo python) | sort -u)
assert_eq "$(rows | awk '{ print $1 }' | sort)" "$want"
assert_contains "$(rows)" "openssl 3.3.0 hd590300_0"
assert_contains "$(rows)" "ncurses 6.5 h59595ed_0"
assert_contains "$(rows)" "pip 24.0 pyhd8ed1ab_0"
assert_contains "$out" "python            3.9.19   h0755675_0_cpython  $cf  linux-64  (requested)"
assert_contains "$out" "openssl           3.3.0    hd590300_0          $cf  linux-64  openssl >=3.2.1,<4.0a0"
assert_not_contains "$out" "ca-certificates"

# --recursive: openssl's ca-certificates and the gcc runtime's mutexes too
expect_status 0 hpcenv repoquery depends --recursive --platform linux-64 -c ./cf python=3.9
for n in ca-certificates _libgcc_mutex _openmp_mutex libgomp setuptools wheel; do
	assert_contains "$(rows | awk '{ print $1 }')" "$n"
done
assert_eq "$(rows | awk '{ print $1 }' | sort | uniq -d)" ""

# --tree: python at the top, each package expanded once, pip's python is the root (a cycle)
expect_status 0 hpcenv repoquery depends --tree --platform linux-64 -c ./cf python=3.9
assert_eq "$(printf '%s\n' "$out" | head -n 4)" "python 3.9.19 h0755675_0_cpython
├─ bzip2 1.0.8 hd590300_5
│  └─ libgcc-ng 13.2.0 h77fa898_7
│     ├─ _libgcc_mutex 0.1 conda_forge"
assert_contains "$out" "├─ libgcc-ng 13.2.0 h77fa898_7 (already shown)"
assert_contains "$out" "├─ pip 24.0 pyhd8ed1ab_0
│  ├─ python 3.9.19 h0755675_0_cpython (cycle)"
assert_eq "$(printf '%s\n' "$out" | tail -n 2)" "└─ xz 5.2.6 h166bdaf_0
   └─ libgcc-ng 13.2.0 h77fa898_7 (already shown)"
assert_eq "$(printf '%s\n' "$out" | grep -v 'already shown\|cycle' | sed 's/^[│├└─ ]*//' | sort | uniq -d)" ""

# --json: micromamba's shape plus the tree
expect_status 0 hpcenv repoquery depends --tree --json --platform linux-64 -c ./cf python=3.9
assert_eq "$(jqr '.query | "\(.type) \(.query)"' "$out")" "depends python=3.9"
assert_eq "$(jqr '.result.graph_roots[0] | "\(.version) \(.build) \(.channel)"' "$out")" \
	"3.9.19 h0755675_0_cpython $cf"
assert_eq "$(jqr '.result.tree[0].children[] | select(.name == "pip") | .children[]
	| select(.name == "python") | .mark' "$out")" cycle
assert_eq "$(jqr '.result.tree[0].children[] | select(.name == "openssl") | .dependency' "$out")" \
	"openssl >=3.2.1,<4.0a0"
assert_eq "$(jqr '[.result.pkgs[].name] | length == (unique | length)' "$out")" true

# no match, bad spec
expect_status 1 hpcenv repoquery depends --platform linux-64 -c ./cf 'python=2.8'
assert_one_line "$errout"
assert_contains "$errout" "no packages match 'python=2.8' in channel $cf (linux-64 and noarch)"
expect_status 1 hpcenv repoquery depends -c ./cf 'python>=>3'
assert_contains "$errout" "invalid spec 'python>=>3'"
expect_status 2 hpcenv repoquery depends -c ./cf
expect_status 2 hpcenv repoquery nothing python
assert_contains "$errout" "unknown command 'repoquery nothing'"
