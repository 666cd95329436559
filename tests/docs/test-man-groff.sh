#!/bin/sh
# Every manual page in man/ formats without a single warning with groff,
# which is what renders them for man(1) on Debian (mandoc's lint does not
# prove that).
doc_name=test-man-groff
. "${top_srcdir:-.}/tests/docs/doc-lib.sh"

doc_need_tool groff groff-base || doc_finish
n=0
for page in "$top_srcdir"/man/*.[1-9]; do
    [ -f "$page" ] || continue
    n=$((n + 1))
    out=$(groff -man -ww -z "$page" 2>&1)
    st=$?
    if [ "$st" != 0 ] || [ -n "$out" ]; then
        doc_error "groff -man -ww -z $(basename "$page") (exit $st):"
        printf '%s\n' "$out" | sed 's/^/    /' >&2
    fi
done
[ "$n" -gt 0 ] || doc_error "no manual page found in $top_srcdir/man"
doc_finish "$n pages format with groff -ww without a warning"
