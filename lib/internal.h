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
#include <string.h>

/* ---------------------------------------------------------------- limits */

#define CORS__STR_(x) #x
/* A numeric macro as a string literal, so a message prints the constant
   rather than a copy of its value. */
#define CORS__STR(x) CORS__STR_(x)

/* The longest max-age a policy accepts, in seconds. */
#define CORS__MAX_AGE_MAX 86400
#define CORS__MAX_AGE_RANGE "0 to " CORS__STR(CORS__MAX_AGE_MAX) " seconds"

/* ------------------------------------------------------------ struct sizes */

/* The sizes of cors_request and cors_result in libcors 0.1.0: the smallest
   struct_size accepted, so that programs built against 0.1.0 keep working
   (tests/abi builds one against a frozen copy of that header). */
#define CORS__REQUEST_SIZE_0_1 \
    (offsetof(cors_request, request_private_network_len) + sizeof(size_t))
#define CORS__RESULT_SIZE_0_1 (offsetof(cors_result, detail_len) + sizeof(size_t))

/* The caller's request r (built against some version of cors.h) has the
   member m: members past its struct_size are absent. */
#define CORS__REQUEST_HAS(r, m) \
    ((r)->struct_size >= offsetof(cors_request, m) + sizeof((r)->m))

#if defined(__GNUC__)
#define CORS__PRINTF(fmt, args) __attribute__((format(printf, fmt, args)))
#else
#define CORS__PRINTF(fmt, args)
#endif

/* Inlining hints for the evaluator's hot path: the common case inlined,
   the rare one kept out of line so that it does not cost the common one
   its registers. */
#if defined(__GNUC__)
#define CORS__INLINE inline __attribute__((always_inline))
#define CORS__NOINLINE __attribute__((noinline))
#else
#define CORS__INLINE inline
#define CORS__NOINLINE
#endif

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

/* Zeroes the caller's struct_size bytes of a public struct (at most own)
   and stores struct_size first: the cors_*_init_sized() functions. */
void cors__init_sized(void *p, size_t own, size_t struct_size);

/* snprintf-like output: counts everything, stores what fits, and always
   leaves room for the terminating NUL. */
typedef struct cors__sink {
    char *buf;
    size_t size, len;
} cors__sink;

void cors__sink_put(cors__sink *s, const char *p, size_t n);
void cors__sink_str(cors__sink *s, const char *p);
/* NUL-terminates (when size > 0) and returns the full length. */
size_t cors__sink_finish(cors__sink *s);

/* ------------------------------------------------------------- characters */

/* RFC 9110 tchar: the bytes allowed in a token (method, header name). */
extern const unsigned char cors__tchar[256];
/* Inline and without a branch per byte: the evaluator checks every
   requested method with it. */
static inline int cors__is_token(const char *s, size_t n)
{
    size_t i;
    unsigned char ok = 1;

    for (i = 0; i < n; i++)
        ok &= cors__tchar[(unsigned char)s[i]];
    return n > 0 && ok;
}
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
    unsigned char v4[4];    /* the IPv4 address of CORS__O_IPV6_MAPPED */
    /* Set by the common-case parser only (dots_known): the number of dots
       in the host and where the last four are, so that the suffixes a
       subdomain pattern may match are found without scanning the host. */
    int dots_known;
    unsigned ndots;
    size_t dot[4];          /* the k-th dot is at host[dot[k % 4]] */
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
int cors__origin_is_loopback(const cors__origin *o);
/* label (n >= 4 bytes, starting with "xn--") is valid Punycode that decodes
   to a Unicode label (punycode.c). */
int cors__punycode_label_ok(const char *label, size_t n);

/* ----------------------------------------------------------------- names */

/* Fetch "forbidden request-header" (section 2.2.2), by lower-cased name. */
int cors__forbidden_request_header(const char *lower, size_t n);
/* Access-Control-Allow-*, -Expose-Headers, -Max-Age: never request headers. */
int cors__cors_response_header(const char *lower, size_t n);
/* Origin, Access-Control-Request-* and preflight-only response headers:
   never readable by a page. */
int cors__unexposable_header(const char *lower, size_t n);
/* Fetch "CORS-safelisted request-header" names (ignoring value rules). */
int cors__safelisted_request_header(const char *lower, size_t n);
/* Fetch "CORS-safelisted response-header name". */
int cors__safelisted_response_header(const char *lower, size_t n);
/* DELETE GET HEAD OPTIONS POST PUT: the methods Fetch normalizes. */
int cors__normalizable_method(const char *s, size_t n);

/* ------------------------------------------------------------------ hash */

/* Strings are hashed and compared eight bytes at a time: a byte-at-a-time
   hash is a chain of one multiplication per byte, which alone would cost
   more than the rest of an evaluation.  None of these reads past s[n-1]. */

/* Shortcuts that depend on the byte order; other machines take the plain
   way. */
#if defined(__BYTE_ORDER__) && defined(__ORDER_LITTLE_ENDIAN__) && \
    __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define CORS__LITTLE_ENDIAN 1
#else
#define CORS__LITTLE_ENDIAN 0
#endif

static CORS__INLINE uint64_t cors__load64(const char *s)
{
    uint64_t w;

    memcpy(&w, s, 8);
    return w;
}

/* The n (0..7) bytes at s as cors__load64 would read them followed by
   zero bytes. */
static CORS__INLINE uint64_t cors__load_tail(const char *s, size_t n)
{
#if CORS__LITTLE_ENDIAN
    /* Two overlapping loads instead of a loop over the bytes. */
    uint32_t lo, hi;

    if (n >= 4) {
        memcpy(&lo, s, 4);
        memcpy(&hi, s + n - 4, 4);
        return (uint64_t)lo | ((uint64_t)hi << (8 * (n - 4)));
    }
    if (n == 0)
        return 0;
    return (uint64_t)(unsigned char)s[0] | ((uint64_t)(unsigned char)s[n / 2] << (8 * (n / 2))) |
           ((uint64_t)(unsigned char)s[n - 1] << (8 * (n - 1)));
#else
    unsigned char b[8] = {0, 0, 0, 0, 0, 0, 0, 0};
    size_t i;

    for (i = 0; i < n; i++)
        b[i] = (unsigned char)s[i];
    return cors__load64((const char *)b);
#endif
}

/* The last n % 8 bytes of the n bytes at s, as cors__load_tail reads
   them: the bytes after the last whole word. */
static CORS__INLINE uint64_t cors__tail_word(const char *s, size_t n)
{
    size_t t = n & 7;

#if CORS__LITTLE_ENDIAN
    /* One load ending at s[n-1], shifted, when the string is long enough. */
    if (n >= 8)
        return t ? cors__load64(s + n - 8) >> (64 - 8 * t) : 0;
#endif
    return cors__load_tail(s + n - t, t);
}

/* ASCII lower case of eight bytes that are all below 0x80 (tokens are):
   a byte gets 0x20 when it is in 'A'..'Z'. */
static CORS__INLINE uint64_t cors__lower64(uint64_t x)
{
    uint64_t ge_a = x + 0x3f3f3f3f3f3f3f3fu;   /* high bit set when >= 'A' */
    uint64_t gt_z = x + 0x2525252525252525u;   /* high bit set when > 'Z' */

    return x | (((ge_a & ~gt_z) & 0x8080808080808080u) >> 2);
}

static CORS__INLINE uint64_t cors__hash_word(uint64_t h, uint64_t w)
{
    return (h ^ w) * 0x9e3779b97f4a7c15u;
}

#define CORS__HASH_SEED 0x2545f4914f6cdd1du

/* The running state of a hash of the n bytes at s; lower != 0 hashes
   their ASCII lower case (s must then be ASCII). */
static CORS__INLINE uint64_t cors__hash_bytes(const char *s, size_t n, int lower)
{
    uint64_t h = CORS__HASH_SEED;
    size_t i = 0;

    for (; i + 8 <= n; i += 8)
        h = cors__hash_word(h, lower ? cors__lower64(cors__load64(s + i)) : cors__load64(s + i));
    return cors__hash_word(h, lower ? cors__lower64(cors__tail_word(s, n))
                                    : cors__tail_word(s, n));
}

/* Mixes the state with extra key bits into a table hash; never 0, which
   marks an empty slot.  The high half of a product depends on every bit of
   its operand, so one multiplication is enough to spread the key over the
   bits that pick a slot. */
static CORS__INLINE uint32_t cors__hash_end(uint64_t h, uint64_t extra)
{
    uint32_t v = (uint32_t)(((h ^ (extra * 0xff51afd7ed558ccdu)) * 0xc4ceb9fe1a85ec53u) >> 32);

    return v ? v : 1u;
}

/* a and b, n bytes each, are equal. */
static CORS__INLINE int cors__eq_bytes(const char *a, const char *b, size_t n)
{
    size_t i = 0;

    for (; i + 8 <= n; i += 8)
        if (cors__load64(a + i) != cors__load64(b + i))
            return 0;
    return cors__tail_word(a, n) == cors__tail_word(b, n);
}

/* The ASCII token s equals lower, which is in lower case. */
static CORS__INLINE int cors__eq_lower(const char *lower, const char *s, size_t n)
{
    size_t i = 0;

    for (; i + 8 <= n; i += 8)
        if (cors__load64(lower + i) != cors__lower64(cors__load64(s + i)))
            return 0;
    return cors__tail_word(lower, n) == cors__lower64(cors__tail_word(s, n));
}

/* Up to eight bytes as one word, for comparing short strings at once. */
static CORS__INLINE uint64_t cors__short_word(const char *s, size_t n)
{
    return n >= 8 ? cors__load64(s) : cors__load_tail(s, n);
}

/* A method of 1 to CORS__METHOD_KEY_MAX bytes as one word with its length
   in the top byte, so that one comparison tells two such methods apart. */
#define CORS__METHOD_KEY_MAX 7
static CORS__INLINE uint64_t cors__method_key(const char *s, size_t n)
{
    return cors__load_tail(s, n) | ((uint64_t)n << 56);
}

/* Up to sixteen bytes as two words: two strings of the same length up to
   16 are equal when their keys are. */
#define CORS__KEY_MAX 16
static CORS__INLINE void cors__key16(const char *s, size_t n, uint64_t key[2])
{
    if (n <= 8) {
        key[0] = cors__short_word(s, n);
        key[1] = 0;
        return;
    }
    key[0] = cors__load64(s);
#if CORS__LITTLE_ENDIAN
    key[1] = cors__load64(s + n - 8) >> (8 * (16 - n));
#else
    key[1] = cors__short_word(s + 8, n - 8);
#endif
}

/* The hash of an origin text (exact origins are kept as their text). */
static CORS__INLINE uint32_t cors__text_hash(const char *s, size_t n)
{
    return cors__hash_end(cors__hash_bytes(s, n, 0), n);
}

/* The hash of a header name, whatever its case. */
static CORS__INLINE uint32_t cors__name_hash_lower(const char *s, size_t n)
{
    return cors__hash_end(cors__hash_bytes(s, n, 1), n);
}

/* The hash of an origin pattern's key, from the state of its host's hash. */
static CORS__INLINE uint32_t cors__host_hash_end(uint64_t state, size_t n, int kind, int scheme,
                                           unsigned port)
{
    return cors__hash_end(state, (uint64_t)n ^ ((uint64_t)kind << 32) ^
                                     ((uint64_t)scheme << 36) ^ ((uint64_t)port << 40));
}

/* --------------------------------------------------------------- builder */

typedef struct cors__item {
    size_t off, len;     /* in the builder's string buffer */
    unsigned line;
} cors__item;

typedef struct cors__list {
    cors__item *items;
    size_t n, cap;
} cors__list;

/* The single-valued settings, as indexes into the builder's and the
   policy's settings arrays; their rules are cors__setting_rules[]. */
typedef enum cors__setting_id {
    CORS__S_CREDENTIALS,
    CORS__S_MAX_AGE,          /* -1: none */
    CORS__S_PRIVATE_NETWORK,
    CORS__S_PREFLIGHT_STATUS,
    CORS__S_DENIED_STATUS,
    CORS__NSETTINGS
} cors__setting_id;

typedef struct cors__setting_rule {
    long initial;             /* the value when never set */
    const char *range;        /* NULL: on or off; else the accepted numbers */
    cors_error range_code;    /* the code of a value out of range */
    /* Diagnoses value; returns CORS_OK when it may be stored. */
    cors_error (*check)(cors_builder *b, long value);
} cors__setting_rule;

extern const cors__setting_rule cors__setting_rules[CORS__NSETTINGS];

/* Checks and stores a single-valued setting, noting the current line. */
cors_error cors__set(cors_builder *b, cors__setting_id id, long value);

typedef struct cors__diag_entry {
    cors_diagnostic shown;    /* what cors_builder_diagnostic() returns */
    char *text;               /* shown.message, owned by the builder */
    int added_by_build;       /* replaced when the builder builds again */
} cors__diag_entry;

struct cors_builder {
    cors_allocator alloc;
    cors__buf strings;
    cors__list origins, methods, headers, expose;
    long settings[CORS__NSETTINGS];
    /* the policy-text line that set each setting (0: never, or by API) */
    unsigned setting_line[CORS__NSETTINGS];
    unsigned dangers;        /* bit (1 << cors_danger) */
    unsigned line;           /* current policy-text line, 0 outside parsing */
    cors__diag_entry *diags;
    size_t diag_count, diag_cap;
    size_t error_count;      /* diagnostics of CORS_SEVERITY_ERROR */
    int out_of_memory;       /* an allocation failed: building must fail */
    size_t refused_origins;  /* origins a setter refused */
};

/* Records a diagnostic (formatted like printf) and returns code for an
   error, CORS_OK for a warning.  cors__diag is for the setters and the
   parser; cors__build_diag for cors_builder_build(), whose diagnostics
   the next build replaces (cors__drop_build_diags). */
cors_error cors__diag(cors_builder *b, cors_severity sev, cors_error code, unsigned line,
                      const char *fmt, ...) CORS__PRINTF(5, 6);
cors_error cors__build_diag(cors_builder *b, cors_severity sev, cors_error code, unsigned line,
                            const char *fmt, ...) CORS__PRINTF(5, 6);
void cors__drop_build_diags(cors_builder *b);
/* Writes s as a quoted, printable, bounded string for a message. */
void cors__quote(char *out, size_t size, const char *s, size_t n);
#define CORS__QUOTE_SIZE 120
/* The longest diagnostic message kept (longer ones are cut). */
#define CORS__MESSAGE_SIZE 1024

/* ---------------------------------------------------------------- policy */

enum { CORS__K_EXACT = 1, CORS__K_SUB = 2 };

/* The longest header name a policy accepts. */
#define CORS__MAX_NAME 256

typedef struct cors__origin_slot {
    uint32_t hash;            /* 0: empty slot */
    uint8_t kind;
    uint8_t scheme;
    uint16_t port;
    uint32_t host_len;
    const char *host;
} cors__origin_slot;

/* An exact origin, kept as its text: configured origins are canonical
   serializations, as are the request origins that can match, so equal
   text is the same origin. */
typedef struct cors__text_slot {
    uint32_t hash;            /* 0: empty slot */
    uint32_t len;
    const char *text;
} cors__text_slot;

typedef struct cors__name_slot {
    uint32_t hash;            /* 0: empty slot */
    uint32_t len;
    const char *name;         /* lower case */
} cors__name_slot;

struct cors_policy {
    cors_allocator alloc;
    char *strings;            /* all text the policy owns */
    int any_origin;
    long settings[CORS__NSETTINGS];
    int any_method;
    int any_header;
    int header_authorization; /* "authorization" listed by name */
    unsigned dangers;
    int any_expose;
    int has_sub, has_port_any;
    /* exact origins, by text; checked first, without parsing the request */
    cors__text_slot *exact;
    size_t exact_mask;        /* slots - 1 */
    /* patterns ("*." hosts, ":*" ports), by their parts */
    cors__origin_slot *origins;
    size_t origin_mask;
    /* bit d set: a "*." pattern's host has d labels, so only the suffixes
       of a request host with that many labels are looked up */
    uint64_t sub_depths[2];
    unsigned sub_max_depth;   /* the highest such d */
    cors__name_slot *headers;
    size_t header_mask;
    /* the same names grouped by length: those of length n are
       header_names[header_by_len[n] .. header_by_len[n + 1]) */
    struct cors__name {
        const char *ptr;
        size_t len;
        uint64_t key[2];      /* cors__key16, for names up to 16 bytes */
    } *header_names;
    uint32_t header_by_len[CORS__MAX_NAME + 2];
    /* the lengths that have configured names, ascending */
    uint16_t name_lens[CORS__MAX_NAME + 1];
    unsigned nname_lens;
    cors_str *methods;        /* configured methods, in order */
    size_t nmethods;
    uint64_t *method_keys;    /* cors__method_key of each; 0 for longer ones */
    /* origins as configured, normalized, for cors_policy_to_text */
    cors_str *origin_texts;
    size_t norigin_texts;
    char *values;             /* storage of the precomputed values below */
    /* precomputed header values; len 0 = not sent */
    cors_str allow_methods, allow_headers, expose_headers, max_age_text;
    cors_str vary_preflight;
};

static inline uint32_t cors__host_hash(const char *host, size_t n, int kind, int scheme,
                                       unsigned port)
{
    return cors__host_hash_end(cors__hash_bytes(host, n, 0), n, kind, scheme, port);
}

#endif
