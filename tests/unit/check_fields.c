/*
 * check_fields.c - cors_fields_add(): filling a request from its header
 * lines.  Each case is the lines of one request as a server receives them,
 * and what libcors must then decide.
 */
#include "testutil.h"

#include <stddef.h>

#define APP "https://app.example.com"
#define MAX_LINES 24

enum { P_LIST, P_STAR, P_COUNT };

static const char *const policy_texts[P_COUNT] = {
    "allow-origin " APP "\nallow-methods PUT\nallow-headers x-a x-b\nallow-private-network on\n",
    "allow-origin *\nallow-methods PUT\nallow-headers x-a x-b\n",
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

typedef struct field_case {
    const char *what;
    int policy;
    const char *method;
    const char *lines[MAX_LINES];  /* "Name: value" */
    unsigned acrh_lines;           /* then this many "Access-Control-Request-Headers: x-a" */
    cors_outcome outcome;
    cors_reason reason;
    const char *detail;            /* NULL: not checked */
} field_case;

#define PREFLIGHT_OK "Origin: " APP, "Access-Control-Request-Method: PUT"

static const field_case cases[] = {
    {"a plain preflight", P_LIST, "OPTIONS", {PREFLIGHT_OK, "Access-Control-Request-Headers: x-a"},
     0, CORS_OUTCOME_PREFLIGHT_ACCEPTED, CORS_REASON_NONE, NULL},
    {"names in any case", P_LIST, "OPTIONS",
     {"ORIGIN: " APP, "access-control-request-method: PUT", "aCCESS-cONTROL-rEQUEST-hEADERS: x-b"},
     0, CORS_OUTCOME_PREFLIGHT_ACCEPTED, CORS_REASON_NONE, NULL},
    {"other fields are ignored", P_LIST, "OPTIONS",
     {"Host: api.example.com", PREFLIGHT_OK, "Content-Type: text/plain", "Origins: x",
      "Access-Control-Request-Header: y", "Origin-Agent-Cluster: ?1", "X: Origin"},
     0, CORS_OUTCOME_PREFLIGHT_ACCEPTED, CORS_REASON_NONE, NULL},
    {"two Origin lines, the allowed one first", P_LIST, "OPTIONS",
     {PREFLIGHT_OK, "Origin: https://evil.example"}, 0, CORS_OUTCOME_PREFLIGHT_DENIED,
     CORS_REASON_FIELD_REPEATED, "Origin"},
    {"two identical Origin lines", P_LIST, "OPTIONS", {PREFLIGHT_OK, "origin: " APP}, 0,
     CORS_OUTCOME_PREFLIGHT_DENIED, CORS_REASON_FIELD_REPEATED, "Origin"},
    {"two Origin lines under *", P_STAR, "OPTIONS", {PREFLIGHT_OK, "Origin: " APP}, 0,
     CORS_OUTCOME_PREFLIGHT_DENIED, CORS_REASON_FIELD_REPEATED, "Origin"},
    {"an actual request with two Origin lines", P_LIST, "POST",
     {"Origin: " APP, "Origin: https://evil.example"}, 0, CORS_OUTCOME_ACTUAL_DISALLOWED,
     CORS_REASON_FIELD_REPEATED, "Origin"},
    {"an actual request with two Origin lines under *", P_STAR, "GET",
     {"Origin: " APP, "Origin: " APP}, 0, CORS_OUTCOME_ACTUAL_DISALLOWED,
     CORS_REASON_FIELD_REPEATED, "Origin"},
    {"an actual request with one Origin", P_LIST, "POST", {"Origin: " APP}, 0,
     CORS_OUTCOME_ACTUAL_ALLOWED, CORS_REASON_NONE, NULL},
    {"no Origin at all", P_LIST, "GET", {"Accept: */*"}, 0, CORS_OUTCOME_NOT_CORS,
     CORS_REASON_NONE, NULL},
    {"an empty Origin is present, and no origin", P_LIST, "GET", {"Origin: "}, 0,
     CORS_OUTCOME_ACTUAL_DISALLOWED, CORS_REASON_ORIGIN_MALFORMED, ""},
    {"two Access-Control-Request-Method lines", P_LIST, "OPTIONS",
     {PREFLIGHT_OK, "Access-Control-Request-Method: PUT"}, 0, CORS_OUTCOME_PREFLIGHT_DENIED,
     CORS_REASON_FIELD_REPEATED, "Access-Control-Request-Method"},
    {"two private-network lines", P_LIST, "OPTIONS",
     {PREFLIGHT_OK, "Access-Control-Request-Private-Network: true",
      "Access-Control-Request-Private-Network: true"},
     0, CORS_OUTCOME_PREFLIGHT_DENIED, CORS_REASON_FIELD_REPEATED,
     "Access-Control-Request-Private-Network"},
    {"one private-network line", P_LIST, "OPTIONS",
     {PREFLIGHT_OK, "Access-Control-Request-Private-Network: true"}, 0,
     CORS_OUTCOME_PREFLIGHT_ACCEPTED, CORS_REASON_NONE, NULL},
    {"request headers on two lines, all checked", P_LIST, "OPTIONS",
     {PREFLIGHT_OK, "Access-Control-Request-Headers: x-a", "Access-Control-Request-Headers: x-c"},
     0, CORS_OUTCOME_PREFLIGHT_DENIED, CORS_REASON_HEADER_NOT_ALLOWED, "x-c"},
    {"request headers on two lines, all allowed", P_LIST, "OPTIONS",
     {PREFLIGHT_OK, "Access-Control-Request-Headers: x-a", "Access-Control-Request-Headers: x-b"},
     0, CORS_OUTCOME_PREFLIGHT_ACCEPTED, CORS_REASON_NONE, NULL},
    {"as many request-header lines as kept", P_LIST, "OPTIONS", {PREFLIGHT_OK},
     CORS_FIELDS_MAX_REQUEST_HEADER_LINES, CORS_OUTCOME_PREFLIGHT_ACCEPTED, CORS_REASON_NONE,
     NULL},
    {"one request-header line too many: denied, not truncated", P_LIST, "OPTIONS",
     {PREFLIGHT_OK}, CORS_FIELDS_MAX_REQUEST_HEADER_LINES + 1, CORS_OUTCOME_PREFLIGHT_DENIED,
     CORS_REASON_HEADERS_TOO_LONG, NULL},
    {"too many request-header lines under *", P_STAR, "OPTIONS", {PREFLIGHT_OK},
     CORS_FIELDS_MAX_REQUEST_HEADER_LINES + 1, CORS_OUTCOME_PREFLIGHT_DENIED,
     CORS_REASON_HEADERS_TOO_LONG, NULL},
    {"too many request-header lines on an actual request do not matter", P_LIST, "GET",
     {"Origin: " APP}, CORS_FIELDS_MAX_REQUEST_HEADER_LINES + 1, CORS_OUTCOME_ACTUAL_ALLOWED,
     CORS_REASON_NONE, NULL},
};

/* Feeds "Name: value" to cors_fields_add. */
static void add_line(cors_fields *f, const char *line)
{
    const char *colon = strchr(line, ':');
    const char *value;

    ck_assert_ptr_nonnull(colon);
    value = colon + 1;
    while (*value == ' ')
        value++;
    ck_assert_int_eq(cors_fields_add(f, line, (size_t)(colon - line), value, strlen(value)),
                     CORS_OK);
}

START_TEST(test_field_cases)
{
    const field_case *c = &cases[_i];
    cors_request req;
    cors_fields fields;
    cors_result res;
    tu_capture cap;
    size_t k;

    cors_request_init(&req);
    ck_assert_int_eq(cors_fields_init(&fields, &req), CORS_OK);
    req.method = c->method;
    req.method_len = strlen(c->method);
    for (k = 0; k < MAX_LINES && c->lines[k]; k++)
        add_line(&fields, c->lines[k]);
    for (k = 0; k < c->acrh_lines; k++)
        add_line(&fields, "Access-Control-Request-Headers: x-a");
    ck_assert_int_eq(tu_run_request(policies[c->policy], &req, &cap, &res), CORS_OK);
    ck_assert_msg(res.outcome == c->outcome, "%s: outcome %s", c->what,
                  cors_outcome_string(res.outcome));
    ck_assert_msg(res.reason == c->reason, "%s: reason %s", c->what,
                  cors_reason_string(res.reason));
    if (c->detail) {
        ck_assert_uint_eq(res.detail_len, strlen(c->detail));
        ck_assert(memcmp(res.detail, c->detail, res.detail_len) == 0);
    }
    /* A refused request never gets an Access-Control-* header. */
    if (res.reason != CORS_REASON_NONE)
        ck_assert_uint_eq(tu_count_ac(&cap), 0);
}
END_TEST

/* The request is cleared, and points at the fields' lines. */
START_TEST(test_init_clears)
{
    cors_request req;
    cors_fields fields;
    static const cors_str old = {"x", 1};

    cors_request_init(&req);
    req.origin = "https://old.example";
    req.origin_len = 19;
    req.request_method = "PUT";
    req.request_method_len = 3;
    req.request_headers = &old;
    req.request_headers_count = 1;
    req.request_private_network = "true";
    req.request_private_network_len = 4;
    req.field_flags = CORS_FIELD_ORIGIN_REPEATED;
    req.method = "GET";
    req.method_len = 3;
    ck_assert_int_eq(cors_fields_init(&fields, &req), CORS_OK);
    ck_assert_ptr_null(req.origin);
    ck_assert_ptr_null(req.request_method);
    ck_assert_ptr_null(req.request_private_network);
    ck_assert_uint_eq(req.request_headers_count, 0);
    ck_assert_uint_eq(req.field_flags, 0);
    ck_assert_str_eq(req.method, "GET");
    add_line(&fields, "Access-Control-Request-Headers: x-a");
    ck_assert_ptr_eq(req.request_headers, fields.request_headers);
    ck_assert_uint_eq(req.request_headers_count, 1);
}
END_TEST

enum { E_NULL_FIELDS, E_NULL_REQUEST, E_REQUEST_0_1, E_FIELDS_SMALL, E_ADD_NULL, E_ADD_NAME,
       E_ADD_VALUE, E_COUNT };

START_TEST(test_errors)
{
    cors_request req;
    cors_fields fields;

    cors_request_init(&req);
    switch (_i) {
    case E_NULL_FIELDS:
        ck_assert_int_eq(cors_fields_init(NULL, &req), CORS_ERR_INVALID_ARGUMENT);
        break;
    case E_NULL_REQUEST:
        ck_assert_int_eq(cors_fields_init(&fields, NULL), CORS_ERR_INVALID_ARGUMENT);
        break;
    case E_REQUEST_0_1:
        /* A request as 0.1.0 had it has no field_flags to record into. */
        cors_request_init_sized(&req, offsetof(cors_request, field_flags));
        ck_assert_int_eq(cors_fields_init(&fields, &req), CORS_ERR_STRUCT_SIZE);
        break;
    case E_FIELDS_SMALL:
        ck_assert_int_eq(cors_fields_init_sized(&fields, sizeof(size_t), &req),
                         CORS_ERR_STRUCT_SIZE);
        break;
    case E_ADD_NULL:
        ck_assert_int_eq(cors_fields_add(NULL, "Origin", 6, APP, 23), CORS_ERR_INVALID_ARGUMENT);
        break;
    case E_ADD_NAME:
        ck_assert_int_eq(cors_fields_init(&fields, &req), CORS_OK);
        ck_assert_int_eq(cors_fields_add(&fields, NULL, 6, APP, 23), CORS_ERR_INVALID_ARGUMENT);
        break;
    default:
        ck_assert_int_eq(cors_fields_init(&fields, &req), CORS_OK);
        ck_assert_int_eq(cors_fields_add(&fields, "Origin", 6, NULL, 23),
                         CORS_ERR_INVALID_ARGUMENT);
        ck_assert_ptr_null(req.origin);
        /* NULL with length 0 is an empty value, which is present. */
        ck_assert_int_eq(cors_fields_add(&fields, "Origin", 6, NULL, 0), CORS_OK);
        ck_assert_ptr_nonnull(req.origin);
        ck_assert_uint_eq(req.origin_len, 0);
        break;
    }
}
END_TEST

/* A caller built against a header with fewer lines: only its lines are
   written, and one more denies. */
START_TEST(test_smaller_fields)
{
    union {
        cors_fields f;
        unsigned char bytes[sizeof(cors_fields)];
    } u;
    size_t size = offsetof(cors_fields, request_headers) + 2 * sizeof(cors_str), i;
    cors_request req;

    memset(&u, 0xA5, sizeof u);
    cors_request_init(&req);
    ck_assert_int_eq(cors_fields_init_sized(&u.f, size, &req), CORS_OK);
    add_line(&u.f, "Access-Control-Request-Headers: x-a");
    add_line(&u.f, "Access-Control-Request-Headers: x-b");
    ck_assert_uint_eq(req.field_flags, 0);
    add_line(&u.f, "Access-Control-Request-Headers: x-a");
    ck_assert_uint_eq(req.field_flags, CORS_FIELD_HEADERS_OVERFLOW);
    ck_assert_uint_eq(req.request_headers_count, 2);
    for (i = size; i < sizeof u.bytes; i++)
        ck_assert_uint_eq(u.bytes[i], 0xA5);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("fields");
    TCase *tc = tcase_create("fields");

    tcase_add_unchecked_fixture(tc, setup, teardown);
    tcase_add_loop_test(tc, test_field_cases, 0, NCASES(cases));
    tcase_add_test(tc, test_init_clears);
    tcase_add_loop_test(tc, test_errors, 0, E_COUNT);
    tcase_add_test(tc, test_smaller_fields);
    suite_add_tcase(s, tc);
    return tu_main(s);
}
