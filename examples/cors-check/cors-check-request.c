/*
 * cors-check-request.c - a strict, bounded reader for HTTP/1.x request heads.
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
static int is_tchar(unsigned char c)
{
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
        return 1;
    return c != '\0' && strchr("!#$%&'*+-.^_`|~", c) != NULL;
}

static int is_ows(char c) { return c == ' ' || c == '\t'; }

static int eq_nocase(const char *s, size_t n, const char *lit)
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

static cc_parse_status fail(unsigned *line_out, unsigned line, char *msg, size_t size,
                            const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 5, 6)))
#endif
    ;

static cc_parse_status fail(unsigned *line_out, unsigned line, char *msg, size_t size,
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

static cc_parse_status request_line(cc_request *r, const char *s, size_t n, unsigned line,
                                    unsigned *line_out, char *msg, size_t size)
{
    size_t i = 0, target;
    char q[128];

    cc_quote(q, sizeof q, s, n, 60);
    while (i < n && is_tchar((unsigned char)s[i]))
        i++;
    if (i < n && s[i] == ':')
        return fail(line_out, line, msg, size,
                    "%s looks like a header line, but the request line comes first, e.g. "
                    EXAMPLE_LINE, q);
    if (i == 0 || i == n || s[i] != ' ')
        return fail(line_out, line, msg, size,
                    "malformed request line %s: expected METHOD SP TARGET SP HTTP/1.x, e.g. "
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
        return fail(line_out, line, msg, size,
                    "malformed request line %s: expected METHOD SP TARGET SP HTTP/1.x, e.g. "
                    EXAMPLE_LINE, q);
    i++;
    if (n - i != 8 || memcmp(s + i, "HTTP/1.", 7) != 0 || s[i + 7] < '0' || s[i + 7] > '9')
        return fail(line_out, line, msg, size,
                    "request line %s does not end in an HTTP/1.x version such as \"HTTP/1.1\"", q);
    return CC_PARSE_OK;
}

static cc_parse_status header_line(cc_request *r, const char *s, size_t n, unsigned line,
                                   unsigned *line_out, char *msg, size_t size)
{
    const char *colon, *v;
    size_t name_len, i, vn;
    char q[128];
    int rc = 0;

    cc_quote(q, sizeof q, s, n, 60);
    if (is_ows(s[0]))
        return fail(line_out, line, msg, size,
                    "line %s starts with whitespace, which continues the previous header "
                    "(obsolete line folding, RFC 9112, 5.2): not accepted; put the whole "
                    "value on one line", q);
    colon = memchr(s, ':', n);
    if (!colon)
        return fail(line_out, line, msg, size,
                    "header line %s has no colon; expected \"Name: value\"", q);
    name_len = (size_t)(colon - s);
    if (name_len == 0)
        return fail(line_out, line, msg, size, "header line %s has an empty name", q);
    if (is_ows(s[name_len - 1]))
        return fail(line_out, line, msg, size,
                    "header line %s has whitespace between the name and the colon, which "
                    "RFC 9112 (5.1) forbids", q);
    for (i = 0; i < name_len; i++) {
        if (!is_tchar((unsigned char)s[i])) {
            char c[16];
            cc_quote(c, sizeof c, s + i, 1, 1);
            return fail(line_out, line, msg, size,
                        "header line %s: the name contains %s, which is not allowed in a "
                        "header name", q, c);
        }
    }
    v = colon + 1;
    vn = n - name_len - 1;
    while (vn > 0 && is_ows(v[0]))
        v++, vn--;
    while (vn > 0 && is_ows(v[vn - 1]))
        vn--;
    if (eq_nocase(s, name_len, "origin"))
        rc = field_add(&r->origin, v, vn);
    else if (eq_nocase(s, name_len, "access-control-request-method"))
        rc = field_add(&r->request_method, v, vn);
    else if (eq_nocase(s, name_len, "access-control-request-private-network"))
        rc = field_add(&r->private_network, v, vn);
    else if (eq_nocase(s, name_len, "access-control-request-headers"))
        rc = headers_add(r, v, vn);
    return rc == 0 ? CC_PARSE_OK : CC_PARSE_NOMEM;
}

cc_parse_status cc_request_parse(cc_request *r, const char *data, size_t len, int truncated,
                                 unsigned *line_out, char *msg, size_t size)
{
    size_t pos = 0;
    unsigned line = 0;
    int seen_request_line = 0;
    cc_parse_status st;

    memset(r, 0, sizeof *r);
    *line_out = 0;
    if (size)
        msg[0] = '\0';
    while (pos < len) {
        const char *s = data + pos;
        const char *nl = memchr(s, '\n', len - pos);
        size_t n = nl ? (size_t)(nl - s) : len - pos;
        size_t next = nl ? pos + n + 1 : len;

        line++;
        if (!nl && truncated)
            return fail(line_out, line, msg, size,
                        "the request head goes on beyond %u bytes without an empty line "
                        "ending it", CC_HEAD_MAX);
        if (n > 0 && s[n - 1] == '\r')
            n--;
        /* RFC 9110, 5.5: NUL and a lone CR in a field are dangerous (they
           split or truncate headers in other parsers); reject them. */
        if (memchr(s, '\0', n))
            return fail(line_out, line, msg, size, "the line contains a NUL byte");
        if (memchr(s, '\r', n))
            return fail(line_out, line, msg, size,
                        "the line contains a carriage return that is not followed by a "
                        "line feed");
        pos = next;
        if (n == 0) {
            /* RFC 9112, 2.2: empty lines before the request line are
               ignored; after it, one ends the head. */
            if (!seen_request_line)
                continue;
            return CC_PARSE_OK;
        }
        if (!seen_request_line) {
            st = request_line(r, s, n, line, line_out, msg, size);
            seen_request_line = 1;
        } else {
            st = header_line(r, s, n, line, line_out, msg, size);
        }
        if (st != CC_PARSE_OK)
            return st;
    }
    if (truncated)
        return fail(line_out, line, msg, size,
                    "the request head goes on beyond %u bytes without an empty line ending it",
                    CC_HEAD_MAX);
    if (!seen_request_line)
        return fail(line_out, 0, msg, size,
                    "the request is empty: no request line such as " EXAMPLE_LINE);
    return CC_PARSE_OK;
}

void cc_request_free(cc_request *r)
{
    free(r->origin.joined);
    free(r->request_method.joined);
    free(r->private_network.joined);
    free(r->request_headers);
    memset(r, 0, sizeof *r);
}

void cc_request_fill(const cc_request *r, cors_request *out)
{
    cors_request_init(out);
    out->method = r->method;
    out->method_len = r->method_len;
    out->origin = r->origin.ptr;
    out->origin_len = r->origin.len;
    out->request_method = r->request_method.ptr;
    out->request_method_len = r->request_method.len;
    out->request_private_network = r->private_network.ptr;
    out->request_private_network_len = r->private_network.len;
    out->request_headers = r->request_headers;
    out->request_headers_count = r->request_headers_count;
}
