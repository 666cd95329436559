/*
 * cors-check-curl.h - reading a "Copy as cURL" command (the bash form that
 * Chrome, Firefox and Safari copy): the URL, the method and the headers.
 */
#ifndef CORS_CHECK_CURL_H
#define CORS_CHECK_CURL_H

#include "cors-check-request.h"

/* The largest command accepted; request bodies pasted with --data-raw can
   be long, so this is the request head limit. */
#define CC_CURL_MAX CC_HEAD_MAX

/*
 * Parses the command in data[0..len) into r (the target is the URL).
 * Errors as cc_request_parse(), naming the line where the word at fault
 * starts.  Always release r with cc_request_free().
 */
cc_parse_status cc_curl_parse(cc_request *r, const char *data, size_t len, int truncated,
                              unsigned *line, char *msg, size_t msg_size);

#endif
