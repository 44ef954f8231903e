#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# nginx_helper.sh - the nginx fixture for C unit tests, which cannot source shell code.
#
#   nginx_helper.sh start DIR       the fixture (tests/fixtures/nginx.sh) on DIR; prints
#                                   "URL STATE"; nginx keeps running
#   nginx_helper.sh stop STATE DIR
#   nginx_helper.sh start-tls DIR   HTTPS + HTTP/2 on 127.0.0.1 with a fresh self-signed
#                                   certificate (STATE/cert.pem); prints "URL STATE"
#   nginx_helper.sh stop-tls STATE
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../fixtures/nginx.sh"

tls_conf() {
	local root=$1 port=$2 s=$3
	[[ $(id -u) == 0 ]] && echo "user root;"
	cat <<CONF
daemon on;
worker_processes 1;
pid $s/nginx.pid;
error_log $s/error.log warn;
events { worker_connections 64; }
http {
	log_format tls '\$request_method \$request_uri \$status \$server_protocol';
	access_log $s/access.log tls;
	client_body_temp_path $s/tmp/body;
	proxy_temp_path $s/tmp/proxy;
	fastcgi_temp_path $s/tmp/fastcgi;
	uwsgi_temp_path $s/tmp/uwsgi;
	scgi_temp_path $s/tmp/scgi;
	server {
		listen 127.0.0.1:$port ssl http2;
		ssl_certificate $s/cert.pem;
		ssl_certificate_key $s/key.pem;
		root $root;
	}
}
CONF
}

start_tls() {
	local dir state port tries=0
	dir=$(cd "$1" && pwd)
	state=$(mktemp -d /tmp/hpcenv-nginx-tls.XXXXXX)
	mkdir -p "$state/tmp"
	openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=127.0.0.1 \
		-addext subjectAltName=IP:127.0.0.1 -keyout "$state/key.pem" -out "$state/cert.pem" \
		2>/dev/null
	while :; do
		port=$((20000 + RANDOM % 40000))
		tls_conf "$dir" "$port" "$state" >"$state/nginx.conf"
		/usr/sbin/nginx -p "$state" -c "$state/nginx.conf" -e "$state/error.log" \
			2>"$state/start.err" && break
		grep -q 'Address already in use' "$state/start.err" && ((++tries < 20)) ||
			{ cat "$state/start.err" >&2; exit 1; }
	done
	for _ in $(seq 50); do
		curl -sk -o /dev/null "https://127.0.0.1:$port/" && break
		sleep 0.1
	done
	echo "https://127.0.0.1:$port $state"
}

case $1 in
start)
	nginx_start "$2" >&2
	trap - EXIT
	echo "$NGINX_URL $NGINX_STATE"
	;;
stop)
	NGINX_STATE=$2 NGINX_DIR=$3 nginx_stop
	;;
start-tls)
	start_tls "$2"
	;;
stop-tls)
	kill -QUIT "$(cat "$2/nginx.pid")" 2>/dev/null || true
	for _ in $(seq 50); do
		[[ -f $2/nginx.pid ]] || break
		sleep 0.1
	done
	rm -rf "$2"
	;;
esac
