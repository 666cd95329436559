# tests/abi/: what programs built against libcors rely on.

# Every public symbol, and nothing else, is exported.
TESTS += tests/abi/test-symbols.sh
EXTRA_DIST += tests/abi/test-symbols.sh

# cors.h compiles as C++ and links from C++.
check_PROGRAMS += tests/abi/test-cxx
tests_abi_test_cxx_SOURCES = tests/abi/test_cxx.cc
tests_abi_test_cxx_LDADD = lib/libcors.la
TESTS += tests/abi/test-cxx
