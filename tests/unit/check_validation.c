/*
 * check_validation.c - the policy-validation rules of issue 13, one table
 * per rule: public-suffix wildcards, prohibited header names, policies that
 * can never allow anything, origins as Chromium serializes them, private
 * network access with any origin, requested-header limits only where they
 * matter, bounded diagnostics, and messages that say what to write.  (That
 * cors-check's built-in policy lints clean is tests/cli's lint-default.)
 *
 * Linked with the library's internals, for the Public Suffix List lookup.
 */
#include "internal.h"
#include "psl.h"
#include "testutil.h"

/* Builds text; returns its code and whether some diagnostic of severity
   sev holds needle (needle NULL: none asked). */
static cors_error build_text(const char *text, cors_severity sev, const char *needle,
                             int *found)
{
    cors_builder *b = cors_builder_new(NULL);
    cors_policy *p = NULL;
    cors_error e;

    ck_assert_ptr_nonnull(b);
    cors_builder_parse(b, text, strlen(text));
    e = cors_builder_build(b, &p);
    *found = needle ? tu_has_diag(b, sev, needle) : 1;
    if (!*found)
        tu_print_diags(b);
    cors_policy_free(p);
    cors_builder_free(b);
    return e;
}

typedef struct build_case {
    const char *text;
    cors_error code;         /* of cors_builder_build */
    cors_severity sev;
    const char *needle;      /* a diagnostic of that severity holds it; NULL: none asked */
} build_case;

static void check_build_case(const build_case *k)
{
    int found;
    cors_error e = build_text(k->text, k->sev, k->needle, &found);

    ck_assert_msg(e == k->code, "%s: build returned %s", k->text, cors_strerror(e));
    ck_assert_msg(found, "%s: no diagnostic holds \"%s\"", k->text, k->needle);
}

#define ERR CORS_SEVERITY_ERROR
#define WARN CORS_SEVERITY_WARNING
#define REFUSED CORS_ERR_POLICY

/* --------------------------------------------- 1. public-suffix wildcards */

static const struct suffix_case {
    const char *host;
    int suffix;
} suffix_cases[] = {
    {"com", 1},
    {"co.uk", 1},
    {"github.io", 1},
    {"s3.amazonaws.com", 1},
    {"blogspot.co.uk", 1},
    {"example", 1},          /* the implicit rule "*": any top-level label */
    {"example.co.uk", 0},
    {"app.github.io", 0},
    {"example.com", 0},
    {"xn--p1ai", 1},         /* a Unicode TLD, as the table stores it: punycode */
    {"xn--90a3ac.xn--p1ai", 0},
    /* wildcard and exception rules: "*.ck" and "!www.ck" */
    {"ck", 1},
    {"anything.ck", 1},
    {"www.ck", 0},
    {"foo.kawasaki.jp", 1},
    {"city.kawasaki.jp", 0},
};

START_TEST(test_public_suffix_table)
{
    const struct suffix_case *k = &suffix_cases[_i];

    ck_assert_msg(cors__public_suffix(k->host, strlen(k->host)) == k->suffix, "%s: expected %d",
                  k->host, k->suffix);
}
END_TEST

START_TEST(test_public_suffix_snapshot)
{
    /* documented in libcors-policy(5) */
    ck_assert_str_eq(cors__psl_snapshot, "2023-02-09");
    ck_assert_uint_gt(cors__psl_count, 9000);
}
END_TEST

static const build_case suffix_builds[] = {
    {"allow-origin https://*.github.io\nallow-credentials on\n", REFUSED, ERR,
     "\"github.io\" is a public suffix"},
    {"allow-origin https://*.co.uk\nallow-credentials on\n", REFUSED, ERR,
     "dangerously-allow-public-suffix-wildcards-with-credentials"},
    {"allow-origin https://*.s3.amazonaws.com\nallow-credentials on\n", REFUSED, ERR,
     "public suffix"},
    {"allow-origin https://*.co.uk.\nallow-credentials on\n", REFUSED, ERR, "public suffix"},
    {"allow-origin https://*.co.uk\nallow-credentials on\n"
     "dangerously-allow-public-suffix-wildcards-with-credentials on\n",
     CORS_OK, WARN, "allows every subdomain"},
    {"allow-origin https://*.example.co.uk\nallow-credentials on\n", CORS_OK, WARN,
     "allows every subdomain"},
    {"allow-origin https://*.app.github.io\nallow-credentials on\n", CORS_OK, WARN,
     "allows every subdomain"},
    /* without credentials: a warning only */
    {"allow-origin https://*.github.io\n", CORS_OK, WARN,
     "every site anyone registers under the public suffix \"github.io\""},
    {"allow-origin https://*.com\n", CORS_OK, WARN, "public suffix \"com\""},
    /* a single label stays the TLD rule, with its own danger */
    {"allow-origin https://*.com\nallow-credentials on\n"
     "dangerously-allow-public-suffix-wildcards-with-credentials on\n",
     REFUSED, ERR, "top-level domain"},
};

START_TEST(test_public_suffix_builds)
{
    check_build_case(&suffix_builds[_i]);
}
END_TEST

/* ----------------------------------------------- 2. prohibited header names */

static const build_case name_builds[] = {
    {"allow-origin https://a.example\nallow-headers Access-Control-Allow-Origin\n", REFUSED,
     ERR, "CORS response header"},
    {"allow-origin https://a.example\nallow-headers access-control-allow-credentials\n",
     REFUSED, ERR, "CORS response header"},
    {"allow-origin https://a.example\nallow-headers Access-Control-Expose-Headers\n", REFUSED,
     ERR, "CORS response header"},
    {"allow-origin https://a.example\nallow-headers Access-Control-Max-Age\n", REFUSED, ERR,
     "CORS response header"},
    {"allow-origin https://a.example\nallow-headers Access-Control-Request-Method\n", REFUSED,
     ERR, "forbidden request header"},
    {"allow-origin https://a.example\nexpose-headers Origin\n", REFUSED, ERR,
     "never on a response a page reads"},
    {"allow-origin https://a.example\nexpose-headers Access-Control-Request-Headers\n",
     REFUSED, ERR, "never on a response a page reads"},
    {"allow-origin https://a.example\nexpose-headers Access-Control-Request-Private-Network\n",
     REFUSED, ERR, "never on a response a page reads"},
    {"allow-origin https://a.example\nexpose-headers Access-Control-Allow-Methods\n", REFUSED,
     ERR, "never on a response a page reads"},
    {"allow-origin https://a.example\nexpose-headers Access-Control-Allow-Headers\n", REFUSED,
     ERR, "never on a response a page reads"},
    {"allow-origin https://a.example\nexpose-headers Access-Control-Max-Age\n", REFUSED, ERR,
     "never on a response a page reads"},
    /* near misses and the headers of actual responses stay allowed */
    {"allow-origin https://a.example\nallow-headers Access-Control-Allowance X-Origin\n",
     CORS_OK, ERR, NULL},
    {"allow-origin https://a.example\nexpose-headers Access-Control-Allow-Origin Origin-Agent\n",
     CORS_OK, ERR, NULL},
};

START_TEST(test_prohibited_names)
{
    check_build_case(&name_builds[_i]);
}
END_TEST

/* ------------------------------------- 3. policies that never allow anything */

static const build_case no_origin_builds[] = {
    {"", REFUSED, ERR, "no origin is allowed: every CORS request would be denied"},
    {"allow-methods PUT\nallow-headers X-A\n", REFUSED, ERR, "no origin is allowed"},
    {"# nothing\n\n", REFUSED, ERR, "add allow-origin"},
    {"allow-origin https://a.example\n", CORS_OK, ERR, NULL},
    {"allow-origin *\n", CORS_OK, ERR, NULL},
};

START_TEST(test_no_origin)
{
    check_build_case(&no_origin_builds[_i]);
}
END_TEST

/* The origin lines' own errors are the report: no cascade. */
START_TEST(test_no_origin_no_cascade)
{
    int found;

    ck_assert_int_eq(build_text("allow-origin https://a.example/\n", ERR, "no origin", &found),
                     REFUSED);
    ck_assert(!found);
    ck_assert_int_eq(build_text("allow-origin null\nallow-origin HTTPS://b.example\n", ERR,
                                "no origin", &found),
                     REFUSED);
    ck_assert(!found);
}
END_TEST

/* ---------------------------------- 4. origins as browsers serialize them */

/* Origins Chromium sends for pages loaded from such hosts. */
static const char *const chromium_origins[] = {
    "http://app.example.test.:8080",
    "https://example.com.",
    "http://localhost.:3000",
    "http://-dev.example.test",
    "http://dev-.example.test:8080",
    "http://my_app.example.test",
    "https://_sub-.a_b-.example",
};

/* "*" answers a simple GET from them, so it must accept their preflights
   too; a policy naming one allows it exactly. */
START_TEST(test_chromium_origins)
{
    const char *origin = chromium_origins[_i];
    cors_policy *any = tu_policy("allow-origin *\nallow-methods PUT\n"), *named;
    char text[200];
    tu_capture c;
    cors_result res;

    ck_assert_int_eq(tu_run(any, "GET", origin, NULL, NULL, &c, &res), CORS_OK);
    ck_assert_int_eq(res.outcome, CORS_OUTCOME_ACTUAL_ALLOWED);
    ck_assert_int_eq(tu_run(any, "OPTIONS", origin, "PUT", NULL, &c, &res), CORS_OK);
    ck_assert_msg(res.outcome == CORS_OUTCOME_PREFLIGHT_ACCEPTED, "%s: %s", origin,
                  cors_reason_string(res.reason));
    cors_policy_free(any);

    snprintf(text, sizeof text, "allow-origin %s\nallow-methods PUT\n", origin);
    named = tu_policy(text);
    ck_assert_int_eq(tu_run(named, "OPTIONS", origin, "PUT", NULL, &c, &res), CORS_OK);
    ck_assert_int_eq(res.outcome, CORS_OUTCOME_PREFLIGHT_ACCEPTED);
    ck_assert_str_eq(tu_get(&c, "Access-Control-Allow-Origin"), origin);
    cors_policy_free(named);
}
END_TEST

/* A trailing dot makes an origin of its own, in both directions. */
START_TEST(test_trailing_dot_distinct)
{
    cors_policy *p = tu_policy("allow-origin https://example.com https://*.example.org.\n");
    tu_capture c;
    cors_result res;

    ck_assert_int_eq(tu_run(p, "GET", "https://example.com.", NULL, NULL, &c, &res), CORS_OK);
    ck_assert_int_eq(res.outcome, CORS_OUTCOME_ACTUAL_DISALLOWED);
    ck_assert_int_eq(tu_run(p, "GET", "https://a.example.org.", NULL, NULL, &c, &res), CORS_OK);
    ck_assert_int_eq(res.outcome, CORS_OUTCOME_ACTUAL_ALLOWED);
    ck_assert_int_eq(tu_run(p, "GET", "https://a.example.org", NULL, NULL, &c, &res), CORS_OK);
    ck_assert_int_eq(res.outcome, CORS_OUTCOME_ACTUAL_DISALLOWED);
    cors_policy_free(p);
}
END_TEST

#define A64 "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"

static const build_case origin_builds[] = {
    {"allow-origin https://" A64 ".example\n", REFUSED, ERR, "longer than 63 bytes"},
    {"allow-origin https://xn--abc-.example\n", REFUSED, ERR, "valid punycode"},
    {"allow-origin https://xn--.example\n", REFUSED, ERR, "valid punycode"},
    {"allow-origin https://xn--bcher-kva.example\n", CORS_OK, ERR, NULL},
    {"allow-origin http://[::ffff:127.0.0.1]:8080\n", REFUSED, ERR,
     "write \"http://127.0.0.1:8080\""},
    {"allow-origin http://[::ffff:7f00:1]\n", REFUSED, ERR, "write \"http://127.0.0.1\""},
    {"allow-origin http://[::ffff:7f00:1]:*\n", REFUSED, ERR, "write \"http://127.0.0.1:*\""},
};

START_TEST(test_policy_origins)
{
    check_build_case(&origin_builds[_i]);
}
END_TEST

/* ------------------------------ 5. private network access with any origin */

static const build_case pna_builds[] = {
    {"allow-origin *\nallow-private-network on\n", REFUSED, ERR,
     "origin \"*\" is refused with allow-private-network on"},
    {"allow-origin * https://a.example\nallow-private-network on\n", REFUSED, ERR,
     "dangerously-allow-private-network-from-any-origin"},
    {"allow-origin *\nallow-private-network on\n"
     "dangerously-allow-private-network-from-any-origin on\n",
     CORS_OK, WARN, "private network access is enabled"},
    {"allow-origin *\nallow-private-network off\n", CORS_OK, ERR, NULL},
    {"allow-origin https://a.example\nallow-private-network on\n", CORS_OK, WARN,
     "private network access is enabled"},
};

START_TEST(test_private_network_any_origin)
{
    check_build_case(&pna_builds[_i]);
}
END_TEST

START_TEST(test_danger_api)
{
    cors_builder *b = cors_builder_new(NULL);
    cors_policy *p = NULL;

    ck_assert_int_eq(cors_builder_allow_origin(b, S("*")), CORS_OK);
    ck_assert_int_eq(cors_builder_allow_private_network(b, 1), CORS_OK);
    ck_assert_int_eq(cors_builder_build(b, &p), CORS_ERR_POLICY);
    ck_assert_int_eq(cors_builder_allow_danger(b, CORS_DANGER_PRIVATE_NETWORK_ANY_ORIGIN, 1),
                     CORS_OK);
    ck_assert_int_eq(cors_builder_build(b, &p), CORS_OK);
    cors_policy_free(p);
    ck_assert_int_eq(
        cors_builder_allow_danger(b, CORS_DANGER_PUBLIC_SUFFIX_WILDCARD_WITH_CREDENTIALS, 1),
        CORS_OK);
    ck_assert_int_eq(cors_builder_allow_danger(b, (cors_danger)5, 1), CORS_ERR_INVALID_ARGUMENT);
    cors_builder_free(b);
}
END_TEST

/* ------------------------------ 6. requested-header limits where they matter */

/* names "x-h0,x-h1,..." into buf, with Authorization last when asked. */
static const char *many_names(char *buf, size_t size, unsigned n, int authorization)
{
    size_t o = 0;
    unsigned i;

    for (i = 0; i < n; i++)
        o += (size_t)snprintf(buf + o, size - o, "%sx-h%u", i ? "," : "", i);
    if (authorization)
        snprintf(buf + o, size - o, ",authorization");
    return buf;
}

static const struct limit_case {
    const char *policy;
    unsigned names;
    int authorization;
    cors_outcome outcome;
    cors_reason reason;
} limit_cases[] = {
    /* "*" without credentials answers "*": any number of names */
    {"allow-origin https://a.example\nallow-headers *\n", 65, 0,
     CORS_OUTCOME_PREFLIGHT_ACCEPTED, CORS_REASON_NONE},
    {"allow-origin https://a.example\nallow-headers *\n", 1000, 0,
     CORS_OUTCOME_PREFLIGHT_ACCEPTED, CORS_REASON_NONE},
    {"allow-origin *\nallow-headers *\n", 1000, 0, CORS_OUTCOME_PREFLIGHT_ACCEPTED,
     CORS_REASON_NONE},
    /* ...but "*" never covers Authorization, wherever it is */
    {"allow-origin https://a.example\nallow-headers *\n", 1000, 1,
     CORS_OUTCOME_PREFLIGHT_DENIED, CORS_REASON_HEADER_NOT_ALLOWED},
    {"allow-origin https://a.example\nallow-headers * Authorization\n", 1000, 1,
     CORS_OUTCOME_PREFLIGHT_ACCEPTED, CORS_REASON_NONE},
    /* echoed with credentials: bounded */
    {"allow-origin https://a.example\nallow-headers *\nallow-credentials on\n", 64, 0,
     CORS_OUTCOME_PREFLIGHT_ACCEPTED, CORS_REASON_NONE},
    {"allow-origin https://a.example\nallow-headers *\nallow-credentials on\n", 65, 0,
     CORS_OUTCOME_PREFLIGHT_DENIED, CORS_REASON_HEADERS_TOO_LONG},
};

START_TEST(test_requested_header_limits)
{
    const struct limit_case *k = &limit_cases[_i];
    static char names[16384];
    cors_policy *p = tu_policy(k->policy);
    tu_capture c;
    cors_result res;
    const char *origin = "https://a.example";

    many_names(names, sizeof names, k->names, k->authorization);
    ck_assert_int_eq(tu_run(p, "OPTIONS", origin, "POST", names, &c, &res), CORS_OK);
    ck_assert_msg(res.outcome == k->outcome, "case %d: %s", _i, cors_reason_string(res.reason));
    ck_assert_int_eq(res.reason, k->reason);
    if (res.outcome == CORS_OUTCOME_PREFLIGHT_ACCEPTED && !strstr(k->policy, "credentials"))
        ck_assert(!tu_value_contains(&c, "x-h1", 4));
    cors_policy_free(p);
}
END_TEST

/* ----------------------------- 7. linear building and bounded diagnostics */

/* Repetitions are found however many values there are, and case-folded
   header names are one name. */
START_TEST(test_repetitions_found)
{
    cors_builder *b = cors_builder_new(NULL);
    cors_policy *p = NULL;
    char name[32], text[65536];
    size_t i, dups = 0;

    ck_assert_int_eq(cors_builder_allow_origin(b, S("https://a.example")), CORS_OK);
    for (i = 0; i < 3000; i++) {
        int n = snprintf(name, sizeof name, "X-H%zu", i);
        ck_assert_int_eq(cors_builder_allow_header(b, name, (size_t)n), CORS_OK);
        n = snprintf(name, sizeof name, "M%zu", i);
        ck_assert_int_eq(cors_builder_allow_method(b, name, (size_t)n), CORS_OK);
    }
    ck_assert_uint_eq(cors_builder_diagnostic_count(b), 0);
    ck_assert_int_eq(cors_builder_allow_header(b, S("x-h2999")), CORS_OK);
    ck_assert_int_eq(cors_builder_allow_method(b, S("M0")), CORS_OK);
    ck_assert_int_eq(cors_builder_allow_method(b, S("m0")), CORS_OK); /* another method */
    for (i = 0; i < cors_builder_diagnostic_count(b); i++)
        dups += strstr(cors_builder_diagnostic(b, i)->message, "listed twice") != NULL;
    ck_assert_uint_eq(dups, 2);
    ck_assert_int_eq(cors_builder_build(b, &p), CORS_OK);
    ck_assert_uint_lt(cors_policy_to_text(p, text, sizeof text), sizeof text);
    ck_assert_ptr_nonnull(strstr(text, " M2999 m0\n"));
    cors_policy_free(p);
    cors_builder_free(b);
}
END_TEST

/* The first 100 diagnostics are kept, then one that counts the rest. */
START_TEST(test_diagnostics_capped)
{
    cors_builder *b = cors_builder_new(NULL);
    cors_policy *p = NULL;
    const cors_diagnostic *d;
    size_t i;

    for (i = 0; i < 250; i++)
        cors_builder_parse(b, S("bogus-directive x\n"));
    ck_assert_uint_eq(cors_builder_error_count(b), 250);
    ck_assert_uint_eq(cors_builder_diagnostic_count(b), 101);
    d = cors_builder_diagnostic(b, 99);
    ck_assert_int_eq(d->code, CORS_ERR_UNKNOWN_DIRECTIVE);
    d = cors_builder_diagnostic(b, 100);
    ck_assert_int_eq(d->severity, CORS_SEVERITY_ERROR);
    ck_assert_int_eq(d->code, CORS_ERR_LIMIT);
    ck_assert_ptr_nonnull(strstr(d->message, "150 more problems"));
    ck_assert_ptr_null(cors_builder_diagnostic(b, 101));
    /* a build adds its own (no origin), counted and replaced on rebuild */
    ck_assert_int_eq(cors_builder_build(b, &p), CORS_ERR_POLICY);
    ck_assert_uint_eq(cors_builder_error_count(b), 251);
    ck_assert_int_eq(cors_builder_build(b, &p), CORS_ERR_POLICY);
    ck_assert_uint_eq(cors_builder_error_count(b), 251);
    ck_assert_ptr_nonnull(strstr(cors_builder_diagnostic(b, 100)->message, "151 more problems"));
    ck_assert_uint_eq(cors_builder_diagnostic_count(b), 101);
    cors_builder_free(b);

    /* below the cap, no summary */
    b = cors_builder_new(NULL);
    cors_builder_parse(b, S("bogus x\n"));
    ck_assert_uint_eq(cors_builder_diagnostic_count(b), 1);
    ck_assert_ptr_null(cors_builder_diagnostic(b, 1));
    cors_builder_free(b);
}
END_TEST

/* ---------------------------------------------- 8. messages that say what to write */

static const build_case message_builds[] = {
    {"allow-origin https://a.example\nallow-methods patch\n", CORS_OK, WARN,
     "write \"PATCH\" unless your pages send \"patch\""},
    {"allow-origin https://a.example\nallow-headers Cookie\n", REFUSED, ERR,
     "set allow-credentials on"},
    {"allow-origin \"https://a.example\"\n", REFUSED, ERR,
     "values are not quoted; remove the quotes"},
    {"allow-origin https://a.example\nallow-headers 'X-A'\n", REFUSED, ERR,
     "values are not quoted"},
    {"allow-origin https://a.example\nmax-age \"600\"\n", REFUSED, ERR, "values are not quoted"},
    {"allow-origin https://a.example\nallow-headers Content-Type;Authorization\n", REFUSED, ERR,
     "separate names with spaces or commas"},
    {"allow-origin https://a.example\nallow-methods PUT;DELETE\n", REFUSED, ERR,
     "separate names with spaces or commas"},
    {"Access-Control-Allow-Origin: https://a.example\n", REFUSED, ERR,
     "did you mean \"allow-origin\"?"},
    {"allow-origin https://a.example\naccess-control-max-age: 600\n", REFUSED, ERR,
     "did you mean \"max-age\"?"},
    {"allow-origin https://a.example\nAccess-Control-Allow-Private-Network true\n", REFUSED,
     ERR, "did you mean \"allow-private-network\"?"},
    {"\xef\xbb\xbf" "allow-origin https://a.example\n", CORS_OK, ERR, NULL},
};

START_TEST(test_messages)
{
    check_build_case(&message_builds[_i]);
}
END_TEST

/* A byte order mark is skipped, not read as part of the first directive. */
START_TEST(test_bom_lines)
{
    cors_builder *b = cors_builder_new(NULL);

    ck_assert_int_eq(cors_builder_parse(b, S("\xef\xbb\xbf" "bogus x\n")),
                     CORS_ERR_UNKNOWN_DIRECTIVE);
    ck_assert_ptr_nonnull(strstr(cors_builder_diagnostic(b, 0)->message, "\"bogus\""));
    ck_assert_uint_eq(cors_builder_diagnostic(b, 0)->line, 1);
    cors_builder_free(b);
}
END_TEST

/* A denial of PATCH under "patch" says methods are case-sensitive. */
START_TEST(test_method_case_description)
{
    cors_policy *p = tu_policy("allow-origin https://a.example\nallow-methods patch\n");
    tu_capture c;
    cors_result res;
    char why[512];

    ck_assert_int_eq(tu_run(p, "OPTIONS", "https://a.example", "PATCH", NULL, &c, &res),
                     CORS_OK);
    ck_assert_int_eq(res.reason, CORS_REASON_METHOD_NOT_ALLOWED);
    cors_result_describe(p, &res, why, sizeof why);
    ck_assert_msg(strstr(why, "methods are case-sensitive: the policy allows \"patch\", not "
                              "\"PATCH\"") != NULL,
                  "%s", why);
    ck_assert_int_eq(tu_run(p, "OPTIONS", "https://a.example", "PUT", NULL, &c, &res), CORS_OK);
    cors_result_describe(p, &res, why, sizeof why);
    ck_assert_ptr_null(strstr(why, "case-sensitive"));
    cors_policy_free(p);
}
END_TEST

static Suite *validation_suite(void)
{
    Suite *s = suite_create("validation");
    TCase *tc = tcase_create("issue13");

    tcase_add_loop_test(tc, test_public_suffix_table, 0, NCASES(suffix_cases));
    tcase_add_test(tc, test_public_suffix_snapshot);
    tcase_add_loop_test(tc, test_public_suffix_builds, 0, NCASES(suffix_builds));
    tcase_add_loop_test(tc, test_prohibited_names, 0, NCASES(name_builds));
    tcase_add_loop_test(tc, test_no_origin, 0, NCASES(no_origin_builds));
    tcase_add_test(tc, test_no_origin_no_cascade);
    tcase_add_loop_test(tc, test_chromium_origins, 0, NCASES(chromium_origins));
    tcase_add_test(tc, test_trailing_dot_distinct);
    tcase_add_loop_test(tc, test_policy_origins, 0, NCASES(origin_builds));
    tcase_add_loop_test(tc, test_private_network_any_origin, 0, NCASES(pna_builds));
    tcase_add_test(tc, test_danger_api);
    tcase_add_loop_test(tc, test_requested_header_limits, 0, NCASES(limit_cases));
    tcase_add_test(tc, test_repetitions_found);
    tcase_add_test(tc, test_diagnostics_capped);
    tcase_add_loop_test(tc, test_messages, 0, NCASES(message_builds));
    tcase_add_test(tc, test_bom_lines);
    tcase_add_test(tc, test_method_case_description);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return tu_main(validation_suite());
}
