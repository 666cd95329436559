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
#include "builder.h"
#include "policy.h"

#include <stdio.h>
#include <string.h>

typedef struct directive directive;

/* A line of policy text as one scan found it. */
#define SEPS_MAX 8
typedef struct text_line {
    const char *s;
    size_t len;               /* without the "\n", "\r\n" or final "\r" that ends it */
    size_t next;              /* where the next line starts, from s */
    size_t ctl;               /* its first control character other than tab; len: none */
    size_t nseps;             /* the first separators (space, tab, comma): all of them */
    size_t seps[SEPS_MAX];    /* unless there are SEPS_MAX */
} text_line;

/* Reads a directive's values from its line l, after the name (at). */
typedef cors_error (*directive_read)(cors_builder *b, const directive *d, const text_line *l,
                                     size_t at);
/* Writes the directive's line(s) for cors_policy_to_text(). */
typedef void (*directive_write)(cors__sink *w, const directive *d, const cors_policy *p);

struct directive {
    char name[64];            /* room for the longest name and its NUL */
    directive_read read;
    directive_write write;
    /* read_list: the builder call that adds one value */
    cors_error (*add)(cors_builder *b, const char *s, size_t n);
    int id;                   /* read_setting: a cors__setting_id; read_danger: a cors_danger */
};

static cors_error read_list(cors_builder *b, const directive *d, const text_line *l, size_t at);
static cors_error read_setting(cors_builder *b, const directive *d, const text_line *l, size_t at);
static cors_error read_danger(cors_builder *b, const directive *d, const text_line *l, size_t at);
static void write_origins(cors__sink *w, const directive *d, const cors_policy *p);
static void write_server_origins(cors__sink *w, const directive *d, const cors_policy *p);
static void write_methods(cors__sink *w, const directive *d, const cors_policy *p);
static void write_allow_headers(cors__sink *w, const directive *d, const cors_policy *p);
static void write_expose_headers(cors__sink *w, const directive *d, const cors_policy *p);
static void write_setting(cors__sink *w, const directive *d, const cors_policy *p);
static void write_danger(cors__sink *w, const directive *d, const cors_policy *p);

/* Every directive, once: the parser, its "known: ..." list and
   cors_policy_to_text() (which writes them in this order) all read it.
   Adding a directive is adding a line here.  tests/test-readme.sh and
   tests/test-man-pages.sh read the names from lines that start with
   {"name", read_...: keep that shape. */
static const directive directives[] = {
    {"allow-origin", read_list, write_origins, cors_builder_allow_origin, 0},
    {"allow-methods", read_list, write_methods, cors_builder_allow_method, 0},
    {"allow-headers", read_list, write_allow_headers, cors_builder_allow_header, 0},
    {"expose-headers", read_list, write_expose_headers, cors_builder_expose_header, 0},
    {"server-origin", read_list, write_server_origins, cors_builder_add_server_origin, 0},
    {"allow-credentials", read_setting, write_setting, NULL, CORS__S_CREDENTIALS},
    {"max-age", read_setting, write_setting, NULL, CORS__S_MAX_AGE},
    {"allow-private-network", read_setting, write_setting, NULL, CORS__S_PRIVATE_NETWORK},
    {"preflight-status", read_setting, write_setting, NULL, CORS__S_PREFLIGHT_STATUS},
    {"preflight-denied-status", read_setting, write_setting, NULL, CORS__S_DENIED_STATUS},
    {"dangerously-allow-insecure-origins-with-credentials", read_danger, write_danger, NULL,
     CORS_DANGER_INSECURE_ORIGINS_WITH_CREDENTIALS},
    {"dangerously-allow-tld-wildcards-with-credentials", read_danger, write_danger, NULL,
     CORS_DANGER_TLD_WILDCARD_WITH_CREDENTIALS},
    {"dangerously-allow-public-suffix-wildcards-with-credentials", read_danger, write_danger,
     NULL, CORS_DANGER_PUBLIC_SUFFIX_WILDCARD_WITH_CREDENTIALS},
    {"dangerously-allow-private-network-from-any-origin", read_danger, write_danger, NULL,
     CORS_DANGER_PRIVATE_NETWORK_ANY_ORIGIN},
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

/* "allow-origin, allow-methods, ...": every directive, for a message. */
static const char *known_list(char *buf, size_t size)
{
    cors__sink w = {buf, size, 0};
    size_t i;

    for (i = 0; i < NDIRECTIVES; i++) {
        if (i)
            cors__sink_str(&w, ", ");
        cors__sink_str(&w, directives[i].name);
    }
    cors__sink_finish(&w);
    return buf;
}

/* The directive a response header line stands for: "Access-Control-Allow-
   Origin:" is "allow-origin", as the directives are named after the headers
   they produce.  NULL when there is none. */
static const char *directive_of_header(const char *s, size_t n)
{
    static const char prefix[] = "access-control-";
    size_t k = sizeof prefix - 1, i;

    if (n > 0 && s[n - 1] == ':')
        n--;
    if (n > k && cors__eq_nocase(s, prefix, k)) {
        s += k;
        n -= k;
    }
    for (i = 0; i < NDIRECTIVES; i++)
        if (strlen(directives[i].name) == n && cors__eq_nocase(s, directives[i].name, n))
            return directives[i].name;
    return NULL;
}

static cors_error unknown_directive(cors_builder *b, const char *s, size_t n)
{
    char q[CORS__QUOTE_SIZE], known[CORS__MESSAGE_SIZE];
    size_t i, best = 0, best_d = 99;
    const char *meant;

    /* Past the kept diagnostics only the count matters: no suggestion is
       searched for, so that a file of junk costs little per line. */
    if (cors__diags_full(b))
        return cors__diag(b, CORS_SEVERITY_ERROR, CORS_ERR_UNKNOWN_DIRECTIVE,
                          CORS__DIAG_UNKNOWN_DIRECTIVE, b->line,
                          "unknown directive");
    meant = directive_of_header(s, n);
    cors__quote(q, sizeof q, s, n);
    if (meant)
        return cors__diag(b, CORS_SEVERITY_ERROR, CORS_ERR_UNKNOWN_DIRECTIVE,
                          CORS__DIAG_UNKNOWN_DIRECTIVE, b->line,
                          "unknown directive %s; did you mean \"%s\"? (a policy names the "
                          "setting, not the response header, and takes no colon)",
                          q, meant);
    for (i = 0; i < NDIRECTIVES; i++) {
        size_t d = distance(s, n, directives[i].name, strlen(directives[i].name));
        if (d < best_d) {
            best_d = d;
            best = i;
        }
    }
    if (best_d <= 3)
        return cors__diag(b, CORS_SEVERITY_ERROR, CORS_ERR_UNKNOWN_DIRECTIVE,
                          CORS__DIAG_UNKNOWN_DIRECTIVE, b->line,
                          "unknown directive %s; did you mean \"%s\"?", q, directives[best].name);
    return cors__diag(b, CORS_SEVERITY_ERROR, CORS_ERR_UNKNOWN_DIRECTIVE,
                      CORS__DIAG_UNKNOWN_DIRECTIVE, b->line,
                      "unknown directive %s; known: %s", q, known_list(known, sizeof known));
}

/* People copy values from JSON or shell: say what is wrong rather than
   "not a valid origin". */
static int is_quote(char c) { return c == '"' || c == '\''; }

static cors_error quoted_value(cors_builder *b, const char *name, const char *s, size_t n)
{
    char q[CORS__QUOTE_SIZE];

    cors__quote(q, sizeof q, s, n);
    return cors__diag(b, CORS_SEVERITY_ERROR, CORS_ERR_SYNTAX, CORS__DIAG_VALUE_QUOTED, b->line,
                      "%s %s: values are not quoted; remove the quotes", name, q);
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
        return cors__diag(b, CORS_SEVERITY_ERROR, CORS_ERR_SYNTAX,
                          CORS__DIAG_VALUE_MISSING, b->line,
                          "%s needs a value", name);
    if (is_quote(v[start]))
        return quoted_value(b, name, *out, *out_len);
    if (i < n)
        return cors__diag(b, CORS_SEVERITY_ERROR, CORS_ERR_SYNTAX, CORS__DIAG_VALUE_EXTRA, b->line,
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
        return cors__diag(b, CORS_SEVERITY_ERROR, CORS_ERR_SYNTAX, CORS__DIAG_NOT_ON_OFF, b->line,
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
            return cors__diag(b, CORS_SEVERITY_ERROR, CORS_ERR_SYNTAX,
                              CORS__DIAG_NOT_A_NUMBER, b->line,
                              "%s takes a whole number, not %s", name, q);
    for (i = 0; i < len; i++) {
        /* A number this long is out of range whatever it is; it is refused
           here, as written, before it could overflow. */
        if (value > 99999999)
            return cors__diag(b, CORS_SEVERITY_ERROR, range_code,
                              CORS__DIAG_NUMBER_TOO_LONG, b->line,
                              "%s %s is refused: it must be %s", name, q, range);
        value = value * 10 + (s[i] - '0');
    }
    *out = value;
    return CORS_OK;
}

/* A single-valued setting given twice in policy text is an error: which of
   the two was meant cannot be known. */
static cors_error once(cors_builder *b, const char *name, unsigned line)
{
    if (line != 0)
        return cors__diag(b, CORS_SEVERITY_ERROR, CORS_ERR_DUPLICATE,
                          CORS__DIAG_DUPLICATE_SETTING, b->line,
                          "%s is already set on line %u", name, line);
    return CORS_OK;
}

/* What a scan stops at: a control character (tab included) or, with
   STOP_LINE, a separator too.  Only lines without control characters
   other than tab are split into words and values, so there a byte below
   0x21 is a space or a tab (STOP_SPACE) and STOP_SEP adds the comma. */
enum stop { STOP_LINE, STOP_SPACE, STOP_SEP };

static CORS__INLINE int stops(enum stop kind, unsigned char c)
{
    return c < 0x21 || (kind != STOP_SPACE && c == ',') || (kind == STOP_LINE && c == 0x7f);
}

/* The bytes of x that stop kind, as cors__bytes_below flags them.  For
   STOP_LINE, (c & 0x7f) + 1 is below 0x22 for c up to 0x20 and 0x7f
   (DEL), once c below 0x80 is made sure of: one test for both. */
static CORS__INLINE uint64_t word_stops(enum stop kind, uint64_t x)
{
    const uint64_t low7 = CORS__ONES * 0x7f;
    uint64_t m;

    if (kind == STOP_LINE)
        m = cors__bytes_below(((x & low7) + CORS__ONES) & low7, 0x22) & ~x;
    else
        m = cors__bytes_below(x, 0x21);
    return kind == STOP_SPACE ? m : m | cors__bytes_equal(x, ',');
}

/* Flags (0x80 at bit 8k + 7) for the bytes s[i + k] that may stop kind,
   k < 8 and i + k < n: every one that does, and on little-endian machines
   maybe false alarms above one that does. */
static CORS__INLINE uint64_t flags_at(enum stop kind, const char *s, size_t i, size_t n)
{
    uint64_t m = 0;
    size_t k;

#if CORS__LITTLE_ENDIAN
    if (n - i >= 8)
        return word_stops(kind, cors__load64(s + i));
#endif
    for (k = 0; k < 8 && i + k < n; k++)
        if (stops(kind, (unsigned char)s[i + k]))
            m |= (uint64_t)0x80 << (8 * k);
    return m;
}

/* The k of the lowest flag of m (not 0), which it clears. */
static CORS__INLINE size_t take_flag(uint64_t *m)
{
    size_t k = cors__low_bit(*m) / 8;

    *m &= *m - 1;
    return k;
}

/* Where the first byte that stops kind is in the n bytes at s, or n: eight
   bytes at a time, since a long policy is mostly long lines of origins. */
static size_t scan(enum stop kind, const char *s, size_t n)
{
    size_t i, j;
    uint64_t m;

    for (i = 0; i < n; i += 8)
        for (m = flags_at(kind, s, i, n); m;)
            if (stops(kind, (unsigned char)s[j = i + take_flag(&m)]))
                return j;
    return n;
}

/* Where the first byte at or after i that stops kind (STOP_SPACE or
   STOP_SEP) is in the line, or its length: from the separators the line's
   scan kept, scanning again only past them. */
static size_t line_stop(const text_line *l, size_t i, enum stop kind)
{
    size_t k, from = i;

    for (k = 0; k < l->nseps; k++)
        if (l->seps[k] >= i && (kind == STOP_SEP || l->s[l->seps[k]] != ','))
            return l->seps[k];
    if (l->nseps < SEPS_MAX)
        return l->len;
    if (from <= l->seps[SEPS_MAX - 1])
        from = l->seps[SEPS_MAX - 1] + 1;
    return from + scan(kind, l->s + from, l->len - from);
}

static cors_error read_list(cors_builder *b, const directive *d, const text_line *l, size_t at)
{
    const char *v = l->s;
    size_t i = at, n = l->len, start;
    cors_error first = CORS_OK, e = CORS_OK;
    int any = 0;

    for (;;) {
        while (i < n && is_sep(v[i]))
            i++;
        if (i == n)
            break;
        start = i;
        i = line_stop(l, i, STOP_SEP);
        any = 1;
        /* "#" is a valid token, so without this a trailing comment would
           silently allow headers named "#", "needed", "by", ... */
        if (v[start] == '#') {
            char q[CORS__QUOTE_SIZE];
            cors__quote(q, sizeof q, v + start, n - start);
            e = cors__diag(b, CORS_SEVERITY_ERROR, CORS_ERR_SYNTAX,
                           CORS__DIAG_TRAILING_COMMENT, b->line,
                           "%s: %s is a comment, but a comment must be on a line of its "
                           "own; move it to the line above",
                           d->name, q);
            if (first == CORS_OK)
                first = e;
            break;
        }
        /* "'" is a valid token byte: 'X-A' would allow a header of that
           name, quotes included. */
        if (is_quote(v[start]) || is_quote(v[i - 1]))
            e = quoted_value(b, d->name, v + start, i - start);
        else
            e = d->add(b, v + start, i - start);
        if (first == CORS_OK)
            first = e;
    }
    if (!any)
        return cors__diag(b, CORS_SEVERITY_ERROR, CORS_ERR_SYNTAX,
                          CORS__DIAG_VALUE_MISSING, b->line,
                          "%s needs at least one value", d->name);
    return first;
}

static cors_error read_setting(cors_builder *b, const directive *d, const text_line *l, size_t at)
{
    const char *v = l->s + at;
    size_t n = l->len - at;
    const cors__setting_rule *rule = &cors__setting_rules[d->id];
    int on = 0;
    long num = 0;
    cors_error e = once(b, d->name, b->setting_line[d->id]);

    if (e != CORS_OK)
        return e;
    if (!rule->range) {
        if ((e = parse_bool(b, d->name, v, n, &on)) != CORS_OK)
            return e;
        num = on;
    } else if ((e = parse_number(b, d->name, v, n, rule->range_code, rule->range, &num)) !=
               CORS_OK) {
        return e;
    }
    return cors__set(b, (cors__setting_id)d->id, num);
}

static cors_error read_danger(cors_builder *b, const directive *d, const text_line *l, size_t at)
{
    int on = 0;
    cors_error e = parse_bool(b, d->name, l->s + at, l->len - at, &on);

    if (e != CORS_OK)
        return e;
    return cors_builder_allow_danger(b, (cors_danger)d->id, on);
}

/* The directive named by the n bytes at s, or NULL. */
static const directive *find_directive(const char *s, size_t n)
{
    size_t k;

    /* The name is exactly those bytes: as long (name[n] ends it) and
       equal; eq_bytes reads only within the name's array. */
    for (k = 0; k < NDIRECTIVES; k++) {
        const directive *d = &directives[k];
        if (n < sizeof d->name && d->name[0] == s[0] && d->name[n] == '\0' &&
            cors__eq_bytes(d->name, s, n))
            return d;
    }
    return NULL;
}

/* A line without control characters other than tab. */
static cors_error parse_line(cors_builder *b, const text_line *l)
{
    const char *s = l->s;
    size_t i = 0, n = l->len, start;
    const directive *d;

    while (i < n && is_space(s[i]))
        i++;
    if (i == n || s[i] == '#')
        return CORS_OK;
    start = i;
    i = line_stop(l, i, STOP_SPACE);
    d = find_directive(s + start, i - start);
    if (!d)
        return unknown_directive(b, s + start, i - start);
    return d->read(b, d, l, i);
}

/* What the byte s[i] where a scan of the n bytes at s stopped (or i == n)
   is to the line: its end (*next: where the next line starts), a
   separator (space, tab, comma) or a control character. */
enum at { AT_END, AT_SEP, AT_CONTROL };

static enum at stopped_at(const char *s, size_t i, size_t n, size_t *next)
{
    if (i == n || s[i] == '\n') {
        *next = i + (i < n);
        return AT_END;
    }
    if (s[i] == '\r' && (i + 1 == n || s[i + 1] == '\n')) {
        *next = i + 1 + (i + 1 < n);
        return AT_END;
    }
    return s[i] == ' ' || s[i] == '\t' || s[i] == ',' ? AT_SEP : AT_CONTROL;
}

/* The line of s whose first control character is s[i]: it goes on to its
   "\n" (or the end of the n bytes). */
static void control_line(text_line *l, const char *s, size_t i, size_t n)
{
    const char *nl = memchr(s + i, '\n', n - i);
    size_t end = nl ? (size_t)(nl - s) : n;

    l->ctl = i;
    l->next = end + (nl != NULL);
    /* s[i] is no "\r" that ends the line: a "\r" there is past i. */
    l->len = s[end - 1] == '\r' ? end - 1 : end;
}

/* Scans the first line of the n bytes at s once, eight bytes at a time, for
   its end, its first separators and any control character in it. */
static void split_line(text_line *l, const char *s, size_t n)
{
    size_t i, j;
    uint64_t m;

    l->s = s;
    l->nseps = 0;
    for (i = 0; i < n; i += 8) {
        for (m = flags_at(STOP_LINE, s, i, n); m;) {
            j = i + take_flag(&m);
            if (!stops(STOP_LINE, (unsigned char)s[j]))
                continue;
            switch (stopped_at(s, j, n, &l->next)) {
            case AT_SEP:
                if (l->nseps < SEPS_MAX)
                    l->seps[l->nseps++] = j;
                continue;
            case AT_END:
                l->len = l->ctl = j;
                return;
            default:
                control_line(l, s, j, n);
                return;
            }
        }
    }
    l->len = l->ctl = l->next = n;
}

/* Where the first "\n" is in the n bytes at s, or n: for a line of a few
   dozen bytes, sixteen at a time inline cost less than calling memchr. */
static CORS__INLINE size_t find_newline(const char *s, size_t n)
{
    size_t i = 0;
    const char *nl;

#if CORS__SSE2
    const __m128i lf = _mm_set1_epi8('\n');
    unsigned m;

    for (; n - i >= 16; i += 16) {
        m = (unsigned)_mm_movemask_epi8(
            _mm_cmpeq_epi8(_mm_loadu_si128((const __m128i *)(const void *)(s + i)), lf));
        if (m)
            return i + cors__low_bit(m);
    }
#endif
    nl = memchr(s + i, '\n', n - i);
    return nl ? (size_t)(nl - s) : n;
}

/* The directive of origins, "allow-origin", first in the table. */
#define ORIGIN_DIRECTIVE (&directives[0])

/* The line of a long policy, "allow-origin ORIGIN", read without scanning
   it: its name is known, and an origin that parses holds no control
   character and no separator, so it is the line's one value and the line
   is clean.  name_len is the directive's.  Returns 0, having done nothing,
   for any other line. */
static int origin_line(cors_builder *b, const char *s, size_t n, size_t name_len,
                       cors_error *e)
{
    size_t k = name_len;
    cors__origin o;

    if (ORIGIN_DIRECTIVE->add != cors_builder_allow_origin || n <= k || !is_space(s[k]) ||
        !cors__eq_bytes(s, ORIGIN_DIRECTIVE->name, k))
        return 0;
    while (k < n && is_space(s[k]))
        k++;
    if (k == n || cors__origin_parse(s + k, n - k, 1, &o) != CORS__O_OK)
        return 0;
    *e = cors__allow_parsed_origin(b, s + k, n - k, &o);
    return 1;
}

cors_error cors_builder_parse(cors_builder *b, const char *text, size_t len)
{
    size_t pos = 0, name_len = strlen(ORIGIN_DIRECTIVE->name);
    unsigned line_no = 0;
    cors_error first = CORS_OK;
    text_line l;

    if (!b || (!text && len))
        return CORS_ERR_INVALID_ARGUMENT;
    /* A UTF-8 byte order mark, as some editors save files, is no text. */
    if (len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0)
        pos = 3;
    while (pos < len) {
        const char *s = text + pos;
        size_t n = find_newline(s, len - pos);
        cors_error e;
        b->line = ++line_no;
        if (!origin_line(b, s, n > 0 && s[n - 1] == '\r' ? n - 1 : n, name_len, &e)) {
            split_line(&l, s, len - pos);
            if (l.ctl < l.len)
                e = cors__diag(b, CORS_SEVERITY_ERROR, CORS_ERR_SYNTAX,
                               CORS__DIAG_CONTROL_CHARACTER, b->line,
                               "control character 0x%02x in the line",
                               (unsigned char)l.s[l.ctl]);
            else
                e = parse_line(b, &l);
        }
        if (first == CORS_OK && e != CORS_OK)
            first = e;
        pos += n + (n < len - pos);
    }
    b->line = 0;
    return first;
}

/* --------------------------------------------------------------- writing */

static void write_words(cors__sink *w, const char *name, const cors_str *items, size_t n)
{
    size_t i;

    if (n == 0)
        return;
    cors__sink_str(w, name);
    for (i = 0; i < n; i++) {
        cors__sink_str(w, " ");
        cors__sink_put(w, items[i].ptr, items[i].len);
    }
    cors__sink_str(w, "\n");
}

static void write_origins(cors__sink *w, const directive *d, const cors_policy *p)
{
    size_t i;

    /* One line each: origins are long. */
    for (i = 0; i < p->norigin_texts; i++)
        write_words(w, d->name, &p->origin_texts[i], 1);
}

static void write_server_origins(cors__sink *w, const directive *d, const cors_policy *p)
{
    write_words(w, d->name, p->server_origins, p->nserver_origins);
}

static void write_methods(cors__sink *w, const directive *d, const cors_policy *p)
{
    write_words(w, d->name, p->methods, p->nmethods);
}

/* A comma-separated precomputed value, written space-separated. */
static void write_value_list(cors__sink *w, const char *name, const cors_str *v)
{
    size_t i;

    if (v->len == 0)
        return;
    cors__sink_str(w, name);
    cors__sink_str(w, " ");
    for (i = 0; i < v->len; i++) {
        if (v->ptr[i] == ',')
            continue;
        cors__sink_put(w, &v->ptr[i], 1);
    }
    cors__sink_str(w, "\n");
}

static void write_allow_headers(cors__sink *w, const directive *d, const cors_policy *p)
{
    write_value_list(w, d->name, &p->allow_headers);
}

static void write_expose_headers(cors__sink *w, const directive *d, const cors_policy *p)
{
    write_value_list(w, d->name, &p->expose_headers);
}

static void write_setting(cors__sink *w, const directive *d, const cors_policy *p)
{
    long v = p->settings[d->id];
    char num[32];

    if (v < 0)
        return; /* max-age never set */
    cors__sink_str(w, d->name);
    if (!cors__setting_rules[d->id].range) {
        cors__sink_str(w, v ? " on\n" : " off\n");
        return;
    }
    snprintf(num, sizeof num, " %ld\n", v);
    cors__sink_str(w, num);
}

static void write_danger(cors__sink *w, const directive *d, const cors_policy *p)
{
    if (!(p->dangers & (1u << d->id)))
        return;
    cors__sink_str(w, d->name);
    cors__sink_str(w, " on\n");
}

size_t cors_policy_to_text(const cors_policy *p, char *buf, size_t size)
{
    cors__sink w = {buf, size, 0};
    size_t i;

    if (!p) {
        if (size)
            buf[0] = '\0';
        return 0;
    }
    for (i = 0; i < NDIRECTIVES; i++)
        directives[i].write(&w, &directives[i], p);
    return cors__sink_finish(&w);
}
