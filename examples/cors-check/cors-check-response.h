/*
 * cors-check-response.h - reading the response a server sent, for
 * cors-check --response: a status line ("HTTP/1.1 204 No Content",
 * "HTTP/2 204") or Chrome's ":status: 204", then the header lines; or the
 * "< " lines of curl -v.
 */
#ifndef CORS_CHECK_RESPONSE_H
#define CORS_CHECK_RESPONSE_H

#include "cors-check-request.h"

typedef struct cc_response {
    int status;
    cors_header *headers;  /* views into the parsed text */
    size_t count, cap;
} cc_response;

/*
 * Parses the response head at the start of data[0..len) (format
 * CC_FORMAT_HTTP1 also reads ":status:" heads; CC_FORMAT_CURL_V reads the
 * "< " lines).  Interim 1xx heads (100 Continue, a proxy's "200 Connection
 * established" is not one) are skipped.  Errors as cc_request_parse().
 * Always release with cc_response_free().
 */
cc_parse_status cc_response_parse(cc_response *r, cc_format format, const char *data, size_t len,
                                  int truncated, unsigned *line, char *msg, size_t msg_size);
void cc_response_free(cc_response *r);

/* Fills a libcors response descriptor with views of r. */
void cc_response_fill(const cc_response *r, cors_response *out);

#endif
