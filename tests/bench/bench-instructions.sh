#!/bin/sh
# Counts the instructions one cors_evaluate() call executes in each scenario
# of tests/bench/bench, with each of its emitters, and those of one S7 policy
# build; prints "ID EMITTER COUNT" lines ("S7 - COUNT") plus a "source ..."
# line naming the counter, for "tests/bench/bench --instructions FILE" (see
# tests/bench/local.mk).
#
#   tests/bench/bench-instructions.sh PATH/TO/bench
#
# valgrind's callgrind counts only what runs inside cors_evaluate() (the
# emitter it calls included), so neither the set-up nor the benchmark loop
# is in the figures; these are the figures of the budgets in issue 15.
# Without valgrind, perf is used when it can read the hardware counter: two
# runs of different lengths are subtracted, which cancels the set-up but
# leaves the loop's own few instructions in.  With neither, nothing is
# counted and the script still succeeds (the table then says n/a).
# Set LIBTOOL to run an uninstalled, libtool-wrapped program.
set -u

bench=${1:?usage: bench-instructions.sh PATH/TO/bench}
scenarios="S1 S2 S3 S4a S4b S5a S5b S6"
emitters="noop copy"
calls=20000
tmp=$(mktemp -d "${TMPDIR:-/tmp}/cors-bench.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM

run() {
    if [ -n "${LIBTOOL:-}" ]; then
        $LIBTOOL --mode=execute "$@"
    else
        "$@"
    fi
}

callgrind_count() {
    out="$tmp/callgrind.out"
    rm -f "$out"
    run valgrind -q --tool=callgrind --callgrind-out-file="$out" "$@" >/dev/null 2>&1 ||
        return 1
    # "totals:" (or "summary:") holds the collected Ir.
    awk '/^(totals|summary):/ { print $2; found = 1; exit } END { exit !found }' "$out"
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

if command -v valgrind >/dev/null 2>&1; then
    echo "callgrind, inside cors_evaluate() only (emitter included), $calls calls" |
        sed 's/^/source /'
    for id in $scenarios; do
        for em in $emitters; do
            n=$(callgrind_count --toggle-collect=cors_evaluate "$bench" --only "$id" \
                --calls "$calls" --emitter "$em") &&
                awk -v id="$id" -v em="$em" -v n="$n" -v c="$calls" \
                    'BEGIN { printf "%s %s %.1f\n", id, em, n / c }'
        done
    done
    n=$(callgrind_count --toggle-collect=cors_builder_new --toggle-collect=cors_builder_parse \
        --toggle-collect=cors_builder_build --toggle-collect=cors_builder_free \
        "$bench" --only S7 --calls 1) && echo "S7 - $n"
elif perf_works; then
    echo "source perf stat instructions:u, (run of 1,100,000 calls - run of 100,000) / 1,000,000"
    for id in $scenarios; do
        for em in $emitters; do
            a=$(perf_count "$bench" --only "$id" --calls 100000 --emitter "$em") || a=
            b=$(perf_count "$bench" --only "$id" --calls 1100000 --emitter "$em") || b=
            [ -n "$a" ] && [ -n "$b" ] && awk -v id="$id" -v em="$em" -v a="$a" -v b="$b" \
                'BEGIN { printf "%s %s %.1f\n", id, em, (b - a) / 1000000 }'
        done
    done
    a=$(perf_count "$bench" --only S7 --calls 0) || a=
    b=$(perf_count "$bench" --only S7 --calls 1) || b=
    [ -n "$a" ] && [ -n "$b" ] && echo "S7 - $((b - a))"
else
    echo "source none (neither valgrind nor perf with a hardware counter is available)"
fi
exit 0
