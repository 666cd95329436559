# Shared by the documentation tests (test-man-*.sh, test-readme.sh); sourced.
# They run from the top build directory with top_srcdir and top_builddir set
# (TESTS_ENVIRONMENT); tests/docs/doc-env.sh, written by make, holds the compiler
# and flags the library itself was built with, so that every code example is
# held to the same warnings (-Werror included) as the library.

. "${top_srcdir:-.}/tests/common/testlib.sh"

doc_fail=0
doc_skip=0

doc_error() {
    echo "$doc_name: $*" >&2
    doc_fail=1
}

# Loads the build's compiler settings; exits 99 (hard error) without them.
doc_load_env() {
    if [ ! -f "$top_builddir/tests/docs/doc-env.sh" ]; then
        echo "$doc_name: $top_builddir/tests/docs/doc-env.sh is missing: run the test through make check" >&2
        exit 99
    fi
    . "$top_builddir/tests/docs/doc-env.sh"
}

# A private scratch directory, removed on exit.
doc_tmp=$tmp

# Is the tool there?  If not: skip (77) unless CI is set, where it must be.
# Returns 0 when present, 1 when absent and the caller should skip.
doc_need_tool() {
    if command -v "$1" > /dev/null 2>&1; then
        return 0
    fi
    if under_ci; then
        doc_error "$1 is missing, and CI is set: install it (Debian: $2)"
    else
        echo "$doc_name: $1 not found (Debian: $2); the checks that need it are skipped" >&2
        doc_skip=1
    fi
    return 1
}

# doc_build_c SRC LABEL: compiles and links SRC against the built library
# with the library's own flags.  Prints the program's path on success.
doc_build_c() {
    doc_exe=${1%.c}$EXEEXT
    # -no-install: link straight against the uninstalled library, no wrapper.
    if ! $LIBTOOL --silent --mode=link --tag=CC $CC $CPPFLAGS -I"$top_srcdir/include" \
            $CFLAGS $LDFLAGS -no-install -o "$doc_exe" "$1" "$top_builddir/lib/libcors.la" \
            > "$1.build" 2>&1; then
        doc_error "$2 does not compile or link:"
        sed 's/^/    /' "$1.build" >&2
        return 1
    fi
    return 0
}

# doc_run_c SRC LABEL [EXPECTED]: builds SRC and, when it has a main(), runs
# it: it must exit 0 and, when EXPECTED (a file) is given, print exactly that.
# A source without main() is only compiled.
doc_run_c() {
    if ! grep -q 'main(' "$1"; then
        if ! $CC $CPPFLAGS -I"$top_srcdir/include" $CFLAGS -c -o "${1%.c}.o" "$1" \
                > "$1.build" 2>&1; then
            doc_error "$2 does not compile:"
            sed 's/^/    /' "$1.build" >&2
            return 1
        fi
        if [ -n "${3:-}" ]; then
            doc_error "$2 has no main() but is followed by an expected output"
            return 1
        fi
        return 0
    fi
    doc_build_c "$1" "$2" || return 1
    "$doc_exe" < /dev/null > "$1.out" 2> "$1.err"
    st=$?
    if [ "$st" != 0 ]; then
        doc_error "$2 exits with status $st (stderr follows)"
        sed 's/^/    /' "$1.err" >&2
        return 1
    fi
    if [ -n "${3:-}" ] && ! diff -u "$3" "$1.out" > "$1.diff"; then
        doc_error "$2 prints something else than the documentation says (- documented, + actual):"
        sed 's/^/    /' "$1.diff" >&2
        return 1
    fi
    return 0
}

# doc_policy FILE LABEL WANT: runs the policy through tests/docs/doc-policy;
# WANT is "builds" or "refused".
doc_policy() {
    "$top_builddir/tests/docs/doc-policy$EXEEXT" "$1" > "$1.diag" 2>&1
    st=$?
    case $3:$st in
    builds:0 | refused:1) return 0 ;;
    builds:1)
        doc_error "$2 is refused by the library, but is shown as a working policy:"
        sed 's/^/    /' "$1.diag" >&2 ;;
    refused:0)
        doc_error "$2 builds, but is shown as a refused configuration" ;;
    *)
        doc_error "$2: doc-policy failed with status $st:"
        sed 's/^/    /' "$1.diag" >&2 ;;
    esac
    return 1
}

doc_finish() {
    if [ "$doc_fail" != 0 ]; then
        exit 1
    fi
    if [ "$doc_skip" != 0 ]; then
        exit 77
    fi
    echo "$doc_name: ${1:-all checks passed}"
    exit 0
}
