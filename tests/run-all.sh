#!/bin/sh
# The whole test suite, from a clean checkout: every build and test
# configuration libcors is held to.  README's test command; .ci/run runs it.
# Each stage builds out of tree under build/ so the stages never mix.
set -eu
cd "$(dirname "$0")/.."
top=$(pwd)
jobs=$(nproc 2>/dev/null || echo 2)
stage() { printf '\n===== %s =====\n' "$*"; }

stage "autoreconf"
autoreconf -fi

# ---- stage: gcc, warnings as errors, make check, make distcheck ----------
stage "gcc -Werror: make check"
rm -rf build/gcc && mkdir -p build/gcc && cd build/gcc
"$top/configure" -q --enable-werror CC=gcc CXX=g++
make -s -j"$jobs"
make -s -j"$jobs" check || { cat tests/*.log >&2 2>/dev/null; exit 1; }
stage "make distcheck"
make -s -j"$jobs" distcheck DISTCHECK_CONFIGURE_FLAGS=--enable-werror
cd "$top"

# ---- stage: clang, warnings as errors ------------------------------------
stage "clang -Werror: make check"
rm -rf build/clang && mkdir -p build/clang && cd build/clang
"$top/configure" -q --enable-werror CC=clang CXX=clang++
make -s -j"$jobs"
make -s -j"$jobs" check || { cat tests/*.log >&2 2>/dev/null; exit 1; }
cd "$top"

# ---- more stages are added below, each in its own section ----------------
# ---- end of stages -------------------------------------------------------

stage "all stages passed"
