/*
 * test_guard.c - no read outside a given (pointer, length), ever.
 *
 * Every input is copied into fresh pages so that it ends right before a
 * PROT_NONE page (and, in a second pass, starts right after one), and the
 * pages holding it are made read-only.  A read past the end or before the
 * start, or a write into an input, crashes the test at the faulting
 * access, whatever the allocator or sanitizer in use.  Each string is also
 * tried at every prefix length, since a parser that runs past its length
 * usually does so on a truncated input.  Output buffers (describe, to_text,
 * the header array, scratch) are placed the same way with every size, so a
 * write past a given size crashes too.  Finally, policies are used after
 * the text they were built from is unmapped: a policy that kept a pointer
 * into the caller's text would crash.  Besides the strings below, every
 * file of the committed origin and policy-text fuzz corpora is used
 * ($top_srcdir/tests/fuzz/corpus).
 */
#define _DEFAULT_SOURCE
#include "internal.h"

#include <dirent.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static size_t page;
static unsigned long checks;

/* What is being tried, for the crash report. */
static char current[256];
static struct sigaction previous_segv, previous_bus;

static void on_fault(int sig)
{
    static const char head[] = "\ntest-guard: memory access outside a given buffer while: ";
    ssize_t ignored;

    ignored = write(2, head, sizeof head - 1);
    ignored = write(2, current, strlen(current));
    ignored = write(2, "\n", 1);
    (void)ignored;
    /* Hand the fault back: the access faults again and the previous handler
       (the default one, or a sanitizer's with its report) takes over. */
    sigaction(SIGSEGV, &previous_segv, NULL);
    sigaction(SIGBUS, &previous_bus, NULL);
    (void)sig;
}

static void fail(const char *what)
{
    fprintf(stderr, "test-guard: FAIL: %s (while: %s)\n", what, current);
    exit(1);
}

#define CHECK(cond)      \
    do {                 \
        if (!(cond))     \
            fail(#cond); \
    } while (0)

/* ------------------------------------------------------------ placement */

typedef struct guarded {
    unsigned char *map;
    size_t map_len;
    char *p;
} guarded;

enum { AT_END = 0, AT_START = 1 };

/* Maps pages with a PROT_NONE page on either side and returns n writable
   bytes flush against the guard selected by where. */
static char *guard_alloc(guarded *g, size_t n, int where)
{
    size_t data_pages = n ? (n + page - 1) / page : 1;

    g->map_len = (data_pages + 2) * page;
    g->map = mmap(NULL, g->map_len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK(g->map != MAP_FAILED);
    CHECK(mprotect(g->map, page, PROT_NONE) == 0);
    CHECK(mprotect(g->map + g->map_len - page, page, PROT_NONE) == 0);
    g->p = (char *)(where == AT_START ? g->map + page : g->map + g->map_len - page - n);
    return g->p;
}

/* A read-only copy of s[0..n) between guard pages. */
static const char *guard_copy(guarded *g, const void *s, size_t n, int where)
{
    char *p = guard_alloc(g, n, where);

    if (n)
        memcpy(p, s, n);
    CHECK(mprotect(g->map + page, g->map_len - 2 * page, PROT_READ) == 0);
    return p;
}

static void guard_free(guarded *g)
{
    if (g->map)
        CHECK(munmap(g->map, g->map_len) == 0);
    g->map = NULL;
}

/* ----------------------------------------------------------------- data */

static const char *const origins[] = {
    "https://example.com",
    "http://localhost:3000",
    "https://[::1]:8443",
    "https://[2001:db8:85a3::8a2e:370:7334]",
    "http://127.0.0.1:8080",
    "https://*.example.com",
    "https://example.com:*",
    "https://a.b-c.d_e.example.com:65535",
    "null",
    "*",
    "https://example.com.",
    "HTTPS://EXAMPLE.COM",
    "https://user@example.com",
    "https://example.com/path?q#f",
    "https://[::ffff:1.2.3.4]",
    "http://0x7f.1",
    "https://example.com:0443",
    "file:///etc/passwd",
    "https://xn--bcher-kva.example",
    "https://ex\xc3\xa4mple.com",
    "https://*.[::1]",
    "https://*.",
    "https://example.com:65536",
    "https://example.com:8a",
    "https://example.com:4*",
    "https://1.2.3.4.5",
    "https://[0:0:0:0:0:0:0:1]",
};

static const char *const methods[] = {
    "PATCH", "patch", "DELETE", "*", "CONNECT", "X-Custom!", "PU T", "trace",
};

static const char *const header_names[] = {
    "Content-Type",        "x-requested-with", "Authorization", "*",      "Sec-Fetch-Mode",
    "Proxy-Authorization", "set-cookie",       "X-A B",         "x-\xff", "Cache-Control",
};

static const char policy_text[] =
    "# a policy that goes through every directive and some mistakes\r\n"
    "allow-origin https://app.example.com, https://*.example.com\t https://example.com:*\n"
    "allow-origin http://localhost:3000 https://[::1]:8443 https://app.example.com\n"
    "allow-methods PUT patch DELETE\n"
    "allow-headers Content-Type, X-Requested-With authorization\n"
    "expose-headers X-Request-Id\n"
    "allow-credentials on\n"
    "max-age 600\n"
    "allow-private-network off\n"
    "preflight-status 204\n"
    "alow-origin https://typo.example.com\n"
    "max-age 1000000000000\n"
    "allow-credentials maybe\n"
    "dangerously-allow-tld-wildcards-with-credentials off\n"
    "   # indented comment without a newline";

/* ------------------------------------------------------ builder inputs */

static void check_one_origin(const char *text, size_t len, const char *name)
{
    size_t n, where;

    for (where = AT_END; where <= AT_START; where++) {
        for (n = 0; n <= len; n++) {
            guarded g = {0};
            const char *s = guard_copy(&g, text, n, (int)where);
            cors__origin o;
            cors_builder *b;
            snprintf(current, sizeof current, "parsing %zu bytes of origin %s (%s)", n, name,
                     where ? "at start" : "at end");
            (void)cors__origin_parse(s, n, 0, &o);
            (void)cors__origin_parse(s, n, 1, &o);
            b = cors_builder_new(NULL);
            CHECK(b != NULL);
            (void)cors_builder_allow_origin(b, s, n);
            cors_builder_free(b);
            guard_free(&g);
            checks += 3;
        }
    }
}

static void check_origin_parser(void)
{
    size_t i;

    for (i = 0; i < sizeof origins / sizeof origins[0]; i++)
        check_one_origin(origins[i], strlen(origins[i]), origins[i]);
}

static void check_setter(const char *const *list, size_t count, const char *what,
                         cors_error (*set)(cors_builder *, const char *, size_t))
{
    size_t i, n, where;

    for (i = 0; i < count; i++) {
        size_t len = strlen(list[i]);
        for (where = AT_END; where <= AT_START; where++) {
            for (n = 0; n <= len; n++) {
                guarded g = {0};
                const char *s = guard_copy(&g, list[i], n, (int)where);
                cors_builder *b = cors_builder_new(NULL);
                snprintf(current, sizeof current, "%s %zu of \"%s\"", what, n, list[i]);
                CHECK(b != NULL);
                (void)set(b, s, n);
                cors_builder_free(b);
                guard_free(&g);
                checks++;
            }
        }
    }
}

static void check_long_header_name(void)
{
    char name[300];
    guarded g = {0};
    const char *s;
    cors_builder *b = cors_builder_new(NULL);

    memset(name, 'x', sizeof name);
    s = guard_copy(&g, name, sizeof name, AT_END);
    snprintf(current, sizeof current, "a %zu-byte header name", sizeof name);
    CHECK(b != NULL);
    CHECK(cors_builder_allow_header(b, s, sizeof name) == CORS_ERR_HEADER);
    CHECK(cors_builder_expose_header(b, s, sizeof name) == CORS_ERR_EXPOSE_HEADER);
    cors_builder_free(b);
    guard_free(&g);
    checks += 2;
}

/* Output buffers of every size up to a bit more than needed. */
static void check_to_text(const cors_policy *p)
{
    size_t need = cors_policy_to_text(p, NULL, 0), size;

    for (size = 1; size <= need + 2; size++) {
        guarded g = {0};
        char *buf = guard_alloc(&g, size, AT_END);
        snprintf(current, sizeof current, "cors_policy_to_text into %zu bytes", size);
        CHECK(cors_policy_to_text(p, buf, size) == need);
        CHECK(strlen(buf) == (need < size ? need : size - 1));
        guard_free(&g);
        checks++;
    }
}

static void check_one_policy_text(const char *text, size_t len, const char *name)
{
    size_t n, where;

    for (where = AT_END; where <= AT_START; where++) {
        for (n = 0; n <= len; n++) {
            guarded g = {0};
            const char *s = guard_copy(&g, text, n, (int)where);
            cors_builder *b = cors_builder_new(NULL);
            cors_policy *p = NULL;
            size_t i;
            snprintf(current, sizeof current, "parsing %zu bytes of policy text %s (%s)", n, name,
                     where ? "at start" : "at end");
            CHECK(b != NULL);
            (void)cors_builder_parse(b, s, n);
            /* The text is gone before building: nothing may point into it. */
            guard_free(&g);
            snprintf(current, sizeof current,
                     "building from unmapped policy text %s cut to %zu bytes", name, n);
            (void)cors_builder_build(b, &p);
            for (i = 0; i < cors_builder_diagnostic_count(b); i++)
                CHECK(strlen(cors_builder_diagnostic(b, i)->message) > 0);
            cors_policy_free(p);
            cors_builder_free(b);
            checks++;
        }
    }
}

static void check_policy_text(void)
{
    check_one_policy_text(policy_text, sizeof policy_text - 1, "(built in)");
}

/* The committed fuzz corpora hold the inputs most likely to find a parser's
   edge: every one of them goes through the same placements. */
static void check_corpus(const char *sub, void (*fn)(const char *, size_t, const char *))
{
    const char *top = getenv("top_srcdir");
    char dir[4096], path[4352], *buf;
    DIR *d;
    struct dirent *e;
    size_t files = 0;

    snprintf(dir, sizeof dir, "%s/tests/fuzz/corpus/%s", top ? top : ".", sub);
    d = opendir(dir);
    if (!d) {
        fprintf(stderr, "test-guard: cannot open %s (is top_srcdir set?)\n", dir);
        exit(99);
    }
    buf = malloc(65536);
    CHECK(buf != NULL);
    while ((e = readdir(d)) != NULL) {
        FILE *fp;
        size_t len;
        if (e->d_name[0] == '.')
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        fp = fopen(path, "rb");
        CHECK(fp != NULL);
        len = fread(buf, 1, 65536, fp);
        fclose(fp);
        fn(buf, len, path);
        files++;
    }
    closedir(d);
    free(buf);
    CHECK(files > 0);
}

/* ---------------------------------------------------------- evaluation */

typedef struct req_spec {
    const char *method;
    const char *origin;
    const char *acrm;
    const char *acrh[3]; /* NULL-terminated lines */
    const char *pna;
} req_spec;

static const req_spec requests[] = {
    {"OPTIONS", "https://app.example.com", "PUT", {"content-type, x-requested-with", NULL}, NULL},
    {"OPTIONS",
     "https://a.b.example.com",
     "patch",
     {" authorization ", "Content-Type,,", NULL},
     "true"},
    {"OPTIONS", "https://example.com:8443", "DELETE", {NULL}, NULL},
    {"OPTIONS", "https://evil.example.net", "PUT", {"x-a", NULL}, NULL},
    {"OPTIONS", "https://app.example.com", "PU T", {NULL}, NULL},
    {"OPTIONS", "https://app.example.com", "PUT", {"x-a;", NULL}, NULL},
    {"OPTIONS", "https://app.example.com", "PUT", {"x-forbidden-here", NULL}, NULL},
    {"OPTIONS", "https://app.example.com", "PUT", {NULL}, "yes"},
    {"OPTIONS", "null", "PUT", {NULL}, NULL},
    {"GET", "https://app.example.com", NULL, {NULL}, NULL},
    {"POST", "https://[::1]:8443", NULL, {NULL}, NULL},
    {"POST", "https://evil.example.net", NULL, {NULL}, NULL},
    {"GET", NULL, NULL, {NULL}, NULL},
};

static const char *const eval_policies[] = {
    "allow-origin https://app.example.com https://*.example.com https://example.com:*\n"
    "allow-origin https://[::1]:8443\n"
    "allow-methods PUT patch DELETE\n"
    "allow-headers content-type x-requested-with authorization\n"
    "expose-headers x-request-id\n"
    "allow-credentials on\nmax-age 600\nallow-private-network on\n",
    /* credentials with "*": the requested method and headers are echoed */
    ("allow-origin https://app.example.com https://*.example.com https://example.com:*\n"
     "allow-methods *\nallow-headers *\nallow-credentials on\n"),
    "allow-origin *\nallow-methods *\nallow-headers *\nexpose-headers *\n",
};
#define NPOLICIES (sizeof eval_policies / sizeof eval_policies[0])

enum { F_METHOD, F_ORIGIN, F_ACRM, F_PNA, F_ACRH0, F_ACRH1, F_ACRH2, NFIELDS };

static const char *field_text(const req_spec *r, int f)
{
    switch (f) {
    case F_METHOD:
        return r->method;
    case F_ORIGIN:
        return r->origin;
    case F_ACRM:
        return r->acrm;
    case F_PNA:
        return r->pna;
    default:
        return r->acrh[f - F_ACRH0];
    }
}

static int count_emit(void *ctx, const char *name, size_t name_len, const char *value,
                      size_t value_len, unsigned flags)
{
    size_t i;

    /* Touch every byte, so that a bad view faults here. */
    for (i = 0; i < name_len; i++)
        CHECK(name[i] != '\r' && name[i] != '\n' && name[i] != '\0');
    for (i = 0; i < value_len; i++)
        CHECK(value[i] != '\r' && value[i] != '\n' && value[i] != '\0');
    (void)flags;
    ++*(size_t *)ctx;
    return 0;
}

/*
 * Evaluates r against p with every field in guarded pages; field
 * "shorten" (or -1) is cut to "keep" bytes.  The request struct, the
 * header-line array and the result are each flush against a guard page as
 * well, and cors_evaluate_headers gets arrays and scratch of every size.
 */
static void evaluate_guarded(const cors_policy *p, const req_spec *r, int shorten, size_t keep,
                             int where)
{
    guarded fg[NFIELDS], rg = {0}, hg = {0}, resg = {0};
    const char *views[NFIELDS];
    size_t lens[NFIELDS], nlines = 0, emitted = 0, count, cap, i;
    cors_request *req;
    cors_result *res;
    cors_str *lines;
    cors_header *arr;
    int f;

    memset(fg, 0, sizeof fg);
    for (f = 0; f < NFIELDS; f++) {
        const char *t = field_text(r, f);
        views[f] = NULL;
        lens[f] = 0;
        if (f >= F_ACRH0 && f - F_ACRH0 > 0 && !r->acrh[f - F_ACRH0 - 1])
            continue; /* the line list ended */
        if (!t)
            continue;
        lens[f] = f == shorten ? keep : strlen(t);
        views[f] = guard_copy(&fg[f], t, lens[f], where);
        if (f >= F_ACRH0)
            nlines++;
    }
    req = (cors_request *)(void *)guard_alloc(&rg, sizeof *req, AT_END);
    cors_request_init(req);
    req->method = views[F_METHOD];
    req->method_len = lens[F_METHOD];
    req->origin = views[F_ORIGIN];
    req->origin_len = lens[F_ORIGIN];
    req->request_method = views[F_ACRM];
    req->request_method_len = lens[F_ACRM];
    req->request_private_network = views[F_PNA];
    req->request_private_network_len = lens[F_PNA];
    if (nlines) {
        lines = (cors_str *)(void *)guard_alloc(&hg, nlines * sizeof *lines, AT_END);
        for (i = 0; i < nlines; i++) {
            lines[i].ptr = views[F_ACRH0 + i];
            lines[i].len = lens[F_ACRH0 + i];
        }
        CHECK(mprotect(hg.map + page, hg.map_len - 2 * page, PROT_READ) == 0);
        req->request_headers = lines;
        req->request_headers_count = nlines;
    }
    CHECK(mprotect(rg.map + page, rg.map_len - 2 * page, PROT_READ) == 0);
    res = (cors_result *)(void *)guard_alloc(&resg, sizeof *res, AT_END);

    cors_result_init(res);
    CHECK(cors_evaluate(p, req, count_emit, &emitted, res) == CORS_OK);
    checks++;
    if (res->detail) {
        /* The sentence reads the detail, which points into the request;
           into every output size. */
        size_t need = cors_result_describe(p, res, NULL, 0), size;
        for (size = 1; size <= need + 1; size += size < 8 ? 1 : 7) {
            guarded og = {0};
            char *buf = guard_alloc(&og, size, AT_END);
            CHECK(cors_result_describe(p, res, buf, size) == need);
            guard_free(&og);
            checks++;
        }
    }
    /* The array variant: every capacity, and scratch of every size around
       what echoing several lines needs. */
    for (cap = 0; cap <= emitted; cap++) {
        guarded ag = {0};
        arr = cap ? (cors_header *)(void *)guard_alloc(&ag, cap * sizeof *arr, AT_END) : NULL;
        cors_result_init(res);
        CHECK(cors_evaluate_headers(p, req, arr, cap, &count, NULL, 0, res) ==
                  (cap < emitted ? CORS_ERR_BUFFER_TOO_SMALL : CORS_OK) ||
              (nlines > 1 && count == 0));
        guard_free(&ag);
        checks++;
    }
    if (nlines > 1) {
        size_t total = 0, size;
        cors_header full[CORS_MAX_HEADERS];
        for (i = 0; i < nlines; i++)
            total += lens[F_ACRH0 + i] + 2;
        for (size = 0; size <= total + 2; size++) {
            guarded sg = {0};
            char *scratch = size ? guard_alloc(&sg, size, AT_END) : NULL;
            cors_error e;
            cors_result_init(res);
            e = cors_evaluate_headers(p, req, full, CORS_MAX_HEADERS, &count, scratch, size, res);
            CHECK(e == CORS_OK || e == CORS_ERR_BUFFER_TOO_SMALL);
            for (i = 0; e == CORS_OK && i < count; i++)
                CHECK(memchr(full[i].value, '\0', full[i].value_len) == NULL);
            guard_free(&sg);
            checks++;
        }
    }
    guard_free(&resg);
    guard_free(&hg);
    guard_free(&rg);
    for (f = 0; f < NFIELDS; f++)
        guard_free(&fg[f]);
}

static void check_evaluation(void)
{
    size_t pi, ri;
    int where, f;

    for (pi = 0; pi < NPOLICIES; pi++) {
        /* The policy is built from guarded text that is unmapped at once. */
        guarded tg = {0};
        const char *t = guard_copy(&tg, eval_policies[pi], strlen(eval_policies[pi]), AT_END);
        cors_builder *b = cors_builder_new(NULL);
        cors_policy *p = NULL;
        snprintf(current, sizeof current, "building evaluation policy %zu", pi);
        CHECK(b != NULL);
        CHECK(cors_builder_parse(b, t, strlen(eval_policies[pi])) == CORS_OK);
        guard_free(&tg);
        CHECK(cors_builder_build(b, &p) == CORS_OK);
        cors_builder_free(b);
        check_to_text(p);

        for (ri = 0; ri < sizeof requests / sizeof requests[0]; ri++) {
            const req_spec *r = &requests[ri];
            for (where = AT_END; where <= AT_START; where++) {
                snprintf(current, sizeof current, "policy %zu, request %zu, whole (%s)", pi, ri,
                         where ? "at start" : "at end");
                evaluate_guarded(p, r, -1, 0, where);
                for (f = 0; f < NFIELDS; f++) {
                    const char *text = field_text(r, f);
                    size_t keep;
                    if (!text || (f > F_ACRH0 && !r->acrh[f - F_ACRH0 - 1]))
                        continue;
                    for (keep = 0; keep < strlen(text); keep++) {
                        snprintf(current, sizeof current,
                                 "policy %zu, request %zu, field %d cut to %zu bytes (%s)", pi,
                                 ri, f, keep, where ? "at start" : "at end");
                        evaluate_guarded(p, r, f, keep, where);
                    }
                }
            }
        }
        cors_policy_free(p);
    }
}

int main(void)
{
    struct sigaction sa;

    page = (size_t)sysconf(_SC_PAGESIZE);
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_fault;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGSEGV, &sa, &previous_segv);
    sigaction(SIGBUS, &sa, &previous_bus);

    check_origin_parser();
    check_setter(methods, sizeof methods / sizeof methods[0], "allow_method",
                 cors_builder_allow_method);
    check_setter(header_names, sizeof header_names / sizeof header_names[0], "allow_header",
                 cors_builder_allow_header);
    check_setter(header_names, sizeof header_names / sizeof header_names[0], "expose_header",
                 cors_builder_expose_header);
    check_long_header_name();
    check_policy_text();
    check_corpus("origin", check_one_origin);
    check_corpus("policy_text", check_one_policy_text);
    check_evaluation();
    printf("test-guard: %lu guarded calls, no access outside a given buffer\n", checks);
    return 0;
}
