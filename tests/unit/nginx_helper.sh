#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# nginx_helper.sh - the nginx fixture for C unit tests, which cannot source shell code.
#
#   nginx_helper.sh start DIR    prints "URL STATE" on one line; nginx keeps running
#   nginx_helper.sh stop STATE DIR
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../fixtures/nginx.sh"
case $1 in
start)
	nginx_start "$2" >&2
	trap - EXIT
	echo "$NGINX_URL $NGINX_STATE"
	;;
stop)
	NGINX_STATE=$2 NGINX_DIR=$3 nginx_stop
	;;
esac
