/*
 * test_holder.c - replacing a policy while other threads evaluate: four
 * readers acquire, evaluate and release without pause while a writer
 * publishes 10,000 policies (cors_holder_replace).
 *
 * Each policy carries its generation as its max-age, which every accepted
 * preflight sends back, so a reader knows which policy answered it: that
 * policy must be whole (the answer a policy of that generation gives), and
 * a reader never sees an older one after a newer one.  A counting
 * allocator, shared by every policy and the holder, must end at zero
 * live allocations: every replaced policy was freed, exactly once.  Built
 * with --enable-tsan (CI's ThreadSanitizer stage) this shows that no
 * evaluation races with the replacement or uses a freed policy; with
 * --enable-sanitizers, AddressSanitizer shows the same for memory.
 *
 * CORS_HOLDER_TEST_SWAPS sets the number of replacements: 1,000 by default,
 * which keeps make check short (a replacement waits for the readers of the
 * previous policy, and on a busy machine a reader may be preempted while
 * it holds one); tests/run-all.sh's ThreadSanitizer stage runs 10,000.
 */
#include <cors.h>

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NREADERS 4
/* make check's count; CI's ThreadSanitizer stage asks for 10,000. */
#define DEFAULT_SWAPS 1000L

static atomic_long live_allocations;
static atomic_int done;
static atomic_int failures;

static void *count_malloc(size_t size, void *user)
{
    void *p = malloc(size);

    (void)user;
    if (p)
        atomic_fetch_add(&live_allocations, 1);
    return p;
}

static void count_free(void *p, void *user)
{
    (void)user;
    atomic_fetch_sub(&live_allocations, 1);
    free(p);
}

static const cors_allocator counting = {count_malloc, count_free, NULL};

static void fail(const char *what, long detail)
{
    if (atomic_fetch_add(&failures, 1) < 10)
        fprintf(stderr, "FAIL: %s (%ld)\n", what, detail);
}

/* Generation g allows PUT from the application, and DELETE on odd
   generations only, with max-age g. */
static cors_policy *generation(long g)
{
    char text[200];
    cors_builder *b = cors_builder_new(&counting);
    cors_policy *p = NULL;

    snprintf(text, sizeof text, "allow-origin https://app.example.com\nallow-methods PUT%s\n"
             "max-age %ld\n", g % 2 ? " DELETE" : "", g % 86400);
    if (!b || cors_builder_parse(b, text, strlen(text)) != CORS_OK ||
        cors_builder_build(b, &p) != CORS_OK)
        p = NULL;
    cors_builder_free(b);
    return p;
}

typedef struct answer {
    long max_age;       /* -1: none sent */
} answer;

static int note_header(void *ctx, const char *name, size_t name_len, const char *value,
                       size_t value_len, unsigned flags)
{
    answer *a = ctx;
    char digits[16];

    (void)flags;
    if (name_len == 22 && memcmp(name, "Access-Control-Max-Age", 22) == 0 &&
        value_len < sizeof digits) {
        memcpy(digits, value, value_len);
        digits[value_len] = '\0';
        a->max_age = atol(digits);
    }
    return 0;
}

/* One preflight for DELETE: accepted exactly by the odd generations. */
static long ask(const cors_policy *p)
{
    cors_request req;
    cors_result res;
    answer a = {-1};

    cors_request_init(&req);
    req.method = "OPTIONS";
    req.method_len = 7;
    req.origin = "https://app.example.com";
    req.origin_len = 23;
    req.request_method = "DELETE";
    req.request_method_len = 6;
    cors_result_init(&res);
    if (cors_evaluate(p, &req, note_header, &a, &res) != CORS_OK)
        fail("evaluation failed", 0);
    if (res.outcome == CORS_OUTCOME_PREFLIGHT_DENIED)
        return -2; /* an even generation: denied, no max-age */
    if (res.outcome != CORS_OUTCOME_PREFLIGHT_ACCEPTED || a.max_age < 0 || a.max_age % 2 == 0)
        fail("an answer no generation gives", a.max_age);
    return a.max_age;
}

static void *reader(void *arg)
{
    cors_holder *h = arg;
    long last_odd = -1, evaluations = 0;

    while (!atomic_load(&done) || evaluations == 0) {
        const cors_policy *p = cors_holder_acquire(h);
        long g;
        if (!p) {
            fail("cors_holder_acquire returned NULL", evaluations);
            break;
        }
        g = ask(p);
        cors_holder_release(h, p);
        /* Generations only grow (max-age wraps at 86400, beyond the run). */
        if (g >= 0) {
            if (g < last_odd)
                fail("an older policy after a newer one", g);
            last_odd = g;
        }
        evaluations++;
    }
    return NULL;
}

int main(void)
{
    const char *env = getenv("CORS_HOLDER_TEST_SWAPS");
    long swaps = env ? atol(env) : DEFAULT_SWAPS, g;
    pthread_t threads[NREADERS];
    cors_policy *last = generation(1);
    cors_holder *h;
    int i;

    h = cors_holder_new(last, &counting);
    if (!h) {
        fprintf(stderr, "FAIL: cors_holder_new\n");
        return 1;
    }
    for (i = 0; i < NREADERS; i++)
        if (pthread_create(&threads[i], NULL, reader, h) != 0) {
            fprintf(stderr, "FAIL: pthread_create\n");
            return 1;
        }
    for (g = 2; g <= swaps + 1; g++) {
        cors_policy *p = generation(g);
        if (!p || cors_holder_replace(h, p) != CORS_OK) {
            fail("building or publishing a generation", g);
            cors_policy_free(p);
            break;
        }
        last = p;
    }
    atomic_store(&done, 1);
    for (i = 0; i < NREADERS; i++)
        pthread_join(threads[i], NULL);
    /* The current policy cannot be published again: that would free it. */
    if (cors_holder_replace(h, last) != CORS_ERR_INVALID_ARGUMENT)
        fail("republishing the current policy was accepted", 0);
    if (cors_holder_replace(NULL, NULL) != CORS_ERR_INVALID_ARGUMENT ||
        cors_holder_acquire(NULL) != NULL || cors_holder_new(NULL, NULL) != NULL)
        fail("NULL arguments", 0);
    cors_holder_free(h);
    if (atomic_load(&live_allocations) != 0)
        fail("allocations still live after cors_holder_free (leak)",
             atomic_load(&live_allocations));
    printf("%ld replacements under %d reading threads: %s\n", swaps, NREADERS,
           atomic_load(&failures) ? "FAILED" : "every answer whole, nothing leaked");
    return atomic_load(&failures) ? 1 : 0;
}
