#!/bin/sh
# Run in place of the Check suites when configure did not find Check.
echo "Check (https://libcheck.github.io/check/) was not found when configure ran:" >&2
echo "install it (Debian: apt-get install check) and run ./configure again." >&2
exit 99
