/*
 * pkgconfig-demo.c - a downstream program, built by tests/integration/test-pkgconfig.sh
 * against an installed libcors with nothing but what pkg-config says.  It
 * answers A messaging app's preflight and prints the headers.
 *
 * Copyright (c) 2026 The libcors authors.  MIT licence, see COPYING.
 */
#include <cors.h>

#include <stdio.h>
#include <string.h>

static int print_header(void *ctx, const char *name, size_t name_len, const char *value,
                        size_t value_len, unsigned flags)
{
    (void)ctx;
    printf("%.*s: %.*s%s\n", (int)name_len, name, (int)value_len, value,
           flags & CORS_HEADER_MERGE ? " (merge)" : "");
    return 0;
}

int main(void)
{
    static const char text[] = "allow-origin     *\n"
                               "allow-methods    GET, PUT, POST, DELETE\n"
                               "allow-headers    Content-Type, Accept\n"
                               "preflight-status 200\n";
    static const char acrh[] = "accept, content-type";
    cors_builder *b = cors_builder_new(NULL);
    cors_policy *policy = NULL;
    cors_request req;
    cors_result res;
    cors_str lines[1];

    if (!b || cors_builder_parse(b, text, strlen(text)) != CORS_OK ||
        cors_builder_build(b, &policy) != CORS_OK) {
        fprintf(stderr, "policy: %s\n", cors_strerror(CORS_ERR_POLICY));
        return 1;
    }
    cors_builder_free(b);
    /* The header this was compiled with and the library it runs with. */
    printf("libcors %s (built with %s)\n", cors_version_string(), CORS_VERSION_STRING);

    cors_request_init(&req);
    req.method = "OPTIONS";
    req.method_len = 7;
    req.origin = "http://client.example";
    req.origin_len = strlen(req.origin);
    req.request_method = "POST";
    req.request_method_len = 4;
    lines[0].ptr = acrh;
    lines[0].len = sizeof acrh - 1;
    req.request_headers = lines;
    req.request_headers_count = 1;
    cors_result_init(&res);
    if (cors_evaluate(policy, &req, print_header, NULL, &res) != CORS_OK)
        return 1;
    printf("%s, status %d\n", cors_outcome_string(res.outcome), res.status);
    cors_policy_free(policy);
    return res.outcome == CORS_OUTCOME_PREFLIGHT_ACCEPTED ? 0 : 1;
}
