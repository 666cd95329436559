/*
 * policy.h - the immutable policy that cors_evaluate() reads, built by
 * lib/policy.c; not installed.
 */
#ifndef CORS_POLICY_H
#define CORS_POLICY_H

#include "util.h"
#include "builder.h"
#include "tables.h"

/* How many "*." patterns are compared one by one (cors_policy.subs). */
#define CORS__FEW_SUBS 4

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
    /* any_origin, has_sub or has_port_any: an origin that is not an exact
       one is granted or tried against patterns; one test for the usual
       policy, which only lists origins */
    int unlisted_special;
    /* exact origins, by text; checked first, without parsing the request */
    cors__str_slot *exact;
    size_t exact_mask;        /* slots - 1 */
    unsigned exact_shift;     /* cors__table_shift */
    /* [n] non-zero: some exact origin is n bytes long (n < 255; longer
       ones set [255]), so most other origins are told apart without
       hashing them (cors__len_known); a byte each, to be read in one load */
    uint8_t exact_lens[256];
    /* patterns ("*." hosts, ":*" ports), by their parts */
    cors__origin_slot *origins;
    size_t origin_mask;
    unsigned origin_shift;
    /* bit d set: a "*." pattern's host has d labels, so only the suffixes
       of a request host with that many labels are looked up */
    uint64_t sub_depths[2];
    unsigned sub_max_depth;   /* the highest such d */
    /* the "*." patterns once more, while there are few: comparing a
       request host with each costs less than hashing its suffixes */
    cors__sub subs[CORS__FEW_SUBS];
    unsigned nsubs;           /* all of them: listed when <= CORS__FEW_SUBS */
    cors__str_slot *headers;
    size_t header_mask;
    unsigned header_shift;
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
    /* the safelisted and the short configured methods, when they fit */
    uint64_t method_set[CORS__METHOD_SLOTS];
    int has_method_set;
    /* origins as configured, normalized, for cors_policy_to_text */
    cors_str *origin_texts;
    size_t norigin_texts;
    /* the server's own origins (same-origin requests), as configured */
    cors_str *server_origins;
    size_t nserver_origins;
    char *values;             /* storage of the precomputed values below */
    /* precomputed header values; len 0 = not sent */
    cors_str allow_methods, allow_headers, expose_headers, max_age_text;
    cors_str vary_preflight;
    /* an allowed actual request from a listed origin gets more than
       Access-Control-Allow-Origin (credentials, exposed headers): one test
       for the usual policy, which has neither */
    int allowed_more;
};

/* The shortest origin, "http://a".  No shorter length is marked in
   exact_lens, so an origin that passed cors__len_known is at least this
   long, whatever a table holds (CORS__SAME_CASE_LONG). */
#define CORS__ORIGIN_MIN_LEN 8

/* The exact_lens entry for an origin of n bytes. */
static CORS__INLINE size_t cors__len_index(size_t n)
{
    return n < 255 ? n : 255;
}

static CORS__INLINE int cors__len_known(const uint8_t lens[256], size_t n)
{
    return lens[cors__len_index(n)];
}

/* The request's one Origin is the server's own: a server origin of p, or
   the origin its scheme and host make (lib/same_origin.c). */
int cors__same_origin(const cors_policy *p, const cors_request *r);

#endif
