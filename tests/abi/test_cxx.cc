// cors.h must be usable from C++: it compiles here with the C++ compiler,
// and the calls below link against the C library through extern "C".
#include <cors.h>

#include <cstdio>
#include <cstring>

static int count_headers(void *ctx, const char *, size_t, const char *, size_t, unsigned)
{
    ++*static_cast<int *>(ctx);
    return 0;
}

int main()
{
    cors_builder *b = cors_builder_new(nullptr);
    const char text[] = "allow-origin https://app.example.com\nallow-methods PUT\n";
    cors_policy *p = nullptr;
    if (!b || cors_builder_parse(b, text, sizeof text - 1) != CORS_OK ||
        cors_builder_build(b, &p) != CORS_OK) {
        std::fprintf(stderr, "test-cxx: building the policy failed\n");
        return 1;
    }
    cors_builder_free(b);

    cors_request req;
    cors_request_init(&req);
    req.method = "OPTIONS";
    req.method_len = 7;
    req.origin = "https://app.example.com";
    req.origin_len = std::strlen(req.origin);
    req.request_method = "PUT";
    req.request_method_len = 3;
    cors_result res;
    cors_result_init(&res);
    int n = 0;
    cors_error e = cors_evaluate(p, &req, count_headers, &n, &res);
    cors_policy_free(p);
    if (e != CORS_OK || res.outcome != CORS_OUTCOME_PREFLIGHT_ACCEPTED || res.status != 204 ||
        n != 3) {
        std::fprintf(stderr, "test-cxx: unexpected result %s, %d headers\n",
                     cors_outcome_string(res.outcome), n);
        return 1;
    }
    std::printf("test-cxx: ok (libcors %s)\n", cors_version_string());
    return 0;
}
