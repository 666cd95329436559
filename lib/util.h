/*
 * util.h - what every library file shares: configuration, limits,
 * allocation, output buffers, characters and message quoting (lib/util.c);
 * not installed.
 */
#ifndef CORS_UTIL_H
#define CORS_UTIL_H

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

/* The longest header name a policy accepts. */
#define CORS__MAX_NAME 256

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

/* Sixteen bytes per step with SSE2 where the compiler has it (every
   x86-64); elsewhere, or built with -DCORS_NO_SIMD, the portable code of
   eight-byte words, which CI's clang stage builds so that both are tested. */
#if defined(__SSE2__) && !defined(CORS_NO_SIMD)
#define CORS__SSE2 1
#include <emmintrin.h>
#else
#define CORS__SSE2 0
#endif

/* ------------------------------------------------------------ allocation */

void *cors__alloc(const cors_allocator *a, size_t size);
/* size bytes, all zero: a large table from the C library's allocator
   then comes as fresh zero pages instead of being cleared byte by byte. */
void *cors__alloc_zero(const cors_allocator *a, size_t size);
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

/* Eight bytes at a time: the bytes of x below limit, each flagged by its
   high bit (limit <= 0x80; bytes of 0x80 and above are never flagged).  A
   borrow may flag a byte just above a true one, never below it, so the
   lowest flagged byte of a little-endian load is always a true one. */
#define CORS__ONES 0x0101010101010101u
static inline uint64_t cors__bytes_below(uint64_t x, unsigned char limit)
{
    return (x - CORS__ONES * limit) & ~x & (CORS__ONES * 0x80);
}
/* The bytes of x equal to c, as cors__bytes_below flags them. */
static inline uint64_t cors__bytes_equal(uint64_t x, unsigned char c)
{
    return cors__bytes_below(x ^ (CORS__ONES * c), 1);
}

/* The index of the lowest and of the highest set bit of x != 0. */
static CORS__INLINE unsigned cors__low_bit(uint64_t x)
{
#if defined(__GNUC__)
    return (unsigned)__builtin_ctzll(x);
#else
    unsigned k = 0;

    while (!(x & 1)) {
        x >>= 1;
        k++;
    }
    return k;
#endif
}

static CORS__INLINE unsigned cors__top_bit(uint64_t x)
{
#if defined(__GNUC__)
    return 63u - (unsigned)__builtin_clzll(x);
#else
    unsigned k = 0;

    while (x >>= 1)
        k++;
    return k;
#endif
}

/* -------------------------------------------------------------- messages */

/* Lower-case hexadecimal digits, by value. */
extern const char cors__hex[16];

/* Writes byte c as a message shows it: itself when printable ASCII other
   than "\\" and quote (0: none), else "\\xHH".  Returns the length, 1 or 4. */
size_t cors__escape_byte(unsigned char c, char quote, char out[4]);

/* Writes s as a quoted, printable, bounded string for a message. */
void cors__quote(char *out, size_t size, const char *s, size_t n);
#define CORS__QUOTE_SIZE 120
/* The longest diagnostic message kept (longer ones are cut). */
#define CORS__MESSAGE_SIZE 1024

#endif
