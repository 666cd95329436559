/*
 * bench.c - what one cors_evaluate() call, and one policy build, cost
 * (issue 15).  "make bench" prints one table:
 *
 *   scenario | instructions per call | ns per call | the same two with an
 *   emitter that copies the header lines into a response buffer | the
 *   fastest peer's instructions and how many times fewer libcors needs |
 *   the budget and whether it is met
 *
 * Instructions are counted by tests/bench/bench-instructions.sh (callgrind,
 * inside cors_evaluate() only, emitter included) and handed over in a
 * file; this program times the calls, counts allocations through the
 * policy's allocator, and prints.
 *
 *   tests/bench/bench [--batches K] [--instructions FILE]
 *   tests/bench/bench --only ID --calls N [--emitter noop|copy]
 *       N calls of one scenario after its set-up, printing nothing, for
 *       counting instructions externally (ID: S1 ... S6, or S7 for N
 *       builds).
 *
 * Every scenario's outcome is checked before it is measured, so a broken
 * path cannot produce a flattering number.  The program uses the C
 * library's own malloc (no counting replacement): S7's time includes what
 * the system's allocator really costs.  That evaluation never touches the
 * heap at all is proved separately, by tests/test-noalloc in "make check".
 */
#include "testmacros.h"

#include <cors.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ------------------------------------------------------------- emitters */

/* What a host that only needs the decision would do: nothing. */
static int emit_noop(void *ctx, const char *name, size_t name_len, const char *value,
                     size_t value_len, unsigned flags)
{
    (void)ctx;
    (void)name;
    (void)name_len;
    (void)value;
    (void)value_len;
    (void)flags;
    return 0;
}

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

/* A realistic emitter: appends "Name: value\r\n" to the response's header
   buffer, as a server writes its response head. */
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

enum { NOOP, COPY, NEMIT };
static const char *const emitter_name[NEMIT] = {"noop", "copy"};
static const cors_emit_fn emitter_fn[NEMIT] = {emit_noop, emit_copy};

/* ------------------------------------------------------------- policies */

/* Every policy allocates through this counter, so that a call made during
   an evaluation shows in the table (test-noalloc also catches calls that
   would bypass it). */
static unsigned long alloc_calls;

static void *count_malloc(size_t size, void *ud)
{
    (void)ud;
    alloc_calls++;
    return malloc(size);
}

static void count_free(void *p, void *ud)
{
    (void)ud;
    alloc_calls++;
    free(p);
}

static const cors_allocator counting = {count_malloc, count_free, NULL};

static void die(const char *what)
{
    fprintf(stderr, "bench: %s\n", what);
    exit(1);
}

static cors_policy *build(const char *text, size_t len)
{
    cors_builder *b = cors_builder_new(&counting);
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

/* The figures measured elsewhere for the fastest of jub0bs/cors v1.0.2
   and rs/cors v1.11.1 (Go), instructions per call under the same
   conditions (issue 15), and libcors's budget for each scenario. */
typedef struct scenario {
    const char *id;
    const char *what;
    double peer;          /* the fastest peer's instructions per call */
    double budget;        /* instructions per call; < 0: a multiple of S1 */
    cors_policy *policy;
    cors_request req;
    cors_str acrh;
    cors_outcome expect;
    cors_reason expect_reason;
    /* results, per emitter */
    double ns[NEMIT];
    double instructions[NEMIT]; /* < 0: not counted */
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

static scenario make(const char *id, const char *what, double peer, double budget,
                     cors_policy *p, cors_outcome expect, cors_reason reason)
{
    scenario s;

    memset(&s, 0, sizeof s);
    s.id = id;
    s.what = what;
    s.peer = peer;
    s.budget = budget;
    s.policy = p;
    s.expect = expect;
    s.expect_reason = reason;
    s.instructions[NOOP] = s.instructions[COPY] = -1;
    return s;
}

static void setup(int which)
{
    static const char base[] = "allow-origin https://example.com\n" POLICY_REST;
    static const char sub[] = "allow-origin https://*.example.com\n" POLICY_REST;
    static cors_policy *p_base, *p_sub;
    const cors_outcome ok = CORS_OUTCOME_PREFLIGHT_ACCEPTED, no = CORS_OUTCOME_PREFLIGHT_DENIED;
    size_t i;

    /* Only what is asked for is built, so counting one scenario's
       instructions does not pay for building 100,000 origins. */
    if (!p_base)
        p_base = build(S(base));

    sc[S1] = make("S1", "accepted preflight", 4692, 450, p_base, ok, CORS_REASON_NONE);
    preflight(&sc[S1], "https://example.com", S("accept, content-type"));

    sc[S2] = make("S2", "preflight, origin not allowed", 710, 140, p_base, no,
                  CORS_REASON_ORIGIN_NOT_ALLOWED);
    preflight(&sc[S2], "https://evil.example", S("accept, content-type"));

    sc[S3] = make("S3", "actual GET", 1559, 150, p_base, CORS_OUTCOME_ACTUAL_ALLOWED,
                  CORS_REASON_NONE);
    cors_request_init(&sc[S3].req);
    sc[S3].req.method = "GET";
    sc[S3].req.method_len = 3;
    sc[S3].req.origin = "https://example.com";
    sc[S3].req.origin_len = 19;

    sc[S4A] = make("S4a", "S1, 1,000 origins", 5658, -1.05, NULL, ok, CORS_REASON_NONE);
    preflight(&sc[S4A], "https://o777.example.com", S("accept, content-type"));
    sc[S4B] = make("S4b", "S1, 100,000 origins", 5965, -1.05, NULL, ok, CORS_REASON_NONE);
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
    sc[S5A] = make("S5a", "ACRH 100,000 commas", 2505, 200, p_base, no,
                   CORS_REASON_HEADERS_TOO_LONG);
    preflight(&sc[S5A], "https://example.com", hostile_commas, 100000);
    sc[S5B] = make("S5b", "ACRH \"a,\" x 50,000", 1684, 200, p_base, no,
                   CORS_REASON_HEADERS_TOO_LONG);
    preflight(&sc[S5B], "https://example.com", hostile_a_comma, 100000);

    if (which < 0 || which == S6)
        p_sub = build(S(sub));
    sc[S6] = make("S6", "S1, pattern https://*.example.com", 4766, 600, p_sub, ok,
                  CORS_REASON_NONE);
    preflight(&sc[S6], "https://a.b.example.com", S("accept, content-type"));
}

static sink out;
static unsigned long checksum;

static void check(const scenario *s, int em)
{
    cors_result r;
    cors_error e;

    cors_result_init(&r);
    out.len = 0;
    e = cors_evaluate(s->policy, &s->req, emitter_fn[em], &out, &r);
    if (e != CORS_OK || r.outcome != s->expect || r.reason != s->expect_reason ||
        (em == COPY && out.len == 0)) {
        fprintf(stderr, "bench: %s: unexpected result: error %d, %s, %s\n", s->id, (int)e,
                cors_outcome_string(r.outcome), cors_reason_string(r.reason));
        exit(1);
    }
}

static void run(const scenario *s, int em, long calls)
{
    cors_emit_fn fn = emitter_fn[em];
    cors_result r;
    long i;

    cors_result_init(&r);
    for (i = 0; i < calls; i++) {
        out.len = 0;
        cors_evaluate(s->policy, &s->req, fn, &out, &r);
        checksum += out.len + (unsigned long)r.outcome;
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

/* Calls into the policy's allocator per evaluation, over many. */
static void count_allocs(scenario *s)
{
    unsigned long before = alloc_calls;

    run(s, COPY, 100000);
    s->allocs = (double)(alloc_calls - before) / 100000.0;
}

/* Every scenario and emitter is timed in turn within each round, so that
   a burst of load from other processes lands on all of them alike and the
   ratios between scenarios stay meaningful. */
static void measure_all(int batches)
{
    static double t[NSCEN][NEMIT][MAX_BATCHES];
    long calls[NSCEN];
    double t0;
    int i, k, em;

    for (i = 0; i < NSCEN; i++) {
        check(&sc[i], NOOP);
        check(&sc[i], COPY);
        count_allocs(&sc[i]);
        /* A batch long enough (at least 100,000 calls and about 5 ms)
           that timer resolution, the clock call and a calibration run cut
           short by another process do not matter. */
        for (calls[i] = 100000;; calls[i] *= 2) {
            t0 = now_ns();
            run(&sc[i], COPY, calls[i]);
            if (now_ns() - t0 > 5e6 || calls[i] > (1L << 30))
                break;
        }
    }
    for (k = 0; k < batches; k++) {
        for (i = 0; i < NSCEN; i++) {
            for (em = 0; em < NEMIT; em++) {
                t0 = now_ns();
                run(&sc[i], em, calls[i]);
                t[i][em][k] = (now_ns() - t0) / (double)calls[i];
            }
        }
    }
    for (i = 0; i < NSCEN; i++)
        for (em = 0; em < NEMIT; em++)
            sc[i].ns[em] = median(t[i][em], batches);
}

/* ------------------------------------------------------- S7: build time */

/* rs/cors v1.11.1 builds the same 100,000 origins in 21.5 ms (issue 15). */
#define S7_PEER_MS 21.5
#define S7_BUDGET_INSTR 50e6
#define S7_BUDGET_MS 25.0

static double s7_ms, s7_allocs, s7_instructions = -1;

static void build_text_once(const char *t, size_t len, cors_policy **p,
                            const cors_allocator *a)
{
    cors_builder *b = cors_builder_new(a);

    if (!b || cors_builder_parse(b, t, len) != CORS_OK || cors_builder_build(b, p) != CORS_OK)
        die("S7: the policy does not build");
    cors_builder_free(b);
}

/* Timed with the C library's malloc (no allocator given), as a host
   would build; the allocations are counted in one further build. */
static void measure_s7(int runs)
{
    double t[MAX_BATCHES], t0;
    size_t len;
    char *text = many_origins_text(100000, &len);
    unsigned long before;
    cors_policy *p;
    int k;

    if (runs > 11)
        runs = 11;
    for (k = 0; k < runs; k++) {
        t0 = now_ns();
        build_text_once(text, len, &p, NULL);
        t[k] = (now_ns() - t0) / 1e6;
        cors_policy_free(p);
    }
    s7_ms = median(t, runs);
    before = alloc_calls;
    build_text_once(text, len, &p, &counting);
    cors_policy_free(p);
    s7_allocs = (double)(alloc_calls - before);
    free(text);
}

/* ------------------------------------------------------------- output */

static int find(const char *id)
{
    static const char *const ids[NSCEN] = {"S1", "S2", "S3", "S4a", "S4b", "S5a", "S5b", "S6"};
    int i;

    for (i = 0; i < NSCEN; i++)
        if (strcmp(ids[i], id) == 0)
            return i;
    return -1;
}

/* Lines "ID EMITTER COUNT" ("S7 - COUNT"), and one "source WHAT" naming
   the counter used. */
static char instr_source[128] = "not counted (run \"make bench\")";

static void read_instructions(const char *file)
{
    FILE *f = fopen(file, "r");
    char line[256], id[16], em[16];
    double v;
    int i, e;

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
        if (sscanf(line, "%15s %15s %lf", id, em, &v) != 3)
            continue;
        if (strcmp(id, "S7") == 0) {
            s7_instructions = v;
            continue;
        }
        i = find(id);
        for (e = 0; e < NEMIT; e++)
            if (i >= 0 && strcmp(em, emitter_name[e]) == 0)
                sc[i].instructions[e] = v;
    }
    fclose(f);
}

static void fmt_count(char *buf, size_t size, double v)
{
    if (v < 0)
        snprintf(buf, size, "n/a");
    else
        snprintf(buf, size, "%.0f", v);
}

static void fmt_ratio(char *buf, size_t size, double peer, double ours)
{
    if (ours <= 0)
        snprintf(buf, size, "n/a");
    else
        snprintf(buf, size, "%.1fx", peer / ours);
}

static int not_met;

/* The budget in words, and whether the no-op figure meets it. */
static void fmt_budget(char *buf, size_t size, const scenario *s)
{
    double limit = s->budget, v = s->instructions[NOOP];
    const char *verdict;

    if (limit < 0)
        limit = -limit * sc[S1].instructions[NOOP];
    if (v < 0 || sc[S1].instructions[NOOP] < 0)
        verdict = "?";
    else if (v <= limit)
        verdict = "met";
    else {
        verdict = "NOT MET";
        not_met++;
    }
    if (s->budget < 0)
        snprintf(buf, size, "<= %.2f x S1: %s", -s->budget, verdict);
    else
        snprintf(buf, size, "<= %.0f: %s", limit, verdict);
}

static void report(int batches)
{
    char a[32], b[32], c[32], r[32], bud[48];
    const char *verdict;
    int i;

    printf("libcors %s: one cors_evaluate() call (S1-S6) and one policy build (S7)\n",
           cors_version_string());
    printf("policy: allow-origin https://example.com; allow-methods GET POST PUT DELETE;\n"
           "        allow-headers Content-Type Accept; max-age 600\n");
    printf("instructions: %s\n", instr_source);
    printf("ns: median of %d timed batches; \"copying\": an emitter that writes each header\n"
           "line into a response buffer (the other columns: an emitter that does nothing)\n",
           batches);
    printf("peer: the fastest of jub0bs/cors v1.0.2 and rs/cors v1.11.1, measured elsewhere\n"
           "(issue 15); x: how many times fewer instructions libcors needs\n\n");
    printf("| %-4s | %-33s | %8s | %7s | %8s | %7s | %7s | %6s | %-25s |\n", "", "scenario",
           "instr", "ns", "instr", "ns", "peer", "", "budget (instr, no-op)");
    printf("| %-4s | %-33s | %8s | %7s | %8s | %7s | %7s | %6s | %-25s |\n", "", "", "", "",
           "copying", "copying", "instr", "x", "");
    printf("|------|-----------------------------------|---------:|--------:|---------:|"
           "--------:|--------:|-------:|---------------------------|\n");
    for (i = 0; i < NSCEN; i++) {
        fmt_count(a, sizeof a, sc[i].instructions[NOOP]);
        fmt_count(b, sizeof b, sc[i].instructions[COPY]);
        fmt_ratio(r, sizeof r, sc[i].peer, sc[i].instructions[NOOP]);
        fmt_budget(bud, sizeof bud, &sc[i]);
        snprintf(c, sizeof c, "%.0f", sc[i].peer);
        printf("| %-4s | %-33s | %8s | %7.1f | %8s | %7.1f | %7s | %6s | %-25s |\n", sc[i].id,
               sc[i].what, a, sc[i].ns[NOOP], b, sc[i].ns[COPY], c, r, bud);
    }
    if (s7_instructions < 0)
        snprintf(a, sizeof a, "n/a");
    else
        snprintf(a, sizeof a, "%.1f M", s7_instructions / 1e6);
    snprintf(r, sizeof r, "%.1fx", s7_ms > 0 ? S7_PEER_MS / s7_ms : 0);
    if (s7_instructions < 0)
        verdict = s7_ms < S7_BUDGET_MS ? "?" : "NOT MET";
    else if (s7_instructions <= S7_BUDGET_INSTR && s7_ms < S7_BUDGET_MS)
        verdict = "met";
    else
        verdict = "NOT MET";
    if (strcmp(verdict, "NOT MET") == 0)
        not_met++;
    snprintf(bud, sizeof bud, "<= 50 M, < 25 ms: %s", verdict);
    snprintf(b, sizeof b, "%.1f ms", s7_ms);
    snprintf(c, sizeof c, "%.1f ms", S7_PEER_MS);
    printf("| %-4s | %-33s | %8s | %7s | %8s | %7s | %7s | %6s | %-25s |\n", "S7",
           "build 100,000 origins from text", a, b, "", "", c, r, bud);
    printf("\nS7 is per whole build (new, parse, build, free the builder); its peer figure is\n"
           "rs/cors's time, and x compares times.  Allocator calls per evaluation: ");
    for (i = 0; i < NSCEN; i++)
        if (sc[i].allocs != 0)
            break;
    if (i == NSCEN)
        printf("0 in every scenario");
    else
        printf("%s makes %.2f (must be 0)", sc[i].id, sc[i].allocs);
    printf("; per S7 build: %.0f.\n", s7_allocs);
    if (not_met)
        printf("%d budget(s) not met.\n", not_met);
}

static void usage(void)
{
    fprintf(stderr, "usage: bench [--batches K] [--instructions FILE]\n"
                    "       bench --only ID --calls N [--emitter noop|copy]\n"
                    "             (ID: S1 S2 S3 S4a S4b S5a S5b S6 S7)\n");
    exit(2);
}

/* Exactly `calls` evaluations (or builds) after the set-up, so that an
   external counter can isolate them. */
static int only_one(const char *id, long calls, int em)
{
    int which;

    if (strcmp(id, "S7") == 0) {
        size_t len;
        char *text = many_origins_text(100000, &len);
        cors_policy *p;
        long k;
        for (k = 0; k < calls; k++) {
            build_text_once(text, len, &p, NULL);
            cors_policy_free(p);
        }
        free(text);
        return 0;
    }
    which = find(id);
    if (which < 0)
        usage();
    setup(which);
    check(&sc[which], em);
    run(&sc[which], em, calls);
    return checksum == 0 && calls > 0;
}

int main(int argc, char **argv)
{
    const char *only = NULL, *instr = NULL;
    long calls = -1;
    int batches = 21, em = NOOP, i;

    for (i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--only") == 0 && i + 1 < argc)
            only = argv[++i];
        else if (strcmp(argv[i], "--calls") == 0 && i + 1 < argc)
            calls = strtol(argv[++i], NULL, 10);
        else if (strcmp(argv[i], "--batches") == 0 && i + 1 < argc)
            batches = (int)strtol(argv[++i], NULL, 10);
        else if (strcmp(argv[i], "--instructions") == 0 && i + 1 < argc)
            instr = argv[++i];
        else if (strcmp(argv[i], "--emitter") == 0 && i + 1 < argc) {
            i++;
            if (strcmp(argv[i], "noop") == 0)
                em = NOOP;
            else if (strcmp(argv[i], "copy") == 0)
                em = COPY;
            else
                usage();
        } else
            usage();
    }
    if (batches < 1 || batches > MAX_BATCHES)
        usage();
    if (only) {
        if (calls < 0)
            usage();
        return only_one(only, calls, em);
    }

    setup(-1);
    measure_all(batches);
    measure_s7(batches);
    if (instr)
        read_instructions(instr);
    report(batches);
    for (i = 0; i < NSCEN; i++)
        if (i == S1 || sc[i].policy != sc[S1].policy)
            cors_policy_free(sc[i].policy);
    return 0;
}
