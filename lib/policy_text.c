/*
 * policy_text.c - the line-based policy format (libcors-policy(5)).
 *
 *   # comment
 *   allow-origin   https://app.example.com https://api.example.com
 *   allow-methods  PUT, DELETE
 *   allow-credentials on
 *
 * One directive per line, values separated by spaces and/or commas.  Each
 * value goes through the same setter as the C API, so the two can never
 * disagree about what is valid.
 */
#include "internal.h"

#include <string.h>

typedef enum directive_kind {
    D_ORIGIN,
    D_METHODS,
    D_HEADERS,
    D_EXPOSE,
    D_CREDENTIALS,
    D_MAX_AGE,
    D_PNA,
    D_STATUS,
    D_DENIED_STATUS,
    D_DANGER_INSECURE,
    D_DANGER_TLD
} directive_kind;

static const struct directive {
    const char *name;
    directive_kind kind;
} directives[] = {
    {"allow-origin", D_ORIGIN},
    {"allow-methods", D_METHODS},
    {"allow-headers", D_HEADERS},
    {"expose-headers", D_EXPOSE},
    {"allow-credentials", D_CREDENTIALS},
    {"max-age", D_MAX_AGE},
    {"allow-private-network", D_PNA},
    {"preflight-status", D_STATUS},
    {"preflight-denied-status", D_DENIED_STATUS},
    {"dangerously-allow-insecure-origins-with-credentials", D_DANGER_INSECURE},
    {"dangerously-allow-tld-wildcards-with-credentials", D_DANGER_TLD},
};
#define NDIRECTIVES (sizeof directives / sizeof directives[0])

static int is_space(char c) { return c == ' ' || c == '\t'; }
static int is_sep(char c) { return c == ' ' || c == '\t' || c == ','; }

/* Edit distance, for "did you mean"; only short words are compared. */
static size_t distance(const char *a, size_t na, const char *b, size_t nb)
{
    size_t prev[64], cur[64], i, j;

    if (na >= 63 || nb >= 63)
        return 99;
    for (j = 0; j <= nb; j++)
        prev[j] = j;
    for (i = 1; i <= na; i++) {
        cur[0] = i;
        for (j = 1; j <= nb; j++) {
            size_t sub = prev[j - 1] + (cors__lower((unsigned char)a[i - 1]) != b[j - 1]);
            size_t del = prev[j] + 1, ins = cur[j - 1] + 1;
            cur[j] = sub < del ? (sub < ins ? sub : ins) : (del < ins ? del : ins);
        }
        memcpy(prev, cur, (nb + 1) * sizeof *prev);
    }
    return prev[nb];
}

static cors_error unknown_directive(cors_builder *b, const char *s, size_t n)
{
    char q[CORS__QUOTE_SIZE];
    size_t i, best = 0, best_d = 99;

    cors__quote(q, sizeof q, s, n);
    for (i = 0; i < NDIRECTIVES; i++) {
        size_t d = distance(s, n, directives[i].name, strlen(directives[i].name));
        if (d < best_d) {
            best_d = d;
            best = i;
        }
    }
    if (best_d <= 3)
        return cors__diag(b, CORS_SEVERITY_ERROR, CORS_ERR_UNKNOWN_DIRECTIVE, b->line,
                          "unknown directive %s; did you mean \"%s\"?", q, directives[best].name);
    return cors__diag(b, CORS_SEVERITY_ERROR, CORS_ERR_UNKNOWN_DIRECTIVE, b->line,
                      "unknown directive %s; known: allow-origin, allow-methods, "
                      "allow-headers, expose-headers, allow-credentials, max-age, "
                      "allow-private-network, preflight-status, preflight-denied-status, "
                      "dangerously-allow-insecure-origins-with-credentials, "
                      "dangerously-allow-tld-wildcards-with-credentials",
                      q);
}

/* A directive that takes exactly one value: returns it, or records why not. */
static cors_error single_value(cors_builder *b, const char *name, const char *v, size_t n,
                               const char **out, size_t *out_len)
{
    size_t i = 0, start;

    while (i < n && is_sep(v[i]))
        i++;
    start = i;
    while (i < n && !is_sep(v[i]))
        i++;
    *out = v + start;
    *out_len = i - start;
    while (i < n && is_sep(v[i]))
        i++;
    if (*out_len == 0)
        return cors__diag(b, CORS_SEVERITY_ERROR, CORS_ERR_SYNTAX, b->line,
                          "%s needs a value", name);
    if (i < n)
        return cors__diag(b, CORS_SEVERITY_ERROR, CORS_ERR_SYNTAX, b->line,
                          "%s takes exactly one value", name);
    return CORS_OK;
}

static cors_error parse_bool(cors_builder *b, const char *name, const char *v, size_t n, int *on)
{
    const char *s;
    size_t len;
    char q[CORS__QUOTE_SIZE];
    cors_error e = single_value(b, name, v, n, &s, &len);

    if (e != CORS_OK)
        return e;
    if (len == 2 && memcmp(s, "on", 2) == 0)
        *on = 1;
    else if (len == 3 && memcmp(s, "off", 3) == 0)
        *on = 0;
    else {
        cors__quote(q, sizeof q, s, len);
        return cors__diag(b, CORS_SEVERITY_ERROR, CORS_ERR_SYNTAX, b->line,
                          "%s takes on or off, not %s", name, q);
    }
    return CORS_OK;
}

static cors_error parse_number(cors_builder *b, const char *name, const char *v, size_t n,
                               cors_error range_code, const char *range, long *out)
{
    const char *s;
    size_t len, i;
    long value = 0;
    char q[CORS__QUOTE_SIZE];
    cors_error e = single_value(b, name, v, n, &s, &len);

    if (e != CORS_OK)
        return e;
    cors__quote(q, sizeof q, s, len);
    for (i = 0; i < len; i++)
        if (s[i] < '0' || s[i] > '9')
            return cors__diag(b, CORS_SEVERITY_ERROR, CORS_ERR_SYNTAX, b->line,
                              "%s takes a whole number, not %s", name, q);
    for (i = 0; i < len; i++) {
        /* A number this long is out of range whatever it is; it is refused
           here, as written, before it could overflow. */
        if (value > 99999999)
            return cors__diag(b, CORS_SEVERITY_ERROR, range_code, b->line,
                              "%s %s is refused: it must be %s", name, q, range);
        value = value * 10 + (s[i] - '0');
    }
    *out = value;
    return CORS_OK;
}

/* A single-valued setting given twice in policy text is an error: which of
   the two was meant cannot be known. */
static cors_error once(cors_builder *b, const char *name, int set, unsigned line)
{
    if (set && line != 0)
        return cors__diag(b, CORS_SEVERITY_ERROR, CORS_ERR_DUPLICATE, b->line,
                          "%s is already set on line %u", name, line);
    return CORS_OK;
}

static cors_error each_value(cors_builder *b, directive_kind kind, const char *name,
                             const char *v, size_t n)
{
    size_t i = 0, start;
    cors_error first = CORS_OK, e = CORS_OK;
    int any = 0;

    for (;;) {
        while (i < n && is_sep(v[i]))
            i++;
        if (i == n)
            break;
        start = i;
        while (i < n && !is_sep(v[i]))
            i++;
        any = 1;
        /* "#" is a valid token, so without this a trailing comment would
           silently allow headers named "#", "needed", "by", ... */
        if (v[start] == '#') {
            char q[CORS__QUOTE_SIZE];
            cors__quote(q, sizeof q, v + start, n - start);
            e = cors__diag(b, CORS_SEVERITY_ERROR, CORS_ERR_SYNTAX, b->line,
                           "%s: %s is a comment, but a comment must be on a line of its "
                           "own; move it to the line above",
                           name, q);
            if (first == CORS_OK)
                first = e;
            break;
        }
        switch (kind) {
        case D_ORIGIN:
            e = cors_builder_allow_origin(b, v + start, i - start);
            break;
        case D_METHODS:
            e = cors_builder_allow_method(b, v + start, i - start);
            break;
        case D_HEADERS:
            e = cors_builder_allow_header(b, v + start, i - start);
            break;
        default:
            e = cors_builder_expose_header(b, v + start, i - start);
            break;
        }
        if (first == CORS_OK)
            first = e;
    }
    if (!any)
        return cors__diag(b, CORS_SEVERITY_ERROR, CORS_ERR_SYNTAX, b->line,
                          "%s needs at least one value", name);
    return first;
}

static cors_error scalar(cors_builder *b, const struct directive *d, const char *v, size_t n)
{
    int on = 0;
    long num = 0;
    cors_error e;

    switch (d->kind) {
    case D_CREDENTIALS:
        if ((e = once(b, d->name, b->credentials_set, b->credentials_line)) != CORS_OK ||
            (e = parse_bool(b, d->name, v, n, &on)) != CORS_OK)
            return e;
        return cors_builder_allow_credentials(b, on);
    case D_PNA:
        if ((e = once(b, d->name, b->pna_set, b->pna_line)) != CORS_OK ||
            (e = parse_bool(b, d->name, v, n, &on)) != CORS_OK)
            return e;
        return cors_builder_allow_private_network(b, on);
    case D_MAX_AGE:
        if ((e = once(b, d->name, b->max_age_set, b->max_age_line)) != CORS_OK ||
            (e = parse_number(b, d->name, v, n, CORS_ERR_MAX_AGE, "0 to 86400 seconds",
                              &num)) != CORS_OK)
            return e;
        return cors_builder_set_max_age(b, num);
    case D_STATUS:
        if ((e = once(b, d->name, b->status_set, b->status_line)) != CORS_OK ||
            (e = parse_number(b, d->name, v, n, CORS_ERR_STATUS, "200 to 299", &num)) !=
                CORS_OK)
            return e;
        return cors_builder_set_preflight_status(b, (int)num);
    case D_DENIED_STATUS:
        if ((e = once(b, d->name, b->denied_status_set, b->denied_status_line)) != CORS_OK ||
            (e = parse_number(b, d->name, v, n, CORS_ERR_STATUS, "200 to 299 or 400 to 499",
                              &num)) != CORS_OK)
            return e;
        return cors_builder_set_denied_status(b, (int)num);
    case D_DANGER_INSECURE:
        if ((e = parse_bool(b, d->name, v, n, &on)) != CORS_OK)
            return e;
        return cors_builder_allow_danger(b, CORS_DANGER_INSECURE_ORIGINS_WITH_CREDENTIALS, on);
    default:
        if ((e = parse_bool(b, d->name, v, n, &on)) != CORS_OK)
            return e;
        return cors_builder_allow_danger(b, CORS_DANGER_TLD_WILDCARD_WITH_CREDENTIALS, on);
    }
}

static cors_error parse_line(cors_builder *b, const char *s, size_t n)
{
    size_t i = 0, start, k;

    for (k = 0; k < n; k++) {
        unsigned char c = (unsigned char)s[k];
        if ((c < 0x20 && c != '\t') || c == 0x7f)
            return cors__diag(b, CORS_SEVERITY_ERROR, CORS_ERR_SYNTAX, b->line,
                              "control character 0x%02x in the line", c);
    }
    while (i < n && is_space(s[i]))
        i++;
    if (i == n || s[i] == '#')
        return CORS_OK;
    start = i;
    while (i < n && !is_space(s[i]))
        i++;
    for (k = 0; k < NDIRECTIVES; k++) {
        const struct directive *d = &directives[k];
        if (strlen(d->name) != i - start || memcmp(d->name, s + start, i - start) != 0)
            continue;
        if (d->kind <= D_EXPOSE)
            return each_value(b, d->kind, d->name, s + i, n - i);
        return scalar(b, d, s + i, n - i);
    }
    return unknown_directive(b, s + start, i - start);
}

cors_error cors_builder_parse(cors_builder *b, const char *text, size_t len)
{
    size_t pos = 0;
    unsigned line = 0;
    cors_error first = CORS_OK;

    if (!b || (!text && len))
        return CORS_ERR_INVALID_ARGUMENT;
    while (pos < len) {
        const char *nl = memchr(text + pos, '\n', len - pos);
        size_t end = nl ? (size_t)(nl - text) : len, n = end - pos;
        cors_error e;
        if (n > 0 && text[pos + n - 1] == '\r')
            n--;
        b->line = ++line;
        e = parse_line(b, text + pos, n);
        if (first == CORS_OK && e != CORS_OK)
            first = e;
        pos = end + 1;
    }
    b->line = 0;
    return first;
}
