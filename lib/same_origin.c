/*
 * same_origin.c - recognizing requests from the server's own pages.
 *
 * Browsers send Origin on same-origin requests too: POST, PUT, PATCH and
 * DELETE from forms and fetch() (Fetch 3.1, "Origin header": only GET and
 * HEAD of the same origin go without one).  Such a request is not a CORS
 * request and must never be reported as disallowed, or a server that
 * refuses disallowed requests breaks its own site.  Same origin means the
 * same scheme, host and port (HTML, "same origin").
 */
#include "policy.h"
#include "origin.h"

#include <string.h>

/* A configured server origin is canonical, as is every Origin a browser
   sends, so equal bytes are the same origin. */
static int is_server_origin(const cors_policy *p, const char *s, size_t n)
{
    size_t i;

    for (i = 0; i < p->nserver_origins; i++)
        if (p->server_origins[i].len == n && memcmp(p->server_origins[i].ptr, s, n) == 0)
            return 1;
    return 0;
}

/* The port of a Host header ("host[:port]", "[v6][:port]"): *name_len
   gets the length of its host part.  The scheme's default when there is
   none; 0 when it is not a port. */
static unsigned host_port(const char *h, size_t n, int scheme, size_t *name_len)
{
    size_t i = n, k;
    unsigned port = 0;

    while (i > 0 && h[i - 1] >= '0' && h[i - 1] <= '9')
        i--;
    if (i == 0 || h[i - 1] != ':' || (h[0] == '[' && h[i - 2] != ']')) {
        *name_len = n;
        return scheme == CORS__HTTPS ? 443 : 80;
    }
    *name_len = i - 1;
    if (n - i == 0 || n - i > 5)
        return 0;
    for (k = i; k < n; k++)
        port = port * 10 + (unsigned)(h[k] - '0');
    return port <= 65535 ? port : 0;
}

/* The request's Origin is the origin its scheme and Host make. */
static int is_request_origin(const cors_request *r)
{
    cors__origin o;
    size_t name_len;
    unsigned port;

    if (cors__origin_parse(r->origin, r->origin_len, 0, &o) != CORS__O_OK)
        return 0;
    /* The scheme, whatever its case, must be the Origin's. */
    if (r->scheme_len != (o.scheme == CORS__HTTPS ? 5u : 4u) ||
        !cors__eq_nocase(r->scheme, r->origin, r->scheme_len))
        return 0;
    port = host_port(r->host, r->host_len, o.scheme, &name_len);
    return port == o.port && name_len == o.host_len &&
           cors__eq_nocase(r->host, o.host, name_len);
}

int cors__same_origin(const cors_policy *p, const cors_request *r)
{
    if (p->nserver_origins && is_server_origin(p, r->origin, r->origin_len))
        return 1;
    return CORS__REQUEST_HAS(r, host) && r->scheme && r->host && r->host_len &&
           is_request_origin(r);
}
