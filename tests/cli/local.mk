# tests/cli/: cors-check's golden files.  run.sh runs the built tool on the
# requests and policies here and compares with expected/.  The directory is
# shipped whole, so a new case needs no line here.
TESTS += tests/cli/run.sh
EXTRA_DIST += tests/cli
# (an in-tree build writes run.sh's log beside it: keep it out of the tarball)
dist-hook:
	rm -f $(distdir)/tests/cli/*.log $(distdir)/tests/cli/*.trs
