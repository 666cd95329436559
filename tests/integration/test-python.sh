#!/bin/sh
# The Python binding (examples/python) against the shared library just
# built: "pip install" of the package works offline with the system's
# setuptools and the installed module loads the library (LIBCORS_PATH);
# then its tests run under pytest: policies, evaluations, and the enum
# values and structure layouts checked against cors.h.
: "${top_srcdir:=.}"
. "$top_srcdir/tests/integration/servers-lib.sh"

# The first Python that has pytest (PYTHON, python3 on PATH, the system's).
python=
for p in ${PYTHON:-} "$(command -v python3 2>/dev/null)" /usr/bin/python3; do
    [ -n "$p" ] && [ -x "$p" ] || continue
    [ -n "$python" ] || python=$p
    if "$p" -c 'import pytest' 2>/dev/null; then
        python=$p
        break
    fi
done
[ -n "$python" ] || skip_or_fail "python3 is not installed"
"$python" -c 'import pytest' 2>/dev/null ||
    skip_or_fail "pytest is not installed for $python (Debian: python3-pytest)"
{ "$python" -c 'import setuptools' && "$python" -m pip --version; } >/dev/null 2>&1 ||
    skip_or_fail "pip or setuptools is not installed for $python (Debian: python3-pip python3-setuptools)"
# The interpreter itself, not a wrapper script (pyenv shims...), since a
# sanitizer runtime may be preloaded below.
python=$("$python" -c 'import sys; print(sys.executable)') || fail "$python does not run"
so="$top_builddir/lib/.libs/libcors.so.0"
[ -f "$so" ] || fail "$so was not built (configure --disable-shared?)"
so=$(cd "$(dirname "$so")" && pwd)/$(basename "$so")
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

# The package installs offline (from a copy: a build writes beside its
# sources, and the source tree may be read-only) and is what gets imported.
cp -R "$top_srcdir/examples/python" "$tmp/pkg" && chmod -R u+w "$tmp/pkg"
rm -rf "$tmp/pkg/__pycache__"
"$python" -m pip install --quiet --no-index --no-build-isolation --target "$tmp/site" "$tmp/pkg" \
    >"$tmp/pip.log" 2>&1 || { cat "$tmp/pip.log" >&2; fail "pip install of examples/python failed"; }
(cd "$tmp" && ASAN_OPTIONS="detect_leaks=0${ASAN_OPTIONS:+:$ASAN_OPTIONS}" LD_PRELOAD="$preload" \
    PYTHONPATH="$tmp/site" LIBCORS_PATH=$so "$python" -c '
import sys, libcors
assert libcors.__file__.startswith(sys.argv[1]), libcors.__file__
print("installed libcors", libcors.__version__, "loads", libcors.load().version_string())
' "$tmp/site") || fail "the installed package does not import or load the library"

ASAN_OPTIONS="detect_leaks=0${ASAN_OPTIONS:+:$ASAN_OPTIONS}" LD_PRELOAD="$preload" \
    PYTHONDONTWRITEBYTECODE=1 LIBCORS_PATH=$so LIBCORS_INCLUDE="$top_srcdir/include" CC="$CC" \
    "$python" -m pytest -q -p no:cacheprovider --rootdir="$tmp/pkg" "$tmp/pkg" ||
    fail "the Python binding's tests failed"
