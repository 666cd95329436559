/*
 * fuzz_policy_text.c - the policy text parser (cors_builder_parse) and the
 * builder behind it.
 *
 * Invariants:
 *   - parsing reports an error exactly when it records an error diagnostic;
 *     every diagnostic is printable ASCII, bounded, and names a real line;
 *   - parsing and building are deterministic, and building twice gives the
 *     same answer and the same diagnostics;
 *   - a built policy survives a round trip: its normalized text builds
 *     again, without errors, into a policy with the same text;
 *   - requests derived from the policy's own origins, and a foreign one,
 *     get answers that keep every promise of cors.h (fuzz_common.h);
 *   - with any one allocation failing, the failure is reported, nothing
 *     leaks, and no result other than CORS_ERR_NOMEM changes (every
 *     allocation when replaying the corpus, a few per input when fuzzing).
 */
#include "fuzz_common.h"

static size_t count_lines(const char *s, size_t n)
{
    size_t i, lines = 1;

    for (i = 0; i < n; i++)
        lines += s[i] == '\n';
    return lines;
}

static void check_diagnostics(const cors_builder *b, size_t lines)
{
    size_t i, errors = 0;

    for (i = 0; i < cors_builder_diagnostic_count(b); i++) {
        const cors_diagnostic *d = cors_builder_diagnostic(b, i);
        size_t len;
        FUZZ_CHECK(d != NULL && d->message != NULL, "diagnostic");
        len = strlen(d->message);
        FUZZ_CHECK(len > 0 && len < 1024, "diagnostic message length");
        FUZZ_CHECK(fuzz_printable(d->message, len), "diagnostic message not printable ASCII");
        FUZZ_CHECK(d->line <= lines, "diagnostic names a line that does not exist");
        if (d->severity == CORS_SEVERITY_ERROR) {
            FUZZ_CHECK(d->code != CORS_OK, "error without a code");
            errors++;
        } else {
            FUZZ_CHECK(d->severity == CORS_SEVERITY_WARNING && d->code == CORS_OK, "warning");
        }
    }
    FUZZ_CHECK(errors == cors_builder_error_count(b), "error count");
    FUZZ_CHECK(cors_builder_diagnostic(b, i) == NULL, "diagnostic past the end");
}

static int same_diagnostics(const cors_builder *a, const cors_builder *b)
{
    size_t i;

    if (cors_builder_diagnostic_count(a) != cors_builder_diagnostic_count(b))
        return 0;
    for (i = 0; i < cors_builder_diagnostic_count(a); i++) {
        const cors_diagnostic *x = cors_builder_diagnostic(a, i),
                              *y = cors_builder_diagnostic(b, i);
        if (x->severity != y->severity || x->code != y->code || x->line != y->line ||
            strcmp(x->message, y->message) != 0)
            return 0;
    }
    return 1;
}

static cors_builder *parse(const char *text, size_t len, cors_error *rc)
{
    cors_builder *b = cors_builder_new(NULL);

    FUZZ_CHECK(b != NULL, "cors_builder_new");
    *rc = cors_builder_parse(b, text, len);
    return b;
}

/* A request origin the entry admits, when one is easy to derive. */
static size_t derive_origin(const char *e, size_t n, char *out, size_t size)
{
    size_t i, o = 0;

    if (n + 8 > size || (n == 1 && e[0] == '*'))
        return 0;
    for (i = 0; i < n; i++) {
        if (e[i] == '*' && i + 1 < n && e[i + 1] == '.') {
            out[o++] = 'a'; /* "*.example.com" -> "a.example.com" */
        } else if (e[i] == '*') {
            memcpy(out + o, "8443", 4); /* ":*" -> ":8443" */
            o += 4;
        } else {
            out[o++] = e[i];
        }
    }
    return o;
}

static void evaluate_some(const cors_policy *p, const fuzz_policy_info *info)
{
    static const char foreign[] = "https://evil.example.net";
    char origin[600];
    size_t k, n;
    cors_str h[2];
    cors_request req;

    for (k = 0; k <= info->norigins && k < 4; k++) {
        if (k == info->norigins) {
            memcpy(origin, foreign, sizeof foreign - 1);
            n = sizeof foreign - 1;
        } else {
            n = derive_origin(info->origins[k], info->origin_len[k], origin, sizeof origin);
            if (n == 0)
                continue;
        }
        /* preflight */
        cors_request_init(&req);
        req.method = "OPTIONS";
        req.method_len = 7;
        req.origin = origin;
        req.origin_len = n;
        req.request_method = info->nmethods ? info->methods[0] : "PUT";
        req.request_method_len = info->nmethods ? info->method_len[0] : 3;
        h[0].ptr = info->nheaders ? info->headers[0] : "x-a";
        h[0].len = info->nheaders ? info->header_len[0] : 3;
        h[1].ptr = " content-type,";
        h[1].len = 14;
        req.request_headers = h;
        req.request_headers_count = 2;
        fuzz_check_evaluation(p, info, &req);
        req.request_private_network = "true";
        req.request_private_network_len = 4;
        fuzz_check_evaluation(p, info, &req);
        /* actual request */
        cors_request_init(&req);
        req.method = "POST";
        req.method_len = 4;
        req.origin = origin;
        req.origin_len = n;
        fuzz_check_evaluation(p, info, &req);
    }
    cors_request_init(&req);
    req.method = "GET";
    req.method_len = 3;
    fuzz_check_evaluation(p, info, &req);
}

static void round_trip(const cors_policy *p, const fuzz_policy_info *info)
{
    size_t len = strlen(info->text);
    cors_error rc;
    cors_builder *b = parse(info->text, len, &rc);
    cors_policy *q = NULL;
    char *text2;
    size_t len2;

    FUZZ_CHECK(rc == CORS_OK && cors_builder_error_count(b) == 0,
               "normalized policy text does not parse");
    FUZZ_CHECK(cors_builder_build(b, &q) == CORS_OK && q != NULL,
               "normalized policy text does not build");
    len2 = cors_policy_to_text(q, NULL, 0);
    text2 = malloc(len2 + 1);
    FUZZ_CHECK(text2 != NULL, "malloc");
    cors_policy_to_text(q, text2, len2 + 1);
    FUZZ_CHECK(len2 == len && memcmp(text2, info->text, len) == 0,
               "normalized policy text is not stable");
    /* Truncated output is a prefix of the full text, NUL-terminated. */
    if (len > 3) {
        char small[4];
        FUZZ_CHECK(cors_policy_to_text(p, small, sizeof small) == len &&
                       memcmp(small, info->text, 3) == 0 && small[3] == '\0',
                   "cors_policy_to_text truncation");
    }
    free(text2);
    cors_policy_free(q);
    cors_builder_free(b);
}

static cors_error parse_scenario(cors_builder *b, const char *s, size_t n)
{
    return cors_builder_parse(b, s, n);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *text = (const char *)data;
    size_t lines = count_lines(text, size), errors;
    cors_error rc1, rc2, e1, e2;
    cors_builder *b1 = parse(text, size, &rc1), *b2 = parse(text, size, &rc2);
    cors_policy *p1 = NULL, *p2 = NULL;
    fuzz_policy_info info;

    check_diagnostics(b1, lines);
    FUZZ_CHECK(rc1 == rc2 && same_diagnostics(b1, b2), "parsing is not deterministic");
    FUZZ_CHECK((rc1 == CORS_OK) == (cors_builder_error_count(b1) == 0),
               "parse result and error diagnostics disagree");

    e1 = cors_builder_build(b1, &p1);
    errors = cors_builder_error_count(b1);
    check_diagnostics(b1, lines);
    FUZZ_CHECK(e1 == CORS_OK || e1 == CORS_ERR_POLICY || e1 == CORS_ERR_LIMIT, "build result");
    FUZZ_CHECK((e1 == CORS_OK) == (p1 != NULL), "policy pointer and build result disagree");
    FUZZ_CHECK(e1 != CORS_OK || errors == 0, "built despite errors");
    FUZZ_CHECK(e1 != CORS_ERR_POLICY || errors > 0, "refused without an error");
    e2 = cors_builder_build(b1, &p2);
    FUZZ_CHECK(e1 == e2 && cors_builder_error_count(b1) == errors, "building twice differs");
    cors_policy_free(p2);
    p2 = NULL;
    FUZZ_CHECK(cors_builder_build(b2, &p2) == e1 && same_diagnostics(b1, b2),
               "building is not deterministic");

    if (p1) {
        fuzz_info_init(&info, p1);
        FUZZ_CHECK(cors_policy_to_text(p2, NULL, 0) == strlen(info.text),
                   "the same text builds different policies");
        round_trip(p1, &info);
        evaluate_some(p1, &info);
        fuzz_info_free(&info);
    }
    cors_policy_free(p1);
    cors_policy_free(p2);
    cors_builder_free(b1);
    cors_builder_free(b2);
    fuzz_alloc_sweep(parse_scenario, text, size, data, size);
    return 0;
}
