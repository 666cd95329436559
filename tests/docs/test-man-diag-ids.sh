#!/bin/sh
# libcors-policy(5), DIAGNOSTIC IDENTIFIERS, lists exactly the ids of the one
# list in lib/diag_ids.h, in its order: each id documented, none invented.
doc_name=test-man-diag-ids
. "${top_srcdir:-.}/tests/docs/doc-lib.sh"

list=$top_srcdir/lib/diag_ids.h
page=$top_srcdir/man/libcors-policy.5
# The second argument of every X(NAME, "id", "meaning") entry.
sed -n 's/^ *X([A-Z0-9_]*, "\([a-z0-9-]*\)".*/\1/p' "$list" > "$tmp/code"
# The .B line after every .TP of the section, with \- as -.
sed -n '/^\.SH DIAGNOSTIC IDENTIFIERS/,/^\.SH /p' "$page" |
    sed -n '/^\.TP/{n;s/^\.B //;s/\\-/-/g;p;}' > "$tmp/man"
n=$(wc -l < "$tmp/code")
[ "$n" -gt 0 ] || doc_error "no id found in $list"
if ! cmp -s "$tmp/code" "$tmp/man"; then
    doc_error "the ids in $page differ from $list (- code, + man):"
    diff "$tmp/code" "$tmp/man" | sed 's/^/    /' >&2
fi
doc_finish "libcors-policy(5) lists the $n diagnostic ids of lib/diag_ids.h"
