/*
 * cors-check-har.h - reading a HAR file ("Save all as HAR" in the
 * browsers' network panels): every entry's request and recorded response.
 * Needs jansson; without it, cc_har_each() says how to get it.
 */
#ifndef CORS_CHECK_HAR_H
#define CORS_CHECK_HAR_H

#include "cors-check-response.h"

/* HAR files of a long session are large; beyond this, most likely the
   wrong file. */
#define CC_HAR_MAX (64u * 1024u * 1024u)

/* Called for each entry (index from 0) with its request and response;
   views are valid during the call only.  Non-zero stops the walk. */
typedef int (*cc_har_fn)(void *ctx, size_t index, const cc_request *req,
                         const cc_response *resp);

/*
 * Walks the entries of the HAR text data[0..len).  On CC_PARSE_ERROR,
 * *entry is the 1-based entry at fault (0 for the file as a whole) and
 * msg says what was expected.  CC_PARSE_OK also when fn stopped the walk.
 */
cc_parse_status cc_har_each(const char *data, size_t len, int truncated, cc_har_fn fn, void *ctx,
                            size_t *entry, char *msg, size_t msg_size);

/* 1 when cors-check was built with HAR support. */
int cc_har_available(void);

#endif
