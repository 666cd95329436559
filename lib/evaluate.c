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

void cors_request_init_sized(cors_request *req, size_t struct_size)
{
    cors__init_sized(req, sizeof *req, struct_size);
}

void cors_result_init_sized(cors_result *res, size_t struct_size)
{
    cors__init_sized(res, sizeof *res, struct_size);
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

/* Configured exact origins are canonical serializations, and so is every
   request origin that the strict parser accepts, so a request origin whose
   bytes equal a configured one is that origin: it is found without parsing
   the request at all.  Anything else is parsed, for the reason to report
   and for the patterns. */
static int exact_lookup(const cors_policy *p, const char *s, size_t n)
{
    uint32_t h = cors__text_hash(s, n);
    size_t i = h & p->exact_mask;

    for (;; i = (i + 1) & p->exact_mask) {
        const cors__text_slot *e = &p->exact[i];
        if (e->hash == 0)
            return 0;
        if (e->hash == h && e->len == n && cors__eq_bytes(e->text, s, n))
            return 1;
    }
}

static int slot_lookup(const cors_policy *p, uint64_t state, int kind, int scheme,
                       unsigned port, const char *host, size_t n)
{
    uint32_t h = cors__host_hash_end(state, n, kind, scheme, port);
    size_t i = h & p->origin_mask;

    for (;; i = (i + 1) & p->origin_mask) {
        const cors__origin_slot *s = &p->origins[i];
        if (s->hash == 0)
            return 0;
        if (s->hash == h && s->kind == kind && s->scheme == scheme && s->port == port &&
            s->host_len == n && cors__eq_bytes(s->host, host, n))
            return 1;
    }
}

static int lookup_any_port(const cors_policy *p, int kind, const cors__origin *o,
                           const char *host, size_t n)
{
    uint64_t state = cors__hash_bytes(host, n, 0);

    if (slot_lookup(p, state, kind, o->scheme, o->port, host, n))
        return 1;
    return p->has_port_any &&
           slot_lookup(p, state, kind, o->scheme, CORS__PORT_ANY, host, n);
}

/* The patterns, for an origin that is not an exact one.  A pattern
   "*.example.com" is keyed by "example.com" and matched only at a label
   boundary: never as a plain suffix ("evilexample.com") and never for the
   apex itself (Fetch leaves pattern matching to servers; this is the safe
   reading).  Only the suffixes with as many labels as some pattern's host
   are looked up, so the cost does not grow with the number of origins. */
static int pattern_allowed(const cors_policy *p, const cors__origin *o)
{
    size_t i = o->host_len;
    unsigned depth = 0;

    if (p->has_port_any) {
        uint64_t state = cors__hash_bytes(o->host, o->host_len, 0);
        if (slot_lookup(p, state, CORS__K_EXACT, o->scheme, CORS__PORT_ANY, o->host,
                        o->host_len))
            return 1;
    }
    if (!p->has_sub || o->host_kind != CORS__HOST_DOMAIN)
        return 0;
    if (o->dots_known && p->sub_max_depth <= 4) {
        /* The parser noted where the last dots are. */
        unsigned top = o->ndots < p->sub_max_depth ? o->ndots : p->sub_max_depth;
        for (depth = 1; depth <= top; depth++) {
            size_t at = o->dot[(o->ndots - depth) & 3];
            if ((p->sub_depths[0] >> depth & 1) &&
                lookup_any_port(p, CORS__K_SUB, o, o->host + at + 1, o->host_len - at - 1))
                return 1;
        }
        return 0;
    }
    while (i > 0 && depth < p->sub_max_depth) {
        if (o->host[--i] != '.')
            continue;
        depth++;
        if (depth < 128 && (p->sub_depths[depth / 64] >> (depth % 64) & 1) &&
            lookup_any_port(p, CORS__K_SUB, o, o->host + i + 1, o->host_len - i - 1))
            return 1;
    }
    return 0;
}

/* An origin that is not an exact one: parsed, for the reason to report
   and for the patterns.  Kept apart from the exact lookup so that the
   common case does not pay for its registers. */
#if defined(__GNUC__)
__attribute__((noinline))
#endif
static cors_reason check_origin_slow(const cors_policy *p, const cors_request *r)
{
    cors__origin o;

    if (r->origin_len == 4 && memcmp(r->origin, "null", 4) == 0)
        return CORS_REASON_ORIGIN_NULL;
    if (cors__origin_parse(r->origin, r->origin_len, 0, &o) != CORS__O_OK)
        return CORS_REASON_ORIGIN_MALFORMED;
    /* Every exact origin was looked up already. */
    if ((p->has_sub || p->has_port_any) && pattern_allowed(p, &o))
        return CORS_REASON_NONE;
    return CORS_REASON_ORIGIN_NOT_ALLOWED;
}

/* The decision on the Origin header alone. */
static cors_reason check_origin(const cors_policy *p, const cors_request *r)
{
    cors__origin o;

    if (p->any_origin) {
        /* "*" grants every origin, "null" included (Fetch 3.2.3: nothing is
           reflected and no credentials flow), but a value that no browser
           could send is still no origin at all. */
        if ((r->origin_len == 4 && memcmp(r->origin, "null", 4) == 0) ||
            cors__origin_parse(r->origin, r->origin_len, 0, &o) == CORS__O_OK)
            return CORS_REASON_NONE;
        return CORS_REASON_ORIGIN_MALFORMED;
    }
    if (exact_lookup(p, r->origin, r->origin_len))
        return CORS_REASON_NONE;
    return check_origin_slow(p, r);
}

/* --------------------------------------------------------------- method */

static int safelisted_method(const char *m, size_t n)
{
    /* Fetch 2.2.1 "CORS-safelisted method", byte for byte. */
    return (n == 3 && m[0] == 'G' && m[1] == 'E' && m[2] == 'T') ||
           (n == 4 && m[0] == 'H' && m[1] == 'E' && m[2] == 'A' && m[3] == 'D') ||
           (n == 4 && m[0] == 'P' && m[1] == 'O' && m[2] == 'S' && m[3] == 'T');
}

static cors_reason check_method(const cors_policy *p, const char *m, size_t n)
{
    size_t i;

    /* With credentials and "*" the method is echoed: it is bounded like
       Access-Control-Request-Headers, so that no request can make the
       answer carry more than that (a 1 MiB method is not a method). */
    if (n > CORS_MAX_REQUEST_HEADERS_BYTES || !cors__is_token(m, n))
        return CORS_REASON_METHOD_MALFORMED;
    if (p->any_method || safelisted_method(m, n))
        return CORS_REASON_NONE;
    /* Byte-exact (Fetch 4.8 step 7.1): "patch" is not "PATCH". */
    if (n <= 8) {
        uint64_t w = cors__short_word(m, n);
        for (i = 0; i < p->nmethods; i++)
            if (p->methods[i].len == n && p->method_words[i] == w)
                return CORS_REASON_NONE;
        return CORS_REASON_METHOD_NOT_ALLOWED;
    }
    for (i = 0; i < p->nmethods; i++)
        if (p->methods[i].len == n && cors__eq_bytes(p->methods[i].ptr, m, n))
            return CORS_REASON_NONE;
    return CORS_REASON_METHOD_NOT_ALLOWED;
}

/* --------------------------------------------------------------- headers */

/* The few configured names of the request name's length are compared
   directly; only when many share a length is the name hashed. */
#define SCAN_NAMES 4

static int header_listed(const cors_policy *p, const char *name, size_t n)
{
    uint32_t h, k, end;
    size_t i;

    /* Longer names cannot be configured, so they are never listed. */
    if (n > CORS__MAX_NAME)
        return 0;
    k = p->header_by_len[n];
    end = p->header_by_len[n + 1];
    if (end - k <= SCAN_NAMES) {
        uint64_t key[2];
        if (n > CORS__KEY_MAX) {
            for (; k < end; k++)
                if (cors__eq_lower(p->header_names[k].ptr, name, n))
                    return 1;
            return 0;
        }
        /* Configured names are in lower case already. */
        cors__key16(name, n, key);
        key[0] = cors__lower64(key[0]);
        key[1] = cors__lower64(key[1]);
        for (; k < end; k++)
            if (p->header_names[k].key[0] == key[0] && p->header_names[k].key[1] == key[1])
                return 1;
        return 0;
    }
    h = cors__name_hash_lower(name, n);
    for (i = h & p->header_mask;; i = (i + 1) & p->header_mask) {
        const cors__name_slot *s = &p->headers[i];
        if (s->hash == 0)
            return 0;
        if (s->hash == h && s->len == n && cors__eq_lower(s->name, name, n))
            return 1;
    }
}

static int header_allowed(const cors_policy *p, const char *name, size_t n)
{
    /* Fetch 4.8 step 7.7: "*" never stands for Authorization. */
    if (n == 13 && cors__eq_lower("authorization", name, 13))
        return p->header_authorization;
    return p->any_header || header_listed(p, name, n);
}

static int is_ows(char c) { return c == ' ' || c == '\t'; }

/* Checks one Access-Control-Request-Headers line: a comma-separated list of
   tokens with optional whitespace.  Linear, and bounded by the caller's
   length limit; empty elements are tolerated up to a small count. */
static cors_reason check_header_line(const cors_policy *p, const char *s, size_t n,
                                     unsigned *names_io, unsigned *empties_io, cors_result *res)
{
    size_t i = 0;
    unsigned names = *names_io, empties = *empties_io;
    cors_reason why = CORS_REASON_NONE;

    for (;;) {
        size_t start;
        while (i < n && is_ows(s[i]))
            i++;
        if (i == n || s[i] == ',') {
            if (++empties > MAX_EMPTY_ELEMENTS) {
                res->detail = s;
                res->detail_len = n;
                why = CORS_REASON_HEADERS_MALFORMED;
                break;
            }
            if (i == n)
                break;
            i++;
            continue;
        }
        start = i;
        /* Four bytes per step first: header names are mostly longer. */
        while (n - i >= 4 &&
               (cors__tchar[(unsigned char)s[i]] & cors__tchar[(unsigned char)s[i + 1]] &
                cors__tchar[(unsigned char)s[i + 2]] & cors__tchar[(unsigned char)s[i + 3]]))
            i += 4;
        while (i < n && cors__tchar[(unsigned char)s[i]])
            i++;
        if (i == start) {
            res->detail = s + i;
            res->detail_len = 1;
            why = CORS_REASON_HEADERS_MALFORMED;
            break;
        }
        if (++names > CORS_MAX_REQUEST_HEADERS_NAMES) {
            why = CORS_REASON_HEADERS_TOO_LONG;
            break;
        }
        if (!header_allowed(p, s + start, i - start)) {
            res->detail = s + start;
            res->detail_len = i - start;
            why = CORS_REASON_HEADER_NOT_ALLOWED;
            break;
        }
        while (i < n && is_ows(s[i]))
            i++;
        if (i == n)
            break;
        if (s[i] != ',') {
            res->detail = s + i;
            res->detail_len = 1;
            why = CORS_REASON_HEADERS_MALFORMED;
            break;
        }
        i++;
    }
    *names_io = names;
    *empties_io = empties;
    return why;
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

static void deny(const cors_policy *p, cors_result *res, cors_reason why, const char *detail,
                 size_t len)
{
    res->outcome = CORS_OUTCOME_PREFLIGHT_DENIED;
    res->status = (int)p->settings[CORS__S_DENIED_STATUS];
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
        deny(p, res, why, r->origin, r->origin_len);
        goto denied;
    }
    why = check_method(p, r->request_method, r->request_method_len);
    if (why != CORS_REASON_NONE) {
        deny(p, res, why, r->request_method, r->request_method_len);
        goto denied;
    }
    why = check_headers(p, r, res, &names);
    if (why != CORS_REASON_NONE) {
        deny(p, res, why, NULL, 0);
        goto denied;
    }
    if (r->request_private_network) {
        if (r->request_private_network_len != 4 ||
            memcmp(r->request_private_network, "true", 4) != 0)
            why = CORS_REASON_PRIVATE_NETWORK_MALFORMED;
        else if (!p->settings[CORS__S_PRIVATE_NETWORK])
            why = CORS_REASON_PRIVATE_NETWORK_NOT_ALLOWED;
        if (why != CORS_REASON_NONE) {
            deny(p, res, why, r->request_private_network, r->request_private_network_len);
            goto denied;
        }
    }

    res->outcome = CORS_OUTCOME_PREFLIGHT_ACCEPTED;
    res->status = (int)p->settings[CORS__S_PREFLIGHT_STATUS];
    if (p->any_origin)
        put(o, LIT("Access-Control-Allow-Origin"), LIT("*"), CORS_HEADER_SET);
    else
        put(o, LIT("Access-Control-Allow-Origin"), r->origin, r->origin_len, CORS_HEADER_SET);
    if (p->settings[CORS__S_CREDENTIALS])
        put(o, LIT("Access-Control-Allow-Credentials"), LIT("true"), CORS_HEADER_SET);
    if (p->any_method && p->settings[CORS__S_CREDENTIALS])
        put(o, LIT("Access-Control-Allow-Methods"), r->request_method, r->request_method_len,
            CORS_HEADER_SET);
    else if (p->allow_methods.len)
        put(o, LIT("Access-Control-Allow-Methods"), p->allow_methods.ptr, p->allow_methods.len,
            CORS_HEADER_SET);
    if (p->any_header && p->settings[CORS__S_CREDENTIALS]) {
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
        if (p->settings[CORS__S_CREDENTIALS])
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

/* Decides into the library's own result, which the caller then gets up to
   its struct_size: results are never written past what the caller has. */
static cors_error decide_full(const cors_policy *p, const cors_request *r, out *o, char *scratch,
                              size_t scratch_size, cors_result *res)
{
    size_t k;

    o->n = 0;
    if (!view_ok(r->method, r->method_len) || !view_ok(r->origin, r->origin_len) ||
        !view_ok(r->request_method, r->request_method_len) ||
        !view_ok(r->request_private_network, r->request_private_network_len) ||
        (r->request_headers_count && !r->request_headers))
        return CORS_ERR_INVALID_ARGUMENT;
    /* Bounded: beyond this many lines a preflight is denied unread. */
    for (k = 0; k < r->request_headers_count && k < CORS_MAX_REQUEST_HEADERS_NAMES; k++)
        if (!view_ok(r->request_headers[k].ptr, r->request_headers[k].len))
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

/* The 0.1.0 layouts are the smallest accepted (the ABI promise): newer
   fields beyond a caller's struct_size read as absent
   (CORS__REQUEST_HAS). */
static cors_error decide(const cors_policy *p, const cors_request *r, out *o, char *scratch,
                         size_t scratch_size, cors_result *res)
{
    cors_result full;
    size_t keep;
    cors_error e;

    if (!p || !r || !res)
        return CORS_ERR_INVALID_ARGUMENT;
    keep = res->struct_size;
    if (r->struct_size < CORS__REQUEST_SIZE_0_1 || keep < CORS__RESULT_SIZE_0_1)
        return CORS_ERR_STRUCT_SIZE;
    memset(&full, 0, sizeof full);
    e = decide_full(p, r, o, scratch, scratch_size, &full);
    full.struct_size = keep;
    memcpy(res, &full, keep < sizeof full ? keep : sizeof full);
    return e;
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
