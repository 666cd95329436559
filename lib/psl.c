/*
 * psl.c - is a host a public suffix?
 *
 * A subdomain wildcard over a public suffix (host "*.github.io") admits
 * every site anyone registers there, so policies must know the suffixes.
 * The answer follows the algorithm of https://publicsuffix.org/list/: the
 * prevailing rule is an exception rule if one matches, else the matching
 * rule with the most labels, else "*"; the host is a public suffix when
 * that rule covers all of it.
 */
#include "psl.h"

#include <string.h>

/* The kinds of rule named exactly s (0 when none). */
static unsigned rule_kinds(const char *s, size_t n)
{
    size_t lo = 0, hi = cors__psl_count;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        uint32_t e = cors__psl_entries[mid];
        const char *name = cors__psl_chunks[(e >> 12) & 0xff] + (e & 0xfff);
        size_t len = strlen(name);
        int c = memcmp(name, s, len < n ? len : n);
        if (c == 0 && len == n)
            return e >> 20;
        if (c < 0 || (c == 0 && len < n))
            lo = mid + 1;
        else
            hi = mid;
    }
    return 0;
}

int cors__public_suffix(const char *host, size_t n)
{
    const char *dot = memchr(host, '.', n);
    unsigned kinds = rule_kinds(host, n);

    if (kinds & CORS__PSL_EXCEPTION)
        return 0;
    if (kinds & CORS__PSL_RULE)
        return 1;
    /* The implicit rule "*": every top-level label is a suffix. */
    if (!dot)
        return 1;
    /* "*.ck" covers "anything.ck" unless "!anything.ck" is listed. */
    return (rule_kinds(dot + 1, n - (size_t)(dot + 1 - host)) & CORS__PSL_WILDCARD) != 0;
}
