# examples/apache/: the Apache httpd module mod_cors_policy (issue 11).
# Included from the top-level Makefile.am; configure decides whether it is
# built (--with-apache-module / --without-apache-module).
#
# apxs compiles and links it the way Apache expects, with Apache's libtool.
# apxs writes its objects next to the source, so the source is copied into
# the build tree first (the source tree may be read-only, as in distcheck).
# The module links the convenience library lib/libcors-impl.la and exports
# only cors_policy_module (mod_cors_policy.sym): its copy of libcors stays
# private even though httpd loads modules with RTLD_GLOBAL.
EXTRA_DIST += examples/apache/mod_cors_policy.c examples/apache/mod_cors_policy.sym

APXS_BUILD_DIR = examples/apache/apxs
if BUILD_APACHE_MODULE
apachemoduledir = $(APACHE_MODULEDIR)
apachemodule_DATA = examples/apache/mod_cors_policy.so
endif
CLEANFILES += examples/apache/mod_cors_policy.so

examples/apache/mod_cors_policy.so: $(srcdir)/examples/apache/mod_cors_policy.c \
		$(srcdir)/examples/apache/mod_cors_policy.sym $(top_srcdir)/include/cors.h \
		lib/libcors-impl.la
	$(AM_V_GEN)rm -rf $(APXS_BUILD_DIR) && $(MKDIR_P) $(APXS_BUILD_DIR) && \
	cp $(srcdir)/examples/apache/mod_cors_policy.c $(APXS_BUILD_DIR)/ && \
	( cd $(APXS_BUILD_DIR) && $(APXS) -c -S CC='$(CC)' \
	    -Wc,'$(STD_CFLAGS) $(WARN_CFLAGS) $(CFLAGS)' -I'$(abs_top_srcdir)/include' \
	    -Wl,-export-symbols -Wl,'$(abs_top_srcdir)/examples/apache/mod_cors_policy.sym' \
	    -o mod_cors_policy.la mod_cors_policy.c '$(abs_top_builddir)/lib/libcors-impl.la' \
	) >$(APXS_BUILD_DIR)/build.log 2>&1 || { cat $(APXS_BUILD_DIR)/build.log >&2; exit 1; }
	@grep -i 'warning' $(APXS_BUILD_DIR)/build.log >&2 || :
	$(AM_V_at)cp $(APXS_BUILD_DIR)/.libs/mod_cors_policy.so $@

clean-local: clean-apache-module
clean-apache-module:
	-rm -rf $(APXS_BUILD_DIR)
.PHONY: clean-apache-module

# The tests start the packaged apache2 with this module (tests/integration).
TESTS_ENVIRONMENT += \
	APACHE_MODULE_BUILT='$(apache_module)' APACHE_MODULE_WHY='$(apache_module_why)' \
	APACHE2='$(APACHE2)' APACHE_LIBEXECDIR='$(APACHE_LIBEXECDIR)' \
	APACHE_MODULE='$(abs_top_builddir)/examples/apache/mod_cors_policy.so'

# distcheck installs under its own prefix, never into the system's Apache.
AM_DISTCHECK_CONFIGURE_FLAGS = --with-apache-moduledir='$${libdir}/apache2/modules'
