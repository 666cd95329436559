/*
 * check_policy_file.c - cors_builder_parse_file(): a policy read from a
 * file, with the file's name in every diagnostic, and a clear error for
 * each way a file can be unusable.
 */
#include "testutil.h"

#include <stdint.h>
#include <sys/stat.h>
#include <unistd.h>

static char dir[] = "/tmp/libcors-policy-file-XXXXXX";

static void setup(void)
{
    ck_assert_ptr_nonnull(mkdtemp(dir));
}

static void teardown(void)
{
    char cmd[sizeof dir + 16];

    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    ck_assert_int_eq(system(cmd), 0);
}

/* Writes len bytes of text to dir/name and returns the path (static). */
static const char *write_file(const char *name, const char *text, size_t len)
{
    static char path[sizeof dir + 64];
    FILE *f;

    snprintf(path, sizeof path, "%s/%s", dir, name);
    f = fopen(path, "wb");
    ck_assert_ptr_nonnull(f);
    ck_assert_uint_eq(fwrite(text, 1, len, f), len);
    ck_assert_int_eq(fclose(f), 0);
    return path;
}

typedef struct file_case {
    const char *what;
    const char *name;
    const char *text;
    size_t len;               /* 0: strlen(text) */
    cors_error expected;
    unsigned line;            /* of the first diagnostic */
    const char *message;      /* part of the first diagnostic; NULL: none expected */
} file_case;

static const file_case cases[] = {
    {"a good file", "good.policy",
     S("# a messaging app's preflight\nallow-origin https://app.example.com\n"), CORS_OK, 0,
     NULL},
    {"an empty file", "empty.policy", S(""), CORS_OK, 0, NULL},
    {"CRLF line ends", "crlf.policy", S("allow-origin https://app.example.com\r\nmax-age 60\r\n"),
     CORS_OK, 0, NULL},
    {"an error on line 3", "api.policy",
     S("allow-origin https://app.example.com\n\nallow-methods PUT, P@TCH\n"), CORS_ERR_METHOD, 3,
     "P@TCH"},
    {"an unknown directive", "typo.policy", S("allow-origin https://a.example\nalow-methods PUT\n"),
     CORS_ERR_UNKNOWN_DIRECTIVE, 2, "alow-methods"},
    {"a NUL byte", "binary.policy", S("allow-origin https://a.example\nmax-age 6\0000\n"),
     CORS_ERR_SYNTAX, 0, "line 2 holds a NUL byte"},
    {"a NUL byte first", "zero.policy", S("\0"), CORS_ERR_SYNTAX, 0, "line 1 holds a NUL byte"},
};

START_TEST(test_file_cases)
{
    const file_case *c = &cases[_i];
    cors_builder *b = cors_builder_new(NULL);
    const char *path = write_file(c->name, c->text, c->len);
    const cors_diagnostic *d;

    ck_assert_int_eq(cors_builder_parse_file(b, path), c->expected);
    d = cors_builder_diagnostic(b, 0);
    if (!c->message) {
        ck_assert_ptr_null(d);
    } else {
        ck_assert_ptr_nonnull(d);
        ck_assert_int_eq(d->severity, CORS_SEVERITY_ERROR);
        ck_assert_int_eq(d->code, c->expected);
        ck_assert_uint_eq(d->line, c->line);
        ck_assert_str_eq(d->file, path);
        ck_assert_msg(strstr(d->message, c->message), "%s: message \"%s\"", c->what, d->message);
    }
    cors_builder_free(b);
}
END_TEST

/* Diagnostics of a build carry the file of the line they are about; text
   parsed directly and API calls have none. */
START_TEST(test_build_diagnostics_name_the_file)
{
    cors_builder *b = cors_builder_new(NULL);
    const char *path = write_file("creds.policy", S("allow-credentials on\nallow-origin *\n"));
    char copy[sizeof dir + 64];
    cors_policy *p = NULL;
    const cors_diagnostic *d;

    snprintf(copy, sizeof copy, "%s", path);
    ck_assert_int_eq(cors_builder_parse_file(b, copy), CORS_OK);
    memset(copy, 'x', strlen(copy)); /* the builder keeps its own copy */
    ck_assert_int_eq(cors_builder_parse(b, S("max-age 90000\n")), CORS_ERR_MAX_AGE);
    ck_assert_int_eq(cors_builder_build(b, &p), CORS_ERR_POLICY);
    d = cors_builder_diagnostic(b, 0);
    ck_assert_uint_eq(d->line, 1);
    ck_assert_ptr_null(d->file);
    d = cors_builder_diagnostic(b, 1);
    ck_assert_int_eq(d->code, CORS_ERR_CONFLICT);
    ck_assert_uint_eq(d->line, 2);
    ck_assert_str_eq(d->file, path);
    cors_builder_free(b);
}
END_TEST

enum { F_MISSING, F_DIRECTORY, F_UNREADABLE, F_TOO_LARGE, F_LARGEST, F_NULL, F_COUNT };

START_TEST(test_unusable_files)
{
    cors_builder *b = cors_builder_new(NULL);
    char path[sizeof dir + 64];
    const cors_diagnostic *d;
    cors_error want = CORS_ERR_FILE;
    const char *needle = NULL;
    char *big;

    switch (_i) {
    case F_MISSING:
        snprintf(path, sizeof path, "%s/none.policy", dir);
        needle = "no such file";
        break;
    case F_DIRECTORY:
        snprintf(path, sizeof path, "%s", dir);
        needle = "directory";
        break;
    case F_UNREADABLE:
        snprintf(path, sizeof path, "%s", write_file("secret.policy", S("max-age 5\n")));
        ck_assert_int_eq(chmod(path, 0), 0);
        if (access(path, R_OK) == 0) {
            /* root reads anything: there is no unreadable file to test */
            fprintf(stderr, "check-policy-file: running as root, unreadable file not tested\n");
            cors_builder_free(b);
            return;
        }
        needle = "permission denied";
        break;
    case F_TOO_LARGE:
    case F_LARGEST:
        big = malloc(CORS_POLICY_FILE_MAX + 1);
        ck_assert_ptr_nonnull(big);
        memset(big, '#', CORS_POLICY_FILE_MAX + 1);
        snprintf(path, sizeof path, "%s",
                 write_file("big.policy", big, CORS_POLICY_FILE_MAX + (_i == F_TOO_LARGE)));
        free(big);
        want = _i == F_TOO_LARGE ? CORS_ERR_LIMIT : CORS_OK;
        needle = _i == F_TOO_LARGE ? "larger than 1 MiB" : NULL;
        break;
    default:
        ck_assert_int_eq(cors_builder_parse_file(b, NULL), CORS_ERR_INVALID_ARGUMENT);
        ck_assert_int_eq(cors_builder_parse_file(NULL, dir), CORS_ERR_INVALID_ARGUMENT);
        ck_assert_uint_eq(cors_builder_diagnostic_count(b), 0);
        cors_builder_free(b);
        return;
    }
    ck_assert_int_eq(cors_builder_parse_file(b, path), want);
    d = cors_builder_diagnostic(b, 0);
    if (needle) {
        ck_assert_ptr_nonnull(d);
        ck_assert_int_eq(d->code, want);
        ck_assert_uint_eq(d->line, 0);
        ck_assert_str_eq(d->file, path);
        ck_assert_msg(strstr(d->message, needle), "message \"%s\"", d->message);
        ck_assert_uint_eq(cors_builder_error_count(b), 1);
    } else {
        ck_assert_ptr_null(d);
    }
    cors_builder_free(b);
}
END_TEST

/* Counts what goes through the builder's allocator, and fails the
   fail_at-th allocation. */
typedef struct counting {
    size_t allocs, live, fail_at;
} counting;

static void *count_malloc(size_t size, void *user)
{
    counting *c = user;

    if (++c->allocs == c->fail_at)
        return NULL;
    c->live++;
    return malloc(size);
}

static void count_free(void *ptr, void *user)
{
    counting *c = user;

    c->live--;
    free(ptr);
}

/* Everything is read through the builder's allocator, and every failure
   is reported as out of memory without leaking. */
START_TEST(test_allocator)
{
    const char *path = write_file("alloc.policy", S("allow-origin https://app.example.com\n"
                                                        "allow-methods PUT\nbogus 1\n"));
    counting c = {0, 0, 0};
    cors_allocator a = {count_malloc, count_free, &c};
    cors_builder *b = cors_builder_new(&a);
    size_t needed, k;

    ck_assert_int_eq(cors_builder_parse_file(b, path), CORS_ERR_UNKNOWN_DIRECTIVE);
    cors_builder_free(b);
    ck_assert_uint_eq(c.live, 0);
    needed = c.allocs;
    ck_assert_uint_gt(needed, 3);
    for (k = 2; k <= needed; k++) {
        cors_error e;
        c.allocs = 0;
        c.fail_at = k;
        b = cors_builder_new(&a);
        e = cors_builder_parse_file(b, path);
        ck_assert_msg(e == CORS_ERR_NOMEM || e == CORS_ERR_UNKNOWN_DIRECTIVE,
                      "allocation %zu failing: %s", k, cors_strerror(e));
        cors_builder_free(b);
        ck_assert_uint_eq(c.live, 0);
    }
}
END_TEST

int main(void)
{
    Suite *s = suite_create("policy-file");
    TCase *tc = tcase_create("files");

    tcase_add_unchecked_fixture(tc, setup, teardown);
    tcase_add_loop_test(tc, test_file_cases, 0, NCASES(cases));
    tcase_add_test(tc, test_build_diagnostics_name_the_file);
    tcase_add_loop_test(tc, test_unusable_files, 0, F_COUNT);
    tcase_add_test(tc, test_allocator);
    suite_add_tcase(s, tc);
    return tu_main(s);
}
