# browser-apache.sh - sourced by test-browser.sh when BROWSER_API_FRONT=apache
# (test-browser-apache.sh): every API is a virtual host of the packaged
# apache2, with mod_cors_policy and the API's policy, in front of a
# messages-server.  apache2 answers the preflights and logs them, in the
# messages-server's log format, to the API's log; every other request
# reaches the messages-server, which has the same policy (so it refuses what
# the page may not do, as before) and whose CORS headers the module replaces.
. "$top_srcdir/tests/integration/apache-lib.sh"
apache_require

start_apis() {
    serve_apis _app "$@"
    apache_conf browser event authz_core proxy proxy_http setenvif
    {
        # (SetEnvIf in the server's scope runs before the module answers)
        cat <<'END'
SetEnvIfExpr "true" COOKIE_STATE=none
SetEnvIf Cookie "." COOKIE_STATE=unchecked
LogFormat "req=apache method=%m path=%U%q origin=%{Origin}i acrm=%{Access-Control-Request-Method}i acrh=%{Access-Control-Request-Headers}i cookie=%{COOKIE_STATE}e status=%>s cors=%{CORS_OUTCOME}n" messages
END
        _i=1
        for _api do
            eval "_app=\$${_api}_app_port"
            cat <<END
<VirtualHost 127.0.0.1:@PORT$_i@>
    CorsPolicy "$tmp/$_api.policy"
    CustomLog "$tmp/$_api.log" messages "expr=note('CORS_OUTCOME') =~ /^preflight/"
    ProxyPass "/" "http://127.0.0.1:$_app/"
</VirtualHost>
END
            _i=$((_i + 1))
        done
    } >>"$apache_dir/httpd.conf.in"
    apache_start browser $#
    _i=1
    for _api do
        eval "${_api}_port=\$APACHE_PORT$_i"
        _i=$((_i + 1))
    done
}

# Also checks that apache2, not the messages-server, answered the preflights.
stop_apis() {
    apache_stop browser
    unserve_apis _app "$@"
    front_answered apache "$@"
}
