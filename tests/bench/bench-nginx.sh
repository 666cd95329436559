#!/bin/sh
# make bench-nginx: what ngx_http_cors_policy_module costs in a real server.
# One packaged nginx (one worker) on 127.0.0.1 serves the same small file in
# three locations: with "cors_policy", with the hand-written
# "add_header ... always" recipe that sends the same headers, and with no
# CORS at all; wrk loads each with an allowed cross-origin GET, in
# interleaved rounds (tests/bench/wrk-lib.sh).  The medians are printed,
# never judged (the module's budget, under 5% of the recipe's throughput,
# is for a quiet machine).
#
# Bounded: BENCH_NGINX_ROUNDS (default 5) rounds of BENCH_NGINX_SECONDS
# (default 3) seconds per location, BENCH_NGINX_CONNECTIONS (default 16)
# keep-alive connections from 2 wrk threads.
: "${top_srcdir:=.}"
. "$top_srcdir/tests/integration/servers-lib.sh"
. "$top_srcdir/tests/integration/nginx-lib.sh"
. "$top_srcdir/tests/bench/wrk-lib.sh"
nginx_require bench-nginx
bench_bounds "${BENCH_NGINX_ROUNDS:-5}" "${BENCH_NGINX_SECONDS:-3}" "${BENCH_NGINX_CONNECTIONS:-16}"
ORIGIN=https://app.example.com

for loc in module recipe plain; do
    mkdir -p "$ngx_dir/html/$loc"
    awk 'BEGIN { for (i = 0; i < 16; i++) print "a messaging app'"'"'s message, line " i }' \
        >"$ngx_dir/html/$loc/messages.txt"
done
cp "$top_srcdir/tests/bench/app.policy" "$ngx_dir/app.policy"
# The recipe answers the same GET with the same headers as the policy (an
# empty value makes add_header send nothing).
write_conf() {
    nginx_conf <<END
    access_log off;
    keepalive_requests 1000000;
    root $ngx_dir/html;
    map \$http_origin \$cors_allow_origin {
        "$ORIGIN" \$http_origin;
        default   "";
    }
    map \$cors_allow_origin \$cors_allow_credentials { "" ""; default true; }
    map \$cors_allow_origin \$cors_expose_headers { "" ""; default x-message-id; }
    server {
        listen 127.0.0.1:$PORT1;
        location /module/ { cors_policy app.policy; }
        location /recipe/ {
            add_header Access-Control-Allow-Origin \$cors_allow_origin always;
            add_header Access-Control-Allow-Credentials \$cors_allow_credentials always;
            add_header Access-Control-Expose-Headers \$cors_expose_headers always;
            add_header Vary Origin always;
        }
        location /plain/ { }
    }
END
}
nginx_start write_conf 1

# The module and the recipe send the same CORS headers.
for loc in module recipe; do
    hcurl -H "Origin: $ORIGIN" "http://127.0.0.1:$PORT1/$loc/messages.txt"
    expect_status 200 "$loc"
    expect_header Access-Control-Allow-Origin "$ORIGIN" "$loc"
    expect_header Access-Control-Allow-Credentials true "$loc"
    expect_header Access-Control-Expose-Headers x-message-id "$loc"
    expect_header Vary Origin "$loc"
done

bench_locations="module recipe plain"
bench_run "bench-nginx, Origin: $ORIGIN" "$ngx_pid" "http://127.0.0.1:$PORT1" messages.txt \
    "$ngx_dir/html/module/messages.txt" -H "Origin: $ORIGIN"
nginx_stop

echo
bench_table "nginx $("$nginx_bin" -v 2>&1 | sed -n 's|.*nginx/||p'), 1 worker" recipe \
    "module=cors_policy (the module)" "recipe=add_header ... always recipe" "plain=no CORS at all"
rm -rf "$ngx_dir"
