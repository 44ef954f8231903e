# link scripts run for this machine's platform, never for another one (--platform or
# CONDA_SUBDIR): a cross-platform environment is only unpacked
mkdir -p pkg/info pkg/bin chan
cat >pkg/info/index.json <<'J'
{"name": "hello", "version": "1.0", "build": "0", "build_number": 0, "depends": [], "subdir": "noarch", "noarch": "generic"}
J
cat >pkg/info/paths.json <<'J'
{"paths": [{"_path": "bin/.hello-post-link.sh", "path_type": "hardlink"},
           {"_path": "share/hello.txt", "path_type": "hardlink"}], "paths_version": 1}
J
printf 'echo ran > "$PREFIX/post-link-ran"\necho "hello from post-link" >> "$PREFIX/.messages.txt"\n' \
	>pkg/bin/.hello-post-link.sh
mkdir -p pkg/share && echo hi >pkg/share/hello.txt
(cd pkg && tar -cjf "$T/chan/hello-1.0-0.tar.bz2" info bin share)
printf '@EXPLICIT\nfile://%s\n' "$T/chan/hello-1.0-0.tar.bz2" >l.txt

expect_status 0 hpcenv create -y -p "$T/native" --file l.txt
[[ -f $T/native/post-link-ran ]] || die "the post-link script did not run natively"
assert_contains "$out$errout" "hello from post-link"

expect_status 0 hpcenv create -y -p "$T/osx" --platform osx-64 --file l.txt
[[ -f $T/osx/share/hello.txt ]] || die "not installed for osx-64"
[[ ! -e $T/osx/post-link-ran ]] || die "a script ran for --platform osx-64"

CONDA_SUBDIR=osx-arm64 expect_status 0 hpcenv create -y -p "$T/arm" --file l.txt
[[ -f $T/arm/share/hello.txt ]] || die "not installed with CONDA_SUBDIR"
[[ ! -e $T/arm/post-link-ran ]] || die "a script ran with CONDA_SUBDIR=osx-arm64"
