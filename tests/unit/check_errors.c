/*
 * check_errors.c - the strings libcors returns: error, outcome and reason
 * names and log words (never NULL), builder diagnostics (printable, naming the value),
 * cors_result_describe, the version, and how every builder function treats
 * NULL arguments.
 */
#ifdef HAVE_CONFIG_H
#include <config.h>
#endif

#include "testutil.h"

static void assert_printable(const char *what, const char *s)
{
    const unsigned char *p;

    ck_assert_msg(s != NULL, "%s: NULL", what);
    ck_assert_msg(*s != '\0', "%s: empty", what);
    for (p = (const unsigned char *)s; *p; p++)
        ck_assert_msg(*p >= 0x20 && *p < 0x7f, "%s: byte 0x%02x in \"%s\"", what, *p, s);
}

/* A log word: lower-case letters, with single hyphens inside. */
static void assert_word(const char *what, const char *s)
{
    size_t i, n;

    ck_assert_msg(s != NULL && *s != '\0', "%s: NULL or empty", what);
    n = strlen(s);
    for (i = 0; i < n; i++)
        ck_assert_msg((s[i] >= 'a' && s[i] <= 'z') ||
                          (s[i] == '-' && i > 0 && i + 1 < n && s[i - 1] != '-'),
                      "%s: \"%s\" is not a word of lower-case letters and hyphens", what, s);
}

/* ------------------------------------------------------- enum strings */

START_TEST(test_strerror_every_code)
{
    cors_error e = (cors_error)_i, other;
    const char *s = cors_strerror(e);

    assert_printable("cors_strerror", s);
    ck_assert_str_ne(s, cors_strerror((cors_error)9999));
    /* every code has its own sentence */
    for (other = CORS_OK; other <= CORS_ERR_FILE; other++)
        if (other != e)
            ck_assert_str_ne(s, cors_strerror(other));
}
END_TEST

START_TEST(test_outcome_every_value)
{
    cors_outcome o = (cors_outcome)_i, other;
    const char *s = cors_outcome_string(o);

    assert_printable("cors_outcome_string", s);
    ck_assert_str_ne(s, cors_outcome_string((cors_outcome)9999));
    assert_word("cors_outcome_token", cors_outcome_token(o));
    ck_assert_str_ne(cors_outcome_token(o), cors_outcome_token((cors_outcome)9999));
    for (other = CORS_OUTCOME_NOT_CORS; other <= CORS_OUTCOME_SAME_ORIGIN; other++)
        if (other != o) {
            ck_assert_str_ne(s, cors_outcome_string(other));
            ck_assert_str_ne(cors_outcome_token(o), cors_outcome_token(other));
        }
}
END_TEST

START_TEST(test_reason_every_value)
{
    cors_reason r = (cors_reason)_i, other;
    const char *s = cors_reason_string(r);

    assert_printable("cors_reason_string", s);
    ck_assert_str_ne(s, cors_reason_string((cors_reason)9999));
    assert_word("cors_reason_token", cors_reason_token(r));
    ck_assert_str_ne(cors_reason_token(r), cors_reason_token((cors_reason)9999));
    for (other = CORS_REASON_NONE; other <= CORS_REASON_FIELD_REPEATED; other++)
        if (other != r) {
            ck_assert_str_ne(s, cors_reason_string(other));
            ck_assert_str_ne(cors_reason_token(r), cors_reason_token(other));
        }
}
END_TEST

/* The words are a contract with log queries and server variables: pinned. */
START_TEST(test_tokens_pinned)
{
    static const char *const outcomes[] = {"not-cors",       "preflight-accepted",
                                           "preflight-denied", "actual-allowed",
                                           "actual-disallowed", "same-origin"};
    static const char *const reasons[] = {
        "none",           "origin-malformed",  "origin-null",
        "origin-not-allowed", "method-malformed", "method-not-allowed",
        "headers-malformed", "headers-too-long", "header-not-allowed",
        "private-network-not-allowed", "private-network-malformed", "field-repeated"};
    int i;

    ck_assert_uint_eq(NCASES(outcomes), CORS_OUTCOME_SAME_ORIGIN + 1);
    ck_assert_uint_eq(NCASES(reasons), CORS_REASON_FIELD_REPEATED + 1);
    for (i = 0; i < NCASES(outcomes); i++)
        ck_assert_str_eq(cors_outcome_token((cors_outcome)i), outcomes[i]);
    for (i = 0; i < NCASES(reasons); i++)
        ck_assert_str_eq(cors_reason_token((cors_reason)i), reasons[i]);
}
END_TEST

static const int out_of_range[] = {-1, -2147483647 - 1, 9999, 2147483647,
                                   CORS_ERR_FILE + 1, CORS_REASON_FIELD_REPEATED + 1,
                                   CORS_OUTCOME_SAME_ORIGIN + 1};

START_TEST(test_out_of_range)
{
    int v = out_of_range[_i];

    /* values past the end of one enum may be valid in another */
    if (v > CORS_ERR_FILE || v < 0)
        ck_assert_str_eq(cors_strerror((cors_error)v), "unknown libcors error");
    if (v > CORS_OUTCOME_SAME_ORIGIN || v < 0) {
        ck_assert_str_eq(cors_outcome_string((cors_outcome)v), "unknown outcome");
        ck_assert_str_eq(cors_outcome_token((cors_outcome)v), "unknown");
    }
    if (v > CORS_REASON_FIELD_REPEATED || v < 0) {
        ck_assert_str_eq(cors_reason_string((cors_reason)v), "unknown reason");
        ck_assert_str_eq(cors_reason_token((cors_reason)v), "unknown");
    }
    assert_printable("strerror", cors_strerror((cors_error)v));
    assert_printable("outcome", cors_outcome_string((cors_outcome)v));
    assert_printable("reason", cors_reason_string((cors_reason)v));
}
END_TEST

/* ---------------------------------------------------------- diagnostics */

enum { S_ORIGIN, S_METHOD, S_HEADER, S_EXPOSE, S_MAX_AGE, S_STATUS, S_DENIED_STATUS };


/* Each value refused by a setter; the message must be printable ASCII
   (request-independent, but values may hold any byte) and name the value
   as written, escaped where needed. */
static const struct diag_case {
    int setter;
    const char *value;
    size_t len;
    long number;
    cors_error code;
    const char *needle;  /* the value, quoted as the message shows it */
    const char *advice;  /* a part of what to write instead, or NULL */
} diag_cases[] = {
    {S_ORIGIN, S("https://a.example/"), 0, CORS_ERR_ORIGIN, "\"https://a.example/\"",
     "write \"https://a.example\""},
    {S_ORIGIN, S("https://a.example/app?x=1"), 0, CORS_ERR_ORIGIN,
     "\"https://a.example/app?x=1\"", "write \"https://a.example\""},
    {S_ORIGIN, S("https://a.example?x"), 0, CORS_ERR_ORIGIN, "\"https://a.example?x\"",
     "write \"https://a.example\""},
    {S_ORIGIN, S("https://a.example#top"), 0, CORS_ERR_ORIGIN, "\"https://a.example#top\"",
     "write \"https://a.example\""},
    {S_ORIGIN, S("https://A.Example"), 0, CORS_ERR_ORIGIN, "\"https://A.Example\"",
     "write \"https://a.example\""},
    {S_ORIGIN, S("HTTPS://a.example"), 0, CORS_ERR_ORIGIN, "\"HTTPS://a.example\"",
     "write \"https://a.example\""},
    {S_ORIGIN, S("https://a.example:443"), 0, CORS_ERR_ORIGIN, "\"https://a.example:443\"",
     "write \"https://a.example\""},
    {S_ORIGIN, S("http://a.example:80"), 0, CORS_ERR_ORIGIN, "\"http://a.example:80\"",
     "write \"http://a.example\""},
    /* several mistakes at once: the advice fixes them all */
    {S_ORIGIN, S("HTTPS://A.example:443/"), 0, CORS_ERR_ORIGIN, "\"HTTPS://A.example:443/\"",
     "write \"https://a.example\""},
    /* a trailing dot is kept: it names a host of its own */
    {S_ORIGIN, S("https://a.example.:443"), 0, CORS_ERR_ORIGIN, "\"https://a.example.:443\"",
     "write \"https://a.example.\""},
    {S_ORIGIN, S("HTTPS://A.EXAMPLE.:443/x?y#z"), 0, CORS_ERR_ORIGIN,
     "\"HTTPS://A.EXAMPLE.:443/x?y#z\"", "write \"https://a.example.\""},
    /* the IPv4 form of a mapped address, with the port kept */
    {S_ORIGIN, S("http://[::ffff:7f00:1]:8080"), 0, CORS_ERR_ORIGIN,
     "\"http://[::ffff:7f00:1]:8080\"", "write \"http://127.0.0.1:8080\""},
    {S_ORIGIN, S("https://[::ffff:192.168.0.1]"), 0, CORS_ERR_ORIGIN,
     "\"https://[::ffff:192.168.0.1]\"", "write \"https://192.168.0.1\""},
    {S_ORIGIN, S("https://xn--abc-.example"), 0, CORS_ERR_ORIGIN, "\"https://xn--abc-.example\"",
     "valid punycode"},
    {S_ORIGIN, S("https://a..example"), 0, CORS_ERR_ORIGIN, "\"https://a..example\"",
     "empty label"},
    {S_ORIGIN, S("null"), 0, CORS_ERR_ORIGIN, "\"null\"", "list the real origins"},
    {S_ORIGIN, S("file:///home/me/index.html"), 0, CORS_ERR_ORIGIN,
     "\"file:///home/me/index.html\"", "serve the page over http(s)"},
    {S_ORIGIN, S("ftp://a.example"), 0, CORS_ERR_ORIGIN, "\"ftp://a.example\"",
     "\"https://app.example.com\""},
    {S_ORIGIN, S("https:/a.example"), 0, CORS_ERR_ORIGIN, "\"https:/a.example\"", "\"://\""},
    {S_ORIGIN, S("https://me@a.example"), 0, CORS_ERR_ORIGIN, "\"https://me@a.example\"",
     NULL},
    {S_ORIGIN, S("https://b\xc3\xbc" "cher.example"), 0, CORS_ERR_ORIGIN,
     "\"https://b\\xc3\\xbccher.example\"", "punycode"},
    {S_ORIGIN, S("https://a\nb.example"), 0, CORS_ERR_ORIGIN, "\"https://a\\x0ab.example\"",
     NULL},
    {S_ORIGIN, S("https://a.example\0"), 0, CORS_ERR_ORIGIN, "\"https://a.example\\x00\"",
     NULL},
    {S_ORIGIN, S("https://a\"b.example"), 0, CORS_ERR_ORIGIN, "\"https://a\\x22b.example\"",
     NULL},
    {S_ORIGIN, S("https://a.*.example"), 0, CORS_ERR_ORIGIN, "\"https://a.*.example\"",
     "\"*.\""},
    {S_ORIGIN, S("https://*.10.0.0.1"), 0, CORS_ERR_ORIGIN, "\"https://*.10.0.0.1\"",
     "IP address"},
    {S_ORIGIN, S("http://010.0.0.1"), 0, CORS_ERR_ORIGIN, "\"http://010.0.0.1\"",
     "without leading zeros"},
    {S_ORIGIN, S("https://[::0001]"), 0, CORS_ERR_ORIGIN, "\"https://[::0001]\"",
     "\"https://[::1]:8443\""},
    {S_ORIGIN, S("https://a.example:70000"), 0, CORS_ERR_ORIGIN,
     "\"https://a.example:70000\"", "1 to 65535"},
    {S_ORIGIN, S(""), 0, CORS_ERR_ORIGIN, "origin \"\"", "empty"},
    {S_METHOD, S("CONNECT"), 0, CORS_ERR_METHOD, "\"CONNECT\"", NULL},
    {S_METHOD, S("trace"), 0, CORS_ERR_METHOD, "\"trace\"", NULL},
    {S_METHOD, S("TRACK"), 0, CORS_ERR_METHOD, "\"TRACK\"", NULL},
    {S_METHOD, S("PUT DELETE"), 0, CORS_ERR_METHOD, "\"PUT DELETE\"", "\"PATCH\""},
    {S_METHOD, S("PUT\r\n"), 0, CORS_ERR_METHOD, "\"PUT\\x0d\\x0a\"", NULL},
    {S_METHOD, S(""), 0, CORS_ERR_METHOD, "method \"\"", NULL},
    {S_HEADER, S("Cookie"), 0, CORS_ERR_HEADER, "\"cookie\"", "set allow-credentials on"},
    {S_HEADER, S("Sec-Fetch-Mode"), 0, CORS_ERR_HEADER, "\"sec-fetch-mode\"", "forbidden"},
    {S_HEADER, S("Proxy-Authorization"), 0, CORS_ERR_HEADER, "\"proxy-authorization\"",
     "forbidden"},
    {S_HEADER, S("Origin"), 0, CORS_ERR_HEADER, "\"origin\"", "forbidden"},
    {S_HEADER, S("X Y"), 0, CORS_ERR_HEADER, "\"X Y\"", "\"X-Request-Id\""},
    {S_HEADER, S("X-\x7f"), 0, CORS_ERR_HEADER, "\"X-\\x7f\"", NULL},
    {S_HEADER, S(""), 0, CORS_ERR_HEADER, "header \"\"", NULL},
    {S_EXPOSE, S("Set-Cookie"), 0, CORS_ERR_EXPOSE_HEADER, "\"set-cookie\"", "cookies"},
    {S_EXPOSE, S("set-cookie2"), 0, CORS_ERR_EXPOSE_HEADER, "\"set-cookie2\"", NULL},
    {S_EXPOSE, S("X:Y"), 0, CORS_ERR_EXPOSE_HEADER, "\"X:Y\"", NULL},
    {S_MAX_AGE, NULL, 0, -1, CORS_ERR_MAX_AGE, "max-age -1 ", "0 to 86400"},
    {S_MAX_AGE, NULL, 0, 86401, CORS_ERR_MAX_AGE, "max-age 86401 ", "0 to 86400"},
    {S_STATUS, NULL, 0, 199, CORS_ERR_STATUS, "status 199 ", "200 to 299"},
    {S_STATUS, NULL, 0, 300, CORS_ERR_STATUS, "status 300 ", "200 to 299"},
    {S_STATUS, NULL, 0, -204, CORS_ERR_STATUS, "status -204 ", "200 to 299"},
    {S_DENIED_STATUS, NULL, 0, 199, CORS_ERR_STATUS, "denied preflight status 199 ",
     "200 to 299 or 400 to 499"},
    {S_DENIED_STATUS, NULL, 0, 399, CORS_ERR_STATUS, "status 399 ", "200 to 299 or 400 to 499"},
    {S_DENIED_STATUS, NULL, 0, 500, CORS_ERR_STATUS, "status 500 ", "(403 is usual"},
    {S_DENIED_STATUS, NULL, 0, -403, CORS_ERR_STATUS, "status -403 ", "400 to 499"},
};

START_TEST(test_diagnostic_messages)
{
    const struct diag_case *t = &diag_cases[_i];
    cors_builder *b = cors_builder_new(NULL);
    const cors_diagnostic *d;
    cors_error e;

    switch (t->setter) {
    case S_ORIGIN:
        e = cors_builder_allow_origin(b, t->value, t->len);
        break;
    case S_METHOD:
        e = cors_builder_allow_method(b, t->value, t->len);
        break;
    case S_HEADER:
        e = cors_builder_allow_header(b, t->value, t->len);
        break;
    case S_EXPOSE:
        e = cors_builder_expose_header(b, t->value, t->len);
        break;
    case S_MAX_AGE:
        e = cors_builder_set_max_age(b, t->number);
        break;
    case S_STATUS:
        e = cors_builder_set_preflight_status(b, (int)t->number);
        break;
    default:
        e = cors_builder_set_denied_status(b, (int)t->number);
        break;
    }
    ck_assert_int_eq(e, t->code);
    ck_assert_uint_eq(cors_builder_error_count(b), 1);
    ck_assert_uint_eq(cors_builder_diagnostic_count(b), 1);
    d = cors_builder_diagnostic(b, 0);
    ck_assert_int_eq(d->severity, CORS_SEVERITY_ERROR);
    ck_assert_int_eq(d->code, t->code);
    ck_assert_uint_eq(d->line, 0);
    assert_printable("diagnostic", d->message);
    ck_assert_msg(strstr(d->message, t->needle) != NULL, "\"%s\" does not name %s", d->message,
                  t->needle);
    if (t->advice)
        ck_assert_msg(strstr(d->message, t->advice) != NULL, "\"%s\" lacks \"%s\"", d->message,
                      t->advice);
    ck_assert_ptr_null(cors_builder_diagnostic(b, 1));
    cors_builder_free(b);
}
END_TEST

/* Very long values are cut, still printable and bounded. */
START_TEST(test_diagnostic_long_value)
{
    char value[3000];
    cors_builder *b = cors_builder_new(NULL);
    size_t i;

    memcpy(value, "https://", 8);
    for (i = 8; i < sizeof value; i++)
        value[i] = (char)(i % 3 ? 'a' : '\x01');
    ck_assert_int_eq(cors_builder_allow_origin(b, value, sizeof value), CORS_ERR_ORIGIN);
    memset(value, 'x', sizeof value);
    ck_assert_int_eq(cors_builder_allow_header(b, value, sizeof value), CORS_ERR_HEADER);
    ck_assert_int_eq(cors_builder_expose_header(b, value, sizeof value), CORS_ERR_EXPOSE_HEADER);
    ck_assert_int_eq(cors_builder_allow_method(b, value, sizeof value), CORS_OK);
    ck_assert_uint_eq(cors_builder_error_count(b), 3);
    for (i = 0; i < cors_builder_diagnostic_count(b); i++) {
        const cors_diagnostic *d = cors_builder_diagnostic(b, i);
        assert_printable("long", d->message);
        ck_assert_uint_lt(strlen(d->message), 800);
        if (d->severity == CORS_SEVERITY_ERROR)
            ck_assert_ptr_nonnull(strstr(d->message, "...\""));
    }
    cors_builder_free(b);
}
END_TEST

/* Every message of a text full of problems, warnings included. */
START_TEST(test_all_messages_printable)
{
    static const char text[] =
        "allow-origin https://a.example/ http://b.example https://*.c.example *\n"
        "allow-origin https://\x80\xff.example\n"
        "allow-methods GET patch CONNECT PUT PUT\n"
        "allow-headers Accept Cookie X-A x-a\n"
        "expose-headers Content-Type Set-Cookie *\n"
        "allow-credentials on\nmax-age 9000\nallow-private-network on\n"
        "preflight-status 100\npreflight-denied-status 302\nfrobnicate\nallow-methods\n"
        "allow-origin https://*.com http://d.example\n";
    cors_builder *b = cors_builder_new(NULL);
    cors_policy *p = NULL;
    size_t i;

    ck_assert_int_ne(cors_builder_parse(b, text, sizeof text - 1), CORS_OK);
    ck_assert_int_eq(cors_builder_build(b, &p), CORS_ERR_POLICY);
    ck_assert_uint_ge(cors_builder_diagnostic_count(b), 20);
    for (i = 0; i < cors_builder_diagnostic_count(b); i++) {
        const cors_diagnostic *d = cors_builder_diagnostic(b, i);
        assert_printable("diagnostic", d->message);
        if (d->severity == CORS_SEVERITY_ERROR)
            ck_assert_int_ne(d->code, CORS_OK);
        else
            ck_assert_int_eq(d->code, CORS_OK);
    }
    cors_builder_free(b);
}
END_TEST

/* ------------------------------------------------------------- describe */

static const char describe_policy[] = "allow-origin https://app.example.com\n"
                                      "allow-methods PUT DELETE\n"
                                      "allow-headers X-A, X-B\n";
static const char describe_policy_bare[] = "allow-origin https://app.example.com\n";

#define APP "https://app.example.com"

static const struct describe_case {
    const char *method;
    const char *origin;
    size_t origin_len;
    const char *acrm;
    size_t acrm_len;
    const char *acrh;
    size_t acrh_len;
    const char *pna;
    size_t pna_len;
    cors_reason reason;
    const char *with_policy;
    const char *bare_policy; /* the policy that lists nothing */
    const char *no_policy;   /* cors_result_describe(NULL, ...) */
} describe_cases[] = {
    {"GET", NULL, 0, NULL, 0, NULL, 0, NULL, 0, CORS_REASON_NONE, "not a CORS request",
     "not a CORS request", "not a CORS request"},
    {"GET", S(APP), NULL, 0, NULL, 0, NULL, 0, CORS_REASON_NONE, "actual request allowed",
     "actual request allowed", "actual request allowed"},
    {"OPTIONS", S(APP), S("PUT"), NULL, 0, NULL, 0, CORS_REASON_NONE, "preflight accepted",
     NULL, "preflight accepted"},
    {"GET", S("https://a\x01\\b"), NULL, 0, NULL, 0, NULL, 0, CORS_REASON_ORIGIN_MALFORMED,
     "origin \"https://a\\x01\\x5cb\" is not a serialized origin (scheme://host[:port]) and "
     "is never allowed",
     NULL, NULL},
    {"OPTIONS", S("https://\xc3\xa9.example\r\n"), S("PUT"), NULL, 0, NULL, 0,
     CORS_REASON_ORIGIN_MALFORMED,
     "origin \"https://\\xc3\\xa9.example\\x0d\\x0a\" is not a serialized origin "
     "(scheme://host[:port]) and is never allowed",
     NULL, NULL},
    {"GET", S("null"), NULL, 0, NULL, 0, NULL, 0, CORS_REASON_ORIGIN_NULL,
     "origin null is never allowed (sandboxed documents, file: pages and redirects send it)",
     NULL, NULL},
    {"OPTIONS", S("https://other.example"), S("PUT"), NULL, 0, NULL, 0,
     CORS_REASON_ORIGIN_NOT_ALLOWED, "origin https://other.example is not allowed", NULL, NULL},
    {"OPTIONS", S(APP), S("P\x7f\0T"), NULL, 0, NULL, 0, CORS_REASON_METHOD_MALFORMED,
     "requested method \"P\\x7f\\x00T\" is not a valid method token", NULL, NULL},
    {"OPTIONS", S(APP), S("PATCH"), NULL, 0, NULL, 0, CORS_REASON_METHOD_NOT_ALLOWED,
     "method PATCH is not allowed; allowed: PUT, DELETE (GET, HEAD and POST always are)",
     "method PATCH is not allowed; allowed: none (GET, HEAD and POST always are)",
     "method PATCH is not allowed (GET, HEAD and POST always are)"},
    {"OPTIONS", S(APP), S("PUT"), S("x-a,;"), NULL, 0, CORS_REASON_HEADERS_MALFORMED,
     "Access-Control-Request-Headers is malformed near \";\"", NULL, NULL},
    {"OPTIONS", S(APP), S("PUT"), S("x-a, \x01x-b"), NULL, 0, CORS_REASON_HEADERS_MALFORMED,
     "Access-Control-Request-Headers is malformed near \"\\x01\"", NULL, NULL},
    {"OPTIONS", S(APP), S("POST"), S("X-C, x-a"), NULL, 0, CORS_REASON_HEADER_NOT_ALLOWED,
     "header X-C is not allowed; allowed: x-a, x-b",
     "header X-C is not allowed; allowed: none", "header X-C is not allowed"},
    {"OPTIONS", S(APP), S("PUT"), S("x-a"), S("true"), CORS_REASON_PRIVATE_NETWORK_NOT_ALLOWED,
     "private network access is not allowed by this policy", NULL, NULL},
    {"OPTIONS", S(APP), S("PUT"), S("x-a"), S("tru\xe9"),
     CORS_REASON_PRIVATE_NETWORK_MALFORMED,
     "Access-Control-Request-Private-Network is \"tru\\xe9\", not \"true\"", NULL, NULL},
};

/* Evaluates the row against a policy and describes the result. */
static void describe_row(const struct describe_case *t, const cors_policy *p,
                         const cors_policy *described, const char *want)
{
    cors_request req;
    cors_result res;
    cors_str line;
    char buf[600];
    size_t n;

    cors_request_init(&req);
    req.method = t->method;
    req.method_len = strlen(t->method);
    req.origin = t->origin;
    req.origin_len = t->origin_len;
    req.request_method = t->acrm;
    req.request_method_len = t->acrm_len;
    if (t->acrh) {
        line.ptr = t->acrh;
        line.len = t->acrh_len;
        req.request_headers = &line;
        req.request_headers_count = 1;
    }
    req.request_private_network = t->pna;
    req.request_private_network_len = t->pna_len;
    cors_result_init(&res);
    ck_assert_int_eq(cors_evaluate(p, &req, NULL, NULL, &res), CORS_OK);
    ck_assert_msg(res.reason == t->reason, "reason %s", cors_reason_string(res.reason));
    n = cors_result_describe(described, &res, buf, sizeof buf);
    ck_assert_uint_eq(n, strlen(buf));
    assert_printable("describe", buf);
    ck_assert_msg(strcmp(buf, want) == 0, "got      \"%s\"\nexpected \"%s\"", buf, want);
}

START_TEST(test_describe)
{
    const struct describe_case *t = &describe_cases[_i];
    cors_policy *p = tu_policy(describe_policy), *bare = tu_policy(describe_policy_bare);

    describe_row(t, p, p, t->with_policy);
    describe_row(t, p, NULL, t->no_policy ? t->no_policy : t->with_policy);
    if (t->bare_policy)
        describe_row(t, bare, bare, t->bare_policy);
    cors_policy_free(p);
    cors_policy_free(bare);
}
END_TEST

/* Reasons that need a huge or odd request, built by hand. */
START_TEST(test_describe_built_results)
{
    cors_policy *p = tu_policy(describe_policy);
    cors_result res;
    char buf[600], origin[300];
    size_t n;

    cors_result_init(&res);
    res.outcome = CORS_OUTCOME_PREFLIGHT_DENIED;
    res.reason = CORS_REASON_HEADERS_TOO_LONG;
    n = cors_result_describe(p, &res, buf, sizeof buf);
    ck_assert_str_eq(buf, "Access-Control-Request-Headers is too long (over 4096 bytes or 64 "
                          "names) and was not read");
    ck_assert_uint_eq(n, strlen(buf));

    /* detail is cut at 200 bytes */
    memset(origin, 'a', sizeof origin);
    res.reason = CORS_REASON_ORIGIN_NOT_ALLOWED;
    res.detail = origin;
    res.detail_len = sizeof origin;
    n = cors_result_describe(p, &res, buf, sizeof buf);
    ck_assert_uint_eq(n, strlen("origin ") + 200 + 3 + strlen(" is not allowed"));
    ck_assert_ptr_nonnull(strstr(buf, "aaa... is not allowed"));

    /* unknown reasons and a missing result still give a sentence */
    res.reason = (cors_reason)9999;
    cors_result_describe(p, &res, buf, sizeof buf);
    ck_assert_str_eq(buf, "unknown reason");
    res.reason = (cors_reason)-1;
    cors_result_describe(NULL, &res, buf, sizeof buf);
    ck_assert_str_eq(buf, "unknown reason");
    ck_assert_uint_eq(cors_result_describe(p, NULL, buf, sizeof buf), strlen("no result"));
    ck_assert_str_eq(buf, "no result");
    res.reason = CORS_REASON_NONE;
    res.outcome = (cors_outcome)77;
    cors_result_describe(p, &res, buf, sizeof buf);
    ck_assert_str_eq(buf, "unknown outcome");
    cors_policy_free(p);
}
END_TEST

/* snprintf semantics: the full length always, a NUL-terminated prefix,
   and nothing written at or past size. */
START_TEST(test_describe_snprintf)
{
    cors_policy *p = tu_policy(describe_policy);
    cors_request req;
    cors_result res;
    char full[600], buf[600];
    size_t n, size;

    cors_request_init(&req);
    req.method = "OPTIONS";
    req.method_len = 7;
    req.origin = APP;
    req.origin_len = strlen(APP);
    req.request_method = "PATCH";
    req.request_method_len = 5;
    cors_result_init(&res);
    ck_assert_int_eq(cors_evaluate(p, &req, NULL, NULL, &res), CORS_OK);
    n = cors_result_describe(p, &res, full, sizeof full);
    ck_assert_uint_gt(n, 20);
    ck_assert_uint_eq(cors_result_describe(p, &res, NULL, 0), n);
    memset(buf, 'Z', sizeof buf);
    ck_assert_uint_eq(cors_result_describe(p, &res, buf, 0), n);
    ck_assert_int_eq(buf[0], 'Z');
    for (size = 1; size <= n + 2; size++) {
        size_t kept = size - 1 < n ? size - 1 : n;
        memset(buf, 'Z', sizeof buf);
        ck_assert_uint_eq(cors_result_describe(p, &res, buf, size), n);
        ck_assert_int_eq(memcmp(buf, full, kept), 0);
        ck_assert_int_eq(buf[kept], '\0');
        ck_assert_int_eq(buf[size], 'Z');
    }
    /* NULL result, small buffer */
    memset(buf, 'Z', sizeof buf);
    ck_assert_uint_eq(cors_result_describe(NULL, NULL, buf, 3), strlen("no result"));
    ck_assert_str_eq(buf, "no");
    ck_assert_int_eq(buf[3], 'Z');
    cors_policy_free(p);
}
END_TEST

/* -------------------------------------------------------------- version */

START_TEST(test_version)
{
    char s[64];

    ck_assert_uint_eq(cors_version(), CORS_VERSION_NUMBER);
    ck_assert_uint_eq(cors_version(), ((unsigned)CORS_VERSION_MAJOR << 16) |
                                          ((unsigned)CORS_VERSION_MINOR << 8) |
                                          (unsigned)CORS_VERSION_PATCH);
    ck_assert_ptr_nonnull(cors_version_string());
    ck_assert_str_eq(cors_version_string(), CORS_VERSION_STRING);
    snprintf(s, sizeof s, "%d.%d.%d", CORS_VERSION_MAJOR, CORS_VERSION_MINOR, CORS_VERSION_PATCH);
    ck_assert_str_eq(cors_version_string(), s);
#ifdef PACKAGE_VERSION
    /* configure.ac's AC_INIT version and cors.h must be bumped together */
    ck_assert_str_eq(PACKAGE_VERSION, CORS_VERSION_STRING);
#else
    ck_abort_msg("PACKAGE_VERSION is not defined: build with config.h (-DHAVE_CONFIG_H)");
#endif
}
END_TEST

/* ------------------------------------------------------- NULL arguments */

enum {
    N_ORIGIN_B,
    N_ORIGIN_S,
    N_METHOD_B,
    N_METHOD_S,
    N_HEADER_B,
    N_HEADER_S,
    N_EXPOSE_B,
    N_EXPOSE_S,
    N_CREDENTIALS_B,
    N_MAX_AGE_B,
    N_PNA_B,
    N_STATUS_B,
    N_DENIED_STATUS_B,
    N_DANGER_B,
    N_DANGER_0,
    N_DANGER_3,
    N_DANGER_NEG,
    N_PARSE_B,
    N_PARSE_S,
    N_BUILD_B,
    N_BUILD_OUT,
    N_COUNT
};

/* Every builder function given a NULL builder or a length without a
   pointer refuses with CORS_ERR_INVALID_ARGUMENT and records nothing. */
START_TEST(test_null_arguments)
{
    cors_builder *b = cors_builder_new(NULL);
    cors_policy *p = NULL;
    cors_error e;

    ck_assert_ptr_nonnull(b);
    switch (_i) {
    case N_ORIGIN_B:
        e = cors_builder_allow_origin(NULL, S("https://a.example"));
        break;
    case N_ORIGIN_S:
        e = cors_builder_allow_origin(b, NULL, 5);
        break;
    case N_METHOD_B:
        e = cors_builder_allow_method(NULL, S("PUT"));
        break;
    case N_METHOD_S:
        e = cors_builder_allow_method(b, NULL, 3);
        break;
    case N_HEADER_B:
        e = cors_builder_allow_header(NULL, S("X-A"));
        break;
    case N_HEADER_S:
        e = cors_builder_allow_header(b, NULL, 3);
        break;
    case N_EXPOSE_B:
        e = cors_builder_expose_header(NULL, S("X-A"));
        break;
    case N_EXPOSE_S:
        e = cors_builder_expose_header(b, NULL, 3);
        break;
    case N_CREDENTIALS_B:
        e = cors_builder_allow_credentials(NULL, 1);
        break;
    case N_MAX_AGE_B:
        e = cors_builder_set_max_age(NULL, 60);
        break;
    case N_PNA_B:
        e = cors_builder_allow_private_network(NULL, 1);
        break;
    case N_STATUS_B:
        e = cors_builder_set_preflight_status(NULL, 204);
        break;
    case N_DENIED_STATUS_B:
        e = cors_builder_set_denied_status(NULL, 404);
        break;
    case N_DANGER_B:
        e = cors_builder_allow_danger(NULL, CORS_DANGER_INSECURE_ORIGINS_WITH_CREDENTIALS, 1);
        break;
    case N_DANGER_0:
        e = cors_builder_allow_danger(b, (cors_danger)0, 1);
        break;
    case N_DANGER_3:
        e = cors_builder_allow_danger(b, (cors_danger)5, 1);
        break;
    case N_DANGER_NEG:
        e = cors_builder_allow_danger(b, (cors_danger)-1, 1);
        break;
    case N_PARSE_B:
        e = cors_builder_parse(NULL, S("allow-origin *\n"));
        break;
    case N_PARSE_S:
        e = cors_builder_parse(b, NULL, 10);
        break;
    case N_BUILD_B:
        e = cors_builder_build(NULL, &p);
        break;
    default:
        e = cors_builder_build(b, NULL);
        break;
    }
    ck_assert_int_eq(e, CORS_ERR_INVALID_ARGUMENT);
    ck_assert_ptr_null(p);
    ck_assert_uint_eq(cors_builder_diagnostic_count(b), 0);
    ck_assert_uint_eq(cors_builder_error_count(b), 0);
    /* the builder is untouched and still works */
    ck_assert_int_eq(cors_builder_allow_origin(b, S("https://a.example")), CORS_OK);
    ck_assert_int_eq(cors_builder_build(b, &p), CORS_OK);
    ck_assert_ptr_nonnull(p);
    cors_policy_free(p);
    cors_builder_free(b);
}
END_TEST

/* The accepted counterparts: NULL with length 0 is an empty string, and
   the functions that take NULL as "nothing" do so quietly. */
START_TEST(test_null_accepted)
{
    cors_builder *b = cors_builder_new(NULL);
    char buf[8] = "ZZZZZZZ";
    size_t before;

    ck_assert_int_eq(cors_builder_parse(b, NULL, 0), CORS_OK);
    ck_assert_uint_eq(cors_builder_diagnostic_count(b), 0);
    /* an empty value is a value, refused with a message */
    ck_assert_int_eq(cors_builder_allow_origin(b, NULL, 0), CORS_ERR_ORIGIN);
    ck_assert_int_eq(cors_builder_allow_method(b, NULL, 0), CORS_ERR_METHOD);
    ck_assert_int_eq(cors_builder_allow_header(b, NULL, 0), CORS_ERR_HEADER);
    ck_assert_int_eq(cors_builder_expose_header(b, NULL, 0), CORS_ERR_EXPOSE_HEADER);
    ck_assert_uint_eq(cors_builder_error_count(b), 4);
    before = cors_builder_diagnostic_count(b);
    ck_assert_uint_eq(before, 4);
    ck_assert_ptr_null(cors_builder_diagnostic(b, before));
    ck_assert_ptr_null(cors_builder_diagnostic(b, (size_t)-1));
    ck_assert_int_eq(cors_builder_allow_danger(b, CORS_DANGER_TLD_WILDCARD_WITH_CREDENTIALS, 1),
                     CORS_OK);
    ck_assert_int_eq(cors_builder_allow_danger(b, CORS_DANGER_TLD_WILDCARD_WITH_CREDENTIALS, 0),
                     CORS_OK);
    cors_builder_free(b);

    ck_assert_uint_eq(cors_builder_diagnostic_count(NULL), 0);
    ck_assert_uint_eq(cors_builder_error_count(NULL), 0);
    ck_assert_ptr_null(cors_builder_diagnostic(NULL, 0));
    cors_builder_free(NULL);
    cors_policy_free(NULL);
    cors_request_init(NULL);
    cors_result_init(NULL);
    ck_assert_uint_eq(cors_policy_to_text(NULL, NULL, 0), 0);
    ck_assert_uint_eq(cors_policy_to_text(NULL, buf, sizeof buf), 0);
    ck_assert_int_eq(buf[0], '\0');
    ck_assert_int_eq(buf[1], 'Z');
}
END_TEST

/* ------------------------------------------------------------ allocator */

static void *my_malloc(size_t n, void *ud)
{
    ++*(int *)ud;
    return malloc(n);
}

static void my_free(void *ptr, void *ud)
{
    --*(int *)ud;
    free(ptr);
}

START_TEST(test_allocator_incomplete)
{
    int live = 0;
    cors_allocator no_malloc = {NULL, my_free, &live};
    cors_allocator no_free = {my_malloc, NULL, &live};
    cors_allocator neither = {NULL, NULL, NULL};
    cors_allocator both = {my_malloc, my_free, &live};
    cors_builder *b;

    ck_assert_ptr_null(cors_builder_new(&no_malloc));
    ck_assert_ptr_null(cors_builder_new(&no_free));
    ck_assert_ptr_null(cors_builder_new(&neither));
    ck_assert_int_eq(live, 0);
    b = cors_builder_new(&both);
    ck_assert_ptr_nonnull(b);
    ck_assert_int_gt(live, 0);
    cors_builder_free(b);
    ck_assert_int_eq(live, 0);
    b = cors_builder_new(NULL);
    ck_assert_ptr_nonnull(b);
    cors_builder_free(b);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("errors");
    TCase *tc = tcase_create("core");

    tcase_add_loop_test(tc, test_strerror_every_code, CORS_OK, CORS_ERR_FILE + 1);
    tcase_add_loop_test(tc, test_outcome_every_value, CORS_OUTCOME_NOT_CORS,
                        CORS_OUTCOME_SAME_ORIGIN + 1);
    tcase_add_loop_test(tc, test_reason_every_value, CORS_REASON_NONE,
                        CORS_REASON_FIELD_REPEATED + 1);
    tcase_add_test(tc, test_tokens_pinned);
    tcase_add_loop_test(tc, test_out_of_range, 0, NCASES(out_of_range));
    tcase_add_loop_test(tc, test_diagnostic_messages, 0, NCASES(diag_cases));
    tcase_add_test(tc, test_diagnostic_long_value);
    tcase_add_test(tc, test_all_messages_printable);
    tcase_add_loop_test(tc, test_describe, 0, NCASES(describe_cases));
    tcase_add_test(tc, test_describe_built_results);
    tcase_add_test(tc, test_describe_snprintf);
    tcase_add_test(tc, test_version);
    tcase_add_loop_test(tc, test_null_arguments, 0, N_COUNT);
    tcase_add_test(tc, test_null_accepted);
    tcase_add_test(tc, test_allocator_incomplete);
#undef N
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return tu_main(suite());
}
