/*
 * cors-check-request.c - a strict, bounded reader for request heads:
 * HTTP/1.x, Chrome's HTTP/2 copy and the request lines of curl -v.
 *
 * The grammar is RFC 9112 (HTTP/1.1 message syntax): a request line, then
 * field lines "name: value", ending at an empty line.  Where RFC 9112 lets
 * a recipient either repair or reject (obsolete line folding, a bare CR,
 * whitespace before the colon), this reader rejects: cors-check exists to
 * debug requests, and silently repairing one would hide the very problem a
 * user is looking for.  Nothing here trusts the input: every loop is
 * bounded by the length, and nothing is read past it.
 */
#include "cors-check-request.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* RFC 9110, 5.6.2: tchar. */
int cc_is_tchar(unsigned char c)
{
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
        return 1;
    return c != '\0' && strchr("!#$%&'*+-.^_`|~", c) != NULL;
}

int cc_is_token(const char *s, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++)
        if (!cc_is_tchar((unsigned char)s[i]))
            return 0;
    return n > 0;
}

static int is_ows(char c) { return c == ' ' || c == '\t'; }

int cc_eq_nocase(const char *s, size_t n, const char *lit)
{
    size_t i;

    if (strlen(lit) != n)
        return 0;
    for (i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 'A' && c <= 'Z')
            c = (unsigned char)(c + 32);
        if (c != (unsigned char)lit[i])
            return 0;
    }
    return 1;
}

void cc_quote(char *out, size_t size, const char *s, size_t n, size_t max)
{
    static const char hex[] = "0123456789abcdef";
    size_t i, o = 0;

    if (size == 0)
        return;
    /* Each input byte takes at most 4 output bytes; stop while the closing
       quote, an ellipsis and the NUL still fit. */
#define PUT(ch) (out[o++] = (char)(ch))
    if (size < 8) {
        out[0] = '\0';
        return;
    }
    PUT('"');
    for (i = 0; i < n && i < max && o + 4 + 5 < size; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20 && c < 0x7f && c != '\\' && c != '"') {
            PUT(c);
        } else {
            PUT('\\');
            PUT('x');
            PUT(hex[c >> 4]);
            PUT(hex[c & 15]);
        }
    }
    PUT('"');
    if (i < n) {
        PUT('.');
        PUT('.');
        PUT('.');
    }
    out[o] = '\0';
#undef PUT
}

cc_parse_status cc_fail(unsigned *line_out, unsigned line, char *msg, size_t size,
                        const char *fmt, ...)
{
    va_list ap;

    *line_out = line;
    va_start(ap, fmt);
    vsnprintf(msg, size, fmt, ap);
    va_end(ap);
    return CC_PARSE_ERROR;
}

static int field_add(cc_field *f, const char *v, size_t n)
{
    size_t need;

    if (f->lines == 0) {
        f->ptr = v;
        f->len = n;
        f->lines = 1;
        return 0;
    }
    /* Amortized growth: a head made of thousands of Origin lines costs
       linear time, not quadratic. */
    need = f->len + 2 + n;
    if (need > f->joined_cap) {
        size_t cap = f->joined_cap ? f->joined_cap : 64;
        char *p;
        while (cap < need)
            cap *= 2;
        p = realloc(f->joined, cap);
        if (!p)
            return -1;
        if (!f->joined)
            memcpy(p, f->ptr, f->len);
        f->joined = p;
        f->joined_cap = cap;
    }
    memcpy(f->joined + f->len, ", ", 2);
    memcpy(f->joined + f->len + 2, v, n);
    f->len = need;
    f->ptr = f->joined;
    f->lines++;
    return 0;
}

static int headers_add(cc_request *r, const char *v, size_t n)
{
    if (r->request_headers_count == r->request_headers_cap) {
        size_t cap = r->request_headers_cap ? r->request_headers_cap * 2 : 8;
        cors_str *p = realloc(r->request_headers, cap * sizeof *p);
        if (!p)
            return -1;
        r->request_headers = p;
        r->request_headers_cap = cap;
    }
    r->request_headers[r->request_headers_count].ptr = v;
    r->request_headers[r->request_headers_count].len = n;
    r->request_headers_count++;
    return 0;
}

#define EXAMPLE_LINE "\"OPTIONS /messages/ HTTP/1.1\""

/* What a copied request line may end in: HTTP/1.x, and the "HTTP/2" and
   "HTTP/3" that Firefox and curl -v write for those protocols. */
int cc_known_version(const char *s, size_t n)
{
    return (n == 8 && memcmp(s, "HTTP/1.", 7) == 0 && s[7] >= '0' && s[7] <= '9') ||
           (n == 6 && (memcmp(s, "HTTP/2", 6) == 0 || memcmp(s, "HTTP/3", 6) == 0));
}

static cc_parse_status request_line(cc_request *r, const char *s, size_t n, unsigned line,
                                    unsigned *line_out, char *msg, size_t size)
{
    size_t i = 0, target;
    char q[128];

    cc_quote(q, sizeof q, s, n, 60);
    while (i < n && cc_is_tchar((unsigned char)s[i]))
        i++;
    if (i < n && s[i] == ':')
        return cc_fail(line_out, line, msg, size,
                       "%s looks like a header line, but the request line comes first, e.g. "
                       EXAMPLE_LINE, q);
    if (i == 0 || i == n || s[i] != ' ')
        return cc_fail(line_out, line, msg, size,
                       "malformed request line %s: expected METHOD SP TARGET SP VERSION, e.g. "
                       EXAMPLE_LINE, q);
    r->method = s;
    r->method_len = i;
    target = ++i;
    /* A request-target has no whitespace or control characters
       (RFC 9112, 3.2); bytes above 0x7e are let through, since the target
       does not matter to CORS. */
    while (i < n && (unsigned char)s[i] > 0x20 && (unsigned char)s[i] != 0x7f)
        i++;
    if (i == target || i == n || s[i] != ' ')
        return cc_fail(line_out, line, msg, size,
                       "malformed request line %s: expected METHOD SP TARGET SP VERSION, e.g. "
                       EXAMPLE_LINE, q);
    r->target = s + target;
    r->target_len = i - target;
    i++;
    if (!cc_known_version(s + i, n - i))
        return cc_fail(line_out, line, msg, size,
                       "request line %s does not end in an HTTP version: HTTP/1.0, HTTP/1.1, "
                       "HTTP/2 or HTTP/3", q);
    return CC_PARSE_OK;
}

static int is_cors_field(const char *name, size_t n)
{
    return cc_eq_nocase(name, n, "origin") ||
           cc_eq_nocase(name, n, "access-control-request-method") ||
           cc_eq_nocase(name, n, "access-control-request-private-network") ||
           cc_eq_nocase(name, n, "access-control-request-headers");
}

int cc_header_push(cors_header **arr, size_t *n, size_t *cap, const char *name, size_t nn,
                   const char *v, size_t vn)
{
    cors_header *h;

    if (*n == *cap) {
        size_t ncap = *cap ? *cap * 2 : 8;
        cors_header *p = realloc(*arr, ncap * sizeof *p);
        if (!p)
            return -1;
        *arr = p;
        *cap = ncap;
    }
    h = &(*arr)[(*n)++];
    h->name = name;
    h->name_len = nn;
    h->value = v;
    h->value_len = vn;
    h->flags = 0;
    return 0;
}

int cc_request_field(cc_request *r, const char *name, size_t name_len, const char *v,
                     size_t vn)
{
    while (vn > 0 && is_ows(v[0]))
        v++, vn--;
    while (vn > 0 && is_ows(v[vn - 1]))
        vn--;
    if (is_cors_field(name, name_len) &&
        cc_header_push(&r->cors_lines, &r->cors_count, &r->cors_cap, name, name_len, v, vn) != 0)
        return -1;
    if (cc_eq_nocase(name, name_len, "origin"))
        return field_add(&r->origin, v, vn);
    if (cc_eq_nocase(name, name_len, "access-control-request-method"))
        return field_add(&r->request_method, v, vn);
    if (cc_eq_nocase(name, name_len, "access-control-request-private-network"))
        return field_add(&r->private_network, v, vn);
    if (cc_eq_nocase(name, name_len, "access-control-request-headers"))
        return headers_add(r, v, vn);
    /* A cross-origin request carries cookies only in credentials mode
       "include". */
    if (cc_eq_nocase(name, name_len, "cookie"))
        r->cookie = 1;
    return 0;
}

cc_parse_status cc_field_check(const char *s, size_t n, size_t skip, size_t *name_out,
                               unsigned line, unsigned *line_out, char *msg, size_t size)
{
    const char *colon;
    size_t name_len, i;
    char q[128];

    cc_quote(q, sizeof q, s, n, 60);
    if (is_ows(s[0]))
        return cc_fail(line_out, line, msg, size,
                       "line %s starts with whitespace, which continues the previous header "
                       "(obsolete line folding, RFC 9112, 5.2): not accepted; put the whole "
                       "value on one line", q);
    colon = memchr(s + skip, ':', n - skip);
    if (!colon)
        return cc_fail(line_out, line, msg, size,
                       "header line %s has no colon; expected \"Name: value\"", q);
    name_len = (size_t)(colon - s);
    if (name_len == skip)
        return cc_fail(line_out, line, msg, size, "header line %s has an empty name", q);
    if (is_ows(s[name_len - 1]))
        return cc_fail(line_out, line, msg, size,
                       "header line %s has whitespace between the name and the colon, which "
                       "RFC 9112 (5.1) forbids", q);
    for (i = skip; i < name_len; i++) {
        if (!cc_is_tchar((unsigned char)s[i])) {
            char c[16];
            cc_quote(c, sizeof c, s + i, 1, 1);
            return cc_fail(line_out, line, msg, size,
                           "header line %s: the name contains %s, which is not allowed in a "
                           "header name", q, c);
        }
    }
    *name_out = name_len;
    return CC_PARSE_OK;
}

static cc_parse_status header_line(cc_request *r, const char *s, size_t n, size_t skip,
                                   unsigned line, unsigned *line_out, char *msg, size_t size)
{
    size_t name_len;
    cc_parse_status st = cc_field_check(s, n, skip, &name_len, line, line_out, msg, size);

    if (st != CC_PARSE_OK || skip)
        return st;
    return cc_request_field(r, s, name_len, s + name_len + 1, n - name_len - 1) == 0
               ? CC_PARSE_OK
               : CC_PARSE_NOMEM;
}

/* The reader's state across lines. */
typedef struct reader {
    cc_request *r;
    cc_format format;
    int started;      /* the request line (or first pseudo-header) was read */
    int regular;      /* H2: a regular header line was read */
    int done;         /* the head ended */
    unsigned *line_out;
    char *msg;
    size_t size;
} reader;

/* Chrome's HTTP/2 copy: ":method: GET", ":authority: ...", ":scheme: ...",
   ":path: ..." and then the headers (RFC 9113, 8.3: pseudo-header fields
   come first). */
static cc_parse_status h2_line(reader *rd, const char *s, size_t n, unsigned line)
{
    cc_parse_status st;
    const char *v;
    size_t vn, name_len;
    char q[128];

    if (n == 0 || s[0] != ':') {
        if (!rd->started)
            return cc_fail(rd->line_out, line, rd->msg, rd->size,
                           "expected a pseudo-header line such as \":method: OPTIONS\" first");
        rd->regular = 1;
        return header_line(rd->r, s, n, 0, line, rd->line_out, rd->msg, rd->size);
    }
    cc_quote(q, sizeof q, s, n, 60);
    if (rd->regular)
        return cc_fail(rd->line_out, line, rd->msg, rd->size,
                       "pseudo-header line %s after a regular header: they come first "
                       "(RFC 9113, 8.3)", q);
    st = header_line(rd->r, s, n, 1, line, rd->line_out, rd->msg, rd->size);
    if (st != CC_PARSE_OK)
        return st;
    rd->started = 1;
    /* header_line() found the colon after the name. */
    v = (const char *)memchr(s + 1, ':', n - 1) + 1;
    name_len = (size_t)(v - s);
    vn = n - name_len;
    while (vn > 0 && is_ows(v[0]))
        v++, vn--;
    if (cc_eq_nocase(s, name_len, ":method:")) {
        while (vn > 0 && is_ows(v[vn - 1]))
            vn--;
        if (vn == 0 || rd->r->method || !cc_is_token(v, vn))
            return cc_fail(rd->line_out, line, rd->msg, rd->size,
                           "%s: expected one :method line with a method such as OPTIONS", q);
        rd->r->method = v;
        rd->r->method_len = vn;
    } else if (cc_eq_nocase(s, name_len, ":path:")) {
        rd->r->target = v;
        rd->r->target_len = vn;
    }
    return CC_PARSE_OK;
}

static cc_parse_status http1_line(reader *rd, const char *s, size_t n, unsigned line)
{
    if (n == 0) {
        /* RFC 9112, 2.2: empty lines before the request line are ignored;
           after it, one ends the head. */
        rd->done = rd->started;
        return CC_PARSE_OK;
    }
    if (!rd->started) {
        rd->started = 1;
        return request_line(rd->r, s, n, line, rd->line_out, rd->msg, rd->size);
    }
    return header_line(rd->r, s, n, 0, line, rd->line_out, rd->msg, rd->size);
}

/* NUL and a lone CR are dangerous in a field (RFC 9110, 5.5: they split or
   truncate headers in other parsers); every line read is refused for them. */
static cc_parse_status clean_line(reader *rd, const char *s, size_t n, unsigned line)
{
    if (memchr(s, '\0', n))
        return cc_fail(rd->line_out, line, rd->msg, rd->size, "the line contains a NUL byte");
    if (memchr(s, '\r', n))
        return cc_fail(rd->line_out, line, rd->msg, rd->size,
                       "the line contains a carriage return that is not followed by a "
                       "line feed");
    return CC_PARSE_OK;
}

static cc_parse_status one_line(reader *rd, const char *s, size_t n, unsigned line)
{
    cc_parse_status st;

    if (rd->format == CC_FORMAT_CURL_V) {
        /* curl -v writes the request as "> " lines, ending with ">" or
           "> "; everything else ("*", "<", "{", progress) is not ours. */
        if (n == 0 || s[0] != '>') {
            rd->done = rd->started;
            return CC_PARSE_OK;
        }
        s++, n--;
        if (n > 0 && s[0] == ' ')
            s++, n--;
    }
    st = clean_line(rd, s, n, line);
    if (st != CC_PARSE_OK)
        return st;
    if (rd->format == CC_FORMAT_H2) {
        if (n == 0) {
            rd->done = rd->started;
            return CC_PARSE_OK;
        }
        return h2_line(rd, s, n, line);
    }
    return http1_line(rd, s, n, line);
}

size_t cc_line(const char *data, size_t len, size_t pos, size_t *next)
{
    const char *s = data + pos, *nl = memchr(s, '\n', len - pos);
    size_t n = nl ? (size_t)(nl - s) : len - pos;

    *next = nl ? pos + n + 1 : len;
    if (nl && n > 0 && s[n - 1] == '\r')
        n--;
    return n;
}

static cc_parse_status finish(reader *rd, unsigned line, int truncated)
{
    if (truncated)
        return cc_fail(rd->line_out, line, rd->msg, rd->size,
                       "the request head goes on beyond %u bytes without an empty line "
                       "ending it", CC_HEAD_MAX);
    if (rd->started && rd->format == CC_FORMAT_H2 && !rd->r->method)
        return cc_fail(rd->line_out, 0, rd->msg, rd->size,
                       "the request has no \":method:\" pseudo-header line");
    if (rd->started)
        return CC_PARSE_OK;
    if (rd->format == CC_FORMAT_CURL_V)
        return cc_fail(rd->line_out, 0, rd->msg, rd->size,
                       "no request lines starting with \"> \" (is this the output of curl -v?)");
    if (rd->format == CC_FORMAT_H2)
        return cc_fail(rd->line_out, 0, rd->msg, rd->size,
                       "the request is empty: no pseudo-header line such as \":method: "
                       "OPTIONS\"");
    return cc_fail(rd->line_out, 0, rd->msg, rd->size,
                   "the request is empty: no request line such as " EXAMPLE_LINE);
}

cc_parse_status cc_request_parse(cc_request *r, cc_format format, const char *data, size_t len,
                                 int truncated, unsigned *line_out, char *msg, size_t size)
{
    reader rd = {r, format, 0, 0, 0, line_out, msg, size};
    size_t pos = 0, n, next;
    unsigned line = 0;
    cc_parse_status st;

    memset(r, 0, sizeof *r);
    *line_out = 0;
    if (size)
        msg[0] = '\0';
    while (pos < len && !rd.done) {
        n = cc_line(data, len, pos, &next);
        line++;
        if (next == len && truncated && data[len - 1] != '\n')
            break;
        st = one_line(&rd, data + pos, n, line);
        if (st != CC_PARSE_OK)
            return st;
        pos = next;
    }
    return finish(&rd, line, truncated && !rd.done);
}

void cc_request_free(cc_request *r)
{
    free(r->origin.joined);
    free(r->request_method.joined);
    free(r->private_network.joined);
    free(r->request_headers);
    free(r->owned);
    free(r->cors_lines);
    memset(r, 0, sizeof *r);
}

void cc_request_fill(const cc_request *r, cors_request *out, cors_fields *f)
{
    size_t i;

    cors_request_init(out);
    out->method = r->method;
    out->method_len = r->method_len;
    cors_fields_init(f, out);
    for (i = 0; i < r->cors_count; i++)
        cors_fields_add(f, r->cors_lines[i].name, r->cors_lines[i].name_len,
                        r->cors_lines[i].value, r->cors_lines[i].value_len);
}
