/*
 * origin.h - parsed origins and origin patterns (lib/origin.c); not
 * installed.
 */
#ifndef CORS_ORIGIN_H
#define CORS_ORIGIN_H

#include "hash.h"
#include "util.h"

/* --------------------------------------------------------------- origins */

enum { CORS__HTTP = 0, CORS__HTTPS = 1 };
#define CORS__PORT_ANY 0u

enum cors__host_kind { CORS__HOST_DOMAIN, CORS__HOST_IPV4, CORS__HOST_IPV6 };

/* A parsed origin or origin pattern.  host is a view into the parsed text;
   for a subdomain pattern it is the part after "*.". */
typedef struct cors__origin {
    int scheme;
    const char *host;
    size_t host_len;
    unsigned port;          /* effective port; CORS__PORT_ANY for ":*" */
    int host_kind;
    int subdomains;         /* "*." pattern */
    int explicit_port;      /* the text had a port */
    size_t authority_end;   /* index just past host[:port] in the text */
    unsigned char v4[4];    /* the IPv4 address of CORS__O_IPV6_MAPPED */
    /* Set by the common-case parser only (dots_known), for hosts under 64
       bytes: bit k is set when host[k] is ".", so that the suffixes a
       subdomain pattern may match are found without scanning the host. */
    int dots_known;
    uint64_t dots;
} cors__origin;

/* Why an origin was refused (policy) or not recognized (request). */
typedef enum cors__origin_err {
    CORS__O_OK = 0,
    CORS__O_EMPTY,
    CORS__O_NULL,
    CORS__O_CTL,             /* control, space, non-ASCII outside the host */
    CORS__O_FILE,
    CORS__O_SCHEME,          /* not http or https */
    CORS__O_SCHEME_CASE,
    CORS__O_NO_SLASHES,
    CORS__O_USERINFO,
    CORS__O_PATH,
    CORS__O_TRAILING_SLASH,
    CORS__O_QUERY,
    CORS__O_FRAGMENT,
    CORS__O_HOST_EMPTY,
    CORS__O_HOST_CASE,
    CORS__O_HOST_UNICODE,
    CORS__O_HOST_CHAR,
    CORS__O_HOST_LABEL,      /* an empty label */
    CORS__O_HOST_LONG,       /* over 253 bytes */
    CORS__O_IPV4,
    CORS__O_IPV6,
    CORS__O_PORT,
    CORS__O_PORT_DEFAULT,
    CORS__O_WILDCARD,        /* "*" somewhere other than the allowed places */
    CORS__O_WILDCARD_IP,     /* "*." in front of an IP address */
    CORS__O_LABEL_LONG,      /* a label over 63 bytes */
    CORS__O_PUNYCODE,        /* an "xn--" label that does not decode (policies only) */
    CORS__O_IPV6_MAPPED      /* ::ffff:a.b.c.d (policies only); v4 holds a.b.c.d */
} cors__origin_err;

/* Parses a serialized origin.  With patterns != 0 (policy), "*." subdomain
   and ":*" port wildcards are accepted.  Never reads past s[n-1]. */
cors__origin_err cors__origin_parse(const char *s, size_t n, int patterns, cors__origin *o);
/* The same without the common-case fast path, which must agree with it
   (tests/fuzz/fuzz_origin.c). */
cors__origin_err cors__origin_parse_full(const char *s, size_t n, int patterns, cors__origin *o);
/* A "*." pattern compared directly with request hosts (policies with few
   of them): its host with the dot before it (".example.com"), and the last
   eight bytes or fewer of that as the word that ends a matching host. */
typedef struct cors__sub {
    const char *dot_host;
    size_t len;
    uint64_t last, mask;   /* mask: the bytes of the word that are its own */
    unsigned port;         /* CORS__PORT_ANY for ":*" */
    int scheme;
} cors__sub;

/* pattern: a parsed "*." pattern, its host a view into its text. */
void cors__sub_init(cors__sub *s, const cors__origin *pattern);

/* The host of o, an origin that cors__origin_parse accepted, is a
   subdomain of s's: a label, then s's dotted host. */
static CORS__INLINE int cors__sub_match(const cors__sub *s, const cors__origin *o)
{
    const char *end = o->host + o->host_len;

    /* Eight bytes back from the end of the host stay in the origin's text,
       whose host follows at least "http://". */
    if (o->host_len <= s->len || (cors__load64(end - 8) & s->mask) != s->last ||
        s->scheme != o->scheme || (s->port != o->port && s->port != CORS__PORT_ANY))
        return 0;
    if (s->len <= 8)
        return 1;
    if (s->len <= 16)
        return cors__load64(end - s->len) == cors__load64(s->dot_host);
    return cors__eq_bytes(end - s->len, s->dot_host, s->len - 8);
}

int cors__origin_is_loopback(const cors__origin *o);
/* label (n >= 4 bytes, starting with "xn--") is valid Punycode that decodes
   to a Unicode label (punycode.c). */
int cors__punycode_label_ok(const char *label, size_t n);

#endif
