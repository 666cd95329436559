/*
 * check_origin.c - the strict origin parser, cors__origin_parse(), in both
 * of its modes: request mode (the Origin header a browser sent) and policy
 * mode (an entry of allow-origin, where "*." and ":*" patterns are allowed).
 *
 * A browser sends the ASCII serialization of an origin (HTML Standard,
 * "serialization of an origin"; Fetch 3.1 "Origin header"), whose host is
 * already in the URL Standard's canonical form.  Anything else must be
 * refused: in a policy it would silently never match, in a request it
 * cannot come from a browser.
 *
 * Every input is copied into a heap block of exactly its length, so a read
 * past the end shows up under valgrind or AddressSanitizer.
 */
#include "internal.h"
#include "testutil.h"

/* A literal with its exact length, so that a NUL inside it is part of the
   input. */

enum { REQ = 1, POL = 2, BOTH = REQ | POL };

static const char *const err_names[] = {
    "OK",          "EMPTY",       "NULL",           "CTL",        "FILE",
    "SCHEME",      "SCHEME_CASE", "NO_SLASHES",     "USERINFO",   "PATH",
    "TRAILING_SLASH", "QUERY",    "FRAGMENT",       "HOST_EMPTY", "HOST_CASE",
    "HOST_UNICODE", "HOST_CHAR",  "HOST_LABEL",     "HOST_LONG",
    "IPV4",        "IPV6",        "PORT",           "PORT_DEFAULT", "WILDCARD",
    "WILDCARD_IP", "LABEL_LONG",  "PUNYCODE",       "IPV6_MAPPED"};

static const char *err_name(cors__origin_err e)
{
    if ((size_t)e < sizeof err_names / sizeof err_names[0])
        return err_names[e];
    return "?";
}

/* Parses an exact-length heap copy of s. */
static cors__origin_err parse_copy(const char *s, size_t n, int patterns, cors__origin *o,
                                   char **copy)
{
    *copy = malloc(n ? n : 1);
    ck_assert_ptr_nonnull(*copy);
    if (n)
        memcpy(*copy, s, n);
    return cors__origin_parse(*copy, n, patterns, o);
}

/* Host labels of known lengths, for the DNS length limits. */
#define A8 "aaaaaaaa"
#define A32 A8 A8 A8 A8
#define A61 A32 A8 A8 A8 "aaaaa"
#define A62 A61 "a"
#define A63 A62 "a"
#define A64 A63 "a"
#define HOST253 A63 "." A63 "." A63 "." A61
#define HOST254 A63 "." A63 "." A63 "." A62

/* ------------------------------------------------------------ accepted */

typedef struct ok_case {
    const char *text;
    size_t len;
    int modes;
    int scheme;
    const char *host;
    unsigned port;
    int kind;
    int subdomains;
    int explicit_port;
} ok_case;

#define HTTP CORS__HTTP
#define HTTPS CORS__HTTPS
#define DOM CORS__HOST_DOMAIN
#define V4 CORS__HOST_IPV4
#define V6 CORS__HOST_IPV6

static const ok_case ok_cases[] = {
    /* exact origins, valid in a request and in a policy */
    {S("https://app.example.com"), BOTH, HTTPS, "app.example.com", 443, DOM, 0, 0},
    {S("http://localhost:3000"), BOTH, HTTP, "localhost", 3000, DOM, 0, 1},
    {S("http://localhost"), BOTH, HTTP, "localhost", 80, DOM, 0, 0},
    {S("https://[::1]:8443"), BOTH, HTTPS, "[::1]", 8443, V6, 0, 1},
    {S("https://[::1]"), BOTH, HTTPS, "[::1]", 443, V6, 0, 0},
    {S("http://127.0.0.1"), BOTH, HTTP, "127.0.0.1", 80, V4, 0, 0},
    {S("http://192.168.0.1:8080"), BOTH, HTTP, "192.168.0.1", 8080, V4, 0, 1},
    {S("https://0.0.0.0"), BOTH, HTTPS, "0.0.0.0", 443, V4, 0, 0},
    {S("https://255.255.255.255:65535"), BOTH, HTTPS, "255.255.255.255", 65535, V4, 0, 1},
    {S("https://10.0.10.100"), BOTH, HTTPS, "10.0.10.100", 443, V4, 0, 0},
    /* the other scheme's default port is an ordinary port */
    {S("http://example.com:443"), BOTH, HTTP, "example.com", 443, DOM, 0, 1},
    {S("https://example.com:80"), BOTH, HTTPS, "example.com", 80, DOM, 0, 1},
    {S("https://example.com:1"), BOTH, HTTPS, "example.com", 1, DOM, 0, 1},
    {S("https://example"), BOTH, HTTPS, "example", 443, DOM, 0, 0},
    {S("https://xn--bcher-kva.example"), BOTH, HTTPS, "xn--bcher-kva.example", 443, DOM, 0, 0},
    {S("https://a-b.c_d.example.com"), BOTH, HTTPS, "a-b.c_d.example.com", 443, DOM, 0, 0},
    {S("https://1a.example"), BOTH, HTTPS, "1a.example", 443, DOM, 0, 0},
    /* a last label of digits would make it IPv4; one letter keeps it a name */
    {S("https://1.2.3.4a"), BOTH, HTTPS, "1.2.3.4a", 443, DOM, 0, 0},
    /* URL Standard "ends in a number": "0x" must be followed by hex only */
    {S("https://a.0xg"), BOTH, HTTPS, "a.0xg", 443, DOM, 0, 0},
    {S("https://" A63 ".com"), BOTH, HTTPS, A63 ".com", 443, DOM, 0, 0},
    {S("https://" HOST253), BOTH, HTTPS, HOST253, 443, DOM, 0, 0},
    /* what Chromium really sends (issue 13): a trailing dot keeps the host
       a name of its own; labels may begin or end with "-" and hold "_" */
    {S("http://app.example.test.:8080"), BOTH, HTTP, "app.example.test.", 8080, DOM, 0, 1},
    {S("https://example.com."), BOTH, HTTPS, "example.com.", 443, DOM, 0, 0},
    {S("http://localhost."), BOTH, HTTP, "localhost.", 80, DOM, 0, 0},
    {S("https://" HOST253 "."), BOTH, HTTPS, HOST253 ".", 443, DOM, 0, 0},
    {S("https://-a.example.com"), BOTH, HTTPS, "-a.example.com", 443, DOM, 0, 0},
    {S("https://a-.example.com"), BOTH, HTTPS, "a-.example.com", 443, DOM, 0, 0},
    {S("https://-.example-"), BOTH, HTTPS, "-.example-", 443, DOM, 0, 0},
    {S("http://_dev-.app_1.example.test:3000"), BOTH, HTTP, "_dev-.app_1.example.test", 3000,
     DOM, 0, 1},
    {S("https://*.example.com."), POL, HTTPS, "example.com.", 443, DOM, 1, 0},
    {S("https://*.-a-.example"), POL, HTTPS, "-a-.example", 443, DOM, 1, 0},
    /* valid punycode */
    {S("https://xn--mnchen-3ya.example"), BOTH, HTTPS, "xn--mnchen-3ya.example", 443, DOM, 0, 0},
    {S("https://app.xn--p1ai"), BOTH, HTTPS, "app.xn--p1ai", 443, DOM, 0, 0},
    /* punycode is checked in policies only */
    {S("https://xn--.example"), REQ, HTTPS, "xn--.example", 443, DOM, 0, 0},
    {S("https://xn--abc-.example"), REQ, HTTPS, "xn--abc-.example", 443, DOM, 0, 0},
    /* browsers send mapped addresses so; a policy names the IPv4 form */
    {S("https://[::ffff:7f00:1]"), REQ, HTTPS, "[::ffff:7f00:1]", 443, V6, 0, 0},
    /* canonical IPv6 (URL Standard IPv6 serializer) */
    {S("https://[2001:db8::1]"), BOTH, HTTPS, "[2001:db8::1]", 443, V6, 0, 0},
    {S("https://[::]"), BOTH, HTTPS, "[::]", 443, V6, 0, 0},
    {S("https://[1::]"), BOTH, HTTPS, "[1::]", 443, V6, 0, 0},
    {S("https://[1:2:3:4:5:6:7:8]"), BOTH, HTTPS, "[1:2:3:4:5:6:7:8]", 443, V6, 0, 0},
    {S("https://[1:0:0:2::3]"), BOTH, HTTPS, "[1:0:0:2::3]", 443, V6, 0, 0},
    {S("https://[1::2:0:0:3:4]"), BOTH, HTTPS, "[1::2:0:0:3:4]", 443, V6, 0, 0},
    {S("https://[1:2:3:4:5:6:7:0]"), BOTH, HTTPS, "[1:2:3:4:5:6:7:0]", 443, V6, 0, 0},
    {S("http://[fe80::abcd:ef01]:8080"), BOTH, HTTP, "[fe80::abcd:ef01]", 8080, V6, 0, 1},
    /* patterns: policy mode only */
    {S("https://*.example.com"), POL, HTTPS, "example.com", 443, DOM, 1, 0},
    {S("https://*.a.b.example.com"), POL, HTTPS, "a.b.example.com", 443, DOM, 1, 0},
    {S("https://*.com"), POL, HTTPS, "com", 443, DOM, 1, 0},
    {S("https://example.com:*"), POL, HTTPS, "example.com", CORS__PORT_ANY, DOM, 0, 1},
    {S("https://*.example.com:*"), POL, HTTPS, "example.com", CORS__PORT_ANY, DOM, 1, 1},
    {S("https://*.example.com:8443"), POL, HTTPS, "example.com", 8443, DOM, 1, 1},
    {S("http://*.localhost:8080"), POL, HTTP, "localhost", 8080, DOM, 1, 1},
    {S("http://127.0.0.1:*"), POL, HTTP, "127.0.0.1", CORS__PORT_ANY, V4, 0, 1},
    {S("https://[::1]:*"), POL, HTTPS, "[::1]", CORS__PORT_ANY, V6, 0, 1},
};

static void check_ok(const ok_case *c, int patterns)
{
    cors__origin o;
    char *copy;
    cors__origin_err e = parse_copy(c->text, c->len, patterns, &o, &copy);

    ck_assert_msg(e == CORS__O_OK, "%s (patterns=%d): got %s", c->text, patterns, err_name(e));
    ck_assert_int_eq(o.scheme, c->scheme);
    ck_assert_uint_eq(o.host_len, strlen(c->host));
    ck_assert_msg(memcmp(o.host, c->host, o.host_len) == 0, "%s: host", c->text);
    /* the host is a view into the input, not a copy */
    ck_assert(o.host >= copy && o.host + o.host_len <= copy + c->len);
    ck_assert_uint_eq(o.port, c->port);
    ck_assert_int_eq(o.host_kind, c->kind);
    ck_assert_int_eq(o.subdomains, c->subdomains);
    ck_assert_int_eq(o.explicit_port, c->explicit_port);
    ck_assert_uint_eq(o.authority_end, c->len);
    if (!patterns)
        ck_assert_msg(cors__origin_check(copy, c->len) == CORS__O_OK, "%s: check", c->text);
    free(copy);
}

START_TEST(test_accepted)
{
    const ok_case *c = &ok_cases[_i];

    if (c->modes & REQ)
        check_ok(c, 0);
    if (c->modes & POL)
        check_ok(c, 1);
}
END_TEST

/* Patterns are never valid in a request: a browser never sends them. */
START_TEST(test_patterns_refused_in_requests)
{
    const ok_case *c = &ok_cases[_i];
    cors__origin o;
    char *copy;
    cors__origin_err e;

    if (c->modes & REQ)
        return;
    e = parse_copy(c->text, c->len, 0, &o, &copy);
    ck_assert_msg(e == CORS__O_WILDCARD, "%s in a request: got %s", c->text, err_name(e));
    free(copy);
}
END_TEST

/* ------------------------------------------------------------- refused */

typedef struct bad_case {
    const char *text;
    size_t len;
    int modes;
    cors__origin_err err;
} bad_case;

static const bad_case bad_cases[] = {
    {S(""), BOTH, CORS__O_EMPTY},
    {S("null"), BOTH, CORS__O_NULL},
    /* control characters, spaces, DEL: CR/LF would split a header */
    {S(" https://example.com"), BOTH, CORS__O_CTL},
    {S("https://example.com "), BOTH, CORS__O_CTL},
    {S("https://exa mple.com"), BOTH, CORS__O_CTL},
    {S("https://example.com\t"), BOTH, CORS__O_CTL},
    {S("https://example.com\r"), BOTH, CORS__O_CTL},
    {S("https://example.com\n"), BOTH, CORS__O_CTL},
    {S("https://example.com\r\nSet-Cookie: a=b"), BOTH, CORS__O_CTL},
    {S("https://exa\nmple.com"), BOTH, CORS__O_CTL},
    {S("https://example.com\0"), BOTH, CORS__O_CTL},
    {S("https://example.com\0.evil.net"), BOTH, CORS__O_CTL},
    {S("https://exa\0mple.com"), BOTH, CORS__O_CTL},
    {S("\0"), BOTH, CORS__O_CTL},
    {S("https://example.com:80\0" "80"), BOTH, CORS__O_CTL},
    {S("https://exa\x7fmple.com"), BOTH, CORS__O_CTL},
    {S("https://example.com\x01"), BOTH, CORS__O_CTL},
    /* file: and other schemes */
    {S("file://"), BOTH, CORS__O_FILE},
    {S("file:///etc/passwd"), BOTH, CORS__O_FILE},
    {S("FILE:///x"), BOTH, CORS__O_FILE},
    {S("ftp://example.com"), BOTH, CORS__O_SCHEME},
    {S("ws://example.com"), BOTH, CORS__O_SCHEME},
    {S("httpx://example.com"), BOTH, CORS__O_SCHEME},
    {S("chrome-extension://abcdef"), BOTH, CORS__O_SCHEME},
    {S("javascript:alert(1)"), BOTH, CORS__O_SCHEME},
    {S("example.com"), BOTH, CORS__O_SCHEME},
    {S("//example.com"), BOTH, CORS__O_SCHEME},
    {S("*"), BOTH, CORS__O_SCHEME},
    {S("*://example.com"), BOTH, CORS__O_SCHEME},
    {S("NULL"), BOTH, CORS__O_SCHEME},
    {S("htt\xc3\xa9ps://example.com"), BOTH, CORS__O_SCHEME},
    /* browsers send the scheme in lower case */
    {S("HTTPS://example.com"), BOTH, CORS__O_SCHEME_CASE},
    {S("Https://example.com"), BOTH, CORS__O_SCHEME_CASE},
    {S("hTTp://localhost:3000"), BOTH, CORS__O_SCHEME_CASE},
    {S("HTTPS://*.example.com"), POL, CORS__O_SCHEME_CASE},
    {S("https:example.com"), BOTH, CORS__O_NO_SLASHES},
    {S("https:/example.com"), BOTH, CORS__O_NO_SLASHES},
    {S("https:"), BOTH, CORS__O_NO_SLASHES},
    {S("http:\\\\example.com"), BOTH, CORS__O_NO_SLASHES},
    /* userinfo */
    {S("https://user@example.com"), BOTH, CORS__O_USERINFO},
    {S("https://user:pass@example.com"), BOTH, CORS__O_USERINFO},
    {S("https://@example.com"), BOTH, CORS__O_USERINFO},
    {S("https://example.com@evil.net"), BOTH, CORS__O_USERINFO},
    /* paths, query, fragment */
    {S("https://example.com/path"), BOTH, CORS__O_PATH},
    {S("https://example.com//"), BOTH, CORS__O_PATH},
    {S("https://example.com:8443/index.html"), BOTH, CORS__O_PATH},
    {S("https://example.com/@evil.net"), BOTH, CORS__O_PATH},
    {S("https://example.com/"), BOTH, CORS__O_TRAILING_SLASH},
    {S("https://example.com:8443/"), BOTH, CORS__O_TRAILING_SLASH},
    {S("https://*.example.com/"), POL, CORS__O_TRAILING_SLASH},
    {S("https://example.com?"), BOTH, CORS__O_QUERY},
    {S("https://example.com?a=1"), BOTH, CORS__O_QUERY},
    {S("https://example.com:8443?a"), BOTH, CORS__O_QUERY},
    {S("https://example.com#"), BOTH, CORS__O_FRAGMENT},
    {S("https://example.com#top"), BOTH, CORS__O_FRAGMENT},
    /* hosts */
    {S("https://"), BOTH, CORS__O_HOST_EMPTY},
    {S("https://:8443"), BOTH, CORS__O_HOST_EMPTY},
    {S("https://::1]"), BOTH, CORS__O_HOST_EMPTY},
    {S("https://*."), POL, CORS__O_HOST_EMPTY},
    {S("https://EXAMPLE.com"), BOTH, CORS__O_HOST_CASE},
    {S("https://Example.Com"), BOTH, CORS__O_HOST_CASE},
    {S("https://app.EXAMPLE.com:8443"), BOTH, CORS__O_HOST_CASE},
    {S("https://LOCALHOST"), BOTH, CORS__O_HOST_CASE},
    {S("https://*.Example.com"), POL, CORS__O_HOST_CASE},
    {S("https://b\xc3\xbc" "cher.example"), BOTH, CORS__O_HOST_UNICODE},
    {S("https://\xe4\xbe\x8b.com"), BOTH, CORS__O_HOST_UNICODE},
    {S("https://example.com\x80"), BOTH, CORS__O_HOST_UNICODE},
    {S("https://ex\xff" "ample.com"), BOTH, CORS__O_HOST_UNICODE},
    {S("https://*.b\xc3\xbc" "cher.example"), POL, CORS__O_HOST_UNICODE},
    {S("https://exa%6dple.com"), BOTH, CORS__O_HOST_CHAR},
    {S("https://%65xample.com"), BOTH, CORS__O_HOST_CHAR},
    {S("https://example.com%2f.evil.net"), BOTH, CORS__O_HOST_CHAR},
    {S("https://a!b.example.com"), BOTH, CORS__O_HOST_CHAR},
    {S("https://a+b.example.com"), BOTH, CORS__O_HOST_CHAR},
    {S("https://a,b.example.com"), BOTH, CORS__O_HOST_CHAR},
    {S("https://a\\b.example.com"), BOTH, CORS__O_HOST_CHAR},
    {S("https://a[b].example.com"), BOTH, CORS__O_HOST_CHAR},
    {S("https://a..example.com"), BOTH, CORS__O_HOST_LABEL},
    {S("https://.example.com"), BOTH, CORS__O_HOST_LABEL},
    {S("https://*..example.com"), POL, CORS__O_HOST_LABEL},
    {S("https://."), BOTH, CORS__O_HOST_LABEL},
    {S("https://.."), BOTH, CORS__O_HOST_LABEL},
    {S("https://example.com.."), BOTH, CORS__O_HOST_LABEL},
    {S("https://example.com..:8443"), BOTH, CORS__O_HOST_LABEL},
    {S("https://*.."), POL, CORS__O_HOST_LABEL},
    /* the DNS limits (RFC 1035 2.3.4): no page is loaded from such a host */
    {S("https://" A64 ".com"), BOTH, CORS__O_LABEL_LONG},
    {S("https://a." A64), BOTH, CORS__O_LABEL_LONG},
    {S("https://a." A64 "."), BOTH, CORS__O_LABEL_LONG},
    {S("https://*." A64 ".example"), POL, CORS__O_LABEL_LONG},
    {S("https://" HOST254), BOTH, CORS__O_HOST_LONG},
    {S("https://" HOST254 ":8443"), BOTH, CORS__O_HOST_LONG},
    {S("https://" HOST254 "."), BOTH, CORS__O_HOST_LONG},
    /* in policies, "xn--" labels that are not punycode of a Unicode label */
    {S("https://xn--.example"), POL, CORS__O_PUNYCODE},
    {S("https://xn--abc-.example"), POL, CORS__O_PUNYCODE},
    {S("https://app.xn--9"), POL, CORS__O_PUNYCODE},
    {S("https://xn---abc.example"), POL, CORS__O_PUNYCODE},
    {S("https://xn--zzzzzzzzzzzzzzzzzzzz.example"), POL, CORS__O_PUNYCODE},
    {S("https://*.xn--abc-.example:*"), POL, CORS__O_PUNYCODE},
    {S("https://a.xn--abc-.example."), POL, CORS__O_PUNYCODE},
    /* in policies, IPv4-mapped IPv6 in any spelling */
    {S("https://[::ffff:7f00:1]"), POL, CORS__O_IPV6_MAPPED},
    {S("http://[::ffff:c0a8:1]:8080"), POL, CORS__O_IPV6_MAPPED},
    {S("https://[::ffff:127.0.0.1]"), POL, CORS__O_IPV6_MAPPED},
    {S("https://[0:0:0:0:0:ffff:127.0.0.1]:*"), POL, CORS__O_IPV6_MAPPED},
    /* IPv4 only in the canonical dotted-decimal form */
    {S("https://01.2.3.4"), BOTH, CORS__O_IPV4},
    {S("https://1.2.3.04"), BOTH, CORS__O_IPV4},
    {S("https://1.2.3"), BOTH, CORS__O_IPV4},
    {S("http://127.1"), BOTH, CORS__O_IPV4},
    {S("https://0x7f.1.1.1"), BOTH, CORS__O_IPV4},
    {S("http://0x7f000001"), BOTH, CORS__O_IPV4},
    {S("http://2130706433"), BOTH, CORS__O_IPV4},
    {S("https://256.1.1.1"), BOTH, CORS__O_IPV4},
    {S("https://1.2.3.256"), BOTH, CORS__O_IPV4},
    {S("https://1.2.3.4.5"), BOTH, CORS__O_IPV4},
    /* the URL Standard drops the dot and serializes the address without it */
    {S("https://1.2.3.4."), BOTH, CORS__O_IPV4},
    {S("https://example.123."), BOTH, CORS__O_IPV4},
    {S("https://1.2.3.4444"), BOTH, CORS__O_IPV4},
    {S("https://1.2.3.0x4"), BOTH, CORS__O_IPV4},
    {S("https://example.0x"), BOTH, CORS__O_IPV4},
    {S("https://example.0x1f"), BOTH, CORS__O_IPV4},
    {S("https://example.123"), BOTH, CORS__O_IPV4},
    /* IPv6 only as the URL Standard serializes it */
    {S("https://[0::1]"), BOTH, CORS__O_IPV6},
    {S("https://[::01]"), BOTH, CORS__O_IPV6},
    {S("https://[::0:1]"), BOTH, CORS__O_IPV6},
    {S("https://[::FFFF]"), BOTH, CORS__O_IPV6},
    {S("https://[::Ffff:1]"), BOTH, CORS__O_IPV6},
    {S("https://[::ffff:1.2.3.4]"), REQ, CORS__O_IPV6},
    {S("https://[::ffff:1.2.3.4]"), POL, CORS__O_IPV6_MAPPED},
    {S("https://[::ffff:01.2.3.4]"), BOTH, CORS__O_IPV6},
    {S("https://[::fffe:7f00:1]"), BOTH, CORS__O_OK},
    {S("https://[::1.2.3.4]"), BOTH, CORS__O_IPV6},
    {S("https://[1:0:0:0:0:0:0:1]"), BOTH, CORS__O_IPV6},
    {S("https://[0:0:0:0:0:0:0:1]"), BOTH, CORS__O_IPV6},
    {S("https://[1:0:0:2:0:0:3:4]"), BOTH, CORS__O_IPV6},
    {S("https://[1:0:0:2::3:4]"), BOTH, CORS__O_IPV6},
    {S("https://[1:2:3:4:5:6:7::]"), BOTH, CORS__O_IPV6},
    {S("https://[1:2:3:4:5:6:7:8:9]"), BOTH, CORS__O_IPV6},
    {S("https://[1::2::3]"), BOTH, CORS__O_IPV6},
    {S("https://[:::1]"), BOTH, CORS__O_IPV6},
    {S("https://[:1]"), BOTH, CORS__O_IPV6},
    {S("https://[1:]"), BOTH, CORS__O_IPV6},
    {S("https://[12345::1]"), BOTH, CORS__O_IPV6},
    {S("https://[fe80::1%25eth0]"), BOTH, CORS__O_IPV6},
    {S("https://[]"), BOTH, CORS__O_IPV6},
    {S("https://[::1"), BOTH, CORS__O_IPV6},
    {S("https://[::1:8443"), BOTH, CORS__O_IPV6},
    {S("https://[::1]x"), BOTH, CORS__O_IPV6},
    {S("https://[::1]]"), BOTH, CORS__O_IPV6},
    {S("https://[example.com]"), BOTH, CORS__O_IPV6},
    /* ports */
    {S("https://example.com:0"), BOTH, CORS__O_PORT},
    {S("https://example.com:65536"), BOTH, CORS__O_PORT},
    {S("https://example.com:99999"), BOTH, CORS__O_PORT},
    {S("https://example.com:123456"), BOTH, CORS__O_PORT},
    {S("https://example.com:08443"), BOTH, CORS__O_PORT},
    {S("https://example.com:0443"), BOTH, CORS__O_PORT},
    {S("https://example.com:00"), BOTH, CORS__O_PORT},
    {S("https://example.com:"), BOTH, CORS__O_PORT},
    {S("https://example.com:8a"), BOTH, CORS__O_PORT},
    {S("https://example.com:-1"), BOTH, CORS__O_PORT},
    {S("https://example.com:+1"), BOTH, CORS__O_PORT},
    {S("https://example.com:8443:8443"), BOTH, CORS__O_PORT},
    {S("https://example.com:8\xc3\xa0"), BOTH, CORS__O_PORT},
    {S("https://[::1]:"), BOTH, CORS__O_PORT},
    {S("https://example.com:443"), BOTH, CORS__O_PORT_DEFAULT},
    {S("http://example.com:80"), BOTH, CORS__O_PORT_DEFAULT},
    {S("https://[::1]:443"), BOTH, CORS__O_PORT_DEFAULT},
    {S("http://127.0.0.1:80"), BOTH, CORS__O_PORT_DEFAULT},
    {S("https://*.example.com:443"), POL, CORS__O_PORT_DEFAULT},
    /* "*" anywhere but alone, a leading "*." (policy) or the port (policy) */
    {S("https://*"), BOTH, CORS__O_WILDCARD},
    {S("https://*:8443"), BOTH, CORS__O_WILDCARD},
    {S("https://a.*.com"), BOTH, CORS__O_WILDCARD},
    {S("https://*example.com"), BOTH, CORS__O_WILDCARD},
    {S("https://ex*ample.com"), BOTH, CORS__O_WILDCARD},
    {S("https://example.*"), BOTH, CORS__O_WILDCARD},
    {S("https://**.example.com"), BOTH, CORS__O_WILDCARD},
    {S("https://*.*.example.com"), POL, CORS__O_WILDCARD},
    {S("https://*.example.*"), POL, CORS__O_WILDCARD},
    {S("https://example.com:8*"), BOTH, CORS__O_WILDCARD},
    {S("https://example.com:**"), BOTH, CORS__O_WILDCARD},
    {S("https://*.example.com"), REQ, CORS__O_WILDCARD},
    {S("https://example.com:*"), REQ, CORS__O_WILDCARD},
    {S("https://*.1.2.3.4"), REQ, CORS__O_WILDCARD},
    /* "*." in front of an IP address */
    {S("https://*.1.2.3.4"), POL, CORS__O_WILDCARD_IP},
    {S("http://*.127.0.0.1:8080"), POL, CORS__O_WILDCARD_IP},
    {S("https://*.2.3.4"), POL, CORS__O_WILDCARD_IP},
    {S("https://*.[::1]"), BOTH, CORS__O_WILDCARD_IP},
    {S("https://*.[::1]:8443"), BOTH, CORS__O_WILDCARD_IP},
};

START_TEST(test_refused)
{
    const bad_case *c = &bad_cases[_i];
    int patterns;

    for (patterns = 0; patterns <= 1; patterns++) {
        cors__origin o;
        char *copy;
        cors__origin_err e;
        if (!(c->modes & (patterns ? POL : REQ)))
            continue;
        e = parse_copy(c->text, c->len, patterns, &o, &copy);
        ck_assert_msg(e == c->err, "case %d (patterns=%d, %zu bytes): expected %s, got %s", _i,
                      patterns, c->len, err_name(c->err), err_name(e));
        if (!patterns)
            ck_assert_msg(cors__origin_check(copy, c->len) == c->err, "case %d: check", _i);
        free(copy);
    }
}
END_TEST

/* Every prefix of a valid origin is parsed from exactly its length: the
   parser stops at n, never at a NUL, and the result depends only on the
   bytes it was given. */
START_TEST(test_prefixes)
{
    static const char full[] = "https://example.com:8080";
    size_t k;

    for (k = 0; k <= sizeof full - 1; k++) {
        cors__origin o;
        char *copy;
        cors__origin_err e = parse_copy(full, k, 0, &o, &copy), want;
        if (k == 0)
            want = CORS__O_EMPTY;
        else if (k < 6)
            want = CORS__O_SCHEME; /* no ":" yet */
        else if (k < 8)
            want = CORS__O_NO_SLASHES;
        else if (k == 8)
            want = CORS__O_HOST_EMPTY;
        else if (k == 20)
            want = CORS__O_PORT; /* "https://example.com:" */
        else
            want = CORS__O_OK;
        ck_assert_msg(e == want, "prefix of %zu bytes: expected %s, got %s", k, err_name(want),
                      err_name(e));
        ck_assert_int_eq(cors__origin_check(copy, k), want);
        if (e == CORS__O_OK) {
            unsigned port = 0;
            size_t d;
            for (d = 20; d < k; d++)
                port = port * 10 + (unsigned)(full[d] - '0');
            ck_assert_uint_eq(o.port, k <= 19 ? 443u : port);
        }
        free(copy);
    }
}
END_TEST

/* ----------------------------------------------------- request check */

/* cors__origin_check, which reads a short request origin's host as one
   16-byte window of its text and leaves the rest to the parser: the edges
   of that window and of the rules it applies by bit masks. */
static const bad_case check_cases[] = {
    {S("https://a"), REQ, CORS__O_OK},              /* 9 bytes: window through zeros */
    {S("http://a"), REQ, CORS__O_OK},               /* 8 bytes: the parser's */
    {S("https://abcdefg"), REQ, CORS__O_OK},        /* 15 bytes */
    {S("https://abcdefgh"), REQ, CORS__O_OK},       /* 16 bytes: the text is the window */
    {S("https://abcdefghijklmnop"), REQ, CORS__O_OK},  /* a 16-byte host fills it */
    {S("https://abcdefghijklmnopq"), REQ, CORS__O_OK}, /* 17: the parser's */
    {S("http://abcdefghijklmnop"), REQ, CORS__O_OK},
    {S("http://abcdefghijklmno."), REQ, CORS__O_OK},  /* a trailing dot is valid */
    {S("https://a.b-c_d.e-"), REQ, CORS__O_OK},
    {S("https://a-1.b2.c3"), REQ, CORS__O_OK},
    {S("https://a.1b"), REQ, CORS__O_OK},           /* digit-led, not a number */
    {S("https://1a"), REQ, CORS__O_OK},
    {S("https://a.0xg"), REQ, CORS__O_OK},
    {S("https://a.1"), REQ, CORS__O_IPV4},          /* ends in a number */
    {S("https://a.0x1"), REQ, CORS__O_IPV4},
    {S("https://12"), REQ, CORS__O_IPV4},
    {S("https://.a"), REQ, CORS__O_HOST_LABEL},
    {S("https://a..b"), REQ, CORS__O_HOST_LABEL},
    {S("https://a.."), REQ, CORS__O_HOST_LABEL},
    {S("https://."), REQ, CORS__O_HOST_LABEL},
    {S("https://aBc.example"), REQ, CORS__O_HOST_CASE},
    {S("https://abc.exampleZ"), REQ, CORS__O_HOST_CASE},
    {S("https://a.example:8080"), REQ, CORS__O_OK},
    {S("https://a.example:443"), REQ, CORS__O_PORT_DEFAULT},
    {S("https://a.example:"), REQ, CORS__O_PORT},
    {S("https://a\x80" "b.example"), REQ, CORS__O_HOST_UNICODE},
    {S("https://a%62.example"), REQ, CORS__O_HOST_CHAR},
    {S("https://a.example/"), REQ, CORS__O_TRAILING_SLASH},
    {S("https://a.example?"), REQ, CORS__O_QUERY},
    {S("https://a\0b.example"), REQ, CORS__O_CTL},
    {S("https://a*.example"), REQ, CORS__O_WILDCARD},
    {S("https://a@b.example"), REQ, CORS__O_USERINFO},
    {S("HTTPS://a.example"), REQ, CORS__O_SCHEME_CASE},
    {S("httpx://a.example"), REQ, CORS__O_SCHEME},
    {S("https:/a.examples"), REQ, CORS__O_NO_SLASHES},
    {S("https://"), REQ, CORS__O_HOST_EMPTY},
    {S("https://:1"), REQ, CORS__O_HOST_EMPTY},
    {S("null"), REQ, CORS__O_NULL},
};

START_TEST(test_check)
{
    const bad_case *c = &check_cases[_i];
    cors__origin o;
    char *copy;
    cors__origin_err e = parse_copy(c->text, c->len, 0, &o, &copy);

    ck_assert_msg(e == c->err, "case %d: parser: expected %s, got %s", _i, err_name(c->err),
                  err_name(e));
    e = cors__origin_check(copy, c->len);
    ck_assert_msg(e == c->err, "case %d: check: expected %s, got %s", _i, err_name(c->err),
                  err_name(e));
    free(copy);
}
END_TEST

/* One sweep case: "https://" or "http://", then a host of len bytes "b"
   with special at host[at] and a dot two bytes after it. */
static void check_swept(const char *scheme, size_t len, size_t at, char special)
{
    char text[8 + 18];
    size_t sn = strlen(scheme);
    cors__origin o;
    cors__origin_err want;
    char *copy;

    memcpy(text, scheme, sn);
    memset(text + sn, 'b', len);
    text[sn + at] = special;
    if (at + 2 < len)
        text[sn + at + 2] = '.';
    want = parse_copy(text, sn + len, 0, &o, &copy);
    ck_assert_msg(want == cors__origin_parse_full(copy, sn + len, 0, &o), "parse");
    ck_assert_msg(cors__origin_check(copy, sn + len) == want,
                  "%s host of %zu bytes, byte %zu is 0x%02x: expected %s", scheme, len, at,
                  (unsigned char)special, err_name(want));
    free(copy);
}

/* Every byte that matters to the window, at every place of hosts of 1 to
   18 bytes: the check agrees with the full parser. */
START_TEST(test_check_sweep)
{
    static const char special[] = ".-_09aAz:/@*\x80\x7f %";
    size_t len, at, k;

    for (len = 1; len <= 18; len++)
        for (at = 0; at < len; at++)
            for (k = 0; k < sizeof special - 1; k++) {
                check_swept("https://", len, at, special[k]);
                check_swept("http://", len, at, special[k]);
            }
}
END_TEST

/* ------------------------------------------------------------ loopback */

typedef struct loop_case {
    const char *text;
    int loopback;
} loop_case;

static const loop_case loop_cases[] = {
    {"http://localhost", 1},
    {"http://localhost:3000", 1},
    {"https://localhost:8443", 1},
    {"http://localhost:*", 1},
    {"http://127.0.0.1", 1},
    {"http://127.0.0.1:8080", 1},
    {"http://127.255.255.254:9000", 1},
    {"http://127.1.2.3", 1},
    {"http://[::1]", 1},
    {"http://[::1]:8080", 1},
    {"https://[::1]:8443", 1},
    {"http://localhost.example.com", 0},
    {"http://localhostx", 0},
    {"http://mylocalhost", 0},
    {"http://*.localhost", 0},
    {"http://*.localhost:3000", 0},
    {"http://128.0.0.1", 0},
    {"http://126.255.255.255", 0},
    {"http://10.0.0.1", 0},
    {"http://0.0.0.0", 0},
    {"http://[::2]", 0},
    {"http://[::]", 0},
    {"http://[1::1]", 0},
    {"http://example.com", 0},
    {"https://app.example.com", 0},
    {"http://127.example.com", 0},
};

START_TEST(test_loopback)
{
    const loop_case *c = &loop_cases[_i];
    cors__origin o;
    char *copy;
    cors__origin_err e = parse_copy(c->text, strlen(c->text), 1, &o, &copy);

    ck_assert_msg(e == CORS__O_OK, "%s: %s", c->text, err_name(e));
    ck_assert_msg(cors__origin_is_loopback(&o) == c->loopback, "%s: loopback should be %d",
                  c->text, c->loopback);
    free(copy);
}
END_TEST

/* The parsed fields describe the whole input; a failed parse never leaves
   stale fields from an earlier one behind. */
START_TEST(test_fields_reset)
{
    cors__origin o;

    ck_assert_int_eq(cors__origin_parse(S("https://*.example.com:*"), 1, &o), CORS__O_OK);
    ck_assert_int_eq(o.subdomains, 1);
    ck_assert_int_eq(cors__origin_parse(S("null"), 1, &o), CORS__O_NULL);
    ck_assert_int_eq(o.subdomains, 0);
    ck_assert_int_eq(o.explicit_port, 0);
    ck_assert_uint_eq(o.host_len, 0);
}
END_TEST


static Suite *origin_suite(void)
{
    Suite *s = suite_create("origin");
    TCase *tc = tcase_create("parse");

    tcase_add_loop_test(tc, test_accepted, 0, NCASES(ok_cases));
    tcase_add_loop_test(tc, test_patterns_refused_in_requests, 0, NCASES(ok_cases));
    tcase_add_loop_test(tc, test_refused, 0, NCASES(bad_cases));
    tcase_add_test(tc, test_prefixes);
    tcase_add_test(tc, test_fields_reset);
    suite_add_tcase(s, tc);
    tc = tcase_create("check");
    tcase_add_loop_test(tc, test_check, 0, NCASES(check_cases));
    tcase_add_test(tc, test_check_sweep);
    suite_add_tcase(s, tc);
    tc = tcase_create("loopback");
    tcase_add_loop_test(tc, test_loopback, 0, NCASES(loop_cases));
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return tu_main(origin_suite());
}
