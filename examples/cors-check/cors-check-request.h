/*
 * cors-check-request.h - reading an HTTP/1.x request head for cors-check.
 *
 * Only what CORS needs is kept (the method and four headers), but every
 * line is checked, so that a malformed head is reported with its line
 * instead of being half understood.
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
} cc_request;

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
cc_parse_status cc_request_parse(cc_request *r, const char *data, size_t len, int truncated,
                                 unsigned *line, char *msg, size_t msg_size);
void cc_request_free(cc_request *r);

/* Fills a libcors request descriptor with views of r. */
void cc_request_fill(const cc_request *r, cors_request *out);

/* Writes s as a double-quoted string into out: printable ASCII as is,
   anything else as \xHH, at most max input bytes (then "..."). */
void cc_quote(char *out, size_t size, const char *s, size_t n, size_t max);

#endif
