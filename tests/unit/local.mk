# tests/unit/: the Check suites (check_*.c) and the C test programs that
# need no server: guard pages, zero heap calls, threads.

# Flags for every C test: the shared test headers live in tests/common.
TEST_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/tests/common
TEST_C_CFLAGS = $(AM_CFLAGS) -D_POSIX_C_SOURCE=200809L
TESTUTIL_SOURCES = tests/common/testutil.h tests/common/testmacros.h

if HAVE_CHECK
CHECK_SUITES = \
	tests/unit/check-origin \
	tests/unit/check-patterns \
	tests/unit/check-methods \
	tests/unit/check-headers \
	tests/unit/check-policy-text \
	tests/unit/check-evaluate \
	tests/unit/check-errors \
	tests/unit/check-alloc \
	tests/unit/check-hostile \
	tests/unit/check-response \
	tests/unit/check-fields \
	tests/unit/check-policy-file \
	tests/unit/check-validation \
	tests/unit/check-same-origin \
	tests/unit/check-diag-ids
check_PROGRAMS += $(CHECK_SUITES)
TESTS += $(CHECK_SUITES)
TEST_CFLAGS = $(TEST_C_CFLAGS) $(CHECK_CFLAGS)
TEST_PUBLIC_LIBS = lib/libcors.la $(CHECK_LIBS)
TEST_INTERNAL_LIBS = lib/libcors-impl.la $(CHECK_LIBS)

tests_unit_check_origin_SOURCES = tests/unit/check_origin.c $(TESTUTIL_SOURCES)
tests_unit_check_origin_CPPFLAGS = $(TEST_CPPFLAGS) -I$(top_srcdir)/lib
tests_unit_check_origin_CFLAGS = $(TEST_CFLAGS)
tests_unit_check_origin_LDADD = $(TEST_INTERNAL_LIBS)
tests_unit_check_patterns_SOURCES = tests/unit/check_patterns.c $(TESTUTIL_SOURCES)
tests_unit_check_patterns_CPPFLAGS = $(TEST_CPPFLAGS) -I$(top_srcdir)/lib
tests_unit_check_patterns_CFLAGS = $(TEST_CFLAGS)
tests_unit_check_patterns_LDADD = $(TEST_INTERNAL_LIBS)
tests_unit_check_methods_SOURCES = tests/unit/check_methods.c $(TESTUTIL_SOURCES)
tests_unit_check_methods_CPPFLAGS = $(TEST_CPPFLAGS)
tests_unit_check_methods_CFLAGS = $(TEST_CFLAGS)
tests_unit_check_methods_LDADD = $(TEST_PUBLIC_LIBS)
tests_unit_check_headers_SOURCES = tests/unit/check_headers.c $(TESTUTIL_SOURCES)
tests_unit_check_headers_CPPFLAGS = $(TEST_CPPFLAGS)
tests_unit_check_headers_CFLAGS = $(TEST_CFLAGS)
tests_unit_check_headers_LDADD = $(TEST_PUBLIC_LIBS)
tests_unit_check_policy_text_SOURCES = tests/unit/check_policy_text.c $(TESTUTIL_SOURCES)
tests_unit_check_policy_text_CPPFLAGS = $(TEST_CPPFLAGS)
tests_unit_check_policy_text_CFLAGS = $(TEST_CFLAGS)
tests_unit_check_policy_text_LDADD = $(TEST_PUBLIC_LIBS)
tests_unit_check_evaluate_SOURCES = tests/unit/check_evaluate.c $(TESTUTIL_SOURCES)
tests_unit_check_evaluate_CPPFLAGS = $(TEST_CPPFLAGS)
tests_unit_check_evaluate_CFLAGS = $(TEST_CFLAGS)
tests_unit_check_evaluate_LDADD = $(TEST_PUBLIC_LIBS)
tests_unit_check_errors_SOURCES = tests/unit/check_errors.c $(TESTUTIL_SOURCES)
tests_unit_check_errors_CPPFLAGS = $(TEST_CPPFLAGS)
tests_unit_check_errors_CFLAGS = $(TEST_CFLAGS)
tests_unit_check_errors_LDADD = $(TEST_PUBLIC_LIBS)
tests_unit_check_validation_SOURCES = tests/unit/check_validation.c $(TESTUTIL_SOURCES)
tests_unit_check_validation_CPPFLAGS = $(TEST_CPPFLAGS) -I$(top_srcdir)/lib
tests_unit_check_validation_CFLAGS = $(TEST_CFLAGS)
tests_unit_check_validation_LDADD = $(TEST_INTERNAL_LIBS)
tests_unit_check_diag_ids_SOURCES = tests/unit/check_diag_ids.c $(TESTUTIL_SOURCES)
tests_unit_check_diag_ids_CPPFLAGS = $(TEST_CPPFLAGS) -I$(top_srcdir)/lib
tests_unit_check_diag_ids_CFLAGS = $(TEST_CFLAGS)
tests_unit_check_diag_ids_LDADD = $(TEST_PUBLIC_LIBS)
tests_unit_check_alloc_SOURCES = tests/unit/check_alloc.c $(TESTUTIL_SOURCES)
tests_unit_check_alloc_CPPFLAGS = $(TEST_CPPFLAGS)
tests_unit_check_alloc_CFLAGS = $(TEST_CFLAGS)
tests_unit_check_alloc_LDADD = $(TEST_PUBLIC_LIBS)
# The hostile-input table: each case denied (or refused at build), never
# reflected.
tests_unit_check_response_SOURCES = tests/unit/check_response.c $(TESTUTIL_SOURCES)
tests_unit_check_response_CPPFLAGS = $(TEST_CPPFLAGS)
tests_unit_check_response_CFLAGS = $(TEST_CFLAGS)
tests_unit_check_response_LDADD = $(TEST_PUBLIC_LIBS)
tests_unit_check_hostile_SOURCES = tests/unit/check_hostile.c $(TESTUTIL_SOURCES)
tests_unit_check_hostile_CPPFLAGS = $(TEST_CPPFLAGS)
tests_unit_check_hostile_CFLAGS = $(TEST_CFLAGS)
tests_unit_check_hostile_LDADD = $(TEST_PUBLIC_LIBS)
# cors_fields_add(): a request's header lines as a server receives them.
tests_unit_check_fields_SOURCES = tests/unit/check_fields.c $(TESTUTIL_SOURCES)
tests_unit_check_fields_CPPFLAGS = $(TEST_CPPFLAGS)
tests_unit_check_fields_CFLAGS = $(TEST_CFLAGS)
tests_unit_check_fields_LDADD = $(TEST_PUBLIC_LIBS)
# cors_builder_parse_file(): good, broken and unusable policy files.
tests_unit_check_policy_file_SOURCES = tests/unit/check_policy_file.c $(TESTUTIL_SOURCES)
tests_unit_check_policy_file_CPPFLAGS = $(TEST_CPPFLAGS)
tests_unit_check_policy_file_CFLAGS = $(TEST_CFLAGS)
tests_unit_check_policy_file_LDADD = $(TEST_PUBLIC_LIBS)
# Requests from the server's own origin: server-origin, scheme and Host.
tests_unit_check_same_origin_SOURCES = tests/unit/check_same_origin.c $(TESTUTIL_SOURCES)
tests_unit_check_same_origin_CPPFLAGS = $(TEST_CPPFLAGS)
tests_unit_check_same_origin_CFLAGS = $(TEST_CFLAGS)
tests_unit_check_same_origin_LDADD = $(TEST_PUBLIC_LIBS)
else
# Without Check the unit tests cannot run; say so instead of passing.
TESTS += tests/unit/no-check.sh
endif
EXTRA_DIST += tests/unit/no-check.sh

# Every input placed to end right before (and start right after) a
# PROT_NONE page: a read past a given length crashes the test.
check_PROGRAMS += tests/unit/test-guard
TESTS += tests/unit/test-guard
tests_unit_test_guard_SOURCES = tests/unit/test_guard.c
tests_unit_test_guard_CPPFLAGS = $(TEST_CPPFLAGS) -I$(top_srcdir)/lib
tests_unit_test_guard_CFLAGS = $(TEST_C_CFLAGS)
tests_unit_test_guard_LDADD = lib/libcors-impl.la

# Zero heap calls inside cors_evaluate() and cors_evaluate_headers(), for
# every outcome and hostile input.
check_PROGRAMS += tests/unit/test-noalloc
TESTS += tests/unit/test-noalloc
tests_unit_test_noalloc_SOURCES = tests/unit/test_noalloc.c tests/common/heapcount.h tests/common/testmacros.h
tests_unit_test_noalloc_CPPFLAGS = $(TEST_CPPFLAGS)
tests_unit_test_noalloc_CFLAGS = $(TEST_C_CFLAGS)
tests_unit_test_noalloc_LDADD = lib/libcors.la

# One policy, 8 threads, 1,000,000 checked requests each; run it under
# ThreadSanitizer with ./configure --enable-tsan CC=clang.
check_PROGRAMS += tests/unit/test-threads
TESTS += tests/unit/test-threads
tests_unit_test_threads_SOURCES = tests/unit/test_threads.c
tests_unit_test_threads_CPPFLAGS = $(TEST_CPPFLAGS)
tests_unit_test_threads_CFLAGS = $(TEST_C_CFLAGS) $(CORS_PTHREAD_CFLAGS)
tests_unit_test_threads_LDFLAGS = $(CORS_PTHREAD_CFLAGS)
tests_unit_test_threads_LDADD = lib/libcors.la

# A policy replaced 10,000 times while four threads evaluate with it
# (cors_holder_*); run it under ThreadSanitizer with --enable-tsan.
check_PROGRAMS += tests/unit/test-holder
TESTS += tests/unit/test-holder
tests_unit_test_holder_SOURCES = tests/unit/test_holder.c
tests_unit_test_holder_CPPFLAGS = $(TEST_CPPFLAGS)
tests_unit_test_holder_CFLAGS = $(TEST_C_CFLAGS) $(CORS_PTHREAD_CFLAGS)
tests_unit_test_holder_LDFLAGS = $(CORS_PTHREAD_CFLAGS)
tests_unit_test_holder_LDADD = lib/libcors.la
