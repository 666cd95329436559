/*
 * mhd-server.c - libcors in a GNU libmicrohttpd server.
 *
 *   mhd-server [--port N] [--policy FILE]      (--port 0: any free port)
 *
 * Any method on /hello answers a little JSON.  What this shows:
 *  - Where: MHD calls the access handler several times per request; the
 *    first call has the headers only.  The preflight is answered right
 *    there, before any application code runs or any body is read.
 *  - SET vs MERGE: MHD_add_response_header() only appends.  SET deletes
 *    every existing value first (MHD_del_response_header() wants the exact
 *    old value); MERGE joins the existing list, so the application's own
 *    "Vary: Accept" becomes "Vary: Accept, Origin", never two Vary lines.
 *  - Pitfalls: MHD_lookup_connection_value() sees only the first of
 *    repeated fields, and Access-Control-Request-Headers may come as
 *    several lines, so iterate; MHD wants NUL-terminated strings and
 *    libcors' are not, so copy.
 *
 * Copyright (c) 2026 The libcors authors.  MIT licence, see COPYING.
 */
#define _POSIX_C_SOURCE 200809L

#include "example-util.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>


typedef struct fields {
    cors_request req;
    cors_fields lines; /* what req points to */
} fields;

static enum MHD_Result collect(void *cls, enum MHD_ValueKind kind, const char *key,
                               size_t key_size, const char *value, size_t value_size)
{
    fields *f = cls;

    (void)kind;
    cors_fields_add(&f->lines, key, key_size, value, value_size);
    return MHD_YES;
}

/* The emitter: writes one libcors header into an MHD response.  Either
   way the response ends up with a single line of that name. */
static int emit(void *ctx, const char *name, size_t name_len, const char *value,
                size_t value_len, unsigned flags)
{
    struct MHD_Response *resp = ctx;
    char n[64], v[CORS_SCRATCH_SIZE + 1024];
    const char *old;

    if (example_cstr(n, sizeof n, name, name_len) != 0 ||
        example_header_value(v, sizeof v, MHD_get_response_header(resp, n), value, value_len,
                             flags) != 0)
        return 1;
    while ((old = MHD_get_response_header(resp, n)) != NULL)
        if (MHD_del_response_header(resp, n, old) != MHD_YES)
            return 1;
    return MHD_add_response_header(resp, n, v) == MHD_YES ? 0 : 1;
}

static enum MHD_Result reply(struct MHD_Connection *con, const cors_policy *policy,
                             const fields *f, unsigned status, const char *body)
{
    struct MHD_Response *resp = MHD_create_response_from_buffer(
        strlen(body), (void *)(uintptr_t)body, MHD_RESPMEM_MUST_COPY);
    cors_result res;
    enum MHD_Result ret;

    if (!resp)
        return MHD_NO;
    if (*body) {
        MHD_add_response_header(resp, "Content-Type", "application/json");
        MHD_add_response_header(resp, "Vary", "Accept");
    }
    cors_result_init(&res);
    if (cors_evaluate(policy, &f->req, emit, resp, &res) != CORS_OK)
        status = MHD_HTTP_INTERNAL_SERVER_ERROR;
    else if (res.status)
        status = (unsigned)res.status; /* a preflight */
    ret = MHD_queue_response(con, status, resp);
    MHD_destroy_response(resp);
    return ret;
}

static enum MHD_Result handler(void *cls, struct MHD_Connection *con, const char *url,
                               const char *method, const char *version, const char *upload,
                               size_t *upload_size, void **req_cls)
{
    static int seen;
    const cors_policy *policy = cls;
    fields f;
    cors_result res;
    char body[128];

    (void)version, (void)upload;
    /* Evaluating is cheap and never allocates, so each call evaluates
       afresh instead of keeping state between calls. */
    memset(&f, 0, sizeof f);
    cors_request_init(&f.req);
    cors_fields_init(&f.lines, &f.req);
    f.req.method = method;
    f.req.method_len = strlen(method);
    f.req.scheme = "http"; /* with Host: the server's own pages are same-origin */
    f.req.scheme_len = 4;
    MHD_get_connection_values_n(con, MHD_HEADER_KIND, collect, &f);
    cors_result_init(&res);
    /* A field that comes once came twice, or too many lines: malformed. */
    if (f.req.field_flags || cors_evaluate(policy, &f.req, NULL, NULL, &res) != CORS_OK)
        return reply(con, policy, &f, MHD_HTTP_BAD_REQUEST, "{\"error\":\"bad request\"}");
    if (*req_cls == NULL) {
        *req_cls = &seen;
        fprintf(stderr, "%s %s origin=%s -> %s\n", method, url,
                f.req.origin ? f.req.origin : "-", cors_outcome_string(res.outcome));
        /* First call, headers only: a preflight ends here, with no body. */
        if (res.outcome == CORS_OUTCOME_PREFLIGHT_ACCEPTED ||
            res.outcome == CORS_OUTCOME_PREFLIGHT_DENIED)
            return reply(con, policy, &f, 0, "");
        return MHD_YES;
    }
    if (*upload_size) { /* the body is not used; consume it */
        *upload_size = 0;
        return MHD_YES;
    }
    /* A disallowed origin may not change anything (the browser would hide
       the answer, but the change would still happen). */
    if (res.outcome == CORS_OUTCOME_ACTUAL_DISALLOWED && strcmp(method, "GET") &&
        strcmp(method, "HEAD"))
        return reply(con, policy, &f, MHD_HTTP_FORBIDDEN, "{\"error\":\"origin not allowed\"}");
    if (strcmp(url, "/hello"))
        return reply(con, policy, &f, MHD_HTTP_NOT_FOUND, "{\"error\":\"not found\"}");
    snprintf(body, sizeof body, "{\"hello\":\"world\",\"method\":\"%.32s\"}\n", method);
    return reply(con, policy, &f, MHD_HTTP_OK, body);
}

int main(int argc, char **argv)
{
    const char *policy_path;
    unsigned long port;
    struct sockaddr_in sa;
    struct MHD_Daemon *d;
    const union MHD_DaemonInfo *info;
    cors_policy *policy;
    sigset_t stop;
    int sig;

    if (example_args(argc, argv, "mhd-server", &port, &policy_path) != 0)
        return 2;
    if (!(policy = example_load_policy(policy_path)))
        return 2;
    memset(&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    sa.sin_port = htons((unsigned short)port);
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    /* Threads started by MHD inherit this mask, so sigwait() gets them. */
    sigemptyset(&stop);
    sigaddset(&stop, SIGINT);
    sigaddset(&stop, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop, NULL);
    d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG, 0, NULL, NULL,
                         handler, policy, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
                         MHD_OPTION_CONNECTION_TIMEOUT, 10u, MHD_OPTION_END);
    if (!d || !(info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT))) {
        fprintf(stderr, "mhd-server: cannot listen on port %lu\n", port);
        return 1;
    }
    printf("listening on http://127.0.0.1:%u/\n", (unsigned)info->port);
    fflush(stdout);
    sigwait(&stop, &sig);
    MHD_stop_daemon(d);
    cors_policy_free(policy);
    return 0;
}
