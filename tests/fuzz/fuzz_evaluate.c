/*
 * fuzz_evaluate.c - cors_evaluate() on arbitrary requests against several
 * fixed policies.
 *
 * The input is a sequence of fields, each a 2-byte big-endian length and
 * that many bytes (length 0xffff: header absent): the request method,
 * Origin, Access-Control-Request-Method, Access-Control-Request-Private-
 * Network, then every remaining field is one Access-Control-Request-Headers
 * line.  Each field is copied into its own exact-size allocation, so that
 * AddressSanitizer sees any read past a field's length.
 *
 * Invariants (fuzz_check_evaluation in fuzz_common.h): emitted names and
 * values hold no CR, LF or NUL; Allow-Origin is "*" or byte-equal to the
 * request's Origin, and that origin is admitted by the policy (checked
 * against a naive reading of the policy's text); a denied preflight emits
 * no Access-Control-* header; accepted methods and header names are ones
 * the policy lists; the outcome is deterministic and the same through the
 * array variant; the emitter can stop the evaluation at any header.
 */
#include "fuzz_common.h"

static const char *const policies[] = {
    /* exact origins, credentials, listed methods and headers */
    "allow-origin https://app.example.com http://localhost:3000 https://[::1]:8443\n"
    "allow-methods PUT, DELETE patch\n"
    "allow-headers Content-Type X-Requested-With Authorization\n"
    "expose-headers X-Request-Id\n"
    "allow-credentials on\n"
    "max-age 600\n",
    /* everything public, no credentials */
    "allow-origin *\n"
    "allow-methods *\n"
    "allow-headers *\n"
    "expose-headers *\n",
    /* patterns, credentials with "*" (the requested values are echoed) */
    "allow-origin https://*.example.com https://example.com:* http://127.0.0.1:8080\n"
    "allow-methods *\n"
    "allow-headers *\n"
    "allow-credentials on\n"
    "allow-private-network on\n"
    "preflight-status 200\n",
    /* one origin, nothing else allowed */
    "allow-origin https://only.example\n",
    /* "*" headers plus authorization, without credentials; denials 404 */
    "allow-origin https://*.example.com http://[2001:db8::1]:8080\n"
    "allow-headers *, authorization\n"
    "allow-methods PUT\n"
    "max-age 0\n"
    "preflight-denied-status 404\n",
    /* a named danger */
    "allow-origin http://app.example.com https://*.com\n"
    "allow-credentials on\n"
    "dangerously-allow-insecure-origins-with-credentials on\n"
    "dangerously-allow-tld-wildcards-with-credentials on\n"
    "allow-private-network on\n",
    /* the dangers of issue 13, and hosts as Chromium sends them */
    "allow-origin * https://*.co.uk http://app.example.test.:8080 https://-a_b-.example\n"
    "allow-private-network on\n"
    "dangerously-allow-private-network-from-any-origin on\n",
};
#define NPOLICIES (sizeof policies / sizeof policies[0])

static cors_policy *built[NPOLICIES];
static fuzz_policy_info infos[NPOLICIES];

static void setup(void)
{
    size_t i;

    if (built[0])
        return;
    fuzz_build_policies(built, policies, NPOLICIES);
    for (i = 0; i < NPOLICIES; i++)
        fuzz_info_init(&infos[i], built[i]);
}

#define MAX_LINES (CORS_MAX_REQUEST_HEADERS_NAMES + 4)

typedef struct fields {
    const uint8_t *data;
    size_t size, pos;
    char *owned[4 + MAX_LINES];
    size_t nowned;
} fields;

/* The next field in its own allocation; 0 when absent or out of input. */
static int next_field(fields *f, const char **out, size_t *len)
{
    size_t n;
    char *copy;

    if (f->size - f->pos < 2) {
        f->pos = f->size; /* a lone trailing byte is no field */
        return 0;
    }
    n = (size_t)f->data[f->pos] << 8 | f->data[f->pos + 1];
    f->pos += 2;
    if (n == 0xffff)
        return 0;
    if (n > f->size - f->pos)
        n = f->size - f->pos;
    copy = malloc(n ? n : 1);
    FUZZ_CHECK(copy != NULL, "malloc");
    if (n)
        memcpy(copy, f->data + f->pos, n);
    f->pos += n;
    f->owned[f->nowned++] = copy;
    *out = copy;
    *len = n;
    return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fields f;
    cors_request req;
    cors_str lines[MAX_LINES];
    size_t i, nlines = 0;

    setup();
    memset(&f, 0, sizeof f);
    f.data = data;
    f.size = size;
    cors_request_init(&req);
    if (!next_field(&f, &req.method, &req.method_len))
        req.method = NULL;
    if (!next_field(&f, &req.origin, &req.origin_len))
        req.origin = NULL;
    if (!next_field(&f, &req.request_method, &req.request_method_len))
        req.request_method = NULL;
    if (!next_field(&f, &req.request_private_network, &req.request_private_network_len))
        req.request_private_network = NULL;
    while (f.pos < f.size && nlines < MAX_LINES) {
        const char *s;
        size_t n;
        if (next_field(&f, &s, &n)) {
            lines[nlines].ptr = s;
            lines[nlines].len = n;
            nlines++;
        }
    }
    if (nlines) {
        req.request_headers = lines;
        req.request_headers_count = nlines;
    }
    for (i = 0; i < NPOLICIES; i++)
        fuzz_check_evaluation(built[i], &infos[i], &req);
    for (i = 0; i < f.nowned; i++)
        free(f.owned[i]);
    return 0;
}
