/*
 * internal.h - shared by the library's source files; not installed.
 */
#ifndef CORS_INTERNAL_H
#define CORS_INTERNAL_H

#ifdef HAVE_CONFIG_H
#include <config.h>
#endif

/* Exported functions get default visibility; everything else is hidden by
   -fvisibility=hidden. */
#if defined(HAVE_VISIBILITY) && HAVE_VISIBILITY
#define CORS_API __attribute__((visibility("default")))
#endif

#include "cors.h"

#include <stddef.h>
#include <stdint.h>

/* ------------------------------------------------------------ allocation */

void *cors__alloc(const cors_allocator *a, size_t size);
void cors__free(const cors_allocator *a, void *p);
/* Grows *items (each item_size bytes) to hold at least need items. */
int cors__grow(const cors_allocator *a, void **items, size_t *cap, size_t need,
               size_t item_size);

/* A growable byte buffer; offsets into it stay valid as it grows. */
typedef struct cors__buf {
    char *data;
    size_t len, cap;
} cors__buf;

int cors__buf_append(const cors_allocator *a, cors__buf *b, const char *s, size_t n);
void cors__buf_free(const cors_allocator *a, cors__buf *b);

/* ------------------------------------------------------------- characters */

/* RFC 9110 tchar: the bytes allowed in a token (method, header name). */
extern const unsigned char cors__tchar[256];
int cors__is_token(const char *s, size_t n);
static inline unsigned char cors__lower(unsigned char c)
{
    return (unsigned char)((c >= 'A' && c <= 'Z') ? c + 32 : c);
}
int cors__eq_nocase(const char *a, const char *b, size_t n);

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
    CORS__O_HOST_LABEL,
    CORS__O_HOST_DOT,        /* trailing dot */
    CORS__O_HOST_LONG,
    CORS__O_IPV4,
    CORS__O_IPV6,
    CORS__O_PORT,
    CORS__O_PORT_DEFAULT,
    CORS__O_WILDCARD,        /* "*" somewhere other than the allowed places */
    CORS__O_WILDCARD_IP      /* "*." in front of an IP address */
} cors__origin_err;

/* Parses a serialized origin.  With patterns != 0 (policy), "*." subdomain
   and ":*" port wildcards are accepted.  Never reads past s[n-1]. */
cors__origin_err cors__origin_parse(const char *s, size_t n, int patterns, cors__origin *o);
int cors__origin_is_loopback(const cors__origin *o);

/* ----------------------------------------------------------------- names */

/* Fetch "forbidden request-header" (section 2.2.2), by lower-cased name. */
int cors__forbidden_request_header(const char *lower, size_t n);
/* Fetch "CORS-safelisted request-header" names (ignoring value rules). */
int cors__safelisted_request_header(const char *lower, size_t n);
/* Fetch "CORS-safelisted response-header name". */
int cors__safelisted_response_header(const char *lower, size_t n);
/* DELETE GET HEAD OPTIONS POST PUT: the methods Fetch normalizes. */
int cors__normalizable_method(const char *s, size_t n);

/* ------------------------------------------------------------------ hash */

static inline uint32_t cors__hash_step(uint32_t h, unsigned char c)
{
    return (h ^ c) * 16777619u;
}
#define CORS__HASH_SEED 2166136261u
uint32_t cors__hash_finish(uint32_t h, uint32_t extra);

/* --------------------------------------------------------------- builder */

typedef struct cors__item {
    size_t off, len;     /* in the builder's string buffer */
    unsigned line;
} cors__item;

typedef struct cors__list {
    cors__item *items;
    size_t n, cap;
} cors__list;

struct cors_builder {
    cors_allocator alloc;
    cors__buf strings;
    cors__list origins, methods, headers, expose;
    int credentials;
    int private_network;
    long max_age;            /* -1: none */
    int preflight_status;
    unsigned dangers;        /* bit (1 << cors_danger) */
    /* the line that set each single-valued setting (0: by API) */
    unsigned credentials_line, max_age_line, status_line, pna_line;
    int credentials_set, max_age_set, status_set, pna_set;
    unsigned line;           /* current policy-text line, 0 outside parsing */
    cors_diagnostic *diags;
    /* parallel to diags: the writable message pointer, and whether a build
       (not a setter) added it */
    struct cors__diag_own { char *message; int from_build; } *diag_own;
    size_t ndiags, diags_cap, from_build_cap, nerrors;
    int in_build;
    cors_error first_nomem;
};

/* Records a diagnostic (formatted like printf) and returns code. */
cors_error cors__diag(cors_builder *b, cors_severity sev, cors_error code, unsigned line,
                      const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 5, 6)))
#endif
    ;
/* Writes s as a quoted, printable, bounded string for a message. */
void cors__quote(char *out, size_t size, const char *s, size_t n);
#define CORS__QUOTE_SIZE 120

/* ---------------------------------------------------------------- policy */

enum { CORS__K_EXACT = 1, CORS__K_SUB = 2 };

typedef struct cors__origin_slot {
    uint32_t hash;            /* 0: empty slot */
    uint8_t kind;
    uint8_t scheme;
    uint16_t port;
    uint32_t host_len;
    const char *host;
} cors__origin_slot;

typedef struct cors__name_slot {
    uint32_t hash;            /* 0: empty slot */
    uint32_t len;
    const char *name;         /* lower case */
} cors__name_slot;

struct cors_policy {
    cors_allocator alloc;
    char *strings;            /* all text the policy owns */
    int any_origin;
    int credentials;
    int private_network;
    int preflight_status;
    long max_age;
    int any_method;
    int any_header;
    int header_authorization; /* "authorization" listed by name */
    unsigned dangers;
    int any_expose;
    int has_sub, has_port_any;
    cors__origin_slot *origins;
    size_t origin_mask;       /* slots - 1 */
    size_t norigins;
    cors__name_slot *headers;
    size_t header_mask;
    size_t nheaders;
    cors_str *methods;        /* configured methods, in order */
    size_t nmethods;
    /* origins as configured, normalized, for cors_policy_to_text */
    cors_str *origin_texts;
    size_t norigin_texts;
    char *values;             /* storage of the precomputed values below */
    /* precomputed header values; len 0 = not sent */
    cors_str allow_methods, allow_headers, expose_headers, max_age_text;
    cors_str vary_preflight;
};

uint32_t cors__host_hash(const char *host, size_t n, int kind, int scheme, unsigned port);
uint32_t cors__name_hash_lower(const char *s, size_t n);

#endif
