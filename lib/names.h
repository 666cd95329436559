/*
 * names.h - the Fetch Standard's lists of methods and header names
 * (lib/names.c); not installed.
 */
#ifndef CORS_NAMES_H
#define CORS_NAMES_H

#include <stddef.h>
#include <stdint.h>

#include "hash.h"

/* The CORS protocol's header names (Fetch 3.2.2 and 3.2.3), as sent. */
#define CORS__H_ORIGIN "Origin"
#define CORS__H_VARY "Vary"
#define CORS__H_ALLOW_ORIGIN "Access-Control-Allow-Origin"
#define CORS__H_ALLOW_CREDENTIALS "Access-Control-Allow-Credentials"
#define CORS__H_ALLOW_METHODS "Access-Control-Allow-Methods"
#define CORS__H_ALLOW_HEADERS "Access-Control-Allow-Headers"
#define CORS__H_ALLOW_PRIVATE_NETWORK "Access-Control-Allow-Private-Network"
#define CORS__H_EXPOSE_HEADERS "Access-Control-Expose-Headers"
#define CORS__H_MAX_AGE "Access-Control-Max-Age"
#define CORS__H_REQUEST_METHOD "Access-Control-Request-Method"
#define CORS__H_REQUEST_HEADERS "Access-Control-Request-Headers"
#define CORS__H_REQUEST_PRIVATE_NETWORK "Access-Control-Request-Private-Network"

/* Fetch 2.2.1 "CORS-safelisted method" (GET, HEAD, POST, byte for byte),
   by cors__method_key: the i-th one's key, 0 past the last. */
#define CORS__NSAFELISTED_METHODS 3
static CORS__INLINE uint64_t cors__safelisted_method_key_at(unsigned i)
{
    return i == 0 ? cors__method_key("GET", 3)
           : i == 1 ? cors__method_key("HEAD", 4)
           : i == 2 ? cors__method_key("POST", 4)
                    : 0;
}

/* The evaluator has a method's key at hand. */
static CORS__INLINE int cors__safelisted_method_key(uint64_t key)
{
    return key == cors__safelisted_method_key_at(0) || key == cors__safelisted_method_key_at(1) ||
           key == cors__safelisted_method_key_at(2);
}

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
/* Fetch 2.2.1 "CORS-safelisted method", byte for byte. */
int cors__safelisted_method(const char *s, size_t n);
/* Fetch 2.2.1 "forbidden method", in any case. */
int cors__forbidden_method(const char *s, size_t n);
/* Fetch 2.2.2 "forbidden response-header name", by lower-cased name. */
int cors__forbidden_response_header(const char *lower, size_t n);

#endif
