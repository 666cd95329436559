#!/bin/sh
# Every manual page in man/ (cors-check.1 included) passes mandoc's checks
# at warning level with no output at all.
doc_name=test-man-lint
. "${top_srcdir:-.}/tests/docs/doc-lib.sh"

doc_need_tool mandoc mandoc || doc_finish
n=0
for page in "$top_srcdir"/man/*.[1-9]; do
    [ -f "$page" ] || continue
    n=$((n + 1))
    out=$(mandoc -Tlint -W warning "$page" 2>&1)
    st=$?
    if [ "$st" != 0 ] || [ -n "$out" ]; then
        doc_error "mandoc -Tlint -W warning $(basename "$page") (exit $st):"
        printf '%s\n' "$out" | sed 's/^/    /' >&2
    fi
done
[ "$n" -gt 0 ] || doc_error "no manual page found in $top_srcdir/man"
doc_finish "$n pages pass mandoc -Tlint -W warning"
