/*
 * builder.c - collecting and validating policy settings one call at a time.
 *
 * Every setter checks its value immediately and records a diagnostic that
 * names the value, says why it is refused and what to write instead.  The
 * builder stays usable after an error so that one pass reports every
 * problem; checks that need the whole policy (credentials against origins)
 * run in cors_builder_build().
 */
#include "builder.h"
#include "names.h"
#include "origin.h"
#include "tables.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

cors_builder *cors_builder_new(const cors_allocator *alloc)
{
    cors_allocator a = {NULL, NULL, NULL};
    cors_builder *b;
    size_t i;

    if (alloc) {
        if (!alloc->malloc_fn || !alloc->free_fn)
            return NULL;
        a = *alloc;
    }
    b = cors__alloc(&a, sizeof *b);
    if (!b)
        return NULL;
    memset(b, 0, sizeof *b);
    b->alloc = a;
    for (i = 0; i < CORS__NSETTINGS; i++)
        b->settings[i] = cors__setting_rules[i].initial;
    return b;
}

/* Every list, whichever kind, owns its items and its set of seen values. */
static void list_free(cors_builder *b, cors__list *list)
{
    cors__free(&b->alloc, list->items);
    cors__free(&b->alloc, list->seen);
}

void cors_builder_free(cors_builder *b)
{
    size_t i;

    if (!b)
        return;
    for (i = 0; i < b->diag_count; i++)
        cors__free(&b->alloc, b->diags[i].text);
    cors__free(&b->alloc, b->diags);
    for (i = 0; i < b->nfiles; i++)
        cors__free(&b->alloc, b->files[i]);
    cors__free(&b->alloc, b->files);
    list_free(b, &b->origins);
    list_free(b, &b->server_origins);
    list_free(b, &b->methods);
    list_free(b, &b->headers);
    list_free(b, &b->expose);
    cors__buf_free(&b->alloc, &b->strings);
    cors__free(&b->alloc, b);
}

/* ---------------------------------------------------------- diagnostics */

/* A diagnostic's place: a line of a file (file NULL: of text given to
   cors_builder_parse; line 0: no line), and what it is about. */
typedef struct place {
    const char *file;
    unsigned line;
    cors__diag_id id;
} place;

static cors_error add_diag(cors_builder *b, int added_by_build, cors_severity sev,
                           cors_error code, place at, const char *fmt, va_list ap)
    CORS__PRINTF(6, 0);

/* The entry that stands for the diagnostics not kept. */
static void update_summary(cors_builder *b)
{
    snprintf(b->summary_text, sizeof b->summary_text,
             "%zu more problems were found and not kept (%zu errors in all); fix the ones "
             "above first",
             b->dropped, b->error_count);
    b->summary.shown.severity = CORS_SEVERITY_ERROR;
    b->summary.shown.code = CORS_ERR_LIMIT;
    b->summary.shown.line = 0;
    b->summary.shown.file = NULL;
    b->summary.shown.message = b->summary_text;
    b->summary.shown.id = cors__diag_id_string(CORS__DIAG_DIAGNOSTICS_DROPPED);
}

int cors__diags_full(const cors_builder *b)
{
    return b->diag_count >= CORS__MAX_DIAGS;
}

/* Beyond CORS__MAX_DIAGS a diagnostic is only counted, before its message
   is even composed. */
static void drop_diag(cors_builder *b, int added_by_build, cors_severity sev)
{
    b->dropped++;
    if (added_by_build) {
        b->dropped_build++;
        b->dropped_build_errors += sev == CORS_SEVERITY_ERROR;
    }
    update_summary(b);
}

static cors_error add_diag(cors_builder *b, int added_by_build, cors_severity sev,
                           cors_error code, place at, const char *fmt, va_list ap)
{
    char text[CORS__MESSAGE_SIZE];
    void *items = b->diags;
    cors__diag_entry *d;
    size_t n;
    cors_error ret = sev == CORS_SEVERITY_ERROR ? code : CORS_OK;

    if (sev == CORS_SEVERITY_ERROR)
        b->error_count++;
    if (cors__diags_full(b)) {
        drop_diag(b, added_by_build, sev);
        return ret;
    }
    vsnprintf(text, sizeof text, fmt, ap);
    n = strlen(text);
    if (cors__grow(&b->alloc, &items, &b->diag_cap, b->diag_count + 1, sizeof *b->diags) != 0) {
        b->out_of_memory = 1;
        return ret;
    }
    b->diags = items;
    d = &b->diags[b->diag_count];
    d->text = cors__alloc(&b->alloc, n + 1);
    if (!d->text) {
        b->out_of_memory = 1;
        return ret;
    }
    memcpy(d->text, text, n + 1);
    d->shown.severity = sev;
    d->shown.code = code;
    d->shown.line = at.line;
    d->shown.message = d->text;
    d->shown.file = at.file;
    d->shown.id = cors__diag_id_string(at.id);
    d->added_by_build = added_by_build;
    b->diag_count++;
    return ret;
}

cors_error cors__diag(cors_builder *b, cors_severity sev, cors_error code, cors__diag_id id,
                      unsigned line, const char *fmt, ...)
{
    va_list ap;
    cors_error e;
    place at;

    at.file = b->file;
    at.line = line;
    at.id = id;
    va_start(ap, fmt);
    e = add_diag(b, 0, sev, code, at, fmt, ap);
    va_end(ap);
    return e;
}

cors_error cors__build_diag(cors_builder *b, cors_severity sev, cors_error code, cors__diag_id id,
                            const cors__item *item, const char *fmt, ...)
{
    va_list ap;
    cors_error e;
    place at;

    at.file = NULL;
    at.line = 0;
    at.id = id;
    if (item) {
        at.file = item->file;
        at.line = item->line;
    }
    va_start(ap, fmt);
    e = add_diag(b, 1, sev, code, at, fmt, ap);
    va_end(ap);
    return e;
}

/* Building twice must not report the same combination problem twice. */
void cors__drop_build_diags(cors_builder *b)
{
    size_t i, kept = 0;

    for (i = 0; i < b->diag_count; i++) {
        if (!b->diags[i].added_by_build) {
            b->diags[kept++] = b->diags[i];
            continue;
        }
        if (b->diags[i].shown.severity == CORS_SEVERITY_ERROR)
            b->error_count--;
        cors__free(&b->alloc, b->diags[i].text);
    }
    b->diag_count = kept;
    b->dropped -= b->dropped_build;
    b->error_count -= b->dropped_build_errors;
    b->dropped_build = b->dropped_build_errors = 0;
    update_summary(b);
}

size_t cors_builder_diagnostic_count(const cors_builder *b)
{
    if (!b)
        return 0;
    return b->diag_count + (b->dropped ? 1 : 0);
}

const cors_diagnostic *cors_builder_diagnostic(const cors_builder *b, size_t index)
{
    if (!b || index > b->diag_count || (index == b->diag_count && !b->dropped))
        return NULL;
    return index < b->diag_count ? &b->diags[index].shown : &b->summary.shown;
}

size_t cors_builder_error_count(const cors_builder *b)
{
    return b ? b->error_count : 0;
}

/* The slot of list's set that holds s (hash h), or the empty one where
   it belongs. */
static size_t seen_find(const cors_builder *b, const cors__list *list, uint32_t h,
                        const char *s, size_t n)
{
    size_t i = h >> list->seen_shift;

    for (;; i = (i + 1) & list->seen_mask) {
        const cors__seen_slot *e = &list->seen[i];
        const cors__item *it;
        if (e->item == 0)
            return i;
        it = &list->items[e->item - 1];
        if (e->hash == h && it->len == n && memcmp(b->strings.data + it->off, s, n) == 0)
            return i;
    }
}

/* Makes room in list's set for one more value, keeping it at most half
   full; growing doubles it, so adding n values costs O(n) in all. */
static int seen_reserve(cors_builder *b, cors__list *list)
{
    size_t size = list->seen ? list->seen_mask + 1 : 0, want = cors__table_size(list->n + 1);
    cors__seen_slot *old = list->seen;
    size_t i, old_size = size;

    if (size >= want)
        return 0;
    list->seen = cors__alloc_zero(&b->alloc, want * sizeof *list->seen);
    if (!list->seen) {
        list->seen = old;
        return -1;
    }
    list->seen_mask = want - 1;
    list->seen_shift = cors__table_shift(want);
    for (i = 0; i < old_size; i++) {
        const cors__item *it;
        if (old[i].item == 0)
            continue;
        it = &list->items[old[i].item - 1];
        list->seen[seen_find(b, list, old[i].hash, b->strings.data + it->off, it->len)] = old[i];
    }
    cors__free(&b->alloc, old);
    return 0;
}

CORS__NOINLINE int cors__item_room(cors_builder *b, cors__list *list, size_t n)
{
    void *items = list->items, *data = b->strings.data;

    if (list->n == list->cap &&
        cors__grow(&b->alloc, &items, &list->cap, list->n + 1, sizeof *list->items) != 0)
        goto nomem;
    list->items = items;
    if (b->strings.cap - b->strings.len <= n &&
        (b->strings.len + n < b->strings.len ||
         cors__grow(&b->alloc, &data, &b->strings.cap, b->strings.len + n + 1, 1) != 0))
        goto nomem;
    b->strings.data = data;
    return 0;

nomem:
    b->out_of_memory = 1;
    return -1;
}

/* Appends s (already validated and normalized) to list; a duplicate gets a
   warning and is dropped, since repeating a value is harmless but usually
   a sign of a copy-paste mistake. */
static cors_error list_add(cors_builder *b, cors__list *list, const char *what, const char *s,
                           size_t n)
{
    char q[CORS__QUOTE_SIZE];
    cors__seen_slot *slot;
    uint32_t h;

    if (seen_reserve(b, list) != 0) {
        b->out_of_memory = 1;
        return CORS_ERR_NOMEM;
    }
    h = cors__text_hash(s, n);
    slot = &list->seen[seen_find(b, list, h, s, n)];
    if (slot->item != 0) {
        cors__quote(q, sizeof q, s, n);
        return cors__diag(b, CORS_SEVERITY_WARNING, CORS_OK, CORS__DIAG_LISTED_TWICE, b->line,
                          "%s %s is listed twice; the repetition is ignored", what, q);
    }
    if (!cors__item_append(b, list, s, n))
        return CORS_ERR_NOMEM;
    /* Only now that the item exists may the set point at it. */
    slot->hash = h;
    slot->item = (uint32_t)list->n;
    return CORS_OK;
}

/* --------------------------------------------------------------- origins */

/* Writes into out the text a user most likely meant, when one can be
   derived; returns 0 when there is no suggestion. */
static int origin_suggestion(cors__origin_err e, const char *s, size_t n, const cors__origin *o,
                             char *out, size_t size)
{
    size_t i, host_off;

    if (n >= size)
        return 0;
    switch (e) {
    case CORS__O_PATH:
    case CORS__O_TRAILING_SLASH:
    case CORS__O_QUERY:
    case CORS__O_FRAGMENT:
        /* Lower-cased too: the rest of the origin is checked only once
           the path is gone, and browsers send scheme and host in lower
           case. */
        for (i = 0; i < o->authority_end; i++)
            out[i] = (char)cors__lower((unsigned char)s[i]);
        out[o->authority_end] = '\0';
        return 1;
    case CORS__O_SCHEME_CASE:
    case CORS__O_HOST_CASE:
        for (i = 0; i < n; i++)
            out[i] = (char)cors__lower((unsigned char)s[i]);
        out[n] = '\0';
        return 1;
    case CORS__O_PORT_DEFAULT:
        for (i = n; i > 0 && s[i - 1] != ':'; i--)
            ;
        if (i == 0)
            return 0;
        memcpy(out, s, i - 1);
        out[i - 1] = '\0';
        return 1;
    case CORS__O_IPV6_MAPPED:
        host_off = (size_t)(o->host - s);
        i = (size_t)snprintf(out, size, "%.*s%u.%u.%u.%u%.*s", (int)host_off, s, o->v4[0],
                             o->v4[1], o->v4[2], o->v4[3],
                             (int)(n - host_off - o->host_len), o->host + o->host_len);
        return i < size;
    default:
        return 0;
    }
}

/* Applies suggestions until the text parses, so that "https://EXAMPLE.com:443/"
   gets "https://example.com" rather than a fix that is refused in turn.
   Returns 0 unless the final text is a valid origin. */
static int suggest_origin(cors__origin_err e, const char *s, size_t n, const cors__origin *o,
                          char *out, size_t size)
{
    char cur[300];
    cors__origin co = *o;
    int round;

    for (round = 0; round < 4; round++) {
        if (!origin_suggestion(e, s, n, &co, cur, sizeof cur))
            return 0;
        n = strlen(cur);
        if (n >= size)
            return 0;
        memcpy(out, cur, n + 1);
        /* Parsed where the next round reads it: co's pointers must lie in
           s, not in cur, which that round overwrites. */
        s = out;
        e = cors__origin_parse(s, n, 1, &co);
        if (e == CORS__O_OK)
            return 1;
    }
    return 0;
}

static const char *origin_why(cors__origin_err e)
{
    switch (e) {
    case CORS__O_EMPTY:
        return "it is empty";
    case CORS__O_NULL:
        return "sandboxed documents, file: pages and redirects all send \"null\", so allowing it "
               "lets any site in; list the real origins instead";
    case CORS__O_CTL:
        return "it contains a space, a control character or a non-ASCII byte; an origin is "
               "scheme://host[:port] in ASCII (punycode for Unicode hosts)";
    case CORS__O_FILE:
        return "file: pages send \"Origin: null\", which is never trusted; serve the page over "
               "http(s) and list that origin";
    case CORS__O_SCHEME:
        return "only http:// and https:// origins can be listed, e.g. \"https://app.example.com\"";
    case CORS__O_SCHEME_CASE:
        return "browsers send the scheme in lower case, so this would never match";
    case CORS__O_NO_SLASHES:
        return "expected \"://\" after the scheme, e.g. \"https://app.example.com\"";
    case CORS__O_USERINFO:
        return "an origin never contains user information (\"user@\"); the host is what "
               "follows \"@\", so this is almost certainly not what you meant";
    case CORS__O_PATH:
        return "an origin has no path";
    case CORS__O_TRAILING_SLASH:
        return "an origin has no path, not even a trailing \"/\"";
    case CORS__O_QUERY:
        return "an origin has no query";
    case CORS__O_FRAGMENT:
        return "an origin has no fragment";
    case CORS__O_HOST_EMPTY:
        return "the host is missing";
    case CORS__O_HOST_CASE:
        return "browsers send host names in lower case, so this would never match";
    case CORS__O_HOST_UNICODE:
        return "a Unicode host must be written in punycode, as browsers send it (e.g. "
               "\"https://xn--bcher-kva.example\" for b\\xc3\\xbccher.example)";
    case CORS__O_HOST_CHAR:
        return "the host may only contain a-z, 0-9, \"-\", \"_\" and \".\"";
    case CORS__O_HOST_LABEL:
        return "the host has an empty label (two dots in a row, or a leading dot)";
    case CORS__O_HOST_LONG:
        return "the host is longer than 253 bytes, which DNS cannot resolve";
    case CORS__O_LABEL_LONG:
        return "a label of the host is longer than 63 bytes, which DNS cannot resolve";
    case CORS__O_PUNYCODE:
        return "an \"xn--\" label must be valid punycode of a Unicode label, as browsers "
               "write it; copy the host from the browser's address bar or Origin header";
    case CORS__O_IPV6_MAPPED:
        return "an IPv4-mapped IPv6 address is not the origin of a page loaded from the IPv4 "
               "address, which sends the IPv4 form";
    case CORS__O_IPV4:
        return "an IPv4 address must be four decimal numbers 0-255 without leading zeros, as "
               "browsers send it (e.g. \"http://127.0.0.1:8080\")";
    case CORS__O_IPV6:
        return "an IPv6 address must be in brackets and in the form browsers send: lower-case "
               "hex, no leading zeros, the longest run of zeros as \"::\", no embedded IPv4 "
               "(e.g. \"https://[::1]:8443\")";
    case CORS__O_PORT:
        return "the port must be a number from 1 to 65535 without leading zeros, or \"*\" for "
               "any port";
    case CORS__O_PORT_DEFAULT:
        return "browsers omit the default port (443 for https, 80 for http), so this would "
               "never match";
    case CORS__O_WILDCARD:
        return "\"*\" is only allowed alone (any origin), as a leading \"*.\" in the host "
               "(subdomains) or as the port (\":*\")";
    case CORS__O_WILDCARD_IP:
        return "a subdomain wildcard cannot apply to an IP address";
    default:
        return "it is not a valid origin";
    }
}

/* The diagnostic id of each reason; one id per reason, so that tools can
   tell a trailing "/" from a default port. */
static cors__diag_id origin_id(cors__origin_err e)
{
    switch (e) {
    case CORS__O_EMPTY:
        return CORS__DIAG_ORIGIN_EMPTY;
    case CORS__O_NULL:
        return CORS__DIAG_ORIGIN_NULL;
    case CORS__O_CTL:
        return CORS__DIAG_ORIGIN_CHARACTER;
    case CORS__O_FILE:
        return CORS__DIAG_ORIGIN_FILE;
    case CORS__O_SCHEME:
        return CORS__DIAG_ORIGIN_SCHEME;
    case CORS__O_SCHEME_CASE:
        return CORS__DIAG_ORIGIN_SCHEME_CASE;
    case CORS__O_NO_SLASHES:
        return CORS__DIAG_ORIGIN_NO_SLASHES;
    case CORS__O_USERINFO:
        return CORS__DIAG_ORIGIN_USERINFO;
    case CORS__O_PATH:
        return CORS__DIAG_ORIGIN_PATH;
    case CORS__O_TRAILING_SLASH:
        return CORS__DIAG_ORIGIN_TRAILING_SLASH;
    case CORS__O_QUERY:
        return CORS__DIAG_ORIGIN_QUERY;
    case CORS__O_FRAGMENT:
        return CORS__DIAG_ORIGIN_FRAGMENT;
    case CORS__O_HOST_EMPTY:
        return CORS__DIAG_ORIGIN_HOST_MISSING;
    case CORS__O_HOST_CASE:
        return CORS__DIAG_ORIGIN_HOST_CASE;
    case CORS__O_HOST_UNICODE:
        return CORS__DIAG_ORIGIN_HOST_UNICODE;
    case CORS__O_HOST_CHAR:
        return CORS__DIAG_ORIGIN_HOST_CHARACTER;
    case CORS__O_HOST_LABEL:
        return CORS__DIAG_ORIGIN_HOST_EMPTY_LABEL;
    case CORS__O_HOST_LONG:
        return CORS__DIAG_ORIGIN_HOST_TOO_LONG;
    case CORS__O_LABEL_LONG:
        return CORS__DIAG_ORIGIN_LABEL_TOO_LONG;
    case CORS__O_PUNYCODE:
        return CORS__DIAG_ORIGIN_PUNYCODE;
    case CORS__O_IPV6_MAPPED:
        return CORS__DIAG_ORIGIN_IPV4_MAPPED;
    case CORS__O_IPV4:
        return CORS__DIAG_ORIGIN_IPV4;
    case CORS__O_IPV6:
        return CORS__DIAG_ORIGIN_IPV6;
    case CORS__O_PORT:
        return CORS__DIAG_ORIGIN_PORT;
    case CORS__O_PORT_DEFAULT:
        return CORS__DIAG_ORIGIN_DEFAULT_PORT;
    case CORS__O_WILDCARD:
        return CORS__DIAG_ORIGIN_WILDCARD;
    case CORS__O_WILDCARD_IP:
        return CORS__DIAG_ORIGIN_WILDCARD_IP;
    default:
        return CORS__DIAG_ORIGIN_INVALID;
    }
}

/* The diagnostic of an origin (what: "origin", "server origin") that the
   parser refused with e. */
static cors_error refuse_origin(cors_builder *b, const char *what, cors__origin_err e,
                                const char *s, size_t n, const cors__origin *o)
{
    char q[CORS__QUOTE_SIZE], hint[300], qhint[CORS__QUOTE_SIZE];

    cors__quote(q, sizeof q, s, n);
    if (suggest_origin(e, s, n, o, hint, sizeof hint)) {
        cors__quote(qhint, sizeof qhint, hint, strlen(hint));
        return cors__diag(b, CORS_SEVERITY_ERROR, CORS_ERR_ORIGIN, origin_id(e), b->line,
                          "%s %s is refused: %s; write %s", what, q, origin_why(e), qhint);
    }
    return cors__diag(b, CORS_SEVERITY_ERROR, CORS_ERR_ORIGIN, origin_id(e), b->line,
                      "%s %s is refused: %s", what, q, origin_why(e));
}

cors_error cors_builder_allow_origin(cors_builder *b, const char *s, size_t n)
{
    cors__origin o;
    cors__origin_err e;

    if (!b || (!s && n))
        return CORS_ERR_INVALID_ARGUMENT;
    /* Origins are not kept in a set: the build deduplicates them in its
       own tables. */
    if (n == 1 && s[0] == '*')
        return cors__item_append(b, &b->origins, s, n) ? CORS_OK : CORS_ERR_NOMEM;
    e = cors__origin_parse(s, n, 1, &o);
    if (e != CORS__O_OK) {
        b->refused_origins++;
        return refuse_origin(b, "origin", e, s, n, &o);
    }
    return cors__allow_parsed_origin(b, s, n, &o);
}

CORS__NOINLINE void cors__origin_warnings(cors_builder *b, const char *s, size_t n,
                                          const cors__origin *o)
{
    char q[CORS__QUOTE_SIZE];

    cors__quote(q, sizeof q, s, n);
    if (o->scheme == CORS__HTTP && !cors__origin_is_loopback(o))
        cors__diag(b, CORS_SEVERITY_WARNING, CORS_OK, CORS__DIAG_ORIGIN_HTTP, b->line,
                   "origin %s uses http://: anyone on the network path can forge its "
                   "responses and act as that origin; prefer https://",
                   q);
    if (o->subdomains)
        cors__diag(b, CORS_SEVERITY_WARNING, CORS_OK, CORS__DIAG_ORIGIN_ANY_SUBDOMAIN, b->line,
                   "origin %s allows every subdomain: a takeover of any one of them (a "
                   "dangling DNS record, user-controlled content) gains access",
                   q);
}

void cors__item_origin(const cors__item *it, const char *text, cors__origin *o)
{
    size_t end = it->len;

    memset(o, 0, sizeof *o);
    o->scheme = it->origin_bits & CORS__IO_HTTPS ? CORS__HTTPS : CORS__HTTP;
    o->subdomains = (it->origin_bits & CORS__IO_SUBDOMAINS) != 0;
    o->explicit_port = (it->origin_bits & CORS__IO_EXPLICIT_PORT) != 0;
    o->host_kind = it->origin_bits >> CORS__IO_KIND_SHIFT;
    o->port = it->port;
    o->authority_end = it->len;
    /* An accepted origin is "http(s)://", maybe "*.", the host and maybe
       ":" and the port: the host ends at the last ":" when there is a
       port (an IPv6 host's own colons come before it). */
    if (o->explicit_port)
        while (text[--end] != ':')
            ;
    o->host = text + (o->scheme == CORS__HTTPS ? 8 : 7) + (o->subdomains ? 2 : 0);
    o->host_len = (size_t)(text + end - o->host);
}

/* The server's own origin: one exact origin, as browsers send it, since
   a request's Origin is compared with it byte for byte. */
cors_error cors_builder_add_server_origin(cors_builder *b, const char *s, size_t n)
{
    cors__origin o;
    cors__origin_err e;

    if (!b || (!s && n))
        return CORS_ERR_INVALID_ARGUMENT;
    if (n && memchr(s, '*', n)) {
        char q[CORS__QUOTE_SIZE];
        cors__quote(q, sizeof q, s, n);
        return cors__diag(b, CORS_SEVERITY_ERROR, CORS_ERR_ORIGIN, CORS__DIAG_ORIGIN_WILDCARD,
                          b->line, "server origin %s is refused: the server's own origin is one exact "
                          "origin, without \"*\" (e.g. \"https://api.example.com\")",
                          q);
    }
    e = cors__origin_parse(s, n, 0, &o);
    if (e != CORS__O_OK)
        return refuse_origin(b, "server origin", e, s, n, &o);
    return list_add(b, &b->server_origins, "server origin", s, n);
}

/* --------------------------------------------------------------- methods */

/* Methods are case-sensitive (Fetch 4.8 step 7.1) and browsers send
   them as pages write them, except the six Fetch normalizes; upper case
   is what pages almost always write. */
static void method_case_warning(cors_builder *b, const char *s, size_t n, const char *q)
{
    char upper[CORS__QUOTE_SIZE], qu[CORS__QUOTE_SIZE];
    size_t i, m = n < sizeof upper ? n : sizeof upper;

    for (i = 0; i < m; i++)
        upper[i] = (char)(s[i] >= 'a' && s[i] <= 'z' ? s[i] - 32 : s[i]);
    cors__quote(qu, sizeof qu, upper, m);
    cors__diag(b, CORS_SEVERITY_WARNING, CORS_OK, CORS__DIAG_METHOD_CASE, b->line,
               "method %s matches only requests that spell it exactly so: browsers send "
               "methods other than DELETE, GET, HEAD, OPTIONS, POST and PUT byte for byte "
               "(fetch(url, {method: 'patch'}) sends \"patch\"); write %s unless your pages "
               "send %s",
               q, qu, q);
}

/* "Content-Type;Authorization" is a list written with the wrong
   separator. */
static const char *list_hint(const char *s, size_t n)
{
    return n && memchr(s, ';', n) ? "; separate names with spaces or commas" : "";
}

cors_error cors_builder_allow_method(cors_builder *b, const char *s, size_t n)
{
    char q[CORS__QUOTE_SIZE], norm[16];
    size_t i;

    if (!b || (!s && n))
        return CORS_ERR_INVALID_ARGUMENT;
    cors__quote(q, sizeof q, s, n);
    if (n == 1 && s[0] == '*')
        return list_add(b, &b->methods, "method", s, n);
    if (!cors__is_token(s, n))
        return cors__diag(b, CORS_SEVERITY_ERROR, CORS_ERR_METHOD,
                          CORS__DIAG_METHOD_INVALID, b->line,
                          "method %s is refused: a method is a token (letters, digits and "
                          "!#$%%&'*+-.^_`|~), e.g. \"PATCH\"%s",
                          q, list_hint(s, n));
    if (cors__forbidden_method(s, n))
        return cors__diag(b, CORS_SEVERITY_ERROR, CORS_ERR_METHOD,
                          CORS__DIAG_METHOD_FORBIDDEN, b->line,
                          "method %s is refused: Fetch forbids it, browsers never send it", q);
    if (cors__normalizable_method(s, n)) {
        /* Fetch 2.2.1: browsers upper-case exactly these six, so the
           upper-case spelling is the one that matches. */
        for (i = 0; i < n; i++)
            norm[i] = (char)(s[i] >= 'a' && s[i] <= 'z' ? s[i] - 32 : s[i]);
        /* GET, HEAD and POST need no listing, but listing them is harmless
           and common, so it is not worth a warning. */
        return list_add(b, &b->methods, "method", norm, n);
    }
    for (i = 0; i < n; i++) {
        if (s[i] >= 'a' && s[i] <= 'z') {
            method_case_warning(b, s, n, q);
            break;
        }
    }
    return list_add(b, &b->methods, "method", s, n);
}

/* --------------------------------------------------------------- headers */

static size_t lower_copy(char *out, size_t size, const char *s, size_t n)
{
    size_t i;

    if (n > size)
        n = size;
    for (i = 0; i < n; i++)
        out[i] = (char)cors__lower((unsigned char)s[i]);
    return n;
}

/* What allowed and exposed header names share: a bounded token, stored
   lower-cased (header names are case-insensitive, RFC 9110 5.1). */

static cors_error header_common(cors_builder *b, const char *s, size_t n, cors_error code,
                                const char *what, char *lower)
{
    char q[CORS__QUOTE_SIZE];

    if (n > CORS__MAX_NAME) {
        cors__quote(q, sizeof q, s, n);
        return cors__diag(b, CORS_SEVERITY_ERROR, code, CORS__DIAG_NAME_TOO_LONG, b->line,
                          "%s %s is refused: longer than %u bytes", what, q,
                          (unsigned)CORS__MAX_NAME);
    }
    if (!cors__is_token(s, n)) {
        cors__quote(q, sizeof q, s, n);
        return cors__diag(b, CORS_SEVERITY_ERROR, code, CORS__DIAG_HEADER_INVALID, b->line,
                          "%s %s is refused: a header name is a token (letters, digits and "
                          "!#$%%&'*+-.^_`|~), e.g. \"X-Request-Id\"%s",
                          what, q, list_hint(s, n));
    }
    lower_copy(lower, n, s, n);
    return CORS_OK;
}

cors_error cors_builder_allow_header(cors_builder *b, const char *s, size_t n)
{
    char lower[CORS__MAX_NAME], q[CORS__QUOTE_SIZE];
    cors_error e;

    if (!b || (!s && n))
        return CORS_ERR_INVALID_ARGUMENT;
    if (n == 1 && s[0] == '*')
        return list_add(b, &b->headers, "header", s, n);
    e = header_common(b, s, n, CORS_ERR_HEADER, "header", lower);
    if (e != CORS_OK)
        return e;
    /* Quoted only for a message: most names get none. */
    if (cors__cors_response_header(lower, n)) {
        cors__quote(q, sizeof q, lower, n);
        return cors__diag(b, CORS_SEVERITY_ERROR, CORS_ERR_HEADER,
                          CORS__DIAG_HEADER_CORS_RESPONSE, b->line,
                          "header %s is refused: it is a CORS response header, which the "
                          "server sends and pages never set; this policy's settings produce "
                          "it",
                          q);
    }
    if (cors__forbidden_request_header(lower, n)) {
        cors__quote(q, sizeof q, lower, n);
        return cors__diag(b, CORS_SEVERITY_ERROR, CORS_ERR_HEADER,
                          CORS__DIAG_HEADER_FORBIDDEN, b->line,
                          "header %s is refused: it is a forbidden request header (Fetch "
                          "2.2.2) that pages can never set, so there is nothing to allow%s",
                          q, n >= 6 && memcmp(lower, "cookie", 6) == 0
                                 ? "; to let pages send cookies, set allow-credentials on"
                                 : "");
    }
    /* A CORS-safelisted name (Accept, ...) is asked for when its value is
       unusual, so listing it is no mistake and gets no warning. */
    return list_add(b, &b->headers, "header", lower, n);
}

cors_error cors_builder_expose_header(cors_builder *b, const char *s, size_t n)
{
    char lower[CORS__MAX_NAME], q[CORS__QUOTE_SIZE];
    cors_error e;

    if (!b || (!s && n))
        return CORS_ERR_INVALID_ARGUMENT;
    if (n == 1 && s[0] == '*')
        return list_add(b, &b->expose, "exposed header", s, n);
    e = header_common(b, s, n, CORS_ERR_EXPOSE_HEADER, "exposed header", lower);
    if (e != CORS_OK)
        return e;
    cors__quote(q, sizeof q, lower, n);
    if (cors__forbidden_response_header(lower, n))
        return cors__diag(b, CORS_SEVERITY_ERROR, CORS_ERR_EXPOSE_HEADER,
                          CORS__DIAG_EXPOSE_FORBIDDEN, b->line,
                          "exposed header %s is refused: it is a forbidden response header "
                          "(Fetch 2.2.2) that pages can never read; cookies stay with the "
                          "browser",
                          q);
    if (cors__unexposable_header(lower, n))
        return cors__diag(b, CORS_SEVERITY_ERROR, CORS_ERR_EXPOSE_HEADER,
                          CORS__DIAG_EXPOSE_NOT_RESPONSE, b->line,
                          "exposed header %s is refused: it is a request header or a header "
                          "of preflight responses, never on a response a page reads; expose "
                          "the headers your handlers set",
                          q);
    if (cors__safelisted_response_header(lower, n))
        cors__diag(b, CORS_SEVERITY_WARNING, CORS_OK, CORS__DIAG_EXPOSE_SAFELISTED, b->line,
                   "exposed header %s never needs listing: it is a CORS-safelisted response "
                   "header that pages can always read",
                   q);
    return list_add(b, &b->expose, "exposed header", lower, n);
}

/* -------------------------------------------------------------- settings */

static cors_error check_max_age(cors_builder *b, long seconds)
{
    if (seconds < 0 || seconds > CORS__MAX_AGE_MAX)
        return cors__diag(b, CORS_SEVERITY_ERROR, CORS_ERR_MAX_AGE,
                          CORS__DIAG_MAX_AGE_RANGE, b->line,
                          "max-age %ld is refused: it must be " CORS__MAX_AGE_RANGE
                          " (browsers cap it anyway: Chromium at 7200, Firefox at 86400)",
                          seconds);
    if (seconds > 7200)
        cors__diag(b, CORS_SEVERITY_WARNING, CORS_OK, CORS__DIAG_MAX_AGE_CHROMIUM_CAP, b->line,
                   "max-age %ld is above Chromium's cap of 7200 seconds and Safari's of 600",
                   seconds);
    else if (seconds > 600)
        cors__diag(b, CORS_SEVERITY_WARNING, CORS_OK, CORS__DIAG_MAX_AGE_SAFARI_CAP, b->line,
                   "max-age %ld is above Safari's cap of 600 seconds", seconds);
    return CORS_OK;
}

static cors_error check_private_network(cors_builder *b, long on)
{
    if (on)
        cors__diag(b, CORS_SEVERITY_WARNING, CORS_OK, CORS__DIAG_PRIVATE_NETWORK_ON, b->line,
                   "private network access is enabled: pages on the allowed public origins "
                   "can reach this server on a private network");
    return CORS_OK;
}

static cors_error check_preflight_status(cors_builder *b, long status)
{
    if (status < 200 || status > 299)
        return cors__diag(b, CORS_SEVERITY_ERROR, CORS_ERR_STATUS,
                          CORS__DIAG_PREFLIGHT_STATUS_RANGE, b->line,
                          "preflight status %ld is refused: browsers accept a preflight only "
                          "with an ok status, 200 to 299 (204 is usual)",
                          status);
    return CORS_OK;
}

static cors_error check_denied_status(cors_builder *b, long status)
{
    /* Any status fails the preflight, since the response carries no
       Access-Control-Allow-Origin (Fetch 4.8 steps 7 and 8: the CORS check
       fails, so the fetch is a network error).
       Only success and client-error statuses describe a refusal honestly:
       1xx is not final, 3xx claims a redirect without a Location, and 5xx
       blames the server for the client's request. */
    if ((status < 200 || status > 299) && (status < 400 || status > 499))
        return cors__diag(b, CORS_SEVERITY_ERROR, CORS_ERR_STATUS,
                          CORS__DIAG_DENIED_STATUS_RANGE, b->line,
                          "denied preflight status %ld is refused: it must be 200 to 299 or "
                          "400 to 499 (403 is usual; 200 or 404 keep logs quiet)",
                          status);
    return CORS_OK;
}

const cors__setting_rule cors__setting_rules[CORS__NSETTINGS] = {
    [CORS__S_CREDENTIALS] = {0, NULL, CORS_OK, NULL},
    [CORS__S_MAX_AGE] = {-1, CORS__MAX_AGE_RANGE, CORS_ERR_MAX_AGE, check_max_age},
    [CORS__S_PRIVATE_NETWORK] = {0, NULL, CORS_OK, check_private_network},
    [CORS__S_PREFLIGHT_STATUS] = {204, "200 to 299", CORS_ERR_STATUS, check_preflight_status},
    [CORS__S_DENIED_STATUS] = {403, "200 to 299 or 400 to 499", CORS_ERR_STATUS,
                               check_denied_status},
};

cors_error cors__set(cors_builder *b, cors__setting_id id, long value)
{
    const cors__setting_rule *rule = &cors__setting_rules[id];
    cors_error e;

    if (!b)
        return CORS_ERR_INVALID_ARGUMENT;
    if (!rule->range)
        value = value != 0;
    if (rule->check && (e = rule->check(b, value)) != CORS_OK)
        return e;
    b->settings[id] = value;
    b->setting_line[id] = b->line;
    return CORS_OK;
}

cors_error cors_builder_allow_credentials(cors_builder *b, int on)
{
    return cors__set(b, CORS__S_CREDENTIALS, on);
}

cors_error cors_builder_set_max_age(cors_builder *b, long seconds)
{
    return cors__set(b, CORS__S_MAX_AGE, seconds);
}

cors_error cors_builder_allow_private_network(cors_builder *b, int on)
{
    return cors__set(b, CORS__S_PRIVATE_NETWORK, on);
}

cors_error cors_builder_set_preflight_status(cors_builder *b, int status)
{
    return cors__set(b, CORS__S_PREFLIGHT_STATUS, status);
}

cors_error cors_builder_set_denied_status(cors_builder *b, int status)
{
    return cors__set(b, CORS__S_DENIED_STATUS, status);
}

cors_error cors_builder_allow_danger(cors_builder *b, cors_danger danger, int on)
{
    if (!b)
        return CORS_ERR_INVALID_ARGUMENT;
    if (danger < CORS_DANGER_INSECURE_ORIGINS_WITH_CREDENTIALS ||
        danger > CORS_DANGER_PRIVATE_NETWORK_ANY_ORIGIN)
        return CORS_ERR_INVALID_ARGUMENT;
    if (on)
        b->dangers |= 1u << danger;
    else
        b->dangers &= ~(1u << danger);
    return CORS_OK;
}
