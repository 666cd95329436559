# tests/bench/: the benchmark.  It is built by "make" and run by
# "make bench"; it is never part of "make check", where timings would only
# make tests flaky.  (make check proves that cors_evaluate() never touches
# the heap: tests/unit/test-noalloc.)
noinst_PROGRAMS += tests/bench/bench
tests_bench_bench_SOURCES = tests/bench/bench.c tests/common/testmacros.h
tests_bench_bench_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/tests/common
tests_bench_bench_CFLAGS = $(AM_CFLAGS) -D_POSIX_C_SOURCE=200809L
tests_bench_bench_LDADD = lib/libcors.la

EXTRA_DIST += tests/bench/bench-instructions.sh
CLEANFILES += tests/bench/bench-instructions.txt

# Instructions per call are counted first (callgrind, else perf; the script
# says which, or that neither works here), then the timings are taken and
# one table is printed (issue 15: budgets and peer figures).
bench: tests/bench/bench$(EXEEXT)
	LIBTOOL='$(LIBTOOL)' $(SHELL) $(srcdir)/tests/bench/bench-instructions.sh \
	    tests/bench/bench$(EXEEXT) >tests/bench/bench-instructions.txt
	$(LIBTOOL) --mode=execute tests/bench/bench$(EXEEXT) --instructions tests/bench/bench-instructions.txt
.PHONY: bench

# make bench-apache: requests per second of the packaged apache2 with
# mod_cors_policy against a mod_headers recipe on the same content
# (bench-apache.sh; bounded, BENCH_APACHE_ROUNDS/_SECONDS/_CONNECTIONS).
EXTRA_DIST += tests/bench/bench-apache.sh
bench-apache: examples/apache/mod_cors_policy.so
	$(TESTS_ENVIRONMENT) $(SHELL) $(srcdir)/tests/bench/bench-apache.sh
.PHONY: bench-apache

# make bench-build (also run by make bench): building policies of many
# names and diagnosing 4 MB of junk text, with their budgets (issue 13).
noinst_PROGRAMS += tests/bench/bench-build
tests_bench_bench_build_SOURCES = tests/bench/bench_build.c
tests_bench_bench_build_CFLAGS = $(AM_CFLAGS) -D_POSIX_C_SOURCE=200809L
tests_bench_bench_build_LDADD = lib/libcors.la
bench-build: tests/bench/bench-build$(EXEEXT)
	$(LIBTOOL) --mode=execute tests/bench/bench-build$(EXEEXT)
bench: bench-build
.PHONY: bench-build

# make bench-nginx: requests per second of the packaged nginx with
# ngx_http_cors_policy_module against the hand-written add_header recipe on
# the same content (bench-nginx.sh with wrk-lib.sh; bounded,
# BENCH_NGINX_ROUNDS/_SECONDS/_CONNECTIONS).
EXTRA_DIST += tests/bench/bench-nginx.sh tests/bench/wrk-lib.sh tests/bench/app.policy
bench-nginx: all
	$(TESTS_ENVIRONMENT) $(SHELL) $(srcdir)/tests/bench/bench-nginx.sh
.PHONY: bench-nginx
