/*
 * test_noalloc.c - cors_evaluate() and cors_evaluate_headers() never touch
 * the heap (issue 5), whatever the outcome and however hostile the request.
 *
 * Two witnesses:
 *   - malloc, calloc, realloc, free, aligned_alloc, posix_memalign and the
 *     other heap functions are replaced for the whole process (heapcount.h),
 *     so a heap call from anywhere inside the library is seen, whichever
 *     allocator it would have used;
 *   - every policy is built with a counting cors_allocator, whose count must
 *     not move during an evaluation either.
 * The test first proves that the interposition really sees calls made inside
 * libcors, so it cannot pass by counting nothing.  It also checks that every
 * outcome, every reason and every return code was reached, so the absence
 * of heap calls is shown on every path, not only on the easy ones.
 */
#define _DEFAULT_SOURCE 1 /* mmap's MAP_ANONYMOUS, for heapcount.h */

#include "heapcount.h"
#include "testmacros.h"

#include <cors.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>


static int failures;

static void fail(const char *what, const char *detail)
{
    if (++failures <= 20)
        fprintf(stderr, "FAIL: %s%s\n", what, detail);
}

/* ------------------------------------------------------------ allocator */

/* hook, the counting policy allocator, is in heapcount.h. */

/* -------------------------------------------------------------- emitter */

static struct {
    char buf[1 << 17];
    size_t len;
    int stop;       /* return non-zero from the emitter */
    int bad_bytes;  /* CR, LF or NUL seen */
} sink;

static int emit_copy(void *ctx, const char *name, size_t name_len, const char *value,
                     size_t value_len, unsigned flags)
{
    size_t i;

    (void)ctx;
    (void)flags;
    for (i = 0; i < name_len; i++)
        if (name[i] == '\r' || name[i] == '\n' || name[i] == '\0')
            sink.bad_bytes = 1;
    for (i = 0; i < value_len; i++)
        if (value[i] == '\r' || value[i] == '\n' || value[i] == '\0')
            sink.bad_bytes = 1;
    if (name_len + value_len + 4 <= sizeof sink.buf - sink.len) {
        memcpy(sink.buf + sink.len, name, name_len);
        sink.len += name_len;
        memcpy(sink.buf + sink.len, value, value_len);
        sink.len += value_len;
    }
    return sink.stop;
}

/* -------------------------------------------------------------- inputs */

static const char *const policy_texts[] = {
    /* the benchmark's policy */
    "allow-origin https://example.com\n"
    "allow-methods GET POST PUT DELETE\n"
    "allow-headers Content-Type Accept\n"
    "max-age 600\n",
    /* any origin, any method, exposed headers */
    "allow-origin *\n"
    "allow-methods *\n"
    "allow-headers *\n"
    "expose-headers *\n",
    /* credentials, every kind of pattern, echoing "*" lists */
    "allow-origin https://*.example.com https://example.com:* http://localhost:3000\n"
    "allow-origin https://[::1]:8443 http://127.0.0.1:8080 https://app.example.org\n"
    "allow-methods * PATCH\n"
    "allow-headers * Authorization\n"
    "expose-headers X-Request-Id\n"
    "allow-credentials on\n"
    "allow-private-network on\n"
    "max-age 0\n"
    "preflight-status 200\n",
    /* one origin, nothing else allowed */
    "allow-origin https://only.example\n"
    "max-age 86400\n",
    /* "*" headers without credentials, private network off, many origins */
    "allow-origin https://a.example https://b.example https://c.example https://d.example\n"
    "allow-origin https://e.example https://f.example https://g.example https://h.example\n"
    "allow-origin https://*.i.example https://j.example:8443\n"
    "allow-methods PUT patch\n"
    "allow-headers * X-Custom\n"
    "expose-headers X-A X-B\n",
};

typedef struct view {
    const char *ptr; /* NULL: absent */
    size_t len;
} view;


static char long_origin[100000], commas[100000], a_commas[100000], big_names[4000];
static char many_names[64 * 3 + 8], too_many_names[65 * 3 + 8];

static view methods[] = {
    {NULL, 0}, SL("OPTIONS"), SL("GET"), SL("options"), SL(""), SL("OPT\r\nIONS"),
};

static view origins[] = {
    {NULL, 0},
    SL(""),
    SL("null"),
    SL("https://example.com"),
    SL("https://evil.example"),
    SL("https://a.b.example.com"),
    SL("https://example.com:8443"),
    SL("http://localhost:3000"),
    SL("https://[::1]:8443"),
    SL("http://127.0.0.1:8080"),
    SL("https://app.example.org"),
    SL("https://x.i.example"),
    SL("https://j.example:8443"),
    SL("https://EXAMPLE.com"),
    SL("https://example.com:443"),
    SL("https://example.com/"),
    SL("https://example.com.evil.net"),
    SL("https://evilexample.com"),
    SL("https://exa\0mple.com"),
    SL("https://example.com\r\nSet-Cookie: a=b"),
    SL("https://b\xc3\xbc" "cher.example"),
    SL("https://[::ffff:1.2.3.4]"),
    SL("https://[0:0:0:0:0:0:0:1]:8443"),
    SL("https://user@example.com"),
    SL("file://"),
    SL("https://*.example.com"),
    SL("https://example.com:*"),
    {long_origin, sizeof long_origin},
};

static view request_methods[] = {
    {NULL, 0}, SL("PUT"), SL("PATCH"), SL("patch"), SL("GET"), SL(""), SL("P UT"), SL("\xff"),
    SL("DELETE\r\n"),
};

typedef struct acrh {
    cors_str lines[70];
    size_t count;
    int null_array;  /* count > 0 but no array: an invalid argument */
} acrh;

static acrh header_sets[24];
static size_t nheader_sets;

static acrh *new_set(size_t count)
{
    acrh *h = &header_sets[nheader_sets++];

    h->count = count;
    return h;
}

static void set_line(acrh *h, size_t i, const char *p, size_t n)
{
    h->lines[i].ptr = p;
    h->lines[i].len = n;
}

static void one_line(const char *p, size_t n)
{
    set_line(new_set(1), 0, p, n);
}

static void make_inputs(void)
{
    size_t i, o;
    acrh *h;

    memcpy(long_origin, "https://", 8);
    memset(long_origin + 8, 'a', sizeof long_origin - 8);
    memset(commas, ',', sizeof commas);
    for (i = 0; i < sizeof a_commas; i += 2) {
        a_commas[i] = 'a';
        a_commas[i + 1] = ',';
    }
    /* long but within the byte limit: valid names */
    for (i = 0; i < sizeof big_names; i++)
        big_names[i] = (i % 100 == 99) ? ',' : 'x';
    big_names[sizeof big_names - 1] = 'y';
    for (i = 0, o = 0; i < 64; i++) {
        many_names[o++] = (char)('a' + i % 26);
        many_names[o++] = (char)('a' + i / 26);
        many_names[o++] = ',';
    }
    many_names[o - 1] = ' ';
    for (i = 0, o = 0; i < 65; i++) {
        too_many_names[o++] = (char)('a' + i % 26);
        too_many_names[o++] = (char)('a' + i / 26);
        too_many_names[o++] = ',';
    }

    new_set(0);
    one_line(S("accept, content-type"));
    one_line(S("x-custom"));
    one_line(S("Authorization"));
    one_line(S(" , ,, accept ,"));
    one_line(S(""));
    h = new_set(2);
    set_line(h, 0, S("accept"));
    set_line(h, 1, S("content-type, x-custom"));
    h = new_set(3);
    set_line(h, 0, S(""));
    set_line(h, 1, S(" ,"));
    set_line(h, 2, S("accept"));
    one_line(commas, sizeof commas);
    one_line(a_commas, sizeof a_commas);
    one_line(commas, 40);
    one_line(big_names, sizeof big_names);
    one_line(many_names, sizeof many_names - 8);
    one_line(too_many_names, sizeof too_many_names - 8);
    h = new_set(2);
    set_line(h, 0, S("accept\r\n"));
    set_line(h, 1, S("a\0b"));
    one_line(NULL, 5);
    /* more lines than names are allowed */
    h = new_set(70);
    for (i = 0; i < 70; i++)
        set_line(h, i, S("accept"));
    /* a count without an array: an invalid argument */
    new_set(2)->null_array = 1;
}

static view private_network[] = {{NULL, 0}, SL("true"), SL("false"), SL("")};

static int is_options(const view *m)
{
    return m->ptr && m->len == 7 && memcmp(m->ptr, "OPTIONS", 7) == 0;
}

/* -------------------------------------------------------------- checks */

static unsigned seen_outcome[6], seen_reason[16], seen_error[32];

static void note(cors_error e, const cors_result *r)
{
    if ((unsigned)e < COUNT_OF(seen_error))
        seen_error[e] = 1;
    if (e == CORS_OK || e == CORS_ERR_EMIT || e == CORS_ERR_BUFFER_TOO_SMALL) {
        if ((unsigned)r->outcome < COUNT_OF(seen_outcome))
            seen_outcome[r->outcome] = 1;
        if ((unsigned)r->reason < COUNT_OF(seen_reason))
            seen_reason[r->reason] = 1;
    }
}

static char where[256];

static void describe(size_t pi, const cors_request *q, const char *mode)
{
    snprintf(where, sizeof where, "policy %zu, method %.*s, origin %.*s, ACRM %.*s (%s)", pi,
             q->method ? (int)(q->method_len > 20 ? 20 : q->method_len) : 4,
             q->method ? q->method : "none",
             q->origin ? (int)(q->origin_len > 40 ? 40 : q->origin_len) : 4,
             q->origin ? q->origin : "none",
             q->request_method ? (int)(q->request_method_len > 20 ? 20 : q->request_method_len)
                               : 4,
             q->request_method ? q->request_method : "none", mode);
}

static cors_header headers[CORS_MAX_HEADERS];
static char scratch[CORS_SCRATCH_SIZE];

/* One evaluation in the given mode, with the heap and the hook watched. */
static void evaluate(size_t pi, const cors_policy *p, const cors_request *q, int mode)
{
    static const char *const names[] = {
        "cors_evaluate, copying emitter", "cors_evaluate, no emitter",
        "cors_evaluate, emitter stops",   "cors_evaluate_headers",
        "cors_evaluate_headers, no scratch", "cors_evaluate_headers, capacity 1",
    };
    cors_result r;
    cors_error e;
    size_t count = 0;
    unsigned long heap, hook_before = hook_calls;

    cors_result_init(&r);
    sink.len = 0;
    sink.stop = mode == 2;
    heapcount_reset();
    heapcount_arm();
    switch (mode) {
    case 0:
        e = cors_evaluate(p, q, emit_copy, NULL, &r);
        break;
    case 1:
        e = cors_evaluate(p, q, NULL, NULL, &r);
        break;
    case 2:
        e = cors_evaluate(p, q, emit_copy, NULL, &r);
        break;
    case 3:
        e = cors_evaluate_headers(p, q, headers, CORS_MAX_HEADERS, &count, scratch,
                                  sizeof scratch, &r);
        break;
    case 4:
        e = cors_evaluate_headers(p, q, headers, CORS_MAX_HEADERS, &count, NULL, 0, &r);
        break;
    default:
        e = cors_evaluate_headers(p, q, headers, 1, &count, scratch, sizeof scratch, &r);
        break;
    }
    heap = heapcount_disarm();
    note(e, &r);
    if (heap != 0 || hook_calls != hook_before) {
        describe(pi, q, names[mode]);
        fail(heap ? "heap call: " : "policy allocator call: ", where);
    }
    if (sink.bad_bytes) {
        describe(pi, q, names[mode]);
        fail("CR, LF or NUL emitted: ", where);
        sink.bad_bytes = 0;
    }
}

static cors_policy *build(const char *text)
{
    cors_builder *b = cors_builder_new(&hook);
    cors_policy *p = NULL;

    if (!b || cors_builder_parse(b, text, strlen(text)) != CORS_OK ||
        cors_builder_build(b, &p) != CORS_OK) {
        fail("a test policy does not build: ", text);
        exit(1);
    }
    cors_builder_free(b);
    return p;
}

/* The interposition must be live, reach into libcors, and be counted.
   Returns 0 when it is not. */
static int self_test(void)
{
    void *(*volatile do_malloc)(size_t) = malloc;
    void (*volatile do_free)(void *) = free;
    cors_builder *b;
    unsigned long n;

    heapcount_reset();
    heapcount_arm();
    do_free(do_malloc(16));
    n = heapcount_disarm();
    if (n != 2) {
        /* Valgrind's allocator replaced ours; it counts nothing. */
        if (heapcount_under_valgrind())
            return 0;
        fail("the malloc interposer did not count malloc and free", "");
    }
    heapcount_reset();
    heapcount_arm();
    b = cors_builder_new(NULL);
    n = heapcount_disarm();
    cors_builder_free(b);
    if (n == 0)
        fail("the malloc interposer does not see the library's heap calls", "");
    return 1;
}

static void invalid_arguments(const cors_policy *p)
{
    cors_request q, small;
    cors_result r, bad;
    cors_error e;
    size_t count;
    unsigned long heap;

    cors_request_init(&q);
    q.method = "GET";
    q.method_len = 3;
    cors_request_init(&small);
    small.struct_size = 0;
    cors_result_init(&r);
    memset(&bad, 0, sizeof bad);

    heapcount_reset();
    heapcount_arm();
    e = cors_evaluate(NULL, &q, emit_copy, NULL, &r);
    note(e, &r);
    e = cors_evaluate(p, NULL, emit_copy, NULL, &r);
    note(e, &r);
    e = cors_evaluate(p, &q, emit_copy, NULL, NULL);
    note(e, &r);
    e = cors_evaluate(p, &small, emit_copy, NULL, &r);
    note(e, &r);
    e = cors_evaluate(p, &q, emit_copy, NULL, &bad);
    note(e, &r);
    e = cors_evaluate_headers(p, &q, NULL, 4, &count, NULL, 0, &r);
    note(e, &r);
    e = cors_evaluate_headers(p, &q, headers, CORS_MAX_HEADERS, NULL, NULL, 0, &r);
    note(e, &r);
    q.origin = NULL;
    q.origin_len = 7;
    e = cors_evaluate(p, &q, emit_copy, NULL, &r);
    note(e, &r);
    heap = heapcount_disarm();
    if (heap)
        fail("heap call on an invalid argument", "");
}

/* Requests filled line by line with cors_fields_add(), repeated and
   overflowing lines included: filling them takes no heap either. */
static void header_lines(const cors_policy *p)
{
    static const char *const names[] = {"Origin", "Access-Control-Request-Method",
                                        "Access-Control-Request-Private-Network"};
    static const char *const values[] = {"https://app.example.com", "PUT", "true"};
    cors_request q;
    cors_fields f;
    cors_result r;
    unsigned long heap;
    size_t repeat, k, n;

    heapcount_reset();
    heapcount_arm();
    for (repeat = 0; repeat <= COUNT_OF(names) + 1; repeat++) {
        cors_request_init(&q);
        cors_fields_init(&f, &q);
        q.method = repeat == COUNT_OF(names) + 1 ? "POST" : "OPTIONS";
        q.method_len = strlen(q.method);
        for (k = 0; k < COUNT_OF(names); k++)
            cors_fields_add(&f, names[k], strlen(names[k]), values[k], strlen(values[k]));
        if (repeat < COUNT_OF(names))
            cors_fields_add(&f, names[repeat], strlen(names[repeat]), values[repeat],
                            strlen(values[repeat]));
        n = repeat == COUNT_OF(names) ? CORS_FIELDS_MAX_REQUEST_HEADER_LINES + 1 : 1;
        for (k = 0; k < n; k++)
            cors_fields_add(&f, S("Access-Control-Request-Headers"), S("x-a"));
        cors_fields_add(&f, S("Origin"), S("https://app.example.com"));
        cors_result_init(&r);
        note(cors_evaluate(p, &q, emit_copy, NULL, &r), &r);
    }
    /* From the server's own origin, as its scheme and Host show. */
    cors_request_init(&q);
    cors_fields_init(&f, &q);
    q.method = "POST";
    q.method_len = 4;
    q.scheme = "http";
    q.scheme_len = 4;
    cors_fields_add(&f, S("Host"), S("Example.com:80"));
    cors_fields_add(&f, S("Origin"), S("http://example.com"));
    cors_result_init(&r);
    note(cors_evaluate(p, &q, emit_copy, NULL, &r), &r);
    heap = heapcount_disarm();
    if (heap)
        fail("heap call while filling a request from header lines", "");
}

int main(void)
{
    cors_policy *policies[COUNT_OF(policy_texts)];
    size_t pi, mi, oi, ai, hi, ni;
    unsigned long evaluations = 0, sampled = 0, stride = 1;
    int mode = 0;
    unsigned i;

    if (!HEAPCOUNT_ACTIVE)
        printf("note: built with a sanitizer that owns malloc, so heap calls cannot be "
               "interposed here; only the policy allocator is watched\n");
    else if (!self_test()) {
        printf("note: running under valgrind, whose allocator replaces the interposed "
               "one; only the policy allocator is watched, on a sample of the requests\n");
        stride = 7;
    }
    make_inputs();
    for (pi = 0; pi < COUNT_OF(policy_texts); pi++)
        policies[pi] = build(policy_texts[pi]);
    invalid_arguments(policies[0]);
    header_lines(policies[0]);

    for (pi = 0; pi < COUNT_OF(policy_texts); pi++)
        for (mi = 0; mi < COUNT_OF(methods); mi++)
            for (oi = 0; oi < COUNT_OF(origins); oi++)
                for (ai = 0; ai < COUNT_OF(request_methods); ai++)
                    for (hi = 0; hi < nheader_sets; hi++)
                        for (ni = 0; ni < COUNT_OF(private_network); ni++) {
                            cors_request q;
                            /* Only a preflight reads the Access-Control-
                               Request-* headers: elsewhere a few suffice. */
                            if (!is_options(&methods[mi]) && (ai > 1 || hi > 2 || ni > 1))
                                continue;
                            /* Memcheck is some 50 times slower and cannot
                               see heap calls here anyway: a sample. */
                            if (stride > 1 && ++sampled % stride != 0)
                                continue;
                            cors_request_init(&q);
                            q.method = methods[mi].ptr;
                            q.method_len = methods[mi].len;
                            q.origin = origins[oi].ptr;
                            q.origin_len = origins[oi].len;
                            q.request_method = request_methods[ai].ptr;
                            q.request_method_len = request_methods[ai].len;
                            q.request_headers =
                                header_sets[hi].null_array ? NULL : header_sets[hi].lines;
                            q.request_headers_count = header_sets[hi].count;
                            q.request_private_network = private_network[ni].ptr;
                            q.request_private_network_len = private_network[ni].len;
                            /* The copying emitter and the header array on
                               every request; the other modes in turn. */
                            evaluate(pi, policies[pi], &q, 0);
                            evaluate(pi, policies[pi], &q, 3);
                            evaluate(pi, policies[pi], &q, 1 + (mode == 0) + 3 * (mode >= 2) +
                                                               (mode == 3));
                            mode = (mode + 1) % 4;
                            evaluations += 3;
                        }

    for (pi = 0; pi < COUNT_OF(policy_texts); pi++)
        cors_policy_free(policies[pi]);

    /* Every path was taken while the heap was watched. */
    for (i = 0; i < COUNT_OF(seen_outcome); i++)
        if (!seen_outcome[i])
            fail("outcome never reached: ", cors_outcome_string((cors_outcome)i));
    for (i = 0; i <= CORS_REASON_FIELD_REPEATED; i++)
        if (!seen_reason[i])
            fail("reason never reached: ", cors_reason_string((cors_reason)i));
    if (!seen_error[CORS_OK] || !seen_error[CORS_ERR_INVALID_ARGUMENT] ||
        !seen_error[CORS_ERR_STRUCT_SIZE] || !seen_error[CORS_ERR_EMIT] ||
        !seen_error[CORS_ERR_BUFFER_TOO_SMALL])
        fail("not every return code of cors_evaluate() was reached", "");

    printf("%lu evaluations over %zu policies: %s\n", evaluations, COUNT_OF(policy_texts),
           failures ? "FAILED" : "no heap call, no policy allocator call");
    return failures ? 1 : 0;
}
