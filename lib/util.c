/*
 * util.c - allocation through the per-object allocator, growable buffers,
 * output sinks, character classes and message quoting.
 */
#include "util.h"

#include <stdlib.h>
#include <string.h>

void *cors__alloc(const cors_allocator *a, size_t size)
{
    if (size == 0)
        size = 1;
    if (a->malloc_fn)
        return a->malloc_fn(size, a->user_data);
    return malloc(size);
}

void *cors__alloc_zero(const cors_allocator *a, size_t size)
{
    void *p;

    if (size == 0)
        size = 1;
    if (!a->malloc_fn)
        return calloc(1, size);
    p = a->malloc_fn(size, a->user_data);
    if (p)
        memset(p, 0, size);
    return p;
}

void cors__free(const cors_allocator *a, void *p)
{
    if (!p)
        return;
    if (a->free_fn)
        a->free_fn(p, a->user_data);
    else
        free(p);
}

int cors__grow(const cors_allocator *a, void **items, size_t *cap, size_t need,
               size_t item_size)
{
    size_t ncap;
    void *n;

    if (need <= *cap)
        return 0;
    ncap = *cap ? *cap : 8;
    while (ncap < need) {
        if (ncap > ((size_t)-1) / 2 / item_size)
            return -1;
        ncap *= 2;
    }
    /* With the C library's allocator, realloc: a large block then grows
       in place or is remapped, where a copy would fault in fresh pages
       for every doubling of a long list. */
    if (!a->malloc_fn) {
        n = realloc(*items, ncap * item_size);
        if (!n)
            return -1;
        *items = n;
        *cap = ncap;
        return 0;
    }
    /* The allocator interface has no realloc, so copy: growth is geometric,
       which keeps the total copying linear. */
    n = cors__alloc(a, ncap * item_size);
    if (!n)
        return -1;
    if (*items)
        memcpy(n, *items, *cap * item_size);
    cors__free(a, *items);
    *items = n;
    *cap = ncap;
    return 0;
}

int cors__buf_append(const cors_allocator *a, cors__buf *b, const char *s, size_t n)
{
    void *data = b->data;

    if (b->len + n < b->len)
        return -1;
    if (cors__grow(a, &data, &b->cap, b->len + n + 1, 1) != 0)
        return -1;
    b->data = data;
    if (n)
        memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
    return 0;
}

void cors__buf_free(const cors_allocator *a, cors__buf *b)
{
    cors__free(a, b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

/* Only the caller's size is written: a caller built against an older,
   smaller struct must not be overrun, and one built against a newer,
   larger struct keeps the bytes this library knows nothing of. */
void cors__init_sized(void *p, size_t own, size_t struct_size)
{
    size_t n = struct_size < own ? struct_size : own;

    if (!p || n < sizeof(size_t))
        return;
    memset(p, 0, n);
    memcpy(p, &struct_size, sizeof struct_size);
}

void cors__sink_put(cors__sink *s, const char *p, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++, s->len++)
        if (s->len + 1 < s->size)
            s->buf[s->len] = p[i];
}

void cors__sink_str(cors__sink *s, const char *p)
{
    cors__sink_put(s, p, strlen(p));
}

size_t cors__sink_finish(cors__sink *s)
{
    if (s->size)
        s->buf[s->len < s->size ? s->len : s->size - 1] = '\0';
    return s->len;
}

/* RFC 9110 section 5.6.2: tchar = "!" / "#" / "$" / "%" / "&" / "'" / "*" /
   "+" / "-" / "." / "^" / "_" / "`" / "|" / "~" / DIGIT / ALPHA */
#define T1(c) [c] = 1
const unsigned char cors__tchar[256] = {
    T1('!'), T1('#'), T1('$'), T1('%'), T1('&'), T1('\''), T1('*'), T1('+'),
    T1('-'), T1('.'), T1('^'), T1('_'), T1('`'), T1('|'), T1('~'),
    T1('0'), T1('1'), T1('2'), T1('3'), T1('4'), T1('5'), T1('6'), T1('7'),
    T1('8'), T1('9'),
    T1('A'), T1('B'), T1('C'), T1('D'), T1('E'), T1('F'), T1('G'), T1('H'),
    T1('I'), T1('J'), T1('K'), T1('L'), T1('M'), T1('N'), T1('O'), T1('P'),
    T1('Q'), T1('R'), T1('S'), T1('T'), T1('U'), T1('V'), T1('W'), T1('X'),
    T1('Y'), T1('Z'),
    T1('a'), T1('b'), T1('c'), T1('d'), T1('e'), T1('f'), T1('g'), T1('h'),
    T1('i'), T1('j'), T1('k'), T1('l'), T1('m'), T1('n'), T1('o'), T1('p'),
    T1('q'), T1('r'), T1('s'), T1('t'), T1('u'), T1('v'), T1('w'), T1('x'),
    T1('y'), T1('z'),
};
#undef T1

int cors__eq_nocase(const char *a, const char *b, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++)
        if (cors__lower((unsigned char)a[i]) != cors__lower((unsigned char)b[i]))
            return 0;
    return 1;
}

const char cors__hex[16] = {'0', '1', '2', '3', '4', '5', '6', '7',
                            '8', '9', 'a', 'b', 'c', 'd', 'e', 'f'};

size_t cors__escape_byte(unsigned char c, char quote, char out[4])
{
    if (c >= 0x20 && c < 0x7f && c != '\\' && (c != (unsigned char)quote || !quote)) {
        out[0] = (char)c;
        return 1;
    }
    out[0] = '\\';
    out[1] = 'x';
    out[2] = cors__hex[c >> 4];
    out[3] = cors__hex[c & 15];
    return 4;
}

void cors__quote(char *out, size_t size, const char *s, size_t n)
{
    size_t o = 0, i;
    size_t limit = size - 8; /* room for an escape, the quote, "..." and NUL */

    if (size < 16) {
        if (size)
            out[0] = '\0';
        return;
    }
    out[o++] = '"';
    for (i = 0; i < n; i++) {
        if (o + 4 >= limit) {
            out[o++] = '.';
            out[o++] = '.';
            out[o++] = '.';
            break;
        }
        o += cors__escape_byte((unsigned char)s[i], '"', out + o);
    }
    out[o++] = '"';
    out[o] = '\0';
}
