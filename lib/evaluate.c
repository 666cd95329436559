/*
 * evaluate.c - deciding one request and producing its response headers.
 *
 * The decision follows Fetch section 3.2.3 (HTTP responses to CORS
 * requests) and 4.8 (CORS-preflight fetch) from the server's side.  No
 * memory is allocated: every emitted value is either precomputed in the
 * policy, a fixed string, or a view into the request that was validated
 * byte by byte (so it holds no CR, LF or NUL).
 */
#include "internal.h"

#include <string.h>

#define LIT(s) s, (sizeof(s) - 1)

#define MAX_EMPTY_ELEMENTS 16

void cors_request_init(cors_request *req)
{
    if (!req)
        return;
    memset(req, 0, sizeof *req);
    req->struct_size = sizeof *req;
}

void cors_result_init(cors_result *res)
{
    if (!res)
        return;
    memset(res, 0, sizeof *res);
    res->struct_size = sizeof *res;
}

typedef struct out {
    cors_header h[CORS_MAX_HEADERS];
    size_t n;
} out;

static void put(out *o, const char *name, size_t name_len, const char *value, size_t value_len,
                unsigned flags)
{
    cors_header *h = &o->h[o->n++];

    h->name = name;
    h->name_len = name_len;
    h->value = value;
    h->value_len = value_len;
    h->flags = flags;
}

/* ---------------------------------------------------------------- origin */

static int slot_lookup(const cors_policy *p, uint32_t state, int kind, int scheme,
                       unsigned port, const char *host, size_t n)
{
    uint32_t h = cors__hash_finish(state, (uint32_t)kind | ((uint32_t)scheme << 2) |
                                              ((uint32_t)port << 3));
    size_t i = h & p->origin_mask;

    for (;; i = (i + 1) & p->origin_mask) {
        const cors__origin_slot *s = &p->origins[i];
        if (s->hash == 0)
            return 0;
        if (s->hash == h && s->kind == kind && s->scheme == scheme && s->port == port &&
            s->host_len == n && memcmp(s->host, host, n) == 0)
            return 1;
    }
}

static int lookup_any_port(const cors_policy *p, uint32_t state, int kind,
                           const cors__origin *o, const char *host, size_t n)
{
    if (slot_lookup(p, state, kind, o->scheme, o->port, host, n))
        return 1;
    return p->has_port_any && slot_lookup(p, state, kind, o->scheme, CORS__PORT_ANY, host, n);
}

/* One backward pass over the host gives the hash of the whole host and of
   every suffix after a dot, so matching costs the same however many
   origins and patterns the policy has.  A pattern "*.example.com" is keyed
   by "example.com" and matched only at a label boundary: never as a plain
   suffix ("evilexample.com") and never for the apex itself (Fetch leaves
   pattern matching to servers; this is the safe reading). */
static int origin_allowed(const cors_policy *p, const cors__origin *o)
{
    uint32_t h = CORS__HASH_SEED;
    size_t i = o->host_len;
    int subs = p->has_sub && o->host_kind == CORS__HOST_DOMAIN;

    if (p->norigins == 0)
        return 0;
    while (i > 0) {
        unsigned char c = (unsigned char)o->host[--i];
        if (c == '.' && subs &&
            lookup_any_port(p, h, CORS__K_SUB, o, o->host + i + 1, o->host_len - i - 1))
            return 1;
        h = cors__hash_step(h, c);
    }
    return lookup_any_port(p, h, CORS__K_EXACT, o, o->host, o->host_len);
}

/* The decision on the Origin header alone. */
static cors_reason check_origin(const cors_policy *p, const cors_request *r)
{
    cors__origin o;

    if (p->any_origin)
        return CORS_REASON_NONE;
    if (r->origin_len == 4 && memcmp(r->origin, "null", 4) == 0)
        return CORS_REASON_ORIGIN_NULL;
    if (cors__origin_parse(r->origin, r->origin_len, 0, &o) != CORS__O_OK)
        return CORS_REASON_ORIGIN_MALFORMED;
    return origin_allowed(p, &o) ? CORS_REASON_NONE : CORS_REASON_ORIGIN_NOT_ALLOWED;
}

/* --------------------------------------------------------------- method */

static int safelisted_method(const char *m, size_t n)
{
    /* Fetch 2.2.1 "CORS-safelisted method", byte for byte. */
    return (n == 3 && memcmp(m, "GET", 3) == 0) || (n == 4 && memcmp(m, "HEAD", 4) == 0) ||
           (n == 4 && memcmp(m, "POST", 4) == 0);
}

static cors_reason check_method(const cors_policy *p, const char *m, size_t n)
{
    size_t i;

    if (!cors__is_token(m, n))
        return CORS_REASON_METHOD_MALFORMED;
    if (p->any_method || safelisted_method(m, n))
        return CORS_REASON_NONE;
    /* Byte-exact (Fetch 4.8 step 7.1): "patch" is not "PATCH". */
    for (i = 0; i < p->nmethods; i++)
        if (p->methods[i].len == n && memcmp(p->methods[i].ptr, m, n) == 0)
            return CORS_REASON_NONE;
    return CORS_REASON_METHOD_NOT_ALLOWED;
}

/* --------------------------------------------------------------- headers */

static int header_listed(const cors_policy *p, const char *name, size_t n)
{
    uint32_t h = cors__name_hash_lower(name, n);
    size_t i = h & p->header_mask;

    for (;; i = (i + 1) & p->header_mask) {
        const cors__name_slot *s = &p->headers[i];
        if (s->hash == 0)
            return 0;
        if (s->hash == h && s->len == n && cors__eq_nocase(s->name, name, n))
            return 1;
    }
}

static int header_allowed(const cors_policy *p, const char *name, size_t n)
{
    /* Fetch 4.8 step 7.7: "*" never stands for Authorization. */
    if (n == 13 && cors__eq_nocase(name, "authorization", 13))
        return p->header_authorization;
    return p->any_header || header_listed(p, name, n);
}

static int is_ows(char c) { return c == ' ' || c == '\t'; }

/* Checks one Access-Control-Request-Headers line: a comma-separated list of
   tokens with optional whitespace.  Linear, and bounded by the caller's
   length limit; empty elements are tolerated up to a small count. */
static cors_reason check_header_line(const cors_policy *p, const char *s, size_t n,
                                     unsigned *names, unsigned *empties, cors_result *res)
{
    size_t i = 0;

    for (;;) {
        size_t start;
        while (i < n && is_ows(s[i]))
            i++;
        if (i == n || s[i] == ',') {
            if (++*empties > MAX_EMPTY_ELEMENTS) {
                res->detail = s;
                res->detail_len = n;
                return CORS_REASON_HEADERS_MALFORMED;
            }
            if (i == n)
                return CORS_REASON_NONE;
            i++;
            continue;
        }
        start = i;
        while (i < n && cors__tchar[(unsigned char)s[i]])
            i++;
        if (i == start) {
            res->detail = s + i;
            res->detail_len = 1;
            return CORS_REASON_HEADERS_MALFORMED;
        }
        if (++*names > CORS_MAX_REQUEST_HEADERS_NAMES)
            return CORS_REASON_HEADERS_TOO_LONG;
        if (!header_allowed(p, s + start, i - start)) {
            res->detail = s + start;
            res->detail_len = i - start;
            return CORS_REASON_HEADER_NOT_ALLOWED;
        }
        while (i < n && is_ows(s[i]))
            i++;
        if (i == n)
            return CORS_REASON_NONE;
        if (s[i] != ',') {
            res->detail = s + i;
            res->detail_len = 1;
            return CORS_REASON_HEADERS_MALFORMED;
        }
        i++;
    }
}

static cors_reason check_headers(const cors_policy *p, const cors_request *r, cors_result *res,
                                 size_t *total)
{
    size_t k, sum = 0;
    unsigned names = 0, empties = 0;

    /* The limits are checked before anything is read, so a huge header
       costs no more than a normal one. */
    if (r->request_headers_count > CORS_MAX_REQUEST_HEADERS_NAMES)
        return CORS_REASON_HEADERS_TOO_LONG;
    for (k = 0; k < r->request_headers_count; k++) {
        if (r->request_headers[k].len > CORS_MAX_REQUEST_HEADERS_BYTES ||
            (r->request_headers[k].len && !r->request_headers[k].ptr))
            return CORS_REASON_HEADERS_TOO_LONG;
        sum += r->request_headers[k].len;
    }
    if (sum > CORS_MAX_REQUEST_HEADERS_BYTES)
        return CORS_REASON_HEADERS_TOO_LONG;
    for (k = 0; k < r->request_headers_count; k++) {
        cors_reason why = check_header_line(p, r->request_headers[k].ptr,
                                            r->request_headers[k].len, &names, &empties, res);
        if (why != CORS_REASON_NONE)
            return why;
    }
    *total = names;
    return CORS_REASON_NONE;
}

static void trim(const char **s, size_t *n)
{
    while (*n > 0 && (is_ows((*s)[0]) || (*s)[0] == ','))
        (*s)++, (*n)--;
    while (*n > 0 && (is_ows((*s)[*n - 1]) || (*s)[*n - 1] == ','))
        (*n)--;
}

/* With credentials, browsers read "*" literally (Fetch 4.8 step 7.6), so
   the validated request list is echoed.  One line is echoed as it is;
   several are joined into scratch. */
static int echo_headers(const cors_request *r, char *scratch, size_t size, const char **v,
                        size_t *n)
{
    size_t k, len = 0;

    if (r->request_headers_count == 1) {
        *v = r->request_headers[0].ptr;
        *n = r->request_headers[0].len;
        trim(v, n);
        return 0;
    }
    for (k = 0; k < r->request_headers_count; k++) {
        const char *s = r->request_headers[k].ptr;
        size_t sn = r->request_headers[k].len;
        trim(&s, &sn);
        if (sn == 0)
            continue;
        if (!scratch || len + sn + 2 > size)
            return -1;
        if (len) {
            memcpy(scratch + len, ", ", 2);
            len += 2;
        }
        memcpy(scratch + len, s, sn);
        len += sn;
    }
    *v = scratch;
    *n = len;
    return 0;
}

/* -------------------------------------------------------------- decision */

static void deny(cors_result *res, cors_reason why, const char *detail, size_t len)
{
    res->outcome = CORS_OUTCOME_PREFLIGHT_DENIED;
    res->status = 403;
    res->reason = why;
    if (!res->detail) {
        res->detail = detail;
        res->detail_len = len;
    }
}

static int preflight(const cors_policy *p, const cors_request *r, out *o, char *scratch,
                     size_t scratch_size, cors_result *res)
{
    cors_reason why;
    size_t names = 0;

    /* Fetch 3.2.3: a denied preflight carries no CORS header at all, but
       it still varies with the request headers a cache must key on. */
    why = check_origin(p, r);
    if (why != CORS_REASON_NONE) {
        deny(res, why, r->origin, r->origin_len);
        goto denied;
    }
    why = check_method(p, r->request_method, r->request_method_len);
    if (why != CORS_REASON_NONE) {
        deny(res, why, r->request_method, r->request_method_len);
        goto denied;
    }
    why = check_headers(p, r, res, &names);
    if (why != CORS_REASON_NONE) {
        deny(res, why, NULL, 0);
        goto denied;
    }
    if (r->request_private_network) {
        if (r->request_private_network_len != 4 ||
            memcmp(r->request_private_network, "true", 4) != 0)
            why = CORS_REASON_PRIVATE_NETWORK_MALFORMED;
        else if (!p->private_network)
            why = CORS_REASON_PRIVATE_NETWORK_NOT_ALLOWED;
        if (why != CORS_REASON_NONE) {
            deny(res, why, r->request_private_network, r->request_private_network_len);
            goto denied;
        }
    }

    res->outcome = CORS_OUTCOME_PREFLIGHT_ACCEPTED;
    res->status = p->preflight_status;
    if (p->any_origin)
        put(o, LIT("Access-Control-Allow-Origin"), LIT("*"), CORS_HEADER_SET);
    else
        put(o, LIT("Access-Control-Allow-Origin"), r->origin, r->origin_len, CORS_HEADER_SET);
    if (p->credentials)
        put(o, LIT("Access-Control-Allow-Credentials"), LIT("true"), CORS_HEADER_SET);
    if (p->any_method && p->credentials)
        put(o, LIT("Access-Control-Allow-Methods"), r->request_method, r->request_method_len,
            CORS_HEADER_SET);
    else if (p->allow_methods.len)
        put(o, LIT("Access-Control-Allow-Methods"), p->allow_methods.ptr, p->allow_methods.len,
            CORS_HEADER_SET);
    if (p->any_header && p->credentials) {
        const char *v;
        size_t n;
        if (names > 0) {
            if (echo_headers(r, scratch, scratch_size, &v, &n) != 0)
                return -1;
            put(o, LIT("Access-Control-Allow-Headers"), v, n, CORS_HEADER_SET);
        }
    } else if (p->allow_headers.len) {
        put(o, LIT("Access-Control-Allow-Headers"), p->allow_headers.ptr, p->allow_headers.len,
            CORS_HEADER_SET);
    }
    if (p->max_age_text.len)
        put(o, LIT("Access-Control-Max-Age"), p->max_age_text.ptr, p->max_age_text.len,
            CORS_HEADER_SET);
    if (r->request_private_network)
        put(o, LIT("Access-Control-Allow-Private-Network"), LIT("true"), CORS_HEADER_SET);
denied:
    put(o, LIT("Vary"), p->vary_preflight.ptr, p->vary_preflight.len, CORS_HEADER_MERGE);
    return 0;
}

static void actual(const cors_policy *p, const cors_request *r, out *o, cors_result *res)
{
    cors_reason why;

    /* With "*" the response is the same for every origin, and for requests
       without one, so caches need no Vary and CORS requests never get a
       cached copy that lacks the header. */
    if (p->any_origin) {
        res->outcome = r->origin ? CORS_OUTCOME_ACTUAL_ALLOWED : CORS_OUTCOME_NOT_CORS;
        put(o, LIT("Access-Control-Allow-Origin"), LIT("*"), CORS_HEADER_SET);
        if (p->expose_headers.len)
            put(o, LIT("Access-Control-Expose-Headers"), p->expose_headers.ptr,
                p->expose_headers.len, CORS_HEADER_SET);
        return;
    }
    if (!r->origin) {
        res->outcome = CORS_OUTCOME_NOT_CORS;
    } else if ((why = check_origin(p, r)) != CORS_REASON_NONE) {
        res->outcome = CORS_OUTCOME_ACTUAL_DISALLOWED;
        res->reason = why;
        res->detail = r->origin;
        res->detail_len = r->origin_len;
    } else {
        res->outcome = CORS_OUTCOME_ACTUAL_ALLOWED;
        put(o, LIT("Access-Control-Allow-Origin"), r->origin, r->origin_len, CORS_HEADER_SET);
        if (p->credentials)
            put(o, LIT("Access-Control-Allow-Credentials"), LIT("true"), CORS_HEADER_SET);
        if (p->expose_headers.len)
            put(o, LIT("Access-Control-Expose-Headers"), p->expose_headers.ptr,
                p->expose_headers.len, CORS_HEADER_SET);
    }
    /* Fetch 3.2.3 / CORS and caching: the answer depends on Origin, so every
       response says so, including those to requests without one. */
    put(o, LIT("Vary"), LIT("Origin"), CORS_HEADER_MERGE);
}

static int view_ok(const char *p, size_t n)
{
    /* A length without a pointer cannot be read safely. */
    return p || n == 0;
}

static cors_error decide(const cors_policy *p, const cors_request *r, out *o, char *scratch,
                         size_t scratch_size, cors_result *res)
{
    size_t keep = res ? res->struct_size : 0;

    if (!p || !r || !res)
        return CORS_ERR_INVALID_ARGUMENT;
    if (r->struct_size < sizeof(cors_request) || res->struct_size < sizeof(cors_result))
        return CORS_ERR_STRUCT_SIZE;
    memset(res, 0, sizeof *res);
    res->struct_size = keep;
    o->n = 0;
    if (!view_ok(r->method, r->method_len) || !view_ok(r->origin, r->origin_len) ||
        !view_ok(r->request_method, r->request_method_len) ||
        !view_ok(r->request_private_network, r->request_private_network_len) ||
        (r->request_headers_count && !r->request_headers))
        return CORS_ERR_INVALID_ARGUMENT;

    /* Fetch 3.2.2: a preflight is OPTIONS (byte for byte: methods are case
       sensitive) with Origin and Access-Control-Request-Method. */
    if (r->origin && r->request_method && r->method_len == 7 &&
        memcmp(r->method, "OPTIONS", 7) == 0) {
        if (preflight(p, r, o, scratch, scratch_size, res) != 0)
            return CORS_ERR_BUFFER_TOO_SMALL;
        return CORS_OK;
    }
    actual(p, r, o, res);
    return CORS_OK;
}

cors_error cors_evaluate(const cors_policy *policy, const cors_request *request,
                         cors_emit_fn emit, void *ctx, cors_result *result)
{
    out o;
    char scratch[CORS_SCRATCH_SIZE];
    size_t i;
    cors_error e = decide(policy, request, &o, scratch, sizeof scratch, result);

    if (e != CORS_OK || !emit)
        return e;
    for (i = 0; i < o.n; i++)
        if (emit(ctx, o.h[i].name, o.h[i].name_len, o.h[i].value, o.h[i].value_len,
                 o.h[i].flags) != 0)
            return CORS_ERR_EMIT;
    return CORS_OK;
}

cors_error cors_evaluate_headers(const cors_policy *policy, const cors_request *request,
                                 cors_header *headers, size_t capacity, size_t *count,
                                 char *scratch, size_t scratch_size, cors_result *result)
{
    out o;
    cors_error e;

    if (!count || (capacity && !headers))
        return CORS_ERR_INVALID_ARGUMENT;
    *count = 0;
    e = decide(policy, request, &o, scratch, scratch_size, result);
    if (e != CORS_OK)
        return e;
    *count = o.n;
    if (o.n > capacity)
        return CORS_ERR_BUFFER_TOO_SMALL;
    if (o.n)
        memcpy(headers, o.h, o.n * sizeof *headers);
    return CORS_OK;
}
