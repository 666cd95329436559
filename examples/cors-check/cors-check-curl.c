/*
 * cors-check-curl.c - a "Copy as cURL" command, read as bash would split
 * it (quotes, $'...', backslashes, "\" line continuations), then as curl
 * would read its options.  Only the options that shape the request's
 * method, URL and headers matter; the others browsers copy are skipped,
 * and anything unknown is an error rather than a guess.
 */
#include "cors-check-curl.h"

#include <stdlib.h>
#include <string.h>

typedef struct word {
    char *s;
    size_t n;
    unsigned line;
} word;

typedef struct lexer {
    const char *p, *end;
    unsigned line;
    char *out;          /* unescaped words are written here */
    unsigned *line_out;
    char *msg;
    size_t size;
} lexer;

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* One escape of $'...' (bash ANSI-C quoting) after its backslash. */
static void ansi_escape(lexer *lx)
{
    char c = *lx->p++;
    int h;

    switch (c) {
    case 'n': *lx->out++ = '\n'; return;
    case 'r': *lx->out++ = '\r'; return;
    case 't': *lx->out++ = '\t'; return;
    case 'x':
        h = lx->p < lx->end ? hexval(*lx->p) : -1;
        if (h < 0) {
            *lx->out++ = 'x';
            return;
        }
        lx->p++;
        if (lx->p < lx->end && hexval(*lx->p) >= 0)
            h = h * 16 + hexval(*lx->p++);
        *lx->out++ = (char)h;
        return;
    default:
        lx->line += c == '\n';
        *lx->out++ = c;  /* \\ \' \" and the rest stand for themselves */
        return;
    }
}

static cc_parse_status unterminated(lexer *lx, unsigned line, char quote)
{
    return cc_fail(lx->line_out, line, lx->msg, lx->size,
                   "the quote %c opened here is never closed", quote);
}

static cc_parse_status quoted(lexer *lx, char q, int ansi, unsigned line)
{
    while (lx->p < lx->end && *lx->p != q) {
        char c = *lx->p++;
        if (c == '\n')
            lx->line++;
        if (c == '\\' && (ansi || q == '"') && lx->p < lx->end) {
            if (ansi) {
                ansi_escape(lx);
                continue;
            }
            /* Inside "...", a backslash escapes only $ ` " \ and newline. */
            if (*lx->p == '\n') {
                lx->p++, lx->line++;
                continue;
            }
            if (strchr("$`\"\\", *lx->p))
                c = *lx->p++;
        }
        *lx->out++ = c;
    }
    if (lx->p == lx->end)
        return unterminated(lx, line, q);
    lx->p++;
    return CC_PARSE_OK;
}

/* A word as a quoted, printable string for a message. */
static const char *qw(char *buf, size_t size, const char *s, size_t n)
{
    cc_quote(buf, size, s, n, 60);
    return buf;
}

static int is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

/* The next word into *w; w->s is NULL at the end of the input. */
static cc_parse_status next_word(lexer *lx, word *w)
{
    cc_parse_status st = CC_PARSE_OK;

    for (;;) {
        while (lx->p < lx->end && is_space(*lx->p))
            lx->line += *lx->p++ == '\n';
        if (lx->p + 1 < lx->end && lx->p[0] == '\\' && (lx->p[1] == '\n' || lx->p[1] == '\r')) {
            /* "\" then LF or CRLF continues the command on the next line; a
             * lone CR (no LF) is blank like the spaces around it, and not a
             * line of its own, so it does not count in the line numbers. */
            lx->p += 2;
            if (lx->p[-1] == '\r' && lx->p < lx->end && *lx->p == '\n')
                lx->p++;
            lx->line += lx->p[-1] == '\n';
            continue;
        }
        break;
    }
    w->s = NULL;
    if (lx->p == lx->end)
        return CC_PARSE_OK;
    w->s = lx->out;
    w->line = lx->line;
    while (st == CC_PARSE_OK && lx->p < lx->end && !is_space(*lx->p)) {
        char c = *lx->p++;
        if (c == '\'')
            st = quoted(lx, '\'', 0, w->line);
        else if (c == '"')
            st = quoted(lx, '"', 0, w->line);
        else if (c == '$' && lx->p < lx->end && *lx->p == '\'')
            lx->p++, st = quoted(lx, '\'', 1, w->line);
        else if (c == '\\' && lx->p < lx->end && *lx->p == '\n')
            lx->p++, lx->line++;
        else if (c == '\\' && lx->p < lx->end)
            *lx->out++ = *lx->p++;
        else
            *lx->out++ = c;
    }
    w->n = (size_t)(lx->out - w->s);
    *lx->out++ = '\0';
    return st;
}

/* ------------------------------------------------------------- options */

typedef struct command {
    const char *method;   /* -X */
    size_t method_len;
    int head, get, data;  /* -I, -G, a body */
    word url;
} command;

/* Options that take an argument and do not matter to CORS. */
static const char *const skip_arg[] = {
    "-A", "--user-agent", "-e", "--referer", "-b", "--cookie", "-u", "--user", "-o",
    "--output", "-x", "--proxy", "-m", "--max-time", "--connect-timeout", "--cacert",
    "--cert", "--key", "-w", "--write-out", "--resolve", "--retry", "-c", "--cookie-jar",
    "--max-redirs", "--limit-rate", "-r", "--range", "--interface", "-T", "--upload-file",
    NULL,
};
/* Options without an argument that do not matter to CORS. */
static const char *const skip_flag[] = {
    "--compressed", "-k", "--insecure", "-L", "--location", "-s", "--silent", "-S",
    "--show-error", "-i", "--include", "-v", "--verbose", "--http1.0", "--http1.1", "--http2",
    "--http2-prior-knowledge", "--http3", "-g", "--globoff", "--path-as-is", "-f", "--fail",
    "-N", "--no-buffer", "--raw", "-#", "--progress-bar", "-0", "--ipv4", "-4", "--ipv6", "-6",
    NULL,
};
static const char *const data_opts[] = {
    "-d", "--data", "--data-raw", "--data-binary", "--data-ascii", "--data-urlencode", "-F",
    "--form", "--form-string", "--json", NULL,
};

static int in(const char *const *list, const char *s)
{
    for (; *list; list++)
        if (strcmp(*list, s) == 0)
            return 1;
    return 0;
}

static cc_parse_status header_arg(cc_request *r, const word *w, lexer *lx)
{
    const char *colon = memchr(w->s, ':', w->n);
    size_t i, nl;
    char q[128];

    if (w->n && w->s[w->n - 1] == ';' && !colon)
        return CC_PARSE_OK;  /* "Name;" sends an empty header: no CORS field is empty */
    if (!colon || colon == w->s)
        return cc_fail(lx->line_out, w->line, lx->msg, lx->size,
                       "-H expects \"Name: value\", got %s", qw(q, sizeof q, w->s, w->n));
    nl = (size_t)(colon - w->s);
    for (i = 0; i < nl; i++)
        if (!cc_is_tchar((unsigned char)w->s[i]))
            return cc_fail(lx->line_out, w->line, lx->msg, lx->size,
                           "-H %s: the name holds a character not allowed in a header name",
                           qw(q, sizeof q, w->s, w->n));
    for (i = nl; i < w->n; i++)
        if (w->s[i] == '\r' || w->s[i] == '\n' || w->s[i] == '\0')
            return cc_fail(lx->line_out, w->line, lx->msg, lx->size,
                           "-H %s: the value holds a line break or NUL",
                           qw(q, sizeof q, w->s, nl));
    /* "Name:" with nothing after it removes a header curl would add. */
    if (colon + 1 == w->s + w->n)
        return CC_PARSE_OK;
    return cc_request_field(r, w->s, nl, colon + 1, w->n - nl - 1) == 0 ? CC_PARSE_OK
                                                                       : CC_PARSE_NOMEM;
}

/* --json also sets both content headers (curl 7.82). */
static cc_parse_status json_headers(cc_request *r)
{
    if (cc_request_field(r, "Content-Type", 12, "application/json", 16) != 0 ||
        cc_request_field(r, "Accept", 6, "application/json", 16) != 0)
        return CC_PARSE_NOMEM;
    return CC_PARSE_OK;
}

/* An option that takes an argument, as "-X PUT", "-XPUT" or "--request=PUT":
   *arg is set when opt is one; the next word is read when needed. */
static cc_parse_status option_arg(lexer *lx, word *w, const char *s, word *arg, int *is)
{
    size_t ln = strlen(s);

    *is = 0;
    if (strncmp(w->s, s, ln) != 0)
        return CC_PARSE_OK;
    if (w->s[ln] == '\0') {
        cc_parse_status st = next_word(lx, arg);
        if (st != CC_PARSE_OK)
            return st;
        if (!arg->s)
            return cc_fail(lx->line_out, w->line, lx->msg, lx->size,
                           "%s needs an argument", s);
        *is = 1;
    } else if ((s[1] != '-' && ln == 2) || (s[1] == '-' && w->s[ln] == '=')) {
        arg->s = w->s + ln + (s[1] == '-');
        arg->n = w->n - ln - (s[1] == '-');
        arg->line = w->line;
        *is = 1;
    }
    return CC_PARSE_OK;
}

static int all_short_flags(const char *s)
{
    char one[3] = "-?";

    if (s[0] != '-' || s[1] == '-' || s[1] == '\0')
        return 0;
    for (s++; *s; s++) {
        one[1] = *s;
        if (!in(skip_flag, one))
            return 0;
    }
    return 1;
}

static cc_parse_status one_option(cc_request *r, command *c, lexer *lx, word *w)
{
    static const char *const with_arg[] = {"-X", "--request", "-H", "--header", "--url", NULL};
    const char *const *o;
    cc_parse_status st;
    word arg;
    int is;
    char q[128];

    for (o = with_arg; *o; o++) {
        st = option_arg(lx, w, *o, &arg, &is);
        if (st != CC_PARSE_OK)
            return st;
        if (!is)
            continue;
        if ((*o)[1] == 'X' || strcmp(*o, "--request") == 0) {
            c->method = arg.s;
            c->method_len = arg.n;
            return CC_PARSE_OK;
        }
        if (strcmp(*o, "--url") == 0) {
            c->url = arg;
            return CC_PARSE_OK;
        }
        return header_arg(r, &arg, lx);
    }
    for (o = data_opts; *o; o++) {
        st = option_arg(lx, w, *o, &arg, &is);
        if (st != CC_PARSE_OK)
            return st;
        if (is) {
            c->data = 1;
            return strcmp(*o, "--json") == 0 ? json_headers(r) : CC_PARSE_OK;
        }
    }
    for (o = skip_arg; *o; o++) {
        st = option_arg(lx, w, *o, &arg, &is);
        if (st != CC_PARSE_OK || is)
            return st;
    }
    if (strcmp(w->s, "-I") == 0 || strcmp(w->s, "--head") == 0)
        c->head = 1;
    else if (strcmp(w->s, "-G") == 0 || strcmp(w->s, "--get") == 0)
        c->get = 1;
    else if (!in(skip_flag, w->s) && !all_short_flags(w->s))
        return cc_fail(lx->line_out, w->line, lx->msg, lx->size,
                       "unknown curl option %s: cors-check reads -X, -H, --url, the --data "
                       "options, -I and -G, and skips the others browsers copy",
                       qw(q, sizeof q, w->s, w->n));
    return CC_PARSE_OK;
}

static cc_parse_status words(cc_request *r, command *c, lexer *lx)
{
    char q[128];
    word w;
    cc_parse_status st = next_word(lx, &w);

    if (st != CC_PARSE_OK)
        return st;
    if (!w.s)
        return cc_fail(lx->line_out, 0, lx->msg, lx->size, "the curl command is empty");
    if (strcmp(w.s, "curl") != 0 && strcmp(w.s, "curl.exe") != 0)
        return cc_fail(lx->line_out, w.line, lx->msg, lx->size,
                       "expected a command starting with \"curl\" (Copy as cURL, bash form), "
                       "got %s", qw(q, sizeof q, w.s, w.n));
    for (;;) {
        st = next_word(lx, &w);
        if (st != CC_PARSE_OK || !w.s)
            return st;
        if (strcmp(w.s, "|") == 0 || strcmp(w.s, ";") == 0 || strcmp(w.s, "&&") == 0)
            return CC_PARSE_OK;  /* the command ends; a pipeline may follow */
        if (w.s[0] == '-' && w.n > 1)
            st = one_option(r, c, lx, &w);
        else if (c->url.s)
            return cc_fail(lx->line_out, w.line, lx->msg, lx->size,
                           "a second URL %s: give one request at a time",
                           qw(q, sizeof q, w.s, w.n));
        else
            c->url = w;
        if (st != CC_PARSE_OK)
            return st;
    }
}

static cc_parse_status finish(cc_request *r, const command *c, lexer *lx)
{
    char q[128];

    if (!c->url.s)
        return cc_fail(lx->line_out, 0, lx->msg, lx->size, "the curl command has no URL");
    r->target = c->url.s;
    r->target_len = c->url.n;
    /* curl's own choice when -X is absent. */
    r->method = c->method ? c->method : c->head ? "HEAD" : c->data && !c->get ? "POST" : "GET";
    r->method_len = c->method ? c->method_len : strlen(r->method);
    if (!cc_is_token(r->method, r->method_len))
        return cc_fail(lx->line_out, 0, lx->msg, lx->size, "-X %s is not a method token",
                       qw(q, sizeof q, r->method, r->method_len));
    return CC_PARSE_OK;
}

cc_parse_status cc_curl_parse(cc_request *r, const char *data, size_t len, int truncated,
                              unsigned *line_out, char *msg, size_t size)
{
    lexer lx = {data, data + len, 1, NULL, line_out, msg, size};
    command c;
    cc_parse_status st;

    memset(r, 0, sizeof *r);
    memset(&c, 0, sizeof c);
    *line_out = 0;
    if (size)
        msg[0] = '\0';
    if (truncated)
        return cc_fail(line_out, 0, msg, size, "the curl command is longer than %u bytes",
                       CC_CURL_MAX);
    /* Every word fits in the input's length plus its NUL. */
    r->owned = malloc(2 * len + 2);
    if (!r->owned)
        return CC_PARSE_NOMEM;
    lx.out = r->owned;
    st = words(r, &c, &lx);
    return st == CC_PARSE_OK ? finish(r, &c, &lx) : st;
}
