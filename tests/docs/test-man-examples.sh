#!/bin/sh
# The examples in the manual pages are real: the EXAMPLE program of every
# section-3 page compiles against the built library with the library's own
# warning flags, runs successfully and, when the page shows what it prints,
# prints exactly that; every policy in libcors-policy(5)'s EXAMPLES builds.
doc_name=test-man-examples
. "${top_srcdir:-.}/tests/docs/doc-lib.sh"
doc_load_env

# extract PAGE PREFIX: writes the .EX/.EE blocks of the EXAMPLE(S) section
# as PREFIX.1, PREFIX.2, ..., turning roff escapes back into plain text, and
# prints how many there are.
extract() {
    awk -v prefix="$2" '
        /^\.SH/ { insec = ($0 ~ /^\.SH[ \t]+"?EXAMPLES?"?[ \t]*$/); next }
        insec && /^\.EX/ { inblock = 1; n++; printf "" > (prefix "." n); next }
        insec && /^\.EE/ { inblock = 0; close(prefix "." n); next }
        inblock {
            line = $0
            gsub(/\\-/, "-", line)
            gsub(/\\&/, "", line)
            gsub(/\\\(aq/, "\047", line)
            gsub(/\\\(dq/, "\"", line)
            gsub(/\\e/, "\\", line)
            print line > (prefix "." n)
        }
        END { print n + 0 }
    ' "$1"
}

programs=0
for page in "$top_srcdir"/man/*.3; do
    name=$(basename "$page" .3)
    n=$(extract "$page" "$doc_tmp/$name")
    if [ "$n" = 0 ]; then
        doc_error "man/$name.3 has no example in its EXAMPLE section"
        continue
    fi
    # The first block is the program; a second one is what it prints.
    cp "$doc_tmp/$name.1" "$doc_tmp/$name.c"
    expected=
    [ "$n" -ge 2 ] && expected=$doc_tmp/$name.2
    [ "$n" -le 2 ] || doc_error "man/$name.3: EXAMPLE has $n blocks; expected a program and its output"
    doc_run_c "$doc_tmp/$name.c" "the EXAMPLE of man/$name.3" "$expected" &&
        programs=$((programs + 1))
done

policies=0
for page in "$top_srcdir"/man/*.5; do
    name=$(basename "$page" .5)
    n=$(extract "$page" "$doc_tmp/$name")
    i=1
    while [ "$i" -le "$n" ]; do
        doc_policy "$doc_tmp/$name.$i" "example $i of man/$name.5" builds &&
            policies=$((policies + 1))
        i=$((i + 1))
    done
done
[ "$policies" -gt 0 ] || doc_error "no policy example found in the section-5 pages"

doc_finish "$programs example programs and $policies example policies work as shown"
