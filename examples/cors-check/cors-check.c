/*
 * cors-check - the CORS debugger: evaluate a request against a policy,
 * judge a server's actual answer as a browser does, or lint a policy.
 * See cors-check(1).
 *
 *   cors-check [-p POLICY] [options] [REQUEST_FILE]     evaluate a request
 *   cors-check [-p POLICY] --origin O [--method M] [--header H]...
 *   cors-check --response RESPONSE_FILE [REQUEST_FILE]   judge a response
 *   cors-check [-p POLICY] FILE.har                      every HAR entry
 *   cors-check [-p POLICY] --lint [--strict] | --show-policy
 *
 * Requests are read as HTTP/1.x heads (HTTP/2 and HTTP/3 request lines
 * too), Chrome's HTTP/2 copy, curl -v output, a "Copy as cURL" command or
 * a HAR file, detected from the text.  Exit status: 0 allowed (or not
 * CORS), 1 denied or blocked, 2 usage, policy or input error.  The program
 * is also a complete example of a libcors host: build a policy, fill a
 * cors_request, call cors_evaluate() and write the headers it emits; and
 * of the browser side, cors_check_response().
 */
#ifdef HAVE_CONFIG_H
#include <config.h>
#endif

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cors.h"
#include "cors-check-curl.h"
#include "cors-check-har.h"
#include "cors-check-output.h"
#include "cors-check-request.h"
#include "cors-check-response.h"

#define PROGRAM "cors-check"

enum { EXIT_ALLOWED = 0, EXIT_DENIED = 1, EXIT_TROUBLE = 2 };

/* A messaging app's server, the README's first demo: any origin may use
   GET, PUT, POST and DELETE with Content-Type and Accept, and preflights
   are answered "200 OK" as that server does.  Kept identical, line for
   line, to examples/cors-check/default-policy.txt so that --lint reports
   the same lines. */
static const char default_policy[] =
    "# cors-check's built-in policy: a messaging app's API server.\n"
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

#define MAX_FLAG_HEADERS 64

enum mode { MODE_EVALUATE, MODE_LINT, MODE_SHOW };
enum { FMT_AUTO = -1, FMT_CURL = 10, FMT_HAR = 11 };

typedef struct opts {
    const char *policy_path, *request_path, *response_path;
    const char *origin, *method;
    const char *headers[MAX_FLAG_HEADERS];
    size_t nheaders;
    int credentials, chromium, explain, quiet, json, strict, input_format;
    enum mode mode;
} opts;

/* Everything an evaluation needs besides the request. */
typedef struct run {
    const opts *o;
    const cors_policy *policy;  /* NULL when judging recorded responses only */
    const char *policy_name;
    int builtin;                /* the built-in policy: say so before using it */
} run;

static void usage(FILE *f)
{
    fputs("usage: " PROGRAM " [-p POLICY] [-q|--explain] [--format text|json] [--credentials]\n"
          "                  [--input-format FORMAT] [REQUEST_FILE|HAR_FILE]\n"
          "       " PROGRAM " [-p POLICY] --origin ORIGIN [--method METHOD] [--header NAME]...\n"
          "       " PROGRAM " --response RESPONSE_FILE [REQUEST_FILE]\n"
          "       " PROGRAM " [-p POLICY] --lint [--strict] [--format text|json]\n"
          "       " PROGRAM " [-p POLICY] --show-policy\n",
          f);
}

static void help(void)
{
    usage(stdout);
    fputs("\nEvaluates a CORS request against a policy and prints the response head a\n"
          "server should send, or judges the response a server did send as a browser\n"
          "would.  The verdict goes to standard error.\n"
          "\n"
          "  -p, --policy=FILE        the policy (libcors-policy(5)); default: the built-in\n"
          "                           example policy\n"
          "  -q, --quiet              no verdict line\n"
          "      --explain            the verdict, the request as read and the browser's view\n"
          "      --format=text|json   output for evaluation and lint\n"
          "      --input-format=F     http1, h2, curl-v, curl or har (default: detected)\n"
          "      --response=FILE      judge this response (status line and headers)\n"
          "      --origin=ORIGIN      build the request: what fetch() from ORIGIN sends\n"
          "      --method=METHOD      ... with this method (default GET)\n"
          "      --header=NAME[:VAL]  ... and this request header (repeatable)\n"
          "      --credentials        the request includes credentials\n"
          "      --chromium           judge responses as Chromium does where it differs\n"
          "      --lint               print every error and warning of the policy\n"
          "      --strict             with --lint: warnings fail too (exit 1)\n"
          "      --show-policy        print the effective policy, normalized\n"
          "  -h, --help               show this help\n"
          "  -V, --version            show the version\n"
          "\n"
          "Exit status: 0 allowed or not CORS, 1 denied or blocked (lint --strict:\n"
          "warnings), 2 usage, policy or input error.\n",
          stdout);
}

/* ------------------------------------------------------------------ input */

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

static const char *display_name(const char *path)
{
    return strcmp(path, "-") == 0 ? STDIN_NAME : path;
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
        fprintf(stderr, PROGRAM ": %s: %s\n", display_name(path), strerror(errno));
    if (f != stdin)
        fclose(f);
    return rc;
}

static int starts(const char *s, size_t n, const char *lit)
{
    size_t k = strlen(lit);

    return n >= k && memcmp(s, lit, k) == 0;
}

/* The format of a pasted request, from its first non-blank bytes. */
static int detect_format(const char *d, size_t n)
{
    size_t i = 0;

    while (i < n && (d[i] == ' ' || d[i] == '\t' || d[i] == '\r' || d[i] == '\n'))
        i++;
    d += i, n -= i;
    if (n && d[0] == '{')
        return FMT_HAR;
    if (starts(d, n, "$ "))
        d += 2, n -= 2;
    if (starts(d, n, "curl ") || starts(d, n, "curl\t") || starts(d, n, "curl.exe "))
        return FMT_CURL;
    if (starts(d, n, "* ") || starts(d, n, "> ") || starts(d, n, "< ") || starts(d, n, ">\n") ||
        starts(d, n, ">\r\n"))
        return CC_FORMAT_CURL_V;
    if (n && d[0] == ':')
        return CC_FORMAT_H2;
    return CC_FORMAT_HTTP1;
}

static int parse_format_name(const char *s)
{
    static const struct { const char *name; int fmt; } names[] = {
        {"auto", FMT_AUTO}, {"http1", CC_FORMAT_HTTP1}, {"h2", CC_FORMAT_H2},
        {"curl-v", CC_FORMAT_CURL_V}, {"curl", FMT_CURL}, {"har", FMT_HAR},
    };
    size_t i;

    for (i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcmp(s, names[i].name) == 0)
            return names[i].fmt;
    return -2;
}

/* Reports a reader's error as FILE:LINE: message. */
static int input_error(cc_parse_status st, const char *name, unsigned line, const char *msg)
{
    if (st == CC_PARSE_NOMEM)
        fprintf(stderr, PROGRAM ": out of memory\n");
    else if (line)
        fprintf(stderr, PROGRAM ": %s:%u: %s\n", name, line, msg);
    else
        fprintf(stderr, PROGRAM ": %s: %s\n", name, msg);
    return EXIT_TROUBLE;
}

static cc_parse_status parse_request(cc_request *r, int fmt, const char *data, size_t len,
                                     int truncated, unsigned *line, char *msg, size_t size)
{
    if (fmt == FMT_CURL)
        return cc_curl_parse(r, data, len, truncated, line, msg, size);
    /* Heads are bounded well below HAR files. */
    if (len > CC_HEAD_MAX) {
        len = CC_HEAD_MAX;
        truncated = 1;
    }
    return cc_request_parse(r, (cc_format)fmt, data, len, truncated, line, msg, size);
}

/* ----------------------------------------------------------- the policy */

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

/* The diagnostics in report order; NULL (and a message) when out of memory
   or when there are none (*n is then 0). */
static diag_ref *sorted_diagnostics(const cors_builder *b, size_t *n)
{
    size_t i;
    diag_ref *refs;

    *n = cors_builder_diagnostic_count(b);
    if (*n == 0)
        return NULL;
    refs = malloc(*n * sizeof *refs);
    if (!refs) {
        fprintf(stderr, PROGRAM ": out of memory\n");
        return NULL;
    }
    for (i = 0; i < *n; i++) {
        refs[i].d = cors_builder_diagnostic(b, i);
        refs[i].index = i;
    }
    qsort(refs, *n, sizeof *refs, diag_cmp);
    return refs;
}

static const char *severity_name(const cors_diagnostic *d)
{
    return d->severity == CORS_SEVERITY_ERROR ? "error" : "warning";
}

/* Prints every diagnostic as FILE:LINE: severity: message [id], the id
   being the one libcors-policy(5) explains (as compilers name a warning's
   flag). */
static int print_diagnostics(const cors_builder *b, const char *name, FILE *f)
{
    size_t i, n;
    diag_ref *refs = sorted_diagnostics(b, &n);

    if (n && !refs)
        return -1;
    for (i = 0; i < n; i++) {
        const cors_diagnostic *d = refs[i].d;
        if (d->line)
            fprintf(f, "%s:%u: %s: %s [%s]\n", name, d->line, severity_name(d), d->message,
                    d->id);
        else
            fprintf(f, "%s: %s: %s [%s]\n", name, severity_name(d), d->message, d->id);
    }
    free(refs);
    return 0;
}

static int print_diagnostics_json(const cors_builder *b, const char *name, FILE *f)
{
    size_t i, n, nerr = cors_builder_error_count(b);
    diag_ref *refs = sorted_diagnostics(b, &n);

    if (n && !refs)
        return -1;
    fputs("{\"mode\":\"lint\",", f);
    cc_json_kv(f, "policy", name);
    fprintf(f, ",\"errors\":%zu,\"warnings\":%zu,\"diagnostics\":[", nerr, n - nerr);
    for (i = 0; i < n; i++) {
        const cors_diagnostic *d = refs[i].d;
        fprintf(f, "%s{", i ? "," : "");
        cc_json_kv(f, "severity", severity_name(d));
        fputs(",", f);
        cc_json_kv(f, "id", d->id);
        fprintf(f, ",\"line\":%u,", d->line);
        cc_json_kv(f, "message", d->message);
        fputs("}", f);
    }
    fputs("]}\n", f);
    free(refs);
    return 0;
}

static int lint(const cors_builder *b, const opts *o, const char *name)
{
    size_t nerr = cors_builder_error_count(b);
    int rc = o->json ? print_diagnostics_json(b, name, stdout)
                     : print_diagnostics(b, name, stdout);

    if (rc != 0 || nerr)
        return EXIT_TROUBLE;
    /* --strict: a warning fails the lint like a denial fails a check. */
    return o->strict && cors_builder_diagnostic_count(b) > 0 ? EXIT_DENIED : EXIT_ALLOWED;
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

/* ------------------------------------------------------------ one step */

/* One request evaluated against the policy, and the policy's answer judged
   as the browser will judge it. */
typedef struct step {
    const char *label;        /* "preflight", "actual request" or NULL */
    cors_result res;
    cc_collected c;
    int status;
    cors_verdict v;           /* the browser's view of the answer */
    char why[1024];           /* the policy's reason */
    char browser[1024];       /* the browser's reason */
} step;

static int is_denial(cors_outcome o)
{
    return o == CORS_OUTCOME_PREFLIGHT_DENIED || o == CORS_OUTCOME_ACTUAL_DISALLOWED;
}

static int is_preflight(cors_outcome o)
{
    return o == CORS_OUTCOME_PREFLIGHT_ACCEPTED || o == CORS_OUTCOME_PREFLIGHT_DENIED;
}

static unsigned check_flags(const opts *o, const cc_request *req)
{
    return (o->credentials || req->cookie ? CORS_CHECK_CREDENTIALS : 0u) |
           (o->chromium ? CORS_CHECK_CHROMIUM : 0u);
}

/* The browser's judgement of the answer the policy produced. */
static void judge_answer(const cors_request *cr, unsigned flags, step *s)
{
    cors_header views[CORS_MAX_HEADERS];
    cors_response resp;

    cors_response_init(&resp);
    resp.status = s->status;
    resp.headers = views;
    resp.headers_count = cc_collected_views(&s->c, views);
    cors_verdict_init(&s->v);
    cors_check_response(cr, &resp, flags, &s->v);
    cors_verdict_describe(cr, &s->v, s->browser, sizeof s->browser);
}

static int evaluate_step(const run *rn, const cc_request *req, step *s)
{
    cors_request cr;
    cors_fields f;
    cors_error err;

    /* Repeated Origin (or Access-Control-Request-Method) lines reach
       libcors as such, through cors_fields_add(), which refuses them
       whatever the policy: a user agent never sends them (RFC 6454, 7.3). */
    cc_request_fill(req, &cr, &f);
    cors_result_init(&s->res);
    s->c.n = 0;
    err = cors_evaluate(rn->policy, &cr, cc_collect, &s->c, &s->res);
    if (err != CORS_OK) {
        fprintf(stderr, PROGRAM ": evaluation failed: %s\n",
                err == CORS_ERR_EMIT ? "out of memory" : cors_strerror(err));
        return -1;
    }
    cors_result_describe(rn->policy, &s->res, s->why, sizeof s->why);
    s->status = is_preflight(s->res.outcome) ? s->res.status : 200;
    /* A browser applies no CORS check to a same-origin response (Fetch 4.1
       "main fetch": the response is basic). */
    if (s->res.outcome == CORS_OUTCOME_SAME_ORIGIN) {
        cors_verdict_init(&s->v);
        snprintf(s->browser, sizeof s->browser, "same-origin: the page reads the response");
    } else {
        judge_answer(&cr, check_flags(rn->o, req), s);
    }
    return 0;
}

/* Denied by the policy, or the browser refuses what the policy answered. */
static int step_failed(const step *s)
{
    return is_denial(s->res.outcome) || s->v.block != CORS_BLOCK_NONE;
}

/* The policy's verdict, without the line end (HAR lines go on after it). */
static void print_verdict_text(FILE *f, const step *s)
{
    const char *outcome = cors_outcome_string(s->res.outcome);

    if (is_denial(s->res.outcome))
        fprintf(f, "%s: %s", outcome, s->why);
    else if (s->v.block != CORS_BLOCK_NONE)
        fprintf(f, "%s, but the browser refuses the answer: %s", outcome, s->browser);
    else
        fputs(outcome, f);
}

/* One request field for --explain: quoted, escaped and bounded, since it
   may hold anything. */
static void explain_field(const char *name, const char *v, size_t n)
{
    char q[300];

    cc_quote(q, sizeof q, v, n, 200);
    fprintf(stderr, "  %s: %s\n", name, q);
}

static void print_request_text(const cc_request *r)
{
    char m[100], t[300];
    size_t k;

    cc_quote(m, sizeof m, r->method, r->method_len, 40);
    cc_quote(t, sizeof t, r->target ? r->target : "-", r->target ? r->target_len : 1, 200);
    fprintf(stderr, "request: %s %s\n", m, t);
    if (r->origin.ptr)
        explain_field("Origin", r->origin.ptr, r->origin.len);
    if (r->request_method.ptr)
        explain_field("Access-Control-Request-Method", r->request_method.ptr,
                      r->request_method.len);
    for (k = 0; k < r->request_headers_count && k < 8; k++)
        explain_field("Access-Control-Request-Headers", r->request_headers[k].ptr,
                      r->request_headers[k].len);
    if (r->private_network.ptr)
        explain_field("Access-Control-Request-Private-Network", r->private_network.ptr,
                      r->private_network.len);
}

static void print_step_text(const run *rn, const cc_request *req, const step *s)
{
    cc_write_response(stdout, s->status, &s->c);
    if (rn->o->quiet)
        return;
    print_verdict_text(stderr, s);
    fputc('\n', stderr);
    if (!rn->o->explain)
        return;
    print_request_text(req);
    fprintf(stderr, "policy: %s\n", rn->policy_name);
    fprintf(stderr, "browser: %s\n", s->browser);
}

static void print_step_json(const step *s)
{
    size_t i;

    fputs("{", stdout);
    cc_json_kv(stdout, "step", s->label);
    fputs(",", stdout);
    cc_json_kv(stdout, "outcome", cors_outcome_string(s->res.outcome));
    fprintf(stdout, ",\"allowed\":%s,\"status\":%d,", step_failed(s) ? "false" : "true",
            s->status);
    cc_json_kv(stdout, "reason",
               is_denial(s->res.outcome) ? cors_reason_string(s->res.reason) : NULL);
    fputs(",", stdout);
    cc_json_kv(stdout, "message", is_denial(s->res.outcome) ? s->why : NULL);
    fputs(",\"headers\":[", stdout);
    for (i = 0; i < s->c.n; i++) {
        fputs(i ? ",{\"name\":" : "{\"name\":", stdout);
        cc_json_str(stdout, s->c.h[i].name, s->c.h[i].name_len);
        fputs(",\"value\":", stdout);
        cc_json_str(stdout, s->c.h[i].value, s->c.h[i].value_len);
        fputs("}", stdout);
    }
    fprintf(stdout, "],\"browser\":{\"allowed\":%s,",
            s->v.block == CORS_BLOCK_NONE ? "true" : "false");
    cc_json_kv(stdout, "block", cors_block_string(s->v.block));
    fputs(",", stdout);
    cc_json_kv(stdout, "message", s->browser);
    fprintf(stdout, ",\"chromium_differs\":%s}}", s->v.chromium_differs ? "true" : "false");
}

/* Without -p the answers come from an example policy, which may not be what
   the user's server does: say so, once, before the first result. */
static void builtin_notice(const run *rn)
{
    if (rn->builtin && !rn->o->quiet)
        fprintf(stderr, PROGRAM ": no policy given (-p): using the built-in example policy "
                        "(any origin; GET, PUT, POST, DELETE; Content-Type, Accept)\n");
}

/* Evaluates the steps of one request (a preflight and the actual request
   from flags, or the one request read) and prints them. */
static int report_steps(const run *rn, const cc_request *const *reqs, size_t n)
{
    step s[2];
    size_t i, done = 0;
    int failed = 0, rc = EXIT_ALLOWED;

    builtin_notice(rn);
    if (rn->o->json)
        fputs("{\"mode\":\"evaluate\",\"steps\":[", stdout);
    for (i = 0; i < n && !failed; i++) {
        s[i].label = n == 1 ? NULL : i == 0 ? "preflight" : "actual request";
        if (evaluate_step(rn, reqs[i], &s[i]) != 0) {
            rc = EXIT_TROUBLE;
            cc_collected_free(&s[i].c);
            break;
        }
        done++;
        failed = step_failed(&s[i]);
        if (rn->o->json) {
            if (i)
                fputs(",", stdout);
            print_step_json(&s[i]);
        } else {
            print_step_text(rn, reqs[i], &s[i]);
        }
    }
    if (rn->o->json)
        fprintf(stdout, "],\"allowed\":%s}\n", failed ? "false" : "true");
    for (i = 0; i < done; i++)
        cc_collected_free(&s[i].c);
    return rc != EXIT_ALLOWED ? rc : failed ? EXIT_DENIED : EXIT_ALLOWED;
}

/* -------------------------------------------------- judging a response */

static int judge_response(const opts *o, const cc_request *req, const cc_response *resp,
                          cors_verdict *v, char *why, size_t size)
{
    cors_request cr;
    cors_response cresp;
    cors_fields f;

    cc_request_fill(req, &cr, &f);
    cc_response_fill(resp, &cresp);
    cors_verdict_init(v);
    if (cors_check_response(&cr, &cresp, check_flags(o, req), v) != CORS_OK)
        return -1;
    cors_verdict_describe(&cr, v, why, size);
    return 0;
}

static int run_response(const opts *o, const cc_request *req)
{
    char *data = NULL, msg[512], why[1024];
    size_t len = 0;
    int truncated = 0, fmt;
    unsigned line = 0;
    cc_response resp;
    cc_parse_status st;
    cors_verdict v;
    int rc;

    if (read_input(o->response_path, CC_HEAD_MAX, &data, &len, &truncated) != 0)
        return EXIT_TROUBLE;
    fmt = detect_format(data, len) == CC_FORMAT_CURL_V ? CC_FORMAT_CURL_V : CC_FORMAT_HTTP1;
    st = cc_response_parse(&resp, (cc_format)fmt, data, len, truncated, &line, msg, sizeof msg);
    if (st != CC_PARSE_OK)
        rc = input_error(st, display_name(o->response_path), line, msg);
    else if (judge_response(o, req, &resp, &v, why, sizeof why) != 0)
        rc = EXIT_TROUBLE;
    else
        rc = v.block == CORS_BLOCK_NONE ? EXIT_ALLOWED : EXIT_DENIED;
    if (st == CC_PARSE_OK && rc != EXIT_TROUBLE) {
        if (o->json) {
            fprintf(stdout, "{\"mode\":\"response\",\"allowed\":%s,\"preflight\":%s,",
                    rc ? "false" : "true", v.preflight ? "true" : "false");
            cc_json_kv(stdout, "block", cors_block_string(v.block));
            fputs(",", stdout);
            cc_json_kv(stdout, "message", why);
            fprintf(stdout, ",\"chromium_differs\":%s}\n", v.chromium_differs ? "true" : "false");
        } else if (!o->quiet) {
            fprintf(stderr, "%s: %s\n", rc ? "blocked" : "allowed", why);
        }
    }
    cc_response_free(&resp);
    free(data);
    return rc;
}

/* ---------------------------------------------------------------- HAR */

/* With -p, each entry is also evaluated against the policy (the step of
   a single request); the recorded response is judged either way. */
typedef struct har_ctx {
    const run *rn;
    size_t cors, blocked, denied;
    int trouble;
} har_ctx;

/* One entry: the policy's step (NULL without -p), then the response. */
static void har_line(har_ctx *h, size_t index, const cc_request *req, const step *s,
                     const cors_verdict *v, const char *why, int recorded)
{
    int ok = v->block == CORS_BLOCK_NONE;

    if (h->rn->o->json) {
        fprintf(stdout, "%s{\"entry\":%zu,\"method\":", h->cors > 1 ? "," : "", index + 1);
        cc_json_str(stdout, req->method, req->method_len);
        fputs(",\"url\":", stdout);
        cc_json_str(stdout, req->target, req->target_len);
        fprintf(stdout, ",\"allowed\":%s,", ok && !(s && step_failed(s)) ? "true" : "false");
        cc_json_kv(stdout, "block", recorded ? cors_block_string(v->block) : "no response");
        fputs(",", stdout);
        cc_json_kv(stdout, "message", why);
        if (s) {
            fputs(",\"policy\":", stdout);
            print_step_json(s);
        }
        fputs("}", stdout);
        return;
    }
    fprintf(stdout, "#%zu %.*s %.*s: ", index + 1, (int)req->method_len, req->method,
            (int)req->target_len, req->target);
    if (s) {
        fputs("policy: ", stdout);
        print_verdict_text(stdout, s);
        fputs("; recorded response: ", stdout);
    }
    fprintf(stdout, "%s: %s\n", ok ? "allowed" : "blocked", why);
}

static int har_entry(void *ctx, size_t index, const cc_request *req, const cc_response *resp)
{
    har_ctx *h = ctx;
    cors_verdict v;
    char why[1024];
    step s, *ps = NULL;

    if (!req->origin.ptr)
        return 0;  /* not a CORS request */
    h->cors++;
    if (h->rn->policy) {
        ps = &s;
        s.label = NULL;
        if (evaluate_step(h->rn, req, &s) != 0) {
            cc_collected_free(&s.c);
            h->trouble = 1;
            return 1;
        }
        h->denied += step_failed(&s);
    }
    if (resp->status == 0) {
        /* What browsers record for a request that failed or was blocked
           before any response was read. */
        cors_verdict_init(&v);
        v.block = CORS_BLOCK_NO_ALLOW_ORIGIN;
        snprintf(why, sizeof why, "no response was recorded (status 0): the request failed "
                                  "or the browser blocked it before reading the answer");
    } else if (judge_response(h->rn->o, req, resp, &v, why, sizeof why) != 0) {
        if (ps)
            cc_collected_free(&s.c);
        h->trouble = 1;
        return 1;
    }
    h->blocked += v.block != CORS_BLOCK_NONE;
    har_line(h, index, req, ps, &v, why, resp->status != 0);
    if (ps)
        cc_collected_free(&s.c);
    return 0;
}

static int run_har(const run *rn, const char *data, size_t len, int truncated, const char *name)
{
    har_ctx h = {rn, 0, 0, 0, 0};
    int failed;
    size_t entry = 0;
    char msg[512];
    cc_parse_status st;

    if (rn->o->json)
        fputs("{\"mode\":\"har\",\"entries\":[", stdout);
    st = cc_har_each(data, len, truncated, har_entry, &h, &entry, msg, sizeof msg);
    failed = h.blocked || h.denied;
    if (rn->o->json)
        fprintf(stdout, "],\"allowed\":%s}\n", failed ? "false" : "true");
    if (st == CC_PARSE_NOMEM) {
        fprintf(stderr, PROGRAM ": out of memory\n");
        return EXIT_TROUBLE;
    }
    if (st != CC_PARSE_OK) {
        if (entry)
            fprintf(stderr, PROGRAM ": %s: entry %zu: %s\n", name, entry, msg);
        else
            fprintf(stderr, PROGRAM ": %s: %s\n", name, msg);
        return EXIT_TROUBLE;
    }
    if (h.trouble)
        return EXIT_TROUBLE;
    if (!rn->o->quiet && !rn->o->json && rn->policy)
        fprintf(stderr, "%zu CORS request%s, %zu denied by %s, %zu blocked by the recorded "
                "response\n", h.cors, h.cors == 1 ? "" : "s", h.denied, rn->policy_name,
                h.blocked);
    else if (!rn->o->quiet && !rn->o->json)
        fprintf(stderr, "%zu CORS request%s, %zu blocked\n", h.cors, h.cors == 1 ? "" : "s",
                h.blocked);
    return failed ? EXIT_DENIED : EXIT_ALLOWED;
}

/* ------------------------------------------------- requests from a file */

/* The request file, read whole before anything else: its format decides
   whether a policy is needed at all. */
typedef struct input {
    char *data;
    size_t len;
    int truncated, fmt;
    const char *name;
} input;

static int read_request_file(const opts *o, input *in)
{
    memset(in, 0, sizeof *in);
    in->name = display_name(o->request_path);
    if (read_input(o->request_path, CC_HAR_MAX, &in->data, &in->len, &in->truncated) != 0)
        return EXIT_TROUBLE;
    in->fmt = o->input_format != FMT_AUTO ? o->input_format : detect_format(in->data, in->len);
    return -1;
}

static int evaluate_file(const run *rn, const input *in)
{
    char msg[512];
    int rc;
    unsigned line = 0;
    cc_request req;
    cc_parse_status st;
    const cc_request *one = &req;

    if (in->fmt == FMT_HAR)
        return run_har(rn, in->data, in->len, in->truncated, in->name);
    st = parse_request(&req, in->fmt, in->data, in->len, in->truncated, &line, msg, sizeof msg);
    if (st != CC_PARSE_OK)
        rc = input_error(st, in->name, line, msg);
    else if (rn->o->response_path)
        rc = run_response(rn->o, &req);
    else
        rc = report_steps(rn, &one, 1);
    cc_request_free(&req);
    return rc;
}

/* ------------------------------------------------- requests from flags */

/* Fetch 2.2.1: the CORS-safelisted methods, byte for byte. */
static int safelisted_method(const char *m)
{
    return strcmp(m, "GET") == 0 || strcmp(m, "HEAD") == 0 || strcmp(m, "POST") == 0;
}

/* Fetch 2.2.2 "CORS-safelisted request-header", on the name and, for
   Content-Type, the value's essence.  A Content-Type given without a
   value is taken as not safelisted (it is usually JSON). */
static int safelisted_header(const char *name, size_t nn, const char *value, size_t vn)
{
    static const char *const types[] = {"application/x-www-form-urlencoded",
                                        "multipart/form-data", "text/plain"};
    size_t i, k;

    if (cc_eq_nocase(name, nn, "accept") || cc_eq_nocase(name, nn, "accept-language") ||
        cc_eq_nocase(name, nn, "content-language"))
        return vn <= 128;
    if (!cc_eq_nocase(name, nn, "content-type") || !value || vn > 128)
        return 0;
    for (k = 0; k < vn && value[k] != ';' && value[k] != ' '; k++)
        ;
    for (i = 0; i < sizeof types / sizeof types[0]; i++)
        if (cc_eq_nocase(value, k, types[i]))
            return 1;
    return 0;
}

/* Fetch "normalize a method": fetch() upper-cases these six. */
static void normalize_method(char *m)
{
    static const char *const known[] = {"delete", "get", "head", "options", "post", "put"};
    size_t i, k, n = strlen(m);

    for (i = 0; i < sizeof known / sizeof known[0]; i++)
        if (cc_eq_nocase(m, n, known[i]))
            for (k = 0; k < n; k++)
                m[k] = (char)(known[i][k] - 32);
}

static int name_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The lower-cased names of the non-safelisted headers, sorted and joined
   with ",": the preflight's Access-Control-Request-Headers (Fetch 4.8). */
static int unsafe_names(const opts *o, char *out, size_t size, int *usage)
{
    char *names[MAX_FLAG_HEADERS], buf[MAX_FLAG_HEADERS][128];
    size_t i, k, n = 0, used = 0;

    for (i = 0; i < o->nheaders; i++) {
        const char *h = o->headers[i], *colon = strchr(h, ':');
        size_t nn = colon ? (size_t)(colon - h) : strlen(h), vn = 0;
        const char *v = colon ? colon + 1 : NULL;
        while (v && (*v == ' ' || *v == '\t'))
            v++;
        vn = v ? strlen(v) : 0;
        for (k = 0; k < nn; k++)
            if (!cc_is_tchar((unsigned char)h[k]))
                break;
        if (nn == 0 || k < nn || nn >= sizeof buf[0]) {
            fprintf(stderr, PROGRAM ": --header \"%.60s\": expected a header name, optionally "
                            "followed by \": value\"\n", h);
            *usage = 1;
            return -1;
        }
        if (safelisted_header(h, nn, v, vn))
            continue;
        for (k = 0; k < nn; k++)
            buf[n][k] = (char)(h[k] >= 'A' && h[k] <= 'Z' ? h[k] + 32 : h[k]);
        buf[n][nn] = '\0';
        names[n] = buf[n];
        n++;
    }
    qsort(names, n, sizeof names[0], name_cmp);
    out[0] = '\0';
    for (i = 0; i < n; i++) {
        size_t ln = strlen(names[i]);
        if (i && strcmp(names[i], names[i - 1]) == 0)
            continue;
        if (used + ln + 2 > size)
            return -1;
        if (used)
            out[used++] = ',';
        memcpy(out + used, names[i], ln + 1);
        used += ln;
    }
    return (int)n;
}

static int evaluate_flags(const run *rn)
{
    const opts *o = rn->o;
    char method[256], acrh[MAX_FLAG_HEADERS * 130];
    cc_request pre, act;
    const cc_request *reqs[2];
    size_t k, n = 0;
    int usage = 0, unsafe, rc;

    if (strlen(o->method) >= sizeof method) {
        fprintf(stderr, PROGRAM ": --method is too long\n");
        return EXIT_TROUBLE;
    }
    strcpy(method, o->method);
    normalize_method(method);
    for (k = 0; method[k]; k++)
        if (!cc_is_tchar((unsigned char)method[k]))
            break;
    if (k == 0 || method[k]) {
        fprintf(stderr, PROGRAM ": --method \"%.60s\" is not a method token\n", o->method);
        return EXIT_TROUBLE;
    }
    unsafe = unsafe_names(o, acrh, sizeof acrh, &usage);
    if (unsafe < 0)
        return EXIT_TROUBLE;
    memset(&pre, 0, sizeof pre);
    memset(&act, 0, sizeof act);
    /* Fetch 4.1 main fetch: a preflight when the method or a header is not
       safelisted. */
    if (!safelisted_method(method) || unsafe > 0) {
        pre.method = "OPTIONS";
        pre.method_len = 7;
        rc = cc_request_field(&pre, "Origin", 6, o->origin, strlen(o->origin)) |
             cc_request_field(&pre, "Access-Control-Request-Method", 29, method, strlen(method));
        if (unsafe > 0)
            rc |= cc_request_field(&pre, "Access-Control-Request-Headers", 30, acrh,
                                   strlen(acrh));
        if (rc != 0)
            goto nomem;
        reqs[n++] = &pre;
    }
    act.method = method;
    act.method_len = strlen(method);
    if (cc_request_field(&act, "Origin", 6, o->origin, strlen(o->origin)) != 0)
        goto nomem;
    reqs[n++] = &act;
    rc = report_steps(rn, reqs, n);
    cc_request_free(&pre);
    cc_request_free(&act);
    return rc;
nomem:
    fprintf(stderr, PROGRAM ": out of memory\n");
    cc_request_free(&pre);
    cc_request_free(&act);
    return EXIT_TROUBLE;
}

/* -------------------------------------------------------------------- main */

enum {
    OPT_EXPLAIN = 256, OPT_LINT, OPT_SHOW, OPT_FORMAT, OPT_INPUT_FORMAT, OPT_RESPONSE,
    OPT_ORIGIN, OPT_METHOD, OPT_HEADER, OPT_CREDENTIALS, OPT_CHROMIUM, OPT_STRICT
};

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

/* One option; returns -1 to go on, or an exit status. */
static int one_opt(opts *o, int opt, int *modes)
{
    switch (opt) {
    case 'p': o->policy_path = optarg; break;
    case 'q': o->quiet = 1; break;
    case OPT_EXPLAIN: o->explain = 1; break;
    case OPT_LINT: o->mode = MODE_LINT; (*modes)++; break;
    case OPT_SHOW: o->mode = MODE_SHOW; (*modes)++; break;
    case OPT_STRICT: o->strict = 1; break;
    case OPT_RESPONSE: o->response_path = optarg; break;
    case OPT_ORIGIN: o->origin = optarg; break;
    case OPT_METHOD: o->method = optarg; break;
    case OPT_CREDENTIALS: o->credentials = 1; break;
    case OPT_CHROMIUM: o->chromium = 1; break;
    case OPT_HEADER:
        if (o->nheaders == MAX_FLAG_HEADERS)
            return usage_error("too many --header options", "", "");
        o->headers[o->nheaders++] = optarg;
        break;
    case OPT_FORMAT:
        if (strcmp(optarg, "text") != 0 && strcmp(optarg, "json") != 0)
            return usage_error("--format ", optarg, ": expected text or json");
        o->json = strcmp(optarg, "json") == 0;
        break;
    case OPT_INPUT_FORMAT:
        o->input_format = parse_format_name(optarg);
        if (o->input_format == -2)
            return usage_error("--input-format ", optarg,
                               ": expected auto, http1, h2, curl-v, curl or har");
        break;
    case 'h':
        help();
        return finish_output(EXIT_ALLOWED);
    case 'V':
        printf(PROGRAM " (libcors) %s%s\n", cors_version_string(),
               cc_har_available() ? "" : " (without HAR input)");
        return finish_output(EXIT_ALLOWED);
    default:
        return -2;
    }
    return -1;
}

static int bad_option(int opt, char **argv)
{
    char bad[3] = "-?";

    if (optopt) {
        bad[1] = (char)optopt;
        return usage_error(opt == ':' ? "option " : "unknown option ", bad,
                           opt == ':' ? " needs an argument" : "");
    }
    return usage_error(opt == ':' ? "option " : "unknown option ", argv[optind - 1],
                       opt == ':' ? " needs an argument" : "");
}

/* The combinations that make no sense, each with its reason. */
static int check_combinations(const opts *o, int modes, int nargs, char **rest)
{
    int built = o->origin || o->method || o->nheaders || 0;

    if (modes > 1)
        return usage_error("--lint and --show-policy cannot be combined", "", "");
    if (o->mode != MODE_EVALUATE && (o->explain || o->response_path || built))
        return usage_error("--explain, --response and the request options only apply when "
                           "evaluating a request", "", "");
    if (o->mode != MODE_EVALUATE && nargs > 0)
        return usage_error("a request file (", rest[0],
                           ") only applies when evaluating a request");
    if (o->strict && o->mode != MODE_LINT)
        return usage_error("--strict only applies to --lint", "", "");
    if (o->quiet && o->explain)
        return usage_error("-q and --explain cannot be combined", "", "");
    if (nargs > 1)
        return usage_error("unexpected argument ", rest[1], ": give at most one request file");
    if (built && !o->origin)
        return usage_error("--method and --header need --origin: the page's origin", "", "");
    if (o->origin && (nargs > 0 || o->response_path))
        return usage_error("--origin builds the request: no request file or --response", "",
                           "");
    if (o->response_path && o->policy_path)
        return usage_error("--response judges the server's own answer: -p does not apply", "",
                           "");
    if (o->policy_path && strcmp(o->policy_path, "-") == 0 && o->mode == MODE_EVALUATE &&
        !o->origin && (nargs == 0 || strcmp(rest[0], "-") == 0))
        return usage_error("the policy and the request cannot both come from standard input",
                           "", "");
    if (o->response_path && strcmp(o->response_path, "-") == 0 &&
        (nargs == 0 || strcmp(rest[0], "-") == 0))
        return usage_error("the response and the request cannot both come from standard input",
                           "", "");
    return -1;
}

static int parse_args(int argc, char **argv, opts *o)
{
    static const struct option longopts[] = {
        {"policy", required_argument, NULL, 'p'},
        {"quiet", no_argument, NULL, 'q'},
        {"explain", no_argument, NULL, OPT_EXPLAIN},
        {"lint", no_argument, NULL, OPT_LINT},
        {"strict", no_argument, NULL, OPT_STRICT},
        {"show-policy", no_argument, NULL, OPT_SHOW},
        {"format", required_argument, NULL, OPT_FORMAT},
        {"input-format", required_argument, NULL, OPT_INPUT_FORMAT},
        {"response", required_argument, NULL, OPT_RESPONSE},
        {"origin", required_argument, NULL, OPT_ORIGIN},
        {"method", required_argument, NULL, OPT_METHOD},
        {"header", required_argument, NULL, OPT_HEADER},
        {"credentials", no_argument, NULL, OPT_CREDENTIALS},
        {"chromium", no_argument, NULL, OPT_CHROMIUM},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0},
    };
    int opt, modes = 0, rc;

    memset(o, 0, sizeof *o);
    o->request_path = "-";
    o->input_format = FMT_AUTO;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, ":p:qhV", longopts, NULL)) != -1) {
        rc = one_opt(o, opt, &modes);
        if (rc == -2)
            return bad_option(opt, argv);
        if (rc != -1)
            return rc;
    }
    rc = check_combinations(o, modes, argc - optind, argv + optind);
    if (rc != -1)
        return rc;
    if (optind < argc)
        o->request_path = argv[optind];
    if (o->origin && !o->method)
        o->method = "GET";
    return -1;
}

/* Reads the policy text (or takes the built-in one).  Returns -1 to go on
   or an exit status. */
static int policy_text(const opts *o, char **text, const char **ptext, size_t *len,
                       const char **name)
{
    int truncated = 0;

    *ptext = default_policy;
    *len = sizeof default_policy - 1;
    *name = DEFAULT_POLICY_NAME;
    if (!o->policy_path)
        return -1;
    if (read_input(o->policy_path, POLICY_MAX, text, len, &truncated) != 0)
        return EXIT_TROUBLE;
    *name = display_name(o->policy_path);
    if (truncated) {
        fprintf(stderr, PROGRAM ": %s: the policy is larger than %u bytes\n", *name, POLICY_MAX);
        return EXIT_TROUBLE;
    }
    *ptext = *text;
    return -1;
}

/* Builds the policy and runs the mode. */
static int with_policy(const opts *o, const input *in)
{
    char *text = NULL;
    const char *ptext, *name;
    size_t len;
    int rc = policy_text(o, &text, &ptext, &len, &name);
    cors_builder *b;
    cors_policy *policy = NULL;
    cors_error err;
    run rn = {o, NULL, name, o->policy_path == NULL};

    if (rc != -1) {
        free(text);
        return rc;
    }
    b = cors_builder_new(NULL);
    if (!b) {
        fprintf(stderr, PROGRAM ": out of memory\n");
        free(text);
        return EXIT_TROUBLE;
    }
    /* Parse errors are in the diagnostics; building then adds the checks
       that need the whole policy, so that one run reports everything. */
    cors_builder_parse(b, ptext, len);
    err = cors_builder_build(b, &policy);
    rn.policy = policy;
    if (err != CORS_OK && err != CORS_ERR_POLICY) {
        fprintf(stderr, PROGRAM ": %s: %s\n", name, cors_strerror(err));
        rc = EXIT_TROUBLE;
    } else if (o->mode == MODE_LINT) {
        builtin_notice(&rn);
        rc = lint(b, o, name);
    } else if (err == CORS_ERR_POLICY) {
        size_t n = cors_builder_error_count(b);
        print_diagnostics(b, name, stderr);
        fprintf(stderr, PROGRAM ": %s: the policy has %zu error%s\n", name, n,
                n == 1 ? "" : "s");
        rc = EXIT_TROUBLE;
    } else if (o->mode == MODE_SHOW) {
        builtin_notice(&rn);
        rc = show_policy(policy);
    } else {
        rc = o->origin ? evaluate_flags(&rn) : evaluate_file(&rn, in);
    }
    cors_policy_free(policy);
    cors_builder_free(b);
    free(text);
    return rc;
}

int main(int argc, char **argv)
{
    opts o;
    input in;
    int rc = parse_args(argc, argv, &o);
    run rn = {&o, NULL, NULL, 0};

    if (rc != -1)
        return rc;
    memset(&in, 0, sizeof in);
    if (o.mode == MODE_EVALUATE && !o.origin) {
        rc = read_request_file(&o, &in);
        if (rc != -1)
            return rc;
    }
    /* Judging recorded answers (--response, HAR) needs no policy; a HAR
       file is evaluated against one only when -p names it: the built-in
       example policy says nothing about the server that was recorded. */
    if (in.fmt == FMT_HAR && o.response_path)
        rc = usage_error("a HAR file holds the responses: --response does not apply", "", "");
    else if (o.response_path || (in.data && in.fmt == FMT_HAR && !o.policy_path))
        rc = evaluate_file(&rn, &in);
    else
        rc = with_policy(&o, &in);
    free(in.data);
    return finish_output(rc);
}
