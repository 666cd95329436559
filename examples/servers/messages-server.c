/*
 * messages-server.c - the messaging app's API as a real,
 * dependency-free HTTP/1.1 server on POSIX sockets, guarded by libcors.
 *
 *   POST /messages/        store a JSON object (Content-Type: application/json)
 *   GET  /messages/        list the stored messages
 *   GET|PATCH|DELETE /messages/ID
 *   POST /login            start a session (a cookie), for credentialed CORS
 *   GET  /                 a page that posts to the API origin in ?api=
 *
 * Every request goes through libcors first: preflights are answered right
 * there, before routing or authentication (a preflight never carries
 * credentials, Fetch 4.8), with the status libcors chose and no body.
 * Requests from origins the policy does not allow are still answered, but
 * state-changing ones are refused: without that, a "simple" cross-origin
 * POST (one the browser sends without asking first) would still act.
 *
 * Two instances on two ports are two origins; to try it by hand:
 *
 *   printf 'allow-origin http://127.0.0.1:8080\nallow-headers Content-Type\n' >api.policy
 *   ./examples/servers/messages-server --port 8081 --policy api.policy &
 *   ./examples/servers/messages-server --port 8080 &
 *   then open http://127.0.0.1:8080/?api=http://127.0.0.1:8081 in a browser.
 *
 * The server is single-threaded around poll(): every connection has a
 * fixed buffer, a deadline, and carries one request, so a slow or hostile
 * client costs a bounded amount and never blocks the others.
 *
 * Copyright (c) 2026 The libcors authors.  MIT licence, see COPYING.
 */
#define _POSIX_C_SOURCE 200809L

#include "example-util.h"
#include "tinyhttp.h"

#include <cors.h>

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#define MAX_CONNS 64
#define MAX_MESSAGES 100
#define MAX_SESSIONS 32
#define MAX_FILE (1024 * 1024)
#define LINGER_MS 2000

/* ------------------------------------------------------------ the state */

typedef struct message {
    unsigned long id; /* 0: free slot */
    char author[24];
    char origin[300]; /* validated by libcors, or empty */
    char *json;       /* a validated JSON object */
    size_t json_len;
} message;

typedef struct session {
    char token[33];
    char user[24];
} session;

enum cstate { C_FREE, C_READ, C_WRITE, C_LINGER };

typedef struct conn {
    int fd;
    enum cstate st;
    long long deadline; /* monotonic ms */
    int sent_continue;
    size_t in_len;
    char *out;
    size_t out_len, out_off;
    char in[TH_MAX_HEAD + TH_MAX_BODY];
} conn;

static struct {
    cors_policy *policy;
    const char *page; /* NULL: the built-in page */
    size_t page_len;
    const char *auth_token;
    int timeout_ms;
    FILE *log;
    unsigned long requests;
    message messages[MAX_MESSAGES];
    unsigned long next_id;
    session sessions[MAX_SESSIONS];
    unsigned next_session;
    conn conns[MAX_CONNS];
} app;

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
    (void)sig;
    stop = 1;
}

static long long now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* --------------------------------------------------------------- buffers */

typedef struct sbuf {
    char *p;
    size_t n, cap;
    int failed;
} sbuf;

static void sb_add(sbuf *b, const char *s, size_t n)
{
    if (b->failed)
        return;
    if (b->n + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        char *p;
        while (cap < b->n + n + 1)
            cap *= 2;
        if (!(p = realloc(b->p, cap))) {
            b->failed = 1;
            return;
        }
        b->p = p;
        b->cap = cap;
    }
    memcpy(b->p + b->n, s, n);
    b->n += n;
    b->p[b->n] = '\0';
}

static void sb_str(sbuf *b, const char *s)
{
    sb_add(b, s, strlen(s));
}

static void sb_printf(sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void sb_printf(sbuf *b, const char *fmt, ...)
{
    char tmp[256];
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= sizeof tmp)
        b->failed = 1;
    else
        sb_add(b, tmp, (size_t)n);
}

/* A JSON string literal of arbitrary bytes. */
static void sb_json_string(sbuf *b, const char *s, size_t n)
{
    size_t i;

    sb_add(b, "\"", 1);
    for (i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '"' || c == '\\')
            sb_printf(b, "\\%c", c);
        else if (c < 0x20 || c >= 0x7f)
            sb_printf(b, "\\u%04x", c);
        else
            sb_add(b, s + i, 1);
    }
    sb_add(b, "\"", 1);
}

/* ------------------------------------------------------------------ JSON */

/* A strict RFC 8259 validator with a depth bound, so that what is stored
   can be echoed inside other JSON verbatim and no input exhausts the
   stack. */
typedef struct jp {
    const unsigned char *p, *end;
    int depth;
} jp;

static void j_ws(jp *j)
{
    while (j->p < j->end && (*j->p == ' ' || *j->p == '\t' || *j->p == '\n' || *j->p == '\r'))
        j->p++;
}

static int j_lit(jp *j, const char *lit)
{
    size_t n = strlen(lit);

    if ((size_t)(j->end - j->p) < n || memcmp(j->p, lit, n) != 0)
        return -1;
    j->p += n;
    return 0;
}

static int j_utf8(jp *j)
{
    const unsigned char *p = j->p;
    unsigned c = *p, cp;
    int n, k;

    if (c >= 0xc2 && c <= 0xdf)
        n = 1, cp = c & 0x1f;
    else if (c >= 0xe0 && c <= 0xef)
        n = 2, cp = c & 0x0f;
    else if (c >= 0xf0 && c <= 0xf4)
        n = 3, cp = c & 0x07;
    else
        return -1;
    if (j->end - p <= n)
        return -1;
    for (k = 1; k <= n; k++) {
        if ((p[k] & 0xc0) != 0x80)
            return -1;
        cp = (cp << 6) | (p[k] & 0x3f);
    }
    /* Overlong forms, surrogates and values past U+10FFFF are not UTF-8. */
    if ((n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) || cp > 0x10ffff ||
        (cp >= 0xd800 && cp <= 0xdfff))
        return -1;
    j->p += n + 1;
    return 0;
}

static int j_string(jp *j)
{
    j->p++;
    while (j->p < j->end) {
        unsigned char c = *j->p;
        if (c == '"') {
            j->p++;
            return 0;
        }
        if (c < 0x20)
            return -1;
        if (c == '\\') {
            int k;
            if (++j->p == j->end)
                return -1;
            if (*j->p == 'u') {
                for (k = 1; k <= 4; k++)
                    if (j->p + k >= j->end || !strchr("0123456789abcdefABCDEF", j->p[k]) ||
                        j->p[k] == 0)
                        return -1;
                j->p += 5;
            } else if (strchr("\"\\/bfnrt", *j->p) && *j->p) {
                j->p++;
            } else {
                return -1;
            }
        } else if (c >= 0x80) {
            if (j_utf8(j) != 0)
                return -1;
        } else {
            j->p++;
        }
    }
    return -1;
}

static int j_digits(jp *j)
{
    const unsigned char *s = j->p;

    while (j->p < j->end && *j->p >= '0' && *j->p <= '9')
        j->p++;
    return j->p > s ? 0 : -1;
}

static int j_number(jp *j)
{
    if (*j->p == '-')
        j->p++;
    if (j->p < j->end && *j->p == '0')
        j->p++;
    else if (j_digits(j) != 0)
        return -1;
    if (j->p < j->end && *j->p == '.') {
        j->p++;
        if (j_digits(j) != 0)
            return -1;
    }
    if (j->p < j->end && (*j->p == 'e' || *j->p == 'E')) {
        j->p++;
        if (j->p < j->end && (*j->p == '+' || *j->p == '-'))
            j->p++;
        if (j_digits(j) != 0)
            return -1;
    }
    return 0;
}

static int j_value(jp *j);

static int j_container(jp *j, char close, int object)
{
    if (++j->depth > 32)
        return -1;
    j->p++;
    j_ws(j);
    if (j->p < j->end && *j->p == close) {
        j->p++;
        j->depth--;
        return 0;
    }
    for (;;) {
        if (object) {
            j_ws(j);
            if (j->p == j->end || *j->p != '"' || j_string(j) != 0)
                return -1;
            j_ws(j);
            if (j->p == j->end || *j->p++ != ':')
                return -1;
        }
        if (j_value(j) != 0)
            return -1;
        j_ws(j);
        if (j->p == j->end)
            return -1;
        if (*j->p == close) {
            j->p++;
            j->depth--;
            return 0;
        }
        if (*j->p++ != ',')
            return -1;
    }
}

static int j_value(jp *j)
{
    j_ws(j);
    if (j->p == j->end)
        return -1;
    switch (*j->p) {
    case '{': return j_container(j, '}', 1);
    case '[': return j_container(j, ']', 0);
    case '"': return j_string(j);
    case 't': return j_lit(j, "true");
    case 'f': return j_lit(j, "false");
    case 'n': return j_lit(j, "null");
    default:
        if (*j->p == '-' || (*j->p >= '0' && *j->p <= '9'))
            return j_number(j);
        return -1;
    }
}

/* Is s a JSON text whose top level is an object? */
static int json_object_ok(const char *s, size_t n)
{
    jp j;

    j.p = (const unsigned char *)s;
    j.end = j.p + n;
    j.depth = 0;
    j_ws(&j);
    if (j.p == j.end || *j.p != '{' || j_value(&j) != 0)
        return 0;
    j_ws(&j);
    return j.p == j.end;
}

/* ------------------------------------------------------------------- log */

/* Writes (s, n) as one whitespace-free token: bytes outside visible ASCII,
   and the backslash, become \xHH, so a hostile header cannot forge or
   split a log line. */
static void log_token(const char *s, size_t n)
{
    size_t i;

    if (!s) {
        fputc('-', app.log);
        return;
    }
    for (i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c <= 0x20 || c >= 0x7f || c == '\\')
            fprintf(app.log, "\\x%02x", c);
        else
            fputc(c, app.log);
    }
}

/* ------------------------------------------------------------- requests */

/* What the handlers need about one request. */
typedef struct ctx {
    const th_request *req;
    const char *body;
    cors_request cr;
    cors_result res;
    cors_fields fields;       /* the header lines cr points to */
    const session *session;   /* the valid session cookie, if any */
    const char *cookie_state; /* none, valid, invalid; unchecked (preflight) */
    th_response *resp;
    char *owned_body; /* freed after sending */
    const char *error; /* a sentence for the log */
} ctx;

/* The CORS headers libcors emitted, kept until the response is complete:
   applying them last lets SET win over anything a handler wrote and MERGE
   join the handler's own Vary. */
typedef struct staged {
    th_response h;
    unsigned flags[TH_MAX_RESP_FIELDS];
} staged;

static int stage_emit(void *c, const char *name, size_t name_len, const char *value,
                      size_t value_len, unsigned flags)
{
    staged *s = c;
    size_t before = s->h.nfields;

    th_add(&s->h, name, name_len, value, value_len);
    if (s->h.nfields == before)
        return 1; /* did not fit: stop, and the request gets a 500 */
    s->flags[before] = flags;
    return 0;
}

static void apply_cors(const staged *s, th_response *r)
{
    size_t i;

    for (i = 0; i < s->h.nfields; i++) {
        const char *name = s->h.arena + s->h.f[i].name_off;
        const char *value = s->h.arena + s->h.f[i].value_off;
        if (s->flags[i] & CORS_HEADER_MERGE)
            th_merge(r, name, s->h.f[i].name_len, value, s->h.f[i].value_len);
        else
            th_set(r, name, s->h.f[i].name_len, value, s->h.f[i].value_len);
    }
}

/* Makes b the response body (JSON unless the caller says otherwise). */
static void json_body(ctx *c, int status, sbuf *b)
{
    th_response_init(c->resp, status);
    if (b->failed) {
        free(b->p);
        th_response_init(c->resp, 500);
        c->error = "out of memory";
        return;
    }
    th_set_str(c->resp, "Content-Type", "application/json");
    c->owned_body = b->p;
    c->resp->body = b->p;
    c->resp->body_len = b->n;
}

static void json_error(ctx *c, int status, const char *msg)
{
    sbuf b = {0};

    sb_str(&b, "{\"error\":");
    sb_json_string(&b, msg, strlen(msg));
    sb_str(&b, "}\n");
    json_body(c, status, &b);
    c->error = msg;
}

static int method_is(const ctx *c, const char *m)
{
    return c->req->method.len == strlen(m) && memcmp(c->req->method.ptr, m, c->req->method.len) == 0;
}

static int path_is(const ctx *c, const char *p)
{
    return c->req->path.len == strlen(p) && memcmp(c->req->path.ptr, p, c->req->path.len) == 0;
}

static void method_not_allowed(ctx *c, const char *allow)
{
    json_error(c, 405, "method not allowed here");
    th_set_str(c->resp, "Allow", allow);
}

/* Finds the session named by the "session" cookie, if any. */
static void read_session(ctx *c)
{
    size_t i, k;

    c->session = NULL;
    c->cookie_state = "none";
    for (i = 0; i < c->req->nfields; i++) {
        const th_field *f = &c->req->fields[i];
        size_t pos = 0;
        if (!th_eq_nocase(f->name.ptr, f->name.len, "cookie"))
            continue;
        while (pos < f->value.len) {
            const char *s = f->value.ptr + pos;
            const char *semi = memchr(s, ';', f->value.len - pos);
            size_t n = semi ? (size_t)(semi - s) : f->value.len - pos;
            pos += n + 1;
            while (n > 0 && *s == ' ')
                s++, n--;
            if (n < 8 || memcmp(s, "session=", 8) != 0)
                continue;
            c->cookie_state = "invalid";
            for (k = 0; k < MAX_SESSIONS; k++) {
                const session *ss = &app.sessions[k];
                if (ss->token[0] && n - 8 == 32 && memcmp(ss->token, s + 8, 32) == 0) {
                    c->session = ss;
                    c->cookie_state = "valid";
                    return;
                }
            }
        }
    }
}

/* With --auth, the API needs the bearer token or a session.  This runs
   after the preflight was answered, as it must: browsers never send
   credentials on a preflight. */
static int authenticated(const ctx *c)
{
    th_str v;
    size_t n = strlen(app.auth_token ? app.auth_token : "");

    if (!app.auth_token || c->session)
        return 1;
    if (th_field_count(c->req, "authorization", &v) != 1)
        return 0;
    return v.len == 7 + n && th_eq_nocase(v.ptr, 7, "bearer ") &&
           memcmp(v.ptr + 7, app.auth_token, n) == 0;
}

static int random_hex(char *out, size_t n)
{
    unsigned char raw[16];
    size_t i;
    int fd = open("/dev/urandom", O_RDONLY);
    ssize_t got;

    if (fd < 0)
        return -1;
    got = read(fd, raw, sizeof raw);
    close(fd);
    if (got != (ssize_t)sizeof raw || n < 2 * sizeof raw + 1)
        return -1;
    for (i = 0; i < sizeof raw; i++)
        snprintf(out + 2 * i, 3, "%02x", raw[i]);
    return 0;
}

static void handle_login(ctx *c)
{
    session *s = &app.sessions[app.next_session % MAX_SESSIONS];
    char cookie[128];
    sbuf b = {0};

    if (!method_is(c, "POST")) {
        method_not_allowed(c, "POST");
        return;
    }
    if (random_hex(s->token, sizeof s->token) != 0) {
        json_error(c, 500, "no randomness for a session token");
        return;
    }
    snprintf(s->user, sizeof s->user, "user-%u", ++app.next_session);
    sb_printf(&b, "{\"user\":\"%s\"}\n", s->user);
    json_body(c, 200, &b);
    /* A cross-site fetch only carries a SameSite=None cookie, and those
       must be Secure; browsers accept Secure cookies from http://localhost
       as it is a secure context. */
    snprintf(cookie, sizeof cookie, "session=%s; Path=/; HttpOnly; SameSite=None; Secure",
             s->token);
    th_add(c->resp, "Set-Cookie", 10, cookie, strlen(cookie));
    th_merge_str(c->resp, "Vary", "Cookie");
}

/* Message id N lives in slot (N - 1) % MAX_MESSAGES until a newer one
   takes the slot over: the store keeps the latest messages and never
   fills up. */
static message *find_message(unsigned long id)
{
    message *m;

    if (id == 0 || id > app.next_id)
        return NULL;
    m = &app.messages[(id - 1) % MAX_MESSAGES];
    return m->id == id ? m : NULL;
}

static void message_json(sbuf *b, const message *m)
{
    sb_printf(b, "{\"id\":%lu,\"author\":", m->id);
    sb_json_string(b, m->author, strlen(m->author));
    sb_str(b, ",\"origin\":");
    if (m->origin[0])
        sb_json_string(b, m->origin, strlen(m->origin));
    else
        sb_str(b, "null");
    sb_str(b, ",\"message\":");
    sb_add(b, m->json, m->json_len);
    sb_str(b, "}");
}

/* The body must be a JSON object sent as application/json.  Insisting on
   the media type is a CORS matter too: it is what makes a browser ask
   first, whereas a text/plain POST would arrive without a preflight. */
static int read_json_body(ctx *c)
{
    th_str ct;
    size_t n;

    if (th_field_count(c->req, "content-type", &ct) != 1) {
        json_error(c, 415, "send Content-Type: application/json");
        return -1;
    }
    n = ct.len;
    for (size_t i = 0; i < ct.len; i++)
        if (ct.ptr[i] == ';' || ct.ptr[i] == ' ') {
            n = i;
            break;
        }
    if (!th_eq_nocase(ct.ptr, n, "application/json")) {
        json_error(c, 415, "send Content-Type: application/json");
        return -1;
    }
    if (!json_object_ok(c->body, c->req->content_length)) {
        json_error(c, 400, "the body is not a JSON object");
        return -1;
    }
    return 0;
}

/* Stores the validated body (without surrounding whitespace) in m. */
static int store_message(ctx *c, message *m, int is_new)
{
    const char *s = c->body;
    size_t n = c->req->content_length;
    char *copy;

    while (n > 0 && strchr(" \t\r\n", s[0]))
        s++, n--;
    while (n > 0 && strchr(" \t\r\n", s[n - 1]))
        n--;
    if (!(copy = malloc(n + 1))) {
        json_error(c, 500, "out of memory");
        return -1;
    }
    memcpy(copy, s, n);
    free(m->json);
    m->json = copy;
    m->json_len = n;
    if (is_new) {
        m->id = ++app.next_id;
        snprintf(m->author, sizeof m->author, "%s", c->session ? c->session->user : "anonymous");
        m->origin[0] = '\0';
        if (c->res.outcome == CORS_OUTCOME_ACTUAL_ALLOWED && c->cr.origin_len < sizeof m->origin) {
            memcpy(m->origin, c->cr.origin, c->cr.origin_len);
            m->origin[c->cr.origin_len] = '\0';
        }
    }
    return 0;
}

static void reply_message(ctx *c, int status, const message *m)
{
    sbuf b = {0};
    char id[16], loc[32];

    message_json(&b, m);
    sb_str(&b, "\n");
    json_body(c, status, &b);
    snprintf(id, sizeof id, "%lu", m->id);
    snprintf(loc, sizeof loc, "/messages/%lu", m->id);
    th_set_str(c->resp, "X-Message-Id", id);
    if (status == 201)
        th_set_str(c->resp, "Location", loc);
}

/* rest: the path after "/messages/" (empty for the collection). */
static void handle_messages(ctx *c, const char *rest, size_t rest_len)
{

    if (!authenticated(c)) {
        json_error(c, 401, "authentication required");
        th_set_str(c->resp, "WWW-Authenticate", "Bearer realm=\"messages\"");
        return;
    }
    if (rest_len == 0) {
        if (method_is(c, "GET") || method_is(c, "HEAD")) {
            sbuf b = {0};
            unsigned long id = app.next_id > MAX_MESSAGES ? app.next_id - MAX_MESSAGES + 1 : 1;
            int first = 1;
            sb_str(&b, "{\"messages\":[");
            /* Oldest first: ids only grow. */
            for (; id <= app.next_id; id++) {
                const message *m = find_message(id);
                if (!m)
                    continue;
                if (!first)
                    sb_str(&b, ",");
                first = 0;
                message_json(&b, m);
            }
            sb_str(&b, "]}\n");
            json_body(c, 200, &b);
        } else if (method_is(c, "POST")) {
            message *m = &app.messages[app.next_id % MAX_MESSAGES];
            if (read_json_body(c) != 0 || store_message(c, m, 1) != 0)
                return;
            reply_message(c, 201, m);
        } else {
            method_not_allowed(c, "GET, HEAD, POST, OPTIONS");
        }
    } else {
        unsigned long id = 0;
        size_t i;
        message *m;
        for (i = 0; i < rest_len && i < 9 && rest[i] >= '0' && rest[i] <= '9'; i++)
            id = id * 10 + (unsigned long)(rest[i] - '0');
        if (i != rest_len || !(m = find_message(id))) {
            json_error(c, 404, "no such message");
            return;
        }
        if (method_is(c, "GET") || method_is(c, "HEAD")) {
            reply_message(c, 200, m);
        } else if (method_is(c, "PATCH")) {
            if (read_json_body(c) != 0 || store_message(c, m, 0) != 0)
                return;
            reply_message(c, 200, m);
        } else if (method_is(c, "DELETE")) {
            free(m->json);
            memset(m, 0, sizeof *m);
            th_response_init(c->resp, 204);
        } else {
            method_not_allowed(c, "GET, HEAD, PATCH, DELETE, OPTIONS");
        }
    }
    /* The answer names the session's user. */
    th_merge_str(c->resp, "Vary", "Cookie");
}

/* The built-in page.  It only ever writes text (textContent), never HTML,
   so a message cannot inject markup. */
static const char *const page_parts[] = {
    "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
    "<title>messages</title></head><body>\n"
    "<h1>Messages</h1>\n"
    "<p>API origin: <code id=\"api\"></code></p>\n"
    "<form id=\"form\"><input id=\"text\" value=\"hello\" maxlength=\"1000\">\n"
    "<button>Post</button></form>\n"
    "<p>Status: <output id=\"status\">idle</output></p>\n"
    "<ul id=\"list\"></ul>\n",
    "<script>\n"
    "'use strict';\n"
    "const q = new URLSearchParams(location.search);\n"
    "let api = location.origin;\n"
    "try { if (q.has('api')) api = new URL(q.get('api')).origin; } catch (e) {}\n"
    "document.getElementById('api').textContent = api;\n"
    "const show = (s) => { document.getElementById('status').textContent = s; };\n"
    "async function refresh() {\n"
    "  const r = await fetch(api + '/messages/');\n"
    "  const list = document.getElementById('list');\n"
    "  list.textContent = '';\n"
    "  for (const m of (await r.json()).messages) {\n"
    "    const li = document.createElement('li');\n"
    "    li.textContent = m.author + ': ' + JSON.stringify(m.message);\n"
    "    list.appendChild(li);\n"
    "  }\n"
    "}\n",
    "async function post(text) {\n"
    "  show('sending');\n"
    "  try {\n"
    "    const r = await fetch(api + '/messages/', {method: 'POST',\n"
    "      headers: {'Content-Type': 'application/json'},\n"
    "      body: JSON.stringify({text})});\n"
    "    const m = await r.json();\n"
    "    show(r.ok ? 'stored ' + r.status + ' id=' + m.id : 'refused ' + r.status + ' ' + m.error);\n"
    "    await refresh();\n"
    "  } catch (e) {\n"
    "    show('network error: ' + e.name);\n"
    "  }\n"
    "}\n"
    "document.getElementById('form').addEventListener('submit', (ev) => {\n"
    "  ev.preventDefault();\n"
    "  post(document.getElementById('text').value);\n"
    "});\n"
    "if (q.has('send')) post(q.get('send'));\n"
    "</script></body></html>\n",
};

static void handle_page(ctx *c)
{
    sbuf b = {0};
    size_t i;

    if (!method_is(c, "GET") && !method_is(c, "HEAD")) {
        method_not_allowed(c, "GET, HEAD, OPTIONS");
        return;
    }
    if (app.page)
        sb_add(&b, app.page, app.page_len);
    else
        for (i = 0; i < sizeof page_parts / sizeof page_parts[0]; i++)
            sb_str(&b, page_parts[i]);
    json_body(c, 200, &b);
    th_set_str(c->resp, "Content-Type", "text/html; charset=utf-8");
}

static void route(ctx *c)
{
    if (path_is(c, "/") || path_is(c, "/index.html"))
        handle_page(c);
    else if (path_is(c, "/login"))
        handle_login(c);
    else if (path_is(c, "/messages"))
        handle_messages(c, "", 0);
    else if (c->req->path.len >= 10 && memcmp(c->req->path.ptr, "/messages/", 10) == 0)
        handle_messages(c, c->req->path.ptr + 10, c->req->path.len - 10);
    else
        json_error(c, 404, "no such resource");
}

/* Fills the libcors request from the parsed one: every header line goes
   to cors_fields_add(), which keeps all Access-Control-Request-Headers
   lines and notices single-valued CORS fields sent twice; such a request
   is malformed (Fetch treats a combined "a, b" Origin as no origin at all).
   The scheme, with Host, lets libcors tell the site's own pages, which send
   Origin on their posts too, from other origins (same-origin). */
static int fill_cors_request(ctx *c)
{
    size_t i;

    cors_request_init(&c->cr);
    cors_fields_init(&c->fields, &c->cr);
    c->cr.method = c->req->method.ptr;
    c->cr.method_len = c->req->method.len;
    c->cr.scheme = "http";
    c->cr.scheme_len = 4;
    for (i = 0; i < c->req->nfields; i++) {
        const th_field *f = &c->req->fields[i];
        cors_fields_add(&c->fields, f->name.ptr, f->name.len, f->value.ptr, f->value.len);
    }
    return (c->cr.field_flags & (CORS_FIELD_ORIGIN_REPEATED | CORS_FIELD_METHOD_REPEATED |
                                 CORS_FIELD_PRIVATE_NETWORK_REPEATED))
               ? -1
               : 0;
}

static void log_request(const ctx *c, int status)
{
    size_t i, n = 0;

    fprintf(app.log, "req=%lu method=", app.requests);
    log_token(c->req->method.ptr, c->req->method.len);
    fputs(" path=", app.log);
    log_token(c->req->target.ptr, c->req->target.len);
    fputs(" origin=", app.log);
    log_token(c->cr.origin, c->cr.origin_len);
    fputs(" acrm=", app.log);
    log_token(c->cr.request_method, c->cr.request_method_len);
    fputs(" acrh=", app.log);
    for (i = 0; i < c->cr.request_headers_count; i++) {
        if (n++)
            fputc('|', app.log);
        log_token(c->cr.request_headers[i].ptr, c->cr.request_headers[i].len);
    }
    if (n == 0)
        fputc('-', app.log);
    fprintf(app.log, " cookie=%s status=%d cors=%s", c->cookie_state ? c->cookie_state : "none",
            status, cors_outcome_token(c->res.outcome));
    if (c->res.reason != CORS_REASON_NONE) {
        char why[512];
        cors_result_describe(app.policy, &c->res, why, sizeof why);
        fputs(" reason=", app.log);
        log_token(why, strlen(why));
    }
    if (c->error) {
        fputs(" error=", app.log);
        log_token(c->error, strlen(c->error));
    }
    fputc('\n', app.log);
    fflush(app.log);
}

static int is_safe_method(const ctx *c)
{
    return method_is(c, "GET") || method_is(c, "HEAD");
}

/* Handles one complete request; returns the serialized response. */
static char *handle(const th_request *req, const char *body, size_t *out_len)
{
    static th_response resp;
    static staged st;
    ctx c;
    char *out;
    cors_error e;

    memset(&c, 0, sizeof c);
    c.req = req;
    c.body = body;
    c.resp = &resp;
    cors_result_init(&c.res);
    th_response_init(&resp, 500);
    th_response_init(&st.h, 0);
    app.requests++;

    if (fill_cors_request(&c) != 0) {
        json_error(&c, 400, "a CORS request field was sent more than once");
        goto send;
    }
    /* libcors comes first, before routing and authentication. */
    e = cors_evaluate(app.policy, &c.cr, stage_emit, &st, &c.res);
    if (e != CORS_OK) {
        json_error(&c, 500, cors_strerror(e));
        goto send;
    }
    if (c.res.outcome == CORS_OUTCOME_PREFLIGHT_ACCEPTED ||
        c.res.outcome == CORS_OUTCOME_PREFLIGHT_DENIED) {
        /* Cookies are never looked at here; the log only notes that one
           came (browsers send none on a preflight). */
        c.cookie_state = th_field_count(req, "cookie", NULL) ? "unchecked" : "none";
        th_response_init(&resp, c.res.status);
        apply_cors(&st, &resp);
        goto send;
    }
    read_session(&c);
    if (c.res.outcome == CORS_OUTCOME_ACTUAL_DISALLOWED && !is_safe_method(&c)) {
        json_error(&c, 403, "this origin may not change anything here");
        apply_cors(&st, &resp);
        goto send;
    }
    if (method_is(&c, "OPTIONS")) {
        /* An OPTIONS request that is not a preflight is ordinary. */
        th_response_init(&resp, 204);
        th_set_str(&resp, "Allow", "GET, HEAD, POST, PATCH, DELETE, OPTIONS");
    } else {
        route(&c);
    }
    apply_cors(&st, &resp);
send:
    if (resp.failed) {
        th_response_init(&resp, 500);
        c.error = "response header did not fit";
    }
    {
        char rid[24];
        snprintf(rid, sizeof rid, "%lu", app.requests);
        th_set_str(&resp, "X-Request-Id", rid);
    }
    log_request(&c, resp.status);
    out = th_serialize(&resp, method_is(&c, "HEAD"), out_len);
    free(c.owned_body);
    return out;
}

/* A fixed answer for a request that could not be parsed. */
static char *bad_request(int status, const char *why, size_t *out_len)
{
    th_response r;
    char body[256];
    int n;

    app.requests++;
    fprintf(app.log, "req=%lu bad status=%d error=", app.requests, status);
    log_token(why, strlen(why));
    fputc('\n', app.log);
    fflush(app.log);
    th_response_init(&r, status);
    n = snprintf(body, sizeof body, "{\"error\":\"%s\"}\n", why);
    th_set_str(&r, "Content-Type", "application/json");
    r.body = body;
    r.body_len = n > 0 && (size_t)n < sizeof body ? (size_t)n : 0;
    return th_serialize(&r, 0, out_len);
}

/* ------------------------------------------------------------ connections */

static void conn_close(conn *c)
{
    close(c->fd);
    free(c->out);
    c->out = NULL;
    c->st = C_FREE;
}

static void conn_respond(conn *c, char *out, size_t len)
{
    if (!out) {
        conn_close(c);
        return;
    }
    c->out = out;
    c->out_len = len;
    c->out_off = 0;
    c->st = C_WRITE;
    c->deadline = now_ms() + app.timeout_ms;
}

static void conn_read(conn *c)
{
    th_request req;
    const char *why;
    ssize_t got;
    int st;

    if (c->in_len == sizeof c->in) {
        size_t len;
        char *out = bad_request(413, "request too large", &len);
        conn_respond(c, out, len);
        return;
    }
    got = recv(c->fd, c->in + c->in_len, sizeof c->in - c->in_len, 0);
    if (got < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
        return;
    if (got <= 0) {
        conn_close(c); /* the client went away before finishing a request */
        return;
    }
    c->in_len += (size_t)got;
    st = th_parse_head(c->in, c->in_len, &req, &why);
    if (st == TH_INCOMPLETE)
        return;
    if (st != TH_COMPLETE) {
        size_t len;
        char *out = bad_request(st, why, &len);
        conn_respond(c, out, len);
        return;
    }
    if (c->in_len < req.head_len + req.content_length) {
        /* RFC 9110 10.1.1: tell a waiting client to send the body. */
        if (req.expect_continue && !c->sent_continue) {
            static const char cont[] = "HTTP/1.1 100 Continue\r\n\r\n";
            c->sent_continue = 1;
            (void)send(c->fd, cont, sizeof cont - 1, MSG_NOSIGNAL);
        }
        return;
    }
    {
        size_t len;
        char *out = handle(&req, c->in + req.head_len, &len);
        conn_respond(c, out, len);
    }
}

static void conn_write(conn *c)
{
    ssize_t n = send(c->fd, c->out + c->out_off, c->out_len - c->out_off, MSG_NOSIGNAL);

    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
        return;
    if (n <= 0) {
        conn_close(c);
        return;
    }
    c->out_off += (size_t)n;
    if (c->out_off < c->out_len)
        return;
    /* Closing at once could reset the connection while unread request
       bytes remain, and the client would lose the response: half-close,
       then drain for a moment. */
    shutdown(c->fd, SHUT_WR);
    c->st = C_LINGER;
    c->deadline = now_ms() + LINGER_MS;
}

static void conn_linger(conn *c)
{
    char junk[4096];
    ssize_t n = recv(c->fd, junk, sizeof junk, 0);

    if (n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR))
        conn_close(c);
}

static void conn_timeout(conn *c)
{
    if (c->st == C_READ && c->in_len > 0) {
        size_t len;
        char *out = bad_request(408, "request not received in time", &len);
        conn_respond(c, out, len);
        c->deadline = now_ms() + LINGER_MS; /* no second wait for a slow reader */
        return;
    }
    conn_close(c); /* idle (a browser's preconnect), a slow reader, or lingering */
}

static int set_nonblocking(int fd)
{
    int fl = fcntl(fd, F_GETFL);

    return fl < 0 ? -1 : fcntl(fd, F_SETFL, fl | O_NONBLOCK);
}

static void accept_all(int lfd)
{
    for (;;) {
        int fd = accept(lfd, NULL, NULL);
        size_t i;
        if (fd < 0)
            return;
        for (i = 0; i < MAX_CONNS && app.conns[i].st != C_FREE; i++)
            ;
        if (i == MAX_CONNS || set_nonblocking(fd) != 0) {
            static const char busy[] = "HTTP/1.1 503 Service Unavailable\r\n"
                                       "Content-Length: 0\r\nConnection: close\r\n\r\n";
            char junk[4096];
            /* Unread bytes would turn the close into a reset that can
               destroy the answer on its way: read what already came. */
            while (recv(fd, junk, sizeof junk, MSG_DONTWAIT) > 0)
                ;
            (void)send(fd, busy, sizeof busy - 1, MSG_NOSIGNAL | MSG_DONTWAIT);
            shutdown(fd, SHUT_WR);
            close(fd);
            continue;
        }
        app.conns[i].fd = fd;
        app.conns[i].st = C_READ;
        app.conns[i].in_len = 0;
        app.conns[i].sent_continue = 0;
        app.conns[i].deadline = now_ms() + app.timeout_ms;
    }
}

static int serve(int lfd)
{
    struct pollfd pfd[MAX_CONNS + 1];
    int idx[MAX_CONNS + 1];

    while (!stop) {
        int n = 1, i, r;
        long long now = now_ms(), next = now + 60000;

        pfd[0].fd = lfd;
        pfd[0].events = POLLIN;
        for (i = 0; i < MAX_CONNS; i++) {
            conn *c = &app.conns[i];
            if (c->st == C_FREE)
                continue;
            if (c->deadline <= now) {
                conn_timeout(c);
                if (c->st == C_FREE)
                    continue;
            }
            if (c->deadline < next)
                next = c->deadline;
            pfd[n].fd = c->fd;
            pfd[n].events = c->st == C_WRITE ? POLLOUT : POLLIN;
            idx[n++] = i;
        }
        r = poll(pfd, (nfds_t)n, (int)(next - now));
        if (r < 0 && errno != EINTR) {
            perror("messages-server: poll");
            return 1;
        }
        if (r <= 0)
            continue;
        for (i = 1; i < n; i++) {
            conn *c = &app.conns[idx[i]];
            if (!pfd[i].revents)
                continue;
            if (c->st == C_READ)
                conn_read(c);
            else if (c->st == C_WRITE)
                conn_write(c);
            else if (c->st == C_LINGER)
                conn_linger(c);
        }
        if (pfd[0].revents & POLLIN)
            accept_all(lfd);
    }
    return 0;
}

/* ---------------------------------------------------------------- set-up */

static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *buf;
    size_t n;

    if (!f)
        return NULL;
    buf = malloc(MAX_FILE + 1);
    n = buf ? fread(buf, 1, MAX_FILE + 1, f) : 0;
    if (!buf || ferror(f) || n > MAX_FILE) {
        fclose(f);
        free(buf);
        errno = EFBIG;
        return NULL;
    }
    fclose(f);
    buf[n] = '\0';
    *len = n;
    return buf;
}

static int parse_uint(const char *s, unsigned long max, unsigned long *out)
{
    char *end;
    unsigned long v;

    if (!*s || *s == '-' || *s == '+')
        return -1;
    errno = 0;
    v = strtoul(s, &end, 10);
    if (errno || *end || v > max)
        return -1;
    *out = v;
    return 0;
}

static void usage(FILE *to)
{
    fputs("usage: messages-server [--port N] [--bind ADDRESS] [--policy FILE]\n"
          "                       [--page FILE] [--log FILE] [--auth TOKEN] [--timeout SECONDS]\n"
          "Serves the messages API on http://ADDRESS:N (default 127.0.0.1:8080; --port 0\n"
          "picks a free port), answering CORS as the policy file (libcors-policy(5)) says.\n"
          "Prints \"listening on URL\" once ready; logs one line per request to --log\n"
          "(default: stderr).\n",
          to);
}

int main(int argc, char **argv)
{
    unsigned long port = 8080, timeout = 10;
    const char *bind_addr = "127.0.0.1", *policy_path = NULL, *page_path = NULL;
    const char *log_path = NULL;
    struct sockaddr_storage ss;
    socklen_t sslen;
    struct sigaction sa;
    char *page = NULL;
    int lfd, one = 1, i, rc;
    char host[INET6_ADDRSTRLEN];

    for (i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            usage(stdout);
            return 0;
        }
        if (!v) {
            usage(stderr);
            return 2;
        }
        i++;
        if (!strcmp(a, "--port")) {
            if (parse_uint(v, 65535, &port) != 0) {
                fprintf(stderr, "messages-server: --port wants 0..65535, not \"%s\"\n", v);
                return 2;
            }
        } else if (!strcmp(a, "--timeout")) {
            if (parse_uint(v, 3600, &timeout) != 0 || timeout == 0) {
                fprintf(stderr, "messages-server: --timeout wants 1..3600 seconds\n");
                return 2;
            }
        } else if (!strcmp(a, "--bind")) {
            bind_addr = v;
        } else if (!strcmp(a, "--policy")) {
            policy_path = v;
        } else if (!strcmp(a, "--page")) {
            page_path = v;
        } else if (!strcmp(a, "--log")) {
            log_path = v;
        } else if (!strcmp(a, "--auth")) {
            app.auth_token = v;
        } else {
            usage(stderr);
            return 2;
        }
    }
    app.timeout_ms = (int)timeout * 1000;
    app.log = stderr;
    if (log_path && !(app.log = fopen(log_path, "a"))) {
        fprintf(stderr, "messages-server: %s: %s\n", log_path, strerror(errno));
        return 1;
    }
    if (page_path) {
        if (!(page = read_file(page_path, &app.page_len))) {
            fprintf(stderr, "messages-server: %s: %s\n", page_path, strerror(errno));
            return 1;
        }
        app.page = page;
    }
    if (!(app.policy = example_load_policy(policy_path))) {
        fprintf(stderr, "messages-server: no usable CORS policy; not starting\n");
        return 2;
    }

    memset(&ss, 0, sizeof ss);
    if (inet_pton(AF_INET, bind_addr, &((struct sockaddr_in *)&ss)->sin_addr) == 1) {
        ((struct sockaddr_in *)&ss)->sin_family = AF_INET;
        ((struct sockaddr_in *)&ss)->sin_port = htons((unsigned short)port);
        sslen = sizeof(struct sockaddr_in);
    } else if (inet_pton(AF_INET6, bind_addr, &((struct sockaddr_in6 *)&ss)->sin6_addr) == 1) {
        ((struct sockaddr_in6 *)&ss)->sin6_family = AF_INET6;
        ((struct sockaddr_in6 *)&ss)->sin6_port = htons((unsigned short)port);
        sslen = sizeof(struct sockaddr_in6);
    } else {
        fprintf(stderr, "messages-server: --bind wants an IPv4 or IPv6 address, not \"%s\"\n",
                bind_addr);
        return 2;
    }
    lfd = socket(ss.ss_family, SOCK_STREAM, 0);
    if (lfd < 0 || setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) != 0 ||
        bind(lfd, (struct sockaddr *)&ss, sslen) != 0 || listen(lfd, 64) != 0 ||
        set_nonblocking(lfd) != 0 || getsockname(lfd, (struct sockaddr *)&ss, &sslen) != 0) {
        fprintf(stderr, "messages-server: cannot listen on %s:%lu: %s\n", bind_addr, port,
                strerror(errno));
        return 1;
    }

    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal; /* no SA_RESTART: poll() must wake up */
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sa.sa_handler = SIG_IGN;
    sigaction(SIGPIPE, &sa, NULL);

    if (ss.ss_family == AF_INET) {
        inet_ntop(AF_INET, &((struct sockaddr_in *)&ss)->sin_addr, host, sizeof host);
        printf("listening on http://%s:%u/\n", host,
               ntohs(((struct sockaddr_in *)&ss)->sin_port));
    } else {
        inet_ntop(AF_INET6, &((struct sockaddr_in6 *)&ss)->sin6_addr, host, sizeof host);
        printf("listening on http://[%s]:%u/\n", host,
               ntohs(((struct sockaddr_in6 *)&ss)->sin6_port));
    }
    fflush(stdout);

    rc = serve(lfd);

    close(lfd);
    for (i = 0; i < MAX_CONNS; i++)
        if (app.conns[i].st != C_FREE)
            conn_close(&app.conns[i]);
    for (i = 0; i < MAX_MESSAGES; i++)
        free(app.messages[i].json);
    cors_policy_free(app.policy);
    free(page);
    if (app.log != stderr)
        fclose(app.log);
    return rc;
}
