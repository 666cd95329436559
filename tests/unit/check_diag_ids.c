/*
 * check_diag_ids.c - every diagnostic has a stable id from the one list in
 * lib/diag_ids.h: a table of bad policies, each giving the id it is about,
 * and two policies whose ids are checked in full, in order.
 */
#include "diag_ids.h"
#include "testutil.h"

#define ID_STRING(name, id, meaning) id,
static const char *const known_ids[] = {CORS__DIAG_IDS(ID_STRING)};
#undef ID_STRING

static int is_known(const char *id)
{
    size_t i;

    for (i = 0; id && i < COUNT_OF(known_ids); i++)
        if (strcmp(id, known_ids[i]) == 0)
            return 1;
    return 0;
}

/* Parses and builds text; asserts every diagnostic has a known id and
   returns whether one has want (want NULL: none asked). */
static int ids_ok(cors_builder *b, const char *want)
{
    size_t i, n = cors_builder_diagnostic_count(b);
    int found = want == NULL;

    for (i = 0; i < n; i++) {
        const cors_diagnostic *d = cors_builder_diagnostic(b, i);

        ck_assert_msg(is_known(d->id), "diagnostic \"%s\" has id %s", d->message,
                      d->id ? d->id : "NULL");
        found |= want && strcmp(d->id, want) == 0;
    }
    if (!found)
        tu_print_diags(b);
    return found;
}

typedef struct id_case {
    const char *text;
    const char *id;
} id_case;

#define OK_ORIGIN "allow-origin https://app.example.com\n"
static const id_case id_cases[] = {
    {"allow-origin https://app.example.com/\n", "origin-trailing-slash"},
    {"allow-origin null\n", "origin-null"},
    {"allow-origin https://app.example.com:443\n", "origin-default-port"},
    {"allow-origin HTTPS://app.example.com\n", "origin-scheme-case"},
    {"allow-origin ftp://app.example.com\n", "origin-scheme"},
    {"allow-origin https://app.example.com/x\n", "origin-path"},
    {"allow-origin https://u@app.example.com\n", "origin-userinfo"},
    {"allow-origin https://App.example.com\n", "origin-host-case"},
    {"allow-origin https://app..example.com\n", "origin-host-empty-label"},
    {"allow-origin https://app.example.com:99999\n", "origin-port"},
    {"allow-origin http://api.example.com\n", "origin-http"},
    {"allow-origin https://*.example.com\n", "origin-any-subdomain"},
    {"allow-origin https://*.co.uk\n", "wildcard-public-suffix"},
    {OK_ORIGIN "allow-origin https://app.example.com\n", "listed-twice"},
    {OK_ORIGIN "allow-methods GET, GET\n", "listed-twice"},
    {OK_ORIGIN "allow-methods patch\n", "method-case"},
    {OK_ORIGIN "allow-methods CONNECT\n", "method-forbidden"},
    {OK_ORIGIN "allow-methods GE@T\n", "method-invalid"},
    {OK_ORIGIN "allow-headers Cookie\n", "header-forbidden"},
    {OK_ORIGIN "allow-headers Access-Control-Allow-Origin\n", "header-cors-response"},
    {OK_ORIGIN "allow-headers X@Y\n", "header-invalid"},
    {OK_ORIGIN "expose-headers Set-Cookie\n", "expose-forbidden"},
    {OK_ORIGIN "expose-headers Content-Type\n", "expose-safelisted"},
    {OK_ORIGIN "max-age 90000\n", "max-age-range"},
    {OK_ORIGIN "max-age 8000\n", "max-age-above-chromium-cap"},
    {OK_ORIGIN "max-age 700\n", "max-age-above-safari-cap"},
    {OK_ORIGIN "allow-private-network on\n", "private-network-on"},
    {OK_ORIGIN "preflight-status 500\n", "preflight-status-range"},
    {OK_ORIGIN "preflight-denied-status 500\n", "denied-status-range"},
    {"allow-origin *\nallow-credentials on\n", "credentials-with-any-origin"},
    {OK_ORIGIN "expose-headers *\nallow-credentials on\n", "credentials-with-any-expose"},
    {"allow-origin http://api.example.com\nallow-credentials on\n",
     "credentials-with-http-origin"},
    {"allow-origin https://*.com\nallow-credentials on\n", "credentials-with-tld-wildcard"},
    {"allow-origin https://*.co.uk\nallow-credentials on\n", "credentials-with-suffix-wildcard"},
    {"allow-origin *\nallow-private-network on\n", "private-network-with-any-origin"},
    {"allow-methods GET\n", "no-origin"},
    {"allow-origin *\n" OK_ORIGIN, "any-origin-redundant"},
    {"alow-origin https://app.example.com\n", "unknown-directive"},
    {"allow-origin \"https://app.example.com\"\n", "value-quoted"},
    {OK_ORIGIN "max-age\n", "value-missing"},
    {OK_ORIGIN "max-age 1 2\n", "value-extra"},
    {OK_ORIGIN "allow-credentials yes\n", "not-on-off"},
    {OK_ORIGIN "max-age 1x\n", "not-a-number"},
    {OK_ORIGIN "max-age 1234567890123\n", "number-too-long"},
    {OK_ORIGIN "max-age 1\nmax-age 2\n", "duplicate-setting"},
    {"allow-origin https://app.example.com # the app\n", "trailing-comment"},
    {"allow-origin https://app.example.com\x01\n", "control-character"},
};

START_TEST(test_id_table)
{
    cors_builder *b = cors_builder_new(NULL);
    cors_policy *p = NULL;

    ck_assert_ptr_nonnull(b);
    cors_builder_parse(b, id_cases[_i].text, strlen(id_cases[_i].text));
    cors_builder_build(b, &p);
    ck_assert_msg(ids_ok(b, id_cases[_i].id), "no %s diagnostic for %s", id_cases[_i].id,
                  id_cases[_i].text);
    cors_policy_free(p);
    cors_builder_free(b);
}
END_TEST

/* Every diagnostic of text, in order, has the id of ids (NULL-ended). */
static void check_ids_in_order(const char *text, const char *const *ids)
{
    cors_builder *b = cors_builder_new(NULL);
    cors_policy *p = NULL;
    size_t i, n;

    ck_assert_ptr_nonnull(b);
    cors_builder_parse(b, text, strlen(text));
    ck_assert_int_eq(cors_builder_build(b, &p), CORS_ERR_POLICY);
    n = cors_builder_diagnostic_count(b);
    for (i = 0; i < n && ids[i]; i++)
        ck_assert_str_eq(cors_builder_diagnostic(b, i)->id, ids[i]);
    ck_assert_msg(i == n && !ids[i], "%zu diagnostics", n);
    cors_builder_free(b);
}

START_TEST(test_two_policies)
{
    static const char *const first[] = {"origin-trailing-slash", "unknown-directive",
                                        "duplicate-setting", NULL};
    static const char *const second[] = {"origin-http", "credentials-with-any-origin",
                                         "any-origin-redundant", "credentials-with-http-origin",
                                         NULL};

    check_ids_in_order("allow-origin https://app.example.com/\n"
                       "allow-header X-Request-Id\n"
                       "max-age 60\n"
                       "max-age 600\n",
                       first);
    check_ids_in_order("allow-origin http://api.example.com, *\n"
                       "allow-credentials on\n",
                       second);
}
END_TEST

START_TEST(test_dropped_and_file)
{
    cors_builder *b = cors_builder_new(NULL);
    size_t i;

    for (i = 0; i < 150; i++)
        cors_builder_parse(b, S("bogus-directive x\n"));
    ck_assert(ids_ok(b, "diagnostics-dropped"));
    ck_assert_int_eq(cors_builder_parse_file(b, "/nonexistent/libcors-diag-ids.policy"),
                     CORS_ERR_FILE);
    cors_builder_free(b);
    b = cors_builder_new(NULL);
    cors_builder_parse_file(b, "/nonexistent/libcors-diag-ids.policy");
    ck_assert(ids_ok(b, "file-unreadable"));
    cors_builder_free(b);
}
END_TEST

static Suite *diag_ids_suite(void)
{
    Suite *s = suite_create("diag_ids");
    TCase *tc = tcase_create("ids");

    tcase_add_loop_test(tc, test_id_table, 0, NCASES(id_cases));
    tcase_add_test(tc, test_two_policies);
    tcase_add_test(tc, test_dropped_and_file);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return tu_main(diag_ids_suite());
}
