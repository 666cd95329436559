# tests/integration/: libcors in use: the example servers over real sockets,
# the framework integrations, the Python binding, a downstream build through
# pkg-config, and a real browser.

# rawhttp sends exact bytes (malformed requests included) to a server.
check_PROGRAMS += tests/integration/rawhttp
tests_integration_rawhttp_SOURCES = tests/integration/rawhttp.c

# The tests of the programs in examples/ (not run with --disable-examples)...
EXAMPLE_TESTS = \
	tests/integration/test-minimal.sh \
	tests/integration/test-messages-server.sh \
	tests/integration/test-frameworks.sh \
	tests/integration/test-browser.sh
# ...and those of the library as other programs use it (the server modules
# have their own configure switches).
INTEGRATION_TESTS = \
	tests/integration/test-python.sh \
	tests/integration/test-pkgconfig.sh \
	tests/integration/test-cmake.sh
if ENABLE_EXAMPLES
TESTS += $(EXAMPLE_TESTS)
endif
TESTS += $(INTEGRATION_TESTS)
# The server modules' tests run wherever a module could be built, and fail
# under CI when it was not; a configuration that leaves a module out on
# purpose (a sanitizer build, --without-*) does not list them.
if !APACHE_MODULE_OFF
TESTS += tests/integration/test-apache.sh
if ENABLE_EXAMPLES
TESTS += tests/integration/test-browser-apache.sh
endif
endif
EXTRA_DIST += tests/integration/test-apache.sh tests/integration/test-browser-apache.sh
EXTRA_DIST += $(EXAMPLE_TESTS) $(INTEGRATION_TESTS) tests/integration/servers-lib.sh \
	tests/integration/apache-lib.sh tests/integration/browser-apache.sh \
	tests/integration/pkgconfig-demo.c tests/integration/browser/scenarios.html
# servers_CFLAGS/LDFLAGS: downstream and FFI tests need the flags the
# library was built with (sanitizer builds put their runtime flags there).
TESTS_ENVIRONMENT += \
	CC='$(CC)' PKG_CONFIG='$(PKG_CONFIG)' MAKE='$(MAKE)' \
	servers_libdir='$(libdir)' servers_pkgconfigdir='$(pkgconfigdir)' \
	servers_CFLAGS='$(CFLAGS)' servers_LDFLAGS='$(LDFLAGS)'

# The packaged nginx with the module, driven by curl; skipped when the module
# could not be built (failing instead under CI); not listed when configure
# leaves it out on purpose.
# test-browser-nginx.sh: the browser scenarios with the APIs behind it.
if !NGINX_MODULE_OFF
TESTS += tests/integration/test-nginx.sh
if ENABLE_EXAMPLES
TESTS += tests/integration/test-browser-nginx.sh
endif
endif
EXTRA_DIST += tests/integration/test-nginx.sh tests/integration/nginx-lib.sh \
	tests/integration/test-browser-nginx.sh tests/integration/browser-nginx.sh
TESTS_ENVIRONMENT += nginx_bin='$(NGINX)' nginx_module='$(NGINX_MODULE)' \
	nginx_module_so='$(abs_builddir)/$(NGINX_MODULE_SO)'
