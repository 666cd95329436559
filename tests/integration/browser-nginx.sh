# browser-nginx.sh - sourced by test-browser.sh when BROWSER_API_FRONT=nginx
# (test-browser-nginx.sh): every API is the packaged nginx, with
# ngx_http_cors_policy_module and the API's policy, in front of a
# messages-server.  nginx answers the preflights and logs them, in the
# messages-server's log format, to the API's log; every other request
# reaches the messages-server, which has the same policy (so it refuses what
# the page may not do, as before) and whose CORS headers nginx replaces.
. "$top_srcdir/tests/integration/nginx-lib.sh"
nginx_require test-browser-nginx

start_apis() {
    for _api do
        start_server "${_api}app" "$server" --port 0 --policy "$tmp/$_api.policy" \
            --log "$tmp/$_api.log"
        eval "${_api}_app_port=$PORT"
    done
    browser_apis=$*
    nginx_start browser_nginx_conf $#
    _i=1
    for _api do
        eval "${_api}_port=\$PORT$_i"
        _i=$((_i + 1))
    done
}

# One server block per API, on PORT1..PORTn; only the requests nginx
# answered itself are logged (the messages-server logs the others).
browser_nginx_conf() {
    {
        cat <<'END'
    map $cors_outcome $cors_answered { ~^preflight 1; default 0; }
    map $http_cookie $cookie_state { "" none; default unchecked; }
    log_format messages 'req=nginx method=$request_method path=$request_uri origin=$http_origin acrm=$http_access_control_request_method acrh=$http_access_control_request_headers cookie=$cookie_state status=$status cors=$cors_outcome';
END
        _i=1
        for _api in $browser_apis; do
            eval "_port=\$PORT$_i _app=\$${_api}_app_port"
            cat <<END
    server {
        listen 127.0.0.1:$_port;
        cors_policy $tmp/$_api.policy;
        access_log $tmp/$_api.log messages if=\$cors_answered;
        location / { proxy_pass http://127.0.0.1:$_app; }
    }
END
            _i=$((_i + 1))
        done
    } | nginx_conf
}

# Also checks that nginx, not the messages-server, answered the preflights.
stop_apis() {
    nginx_stop
    for _api do
        stop_server "${_api}app"
        grep -q '^req=nginx method=OPTIONS ' "$tmp/$_api.log" ||
            fail "nginx answered no preflight for API $_api"
        ! grep -q '^req=[0-9]* method=OPTIONS ' "$tmp/$_api.log" ||
            fail "a preflight reached API $_api's messages-server through nginx"
    done
}
