#!/bin/sh
# The browser scenarios of test-browser.sh, with every API behind the
# packaged nginx and ngx_http_cors_policy_module (see browser-nginx.sh).
BROWSER_API_FRONT=nginx
. "${top_srcdir:-.}/tests/integration/test-browser.sh"
