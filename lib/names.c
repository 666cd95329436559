/*
 * names.c - the Fetch Standard's lists of methods and header names.
 */
#include "names.h"
#include "util.h"

#include <string.h>

static int in_list(const char *const *list, const char *s, size_t n)
{
    for (; *list; list++)
        if (strlen(*list) == n && memcmp(*list, s, n) == 0)
            return 1;
    return 0;
}

/* Fetch 2.2.2 "forbidden request-header": a page can never set these, so a
   policy listing them is a mistake (and Origin/Cookie/Host could never be
   granted to a page anyway). */
int cors__forbidden_request_header(const char *lower, size_t n)
{
    static const char *const names[] = {
        "accept-charset", "accept-encoding", "access-control-request-headers",
        "access-control-request-method", "connection", "content-length",
        "cookie", "cookie2", "date", "dnt", "expect", "host", "keep-alive",
        "origin", "referer", "set-cookie", "te", "trailer",
        "transfer-encoding", "upgrade", "via", NULL};

    if (n >= 4 && memcmp(lower, "sec-", 4) == 0)
        return 1;
    if (n >= 6 && memcmp(lower, "proxy-", 6) == 0)
        return 1;
    return in_list(names, lower, n);
}

static int has_prefix(const char *lower, size_t n, const char *prefix)
{
    size_t k = strlen(prefix);

    return n > k && memcmp(lower, prefix, k) == 0;
}

/* The CORS response headers (Fetch 3.2.3): a server sends them, a page
   never sets them, so they are no request headers to allow. */
int cors__cors_response_header(const char *lower, size_t n)
{
    static const char *const names[] = {"access-control-expose-headers",
                                        "access-control-max-age", NULL};

    return has_prefix(lower, n, "access-control-allow-") || in_list(names, lower, n);
}

/* Headers that never reach a page as response headers it could read: the
   request headers of CORS (Fetch 3.2.2) and those only preflight
   responses carry (Fetch 3.2.3). */
int cors__unexposable_header(const char *lower, size_t n)
{
    static const char *const names[] = {
        "origin", "access-control-allow-methods", "access-control-allow-headers",
        "access-control-max-age", "access-control-allow-private-network", NULL};

    return has_prefix(lower, n, "access-control-request-") || in_list(names, lower, n);
}

/* Fetch 2.2.2 "CORS-safelisted response-header name": always readable. */
int cors__safelisted_response_header(const char *lower, size_t n)
{
    static const char *const names[] = {"cache-control", "content-language",
                                        "content-length", "content-type", "expires",
                                        "last-modified", "pragma", NULL};
    return in_list(names, lower, n);
}

/* Fetch 2.2.1 "normalize a method": only these six are upper-cased by
   browsers; every other method is sent byte for byte as the page wrote it. */
int cors__normalizable_method(const char *s, size_t n)
{
    static const char *const names[] = {"DELETE", "GET", "HEAD", "OPTIONS", "POST", "PUT", NULL};
    const char *const *p;

    for (p = names; *p; p++)
        if (strlen(*p) == n && cors__eq_nocase(*p, s, n))
            return 1;
    return 0;
}

int cors__safelisted_method(const char *s, size_t n)
{
    return n - 1 < CORS__METHOD_KEY_MAX && cors__safelisted_method_key(cors__method_key(s, n));
}

/* Fetch 2.2.1: browsers refuse to send these, so allowing one is a mistake. */
int cors__forbidden_method(const char *s, size_t n)
{
    static const char *const names[] = {"CONNECT", "TRACE", "TRACK", NULL};
    const char *const *p;

    for (p = names; *p; p++)
        if (strlen(*p) == n && cors__eq_nocase(*p, s, n))
            return 1;
    return 0;
}

/* Fetch 2.2.2: a page can never read these; cookies stay with the browser. */
int cors__forbidden_response_header(const char *lower, size_t n)
{
    static const char *const names[] = {"set-cookie", "set-cookie2", NULL};

    return in_list(names, lower, n);
}
