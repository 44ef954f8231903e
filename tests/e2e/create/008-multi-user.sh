# a group-shared package cache (setgid, umask 002) used by two users, and a read-only
# site cache before a per-user one (run as other users with setpriv; needs root)
if [[ $(id -u) != 0 ]] || ! command -v setpriv >/dev/null; then
	echo "skip: needs root and setpriv" >&2
	exit 0
fi
P=$SHARED_DATA/packages
printf '@EXPLICIT\n%s\n%s\n' "$P/zlib-1.2.11-h7b6447c_3.conda" "$P/mock-2.0.0-py37_1000.conda" >a.txt
printf '@EXPLICIT\n%s\n%s\n' "$P/zlib-1.2.11-h7b6447c_3.conda" "$P/_r-mutex-1.0.1-anacondar_1.tar.bz2" >b.txt
chmod 755 "$T"
chmod 644 a.txt b.txt
mkdir -p shared home-a home-b home-c
chown :4300 shared && chmod 2775 shared
chown 4242 home-a && chown 4243 home-b && chown 4244 home-c
as() { # as UID GID HOME CMD...: another user, group umask, our settings
	local uid=$1 gid=$2 home=$3
	shift 3
	setpriv --reuid "$uid" --regid "$gid" --clear-groups -- env HOME="$home" \
		HPCENV_PKGS_DIRS="$T/shared" bash -c 'umask 002; exec "$@"' _ "$@"
}
run as 4242 4300 "$T/home-a" "$HPCENV" create -y -p "$T/home-a/env" --file "$T/a.txt"
[[ $status == 0 ]] || die "user a: $errout"
run as 4243 4300 "$T/home-b" "$HPCENV" create -y -p "$T/home-b/env" --file "$T/b.txt"
[[ $status == 0 ]] || die "user b: $errout"
# b reused a's zlib (no second extraction), added r-mutex; nobody chmod'ed the other's files
assert_eq "$(stat -c %u shared/zlib-1.2.11-h7b6447c_3/info/index.json)" 4242
assert_eq "$(stat -c %u shared/_r-mutex-1.0.1-anacondar_1/info/index.json)" 4243
assert_eq "$(stat -c %g shared/_r-mutex-1.0.1-anacondar_1)" 4300
# a user outside the group: the shared cache is read-only to them (a site cache); what
# it has is used, the rest goes to their own cache second in pkgs_dirs
printf '@EXPLICIT\n%s\n%s\n' "$P/zlib-1.2.11-h7b6447c_3.conda" \
	"$P/conda-forge-repodata-patches-20180828-0.tar.bz2" >c.txt
chmod 644 c.txt
run setpriv --reuid 4244 --regid 4301 --clear-groups -- env HOME="$T/home-c" \
	HPCENV_PKGS_DIRS="$T/shared,$T/home-c/pkgs" "$HPCENV" create -y -p "$T/home-c/env" \
	--file "$T/c.txt"
[[ $status == 0 ]] || die "user c: $errout"
[[ -d home-c/pkgs/conda-forge-repodata-patches-20180828-0 ]] || die "not in the per-user cache"
[[ ! -e home-c/pkgs/zlib-1.2.11-h7b6447c_3 ]] || die "zlib extracted again instead of reused"
assert_contains "$(cat home-c/env/lib/pkgconfig/zlib.pc)" "$T/home-c/env"
