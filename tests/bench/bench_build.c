/*
 * bench_build.c - what building a policy costs as it grows (issue 13,
 * part 7), printed as figures; run by "make bench", never by "make check".
 *
 *   1. 40,000 allowed header names (and as many methods), added one by one
 *      and built: adding n values must be O(n), budget 100 ms.
 *   2. 4 MB of junk policy text: diagnosed in under 1 s with under 16 MB of
 *      peak memory, since only the first diagnostics are kept.
 *
 * Memory is measured through the builder's own allocator hooks, so the
 * figure is what libcors itself holds at its peak (the caller's text is
 * listed apart).  Budgets are printed next to the figures; a figure over
 * budget is reported, not failed: timings belong to benchmarks.
 */
#include <cors.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define NAMES 40000
#define JUNK_BYTES (4u << 20)

static double now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* ------------------------------------------------------------ allocator */

/* Each block carries its size in front, so that frees can be counted. */
typedef struct counter {
    size_t now, peak;
} counter;

static void *count_malloc(size_t size, void *user)
{
    counter *c = user;
    size_t *p = malloc(size + sizeof(size_t) * 2);

    if (!p)
        return NULL;
    p[0] = size;
    c->now += size;
    if (c->now > c->peak)
        c->peak = c->now;
    return p + 2;
}

static void count_free(void *ptr, void *user)
{
    counter *c = user;
    size_t *p = (size_t *)ptr - 2;

    c->now -= p[0];
    free(p);
}

/* ------------------------------------------------------------- reports */

static void report(const char *what, double value, const char *unit, double budget)
{
    printf("  %-46s %10.1f %-3s (budget %.0f %s) %s\n", what, value, unit, budget, unit,
           value <= budget ? "ok" : "OVER BUDGET");
}

/* ----------------------------------------------------------- many names */

typedef cors_error (*adder)(cors_builder *b, const char *s, size_t n);

/* Adds NAMES values prefix00000... (then, with repeat_prefix, each again
   in another case) and builds; returns the milliseconds taken. */
static double build_names(adder add, const char *prefix, const char *repeat_prefix,
                          size_t *diags)
{
    cors_builder *b = cors_builder_new(NULL);
    cors_policy *p = NULL;
    char name[32];
    double t0;
    size_t i;

    if (!b)
        exit(1);
    cors_builder_allow_origin(b, "https://app.example.com", 23);
    t0 = now_ms();
    for (i = 0; i < NAMES; i++) {
        int n = snprintf(name, sizeof name, "%s%05zu", prefix, i);
        add(b, name, (size_t)n);
    }
    for (i = 0; repeat_prefix && i < NAMES; i++) {
        int n = snprintf(name, sizeof name, "%s%05zu", repeat_prefix, i);
        add(b, name, (size_t)n);
    }
    if (cors_builder_build(b, &p) != CORS_OK) {
        fprintf(stderr, "bench-build: the policy of many names does not build\n");
        exit(1);
    }
    t0 = now_ms() - t0;
    *diags = cors_builder_diagnostic_count(b);
    cors_policy_free(p);
    cors_builder_free(b);
    return t0;
}

/* The best of three runs: on a busy machine the others measure the
   neighbours. */
static double best_of_3(adder add, const char *prefix, const char *repeat_prefix, size_t *diags)
{
    double best = build_names(add, prefix, repeat_prefix, diags), t;
    int k;

    for (k = 0; k < 2; k++)
        if ((t = build_names(add, prefix, repeat_prefix, diags)) < best)
            best = t;
    return best;
}

static void bench_names(void)
{
    size_t diags;

    printf("Adding values one by one and building (O(n) in all; best of 3):\n");
    report("40,000 header names",
           best_of_3(cors_builder_allow_header, "X-Header-", NULL, &diags), "ms", 100);
    report("40,000 methods", best_of_3(cors_builder_allow_method, "METHOD", NULL, &diags), "ms",
           100);
    report("40,000 header names, each twice",
           best_of_3(cors_builder_allow_header, "X-Header-", "x-header-", &diags), "ms", 200);
    printf("  %-46s %10zu\n", "  diagnostics kept (first 100 + a summary)", diags);
}

/* ----------------------------------------------------------------- junk */

/* Printable junk with a few tabs, in lines of 1 to 80 bytes, from a fixed
   seed: the same text on every run.  With directives, each line starts
   with one of them, so that every junk word is a value to refuse. */
static char *make_junk(size_t size, int directives)
{
    static const char *const names[] = {"allow-origin ", "allow-methods ", "allow-headers ",
                                        "expose-headers ", "max-age "};
    char *t = malloc(size);
    unsigned long x = 12345;
    size_t i, line = 0;

    if (!t)
        exit(1);
    for (i = 0; i < size; i++) {
        x = x * 6364136223846793005ul + 1442695040888963407ul;
        if (line == 0 && directives) {
            const char *d = names[(x >> 35) % 5];
            size_t k;
            for (k = 0; d[k] && i < size; k++)
                t[i++] = d[k];
            line = k;
            i--;
            continue;
        }
        if (line > 0 && (x >> 33) % 40 == 0) {
            t[i] = '\n';
            line = 0;
            continue;
        }
        t[i] = (x >> 40) % 16 == 0 ? '\t' : (char)(' ' + (x >> 45) % 95);
        line++;
    }
    return t;
}

static void bench_junk(int directives)
{
    counter c = {0, 0};
    cors_allocator a = {count_malloc, count_free, &c};
    char *text = make_junk(JUNK_BYTES, directives);
    cors_builder *b = cors_builder_new(&a);
    cors_policy *p = NULL;
    double t0, t_parse;

    if (!b)
        exit(1);
    t0 = now_ms();
    cors_builder_parse(b, text, JUNK_BYTES);
    cors_builder_build(b, &p);
    t_parse = now_ms() - t0;
    printf("4 MB of junk policy text%s (the text itself is the caller's):\n",
           directives ? ", every line a directive" : "");
    report("diagnosing it", t_parse, "ms", 1000);
    report("peak memory held by libcors", c.peak / 1024.0, "KB", 16384);
    printf("  %-46s %10zu\n", "errors counted", cors_builder_error_count(b));
    printf("  %-46s %10zu\n", "diagnostics kept (first 100 + a summary)",
           cors_builder_diagnostic_count(b));
    cors_policy_free(p);
    cors_builder_free(b);
    free(text);
}

int main(void)
{
    printf("libcors %s: building policies (issue 13)\n", cors_version_string());
    bench_names();
    bench_junk(0);
    bench_junk(1);
    return 0;
}
