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
    serve_apis _app "$@"
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
    unserve_apis _app "$@"
    front_answered nginx "$@"
}
