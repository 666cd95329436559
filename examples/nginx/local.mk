# examples/nginx/local.mk: see the top-level Makefile.am.
# The nginx module ngx_http_cors_policy_module (configure.ac decides whether
# it is built).  Its test is in tests/integration, its page in man/.

EXTRA_DIST += examples/nginx/config examples/nginx/ngx_http_cors_policy_module.c \
	examples/nginx/build-module.sh
NGINX_MODULE_SO = examples/nginx/objs/ngx_http_cors_policy_module.so

if BUILD_NGINX_MODULE
# libcors once more, static and position-independent, to be linked into the
# module: nginx then loads it without libcors installed, and the module
# exports none of libcors's symbols.
noinst_LIBRARIES = examples/nginx/libcors-nginx.a
examples_nginx_libcors_nginx_a_SOURCES = $(lib_libcors_impl_la_SOURCES)
examples_nginx_libcors_nginx_a_AR = $(AR) cr
examples_nginx_libcors_nginx_a_CFLAGS = $(AM_CFLAGS) $(VISIBILITY_CFLAGS) -fPIC

nginxmodule_DATA = $(NGINX_MODULE_SO)
$(NGINX_MODULE_SO): examples/nginx/libcors-nginx.a $(top_srcdir)/include/cors.h \
		$(srcdir)/examples/nginx/ngx_http_cors_policy_module.c \
		$(srcdir)/examples/nginx/config $(srcdir)/examples/nginx/build-module.sh
	$(AM_V_GEN)CC='$(CC)' CFLAGS='$(CFLAGS)' LDFLAGS='$(LDFLAGS)' MAKE='$(MAKE)' \
	$(BASH) $(srcdir)/examples/nginx/build-module.sh '$(NGINX_SRC)' \
		'$(abs_srcdir)/examples/nginx' '$(abs_builddir)/examples/nginx/objs' \
		'$(abs_top_srcdir)/include' '$(abs_builddir)/examples/nginx/libcors-nginx.a'
endif

clean-local: clean-nginx-module
clean-nginx-module:
	-rm -rf examples/nginx/objs tests/integration/*.nginx
.PHONY: clean-nginx-module

# "make distcheck" installs under its own prefix, never in the packaged
# nginx's module directory.
AM_DISTCHECK_CONFIGURE_FLAGS += --with-nginx-module-dir='$${libdir}/nginx/modules'

