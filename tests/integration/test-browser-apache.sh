#!/bin/sh
# The browser scenarios of test-browser.sh, with every API behind the
# packaged apache2 and mod_cors_policy (see browser-apache.sh).
BROWSER_API_FRONT=apache
. "${top_srcdir:-.}/tests/integration/test-browser.sh"
