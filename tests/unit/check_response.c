/*
 * check_response.c - cors_check_response(): the browser's judgement of a
 * server's answer (Fetch 4.9 CORS check, 4.8 preflight step 7), one row of
 * the table per rule, plus its argument checks and descriptions.
 */
#include "testutil.h"

#define O "https://app.example"

typedef struct row {
    const char *what;
    const char *method;   /* "OPTIONS" with acrm: a preflight */
    const char *acrm;     /* NULL: absent */
    const char *acrh;     /* NULL: absent */
    const char *pna;      /* Access-Control-Request-Private-Network, NULL: absent */
    unsigned flags;
    int status;
    const char *headers;  /* "Name: value" lines, each ending in \n */
    cors_block block;
    const char *detail;   /* expected detail, NULL: none */
    int chromium_differs;
    const char *says;     /* a part of the description */
} row;

#define CRED CORS_CHECK_CREDENTIALS
#define CHROME CORS_CHECK_CHROMIUM

static const row rows[] = {
    /* Fetch 4.9, CORS check on an actual response */
    {"star", "GET", NULL, NULL, NULL, 0, 200, "Access-Control-Allow-Origin: *\n",
     CORS_BLOCK_NONE, NULL, 0, "may read"},
    {"exact", "GET", NULL, NULL, NULL, 0, 200, "access-control-allow-origin:  " O " \n",
     CORS_BLOCK_NONE, NULL, 0, "may read"},
    {"none", "GET", NULL, NULL, NULL, 0, 200, "Vary: Origin\n", CORS_BLOCK_NO_ALLOW_ORIGIN, NULL,
     0, "no Access-Control-Allow-Origin header"},
    {"two lines", "GET", NULL, NULL, NULL, 0, 200,
     "Access-Control-Allow-Origin: " O "\nAccess-Control-Allow-Origin: " O "\n",
     CORS_BLOCK_MULTIPLE_ALLOW_ORIGIN, O, 0, "must be sent once"},
    {"list", "GET", NULL, NULL, NULL, 0, 200, "Access-Control-Allow-Origin: " O ", *\n",
     CORS_BLOCK_MULTIPLE_ALLOW_ORIGIN, O ", *", 0, "added twice"},
    {"mismatch", "GET", NULL, NULL, NULL, 0, 200,
     "Access-Control-Allow-Origin: https://other.example\n", CORS_BLOCK_ORIGIN_MISMATCH,
     "https://other.example", 0, "not the request's origin \"" O "\""},
    {"trailing slash", "GET", NULL, NULL, NULL, 0, 200,
     "Access-Control-Allow-Origin: " O "/\n", CORS_BLOCK_ORIGIN_MISMATCH, O "/", 0,
     "byte for byte"},
    {"case", "GET", NULL, NULL, NULL, 0, 200, "Access-Control-Allow-Origin: https://App.example\n",
     CORS_BLOCK_ORIGIN_MISMATCH, "https://App.example", 0, "byte for byte"},
    {"star creds", "GET", NULL, NULL, NULL, CRED, 200,
     "Access-Control-Allow-Origin: *\nAccess-Control-Allow-Credentials: true\n",
     CORS_BLOCK_WILDCARD_WITH_CREDENTIALS, "*", 0, "does not cover a request with credentials"},
    {"creds absent", "GET", NULL, NULL, NULL, CRED, 200, "Access-Control-Allow-Origin: " O "\n",
     CORS_BLOCK_CREDENTIALS_NOT_TRUE, NULL, 0, "the response has none"},
    {"creds True", "GET", NULL, NULL, NULL, CRED, 200,
     "Access-Control-Allow-Origin: " O "\nAccess-Control-Allow-Credentials: True\n",
     CORS_BLOCK_CREDENTIALS_NOT_TRUE, "True", 0, "exactly \"true\""},
    {"creds twice", "GET", NULL, NULL, NULL, CRED, 200,
     "Access-Control-Allow-Origin: " O "\nAccess-Control-Allow-Credentials: true\n"
     "Access-Control-Allow-Credentials: true\n",
     CORS_BLOCK_CREDENTIALS_NOT_TRUE, "true", 0, "exactly"},
    {"creds ok", "POST", NULL, NULL, NULL, CRED, 500,
     "Access-Control-Allow-Origin: " O "\nAccess-Control-Allow-Credentials: true\n",
     CORS_BLOCK_NONE, NULL, 0, "may read"},
    {"creds ignored without", "GET", NULL, NULL, NULL, 0, 200,
     "Access-Control-Allow-Origin: " O "\nAccess-Control-Allow-Credentials: nope\n",
     CORS_BLOCK_NONE, NULL, 0, "may read"},
    /* Fetch 4.8 step 7, preflights */
    {"preflight ok", "OPTIONS", "PUT", "content-type", NULL, 0, 204,
     "Access-Control-Allow-Origin: *\nAccess-Control-Allow-Methods: GET, PUT\n"
     "Access-Control-Allow-Headers: Content-Type\n",
     CORS_BLOCK_NONE, NULL, 0, "allows the request"},
    {"preflight cors check first", "OPTIONS", "PUT", NULL, NULL, 0, 403, "Vary: Origin\n",
     CORS_BLOCK_NO_ALLOW_ORIGIN, NULL, 0, "no Access-Control-Allow-Origin"},
    {"preflight 404", "OPTIONS", "PUT", NULL, NULL, 0, 404,
     "Access-Control-Allow-Origin: *\nAccess-Control-Allow-Methods: PUT\n",
     CORS_BLOCK_PREFLIGHT_STATUS, NULL, 0, "status 404"},
    {"preflight redirect", "OPTIONS", "PUT", NULL, NULL, 0, 301,
     "Access-Control-Allow-Origin: *\nAccess-Control-Allow-Methods: PUT\n",
     CORS_BLOCK_PREFLIGHT_STATUS, NULL, 0, "redirects are not followed"},
    {"preflight 299", "OPTIONS", "PUT", NULL, NULL, 0, 299,
     "Access-Control-Allow-Origin: *\nAccess-Control-Allow-Methods: PUT\n", CORS_BLOCK_NONE,
     NULL, 0, "allows"},
    {"safelisted method", "OPTIONS", "POST", "x-a", NULL, 0, 200,
     "Access-Control-Allow-Origin: *\nAccess-Control-Allow-Headers: x-a\n", CORS_BLOCK_NONE,
     NULL, 0, "allows"},
    {"method missing", "OPTIONS", "PATCH", NULL, NULL, 0, 204,
     "Access-Control-Allow-Origin: *\nAccess-Control-Allow-Methods: GET, PUT\n",
     CORS_BLOCK_METHOD_NOT_ALLOWED, "PATCH", 0, "not listed in Access-Control-Allow-Methods"},
    {"method case", "OPTIONS", "PATCH", NULL, NULL, 0, 204,
     "Access-Control-Allow-Origin: *\nAccess-Control-Allow-Methods: patch\n",
     CORS_BLOCK_METHOD_NOT_ALLOWED, "PATCH", 0, "case-sensitively"},
    {"method on second line", "OPTIONS", "PATCH", NULL, NULL, 0, 204,
     "Access-Control-Allow-Origin: *\nAccess-Control-Allow-Methods: GET\n"
     "Access-Control-Allow-Methods: ,PATCH,\n",
     CORS_BLOCK_NONE, NULL, 0, "allows"},
    {"method star", "OPTIONS", "PATCH", NULL, NULL, 0, 204,
     "Access-Control-Allow-Origin: *\nAccess-Control-Allow-Methods: *\n", CORS_BLOCK_NONE, NULL,
     0, "allows"},
    {"method star creds", "OPTIONS", "PATCH", NULL, NULL, CRED, 204,
     "Access-Control-Allow-Origin: " O "\nAccess-Control-Allow-Credentials: true\n"
     "Access-Control-Allow-Methods: *\n",
     CORS_BLOCK_METHOD_NOT_ALLOWED, "PATCH", 0, "only without credentials"},
    {"methods malformed", "OPTIONS", "GET", NULL, NULL, 0, 204,
     "Access-Control-Allow-Origin: *\nAccess-Control-Allow-Methods: GET PUT\n",
     CORS_BLOCK_METHODS_MALFORMED, "GET PUT", 0, "list of tokens"},
    {"headers malformed", "OPTIONS", "GET", NULL, NULL, 0, 204,
     "Access-Control-Allow-Origin: *\nAccess-Control-Allow-Headers: x-a, (b)\n",
     CORS_BLOCK_HEADERS_MALFORMED, "(b)", 0, "fails the whole preflight"},
    {"header missing", "OPTIONS", "PUT", "content-type,x-debug", NULL, 0, 204,
     "Access-Control-Allow-Origin: *\nAccess-Control-Allow-Methods: PUT\n"
     "Access-Control-Allow-Headers: Content-Type\n",
     CORS_BLOCK_HEADER_NOT_ALLOWED, "x-debug", 0, "request header \"x-debug\" is not listed"},
    {"header case-insensitive", "OPTIONS", "PUT", "X-Debug", NULL, 0, 204,
     "Access-Control-Allow-Origin: *\nAccess-Control-Allow-Methods: PUT\n"
     "Access-Control-Allow-Headers: x-debug\n",
     CORS_BLOCK_NONE, NULL, 0, "allows"},
    {"header star", "OPTIONS", "PUT", "x-debug", NULL, 0, 204,
     "Access-Control-Allow-Origin: *\nAccess-Control-Allow-Methods: PUT\n"
     "Access-Control-Allow-Headers: *\n",
     CORS_BLOCK_NONE, NULL, 0, "allows"},
    {"header star creds", "OPTIONS", "PUT", "x-debug", NULL, CRED, 204,
     "Access-Control-Allow-Origin: " O "\nAccess-Control-Allow-Credentials: true\n"
     "Access-Control-Allow-Methods: PUT\nAccess-Control-Allow-Headers: *\n",
     CORS_BLOCK_HEADER_NOT_ALLOWED, "x-debug", 0, "only without credentials"},
    {"authorization star", "OPTIONS", "GET", "authorization", NULL, 0, 204,
     "Access-Control-Allow-Origin: *\nAccess-Control-Allow-Headers: *\n",
     CORS_BLOCK_AUTHORIZATION_NOT_ALLOWED, "authorization", 1, "Chromium still accepts it"},
    {"authorization star chromium", "OPTIONS", "GET", "authorization", NULL, CHROME, 204,
     "Access-Control-Allow-Origin: *\nAccess-Control-Allow-Headers: *\n", CORS_BLOCK_NONE, NULL,
     1, "the Fetch Standard does not allow it"},
    {"authorization star creds chromium", "OPTIONS", "GET", "authorization", NULL, CRED | CHROME,
     204,
     "Access-Control-Allow-Origin: " O "\nAccess-Control-Allow-Credentials: true\n"
     "Access-Control-Allow-Headers: *\n",
     CORS_BLOCK_AUTHORIZATION_NOT_ALLOWED, "authorization", 0, "never covers it"},
    {"authorization named", "OPTIONS", "GET", "Authorization", NULL, 0, 204,
     "Access-Control-Allow-Origin: *\nAccess-Control-Allow-Headers: authorization\n",
     CORS_BLOCK_NONE, NULL, 0, "allows"},
    {"pna missing", "OPTIONS", "GET", NULL, "true", 0, 204, "Access-Control-Allow-Origin: *\n",
     CORS_BLOCK_PRIVATE_NETWORK_NOT_ALLOWED, NULL, 0, "private network"},
    {"pna ok", "OPTIONS", "GET", NULL, "true", 0, 204,
     "Access-Control-Allow-Origin: *\nAccess-Control-Allow-Private-Network: true\n",
     CORS_BLOCK_NONE, NULL, 0, "allows"},
    /* OPTIONS without Access-Control-Request-Method is an actual request */
    {"options actual", "OPTIONS", NULL, NULL, NULL, 0, 500, "Access-Control-Allow-Origin: *\n",
     CORS_BLOCK_NONE, NULL, 0, "may read"},
};

#define MAX_FIELDS 8

/* Splits "Name: value\n..." into fields pointing into text. */
static size_t split(const char *text, cors_header *h)
{
    size_t n = 0;
    const char *p = text;

    while (*p) {
        const char *nl = strchr(p, '\n'), *colon = strchr(p, ':');
        ck_assert(nl && colon && colon < nl && n < MAX_FIELDS);
        h[n].name = p;
        h[n].name_len = (size_t)(colon - p);
        h[n].value = colon + 1;
        h[n].value_len = (size_t)(nl - colon - 1);
        h[n].flags = 0;
        n++;
        p = nl + 1;
    }
    return n;
}

static void set(const char **p, size_t *n, const char *s)
{
    *p = s;
    *n = s ? strlen(s) : 0;
}

START_TEST(test_rows)
{
    const row *r = &rows[_i];
    cors_header h[MAX_FIELDS];
    cors_request q;
    cors_response resp;
    cors_verdict v;
    cors_str acrh;
    char why[512];
    size_t len;

    cors_request_init(&q);
    set(&q.method, &q.method_len, r->method);
    set(&q.origin, &q.origin_len, O);
    set(&q.request_method, &q.request_method_len, r->acrm);
    set(&q.request_private_network, &q.request_private_network_len, r->pna);
    if (r->acrh) {
        set(&acrh.ptr, &acrh.len, r->acrh);
        q.request_headers = &acrh;
        q.request_headers_count = 1;
    }
    cors_response_init(&resp);
    resp.status = r->status;
    resp.headers = h;
    resp.headers_count = split(r->headers, h);
    cors_verdict_init(&v);
    ck_assert_int_eq(cors_check_response(&q, &resp, r->flags, &v), CORS_OK);
    ck_assert_msg(v.block == r->block, "%s: block %s, expected %s", r->what,
                  cors_block_string(v.block), cors_block_string(r->block));
    ck_assert_int_eq(v.preflight, r->acrm != NULL && strcmp(r->method, "OPTIONS") == 0);
    if (r->detail)
        ck_assert_msg(v.detail && v.detail_len == strlen(r->detail) &&
                          memcmp(v.detail, r->detail, v.detail_len) == 0,
                      "%s: detail %.*s", r->what, (int)v.detail_len, v.detail ? v.detail : "");
    else
        ck_assert_msg(v.detail == NULL, "%s: unexpected detail", r->what);
    ck_assert_int_eq(v.chromium_differs, r->chromium_differs);
    len = cors_verdict_describe(&q, &v, why, sizeof why);
    ck_assert_uint_lt(len, sizeof why);
    ck_assert_msg(strstr(why, r->says) != NULL, "%s: \"%s\" lacks \"%s\"", r->what, why, r->says);
}
END_TEST

START_TEST(test_not_cors)
{
    cors_request q;
    cors_response resp;
    cors_verdict v;
    char why[128];

    cors_request_init(&q);
    set(&q.method, &q.method_len, "GET");
    cors_response_init(&resp);
    cors_verdict_init(&v);
    ck_assert_int_eq(cors_check_response(&q, &resp, 0, &v), CORS_OK);
    ck_assert_int_eq(v.block, CORS_BLOCK_NONE);
    cors_verdict_describe(&q, &v, why, sizeof why);
    ck_assert_str_eq(why, "not a CORS request: nothing to check");
}
END_TEST

START_TEST(test_arguments)
{
    cors_request q;
    cors_response resp;
    cors_verdict v;
    cors_header h = {NULL, 3, "x", 1, 0};

    cors_request_init(&q);
    cors_response_init(&resp);
    cors_verdict_init(&v);
    ck_assert_int_eq(cors_check_response(NULL, &resp, 0, &v), CORS_ERR_INVALID_ARGUMENT);
    ck_assert_int_eq(cors_check_response(&q, NULL, 0, &v), CORS_ERR_INVALID_ARGUMENT);
    ck_assert_int_eq(cors_check_response(&q, &resp, 0, NULL), CORS_ERR_INVALID_ARGUMENT);
    resp.headers = &h;
    resp.headers_count = 1;
    ck_assert_int_eq(cors_check_response(&q, &resp, 0, &v), CORS_ERR_INVALID_ARGUMENT);
    resp.headers_count = 0;
    v.struct_size = 0;
    ck_assert_int_eq(cors_check_response(&q, &resp, 0, &v), CORS_ERR_STRUCT_SIZE);
    cors_verdict_init(&v);
    resp.struct_size = 4;
    ck_assert_int_eq(cors_check_response(&q, &resp, 0, &v), CORS_ERR_STRUCT_SIZE);
}
END_TEST

START_TEST(test_block_strings)
{
    int b;

    for (b = CORS_BLOCK_NONE; b <= CORS_BLOCK_PRIVATE_NETWORK_NOT_ALLOWED; b++)
        ck_assert_str_ne(cors_block_string((cors_block)b), "unknown block");
    ck_assert_str_eq(cors_block_string((cors_block)999), "unknown block");
}
END_TEST

/* Bytes from the wire are escaped, and snprintf rules hold. */
START_TEST(test_describe_escapes)
{
    cors_request q;
    cors_verdict v;
    char small[8], why[256];
    size_t full;

    cors_request_init(&q);
    set(&q.origin, &q.origin_len, O);
    cors_verdict_init(&v);
    v.block = CORS_BLOCK_ORIGIN_MISMATCH;
    v.detail = "a\r\nb";
    v.detail_len = 4;
    full = cors_verdict_describe(&q, &v, why, sizeof why);
    ck_assert_uint_eq(full, strlen(why));
    ck_assert_ptr_nonnull(strstr(why, "\"a\\x0d\\x0ab\""));
    ck_assert_uint_eq(cors_verdict_describe(&q, &v, small, sizeof small), full);
    ck_assert_uint_eq(strlen(small), sizeof small - 1);
    ck_assert_uint_eq(cors_verdict_describe(&q, &v, NULL, 0), full);
    ck_assert_uint_eq(cors_verdict_describe(NULL, &v, why, sizeof why), strlen("no verdict"));
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("response");
    TCase *tc = tcase_create("core");

    tcase_add_loop_test(tc, test_rows, 0, NCASES(rows));
    tcase_add_test(tc, test_not_cors);
    tcase_add_test(tc, test_arguments);
    tcase_add_test(tc, test_block_strings);
    tcase_add_test(tc, test_describe_escapes);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return tu_main(suite());
}
