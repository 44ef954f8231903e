# make-packages --malicious: every hostile package is refused with a clear error, its
# canaries never appear, the hardlink target is untouched, and no environment is left
"$HPCENV_SOURCE_DIR/../shared/tools/make-packages" --malicious "$T/mal" >/dev/null
printf 'original\n' >/tmp/conda-evil-hardlink-target
trap 'rm -f /tmp/conda-evil-hardlink-target; cleanup' EXIT # and the runner's cleanup
refused=0
while read -r file expect; do
	env=$T/envs/$(basename "$file")
	mkdir -p "$T/envs"
	printf '@EXPLICIT\n%s\n' "$T/mal/$file" >one.txt
	if [[ $file == noarch/* ]]; then # the noarch attack needs the benign python stub
		printf '@EXPLICIT\n%s\n%s\n' "$T/mal/linux-64/python-3.11.9-0_synth_stub.tar.bz2" \
			"$T/mal/$file" >one.txt
	fi
	run hpcenv create -y -p "$env" --file one.txt
	if [[ $expect == refuse ]]; then
		[[ $status == 1 ]] || die "$file: exit $status, expected a refusal
$errout"
		assert_contains "$errout" "$(basename "$file")"
		[[ ! -e $env ]] || die "$file: $env was left behind"
		refused=$((refused + 1))
	else
		[[ $status == 0 ]] || die "$file was refused: $errout"
	fi
	for c in $(jq -r --arg f "$file" '.packages[] | select(.file == $f) | .canaries_must_not_exist[]' \
		"$T/mal/MALICIOUS.json"); do
		c=${c/<prefix>/$env}
		[[ ! -e $c ]] || die "$file: canary $c exists"
	done
done < <(jq -r '.packages[] | "\(.file) \(.expect)"' "$T/mal/MALICIOUS.json")
[[ $refused -ge 26 ]] || die "only $refused refused"
assert_eq "$(cat /tmp/conda-evil-hardlink-target)" "original"
# the cache kept none of them
for d in "$HPCENV_ROOT_PREFIX"/pkgs/evil-*; do
	[[ -e $d ]] && die "hostile package $d left in the cache"
done
true
