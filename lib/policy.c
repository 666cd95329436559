/*
 * policy.c - turning a builder into an immutable policy: whole-policy
 * checks, hash tables for origins and header names, and the header values
 * computed once so that cors_evaluate() only copies pointers.
 */
#include "builder.h"
#include "names.h"
#include "origin.h"
#include "policy.h"
#include "psl.h"

#include <stdio.h>
#include <string.h>

static const char *item_text(const cors_builder *b, const cors__item *it)
{
    return b->strings.data + it->off;
}

static int item_is_star(const cors_builder *b, const cors__item *it)
{
    return it->len == 1 && item_text(b, it)[0] == '*';
}

/* Header values are composed into one buffer and pointed at only at the
   end, since the buffer may move while it grows. */
typedef struct pending {
    size_t off, len;
} pending;

static int join_list(cors_builder *b, cors__buf *out, const cors__list *list, pending *pv,
                     int skip_star)
{
    size_t i;
    int first = 1;

    pv->off = out->len;
    for (i = 0; i < list->n; i++) {
        if (skip_star && item_is_star(b, &list->items[i]))
            continue;
        if ((!first && cors__buf_append(&b->alloc, out, ", ", 2) != 0) ||
            cors__buf_append(&b->alloc, out, item_text(b, &list->items[i]),
                             list->items[i].len) != 0)
            return -1;
        first = 0;
    }
    pv->len = out->len - pv->off;
    return 0;
}

static int put_text(cors_builder *b, cors__buf *out, pending *pv, const char *s)
{
    pv->off = out->len;
    pv->len = strlen(s);
    return cors__buf_append(&b->alloc, out, s, pv->len);
}

void cors_policy_free(cors_policy *p)
{
    cors_allocator a;

    if (!p)
        return;
    a = p->alloc;
    cors__free(&a, p->strings);
    cors__free(&a, p->origins);
    cors__free(&a, p->exact);
    cors__free(&a, p->headers);
    cors__free(&a, p->header_names);
    cors__free(&a, p->methods);
    cors__free(&a, p->method_keys);
    cors__free(&a, p->origin_texts);
    cors__free(&a, p->server_origins);
    cors__free(&a, p->values);
    cors__free(&a, p);
}

static int has_danger(const cors_builder *b, cors_danger d)
{
    return (b->dangers & (1u << d)) != 0;
}

/* The host of a "*." pattern without a trailing dot, and whether it is
   a public suffix: a wildcard over one admits every site anyone
   registers under it. */
static int wildcard_over_suffix(const cors__origin *o, size_t *len)
{
    size_t n = o->host_len;

    if (n > 1 && o->host[n - 1] == '.')
        n--;
    *len = n;
    return o->subdomains && o->host_kind == CORS__HOST_DOMAIN && cors__public_suffix(o->host, n);
}

static void check_suffix_wildcard(cors_builder *b, const cors__item *it, const cors__origin *o,
                                  const char *q)
{
    size_t n;
    char host[CORS__QUOTE_SIZE];

    if (!wildcard_over_suffix(o, &n))
        return;
    cors__quote(host, sizeof host, o->host, n);
    if (!b->settings[CORS__S_CREDENTIALS])
        cors__build_diag(b, CORS_SEVERITY_WARNING, CORS_OK, CORS__DIAG_WILDCARD_PUBLIC_SUFFIX, it,
                   "origin %s admits every site anyone registers under the public suffix %s; "
                   "name your own domain (\"https://*.yourapp.example\")",
                   q, host);
    else if (memchr(o->host, '.', n) == NULL) {
        if (!has_danger(b, CORS_DANGER_TLD_WILDCARD_WITH_CREDENTIALS))
            cors__build_diag(b, CORS_SEVERITY_ERROR, CORS_ERR_CONFLICT,
                             CORS__DIAG_CREDENTIALS_WITH_TLD_WILDCARD, it,
                       "origin %s is refused with credentials: it admits every site under a "
                       "top-level domain; name the domain (\"https://*.example.com\"), or set "
                       "dangerously-allow-tld-wildcards-with-credentials",
                       q);
    } else if (!has_danger(b, CORS_DANGER_PUBLIC_SUFFIX_WILDCARD_WITH_CREDENTIALS)) {
        cors__build_diag(b, CORS_SEVERITY_ERROR, CORS_ERR_CONFLICT,
                         CORS__DIAG_CREDENTIALS_WITH_SUFFIX_WILDCARD, it,
                   "origin %s is refused with credentials: %s is a public suffix, so every "
                   "site anyone registers under it could read users' data; name your own "
                   "domain (\"https://*.yourapp.example\"), or set "
                   "dangerously-allow-public-suffix-wildcards-with-credentials",
                   q, host);
    }
}

/* The rules that depend on several settings at once. */
static void check_origin_combination(cors_builder *b, const cors__item *it, const cors__origin *o)
{
    char q[CORS__QUOTE_SIZE];

    cors__quote(q, sizeof q, item_text(b, it), it->len);
    if (b->settings[CORS__S_CREDENTIALS] && o->scheme == CORS__HTTP &&
        !cors__origin_is_loopback(o) &&
        !has_danger(b, CORS_DANGER_INSECURE_ORIGINS_WITH_CREDENTIALS))
        cors__build_diag(b, CORS_SEVERITY_ERROR, CORS_ERR_CONFLICT,
                         CORS__DIAG_CREDENTIALS_WITH_HTTP_ORIGIN, it,
                   "origin %s is refused with credentials: over http:// anyone on the network "
                   "path can act as this origin and read users' data; use https://, or set "
                   "dangerously-allow-insecure-origins-with-credentials",
                   q);
    check_suffix_wildcard(b, it, o, q);
}

static void check_combinations(cors_builder *b, int any_origin, const cors__item *star_origin,
                               int any_expose, const cors__item *star_expose)
{
    if (b->settings[CORS__S_CREDENTIALS] && any_origin)
        cors__build_diag(b, CORS_SEVERITY_ERROR, CORS_ERR_CONFLICT,
                         CORS__DIAG_CREDENTIALS_WITH_ANY_ORIGIN, star_origin,
                   "origin \"*\" is refused with credentials: browsers reject the pair, and "
                   "reflecting every origin instead would let any site read users' data; "
                   "list the origins");
    if (b->settings[CORS__S_CREDENTIALS] && any_expose)
        cors__build_diag(b, CORS_SEVERITY_ERROR, CORS_ERR_CONFLICT,
                         CORS__DIAG_CREDENTIALS_WITH_ANY_EXPOSE, star_expose,
                   "exposed header \"*\" is refused with credentials: browsers then read it "
                   "as a header literally named \"*\"; list the headers by name");
    if (b->settings[CORS__S_PRIVATE_NETWORK] && any_origin &&
        !has_danger(b, CORS_DANGER_PRIVATE_NETWORK_ANY_ORIGIN))
        cors__build_diag(b, CORS_SEVERITY_ERROR, CORS_ERR_CONFLICT,
                         CORS__DIAG_PRIVATE_NETWORK_ANY_ORIGIN, star_origin,
                   "origin \"*\" is refused with allow-private-network on: every public page, "
                   "sandboxed ones included, could then reach this server on the private "
                   "network; list the origins, or set "
                   "dangerously-allow-private-network-from-any-origin");
    /* After a refused origin line the policy is already refused for it;
       "no origin" would only repeat that. */
    if (b->origins.n == 0 && b->refused_origins == 0)
        cors__build_diag(b, CORS_SEVERITY_ERROR, CORS_ERR_ORIGIN, CORS__DIAG_NO_ORIGIN, NULL,
                   "no origin is allowed: every CORS request would be denied; add "
                   "allow-origin with the origins of the pages that call this server");
    else if (any_origin && b->origins.n > 1)
        cors__build_diag(b, CORS_SEVERITY_WARNING, CORS_OK,
                         CORS__DIAG_ANY_ORIGIN_REDUNDANT, star_origin,
                   "origin \"*\" allows every origin; the other origins listed are redundant");
}

static const cors__item *find_star(const cors__list *l)
{
    return l->star ? &l->items[l->star - 1] : NULL;
}

static unsigned count_labels(const char *host, size_t n)
{
    unsigned labels = 1;
    size_t i;

    for (i = 0; i < n; i++)
        labels += host[i] == '.';
    return labels;
}

/* A "*." pattern's host has d labels: only request suffixes of d labels
   are looked up.  The first few are listed too. */
static void note_sub(cors_policy *p, const cors__origin *o)
{
    unsigned d = count_labels(o->host, o->host_len);

    if (p->nsubs < CORS__FEW_SUBS)
        cors__sub_init(&p->subs[p->nsubs], o);
    p->nsubs++;
    p->has_sub = 1;
    if (d < 128)
        p->sub_depths[d / 64] |= (uint64_t)1 << (d % 64);
    if (d > p->sub_max_depth)
        p->sub_max_depth = d;
}

/* Adds a configured origin (not "*") to its table; returns 0 when an
   equal one is there already. */
static int add_origin(cors_builder *b, cors_policy *p, const cors__item *it, const char *text)
{
    cors__origin o;
    size_t n = it->len;

    if (n >= CORS__ORIGIN_MIN_LEN)
        p->exact_lens[cors__len_index(n)] = 1;
    /* An exact origin is kept as its text, and without credentials
       nothing about its parts is checked (the common case of a long
       list). */
    if (!b->settings[CORS__S_CREDENTIALS] && cors__item_exact(it))
        return cors__str_insert(p->exact, p->exact_mask, p->exact_shift, text, n, CORS__SAME_CASE);
    cors__item_origin(it, text, &o);
    check_origin_combination(b, it, &o);
    if (!o.subdomains && o.port != CORS__PORT_ANY)
        return cors__str_insert(p->exact, p->exact_mask, p->exact_shift, text, n, CORS__SAME_CASE);
    if (o.port == CORS__PORT_ANY)
        p->has_port_any = 1;
    if (!cors__origin_insert(p->origins, p->origin_mask, p->origin_shift,
                             o.subdomains ? CORS__K_SUB : CORS__K_EXACT, o.scheme, o.port,
                             o.host, o.host_len))
        return 0;
    if (o.subdomains)
        note_sub(p, &o);
    return 1;
}

static int fill_origins(cors_builder *b, cors_policy *p)
{
    size_t i;
    char q[CORS__QUOTE_SIZE];

    /* Patterns ("*." or ":*") go to a table of their own. */
    cors__table_layout(b->origins.n - b->origin_patterns, &p->exact_mask, &p->exact_shift);
    cors__table_layout(b->origin_patterns, &p->origin_mask, &p->origin_shift);
    p->exact = cors__alloc_zero(&p->alloc, (p->exact_mask + 1) * sizeof *p->exact);
    p->origins = cors__alloc_zero(&p->alloc, (p->origin_mask + 1) * sizeof *p->origins);
    p->origin_texts = cors__alloc(&p->alloc, (b->origins.n + 1) * sizeof *p->origin_texts);
    if (!p->exact || !p->origins || !p->origin_texts)
        return -1;
    for (i = 0; i < b->origins.n; i++) {
        const cors__item *it = &b->origins.items[i];
        cors_str text;
        text.ptr = p->strings + it->off;
        text.len = it->len;
        if (!item_is_star(b, it) && !add_origin(b, p, it, text.ptr)) {
            cors__quote(q, sizeof q, text.ptr, text.len);
            cors__build_diag(b, CORS_SEVERITY_WARNING, CORS_OK, CORS__DIAG_LISTED_TWICE, it,
                             "origin %s is listed twice; the repetition is ignored", q);
            continue;
        }
        p->origin_texts[p->norigin_texts++] = text;
    }
    p->unlisted_special = p->any_origin || p->has_sub || p->has_port_any;
    return 0;
}

static int fill_server_origins(const cors_builder *b, cors_policy *p)
{
    size_t i;

    p->server_origins = cors__alloc(&p->alloc, (b->server_origins.n + 1) *
                                                   sizeof *p->server_origins);
    if (!p->server_origins)
        return -1;
    for (i = 0; i < b->server_origins.n; i++) {
        p->server_origins[i].ptr = p->strings + b->server_origins.items[i].off;
        p->server_origins[i].len = b->server_origins.items[i].len;
    }
    p->nserver_origins = b->server_origins.n;
    return 0;
}

static int fill_names(cors_builder *b, cors_policy *p)
{
    size_t i;
    uint32_t next[CORS__MAX_NAME + 1];

    cors__table_layout(b->headers.n, &p->header_mask, &p->header_shift);
    p->headers = cors__alloc_zero(&p->alloc, (p->header_mask + 1) * sizeof *p->headers);
    p->header_names = cors__alloc(&p->alloc, (b->headers.n + 1) * sizeof *p->header_names);
    p->methods = cors__alloc(&p->alloc, (b->methods.n + 1) * sizeof *p->methods);
    p->method_keys = cors__alloc(&p->alloc, (b->methods.n + 1) * sizeof *p->method_keys);
    if (!p->headers || !p->header_names || !p->methods || !p->method_keys)
        return -1;
    memset(p->header_by_len, 0, sizeof p->header_by_len);
    for (i = 0; i < b->headers.n; i++) {
        const cors__item *it = &b->headers.items[i];
        if (item_is_star(b, it) || it->len > CORS__MAX_NAME)
            continue;
        if (it->len == 13 && memcmp(item_text(b, it), "authorization", 13) == 0)
            p->header_authorization = 1;
        cors__str_insert(p->headers, p->header_mask, p->header_shift, p->strings + it->off, it->len,
                         CORS__ANY_CASE);
        p->header_by_len[it->len + 1]++;
    }
    /* Grouped by length (a counting sort): a request name is compared
       with the few names of its own length, without hashing it. */
    for (i = 1; i <= CORS__MAX_NAME + 1; i++) {
        if (p->header_by_len[i])
            p->name_lens[p->nname_lens++] = (uint16_t)(i - 1);
        p->header_by_len[i] += p->header_by_len[i - 1];
    }
    memcpy(next, p->header_by_len, sizeof next);
    for (i = 0; i < b->headers.n; i++) {
        const cors__item *it = &b->headers.items[i];
        if (item_is_star(b, it) || it->len > CORS__MAX_NAME)
            continue;
        struct cors__name *nm = &p->header_names[next[it->len]++];
        nm->ptr = p->strings + it->off;
        nm->len = it->len;
        nm->key[0] = nm->key[1] = 0;
        if (it->len <= CORS__KEY_MAX)
            cors__key16(nm->ptr, nm->len, nm->key);
    }
    for (i = 0; i < b->methods.n; i++) {
        p->methods[i].ptr = p->strings + b->methods.items[i].off;
        p->methods[i].len = b->methods.items[i].len;
        p->method_keys[i] = p->methods[i].len <= CORS__METHOD_KEY_MAX
                                ? cors__method_key(p->methods[i].ptr, p->methods[i].len)
                                : 0;
    }
    p->nmethods = b->methods.n;
    p->has_method_set = cors__method_set_fill(p->method_set, p->method_keys, p->nmethods);
    return 0;
}

/* What a preflight's answer depends on (Fetch 3.2.3 / CORS and caching). */
#define VARY_PREFLIGHT CORS__H_ORIGIN ", " CORS__H_REQUEST_METHOD ", " CORS__H_REQUEST_HEADERS

/* The values that do not depend on the request, composed once. */
static int fill_values(cors_builder *b, cors_policy *p)
{
    cors__buf v = {NULL, 0, 0};
    pending am = {0, 0}, ah = {0, 0}, eh = {0, 0}, ma = {0, 0}, vary = {0, 0};
    char num[32];
    int rc = 0;

    if (p->any_method)
        rc |= put_text(b, &v, &am, "*");
    else
        rc |= join_list(b, &v, &b->methods, &am, 0);
    if (p->any_header)
        rc |= put_text(b, &v, &ah, p->header_authorization ? "*, authorization" : "*");
    else
        rc |= join_list(b, &v, &b->headers, &ah, 0);
    if (p->any_expose)
        rc |= put_text(b, &v, &eh, "*");
    else
        rc |= join_list(b, &v, &b->expose, &eh, 0);
    if (p->settings[CORS__S_MAX_AGE] >= 0) {
        snprintf(num, sizeof num, "%ld", p->settings[CORS__S_MAX_AGE]);
        rc |= put_text(b, &v, &ma, num);
    }
    rc |= put_text(b, &v, &vary,
                   p->settings[CORS__S_PRIVATE_NETWORK] ? VARY_PREFLIGHT ", " CORS__H_REQUEST_PRIVATE_NETWORK
                                                        : VARY_PREFLIGHT);
    if (rc != 0) {
        cors__buf_free(&b->alloc, &v);
        return -1;
    }
    p->values = v.data;
    p->allow_methods.ptr = v.data + am.off;
    p->allow_methods.len = am.len;
    p->allow_headers.ptr = v.data + ah.off;
    p->allow_headers.len = ah.len;
    p->expose_headers.ptr = v.data + eh.off;
    p->expose_headers.len = eh.len;
    p->allowed_more = p->settings[CORS__S_CREDENTIALS] || eh.len;
    p->max_age_text.ptr = v.data + ma.off;
    p->max_age_text.len = ma.len;
    p->vary_preflight.ptr = v.data + vary.off;
    p->vary_preflight.len = vary.len;
    return 0;
}

cors_error cors_builder_build(cors_builder *b, cors_policy **out)
{
    cors_policy *p;
    const cors__item *star_origin, *star_expose;

    if (!b || !out)
        return CORS_ERR_INVALID_ARGUMENT;
    *out = NULL;
    if (b->out_of_memory)
        return CORS_ERR_NOMEM;
    cors__drop_build_diags(b);
    if (b->strings.len > UINT32_MAX || b->origins.n > UINT32_MAX / 4)
        return CORS_ERR_LIMIT;

    /* The policy shares the builder's allocator, but if the builder were
       allocated through the policy, a caller could free them in any order. */
    p = cors__alloc(&b->alloc, sizeof *p);
    if (!p)
        return CORS_ERR_NOMEM;
    memset(p, 0, sizeof *p);
    p->alloc = b->alloc;
    memcpy(p->settings, b->settings, sizeof p->settings);
    p->dangers = b->dangers;
    star_origin = find_star(&b->origins);
    star_expose = find_star(&b->expose);
    p->any_origin = star_origin != NULL;
    p->any_method = find_star(&b->methods) != NULL;
    p->any_header = find_star(&b->headers) != NULL;
    p->any_expose = star_expose != NULL;

    p->strings = cors__alloc(&p->alloc, b->strings.len + 1);
    if (!p->strings)
        goto nomem;
    if (b->strings.len)
        memcpy(p->strings, b->strings.data, b->strings.len);
    p->strings[b->strings.len] = '\0';
    check_combinations(b, p->any_origin, star_origin, p->any_expose, star_expose);
    if (fill_origins(b, p) != 0 || fill_server_origins(b, p) != 0 || fill_names(b, p) != 0 ||
        fill_values(b, p) != 0)
        goto nomem;
    if (b->out_of_memory) {
        cors_policy_free(p);
        return CORS_ERR_NOMEM;
    }
    if (b->error_count) {
        cors_policy_free(p);
        return CORS_ERR_POLICY;
    }
    *out = p;
    return CORS_OK;

nomem:
    cors_policy_free(p);
    return CORS_ERR_NOMEM;
}
