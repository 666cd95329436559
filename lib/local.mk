# lib/: the library.  Included from the top-level Makefile.am.
include_HEADERS = include/cors.h
pkgconfig_DATA = libcors.pc

# Everything is compiled once into a convenience library: libcors.la exports
# only the public API, while unit tests link the convenience library to reach
# internal functions (origin parsing) directly.
noinst_LTLIBRARIES += lib/libcors-impl.la
lib_libcors_impl_la_SOURCES = \
	lib/internal.h \
	lib/util.c \
	lib/origin.c \
	lib/names.c \
	lib/builder.c \
	lib/policy.c \
	lib/policy_text.c \
	lib/evaluate.c \
	lib/response_check.c \
	lib/errors.c
lib_libcors_impl_la_CFLAGS = $(AM_CFLAGS) $(VISIBILITY_CFLAGS)

lib_LTLIBRARIES = lib/libcors.la
lib_libcors_la_SOURCES =
lib_libcors_la_LIBADD = lib/libcors-impl.la
lib_libcors_la_LDFLAGS = -version-info $(LIBCORS_LT_VERSION) -no-undefined \
	-export-symbols $(srcdir)/lib/libcors.sym
EXTRA_lib_libcors_la_DEPENDENCIES = $(srcdir)/lib/libcors.sym
EXTRA_DIST += lib/libcors.sym
