/*
 * check_evaluate.c - cors_evaluate() and cors_evaluate_headers(): the seed
 * example, every outcome with its exact headers (order and SET/MERGE
 * flags), the status, Vary, private network access, the emitter contract,
 * argument errors, and look-alike origins that must never be allowed or
 * reflected.
 */
#include "testutil.h"

#define VARY_PREFLIGHT "Origin, Access-Control-Request-Method, Access-Control-Request-Headers"
#define VARY_PREFLIGHT_PNA VARY_PREFLIGHT ", Access-Control-Request-Private-Network"

#define ACAO "Access-Control-Allow-Origin"
#define ACAC "Access-Control-Allow-Credentials"
#define ACAM "Access-Control-Allow-Methods"
#define ACAH "Access-Control-Allow-Headers"
#define ACMA "Access-Control-Max-Age"
#define ACEH "Access-Control-Expose-Headers"
#define ACPN "Access-Control-Allow-Private-Network"
#define SET CORS_HEADER_SET
#define MERGE CORS_HEADER_MERGE

/* ------------------------------------------------------------ policies */

enum {
    P_SEED,     /* A messaging app's server: any origin, four methods */
    P_PLAIN,    /* one origin, no credentials, no max-age */
    P_CRED,     /* credentials, a pattern, max-age, expose */
    P_PNA,      /* private network access on, max-age 0 */
    P_STATUS,   /* preflight-status 200 */
    P_ECHO,     /* "*" methods and headers with credentials: echoed */
    P_DENY_404, /* preflight-denied-status 404, with every header a grant sends */
    P_DENY_200, /* any origin, both statuses 200, private network on */
    P_COUNT
};

static const char *const policy_texts[P_COUNT] = {
    /* The project's built-in default policy, as A messaging app's server
       is configured. */
    "allow-origin *\n"
    "allow-methods GET PUT POST DELETE\n"
    "allow-headers Content-Type, Accept\n",
    "allow-origin https://app.example.com\n"
    "allow-methods PUT\n"
    "allow-headers X-A\n",
    "allow-origin https://app.example.com https://*.example.org\n"
    "allow-methods PUT DELETE\n"
    "allow-headers X-Requested-With, Content-Type\n"
    "expose-headers X-Request-Id, X-Trace\n"
    "allow-credentials on\n"
    "max-age 600\n",
    "allow-origin https://app.example.com\n"
    "allow-private-network on\n"
    "max-age 0\n",
    "allow-origin https://app.example.com\n"
    "preflight-status 200\n",
    "allow-origin https://app.example.com\n"
    "allow-methods *\n"
    "allow-headers *\n"
    "allow-credentials on\n",
    "allow-origin https://app.example.com\n"
    "allow-methods PUT\n"
    "allow-headers X-A\n"
    "expose-headers X-Request-Id\n"
    "allow-credentials on\n"
    "max-age 600\n"
    "preflight-denied-status 404\n",
    "allow-origin *\n"
    "allow-methods PUT\n"
    "allow-private-network on\n"
    "dangerously-allow-private-network-from-any-origin on\n"
    "preflight-status 200\n"
    "preflight-denied-status 200\n",
};

static cors_policy *policies[P_COUNT];

static void setup(void)
{
    tu_policies_build(policies, policy_texts, P_COUNT);
}

static void teardown(void)
{
    tu_policies_free(policies, P_COUNT);
}

/* ------------------------------------------------------------- helpers */

typedef struct hdr {
    const char *name;
    const char *value;
    unsigned flags;
} hdr;

/* Fills req from NUL-terminated strings; NULL is an absent header. */
static void make_request(cors_request *req, cors_str *acrh_line, const char *method,
                         const char *origin, const char *acrm, const char *acrh, const char *pna)
{
    cors_request_init(req);
    if (method) {
        req->method = method;
        req->method_len = strlen(method);
    }
    if (origin) {
        req->origin = origin;
        req->origin_len = strlen(origin);
    }
    if (acrm) {
        req->request_method = acrm;
        req->request_method_len = strlen(acrm);
    }
    if (acrh) {
        acrh_line->ptr = acrh;
        acrh_line->len = strlen(acrh);
        req->request_headers = acrh_line;
        req->request_headers_count = 1;
    }
    if (pna) {
        req->request_private_network = pna;
        req->request_private_network_len = strlen(pna);
    }
}

/* Evaluates req both ways, through the emitter and into an array, checks
   that the two agree in every header, flag and result field, and returns
   the emitter's view. */
static cors_error evaluate_both(const cors_policy *p, const cors_request *req, tu_capture *c,
                                cors_result *res)
{
    cors_header arr[CORS_MAX_HEADERS];
    char scratch[CORS_SCRATCH_SIZE];
    cors_result res2;
    size_t count = 99, i;
    cors_error e = tu_run_request(p, req, c, res), e2;

    cors_result_init(&res2);
    e2 = cors_evaluate_headers(p, req, arr, CORS_MAX_HEADERS, &count, scratch, sizeof scratch,
                               &res2);
    ck_assert_int_eq(e, e2);
    ck_assert_uint_eq(count, c->n);
    ck_assert_uint_le(count, CORS_MAX_HEADERS);
    for (i = 0; i < count; i++) {
        ck_assert_uint_eq(arr[i].name_len, strlen(c->h[i].name));
        ck_assert_int_eq(memcmp(arr[i].name, c->h[i].name, arr[i].name_len), 0);
        ck_assert_uint_eq(arr[i].value_len, c->h[i].value_len);
        ck_assert_int_eq(memcmp(arr[i].value, c->h[i].value, arr[i].value_len), 0);
        ck_assert_uint_eq(arr[i].flags, c->h[i].flags);
    }
    ck_assert_int_eq(res->outcome, res2.outcome);
    ck_assert_int_eq(res->status, res2.status);
    ck_assert_int_eq(res->reason, res2.reason);
    ck_assert_ptr_eq(res->detail, res2.detail);
    ck_assert_uint_eq(res->detail_len, res2.detail_len);
    ck_assert_uint_eq(res->struct_size, sizeof(cors_result));
    return e;
}

/* The captured headers are exactly want (NULL-name terminated), in order. */
static void assert_headers(const char *what, const tu_capture *c, const hdr *want)
{
    size_t i, n = 0;

    while (want[n].name)
        n++;
    if (c->n != n)
        for (i = 0; i < c->n; i++)
            fprintf(stderr, "%s: got %s: %s\n", what, c->h[i].name, c->h[i].value);
    ck_assert_msg(c->n == n, "%s: %zu headers, expected %zu", what, c->n, n);
    for (i = 0; i < n; i++) {
        ck_assert_msg(strcmp(c->h[i].name, want[i].name) == 0, "%s: header %zu is %s, not %s",
                      what, i, c->h[i].name, want[i].name);
        ck_assert_msg(strcmp(c->h[i].value, want[i].value) == 0, "%s: %s is \"%s\", not \"%s\"",
                      what, want[i].name, c->h[i].value, want[i].value);
        ck_assert_msg(c->h[i].flags == want[i].flags, "%s: %s flags %u, expected %u", what,
                      want[i].name, c->h[i].flags, want[i].flags);
    }
}

/* ------------------------------------------------------------ the seed */

/*
 * A messaging app's exchange: a page on one host posts a message to the API
 * on another.  The browser first sends
 *
 *   OPTIONS /messages/ HTTP/1.1
 *   Origin: https://www.example.com
 *   Access-Control-Request-Method: POST
 *   Access-Control-Request-Headers: accept, content-type
 *
 * and the server, which allows any host to make GET, PUT, POST and DELETE
 * requests, answers with Access-Control-Allow-Origin: *, the methods and
 * the headers; then the actual POST goes ahead.  libcors answers 204 by
 * default (the note shows 200, which preflight-status 200 gives).
 */
START_TEST(test_seed_example)
{
    const cors_policy *p = policies[P_SEED];
    tu_capture c;
    cors_result res;
    cors_request req;
    cors_str line;
    const char *allow_headers;
    char describe[200];

    make_request(&req, &line, "OPTIONS", "https://www.example.com", "POST",
                 "accept, content-type", NULL);
    ck_assert_int_eq(evaluate_both(p, &req, &c, &res), CORS_OK);
    ck_assert_int_eq(res.outcome, CORS_OUTCOME_PREFLIGHT_ACCEPTED);
    ck_assert_int_eq(res.status, 204);
    ck_assert_int_eq(res.reason, CORS_REASON_NONE);
    ck_assert_uint_eq(c.n, 4);
    ck_assert_str_eq(c.h[0].name, ACAO);
    ck_assert_str_eq(c.h[0].value, "*");
    ck_assert_uint_eq(c.h[0].flags, SET);
    ck_assert_str_eq(c.h[1].name, ACAM);
    ck_assert_str_eq(c.h[1].value, "GET, PUT, POST, DELETE");
    ck_assert_uint_eq(c.h[1].flags, SET);
    /* The note's server writes "Content-Type, Accept"; libcors lower-cases
       configured header names, and header names are case-insensitive
       (RFC 9110 5.1; browsers compare byte-lowercased names, Fetch 4.8),
       so the value is compared case-insensitively. */
    ck_assert_str_eq(c.h[2].name, ACAH);
    allow_headers = c.h[2].value;
    ck_assert_msg(strcasecmp(allow_headers, "Content-Type, Accept") == 0, "%s", allow_headers);
    ck_assert_uint_eq(c.h[2].flags, SET);
    ck_assert_str_eq(c.h[3].name, "Vary");
    ck_assert_str_eq(c.h[3].value, VARY_PREFLIGHT);
    ck_assert_uint_eq(c.h[3].flags, MERGE);
    ck_assert_uint_eq(cors_result_describe(p, &res, describe, sizeof describe),
                      strlen("preflight accepted"));
    ck_assert_str_eq(describe, "preflight accepted");

    /* the actual request the preflight allowed */
    make_request(&req, &line, "POST", "https://www.example.com", NULL, NULL, NULL);
    ck_assert_int_eq(evaluate_both(p, &req, &c, &res), CORS_OK);
    ck_assert_int_eq(res.outcome, CORS_OUTCOME_ACTUAL_ALLOWED);
    ck_assert_int_eq(res.status, 0);
    ck_assert_uint_eq(c.n, 1);
    ck_assert_str_eq(c.h[0].name, ACAO);
    ck_assert_str_eq(c.h[0].value, "*");
    ck_assert_uint_eq(c.h[0].flags, SET);

    /* the messaging app's request headers in the other order, or in capitals, are
       the same request */
    make_request(&req, &line, "OPTIONS", "http://localhost:8080", "POST",
                 "Content-Type,Accept", NULL);
    ck_assert_int_eq(evaluate_both(p, &req, &c, &res), CORS_OK);
    ck_assert_int_eq(res.outcome, CORS_OUTCOME_PREFLIGHT_ACCEPTED);
    ck_assert_str_eq(tu_get(&c, ACAO), "*");
}
END_TEST

/* The note shows "HTTP/1.1 200 OK": that is preflight-status 200. */
START_TEST(test_seed_example_status_200)
{
    cors_policy *p = tu_policy("allow-origin *\nallow-methods GET PUT POST DELETE\n"
                               "allow-headers Content-Type, Accept\npreflight-status 200\n");
    tu_capture c;
    cors_result res;

    ck_assert_int_eq(tu_run(p, "OPTIONS", "https://www.example.com", "POST",
                            "accept, content-type", &c, &res),
                     CORS_OK);
    ck_assert_int_eq(res.outcome, CORS_OUTCOME_PREFLIGHT_ACCEPTED);
    ck_assert_int_eq(res.status, 200);
    ck_assert_str_eq(tu_get(&c, ACAO), "*");
    ck_assert_str_eq(tu_get(&c, ACAM), "GET, PUT, POST, DELETE");
    ck_assert_int_eq(strcasecmp(tu_get(&c, ACAH), "content-type, accept"), 0);
    cors_policy_free(p);
}
END_TEST

/* ------------------------------------------------------------ outcomes */

#define APP "https://app.example.com"

static const struct outcome_case {
    const char *what;
    int policy;
    const char *method, *origin, *acrm, *acrh, *pna;
    cors_outcome outcome;
    int status;
    cors_reason reason;
    const char *detail; /* NULL: none */
    hdr headers[CORS_MAX_HEADERS + 1];
} outcomes[] = {
    /* ---- not CORS: no Origin; still Vary, since the answer for other
       requests to the same URL depends on Origin */
    {"GET without Origin", P_PLAIN, "GET", NULL, NULL, NULL, NULL, CORS_OUTCOME_NOT_CORS, 0,
     CORS_REASON_NONE, NULL, {{"Vary", "Origin", MERGE}}},
    {"OPTIONS without Origin", P_PLAIN, "OPTIONS", NULL, NULL, NULL, NULL,
     CORS_OUTCOME_NOT_CORS, 0, CORS_REASON_NONE, NULL, {{"Vary", "Origin", MERGE}}},
    {"OPTIONS with ACRM but without Origin", P_PLAIN, "OPTIONS", NULL, "PUT", "x-a", NULL,
     CORS_OUTCOME_NOT_CORS, 0, CORS_REASON_NONE, NULL, {{"Vary", "Origin", MERGE}}},
    {"no Origin, credentials", P_CRED, "GET", NULL, NULL, NULL, NULL, CORS_OUTCOME_NOT_CORS,
     0, CORS_REASON_NONE, NULL, {{"Vary", "Origin", MERGE}}},
    /* With "*" the answer does not depend on Origin: no Vary, and the same
       ACAO for every request so that a cached copy fits CORS requests. */
    {"no Origin, any origin", P_SEED, "GET", NULL, NULL, NULL, NULL, CORS_OUTCOME_NOT_CORS, 0,
     CORS_REASON_NONE, NULL, {{ACAO, "*", SET}}},

    /* ---- actual requests */
    {"GET allowed", P_PLAIN, "GET", APP, NULL, NULL, NULL, CORS_OUTCOME_ACTUAL_ALLOWED, 0,
     CORS_REASON_NONE, NULL, {{ACAO, APP, SET}, {"Vary", "Origin", MERGE}}},
    {"DELETE allowed (methods are checked by preflights only)", P_PLAIN, "DELETE", APP, NULL,
     NULL, NULL, CORS_OUTCOME_ACTUAL_ALLOWED, 0, CORS_REASON_NONE, NULL,
     {{ACAO, APP, SET}, {"Vary", "Origin", MERGE}}},
    {"OPTIONS without ACRM is an actual request", P_PLAIN, "OPTIONS", APP, NULL, "x-a", NULL,
     CORS_OUTCOME_ACTUAL_ALLOWED, 0, CORS_REASON_NONE, NULL,
     {{ACAO, APP, SET}, {"Vary", "Origin", MERGE}}},
    {"lower-case options is not a preflight", P_PLAIN, "options", APP, "PUT", "x-a", NULL,
     CORS_OUTCOME_ACTUAL_ALLOWED, 0, CORS_REASON_NONE, NULL,
     {{ACAO, APP, SET}, {"Vary", "Origin", MERGE}}},
    {"Options is not a preflight", P_PLAIN, "Options", APP, "PUT", NULL, NULL,
     CORS_OUTCOME_ACTUAL_ALLOWED, 0, CORS_REASON_NONE, NULL,
     {{ACAO, APP, SET}, {"Vary", "Origin", MERGE}}},
    {"GET from another origin", P_PLAIN, "GET", "https://other.example", NULL, NULL, NULL,
     CORS_OUTCOME_ACTUAL_DISALLOWED, 0, CORS_REASON_ORIGIN_NOT_ALLOWED, "https://other.example",
     {{"Vary", "Origin", MERGE}}},
    {"GET from null", P_PLAIN, "GET", "null", NULL, NULL, NULL, CORS_OUTCOME_ACTUAL_DISALLOWED,
     0, CORS_REASON_ORIGIN_NULL, "null", {{"Vary", "Origin", MERGE}}},
    {"GET from a malformed origin", P_PLAIN, "GET", "https://app.example.com/", NULL, NULL,
     NULL, CORS_OUTCOME_ACTUAL_DISALLOWED, 0, CORS_REASON_ORIGIN_MALFORMED,
     "https://app.example.com/", {{"Vary", "Origin", MERGE}}},
    {"actual with credentials and expose", P_CRED, "POST", APP, NULL, NULL, NULL,
     CORS_OUTCOME_ACTUAL_ALLOWED, 0, CORS_REASON_NONE, NULL,
     {{ACAO, APP, SET},
      {ACAC, "true", SET},
      {ACEH, "x-request-id, x-trace", SET},
      {"Vary", "Origin", MERGE}}},
    {"actual from a subdomain", P_CRED, "GET", "https://a.b.example.org", NULL, NULL, NULL,
     CORS_OUTCOME_ACTUAL_ALLOWED, 0, CORS_REASON_NONE, NULL,
     {{ACAO, "https://a.b.example.org", SET},
      {ACAC, "true", SET},
      {ACEH, "x-request-id, x-trace", SET},
      {"Vary", "Origin", MERGE}}},
    {"actual disallowed: no credentials, no expose", P_CRED, "GET", "https://example.org",
     NULL, NULL, NULL, CORS_OUTCOME_ACTUAL_DISALLOWED, 0, CORS_REASON_ORIGIN_NOT_ALLOWED,
     "https://example.org", {{"Vary", "Origin", MERGE}}},
    {"actual with any origin", P_SEED, "PUT", "https://x.example", NULL, NULL, NULL,
     CORS_OUTCOME_ACTUAL_ALLOWED, 0, CORS_REASON_NONE, NULL, {{ACAO, "*", SET}}},
    {"actual ignores a private network request header", P_PLAIN, "GET", APP, NULL, NULL,
     "true", CORS_OUTCOME_ACTUAL_ALLOWED, 0, CORS_REASON_NONE, NULL,
     {{ACAO, APP, SET}, {"Vary", "Origin", MERGE}}},
    {"actual with private network on", P_PNA, "GET", APP, NULL, NULL, "true",
     CORS_OUTCOME_ACTUAL_ALLOWED, 0, CORS_REASON_NONE, NULL,
     {{ACAO, APP, SET}, {"Vary", "Origin", MERGE}}},

    /* ---- preflights accepted */
    {"preflight accepted", P_PLAIN, "OPTIONS", APP, "PUT", "x-a", NULL,
     CORS_OUTCOME_PREFLIGHT_ACCEPTED, 204, CORS_REASON_NONE, NULL,
     {{ACAO, APP, SET}, {ACAM, "PUT", SET}, {ACAH, "x-a", SET}, {"Vary", VARY_PREFLIGHT, MERGE}}},
    {"preflight: header names are case-insensitive", P_PLAIN, "OPTIONS", APP, "PUT", "X-A",
     NULL, CORS_OUTCOME_PREFLIGHT_ACCEPTED, 204, CORS_REASON_NONE, NULL,
     {{ACAO, APP, SET}, {ACAM, "PUT", SET}, {ACAH, "x-a", SET}, {"Vary", VARY_PREFLIGHT, MERGE}}},
    {"preflight for a safelisted method, no headers", P_PLAIN, "OPTIONS", APP, "POST", NULL,
     NULL, CORS_OUTCOME_PREFLIGHT_ACCEPTED, 204, CORS_REASON_NONE, NULL,
     {{ACAO, APP, SET}, {ACAM, "PUT", SET}, {ACAH, "x-a", SET}, {"Vary", VARY_PREFLIGHT, MERGE}}},
    {"preflight with credentials and max-age", P_CRED, "OPTIONS", APP, "DELETE",
     "x-requested-with", NULL, CORS_OUTCOME_PREFLIGHT_ACCEPTED, 204, CORS_REASON_NONE, NULL,
     {{ACAO, APP, SET},
      {ACAC, "true", SET},
      {ACAM, "PUT, DELETE", SET},
      {ACAH, "x-requested-with, content-type", SET},
      {ACMA, "600", SET},
      {"Vary", VARY_PREFLIGHT, MERGE}}},
    {"preflight with a configured status", P_STATUS, "OPTIONS", APP, "GET", NULL, NULL,
     CORS_OUTCOME_PREFLIGHT_ACCEPTED, 200, CORS_REASON_NONE, NULL,
     {{ACAO, APP, SET}, {"Vary", VARY_PREFLIGHT, MERGE}}},
    {"preflight echoing method and headers with credentials", P_ECHO, "OPTIONS", APP, "PATCH",
     "X-Custom, x-other", NULL, CORS_OUTCOME_PREFLIGHT_ACCEPTED, 204, CORS_REASON_NONE, NULL,
     {{ACAO, APP, SET},
      {ACAC, "true", SET},
      {ACAM, "PATCH", SET},
      {ACAH, "X-Custom, x-other", SET},
      {"Vary", VARY_PREFLIGHT, MERGE}}},
    {"private network granted", P_PNA, "OPTIONS", APP, "GET", NULL, "true",
     CORS_OUTCOME_PREFLIGHT_ACCEPTED, 204, CORS_REASON_NONE, NULL,
     {{ACAO, APP, SET}, {ACMA, "0", SET}, {ACPN, "true", SET},
      {"Vary", VARY_PREFLIGHT_PNA, MERGE}}},
    {"private network enabled, not asked", P_PNA, "OPTIONS", APP, "GET", NULL, NULL,
     CORS_OUTCOME_PREFLIGHT_ACCEPTED, 204, CORS_REASON_NONE, NULL,
     {{ACAO, APP, SET}, {ACMA, "0", SET}, {"Vary", VARY_PREFLIGHT_PNA, MERGE}}},

    /* ---- preflights denied: 403, no Access-Control-* header, but Vary */
    {"preflight from another origin", P_PLAIN, "OPTIONS", "https://other.example", "PUT", NULL,
     NULL, CORS_OUTCOME_PREFLIGHT_DENIED, 403, CORS_REASON_ORIGIN_NOT_ALLOWED,
     "https://other.example", {{"Vary", VARY_PREFLIGHT, MERGE}}},
    {"preflight from null", P_PLAIN, "OPTIONS", "null", "PUT", NULL, NULL,
     CORS_OUTCOME_PREFLIGHT_DENIED, 403, CORS_REASON_ORIGIN_NULL, "null",
     {{"Vary", VARY_PREFLIGHT, MERGE}}},
    {"preflight from a malformed origin", P_PLAIN, "OPTIONS", "https://APP.example.com", "PUT",
     NULL, NULL, CORS_OUTCOME_PREFLIGHT_DENIED, 403, CORS_REASON_ORIGIN_MALFORMED,
     "https://APP.example.com", {{"Vary", VARY_PREFLIGHT, MERGE}}},
    {"preflight for a method not allowed", P_PLAIN, "OPTIONS", APP, "DELETE", NULL, NULL,
     CORS_OUTCOME_PREFLIGHT_DENIED, 403, CORS_REASON_METHOD_NOT_ALLOWED, "DELETE",
     {{"Vary", VARY_PREFLIGHT, MERGE}}},
    {"preflight: methods are case-sensitive", P_PLAIN, "OPTIONS", APP, "put", NULL, NULL,
     CORS_OUTCOME_PREFLIGHT_DENIED, 403, CORS_REASON_METHOD_NOT_ALLOWED, "put",
     {{"Vary", VARY_PREFLIGHT, MERGE}}},
    {"preflight for a malformed method", P_PLAIN, "OPTIONS", APP, "P(T", NULL, NULL,
     CORS_OUTCOME_PREFLIGHT_DENIED, 403, CORS_REASON_METHOD_MALFORMED, "P(T",
     {{"Vary", VARY_PREFLIGHT, MERGE}}},
    {"preflight for an empty method", P_PLAIN, "OPTIONS", APP, "", NULL, NULL,
     CORS_OUTCOME_PREFLIGHT_DENIED, 403, CORS_REASON_METHOD_MALFORMED, "",
     {{"Vary", VARY_PREFLIGHT, MERGE}}},
    {"preflight for a header not allowed", P_PLAIN, "OPTIONS", APP, "PUT", "x-a, x-b", NULL,
     CORS_OUTCOME_PREFLIGHT_DENIED, 403, CORS_REASON_HEADER_NOT_ALLOWED, "x-b",
     {{"Vary", VARY_PREFLIGHT, MERGE}}},
    {"preflight with malformed headers", P_PLAIN, "OPTIONS", APP, "PUT", "x-a; x-b", NULL,
     CORS_OUTCOME_PREFLIGHT_DENIED, 403, CORS_REASON_HEADERS_MALFORMED, ";",
     {{"Vary", VARY_PREFLIGHT, MERGE}}},
    {"preflight denied with credentials: no credentials header", P_CRED, "OPTIONS", APP,
     "PATCH", NULL, NULL, CORS_OUTCOME_PREFLIGHT_DENIED, 403, CORS_REASON_METHOD_NOT_ALLOWED,
     "PATCH", {{"Vary", VARY_PREFLIGHT, MERGE}}},
    {"preflight denied with any origin", P_SEED, "OPTIONS", "https://x.example", "PATCH", NULL,
     NULL, CORS_OUTCOME_PREFLIGHT_DENIED, 403, CORS_REASON_METHOD_NOT_ALLOWED, "PATCH",
     {{"Vary", VARY_PREFLIGHT, MERGE}}},
    {"preflight denied with any origin, header", P_SEED, "OPTIONS", "https://x.example", "PUT",
     "accept, x-custom", NULL, CORS_OUTCOME_PREFLIGHT_DENIED, 403,
     CORS_REASON_HEADER_NOT_ALLOWED, "x-custom", {{"Vary", VARY_PREFLIGHT, MERGE}}},
    {"preflight denied with a configured status", P_STATUS, "OPTIONS", APP, "PUT", NULL, NULL,
     CORS_OUTCOME_PREFLIGHT_DENIED, 403, CORS_REASON_METHOD_NOT_ALLOWED, "PUT",
     {{"Vary", VARY_PREFLIGHT, MERGE}}},
    {"private network not enabled", P_PLAIN, "OPTIONS", APP, "PUT", NULL, "true",
     CORS_OUTCOME_PREFLIGHT_DENIED, 403, CORS_REASON_PRIVATE_NETWORK_NOT_ALLOWED, "true",
     {{"Vary", VARY_PREFLIGHT, MERGE}}},
    {"private network: false", P_PNA, "OPTIONS", APP, "GET", NULL, "false",
     CORS_OUTCOME_PREFLIGHT_DENIED, 403, CORS_REASON_PRIVATE_NETWORK_MALFORMED, "false",
     {{"Vary", VARY_PREFLIGHT_PNA, MERGE}}},
    {"private network: TRUE", P_PNA, "OPTIONS", APP, "GET", NULL, "TRUE",
     CORS_OUTCOME_PREFLIGHT_DENIED, 403, CORS_REASON_PRIVATE_NETWORK_MALFORMED, "TRUE",
     {{"Vary", VARY_PREFLIGHT_PNA, MERGE}}},
    {"private network: empty", P_PNA, "OPTIONS", APP, "GET", NULL, "",
     CORS_OUTCOME_PREFLIGHT_DENIED, 403, CORS_REASON_PRIVATE_NETWORK_MALFORMED, "",
     {{"Vary", VARY_PREFLIGHT_PNA, MERGE}}},
    {"private network: true with spaces", P_PNA, "OPTIONS", APP, "GET", NULL, " true",
     CORS_OUTCOME_PREFLIGHT_DENIED, 403, CORS_REASON_PRIVATE_NETWORK_MALFORMED, " true",
     {{"Vary", VARY_PREFLIGHT_PNA, MERGE}}},
    {"private network malformed, not enabled", P_PLAIN, "OPTIONS", APP, "PUT", NULL, "yes",
     CORS_OUTCOME_PREFLIGHT_DENIED, 403, CORS_REASON_PRIVATE_NETWORK_MALFORMED, "yes",
     {{"Vary", VARY_PREFLIGHT, MERGE}}},

    /* ---- preflight-denied-status: the status changes, nothing else does:
       still no Access-Control-* header, however much a grant would send */
    {"denied status 404: another origin", P_DENY_404, "OPTIONS", "https://other.example", "PUT",
     NULL, NULL, CORS_OUTCOME_PREFLIGHT_DENIED, 404, CORS_REASON_ORIGIN_NOT_ALLOWED,
     "https://other.example", {{"Vary", VARY_PREFLIGHT, MERGE}}},
    {"denied status 404: method", P_DENY_404, "OPTIONS", APP, "DELETE", "x-a", NULL,
     CORS_OUTCOME_PREFLIGHT_DENIED, 404, CORS_REASON_METHOD_NOT_ALLOWED, "DELETE",
     {{"Vary", VARY_PREFLIGHT, MERGE}}},
    {"denied status 404: header", P_DENY_404, "OPTIONS", APP, "PUT", "x-a, x-b", NULL,
     CORS_OUTCOME_PREFLIGHT_DENIED, 404, CORS_REASON_HEADER_NOT_ALLOWED, "x-b",
     {{"Vary", VARY_PREFLIGHT, MERGE}}},
    {"denied status 404: private network", P_DENY_404, "OPTIONS", APP, "PUT", NULL, "true",
     CORS_OUTCOME_PREFLIGHT_DENIED, 404, CORS_REASON_PRIVATE_NETWORK_NOT_ALLOWED, "true",
     {{"Vary", VARY_PREFLIGHT, MERGE}}},
    {"denied status 404: accepted preflights keep 204", P_DENY_404, "OPTIONS", APP, "PUT",
     "X-A", NULL, CORS_OUTCOME_PREFLIGHT_ACCEPTED, 204, CORS_REASON_NONE, NULL,
     {{ACAO, APP, SET},
      {ACAC, "true", SET},
      {ACAM, "PUT", SET},
      {ACAH, "x-a", SET},
      {ACMA, "600", SET},
      {"Vary", VARY_PREFLIGHT, MERGE}}},
    {"denied status 404: actual requests have no status", P_DENY_404, "PUT",
     "https://other.example", NULL, NULL, NULL, CORS_OUTCOME_ACTUAL_DISALLOWED, 0,
     CORS_REASON_ORIGIN_NOT_ALLOWED, "https://other.example", {{"Vary", "Origin", MERGE}}},
    {"denied status 200 with any origin: no Allow-Origin", P_DENY_200, "OPTIONS",
     "https://x.example", "PATCH", NULL, NULL, CORS_OUTCOME_PREFLIGHT_DENIED, 200,
     CORS_REASON_METHOD_NOT_ALLOWED, "PATCH", {{"Vary", VARY_PREFLIGHT_PNA, MERGE}}},
    {"denied status 200: malformed private network", P_DENY_200, "OPTIONS",
     "https://x.example", "PUT", NULL, "yes", CORS_OUTCOME_PREFLIGHT_DENIED, 200,
     CORS_REASON_PRIVATE_NETWORK_MALFORMED, "yes", {{"Vary", VARY_PREFLIGHT_PNA, MERGE}}},
    {"denied status 200: accepted", P_DENY_200, "OPTIONS", "https://x.example", "PUT", NULL,
     "true", CORS_OUTCOME_PREFLIGHT_ACCEPTED, 200, CORS_REASON_NONE, NULL,
     {{ACAO, "*", SET}, {ACAM, "PUT", SET}, {ACPN, "true", SET},
      {"Vary", VARY_PREFLIGHT_PNA, MERGE}}},
};

START_TEST(test_outcomes)
{
    const struct outcome_case *t = &outcomes[_i];
    cors_request req;
    cors_str line;
    tu_capture c;
    cors_result res;

    make_request(&req, &line, t->method, t->origin, t->acrm, t->acrh, t->pna);
    ck_assert_int_eq(evaluate_both(policies[t->policy], &req, &c, &res), CORS_OK);
    ck_assert_msg(res.outcome == t->outcome, "%s: outcome %s", t->what,
                  cors_outcome_string(res.outcome));
    ck_assert_msg(res.status == t->status, "%s: status %d", t->what, res.status);
    ck_assert_msg(res.reason == t->reason, "%s: reason %s", t->what,
                  cors_reason_string(res.reason));
    if (t->detail) {
        ck_assert_ptr_nonnull(res.detail);
        ck_assert_msg(res.detail_len == strlen(t->detail) &&
                          memcmp(res.detail, t->detail, res.detail_len) == 0,
                      "%s: detail \"%.*s\"", t->what, (int)res.detail_len, res.detail);
    } else {
        ck_assert_ptr_null(res.detail);
        ck_assert_uint_eq(res.detail_len, 0);
    }
    assert_headers(t->what, &c, t->headers);
    /* a denial never carries a CORS header */
    if (res.outcome == CORS_OUTCOME_PREFLIGHT_DENIED ||
        res.outcome == CORS_OUTCOME_ACTUAL_DISALLOWED)
        ck_assert_uint_eq(tu_count_ac(&c), 0);
    /* a NULL emitter decides the same */
    {
        cors_result quiet;
        cors_result_init(&quiet);
        ck_assert_int_eq(cors_evaluate(policies[t->policy], &req, NULL, NULL, &quiet), CORS_OK);
        ck_assert_int_eq(quiet.outcome, res.outcome);
        ck_assert_int_eq(quiet.status, res.status);
        ck_assert_int_eq(quiet.reason, res.reason);
        ck_assert_ptr_eq(quiet.detail, res.detail);
    }
}
END_TEST

/* The outcome alone does not carry a stale result: a result reused for a
   second request is overwritten completely. */
START_TEST(test_result_reused)
{
    cors_request req;
    cors_str line;
    cors_result res;

    cors_result_init(&res);
    make_request(&req, &line, "OPTIONS", "https://other.example", "PUT", NULL, NULL);
    ck_assert_int_eq(cors_evaluate(policies[P_PLAIN], &req, NULL, NULL, &res), CORS_OK);
    ck_assert_int_eq(res.reason, CORS_REASON_ORIGIN_NOT_ALLOWED);
    make_request(&req, &line, "GET", APP, NULL, NULL, NULL);
    ck_assert_int_eq(cors_evaluate(policies[P_PLAIN], &req, NULL, NULL, &res), CORS_OK);
    ck_assert_int_eq(res.outcome, CORS_OUTCOME_ACTUAL_ALLOWED);
    ck_assert_int_eq(res.status, 0);
    ck_assert_int_eq(res.reason, CORS_REASON_NONE);
    ck_assert_ptr_null(res.detail);
    ck_assert_uint_eq(res.detail_len, 0);
    ck_assert_uint_eq(res.struct_size, sizeof res);
}
END_TEST

/* Several Access-Control-Request-Headers lines are one list (RFC 9110
   5.3); when echoed they are joined, in the array variant into scratch. */
START_TEST(test_several_header_lines)
{
    static const char l1[] = "x-one, X-Two", l2[] = " , x-three ";
    cors_str lines[2] = {{l1, sizeof l1 - 1}, {l2, sizeof l2 - 1}};
    cors_request req;
    cors_header arr[CORS_MAX_HEADERS];
    char scratch[CORS_SCRATCH_SIZE];
    size_t count = 0, i;
    cors_result res;
    tu_capture c;
    int found = 0;

    make_request(&req, &lines[0], "OPTIONS", APP, "PUT", NULL, NULL);
    req.request_headers = lines;
    req.request_headers_count = 2;
    ck_assert_int_eq(evaluate_both(policies[P_ECHO], &req, &c, &res), CORS_OK);
    ck_assert_int_eq(res.outcome, CORS_OUTCOME_PREFLIGHT_ACCEPTED);
    ck_assert_str_eq(tu_get(&c, ACAH), "x-one, X-Two, x-three");

    /* the joined value lives in the caller's scratch */
    cors_result_init(&res);
    ck_assert_int_eq(cors_evaluate_headers(policies[P_ECHO], &req, arr, CORS_MAX_HEADERS,
                                           &count, scratch, sizeof scratch, &res),
                     CORS_OK);
    for (i = 0; i < count; i++) {
        if (arr[i].name_len == strlen(ACAH) && memcmp(arr[i].name, ACAH, arr[i].name_len) == 0) {
            ck_assert(arr[i].value >= scratch && arr[i].value < scratch + sizeof scratch);
            found = 1;
        }
    }
    ck_assert(found);
    /* without scratch it cannot be composed */
    cors_result_init(&res);
    ck_assert_int_eq(cors_evaluate_headers(policies[P_ECHO], &req, arr, CORS_MAX_HEADERS,
                                           &count, NULL, 0, &res),
                     CORS_ERR_BUFFER_TOO_SMALL);
    /* a single line is echoed from the request itself: no scratch needed */
    req.request_headers_count = 1;
    cors_result_init(&res);
    ck_assert_int_eq(cors_evaluate_headers(policies[P_ECHO], &req, arr, CORS_MAX_HEADERS,
                                           &count, NULL, 0, &res),
                     CORS_OK);
    /* and a policy that lists its headers never needs scratch */
    req.request_headers_count = 2;
    make_request(&req, &lines[0], "OPTIONS", APP, "PUT", NULL, NULL);
    lines[0].ptr = "x-a";
    lines[0].len = 3;
    lines[1].ptr = "X-A";
    lines[1].len = 3;
    req.request_headers = lines;
    req.request_headers_count = 2;
    cors_result_init(&res);
    ck_assert_int_eq(cors_evaluate_headers(policies[P_PLAIN], &req, arr, CORS_MAX_HEADERS,
                                           &count, NULL, 0, &res),
                     CORS_OK);
    ck_assert_int_eq(res.outcome, CORS_OUTCOME_PREFLIGHT_ACCEPTED);
    /* a header not allowed on the second line denies */
    lines[1].ptr = "x-b";
    ck_assert_int_eq(evaluate_both(policies[P_PLAIN], &req, &c, &res), CORS_OK);
    ck_assert_int_eq(res.reason, CORS_REASON_HEADER_NOT_ALLOWED);
    ck_assert_int_eq(memcmp(res.detail, "x-b", 3), 0);
}
END_TEST

/* ------------------------------------------------------------- emitter */

typedef struct stopper {
    size_t calls, stop_at;
} stopper;

static int stop_emit(void *ctx, const char *name, size_t name_len, const char *value,
                     size_t value_len, unsigned flags)
{
    stopper *s = ctx;

    (void)name;
    (void)name_len;
    (void)value;
    (void)value_len;
    (void)flags;
    return s->calls++ == s->stop_at ? -1 : 0;
}

/* A non-zero return stops at once with CORS_ERR_EMIT, and the result is
   already complete; this holds at every header of every outcome. */
START_TEST(test_emit_stops)
{
    const struct outcome_case *t = &outcomes[_i];
    cors_request req;
    cors_str line;
    tu_capture c;
    cors_result full, res;
    size_t k;

    make_request(&req, &line, t->method, t->origin, t->acrm, t->acrh, t->pna);
    ck_assert_int_eq(tu_run_request(policies[t->policy], &req, &c, &full), CORS_OK);
    for (k = 0; k < c.n; k++) {
        stopper s = {0, k};
        cors_result_init(&res);
        ck_assert_int_eq(cors_evaluate(policies[t->policy], &req, stop_emit, &s, &res),
                         CORS_ERR_EMIT);
        ck_assert_uint_eq(s.calls, k + 1);
        ck_assert_int_eq(res.outcome, full.outcome);
        ck_assert_int_eq(res.status, full.status);
        ck_assert_int_eq(res.reason, full.reason);
        ck_assert_ptr_eq(res.detail, full.detail);
        ck_assert_uint_eq(res.detail_len, full.detail_len);
    }
    /* an emitter that never stops sees every header */
    {
        stopper s = {0, (size_t)-1};
        cors_result_init(&res);
        ck_assert_int_eq(cors_evaluate(policies[t->policy], &req, stop_emit, &s, &res), CORS_OK);
        ck_assert_uint_eq(s.calls, c.n);
    }
}
END_TEST

/* The array variant reports the size it needs when the array is short. */
START_TEST(test_array_too_small)
{
    const struct outcome_case *t = &outcomes[_i];
    cors_request req;
    cors_str line;
    cors_header arr[CORS_MAX_HEADERS + 1];
    char scratch[CORS_SCRATCH_SIZE];
    size_t need, cap, count;
    cors_result res;

    make_request(&req, &line, t->method, t->origin, t->acrm, t->acrh, t->pna);
    cors_result_init(&res);
    ck_assert_int_eq(cors_evaluate_headers(policies[t->policy], &req, arr, CORS_MAX_HEADERS,
                                           &need, scratch, sizeof scratch, &res),
                     CORS_OK);
    ck_assert_uint_ge(need, 1);
    /* capacity 0 with no array at all is a size query */
    count = 0;
    cors_result_init(&res);
    ck_assert_int_eq(cors_evaluate_headers(policies[t->policy], &req, NULL, 0, &count, scratch,
                                           sizeof scratch, &res),
                     CORS_ERR_BUFFER_TOO_SMALL);
    ck_assert_uint_eq(count, need);
    for (cap = 1; cap < need; cap++) {
        memset(arr, 0xa5, sizeof arr);
        count = 0;
        cors_result_init(&res);
        ck_assert_int_eq(cors_evaluate_headers(policies[t->policy], &req, arr, cap, &count,
                                               scratch, sizeof scratch, &res),
                         CORS_ERR_BUFFER_TOO_SMALL);
        ck_assert_uint_eq(count, need);
        ck_assert_int_eq(res.outcome, t->outcome);
    }
    /* exactly enough is enough */
    cors_result_init(&res);
    ck_assert_int_eq(cors_evaluate_headers(policies[t->policy], &req, arr, need, &count, scratch,
                                           sizeof scratch, &res),
                     CORS_OK);
    ck_assert_uint_eq(count, need);
}
END_TEST

/* ----------------------------------------------------- argument errors */

enum {
    A_NULL_POLICY,
    A_NULL_REQUEST,
    A_NULL_RESULT,
    A_REQUEST_SIZE_0,
    A_REQUEST_SIZE_SHORT,
    A_RESULT_SIZE_0,
    A_RESULT_SIZE_SHORT,
    A_METHOD_LEN_NULL,
    A_ORIGIN_LEN_NULL,
    A_ACRM_LEN_NULL,
    A_PNA_LEN_NULL,
    A_HEADERS_COUNT_NULL,
    A_HEADER_LINE_LEN_NULL,
    A_HEADER_LINE_LEN_NULL_ACTUAL,
    A_COUNT
};

static const cors_error arg_expected[A_COUNT] = {
    CORS_ERR_INVALID_ARGUMENT, CORS_ERR_INVALID_ARGUMENT, CORS_ERR_INVALID_ARGUMENT,
    CORS_ERR_STRUCT_SIZE,      CORS_ERR_STRUCT_SIZE,      CORS_ERR_STRUCT_SIZE,
    CORS_ERR_STRUCT_SIZE,      CORS_ERR_INVALID_ARGUMENT, CORS_ERR_INVALID_ARGUMENT,
    CORS_ERR_INVALID_ARGUMENT, CORS_ERR_INVALID_ARGUMENT, CORS_ERR_INVALID_ARGUMENT,
    CORS_ERR_INVALID_ARGUMENT, CORS_ERR_INVALID_ARGUMENT,
};

START_TEST(test_argument_errors)
{
    const cors_policy *p = policies[P_PLAIN];
    cors_request req, *rq = &req;
    cors_result res, *rs = &res;
    cors_str lines[2];
    cors_header arr[CORS_MAX_HEADERS];
    size_t count = 77;
    tu_capture c;

    memset(&c, 0, sizeof c);
    make_request(&req, &lines[0], "OPTIONS", APP, "PUT", "x-a", NULL);
    cors_result_init(&res);
    switch (_i) {
    case A_NULL_POLICY:
        p = NULL;
        break;
    case A_NULL_REQUEST:
        rq = NULL;
        break;
    case A_NULL_RESULT:
        rs = NULL;
        break;
    case A_REQUEST_SIZE_0:
        req.struct_size = 0;
        break;
    case A_REQUEST_SIZE_SHORT:
        req.struct_size = offsetof(cors_request, request_private_network_len) + sizeof(size_t) - 1;
        break;
    case A_RESULT_SIZE_0:
        res.struct_size = 0;
        break;
    case A_RESULT_SIZE_SHORT:
        res.struct_size = sizeof res / 2;
        break;
    case A_METHOD_LEN_NULL:
        req.method = NULL;
        break;
    case A_ORIGIN_LEN_NULL:
        req.origin = NULL;
        break;
    case A_ACRM_LEN_NULL:
        req.request_method = NULL;
        break;
    case A_PNA_LEN_NULL:
        req.request_private_network = NULL;
        req.request_private_network_len = 4;
        break;
    case A_HEADERS_COUNT_NULL:
        req.request_headers = NULL;
        break;
    case A_HEADER_LINE_LEN_NULL:
        lines[1].ptr = NULL;
        lines[1].len = 3;
        req.request_headers_count = 2;
        break;
    default:
        /* not a preflight: the line is still refused, not skipped */
        req.method = "GET";
        req.method_len = 3;
        lines[0].ptr = NULL;
        break;
    }
    ck_assert_int_eq(cors_evaluate(p, rq, tu_emit, &c, rs), arg_expected[_i]);
    ck_assert_uint_eq(c.n, 0);
    if (rs && _i != A_RESULT_SIZE_0 && _i != A_RESULT_SIZE_SHORT) {
        ck_assert_int_eq(res.outcome, CORS_OUTCOME_NOT_CORS);
        ck_assert_int_eq(res.status, 0);
    }
    cors_result_init(&res);
    if (_i == A_RESULT_SIZE_0)
        res.struct_size = 0;
    if (_i == A_RESULT_SIZE_SHORT)
        res.struct_size = sizeof res / 2;
    ck_assert_int_eq(cors_evaluate_headers(p, rq, arr, CORS_MAX_HEADERS, &count, NULL, 0, rs),
                     arg_expected[_i]);
    ck_assert_uint_eq(count, 0);
}
END_TEST

/* The array variant's own arguments. */
START_TEST(test_array_arguments)
{
    cors_request req;
    cors_str line;
    cors_result res;
    cors_header arr[CORS_MAX_HEADERS];
    size_t count;

    make_request(&req, &line, "GET", APP, NULL, NULL, NULL);
    cors_result_init(&res);
    ck_assert_int_eq(cors_evaluate_headers(policies[P_PLAIN], &req, arr, CORS_MAX_HEADERS, NULL,
                                           NULL, 0, &res),
                     CORS_ERR_INVALID_ARGUMENT);
    ck_assert_int_eq(cors_evaluate_headers(policies[P_PLAIN], &req, NULL, 1, &count, NULL, 0,
                                           &res),
                     CORS_ERR_INVALID_ARGUMENT);
    ck_assert_int_eq(cors_evaluate_headers(policies[P_PLAIN], &req, arr, CORS_MAX_HEADERS,
                                           &count, NULL, 0, &res),
                     CORS_OK);
    ck_assert_uint_eq(count, 2);
}
END_TEST

/* Fields present but empty (non-NULL pointer, length 0) are headers with
   an empty value, not absent ones. */
START_TEST(test_empty_values)
{
    cors_request req;
    cors_str line;
    cors_result res;
    tu_capture c;

    /* empty Origin: a CORS request from an origin that cannot be valid */
    make_request(&req, &line, "GET", "", NULL, NULL, NULL);
    ck_assert_int_eq(evaluate_both(policies[P_PLAIN], &req, &c, &res), CORS_OK);
    ck_assert_int_eq(res.outcome, CORS_OUTCOME_ACTUAL_DISALLOWED);
    ck_assert_int_eq(res.reason, CORS_REASON_ORIGIN_MALFORMED);
    ck_assert_uint_eq(tu_count_ac(&c), 0);
    /* empty method with no preflight headers */
    make_request(&req, &line, "", APP, NULL, NULL, NULL);
    ck_assert_int_eq(evaluate_both(policies[P_PLAIN], &req, &c, &res), CORS_OK);
    ck_assert_int_eq(res.outcome, CORS_OUTCOME_ACTUAL_ALLOWED);
    /* no method at all */
    make_request(&req, &line, NULL, APP, "PUT", NULL, NULL);
    ck_assert_int_eq(evaluate_both(policies[P_PLAIN], &req, &c, &res), CORS_OK);
    ck_assert_int_eq(res.outcome, CORS_OUTCOME_ACTUAL_ALLOWED);
    /* an empty Access-Control-Request-Headers asks for nothing */
    make_request(&req, &line, "OPTIONS", APP, "PUT", "", NULL);
    ck_assert_int_eq(evaluate_both(policies[P_PLAIN], &req, &c, &res), CORS_OK);
    ck_assert_int_eq(res.outcome, CORS_OUTCOME_PREFLIGHT_ACCEPTED);
    /* with "*" and credentials nothing is echoed for it */
    make_request(&req, &line, "OPTIONS", APP, "PUT", "", NULL);
    ck_assert_int_eq(evaluate_both(policies[P_ECHO], &req, &c, &res), CORS_OK);
    ck_assert_int_eq(res.outcome, CORS_OUTCOME_PREFLIGHT_ACCEPTED);
    ck_assert_ptr_null(tu_get(&c, ACAH));
}
END_TEST

/* -------------------------------------------------------- look-alikes */


/* None of these is https://example.com or a subdomain of example.com as a
   browser would send it: each must be refused and never echoed back. */
static const struct look_alike {
    const char *origin;
    size_t len;
} look_alikes[] = {
    SL("https://example.com.evil.net"),
    SL("https://evilexample.com"),
    SL("https://EXAMPLE.com"),
    SL("https://Example.Com"),
    SL("HTTPS://example.com"),
    SL("https://example.com:443"),
    SL("https://example.com:0443"),
    SL("https://example.com/"),
    SL("https://example.com/path"),
    SL("https://example.com?"),
    SL("https://example.com#"),
    SL("https://example.com."),
    SL("https://user@example.com"),
    SL("https://example.com@evil.net"),
    SL("null"),
    SL("NULL"),
    SL(""),
    SL("http://example.com"),
    SL("https://example.com:8443"),
    SL("https://example.com:"),
    SL("https//example.com"),
    SL("example.com"),
    SL("https://example.com\r\nSet-Cookie: a=b"),
    SL("https://example.com\n"),
    SL("https://example.com\r"),
    SL("https://example.com\0"),
    SL("https://example.com\0.evil.net"),
    SL("https://evil.net\0https://example.com"),
    SL("https://example.com "),
    SL(" https://example.com"),
    SL("https://exam\tple.com"),
    SL("https://example.com, https://evil.net"),
    SL("https://example.com https://evil.net"),
    SL("https://ex%61mple.com"),
    SL("https://xn--example-.com"),
    SL("https://example.com\xc2\xa0"),
    SL("https://\xd0\xb5xample.com"),
    /* against the subdomain pattern */
    SL("https://.example.com"),
    SL("https://a..example.com"),
    SL("https://a.example.com.evil.net"),
    SL("https://a.evilexample.com"),
    SL("https://A.example.com"),
    SL("http://a.example.com"),
    SL("https://a.example.com:443"),
    SL("https://a.example.com/"),
    SL("https://*.example.com"),
    SL("https://a.example.com\0"),
};

static const char look_alike_policy[] = "allow-origin https://example.com https://*.example.com\n"
                                        "allow-methods *\n"
                                        "allow-headers *\n"
                                        "expose-headers X-Id\n"
                                        "allow-credentials on\n"
                                        "max-age 60\n";

START_TEST(test_look_alikes)
{
    const struct look_alike *t = &look_alikes[_i];
    cors_policy *p = tu_policy(look_alike_policy);
    static const char *const methods[] = {"GET", "POST", "OPTIONS"};
    size_t m;

    for (m = 0; m < sizeof methods / sizeof methods[0]; m++) {
        cors_request req;
        cors_str line;
        tu_capture c;
        cors_result res;
        size_t i;

        make_request(&req, &line, methods[m], NULL, "PUT", "x-a", NULL);
        if (m < 2)
            req.request_method = NULL, req.request_method_len = 0;
        req.origin = t->origin;
        req.origin_len = t->len;
        ck_assert_int_eq(evaluate_both(p, &req, &c, &res), CORS_OK);
        if (m < 2) {
            ck_assert_msg(res.outcome == CORS_OUTCOME_ACTUAL_DISALLOWED, "%s: %s",
                          cors_outcome_string(res.outcome), t->origin);
            ck_assert_uint_eq(c.n, 1);
            ck_assert_str_eq(c.h[0].name, "Vary");
            ck_assert_str_eq(c.h[0].value, "Origin");
        } else {
            ck_assert_msg(res.outcome == CORS_OUTCOME_PREFLIGHT_DENIED, "%s: %s",
                          cors_outcome_string(res.outcome), t->origin);
            ck_assert_int_eq(res.status, 403);
            ck_assert_uint_eq(c.n, 1);
            ck_assert_str_eq(c.h[0].name, "Vary");
            ck_assert_str_eq(c.h[0].value, VARY_PREFLIGHT);
        }
        ck_assert(res.reason == CORS_REASON_ORIGIN_MALFORMED ||
                  res.reason == CORS_REASON_ORIGIN_NULL ||
                  res.reason == CORS_REASON_ORIGIN_NOT_ALLOWED);
        ck_assert_uint_eq(tu_count_ac(&c), 0);
        ck_assert(!tu_value_contains(&c, t->origin, t->len));
        for (i = 0; i < c.n; i++)
            ck_assert_ptr_null(strstr(c.h[i].value, "example"));
    }
    cors_policy_free(p);
}
END_TEST

/* The accepted counterparts: the same policy admits exactly these. */
START_TEST(test_look_alike_controls)
{
    static const char *const good[] = {"https://example.com", "https://a.example.com",
                                       "https://a.b.example.com", "https://xn--80ak6aa92e.example.com"};
    cors_policy *p = tu_policy(look_alike_policy);
    size_t i;

    for (i = 0; i < sizeof good / sizeof good[0]; i++) {
        tu_capture c;
        cors_result res;
        ck_assert_int_eq(tu_run(p, "GET", good[i], NULL, NULL, &c, &res), CORS_OK);
        ck_assert_int_eq(res.outcome, CORS_OUTCOME_ACTUAL_ALLOWED);
        ck_assert_str_eq(tu_get(&c, ACAO), good[i]);
        ck_assert_int_eq(tu_run(p, "OPTIONS", good[i], "PUT", "x-a", &c, &res), CORS_OK);
        ck_assert_int_eq(res.outcome, CORS_OUTCOME_PREFLIGHT_ACCEPTED);
        ck_assert_str_eq(tu_get(&c, ACAO), good[i]);
    }
    cors_policy_free(p);
}
END_TEST

/* Other request values with CR, LF or NUL are refused before anything
   from them could be echoed (this policy echoes method and headers). */
static const struct bad_value {
    const char *acrm;
    size_t acrm_len;
    const char *acrh;
    size_t acrh_len;
    const char *pna;
    size_t pna_len;
    cors_reason reason;
} bad_values[] = {
    {"PUT\r\nSet-Cookie: a=b", 20, "x-a", 3, NULL, 0, CORS_REASON_METHOD_MALFORMED},
    {"PUT\n", 4, "x-a", 3, NULL, 0, CORS_REASON_METHOD_MALFORMED},
    {"PUT\0", 4, "x-a", 3, NULL, 0, CORS_REASON_METHOD_MALFORMED},
    {"PU\0T", 4, "x-a", 3, NULL, 0, CORS_REASON_METHOD_MALFORMED},
    {"PUT ", 4, "x-a", 3, NULL, 0, CORS_REASON_METHOD_MALFORMED},
    {"PUT", 3, "x-a\r\nSet-Cookie: a=b", 21, NULL, 0, CORS_REASON_HEADERS_MALFORMED},
    {"PUT", 3, "x-a\n", 4, NULL, 0, CORS_REASON_HEADERS_MALFORMED},
    {"PUT", 3, "x-a\0", 4, NULL, 0, CORS_REASON_HEADERS_MALFORMED},
    {"PUT", 3, "x-a,\0x-b", 8, NULL, 0, CORS_REASON_HEADERS_MALFORMED},
    {"PUT", 3, "x-\x80", 3, NULL, 0, CORS_REASON_HEADERS_MALFORMED},
    {"PUT", 3, "x-a", 3, "true\r\n", 6, CORS_REASON_PRIVATE_NETWORK_MALFORMED},
    {"PUT", 3, "x-a", 3, "true\0", 5, CORS_REASON_PRIVATE_NETWORK_MALFORMED},
    /* the controls: the same values, clean, are accepted and echoed */
    {"PUT", 3, "x-a", 3, NULL, 0, CORS_REASON_NONE},
    {"PUT", 3, "x-a, x-b", 8, NULL, 0, CORS_REASON_NONE},
};

START_TEST(test_bad_values)
{
    const struct bad_value *t = &bad_values[_i];
    cors_policy *p = tu_policy("allow-origin https://example.com\nallow-methods *\n"
                               "allow-headers *\nallow-credentials on\n");
    cors_request req;
    cors_str line = {t->acrh, t->acrh_len};
    tu_capture c;
    cors_result res;

    cors_request_init(&req);
    req.method = "OPTIONS";
    req.method_len = 7;
    req.origin = "https://example.com";
    req.origin_len = strlen(req.origin);
    req.request_method = t->acrm;
    req.request_method_len = t->acrm_len;
    req.request_headers = &line;
    req.request_headers_count = 1;
    req.request_private_network = t->pna;
    req.request_private_network_len = t->pna_len;
    ck_assert_int_eq(evaluate_both(p, &req, &c, &res), CORS_OK);
    ck_assert_int_eq(res.reason, t->reason);
    if (t->reason == CORS_REASON_NONE) {
        ck_assert_int_eq(res.outcome, CORS_OUTCOME_PREFLIGHT_ACCEPTED);
        ck_assert(tu_value_contains(&c, t->acrm, t->acrm_len));
        ck_assert(tu_value_contains(&c, t->acrh, t->acrh_len));
    } else {
        ck_assert_int_eq(res.outcome, CORS_OUTCOME_PREFLIGHT_DENIED);
        ck_assert_uint_eq(tu_count_ac(&c), 0);
        ck_assert_uint_eq(c.n, 1);
        ck_assert(!tu_value_contains(&c, t->acrm, t->acrm_len));
        ck_assert(!tu_value_contains(&c, "x-a", 3));
    }
    cors_policy_free(p);
}
END_TEST

/* A method with a NUL is not "OPTIONS": the request is an actual one. */
START_TEST(test_method_with_nul)
{
    cors_request req;
    cors_str line;
    cors_result res;
    tu_capture c;

    make_request(&req, &line, "OPTIONS", APP, "PUT", "x-a", NULL);
    req.method = "OPTIONS\0";
    req.method_len = 8;
    ck_assert_int_eq(evaluate_both(policies[P_PLAIN], &req, &c, &res), CORS_OK);
    ck_assert_int_eq(res.outcome, CORS_OUTCOME_ACTUAL_ALLOWED);
    req.method = "OPTION";
    req.method_len = 6;
    ck_assert_int_eq(evaluate_both(policies[P_PLAIN], &req, &c, &res), CORS_OK);
    ck_assert_int_eq(res.outcome, CORS_OUTCOME_ACTUAL_ALLOWED);
    /* only the given length is read: "OPTIONSX" cut to 7 is OPTIONS */
    req.method = "OPTIONSX";
    req.method_len = 7;
    ck_assert_int_eq(evaluate_both(policies[P_PLAIN], &req, &c, &res), CORS_OK);
    ck_assert_int_eq(res.outcome, CORS_OUTCOME_PREFLIGHT_ACCEPTED);
}
END_TEST

/* Values are read only up to their lengths: an origin followed by more
   bytes in the host's buffer is the origin alone. */
START_TEST(test_lengths_respected)
{
    static const char buf[] = "https://app.example.com.evil.net";
    cors_request req;
    cors_str line;
    cors_result res;
    tu_capture c;

    make_request(&req, &line, "GET", NULL, NULL, NULL, NULL);
    req.origin = buf;
    req.origin_len = strlen(APP);
    ck_assert_int_eq(evaluate_both(policies[P_PLAIN], &req, &c, &res), CORS_OK);
    ck_assert_int_eq(res.outcome, CORS_OUTCOME_ACTUAL_ALLOWED);
    ck_assert_str_eq(tu_get(&c, ACAO), APP);
    req.origin_len = sizeof buf - 1;
    ck_assert_int_eq(evaluate_both(policies[P_PLAIN], &req, &c, &res), CORS_OK);
    ck_assert_int_eq(res.outcome, CORS_OUTCOME_ACTUAL_DISALLOWED);
}
END_TEST

/* The status set through the API reaches the result the same way, at both
   ends of each accepted range; an unset one stays 403. */
START_TEST(test_denied_status_by_api)
{
    static const int statuses[] = {0, 200, 299, 400, 404, 499};
    cors_request req;
    cors_str line;
    cors_result res;
    tu_capture c;
    size_t i;

    make_request(&req, &line, "OPTIONS", "https://other.example", "PUT", NULL, NULL);
    for (i = 0; i < sizeof statuses / sizeof statuses[0]; i++) {
        cors_builder *b = cors_builder_new(NULL);
        cors_policy *p = NULL;
        ck_assert_ptr_nonnull(b);
        ck_assert_int_eq(cors_builder_allow_origin(b, APP, strlen(APP)), CORS_OK);
        ck_assert_int_eq(cors_builder_allow_credentials(b, 1), CORS_OK);
        if (statuses[i])
            ck_assert_int_eq(cors_builder_set_denied_status(b, statuses[i]), CORS_OK);
        ck_assert_int_eq(cors_builder_build(b, &p), CORS_OK);
        cors_builder_free(b);
        ck_assert_int_eq(evaluate_both(p, &req, &c, &res), CORS_OK);
        ck_assert_int_eq(res.outcome, CORS_OUTCOME_PREFLIGHT_DENIED);
        ck_assert_int_eq(res.status, statuses[i] ? statuses[i] : 403);
        ck_assert_uint_eq(tu_count_ac(&c), 0);
        ck_assert_uint_eq(c.n, 1);
        ck_assert_str_eq(tu_get(&c, "Vary"), VARY_PREFLIGHT);
        cors_policy_free(p);
    }
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("evaluate");
    TCase *tc = tcase_create("core");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_seed_example);
    tcase_add_test(tc, test_seed_example_status_200);
    tcase_add_loop_test(tc, test_outcomes, 0, NCASES(outcomes));
    tcase_add_test(tc, test_result_reused);
    tcase_add_test(tc, test_several_header_lines);
    tcase_add_loop_test(tc, test_emit_stops, 0, NCASES(outcomes));
    tcase_add_loop_test(tc, test_array_too_small, 0, NCASES(outcomes));
    tcase_add_loop_test(tc, test_argument_errors, 0, A_COUNT);
    tcase_add_test(tc, test_array_arguments);
    tcase_add_test(tc, test_empty_values);
    tcase_add_loop_test(tc, test_look_alikes, 0, NCASES(look_alikes));
    tcase_add_test(tc, test_look_alike_controls);
    tcase_add_loop_test(tc, test_bad_values, 0, NCASES(bad_values));
    tcase_add_test(tc, test_method_with_nul);
    tcase_add_test(tc, test_lengths_respected);
    tcase_add_test(tc, test_denied_status_by_api);
#undef N
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return tu_main(suite());
}
