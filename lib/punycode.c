/*
 * punycode.c - checking "xn--" host labels.
 *
 * A policy host label that begins with "xn--" claims to be the ASCII form
 * of a Unicode label (RFC 5891 A-label), which browsers produce with
 * Punycode (RFC 3492).  A label that does not decode can never be sent by
 * a browser: the URL Standard's domain-to-ASCII fails on it, so the page
 * could not even load.  Only decoding is needed, not the decoded text.
 */
#include "origin.h"

/* RFC 3492 section 5: the parameters of Punycode. */
enum {
    BASE = 36,
    TMIN = 1,
    TMAX = 26,
    SKEW = 38,
    DAMP = 700,
    INITIAL_BIAS = 72,
    INITIAL_N = 128
};

#define MAX_CODE_POINT 0x10ffffu

/* RFC 3492 section 6.1: bias adaptation. */
static uint32_t adapt(uint32_t delta, uint32_t points, int first)
{
    uint32_t k = 0;

    delta = first ? delta / DAMP : delta / 2;
    delta += delta / points;
    while (delta > ((BASE - TMIN) * TMAX) / 2) {
        delta /= BASE - TMIN;
        k += BASE;
    }
    return k + (BASE - TMIN + 1) * delta / (delta + SKEW);
}

/* Host labels are lower case, so upper-case digits are not accepted. */
static int digit_value(unsigned char c)
{
    if (c >= 'a' && c <= 'z')
        return c - 'a';
    if (c >= '0' && c <= '9')
        return c - '0' + 26;
    return -1;
}

/* Reads one generalized variable-length integer (RFC 3492 section 3.3)
   starting at s[*pos] and adds it to *i; 0 on bad or overflowing input. */
static int read_delta(const char *s, size_t n, size_t *pos, uint32_t bias, uint32_t *i)
{
    uint32_t w = 1, k, t;
    int d;

    for (k = BASE;; k += BASE) {
        if (*pos >= n || (d = digit_value((unsigned char)s[*pos])) < 0)
            return 0;
        (*pos)++;
        if ((uint32_t)d > (UINT32_MAX - *i) / w)
            return 0;
        *i += (uint32_t)d * w;
        t = k <= bias ? TMIN : k >= bias + TMAX ? TMAX : k - bias;
        if ((uint32_t)d < t)
            return 1;
        if (w > UINT32_MAX / (BASE - t))
            return 0;
        w *= BASE - t;
    }
}

/* label (n bytes, starting with "xn--") decodes (RFC 3492 section 6.2) to
   at least one non-ASCII code point, none of them a surrogate or beyond
   U+10FFFF.  A label that decodes to ASCII alone is no A-label (RFC 5891
   5.4), and a browser would have sent the plain form instead. */
int cors__punycode_label_ok(const char *label, size_t n)
{
    const char *s = label + 4;
    size_t len = n - 4, basic = 0, pos = 0, k;
    uint32_t code = INITIAL_N, i = 0, bias = INITIAL_BIAS, out;
    int decoded_any = 0;

    for (k = 0; k < len; k++)
        if (s[k] == '-')
            basic = k;
    if (basic > 0)
        pos = basic + 1;
    out = (uint32_t)basic;
    while (pos < len) {
        uint32_t old = i;
        if (!read_delta(s, len, &pos, bias, &i))
            return 0;
        out++;
        bias = adapt(i - old, out, old == 0);
        if (i / out > MAX_CODE_POINT - code)
            return 0;
        code += i / out;
        i %= out;
        if (code > MAX_CODE_POINT || (code >= 0xd800 && code <= 0xdfff))
            return 0;
        decoded_any = 1;
        i++;
    }
    return decoded_any;
}
