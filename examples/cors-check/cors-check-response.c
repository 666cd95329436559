/*
 * cors-check-response.c - a strict, bounded reader for response heads, so
 * that cors-check can judge what a server actually sent.  The line rules
 * are the request reader's (cc_field_check): a response is read with the
 * same care, since a malformed one is often the very bug being hunted.
 */
#include "cors-check-response.h"

#include <stdlib.h>
#include <string.h>

#define EXAMPLE_STATUS "\"HTTP/1.1 204 No Content\""

typedef struct rstate {
    cc_response *r;
    cc_format format;
    int started, done;
    unsigned *line_out;
    char *msg;
    size_t size;
} rstate;

static int add_header(cc_response *r, const char *name, size_t nn, const char *v, size_t vn)
{
    while (vn > 0 && (v[0] == ' ' || v[0] == '\t'))
        v++, vn--;
    while (vn > 0 && (v[vn - 1] == ' ' || v[vn - 1] == '\t'))
        vn--;
    return cc_header_push(&r->headers, &r->count, &r->cap, name, nn, v, vn);
}

/* Three digits, 100..599 (RFC 9110, 15). */
static int read_status(const char *s, size_t n)
{
    if (n < 3 || (n > 3 && s[3] != ' ') || s[0] < '1' || s[0] > '5' || s[1] < '0' ||
        s[1] > '9' || s[2] < '0' || s[2] > '9')
        return -1;
    return (s[0] - '0') * 100 + (s[1] - '0') * 10 + (s[2] - '0');
}

static cc_parse_status status_line(rstate *st, const char *s, size_t n, unsigned line)
{
    const char *sp = memchr(s, ' ', n);
    char q[128];
    int status = -1;

    cc_quote(q, sizeof q, s, n, 60);
    if (n > 8 && memcmp(s, ":status:", 8) == 0) {
        size_t i = 8;
        while (i < n && (s[i] == ' ' || s[i] == '\t'))
            i++;
        status = read_status(s + i, n - i);
        if (n - i != 3)
            status = -1;
    } else if (sp && cc_known_version(s, (size_t)(sp - s))) {
        status = read_status(sp + 1, n - (size_t)(sp - s) - 1);
    }
    if (status < 0)
        return cc_fail(st->line_out, line, st->msg, st->size,
                       "malformed status line %s: expected VERSION SP STATUS [SP REASON], "
                       "e.g. " EXAMPLE_STATUS, q);
    st->r->status = status;
    st->r->count = 0;
    st->started = 1;
    return CC_PARSE_OK;
}

static cc_parse_status response_line(rstate *st, const char *s, size_t n, unsigned line)
{
    size_t name_len;
    cc_parse_status ps;

    if (n == 0) {
        /* Interim 1xx heads come before the final one (RFC 9110, 15.2):
           read on for the next status line. */
        if (st->r->status >= 200)
            st->done = 1;
        else
            st->started = 0;
        return CC_PARSE_OK;
    }
    if (memchr(s, '\0', n) || memchr(s, '\r', n))
        return cc_fail(st->line_out, line, st->msg, st->size,
                       "the line contains a NUL byte or a carriage return not followed by a "
                       "line feed");
    if (!st->started)
        return status_line(st, s, n, line);
    ps = cc_field_check(s, n, 0, &name_len, line, st->line_out, st->msg, st->size);
    if (ps != CC_PARSE_OK)
        return ps;
    return add_header(st->r, s, name_len, s + name_len + 1, n - name_len - 1) == 0
               ? CC_PARSE_OK
               : CC_PARSE_NOMEM;
}

/* curl -v: the response is the "< " lines. */
static int curl_v_line(const char **s, size_t *n)
{
    if (*n == 0 || (*s)[0] != '<')
        return 0;
    (*s)++, (*n)--;
    if (*n > 0 && (*s)[0] == ' ')
        (*s)++, (*n)--;
    return 1;
}

cc_parse_status cc_response_parse(cc_response *r, cc_format format, const char *data, size_t len,
                                  int truncated, unsigned *line_out, char *msg, size_t size)
{
    rstate st = {r, format, 0, 0, line_out, msg, size};
    size_t pos = 0, next;
    unsigned line = 0;

    memset(r, 0, sizeof *r);
    *line_out = 0;
    if (size)
        msg[0] = '\0';
    while (pos < len && !st.done) {
        const char *s = data + pos;
        size_t n = cc_line(data, len, pos, &next);
        cc_parse_status ps;

        line++;
        pos = next;
        if (format == CC_FORMAT_CURL_V && !curl_v_line(&s, &n)) {
            st.done = st.started && r->status >= 200;
            continue;
        }
        if (n == 0 && !st.started)
            continue;
        ps = response_line(&st, s, n, line);
        if (ps != CC_PARSE_OK)
            return ps;
    }
    if (st.started && (st.done || !truncated) && r->status >= 200)
        return CC_PARSE_OK;
    if (truncated)
        return cc_fail(line_out, line, msg, size,
                       "the response head goes on beyond %u bytes", CC_HEAD_MAX);
    return cc_fail(line_out, 0, msg, size,
                   format == CC_FORMAT_CURL_V
                       ? "no response lines starting with \"< \" (is this the output of curl -v?)"
                       : "the response is empty: no status line such as " EXAMPLE_STATUS);
}

void cc_response_free(cc_response *r)
{
    free(r->headers);
    memset(r, 0, sizeof *r);
}

void cc_response_fill(const cc_response *r, cors_response *out)
{
    cors_response_init(out);
    out->status = r->status;
    out->headers = r->headers;
    out->headers_count = r->count;
}
