# nginx-lib.sh - sourced (after servers-lib.sh) by the tests and the
# benchmark that run the packaged nginx with ngx_http_cors_policy_module:
# a configuration written into the build directory, nginx started on
# 127.0.0.1 ports with "nginx -p DIR -c FILE", stopped by its PID.  POSIX sh.
#
# Environment (from make): nginx_bin (the binary; never NGINX, which nginx
# reads for inherited sockets), nginx_module (yes: built; no:
# not found; off: deliberately not built) and nginx_module_so (its path).

# nginx_require NAME: skips (or fails under CI) when nginx or the module is
# missing, then makes the private directory ngx_dir for instance NAME.
nginx_require() {
    case ${nginx_module:-no} in
    yes) ;;
    off)
        echo "SKIP: the nginx module is not built in this configuration (see configure's summary)" >&2
        exit 77 ;;
    *) skip_or_fail "the nginx module was not built (Debian: nginx-dev; see configure's summary)" ;;
    esac
    [ -n "${nginx_bin:-}" ] && [ -x "$nginx_bin" ] || skip_or_fail "nginx is not installed (Debian: nginx-core)"
    command -v curl >/dev/null 2>&1 || skip_or_fail "curl is not installed (Debian: curl)"
    [ -f "$nginx_module_so" ] || fail "$nginx_module_so was not built"
    ngx_dir=$(cd "$top_builddir" && pwd)/tests/integration/$1.nginx
    rm -rf "$ngx_dir"
    mkdir -p "$ngx_dir/tmp" || fail "cannot create $ngx_dir"
}

# nginx_conf: writes $ngx_dir/nginx.conf, the module loaded, with the http
# block's contents read from stdin.
nginx_conf() {
    {
        # Under root, nginx runs its workers as nobody, who may not reach
        # the build directory (a clone in /root): keep them as root.
        [ "$(id -u)" != 0 ] || echo "user root;"
        cat <<END
load_module $(cd "$(dirname "$nginx_module_so")" && pwd)/$(basename "$nginx_module_so");
daemon off;
master_process on;
worker_processes 1;
pid $ngx_dir/nginx.pid;
error_log $ngx_dir/error.log notice;
events { worker_connections 512; }
http {
    access_log $ngx_dir/access.log;
    client_body_temp_path $ngx_dir/tmp/body;
    proxy_temp_path $ngx_dir/tmp/proxy;
    fastcgi_temp_path $ngx_dir/tmp/fastcgi;
    uwsgi_temp_path $ngx_dir/tmp/uwsgi;
    scgi_temp_path $ngx_dir/tmp/scgi;
END
        cat
        echo "}"
    } >"$ngx_dir/nginx.conf"
}

# nginx_test: "nginx -t" on $ngx_dir/nginx.conf; its output in $tmp/nginx-t.
nginx_test() {
    "$nginx_bin" -p "$ngx_dir" -c "$ngx_dir/nginx.conf" -t >"$tmp/nginx-t" 2>&1
}

# nginx_start WRITE_CONF N: picks N free-looking loopback ports (PORT1 ..
# PORTN), runs the function WRITE_CONF to write the configuration with them,
# starts nginx and waits until every port answers.  A port taken meanwhile
# means new ports and another try.  Sets ngx_pid.
nginx_start() {
    _try=0
    while :; do
        _try=$((_try + 1))
        _base=$(awk -v s="$$$_try" 'BEGIN { srand(); srand(srand() + s); print 20000 + int(rand() * 40000) }')
        _i=1
        while [ "$_i" -le "$2" ]; do
            eval "PORT$_i=$((_base + _i - 1))"
            _i=$((_i + 1))
        done
        "$1"
        : >"$ngx_dir/error.log"
        "$nginx_bin" -p "$ngx_dir" -c "$ngx_dir/nginx.conf" 2>>"$ngx_dir/error.log" &
        ngx_pid=$!
        pids="$pids $ngx_pid"
        if nginx_wait_ports "$2"; then
            return 0
        fi
        kill "$ngx_pid" 2>/dev/null
        wait "$ngx_pid" 2>/dev/null
        if ! grep -q 'Address already in use' "$ngx_dir/error.log" || [ "$_try" -ge 5 ]; then
            cat "$ngx_dir/error.log" >&2
            fail "nginx did not start"
        fi
    done
}

nginx_wait_ports() {
    _n=0
    while [ "$_n" -lt 100 ]; do
        kill -0 "$ngx_pid" 2>/dev/null || return 1
        _i=1
        while [ "$_i" -le "$1" ]; do
            eval "_p=\$PORT$_i"
            curl -s -o /dev/null --max-time 2 "http://127.0.0.1:$_p/" || break
            _i=$((_i + 1))
        done
        [ "$_i" -gt "$1" ] && return 0
        _n=$((_n + 1))
        sleep 0.1
    done
    return 1
}

# nginx_stop: SIGTERM to the master, which must exit 0.
nginx_stop() {
    kill "$ngx_pid" || fail "nginx was no longer running"
    wait "$ngx_pid"
    _rc=$?
    [ "$_rc" -eq 0 ] || fail "nginx exited with status $_rc after SIGTERM"
}

# nginx_reload: SIGHUP, then waits until the master has logged the outcome
# of re-reading its configuration: new workers started, or the emerg that
# kept the old configuration serving.
nginx_reload() {
    _before=$(grep -c 'reconfiguring' "$ngx_dir/error.log")
    kill -HUP "$ngx_pid" || fail "nginx was no longer running"
    _n=0
    until awk -v n="$_before" '/reconfiguring/ { seen++ }
            seen > n && /start worker process|\[emerg\]/ { found = 1 }
            END { exit !found }' "$ngx_dir/error.log"; do
        _n=$((_n + 1))
        [ "$_n" -le 100 ] || fail "nginx did not finish reloading within 10 s"
        sleep 0.1
    done
}

# hcurl ARGS...: one request with curl; the response head and body, CRs
# removed, go to $tmp/resp for servers-lib.sh's status/header/expect_*.
hcurl() {
    curl -s -i --max-time 10 "$@" >"$tmp/resp.raw" || fail "curl $*: no response"
    tr -d '\r' <"$tmp/resp.raw" >"$tmp/resp"
}
