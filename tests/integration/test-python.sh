#!/bin/sh
# The Python ctypes binding (examples/python) against the shared library
# just built: builds policies, evaluates the seed's preflight, checks the
# headers.  Standard library only.
: "${top_srcdir:=.}"
. "$top_srcdir/tests/integration/servers-lib.sh"

python=${PYTHON:-$(command -v python3 2>/dev/null)}
[ -n "$python" ] && [ -x "$python" ] || skip_or_fail "python3 is not installed"
# The interpreter itself, not a wrapper script (pyenv shims...), since a
# sanitizer runtime may be preloaded below.
python=$("$python" -c 'import sys; print(sys.executable)') || fail "$python does not run"
so="$top_builddir/lib/.libs/libcors.so.0"
[ -f "$so" ] || fail "$so was not built (configure --disable-shared?)"
# A sanitizer build's library can only be loaded into an interpreter that
# was not built with the sanitizer if the runtime is preloaded; the
# interpreter's own memory, never freed at exit, is not ours to check.
: "${NM:=nm}" "${CC:=cc}"
preload=
case " ${servers_CFLAGS:-} " in
*" -fsanitize="*)
    $NM -D "$so" >"$tmp/symbols"
    if "$CC" --version | grep -q clang; then
        # clang's ASan runtime carries UBSan's too: preload one of them.
        dir=$("$CC" -print-runtime-dir)
        for rt in asan tsan ubsan_standalone; do
            case $rt in ubsan_standalone) sym=ubsan ;; *) sym=$rt ;; esac
            if grep -q " U __${sym}_" "$tmp/symbols"; then
                preload="$dir/libclang_rt.$rt-$(uname -m).so"
                break
            fi
        done
    else
        for rt in asan ubsan tsan; do
            grep -q " U __${rt}_" "$tmp/symbols" || continue
            preload="$preload${preload:+:}$("$CC" -print-file-name="lib$rt.so")"
        done
    fi
    for lib in $(echo "$preload" | tr ':' ' '); do
        [ -f "$lib" ] || fail "sanitizer runtime $lib not found"
    done
    ;;
esac
ASAN_OPTIONS="detect_leaks=0${ASAN_OPTIONS:+:$ASAN_OPTIONS}" LD_PRELOAD="$preload" \
    LIBCORS_PATH=$so "$python" "$top_srcdir/examples/python/test_libcors.py" ||
    fail "the Python binding's tests failed"
