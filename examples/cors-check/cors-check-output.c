/*
 * cors-check-output.c - response heads and JSON for cors-check.
 */
#include "cors-check-output.h"

#include <stdlib.h>
#include <string.h>

int cc_collect(void *ctx, const char *name, size_t name_len, const char *value,
               size_t value_len, unsigned flags)
{
    cc_collected *c = ctx;
    cc_header *h;

    /* One response is printed, so SET and MERGE both mean "write it". */
    (void)flags;
    if (c->n == CORS_MAX_HEADERS)
        return 1;
    h = &c->h[c->n];
    h->name = malloc(name_len + 1);
    h->value = malloc(value_len + 1);
    if (!h->name || !h->value) {
        free(h->name);
        free(h->value);
        return 1;
    }
    memcpy(h->name, name, name_len);
    memcpy(h->value, value, value_len);
    h->name_len = name_len;
    h->value_len = value_len;
    c->n++;
    return 0;
}

void cc_collected_free(cc_collected *c)
{
    size_t i;

    for (i = 0; i < c->n; i++) {
        free(c->h[i].name);
        free(c->h[i].value);
    }
    c->n = 0;
}

size_t cc_collected_views(const cc_collected *c, cors_header *out)
{
    size_t i;

    for (i = 0; i < c->n; i++) {
        out[i].name = c->h[i].name;
        out[i].name_len = c->h[i].name_len;
        out[i].value = c->h[i].value;
        out[i].value_len = c->h[i].value_len;
        out[i].flags = 0;
    }
    return c->n;
}

static const char *reason_phrase(int status)
{
    /* RFC 9110, 15.3, plus the registered WebDAV ones. */
    switch (status) {
    case 200: return "OK";
    case 201: return "Created";
    case 202: return "Accepted";
    case 203: return "Non-Authoritative Information";
    case 204: return "No Content";
    case 205: return "Reset Content";
    case 206: return "Partial Content";
    case 207: return "Multi-Status";
    case 208: return "Already Reported";
    case 226: return "IM Used";
    /* 4xx, for preflight-denied-status: RFC 9110, 15.5, and the other
       registered ones. */
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 402: return "Payment Required";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 406: return "Not Acceptable";
    case 407: return "Proxy Authentication Required";
    case 408: return "Request Timeout";
    case 409: return "Conflict";
    case 410: return "Gone";
    case 411: return "Length Required";
    case 412: return "Precondition Failed";
    case 413: return "Content Too Large";
    case 414: return "URI Too Long";
    case 415: return "Unsupported Media Type";
    case 416: return "Range Not Satisfiable";
    case 417: return "Expectation Failed";
    case 421: return "Misdirected Request";
    case 422: return "Unprocessable Content";
    case 423: return "Locked";
    case 424: return "Failed Dependency";
    case 425: return "Too Early";
    case 426: return "Upgrade Required";
    case 428: return "Precondition Required";
    case 429: return "Too Many Requests";
    case 431: return "Request Header Fields Too Large";
    case 451: return "Unavailable For Legal Reasons";
    }
    /* RFC 9112, 4: the reason phrase may be empty. */
    return "";
}

void cc_write_response(FILE *f, int status, const cc_collected *c)
{
    size_t i;

    fprintf(f, "HTTP/1.1 %d %s\r\n", status, reason_phrase(status));
    for (i = 0; i < c->n; i++) {
        fwrite(c->h[i].name, 1, c->h[i].name_len, f);
        fputs(": ", f);
        fwrite(c->h[i].value, 1, c->h[i].value_len, f);
        fputs("\r\n", f);
    }
    fputs("\r\n", f);
}

void cc_json_str(FILE *f, const char *s, size_t n)
{
    size_t i;

    putc('"', f);
    for (i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '"' || c == '\\')
            fprintf(f, "\\%c", c);
        else if (c < 0x20 || c >= 0x7f)
            fprintf(f, "\\u%04x", c);
        else
            putc(c, f);
    }
    putc('"', f);
}

void cc_json_kv(FILE *f, const char *key, const char *s)
{
    fprintf(f, "\"%s\":", key);
    if (s)
        cc_json_str(f, s, strlen(s));
    else
        fputs("null", f);
}
