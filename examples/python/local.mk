# examples/python/: the Python ctypes binding as an installable package
# (pyproject.toml) and its pytest tests, run by
# tests/integration/test-python.sh.
EXTRA_DIST += examples/python/libcors.py examples/python/pyproject.toml \
	examples/python/test_libcors.py examples/python/test_header.py
