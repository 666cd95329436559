# tests/common/: what the tests share: the C test headers and the way a
# test is run under valgrind.
# Every shell-driven test (*.sh) runs through one driver, which gives it
# tests/common/testlib.sh: a private $tmp, fail, skip_or_fail.
TEST_EXTENSIONS = .sh
SH_LOG_COMPILER = $(SHELL) $(top_srcdir)/tests/common/run-test.sh
EXTRA_DIST += tests/common/run-test.sh tests/common/testlib.sh

EXTRA_DIST += tests/common/testutil.h tests/common/testmacros.h tests/common/heapcount.h

# make check-valgrind: every compiled test of "make check" once more
# under memcheck (tests/common/valgrind-test.sh); any error or leak fails.
# The shell tests would only run again as they are, so they are left out.
EXTRA_DIST += tests/common/valgrind-test.sh
check-valgrind:
if ENABLE_SANITIZERS
	@echo "make check-valgrind: valgrind cannot run sanitizer builds; configure without --enable-sanitizers/--enable-fuzzers/--enable-tsan" >&2; exit 1
else
	$(MAKE) $(AM_MAKEFLAGS) check LOG_COMPILER='$(SHELL) $(abs_top_srcdir)/tests/common/valgrind-test.sh' \
	    TESTS="`for t in $(TESTS); do case $$t in *.sh) ;; *) printf "%s " $$t ;; esac; done`"
endif
.PHONY: check-valgrind

# The slow tests (a real browser, the server modules under several MPMs) run
# once per CI run, in the gcc stage of tests/run-all.sh; the other compilers
# and checkers run the rest: "make check-quick".
SLOW_TESTS = tests/integration/test-browser.sh tests/integration/test-apache.sh \
	tests/integration/test-browser-apache.sh tests/integration/test-browser-nginx.sh
QUICK_TESTS = for t in $(TESTS); do case " $(SLOW_TESTS) " in *" $$t "*) ;; *) printf "%s " $$t ;; esac; done
list-quick-tests:
	@$(QUICK_TESTS)
check-quick:
	$(MAKE) $(AM_MAKEFLAGS) check TESTS="`$(QUICK_TESTS)`"
.PHONY: list-quick-tests check-quick
