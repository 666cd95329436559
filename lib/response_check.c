/*
 * response_check.c - the browser's side: may the page read this response?
 *
 * cors_evaluate() answers as a server; this file judges a server's answer
 * as a browser does, for debugging: Fetch 4.9 "CORS check" on every
 * response to a CORS request, and for a preflight also Fetch 4.8
 * "CORS-preflight fetch" step 7 (status, Access-Control-Allow-Methods and
 * -Headers).  Where Chromium departs from the standard, the verdict says so
 * (chromium_differs), and CORS_CHECK_CHROMIUM judges as Chromium does.
 * Nothing is allocated; every loop is bounded by the lengths given.
 */
#include "names.h"
#include "util.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>

#define LIT(s) s, (sizeof(s) - 1)

void cors_response_init_sized(cors_response *resp, size_t struct_size)
{
    cors__init_sized(resp, sizeof *resp, struct_size);
}

void cors_verdict_init_sized(cors_verdict *v, size_t struct_size)
{
    cors__init_sized(v, sizeof *v, struct_size);
}

static int is_ows(char c) { return c == ' ' || c == '\t'; }

/* HTTP whitespace around a field value is not part of it (RFC 9110, 5.5). */
static void trim(const char **s, size_t *n)
{
    while (*n > 0 && is_ows((*s)[0]))
        (*s)++, (*n)--;
    while (*n > 0 && is_ows((*s)[*n - 1]))
        (*n)--;
}

static int name_is(const cors_header *h, const char *lower, size_t n)
{
    return h->name_len == n && cors__eq_nocase(h->name, lower, n);
}

/* A header's value when it is sent on exactly one line; *lines says how
   many carried it (Fetch "get" would join them with ", ", which is never
   a valid origin or "true"). */
static size_t field(const cors_response *r, const char *lower, size_t n, const char **v,
                    size_t *vn)
{
    size_t i, lines = 0;

    *v = NULL;
    *vn = 0;
    for (i = 0; i < r->headers_count; i++) {
        if (!name_is(&r->headers[i], lower, n))
            continue;
        if (lines++ == 0) {
            *v = r->headers[i].value;
            *vn = r->headers[i].value_len;
            trim(v, vn);
        }
    }
    return lines;
}

static void block(cors_verdict *v, cors_block why, const char *detail, size_t len)
{
    v->block = why;
    v->detail = detail;
    v->detail_len = len;
}

/* ----------------------------------------------------- Fetch 4.9 CORS check */

static void cors_check(const cors_request *q, const cors_response *r, int creds, cors_verdict *v)
{
    const char *ao, *ac;
    size_t aon, acn, lines = field(r, LIT("access-control-allow-origin"), &ao, &aon);

    if (lines == 0) {
        block(v, CORS_BLOCK_NO_ALLOW_ORIGIN, NULL, 0);
        return;
    }
    /* An origin holds no comma, so a list is several values. */
    if (lines > 1 || memchr(ao, ',', aon)) {
        block(v, CORS_BLOCK_MULTIPLE_ALLOW_ORIGIN, ao, aon);
        return;
    }
    if (aon == 1 && ao[0] == '*') {
        if (creds)
            block(v, CORS_BLOCK_WILDCARD_WITH_CREDENTIALS, ao, aon);
        return;
    }
    /* Byte for byte: the request's origin is its serialization. */
    if (aon != q->origin_len || memcmp(ao, q->origin, aon) != 0) {
        block(v, CORS_BLOCK_ORIGIN_MISMATCH, ao, aon);
        return;
    }
    if (!creds)
        return;
    lines = field(r, LIT("access-control-allow-credentials"), &ac, &acn);
    /* Case-sensitive: "True" is not `true`. */
    if (lines != 1 || acn != 4 || memcmp(ac, "true", 4) != 0)
        block(v, CORS_BLOCK_CREDENTIALS_NOT_TRUE, ac, acn);
}

/* ------------------------------------------------ lists of tokens (4.8) */

/* Calls back for each element of every line of a #token list header;
   empty elements are skipped, as RFC 9110 (5.6.1) asks of recipients.
   Returns 0, or -1 with *bad at the first element that is no token. */
typedef int (*element_fn)(void *ctx, const char *s, size_t n);

static int each_element(const char *s, size_t n, element_fn fn, void *ctx, cors_str *bad)
{
    size_t i = 0;

    while (i < n) {
        size_t start = i, e;
        const char *el;
        while (i < n && s[i] != ',')
            i++;
        el = s + start;
        e = i - start;
        trim(&el, &e);
        if (i < n)
            i++;
        if (e == 0)
            continue;
        if (!cors__is_token(el, e)) {
            bad->ptr = el;
            bad->len = e;
            return -1;
        }
        if (fn && fn(ctx, el, e))
            return 1;
    }
    return 0;
}

/* Every line of the named response header through each_element(). */
static int each_listed(const cors_response *r, const char *lower, size_t ln, element_fn fn,
                       void *ctx, cors_str *bad)
{
    size_t i;
    int rc;

    for (i = 0; i < r->headers_count; i++) {
        if (!name_is(&r->headers[i], lower, ln))
            continue;
        rc = each_element(r->headers[i].value, r->headers[i].value_len, fn, ctx, bad);
        if (rc)
            return rc;
    }
    return 0;
}

typedef struct find {
    const char *s;
    size_t n;
    int nocase;     /* header names are case-insensitive, methods are not */
    int found, star;
} find;

static int find_element(void *ctx, const char *s, size_t n)
{
    find *f = ctx;

    if (n == 1 && s[0] == '*')
        f->star = 1;
    if (n == f->n && (f->nocase ? cors__eq_nocase(s, f->s, n) : memcmp(s, f->s, n) == 0))
        f->found = 1;
    return 0;
}

static void find_in(const cors_response *r, const char *lower, size_t ln, find *f)
{
    cors_str bad;

    f->found = f->star = 0;
    each_listed(r, lower, ln, find_element, f, &bad);
}

/* --------------------------------------------- Fetch 4.8 preflight step 7 */

static void check_method(const cors_request *q, const cors_response *r, int creds,
                         cors_verdict *v)
{
    find f = {q->request_method, q->request_method_len, 0, 0, 0};

    if (cors__safelisted_method(f.s, f.n))
        return;
    find_in(r, LIT("access-control-allow-methods"), &f);
    /* Step 7.5: "*" stands for any method only without credentials. */
    if (!f.found && !(f.star && !creds))
        block(v, CORS_BLOCK_METHOD_NOT_ALLOWED, f.s, f.n);
}

typedef struct header_ctx {
    const cors_response *r;
    int creds, chromium;
    cors_verdict *v;
} header_ctx;

/* One name of the request's Access-Control-Request-Headers. */
static int check_one_header(void *ctx, const char *s, size_t n)
{
    header_ctx *h = ctx;
    find f = {s, n, 1, 0, 0};

    find_in(h->r, LIT("access-control-allow-headers"), &f);
    if (f.found)
        return 0;
    /* Step 7.6: Authorization is a "CORS non-wildcard request-header
       name": only its name covers it.  Chromium still lets "*" cover it
       (without credentials), with a deprecation warning in the console. */
    if (n == 13 && cors__eq_nocase(s, "authorization", 13)) {
        int chromium_ok = f.star && !h->creds;
        h->v->chromium_differs = chromium_ok;
        if (chromium_ok && h->chromium)
            return 0;
        block(h->v, CORS_BLOCK_AUTHORIZATION_NOT_ALLOWED, s, n);
        return 1;
    }
    /* Step 7.7: "*" covers the others only without credentials. */
    if (f.star && !h->creds)
        return 0;
    block(h->v, CORS_BLOCK_HEADER_NOT_ALLOWED, s, n);
    return 1;
}

static void check_headers(const cors_request *q, const cors_response *r, int creds,
                          int chromium, cors_verdict *v)
{
    header_ctx h = {r, creds, chromium, v};
    cors_str bad;
    size_t k;

    /* The browser wrote the request's list, so it is well formed; a pasted
       one that is not still gets every name that can be read checked. */
    for (k = 0; k < q->request_headers_count && v->block == CORS_BLOCK_NONE; k++)
        if (each_element(q->request_headers[k].ptr, q->request_headers[k].len,
                         check_one_header, &h, &bad) < 0)
            block(v, CORS_BLOCK_HEADER_NOT_ALLOWED, bad.ptr, bad.len);
}

static void check_preflight(const cors_request *q, const cors_response *r, unsigned flags,
                            cors_verdict *v)
{
    int creds = (flags & CORS_CHECK_CREDENTIALS) != 0;
    const char *pn;
    size_t pnn;
    cors_str bad;

    /* Step 7: the CORS check first (what Chromium reports first too), then
       the status: a redirect or an error status fails the preflight. */
    cors_check(q, r, creds, v);
    if (v->block != CORS_BLOCK_NONE)
        return;
    if (r->status < 200 || r->status > 299) {
        block(v, CORS_BLOCK_PREFLIGHT_STATUS, NULL, 0);
        return;
    }
    /* Steps 7.1-7.3: either list failing to parse fails the preflight. */
    if (each_listed(r, LIT("access-control-allow-methods"), NULL, NULL, &bad) < 0) {
        block(v, CORS_BLOCK_METHODS_MALFORMED, bad.ptr, bad.len);
        return;
    }
    if (each_listed(r, LIT("access-control-allow-headers"), NULL, NULL, &bad) < 0) {
        block(v, CORS_BLOCK_HEADERS_MALFORMED, bad.ptr, bad.len);
        return;
    }
    check_method(q, r, creds, v);
    if (v->block == CORS_BLOCK_NONE)
        check_headers(q, r, creds, (flags & CORS_CHECK_CHROMIUM) != 0, v);
    if (v->block != CORS_BLOCK_NONE || !q->request_private_network)
        return;
    /* Private Network Access (a WICG draft only Chromium implements; only
       Chromium sends the request header). */
    if (field(r, LIT("access-control-allow-private-network"), &pn, &pnn) != 1 || pnn != 4 ||
        memcmp(pn, "true", 4) != 0)
        block(v, CORS_BLOCK_PRIVATE_NETWORK_NOT_ALLOWED, pn, pnn);
}

/* -------------------------------------------------------------- the entry */

static int views_ok(const cors_request *q, const cors_response *r)
{
    size_t i;

    if ((!q->origin && q->origin_len) || (!q->request_method && q->request_method_len) ||
        (!q->method && q->method_len) || (q->request_headers_count && !q->request_headers) ||
        (r->headers_count && !r->headers))
        return 0;
    for (i = 0; i < q->request_headers_count; i++)
        if (!q->request_headers[i].ptr && q->request_headers[i].len)
            return 0;
    for (i = 0; i < r->headers_count; i++)
        if ((!r->headers[i].name && r->headers[i].name_len) ||
            (!r->headers[i].value && r->headers[i].value_len))
            return 0;
    return 1;
}

cors_error cors_check_response(const cors_request *request, const cors_response *response,
                               unsigned flags, cors_verdict *verdict)
{
    size_t keep;

    if (!request || !response || !verdict)
        return CORS_ERR_INVALID_ARGUMENT;
    if (request->struct_size < CORS__REQUEST_SIZE_0_1 || response->struct_size < sizeof *response ||
        verdict->struct_size < sizeof *verdict)
        return CORS_ERR_STRUCT_SIZE;
    if (!views_ok(request, response))
        return CORS_ERR_INVALID_ARGUMENT;
    keep = verdict->struct_size;
    memset(verdict, 0, sizeof *verdict);
    verdict->struct_size = keep;
    verdict->status = response->status;
    if (!request->origin)
        return CORS_OK;
    /* Fetch 3.2.2: a preflight is OPTIONS with Access-Control-Request-Method. */
    verdict->preflight = request->request_method && request->method_len == 7 &&
                         memcmp(request->method, "OPTIONS", 7) == 0;
    if (verdict->preflight)
        check_preflight(request, response, flags, verdict);
    else
        cors_check(request, response, (flags & CORS_CHECK_CREDENTIALS) != 0, verdict);
    return CORS_OK;
}

/* ------------------------------------------------------------ the words */

const char *cors_block_string(cors_block b)
{
    switch (b) {
    case CORS_BLOCK_NONE: return "allowed";
    case CORS_BLOCK_NO_ALLOW_ORIGIN: return "no Access-Control-Allow-Origin";
    case CORS_BLOCK_MULTIPLE_ALLOW_ORIGIN: return "several Access-Control-Allow-Origin values";
    case CORS_BLOCK_ORIGIN_MISMATCH: return "origin mismatch";
    case CORS_BLOCK_WILDCARD_WITH_CREDENTIALS: return "\"*\" with credentials";
    case CORS_BLOCK_CREDENTIALS_NOT_TRUE: return "credentials not allowed";
    case CORS_BLOCK_PREFLIGHT_STATUS: return "preflight status not 2xx";
    case CORS_BLOCK_METHODS_MALFORMED: return "malformed Access-Control-Allow-Methods";
    case CORS_BLOCK_HEADERS_MALFORMED: return "malformed Access-Control-Allow-Headers";
    case CORS_BLOCK_METHOD_NOT_ALLOWED: return "method not allowed";
    case CORS_BLOCK_AUTHORIZATION_NOT_ALLOWED: return "Authorization not allowed";
    case CORS_BLOCK_HEADER_NOT_ALLOWED: return "header not allowed";
    case CORS_BLOCK_PRIVATE_NETWORK_NOT_ALLOWED: return "private network access not allowed";
    }
    return "unknown block";
}

static void s_quoted(cors__sink *s, const char *p, size_t n)
{
    char q[CORS__QUOTE_SIZE];

    cors__quote(q, sizeof q, p, n);
    cors__sink_str(s, q);
}

static void s_status(cors__sink *s, int status)
{
    char d[16];

    snprintf(d, sizeof d, "%d", status);
    cors__sink_str(s, d);
}

static void describe_origin(cors__sink *s, const cors_request *q, const cors_verdict *v)
{
    switch (v->block) {
    case CORS_BLOCK_NO_ALLOW_ORIGIN:
        cors__sink_str(s, "the response has no Access-Control-Allow-Origin header, so the "
                          "page from ");
        s_quoted(s, q->origin, q->origin_len);
        cors__sink_str(s, " may not read it");
        break;
    case CORS_BLOCK_MULTIPLE_ALLOW_ORIGIN:
        cors__sink_str(s, "Access-Control-Allow-Origin must be sent once, with one origin (or "
                          "\"*\"), but the response has more than one (the first: ");
        s_quoted(s, v->detail, v->detail_len);
        cors__sink_str(s, "); is it added twice, e.g. by the application and a proxy?");
        break;
    case CORS_BLOCK_ORIGIN_MISMATCH:
        cors__sink_str(s, "Access-Control-Allow-Origin is ");
        s_quoted(s, v->detail, v->detail_len);
        cors__sink_str(s, ", which is not the request's origin ");
        s_quoted(s, q->origin, q->origin_len);
        cors__sink_str(s, " (compared byte for byte) nor \"*\"");
        break;
    default:
        cors__sink_str(s, "Access-Control-Allow-Origin \"*\" does not cover a request with "
                          "credentials: the response must name the origin ");
        s_quoted(s, q->origin, q->origin_len);
        cors__sink_str(s, " and send Access-Control-Allow-Credentials: true");
        break;
    }
}

static void describe_lists(cors__sink *s, const cors_verdict *v)
{
    switch (v->block) {
    case CORS_BLOCK_METHODS_MALFORMED:
    case CORS_BLOCK_HEADERS_MALFORMED:
        cors__sink_str(s, v->block == CORS_BLOCK_METHODS_MALFORMED
                              ? "Access-Control-Allow-Methods"
                              : "Access-Control-Allow-Headers");
        cors__sink_str(s, " must be a comma-separated list of tokens, but holds ");
        s_quoted(s, v->detail, v->detail_len);
        cors__sink_str(s, ", which fails the whole preflight");
        break;
    case CORS_BLOCK_METHOD_NOT_ALLOWED:
        cors__sink_str(s, "method ");
        s_quoted(s, v->detail, v->detail_len);
        cors__sink_str(s, " is not listed in Access-Control-Allow-Methods (compared case-"
                          "sensitively; \"*\" counts only without credentials)");
        break;
    case CORS_BLOCK_AUTHORIZATION_NOT_ALLOWED:
        cors__sink_str(s, "request header Authorization is not listed by name in "
                          "Access-Control-Allow-Headers: \"*\" never covers it");
        if (v->chromium_differs)
            cors__sink_str(s, " (Chromium still accepts it, with a deprecation warning)");
        break;
    default:
        cors__sink_str(s, "request header ");
        s_quoted(s, v->detail, v->detail_len);
        cors__sink_str(s, " is not listed in Access-Control-Allow-Headers (\"*\" counts only "
                          "without credentials)");
        break;
    }
}

size_t cors_verdict_describe(const cors_request *q, const cors_verdict *v, char *buf,
                             size_t size)
{
    cors__sink s = {buf, size, 0};

    if (!q || !v) {
        cors__sink_str(&s, "no verdict");
        return cors__sink_finish(&s);
    }
    switch (v->block) {
    case CORS_BLOCK_NONE:
        cors__sink_str(&s, !q->origin ? "not a CORS request: nothing to check"
                           : v->preflight ? "the preflight response allows the request"
                                          : "the page may read the response");
        if (v->chromium_differs)
            cors__sink_str(&s, " (as Chromium judges it; the Fetch Standard does not allow it)");
        break;
    case CORS_BLOCK_NO_ALLOW_ORIGIN:
    case CORS_BLOCK_MULTIPLE_ALLOW_ORIGIN:
    case CORS_BLOCK_ORIGIN_MISMATCH:
    case CORS_BLOCK_WILDCARD_WITH_CREDENTIALS:
        describe_origin(&s, q, v);
        break;
    case CORS_BLOCK_CREDENTIALS_NOT_TRUE:
        cors__sink_str(&s, "the request includes credentials, so Access-Control-Allow-"
                           "Credentials must be exactly \"true\"; the response has ");
        if (v->detail)
            s_quoted(&s, v->detail, v->detail_len);
        else
            cors__sink_str(&s, "none");
        break;
    case CORS_BLOCK_PREFLIGHT_STATUS:
        cors__sink_str(&s, "the preflight response has status ");
        s_status(&s, v->status);
        cors__sink_str(&s, ", but a preflight must be answered with 200 to 299 (redirects "
                           "are not followed)");
        break;
    case CORS_BLOCK_PRIVATE_NETWORK_NOT_ALLOWED:
        cors__sink_str(&s, "the preflight asks for private network access, but the response "
                           "lacks Access-Control-Allow-Private-Network: true");
        break;
    default:
        describe_lists(&s, v);
        break;
    }
    return cors__sink_finish(&s);
}
