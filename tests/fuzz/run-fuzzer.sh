#!/bin/sh
# Runs one libFuzzer target for a bounded time: run-fuzzer.sh NAME SECONDS SRCDIR
# (from the build directory; "make fuzz" calls it).  The committed corpus
# seeds the run and is only read; what the run finds goes to fuzz-work/.
set -u
name=$1 seconds=$2 srcdir=$3
exe=tests/fuzz/fuzz-$(echo "$name" | tr _ -)
work=fuzz-work
log=$work/$name.log
# evaluate reads several fields: let it grow past the 4096-byte bound on
# Access-Control-Request-Headers.
case $name in evaluate) max_len=16384 ;; *) max_len=4096 ;; esac
mkdir -p "$work/$name"
echo "fuzz: $name for $seconds s (log: $log)"
# Any ASan, UBSan or invariant report is fatal; leaks too (LeakSanitizer is
# on by default).
ASAN_OPTIONS=${ASAN_OPTIONS:-detect_stack_use_after_return=1:strict_string_checks=1}
UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
export ASAN_OPTIONS UBSAN_OPTIONS
if "$exe" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len="$max_len" \
        -print_final_stats=1 -dict="$srcdir/tests/fuzz/$name.dict" \
        -artifact_prefix="$work/crash-$name-" \
        "$work/$name" "$srcdir/tests/fuzz/corpus/$name" >"$log" 2>&1; then
    grep -E '^(stat::number_of_executed_units|stat::peak_rss_mb)|DONE' "$log" | sed "s/^/fuzz: $name: /"
else
    tail -n 60 "$log" >&2
    echo "fuzz: $name FAILED; reproduce with: $exe $work/crash-$name-*" >&2
    exit 1
fi
