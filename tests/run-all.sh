#!/bin/sh
# The whole test suite, from a clean checkout: every build and test
# configuration libcors is held to.  README's test command; .ci/run runs it.
# Each stage builds out of tree under build/ so the stages never mix.
set -eu
cd "$(dirname "$0")/.."
jobs=$(nproc 2>/dev/null || echo 2)
# stage NAME: starts a stage, printing how long the one before took; the
# closing stage prints every stage's time.
run_start=$(date +%s)
stage_start=$run_start
stage_name=
stage_times=
stage() {
    now=$(date +%s)
    if [ -n "$stage_name" ]; then
        d=$((now - stage_start))
        line=$(printf '%4d:%02d  %s' $((d / 60)) $((d % 60)) "$stage_name")
        stage_times="$stage_times$line
"
        printf '(%s)\n' "$line"
    fi
    stage_name=$*
    stage_start=$now
    printf '\n===== %s =====\n' "$*"
}

# Work on a pristine copy of the source (tracked files plus new, unignored
# ones), so that an in-tree build from the quick start cannot get in the way
# of the out-of-tree builds below, and nothing left over is tested.
stage "pristine source copy in build/src"
rm -rf build && mkdir -p build/src
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    # (files deleted but not yet committed are skipped)
    git ls-files -z --cached --others --exclude-standard |
        xargs -0 sh -c 'for f do [ -e "$f" ] && cp --parents "$f" build/src; done; :' sh
else
    tar --exclude=./build -cf - . | tar -C build/src -xf -
fi
cd build/src
top=$(pwd)

stage "autoreconf"
autoreconf -fi

# ---- stage: gcc, warnings as errors, make check, make distcheck ----------
stage "gcc -Werror: make check"
mkdir -p "$top/../gcc" && cd "$top/../gcc"
"$top/configure" -q --enable-werror CC=gcc CXX=g++
make -s -j"$jobs"
make -s -j"$jobs" check || { cat tests/*/*.log >&2 2>/dev/null; exit 1; }
# The slow tests (browser, server modules) ran just above: the tarball's
# check and the stages below run the others (make check-quick).
stage "make distcheck"
make -s -j"$jobs" distcheck DISTCHECK_CONFIGURE_FLAGS=--enable-werror \
    TESTS="$(make -s list-quick-tests)"
cd "$top"

# ---- stage: clang, warnings as errors ------------------------------------
# Built with -DCORS_NO_SIMD (lib/util.h): the portable eight-byte-word scans
# that machines without SSE2 run, where gcc's build above runs the SSE2 ones.
stage "clang -Werror, portable scans (-DCORS_NO_SIMD): make check-quick"
mkdir -p "$top/../clang" && cd "$top/../clang"
"$top/configure" -q --enable-werror CC=clang CXX=clang++ CPPFLAGS=-DCORS_NO_SIMD
make -s -j"$jobs"
make -s -j"$jobs" check-quick || { cat tests/*/*.log >&2 2>/dev/null; exit 1; }
cd "$top"

# ---- more stages are added below, each in its own section ----------------
# ---- stage: manual pages and README (man/local.mk, tests/docs) -----------
# make check above lints every page, runs every page's example and every
# README block.  Here: "make install" installs a page for every public
# function and the overview, format and tool pages.
stage "manual pages: make install"
cd "$top/../gcc"
rm -rf "$top/../man-install"
make -s install DESTDIR="$top/../man-install" >/dev/null
man_root=$(find "$top/../man-install" -type d -name man3 | head -n 1)
man_root=${man_root%/man3}
missing=
for f in $(sed -n 's/^CORS_API[[:space:]][^(]*[^A-Za-z0-9_]\([A-Za-z_][A-Za-z0-9_]*\)(.*/\1/p' "$top/include/cors.h") \
         libcors; do
    [ -f "$man_root/man3/$f.3" ] || missing="$missing man3/$f.3"
done
for p in man5/libcors-policy.5 man1/cors-check.1; do
    [ -f "$man_root/$p" ] || missing="$missing $p"
done
if [ -n "$missing" ]; then
    echo "make install did not install:$missing (under $man_root)" >&2
    exit 1
fi
echo "all manual pages installed under $man_root"
rm -rf "$top/../man-install"
cd "$top"

# ---- stage: benchmark (tests/bench/local.mk) -----------------------------
# Zero allocations are proven by make check (tests/unit/test-noalloc).  Here the
# benchmark must build and run end to end, instruction counts included; its
# timings are printed for the log, never judged (CI machines vary).
stage "benchmark: make bench"
cd "$top/../gcc"
make -s bench
# The Apache and nginx modules' load tests, shortened: they must keep working.
make -s bench-apache BENCH_APACHE_ROUNDS=1 BENCH_APACHE_SECONDS=1
make -s bench-nginx BENCH_NGINX_ROUNDS=1 BENCH_NGINX_SECONDS=1
cd "$top"

# ---- stage: hardening (tests/fuzz/local.mk, tests/common/local.mk) -------
# AddressSanitizer + UndefinedBehaviorSanitizer (any report fatal) over the
# library and every test, with the libFuzzer targets in the same build; each
# target then fuzzes from the committed corpus for a bounded time.  memcheck
# over the whole suite; ThreadSanitizer over the thread test.
stage "clang ASan+UBSan: make check-quick"
mkdir -p "$top/../asan" && cd "$top/../asan"
"$top/configure" -q --enable-werror --enable-fuzzers CC=clang CXX=clang++
make -s -j"$jobs"
# (LeakSanitizer is on by default; tests that load the library into an
# uninstrumented interpreter turn it off for that process only)
ASAN_OPTIONS=detect_stack_use_after_return=1:strict_string_checks=1:check_initialization_order=1 \
UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    make -s -j"$jobs" check-quick || { cat tests/*/*.log >&2 2>/dev/null; exit 1; }
stage "libFuzzer under ASan+UBSan: ${FUZZ_SECONDS:-45} s per target"
make -s -j"$jobs" fuzz FUZZ_SECONDS="${FUZZ_SECONDS:-45}"
cd "$top"

# The origin and evaluation targets once more over the portable scans
# (-DCORS_NO_SIMD): their word tricks have carry edges of their own, which
# the SSE2 build above never runs.
stage "libFuzzer, portable scans (-DCORS_NO_SIMD): origin and evaluate"
mkdir -p "$top/../fuzz-portable" && cd "$top/../fuzz-portable"
"$top/configure" -q --enable-werror --enable-fuzzers CC=clang CXX=clang++ CPPFLAGS=-DCORS_NO_SIMD
make -s -j"$jobs" tests/fuzz/fuzz-origin tests/fuzz/fuzz-evaluate
for target in origin evaluate; do
    sh "$top/tests/fuzz/run-fuzzer.sh" "$target" "${FUZZ_SECONDS:-45}" "$top"
done
cd "$top"

# In the gcc build above, like the stages before: every compiled test of
# make check once more under memcheck, any error or leak fatal (the shell
# tests would only run again as they are: check-valgrind leaves them out).
stage "valgrind memcheck: make check-valgrind"
cd "$top/../gcc"
make -s -j"$jobs" check-valgrind TEST_SUITE_LOG=test-suite-valgrind.log ||
    { cat tests/*/*.log >&2 2>/dev/null; exit 1; }
cd "$top"

stage "ThreadSanitizer: tests/unit/test-threads"
mkdir -p "$top/../tsan" && cd "$top/../tsan"
"$top/configure" -q --enable-werror --enable-tsan CC=clang CXX=clang++
make -s -j"$jobs" lib/libcors.la tests/unit/test-threads tests/unit/test-holder
TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1 ./tests/unit/test-threads
CORS_HOLDER_TEST_SWAPS=10000 TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1 ./tests/unit/test-holder
cd "$top"

# ---- end of stages -------------------------------------------------------

# Every stage's time, then one closing line over every stage's automake
# test log.
stage "all stages passed"
printf '%s' "$stage_times"
d=$(($(date +%s) - run_start))
printf '%4d:%02d  in all\n' $((d / 60)) $((d % 60))
cat "$top"/../*/test-suite.log | awk '
    /^# PASS:/ { pass += $3 } /^# SKIP:/ { skip += $3 }
    /^# FAIL:/ { fail += $3 } /^# XPASS:/ { fail += $3 } /^# ERROR:/ { fail += $3 }
    END { printf "%d passed, %d failed, %d skipped\n", pass, fail, skip }'
