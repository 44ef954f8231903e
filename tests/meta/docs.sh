#!/usr/bin/env bash
# docs.sh - run the examples in docs/*.md so they cannot rot.
#
# Every line starting with "$ " inside a ```console block is run, in order, in one bash
# per file, in a sandbox (fresh HOME, root prefix and working directory). A line must
# exit 0, or the status given by a trailing "# exit N" comment.
set -u
top=$(realpath "$1") hpcenv=$(realpath "$2")
bindir=$(mktemp -d /tmp/hpcenv-docs-bin.XXXXXX)
ln -s "$hpcenv" "$bindir/hpcenv"
bad=0
for md in "$top"/docs/*.md; do
	sandbox=$(mktemp -d /tmp/hpcenv-docs.XXXXXX)
	script=$sandbox/.script.sh
	awk -v md="$(basename "$md")" '
		/^```console/ { inblock = 1; next }
		/^```/ { inblock = 0; next }
		inblock && /^\$ / {
			cmd = substr($0, 3); want = 0
			if (match(cmd, /# exit [0-9]+$/)) { want = substr(cmd, RSTART + 7) + 0; cmd = substr(cmd, 1, RSTART - 1) }
			gsub(/\047/, "\047\\\047\047", cmd)
			printf "check %d %d \047%s\047\n", NR, want, cmd
		}' "$md" >"$script.body"
	[[ -s $script.body ]] || { rm -rf "$sandbox"; continue; }
	cat >"$script" <<SCRIPT
check() {
	local line=\$1 want=\$2 cmd=\$3 got
	eval "\$cmd" >"$sandbox/.out" 2>&1
	got=\$?
	if [[ \$got != "\$want" ]]; then
		echo "$(basename "$md"):\$line: '\$cmd' exited \$got, expected \$want"
		sed 's/^/    /' "$sandbox/.out"
		bad=1
	fi
}
bad=0
SCRIPT
	cat "$script.body" >>"$script"
	echo 'exit $bad' >>"$script"
	(
		cd "$sandbox" || exit 1
		for v in $(env | sed -n 's/^\(\(CONDA\|HPCENV\|MAMBA\)_[A-Za-z0-9_]*\)=.*/\1/p'); do unset "$v"; done
		unset CONDARC CONDA_PREFIX XDG_CONFIG_HOME
		export HOME=$sandbox/home HPCENV_ROOT_PREFIX=$sandbox/root PATH=$bindir:$PATH
		export SHARED_DATA=${SHARED_DATA:-$top/../shared/data} HPCENV_SOURCE_DIR=$top
		mkdir -p "$HOME"
		bash "$script"
	) || bad=1
	rm -rf "$sandbox"
done
rm -rf "$bindir"
exit $bad
