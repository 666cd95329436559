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
apache_require
command -v wrk >/dev/null 2>&1 || skip_or_fail "wrk is not installed (Debian: wrk)"

rounds=${BENCH_APACHE_ROUNDS:-5}
seconds=${BENCH_APACHE_SECONDS:-3}
connections=${BENCH_APACHE_CONNECTIONS:-16}
case "$rounds$seconds$connections" in
*[!0-9]* | '') fail "BENCH_APACHE_ROUNDS, _SECONDS and _CONNECTIONS must be numbers" ;;
esac
[ "$rounds" -ge 1 ] && [ "$rounds" -le 20 ] && [ "$seconds" -ge 1 ] && [ "$seconds" -le 30 ] &&
    [ "$connections" -ge 1 ] && [ "$connections" -le 64 ] ||
    fail "out of bounds: 1-20 rounds, 1-30 seconds, 1-64 connections"
ORIGIN=https://app.example.com

apache_conf bench event authz_core headers setenvif
d=$apache_dir
mkdir -p "$d/policies"
for loc in module recipe plain; do
    mkdir -p "$d/htdocs/$loc"
    awk 'BEGIN { for (i = 0; i < 16; i++) print "a messaging app'"'"'s message, line " i }' \
        >"$d/htdocs/$loc/messages.txt"
done
cat >"$d/policies/app.policy" <<EOF
allow-origin      $ORIGIN
allow-methods     PUT DELETE
allow-headers     Content-Type
expose-headers    X-Message-Id
allow-credentials on
max-age           600
EOF
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

# server_ticks: CPU clock ticks (user + system) used so far by the server:
# its parent and every child (the children live as long as the server).
server_ticks() {
    # (cat, because processes come and go while the list is read)
    cat /proc/[0-9]*/stat 2>/dev/null |
        awk -v p="$apache_bench_pid" '$1 == p || $4 == p { t += $14 + $15 } END { print t + 0 }'
}

# load LOCATION: one wrk run; prints "REQUESTS_PER_SECOND CPU_MICROSECONDS_PER_REQUEST".
load() {
    _t0=$(server_ticks)
    wrk -t2 -c"$connections" -d"${seconds}s" --timeout 5s -H "Origin: $ORIGIN" \
        "http://127.0.0.1:$APACHE_PORT/$1/messages.txt" >"$tmp/wrk.out" 2>&1 ||
        { cat "$tmp/wrk.out" >&2; fail "wrk failed on /$1/"; }
    _t1=$(server_ticks)
    if grep -q 'Non-2xx\|Socket errors' "$tmp/wrk.out"; then
        cat "$tmp/wrk.out" >&2
        fail "wrk saw errors on /$1/"
    fi
    awk -v t="$((_t1 - _t0))" -v hz="$hz" '
        /requests in/ { n = $1 } /^Requests\/sec:/ { r = $2 }
        END { if (n > 0) printf "%.0f %.2f\n", r, t / hz * 1e6 / n }' "$tmp/wrk.out"
}
hz=$(getconf CLK_TCK 2>/dev/null || echo 100)

median() {
    sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

echo "bench-apache: $rounds rounds x ${seconds} s per location, $connections connections," \
    "GET of a $(wc -c <"$d/htdocs/module/messages.txt")-byte file with Origin: $ORIGIN"
load plain >/dev/null # warm up: children, threads, the file cache
r=1
while [ "$r" -le "$rounds" ]; do
    for loc in module recipe plain; do
        set -- $(load "$loc")
        [ $# -eq 2 ] || fail "no figures from wrk on /$loc/"
        echo "$1" >>"$tmp/$loc.rps"
        echo "$2" >>"$tmp/$loc.cpu"
        printf '  round %d %-7s %8s req/s %8s us CPU/request\n' "$r" "$loc" "$1" "$2"
    done
    r=$((r + 1))
done
apache_stop bench

echo
printf '| %-28s | %12s | %9s | %14s | %9s |\n' \
    "apache2 $("$APACHE2" -v | sed -n 's/^Server version: Apache\/\([^ ]*\).*/\1/p'), event MPM" \
    "median req/s" "vs recipe" "us CPU/request" "vs recipe"
echo "|------------------------------|-------------:|----------:|---------------:|----------:|"
for loc in module recipe plain; do
    echo "$loc $(median <"$tmp/$loc.rps") $(median <"$tmp/$loc.cpu")"
done | awk '
    { rps[$1] = $2; cpu[$1] = $3 }
    END {
        name["module"] = "CorsPolicy (mod_cors_policy)"
        name["recipe"] = "mod_headers recipe"
        name["plain"] = "no CORS at all"
        split("module recipe plain", order, " ")
        for (i = 1; i <= 3; i++) {
            l = order[i]
            vs = l == "recipe" ? "-" : sprintf("%+.1f%%", (rps[l] - rps["recipe"]) / rps["recipe"] * 100)
            vc = l == "recipe" ? "-" : sprintf("%+.1f%%", (cpu[l] - cpu["recipe"]) / cpu["recipe"] * 100)
            printf "| %-28s | %12.0f | %9s | %14.2f | %9s |\n", name[l], rps[l], vs, cpu[l], vc
        }
    }'
