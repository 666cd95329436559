#!/bin/sh
# The shared library exports exactly the symbols listed in lib/libcors.sym,
# each (when the linker took the version script) with the version node it
# is listed under: nothing internal leaks, nothing public goes missing, and
# no symbol moves to another node.
set -e
: "${testlib_loaded:?run this test through tests/common/run-test.sh (make check does)}"
: "${top_builddir:=.}" "${top_srcdir:=.}" "${NM:=nm}"
so=$(ls "$top_builddir"/lib/.libs/libcors.so.* 2>/dev/null | head -n 1)
if [ -z "$so" ]; then
    echo "test-symbols: no shared library in $top_builddir/lib/.libs" >&2
    exit 99
fi
# NAME@NODE for every listed symbol.
awk '/^#/ || NF == 0 { next } /:$/ { node = substr($0, 1, length($0) - 1); next }
     { print $1 "@" node }' "$top_srcdir/lib/libcors.sym" | sort -u > "$tmp/expected"
# Defined, global text/data symbols only; "name@@NODE" is the default
# version of a versioned symbol.
$NM -D --defined-only "$so" | awk 'NF >= 3 && $2 ~ /^[TDBRVW]$/ { sub(/@@/, "@", $3); print $3 }' |
    sort -u > "$tmp/actual"
if [ "${VERSION_SCRIPT:-yes}" = no ]; then
    # No version script: the names alone.
    sed 's/@.*//' "$tmp/expected" > "$tmp/expected.names" && mv "$tmp/expected.names" "$tmp/expected"
    sed 's/@.*//' "$tmp/actual" > "$tmp/actual.names" && mv "$tmp/actual.names" "$tmp/actual"
fi
if ! diff -u "$tmp/expected" "$tmp/actual"; then
    echo "test-symbols: exported symbols differ from lib/libcors.sym (- expected, + actual)" >&2
    exit 1
fi
echo "test-symbols: $(wc -l < "$tmp/actual") symbols, as listed, with their version nodes"
