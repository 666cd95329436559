/*
 * bench.c - how much one cors_evaluate() call costs (issue 5).
 *
 * Prints, for each scenario, the median time per call over several timed
 * batches, the instructions per call when tests/bench/bench-instructions.sh could
 * count them (perf or callgrind), and the heap calls per call, counted by
 * interposing on malloc (heapcount.h).  "make bench" runs both.
 *
 *   tests/bench/bench [--batches K] [--instructions FILE]
 *   tests/bench/bench --only ID --calls N    (N calls of one scenario, silent: for
 *                                       counting instructions externally)
 *
 * The emitter is what a server would do: it appends "Name: value\r\n" to a
 * response header buffer.  Each scenario's outcome is checked once before it
 * is timed, so a broken path cannot produce a flattering number.
 */
#define _DEFAULT_SOURCE 1 /* mmap's MAP_ANONYMOUS, for heapcount.h */

#include "heapcount.h"
#include "testmacros.h"

#include <cors.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>


/* ------------------------------------------------------------- emitter */

typedef struct sink {
    size_t len;
    char buf[16384];
} sink;

/* Header fields are short, so they are copied the way a server's header
   writer would: a few overlapping moves instead of a memcpy call per field
   (the call costs more than the copy itself at these sizes). */
typedef struct block16 {
    char b[16];
} block16;

static inline void copy16(char *d, const char *s)
{
    block16 t;

    memcpy(&t, s, 16);
    memcpy(d, &t, 16);
}

static inline void copy(char *d, const char *s, size_t n)
{
    size_t k;
    uint64_t a, b;
    uint32_t x, y;

    if (n >= 16) {
        for (k = 0; k + 16 < n; k += 16)
            copy16(d + k, s + k);
        copy16(d + n - 16, s + n - 16);
    } else if (n >= 8) {
        memcpy(&a, s, 8);
        memcpy(&b, s + n - 8, 8);
        memcpy(d, &a, 8);
        memcpy(d + n - 8, &b, 8);
    } else if (n >= 4) {
        memcpy(&x, s, 4);
        memcpy(&y, s + n - 4, 4);
        memcpy(d, &x, 4);
        memcpy(d + n - 4, &y, 4);
    } else if (n > 0) {
        d[0] = s[0];
        d[n / 2] = s[n / 2];
        d[n - 1] = s[n - 1];
    }
}

/* Appends "Name: value\r\n" to the response header buffer. */
static int emit_copy(void *ctx, const char *name, size_t name_len, const char *value,
                     size_t value_len, unsigned flags)
{
    sink *s = ctx;
    char *d;

    (void)flags;
    if (name_len + value_len + 4 > sizeof s->buf - s->len)
        return 1;
    d = s->buf + s->len;
    copy(d, name, name_len);
    d += name_len;
    memcpy(d, ": ", 2);
    d += 2;
    copy(d, value, value_len);
    d += value_len;
    memcpy(d, "\r\n", 2);
    s->len = (size_t)(d + 2 - s->buf);
    return 0;
}

/* ------------------------------------------------------------- policies */

/* The policy's own allocator counts too (hook, in heapcount.h), as a
   second witness next to the interposed malloc. */

static void die(const char *what)
{
    fprintf(stderr, "bench: %s\n", what);
    exit(1);
}

static cors_policy *build(const char *text, size_t len)
{
    cors_builder *b = cors_builder_new(&hook);
    cors_policy *p = NULL;
    size_t i;

    if (!b)
        die("out of memory");
    if (cors_builder_parse(b, text, len) != CORS_OK || cors_builder_build(b, &p) != CORS_OK) {
        for (i = 0; i < cors_builder_diagnostic_count(b); i++)
            fprintf(stderr, "bench: policy: %u: %s\n", cors_builder_diagnostic(b, i)->line,
                    cors_builder_diagnostic(b, i)->message);
        die("the benchmark policy does not build");
    }
    cors_builder_free(b);
    return p;
}

#define POLICY_REST \
    "allow-methods GET POST PUT DELETE\nallow-headers Content-Type Accept\nmax-age 600\n"

/* The policy with origins https://o0.example.com ... o<n-1>. */
static char *many_origins_text(size_t n, size_t *len)
{
    size_t cap = n * 40 + 256, i, o = 0;
    char *t = malloc(cap);

    if (!t)
        die("out of memory");
    for (i = 0; i < n; i++)
        o += (size_t)snprintf(t + o, cap - o, "allow-origin https://o%zu.example.com\n", i);
    o += (size_t)snprintf(t + o, cap - o, "%s", POLICY_REST);
    *len = o;
    return t;
}

static cors_policy *build_many(size_t n)
{
    size_t len;
    char *t = many_origins_text(n, &len);
    cors_policy *p = build(t, len);

    free(t);
    return p;
}

/* ------------------------------------------------------------ scenarios */

typedef struct scenario {
    const char *id;
    const char *what;
    cors_policy *policy;
    cors_request req;
    cors_str acrh;
    cors_outcome expect;
    cors_reason expect_reason;
    /* results */
    double ns;
    double instructions;   /* < 0: unknown */
    double allocs;
} scenario;

enum { S1, S2, S3, S4A, S4B, S5A, S5B, S6, NSCEN };

static scenario sc[NSCEN];
static char *hostile_commas, *hostile_a_comma;

static void preflight(scenario *s, const char *origin, const char *acrh, size_t acrh_len)
{
    cors_request_init(&s->req);
    s->req.method = "OPTIONS";
    s->req.method_len = 7;
    s->req.origin = origin;
    s->req.origin_len = strlen(origin);
    s->req.request_method = "PUT";
    s->req.request_method_len = 3;
    s->acrh.ptr = acrh;
    s->acrh.len = acrh_len;
    s->req.request_headers = &s->acrh;
    s->req.request_headers_count = 1;
}

static void setup(int which)
{
    static const char base[] = "allow-origin https://example.com\n" POLICY_REST;
    static const char sub[] = "allow-origin https://*.example.com\n" POLICY_REST;
    static cors_policy *p_base, *p_sub;
    size_t i;

    /* Only what is asked for is built, so counting one scenario's
       instructions does not pay for building 100,000 origins. */
    if (!p_base)
        p_base = build(S(base));

    sc[S1] = (scenario){"S1", "accepted preflight", p_base, {0}, {0},
                        CORS_OUTCOME_PREFLIGHT_ACCEPTED, CORS_REASON_NONE, 0, -1, 0};
    preflight(&sc[S1], "https://example.com", S("accept, content-type"));

    sc[S2] = (scenario){"S2", "denied preflight (origin)", p_base, {0}, {0},
                        CORS_OUTCOME_PREFLIGHT_DENIED, CORS_REASON_ORIGIN_NOT_ALLOWED, 0, -1, 0};
    preflight(&sc[S2], "https://evil.example", S("accept, content-type"));

    sc[S3] = (scenario){"S3", "actual GET, allowed origin", p_base, {0}, {0},
                        CORS_OUTCOME_ACTUAL_ALLOWED, CORS_REASON_NONE, 0, -1, 0};
    cors_request_init(&sc[S3].req);
    sc[S3].req.method = "GET";
    sc[S3].req.method_len = 3;
    sc[S3].req.origin = "https://example.com";
    sc[S3].req.origin_len = 19;

    sc[S4A] = (scenario){"S4a", "S1 with 1,000 origins", NULL, {0}, {0},
                         CORS_OUTCOME_PREFLIGHT_ACCEPTED, CORS_REASON_NONE, 0, -1, 0};
    preflight(&sc[S4A], "https://o777.example.com", S("accept, content-type"));
    sc[S4B] = (scenario){"S4b", "S1 with 100,000 origins", NULL, {0}, {0},
                         CORS_OUTCOME_PREFLIGHT_ACCEPTED, CORS_REASON_NONE, 0, -1, 0};
    preflight(&sc[S4B], "https://o777.example.com", S("accept, content-type"));
    if (which < 0 || which == S4A)
        sc[S4A].policy = build_many(1000);
    if (which < 0 || which == S4B)
        sc[S4B].policy = build_many(100000);

    if (!hostile_commas) {
        hostile_commas = malloc(100000);
        hostile_a_comma = malloc(100000);
        if (!hostile_commas || !hostile_a_comma)
            die("out of memory");
        memset(hostile_commas, ',', 100000);
        for (i = 0; i < 100000; i += 2) {
            hostile_a_comma[i] = 'a';
            hostile_a_comma[i + 1] = ',';
        }
    }
    sc[S5A] = (scenario){"S5a", "ACRH: 100,000 commas", p_base, {0}, {0},
                         CORS_OUTCOME_PREFLIGHT_DENIED, CORS_REASON_HEADERS_TOO_LONG, 0, -1, 0};
    preflight(&sc[S5A], "https://example.com", hostile_commas, 100000);
    sc[S5B] = (scenario){"S5b", "ACRH: \"a,\" x 50,000", p_base, {0}, {0},
                         CORS_OUTCOME_PREFLIGHT_DENIED, CORS_REASON_HEADERS_TOO_LONG, 0, -1, 0};
    preflight(&sc[S5B], "https://example.com", hostile_a_comma, 100000);

    if (which < 0 || which == S6)
        p_sub = build(S(sub));
    sc[S6] = (scenario){"S6", "subdomain pattern", p_sub, {0}, {0},
                        CORS_OUTCOME_PREFLIGHT_ACCEPTED, CORS_REASON_NONE, 0, -1, 0};
    preflight(&sc[S6], "https://a.b.example.com", S("accept, content-type"));
}

static sink out;
static unsigned long checksum;

static void check(const scenario *s)
{
    cors_result r;
    cors_error e;

    cors_result_init(&r);
    out.len = 0;
    e = cors_evaluate(s->policy, &s->req, emit_copy, &out, &r);
    if (e != CORS_OK || r.outcome != s->expect || r.reason != s->expect_reason || out.len == 0) {
        fprintf(stderr, "bench: %s: unexpected result: error %d, %s, %s\n", s->id, (int)e,
                cors_outcome_string(r.outcome), cors_reason_string(r.reason));
        exit(1);
    }
}

static void run(const scenario *s, long calls)
{
    cors_result r;
    long i;

    cors_result_init(&r);
    for (i = 0; i < calls; i++) {
        out.len = 0;
        cors_evaluate(s->policy, &s->req, emit_copy, &out, &r);
        checksum += out.len;
    }
}

static double now_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return (x > y) - (x < y);
}

static double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

#define MAX_BATCHES 101

/* Heap calls per evaluation, over many evaluations. */
static void count_allocs(scenario *s)
{
    unsigned long hook_before = hook_calls;

    heapcount_reset();
    heapcount_arm();
    run(s, 100000);
    s->allocs = (double)heapcount_disarm() / 100000.0;
    if (!HEAPCOUNT_ACTIVE)
        s->allocs = (double)(hook_calls - hook_before) / 100000.0;
}

/* Every scenario is timed in turn within each round, so that a burst of
   load from other processes lands on all of them alike and the ratios
   between scenarios (S4, S5, S6 against S1) stay meaningful. */
static void measure_all(int batches)
{
    static double t[NSCEN][MAX_BATCHES];
    long calls[NSCEN];
    double t0;
    int i, k;

    for (i = 0; i < NSCEN; i++) {
        check(&sc[i]);
        count_allocs(&sc[i]);
        /* A batch long enough (about 10 ms) that timer resolution and the
           clock call do not matter. */
        for (calls[i] = 1000;; calls[i] *= 2) {
            t0 = now_ns();
            run(&sc[i], calls[i]);
            if (now_ns() - t0 > 10e6 || calls[i] > (1L << 30))
                break;
        }
    }
    for (k = 0; k < batches; k++) {
        for (i = 0; i < NSCEN; i++) {
            t0 = now_ns();
            run(&sc[i], calls[i]);
            t[i][k] = (now_ns() - t0) / (double)calls[i];
        }
    }
    for (i = 0; i < NSCEN; i++)
        sc[i].ns = median(t[i], batches);
}

/* ------------------------------------------------------- S7: build time */

static double s7_ms, s7_allocs, s7_instructions = -1;

static void build_text_once(const char *t, size_t len, cors_policy **p)
{
    cors_builder *b = cors_builder_new(NULL);

    if (!b || cors_builder_parse(b, t, len) != CORS_OK || cors_builder_build(b, p) != CORS_OK)
        die("S7: the policy does not build");
    cors_builder_free(b);
}

static void measure_s7(int runs)
{
    double t[MAX_BATCHES], t0;
    size_t len;
    char *text = many_origins_text(100000, &len);
    cors_policy *p;
    int k;

    if (runs > 9)
        runs = 9;
    for (k = 0; k < runs; k++) {
        heapcount_reset();
        heapcount_arm();
        t0 = now_ns();
        build_text_once(text, len, &p);
        t[k] = (now_ns() - t0) / 1e6;
        s7_allocs = (double)heapcount_disarm();
        cors_policy_free(p);
    }
    s7_ms = median(t, runs);
    free(text);
}

/* ------------------------------------------------------------- output */

/* Lines "ID COUNT", and one "source WHAT" naming the counter used. */
static char instr_source[128] = "not counted (run \"make bench\")";

static void read_instructions(const char *file)
{
    FILE *f = fopen(file, "r");
    char line[256], id[16];
    double v;
    int i;

    if (!f) {
        fprintf(stderr, "bench: cannot read %s; instructions not shown\n", file);
        return;
    }
    while (fgets(line, sizeof line, f)) {
        if (strncmp(line, "source ", 7) == 0) {
            size_t n = strcspn(line + 7, "\n");
            if (n >= sizeof instr_source)
                n = sizeof instr_source - 1;
            memcpy(instr_source, line + 7, n);
            instr_source[n] = '\0';
            continue;
        }
        if (sscanf(line, "%15s %lf", id, &v) != 2)
            continue;
        for (i = 0; i < NSCEN; i++)
            if (strcmp(id, sc[i].id) == 0)
                sc[i].instructions = v;
        if (strcmp(id, "S7") == 0)
            s7_instructions = v;
    }
    fclose(f);
}

static void fmt_instr(char *buf, size_t size, double v)
{
    if (v < 0)
        snprintf(buf, size, "n/a");
    else
        snprintf(buf, size, "%.0f", v);
}

static void verdict(const char *what, double value, double limit, const char *unit)
{
    printf("  %-38s %8.2f %-3s (target < %g %s): %s\n", what, value, unit, limit, unit,
           value < limit ? "met" : "NOT MET");
}

static void report(int batches)
{
    char ins[32];
    int i;

    printf("libcors %s: cost of one cors_evaluate() call, emitter copying header lines\n",
           cors_version_string());
    printf("policy: origins https://example.com; methods GET POST PUT DELETE; headers "
           "Content-Type Accept; max-age 600\n");
    printf("(ns: median of %d timed batches; instructions: %s; allocations: %s)\n\n",
           batches, instr_source,
           HEAPCOUNT_ACTIVE ? "heap calls seen by an interposed malloc"
                            : "policy allocator calls (malloc interposition is off under "
                              "sanitizers)");
    printf("| %-4s | %-30s | %10s | %12s | %11s |\n", "", "scenario", "ns/call", "instr/call",
           "allocs/call");
    printf("|------|--------------------------------|-----------:|-------------:|------------:|\n");
    for (i = 0; i < NSCEN; i++) {
        fmt_instr(ins, sizeof ins, sc[i].instructions);
        printf("| %-4s | %-30s | %10.1f | %12s | %11.0f |\n", sc[i].id, sc[i].what, sc[i].ns,
               ins, sc[i].allocs);
    }
    fmt_instr(ins, sizeof ins, s7_instructions);
    printf("| %-4s | %-30s | %7.1f ms | %12s | ", "S7", "policy text, 100,000 origins", s7_ms,
           ins);
    if (HEAPCOUNT_ACTIVE)
        printf("%11.0f |\n", s7_allocs);
    else
        printf("%11s |\n", "n/a");
    printf("\nS7 is one whole build (new, parse, build): its figures are per build.\n"
           "\ntargets:\n");
    verdict("S1 accepted preflight", sc[S1].ns, 60, "ns");
    verdict("S2 denied preflight", sc[S2].ns, 30, "ns");
    verdict("S3 actual request", sc[S3].ns, 30, "ns");
    verdict("S4a / S1 (1,000 origins)", sc[S4A].ns / sc[S1].ns, 1.2, "x");
    verdict("S4b / S1 (100,000 origins)", sc[S4B].ns / sc[S1].ns, 1.2, "x");
    verdict("S5a / S1 (100,000 commas)", sc[S5A].ns / sc[S1].ns, 1.5, "x");
    verdict("S5b / S1 (\"a,\" x 50,000)", sc[S5B].ns / sc[S1].ns, 1.5, "x");
    verdict("S6 / S1 (subdomain pattern)", sc[S6].ns / sc[S1].ns, 1.5, "x");
    verdict("S7 build, 100,000 origins", s7_ms, 100, "ms");
    for (i = 0; i < NSCEN; i++)
        if (sc[i].allocs != 0)
            printf("  %s allocates: %.2f calls per evaluation (must be 0)\n", sc[i].id,
                   sc[i].allocs);
}

static int find(const char *id)
{
    static const char *const ids[NSCEN] = {"S1", "S2", "S3", "S4a", "S4b", "S5a", "S5b", "S6"};
    int i;

    for (i = 0; i < NSCEN; i++)
        if (strcmp(ids[i], id) == 0)
            return i;
    return -1;
}

static void usage(void)
{
    fprintf(stderr, "usage: bench [--batches K] [--instructions FILE]\n"
                    "       bench --only ID --calls N   (ID: S1 S2 S3 S4a S4b S5a S5b S6 S7)\n");
    exit(2);
}

int main(int argc, char **argv)
{
    const char *only = NULL, *instr = NULL;
    long calls = -1;
    int batches = 21, i;

    for (i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--only") == 0 && i + 1 < argc)
            only = argv[++i];
        else if (strcmp(argv[i], "--calls") == 0 && i + 1 < argc)
            calls = strtol(argv[++i], NULL, 10);
        else if (strcmp(argv[i], "--batches") == 0 && i + 1 < argc)
            batches = (int)strtol(argv[++i], NULL, 10);
        else if (strcmp(argv[i], "--instructions") == 0 && i + 1 < argc)
            instr = argv[++i];
        else
            usage();
    }
    if (batches < 1 || batches > MAX_BATCHES)
        usage();

    if (only) {
        /* Exactly `calls` evaluations (or builds) after the set-up, so that
           an external counter can subtract two runs or isolate the calls. */
        int which;
        if (calls < 0)
            usage();
        if (strcmp(only, "S7") == 0) {
            size_t len;
            char *text = many_origins_text(100000, &len);
            cors_policy *p;
            long k;
            for (k = 0; k < calls; k++) {
                build_text_once(text, len, &p);
                cors_policy_free(p);
            }
            free(text);
            return 0;
        }
        which = find(only);
        if (which < 0)
            usage();
        setup(which);
        check(&sc[which]);
        run(&sc[which], calls);
        return checksum == 0 && calls > 0;
    }

    setup(-1);
    measure_all(batches);
    measure_s7(batches);
    if (instr)
        read_instructions(instr);
    report(batches);
    for (i = 0; i < NSCEN; i++)
        cors_policy_free(sc[i].policy == sc[S1].policy && i != S1 ? NULL : sc[i].policy);
    return 0;
}
