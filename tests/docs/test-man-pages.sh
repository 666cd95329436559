#!/bin/sh
# Every public function (each CORS_API declaration in cors.h) and every
# function-like cors_ macro has its own section-3 page with the sections a C
# library page needs, installed by "make install"; the overview and format
# pages exist; and every libcors page a page refers to exists.  Needs no
# external tool.
doc_name=test-man-pages
. "${top_srcdir:-.}/tests/docs/doc-lib.sh"

man=$top_srcdir/man
header=$top_srcdir/include/cors.h
sections='NAME SYNOPSIS DESCRIPTION RETURN_VALUE ERRORS EXAMPLE SEE_ALSO HISTORY'

# The function name of each declaration line that starts with CORS_API.  A
# declaration the pattern cannot read fails the test rather than escaping it.
decls=$(grep -c '^CORS_API[[:space:]]' "$header")
funcs=$(sed -n 's/^CORS_API[[:space:]][^(]*[^A-Za-z0-9_]\([A-Za-z_][A-Za-z0-9_]*\)(.*/\1/p' "$header")
nfuncs=$(printf '%s\n' "$funcs" | grep -c .)
if [ "$decls" = 0 ] || [ "$decls" != "$nfuncs" ]; then
    doc_error "found $decls CORS_API declarations in $header but could read $nfuncs function names"
fi
# Function-like macros with a function's name (cors_request_init...) are
# called like functions, so they have their own pages as well; their pages
# must say that they are macros, since no symbol stands behind them.
macros=$(sed -n 's/^#[[:space:]]*define[[:space:]]\{1,\}\(cors_[a-z0-9_]*\)(.*/\1/p' "$header")
nmacros=$(printf '%s\n' "$macros" | grep -c .)

# The files the fragments install as manual pages.
installed=$(cat "$top_srcdir"/Makefile.am "$top_srcdir"/*/local.mk "$top_srcdir"/*/*/local.mk 2>/dev/null |
    sed -n '/^dist_man[0-9]_MANS/,/[^\\]$/p' | tr ' \t\\' '\n\n\n' | grep '^man/')
is_installed() {
    printf '%s\n' "$installed" | grep -qx "man/$1"
}

for f in $funcs $macros; do
    page=$man/$f.3
    if [ ! -f "$page" ]; then
        doc_error "public function or macro $f has no manual page (expected man/$f.3)"
        continue
    fi
    is_installed "$f.3" || doc_error "man/$f.3 is not in dist_man3_MANS (man/local.mk): make install would skip it"
    # The section headings, in order, spaces as underscores.
    got=$(sed -n 's/^\.SH[[:space:]]*"\{0,1\}\([^"]*\)"\{0,1\}[[:space:]]*$/\1/p' "$page" | tr ' ' '_' | tr '\n' ' ')
    [ "$got" = "$sections " ] ||
        doc_error "man/$f.3 has sections [$got], expected [$sections ] in that order"
    sed -n '/^\.SH NAME/,/^\.SH/p' "$page" | grep -q "^$f[ ,]" ||
        doc_error "man/$f.3: the NAME section does not name $f"
    sed -n '/^\.SH SYNOPSIS/,/^\.SH/p' "$page" | grep -q "[^A-Za-z0-9_]$f(" ||
        doc_error "man/$f.3: the SYNOPSIS does not declare $f()"
    sed -n '/^\.SH HISTORY/,$p' "$page" | grep -q '^First appeared in libcors [0-9]' ||
        doc_error "man/$f.3: HISTORY does not say in which version $f first appeared"
    grep -q "^\.BR $f (3)" "$man/libcors.3" ||
        doc_error "the overview libcors(3) does not list $f(3)"
done
for f in $macros; do
    [ -f "$man/$f.3" ] || continue
    sed -n '/^\.SH SYNOPSIS/,/^\.SH DESCRIPTION/p' "$man/$f.3" | grep -q "$f(.*macro" ||
        doc_error "man/$f.3: the SYNOPSIS does not say that $f is a macro"
done

# A section-3 page for something cors.h no longer declares is stale.
for page in "$man"/*.3; do
    f=$(basename "$page" .3)
    [ "$f" = libcors ] && continue
    printf '%s\n' "$funcs" "$macros" | grep -qx "$f" ||
        doc_error "man/$f.3 documents $f, which cors.h does not declare"
done

for page in libcors.3 libcors-policy.5; do
    if [ ! -f "$man/$page" ]; then
        doc_error "man/$page is missing"
    else
        is_installed "$page" || doc_error "man/$page is not installed (dist_man*_MANS)"
    fi
done
for page in "$man"/*.[1-9]; do
    is_installed "$(basename "$page")" ||
        doc_error "man/$(basename "$page") is in the tree but no fragment installs it"
done

# Every code the library can return, every outcome and every reason is
# explained on the page of the function that names it.
enum_documented() {
    for c in $(sed -n "s/^[[:space:]]*\\($1[A-Z_]*\\)\\([[:space:]]*=[^,]*\\)\\{0,1\\},\\{0,1\\}[[:space:]]*\\(\\/\\*.*\\)\\{0,1\\}$/\\1/p" "$header"); do
        grep -q "^\.B $c\$" "$man/$2" || doc_error "man/$2 does not explain $c"
    done
}
enum_documented CORS_ERR_ cors_strerror.3
enum_documented CORS_OUTCOME_ cors_outcome_string.3
enum_documented CORS_REASON_ cors_reason_string.3
enum_documented CORS_DANGER_ cors_builder_allow_danger.3

# Every directive of the policy text parser is described in libcors-policy(5).
directives=$(sed -n 's/^[[:space:]]*{"\([a-z-]*\)", read_[a-z]*,.*/\1/p' "$top_srcdir/lib/policy_text.c")
[ -n "$directives" ] || doc_error "could not read the directive table of lib/policy_text.c"
for d in $directives; do
    grep -q "^\.B[IR]\{0,1\} $(printf '%s' "$d" | sed 's/-/\\\\-/g')\( \|$\)" "$man/libcors-policy.5" ||
        doc_error "man/libcors-policy.5 does not describe the directive $d"
done

# References such as ".BR cors_evaluate (3)" to libcors's own pages resolve.
for page in "$man"/*.[1-9]; do
    sed -n 's/^\.BR[[:space:]]\{1,\}\(cors[_\\a-z-]*\|libcors[\\a-z-]*\)[[:space:]]\{1,\}(\([1-9]\)).*/\1.\2/p' "$page" |
        sed 's/\\-/-/g' | sort -u | while read -r ref; do
            [ -f "$man/$ref" ] || echo "$ref"
        done > "${TMPDIR:-/tmp}/$doc_name.$$"
    if [ -s "${TMPDIR:-/tmp}/$doc_name.$$" ]; then
        doc_error "$(basename "$page") refers to missing pages: $(tr '\n' ' ' < "${TMPDIR:-/tmp}/$doc_name.$$")"
    fi
    rm -f "${TMPDIR:-/tmp}/$doc_name.$$"
done

doc_finish "$nfuncs public functions and $nmacros function-like macros, each with its own page"
