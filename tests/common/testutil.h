/*
 * testutil.h - helpers shared by the Check suites: building policies from
 * text, running requests, and capturing what the emitter receives.
 */
#ifndef CORS_TESTUTIL_H
#define CORS_TESTUTIL_H

#include <check.h>
#include <cors.h>

#include "testmacros.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* The helpers are static inline: each suite uses only some of them, and
   an unused plain static function would fail -Werror=unused-function. */

#define TU_MAX_CAPTURED 16

typedef struct tu_header {
    char name[64];
    char value[8192];
    size_t value_len;
    unsigned flags;
} tu_header;

typedef struct tu_capture {
    size_t n;
    tu_header h[TU_MAX_CAPTURED];
} tu_capture;

/* Stores one header; the caller has checked that it fits. */
static inline void tu_capture_put(tu_capture *c, const char *name, size_t name_len,
                                  const char *value, size_t value_len, unsigned flags)
{
    tu_header *h = &c->h[c->n++];

    memcpy(h->name, name, name_len);
    h->name[name_len] = '\0';
    memcpy(h->value, value, value_len);
    h->value[value_len] = '\0';
    h->value_len = value_len;
    h->flags = flags;
}

/* The emitter used by the tests: copies every header and checks the
   library's promise that names and values never hold CR, LF or NUL. */
static inline int tu_emit(void *ctx, const char *name, size_t name_len,
                          const char *value, size_t value_len, unsigned flags)
{
    tu_capture *c = ctx;
    tu_header *h;
    size_t i;

    ck_assert_uint_lt(c->n, TU_MAX_CAPTURED);
    ck_assert_uint_lt(name_len, sizeof h->name);
    ck_assert_uint_lt(value_len, sizeof h->value);
    for (i = 0; i < name_len; i++)
        ck_assert_msg(name[i] != '\r' && name[i] != '\n' && name[i] != '\0',
                      "header name with CR/LF/NUL");
    for (i = 0; i < value_len; i++)
        ck_assert_msg(value[i] != '\r' && value[i] != '\n' && value[i] != '\0',
                      "header value with CR/LF/NUL");
    ck_assert(flags == CORS_HEADER_SET || flags == CORS_HEADER_MERGE);
    tu_capture_put(c, name, name_len, value, value_len, flags);
    return 0;
}

/* The value of header name (case-insensitive), or NULL when not emitted;
   fails when it was emitted more than once. */
static inline const char *tu_get(const tu_capture *c, const char *name)
{
    const char *found = NULL;
    size_t i;

    for (i = 0; i < c->n; i++) {
        if (strcasecmp(c->h[i].name, name) == 0) {
            ck_assert_msg(found == NULL, "header %s emitted twice", name);
            found = c->h[i].value;
        }
    }
    return found;
}

static inline unsigned tu_flags(const tu_capture *c, const char *name)
{
    size_t i;

    for (i = 0; i < c->n; i++)
        if (strcasecmp(c->h[i].name, name) == 0)
            return c->h[i].flags;
    return 0;
}

/* Number of Access-Control-* headers emitted. */
static inline size_t tu_count_ac(const tu_capture *c)
{
    size_t i, n = 0;

    for (i = 0; i < c->n; i++)
        if (strncasecmp(c->h[i].name, "Access-Control-", 15) == 0)
            n++;
    return n;
}

static inline void tu_print_diags(const cors_builder *b)
{
    size_t i;

    for (i = 0; i < cors_builder_diagnostic_count(b); i++) {
        const cors_diagnostic *d = cors_builder_diagnostic(b, i);
        fprintf(stderr, "%u: %s: %s\n", d->line,
                d->severity == CORS_SEVERITY_ERROR ? "error" : "warning", d->message);
    }
}

/* A policy from text that must build. */
static inline cors_policy *tu_policy(const char *text)
{
    cors_builder *b = cors_builder_new(NULL);
    cors_policy *p = NULL;
    cors_error e;

    ck_assert_ptr_nonnull(b);
    cors_builder_parse(b, text, strlen(text));
    e = cors_builder_build(b, &p);
    if (e != CORS_OK)
        tu_print_diags(b);
    ck_assert_msg(e == CORS_OK, "policy did not build: %s\n%s", cors_strerror(e), text);
    ck_assert_ptr_nonnull(p);
    cors_builder_free(b);
    return p;
}

/* Builds a table of policies from texts (each must build), and frees it. */
static inline void tu_policies_build(cors_policy **policies, const char *const *texts, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++)
        policies[i] = tu_policy(texts[i]);
}

static inline void tu_policies_free(cors_policy **policies, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++) {
        cors_policy_free(policies[i]);
        policies[i] = NULL;
    }
}

/* Builds text and returns the error code; *first_message gets a copy of
   the first error diagnostic (or "") so tests can check the wording. */
static inline cors_error tu_build_error(const char *text, char *first_message,
                                        size_t size, unsigned *line)
{
    cors_builder *b = cors_builder_new(NULL);
    cors_policy *p = NULL;
    cors_error e;
    size_t i;

    ck_assert_ptr_nonnull(b);
    cors_builder_parse(b, text, strlen(text));
    e = cors_builder_build(b, &p);
    if (first_message && size)
        first_message[0] = '\0';
    for (i = 0; i < cors_builder_diagnostic_count(b); i++) {
        const cors_diagnostic *d = cors_builder_diagnostic(b, i);
        if (d->severity != CORS_SEVERITY_ERROR)
            continue;
        if (first_message)
            snprintf(first_message, size, "%s", d->message);
        if (line)
            *line = d->line;
        break;
    }
    cors_policy_free(p);
    cors_builder_free(b);
    return e;
}

/* Runs one request; NULL arguments are absent headers. */
static inline cors_error tu_run(const cors_policy *p, const char *method,
                                const char *origin, const char *acrm, const char *acrh,
                                tu_capture *c, cors_result *res)
{
    cors_request req;
    cors_str h;

    cors_request_init(&req);
    cors_result_init(res);
    memset(c, 0, sizeof *c);
    if (method) {
        req.method = method;
        req.method_len = strlen(method);
    }
    if (origin) {
        req.origin = origin;
        req.origin_len = strlen(origin);
    }
    if (acrm) {
        req.request_method = acrm;
        req.request_method_len = strlen(acrm);
    }
    if (acrh) {
        h.ptr = acrh;
        h.len = strlen(acrh);
        req.request_headers = &h;
        req.request_headers_count = 1;
    }
    return cors_evaluate(p, &req, tu_emit, c, res);
}

/* Runs a request the test filled itself: explicit lengths (a NUL inside a
   value), several Access-Control-Request-Headers lines, and so on. */
static inline cors_error tu_run_request(const cors_policy *p, const cors_request *req,
                                        tu_capture *c, cors_result *res)
{
    cors_result_init(res);
    memset(c, 0, sizeof *c);
    return cors_evaluate(p, req, tu_emit, c, res);
}

/* Whether b recorded a diagnostic of severity sev whose message contains
   needle. */
static inline int tu_has_diag(const cors_builder *b, cors_severity sev, const char *needle)
{
    size_t i;

    for (i = 0; i < cors_builder_diagnostic_count(b); i++) {
        const cors_diagnostic *d = cors_builder_diagnostic(b, i);
        if (d->severity == sev && strstr(d->message, needle) != NULL)
            return 1;
    }
    return 0;
}

/* Whether any emitted header value contains the len bytes at needle: the
   check that a request value was not reflected. */
static inline int tu_value_contains(const tu_capture *c, const char *needle, size_t len)
{
    size_t i, k;

    if (len == 0)
        return 0;
    for (i = 0; i < c->n; i++)
        for (k = 0; k + len <= c->h[i].value_len; k++)
            if (memcmp(c->h[i].value + k, needle, len) == 0)
                return 1;
    return 0;
}

/* Runs a Check suite and returns the process exit status. */
static inline int tu_main(Suite *s)
{
    SRunner *sr = srunner_create(s);
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

#endif
