/*
 * minimal.c - libcors in one page: build a policy, answer a messaging app's
 * preflight, print the response headers.  Read this first.
 *
 *   cc -o minimal minimal.c $(pkg-config --cflags --libs libcors)
 */
#include <cors.h>
#include <stdio.h>
#include <string.h>

/* libcors hands each response header to a callback; a server would add it
   to its response, this one prints it. */
static int print_header(void *ctx, const char *name, size_t name_len,
                        const char *value, size_t value_len, unsigned flags)
{
    (void)ctx;
    (void)flags; /* CORS_HEADER_MERGE (Vary) joins a list the response may have */
    printf("%.*s: %.*s\n", (int)name_len, name, (int)value_len, value);
    return 0;
}

int main(void)
{
    /* The policy, in the format of libcors-policy(5).  Build it once at
       startup: evaluating against it allocates nothing. */
    static const char text[] = "allow-origin  https://messages.example\n"
                               "allow-methods GET POST\n"
                               "allow-headers Content-Type\n";
    cors_builder *b = cors_builder_new(NULL);
    cors_policy *policy = NULL;

    if (b == NULL)
        return 1;
    cors_builder_parse(b, text, strlen(text));
    if (cors_builder_build(b, &policy) != CORS_OK) {
        fprintf(stderr, "the policy does not build\n");
        cors_builder_free(b);
        return 1;
    }
    cors_builder_free(b);

    /* The request as the server received it: a browser's preflight asking
       whether https://messages.example may POST with a Content-Type. */
    cors_str acrh = {"content-type", 12};
    cors_request req;
    cors_result res;
    cors_request_init(&req);
    req.method = "OPTIONS";
    req.method_len = 7;
    req.origin = "https://messages.example";
    req.origin_len = strlen(req.origin);
    req.request_method = "POST";
    req.request_method_len = 4;
    req.request_headers = &acrh;
    req.request_headers_count = 1;

    cors_result_init(&res);
    if (cors_evaluate(policy, &req, print_header, NULL, &res) != CORS_OK)
        return 1;
    /* A preflight is answered at once, with the status libcors chose. */
    printf("%s: status %d\n", cors_outcome_string(res.outcome), res.status);
    cors_policy_free(policy);
    return 0;
}

/* It prints (tests/integration/test-minimal.sh checks it):
Access-Control-Allow-Origin: https://messages.example
Access-Control-Allow-Methods: GET, POST
Access-Control-Allow-Headers: content-type
Vary: Origin, Access-Control-Request-Method, Access-Control-Request-Headers
preflight accepted: status 204
*/
