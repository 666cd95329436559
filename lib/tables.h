/*
 * tables.h - the policy's hash tables: exact origins by text, origin
 * patterns by their parts, header names by lower-case name; not installed.
 *
 * Open addressing with linear probing, at most half full, so a probe always
 * reaches an empty slot.  Each table has one probe loop (its find), which
 * its insert (building) and its lookup (evaluating) share.
 */
#ifndef CORS_TABLES_H
#define CORS_TABLES_H

#include "hash.h"
#include "util.h"

/* The slots for n keys: a power of two, at least twice n. */
static inline size_t cors__table_size(size_t n)
{
    size_t size = 8;

    while (size < n * 2)
        size *= 2;
    return size;
}

/* ------------------------------------------------------------ exact origins */

/* An exact origin, kept as its text: configured origins are canonical
   serializations, as are the request origins that can match, so equal
   text is the same origin. */
typedef struct cors__text_slot {
    uint32_t hash;            /* 0: empty slot */
    uint32_t len;
    const char *text;
} cors__text_slot;

/* The slot holding s, or the empty slot where it belongs. */
static CORS__INLINE size_t cors__text_find(const cors__text_slot *t, size_t mask, uint32_t h,
                                     const char *s, size_t n)
{
    size_t i = h & mask;

    while (t[i].hash != 0 && !(t[i].hash == h && t[i].len == n && cors__eq_bytes(t[i].text, s, n)))
        i = (i + 1) & mask;
    return i;
}

/* Returns 0 when s is there already. */
static inline int cors__text_insert(cors__text_slot *t, size_t mask, const char *s, size_t n)
{
    uint32_t h = cors__text_hash(s, n);
    cors__text_slot *slot = &t[cors__text_find(t, mask, h, s, n)];

    if (slot->hash != 0)
        return 0;
    slot->hash = h;
    slot->len = (uint32_t)n;
    slot->text = s;
    return 1;
}

static CORS__INLINE int cors__text_lookup(const cors__text_slot *t, size_t mask, const char *s,
                                    size_t n)
{
    return t[cors__text_find(t, mask, cors__text_hash(s, n), s, n)].hash != 0;
}

/* --------------------------------------------------------- origin patterns */

/* What a pattern slot is keyed by besides its host. */
enum { CORS__K_EXACT = 1, CORS__K_SUB = 2 };

typedef struct cors__origin_slot {
    uint32_t hash;            /* 0: empty slot */
    uint8_t kind;             /* CORS__K_EXACT (a ":*" port) or CORS__K_SUB ("*.") */
    uint8_t scheme;
    uint16_t port;
    uint32_t host_len;
    const char *host;
} cors__origin_slot;

/* The slot holding the pattern whose key is (kind, scheme, port, host) and
   whose hash is h, or the empty slot where it belongs. */
static inline size_t cors__origin_find(const cors__origin_slot *t, size_t mask, uint32_t h,
                                       int kind, int scheme, unsigned port, const char *host,
                                       size_t n)
{
    size_t i = h & mask;

    while (t[i].hash != 0 &&
           !(t[i].hash == h && t[i].kind == kind && t[i].scheme == scheme &&
             t[i].port == port && t[i].host_len == n && cors__eq_bytes(t[i].host, host, n)))
        i = (i + 1) & mask;
    return i;
}

/* Returns 0 when an equal pattern is there already. */
static inline int cors__origin_insert(cors__origin_slot *t, size_t mask, int kind, int scheme,
                                      unsigned port, const char *host, size_t n)
{
    uint32_t h = cors__host_hash(host, n, kind, scheme, port);
    cors__origin_slot *slot = &t[cors__origin_find(t, mask, h, kind, scheme, port, host, n)];

    if (slot->hash != 0)
        return 0;
    slot->hash = h;
    slot->kind = (uint8_t)kind;
    slot->scheme = (uint8_t)scheme;
    slot->port = (uint16_t)port;
    slot->host = host;
    slot->host_len = (uint32_t)n;
    return 1;
}

/* state: cors__hash_bytes(host, n, 0), shared by the lookups of one host
   with several ports. */
static inline int cors__origin_lookup(const cors__origin_slot *t, size_t mask, uint64_t state,
                                      int kind, int scheme, unsigned port, const char *host,
                                      size_t n)
{
    uint32_t h = cors__host_hash_end(state, n, kind, scheme, port);

    return t[cors__origin_find(t, mask, h, kind, scheme, port, host, n)].hash != 0;
}

/* ------------------------------------------------------------ header names */

typedef struct cors__name_slot {
    uint32_t hash;            /* 0: empty slot */
    uint32_t len;
    const char *name;         /* lower case */
} cors__name_slot;

/* The slot holding name (in any case), or the empty slot where it belongs. */
static inline size_t cors__name_find(const cors__name_slot *t, size_t mask, uint32_t h,
                                     const char *name, size_t n)
{
    size_t i = h & mask;

    while (t[i].hash != 0 &&
           !(t[i].hash == h && t[i].len == n && cors__eq_lower(t[i].name, name, n)))
        i = (i + 1) & mask;
    return i;
}

/* lower: a lower-case name; returns 0 when it is there already. */
static inline int cors__name_insert(cors__name_slot *t, size_t mask, const char *lower, size_t n)
{
    uint32_t h = cors__name_hash_lower(lower, n);
    cors__name_slot *slot = &t[cors__name_find(t, mask, h, lower, n)];

    if (slot->hash != 0)
        return 0;
    slot->hash = h;
    slot->len = (uint32_t)n;
    slot->name = lower;
    return 1;
}

static inline int cors__name_lookup(const cors__name_slot *t, size_t mask, const char *name,
                                    size_t n)
{
    return t[cors__name_find(t, mask, cors__name_hash_lower(name, n), name, n)].hash != 0;
}

#endif
