# lib/: the library.  Included from the top-level Makefile.am.
include_HEADERS = include/cors.h
pkgconfig_DATA = libcors.pc

# Everything is compiled once into a convenience library: libcors.la exports
# only the public API, while unit tests link the convenience library to reach
# internal functions (origin parsing) directly.
noinst_LTLIBRARIES += lib/libcors-impl.la
lib_libcors_impl_la_SOURCES = \
	lib/internal.h \
	lib/util.h \
	lib/hash.h \
	lib/tables.h \
	lib/origin.h \
	lib/origin_fast.h \
	lib/names.h \
	lib/builder.h \
	lib/diag_ids.h \
	lib/policy.h \
	lib/util.c \
	lib/origin.c \
	lib/punycode.c \
	lib/psl.h \
	lib/psl.c \
	lib/psl_data.c \
	lib/names.c \
	lib/builder.c \
	lib/policy.c \
	lib/policy_text.c \
	lib/evaluate.c \
	lib/response_check.c \
	lib/messages.c \
	lib/version.c \
	lib/fields.c \
	lib/policy_file.c \
	lib/same_origin.c \
	lib/holder.c
lib_libcors_impl_la_CFLAGS = $(AM_CFLAGS) $(VISIBILITY_CFLAGS)

# The Public Suffix List table (lib/psl_data.c) is generated at development
# time from Debian's publicsuffix package and committed; "make update-psl"
# refreshes it, naming the snapshot after the package's version date.
PSL_LIST = /usr/share/publicsuffix/public_suffix_list.dat
EXTRA_DIST += lib/gen-psl.py
update-psl:
	date=`dpkg-query -W -f '$${Version}' publicsuffix 2>/dev/null | \
	    sed -n 's/^\([0-9]\{4\}\)\([0-9][0-9]\)\([0-9][0-9]\).*/\1-\2-\3/p'`; \
	python3 $(srcdir)/lib/gen-psl.py $(PSL_LIST) $$date >$(srcdir)/lib/psl_data.c.tmp && \
	mv $(srcdir)/lib/psl_data.c.tmp $(srcdir)/lib/psl_data.c
.PHONY: update-psl

lib_LTLIBRARIES = lib/libcors.la
lib_libcors_la_SOURCES =
lib_libcors_la_LIBADD = lib/libcors-impl.la
lib_libcors_la_LDFLAGS = -version-info $(LIBCORS_LT_VERSION) -no-undefined
# lib/libcors.sym is the one list of exported symbols and their version
# nodes; the linker gets it as a version script, or as a plain list.
if HAVE_VERSION_SCRIPT
lib_libcors_la_LDFLAGS += -Wl,--version-script=lib/libcors.ver
EXTRA_lib_libcors_la_DEPENDENCIES = lib/libcors.ver lib/libdir.stamp
else
lib_libcors_la_LDFLAGS += -export-symbols lib/libcors.exp
EXTRA_lib_libcors_la_DEPENDENCIES = lib/libcors.exp lib/libdir.stamp
endif
lib/libcors.ver: $(srcdir)/lib/libcors.sym $(srcdir)/lib/version-script.awk
	$(AM_V_GEN)$(MKDIR_P) lib && \
	$(AWK) -f $(srcdir)/lib/version-script.awk $(srcdir)/lib/libcors.sym >$@-t && mv $@-t $@
lib/libcors.exp: $(srcdir)/lib/libcors.sym
	$(AM_V_GEN)$(MKDIR_P) lib && \
	$(AWK) '/^#/ || /:$$/ || NF == 0 { next } { print $$1 }' $(srcdir)/lib/libcors.sym >$@-t && mv $@-t $@
CLEANFILES += lib/libcors.ver lib/libcors.exp lib/libcors.ver-t lib/libcors.exp-t
EXTRA_DIST += lib/libcors.sym lib/version-script.awk

# ----------------------------------------------------------------- coverage
# make coverage: line and branch coverage of lib/ by the Check suites,
# measured in an instrumented build of its own (coverage/ in the build
# directory) and summed up by lcov.  coverage/lib.info keeps the details:
# genhtml --branch-coverage -o coverage/html coverage/lib.info draws them.
COVERAGE_RC = --rc lcov_branch_coverage=1
coverage:
	@test -n '$(CHECK_SUITES)' || { echo "make coverage needs the Check suites (install check)"; exit 1; }
	rm -rf coverage && mkdir coverage
	cd coverage && $(abs_top_srcdir)/configure -q --disable-shared --disable-examples \
	    CC='$(CC)' CFLAGS='-O0 -g --coverage' LDFLAGS='--coverage'
	cd coverage && $(MAKE) $(AM_MAKEFLAGS) check TESTS='$(CHECK_SUITES)'
	lcov -q $(COVERAGE_RC) --capture --directory coverage/lib --output-file coverage/all.info \
	    2>coverage/lcov.log || { cat coverage/lcov.log; exit 1; }
	lcov -q $(COVERAGE_RC) --extract coverage/all.info '$(abs_top_srcdir)/lib/*' \
	    --output-file coverage/lib.info 2>>coverage/lcov.log || { cat coverage/lcov.log; exit 1; }
	@echo "Coverage of lib/ by the Check suites:"
	@lcov $(COVERAGE_RC) --summary coverage/lib.info 2>&1 | sed -n 's/^ *\(lines\|branches\)/  \1/p'
.PHONY: coverage
clean-local: clean-coverage
clean-coverage:
	rm -rf coverage
.PHONY: clean-coverage

# The CMake package: find_package(libcors) and the libcors::libcors target.
# Its paths are relative to its own directory when libdir and includedir
# are under the prefix (a DESTDIR or moved install works), absolute if not.
cmakeconfigdir = $(libdir)/cmake/libcors
cmakeconfig_DATA = lib/libcorsConfig.cmake lib/libcorsConfigVersion.cmake
EXTRA_DIST += lib/libcorsConfig.cmake.in lib/libcorsConfigVersion.cmake.in
CLEANFILES += $(cmakeconfig_DATA)
lib/libcorsConfig.cmake: $(srcdir)/lib/libcorsConfig.cmake.in Makefile
	$(AM_V_GEN)$(MKDIR_P) lib && \
	prefix='$(prefix)'; dir='$(cmakeconfigdir)'; lib='$(libdir)'; inc='$(includedir)'; \
	case "$$dir:$$lib:$$inc" in \
	"$$prefix"/*:"$$prefix"/*:"$$prefix"/*) \
	    up=`echo "$${dir#$$prefix/}" | sed 's|[^/][^/]*|..|g'`; \
	    line="get_filename_component(_libcors_prefix \"\$${CMAKE_CURRENT_LIST_DIR}/$$up\" ABSOLUTE)"; \
	    lib=$${lib#$$prefix/}; inc=$${inc#$$prefix/} ;; \
	*)  line='set(_libcors_prefix "")'; lib=$${lib#/}; inc=$${inc#/} ;; \
	esac; \
	sed -e "s|%PREFIX_LINE%|$$line|" -e "s|%LIBDIR_REL%|$$lib|" -e "s|%INCLUDEDIR_REL%|$$inc|" \
	    -e 's|%VERSION%|$(VERSION)|' $(srcdir)/lib/libcorsConfig.cmake.in >$@-t && mv $@-t $@
lib/libcorsConfigVersion.cmake: $(srcdir)/lib/libcorsConfigVersion.cmake.in Makefile
	$(AM_V_GEN)$(MKDIR_P) lib && \
	sed -e 's|%VERSION%|$(VERSION)|' $(srcdir)/lib/libcorsConfigVersion.cmake.in >$@-t && mv $@-t $@

# Configured again with another --prefix or --libdir, the build relinks the
# library (and so cors-check and the examples) so that the library path they
# record (rpath) is the new one, not the one of an earlier configure.
lib/libdir.stamp: Makefile
	$(AM_V_GEN)$(MKDIR_P) lib && echo '$(libdir)' >$@-t && \
	if cmp -s $@-t $@; then rm -f $@-t; else mv $@-t $@; fi
CLEANFILES += lib/libdir.stamp lib/libdir.stamp-t
