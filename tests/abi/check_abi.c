/*
 * check_abi.c - the struct_size promise, seen from the current header:
 * the 0.1.0 layouts are the smallest accepted, members past a caller's
 * struct_size are absent, results are written only up to it, and larger
 * (newer) sizes are accepted.  abi_0_1_0.c checks the same from a program
 * really built against the 0.1.0 header.
 */
#include "testutil.h"

#include <stddef.h>

/* The 0.1.0 layouts end with these members. */
#define REQUEST_0_1 (offsetof(cors_request, request_private_network_len) + sizeof(size_t))
#define RESULT_0_1 (offsetof(cors_result, detail_len) + sizeof(size_t))
#define EXTRA 64
#define GUARD 0xA5

static cors_policy *policy;

static void setup(void)
{
    policy = tu_policy("allow-origin https://app.example.com\nallow-methods PUT\n");
}

static void teardown(void)
{
    cors_policy_free(policy);
}

/* A request or result with room after it, as a newer caller has. */
typedef union grown_request {
    cors_request req;
    unsigned char bytes[sizeof(cors_request) + EXTRA];
} grown_request;

typedef union grown_result {
    cors_result res;
    unsigned char bytes[sizeof(cors_result) + EXTRA];
} grown_result;

static int all_guard(const unsigned char *p, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++)
        if (p[i] != GUARD)
            return 0;
    return 1;
}

static void actual_request(cors_request *req, size_t struct_size)
{
    cors_request_init_sized(req, struct_size);
    req->method = "GET";
    req->method_len = 3;
    req->origin = "https://app.example.com";
    req->origin_len = 23;
}

/* Sizes a caller may have: 0.1.0's, the current one, a newer one. */
static const size_t request_sizes[] = {REQUEST_0_1, sizeof(cors_request),
                                       sizeof(cors_request) + EXTRA};
static const size_t result_sizes[] = {RESULT_0_1, sizeof(cors_result),
                                      sizeof(cors_result) + EXTRA};

START_TEST(test_sizes_accepted)
{
    grown_request r;
    grown_result out;
    size_t rq = request_sizes[_i / 3], rs = result_sizes[_i % 3];
    tu_capture c;

    memset(&c, 0, sizeof c);
    memset(&r, GUARD, sizeof r);
    memset(&out, GUARD, sizeof out);
    actual_request(&r.req, rq);
    cors_result_init_sized(&out.res, rs);
    ck_assert_int_eq(cors_evaluate(policy, &r.req, tu_emit, &c, &out.res), CORS_OK);
    ck_assert_int_eq(out.res.outcome, CORS_OUTCOME_ACTUAL_ALLOWED);
    ck_assert_str_eq(tu_get(&c, "Access-Control-Allow-Origin"), "https://app.example.com");
    ck_assert_uint_eq(out.res.struct_size, rs);
    /* Neither init nor evaluate wrote past the caller's size, nor past the
       library's own struct when the caller's is larger. */
    ck_assert(all_guard(out.bytes + (rs < sizeof(cors_result) ? rs : sizeof(cors_result)),
                        sizeof out.bytes - (rs < sizeof(cors_result) ? rs : sizeof(cors_result))));
    ck_assert(all_guard(r.bytes + (rq < sizeof(cors_request) ? rq : sizeof(cors_request)),
                        sizeof r.bytes - (rq < sizeof(cors_request) ? rq : sizeof(cors_request))));
}
END_TEST

/* Members past a caller's struct_size are never read: whatever the bytes
   there hold, the outcome is that of the 0.1.0 members alone. */
START_TEST(test_members_past_size_absent)
{
    cors_request req, want;
    cors_result a, b;

    actual_request(&want, sizeof want);
    memset(&req, GUARD, sizeof req);
    actual_request(&req, REQUEST_0_1);
    cors_result_init(&a);
    cors_result_init(&b);
    ck_assert_int_eq(cors_evaluate(policy, &want, NULL, NULL, &a), CORS_OK);
    ck_assert_int_eq(cors_evaluate(policy, &req, NULL, NULL, &b), CORS_OK);
    ck_assert_int_eq(a.outcome, b.outcome);
    ck_assert_int_eq(a.reason, b.reason);
}
END_TEST

/* Sizes below 0.1.0's: init writes only what the caller has (nothing
   below sizeof(size_t)), and evaluation refuses the struct. */
static const size_t small_sizes[] = {0, 1, sizeof(size_t) - 1, sizeof(size_t),
                                     offsetof(cors_request, origin), REQUEST_0_1 - 1};

START_TEST(test_request_below_minimum)
{
    grown_request r;
    grown_result out;
    size_t n = small_sizes[_i];

    memset(&r, GUARD, sizeof r);
    cors_request_init_sized(&r.req, n);
    if (n < sizeof(size_t)) {
        ck_assert(all_guard(r.bytes, sizeof r.bytes));
        r.req.struct_size = n; /* what the caller would have left there */
    } else {
        ck_assert_uint_eq(r.req.struct_size, n);
        ck_assert(all_guard(r.bytes + n, sizeof r.bytes - n));
    }
    cors_result_init(&out.res);
    ck_assert_int_eq(cors_evaluate(policy, &r.req, NULL, NULL, &out.res), CORS_ERR_STRUCT_SIZE);
}
END_TEST

static const size_t small_result_sizes[] = {0, sizeof(size_t), offsetof(cors_result, detail),
                                            RESULT_0_1 - 1};

START_TEST(test_result_below_minimum)
{
    cors_request req;
    grown_result out;
    size_t n = small_result_sizes[_i];
    cors_header h[CORS_MAX_HEADERS];
    size_t count = 9;

    actual_request(&req, sizeof req);
    memset(&out, GUARD, sizeof out);
    cors_result_init_sized(&out.res, n);
    out.res.struct_size = n;
    ck_assert_int_eq(cors_evaluate(policy, &req, NULL, NULL, &out.res), CORS_ERR_STRUCT_SIZE);
    ck_assert_int_eq(cors_evaluate_headers(policy, &req, h, CORS_MAX_HEADERS, &count, NULL, 0,
                                           &out.res),
                     CORS_ERR_STRUCT_SIZE);
    ck_assert_uint_eq(count, 0);
    ck_assert(all_guard(out.bytes + (n > sizeof(size_t) ? n : sizeof(size_t)),
                        sizeof out.bytes - (n > sizeof(size_t) ? n : sizeof(size_t))));
}
END_TEST


static Suite *abi_suite(void)
{
    Suite *s = suite_create("abi");
    TCase *tc = tcase_create("sizes");

    tcase_add_unchecked_fixture(tc, setup, teardown);
    tcase_add_loop_test(tc, test_sizes_accepted, 0, (int)(COUNT_OF(request_sizes) * COUNT_OF(result_sizes)));
    tcase_add_test(tc, test_members_past_size_absent);
    tcase_add_loop_test(tc, test_request_below_minimum, 0, (int)COUNT_OF(small_sizes));
    tcase_add_loop_test(tc, test_result_below_minimum, 0, (int)COUNT_OF(small_result_sizes));
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return tu_main(abi_suite());
}
