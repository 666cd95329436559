/*
 * check_headers.c - request headers (allow-headers, Access-Control-Request-
 * Headers, Access-Control-Allow-Headers) and exposed response headers.
 *
 * Header names are case-insensitive (Fetch 2.2 "header name"); "*" never
 * stands for Authorization (Fetch 4.8 step 7.7) and, with credentials, is
 * read by browsers as a literal name (step 7.6), so the request's names are
 * echoed instead.  Access-Control-Request-Headers is bounded: past
 * CORS_MAX_REQUEST_HEADERS_BYTES bytes or CORS_MAX_REQUEST_HEADERS_NAMES
 * names a preflight is denied without reading the value.
 */
#include "testutil.h"


#define ORIGIN "https://app.example.com"
#define VARY_PREFLIGHT "Origin, Access-Control-Request-Method, Access-Control-Request-Headers"

/* A policy for ORIGIN allowing PUT, with the given allow-headers values
   (none when NULL) and credentials. */
static cors_policy *headers_policy(const char *headers, int credentials)
{
    char text[512];

    snprintf(text, sizeof text, "allow-origin " ORIGIN "\nallow-methods PUT\n%s%s%s%s",
             headers ? "allow-headers " : "", headers ? headers : "", headers ? "\n" : "",
             credentials ? "allow-credentials on\n" : "");
    return tu_policy(text);
}

static void preflight_request(cors_request *req, const cors_str *lines, size_t nlines)
{
    cors_request_init(req);
    req->method = "OPTIONS";
    req->method_len = 7;
    req->origin = ORIGIN;
    req->origin_len = strlen(ORIGIN);
    req->request_method = "PUT";
    req->request_method_len = 3;
    req->request_headers = lines;
    req->request_headers_count = nlines;
}

/* A preflight whose Access-Control-Request-Headers has nlines lines. */
static cors_error preflight(const cors_policy *p, const cors_str *lines, size_t nlines,
                            tu_capture *c, cors_result *res)
{
    cors_request req;

    preflight_request(&req, lines, nlines);
    return tu_run_request(p, &req, c, res);
}

/* A denied preflight has no Access-Control-* header, only Vary. */
static void assert_denied(const tu_capture *c, const cors_result *res, cors_reason reason)
{
    ck_assert_int_eq(res->outcome, CORS_OUTCOME_PREFLIGHT_DENIED);
    ck_assert_int_eq(res->status, 403);
    ck_assert_msg(res->reason == reason, "reason: %s, expected %s",
                  cors_reason_string(res->reason), cors_reason_string(reason));
    ck_assert_uint_eq(c->n, 1);
    ck_assert_str_eq(tu_get(c, "Vary"), VARY_PREFLIGHT);
}

/* ------------------------------------------------------ allow-headers */

typedef struct name_case {
    const char *name;
    size_t len;
    cors_error err;
    const char *lower;    /* as kept, for accepted names */
    const char *message;  /* part of the error, or of a warning; NULL: no diagnostic */
} name_case;

static const name_case name_cases[] = {
    {S("X-Requested-With"), CORS_OK, "x-requested-with", NULL},
    {S("X-CUSTOM"), CORS_OK, "x-custom", NULL},
    {S("x-custom"), CORS_OK, "x-custom", NULL},
    {S("Content-Type"), CORS_OK, "content-type", NULL},
    {S("Authorization"), CORS_OK, "authorization", NULL},
    {S("X_Custom.v1~!#$%&'+^`|"), CORS_OK, "x_custom.v1~!#$%&'+^`|", NULL},
    /* near misses of forbidden names */
    {S("X-Cookie"), CORS_OK, "x-cookie", NULL},
    {S("Cookies"), CORS_OK, "cookies", NULL},
    {S("Secret"), CORS_OK, "secret", NULL},
    {S("Proxy"), CORS_OK, "proxy", NULL},
    {S("X-Sec-Token"), CORS_OK, "x-sec-token", NULL},
    {S("Hosts"), CORS_OK, "hosts", NULL},
    {S("Origin-Trial"), CORS_OK, "origin-trial", NULL},
    {S("Content-Length-Hint"), CORS_OK, "content-length-hint", NULL},
    /* safelisted: accepted without a warning, since browsers ask for them
       when their values are unusual */
    {S("Accept"), CORS_OK, "accept", NULL},
    {S("Accept-Language"), CORS_OK, "accept-language", NULL},
    {S("content-language"), CORS_OK, "content-language", NULL},
    {S("Range"), CORS_OK, "range", NULL},
    /* CORS response headers are no request headers (issue 13) */
    {S("Access-Control-Allow-Origin"), CORS_ERR_HEADER, NULL, "CORS response header"},
    {S("access-control-allow-credentials"), CORS_ERR_HEADER, NULL, "CORS response header"},
    {S("Access-Control-Allow-Methods"), CORS_ERR_HEADER, NULL, "CORS response header"},
    {S("Access-Control-Allow-Headers"), CORS_ERR_HEADER, NULL, "CORS response header"},
    {S("Access-Control-Allow-Private-Network"), CORS_ERR_HEADER, NULL, "CORS response header"},
    {S("Access-Control-Expose-Headers"), CORS_ERR_HEADER, NULL, "CORS response header"},
    {S("Access-Control-Max-Age"), CORS_ERR_HEADER, NULL, "CORS response header"},
    {S("Access-Control-Allow"), CORS_OK, "access-control-allow", NULL},
    {S("Access-Control-Max-Ages"), CORS_OK, "access-control-max-ages", NULL},
    /* Fetch 2.2.2 forbidden request-headers */
    {S("Cookie"), CORS_ERR_HEADER, NULL, "forbidden request header"},
    {S("cookie"), CORS_ERR_HEADER, NULL, "forbidden request header"},
    {S("Cookie2"), CORS_ERR_HEADER, NULL, "forbidden request header"},
    {S("Origin"), CORS_ERR_HEADER, NULL, "forbidden request header"},
    {S("HOST"), CORS_ERR_HEADER, NULL, "forbidden request header"},
    {S("Referer"), CORS_ERR_HEADER, NULL, "forbidden request header"},
    {S("Content-Length"), CORS_ERR_HEADER, NULL, "forbidden request header"},
    {S("Connection"), CORS_ERR_HEADER, NULL, "forbidden request header"},
    {S("Keep-Alive"), CORS_ERR_HEADER, NULL, "forbidden request header"},
    {S("Accept-Charset"), CORS_ERR_HEADER, NULL, "forbidden request header"},
    {S("Accept-Encoding"), CORS_ERR_HEADER, NULL, "forbidden request header"},
    {S("Access-Control-Request-Headers"), CORS_ERR_HEADER, NULL, "forbidden request header"},
    {S("Access-Control-Request-Method"), CORS_ERR_HEADER, NULL, "forbidden request header"},
    {S("Date"), CORS_ERR_HEADER, NULL, "forbidden request header"},
    {S("DNT"), CORS_ERR_HEADER, NULL, "forbidden request header"},
    {S("Expect"), CORS_ERR_HEADER, NULL, "forbidden request header"},
    {S("Set-Cookie"), CORS_ERR_HEADER, NULL, "forbidden request header"},
    {S("TE"), CORS_ERR_HEADER, NULL, "forbidden request header"},
    {S("Trailer"), CORS_ERR_HEADER, NULL, "forbidden request header"},
    {S("Transfer-Encoding"), CORS_ERR_HEADER, NULL, "forbidden request header"},
    {S("Upgrade"), CORS_ERR_HEADER, NULL, "forbidden request header"},
    {S("Via"), CORS_ERR_HEADER, NULL, "forbidden request header"},
    {S("Sec-Fetch-Mode"), CORS_ERR_HEADER, NULL, "forbidden request header"},
    {S("sec-ch-ua"), CORS_ERR_HEADER, NULL, "forbidden request header"},
    {S("Sec-"), CORS_ERR_HEADER, NULL, "forbidden request header"},
    {S("Proxy-Authorization"), CORS_ERR_HEADER, NULL, "forbidden request header"},
    {S("proxy-x"), CORS_ERR_HEADER, NULL, "forbidden request header"},
    /* not tokens */
    {S(""), CORS_ERR_HEADER, NULL, "a header name is a token"},
    {S("X Custom"), CORS_ERR_HEADER, NULL, "a header name is a token"},
    {S("X-Custom:"), CORS_ERR_HEADER, NULL, "a header name is a token"},
    {S("X-Custom: 1"), CORS_ERR_HEADER, NULL, "a header name is a token"},
    {S("X(Custom)"), CORS_ERR_HEADER, NULL, "a header name is a token"},
    {S("\"X-Custom\""), CORS_ERR_HEADER, NULL, "a header name is a token"},
    {S("X-Custom\r\n"), CORS_ERR_HEADER, NULL, "a header name is a token"},
    {S("X-Custom\r\nSet-Cookie"), CORS_ERR_HEADER, NULL, "a header name is a token"},
    {S("X-\0Custom"), CORS_ERR_HEADER, NULL, "a header name is a token"},
    {S("X-C\xc3\xbcstom"), CORS_ERR_HEADER, NULL, "a header name is a token"},
    {S("@x"), CORS_ERR_HEADER, NULL, "a header name is a token"},
    {S("x,y"), CORS_ERR_HEADER, NULL, "a header name is a token"},
    {S("x/y"), CORS_ERR_HEADER, NULL, "a header name is a token"},
    {S("x\ty"), CORS_ERR_HEADER, NULL, "a header name is a token"},
};

START_TEST(test_allow_header)
{
    const name_case *k = &name_cases[_i];
    cors_builder *b = cors_builder_new(NULL);
    cors_policy *p = NULL;
    const cors_diagnostic *d;
    char text[1024], want[300];

    ck_assert_ptr_nonnull(b);
    ck_assert_int_eq(cors_builder_allow_origin(b, S(ORIGIN)), CORS_OK);
    ck_assert_int_eq(cors_builder_allow_header(b, k->name, k->len), k->err);
    if (k->err != CORS_OK) {
        ck_assert_uint_eq(cors_builder_error_count(b), 1);
        d = cors_builder_diagnostic(b, cors_builder_diagnostic_count(b) - 1);
        ck_assert_int_eq(d->code, CORS_ERR_HEADER);
        ck_assert_msg(strstr(d->message, k->message) != NULL, "message: %s", d->message);
        ck_assert(strchr(d->message, '\r') == NULL && strchr(d->message, '\n') == NULL);
        ck_assert_int_eq(cors_builder_build(b, &p), CORS_ERR_POLICY);
        cors_builder_free(b);
        return;
    }
    if (k->message)
        ck_assert_msg(tu_has_diag(b, CORS_SEVERITY_WARNING, k->message), "no warning for %s",
                      k->name);
    else
        ck_assert_uint_eq(cors_builder_diagnostic_count(b), 0);
    ck_assert_int_eq(cors_builder_build(b, &p), CORS_OK);
    cors_builder_free(b);
    ck_assert_uint_lt(cors_policy_to_text(p, text, sizeof text), sizeof text);
    snprintf(want, sizeof want, "\nallow-headers %s\n", k->lower);
    ck_assert_msg(strstr(text, want) != NULL, "policy text:\n%s", text);
    cors_policy_free(p);
}
END_TEST

/* Names are matched case-insensitively and sent lower-cased. */
START_TEST(test_case_insensitive)
{
    static const char *const asked[] = {"x-custom", "X-Custom", "X-CUSTOM", "x-CuStOm"};
    cors_policy *p = headers_policy("X-Custom", 0);
    tu_capture c;
    cors_result res;
    cors_str line;
    size_t i;

    for (i = 0; i < sizeof asked / sizeof asked[0]; i++) {
        line.ptr = asked[i];
        line.len = strlen(asked[i]);
        ck_assert_int_eq(preflight(p, &line, 1, &c, &res), CORS_OK);
        ck_assert_int_eq(res.outcome, CORS_OUTCOME_PREFLIGHT_ACCEPTED);
        ck_assert_str_eq(tu_get(&c, "Access-Control-Allow-Headers"), "x-custom");
    }
    line.ptr = "x-customs";
    line.len = 9;
    ck_assert_int_eq(preflight(p, &line, 1, &c, &res), CORS_OK);
    assert_denied(&c, &res, CORS_REASON_HEADER_NOT_ALLOWED);
    ck_assert(res.detail == line.ptr && res.detail_len == 9);
    cors_policy_free(p);
}
END_TEST

/* A name is a token of at most 256 bytes. */
START_TEST(test_long_name)
{
    char name[258];
    cors_builder *b = cors_builder_new(NULL);

    ck_assert_ptr_nonnull(b);
    memset(name, 'x', sizeof name);
    ck_assert_int_eq(cors_builder_allow_header(b, name, 256), CORS_OK);
    ck_assert_int_eq(cors_builder_allow_header(b, name, 257), CORS_ERR_HEADER);
    ck_assert(tu_has_diag(b, CORS_SEVERITY_ERROR, "longer than 256 bytes"));
    ck_assert_int_eq(cors_builder_expose_header(b, name, 256), CORS_OK);
    ck_assert_int_eq(cors_builder_expose_header(b, name, 257), CORS_ERR_EXPOSE_HEADER);
    cors_builder_free(b);
}
END_TEST

/* --------------------------------------------------- "*" and echoing */

typedef struct star_case {
    const char *headers;  /* allow-headers values, NULL for none */
    int credentials;
    const char *lines[3]; /* Access-Control-Request-Headers lines */
    cors_reason reason;
    const char *allow;    /* Access-Control-Allow-Headers, NULL: not sent */
    const char *detail;   /* for HEADER_NOT_ALLOWED */
} star_case;

static const star_case star_cases[] = {
    {"*", 0, {"x-a"}, CORS_REASON_NONE, "*", NULL},
    {"*", 0, {"x-a", "x-b"}, CORS_REASON_NONE, "*", NULL},
    {"*", 0, {NULL}, CORS_REASON_NONE, "*", NULL},
    {"*", 0, {"authorization"}, CORS_REASON_HEADER_NOT_ALLOWED, NULL, "authorization"},
    {"*", 0, {"Authorization"}, CORS_REASON_HEADER_NOT_ALLOWED, NULL, "Authorization"},
    {"*", 0, {"x-a, AUTHORIZATION"}, CORS_REASON_HEADER_NOT_ALLOWED, NULL, "AUTHORIZATION"},
    {"*", 0, {"x-a", "authorization"}, CORS_REASON_HEADER_NOT_ALLOWED, NULL, "authorization"},
    {"* authorization", 0, {"authorization"}, CORS_REASON_NONE, "*, authorization", NULL},
    {"* Authorization", 0, {"x-a,authorization"}, CORS_REASON_NONE, "*, authorization", NULL},
    {"authorization", 0, {"Authorization"}, CORS_REASON_NONE, "authorization", NULL},
    {"authorization", 0, {"x-a"}, CORS_REASON_HEADER_NOT_ALLOWED, NULL, "x-a"},
    /* with credentials "*" echoes the requested names */
    {"*", 1, {"x-a"}, CORS_REASON_NONE, "x-a", NULL},
    {"*", 1, {"X-A, x-b"}, CORS_REASON_NONE, "X-A, x-b", NULL},
    {"*", 1, {" x-a,x-b "}, CORS_REASON_NONE, "x-a,x-b", NULL},
    {"*", 1, {"x-a", "x-b, x-c"}, CORS_REASON_NONE, "x-a, x-b, x-c", NULL},
    {"*", 1, {" x-a ,", "", ",x-b"}, CORS_REASON_NONE, "x-a, x-b", NULL},
    {"*", 1, {NULL}, CORS_REASON_NONE, NULL, NULL},
    {"*", 1, {""}, CORS_REASON_NONE, NULL, NULL},
    {"*", 1, {" , "}, CORS_REASON_NONE, NULL, NULL},
    {"*", 1, {"authorization"}, CORS_REASON_HEADER_NOT_ALLOWED, NULL, "authorization"},
    {"*", 1, {"x-a", "x-b,Authorization"}, CORS_REASON_HEADER_NOT_ALLOWED, NULL, "Authorization"},
    {"* authorization", 1, {"authorization,x-a"}, CORS_REASON_NONE, "authorization,x-a", NULL},
    /* a list */
    {"X-A X-B", 0, {"x-a"}, CORS_REASON_NONE, "x-a, x-b", NULL},
    {"X-A X-B", 1, {"x-b,x-a"}, CORS_REASON_NONE, "x-a, x-b", NULL},
    {"X-A X-B", 0, {"x-a", "x-b"}, CORS_REASON_NONE, "x-a, x-b", NULL},
    {"X-A X-B", 0, {"x-a,x-c"}, CORS_REASON_HEADER_NOT_ALLOWED, NULL, "x-c"},
    {"X-A X-B", 0, {"x-a", "x-c"}, CORS_REASON_HEADER_NOT_ALLOWED, NULL, "x-c"},
    {NULL, 0, {"x-a"}, CORS_REASON_HEADER_NOT_ALLOWED, NULL, "x-a"},
    {NULL, 0, {""}, CORS_REASON_NONE, NULL, NULL},
    {NULL, 0, {NULL}, CORS_REASON_NONE, NULL, NULL},
};

START_TEST(test_star)
{
    const star_case *k = &star_cases[_i];
    cors_policy *p = headers_policy(k->headers, k->credentials);
    cors_str lines[3];
    size_t n = 0;
    tu_capture c;
    cors_result res;
    const char *allow;

    while (n < 3 && k->lines[n]) {
        lines[n].ptr = k->lines[n];
        lines[n].len = strlen(k->lines[n]);
        n++;
    }
    ck_assert_int_eq(preflight(p, lines, n, &c, &res), CORS_OK);
    if (k->reason != CORS_REASON_NONE) {
        assert_denied(&c, &res, k->reason);
        ck_assert(res.detail_len == strlen(k->detail) &&
                  memcmp(res.detail, k->detail, res.detail_len) == 0);
        cors_policy_free(p);
        return;
    }
    ck_assert_msg(res.outcome == CORS_OUTCOME_PREFLIGHT_ACCEPTED, "case %d: %s", _i,
                  cors_reason_string(res.reason));
    allow = tu_get(&c, "Access-Control-Allow-Headers");
    if (k->allow) {
        ck_assert_ptr_nonnull(allow);
        ck_assert_str_eq(allow, k->allow);
        ck_assert_uint_eq(tu_flags(&c, "Access-Control-Allow-Headers"), CORS_HEADER_SET);
    } else {
        ck_assert_ptr_null(allow);
    }
    cors_policy_free(p);
}
END_TEST

/* The same through cors_evaluate_headers(): one line is echoed from the
   request itself, several need the caller's scratch buffer. */
START_TEST(test_echo_array)
{
    cors_policy *p = headers_policy("*", 1);
    static const cors_str one[] = {{S("x-a, x-b")}};
    static const cors_str several[] = {{S("x-a")}, {S(" x-b ,x-c")}, {S(",")}};
    static char scratch[CORS_SCRATCH_SIZE];
    char small[8];
    cors_header h[CORS_MAX_HEADERS];
    size_t count, i;
    cors_request req;
    cors_result res;
    const cors_header *allow;

    /* one line: no scratch needed, the value points into the request */
    preflight_request(&req, one, 1);
    cors_result_init(&res);
    ck_assert_int_eq(
        cors_evaluate_headers(p, &req, h, CORS_MAX_HEADERS, &count, NULL, 0, &res), CORS_OK);
    ck_assert_int_eq(res.outcome, CORS_OUTCOME_PREFLIGHT_ACCEPTED);
    for (allow = NULL, i = 0; i < count; i++)
        if (h[i].name_len == 28 && memcmp(h[i].name, "Access-Control-Allow-Headers", 28) == 0)
            allow = &h[i];
    ck_assert_ptr_nonnull(allow);
    ck_assert(allow->value == one[0].ptr && allow->value_len == one[0].len);

    /* several lines: joined into scratch */
    preflight_request(&req, several, 3);
    cors_result_init(&res);
    ck_assert_int_eq(cors_evaluate_headers(p, &req, h, CORS_MAX_HEADERS, &count, scratch,
                                           sizeof scratch, &res),
                     CORS_OK);
    for (allow = NULL, i = 0; i < count; i++)
        if (h[i].name_len == 28 && memcmp(h[i].name, "Access-Control-Allow-Headers", 28) == 0)
            allow = &h[i];
    ck_assert_ptr_nonnull(allow);
    ck_assert(allow->value >= scratch && allow->value < scratch + sizeof scratch);
    ck_assert(allow->value_len == 13 && memcmp(allow->value, "x-a, x-b ,x-c", 13) == 0);

    /* ...and without it, or with too little, the caller is told */
    cors_result_init(&res);
    ck_assert_int_eq(
        cors_evaluate_headers(p, &req, h, CORS_MAX_HEADERS, &count, NULL, 0, &res),
        CORS_ERR_BUFFER_TOO_SMALL);
    cors_result_init(&res);
    ck_assert_int_eq(cors_evaluate_headers(p, &req, h, CORS_MAX_HEADERS, &count, small,
                                           sizeof small, &res),
                     CORS_ERR_BUFFER_TOO_SMALL);
    cors_policy_free(p);

    /* without credentials "*" is sent as it is: no scratch needed */
    p = headers_policy("*", 0);
    cors_result_init(&res);
    ck_assert_int_eq(
        cors_evaluate_headers(p, &req, h, CORS_MAX_HEADERS, &count, NULL, 0, &res), CORS_OK);
    ck_assert_int_eq(res.outcome, CORS_OUTCOME_PREFLIGHT_ACCEPTED);
    cors_policy_free(p);
}
END_TEST

/* ----------------------------------------------------------- parsing */

typedef struct parse_case {
    const char *line;
    size_t len;
    cors_reason reason;
    const char *echo; /* echoed with credentials; NULL: no Allow-Headers */
} parse_case;

#define C8 ",,,,,,,,"
static const parse_case parse_cases[] = {
    {S("x-a"), CORS_REASON_NONE, "x-a"},
    {S("x-a,x-b"), CORS_REASON_NONE, "x-a,x-b"},
    {S("x-a, x-b"), CORS_REASON_NONE, "x-a, x-b"},
    {S("x-a ,  x-b"), CORS_REASON_NONE, "x-a ,  x-b"},
    {S(" \tx-a\t, x-b \t"), CORS_REASON_NONE, "x-a\t, x-b"},
    {S("x-a,,x-b"), CORS_REASON_NONE, "x-a,,x-b"},
    {S(",x-a"), CORS_REASON_NONE, "x-a"},
    {S("x-a,"), CORS_REASON_NONE, "x-a"},
    {S(" , x-a , "), CORS_REASON_NONE, "x-a"},
    {S(""), CORS_REASON_NONE, NULL},
    {S("  "), CORS_REASON_NONE, NULL},
    {S(",, ,"), CORS_REASON_NONE, NULL},
    /* a few empty elements, at most 16 */
    {S(C8 "," "," "," "," "," "," ","), CORS_REASON_NONE, NULL},       /* 15 commas: 16 */
    {S(C8 C8), CORS_REASON_HEADERS_MALFORMED, NULL},                   /* 16 commas: 17 */
    {S("x-a" C8 C8), CORS_REASON_NONE, "x-a"},                         /* 16 */
    {S("x-a" C8 C8 ","), CORS_REASON_HEADERS_MALFORMED, NULL},         /* 17 */
    {S("x-a" C8 "x-b" C8 ","), CORS_REASON_NONE, "x-a" C8 "x-b"},    /* 7 + 9 */
    {S("x-a" C8 "x-b" C8 ",,"), CORS_REASON_HEADERS_MALFORMED, NULL}, /* 7 + 10 */
    /* anything but tokens, commas, spaces and tabs */
    {S("x a"), CORS_REASON_HEADERS_MALFORMED, NULL},
    {S("x-a x-b"), CORS_REASON_HEADERS_MALFORMED, NULL},
    {S("x-a, x-b x-c"), CORS_REASON_HEADERS_MALFORMED, NULL},
    {S("x-a;x-b"), CORS_REASON_HEADERS_MALFORMED, NULL},
    {S("x-a:1"), CORS_REASON_HEADERS_MALFORMED, NULL},
    {S("x-a/1"), CORS_REASON_HEADERS_MALFORMED, NULL},
    {S("(x-a)"), CORS_REASON_HEADERS_MALFORMED, NULL},
    {S("\"x-a\""), CORS_REASON_HEADERS_MALFORMED, NULL},
    {S("x-a\r\n"), CORS_REASON_HEADERS_MALFORMED, NULL},
    {S("x-a,\rx-b"), CORS_REASON_HEADERS_MALFORMED, NULL},
    {S("x-a\nx-b"), CORS_REASON_HEADERS_MALFORMED, NULL},
    {S("x-a\r\nSet-Cookie: a=b"), CORS_REASON_HEADERS_MALFORMED, NULL},
    {S("x-\0a"), CORS_REASON_HEADERS_MALFORMED, NULL},
    {S("x-a\0"), CORS_REASON_HEADERS_MALFORMED, NULL},
    {S("x-\xc3\xa4"), CORS_REASON_HEADERS_MALFORMED, NULL},
    {S("x-a,\x7f"), CORS_REASON_HEADERS_MALFORMED, NULL},
    {S("\v"), CORS_REASON_HEADERS_MALFORMED, NULL},
    /* Authorization is never covered by "*" */
    {S("x-a, authorization"), CORS_REASON_HEADER_NOT_ALLOWED, NULL},
};

START_TEST(test_parse)
{
    const parse_case *k = &parse_cases[_i];
    int credentials;

    for (credentials = 0; credentials <= 1; credentials++) {
        cors_policy *p = headers_policy("*", credentials);
        cors_str line;
        tu_capture c;
        cors_result res;
        const char *allow;

        line.ptr = k->line;
        line.len = k->len;
        ck_assert_int_eq(preflight(p, &line, 1, &c, &res), CORS_OK);
        if (k->reason != CORS_REASON_NONE) {
            assert_denied(&c, &res, k->reason);
            if (res.detail)
                ck_assert(res.detail >= k->line && res.detail + res.detail_len <= k->line + k->len);
            cors_policy_free(p);
            continue;
        }
        ck_assert_msg(res.outcome == CORS_OUTCOME_PREFLIGHT_ACCEPTED, "case %d: %s", _i,
                      cors_reason_string(res.reason));
        allow = tu_get(&c, "Access-Control-Allow-Headers");
        if (!credentials) {
            ck_assert_str_eq(allow, "*");
        } else if (k->echo) {
            ck_assert_ptr_nonnull(allow);
            ck_assert_str_eq(allow, k->echo);
        } else {
            ck_assert_ptr_null(allow);
        }
        cors_policy_free(p);
    }
}
END_TEST

/* --------------------------------------------------------------- limits */

typedef struct limit_case {
    size_t lines, names_per_line, name_len;
    cors_reason reason;
} limit_case;

static const limit_case limit_cases[] = {
    {1, 64, 4, CORS_REASON_NONE},
    {1, 65, 4, CORS_REASON_HEADERS_TOO_LONG},
    {4, 16, 4, CORS_REASON_NONE},
    {5, 13, 4, CORS_REASON_HEADERS_TOO_LONG},
    {2, 33, 4, CORS_REASON_HEADERS_TOO_LONG},
    {64, 1, 4, CORS_REASON_NONE},
    {65, 1, 4, CORS_REASON_HEADERS_TOO_LONG},
    {64, 1, 64, CORS_REASON_NONE},  /* 4096 bytes, 64 names */
    {64, 1, 65, CORS_REASON_HEADERS_TOO_LONG},
    {1, 1, 4096, CORS_REASON_NONE},
    {1, 1, 4097, CORS_REASON_HEADERS_TOO_LONG},
    {2, 1, 2048, CORS_REASON_NONE},
    {2, 1, 2049, CORS_REASON_HEADERS_TOO_LONG},
    {1, 16, 255, CORS_REASON_NONE},  /* 16 * 256 - 1 = 4095 bytes */
    {1, 16, 256, CORS_REASON_HEADERS_TOO_LONG},
};

/* Fills buf with a line of names: "h", then digits, then "x" padding to
   name_len bytes; all names differ. */
static size_t make_line(char *buf, size_t first, size_t names, size_t name_len)
{
    size_t i, o = 0;

    for (i = 0; i < names; i++) {
        char num[32];
        int n = snprintf(num, sizeof num, "h%zu", first + i);
        ck_assert(n > 0 && (size_t)n <= name_len);
        if (i)
            buf[o++] = ',';
        memcpy(buf + o, num, (size_t)n);
        memset(buf + o + n, 'x', name_len - (size_t)n);
        o += name_len;
    }
    return o;
}

START_TEST(test_limits)
{
    const limit_case *k = &limit_cases[_i];
    size_t per_line = k->names_per_line * (k->name_len + 1);
    char *text = malloc(k->lines * per_line);
    cors_str *lines = malloc(k->lines * sizeof *lines);
    char *joined = malloc(k->lines * (per_line + 2) + 1);
    static char scratch[CORS_SCRATCH_SIZE];
    size_t i, jl = 0, count;
    int credentials;

    ck_assert(text && lines && joined);
    for (i = 0; i < k->lines; i++) {
        lines[i].ptr = text + i * per_line;
        lines[i].len = make_line(text + i * per_line, i * k->names_per_line, k->names_per_line,
                                 k->name_len);
        if (i) {
            memcpy(joined + jl, ", ", 2);
            jl += 2;
        }
        memcpy(joined + jl, lines[i].ptr, lines[i].len);
        jl += lines[i].len;
    }
    joined[jl] = '\0';

    for (credentials = 0; credentials <= 1; credentials++) {
        cors_policy *p = headers_policy("*", credentials);
        tu_capture c;
        cors_result res;
        cors_request req;
        cors_header h[CORS_MAX_HEADERS];

        ck_assert_int_eq(preflight(p, lines, k->lines, &c, &res), CORS_OK);
        /* Without credentials "*" is the answer whatever was asked, so
           the bounds do not apply (issue 13): only with credentials are
           the names echoed. */
        if (k->reason != CORS_REASON_NONE && credentials) {
            assert_denied(&c, &res, k->reason);
            cors_policy_free(p);
            continue;
        }
        ck_assert_msg(res.outcome == CORS_OUTCOME_PREFLIGHT_ACCEPTED, "case %d: %s", _i,
                      cors_reason_string(res.reason));
        ck_assert_str_eq(tu_get(&c, "Access-Control-Allow-Headers"), credentials ? joined : "*");
        /* the largest echo fits CORS_SCRATCH_SIZE */
        preflight_request(&req, lines, k->lines);
        cors_result_init(&res);
        ck_assert_int_eq(cors_evaluate_headers(p, &req, h, CORS_MAX_HEADERS, &count, scratch,
                                               sizeof scratch, &res),
                         CORS_OK);
        ck_assert_int_eq(res.outcome, CORS_OUTCOME_PREFLIGHT_ACCEPTED);
        cors_policy_free(p);
    }
    free(text);
    free(lines);
    free(joined);
}
END_TEST

/* A huge value is refused before it is read: 1 MiB of commas, spaces or
   names, in one line or many, is denied like any over-long list. */
START_TEST(test_huge)
{
    static const char fill[] = {',', ' ', 'x'};
    const size_t size = (size_t)1 << 20;
    char *big = malloc(size);
    cors_str lines[256];
    cors_policy *p = headers_policy("*", 1);
    tu_capture c;
    cors_result res;
    size_t f, i;

    ck_assert_ptr_nonnull(big);
    for (f = 0; f < sizeof fill; f++) {
        memset(big, fill[f], size);
        lines[0].ptr = big;
        lines[0].len = size;
        ck_assert_int_eq(preflight(p, lines, 1, &c, &res), CORS_OK);
        assert_denied(&c, &res, CORS_REASON_HEADERS_TOO_LONG);
        /* the same megabyte as 256 lines of 4096 bytes */
        for (i = 0; i < 256; i++) {
            lines[i].ptr = big + i * 4096;
            lines[i].len = 4096;
        }
        ck_assert_int_eq(preflight(p, lines, 256, &c, &res), CORS_OK);
        assert_denied(&c, &res, CORS_REASON_HEADERS_TOO_LONG);
        /* ...or as 64 lines, within the line count but not the bytes */
        ck_assert_int_eq(preflight(p, lines, 64, &c, &res), CORS_OK);
        assert_denied(&c, &res, CORS_REASON_HEADERS_TOO_LONG);
    }
    cors_policy_free(p);
    free(big);
}
END_TEST

/* -------------------------------------------------------- expose headers */

typedef struct expose_case {
    const char *text;   /* expose-headers values */
    int credentials;
    const char *value;  /* Access-Control-Expose-Headers on actual responses */
    const char *message; /* part of the first error when it does not build */
} expose_case;

static const expose_case expose_cases[] = {
    {"X-Request-Id, X-Trace", 0, "x-request-id, x-trace", NULL},
    {"X-Request-Id", 1, "x-request-id", NULL},
    {"X-Set-Cookie", 1, "x-set-cookie", NULL},
    {"Content-Type", 0, "content-type", NULL},
    {"*", 0, "*", NULL},
    {"* X-Request-Id", 0, "*", NULL},
    {"*", 1, NULL, "exposed header \"*\" is refused with credentials"},
    {"X-Request-Id *", 1, NULL, "exposed header \"*\" is refused with credentials"},
    {"Set-Cookie", 0, NULL, "forbidden response header"},
    {"set-cookie2", 0, NULL, "forbidden response header"},
    {"SET-COOKIE", 1, NULL, "forbidden response header"},
    {"X-Id;", 0, NULL, "a header name is a token"},
    {"X-Id:1", 0, NULL, "a header name is a token"},
};

START_TEST(test_expose)
{
    const expose_case *k = &expose_cases[_i];
    char text[512], msg[768];
    cors_policy *p;
    tu_capture c;
    cors_result res;

    snprintf(text, sizeof text, "allow-origin " ORIGIN "\nallow-methods PUT\nexpose-headers %s\n%s",
             k->text, k->credentials ? "allow-credentials on\n" : "");
    if (!k->value) {
        ck_assert_int_eq(tu_build_error(text, msg, sizeof msg, NULL), CORS_ERR_POLICY);
        ck_assert_msg(strstr(msg, k->message) != NULL, "message: %s", msg);
        return;
    }
    p = tu_policy(text);
    /* an allowed actual request */
    ck_assert_int_eq(tu_run(p, "GET", ORIGIN, NULL, NULL, &c, &res), CORS_OK);
    ck_assert_int_eq(res.outcome, CORS_OUTCOME_ACTUAL_ALLOWED);
    ck_assert_str_eq(tu_get(&c, "Access-Control-Expose-Headers"), k->value);
    ck_assert_uint_eq(tu_flags(&c, "Access-Control-Expose-Headers"), CORS_HEADER_SET);
    /* never on preflights */
    ck_assert_int_eq(tu_run(p, "OPTIONS", ORIGIN, "PUT", NULL, &c, &res), CORS_OK);
    ck_assert_int_eq(res.outcome, CORS_OUTCOME_PREFLIGHT_ACCEPTED);
    ck_assert_ptr_null(tu_get(&c, "Access-Control-Expose-Headers"));
    /* never for other origins, nor without one */
    ck_assert_int_eq(tu_run(p, "GET", "https://evil.example", NULL, NULL, &c, &res), CORS_OK);
    ck_assert_uint_eq(tu_count_ac(&c), 0);
    ck_assert_int_eq(tu_run(p, "GET", NULL, NULL, NULL, &c, &res), CORS_OK);
    ck_assert_uint_eq(tu_count_ac(&c), 0);
    cors_policy_free(p);
}
END_TEST

/* Through the C API: codes and warnings. */
START_TEST(test_expose_api)
{
    cors_builder *b = cors_builder_new(NULL);
    const cors_diagnostic *d;

    ck_assert_ptr_nonnull(b);
    ck_assert_int_eq(cors_builder_expose_header(b, S("Set-Cookie")), CORS_ERR_EXPOSE_HEADER);
    d = cors_builder_diagnostic(b, 0);
    ck_assert_ptr_nonnull(d);
    ck_assert_int_eq(d->code, CORS_ERR_EXPOSE_HEADER);
    ck_assert_int_eq(cors_builder_expose_header(b, S("X Id")), CORS_ERR_EXPOSE_HEADER);
    ck_assert_int_eq(cors_builder_expose_header(b, S("X-\0Id")), CORS_ERR_EXPOSE_HEADER);
    ck_assert_int_eq(cors_builder_expose_header(b, S("")), CORS_ERR_EXPOSE_HEADER);
    ck_assert_uint_eq(cors_builder_error_count(b), 4);
    ck_assert_int_eq(cors_builder_expose_header(b, S("X-Id")), CORS_OK);
    ck_assert_uint_eq(cors_builder_diagnostic_count(b), 4);
    /* safelisted response headers are always readable: a warning */
    ck_assert_int_eq(cors_builder_expose_header(b, S("Cache-Control")), CORS_OK);
    ck_assert(tu_has_diag(b, CORS_SEVERITY_WARNING, "\"cache-control\" never needs listing"));
    ck_assert_int_eq(cors_builder_expose_header(b, S("Content-Length")), CORS_OK);
    ck_assert(tu_has_diag(b, CORS_SEVERITY_WARNING, "\"content-length\" never needs listing"));
    ck_assert_uint_eq(cors_builder_error_count(b), 4);
    cors_builder_free(b);
}
END_TEST

/* Several echoed lines need the caller's scratch buffer exactly as large
   as the joined value: one or two bytes less is refused, and nothing is
   written past the size given. */
static const struct scratch_case {
    const char *what;
    size_t less;              /* bytes below the joined value's length */
    cors_error expect;
} scratch_cases[] = {
    {"two bytes too small", 2, CORS_ERR_BUFFER_TOO_SMALL},
    {"one byte too small", 1, CORS_ERR_BUFFER_TOO_SMALL},
    {"exact size", 0, CORS_OK},
};

START_TEST(test_scratch_size)
{
    const struct scratch_case *t = &scratch_cases[_i];
    static const cors_str lines[] = {{S("x-one, X-Two")}, {S(" , x-three ")}};
    static const char joined[] = "x-one, X-Two, x-three";
    cors_policy *p = tu_policy("allow-origin https://app.example.com\n"
                               "allow-credentials on\n"
                               "allow-methods *\n"
                               "allow-headers *\n");
    size_t size = sizeof joined - 1 - t->less, count, i;
    char buf[64];
    cors_header h[CORS_MAX_HEADERS];
    cors_request req;
    cors_result res;
    const cors_header *allow = NULL;

    memset(buf, 0xa5, sizeof buf);
    cors_request_init(&req);
    req.method = "OPTIONS";
    req.method_len = 7;
    req.origin = "https://app.example.com";
    req.origin_len = strlen(req.origin);
    req.request_method = "PUT";
    req.request_method_len = 3;
    req.request_headers = lines;
    req.request_headers_count = 2;
    cors_result_init(&res);
    ck_assert_msg(cors_evaluate_headers(p, &req, h, CORS_MAX_HEADERS, &count, buf, size,
                                        &res) == t->expect,
                  "%s", t->what);
    ck_assert_msg((unsigned char)buf[size] == 0xa5, "%s: byte after the buffer written",
                  t->what);
    if (t->expect == CORS_OK) {
        for (i = 0; i < count; i++)
            if (h[i].name_len == 28 && memcmp(h[i].name, "Access-Control-Allow-Headers", 28) == 0)
                allow = &h[i];
        ck_assert_ptr_nonnull(allow);
        ck_assert_msg(allow->value_len == sizeof joined - 1 &&
                          memcmp(allow->value, joined, allow->value_len) == 0,
                      "%s: \"%.*s\"", t->what, (int)allow->value_len, allow->value);
    }
    cors_policy_free(p);
}
END_TEST

static Suite *headers_suite(void)
{
    Suite *s = suite_create("headers");
    TCase *tc = tcase_create("allow");

    tcase_add_loop_test(tc, test_allow_header, 0, NCASES(name_cases));
    tcase_add_test(tc, test_case_insensitive);
    tcase_add_test(tc, test_long_name);
    tcase_add_loop_test(tc, test_star, 0, NCASES(star_cases));
    tcase_add_test(tc, test_echo_array);
    tcase_add_loop_test(tc, test_scratch_size, 0, NCASES(scratch_cases));
    suite_add_tcase(s, tc);

    tc = tcase_create("request-headers");
    tcase_add_loop_test(tc, test_parse, 0, NCASES(parse_cases));
    tcase_add_loop_test(tc, test_limits, 0, NCASES(limit_cases));
    tcase_add_test(tc, test_huge);
    suite_add_tcase(s, tc);

    tc = tcase_create("expose");
    tcase_add_loop_test(tc, test_expose, 0, NCASES(expose_cases));
    tcase_add_test(tc, test_expose_api);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return tu_main(headers_suite());
}
