/*
 * check_patterns.c - origin matching through the public API: exact
 * origins, subdomain patterns ("*." before a domain), port wildcards
 * ("https://example.com:*"), look-alike origins, large policies, and the
 * build-time rules that tie origins to credentials.
 *
 * Fetch leaves the choice of origins to the server (3.2.3); the rules
 * tested here are libcors's: a pattern covers one or more whole labels,
 * never the apex and never a plain suffix, and an origin that is not a
 * serialized origin is never allowed and never reflected.
 */
#include "tables.h"
#include "testutil.h"


/* Runs an actual GET and a preflight for origin (len bytes) and checks
   both against the expectation, including that a refused origin gets no
   Access-Control-* header and is never copied into any header value. */
/* The look-alikes below that are still well-formed serialized origins (or
   "null"): a "*" policy accepts their preflights and denies the others'. */
static int serialized_origin(const char *origin, size_t len)
{
    static const char *const valid[] = {
        "https://example.com.evil.net", "https://evilexample.com", "https://example.co",
        "https://example.comm", "https://xample.com", "http://example.com",
        "https://example.com:8443", "https://www.example.com", "https://example.com.", "null",
        NULL};
    const char *const *v;

    for (v = valid; *v; v++)
        if (strlen(*v) == len && memcmp(*v, origin, len) == 0)
            return 1;
    return 0;
}

static void check_origin_n(const cors_policy *p, const char *origin, size_t len, int allowed,
                           int any_origin)
{
    cors_request req;
    tu_capture c;
    cors_result res;
    const char *acao;

    cors_request_init(&req);
    req.method = "GET";
    req.method_len = 3;
    req.origin = origin;
    req.origin_len = len;
    ck_assert_int_eq(tu_run_request(p, &req, &c, &res), CORS_OK);
    acao = tu_get(&c, "Access-Control-Allow-Origin");
    if (allowed) {
        ck_assert_msg(res.outcome == CORS_OUTCOME_ACTUAL_ALLOWED, "%.*s should be allowed: %s",
                      (int)len, origin, cors_reason_string(res.reason));
        ck_assert_ptr_nonnull(acao);
        if (any_origin)
            ck_assert_str_eq(acao, "*");
        else
            ck_assert(strlen(acao) == len && memcmp(acao, origin, len) == 0);
    } else if (any_origin) {
        /* "*" is the same answer for everyone: nothing of the request is
           echoed. */
        ck_assert_ptr_nonnull(acao);
        ck_assert_str_eq(acao, "*");
        ck_assert_uint_eq(tu_count_ac(&c), 1);
    } else {
        ck_assert_msg(res.outcome == CORS_OUTCOME_ACTUAL_DISALLOWED,
                      "%.*s should be disallowed", (int)len, origin);
        ck_assert(res.reason == CORS_REASON_ORIGIN_NOT_ALLOWED ||
                  res.reason == CORS_REASON_ORIGIN_MALFORMED ||
                  res.reason == CORS_REASON_ORIGIN_NULL);
        ck_assert_uint_eq(tu_count_ac(&c), 0);
        ck_assert_str_eq(tu_get(&c, "Vary"), "Origin");
    }
    if (!allowed || any_origin)
        ck_assert_msg(!tu_value_contains(&c, origin, len), "%.*s reflected", (int)len, origin);

    req.method = "OPTIONS";
    req.method_len = 7;
    req.request_method = "PUT";
    req.request_method_len = 3;
    ck_assert_int_eq(tu_run_request(p, &req, &c, &res), CORS_OK);
    acao = tu_get(&c, "Access-Control-Allow-Origin");
    if (allowed || (any_origin && serialized_origin(origin, len))) {
        ck_assert_msg(res.outcome == CORS_OUTCOME_PREFLIGHT_ACCEPTED,
                      "preflight from %.*s should be accepted: %s", (int)len, origin,
                      cors_reason_string(res.reason));
        ck_assert_int_eq(res.status, 204);
        ck_assert_ptr_nonnull(acao);
        if (any_origin)
            ck_assert_str_eq(acao, "*");
        else
            ck_assert(strlen(acao) == len && memcmp(acao, origin, len) == 0);
    } else {
        ck_assert_int_eq(res.outcome, CORS_OUTCOME_PREFLIGHT_DENIED);
        ck_assert_int_eq(res.status, 403);
        ck_assert_uint_eq(tu_count_ac(&c), 0);
        ck_assert_ptr_nonnull(tu_get(&c, "Vary"));
    }
    if (!allowed || any_origin)
        ck_assert_msg(!tu_value_contains(&c, origin, len), "%.*s reflected", (int)len, origin);
}

static void check_origin(const cors_policy *p, const char *origin, int allowed)
{
    check_origin_n(p, origin, strlen(origin), allowed, 0);
}

/* ------------------------------------------------------------ matching */

#define POL_SUB "allow-origin https://*.example.com\nallow-methods PUT\n"
#define POL_PORT "allow-origin https://example.com:*\nallow-methods PUT\n"
#define POL_BOTH "allow-origin https://*.example.com:*\nallow-methods PUT\n"
#define POL_APEX_AND_SUB "allow-origin https://example.com https://*.example.com\n" \
                         "allow-methods PUT\n"
#define POL_MIX                                                                        \
    "allow-origin https://app.example.com http://localhost:3000\n"                     \
    "allow-origin https://*.api.example.org https://[::1]:8443 http://127.0.0.1:*\n"   \
    "allow-origin https://*.example.net:8443 https://static.example.org:*\n"          \
    "allow-methods PUT\n"
/* pattern hosts shorter than a word and longer than two; and more
   patterns than are compared one by one (CORS__FEW_SUBS) */
#define POL_SHORT "allow-origin https://*.a.io http://*.b.io:*\nallow-methods PUT\n"
#define POL_LONG "allow-origin https://*.a-long-zone.example.org\nallow-methods PUT\n"
#define POL_FIVE                                                                       \
    "allow-origin https://*.a.io https://*.b.io https://*.c.io https://*.d.io\n"        \
    "allow-origin https://*.e.io\nallow-methods PUT\n"
#define POL_CRED_SUB                                                                   \
    "allow-origin https://*.example.com\nallow-methods PUT\nallow-credentials on\n"

typedef struct match_case {
    const char *policy;
    const char *origin;
    int allowed;
} match_case;

static const match_case match_cases[] = {
    /* subdomains: one or more whole labels, never the apex */
    {POL_SUB, "https://a.example.com", 1},
    {POL_SUB, "https://a.b.example.com", 1},
    {POL_SUB, "https://x-1.y_2.z.example.com", 1},
    {POL_SUB, "https://example.com", 0},
    {POL_SUB, "https://evilexample.com", 0},
    {POL_SUB, "https://a.evilexample.com", 0},
    {POL_SUB, "https://aexample.com", 0},
    {POL_SUB, "https://example.com.evil.net", 0},
    {POL_SUB, "https://a.example.com.evil.net", 0},
    {POL_SUB, "https://a.example.co", 0},
    {POL_SUB, "https://a.example.comm", 0},
    {POL_SUB, "http://a.example.com", 0},
    {POL_SUB, "https://a.example.com:8443", 0},
    {POL_SUB, "https://a.example.com:443", 0},
    {POL_SUB, "https://A.example.com", 0},
    {POL_SUB, "https://a.example.com/", 0},
    {POL_SUB, "https://a.example.com.", 0},
    {POL_SUB, "https://.example.com", 0},
    {POL_SUB, "https://*.example.com", 0},
    {POL_SUB, "https://com", 0},
    {POL_SUB, "null", 0},
    {POL_SHORT, "https://x.a.io", 1},
    {POL_SHORT, "https://x.y.a.io", 1},
    {POL_SHORT, "https://a.io", 0},
    {POL_SHORT, "https://xa.io", 0},
    {POL_SHORT, "https://x.a.io:8443", 0},
    {POL_SHORT, "http://x.b.io:8080", 1},
    {POL_SHORT, "http://x.b.io", 1},
    {POL_SHORT, "https://x.b.io", 0},
    {POL_SHORT, "http://b.io", 0},
    {POL_LONG, "https://x.a-long-zone.example.org", 1},
    {POL_LONG, "https://a-long-zone.example.org", 0},
    {POL_LONG, "https://xa-long-zone.example.org", 0},
    {POL_LONG, "https://x.a-long-zonf.example.org", 0},
    {POL_LONG, "https://x.b-long-zone.example.org", 0},
    {POL_FIVE, "https://x.e.io", 1},
    {POL_FIVE, "https://x.a.io", 1},
    {POL_FIVE, "https://x.f.io", 0},
    {POL_FIVE, "https://e.io", 0},
    /* a port wildcard admits any explicit port and the default one */
    {POL_PORT, "https://example.com", 1},
    {POL_PORT, "https://example.com:8443", 1},
    {POL_PORT, "https://example.com:1", 1},
    {POL_PORT, "https://example.com:80", 1},
    {POL_PORT, "https://example.com:65535", 1},
    {POL_PORT, "http://example.com:8443", 0},
    {POL_PORT, "http://example.com", 0},
    {POL_PORT, "https://a.example.com:8443", 0},
    {POL_PORT, "https://a.example.com", 0},
    {POL_PORT, "https://example.com.evil.net:8443", 0},
    {POL_PORT, "https://example.com:443", 0},
    {POL_PORT, "https://example.com:0", 0},
    {POL_PORT, "https://example.com:65536", 0},
    {POL_PORT, "https://example.com:*", 0},
    {POL_PORT, "https://example.com:08443", 0},
    /* both */
    {POL_BOTH, "https://a.example.com", 1},
    {POL_BOTH, "https://a.example.com:8443", 1},
    {POL_BOTH, "https://a.b.example.com:3000", 1},
    {POL_BOTH, "https://example.com", 0},
    {POL_BOTH, "https://example.com:8443", 0},
    {POL_BOTH, "http://a.example.com:8443", 0},
    {POL_BOTH, "https://evilexample.com:8443", 0},
    {POL_BOTH, "https://a.example.com.evil.net:8443", 0},
    /* an exact origin and a pattern for the same domain */
    {POL_APEX_AND_SUB, "https://example.com", 1},
    {POL_APEX_AND_SUB, "https://www.example.com", 1},
    {POL_APEX_AND_SUB, "https://evilexample.com", 0},
    {POL_APEX_AND_SUB, "https://example.com:8443", 0},
    /* exact origins mixed with patterns */
    {POL_MIX, "https://app.example.com", 1},
    {POL_MIX, "https://app.example.com:8443", 0},
    {POL_MIX, "http://app.example.com", 0},
    {POL_MIX, "https://www.app.example.com", 0},
    {POL_MIX, "http://localhost:3000", 1},
    {POL_MIX, "http://localhost:3001", 0},
    {POL_MIX, "http://localhost", 0},
    {POL_MIX, "https://localhost:3000", 0},
    {POL_MIX, "https://v1.api.example.org", 1},
    {POL_MIX, "https://api.example.org", 0},
    {POL_MIX, "https://[::1]:8443", 1},
    {POL_MIX, "https://[::1]", 0},
    {POL_MIX, "http://[::1]:8443", 0},
    {POL_MIX, "https://[0::1]:8443", 0},
    {POL_MIX, "https://[0:0:0:0:0:0:0:1]:8443", 0},
    {POL_MIX, "http://127.0.0.1", 1},
    {POL_MIX, "http://127.0.0.1:9999", 1},
    {POL_MIX, "http://127.0.0.2:9999", 0},
    {POL_MIX, "http://127.0.0.01:9999", 0},
    {POL_MIX, "http://127.1:9999", 0},
    {POL_MIX, "https://a.example.net:8443", 1},
    {POL_MIX, "https://a.example.net", 0},
    {POL_MIX, "https://example.net:8443", 0},
    {POL_MIX, "https://static.example.org:4000", 1},
    {POL_MIX, "https://static.example.org", 1},
    {POL_MIX, "https://x.static.example.org", 0},
    {POL_MIX, "https://example.org", 0},
    /* with credentials the origin is reflected just the same */
    {POL_CRED_SUB, "https://a.example.com", 1},
    {POL_CRED_SUB, "https://example.com", 0},
};

START_TEST(test_match)
{
    const match_case *m = &match_cases[_i];
    cors_policy *p = tu_policy(m->policy);

    check_origin(p, m->origin, m->allowed);
    cors_policy_free(p);
}
END_TEST

/* With credentials an allowed origin also gets Allow-Credentials; a
   refused one gets nothing, Allow-Credentials included. */
START_TEST(test_credentials_header)
{
    cors_policy *p = tu_policy(POL_CRED_SUB);
    tu_capture c;
    cors_result res;

    ck_assert_int_eq(tu_run(p, "GET", "https://a.example.com", NULL, NULL, &c, &res), CORS_OK);
    ck_assert_str_eq(tu_get(&c, "Access-Control-Allow-Credentials"), "true");
    ck_assert_int_eq(tu_run(p, "GET", "https://evilexample.com", NULL, NULL, &c, &res), CORS_OK);
    ck_assert_ptr_null(tu_get(&c, "Access-Control-Allow-Credentials"));
    cors_policy_free(p);
}
END_TEST

/* ---------------------------------------------------------- look-alikes */


typedef struct lookalike {
    const char *origin;
    size_t len;
} lookalike;

/* None of these is https://example.com, though each may look like it to a
   careless comparison (prefix, suffix, case-insensitive, or up to a NUL). */
static const lookalike lookalikes[] = {
    {S("https://example.com.evil.net")},
    {S("https://evilexample.com")},
    {S("https://EXAMPLE.com")},
    {S("https://Example.com")},
    {S("HTTPS://example.com")},
    {S("https://example.com:443")},
    {S("https://example.com/")},
    {S("https://example.com/path")},
    {S("https://example.com?")},
    {S("https://example.com#")},
    {S("https://example.com.")},
    {S("https://example.co")},
    {S("https://example.comm")},
    {S("https://xample.com")},
    {S("http://example.com")},
    {S("https://example.com:8443")},
    {S("https://user@example.com")},
    {S("https://example.com@evil.net")},
    {S("https://example.com%2f.evil.net")},
    {S("https://www.example.com")},
    {S("null")},
    {S("")},
    {S("https://example.com\r\nSet-Cookie: a=b")},
    {S("https://example.com\r")},
    {S("https://example.com\n")},
    {S("https://example.com\0")},
    {S("https://example.com\0.evil.net")},
    {S("https://exa\0mple.com")},
    {S("https://example.com ")},
    {S(" https://example.com")},
    {S("https://example.com\t")},
    {S("https://example.com,https://evil.net")},
    {S("https://example.com https://evil.net")},
    {S("https://ex\xc3\xa4mple.com")},
};

START_TEST(test_lookalike_exact)
{
    cors_policy *p = tu_policy("allow-origin https://example.com\nallow-methods PUT\n"
                               "allow-credentials on\n");

    check_origin_n(p, lookalikes[_i].origin, lookalikes[_i].len, 0, 0);
    /* the real one, for contrast */
    check_origin(p, "https://example.com", 1);
    cors_policy_free(p);
}
END_TEST

START_TEST(test_lookalike_patterns)
{
    cors_policy *p = tu_policy("allow-origin https://*.example.org:* https://example.com\n"
                               "allow-origin https://*.example.net\nallow-methods PUT\n");

    check_origin_n(p, lookalikes[_i].origin, lookalikes[_i].len, 0, 0);
    cors_policy_free(p);
}
END_TEST

/* With "*" every origin, even garbage, gets "*" and never its own bytes. */
START_TEST(test_lookalike_any)
{
    cors_policy *p = tu_policy("allow-origin *\nallow-methods PUT\n");

    check_origin_n(p, lookalikes[_i].origin, lookalikes[_i].len, 0, 1);
    cors_policy_free(p);
}
END_TEST

/* The reason says what was wrong with the origin. */
START_TEST(test_lookalike_reasons)
{
    cors_policy *p = tu_policy("allow-origin https://example.com\n");
    tu_capture c;
    cors_result res;

    ck_assert_int_eq(tu_run(p, "GET", "null", NULL, NULL, &c, &res), CORS_OK);
    ck_assert_int_eq(res.reason, CORS_REASON_ORIGIN_NULL);
    ck_assert_int_eq(tu_run(p, "GET", "https://example.com/", NULL, NULL, &c, &res), CORS_OK);
    ck_assert_int_eq(res.reason, CORS_REASON_ORIGIN_MALFORMED);
    ck_assert_int_eq(tu_run(p, "GET", "https://EXAMPLE.com", NULL, NULL, &c, &res), CORS_OK);
    ck_assert_int_eq(res.reason, CORS_REASON_ORIGIN_MALFORMED);
    ck_assert_int_eq(tu_run(p, "GET", "https://evilexample.com", NULL, NULL, &c, &res), CORS_OK);
    ck_assert_int_eq(res.reason, CORS_REASON_ORIGIN_NOT_ALLOWED);
    ck_assert_int_eq(tu_run(p, "GET", "https://example.com", NULL, NULL, &c, &res), CORS_OK);
    ck_assert_int_eq(res.reason, CORS_REASON_NONE);
    cors_policy_free(p);
}
END_TEST

/* ------------------------------------------------------------ large */

#define MANY 10000

/* A policy of 10,000 exact origins (plus a few patterns) matches each of
   them, and nothing else.  Correctness only: speed is the benchmark's. */
START_TEST(test_many_origins)
{
    cors_builder *b = cors_builder_new(NULL);
    cors_policy *p = NULL;
    char o[128];
    int i, n;

    ck_assert_ptr_nonnull(b);
    for (i = 0; i < MANY; i++) {
        n = snprintf(o, sizeof o, "https://host%d.example.com", i);
        ck_assert_int_eq(cors_builder_allow_origin(b, o, (size_t)n), CORS_OK);
    }
    ck_assert_int_eq(cors_builder_allow_origin(b, S("https://*.zone.example.net")), CORS_OK);
    ck_assert_int_eq(cors_builder_allow_origin(b, S("https://ports.example.org:*")), CORS_OK);
    ck_assert_int_eq(cors_builder_allow_method(b, S("PUT")), CORS_OK);
    ck_assert_int_eq(cors_builder_build(b, &p), CORS_OK);
    ck_assert_ptr_nonnull(p);
    cors_builder_free(b);

    /* Every one of them, checked without a Check assertion per field (that
       many passing assertions dominate the run time under valgrind); a
       sample gets the full check_origin_n below. */
    for (i = 0; i < MANY; i++) {
        cors_request req;
        cors_result res;
        cors_header h[CORS_MAX_HEADERS];
        size_t nh = 0;
        n = snprintf(o, sizeof o, "https://host%d.example.com", i);
        cors_request_init(&req);
        cors_result_init(&res);
        req.method = "GET";
        req.method_len = 3;
        req.origin = o;
        req.origin_len = (size_t)n;
        if (cors_evaluate_headers(p, &req, h, CORS_MAX_HEADERS, &nh, NULL, 0, &res) != CORS_OK ||
            res.outcome != CORS_OUTCOME_ACTUAL_ALLOWED || nh == 0 ||
            h[0].value_len != (size_t)n || memcmp(h[0].value, o, (size_t)n) != 0)
            ck_abort_msg("%s not allowed among %d origins", o, MANY);
        if (i % 97 == 0)
            check_origin_n(p, o, (size_t)n, 1, 0);
    }
    for (i = 0; i < MANY; i += 97) {
        n = snprintf(o, sizeof o, "https://host%d.example.com:8443", i);
        check_origin_n(p, o, (size_t)n, 0, 0);
        n = snprintf(o, sizeof o, "http://host%d.example.com", i);
        check_origin_n(p, o, (size_t)n, 0, 0);
        n = snprintf(o, sizeof o, "https://x.host%d.example.com", i);
        check_origin_n(p, o, (size_t)n, 0, 0);
        n = snprintf(o, sizeof o, "https://host%d.example.co", i);
        check_origin_n(p, o, (size_t)n, 0, 0);
    }
    check_origin(p, "https://host10000.example.com", 0);
    check_origin(p, "https://host-1.example.com", 0);
    check_origin(p, "https://host01.example.com", 0);
    check_origin(p, "https://example.com", 0);
    check_origin(p, "https://a.zone.example.net", 1);
    check_origin(p, "https://zone.example.net", 0);
    check_origin(p, "https://ports.example.org:7", 1);
    check_origin(p, "https://ports.example.org", 1);
    check_origin(p, "http://ports.example.org", 0);
    cors_policy_free(p);
}
END_TEST

/* ----------------------------------------------- credentials at build */

typedef struct cred_case {
    const char *text;
    int builds;
    const char *message; /* part of the first error, when it does not build */
} cred_case;

static const cred_case cred_cases[] = {
    /* a subdomain wildcard over a bare top-level domain */
    {"allow-origin https://*.com\nallow-credentials on\n", 0, "top-level domain"},
    {"allow-origin https://*.com:*\nallow-credentials on\n", 0, "top-level domain"},
    {"allow-origin https://*.com\nallow-credentials on\n"
     "dangerously-allow-tld-wildcards-with-credentials on\n",
     1, NULL},
    {"allow-origin https://*.com\nallow-credentials on\n"
     "dangerously-allow-tld-wildcards-with-credentials off\n",
     0, "dangerously-allow-tld-wildcards-with-credentials"},
    {"allow-origin https://*.com\n", 1, NULL},
    {"allow-origin https://*.com\nallow-credentials off\n", 1, NULL},
    {"allow-origin https://*.example.com\nallow-credentials on\n", 1, NULL},
    /* a public suffix of several labels (issue 13): its own danger */
    {"allow-origin https://*.co.uk\nallow-credentials on\n", 0, "\"co.uk\" is a public suffix"},
    {"allow-origin https://*.co.uk\nallow-credentials on\n"
     "dangerously-allow-tld-wildcards-with-credentials on\n",
     0, "dangerously-allow-public-suffix-wildcards-with-credentials"},
    {"allow-origin https://*.co.uk\nallow-credentials on\n"
     "dangerously-allow-public-suffix-wildcards-with-credentials on\n",
     1, NULL},
    {"allow-origin https://*.example.co.uk\nallow-credentials on\n", 1, NULL},
    /* the insecure danger does not cover the TLD one */
    {"allow-origin https://*.com\nallow-credentials on\n"
     "dangerously-allow-insecure-origins-with-credentials on\n",
     0, "top-level domain"},
    /* http:// other than loopback */
    {"allow-origin http://example.com\nallow-credentials on\n", 0, "anyone on the network path"},
    {"allow-origin http://example.com:8080\nallow-credentials on\n", 0, "anyone on the network path"},
    {"allow-origin http://*.example.com\nallow-credentials on\n", 0, "anyone on the network path"},
    {"allow-origin http://*.localhost\nallow-credentials on\n", 0, "anyone on the network path"},
    {"allow-origin http://localhost.example.com\nallow-credentials on\n", 0, "anyone on the network path"},
    {"allow-origin http://128.0.0.1\nallow-credentials on\n", 0, "anyone on the network path"},
    {"allow-origin http://10.1.2.3:8080\nallow-credentials on\n", 0, "anyone on the network path"},
    {"allow-origin http://[::2]:8080\nallow-credentials on\n", 0, "anyone on the network path"},
    {"allow-origin https://app.example.com http://example.com\nallow-credentials on\n", 0,
     "\"http://example.com\""},
    {"allow-origin http://example.com\nallow-credentials on\n"
     "dangerously-allow-insecure-origins-with-credentials on\n",
     1, NULL},
    {"allow-origin http://example.com\n", 1, NULL},
    {"allow-origin http://*.com\nallow-credentials on\n"
     "dangerously-allow-insecure-origins-with-credentials on\n",
     0, "top-level domain"},
    {"allow-origin http://*.com\nallow-credentials on\n"
     "dangerously-allow-tld-wildcards-with-credentials on\n",
     0, "anyone on the network path"},
    {"allow-origin http://*.com\nallow-credentials on\n"
     "dangerously-allow-insecure-origins-with-credentials on\n"
     "dangerously-allow-tld-wildcards-with-credentials on\n",
     1, NULL},
    /* loopback over http is fine with credentials */
    {"allow-origin http://localhost\nallow-credentials on\n", 1, NULL},
    {"allow-origin http://localhost:3000\nallow-credentials on\n", 1, NULL},
    {"allow-origin http://localhost:*\nallow-credentials on\n", 1, NULL},
    {"allow-origin http://127.0.0.1:8080\nallow-credentials on\n", 1, NULL},
    {"allow-origin http://127.5.6.7\nallow-credentials on\n", 1, NULL},
    {"allow-origin http://[::1]:8080\nallow-credentials on\n", 1, NULL},
    {"allow-origin https://app.example.com\nallow-credentials on\n", 1, NULL},
    /* "*" with credentials: always refused, whatever dangers are set */
    {"allow-origin *\nallow-credentials on\n", 0, "\"*\""},
    {"allow-origin * https://app.example.com\nallow-credentials on\n", 0, "\"*\""},
    {"allow-origin *\nallow-credentials on\n"
     "dangerously-allow-insecure-origins-with-credentials on\n"
     "dangerously-allow-tld-wildcards-with-credentials on\n",
     0, "\"*\""},
    {"allow-origin *\n", 1, NULL},
    {"allow-origin *\nallow-credentials off\n", 1, NULL},
};

START_TEST(test_credentials_rules)
{
    const cred_case *k = &cred_cases[_i];
    char msg[768];
    cors_error e = tu_build_error(k->text, msg, sizeof msg, NULL);

    if (k->builds) {
        ck_assert_msg(e == CORS_OK, "should build: %s\n%s", msg, k->text);
        return;
    }
    ck_assert_msg(e == CORS_ERR_POLICY, "should not build:\n%s", k->text);
    ck_assert_msg(strstr(msg, k->message) != NULL, "message \"%s\" lacks \"%s\"", msg,
                  k->message);
}
END_TEST

/* The same rules through the C API: the error carries CORS_ERR_CONFLICT,
   the danger setting lifts it, and the builder builds again. */
START_TEST(test_credentials_api)
{
    cors_builder *b = cors_builder_new(NULL);
    cors_policy *p = NULL;
    const cors_diagnostic *d;
    tu_capture c;
    cors_result res;

    ck_assert_ptr_nonnull(b);
    ck_assert_int_eq(cors_builder_allow_origin(b, S("https://*.com")), CORS_OK);
    ck_assert_int_eq(cors_builder_allow_origin(b, S("http://intranet.example")), CORS_OK);
    ck_assert_int_eq(cors_builder_allow_credentials(b, 1), CORS_OK);
    ck_assert_int_eq(cors_builder_build(b, &p), CORS_ERR_POLICY);
    ck_assert_ptr_null(p);
    ck_assert_uint_eq(cors_builder_error_count(b), 2);
    ck_assert(tu_has_diag(b, CORS_SEVERITY_ERROR, "\"https://*.com\""));
    ck_assert(tu_has_diag(b, CORS_SEVERITY_ERROR, "\"http://intranet.example\""));
    d = cors_builder_diagnostic(b, cors_builder_diagnostic_count(b) - 1);
    ck_assert_ptr_nonnull(d);
    ck_assert_int_eq(d->code, CORS_ERR_CONFLICT);

    ck_assert_int_eq(cors_builder_allow_danger(b, CORS_DANGER_TLD_WILDCARD_WITH_CREDENTIALS, 1),
                     CORS_OK);
    ck_assert_int_eq(cors_builder_build(b, &p), CORS_ERR_POLICY);
    ck_assert_uint_eq(cors_builder_error_count(b), 1);
    ck_assert(!tu_has_diag(b, CORS_SEVERITY_ERROR, "\"https://*.com\""));

    ck_assert_int_eq(
        cors_builder_allow_danger(b, CORS_DANGER_INSECURE_ORIGINS_WITH_CREDENTIALS, 1), CORS_OK);
    ck_assert_int_eq(cors_builder_build(b, &p), CORS_OK);
    ck_assert_ptr_nonnull(p);
    ck_assert_uint_eq(cors_builder_error_count(b), 0);
    cors_builder_free(b);

    /* what the dangers allow, they allow with credentials */
    ck_assert_int_eq(tu_run(p, "GET", "https://anything.com", NULL, NULL, &c, &res), CORS_OK);
    ck_assert_str_eq(tu_get(&c, "Access-Control-Allow-Origin"), "https://anything.com");
    ck_assert_str_eq(tu_get(&c, "Access-Control-Allow-Credentials"), "true");
    ck_assert_int_eq(tu_run(p, "GET", "http://intranet.example", NULL, NULL, &c, &res), CORS_OK);
    ck_assert_int_eq(res.outcome, CORS_OUTCOME_ACTUAL_ALLOWED);
    /* ...and nothing more: still not the bare TLD, nor another scheme */
    ck_assert_int_eq(tu_run(p, "GET", "https://com", NULL, NULL, &c, &res), CORS_OK);
    ck_assert_int_eq(res.outcome, CORS_OUTCOME_ACTUAL_DISALLOWED);
    ck_assert_int_eq(tu_run(p, "GET", "http://anything.com", NULL, NULL, &c, &res), CORS_OK);
    ck_assert_int_eq(res.outcome, CORS_OUTCOME_ACTUAL_DISALLOWED);
    cors_policy_free(p);

    /* "*" with credentials: no danger setting helps */
    b = cors_builder_new(NULL);
    ck_assert_ptr_nonnull(b);
    ck_assert_int_eq(cors_builder_allow_origin(b, S("*")), CORS_OK);
    ck_assert_int_eq(cors_builder_allow_credentials(b, 1), CORS_OK);
    cors_builder_allow_danger(b, CORS_DANGER_TLD_WILDCARD_WITH_CREDENTIALS, 1);
    cors_builder_allow_danger(b, CORS_DANGER_INSECURE_ORIGINS_WITH_CREDENTIALS, 1);
    ck_assert_int_eq(cors_builder_build(b, &p), CORS_ERR_POLICY);
    ck_assert_ptr_null(p);
    ck_assert(tu_has_diag(b, CORS_SEVERITY_ERROR, "origin \"*\" is refused with credentials"));
    ck_assert_int_eq(cors_builder_allow_credentials(b, 0), CORS_OK);
    ck_assert_int_eq(cors_builder_build(b, &p), CORS_OK);
    cors_policy_free(p);
    cors_builder_free(b);
}
END_TEST

/* Patterns are refused at build with a message when misplaced, and
   accepted where they belong. */
typedef struct pattern_build {
    const char *origin;
    int ok;
} pattern_build;

static const pattern_build pattern_builds[] = {
    {"https://*.example.com", 1},
    {"https://example.com:*", 1},
    {"https://*.example.com:*", 1},
    {"http://[::1]:*", 1},
    {"*", 1},
    {"https://*", 0},
    {"https://a.*.com", 0},
    {"https://*example.com", 0},
    {"https://*.*.example.com", 0},
    {"https://*.1.2.3.4", 0},
    {"https://*.[::1]", 0},
    {"https://example.com:8*", 0},
    {"*.example.com", 0},
    {"**", 0},
    {"https://*.example.com/", 0},
};

START_TEST(test_pattern_build)
{
    const pattern_build *k = &pattern_builds[_i];
    cors_builder *b = cors_builder_new(NULL);
    cors_error e;

    ck_assert_ptr_nonnull(b);
    e = cors_builder_allow_origin(b, k->origin, strlen(k->origin));
    if (k->ok) {
        ck_assert_msg(e == CORS_OK, "%s refused", k->origin);
        ck_assert_uint_eq(cors_builder_error_count(b), 0);
    } else {
        ck_assert_msg(e == CORS_ERR_ORIGIN, "%s accepted", k->origin);
        ck_assert_uint_eq(cors_builder_error_count(b), 1);
        ck_assert(tu_has_diag(b, CORS_SEVERITY_ERROR, "is refused"));
    }
    cors_builder_free(b);
}
END_TEST

/* The hash tables at every power-of-two fill: a value that is not listed
   is found missing at once (the suite's timeout catches a probe that never
   ends), and a listed one is still found.  Names of one length share a
   group, so header names are hashed too. */
enum fill_kind { FILL_ORIGINS, FILL_HEADERS, FILL_PATTERNS };

static const struct fill_case {
    enum fill_kind kind;
    unsigned n;
} fill_cases[] = {
    {FILL_ORIGINS, 8},  {FILL_ORIGINS, 16},  {FILL_ORIGINS, 32},
    {FILL_HEADERS, 8},  {FILL_HEADERS, 16},  {FILL_HEADERS, 32},
    {FILL_PATTERNS, 8}, {FILL_PATTERNS, 16}, {FILL_PATTERNS, 32},
};

/* Each line of a policy is the prefix, a number and the suffix. */
static const char *const fill_line[][2] = {
    [FILL_ORIGINS] = {"allow-origin https://o", ".example.com\n"},
    [FILL_HEADERS] = {"allow-headers x-h-", "\n"},
    [FILL_PATTERNS] = {"allow-origin https://*.p", ".example.com\n"},
};

/* A preflight for the n-th listed value (n < 1000) or for one not listed
   (n == 1000, spelled "zzz"); returns the reason. */
static cors_reason fill_lookup(const cors_policy *p, enum fill_kind kind, unsigned n)
{
    char origin[64], header[32], id[8];
    tu_capture c;
    cors_result res;

    if (n < 1000)
        snprintf(id, sizeof id, "%03u", n);
    else
        snprintf(id, sizeof id, "zzz");
    snprintf(origin, sizeof origin, kind == FILL_ORIGINS    ? "https://o%s.example.com"
                                    : kind == FILL_PATTERNS ? "https://a.p%s.example.com"
                                                            : "https://o000.example.com",
             id);
    snprintf(header, sizeof header, "x-h-%s", id);
    ck_assert_int_eq(tu_run(p, "OPTIONS", origin, "GET", kind == FILL_HEADERS ? header : NULL,
                            &c, &res),
                     CORS_OK);
    return res.reason;
}

START_TEST(test_table_fill)
{
    const struct fill_case *t = &fill_cases[_i];
    char text[8192], line[64];
    size_t len = 0;
    unsigned i;
    cors_policy *p;

    text[0] = '\0';
    if (t->kind == FILL_HEADERS)
        len = (size_t)snprintf(text, sizeof text, "allow-origin https://o000.example.com\n");
    for (i = 0; i < t->n; i++) {
        snprintf(line, sizeof line, "%s%03u%s", fill_line[t->kind][0], i,
                 fill_line[t->kind][1]);
        ck_assert_uint_lt(len + strlen(line), sizeof text);
        memcpy(text + len, line, strlen(line) + 1);
        len += strlen(line);
    }
    p = tu_policy(text);
    ck_assert_msg(fill_lookup(p, t->kind, 1000) ==
                      (t->kind == FILL_HEADERS ? CORS_REASON_HEADER_NOT_ALLOWED
                                               : CORS_REASON_ORIGIN_NOT_ALLOWED),
                  "kind %d, %u values: an unlisted value", (int)t->kind, t->n);
    for (i = 0; i < t->n; i++)
        ck_assert_msg(fill_lookup(p, t->kind, i) == CORS_REASON_NONE,
                      "kind %d, %u values: value %u not found", (int)t->kind, t->n, i);
    cors_policy_free(p);
}
END_TEST

/* Subdomain wildcards whose host has 1 to 8 labels in front of
   example.com ("*.a.b.c.example.com" has 3): a direct subdomain is
   accepted and reflected at every depth, the host itself is not. */
static const unsigned depth_cases[] = {1, 2, 3, 4, 5, 6, 7, 8};

START_TEST(test_wildcard_depth)
{
    static const char *const labels[] = {"a", "b", "c", "d", "e", "f", "g", "h"};
    unsigned depth = depth_cases[_i], i;
    char host[64] = "", text[128], origin[80];
    tu_capture c;
    cors_result res;
    cors_policy *p;

    for (i = 0; i < depth; i++) {
        strcat(host, labels[i]);
        strcat(host, ".");
    }
    strcat(host, "example.com");
    snprintf(text, sizeof text, "allow-origin https://*.%s\n", host);
    p = tu_policy(text);
    snprintf(origin, sizeof origin, "https://x.%s", host);
    ck_assert_int_eq(tu_run(p, "OPTIONS", origin, "GET", NULL, &c, &res), CORS_OK);
    ck_assert_msg(res.outcome == CORS_OUTCOME_PREFLIGHT_ACCEPTED, "depth %u: %s refused", depth,
                  origin);
    ck_assert_str_eq(tu_get(&c, "Access-Control-Allow-Origin"), origin);
    ck_assert_int_eq(tu_run(p, "GET", origin, NULL, NULL, &c, &res), CORS_OK);
    ck_assert_int_eq(res.outcome, CORS_OUTCOME_ACTUAL_ALLOWED);
    ck_assert_str_eq(tu_get(&c, "Access-Control-Allow-Origin"), origin);
    snprintf(origin, sizeof origin, "https://%s", host);
    ck_assert_int_eq(tu_run(p, "GET", origin, NULL, NULL, &c, &res), CORS_OK);
    ck_assert_msg(res.outcome == CORS_OUTCOME_ACTUAL_DISALLOWED, "depth %u: apex allowed", depth);
    cors_policy_free(p);
}
END_TEST

/* Keys that differ only in their last bytes (ports, numbered hosts and
   names) are spread over a table's slots: a probe for one of 10,000 in a
   table at most half full visits under 2 slots on average (about 1.3 when
   they are spread; tens when they crowd into a few slots, as keys whose
   hash picked the slot by bits that never saw those bytes did).  The
   library's internals, linked for this test alone. */
static const char *const spread_keys[][2] = {
    {"http://localhost:", ""},           {"https://host", ".example.com"},
    {"https://o", ".example.com"},       {"https://tenant-", ".saas.example"},
    {"x-custom-header-", ""}};

START_TEST(test_table_spread)
{
    enum { N = 10000 };
    size_t size = cors__table_size(N), mask = size - 1, probes = 0, j, n;
    unsigned shift = cors__table_shift(size), i;
    cors__str_slot *t = calloc(size, sizeof *t);
    char(*keys)[48] = malloc(N * sizeof *keys);
    uint32_t h;

    ck_assert(t != NULL && keys != NULL);
    for (i = 0; i < N; i++) {
        n = (size_t)snprintf(keys[i], sizeof keys[i], "%s%u%s", spread_keys[_i][0], i,
                             spread_keys[_i][1]);
        ck_assert(cors__str_insert(t, mask, shift, keys[i], n, CORS__SAME_CASE));
    }
    for (i = 0; i < N; i++) {
        n = strlen(keys[i]);
        h = cors__text_hash(keys[i], n);
        for (j = h >> shift, probes++; !cors__str_holds(&t[j], h, keys[i], n, CORS__SAME_CASE);
             j = (j + 1) & mask)
            probes++;
    }
    ck_assert_msg(probes < 2 * N, "%s...: %zu probes for %d keys", spread_keys[_i][0], probes,
                  N);
    free(keys);
    free(t);
}
END_TEST

static Suite *patterns_suite(void)
{
    Suite *s = suite_create("patterns");
    TCase *tc = tcase_create("match");

    tcase_add_loop_test(tc, test_match, 0, NCASES(match_cases));
    tcase_add_test(tc, test_credentials_header);
    suite_add_tcase(s, tc);

    tc = tcase_create("lookalike");
    tcase_add_loop_test(tc, test_lookalike_exact, 0, NCASES(lookalikes));
    tcase_add_loop_test(tc, test_lookalike_patterns, 0, NCASES(lookalikes));
    tcase_add_loop_test(tc, test_lookalike_any, 0, NCASES(lookalikes));
    tcase_add_test(tc, test_lookalike_reasons);
    suite_add_tcase(s, tc);

    tc = tcase_create("tables");
    /* A probe that never ends fails here instead of hanging the suite. */
    tcase_set_timeout(tc, 10);
    tcase_add_loop_test(tc, test_table_fill, 0, NCASES(fill_cases));
    tcase_add_loop_test(tc, test_wildcard_depth, 0, NCASES(depth_cases));
    tcase_add_loop_test(tc, test_table_spread, 0, NCASES(spread_keys));
    suite_add_tcase(s, tc);

    tc = tcase_create("large");
    /* 10,000 origins and 10,000 evaluations: generous for valgrind runs */
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_many_origins);
    suite_add_tcase(s, tc);

    tc = tcase_create("build");
    tcase_add_loop_test(tc, test_credentials_rules, 0, NCASES(cred_cases));
    tcase_add_test(tc, test_credentials_api);
    tcase_add_loop_test(tc, test_pattern_build, 0, NCASES(pattern_builds));
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return tu_main(patterns_suite());
}
