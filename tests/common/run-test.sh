#!/bin/sh
# run-test.sh - the one way a shell-driven test runs.  make check runs every
# tests/*/*.sh through it (SH_LOG_COMPILER); by hand, from the top build
# directory:
#   sh SRCDIR/tests/common/run-test.sh SRCDIR/tests/cli/run.sh
# (or "make check TESTS=tests/cli/run.sh", which also passes the compiler
# settings).  It loads testlib.sh, then runs the test in the same shell.
# Exit status: 0 pass, 77 skip, 99 hard error, anything else failure.
if [ $# -lt 1 ] || [ ! -f "$1" ]; then
    echo "usage: run-test.sh TEST.sh [ARG...]" >&2
    exit 99
fi
if [ -z "${top_srcdir:-}" ]; then
    top_srcdir=$(cd "$(dirname "$0")/../.." && pwd)
fi
testlib_test=$1
shift
. "$top_srcdir/tests/common/testlib.sh"
. "$testlib_test"
