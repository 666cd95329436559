# tests/abi/: what programs built against libcors rely on.

# Every public symbol, and nothing else, is exported.
TESTS += tests/abi/test-symbols.sh
EXTRA_DIST += tests/abi/test-symbols.sh

# cors.h compiles as C++ and links from C++.
check_PROGRAMS += tests/abi/test-cxx
tests_abi_test_cxx_SOURCES = tests/abi/test_cxx.cc
tests_abi_test_cxx_LDADD = lib/libcors.la
TESTS += tests/abi/test-cxx

# A program built against the frozen 0.1.0 header (never edit
# cors-0.1.0.h), run against the library being built: the ABI promise.
check_PROGRAMS += tests/abi/abi-0.1.0
tests_abi_abi_0_1_0_SOURCES = tests/abi/abi_0_1_0.c tests/abi/cors-0.1.0.h
# Only the frozen header: the current one must not be found instead.
tests_abi_abi_0_1_0_CPPFLAGS =
tests_abi_abi_0_1_0_LDADD = lib/libcors.la
TESTS += tests/abi/abi-0.1.0

# The same promise seen from the current header (sizes, absent members).
if HAVE_CHECK
check_PROGRAMS += tests/abi/check-abi
tests_abi_check_abi_SOURCES = tests/abi/check_abi.c $(TESTUTIL_SOURCES)
tests_abi_check_abi_CPPFLAGS = $(TEST_CPPFLAGS)
tests_abi_check_abi_CFLAGS = $(TEST_CFLAGS)
tests_abi_check_abi_LDADD = $(TEST_PUBLIC_LIBS)
TESTS += tests/abi/check-abi
endif
if HAVE_VERSION_SCRIPT
TESTS_ENVIRONMENT += VERSION_SCRIPT=yes
else
TESTS_ENVIRONMENT += VERSION_SCRIPT=no
endif
