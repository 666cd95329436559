#!/bin/sh
# pkg-config downstream build: installs the library into a temporary
# staging directory (DESTDIR, so that nothing touches the configured prefix,
# which also keeps "make distcheck" happy) and builds a small program with
# nothing but `pkg-config --cflags --libs libcors`, shared, and
# `pkg-config --static --cflags --libs libcors`, fully static; runs both.
: "${top_srcdir:=.}"
. "$top_srcdir/tests/integration/servers-lib.sh"

: "${MAKE:=make}" "${CC:=cc}" "${PKG_CONFIG:=pkg-config}" "${NM:=nm}"
libdir=${servers_libdir:-}
pkgconfigdir=${servers_pkgconfigdir:-}
[ -n "$libdir" ] && [ -n "$pkgconfigdir" ] ||
    fail "servers_libdir and servers_pkgconfigdir are not set (run through make check)"
command -v "$PKG_CONFIG" >/dev/null 2>&1 || skip_or_fail "pkg-config is not installed"

stage="$tmp/stage"
# Only the library's own install targets: the rest of the tree is not
# needed, and is being used by other tests at the same time.
$MAKE -s -C "$top_builddir" DESTDIR="$stage" \
    install-libLTLIBRARIES install-includeHEADERS install-pkgconfigDATA >"$tmp/install.log" 2>&1 || {
    cat "$tmp/install.log" >&2
    fail "make install into $stage failed"
}
[ -f "$stage$pkgconfigdir/libcors.pc" ] || fail "libcors.pc not installed in $stage$pkgconfigdir"

# Only the staged libcors.pc is visible, with the staging directory
# prefixed to its -I and -L paths.
PKG_CONFIG_LIBDIR="$stage$pkgconfigdir"
PKG_CONFIG_PATH=
PKG_CONFIG_SYSROOT_DIR="$stage"
export PKG_CONFIG_LIBDIR PKG_CONFIG_PATH PKG_CONFIG_SYSROOT_DIR

version=$($PKG_CONFIG --modversion libcors) || fail "pkg-config does not know libcors"
cflags=$($PKG_CONFIG --cflags libcors)
libs=$($PKG_CONFIG --libs libcors)
static_cflags=$($PKG_CONFIG --static --cflags libcors)
static_libs=$($PKG_CONFIG --static --libs libcors)
echo "libcors $version: cflags '$cflags' libs '$libs' static '$static_cflags' '$static_libs'"
case "$cflags $libs" in
*"$stage"*) ;;
*) fail "pkg-config flags do not point into the staging directory" ;;
esac

cp "$top_srcdir/tests/integration/pkgconfig-demo.c" "$tmp/demo.c"
cd "$tmp" || exit 99
# The build's own CFLAGS and LDFLAGS come along only because a sanitizer
# build's library needs its runtime; libcors' flags are pkg-config's alone.
CFLAGS=${servers_CFLAGS:-}
LDFLAGS=${servers_LDFLAGS:-}
# shellcheck disable=SC2086
$CC -Wall -Wextra -Werror $CFLAGS $cflags demo.c -o demo-shared $LDFLAGS $libs ||
    fail "shared build with pkg-config flags failed"
case " $CFLAGS $LDFLAGS " in
*" -fsanitize="*)
    # Sanitizer runtimes cannot be linked into a fully static program:
    # libcors.a goes in statically, the C library stays shared.
    static='-Wl,-Bstatic'
    dynamic='-Wl,-Bdynamic'
    echo "sanitizer build: static libcors, shared libc"
    ;;
*)
    static=-static
    dynamic=
    ;;
esac
# shellcheck disable=SC2086
$CC -Wall -Wextra -Werror $CFLAGS $static_cflags demo.c -o demo-static $LDFLAGS \
    $static $static_libs $dynamic || fail "static build with pkg-config --static flags failed"

# The shared program takes cors_evaluate from libcors.so (at its version
# node when the linker took the version script), the static one
# carries it (from libcors.a).
$NM demo-shared | grep -q ' U cors_evaluate\(@LIBCORS_[0-9.]*\)\{0,1\}$' || fail "demo-shared does not import cors_evaluate"
$NM demo-static | grep -q ' T cors_evaluate$' || fail "demo-static does not contain cors_evaluate"
[ -f "$stage$libdir/libcors.a" ] || fail "libcors.a not installed"

cat >expected <<EXPECTED
libcors $version (built with $version)
Access-Control-Allow-Origin: *
Access-Control-Allow-Methods: GET, PUT, POST, DELETE
Access-Control-Allow-Headers: content-type, accept
Vary: Origin, Access-Control-Request-Method, Access-Control-Request-Headers (merge)
preflight accepted, status 200
EXPECTED
LD_LIBRARY_PATH="$stage$libdir" ./demo-shared >shared.out || fail "demo-shared failed"
diff -u expected shared.out || fail "demo-shared printed something else"
env -u LD_LIBRARY_PATH ./demo-static >static.out || fail "demo-static failed"
diff -u expected static.out || fail "demo-static printed something else"
echo "test-pkgconfig: shared and static downstream builds work"
