#!/bin/sh
# Counts the instructions one cors_evaluate() call executes in each scenario
# of tests/bench/bench, and prints "ID COUNT" lines plus a "source ..." line naming
# the counter, for "tests/bench/bench --instructions FILE" (see tests/bench/local.mk).
#
#   tests/bench/bench-instructions.sh PATH/TO/bench
#
# perf is used when it can read the hardware counter: two runs of different
# lengths are subtracted, which cancels start-up and policy building (the
# benchmark loop's own few instructions stay in).  Otherwise valgrind's
# callgrind counts only what runs inside cors_evaluate() (the emitter it
# calls included).  With neither, every count is "n/a" and the script still
# succeeds: instruction counts are informative, the timings are the figures.
# Set LIBTOOL to run an uninstalled, libtool-wrapped program.
set -u

bench=${1:?usage: bench-instructions.sh PATH/TO/bench}
scenarios="S1 S2 S3 S4a S4b S5a S5b S6"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/cors-bench.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM

run() {
    if [ -n "${LIBTOOL:-}" ]; then
        $LIBTOOL --mode=execute "$@"
    else
        "$@"
    fi
}

# perf stat -x, prints "COUNT,,instructions:u,..." on stderr.
perf_count() {
    run perf stat -x, -e instructions:u -o "$tmp/perf" -- "$@" >/dev/null 2>&1 || return 1
    awk -F, '/instructions/ && $1 ~ /^[0-9]+$/ { print $1; found = 1 } END { exit !found }' \
        "$tmp/perf"
}

perf_works() {
    command -v perf >/dev/null 2>&1 && perf_count "$bench" --only S1 --calls 1 >/dev/null
}

callgrind_count() {
    out="$tmp/callgrind.out"
    rm -f "$out"
    run valgrind -q --tool=callgrind --callgrind-out-file="$out" "$@" >/dev/null 2>&1 ||
        return 1
    # "totals:" (or "summary:") holds the collected Ir.
    awk '/^(totals|summary):/ { print $2; found = 1; exit } END { exit !found }' "$out"
}

if perf_works; then
    echo "source perf stat instructions:u, (run of 1,100,000 calls - run of 100,000) / 1,000,000"
    for id in $scenarios; do
        a=$(perf_count "$bench" --only "$id" --calls 100000) || a=
        b=$(perf_count "$bench" --only "$id" --calls 1100000) || b=
        [ -n "$a" ] && [ -n "$b" ] && awk -v id="$id" -v a="$a" -v b="$b" \
            'BEGIN { printf "%s %.1f\n", id, (b - a) / 1000000 }'
    done
    a=$(perf_count "$bench" --only S7 --calls 0) || a=
    b=$(perf_count "$bench" --only S7 --calls 1) || b=
    [ -n "$a" ] && [ -n "$b" ] && echo "S7 $((b - a))"
elif command -v valgrind >/dev/null 2>&1; then
    echo "source valgrind --tool=callgrind, inside cors_evaluate() only, 20,000 calls"
    for id in $scenarios; do
        n=$(callgrind_count --toggle-collect=cors_evaluate "$bench" --only "$id" --calls 20000) &&
            awk -v id="$id" -v n="$n" 'BEGIN { printf "%s %.1f\n", id, n / 20000 }'
    done
    n=$(callgrind_count --toggle-collect=cors_builder_new --toggle-collect=cors_builder_parse \
        --toggle-collect=cors_builder_build --toggle-collect=cors_builder_free \
        "$bench" --only S7 --calls 1) && echo "S7 $n"
else
    echo "source none (neither perf with a hardware counter nor valgrind is available)"
fi
exit 0
