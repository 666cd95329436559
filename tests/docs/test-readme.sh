#!/bin/sh
# README cannot drift from the code: every fenced code block in it is
# checked according to its language tag.
#
#   ```c               compiled and linked against the built library with the
#                      library's own warning flags (-Werror included), and run
#                      when it has a main(); it must exit 0.
#   ```output          what the runnable block just before it prints, exactly.
#   ```policy          built with the library (tests/docs/doc-policy): must build.
#   ```policy-refused  built with the library: must be refused with an error,
#                      and build once its last line (the culprit) is removed.
#   ```sh              every command must be one this test knows, and each
#                      known command is checked (files it names exist, the
#                      quick-start demo prints what README shows...).
#   ```python          run with python3 against the built library.
#   ```apache          an Apache httpd configuration excerpt: when the module
#                      mod_cors_policy was built, "apache2 -t" must accept it
#                      with the module loaded; CorsPolicy reads the ```policy
#                      block before it.
#   ```nginx           an nginx configuration excerpt (the contents of an
#                      http block): when ngx_http_cors_policy_module was
#                      built, "nginx -t" must accept it with the module
#                      loaded; cors_policy reads the ```policy block before it.
#   ```console, ```text  shown only, never run.
# A block without a tag or with any other tag fails the test, so nothing
# escapes by accident.  The sections must also come in the order issue 7
# asks for, and the policy table must name every directive the parser knows.
doc_name=test-readme
. "${top_srcdir:-.}/tests/docs/doc-lib.sh"
doc_load_env

readme=$top_srcdir/README
[ -s "$readme" ] || { echo "$doc_name: $readme is missing or empty" >&2; exit 1; }

# ------------------------------------------------------------ the sections
# Headings are Markdown setext ones: a line underlined with === or ---.
awk 'NR > 1 && /^(===+|---+)[ \t]*$/ && prev != "" { print prev } { prev = $0 }' \
    "$readme" > "$doc_tmp/headings"
order='Quick start
Integrating libcors into a server
Building and installing
Using libcors from other programs
The policy format
What libcors refuses, and why
Security
Performance
Manual pages
The project'
last=0
printf '%s\n' "$order" > "$doc_tmp/order"
while IFS= read -r h; do
    at=$(grep -nxF "$h" "$doc_tmp/headings" | head -n 1 | cut -d: -f1)
    if [ -z "$at" ]; then
        doc_error "README has no \"$h\" section"
    elif [ "$at" -lt "$last" ]; then
        doc_error "README: section \"$h\" is out of order"
    else
        last=$at
    fi
done < "$doc_tmp/order"

# Every directive of the policy text parser appears in the policy list.
directives=$(sed -n 's/^[[:space:]]*{"\([a-z-]*\)", read_[a-z]*,.*/\1/p' "$top_srcdir/lib/policy_text.c")
[ -n "$directives" ] || doc_error "could not read the directive table of lib/policy_text.c"
for d in $directives; do
    grep -q "^- \`$d\`: " "$readme" || doc_error "README's policy list does not describe $d"
done

# ------------------------------------------------------------- the blocks
# Split README into blocks: $doc_tmp/block.N holds the text, and the list
# file one "N TAG LINE" per block.
awk -v dir="$doc_tmp" '
    !inblock && /^```/ {
        tag = substr($0, 4); sub(/[ \t]+$/, "", tag)
        if (tag == "") tag = "(none)"
        n++; inblock = 1; file = dir "/block." n; printf "" > file
        print n, tag, NR > (dir "/list"); next
    }
    inblock && /^```[ \t]*$/ { inblock = 0; close(file); next }
    inblock { print > file }
    END { if (inblock) print "unterminated" > (dir "/list") }
' "$readme"
if grep -q unterminated "$doc_tmp/list"; then
    doc_error "README has an unterminated code block"
fi

# The commands README may show in ```sh blocks.  Each is checked below.
version=$PACKAGE_VERSION
PKG_CONFIG=${PKG_CONFIG:-pkg-config}
quickstart='apt-get update && apt-get install -y $(cat .ci/packages-build) && autoreconf -fi && ./configure && make && ./examples/cors-check/cors-check examples/cors-check/messaging-preflight.http'
pc_shared='cc -o myserver myserver.c $(pkg-config --cflags --libs libcors)'
pc_static='cc -static -o myserver myserver.c $(pkg-config --cflags --libs --static libcors)'

# check_command CMD LINE: "run" prints the command's output to compare with
# a following ```output block, when the command has one.
last_output=
first_c=
check_command() {
    case $1 in
    "$quickstart")
        [ -s "$top_srcdir/.ci/packages-build" ] || doc_error "README line $2: .ci/packages-build is missing"
        [ -f "$top_srcdir/examples/cors-check/messaging-preflight.http" ] ||
            doc_error "README line $2: examples/cors-check/messaging-preflight.http is missing"
        if [ ! -x "$top_builddir/examples/cors-check/cors-check$EXEEXT" ]; then
            doc_error "README line $2: examples/cors-check/cors-check was not built"
            return
        fi
        # The response head (CRLF line ends shown as LF), then the built-in policy
        # notice and the verdict line.
        "$top_builddir/examples/cors-check/cors-check$EXEEXT" \
            "$top_srcdir/examples/cors-check/messaging-preflight.http" < /dev/null > "$doc_tmp/qs.out" 2> "$doc_tmp/qs.err"
        st=$?
        [ "$st" = 0 ] || doc_error "README line $2: the quick-start cors-check exits with $st, not 0"
        { tr -d '\r' < "$doc_tmp/qs.out"; cat "$doc_tmp/qs.err"; } > "$doc_tmp/qs.all"
        last_output=$doc_tmp/qs.all ;;
    'bash .ci/run')
        # One line on a fresh machine: installs the test packages, then runs
        # what CI runs.
        grep -q 'packages-test' "$top_srcdir/.ci/run" ||
            doc_error "README line $2: .ci/run does not install .ci/packages-test"
        grep -q 'tests/run-all.sh' "$top_srcdir/.ci/run" ||
            doc_error "README line $2: .ci/run does not run tests/run-all.sh" ;;
    'sh tests/run-all.sh')
        [ -f "$top_srcdir/tests/run-all.sh" ] || doc_error "README line $2: tests/run-all.sh is missing"
        grep -q 'tests/run-all.sh' "$top_srcdir/.ci/run" ||
            doc_error "README line $2: .ci/run does not run tests/run-all.sh, so CI does not run what README says" ;;
    "tar xf libcors-$version.tar.gz" | "cd libcors-$version")
        ;; # the version is the one configure.ac declares
    autoreconf\ -fi | ./configure | make | 'make check' | 'sudo make install')
        [ -f "$top_srcdir/configure.ac" ] || doc_error "README line $2: configure.ac is missing" ;;
    "$pc_shared" | "$pc_static")
        check_pkgconfig "$1" "$2" ;;
    'man -l man/'*)
        page=${1#man -l }
        [ -f "$top_srcdir/$page" ] || doc_error "README line $2: $page does not exist" ;;
    'python3 examples/python/'*)
        script=${1#python3 }
        [ -f "$top_srcdir/$script" ] || doc_error "README line $2: $script does not exist" ;;
    *)
        doc_error "README line $2: unknown command in a sh block (add it to $doc_name.sh with a check, or show it as console): $1" ;;
    esac
}

# The pkg-config lines really work: the module is found under the name
# README gives, and the shared-library line builds the integration example
# (README says "the server above saved as myserver.c") against this build,
# with pkg-config's directories pointed at the build tree.  The static line
# uses the same module and flags plus -static, which needs a static libc, so
# only its module lookup is checked.
check_pkgconfig() {
    if [ ! -f "$top_builddir/libcors.pc" ]; then
        doc_error "README line $2: libcors.pc was not generated"
        return
    fi
    if ! doc_need_tool "$PKG_CONFIG" pkg-config; then
        return
    fi
    if ! PKG_CONFIG_PATH=$top_builddir $PKG_CONFIG --exists libcors; then
        doc_error "README line $2: pkg-config does not find the module libcors"
        return
    fi
    [ "$1" = "$pc_shared" ] || return
    if [ -z "$first_c" ]; then
        doc_error "README line $2: no C block before the pkg-config line to save as myserver.c"
        return
    fi
    builddir_abs=$(cd "$top_builddir" && pwd)
    srcdir_abs=$(cd "$top_srcdir" && pwd)
    flags=$(PKG_CONFIG_PATH=$top_builddir $PKG_CONFIG \
        --define-variable=includedir="$srcdir_abs/include" \
        --define-variable=libdir="$builddir_abs/lib/.libs" --cflags --libs libcors) || {
        doc_error "README line $2: pkg-config --cflags --libs libcors fails"
        return
    }
    cp "$first_c" "$doc_tmp/myserver.c"
    # The README's "cc", with this build's compiler and warning flags.
    if ! (cd "$doc_tmp" && $CC $CFLAGS $LDFLAGS -o myserver myserver.c $flags) > "$doc_tmp/pc.log" 2>&1; then
        doc_error "README line $2: $pc_shared fails:"
        sed 's/^/    /' "$doc_tmp/pc.log" >&2
        return
    fi
    LD_LIBRARY_PATH=$builddir_abs/lib/.libs${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH} \
        "$doc_tmp/myserver" < /dev/null > /dev/null 2>&1 ||
        doc_error "README line $2: the program built with pkg-config does not run"
}

# In a sanitizer build the library needs the sanitizer's runtime, which must
# be loaded before anything else in a program not built with it (python3).
# sanitizer_runtime SO prints the runtime to preload, nothing for other
# builds, and fails when it cannot be found.  gcc links the library against
# the runtime (ldd names it); clang leaves its symbols to the executable.
sanitizer_runtime() {
    case " $CFLAGS $LDFLAGS " in
    *" -fsanitize="*address*) kind=asan ;;
    *" -fsanitize="*thread*) kind=tsan ;;
    *) return 0 ;;
    esac
    rt=$(ldd "$1" 2>/dev/null | awk -v k="lib$kind.so" 'index($1, k) == 1 && $3 ~ /^\// { print $3; exit }')
    if [ -z "$rt" ]; then
        rt=$($CC -print-file-name="libclang_rt.$kind-$(uname -m).so" 2>/dev/null)
    fi
    case $rt in /*) [ -f "$rt" ] && { echo "$rt"; return 0; } ;; esac
    return 1
}

run_python() {
    if ! doc_need_tool python3 python3; then
        return
    fi
    so=$(ls "$top_builddir"/lib/.libs/libcors.so.* 2>/dev/null | head -n 1)
    if [ -z "$so" ]; then
        doc_error "README line $2: no shared library to load from Python"
        return
    fi
    if ! preload=$(sanitizer_runtime "$so"); then
        doc_error "README line $2: cannot find the sanitizer runtime that python3 must preload"
        return
    fi
    # The binding finds the library through LIBCORS_PATH, and Python the
    # binding through PYTHONPATH, as README tells users to set them.  Leak
    # checking is off: it would report the interpreter's own allocations.
    LD_PRELOAD=${preload:-${LD_PRELOAD:-}} \
    ASAN_OPTIONS=${preload:+detect_leaks=0:}${ASAN_OPTIONS:-} \
    LIBCORS_PATH=$so PYTHONPATH=$top_srcdir/examples/python${PYTHONPATH:+:$PYTHONPATH} \
        python3 "$1" < /dev/null > "$1.out" 2> "$1.err"
    st=$?
    if [ "$st" != 0 ]; then
        doc_error "README line $2: the python block exits with $st:"
        sed 's/^/    /' "$1.err" >&2
        return
    fi
    last_output=$1.out
}

# check_apache BLOCK LINE: "apache2 -t" on the excerpt, with the packaged
# modules a CORS set-up uses and this build's mod_cors_policy loaded (its
# LoadModule line names the installed one); each CorsPolicy reads the last
# policy block shown before it.
last_policy=
check_apache() {
    _d=$1.httpd
    mkdir -p "$_d"
    {
        echo "ServerRoot \"$_d\""
        echo "ServerName 127.0.0.1"
        echo "Listen 127.0.0.1:8"
        echo "ErrorLog \"$_d/error.log\""
        for _m in mpm_event authn_core authn_file auth_basic authz_core authz_user \
            headers setenvif rewrite proxy proxy_http; do
            echo "LoadModule ${_m}_module \"$APACHE_LIBEXECDIR/mod_$_m.so\""
        done
        echo "LoadModule cors_policy_module \"$APACHE_MODULE\""
        grep -v '^LoadModule cors_policy_module ' "$1" |
            sed "s|^\([[:space:]]*CorsPolicy[[:space:]]\{1,\}\)/[^[:space:]]*|\1$last_policy|"
    } > "$_d/httpd.conf"
    if ! "$APACHE2" -t -f "$_d/httpd.conf" -d "$_d" > "$_d/out" 2>&1; then
        doc_error "README line $2: apache2 -t refuses the configuration:"
        sed 's/^/    /' "$_d/out" >&2
        return 1
    fi
}

# check_nginx BLOCK LINE: "nginx -t" on the excerpt inside an http block,
# with this build's module loaded; each cors_policy FILE reads the last
# policy block shown before it, and logs go to the scratch directory.
check_nginx() {
    _d=$1.nginx
    mkdir -p "$_d"
    {
        echo "load_module $nginx_module_so;"
        echo "error_log $_d/error.log;"
        echo "pid $_d/nginx.pid;"
        echo "events { }"
        echo "http {"
        sed -e "s|^\([[:space:]]*cors_policy[[:space:]]\{1,\}\)/[^;]*;|\1$last_policy;|" \
            -e "s|/var/log/nginx/|$_d/|" "$1"
        echo "}"
    } > "$_d/nginx.conf"
    if ! "$nginx_bin" -p "$_d" -c "$_d/nginx.conf" -t > "$_d/out" 2>&1; then
        doc_error "README line $2: nginx -t refuses the configuration:"
        sed 's/^/    /' "$_d/out" >&2
        return 1
    fi
}

counts=
count() { counts="$counts $1"; }
while read -r n tag line; do
    block=$doc_tmp/block.$n
    [ "$tag" = output ] || last_output=
    case $tag in
    c)
        cp "$block" "$doc_tmp/readme-$n.c"
        [ -n "$first_c" ] || first_c=$doc_tmp/readme-$n.c
        # A following ```output block is what the program must print.
        next=$((n + 1))
        expected=
        if grep -q "^$next output " "$doc_tmp/list"; then
            expected=$doc_tmp/block.$next
        fi
        doc_run_c "$doc_tmp/readme-$n.c" "README's C block at line $line" "$expected" && count c
        last_output=consumed ;;
    output)
        if [ -z "$last_output" ]; then
            doc_error "README line $line: an output block that follows nothing runnable"
        elif [ "$last_output" != consumed ]; then
            if diff -u "$block" "$last_output" > "$doc_tmp/out.diff"; then
                count output
            else
                doc_error "README line $line: the output shown differs from the real one (- README, + actual):"
                sed 's/^/    /' "$doc_tmp/out.diff" >&2
            fi
        fi
        last_output= ;;
    policy)
        last_policy=$block
        doc_policy "$block" "README's policy at line $line" builds && count policy ;;
    policy-refused)
        # Refused, and because of its last line: without it the rest builds,
        # so a typo elsewhere cannot pass for the refusal README explains.
        sed '$d' "$block" > "$block.head"
        doc_policy "$block" "README's refused policy at line $line" refused &&
            doc_policy "$block.head" "README's refused policy at line $line, without its last line," builds &&
            count refused ;;
    sh)
        k=0
        while IFS= read -r cmd; do
            k=$((k + 1))
            case $cmd in '' | '#'*) continue ;; esac
            check_command "$cmd" $((line + k))
        done < "$block"
        count sh ;;
    python)
        cp "$block" "$doc_tmp/readme-$n.py"
        run_python "$doc_tmp/readme-$n.py" "$line" && count python ;;
    apache)
        if [ "${APACHE_MODULE_BUILT:-no}" = yes ] && [ -x "${APACHE2:-}" ]; then
            check_apache "$block" "$line" && count apache
        else
            count shown
        fi ;;
    nginx)
        if [ "${nginx_module:-no}" = yes ] && [ -x "${nginx_bin:-}" ]; then
            check_nginx "$block" "$line" && count nginx
        else
            count shown
        fi ;;
    console | text)
        count shown ;;
    *)
        doc_error "README line $line: code block with tag \"$tag\": use c, output, policy, policy-refused, sh, python, apache, nginx, console or text" ;;
    esac
done < "$doc_tmp/list"

summary=$(printf '%s\n' $counts | sort | uniq -c | awk '{ printf "%s%d %s", sep, $1, $2; sep = ", " }')
doc_finish "README blocks checked: $summary"
