# apache-lib.sh - sourced after servers-lib.sh by the tests and the benchmark
# that run the packaged apache2 with mod_cors_policy: a configuration
# written into the test's private directory, loading only the modules it
# names, the server on 127.0.0.1, stopped by PID.  POSIX sh.
#
# Environment (from make, see examples/apache/local.mk): APACHE2,
# APACHE_LIBEXECDIR, APACHE_MODULE, APACHE_MODULE_BUILT, APACHE_MODULE_WHY.

# Skips when there is nothing to test; under CI only a module left out on
# purpose (a sanitizer build, --without-apache-module) may skip.
apache_require() {
    if [ "${APACHE_MODULE_BUILT:-no}" != yes ]; then
        case ${APACHE_MODULE_WHY:-} in
        *sanitizer* | --without-apache-module)
            echo "SKIP: mod_cors_policy was not built: $APACHE_MODULE_WHY" >&2
            exit 77 ;;
        esac
        skip_or_fail "mod_cors_policy was not built: ${APACHE_MODULE_WHY:-run configure}"
    fi
    [ -f "$APACHE_MODULE" ] || fail "$APACHE_MODULE is missing: run make first"
    [ -x "${APACHE2:-}" ] || skip_or_fail "apache2 is not installed (Debian: apache2)"
    command -v curl >/dev/null 2>&1 || skip_or_fail "curl is not installed (Debian: curl)"
    # Children of a server started as root switch to an unprivileged user,
    # which must be able to read the documents and policies under $tmp.
    if [ "$(id -u)" -eq 0 ]; then
        chmod 755 "$tmp"
        apache_user="User nobody
Group $(id -gn nobody)"
    else
        apache_user=
    fi
}

# apache_conf NAME MPM MODULE...: starts $tmp/NAME/httpd.conf.in with the
# global settings, the MPM and the packaged modules named (mod_NAME.so),
# then mod_cors_policy; the caller appends the rest, writing @PORT@ for the
# port the server will listen on.  Sets apache_dir.
apache_conf() {
    apache_dir=$tmp/$1
    mkdir -p "$apache_dir/htdocs" "$apache_dir/run"
    [ "$(id -u)" -ne 0 ] || chmod 755 "$apache_dir"
    _mpm=$2
    shift 2
    {
        echo "ServerRoot \"$apache_dir\""
        echo "LoadModule mpm_${_mpm}_module \"$APACHE_LIBEXECDIR/mod_mpm_$_mpm.so\""
        for _m in "$@"; do
            echo "LoadModule ${_m}_module \"$APACHE_LIBEXECDIR/mod_$_m.so\""
        done
        echo "LoadModule cors_policy_module \"$APACHE_MODULE\""
        echo "$apache_user"
        cat <<EOF
ServerName 127.0.0.1
PidFile "$apache_dir/run/httpd.pid"
DefaultRuntimeDir "$apache_dir/run"
Mutex "file:$apache_dir/run" default
ErrorLog "$apache_dir/error.log"
LogLevel warn
DocumentRoot "$apache_dir/htdocs"
EOF
    } >"$apache_dir/httpd.conf.in"
}

# apache_start NAME [N]: picks N (default 1) consecutive free loopback
# ports, APACHE_PORT1..N (APACHE_PORT is the first), writes httpd.conf with
# a Listen line for each and @PORTi@ (@PORT@: the first) replaced, and
# starts the server without detaching (its own PID, in pids, stopped by
# servers-lib's cleanup).  NO_DETACH, not FOREGROUND: it gives the server a
# session of its own, and prefork stops its children by signalling its
# whole process group, which would otherwise be this test's.  Ports taken
# by someone else between the pick and the bind are retried elsewhere.
apache_start() {
    apache_dir=$tmp/$1
    _n=${2:-1}
    _try=0
    while :; do
        _try=$((_try + 1))
        APACHE_PORT=$(($(od -An -N2 -tu2 /dev/urandom) % 30000 + 20000))
        _i=1
        _sed="s/@PORT@/$APACHE_PORT/g"
        : >"$apache_dir/httpd.conf"
        while [ "$_i" -le "$_n" ]; do
            eval "APACHE_PORT$_i=$((APACHE_PORT + _i - 1))"
            echo "Listen 127.0.0.1:$((APACHE_PORT + _i - 1))" >>"$apache_dir/httpd.conf"
            _sed="$_sed; s/@PORT$_i@/$((APACHE_PORT + _i - 1))/g"
            _i=$((_i + 1))
        done
        sed "$_sed" "$apache_dir/httpd.conf.in" >>"$apache_dir/httpd.conf"
        : >"$apache_dir/error.log"
        rm -f "$apache_dir/run/httpd.pid"
        "$APACHE2" -f "$apache_dir/httpd.conf" -d "$apache_dir" -D NO_DETACH \
            >"$apache_dir/stdout" 2>"$apache_dir/stderr" &
        _pid=$!
        if apache_wait "$_pid"; then
            pids="$pids $_pid"
            eval "apache_${1}_pid=$_pid"
            return 0
        fi
        wait "$_pid" 2>/dev/null
        if [ "$_try" -lt 5 ] && grep -q 'Address already in use' "$apache_dir/error.log" \
            "$apache_dir/stderr" 2>/dev/null; then
            continue
        fi
        cat "$apache_dir/stderr" "$apache_dir/error.log" >&2
        fail "apache2 did not start ($apache_dir/httpd.conf)"
    done
}

# Waits up to 10 s for the server (PID $1) to have bound its port, which
# it has once it wrote its PidFile, and to answer there.
apache_wait() {
    _i=0
    while [ "$_i" -lt 100 ]; do
        if ! kill -0 "$1" 2>/dev/null ||
            grep -q '^[0-9]* ([^)]*) Z' "/proc/$1/stat" 2>/dev/null; then
            return 1
        fi
        if [ "$(cat "$apache_dir/run/httpd.pid" 2>/dev/null)" = "$1" ] &&
            curl -s -o /dev/null --max-time 2 "http://127.0.0.1:$APACHE_PORT/"; then
            return 0
        fi
        _i=$((_i + 1))
        sleep 0.1
    done
    kill "$1" 2>/dev/null
    return 1
}

# apache_stop NAME: SIGTERM to the parent, which stops its children and
# must exit promptly and cleanly (servers-lib's stop_server).
apache_stop() {
    stop_server "apache_$1"
}

# fetch METHOD PATH [CURL OPTION...]: one request to the running server;
# the response head and body, CRs removed, go to $tmp/resp (the format
# servers-lib's status, header and body read).
fetch() {
    _method=$1
    _path=$2
    shift 2
    curl -s -i --max-time 10 -X "$_method" "$@" "http://127.0.0.1:$APACHE_PORT$_path" \
        >"$tmp/resp.raw" || fail "no response to $_method $_path"
    tr -d '\r' <"$tmp/resp.raw" >"$tmp/resp"
}
