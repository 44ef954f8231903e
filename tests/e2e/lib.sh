# SPDX-License-Identifier: MIT
# lib.sh - helpers for end-to-end tests (sourced by tests/e2e/run)
source "$HPCENV_SOURCE_DIR/tests/fixtures/nginx.sh"

hpcenv() { "$HPCENV" "$@"; }

die() { echo "FAIL: $*" >&2; exit 1; }

# run CMD...: capture stdout, stderr and status in $out, $errout, $status (never fails)
run() {
	local o e
	o=$(mktemp "$T/.out.XXXXXX") e=$(mktemp "$T/.err.XXXXXX")
	set +e
	"$@" >"$o" 2>"$e"
	status=$?
	set -e
	out=$(cat "$o") errout=$(cat "$e")
	rm -f "$o" "$e"
}

# expect_status N CMD...: run and check the exit status
expect_status() {
	local want=$1
	shift
	run "$@"
	[[ $status == "$want" ]] || die "'$*' exited $status, expected $want
stdout: $out
stderr: $errout"
}

assert_contains() { [[ $1 == *"$2"* ]] || die "expected to find '$2' in:
$1"; }
assert_not_contains() { [[ $1 != *"$2"* ]] || die "did not expect '$2' in:
$1"; }
assert_eq() { [[ $1 == "$2" ]] || die "expected '$2', got '$1'"; }
# one line of text: a real user sees one clear line for one error
assert_one_line() { [[ $(printf '%s\n' "$1" | grep -c .) == 1 ]] || die "expected one line, got:
$1"; }

# jqr FILTER JSON: jq -r, failing the test on invalid JSON or a failing filter
jqr() { printf '%s' "$2" | jq -r "$1" || die "jq '$1' failed on: $2"; }
