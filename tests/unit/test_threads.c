/*
 * test_threads.c - one policy, shared without locks by 8 threads that each
 * evaluate 1,000,000 mixed requests and check every answer.
 *
 * cors.h promises that a built policy is immutable and may be shared by any
 * number of threads.  The expected answers are computed once, before the
 * threads start, and the main thread first checks them against the outcome
 * and reason written in the table, so the threads compare against answers
 * that are known to be right.  Each thread walks the requests in its own
 * order and alternates the callback and the array variant.  Run under
 * ThreadSanitizer (./configure --enable-tsan CC=clang) this also shows that
 * evaluation touches no shared mutable state.
 *
 * CORS_THREAD_TEST_REQUESTS overrides the per-thread count (valgrind, which
 * runs threads one at a time, uses fewer).
 */
#include <cors.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NTHREADS 8
#define DEFAULT_REQUESTS 1000000UL

static const char policy_text[] =
    "allow-origin https://app.example.com https://*.example.com http://localhost:3000\n"
    "allow-origin https://example.com:*\n"
    "allow-methods PUT DELETE patch\n"
    "allow-headers content-type x-requested-with authorization\n"
    "expose-headers x-request-id\n"
    "allow-credentials on\n"
    "max-age 600\n"
    "allow-private-network on\n";

typedef struct spec {
    const char *method, *origin, *acrm, *acrh1, *acrh2, *pna;
    cors_outcome outcome;
    cors_reason reason;
} spec;

static const spec table[] = {
    {"OPTIONS", "https://app.example.com", "PUT", "content-type", NULL, NULL,
     CORS_OUTCOME_PREFLIGHT_ACCEPTED, CORS_REASON_NONE},
    {"OPTIONS", "https://a.b.example.com", "patch", "X-Requested-With, Content-Type",
     "authorization", "true", CORS_OUTCOME_PREFLIGHT_ACCEPTED, CORS_REASON_NONE},
    {"OPTIONS", "https://example.com:8443", "DELETE", NULL, NULL, NULL,
     CORS_OUTCOME_PREFLIGHT_ACCEPTED, CORS_REASON_NONE},
    {"OPTIONS", "http://localhost:3000", "POST", "x-requested-with,content-type", NULL, NULL,
     CORS_OUTCOME_PREFLIGHT_ACCEPTED, CORS_REASON_NONE},
    {"OPTIONS", "https://example.com.evil.net", "PUT", NULL, NULL, NULL,
     CORS_OUTCOME_PREFLIGHT_DENIED, CORS_REASON_ORIGIN_NOT_ALLOWED},
    {"OPTIONS", "https://evilexample.com", "PUT", NULL, NULL, NULL, CORS_OUTCOME_PREFLIGHT_DENIED,
     CORS_REASON_ORIGIN_NOT_ALLOWED},
    {"OPTIONS", "https://app.example.com", "PATCH", NULL, NULL, NULL,
     CORS_OUTCOME_PREFLIGHT_DENIED, CORS_REASON_METHOD_NOT_ALLOWED},
    {"OPTIONS", "https://app.example.com", "PUT", "x-secret", NULL, NULL,
     CORS_OUTCOME_PREFLIGHT_DENIED, CORS_REASON_HEADER_NOT_ALLOWED},
    {"OPTIONS", "https://app.example.com", "PUT", "content-type;", NULL, NULL,
     CORS_OUTCOME_PREFLIGHT_DENIED, CORS_REASON_HEADERS_MALFORMED},
    {"OPTIONS", "https://app.example.com", "PUT", NULL, NULL, "false",
     CORS_OUTCOME_PREFLIGHT_DENIED, CORS_REASON_PRIVATE_NETWORK_MALFORMED},
    {"OPTIONS", "null", "PUT", NULL, NULL, NULL, CORS_OUTCOME_PREFLIGHT_DENIED,
     CORS_REASON_ORIGIN_NULL},
    {"OPTIONS", "https://app.example.com\r\nX-Injected: 1", "PUT", NULL, NULL, NULL,
     CORS_OUTCOME_PREFLIGHT_DENIED, CORS_REASON_ORIGIN_MALFORMED},
    {"OPTIONS", NULL, NULL, NULL, NULL, NULL, CORS_OUTCOME_NOT_CORS, CORS_REASON_NONE},
    {"GET", "https://app.example.com", NULL, NULL, NULL, NULL, CORS_OUTCOME_ACTUAL_ALLOWED,
     CORS_REASON_NONE},
    {"POST", "https://x.example.com", NULL, NULL, NULL, NULL, CORS_OUTCOME_ACTUAL_ALLOWED,
     CORS_REASON_NONE},
    {"PUT", "https://example.com", NULL, NULL, NULL, NULL, CORS_OUTCOME_ACTUAL_ALLOWED,
     CORS_REASON_NONE},
    {"GET", "https://evil.net", NULL, NULL, NULL, NULL, CORS_OUTCOME_ACTUAL_DISALLOWED,
     CORS_REASON_ORIGIN_NOT_ALLOWED},
    {"GET", "HTTPS://APP.EXAMPLE.COM", NULL, NULL, NULL, NULL, CORS_OUTCOME_ACTUAL_DISALLOWED,
     CORS_REASON_ORIGIN_MALFORMED},
    {"GET", NULL, NULL, NULL, NULL, NULL, CORS_OUTCOME_NOT_CORS, CORS_REASON_NONE},
};
#define NREQ (sizeof table / sizeof table[0])

typedef struct expected_header {
    const char *name;
    size_t name_len;
    char value[256];
    size_t value_len;
    unsigned flags;
} expected_header;

typedef struct expected {
    cors_request req;
    cors_str lines[2];
    cors_result res;
    size_t n;
    expected_header h[CORS_MAX_HEADERS];
    char describe[512];
} expected;

static cors_policy *policy;
static expected want[NREQ];
static unsigned long per_thread = DEFAULT_REQUESTS;

typedef struct compare_ctx {
    const expected *e;
    size_t k;
    int bad;
} compare_ctx;

static int compare_emit(void *ctx, const char *name, size_t name_len, const char *value,
                        size_t value_len, unsigned flags)
{
    compare_ctx *c = ctx;
    const expected_header *h;

    if (c->k >= c->e->n) {
        c->bad = 1;
        return 1;
    }
    h = &c->e->h[c->k++];
    if (h->name_len != name_len || memcmp(h->name, name, name_len) != 0 ||
        h->value_len != value_len || memcmp(h->value, value, value_len) != 0 || h->flags != flags)
        c->bad = 1;
    return 0;
}

static int record_emit(void *ctx, const char *name, size_t name_len, const char *value,
                       size_t value_len, unsigned flags)
{
    expected *e = ctx;
    expected_header *h = &e->h[e->n++];

    if (value_len >= sizeof h->value)
        return 1;
    h->name = name; /* names are the library's constant strings */
    h->name_len = name_len;
    memcpy(h->value, value, value_len);
    h->value_len = value_len;
    h->flags = flags;
    return 0;
}

static void set(const char **p, size_t *n, const char *s)
{
    *p = s;
    *n = s ? strlen(s) : 0;
}

static int prepare(void)
{
    size_t i;
    int failed = 0;

    for (i = 0; i < NREQ; i++) {
        const spec *s = &table[i];
        expected *e = &want[i];
        size_t nl = 0;

        cors_request_init(&e->req);
        set(&e->req.method, &e->req.method_len, s->method);
        set(&e->req.origin, &e->req.origin_len, s->origin);
        set(&e->req.request_method, &e->req.request_method_len, s->acrm);
        set(&e->req.request_private_network, &e->req.request_private_network_len, s->pna);
        if (s->acrh1)
            set(&e->lines[nl].ptr, &e->lines[nl].len, s->acrh1), nl++;
        if (s->acrh2)
            set(&e->lines[nl].ptr, &e->lines[nl].len, s->acrh2), nl++;
        e->req.request_headers = nl ? e->lines : NULL;
        e->req.request_headers_count = nl;
        cors_result_init(&e->res);
        if (cors_evaluate(policy, &e->req, record_emit, e, &e->res) != CORS_OK) {
            fprintf(stderr, "request %zu: reference evaluation failed\n", i);
            failed = 1;
            continue;
        }
        cors_result_describe(policy, &e->res, e->describe, sizeof e->describe);
        if (e->res.outcome != s->outcome || e->res.reason != s->reason) {
            fprintf(stderr, "request %zu: expected %s / %s, got %s / %s\n", i,
                    cors_outcome_string(s->outcome), cors_reason_string(s->reason),
                    cors_outcome_string(e->res.outcome), cors_reason_string(e->res.reason));
            failed = 1;
        }
    }
    return failed;
}

typedef struct worker {
    pthread_t thread;
    unsigned id;
    unsigned long checked, mismatches;
    size_t first_bad;
} worker;

static int same_result(const cors_result *a, const cors_result *b)
{
    return a->outcome == b->outcome && a->status == b->status && a->reason == b->reason &&
           a->detail == b->detail && a->detail_len == b->detail_len;
}

static void *run(void *arg)
{
    worker *w = arg;
    /* Each thread its own walk: a stride coprime to NREQ and an offset. */
    static const size_t strides[NTHREADS] = {1, 2, 3, 4, 5, 6, 7, 8};
    size_t stride = strides[w->id] % NREQ ? strides[w->id] : 1, idx = w->id % NREQ;
    char scratch[CORS_SCRATCH_SIZE], text[512];
    cors_header arr[CORS_MAX_HEADERS];
    unsigned long i;

    for (i = 0; i < per_thread; i++) {
        const expected *e = &want[idx];
        cors_result res;
        int bad = 0;

        cors_result_init(&res);
        if (i & 1) {
            size_t count = 0, k;
            if (cors_evaluate_headers(policy, &e->req, arr, CORS_MAX_HEADERS, &count, scratch,
                                      sizeof scratch, &res) != CORS_OK ||
                count != e->n)
                bad = 1;
            for (k = 0; !bad && k < count; k++)
                if (arr[k].name_len != e->h[k].name_len ||
                    memcmp(arr[k].name, e->h[k].name, arr[k].name_len) != 0 ||
                    arr[k].value_len != e->h[k].value_len ||
                    memcmp(arr[k].value, e->h[k].value, arr[k].value_len) != 0 ||
                    arr[k].flags != e->h[k].flags)
                    bad = 1;
        } else {
            compare_ctx c = {e, 0, 0};
            if (cors_evaluate(policy, &e->req, compare_emit, &c, &res) != CORS_OK || c.bad ||
                c.k != e->n)
                bad = 1;
        }
        if (!same_result(&res, &e->res))
            bad = 1;
        if ((i & 15) == 0) {
            cors_result_describe(policy, &res, text, sizeof text);
            if (strcmp(text, e->describe) != 0)
                bad = 1;
        }
        if (bad && w->mismatches++ == 0)
            w->first_bad = idx;
        w->checked++;
        idx = (idx + stride) % NREQ;
    }
    return NULL;
}

int main(void)
{
    cors_builder *b = cors_builder_new(NULL);
    worker workers[NTHREADS];
    const char *env = getenv("CORS_THREAD_TEST_REQUESTS");
    unsigned long total = 0, bad = 0;
    unsigned i;

    if (env && *env)
        per_thread = strtoul(env, NULL, 10);
    if (per_thread == 0) {
        fprintf(stderr, "test-threads: CORS_THREAD_TEST_REQUESTS must be a positive number\n");
        return 99;
    }
    if (!b || cors_builder_parse(b, policy_text, strlen(policy_text)) != CORS_OK ||
        cors_builder_build(b, &policy) != CORS_OK) {
        fprintf(stderr, "test-threads: the policy did not build\n");
        return 1;
    }
    cors_builder_free(b);
    if (prepare() != 0) {
        cors_policy_free(policy);
        return 1;
    }

    memset(workers, 0, sizeof workers);
    for (i = 0; i < NTHREADS; i++) {
        workers[i].id = i;
        if (pthread_create(&workers[i].thread, NULL, run, &workers[i]) != 0) {
            fprintf(stderr, "test-threads: pthread_create failed\n");
            return 99;
        }
    }
    for (i = 0; i < NTHREADS; i++) {
        pthread_join(workers[i].thread, NULL);
        total += workers[i].checked;
        bad += workers[i].mismatches;
        if (workers[i].mismatches)
            fprintf(stderr, "thread %u: %lu wrong answers, first for request %zu\n", i,
                    workers[i].mismatches, workers[i].first_bad);
    }
    cors_policy_free(policy);
    printf("test-threads: %u threads, %lu requests checked, %lu wrong\n", NTHREADS, total, bad);
    if (total != (unsigned long)NTHREADS * per_thread)
        return 1;
    return bad == 0 ? 0 : 1;
}
