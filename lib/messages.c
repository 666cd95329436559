/*
 * messages.c - the text of every code the library returns (each from one
 * list, which -Wswitch checks against its enum) and the sentence that
 * explains a result.
 */
#include "policy.h"

#include <stdio.h>
#include <string.h>

/* One "case code: return text;" per entry of a list below. */
#define CASE_TEXT(code, text) \
    case code:                \
        return text;
/* The outcome and reason lists give each code a token and a text. */
#define CASE_TOKEN(code, token, text) CASE_TEXT(code, token)
#define CASE_TOKEN_TEXT(code, token, text) CASE_TEXT(code, text)

#define ERROR_TEXTS(X) \
    X(CORS_OK, "success") \
    X(CORS_ERR_NOMEM, "out of memory") \
    X(CORS_ERR_INVALID_ARGUMENT, "invalid argument (a NULL pointer or an out-of-range value)") \
    X(CORS_ERR_STRUCT_SIZE, "struct_size is unset or too small: initialize the struct with " \
                            "cors_request_init() or cors_result_init()") \
    X(CORS_ERR_ORIGIN, "an origin in the policy is refused") \
    X(CORS_ERR_METHOD, "a method in the policy is refused") \
    X(CORS_ERR_HEADER, "an allowed request header in the policy is refused") \
    X(CORS_ERR_EXPOSE_HEADER, "an exposed response header in the policy is refused") \
    X(CORS_ERR_MAX_AGE, "max-age must be " CORS__MAX_AGE_RANGE) \
    X(CORS_ERR_STATUS, "a preflight status is out of range: 200 to 299 when accepted, " \
                       "200 to 299 or 400 to 499 when denied") \
    X(CORS_ERR_CONFLICT, "policy settings are unsafe together") \
    X(CORS_ERR_SYNTAX, "policy text: malformed line or value") \
    X(CORS_ERR_UNKNOWN_DIRECTIVE, "policy text: unknown directive") \
    X(CORS_ERR_DUPLICATE, "policy text: a single-valued setting is given twice") \
    X(CORS_ERR_POLICY, "the policy has errors (see the builder's diagnostics)") \
    X(CORS_ERR_EMIT, "the header emitter stopped the evaluation") \
    X(CORS_ERR_BUFFER_TOO_SMALL, "a caller-provided array or buffer is too small") \
    X(CORS_ERR_LIMIT, "the policy is too large") \
    X(CORS_ERR_FILE, "the policy file cannot be opened or read")

const char *cors_strerror(cors_error err)
{
    switch (err) {
        ERROR_TEXTS(CASE_TEXT)
    }
    return "unknown libcors error";
}

/* The id strings come from the one list in diag_ids.h. */
#define CASE_ID(name, id, meaning) \
    case CORS__DIAG_##name:        \
        return id;

const char *cors__diag_id_string(cors__diag_id id)
{
    switch (id) {
        CORS__DIAG_IDS(CASE_ID)
    case CORS__NDIAG_IDS:
        break;
    }
    return "unknown";
}

/* Each outcome's token (a word for log fields and server variables, which
   integrators match on: never changed once released) and its text. */
#define OUTCOME_TEXTS(X) \
    X(CORS_OUTCOME_NOT_CORS, "not-cors", "not a CORS request") \
    X(CORS_OUTCOME_PREFLIGHT_ACCEPTED, "preflight-accepted", "preflight accepted") \
    X(CORS_OUTCOME_PREFLIGHT_DENIED, "preflight-denied", "preflight denied") \
    X(CORS_OUTCOME_ACTUAL_ALLOWED, "actual-allowed", "actual request allowed") \
    X(CORS_OUTCOME_ACTUAL_DISALLOWED, "actual-disallowed", \
      "actual request from a disallowed origin") \
    X(CORS_OUTCOME_SAME_ORIGIN, "same-origin", \
      "same-origin request (the server's own origin: no CORS headers needed)")

const char *cors_outcome_string(cors_outcome outcome)
{
    switch (outcome) {
        OUTCOME_TEXTS(CASE_TOKEN_TEXT)
    }
    return "unknown outcome";
}

const char *cors_outcome_token(cors_outcome outcome)
{
    switch (outcome) {
        OUTCOME_TEXTS(CASE_TOKEN)
    }
    return "unknown";
}

/* Each reason's token (as the outcomes') and its text. */
#define REASON_TEXTS(X) \
    X(CORS_REASON_NONE, "none", "no denial") \
    X(CORS_REASON_ORIGIN_MALFORMED, "origin-malformed", "origin is not a valid serialized origin") \
    X(CORS_REASON_ORIGIN_NULL, "origin-null", "origin null is never allowed") \
    X(CORS_REASON_ORIGIN_NOT_ALLOWED, "origin-not-allowed", "origin not allowed") \
    X(CORS_REASON_METHOD_MALFORMED, "method-malformed", "requested method is not a valid token") \
    X(CORS_REASON_METHOD_NOT_ALLOWED, "method-not-allowed", "method not allowed") \
    X(CORS_REASON_HEADERS_MALFORMED, "headers-malformed", \
      "Access-Control-Request-Headers is malformed") \
    X(CORS_REASON_HEADERS_TOO_LONG, "headers-too-long", \
      "Access-Control-Request-Headers is too long") \
    X(CORS_REASON_HEADER_NOT_ALLOWED, "header-not-allowed", "header not allowed") \
    X(CORS_REASON_PRIVATE_NETWORK_NOT_ALLOWED, "private-network-not-allowed", \
      "private network access not allowed") \
    X(CORS_REASON_PRIVATE_NETWORK_MALFORMED, "private-network-malformed", \
      "Access-Control-Request-Private-Network is not \"true\"") \
    X(CORS_REASON_FIELD_REPEATED, "field-repeated", \
      "a header that comes once came on several lines")

const char *cors_reason_string(cors_reason reason)
{
    switch (reason) {
        REASON_TEXTS(CASE_TOKEN_TEXT)
    }
    return "unknown reason";
}

const char *cors_reason_token(cors_reason reason)
{
    switch (reason) {
        REASON_TEXTS(CASE_TOKEN)
    }
    return "unknown";
}

/* ------------------------------------------------------------- describe */

/* Request bytes are attacker-controlled: only printable ASCII is copied. */
#define DETAIL_SHOWN 200
#define HEADERS_LIMITS                                                                     \
    CORS__STR(CORS_MAX_REQUEST_HEADERS_BYTES) " bytes or " CORS__STR(                      \
        CORS_MAX_REQUEST_HEADERS_NAMES) " names"

static void s_escaped(cors__sink *s, const char *p, size_t n)
{
    size_t i;
    char e[4];

    for (i = 0; i < n && i < DETAIL_SHOWN; i++)
        cors__sink_put(s, e, cors__escape_byte((unsigned char)p[i], 0, e));
    if (n > DETAIL_SHOWN)
        cors__sink_str(s, "...");
}

/* Without the policy the allowed list is unknown, and "allowed: none"
   would be wrong, so it is left out. */
static void s_allowed(cors__sink *s, const cors_policy *p, const cors_str *v)
{
    if (!p)
        return;
    cors__sink_str(s, "; allowed: ");
    if (v->len)
        cors__sink_put(s, v->ptr, v->len);
    else
        cors__sink_str(s, "none");
}

/* A denied method that the policy lists in another case ("patch" for
   PATCH): Fetch compares methods byte for byte (4.8 step 7.1), which
   surprises, so say so. */
static void s_method_case(cors__sink *s, const cors_policy *p, const cors_result *r)
{
    size_t i;

    if (!p || !r->detail)
        return;
    for (i = 0; i < p->nmethods; i++) {
        if (p->methods[i].len == r->detail_len &&
            cors__eq_nocase(p->methods[i].ptr, r->detail, r->detail_len)) {
            cors__sink_str(s, "; methods are case-sensitive: the policy allows \"");
            cors__sink_put(s, p->methods[i].ptr, p->methods[i].len);
            cors__sink_str(s, "\", not \"");
            s_escaped(s, r->detail, r->detail_len);
            cors__sink_str(s, "\"");
            return;
        }
    }
}

/* How a denial reads: before, the request's bytes that were refused (when
   before is set) and after. */
static const struct denial_text {
    const char *before, *after;
} denial_texts[] = {
    [CORS_REASON_ORIGIN_MALFORMED] = {"origin \"", "\" is not a serialized origin "
                                                   "(scheme://host[:port]) and is never allowed"},
    [CORS_REASON_ORIGIN_NULL] = {NULL, "origin null is never allowed (sandboxed documents, "
                                       "file: pages and redirects send it)"},
    [CORS_REASON_ORIGIN_NOT_ALLOWED] = {"origin ", " is not allowed"},
    [CORS_REASON_METHOD_MALFORMED] = {"requested method \"", "\" is not a valid method token"},
    [CORS_REASON_METHOD_NOT_ALLOWED] = {"method ", " is not allowed"},
    [CORS_REASON_HEADERS_MALFORMED] = {"Access-Control-Request-Headers is malformed near \"",
                                       "\""},
    [CORS_REASON_HEADER_NOT_ALLOWED] = {"header ", " is not allowed"},
    [CORS_REASON_PRIVATE_NETWORK_NOT_ALLOWED] = {NULL, "private network access is not "
                                                       "allowed by this policy"},
    [CORS_REASON_FIELD_REPEATED] = {"the request has several ",
                                    " lines; a user agent sends one, so the request is forged "
                                    "or mangled and refused whatever the policy"},
    [CORS_REASON_PRIVATE_NETWORK_MALFORMED] = {"Access-Control-Request-Private-Network is \"",
                                               "\", not \"true\""},
};

static void s_too_long(cors__sink *s, const cors_result *r)
{
    if (r->detail_len) /* too many lines for cors_fields_add() */
        cors__sink_str(s, "Access-Control-Request-Headers came on more than "
                          CORS__STR(CORS_FIELDS_MAX_REQUEST_HEADER_LINES)
                          " lines and was not read");
    else
        cors__sink_str(s, "Access-Control-Request-Headers is too long (over " HEADERS_LIMITS
                          ") and was not read");
}

/* What the policy would have allowed, after a method or header denial. */
static void s_advice(cors__sink *s, const cors_policy *p, const cors_result *r)
{
    if (r->reason == CORS_REASON_METHOD_NOT_ALLOWED) {
        s_allowed(s, p, p ? &p->allow_methods : NULL);
        cors__sink_str(s, " (GET, HEAD and POST always are)");
        s_method_case(s, p, r);
    } else if (r->reason == CORS_REASON_HEADER_NOT_ALLOWED) {
        s_allowed(s, p, p ? &p->allow_headers : NULL);
        /* The one surprise of "*" (Fetch 4.8): say it outright. */
        if (p && p->any_header && r->detail_len == 13 &&
            cors__eq_nocase(r->detail, "authorization", 13))
            cors__sink_str(s, " (\"*\" never covers Authorization: list it by name)");
    }
}

static void s_denial(cors__sink *s, const cors_policy *p, const cors_result *r)
{
    const struct denial_text *t = NULL;

    if ((size_t)r->reason < sizeof denial_texts / sizeof denial_texts[0])
        t = &denial_texts[r->reason];
    if (r->reason == CORS_REASON_HEADERS_TOO_LONG) {
        s_too_long(s, r);
    } else if (!t || !t->after) {
        cors__sink_str(s, cors_reason_string(r->reason));
    } else {
        if (t->before) {
            cors__sink_str(s, t->before);
            s_escaped(s, r->detail, r->detail_len);
        }
        cors__sink_str(s, t->after);
        s_advice(s, p, r);
    }
}

size_t cors_result_describe(const cors_policy *p, const cors_result *r, char *buf, size_t size)
{
    cors__sink s = {buf, size, 0};

    if (!r)
        cors__sink_str(&s, "no result");
    else if (r->reason == CORS_REASON_NONE)
        cors__sink_str(&s, cors_outcome_string(r->outcome));
    else
        s_denial(&s, p, r);
    return cors__sink_finish(&s);
}
