/*
 * hash.h - hashing and comparing strings eight bytes at a time; not
 * installed.
 */
#ifndef CORS_HASH_H
#define CORS_HASH_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "util.h"

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

/* The word hashed for w: its ASCII lower case when lower != 0. */
static CORS__INLINE uint64_t cors__hash_case(uint64_t w, int lower)
{
    return lower ? cors__lower64(w) : w;
}

/* The running state of a hash of the n bytes at s, from seed; lower != 0
   hashes their ASCII lower case (s must then be ASCII). */
static CORS__INLINE uint64_t cors__hash_seeded(const char *s, size_t n, int lower, uint64_t seed)
{
    uint64_t h = seed;
    size_t i;

    /* Whole words, the last one overlapping the one before (the length
       goes into the hash at its end), so no tail is shifted into place.
       The first two need no loop: most origins and names are that short. */
    if (n <= 16) {
        if (n < 8)
            return cors__hash_word(h, cors__hash_case(cors__load_tail(s, n), lower));
        if (n > 8)
            h = cors__hash_word(h, cors__hash_case(cors__load64(s), lower));
    } else {
        h = cors__hash_word(h, cors__hash_case(cors__load64(s), lower));
        h = cors__hash_word(h, cors__hash_case(cors__load64(s + 8), lower));
        for (i = 16; i + 8 < n; i += 8)
            h = cors__hash_word(h, cors__hash_case(cors__load64(s + i), lower));
    }
    return cors__hash_word(h, cors__hash_case(cors__load64(s + n - 8), lower));
}

static CORS__INLINE uint64_t cors__hash_bytes(const char *s, size_t n, int lower)
{
    return cors__hash_seeded(s, n, lower, CORS__HASH_SEED);
}

/* A table hash is the high half of the last product of a state: bit k
   of a product depends only on bits 0..k of its operand, so its top bits
   are the ones that have seen every byte of the key (its low bits would
   miss a port or a number at the end of a word, and such keys would
   crowd into a few slots).  Tables pick a slot by the top bits of this
   half (cors__table_shift). */
static CORS__INLINE uint32_t cors__hash_end(uint64_t state)
{
    return (uint32_t)(state >> 32);
}

/* cors__eq_bytes of at least 8 bytes. */
static CORS__INLINE int cors__eq_long(const char *a, const char *b, size_t n)
{
    uint64_t d = 0;
    size_t i;

    /* Up to 24 bytes (most origins) in one test: the last word overlaps
       the one before.  Longer ones without a test per word, so that both
       end in the same test of d. */
    if (n <= 24) {
        d = (cors__load64(a) ^ cors__load64(b)) |
            (cors__load64(a + (n > 16 ? 8 : 0)) ^ cors__load64(b + (n > 16 ? 8 : 0)));
    } else {
        for (i = 0; i + 8 < n; i += 8)
            d |= cors__load64(a + i) ^ cors__load64(b + i);
    }
    return (d | (cors__load64(a + n - 8) ^ cors__load64(b + n - 8))) == 0;
}

/* a and b, n bytes each, are equal. */
static CORS__INLINE int cors__eq_bytes(const char *a, const char *b, size_t n)
{
    if (n < 8)
        return cors__load_tail(a, n) == cors__load_tail(b, n);
    return cors__eq_long(a, b, n);
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
   in the top byte, so that one comparison tells two such methods apart.
   One of up to 3 bytes is its first, middle and last byte, which tell
   apart the methods of its length, without a shift by its length. */
#define CORS__METHOD_KEY_MAX 7
static CORS__INLINE uint64_t cors__method_key(const char *s, size_t n)
{
    if (n < 4)
        return (uint64_t)(unsigned char)s[0] | (uint64_t)(unsigned char)s[n / 2] << 8 |
               (uint64_t)(unsigned char)s[n - 1] << 16 | (uint64_t)n << 56;
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

/* The hash of an origin text (exact origins are kept as their text); the
   length is the seed. */
static CORS__INLINE uint32_t cors__text_hash(const char *s, size_t n)
{
    return cors__hash_end(cors__hash_seeded(s, n, 0, n));
}

/* The hash of a header name, whatever its case. */
static CORS__INLINE uint32_t cors__name_hash_lower(const char *s, size_t n)
{
    return cors__hash_end(cors__hash_seeded(s, n, 1, n));
}

/* The hash of an origin pattern's key, from the state of its host's hash:
   the rest of the key is one more word. */
static CORS__INLINE uint32_t cors__host_hash_end(uint64_t state, size_t n, int kind, int scheme,
                                                 unsigned port)
{
    return cors__hash_end(cors__hash_word(state, (uint64_t)n ^ ((uint64_t)kind << 32) ^
                                                     ((uint64_t)scheme << 36) ^
                                                     ((uint64_t)port << 40)));
}

static inline uint32_t cors__host_hash(const char *host, size_t n, int kind, int scheme,
                                       unsigned port)
{
    return cors__host_hash_end(cors__hash_bytes(host, n, 0), n, kind, scheme, port);
}

#endif
