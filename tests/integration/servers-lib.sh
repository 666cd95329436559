# servers-lib.sh - sourced by the server tests: servers started in the
# background on free loopback ports and always stopped, raw HTTP requests
# and assertions on their responses.  The private directory $tmp, fail and
# skip_or_fail come from tests/common/testlib.sh.  POSIX sh.

. "${top_srcdir:-.}/tests/common/testlib.sh"
pids=

stop_servers() {
    for p in $pids; do
        kill "$p" 2>/dev/null
    done
    for p in $pids; do
        wait "$p" 2>/dev/null
    done
}
at_exit stop_servers

# start_server NAME COMMAND...: runs COMMAND in the background, stdout to
# $tmp/NAME.out and stderr to $tmp/NAME.err, and waits for its "listening
# on URL" line.  Sets PORT, and NAME_pid.  Servers are started with --port
# 0, so the kernel picks a free port and parallel runs never collide.
start_server() {
    _name=$1
    shift
    "$@" >"$tmp/$_name.out" 2>"$tmp/$_name.err" &
    _pid=$!
    pids="$pids $_pid"
    _i=0
    while ! grep -q '^listening on ' "$tmp/$_name.out" 2>/dev/null; do
        if ! kill -0 "$_pid" 2>/dev/null ||
            grep -q '^[0-9]* ([^)]*) Z' "/proc/$_pid/stat" 2>/dev/null; then
            cat "$tmp/$_name.err" >&2
            fail "$_name did not start: $*"
        fi
        _i=$((_i + 1))
        [ "$_i" -le 100 ] || fail "$_name did not start within 10 s: $*"
        sleep 0.1
    done
    PORT=$(sed -n 's|^listening on http://.*:\([0-9][0-9]*\)/$|\1|p' "$tmp/$_name.out")
    [ -n "$PORT" ] || fail "$_name printed no port"
    eval "${_name}_pid=$_pid"
}

# stop_server NAME: SIGTERM, and the server must exit 0 promptly.
stop_server() {
    eval "_pid=\$${1}_pid"
    kill "$_pid" || fail "$1 was no longer running"
    wait "$_pid"
    _rc=$?
    [ "$_rc" -eq 0 ] || fail "$1 exited with status $_rc after SIGTERM"
}

# request PORT [-d MS]: sends stdin verbatim to 127.0.0.1:PORT; the
# response, CRs removed, goes to $tmp/resp (raw bytes in $tmp/resp.raw).
request() {
    _port=$1
    shift
    "$top_builddir/tests/integration/rawhttp$EXEEXT" "$@" "$_port" >"$tmp/resp.raw" ||
        fail "no response from port $_port"
    tr -d '\r' <"$tmp/resp.raw" >"$tmp/resp"
}

status() {
    sed -n '1s/^HTTP\/1\.[01] \([0-9][0-9][0-9]\) .*/\1/p' "$tmp/resp"
}

# header NAME: every value of field NAME in the last response, one a line.
header() {
    awk -v n="$1" 'BEGIN { n = tolower(n) }
        NR > 1 && /^$/ { exit }
        NR > 1 { i = index($0, ":"); if (tolower(substr($0, 1, i - 1)) == n) {
            v = substr($0, i + 1); sub(/^[ \t]+/, "", v); print v } }' "$tmp/resp"
}

body() {
    sed '1,/^$/d' "$tmp/resp"
}

expect_status() {
    _s=$(status)
    [ "$_s" = "$1" ] || fail "$2: status ${_s:-none}, expected $1"
}

# expect_header NAME VALUE WHAT: exactly one NAME line, with that value.
expect_header() {
    _v=$(header "$1")
    [ "$_v" = "$2" ] || fail "$3: $1 is '$_v', expected exactly one line '$2'"
}

expect_no_header() {
    _v=$(header "$1")
    [ -z "$_v" ] || fail "$2: unexpected $1: $_v"
}

# No Access-Control-* field at all (a denied preflight, a refused origin).
expect_no_cors() {
    if awk 'NR > 1 && /^$/ { exit } { print }' "$tmp/resp" | grep -qi '^access-control-'; then
        fail "$1: Access-Control-* header present"
    fi
}

expect_body_has() {
    body | grep -qF -- "$1" || fail "$2: body lacks '$1'"
}

expect_body_lacks() {
    if body | grep -qF -- "$1"; then
        fail "$2: body has '$1'"
    fi
}
