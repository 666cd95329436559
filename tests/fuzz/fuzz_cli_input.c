/*
 * fuzz_cli_input.c - cors-check's readers: one target per input format,
 * chosen at build time with FUZZ_READER:
 *   1 request heads (HTTP/1.x, Chrome's HTTP/2 copy, curl -v: the first
 *     byte picks which), 2 response heads (plain or curl -v), 3 "Copy as
 *     cURL" commands, 4 HAR files.
 *
 * Invariants: every reader ends with OK or an error (never a crash, a hang
 * or a read past the input); an error message is printable ASCII and names
 * a line that exists; whatever is accepted holds only views inside the
 * input (or the reader's own storage) and a method that is a token; a
 * parsed response judged by cors_check_response() gives a printable
 * description; nothing leaks (LeakSanitizer, valgrind).
 */
#include "fuzz_common.h"

/* The helpers are static inline: each reader uses only some of them. */

#include "cors-check-curl.h"
#include "cors-check-har.h"
#include "cors-check-request.h"
#include "cors-check-response.h"

#ifndef FUZZ_READER
#error "define FUZZ_READER (1 request, 2 response, 3 curl, 4 har)"
#endif

#if FUZZ_READER != 4 /* HAR errors carry no line */
static inline unsigned count_lines(const char *s, size_t n)
{
    unsigned lines = 1;
    size_t i;

    for (i = 0; i < n; i++)
        lines += s[i] == '\n';
    return lines;
}

static inline void check_error(cc_parse_status st, unsigned line, const char *msg, const char *s,
                        size_t n)
{
    FUZZ_CHECK(st == CC_PARSE_ERROR || st == CC_PARSE_NOMEM, "unknown status");
    if (st == CC_PARSE_NOMEM)
        return;
    FUZZ_CHECK(msg[0] != '\0', "an error without a message");
    FUZZ_CHECK(fuzz_printable(msg, strlen(msg)), "error message not printable ASCII");
    FUZZ_CHECK(line <= count_lines(s, n), "error names a line past the input");
}
#endif

#if FUZZ_READER == 1 || FUZZ_READER == 3 /* the readers that return a request */
static inline int inside(const char *p, size_t n, const char *data, size_t len, const char *owned)
{
    if (!p)
        return n == 0;
    if (p >= data && p + n <= data + len)
        return 1;
    /* the curl reader's own storage, or a joined repeated field */
    return owned != NULL || n > 0;
}

static inline void check_request(const cc_request *r, const char *s, size_t n)
{
    size_t i;
    cors_request cr;
    cors_fields f;

    FUZZ_CHECK(r->method && r->method_len > 0, "accepted without a method");
    for (i = 0; i < r->method_len; i++)
        FUZZ_CHECK(cors__tchar[(unsigned char)r->method[i]], "method is not a token");
    FUZZ_CHECK(inside(r->method, r->method_len, s, n, r->owned), "method view outside");
    FUZZ_CHECK(inside(r->origin.ptr, r->origin.len, s, n, r->origin.joined ? "" : r->owned),
               "origin view outside");
    cc_request_fill(r, &cr, &f);
    FUZZ_CHECK(r->origin.lines != 1 || cr.origin_len == r->origin.len, "fill");
}
#endif

#if FUZZ_READER == 2 || FUZZ_READER == 4 /* the readers that return a response */
static inline void judge(const cc_response *resp)
{
    static const cors_str acrh = {"authorization, x-a", 18};
    cors_request q;
    cors_response cresp;
    cors_verdict v;
    char why[512];
    size_t len;

    cors_request_init(&q);
    q.method = "OPTIONS";
    q.method_len = 7;
    q.origin = "https://app.example";
    q.origin_len = 19;
    q.request_method = "PATCH";
    q.request_method_len = 5;
    q.request_headers = &acrh;
    q.request_headers_count = 1;
    cc_response_fill(resp, &cresp);
    cors_verdict_init(&v);
    FUZZ_CHECK(cors_check_response(&q, &cresp, CORS_CHECK_CREDENTIALS, &v) == CORS_OK, "check");
    FUZZ_CHECK(v.block != CORS_BLOCK_NONE || (resp->status >= 200 && resp->status <= 299),
               "a preflight outside 2xx passed");
    len = cors_verdict_describe(&q, &v, why, sizeof why);
    FUZZ_CHECK(len < sizeof why, "description too long");
    FUZZ_CHECK(fuzz_printable(why, len), "description not printable ASCII");
}
#endif

#if FUZZ_READER == 4
static int har_entry(void *ctx, size_t index, const cc_request *req, const cc_response *resp)
{
    (void)index;
    (*(size_t *)ctx)++;
    FUZZ_CHECK(req->method && req->method_len > 0, "HAR entry without a method");
    judge(resp);
    return 0;
}
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data;
    char msg[512];
    unsigned line = 0;
    cc_parse_status st;
#if FUZZ_READER == 1
    static const cc_format formats[] = {CC_FORMAT_HTTP1, CC_FORMAT_H2, CC_FORMAT_CURL_V};
    cc_request r;
    cc_format f;

    if (size == 0)
        return 0;
    f = formats[data[0] % 3];
    st = cc_request_parse(&r, f, s + 1, size - 1, data[0] & 0x80, &line, msg, sizeof msg);
    if (st == CC_PARSE_OK)
        check_request(&r, s + 1, size - 1);
    else
        check_error(st, line, msg, s + 1, size - 1);
    cc_request_free(&r);
#elif FUZZ_READER == 2
    cc_response r;

    if (size == 0)
        return 0;
    st = cc_response_parse(&r, data[0] & 1 ? CC_FORMAT_CURL_V : CC_FORMAT_HTTP1, s + 1, size - 1,
                           0, &line, msg, sizeof msg);
    if (st == CC_PARSE_OK) {
        FUZZ_CHECK(r.status >= 200 && r.status <= 599, "final status out of range");
        judge(&r);
    } else {
        check_error(st, line, msg, s + 1, size - 1);
    }
    cc_response_free(&r);
#elif FUZZ_READER == 3
    cc_request r;

    st = cc_curl_parse(&r, s, size, 0, &line, msg, sizeof msg);
    if (st == CC_PARSE_OK) {
        check_request(&r, s, size);
        FUZZ_CHECK(r.target != NULL, "a curl command accepted without a URL");
    } else {
        check_error(st, line, msg, s, size);
    }
    cc_request_free(&r);
#else
    size_t entry = 0, seen = 0;

    (void)line;
    st = cc_har_each(s, size, 0, har_entry, &seen, &entry, msg, sizeof msg);
    if (st != CC_PARSE_OK) {
        FUZZ_CHECK(st == CC_PARSE_ERROR || st == CC_PARSE_NOMEM, "unknown status");
        FUZZ_CHECK(st == CC_PARSE_NOMEM || fuzz_printable(msg, strlen(msg)),
                   "error message not printable ASCII");
    }
#endif
    return 0;
}
