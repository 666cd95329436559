#!/bin/sh
# A real browser decides: headless Chromium loads pages from origin
# http://127.0.0.1:PORT and calls messages-server APIs on other origins
# (other ports, and http://localhost:PORT), and what the page saw must agree
# with what each server logged having received.  Everything listens on loopback, on ports
# the kernel picked; every process is stopped at the end.
#
# BROWSER_API_FRONT=NAME puts the four APIs behind another server: the
# script tests/integration/browser-NAME.sh then defines start_apis and
# stop_apis (below: messages-server alone) and must keep the log lines
# the checks read (see browser-nginx.sh).
: "${top_srcdir:=.}"
. "$top_srcdir/tests/integration/servers-lib.sh"

# serve_apis SUFFIX NAME...: one messages-server per API NAME, started as
# NAME$SUFFIX with the policy $tmp/NAME.policy and logging to $tmp/NAME.log;
# sets NAME${SUFFIX}_port.  unserve_apis SUFFIX NAME... stops them.
serve_apis() {
    _suffix=$1
    shift
    for _api do
        start_server "$_api$_suffix" "$server" --port 0 --policy "$tmp/$_api.policy" \
            --log "$tmp/$_api.log"
        eval "$_api${_suffix}_port=$PORT"
    done
}

unserve_apis() {
    _suffix=$1
    shift
    for _api do
        stop_server "$_api$_suffix"
    done
}

# front_answered FRONT NAME...: the server in front of API NAME, which logs
# its lines as req=FRONT, answered its preflights, and none reached the
# messages-server behind it.
front_answered() {
    _front=$1
    shift
    for _api do
        grep -q "^req=$_front method=OPTIONS " "$tmp/$_api.log" ||
            fail "$_front answered no preflight for API $_api"
        ! grep -q '^req=[0-9]* method=OPTIONS ' "$tmp/$_api.log" ||
            fail "a preflight reached API $_api's messages-server through $_front"
    done
}

# start_apis NAME...: serves API NAME; sets NAME_port.
start_apis() { serve_apis "" "$@"; }
stop_apis() { unserve_apis "" "$@"; }

if [ -n "${BROWSER_API_FRONT:-}" ]; then
    . "$top_srcdir/tests/integration/browser-$BROWSER_API_FRONT.sh"
fi

server="$top_builddir/examples/servers/messages-server$EXEEXT"
[ -x "$server" ] || fail "$server was not built"
chromium=${CHROMIUM:-}
if [ -z "$chromium" ]; then
    for c in chromium chromium-browser; do
        if command -v "$c" >/dev/null 2>&1; then
            chromium=$(command -v "$c")
            break
        fi
    done
fi
[ -n "$chromium" ] && [ -x "$chromium" ] || skip_or_fail "Chromium is not installed (Debian: chromium)"
command -v timeout >/dev/null 2>&1 || fail "timeout (coreutils) is needed"

# browse NAME URL: loads URL in a fresh headless Chromium and writes the
# text of the page's <pre id="results"> (or <output id="status">) to
# $tmp/NAME.results.  --virtual-time-budget lets the page's fetches finish
# before the DOM is dumped; timeout kills Chromium's whole process group.
# Every host name resolves to 127.0.0.1, so that pages load from hosts
# such as app.example.test. without DNS, and nothing leaves the machine.
browse() {
    mkdir -p "$tmp/$1.profile" "$tmp/home"
    HOME="$tmp/home" XDG_CONFIG_HOME="$tmp/home" XDG_CACHE_HOME="$tmp/home" \
        timeout -k 5 45 "$chromium" --headless --no-sandbox --disable-gpu --disable-quic \
        --no-first-run --disable-background-networking --disable-component-update \
        --disable-sync --disable-extensions --disable-dev-shm-usage \
        --user-data-dir="$tmp/$1.profile" --host-resolver-rules='MAP * 127.0.0.1' \
        --virtual-time-budget=30000 --dump-dom "$2" >"$tmp/$1.dom" 2>"$tmp/$1.chromium.err"
    _rc=$?
    if [ "$_rc" -ne 0 ]; then
        tail -n 20 "$tmp/$1.chromium.err" >&2
        fail "Chromium exited with status $_rc on $2"
    fi
    tr '\n' '\001' <"$tmp/$1.dom" |
        sed -n 's/.*<\(pre id="results"\|output id="status"\)>\([^<]*\)<.*/\2/p' |
        tr '\001' '\n' >"$tmp/$1.results"
    echo "--- $1: the page saw:"
    cat "$tmp/$1.results"
}

# result NAME KEY: the value the page recorded as KEY=value.
result() {
    sed -n "s/^$2=//p" "$tmp/$1.results"
}

expect_result() { # RUN KEY VALUE
    _v=$(result "$1" "$2")
    [ "$_v" = "$3" ] || fail "page $1: $2 is '$_v', expected '$3'"
}

# logged SERVER PATTERN: how many lines of that server's log match.
logged() {
    grep -c -- "$2" "$tmp/$1.log"
}

expect_logged() { # SERVER COUNT PATTERN
    _n=$(logged "$1" "$3")
    if [ "$_n" -ne "$2" ]; then
        echo "--- $1 log:" >&2
        cat "$tmp/$1.log" >&2
        fail "$1 logged $_n requests matching '$3', expected $2"
    fi
}

# A '*' policy with credentials cannot even be built.
printf 'allow-origin *\nallow-credentials on\n' >"$tmp/star-creds.policy"
"$server" --port 0 --policy "$tmp/star-creds.policy" >/dev/null 2>"$tmp/star-creds.err" &&
    fail "a server with a '*' policy and credentials started"
grep -q 'error: .*credentials' "$tmp/star-creds.err" || fail "no diagnostic about credentials"

# The page servers come first: the APIs' policies name their origins.
start_server page "$server" --port 0 --log "$tmp/page.log"
P=http://127.0.0.1:$PORT
start_server lab "$server" --port 0 --page "$top_srcdir/tests/integration/browser/scenarios.html" \
    --log "$tmp/lab.log"
L=http://127.0.0.1:$PORT

cat >"$tmp/b.policy" <<EOF
allow-origin      $P $L
allow-methods     PATCH DELETE
allow-headers     Content-Type
expose-headers    X-Message-Id
allow-credentials on
# no caching: every request the browser makes is preflighted anew
max-age           0
EOF
printf 'allow-origin https://app.example.com\nallow-methods PATCH\nallow-headers Content-Type\nmax-age 0\n' >"$tmp/c.policy"
printf 'allow-origin %s\nallow-headers Content-Type\nmax-age 0\n' "$L" >"$tmp/d.policy"
printf 'allow-origin *\nallow-headers Content-Type\nmax-age 0\n' >"$tmp/e.policy"
# B is the messaging app's set-up: another host of the same site (here another port
# of 127.0.0.1), so its session cookie is first-party and the credentials
# checks below test CORS, not the browser's third-party cookie blocking.
# C, D and E are on http://localhost, another site altogether.
start_apis b c d e
b=http://127.0.0.1:$b_port
for s in c d e; do
    eval "$s=http://localhost:\$${s}_port"
done

# ---------------------------------------- the built-in page posts to B
browse page "$P/?api=$b&send=hello%20from%20the%20page"
grep -q '^stored 201 id=1$' "$tmp/page.results" || fail "the built-in page did not store its message"
grep -q '<li>anonymous: {"text":"hello from the page"}</li>' "$tmp/page.dom" ||
    fail "the built-in page did not list the message it read back"
expect_logged b 1 "method=OPTIONS path=/messages/ origin=$P acrm=POST acrh=content-type cookie=none status=204 cors=preflight-accepted"
expect_logged b 1 "method=POST path=/messages/ origin=$P .* status=201 cors=actual-allowed"
expect_logged b 1 "method=GET path=/messages/ origin=$P .* status=200 cors=actual-allowed"

# ----------------------------------------------- the scenarios page
browse lab "$L/?b=$b&c=$c&d=$d&e=$e"
expect_result lab done yes

# Allowed origin: preflight, POST stored, answer readable; only the
# exposed header is visible.
expect_result lab allowed_post "201 text=allowed id-matches=true x-request-id=null location=null"
expect_logged b 3 "method=OPTIONS path=/messages/ origin=$L acrm=POST acrh=content-type cookie=none status=204 cors=preflight-accepted"
expect_logged b 3 "method=POST path=/messages/ origin=$L .* status=201 cors=actual-allowed"

# Disallowed origin: preflight denied, POST never arrived, store unchanged.
expect_result lab disallowed_post "error:TypeError"
expect_logged c 1 "method=OPTIONS path=/messages/ origin=$L acrm=POST acrh=content-type cookie=none status=403 cors=preflight-denied"
expect_logged c 1 "method=POST"
expect_result lab disallowed_simple "opaque 0"
expect_logged c 1 "method=POST path=/messages/ origin=$L .* status=403 cors=actual-disallowed"
printf 'GET /messages/ HTTP/1.1\r\nHost: x\r\n\r\n' | request "$c_port"
expect_body_has '{"messages":[]}' "store of the server that denied the page"

# Credentials need an explicit origin and allow-credentials: D has no
# allow-credentials, E has "*".  The preflight passes libcors (it does not
# know the request's credentials mode) but the browser refuses the answer.
expect_result lab d_omit "201 x-message-id=null"
expect_result lab d_include "error:TypeError"
expect_logged d 2 "method=OPTIONS path=/messages/ origin=$L acrm=POST .* status=204 cors=preflight-accepted"
expect_logged d 1 "method=POST"
expect_result lab e_omit 201
expect_result lab e_include "error:TypeError"
expect_logged e 2 "method=OPTIONS path=/messages/ origin=$L acrm=POST .* status=204 cors=preflight-accepted"
expect_logged e 1 "method=POST"

# B: the cookie is set, sent with credentials only, and never on a preflight.
expect_result lab login "200 user=user-1"
expect_logged b 1 "method=POST path=/login origin=$L .* status=200 cors=actual-allowed"
expect_logged b 0 "method=OPTIONS path=/login"
expect_result lab cred_post "201 author=user-1"
expect_logged b 1 "method=POST path=/messages/ origin=$L .* cookie=valid status=201"
expect_result lab omit_post "201 author=anonymous"
expect_logged b 7 "method=OPTIONS"
expect_logged b 7 "method=OPTIONS .* cookie=none"

# Methods are case-sensitive: 'patch' is asked for as "patch" and denied;
# 'delete' was normalized to DELETE by fetch and allowed.
expect_result lab patch_lower "error:TypeError"
expect_logged b 1 "method=OPTIONS path=/messages/2 origin=$L acrm=patch acrh=content-type cookie=none status=403 cors=preflight-denied"
expect_logged b 0 "method=patch"
expect_result lab patch_upper "200 text=patched"
expect_logged b 1 "method=OPTIONS path=/messages/2 origin=$L acrm=PATCH acrh=content-type cookie=none status=204"
expect_logged b 1 "method=PATCH path=/messages/2 origin=$L .* status=200 cors=actual-allowed"
expect_result lab delete_lower 204
expect_logged b 1 "method=OPTIONS path=/messages/3 origin=$L acrm=DELETE acrh=- cookie=none status=204"
expect_logged b 1 "method=DELETE path=/messages/3 origin=$L .* status=204"
expect_logged b 0 "method=delete"

# B's store: the page's message, the patched one, no deleted or denied one.
printf 'GET /messages/ HTTP/1.1\r\nHost: x\r\n\r\n' | request "$b_port"
expect_body_has '"message":{"text":"hello from the page"}' "B's store"
expect_body_has '{"id":2,"author":"anonymous","origin":"'"$L"'","message":{"text":"patched"}}' "B's store"
expect_body_lacks '"mine"' "B's store after DELETE"
expect_body_lacks 'patched-lower' "B's store after the denied patch"

# ------------------------- hosts as Chromium serializes them (issue 13)
# A trailing dot, labels that begin or end with "-", and "_": the built-in
# page, loaded from such a host, posts to F, whose policy names exactly
# those origins, and to E ("*"), which must accept their preflights as it
# answers their simple requests.
page_port=${P##*:}
odd_hosts="app.example.test. -dev-.example.test my_app.example.test"
{
    printf 'allow-origin'
    for h in $odd_hosts; do printf ' http://%s:%s' "$h" "$page_port"; done
    printf '\nallow-headers Content-Type\nmax-age 0\n'
} >"$tmp/f.policy"
start_server f "$server" --port 0 --policy "$tmp/f.policy" --log "$tmp/f.log"
f=http://127.0.0.1:$PORT
n=0
for h in $odd_hosts; do
    n=$((n + 1))
    for api in f e; do
        eval "_api=\$$api"
        browse "odd$n$api" "http://$h:$page_port/?api=$_api&send=from%20$h"
        grep -q '^stored 201 id=' "$tmp/odd$n$api.results" ||
            fail "the page at http://$h:$page_port could not post to $api"
        expect_logged "$api" 1 "method=OPTIONS path=/messages/ origin=http://$h:$page_port acrm=POST acrh=content-type cookie=none status=204 cors=preflight-accepted"
    done
done

stop_apis b c d e
for s in page lab f; do
    stop_server "$s"
done
echo "test-browser: the browser and the servers agree"
