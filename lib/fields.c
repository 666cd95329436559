/*
 * fields.c - filling a cors_request from header fields, one line at a time.
 *
 * The natural way to fill a request by hand, looking each name up and
 * taking the first match, accepts a preflight with two Origin lines when
 * the allowed one comes first.  Here every line is seen, so a header that
 * must come once is known to have come twice, and the evaluator denies it.
 * No memory is allocated: the Access-Control-Request-Headers views live in
 * the caller's cors_fields.
 */
#include "names.h"
#include "util.h"

#include <string.h>

/* Bits of cors_fields.seen: the single-valued headers already taken. */
enum { SEEN_ORIGIN = 1, SEEN_METHOD = 2, SEEN_PRIVATE_NETWORK = 4, SEEN_HOST = 8 };

/* The headers read, by name; a name matches whatever its case. */
enum field { F_OTHER, F_ORIGIN, F_METHOD, F_HEADERS, F_PRIVATE_NETWORK, F_HOST };

static const struct known {
    const char *name;          /* compared in any case */
    size_t len;
    enum field field;
} known[] = {
#define NAME(s) s, sizeof s - 1
    {NAME(CORS__H_ORIGIN), F_ORIGIN},
    {NAME("host"), F_HOST},
    {NAME(CORS__H_REQUEST_METHOD), F_METHOD},
    {NAME(CORS__H_REQUEST_HEADERS), F_HEADERS},
    {NAME(CORS__H_REQUEST_PRIVATE_NETWORK), F_PRIVATE_NETWORK},
#undef NAME
};

static enum field field_of(const char *name, size_t n)
{
    size_t i;

    for (i = 0; i < sizeof known / sizeof known[0]; i++)
        if (known[i].len == n && cors__eq_nocase(known[i].name, name, n))
            return known[i].field;
    return F_OTHER;
}

/* The caller's cors_fields may come from an older header with fewer
   lines: only as many as its struct_size holds are used. */
static size_t capacity(const cors_fields *f)
{
    size_t n = (f->struct_size - offsetof(cors_fields, request_headers)) / sizeof(cors_str);

    return n < CORS_FIELDS_MAX_REQUEST_HEADER_LINES ? n : CORS_FIELDS_MAX_REQUEST_HEADER_LINES;
}

cors_error cors_fields_init_sized(cors_fields *f, size_t struct_size, cors_request *req)
{
    if (!f || !req)
        return CORS_ERR_INVALID_ARGUMENT;
    if (struct_size < offsetof(cors_fields, request_headers) ||
        !CORS__REQUEST_HAS(req, field_flags))
        return CORS_ERR_STRUCT_SIZE;
    f->struct_size = struct_size;
    f->request = req;
    f->seen = 0;
    req->origin = NULL;
    req->origin_len = 0;
    req->request_method = NULL;
    req->request_method_len = 0;
    req->request_headers = f->request_headers;
    req->request_headers_count = 0;
    req->request_private_network = NULL;
    req->request_private_network_len = 0;
    req->host = NULL;
    req->host_len = 0;
    req->field_flags = 0;
    return CORS_OK;
}

/* Stores a header that must come once, or flags its repetition. */
static void take_once(cors_fields *f, unsigned seen_bit, unsigned repeated_flag,
                      const char **ptr, size_t *len, const char *value, size_t value_len)
{
    if (f->seen & seen_bit) {
        f->request->field_flags |= repeated_flag;
        return;
    }
    f->seen |= seen_bit;
    /* An empty value is present: the pointer must not be NULL. */
    *ptr = value ? value : "";
    *len = value_len;
}

/* Host says which origin the request was sent to; two of them say
   nothing that can be trusted, so the host becomes unknown (RFC 9112
   section 3.2 has such requests refused; that is the server's to do). */
static void take_host(cors_fields *f, const char *value, size_t value_len)
{
    cors_request *r = f->request;

    if (f->seen & SEEN_HOST) {
        r->host = NULL;
        r->host_len = 0;
        return;
    }
    f->seen |= SEEN_HOST;
    r->host = value ? value : "";
    r->host_len = value_len;
}

static void take_headers_line(cors_fields *f, const char *value, size_t value_len)
{
    cors_request *r = f->request;

    if (r->request_headers_count >= capacity(f)) {
        r->field_flags |= CORS_FIELD_HEADERS_OVERFLOW;
        return;
    }
    f->request_headers[r->request_headers_count].ptr = value ? value : "";
    f->request_headers[r->request_headers_count].len = value_len;
    r->request_headers_count++;
}

cors_error cors_fields_add(cors_fields *f, const char *name, size_t name_len, const char *value,
                           size_t value_len)
{
    cors_request *r;

    if (!f || !f->request || (!name && name_len) || (!value && value_len))
        return CORS_ERR_INVALID_ARGUMENT;
    r = f->request;
    switch (field_of(name, name_len)) {
    case F_ORIGIN:
        take_once(f, SEEN_ORIGIN, CORS_FIELD_ORIGIN_REPEATED, &r->origin, &r->origin_len, value,
                  value_len);
        break;
    case F_METHOD:
        take_once(f, SEEN_METHOD, CORS_FIELD_METHOD_REPEATED, &r->request_method,
                  &r->request_method_len, value, value_len);
        break;
    case F_PRIVATE_NETWORK:
        take_once(f, SEEN_PRIVATE_NETWORK, CORS_FIELD_PRIVATE_NETWORK_REPEATED,
                  &r->request_private_network, &r->request_private_network_len, value,
                  value_len);
        break;
    case F_HEADERS:
        take_headers_line(f, value, value_len);
        break;
    case F_HOST:
        take_host(f, value, value_len);
        break;
    case F_OTHER:
        break;
    }
    return CORS_OK;
}
