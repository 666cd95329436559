/*
 * policy_file.c - reading a policy file (cors_builder_parse_file).
 *
 * Every server would otherwise write its own read-a-file helper, each with
 * its own idea of what a missing, binary or huge file means.  The file is
 * read whole through the builder's allocator, checked, and parsed as text;
 * its diagnostics carry its name so that they print as "api.policy:3: ...".
 */
#include "builder.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

/* Reading in steps keeps a small file's buffer small, and the limit is
   enforced without trusting a size the file reports. */
#define READ_STEP 4096

/* Keeps a copy of the file name for the diagnostics, which outlive the
   caller's string. */
static const char *own_name(cors_builder *b, const char *path)
{
    size_t n = strlen(path);
    void *files = b->files;
    char *copy;

    if (cors__grow(&b->alloc, &files, &b->files_cap, b->nfiles + 1, sizeof *b->files) != 0)
        return NULL;
    b->files = files;
    copy = cors__alloc(&b->alloc, n + 1);
    if (!copy)
        return NULL;
    memcpy(copy, path, n + 1);
    b->files[b->nfiles++] = copy;
    return copy;
}

/* Why a file cannot be read, in words that do not depend on the locale. */
static const char *read_problem(int err)
{
    switch (err) {
    case ENOENT:
        return "no such file";
    case EACCES:
        return "permission denied";
    case EISDIR:
        return "it is a directory, not a policy file";
    default:
        return "read error";
    }
}

/* A problem with the file as a whole: line 0, in that file. */
static cors_error file_error(cors_builder *b, const char *file, cors_error code, const char *what)
{
    cors_error e;

    b->file = file;
    e = cors__diag(b, CORS_SEVERITY_ERROR, code,
                   CORS__DIAG_FILE_UNREADABLE, 0, "cannot read the policy: %s", what);
    b->file = NULL;
    return e;
}

/* Reads the whole stream into *data (one spare byte), at most
   CORS_POLICY_FILE_MAX bytes. */
static cors_error read_all(cors_builder *b, FILE *f, cors__buf *data, int *err)
{
    char chunk[READ_STEP];
    size_t n;

    do {
        n = fread(chunk, 1, sizeof chunk, f);
        if (data->len + n > CORS_POLICY_FILE_MAX)
            return CORS_ERR_LIMIT;
        if (n && cors__buf_append(&b->alloc, data, chunk, n) != 0)
            return CORS_ERR_NOMEM;
    } while (n == sizeof chunk);
    if (ferror(f)) {
        *err = errno;
        return CORS_ERR_FILE;
    }
    return CORS_OK;
}

/* The first NUL byte's line, or 0 when the text has none. */
static unsigned nul_line(const char *s, size_t n)
{
    const char *nul = n ? memchr(s, '\0', n) : NULL;
    unsigned line = 1;

    if (!nul)
        return 0;
    for (; s < nul; s++)
        line += *s == '\n';
    return line;
}

static cors_error parse_data(cors_builder *b, const char *file, const cors__buf *data)
{
    unsigned at = nul_line(data->data, data->len);
    cors_error e;
    char what[80];

    if (at) {
        snprintf(what, sizeof what, "line %u holds a NUL byte: it is not a text file", at);
        return file_error(b, file, CORS_ERR_SYNTAX, what);
    }
    b->file = file;
    e = cors_builder_parse(b, data->data, data->len);
    b->file = NULL;
    return e;
}

cors_error cors_builder_parse_file(cors_builder *b, const char *path)
{
    cors__buf data = {NULL, 0, 0};
    const char *file;
    cors_error e;
    FILE *f;
    int err = 0;

    if (!b || !path)
        return CORS_ERR_INVALID_ARGUMENT;
    file = own_name(b, path);
    if (!file) {
        b->out_of_memory = 1;
        return CORS_ERR_NOMEM;
    }
    f = fopen(path, "rb");
    if (!f)
        return file_error(b, file, CORS_ERR_FILE, read_problem(errno));
    e = read_all(b, f, &data, &err);
    fclose(f);
    if (e == CORS_OK)
        e = parse_data(b, file, &data);
    else if (e == CORS_ERR_FILE)
        e = file_error(b, file, e, read_problem(err));
    else if (e == CORS_ERR_LIMIT)
        e = file_error(b, file, e, "it is larger than 1 MiB (CORS_POLICY_FILE_MAX)");
    else
        b->out_of_memory = 1;
    cors__buf_free(&b->alloc, &data);
    return e;
}
