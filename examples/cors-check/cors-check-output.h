/*
 * cors-check-output.h - what cors-check writes: response heads, verdict
 * lines and JSON.
 */
#ifndef CORS_CHECK_OUTPUT_H
#define CORS_CHECK_OUTPUT_H

#include <stdio.h>

#include "cors.h"

/* The headers one evaluation emits, copied. */
typedef struct cc_header {
    char *name;
    size_t name_len;
    char *value;
    size_t value_len;
} cc_header;

typedef struct cc_collected {
    cc_header h[CORS_MAX_HEADERS];
    size_t n;
} cc_collected;

/* A cors_emit_fn that copies into a cc_collected; non-zero when out of
   memory. */
int cc_collect(void *ctx, const char *name, size_t name_len, const char *value,
               size_t value_len, unsigned flags);
void cc_collected_free(cc_collected *c);
/* The collected headers as cors_header views (for cors_check_response). */
size_t cc_collected_views(const cc_collected *c, cors_header *out);

/* Writes "HTTP/1.1 STATUS REASON", the headers and the empty line, CRLF. */
void cc_write_response(FILE *f, int status, const cc_collected *c);

/* JSON: s[0..n) as a string (bytes beyond ASCII as \u00XX, so the output
   is valid UTF-8 whatever the input). */
void cc_json_str(FILE *f, const char *s, size_t n);
/* "key": followed by the string s (NULL: null). */
void cc_json_kv(FILE *f, const char *key, const char *s);

#endif
