#!/bin/sh
# examples/minimal prints exactly what the comment at the end of its source
# says it prints.
: "${testlib_loaded:?run this test through tests/common/run-test.sh (make check does)}"
: "${top_srcdir:=.}" "${top_builddir:=.}" "${EXEEXT:=}"
src=$top_srcdir/examples/minimal/minimal.c
prog=$top_builddir/examples/minimal/minimal$EXEEXT

sed -n '/^\/\* It prints/,/^\*\//p' "$src" | sed '1d;$d' > "$tmp/want"
[ -s "$tmp/want" ] || { echo "test-minimal: no '/* It prints' comment in $src" >&2; exit 99; }
"$prog" > "$tmp/got" || { echo "test-minimal: $prog failed" >&2; exit 1; }
if ! diff -u "$tmp/want" "$tmp/got"; then
    echo "test-minimal: the output differs from the comment in $src (- comment, + actual)" >&2
    exit 1
fi
echo "test-minimal: output matches the comment in examples/minimal/minimal.c"
