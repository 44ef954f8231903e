# user:password@ and /t/TOKEN/ are used to download but never shown
source "$(dirname "${BASH_SOURCE[0]}")/common.bash"
make_channel "$T/www/t/tk-0123-secret/ch"
nginx_start "$T/www"
host=${NGINX_URL#http://}
ch="http://alice:pa55word@$host/t/tk-0123-secret/ch"

expect_status 0 hpcenv repodata fetch --platform linux-64 -c "$ch" -v --json
assert_eq "$(jqr '.subdirs[0].url' "$out")" "http://$host/ch/linux-64"
assert_eq "$(jqr '.subdirs[0].records' "$out")" 2709
assert_contains "$(nginx_requests ' /t/tk-0123-secret/ch/noarch/repodata.json ')" " 200 "
all="$out$errout$(cat "$CACHE"/*.info.json)"
assert_not_contains "$all" "pa55word"
assert_not_contains "$all" "tk-0123-secret"

expect_status 0 hpcenv repodata fetch --platform linux-64 -c "$ch"
assert_not_contains "$out$errout" "pa55word"

# errors redact too
expect_status 1 hpcenv repodata fetch --platform linux-64 -c "http://alice:pa55word@$host/t/tk-0123-secret/nope"
assert_contains "$errout" "http://alice:***@$host/t/<TOKEN>/nope"
assert_not_contains "$errout" "pa55word"
assert_not_contains "$errout" "tk-0123-secret"
