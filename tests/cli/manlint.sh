#!/bin/sh
# man/cors-check.1 passes mandoc's checks at warning level with no output.
: "${top_srcdir:=.}"
page="$top_srcdir/man/cors-check.1"
if ! command -v mandoc > /dev/null 2>&1; then
    if [ -n "${CI:-}" ]; then
        echo "manlint: mandoc is missing, and CI is set: install it (Debian: mandoc)" >&2
        exit 1
    fi
    echo "manlint: mandoc not found; skipped (install mandoc to run this test)"
    exit 77
fi
out=$(mandoc -Tlint -W warning "$page" 2>&1)
status=$?
if [ $status != 0 ] || [ -n "$out" ]; then
    echo "manlint: mandoc -Tlint -W warning $page (exit $status):" >&2
    printf '%s\n' "$out" >&2
    exit 1
fi
echo "manlint: $page is clean"
