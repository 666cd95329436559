/*
 * check_same_origin.c - requests from the server's own pages: a policy's
 * server origins, and the request's scheme and Host.  They are
 * CORS_OUTCOME_SAME_ORIGIN, never disallowed, and get no CORS header.
 */
#include "testutil.h"

#define APP "https://app.example.com"
#define API "https://api.example.com"

enum { P_LIST, P_STAR, P_NONE, P_COUNT };

static const char *const policy_texts[P_COUNT] = {
    "allow-origin " APP "\nallow-methods PUT\nserver-origin " API " " API ":8443\n",
    "allow-origin *\nserver-origin " API "\n",
    "allow-origin " APP "\nallow-methods PUT\nallow-credentials on\n",
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

typedef struct same_case {
    const char *what;
    int policy;
    const char *method;
    const char *lines[6];      /* header lines, "Name: value", through cors_fields_add */
    const char *scheme;        /* NULL: unknown */
    cors_outcome outcome;
    const char *allow_origin;  /* expected Access-Control-Allow-Origin, or NULL */
} same_case;

#define SAME CORS_OUTCOME_SAME_ORIGIN
#define DISALLOWED CORS_OUTCOME_ACTUAL_DISALLOWED

static const same_case cases[] = {
    {"a form post from a server origin", P_LIST, "POST", {"Origin: " API}, NULL, SAME, NULL},
    {"a server origin with its port", P_LIST, "DELETE", {"Origin: " API ":8443"}, NULL, SAME,
     NULL},
    {"another port is another origin", P_LIST, "POST", {"Origin: " API ":8444"}, NULL, DISALLOWED,
     NULL},
    {"http is another origin", P_LIST, "POST", {"Origin: http://api.example.com"}, NULL,
     DISALLOWED, NULL},
    {"a preflight-shaped request from a server origin", P_LIST, "OPTIONS",
     {"Origin: " API, "Access-Control-Request-Method: PATCH"}, NULL, SAME, NULL},
    {"an allowed origin stays a CORS request", P_LIST, "POST",
     {"Origin: " APP, "Host: api.example.com"}, "https", CORS_OUTCOME_ACTUAL_ALLOWED, APP},
    {"under * the headers stay those of every response", P_STAR, "POST", {"Origin: " API}, NULL,
     SAME, "*"},
    {"scheme and Host make the origin", P_NONE, "POST",
     {"Host: api.example.com", "Origin: " API}, "https", SAME, NULL},
    {"scheme and host in any case", P_NONE, "PUT", {"Host: API.Example.COM", "Origin: " API},
     "HTTPS", SAME, NULL},
    {"the default port written out", P_NONE, "POST", {"Host: api.example.com:443", "Origin: " API},
     "https", SAME, NULL},
    {"the http default port", P_NONE, "POST",
     {"Host: localhost:80", "Origin: http://localhost"}, "http", SAME, NULL},
    {"a non-default port", P_NONE, "POST",
     {"Host: localhost:8080", "Origin: http://localhost:8080"}, "http", SAME, NULL},
    {"an IPv6 host", P_NONE, "POST", {"Host: [::1]:8080", "Origin: http://[::1]:8080"}, "http",
     SAME, NULL},
    {"the other default port", P_NONE, "POST", {"Host: api.example.com:80", "Origin: " API},
     "https", DISALLOWED, NULL},
    {"the other scheme", P_NONE, "POST", {"Host: api.example.com", "Origin: " API}, "http",
     DISALLOWED, NULL},
    {"a scheme that is not http(s)", P_NONE, "POST", {"Host: api.example.com", "Origin: " API},
     "wss", DISALLOWED, NULL},
    {"another host", P_NONE, "POST", {"Host: evil.example", "Origin: " API}, "https", DISALLOWED,
     NULL},
    {"a host with a trailing dot", P_NONE, "POST", {"Host: api.example.com.", "Origin: " API},
     "https", DISALLOWED, NULL},
    {"a host that is a prefix", P_NONE, "POST", {"Host: api.example.co", "Origin: " API},
     "https", DISALLOWED, NULL},
    {"an empty port", P_NONE, "POST", {"Host: api.example.com:", "Origin: " API}, "https",
     DISALLOWED, NULL},
    {"an Origin that is no origin", P_NONE, "POST",
     {"Host: api.example.com", "Origin: " API "/"}, "https", DISALLOWED, NULL},
    {"no scheme: the Host alone proves nothing", P_NONE, "POST",
     {"Host: api.example.com", "Origin: " API}, NULL, DISALLOWED, NULL},
    {"two Host lines: the host is unknown", P_NONE, "POST",
     {"Host: api.example.com", "Host: api.example.com", "Origin: " API}, "https", DISALLOWED,
     NULL},
    {"two Origin lines are never same-origin", P_LIST, "POST", {"Origin: " API, "Origin: " API},
     NULL, DISALLOWED, NULL},
    {"two Origin lines under *", P_STAR, "POST", {"Origin: " API, "Origin: " API}, NULL,
     DISALLOWED, NULL},
    {"no Origin: not CORS", P_NONE, "POST", {"Host: api.example.com"}, "https",
     CORS_OUTCOME_NOT_CORS, NULL},
};

static void add_line(cors_fields *f, const char *line)
{
    const char *colon = strchr(line, ':');
    const char *value = colon + 2;

    ck_assert_int_eq(cors_fields_add(f, line, (size_t)(colon - line), value, strlen(value)),
                     CORS_OK);
}

START_TEST(test_same_origin_cases)
{
    const same_case *c = &cases[_i];
    cors_request req;
    cors_fields fields;
    cors_result res;
    tu_capture cap;
    const char *vary, *acao;
    size_t k;

    cors_request_init(&req);
    ck_assert_int_eq(cors_fields_init(&fields, &req), CORS_OK);
    req.method = c->method;
    req.method_len = strlen(c->method);
    if (c->scheme) {
        req.scheme = c->scheme;
        req.scheme_len = strlen(c->scheme);
    }
    for (k = 0; k < 6 && c->lines[k]; k++)
        add_line(&fields, c->lines[k]);
    ck_assert_int_eq(tu_run_request(policies[c->policy], &req, &cap, &res), CORS_OK);
    ck_assert_msg(res.outcome == c->outcome, "%s: %s", c->what, cors_outcome_string(res.outcome));
    acao = tu_get(&cap, "Access-Control-Allow-Origin");
    if (c->allow_origin)
        ck_assert_str_eq(acao, c->allow_origin);
    else
        ck_assert_msg(acao == NULL, "%s: Access-Control-Allow-Origin %s", c->what, acao);
    if (res.outcome != SAME)
        return;
    ck_assert_int_eq(res.status, 0);
    ck_assert_int_eq(res.reason, CORS_REASON_NONE);
    /* The answer depends on Origin, unless "*" makes it the same for all. */
    vary = tu_get(&cap, "Vary");
    if (c->policy == P_STAR) {
        ck_assert_ptr_null(vary);
    } else {
        ck_assert_str_eq(vary, "Origin");
        ck_assert_uint_eq(tu_count_ac(&cap), 0);
    }
}
END_TEST

/* A request built against 0.1.0 has no scheme or host: only the policy's
   server origins can tell. */
START_TEST(test_old_request_has_no_host)
{
    cors_request req;
    cors_result res;
    tu_capture cap;

    cors_request_init(&req);
    req.method = "POST";
    req.method_len = 4;
    req.origin = API;
    req.origin_len = strlen(API);
    req.scheme = "https";
    req.scheme_len = 5;
    req.host = "api.example.com";
    req.host_len = 15;
    ck_assert_int_eq(tu_run_request(policies[P_NONE], &req, &cap, &res), CORS_OK);
    ck_assert_int_eq(res.outcome, SAME);
    req.struct_size = offsetof(cors_request, scheme);
    ck_assert_int_eq(tu_run_request(policies[P_NONE], &req, &cap, &res), CORS_OK);
    ck_assert_int_eq(res.outcome, DISALLOWED);
    ck_assert_int_eq(tu_run_request(policies[P_LIST], &req, &cap, &res), CORS_OK);
    ck_assert_int_eq(res.outcome, SAME);
}
END_TEST

START_TEST(test_views_checked)
{
    cors_request req;
    cors_result res;
    tu_capture cap;

    cors_request_init(&req);
    req.method = "GET";
    req.method_len = 3;
    req.scheme_len = 5;
    ck_assert_int_eq(tu_run_request(policies[P_NONE], &req, &cap, &res),
                     CORS_ERR_INVALID_ARGUMENT);
    req.scheme_len = 0;
    req.host_len = 3;
    ck_assert_int_eq(tu_run_request(policies[P_NONE], &req, &cap, &res),
                     CORS_ERR_INVALID_ARGUMENT);
}
END_TEST

/* What a server origin may be, and the message when it may not. */
static const struct {
    const char *origin;
    cors_error expected;
    const char *message;
} server_origins[] = {
    {API, CORS_OK, NULL},
    {"http://localhost:8080", CORS_OK, NULL},
    {"https://[::1]:8443", CORS_OK, NULL},
    {"*", CORS_ERR_ORIGIN, "one exact origin, without \"*\""},
    {"https://*.example.com", CORS_ERR_ORIGIN, "one exact origin"},
    {"https://api.example.com:*", CORS_ERR_ORIGIN, "one exact origin"},
    {"null", CORS_ERR_ORIGIN, "server origin \"null\" is refused"},
    {API "/", CORS_ERR_ORIGIN, "write \"" API "\""},
    {"https://API.example.com", CORS_ERR_ORIGIN, "lower case"},
    {"https://api.example.com:443", CORS_ERR_ORIGIN, "default port"},
    {"", CORS_ERR_ORIGIN, "server origin \"\" is refused"},
};

START_TEST(test_add_server_origin)
{
    cors_builder *b = cors_builder_new(NULL);
    const char *o = server_origins[_i].origin;
    cors_error e = cors_builder_add_server_origin(b, o, strlen(o));

    ck_assert_int_eq(e, server_origins[_i].expected);
    if (server_origins[_i].message) {
        ck_assert_uint_eq(cors_builder_error_count(b), 1);
        ck_assert_msg(tu_has_diag(b, CORS_SEVERITY_ERROR, server_origins[_i].message),
                      "%s: %s", o, cors_builder_diagnostic(b, 0)->message);
    } else {
        ck_assert_uint_eq(cors_builder_diagnostic_count(b), 0);
    }
    cors_builder_free(b);
}
END_TEST

START_TEST(test_server_origin_text)
{
    cors_builder *b = cors_builder_new(NULL);
    char text[512];

    ck_assert_int_eq(cors_builder_add_server_origin(NULL, API, 23), CORS_ERR_INVALID_ARGUMENT);
    ck_assert_int_eq(cors_builder_add_server_origin(b, NULL, 23), CORS_ERR_INVALID_ARGUMENT);
    cors_builder_free(b);
    cors_policy_to_text(policies[P_LIST], text, sizeof text);
    ck_assert_msg(strstr(text, "\nserver-origin " API " " API ":8443\n") != NULL, "%s", text);
    b = cors_builder_new(NULL);
    cors_builder_parse(b, S("allow-origin " APP "\nserver-origin " API ", " API "\n"));
    ck_assert_msg(tu_has_diag(b, CORS_SEVERITY_WARNING, "listed twice"), "duplicate");
    cors_builder_free(b);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("same-origin");
    TCase *tc = tcase_create("same-origin");

    tcase_add_unchecked_fixture(tc, setup, teardown);
    tcase_add_loop_test(tc, test_same_origin_cases, 0, NCASES(cases));
    tcase_add_test(tc, test_old_request_has_no_host);
    tcase_add_test(tc, test_views_checked);
    tcase_add_loop_test(tc, test_add_server_origin, 0, NCASES(server_origins));
    tcase_add_test(tc, test_server_origin_text);
    suite_add_tcase(s, tc);
    return tu_main(s);
}
