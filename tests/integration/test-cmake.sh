#!/bin/sh
# CMake downstream build: installs the library into a staging directory
# (DESTDIR) and builds a program with nothing but
#   find_package(libcors 0.1 REQUIRED)
#   target_link_libraries(demo PRIVATE libcors::libcors)
# (satisfied by any later 0.x), then runs it.  A request for a version
# libcors does not satisfy must fail.
: "${top_srcdir:=.}"
. "$top_srcdir/tests/integration/servers-lib.sh"

: "${MAKE:=make}" "${CC:=cc}"
libdir=${servers_libdir:-}
[ -n "$libdir" ] || fail "servers_libdir is not set (run through make check)"
command -v cmake >/dev/null 2>&1 || skip_or_fail "cmake is not installed (Debian: cmake)"

stage="$tmp/stage"
# Only the library's own install targets (other tests use the tree now).
$MAKE -s -C "$top_builddir" DESTDIR="$stage" \
    install-libLTLIBRARIES install-includeHEADERS install-cmakeconfigDATA >"$tmp/install.log" 2>&1 || {
    cat "$tmp/install.log" >&2
    fail "make install into $stage failed"
}
config="$stage$libdir/cmake/libcors"
[ -f "$config/libcorsConfig.cmake" ] || fail "libcorsConfig.cmake not installed in $config"
[ -f "$config/libcorsConfigVersion.cmake" ] || fail "libcorsConfigVersion.cmake not installed in $config"

mkdir -p "$tmp/src"
cp "$top_srcdir/tests/integration/pkgconfig-demo.c" "$tmp/src/demo.c"
# project() VERSION_REQ: a project asking for libcors VERSION_REQ.
project() {
    cat > "$tmp/src/CMakeLists.txt" <<CMAKE
cmake_minimum_required(VERSION 3.10)
project(libcors_demo C)
find_package(libcors $1 REQUIRED)
add_executable(demo demo.c)
target_link_libraries(demo PRIVATE libcors::libcors)
CMAKE
}

# The build's own flags come along only because a sanitizer build's
# library needs its runtime; libcors' flags are the package's alone.
project 0.1
CFLAGS=${servers_CFLAGS:-} LDFLAGS=${servers_LDFLAGS:-} CC=$CC \
    cmake -S "$tmp/src" -B "$tmp/build" \
    -Dlibcors_DIR="$config" >"$tmp/cmake.log" 2>&1 || {
    cat "$tmp/cmake.log" >&2
    fail "cmake could not configure a project using find_package(libcors 0.1)"
}
cmake --build "$tmp/build" >"$tmp/build.log" 2>&1 || {
    cat "$tmp/build.log" >&2
    fail "the project using libcors::libcors does not build"
}
LD_LIBRARY_PATH="$stage$libdir${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" \
    "$tmp/build/demo" >"$tmp/demo.out" 2>&1 || {
    cat "$tmp/demo.out" >&2
    fail "the program built with CMake does not run"
}
grep -qx "preflight accepted, status 200" "$tmp/demo.out" || fail "the program built with CMake printed something else"

# A newer 0.x keeps the 0.1 interfaces; a request for a later minor or
# major version than the library's is refused.
for want in 0.99 1.0; do
    project "$want"
    rm -rf "$tmp/build-$want"
    if cmake -S "$tmp/src" -B "$tmp/build-$want" -Dlibcors_DIR="$config" >"$tmp/cmake-$want.log" 2>&1; then
        fail "find_package(libcors $want) accepted libcors $(sed -n 's/^set(PACKAGE_VERSION "\(.*\)")$/\1/p' "$config/libcorsConfigVersion.cmake")"
    fi
done
echo "test-cmake: find_package(libcors 0.1) and libcors::libcors build and run a program; 0.99 and 1.0 refused"
