/*
 * names.h - the Fetch Standard's lists of methods and header names
 * (lib/names.c); not installed.
 */
#ifndef CORS_NAMES_H
#define CORS_NAMES_H

#include <stddef.h>

/* ----------------------------------------------------------------- names */

/* Fetch "forbidden request-header" (section 2.2.2), by lower-cased name. */
int cors__forbidden_request_header(const char *lower, size_t n);
/* Access-Control-Allow-*, -Expose-Headers, -Max-Age: never request headers. */
int cors__cors_response_header(const char *lower, size_t n);
/* Origin, Access-Control-Request-* and preflight-only response headers:
   never readable by a page. */
int cors__unexposable_header(const char *lower, size_t n);
/* Fetch "CORS-safelisted response-header name". */
int cors__safelisted_response_header(const char *lower, size_t n);
/* DELETE GET HEAD OPTIONS POST PUT: the methods Fetch normalizes. */
int cors__normalizable_method(const char *s, size_t n);

#endif
