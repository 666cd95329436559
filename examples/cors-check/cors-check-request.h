/*
 * cors-check-request.h - reading a request head for cors-check: HTTP/1.x
 * (and the HTTP/2 and HTTP/3 request lines browsers copy), Chrome's HTTP/2
 * pseudo-header copy, and the "> " lines of curl -v.
 *
 * Only what CORS needs is kept (the method and four headers), but every
 * line is checked, so that a malformed head is reported with its line
 * instead of being half understood.  The other input formats (a "Copy as
 * cURL" command, HAR) fill the same cc_request through cc_request_field().
 */
#ifndef CORS_CHECK_REQUEST_H
#define CORS_CHECK_REQUEST_H

#include <stddef.h>

#include "cors.h"

/* The largest request head accepted.  Servers commonly stop at 8 to 64 KiB;
   this is generous so that oversized CORS headers reach libcors (which
   bounds them itself) rather than being refused here. */
#define CC_HEAD_MAX (1024u * 1024u)

/* A header that must appear once.  Repeated lines are combined into one
   comma-separated value as HTTP does (RFC 9110, 5.3), which is never a
   valid origin, method or "true", so libcors treats it as malformed. */
typedef struct cc_field {
    const char *ptr;  /* NULL when absent */
    size_t len;
    size_t lines;     /* how many header lines carried it */
    char *joined;     /* owned storage once lines > 1 */
    size_t joined_cap;
} cc_field;

typedef struct cc_request {
    const char *method;  /* views into the parsed text */
    size_t method_len;
    cc_field origin;
    cc_field request_method;
    cc_field private_network;
    cors_str *request_headers;  /* one per Access-Control-Request-Headers line */
    size_t request_headers_count;
    size_t request_headers_cap;
    const char *target;  /* request target or URL, NULL when unknown */
    size_t target_len;
    char *owned;         /* storage some formats copy unescaped text into */
    int cookie;          /* a Cookie header was sent: credentials were included */
    cors_header *cors_lines;  /* the CORS request header lines, in order */
    size_t cors_count, cors_cap;
} cc_request;

/* How the request head is written. */
typedef enum cc_format {
    CC_FORMAT_HTTP1,   /* request line and "Name: value" lines */
    CC_FORMAT_H2,      /* Chrome: ":method: GET" pseudo-header lines first */
    CC_FORMAT_CURL_V   /* curl -v: the request is the lines starting "> " */
} cc_format;

typedef enum cc_parse_status {
    CC_PARSE_OK = 0,
    CC_PARSE_ERROR,  /* *line and msg say where and why */
    CC_PARSE_NOMEM
} cc_parse_status;

/*
 * Parses the request head at the start of data[0..len); anything after the
 * blank line that ends it is ignored.  truncated says the input went on
 * beyond len bytes.  On CC_PARSE_ERROR, *line is the 1-based line at fault
 * (0 when the problem is the input as a whole) and msg holds a printable
 * ASCII sentence.  The request points into data, which must outlive it.
 * Always release it with cc_request_free(), whatever the result.
 */
cc_parse_status cc_request_parse(cc_request *r, cc_format format, const char *data, size_t len,
                                 int truncated, unsigned *line, char *msg, size_t msg_size);

/* Records one header field (name and value as views that outlive r);
   the value is trimmed of surrounding whitespace.  -1 when out of memory. */
int cc_request_field(cc_request *r, const char *name, size_t name_len, const char *value,
                     size_t value_len);

/* Stores the printf-style message and the line at fault; returns
   CC_PARSE_ERROR.  Shared by every reader. */
cc_parse_status cc_fail(unsigned *line_out, unsigned line, char *msg, size_t size,
                        const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 5, 6)))
#endif
    ;

/* Checks a field line "name: value" (RFC 9112, 5); skip is 1 for an
   HTTP/2 pseudo-header line, whose name starts with ':'.  *name_len is
   the length of the name (the colon follows it). */
cc_parse_status cc_field_check(const char *s, size_t n, size_t skip, size_t *name_len,
                               unsigned line, unsigned *line_out, char *msg, size_t size);

/* s[0..n) is HTTP/1.x, HTTP/2 or HTTP/3, as copied request and status
   lines end or start. */
int cc_known_version(const char *s, size_t n);

/* RFC 9110 5.6.2 tchar. */
int cc_is_tchar(unsigned char c);
/* s[0..n) is a token (RFC 9110, 5.6.2): a method or header name. */
int cc_is_token(const char *s, size_t n);
/* ASCII case-insensitive comparison of s[0..n) with the lower-case lit. */
int cc_eq_nocase(const char *s, size_t n, const char *lit);
/* The line of data[0..len) starting at pos: its length without the line
   end (LF or CRLF) and where the next starts. */
size_t cc_line(const char *data, size_t len, size_t pos, size_t *next);
void cc_request_free(cc_request *r);

/* Appends a header line (views) to a growable array; -1 when out of
   memory. */
int cc_header_push(cors_header **arr, size_t *n, size_t *cap, const char *name, size_t nn,
                   const char *v, size_t vn);

/* Fills a libcors request descriptor with views of r, its header lines
   going through cors_fields_add() (repeated lines included, which libcors
   then refuses); f must outlive out. */
void cc_request_fill(const cc_request *r, cors_request *out, cors_fields *f);

/* Writes s as a double-quoted string into out: printable ASCII as is,
   anything else as \xHH, at most max input bytes (then "..."). */
void cc_quote(char *out, size_t size, const char *s, size_t n, size_t max);

#endif
