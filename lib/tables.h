/*
 * tables.h - the policy's hash tables: exact origins by text, header names
 * by lower-case name, origin patterns by their parts; not installed.
 *
 * Open addressing with linear probing, at most half full, so a probe always
 * reaches an empty slot.  Each table has one probe loop (its find), which
 * its insert (building) and its lookup (evaluating) share.  A probe starts
 * at the slot that the top bits of the key's hash pick (cors__table_shift),
 * and a slot whose key has length 0 is empty: no key is empty.
 */
#ifndef CORS_TABLES_H
#define CORS_TABLES_H

#include "hash.h"
#include "names.h"
#include "util.h"

/* The slots for n keys: a power of two, at least twice n. */
static inline size_t cors__table_size(size_t n)
{
    size_t size = 8;

    while (size < n * 2)
        size *= 2;
    return size;
}

/* For a table of 2^k slots (at most 2^31): how far a 32-bit hash is
   shifted so that its top k bits are left, the slot a probe starts at. */
static inline unsigned cors__table_shift(size_t size)
{
    unsigned k = 0;

    while (((size_t)1 << k) < size)
        k++;
    return 32 - k;
}

/* The mask (slots - 1) and the probe shift of a table for n keys. */
static inline void cors__table_layout(size_t n, size_t *mask, unsigned *shift)
{
    size_t size = cors__table_size(n);

    *mask = size - 1;
    *shift = cors__table_shift(size);
}

/* ------------------------------------------------- exact origins, header names */

/* A string: an exact origin, kept as its text (configured origins are
   canonical serializations, as are the request origins that can match, so
   equal text is the same origin), or a header name in lower case. */
typedef struct cors__str_slot {
    uint32_t hash;
    uint32_t len;             /* 0: empty slot */
    const char *s;
} cors__str_slot;

/* How a table of strings compares: origins byte for byte, header names
   whatever the case of the one looked up.  CORS__SAME_CASE_LONG is
   CORS__SAME_CASE for a string its caller knows to be at least 8 bytes
   long (cors__eq_long), so that the lookup has no code for shorter ones. */
enum cors__str_case { CORS__SAME_CASE = 0, CORS__ANY_CASE = 1, CORS__SAME_CASE_LONG = 2 };

/* The n bytes at slot_s are s. */
static CORS__INLINE int cors__str_equal(const char *slot_s, const char *s, size_t n,
                                        enum cors__str_case c)
{
    if (c == CORS__SAME_CASE_LONG)
        return cors__eq_long(slot_s, s, n);
    return c == CORS__ANY_CASE ? cors__eq_lower(slot_s, s, n) : cors__eq_bytes(slot_s, s, n);
}

static CORS__INLINE uint32_t cors__str_hash(const char *s, size_t n, enum cors__str_case c)
{
    return c == CORS__ANY_CASE ? cors__name_hash_lower(s, n) : cors__text_hash(s, n);
}

/* The slot holds s, whose hash is h. */
static CORS__INLINE int cors__str_holds(const cors__str_slot *slot, uint32_t h, const char *s,
                                        size_t n, enum cors__str_case c)
{
    /* The hash first: a slot that holds it almost always holds s. */
    return slot->hash == h && slot->len == n && cors__str_equal(slot->s, s, n, c);
}

/* The slot where the probe for a key of hash h starts. */
static CORS__INLINE const cors__str_slot *cors__str_first(const cors__str_slot *t,
                                                          unsigned shift, uint32_t h)
{
    return &t[h >> shift];
}

/* The slot holding s, or the empty slot where it belongs. */
static CORS__INLINE size_t cors__str_find(const cors__str_slot *t, size_t mask, unsigned shift,
                                          uint32_t h, const char *s, size_t n,
                                          enum cors__str_case c)
{
    size_t i = h >> shift;

    while (!cors__str_holds(&t[i], h, s, n, c) && t[i].len != 0)
        i = (i + 1) & mask;
    return i;
}

/* Returns 0 when s is there already (s in lower case for CORS__ANY_CASE). */
static CORS__INLINE int cors__str_insert(cors__str_slot *t, size_t mask, unsigned shift,
                                         const char *s, size_t n, enum cors__str_case c)
{
    uint32_t h = cors__str_hash(s, n, c);
    cors__str_slot *slot = &t[cors__str_find(t, mask, shift, h, s, n, c)];

    if (slot->len != 0)
        return 0;
    slot->hash = h;
    slot->len = (uint32_t)n;
    slot->s = s;
    return 1;
}

static CORS__INLINE int cors__str_lookup(const cors__str_slot *t, size_t mask, unsigned shift,
                                         const char *s, size_t n, enum cors__str_case c)
{
    return t[cors__str_find(t, mask, shift, cors__str_hash(s, n, c), s, n, c)].len != 0;
}

/* --------------------------------------------------------------- methods */

/* The methods a preflight may ask for, by cors__method_key (the
   safelisted ones and the configured ones up to CORS__METHOD_KEY_MAX
   bytes), so that one probe answers; 0 marks an empty slot.  At most half
   full: a policy of more short methods keeps the list alone. */
#define CORS__METHOD_SLOTS 32

static CORS__INLINE size_t cors__method_find(const uint64_t *set, uint64_t key)
{
    size_t i = (size_t)((key * 0x9e3779b97f4a7c15u) >> 59);

    while (set[i] != key && set[i] != 0)
        i = (i + 1) % CORS__METHOD_SLOTS;
    return i;
}

/* Fills set from the n keys (0 for a longer method); 0 when they do not
   all fit. */
static inline int cors__method_set_fill(uint64_t set[CORS__METHOD_SLOTS], const uint64_t *keys,
                                        size_t n)
{
    size_t i, used = 0;
    uint64_t key;

    memset(set, 0, CORS__METHOD_SLOTS * sizeof *set);
    for (i = 0; i < CORS__NSAFELISTED_METHODS + n; i++) {
        key = i < CORS__NSAFELISTED_METHODS ? cors__safelisted_method_key_at((unsigned)i)
                                            : keys[i - CORS__NSAFELISTED_METHODS];
        if (key == 0 || set[cors__method_find(set, key)] == key)
            continue;
        if (++used > CORS__METHOD_SLOTS / 2)
            return 0;
        set[cors__method_find(set, key)] = key;
    }
    return 1;
}

/* --------------------------------------------------------- origin patterns */

/* What a pattern slot is keyed by besides its host. */
enum { CORS__K_EXACT = 1, CORS__K_SUB = 2 };

typedef struct cors__origin_slot {
    uint32_t hash;
    uint8_t kind;             /* CORS__K_EXACT (a ":*" port) or CORS__K_SUB ("*.") */
    uint8_t scheme;
    uint16_t port;
    uint32_t host_len;        /* 0: empty slot */
    const char *host;
} cors__origin_slot;

/* The slot holding the pattern whose key is (kind, scheme, port, host) and
   whose hash is h, or the empty slot where it belongs. */
static CORS__INLINE size_t cors__origin_find(const cors__origin_slot *t, size_t mask,
                                             unsigned shift, uint32_t h, int kind, int scheme,
                                             unsigned port, const char *host, size_t n)
{
    size_t i = h >> shift;

    while (t[i].host_len != 0 &&
           !(t[i].hash == h && t[i].kind == kind && t[i].scheme == scheme &&
             t[i].port == port && t[i].host_len == n && cors__eq_bytes(t[i].host, host, n)))
        i = (i + 1) & mask;
    return i;
}

/* Returns 0 when an equal pattern is there already. */
static inline int cors__origin_insert(cors__origin_slot *t, size_t mask, unsigned shift,
                                      int kind, int scheme, unsigned port, const char *host,
                                      size_t n)
{
    uint32_t h = cors__host_hash(host, n, kind, scheme, port);
    cors__origin_slot *slot =
        &t[cors__origin_find(t, mask, shift, h, kind, scheme, port, host, n)];

    if (slot->host_len != 0)
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
static CORS__INLINE int cors__origin_lookup(const cors__origin_slot *t, size_t mask,
                                            unsigned shift, uint64_t state, int kind,
                                            int scheme, unsigned port, const char *host,
                                            size_t n)
{
    uint32_t h = cors__host_hash_end(state, n, kind, scheme, port);

    return t[cors__origin_find(t, mask, shift, h, kind, scheme, port, host, n)].host_len != 0;
}

#endif
