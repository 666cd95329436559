# examples/cors-check/: the cors-check command-line tool.  Its manual page is
# in man/local.mk, its golden-file tests in tests/cli/local.mk.

bin_PROGRAMS += examples/cors-check/cors-check
# The input readers, also built into the fuzz targets (tests/fuzz/local.mk).
CC_READER_SOURCES = \
	examples/cors-check/cors-check-request.c \
	examples/cors-check/cors-check-request.h \
	examples/cors-check/cors-check-response.c \
	examples/cors-check/cors-check-response.h \
	examples/cors-check/cors-check-curl.c \
	examples/cors-check/cors-check-curl.h \
	examples/cors-check/cors-check-har.c \
	examples/cors-check/cors-check-har.h
examples_cors_check_cors_check_SOURCES = \
	examples/cors-check/cors-check.c \
	$(CC_READER_SOURCES) \
	examples/cors-check/cors-check-output.c \
	examples/cors-check/cors-check-output.h
# getopt_long() comes from <getopt.h> (glibc, musl, the BSDs); the POSIX
# level declares optarg, optind and opterr under -std=c11.
examples_cors_check_cors_check_CFLAGS = $(AM_CFLAGS) $(JANSSON_CFLAGS) -D_POSIX_C_SOURCE=200809L
examples_cors_check_cors_check_LDADD = lib/libcors.la $(JANSSON_LIBS)

# A messaging app's preflight (README's first demo) and the built-in policy
# as a file.
EXTRA_DIST += examples/cors-check/messaging-preflight.http \
	examples/cors-check/default-policy.txt
