/*
 * evhttp-server.c - libcors in a libevent evhttp server.
 *
 *   evhttp-server [--port N] [--policy FILE]   (--port 0: any free port)
 *
 * Any method on /hello answers a little JSON.  What this shows:
 *  - Where: first thing in the request callback; a preflight is answered
 *    there, before any application code.
 *  - SET vs MERGE: evhttp_add_header() appends, and evhttp_remove_header()
 *    removes only the first match.  SET removes until none is left, then
 *    adds; MERGE joins the existing list, so the application's "Vary:
 *    Accept" becomes "Vary: Accept, Origin", never two Vary lines.
 *  - Pitfalls: evhttp answers OPTIONS and PATCH with 501 itself unless
 *    evhttp_set_allowed_methods() lists them, so preflights never reach
 *    the callback; evhttp_find_header() sees only the first of repeated
 *    fields, and Access-Control-Request-Headers may come as several lines,
 *    so iterate; evhttp adds "Content-Type: text/html" to every response
 *    with a body unless told otherwise.
 *
 * Copyright (c) 2026 The libcors authors.  MIT licence, see COPYING.
 */
#define _POSIX_C_SOURCE 200809L

#include "example-util.h"

#include <event2/buffer.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>


static const char *method_name(enum evhttp_cmd_type t)
{
    switch (t) {
    case EVHTTP_REQ_GET: return "GET";
    case EVHTTP_REQ_POST: return "POST";
    case EVHTTP_REQ_HEAD: return "HEAD";
    case EVHTTP_REQ_PUT: return "PUT";
    case EVHTTP_REQ_DELETE: return "DELETE";
    case EVHTTP_REQ_OPTIONS: return "OPTIONS";
    case EVHTTP_REQ_PATCH: return "PATCH";
    default: return "OTHER"; /* not allowed below, never reaches us */
    }
}

/* The emitter: writes one libcors header into evhttp's output headers.
   Either way the response ends up with a single line of that name. */
static int emit(void *ctx, const char *name, size_t name_len, const char *value,
                size_t value_len, unsigned flags)
{
    struct evkeyvalq *out = ctx;
    char n[64], v[CORS_SCRATCH_SIZE + 1024];

    if (example_cstr(n, sizeof n, name, name_len) != 0 ||
        example_header_value(v, sizeof v, evhttp_find_header(out, n), value, value_len,
                             flags) != 0)
        return 1;
    while (evhttp_remove_header(out, n) == 0)
        ;
    return evhttp_add_header(out, n, v) == 0 ? 0 : 1;
}

/* Reads the CORS fields; -1 when the request is malformed. */
static int read_fields(struct evhttp_request *req, cors_request *r, cors_fields *f)
{
    struct evkeyval *kv;

    cors_request_init(r);
    cors_fields_init(f, r);
    r->method = method_name(evhttp_request_get_command(req));
    r->method_len = strlen(r->method);
    r->scheme = "http"; /* with Host: the server's own pages are same-origin */
    r->scheme_len = 4;
    for (kv = evhttp_request_get_input_headers(req)->tqh_first; kv; kv = kv->next.tqe_next)
        cors_fields_add(f, kv->key, strlen(kv->key), kv->value, strlen(kv->value));
    /* A field that comes once came twice, or too many lines: malformed. */
    return r->field_flags ? -1 : 0;
}

static void reply(struct evhttp_request *req, const cors_policy *policy, const cors_request *r,
                  int status, const char *body)
{
    struct evkeyvalq *out = evhttp_request_get_output_headers(req);
    struct evbuffer *buf = evbuffer_new();
    cors_result res;

    if (*body) {
        evhttp_add_header(out, "Content-Type", "application/json");
        evhttp_add_header(out, "Vary", "Accept");
        evbuffer_add(buf, body, strlen(body));
    }
    cors_result_init(&res);
    if (cors_evaluate(policy, r, emit, out, &res) != CORS_OK)
        status = 500;
    else if (res.status)
        status = res.status; /* a preflight */
    evhttp_send_reply(req, status, NULL, buf);
    evbuffer_free(buf);
}

static void handler(struct evhttp_request *req, void *arg)
{
    const cors_policy *policy = arg;
    cors_request r;
    cors_fields f;
    cors_result res;
    const char *path = evhttp_uri_get_path(evhttp_request_get_evhttp_uri(req));
    char body[128];

    cors_result_init(&res);
    if (read_fields(req, &r, &f) != 0 || cors_evaluate(policy, &r, NULL, NULL, &res) != CORS_OK) {
        reply(req, policy, &r, 400, "{\"error\":\"bad request\"}");
        return;
    }
    fprintf(stderr, "%s %s origin=%s -> %s\n", r.method, evhttp_request_get_uri(req),
            r.origin ? r.origin : "-", cors_outcome_string(res.outcome));
    if (res.outcome == CORS_OUTCOME_PREFLIGHT_ACCEPTED ||
        res.outcome == CORS_OUTCOME_PREFLIGHT_DENIED)
        reply(req, policy, &r, 0, "");
    else if (res.outcome == CORS_OUTCOME_ACTUAL_DISALLOWED && strcmp(r.method, "GET") &&
             strcmp(r.method, "HEAD"))
        reply(req, policy, &r, 403, "{\"error\":\"origin not allowed\"}");
    else if (!path || strcmp(path, "/hello"))
        reply(req, policy, &r, 404, "{\"error\":\"not found\"}");
    else {
        snprintf(body, sizeof body, "{\"hello\":\"world\",\"method\":\"%s\"}\n", r.method);
        reply(req, policy, &r, 200, body);
    }
}

static void on_signal(evutil_socket_t sig, short events, void *base)
{
    (void)sig, (void)events;
    event_base_loopbreak(base);
}

int main(int argc, char **argv)
{
    const char *policy_path;
    unsigned long port;
    struct event_base *base;
    struct evhttp *http;
    struct evhttp_bound_socket *bound;
    struct event *sigint, *sigterm;
    struct sockaddr_in sa;
    socklen_t len = sizeof sa;
    cors_policy *policy;

    if (example_args(argc, argv, "evhttp-server", &port, &policy_path) != 0)
        return 2;
    if (!(policy = example_load_policy(policy_path)))
        return 2;
    base = event_base_new();
    http = base ? evhttp_new(base) : NULL;
    if (!http)
        return 1;
    evhttp_set_allowed_methods(http, EVHTTP_REQ_GET | EVHTTP_REQ_POST | EVHTTP_REQ_HEAD |
                                         EVHTTP_REQ_PUT | EVHTTP_REQ_DELETE |
                                         EVHTTP_REQ_OPTIONS | EVHTTP_REQ_PATCH);
    evhttp_set_default_content_type(http, NULL);
    evhttp_set_max_headers_size(http, 16384);
    evhttp_set_max_body_size(http, 65536);
    evhttp_set_timeout(http, 10);
    evhttp_set_gencb(http, handler, policy);
    bound = evhttp_bind_socket_with_handle(http, "127.0.0.1", (ev_uint16_t)port);
    if (!bound || getsockname(evhttp_bound_socket_get_fd(bound), (struct sockaddr *)&sa, &len)) {
        fprintf(stderr, "evhttp-server: cannot listen on port %lu\n", port);
        return 1;
    }
    printf("listening on http://127.0.0.1:%u/\n", (unsigned)ntohs(sa.sin_port));
    fflush(stdout);
    sigint = evsignal_new(base, SIGINT, on_signal, base);
    sigterm = evsignal_new(base, SIGTERM, on_signal, base);
    event_add(sigint, NULL);
    event_add(sigterm, NULL);
    event_base_dispatch(base);
    event_free(sigint);
    event_free(sigterm);
    evhttp_free(http);
    event_base_free(base);
    cors_policy_free(policy);
    return 0;
}
