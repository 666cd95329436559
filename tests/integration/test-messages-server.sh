#!/bin/sh
# examples/messages-server over real sockets: the messaging app's preflight, the
# CORS answers and how they are written (SET never duplicates, MERGE joins
# Vary), preflights before authentication, the messages API, clean 4xx for
# bad requests, bounded connections and timeouts, and a clean exit.
: "${top_srcdir:=.}"
. "$top_srcdir/tests/integration/servers-lib.sh"

server="$top_builddir/examples/servers/messages-server$EXEEXT"
[ -x "$server" ] || fail "$server was not built"

# ---------------------------------------------------------- policy checks
# A policy with "*" and credentials cannot be built, so the server refuses
# to start (and says why) rather than serve something else.
printf 'allow-origin *\nallow-credentials on\n' >"$tmp/star-creds.policy"
"$server" --port 0 --policy "$tmp/star-creds.policy" >"$tmp/sc.out" 2>"$tmp/sc.err"
rc=$?
[ "$rc" -eq 2 ] || fail "a '*' policy with credentials started (status $rc)"
grep -q 'star-creds.policy:[0-9]*: error: .*credentials' "$tmp/sc.err" ||
    fail "no diagnostic naming credentials: $(cat "$tmp/sc.err")"
grep -q listening "$tmp/sc.out" && fail "it listened anyway"
"$server" --port 0 --policy "$tmp/missing.policy" >/dev/null 2>&1 && fail "missing policy file accepted"
"$server" --port 70000 >/dev/null 2>&1 && fail "--port 70000 accepted"
"$server" --bogus x >/dev/null 2>&1 && fail "unknown option accepted"

# ------------------------------------------------------------ a messaging app
# A messaging app's server: any host may GET, PUT, POST and DELETE with
# Content-Type and Accept, answered 200.
cat >"$tmp/seed.policy" <<'EOF'
allow-origin   *
allow-methods  GET, PUT, POST, DELETE
allow-headers  Content-Type, Accept
preflight-status 200
EOF
start_server seed "$server" --port 0 --policy "$tmp/seed.policy" --log "$tmp/seed.log"
printf 'OPTIONS /messages/ HTTP/1.1\r\nHost: api.example\r\nAccept: */*\r\nOrigin: http://client.example\r\nAccess-Control-Request-Method: POST\r\nAccess-Control-Request-Headers: accept, content-type\r\n\r\n' |
    request "$PORT"
expect_status 200 "seed preflight"
expect_header Access-Control-Allow-Origin '*' "seed preflight"
expect_header Access-Control-Allow-Methods 'GET, PUT, POST, DELETE' "seed preflight"
expect_header Access-Control-Allow-Headers 'content-type, accept' "seed preflight"
expect_header Content-Length 0 "seed preflight (no body)"
[ -z "$(body)" ] || fail "seed preflight has a body"
grep -q '^req=1 method=OPTIONS path=/messages/ origin=http://client.example acrm=POST acrh=accept,\\x20content-type cookie=none status=200 cors=preflight-accepted$' "$tmp/seed.log" ||
    fail "seed preflight not logged as expected: $(cat "$tmp/seed.log")"
stop_server seed

# ------------------------------------------------------- the main policy
cat >"$tmp/api.policy" <<'EOF'
# the page origin of the tests
allow-origin      http://127.0.0.1:4000 https://*.example.com
allow-methods     PATCH DELETE
allow-headers     Content-Type
expose-headers    X-Message-Id
allow-credentials on
max-age           600
EOF
start_server api "$server" --port 0 --policy "$tmp/api.policy" --log "$tmp/api.log" --timeout 2
api=$PORT
O='Origin: http://127.0.0.1:4000'

preflight() { # ORIGIN METHOD [HEADERS...]
    _o=$1 _m=$2
    shift 2
    {
        printf 'OPTIONS /messages/ HTTP/1.1\r\nHost: localhost\r\nOrigin: %s\r\nAccess-Control-Request-Method: %s\r\n' "$_o" "$_m"
        for _h in "$@"; do printf 'Access-Control-Request-Headers: %s\r\n' "$_h"; done
        printf '\r\n'
    } | request "$api"
}

preflight http://127.0.0.1:4000 POST content-type
expect_status 204 "allowed preflight"
expect_header Access-Control-Allow-Origin http://127.0.0.1:4000 "allowed preflight"
expect_header Access-Control-Allow-Credentials true "allowed preflight"
expect_header Access-Control-Allow-Methods 'PATCH, DELETE' "allowed preflight"
expect_header Access-Control-Allow-Headers content-type "allowed preflight"
expect_header Access-Control-Max-Age 600 "allowed preflight"
expect_header Vary 'Origin, Access-Control-Request-Method, Access-Control-Request-Headers' "allowed preflight"
expect_no_header Content-Length "204 preflight"
expect_no_header Set-Cookie "preflight"
[ -z "$(body)" ] || fail "preflight has a body"

preflight https://app.example.com PATCH 'X-Requested-With'
expect_status 403 "header not allowed"
expect_no_cors "header not allowed"
preflight https://app.example.com PATCH Content-Type
expect_status 204 "subdomain pattern, PATCH"
# Several Access-Control-Request-Headers lines are one list.
preflight https://a.b.example.com DELETE 'content-type' ' Content-Type '
expect_status 204 "two header lines"
for bad in https://example.com https://evilexample.com https://app.example.com.evil.net \
    http://127.0.0.1:4001 'http://127.0.0.1:4000/' null; do
    preflight "$bad" POST content-type
    expect_status 403 "preflight from $bad"
    expect_no_cors "preflight from $bad"
    expect_header Vary 'Origin, Access-Control-Request-Method, Access-Control-Request-Headers' "denied preflight"
done
# Methods are case-sensitive (Fetch): "patch" is not "PATCH".
preflight http://127.0.0.1:4000 patch content-type
expect_status 403 "preflight for patch"
expect_no_cors "preflight for patch"
grep -q 'acrm=patch .*status=403 cors=preflight-denied reason=method\\x20patch\\x20is\\x20not\\x20allowed' "$tmp/api.log" ||
    fail "denied 'patch' preflight not logged with its reason"

post() { # JSON [extra header lines...]: POST /messages/ from the page origin
    _json=$1
    shift
    {
        printf 'POST /messages/ HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: %d\r\n' "${#_json}"
        for _h in "$@"; do printf '%s\r\n' "$_h"; done
        printf '\r\n%s' "$_json"
    } | request "$api"
}

post '{"text":"first"}' "$O"
expect_status 201 "allowed POST"
expect_header Access-Control-Allow-Origin http://127.0.0.1:4000 "allowed POST"
expect_header Access-Control-Allow-Credentials true "allowed POST"
expect_header Access-Control-Expose-Headers x-message-id "allowed POST"
expect_header Vary 'Cookie, Origin' "allowed POST: the server's Vary merged with libcors'"
expect_header X-Message-Id 1 "allowed POST"
expect_header Location /messages/1 "allowed POST"
expect_body_has '"message":{"text":"first"}' "allowed POST"
expect_body_has '"origin":"http://127.0.0.1:4000"' "allowed POST"

# A disallowed origin is not told anything and changes nothing, even with
# a request a browser sends without a preflight.
post '{"text":"evil"}' 'Origin: https://evil.example'
expect_status 403 "POST from a disallowed origin"
expect_no_cors "POST from a disallowed origin"
expect_header Vary 'Origin' "POST from a disallowed origin"
printf 'POST /messages/ HTTP/1.1\r\nHost: x\r\nOrigin: https://evil.example\r\nContent-Type: text/plain\r\nContent-Length: 4\r\n\r\nevil' |
    request "$api"
expect_status 403 "simple POST from a disallowed origin"

printf 'GET /messages/ HTTP/1.1\r\nHost: x\r\nOrigin: https://evil.example\r\n\r\n' | request "$api"
expect_status 200 "GET from a disallowed origin"
expect_no_cors "GET from a disallowed origin"
expect_body_lacks evil "store after disallowed POSTs"
printf 'GET /messages/ HTTP/1.1\r\nHost: x\r\n\r\n' | request "$api"
expect_status 200 "GET without Origin"
expect_no_cors "GET without Origin"
expect_header Vary 'Cookie, Origin' "GET without Origin still varies on Origin"
expect_body_has '{"messages":[{"id":1,"author":"anonymous","origin":"http://127.0.0.1:4000","message":{"text":"first"}}]}' "list"
printf 'HEAD /messages/ HTTP/1.1\r\nHost: x\r\n\r\n' | request "$api"
expect_status 200 "HEAD"
[ -z "$(body)" ] || fail "HEAD has a body"
[ "$(header Content-Length)" -gt 50 ] || fail "HEAD lacks the GET's Content-Length"

# PATCH, GET and DELETE of one message.
printf 'PATCH /messages/1 HTTP/1.1\r\nHost: x\r\n%s\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: 19\r\n\r\n{"text":"patched"}\n' "$O" |
    request "$api"
expect_status 200 "PATCH"
expect_body_has '"message":{"text":"patched"}' "PATCH"
printf 'GET /messages/1 HTTP/1.1\r\nHost: x\r\n\r\n' | request "$api"
expect_body_has '"patched"' "GET one"
printf 'DELETE /messages/1 HTTP/1.1\r\nHost: x\r\n%s\r\n\r\n' "$O" | request "$api"
expect_status 204 "DELETE"
expect_header Access-Control-Allow-Origin http://127.0.0.1:4000 "DELETE"
printf 'GET /messages/1 HTTP/1.1\r\nHost: x\r\n\r\n' | request "$api"
expect_status 404 "deleted message"

# Sessions: the cookie names the author.
printf 'POST /login HTTP/1.1\r\nHost: x\r\n%s\r\nContent-Length: 0\r\n\r\n' "$O" | request "$api"
expect_status 200 "login"
cookie=$(header Set-Cookie | sed -n 's/^\(session=[0-9a-f]*\);.*SameSite=None; Secure$/\1/p')
[ -n "$cookie" ] || fail "login set no session cookie"
post '{"text":"mine"}' "$O" "Cookie: theme=dark; $cookie"
expect_status 201 "POST with a session"
expect_body_has '"author":"user-1"' "POST with a session"
post '{"text":"forged"}' "$O" "Cookie: session=0123456789abcdef0123456789abcdef"
expect_body_has '"author":"anonymous"' "POST with an unknown session"
# A preflight is answered before cookies are even looked at.
printf 'OPTIONS /messages/ HTTP/1.1\r\nHost: x\r\n%s\r\nAccess-Control-Request-Method: DELETE\r\n%s\r\n\r\n' "$O" "Cookie: $cookie" |
    request "$api"
expect_status 204 "preflight with a cookie"
grep -q 'method=OPTIONS .* acrm=DELETE .*cookie=unchecked status=204' "$tmp/api.log" ||
    fail "preflight cookie not logged as unchecked"
grep -q 'method=POST .*cookie=valid status=201' "$tmp/api.log" || fail "valid cookie not logged"
grep -q 'method=POST .*cookie=invalid status=201' "$tmp/api.log" || fail "invalid cookie not logged"

# ------------------------------------------------------------ bad requests
bad() { # STATUS WHAT: the request on stdin gets that status, cleanly
    request "$api"
    expect_status "$1" "$2"
    grep -q '^Connection: close$' "$tmp/resp" || fail "$2: no Connection: close"
}
printf 'GARBAGE\r\n\r\n' | bad 400 "no target"
printf 'GET / HTTP/1.1\nHost: x\n\n' | bad 400 "bare LF"
printf 'GET / HTTP/1.1\r\nHost: x\r\nX-A: 1\r\n folded\r\n\r\n' | bad 400 "obsolete folding"
printf 'GET / HTTP/1.1\r\nHost : x\r\n\r\n' | bad 400 "space before colon"
printf 'GET / HTTP/1.1\r\n\r\n' | bad 400 "no Host"
printf 'GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n' | bad 400 "two Hosts"
printf 'GET / HTTP/1.1\r\nHost: x\r\nX-A: a\001b\r\n\r\n' | bad 400 "control byte in a value"
printf 'GET http://x/ HTTP/1.1\r\nHost: x\r\n\r\n' | bad 400 "absolute-form"
printf 'GET / HTTP/2.0\r\nHost: x\r\n\r\n' | bad 505 "HTTP/2.0"
printf 'GET / HTTP/1.1\r\nHost: x\r\nExpect: magic\r\n\r\n' | bad 417 "Expect"
printf 'POST /messages/ HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}' | bad 400 "conflicting Content-Length"
printf 'POST /messages/ HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n' | bad 400 "negative Content-Length"
printf 'POST /messages/ HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n' | bad 411 "chunked"
printf 'POST /messages/ HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Length: 2\r\n\r\n{}' | bad 400 "TE and CL"
printf 'POST /messages/ HTTP/1.1\r\nHost: x\r\nContent-Length: 9999999\r\n\r\n' | bad 413 "huge body"
printf 'POST /messages/ HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999999999999\r\n\r\n' | bad 413 "overflowing Content-Length"
{ printf 'GET /'; head -c 9000 /dev/zero | tr '\0' a; printf ' HTTP/1.1\r\nHost: x\r\n\r\n'; } | bad 414 "long target"
{ printf 'GET / HTTP/1.1\r\nHost: x\r\n'; i=0; while [ $i -lt 40 ]; do printf 'X-Pad-%d: %0500d\r\n' $i 0; i=$((i + 1)); done; printf '\r\n'; } |
    bad 431 "huge header section"
{ printf 'GET / HTTP/1.1\r\nHost: x\r\n'; i=0; while [ $i -lt 70 ]; do printf 'X-%d: 1\r\n' $i; i=$((i + 1)); done; printf '\r\n'; } |
    bad 431 "too many fields"
printf 'GET / HTTP/1.1\r\nHost: x\r\nOrigin: http://127.0.0.1:4000\r\nOrigin: https://evil.example\r\n\r\n' | bad 400 "two Origins"
printf 'OPTIONS / HTTP/1.1\r\nHost: x\r\n%s\r\nAccess-Control-Request-Method: PUT\r\nAccess-Control-Request-Method: POST\r\n\r\n' "$O" |
    bad 400 "two request methods"
printf 'POST /messages/ HTTP/1.1\r\nHost: x\r\n%s\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\n{}' "$O" | bad 415 "text/plain"
printf 'POST /messages/ HTTP/1.1\r\nHost: x\r\n%s\r\nContent-Type: application/json\r\nContent-Length: 9\r\n\r\n{"a":01} ' "$O" | bad 400 "bad JSON"
printf 'POST /messages/ HTTP/1.1\r\nHost: x\r\n%s\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n[]' "$O" | bad 400 "not an object"
printf 'POST /messages/ HTTP/1.1\r\nHost: x\r\n%s\r\nContent-Type: application/json\r\nContent-Length: 9\r\n\r\n{"a":"\377"}' "$O" | bad 400 "not UTF-8"
# Valid JSON, but nested deeper than the parser's bound.
deep=$(i=0; while [ $i -lt 100 ]; do printf '['; i=$((i + 1)); done; while [ $i -gt 0 ]; do printf ']'; i=$((i - 1)); done)
printf 'POST /messages/ HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n{"a":%s}' $((6 + ${#deep})) "$deep" | bad 400 "deep nesting"
shallow='{"a":[[[{"b":[1,-2.5e+3,true,false,null,"\u00e9\n"]}]]]}'
post "$shallow" "$O"
expect_status 201 "nested JSON within bounds"
printf 'PUT /messages/ HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n' | bad 405 "PUT on the collection"
expect_header Allow 'GET, HEAD, POST, OPTIONS' "405"
printf 'GET /nothing HTTP/1.1\r\nHost: x\r\n\r\n' | bad 404 "unknown path"
printf 'GET /messages/12x HTTP/1.1\r\nHost: x\r\n\r\n' | bad 404 "bad id"
printf 'OPTIONS /messages/ HTTP/1.1\r\nHost: x\r\n\r\n' | request "$api"
expect_status 204 "OPTIONS that is not a preflight"
expect_header Allow 'GET, HEAD, POST, PATCH, DELETE, OPTIONS' "plain OPTIONS"
grep -q '^req=[0-9]* bad status=414 error=request\\x20line\\x20too\\x20long$' "$tmp/api.log" ||
    fail "bad requests not logged"

# ------------------------------------------------- connections, timeouts
# A client that never finishes its request gets 408 after --timeout (2 s)
# and, meanwhile, does not hold anyone else up.
printf 'GET / HTTP/1.1\r\nHost: x\r\n' >"$tmp/partial"
"$top_builddir/tests/integration/rawhttp$EXEEXT" -d 3000 "$api" <"$tmp/partial" >"$tmp/slow.resp" &
slow=$!
pids="$pids $slow"
sleep 0.3
printf 'GET /messages/ HTTP/1.1\r\nHost: x\r\n\r\n' | request "$api"
expect_status 200 "served while a slow client waits"
wait "$slow" || fail "the slow client got no answer"
head -n 1 "$tmp/slow.resp" | grep -q '^HTTP/1.1 408 ' || fail "slow client: $(head -n 1 "$tmp/slow.resp")"

# More connections than the server's 64 slots: the excess gets 503 at
# once, the rest 408, and the server goes on.
i=0
many=
while [ $i -lt 72 ]; do
    "$top_builddir/tests/integration/rawhttp$EXEEXT" "$api" <"$tmp/partial" >"$tmp/many.$i" 2>/dev/null &
    many="$many $!"
    i=$((i + 1))
done
pids="$pids $many"
for p in $many; do
    wait "$p"
done
n503=$(cat "$tmp"/many.* | grep -c '^HTTP/1.1 503 ')
n408=$(cat "$tmp"/many.* | grep -c '^HTTP/1.1 408 ')
[ "$n503" -ge 8 ] && [ $((n503 + n408)) -eq 72 ] ||
    fail "72 stuck connections: $n503 got 503, $n408 got 408"
echo "72 stuck connections: $n503 got 503, $n408 got 408"

# Bounded store: only the latest 100 messages are kept.
i=0
while [ $i -lt 101 ]; do
    post "{\"n\":$i}" "$O" >/dev/null
    i=$((i + 1))
done
printf 'GET /messages/ HTTP/1.1\r\nHost: x\r\n\r\n' | request "$api"
[ "$(body | grep -o '"id":' | wc -l)" -eq 100 ] || fail "store does not keep exactly 100"
expect_body_has '"message":{"n":100}' "newest kept"
expect_body_lacks '"message":{"text":"mine"}' "oldest dropped"

# ----------------------------------------------------- auth after preflight
start_server auth "$server" --port 0 --policy "$tmp/api.policy" --auth s3cret --log "$tmp/auth.log"
printf 'OPTIONS /messages/ HTTP/1.1\r\nHost: x\r\n%s\r\nAccess-Control-Request-Method: DELETE\r\n\r\n' "$O" | request "$PORT"
expect_status 204 "preflight to an authenticated API, without credentials"
printf 'GET /messages/ HTTP/1.1\r\nHost: x\r\n%s\r\n\r\n' "$O" | request "$PORT"
expect_status 401 "GET without credentials"
expect_header Access-Control-Allow-Origin http://127.0.0.1:4000 "401 readable by the page"
printf 'GET /messages/ HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer s3cre\r\n\r\n' | request "$PORT"
expect_status 401 "wrong token"
printf 'GET /messages/ HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer s3cret\r\n\r\n' | request "$PORT"
expect_status 200 "right token"
stop_server auth

# ------------------------------------------------------ the page, the end
printf 'GET /?api=http://localhost:1 HTTP/1.1\r\nHost: x\r\n\r\n' | request "$api"
expect_status 200 "page"
expect_header Content-Type 'text/html; charset=utf-8' "page"
expect_body_has "fetch(api + '/messages/'" "page"

kill -0 "$api_pid" 2>/dev/null || fail "the server died"
stop_server api
echo "test-messages-server: all checks passed"
