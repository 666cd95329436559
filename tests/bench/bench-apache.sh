#!/bin/sh
# make bench-apache: what mod_cors_policy costs in a real server.  One
# packaged apache2 (event MPM) on 127.0.0.1 serves the same small file in
# three locations: with the module, with the usual mod_headers recipe, and
# with no CORS at all.  wrk loads each in turn with an allowed cross-origin
# GET, in interleaved rounds so that other load on the machine hits all
# three alike.  Two figures per location: requests per second, and the CPU
# time the server's processes spent per request (from /proc), which other
# load on the machine disturbs less.  The medians are printed, never judged
# (the module's budget, under 5% of the recipe's cost, is for a quiet
# machine).
#
# Bounded: BENCH_APACHE_ROUNDS (default 5) rounds of BENCH_APACHE_SECONDS
# (default 3) seconds per location, BENCH_APACHE_CONNECTIONS (default 16)
# keep-alive connections from 2 wrk threads.
: "${top_srcdir:=.}"
. "$top_srcdir/tests/integration/servers-lib.sh"
. "$top_srcdir/tests/integration/apache-lib.sh"
. "$top_srcdir/tests/bench/wrk-lib.sh"
apache_require
bench_bounds "${BENCH_APACHE_ROUNDS:-5}" "${BENCH_APACHE_SECONDS:-3}" "${BENCH_APACHE_CONNECTIONS:-16}"
ORIGIN=https://app.example.com

apache_conf bench event authz_core headers setenvif
d=$apache_dir
mkdir -p "$d/policies"
for loc in module recipe plain; do
    mkdir -p "$d/htdocs/$loc"
    awk 'BEGIN { for (i = 0; i < 16; i++) print "a messaging app'"'"'s message, line " i }' \
        >"$d/htdocs/$loc/messages.txt"
done
cp "$top_srcdir/tests/bench/app.policy" "$d/policies/app.policy"
# The recipe answers the same GET with the same headers as the policy.
cat >>"$d/httpd.conf.in" <<EOF
LogLevel error
# One child with enough threads for every connection, started once and
# never replaced: its CPU time is then the server's.
StartServers 1
ServerLimit 1
ThreadsPerChild 64
MaxRequestWorkers 64
MinSpareThreads 1
MaxSpareThreads 64
MaxConnectionsPerChild 0
KeepAliveTimeout 30
MaxKeepAliveRequests 0
<Directory "$d/htdocs">
    Require all granted
    AllowOverride None
</Directory>
<Location /module/>
    CorsPolicy policies/app.policy
</Location>
<Location /recipe/>
    SetEnvIf Origin "^https://app\.example\.com\$" CORS_ORIGIN=\$0
    Header always set Access-Control-Allow-Origin "%{CORS_ORIGIN}e" env=CORS_ORIGIN
    Header always set Access-Control-Allow-Credentials "true" env=CORS_ORIGIN
    Header always set Access-Control-Expose-Headers "X-Message-Id" env=CORS_ORIGIN
    Header always merge Vary "Origin"
</Location>
EOF
apache_start bench

# The module and the recipe send the same CORS headers.
for loc in module recipe; do
    fetch GET "/$loc/messages.txt" -H "Origin: $ORIGIN"
    expect_status 200 "$loc"
    expect_header Access-Control-Allow-Origin "$ORIGIN" "$loc"
    expect_header Access-Control-Allow-Credentials true "$loc"
    expect_header Vary Origin "$loc"
done

bench_locations="module recipe plain"
bench_run "bench-apache, Origin: $ORIGIN" "$apache_bench_pid" "http://127.0.0.1:$APACHE_PORT" messages.txt \
    "$d/htdocs/module/messages.txt" -H "Origin: $ORIGIN"
apache_stop bench

echo
bench_table "apache2 $("$APACHE2" -v | sed -n 's/^Server version: Apache\/\([^ ]*\).*/\1/p'), event MPM" recipe \
    "module=CorsPolicy (mod_cors_policy)" "recipe=mod_headers recipe" "plain=no CORS at all"
