/*
 * cors-check-har.c - HAR 1.2 (log.entries[].request/response) through
 * jansson.  Each entry becomes the same cc_request and cc_response the
 * other readers fill, with the same rules for names and values: a header
 * value holding CR, LF or NUL is refused, never passed on.
 */
#ifdef HAVE_CONFIG_H
#include <config.h>
#endif

#include "cors-check-har.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef HAVE_JANSSON
#include <jansson.h>

int cc_har_available(void) { return 1; }

typedef struct walk {
    size_t index;
    size_t *entry_out;
    char *msg;
    size_t size;
} walk;

static cc_parse_status bad(walk *w, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

static cc_parse_status bad(walk *w, const char *fmt, ...)
{
    va_list ap;

    *w->entry_out = w->index + 1;
    va_start(ap, fmt);
    vsnprintf(w->msg, w->size, fmt, ap);
    va_end(ap);
    return CC_PARSE_ERROR;
}

static int clean_value(const char *s, size_t n)
{
    return !memchr(s, '\r', n) && !memchr(s, '\n', n) && !memchr(s, '\0', n);
}


/* One {"name": ..., "value": ...} of a headers array, checked. */
static cc_parse_status header_of(walk *w, json_t *h, const char *where, const char **name,
                                 size_t *nn, const char **value, size_t *vn)
{
    json_t *jn = json_object_get(h, "name"), *jv = json_object_get(h, "value");
    char q[128];

    if (!json_is_string(jn) || !json_is_string(jv))
        return bad(w, "%s.headers: expected objects with string \"name\" and \"value\"", where);
    *name = json_string_value(jn);
    *nn = json_string_length(jn);
    *value = json_string_value(jv);
    *vn = json_string_length(jv);
    cc_quote(q, sizeof q, *name, *nn, 60);
    /* HTTP/2 pseudo-headers (":method") are recorded too: not fields. */
    if (*nn > 0 && (*name)[0] == ':')
        return CC_PARSE_OK;
    if (!cc_is_token(*name, *nn))
        return bad(w, "%s header name %s is not a valid header name", where, q);
    if (!clean_value(*value, *vn))
        return bad(w, "%s header %s: the value holds a line break or NUL", where, q);
    return CC_PARSE_OK;
}

static cc_parse_status request_of(walk *w, json_t *jr, cc_request *r)
{
    json_t *m = json_object_get(jr, "method"), *u = json_object_get(jr, "url");
    json_t *hs = json_object_get(jr, "headers"), *h;
    size_t i;

    if (!json_is_string(m) || !cc_is_token(json_string_value(m), json_string_length(m)))
        return bad(w, "request.method: expected a method such as \"OPTIONS\"");
    if (!json_is_string(u) || !clean_value(json_string_value(u), json_string_length(u)))
        return bad(w, "request.url: expected the URL as a string");
    if (!json_is_array(hs))
        return bad(w, "request.headers: expected an array");
    r->method = json_string_value(m);
    r->method_len = json_string_length(m);
    r->target = json_string_value(u);
    r->target_len = json_string_length(u);
    json_array_foreach(hs, i, h) {
        const char *name, *value;
        size_t nn, vn;
        cc_parse_status st = header_of(w, h, "request", &name, &nn, &value, &vn);
        if (st != CC_PARSE_OK)
            return st;
        if ((nn == 0 || name[0] != ':') && cc_request_field(r, name, nn, value, vn) != 0)
            return CC_PARSE_NOMEM;
    }
    return CC_PARSE_OK;
}

static cc_parse_status response_of(walk *w, json_t *jr, cc_response *r)
{
    json_t *s = json_object_get(jr, "status"), *hs = json_object_get(jr, "headers"), *h;
    size_t i;

    if (!json_is_integer(s) || json_integer_value(s) < 0 || json_integer_value(s) > 999)
        return bad(w, "response.status: expected a status such as 204");
    if (!json_is_array(hs))
        return bad(w, "response.headers: expected an array");
    r->status = (int)json_integer_value(s);
    r->cap = json_array_size(hs) + 1;
    r->headers = calloc(r->cap, sizeof *r->headers);
    if (!r->headers)
        return CC_PARSE_NOMEM;
    json_array_foreach(hs, i, h) {
        cors_header *o = &r->headers[r->count];
        cc_parse_status st = header_of(w, h, "response", &o->name, &o->name_len, &o->value,
                                       &o->value_len);
        if (st != CC_PARSE_OK)
            return st;
        if (o->name_len == 0 || o->name[0] != ':')
            r->count++;
    }
    /* Values are compared trimmed, as a browser reads them. */
    return CC_PARSE_OK;
}

static cc_parse_status one_entry(walk *w, json_t *e, cc_har_fn fn, void *ctx, int *stop)
{
    json_t *jq = json_object_get(e, "request"), *jp = json_object_get(e, "response");
    cc_request req;
    cc_response resp;
    cc_parse_status st;

    memset(&req, 0, sizeof req);
    memset(&resp, 0, sizeof resp);
    if (!json_is_object(jq) || !json_is_object(jp))
        return bad(w, "expected \"request\" and \"response\" objects");
    st = request_of(w, jq, &req);
    if (st == CC_PARSE_OK)
        st = response_of(w, jp, &resp);
    if (st == CC_PARSE_OK)
        *stop = fn(ctx, w->index, &req, &resp);
    cc_request_free(&req);
    cc_response_free(&resp);
    return st;
}

cc_parse_status cc_har_each(const char *data, size_t len, int truncated, cc_har_fn fn, void *ctx,
                            size_t *entry, char *msg, size_t size)
{
    walk w = {0, entry, msg, size};
    json_error_t err;
    json_t *root, *entries, *e;
    cc_parse_status st = CC_PARSE_OK;
    int stop = 0;

    *entry = 0;
    if (truncated) {
        snprintf(msg, size, "the HAR file is larger than %u bytes", CC_HAR_MAX);
        return CC_PARSE_ERROR;
    }
    /* jansson bounds nesting (JSON_PARSER_MAX_DEPTH) and refuses \u0000
       unless asked, so hostile files end in an error, not a crash. */
    root = json_loadb(data, len, JSON_REJECT_DUPLICATES, &err);
    if (!root) {
        size_t i;
        /* jansson quotes the input near the error: keep the message
           printable whatever the file holds. */
        for (i = 0; err.text[i]; i++)
            if ((unsigned char)err.text[i] < 0x20 || (unsigned char)err.text[i] > 0x7e)
                err.text[i] = '?';
        snprintf(msg, size, "not valid JSON (line %d, column %d): %s", err.line, err.column,
                 err.text);
        return CC_PARSE_ERROR;
    }
    entries = json_object_get(json_object_get(root, "log"), "entries");
    if (!json_is_array(entries)) {
        json_decref(root);
        snprintf(msg, size, "expected a HAR file: an object with log.entries[]");
        return CC_PARSE_ERROR;
    }
    json_array_foreach(entries, w.index, e) {
        st = one_entry(&w, e, fn, ctx, &stop);
        if (st != CC_PARSE_OK || stop)
            break;
    }
    json_decref(root);
    return st;
}

#else /* !HAVE_JANSSON */

int cc_har_available(void) { return 0; }

cc_parse_status cc_har_each(const char *data, size_t len, int truncated, cc_har_fn fn, void *ctx,
                            size_t *entry, char *msg, size_t size)
{
    (void)data, (void)len, (void)truncated, (void)fn, (void)ctx;
    *entry = 0;
    snprintf(msg, size,
             "this cors-check was built without jansson, which reading HAR files needs: "
             "install libjansson-dev (or jansson-devel), run configure again and rebuild");
    return CC_PARSE_ERROR;
}

#endif
