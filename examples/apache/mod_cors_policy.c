/*
 * mod_cors_policy.c - Apache httpd module: "CorsPolicy FILE|off" gives a
 * virtual host, directory, location or .htaccess scope the CORS behaviour of
 * a libcors policy (libcors-policy(5)).  See mod_cors_policy(8).
 *
 * Request life cycle:
 *   header_parser   the per-directory configuration is final here and no
 *                   access, authentication or authorization hook has run
 *                   yet: the request is evaluated, a preflight is answered
 *                   at once (DONE), an actual request gets its headers in
 *                   err_headers_out, which every response carries, error
 *                   responses included.
 *   output filter   just before the response head is written: the
 *                   Access-Control-* fields someone else set (a proxied
 *                   backend, a mod_headers recipe) are removed and the
 *                   policy's are put back, so there is exactly one of each.
 *
 * Copyright (c) 2026 The libcors authors.  MIT licence, see COPYING.
 */
#include <cors.h>

#include "httpd.h"
#include "http_config.h"
#include "http_core.h"
#include "http_log.h"
#include "http_protocol.h"
#include "http_request.h"
#include "util_filter.h"

#include "apr_hash.h"
#include "apr_strings.h"
#if APR_HAS_THREADS
#include "apr_thread_mutex.h"
#endif

#include <string.h>
#include <strings.h>

/* Defined at the end (AP_DECLARE_MODULE), used by the functions before. */
module AP_MODULE_DECLARE_DATA cors_policy_module;

#define FILTER_NAME "CORS_POLICY"

/* ------------------------------------------------------------ configuration */

typedef struct cors_dir_conf {
    int set;                    /* CorsPolicy appears in this scope */
    const char *path;           /* the policy file; NULL with "off" */
    const cors_policy *policy;  /* NULL with "off" or when never set */
} cors_dir_conf;

static void *create_dir_conf(apr_pool_t *p, char *dir)
{
    (void)dir;
    return apr_pcalloc(p, sizeof(cors_dir_conf));
}

/* The innermost scope that says CorsPolicy wins, "off" included. */
static void *merge_dir_conf(apr_pool_t *p, void *base, void *add)
{
    cors_dir_conf *conf = apr_palloc(p, sizeof(*conf));

    *conf = ((cors_dir_conf *)add)->set ? *(cors_dir_conf *)add : *(cors_dir_conf *)base;
    return conf;
}

/*
 * Built policies, by absolute file name, so that each file is built once and
 * shared by every scope naming it.  Those named in the server configuration
 * are built while it is read, in the parent process; children inherit them
 * and only read them.  Files named only in .htaccess (read per request, in a
 * child) are built on first use in each child, under a lock, and kept for the
 * child's lifetime; a changed file is read again after a graceful restart.
 */
static apr_hash_t *config_policies; /* pconf lifetime */
static apr_hash_t *child_policies;  /* pchild lifetime */
static apr_pool_t *child_pool;
#if APR_HAS_THREADS
static apr_thread_mutex_t *child_lock;
#endif

static apr_status_t forget_config_policies(void *unused)
{
    (void)unused;
    config_policies = NULL;
    return APR_SUCCESS;
}

static apr_status_t free_policy(void *policy)
{
    cors_policy_free(policy);
    return APR_SUCCESS;
}

/*
 * Each diagnostic as "FILE:LINE: message".  httpd prints a directive's error
 * on one line (it escapes newlines), so every error but the last is logged,
 * in order, and the last is returned: "apache2 -t" then shows them all, the
 * last under httpd's own "Syntax error on line N of httpd.conf".
 */
static const char *diagnostics(cmd_parms *cmd, const cors_builder *b, const char *path)
{
    const char *last = NULL;
    size_t i;

    for (i = 0; i < cors_builder_diagnostic_count(b); i++) {
        const cors_diagnostic *d = cors_builder_diagnostic(b, i);
        const char *file = d->file ? d->file : path; /* build-time checks name none */
        const char *line = d->line ? apr_psprintf(cmd->pool, "%s:%u: %s [%s]", file, d->line,
                                                  d->message, d->id)
                                   : apr_psprintf(cmd->pool, "%s: %s [%s]", file, d->message,
                                                  d->id);
        if (d->severity == CORS_SEVERITY_WARNING) {
            ap_log_error(APLOG_MARK, APLOG_WARNING, 0, cmd->server, "warning: %s", line);
            continue;
        }
        if (last)
            ap_log_error(APLOG_MARK, APLOG_ERR, 0, cmd->server, "%s", last);
        last = line;
    }
    return last;
}

/* Builds the policy in path; owner frees it.  NULL, or the error text. */
static const char *build_policy(cmd_parms *cmd, apr_pool_t *owner, const char *path,
                                const cors_policy **out)
{
    cors_builder *b = cors_builder_new(NULL);
    cors_policy *policy = NULL;
    const char *err;

    if (!b)
        return cors_strerror(CORS_ERR_NOMEM);
    if (cors_builder_parse_file(b, path) != CORS_ERR_NOMEM)
        cors_builder_build(b, &policy);
    err = diagnostics(cmd, b, path);
    if (!err && !policy)
        err = apr_psprintf(cmd->pool, "%s: %s", path, cors_strerror(CORS_ERR_NOMEM));
    cors_builder_free(b);
    if (err)
        return err;
    apr_pool_cleanup_register(owner, policy, free_policy, apr_pool_cleanup_null);
    *out = policy;
    return NULL;
}

/* While the configuration is read: once per file, in pconf. */
static const char *config_policy(cmd_parms *cmd, const char *path, const cors_policy **out)
{
    const char *err;

    if (!config_policies) {
        config_policies = apr_hash_make(cmd->pool);
        apr_pool_cleanup_register(cmd->pool, NULL, forget_config_policies,
                                  apr_pool_cleanup_null);
    }
    if ((*out = apr_hash_get(config_policies, path, APR_HASH_KEY_STRING)) != NULL)
        return NULL;
    if ((err = build_policy(cmd, cmd->pool, path, out)) != NULL)
        return err;
    apr_hash_set(config_policies, apr_pstrdup(cmd->pool, path), APR_HASH_KEY_STRING, *out);
    return NULL;
}

/* From .htaccess, in a child: once per file and child, under the lock. */
static const char *child_policy(cmd_parms *cmd, const char *path, const cors_policy **out)
{
    const char *err = NULL;

    if (config_policies &&
        (*out = apr_hash_get(config_policies, path, APR_HASH_KEY_STRING)) != NULL)
        return NULL;
    if (!child_policies)
        return "CorsPolicy: the module was not initialized in this process";
#if APR_HAS_THREADS
    apr_thread_mutex_lock(child_lock);
#endif
    if ((*out = apr_hash_get(child_policies, path, APR_HASH_KEY_STRING)) == NULL &&
        (err = build_policy(cmd, child_pool, path, out)) == NULL)
        apr_hash_set(child_policies, apr_pstrdup(child_pool, path), APR_HASH_KEY_STRING, *out);
#if APR_HAS_THREADS
    apr_thread_mutex_unlock(child_lock);
#endif
    return err;
}

static const char *set_cors_policy(cmd_parms *cmd, void *dconf, const char *arg)
{
    cors_dir_conf *conf = dconf;

    conf->set = 1;
    conf->path = NULL;
    conf->policy = NULL;
    if (strcasecmp(arg, "off") == 0)
        return NULL;
    /* Relative names are under ServerRoot, as for AuthUserFile. */
    if (!(conf->path = ap_server_root_relative(cmd->pool, arg)))
        return apr_pstrcat(cmd->pool, "CorsPolicy: invalid file name ", arg, NULL);
    /* .htaccess files are read per request, long after start-up. */
    if (ap_state_query(AP_SQ_MAIN_STATE) == AP_SQ_MS_RUN_MPM)
        return child_policy(cmd, conf->path, &conf->policy);
    return config_policy(cmd, conf->path, &conf->policy);
}

static const command_rec cors_cmds[] = {
    AP_INIT_TAKE1("CorsPolicy", set_cors_policy, NULL, OR_FILEINFO,
                  "a libcors policy file (libcors-policy(5)) for this scope, or 'off'"),
    {NULL, {NULL}, NULL, 0, RAW_ARGS, NULL}
};

static void child_init(apr_pool_t *pchild, server_rec *s)
{
    (void)s;
    child_pool = pchild;
    child_policies = apr_hash_make(pchild);
#if APR_HAS_THREADS
    apr_thread_mutex_create(&child_lock, APR_THREAD_MUTEX_DEFAULT, pchild);
#endif
}

/* ----------------------------------------------------------------- requests */

typedef struct cors_out_header {
    const char *name;
    const char *value;
    unsigned flags; /* cors_header_flags */
} cors_out_header;

/* What libcors decided for one request: kept for the output filter. */
typedef struct cors_req_state {
    apr_array_header_t *headers; /* of cors_out_header, in r->pool */
    cors_result result;
} cors_req_state;

/* The request a client sent, before any internal redirect. */
static request_rec *original_request(request_rec *r)
{
    while (r->prev)
        r = r->prev;
    return r;
}

static cors_req_state *state_of(request_rec *r)
{
    if (r->main)
        return NULL; /* subrequests never answer the client */
    return ap_get_module_config(original_request(r)->request_config, &cors_policy_module);
}

static int collect_header(void *ctx, const char *name, size_t name_len, const char *value,
                          size_t value_len, unsigned flags)
{
    cors_req_state *st = ctx;
    cors_out_header *h = apr_array_push(st->headers);
    apr_pool_t *p = st->headers->pool;

    h->name = apr_pstrmemdup(p, name, name_len);
    h->value = apr_pstrmemdup(p, value, value_len);
    h->flags = flags;
    return 0;
}

/*
 * Every request header line goes to libcors's field helper, which keeps
 * what CORS reads.  httpd has already combined repeated lines into one
 * comma-separated value (RFC 9110, 5.3) before any module sees them:
 * several Access-Control-Request-Headers lines arrive as their list, which
 * is what Fetch means by them, and several Origin lines as a value that is
 * no serialized origin, which libcors denies.
 */
static void fill_request(request_rec *r, cors_request *req, cors_fields *fields)
{
    const apr_array_header_t *arr = apr_table_elts(r->headers_in);
    const apr_table_entry_t *e = (const apr_table_entry_t *)arr->elts;
    int i;

    cors_request_init(req);
    cors_fields_init(fields, req);
    req->method = r->method;
    req->method_len = strlen(r->method);
    /* With the Host line cors_fields_add() reads, the scheme lets libcors
       tell the site's own pages (same-origin) from other origins. */
    req->scheme = ap_http_scheme(r);
    req->scheme_len = strlen(req->scheme);
    for (i = 0; i < arr->nelts; i++)
        if (e[i].key && e[i].val)
            cors_fields_add(fields, e[i].key, strlen(e[i].key), e[i].val, strlen(e[i].val));
}

/* CORS_OUTCOME and CORS_REASON, for LogFormat's %{...}n and %{...}e. */
static void record_outcome(request_rec *r, const cors_policy *policy, const cors_result *res)
{
    const char *outcome = cors_outcome_token(res->outcome);
    const char *reason = res->reason != CORS_REASON_NONE ? cors_reason_token(res->reason) : NULL;

    apr_table_setn(r->notes, "CORS_OUTCOME", outcome);
    apr_table_setn(r->subprocess_env, "CORS_OUTCOME", outcome);
    if (reason) {
        apr_table_setn(r->notes, "CORS_REASON", reason);
        apr_table_setn(r->subprocess_env, "CORS_REASON", reason);
    }
    if (reason && APLOGrdebug(r)) {
        char why[512];
        cors_result_describe(policy, res, why, sizeof(why));
        ap_log_rerror(APLOG_MARK, APLOG_DEBUG, 0, r, "CORS %s: %s", outcome, why);
    }
}

static cors_req_state *evaluate(request_rec *r, const cors_policy *policy)
{
    cors_req_state *st = apr_pcalloc(r->pool, sizeof(*st));
    cors_request req;
    cors_fields fields;

    st->headers = apr_array_make(r->pool, CORS_MAX_HEADERS, sizeof(cors_out_header));
    fill_request(r, &req, &fields);
    cors_result_init(&st->result);
    cors_evaluate(policy, &req, collect_header, st, &st->result);
    record_outcome(r, policy, &st->result);
    ap_set_module_config(r->request_config, &cors_policy_module, st);
    return st;
}

/* Writes the policy's headers into t; Vary is merged once, at the start. */
static void apply_headers(apr_table_t *t, const cors_req_state *st, int with_merged)
{
    const cors_out_header *h = (const cors_out_header *)st->headers->elts;
    int i;

    for (i = 0; i < st->headers->nelts; i++) {
        if (h[i].flags & CORS_HEADER_SET)
            apr_table_setn(t, h[i].name, h[i].value);
        else if (with_merged)
            apr_table_mergen(t, h[i].name, h[i].value);
    }
}

/* Every Access-Control-* response field, whoever set it. */
static void strip_access_control(apr_table_t *t)
{
    const apr_array_header_t *arr = apr_table_elts(t);
    int i = 0;

    while (i < arr->nelts) {
        const char *key = APR_ARRAY_IDX(arr, i, apr_table_entry_t).key;
        if (key && strncasecmp(key, "Access-Control-", 15) == 0)
            apr_table_unset(t, key); /* moves the entries after it down */
        else
            i++;
    }
}

/*
 * A preflight is answered here, with no body: httpd finishes a request whose
 * hook returned DONE by sending its head as it stands.
 */
static int answer_preflight(request_rec *r, const cors_req_state *st)
{
    ap_discard_request_body(r);
    apply_headers(r->err_headers_out, st, 1);
    r->status = st->result.status;
    ap_set_content_length(r, 0);
    return DONE;
}

/*
 * header_parser runs once per client request (not for subrequests), after
 * the <Directory>, <Location> and .htaccess configuration is merged and
 * before every access, authentication and authorization hook: a preflight
 * carries no credentials (Fetch, 4.8 "CORS-preflight fetch"), so it must be
 * answered before anything asks for them.  Internal redirects (ErrorDocument)
 * keep the original request's decision: err_headers_out goes with them.
 */
static int cors_header_parser(request_rec *r)
{
    const cors_dir_conf *conf = ap_get_module_config(r->per_dir_config, &cors_policy_module);
    cors_req_state *st;

    if (!conf->policy || r->prev)
        return DECLINED;
    st = evaluate(r, conf->policy);
    if (st->result.outcome == CORS_OUTCOME_PREFLIGHT_ACCEPTED ||
        st->result.outcome == CORS_OUTCOME_PREFLIGHT_DENIED)
        return answer_preflight(r, st);
    apply_headers(r->err_headers_out, st, 1);
    return DECLINED;
}

static ap_filter_rec_t *cors_filter_handle;

/* Runs once, before the response head is written, then steps aside. */
static apr_status_t cors_out_filter(ap_filter_t *f, apr_bucket_brigade *bb)
{
    const cors_req_state *st = f->ctx;

    strip_access_control(f->r->headers_out);
    strip_access_control(f->r->err_headers_out);
    apply_headers(f->r->err_headers_out, st, 0);
    ap_remove_output_filter(f);
    return ap_pass_brigade(f->next, bb);
}

static void insert_filter(request_rec *r)
{
    cors_req_state *st = state_of(r);

    if (st)
        ap_add_output_filter_handle(cors_filter_handle, st, r, r->connection);
}

/*
 * An error response may come before header_parser ran (a malformed request
 * line, a refused URI): it then gets the headers of the virtual host's own
 * scope, as an actual request.  A preflight that failed this early is not
 * answered as a preflight.
 */
static void insert_error_filter(request_rec *r)
{
    const cors_dir_conf *conf = ap_get_module_config(r->per_dir_config, &cors_policy_module);

    if (!state_of(r) && !r->main && !r->prev && conf && conf->policy) {
        cors_req_state *st = evaluate(r, conf->policy);
        if (st->result.outcome == CORS_OUTCOME_PREFLIGHT_ACCEPTED ||
            st->result.outcome == CORS_OUTCOME_PREFLIGHT_DENIED)
            apr_array_clear(st->headers);
    }
    insert_filter(r);
}

static void register_hooks(apr_pool_t *p)
{
    (void)p;
    ap_hook_child_init(child_init, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_header_parser(cors_header_parser, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_insert_filter(insert_filter, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_insert_error_filter(insert_error_filter, NULL, NULL, APR_HOOK_MIDDLE);
    /* After every content filter (mod_headers' included), just before
       HTTP_HEADER (AP_FTYPE_PROTOCOL) writes the head. */
    cors_filter_handle = ap_register_output_filter(FILTER_NAME, cors_out_filter, NULL,
                                                   AP_FTYPE_PROTOCOL - 1);
}

AP_DECLARE_MODULE(cors_policy) = {
    STANDARD20_MODULE_STUFF,
    create_dir_conf,
    merge_dir_conf,
    NULL, /* server config: every setting is per directory */
    NULL,
    cors_cmds,
    register_hooks,
    0 /* flags */
};
