/*
 * example-util.c - what the example servers share.
 *
 * Copyright (c) 2026 The libcors authors.  MIT licence, see COPYING.
 */
#define _POSIX_C_SOURCE 200809L

#include "example-util.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* A policy is a few lines; anything this big is a mistake. */
#define MAX_POLICY_FILE (256 * 1024)

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    size_t n = 0;

    if (!f)
        return NULL;
    buf = malloc(MAX_POLICY_FILE + 1);
    if (buf)
        n = fread(buf, 1, MAX_POLICY_FILE + 1, f);
    if (!buf || ferror(f) || n > MAX_POLICY_FILE) {
        free(buf);
        buf = NULL;
        errno = ferror(f) ? EIO : EFBIG;
    }
    fclose(f);
    *len = n;
    return buf;
}

cors_policy *example_load_policy(const char *path)
{
    cors_builder *b = cors_builder_new(NULL);
    cors_policy *p = NULL;
    char *text = NULL;
    size_t i, len = 0;

    if (!b) {
        fprintf(stderr, "%s\n", cors_strerror(CORS_ERR_NOMEM));
        return NULL;
    }
    if (path) {
        if (!(text = slurp(path, &len))) {
            fprintf(stderr, "%s: %s\n", path, strerror(errno));
            cors_builder_free(b);
            return NULL;
        }
        cors_builder_parse(b, text, len);
    } else {
        /* No policy: every CORS request is denied.  A policy must allow
           some origin, and one in the reserved .invalid domain (RFC 2606)
           never sends a request. */
        cors_builder_allow_origin(b, "https://no-cross-origin-access.invalid", 38);
    }
    cors_builder_build(b, &p);
    for (i = 0; i < cors_builder_diagnostic_count(b); i++) {
        const cors_diagnostic *d = cors_builder_diagnostic(b, i);
        fprintf(stderr, "%s:%u: %s: %s [%s]\n", path ? path : "(empty policy)", d->line,
                d->severity == CORS_SEVERITY_ERROR ? "error" : "warning", d->message, d->id);
    }
    free(text);
    cors_builder_free(b);
    return p;
}

static int lower(int c)
{
    return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
}

static int is_ows(char c)
{
    return c == ' ' || c == '\t';
}

/* Is (e, n) an element of the NUL-terminated list? */
static int listed(const char *list, const char *e, size_t n)
{
    while (*list) {
        size_t len, k;
        while (is_ows(*list) || *list == ',')
            list++;
        for (len = 0; list[len] && list[len] != ','; len++)
            ;
        k = len;
        while (k > 0 && is_ows(list[k - 1]))
            k--;
        /* "Vary: *" already covers every name. */
        if (k == 1 && list[0] == '*')
            return 1;
        if (k == n) {
            size_t i;
            for (i = 0; i < n && lower((unsigned char)list[i]) == lower((unsigned char)e[i]); i++)
                ;
            if (i == n)
                return 1;
        }
        list += len;
    }
    return 0;
}

int example_merge_list(char *out, size_t size, const char *old, const char *add, size_t add_len)
{
    size_t n = old ? strlen(old) : 0, i = 0;

    if (n >= size)
        return -1;
    memcpy(out, old ? old : "", n + 1);
    while (i < add_len) {
        size_t start, end;
        while (i < add_len && (is_ows(add[i]) || add[i] == ','))
            i++;
        start = i;
        while (i < add_len && add[i] != ',')
            i++;
        end = i;
        while (end > start && is_ows(add[end - 1]))
            end--;
        if (end == start || listed(out, add + start, end - start))
            continue;
        if (n + (n ? 2 : 0) + (end - start) + 1 > size)
            return -1;
        if (n) {
            memcpy(out + n, ", ", 2);
            n += 2;
        }
        memcpy(out + n, add + start, end - start);
        n += end - start;
        out[n] = '\0';
    }
    return 0;
}

int example_header_value(char *out, size_t size, const char *old, const char *value,
                         size_t value_len, unsigned flags)
{
    if (flags & CORS_HEADER_MERGE)
        return example_merge_list(out, size, old, value, value_len);
    return example_cstr(out, size, value, value_len);
}

int example_cstr(char *buf, size_t size, const char *s, size_t n)
{
    if (n >= size)
        return -1;
    memcpy(buf, s, n);
    buf[n] = '\0';
    return 0;
}

int example_args(int argc, char **argv, const char *prog, unsigned long *port,
                 const char **policy)
{
    int i;
    char *end;

    *port = 8080;
    *policy = NULL;
    for (i = 1; i + 1 < argc; i += 2) {
        if (!strcmp(argv[i], "--port")) {
            *port = strtoul(argv[i + 1], &end, 10);
            if (*end || !*argv[i + 1] || *port > 65535)
                break;
        } else if (!strcmp(argv[i], "--policy")) {
            *policy = argv[i + 1];
        } else {
            break;
        }
    }
    if (i == argc)
        return 0;
    fprintf(stderr, "usage: %s [--port N] [--policy FILE]\n"
                    "  --port 0 picks a free port; prints \"listening on URL\" when ready\n",
            prog);
    return -1;
}
