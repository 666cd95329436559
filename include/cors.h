/*
 * cors.h - libcors public interface.
 *
 * libcors evaluates CORS (Cross-Origin Resource Sharing) requests for any HTTP
 * server, following the WHATWG Fetch Standard, section 3.2 "CORS protocol".
 *
 * The model:
 *   1. Build a policy once (cors_builder_* calls, or policy text), check its
 *      diagnostics, and get an immutable cors_policy.
 *   2. For every request, fill a cors_request with borrowed (pointer, length)
 *      views of the request method and CORS request headers, and call
 *      cors_evaluate().  It decides, fills a cors_result, and hands every
 *      response header to your emitter callback (or to an array).
 *
 * A built policy is never modified again and may be shared by any number of
 * threads without locking.  cors_evaluate() never allocates memory.
 *
 * Copyright (c) 2026 The libcors authors.  MIT licence, see COPYING.
 */
#ifndef CORS_H
#define CORS_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * CORS_API marks the exported functions.  The library's own build defines it
 * (to give them default visibility); users never need to.
 */
#ifndef CORS_API
#define CORS_API
#endif

/* ---------------------------------------------------------------- version */

#define CORS_VERSION_MAJOR 0
#define CORS_VERSION_MINOR 2
#define CORS_VERSION_PATCH 0
#define CORS_VERSION_STRING "0.2.0"
/* One comparable number: 0xMMmmpp. */
#define CORS_VERSION_NUMBER \
    ((CORS_VERSION_MAJOR << 16) | (CORS_VERSION_MINOR << 8) | CORS_VERSION_PATCH)

/* The version of the library actually linked, as CORS_VERSION_NUMBER. */
CORS_API unsigned cors_version(void);
/* The same as a string such as "0.2.0"; never NULL. */
CORS_API const char *cors_version_string(void);

/* ----------------------------------------------------------------- errors */

typedef enum cors_error {
    CORS_OK = 0,
    CORS_ERR_NOMEM,             /* an allocation failed */
    CORS_ERR_INVALID_ARGUMENT,  /* a NULL pointer or a nonsensical argument */
    CORS_ERR_STRUCT_SIZE,       /* struct_size not set: use cors_request_init() */
    CORS_ERR_ORIGIN,            /* an origin in the policy is refused */
    CORS_ERR_METHOD,            /* a method in the policy is refused */
    CORS_ERR_HEADER,            /* an allowed request header name is refused */
    CORS_ERR_EXPOSE_HEADER,     /* an exposed response header name is refused */
    CORS_ERR_MAX_AGE,           /* max-age outside 0..86400 */
    CORS_ERR_STATUS,            /* preflight status out of range: accepted
                                   200..299, denied 200..299 or 400..499 */
    CORS_ERR_CONFLICT,          /* settings that are unsafe together */
    CORS_ERR_SYNTAX,            /* policy text: malformed line or value */
    CORS_ERR_UNKNOWN_DIRECTIVE, /* policy text: no such directive */
    CORS_ERR_DUPLICATE,         /* a single-valued setting given twice */
    CORS_ERR_POLICY,            /* the builder holds errors: see its diagnostics */
    CORS_ERR_EMIT,              /* the emitter callback returned non-zero */
    CORS_ERR_BUFFER_TOO_SMALL,  /* a caller-provided array or buffer is too small */
    CORS_ERR_LIMIT,             /* the policy is too large (see cors_builder_*) */
    CORS_ERR_FILE               /* a policy file cannot be opened or read */
} cors_error;

/* A sentence describing err; never NULL, also for unknown values. */
CORS_API const char *cors_strerror(cors_error err);

/* ------------------------------------------------------------- allocation */

/*
 * Optional allocator for everything a builder and its policy allocate.
 * Both functions must be set; user_data is passed through unchanged.
 * free_fn is never called with NULL.
 */
typedef struct cors_allocator {
    void *(*malloc_fn)(size_t size, void *user_data);
    void (*free_fn)(void *ptr, void *user_data);
    void *user_data;
} cors_allocator;

/* ----------------------------------------------------------------- policy */

typedef struct cors_builder cors_builder;
typedef struct cors_policy cors_policy;

/*
 * Relaxations that weaken the protection CORS gives.  Off unless named.
 */
typedef enum cors_danger {
    /* With credentials, allow http:// origins other than loopback: anyone on
       the network path can then impersonate that origin. */
    CORS_DANGER_INSECURE_ORIGINS_WITH_CREDENTIALS = 1,
    /* With credentials, allow a subdomain wildcard over a single label
       (host "*.com"): every site under that top-level domain gets access. */
    CORS_DANGER_TLD_WILDCARD_WITH_CREDENTIALS = 2,
    /* With credentials, allow a subdomain wildcard whose host is a public
       suffix of several labels ("*.co.uk", "*.github.io"): every site
       anyone registers under it gets access. */
    CORS_DANGER_PUBLIC_SUFFIX_WILDCARD_WITH_CREDENTIALS = 3,
    /* Allow private network access together with origin "*": every public
       page, sandboxed ones included, can then reach the private server. */
    CORS_DANGER_PRIVATE_NETWORK_ANY_ORIGIN = 4
} cors_danger;

typedef enum cors_severity {
    CORS_SEVERITY_ERROR = 0,   /* the policy cannot be built */
    CORS_SEVERITY_WARNING = 1  /* allowed, but probably not what you want */
} cors_severity;

/*
 * One problem found while building.  Owned by the builder: the pointer
 * returned by cors_builder_diagnostic() is valid until the next call that
 * changes the builder (a setter, cors_builder_parse, cors_builder_build) or
 * frees it; copy what you keep.  message is NUL-terminated, printable
 * ASCII, and says which value, why, and what to write instead.
 */
typedef struct cors_diagnostic {
    cors_severity severity;
    cors_error code;      /* CORS_OK for warnings that have no error code */
    unsigned line;        /* 1-based line of policy text; 0 for API calls */
    const char *message;
    /* The policy file the line is in (cors_builder_parse_file), or NULL
       for text and API calls.  Print as "%s:%u: %s", file, line, message. */
    const char *file;
    /* What the problem is, as a stable identifier such as
       "unknown-directive" or "credentials-with-any-origin": never NULL,
       never renamed across releases; libcors-policy(5) lists them all. */
    const char *id;
} cors_diagnostic;

/* A new, empty builder; alloc may be NULL for malloc/free.  NULL on OOM. */
CORS_API cors_builder *cors_builder_new(const cors_allocator *alloc);
CORS_API void cors_builder_free(cors_builder *b);

/*
 * Setters.  Each validates its argument at once: on a refused value it
 * records an error diagnostic and returns its code (the builder stays usable,
 * so every problem can be collected).  Strings are (pointer, length) and need
 * no NUL terminator.
 *
 * cors_builder_allow_origin: one origin such as "https://app.example.com";
 *   a host "*.example.com" (subdomains only, never the apex); a port "*"
 *   as in "https://example.com:*" (any port); or "*" alone (any origin,
 *   never with credentials).
 * cors_builder_allow_method: a method token, or "*".
 * cors_builder_allow_header: a request header name, or "*" (which never
 *   covers Authorization).
 * cors_builder_expose_header: a response header name, or "*".
 * cors_builder_set_max_age: seconds, 0..86400; never called sends no Max-Age.
 * cors_builder_set_preflight_status: 200..299 (default 204).
 * cors_builder_set_denied_status: the status of denied preflights, 403 by
 *   default; 200..299 or 400..499.  A denied preflight fails in the browser
 *   whatever its status, since it carries no Access-Control-Allow-Origin;
 *   some servers prefer 200 or 404 to keep their logs quiet.  Anything else
 *   is refused with CORS_ERR_STATUS.
 */
CORS_API cors_error cors_builder_allow_origin(cors_builder *b, const char *origin, size_t len);
CORS_API cors_error cors_builder_allow_method(cors_builder *b, const char *method, size_t len);
CORS_API cors_error cors_builder_allow_header(cors_builder *b, const char *name, size_t len);
CORS_API cors_error cors_builder_expose_header(cors_builder *b, const char *name, size_t len);
CORS_API cors_error cors_builder_allow_credentials(cors_builder *b, int on);
CORS_API cors_error cors_builder_set_max_age(cors_builder *b, long seconds);
CORS_API cors_error cors_builder_allow_private_network(cors_builder *b, int on);
CORS_API cors_error cors_builder_set_preflight_status(cors_builder *b, int status);
CORS_API cors_error cors_builder_set_denied_status(cors_builder *b, int status);
CORS_API cors_error cors_builder_allow_danger(cors_builder *b, cors_danger danger, int on);

/*
 * Names an origin the server itself is reached at, such as
 * "https://api.example.com" (no wildcard, no "*", no "null"); may be
 * called once per origin.  Requests whose Origin is one of them are
 * same-origin (CORS_OUTCOME_SAME_ORIGIN): the server's own pages, which
 * browsers also send Origin from.  Needed where the request's scheme and
 * Host do not show the public origin, as behind a proxy.  Policy text:
 * server-origin ORIGIN...
 */
CORS_API cors_error cors_builder_add_server_origin(cors_builder *b, const char *origin,
                                                   size_t len);

/*
 * Adds the settings of policy text (see libcors-policy(5)) to the builder.
 * Diagnostics carry the 1-based line number.  Returns CORS_OK, or the code of
 * the first error found in this text (all of them are recorded).
 */
CORS_API cors_error cors_builder_parse(cors_builder *b, const char *text, size_t len);

/* The largest policy file cors_builder_parse_file() reads, in bytes. */
#define CORS_POLICY_FILE_MAX (1024 * 1024)

/*
 * Reads the policy file at path (through the builder's allocator) and
 * parses it as cors_builder_parse() does; its diagnostics carry the path in
 * their file member.  A file that cannot be read is reported as a
 * diagnostic too (line 0): CORS_ERR_FILE (missing, unreadable, a
 * directory), CORS_ERR_SYNTAX (a NUL byte: not a text file) or
 * CORS_ERR_LIMIT (over CORS_POLICY_FILE_MAX bytes).
 */
CORS_API cors_error cors_builder_parse_file(cors_builder *b, const char *path);

/* Diagnostics recorded so far, errors and warnings, in the order found. */
CORS_API size_t cors_builder_diagnostic_count(const cors_builder *b);
/* The index-th diagnostic, or NULL when index is out of range. */
CORS_API const cors_diagnostic *cors_builder_diagnostic(const cors_builder *b, size_t index);
/* Number of error (not warning) diagnostics. */
CORS_API size_t cors_builder_error_count(const cors_builder *b);

/*
 * Checks the settings together and builds an immutable policy.  On success
 * *out is a new policy (free it with cors_policy_free) and CORS_OK is
 * returned; warnings may have been recorded.  When any error was recorded,
 * *out is NULL and CORS_ERR_POLICY (or CORS_ERR_NOMEM) is returned.  The
 * builder is unchanged by a successful build and may build again.
 */
CORS_API cors_error cors_builder_build(cors_builder *b, cors_policy **out);

/* Frees a policy (NULL is fine). */
CORS_API void cors_policy_free(cors_policy *policy);

/*
 * Writes the effective policy, normalized, in the policy text format into
 * buf (always NUL-terminated when size > 0).  Returns the length the full
 * text needs, without the NUL, like snprintf: a result >= size means buf was
 * too small.
 */
CORS_API size_t cors_policy_to_text(const cors_policy *policy, char *buf, size_t size);

/* ---------------------------------------------------------------- request */

/* A borrowed byte string: len bytes at ptr, no NUL terminator needed. */
typedef struct cors_str {
    const char *ptr;
    size_t len;
} cors_str;

/*
 * The request as the host received it.  Every field is a borrowed view into
 * the host's buffers; a NULL pointer means the header is absent (an empty
 * header has a non-NULL pointer and length 0).  The views must stay valid
 * while cors_evaluate() runs and while the result's detail is used.
 *
 * Always initialize with cors_request_init(): it sets struct_size, which lets
 * later versions of libcors add fields at the end without breaking callers
 * (FFI callers included) that were built against this one.  The 0.1.0
 * layout (up to request_private_network_len) is the smallest accepted; a
 * field beyond the caller's struct_size is treated as absent.
 */
typedef struct cors_request {
    size_t struct_size;
    const char *method;                /* request method, e.g. "OPTIONS" */
    size_t method_len;
    const char *origin;                /* Origin */
    size_t origin_len;
    const char *request_method;        /* Access-Control-Request-Method */
    size_t request_method_len;
    /* Access-Control-Request-Headers: all of its header lines, in order
       (one element when the host combines them; count 0 when absent). */
    const cors_str *request_headers;
    size_t request_headers_count;
    const char *request_private_network; /* Access-Control-Request-Private-Network */
    size_t request_private_network_len;
    /* Since 0.2.0.  Where the request arrived, for recognizing requests
       from the server's own pages (same-origin, see cors_evaluate()): the
       scheme it came over ("http" or "https") and its Host header (or
       HTTP/2 :authority), "host[:port]".  NULL when unknown. */
    const char *scheme;
    size_t scheme_len;
    const char *host;
    size_t host_len;
    /* Since 0.2.0.  CORS_FIELD_* bits describing header lines the request
       repeated or had too many of; set by cors_fields_add(), 0 otherwise. */
    unsigned field_flags;
} cors_request;

/* Bits of cors_request.field_flags.  Each makes a preflight denied; a
   repeated Origin also makes an actual request disallowed, whatever the
   policy (a user agent sends one Origin, RFC 6454 section 7.3), with
   CORS_REASON_FIELD_REPEATED.  Too many Access-Control-Request-Headers
   lines deny with CORS_REASON_HEADERS_TOO_LONG: never truncated. */
#define CORS_FIELD_ORIGIN_REPEATED 1u
#define CORS_FIELD_METHOD_REPEATED 2u          /* Access-Control-Request-Method */
#define CORS_FIELD_PRIVATE_NETWORK_REPEATED 4u /* Access-Control-Request-Private-Network */
#define CORS_FIELD_HEADERS_OVERFLOW 8u         /* Access-Control-Request-Headers */

/*
 * Zeroes the first struct_size bytes of *req (never more than this
 * library's own sizeof(cors_request)) and stores struct_size in it.  Call
 * it through the macro cors_request_init(req), which passes the size of the
 * structure the caller was compiled with, so that a later library with a
 * larger structure never writes past an older caller's.  FFI callers pass
 * the size of their own definition.  A size below the 0.1.0 layout is
 * stored too (nothing is written below sizeof(size_t)), but evaluation
 * refuses it with CORS_ERR_STRUCT_SIZE.
 */
CORS_API void cors_request_init_sized(cors_request *req, size_t struct_size);
#define cors_request_init(req) cors_request_init_sized((req), sizeof(cors_request))

/* ---------------------------------------------------------- header fields */

/* The Access-Control-Request-Headers lines cors_fields_add() keeps; one
   more denies the preflight (CORS_FIELD_HEADERS_OVERFLOW). */
#define CORS_FIELDS_MAX_REQUEST_HEADER_LINES 16

/*
 * Fills a cors_request from the request's header fields, one line at a
 * time, without allocating.  Its members are private: use the functions.
 * It holds the Access-Control-Request-Headers views the request points to,
 * so it must outlive every use of the request.  See cors_fields_add(3).
 */
typedef struct cors_fields {
    size_t struct_size;
    cors_request *request;
    unsigned seen;
    cors_str request_headers[CORS_FIELDS_MAX_REQUEST_HEADER_LINES];
} cors_fields;

/*
 * Attaches f to req, which must have been initialized with
 * cors_request_init(): clears the request's Origin, Access-Control-Request-*,
 * host and field_flags fields (the method and scheme are the caller's to
 * set).  Use the macro cors_fields_init(f, req).  Returns
 * CORS_OK, CORS_ERR_INVALID_ARGUMENT (NULL) or CORS_ERR_STRUCT_SIZE (req or
 * f too small, e.g. req not initialized).
 */
CORS_API cors_error cors_fields_init_sized(cors_fields *f, size_t struct_size, cors_request *req);
#define cors_fields_init(f, req) cors_fields_init_sized((f), sizeof(cors_fields), (req))

/*
 * Takes one request header line, in the order received; name matches
 * case-insensitively, value is as the server parsed it (no surrounding
 * whitespace).  Origin, Access-Control-Request-Method and
 * Access-Control-Request-Private-Network are stored once: a second line
 * sets the matching CORS_FIELD_* bit instead.  Host is stored once too (a
 * second line makes it unknown again).  Every
 * Access-Control-Request-Headers line is kept, up to
 * CORS_FIELDS_MAX_REQUEST_HEADER_LINES.  Other names are ignored.  The
 * views are borrowed.  Returns CORS_OK or CORS_ERR_INVALID_ARGUMENT (NULL f
 * or f not initialized, or a NULL name or value with a length).
 */
CORS_API cors_error cors_fields_add(cors_fields *f, const char *name, size_t name_len,
                                    const char *value, size_t value_len);

/* ----------------------------------------------------------------- result */

typedef enum cors_outcome {
    CORS_OUTCOME_NOT_CORS = 0,          /* no Origin: an ordinary request */
    CORS_OUTCOME_PREFLIGHT_ACCEPTED,    /* answer now with result.status */
    CORS_OUTCOME_PREFLIGHT_DENIED,      /* answer now with result.status */
    CORS_OUTCOME_ACTUAL_ALLOWED,        /* handle it; the page may read it */
    CORS_OUTCOME_ACTUAL_DISALLOWED,     /* handle it as usual; the browser will
                                           not let the page read the response */
    CORS_OUTCOME_SAME_ORIGIN            /* Origin is the server's own origin
                                           (cors_builder_add_server_origin(), or
                                           the request's scheme and host): an
                                           ordinary request, never disallowed */
} cors_outcome;

typedef enum cors_reason {
    CORS_REASON_NONE = 0,
    CORS_REASON_ORIGIN_MALFORMED,       /* Origin is not a serialized origin */
    CORS_REASON_ORIGIN_NULL,            /* Origin: null is never trusted */
    CORS_REASON_ORIGIN_NOT_ALLOWED,
    CORS_REASON_METHOD_MALFORMED,       /* Access-Control-Request-Method not a token,
                                           or over CORS_MAX_REQUEST_HEADERS_BYTES */
    CORS_REASON_METHOD_NOT_ALLOWED,
    CORS_REASON_HEADERS_MALFORMED,      /* Access-Control-Request-Headers unparsable */
    CORS_REASON_HEADERS_TOO_LONG,       /* more than CORS_MAX_REQUEST_HEADERS_* */
    CORS_REASON_HEADER_NOT_ALLOWED,
    CORS_REASON_PRIVATE_NETWORK_NOT_ALLOWED,
    CORS_REASON_PRIVATE_NETWORK_MALFORMED,
    CORS_REASON_FIELD_REPEATED          /* a header sent once per request came on
                                           several lines; detail names it */
} cors_reason;

/* Bounds on Access-Control-Request-Headers where names are matched one by
   one or echoed: beyond them a preflight is denied with
   CORS_REASON_HEADERS_TOO_LONG without reading further.  With allow-headers
   "*" and no credentials the answer is "*" whatever was asked, so any
   number of names is read, in one linear pass. */
#define CORS_MAX_REQUEST_HEADERS_BYTES 4096
#define CORS_MAX_REQUEST_HEADERS_NAMES 64

/*
 * What cors_evaluate() decided.  Initialize with cors_result_init().
 * It is written only up to its struct_size (at least the 0.1.0 layout).
 * detail points into the request (the offending origin, method or header
 * name) and is only valid while the request's buffers are.
 */
typedef struct cors_result {
    size_t struct_size;
    cors_outcome outcome;
    int status;            /* for preflights: the status to send; else 0 */
    cors_reason reason;    /* CORS_REASON_NONE unless denied/disallowed */
    const char *detail;    /* the value the reason is about, or NULL */
    size_t detail_len;
} cors_result;

/* As cors_request_init_sized(), for a result; use cors_result_init(res). */
CORS_API void cors_result_init_sized(cors_result *res, size_t struct_size);
#define cors_result_init(res) cors_result_init_sized((res), sizeof(cors_result))

/* Short names such as "preflight accepted"; never NULL. */
CORS_API const char *cors_outcome_string(cors_outcome outcome);
/* Short descriptions such as "method not allowed"; never NULL. */
CORS_API const char *cors_reason_string(cors_reason reason);
/* Words for log fields and server variables, such as "preflight-denied"
   and "origin-not-allowed" (lower-case letters and "-", stable across
   releases); never NULL. */
CORS_API const char *cors_outcome_token(cors_outcome outcome);
CORS_API const char *cors_reason_token(cors_reason reason);

/*
 * A sentence explaining the result, e.g. "method PATCH is not allowed;
 * allowed: PUT, DELETE".  Bytes of the request that are not printable ASCII
 * are written as \xHH.  snprintf-like: returns the full length (without
 * NUL), buf is always NUL-terminated when size > 0.
 */
CORS_API size_t cors_result_describe(const cors_policy *policy, const cors_result *result,
                                     char *buf, size_t size);

/* ----------------------------------------------------------------- emitting */

/* How the host must write a header. */
typedef enum cors_header_flags {
    /* Replace any value the response already has (never add a second
       Access-Control-Allow-Origin line). */
    CORS_HEADER_SET = 1,
    /* Merge into the response's existing comma-separated list (Vary). */
    CORS_HEADER_MERGE = 2
} cors_header_flags;

/*
 * Called once per response header.  name and value are not NUL-terminated
 * and never contain CR, LF or NUL; they are valid only during the call
 * (copy them).  Return 0 to go on; anything else stops cors_evaluate(),
 * which then returns CORS_ERR_EMIT.
 */
typedef int (*cors_emit_fn)(void *ctx, const char *name, size_t name_len,
                            const char *value, size_t value_len, unsigned flags);

/*
 * Evaluates request against policy: fills *result, then calls emit for
 * each response header.  result must be initialized with cors_result_init();
 * emit may be NULL to only decide.  Never allocates.
 *
 * A request whose one Origin is the server's own (a server origin of the
 * policy, or the origin its scheme and host make) is same-origin
 * (CORS_OUTCOME_SAME_ORIGIN): it needs no CORS header and is never
 * disallowed; only Vary: Origin is emitted (under allow-origin "*", the
 * headers every response gets).
 *
 * Returns CORS_OK, CORS_ERR_INVALID_ARGUMENT (NULL policy, request or
 * result), CORS_ERR_STRUCT_SIZE (struct not initialized), or CORS_ERR_EMIT
 * (the emitter stopped it; *result is still complete).
 */
CORS_API cors_error cors_evaluate(const cors_policy *policy, const cors_request *request,
                                  cors_emit_fn emit, void *ctx, cors_result *result);

/* The most headers one evaluation produces. */
#define CORS_MAX_HEADERS 8
/* Enough scratch space for any value cors_evaluate_headers() composes. */
#define CORS_SCRATCH_SIZE (CORS_MAX_REQUEST_HEADERS_BYTES + 2 * CORS_MAX_REQUEST_HEADERS_NAMES)

typedef struct cors_header {
    const char *name;
    size_t name_len;
    const char *value;
    size_t value_len;
    unsigned flags;  /* cors_header_flags */
} cors_header;

/*
 * The callback-free variant, for FFI hosts: stores up to capacity headers
 * in headers[] and their number in *count.  A value may point into the
 * policy, the request, or scratch (a caller buffer of CORS_SCRATCH_SIZE
 * bytes, needed only when echoing several Access-Control-Request-Headers
 * lines; may be NULL otherwise), so all three must outlive the array.
 * CORS_MAX_HEADERS entries always suffice.  Returns CORS_OK, the errors of
 * cors_evaluate(), or CORS_ERR_BUFFER_TOO_SMALL: either capacity is too
 * small (*count is then the number needed), or scratch is NULL or smaller
 * than the value to compose (*count is then 0).  *result is complete in
 * both cases.
 */
CORS_API cors_error cors_evaluate_headers(const cors_policy *policy, const cors_request *request,
                                          cors_header *headers, size_t capacity, size_t *count,
                                          char *scratch, size_t scratch_size,
                                          cors_result *result);

/* ------------------------------------------------- judging a response */

/*
 * The browser's side: given a CORS request and the response a server sent
 * to it, decide as a browser does whether the page may read the response
 * (Fetch 4.9 "CORS check") or, for a preflight, whether the actual request
 * may follow (Fetch 4.8 "CORS-preflight fetch", step 7).  See
 * cors_check_response(3).
 */

/* A response as received: its status and every header line, in order (a
   header sent on several lines appears several times).  Names and values
   are borrowed views; flags are not read.  Initialize with
   cors_response_init(). */
typedef struct cors_response {
    size_t struct_size;
    int status;                    /* e.g. 204 */
    const cors_header *headers;
    size_t headers_count;
} cors_response;

/* As cors_request_init_sized(), for a response; use cors_response_init(). */
CORS_API void cors_response_init_sized(cors_response *resp, size_t struct_size);
#define cors_response_init(resp) cors_response_init_sized((resp), sizeof(cors_response))

/* Flags of cors_check_response(). */
typedef enum cors_check_flags {
    /* The request's credentials mode is "include" (fetch() with
       credentials: "include", XMLHttpRequest with withCredentials). */
    CORS_CHECK_CREDENTIALS = 1,
    /* Judge as Chromium does where it departs from the Fetch Standard
       (see cors_check_response(3)); the default is the standard. */
    CORS_CHECK_CHROMIUM = 2
} cors_check_flags;

/* Why a browser refuses the response; CORS_BLOCK_NONE when it does not. */
typedef enum cors_block {
    CORS_BLOCK_NONE = 0,
    CORS_BLOCK_NO_ALLOW_ORIGIN,          /* no Access-Control-Allow-Origin */
    CORS_BLOCK_MULTIPLE_ALLOW_ORIGIN,    /* several lines, or a list, of it */
    CORS_BLOCK_ORIGIN_MISMATCH,          /* neither "*" nor the request's origin */
    CORS_BLOCK_WILDCARD_WITH_CREDENTIALS,/* "*" never covers credentials */
    CORS_BLOCK_CREDENTIALS_NOT_TRUE,     /* credentials, no Allow-Credentials: true */
    CORS_BLOCK_PREFLIGHT_STATUS,         /* a preflight answered outside 200..299 */
    CORS_BLOCK_METHODS_MALFORMED,        /* Access-Control-Allow-Methods unparsable */
    CORS_BLOCK_HEADERS_MALFORMED,        /* Access-Control-Allow-Headers unparsable */
    CORS_BLOCK_METHOD_NOT_ALLOWED,       /* the method is not listed */
    CORS_BLOCK_AUTHORIZATION_NOT_ALLOWED,/* Authorization needs its name listed */
    CORS_BLOCK_HEADER_NOT_ALLOWED,       /* a request header is not listed */
    CORS_BLOCK_PRIVATE_NETWORK_NOT_ALLOWED /* no Access-Control-Allow-Private-Network: true */
} cors_block;

/*
 * What cors_check_response() decided.  Initialize with cors_verdict_init().
 * detail points into the response or the request (the value at fault) and
 * is valid while they are.
 */
typedef struct cors_verdict {
    size_t struct_size;
    int preflight;          /* 1: judged as the answer to a preflight */
    cors_block block;
    const char *detail;     /* the value the block is about, or NULL */
    size_t detail_len;
    int status;             /* the response's status, for the description */
    int chromium_differs;   /* Chromium judges this response the other way */
} cors_verdict;

/* As cors_request_init_sized(), for a verdict; use cors_verdict_init(). */
CORS_API void cors_verdict_init_sized(cors_verdict *v, size_t struct_size);
#define cors_verdict_init(v) cors_verdict_init_sized((v), sizeof(cors_verdict))

/*
 * Judges response as the answer to request (a preflight when request is
 * one, as for cors_evaluate()), with flags from cors_check_flags.  A
 * request without Origin is not CORS and gets CORS_BLOCK_NONE.  Never
 * allocates.  Returns CORS_OK, CORS_ERR_INVALID_ARGUMENT or
 * CORS_ERR_STRUCT_SIZE.
 */
CORS_API cors_error cors_check_response(const cors_request *request, const cors_response *response,
                                        unsigned flags, cors_verdict *verdict);

/* Short names such as "origin mismatch"; never NULL. */
CORS_API const char *cors_block_string(cors_block block);

/*
 * A sentence in the words of the rule that failed, e.g.
 * "Access-Control-Allow-Origin is https://a.example, not the request's
 * origin https://b.example".  request is the one judged.  snprintf-like,
 * as cors_result_describe().
 */
CORS_API size_t cors_verdict_describe(const cors_request *request, const cors_verdict *verdict,
                                      char *buf, size_t size);

/* ------------------------------------------------------ live replacement */

/*
 * Holds the current policy of a server that replaces it while requests are
 * in flight (a configuration reload), without a lock on the request path:
 * request threads cors_holder_acquire() the current policy, evaluate, and
 * cors_holder_release() it; cors_holder_replace() publishes a new one and
 * frees the previous one once no thread uses it.  C11 atomics only.
 */
typedef struct cors_holder cors_holder;

/* A holder owning policy (non-NULL); alloc may be NULL for malloc/free.
   NULL on error (policy is then not freed). */
CORS_API cors_holder *cors_holder_new(cors_policy *policy, const cors_allocator *alloc);
/* The current policy, valid until released; never blocks, never allocates. */
CORS_API const cors_policy *cors_holder_acquire(cors_holder *h);
/* Gives back a policy cors_holder_acquire() returned. */
CORS_API void cors_holder_release(cors_holder *h, const cors_policy *policy);
/* Publishes policy (taking ownership), waits until no thread uses the
   previous one and frees it.  CORS_ERR_INVALID_ARGUMENT for NULL or for
   the current policy itself. */
CORS_API cors_error cors_holder_replace(cors_holder *h, cors_policy *policy);
/* Frees the holder and its current policy; no thread may be using it. */
CORS_API void cors_holder_free(cors_holder *h);

#ifdef __cplusplus
}
#endif

#endif /* CORS_H */
