/*
 * standalone.c - runs a fuzz target over files without libFuzzer, so that
 * every build (gcc included, valgrind included) replays the committed
 * corpus with the target's invariants as a regression test.
 *
 * With arguments, each is a file or a directory of files.  Without, the
 * corpus directory $top_srcdir/tests/fuzz/corpus/FUZZ_CORPUS is used (the
 * test harness sets top_srcdir).
 */
#include "fuzz_common.h"

#include <dirent.h>
#include <sys/stat.h>

static int run_file(const char *path)
{
    FILE *fp = fopen(path, "rb");
    uint8_t *buf = NULL;
    size_t len = 0, cap = 0, got;

    if (!fp) {
        perror(path);
        return -1;
    }
    for (;;) {
        if (len == cap) {
            uint8_t *n;
            cap = cap ? cap * 2 : 4096;
            n = realloc(buf, cap);
            if (!n) {
                free(buf);
                fclose(fp);
                return -1;
            }
            buf = n;
        }
        got = fread(buf + len, 1, cap - len, fp);
        len += got;
        if (got == 0)
            break;
    }
    fclose(fp);
    /* Named first, so that a failure shows which input broke an invariant. */
    printf("%s\n", path);
    fflush(stdout);
    /* An exact-size copy, so that a read past the input is caught. */
    {
        uint8_t *exact = malloc(len ? len : 1);
        if (!exact) {
            free(buf);
            return -1;
        }
        if (len)
            memcpy(exact, buf, len);
        free(buf);
        LLVMFuzzerTestOneInput(exact, len);
        free(exact);
    }
    return 0;
}

static int run_path(const char *path, size_t *count)
{
    struct stat st;
    DIR *d;
    struct dirent *e;
    int rc = 0;

    if (stat(path, &st) != 0) {
        perror(path);
        return -1;
    }
    if (!S_ISDIR(st.st_mode)) {
        (*count)++;
        return run_file(path);
    }
    d = opendir(path);
    if (!d) {
        perror(path);
        return -1;
    }
    while (rc == 0 && (e = readdir(d)) != NULL) {
        char sub[4096];
        if (e->d_name[0] == '.')
            continue;
        snprintf(sub, sizeof sub, "%s/%s", path, e->d_name);
        rc = run_path(sub, count);
    }
    closedir(d);
    return rc;
}

int main(int argc, char **argv)
{
    size_t count = 0;
    int i, rc = 0;

    if (argc > 1) {
        for (i = 1; i < argc && rc == 0; i++)
            rc = run_path(argv[i], &count);
    } else {
        const char *top = getenv("top_srcdir");
        char dir[4096];
        snprintf(dir, sizeof dir, "%s/tests/fuzz/corpus/%s", top ? top : ".", FUZZ_CORPUS);
        rc = run_path(dir, &count);
    }
    if (rc != 0)
        return 99;
    if (count == 0) {
        fprintf(stderr, "no input files\n");
        return 99;
    }
    printf("%s: %zu inputs, every invariant held\n", argv[0], count);
    return 0;
}
