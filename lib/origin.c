/*
 * origin.c - strict parsing of serialized origins and origin patterns.
 *
 * An origin as browsers send it in the Origin header is the "ASCII
 * serialization of an origin" (HTML Standard; Fetch section 3.1 "Origin
 * header"): scheme "://" host [":" port], with the host already in the
 * canonical form of the URL Standard's host serializer.  Anything else
 * cannot come from a browser, so it is never matched; in a policy it is
 * refused with a precise reason, because a non-canonical entry would
 * silently never match.
 */
#include "origin.h"
#include "origin_fast.h"
#include "hash.h"

#include <string.h>

static int is_lower(unsigned char c) { return c >= 'a' && c <= 'z'; }
static int is_upper(unsigned char c) { return c >= 'A' && c <= 'Z'; }

static int hexval(unsigned char c)
{
    if (cors__is_digit(c))
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1; /* upper case is not canonical, so it is not accepted */
}

static cors__origin_err parse_scheme(const char *s, size_t n, size_t *pos, int *scheme)
{
    size_t i = 0;

    while (i < n && s[i] != ':' && s[i] != '/')
        i++;
    if (i == n || s[i] != ':')
        return CORS__O_SCHEME;
    if (i == 4 && cors__eq_nocase(s, "file", 4))
        return CORS__O_FILE;
    if (i == 4 && cors__eq_nocase(s, "http", 4))
        *scheme = CORS__HTTP;
    else if (i == 5 && cors__eq_nocase(s, "https", 5))
        *scheme = CORS__HTTPS;
    else
        return CORS__O_SCHEME;
    if (memcmp(s, *scheme == CORS__HTTPS ? "https" : "http", i) != 0)
        return CORS__O_SCHEME_CASE;
    if (n - i < 3 || s[i + 1] != '/' || s[i + 2] != '/')
        return CORS__O_NO_SLASHES;
    *pos = i + 3;
    return CORS__O_OK;
}

/* URL Standard "ends in a number": the last label is all digits or 0x-hex,
   so the URL parser would read the whole host as an IPv4 address. */
static int ends_in_number(const char *h, size_t n)
{
    size_t start = n, i;

    while (start > 0 && h[start - 1] != '.')
        start--;
    if (start == n)
        return 0;
    if (n - start >= 2 && h[start] == '0' && (h[start + 1] == 'x' || h[start + 1] == 'X')) {
        /* Only "0x" plus hex digits parses as an IPv4 number ("a.0xg" is
           a domain). */
        for (i = start + 2; i < n; i++)
            if (hexval((unsigned char)cors__lower((unsigned char)h[i])) < 0)
                return 0;
        return 1;
    }
    for (i = start; i < n; i++)
        if (!cors__is_digit((unsigned char)h[i]))
            return 0;
    return 1;
}

/* Only the canonical dotted-decimal form: four parts, 0..255, no leading
   zeros (the URL Standard's IPv4 serializer). */
static cors__origin_err parse_ipv4(const char *h, size_t n)
{
    size_t i = 0;
    int part;

    for (part = 0; part < 4; part++) {
        unsigned v = 0;
        size_t start = i;
        while (i < n && cors__is_digit((unsigned char)h[i]) && i - start < 4)
            v = v * 10 + (unsigned)(h[i++] - '0');
        if (i == start || i - start > 3 || v > 255 || (h[start] == '0' && i - start > 1))
            return CORS__O_IPV4;
        if (part < 3) {
            if (i >= n || h[i] != '.')
                return CORS__O_IPV4;
            i++;
        }
    }
    return i == n ? CORS__O_OK : CORS__O_IPV4;
}

/* The host without the one trailing dot browsers keep when a page's URL has
   it ("http://app.example.test.:8080" is an origin of its own). */
static size_t without_trailing_dot(const char *h, size_t n)
{
    return n > 1 && h[n - 1] == '.' ? n - 1 : n;
}

/* Every "xn--" label decodes (policies only: see punycode.c). */
static cors__origin_err check_a_labels(const char *h, size_t n)
{
    size_t i = 0, start;

    while (i < n) {
        start = i;
        while (i < n && h[i] != '.')
            i++;
        if (i - start >= 4 && memcmp(h + start, "xn--", 4) == 0 &&
            !cors__punycode_label_ok(h + start, i - start))
            return CORS__O_PUNYCODE;
        i++;
    }
    return CORS__O_OK;
}

/* A domain as the URL Standard serializes it: labels of a-z, 0-9, "-" and
   "_", none empty except for one trailing dot.  Browsers send hosts whose
   labels begin or end with "-" or hold "_" (the URL Standard allows both;
   DNS does not mind), so those are accepted.  A name over the DNS length
   limits (RFC 1035 2.3.4) cannot be resolved, so no page is loaded from
   it; "xn--" decoding is checked in policies only, where it catches typing
   mistakes. */
static cors__origin_err parse_domain(const char *h, size_t n, int patterns)
{
    size_t i, label = 0;
    int upper = 0;

    if (n == 0)
        return CORS__O_HOST_EMPTY;
    for (i = 0; i < n; i++)
        if ((unsigned char)h[i] >= 0x80)
            return CORS__O_HOST_UNICODE;
    n = without_trailing_dot(h, n);
    for (i = 0; i < n; i++) {
        unsigned char c = (unsigned char)h[i];
        if (c == '.') {
            if (label == 0)
                return CORS__O_HOST_LABEL;
            label = 0;
            continue;
        }
        if (c == '*')
            return CORS__O_WILDCARD;
        if (is_upper(c))
            upper = 1;
        else if (!is_lower(c) && !cors__is_digit(c) && c != '-' && c != '_')
            return CORS__O_HOST_CHAR;
        if (++label > 63)
            return CORS__O_LABEL_LONG;
    }
    if (label == 0)
        return CORS__O_HOST_LABEL;
    if (n > 253)
        return CORS__O_HOST_LONG;
    if (upper)
        return CORS__O_HOST_CASE;
    return patterns ? check_a_labels(h, n) : CORS__O_OK;
}

/* Serializes 8 pieces as the URL Standard's IPv6 serializer does: lower-case
   hex without leading zeros, the first longest run of two or more zero
   pieces compressed to "::". */
static size_t ipv6_serialize(const unsigned pieces[8], char out[40])
{
    int best = -1, best_len = 1, i;
    size_t o = 0;

    for (i = 0; i < 8; i++) {
        int j = i;
        while (j < 8 && pieces[j] == 0)
            j++;
        if (j - i > best_len) {
            best = i;
            best_len = j - i;
        }
        if (j > i)
            i = j - 1;
    }
    for (i = 0; i < 8; i++) {
        int shift, started = 0;
        if (i == best) {
            out[o++] = ':';
            if (i == 0)
                out[o++] = ':';
            i += best_len - 1;
            continue;
        }
        for (shift = 12; shift >= 0; shift -= 4) {
            unsigned d = (pieces[i] >> shift) & 15;
            if (d || started || shift == 0) {
                out[o++] = cors__hex[d];
                started = 1;
            }
        }
        if (i != 7)
            out[o++] = ':';
    }
    return o;
}

/* The IPv4 address of an IPv4-mapped IPv6 address (RFC 4291 2.5.5.2,
   ::ffff:a.b.c.d), in whichever form it is written; 0 when it is none. */
static int ipv4_mapped(const char *h, size_t n, const unsigned pieces[8], int parsed,
                       unsigned char v4[4])
{
    static const char *const prefixes[] = {"::ffff:", "0:0:0:0:0:ffff:"};
    size_t k, p;

    if (parsed) {
        for (k = 0; k < 5; k++)
            if (pieces[k] != 0)
                return 0;
        if (pieces[5] != 0xffff)
            return 0;
        v4[0] = (unsigned char)(pieces[6] >> 8);
        v4[1] = (unsigned char)(pieces[6] & 0xff);
        v4[2] = (unsigned char)(pieces[7] >> 8);
        v4[3] = (unsigned char)(pieces[7] & 0xff);
        return 1;
    }
    for (k = 0; k < 2; k++) {
        p = strlen(prefixes[k]);
        if (n > p && cors__eq_nocase(h, prefixes[k], p) && parse_ipv4(h + p, n - p) == CORS__O_OK)
            break;
    }
    if (k == 2)
        return 0;
    for (k = 0; k < 4; k++) {
        unsigned v = 0;
        while (p < n && h[p] != '.')
            v = v * 10 + (unsigned)(h[p++] - '0');
        v4[k] = (unsigned char)v;
        p++;
    }
    return 1;
}

static cors__origin_err parse_ipv6(const char *h, size_t n, int patterns, unsigned char v4[4])
{
    unsigned pieces[8] = {0}, tmp[8] = {0};
    int count = 0, compress = -1, k;
    size_t i = 0;
    char canon[40];

    /* A policy names the address as browsers send it, but a mapped address
       is a mistake whatever its form: pages on the IPv4 address send that. */
    if (patterns && memchr(h, '.', n) && ipv4_mapped(h, n, pieces, 0, v4))
        return CORS__O_IPV6_MAPPED;
    if (n < 2 || n > 39)
        return CORS__O_IPV6;
    if (h[0] == ':') {
        if (h[1] != ':')
            return CORS__O_IPV6;
        compress = 0;
        i = 2;
    }
    while (i < n) {
        unsigned v = 0;
        size_t start = i;
        if (count == 8)
            return CORS__O_IPV6;
        if (h[i] == ':') {
            if (compress != -1)
                return CORS__O_IPV6;
            compress = count;
            i++;
            continue;
        }
        while (i < n && i - start < 4 && hexval((unsigned char)h[i]) >= 0)
            v = v * 16 + (unsigned)hexval((unsigned char)h[i++]);
        if (i == start)
            return CORS__O_IPV6;
        tmp[count++] = v;
        if (i == n)
            break;
        if (h[i] != ':' || i + 1 == n)
            return CORS__O_IPV6;
        i++;
    }
    if ((compress == -1 && count != 8) || (compress != -1 && count == 8))
        return CORS__O_IPV6;
    if (compress == -1)
        compress = count;
    for (k = 0; k < compress; k++)
        pieces[k] = tmp[k];
    for (k = compress; k < count; k++)
        pieces[8 - (count - k)] = tmp[k];
    if (patterns && ipv4_mapped(h, n, pieces, 1, v4))
        return CORS__O_IPV6_MAPPED;
    if (ipv6_serialize(pieces, canon) != n || memcmp(canon, h, n) != 0)
        return CORS__O_IPV6;
    return CORS__O_OK;
}

static cors__origin_err parse_port(const char *p, size_t n, int patterns, int scheme,
                                   unsigned *port)
{
    unsigned v = 0;
    size_t i;

    if (n == 1 && p[0] == '*')
        return patterns ? (*port = CORS__PORT_ANY, CORS__O_OK) : CORS__O_WILDCARD;
    if (n == 0 || n > 5 || p[0] == '0')
        return CORS__O_PORT;
    for (i = 0; i < n; i++) {
        if (!cors__is_digit((unsigned char)p[i]))
            return memchr(p, '*', n) ? CORS__O_WILDCARD : CORS__O_PORT;
        v = v * 10 + (unsigned)(p[i] - '0');
    }
    if (v > 65535)
        return CORS__O_PORT;
    if ((scheme == CORS__HTTPS && v == 443) || (scheme == CORS__HTTP && v == 80))
        return CORS__O_PORT_DEFAULT;
    *port = v;
    return CORS__O_OK;
}

static cors__origin_err parse_host(const char *h, size_t n, int patterns, cors__origin *o)
{
    cors__origin_err e;

    if (n >= 2 && h[0] == '*' && h[1] == '.') {
        if (!patterns)
            return CORS__O_WILDCARD;
        o->subdomains = 1;
        h += 2;
        n -= 2;
        if (n > 0 && h[0] == '[')
            return CORS__O_WILDCARD_IP;
    }
    o->host = h;
    o->host_len = n;
    if (n > 0 && h[0] == '[') {
        o->host_kind = CORS__HOST_IPV6;
        if (h[n - 1] != ']')
            return CORS__O_IPV6;
        return parse_ipv6(h + 1, n - 2, patterns, o->v4);
    }
    e = parse_domain(h, n, patterns);
    if (e != CORS__O_OK && e != CORS__O_HOST_CASE)
        return e;
    /* The URL Standard drops a trailing dot before it looks for a number,
       so "1.2.3.4." is an IPv4 address, which is never sent so. */
    if (ends_in_number(h, without_trailing_dot(h, n))) {
        o->host_kind = CORS__HOST_IPV4;
        if (o->subdomains)
            return CORS__O_WILDCARD_IP;
        return parse_ipv4(h, n);
    }
    o->host_kind = CORS__HOST_DOMAIN;
    return e;
}

/* The bytes of v from v[from] on that a canonical lower-case domain cannot
   hold, as bits, and in *dots every ".".  The rarer bytes are tested only
   when some byte is neither a letter nor a dot. */
static CORS__INLINE unsigned window16(cors__win16 v, unsigned from, unsigned *dots)
{
    unsigned bad = ~cors__letters_dots16(v, dots) & (0xffffu << from) & 0xffffu;

    return bad ? bad & ~cors__other_domain16(v) : 0;
}

/* Where a scanned host ends (0 when it is not scanned: 64 bytes or
   more), and its dots, bit k set when host[k] is ".". */
typedef struct host_scan {
    size_t end;
    uint64_t dots;
} host_scan;

static CORS__INLINE host_scan scanned(size_t end, uint64_t dots)
{
    host_scan h;

    h.end = end;
    h.dots = dots;
    return h;
}

/* scan_host's last window, from s[i] to s[n - 1] (at most 16 bytes), after
   the dots before it (all). */
static CORS__INLINE host_scan scan_last(const char *s, size_t n, size_t host, size_t i,
                                        uint64_t all)
{
    unsigned skip = 16 - (unsigned)(n - i), bad, d;
    size_t end;

    /* The window ends at s[n - 1]; a bit past the end stops the scan
       there. */
    bad = window16(cors__win_last(s, n), skip, &d) >> skip | 1u << (n - i);
    d >>= skip;
    end = i + cors__low_bit(bad);
    return scanned(end - host < 64 ? end : 0,
                   all | (uint64_t)(d & ((bad & (0u - bad)) - 1)) << (i - host));
}

/* scan_host for a host region of over 16 bytes. */
static CORS__NOINLINE host_scan scan_long(const char *s, size_t n, size_t host)
{
    uint64_t all = 0;
    size_t i;
    unsigned bad, d;

    for (i = host; n - i > 16; i += 16) {
        if (i - host == 48)
            return scanned(0, 0);
        bad = window16(cors__win_load(s + i), 0, &d);
        if (bad)
            return scanned(i + cors__low_bit(bad),
                           all | (uint64_t)(d & ((bad & (0u - bad)) - 1)) << (i - host));
        all |= (uint64_t)d << (i - host);
    }
    return scan_last(s, n, host, i, all);
}

/* Scans a canonical lower-case domain of under 64 bytes from s[host] to
   the first byte that cannot be part of it (or to s[n]), 16 bytes at a
   time.  Needs n >= 8 and host < n. */
static CORS__INLINE host_scan scan_host(const char *s, size_t n, size_t host)
{
    return n - host > 16 ? scan_long(s, n, host) : scan_last(s, n, host, host, 0);
}

/* The common case as the fast paths see it: "http(s)://" and a lower-case
   domain of under 64 bytes, s[host..end), followed by nothing or by
   something the caller checks (s[end] on). */
typedef struct fast_origin {
    int scheme;
    size_t host, end;
    uint64_t dots;   /* bit k set when s[host + k] is "." */
} fast_origin;

/* The labels of a scanned host h[0..len) (len > 0) whose dots are the set
   bits of dots are what the fast paths accept. */
static CORS__INLINE int fast_labels(const char *h, size_t len, uint64_t dots)
{
    return !cors__empty_label(dots, 1, (uint64_t)1 << (len - 1)) && !cors__digit_led(h, dots);
}

/* Finds the common case's scheme and host in one pass; 0, leaving the
   verdict to the full parser, for anything else: IP addresses, a last
   label that starts with a digit, a trailing dot, upper case, wildcards
   and every error. */
static CORS__INLINE int fast_domain(const char *s, size_t n, fast_origin *f)
{
    host_scan h;

    f->host = cors__fast_scheme(s, n, &f->scheme);
    if (f->host == 0)
        return 0;
    h = scan_host(s, n, f->host);
    if (h.end <= f->host || !fast_labels(s + f->host, h.end - f->host, h.dots))
        return 0;
    f->end = h.end;
    f->dots = h.dots;
    return 1;
}

/* The port after a common-case host, s[end..n) = ":" and 1 to 5 digits
   with no leading zero, neither above 65535 nor the scheme's default
   (browsers omit it); 0 for anything else. */
static CORS__INLINE unsigned fast_port(const char *s, size_t end, size_t n, int scheme)
{
    unsigned port = 0;
    size_t i;

    if (s[end] != ':' || n - end < 2 || n - end > 6 || s[end + 1] == '0')
        return 0;
    for (i = end + 1; i < n; i++) {
        if (!cors__is_digit((unsigned char)s[i]))
            return 0;
        port = port * 10 + (unsigned)(s[i] - '0');
    }
    if (port > 65535 || port == (scheme == CORS__HTTPS ? 443u : 80u))
        return 0;
    return port;
}

/* The common case, filling *o exactly as the full parser below would;
   0 for anything else (see fast_domain; default ports too). */
static CORS__INLINE int parse_fast(const char *s, size_t n, cors__origin *o)
{
    fast_origin f;

    if (!fast_domain(s, n, &f))
        return 0;
    if (f.end == n) {
        o->explicit_port = 0;
        o->port = f.scheme == CORS__HTTPS ? 443 : 80;
    } else {
        o->explicit_port = 1;
        if ((o->port = fast_port(s, f.end, n, f.scheme)) == 0)
            return 0;
    }
    o->scheme = f.scheme;
    o->host = s + f.host;
    o->host_len = f.end - f.host;
    o->host_kind = CORS__HOST_DOMAIN;
    o->subdomains = 0;
    o->authority_end = n;
    o->dots_known = 1;
    o->dots = f.dots;
    return 1;
}

/* Everything parse_fast leaves alone, with the precise reason for each
   refusal.  Out of line, so that the common case does not set up its
   frame. */
CORS__NOINLINE cors__origin_err cors__origin_parse_full(const char *s, size_t n, int patterns, cors__origin *o)
{
    size_t pos = 0, i, auth_end, host_end;
    cors__origin_err e;

    memset(o, 0, sizeof *o);
    if (n == 0)
        return CORS__O_EMPTY;
    if (n == 4 && memcmp(s, "null", 4) == 0)
        return CORS__O_NULL;
    for (i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c <= 0x20 || c == 0x7f)
            return CORS__O_CTL;
    }
    e = parse_scheme(s, n, &pos, &o->scheme);
    if (e != CORS__O_OK)
        return e;

    /* The authority ends at the first "/", "?" or "#" (URL Standard). */
    auth_end = pos;
    while (auth_end < n && s[auth_end] != '/' && s[auth_end] != '?' && s[auth_end] != '#')
        auth_end++;
    o->authority_end = auth_end;
    if (memchr(s + pos, '@', auth_end - pos))
        return CORS__O_USERINFO;
    if (auth_end < n) {
        if (s[auth_end] == '?')
            return CORS__O_QUERY;
        if (s[auth_end] == '#')
            return CORS__O_FRAGMENT;
        return auth_end + 1 == n ? CORS__O_TRAILING_SLASH : CORS__O_PATH;
    }

    /* Split host and port: only an IPv6 literal may contain ':'. */
    host_end = pos;
    if (host_end < auth_end && s[host_end] == '[') {
        while (host_end < auth_end && s[host_end] != ']')
            host_end++;
        if (host_end == auth_end)
            return CORS__O_IPV6;
        host_end++;
    } else if (auth_end - pos >= 3 && s[pos] == '*' && s[pos + 1] == '.' && s[pos + 2] == '[') {
        return CORS__O_WILDCARD_IP;
    } else {
        while (host_end < auth_end && s[host_end] != ':')
            host_end++;
    }
    if (host_end == pos)
        return CORS__O_HOST_EMPTY;
    if (host_end < auth_end && s[host_end] != ':')
        return CORS__O_IPV6;

    e = parse_host(s + pos, host_end - pos, patterns, o);
    if (e != CORS__O_OK && e != CORS__O_HOST_CASE)
        return e;
    if (host_end < auth_end) {
        cors__origin_err pe;
        o->explicit_port = 1;
        pe = parse_port(s + host_end + 1, auth_end - host_end - 1, patterns, o->scheme,
                        &o->port);
        if (pe != CORS__O_OK)
            return pe;
    } else {
        o->port = o->scheme == CORS__HTTPS ? 443 : 80;
    }
    return e;
}

cors__origin_err cors__origin_parse(const char *s, size_t n, int patterns, cors__origin *o)
{
    /* parse_fast sets every field when it succeeds. */
    /* An "xn--" label has hyphens: most hosts have none, and one memchr
       then stands for the label-by-label check. */
    if (parse_fast(s, n, o))
        return patterns && memchr(o->host, '-', o->host_len)
                   ? check_a_labels(o->host, o->host_len)
                   : CORS__O_OK;
    return cors__origin_parse_full(s, n, patterns, o);
}

CORS__NOINLINE cors__origin_err cors__origin_verdict(const char *s, size_t n)
{
    cors__origin o;

    if (cors__origin_short_ok(s, n, 1))
        return CORS__O_OK;
    return cors__origin_parse(s, n, 0, &o);
}

void cors__sub_init(cors__sub *s, const cors__origin *pattern)
{
    unsigned char last[8] = {0}, mask[8] = {0};
    size_t k, i;

    s->dot_host = pattern->host - 1; /* the "." of "*." */
    s->len = pattern->host_len + 1;
    /* Byte by byte, so the words read as cors__load64 reads a host's end
       whatever the byte order. */
    k = s->len < 8 ? s->len : 8;
    for (i = 0; i < k; i++) {
        last[8 - k + i] = (unsigned char)s->dot_host[s->len - k + i];
        mask[8 - k + i] = 0xff;
    }
    memcpy(&s->last, last, 8);
    memcpy(&s->mask, mask, 8);
    s->port = pattern->port;
    s->scheme = pattern->scheme;
}

int cors__origin_is_loopback(const cors__origin *o)
{
    if (o->subdomains)
        return 0;
    switch (o->host_kind) {
    case CORS__HOST_DOMAIN:
        return o->host_len == 9 && memcmp(o->host, "localhost", 9) == 0;
    case CORS__HOST_IPV4:
        return o->host_len >= 4 && memcmp(o->host, "127.", 4) == 0;
    default:
        return o->host_len == 5 && memcmp(o->host, "[::1]", 5) == 0;
    }
}
