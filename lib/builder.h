/*
 * builder.h - the builder: collected settings and their diagnostics
 * (lib/builder.c); not installed.
 */
#ifndef CORS_BUILDER_H
#define CORS_BUILDER_H

#include "util.h"
#include "diag_ids.h"
#include "origin.h"

/* --------------------------------------------------------------- builder */

typedef struct cors__item {
    size_t off, len;     /* in the builder's string buffer */
    unsigned line;
    /* An allowed origin's parts, as adding it parsed them (CORS__IO_*
       bits and the port), so that building never parses it again. */
    uint16_t port;
    uint8_t origin_bits;
    const char *file;    /* the policy file of line, or NULL */
} cors__item;

enum {
    CORS__IO_HTTPS = 1,
    CORS__IO_SUBDOMAINS = 2,
    CORS__IO_EXPLICIT_PORT = 4,
    CORS__IO_KIND_SHIFT = 3    /* two bits: the cors__host_kind */
};

/* The origin an allowed origin's item (not "*") stands for, its host a view
   into text, the item's text wherever it is now. */
void cors__item_origin(const cors__item *it, const char *text, cors__origin *o);
/* The item is an exact origin: neither "*." nor ":*". */
static inline int cors__item_exact(const cors__item *it)
{
    return !(it->origin_bits & CORS__IO_SUBDOMAINS) && it->port != CORS__PORT_ANY;
}

/* A set of a list's values, for finding a repeated one without comparing
   it with every other value: open addressing, at most half full. */
typedef struct cors__seen_slot {
    uint32_t hash;            /* cors__text_hash */
    uint32_t item;            /* 1 + the index of the item in the list; 0: empty slot */
} cors__seen_slot;

typedef struct cors__list {
    cors__item *items;
    size_t n, cap;
    cors__seen_slot *seen;    /* NULL until the first value */
    size_t seen_mask;
    unsigned seen_shift;      /* cors__table_shift */
    size_t star;              /* 1 + the index of the first "*"; 0: none */
} cors__list;

/* The diagnostics a builder keeps; those found later are only counted, so
   that a file of junk costs bounded memory. */
#define CORS__MAX_DIAGS 100

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
    cors__list server_origins;   /* the server's own origins (same-origin) */
    long settings[CORS__NSETTINGS];
    /* the policy-text line that set each setting (0: never, or by API) */
    unsigned setting_line[CORS__NSETTINGS];
    unsigned dangers;        /* bit (1 << cors_danger) */
    unsigned line;           /* current policy-text line, 0 outside parsing */
    const char *file;        /* the policy file being read, or NULL */
    char **files;            /* copies of the names of the files read, owned */
    size_t nfiles, files_cap;
    cors__diag_entry *diags;
    size_t diag_count, diag_cap;
    size_t error_count;      /* diagnostics of CORS_SEVERITY_ERROR, kept or not */
    /* diagnostics found beyond CORS__MAX_DIAGS: counted, not kept; those a
       build added apart, since the next build replaces them */
    size_t dropped, dropped_build, dropped_build_errors;
    cors__diag_entry summary; /* shown after the kept ones while dropped */
    char summary_text[160];
    int out_of_memory;       /* an allocation failed: building must fail */
    size_t refused_origins;  /* origins a setter refused */
    size_t origin_patterns;  /* allowed origins with "*." or ":*" */
};

/* Records a diagnostic (formatted like printf) with its stable id and
   returns code for an error, CORS_OK for a warning.  cors__diag is for the setters and the
   parser (in the file being read, if any); cors__build_diag for
   cors_builder_build(), about the line and file of the item at (NULL: the
   whole policy), whose diagnostics the next build replaces
   (cors__drop_build_diags). */
cors_error cors__diag(cors_builder *b, cors_severity sev, cors_error code, cors__diag_id id,
                      unsigned line, const char *fmt, ...) CORS__PRINTF(6, 7);
cors_error cors__build_diag(cors_builder *b, cors_severity sev, cors_error code, cors__diag_id id,
                            const cors__item *at, const char *fmt, ...) CORS__PRINTF(6, 7);
void cors__drop_build_diags(cors_builder *b);
/* No further diagnostic is kept: callers may skip composing a message. */
int cors__diags_full(const cors_builder *b);

/* ---------------------------------------------------------- adding values */

/* Makes room in list and in the string buffer for a value of n bytes;
   needed once in a while only, so out of line. */
int cors__item_room(cors_builder *b, cors__list *list, size_t n);
/* What an accepted origin is warned about; rare, so out of line. */
void cors__origin_warnings(cors_builder *b, const char *s, size_t n, const cors__origin *o);

/* Copies the n bytes at s to d: most values in two overlapping moves
   rather than a call. */
static CORS__INLINE void cors__copy_value(char *d, const char *s, size_t n)
{
    if (n >= 16 && n <= 32) {
        memcpy(d, s, 16);
        memcpy(d + n - 16, s + n - 16, 16);
    } else if (n >= 8 && n < 16) {
        memcpy(d, s, 8);
        memcpy(d + n - 8, s + n - 8, 8);
    } else if (n) {
        memcpy(d, s, n);
    }
}

/* Appends s to list and to the string buffer; NULL when out of memory.
   Inline, here: a long list of origins is most of what a big policy
   costs. */
static CORS__INLINE cors__item *cors__item_append(cors_builder *b, cors__list *list,
                                                  const char *s, size_t n)
{
    cors__item *it;

    if ((list->n == list->cap || b->strings.cap - b->strings.len <= n) &&
        cors__item_room(b, list, n) != 0)
        return NULL;
    if (n == 1 && s[0] == '*' && !list->star)
        list->star = list->n + 1;
    it = &list->items[list->n++];
    it->off = b->strings.len;
    it->len = n;
    it->line = b->line;
    it->port = 0;
    it->origin_bits = 0;
    it->file = b->file;
    cors__copy_value(b->strings.data + b->strings.len, s, n);
    b->strings.len += n;
    return it;
}

/* cors_builder_allow_origin() for the origin s that parsed into o; inline
   for the policy text's lines of origins. */
static CORS__INLINE cors_error cors__allow_parsed_origin(cors_builder *b, const char *s, size_t n,
                                                         const cors__origin *o)
{
    cors__item *it;
    uint8_t bits = (uint8_t)((o->scheme == CORS__HTTPS ? CORS__IO_HTTPS : 0) |
                             (o->subdomains ? CORS__IO_SUBDOMAINS : 0) |
                             (o->explicit_port ? CORS__IO_EXPLICIT_PORT : 0) |
                             o->host_kind << CORS__IO_KIND_SHIFT);

    if (o->scheme == CORS__HTTP || o->subdomains)
        cors__origin_warnings(b, s, n, o);
    it = cors__item_append(b, &b->origins, s, n);
    if (!it)
        return CORS_ERR_NOMEM;
    it->port = (uint16_t)o->port;
    it->origin_bits = bits;
    b->origin_patterns += !cors__item_exact(it);
    return CORS_OK;
}

#endif
