#!/bin/bash
# build-module.sh NGINX_SRC MODULE_DIR OBJS_DIR LIBCORS_INCLUDE LIBCORS_A
# Builds ngx_http_cors_policy_module.so in OBJS_DIR the way Debian builds
# nginx modules (its debhelper nginx_mod build system): nginx's configure
# with the packaged nginx's flags (NGINX_SRC/conf_flags, else --with-compat)
# and --add-dynamic-module, then its "make modules".  Every path absolute.
# CC, CFLAGS, LDFLAGS and MAKE come from the environment.
set -euo pipefail
src=$1 module=$2 objs=$3 archive=$5
# (the module exports nothing of the libcors linked into it)
export LIBCORS_INCS=$4 LIBCORS_LIBS="-Wl,--exclude-libs,ALL $archive"
so=$objs/ngx_http_cors_policy_module.so

flags=(--with-compat)
if [ -f "$src/conf_flags" ]; then
    # shellcheck disable=SC1091
    . "$src/conf_flags"
    flags=("${NGX_CONF_FLAGS[@]}")
fi

# nginx's configure takes seconds: it runs once per build tree, and again
# when the module's config file says something else (a checkout that only
# touches it does not count); nginx's Makefile tracks the sources.
if [ ! -f "$objs/Makefile" ] || ! cmp -s "$module/config" "$objs/config.configured"; then
    mkdir -p "$objs"
    if ! (cd "$src" && CC=${CC:-cc} ./configure \
            --with-cc-opt="${CFLAGS:-} -fPIC" --with-ld-opt="${LDFLAGS:-} -fPIC" \
            "${flags[@]}" --add-dynamic-module="$module" --builddir="$objs") \
            >"$objs/configure.log" 2>&1; then
        cat "$objs/configure.log" >&2
        echo "build-module.sh: nginx's configure failed (log above)" >&2
        exit 1
    fi
    cp "$module/config" "$objs/config.configured"
fi
# nginx's Makefile knows nothing of the library archive: relink when it
# changed.
if [ -f "$so" ] && [ "$archive" -nt "$so" ]; then
    rm -f "$so"
fi
${MAKE:-make} -s -f "$objs/Makefile" -C "$src" --no-print-directory modules
touch "$so"
