/*
 * check_alloc.c - allocation failure, in the manner of libexpat's
 * allocation tests: a counting allocator fails the Nth allocation, for
 * N = 0, 1, 2, ... until a whole run completes without reaching N.  At
 * every N each call either does what it does normally or reports
 * CORS_ERR_NOMEM, nothing crashes, and everything allocated is freed.
 * Also: a policy allocates through its own allocator, and cors_evaluate()
 * never allocates at all.
 */
#include "testutil.h"

/* ------------------------------------------------- counting allocator */

typedef struct counter {
    long calls;    /* malloc_fn calls so far */
    long fail_at;  /* the call that returns NULL; -1: none */
    long live;     /* blocks allocated and not yet freed */
    long peak;
    int failed;    /* the failure was injected */
} counter;

static void *counting_malloc(size_t size, void *user_data)
{
    counter *c = user_data;
    void *p;

    ck_assert_uint_gt(size, 0);
    if (c->calls++ == c->fail_at) {
        c->failed = 1;
        return NULL;
    }
    p = malloc(size);
    ck_assert_ptr_nonnull(p);
    if (++c->live > c->peak)
        c->peak = c->live;
    return p;
}

static void counting_free(void *ptr, void *user_data)
{
    counter *c = user_data;

    /* cors.h promises free_fn is never called with NULL */
    ck_assert_ptr_nonnull(ptr);
    ck_assert_int_gt(c->live, 0);
    c->live--;
    free(ptr);
}

static cors_allocator make_allocator(counter *c, long fail_at)
{
    cors_allocator a;

    memset(c, 0, sizeof *c);
    c->fail_at = fail_at;
    a.malloc_fn = counting_malloc;
    a.free_fn = counting_free;
    a.user_data = c;
    return a;
}

/* ------------------------------------------------------------- a run */

#define MAX_STEPS 400
#define MAX_BUILDS 4
#define LOG_SIZE 65536

/* What one run of a scenario did: every call's result, and for every
   build its result, its diagnostics and the policy it gave. */
typedef struct run {
    counter *c;
    int builder_null;
    size_t nsteps;
    cors_error step[MAX_STEPS];
    size_t nbuilds;
    cors_error build[MAX_BUILDS];
    char *diags[MAX_BUILDS];  /* every diagnostic after each build */
    char *policy[MAX_BUILDS]; /* the built policy's text and answers */
} run;

static void run_init(run *r, counter *c)
{
    size_t i;

    memset(r, 0, sizeof *r);
    r->c = c;
    for (i = 0; i < MAX_BUILDS; i++) {
        r->diags[i] = calloc(1, LOG_SIZE);
        r->policy[i] = calloc(1, LOG_SIZE);
        ck_assert_ptr_nonnull(r->diags[i]);
        ck_assert_ptr_nonnull(r->policy[i]);
    }
}

static void run_free(run *r)
{
    size_t i;

    for (i = 0; i < MAX_BUILDS; i++) {
        free(r->diags[i]);
        free(r->policy[i]);
    }
}

static void step(run *r, cors_error e)
{
    ck_assert_uint_lt(r->nsteps, MAX_STEPS);
    r->step[r->nsteps++] = e;
}

/* Appends n bytes of s and a number to a log line. */
static void log_line(char *log, const char *s, size_t n, long number)
{
    size_t used = strlen(log);

    snprintf(log + used, LOG_SIZE - used, "%.*s %ld\n", (int)n, s, number);
}

/* Requests whose answers go into the log of a built policy. */
static const struct probe {
    const char *method, *origin, *acrm, *acrh;
} probes[] = {
    {"GET", NULL, NULL, NULL},
    {"GET", "https://app.example.com", NULL, NULL},
    {"POST", "https://x.y.example.com", NULL, NULL},
    {"GET", "https://evil.example", NULL, NULL},
    {"OPTIONS", "https://app.example.com", "PUT", "content-type, x-requested-with"},
    {"OPTIONS", "https://example.com:8443", "PATCH", "x-h7"},
    {"OPTIONS", "https://app17.example.net", "DELETE", "x-nope"},
    {"OPTIONS", "http://localhost:3000", "TRACE", NULL},
};

/* Builds, logs the outcome, exercises the policy, and frees it. */
static void build_and_log(run *r, cors_builder *b)
{
    cors_policy *p = NULL;
    cors_error e = cors_builder_build(b, &p);
    char *diags, *log;
    size_t i;

    step(r, e);
    ck_assert_uint_lt(r->nbuilds, MAX_BUILDS);
    diags = r->diags[r->nbuilds];
    log = r->policy[r->nbuilds];
    r->build[r->nbuilds++] = e;
    ck_assert_msg(e == CORS_OK || e == CORS_ERR_POLICY || e == CORS_ERR_NOMEM, "build: %s",
                  cors_strerror(e));
    ck_assert((e == CORS_OK) == (p != NULL));
    for (i = 0; i < cors_builder_diagnostic_count(b); i++) {
        const cors_diagnostic *d = cors_builder_diagnostic(b, i);
        const unsigned char *m;
        ck_assert_ptr_nonnull(d);
        ck_assert_ptr_nonnull(d->message);
        for (m = (const unsigned char *)d->message; *m; m++)
            ck_assert(*m >= 0x20 && *m < 0x7f);
        log_line(diags, d->message, strlen(d->message),
                 (long)d->line * 100 + (long)d->code * 2 + (long)d->severity);
    }
    if (p) {
        long calls = r->c->calls;
        size_t n = cors_policy_to_text(p, NULL, 0);
        char *text = malloc(n + 1);

        ck_assert_ptr_nonnull(text);
        cors_policy_to_text(p, text, n + 1);
        log_line(log, text, n, 0);
        free(text);
        for (i = 0; i < sizeof probes / sizeof probes[0]; i++) {
            tu_capture cap;
            cors_result res;
            char why[300];
            size_t k;
            ck_assert_int_eq(tu_run(p, probes[i].method, probes[i].origin, probes[i].acrm,
                                    probes[i].acrh, &cap, &res),
                             CORS_OK);
            cors_result_describe(p, &res, why, sizeof why);
            log_line(log, why, strlen(why), (long)res.status);
            for (k = 0; k < cap.n; k++) {
                log_line(log, cap.h[k].name, strlen(cap.h[k].name), 0);
                log_line(log, cap.h[k].value, cap.h[k].value_len, (long)cap.h[k].flags);
            }
        }
        /* none of that touched the allocator */
        ck_assert_int_eq(r->c->calls, calls);
        cors_policy_free(p);
    }
}

/* ---------------------------------------------------------- scenarios */


/* The rich policy through API calls: enough entries that every table and
   list grows several times, with warnings (so diagnostics allocate) and
   the checks that run at build time. */
static void scenario_api(run *r, const cors_allocator *a)
{
    static const char *const origins[] = {
        "https://app.example.com", "https://*.example.com", "https://example.com:*",
        "http://localhost:3000",   "https://[::1]:8443",    "https://app.example.com"};
    static const char *const methods[] = {"PUT", "delete", "PATCH", "GET", "PUT"};
    static const char *const headers[] = {"Content-Type", "X-Requested-With", "Accept",
                                          "Authorization", "x-requested-with"};
    char name[64];
    cors_builder *b = cors_builder_new(a);
    size_t i;

    if (!b) {
        r->builder_null = 1;
        return;
    }
    for (i = 0; i < sizeof origins / sizeof origins[0]; i++)
        step(r, cors_builder_allow_origin(b, origins[i], strlen(origins[i])));
    for (i = 0; i < 40; i++) {
        snprintf(name, sizeof name, "https://app%zu.example.net", i);
        step(r, cors_builder_allow_origin(b, name, strlen(name)));
    }
    for (i = 0; i < sizeof methods / sizeof methods[0]; i++)
        step(r, cors_builder_allow_method(b, methods[i], strlen(methods[i])));
    for (i = 0; i < sizeof headers / sizeof headers[0]; i++)
        step(r, cors_builder_allow_header(b, headers[i], strlen(headers[i])));
    for (i = 0; i < 20; i++) {
        snprintf(name, sizeof name, "X-H%zu", i);
        step(r, cors_builder_allow_header(b, name, strlen(name)));
    }
    step(r, cors_builder_expose_header(b, S("X-Request-Id")));
    step(r, cors_builder_expose_header(b, S("Content-Length")));
    step(r, cors_builder_expose_header(b, S("X-Trace")));
    step(r, cors_builder_allow_credentials(b, 1));
    step(r, cors_builder_set_max_age(b, 9000));
    step(r, cors_builder_allow_private_network(b, 1));
    step(r, cors_builder_set_preflight_status(b, 200));
    build_and_log(r, b);
    /* refused values and a conflict: error diagnostics allocate too */
    step(r, cors_builder_allow_origin(b, S("https://bad.example/")));
    step(r, cors_builder_allow_origin(b, S("http://insecure.example")));
    step(r, cors_builder_allow_method(b, S("CONNECT")));
    step(r, cors_builder_allow_header(b, S("Cookie")));
    step(r, cors_builder_expose_header(b, S("Set-Cookie")));
    step(r, cors_builder_set_max_age(b, 86401));
    build_and_log(r, b);
    cors_builder_free(b);
}

static const char good_text[] =
    "# the rich policy as text\n"
    "allow-origin https://app.example.com https://*.example.com https://example.com:*\n"
    "allow-origin http://localhost:3000, https://[::1]:8443 https://app.example.com\n"
    "allow-origin https://app0.example.net https://app1.example.net https://app2.example.net\n"
    "allow-origin https://app3.example.net https://app4.example.net https://app5.example.net\n"
    "allow-origin https://app6.example.net https://app7.example.net https://app8.example.net\n"
    "allow-origin https://app9.example.net https://app10.example.net https://app11.example.net\n"
    "allow-origin https://app12.example.net https://app13.example.net\n"
    "allow-origin https://app14.example.net https://app15.example.net\n"
    "allow-origin https://app16.example.net https://app17.example.net\n"
    "allow-methods PUT delete PATCH GET PUT\r\n"
    "allow-headers Content-Type, X-Requested-With, Accept, Authorization x-requested-with\n"
    "allow-headers X-H0 X-H1 X-H2 X-H3 X-H4 X-H5 X-H6 X-H7 X-H8 X-H9 X-H10 X-H11\n"
    "expose-headers X-Request-Id Content-Length X-Trace\n"
    "allow-credentials on\n"
    "max-age 9000\n"
    "allow-private-network on\n"
    "preflight-status 200\n";

static const char bad_text[] =
    "allow-origin https://a.example/ http://b.example https://*.c.example\n"
    "allow-methods CONNECT patch GET\n"
    "allow-headers Cookie Accept X-A x-a\n"
    "expose-headers Set-Cookie Content-Type\n"
    "max-age 99999\n"
    "max-age 5\n"
    "allow-credentials maybe\n"
    "allow-credentials on\n"
    "frobnicate on\n"
    "allow-origin *\n"
    "allow-methods\n"
    "preflight-status 99999999999\n"
    "allow-headers X-B # a comment\n"
    "allow-origin https://*.com\n";

static void scenario_text(run *r, const cors_allocator *a)
{
    cors_builder *b = cors_builder_new(a);

    if (!b) {
        r->builder_null = 1;
        return;
    }
    step(r, cors_builder_parse(b, S(good_text)));
    build_and_log(r, b);
    build_and_log(r, b);
    step(r, cors_builder_parse(b, S(bad_text)));
    build_and_log(r, b);
    cors_builder_free(b);
}

typedef void (*scenario_fn)(run *r, const cors_allocator *a);

static const struct scenario {
    const char *name;
    scenario_fn fn;
    cors_error first_build; /* the normal result of the first build */
} scenarios[] = {
    {"api", scenario_api, CORS_OK},
    {"text", scenario_text, CORS_OK},
};

/* ---------------------------------------------------------------- sweep */

static void run_scenario(const struct scenario *s, long fail_at, counter *c, run *r)
{
    cors_allocator a = make_allocator(c, fail_at);

    run_init(r, c);
    s->fn(r, &a);
    /* no leak, whatever failed */
    ck_assert_msg(c->live == 0, "%s: %ld blocks leaked with allocation %ld failing", s->name,
                  c->live, fail_at);
}

START_TEST(test_sweep)
{
    const struct scenario *s = &scenarios[_i];
    counter rc, c;
    run ref, r;
    long n;
    size_t i;

    /* the reference: nothing fails */
    run_scenario(s, -1, &rc, &ref);
    ck_assert(!rc.failed);
    ck_assert(!ref.builder_null);
    ck_assert_int_eq(ref.build[0], s->first_build);
    ck_assert_int_eq(ref.build[ref.nbuilds - 1], CORS_ERR_POLICY);
    ck_assert_int_gt(rc.calls, 30);

    for (n = 0;; n++) {
        int reported = 0;

        ck_assert_int_le(n, rc.calls);
        run_scenario(s, n, &c, &r);
        if (!c.failed) {
            /* the allocation count was passed: the run is the normal one */
            ck_assert_int_eq(n, rc.calls);
            ck_assert_int_eq(c.calls, rc.calls);
            ck_assert_uint_eq(r.nsteps, ref.nsteps);
            for (i = 0; i < r.nsteps; i++)
                ck_assert_int_eq(r.step[i], ref.step[i]);
            ck_assert_uint_eq(r.nbuilds, ref.nbuilds);
            for (i = 0; i < r.nbuilds; i++) {
                ck_assert_int_eq(r.build[i], ref.build[i]);
                ck_assert_str_eq(r.diags[i], ref.diags[i]);
                ck_assert_str_eq(r.policy[i], ref.policy[i]);
            }
            run_free(&r);
            break;
        }
        if (r.builder_null) {
            /* only the builder's own allocation can make it fail */
            ck_assert_int_eq(n, 0);
            reported = 1;
        } else {
            ck_assert_uint_eq(r.nsteps, ref.nsteps);
            for (i = 0; i < r.nsteps; i++) {
                ck_assert_msg(r.step[i] == ref.step[i] || r.step[i] == CORS_ERR_NOMEM,
                              "%s: allocation %ld failing: step %zu gave \"%s\", normally "
                              "\"%s\"",
                              s->name, n, i, cors_strerror(r.step[i]),
                              cors_strerror(ref.step[i]));
                if (r.step[i] == CORS_ERR_NOMEM && ref.step[i] != CORS_ERR_NOMEM)
                    reported = 1;
            }
            /* a build that still succeeds lost nothing: it gives exactly
               the normal policy and diagnostics */
            ck_assert_uint_eq(r.nbuilds, ref.nbuilds);
            for (i = 0; i < r.nbuilds; i++) {
                if (r.build[i] != CORS_OK)
                    continue;
                ck_assert_str_eq(r.diags[i], ref.diags[i]);
                ck_assert_str_eq(r.policy[i], ref.policy[i]);
            }
        }
        /* the failure never goes unnoticed */
        ck_assert_msg(reported, "%s: allocation %ld failed silently", s->name, n);
        run_free(&r);
    }
    run_free(&ref);
}
END_TEST

/* ------------------------------------------------ policy's own memory */

/* A policy allocates through the allocator it was built with, outlives
   its builder, and gives every block back when freed. */
START_TEST(test_policy_allocator)
{
    counter c1, c2;
    cors_allocator a1 = make_allocator(&c1, -1), a2 = make_allocator(&c2, -1);
    cors_builder *b1 = cors_builder_new(&a1), *b2 = cors_builder_new(&a2);
    cors_policy *p1 = NULL, *p2 = NULL, *extra = NULL;
    long before_build, policy_blocks;
    tu_capture cap;
    cors_result res;

    ck_assert_int_eq(cors_builder_parse(b1, S(good_text)), CORS_OK);
    ck_assert_int_eq(cors_builder_parse(b2, S("allow-origin *\n")), CORS_OK);
    ck_assert_int_eq(cors_builder_build(b1, &p1), CORS_OK);
    /* a second build of the same builder replaces its own diagnostics
       one for one, so what it adds is exactly one policy's blocks */
    before_build = c1.live;
    ck_assert_int_eq(cors_builder_build(b1, &extra), CORS_OK);
    policy_blocks = c1.live - before_build;
    ck_assert_int_gt(policy_blocks, 0);
    cors_policy_free(extra);
    ck_assert_int_eq(c1.live, before_build);
    ck_assert_int_eq(cors_builder_build(b2, &p2), CORS_OK);
    cors_builder_free(b1);
    cors_builder_free(b2);
    /* only the policies' blocks remain, each in its own allocator */
    ck_assert_int_eq(c1.live, policy_blocks);
    ck_assert_int_gt(c2.live, 0);
    /* the policy needs nothing from its builder any more */
    ck_assert_int_eq(tu_run(p1, "OPTIONS", "https://app.example.com", "PUT", "x-h3", &cap, &res),
                     CORS_OK);
    ck_assert_int_eq(res.outcome, CORS_OUTCOME_PREFLIGHT_ACCEPTED);
    ck_assert_str_eq(tu_get(&cap, "Access-Control-Allow-Origin"), "https://app.example.com");
    cors_policy_free(p1);
    ck_assert_int_eq(c1.live, 0);
    ck_assert_int_gt(c2.live, 0);
    cors_policy_free(p2);
    ck_assert_int_eq(c2.live, 0);
}
END_TEST

/* The default allocator is malloc/free: a NULL allocator works. */
START_TEST(test_default_allocator)
{
    cors_builder *b = cors_builder_new(NULL);
    cors_policy *p = NULL;

    ck_assert_int_eq(cors_builder_parse(b, S(good_text)), CORS_OK);
    ck_assert_int_eq(cors_builder_build(b, &p), CORS_OK);
    cors_builder_free(b);
    cors_policy_free(p);
}
END_TEST

/* ------------------------------------------- evaluation never allocates */

static const struct no_alloc_case {
    const char *method, *origin, *acrm;
    const char *acrh[3];
    size_t nacrh;
    const char *pna;
} no_alloc_cases[] = {
    {"GET", NULL, NULL, {NULL}, 0, NULL},
    {"GET", "https://app.example.com", NULL, {NULL}, 0, NULL},
    {"GET", "https://evil.example", NULL, {NULL}, 0, NULL},
    {"GET", "null", NULL, {NULL}, 0, NULL},
    {"OPTIONS", "https://a.example.com", "PUT", {"x-h1, content-type"}, 1, "true"},
    {"OPTIONS", "https://a.example.com", "PATCH", {"x-h1", "x-h2", "accept"}, 3, NULL},
    {"OPTIONS", "https://app.example.com", "MOVE", {NULL}, 0, NULL},
    {"OPTIONS", "https://app.example.com", "PUT", {"x-unknown"}, 1, NULL},
    {"OPTIONS", "https://app.example.com", "PUT", {"x-h1;"}, 1, "false"},
};

/* The echoing policy composes values into scratch space; still no heap. */
static const char *const no_alloc_policies[] = {
    good_text,
    "allow-origin https://app.example.com https://*.example.com\nallow-methods *\n"
    "allow-headers *\nallow-credentials on\nallow-private-network on\n",
    "allow-origin *\nallow-methods PUT\nexpose-headers *\n",
};

START_TEST(test_evaluate_no_alloc)
{
    const struct no_alloc_case *t = &no_alloc_cases[_i];
    size_t k;

    for (k = 0; k < sizeof no_alloc_policies / sizeof no_alloc_policies[0]; k++) {
        counter c;
        cors_allocator a = make_allocator(&c, -1);
        cors_builder *b = cors_builder_new(&a);
        cors_policy *p = NULL;
        cors_request req;
        cors_str lines[3];
        cors_result res;
        cors_header arr[CORS_MAX_HEADERS];
        char scratch[CORS_SCRATCH_SIZE], why[512];
        size_t count, i;
        long calls, live;
        tu_capture cap;

        ck_assert_int_eq(cors_builder_parse(b, no_alloc_policies[k],
                                            strlen(no_alloc_policies[k])),
                         CORS_OK);
        ck_assert_int_eq(cors_builder_build(b, &p), CORS_OK);
        cors_request_init(&req);
        req.method = t->method;
        req.method_len = strlen(t->method);
        if (t->origin) {
            req.origin = t->origin;
            req.origin_len = strlen(t->origin);
        }
        if (t->acrm) {
            req.request_method = t->acrm;
            req.request_method_len = strlen(t->acrm);
        }
        for (i = 0; i < t->nacrh; i++) {
            lines[i].ptr = t->acrh[i];
            lines[i].len = strlen(t->acrh[i]);
        }
        req.request_headers = t->nacrh ? lines : NULL;
        req.request_headers_count = t->nacrh;
        if (t->pna) {
            req.request_private_network = t->pna;
            req.request_private_network_len = strlen(t->pna);
        }
        calls = c.calls;
        live = c.live;
        /* make any allocation now fail loudly as well */
        c.fail_at = calls;
        ck_assert_int_eq(tu_run_request(p, &req, &cap, &res), CORS_OK);
        ck_assert_uint_gt(cap.n, 0);
        cors_result_init(&res);
        ck_assert_int_eq(cors_evaluate_headers(p, &req, arr, CORS_MAX_HEADERS, &count, scratch,
                                               sizeof scratch, &res),
                         CORS_OK);
        cors_result_describe(p, &res, why, sizeof why);
        cors_policy_to_text(p, why, sizeof why);
        ck_assert_int_eq(c.calls, calls);
        ck_assert_int_eq(c.live, live);
        ck_assert(!c.failed);
        cors_policy_free(p);
        cors_builder_free(b);
        ck_assert_int_eq(c.live, 0);
    }
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("allocation");
    TCase *tc = tcase_create("core");

    /* the sweep runs each scenario a few hundred times; valgrind is slow */
    tcase_set_timeout(tc, 600);
    tcase_add_loop_test(tc, test_sweep, 0, (int)(sizeof scenarios / sizeof scenarios[0]));
    tcase_add_test(tc, test_policy_allocator);
    tcase_add_test(tc, test_default_allocator);
    tcase_add_loop_test(tc, test_evaluate_no_alloc, 0,
                        (int)(sizeof no_alloc_cases / sizeof no_alloc_cases[0]));
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return tu_main(suite());
}
