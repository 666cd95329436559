#!/bin/sh
# mod_cors_policy in the packaged apache2: preflights answered before
# authentication, headers on error responses, a proxied backend's own
# Access-Control-* replaced, scopes and .htaccess, CORS_OUTCOME/CORS_REASON
# in the access log, a bad policy refused by "apache2 -t", and the three
# MPMs.  Each server listens on 127.0.0.1 only, from a configuration in the
# test's private directory, and is stopped by PID.
: "${top_srcdir:=.}"
. "$top_srcdir/tests/integration/servers-lib.sh"
. "$top_srcdir/tests/integration/apache-lib.sh"
apache_require

APP=https://app.example.com
SITE=https://site.example
AUTH_MODULES="authn_core authn_file auth_basic authz_core authz_user"

# expect_one NAME VALUE WHAT: exactly one NAME line, with that value.
expect_one() {
    expect_header "$@"
}

preflight() { # PATH ORIGIN METHOD [CURL OPTION...]
    _p=$1 _o=$2 _m=$3
    shift 3
    fetch OPTIONS "$_p" -H "Origin: $_o" -H "Access-Control-Request-Method: $_m" "$@"
}

# policies APACHE_DIR: the policy files every configuration below uses.
policies() {
    mkdir -p "$1/policies"
    cat >"$1/policies/app.policy" <<EOF
# a messaging app's API
allow-origin      $APP
allow-methods     PUT DELETE
allow-headers     Content-Type X-Requested-With
expose-headers    X-Message-Id
allow-credentials on
max-age           600
EOF
    printf 'allow-origin %s\n' "$SITE" >"$1/policies/site.policy"
    printf 'allow-origin https://ht.example\nallow-methods PATCH\n' >"$1/policies/ht.policy"
    printf '# two mistakes\nallow-origin null\nallow-methods PUT\nmax-age forever\n' \
        >"$1/policies/bad.policy"
}

# ------------------------------------------------ the main server (event)
apache_conf main event $AUTH_MODULES headers proxy proxy_http
d=$apache_dir
policies "$d"
mkdir -p "$d/htdocs/api/private" "$d/htdocs/api/open" "$d/htdocs/backend" \
    "$d/htdocs/errors" "$d/htdocs/ht/bad" "$d/htdocs/recipe"
for f in api/data.txt api/private/data.txt api/open/data.txt backend/data.txt \
    ht/data.txt ht/bad/data.txt recipe/data.txt other.txt; do
    echo "content of $f" >"$d/htdocs/$f"
done
echo "custom not found page" >"$d/htdocs/errors/missing.txt"
: >"$d/htpasswd"
printf 'CorsPolicy policies/ht.policy\n' >"$d/htdocs/ht/.htaccess"
printf 'CorsPolicy policies/bad.policy\n' >"$d/htdocs/ht/bad/.htaccess"
cat >>"$d/httpd.conf.in" <<EOF
LogFormat "%m %U %>s outcome=%{CORS_OUTCOME}n reason=%{CORS_REASON}e" cors
CustomLog "$d/access.log" cors
# the server's own scope; inner scopes override it
CorsPolicy policies/site.policy
<Directory "$d/htdocs">
    Require all granted
    AllowOverride None
</Directory>
<Directory "$d/htdocs/ht">
    AllowOverride FileInfo
</Directory>
<Location /api/>
    CorsPolicy policies/app.policy
    ErrorDocument 404 /errors/missing.txt
</Location>
<Location /api/open/>
    CorsPolicy off
</Location>
<Location /api/private/>
    AuthType Basic
    AuthName "messages"
    AuthUserFile "$d/htpasswd"
    Require valid-user
</Location>
# a backend with its own CORS recipe, behind the module
<Location /backend/>
    CorsPolicy off
    Header always set Access-Control-Allow-Origin "*"
    Header always set Access-Control-Allow-Methods "GET, POST, PUT, PATCH, DELETE"
    Header always set Vary "Accept-Encoding"
</Location>
<Location /api/proxied/>
    ProxyPass "http://127.0.0.1:@PORT@/backend/"
</Location>
# a mod_headers recipe left in place where the module now rules
<Location /recipe/>
    CorsPolicy policies/app.policy
    Header always set Access-Control-Allow-Origin "*"
</Location>
EOF
apache_start main

# Accepted preflight: 204, no body, exactly one of each header.
preflight /api/data.txt "$APP" PUT -H "Access-Control-Request-Headers: content-type"
expect_status 204 "accepted preflight"
expect_one Access-Control-Allow-Origin "$APP" "accepted preflight"
expect_one Access-Control-Allow-Credentials true "accepted preflight"
expect_one Access-Control-Allow-Methods "PUT, DELETE" "accepted preflight"
expect_one Access-Control-Allow-Headers "content-type, x-requested-with" "accepted preflight"
expect_one Access-Control-Max-Age 600 "accepted preflight"
[ -z "$(body)" ] || fail "accepted preflight has a body"

# Denied preflights: 403, no Access-Control-* at all, no body.
preflight /api/data.txt https://evil.example PUT
expect_status 403 "preflight from another origin"
expect_no_cors "preflight from another origin"
expect_header Content-Length 0 "denied preflight"
expect_one Vary "Origin,Access-Control-Request-Method,Access-Control-Request-Headers" \
    "denied preflight"
preflight /api/data.txt https://app.example.com.evil.example PUT
expect_status 403 "preflight from a look-alike origin"
expect_no_cors "preflight from a look-alike origin"
preflight /api/data.txt "$APP" PATCH
expect_status 403 "preflight for a method not allowed"
expect_no_cors "preflight for a method not allowed"

# A preflight never carries credentials: answered before authentication.
preflight /api/private/data.txt "$APP" DELETE
expect_status 204 "preflight under Require valid-user"
expect_one Access-Control-Allow-Origin "$APP" "preflight under Require valid-user"
expect_no_header WWW-Authenticate "preflight under Require valid-user"

# Error responses carry the headers too, so the page can read the error.
fetch GET /api/private/data.txt -H "Origin: $APP"
expect_status 401 "actual request without credentials"
expect_one Access-Control-Allow-Origin "$APP" "401"
expect_one Access-Control-Allow-Credentials true "401"
header WWW-Authenticate | grep -q '^Basic realm="messages"$' || fail "401 lost its challenge"
fetch GET /api/nothing-here -H "Origin: $APP"
expect_status 404 "missing file"
expect_one Access-Control-Allow-Origin "$APP" "404 through ErrorDocument"
expect_one Vary Origin "404 through ErrorDocument"
expect_body_has "custom not found page" "404 through ErrorDocument"

# An error before the <Location> configuration is merged (an encoded slash
# is refused first) gets the headers of the virtual host's own policy.
fetch GET /api/a%2Fb -H "Origin: $SITE"
expect_status 404 "encoded slash"
expect_one Access-Control-Allow-Origin "$SITE" "error before the configuration is merged"

# Actual requests: allowed, and from a disallowed origin.
fetch GET /api/data.txt -H "Origin: $APP"
expect_status 200 "allowed GET"
expect_one Access-Control-Allow-Origin "$APP" "allowed GET"
expect_one Access-Control-Expose-Headers x-message-id "allowed GET"
expect_one Vary Origin "allowed GET"
expect_body_has "content of api/data.txt" "allowed GET"
fetch GET /api/data.txt -H "Origin: https://evil.example"
expect_status 200 "GET from another origin"
expect_no_cors "GET from another origin"
expect_one Vary Origin "GET from another origin"
fetch GET /api/data.txt
expect_status 200 "GET without Origin"
expect_no_cors "GET without Origin"
# The site's own page posting to it sends its own origin: same-origin,
# never refused, no CORS header needed.
fetch POST /api/data.txt -H "Origin: http://127.0.0.1:$APACHE_PORT"
expect_no_cors "a same-origin POST"

# A proxied backend's own Access-Control-* are replaced, its Vary merged.
fetch GET /backend/data.txt -H "Origin: https://evil.example"
expect_one Access-Control-Allow-Origin "*" "the backend on its own"
fetch GET /api/proxied/data.txt -H "Origin: $APP"
expect_status 200 "proxied GET"
expect_one Access-Control-Allow-Origin "$APP" "proxied GET"
expect_no_header Access-Control-Allow-Methods "proxied GET"
header Vary | tr -d ' ' | grep -qx 'Origin,Accept-Encoding\|Accept-Encoding,Origin' ||
    fail "proxied GET: Vary is '$(header Vary)', expected Origin and Accept-Encoding in one line"
expect_body_has "content of backend/data.txt" "proxied GET"
fetch GET /api/proxied/data.txt -H "Origin: https://evil.example"
expect_no_cors "proxied GET from another origin"
preflight /api/proxied/data.txt "$APP" PUT
expect_status 204 "proxied preflight (answered, never forwarded)"
expect_one Access-Control-Allow-Methods "PUT, DELETE" "proxied preflight"

# So is a mod_headers recipe left in the same scope.
fetch GET /recipe/data.txt -H "Origin: https://evil.example"
expect_no_cors "the recipe's '*' under the module"
fetch GET /recipe/data.txt -H "Origin: $APP"
expect_one Access-Control-Allow-Origin "$APP" "the recipe's '*' under the module"

# Scopes: the server's own policy, overridden by <Location>, turned off.
fetch GET /other.txt -H "Origin: $SITE"
expect_one Access-Control-Allow-Origin "$SITE" "server-wide policy"
fetch GET /other.txt -H "Origin: $APP"
expect_no_cors "server-wide policy, app origin"
fetch GET /api/data.txt -H "Origin: $SITE"
expect_no_cors "<Location> policy, site origin"
fetch GET /api/open/data.txt -H "Origin: $APP"
expect_status 200 "CorsPolicy off"
expect_no_cors "CorsPolicy off"
expect_no_header Vary "CorsPolicy off"
preflight /api/open/data.txt "$APP" PUT
expect_no_cors "preflight where CorsPolicy is off"

# .htaccess (AllowOverride FileInfo): its own policy; a bad one is a 500
# whose log entry names the file and line.
preflight /ht/data.txt https://ht.example PATCH
expect_status 204 "preflight under .htaccess"
expect_one Access-Control-Allow-Origin https://ht.example "preflight under .htaccess"
fetch GET /ht/data.txt -H "Origin: $SITE"
expect_no_cors ".htaccess overrides the server's policy"
fetch GET /ht/bad/data.txt -H "Origin: $APP"
expect_status 500 "bad policy in .htaccess"
grep -q "policies/bad.policy:2: " "$d/error.log" || fail "the error log does not name bad.policy:2"

# Repeated fields: httpd joins repeated lines with ", " before any module
# sees them.  Several Access-Control-Request-Headers lines make one list;
# several Origin lines are no serialized origin, and are denied.
preflight /api/data.txt "$APP" PUT -H "Access-Control-Request-Headers: content-type" \
    -H "Access-Control-Request-Headers: x-requested-with"
expect_status 204 "two Access-Control-Request-Headers lines"
preflight /api/data.txt "$APP" PUT -H "Access-Control-Request-Headers: content-type" \
    -H "Access-Control-Request-Headers: x-not-allowed"
expect_status 403 "two Access-Control-Request-Headers lines, the second refused"
preflight /api/data.txt "$APP" PUT -H "Origin: $APP"
expect_status 403 "two Origin lines"
expect_no_cors "two Origin lines"

apache_stop main

# CORS_OUTCOME (a note) and CORS_REASON (an environment variable) in the log.
log_has() {
    grep -qx -- "$1" "$d/access.log" || {
        cat "$d/access.log" >&2
        fail "the access log lacks '$1'"
    }
}
log_has "OPTIONS /api/data.txt 204 outcome=preflight-accepted reason=-"
log_has "OPTIONS /api/data.txt 403 outcome=preflight-denied reason=origin-not-allowed"
log_has "OPTIONS /api/data.txt 403 outcome=preflight-denied reason=method-not-allowed"
log_has "OPTIONS /api/data.txt 403 outcome=preflight-denied reason=origin-malformed"
log_has "OPTIONS /api/data.txt 403 outcome=preflight-denied reason=header-not-allowed"
log_has "OPTIONS /api/private/data.txt 204 outcome=preflight-accepted reason=-"
log_has "GET /api/private/data.txt 401 outcome=actual-allowed reason=-"
log_has "GET /api/data.txt 200 outcome=actual-disallowed reason=origin-not-allowed"
log_has "GET /api/data.txt 200 outcome=not-cors reason=-"
log_has "POST /api/data.txt 200 outcome=same-origin reason=-"
log_has "GET /api/open/data.txt 200 outcome=- reason=-"

# ------------------------------------- a bad policy stops configtest/start
apache_conf bad event
policies "$apache_dir"
cat >>"$apache_dir/httpd.conf.in" <<EOF
<Location /a/>
    CorsPolicy policies/bad.policy
</Location>
EOF
sed "s/@PORT@/1/g" "$apache_dir/httpd.conf.in" >"$apache_dir/httpd.conf"
if "$APACHE2" -t -f "$apache_dir/httpd.conf" -d "$apache_dir" >"$tmp/t.out" 2>&1; then
    fail "apache2 -t accepted a bad policy"
fi
for l in 2 4; do
    grep -q "$apache_dir/policies/bad.policy:$l: " "$tmp/t.out" || {
        cat "$tmp/t.out" >&2
        fail "apache2 -t does not report bad.policy line $l as FILE:LINE: message"
    }
done
if "$APACHE2" -f "$apache_dir/httpd.conf" -d "$apache_dir" -D NO_DETACH >"$tmp/t.out" 2>&1; then
    fail "apache2 started with a bad policy"
fi
grep -q "bad.policy:4: " "$tmp/t.out" || fail "start-up does not name bad.policy:4"
sed 's|policies/bad.policy|policies/missing.policy|' "$apache_dir/httpd.conf" >"$apache_dir/missing.conf"
if "$APACHE2" -t -f "$apache_dir/missing.conf" -d "$apache_dir" >"$tmp/t.out" 2>&1; then
    fail "apache2 -t accepted a missing policy file"
fi
grep -q "^$apache_dir/policies/missing.policy: " "$tmp/t.out" ||
    { cat "$tmp/t.out" >&2; fail "apache2 -t does not name the missing policy file"; }

# One file named in several scopes is built once: its warning comes once.
apache_conf once event
policies "$apache_dir"
printf 'allow-origin http://app.example.com\n' >"$apache_dir/policies/http.policy"
cat >>"$apache_dir/httpd.conf.in" <<EOF
<Location /a/>
    CorsPolicy policies/http.policy
</Location>
<Location /b/>
    CorsPolicy "$apache_dir/policies/http.policy"
</Location>
EOF
sed "s/@PORT@/1/g" "$apache_dir/httpd.conf.in" >"$apache_dir/httpd.conf"
"$APACHE2" -t -f "$apache_dir/httpd.conf" -d "$apache_dir" >"$tmp/t.out" 2>&1 ||
    { cat "$tmp/t.out" >&2; fail "apache2 -t refused a policy with a warning"; }
n=$(grep -c "warning: $apache_dir/policies/http.policy:1: .* \[origin-http\]" "$tmp/t.out")
[ "$n" -eq 1 ] || { cat "$tmp/t.out" >&2; fail "the policy's warning came $n times, expected once"; }

# ------------------------------------------- the worker and prefork MPMs
for mpm in worker prefork; do
    apache_conf "$mpm" "$mpm" $AUTH_MODULES
    policies "$apache_dir"
    mkdir -p "$apache_dir/htdocs/api" "$apache_dir/htdocs/ht"
    echo data >"$apache_dir/htdocs/api/data.txt"
    echo data >"$apache_dir/htdocs/ht/data.txt"
    : >"$apache_dir/htpasswd"
    printf 'CorsPolicy policies/ht.policy\n' >"$apache_dir/htdocs/ht/.htaccess"
    cat >>"$apache_dir/httpd.conf.in" <<EOF
<Directory "$apache_dir/htdocs">
    Require all granted
    AllowOverride FileInfo
</Directory>
<Location /api/>
    CorsPolicy policies/app.policy
    AuthType Basic
    AuthName "messages"
    AuthUserFile "$apache_dir/htpasswd"
    Require valid-user
</Location>
EOF
    apache_start "$mpm"
    i=0
    while [ "$i" -lt 3 ]; do
        preflight /api/data.txt "$APP" PUT
        expect_status 204 "$mpm: preflight under Require valid-user"
        expect_one Access-Control-Allow-Origin "$APP" "$mpm: preflight"
        fetch GET /api/data.txt -H "Origin: $APP"
        expect_status 401 "$mpm: actual request"
        expect_one Access-Control-Allow-Origin "$APP" "$mpm: 401"
        preflight /ht/data.txt https://ht.example PATCH
        expect_status 204 "$mpm: preflight under .htaccess"
        i=$((i + 1))
    done
    apache_stop "$mpm"
done

echo "test-apache: mod_cors_policy behaves under event, worker and prefork"
