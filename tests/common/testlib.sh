# testlib.sh - what every shell-driven test starts with; sourced by
# tests/common/run-test.sh (the driver) before the test itself, and by the
# helper libraries (servers-lib.sh, doc-lib.sh) so that they work when
# sourced alone.  POSIX sh.
#
# It provides: top_srcdir, top_builddir and EXEEXT (defaults for a run from
# the top build directory); $tmp, a private directory removed on exit, after
# the commands registered with at_exit; fail and skip_or_fail.
if [ -z "${testlib_loaded:-}" ]; then
testlib_loaded=1
: "${top_srcdir:=.}" "${top_builddir:=.}" "${EXEEXT:=}"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/libcors-test.XXXXXX") || exit 99
testlib_at_exit=

# at_exit COMMAND: run COMMAND (e.g. stop the test's servers) on exit,
# before $tmp is removed; the last registered runs first.
at_exit() {
    testlib_at_exit="$1; $testlib_at_exit"
}
testlib_cleanup() {
    eval "$testlib_at_exit"
    rm -rf "$tmp"
}
trap testlib_cleanup EXIT
trap 'exit 1' HUP INT TERM

# under_ci: true when CI is set.  CI installs every tool the tests use, so
# there a missing tool is a failure, never a skip.
under_ci() {
    [ -n "${CI:-}" ]
}

fail() {
    echo "FAIL: $*" >&2
    if [ -s "$tmp/resp" ]; then
        echo "--- last response:" >&2
        cat "$tmp/resp" >&2
    fi
    exit 1
}

# skip_or_fail WHY: something the test needs is missing: skip (77), or
# fail under CI.
skip_or_fail() {
    if under_ci; then
        echo "FAIL: $* (CI is set, so this test must run)" >&2
        exit 1
    fi
    echo "SKIP: $*" >&2
    exit 77
}
fi
