/*
 * diag_ids.h - the stable identifier of every diagnostic the builder
 * records, each defined once here (X(NAME, "id", "meaning")).  The ids are
 * part of the interface: never rename or reuse one; add new ones.  The
 * meanings are listed in libcors-policy(5), DIAGNOSTIC IDENTIFIERS, which
 * tests/docs/test-man-diag-ids.sh keeps equal to this list.
 */
#ifndef CORS_DIAG_IDS_H
#define CORS_DIAG_IDS_H

#define CORS__DIAG_IDS(X) \
    X(LISTED_TWICE, "listed-twice", "an origin, method or header is listed twice") \
    X(ORIGIN_INVALID, "origin-invalid", "an origin is not a valid serialized origin or pattern") \
    X(ORIGIN_EMPTY, "origin-empty", "an origin is empty") \
    X(ORIGIN_NULL, "origin-null", "origin null, which any site can send, is listed") \
    X(ORIGIN_CHARACTER, "origin-character", \
      "an origin has a space, a control character or a non-ASCII byte") \
    X(ORIGIN_FILE, "origin-file", "a file: origin, which pages send as null, is listed") \
    X(ORIGIN_SCHEME, "origin-scheme", "an origin's scheme is not http or https") \
    X(ORIGIN_SCHEME_CASE, "origin-scheme-case", "an origin's scheme is not in lower case") \
    X(ORIGIN_NO_SLASHES, "origin-no-slashes", "an origin has no \"://\" after the scheme") \
    X(ORIGIN_USERINFO, "origin-userinfo", "an origin has user information (\"user@\")") \
    X(ORIGIN_PATH, "origin-path", "an origin has a path") \
    X(ORIGIN_TRAILING_SLASH, "origin-trailing-slash", "an origin ends with \"/\"") \
    X(ORIGIN_QUERY, "origin-query", "an origin has a query") \
    X(ORIGIN_FRAGMENT, "origin-fragment", "an origin has a fragment") \
    X(ORIGIN_HOST_MISSING, "origin-host-missing", "an origin has no host") \
    X(ORIGIN_HOST_CASE, "origin-host-case", "an origin's host is not in lower case") \
    X(ORIGIN_HOST_UNICODE, "origin-host-unicode", "an origin's host is Unicode, not punycode") \
    X(ORIGIN_HOST_CHARACTER, "origin-host-character", \
      "an origin's host has a character hosts never have") \
    X(ORIGIN_HOST_EMPTY_LABEL, "origin-host-empty-label", "an origin's host has an empty label") \
    X(ORIGIN_HOST_TOO_LONG, "origin-host-too-long", "an origin's host is longer than 253 bytes") \
    X(ORIGIN_LABEL_TOO_LONG, "origin-label-too-long", \
      "a label of an origin's host is longer than 63 bytes") \
    X(ORIGIN_PUNYCODE, "origin-punycode", "an \"xn--\" label of an origin is not valid punycode") \
    X(ORIGIN_IPV4_MAPPED, "origin-ipv4-mapped", "an origin's host is an IPv4-mapped IPv6 address") \
    X(ORIGIN_IPV4, "origin-ipv4", "an origin's IPv4 address is not in the form browsers send") \
    X(ORIGIN_IPV6, "origin-ipv6", "an origin's IPv6 address is not in the form browsers send") \
    X(ORIGIN_PORT, "origin-port", "an origin's port is not 1 to 65535 or \"*\"") \
    X(ORIGIN_DEFAULT_PORT, "origin-default-port", "an origin names its scheme's default port") \
    X(ORIGIN_WILDCARD, "origin-wildcard", "an origin has \"*\" where no wildcard is allowed") \
    X(ORIGIN_WILDCARD_IP, "origin-wildcard-ip", \
      "a subdomain wildcard is in front of an IP address") \
    X(ORIGIN_HTTP, "origin-http", "an origin uses http://, which the network path can forge") \
    X(ORIGIN_ANY_SUBDOMAIN, "origin-any-subdomain", "an origin pattern allows every subdomain") \
    X(METHOD_CASE, "method-case", \
      "a method matches only requests that spell it with the same case") \
    X(METHOD_INVALID, "method-invalid", "a method is not a token") \
    X(METHOD_FORBIDDEN, "method-forbidden", "a method is one Fetch forbids") \
    X(NAME_TOO_LONG, "header-name-too-long", "a header name is longer than the library allows") \
    X(HEADER_INVALID, "header-invalid", "a header name is not a token") \
    X(HEADER_CORS_RESPONSE, "header-cors-response", \
      "an allowed request header is a CORS response header") \
    X(HEADER_FORBIDDEN, "header-forbidden", \
      "an allowed request header is a forbidden request header") \
    X(EXPOSE_FORBIDDEN, "expose-forbidden", "an exposed header is a forbidden response header") \
    X(EXPOSE_NOT_RESPONSE, "expose-not-response", \
      "an exposed header is a request header or a preflight response header") \
    X(EXPOSE_SAFELISTED, "expose-safelisted", \
      "an exposed header is CORS-safelisted and needs no listing") \
    X(MAX_AGE_RANGE, "max-age-range", "max-age is out of range") \
    X(MAX_AGE_CHROMIUM_CAP, "max-age-above-chromium-cap", \
      "max-age is above Chromium's and Safari's caps") \
    X(MAX_AGE_SAFARI_CAP, "max-age-above-safari-cap", "max-age is above Safari's cap") \
    X(PRIVATE_NETWORK_ON, "private-network-on", "private network access is enabled") \
    X(PREFLIGHT_STATUS_RANGE, "preflight-status-range", "the preflight status is not 200 to 299") \
    X(DENIED_STATUS_RANGE, "denied-status-range", \
      "the denied preflight status is not 200 to 299 or 400 to 499") \
    X(WILDCARD_PUBLIC_SUFFIX, "wildcard-public-suffix", \
      "an origin pattern admits every site under a public suffix") \
    X(CREDENTIALS_WITH_TLD_WILDCARD, "credentials-with-tld-wildcard", \
      "credentials with an origin pattern under a top-level domain") \
    X(CREDENTIALS_WITH_SUFFIX_WILDCARD, "credentials-with-suffix-wildcard", \
      "credentials with an origin pattern under a public suffix") \
    X(CREDENTIALS_WITH_HTTP_ORIGIN, "credentials-with-http-origin", \
      "credentials with an http:// origin") \
    X(CREDENTIALS_WITH_ANY_ORIGIN, "credentials-with-any-origin", "credentials with origin \"*\"") \
    X(CREDENTIALS_WITH_ANY_EXPOSE, "credentials-with-any-expose", \
      "credentials with exposed header \"*\"") \
    X(PRIVATE_NETWORK_ANY_ORIGIN, "private-network-with-any-origin", \
      "allow-private-network with origin \"*\"") \
    X(NO_ORIGIN, "no-origin", "no origin is allowed") \
    X(ANY_ORIGIN_REDUNDANT, "any-origin-redundant", \
      "origin \"*\" makes the other origins redundant") \
    X(FILE_UNREADABLE, "file-unreadable", "the policy file cannot be opened or read") \
    X(UNKNOWN_DIRECTIVE, "unknown-directive", "a line names no known directive") \
    X(VALUE_QUOTED, "value-quoted", "a value is quoted") \
    X(VALUE_MISSING, "value-missing", "a directive has no value") \
    X(VALUE_EXTRA, "value-extra", "a single-valued directive has more than one value") \
    X(NOT_ON_OFF, "not-on-off", "a switch is neither on nor off") \
    X(NOT_A_NUMBER, "not-a-number", "a number has a character other than a digit") \
    X(NUMBER_TOO_LONG, "number-too-long", "a number is too long to be in range") \
    X(DUPLICATE_SETTING, "duplicate-setting", "a single-valued setting is given twice") \
    X(TRAILING_COMMENT, "trailing-comment", "a comment follows a value on the same line") \
    X(CONTROL_CHARACTER, "control-character", "a line has a control character") \
    X(DIAGNOSTICS_DROPPED, "diagnostics-dropped", "more problems were found than are kept")

#define CORS__DIAG_ENUM(name, id, meaning) CORS__DIAG_##name,
typedef enum cors__diag_id { CORS__DIAG_IDS(CORS__DIAG_ENUM) CORS__NDIAG_IDS } cors__diag_id;
#undef CORS__DIAG_ENUM

/* The id string of a diagnostic, e.g. "unknown-directive". */
const char *cors__diag_id_string(cors__diag_id id);

#endif
