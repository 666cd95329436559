#!/bin/sh
# ngx_http_cors_policy_module in the packaged nginx, checked with curl:
# preflights answered before authentication, CORS headers on every kind of
# response (content, nginx's error pages, proxied, cached), an upstream's own
# Access-Control-* replaced and its Vary merged, "off", inheritance between
# http, server and location, the log variables, nginx -t naming the bad
# policy's line, and a reload with a broken policy that keeps serving.
: "${top_srcdir:=.}"
. "$top_srcdir/tests/integration/servers-lib.sh"
. "$top_srcdir/tests/integration/nginx-lib.sh"
nginx_require test-nginx

A=https://app.example.com
cat >"$ngx_dir/api.policy" <<END
# a messaging app's API
allow-origin   $A
allow-methods  PATCH DELETE
allow-headers  Content-Type X-Client
max-age        600
END
printf 'allow-origin https://other.example.com\n' >"$ngx_dir/other.policy"
printf 'allow-origin https://outer.example.com\n' >"$ngx_dir/http.policy"
printf 'user:{PLAIN}secret\n' >"$ngx_dir/htpasswd"
# (static files: "return" would answer in the rewrite phase, before any
# access check)
for d in basic subrequest except acl up; do
    mkdir -p "$ngx_dir/html/$d"
    echo "$d" >"$ngx_dir/html/$d/x"
done

# PORT1: the API, server-level policy; PORT2: an upstream that sets its own
# CORS headers; PORT3: a server inheriting the http-level policy.
write_conf() {
    nginx_conf <<END
    log_format cors '\$request_method \$uri \$status \$cors_outcome "\$cors_reason"';
    root $ngx_dir/html;
    cors_policy http.policy;
    proxy_cache_path $ngx_dir/cache keys_zone=api:1m;
    server {
        listen 127.0.0.1:$PORT1;
        access_log $ngx_dir/cors.log cors;
        cors_policy api.policy;
        location / { return 200 "content\n"; }
        location /basic/ {
            auth_basic "api";
            auth_basic_user_file htpasswd;
        }
        location /subrequest/ { auth_request /auth; }
        location = /auth { internal; return 401; }
        location /except/ { limit_except GET { deny all; } }
        location /acl/ { deny all; }
        location /missing/ { }
        location /down/ { proxy_pass http://127.0.0.1:1; }
        location /up/ { proxy_pass http://127.0.0.1:$PORT2; }
        location /cached/ {
            proxy_pass http://127.0.0.1:$PORT2/up/;
            proxy_cache api;
            proxy_cache_valid 200 1m;
            add_header X-Cache \$upstream_cache_status always;
        }
        location /off/ { cors_policy off; return 200 "off\n"; }
        location /other/ { cors_policy other.policy; return 200 "other\n"; }
    }
    server {
        listen 127.0.0.1:$PORT2;
        cors_policy off;
        access_log $ngx_dir/upstream.log;
        location / {
            add_header Access-Control-Allow-Origin * always;
            add_header Access-Control-Allow-Credentials true always;
            add_header Vary Accept-Encoding always;
        }
    }
    server {
        listen 127.0.0.1:$PORT3;
        location / { return 200 "outer\n"; }
    }
END
}
nginx_start write_conf 3
api=http://127.0.0.1:$PORT1

preflight() { # PATH ORIGIN [curl args...]
    _path=$1 _origin=$2
    shift 2
    hcurl -X OPTIONS -H "Origin: $_origin" -H 'Access-Control-Request-Method: PATCH' "$@" "$api$_path"
}

# ------------------------------------------------------------- preflights
for p in /basic/x /subrequest/x /except/x /acl/x /; do
    preflight "$p" "$A" -H 'Access-Control-Request-Headers: content-type'
    expect_status 204 "accepted preflight to $p"
    expect_header Access-Control-Allow-Origin "$A" "accepted preflight to $p"
    expect_header Access-Control-Allow-Methods "PATCH, DELETE" "accepted preflight to $p"
    expect_header Access-Control-Max-Age 600 "accepted preflight to $p"
    expect_no_header WWW-Authenticate "accepted preflight to $p"
    [ -z "$(body)" ] || fail "accepted preflight to $p has a body"
done
preflight /basic/x https://evil.example.com
expect_status 403 "denied preflight"
expect_no_cors "denied preflight"
expect_no_header WWW-Authenticate "denied preflight"
[ -z "$(body)" ] || fail "denied preflight has a body"
# Several Origin lines are not an origin; several request-header lines are
# read together.
preflight /basic/x "$A" -H "Origin: $A"
expect_status 403 "preflight with two Origin lines"
expect_no_cors "preflight with two Origin lines"
preflight /basic/x "$A" -H 'Access-Control-Request-Headers: content-type' \
    -H 'Access-Control-Request-Headers: x-client'
expect_status 204 "preflight with two allowed request-header lines"
preflight /basic/x "$A" -H 'Access-Control-Request-Headers: content-type' \
    -H 'Access-Control-Request-Headers: x-secret'
expect_status 403 "preflight asking for an unlisted header on a second line"
# OPTIONS without Access-Control-Request-Method is not a preflight: it goes
# through authentication like any request.
hcurl -X OPTIONS -H "Origin: $A" "$api/basic/x"
expect_status 401 "OPTIONS that is not a preflight"
expect_header Access-Control-Allow-Origin "$A" "OPTIONS that is not a preflight"

# ---------------------------------------------------- every response kind
for case in "/ 200" "/basic/x 401" "/subrequest/x 401" "/acl/x 403" "/missing/x 404" \
            "/down/x 502" "/up/x 200"; do
    set -- $case
    hcurl -H "Origin: $A" "$api$1"
    expect_status "$2" "GET $1"
    expect_header Access-Control-Allow-Origin "$A" "GET $1"
    expect_no_header Access-Control-Max-Age "GET $1"
done
# The upstream's "*" and credentials are gone, its Vary kept and merged.
hcurl -H "Origin: $A" "$api/up/x"
expect_body_has up "proxied response"
expect_no_header Access-Control-Allow-Credentials "proxied response"
expect_header Vary "Accept-Encoding, Origin" "proxied response"
hcurl -H 'Origin: https://evil.example.com' "$api/up/x"
expect_status 200 "proxied response to a disallowed origin"
expect_no_cors "proxied response to a disallowed origin"
expect_header Vary "Accept-Encoding, Origin" "proxied response to a disallowed origin"
hcurl "$api/up/x"
expect_no_cors "proxied response without Origin"
# The site's own page posting to it sends its own origin: same-origin,
# never refused, no CORS header needed.
hcurl -X POST -H "Origin: $api" "$api/up/x"
expect_no_cors "a same-origin POST"
# A cached response gets the CORS headers of the request it answers.
hcurl -H "Origin: $A" "$api/cached/x"
expect_header X-Cache MISS "first request to a cached location"
expect_header Access-Control-Allow-Origin "$A" "first request to a cached location"
hcurl -H 'Origin: https://evil.example.com' "$api/cached/x"
expect_header X-Cache HIT "cached response to a disallowed origin"
expect_no_cors "cached response to a disallowed origin"
hcurl -H "Origin: $A" "$api/cached/x"
expect_header X-Cache HIT "cached response to the allowed origin"
expect_header Access-Control-Allow-Origin "$A" "cached response to the allowed origin"
expect_header Vary "Accept-Encoding, Origin" "cached response to the allowed origin"

# ------------------------------------------------------ off, inheritance
hcurl -H "Origin: $A" "$api/off/x"
expect_status 200 "cors_policy off"
expect_no_cors "cors_policy off"
expect_no_header Vary "cors_policy off"
hcurl -H "Origin: $A" "$api/other/x"
expect_no_cors "location policy that does not list the origin"
hcurl -H 'Origin: https://other.example.com' "$api/other/x"
expect_header Access-Control-Allow-Origin https://other.example.com "location-level policy"
hcurl -H 'Origin: https://outer.example.com' "http://127.0.0.1:$PORT3/"
expect_header Access-Control-Allow-Origin https://outer.example.com "http-level policy"
hcurl -H 'Origin: https://outer.example.com' "$api/"
expect_no_cors "server-level policy overriding the http-level one"

# ------------------------------------------------------------ variables
grep -q '^OPTIONS /basic/x 204 preflight-accepted "-"$' "$ngx_dir/cors.log" ||
    fail "no log line for the accepted preflight"
grep -q '^OPTIONS /basic/x 403 preflight-denied "origin https://evil.example.com is not allowed"$' \
    "$ngx_dir/cors.log" || fail "no log line with the reason of the denied preflight"
grep -q '^GET /up/x 200 actual-disallowed "origin https://evil.example.com is not allowed"$' \
    "$ngx_dir/cors.log" || fail "no log line for the disallowed actual request"
grep -q '^GET /off/x 200 - "-"$' "$ngx_dir/cors.log" || fail "no log line for the location with cors_policy off"
grep -q '^POST /up/x [0-9]* same-origin "-"$' "$ngx_dir/cors.log" || fail "no same-origin log line for the site's own POST"

# ------------------------------------------------- nginx -t, bad policies
cp "$ngx_dir/api.policy" "$ngx_dir/good.policy"
printf '# broken\nallow-origin https://app.example.com/path\nallow-credentials maybe\n' \
    >"$ngx_dir/api.policy"
nginx_test && fail "nginx -t accepted a broken policy"
cat "$tmp/nginx-t"
grep -q "\[emerg\] .*$ngx_dir/api.policy:2: .* \[origin-path\]" "$tmp/nginx-t" ||
    fail "nginx -t did not name line 2 of the policy and the diagnostic's id"
grep -q "\[emerg\] .*$ngx_dir/api.policy:3: " "$tmp/nginx-t" || fail "nginx -t did not name line 3 of the policy"
# A reload with it keeps the old configuration serving.
nginx_reload
grep -q "\[emerg\] .*$ngx_dir/api.policy:2: " "$ngx_dir/error.log" ||
    fail "the failed reload did not log the policy's line"
preflight /basic/x "$A"
expect_status 204 "preflight after a reload with a broken policy"
expect_header Access-Control-Allow-Origin "$A" "preflight after a reload with a broken policy"
# A good policy is taken by the next reload.
printf 'allow-origin https://new.example.com\nallow-methods PATCH\n' >"$ngx_dir/api.policy"
nginx_reload
_n=0
until preflight /basic/x https://new.example.com && [ "$(status)" = 204 ]; do
    _n=$((_n + 1))
    [ "$_n" -le 50 ] || fail "the reloaded policy was not applied"
    sleep 0.1
done

nginx_stop

# A policy file that is not there is named too.
nginx_conf <<END
    server { listen 127.0.0.1:$PORT1; location / { cors_policy missing.policy; } }
END
nginx_test && fail "nginx -t accepted a missing policy file"
grep -q "\[emerg\] .*$ngx_dir/missing.policy: " "$tmp/nginx-t" ||
    fail "nginx -t did not name the missing policy file"

rm -rf "$ngx_dir"
echo "test-nginx: all checks passed"
