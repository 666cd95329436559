# tests/common/: what the tests share: the C test headers and the way a
# test is run under valgrind.
# Every shell-driven test (*.sh) runs through one driver, which gives it
# tests/common/testlib.sh: a private $tmp, fail, skip_or_fail.
TEST_EXTENSIONS = .sh
SH_LOG_COMPILER = $(SHELL) $(top_srcdir)/tests/common/run-test.sh
EXTRA_DIST += tests/common/run-test.sh tests/common/testlib.sh

EXTRA_DIST += tests/common/testutil.h tests/common/testmacros.h tests/common/heapcount.h

# make check-valgrind: the whole "make check" with every compiled test
# under memcheck (tests/common/valgrind-test.sh); any error or leak fails.
EXTRA_DIST += tests/common/valgrind-test.sh
check-valgrind:
if ENABLE_SANITIZERS
	@echo "make check-valgrind: valgrind cannot run sanitizer builds; configure without --enable-sanitizers/--enable-fuzzers/--enable-tsan" >&2; exit 1
else
	$(MAKE) $(AM_MAKEFLAGS) check LOG_COMPILER='$(SHELL) $(abs_top_srcdir)/tests/common/valgrind-test.sh'
endif
.PHONY: check-valgrind
