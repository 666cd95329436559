/*
 * check_methods.c - allowed methods: validation and normalization at
 * build, byte-exact matching of Access-Control-Request-Method, "*", and
 * the Access-Control-Allow-Methods value.
 *
 * Fetch 2.2.1 "normalize a method" upper-cases only DELETE, GET, HEAD,
 * OPTIONS, POST and PUT; every other method travels byte for byte, and the
 * CORS-preflight fetch compares methods case-sensitively (4.8 step 7.1),
 * so "patch" is not "PATCH".
 */
#include "testutil.h"


#define ORIGIN "https://app.example.com"

/* A policy for ORIGIN with the given allow-methods values (none when
   NULL) and credentials. */
static cors_policy *methods_policy(const char *methods, int credentials)
{
    char text[512];

    snprintf(text, sizeof text, "allow-origin " ORIGIN "\n%s%s%s%s", methods ? "allow-methods " : "",
             methods ? methods : "", methods ? "\n" : "",
             credentials ? "allow-credentials on\n" : "");
    return tu_policy(text);
}

/* A preflight asking for acrm (acrm_len bytes). */
static cors_error preflight(const cors_policy *p, const char *acrm, size_t acrm_len,
                            tu_capture *c, cors_result *res)
{
    cors_request req;

    cors_request_init(&req);
    req.method = "OPTIONS";
    req.method_len = 7;
    req.origin = ORIGIN;
    req.origin_len = strlen(ORIGIN);
    req.request_method = acrm;
    req.request_method_len = acrm_len;
    return tu_run_request(p, &req, c, res);
}

/* -------------------------------------------------------- normalization */

typedef struct norm_case {
    const char *in;
    const char *out;     /* as the policy keeps and sends it */
    const char *warning; /* part of a warning expected, or NULL for none */
} norm_case;

static const norm_case norm_cases[] = {
    {"delete", "DELETE", NULL},
    {"Delete", "DELETE", NULL},
    {"DELETE", "DELETE", NULL},
    {"options", "OPTIONS", NULL},
    {"put", "PUT", NULL},
    {"pUt", "PUT", NULL},
    /* safelisted: no need to list them, but no harm either */
    {"get", "GET", NULL},
    {"GET", "GET", NULL},
    {"head", "HEAD", NULL},
    {"Post", "POST", NULL},
    /* other methods are kept as written; lower case draws a warning that
       says what to write (issue 13) */
    {"PATCH", "PATCH", NULL},
    {"patch", "patch", "write \"PATCH\" unless your pages send \"patch\""},
    {"Patch", "Patch", "spell it exactly"},
    {"propfind", "propfind", "spell it exactly"},
    {"MKCOL", "MKCOL", NULL},
    {"M-SEARCH", "M-SEARCH", NULL},
    {"PUTS", "PUTS", NULL},
    {"CONNECTX", "CONNECTX", NULL},
    {"X_1!#$%&'*+-.^`|~", "X_1!#$%&'*+-.^`|~", NULL},
};

START_TEST(test_normalize)
{
    const norm_case *k = &norm_cases[_i];
    cors_builder *b = cors_builder_new(NULL);
    cors_policy *p = NULL;
    char text[1024], want[128];

    ck_assert_ptr_nonnull(b);
    ck_assert_int_eq(cors_builder_allow_origin(b, S(ORIGIN)), CORS_OK);
    ck_assert_int_eq(cors_builder_allow_method(b, k->in, strlen(k->in)), CORS_OK);
    if (k->warning) {
        ck_assert_msg(tu_has_diag(b, CORS_SEVERITY_WARNING, k->warning), "%s: no warning \"%s\"",
                      k->in, k->warning);
    } else {
        ck_assert_msg(!tu_has_diag(b, CORS_SEVERITY_WARNING, "method"), "%s: warned", k->in);
    }
    ck_assert_int_eq(cors_builder_build(b, &p), CORS_OK);
    cors_builder_free(b);

    ck_assert_uint_lt(cors_policy_to_text(p, text, sizeof text), sizeof text);
    snprintf(want, sizeof want, "\nallow-methods %s\n", k->out);
    ck_assert_msg(strstr(text, want) != NULL, "%s: policy text is\n%s", k->in, text);
    cors_policy_free(p);
}
END_TEST

/* The policy text goes through the same normalization, and a normalized
   policy written out reads back the same. */
START_TEST(test_normalize_text)
{
    cors_policy *p = methods_policy("delete, put patch Patch", 0), *q;
    char text[1024], again[1024];

    ck_assert_uint_lt(cors_policy_to_text(p, text, sizeof text), sizeof text);
    ck_assert_ptr_nonnull(strstr(text, "\nallow-methods DELETE PUT patch Patch\n"));
    q = tu_policy(text);
    ck_assert_uint_lt(cors_policy_to_text(q, again, sizeof again), sizeof again);
    ck_assert_str_eq(again, text);
    cors_policy_free(p);
    cors_policy_free(q);
}
END_TEST

/* A normalized method is what a preflight must ask for, and what is sent. */
START_TEST(test_normalize_evaluate)
{
    cors_policy *p = methods_policy("delete put", 0);
    tu_capture c;
    cors_result res;

    ck_assert_int_eq(preflight(p, S("DELETE"), &c, &res), CORS_OK);
    ck_assert_int_eq(res.outcome, CORS_OUTCOME_PREFLIGHT_ACCEPTED);
    ck_assert_str_eq(tu_get(&c, "Access-Control-Allow-Methods"), "DELETE, PUT");
    /* browsers never send "delete": they normalize it */
    ck_assert_int_eq(preflight(p, S("delete"), &c, &res), CORS_OK);
    ck_assert_int_eq(res.outcome, CORS_OUTCOME_PREFLIGHT_DENIED);
    ck_assert_int_eq(res.reason, CORS_REASON_METHOD_NOT_ALLOWED);
    cors_policy_free(p);
}
END_TEST

/* ------------------------------------------------------------- refused */

typedef struct bad_method {
    const char *m;
    size_t len;
    const char *message; /* part of the error message */
} bad_method;

static const bad_method bad_methods[] = {
    {S("CONNECT"), "Fetch forbids it"},
    {S("connect"), "Fetch forbids it"},
    {S("TRACE"), "Fetch forbids it"},
    {S("trace"), "Fetch forbids it"},
    {S("TRACK"), "Fetch forbids it"},
    {S("Track"), "Fetch forbids it"},
    {S(""), "a method is a token"},
    {S("PA TCH"), "a method is a token"},
    {S(" PATCH"), "a method is a token"},
    {S("PATCH\r\n"), "a method is a token"},
    {S("PATCH\r\nX-Evil: 1"), "a method is a token"},
    {S("PAT\0CH"), "a method is a token"},
    {S("PATCH,PUT"), "a method is a token"},
    {S("PATCH;"), "a method is a token"},
    {S("PATCH:"), "a method is a token"},
    {S("(PATCH)"), "a method is a token"},
    {S("PATCH/1"), "a method is a token"},
    {S("\"PATCH\""), "a method is a token"},
    {S("P\xc3\x84TCH"), "a method is a token"},
    {S("PATCH\x7f"), "a method is a token"},
    {S("PATCH\t"), "a method is a token"},
};

START_TEST(test_refused)
{
    const bad_method *k = &bad_methods[_i];
    cors_builder *b = cors_builder_new(NULL);
    cors_policy *p = NULL;
    const cors_diagnostic *d;

    ck_assert_ptr_nonnull(b);
    ck_assert_int_eq(cors_builder_allow_origin(b, S(ORIGIN)), CORS_OK);
    ck_assert_int_eq(cors_builder_allow_method(b, k->m, k->len), CORS_ERR_METHOD);
    ck_assert_uint_eq(cors_builder_error_count(b), 1);
    d = cors_builder_diagnostic(b, cors_builder_diagnostic_count(b) - 1);
    ck_assert_ptr_nonnull(d);
    ck_assert_int_eq(d->severity, CORS_SEVERITY_ERROR);
    ck_assert_int_eq(d->code, CORS_ERR_METHOD);
    ck_assert_msg(strstr(d->message, k->message) != NULL, "message: %s", d->message);
    /* the message is printable whatever the input held */
    ck_assert(strchr(d->message, '\r') == NULL && strchr(d->message, '\n') == NULL);
    ck_assert_int_eq(cors_builder_build(b, &p), CORS_ERR_POLICY);
    ck_assert_ptr_null(p);
    cors_builder_free(b);
}
END_TEST

/* Through policy text too, with the line number. */
START_TEST(test_refused_text)
{
    char msg[768];
    unsigned line = 0;

    ck_assert_int_eq(tu_build_error("allow-origin " ORIGIN "\nallow-methods PUT CONNECT\n", msg,
                                    sizeof msg, &line),
                     CORS_ERR_POLICY);
    ck_assert_uint_eq(line, 2);
    ck_assert_ptr_nonnull(strstr(msg, "\"CONNECT\""));
    ck_assert_int_eq(tu_build_error("allow-origin " ORIGIN "\nallow-methods trace\n", msg,
                                    sizeof msg, &line),
                     CORS_ERR_POLICY);
    ck_assert_ptr_nonnull(strstr(msg, "Fetch forbids it"));
    ck_assert_int_eq(tu_build_error("allow-origin " ORIGIN "\nallow-methods PUT;\n", msg,
                                    sizeof msg, &line),
                     CORS_ERR_POLICY);
    ck_assert_ptr_nonnull(strstr(msg, "a method is a token"));
}
END_TEST

/* ------------------------------------------------------------ matching */

typedef struct match_case {
    const char *methods;  /* allow-methods values; NULL for none */
    int credentials;
    const char *acrm;
    size_t acrm_len;
    cors_reason reason;   /* CORS_REASON_NONE: accepted */
    const char *allow;    /* Access-Control-Allow-Methods sent; NULL for none */
} match_case;

static const match_case match_cases[] = {
    /* byte-exact */
    {"PATCH", 0, S("PATCH"), CORS_REASON_NONE, "PATCH"},
    {"PATCH", 0, S("patch"), CORS_REASON_METHOD_NOT_ALLOWED, NULL},
    {"PATCH", 0, S("Patch"), CORS_REASON_METHOD_NOT_ALLOWED, NULL},
    {"patch", 0, S("patch"), CORS_REASON_NONE, "patch"},
    {"patch", 0, S("PATCH"), CORS_REASON_METHOD_NOT_ALLOWED, NULL},
    {"PUT DELETE", 0, S("DELETE"), CORS_REASON_NONE, "PUT, DELETE"},
    {"PUT DELETE", 0, S("PUT"), CORS_REASON_NONE, "PUT, DELETE"},
    {"PUT DELETE", 0, S("put"), CORS_REASON_METHOD_NOT_ALLOWED, NULL},
    {"PUT DELETE", 0, S("PUTS"), CORS_REASON_METHOD_NOT_ALLOWED, NULL},
    {"PUT DELETE", 0, S("PU"), CORS_REASON_METHOD_NOT_ALLOWED, NULL},
    {"PUT DELETE", 0, S("OPTIONS"), CORS_REASON_METHOD_NOT_ALLOWED, NULL},
    {"PUT DELETE", 0, S("PATCH"), CORS_REASON_METHOD_NOT_ALLOWED, NULL},
    {"OPTIONS", 0, S("OPTIONS"), CORS_REASON_NONE, "OPTIONS"},
    {"MKCOL", 1, S("MKCOL"), CORS_REASON_NONE, "MKCOL"},
    /* GET, HEAD and POST never need listing, byte for byte */
    {NULL, 0, S("GET"), CORS_REASON_NONE, NULL},
    {NULL, 0, S("HEAD"), CORS_REASON_NONE, NULL},
    {NULL, 0, S("POST"), CORS_REASON_NONE, NULL},
    {NULL, 1, S("POST"), CORS_REASON_NONE, NULL},
    {"PUT", 0, S("POST"), CORS_REASON_NONE, "PUT"},
    {NULL, 0, S("get"), CORS_REASON_METHOD_NOT_ALLOWED, NULL},
    {NULL, 0, S("Post"), CORS_REASON_METHOD_NOT_ALLOWED, NULL},
    {NULL, 0, S("PUT"), CORS_REASON_METHOD_NOT_ALLOWED, NULL},
    {NULL, 0, S("OPTIONS"), CORS_REASON_METHOD_NOT_ALLOWED, NULL},
    {NULL, 0, S("DELETE"), CORS_REASON_METHOD_NOT_ALLOWED, NULL},
    /* "*": anything; echoed with credentials, where browsers read "*"
       literally (Fetch 4.8 step 7.5) */
    {"*", 0, S("PURGE"), CORS_REASON_NONE, "*"},
    {"*", 0, S("patch"), CORS_REASON_NONE, "*"},
    {"*", 1, S("PURGE"), CORS_REASON_NONE, "PURGE"},
    {"*", 1, S("patch"), CORS_REASON_NONE, "patch"},
    {"*", 1, S("DELETE"), CORS_REASON_NONE, "DELETE"},
    {"*", 1, S("GET"), CORS_REASON_NONE, "GET"},
    /* malformed Access-Control-Request-Method: denied even by "*" */
    {"*", 0, S(""), CORS_REASON_METHOD_MALFORMED, NULL},
    {"*", 0, S(" "), CORS_REASON_METHOD_MALFORMED, NULL},
    {"*", 0, S("PUT "), CORS_REASON_METHOD_MALFORMED, NULL},
    {"*", 0, S(" PUT"), CORS_REASON_METHOD_MALFORMED, NULL},
    {"*", 0, S("PU T"), CORS_REASON_METHOD_MALFORMED, NULL},
    {"*", 0, S("PUT\r"), CORS_REASON_METHOD_MALFORMED, NULL},
    {"*", 0, S("PUT\n"), CORS_REASON_METHOD_MALFORMED, NULL},
    {"*", 1, S("PUT\r\nSet-Cookie: a=b"), CORS_REASON_METHOD_MALFORMED, NULL},
    {"*", 1, S("PU\0T"), CORS_REASON_METHOD_MALFORMED, NULL},
    {"*", 0, S("PUT\0"), CORS_REASON_METHOD_MALFORMED, NULL},
    {"*", 0, S("PUT,DELETE"), CORS_REASON_METHOD_MALFORMED, NULL},
    {"*", 0, S("P\xc3\x9cT"), CORS_REASON_METHOD_MALFORMED, NULL},
    {"*", 0, S("\t"), CORS_REASON_METHOD_MALFORMED, NULL},
    {"PUT", 0, S("PUT\r\n"), CORS_REASON_METHOD_MALFORMED, NULL},
    {NULL, 0, S("GET "), CORS_REASON_METHOD_MALFORMED, NULL},
};

START_TEST(test_match)
{
    const match_case *k = &match_cases[_i];
    cors_policy *p = methods_policy(k->methods, k->credentials);
    tu_capture c;
    cors_result res;
    const char *allow;

    ck_assert_int_eq(preflight(p, k->acrm, k->acrm_len, &c, &res), CORS_OK);
    allow = tu_get(&c, "Access-Control-Allow-Methods");
    if (k->reason == CORS_REASON_NONE) {
        ck_assert_msg(res.outcome == CORS_OUTCOME_PREFLIGHT_ACCEPTED, "case %d denied: %s", _i,
                      cors_reason_string(res.reason));
        ck_assert_int_eq(res.status, 204);
        ck_assert_str_eq(tu_get(&c, "Access-Control-Allow-Origin"), ORIGIN);
        if (k->allow) {
            ck_assert_ptr_nonnull(allow);
            ck_assert_str_eq(allow, k->allow);
            ck_assert_uint_eq(tu_flags(&c, "Access-Control-Allow-Methods"), CORS_HEADER_SET);
        } else {
            ck_assert_ptr_null(allow);
        }
    } else {
        ck_assert_msg(res.outcome == CORS_OUTCOME_PREFLIGHT_DENIED, "case %d accepted", _i);
        ck_assert_int_eq(res.status, 403);
        ck_assert_msg(res.reason == k->reason, "case %d: reason %s", _i,
                      cors_reason_string(res.reason));
        ck_assert_uint_eq(tu_count_ac(&c), 0);
        /* the detail is the offending method, as the request had it */
        ck_assert_ptr_eq(res.detail, k->acrm);
        ck_assert_uint_eq(res.detail_len, k->acrm_len);
        /* and nothing of it is sent back: Vary is the only header */
        ck_assert_uint_eq(c.n, 1);
        ck_assert_str_eq(tu_get(&c, "Vary"), "Origin, Access-Control-Request-Method, "
                                             "Access-Control-Request-Headers");
    }
    cors_policy_free(p);
}
END_TEST

/* The method of the request itself is not checked against the list: the
   browser already did the preflight, and only Origin decides. */
START_TEST(test_actual_request_method)
{
    cors_policy *p = methods_policy("PUT", 0);
    tu_capture c;
    cors_result res;

    ck_assert_int_eq(tu_run(p, "PATCH", ORIGIN, NULL, NULL, &c, &res), CORS_OK);
    ck_assert_int_eq(res.outcome, CORS_OUTCOME_ACTUAL_ALLOWED);
    ck_assert_ptr_null(tu_get(&c, "Access-Control-Allow-Methods"));
    /* OPTIONS without Access-Control-Request-Method is no preflight; the
       methods are not even looked at (Fetch 3.2.2) */
    ck_assert_int_eq(tu_run(p, "OPTIONS", ORIGIN, NULL, NULL, &c, &res), CORS_OK);
    ck_assert_int_eq(res.outcome, CORS_OUTCOME_ACTUAL_ALLOWED);
    /* "options" is not OPTIONS: methods are case-sensitive */
    ck_assert_int_eq(tu_run(p, "options", ORIGIN, "PUT", NULL, &c, &res), CORS_OK);
    ck_assert_int_eq(res.outcome, CORS_OUTCOME_ACTUAL_ALLOWED);
    cors_policy_free(p);
}
END_TEST

/* ------------------------------------------------------------ describe */

typedef struct describe_case {
    const char *methods;
    const char *acrm;
    const char *prefix;
} describe_case;

static const describe_case describe_cases[] = {
    {"PUT DELETE", "PATCH", "method PATCH is not allowed; allowed: PUT, DELETE"},
    {"put, delete", "patch", "method patch is not allowed; allowed: PUT, DELETE"},
    {NULL, "PUT", "method PUT is not allowed; allowed: none"},
    {"PUT", "PU\rT", "requested method \"PU\\x0dT\" is not a valid method token"},
    {"PUT", "", "requested method \"\" is not a valid method token"},
};

START_TEST(test_describe)
{
    const describe_case *k = &describe_cases[_i];
    cors_policy *p = methods_policy(k->methods, 0);
    tu_capture c;
    cors_result res;
    char text[512];
    size_t n;

    ck_assert_int_eq(preflight(p, k->acrm, strlen(k->acrm), &c, &res), CORS_OK);
    ck_assert_int_eq(res.outcome, CORS_OUTCOME_PREFLIGHT_DENIED);
    n = cors_result_describe(p, &res, text, sizeof text);
    ck_assert_uint_eq(n, strlen(text));
    ck_assert_msg(strncmp(text, k->prefix, strlen(k->prefix)) == 0, "got: %s", text);
    cors_policy_free(p);
}
END_TEST

/* ------------------------------------------------------------- warnings */

/* Lower-case custom methods are warned about once each; GET/HEAD/POST
   are not (listing them is harmless). */
START_TEST(test_warning_count)
{
    cors_builder *b = cors_builder_new(NULL);
    size_t i, warnings = 0;

    ck_assert_ptr_nonnull(b);
    ck_assert_int_eq(cors_builder_parse(b, S("allow-origin " ORIGIN "\n"
                                              "allow-methods GET head POST PUT delete purge\n")),
                     CORS_OK);
    for (i = 0; i < cors_builder_diagnostic_count(b); i++) {
        const cors_diagnostic *d = cors_builder_diagnostic(b, i);
        ck_assert_int_eq(d->severity, CORS_SEVERITY_WARNING);
        ck_assert_uint_eq(d->line, 2);
        warnings++;
    }
    ck_assert_uint_eq(warnings, 1);
    ck_assert(tu_has_diag(b, CORS_SEVERITY_WARNING, "\"purge\""));
    cors_builder_free(b);
}
END_TEST

static Suite *methods_suite(void)
{
    Suite *s = suite_create("methods");
    TCase *tc = tcase_create("build");

    tcase_add_loop_test(tc, test_normalize, 0, NCASES(norm_cases));
    tcase_add_test(tc, test_normalize_text);
    tcase_add_test(tc, test_normalize_evaluate);
    tcase_add_loop_test(tc, test_refused, 0, NCASES(bad_methods));
    tcase_add_test(tc, test_refused_text);
    tcase_add_test(tc, test_warning_count);
    suite_add_tcase(s, tc);

    tc = tcase_create("evaluate");
    tcase_add_loop_test(tc, test_match, 0, NCASES(match_cases));
    tcase_add_test(tc, test_actual_request_method);
    tcase_add_loop_test(tc, test_describe, 0, NCASES(describe_cases));
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return tu_main(methods_suite());
}
