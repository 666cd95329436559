# tests/fuzz/: libFuzzer targets (./configure --enable-fuzzers, clang) and
# their committed corpora, replayed without libFuzzer in every make check.
# The sanitizer builds themselves are set up in configure.ac.

FUZZ_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/lib -I$(top_srcdir)/tests/fuzz
HARDENING_CFLAGS = $(AM_CFLAGS) -D_POSIX_C_SOURCE=200809L
FUZZ_COMMON = tests/fuzz/fuzz_common.h

# The fuzz targets' invariants over the committed corpora, without
# libFuzzer: part of every "make check".
check_PROGRAMS += tests/fuzz/replay-origin tests/fuzz/replay-policy-text \
	tests/fuzz/replay-evaluate
TESTS += tests/fuzz/replay-origin tests/fuzz/replay-policy-text \
	tests/fuzz/replay-evaluate
tests_fuzz_replay_origin_SOURCES = tests/fuzz/standalone.c tests/fuzz/fuzz_origin.c $(FUZZ_COMMON)
tests_fuzz_replay_origin_CPPFLAGS = $(FUZZ_CPPFLAGS) -DFUZZ_CORPUS='"origin"' -DFUZZ_SWEEP_ALL
tests_fuzz_replay_origin_CFLAGS = $(HARDENING_CFLAGS)
tests_fuzz_replay_origin_LDADD = lib/libcors-impl.la
tests_fuzz_replay_policy_text_SOURCES = tests/fuzz/standalone.c tests/fuzz/fuzz_policy_text.c \
	$(FUZZ_COMMON)
tests_fuzz_replay_policy_text_CPPFLAGS = $(FUZZ_CPPFLAGS) -DFUZZ_CORPUS='"policy_text"' -DFUZZ_SWEEP_ALL
tests_fuzz_replay_policy_text_CFLAGS = $(HARDENING_CFLAGS)
tests_fuzz_replay_policy_text_LDADD = lib/libcors-impl.la
tests_fuzz_replay_evaluate_SOURCES = tests/fuzz/standalone.c tests/fuzz/fuzz_evaluate.c \
	$(FUZZ_COMMON)
tests_fuzz_replay_evaluate_CPPFLAGS = $(FUZZ_CPPFLAGS) -DFUZZ_CORPUS='"evaluate"' -DFUZZ_SWEEP_ALL
tests_fuzz_replay_evaluate_CFLAGS = $(HARDENING_CFLAGS)
tests_fuzz_replay_evaluate_LDADD = lib/libcors-impl.la

# cors-check's readers (issue 14): one target per input format, from one
# source built with FUZZ_READER; they link the tool's reader sources.
# CC_READER_SOURCES: examples/cors-check/local.mk
CC_FUZZ_CPPFLAGS = $(FUZZ_CPPFLAGS) -I$(top_srcdir)/examples/cors-check $(JANSSON_CFLAGS)
check_PROGRAMS += tests/fuzz/replay-cli-request tests/fuzz/replay-cli-response \
	tests/fuzz/replay-cli-curl tests/fuzz/replay-cli-har
TESTS += tests/fuzz/replay-cli-request tests/fuzz/replay-cli-response \
	tests/fuzz/replay-cli-curl tests/fuzz/replay-cli-har
tests_fuzz_replay_cli_request_SOURCES = tests/fuzz/standalone.c tests/fuzz/fuzz_cli_input.c \
	$(CC_READER_SOURCES) $(FUZZ_COMMON)
tests_fuzz_replay_cli_request_CPPFLAGS = $(CC_FUZZ_CPPFLAGS) -DFUZZ_CORPUS='"cli_request"' -DFUZZ_READER=1
tests_fuzz_replay_cli_request_CFLAGS = $(HARDENING_CFLAGS)
tests_fuzz_replay_cli_request_LDADD = lib/libcors-impl.la $(JANSSON_LIBS)
tests_fuzz_replay_cli_response_SOURCES = tests/fuzz/standalone.c tests/fuzz/fuzz_cli_input.c \
	$(CC_READER_SOURCES) $(FUZZ_COMMON)
tests_fuzz_replay_cli_response_CPPFLAGS = $(CC_FUZZ_CPPFLAGS) -DFUZZ_CORPUS='"cli_response"' -DFUZZ_READER=2
tests_fuzz_replay_cli_response_CFLAGS = $(HARDENING_CFLAGS)
tests_fuzz_replay_cli_response_LDADD = lib/libcors-impl.la $(JANSSON_LIBS)
tests_fuzz_replay_cli_curl_SOURCES = tests/fuzz/standalone.c tests/fuzz/fuzz_cli_input.c \
	$(CC_READER_SOURCES) $(FUZZ_COMMON)
tests_fuzz_replay_cli_curl_CPPFLAGS = $(CC_FUZZ_CPPFLAGS) -DFUZZ_CORPUS='"cli_curl"' -DFUZZ_READER=3
tests_fuzz_replay_cli_curl_CFLAGS = $(HARDENING_CFLAGS)
tests_fuzz_replay_cli_curl_LDADD = lib/libcors-impl.la $(JANSSON_LIBS)
tests_fuzz_replay_cli_har_SOURCES = tests/fuzz/standalone.c tests/fuzz/fuzz_cli_input.c \
	$(CC_READER_SOURCES) $(FUZZ_COMMON)
tests_fuzz_replay_cli_har_CPPFLAGS = $(CC_FUZZ_CPPFLAGS) -DFUZZ_CORPUS='"cli_har"' -DFUZZ_READER=4
tests_fuzz_replay_cli_har_CFLAGS = $(HARDENING_CFLAGS)
tests_fuzz_replay_cli_har_LDADD = lib/libcors-impl.la $(JANSSON_LIBS)

EXTRA_DIST += tests/fuzz/corpus tests/fuzz/origin.dict tests/fuzz/policy_text.dict \
	tests/fuzz/evaluate.dict tests/fuzz/cli_request.dict tests/fuzz/cli_response.dict \
	tests/fuzz/cli_curl.dict tests/fuzz/cli_har.dict

if ENABLE_FUZZERS
# The library once more, with coverage instrumentation, for the fuzz
# targets alone (see configure.ac).
noinst_LTLIBRARIES += tests/fuzz/libcors-fuzz.la
tests_fuzz_libcors_fuzz_la_SOURCES = $(lib_libcors_impl_la_SOURCES)
tests_fuzz_libcors_fuzz_la_CFLAGS = $(AM_CFLAGS) $(VISIBILITY_CFLAGS) $(FUZZ_CFLAGS)

noinst_PROGRAMS += tests/fuzz/fuzz-origin tests/fuzz/fuzz-policy-text tests/fuzz/fuzz-evaluate
tests_fuzz_fuzz_origin_SOURCES = tests/fuzz/fuzz_origin.c $(FUZZ_COMMON)
tests_fuzz_fuzz_origin_CPPFLAGS = $(FUZZ_CPPFLAGS)
tests_fuzz_fuzz_origin_CFLAGS = $(HARDENING_CFLAGS)
tests_fuzz_fuzz_origin_LDFLAGS = $(FUZZ_LDFLAGS)
tests_fuzz_fuzz_origin_LDADD = tests/fuzz/libcors-fuzz.la
tests_fuzz_fuzz_policy_text_SOURCES = tests/fuzz/fuzz_policy_text.c $(FUZZ_COMMON)
tests_fuzz_fuzz_policy_text_CPPFLAGS = $(FUZZ_CPPFLAGS)
tests_fuzz_fuzz_policy_text_CFLAGS = $(HARDENING_CFLAGS)
tests_fuzz_fuzz_policy_text_LDFLAGS = $(FUZZ_LDFLAGS)
tests_fuzz_fuzz_policy_text_LDADD = tests/fuzz/libcors-fuzz.la
tests_fuzz_fuzz_evaluate_SOURCES = tests/fuzz/fuzz_evaluate.c $(FUZZ_COMMON)
tests_fuzz_fuzz_evaluate_CPPFLAGS = $(FUZZ_CPPFLAGS)
tests_fuzz_fuzz_evaluate_CFLAGS = $(HARDENING_CFLAGS)
tests_fuzz_fuzz_evaluate_LDFLAGS = $(FUZZ_LDFLAGS)
tests_fuzz_fuzz_evaluate_LDADD = tests/fuzz/libcors-fuzz.la

# The readers are compiled into each target, so they get the coverage
# instrumentation here (without it the fuzzer cannot see into them).
noinst_PROGRAMS += tests/fuzz/fuzz-cli-request tests/fuzz/fuzz-cli-response \
	tests/fuzz/fuzz-cli-curl tests/fuzz/fuzz-cli-har
tests_fuzz_fuzz_cli_request_SOURCES = tests/fuzz/fuzz_cli_input.c $(CC_READER_SOURCES) $(FUZZ_COMMON)
tests_fuzz_fuzz_cli_request_CPPFLAGS = $(CC_FUZZ_CPPFLAGS) -DFUZZ_READER=1
tests_fuzz_fuzz_cli_request_CFLAGS = $(HARDENING_CFLAGS) $(FUZZ_CFLAGS)
tests_fuzz_fuzz_cli_request_LDFLAGS = $(FUZZ_LDFLAGS)
tests_fuzz_fuzz_cli_request_LDADD = tests/fuzz/libcors-fuzz.la $(JANSSON_LIBS)
tests_fuzz_fuzz_cli_response_SOURCES = tests/fuzz/fuzz_cli_input.c $(CC_READER_SOURCES) $(FUZZ_COMMON)
tests_fuzz_fuzz_cli_response_CPPFLAGS = $(CC_FUZZ_CPPFLAGS) -DFUZZ_READER=2
tests_fuzz_fuzz_cli_response_CFLAGS = $(HARDENING_CFLAGS) $(FUZZ_CFLAGS)
tests_fuzz_fuzz_cli_response_LDFLAGS = $(FUZZ_LDFLAGS)
tests_fuzz_fuzz_cli_response_LDADD = tests/fuzz/libcors-fuzz.la $(JANSSON_LIBS)
tests_fuzz_fuzz_cli_curl_SOURCES = tests/fuzz/fuzz_cli_input.c $(CC_READER_SOURCES) $(FUZZ_COMMON)
tests_fuzz_fuzz_cli_curl_CPPFLAGS = $(CC_FUZZ_CPPFLAGS) -DFUZZ_READER=3
tests_fuzz_fuzz_cli_curl_CFLAGS = $(HARDENING_CFLAGS) $(FUZZ_CFLAGS)
tests_fuzz_fuzz_cli_curl_LDFLAGS = $(FUZZ_LDFLAGS)
tests_fuzz_fuzz_cli_curl_LDADD = tests/fuzz/libcors-fuzz.la $(JANSSON_LIBS)
tests_fuzz_fuzz_cli_har_SOURCES = tests/fuzz/fuzz_cli_input.c $(CC_READER_SOURCES) $(FUZZ_COMMON)
tests_fuzz_fuzz_cli_har_CPPFLAGS = $(CC_FUZZ_CPPFLAGS) -DFUZZ_READER=4
tests_fuzz_fuzz_cli_har_CFLAGS = $(HARDENING_CFLAGS) $(FUZZ_CFLAGS)
tests_fuzz_fuzz_cli_har_LDFLAGS = $(FUZZ_LDFLAGS)
tests_fuzz_fuzz_cli_har_LDADD = tests/fuzz/libcors-fuzz.la $(JANSSON_LIBS)

# make fuzz [FUZZ_SECONDS=n]: each target for n seconds (make -j2 runs two
# at once) under ASan and UBSan, starting from the committed corpus.  New
# inputs go to fuzz-work/<target>/ and crashes to fuzz-work/crash-*: the
# committed corpus is never written.
FUZZ_SECONDS = 45
FUZZ_RUN = $(SHELL) $(srcdir)/tests/fuzz/run-fuzzer.sh
fuzz: fuzz-origin fuzz-policy-text fuzz-evaluate fuzz-cli-request fuzz-cli-response \
	fuzz-cli-curl fuzz-cli-har
fuzz-origin: all
	$(AM_V_at)$(FUZZ_RUN) origin $(FUZZ_SECONDS) $(srcdir)
fuzz-policy-text: all
	$(AM_V_at)$(FUZZ_RUN) policy_text $(FUZZ_SECONDS) $(srcdir)
fuzz-evaluate: all
	$(AM_V_at)$(FUZZ_RUN) evaluate $(FUZZ_SECONDS) $(srcdir)
fuzz-cli-request: all
	$(AM_V_at)$(FUZZ_RUN) cli_request $(FUZZ_SECONDS) $(srcdir)
fuzz-cli-response: all
	$(AM_V_at)$(FUZZ_RUN) cli_response $(FUZZ_SECONDS) $(srcdir)
fuzz-cli-curl: all
	$(AM_V_at)$(FUZZ_RUN) cli_curl $(FUZZ_SECONDS) $(srcdir)
fuzz-cli-har: all
	$(AM_V_at)$(FUZZ_RUN) cli_har $(FUZZ_SECONDS) $(srcdir)
else
fuzz fuzz-origin fuzz-policy-text fuzz-evaluate fuzz-cli-request fuzz-cli-response fuzz-cli-curl \
		fuzz-cli-har:
	@echo "make fuzz: configure with --enable-fuzzers CC=clang CXX=clang++" >&2; exit 1
endif
.PHONY: fuzz fuzz-origin fuzz-policy-text fuzz-evaluate fuzz-cli-request fuzz-cli-response \
	fuzz-cli-curl fuzz-cli-har
EXTRA_DIST += tests/fuzz/run-fuzzer.sh
