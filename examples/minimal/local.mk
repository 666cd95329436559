# examples/minimal/: the first example to read (about 60 lines).  Built by
# "make"; tests/integration/test-minimal.sh runs it in "make check".
if ENABLE_EXAMPLES
noinst_PROGRAMS += examples/minimal/minimal
endif
examples_minimal_minimal_SOURCES = examples/minimal/minimal.c
examples_minimal_minimal_LDADD = lib/libcors.la
