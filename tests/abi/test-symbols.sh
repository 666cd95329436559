#!/bin/sh
# The shared library exports exactly the symbols listed in lib/libcors.sym:
# nothing internal leaks, and nothing public goes missing.
set -e
: "${testlib_loaded:?run this test through tests/common/run-test.sh (make check does)}"
: "${top_builddir:=.}" "${top_srcdir:=.}" "${NM:=nm}"
so=$(ls "$top_builddir"/lib/.libs/libcors.so.* 2>/dev/null | head -n 1)
if [ -z "$so" ]; then
    echo "test-symbols: no shared library in $top_builddir/lib/.libs" >&2
    exit 99
fi
# Defined, global text/data symbols only; strip symbol versions.
$NM -D --defined-only "$so" | awk 'NF >= 3 && $2 ~ /^[TDBRVW]$/ { sub(/@.*/, "", $3); print $3 }' |
    sort -u > "$tmp/actual"
sort -u "$top_srcdir/lib/libcors.sym" > "$tmp/expected"
if ! diff -u "$tmp/expected" "$tmp/actual"; then
    echo "test-symbols: exported symbols differ from lib/libcors.sym (- expected, + actual)" >&2
    exit 1
fi
echo "test-symbols: $(wc -l < "$tmp/actual") symbols, as listed"
