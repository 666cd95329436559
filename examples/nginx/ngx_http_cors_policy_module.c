/*
 * ngx_http_cors_policy_module - CORS for nginx, decided by libcors.
 *
 *   load_module modules/ngx_http_cors_policy_module.so;
 *   location /api/ { cors_policy /etc/nginx/api.policy; ... }
 *
 * Preflights are answered in the rewrite phase; every other response (content,
 * error pages, proxied, FastCGI, cached) gets its CORS headers in a header
 * filter.  See ngx_http_cors_policy_module(8).
 *
 * Copyright (c) 2026 The libcors authors.  MIT licence, see COPYING.
 */
#include <ngx_config.h>
#include <ngx_core.h>
#include <ngx_http.h>

#include <cors.h>


/* Every distinct file is read and built once per configuration. */
typedef struct {
    ngx_str_t                  path;
    cors_policy               *policy;
} ngx_http_cors_policy_file_t;


typedef struct {
    ngx_array_t                files;  /* of ngx_http_cors_policy_file_t */
} ngx_http_cors_policy_main_conf_t;


typedef struct {
    cors_policy               *policy;  /* NULL: "off" */
} ngx_http_cors_policy_loc_conf_t;


/* One request's CORS fields and decision; lives in the request pool. */
typedef struct {
    const cors_policy         *policy;  /* the policy result was made with */
    cors_request               request;
    cors_fields                fields;  /* request's header lines point here */
    cors_result                result;
    unsigned                   answered:1;  /* we sent the preflight answer */
} ngx_http_cors_policy_ctx_t;


static ngx_int_t ngx_http_cors_policy_add_variables(ngx_conf_t *cf);
static ngx_int_t ngx_http_cors_policy_init(ngx_conf_t *cf);
static void *ngx_http_cors_policy_create_main_conf(ngx_conf_t *cf);
static void *ngx_http_cors_policy_create_loc_conf(ngx_conf_t *cf);
static char *ngx_http_cors_policy_merge_loc_conf(ngx_conf_t *cf, void *parent,
    void *child);
static char *ngx_http_cors_policy(ngx_conf_t *cf, ngx_command_t *cmd,
    void *conf);


static ngx_command_t  ngx_http_cors_policy_commands[] = {

    { ngx_string("cors_policy"),
      NGX_HTTP_MAIN_CONF|NGX_HTTP_SRV_CONF|NGX_HTTP_LOC_CONF|NGX_CONF_TAKE1,
      ngx_http_cors_policy,
      NGX_HTTP_LOC_CONF_OFFSET,
      0,
      NULL },

      ngx_null_command
};


static ngx_http_module_t  ngx_http_cors_policy_module_ctx = {
    ngx_http_cors_policy_add_variables,     /* preconfiguration */
    ngx_http_cors_policy_init,              /* postconfiguration */

    ngx_http_cors_policy_create_main_conf,  /* create main configuration */
    NULL,                                   /* init main configuration */

    NULL,                                   /* create server configuration */
    NULL,                                   /* merge server configuration */

    ngx_http_cors_policy_create_loc_conf,   /* create location configuration */
    ngx_http_cors_policy_merge_loc_conf     /* merge location configuration */
};


ngx_module_t  ngx_http_cors_policy_module = {
    NGX_MODULE_V1,
    &ngx_http_cors_policy_module_ctx,       /* module context */
    ngx_http_cors_policy_commands,          /* module directives */
    NGX_HTTP_MODULE,                        /* module type */
    NULL,                                   /* init master */
    NULL,                                   /* init module */
    NULL,                                   /* init process */
    NULL,                                   /* init thread */
    NULL,                                   /* exit thread */
    NULL,                                   /* exit process */
    NULL,                                   /* exit master */
    NGX_MODULE_V1_PADDING
};


static ngx_http_output_header_filter_pt  ngx_http_next_header_filter;


/* ------------------------------------------------------- configuration */

static void *
ngx_http_cors_policy_create_main_conf(ngx_conf_t *cf)
{
    ngx_http_cors_policy_main_conf_t  *cmcf;

    cmcf = ngx_pcalloc(cf->pool, sizeof(ngx_http_cors_policy_main_conf_t));
    if (cmcf == NULL) {
        return NULL;
    }

    if (ngx_array_init(&cmcf->files, cf->pool, 4,
                       sizeof(ngx_http_cors_policy_file_t))
        != NGX_OK)
    {
        return NULL;
    }

    return cmcf;
}


static void *
ngx_http_cors_policy_create_loc_conf(ngx_conf_t *cf)
{
    ngx_http_cors_policy_loc_conf_t  *clcf;

    clcf = ngx_pcalloc(cf->pool, sizeof(ngx_http_cors_policy_loc_conf_t));
    if (clcf == NULL) {
        return NULL;
    }

    clcf->policy = NGX_CONF_UNSET_PTR;

    return clcf;
}


static char *
ngx_http_cors_policy_merge_loc_conf(ngx_conf_t *cf, void *parent, void *child)
{
    ngx_http_cors_policy_loc_conf_t  *prev = parent;
    ngx_http_cors_policy_loc_conf_t  *conf = child;

    ngx_conf_merge_ptr_value(conf->policy, prev->policy, NULL);

    return NGX_CONF_OK;
}


/* The policy lives as long as the configuration (cycle) that loaded it: a
   reload that fails leaves the old cycle, and its policies, serving. */
static void
ngx_http_cors_policy_cleanup(void *data)
{
    cors_policy_free(data);
}


/* Every diagnostic, as "FILE:LINE: message", at the level its severity
   deserves: nginx -t shows all the problems at once. */
static void
ngx_http_cors_policy_log_diagnostics(ngx_conf_t *cf, ngx_str_t *path,
    cors_builder *b)
{
    size_t                  i;
    ngx_uint_t              level;
    const char             *file;
    const cors_diagnostic  *d;

    for (i = 0; i < cors_builder_diagnostic_count(b); i++) {
        d = cors_builder_diagnostic(b, i);

        level = d->severity == CORS_SEVERITY_ERROR ? NGX_LOG_EMERG
                                                   : NGX_LOG_WARN;
        file = d->file ? d->file : (const char *) path->data;

        if (d->line == 0) {
            /* about the file or the policy as a whole, not one line */
            ngx_conf_log_error(level, cf, 0, "%s: %s [%s]", file,
                               d->message, d->id);

        } else {
            ngx_conf_log_error(level, cf, 0, "%s:%ui: %s [%s]", file,
                               (ngx_uint_t) d->line, d->message, d->id);
        }
    }
}


/* path is NUL-terminated: nginx's configuration parser and
   ngx_conf_full_name() both terminate what they return. */
static cors_policy *
ngx_http_cors_policy_build(ngx_conf_t *cf, ngx_str_t *path)
{
    cors_policy         *policy;
    cors_builder        *b;
    ngx_pool_cleanup_t  *cln;

    cln = ngx_pool_cleanup_add(cf->pool, 0);
    b = cors_builder_new(NULL);
    if (cln == NULL || b == NULL) {
        cors_builder_free(b);
        return NULL;
    }

    policy = NULL;
    cors_builder_parse_file(b, (const char *) path->data);
    cors_builder_build(b, &policy);
    ngx_http_cors_policy_log_diagnostics(cf, path, b);
    cors_builder_free(b);

    cln->handler = ngx_http_cors_policy_cleanup;
    cln->data = policy;

    return policy;
}


static cors_policy *
ngx_http_cors_policy_load(ngx_conf_t *cf, ngx_str_t *path)
{
    ngx_uint_t                         i;
    ngx_http_cors_policy_file_t       *file;
    ngx_http_cors_policy_main_conf_t  *cmcf;

    cmcf = ngx_http_conf_get_module_main_conf(cf, ngx_http_cors_policy_module);

    file = cmcf->files.elts;
    for (i = 0; i < cmcf->files.nelts; i++) {
        if (file[i].path.len == path->len
            && ngx_strncmp(file[i].path.data, path->data, path->len) == 0)
        {
            return file[i].policy;
        }
    }

    file = ngx_array_push(&cmcf->files);
    if (file == NULL) {
        return NULL;
    }

    file->path = *path;
    file->policy = ngx_http_cors_policy_build(cf, path);

    return file->policy;
}


static char *
ngx_http_cors_policy(ngx_conf_t *cf, ngx_command_t *cmd, void *conf)
{
    ngx_http_cors_policy_loc_conf_t *clcf = conf;

    ngx_str_t  *value, path;

    if (clcf->policy != NGX_CONF_UNSET_PTR) {
        return "is duplicate";
    }

    value = cf->args->elts;

    if (ngx_strcmp(value[1].data, "off") == 0) {
        clcf->policy = NULL;
        return NGX_CONF_OK;
    }

    path = value[1];
    if (ngx_conf_full_name(cf->cycle, &path, 1) != NGX_OK) {
        return NGX_CONF_ERROR;
    }

    clcf->policy = ngx_http_cors_policy_load(cf, &path);
    if (clcf->policy == NULL) {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                           "CORS policy \"%V\" could not be built", &path);
        return NGX_CONF_ERROR;
    }

    return NGX_CONF_OK;
}


/* ------------------------------------------------------------ deciding */

/* Hands every request header line to libcors (not the first match of each
   name), so that a repeated Origin or Access-Control-Request-Method is seen
   as sent and denied. */
static void
ngx_http_cors_policy_fields(ngx_http_request_t *r, cors_fields *fields)
{
    ngx_uint_t        i;
    ngx_list_part_t  *part;
    ngx_table_elt_t  *h;

    for (part = &r->headers_in.headers.part; part; part = part->next) {
        h = part->elts;

        for (i = 0; i < part->nelts; i++) {
            (void) cors_fields_add(fields, (const char *) h[i].key.data,
                                   h[i].key.len,
                                   (const char *) h[i].value.data,
                                   h[i].value.len);
        }
    }
}


/* With the Host line cors_fields_add() reads, the scheme lets libcors tell
   the site's own pages (same-origin) from other origins. */
static void
ngx_http_cors_policy_scheme(ngx_http_request_t *r, cors_request *req)
{
    req->scheme = "http";
    req->scheme_len = sizeof("http") - 1;

#if (NGX_HTTP_SSL)
    if (r->connection->ssl) {
        req->scheme = "https";
        req->scheme_len = sizeof("https") - 1;
    }
#endif
}


/* The request's CORS fields, gathered once into the request context. */
static ngx_http_cors_policy_ctx_t *
ngx_http_cors_policy_ctx(ngx_http_request_t *r)
{
    ngx_http_cors_policy_ctx_t  *ctx;

    ctx = ngx_http_get_module_ctx(r, ngx_http_cors_policy_module);
    if (ctx != NULL) {
        return ctx;
    }

    ctx = ngx_pcalloc(r->pool, sizeof(ngx_http_cors_policy_ctx_t));
    if (ctx == NULL) {
        return NULL;
    }

    cors_request_init(&ctx->request);
    cors_result_init(&ctx->result);

    if (cors_fields_init(&ctx->fields, &ctx->request) != CORS_OK) {
        return NULL;
    }

    ctx->request.method = (const char *) r->method_name.data;
    ctx->request.method_len = r->method_name.len;
    ngx_http_cors_policy_scheme(r, &ctx->request);
    ngx_http_cors_policy_fields(r, &ctx->fields);

    ngx_http_set_ctx(r, ctx, ngx_http_cors_policy_module);

    return ctx;
}


/* The request's decision under policy, without emitting (for the preflight
   handler and for $cors_outcome and $cors_reason before the response). */
static ngx_http_cors_policy_ctx_t *
ngx_http_cors_policy_decide(ngx_http_request_t *r, const cors_policy *policy)
{
    ngx_http_cors_policy_ctx_t  *ctx;

    ctx = ngx_http_cors_policy_ctx(r);
    if (ctx == NULL) {
        return NULL;
    }

    if (ctx->policy == policy) {
        return ctx;
    }

    if (cors_evaluate(policy, &ctx->request, NULL, NULL, &ctx->result)
        != CORS_OK)
    {
        return NULL;
    }

    ctx->policy = policy;

    return ctx;
}


/* ------------------------------------------------------------- emitting */

static ngx_table_elt_t *
ngx_http_cors_policy_push(ngx_http_request_t *r, const char *name,
    size_t name_len, u_char *value, size_t value_len)
{
    ngx_table_elt_t  *h;

    h = ngx_list_push(&r->headers_out.headers);
    if (h == NULL) {
        return NULL;
    }

    h->hash = 1;
    h->key.data = (u_char *) name;
    h->key.len = name_len;
    h->value.data = value;
    h->value.len = value_len;
    h->lowcase_key = NULL;
#if (nginx_version >= 1023000)
    h->next = NULL;
#endif

    return h;
}


/* Drops every response header whose name starts with prefix (or is name,
   when whole is set): from an upstream, add_header or another module. */
static void
ngx_http_cors_policy_drop(ngx_http_request_t *r, const char *name,
    size_t len, ngx_uint_t whole)
{
    ngx_uint_t        i;
    ngx_list_part_t  *part;
    ngx_table_elt_t  *h;

    for (part = &r->headers_out.headers.part; part; part = part->next) {
        h = part->elts;

        for (i = 0; i < part->nelts; i++) {
            if (h[i].hash != 0
                && h[i].key.len >= len
                && (!whole || h[i].key.len == len)
                && ngx_strncasecmp(h[i].key.data, (u_char *) name, len) == 0)
            {
                h[i].hash = 0;
            }
        }
    }
}


/* Is token an element of the comma-separated list (or is the list "*")? */
static ngx_uint_t
ngx_http_cors_policy_listed(ngx_str_t *list, u_char *token, size_t len)
{
    u_char  *p, *end, *start, *last;

    p = list->data;
    end = p + list->len;

    while (p < end) {
        while (p < end && (*p == ' ' || *p == '\t' || *p == ',')) {
            p++;
        }

        start = p;
        while (p < end && *p != ',') {
            p++;
        }

        last = p;
        while (last > start && (last[-1] == ' ' || last[-1] == '\t')) {
            last--;
        }

        if ((size_t) (last - start) == 1 && *start == '*') {
            return 1;
        }

        if ((size_t) (last - start) == len
            && ngx_strncasecmp(start, token, len) == 0)
        {
            return 1;
        }
    }

    return 0;
}


/* Adds one Vary token to the first Vary line, unless some Vary line
   already names it: other modules and upstreams keep theirs. */
static ngx_int_t
ngx_http_cors_policy_vary_token(ngx_http_request_t *r, u_char *token,
    size_t len)
{
    u_char           *p;
    ngx_uint_t        i;
    ngx_list_part_t  *part;
    ngx_table_elt_t  *h, *first;

    first = NULL;

    for (part = &r->headers_out.headers.part; part; part = part->next) {
        h = part->elts;

        for (i = 0; i < part->nelts; i++) {
            if (h[i].hash == 0 || h[i].key.len != 4
                || ngx_strncasecmp(h[i].key.data, (u_char *) "Vary", 4) != 0)
            {
                continue;
            }

            if (ngx_http_cors_policy_listed(&h[i].value, token, len)) {
                return NGX_OK;
            }

            if (first == NULL) {
                first = &h[i];
            }
        }
    }

    if (first == NULL) {
        return ngx_http_cors_policy_push(r, "Vary", 4, token, len)
               ? NGX_OK : NGX_ERROR;
    }

    p = ngx_pnalloc(r->pool, first->value.len + 2 + len);
    if (p == NULL) {
        return NGX_ERROR;
    }

    ngx_memcpy(p, first->value.data, first->value.len);
    ngx_memcpy(p + first->value.len, ", ", 2);
    ngx_memcpy(p + first->value.len + 2, token, len);

    first->value.data = p;
    first->value.len += 2 + len;

    return NGX_OK;
}


static ngx_int_t
ngx_http_cors_policy_merge(ngx_http_request_t *r, u_char *value, size_t len)
{
    u_char  *p, *end, *start, *last;

    p = value;
    end = value + len;

    while (p < end) {
        while (p < end && (*p == ' ' || *p == ',')) {
            p++;
        }

        start = p;
        while (p < end && *p != ',') {
            p++;
        }

        last = p;
        while (last > start && last[-1] == ' ') {
            last--;
        }

        if (last > start
            && ngx_http_cors_policy_vary_token(r, start, last - start)
               != NGX_OK)
        {
            return NGX_ERROR;
        }
    }

    return NGX_OK;
}


/* libcors's emitter: names and values are valid only during the call, so
   they are copied into the request pool. */
static int
ngx_http_cors_policy_emit(void *data, const char *name, size_t name_len,
    const char *value, size_t value_len, unsigned flags)
{
    ngx_http_request_t *r = data;

    u_char  *n, *v;

    n = ngx_pnalloc(r->pool, name_len + value_len);
    if (n == NULL) {
        return 1;
    }

    v = ngx_cpymem(n, name, name_len);
    ngx_memcpy(v, value, value_len);

    if (flags & CORS_HEADER_MERGE) {
        return ngx_http_cors_policy_merge(r, v, value_len) == NGX_OK ? 0 : 1;
    }

    ngx_http_cors_policy_drop(r, name, name_len, 1);

    return ngx_http_cors_policy_push(r, (const char *) n, name_len, v,
                                     value_len)
           ? 0 : 1;
}


/* The policy alone speaks CORS on this response: whatever Access-Control-*
   fields an upstream or add_header set go, and libcors's headers come in. */
static ngx_int_t
ngx_http_cors_policy_apply(ngx_http_request_t *r,
    ngx_http_cors_policy_ctx_t *ctx, const cors_policy *policy)
{
    ngx_http_cors_policy_drop(r, "Access-Control-", 15, 0);

    if (cors_evaluate(policy, &ctx->request, ngx_http_cors_policy_emit, r,
                      &ctx->result)
        != CORS_OK)
    {
        ngx_log_error(NGX_LOG_ERR, r->connection->log, 0,
                      "cors_policy: cannot add the CORS response headers");
        return NGX_ERROR;
    }

    ctx->policy = policy;

    return NGX_OK;
}


/* ------------------------------------------------------------ handlers */

/*
 * Runs in the rewrite phase: the first phase that knows the location (so
 * location-level cors_policy applies), and before the preaccess and access
 * phases (limit_req, allow/deny, auth_basic, auth_request, limit_except's
 * deny).  A preflight carries no credentials (Fetch, 3.2.2), so it must be
 * answered before authentication could refuse it.
 */
static ngx_int_t
ngx_http_cors_policy_preflight_handler(ngx_http_request_t *r)
{
    ngx_int_t                         rc;
    ngx_http_cors_policy_ctx_t       *ctx;
    ngx_http_cors_policy_loc_conf_t  *clcf;

    if (r->method != NGX_HTTP_OPTIONS || r != r->main) {
        return NGX_DECLINED;
    }

    clcf = ngx_http_get_module_loc_conf(r, ngx_http_cors_policy_module);
    if (clcf->policy == NULL) {
        return NGX_DECLINED;
    }

    ctx = ngx_http_cors_policy_decide(r, clcf->policy);
    if (ctx == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    if (ctx->result.outcome != CORS_OUTCOME_PREFLIGHT_ACCEPTED
        && ctx->result.outcome != CORS_OUTCOME_PREFLIGHT_DENIED)
    {
        return NGX_DECLINED;
    }

    rc = ngx_http_discard_request_body(r);
    if (rc != NGX_OK) {
        return rc;
    }

    r->headers_out.status = ctx->result.status;
    r->headers_out.content_length_n = 0;
    r->header_only = 1;

    if (ngx_http_cors_policy_apply(r, ctx, clcf->policy) != NGX_OK) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    ctx->answered = 1;

    return ngx_http_send_header(r);
}


static ngx_int_t
ngx_http_cors_policy_header_filter(ngx_http_request_t *r)
{
    ngx_http_cors_policy_ctx_t       *ctx;
    ngx_http_cors_policy_loc_conf_t  *clcf;

    if (r != r->main) {
        return ngx_http_next_header_filter(r);
    }

    clcf = ngx_http_get_module_loc_conf(r, ngx_http_cors_policy_module);
    if (clcf->policy == NULL) {
        return ngx_http_next_header_filter(r);
    }

    ctx = ngx_http_cors_policy_ctx(r);
    if (ctx == NULL) {
        return NGX_ERROR;
    }

    if (!ctx->answered
        && ngx_http_cors_policy_apply(r, ctx, clcf->policy) != NGX_OK)
    {
        return NGX_ERROR;
    }

    return ngx_http_next_header_filter(r);
}


/* ----------------------------------------------------------- variables */

static ngx_int_t
ngx_http_cors_policy_variable(ngx_http_request_t *r,
    ngx_http_variable_value_t *v, uintptr_t data)
{
    size_t                            len;
    u_char                           *p;
    const char                       *word;
    ngx_http_cors_policy_ctx_t       *ctx;
    ngx_http_cors_policy_loc_conf_t  *clcf;

    clcf = ngx_http_get_module_loc_conf(r, ngx_http_cors_policy_module);
    ctx = ngx_http_get_module_ctx(r->main, ngx_http_cors_policy_module);

    if (ctx == NULL && clcf->policy != NULL && r == r->main) {
        ctx = ngx_http_cors_policy_decide(r, clcf->policy);
        if (ctx == NULL) {
            return NGX_ERROR;
        }
    }

    if (ctx == NULL
        || (data == 1 && ctx->result.reason == CORS_REASON_NONE))
    {
        v->not_found = 1;
        return NGX_OK;
    }

    if (data == 0) {
        word = cors_outcome_token(ctx->result.outcome);
        p = (u_char *) word;
        len = ngx_strlen(word);

    } else {
        /* A sentence such as "method PATCH is not allowed; allowed: PUT";
           libcors writes request bytes that are not printable as \xHH. */
        len = cors_result_describe(ctx->policy, &ctx->result, NULL, 0);
        p = ngx_pnalloc(r->pool, len + 1);
        if (p == NULL) {
            return NGX_ERROR;
        }

        cors_result_describe(ctx->policy, &ctx->result, (char *) p, len + 1);
    }

    v->data = p;
    v->len = len;
    v->valid = 1;
    v->no_cacheable = 0;
    v->not_found = 0;

    return NGX_OK;
}


static ngx_int_t
ngx_http_cors_policy_add_variables(ngx_conf_t *cf)
{
    ngx_uint_t            i;
    ngx_http_variable_t  *var;

    static ngx_str_t  names[] = {
        ngx_string("cors_outcome"),
        ngx_string("cors_reason")
    };

    for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        var = ngx_http_add_variable(cf, &names[i], NGX_HTTP_VAR_NOCACHEABLE);
        if (var == NULL) {
            return NGX_ERROR;
        }

        var->get_handler = ngx_http_cors_policy_variable;
        var->data = i;
    }

    return NGX_OK;
}


static ngx_int_t
ngx_http_cors_policy_init(ngx_conf_t *cf)
{
    ngx_http_handler_pt        *h;
    ngx_http_core_main_conf_t  *cmcf;

    cmcf = ngx_http_conf_get_module_main_conf(cf, ngx_http_core_module);

    h = ngx_array_push(&cmcf->phases[NGX_HTTP_REWRITE_PHASE].handlers);
    if (h == NULL) {
        return NGX_ERROR;
    }

    *h = ngx_http_cors_policy_preflight_handler;

    ngx_http_next_header_filter = ngx_http_top_header_filter;
    ngx_http_top_header_filter = ngx_http_cors_policy_header_filter;

    return NGX_OK;
}
