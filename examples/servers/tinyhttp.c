/*
 * tinyhttp.c - strict, bounded HTTP/1.1 request parsing (RFC 9112) and
 * response header handling for messages-server.
 *
 * Strictness is deliberate: every ambiguity a proxy and this server could
 * resolve differently (bare LF, whitespace before the colon, obsolete line
 * folding, conflicting Content-Length, Transfer-Encoding) is refused with
 * 400 or 411 instead of guessed, since guessing is how request smuggling
 * starts.
 *
 * Copyright (c) 2026 The libcors authors.  MIT licence, see COPYING.
 */
#define _POSIX_C_SOURCE 200809L

#include "tinyhttp.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* RFC 9110 5.6.2: tchar. */
static int is_tchar(unsigned char c)
{
    if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
        return 1;
    return c != 0 && strchr("!#$%&'*+-.^_`|~", c) != NULL;
}

/* Field value bytes (RFC 9110 5.5): visible ASCII, obs-text, SP and HTAB. */
static int is_field_byte(unsigned char c)
{
    return c == '\t' || (c >= 0x20 && c != 0x7f);
}

static int lower(int c)
{
    return (c >= 'A' && c <= 'Z') ? c + ('a' - 'A') : c;
}

int th_eq_nocase(const char *a, size_t n, const char *b)
{
    size_t i;

    for (i = 0; i < n; i++)
        if (b[i] == '\0' || lower((unsigned char)a[i]) != lower((unsigned char)b[i]))
            return 0;
    return b[n] == '\0';
}

static int fail(const char **why, const char *msg, int status)
{
    *why = msg;
    return status;
}

/* Finds the CRLF ending the line that starts at i; returns its offset, or
   (size_t)-1 when it has not arrived, or -2 for a bare CR or LF. */
static size_t line_end(const char *buf, size_t len, size_t i)
{
    for (; i < len; i++) {
        if (buf[i] == '\n')
            return (size_t)-2;
        if (buf[i] == '\r') {
            if (i + 1 == len)
                return (size_t)-1;
            return buf[i + 1] == '\n' ? i : (size_t)-2;
        }
    }
    return (size_t)-1;
}

static int parse_request_line(const char *s, size_t n, th_request *req, const char **why)
{
    size_t i = 0, start;

    while (i < n && is_tchar((unsigned char)s[i]))
        i++;
    if (i == 0 || i == n || s[i] != ' ')
        return fail(why, "malformed method in the request line", 400);
    req->method.ptr = s;
    req->method.len = i;
    start = ++i;
    while (i < n && s[i] > 0x20 && s[i] < 0x7f)
        i++;
    if (i == start || i == n || s[i] != ' ')
        return fail(why, "malformed request target", 400);
    req->target.ptr = s + start;
    req->target.len = i - start;
    i++;
    if (n - i != 8 || memcmp(s + i, "HTTP/", 5) != 0 || s[i + 5] < '0' || s[i + 5] > '9' ||
        s[i + 6] != '.' || s[i + 7] < '0' || s[i + 7] > '9')
        return fail(why, "malformed HTTP version", 400);
    if (s[i + 5] != '1')
        return fail(why, "only HTTP/1.x is supported", 505);
    req->version_minor = s[i + 7] - '0';

    /* Origin-form only (RFC 9112 3.2.1); a fragment never belongs in it. */
    if (req->target.ptr[0] != '/')
        return fail(why, "the request target must start with '/'", 400);
    if (memchr(req->target.ptr, '#', req->target.len))
        return fail(why, "a fragment in the request target", 400);
    req->path = req->target;
    req->query.ptr = NULL;
    req->query.len = 0;
    {
        const char *q = memchr(req->target.ptr, '?', req->target.len);
        if (q) {
            req->path.len = (size_t)(q - req->target.ptr);
            req->query.ptr = q + 1;
            req->query.len = req->target.len - req->path.len - 1;
        }
    }
    return TH_COMPLETE;
}

static int parse_field(const char *s, size_t n, th_field *f, const char **why)
{
    size_t i = 0, end;

    if (n > 0 && (s[0] == ' ' || s[0] == '\t'))
        return fail(why, "obsolete line folding in a header field", 400);
    while (i < n && is_tchar((unsigned char)s[i]))
        i++;
    if (i == 0 || i == n || s[i] != ':')
        return fail(why, "malformed header field name", 400);
    f->name.ptr = s;
    f->name.len = i;
    i++;
    while (i < n && (s[i] == ' ' || s[i] == '\t'))
        i++;
    end = n;
    while (end > i && (s[end - 1] == ' ' || s[end - 1] == '\t'))
        end--;
    for (size_t k = i; k < end; k++)
        if (!is_field_byte((unsigned char)s[k]))
            return fail(why, "control character in a header field value", 400);
    f->value.ptr = s + i;
    f->value.len = end - i;
    return TH_COMPLETE;
}

static int parse_content_length(const th_str *v, size_t *out)
{
    size_t i, n = 0;

    if (v->len == 0 || v->len > 9)
        return v->len == 0 ? -1 : -2;
    for (i = 0; i < v->len; i++) {
        if (v->ptr[i] < '0' || v->ptr[i] > '9')
            return -1;
        n = n * 10 + (size_t)(v->ptr[i] - '0');
    }
    *out = n;
    return 0;
}

/* Checks the fields the message framing depends on. */
static int check_framing(th_request *req, const char **why)
{
    size_t i, n_cl = 0, n_host = 0;
    size_t cl = 0;

    for (i = 0; i < req->nfields; i++) {
        const th_field *f = &req->fields[i];
        if (th_eq_nocase(f->name.ptr, f->name.len, "content-length")) {
            size_t v = 0;
            int e = parse_content_length(&f->value, &v);
            if (e == -2)
                return fail(why, "request body too large", 413);
            if (e != 0)
                return fail(why, "malformed Content-Length", 400);
            if (n_cl++ > 0 && v != cl)
                return fail(why, "conflicting Content-Length fields", 400);
            cl = v;
        } else if (th_eq_nocase(f->name.ptr, f->name.len, "transfer-encoding")) {
            /* Chunked bodies are not supported; 411 tells the client a
               Content-Length would be accepted.  Both at once is a
               smuggling attempt (RFC 9112 6.3). */
            if (th_field_count(req, "content-length", NULL))
                return fail(why, "both Transfer-Encoding and Content-Length", 400);
            return fail(why, "Transfer-Encoding is not supported; send Content-Length", 411);
        } else if (th_eq_nocase(f->name.ptr, f->name.len, "host")) {
            n_host++;
        } else if (th_eq_nocase(f->name.ptr, f->name.len, "expect")) {
            if (!th_eq_nocase(f->value.ptr, f->value.len, "100-continue"))
                return fail(why, "unsupported Expect", 417);
            req->expect_continue = 1;
        }
    }
    /* RFC 9112 3.2: exactly one Host in HTTP/1.1. */
    if (n_host > 1 || (n_host == 0 && req->version_minor >= 1))
        return fail(why, "HTTP/1.1 needs exactly one Host field", 400);
    if (cl > TH_MAX_BODY)
        return fail(why, "request body too large", 413);
    req->content_length = cl;
    return TH_COMPLETE;
}

int th_parse_head(const char *buf, size_t len, th_request *req, const char **why)
{
    size_t i = 0, e;
    int st;

    memset(req, 0, sizeof *req);
    *why = "";
    if (len > TH_MAX_HEAD)
        len = TH_MAX_HEAD;
    /* RFC 9112 2.2: empty lines before the request line are ignored. */
    while (i + 1 < len && buf[i] == '\r' && buf[i + 1] == '\n')
        i += 2;
    e = line_end(buf, len, i);
    if (e == (size_t)-2)
        return fail(why, "bare CR or LF in the request line", 400);
    if (e == (size_t)-1)
        return len - i >= TH_MAX_LINE ? fail(why, "request line too long", 414)
               : len == TH_MAX_HEAD   ? fail(why, "request header section too large", 431)
                                      : TH_INCOMPLETE;
    if (e - i >= TH_MAX_LINE)
        return fail(why, "request line too long", 414);
    st = parse_request_line(buf + i, e - i, req, why);
    if (st != TH_COMPLETE)
        return st;
    i = e + 2;
    for (;;) {
        e = line_end(buf, len, i);
        if (e == (size_t)-2)
            return fail(why, "bare CR or LF in the header section", 400);
        if (e == (size_t)-1)
            return len == TH_MAX_HEAD ? fail(why, "request header section too large", 431)
                                      : TH_INCOMPLETE;
        if (e == i)
            break;
        if (req->nfields == TH_MAX_FIELDS)
            return fail(why, "too many header fields", 431);
        st = parse_field(buf + i, e - i, &req->fields[req->nfields], why);
        if (st != TH_COMPLETE)
            return st;
        req->nfields++;
        i = e + 2;
    }
    req->head_len = e + 2;
    return check_framing(req, why);
}

size_t th_field_count(const th_request *req, const char *name, th_str *first)
{
    size_t i, n = 0;

    for (i = 0; i < req->nfields; i++) {
        if (!th_eq_nocase(req->fields[i].name.ptr, req->fields[i].name.len, name))
            continue;
        if (n++ == 0 && first)
            *first = req->fields[i].value;
    }
    return n;
}

/* ---------------------------------------------------------------- response */

void th_response_init(th_response *r, int status)
{
    r->status = status;
    r->nfields = 0;
    r->used = 0;
    r->failed = 0;
    r->body = NULL;
    r->body_len = 0;
}

static int safe_bytes(const char *s, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++)
        if (s[i] == '\r' || s[i] == '\n' || s[i] == '\0')
            return 0;
    return 1;
}

static int store(th_response *r, const char *s, size_t n, size_t *off)
{
    if (n > sizeof r->arena - r->used) {
        r->failed = 1;
        return -1;
    }
    memcpy(r->arena + r->used, s, n);
    *off = r->used;
    r->used += n;
    return 0;
}

static int name_is(const th_response *r, size_t i, const char *name, size_t n)
{
    size_t k;

    if (r->f[i].name_len != n)
        return 0;
    for (k = 0; k < n; k++)
        if (lower((unsigned char)r->arena[r->f[i].name_off + k]) != lower((unsigned char)name[k]))
            return 0;
    return 1;
}

void th_add(th_response *r, const char *name, size_t name_len, const char *value,
            size_t value_len)
{
    size_t i = r->nfields;

    /* Defence in depth: no byte that could split the header section ever
       reaches the wire, whoever computed the value. */
    if (i == TH_MAX_RESP_FIELDS || !safe_bytes(name, name_len) || !safe_bytes(value, value_len)) {
        r->failed = 1;
        return;
    }
    if (store(r, name, name_len, &r->f[i].name_off) != 0 ||
        store(r, value, value_len, &r->f[i].value_off) != 0)
        return;
    r->f[i].name_len = name_len;
    r->f[i].value_len = value_len;
    r->nfields++;
}

void th_set(th_response *r, const char *name, size_t name_len, const char *value,
            size_t value_len)
{
    size_t i, k = 0;

    for (i = 0; i < r->nfields; i++)
        if (!name_is(r, i, name, name_len))
            r->f[k++] = r->f[i];
    r->nfields = k;
    th_add(r, name, name_len, value, value_len);
}

static void trim(const char **s, size_t *n)
{
    while (*n > 0 && ((*s)[0] == ' ' || (*s)[0] == '\t'))
        (*s)++, (*n)--;
    while (*n > 0 && ((*s)[*n - 1] == ' ' || (*s)[*n - 1] == '\t'))
        (*n)--;
}

/* Is element (e, n) already in the comma-separated list (s, len)? */
static int list_has(const char *s, size_t len, const char *e, size_t n)
{
    size_t i = 0;

    while (i <= len) {
        const char *c = memchr(s + i, ',', len - i);
        size_t end = c ? (size_t)(c - s) : len;
        const char *t = s + i;
        size_t tn = end - i;
        size_t k;
        trim(&t, &tn);
        /* "Vary: *" already covers every field name. */
        if (tn == 1 && t[0] == '*')
            return 1;
        if (tn == n) {
            for (k = 0; k < n && lower((unsigned char)t[k]) == lower((unsigned char)e[k]); k++)
                ;
            if (k == n)
                return 1;
        }
        i = end + 1;
    }
    return 0;
}

void th_merge(th_response *r, const char *name, size_t name_len, const char *value,
              size_t value_len)
{
    size_t i, k = 0, off;
    char buf[TH_ARENA_SIZE];
    size_t n;

    for (i = 0; i < r->nfields && !name_is(r, i, name, name_len); i++)
        ;
    if (i == r->nfields) {
        th_add(r, name, name_len, value, value_len);
        return;
    }
    if (!safe_bytes(value, value_len)) {
        r->failed = 1;
        return;
    }
    n = r->f[i].value_len;
    memcpy(buf, r->arena + r->f[i].value_off, n);
    while (k <= value_len) {
        const char *c = memchr(value + k, ',', value_len - k);
        size_t end = c ? (size_t)(c - value) : value_len;
        const char *t = value + k;
        size_t tn = end - k;
        trim(&t, &tn);
        if (tn > 0 && !list_has(buf, n, t, tn)) {
            if (n + 2 + tn > sizeof buf) {
                r->failed = 1;
                return;
            }
            if (n > 0) {
                memcpy(buf + n, ", ", 2);
                n += 2;
            }
            memcpy(buf + n, t, tn);
            n += tn;
        }
        k = end + 1;
    }
    if (store(r, buf, n, &off) != 0)
        return;
    r->f[i].value_off = off;
    r->f[i].value_len = n;
}

void th_set_str(th_response *r, const char *name, const char *value)
{
    th_set(r, name, strlen(name), value, strlen(value));
}

void th_merge_str(th_response *r, const char *name, const char *value)
{
    th_merge(r, name, strlen(name), value, strlen(value));
}

const char *th_get(const th_response *r, const char *name, size_t *len)
{
    size_t i, n = strlen(name);

    for (i = 0; i < r->nfields; i++) {
        if (name_is(r, i, name, n)) {
            *len = r->f[i].value_len;
            return r->arena + r->f[i].value_off;
        }
    }
    return NULL;
}

const char *th_reason(int status)
{
    switch (status) {
    case 100: return "Continue";
    case 200: return "OK";
    case 201: return "Created";
    case 204: return "No Content";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 408: return "Request Timeout";
    case 411: return "Length Required";
    case 413: return "Content Too Large";
    case 414: return "URI Too Long";
    case 415: return "Unsupported Media Type";
    case 417: return "Expectation Failed";
    case 431: return "Request Header Fields Too Large";
    case 500: return "Internal Server Error";
    case 503: return "Service Unavailable";
    case 505: return "HTTP Version Not Supported";
    default: return status >= 200 && status < 300 ? "OK" : "Unknown";
    }
}

char *th_serialize(const th_response *r, int head_only, size_t *len)
{
    /* RFC 9110 6.4.1 / 8.6: 1xx, 204 and 304 never carry a body, and 1xx
       and 204 never carry Content-Length either. */
    int no_body = (r->status >= 100 && r->status < 200) || r->status == 204 || r->status == 304;
    size_t cap = 256 + r->used + 4 * r->nfields + (no_body || head_only ? 0 : r->body_len);
    char *out = malloc(cap);
    size_t n = 0, i;
    char date[64];
    time_t now = time(NULL);
    struct tm tm;

    if (!out)
        return NULL;
    if (!gmtime_r(&now, &tm) || strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S GMT", &tm) == 0)
        date[0] = '\0';
    n += (size_t)snprintf(out + n, cap - n, "HTTP/1.1 %d %s\r\nDate: %s\r\n", r->status,
                          th_reason(r->status), date);
    for (i = 0; i < r->nfields; i++) {
        memcpy(out + n, r->arena + r->f[i].name_off, r->f[i].name_len);
        n += r->f[i].name_len;
        memcpy(out + n, ": ", 2);
        n += 2;
        memcpy(out + n, r->arena + r->f[i].value_off, r->f[i].value_len);
        n += r->f[i].value_len;
        memcpy(out + n, "\r\n", 2);
        n += 2;
    }
    if (!(r->status < 200 || r->status == 204))
        n += (size_t)snprintf(out + n, cap - n, "Content-Length: %zu\r\n",
                              no_body ? (size_t)0 : r->body_len);
    /* One request per connection keeps the server simple and its limits
       per connection obvious; HTTP/1.1 clients handle it. */
    n += (size_t)snprintf(out + n, cap - n, "Connection: close\r\n\r\n");
    if (!no_body && !head_only && r->body_len) {
        memcpy(out + n, r->body, r->body_len);
        n += r->body_len;
    }
    *len = n;
    return out;
}
