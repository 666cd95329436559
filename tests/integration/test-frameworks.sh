#!/bin/sh
# The libmicrohttpd and libevent evhttp integrations: the same checks on
# both, through real sockets.  What matters is how each framework's header
# API is driven: Access-Control-Allow-Origin is never duplicated, Vary is
# merged with the application's own, preflights reach libcors (evhttp
# answers OPTIONS and PATCH with 501 unless told otherwise) and get no body.
: "${top_srcdir:=.}"
. "$top_srcdir/tests/integration/servers-lib.sh"

cat >"$tmp/policy" <<'POLICY'
allow-origin      https://app.example.com
allow-methods     PATCH DELETE
allow-headers     Content-Type, X-Requested-With
expose-headers    X-Request-Id
allow-credentials on
POLICY
O='Origin: https://app.example.com'
PREFLIGHT_VARY='Origin, Access-Control-Request-Method, Access-Control-Request-Headers'

check() { # NAME PROGRAM
    name=$1
    start_server "$name" "$2" --port 0 --policy "$tmp/policy"
    port=$PORT

    printf 'OPTIONS /hello HTTP/1.1\r\nHost: x\r\n%s\r\nAccess-Control-Request-Method: PATCH\r\nAccess-Control-Request-Headers: content-type\r\nAccess-Control-Request-Headers: x-requested-with\r\n\r\n' "$O" |
        request "$port"
    expect_status 204 "$name: preflight for PATCH, two header lines"
    expect_header Access-Control-Allow-Origin https://app.example.com "$name: preflight"
    expect_header Access-Control-Allow-Credentials true "$name: preflight"
    expect_header Access-Control-Allow-Methods 'PATCH, DELETE' "$name: preflight"
    expect_header Access-Control-Allow-Headers 'content-type, x-requested-with' "$name: preflight"
    expect_header Vary "$PREFLIGHT_VARY" "$name: preflight"
    [ -z "$(body)" ] || fail "$name: preflight has a body"

    printf 'OPTIONS /hello HTTP/1.1\r\nHost: x\r\n%s\r\nAccess-Control-Request-Method: patch\r\n\r\n' "$O" |
        request "$port"
    expect_status 403 "$name: preflight for patch"
    expect_no_cors "$name: denied preflight"
    expect_header Vary "$PREFLIGHT_VARY" "$name: denied preflight"
    [ -z "$(body)" ] || fail "$name: denied preflight has a body"

    printf 'OPTIONS /hello HTTP/1.1\r\nHost: x\r\nOrigin: https://evil.example\r\nAccess-Control-Request-Method: PATCH\r\n\r\n' |
        request "$port"
    expect_status 403 "$name: preflight from another origin"
    expect_no_cors "$name: preflight from another origin"

    printf 'PATCH /hello HTTP/1.1\r\nHost: x\r\n%s\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}' "$O" |
        request "$port"
    expect_status 200 "$name: PATCH"
    expect_body_has '"method":"PATCH"' "$name: PATCH reached the application"
    expect_header Access-Control-Allow-Origin https://app.example.com "$name: PATCH"
    expect_header Access-Control-Expose-Headers x-request-id "$name: PATCH"
    expect_header Vary 'Accept, Origin' "$name: Vary merged with the application's"

    printf 'GET /hello HTTP/1.1\r\nHost: x\r\nOrigin: https://evil.example\r\n\r\n' | request "$port"
    expect_status 200 "$name: GET from another origin"
    expect_no_cors "$name: GET from another origin"
    expect_header Vary 'Accept, Origin' "$name: GET from another origin"

    printf 'DELETE /hello HTTP/1.1\r\nHost: x\r\nOrigin: https://evil.example\r\n\r\n' | request "$port"
    expect_status 403 "$name: DELETE from another origin"
    expect_no_cors "$name: DELETE from another origin"

    printf 'GET /hello HTTP/1.1\r\nHost: x\r\n\r\n' | request "$port"
    expect_status 200 "$name: GET without Origin"
    expect_header Vary 'Accept, Origin' "$name: GET without Origin"

    printf 'GET /nothing HTTP/1.1\r\nHost: x\r\n%s\r\n\r\n' "$O" | request "$port"
    expect_status 404 "$name: 404"
    expect_header Access-Control-Allow-Origin https://app.example.com "$name: a readable 404"

    printf 'GET /hello HTTP/1.1\r\nHost: x\r\n%s\r\nOrigin: https://evil.example\r\n\r\n' "$O" | request "$port"
    expect_status 400 "$name: two Origin fields"

    stop_server "$name"
    echo "$name: all checks passed"
}

missing=
for fw in mhd evhttp; do
    prog="$top_builddir/examples/servers/$fw-server$EXEEXT"
    if [ -x "$prog" ]; then
        check "$fw" "$prog"
    else
        missing="$missing $fw-server"
    fi
done
# Built only when configure found the library (Debian: libmicrohttpd-dev,
# libevent-dev); CI installs both.
[ -z "$missing" ] || skip_or_fail "not built:$missing"
