/*
 * abi_0_1_0.c - a program built against the libcors 0.1.0 header, run
 * against the library being built: the ABI promise in cors.h.
 *
 * cors-0.1.0.h is a frozen, byte-for-byte copy of include/cors.h as
 * released in 0.1.0; never edit it.  Its cors_request and cors_result are
 * the smallest the library accepts.  Every struct here sits between guard
 * bytes: the library must fill the structs the program has, and not one
 * byte more, however much its own structs have grown since.
 */
#include "cors-0.1.0.h"

#include <stdio.h>
#include <string.h>

#define GUARD 0xA5
#define GUARD_SIZE 64

static int failures;

static void check(int ok, const char *what)
{
    printf("%s - %s\n", ok ? "ok" : "not ok", what);
    if (!ok)
        failures++;
}

typedef struct guarded_request {
    cors_request req;
    unsigned char guard[GUARD_SIZE];
} guarded_request;

typedef struct guarded_result {
    cors_result res;
    unsigned char guard[GUARD_SIZE];
} guarded_result;

static int guard_intact(const unsigned char *g)
{
    size_t i;

    for (i = 0; i < GUARD_SIZE; i++)
        if (g[i] != GUARD)
            return 0;
    return 1;
}

typedef struct seen {
    size_t n;
    char acao[128];
} seen;

static int emit(void *ctx, const char *name, size_t name_len, const char *value,
                size_t value_len, unsigned flags)
{
    seen *s = ctx;

    (void)flags;
    s->n++;
    if (name_len == 27 && memcmp(name, "Access-Control-Allow-Origin", 27) == 0 &&
        value_len < sizeof s->acao) {
        memcpy(s->acao, value, value_len);
        s->acao[value_len] = '\0';
    }
    return 0;
}

static cors_policy *build(void)
{
    static const char text[] = "allow-origin https://app.example.com\n"
                               "allow-methods PUT DELETE\n"
                               "allow-headers content-type\n";
    cors_builder *b = cors_builder_new(NULL);
    cors_policy *p = NULL;

    if (!b)
        return NULL;
    if (cors_builder_parse(b, text, sizeof text - 1) != CORS_OK ||
        cors_builder_build(b, &p) != CORS_OK)
        p = NULL;
    cors_builder_free(b);
    return p;
}

static void init(guarded_request *g, guarded_result *r)
{
    memset(g, GUARD, sizeof *g);
    memset(r, GUARD, sizeof *r);
    cors_request_init(&g->req);
    cors_result_init(&r->res);
}

static void preflight(const char *origin, guarded_request *g)
{
    static const cors_str acrh = {"content-type", 12};

    g->req.method = "OPTIONS";
    g->req.method_len = 7;
    g->req.origin = origin;
    g->req.origin_len = strlen(origin);
    g->req.request_method = "PUT";
    g->req.request_method_len = 3;
    g->req.request_headers = &acrh;
    g->req.request_headers_count = 1;
}

static void test_preflight(const cors_policy *p)
{
    guarded_request g;
    guarded_result r;
    seen s;

    memset(&s, 0, sizeof s);
    init(&g, &r);
    check(g.req.struct_size == sizeof(cors_request) && r.res.struct_size == sizeof(cors_result),
          "cors_request_init stores the 0.1.0 sizes");
    check(guard_intact(g.guard) && guard_intact(r.guard), "init writes nothing past the structs");
    preflight("https://app.example.com", &g);
    check(cors_evaluate(p, &g.req, emit, &s, &r.res) == CORS_OK, "0.1.0 preflight is evaluated");
    check(r.res.outcome == CORS_OUTCOME_PREFLIGHT_ACCEPTED && r.res.status == 204,
          "preflight accepted with 204");
    check(strcmp(s.acao, "https://app.example.com") == 0, "origin echoed");
    check(r.res.struct_size == sizeof(cors_result), "result keeps the caller's struct_size");
    check(guard_intact(g.guard) && guard_intact(r.guard), "evaluate writes nothing past the result");

    init(&g, &r);
    preflight("https://evil.example", &g);
    check(cors_evaluate(p, &g.req, NULL, NULL, &r.res) == CORS_OK &&
              r.res.outcome == CORS_OUTCOME_PREFLIGHT_DENIED &&
              r.res.reason == CORS_REASON_ORIGIN_NOT_ALLOWED && r.res.detail_len == 20,
          "other origin denied, with its reason and detail");
    check(guard_intact(r.guard), "a denial writes nothing past the result");
}

static void test_headers_array(const cors_policy *p)
{
    guarded_request g;
    guarded_result r;
    cors_header h[CORS_MAX_HEADERS];
    size_t n = 0;

    init(&g, &r);
    g.req.method = "GET";
    g.req.method_len = 3;
    g.req.origin = "https://app.example.com";
    g.req.origin_len = 23;
    check(cors_evaluate_headers(p, &g.req, h, CORS_MAX_HEADERS, &n, NULL, 0, &r.res) == CORS_OK,
          "0.1.0 actual request through cors_evaluate_headers");
    check(r.res.outcome == CORS_OUTCOME_ACTUAL_ALLOWED && n == 2, "allowed, two headers");
    check(guard_intact(r.guard), "the array variant writes nothing past the result");
}

static void test_sizes(const cors_policy *p)
{
    guarded_request g;
    guarded_result r;

    init(&g, &r);
    g.req.method = "GET";
    g.req.method_len = 3;
    g.req.struct_size = sizeof(cors_request) - 1;
    check(cors_evaluate(p, &g.req, NULL, NULL, &r.res) == CORS_ERR_STRUCT_SIZE,
          "a request smaller than 0.1.0's is refused");
    g.req.struct_size = sizeof(cors_request);
    r.res.struct_size = sizeof(cors_result) - 1;
    check(cors_evaluate(p, &g.req, NULL, NULL, &r.res) == CORS_ERR_STRUCT_SIZE,
          "a result smaller than 0.1.0's is refused");
}

int main(void)
{
    cors_policy *p = build();

    check(p != NULL, "0.1.0 builder calls build a policy");
    if (!p)
        return 1;
    check(cors_version() >= 0x000100, "linked library is 0.1.0 or newer");
    test_preflight(p);
    test_headers_array(p);
    test_sizes(p);
    cors_policy_free(p);
    return failures ? 1 : 0;
}
