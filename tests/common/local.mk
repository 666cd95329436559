# tests/common/: what the tests share: the C test headers and the way a
# test is run under valgrind.
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
