/*
 * check_policy_text.c - the policy text format (cors_builder_parse): its
 * syntax, every directive, the errors and warnings it reports with their
 * line numbers, and cors_policy_to_text, whose output must parse back to
 * the same policy.
 */
#include "testutil.h"

/* Text with an explicit length, so that rows may hold NUL bytes. */

/* Parses text into a new builder (which the caller frees). */
static cors_builder *parse(const char *text, size_t len, cors_error *first)
{
    cors_builder *b = cors_builder_new(NULL);

    ck_assert_ptr_nonnull(b);
    *first = cors_builder_parse(b, text, len);
    return b;
}

/* The policy's normalized text in a fresh malloc'd string. */
static char *to_text(const cors_policy *p)
{
    size_t n = cors_policy_to_text(p, NULL, 0);
    char *s = malloc(n + 1);

    ck_assert_ptr_nonnull(s);
    ck_assert_uint_eq(cors_policy_to_text(p, s, n + 1), n);
    ck_assert_uint_eq(strlen(s), n);
    return s;
}

static void assert_printable(const char *msg)
{
    const unsigned char *p;

    ck_assert_ptr_nonnull(msg);
    ck_assert_uint_gt(strlen(msg), 0);
    for (p = (const unsigned char *)msg; *p; p++)
        ck_assert_msg(*p >= 0x20 && *p < 0x7f, "non-printable byte 0x%02x in \"%s\"", *p, msg);
}

/* ------------------------------------------------------------ accepted */

/* What the default settings add after the lists in cors_policy_to_text. */
#define DEFAULTS "allow-credentials off\nallow-private-network off\npreflight-status 204\npreflight-denied-status 403\n"
#define ORIGIN_A "allow-origin https://a.example\n"

static const struct accepted {
    const char *what;
    const char *text;
    size_t len;
    const char *normalized; /* cors_policy_to_text of the built policy */
} accepted[] = {
    {"one origin", S("allow-origin https://a.example\n"), ORIGIN_A DEFAULTS},
    {"no final newline", S("allow-origin https://a.example"), ORIGIN_A DEFAULTS},
    {"comments and blank lines", S("# a comment\n\n   \n\t\n  # indented comment\n"
                                     "#allow-origin https://evil.example\n"
                                     "allow-origin https://a.example\n# last\n"),
     ORIGIN_A DEFAULTS},
    {"CRLF line ends", S("# c\r\n\r\nallow-origin https://a.example\r\n"
                           "allow-methods PUT\r\nmax-age 60\r\n"),
     ORIGIN_A "allow-methods PUT\nallow-credentials off\nmax-age 60\n"
              "allow-private-network off\npreflight-status 204\npreflight-denied-status 403\n"},
    {"tabs around values", S("\tallow-origin\thttps://a.example\t \thttps://b.example\t\n"),
     ORIGIN_A "allow-origin https://b.example\n" DEFAULTS},
    {"values separated by commas", S("allow-origin https://a.example\n"
                                       "allow-methods PUT,DELETE\n"),
     ORIGIN_A "allow-methods PUT DELETE\n" DEFAULTS},
    {"commas with spaces, empty elements",
     S("allow-origin https://a.example\nallow-methods , PUT ,, DELETE,\t,PATCH ,\n"),
     ORIGIN_A "allow-methods PUT DELETE PATCH\n" DEFAULTS},
    {"more separators on a line than the parser keeps track of",
     S("allow-origin https://a.example\n"
       "allow-methods M1 M2,M3\tM4 , M5,,M6 M7 M8 M9 M10,M11\tM12 M13\n"),
     ORIGIN_A "allow-methods M1 M2 M3 M4 M5 M6 M7 M8 M9 M10 M11 M12 M13\n" DEFAULTS},
    {"list directives accumulate", S("allow-origin https://a.example\n"
                                       "allow-methods PUT\nallow-origin https://b.example\n"
                                       "allow-methods DELETE\nallow-headers X-A\n"
                                       "allow-headers X-B\nexpose-headers X-C\n"
                                       "expose-headers X-D\n"),
     ORIGIN_A "allow-origin https://b.example\nallow-methods PUT DELETE\n"
              "allow-headers x-a x-b\nexpose-headers x-c x-d\n" DEFAULTS},
    {"methods normalized, header names lower-cased",
     S("allow-origin https://a.example\nallow-methods delete Put PATCH\n"
         "allow-headers Content-Type, X-Requested-With\nexpose-headers X-Request-Id\n"),
     ORIGIN_A "allow-methods DELETE PUT PATCH\n"
              "allow-headers content-type x-requested-with\n"
              "expose-headers x-request-id\n" DEFAULTS},
    {"every directive", S("allow-origin https://app.example.com https://*.example.com\n"
                            "allow-methods PUT DELETE\n"
                            "allow-headers Content-Type, X-Requested-With\n"
                            "expose-headers X-Request-Id\n"
                            "allow-credentials on\n"
                            "max-age 600\n"
                            "allow-private-network off\n"
                            "preflight-status 200\n"
                            "preflight-denied-status 404\n"
                            "dangerously-allow-insecure-origins-with-credentials on\n"
                            "dangerously-allow-tld-wildcards-with-credentials on\n"),
     "allow-origin https://app.example.com\nallow-origin https://*.example.com\n"
     "allow-methods PUT DELETE\nallow-headers content-type x-requested-with\n"
     "expose-headers x-request-id\nallow-credentials on\nmax-age 600\n"
     "allow-private-network off\npreflight-status 200\npreflight-denied-status 404\n"
     "dangerously-allow-insecure-origins-with-credentials on\n"
     "dangerously-allow-tld-wildcards-with-credentials on\n"},
    {"booleans off", S("allow-origin https://a.example\nallow-credentials off\n"
                         "allow-private-network off\n"
                         "dangerously-allow-insecure-origins-with-credentials off\n"
                         "dangerously-allow-tld-wildcards-with-credentials off\n"),
     ORIGIN_A DEFAULTS},
    {"private network on", S("allow-origin https://a.example\nallow-private-network on\n"),
     ORIGIN_A "allow-credentials off\nallow-private-network on\npreflight-status 204\npreflight-denied-status 403\n"},
    {"stars", S("allow-origin *\nallow-methods *\nallow-headers *\nexpose-headers *\n"),
     "allow-origin *\nallow-methods *\nallow-headers *\nexpose-headers *\n" DEFAULTS},
    {"star headers with authorization", S("allow-origin *\nallow-headers * Authorization\n"),
     "allow-origin *\nallow-headers * authorization\n" DEFAULTS},
    {"insecure origin allowed by the dangerous setting",
     S("allow-origin http://app.example.com\nallow-credentials on\n"
         "dangerously-allow-insecure-origins-with-credentials on\n"),
     "allow-origin http://app.example.com\nallow-credentials on\n"
     "allow-private-network off\npreflight-status 204\npreflight-denied-status 403\n"
     "dangerously-allow-insecure-origins-with-credentials on\n"},
    {"TLD wildcard allowed by the dangerous setting",
     S("dangerously-allow-tld-wildcards-with-credentials on\nallow-credentials on\n"
         "allow-origin https://*.com\n"),
     "allow-origin https://*.com\nallow-credentials on\n"
     "allow-private-network off\npreflight-status 204\npreflight-denied-status 403\n"
     "dangerously-allow-tld-wildcards-with-credentials on\n"},
    {"loopback http with credentials",
     S("allow-origin http://localhost:3000 http://127.0.0.1:8080 http://[::1]:8080\n"
         "allow-credentials on\n"),
     "allow-origin http://localhost:3000\nallow-origin http://127.0.0.1:8080\n"
     "allow-origin http://[::1]:8080\nallow-credentials on\n"
     "allow-private-network off\npreflight-status 204\npreflight-denied-status 403\n"},
    {"a leading zero is still a number", S(ORIGIN_A "max-age 0600\n"),
     ORIGIN_A "allow-credentials off\nmax-age 600\nallow-private-network off\n"
              "preflight-status 204\npreflight-denied-status 403\n"},
    /* the two statuses are separate settings, not a duplicate of each other */
    {"both statuses, denied first", S(ORIGIN_A "preflight-denied-status 200\n"
                                        "preflight-status 200\n"),
     ORIGIN_A "allow-credentials off\nallow-private-network off\n"
              "preflight-status 200\npreflight-denied-status 200\n"},
    {"denied status 404", S(ORIGIN_A "preflight-denied-status 404\n"),
     ORIGIN_A "allow-credentials off\nallow-private-network off\n"
              "preflight-status 204\npreflight-denied-status 404\n"},
};

START_TEST(test_accepted)
{
    const struct accepted *t = &accepted[_i];
    cors_error first;
    cors_builder *b = parse(t->text, t->len, &first);
    cors_policy *p = NULL;
    char *text;

    if (first != CORS_OK || cors_builder_error_count(b) != 0)
        tu_print_diags(b);
    ck_assert_msg(first == CORS_OK, "%s: parse returned %s", t->what, cors_strerror(first));
    ck_assert_uint_eq(cors_builder_error_count(b), 0);
    ck_assert_int_eq(cors_builder_build(b, &p), CORS_OK);
    text = to_text(p);
    ck_assert_msg(strcmp(text, t->normalized) == 0, "%s:\n--- got\n%s--- expected\n%s", t->what,
                  text, t->normalized);
    free(text);
    cors_policy_free(p);
    cors_builder_free(b);
}
END_TEST

/* ------------------------------------------------------------- refused */

static const struct refused {
    const char *what;
    const char *text;
    size_t len;
    cors_error code;    /* parse's return and the diagnostic's code */
    unsigned line;
    const char *needle; /* in the message */
} refused[] = {
    /* directives without values */
    {"list without values", S("allow-origin\n"), CORS_ERR_SYNTAX, 1,
     "allow-origin needs at least one value"},
    {"list of only separators", S("allow-methods  , ,\t,\n"), CORS_ERR_SYNTAX, 1,
     "allow-methods needs at least one value"},
    {"headers without values", S("allow-headers\n"), CORS_ERR_SYNTAX, 1,
     "allow-headers needs at least one value"},
    {"expose without values", S("expose-headers \t\n"), CORS_ERR_SYNTAX, 1,
     "expose-headers needs at least one value"},
    {"boolean without value", S("allow-credentials\n"), CORS_ERR_SYNTAX, 1,
     "allow-credentials needs a value"},
    {"number without value", S("max-age   \n"), CORS_ERR_SYNTAX, 1, "max-age needs a value"},
    {"status without value", S("preflight-status"), CORS_ERR_SYNTAX, 1,
     "preflight-status needs a value"},
    {"denied status without value", S("preflight-denied-status \n"), CORS_ERR_SYNTAX, 1,
     "preflight-denied-status needs a value"},
    {"danger without value", S("dangerously-allow-tld-wildcards-with-credentials\n"),
     CORS_ERR_SYNTAX, 1, "dangerously-allow-tld-wildcards-with-credentials needs a value"},
    /* booleans are on/off only */
    {"boolean yes", S("allow-credentials yes\n"), CORS_ERR_SYNTAX, 1,
     "allow-credentials takes on or off, not \"yes\""},
    {"boolean true", S("allow-credentials true\n"), CORS_ERR_SYNTAX, 1, "not \"true\""},
    {"boolean 1", S("allow-private-network 1\n"), CORS_ERR_SYNTAX, 1,
     "allow-private-network takes on or off, not \"1\""},
    {"boolean upper case", S("allow-private-network ON\n"), CORS_ERR_SYNTAX, 1,
     "not \"ON\""},
    {"boolean Off", S("allow-credentials Off\n"), CORS_ERR_SYNTAX, 1, "not \"Off\""},
    {"danger maybe", S("dangerously-allow-insecure-origins-with-credentials maybe\n"),
     CORS_ERR_SYNTAX, 1, "not \"maybe\""},
    {"boolean twice", S("allow-credentials on off\n"), CORS_ERR_SYNTAX, 1,
     "allow-credentials takes exactly one value"},
    /* numbers */
    {"number word", S("max-age ten\n"), CORS_ERR_SYNTAX, 1,
     "max-age takes a whole number, not \"ten\""},
    {"number negative", S("max-age -1\n"), CORS_ERR_SYNTAX, 1, "not \"-1\""},
    {"number plus", S("max-age +5\n"), CORS_ERR_SYNTAX, 1, "not \"+5\""},
    {"number fraction", S("max-age 1.5\n"), CORS_ERR_SYNTAX, 1, "not \"1.5\""},
    {"number hex", S("preflight-status 0xcc\n"), CORS_ERR_SYNTAX, 1, "not \"0xcc\""},
    {"number with unit", S("max-age 600s\n"), CORS_ERR_SYNTAX, 1, "not \"600s\""},
    {"two numbers", S("max-age 600 700\n"), CORS_ERR_SYNTAX, 1,
     "max-age takes exactly one value"},
    {"max-age too large", S("max-age 86401\n"), CORS_ERR_MAX_AGE, 1, "max-age 86401"},
    {"max-age far too large", S("max-age 99999999999\n"), CORS_ERR_MAX_AGE, 1,
     "max-age \"99999999999\" is refused"},
    {"status too small", S("preflight-status 199\n"), CORS_ERR_STATUS, 1,
     "preflight status 199"},
    {"status too large", S("preflight-status 300\n"), CORS_ERR_STATUS, 1,
     "preflight status 300"},
    {"status zero", S("preflight-status 0\n"), CORS_ERR_STATUS, 1, "preflight status 0 "},
    {"status far too large", S("preflight-status 99999999999\n"), CORS_ERR_STATUS, 1,
     "preflight-status \"99999999999\" is refused"},
    {"denied status 3xx", S("preflight-denied-status 302\n"), CORS_ERR_STATUS, 1,
     "denied preflight status 302 is refused: it must be 200 to 299 or 400 to 499"},
    {"denied status 5xx", S("preflight-denied-status 503\n"), CORS_ERR_STATUS, 1,
     "denied preflight status 503 is refused"},
    {"denied status two values", S("preflight-denied-status 403 404\n"), CORS_ERR_SYNTAX, 1,
     "preflight-denied-status takes exactly one value"},
    {"denied status word", S("preflight-denied-status forbidden\n"), CORS_ERR_SYNTAX, 1,
     "preflight-denied-status takes a whole number, not \"forbidden\""},
    /* unknown directives */
    {"plural typo", S("allow-origins https://a.example\n"), CORS_ERR_UNKNOWN_DIRECTIVE, 1,
     "unknown directive \"allow-origins\"; did you mean \"allow-origin\"?"},
    {"directive case", S("Allow-Methods PUT\n"), CORS_ERR_UNKNOWN_DIRECTIVE, 1,
     "did you mean \"allow-methods\"?"},
    {"missing dash", S("maxage 5\n"), CORS_ERR_UNKNOWN_DIRECTIVE, 1,
     "did you mean \"max-age\"?"},
    {"singular header", S("allow-header X-A\n"), CORS_ERR_UNKNOWN_DIRECTIVE, 1,
     "did you mean \"allow-headers\"?"},
    {"expose typo", S("expose-header X-A\n"), CORS_ERR_UNKNOWN_DIRECTIVE, 1,
     "did you mean \"expose-headers\"?"},
    {"unrelated word", S("frobnicate yes\n"), CORS_ERR_UNKNOWN_DIRECTIVE, 1,
     "unknown directive \"frobnicate\"; known: allow-origin"},
    {"unrelated word lists every directive", S("frobnicate yes\n"),
     CORS_ERR_UNKNOWN_DIRECTIVE, 1, "preflight-status, preflight-denied-status, dangerously-"},
    {"denied status typo", S("preflight-denied-statu 404\n"), CORS_ERR_UNKNOWN_DIRECTIVE, 1,
     "did you mean \"preflight-denied-status\"?"},
    {"directive and value joined by a comma", S("allow-methods,PUT\n"),
     CORS_ERR_UNKNOWN_DIRECTIVE, 1, "\"allow-methods,PUT\""},
    {"colon after the directive", S("max-age: 5\n"), CORS_ERR_UNKNOWN_DIRECTIVE, 1,
     "did you mean \"max-age\"?"},
    /* bad values go through the setters */
    {"origin with a path", S("allow-origin https://a.example/\n"), CORS_ERR_ORIGIN, 1,
     "origin \"https://a.example/\" is refused"},
    {"origin null", S("allow-origin null\n"), CORS_ERR_ORIGIN, 1, "origin \"null\""},
    {"method CONNECT", S("allow-methods PUT CONNECT\n"), CORS_ERR_METHOD, 1,
     "method \"CONNECT\" is refused"},
    {"forbidden header", S("allow-headers Cookie\n"), CORS_ERR_HEADER, 1,
     "header \"cookie\" is refused"},
    {"header not a token", S("allow-headers X-A;b\n"), CORS_ERR_HEADER, 1,
     "header \"X-A;b\" is refused"},
    {"expose set-cookie", S("expose-headers Set-Cookie\n"), CORS_ERR_EXPOSE_HEADER, 1,
     "exposed header \"set-cookie\" is refused"},
    {"trailing comment on a list", S("allow-headers X-A # needed by the app\n"),
     CORS_ERR_SYNTAX, 1, "\"# needed by the app\" is a comment"},
    {"trailing comment on a number", S("max-age 600 # ten minutes\n"), CORS_ERR_SYNTAX, 1,
     "max-age takes exactly one value"},
    {"trailing comment after many values", S("allow-headers A B C D E F G H I J # note\n"),
     CORS_ERR_SYNTAX, 1, "\"# note\" is a comment"},
    /* control characters anywhere in a line */
    {"control character", S("allow-origin https://a.example\x01\n"), CORS_ERR_SYNTAX, 1,
     "control character 0x01"},
    {"NUL in a line", S("allow-origin https://a.example\0https://b.example\n"),
     CORS_ERR_SYNTAX, 1, "control character 0x00"},
    {"DEL in a line", S("allow-methods PUT\x7f\n"), CORS_ERR_SYNTAX, 1,
     "control character 0x7f"},
    {"CR inside a line", S("allow-methods PUT\rDELETE\n"), CORS_ERR_SYNTAX, 1,
     "control character 0x0d"},
    {"escape in a comment", S("# \x1b[31mred\n"), CORS_ERR_SYNTAX, 1,
     "control character 0x1b"},
    {"vertical tab as a separator", S("allow-methods PUT\vDELETE\n"), CORS_ERR_SYNTAX, 1,
     "control character 0x0b"},
    {"control character after many values", S("allow-methods A B C D E F G H I J K\x01\n"),
     CORS_ERR_SYNTAX, 1, "control character 0x01"},
    {"CR after many values", S("allow-methods A,B,C,D,E,F,G,H,I,J\rK\r\n"),
     CORS_ERR_SYNTAX, 1, "control character 0x0d"},
    /* single-valued settings given twice */
    {"credentials twice", S("allow-credentials on\nallow-credentials on\n"),
     CORS_ERR_DUPLICATE, 2, "allow-credentials is already set on line 1"},
    {"max-age twice", S("max-age 5\n# c\n\nmax-age 5\n"), CORS_ERR_DUPLICATE, 4,
     "max-age is already set on line 1"},
    {"private network twice", S("\nallow-private-network off\nallow-private-network on\n"),
     CORS_ERR_DUPLICATE, 3, "allow-private-network is already set on line 2"},
    {"status twice", S("preflight-status 200\r\npreflight-status 204\r\n"),
     CORS_ERR_DUPLICATE, 2, "preflight-status is already set on line 1"},
    {"denied status twice",
     S("preflight-denied-status 404\npreflight-status 200\n\npreflight-denied-status 404\n"),
     CORS_ERR_DUPLICATE, 4, "preflight-denied-status is already set on line 1"},
    /* line numbers count every line: comments, blank ones, CRLF ones */
    {"line after comments", S("# one\n\n# three\n  \nallow-methods TRACE\n"),
     CORS_ERR_METHOD, 5, "\"TRACE\""},
    {"line after CRLF lines", S("\r\n\r\n\r\nallow-credentials maybe\r\n"), CORS_ERR_SYNTAX,
     4, "\"maybe\""},
    {"last line without newline", S(ORIGIN_A ORIGIN_A "max-age -5"), CORS_ERR_SYNTAX, 3,
     "\"-5\""},
};

START_TEST(test_refused)
{
    const struct refused *t = &refused[_i];
    cors_error first;
    cors_builder *b = parse(t->text, t->len, &first);
    const cors_diagnostic *d = NULL;
    cors_policy *p = NULL;
    size_t i;

    ck_assert_msg(first == t->code, "%s: parse returned %s, expected %s", t->what,
                  cors_strerror(first), cors_strerror(t->code));
    ck_assert_msg(cors_builder_error_count(b) == 1, "%s: %zu errors", t->what,
                  cors_builder_error_count(b));
    for (i = 0; i < cors_builder_diagnostic_count(b); i++)
        if (cors_builder_diagnostic(b, i)->severity == CORS_SEVERITY_ERROR)
            d = cors_builder_diagnostic(b, i);
    ck_assert_ptr_nonnull(d);
    ck_assert_int_eq(d->code, t->code);
    ck_assert_msg(d->line == t->line, "%s: line %u, expected %u", t->what, d->line, t->line);
    assert_printable(d->message);
    ck_assert_msg(strstr(d->message, t->needle) != NULL, "%s: \"%s\" lacks \"%s\"", t->what,
                  d->message, t->needle);
    ck_assert_int_eq(cors_builder_build(b, &p), CORS_ERR_POLICY);
    ck_assert_ptr_null(p);
    cors_builder_free(b);
}
END_TEST

/* Every error in the text is reported in one pass, each on its line, and
   parse returns the first one's code. */
START_TEST(test_all_errors_in_one_pass)
{
    static const char text[] = "# several mistakes\n"        /* 1 */
                               "allow-origin https://a.example/ https://b.example\n" /* 2 */
                               "allow-methods PUT\n"          /* 3 */
                               "allow-methods TRACE, CONNECT\n" /* 4 */
                               "max-age forever\n"            /* 5 */
                               "\n"                            /* 6 */
                               "allow-credentails on\n"       /* 7 */
                               "allow-headers X-Ok Host\n"    /* 8 */
                               "max-age 10\n"                 /* 9 */
                               "preflight-status 302\n"      /* 10 */
                               "preflight-denied-status 500\n"; /* 11 */
    static const struct {
        cors_error code;
        unsigned line;
        const char *needle;
    } want[] = {
        {CORS_ERR_ORIGIN, 2, "\"https://a.example/\""},
        {CORS_ERR_METHOD, 4, "\"TRACE\""},
        {CORS_ERR_METHOD, 4, "\"CONNECT\""},
        {CORS_ERR_SYNTAX, 5, "\"forever\""},
        {CORS_ERR_UNKNOWN_DIRECTIVE, 7, "did you mean \"allow-credentials\"?"},
        {CORS_ERR_HEADER, 8, "\"host\""},
        {CORS_ERR_STATUS, 10, "302"},
        {CORS_ERR_STATUS, 11, "500"},
    };
    cors_error first;
    cors_builder *b = parse(S(text), &first);
    size_t i, k = 0;
    cors_policy *p = NULL;

    ck_assert_int_eq(first, CORS_ERR_ORIGIN);
    ck_assert_uint_eq(cors_builder_error_count(b), sizeof want / sizeof want[0]);
    for (i = 0; i < cors_builder_diagnostic_count(b); i++) {
        const cors_diagnostic *d = cors_builder_diagnostic(b, i);
        if (d->severity != CORS_SEVERITY_ERROR)
            continue;
        ck_assert_uint_lt(k, sizeof want / sizeof want[0]);
        ck_assert_int_eq(d->code, want[k].code);
        ck_assert_uint_eq(d->line, want[k].line);
        ck_assert_msg(strstr(d->message, want[k].needle) != NULL, "\"%s\" lacks \"%s\"",
                      d->message, want[k].needle);
        k++;
    }
    ck_assert_uint_eq(k, sizeof want / sizeof want[0]);
    /* max-age 10 on line 9 is not a duplicate: line 5 set nothing */
    ck_assert_int_eq(cors_builder_build(b, &p), CORS_ERR_POLICY);
    ck_assert_ptr_null(p);
    cors_builder_free(b);
}
END_TEST

/* Text without errors returns CORS_OK even when it has warnings, and a
   second text is added to the same builder with its own line numbers. */
START_TEST(test_parse_twice)
{
    cors_builder *b = cors_builder_new(NULL);
    cors_policy *p = NULL;
    char *text;
    const cors_diagnostic *d;

    ck_assert_int_eq(cors_builder_parse(b, S("allow-origin https://a.example\n")), CORS_OK);
    ck_assert_int_eq(cors_builder_parse(b, S("\nallow-methods patch PUT\n")), CORS_OK);
    ck_assert_uint_eq(cors_builder_diagnostic_count(b), 1);
    d = cors_builder_diagnostic(b, 0);
    ck_assert_int_eq(d->severity, CORS_SEVERITY_WARNING);
    ck_assert_uint_eq(d->line, 2);
    ck_assert_int_eq(cors_builder_parse(b, S("allow-methods TRACE\n")), CORS_ERR_METHOD);
    ck_assert_uint_eq(cors_builder_diagnostic(b, 1)->line, 1);
    ck_assert_int_eq(cors_builder_build(b, &p), CORS_ERR_POLICY);
    cors_builder_free(b);

    /* API calls made after parsing carry line 0 */
    b = cors_builder_new(NULL);
    ck_assert_int_eq(cors_builder_parse(b, S("allow-origin https://a.example\n")), CORS_OK);
    ck_assert_int_eq(cors_builder_allow_method(b, S("TRACE")), CORS_ERR_METHOD);
    ck_assert_uint_eq(cors_builder_diagnostic(b, 0)->line, 0);
    cors_builder_free(b);

    /* a setting made by the API may be overridden once by text */
    b = cors_builder_new(NULL);
    ck_assert_int_eq(cors_builder_set_max_age(b, 5), CORS_OK);
    ck_assert_int_eq(cors_builder_parse(b, S(ORIGIN_A "max-age 7\n")), CORS_OK);
    ck_assert_int_eq(cors_builder_build(b, &p), CORS_OK);
    text = to_text(p);
    ck_assert_ptr_nonnull(strstr(text, "\nmax-age 7\n"));
    free(text);
    cors_policy_free(p);
    cors_builder_free(b);
}
END_TEST

/* ------------------------------------------------- numeric boundaries */

static const struct number {
    const char *text;    /* the value as written in the text */
    int in_api;          /* value fits the API's argument type */
    long value;          /* the same for the API */
    cors_error text_code;
    cors_error api_code;
} max_ages[] = {
    {"0", 1, 0, CORS_OK, CORS_OK},
    {"1", 1, 1, CORS_OK, CORS_OK},
    {"600", 1, 600, CORS_OK, CORS_OK},
    {"86400", 1, 86400, CORS_OK, CORS_OK},
    {"-1", 1, -1, CORS_ERR_SYNTAX, CORS_ERR_MAX_AGE},
    {"86401", 1, 86401, CORS_ERR_MAX_AGE, CORS_ERR_MAX_AGE},
    {"99999999999", 1, 99999999999L, CORS_ERR_MAX_AGE, CORS_ERR_MAX_AGE},
    {"100000000", 1, 100000000L, CORS_ERR_MAX_AGE, CORS_ERR_MAX_AGE},
    {"-9223372036854775807", 1, -9223372036854775807L, CORS_ERR_SYNTAX, CORS_ERR_MAX_AGE},
    {"999999999999999999999999", 0, 0, CORS_ERR_MAX_AGE, CORS_OK},
}, statuses[] = {
    {"200", 1, 200, CORS_OK, CORS_OK},
    {"204", 1, 204, CORS_OK, CORS_OK},
    {"299", 1, 299, CORS_OK, CORS_OK},
    {"199", 1, 199, CORS_ERR_STATUS, CORS_ERR_STATUS},
    {"300", 1, 300, CORS_ERR_STATUS, CORS_ERR_STATUS},
    {"0", 1, 0, CORS_ERR_STATUS, CORS_ERR_STATUS},
    {"403", 1, 403, CORS_ERR_STATUS, CORS_ERR_STATUS},
    {"-204", 1, -204, CORS_ERR_SYNTAX, CORS_ERR_STATUS},
    {"99999999999", 0, 0, CORS_ERR_STATUS, CORS_OK},
}, denied_statuses[] = {
    {"200", 1, 200, CORS_OK, CORS_OK},
    {"299", 1, 299, CORS_OK, CORS_OK},
    {"400", 1, 400, CORS_OK, CORS_OK},
    {"403", 1, 403, CORS_OK, CORS_OK},
    {"404", 1, 404, CORS_OK, CORS_OK},
    {"499", 1, 499, CORS_OK, CORS_OK},
    {"199", 1, 199, CORS_ERR_STATUS, CORS_ERR_STATUS},
    {"300", 1, 300, CORS_ERR_STATUS, CORS_ERR_STATUS},
    {"399", 1, 399, CORS_ERR_STATUS, CORS_ERR_STATUS},
    {"500", 1, 500, CORS_ERR_STATUS, CORS_ERR_STATUS},
    {"600", 1, 600, CORS_ERR_STATUS, CORS_ERR_STATUS},
    {"0", 1, 0, CORS_ERR_STATUS, CORS_ERR_STATUS},
    {"-403", 1, -403, CORS_ERR_SYNTAX, CORS_ERR_STATUS},
    {"99999999999", 0, 0, CORS_ERR_STATUS, CORS_OK},
};

/* Builds "allow-origin ...\n<directive> <value>" and checks the result,
   and the normalized text when it builds. */
static void check_number(const char *directive, const struct number *t, int api)
{
    char text[200], want[100];
    cors_builder *b = cors_builder_new(NULL);
    cors_policy *p = NULL;
    cors_error e;
    char *out;

    ck_assert_int_eq(cors_builder_parse(b, S(ORIGIN_A)), CORS_OK);
    if (api) {
        if (strcmp(directive, "max-age") == 0)
            e = cors_builder_set_max_age(b, t->value);
        else if (strcmp(directive, "preflight-status") == 0)
            e = cors_builder_set_preflight_status(b, (int)t->value);
        else
            e = cors_builder_set_denied_status(b, (int)t->value);
        ck_assert_msg(e == t->api_code, "API %s %ld: %s", directive, t->value, cors_strerror(e));
    } else {
        snprintf(text, sizeof text, "%s %s\n", directive, t->text);
        e = cors_builder_parse(b, text, strlen(text));
        ck_assert_msg(e == t->text_code, "%s: %s", text, cors_strerror(e));
    }
    if (e == CORS_OK) {
        ck_assert_int_eq(cors_builder_build(b, &p), CORS_OK);
        out = to_text(p);
        snprintf(want, sizeof want, "\n%s %ld\n", directive, t->value);
        ck_assert_msg(strstr(out, want) != NULL, "%s lacks %s", out, want);
        free(out);
        cors_policy_free(p);
    } else {
        const cors_diagnostic *d = cors_builder_diagnostic(b, cors_builder_diagnostic_count(b) - 1);
        ck_assert_int_eq(d->severity, CORS_SEVERITY_ERROR);
        ck_assert_uint_eq(d->line, api ? 0 : 1);
        assert_printable(d->message);
        /* the message names the refused value as it was given */
        if (api)
            snprintf(want, sizeof want, " %ld ", t->value);
        else
            snprintf(want, sizeof want, "%s", t->text);
        ck_assert_msg(strstr(d->message, want) != NULL, "\"%s\" lacks \"%s\"", d->message, want);
        ck_assert_int_eq(cors_builder_build(b, &p), CORS_ERR_POLICY);
    }
    cors_builder_free(b);
}

START_TEST(test_max_age_text)
{
    check_number("max-age", &max_ages[_i], 0);
}
END_TEST

START_TEST(test_max_age_api)
{
    if (max_ages[_i].in_api)
        check_number("max-age", &max_ages[_i], 1);
}
END_TEST

START_TEST(test_status_text)
{
    check_number("preflight-status", &statuses[_i], 0);
}
END_TEST

START_TEST(test_status_api)
{
    if (statuses[_i].in_api)
        check_number("preflight-status", &statuses[_i], 1);
}
END_TEST

START_TEST(test_denied_status_text)
{
    check_number("preflight-denied-status", &denied_statuses[_i], 0);
}
END_TEST

START_TEST(test_denied_status_api)
{
    if (denied_statuses[_i].in_api)
        check_number("preflight-denied-status", &denied_statuses[_i], 1);
}
END_TEST

/* ------------------------------------------------------------ warnings */

static const struct warning {
    const char *what;
    const char *text;   /* built after ORIGIN_A, so the tested line is 2 */
    const char *needle; /* NULL: no warning at all */
} warnings[] = {
    {"max-age 600", "max-age 600\n", NULL},
    {"max-age above Safari's cap", "max-age 601\n", "above Safari's cap of 600"},
    {"max-age 7200", "max-age 7200\n", "above Safari's cap of 600"},
    {"max-age above Chromium's cap", "max-age 7201\n", "above Chromium's cap of 7200"},
    {"max-age 86400", "max-age 86400\n", "above Chromium's cap of 7200"},
    {"https origin", "allow-origin https://b.example\n", NULL},
    {"http origin", "allow-origin http://app.example.com\n",
     "origin \"http://app.example.com\" uses http://"},
    {"http localhost", "allow-origin http://localhost:3000\n", NULL},
    {"http 127.0.0.0/8", "allow-origin http://127.1.2.3\n", NULL},
    {"http [::1]", "allow-origin http://[::1]:8080\n", NULL},
    {"http private address", "allow-origin http://192.168.1.10:8080\n", "uses http://"},
    {"subdomain wildcard", "allow-origin https://*.example.com\n",
     "origin \"https://*.example.com\" allows every subdomain"},
    {"port wildcard", "allow-origin https://b.example:*\n", NULL},
    {"private network on", "allow-private-network on\n", "private network access is enabled"},
    {"private network off", "allow-private-network off\n", NULL},
    {"method PUT", "allow-methods PUT\n", NULL},
    {"method GET", "allow-methods GET\n", NULL},
    {"method HEAD", "allow-methods HEAD\n", NULL},
    {"method post", "allow-methods post\n", NULL},
    {"method patch", "allow-methods patch\n", "method \"patch\" matches only"},
    {"header content-type", "allow-headers Content-Type\n", NULL},
    {"header x-a", "allow-headers X-A\n", NULL},
    {"header accept", "allow-headers Accept\n", NULL},
    {"header accept-language", "allow-headers accept-language\n", NULL},
    {"header content-language", "allow-headers Content-Language\n", NULL},
    {"header range", "allow-headers Range\n", NULL},
    {"expose x-request-id", "expose-headers X-Request-Id\n", NULL},
    {"expose content-type", "expose-headers Content-Type\n",
     "exposed header \"content-type\" never needs listing"},
    {"method listed twice", "allow-methods PUT put\n", "method \"PUT\" is listed twice"},
    {"header listed twice", "allow-headers X-A, x-a\n", "header \"x-a\" is listed twice"},
    {"origin listed twice", "allow-origin https://a.example\n",
     "origin \"https://a.example\" is listed twice"},
};

START_TEST(test_warnings)
{
    const struct warning *t = &warnings[_i];
    char text[300];
    cors_builder *b = cors_builder_new(NULL);
    cors_policy *p = NULL;
    size_t i;

    snprintf(text, sizeof text, "%s%s", ORIGIN_A, t->text);
    ck_assert_int_eq(cors_builder_parse(b, text, strlen(text)), CORS_OK);
    ck_assert_int_eq(cors_builder_build(b, &p), CORS_OK);
    ck_assert_ptr_nonnull(p);
    ck_assert_uint_eq(cors_builder_error_count(b), 0);
    if (!t->needle) {
        if (cors_builder_diagnostic_count(b) != 0)
            tu_print_diags(b);
        ck_assert_msg(cors_builder_diagnostic_count(b) == 0, "%s: unexpected warning", t->what);
    } else {
        if (cors_builder_diagnostic_count(b) != 1)
            tu_print_diags(b);
        ck_assert_uint_eq(cors_builder_diagnostic_count(b), 1);
        for (i = 0; i < cors_builder_diagnostic_count(b); i++) {
            const cors_diagnostic *d = cors_builder_diagnostic(b, i);
            ck_assert_int_eq(d->severity, CORS_SEVERITY_WARNING);
            ck_assert_int_eq(d->code, CORS_OK);
            ck_assert_uint_eq(d->line, 2);
            assert_printable(d->message);
            ck_assert_msg(strstr(d->message, t->needle) != NULL, "%s: \"%s\" lacks \"%s\"",
                          t->what, d->message, t->needle);
        }
    }
    cors_policy_free(p);
    cors_builder_free(b);
}
END_TEST

/* Warnings found while building (the policy as a whole) do not stop it
   either. */
START_TEST(test_build_warnings)
{
    static const struct {
        const char *text;
        unsigned line;
        const char *needle;
    } t[] = {
        {"allow-origin https://a.example\n\nallow-origin *\n", 3,
         "origin \"*\" allows every origin"},
    };
    size_t k;

    for (k = 0; k < sizeof t / sizeof t[0]; k++) {
        cors_builder *b = cors_builder_new(NULL);
        cors_policy *p = NULL;
        const cors_diagnostic *d;
        ck_assert_int_eq(cors_builder_parse(b, t[k].text, strlen(t[k].text)), CORS_OK);
        ck_assert_uint_eq(cors_builder_diagnostic_count(b), 0);
        ck_assert_int_eq(cors_builder_build(b, &p), CORS_OK);
        ck_assert_uint_eq(cors_builder_diagnostic_count(b), 1);
        d = cors_builder_diagnostic(b, 0);
        ck_assert_int_eq(d->severity, CORS_SEVERITY_WARNING);
        ck_assert_uint_eq(d->line, t[k].line);
        ck_assert_ptr_nonnull(strstr(d->message, t[k].needle));
        cors_policy_free(p);
        cors_builder_free(b);
    }
}
END_TEST

/* --------------------------------------------------------- combinations */

/* Errors about settings together carry the line of the value at fault. */
static const struct combination {
    const char *text;
    cors_error code;   /* CORS_OK: builds */
    unsigned line;
    const char *needle;
} combinations[] = {
    {"allow-origin *\nallow-credentials on\n", CORS_ERR_CONFLICT, 1,
     "origin \"*\" is refused with credentials"},
    {"allow-origin *\nallow-credentials off\n", CORS_OK, 0, NULL},
    {"allow-origin https://a.example\nexpose-headers X-A *\nallow-credentials on\n",
     CORS_ERR_CONFLICT, 2, "exposed header \"*\" is refused with credentials"},
    {"allow-origin https://a.example\nexpose-headers X-A *\n", CORS_OK, 0, NULL},
    {"allow-credentials on\n# c\nallow-origin https://a.example http://app.example.com\n",
     CORS_ERR_CONFLICT, 3, "origin \"http://app.example.com\" is refused with credentials"},
    {"allow-credentials on\nallow-origin http://localhost:8080\n", CORS_OK, 0, NULL},
    {"allow-credentials on\nallow-origin http://app.example.com\n"
     "dangerously-allow-insecure-origins-with-credentials off\n",
     CORS_ERR_CONFLICT, 2, "dangerously-allow-insecure-origins-with-credentials"},
    {"allow-credentials on\nallow-origin http://app.example.com\n"
     "dangerously-allow-insecure-origins-with-credentials on\n", CORS_OK, 0, NULL},
    {"allow-credentials on\nallow-origin https://*.com\n", CORS_ERR_CONFLICT, 2,
     "origin \"https://*.com\" is refused with credentials"},
    {"allow-credentials on\nallow-origin https://*.com\n"
     "dangerously-allow-insecure-origins-with-credentials on\n", CORS_ERR_CONFLICT, 2,
     "dangerously-allow-tld-wildcards-with-credentials"},
    {"allow-credentials on\nallow-origin https://*.com\n"
     "dangerously-allow-tld-wildcards-with-credentials on\n", CORS_OK, 0, NULL},
    {"allow-credentials on\nallow-origin https://*.example.com\n", CORS_OK, 0, NULL},
    {"allow-origin https://*.com\n", CORS_OK, 0, NULL},
    /* issue 13: public suffixes, private network access from anywhere, and
       a policy that could never allow anything */
    {"allow-credentials on\nallow-origin https://*.github.io\n", CORS_ERR_CONFLICT, 2,
     "\"github.io\" is a public suffix"},
    {"\nallow-origin *\nallow-private-network on\n", CORS_ERR_CONFLICT, 2,
     "dangerously-allow-private-network-from-any-origin"},
    {"allow-methods PUT\n", CORS_ERR_ORIGIN, 0, "no origin is allowed"},
    {"", CORS_ERR_ORIGIN, 0, "no origin is allowed"},
};

START_TEST(test_combinations)
{
    const struct combination *t = &combinations[_i];
    cors_builder *b = cors_builder_new(NULL);
    cors_policy *p = NULL;
    cors_error e;
    size_t i;
    int found = 0;

    ck_assert_int_eq(cors_builder_parse(b, t->text, strlen(t->text)), CORS_OK);
    e = cors_builder_build(b, &p);
    if (t->code == CORS_OK) {
        if (e != CORS_OK)
            tu_print_diags(b);
        ck_assert_int_eq(e, CORS_OK);
        ck_assert_uint_eq(cors_builder_error_count(b), 0);
        cors_policy_free(p);
    } else {
        ck_assert_int_eq(e, CORS_ERR_POLICY);
        ck_assert_ptr_null(p);
        ck_assert_uint_eq(cors_builder_error_count(b), 1);
        for (i = 0; i < cors_builder_diagnostic_count(b); i++) {
            const cors_diagnostic *d = cors_builder_diagnostic(b, i);
            if (d->severity != CORS_SEVERITY_ERROR)
                continue;
            found = 1;
            ck_assert_int_eq(d->code, t->code);
            ck_assert_uint_eq(d->line, t->line);
            ck_assert_msg(strstr(d->message, t->needle) != NULL, "\"%s\" lacks \"%s\"",
                          d->message, t->needle);
        }
        ck_assert(found);
    }
    cors_builder_free(b);
}
END_TEST

/* ----------------------------------------------------------- round trip */

static const char *const round_trips[] = {
    "allow-origin *\nallow-private-network on\n"
    "dangerously-allow-private-network-from-any-origin on\n",
    "allow-origin https://a.example\n",
    "allow-origin https://app.example.com https://*.example.com https://example.com:*\n"
    "allow-origin http://localhost:3000 https://[::1]:8443 http://127.0.0.1\n"
    "allow-methods put, DELETE, PATCH, purge\n"
    "allow-headers Content-Type, X-Requested-With, Authorization\n"
    "expose-headers X-Request-Id, X-Trace\n"
    "allow-credentials on\nmax-age 86400\nallow-private-network on\n"
    "preflight-status 200\npreflight-denied-status 404\n",
    "allow-origin *\nallow-methods *\nallow-headers *, Authorization\nexpose-headers *\n"
    "max-age 0\n",
    "allow-origin https://*.com http://app.example.com\nallow-credentials on\n"
    "dangerously-allow-insecure-origins-with-credentials on\n"
    "dangerously-allow-tld-wildcards-with-credentials on\n",
    "allow-origin https://a.example https://a.example https://b.example\n"
    "allow-methods GET PUT PUT\n",
    "allow-origin https://a.example\npreflight-denied-status 200\n",
    "allow-origin https://a.example\npreflight-denied-status 499\npreflight-status 299\n",
    "allow-origin https://*.co.uk\nallow-credentials on\n"
    "dangerously-allow-public-suffix-wildcards-with-credentials on\n",
};

START_TEST(test_round_trip)
{
    const char *src = round_trips[_i];
    cors_policy *p1 = tu_policy(src), *p2;
    char *t1 = to_text(p1), *t2;
    cors_builder *b = cors_builder_new(NULL);

    /* the normalized text parses cleanly into the same policy */
    ck_assert_int_eq(cors_builder_parse(b, t1, strlen(t1)), CORS_OK);
    ck_assert_uint_eq(cors_builder_error_count(b), 0);
    ck_assert_int_eq(cors_builder_build(b, &p2), CORS_OK);
    t2 = to_text(p2);
    ck_assert_msg(strcmp(t1, t2) == 0, "first:\n%s\nsecond:\n%s", t1, t2);
    free(t1);
    free(t2);
    cors_policy_free(p1);
    cors_policy_free(p2);
    cors_builder_free(b);
}
END_TEST

/* cors_policy_to_text behaves like snprintf for every buffer size. */
START_TEST(test_to_text_snprintf)
{
    cors_policy *p = tu_policy(round_trips[2]);
    char *full = to_text(p);
    size_t n = strlen(full), size;
    char buf[1024];

    ck_assert_uint_lt(n + 8, sizeof buf);
    /* size 0: nothing is written, not even a NUL */
    memset(buf, 'Z', sizeof buf);
    ck_assert_uint_eq(cors_policy_to_text(p, buf, 0), n);
    ck_assert_int_eq(buf[0], 'Z');
    ck_assert_uint_eq(cors_policy_to_text(p, NULL, 0), n);
    for (size = 1; size <= n + 2; size++) {
        size_t kept = size - 1 < n ? size - 1 : n;
        memset(buf, 'Z', sizeof buf);
        ck_assert_uint_eq(cors_policy_to_text(p, buf, size), n);
        ck_assert_int_eq(memcmp(buf, full, kept), 0);
        ck_assert_int_eq(buf[kept], '\0');
        ck_assert_int_eq(buf[size], 'Z');
    }
    free(full);
    cors_policy_free(p);
}
END_TEST

/* ------------------------------------------------------ building twice */

static void assert_same_diags(const cors_builder *b, const cors_diagnostic *saved, char **msgs,
                              size_t n)
{
    size_t i;

    ck_assert_uint_eq(cors_builder_diagnostic_count(b), n);
    for (i = 0; i < n; i++) {
        const cors_diagnostic *d = cors_builder_diagnostic(b, i);
        ck_assert_int_eq(d->severity, saved[i].severity);
        ck_assert_int_eq(d->code, saved[i].code);
        ck_assert_uint_eq(d->line, saved[i].line);
        ck_assert_str_eq(d->message, msgs[i]);
    }
}

static const char *const rebuilds[] = {
    /* warnings from the setters and from the build (duplicate origin) */
    ("allow-origin https://a.example http://b.example https://a.example\n"
     "allow-methods GET\nmax-age 9000\n"),
    /* build-time errors (credentials with "*") and warnings */
    "allow-origin * https://a.example\nallow-credentials on\nexpose-headers *\n",
    /* no origin at all: a build-time warning only */
    "allow-methods PUT\n",
    /* errors from parsing and from the build */
    "allow-origin http://b.example\nallow-credentials on\nmax-age 1e3\n",
};

START_TEST(test_build_twice)
{
    const char *text = rebuilds[_i];
    cors_builder *b = cors_builder_new(NULL);
    cors_policy *p1 = NULL, *p2 = NULL;
    cors_diagnostic saved[16];
    char *msgs[16];
    size_t n, i, errors;
    cors_error e1, e2;

    cors_builder_parse(b, text, strlen(text));
    e1 = cors_builder_build(b, &p1);
    n = cors_builder_diagnostic_count(b);
    errors = cors_builder_error_count(b);
    ck_assert_uint_gt(n, 0);
    ck_assert_uint_le(n, 16);
    for (i = 0; i < n; i++) {
        saved[i] = *cors_builder_diagnostic(b, i);
        msgs[i] = strdup(saved[i].message);
    }
    e2 = cors_builder_build(b, &p2);
    ck_assert_int_eq(e1, e2);
    ck_assert_uint_eq(cors_builder_error_count(b), errors);
    assert_same_diags(b, saved, msgs, n);
    if (e1 == CORS_OK) {
        char *t1 = to_text(p1), *t2 = to_text(p2);
        ck_assert_str_eq(t1, t2);
        free(t1);
        free(t2);
    } else {
        ck_assert_int_eq(e1, CORS_ERR_POLICY);
        ck_assert_ptr_null(p1);
        ck_assert_ptr_null(p2);
    }
    /* and a third time, after the policies are gone */
    cors_policy_free(p1);
    cors_policy_free(p2);
    p1 = NULL;
    ck_assert_int_eq(cors_builder_build(b, &p1), e1);
    assert_same_diags(b, saved, msgs, n);
    cors_policy_free(p1);
    for (i = 0; i < n; i++)
        free(msgs[i]);
    cors_builder_free(b);
}
END_TEST

/* A build-time problem fixed by a later setting is no longer reported. */
START_TEST(test_rebuild_after_fix)
{
    cors_builder *b = cors_builder_new(NULL);
    cors_policy *p = NULL;

    ck_assert_int_eq(cors_builder_parse(b, S("allow-origin http://app.example.com\n"
                                               "allow-credentials on\n")),
                     CORS_OK);
    ck_assert_int_eq(cors_builder_build(b, &p), CORS_ERR_POLICY);
    ck_assert_uint_eq(cors_builder_error_count(b), 1);
    ck_assert_int_eq(cors_builder_allow_danger(b, CORS_DANGER_INSECURE_ORIGINS_WITH_CREDENTIALS, 1),
                     CORS_OK);
    ck_assert_int_eq(cors_builder_build(b, &p), CORS_OK);
    ck_assert_uint_eq(cors_builder_error_count(b), 0);
    /* the http:// warning from the setter stays */
    ck_assert_uint_eq(cors_builder_diagnostic_count(b), 1);
    ck_assert_int_eq(cors_builder_diagnostic(b, 0)->severity, CORS_SEVERITY_WARNING);
    cors_policy_free(p);
    cors_builder_free(b);
}
END_TEST

/* Policy text and API calls never disagree: every accepted row built by
   calls gives the same normalized text. */
START_TEST(test_text_equals_api)
{
    cors_policy *pt = tu_policy(round_trips[2]), *pa = NULL;
    cors_builder *b = cors_builder_new(NULL);
    static const char *const origins[] = {
        "https://app.example.com", "https://*.example.com", "https://example.com:*",
        "http://localhost:3000",   "https://[::1]:8443",    "http://127.0.0.1"};
    static const char *const methods[] = {"put", "DELETE", "PATCH", "purge"};
    static const char *const headers[] = {"Content-Type", "X-Requested-With", "Authorization"};
    size_t i;
    char *tt, *ta;

    for (i = 0; i < sizeof origins / sizeof origins[0]; i++)
        ck_assert_int_eq(cors_builder_allow_origin(b, origins[i], strlen(origins[i])), CORS_OK);
    for (i = 0; i < sizeof methods / sizeof methods[0]; i++)
        ck_assert_int_eq(cors_builder_allow_method(b, methods[i], strlen(methods[i])), CORS_OK);
    for (i = 0; i < sizeof headers / sizeof headers[0]; i++)
        ck_assert_int_eq(cors_builder_allow_header(b, headers[i], strlen(headers[i])), CORS_OK);
    ck_assert_int_eq(cors_builder_expose_header(b, S("X-Request-Id")), CORS_OK);
    ck_assert_int_eq(cors_builder_expose_header(b, S("X-Trace")), CORS_OK);
    ck_assert_int_eq(cors_builder_allow_credentials(b, 1), CORS_OK);
    ck_assert_int_eq(cors_builder_set_max_age(b, 86400), CORS_OK);
    ck_assert_int_eq(cors_builder_allow_private_network(b, 1), CORS_OK);
    ck_assert_int_eq(cors_builder_set_preflight_status(b, 200), CORS_OK);
    ck_assert_int_eq(cors_builder_set_denied_status(b, 404), CORS_OK);
    ck_assert_int_eq(cors_builder_build(b, &pa), CORS_OK);
    tt = to_text(pt);
    ta = to_text(pa);
    ck_assert_str_eq(tt, ta);
    free(tt);
    free(ta);
    cors_policy_free(pt);
    cors_policy_free(pa);
    cors_builder_free(b);
}
END_TEST

/* "did you mean" up to edit distance 3; from 4 on, the list of directives. */
static const struct suggestion_case {
    const char *line;
    unsigned distance;
    const char *message;      /* how the diagnostic starts */
} suggestions[] = {
    {"max-agex 5", 1, "unknown directive \"max-agex\"; did you mean \"max-age\"?"},
    {"max-agexy 5", 2, "unknown directive \"max-agexy\"; did you mean \"max-age\"?"},
    {"max-agexyz 5", 3, "unknown directive \"max-agexyz\"; did you mean \"max-age\"?"},
    {"max-agewxyz 5", 4,
     "unknown directive \"max-agewxyz\"; known: allow-origin, allow-methods, "},
};

START_TEST(test_suggestion)
{
    const struct suggestion_case *t = &suggestions[_i];
    cors_builder *b = cors_builder_new(NULL);
    const cors_diagnostic *d;

    ck_assert_ptr_nonnull(b);
    ck_assert_int_eq(cors_builder_parse(b, t->line, strlen(t->line)),
                     CORS_ERR_UNKNOWN_DIRECTIVE);
    ck_assert_uint_eq(cors_builder_diagnostic_count(b), 1);
    d = cors_builder_diagnostic(b, 0);
    ck_assert_msg(strncmp(d->message, t->message, strlen(t->message)) == 0,
                  "distance %u: %s", t->distance, d->message);
    cors_builder_free(b);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("policy text");
    TCase *tc = tcase_create("core");

    tcase_add_loop_test(tc, test_accepted, 0, NCASES(accepted));
    tcase_add_loop_test(tc, test_refused, 0, NCASES(refused));
    tcase_add_test(tc, test_all_errors_in_one_pass);
    tcase_add_test(tc, test_parse_twice);
    tcase_add_loop_test(tc, test_max_age_text, 0, NCASES(max_ages));
    tcase_add_loop_test(tc, test_max_age_api, 0, NCASES(max_ages));
    tcase_add_loop_test(tc, test_status_text, 0, NCASES(statuses));
    tcase_add_loop_test(tc, test_status_api, 0, NCASES(statuses));
    tcase_add_loop_test(tc, test_denied_status_text, 0, NCASES(denied_statuses));
    tcase_add_loop_test(tc, test_denied_status_api, 0, NCASES(denied_statuses));
    tcase_add_loop_test(tc, test_warnings, 0, NCASES(warnings));
    tcase_add_test(tc, test_build_warnings);
    tcase_add_loop_test(tc, test_combinations, 0, NCASES(combinations));
    tcase_add_loop_test(tc, test_round_trip, 0, NCASES(round_trips));
    tcase_add_test(tc, test_to_text_snprintf);
    tcase_add_loop_test(tc, test_build_twice, 0, NCASES(rebuilds));
    tcase_add_test(tc, test_rebuild_after_fix);
    tcase_add_test(tc, test_text_equals_api);
    tcase_add_loop_test(tc, test_suggestion, 0, NCASES(suggestions));
#undef N
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return tu_main(suite());
}
