/*
 * doc-policy: builds a policy from a file with the library, so that the
 * documentation tests can check every policy shown in README and the manual
 * pages against the real parser instead of trusting the text.
 *
 *   doc-policy FILE
 *
 * Prints every diagnostic as FILE:LINE: error|warning: message on standard
 * error.  Exit status: 0 the policy builds, 1 it is refused (at least one
 * error), 2 the file cannot be read or memory ran out.
 */
#include <cors.h>

#include <stdio.h>
#include <stdlib.h>

static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *buf = NULL, *grown;
    size_t cap = 0, n = 0, got;

    if (!f)
        return NULL;
    do {
        if (cap - n < 4096) {
            cap = cap ? cap * 2 : 8192;
            grown = realloc(buf, cap);
            if (!grown) {
                free(buf);
                fclose(f);
                return NULL;
            }
            buf = grown;
        }
        got = fread(buf + n, 1, cap - n, f);
        n += got;
    } while (got > 0);
    if (ferror(f)) {
        free(buf);
        fclose(f);
        return NULL;
    }
    fclose(f);
    *len = n;
    return buf;
}

int main(int argc, char **argv)
{
    cors_builder *b;
    cors_policy *policy = NULL;
    cors_error e;
    char *text;
    size_t len = 0, i;

    if (argc != 2) {
        fprintf(stderr, "usage: doc-policy FILE\n");
        return 2;
    }
    text = read_file(argv[1], &len);
    if (!text) {
        perror(argv[1]);
        return 2;
    }
    b = cors_builder_new(NULL);
    if (!b) {
        free(text);
        return 2;
    }
    cors_builder_parse(b, text, len);
    e = cors_builder_build(b, &policy);
    for (i = 0; i < cors_builder_diagnostic_count(b); i++) {
        const cors_diagnostic *d = cors_builder_diagnostic(b, i);
        fprintf(stderr, "%s:%u: %s: %s\n", argv[1], d->line,
                d->severity == CORS_SEVERITY_ERROR ? "error" : "warning", d->message);
    }
    cors_policy_free(policy);
    cors_builder_free(b);
    free(text);
    if (e == CORS_OK)
        return 0;
    return e == CORS_ERR_POLICY ? 1 : 2;
}
