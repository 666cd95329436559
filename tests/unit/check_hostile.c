/*
 * check_hostile.c - the hostile-input table: what attackers and CORS
 * scanners send, and what broken proxies pass on.
 *
 * Every case must be denied (or refused when a policy is built) and never
 * reflected: no Access-Control-Allow-Origin for it (a "*" policy answers
 * "*", which reflects nothing), no emitted value containing its bytes, no
 * Access-Control-* header at all on a denied preflight, and a printable
 * sentence from cors_result_describe() (results end up in logs).  The
 * cases: header values of 1 MiB, 64 KiB origins, NUL inside values, every
 * byte 0-255 in origins, methods and header names, duplicated and folded
 * headers, Unicode look-alikes, IPv4/IPv6 edge forms, upper-case schemes,
 * ports 0 and 65536 (and ones that wrap around to 443), a trailing dot, and
 * the origin-confusion payloads of CORS scanners.
 *
 * Every value is passed with an explicit length and copied into a heap
 * block of exactly that length, so a read past it shows under valgrind or
 * AddressSanitizer.
 */
#include "testutil.h"

#include <stdint.h>

#define MiB (1024 * 1024)

/* Check records the location of every passing ck_assert (a write to its
   log); with a hundred thousand evaluations here that would be most of the
   run, so the checks below only call into Check when they fail. */
#define H_CHECK(cond, ...)             \
    do {                               \
        if (!(cond))                   \
            ck_abort_msg(__VA_ARGS__); \
    } while (0)
#define H_ASSERT(cond) H_CHECK(cond, "Assertion '%s' failed", #cond)
#define H_EQ(a, b)                                                                      \
    do {                                                                                \
        long long a_ = (long long)(a), b_ = (long long)(b);                             \
        H_CHECK(a_ == b_, "Assertion '%s == %s' failed: %lld != %lld", #a, #b, a_, b_); \
    } while (0)

/* tu_emit's checks, made the same way: names and values never hold CR, LF
   or NUL. */
static int h_emit(void *ctx, const char *name, size_t name_len, const char *value,
                  size_t value_len, unsigned flags)
{
    tu_capture *c = ctx;
    tu_header *h;
    size_t i;
    int bad = 0;

    H_ASSERT(c->n < TU_MAX_CAPTURED);
    H_ASSERT(name_len < sizeof h->name && value_len < sizeof h->value);
    for (i = 0; i < name_len; i++)
        bad |= name[i] == '\r' || name[i] == '\n' || name[i] == '\0';
    for (i = 0; i < value_len; i++)
        bad |= value[i] == '\r' || value[i] == '\n' || value[i] == '\0';
    H_CHECK(!bad, "CR, LF or NUL in an emitted header");
    H_ASSERT(flags == CORS_HEADER_SET || flags == CORS_HEADER_MERGE);
    tu_capture_put(c, name, name_len, value, value_len, flags);
    return 0;
}

/* ------------------------------------------------------------ policies */

enum {
    P_EXACT, /* exact origins (a loopback IPv4 and IPv6 among them), credentials */
    P_SUB,   /* a subdomain pattern and its apex */
    P_PORT,  /* a port wildcard */
    P_ECHO,  /* "*" methods and headers with credentials: requested values echoed */
    P_STAR,  /* any origin: answers "*", never the origin */
    P_COUNT
};

static const char *const policy_texts[P_COUNT] = {
    "allow-origin https://example.com http://127.0.0.1:8080 https://[::1]:8443\n"
    "allow-origin http://localhost:3000\n"
    "allow-methods PUT\n"
    "allow-headers x-a\n"
    "expose-headers x-id\n"
    "allow-credentials on\n"
    "max-age 600\n",
    "allow-origin https://*.example.com https://example.com\n"
    "allow-methods PUT\n"
    "allow-headers x-a\n",
    "allow-origin https://example.com:*\n"
    "allow-methods PUT\n"
    "allow-headers x-a\n",
    "allow-origin https://example.com https://*.example.com\n"
    "allow-methods *\n"
    "allow-headers *\n"
    "allow-credentials on\n"
    "allow-private-network on\n",
    "allow-origin *\n"
    "allow-methods *\n"
    "allow-headers *\n",
};

static cors_policy *policies[P_COUNT];

static void setup(void)
{
    tu_policies_build(policies, policy_texts, P_COUNT);
}

static void teardown(void)
{
    tu_policies_free(policies, P_COUNT);
}

/* ------------------------------------------------------------- helpers */

/* An exact-size heap copy. */
static char *dup_exact(const char *s, size_t n)
{
    char *p = malloc(n ? n : 1);

    H_ASSERT(p != NULL);
    if (n)
        memcpy(p, s, n);
    return p;
}

/* A request; NULL pointers are absent headers. */
typedef struct hreq {
    const char *method;
    size_t method_len;
    const char *origin;
    size_t origin_len;
    const char *acrm;
    size_t acrm_len;
    const cors_str *lines;
    size_t nlines;
    const char *pna;
    size_t pna_len;
} hreq;

/* Evaluates r (every value copied to an exact-size block) and checks what
   holds for any request: emitted values are wire-safe (tu_emit), the array
   variant agrees, and the sentence is printable. */
static void eval(cors_policy *p, const hreq *r, tu_capture *cap, cors_result *res)
{
    cors_request req;
    cors_str *lines = NULL;
    char *m = NULL, *o = NULL, *a = NULL, *pn = NULL, why[1200];
    size_t i, n, count;
    cors_header arr[CORS_MAX_HEADERS];
    static char scratch[CORS_SCRATCH_SIZE];
    cors_result res2;

    cors_request_init(&req);
    if (r->method)
        req.method = m = dup_exact(r->method, r->method_len), req.method_len = r->method_len;
    if (r->origin)
        req.origin = o = dup_exact(r->origin, r->origin_len), req.origin_len = r->origin_len;
    if (r->acrm)
        req.request_method = a = dup_exact(r->acrm, r->acrm_len),
        req.request_method_len = r->acrm_len;
    if (r->pna)
        req.request_private_network = pn = dup_exact(r->pna, r->pna_len),
        req.request_private_network_len = r->pna_len;
    if (r->nlines) {
        lines = malloc(r->nlines * sizeof *lines);
        H_ASSERT(lines != NULL);
        for (i = 0; i < r->nlines; i++) {
            lines[i].ptr = dup_exact(r->lines[i].ptr, r->lines[i].len);
            lines[i].len = r->lines[i].len;
        }
        req.request_headers = lines;
        req.request_headers_count = r->nlines;
    }
    /* (tu_run_request would clear all of cap, 128 KiB, on each of the
       hundred thousand evaluations here) */
    cap->n = 0;
    cors_result_init(res);
    H_EQ(cors_evaluate(p, &req, h_emit, cap, res), CORS_OK);

    cors_result_init(&res2);
    H_EQ(cors_evaluate_headers(p, &req, arr, CORS_MAX_HEADERS, &count, scratch, sizeof scratch,
                               &res2),
         CORS_OK);
    H_EQ(count, cap->n);
    H_EQ(res2.outcome, res->outcome);
    H_EQ(res2.reason, res->reason);

    n = cors_result_describe(p, res, why, sizeof why);
    H_ASSERT(n < sizeof why);
    for (i = 0; i < n; i++)
        H_CHECK(why[i] >= 0x20 && why[i] < 0x7f, "describe: byte 0x%02x unprintable",
                (unsigned char)why[i]);

    /* The copies are gone after this: cap holds copies, res->detail does
       not, so it is cleared. */
    free(m);
    free(o);
    free(a);
    free(pn);
    for (i = 0; i < r->nlines; i++)
        free((void *)(uintptr_t)lines[i].ptr);
    free(lines);
    res->detail = NULL;
}

static hreq preflight(const char *origin, size_t origin_len)
{
    hreq r;

    memset(&r, 0, sizeof r);
    r.method = "OPTIONS";
    r.method_len = 7;
    r.origin = origin;
    r.origin_len = origin_len;
    r.acrm = "PUT";
    r.acrm_len = 3;
    return r;
}

static hreq actual(const char *origin, size_t origin_len)
{
    hreq r;

    memset(&r, 0, sizeof r);
    r.method = "GET";
    r.method_len = 3;
    r.origin = origin;
    r.origin_len = origin_len;
    return r;
}

/* What "denied and never reflected" means for an origin. */
static void expect_origin_refused(size_t pi, const char *origin, size_t n, const char *label)
{
    tu_capture cap;
    cors_result res;
    hreq r;
    const char *ao;

    r = preflight(origin, n);
    eval(policies[pi], &r, &cap, &res);
    ao = tu_get(&cap, "Access-Control-Allow-Origin");
    if (pi == P_STAR && res.outcome == CORS_OUTCOME_PREFLIGHT_ACCEPTED) {
        /* a well-formed origin (or null) is answered with "*": nothing
           reflected */
        H_CHECK(ao && strcmp(ao, "*") == 0, "%s: \"*\" policy", label);
    } else if (pi == P_STAR) {
        /* a value no browser could send is denied even under "*" */
        H_CHECK(res.outcome == CORS_OUTCOME_PREFLIGHT_DENIED &&
                    res.reason == CORS_REASON_ORIGIN_MALFORMED && tu_count_ac(&cap) == 0,
                "%s: \"*\" policy neither accepted nor denied as malformed", label);
    } else {
        H_CHECK(res.outcome == CORS_OUTCOME_PREFLIGHT_DENIED,
                "%s: preflight not denied under policy %zu (%s)", label, pi,
                cors_outcome_string(res.outcome));
        H_EQ(res.status, 403);
        H_CHECK(tu_count_ac(&cap) == 0, "%s: denied preflight with Access-Control-*", label);
        H_ASSERT(res.reason == CORS_REASON_ORIGIN_MALFORMED ||
                 res.reason == CORS_REASON_ORIGIN_NOT_ALLOWED ||
                 res.reason == CORS_REASON_ORIGIN_NULL);
    }
    /* ("*" itself is what a "*" policy answers) */
    H_CHECK(!tu_value_contains(&cap, origin, n) || (n == 1 && origin[0] == '*'), "%s: reflected",
            label);

    r = actual(origin, n);
    eval(policies[pi], &r, &cap, &res);
    ao = tu_get(&cap, "Access-Control-Allow-Origin");
    if (pi == P_STAR) {
        H_CHECK(ao && strcmp(ao, "*") == 0, "%s: \"*\" policy", label);
    } else {
        H_CHECK(res.outcome == CORS_OUTCOME_ACTUAL_DISALLOWED,
                "%s: actual request not disallowed under policy %zu (%s)", label, pi,
                cors_outcome_string(res.outcome));
        H_CHECK(ao == NULL && tu_count_ac(&cap) == 0, "%s: Access-Control-* sent", label);
        /* caches must still key on Origin */
        H_ASSERT(tu_get(&cap, "Vary") != NULL && strcmp(tu_get(&cap, "Vary"), "Origin") == 0);
    }
    H_CHECK(!tu_value_contains(&cap, origin, n) || (n == 1 && origin[0] == '*'), "%s: reflected",
            label);
}

static void expect_origin_refused_everywhere(const char *origin, size_t n, const char *label)
{
    size_t pi;

    for (pi = 0; pi < P_COUNT; pi++)
        expect_origin_refused(pi, origin, n, label);
}

/* A policy entry that must be refused when added, with a printable,
   bounded message. */
static void expect_policy_origin_refused(const char *origin, size_t n)
{
    cors_builder *b = cors_builder_new(NULL);
    cors_policy *p = NULL;
    const cors_diagnostic *d;
    const char *c;
    char shown[200];

    H_ASSERT(b != NULL);
    snprintf(shown, sizeof shown, "%.*s", (int)(n < 120 ? n : 120), origin);
    H_CHECK(cors_builder_allow_origin(b, origin, n) == CORS_ERR_ORIGIN,
            "policy origin \"%s\" (%zu bytes) accepted", shown, n);
    H_EQ(cors_builder_build(b, &p), CORS_ERR_POLICY);
    H_ASSERT(p == NULL);
    d = cors_builder_diagnostic(b, 0);
    H_ASSERT(d != NULL);
    H_EQ(d->severity, CORS_SEVERITY_ERROR);
    H_ASSERT(strlen(d->message) < 1024);
    for (c = d->message; *c; c++)
        H_CHECK(*c >= 0x20 && *c < 0x7f, "unprintable byte in: %s", d->message);
    cors_builder_free(b);
}

/* ---------------------------------------------------- the origin table */

typedef struct ocase {
    const char *s;
    size_t len;
} ocase;


/* Denied by every policy, refused in every policy. */
static const ocase hostile_origins[] = {
    /* origin confusion, as CORS scanners probe it */
    SL("https://example.com.evil.net"),
    SL("https://evil.net/example.com"),
    SL("https://example.com@evil.net"),
    SL("https://example.com%60.evil.net"),
    SL("https://evilexample.com"),
    SL("https://example.com\\@evil.net"),
    SL("https://example.com\\.evil.net"),
    SL("https://example.com#.evil.net"),
    SL("https://example.com?.evil.net"),
    SL("https://evil.net#example.com"),
    SL("https://evil.net?https://example.com"),
    SL("https://example.com_.evil.net"),
    SL("https://example.com%2f.evil.net"),
    SL("https://example.com%2F@evil.net"),
    SL("https://example.com%00.evil.net"),
    SL("https://example.com'.evil.net"),
    SL("https://example.com!.evil.net"),
    SL("https://example.com$.evil.net"),
    SL("https://example.com&.evil.net"),
    SL("https://example.com=.evil.net"),
    SL("https://example.com~.evil.net"),
    SL("https://example.com;.evil.net"),
    SL("https://example.com,.evil.net"),
    SL("https://example.com{.evil.net"),
    SL("https://example.com|.evil.net"),
    SL("https://example.com*.evil.net"),
    SL("https://example.com+.evil.net"),
    SL("https://example.com\".evil.net"),
    SL("https://notexample.com"),
    SL("https://example.co"),
    SL("https://example.comm"),
    SL("https://example.com."),
    SL("https://example.com.:443"),
    SL("https://example.com.."),
    SL("https://.example.com"),
    SL("https://..example.com"),
    SL("https://example.com:443"),
    SL("https://example.com:"),
    SL("https://example.com/"),
    SL("https://example.com//"),
    SL("https://example.com/."),
    SL("https://example.com:8443/"),
    SL("https://user:pass@example.com"),
    SL("https://@example.com"),
    SL("https://evil.net@example.com"),
    SL("https://example.com:@"),
    SL("ws://example.com"),
    SL("wss://example.com"),
    SL("ftp://example.com"),
    SL("file://example.com"),
    SL("blob:https://example.com"),
    SL("https:/example.com"),
    SL("https:example.com"),
    SL("https:\\\\example.com"),
    SL("//example.com"),
    SL("example.com"),
    SL("https://"),
    SL("https"),
    SL("null"),
    SL("Null"),
    SL("NULL"),
    SL("null "),
    SL(""),
    SL("*"),
    SL("https://*.example.com"),
    SL("https://example.com:*"),
    SL("https://*"),
    SL(" https://example.com"),
    SL("https://example.com "),
    SL("https://example.com\t"),
    SL("\thttps://example.com"),
    /* duplicated Origin headers, combined by a proxy */
    SL("https://example.com https://example.com"),
    SL("https://example.com,https://example.com"),
    SL("https://example.com, https://evil.net"),
    SL("https://evil.net, https://example.com"),
    /* CR/LF: header injection and response splitting */
    SL("https://example.com\r\nSet-Cookie: a=b"),
    SL("https://example.com\r\n"),
    SL("https://example.com\n"),
    SL("https://example.com\r"),
    SL("https://example.com\r\n\r\n<html>"),
    SL("https://example.com%0d%0aSet-Cookie:a=b"),
    /* folded (obs-fold) continuation lines */
    SL("https://example.com\r\n .evil.net"),
    SL("https://example.com\r\n\t"),
    /* NUL inside */
    SL("https://example.com\0"),
    SL("https://example.com\0.evil.net"),
    SL("\0https://example.com"),
    SL("https://exa\0mple.com"),
    SL("https://example.com\0:8443"),
    /* Unicode look-alikes (UTF-8), and what IDNA would turn them into */
    SL("https://\xd0\xb5xample.com"), /* Cyrillic small ie */
    SL("https://ex\xd0\xb0mple.com"), /* Cyrillic small a */
    SL("https://exampl\xd0\xb5.com"),
    SL("https://example\xe3\x80\x82"
      "com"), /* ideographic full stop */
    SL("https://example\xef\xbc\x8e"
      "com"),                             /* fullwidth full stop */
    SL("https://\xef\xbd\x85xample.com"),  /* fullwidth small e */
    SL("https://example.com\xe2\x80\x8b"), /* zero-width space */
    SL("https://exam\xc2\xadple.com"),     /* soft hyphen */
    SL("https://example.co\xe2\x80\x8dm"), /* zero-width joiner */
    SL("https://ex\xc9\x91mple.com"),      /* Latin alpha */
    SL("https://example.com\xef\xbc\x9a"
      "443"),
    SL("https://xn--xample-2of.com"), /* punycode of the Cyrillic one */
    SL("https://xn--80ak6aa92e.com"),
    SL("https://EXAMPLE.COM"),
    SL("https://Example.com"),
    SL("https://example.COM"),
    SL("https://\xc3\x89xample.com"),
    SL("https://example.com\xc0\xae"
      "evil.net"), /* overlong "." */
    SL("https://example.com\xff"),
    /* upper-case schemes */
    SL("HTTPS://example.com"),
    SL("Https://example.com"),
    SL("hTTps://example.com"),
    SL("HTTP://127.0.0.1:8080"),
    SL("HTTP://localhost:3000"),
    /* ports */
    SL("https://example.com:0"),
    SL("https://example.com:00"),
    SL("https://example.com:65536"),
    SL("https://example.com:65537"),
    SL("https://example.com:99999"),
    SL("https://example.com:100000"),
    SL("https://example.com:00443"),
    SL("https://example.com:0443"),
    SL("https://example.com:+443"),
    SL("https://example.com:-1"),
    SL("https://example.com:-443"),
    SL("https://example.com: 443"),
    SL("https://example.com:443 "),
    SL("https://example.com:44 3"),
    SL("https://example.com:0x1bb"),
    SL("https://example.com:1e3"),
    SL("https://example.com:4294967739"),           /* 2^32 + 443 */
    SL("https://example.com:18446744073709552059"), /* 2^64 + 443 */
    SL("https://example.com:99999999999999999999999999"),
    SL("https://example.com:\xef\xbc\x98\xef\xbc\x94\xef\xbc\x94\xef\xbc\x93"), /* fullwidth 8443
                                                                                */
    SL("https://example.com:8443:8443"),
    SL("https://example.com::8443"),
    SL("http://localhost:03000"),
    SL("http://localhost:3000:3000"),
    SL("http://localhost:3000."),
    SL("http://localhost.:3000"),
    SL("http://LOCALHOST:3000"),
    /* IPv4 forms a URL parser would turn into 127.0.0.1 */
    SL("http://127.1:8080"),
    SL("http://127.0.1:8080"),
    SL("http://0x7f.0.0.1:8080"),
    SL("http://0x7F.0.0.1:8080"),
    SL("http://0x7f000001:8080"),
    SL("http://0177.0.0.1:8080"),
    SL("http://017700000001:8080"),
    SL("http://2130706433:8080"),
    SL("http://127.0.0.01:8080"),
    SL("http://127.000.000.001:8080"),
    SL("http://127.0.0.1.:8080"),
    SL("http://127.0.0.1:08080"),
    SL("http://127.0.0.1%2e:8080"),
    SL("http://127.0.0.1:8080@evil.net"),
    SL("http://evil.net@127.0.0.1:8080"),
    SL("http://[127.0.0.1]:8080"),
    SL("http://256.0.0.1:8080"),
    SL("http://127.0.0.256:8080"),
    SL("http://127.0.0.1.1:8080"),
    SL("http://1.2.3:8080"),
    SL("http://127.0.0.1 :8080"),
    SL("http://127.0.0.1\0:8080"),
    /* IPv6 forms */
    SL("https://[::1]"),
    SL("https://[::1]:443"),
    SL("https://[0:0:0:0:0:0:0:1]:8443"),
    SL("https://[::0:1]:8443"),
    SL("https://[::0001]:8443"),
    SL("https://[0::1]:8443"),
    SL("https://[::1%25lo]:8443"),
    SL("https://[::1%lo]:8443"),
    SL("https://[::ffff:127.0.0.1]:8443"),
    SL("https://[::127.0.0.1]:8443"),
    SL("https://[::1]]:8443"),
    SL("https://[[::1]]:8443"),
    SL("https://[::1]:8443]"),
    SL("https://::1:8443"),
    SL("https://[::1:8443"),
    SL("https://::1]:8443"),
    SL("https://[::1]x:8443"),
    SL("https://[::1].evil.net"),
    SL("https://[::1]:8443.evil.net"),
    SL("https://[::1]:08443"),
    SL("https://[::1]:+8443"),
    SL("https://[::1]: 8443"),
    SL("https://[::1 ]:8443"),
    SL("https://[ ::1]:8443"),
    SL("https://[:::1]:8443"),
    SL("https://[::1::]:8443"),
    SL("https://[1:2:3:4:5:6:7:8:9]:8443"),
    SL("https://[::1]:0"),
    SL("https://[::1]:65536"),
    SL("https://[::1]@evil.net:8443"),
    SL("https://[::1]8443"),
    SL("https://[]:8443"),
    SL("https://[::1]\0:8443"),
    SL("https://[::1]:8443\0"),
    SL("https://[::1]:8443/"),
    SL("https://[::1]:8443#"),
    SL("https://[::1]:8443?"),
    SL("https://[::1]:8443\r\n"),
    SL("https://[::1]:8443 "),
    SL("https://[::1]:8443 https://[::1]:8443"),
    SL("https://[::1]:8443, https://[::1]:8443"),
};

START_TEST(test_hostile_origin)
{
    const ocase *c = &hostile_origins[_i];
    char label[160];

    snprintf(label, sizeof label, "origin case %d", _i);
    expect_origin_refused_everywhere(c->s, c->len, label);
}
END_TEST

/* The same strings as policy entries: each is refused at build, except
   the few that are valid entries (patterns, "*"), checked apart. */
START_TEST(test_hostile_policy_origin)
{
    const ocase *c = &hostile_origins[_i];

    if ((c->len == 1 && c->s[0] == '*') ||
        (c->len == 21 && memcmp(c->s, "https://*.example.com", 21) == 0) ||
        (c->len == 21 && memcmp(c->s, "https://example.com:*", 21) == 0) ||
        /* well-formed origins that are simply not the ones the policies
           list: fine as entries */
        (c->len == 23 && memcmp(c->s, "https://evilexample.com", 23) == 0) ||
        (c->len == 28 && memcmp(c->s, "https://example.com.evil.net", 28) == 0) ||
        (c->len == 22 && memcmp(c->s, "https://notexample.com", 22) == 0) ||
        (c->len == 18 && memcmp(c->s, "https://example.co", 18) == 0) ||
        (c->len == 20 && memcmp(c->s, "https://example.comm", 20) == 0) ||
        (c->len == 26 && memcmp(c->s, "https://xn--xample-2of.com", 26) == 0) ||
        (c->len == 26 && memcmp(c->s, "https://xn--80ak6aa92e.com", 26) == 0) ||
        (c->len == 29 && memcmp(c->s, "https://example.com_.evil.net", 29) == 0) ||
        /* a trailing dot names a host of its own, as Chromium sends it */
        (c->len == 20 && memcmp(c->s, "https://example.com.", 20) == 0) ||
        (c->len == 22 && memcmp(c->s, "http://localhost.:3000", 22) == 0) ||
        (c->len == 13 && memcmp(c->s, "https://[::1]", 13) == 0))
        return;
    expect_policy_origin_refused(c->s, c->len);
}
END_TEST

/* ------------------------------------------------------ long and huge */

/* 64 KiB and 1 MiB origins of several shapes: never allowed, even where
   the shape fits a pattern. */
START_TEST(test_long_origins)
{
    static const size_t sizes[] = {64 * 1024, MiB};
    size_t si;

    for (si = 0; si < 2; si++) {
        size_t n = sizes[si], i;
        char *s = malloc(n + 64);
        H_ASSERT(s != NULL);

        /* one enormous label */
        memcpy(s, "https://", 8);
        memset(s + 8, 'a', n - 8);
        expect_origin_refused_everywhere(s, n, "long label");
        /* many labels under example.com: the shape of a subdomain */
        for (i = 8; i + 2 <= n - 11; i += 2)
            memcpy(s + i, "a.", 2);
        memcpy(s + i, "example.com", 11);
        expect_origin_refused_everywhere(s, i + 11, "long subdomain");
        /* a long port */
        memcpy(s, "https://example.com:", 20);
        memset(s + 20, '1', n - 20);
        expect_origin_refused_everywhere(s, n, "long port");
        /* an allowed origin followed by a long path, or spaces */
        memcpy(s, "https://example.com", 19);
        memset(s + 19, '/', n - 19);
        expect_origin_refused_everywhere(s, n, "long path");
        memset(s + 19, ' ', n - 19);
        expect_origin_refused_everywhere(s, n, "trailing spaces");
        /* the allowed origin over and over */
        for (i = 0; i + 19 <= n; i += 19)
            memcpy(s + i, "https://example.com", 19);
        expect_origin_refused_everywhere(s, i, "repeated origin");
        /* a long IPv6 literal */
        memcpy(s, "https://[", 9);
        for (i = 9; i + 2 <= n - 7; i += 2)
            memcpy(s + i, "0:", 2);
        memcpy(s + i, "1]:8443", 7);
        expect_origin_refused_everywhere(s, i + 7, "long IPv6");
        /* and as a policy entry */
        memcpy(s, "https://", 8);
        memset(s + 8, 'a', n - 8);
        expect_policy_origin_refused(s, n);
        free(s);
    }
}
END_TEST

/* 1 MiB in every other request value. */
START_TEST(test_huge_values)
{
    size_t n = MiB, pi;
    char *big = malloc(n);
    tu_capture cap;
    cors_result res;
    hreq r;
    cors_str line, *many;
    size_t k, nmany = n / 4096;

    H_ASSERT(big != NULL);
    many = malloc(nmany * sizeof *many);
    H_ASSERT(many != NULL);
    for (pi = 0; pi < P_COUNT; pi++) {
        /* Access-Control-Request-Method: a 1 MiB token */
        memset(big, 'A', n);
        r = preflight(S("https://example.com"));
        r.acrm = big;
        r.acrm_len = n;
        eval(policies[pi], &r, &cap, &res);
        H_EQ(res.outcome, CORS_OUTCOME_PREFLIGHT_DENIED);
        H_EQ(tu_count_ac(&cap), 0);

        /* Access-Control-Request-Headers: one 1 MiB line, and 256 lines of
           4 KiB, of names, of commas, of spaces */
        for (k = 0; k < 3; k++) {
            size_t i;
            if (k == 0)
                for (i = 0; i < n; i++)
                    big[i] = (i % 4 == 3) ? ',' : "x-a"[i % 4];
            else
                memset(big, k == 1 ? ',' : ' ', n);
            r = preflight(S("https://example.com"));
            line.ptr = big;
            line.len = n;
            r.lines = &line;
            r.nlines = 1;
            eval(policies[pi], &r, &cap, &res);
            if (pi == P_STAR) {
                /* "*" without credentials answers "*" to any number of
                   names (issue 13), after one linear scan; commas alone
                   are malformed, spaces alone an empty list */
                H_EQ(res.outcome, k == 1 ? CORS_OUTCOME_PREFLIGHT_DENIED
                                         : CORS_OUTCOME_PREFLIGHT_ACCEPTED);
                H_ASSERT(!tu_value_contains(&cap, big, 16));
                continue;
            }
            H_EQ(res.outcome, CORS_OUTCOME_PREFLIGHT_DENIED);
            H_EQ(res.reason, CORS_REASON_HEADERS_TOO_LONG);
            H_EQ(tu_count_ac(&cap), 0);
            for (i = 0; i < nmany; i++) {
                many[i].ptr = big + i * 4096;
                many[i].len = 4096;
            }
            r.lines = many;
            r.nlines = nmany;
            eval(policies[pi], &r, &cap, &res);
            H_EQ(res.outcome, CORS_OUTCOME_PREFLIGHT_DENIED);
            H_EQ(res.reason, CORS_REASON_HEADERS_TOO_LONG);
            H_EQ(tu_count_ac(&cap), 0);
        }

        /* Access-Control-Request-Private-Network: 1 MiB of "true" */
        for (k = 0; k < n; k++)
            big[k] = "true"[k % 4];
        r = preflight(S("https://example.com"));
        r.pna = big;
        r.pna_len = n;
        eval(policies[pi], &r, &cap, &res);
        H_EQ(res.outcome, CORS_OUTCOME_PREFLIGHT_DENIED);
        H_EQ(tu_count_ac(&cap), 0);
        H_ASSERT(!tu_value_contains(&cap, "truetrue", 8));

        /* the request method itself: not OPTIONS, so not a preflight, and
           never reflected */
        memset(big, 'O', n);
        memcpy(big, "OPTIONS", 7);
        r = preflight(S("https://example.com"));
        r.method = big;
        r.method_len = n;
        eval(policies[pi], &r, &cap, &res);
        H_ASSERT(res.outcome == CORS_OUTCOME_ACTUAL_ALLOWED ||
                 res.outcome == CORS_OUTCOME_ACTUAL_DISALLOWED);
        H_ASSERT(!tu_value_contains(&cap, "OPTIONSOO", 9));
        H_ASSERT(tu_get(&cap, "Access-Control-Allow-Methods") == NULL);
    }
    free(many);
    free(big);
}
END_TEST

/* A 1 MiB line of policy text, and a 1 MiB name: refused with a short
   message. */
START_TEST(test_huge_policy_text)
{
    size_t n = MiB;
    char *t = malloc(n);
    cors_builder *b = cors_builder_new(NULL);
    cors_policy *p = NULL;
    size_t i;

    H_ASSERT(t != NULL);
    H_ASSERT(b != NULL);
    memcpy(t, "allow-origin https://", 21);
    memset(t + 21, 'a', n - 21);
    H_EQ(cors_builder_parse(b, t, n), CORS_ERR_ORIGIN);
    memcpy(t, "allow-headers x-", 16);
    memset(t + 16, 'b', n - 16);
    H_EQ(cors_builder_parse(b, t, n), CORS_ERR_HEADER);
    memcpy(t, "expose-headers x-", 17);
    H_EQ(cors_builder_parse(b, t, n), CORS_ERR_EXPOSE_HEADER);
    memset(t, 'z', n);
    H_EQ(cors_builder_parse(b, t, n), CORS_ERR_UNKNOWN_DIRECTIVE);
    H_EQ(cors_builder_build(b, &p), CORS_ERR_POLICY);
    H_EQ(cors_builder_error_count(b), 4);
    for (i = 0; i < cors_builder_diagnostic_count(b); i++) {
        const char *m = cors_builder_diagnostic(b, i)->message, *c;
        H_ASSERT(strlen(m) < 1024);
        for (c = m; *c; c++)
            H_ASSERT(*c >= 0x20 && *c < 0x7f);
    }
    cors_builder_free(b);
    free(t);
}
END_TEST

/* -------------------------------------------------- every byte 0..255 */

static int is_tchar(unsigned char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c != 0 && strchr("!#$%&'*+-.^_`|~", c) != NULL);
}

/* Every byte inserted at, and substituted for, every position of an
   allowed origin: none of the results is an allowed origin, so each must
   be denied by every policy that lists it, and never reflected. */
START_TEST(test_every_byte_in_origin)
{
    static const char base[] = "https://example.com";
    size_t n = sizeof base - 1, pos;
    unsigned c = (unsigned)_i;
    char s[64];

    for (pos = 0; pos <= n; pos++) {
        char label[64];
        size_t pi;
        /* insert */
        memcpy(s, base, pos);
        s[pos] = (char)c;
        memcpy(s + pos + 1, base + pos, n - pos);
        snprintf(label, sizeof label, "byte 0x%02x inserted at %zu", c, pos);
        for (pi = 0; pi < P_COUNT; pi++)
            expect_origin_refused(pi, s, n + 1, label);
        /* substitute */
        if (pos == n || (unsigned char)base[pos] == c)
            continue;
        memcpy(s, base, n);
        s[pos] = (char)c;
        snprintf(label, sizeof label, "byte 0x%02x substituted at %zu", c, pos);
        for (pi = 0; pi < P_COUNT; pi++)
            expect_origin_refused(pi, s, n, label);
    }
}
END_TEST

/* The reference for one Access-Control-Request-Headers line against a
   policy that lists only x-a: every element, trimmed of spaces and tabs,
   is empty or x-a in any case, and only tokens, commas and whitespace
   appear. */
static int x_a_line_ok(const char *s, size_t n)
{
    size_t i = 0;

    for (i = 0; i < n; i++)
        if (!is_tchar((unsigned char)s[i]) && s[i] != ',' && s[i] != ' ' && s[i] != '\t')
            return 0;
    i = 0;
    while (i < n) {
        size_t start, end;
        while (i < n && (s[i] == ' ' || s[i] == '\t'))
            i++;
        start = i;
        while (i < n && s[i] != ',')
            i++;
        end = i;
        while (end > start && (s[end - 1] == ' ' || s[end - 1] == '\t'))
            end--;
        if (end > start && !(end - start == 3 && strncasecmp(s + start, "x-a", 3) == 0))
            return 0;
        for (; start < end; start++)
            if (s[start] == ' ' || s[start] == '\t')
                return 0;
        if (i < n)
            i++;
    }
    return 1;
}

/* Every byte in a requested header name: allowed only when the line still
   names x-a (in any case) and nothing else; otherwise denied, with no
   Access-Control-* header; under the echoing policy the name is echoed
   only when the line is made of tokens. */
START_TEST(test_every_byte_in_header_name)
{
    static const char base[] = "x-a";
    unsigned c = (unsigned)_i;
    size_t pos, n = 3, op;
    char s[8];
    tu_capture cap;
    cors_result res;

    for (op = 0; op < 2; op++) {
        for (pos = 0; pos <= n; pos++) {
            size_t len;
            cors_str line;
            hreq r;
            if (op == 0) {
                memcpy(s, base, pos);
                s[pos] = (char)c;
                memcpy(s + pos + 1, base + pos, n - pos);
                len = n + 1;
            } else {
                if (pos == n)
                    continue;
                memcpy(s, base, n);
                s[pos] = (char)c;
                len = n;
            }
            line.ptr = s;
            line.len = len;
            r = preflight(S("https://example.com"));
            r.lines = &line;
            r.nlines = 1;

            eval(policies[P_EXACT], &r, &cap, &res);
            if (x_a_line_ok(s, len)) {
                H_CHECK(res.outcome == CORS_OUTCOME_PREFLIGHT_ACCEPTED,
                        "0x%02x at %zu (%s): refused", c, pos, op ? "sub" : "ins");
            } else {
                H_CHECK(res.outcome == CORS_OUTCOME_PREFLIGHT_DENIED,
                        "0x%02x at %zu (%s): accepted", c, pos, op ? "sub" : "ins");
                H_EQ(tu_count_ac(&cap), 0);
            }
            H_ASSERT(!tu_value_contains(&cap, s, len) || x_a_line_ok(s, len));

            eval(policies[P_ECHO], &r, &cap, &res);
            if (res.outcome == CORS_OUTCOME_PREFLIGHT_ACCEPTED) {
                const char *ah = tu_get(&cap, "Access-Control-Allow-Headers");
                size_t i;
                /* echoed: tokens, commas and whitespace only */
                for (i = 0; i < len; i++)
                    H_ASSERT(is_tchar((unsigned char)s[i]) || s[i] == ',' || s[i] == ' ' ||
                             s[i] == '\t');
                if (ah)
                    for (i = 0; ah[i]; i++)
                        H_ASSERT(is_tchar((unsigned char)ah[i]) || ah[i] == ',' || ah[i] == ' ' ||
                                 ah[i] == '\t');
            } else {
                H_EQ(res.outcome, CORS_OUTCOME_PREFLIGHT_DENIED);
                H_EQ(tu_count_ac(&cap), 0);
                H_ASSERT(!(is_tchar((unsigned char)c) && op == 1));
            }
        }
    }
}
END_TEST

/* Every byte in a requested method: a policy listing PUT allows PUT only
   (and the safelisted ones); the echoing policy echoes tokens only. */
START_TEST(test_every_byte_in_method)
{
    static const char base[] = "PUT";
    unsigned c = (unsigned)_i;
    size_t pos, n = 3, op;
    char s[8];
    tu_capture cap;
    cors_result res;

    for (op = 0; op < 2; op++) {
        for (pos = 0; pos <= n; pos++) {
            size_t len, i;
            int token = 1;
            hreq r;
            if (op == 0) {
                memcpy(s, base, pos);
                s[pos] = (char)c;
                memcpy(s + pos + 1, base + pos, n - pos);
                len = n + 1;
            } else {
                if (pos == n || (unsigned char)base[pos] == c)
                    continue;
                memcpy(s, base, n);
                s[pos] = (char)c;
                len = n;
            }
            for (i = 0; i < len; i++)
                token &= is_tchar((unsigned char)s[i]);
            r = preflight(S("https://example.com"));
            r.acrm = s;
            r.acrm_len = len;

            /* no single change turns PUT into PUT, GET, HEAD or POST */
            eval(policies[P_EXACT], &r, &cap, &res);
            H_CHECK(res.outcome == CORS_OUTCOME_PREFLIGHT_DENIED, "method 0x%02x at %zu", c, pos);
            H_EQ(res.reason,
                 token ? CORS_REASON_METHOD_NOT_ALLOWED : CORS_REASON_METHOD_MALFORMED);
            H_EQ(tu_count_ac(&cap), 0);

            eval(policies[P_ECHO], &r, &cap, &res);
            if (token) {
                H_EQ(res.outcome, CORS_OUTCOME_PREFLIGHT_ACCEPTED);
                H_EQ(strlen(tu_get(&cap, "Access-Control-Allow-Methods")), len);
            } else {
                H_EQ(res.outcome, CORS_OUTCOME_PREFLIGHT_DENIED);
                H_EQ(tu_count_ac(&cap), 0);
                H_ASSERT(!tu_value_contains(&cap, s, len));
            }
        }
    }
}
END_TEST

/* Every byte in a policy's header names and methods: only tokens are
   accepted. */
START_TEST(test_every_byte_in_policy_names)
{
    unsigned c = (unsigned)_i;
    char h[4] = {'x', '-', (char)c, 'a'}, m[3] = {'P', (char)c, 'T'};
    cors_builder *b = cors_builder_new(NULL);
    cors_error want_h = is_tchar((unsigned char)c) ? CORS_OK : CORS_ERR_HEADER;

    H_ASSERT(b != NULL);
    H_EQ(cors_builder_allow_header(b, h, 4), want_h);
    H_EQ(cors_builder_expose_header(b, h, 4),
         want_h == CORS_OK ? CORS_OK : CORS_ERR_EXPOSE_HEADER);
    H_EQ(cors_builder_allow_method(b, m, 3),
         is_tchar((unsigned char)c) ? CORS_OK : CORS_ERR_METHOD);
    cors_builder_free(b);
}
END_TEST

/* ------------------------------------ duplicated, folded, NUL inside */

START_TEST(test_duplicated_headers)
{
    static const cors_str two[] = {{S("x-a")}, {S("X-A")}};
    static const cors_str folded[][1] = {
        {{S("x-a,\r\n x-b")}}, {{S("x-a\r\n\tx-a")}}, {{S("x-a\n x-a")}},  {{S("x-a\r x-a")}},
        {{S("x-a\0")}},        {{S("\0x-a")}},        {{S("x-a\0, x-a")}}, {{S("x-\0a")}},
    };
    static const char *const dup_acrm[] = {"PUT, PUT", "PUT,PUT", "PUT PUT", "PUT\0",
                                           "\0PUT",    "PU\0T",   "PUT\r\n", "PUT\r\n\tPUT"};
    static const size_t dup_acrm_len[] = {8, 7, 7, 4, 4, 4, 5, 9};
    cors_str lines[CORS_MAX_REQUEST_HEADERS_NAMES + 1];
    tu_capture cap;
    cors_result res;
    hreq r;
    size_t i, pi;

    for (pi = 0; pi < P_COUNT; pi++) {
        if (pi == P_STAR)
            continue;
        /* the same header twice is just a list */
        r = preflight(S("https://example.com"));
        r.lines = two;
        r.nlines = 2;
        eval(policies[pi], &r, &cap, &res);
        H_EQ(res.outcome, CORS_OUTCOME_PREFLIGHT_ACCEPTED);
        /* up to the bound on lines, and one more */
        for (i = 0; i <= CORS_MAX_REQUEST_HEADERS_NAMES; i++) {
            lines[i].ptr = "x-a";
            lines[i].len = 3;
        }
        r.lines = lines;
        r.nlines = CORS_MAX_REQUEST_HEADERS_NAMES;
        eval(policies[pi], &r, &cap, &res);
        H_EQ(res.outcome, CORS_OUTCOME_PREFLIGHT_ACCEPTED);
        r.nlines = CORS_MAX_REQUEST_HEADERS_NAMES + 1;
        eval(policies[pi], &r, &cap, &res);
        H_EQ(res.outcome, CORS_OUTCOME_PREFLIGHT_DENIED);
        H_EQ(res.reason, CORS_REASON_HEADERS_TOO_LONG);
        H_EQ(tu_count_ac(&cap), 0);
        /* folded continuation lines and NUL: malformed, never echoed */
        for (i = 0; i < sizeof folded / sizeof folded[0]; i++) {
            r.lines = folded[i];
            r.nlines = 1;
            eval(policies[pi], &r, &cap, &res);
            H_CHECK(res.outcome == CORS_OUTCOME_PREFLIGHT_DENIED, "folded %zu", i);
            /* (the name before a bad byte may be refused first) */
            H_ASSERT(res.reason == CORS_REASON_HEADERS_MALFORMED ||
                     res.reason == CORS_REASON_HEADER_NOT_ALLOWED);
            H_EQ(tu_count_ac(&cap), 0);
        }
        /* combined or broken Access-Control-Request-Method */
        for (i = 0; i < sizeof dup_acrm / sizeof dup_acrm[0]; i++) {
            r = preflight(S("https://example.com"));
            r.acrm = dup_acrm[i];
            r.acrm_len = dup_acrm_len[i];
            eval(policies[pi], &r, &cap, &res);
            H_CHECK(res.outcome == CORS_OUTCOME_PREFLIGHT_DENIED, "method %zu", i);
            H_EQ(res.reason, CORS_REASON_METHOD_MALFORMED);
            H_EQ(tu_count_ac(&cap), 0);
        }
        /* combined or broken Access-Control-Request-Private-Network */
        {
            static const char *const pnas[] = {"true, true", "true,true", "true\0", "\0true",
                                               "TRUE",       "true\r\n",  "1",      ""};
            static const size_t pna_len[] = {10, 9, 5, 5, 4, 6, 1, 0};
            for (i = 0; i < sizeof pnas / sizeof pnas[0]; i++) {
                r = preflight(S("https://example.com"));
                r.pna = pnas[i];
                r.pna_len = pna_len[i];
                eval(policies[pi], &r, &cap, &res);
                H_CHECK(res.outcome == CORS_OUTCOME_PREFLIGHT_DENIED, "pna %zu", i);
                H_EQ(tu_count_ac(&cap), 0);
            }
        }
    }
}
END_TEST

/* NUL in the request method: "OPTIONS\0" is not OPTIONS (Fetch compares
   methods byte for byte), so no preflight answer is given to it. */
START_TEST(test_nul_in_method)
{
    tu_capture cap;
    cors_result res;
    hreq r = preflight(S("https://example.com"));
    size_t pi;

    r.method = "OPTIONS\0";
    r.method_len = 8;
    for (pi = 0; pi < P_COUNT; pi++) {
        eval(policies[pi], &r, &cap, &res);
        H_ASSERT(res.outcome == CORS_OUTCOME_ACTUAL_ALLOWED);
        H_ASSERT(tu_get(&cap, "Access-Control-Allow-Methods") == NULL);
        H_EQ(res.status, 0);
    }
}
END_TEST

/* ---------------------------------------------- refused at policy build */

static const ocase bad_entries[] = {
    SL("https://example.com.."),
    SL("HTTPS://example.com"),
    SL("https://example.com:0"),
    SL("https://example.com:65536"),
    SL("https://example.com:443"),
    SL("http://example.com:80"),
    SL("http://127.1"),
    SL("http://0x7f.0.0.1"),
    SL("http://2130706433"),
    SL("https://[0:0:0:0:0:0:0:1]"),
    SL("https://[::ffff:127.0.0.1]"),
    SL("https://\xd0\xb5xample.com"),
    SL("https://example.com@evil.net"),
    SL("https://evil.net/example.com"),
    SL("https://example.com%60.evil.net"),
    SL("null"),
    SL("file://"),
    SL("https://*"),
    SL("https://*example.com"),
    SL("https://a.*.example.com"),
    SL("*.example.com"),
    SL("https://example.com:4294967739"),
    SL("https://example.com\r\n"),
    SL("https://exa\0mple.com"),
    SL("https://*.[::1]"),
    SL("https://*.127.0.0.1"),
    SL("https://example.com:*8443"),
    SL("**"),
};

START_TEST(test_refused_entries)
{
    expect_policy_origin_refused(bad_entries[_i].s, bad_entries[_i].len);
}
END_TEST

/* The same through policy text: a NUL, CR or other control byte inside a
   line is a syntax error before any value is looked at. */
START_TEST(test_refused_entries_text)
{
    static const char *const lines[] = {
        "allow-origin https://example.com\0\n",
        "allow-origin https://example.com\r\n.evil.net\n",
        "allow-origin https://example.com\x0b\n",
        "allow-headers x-a\0\n",
        "allow-methods PUT\x1b[0m\n",
    };
    static const size_t lens[] = {34, 44, 34, 19, 22};
    size_t i;

    for (i = 0; i < sizeof lines / sizeof lines[0]; i++) {
        cors_builder *b = cors_builder_new(NULL);
        cors_policy *p = NULL;
        H_ASSERT(b != NULL);
        H_CHECK(cors_builder_parse(b, lines[i], lens[i]) != CORS_OK, "line %zu", i);
        H_EQ(cors_builder_build(b, &p), CORS_ERR_POLICY);
        cors_builder_free(b);
    }
}
END_TEST

static Suite *hostile_suite(void)
{
    Suite *s = suite_create("hostile");
    TCase *tc = tcase_create("requests");

    tcase_add_checked_fixture(tc, setup, teardown);
    /* 1 MiB values under valgrind take a while */
    tcase_set_timeout(tc, 600);
    tcase_add_loop_test(tc, test_hostile_origin, 0,
                        (int)(sizeof hostile_origins / sizeof hostile_origins[0]));
    tcase_add_loop_test(tc, test_hostile_policy_origin, 0,
                        (int)(sizeof hostile_origins / sizeof hostile_origins[0]));
    tcase_add_test(tc, test_long_origins);
    tcase_add_test(tc, test_huge_values);
    tcase_add_test(tc, test_huge_policy_text);
    tcase_add_loop_test(tc, test_every_byte_in_origin, 0, 256);
    tcase_add_loop_test(tc, test_every_byte_in_header_name, 0, 256);
    tcase_add_loop_test(tc, test_every_byte_in_method, 0, 256);
    tcase_add_loop_test(tc, test_every_byte_in_policy_names, 0, 256);
    tcase_add_test(tc, test_duplicated_headers);
    tcase_add_test(tc, test_nul_in_method);
    tcase_add_loop_test(tc, test_refused_entries, 0,
                        (int)(sizeof bad_entries / sizeof bad_entries[0]));
    tcase_add_test(tc, test_refused_entries_text);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return tu_main(hostile_suite());
}
