/*
 * fuzz_common.h - what every fuzz target checks about the library's output.
 *
 * The targets assert invariants, not just the absence of a crash: a broken
 * invariant aborts, which libFuzzer reports as a crash and saves the input.
 */
#ifndef CORS_FUZZ_COMMON_H
#define CORS_FUZZ_COMMON_H

#include "internal.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_CHECK(cond, what)                                                              \
    do {                                                                                    \
        if (!(cond)) {                                                                      \
            fprintf(stderr, "%s:%d: invariant broken: %s (%s)\n", __FILE__, __LINE__, what, \
                    #cond);                                                                 \
            abort();                                                                        \
        }                                                                                   \
    } while (0)

/* A header value or name fit to go on the wire: no CR, LF or NUL, which
   would let a request inject headers or split the response. */
/* Builds the fixed policies of a target once (they must build). */
static inline void fuzz_build_policies(cors_policy **built, const char *const *texts, size_t n)
{
    size_t i;

    if (built[0])
        return;
    for (i = 0; i < n; i++) {
        cors_builder *b = cors_builder_new(NULL);
        FUZZ_CHECK(b != NULL, "cors_builder_new");
        cors_builder_parse(b, texts[i], strlen(texts[i]));
        FUZZ_CHECK(cors_builder_build(b, &built[i]) == CORS_OK, "fixed policy does not build");
        cors_builder_free(b);
    }
}

static inline int fuzz_wire_safe(const char *s, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++)
        if (s[i] == '\r' || s[i] == '\n' || s[i] == '\0')
            return 0;
    return 1;
}

/* Diagnostics and descriptions end up in logs: printable ASCII only. */
static inline int fuzz_printable(const char *s, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++)
        if ((unsigned char)s[i] < 0x20 || (unsigned char)s[i] > 0x7e)
            return 0;
    return 1;
}

static inline int fuzz_eq_nocase(const char *a, size_t an, const char *b)
{
    size_t i, bn = strlen(b);

    if (an != bn)
        return 0;
    for (i = 0; i < an; i++) {
        unsigned char x = (unsigned char)a[i], y = (unsigned char)b[i];
        if (x >= 'A' && x <= 'Z')
            x = (unsigned char)(x + 32);
        if (y >= 'A' && y <= 'Z')
            y = (unsigned char)(y + 32);
        if (x != y)
            return 0;
    }
    return 1;
}

/* Everything one evaluation emitted, copied. */
#define FUZZ_MAX_HEADERS 16
#define FUZZ_VALUE_MAX (CORS_SCRATCH_SIZE + 64)

typedef struct fuzz_header {
    char name[64];
    size_t name_len;
    char value[FUZZ_VALUE_MAX];
    size_t value_len;
    unsigned flags;
} fuzz_header;

typedef struct fuzz_capture {
    size_t n;
    int stop_at; /* return non-zero from the emitter for this header (1-based); 0: never */
    fuzz_header h[FUZZ_MAX_HEADERS];
} fuzz_capture;

/* The emitter: checks each header as the library hands it over. */
static inline int fuzz_emit(void *ctx, const char *name, size_t name_len, const char *value,
                            size_t value_len, unsigned flags)
{
    fuzz_capture *c = ctx;
    fuzz_header *h;

    FUZZ_CHECK(c->n < CORS_MAX_HEADERS, "more than CORS_MAX_HEADERS headers");
    FUZZ_CHECK(name != NULL && name_len > 0 && name_len < sizeof h->name, "header name");
    FUZZ_CHECK(value != NULL || value_len == 0, "header value pointer");
    FUZZ_CHECK(value_len < FUZZ_VALUE_MAX, "header value length");
    FUZZ_CHECK(fuzz_wire_safe(name, name_len), "CR, LF or NUL in a header name");
    FUZZ_CHECK(fuzz_wire_safe(value, value_len), "CR, LF or NUL in a header value");
    FUZZ_CHECK(flags == CORS_HEADER_SET || flags == CORS_HEADER_MERGE, "header flags");
    h = &c->h[c->n++];
    memcpy(h->name, name, name_len);
    h->name_len = name_len;
    if (value_len)
        memcpy(h->value, value, value_len);
    h->value_len = value_len;
    h->flags = flags;
    return c->stop_at > 0 && (size_t)c->stop_at == c->n;
}

/* The header called name, or NULL; aborts when it was emitted twice (a
   second Access-Control-Allow-Origin line makes browsers fail, and a host
   appending values would produce one). */
static inline const fuzz_header *fuzz_find(const fuzz_capture *c, const char *name)
{
    const fuzz_header *found = NULL;
    size_t i;

    for (i = 0; i < c->n; i++) {
        if (fuzz_eq_nocase(c->h[i].name, c->h[i].name_len, name)) {
            FUZZ_CHECK(found == NULL, "a header emitted twice");
            found = &c->h[i];
        }
    }
    return found;
}

static inline size_t fuzz_count_ac(const fuzz_capture *c)
{
    size_t i, n = 0;

    for (i = 0; i < c->n; i++)
        if (c->h[i].name_len > 15 && fuzz_eq_nocase(c->h[i].name, 15, "access-control-"))
            n++;
    return n;
}

static inline int fuzz_same_capture(const fuzz_capture *a, const fuzz_capture *b)
{
    size_t i;

    if (a->n != b->n)
        return 0;
    for (i = 0; i < a->n; i++) {
        const fuzz_header *x = &a->h[i], *y = &b->h[i];
        if (x->name_len != y->name_len || memcmp(x->name, y->name, x->name_len) != 0 ||
            x->value_len != y->value_len || memcmp(x->value, y->value, x->value_len) != 0 ||
            x->flags != y->flags)
            return 0;
    }
    return 1;
}

static inline int fuzz_same_result(const cors_result *a, const cors_result *b)
{
    return a->outcome == b->outcome && a->status == b->status && a->reason == b->reason &&
           a->detail == b->detail && a->detail_len == b->detail_len;
}

/* Checks the sentence explaining a result: bounded, NUL-terminated,
   printable, and the same however small the buffer (snprintf rules). */
static inline void fuzz_check_describe(const cors_policy *p, const cors_result *res)
{
    char big[2048], small[16];
    size_t n = cors_result_describe(p, res, big, sizeof big);
    size_t m = cors_result_describe(p, res, small, sizeof small);

    FUZZ_CHECK(n == m, "cors_result_describe length depends on the buffer");
    FUZZ_CHECK(n < sizeof big ? strlen(big) == n : strlen(big) == sizeof big - 1,
               "cors_result_describe length");
    FUZZ_CHECK(fuzz_printable(big, strlen(big)), "cors_result_describe output not printable");
    FUZZ_CHECK(strlen(small) == (n < sizeof small ? n : sizeof small - 1),
               "cors_result_describe truncation");
    FUZZ_CHECK(memcmp(small, big, strlen(small)) == 0, "cors_result_describe truncation differs");
    FUZZ_CHECK(cors_result_describe(p, res, NULL, 0) == n, "cors_result_describe with size 0");
}

/* ----------------------------------------------------------------------
 * An independent reading of a built policy: its normalized text
 * (cors_policy_to_text) split with plain string operations, so the checks
 * below do not reuse the library's own tables or matcher.
 */
#define FUZZ_MAX_ENTRIES 64

typedef struct fuzz_policy_info {
    char *text;
    size_t norigins, nmethods, nheaders;
    const char *origins[FUZZ_MAX_ENTRIES];
    size_t origin_len[FUZZ_MAX_ENTRIES];
    const char *methods[FUZZ_MAX_ENTRIES];
    size_t method_len[FUZZ_MAX_ENTRIES];
    const char *headers[FUZZ_MAX_ENTRIES];
    size_t header_len[FUZZ_MAX_ENTRIES];
    int too_many; /* more entries than recorded: skip the oracle */
    int any_origin, credentials, private_network;
    int denied_status; /* preflight-denied-status; 0 when the text lacks it */
} fuzz_policy_info;

static inline void fuzz_info_add(fuzz_policy_info *info, const char **list, size_t *lens,
                                 size_t *n, const char *s, size_t len)
{
    if (*n == FUZZ_MAX_ENTRIES) {
        info->too_many = 1;
        return;
    }
    list[*n] = s;
    lens[(*n)++] = len;
}

static inline void fuzz_info_init(fuzz_policy_info *info, const cors_policy *p)
{
    size_t len = cors_policy_to_text(p, NULL, 0), pos = 0;
    char *t;

    memset(info, 0, sizeof *info);
    t = malloc(len + 1);
    FUZZ_CHECK(t != NULL, "malloc");
    FUZZ_CHECK(cors_policy_to_text(p, t, len + 1) == len && strlen(t) == len,
               "cors_policy_to_text length");
    info->text = t;
    while (pos < len) {
        char *nl = memchr(t + pos, '\n', len - pos);
        size_t end = nl ? (size_t)(nl - t) : len, i = pos, start;
        const char *dir;
        size_t dir_len;

        FUZZ_CHECK(nl != NULL, "policy text does not end in a newline");
        while (i < end && t[i] != ' ')
            i++;
        dir = t + pos;
        dir_len = i - pos;
        while (i < end) {
            i++;
            start = i;
            while (i < end && t[i] != ' ')
                i++;
            if (i == start)
                continue;
#define FUZZ_DIR(name) (dir_len == strlen(name) && memcmp(dir, name, dir_len) == 0)
            if (FUZZ_DIR("allow-origin")) {
                if (i - start == 1 && t[start] == '*')
                    info->any_origin = 1;
                fuzz_info_add(info, info->origins, info->origin_len, &info->norigins, t + start,
                              i - start);
            } else if (FUZZ_DIR("allow-methods")) {
                fuzz_info_add(info, info->methods, info->method_len, &info->nmethods, t + start,
                              i - start);
            } else if (FUZZ_DIR("allow-headers")) {
                fuzz_info_add(info, info->headers, info->header_len, &info->nheaders, t + start,
                              i - start);
            } else if (FUZZ_DIR("allow-credentials")) {
                info->credentials = i - start == 2 && memcmp(t + start, "on", 2) == 0;
            } else if (FUZZ_DIR("allow-private-network")) {
                info->private_network = i - start == 2 && memcmp(t + start, "on", 2) == 0;
            } else if (FUZZ_DIR("preflight-denied-status")) {
                size_t d;
                info->denied_status = 0;
                for (d = start; d < i; d++)
                    info->denied_status = info->denied_status * 10 + (t[d] - '0');
            }
#undef FUZZ_DIR
        }
        pos = end + 1;
    }
}

static inline void fuzz_info_free(fuzz_policy_info *info)
{
    free(info->text);
    info->text = NULL;
}

/* Splits a canonical origin into scheme, host and port (port_len 0: none). */
static inline void fuzz_split_origin(const char *s, size_t n, size_t *host, size_t *host_end)
{
    size_t i = 0;

    while (i + 2 < n && !(s[i] == ':' && s[i + 1] == '/' && s[i + 2] == '/'))
        i++;
    *host = i + 3 <= n ? i + 3 : n;
    i = *host;
    if (i < n && s[i] == '[') {
        while (i < n && s[i] != ']')
            i++;
        if (i < n)
            i++;
    } else {
        while (i < n && s[i] != ':')
            i++;
    }
    *host_end = i;
}

/* Does entry (a normalized policy origin) admit the valid request origin o? */
static inline int fuzz_entry_admits(const char *e, size_t en, const char *o, size_t on)
{
    size_t eh, ehe, oh, ohe;

    if (en == 1 && e[0] == '*')
        return 1;
    fuzz_split_origin(e, en, &eh, &ehe);
    fuzz_split_origin(o, on, &oh, &ohe);
    /* scheme */
    if (eh != oh || memcmp(e, o, eh) != 0)
        return 0;
    /* port */
    if (!(en - ehe == 2 && memcmp(e + ehe, ":*", 2) == 0) &&
        (en - ehe != on - ohe || memcmp(e + ehe, o + ohe, en - ehe) != 0))
        return 0;
    /* host */
    if (ehe - eh >= 2 && e[eh] == '*' && e[eh + 1] == '.') {
        size_t suffix = ehe - eh - 1; /* ".example.com" */
        return ohe - oh > suffix && memcmp(o + ohe - suffix, e + eh + 1, suffix) == 0;
    }
    return ehe - eh == ohe - oh && memcmp(e + eh, o + oh, ehe - eh) == 0;
}

static inline int fuzz_info_admits(const fuzz_policy_info *info, const char *o, size_t on)
{
    size_t i;

    for (i = 0; i < info->norigins; i++)
        if (fuzz_entry_admits(info->origins[i], info->origin_len[i], o, on))
            return 1;
    return 0;
}

static inline int fuzz_is_tchar(unsigned char c)
{
    return c < 128 && cors__tchar[c];
}

static inline int fuzz_method_admitted(const fuzz_policy_info *info, const char *m, size_t n)
{
    size_t i;

    if ((n == 3 && memcmp(m, "GET", 3) == 0) || (n == 4 && memcmp(m, "HEAD", 4) == 0) ||
        (n == 4 && memcmp(m, "POST", 4) == 0))
        return 1;
    for (i = 0; i < info->nmethods; i++)
        if ((info->method_len[i] == 1 && info->methods[i][0] == '*') ||
            (info->method_len[i] == n && memcmp(info->methods[i], m, n) == 0))
            return 1;
    return 0;
}

static inline int fuzz_header_admitted(const fuzz_policy_info *info, const char *h, size_t n)
{
    size_t i, k;
    int star = 0;

    for (i = 0; i < info->nheaders; i++) {
        if (info->header_len[i] == 1 && info->headers[i][0] == '*')
            star = 1;
        if (info->header_len[i] != n)
            continue;
        for (k = 0; k < n; k++) {
            unsigned char a = (unsigned char)h[k];
            if (a >= 'A' && a <= 'Z')
                a = (unsigned char)(a + 32);
            if (a != (unsigned char)info->headers[i][k])
                break;
        }
        if (k == n)
            return 1;
    }
    return star && !fuzz_eq_nocase(h, n, "authorization");
}

/* Is p inside [base, base + n)? */
static inline int fuzz_within(const char *p, size_t len, const char *base, size_t n)
{
    return base && p >= base && p + len <= base + n;
}

/*
 * Evaluates req against p and checks every promise cors.h makes about the
 * answer.  Returns the outcome.
 */
static inline cors_outcome
fuzz_check_evaluation(const cors_policy *p, const fuzz_policy_info *info, const cors_request *req)
{
    fuzz_capture cap, again;
    cors_result res, res2;
    cors_header arr[CORS_MAX_HEADERS];
    static char scratch[CORS_SCRATCH_SIZE];
    size_t count = 0, i, k;
    int preflight, accepted, allowed;
    const fuzz_header *ao, *ac, *am, *ah, *ma, *apn, *eh, *vary;
    cors__origin parsed;
    int origin_valid;
    cors_error rc;

    /* (only the counts are reset: the captures are large, and clearing
       them for every evaluation would dominate the run) */
    cap.n = again.n = 0;
    cap.stop_at = again.stop_at = 0;
    cors_result_init(&res);
    cors_result_init(&res2);
    rc = cors_evaluate(p, req, fuzz_emit, &cap, &res);
    FUZZ_CHECK(rc == CORS_OK, "cors_evaluate did not return CORS_OK");

    /* Deterministic, and the array variant says the same. */
    FUZZ_CHECK(cors_evaluate(p, req, fuzz_emit, &again, &res2) == CORS_OK, "second evaluation");
    FUZZ_CHECK(fuzz_same_result(&res, &res2) && fuzz_same_capture(&cap, &again),
               "evaluation is not deterministic");
    cors_result_init(&res2);
    FUZZ_CHECK(cors_evaluate_headers(p, req, arr, CORS_MAX_HEADERS, &count, scratch,
                                     sizeof scratch, &res2) == CORS_OK,
               "cors_evaluate_headers failed");
    FUZZ_CHECK(fuzz_same_result(&res, &res2) && count == cap.n, "array variant differs");
    for (i = 0; i < count; i++)
        FUZZ_CHECK(arr[i].name_len == cap.h[i].name_len &&
                       memcmp(arr[i].name, cap.h[i].name, arr[i].name_len) == 0 &&
                       arr[i].value_len == cap.h[i].value_len &&
                       (arr[i].value_len == 0 ||
                        memcmp(arr[i].value, cap.h[i].value, arr[i].value_len) == 0) &&
                       arr[i].flags == cap.h[i].flags,
                   "array variant emits different headers");
    if (count > 0) {
        size_t need = 0;
        cors_result_init(&res2);
        FUZZ_CHECK(cors_evaluate_headers(p, req, arr, count - 1, &need, scratch, sizeof scratch,
                                         &res2) == CORS_ERR_BUFFER_TOO_SMALL &&
                       need == count,
                   "a too small array is not reported");
    }
    /* The emitter can stop the evaluation after any header. */
    for (k = 1; k <= cap.n; k++) {
        again.n = 0;
        again.stop_at = (int)k;
        cors_result_init(&res2);
        FUZZ_CHECK(cors_evaluate(p, req, fuzz_emit, &again, &res2) == CORS_ERR_EMIT &&
                       again.n == k && fuzz_same_result(&res, &res2),
                   "stopping the emitter");
    }

    preflight = req->origin && req->request_method && req->method_len == 7 &&
                memcmp(req->method, "OPTIONS", 7) == 0;
    accepted = res.outcome == CORS_OUTCOME_PREFLIGHT_ACCEPTED;
    allowed = accepted || res.outcome == CORS_OUTCOME_ACTUAL_ALLOWED;
    /* A request from the server's own origin is not CORS, whatever its
       shape (a policy may name server origins). */
    if (res.outcome == CORS_OUTCOME_SAME_ORIGIN) {
        FUZZ_CHECK(req->origin && res.status == 0 && !allowed, "same-origin outcome");
    } else if (preflight) {
        FUZZ_CHECK(res.outcome == CORS_OUTCOME_PREFLIGHT_ACCEPTED ||
                       res.outcome == CORS_OUTCOME_PREFLIGHT_DENIED,
                   "a preflight not answered as one");
        FUZZ_CHECK(accepted ? res.status >= 200 && res.status <= 299
                            : res.status == info->denied_status,
                   "preflight status");
    } else {
        FUZZ_CHECK(res.outcome != CORS_OUTCOME_PREFLIGHT_ACCEPTED &&
                       res.outcome != CORS_OUTCOME_PREFLIGHT_DENIED && res.status == 0,
                   "an actual request answered as a preflight");
        FUZZ_CHECK((res.outcome == CORS_OUTCOME_NOT_CORS) == (req->origin == NULL),
                   "not-CORS outcome without the Origin header absent");
    }
    FUZZ_CHECK((res.reason == CORS_REASON_NONE) ==
                   (res.outcome != CORS_OUTCOME_PREFLIGHT_DENIED &&
                    res.outcome != CORS_OUTCOME_ACTUAL_DISALLOWED),
               "reason given without a denial, or missing");
    if (res.detail) {
        int inside = fuzz_within(res.detail, res.detail_len, req->origin, req->origin_len) ||
                     fuzz_within(res.detail, res.detail_len, req->request_method,
                                 req->request_method_len) ||
                     fuzz_within(res.detail, res.detail_len, req->request_private_network,
                                 req->request_private_network_len);
        for (i = 0; i < req->request_headers_count; i++)
            inside |= fuzz_within(res.detail, res.detail_len, req->request_headers[i].ptr,
                                  req->request_headers[i].len);
        FUZZ_CHECK(inside, "result detail points outside the request");
    }
    fuzz_check_describe(p, &res);

    ao = fuzz_find(&cap, "Access-Control-Allow-Origin");
    ac = fuzz_find(&cap, "Access-Control-Allow-Credentials");
    am = fuzz_find(&cap, "Access-Control-Allow-Methods");
    ah = fuzz_find(&cap, "Access-Control-Allow-Headers");
    ma = fuzz_find(&cap, "Access-Control-Max-Age");
    apn = fuzz_find(&cap, "Access-Control-Allow-Private-Network");
    eh = fuzz_find(&cap, "Access-Control-Expose-Headers");
    vary = fuzz_find(&cap, "Vary");

    /* A denied preflight carries no CORS header at all (Fetch 3.2.3). */
    if (res.outcome == CORS_OUTCOME_PREFLIGHT_DENIED)
        FUZZ_CHECK(fuzz_count_ac(&cap) == 0, "a denied preflight carries Access-Control-*");
    if (res.outcome == CORS_OUTCOME_ACTUAL_DISALLOWED)
        FUZZ_CHECK(fuzz_count_ac(&cap) == 0, "a disallowed origin gets Access-Control-*");

    /* Allow-Origin is "*" or the request's own origin, byte for byte, and
       that origin is one the policy admits. */
    origin_valid =
        req->origin && cors__origin_parse(req->origin, req->origin_len, 0, &parsed) == CORS__O_OK;
    if (ao) {
        FUZZ_CHECK(ao->flags == CORS_HEADER_SET, "Allow-Origin must replace");
        FUZZ_CHECK(allowed || (info->any_origin && res.outcome == CORS_OUTCOME_NOT_CORS),
                   "Allow-Origin without an allowed outcome");
        if (info->any_origin) {
            FUZZ_CHECK(ao->value_len == 1 && ao->value[0] == '*', "\"*\" policy reflects");
        } else {
            FUZZ_CHECK(req->origin && ao->value_len == req->origin_len &&
                           memcmp(ao->value, req->origin, req->origin_len) == 0,
                       "Allow-Origin is not the request's origin");
            FUZZ_CHECK(origin_valid, "a malformed origin was reflected");
            FUZZ_CHECK(info->too_many || fuzz_info_admits(info, req->origin, req->origin_len),
                       "reflected an origin the policy does not list");
        }
    } else {
        FUZZ_CHECK(!allowed, "allowed without Allow-Origin");
    }
    if (!info->too_many && !info->any_origin && req->origin && !preflight)
        FUZZ_CHECK(allowed ==
                       (origin_valid && fuzz_info_admits(info, req->origin, req->origin_len)),
                   "an origin the policy lists was not allowed");

    FUZZ_CHECK((ac != NULL) == (allowed && info->credentials), "Allow-Credentials");
    if (ac)
        FUZZ_CHECK(ac->value_len == 4 && memcmp(ac->value, "true", 4) == 0,
                   "Allow-Credentials value");
    FUZZ_CHECK(accepted || (!am && !ah && !ma && !apn), "preflight headers on a non-preflight");
    FUZZ_CHECK(!eh || (!preflight && (allowed || info->any_origin)),
               "Expose-Headers on a preflight or a disallowed response");
    if (apn)
        FUZZ_CHECK(info->private_network && req->request_private_network,
                   "Allow-Private-Network");

    if (accepted) {
        /* What an accepted preflight promises, checked naively. */
        FUZZ_CHECK(info->too_many ||
                       fuzz_method_admitted(info, req->request_method, req->request_method_len),
                   "accepted a method the policy does not list");
        for (k = 0; k < req->request_headers_count; k++) {
            const char *s = req->request_headers[k].ptr;
            size_t n = req->request_headers[k].len, j = 0;
            while (j < n) {
                size_t start;
                while (j < n && (s[j] == ' ' || s[j] == '\t' || s[j] == ','))
                    j++;
                start = j;
                while (j < n && s[j] != ' ' && s[j] != '\t' && s[j] != ',')
                    j++;
                if (j > start) {
                    size_t m;
                    for (m = start; m < j; m++)
                        FUZZ_CHECK(fuzz_is_tchar((unsigned char)s[m]),
                                   "accepted a header name that is not a token");
                    FUZZ_CHECK(info->too_many || fuzz_header_admitted(info, s + start, j - start),
                               "accepted a header the policy does not list");
                }
            }
        }
        if (am)
            for (i = 0; i < am->value_len; i++)
                FUZZ_CHECK(fuzz_is_tchar((unsigned char)am->value[i]) || am->value[i] == ',' ||
                               am->value[i] == ' ',
                           "Allow-Methods holds more than tokens");
        if (ah)
            for (i = 0; i < ah->value_len; i++)
                FUZZ_CHECK(fuzz_is_tchar((unsigned char)ah->value[i]) || ah->value[i] == ',' ||
                               ah->value[i] == ' ' || ah->value[i] == '\t',
                           "Allow-Headers holds more than tokens");
        FUZZ_CHECK(!req->request_private_network || apn, "private network not answered");
    }
    /* Caches must key on what the answer depends on. */
    if (preflight || !info->any_origin)
        FUZZ_CHECK(vary && vary->flags == CORS_HEADER_MERGE, "Vary missing");
    if (vary)
        FUZZ_CHECK(vary->flags == CORS_HEADER_MERGE, "Vary must merge");
    return res.outcome;
}

/* ----------------------------------------------------------------------
 * Allocation failure: an allocator that fails its Nth call and counts what
 * is still allocated.
 */
typedef struct fuzz_alloc {
    long calls, fail_at, live;
    int failed;
} fuzz_alloc;

static inline void *fuzz_alloc_malloc(size_t size, void *user_data)
{
    fuzz_alloc *a = user_data;
    void *p;

    FUZZ_CHECK(size > 0, "malloc_fn called with size 0");
    if (a->calls++ == a->fail_at) {
        a->failed = 1;
        return NULL;
    }
    p = malloc(size);
    FUZZ_CHECK(p != NULL, "malloc");
    a->live++;
    return p;
}

static inline void fuzz_alloc_free(void *ptr, void *user_data)
{
    fuzz_alloc *a = user_data;

    FUZZ_CHECK(ptr != NULL, "free_fn called with NULL");
    FUZZ_CHECK(a->live > 0, "free_fn called more often than malloc_fn");
    a->live--;
    free(ptr);
}

static inline cors_allocator fuzz_alloc_init(fuzz_alloc *a, long fail_at)
{
    cors_allocator al;

    memset(a, 0, sizeof *a);
    a->fail_at = fail_at;
    al.malloc_fn = fuzz_alloc_malloc;
    al.free_fn = fuzz_alloc_free;
    al.user_data = a;
    return al;
}

/* Which allocations to fail for one input: every one when replaying the
   corpus (FUZZ_SWEEP_ALL, the standalone driver), a few spread by the input
   when fuzzing, where a full sweep per input would starve the search. */
static inline int fuzz_should_fail(long k, long total, const uint8_t *data, size_t size)
{
#ifdef FUZZ_SWEEP_ALL
    (void)total;
    (void)data;
    (void)size;
    return k >= 0;
#else
    uint32_t h = 2166136261u;
    size_t i;

    for (i = 0; i < size && i < 64; i++)
        h = (h ^ data[i]) * 16777619u;
    return total > 0 && (k == (long)(h % (uint32_t)total) || k == total - 1 || k == 0);
#endif
}

/* What a builder gives: its scenario's return, the build's, the policy
   text.  text is malloc'd (NULL when nothing was built). */
typedef cors_error (*fuzz_scenario)(cors_builder *b, const char *s, size_t n);

static inline cors_error fuzz_build_text(cors_builder *b, cors_error *built, char **text)
{
    cors_policy *p = NULL;
    size_t i;

    *built = cors_builder_build(b, &p);
    *text = NULL;
    FUZZ_CHECK((*built == CORS_OK) == (p != NULL), "build result and policy disagree");
    for (i = 0; i < cors_builder_diagnostic_count(b); i++) {
        const char *m = cors_builder_diagnostic(b, i)->message;
        FUZZ_CHECK(m && fuzz_printable(m, strlen(m)), "diagnostic message");
    }
    if (p) {
        size_t len = cors_policy_to_text(p, NULL, 0);
        *text = malloc(len + 1);
        FUZZ_CHECK(*text != NULL, "malloc");
        cors_policy_to_text(p, *text, len + 1);
        cors_policy_free(p);
    }
    return *built;
}

/*
 * Runs fn on a fresh builder with the Nth allocation failing, for the N
 * that fuzz_should_fail picks among all the allocations a normal run
 * makes.  Each failure is reported (the setter or parse gives its normal
 * result or CORS_ERR_NOMEM, and the build gives CORS_ERR_NOMEM), nothing
 * leaks, and an N past the last allocation gives exactly the normal run.
 */
static inline void fuzz_alloc_sweep(fuzz_scenario fn, const char *s, size_t n,
                                    const uint8_t *data, size_t size)
{
    fuzz_alloc a;
    cors_allocator al = fuzz_alloc_init(&a, -1);
    cors_builder *b = cors_builder_new(&al);
    cors_error ref_rc, ref_built, rc, built;
    char *ref_text, *text;
    long total, k;

    FUZZ_CHECK(b != NULL, "cors_builder_new");
    ref_rc = fn(b, s, n);
    fuzz_build_text(b, &ref_built, &ref_text);
    cors_builder_free(b);
    FUZZ_CHECK(a.live == 0, "a normal run leaks");
    FUZZ_CHECK(ref_rc != CORS_ERR_NOMEM && ref_built != CORS_ERR_NOMEM, "NOMEM without failure");
    total = a.calls;

    for (k = 0; k <= total; k++) {
        if (k < total && !fuzz_should_fail(k, total, data, size))
            continue;
        al = fuzz_alloc_init(&a, k);
        b = cors_builder_new(&al);
        if (!b) {
            FUZZ_CHECK(k == 0 && a.live == 0, "cors_builder_new failed late or leaked");
            continue;
        }
        rc = fn(b, s, n);
        FUZZ_CHECK(rc == ref_rc || rc == CORS_ERR_NOMEM, "allocation failure changed a result");
        fuzz_build_text(b, &built, &text);
        cors_builder_free(b);
        FUZZ_CHECK(a.live == 0, "leak after an allocation failure");
        if (a.failed) {
            FUZZ_CHECK(built == CORS_ERR_NOMEM, "allocation failure not reported by the build");
        } else {
            FUZZ_CHECK(k == total && rc == ref_rc && built == ref_built &&
                           (text == NULL) == (ref_text == NULL) &&
                           (!text || strcmp(text, ref_text) == 0),
                       "a run without failure differs from the normal one");
        }
        free(text);
    }
    free(ref_text);
}

#endif
