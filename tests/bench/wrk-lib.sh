# wrk-lib.sh - sourced by the server benchmarks (make bench-apache,
# make bench-nginx):
# bounded wrk rounds over several locations of one server, interleaved so
# that other load on the machine hits every location alike, and a table of
# medians: requests per second, and the CPU time the server's processes
# spent per request (from /proc), which other load disturbs less.  Figures
# are printed, never judged.  Needs servers-lib.sh (fail, skip_or_fail).

command -v wrk >/dev/null 2>&1 || skip_or_fail "wrk is not installed (Debian: wrk)"
bench_hz=$(getconf CLK_TCK 2>/dev/null || echo 100)

# bench_bounds ROUNDS SECONDS CONNECTIONS: checks and sets the bounds.
bench_bounds() {
    case "$1$2$3" in
    *[!0-9]* | '') fail "the rounds, seconds and connections must be numbers" ;;
    esac
    [ "$1" -ge 1 ] && [ "$1" -le 20 ] && [ "$2" -ge 1 ] && [ "$2" -le 30 ] &&
        [ "$3" -ge 1 ] && [ "$3" -le 64 ] ||
        fail "out of bounds: 1-20 rounds, 1-30 seconds, 1-64 connections"
    bench_rounds=$1 bench_seconds=$2 bench_connections=$3
}

# bench_ticks PID: CPU clock ticks (user + system) used so far by the
# server PID and its children (which live as long as it does).
bench_ticks() {
    # (cat, because processes come and go while the list is read)
    cat /proc/[0-9]*/stat 2>/dev/null |
        awk -v p="$1" '$1 == p || $4 == p { t += $14 + $15 } END { print t + 0 }'
}

# bench_load PID URL [wrk options]: one wrk run; prints
# "REQUESTS_PER_SECOND CPU_MICROSECONDS_PER_REQUEST".
bench_load() {
    _pid=$1 _url=$2
    shift 2
    _t0=$(bench_ticks "$_pid")
    wrk -t2 -c"$bench_connections" -d"${bench_seconds}s" --timeout 5s "$@" "$_url" \
        >"$tmp/wrk.out" 2>&1 || { cat "$tmp/wrk.out" >&2; fail "wrk failed on $_url"; }
    _t1=$(bench_ticks "$_pid")
    if grep -q 'Non-2xx\|Socket errors' "$tmp/wrk.out"; then
        cat "$tmp/wrk.out" >&2
        fail "wrk saw errors on $_url"
    fi
    awk -v t="$((_t1 - _t0))" -v hz="$bench_hz" '
        /requests in/ { n = $1 } /^Requests\/sec:/ { r = $2 }
        END { if (n > 0) printf "%.0f %.2f\n", r, t / hz * 1e6 / n }' "$tmp/wrk.out"
}

bench_median() {
    sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# bench_run NAME PID BASE_URL PATH_SUFFIX FILE [wrk options]: bench_rounds
# rounds, each loading BASE_URL/LOCATION/PATH_SUFFIX (the contents of FILE)
# for every location in $bench_locations (after one warm-up run of the last
# one).
bench_run() {
    echo "$1: $bench_rounds rounds x $bench_seconds s per location," \
        "$bench_connections connections, GET of a $(wc -c <"$5")-byte file"
    _pid=$2 _base=$3 _suffix=$4
    shift 5
    for _loc in $bench_locations; do :; done
    bench_load "$_pid" "$_base/$_loc/$_suffix" "$@" >/dev/null
    _r=1
    while [ "$_r" -le "$bench_rounds" ]; do
        for _loc in $bench_locations; do
            _f=$(bench_load "$_pid" "$_base/$_loc/$_suffix" "$@")
            [ -n "$_f" ] || fail "no figures from wrk on /$_loc/"
            echo "${_f% *}" >>"$tmp/$_loc.rps"
            echo "${_f#* }" >>"$tmp/$_loc.cpu"
            printf '  round %d %-7s %8s req/s %8s us CPU/request\n' "$_r" "$_loc" ${_f}
        done
        _r=$((_r + 1))
    done
}

# bench_table TITLE REFERENCE LOCATION=LABEL...: the medians, each compared
# with location REFERENCE.
bench_table() {
    _title=$1 _ref=$2
    shift 2
    printf '| %-32s | %12s | %9s | %14s | %9s |\n' "$_title" \
        "median req/s" "vs recipe" "us CPU/request" "vs recipe"
    echo "|----------------------------------|-------------:|----------:|---------------:|----------:|"
    for _l do
        _loc=${_l%%=*}
        echo "$_loc $(bench_median <"$tmp/$_loc.rps") $(bench_median <"$tmp/$_loc.cpu") ${_l#*=}"
    done | awk -v ref="$_ref" '
        { loc[NR] = $1; rps[$1] = $2; cpu[$1] = $3; $1 = $2 = $3 = ""; sub(/^ +/, ""); label[NR] = $0 }
        END {
            for (i = 1; i <= NR; i++) {
                l = loc[i]
                vs = l == ref ? "-" : sprintf("%+.1f%%", (rps[l] - rps[ref]) / rps[ref] * 100)
                vc = l == ref ? "-" : sprintf("%+.1f%%", (cpu[l] - cpu[ref]) / cpu[ref] * 100)
                printf "| %-32s | %12.0f | %9s | %14.2f | %9s |\n", label[i], rps[l], vs, cpu[l], vc
            }
        }'
}
