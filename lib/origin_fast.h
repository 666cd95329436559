/*
 * origin_fast.h - the common case of a serialized origin, "http(s)://" and
 * a lower-case domain, read sixteen bytes at a time (SSE2, or portable
 * eight-byte words): the parser's fast path (lib/origin.c) and the
 * request-origin check, inline where the evaluator calls it; not
 * installed.
 */
#ifndef CORS_ORIGIN_FAST_H
#define CORS_ORIGIN_FAST_H

#include "origin.h"

static CORS__INLINE int cors__is_digit(unsigned char c) { return c >= '0' && c <= '9'; }

/* A host is read eight bytes at a time, one byte per 8-bit lane of a
   word, lane k holding s[i + k] whatever the byte order. */
static CORS__INLINE uint64_t cors__load_lanes(const char *s)
{
#if CORS__LITTLE_ENDIAN
    return cors__load64(s);
#else
    uint64_t w = 0;
    int k;

    for (k = 7; k >= 0; k--)
        w = w << 8 | (unsigned char)s[k];
    return w;
#endif
}

#define CORS__LANES(c) (0x0101010101010101u * (uint64_t)(c))
#define CORS__TOPS CORS__LANES(0x80)
/* Eight bytes of text as cors__load_lanes reads them. */
#define CORS__LANE_TEXT8(a, b, c, d, e, f, g, h)                                            \
    ((uint64_t)(a) | (uint64_t)(b) << 8 | (uint64_t)(c) << 16 | (uint64_t)(d) << 24 |        \
     (uint64_t)(e) << 32 | (uint64_t)(f) << 40 | (uint64_t)(g) << 48 | (uint64_t)(h) << 56)

/* Sixteen bytes of text (cors__win16), lane k holding the k-th: an SSE2
   register, or two words as cors__load_lanes reads them.
   cors__letters_dots16(v, dots): the bytes of v that are a-z or ".", byte k
   as bit k, and in *dots those that are ".": all that most hosts hold.
   cors__other_domain16(v): those that are 0-9, "-" or "_", the rest of what
   a canonical lower-case domain may hold. */
#if CORS__SSE2
typedef __m128i cors__win16;

static CORS__INLINE cors__win16 cors__win_load(const char *s)
{
    return _mm_loadu_si128((const __m128i *)(const void *)s);
}

static CORS__INLINE cors__win16 cors__win_words(uint64_t lo, uint64_t hi)
{
    return _mm_set_epi64x((long long)hi, (long long)lo);
}

/* The bytes of v in lo..hi (0 < lo <= hi < 0x80): moved so that lo
   becomes -128, those in the range are the ones below -128 + (hi - lo + 1),
   one signed compare; the move is one-to-one, so every other byte lands
   above. */
static CORS__INLINE __m128i cors__in_range16(__m128i v, char lo, char hi)
{
    return _mm_cmplt_epi8(_mm_add_epi8(v, _mm_set1_epi8((char)(0x80 - lo))),
                          _mm_set1_epi8((char)(-128 + (hi - lo) + 1)));
}

static CORS__INLINE unsigned cors__lanes_of(__m128i m)
{
    return (unsigned)_mm_movemask_epi8(m);
}

static CORS__INLINE unsigned cors__letters_dots16(cors__win16 v, unsigned *dots)
{
    const __m128i dot = _mm_cmpeq_epi8(v, _mm_set1_epi8('.'));

    *dots = cors__lanes_of(dot);
    return cors__lanes_of(_mm_or_si128(dot, cors__in_range16(v, 'a', 'z')));
}

static CORS__INLINE unsigned cors__other_domain16(cors__win16 v)
{
    return cors__lanes_of(
        _mm_or_si128(_mm_or_si128(cors__in_range16(v, '0', '9'), cors__in_range16(v, '-', '-')),
                     _mm_cmpeq_epi8(v, _mm_set1_epi8('_'))));
}
#else
typedef struct cors__win16 {
    uint64_t lo, hi;
} cors__win16;

static CORS__INLINE cors__win16 cors__win_words(uint64_t lo, uint64_t hi)
{
    cors__win16 v;

    v.lo = lo;
    v.hi = hi;
    return v;
}

static CORS__INLINE cors__win16 cors__win_load(const char *s)
{
    return cors__win_words(cors__load_lanes(s), cors__load_lanes(s + 8));
}

/* The top bit of each lane of w whose byte is in lo..hi (both below 0x80):
   no lane's sum leaves 0..0xff, so no lane carries into the next.  A byte
   of 0x80 or more may carry, but only into later lanes, and it is never
   flagged itself (cors__ascii_only), so what follows it does not count. */
#define CORS__IN_RANGE(w, lo, hi) \
    (((w) + CORS__LANES(0x80 - (lo))) & (CORS__LANES(0x80 + (hi)) - (w)))
#define CORS__EQUAL(w, c) (~(((w) ^ CORS__LANES(c)) + CORS__LANES(0x7f)))

static CORS__INLINE uint64_t cors__ascii_only(uint64_t flags, uint64_t w)
{
    return flags & ~w & CORS__TOPS;
}

/* The top bits of the eight lanes as eight bits, lane k as bit k. */
static CORS__INLINE unsigned cors__lane_bits(uint64_t tops)
{
    return (unsigned)(((tops >> 7) * 0x0102040810204080u) >> 56);
}

/* f(lane) for both words of v, as 16 bits. */
#define CORS__LANES_OF(v, f) (cors__lane_bits(f((v).lo)) | cors__lane_bits(f((v).hi)) << 8)

static CORS__INLINE uint64_t cors__dot8(uint64_t w)
{
    return cors__ascii_only(CORS__EQUAL(w, '.'), w);
}
static CORS__INLINE uint64_t cors__letter_dot8(uint64_t w)
{
    return cors__ascii_only(CORS__IN_RANGE(w, 'a', 'z') | CORS__EQUAL(w, '.'), w);
}
static CORS__INLINE uint64_t cors__other8(uint64_t w)
{
    return cors__ascii_only(
        CORS__IN_RANGE(w, '0', '9') | CORS__IN_RANGE(w, '-', '-') | CORS__EQUAL(w, '_'), w);
}

static CORS__INLINE unsigned cors__letters_dots16(cors__win16 v, unsigned *dots)
{
    *dots = CORS__LANES_OF(v, cors__dot8);
    return CORS__LANES_OF(v, cors__letter_dot8);
}

static CORS__INLINE unsigned cors__other_domain16(cors__win16 v)
{
    return CORS__LANES_OF(v, cors__other8);
}
#endif

/* The 16 bytes ending at s[n-1], zero bytes standing for those before
   s[0] when n < 16 (n > 8): two loads in registers, no copy. */
static CORS__INLINE cors__win16 cors__win_last(const char *s, size_t n)
{
    if (n < 16)
        return cors__win_words(cors__load_lanes(s) << 8 * (16 - n),
                               cors__load_lanes(s + n - 8));
    return cors__win_load(s + n - 16);
}

/* "https://" or "http://" by one word compare: where the host starts, or
   0 for anything else. */
static CORS__INLINE size_t cors__fast_scheme(const char *s, size_t n, int *scheme)
{
    uint64_t w;

    if (n <= 8)
        return 0;
    w = cors__load_lanes(s);
    if (w == CORS__LANE_TEXT8('h', 't', 't', 'p', 's', ':', '/', '/')) {
        *scheme = CORS__HTTPS;
        return 8;
    }
    *scheme = CORS__HTTP;
    w &= 0x00ffffffffffffffu;
    return w == CORS__LANE_TEXT8('h', 't', 't', 'p', ':', '/', '/', 0) ? 7 : 0;
}

/* The labels whose dots are the set bits of dots, from bit first to bit
   last, include an empty one: a leading, doubled or trailing dot (a
   trailing one is valid, but rare, and left to the full parser). */
static CORS__INLINE int cors__empty_label(uint64_t dots, uint64_t first, uint64_t last)
{
    return (dots & (first | (dots >> 1) | last)) != 0;
}

/* The last label of the host h, whose dots are the set bits of dots,
   starts with a digit: the URL Standard might read it as a number ("ends
   in a number"), and the host as an IPv4 address; the full parser tells. */
static CORS__INLINE int cors__digit_led(const char *h, uint64_t dots)
{
    return cors__is_digit((unsigned char)h[dots ? cors__top_bit(dots) + 1 : 0]);
}

/* The most common request origin, "http(s)://" and a domain of at most
   16 bytes with no port, checked in one window of the text: its last 16
   bytes, the host from bit first on, the scheme's bytes (no dots) below.
   With all == 0 (the inline part of the check), only texts of 16 bytes or
   more, read by one load, whose hosts hold letters and dots only: it keeps
   no registers for the rest, which the out-of-line part tests (all != 0).
   0 for anything else, which the parser decides. */
static CORS__INLINE int cors__origin_short_ok(const char *s, size_t n, int all)
{
    int scheme;
    size_t host, len;
    unsigned first, dots, ok;
    cors__win16 v;

    /* 9 to 24 bytes: "https://" and 1 to 16 more, or "http://" and 2 to 17 */
    if ((all ? n - 9 > 15 : n - 16 > 8) || (host = cors__fast_scheme(s, n, &scheme)) == 0 ||
        (len = n - host) > 16)
        return 0;
    first = 0x10000u >> len;
    v = cors__win_last(s, n);
    ok = cors__letters_dots16(v, &dots) | (first - 1);
    if (cors__empty_label(dots, first, 0x8000u))
        return 0;
    /* Letters and dots only: no digit leads the last label. */
    if (ok == 0xffffu)
        return 1;
    return all && (ok | cors__other_domain16(v)) == 0xffffu &&
           !cors__digit_led(s + host, dots >> (16 - len));
}

/* Everything cors__origin_short_ok(s, n, 0) leaves: the rest of
   cors__origin_short_ok(s, n, 1), then cors__origin_parse's verdict (out
   of line, in lib/origin.c). */
cors__origin_err cors__origin_verdict(const char *s, size_t n);

/* The verdict cors__origin_parse(s, n, 0, ...) gives on a request origin,
   without the parts: all that a policy without patterns needs to tell a
   malformed origin from one it does not list.  Inline, so that the common
   case costs no call; the same for every input (tests/fuzz/fuzz_origin.c). */
static CORS__INLINE cors__origin_err cors__origin_check(const char *s, size_t n)
{
    return cors__origin_short_ok(s, n, 0) ? CORS__O_OK : cors__origin_verdict(s, n);
}

#endif
