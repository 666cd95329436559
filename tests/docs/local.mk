# tests/docs/: the tests that keep the manual pages and README true to the
# code.

# doc-policy builds a policy from a file with the library: every policy that
# README and the manual pages show, working or refused, goes through it.
check_PROGRAMS += tests/docs/doc-policy
tests_docs_doc_policy_SOURCES = tests/docs/doc_policy.c
tests_docs_doc_policy_LDADD = lib/libcors.la

# test-man-pages: every CORS_API function has its own installed page with
#   the required sections; cross-references resolve.
# test-man-lint: mandoc -Tlint -W warning is silent on every page.
# test-man-groff: groff -man -ww, which renders them on Debian, is too.
# test-man-examples: every EXAMPLE program compiles with the library's own
#   flags, runs, and prints what the page says; every policy example builds.
# test-man-diag-ids: libcors-policy(5) lists exactly the diagnostic ids
#   of lib/diag_ids.h.
# test-readme: every code block in README compiles, runs or is checked.
DOC_TESTS = \
	tests/docs/test-man-pages.sh \
	tests/docs/test-man-lint.sh \
	tests/docs/test-man-groff.sh \
	tests/docs/test-man-examples.sh \
	tests/docs/test-man-diag-ids.sh \
	tests/docs/test-readme.sh
TESTS += $(DOC_TESTS)
EXTRA_DIST += $(DOC_TESTS) tests/docs/doc-lib.sh

# The compiler and flags the library is built with, for the tests that
# compile the documentation's examples (so -Werror applies to them too).
nodist_check_DATA = tests/docs/doc-env.sh
tests/docs/doc-env.sh: Makefile
	$(AM_V_GEN)$(MKDIR_P) tests/docs && { \
	  echo "CC='$(CC)'"; \
	  echo "CPPFLAGS='$(CPPFLAGS)'"; \
	  echo "CFLAGS='$(STD_CFLAGS) $(WARN_CFLAGS) $(CFLAGS)'"; \
	  echo "LDFLAGS='$(LDFLAGS)'"; \
	  echo "LIBTOOL='$(LIBTOOL)'"; \
	  echo "PACKAGE_VERSION='$(PACKAGE_VERSION)'"; \
	  echo "PKG_CONFIG='$(PKG_CONFIG)'"; \
	} > $@-t && mv $@-t $@
CLEANFILES += tests/docs/doc-env.sh tests/docs/doc-env.sh-t
