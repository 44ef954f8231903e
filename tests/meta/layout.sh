#!/usr/bin/env bash
# layout.sh - the project's shape is a promise: every library file has its unit test,
# every command its docs page and its end-to-end tests.
set -u
top=${1:-.}
cd "$top" || exit 1
bad=0
for src in src/lib/*.c; do
	noun=$(basename "$src" .c)
	[[ -f tests/unit/${noun}_test.c ]] || { echo "missing tests/unit/${noun}_test.c for $src"; bad=1; }
done
for t in tests/unit/*_test.c; do
	noun=$(basename "$t" _test.c)
	[[ -f src/lib/$noun.c ]] || { echo "$t has no src/lib/$noun.c"; bad=1; }
done
# commands: every HPC_DEFINE_COMMAND names a docs page and an e2e directory
for f in src/cli/*.c; do
	grep -q HPC_DEFINE_COMMAND "$f" || continue
	cmd=$(basename "$f" .c)
	[[ -f docs/$cmd.md ]] || { echo "missing docs/$cmd.md for $f"; bad=1; }
	ls tests/e2e/"$cmd"/*.sh >/dev/null 2>&1 || { echo "missing tests/e2e/$cmd/ for $f"; bad=1; }
done
exit $bad
