#!/bin/sh
# Runs the built cors-check on the requests and policies in tests/cli and
# compares standard output, standard error and the exit status with the
# files in tests/cli/expected:
#   NAME.resp  a response head, stored with LF line ends here and compared
#              byte for byte after turning every LF into CRLF (the tool
#              must write CRLF);
#   NAME.out   any other standard output, compared byte for byte;
#   NAME.err   standard error, compared byte for byte.
# A missing file means that stream must be empty.
#
# examples/cors-check/messaging-preflight.http is A messaging app's preflight.  The note's
# listing has no Origin header although its text describes one (and without
# it the request would not be a preflight), so the file adds
# "Origin: https://messages.example" after the listed lines.
set -u
: "${testlib_loaded:?run this test through tests/common/run-test.sh (make check does)}"

: "${top_builddir:=.}" "${top_srcdir:=.}" "${EXEEXT:=}"
LC_ALL=C
export LC_ALL

bin="$(cd "$top_builddir/examples/cors-check" && pwd)/cors-check$EXEEXT"
data="$(cd "$top_srcdir/tests/cli" && pwd)"
top="$(cd "$top_srcdir" && pwd)"
if [ ! -x "$bin" ]; then
    echo "run.sh: $bin was not built" >&2
    exit 99
fi
# ($tmp: tests/common/testlib.sh)

failed=0
passed=0

fail() {
    echo "FAIL: $*"
    failed=$((failed + 1))
}

# same EXPECTED ACTUAL WHAT: byte-for-byte comparison, with a readable diff.
same() {
    if cmp -s "$1" "$2"; then
        return 0
    fi
    echo "--- $3: expected (-) and actual (+), CR shown as ^M:"
    sed 's/\r/^M/g' "$1" > "$tmp/diff.want"
    sed 's/\r/^M/g' "$2" > "$tmp/diff.got"
    diff -u "$tmp/diff.want" "$tmp/diff.got" | sed '1,2d'
    return 1
}

# t NAME STATUS STDIN [ARG...]
# Runs "cors-check ARG..." inside tests/cli, standard input from STDIN
# (relative to tests/cli, or absolute; "-" for an empty input).
t() {
    name=$1 want=$2 input=$3
    shift 3
    case $input in
    -) input=/dev/null ;;
    /*) ;;
    *) input="$data/$input" ;;
    esac
    (cd "$data" && exec "$bin" "$@") < "$input" > "$tmp/$name.stdout" 2> "$tmp/$name.stderr"
    got=$?
    ok=1
    if [ "$got" != "$want" ]; then
        echo "--- $name: exit status $got, expected $want"
        ok=0
    fi
    if [ -f "$data/expected/$name.resp" ]; then
        awk '{ printf "%s\r\n", $0 }' "$data/expected/$name.resp" > "$tmp/$name.want"
        same "$tmp/$name.want" "$tmp/$name.stdout" "$name: standard output" || ok=0
    elif [ -f "$data/expected/$name.out" ]; then
        same "$data/expected/$name.out" "$tmp/$name.stdout" "$name: standard output" || ok=0
    else
        same /dev/null "$tmp/$name.stdout" "$name: standard output" || ok=0
    fi
    if [ -f "$data/expected/$name.err" ]; then
        same "$data/expected/$name.err" "$tmp/$name.stderr" "$name: standard error" || ok=0
    else
        same /dev/null "$tmp/$name.stderr" "$name: standard error" || ok=0
    fi
    if [ $ok = 1 ]; then
        passed=$((passed + 1))
    else
        fail "$name: cors-check $*"
    fi
}

seed="$top/examples/cors-check/messaging-preflight.http"

# ------------------------------------------------ the seed and the default
# The README's first demo: the messaging app's preflight, answered as the messaging app's
# server does (200 OK, "*", its methods and headers), plus Vary.
t seed 0 "$seed"
t seed-file 0 - "$seed"
t seed-dash 0 "$seed" -
t seed-explain 0 "$seed" --explain
# The same request with LF line ends.
tr -d '\r' < "$seed" > "$tmp/seed-lf.http"
t seed-lf 0 "$tmp/seed-lf.http"
t show-default 0 - --show-policy
t lint-default 0 - --lint
# examples/cors-check/default-policy.txt is the built-in policy, line for line.
t show-default-file 0 - --show-policy -p ../../examples/cors-check/default-policy.txt
(cd "$data" && "$bin" -q --lint) > "$tmp/lint-builtin" 2>&1
(cd "$top" && "$bin" -q --lint -p examples/cors-check/default-policy.txt) 2>&1 |
    sed 's|^examples/cors-check/default-policy.txt:|<built-in>:|' > "$tmp/lint-file"
if same "$tmp/lint-builtin" "$tmp/lint-file" "default-policy.txt lint"; then
    passed=$((passed + 1))
else
    fail "examples/cors-check/default-policy.txt differs from the built-in policy"
fi

# ---------------------------------------------------------------- preflights
t preflight-ok 0 preflight-ok.http -p app.policy
t preflight-ok-explain 0 - -p app.policy --explain preflight-ok.http
t preflight-subdomain 0 preflight-subdomain.http -p app.policy
t preflight-case 0 preflight-case.http -p app.policy
t preflight-acrh-lines 0 preflight-acrh-lines.http -p app.policy
t preflight-echo 0 preflight-echo.http -p echo-headers.policy
t preflight-pna 0 preflight-pna.http -p pna.policy
t status-202 0 preflight-simple.http -p status-202.policy
t status-299 0 preflight-simple.http -p status-299.policy
t preflight-method 1 preflight-method.http -p app.policy --explain
t preflight-method-case 1 preflight-method-case.http -p app.policy --explain
t preflight-origin 1 preflight-origin.http -p app.policy --explain
t preflight-lookalike 1 preflight-lookalike.http -p app.policy --explain
t preflight-header 1 preflight-header.http -p app.policy --explain
t preflight-acrh-lines-denied 1 preflight-acrh-lines-denied.http -p app.policy --explain
t preflight-pna-default 1 preflight-pna.http --explain
t preflight-two-origins 1 preflight-two-origins.http -p app.policy --explain
# "*" never looks at the origin, yet two Origin lines are still refused.
t preflight-two-origins-default 1 preflight-two-origins.http --explain
t preflight-origin-default 0 preflight-origin.http --explain
# preflight-denied-status: only the status line changes.
t denied-404 1 preflight-origin.http -p denied-404.policy --explain
t denied-404-method 1 preflight-method.http -p denied-404.policy
t denied-404-accepted 0 preflight-simple.http -p denied-404.policy
# The tool's own refusal of two Origin lines uses the policy's status too.
t denied-200-two-origins 1 preflight-two-origins.http -p denied-any-200.policy --explain
# Access-Control-Request-Headers far over libcors' 4096-byte bound.
awk 'BEGIN { printf "OPTIONS / HTTP/1.1\nOrigin: https://app.example.com\n";
             printf "Access-Control-Request-Method: PUT\nAccess-Control-Request-Headers: ";
             for (i = 0; i < 50000; i++) printf "a,"; printf "\n\n" }' > "$tmp/huge-acrh.http"
t preflight-huge-acrh 1 "$tmp/huge-acrh.http" -p app.policy --explain
# Thousands of Origin lines: refused, and in linear time.
awk 'BEGIN { printf "OPTIONS / HTTP/1.1\nAccess-Control-Request-Method: PUT\n";
             for (i = 0; i < 30000; i++) printf "Origin: https://app.example.com\n";
             printf "\n" }' > "$tmp/many-origins.http"
t preflight-many-origins 1 "$tmp/many-origins.http" -p app.policy --explain

# ---------------------------------------------------- actual and non-CORS
t actual-ok 0 actual-ok.http -p app.policy --explain
t actual-default 0 actual-ok.http
t actual-denied 1 actual-denied.http -p app.policy --explain
# A form post from the API's own pages carries Origin too: same-origin, exit 0.
t same-origin-post 0 same-origin-post.http -p same-origin.policy --explain
t actual-null 1 actual-null.http -p app.policy --explain
t actual-two-origins 1 actual-two-origins.http -p app.policy --explain
t actual-two-origins-default 1 actual-two-origins.http --explain
t not-cors 0 not-cors.http -p app.policy --explain
t not-cors-default 0 not-cors.http
t options-not-preflight 0 options-not-preflight.http -p app.policy --explain
t with-body 0 with-body.http -p app.policy
# Empty lines before the request line are skipped (RFC 9112, 2.2); the
# last line needs no line end.
printf '\r\n\nGET /x HTTP/1.0\r\nOrigin: https://app.example.com' > "$tmp/leading-blank.http"
t leading-blank 0 "$tmp/leading-blank.http" -p app.policy

# ------------------------------------------------------ malformed requests
t bad-empty 2 -
printf '\r\n\n\r\n' > "$tmp/blank-lines.http"
t bad-blank-lines 2 "$tmp/blank-lines.http"
t bad-no-request-line 2 bad-no-request-line.http
t bad-request-line 2 bad-request-line.http
t bad-version 2 bad-version.http
t bad-fold 2 bad-fold.http
t bad-no-colon 2 bad-no-colon.http
t bad-space-before-colon 2 bad-space-before-colon.http
t bad-name-space 2 bad-name-space.http
t bad-name-char 2 bad-name-char.http
t bad-empty-name 2 bad-empty-name.http
printf 'OPTIONS / HTTP/1.1\nOrigin: https://a\000b.example\nAccess-Control-Request-Method: PUT\n\n' \
    > "$tmp/nul.http"
t bad-nul 2 "$tmp/nul.http"
printf 'OPTIONS / HTTP/1.1\nOrigin: https://a.example\rAccess-Control-Request-Method: PUT\n\n' \
    > "$tmp/cr.http"
t bad-cr 2 "$tmp/cr.http"
printf '\377\376\001\000\033[2J\200GET / HTTP/1.1\n\n' > "$tmp/junk.http"
t bad-junk 2 "$tmp/junk.http"
# A head longer than 1 MiB, as one huge line and as many lines.
awk 'BEGIN { printf "GET / HTTP/1.1\nX-Big: ";
             for (i = 0; i < 70000; i++) printf "0123456789abcdef"; printf "\n\n" }' \
    > "$tmp/huge-line.http"
t bad-huge-line 2 "$tmp/huge-line.http"
awk 'BEGIN { printf "GET / HTTP/1.1\n";
             for (i = 0; i < 40000; i++) printf "X-Filler-%d: 0123456789\n", i; printf "\n" }' \
    > "$tmp/huge-head.http"
t bad-huge-head 2 "$tmp/huge-head.http"

# ----------------------------------------------------------------- policies
t show-app 0 - -p app.policy --show-policy
t show-stdin 0 app.policy -p - --show-policy
t show-denied-404 0 - -p denied-404.policy --show-policy
t lint-denied-status 2 - -p denied-bad.policy --lint
t lint-warnings 0 - -p lint-warnings.policy --lint
t lint-chromium 0 - -p lint-chromium.policy --lint
t lint-max-age-ok 0 - -p lint-max-age-ok.policy --lint
t lint-clean 0 - -p lint-clean.policy --lint
t lint-empty 2 - -p empty.policy --lint
t lint-errors 2 - -p lint-errors.policy --lint
t show-errors 2 - -p lint-errors.policy --show-policy
t eval-errors 2 preflight-ok.http -p lint-errors.policy
# Warnings do not disturb an evaluation.
t eval-warnings 0 preflight-simple.http -p lint-warnings.policy

# ------------------------------------------------------------- usage errors
t missing-request 2 - no-such-request.http
t missing-policy 2 - -p no-such.policy --lint
t request-dir 2 - expected
t unknown-long 2 - --frobnicate
t unknown-short 2 - -x
t policy-no-arg 2 - -p
t lint-and-show 2 - --lint --show-policy
t lint-request 2 - --lint preflight-ok.http
t explain-lint 2 - --explain --lint
t two-requests 2 - preflight-ok.http preflight-ok.http
t both-stdin 2 preflight-ok.http -p -

# ------------------------------------------------------------ input formats
# What browsers and curl copy, detected from the text (issue 14).
t input-firefox-h2 0 input-firefox-h2.http -p app.policy
t input-chrome-h2 0 input-chrome-h2.txt -p app.policy --explain
t input-curl-v 1 input-curl-v.txt -p app.policy
t input-copy-as-curl 0 input-copy-as-curl.sh -p app.policy --explain
t input-copy-as-curl-get 1 input-copy-as-curl-get.sh -p app.policy
t input-forced-http1 2 input-chrome-h2.txt -p app.policy --input-format http1
t input-format-bad 2 - --input-format yaml
t bad-curl-quote 2 bad-curl-quote.sh -p app.policy
t bad-curl-option 2 bad-curl-option.sh -p app.policy
t bad-curl-no-url 2 bad-curl-no-url.sh -p app.policy
t bad-h2-order 2 bad-h2-order.txt -p app.policy
t bad-curl-v-empty 2 bad-curl-v-empty.txt -p app.policy

# ------------------------------------------------- judging a server's answer
t response-ok 0 preflight-ok.http --response response-ok.http
t response-denied 1 preflight-ok.http --response response-denied.http
t response-two-acao 1 preflight-ok.http --response response-two-acao.http
t response-star 0 actual-ok.http --response response-star.http
t response-star-cookie 1 actual-cookie.http --response response-star.http
t response-star-credentials 1 actual-ok.http --response response-star.http --credentials
t response-redirect 1 preflight-simple.http --response response-redirect.http
t response-authorization 1 preflight-authorization.http --response response-star-headers.http
t response-authorization-chromium 0 preflight-authorization.http --chromium \
    --response response-star-headers.http
t response-continue 0 actual-cookie.http --response response-continue-creds.http
t response-curl-v 1 input-curl-v.txt --response input-curl-v.txt
t response-json 1 preflight-ok.http --response response-two-acao.http --format json
t response-quiet 1 preflight-ok.http --response response-denied.http -q
t response-bad-fold 2 preflight-ok.http --response response-bad-fold.http
t response-bad-status 2 preflight-ok.http --response response-bad-status.http
t response-with-policy 2 preflight-ok.http --response response-ok.http -p app.policy

# ------------------------------------------------------------ HAR files
if "$bin" --version | grep -q 'without HAR'; then
    if under_ci; then
        fail "cors-check was built without jansson: HAR input cannot be tested (CI installs libjansson-dev)"
    else
        echo "SKIP: HAR cases (cors-check built without jansson)"
    fi
else
    t har-session 1 input-session.har
    t har-allowed 0 input-allowed.har
    t har-json 1 input-session.har --format json
    # -p: each entry is evaluated against the policy too.
    t har-with-policy 1 input-session.har -p app.policy
    t har-policy-denied 1 input-allowed.har -p har-other-origin.policy
    t har-policy-json 1 input-session.har -p app.policy --format json
    t bad-har-truncated 2 bad-har-truncated.har
    t bad-har-crlf 2 bad-har-crlf.har
    t bad-har-no-response 2 bad-har-no-response.har
    t bad-har-no-entries 2 bad-har-no-entries.har
    awk 'BEGIN { for (i = 0; i < 100000; i++) printf "["; print "" }' > "$tmp/deep.har"
    t bad-har-deep 2 "$tmp/deep.har" --input-format har
    printf '{"log": {"entries": [{"request": {"method": "G\000T"}}]}}' > "$tmp/nul.har"
    t bad-har-nul 2 "$tmp/nul.har"
fi

# ---------------------------------------------------- requests from flags
# What fetch(url, {method, headers}) from an origin sends: the preflight
# when one is needed, then the actual request.
t flags-simple 0 - -p app.policy --origin https://app.example.com
t flags-preflight 0 - -p app.policy --origin https://app.example.com --method put \
    --header 'Content-Type: application/json' --header X-Requested-With
t flags-form 0 - -p app.policy --origin https://app.example.com --method POST \
    --header 'Content-Type: text/plain;charset=UTF-8'
t flags-denied 1 - -p app.policy --origin https://app.example.com --method PATCH
t flags-header-denied 1 - -p app.policy --origin https://app.example.com --header X-Debug
t flags-credentials 1 - --origin https://app.example.com --credentials
t flags-json 0 - -p app.policy --origin https://app.example.com --method DELETE --format json
t flags-no-origin 2 - --method PUT
t flags-bad-header 2 - --origin https://app.example.com --header 'Bad Name: x'
t flags-with-file 2 - --origin https://app.example.com preflight-ok.http

# ------------------------------------------------------------ output modes
t quiet 0 preflight-ok.http -p app.policy -q
t quiet-default 0 "$seed" -q
t json-preflight 1 preflight-method.http -p app.policy --format json
t format-bad 2 - --format xml
t quiet-explain 2 - -q --explain
t lint-json 2 - -p lint-errors.policy --lint --format json
t lint-json-warnings 0 - -p lint-warnings.policy --lint --format json
t lint-strict 1 - -p lint-warnings.policy --lint --strict
t lint-strict-clean 0 - -p lint-clean.policy --lint --strict
t strict-alone 2 - --strict

# ------------------------------------------------------ arbitrary input
# Junk and mutated requests: never a crash; exit 0 or 1 with a complete
# CRLF response head, or exit 2 with one message and no output.
for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 \
         21 22 23 24 25 26 27 28 29 30 31 32 33 34 35 36 37 38 39 40; do
    if [ $((i % 2)) = 0 ]; then
        awk -v seed="$i" 'BEGIN { srand(seed); n = int(rand() * 400);
            for (k = 0; k < n; k++) printf "%c", 1 + int(rand() * 255) }' > "$tmp/fuzz.http"
    else
        # Flip a few bytes of a valid preflight.
        awk -v seed="$i" 'BEGIN { srand(seed); RS = "\001" }
            { s = $0; for (k = 0; k < 4; k++) { p = 1 + int(rand() * length(s));
                c = sprintf("%c", 1 + int(rand() * 255));
                s = substr(s, 1, p - 1) c substr(s, p + 1) }
              printf "%s", s }' "$data/preflight-ok.http" > "$tmp/fuzz.http"
    fi
    (cd "$data" && exec "$bin" -q -p app.policy "$tmp/fuzz.http") > "$tmp/fuzz.out" 2> "$tmp/fuzz.err"
    got=$?
    case $got in
    0 | 1)
        if [ -s "$tmp/fuzz.err" ] || ! head -n 1 "$tmp/fuzz.out" | grep -q '^HTTP/1.1 [0-9][0-9][0-9] .*.$' ||
            [ "$(tail -c 4 "$tmp/fuzz.out" | od -An -c | tr -d ' ')" != '\r\n\r\n' ]; then
            cp "$tmp/fuzz.http" "$tmp/fuzz-$i.http"
            fail "fuzz input $i: exit $got without a proper response head"
            continue
        fi ;;
    2)
        if [ -s "$tmp/fuzz.out" ] || [ "$(wc -l < "$tmp/fuzz.err")" != 1 ] ||
            ! grep -q '^cors-check: ' "$tmp/fuzz.err"; then
            fail "fuzz input $i: exit 2 without exactly one message"
            continue
        fi ;;
    *)
        fail "fuzz input $i: exit status $got (a crash?)"
        od -c "$tmp/fuzz.http" | head -n 20
        continue ;;
    esac
    passed=$((passed + 1))
done

echo "cors-check tests: $passed passed, $failed failed"
[ "$failed" = 0 ]
