/*
 * evaluate.c - deciding one request and producing its response headers.
 *
 * The decision follows Fetch section 3.2.3 (HTTP responses to CORS
 * requests) and 4.8 (CORS-preflight fetch) from the server's side.  No
 * memory is allocated: every emitted value is either precomputed in the
 * policy, a fixed string, or a view into the request that was validated
 * byte by byte (so it holds no CR, LF or NUL).
 */
#include "names.h"
#include "origin.h"
#include "origin_fast.h"
#include "policy.h"

#include <limits.h>
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

/* The caller's buffer for a joined value (cors_evaluate_headers). */
typedef struct scratch {
    char *buf;
    size_t size;
} scratch;

/* Where the headers go: straight to the caller's emitter, in the order
   they are decided (one pass, no list to fill and walk again).  sc is
   NULL to join values on the stack of the rare function that needs it. */
typedef struct out {
    cors_emit_fn fn;
    void *ctx;
    const scratch *sc;
} out;

/* Non-zero when the emitter asks to stop. */
static inline int put(out o, const char *name, size_t name_len, const char *value,
                      size_t value_len, unsigned flags)
{
    return o.fn(o.ctx, name, name_len, value, value_len, flags);
}

/* What one check of a request decided: CORS_REASON_NONE to go on, or why
   it is refused and the bytes to show for it (cors_result.detail).  Every
   check has the shape verdict check_x(policy, request). */
typedef struct verdict {
    cors_reason reason;
    const char *detail;
    size_t detail_len;
} verdict;

static CORS__INLINE verdict refuse(cors_reason reason, const char *detail, size_t len)
{
    verdict v;

    v.reason = reason;
    v.detail = detail;
    v.detail_len = len;
    return v;
}

#define PASS refuse(CORS_REASON_NONE, NULL, 0)

/* ---------------------------------------------------------------- origin */

static CORS__INLINE int lookup_any_port(const cors_policy *p, int kind, const cors__origin *o,
                           const char *host, size_t n)
{
    uint64_t state = cors__hash_bytes(host, n, 0);

    if (cors__origin_lookup(p->origins, p->origin_mask, p->origin_shift, state, kind,
                            o->scheme, o->port, host, n))
        return 1;
    return p->has_port_any &&
           cors__origin_lookup(p->origins, p->origin_mask, p->origin_shift, state, kind,
                               o->scheme, CORS__PORT_ANY, host, n);
}

/* A ":*" pattern of the whole host. */
static CORS__NOINLINE int port_any_allowed(const cors_policy *p, const cors__origin *o)
{
    return cors__origin_lookup(p->origins, p->origin_mask, p->origin_shift,
                               cors__hash_bytes(o->host, o->host_len, 0), CORS__K_EXACT,
                               o->scheme, CORS__PORT_ANY, o->host, o->host_len);
}

/* The "*." patterns of a host whose dots the parser noted: the depth-th
   dot from the end is the depth-th highest bit, and a host of under 64
   bytes has under 64 dots, so every depth is in sub_depths[0]. */
static CORS__NOINLINE int sub_allowed_noted(const cors_policy *p, const cors__origin *o)
{
    uint64_t dots = o->dots, want = p->sub_depths[0] >> 1; /* bit 0: depth 1 */

    while (dots && want) {
        size_t at = cors__top_bit(dots);
        dots ^= (uint64_t)1 << at;
        if ((want & 1) &&
            lookup_any_port(p, CORS__K_SUB, o, o->host + at + 1, o->host_len - at - 1))
            return 1;
        want >>= 1;
    }
    return 0;
}

/* The same for any other host, its dots found from the end. */
static CORS__NOINLINE int sub_allowed_scan(const cors_policy *p, const cors__origin *o)
{
    size_t i = o->host_len;
    unsigned depth = 0;

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

/* The "*." patterns of a policy that has few, one by one. */
static CORS__INLINE int sub_listed(const cors_policy *p, const cors__origin *o)
{
    unsigned k;

    for (k = 0; k < p->nsubs; k++)
        if (cors__sub_match(&p->subs[k], o))
            return 1;
    return 0;
}

/* The patterns, for an origin that is not an exact one.  A pattern
   "*.example.com" is keyed by "example.com" and matched only at a label
   boundary: never as a plain suffix ("evilexample.com") and never for the
   apex itself (Fetch leaves pattern matching to servers; this is the safe
   reading).  Only the suffixes with as many labels as some pattern's host
   are looked up, so the cost does not grow with the number of origins. */
static CORS__NOINLINE int pattern_hashed(const cors_policy *p, const cors__origin *o)
{
    if (p->has_port_any && port_any_allowed(p, o))
        return 1;
    if (!p->has_sub || o->host_kind != CORS__HOST_DOMAIN)
        return 0;
    if (p->nsubs <= CORS__FEW_SUBS)
        return sub_listed(p, o);
    return o->dots_known ? sub_allowed_noted(p, o) : sub_allowed_scan(p, o);
}

/* The common case first: a few "*." patterns and no ":*" one. */
static CORS__INLINE int pattern_allowed(const cors_policy *p, const cors__origin *o)
{
    if (!p->has_port_any && p->nsubs <= CORS__FEW_SUBS)
        return o->host_kind == CORS__HOST_DOMAIN && sub_listed(p, o);
    return pattern_hashed(p, o);
}

/* "*" grants every origin, "null" included (Fetch 3.2.3: nothing is
   reflected and no credentials flow), but a value that no browser could
   send is still no origin at all. */
static cors_reason check_any_origin(const cors_request *r)
{
    cors__origin_err e = cors__origin_check(r->origin, r->origin_len);

    return e == CORS__O_OK || e == CORS__O_NULL ? CORS_REASON_NONE : CORS_REASON_ORIGIN_MALFORMED;
}

/* Why an origin that matched nothing is refused. */
static CORS__INLINE cors_reason refused_origin(cors__origin_err e)
{
    if (e == CORS__O_OK)
        return CORS_REASON_ORIGIN_NOT_ALLOWED;
    return e == CORS__O_NULL ? CORS_REASON_ORIGIN_NULL : CORS_REASON_ORIGIN_MALFORMED;
}

/* check_origin_slow with patterns to try. */
static CORS__NOINLINE cors_reason check_patterns(const cors_policy *p, const cors_request *r)
{
    cors__origin o;
    cors__origin_err e = cors__origin_parse(r->origin, r->origin_len, 0, &o);

    return e == CORS__O_OK && pattern_allowed(p, &o) ? CORS_REASON_NONE : refused_origin(e);
}

/* An origin that is not an exact one under "*" or patterns.  Out of
   line, so that the common case (a policy that lists origins) does not pay
   for its registers; so are the patterns, for the policies without any. */
static CORS__NOINLINE cors_reason check_origin_slow(const cors_policy *p, const cors_request *r)
{
    if (p->any_origin)
        return check_any_origin(r);
    return check_patterns(p, r);
}

/* An origin that is not an exact one (every exact origin was looked up
   already): without "*" or patterns, only the reason is left to find,
   which needs no parsed origin. */
static CORS__INLINE cors_reason check_unlisted(const cors_policy *p, const cors_request *r)
{
    if (p->unlisted_special)
        return check_origin_slow(p, r);
    return refused_origin(cors__origin_check(r->origin, r->origin_len));
}

/* Configured exact origins are canonical serializations, and so is every
   request origin that the strict parser accepts, so a request origin whose
   bytes equal a configured one is that origin: it is found without
   parsing the request at all.  An origin of a length no exact origin has
   (in a policy of patterns, any; below CORS__ORIGIN_MIN_LEN, every one)
   is not hashed. */
static CORS__INLINE int exact_length(const cors_policy *p, const cors_request *r)
{
    return cors__len_known(p->exact_lens, r->origin_len);
}

static CORS__INLINE uint32_t origin_hash(const cors_request *r)
{
    return cors__text_hash(r->origin, r->origin_len);
}

/* r's origin, of an exact_length() and hash h, is an exact one. */
static CORS__INLINE int exact_hashed(const cors_policy *p, const cors_request *r, uint32_t h)
{
    return p->exact[cors__str_find(p->exact, p->exact_mask, p->exact_shift, h, r->origin,
                                   r->origin_len, CORS__SAME_CASE_LONG)]
               .len != 0;
}

/* Under "*" an exact origin is allowed too: its text is a canonical
   origin, which "*" grants. */
static CORS__INLINE int exact_origin(const cors_policy *p, const cors_request *r)
{
    return exact_length(p, r) && exact_hashed(p, r, origin_hash(r));
}

/* The decision on the Origin header alone.  Anything but an exact origin
   is checked for the reason to report, and parsed for the patterns. */
static CORS__INLINE verdict check_origin(const cors_policy *p, const cors_request *r)
{
    cors_reason why;

    if (exact_origin(p, r))
        return PASS;
    why = check_unlisted(p, r);
    return why == CORS_REASON_NONE ? PASS : refuse(why, r->origin, r->origin_len);
}

/* --------------------------------------------------------------- method */

/* A method that is not a listed short one. */
static CORS__NOINLINE cors_reason method_refused(const cors_policy *p, const char *m, size_t n)
{
    size_t i;

    /* With credentials and "*" the method is echoed: it is bounded like
       Access-Control-Request-Headers, so that no request can make the
       answer carry more than that (a 1 MiB method is not a method). */
    if (n > CORS_MAX_REQUEST_HEADERS_BYTES || !cors__is_token(m, n))
        return CORS_REASON_METHOD_MALFORMED;
    if (p->any_method)
        return CORS_REASON_NONE;
    for (i = 0; i < p->nmethods; i++)
        if (p->methods[i].len == n && cors__eq_bytes(p->methods[i].ptr, m, n))
            return CORS_REASON_NONE;
    return CORS_REASON_METHOD_NOT_ALLOWED;
}

static CORS__INLINE cors_reason method_reason(const cors_policy *p, const char *m, size_t n)
{
    size_t i;

    /* Byte-exact (Fetch 4.8 step 7.1): "patch" is not "PATCH".  A short
       method is one word with its length in the top byte; a configured
       method is a token, so a request method equal to one is a token too
       and needs no check of its own. */
    if (n - 1 < CORS__METHOD_KEY_MAX) {
        uint64_t key = cors__method_key(m, n);
        if (p->has_method_set)
            return p->method_set[cors__method_find(p->method_set, key)] == key
                       ? CORS_REASON_NONE
                       : method_refused(p, m, n);
        if (cors__safelisted_method_key(key))
            return CORS_REASON_NONE;
        for (i = 0; i < p->nmethods; i++)
            if (p->method_keys[i] == key)
                return CORS_REASON_NONE;
    }
    return method_refused(p, m, n);
}

static CORS__INLINE verdict check_method(const cors_policy *p, const cors_request *r)
{
    cors_reason why = method_reason(p, r->request_method, r->request_method_len);

    return why == CORS_REASON_NONE ? PASS
                                   : refuse(why, r->request_method, r->request_method_len);
}

/* --------------------------------------------------------------- headers */

/* The few configured names of the request name's length are compared
   directly; only when many share a length is the name hashed. */
#define SCAN_NAMES 4

/* Many configured names of one length: hashed. */
static CORS__NOINLINE int header_hashed(const cors_policy *p, const char *name, size_t n)
{
    return cors__str_lookup(p->headers, p->header_mask, p->header_shift, name, n, CORS__ANY_CASE);
}

/* A name of n (1..CORS__KEY_MAX) bytes whose cors__key16 is key. */
static CORS__INLINE int key_listed(const cors_policy *p, const char *name, size_t n,
                                   const uint64_t key[2])
{
    uint32_t k = p->header_by_len[n], end = p->header_by_len[n + 1], k0;
    uint64_t low0, low1;

    if (end - k > SCAN_NAMES)
        return header_hashed(p, name, n);
    /* Configured names are in lower case already, and browsers send them
       so (Fetch 4.8: the list holds byte-lowercased names), so the bytes
       are first compared as they are; the usual single name of a length
       without a loop. */
    if (end - k == 1 && p->header_names[k].key[0] == key[0] &&
        p->header_names[k].key[1] == key[1])
        return 1;
    for (k0 = k; k0 < end; k0++)
        if (p->header_names[k0].key[0] == key[0] && p->header_names[k0].key[1] == key[1])
            return 1;
    low0 = cors__lower64(key[0]);
    low1 = cors__lower64(key[1]);
    for (; k < end; k++)
        if (p->header_names[k].key[0] == low0 && p->header_names[k].key[1] == low1)
            return 1;
    return 0;
}

static CORS__INLINE int header_listed(const cors_policy *p, const char *name, size_t n)
{
    uint32_t k, end;
    uint64_t key[2];

    /* Longer names cannot be configured, so they are never listed. */
    if (n > CORS__MAX_NAME)
        return 0;
    if (n <= CORS__KEY_MAX) {
        cors__key16(name, n, key);
        return key_listed(p, name, n, key);
    }
    k = p->header_by_len[n];
    end = p->header_by_len[n + 1];
    if (end - k > SCAN_NAMES)
        return header_hashed(p, name, n);
    for (; k < end; k++)
        if (cors__eq_lower(p->header_names[k].ptr, name, n))
            return 1;
    return 0;
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
static verdict check_header_line(const cors_policy *p, const char *s, size_t n,
                                 unsigned max_names, unsigned *names, unsigned *empties)
{
    size_t i = 0;

    for (;;) {
        size_t start;
        while (i < n && is_ows(s[i]))
            i++;
        if (i == n || s[i] == ',') {
            if (++*empties > MAX_EMPTY_ELEMENTS)
                return refuse(CORS_REASON_HEADERS_MALFORMED, s, n);
            if (i == n)
                return PASS;
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
        if (i == start)
            return refuse(CORS_REASON_HEADERS_MALFORMED, s + i, 1);
        if (++*names > max_names)
            return refuse(CORS_REASON_HEADERS_TOO_LONG, NULL, 0);
        if (!header_allowed(p, s + start, i - start))
            return refuse(CORS_REASON_HEADER_NOT_ALLOWED, s + start, i - start);
        while (i < n && is_ows(s[i]))
            i++;
        if (i == n)
            return PASS;
        if (s[i] != ',')
            return refuse(CORS_REASON_HEADERS_MALFORMED, s + i, 1);
        i++;
    }
}

/* Where the first comma is in the word at s, whose flags z (non-zero,
   from cors__bytes_equal) are: on a little-endian machine the lowest flag
   is a true one. */
static CORS__INLINE size_t first_comma(uint64_t z, const char *s)
{
#if CORS__LITTLE_ENDIAN
    (void)s;
    return cors__low_bit(z) / 8;
#else
    size_t i = 0;

    (void)z;
    while (s[i] != ',')
        i++;
    return i;
#endif
}

/* Where the first "," is in the n bytes at s (n when there is none),
   eight bytes at a time. */
static CORS__INLINE size_t find_comma(const char *s, size_t n)
{
    size_t i = 0, at;
    uint64_t z;

    for (;; i += 8) {
        z = cors__bytes_equal(n - i >= 8 ? cors__load64(s + i) : cors__load_tail(s + i, n - i),
                              ',');
        if (z)
            break;
        if (n - i <= 8)
            return n;
    }
    at = i + first_comma(z, s + i);
    return at < n ? at : n;
}

/* The low n (0..7) bytes of w, as cors__load_tail reads them. */
static CORS__INLINE uint64_t low_bytes(uint64_t w, size_t n)
{
#if CORS__LITTLE_ENDIAN
    return w & (((uint64_t)1 << (8 * n)) - 1);
#else
    return w & ~(~(uint64_t)0 >> (8 * n));
#endif
}

/* The element at s (m > 0 bytes left): its length up to the next comma
   or the end, found while its first 16 bytes are loaded once.  When it is
   1..CORS__KEY_MAX bytes long, key gets its cors__key16. */
static CORS__INLINE size_t element(const char *s, size_t m, uint64_t key[2])
{
    uint64_t w0, w1, z;
    size_t len;

    w0 = m >= 8 ? cors__load64(s) : cors__load_tail(s, m);
    if ((z = cors__bytes_equal(w0, ',')) != 0) {
        len = first_comma(z, s);
        key[0] = low_bytes(w0, len);
        key[1] = 0;
        return len;
    }
    key[0] = w0;
    key[1] = 0;
    if (m <= 8)
        return m;
    w1 = m >= 16 ? cors__load64(s + 8) : cors__load_tail(s + 8, m - 8);
    if ((z = cors__bytes_equal(w1, ',')) != 0) {
        len = first_comma(z, s + 8);
        key[1] = low_bytes(w1, len);
        return 8 + len;
    }
    key[1] = w1;
    if (m <= 16)
        return m;
    return 16 + find_comma(s + 16, m - 16);
}

/* The common case in one pass: configured names separated by "," and
   optional whitespace, e.g. "accept,content-type".  Each element runs to
   the next comma; its bytes either equal a configured name (whatever their
   case) or not, and equal to one they are a token, so nothing is checked
   byte by byte.  Returns 0 for anything else (unknown or malformed names,
   whitespace before a comma, empty elements, too many names), which
   check_header_line then judges from the start. */
static CORS__INLINE int headers_fast(const cors_policy *p, const char *s, size_t n)
{
    size_t i = 0, len;
    unsigned names = 0;
    uint64_t key[2];

    for (;;) {
        if (i == n)
            return 0;
        if (is_ows(s[i])) {
            i++;
            continue;
        }
        len = element(s + i, n - i, key);
        if (len == 0 || ++names > CORS_MAX_REQUEST_HEADERS_NAMES ||
            !(len <= CORS__KEY_MAX ? key_listed(p, s + i, len, key)
                                   : header_listed(p, s + i, len)))
            return 0;
        i += len;
        if (i == n)
            return 1;
        i++;
    }
}

/* With "*" and no credentials the answer is "*" whatever was asked (Fetch
   4.8 step 7.6), so no number of names is too many: Chromium sends more
   than CORS_MAX_REQUEST_HEADERS_NAMES when a page sets them.  Only
   Authorization must be named (step 7.7), so every line is scanned once,
   for it and for syntax; nothing is matched one by one or echoed. */
static CORS__NOINLINE verdict check_headers_any(const cors_policy *p, const cors_request *r)
{
    size_t k;
    unsigned names = 0, empties = 0;

    for (k = 0; k < r->request_headers_count; k++) {
        const cors_str *h = &r->request_headers[k];
        verdict v;
        /* Lines past CORS_MAX_REQUEST_HEADERS_NAMES were not checked by
           views_bad(). */
        if (h->len && !h->ptr)
            return refuse(CORS_REASON_HEADERS_MALFORMED, NULL, 0);
        v = check_header_line(p, h->ptr, h->len, UINT_MAX, &names, &empties);
        if (v.reason != CORS_REASON_NONE)
            return v;
    }
    return PASS;
}

/* The limits are checked before anything is read, so a huge header costs
   no more than a normal one. */
static CORS__INLINE cors_reason headers_size(const cors_request *r)
{
    size_t k, sum = 0;

    if (r->request_headers_count > CORS_MAX_REQUEST_HEADERS_NAMES)
        return CORS_REASON_HEADERS_TOO_LONG;
    for (k = 0; k < r->request_headers_count; k++) {
        if (r->request_headers[k].len > CORS_MAX_REQUEST_HEADERS_BYTES)
            return CORS_REASON_HEADERS_TOO_LONG;
        sum += r->request_headers[k].len;
    }
    return sum > CORS_MAX_REQUEST_HEADERS_BYTES ? CORS_REASON_HEADERS_TOO_LONG : CORS_REASON_NONE;
}

/* Every line, name by name: several lines, or names that are not all
   configured ones. */
static CORS__NOINLINE verdict check_header_lines(const cors_policy *p, const cors_request *r)
{
    size_t k;
    unsigned names = 0, empties = 0;

    if (p->any_header && !p->settings[CORS__S_CREDENTIALS])
        return check_headers_any(p, r);
    if (headers_size(r) != CORS_REASON_NONE)
        return refuse(CORS_REASON_HEADERS_TOO_LONG, NULL, 0);
    for (k = 0; k < r->request_headers_count; k++) {
        verdict v = check_header_line(p, r->request_headers[k].ptr, r->request_headers[k].len,
                                      CORS_MAX_REQUEST_HEADERS_NAMES, &names, &empties);
        if (v.reason != CORS_REASON_NONE)
            return v;
    }
    return PASS;
}

static CORS__INLINE verdict check_headers(const cors_policy *p, const cors_request *r)
{
    const cors_str *h = r->request_headers;

    /* A single line too long to read, and the usual single line of
       configured names, in one pass. */
    if (r->request_headers_count == 1 && !p->any_header) {
        if (h->len > CORS_MAX_REQUEST_HEADERS_BYTES)
            return refuse(CORS_REASON_HEADERS_TOO_LONG, NULL, 0);
        if (h->len != 0 && headers_fast(p, h->ptr, h->len))
            return PASS;
    }
    if (r->request_headers_count == 0)
        return PASS;
    return check_header_lines(p, r);
}

static void trim(const char **s, size_t *n)
{
    while (*n > 0 && (is_ows((*s)[0]) || (*s)[0] == ','))
        (*s)++, (*n)--;
    while (*n > 0 && (is_ows((*s)[*n - 1]) || (*s)[*n - 1] == ','))
        (*n)--;
}

/* Joins the validated request lines into buf as one list; -1 when buf is
   missing or too small. */
static int join_lines(const cors_request *r, char *buf, size_t size, size_t *len_out)
{
    size_t k, len = 0;

    for (k = 0; k < r->request_headers_count; k++) {
        const char *s = r->request_headers[k].ptr;
        size_t sn = r->request_headers[k].len;
        trim(&s, &sn);
        if (sn == 0)
            continue;
        if (!buf || len + sn + 2 > size)
            return -1;
        if (len) {
            memcpy(buf + len, ", ", 2);
            len += 2;
        }
        memcpy(buf + len, s, sn);
        len += sn;
    }
    *len_out = len;
    return 0;
}


/* Several lines joined on this function's own stack: only this rare case
   pays for the buffer. */
static CORS__NOINLINE int put_joined_on_stack(out o, const cors_request *r)
{
    char buf[CORS_SCRATCH_SIZE];
    size_t len;

    join_lines(r, buf, sizeof buf, &len);
    if (len == 0)
        return 0;
    return put(o, LIT(CORS__H_ALLOW_HEADERS), buf, len, CORS_HEADER_SET) ? 1 : 0;
}

/* With credentials, browsers read "*" literally (Fetch 4.8 step 7.6), so
   the validated request list is echoed (unless it names nothing).  One
   line is echoed as it is; several are joined into scratch.  Returns 0, 1
   when the emitter stops, or -1 when the caller's scratch is too small. */
static int put_echo(out o, const cors_request *r)
{
    const char *v;
    size_t n;

    if (r->request_headers_count == 1) {
        v = r->request_headers[0].ptr;
        n = r->request_headers[0].len;
        trim(&v, &n);
    } else if (!o.sc) {
        return put_joined_on_stack(o, r);
    } else {
        if (join_lines(r, o.sc->buf, o.sc->size, &n) != 0)
            return -1;
        v = o.sc->buf;
    }
    if (n == 0)
        return 0;
    return put(o, LIT(CORS__H_ALLOW_HEADERS), v, n, CORS_HEADER_SET) ? 1 : 0;
}

/* -------------------------------------------------------------- decision */

/* The decision fills the result; the headers are then emitted from it in
   one pass, so the emitter sees a complete result (cors.h). */

static CORS__INLINE verdict check_private_network(const cors_policy *p, const cors_request *r)
{
    if (!r->request_private_network)
        return PASS;
    if (r->request_private_network_len != 4 ||
        memcmp(r->request_private_network, "true", 4) != 0)
        return refuse(CORS_REASON_PRIVATE_NETWORK_MALFORMED, r->request_private_network,
                      r->request_private_network_len);
    if (!p->settings[CORS__S_PRIVATE_NETWORK])
        return refuse(CORS_REASON_PRIVATE_NETWORK_NOT_ALLOWED, r->request_private_network,
                      r->request_private_network_len);
    return PASS;
}

/* ---------------------------------------------------------- header lines */

/* r is in this version's layout (decide_old_request). */
static CORS__INLINE unsigned field_flags(const cors_request *r)
{
    return r->field_flags;
}

/* The name of a header the request sent on several lines although it
   comes once (cors_fields_add() noted it), or NULL. */
static const char *repeated_field(unsigned flags)
{
    if (flags & CORS_FIELD_ORIGIN_REPEATED)
        return CORS__H_ORIGIN;
    if (flags & CORS_FIELD_METHOD_REPEATED)
        return CORS__H_REQUEST_METHOD;
    if (flags & CORS_FIELD_PRIVATE_NETWORK_REPEATED)
        return CORS__H_REQUEST_PRIVATE_NETWORK;
    return NULL;
}

/* A preflight whose header lines alone deny it: no user agent repeats
   these headers, and lines that were not kept are never guessed at. */
static CORS__INLINE verdict check_lines(const cors_policy *p, const cors_request *r)
{
    unsigned flags = field_flags(r);
    const char *name;

    (void)p;
    if (!flags)
        return PASS;
    if ((name = repeated_field(flags)) != NULL)
        return refuse(CORS_REASON_FIELD_REPEATED, name, strlen(name));
    if (flags & CORS_FIELD_HEADERS_OVERFLOW)
        return refuse(CORS_REASON_HEADERS_TOO_LONG, LIT(CORS__H_REQUEST_HEADERS));
    return PASS;
}

/* Fetch 4.8 step 7 from the server's side: the first check that refuses
   names the reason. */
static CORS__INLINE verdict check_preflight(const cors_policy *p, const cors_request *r)
{
    verdict v;

    if ((v = check_lines(p, r)).reason != CORS_REASON_NONE ||
        (v = check_origin(p, r)).reason != CORS_REASON_NONE ||
        (v = check_method(p, r)).reason != CORS_REASON_NONE ||
        (v = check_headers(p, r)).reason != CORS_REASON_NONE)
        return v;
    return check_private_network(p, r);
}

static CORS__INLINE verdict check_actual(const cors_policy *p, const cors_request *r)
{
    /* Several Origin lines are no origin, whatever the policy (RFC 6454
       section 7.3: a user agent sends one). */
    if (field_flags(r) & CORS_FIELD_ORIGIN_REPEATED)
        return refuse(CORS_REASON_FIELD_REPEATED, LIT(CORS__H_ORIGIN));
    if (p->any_origin)
        return PASS;
    return check_origin(p, r);
}

/* A request from the server's own pages (lib/same_origin.c). */
static CORS__INLINE int own_origin(const cors_policy *p, const cors_request *r)
{
    return !(field_flags(r) & CORS_FIELD_ORIGIN_REPEATED) && cors__same_origin(p, r);
}

/* A length without a pointer cannot be read safely: non-zero then. */
static CORS__INLINE size_t view_bad(const char *p, size_t n)
{
    return p ? 0 : n;
}

/* The list of Access-Control-Request-Headers lines, and its first line. */
static CORS__INLINE size_t first_line_bad(const cors_request *r)
{
    if (r->request_headers_count == 0)
        return 0;
    return r->request_headers
               ? view_bad(r->request_headers[0].ptr, r->request_headers[0].len)
               : 1;
}

/* The views whose pointers the dispatch does not test anyway.  Those it
   tests (Origin, Access-Control-Request-Method) have their lengths looked
   at only where it finds them NULL (answer()); the lines past the first
   are lines_bad()'s.  Every one is checked before anything is decided. */
static CORS__INLINE int views_bad(const cors_request *r)
{
    /* A branch each, on the member that usually settles it (the method
       is sent, the other views mostly are not), so that no register is
       held for the rest. */
    return (!r->method && r->method_len) ||
           (r->request_private_network_len && !r->request_private_network) ||
           (r->scheme_len && !r->scheme) || (r->host_len && !r->host) || first_line_bad(r);
}

/* The lines past the first: bounded, since beyond this many lines a
   preflight is denied unread. */
static int lines_bad(const cors_request *r)
{
    size_t k;

    for (k = 1; k < r->request_headers_count && k < CORS_MAX_REQUEST_HEADERS_NAMES; k++)
        if (view_bad(r->request_headers[k].ptr, r->request_headers[k].len))
            return 1;
    return 0;
}

/* Fetch 3.2.2: a preflight is OPTIONS (byte for byte: methods are case
   sensitive) with Origin and Access-Control-Request-Method. */
static CORS__INLINE int is_preflight(const cors_request *r)
{
    return r->request_method && r->method_len == 7 && memcmp(r->method, "OPTIONS", 7) == 0;
}

/* Every member of a result is in the 0.1.0 layout, the smallest accepted,
   so a result is never written past its struct_size (the ABI promise). */
_Static_assert(sizeof(cors_result) == CORS__RESULT_SIZE_0_1,
               "a newer cors_result member must be written only within struct_size");

static CORS__INLINE void put_result(cors_result *d, cors_outcome outcome, int status, verdict v)
{
    d->outcome = outcome;
    d->status = status;
    d->reason = v.reason;
    d->detail = v.detail;
    d->detail_len = v.detail_len;
}

/* ------------------------------------------------------------- emission */

/* What cors_evaluate() returns after the decision: the emitter stopped
   (EMIT) or the caller's scratch was too small (BUFFER_TOO_SMALL). */
#define STOPPED(rc) ((rc) < 0 ? CORS_ERR_BUFFER_TOO_SMALL : CORS_ERR_EMIT)

/* The headers of an accepted preflight. */
static CORS__INLINE cors_error emit_accepted(const cors_policy *p, const cors_request *r, out o)
{
    /* Kept in registers across the calls. */
    const cors_emit_fn fn = o.fn;
    void *const ctx = o.ctx;
    const int credentials = p->settings[CORS__S_CREDENTIALS] != 0;
    int rc;

    if (p->any_origin ? fn(ctx, LIT(CORS__H_ALLOW_ORIGIN), LIT("*"), CORS_HEADER_SET)
                      : fn(ctx, LIT(CORS__H_ALLOW_ORIGIN), r->origin, r->origin_len,
                           CORS_HEADER_SET))
        return CORS_ERR_EMIT;
    if (credentials &&
        fn(ctx, LIT(CORS__H_ALLOW_CREDENTIALS), LIT("true"), CORS_HEADER_SET))
        return CORS_ERR_EMIT;
    if (p->any_method && credentials) {
        if (fn(ctx, LIT(CORS__H_ALLOW_METHODS), r->request_method,
               r->request_method_len, CORS_HEADER_SET))
            return CORS_ERR_EMIT;
    } else if (p->allow_methods.len &&
               fn(ctx, LIT(CORS__H_ALLOW_METHODS), p->allow_methods.ptr,
                  p->allow_methods.len, CORS_HEADER_SET)) {
        return CORS_ERR_EMIT;
    }
    if (p->any_header && credentials) {
        if ((rc = put_echo(o, r)) != 0)
            return STOPPED(rc);
    } else if (p->allow_headers.len &&
               fn(ctx, LIT(CORS__H_ALLOW_HEADERS), p->allow_headers.ptr, p->allow_headers.len,
                  CORS_HEADER_SET)) {
        return CORS_ERR_EMIT;
    }
    if (p->max_age_text.len && fn(ctx, LIT(CORS__H_MAX_AGE), p->max_age_text.ptr,
                                  p->max_age_text.len, CORS_HEADER_SET))
        return CORS_ERR_EMIT;
    if (r->request_private_network &&
        fn(ctx, LIT(CORS__H_ALLOW_PRIVATE_NETWORK), LIT("true"), CORS_HEADER_SET))
        return CORS_ERR_EMIT;
    if (fn(ctx, LIT(CORS__H_VARY), p->vary_preflight.ptr, p->vary_preflight.len, CORS_HEADER_MERGE))
        return CORS_ERR_EMIT;
    return CORS_OK;
}

/* What an allowed actual request from a listed origin gets after
   Access-Control-Allow-Origin; non-zero when the emitter stops. */
static CORS__INLINE int put_allowed_more(const cors_policy *p, out o)
{
    return (p->settings[CORS__S_CREDENTIALS] &&
            put(o, LIT(CORS__H_ALLOW_CREDENTIALS), LIT("true"), CORS_HEADER_SET)) ||
           (p->expose_headers.len && put(o, LIT(CORS__H_EXPOSE_HEADERS), p->expose_headers.ptr,
                                         p->expose_headers.len, CORS_HEADER_SET));
}

/* The headers of an actual request (or of one that is not CORS). */
static CORS__INLINE cors_error emit_actual(const cors_policy *p, const cors_request *r, out o,
                                           cors_outcome outcome)
{
    /* With "*" the response is the same for every origin, and for requests
       without one, so caches need no Vary and CORS requests never get a
       cached copy that lacks the header.  (Only a forged request, with
       several Origin lines, is disallowed there: it gets Vary alone.) */
    if (p->any_origin && outcome != CORS_OUTCOME_ACTUAL_DISALLOWED)
        return put(o, LIT(CORS__H_ALLOW_ORIGIN), LIT("*"), CORS_HEADER_SET) ||
                       (p->expose_headers.len &&
                        put(o, LIT(CORS__H_EXPOSE_HEADERS), p->expose_headers.ptr,
                            p->expose_headers.len, CORS_HEADER_SET))
                   ? CORS_ERR_EMIT
                   : CORS_OK;
    if (outcome == CORS_OUTCOME_ACTUAL_ALLOWED &&
        (put(o, LIT(CORS__H_ALLOW_ORIGIN), r->origin, r->origin_len, CORS_HEADER_SET) ||
         (p->allowed_more && put_allowed_more(p, o))))
        return CORS_ERR_EMIT;
    /* Fetch 3.2.3 / CORS and caching: the answer depends on Origin, so every
       response says so, including those to requests without one. */
    if (put(o, LIT(CORS__H_VARY), LIT(CORS__H_ORIGIN), CORS_HEADER_MERGE))
        return CORS_ERR_EMIT;
    return CORS_OK;
}

/* ------------------------------------------------------------- answers */

/* Each kind of request is decided, its result filled and its headers
   emitted by a function of its own, out of line: the entry (decide) keeps
   nothing across a call and ends in a jump to one of them, so each saves
   only the registers its own calls need.  The result is complete before
   the first header (cors.h).  Their parameters are in cors_evaluate()'s
   order, so the entry passes them on without moving them. */

static CORS__INLINE out make_out(cors_emit_fn fn, void *ctx, const scratch *sc)
{
    out o;

    o.fn = fn;
    o.ctx = ctx;
    o.sc = sc;
    return o;
}

/* Fetch 4.8 step 7 from the server's side. */
static CORS__NOINLINE cors_error answer_preflight(const cors_policy *p, const cors_request *r,
                                                  cors_emit_fn fn, void *ctx, cors_result *res,
                                                  const scratch *sc)
{
    verdict v = check_preflight(p, r);

    if (v.reason == CORS_REASON_NONE) {
        put_result(res, CORS_OUTCOME_PREFLIGHT_ACCEPTED,
                   (int)p->settings[CORS__S_PREFLIGHT_STATUS], v);
        return emit_accepted(p, r, make_out(fn, ctx, sc));
    }
    put_result(res, CORS_OUTCOME_PREFLIGHT_DENIED, (int)p->settings[CORS__S_DENIED_STATUS], v);
    /* Fetch 3.2.3: a denied preflight carries no CORS header at all, but
       it still varies with the request headers a cache must key on. */
    return fn(ctx, LIT(CORS__H_VARY), p->vary_preflight.ptr, p->vary_preflight.len,
              CORS_HEADER_MERGE)
               ? CORS_ERR_EMIT
               : CORS_OK;
}

/* An allowed actual request: the result, then the headers. */
static CORS__INLINE cors_error answer_allowed(const cors_policy *p, const cors_request *r,
                                              cors_emit_fn fn, void *ctx, cors_result *res)
{
    put_result(res, CORS_OUTCOME_ACTUAL_ALLOWED, 0, PASS);
    return emit_actual(p, r, make_out(fn, ctx, NULL), CORS_OUTCOME_ACTUAL_ALLOWED);
}

/* An actual request that answer_actual() could not settle at once. */
static CORS__NOINLINE cors_error answer_actual_checked(const cors_policy *p,
                                                       const cors_request *r, cors_emit_fn fn,
                                                       void *ctx, cors_result *res)
{
    verdict v = check_actual(p, r);

    if (v.reason != CORS_REASON_NONE) {
        put_result(res, CORS_OUTCOME_ACTUAL_DISALLOWED, 0, v);
        return emit_actual(p, r, make_out(fn, ctx, NULL), CORS_OUTCOME_ACTUAL_DISALLOWED);
    }
    return answer_allowed(p, r, fn, ctx, res);
}

/* answer_actual() for an origin of hash h whose first slot holds another
   one: the probe goes on from there. */
static CORS__NOINLINE cors_error answer_actual_probing(const cors_policy *p,
                                                       const cors_request *r, cors_emit_fn fn,
                                                       void *ctx, cors_result *res, uint32_t h)
{
    if (!exact_hashed(p, r, h))
        return answer_actual_checked(p, r, fn, ctx, res);
    return answer_allowed(p, r, fn, ctx, res);
}

/* An actual request with one Origin to check.  The usual one, from an
   exact origin at the first slot its hash picks (as nearly every one is,
   in a table at most half full), is answered here, holding no probe
   loop's registers, only what the emitter calls need; any other goes on
   with nothing held. */
static CORS__NOINLINE cors_error answer_actual(const cors_policy *p, const cors_request *r,
                                               cors_emit_fn fn, void *ctx, cors_result *res)
{
    const cors__str_slot *slot;
    uint32_t h;

    if (!exact_length(p, r))
        return answer_actual_checked(p, r, fn, ctx, res);
    h = origin_hash(r);
    slot = cors__str_first(p->exact, p->exact_shift, h);
    if (cors__str_holds(slot, h, r->origin, r->origin_len, CORS__SAME_CASE_LONG))
        return answer_allowed(p, r, fn, ctx, res);
    if (slot->len == 0)
        return answer_actual_checked(p, r, fn, ctx, res);
    return answer_actual_probing(p, r, fn, ctx, res, h);
}

/* A request that is not CORS (outcome CORS_OUTCOME_NOT_CORS or
   CORS_OUTCOME_SAME_ORIGIN): nothing to check. */
static CORS__NOINLINE cors_error answer_plain(const cors_policy *p, const cors_request *r,
                                              cors_emit_fn fn, void *ctx, cors_result *res,
                                              cors_outcome outcome)
{
    put_result(res, outcome, 0, PASS);
    return emit_actual(p, r, make_out(fn, ctx, NULL), outcome);
}

/* The result of a request that cannot be read. */
static cors_error invalid(cors_result *res)
{
    put_result(res, CORS_OUTCOME_NOT_CORS, 0, PASS);
    return CORS_ERR_INVALID_ARGUMENT;
}

/* The answer to a readable request from another origin. */
static CORS__INLINE cors_error answer_cors(const cors_policy *p, const cors_request *r,
                                           cors_emit_fn fn, void *ctx, cors_result *res,
                                           const scratch *sc)
{
    if (is_preflight(r))
        return answer_preflight(p, r, fn, ctx, res, sc);
    /* Tested here, where no register is held, so that answer_actual()
       keeps none for it. */
    if (field_flags(r) & CORS_FIELD_ORIGIN_REPEATED)
        return answer_actual_checked(p, r, fn, ctx, res);
    return answer_actual(p, r, fn, ctx, res);
}

/* A request with an Origin, where the server's own origin is known. */
static CORS__NOINLINE cors_error answer_origin(const cors_policy *p, const cors_request *r,
                                               cors_emit_fn fn, void *ctx, cors_result *res,
                                               const scratch *sc)
{
    /* Not CORS at all, preflight-shaped or not: answered as usual. */
    if (own_origin(p, r))
        return answer_plain(p, r, fn, ctx, res, CORS_OUTCOME_SAME_ORIGIN);
    return answer_cors(p, r, fn, ctx, res, sc);
}

/* A request whose other views are readable.  The quick tests keep the
   common case, where no server origin is known, free of the same-origin
   check. */
static CORS__INLINE cors_error answer(const cors_policy *p, const cors_request *r,
                                      cors_emit_fn fn, void *ctx, cors_result *res,
                                      const scratch *sc)
{
    if (!r->origin)
        return r->origin_len || view_bad(r->request_method, r->request_method_len)
                   ? invalid(res)
                   : answer_plain(p, r, fn, ctx, res, CORS_OUTCOME_NOT_CORS);
    if (!r->request_method && r->request_method_len)
        return invalid(res);
    if (p->nserver_origins || r->host)
        return answer_origin(p, r, fn, ctx, res, sc);
    return answer_cors(p, r, fn, ctx, res, sc);
}

/* A request of several Access-Control-Request-Headers lines (rare). */
static CORS__NOINLINE cors_error answer_lines(const cors_policy *p, const cors_request *r,
                                              cors_emit_fn fn, void *ctx, cors_result *res,
                                              const scratch *sc)
{
    if (lines_bad(r))
        return invalid(res);
    return answer(p, r, fn, ctx, res, sc);
}

static cors_error decide_old_request(const cors_policy *p, const cors_request *r,
                                     cors_emit_fn fn, void *ctx, cors_result *res,
                                     const scratch *sc);

/* The entry: every path ends in a jump to the function that answers, so
   this one keeps nothing across a call. */
static CORS__INLINE cors_error decide(const cors_policy *p, const cors_request *r,
                                      cors_emit_fn fn, void *ctx, cors_result *res,
                                      const scratch *sc)
{
    if (!p || !r || !res)
        return CORS_ERR_INVALID_ARGUMENT;
    if (res->struct_size < CORS__RESULT_SIZE_0_1)
        return CORS_ERR_STRUCT_SIZE;
    if (r->struct_size < sizeof *r)
        return r->struct_size < CORS__REQUEST_SIZE_0_1 ? CORS_ERR_STRUCT_SIZE
                                                       : decide_old_request(p, r, fn, ctx, res, sc);
    if (views_bad(r))
        return invalid(res);
    if (r->request_headers_count > 1)
        return answer_lines(p, r, fn, ctx, res, sc);
    return answer(p, r, fn, ctx, res, sc);
}

/* The 0.1.0 layout is the smallest accepted (the ABI promise): the members
   past a caller's struct_size are absent, so the request is read through a
   copy in this version's layout where they are.  Every value the result
   points to is one the copy points to as well. */
static CORS__NOINLINE cors_error decide_old_request(const cors_policy *p, const cors_request *r,
                                                    cors_emit_fn fn, void *ctx,
                                                    cors_result *res, const scratch *sc)
{
    cors_request full;

    memset(&full, 0, sizeof full);
    memcpy(&full, r, CORS__REQUEST_SIZE_0_1);
    full.struct_size = sizeof full;
    /* Only whole members: never a pointer cut by struct_size. */
    if (CORS__REQUEST_HAS(r, host_len)) {
        full.scheme = r->scheme;
        full.scheme_len = r->scheme_len;
        full.host = r->host;
        full.host_len = r->host_len;
    }
    if (CORS__REQUEST_HAS(r, field_flags))
        full.field_flags = r->field_flags;
    return decide(p, &full, fn, ctx, res, sc);
}

static int emit_nothing(void *ctx, const char *name, size_t name_len, const char *value,
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

cors_error cors_evaluate(const cors_policy *policy, const cors_request *request,
                         cors_emit_fn emit, void *ctx, cors_result *result)
{
    return decide(policy, request, emit ? emit : emit_nothing, ctx, result, NULL);
}

/* cors_evaluate_headers()'s emitter: fills the array while it has room
   and counts every header, so that the caller learns how many it needs. */
typedef struct array_out {
    cors_header *h;
    size_t capacity, n;
} array_out;

static int emit_to_array(void *ctx, const char *name, size_t name_len, const char *value,
                         size_t value_len, unsigned flags)
{
    array_out *a = ctx;

    if (a->n < a->capacity) {
        cors_header *h = &a->h[a->n];
        h->name = name;
        h->name_len = name_len;
        h->value = value;
        h->value_len = value_len;
        h->flags = flags;
    }
    a->n++;
    return 0;
}

cors_error cors_evaluate_headers(const cors_policy *policy, const cors_request *request,
                                 cors_header *headers, size_t capacity, size_t *count,
                                 char *scratch_buf, size_t scratch_size, cors_result *result)
{
    array_out a;
    scratch sc;
    cors_error e;

    if (!count || (capacity && !headers))
        return CORS_ERR_INVALID_ARGUMENT;
    *count = 0;
    a.h = headers;
    a.capacity = capacity;
    a.n = 0;
    /* A caller's NULL scratch must fail where one is needed, never fall
       back to a buffer that dies with this call. */
    sc.buf = scratch_buf;
    sc.size = scratch_buf ? scratch_size : 0;
    e = decide(policy, request, emit_to_array, &a, result, &sc);
    if (e != CORS_OK)
        return e;
    *count = a.n;
    if (a.n > capacity)
        return CORS_ERR_BUFFER_TOO_SMALL;
    return CORS_OK;
}
