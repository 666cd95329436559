# examples/servers/: libcors where its users live: a dependency-free server
# (with its small HTTP helper tinyhttp) and two framework integrations.
# Built by "make" so that they stay compilable; none is installed.  Their
# tests are in tests/integration/local.mk.  Not built with
# --disable-examples.
if ENABLE_EXAMPLES
noinst_PROGRAMS += examples/servers/messages-server
endif
examples_servers_messages_server_SOURCES = \
	examples/servers/messages-server.c \
	examples/servers/tinyhttp.c examples/servers/tinyhttp.h \
	examples/servers/example-util.c examples/servers/example-util.h
examples_servers_messages_server_LDADD = lib/libcors.la

if HAVE_MHD
noinst_PROGRAMS += examples/servers/mhd-server
endif
examples_servers_mhd_server_SOURCES = examples/servers/mhd-server.c \
	examples/servers/example-util.c examples/servers/example-util.h
examples_servers_mhd_server_CFLAGS = $(AM_CFLAGS) $(MHD_CFLAGS)
examples_servers_mhd_server_LDADD = lib/libcors.la $(MHD_LIBS)

if HAVE_LIBEVENT
noinst_PROGRAMS += examples/servers/evhttp-server
endif
examples_servers_evhttp_server_SOURCES = examples/servers/evhttp-server.c \
	examples/servers/example-util.c examples/servers/example-util.h
examples_servers_evhttp_server_CFLAGS = $(AM_CFLAGS) $(LIBEVENT_CFLAGS)
examples_servers_evhttp_server_LDADD = lib/libcors.la $(LIBEVENT_LIBS)
