#!/bin/sh
# LOG_COMPILER for "make check-valgrind": runs one test under valgrind's
# memcheck.  Any memory error or leak (definite, indirect or possible) makes
# the test fail.  Compiled tests, libtool wrappers included, run under
# valgrind; shell scripts run as they are.
set -u
prog=$1
shift
case $prog in */*) ;; *) prog=./$prog ;; esac

if ! command -v valgrind >/dev/null 2>&1; then
    echo "valgrind-test: valgrind is not installed (Debian: apt-get install valgrind)" >&2
    exit 99
fi

# Check runs every test in one process, so memcheck sees all of them.
CK_FORK=no
# memcheck runs threads one at a time and about 50 times slower: the thread
# test checks fewer requests here (make check and the ThreadSanitizer build
# run the full 8 x 1,000,000).
CORS_THREAD_TEST_REQUESTS=${CORS_THREAD_TEST_REQUESTS:-20000}
export CK_FORK CORS_THREAD_TEST_REQUESTS

# A script runs as it is: valgrind would only check the shell.
case $(head -c 2 "$prog" 2>/dev/null) in
'#!')
    grep -q 'temporary wrapper script for' "$prog" 2>/dev/null || exec "$prog" "$@" ;;
esac

# memcheck runs one thread at a time, and its default lock lets a thread that
# spins (the policy holder's writer waiting for a reader, tests/unit/test-holder)
# take the turn again and again: that test then took from 20 s to over 7 min.
# Fair scheduling hands the turn round in order (--fair-sched=try: where the
# kernel lacks what it needs, the default).
set -- valgrind --tool=memcheck --fair-sched=try --error-exitcode=1 --leak-check=full \
    --show-leak-kinds=definite,indirect,possible \
    --errors-for-leak-kinds=definite,indirect,possible "$prog" "$@"
# A libtool wrapper sets up the library path first (libtool's own way of
# running a debugger or checker on an uninstalled program).
if grep -q 'temporary wrapper script for' "$prog" 2>/dev/null; then
    exec "${top_builddir:-.}/libtool" --mode=execute "$@"
fi
exec "$@"
