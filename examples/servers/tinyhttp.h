/*
 * tinyhttp.h - the HTTP/1.1 message layer of messages-server: a bounded,
 * strict request parser and a response whose header fields can be written
 * the two ways libcors asks for (SET replaces, MERGE joins a list).
 *
 * Nothing here knows about CORS or sockets, so the parser can be fed any
 * bytes (tests, fuzzers) and never reads past the length it is given.
 *
 * Copyright (c) 2026 The libcors authors.  MIT licence, see COPYING.
 */
#ifndef TINYHTTP_H
#define TINYHTTP_H

#include <stddef.h>

/* Bounds on what a request may be; beyond them it is refused with a 4xx. */
#define TH_MAX_LINE 8192   /* the request line (414 beyond) */
#define TH_MAX_HEAD 16384  /* request line and header section (431 beyond) */
#define TH_MAX_FIELDS 64   /* header field lines (431 beyond) */
#define TH_MAX_BODY 8192   /* Content-Length (413 beyond) */

/* th_parse_head() results; any other value is an HTTP error status. */
#define TH_INCOMPLETE 0
#define TH_COMPLETE 1

typedef struct th_str {
    const char *ptr;
    size_t len;
} th_str;

typedef struct th_field {
    th_str name;
    th_str value; /* without leading and trailing whitespace */
} th_field;

/* Every view points into the buffer given to th_parse_head(). */
typedef struct th_request {
    th_str method;
    th_str target; /* the whole origin-form target, query included */
    th_str path;   /* target up to '?' */
    th_str query;  /* after '?'; ptr NULL when there is none */
    int version_minor;
    th_field fields[TH_MAX_FIELDS];
    size_t nfields;
    size_t head_len;       /* bytes up to and including the empty line */
    size_t content_length; /* 0 when absent */
    int expect_continue;   /* "Expect: 100-continue" was sent */
} th_request;

/*
 * Parses the request line and header section at buf[0..len).  Returns
 * TH_INCOMPLETE when the empty line ending the head has not arrived yet,
 * TH_COMPLETE, or an error status (400, 411, 413, 414, 417, 431, 505) with
 * *why set to a static sentence naming the problem.
 */
int th_parse_head(const char *buf, size_t len, th_request *req, const char **why);

/* The number of field lines named name (case-insensitive); the first one's
   value goes to *first when there is one. */
size_t th_field_count(const th_request *req, const char *name, th_str *first);

/* Case-insensitive comparison of (a, n) with the NUL-terminated b. */
int th_eq_nocase(const char *a, size_t n, const char *b);

/* ---------------------------------------------------------------- response */

#define TH_MAX_RESP_FIELDS 24
#define TH_ARENA_SIZE 16384

typedef struct th_response {
    int status;
    size_t nfields;
    struct {
        size_t name_off, name_len, value_off, value_len;
    } f[TH_MAX_RESP_FIELDS];
    char arena[TH_ARENA_SIZE]; /* copies of every name and value */
    size_t used;
    int failed; /* a field did not fit or held CR, LF or NUL */
    const char *body;
    size_t body_len;
} th_response;

void th_response_init(th_response *r, int status);

/* Appends a field line, even when one with that name exists (Set-Cookie). */
void th_add(th_response *r, const char *name, size_t name_len, const char *value,
            size_t value_len);
/* Replaces every field line with that name by this one. */
void th_set(th_response *r, const char *name, size_t name_len, const char *value,
            size_t value_len);
/* Merges the comma-separated elements of value into the existing list field
   with that name (once each, case-insensitively), or adds the field. */
void th_merge(th_response *r, const char *name, size_t name_len, const char *value,
              size_t value_len);
/* Like the above for NUL-terminated strings. */
void th_set_str(th_response *r, const char *name, const char *value);
void th_merge_str(th_response *r, const char *name, const char *value);

/* The value of the first field with that name, or NULL (not NUL-terminated;
   its length goes to *len). */
const char *th_get(const th_response *r, const char *name, size_t *len);

/* The whole response message in a new malloc'd buffer (NULL on OOM); no
   body when head_only (HEAD) or when the status forbids one. */
char *th_serialize(const th_response *r, int head_only, size_t *len);

/* "Not Found" and friends; never NULL. */
const char *th_reason(int status);

#endif /* TINYHTTP_H */
