/*
 * cors-check - evaluate a CORS request against a policy, or lint a policy,
 * from the shell.  See cors-check(1).
 *
 *   cors-check [-p POLICY_FILE] [--explain] [REQUEST_FILE]
 *   cors-check [-p POLICY_FILE] --lint
 *   cors-check [-p POLICY_FILE] --show-policy
 *
 * Exit status: 0 allowed (or not CORS), 1 denied, 2 usage, policy or
 * request error.  The program is also the shortest complete example of a
 * libcors host: build a policy, fill a cors_request, call cors_evaluate()
 * and write the headers it emits.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cors.h"
#include "cors-check-request.h"

#define PROGRAM "cors-check"

enum { EXIT_ALLOWED = 0, EXIT_DENIED = 1, EXIT_TROUBLE = 2 };

/* The seed's example server (see the README): any origin may use GET, PUT,
   POST and DELETE with Content-Type and Accept, and preflights are
   answered "200 OK" as that server does.  Kept identical, line for line,
   to examples/cors-check/default-policy.txt so that --lint reports the same lines. */
static const char default_policy[] =
    "# cors-check's built-in policy: the seed example's server.\n"
    "# Any origin may use GET, PUT, POST and DELETE with the headers\n"
    "# Content-Type and Accept; preflights are answered \"200 OK\".\n"
    "allow-origin      *\n"
    "allow-methods     GET PUT POST DELETE\n"
    "allow-headers     Content-Type, Accept\n"
    "preflight-status  200\n";

#define DEFAULT_POLICY_NAME "<built-in>"
#define STDIN_NAME "<stdin>"

/* Policies with very many origins are legitimate; a multi-megabyte one is
   still far beyond any real configuration and most likely the wrong file. */
#define POLICY_MAX (16u * 1024u * 1024u)

static void usage(FILE *f)
{
    fputs("usage: " PROGRAM " [-p POLICY_FILE] [--explain] [REQUEST_FILE]\n"
          "       " PROGRAM " [-p POLICY_FILE] --lint\n"
          "       " PROGRAM " [-p POLICY_FILE] --show-policy\n",
          f);
}

static void help(void)
{
    usage(stdout);
    fputs("\nEvaluates a raw HTTP/1.x request head (from REQUEST_FILE or standard input)\n"
          "against a CORS policy and prints the response head a server should send.\n"
          "\n"
          "  -p, --policy=FILE  read the policy from FILE (libcors-policy(5) format);\n"
          "                     default: the built-in seed example policy\n"
          "      --explain      write the outcome and the reason for a denial to stderr\n"
          "      --lint         print every error and warning of the policy\n"
          "      --show-policy  print the effective policy, normalized\n"
          "  -h, --help         show this help\n"
          "  -V, --version      show the version\n"
          "\n"
          "Exit status: 0 allowed or not CORS, 1 denied, 2 usage, policy or request error.\n",
          stdout);
}

/* Reads at most limit bytes; *truncated says more followed.  Returns 0, or
   -1 with errno set. */
static int read_stream(FILE *f, size_t limit, char **out, size_t *len, int *truncated)
{
    char *buf = NULL;
    size_t n = 0, cap = 0;

    *truncated = 0;
    for (;;) {
        size_t got, want;
        if (n == cap) {
            size_t ncap = cap ? cap * 2 : 8192;
            char *p;
            if (ncap > limit + 1)
                ncap = limit + 1;
            p = realloc(buf, ncap);
            if (!p) {
                free(buf);
                errno = ENOMEM;
                return -1;
            }
            buf = p;
            cap = ncap;
        }
        want = cap - n;
        got = fread(buf + n, 1, want, f);
        n += got;
        if (n > limit) {
            *truncated = 1;
            n = limit;
            break;
        }
        if (got < want) {
            if (ferror(f)) {
                int e = errno ? errno : EIO;
                free(buf);
                errno = e;
                return -1;
            }
            break;
        }
    }
    *out = buf;
    *len = n;
    return 0;
}

/* Reads a whole file ("-" is standard input) into *out.  Prints why not. */
static int read_input(const char *path, size_t limit, char **out, size_t *len,
                      int *truncated)
{
    FILE *f = stdin;
    int rc;

    if (strcmp(path, "-") != 0) {
        f = fopen(path, "rb");
        if (!f) {
            fprintf(stderr, PROGRAM ": %s: %s\n", path, strerror(errno));
            return -1;
        }
    }
    errno = 0;
    rc = read_stream(f, limit, out, len, truncated);
    if (rc != 0)
        fprintf(stderr, PROGRAM ": %s: %s\n", f == stdin ? STDIN_NAME : path,
                strerror(errno));
    if (f != stdin)
        fclose(f);
    return rc;
}

/* ------------------------------------------------------------- the policy */

typedef struct diag_ref {
    const cors_diagnostic *d;
    size_t index;
} diag_ref;

static int diag_cmp(const void *a, const void *b)
{
    const diag_ref *x = a, *y = b;
    /* Whole-policy diagnostics (line 0) come last; otherwise file order,
       and the order found within a line. */
    unsigned lx = x->d->line ? x->d->line : ~0u, ly = y->d->line ? y->d->line : ~0u;

    if (lx != ly)
        return lx < ly ? -1 : 1;
    return x->index < y->index ? -1 : x->index > y->index;
}

/* Prints every diagnostic as FILE:LINE: severity: message. */
static int print_diagnostics(const cors_builder *b, const char *name, FILE *f)
{
    size_t i, n = cors_builder_diagnostic_count(b);
    diag_ref *refs;

    if (n == 0)
        return 0;
    refs = malloc(n * sizeof *refs);
    if (!refs) {
        fprintf(stderr, PROGRAM ": out of memory\n");
        return -1;
    }
    for (i = 0; i < n; i++) {
        refs[i].d = cors_builder_diagnostic(b, i);
        refs[i].index = i;
    }
    qsort(refs, n, sizeof *refs, diag_cmp);
    for (i = 0; i < n; i++) {
        const cors_diagnostic *d = refs[i].d;
        const char *sev = d->severity == CORS_SEVERITY_ERROR ? "error" : "warning";
        if (d->line)
            fprintf(f, "%s:%u: %s: %s\n", name, d->line, sev, d->message);
        else
            fprintf(f, "%s: %s: %s\n", name, sev, d->message);
    }
    free(refs);
    return 0;
}

/* ------------------------------------------------------------- the answer */

typedef struct header {
    char *name;
    size_t name_len;
    char *value;
    size_t value_len;
} header;

typedef struct collected {
    header h[CORS_MAX_HEADERS];
    size_t n;
} collected;

static int collect(void *ctx, const char *name, size_t name_len, const char *value,
                   size_t value_len, unsigned flags)
{
    collected *c = ctx;
    header *h;

    /* One response is printed, so SET and MERGE both mean "write it". */
    (void)flags;
    if (c->n == CORS_MAX_HEADERS)
        return 1;
    h = &c->h[c->n];
    h->name = malloc(name_len + 1);
    h->value = malloc(value_len + 1);
    if (!h->name || !h->value) {
        free(h->name);
        free(h->value);
        return 1;
    }
    memcpy(h->name, name, name_len);
    memcpy(h->value, value, value_len);
    h->name_len = name_len;
    h->value_len = value_len;
    c->n++;
    return 0;
}

static void collected_free(collected *c)
{
    size_t i;

    for (i = 0; i < c->n; i++) {
        free(c->h[i].name);
        free(c->h[i].value);
    }
    c->n = 0;
}

static const char *reason_phrase(int status)
{
    /* RFC 9110, 15.3, plus the registered WebDAV ones. */
    switch (status) {
    case 200: return "OK";
    case 201: return "Created";
    case 202: return "Accepted";
    case 203: return "Non-Authoritative Information";
    case 204: return "No Content";
    case 205: return "Reset Content";
    case 206: return "Partial Content";
    case 207: return "Multi-Status";
    case 208: return "Already Reported";
    case 226: return "IM Used";
    /* 4xx, for preflight-denied-status: RFC 9110, 15.5, and the other
       registered ones. */
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 402: return "Payment Required";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 406: return "Not Acceptable";
    case 407: return "Proxy Authentication Required";
    case 408: return "Request Timeout";
    case 409: return "Conflict";
    case 410: return "Gone";
    case 411: return "Length Required";
    case 412: return "Precondition Failed";
    case 413: return "Content Too Large";
    case 414: return "URI Too Long";
    case 415: return "Unsupported Media Type";
    case 416: return "Range Not Satisfiable";
    case 417: return "Expectation Failed";
    case 421: return "Misdirected Request";
    case 422: return "Unprocessable Content";
    case 423: return "Locked";
    case 424: return "Failed Dependency";
    case 425: return "Too Early";
    case 426: return "Upgrade Required";
    case 428: return "Precondition Required";
    case 429: return "Too Many Requests";
    case 431: return "Request Header Fields Too Large";
    case 451: return "Unavailable For Legal Reasons";
    }
    /* RFC 9112, 4: the reason phrase may be empty. */
    return "";
}

static int is_denial(cors_outcome o)
{
    return o == CORS_OUTCOME_PREFLIGHT_DENIED || o == CORS_OUTCOME_ACTUAL_DISALLOWED;
}

static int is_preflight(cors_outcome o)
{
    return o == CORS_OUTCOME_PREFLIGHT_ACCEPTED || o == CORS_OUTCOME_PREFLIGHT_DENIED;
}

/* Drops every Access-Control-* header: a denied request gets none
   (Fetch, 3.2.3), but Vary stays for caches. */
static void strip_cors_headers(collected *c)
{
    static const char prefix[] = "access-control-";
    size_t i, o = 0, k;

    for (i = 0; i < c->n; i++) {
        int cors = c->h[i].name_len >= sizeof prefix - 1;
        for (k = 0; cors && k < sizeof prefix - 1; k++) {
            char ch = c->h[i].name[k];
            if (ch >= 'A' && ch <= 'Z')
                ch = (char)(ch + 32);
            cors = ch == prefix[k];
        }
        if (cors) {
            free(c->h[i].name);
            free(c->h[i].value);
            continue;
        }
        c->h[o++] = c->h[i];
    }
    c->n = o;
}

static void write_response(int status, const collected *c)
{
    size_t i;

    printf("HTTP/1.1 %d %s\r\n", status, reason_phrase(status));
    for (i = 0; i < c->n; i++) {
        fwrite(c->h[i].name, 1, c->h[i].name_len, stdout);
        fputs(": ", stdout);
        fwrite(c->h[i].value, 1, c->h[i].value_len, stdout);
        fputs("\r\n", stdout);
    }
    fputs("\r\n", stdout);
}

static int evaluate(const cors_policy *policy, const char *request_path, int explain)
{
    char *data = NULL, msg[512], why[1024];
    size_t len = 0;
    int truncated = 0, status, rc;
    unsigned line = 0;
    cc_request req;
    cc_parse_status st;
    cors_request cr;
    cors_result res;
    collected c;
    cors_error err;
    const char *name = strcmp(request_path, "-") == 0 ? STDIN_NAME : request_path;

    if (read_input(request_path, CC_HEAD_MAX, &data, &len, &truncated) != 0)
        return EXIT_TROUBLE;
    st = cc_request_parse(&req, data, len, truncated, &line, msg, sizeof msg);
    if (st != CC_PARSE_OK) {
        if (st == CC_PARSE_NOMEM)
            fprintf(stderr, PROGRAM ": out of memory\n");
        else if (line)
            fprintf(stderr, PROGRAM ": %s:%u: %s\n", name, line, msg);
        else
            fprintf(stderr, PROGRAM ": %s: %s\n", name, msg);
        cc_request_free(&req);
        free(data);
        return EXIT_TROUBLE;
    }

    cc_request_fill(&req, &cr);
    cors_result_init(&res);
    c.n = 0;
    err = cors_evaluate(policy, &cr, collect, &c, &res);
    if (err != CORS_OK) {
        fprintf(stderr, PROGRAM ": evaluation failed: %s\n",
                err == CORS_ERR_EMIT ? "out of memory" : cors_strerror(err));
        collected_free(&c);
        cc_request_free(&req);
        free(data);
        return EXIT_TROUBLE;
    }

    /* Several Origin lines were combined into "a, b", which is no origin:
       libcors denies such a preflight itself, with the policy's status.
       An actual request is the same for every origin under "*", so libcors
       allows it there; but a user agent never sends more than one Origin
       (RFC 6454, 7.3), so such a request is forged or mangled, and this
       tool refuses it whatever the policy. */
    if (req.origin.lines > 1) {
        if (res.outcome == CORS_OUTCOME_ACTUAL_ALLOWED)
            res.outcome = CORS_OUTCOME_ACTUAL_DISALLOWED;
        strip_cors_headers(&c);
        snprintf(why, sizeof why,
                 "the request has %zu Origin header lines; a request carries one origin at "
                 "most, so it is never allowed",
                 req.origin.lines);
    } else {
        cors_result_describe(policy, &res, why, sizeof why);
    }

    status = is_preflight(res.outcome) ? res.status : 200;
    write_response(status, &c);
    rc = is_denial(res.outcome) ? EXIT_DENIED : EXIT_ALLOWED;
    if (explain) {
        if (is_denial(res.outcome))
            fprintf(stderr, "%s: %s\n", cors_outcome_string(res.outcome), why);
        else
            fprintf(stderr, "%s\n", cors_outcome_string(res.outcome));
    }
    collected_free(&c);
    cc_request_free(&req);
    free(data);
    return rc;
}

/* -------------------------------------------------------------------- main */

enum mode { MODE_EVALUATE, MODE_LINT, MODE_SHOW };

enum { OPT_EXPLAIN = 256, OPT_LINT, OPT_SHOW };

/* The message is before, arg and after joined; -Wformat=2 rules out a
   variable format string. */
static int usage_error(const char *before, const char *arg, const char *after)
{
    fprintf(stderr, PROGRAM ": %s%s%s\n", before, arg, after);
    usage(stderr);
    return EXIT_TROUBLE;
}

static int finish_output(int rc)
{
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, PROGRAM ": error writing standard output: %s\n", strerror(errno));
        return EXIT_TROUBLE;
    }
    return rc;
}

static int show_policy(const cors_policy *policy)
{
    size_t need = cors_policy_to_text(policy, NULL, 0);
    char *text = malloc(need + 1);

    if (!text) {
        fprintf(stderr, PROGRAM ": out of memory\n");
        return EXIT_TROUBLE;
    }
    cors_policy_to_text(policy, text, need + 1);
    fwrite(text, 1, need, stdout);
    free(text);
    return EXIT_ALLOWED;
}

int main(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"policy", required_argument, NULL, 'p'},
        {"explain", no_argument, NULL, OPT_EXPLAIN},
        {"lint", no_argument, NULL, OPT_LINT},
        {"show-policy", no_argument, NULL, OPT_SHOW},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0},
    };
    const char *policy_path = NULL, *request_path = "-", *policy_name = DEFAULT_POLICY_NAME;
    char *text = NULL, bad[3] = "-?";
    const char *policy_text = default_policy;
    size_t text_len = sizeof default_policy - 1;
    int opt, explain = 0, truncated = 0, rc;
    enum mode mode = MODE_EVALUATE;
    int modes = 0;
    cors_builder *b;
    cors_policy *policy = NULL;
    cors_error err;

    opterr = 0;
    while ((opt = getopt_long(argc, argv, ":p:hV", longopts, NULL)) != -1) {
        switch (opt) {
        case 'p':
            policy_path = optarg;
            break;
        case OPT_EXPLAIN:
            explain = 1;
            break;
        case OPT_LINT:
            mode = MODE_LINT;
            modes++;
            break;
        case OPT_SHOW:
            mode = MODE_SHOW;
            modes++;
            break;
        case 'h':
            help();
            return finish_output(EXIT_ALLOWED);
        case 'V':
            printf(PROGRAM " (libcors) %s\n", cors_version_string());
            return finish_output(EXIT_ALLOWED);
        case ':':
            if (optopt) {
                bad[1] = (char)optopt;
                return usage_error("option ", bad, " needs an argument");
            }
            return usage_error("option ", argv[optind - 1], " needs an argument");
        default:
            if (optopt) {
                bad[1] = (char)optopt;
                return usage_error("unknown option ", bad, "");
            }
            return usage_error("unknown option ", argv[optind - 1], "");
        }
    }
    if (modes > 1)
        return usage_error("--lint and --show-policy cannot be combined", "", "");
    if (mode != MODE_EVALUATE && explain)
        return usage_error("--explain only applies when evaluating a request", "", "");
    if (mode != MODE_EVALUATE && optind < argc)
        return usage_error("a request file (", argv[optind],
                           ") only applies when evaluating a request");
    if (optind < argc)
        request_path = argv[optind++];
    if (optind < argc)
        return usage_error("unexpected argument ", argv[optind],
                           ": give at most one request file");

    if (policy_path) {
        if (strcmp(policy_path, "-") == 0 && mode == MODE_EVALUATE &&
            strcmp(request_path, "-") == 0)
            return usage_error("the policy and the request cannot both come from "
                               "standard input", "", "");
        if (read_input(policy_path, POLICY_MAX, &text, &text_len, &truncated) != 0)
            return EXIT_TROUBLE;
        policy_name = strcmp(policy_path, "-") == 0 ? STDIN_NAME : policy_path;
        if (truncated) {
            fprintf(stderr, PROGRAM ": %s: the policy is larger than %u bytes\n", policy_name,
                    POLICY_MAX);
            free(text);
            return EXIT_TROUBLE;
        }
        policy_text = text;
    }

    b = cors_builder_new(NULL);
    if (!b) {
        fprintf(stderr, PROGRAM ": out of memory\n");
        free(text);
        return EXIT_TROUBLE;
    }
    /* Parse errors are in the diagnostics; building then adds the checks
       that need the whole policy, so that one run reports everything. */
    cors_builder_parse(b, policy_text, text_len);
    err = cors_builder_build(b, &policy);
    if (err != CORS_OK && err != CORS_ERR_POLICY) {
        fprintf(stderr, PROGRAM ": %s: %s\n", policy_name, cors_strerror(err));
        rc = EXIT_TROUBLE;
    } else if (mode == MODE_LINT) {
        rc = print_diagnostics(b, policy_name, stdout) != 0 || cors_builder_error_count(b)
                 ? EXIT_TROUBLE
                 : EXIT_ALLOWED;
    } else if (err == CORS_ERR_POLICY) {
        size_t n = cors_builder_error_count(b);
        print_diagnostics(b, policy_name, stderr);
        fprintf(stderr, PROGRAM ": %s: the policy has %zu error%s\n",
                policy_name, n, n == 1 ? "" : "s");
        rc = EXIT_TROUBLE;
    } else if (mode == MODE_SHOW) {
        rc = show_policy(policy);
    } else {
        rc = evaluate(policy, request_path, explain);
    }
    cors_policy_free(policy);
    cors_builder_free(b);
    free(text);
    return finish_output(rc);
}
