/*
 * fuzz_origin.c - the origin parser (cors__origin_parse), directly and
 * through the policy builder and cors_evaluate().
 *
 * Invariants:
 *   - whatever the parser accepts is a canonical serialized origin: built
 *     again from the parsed parts it is byte-equal to the input, and it
 *     holds none of the bytes that make origins ambiguous (upper case,
 *     "@", "/", "%", "\\", controls, non-ASCII);
 *   - the common-case fast path decides exactly as the full parser, and
 *     the dots it notes are the host's;
 *   - the request-origin check (cors__origin_check) gives the full
 *     parser's verdict on every input;
 *   - a request origin accepted without patterns is accepted the same way
 *     with patterns (a policy can list whatever a browser can send);
 *   - the builder accepts an origin exactly when the parser does;
 *   - against fixed policies an origin is allowed exactly when a naive
 *     reference matcher says so, and an allowed origin is reflected byte
 *     for byte, never anything else;
 *   - everything is deterministic;
 *   - with an allocation failing, the builder reports it and leaks nothing.
 */
#include "internal.h"
#include "fuzz_common.h"

static int is_lower_alnum(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

/* Field by field: padding bytes need not match. */
static int same_origin(const cors__origin *a, const cors__origin *b)
{
    return a->scheme == b->scheme && a->host == b->host && a->host_len == b->host_len &&
           a->port == b->port && a->host_kind == b->host_kind && a->subdomains == b->subdomains &&
           a->explicit_port == b->explicit_port && a->authority_end == b->authority_end;
}

/* The fast path only ever takes a shortcut to the full parser's verdict. */
static void check_full_parser(const char *s, size_t n, int patterns, cors__origin_err e,
                              const cors__origin *o)
{
    cors__origin f;

    FUZZ_CHECK(cors__origin_parse_full(s, n, patterns, &f) == e &&
                   (e != CORS__O_OK || same_origin(o, &f)),
               "fast path and full parser disagree");
}

/* The check that stands for the parser when the parts are not needed. */
static void check_verdict(const char *s, size_t n)
{
    cors__origin f;

    FUZZ_CHECK(cors__origin_check(s, n) == cors__origin_parse_full(s, n, 0, &f),
               "request-origin check and full parser disagree");
}

static void check_parsed(const char *s, size_t n, int patterns, const cors__origin *o)
{
    char buf[600];
    size_t len = 0, i;
    const char *scheme = o->scheme == CORS__HTTPS ? "https://" : "http://";

    FUZZ_CHECK(o->scheme == CORS__HTTP || o->scheme == CORS__HTTPS, "scheme");
    FUZZ_CHECK(o->host >= s && o->host_len > 0 && o->host + o->host_len <= s + n,
               "host view outside the input");
    FUZZ_CHECK(o->host_len <= 253 + 2, "host longer than DNS allows");
    FUZZ_CHECK(o->authority_end == n, "authority does not end the origin");
    FUZZ_CHECK(patterns || !o->subdomains, "subdomain pattern without patterns");
    FUZZ_CHECK(patterns || o->port != CORS__PORT_ANY, "port wildcard without patterns");
    FUZZ_CHECK(!(o->scheme == CORS__HTTPS && o->explicit_port && o->port == 443) &&
                   !(o->scheme == CORS__HTTP && o->explicit_port && o->port == 80),
               "explicit default port accepted");
    FUZZ_CHECK(o->port <= 65535, "port above 65535");
    FUZZ_CHECK(o->explicit_port || o->port == (o->scheme == CORS__HTTPS ? 443u : 80u),
               "implicit port is not the default");

    /* Serialize again from the parts. */
    FUZZ_CHECK(n < sizeof buf - 16, "accepted origin longer than any valid one");
    memcpy(buf, scheme, strlen(scheme));
    len = strlen(scheme);
    if (o->subdomains) {
        memcpy(buf + len, "*.", 2);
        len += 2;
    }
    memcpy(buf + len, o->host, o->host_len);
    len += o->host_len;
    if (o->explicit_port) {
        if (o->port == CORS__PORT_ANY)
            len += (size_t)snprintf(buf + len, sizeof buf - len, ":*");
        else
            len += (size_t)snprintf(buf + len, sizeof buf - len, ":%u", o->port);
    }
    FUZZ_CHECK(len == n && memcmp(buf, s, n) == 0,
               "parsed origin does not serialize back to itself");

    for (i = 0; i < o->host_len; i++) {
        unsigned char c = (unsigned char)o->host[i];
        FUZZ_CHECK(is_lower_alnum(c) || c == '.' || c == '-' || c == '_' ||
                       (o->host_kind == CORS__HOST_IPV6 && (c == '[' || c == ']' || c == ':')),
                   "unexpected byte in an accepted host");
    }
    for (i = 0; o->dots_known && i < o->host_len; i++)
        FUZZ_CHECK(o->host_len < 64 && ((o->dots >> i & 1) != 0) == (o->host[i] == '.'),
                   "noted dots are not the host's");
    FUZZ_CHECK(o->host_len < 2 || o->host[o->host_len - 1] != '.' ||
                   o->host[o->host_len - 2] != '.',
               "empty last label accepted");
}

/* The reference matcher: plain string operations, no parsing beyond what
   the policy below needs.  "candidate" is known to be a valid request
   origin. */
static int naive_allowed(int policy, const char *s, size_t n)
{
    static const char apex[] = "https://example.com";
    static const char suffix[] = ".example.com";
    size_t an = sizeof apex - 1, sn = sizeof suffix - 1, i;

    switch (policy) {
    case 0: /* the three exact origins */
        return (n == an && memcmp(s, apex, n) == 0) ||
               (n == 21 && memcmp(s, "http://127.0.0.1:8080", 21) == 0) ||
               (n == 18 && memcmp(s, "https://[::1]:8443", 18) == 0);
    case 1: /* every https subdomain of example.com, default port */
        if (n <= 8 + sn || memcmp(s, "https://", 8) != 0)
            return 0;
        for (i = 8; i < n && s[i] != ':'; i++)
            ;
        if (i != n)
            return 0; /* an explicit port */
        return memcmp(s + n - sn, suffix, sn) == 0;
    default: /* https example.com on any port */
        if (n < an || memcmp(s, apex, an) != 0)
            return 0;
        return n == an || s[an] == ':';
    }
}

static const char *const policies[] = {
    ("allow-origin https://example.com http://127.0.0.1:8080 https://[::1]:8443\n"
     "allow-credentials on\n"),
    "allow-origin https://*.example.com\n",
    "allow-origin https://example.com:*\n",
};
#define NPOLICIES (sizeof policies / sizeof policies[0])

static cors_policy *built[NPOLICIES];

static void build_policies(void)
{
    fuzz_build_policies(built, policies, NPOLICIES);
}

static void check_against_policies(const char *s, size_t n, int valid)
{
    size_t i;

    build_policies();
    for (i = 0; i < NPOLICIES; i++) {
        cors_request req;
        cors_result res;
        fuzz_capture cap;
        const fuzz_header *ao;
        int allowed;

        cors_request_init(&req);
        cors_result_init(&res);
        cap.n = 0;
        cap.stop_at = 0;
        req.method = "GET";
        req.method_len = 3;
        req.origin = s;
        req.origin_len = n;
        FUZZ_CHECK(cors_evaluate(built[i], &req, fuzz_emit, &cap, &res) == CORS_OK,
                   "cors_evaluate failed");
        allowed = res.outcome == CORS_OUTCOME_ACTUAL_ALLOWED;
        FUZZ_CHECK(allowed || res.outcome == CORS_OUTCOME_ACTUAL_DISALLOWED, "outcome");
        FUZZ_CHECK(!allowed || valid, "an origin the parser refuses was allowed");
        FUZZ_CHECK(allowed == (valid && naive_allowed((int)i, s, n)),
                   "policy and reference matcher disagree");
        ao = fuzz_find(&cap, "Access-Control-Allow-Origin");
        if (allowed) {
            FUZZ_CHECK(ao && ao->value_len == n && memcmp(ao->value, s, n) == 0,
                       "allowed origin not reflected byte for byte");
        } else {
            FUZZ_CHECK(ao == NULL, "Allow-Origin sent for a disallowed origin");
            FUZZ_CHECK(res.detail == s && res.detail_len == n, "detail is not the origin");
        }
        FUZZ_CHECK(fuzz_count_ac(&cap) == (allowed ? (i == 0 ? 2u : 1u) : 0u),
                   "unexpected Access-Control-* headers");
        fuzz_check_describe(built[i], &res);
    }
}

static void check_builder(const char *s, size_t n, int valid_pattern)
{
    cors_builder *b = cors_builder_new(NULL);
    cors_error e;
    size_t i;

    FUZZ_CHECK(b != NULL, "cors_builder_new");
    e = cors_builder_allow_origin(b, s, n);
    if (n == 1 && s[0] == '*')
        FUZZ_CHECK(e == CORS_OK, "\"*\" refused");
    else
        FUZZ_CHECK((e == CORS_OK) == valid_pattern, "builder and parser disagree");
    FUZZ_CHECK(e == CORS_OK || e == CORS_ERR_ORIGIN, "builder error code");
    FUZZ_CHECK((cors_builder_error_count(b) == 0) == (e == CORS_OK), "error count");
    for (i = 0; i < cors_builder_diagnostic_count(b); i++) {
        const cors_diagnostic *d = cors_builder_diagnostic(b, i);
        FUZZ_CHECK(d && d->message, "diagnostic");
        FUZZ_CHECK(fuzz_printable(d->message, strlen(d->message)),
                   "diagnostic message not printable ASCII");
        FUZZ_CHECK(strlen(d->message) < 1024, "diagnostic message unbounded");
    }
    cors_builder_free(b);
}

static cors_error origin_scenario(cors_builder *b, const char *s, size_t n)
{
    cors_error e = cors_builder_allow_origin(b, s, n);

    /* with credentials, the build checks the entry again */
    cors_builder_allow_credentials(b, 1);
    return e;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* An empty input is an empty Origin header, not an absent one. */
    const char *s = size ? (const char *)data : "";
    cors__origin o1, o2, p1;
    cors__origin_err e1, e2, ep;

    e1 = cors__origin_parse(s, size, 0, &o1);
    e2 = cors__origin_parse(s, size, 0, &o2);
    FUZZ_CHECK(e1 == e2 && (e1 != CORS__O_OK || same_origin(&o1, &o2)),
               "parser is not deterministic");
    ep = cors__origin_parse(s, size, 1, &p1);
    check_full_parser(s, size, 0, e1, &o1);
    check_full_parser(s, size, 1, ep, &p1);
    check_verdict(s, size);
    if (e1 == CORS__O_OK) {
        check_parsed(s, size, 0, &o1);
        /* Policies alone refuse labels that are not Punycode and
           IPv4-mapped IPv6 literals: a request may carry them, a policy
           names the host another way. */
        FUZZ_CHECK((ep == CORS__O_OK && same_origin(&o1, &p1)) || ep == CORS__O_PUNYCODE ||
                       ep == CORS__O_IPV6_MAPPED,
                   "a request origin is not a valid policy origin");
    }
    if (ep == CORS__O_OK)
        check_parsed(s, size, 1, &p1);
    FUZZ_CHECK(!(size == 4 && memcmp(s, "null", 4) == 0) || e1 == CORS__O_NULL, "null accepted");
    check_builder(s, size, ep == CORS__O_OK);
    check_against_policies(s, size, e1 == CORS__O_OK);
    fuzz_alloc_sweep(origin_scenario, s, size, data, size);
    return 0;
}
